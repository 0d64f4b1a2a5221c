#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-import-areas.h"
#include "geo-selection.h"
#include "geo-store-private.h"

GeoFilter *
geo_filter_new (void)
{
  GeoFilter *filter = g_new0 (GeoFilter, 1);

  filter->areas = g_ptr_array_new_with_free_func (g_free);
  return filter;
}

void
geo_filter_free (GeoFilter *filter)
{
  if (filter == NULL)
    return;
  g_ptr_array_unref (filter->areas);
  g_free (filter->status);
  g_free (filter);
}

gboolean
geo_filter_add_category (GeoFilter *filter, const char *code_or_name, GError **error)
{
  int code;

  if (!geo_pmks_lookup (code_or_name, &code))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "unknown PMKS category “%s” (give a code 1-26 or a name such as “Fakir Miskin”)",
                   code_or_name);
      return FALSE;
    }
  for (guint i = 0; i < filter->n_categories; i++)
    if (filter->categories[i] == code)
      return TRUE;
  filter->categories[filter->n_categories++] = code;
  return TRUE;
}

gboolean
geo_filter_add_area (GeoFilter *filter, const char *code, GError **error)
{
  char *dotted = geo_area_code_normalize (code);

  if (dotted == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "“%s” is not a Kemendagri area code (e.g. 34.02.01 or 34.02.01.2001)",
                   code);
      return FALSE;
    }
  g_ptr_array_add (filter->areas, dotted);
  return TRUE;
}

void
geo_filter_set_status (GeoFilter *filter, const char *status)
{
  g_free (filter->status);
  filter->status = g_strdup (status);
}

void
geo_selection_free (GeoSelection *sel)
{
  if (sel == NULL)
    return;
  g_free (sel->family_id);
  g_free (sel->lon);
  g_free (sel->lat);
  g_free (sel->family_n_persons);
  g_free (sel->family_mask);
  g_free (sel->family_loc_source);
  g_free (sel->family_desa);
  g_free (sel->person_id);
  g_free (sel->person_family);
  g_free (sel->person_mask);
  g_free (sel->person_no_nik);
  if (sel->desa_codes != NULL)
    g_ptr_array_unref (sel->desa_codes);
  g_free (sel);
}

static gboolean
area_matches (const GeoFilter *filter, const char *desa)
{
  if (filter == NULL || filter->areas->len == 0)
    return TRUE;
  if (desa == NULL)
    return FALSE;
  for (guint i = 0; i < filter->areas->len; i++)
    {
      const char *a = filter->areas->pdata[i];
      gsize n = strlen (a);

      if (strncmp (desa, a, n) == 0 && (desa[n] == '\0' || desa[n] == '.'))
        return TRUE;
    }
  return FALSE;
}

static GeoLocSource
loc_source_from_string (const char *s)
{
  if (g_strcmp0 (s, "desa_centroid") == 0)
    return GEO_LOC_DESA_CENTROID;
  if (g_strcmp0 (s, "address") == 0)
    return GEO_LOC_ADDRESS;
  return GEO_LOC_GPS;
}

/* Family arrays while loading: every family, compacted to the selected ones at the end. */
typedef struct
{
  GArray *id, *lon, *lat, *src, *desa;
} FamilyTable;

/**
 * geo_selection_load:
 *
 * Two sequential scans (families, then persons with their memberships), filtered in C:
 * never one query per record.
 */
GeoSelection *
geo_selection_load (GeoStore        *store,
                    const GeoFilter *filter,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(sqlite3_stmt) fam = NULL;
  g_autoptr(sqlite3_stmt) per = NULL;
  g_autoptr(GHashTable) desa_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) desa_codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) f_id = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) f_lon = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) f_lat = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) f_src = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autoptr(GArray) f_desa = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GByteArray) f_ok = g_byte_array_new ();
  g_autoptr(GArray) p_id = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) p_fam = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) p_mask = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GByteArray) p_nonik = g_byte_array_new ();
  guint32 filter_mask = 0;
  GeoSelection *sel;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  if (filter != NULL)
    for (guint i = 0; i < filter->n_categories; i++)
      filter_mask |= GEO_CATEGORY_BIT (filter->categories[i]);

  fam = geo_store_prepare (store,
                           "SELECT id, ST_X (geom), ST_Y (geom), loc_source, desa_code "
                           "FROM family ORDER BY id",
                           error);
  if (fam == NULL)
    return NULL;
  while ((rc = sqlite3_step (fam)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (fam, 0);
      double lon = sqlite3_column_double (fam, 1);
      double lat = sqlite3_column_double (fam, 2);
      guint8 src = loc_source_from_string ((const char *) sqlite3_column_text (fam, 3));
      const char *desa = (const char *) sqlite3_column_text (fam, 4);
      guint32 di = G_MAXUINT32;
      guint8 ok = area_matches (filter, desa);

      if (desa != NULL)
        {
          gpointer value;

          if (g_hash_table_lookup_extended (desa_index, desa, NULL, &value))
            di = GPOINTER_TO_UINT (value);
          else
            {
              char *copy = g_strdup (desa);

              di = desa_codes->len;
              g_ptr_array_add (desa_codes, copy);
              g_hash_table_insert (desa_index, copy, GUINT_TO_POINTER (di));
            }
        }
      g_array_append_val (f_id, id);
      g_array_append_val (f_lon, lon);
      g_array_append_val (f_lat, lat);
      g_array_append_val (f_src, src);
      g_array_append_val (f_desa, di);
      g_byte_array_append (f_ok, &ok, 1);
      if ((f_id->len & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading families");
      return NULL;
    }

  /* One row per person and membership (or one row for a person without any), by person id. */
  per = geo_store_prepare (store,
                           "SELECT p.id, p.family_id, p.nik IS NULL, m.category, m.status "
                           "FROM person AS p LEFT JOIN membership AS m ON m.person_id = p.id "
                           "ORDER BY p.id",
                           error);
  if (per == NULL)
    return NULL;
  {
    gint64 cur = -1;
    guint32 cur_fam = 0, cur_mask = 0;
    gboolean cur_hit = FALSE, cur_status_hit = FALSE, cur_nonik = FALSE, cur_fam_ok = FALSE;
    guint rows = 0;

#define FLUSH_PERSON()                                                                       \
  G_STMT_START                                                                               \
  {                                                                                          \
    gboolean take = cur >= 0 && cur_fam_ok;                                                  \
    if (filter != NULL && filter->n_categories > 0)                                          \
      take = take && cur_hit;                                                                \
    else if (filter != NULL && filter->status != NULL)                                       \
      take = take && cur_status_hit;                                                         \
    if (filter != NULL && filter->no_nik)                                                    \
      take = take && cur_nonik;                                                              \
    if (take)                                                                                \
      {                                                                                      \
        guint8 nn = cur_nonik;                                                               \
        g_array_append_val (p_id, cur);                                                      \
        g_array_append_val (p_fam, cur_fam);                                                 \
        g_array_append_val (p_mask, cur_mask);                                               \
        g_byte_array_append (p_nonik, &nn, 1);                                               \
      }                                                                                      \
  }                                                                                          \
  G_STMT_END

    while ((rc = sqlite3_step (per)) == SQLITE_ROW)
      {
        gint64 pid = sqlite3_column_int64 (per, 0);
        int category = sqlite3_column_int (per, 3);
        const char *status = (const char *) sqlite3_column_text (per, 4);
        gboolean has_m = sqlite3_column_type (per, 3) != SQLITE_NULL;
        gboolean status_ok;

        if (pid != cur)
          {
            gint64 fid = sqlite3_column_int64 (per, 1);
            gint64 *ids = (gint64 *) f_id->data;
            guint lo = 0, hi = f_id->len;

            FLUSH_PERSON ();
            cur = pid;
            /* Families are ordered by id: binary search. */
            while (lo < hi)
              {
                guint mid = lo + (hi - lo) / 2;
                if (ids[mid] < fid)
                  lo = mid + 1;
                else
                  hi = mid;
              }
            cur_fam_ok = lo < f_id->len && ids[lo] == fid && f_ok->data[lo];
            cur_fam = lo;
            cur_mask = 0;
            cur_hit = cur_status_hit = FALSE;
            cur_nonik = sqlite3_column_int (per, 2) != 0;
          }
        if (!has_m || category < 1 || category > GEO_PMKS_N_CATEGORIES)
          continue;
        cur_mask |= GEO_CATEGORY_BIT (category);
        status_ok = filter == NULL || filter->status == NULL || g_strcmp0 (status, filter->status) == 0;
        cur_status_hit |= status_ok;
        if ((filter_mask & GEO_CATEGORY_BIT (category)) && status_ok)
          cur_hit = TRUE;
        if ((++rows & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
          return NULL;
      }
    FLUSH_PERSON ();
#undef FLUSH_PERSON
  }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading persons");
      return NULL;
    }

  /* Compact the families to those with a selected person, and renumber the persons' links. */
  {
    g_autofree guint32 *count = g_new0 (guint32, f_id->len);
    g_autofree guint32 *mask = g_new0 (guint32, f_id->len);
    g_autofree guint32 *remap = g_new (guint32, f_id->len);
    guint32 *pf = (guint32 *) p_fam->data;
    guint n = 0;

    for (guint i = 0; i < p_fam->len; i++)
      {
        count[pf[i]]++;
        mask[pf[i]] |= g_array_index (p_mask, guint32, i);
      }
    sel = g_new0 (GeoSelection, 1);
    for (guint i = 0; i < f_id->len; i++)
      n += count[i] > 0;
    sel->n_families = n;
    sel->family_id = g_new (gint64, n);
    sel->lon = g_new (double, n);
    sel->lat = g_new (double, n);
    sel->family_n_persons = g_new (guint32, n);
    sel->family_mask = g_new (guint32, n);
    sel->family_loc_source = g_new (guint8, n);
    sel->family_desa = g_new (guint32, n);
    n = 0;
    for (guint i = 0; i < f_id->len; i++)
      {
        if (count[i] == 0)
          continue;
        remap[i] = n;
        sel->family_id[n] = g_array_index (f_id, gint64, i);
        sel->lon[n] = g_array_index (f_lon, double, i);
        sel->lat[n] = g_array_index (f_lat, double, i);
        sel->family_n_persons[n] = count[i];
        sel->family_mask[n] = mask[i];
        sel->family_loc_source[n] = g_array_index (f_src, guint8, i);
        sel->family_desa[n] = g_array_index (f_desa, guint32, i);
        n++;
      }
    for (guint i = 0; i < p_fam->len; i++)
      pf[i] = remap[pf[i]];
  }
  sel->n_persons = p_id->len;
  sel->person_id = (gint64 *) g_array_free (g_steal_pointer (&p_id), FALSE);
  sel->person_family = (guint32 *) g_array_free (g_steal_pointer (&p_fam), FALSE);
  sel->person_mask = (guint32 *) g_array_free (g_steal_pointer (&p_mask), FALSE);
  sel->person_no_nik = g_byte_array_free (g_steal_pointer (&p_nonik), FALSE);
  sel->desa_codes = g_steal_pointer (&desa_codes);
  return sel;
}

/**
 * geo_selection_family_point:
 * @lon: (out): the family's point, NAN when it has none
 * @mask: (out): union of its persons' PMKS categories (every membership, as the unfiltered
 *   selection counts them)
 * @n_persons: (out): persons in the family
 *
 * One family as geo_selection_load() with no filter sees it, by primary key: for the map to
 * follow a saved record without reloading every family. %GEO_ERROR_NOT_FOUND when there is no
 * such family.
 */
gboolean
geo_selection_family_point (GeoStore *store,
                            gint64    family_id,
                            double   *lon,
                            double   *lat,
                            guint32  *mask,
                            guint32  *n_persons,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) fam = NULL;
  g_autoptr(sqlite3_stmt) per = NULL;
  gint64 last = -1;
  int    rc;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  fam = geo_store_prepare (store,
                           "SELECT geom IS NOT NULL, ST_X (geom), ST_Y (geom) FROM family WHERE id "
                           "= ?",
                           error);
  if (fam == NULL)
    return FALSE;
  sqlite3_bind_int64 (fam, 1, family_id);
  rc = sqlite3_step (fam);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        geo_store_set_error (store, error, "Loading a family");
      else
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_NOT_FOUND,
                     "No family with id %" G_GINT64_FORMAT,
                     family_id);
      return FALSE;
    }
  *lon = sqlite3_column_int (fam, 0) ? sqlite3_column_double (fam, 1) : NAN;
  *lat = sqlite3_column_int (fam, 0) ? sqlite3_column_double (fam, 2) : NAN;
  *mask = 0;
  *n_persons = 0;
  per = geo_store_prepare (store,
                           "SELECT p.id, m.category FROM person AS p "
                           "LEFT JOIN membership AS m ON m.person_id = p.id "
                           "WHERE p.family_id = ? ORDER BY p.id",
                           error);
  if (per == NULL)
    return FALSE;
  sqlite3_bind_int64 (per, 1, family_id);
  while ((rc = sqlite3_step (per)) == SQLITE_ROW)
    {
      gint64 pid = sqlite3_column_int64 (per, 0);
      int    category = sqlite3_column_int (per, 1);

      if (pid != last)
        (*n_persons)++;
      last = pid;
      if (sqlite3_column_type (per, 1) != SQLITE_NULL && category >= 1 &&
          category <= GEO_PMKS_N_CATEGORIES)
        *mask |= GEO_CATEGORY_BIT (category);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading a family's persons");
      return FALSE;
    }
  return TRUE;
}
