#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-records.h"
#include "geo-store-private.h"

static char *
dup_col (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/**
 * geo_mask_nik:
 * @nik: (nullable): a 16-digit NIK
 *
 * Masks a NIK for display: the 4-digit kabupaten code and the 4-digit serial stay,
 * the birth-date and kecamatan digits become `*` (`3402********0003`). Anything that
 * is not 16 characters long is masked whole. Returns %NULL for %NULL.
 */
char *
geo_mask_nik (const char *nik)
{
  gsize len;
  char *out;

  if (nik == NULL)
    return NULL;
  len = strlen (nik);
  if (len != 16)
    return g_strnfill (len, '*');
  out = g_strdup (nik);
  memset (out + 4, '*', 8);
  return out;
}

static guint32
load_categories (sqlite3_stmt *stmt, gint64 person_id, char **status)
{
  guint32 mask = 0;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, person_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int code = sqlite3_column_int (stmt, 0);

      if (code >= 1 && code <= GEO_PMKS_N_CATEGORIES)
        mask |= 1u << (code - 1);
      if (status != NULL && *status == NULL)
        *status = dup_col (stmt, 1);
    }
  return mask;
}

#define MEMBERSHIP_SQL                                                                            \
  "SELECT category, status FROM membership WHERE person_id = ? AND code_list = '" GEO_PMKS_CODE_LIST \
  "' AND until IS NULL ORDER BY category"

/**
 * geo_family_details_load:
 *
 * One family with its members (head first by relation order, then by id), their PMKS
 * categories and the names of its desa and kecamatan. %GEO_ERROR_NOT_FOUND when no
 * family has @family_id.
 */
GeoFamilyDetails *
geo_family_details_load (GeoStore *store, gint64 family_id, GError **error)
{
  g_autoptr(sqlite3_stmt) fam = NULL;
  g_autoptr(sqlite3_stmt) mem = NULL;
  g_autoptr(sqlite3_stmt) cats = NULL;
  g_autoptr(GeoFamilyDetails) details = NULL;
  g_autoptr(GArray) members = NULL;
  const char *src;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  fam = geo_store_prepare (store,
                           "SELECT f.no_kk, f.address, f.rt, f.rw, f.desa_code, d.name, k.name, "
                           "f.loc_source, f.gps_accuracy_m, X (f.geom), Y (f.geom), f.priority "
                           "FROM family f LEFT JOIN area d ON d.code = f.desa_code "
                           "LEFT JOIN area k ON k.code = d.parent_code WHERE f.id = ?",
                           error);
  if (fam == NULL)
    return NULL;
  sqlite3_bind_int64 (fam, 1, family_id);
  if (sqlite3_step (fam) != SQLITE_ROW)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "No family with id %" G_GINT64_FORMAT,
                   family_id);
      return NULL;
    }
  details = g_new0 (GeoFamilyDetails, 1);
  details->id = family_id;
  details->no_kk = dup_col (fam, 0);
  details->address = dup_col (fam, 1);
  details->rt = dup_col (fam, 2);
  details->rw = dup_col (fam, 3);
  details->desa_code = dup_col (fam, 4);
  details->desa_name = dup_col (fam, 5);
  details->kecamatan_name = dup_col (fam, 6);
  src = (const char *) sqlite3_column_text (fam, 7);
  details->loc_source = g_strcmp0 (src, "gps") == 0       ? GEO_LOC_GPS
                        : g_strcmp0 (src, "address") == 0 ? GEO_LOC_ADDRESS
                                                          : GEO_LOC_DESA_CENTROID;
  details->gps_accuracy_m =
    sqlite3_column_type (fam, 8) == SQLITE_NULL ? NAN : sqlite3_column_double (fam, 8);
  details->lon = sqlite3_column_double (fam, 9);
  details->lat = sqlite3_column_double (fam, 10);
  details->priority = sqlite3_column_int (fam, 11);

  mem = geo_store_prepare (store,
                           "SELECT id, nik, name, sex, birth_date, relation FROM person "
                           "WHERE family_id = ? ORDER BY CASE WHEN lower (relation) IN "
                           "('kepala keluarga', 'kepala', 'head') THEN 0 ELSE 1 END, id",
                           error);
  cats = geo_store_prepare (store, MEMBERSHIP_SQL, error);
  if (mem == NULL || cats == NULL)
    return NULL;
  members = g_array_new (FALSE, TRUE, sizeof (GeoMember));
  sqlite3_bind_int64 (mem, 1, family_id);
  while (sqlite3_step (mem) == SQLITE_ROW)
    {
      GeoMember   m = { 0 };
      const char *sex = (const char *) sqlite3_column_text (mem, 3);

      m.id = sqlite3_column_int64 (mem, 0);
      m.nik = dup_col (mem, 1);
      m.name = dup_col (mem, 2);
      m.sex = sex != NULL ? sex[0] : 0;
      m.birth_date = dup_col (mem, 4);
      m.relation = dup_col (mem, 5);
      m.categories = load_categories (cats, m.id, &m.status);
      g_array_append_val (members, m);
    }
  details->n_members = members->len;
  details->members = (GeoMember *) g_array_free (g_steal_pointer (&members), FALSE);
  return g_steal_pointer (&details);
}

void
geo_family_details_free (GeoFamilyDetails *details)
{
  if (details == NULL)
    return;
  for (guint i = 0; i < details->n_members; i++)
    {
      GeoMember *m = &details->members[i];

      g_free (m->nik);
      g_free (m->name);
      g_free (m->birth_date);
      g_free (m->relation);
      g_free (m->status);
    }
  g_free (details->members);
  g_free (details->no_kk);
  g_free (details->address);
  g_free (details->rt);
  g_free (details->rw);
  g_free (details->desa_code);
  g_free (details->desa_name);
  g_free (details->kecamatan_name);
  g_free (details);
}

static char *
like_escape (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

/**
 * geo_person_search:
 * @query: (nullable): empty or %NULL for every person; else matched against the NIK and
 *   the desa code (prefix) and the person's name and desa name (substring, ASCII case
 *   insensitive)
 * @n_ids: (out): number of ids returned
 *
 * Ids of the matching persons in id order. A full scan: run it off the main thread on
 * the worker's own store.
 */
gint64 *
geo_person_search (GeoStore     *store,
                   const char   *query,
                   gsize        *n_ids,
                   GCancellable *cancellable,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *trimmed = g_strstrip (g_strdup (query != NULL ? query : ""));
  g_autofree char *escaped = like_escape (trimmed);
  g_autofree char *prefix = g_strconcat (escaped, "%", NULL);
  g_autofree char *infix = g_strconcat ("%", escaped, "%", NULL);
  guint n = 0;
  int   rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  g_return_val_if_fail (n_ids != NULL, NULL);
  *n_ids = 0;
  if (*trimmed == '\0')
    stmt = geo_store_prepare (store, "SELECT id FROM person ORDER BY id", error);
  else
    stmt = geo_store_prepare (store,
                              "SELECT p.id FROM person p JOIN family f ON f.id = p.family_id "
                              "LEFT JOIN area a ON a.code = f.desa_code "
                              "WHERE p.nik LIKE ?1 ESCAPE '\\' OR f.desa_code LIKE ?1 ESCAPE '\\' "
                              "OR p.name LIKE ?2 ESCAPE '\\' OR a.name LIKE ?2 ESCAPE '\\' "
                              "ORDER BY p.id",
                              error);
  if (stmt == NULL)
    return NULL;
  if (*trimmed != '\0')
    {
      sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, infix, -1, SQLITE_STATIC);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if ((++n & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Searching persons");
      return NULL;
    }
  *n_ids = ids->len;
  return (gint64 *) g_array_free (g_steal_pointer (&ids), FALSE);
}

struct _GeoPersonReader
{
  GeoStore     *store; /* owned */
  sqlite3_stmt *person;
  sqlite3_stmt *categories;
};

/**
 * geo_person_reader_new:
 *
 * Prepared statements to read person rows one by one by primary key (a table view
 * reads the rows it shows). Use on the thread that owns @store.
 */
GeoPersonReader *
geo_person_reader_new (GeoStore *store, GError **error)
{
  g_autoptr(GeoPersonReader) reader = g_new0 (GeoPersonReader, 1);

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  reader->store = g_object_ref (store);
  reader->person = geo_store_prepare (store,
                                      "SELECT p.family_id, p.nik, p.name, f.desa_code, a.name "
                                      "FROM person p JOIN family f ON f.id = p.family_id "
                                      "LEFT JOIN area a ON a.code = f.desa_code WHERE p.id = ?",
                                      error);
  if (reader->person == NULL)
    return NULL;
  reader->categories = geo_store_prepare (store, MEMBERSHIP_SQL, error);
  if (reader->categories == NULL)
    return NULL;
  return g_steal_pointer (&reader);
}

gboolean
geo_person_reader_get (GeoPersonReader *reader,
                       gint64           person_id,
                       GeoPersonRow    *row,
                       GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (reader != NULL && row != NULL, FALSE);
  stmt = reader->person;
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, person_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "No person with id %" G_GINT64_FORMAT,
                   person_id);
      return FALSE;
    }
  row->id = person_id;
  row->family_id = sqlite3_column_int64 (stmt, 0);
  row->nik = dup_col (stmt, 1);
  row->name = dup_col (stmt, 2);
  row->desa_code = dup_col (stmt, 3);
  row->desa_name = dup_col (stmt, 4);
  sqlite3_reset (stmt);
  row->categories = load_categories (reader->categories, person_id, NULL);
  sqlite3_reset (reader->categories);
  return TRUE;
}

void
geo_person_row_clear (GeoPersonRow *row)
{
  g_clear_pointer (&row->nik, g_free);
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->desa_code, g_free);
  g_clear_pointer (&row->desa_name, g_free);
}

void
geo_person_reader_free (GeoPersonReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_pointer (&reader->person, sqlite3_finalize);
  g_clear_pointer (&reader->categories, sqlite3_finalize);
  g_clear_object (&reader->store);
  g_free (reader);
}
