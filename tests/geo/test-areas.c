#include "config.h"

#include <glib/gstdio.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-import-areas.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static char *
shared (const char *rel)
{
  const char *dir = g_getenv ("JANGKAU_SHARED_DATA");

  return g_build_filename (dir ? dir : SHARED_DATA_DIR, rel, NULL);
}

static GeoStore *
new_store (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-areas-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.jangkau", NULL);
  GError *error = NULL;
  GeoStore *store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
query_int (GeoStore *store, const char *sql, const char *arg)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct
{
  const char *in;
  const char *out; /* NULL: invalid */
} CodeCase;

static void
test_code_normalize (void)
{
  static const CodeCase cases[] = {
    { "34.02.01.2001", "34.02.01.2001" },
    { "3402012001", "34.02.01.2001" },
    { "34", "34" },
    { "3402", "34.02" },
    { " 34.02.01 ", "34.02.01" },
    { "34.2", NULL },
    { "34.02.01.201", NULL },
    { "340201200", NULL },
    { "34-02", NULL },
    { "", NULL },
    { "abc", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = geo_area_code_normalize (cases[i].in);
      g_test_message ("“%s”", cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

typedef struct
{
  const char *file;
  guint       expected;
  const char *level;
} RealCase;

/* The real Kemendagri boundary files import with every field auto-detected. */
static void
test_real_boundaries (void)
{
  static const RealCase cases[] = {
    { "boundaries/3402_bantul_kecamatan.geojson", 17, "kecamatan" },
    { "boundaries/3402_bantul_desa_kelurahan.geojson", 75, "desa" },
    { "boundaries/shapefile/3402_bantul_desa_kelurahan.shp", 75, "desa" },
    { "boundaries/5171_denpasar_desa_kelurahan.geojson", 43, "desa" },
    { "boundaries/indonesia_provinsi.geojson", 38, "provinsi" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GeoStore) store = new_store ();
      g_autofree char *path = shared (cases[i].file);
      GeoImportAreasReport report;
      GError *error = NULL;

      g_test_message ("%s", cases[i].file);
      g_assert_true (geo_import_areas (store, path, NULL, &report, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.imported, ==, cases[i].expected);
      g_assert_cmpuint (report.rejected, ==, 0);
      g_assert_cmpint (query_int (store, "SELECT count(*) FROM area WHERE level = ?", cases[i].level),
                       ==,
                       cases[i].expected);
      /* Centroids fall inside their polygons; geometries are valid multipolygons in 4326. */
      g_assert_cmpint (query_int (store,
                                  "SELECT count(*) FROM area WHERE ST_Contains (geom, "
                                  "MakePoint (centroid_lon, centroid_lat, 4326)) AND "
                                  "GeometryType (geom) = 'MULTIPOLYGON' AND ST_SRID (geom) = 4326",
                                  NULL),
                       ==,
                       cases[i].expected);
      geo_import_areas_report_clear (&report);
    }
}

static void
test_gpkg_all_layers_and_parents (void)
{
  g_autoptr(GeoStore) store = new_store ();
  g_autofree char *path = shared ("boundaries/pilot_areas_kecamatan_desa.gpkg");
  GeoImportAreasOptions opts = { .layer = "3402_bantul_desa_kelurahan" };
  GeoImportAreasReport report;
  GError *error = NULL;

  g_assert_true (geo_import_areas (store, path, &opts, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.imported, ==, 75);
  geo_import_areas_report_clear (&report);
  /* Parents come from the code. */
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM area WHERE parent_code = substr (code, 1, 8)",
                              NULL),
                   ==,
                   75);

  /* Every layer: 447 features; re-importing Bantul desa replaces, not duplicates. */
  g_assert_true (geo_import_areas (store, path, NULL, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.imported, ==, 447);
  g_assert_cmpuint (report.replaced, ==, 75);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM area", NULL), ==, 447);
  geo_import_areas_report_clear (&report);

  opts.layer = "no_such_layer";
  g_assert_false (geo_import_areas (store, path, &opts, &report, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  geo_import_areas_report_clear (&report);
}

static void
test_bad_features_and_transaction (void)
{
  g_autoptr(GeoStore) store = new_store ();
  g_autofree char *dir = test_tmp_make_dir ("jangkau-areas-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.geojson", NULL);
  g_autofree char *none = g_build_filename (dir, "none.geojson", NULL);
  const char *poly = "{\"type\":\"Polygon\",\"coordinates\":[[[110.3,-7.9],[110.4,-7.9],[110.4,-7.8],"
                     "[110.3,-7.9]]]}";
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.02.01.2001\",\"nama\":\"Poncosari\"},\"geometry\":%s},"
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.02.01.2001\",\"nama\":\"Again\"},\"geometry\":%s},"
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.2\",\"nama\":\"Bad code\"},\"geometry\":%s},"
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.02.01.2002\",\"nama\":\"\"},\"geometry\":%s},"
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.02.01.2003\",\"nama\":\"Point\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[110.3,-7.9]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.02.01.2004\",\"nama\":\"Paris\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[2.3,48.8],[2.4,48.8],[2.4,48.9],[2.3,48.8]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kode\":\"34.02.01.2005\",\"nama\":\"No geometry\"},\"geometry\":null}"
    "]}",
    poly, poly, poly, poly);
  GeoImportAreasReport report;
  GError *error = NULL;

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  g_assert_true (geo_import_areas (store, path, NULL, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.read, ==, 7);
  g_assert_cmpuint (report.imported, ==, 1);
  g_assert_cmpuint (report.rejected, ==, 6);
  for (guint i = 0; i < report.rejects->len; i++)
    g_test_message ("reject: %s", (char *) report.rejects->pdata[i]);
  g_assert_nonnull (strstr (report.rejects->pdata[0], "twice"));
  g_assert_nonnull (strstr (report.rejects->pdata[1], "not a Kemendagri area code"));
  g_assert_nonnull (strstr (report.rejects->pdata[2], "no name"));
  g_assert_nonnull (strstr (report.rejects->pdata[3], "not a polygon"));
  g_assert_nonnull (strstr (report.rejects->pdata[4], "outside Indonesia"));
  g_assert_nonnull (strstr (report.rejects->pdata[5], "no geometry"));
  geo_import_areas_report_clear (&report);

  /* A file where nothing is importable changes nothing and says why. */
  g_assert_true (g_file_set_contents (
    none,
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"kode\":\"x\","
    "\"nama\":\"y\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[110.3,-7.9],[110.4,-7.9],"
    "[110.4,-7.8],[110.3,-7.9]]]}}]}",
    -1,
    NULL));
  g_assert_false (geo_import_areas (store, none, NULL, &report, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  geo_import_areas_report_clear (&report);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM area", NULL), ==, 1);

  g_assert_false (geo_import_areas (store, "/nonexistent/file.geojson", NULL, &report, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_GDAL);
  g_clear_error (&error);
  geo_import_areas_report_clear (&report);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  g_test_add_func ("/geo/areas/code-normalize", test_code_normalize);
  g_test_add_func ("/geo/areas/real-boundaries", test_real_boundaries);
  g_test_add_func ("/geo/areas/gpkg-layers", test_gpkg_all_layers_and_parents);
  g_test_add_func ("/geo/areas/bad-features", test_bad_features_and_transaction);
  return g_test_run ();
}
