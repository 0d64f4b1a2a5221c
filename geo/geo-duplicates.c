#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "geo-audit.h"
#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-duplicates.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "geo-workflow.h"

const char *
geo_duplicate_kind_to_string (GeoDuplicateKind kind)
{
  switch (kind)
    {
    case GEO_DUPLICATE_NIK:
      return "nik";
    case GEO_DUPLICATE_TWO_FAMILIES:
      return "two-families";
    case GEO_DUPLICATE_SAME_FAMILY:
      return "same-family";
    case GEO_DUPLICATE_PROBABLE:
      return "probable";
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
dup_person_free (GeoDuplicatePerson *p)
{
  g_free (p->nik);
  g_free (p->name);
  g_free (p->birth_date);
  g_free (p->desa_code);
  g_free (p);
}

void
geo_duplicate_group_free (GeoDuplicateGroup *group)
{
  if (group == NULL)
    return;
  g_ptr_array_unref (group->persons);
  g_free (group);
}

/**
 * geo_jaro_winkler:
 *
 * Jaro-Winkler similarity (0-1) of two byte strings (normalised ASCII names), prefix scale 0.1
 * over at most 4 characters.
 */
double
geo_jaro_winkler (const char *a, const char *b)
{
  size_t               la = strlen (a), lb = strlen (b);
  size_t               window, matches = 0, transpositions = 0, prefix = 0;
  g_autofree gboolean *ma = NULL;
  g_autofree gboolean *mb = NULL;
  double               jaro;

  if (la == 0 && lb == 0)
    return 1.0;
  if (la == 0 || lb == 0)
    return 0.0;
  window = MAX (la, lb) / 2;
  window = window > 0 ? window - 1 : 0;
  ma = g_new0 (gboolean, la);
  mb = g_new0 (gboolean, lb);
  for (size_t i = 0; i < la; i++)
    {
      size_t lo = i > window ? i - window : 0;
      size_t hi = MIN (i + window + 1, lb);

      for (size_t j = lo; j < hi; j++)
        if (!mb[j] && a[i] == b[j])
          {
            ma[i] = mb[j] = TRUE;
            matches++;
            break;
          }
    }
  if (matches == 0)
    return 0.0;
  for (size_t i = 0, j = 0; i < la; i++)
    if (ma[i])
      {
        while (!mb[j])
          j++;
        if (a[i] != b[j])
          transpositions++;
        j++;
      }
  jaro =
      ((double) matches / la + (double) matches / lb + (matches - transpositions / 2.0) / matches) /
      3.0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
    prefix++;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

/* Lower-case ASCII words without honorifics (H., Hj., Drs., ...): "Hj. SITI  Aminah" -> "siti
 * aminah". */
char *
geo_duplicates_normalize_name (const char *name)
{
  static const char *const titles[] = { "h",  "hj", "haji",     "hajjah", "drs", "dra",
                                        "dr", "ir", "almarhum", "alm",    NULL };
  g_autofree char         *norm = geo_normalize_name (name);
  g_auto(GStrv) words = g_strsplit (norm, " ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0' || g_strv_contains (titles, words[i]))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
split_date (const char *s, int *y, int *m, int *d)
{
  return s != NULL && sscanf (s, "%4d-%2d-%2d", y, m, d) == 3;
}

/* 1 same date, 0.8 day and month swapped, 0.6 one of day/month differs, 0.3 same year only, 0
 * otherwise. */
static double
date_similarity (const char *a, const char *b)
{
  int ya, ma, da, yb, mb, db;

  if (!split_date (a, &ya, &ma, &da) || !split_date (b, &yb, &mb, &db))
    return 0.0;
  if (ya != yb)
    return 0.0;
  if (ma == mb && da == db)
    return 1.0;
  if (ma == db && da == mb)
    return 0.8;
  if (ma == mb || da == db)
    return 0.6;
  return 0.3;
}

/**
 * geo_duplicates_pair_score:
 * @name_a: a normalised name (geo_duplicates_normalize_name())
 *
 * The probable-duplicate score of two persons: 0.75 x Jaro-Winkler of the names + 0.25 x the
 * birth-date similarity (1 equal, 0.8 day/month swapped, 0.6 one differs, 0.3 same year).
 */
double
geo_duplicates_pair_score (const char *name_a,
                           const char *birth_a,
                           const char *name_b,
                           const char *birth_b)
{
  return 0.75 * geo_jaro_winkler (name_a, name_b) + 0.25 * date_similarity (birth_a, birth_b);
}

typedef struct
{
  gint64 id;
  gint64 family_id;
  char  *nik;
  char  *name;
  char  *norm;
  char  *birth_date;
  char  *desa;
} Row;

typedef struct
{
  Row  *rows;
  guint n_rows;
} Rows;

static void
rows_free (Rows *r)
{
  for (guint i = 0; i < r->n_rows; i++)
    {
      g_free (r->rows[i].nik);
      g_free (r->rows[i].name);
      g_free (r->rows[i].norm);
      g_free (r->rows[i].birth_date);
      g_free (r->rows[i].desa);
    }
  g_free (r->rows);
}

static GeoDuplicatePerson *
person_from_row (const Row *r)
{
  GeoDuplicatePerson *p = g_new0 (GeoDuplicatePerson, 1);

  p->id = r->id;
  p->family_id = r->family_id;
  p->nik = g_strdup (r->nik);
  p->name = g_strdup (r->name);
  p->birth_date = g_strdup (r->birth_date);
  p->desa_code = g_strdup (r->desa);
  return p;
}

static GeoDuplicateGroup *
group_new (GeoDuplicateKind kind, double score)
{
  GeoDuplicateGroup *g = g_new0 (GeoDuplicateGroup, 1);

  g->kind = kind;
  g->score = score;
  g->persons = g_ptr_array_new_with_free_func ((GDestroyNotify) dup_person_free);
  return g;
}

static char *
nik_digits (const char *nik)
{
  GString *out = g_string_new (NULL);

  /* Letters typed for look-alike digits (O for 0, I or l for 1) count as those digits. */
  for (const char *p = nik; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
    else if (*p == 'O' || *p == 'o')
      g_string_append_c (out, '0');
    else if (*p == 'I' || *p == 'l' || *p == 'i')
      g_string_append_c (out, '1');
  return g_string_free (out, FALSE);
}

/* Same NIK once formatting (spaces, dots, dashes, O for 0, I/l for 1) is removed. Raw NIKs are
 * UNIQUE, so any such pair has at least one NIK with a non-digit: index those (few), then scan
 * every NIK once. */
static void
find_nik (Rows *r, GPtrArray *groups)
{
  g_autoptr(GHashTable) odd =
          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer       key, value;

  for (guint i = 0; i < r->n_rows; i++)
    if (r->rows[i].nik != NULL)
      for (const char *p = r->rows[i].nik; *p; p++)
        if (!g_ascii_isdigit (*p))
          {
            char   *digits = nik_digits (r->rows[i].nik);
            GArray *list = g_hash_table_lookup (odd, digits);

            if (list == NULL)
              {
                list = g_array_new (FALSE, FALSE, sizeof (guint));
                g_hash_table_insert (odd, digits, list);
              }
            else
              g_free (digits);
            g_array_append_val (list, i);
            break;
          }
  if (g_hash_table_size (odd) == 0)
    return;
  for (guint i = 0; i < r->n_rows; i++)
    {
      GArray *list;

      if (r->rows[i].nik == NULL)
        continue;
      list = g_hash_table_lookup (odd, r->rows[i].nik);
      if (list != NULL)
        g_array_append_val (list, i);
    }
  g_hash_table_iter_init (&iter, odd);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray            *list = value;
      GeoDuplicateGroup *g;

      if (list->len < 2)
        continue;
      g = group_new (GEO_DUPLICATE_NIK, 1.0);
      for (guint k = 0; k < list->len; k++)
        g_ptr_array_add (g->persons, person_from_row (&r->rows[g_array_index (list, guint, k)]));
      g_ptr_array_add (groups, g);
    }
}

static int
cmp_name_date (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const Row *rows = data;
  const Row *a = &rows[*(const guint *) pa], *b = &rows[*(const guint *) pb];
  int        c = strcmp (a->norm, b->norm);

  if (c == 0)
    c = strcmp (a->birth_date, b->birth_date);
  return c != 0 ? c : (a->id > b->id) - (a->id < b->id);
}

/* Same normalised name and birth date: in two KKs or twice in one KK. */
static void
find_exact (Rows *r, guint *idx, guint n, GPtrArray *groups)
{
  g_qsort_with_data (idx, (gint) n, sizeof (guint), cmp_name_date, r->rows);
  for (guint i = 0; i < n;)
    {
      guint              j = i + 1;
      gboolean           two_families = FALSE;
      GeoDuplicateGroup *g;

      while (j < n && strcmp (r->rows[idx[i]].norm, r->rows[idx[j]].norm) == 0 &&
             strcmp (r->rows[idx[i]].birth_date, r->rows[idx[j]].birth_date) == 0)
        j++;
      if (j - i >= 2)
        {
          for (guint k = i + 1; k < j; k++)
            two_families |= r->rows[idx[k]].family_id != r->rows[idx[i]].family_id;
          g = group_new (two_families ? GEO_DUPLICATE_TWO_FAMILIES : GEO_DUPLICATE_SAME_FAMILY,
                         1.0);
          for (guint k = i; k < j; k++)
            g_ptr_array_add (g->persons, person_from_row (&r->rows[idx[k]]));
          g_ptr_array_add (groups, g);
        }
      i = j;
    }
}

/* The blocking key: desa + birth year; without a desa, birth year + the name's first letter. */
static int
cmp_block (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const Row *rows = data;
  const Row *a = &rows[*(const guint *) pa], *b = &rows[*(const guint *) pb];
  int        c = g_strcmp0 (a->desa, b->desa);

  if (c == 0)
    c = strncmp (a->birth_date, b->birth_date, 4);
  if (c == 0 && a->desa == NULL)
    c = (int) (guchar) a->norm[0] - (int) (guchar) b->norm[0];
  return c != 0 ? c : (a->id > b->id) - (a->id < b->id);
}

static gboolean
same_block (const Row *a, const Row *b)
{
  return g_strcmp0 (a->desa, b->desa) == 0 && strncmp (a->birth_date, b->birth_date, 4) == 0 &&
         (a->desa != NULL || a->norm[0] == b->norm[0]);
}

static guint
uf_find (guint *parent, guint x)
{
  while (parent[x] != x)
    {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
  return x;
}

static gboolean
find_probable (Rows         *r,
               guint        *idx,
               guint         n,
               double        threshold,
               GCancellable *cancellable,
               GPtrArray    *groups,
               GError      **error)
{
  g_autofree guint  *parent = g_new (guint, n);
  g_autofree double *weakest = g_new (double, n);
  g_autoptr(GHashTable) comps = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, NULL);

  g_qsort_with_data (idx, (gint) n, sizeof (guint), cmp_block, r->rows);
  for (guint i = 0; i < n; i++)
    {
      parent[i] = i;
      weakest[i] = 2.0;
    }
  for (guint start = 0; start < n;)
    {
      guint end = start + 1;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      while (end < n && same_block (&r->rows[idx[start]], &r->rows[idx[end]]))
        end++;
      for (guint i = start; i < end; i++)
        for (guint j = i + 1; j < end; j++)
          {
            const Row *a = &r->rows[idx[i]], *b = &r->rows[idx[j]];
            double     s;
            guint      ra, rb;

            /* Exact name + date pairs are reported by find_exact. */
            if (strcmp (a->norm, b->norm) == 0 && strcmp (a->birth_date, b->birth_date) == 0)
              continue;
            s = geo_duplicates_pair_score (a->norm, a->birth_date, b->norm, b->birth_date);
            if (s < threshold)
              continue;
            ra = uf_find (parent, i);
            rb = uf_find (parent, j);
            if (ra != rb)
              {
                parent[rb] = ra;
                weakest[ra] = MIN (MIN (weakest[ra], weakest[rb]), s);
              }
          }
      start = end;
    }
  for (guint i = 0; i < n; i++)
    {
      guint              root = uf_find (parent, i);
      GeoDuplicateGroup *g;

      if (root == i && weakest[i] > 1.5)
        continue; /* a singleton */
      g = g_hash_table_lookup (comps, GUINT_TO_POINTER (root + 1));
      if (g == NULL)
        {
          g = group_new (GEO_DUPLICATE_PROBABLE, weakest[root]);
          g_hash_table_insert (comps, GUINT_TO_POINTER (root + 1), g);
          g_ptr_array_add (groups, g);
        }
      g_ptr_array_add (g->persons, person_from_row (&r->rows[idx[i]]));
    }
  return TRUE;
}

static int
cmp_person_id (gconstpointer a, gconstpointer b)
{
  const GeoDuplicatePerson *pa = *(GeoDuplicatePerson *const *) a;
  const GeoDuplicatePerson *pb = *(GeoDuplicatePerson *const *) b;

  return (pa->id > pb->id) - (pa->id < pb->id);
}

static int
cmp_group (gconstpointer a, gconstpointer b)
{
  const GeoDuplicateGroup  *ga = *(GeoDuplicateGroup *const *) a;
  const GeoDuplicateGroup  *gb = *(GeoDuplicateGroup *const *) b;
  const GeoDuplicatePerson *pa = g_ptr_array_index (ga->persons, 0);
  const GeoDuplicatePerson *pb = g_ptr_array_index (gb->persons, 0);

  if (ga->score != gb->score)
    return ga->score > gb->score ? -1 : 1;
  if (ga->kind != gb->kind)
    return (int) ga->kind - (int) gb->kind;
  return (pa->id > pb->id) - (pa->id < pb->id);
}

/**
 * geo_duplicates_find:
 * @threshold: the least probable-duplicate score reported (0-1), see geo_duplicates_pair_score()
 *
 * Finds duplicate persons: NIKs equal once formatting is removed, the same normalised name and
 * birth date in two KKs (or twice in one), and probable duplicates whose pair score reaches
 * @threshold. Probable pairs are compared only within a block (same desa and birth year; without
 * a desa: birth year and first letter), so the work is the sum of the squared block sizes, not
 * n^2. Persons without a name or birth date take part in the NIK check only.
 *
 * Returns: (element-type GeoDuplicateGroup): groups by score, highest first.
 */
GPtrArray *
geo_duplicates_find (GeoStore *store, double threshold, GCancellable *cancellable, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) groups =
                 g_ptr_array_new_with_free_func ((GDestroyNotify) geo_duplicate_group_free);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autofree guint *idx = NULL;
  Rows              r;
  guint             n = 0;
  gboolean          ok;
  int               rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT p.id, p.family_id, p.nik, p.name, p.birth_date, f.desa_code "
                            "FROM person AS p JOIN family AS f ON f.id = p.family_id ORDER BY p.id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row         row = { 0 };
      const char *name = (const char *) sqlite3_column_text (stmt, 3);
      const char *bd = (const char *) sqlite3_column_text (stmt, 4);

      row.id = sqlite3_column_int64 (stmt, 0);
      row.family_id = sqlite3_column_int64 (stmt, 1);
      row.nik = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row.name = g_strdup (name);
      row.norm = name != NULL ? geo_duplicates_normalize_name (name) : NULL;
      row.birth_date = bd != NULL && strlen (bd) >= 10 ? g_strdup (bd) : NULL;
      row.desa = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_array_append_val (rows, row);
      if ((rows->len & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
    }
  r.n_rows = rows->len;
  r.rows = (Row *) (void *) g_array_free (g_steal_pointer (&rows), FALSE);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      rows_free (&r);
      geo_store_set_error (store, error, "Reading persons");
      return NULL;
    }
  if (rc == SQLITE_ROW)
    {
      rows_free (&r);
      return NULL;
    }

  find_nik (&r, groups);
  idx = g_new (guint, MAX (r.n_rows, 1));
  for (guint i = 0; i < r.n_rows; i++)
    if (r.rows[i].norm != NULL && *r.rows[i].norm != '\0' && r.rows[i].birth_date != NULL)
      idx[n++] = i;
  find_exact (&r, idx, n, groups);
  ok = find_probable (&r, idx, n, threshold, cancellable, groups, error);
  rows_free (&r);
  if (!ok)
    return NULL;

  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_sort (((GeoDuplicateGroup *) groups->pdata[i])->persons, cmp_person_id);
  g_ptr_array_sort (groups, cmp_group);
  return g_steal_pointer (&groups);
}

typedef struct
{
  gint64 family_id;
  char  *nik, *name, *sex, *birth_date, *relation;
} MergePerson;

static void
merge_person_clear (MergePerson *p)
{
  g_free (p->nik);
  g_free (p->name);
  g_free (p->sex);
  g_free (p->birth_date);
  g_free (p->relation);
}

static gboolean
load_person (GeoStore *store, gint64 id, MergePerson *p, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (store,
                                    "SELECT family_id, nik, name, sex, birth_date, relation FROM "
                                    "person WHERE id = ?",
                                    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No person with id %" G_GINT64_FORMAT,
                   id);
      return FALSE;
    }
  p->family_id = sqlite3_column_int64 (stmt, 0);
  p->nik = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  p->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  p->sex = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  p->birth_date = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  p->relation = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  return TRUE;
}

static gboolean
exec_bound (GeoStore *store, const char *sql, gint64 a, gint64 b, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Merging");
  return TRUE;
}

static gboolean
merge (GeoStore *store, gint64 keep_id, gint64 drop_id, GError **error)
{
  MergePerson keep = { 0 }, drop = { 0 };
  g_autoptr(sqlite3_stmt) left = NULL;
  g_autofree char *summary = NULL;
  gboolean         ok = FALSE;
  gboolean         family_empty;
  const char      *fields[5];
  const char      *values[5];
  guint            n_fields = 0;

  if (keep_id == drop_id)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Cannot merge person %" G_GINT64_FORMAT " with itself",
                   keep_id);
      return FALSE;
    }
  if (!load_person (store, keep_id, &keep, error) || !load_person (store, drop_id, &drop, error))
    goto out;

  /* Memberships: the kept person's own win; the others move over. */
  if (!exec_bound (store,
                   "DELETE FROM membership WHERE person_id = ?2 AND (code_list, category) IN "
                   "(SELECT code_list, category FROM membership WHERE person_id = ?1)",
                   keep_id,
                   drop_id,
                   error) ||
      !exec_bound (store,
                   "UPDATE membership SET person_id = ?1 WHERE person_id = ?2",
                   keep_id,
                   drop_id,
                   error))
    goto out;
  /* Visit member codes move too (unless the kept person has one for the same visit). */
  if (!exec_bound (store,
                   "UPDATE visit_member SET person_id = ?1 WHERE person_id = ?2 AND visit_id NOT "
                   "IN "
                   "(SELECT visit_id FROM visit_member WHERE person_id = ?1)",
                   keep_id,
                   drop_id,
                   error))
    goto out;
  if (!exec_bound (store, "DELETE FROM person WHERE id = ?1 AND ?2 = ?2", drop_id, drop_id, error))
    goto out;

  /* A family left empty by the merge goes; its visits move to the kept person's family. */
  left = geo_store_prepare (store, "SELECT count(*) FROM person WHERE family_id = ?", error);
  if (left == NULL)
    goto out;
  sqlite3_bind_int64 (left, 1, drop.family_id);
  if (sqlite3_step (left) != SQLITE_ROW)
    {
      geo_store_set_error (store, error, "Merging");
      goto out;
    }
  family_empty = sqlite3_column_int (left, 0) == 0 && drop.family_id != keep.family_id;
  if (family_empty && (!exec_bound (store,
                                    "UPDATE visit SET family_id = ?1 WHERE family_id = ?2",
                                    keep.family_id,
                                    drop.family_id,
                                    error) ||
                       !exec_bound (store,
                                    "DELETE FROM family WHERE id = ?1 AND ?2 = ?2",
                                    drop.family_id,
                                    drop.family_id,
                                    error)))
    goto out;

    /* Fill the kept record's gaps from the dropped one (the NIK is free now). */
#define FILL(field)                                                                                \
  if (keep.field == NULL && drop.field != NULL)                                                    \
    {                                                                                              \
      fields[n_fields] = #field;                                                                   \
      values[n_fields++] = drop.field;                                                             \
    }
  FILL (nik)
  FILL (name)
  FILL (sex)
  FILL (birth_date)
  FILL (relation)
#undef FILL
  if (n_fields > 0 && !geo_person_set_fields (store, keep_id, fields, values, n_fields, error))
    goto out;

  summary = g_strdup_printf ("{\"merged_person\":%" G_GINT64_FORMAT
                             ",\"merged_family\":%" G_GINT64_FORMAT ",\"family_removed\":%s}",
                             drop_id,
                             drop.family_id,
                             family_empty ? "true" : "false");
  ok = geo_audit_note (store, "person", keep_id, "merge", NULL, NULL, summary, error);

out:
  merge_person_clear (&keep);
  merge_person_clear (&drop);
  return ok;
}

/**
 * geo_duplicates_merge:
 *
 * Merges person @drop_id into @keep_id in one transaction: memberships move (where both have
 * the same category, @keep_id's stays), visit member codes move, the dropped person is deleted,
 * a family left empty is deleted with its visits moved to the kept person's family, and the
 * kept record's empty fields take the dropped one's values. Every change is audited, plus one
 * "merge" entry; both records must be inside the operator's scope.
 */
gboolean
geo_duplicates_merge (GeoStore *store, gint64 keep_id, gint64 drop_id, GError **error)
{
  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (!geo_workflow_savepoint (store, "geo_merge", error))
    return FALSE;
  if (!merge (store, keep_id, drop_id, error))
    {
      geo_workflow_rollback_to (store, "geo_merge");
      return FALSE;
    }
  return geo_workflow_release (store, "geo_merge", error);
}
