#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-demo.h"
#include "geo-error.h"
#include "geo-export.h"
#include "geo-mask.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static char     *tmp_dir;
static GeoStore *store;

/* ---- masking ---- */

typedef struct
{
  const char *in;
  const char *out;
} MaskCase;

static void
test_mask_id (void)
{
  static const MaskCase cases[] = {
    { "3402126504870003", "3402********0003" },
    { "3402011602080001", "3402********0001" },
    { "123456789", "1234*6789" },
    { "12345678", "********" },
    { "1", "*" },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = geo_mask_id (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_mask_name (void)
{
  static const MaskCase cases[] = {
    { "Siti Aminah", "S. A." }, { "sutrisno", "S." },   { "  Budi   Santoso  Wibowo ", "B. S. W." },
    { "Moh. Ma'ruf", "M. M." }, { "Ñoño ąb", "Ñ. Ą." }, { "", NULL },
    { " .. ", NULL },           { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = geo_mask_name (cases[i].in);
      g_test_message ("“%s”", cases[i].in ? cases[i].in : "(null)");
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* ---- round trips ---- */

/* What the store says about one exported row. */
typedef struct
{
  double x, y;    /* a point, or an area's centroid */
  double bbox[4]; /* areas */
  char  *id_text; /* NIK / No. KK / area name */
  char  *name;    /* person name, family head name, area name */
} Truth;

static void
truth_free (gpointer p)
{
  Truth *t = p;
  g_free (t->id_text);
  g_free (t->name);
  g_free (t);
}

/* Key: person_id / family_id / res_id as text, or the area code. */
static GHashTable *
load_truth (GeoExportTable table)
{
  static const char *const queries[] = {
    [GEO_EXPORT_FAMILIES] =
        "SELECT f.id, ST_X (f.geom), ST_Y (f.geom), f.no_kk, (SELECT name FROM "
        "person WHERE family_id = f.id AND relation = 'Kepala Keluarga'), 0, 0, 0, 0 "
        "FROM family AS f",
    [GEO_EXPORT_PERSONS] = "SELECT p.id, ST_X (f.geom), ST_Y (f.geom), p.nik, p.name, 0, 0, 0, 0 "
                           "FROM person AS p JOIN family AS f ON f.id = p.family_id",
    [GEO_EXPORT_RESOURCES] =
        "SELECT id, ST_X (geom), ST_Y (geom), NULL, name, 0, 0, 0, 0 FROM resource",
    [GEO_EXPORT_AREAS] = "SELECT code, centroid_lon, centroid_lat, NULL, name, MbrMinX (geom), "
                         "MbrMinY (geom), MbrMaxX (geom), MbrMaxY (geom) FROM area",
  };
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, queries[table], NULL);
  GHashTable *truth = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, truth_free);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Truth *t = g_new0 (Truth, 1);

      t->x = sqlite3_column_double (stmt, 1);
      t->y = sqlite3_column_double (stmt, 2);
      t->id_text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      t->name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      for (int i = 0; i < 4; i++)
        t->bbox[i] = sqlite3_column_double (stmt, 5 + i);
      g_hash_table_insert (truth, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), t);
    }
  return truth;
}

typedef struct
{
  GeoExportTable table;
  const char    *ext;
  const char    *crs; /* NULL = 4326 */
  gboolean       personal;
  const char    *category; /* a filter, NULL = none */
} RoundTrip;

static const char *const key_fields[] = {
  [GEO_EXPORT_FAMILIES] = "family_id",
  [GEO_EXPORT_PERSONS] = "person_id",
  [GEO_EXPORT_RESOURCES] = "res_id",
  [GEO_EXPORT_AREAS] = "code",
};

static gint64
expected_count (const RoundTrip *rt)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  static const char *const all[] = {
    "SELECT count(*) FROM family",
    "SELECT count(*) FROM person",
    "SELECT count(*) FROM resource",
    "SELECT count(*) FROM area",
  };

  if (rt->category != NULL)
    stmt = geo_store_prepare (store,
                              rt->table == GEO_EXPORT_PERSONS
                                  ? "SELECT count(DISTINCT person_id) FROM membership WHERE "
                                    "category = ?"
                                  : "SELECT count(DISTINCT p.family_id) FROM membership AS m JOIN "
                                    "person "
                                    "AS p ON p.id = m.person_id WHERE m.category = ?",
                              NULL);
  else
    stmt = geo_store_prepare (store, all[rt->table], NULL);
  if (rt->category != NULL)
    sqlite3_bind_int (stmt, 1, atoi (rt->category));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
is_masked_id (const char *s)
{
  if (s == NULL || strlen (s) != 16)
    return FALSE;
  for (int i = 0; i < 16; i++)
    if ((i >= 4 && i < 12) ? s[i] != '*' : !g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
test_round_trip (gconstpointer data)
{
  const RoundTrip *rt = data;
  g_autofree char *name = g_strdup_printf ("%s-%s%s%s.%s",
                                           geo_export_table_to_string (rt->table),
                                           rt->crs ? "utm" : "wgs",
                                           rt->personal ? "-pd" : "",
                                           rt->category ? "-sel" : "",
                                           rt->ext);
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GHashTable) truth = load_truth (rt->table);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_auto(GeoGdalDataset) ds = NULL;
  g_auto(GeoOgrTransform) back = NULL;
  GeoExportOptions opts = { 0 };
  OGRLayerH        layer;
  OGRFeatureH      feat;
  gboolean         csv = strcmp (rt->ext, "csv") == 0;
  gboolean         kml = strcmp (rt->ext, "kml") == 0;
  guint64          written = 0;
  gint64           expected = expected_count (rt);
  guint            n = 0, masked_names = 0;
  int              key_i, x_i = -1, y_i = -1, id_i = -1, name_i;
  GError          *error = NULL;

  opts.table = rt->table;
  opts.crs = rt->crs;
  opts.include_personal_data = rt->personal;
  if (rt->category != NULL)
    {
      g_assert_true (geo_filter_add_category (filter, rt->category, &error));
      opts.filter = filter;
    }
  g_assert_true (geo_export (store, path, &opts, &written, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, expected);
  g_assert_cmpint (expected, >, 0);

  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALDatasetGetLayerCount (ds), ==, 1);
  layer = GDALDatasetGetLayer (ds, 0);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, expected);

  if (!csv)
    {
      OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (layer);
      g_auto(GeoOgrSrs) wgs84 = OSRNewSpatialReference (NULL);
      g_auto(GeoOgrSrs) copy = NULL;

      g_assert_nonnull (srs);
      OSRImportFromEPSG (wgs84, 4326);
      OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
      if (rt->crs != NULL)
        {
          g_auto(GeoOgrSrs) want = OSRNewSpatialReference (NULL);

          OSRSetFromUserInput (want, rt->crs);
          g_assert_true (OSRIsSame (srs, want));
          copy = OSRClone (srs);
          OSRSetAxisMappingStrategy (copy, OAMS_TRADITIONAL_GIS_ORDER);
          back = OCTNewCoordinateTransformation (copy, wgs84);
          g_assert_nonnull (back);
        }
      else
        g_assert_true (OSRIsSame (srs, wgs84) || OSRIsGeographic (srs));
    }

  {
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);

    key_i = OGR_FD_GetFieldIndex (defn, key_fields[rt->table]);
    g_assert_cmpint (key_i, >=, 0);
    if (csv)
      {
        x_i = OGR_FD_GetFieldIndex (defn, rt->crs ? "x" : "lon");
        y_i = OGR_FD_GetFieldIndex (defn, rt->crs ? "y" : "lat");
        g_assert_cmpint (x_i, >=, 0);
        g_assert_cmpint (y_i, >=, 0);
      }
    if (rt->table == GEO_EXPORT_PERSONS)
      id_i = OGR_FD_GetFieldIndex (defn, "nik");
    else if (rt->table == GEO_EXPORT_FAMILIES)
      id_i = OGR_FD_GetFieldIndex (defn, "no_kk");
    name_i = OGR_FD_GetFieldIndex (defn,
                                   rt->table == GEO_EXPORT_FAMILIES ? "head_name"
                                   : kml                            ? "Name"
                                                                    : "name");
    g_assert_cmpint (name_i, >=, 0);
    if (rt->table == GEO_EXPORT_PERSONS)
      {
        static const char *const person_fields[] = { "categories", "cat_names",  "status",
                                                     "no_nik",     "loc_source", "family_id" };
        for (guint i = 0; i < G_N_ELEMENTS (person_fields); i++)
          g_assert_cmpint (OGR_FD_GetFieldIndex (defn, person_fields[i]), >=, 0);
      }
  }

  OGR_L_ResetReading (layer);
  while ((feat = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_auto(GeoOgrFeature) f = feat;
      const char  *key = OGR_F_GetFieldAsString (f, key_i);
      const Truth *t = g_hash_table_lookup (truth, key);
      double       x, y;

      g_assert_nonnull (t);
      g_assert_false (g_hash_table_contains (seen, t));
      g_hash_table_add (seen, (gpointer) t);
      n++;

      /* Coordinates: a point (or CSV columns); for areas the polygon's bounding box. */
      if (rt->table == GEO_EXPORT_AREAS && !csv)
        {
          OGRGeometryH g = OGR_F_GetGeometryRef (f);
          OGREnvelope  env;

          g_assert_nonnull (g);
          g_assert_cmpstr (OGR_F_GetFieldAsString (f, name_i), ==, t->name);
          if (back != NULL)
            {
              g_auto(GeoOgrGeometry) copy = OGR_G_Clone (g);
              g_assert_cmpint (OGR_G_Transform (copy, back), ==, OGRERR_NONE);
              OGR_G_GetEnvelope (copy, &env);
              /* A projected bbox maps back to a slightly different bbox: compare loosely. */
              g_assert_cmpfloat_with_epsilon (env.MinX, t->bbox[0], 1e-4);
              g_assert_cmpfloat_with_epsilon (env.MaxY, t->bbox[3], 1e-4);
            }
          else
            {
              OGR_G_GetEnvelope (g, &env);
              g_assert_cmpfloat_with_epsilon (env.MinX, t->bbox[0], 1e-6);
              g_assert_cmpfloat_with_epsilon (env.MinY, t->bbox[1], 1e-6);
              g_assert_cmpfloat_with_epsilon (env.MaxX, t->bbox[2], 1e-6);
              g_assert_cmpfloat_with_epsilon (env.MaxY, t->bbox[3], 1e-6);
            }
          continue;
        }
      if (csv)
        {
          x = OGR_F_GetFieldAsDouble (f, x_i);
          y = OGR_F_GetFieldAsDouble (f, y_i);
        }
      else
        {
          OGRGeometryH g = OGR_F_GetGeometryRef (f);

          g_assert_nonnull (g);
          x = OGR_G_GetX (g, 0);
          y = OGR_G_GetY (g, 0);
        }
      if (rt->crs != NULL)
        {
          /* UTM 49S metres around Bantul. */
          g_assert_cmpfloat (x, >, 380000);
          g_assert_cmpfloat (x, <, 480000);
          g_assert_cmpfloat (y, >, 9080000);
          g_assert_cmpfloat (y, <, 9160000);
          if (back == NULL)
            {
              g_auto(GeoOgrSrs) utm = OSRNewSpatialReference (NULL);
              g_auto(GeoOgrSrs) wgs84 = OSRNewSpatialReference (NULL);

              OSRSetFromUserInput (utm, rt->crs);
              OSRImportFromEPSG (wgs84, 4326);
              OSRSetAxisMappingStrategy (utm, OAMS_TRADITIONAL_GIS_ORDER);
              OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
              back = OCTNewCoordinateTransformation (utm, wgs84);
            }
          g_assert_true (OCTTransform (back, 1, &x, &y, NULL));
        }
      g_assert_cmpfloat_with_epsilon (x, t->x, 1e-6);
      g_assert_cmpfloat_with_epsilon (y, t->y, 1e-6);

      /* Personal data: masked unless asked for. */
      if (id_i >= 0 && OGR_F_IsFieldSetAndNotNull (f, id_i))
        {
          const char *v = OGR_F_GetFieldAsString (f, id_i);

          if (t->id_text == NULL) /* no NIK: formats without NULL (CSV, KML, DBF) give "" */
            g_assert_cmpstr (v, ==, "");
          else if (rt->personal)
            g_assert_cmpstr (v, ==, t->id_text);
          else
            {
              g_autofree char *m = geo_mask_id (t->id_text);
              g_assert_true (is_masked_id (v));
              g_assert_cmpstr (v, ==, m);
            }
        }
      if (rt->table == GEO_EXPORT_RESOURCES || rt->table == GEO_EXPORT_AREAS)
        g_assert_cmpstr (OGR_F_GetFieldAsString (f, name_i), ==, t->name); /* not personal */
      else if (OGR_F_IsFieldSetAndNotNull (f, name_i))
        {
          const char *v = OGR_F_GetFieldAsString (f, name_i);

          if (rt->personal)
            g_assert_cmpstr (v, ==, t->name);
          else
            {
              g_autofree char *m = geo_mask_name (t->name);
              g_assert_cmpstr (v, ==, m);
              g_assert_cmpstr (v, !=, t->name);
              masked_names++;
            }
        }
    }
  g_assert_cmpuint (n, ==, expected);
  if (!rt->personal && (rt->table == GEO_EXPORT_PERSONS || rt->table == GEO_EXPORT_FAMILIES))
    g_assert_cmpuint (masked_names, >, 0);
}

static void
test_persons_fields (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "fields.gpkg", NULL);
  GeoExportOptions opts = { .table = GEO_EXPORT_PERSONS };
  g_auto(GeoGdalDataset) ds = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  OGRLayerH layer;
  GError   *error = NULL;
  guint     checked = 0;

  g_assert_true (geo_export (store, path, &opts, NULL, NULL, &error));
  g_assert_no_error (error);
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  layer = GDALDatasetGetLayer (ds, 0);
  /* Against the store: categories as sorted codes, no-NIK flag, location source. */
  stmt = geo_store_prepare (store,
                            "SELECT p.id, p.nik IS NULL, f.loc_source, (SELECT group_concat "
                            "(category, '|') "
                            "FROM (SELECT category FROM membership WHERE person_id = p.id ORDER BY "
                            "category)) FROM person AS p JOIN family AS f ON f.id = p.family_id "
                            "ORDER BY p.id",
                            NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GeoOgrFeature) f = NULL;
      g_autofree char *attr = g_strdup_printf ("person_id = %" G_GINT64_FORMAT,
                                               (gint64) sqlite3_column_int64 (stmt, 0));
      const char      *cats = (const char *) sqlite3_column_text (stmt, 3);

      OGR_L_SetAttributeFilter (layer, attr);
      OGR_L_ResetReading (layer);
      f = OGR_L_GetNextFeature (layer);
      g_assert_nonnull (f);
      g_assert_cmpint (OGR_F_GetFieldAsInteger (f, OGR_F_GetFieldIndex (f, "no_nik")),
                       ==,
                       sqlite3_column_int (stmt, 1));
      g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "loc_source")),
                       ==,
                       (const char *) sqlite3_column_text (stmt, 2));
      g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "categories")),
                       ==,
                       cats ? cats : "");
      if (cats != NULL && strcmp (cats, "24") == 0)
        g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "cat_names")),
                         ==,
                         "Fakir Miskin");
      if (cats != NULL)
        g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "status")), !=, "");
      if (++checked == 200)
        break;
    }
  g_assert_cmpuint (checked, ==, 200);
}

static void
test_errors (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "bad.xyz", NULL);
  g_autofree char *kml = g_build_filename (tmp_dir, "utm.kml", NULL);
  GeoExportOptions opts = { .table = GEO_EXPORT_FAMILIES };
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  GError *error = NULL;

  g_assert_false (geo_export (store, path, &opts, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);

  opts.crs = "EPSG:32749";
  g_assert_false (geo_export (store, kml, &opts, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (kml, G_FILE_TEST_EXISTS));

  opts.crs = "EPSG:999999";
  g_clear_pointer (&path, g_free);
  path = g_build_filename (tmp_dir, "badcrs.gpkg", NULL);
  g_assert_false (geo_export (store, path, &opts, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_PROJ);
  g_clear_error (&error);

  opts.crs = NULL;
  opts.table = GEO_EXPORT_RESOURCES;
  g_assert_true (geo_filter_add_category (filter, "8", &error));
  opts.filter = filter;
  g_assert_false (geo_export (store, path, &opts, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);

  /* Format names and extensions. */
  g_assert_cmpstr (geo_export_driver_name ("a.GPKG", NULL, NULL), ==, "GPKG");
  g_assert_cmpstr (geo_export_driver_name ("a.json", NULL, NULL), ==, "GeoJSON");
  g_assert_cmpstr (geo_export_driver_name ("a", "shp", NULL), ==, "ESRI Shapefile");
  g_assert_cmpstr (geo_export_driver_name ("a.out", "FlatGeobuf", NULL), ==, "FlatGeobuf");
  g_assert_null (geo_export_driver_name ("noext", NULL, NULL));
}

static void
test_cancel (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "cancelled.gpkg", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GeoExportOptions opts = { .table = GEO_EXPORT_PERSONS };
  GError          *error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (geo_export (store, path, &opts, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static const RoundTrip cases[] = {
  /* every table to every format, masked */
  { GEO_EXPORT_PERSONS, "gpkg" },
  { GEO_EXPORT_PERSONS, "geojson" },
  { GEO_EXPORT_PERSONS, "csv" },
  { GEO_EXPORT_PERSONS, "kml" },
  { GEO_EXPORT_PERSONS, "shp" },
  { GEO_EXPORT_FAMILIES, "gpkg" },
  { GEO_EXPORT_FAMILIES, "geojson" },
  { GEO_EXPORT_FAMILIES, "csv" },
  { GEO_EXPORT_FAMILIES, "kml" },
  { GEO_EXPORT_FAMILIES, "shp" },
  { GEO_EXPORT_RESOURCES, "gpkg" },
  { GEO_EXPORT_RESOURCES, "geojson" },
  { GEO_EXPORT_RESOURCES, "csv" },
  { GEO_EXPORT_RESOURCES, "kml" },
  { GEO_EXPORT_RESOURCES, "shp" },
  { GEO_EXPORT_AREAS, "gpkg" },
  { GEO_EXPORT_AREAS, "geojson" },
  { GEO_EXPORT_AREAS, "csv" },
  { GEO_EXPORT_AREAS, "kml" },
  { GEO_EXPORT_AREAS, "shp" },
  /* personal data */
  { GEO_EXPORT_PERSONS, "gpkg", NULL, TRUE },
  { GEO_EXPORT_PERSONS, "csv", NULL, TRUE },
  { GEO_EXPORT_FAMILIES, "shp", NULL, TRUE },
  /* another CRS */
  { GEO_EXPORT_FAMILIES, "gpkg", "EPSG:32749" },
  { GEO_EXPORT_PERSONS, "csv", "EPSG:32749" },
  { GEO_EXPORT_RESOURCES, "shp", "EPSG:32749" },
  { GEO_EXPORT_AREAS, "geojson", "EPSG:32749" },
  /* a selection */
  { GEO_EXPORT_PERSONS, "gpkg", NULL, FALSE, "8" },
  { GEO_EXPORT_FAMILIES, "geojson", NULL, FALSE, "9" },
};

int
main (int argc, char **argv)
{
  g_autofree char *db = NULL;
  GeoDemoOptions   opts = { .households = 250, .seed = 11 };
  GeoDemoReport    report;
  GError          *error = NULL;
  int              rc;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  tmp_dir = test_tmp_make_dir ("jangkau-export-XXXXXX", NULL);
  db = g_build_filename (tmp_dir, "e.jangkau", NULL);
  store = geo_store_open (db, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (geo_demo_build (store, &opts, &report, NULL, &error));
  g_assert_no_error (error);
  geo_demo_report_clear (&report);

  g_test_add_func ("/geo/mask/id", test_mask_id);
  g_test_add_func ("/geo/mask/name", test_mask_name);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RoundTrip *c = &cases[i];
      g_autofree char *name = g_strdup_printf ("/geo/export/round-trip/%s/%s%s%s%s",
                                               geo_export_table_to_string (c->table),
                                               c->ext,
                                               c->crs ? "/utm49s" : "",
                                               c->personal ? "/personal-data" : "",
                                               c->category ? "/selection" : "");
      g_test_add_data_func (name, c, test_round_trip);
    }
  g_test_add_func ("/geo/export/persons-fields", test_persons_fields);
  g_test_add_func ("/geo/export/errors", test_errors);
  g_test_add_func ("/geo/export/cancel", test_cancel);
  rc = g_test_run ();

  g_clear_object (&store);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
        g_remove (p);
      }
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
