#include "config.h"

#include "geo-coverage.h"

#include <stdlib.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-programme.h"
#include "geo-store-private.h"
#include "geo-visit.h"
#include "geo-workflow.h"

/* Rollout coverage of a programme at a date (docs/coverage.md). Everything is loaded by a few
 * statements into arrays sorted by family and person; a date's figures are one pass over the
 * persons. Dates are held as integers yyyymmdd (0 = none) so that comparisons are cheap. */

typedef struct
{
  char  *code;
  char  *name;
  char  *kecamatan;
  int    start; /* window: visits from start to end count; 0 = open */
  int    end;
  gint64 target_count; /* -1: the listed persons are the targets */
} Desa;

typedef struct
{
  gint64 id;
  int    date;
  guint8 outcome;
} Visit;

typedef struct
{
  gint64 visit_id;
  guint8 code; /* member presence code */
} Gone;

typedef struct
{
  int    date;
  guint8 from; /* GeoState + 1, 0 = none (not a member yet) */
  guint8 to;
} Change;

typedef struct
{
  guint8 status; /* GeoState + 1 */
  int    since;
  guint  first_change, n_changes;
} Membership;

typedef struct
{
  int      date;
  gboolean has_nik;
} NikChange;

typedef struct
{
  gint64   id;
  gint64   family_id;
  guint    desa;      /* index into desas, G_MAXUINT when the family has no desa */
  gboolean explicit_; /* a listed target */
  gboolean nik_now;
  guint    first_visit, n_visits; /* the family's visits, by date then id */
  guint    first_gone, n_gone;
  guint    first_membership, n_memberships;
  guint    first_nik, n_nik;
} Person;

struct _GeoCoverage
{
  GPtrArray  *desas;      /* Desa */
  GHashTable *desa_index; /* code -> index + 1 */
  GHashTable *names;      /* kecamatan code -> name */
  GArray     *persons;    /* Person, by family id then person id */
  GArray     *visits;
  GArray     *gone;
  GArray     *memberships;
  GArray     *changes;
  GArray     *nik;
};

static int
date_int (const char *s)
{
  if (s == NULL || !geo_is_iso_date (s))
    return 0;
  return atoi (s) * 10000 + atoi (s + 5) * 100 + atoi (s + 8);
}

static char *
date_str (int d)
{
  return g_strdup_printf ("%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

static guint8
state_code (const char *s)
{
  GeoState st;

  if (s == NULL || !geo_state_from_string (s, &st))
    return 0;
  return (guint8) st + 1;
}

static void
desa_free (Desa *d)
{
  g_free (d->code);
  g_free (d->name);
  g_free (d->kecamatan);
  g_free (d);
}

void
geo_coverage_free (GeoCoverage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->desas, g_ptr_array_unref);
  g_clear_pointer (&self->desa_index, g_hash_table_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->persons, g_array_unref);
  g_clear_pointer (&self->visits, g_array_unref);
  g_clear_pointer (&self->gone, g_array_unref);
  g_clear_pointer (&self->memberships, g_array_unref);
  g_clear_pointer (&self->changes, g_array_unref);
  g_clear_pointer (&self->nik, g_array_unref);
  g_free (self);
}

void
geo_coverage_row_free (GeoCoverageRow *row)
{
  if (row == NULL)
    return;
  g_free (row->code);
  g_free (row->name);
  g_free (row->kecamatan_code);
  g_free (row);
}

/* Percent of @targets, 0 when there are none. */
double
geo_coverage_percent (gint64 value, gint64 targets)
{
  return targets > 0 ? 100.0 * (double) value / (double) targets : 0.0;
}

/* Gap to target: targets not visited yet (never negative). */
gint64
geo_coverage_row_gap (const GeoCoverageRow *row)
{
  return MAX (row->targets - row->visited, 0);
}

/* The sum of @rows, as a row named "Total". */
GeoCoverageRow *
geo_coverage_rows_total (GPtrArray *rows)
{
  GeoCoverageRow *t = g_new0 (GeoCoverageRow, 1);

  t->code = g_strdup ("");
  t->name = g_strdup ("Total");
  for (guint i = 0; i < rows->len; i++)
    {
      const GeoCoverageRow *r = rows->pdata[i];

      t->targets += r->targets;
      t->visited += r->visited;
      t->found += r->found;
      t->nik_recorded += r->nik_recorded;
      t->verified += r->verified;
      t->not_reachable += r->not_reachable;
    }
  return t;
}

static guint
add_desa (GeoCoverage *self, const char *code)
{
  gpointer v = g_hash_table_lookup (self->desa_index, code);
  Desa    *d;

  if (v != NULL)
    return GPOINTER_TO_UINT (v) - 1;
  d = g_new0 (Desa, 1);
  d->code = g_strdup (code);
  d->kecamatan = strlen (code) > 8 ? g_strndup (code, 8) : g_strdup (code);
  d->target_count = -1;
  g_ptr_array_add (self->desas, d);
  g_hash_table_insert (self->desa_index, d->code, GUINT_TO_POINTER (self->desas->len));
  return self->desas->len - 1;
}

static gboolean
step_error (GeoStore *store, int rc, GError **error, const char *what)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  return geo_store_set_error (store, error, what);
}

/* Areas, windows and target counts. */
static gboolean
load_areas (GeoCoverage *self, GeoStore *store, const GeoProgramme *p, GError **error)
{
  g_autoptr(sqlite3_stmt) desa = NULL;
  g_autoptr(sqlite3_stmt) names = NULL;
  int rc;

  /* Every desa of a listed kecamatan (when the boundaries are known) and every listed desa. */
  desa = geo_store_prepare (store,
                            "SELECT a.code FROM area AS a JOIN programme_area AS pa "
                            "ON pa.area_code = a.parent_code WHERE pa.programme_id = ?1 AND "
                            "a.level = 'desa' UNION SELECT area_code FROM programme_area "
                            "WHERE programme_id = ?1 AND length (area_code) > 8 ORDER BY 1",
                            error);
  if (desa == NULL)
    return FALSE;
  sqlite3_bind_int64 (desa, 1, p->id);
  while ((rc = sqlite3_step (desa)) == SQLITE_ROW)
    add_desa (self, (const char *) sqlite3_column_text (desa, 0));
  if (!step_error (store, rc, error, "Loading the programme's desa"))
    return FALSE;

  names = geo_store_prepare (store,
                             "SELECT code, name FROM area WHERE level IN ('kecamatan', 'desa')",
                             error);
  if (names == NULL)
    return FALSE;
  while ((rc = sqlite3_step (names)) == SQLITE_ROW)
    g_hash_table_insert (self->names,
                         g_strdup ((const char *) sqlite3_column_text (names, 0)),
                         g_strdup ((const char *) sqlite3_column_text (names, 1)));
  return step_error (store, rc, error, "Loading area names");
}

/* The window of a desa: its own dates, else its kecamatan's, else the phase's, else the
 * programme's. */
static void
set_windows (GeoCoverage *self, const GeoProgramme *p)
{
  for (guint i = 0; i < self->desas->len; i++)
    {
      Desa                   *d = self->desas->pdata[i];
      const GeoProgrammeArea *own = NULL, *kec = NULL;
      const char             *start = NULL, *end = NULL;
      int                     phase = 0;

      for (guint j = 0; j < p->areas->len; j++)
        {
          const GeoProgrammeArea *a = p->areas->pdata[j];

          if (strcmp (a->code, d->code) == 0)
            own = a;
          else if (strcmp (a->code, d->kecamatan) == 0)
            kec = a;
        }
      if (own != NULL)
        {
          start = own->start_date;
          end = own->end_date;
          phase = own->phase;
          d->target_count = own->target_count;
        }
      if (kec != NULL)
        {
          start = start != NULL ? start : kec->start_date;
          end = end != NULL ? end : kec->end_date;
          phase = phase > 0 ? phase : kec->phase;
        }
      for (guint j = 0; j < p->phases->len && phase > 0; j++)
        {
          const GeoProgrammePhase *ph = p->phases->pdata[j];

          if (ph->seq == phase)
            {
              start = start != NULL ? start : ph->start_date;
              end = end != NULL ? end : ph->end_date;
            }
        }
      start = start != NULL ? start : p->start_date;
      end = end != NULL ? end : p->end_date;
      d->start = date_int (start);
      d->end = date_int (end);
      g_free (d->name);
      d->name = g_strdup (g_hash_table_lookup (self->names, d->code));
    }
}

/**
 * geo_coverage_load:
 *
 * Loads a programme's coverage data: the targets (listed persons, and every person of a desa
 * with a target count, restricted to the programme's category), their families' visits and
 * member presence codes, their memberships' status histories and their NIK histories.
 */
GeoCoverage *
geo_coverage_load (GeoStore *store, gint64 programme_id, GCancellable *cancellable, GError **error)
{
  g_autoptr(GeoCoverage) self = g_new0 (GeoCoverage, 1);
  g_autoptr(GeoProgramme) p = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) person_index = NULL; /* id -> index + 1 */
  sqlite3 *db;
  int      rc;
  guint    fam_start;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);

  p = geo_programme_load (store, programme_id, error);
  if (p == NULL)
    return NULL;
  db = geo_store_get_db (store);
  self->desas = g_ptr_array_new_with_free_func ((GDestroyNotify) desa_free);
  self->desa_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->persons = g_array_new (FALSE, TRUE, sizeof (Person));
  self->visits = g_array_new (FALSE, TRUE, sizeof (Visit));
  self->gone = g_array_new (FALSE, TRUE, sizeof (Gone));
  self->memberships = g_array_new (FALSE, TRUE, sizeof (Membership));
  self->changes = g_array_new (FALSE, TRUE, sizeof (Change));
  self->nik = g_array_new (FALSE, TRUE, sizeof (NikChange));
  person_index = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (!load_areas (self, store, p, error))
    return NULL;

  /* The target persons, in a temporary table the next statements join. */
  if (sqlite3_exec (db,
                    "CREATE TEMP TABLE IF NOT EXISTS coverage_person "
                    "(person_id INTEGER PRIMARY KEY, explicit INTEGER NOT NULL); "
                    "DELETE FROM temp.coverage_person",
                    NULL,
                    NULL,
                    NULL) != SQLITE_OK)
    {
      geo_store_set_error (store, error, "Preparing the coverage");
      return NULL;
    }
  stmt = geo_store_prepare (store,
                            "INSERT INTO temp.coverage_person SELECT person_id, 1 "
                            "FROM programme_target WHERE programme_id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, programme_id);
  if (!step_error (store, sqlite3_step (stmt), error, "Loading the programme's targets"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = geo_store_prepare (store,
                            "INSERT OR IGNORE INTO temp.coverage_person SELECT p.id, 0 "
                            "FROM programme_area AS pa JOIN family AS f ON f.desa_code = "
                            "pa.area_code JOIN person AS p ON p.family_id = f.id "
                            "WHERE pa.programme_id = ?1 AND pa.target_count IS NOT NULL AND "
                            "(?2 IS NULL OR EXISTS (SELECT 1 FROM membership AS m WHERE "
                            "m.person_id = p.id AND m.category = ?2))",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, programme_id);
  if (p->category > 0)
    sqlite3_bind_int (stmt, 2, p->category);
  if (!step_error (store, sqlite3_step (stmt), error, "Loading the desa's persons"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  stmt = geo_store_prepare (store,
                            "SELECT c.person_id, c.explicit, p.family_id, f.desa_code, "
                            "p.nik IS NOT NULL FROM temp.coverage_person AS c "
                            "JOIN person AS p ON p.id = c.person_id "
                            "JOIN family AS f ON f.id = p.family_id "
                            "ORDER BY p.family_id, c.person_id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Person      pr = { 0 };
      const char *desa = (const char *) sqlite3_column_text (stmt, 3);

      pr.id = sqlite3_column_int64 (stmt, 0);
      pr.explicit_ = sqlite3_column_int (stmt, 1);
      pr.family_id = sqlite3_column_int64 (stmt, 2);
      pr.desa = desa != NULL ? add_desa (self, desa) : G_MAXUINT;
      pr.nik_now = sqlite3_column_int (stmt, 4);
      g_array_append_val (self->persons, pr);
    }
  if (!step_error (store, rc, error, "Loading the target persons"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);
  for (guint i = 0; i < self->persons->len; i++)
    g_hash_table_insert (person_index,
                         &g_array_index (self->persons, Person, i).id,
                         GUINT_TO_POINTER (i + 1));
  set_windows (self, p);

  /* Visits of the targets' families, merged with the persons (both sorted by family). */
  stmt = geo_store_prepare (store,
                            "SELECT v.family_id, v.id, v.visit_date, v.outcome FROM visit AS v "
                            "WHERE v.family_id IN (SELECT p.family_id FROM temp.coverage_person "
                            "AS c JOIN person AS p ON p.id = c.person_id) "
                            "ORDER BY v.family_id, v.visit_date, v.id",
                            error);
  if (stmt == NULL)
    return NULL;
  fam_start = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 family = sqlite3_column_int64 (stmt, 0);
      Visit  v = { .id = sqlite3_column_int64 (stmt, 1),
                   .date = date_int ((const char *) sqlite3_column_text (stmt, 2)),
                   .outcome = (guint8) sqlite3_column_int (stmt, 3) };

      while (fam_start < self->persons->len &&
             g_array_index (self->persons, Person, fam_start).family_id < family)
        fam_start++;
      for (guint i = fam_start;
           i < self->persons->len && g_array_index (self->persons, Person, i).family_id == family;
           i++)
        {
          Person *pr = &g_array_index (self->persons, Person, i);

          if (pr->n_visits == 0)
            pr->first_visit = self->visits->len;
          pr->n_visits++;
        }
      g_array_append_val (self->visits, v);
    }
  if (!step_error (store, rc, error, "Loading the visits"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Per-person sorted data: member presence codes, memberships, NIK history. Each query is
   * ordered by person id; rows are grouped per person through the index. */
  stmt = geo_store_prepare (store,
                            "SELECT vm.person_id, vm.visit_id, vm.code FROM visit_member AS vm "
                            "JOIN temp.coverage_person AS c ON c.person_id = vm.person_id "
                            "WHERE vm.code != 1 ORDER BY vm.person_id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64  id = sqlite3_column_int64 (stmt, 0);
      guint   i = GPOINTER_TO_UINT (g_hash_table_lookup (person_index, &id));
      Person *pr = &g_array_index (self->persons, Person, i - 1);
      Gone    g = { .visit_id = sqlite3_column_int64 (stmt, 1),
                    .code = (guint8) sqlite3_column_int (stmt, 2) };

      if (pr->n_gone == 0)
        pr->first_gone = self->gone->len;
      pr->n_gone++;
      g_array_append_val (self->gone, g);
    }
  if (!step_error (store, rc, error, "Loading the member presence codes"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Memberships (of the programme's category) with their status history. */
  stmt =
      geo_store_prepare (store,
                         "SELECT m.person_id, m.id, m.status, m.since, h.effective_date, "
                         "h.from_status, "
                         "h.to_status FROM membership AS m JOIN temp.coverage_person AS c ON "
                         "c.person_id = "
                         "m.person_id LEFT JOIN membership_history AS h ON h.membership_id = m.id "
                         "WHERE (?1 IS NULL OR m.category = ?1) ORDER BY m.person_id, m.id, "
                         "h.effective_date, h.id",
                         error);
  if (stmt == NULL)
    return NULL;
  if (p->category > 0)
    sqlite3_bind_int (stmt, 1, p->category);
  {
    gint64 last_membership = 0;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64  id = sqlite3_column_int64 (stmt, 0);
        gint64  mid = sqlite3_column_int64 (stmt, 1);
        guint   i = GPOINTER_TO_UINT (g_hash_table_lookup (person_index, &id));
        Person *pr = &g_array_index (self->persons, Person, i - 1);

        if (mid != last_membership)
          {
            Membership m = {
              .status = state_code ((const char *) sqlite3_column_text (stmt, 2)),
              .since = date_int ((const char *) sqlite3_column_text (stmt, 3)),
              .first_change = self->changes->len,
            };

            if (pr->n_memberships == 0)
              pr->first_membership = self->memberships->len;
            pr->n_memberships++;
            g_array_append_val (self->memberships, m);
            last_membership = mid;
          }
        if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
          {
            Change c = { .date = date_int ((const char *) sqlite3_column_text (stmt, 4)),
                         .from = state_code ((const char *) sqlite3_column_text (stmt, 5)),
                         .to = state_code ((const char *) sqlite3_column_text (stmt, 6)) };

            g_array_append_val (self->changes, c);
            g_array_index (self->memberships, Membership, self->memberships->len - 1).n_changes++;
          }
      }
  }
  if (!step_error (store, rc, error, "Loading the status histories"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt =
      geo_store_prepare (store,
                         "SELECT n.person_id, n.recorded_on, n.has_nik FROM "
                         "person_nik_history AS n JOIN temp.coverage_person AS c "
                         "ON c.person_id = n.person_id ORDER BY n.person_id, n.recorded_on, n.id",
                         error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64    id = sqlite3_column_int64 (stmt, 0);
      guint     i = GPOINTER_TO_UINT (g_hash_table_lookup (person_index, &id));
      Person   *pr = &g_array_index (self->persons, Person, i - 1);
      NikChange n = { .date = date_int ((const char *) sqlite3_column_text (stmt, 1)),
                      .has_nik = sqlite3_column_int (stmt, 2) };

      if (pr->n_nik == 0)
        pr->first_nik = self->nik->len;
      pr->n_nik++;
      g_array_append_val (self->nik, n);
    }
  if (!step_error (store, rc, error, "Loading the NIK histories"))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (db, "DROP TABLE IF EXISTS temp.coverage_person", NULL, NULL, NULL);
  return g_steal_pointer (&self);
}

guint
geo_coverage_get_n_persons (GeoCoverage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->persons->len;
}

/**
 * geo_coverage_get_date_range:
 * @first: (out): the earliest window start or visit date
 * @last: (out): the latest visit, status or NIK change date (at least @first)
 *
 * The dates a progress chart spans. Returns FALSE when the programme has no dates at all.
 */
gboolean
geo_coverage_get_date_range (GeoCoverage *self, char **first, char **last)
{
  int lo = G_MAXINT, hi = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->desas->len; i++)
    {
      const Desa *d = self->desas->pdata[i];

      if (d->start > 0)
        lo = MIN (lo, d->start);
    }
  for (guint i = 0; i < self->visits->len; i++)
    {
      int d = g_array_index (self->visits, Visit, i).date;

      lo = MIN (lo, d);
      hi = MAX (hi, d);
    }
  for (guint i = 0; i < self->changes->len; i++)
    hi = MAX (hi, g_array_index (self->changes, Change, i).date);
  for (guint i = 0; i < self->nik->len; i++)
    hi = MAX (hi, g_array_index (self->nik, NikChange, i).date);
  if (lo == G_MAXINT)
    return FALSE;
  hi = MAX (hi, lo);
  *first = date_str (lo);
  *last = date_str (hi);
  return TRUE;
}

/* The status of a membership on date @at: the last change on or before it, else the state
 * before the first change, else (no history) the current one from its since date. */
static guint8
status_at (GeoCoverage *self, const Membership *m, int at)
{
  const Change *c = &g_array_index (self->changes, Change, m->first_change);
  guint8        s;

  if (m->n_changes == 0)
    return m->since <= at ? m->status : 0;
  s = c[0].from;
  for (guint i = 0; i < m->n_changes && c[i].date <= at; i++)
    s = c[i].to;
  return s;
}

static gboolean
nik_at (GeoCoverage *self, const Person *pr, int at)
{
  const NikChange *n = &g_array_index (self->nik, NikChange, pr->first_nik);
  gboolean         has;

  if (pr->n_nik == 0)
    return pr->nik_now;
  has = !n[0].has_nik;
  for (guint i = 0; i < pr->n_nik && n[i].date <= at; i++)
    has = n[i].has_nik;
  return has;
}

typedef struct
{
  gboolean visited;
  gboolean found;
  int      last_outcome;
} PersonState;

static void
person_state (GeoCoverage *self, const Person *pr, const Desa *d, int at, PersonState *out)
{
  const Visit *v = &g_array_index (self->visits, Visit, pr->first_visit);
  const Gone  *g = &g_array_index (self->gone, Gone, pr->first_gone);
  int          start = d != NULL ? d->start : 0;
  int          end = d != NULL && d->end > 0 ? MIN (d->end, at) : at;

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < pr->n_visits; i++)
    {
      gboolean gone = FALSE;

      if (v[i].date < start)
        continue;
      if (v[i].date > end)
        break;
      out->visited = TRUE;
      out->last_outcome = v[i].outcome;
      for (guint j = 0; j < pr->n_gone; j++)
        gone |= g[j].visit_id == v[i].id;
      if (v[i].outcome == GEO_VISIT_FOUND && !gone)
        out->found = TRUE;
    }
}

static gboolean
check_at (const char *at, int *out, GError **error)
{
  if (at == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      *out = g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100 +
             g_date_time_get_day_of_month (now);
      return TRUE;
    }
  *out = date_int (at);
  if (*out == 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Not a date (YYYY-MM-DD): %s", at);
      return FALSE;
    }
  return TRUE;
}

static gboolean
inside (const char *code, const char *within)
{
  return within == NULL || g_str_has_prefix (code, within);
}

static int
row_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(GeoCoverageRow **) a)->code, (*(GeoCoverageRow **) b)->code);
}

/**
 * geo_coverage_compute:
 * @at: (nullable): YYYY-MM-DD; NULL for today
 * @within: (nullable): only areas whose code starts with this (a kecamatan code)
 *
 * Coverage per desa or per kecamatan on date @at, as it was then: visits dated on or before @at
 * (inside each desa's window), statuses and NIKs from their histories. Rows sorted by code;
 * persons whose family has no desa code are left out. Returns a #GPtrArray of #GeoCoverageRow.
 */
GPtrArray *
geo_coverage_compute (
    GeoCoverage *self, const char *at, GeoCoverageLevel by, const char *within, GError **error)
{
  g_autoptr(GPtrArray) desa_rows = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int date;

  g_return_val_if_fail (self != NULL, NULL);

  if (!check_at (at, &date, error))
    return NULL;
  desa_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_coverage_row_free);
  for (guint i = 0; i < self->desas->len; i++)
    {
      const Desa     *d = self->desas->pdata[i];
      GeoCoverageRow *r = g_new0 (GeoCoverageRow, 1);

      r->code = g_strdup (d->code);
      r->name = g_strdup (d->name);
      r->kecamatan_code = g_strdup (d->kecamatan);
      r->count_target = d->target_count >= 0;
      r->targets = MAX (d->target_count, 0);
      g_ptr_array_add (desa_rows, r);
    }
  for (guint i = 0; i < self->persons->len; i++)
    {
      const Person   *pr = &g_array_index (self->persons, Person, i);
      const Desa     *d;
      GeoCoverageRow *r;
      PersonState     st;
      gboolean        verified = FALSE;

      if (pr->desa == G_MAXUINT)
        continue;
      d = self->desas->pdata[pr->desa];
      r = desa_rows->pdata[pr->desa];
      if (!r->count_target && !pr->explicit_)
        continue;
      person_state (self, pr, d, date, &st);
      /* A desa with a target count counts the persons reached; listed persons count always. */
      if (r->count_target && !st.visited)
        continue;
      if (!r->count_target)
        r->targets++;
      r->visited += st.visited;
      r->found += st.found;
      r->not_reachable +=
          st.visited && !st.found &&
          (st.last_outcome == GEO_VISIT_NOT_REACHABLE || st.last_outcome == GEO_VISIT_NOT_AT_HOME);
      r->nik_recorded += nik_at (self, pr, date);
      for (guint j = 0; j < pr->n_memberships && !verified; j++)
        {
          guint8 s =
              status_at (self,
                         &g_array_index (self->memberships, Membership, pr->first_membership + j),
                         date);

          verified = s == GEO_STATE_VERIFIKASI + 1 || s == GEO_STATE_DISETUJUI + 1 ||
                     s == GEO_STATE_PADAN + 1;
        }
      r->verified += verified;
    }

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_coverage_row_free);
  if (by == GEO_COVERAGE_BY_DESA)
    {
      for (guint i = 0; i < desa_rows->len; i++)
        if (inside (((GeoCoverageRow *) desa_rows->pdata[i])->code, within))
          g_ptr_array_add (out, g_steal_pointer (&desa_rows->pdata[i]));
    }
  else
    {
      g_autoptr(GHashTable) kec = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < desa_rows->len; i++)
        {
          const GeoCoverageRow *r = desa_rows->pdata[i];
          GeoCoverageRow       *k;

          if (!inside (r->code, within))
            continue;
          k = g_hash_table_lookup (kec, r->kecamatan_code);
          if (k == NULL)
            {
              k = g_new0 (GeoCoverageRow, 1);
              k->code = g_strdup (r->kecamatan_code);
              k->kecamatan_code = g_strdup (r->kecamatan_code);
              k->name = g_strdup (g_hash_table_lookup (self->names, k->code));
              g_hash_table_insert (kec, k->code, k);
              g_ptr_array_add (out, k);
            }
          k->count_target |= r->count_target;
          k->targets += r->targets;
          k->visited += r->visited;
          k->found += r->found;
          k->nik_recorded += r->nik_recorded;
          k->verified += r->verified;
          k->not_reachable += r->not_reachable;
        }
    }
  g_ptr_array_sort (out, row_cmp);
  return g_steal_pointer (&out);
}

static int
remaining_cmp (gconstpointer a, gconstpointer b)
{
  const GeoCoverageRemaining *x = a, *y = b;
  int                         c = strcmp (x->desa_code, y->desa_code);

  return c != 0 ? c : (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

/**
 * geo_coverage_remaining:
 * @within: (nullable): only desa whose code starts with this
 *
 * The listed target persons (of desa without a target count) not found on date @at, by desa
 * then person id. Returns a #GArray of #GeoCoverageRemaining.
 */
GArray *
geo_coverage_remaining (GeoCoverage *self, const char *at, const char *within, GError **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (GeoCoverageRemaining));
  int date;

  g_return_val_if_fail (self != NULL, NULL);

  if (!check_at (at, &date, error))
    return NULL;
  for (guint i = 0; i < self->persons->len; i++)
    {
      const Person        *pr = &g_array_index (self->persons, Person, i);
      const Desa          *d;
      PersonState          st;
      GeoCoverageRemaining rem;

      if (!pr->explicit_ || pr->desa == G_MAXUINT)
        continue;
      d = self->desas->pdata[pr->desa];
      if (d->target_count >= 0 || !inside (d->code, within))
        continue;
      person_state (self, pr, d, date, &st);
      if (st.found)
        continue;
      rem.person_id = pr->id;
      rem.family_id = pr->family_id;
      rem.desa_code = d->code;
      rem.last_outcome = st.last_outcome;
      g_array_append_val (out, rem);
    }
  g_array_sort (out, remaining_cmp);
  return g_steal_pointer (&out);
}
