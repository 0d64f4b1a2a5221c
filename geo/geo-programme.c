#include "config.h"

#include "geo-programme.h"

#include <string.h>

#include "geo-audit.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-operator.h"
#include "geo-store-private.h"
#include "geo-workflow.h"

/* Programmes: a rollout campaign with phases, target areas and target persons
 * (data/schema/0005-programmes.sql, docs/coverage.md). */

gboolean
geo_is_iso_date (const char *s)
{
  int  y, m, d;
  char tail;

  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-' ||
      sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

static void
phase_free (GeoProgrammePhase *p)
{
  g_free (p->name);
  g_free (p->start_date);
  g_free (p->end_date);
  g_free (p);
}

static void
area_free (GeoProgrammeArea *a)
{
  g_free (a->code);
  g_free (a->name);
  g_free (a->level);
  g_free (a->start_date);
  g_free (a->end_date);
  g_free (a);
}

void
geo_programme_free (GeoProgramme *programme)
{
  if (programme == NULL)
    return;
  g_free (programme->name);
  g_free (programme->start_date);
  g_free (programme->end_date);
  g_clear_pointer (&programme->phases, g_ptr_array_unref);
  g_clear_pointer (&programme->areas, g_ptr_array_unref);
  g_free (programme);
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);

  return s != NULL ? g_strdup (s) : NULL;
}

/* Planners and administrators edit programmes; scoped operators only read them. */
static gboolean
check_editor (GeoStore *store, GError **error)
{
  const GeoOperator *op = geo_operator_current (store);

  if (op != NULL && op->role < GEO_ROLE_PLANNER)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Operator “%s” (%s) may not edit programmes: planners and administrators do",
                   op->name,
                   geo_role_to_string (op->role));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_dates (const char *start, const char *end, GError **error)
{
  if (start != NULL && !geo_is_iso_date (start))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Not a date (YYYY-MM-DD): %s", start);
      return FALSE;
    }
  if (end != NULL && !geo_is_iso_date (end))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Not a date (YYYY-MM-DD): %s", end);
      return FALSE;
    }
  if (start != NULL && end != NULL && strcmp (end, start) < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The end date %s is before the start date %s",
                   end,
                   start);
      return FALSE;
    }
  return TRUE;
}

/**
 * geo_programme_create:
 * @category: PMKS category served (1-26), 0 for any
 * @start_date: (nullable): YYYY-MM-DD
 * @end_date: (nullable): YYYY-MM-DD
 *
 * Creates a programme (audited). Returns its id, 0 on error (a name in use, bad dates).
 */
gint64
geo_programme_create (GeoStore   *store,
                      const char *name,
                      int         category,
                      const char *start_date,
                      const char *end_date,
                      GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), 0);

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*trimmed == '\0')
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "A programme needs a name");
      return 0;
    }
  if (category < 0 || category > GEO_PMKS_N_CATEGORIES)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Unknown PMKS category %d", category);
      return 0;
    }
  if (!check_editor (store, error) || !check_dates (start_date, end_date, error))
    return 0;
  stmt = geo_store_prepare (store,
                            "INSERT INTO programme (name, category, start_date, end_date) "
                            "VALUES (?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_STATIC);
  if (category > 0)
    sqlite3_bind_int (stmt, 2, category);
  sqlite3_bind_text (stmt, 3, start_date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, end_date, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (geo_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_INVALID,
                     "A programme named “%s” already exists",
                     trimmed);
      else
        geo_store_set_error (store, error, "Creating a programme");
      return 0;
    }
  return sqlite3_last_insert_rowid (geo_store_get_db (store));
}

/**
 * geo_programme_lookup:
 * @name_or_id: the programme's name (exact, then case-insensitive) or its id
 *
 * Finds a programme; %GEO_ERROR_NOT_FOUND names the known ones when there is none.
 */
gboolean
geo_programme_lookup (GeoStore *store, const char *name_or_id, gint64 *id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (name_or_id != NULL, FALSE);

  stmt = geo_store_prepare (store,
                            "SELECT id FROM programme WHERE name = ?1 OR CAST (id AS TEXT) = ?1 "
                            "OR lower (name) = lower (?1) "
                            "ORDER BY name = ?1 DESC, CAST (id AS TEXT) = ?1 DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name_or_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  all = geo_programme_list (store, NULL);
  for (guint i = 0; all != NULL && i < all->len; i++)
    g_string_append_printf (names,
                            "%s“%s”",
                            i > 0 ? ", " : "",
                            ((GeoProgramme *) all->pdata[i])->name);
  g_set_error (error,
               GEO_ERROR,
               GEO_ERROR_NOT_FOUND,
               "No programme “%s” (known: %s)",
               name_or_id,
               names->len > 0 ? names->str : "none");
  return FALSE;
}

static GeoProgramme *
programme_from_row (sqlite3_stmt *stmt)
{
  GeoProgramme *p = g_new0 (GeoProgramme, 1);

  p->id = sqlite3_column_int64 (stmt, 0);
  p->name = column_dup (stmt, 1);
  p->category = sqlite3_column_int (stmt, 2);
  p->start_date = column_dup (stmt, 3);
  p->end_date = column_dup (stmt, 4);
  p->n_targets = sqlite3_column_int64 (stmt, 5);
  p->phases = g_ptr_array_new_with_free_func ((GDestroyNotify) phase_free);
  p->areas = g_ptr_array_new_with_free_func ((GDestroyNotify) area_free);
  return p;
}

#define PROGRAMME_SQL                                                                              \
  "SELECT id, name, coalesce (category, 0), start_date, end_date, "                                \
  "(SELECT count(*) FROM programme_target AS t WHERE t.programme_id = programme.id) "              \
  "FROM programme "

/**
 * geo_programme_list:
 *
 * Every programme (without phases and areas), by name. Returns a #GPtrArray of #GeoProgramme.
 */
GPtrArray *
geo_programme_list (GeoStore *store, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_programme_free);
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);

  stmt = geo_store_prepare (store, PROGRAMME_SQL "ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, programme_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Listing programmes");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * geo_programme_load:
 *
 * A programme with its phases (by seq) and areas (by code).
 */
GeoProgramme *
geo_programme_load (GeoStore *store, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) phases = NULL;
  g_autoptr(sqlite3_stmt) areas = NULL;
  g_autoptr(GeoProgramme) p = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);

  stmt = geo_store_prepare (store, PROGRAMME_SQL "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No programme with id %" G_GINT64_FORMAT,
                   id);
      return NULL;
    }
  p = programme_from_row (stmt);

  phases = geo_store_prepare (store,
                              "SELECT seq, name, start_date, end_date FROM programme_phase "
                              "WHERE programme_id = ? ORDER BY seq",
                              error);
  if (phases == NULL)
    return NULL;
  sqlite3_bind_int64 (phases, 1, id);
  while ((rc = sqlite3_step (phases)) == SQLITE_ROW)
    {
      GeoProgrammePhase *ph = g_new0 (GeoProgrammePhase, 1);

      ph->seq = sqlite3_column_int (phases, 0);
      ph->name = column_dup (phases, 1);
      ph->start_date = column_dup (phases, 2);
      ph->end_date = column_dup (phases, 3);
      g_ptr_array_add (p->phases, ph);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading a programme's phases");
      return NULL;
    }

  areas =
      geo_store_prepare (store,
                         "SELECT pa.area_code, a.name, coalesce (a.level, CASE WHEN "
                         "length (pa.area_code) > 8 THEN 'desa' ELSE 'kecamatan' END), "
                         "coalesce (pa.phase, 0), pa.start_date, pa.end_date, "
                         "coalesce (pa.target_count, -1) "
                         "FROM programme_area AS pa LEFT JOIN area AS a ON a.code = pa.area_code "
                         "WHERE pa.programme_id = ? ORDER BY pa.area_code",
                         error);
  if (areas == NULL)
    return NULL;
  sqlite3_bind_int64 (areas, 1, id);
  while ((rc = sqlite3_step (areas)) == SQLITE_ROW)
    {
      GeoProgrammeArea *a = g_new0 (GeoProgrammeArea, 1);

      a->code = column_dup (areas, 0);
      a->name = column_dup (areas, 1);
      a->level = column_dup (areas, 2);
      a->phase = sqlite3_column_int (areas, 3);
      a->start_date = column_dup (areas, 4);
      a->end_date = column_dup (areas, 5);
      a->target_count = sqlite3_column_int64 (areas, 6);
      g_ptr_array_add (p->areas, a);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading a programme's areas");
      return NULL;
    }
  return g_steal_pointer (&p);
}

/**
 * geo_programme_add_phase:
 * @seq: (out) (optional): the new phase's number (1 for the first)
 *
 * Appends a phase (audited). Phases are numbered in the order they are added.
 */
gboolean
geo_programme_add_phase (GeoStore   *store,
                         gint64      id,
                         const char *name,
                         const char *start_date,
                         const char *end_date,
                         int        *seq,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "A phase needs a name");
      return FALSE;
    }
  if (start_date == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Phase “%s” needs a start date", name);
      return FALSE;
    }
  if (!check_editor (store, error) || !check_dates (start_date, end_date, error))
    return FALSE;
  stmt = geo_store_prepare (store,
                            "INSERT INTO programme_phase (programme_id, seq, name, start_date, "
                            "end_date) SELECT ?1, coalesce (max (seq), 0) + 1, ?2, ?3, ?4 "
                            "FROM programme_phase WHERE programme_id = ?1 RETURNING seq",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, start_date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, end_date, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (sqlite3_extended_errcode (geo_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_INVALID,
                     "The programme already has a phase “%s”",
                     name);
      else
        geo_store_set_error (store, error, "Adding a phase");
      return FALSE;
    }
  if (seq != NULL)
    *seq = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* A kecamatan code PP.KK.CC or a desa code PP.KK.CC.DDDD. */
static gboolean
area_code_level (const char *code, gboolean *is_desa)
{
  static const char shape[] = "99.99.99.9999";
  gsize             n = strlen (code);

  if (n != 8 && n != 13)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (shape[i] == '.' ? code[i] != '.' : !g_ascii_isdigit (code[i]))
      return FALSE;
  *is_desa = n == 13;
  return TRUE;
}

/**
 * geo_programme_add_area:
 * @code: a kecamatan (PP.KK.CC) or desa (PP.KK.CC.DDDD) code
 * @phase: (nullable): a phase name or number
 * @target_count: persons to reach in a desa, -1 for none (the desa's targets are listed persons)
 *
 * Adds a target area, or changes it when the programme has it already (audited either way).
 */
gboolean
geo_programme_add_area (GeoStore   *store,
                        gint64      id,
                        const char *code,
                        const char *phase,
                        const char *start_date,
                        const char *end_date,
                        gint64      target_count,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean is_desa = FALSE;
  int      phase_seq = 0;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);

  if (code == NULL || !area_code_level (code, &is_desa))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Not a kecamatan or desa code (PP.KK.CC or PP.KK.CC.DDDD): %s",
                   code != NULL ? code : "(none)");
      return FALSE;
    }
  if (target_count >= 0 && !is_desa)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s is a kecamatan: a target count is given per desa",
                   code);
      return FALSE;
    }
  if (!check_editor (store, error) || !check_dates (start_date, end_date, error))
    return FALSE;
  if (phase != NULL)
    {
      g_autoptr(sqlite3_stmt) find =
              geo_store_prepare (store,
                                 "SELECT seq FROM programme_phase WHERE programme_id = ?1 AND "
                                 "(name = ?2 OR CAST (seq AS TEXT) = ?2)",
                                 error);

      if (find == NULL)
        return FALSE;
      sqlite3_bind_int64 (find, 1, id);
      sqlite3_bind_text (find, 2, phase, -1, SQLITE_STATIC);
      if (sqlite3_step (find) != SQLITE_ROW)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_NOT_FOUND,
                       "The programme has no phase “%s” (add it with programme add-phase)",
                       phase);
          return FALSE;
        }
      phase_seq = sqlite3_column_int (find, 0);
    }
  stmt = geo_store_prepare (store,
                            "INSERT INTO programme_area (programme_id, area_code, phase, "
                            "start_date, end_date, target_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                            "ON CONFLICT (programme_id, area_code) DO UPDATE SET "
                            "phase = coalesce (?3, phase), start_date = coalesce (?4, start_date), "
                            "end_date = coalesce (?5, end_date), "
                            "target_count = coalesce (?6, target_count)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
  if (phase_seq > 0)
    sqlite3_bind_int (stmt, 3, phase_seq);
  sqlite3_bind_text (stmt, 4, start_date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, end_date, -1, SQLITE_STATIC);
  if (target_count >= 0)
    sqlite3_bind_int64 (stmt, 6, target_count);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (geo_store_get_db (store)) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_NOT_FOUND,
                     "No programme with id %" G_GINT64_FORMAT,
                     id);
      else
        geo_store_set_error (store, error, "Adding a programme area");
      return FALSE;
    }
  return TRUE;
}

/**
 * geo_programme_add_targets:
 * @filter: the persons to add (geo_selection_load())
 * @filter_text: (nullable): the filter as the user gave it, for the audit entry
 * @n_added: (out) (optional): persons added (those already listed are not counted)
 *
 * Adds the selected persons as explicit targets, in one transaction with one summary audit
 * entry (programme_target, the programme id, the filter and the count).
 */
gboolean
geo_programme_add_targets (GeoStore        *store,
                           gint64           id,
                           const GeoFilter *filter,
                           const char      *filter_text,
                           guint           *n_added,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *note = NULL;
  sqlite3         *db;
  guint            added = 0;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);

  if (!check_editor (store, error))
    return FALSE;
  exists = geo_store_prepare (store, "SELECT 1 FROM programme WHERE id = ?", error);
  if (exists == NULL)
    return FALSE;
  sqlite3_bind_int64 (exists, 1, id);
  if (sqlite3_step (exists) != SQLITE_ROW)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No programme with id %" G_GINT64_FORMAT,
                   id);
      return FALSE;
    }
  sel = geo_selection_load (store, filter, cancellable, error);
  if (sel == NULL)
    return FALSE;
  db = geo_store_get_db (store);
  if (!geo_workflow_savepoint (store, "add_targets", error))
    return FALSE;
  insert = geo_store_prepare (store,
                              "INSERT OR IGNORE INTO programme_target (programme_id, person_id) "
                              "VALUES (?, ?)",
                              error);
  if (insert == NULL)
    goto fail;
  for (guint i = 0; i < sel->n_persons; i++)
    {
      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_int64 (insert, 2, sel->person_id[i]);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          geo_store_set_error (store, error, "Adding programme targets");
          goto fail;
        }
      added += sqlite3_changes (db);
      if ((i & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
    }
  note = g_strdup_printf ("{\"filter\": \"%s\", \"added\": %u, \"selected\": %u}",
                          filter_text != NULL ? filter_text : "",
                          added,
                          sel->n_persons);
  if (filter_text != NULL && (strchr (filter_text, '"') != NULL || strchr (filter_text, '\\')))
    {
      g_free (note);
      note = g_strdup_printf ("{\"added\": %u, \"selected\": %u}", added, sel->n_persons);
    }
  if (!geo_audit_note (store, "programme_target", id, "bulk", "person_id", NULL, note, error))
    goto fail;
  if (!geo_workflow_release (store, "add_targets", error))
    goto fail;
  if (n_added != NULL)
    *n_added = added;
  return TRUE;

fail:
  geo_workflow_rollback_to (store, "add_targets");
  return FALSE;
}
