#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-export.h"
#include "geo-mask.h"
#include "geo-store-private.h"

#define PROGRESS_EVERY 4096

static const char *const table_names[] = { "families", "persons", "resources", "areas" };

const char *
geo_export_table_to_string (GeoExportTable table)
{
  g_return_val_if_fail (table <= GEO_EXPORT_AREAS, NULL);
  return table_names[table];
}

gboolean
geo_export_table_from_string (const char *str, GeoExportTable *table)
{
  static const struct
  {
    const char    *name;
    GeoExportTable table;
  } names[] = {
    { "families", GEO_EXPORT_FAMILIES },   { "family", GEO_EXPORT_FAMILIES },
    { "keluarga", GEO_EXPORT_FAMILIES },   { "persons", GEO_EXPORT_PERSONS },
    { "person", GEO_EXPORT_PERSONS },      { "penduduk", GEO_EXPORT_PERSONS },
    { "resources", GEO_EXPORT_RESOURCES }, { "resource", GEO_EXPORT_RESOURCES },
    { "psks", GEO_EXPORT_RESOURCES },      { "areas", GEO_EXPORT_AREAS },
    { "area", GEO_EXPORT_AREAS },          { "wilayah", GEO_EXPORT_AREAS },
  };

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (str, names[i].name) == 0)
      {
        *table = names[i].table;
        return TRUE;
      }
  return FALSE;
}

static const struct
{
  const char *alias;
  const char *driver;
} driver_aliases[] = {
  { "gpkg", "GPKG" },
  { "geopackage", "GPKG" },
  { "geojson", "GeoJSON" },
  { "json", "GeoJSON" },
  { "csv", "CSV" },
  { "kml", "KML" },
  { "shp", "ESRI Shapefile" },
  { "shapefile", "ESRI Shapefile" },
};

/**
 * geo_export_driver_name:
 * @path: the output file
 * @format: (nullable): a driver name or short name; NULL = from the extension of @path
 *
 * Returns: (nullable): the OGR driver's name, or NULL with @error set
 */
const char *
geo_export_driver_name (const char *path, const char *format, GError **error)
{
  const char *key = format;
  GDALDriverH drv;

  if (key == NULL)
    {
      const char *dot = strrchr (path, '.');
      const char *slash = strrchr (path, G_DIR_SEPARATOR);

      if (dot == NULL || (slash != NULL && dot < slash))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "%s: no file extension; give the format with --format "
                       "(gpkg, geojson, csv, kml, shp)",
                       path);
          return NULL;
        }
      key = dot + 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (driver_aliases); i++)
    if (g_ascii_strcasecmp (key, driver_aliases[i].alias) == 0)
      return driver_aliases[i].driver;
  drv = format != NULL ? GDALGetDriverByName (format) : NULL;
  if (drv != NULL && GDALGetMetadataItem (drv, GDAL_DCAP_VECTOR, NULL) != NULL &&
      GDALGetMetadataItem (drv, GDAL_DCAP_CREATE, NULL) != NULL)
    return GDALGetDriverShortName (drv);
  g_set_error (error,
               GEO_ERROR,
               GEO_ERROR_INVALID,
               "unknown export format “%s” (use gpkg, geojson, csv, kml, shp or an OGR vector "
               "driver name)",
               key);
  return NULL;
}

typedef struct
{
  const char  *name; /* at most 10 characters: Shapefile's limit */
  OGRFieldType type;
} Column;

/* Column lists; the order is the field index used when writing. */
enum
{
  P_PERSON_ID,
  P_FAMILY_ID,
  P_NIK,
  P_NO_KK,
  P_NAME,
  P_SEX,
  P_BIRTH_DATE,
  P_RELATION,
  P_NO_NIK,
  P_CATEGORIES,
  P_CAT_NAMES,
  P_STATUS,
  P_ADDRESS,
  P_RT,
  P_RW,
  P_DESA_CODE,
  P_LOC_SOURCE,
  P_GPS_ACC,
  P_N
};

static const Column person_columns[] = {
  { "person_id", OFTInteger64 }, { "family_id", OFTInteger64 }, { "nik", OFTString },
  { "no_kk", OFTString },        { "name", OFTString },         { "sex", OFTString },
  { "birth_date", OFTString },   { "relation", OFTString },     { "no_nik", OFTInteger },
  { "categories", OFTString },   { "cat_names", OFTString },    { "status", OFTString },
  { "address", OFTString },      { "rt", OFTString },           { "rw", OFTString },
  { "desa_code", OFTString },    { "loc_source", OFTString },   { "gps_acc_m", OFTReal },
};
G_STATIC_ASSERT (G_N_ELEMENTS (person_columns) == P_N);

enum
{
  F_FAMILY_ID,
  F_NO_KK,
  F_HEAD_NAME,
  F_ADDRESS,
  F_RT,
  F_RW,
  F_DESA_CODE,
  F_LOC_SOURCE,
  F_GPS_ACC,
  F_N_PERSONS,
  F_N_NO_NIK,
  F_CATEGORIES,
  F_CAT_NAMES,
  F_N
};

static const Column family_columns[] = {
  { "family_id", OFTInteger64 }, { "no_kk", OFTString },      { "head_name", OFTString },
  { "address", OFTString },      { "rt", OFTString },         { "rw", OFTString },
  { "desa_code", OFTString },    { "loc_source", OFTString }, { "gps_acc_m", OFTReal },
  { "n_persons", OFTInteger },   { "n_no_nik", OFTInteger },  { "categories", OFTString },
  { "cat_names", OFTString },
};
G_STATIC_ASSERT (G_N_ELEMENTS (family_columns) == F_N);

enum
{
  R_RESOURCE_ID,
  R_TYPE,
  R_TYPE_NAME,
  R_NAME,
  R_CONTACT,
  R_CAPACITY,
  R_RADIUS_M,
  R_DESA_CODE,
  R_SERVES,
  R_N
};

static const Column resource_columns[] = {
  { "res_id", OFTInteger64 }, { "type", OFTInteger },     { "type_name", OFTString },
  { "name", OFTString },      { "contact", OFTString },   { "capacity", OFTInteger64 },
  { "radius_m", OFTReal },    { "desa_code", OFTString }, { "serves", OFTString },
};
G_STATIC_ASSERT (G_N_ELEMENTS (resource_columns) == R_N);

enum
{
  A_CODE,
  A_LEVEL,
  A_NAME,
  A_PARENT,
  A_POPULATION,
  A_CENT_LON,
  A_CENT_LAT,
  A_N
};

static const Column area_columns[] = {
  { "code", OFTString },   { "level", OFTString },         { "name", OFTString },
  { "parent", OFTString }, { "population", OFTInteger64 }, { "cent_lon", OFTReal },
  { "cent_lat", OFTReal },
};
G_STATIC_ASSERT (G_N_ELEMENTS (area_columns) == A_N);

/* The state of one export while streaming rows. */
typedef struct
{
  GeoStore                    *store;
  const GeoExportOptions      *opts;
  GCancellable                *cancellable;
  OGRLayerH                    layer;
  OGRFeatureDefnH              defn;
  OGRCoordinateTransformationH ct;        /* NULL when the output is EPSG:4326 */
  gboolean                     xy_fields; /* CSV: coordinates as two extra columns */
  int                          x_field, y_field;
  guint64                      total;
  guint64                      done;
  guint64                      written;
  int map[32]; /* column -> the layer's field index (-1: the driver has none) */
} Export;

static gboolean
filter_is_empty (const GeoFilter *f)
{
  return f == NULL ||
         (f->n_categories == 0 && f->areas->len == 0 && f->status == NULL && !f->no_nik);
}

static gboolean
code_in_areas (const GeoFilter *f, const char *code)
{
  if (filter_is_empty (f) || f->areas->len == 0)
    return TRUE;
  if (code == NULL)
    return FALSE;
  for (guint i = 0; i < f->areas->len; i++)
    {
      const char *a = f->areas->pdata[i];
      gsize       n = strlen (a);

      if (strncmp (code, a, n) == 0 && (code[n] == '\0' || code[n] == '.'))
        return TRUE;
    }
  return FALSE;
}

static void
set_text (OGRFeatureH f, int i, const char *text)
{
  if (i < 0)
    return;
  if (text != NULL && *text != '\0')
    OGR_F_SetFieldString (f, i, text);
  else
    OGR_F_SetFieldNull (f, i);
}

static void
set_column_text (OGRFeatureH f, int i, sqlite3_stmt *stmt, int col)
{
  set_text (f, i, (const char *) sqlite3_column_text (stmt, col));
}

static void
set_column_real (OGRFeatureH f, int i, sqlite3_stmt *stmt, int col)
{
  if (i < 0)
    return;
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    OGR_F_SetFieldNull (f, i);
  else
    OGR_F_SetFieldDouble (f, i, sqlite3_column_double (stmt, col));
}

static void
set_column_int64 (OGRFeatureH f, int i, sqlite3_stmt *stmt, int col)
{
  if (i < 0)
    return;
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    OGR_F_SetFieldNull (f, i);
  else
    OGR_F_SetFieldInteger64 (f, i, sqlite3_column_int64 (stmt, col));
}

static void
set_int64 (OGRFeatureH f, int i, gint64 v)
{
  if (i >= 0)
    OGR_F_SetFieldInteger64 (f, i, v);
}

static void
set_masked (Export *ex, OGRFeatureH f, int i, const char *value, char *(*mask) (const char *) )
{
  g_autofree char *masked = NULL;

  if (!ex->opts->include_personal_data)
    value = masked = mask (value);
  set_text (f, i, value);
}

/* "8|24" and "Lanjut Usia Telantar|Fakir Miskin" from a category bit mask (ascending codes). */
static void
set_categories (OGRFeatureH f, int codes_i, int names_i, guint32 mask)
{
  g_autoptr(GString) codes = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    if (mask & (1u << (c - 1)))
      {
        const GeoCategory *cat = geo_pmks_get (c);

        g_string_append_printf (codes, "%s%d", codes->len ? "|" : "", c);
        if (names_i >= 0)
          g_string_append_printf (names, "%s%s", names->len ? "|" : "", cat ? cat->name : "?");
      }
  set_text (f, codes_i, codes->str);
  set_text (f, names_i, names->str);
}

static gboolean
gdal_error (GError **error, const char *what)
{
  g_set_error (error,
               GEO_ERROR,
               GEO_ERROR_GDAL,
               "%s: %s",
               what,
               *CPLGetLastErrorMsg () ? CPLGetLastErrorMsg () : "unknown GDAL error");
  return FALSE;
}

static gboolean
set_point (Export *ex, OGRFeatureH f, double lon, double lat, GError **error)
{
  double x = lon, y = lat;

  if (ex->ct != NULL && !OCTTransform (ex->ct, 1, &x, &y, NULL))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_PROJ,
                   "cannot transform %.6f, %.6f to the output CRS",
                   lon,
                   lat);
      return FALSE;
    }
  if (ex->xy_fields)
    {
      OGR_F_SetFieldDouble (f, ex->x_field, x);
      OGR_F_SetFieldDouble (f, ex->y_field, y);
    }
  if (OGR_FD_GetGeomType (ex->defn) != wkbNone)
    {
      OGRGeometryH pt = OGR_G_CreateGeometry (wkbPoint);

      OGR_G_SetPoint_2D (pt, 0, x, y);
      OGR_F_SetGeometryDirectly (f, pt);
    }
  return TRUE;
}

/* Writes @f (and destroys it), reports progress, checks for cancellation. */
static gboolean
write_feature (Export *ex, OGRFeatureH f, GError **error)
{
  OGRErr err;

  CPLErrorReset ();
  err = OGR_L_CreateFeature (ex->layer, f);
  OGR_F_Destroy (f);
  if (err != OGRERR_NONE)
    return gdal_error (error, "Writing a feature");
  ex->written++;
  return TRUE;
}

static gboolean
row_done (Export *ex, GError **error)
{
  ex->done++;
  if (ex->done % 256 == 0 && g_cancellable_set_error_if_cancelled (ex->cancellable, error))
    return FALSE;
  if (ex->done % PROGRESS_EVERY == 0)
    {
      if (ex->opts->progress != NULL && ex->total > 0)
        ex->opts->progress (MIN ((double) ex->done / ex->total, 1.0), ex->opts->progress_data);
    }
  return TRUE;
}

/* Sorted id arrays of the selection, walked in step with the id-ordered query. */
static gboolean
id_selected (const gint64 *ids, guint n, guint *cursor, gint64 id)
{
  while (*cursor < n && ids[*cursor] < id)
    (*cursor)++;
  return *cursor < n && ids[*cursor] == id;
}

static gint64
count_rows (GeoStore *store, const char *table, GError **error)
{
  return geo_store_count (store, table, error);
}

#define FI(column) (ex->map[column])

static gboolean
export_persons (Export *ex, const GeoSelection *sel, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  OGRFeatureH pending = NULL;
  gint64      cur = -1;
  guint32     mask = 0;
  char       *status_of[GEO_PMKS_N_CATEGORIES + 1] = { NULL };
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  gboolean skip = FALSE;
  guint    cursor = 0;
  int      rc;

  /* Ordered by person id only, so SQLite streams the person table in rowid order without a
   * sort; memberships of a person arrive together and are collected into a bit mask. */
  stmt =
      geo_store_prepare (ex->store,
                         "SELECT p.id, p.family_id, p.nik, f.no_kk, p.name, p.sex, p.birth_date, "
                         "p.relation, f.address, f.rt, f.rw, f.desa_code, f.loc_source, "
                         "f.gps_accuracy_m, ST_X (f.geom), ST_Y (f.geom), m.category, m.status "
                         "FROM person AS p JOIN family AS f ON f.id = p.family_id "
                         "LEFT JOIN membership AS m ON m.person_id = p.id ORDER BY p.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  ex->total =
      sel != NULL ? sel->n_persons : (guint64) MAX (count_rows (ex->store, "person", NULL), 0);

#define FLUSH_PERSON()                                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (pending != NULL)                                                                           \
      {                                                                                            \
        g_autoptr(GString) st = g_string_new (NULL);                                              \
        g_ptr_array_set_size (statuses, 0);                                                        \
        for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)                                           \
          if ((mask & (1u << (c - 1))) && status_of[c] != NULL)                                    \
            {                                                                                      \
              gboolean seen = FALSE;                                                               \
              for (guint s = 0; s < statuses->len; s++)                                            \
                seen |= strcmp (statuses->pdata[s], status_of[c]) == 0;                            \
              if (!seen)                                                                           \
                {                                                                                  \
                  g_ptr_array_add (statuses, g_strdup (status_of[c]));                             \
                  g_string_append_printf (st, "%s%s", st->len ? "|" : "", status_of[c]);           \
                }                                                                                  \
            }                                                                                      \
        set_categories (pending, FI (P_CATEGORIES), FI (P_CAT_NAMES), mask);                       \
        set_text (pending, FI (P_STATUS), st->str);                                                \
        if (!write_feature (ex, g_steal_pointer (&pending), error))                                \
          goto fail;                                                                               \
        if (!row_done (ex, error))                                                                 \
          goto fail;                                                                               \
      }                                                                                            \
    for (int c = 0; c <= GEO_PMKS_N_CATEGORIES; c++)                                               \
      g_clear_pointer (&status_of[c], g_free);                                                     \
    mask = 0;                                                                                      \
  }                                                                                                \
  G_STMT_END

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      int    category;

      if (id != cur)
        {
          FLUSH_PERSON ();
          cur = id;
          skip = sel != NULL && !id_selected (sel->person_id, sel->n_persons, &cursor, id);
          if (skip)
            continue;
          pending = OGR_F_Create (ex->defn);
          set_int64 (pending, FI (P_PERSON_ID), id);
          set_int64 (pending, FI (P_FAMILY_ID), sqlite3_column_int64 (stmt, 1));
          set_masked (ex,
                      pending,
                      FI (P_NIK),
                      (const char *) sqlite3_column_text (stmt, 2),
                      geo_mask_id);
          set_masked (ex,
                      pending,
                      FI (P_NO_KK),
                      (const char *) sqlite3_column_text (stmt, 3),
                      geo_mask_id);
          set_masked (ex,
                      pending,
                      FI (P_NAME),
                      (const char *) sqlite3_column_text (stmt, 4),
                      geo_mask_name);
          set_column_text (pending, FI (P_SEX), stmt, 5);
          set_column_text (pending, FI (P_BIRTH_DATE), stmt, 6);
          set_column_text (pending, FI (P_RELATION), stmt, 7);
          set_int64 (pending, FI (P_NO_NIK), sqlite3_column_type (stmt, 2) == SQLITE_NULL);
          set_column_text (pending, FI (P_ADDRESS), stmt, 8);
          set_column_text (pending, FI (P_RT), stmt, 9);
          set_column_text (pending, FI (P_RW), stmt, 10);
          set_column_text (pending, FI (P_DESA_CODE), stmt, 11);
          set_column_text (pending, FI (P_LOC_SOURCE), stmt, 12);
          set_column_real (pending, FI (P_GPS_ACC), stmt, 13);
          if (!set_point (ex,
                          pending,
                          sqlite3_column_double (stmt, 14),
                          sqlite3_column_double (stmt, 15),
                          error))
            goto fail;
        }
      if (skip || sqlite3_column_type (stmt, 16) == SQLITE_NULL)
        continue;
      category = sqlite3_column_int (stmt, 16);
      if (category < 1 || category > GEO_PMKS_N_CATEGORIES)
        continue;
      mask |= 1u << (category - 1);
      g_free (status_of[category]);
      status_of[category] = g_strdup ((const char *) sqlite3_column_text (stmt, 17));
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (ex->store, error, "Reading persons");
      goto fail;
    }
  FLUSH_PERSON ();
#undef FLUSH_PERSON
  return TRUE;

fail:
  if (pending != NULL)
    OGR_F_Destroy (pending);
  for (int c = 0; c <= GEO_PMKS_N_CATEGORIES; c++)
    g_free (status_of[c]);
  return FALSE;
}

static gboolean
export_families (Export *ex, const GeoSelection *sel, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint cursor = 0;
  int   rc;

  /* Per-family aggregates are correlated subqueries on the person_family index: one index
   * range per family, streamed in family id order. sum (DISTINCT 1 << ...) is a bitwise OR. */
  stmt = geo_store_prepare (ex->store,
                            "SELECT f.id, f.no_kk, "
                            " (SELECT name FROM person WHERE family_id = f.id ORDER BY "
                            "  lower (coalesce (relation, '')) NOT LIKE 'kepala%', id LIMIT 1), "
                            " f.address, f.rt, f.rw, f.desa_code, f.loc_source, f.gps_accuracy_m, "
                            " ST_X (f.geom), ST_Y (f.geom), "
                            " (SELECT count(*) FROM person WHERE family_id = f.id), "
                            " (SELECT coalesce (sum (nik IS NULL), 0) FROM person WHERE family_id "
                            "= f.id), "
                            " (SELECT coalesce (sum (DISTINCT 1 << (m.category - 1)), 0) "
                            "  FROM person AS p JOIN membership AS m ON m.person_id = p.id "
                            "  WHERE p.family_id = f.id AND m.category BETWEEN 1 AND 26) "
                            "FROM family AS f ORDER BY f.id",
                            error);
  if (stmt == NULL)
    return FALSE;
  ex->total =
      sel != NULL ? sel->n_families : (guint64) MAX (count_rows (ex->store, "family", NULL), 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64      id = sqlite3_column_int64 (stmt, 0);
      OGRFeatureH f;

      if (sel != NULL && !id_selected (sel->family_id, sel->n_families, &cursor, id))
        continue;
      f = OGR_F_Create (ex->defn);
      set_int64 (f, FI (F_FAMILY_ID), id);
      set_masked (ex, f, FI (F_NO_KK), (const char *) sqlite3_column_text (stmt, 1), geo_mask_id);
      set_masked (ex,
                  f,
                  FI (F_HEAD_NAME),
                  (const char *) sqlite3_column_text (stmt, 2),
                  geo_mask_name);
      set_column_text (f, FI (F_ADDRESS), stmt, 3);
      set_column_text (f, FI (F_RT), stmt, 4);
      set_column_text (f, FI (F_RW), stmt, 5);
      set_column_text (f, FI (F_DESA_CODE), stmt, 6);
      set_column_text (f, FI (F_LOC_SOURCE), stmt, 7);
      set_column_real (f, FI (F_GPS_ACC), stmt, 8);
      set_int64 (f, FI (F_N_PERSONS), sqlite3_column_int (stmt, 11));
      set_int64 (f, FI (F_N_NO_NIK), sqlite3_column_int (stmt, 12));
      set_categories (f,
                      FI (F_CATEGORIES),
                      FI (F_CAT_NAMES),
                      (guint32) sqlite3_column_int64 (stmt, 13));
      if (!set_point (ex,
                      f,
                      sqlite3_column_double (stmt, 9),
                      sqlite3_column_double (stmt, 10),
                      error))
        {
          OGR_F_Destroy (f);
          return FALSE;
        }
      if (!write_feature (ex, f, error) || !row_done (ex, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (ex->store, error, "Reading families");
  return TRUE;
}

static gboolean
export_resources (Export *ex, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt =
      geo_store_prepare (ex->store,
                         "SELECT r.id, r.type, t.name, r.name, r.contact, r.capacity, r.radius_m, "
                         " r.desa_code, ST_X (r.geom), ST_Y (r.geom), "
                         " (SELECT coalesce (sum (DISTINCT 1 << (category - 1)), 0) "
                         "  FROM resource_serves WHERE resource_id = r.id "
                         "  AND category BETWEEN 1 AND 26) "
                         "FROM resource AS r LEFT JOIN psks_type AS t ON t.code = r.type "
                         "ORDER BY r.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  ex->total = (guint64) MAX (count_rows (ex->store, "resource", NULL), 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OGRFeatureH f;

      if (!code_in_areas (ex->opts->filter, (const char *) sqlite3_column_text (stmt, 7)))
        continue;
      f = OGR_F_Create (ex->defn);
      set_int64 (f, FI (R_RESOURCE_ID), sqlite3_column_int64 (stmt, 0));
      set_int64 (f, FI (R_TYPE), sqlite3_column_int (stmt, 1));
      set_column_text (f, FI (R_TYPE_NAME), stmt, 2);
      set_column_text (f, FI (R_NAME), stmt, 3);
      set_column_text (f, FI (R_CONTACT), stmt, 4);
      set_column_int64 (f, FI (R_CAPACITY), stmt, 5);
      set_column_real (f, FI (R_RADIUS_M), stmt, 6);
      set_column_text (f, FI (R_DESA_CODE), stmt, 7);
      set_categories (f, FI (R_SERVES), -1, (guint32) sqlite3_column_int64 (stmt, 10));
      if (!set_point (ex,
                      f,
                      sqlite3_column_double (stmt, 8),
                      sqlite3_column_double (stmt, 9),
                      error))
        {
          OGR_F_Destroy (f);
          return FALSE;
        }
      if (!write_feature (ex, f, error) || !row_done (ex, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (ex->store, error, "Reading resources");
  return TRUE;
}

static gboolean
export_areas (Export *ex, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = geo_store_prepare (ex->store,
                            "SELECT code, level, name, parent_code, population, centroid_lon, "
                            "centroid_lat, AsBinary (geom) FROM area ORDER BY code",
                            error);
  if (stmt == NULL)
    return FALSE;
  ex->total = (guint64) MAX (count_rows (ex->store, "area", NULL), 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OGRFeatureH  f;
      OGRGeometryH geom = NULL;
      const void  *wkb = sqlite3_column_blob (stmt, 7);

      if (!code_in_areas (ex->opts->filter, (const char *) sqlite3_column_text (stmt, 0)))
        continue;
      f = OGR_F_Create (ex->defn);
      set_column_text (f, FI (A_CODE), stmt, 0);
      set_column_text (f, FI (A_LEVEL), stmt, 1);
      set_column_text (f, FI (A_NAME), stmt, 2);
      set_column_text (f, FI (A_PARENT), stmt, 3);
      set_column_int64 (f, FI (A_POPULATION), stmt, 4);
      set_column_real (f, FI (A_CENT_LON), stmt, 5);
      set_column_real (f, FI (A_CENT_LAT), stmt, 6);
      if (ex->xy_fields)
        {
          double x = sqlite3_column_double (stmt, 5), y = sqlite3_column_double (stmt, 6);

          if (ex->ct == NULL || OCTTransform (ex->ct, 1, &x, &y, NULL))
            {
              OGR_F_SetFieldDouble (f, ex->x_field, x);
              OGR_F_SetFieldDouble (f, ex->y_field, y);
            }
        }
      if (wkb != NULL &&
          OGR_G_CreateFromWkb (wkb, NULL, &geom, sqlite3_column_bytes (stmt, 7)) == OGRERR_NONE)
        {
          if (ex->ct != NULL && OGR_G_Transform (geom, ex->ct) != OGRERR_NONE)
            {
              g_set_error (error,
                           GEO_ERROR,
                           GEO_ERROR_PROJ,
                           "area %s: cannot transform to the output CRS",
                           sqlite3_column_text (stmt, 0));
              OGR_G_DestroyGeometry (geom);
              OGR_F_Destroy (f);
              return FALSE;
            }
          if (OGR_FD_GetGeomType (ex->defn) != wkbNone)
            OGR_F_SetGeometryDirectly (f, geom);
          else
            OGR_G_DestroyGeometry (geom);
        }
      if (!write_feature (ex, f, error) || !row_done (ex, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (ex->store, error, "Reading areas");
  return TRUE;
}

#undef FI

static void
delete_output (GDALDriverH drv, const char *path)
{
  CPLPushErrorHandler (CPLQuietErrorHandler);
  if (GDALDeleteDataset (drv, path) != CE_None)
    g_unlink (path);
  CPLPopErrorHandler ();
}

/**
 * geo_export:
 * @path: the output file; an existing file (or shapefile set) is replaced
 * @n_written: (out) (optional): the number of features written
 *
 * Exports one table of the project through OGR, streaming: rows are read with one query in id
 * order and written one at a time, so memory does not grow with the table (a filtered export
 * also holds the selection's id arrays, see geo_selection_load()). Persons carry their family's
 * location and address, their PMKS categories (codes and names), membership status, a no-NIK
 * flag and the location source. NIK, No. KK and names are masked unless
 * @opts->include_personal_data. CSV output has no geometry column for points but two
 * coordinate columns (lon/lat in EPSG:4326, x/y in a projected CRS); areas in CSV carry their
 * polygons as WKT. On failure or cancellation the partial output is deleted.
 */
gboolean
geo_export (GeoStore               *store,
            const char             *path,
            const GeoExportOptions *opts,
            guint64                *n_written,
            GCancellable           *cancellable,
            GError                **error)
{
  g_autoptr(GeoSelection) sel = NULL;
  g_auto(GeoOgrSrs) wgs84 = NULL;
  g_auto(GeoOgrSrs) target = NULL;
  g_auto(GeoOgrTransform) ct = NULL;
  g_autoptr(GPtrArray) lco = g_ptr_array_new_with_free_func (g_free);
  GDALDatasetH       ds = NULL;
  GDALDriverH        drv;
  const char        *driver;
  const Column      *columns;
  guint              n_columns;
  OGRwkbGeometryType gtype;
  gboolean           csv, ok, has_filter;
  gboolean           in_transaction = FALSE;
  OGRErr             err;
  Export             ex = { 0 };

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL && opts != NULL, FALSE);

  if (n_written != NULL)
    *n_written = 0;
  driver = geo_export_driver_name (path, opts->format, error);
  if (driver == NULL)
    return FALSE;
  drv = GDALGetDriverByName (driver);
  if (drv == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_GDAL, "GDAL has no %s driver", driver);
      return FALSE;
    }
  csv = strcmp (driver, "CSV") == 0;

  has_filter = !filter_is_empty (opts->filter);
  if (has_filter && (opts->table == GEO_EXPORT_RESOURCES || opts->table == GEO_EXPORT_AREAS) &&
      (opts->filter->n_categories > 0 || opts->filter->status != NULL || opts->filter->no_nik))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "only --area selects %s; the category, status and no-NIK options select "
                   "persons and families",
                   table_names[opts->table]);
      return FALSE;
    }

  wgs84 = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (wgs84, 4326);
  OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  target = OSRNewSpatialReference (NULL);
  CPLPushErrorHandler (CPLQuietErrorHandler);
  err = OSRSetFromUserInput (target, opts->crs != NULL ? opts->crs : "EPSG:4326");
  CPLPopErrorHandler ();
  if (err != OGRERR_NONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_PROJ,
                   "unknown CRS “%s” (give e.g. EPSG:4326 or EPSG:32749)",
                   opts->crs);
      return FALSE;
    }
  OSRSetAxisMappingStrategy (target, OAMS_TRADITIONAL_GIS_ORDER);
  if (!OSRIsSame (target, wgs84))
    {
      if (strcmp (driver, "KML") == 0)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "KML is always in EPSG:4326 (WGS 84); leave out --crs");
          return FALSE;
        }
      CPLErrorReset ();
      ct = OCTNewCoordinateTransformation (wgs84, target);
      if (ct == NULL)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_PROJ,
                       "cannot transform EPSG:4326 to %s: %s",
                       opts->crs,
                       CPLGetLastErrorMsg ());
          return FALSE;
        }
    }

  /* Load the selection first: a bad filter must not leave an empty file behind. */
  if (has_filter && (opts->table == GEO_EXPORT_PERSONS || opts->table == GEO_EXPORT_FAMILIES))
    {
      sel = geo_selection_load (store, opts->filter, cancellable, error);
      if (sel == NULL)
        return FALSE;
    }

  switch (opts->table)
    {
    case GEO_EXPORT_PERSONS:
      columns = person_columns, n_columns = G_N_ELEMENTS (person_columns), gtype = wkbPoint;
      break;
    case GEO_EXPORT_FAMILIES:
      columns = family_columns, n_columns = G_N_ELEMENTS (family_columns), gtype = wkbPoint;
      break;
    case GEO_EXPORT_RESOURCES:
      columns = resource_columns, n_columns = G_N_ELEMENTS (resource_columns), gtype = wkbPoint;
      break;
    case GEO_EXPORT_AREAS:
      columns = area_columns, n_columns = G_N_ELEMENTS (area_columns), gtype = wkbMultiPolygon;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  if (csv)
    {
      if (gtype == wkbPoint)
        gtype = wkbNone;
      else
        g_ptr_array_add (lco, g_strdup ("GEOMETRY=AS_WKT"));
      /* A .csvt sidecar keeps the column types when the file is read back through OGR. */
      g_ptr_array_add (lco, g_strdup ("CREATE_CSVT=YES"));
    }
  if (strcmp (driver, "ESRI Shapefile") == 0)
    g_ptr_array_add (lco, g_strdup ("ENCODING=UTF-8"));
  if (strcmp (driver, "GeoJSON") == 0)
    g_ptr_array_add (lco, g_strdup ("WRITE_BBOX=NO"));
  g_ptr_array_add (lco, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    delete_output (drv, path);
  CPLErrorReset ();
  ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
  if (ds == NULL)
    return gdal_error (error, path);

  CPLErrorReset ();
  ex.layer = GDALDatasetCreateLayer (ds,
                                     table_names[opts->table],
                                     gtype == wkbNone ? NULL : target,
                                     gtype,
                                     (char **) lco->pdata);
  if (ex.layer == NULL)
    {
      gdal_error (error, "Creating the layer");
      goto fail;
    }
  for (guint i = 0; i < n_columns; i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (columns[i].name, columns[i].type);
      err = OGR_L_CreateField (ex.layer, fd, TRUE);
      OGR_Fld_Destroy (fd);
      if (err != OGRERR_NONE)
        {
          gdal_error (error, "Creating a field");
          goto fail;
        }
    }
  if (csv)
    {
      gboolean      geographic = OSRIsGeographic (target);
      const char   *xn = geographic ? "lon" : "x", *yn = geographic ? "lat" : "y";
      OGRFieldDefnH fx = OGR_Fld_Create (xn, OFTReal);
      OGRFieldDefnH fy = OGR_Fld_Create (yn, OFTReal);

      OGR_L_CreateField (ex.layer, fx, TRUE);
      OGR_L_CreateField (ex.layer, fy, TRUE);
      OGR_Fld_Destroy (fx);
      OGR_Fld_Destroy (fy);
      ex.xy_fields = TRUE;
    }
  /* Drivers may rename or absorb fields (KML turns "name" into the placemark's <name>):
   * write by the layer's own field indices. */
  ex.defn = OGR_L_GetLayerDefn (ex.layer);
  G_STATIC_ASSERT (G_N_ELEMENTS (ex.map) >= P_N);
  for (guint i = 0; i < n_columns; i++)
    ex.map[i] = OGR_FD_GetFieldIndex (ex.defn, columns[i].name);
  if (csv)
    {
      ex.x_field = OGR_FD_GetFieldIndex (ex.defn, OSRIsGeographic (target) ? "lon" : "x");
      ex.y_field = OGR_FD_GetFieldIndex (ex.defn, OSRIsGeographic (target) ? "lat" : "y");
    }
  ex.store = store;
  ex.opts = opts;
  ex.cancellable = cancellable;
  ex.ct = ct;

  /* One transaction where the driver has them (GeoPackage): much faster than autocommit. */
  in_transaction = GDALDatasetStartTransaction (ds, FALSE) == OGRERR_NONE;

  switch (opts->table)
    {
    case GEO_EXPORT_PERSONS:
      ok = export_persons (&ex, sel, error);
      break;
    case GEO_EXPORT_FAMILIES:
      ok = export_families (&ex, sel, error);
      break;
    case GEO_EXPORT_RESOURCES:
      ok = export_resources (&ex, error);
      break;
    case GEO_EXPORT_AREAS:
      ok = export_areas (&ex, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    goto fail;
  if (in_transaction && GDALDatasetCommitTransaction (ds) != OGRERR_NONE)
    {
      gdal_error (error, "Committing the output");
      goto fail;
    }
  CPLErrorReset ();
  GDALClose (ds);
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      gdal_error (error, path);
      delete_output (drv, path);
      return FALSE;
    }
  if (opts->progress != NULL)
    opts->progress (1.0, opts->progress_data);
  if (n_written != NULL)
    *n_written = ex.written;
  return TRUE;

fail:
  /* The output is being thrown away: its driver's complaints while closing are noise. */
  CPLPushErrorHandler (CPLQuietErrorHandler);
  if (in_transaction)
    GDALDatasetRollbackTransaction (ds);
  GDALClose (ds);
  CPLPopErrorHandler ();
  delete_output (drv, path);
  g_prefix_error (error, "%s: ", path);
  return FALSE;
}
