#include "config.h"

#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-person-query.h"
#include "geo-store-private.h"
#include "geo-workflow.h"

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

/* The ORDER BY clauses: fixed text chosen by enum, never built from input. Without a condition
 * "lower (name), id" walks the person_name index (on lower (name) since migration 0008: the
 * same ASCII case-insensitive order as COLLATE NOCASE, cheaper to build) instead of sorting a
 * million rows; with one, "+lower (name)" keeps SQLite from scanning that index and filtering
 * row by row (it sorts the few matches instead). */
static const char *const name_filtered[2] = { "+lower (p.name), p.id",
                                              "+lower (p.name) DESC, p.id DESC" };
static const char *const orders[][2] = {
  [GEO_PERSON_SORT_ID] = { "p.id", "p.id DESC" },
  [GEO_PERSON_SORT_NAME] = { "lower (p.name), p.id", "lower (p.name) DESC, p.id DESC" },
  [GEO_PERSON_SORT_NIK] = { "p.nik IS NULL, p.nik, p.id", "p.nik IS NULL, p.nik DESC, p.id DESC" },
  [GEO_PERSON_SORT_DESA] = { "coalesce (a.name, f.desa_code) COLLATE NOCASE, p.id",
                             "coalesce (a.name, f.desa_code) COLLATE NOCASE DESC, p.id DESC" },
  [GEO_PERSON_SORT_STATUS] = { "s.st IS NULL, s.st, p.id", "s.st IS NULL, s.st DESC, p.id DESC" },
};

/**
 * geo_person_query:
 * @filter: what to keep and in which order
 * @n_ids: (out): number of ids returned
 *
 * Ids of the persons matching every condition of @filter, in its order: one SQL statement
 * with bound parameters (a full scan for text and membership conditions). Run it off the main
 * thread on the worker's own store.
 */
gint64 *
geo_person_query (GeoStore              *store,
                  const GeoPersonFilter *filter,
                  gsize                 *n_ids,
                  GCancellable          *cancellable,
                  GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *trimmed = g_strstrip (g_strdup (filter->text != NULL ? filter->text : ""));
  g_autofree char *escaped = like_escape (trimmed);
  g_autofree char *prefix = g_strconcat (escaped, "%", NULL);
  g_autofree char *infix = g_strconcat ("%", escaped, "%", NULL);
  g_autofree char *sql = NULL;
  GeoState         state = GEO_STATE_ENTRI;
  gboolean         joins;
  guint            n = 0;
  int              rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL && n_ids != NULL, NULL);
  *n_ids = 0;
  if (filter->sort > GEO_PERSON_SORT_STATUS)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Unknown sort order");
      return NULL;
    }
  if (filter->status != NULL && !geo_state_from_string (filter->status, &state))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Unknown verivali state “%s”",
                   filter->status);
      return NULL;
    }
  if (filter->loc_source > GEO_LOC_DESA_CENTROID)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Unknown location source");
      return NULL;
    }
  /* The family and area joins only when a condition or the order needs them: without them
   * the query is a scan of person alone, as fast as geo_person_search()'s. */
  joins = *trimmed != '\0' || (filter->area != NULL && *filter->area != '\0') ||
          filter->loc_source >= 0 || filter->sort == GEO_PERSON_SORT_DESA;
  /* Membership conditions as one uncorrelated IN (SELECT ...): SQLite evaluates it once
   * into a temporary index rather than once per person. */
  sql = g_strdup_printf ("SELECT p.id FROM person p %s %s "
                         "WHERE %s "
                         "AND ((?5 = 0 AND ?6 IS NULL) OR p.id IN (SELECT m.person_id FROM "
                         "membership m WHERE "
                         "(?5 = 0 OR (m.until IS NULL AND m.category BETWEEN 1 AND 26 "
                         "AND (?5 >> (m.category - 1)) & 1)) AND (?6 IS NULL OR m.status = ?6))) "
                         "ORDER BY %s",
                         joins ? "JOIN family f ON f.id = p.family_id LEFT JOIN area a ON a.code = "
                                 "f.desa_code"
                               : "",
                         filter->sort == GEO_PERSON_SORT_STATUS
                             ? "LEFT JOIN (SELECT person_id, min (status) AS st FROM membership "
                               "GROUP BY person_id) s "
                               "ON s.person_id = p.id"
                             : "",
                         joins ? "(?1 IS NULL OR p.nik LIKE ?1 ESCAPE '\\' OR f.desa_code LIKE ?1 "
                                 "ESCAPE '\\' "
                                 "OR p.name LIKE ?2 ESCAPE '\\' OR a.name LIKE ?2 ESCAPE '\\') "
                                 "AND (?3 IS NULL OR f.desa_code = ?3 OR substr (f.desa_code, 1, "
                                 "length (?3) + 1) = ?3 || '.') "
                                 "AND (?4 IS NULL OR f.loc_source = ?4)"
                               : "?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL",
                         filter->sort == GEO_PERSON_SORT_NAME &&
                                 (joins || filter->categories != 0 || filter->status != NULL)
                             ? name_filtered[filter->descending ? 1 : 0]
                             : orders[filter->sort][filter->descending ? 1 : 0]);
  stmt = geo_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (*trimmed != '\0')
    {
      sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, infix, -1, SQLITE_STATIC);
    }
  if (filter->area != NULL && *filter->area != '\0')
    sqlite3_bind_text (stmt, 3, filter->area, -1, SQLITE_STATIC);
  if (filter->loc_source >= 0)
    sqlite3_bind_text (stmt, 4, geo_loc_source_to_string (filter->loc_source), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, filter->categories);
  if (filter->status != NULL)
    sqlite3_bind_text (stmt, 6, geo_state_to_string (state), -1, SQLITE_STATIC);
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

static void
area_entry_free (GeoAreaEntry *e)
{
  g_free (e->code);
  g_free (e->name);
  g_free (e);
}

/**
 * geo_area_list:
 *
 * Returns: (transfer full) (element-type GeoAreaEntry): the kecamatans and desas, by code
 * (a kecamatan comes before its desas).
 */
GPtrArray *
geo_area_list (GeoStore *store, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) area_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT code, name, level = 'desa' FROM area "
                            "WHERE level IN ('kecamatan', 'desa') ORDER BY code",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GeoAreaEntry *e = g_new0 (GeoAreaEntry, 1);

      e->code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      e->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->level = sqlite3_column_int (stmt, 2) ? GEO_AREA_DESA : GEO_AREA_KECAMATAN;
      g_ptr_array_add (out, e);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Listing areas");
      return NULL;
    }
  return g_steal_pointer (&out);
}
