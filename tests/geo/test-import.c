#include "config.h"

#include <math.h>
#include <string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-import.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

typedef struct
{
  char     *dir;
  char     *db;
  GeoStore *store;
} Fixture;

static const char *HEADER = "nik,no_kk,nama,jk,tgl_lahir,kode_desa,kategori,lat,lon\n";

/* A project with one kecamatan and one desa (a 0.02 degree square around 110.35, -7.90), created
 * once and copied for each test: creating SpatiaLite metadata is slow under the sanitizers. */
static char *template_db = NULL;

static void
create_template (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_auto(GeoOgrGeometry) geom = NULL;
  char *wkt = (char *) "MULTIPOLYGON (((110.34 -7.91, 110.36 -7.91, 110.36 -7.89, 110.34 -7.89, "
                       "110.34 -7.91)))";
  GeoAreaRecord kec = { "34.02.01", GEO_AREA_KECAMATAN, "Srandakan", "34.02", -1, NULL, 0 };
  GeoAreaRecord desa = { "34.02.01.2001", GEO_AREA_DESA, "Poncosari", "34.02.01", -1, NULL, 0 };
  g_autofree guint8 *wkb = NULL;

  store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (OGR_G_CreateFromWkt (&wkt, NULL, &geom), ==, OGRERR_NONE);
  desa.wkb_len = OGR_G_WkbSize (geom);
  wkb = g_malloc (desa.wkb_len);
  OGR_G_ExportToWkb (geom, wkbNDR, wkb);
  desa.wkb = wkb;
  kec.wkb = wkb;
  kec.wkb_len = desa.wkb_len;
  g_assert_cmpint (geo_store_insert_area (store, &kec, &error), >, 0);
  g_assert_cmpint (geo_store_insert_area (store, &desa, &error), >, 0);
  g_assert_no_error (error);
  /* Fold the WAL into the file so that copying the file copies the project. */
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (store), "PRAGMA wal_checkpoint(TRUNCATE)",
                                 NULL, NULL, NULL),
                   ==,
                   SQLITE_OK);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize len;

  f->dir = test_tmp_make_dir ("jangkau-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "p.jangkau", NULL);
  g_file_get_contents (template_db, &bytes, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (f->db, bytes, len, &error);
  g_assert_no_error (error);
  f->store = geo_store_open (f->db, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_store_count_areas (f->store, GEO_AREA_DESA), ==, 1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_tmp_remove (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static char *
write_file (Fixture *f, const char *name, const char *content, gssize len)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, len, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
query_int (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static double
query_double (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_double (stmt, 0);
}

static char *
query_text (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
import_ok (Fixture *f, const char *path, const GeoImportOptions *opts, GeoImportReport *report)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (geo_import_households (f->store, path, opts, report, NULL, &error));
  g_assert_no_error (error);
}

/* The spatial index holds every family once and passes SQLite's own consistency check. */
static void
assert_spatial_index (GeoStore *store)
{
  g_autofree char *check = query_text (store, "SELECT rtreecheck ('idx_family_geom')");

  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM idx_family_geom"),
                   ==,
                   query_int (store, "SELECT count(*) FROM family"));
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name "
                              "IN ('gii_family_geom', 'tmi_family_geom', 'ggi_family_geom')"),
                   ==,
                   3);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_basic (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *birth = NULL;
  GeoImportReport r;

  path = write_file (f,
                     "h.csv",
                     "NIK,No. KK,Nama,Jenis_Kelamin,Tanggal Lahir,Alamat,RT,RW,Kode_Desa,"
                     "Kategori,Latitude,Longitude,SHDK\n"
                     "3402011201900001,3402010101200001,Budi,LK,12/01/1990,Jl. Samas 1,001,002,"
                     "34.02.01.2001,24,-7.9,110.35,Kepala Keluarga\n"
                     "3402015305920002,3402010101200001,Sri,PR,13-05-1992,,,,,"
                     "Fakir Miskin|lansia terlantar,-7.9,110.35,Istri\n"
                     "3402012308150003,'3402010101200001,Adi,M,2015-08-23,,,,,,-7.9,110.35,Anak\n"
                     ",3402010101200001,Bayi,F,,,,,,\"8, 24\",-7.9,110.35,Anak\n"
                     "3402014107600004,,Wati,P,01/07/1960,,,,,Disabilitas,-7.8,110.4,\n",
                     -1);
  import_ok (f, path, NULL, &r);
  g_assert_cmpuint (r.read, ==, 5);
  g_assert_cmpuint (r.imported, ==, 5);
  g_assert_cmpuint (r.rejected, ==, 0);
  g_assert_cmpuint (r.families, ==, 2);
  g_assert_cmpuint (r.no_nik, ==, 1);
  g_assert_cmpuint (r.approximate, ==, 0);
  g_assert_null (r.rejects_path);
  g_assert_cmpint (r.batch_id, >, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person"), ==, 5);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM family"), ==, 2);
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM person WHERE family_id = (SELECT id FROM "
                              "family WHERE no_kk = '3402010101200001')"),
                   ==,
                   4);
  /* Sri: 24 and 8 (terlantar spelling); Bayi: 8 and 24; Budi 24; Wati 9. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM membership"), ==, 6);
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM membership m JOIN person p ON p.id = "
                              "m.person_id WHERE p.name = 'Sri' AND m.category IN (8, 24)"),
                   ==,
                   2);
  name = query_text (f->store, "SELECT name FROM person WHERE nik = '3402014107600004'");
  g_assert_cmpstr (name, ==, "Wati");
  birth = query_text (f->store, "SELECT birth_date || sex FROM person WHERE name = 'Sri'");
  g_assert_cmpstr (birth, ==, "1992-05-13P");
  g_clear_pointer (&birth, g_free);
  birth = query_text (f->store, "SELECT relation || rt || rw || desa_code FROM person p JOIN "
                                "family f ON f.id = p.family_id WHERE p.name = 'Budi'");
  g_assert_cmpstr (birth, ==, "Kepala Keluarga00100234.02.01.2001");
  g_assert_cmpfloat_with_epsilon (query_double (f->store,
                                                "SELECT X (geom) FROM family WHERE no_kk IS NULL"),
                                  110.4,
                                  1e-9);
  g_assert_cmpint (query_int (f->store, "SELECT rows_read * 100 + imported FROM import_batch"),
                   ==,
                   505);
  g_assert_cmpint (query_int (f->store, "SELECT count(DISTINCT import_batch) FROM person"), ==, 1);
  assert_spatial_index (f->store);
  geo_import_report_clear (&r);
}

/* One row per reject reason; the rejects file keeps row numbers, values and reasons. */
static const struct
{
  const char *row;
  const char *reason;
} reason_rows[] = {
  { "3402011201900001,3402010101200001,Ok,L,12/01/1990,,24,-7.9,110.35", NULL },
  { "340201120190001,,A,L,,,,-7.9,110.35", "nik_length" },
  { "34020112019000x1,,A,L,,,,-7.9,110.35", "nik_digits" },
  { "3402013201900001,,A,L,,,,-7.9,110.35", "nik_date" },
  { "3402011201900000,,A,L,,,,-7.9,110.35", "nik_serial" },
  { "9999991201900001,,A,L,,,,-7.9,110.35", "nik_region" },
  { "3402011201900002,,A,P,,,,-7.9,110.35", "nik_sex" },
  { "3402011201900003,,A,L,13/01/1990,,,-7.9,110.35", "nik_birth_date" },
  { "3402011201900004,12345,A,L,,,,-7.9,110.35", "kk_length" },
  { "3402011201900005,34020101012000AB,A,L,,,,-7.9,110.35", "kk_digits" },
  { "3402011201900006,0000000000000000,A,L,,,,-7.9,110.35", "kk_zeros" },
  { "3402011201900007,9999990101200001,A,L,,,,-7.9,110.35", "kk_region" },
  { "3402011201900001,,Again,L,,,,-7.9,110.35", "duplicate_nik" },
  { ",,A,X,,,,-7.9,110.35", "bad_sex" },
  { ",,A,L,31/02/1990,,,-7.9,110.35", "bad_birth_date" },
  { ",,A,L,,,99,-7.9,110.35", "bad_category" },
  { ",,A,L,,,,abc,110.35", "bad_coordinates" },
  { ",,A,L,,,,-7.9,", "bad_coordinates" },
  { ",,Paris,L,,,,48.85,2.35", "outside_indonesia" },
  { ",,A,L,,,,110.35,-7.9", "swapped_lat_lon" },
  { ",,A,L,,34.02.99.9999,,,", "unknown_desa" },
  { ",,A,L,,,,,", "no_location" },
  { ",,Approx,L,,3402012001,,,", NULL },
  { ",3402010101200001,Member,L,,,,,", NULL },
};

static void
test_reasons (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new (HEADER);
  g_autofree char *path = NULL;
  g_autofree char *rejects = NULL;
  g_autofree char *expected_rejects = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *expected = g_hash_table_new (g_str_hash, g_str_equal);
  GeoImportReport r;
  guint n_rejected = 0, line = 1;

  for (guint i = 0; i < G_N_ELEMENTS (reason_rows); i++)
    {
      g_string_append_printf (csv, "%s\n", reason_rows[i].row);
      if (reason_rows[i].reason != NULL)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (expected, reason_rows[i].reason));

          g_hash_table_insert (expected, (gpointer) reason_rows[i].reason, GUINT_TO_POINTER (n + 1));
          n_rejected++;
        }
    }
  path = write_file (f, "bad.csv", csv->str, -1);
  import_ok (f, path, NULL, &r);
  g_assert_cmpuint (r.read, ==, G_N_ELEMENTS (reason_rows));
  g_assert_cmpuint (r.rejected, ==, n_rejected);
  g_assert_cmpuint (r.imported, ==, G_N_ELEMENTS (reason_rows) - n_rejected);
  g_assert_cmpuint (r.approximate, ==, 1);
  g_assert_cmpuint (r.no_nik, ==, 2);
  for (int k = 0; k < GEO_IMPORT_N_REASONS; k++)
    {
      const char *key = geo_import_reason_to_string (k);
      guint want = GPOINTER_TO_UINT (g_hash_table_lookup (expected, key));

      /* Resource-only reasons never occur here. */
      g_test_message ("%s: %" G_GUINT64_FORMAT, key, r.reasons[k]);
      g_assert_cmpuint (r.reasons[k], ==, want);
    }
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM family WHERE loc_source = 'desa_centroid' AND "
                              "abs (X (geom) - 110.35) < 0.01 AND abs (Y (geom) + 7.90) < 0.01"),
                   ==,
                   1);
  /* The member without a location joined the family of row 1. */
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM person p JOIN family f ON f.id = p.family_id "
                              "WHERE f.no_kk = '3402010101200001'"),
                   ==,
                   2);

  /* Default rejects path: beside the input. */
  expected_rejects = g_build_filename (f->dir, "bad.rejects.csv", NULL);
  g_assert_cmpstr (r.rejects_path, ==, expected_rejects);
  g_file_get_contents (r.rejects_path, &rejects, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (rejects, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "row,nik,no_kk,nama,jk,tgl_lahir,kode_desa,kategori,lat,lon,"
                                 "reason,detail");
  for (guint i = 0; i < G_N_ELEMENTS (reason_rows); i++)
    {
      g_autofree char *prefix = NULL;

      if (reason_rows[i].reason == NULL)
        continue;
      prefix = g_strdup_printf ("%u,%s,%s,", i + 1, reason_rows[i].row, reason_rows[i].reason);
      g_assert_true (g_str_has_prefix (lines[line], prefix));
      line++;
    }
  g_assert_cmpstr (lines[line], ==, "");
  g_assert_null (lines[line + 1]);
  g_hash_table_unref (expected);
  geo_import_report_clear (&r);
}

/* Semicolons, decimal commas, a UTF-8 BOM and CRLF, through the built-in reader and OGR. */
static void
test_semicolon (Fixture *f, gconstpointer data)
{
  const char *csv = "\xEF\xBB\xBFNIK;NAMA;JK;TGL_LAHIR;LINTANG;BUJUR;KATEGORI\r\n"
                    "3402011201900001;Budi Santoso;L;12/01/1990;-7,8912;110,3456;24\r\n"
                    "3402015201900002;\"Sri; Wahyuni\";P;12.01.1990;-7,9;110,36;\"8|24\"\r\n"
                    "\r\n"
                    "3402011201900003;Joko;L;;-7,95;110,2;\r\n";

  for (int via_ogr = 0; via_ogr < 2; via_ogr++)
    {
      g_autofree char *name = g_strdup_printf ("semi%d.csv", via_ogr);
      g_autofree char *path = write_file (f, name, csv, -1);
      g_autofree char *sri = NULL;
      GeoImportOptions opts = { .csv_through_ogr = via_ogr, .on_duplicate = GEO_IMPORT_DUPLICATE_SKIP };
      GeoImportReport r;

      import_ok (f, path, &opts, &r);
      g_assert_cmpuint (r.read, ==, 3);
      g_assert_cmpuint (r.rejected, ==, 0);
      g_assert_cmpuint (r.imported + r.skipped, ==, 3);
      g_assert_cmpuint (r.skipped, ==, via_ogr ? 3 : 0);
      sri = query_text (f->store, "SELECT name || birth_date FROM person WHERE nik = '3402015201900002'");
      g_assert_cmpstr (sri, ==, "Sri; Wahyuni1990-01-12");
      g_assert_cmpfloat_with_epsilon (
        query_double (f->store,
                      "SELECT X (f.geom) + Y (f.geom) FROM family f JOIN person p ON "
                      "p.family_id = f.id WHERE p.nik = '3402011201900001'"),
        110.3456 - 7.8912,
        1e-9);
      geo_import_report_clear (&r);
    }
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM import_batch"), ==, 2);
}

/* Writes the same three persons with a GDAL driver: point geometries in @epsg (0: no geometry,
 * lat/lon fields), the birth date as a date field or an Excel serial number. */
static char *
write_ogr (Fixture *f, const char *driver_name, const char *file, int epsg, int date_kind)
{
  static const struct
  {
    const char *nik, *name, *sex;
    int         y, m, d;
    double      lon, lat;
  } people[] = {
    { "3402011201900001", "Budi", "L", 1990, 1, 12, 110.36, -7.90 },
    { "3402015201900002", "Sri", "P", 1990, 1, 12, 110.36, -7.90 },
    { "3402012308150003", "Adi", "L", 2015, 8, 23, 110.40, -7.85 },
  };
  g_autofree char *path = g_build_filename (f->dir, file, NULL);
  GDALDriverH driver = GDALGetDriverByName (driver_name);
  g_auto(GeoGdalDataset) ds = NULL;
  g_auto(GeoOgrSrs) srs = NULL;
  OGRLayerH layer;
  const char *const fields[] = { "nik", "no_kk", "nama", "jk", "kategori" };

  g_assert_nonnull (driver);
  ds = GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL);
  g_assert_nonnull (ds);
  if (epsg != 0)
    {
      srs = OSRNewSpatialReference (NULL);
      OSRImportFromEPSG (srs, epsg);
      OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
  layer = GDALDatasetCreateLayer (ds, "households", srs, epsg ? wkbPoint : wkbNone, NULL);
  g_assert_nonnull (layer);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (fields[i], OFTString);

      OGR_L_CreateField (layer, fd, TRUE);
      OGR_Fld_Destroy (fd);
    }
  {
    OGRFieldDefnH fd = OGR_Fld_Create ("tgl_lahir", date_kind == 1 ? OFTDate :
                                                    date_kind == 2 ? OFTInteger : OFTString);
    OGR_L_CreateField (layer, fd, TRUE);
    OGR_Fld_Destroy (fd);
  }
  if (epsg == 0)
    for (guint i = 0; i < 2; i++)
      {
        OGRFieldDefnH fd = OGR_Fld_Create (i ? "bujur" : "lintang", OFTReal);

        OGR_L_CreateField (layer, fd, TRUE);
        OGR_Fld_Destroy (fd);
      }
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_auto(GeoOgrFeature) feat = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
      int date_idx = OGR_FD_GetFieldIndex (defn, "tgl_lahir");

      OGR_F_SetFieldString (feat, OGR_FD_GetFieldIndex (defn, "nik"), people[i].nik);
      OGR_F_SetFieldString (feat, OGR_FD_GetFieldIndex (defn, "no_kk"),
                            i < 2 ? "3402010101200001" : "3402010101200002");
      OGR_F_SetFieldString (feat, OGR_FD_GetFieldIndex (defn, "nama"), people[i].name);
      OGR_F_SetFieldString (feat, OGR_FD_GetFieldIndex (defn, "jk"), people[i].sex);
      OGR_F_SetFieldString (feat, OGR_FD_GetFieldIndex (defn, "kategori"), "24");
      if (date_kind == 1)
        OGR_F_SetFieldDateTime (feat, date_idx, people[i].y, people[i].m, people[i].d, 0, 0, 0, 0);
      else if (date_kind == 2)
        {
          GDate *a = g_date_new_dmy (30, 12, 1899);
          GDate *b = g_date_new_dmy (people[i].d, people[i].m, people[i].y);

          OGR_F_SetFieldInteger (feat, date_idx, g_date_days_between (a, b));
          g_date_free (a);
          g_date_free (b);
        }
      else
        {
          g_autofree char *text =
            g_strdup_printf ("%02d/%02d/%04d", people[i].d, people[i].m, people[i].y);
          OGR_F_SetFieldString (feat, date_idx, text);
        }
      if (epsg == 0)
        {
          OGR_F_SetFieldDouble (feat, OGR_FD_GetFieldIndex (defn, "lintang"), people[i].lat);
          OGR_F_SetFieldDouble (feat, OGR_FD_GetFieldIndex (defn, "bujur"), people[i].lon);
        }
      else
        {
          g_auto(GeoOgrGeometry) pt = OGR_G_CreateGeometry (wkbPoint);
          double x = people[i].lon, y = people[i].lat;

          if (epsg != 4326)
            {
              g_auto(GeoOgrSrs) wgs = OSRNewSpatialReference (NULL);
              g_auto(GeoOgrTransform) ct = NULL;

              OSRImportFromEPSG (wgs, 4326);
              OSRSetAxisMappingStrategy (wgs, OAMS_TRADITIONAL_GIS_ORDER);
              ct = OCTNewCoordinateTransformation (wgs, srs);
              g_assert_true (OCTTransform (ct, 1, &x, &y, NULL));
            }
          OGR_G_SetPoint_2D (pt, 0, x, y);
          OGR_F_SetGeometry (feat, pt);
        }
      g_assert_cmpint (OGR_L_CreateFeature (layer, feat), ==, OGRERR_NONE);
    }
  return g_steal_pointer (&path);
}

typedef struct
{
  const char *driver;
  const char *file;
  int         epsg;
  int         date_kind; /* 0 text, 1 date cells, 2 Excel serial numbers */
} FormatCase;

static const FormatCase format_cases[] = {
  { "GeoJSON", "h.geojson", 4326, 0 },
  { "GPKG", "h.gpkg", 4326, 1 },
  { "GPKG", "utm.gpkg", 32749, 1 },
  { "ESRI Shapefile", "h.shp", 4326, 1 },
  { "ESRI Shapefile", "utm.shp", 32749, 0 },
  { "KML", "h.kml", 4326, 0 },
  { "XLSX", "dates.xlsx", 0, 1 },
  { "XLSX", "serial.xlsx", 0, 2 },
  { "XLSX", "text.xlsx", 0, 0 },
};

static void
test_format (Fixture *f, gconstpointer data)
{
  const FormatCase *c = data;
  g_autofree char *path = write_ogr (f, c->driver, c->file, c->epsg, c->date_kind);
  g_autofree char *dates = NULL;
  GeoImportReport r;

  import_ok (f, path, NULL, &r);
  g_assert_cmpuint (r.read, ==, 3);
  g_assert_cmpuint (r.rejected, ==, 0);
  g_assert_cmpuint (r.imported, ==, 3);
  g_assert_cmpuint (r.families, ==, 2);
  dates = query_text (f->store, "SELECT group_concat (birth_date || sex, ' ') FROM "
                                "(SELECT * FROM person ORDER BY nik)");
  g_assert_cmpstr (dates, ==, "1990-01-12L 2015-08-23L 1990-01-12P");
  g_assert_cmpfloat_with_epsilon (query_double (f->store,
                                                "SELECT X (geom) FROM family WHERE no_kk = "
                                                "'3402010101200002'"),
                                  110.40,
                                  1e-6);
  g_assert_cmpfloat_with_epsilon (query_double (f->store,
                                                "SELECT Y (geom) FROM family WHERE no_kk = "
                                                "'3402010101200002'"),
                                  -7.85,
                                  1e-6);
  assert_spatial_index (f->store);
  geo_import_report_clear (&r);
}

/* x/y columns in UTM 49S with --crs EPSG:32749 (cs2cs: 110.36, -7.90 = 429454.0196, 9126703.1217). */
static void
test_utm_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "utm.csv",
                                      "nik,nama,x,y\n"
                                      "3402011201900001,Budi,429454.0196,9126703.1217\n"
                                      "3402011201900002,Far,429454.0,1000.0\n",
                                      -1);
  GeoImportOptions opts = { .crs = "EPSG:32749" };
  GeoImportReport r;
  g_autoptr(GError) error = NULL;

  import_ok (f, path, &opts, &r);
  g_assert_cmpuint (r.imported, ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_OUTSIDE_INDONESIA], ==, 1);
  g_assert_cmpfloat_with_epsilon (query_double (f->store, "SELECT X (geom) FROM family"), 110.36, 1e-7);
  g_assert_cmpfloat_with_epsilon (query_double (f->store, "SELECT Y (geom) FROM family"), -7.90, 1e-7);
  geo_import_report_clear (&r);

  opts.crs = "EPSG:999999";
  g_assert_false (geo_import_households (f->store, path, &opts, &r, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_PROJ);
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  g_autofree char *first = write_file (f, "a.csv",
                                       "nik,no_kk,nama,lat,lon,kategori\n"
                                       "3402011201900001,3402010101200001,Budi,-7.9,110.35,24\n",
                                       -1);
  g_autofree char *second = write_file (f, "b.csv",
                                        "nik,no_kk,nama,lat,lon,kategori\n"
                                        "3402011201900001,3402010101200002,Budi Baru,-7.8,110.3,8\n"
                                        "3402011201900009,,Lain,-7.8,110.3,\n"
                                        "3402011201900009,,Lain Lagi,-7.8,110.3,\n",
                                        -1);
  g_autofree char *name = NULL;
  GeoImportOptions opts = { 0 };
  GeoImportReport r;

  import_ok (f, first, NULL, &r);
  geo_import_report_clear (&r);

  opts.on_duplicate = GEO_IMPORT_DUPLICATE_REJECT;
  import_ok (f, second, &opts, &r);
  g_assert_cmpuint (r.imported, ==, 1);
  g_assert_cmpuint (r.rejected, ==, 2);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_DUPLICATE_NIK], ==, 2);
  name = query_text (f->store, "SELECT name FROM person WHERE nik = '3402011201900009'");
  g_assert_cmpstr (name, ==, "Lain"); /* the first occurrence is kept */
  g_clear_pointer (&name, g_free);
  geo_import_report_clear (&r);

  opts.on_duplicate = GEO_IMPORT_DUPLICATE_SKIP;
  import_ok (f, second, &opts, &r);
  g_assert_cmpuint (r.imported, ==, 0);
  g_assert_cmpuint (r.skipped, ==, 3);
  g_assert_cmpuint (r.rejected, ==, 0);
  g_assert_null (r.rejects_path);
  geo_import_report_clear (&r);

  opts.on_duplicate = GEO_IMPORT_DUPLICATE_UPDATE;
  import_ok (f, second, &opts, &r);
  g_assert_cmpuint (r.imported, ==, 3);
  g_assert_cmpuint (r.updated, ==, 3);
  g_assert_cmpuint (r.families, ==, 1); /* the new KK 3402010101200002 */
  name = query_text (f->store, "SELECT name || '/' || f.no_kk || '/' || (SELECT group_concat "
                               "(category) FROM (SELECT category FROM membership WHERE "
                               "person_id = p.id ORDER BY category)) FROM person p JOIN family f "
                               "ON f.id = p.family_id WHERE nik = '3402011201900001'");
  g_assert_cmpstr (name, ==, "Budi Baru/3402010101200002/8,24");
  g_clear_pointer (&name, g_free);
  name = query_text (f->store, "SELECT name FROM person WHERE nik = '3402011201900009'");
  g_assert_cmpstr (name, ==, "Lain Lagi");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person"), ==, 2);
  geo_import_report_clear (&r);
}

static void
count_all (GeoStore *store, gint64 counts[4])
{
  counts[0] = query_int (store, "SELECT count(*) FROM person");
  counts[1] = query_int (store, "SELECT count(*) FROM family");
  counts[2] = query_int (store, "SELECT count(*) FROM import_batch");
  counts[3] = query_int (store, "SELECT count(*) FROM idx_family_geom");
}

/* A database failure mid-way leaves the project unchanged and writes no rejects file. */
static void
test_transaction (Fixture *f, gconstpointer data)
{
  g_autofree char *ok = write_file (f, "ok.csv", "nik,nama,lat,lon\n3402011201900001,A,-7.9,110.35\n", -1);
  g_autofree char *path = write_file (f, "boom.csv",
                                      "nik,nama,lat,lon\n"
                                      "3402011201900002,B,-7.9,110.35\n"
                                      "340201120190000,Rejected,-7.9,110.35\n"
                                      "3402011201900003,BOOM,-7.9,110.35\n"
                                      "3402011201900004,D,-7.9,110.35\n",
                                      -1);
  g_autofree char *rejects = g_build_filename (f->dir, "boom.rejects.csv", NULL);
  g_autoptr(GError) error = NULL;
  gint64 before[4], after[4];
  GeoImportReport r;

  import_ok (f, ok, NULL, &r);
  geo_import_report_clear (&r);
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store),
                                 "CREATE TRIGGER boom BEFORE INSERT ON person WHEN NEW.name = "
                                 "'BOOM' BEGIN SELECT RAISE (ABORT, 'boom'); END",
                                 NULL, NULL, NULL),
                   ==,
                   SQLITE_OK);
  count_all (f->store, before);
  g_assert_false (geo_import_households (f->store, path, NULL, &r, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "Row 3"));
  count_all (f->store, after);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (before[i], ==, after[i]);
  g_assert_false (g_file_test (rejects, G_FILE_TEST_EXISTS));
  assert_spatial_index (f->store);
  g_assert_cmpint (query_int (f->store, "PRAGMA foreign_keys"), ==, 1);
  geo_import_report_clear (&r);
}

/* The optional priority column: numbers or words in either language; a bad value rejects the
 * row naming the field. Member rows of a family already created keep the family's priority. */
static void
test_priority (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "prio.csv",
                                      "nik,nama,no_kk,lat,lon,Prioritas\n"
                                      "3402011201900011,A,3402010101200011,-7.9,110.35,1\n"
                                      "3402011201900012,B,3402010101200012,-7.9,110.35,tinggi\n"
                                      "3402011201900013,C,3402010101200013,-7.9,110.35,\n"
                                      "3402011201900014,D,3402010101200014,-7.9,110.35,Urgent\n"
                                      "3402011201900015,E,3402010101200015,-7.9,110.35, HIGH \n"
                                      "3402011201900016,F,3402010101200016,-7.9,110.35,biasa\n"
                                      "3402011201900017,G,3402010101200017,-7.9,110.35,5\n"
                                      "3402011201900018,H,3402010101200018,-7.9,110.35,penting\n",
                                      -1);
  g_autofree char *rejects = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const expect[][2] = {
    { "3402010101200011", "1" }, { "3402010101200012", "2" }, { "3402010101200013", "3" },
    { "3402010101200014", "1" }, { "3402010101200015", "2" }, { "3402010101200016", "3" },
  };
  GeoImportReport r;

  import_ok (f, path, NULL, &r);
  g_assert_cmpuint (r.imported, ==, 6);
  g_assert_cmpuint (r.rejected, ==, 2);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_BAD_PRIORITY], ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT priority FROM family WHERE no_kk = '%s'",
                                              expect[i][0]);

      g_assert_cmpint (query_int (f->store, sql), ==, g_ascii_strtoll (expect[i][1], NULL, 10));
    }
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM family WHERE no_kk IN "
                                        "('3402010101200017', '3402010101200018')"),
                   ==,
                   0);
  g_file_get_contents (r.rejects_path, &rejects, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (rejects, "bad_priority"));
  g_assert_nonnull (strstr (rejects, "priority “5” is not 1-3"));
  g_assert_nonnull (strstr (rejects, "priority “penting” is not 1-3"));
  geo_import_report_clear (&r);
}

static void
cancel_after_first (guint64 rows, double fraction, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new ("nik,nama,lat,lon\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GeoImportOptions opts = { .progress = cancel_after_first };
  GeoImportReport r;

  for (int i = 1; i <= 10000; i++)
    g_string_append_printf (csv, "34020112019%05d,P%d,-7.9,110.35\n", i, i);
  path = write_file (f, "many.csv", csv->str, -1);
  opts.progress_data = cancellable;
  g_assert_false (geo_import_households (f->store, path, &opts, &r, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM import_batch"), ==, 0);
  geo_import_report_clear (&r);
}

static void
test_fields (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "odd.csv",
                                      "Kolom A,Nama Lengkap,Koordinat Y,Koordinat X,lat\n"
                                      "3402011201900001,Budi,-7.9,110.35,not used\n",
                                      -1);
  const char *const fields[] = { "Kolom A=nik", "koordinat_y=lat", "Koordinat X=lon", NULL };
  const char *const bad_attr[] = { "Kolom A=shoe_size", NULL };
  const char *const bad_col[] = { "Kolom Z=nik", NULL };
  GeoImportOptions opts = { .fields = fields };
  g_autoptr(GError) error = NULL;
  GeoImportReport r;

  import_ok (f, path, &opts, &r);
  g_assert_cmpuint (r.imported, ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person WHERE nik = "
                                        "'3402011201900001' AND name = 'Budi'"),
                   ==,
                   1);
  geo_import_report_clear (&r);
  opts.fields = bad_attr;
  g_assert_false (geo_import_households (f->store, path, &opts, &r, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  opts.fields = bad_col;
  g_assert_false (geo_import_households (f->store, path, &opts, &r, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
}

static void
test_resources (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "psks.csv",
                                      "jenis,nama,lat,lon,layanan,radius_m,kapasitas,kontak,kode_desa\n"
                                      "11,TKSK Srandakan,-7.9,110.35,,5000,,0812,34.02.01.2001\n"
                                      "Karang Taruna,KT Poncosari,,,\"9|lansia\",,,,3402012001\n"
                                      "LKS,Panti Werdha,-7.85,110.4,8,2500,40,,\n"
                                      "13,Bad type,-7.9,110.35,,,,,\n"
                                      "4,,-7.9,110.35,,,,,\n"
                                      "4,Bad serves,-7.9,110.35,99,,,,\n"
                                      "4,Bad radius,-7.9,110.35,,-5,,,\n"
                                      "4,Bad capacity,-7.9,110.35,,,lots,,\n"
                                      "4,Nowhere,,,,,,,\n"
                                      "4,Swapped,110.35,-7.9,,,,,\n",
                                      -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects = NULL;
  GeoImportReport r;

  g_assert_true (geo_import_resources (f->store, path, NULL, &r, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.read, ==, 10);
  g_assert_cmpuint (r.imported, ==, 3);
  g_assert_cmpuint (r.rejected, ==, 7);
  g_assert_cmpuint (r.approximate, ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_BAD_TYPE], ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_MISSING_NAME], ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_BAD_CATEGORY], ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_BAD_RADIUS], ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_BAD_CAPACITY], ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_NO_LOCATION], ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_SWAPPED_LAT_LON], ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT type * 1000 + radius_m FROM resource WHERE "
                                        "name = 'TKSK Srandakan'"),
                   ==,
                   16000);
  g_assert_cmpint (query_int (f->store, "SELECT type * 1000 + capacity FROM resource WHERE "
                                        "name = 'Panti Werdha'"),
                   ==,
                   4040);
  /* TKSK serves everyone (no rows); Karang Taruna serves 9 and 8; the panti 8. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM resource_serves"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM resource r JOIN resource_serves s "
                                        "ON s.resource_id = r.id WHERE r.type = 5"),
                   ==,
                   2);
  g_file_get_contents (r.rejects_path, &rejects, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (rejects, "\n4,13,Bad type,-7.9,110.35,,,,,,bad_type,"));
  geo_import_report_clear (&r);
}

/* The CLI: --json summary with the documented keys, --rejects, and one clear error message. */
static void
test_cli (Fixture *f, gconstpointer data)
{
  const char *cli = g_getenv ("JANGKAU_CLI");
  g_autofree char *path = write_file (f, "cli.csv",
                                      "nik;nama;lat;lon\n"
                                      "3402011201900001;A;-7,9;110,35\n"
                                      ";B;-7,9;110,35\n"
                                      "3402011201900000;C;-7,9;110,35\n",
                                      -1);
  g_autofree char *rejects = g_build_filename (f->dir, "out", "rej.csv", NULL);
  g_autofree char *db = g_build_filename (f->dir, "cli.jangkau", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o, *reasons;
  int status;

  if (cli == NULL)
    {
      g_test_skip ("JANGKAU_CLI is not set");
      return;
    }
  {
    g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
    g_mkdir (outdir, 0700);
  }
  {
    const char *argv[] = { cli, "init", db, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  {
    const char *argv[] = { cli, "import", "households", db, path, "--json", "--rejects", rejects,
                           "--on-duplicate=reject", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "read"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "families"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "no_nik"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "approximate"), ==, 0);
  reasons = json_object_get_object_member (o, "reasons");
  g_assert_cmpint (json_object_get_int_member (reasons, "nik_serial"), ==, 1);
  g_assert_cmpuint (json_object_get_size (reasons), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "rejects_file"), ==, rejects);
  g_assert_true (g_file_test (rejects, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *argv[] = { cli, "import", "households", db, "/nonexistent.csv", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "/nonexistent.csv"));
    g_assert_cmpuint (strlen (strchr (err, '\n') + 1), ==, 0); /* one line */
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  for (int k = 0; k < 3; k++)
    {
      const char *kinds[] = { "households", "resources", "--help" };
      const char *argv[] = { cli, "import", kinds[k], "--help", NULL };

      if (k == 2)
        argv[3] = NULL;
      g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, "Usage"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
}

/* Schema objects whose definition an import may drop and restore (R*Tree triggers, per-row
 * triggers, secondary indexes): the same set, with the same SQL, after the import. */
static char *
schema_text (GeoStore *store)
{
  return query_text (store,
                     "SELECT group_concat (name || ':' || sql, char (10)) FROM (SELECT name, sql "
                     "FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name)");
}

static void
households_on_grid (GString *csv, int first, int n)
{
  g_string_assign (csv, "nik,nama,lat,lon\n");
  for (int i = first; i < first + n; i++)
    {
      /* Points on a 0.001 degree grid, offset by half a cell: far from the windows' edges at
       * float precision. */
      guint h = (guint) i * 2654435761u;

      g_string_append_printf (csv, "34020112019%05d,P%d,%.4f,%.4f\n", i, i,
                              -7.95 + (h % 200) * 0.001 + 0.0005,
                              110.30 + (h / 200 % 200) * 0.001 + 0.0005);
    }
}

static void
assert_windows (GeoStore *store)
{
  for (int w = 0; w < 6; w++)
    {
      double x0 = 110.30 + w * 0.027, y0 = -7.95 + w * 0.019, x1 = x0 + 0.05, y1 = y0 + 0.07;
      g_autofree char *by_index = g_strdup_printf (
        "SELECT count(*) FROM family WHERE id IN (SELECT pkid FROM idx_family_geom WHERE "
        "xmax >= %.3f AND xmin <= %.3f AND ymax >= %.3f AND ymin <= %.3f)", x0, x1, y0, y1);
      g_autofree char *by_scan = g_strdup_printf (
        "SELECT count(*) FROM family WHERE X (geom) BETWEEN %.3f AND %.3f AND "
        "Y (geom) BETWEEN %.3f AND %.3f", x0, x1, y0, y1);
      gint64 n = query_int (store, by_scan);

      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (query_int (store, by_index), ==, n);
    }
}

/* An import into an empty spatial index writes a packed R*Tree directly (several levels here);
 * a second import inserts into it; the R*Tree module then keeps working on it. */
static void
test_bulk_index (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autofree char *schema = schema_text (f->store);
  g_autofree char *after = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *check = NULL;
  GeoImportReport r;

  households_on_grid (csv, 1, 6000);
  first = write_file (f, "first.csv", csv->str, -1);
  import_ok (f, first, NULL, &r);
  g_assert_cmpint (r.imported, ==, 6000);
  g_assert_cmpint (r.families, ==, 6000);
  geo_import_report_clear (&r);
  assert_spatial_index (f->store);
  /* 6000 points in nodes of 51 cells: leaves, one level of inner nodes and the root. */
  g_assert_cmpint (query_int (f->store, "SELECT rtreedepth (data) FROM idx_family_geom_node "
                                        "WHERE nodeno = 1"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM idx_family_geom_node"),
                   ==, 1 + 3 + 118);
  assert_windows (f->store);
  /* The import writes the geometry BLOBs itself: byte for byte what MakePoint makes. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM family WHERE geom IS NOT "
                                        "MakePoint (X (geom), Y (geom), 4326) OR "
                                        "ST_SRID (geom) != 4326 OR GeometryType (geom) != 'POINT'"),
                   ==, 0);
  after = schema_text (f->store);
  g_assert_cmpstr (after, ==, schema);
  g_clear_pointer (&after, g_free);

  households_on_grid (csv, 6001, 700);
  second = write_file (f, "second.csv", csv->str, -1);
  import_ok (f, second, NULL, &r);
  g_assert_cmpint (r.imported, ==, 700);
  geo_import_report_clear (&r);
  assert_spatial_index (f->store);
  assert_windows (f->store);
  after = schema_text (f->store);
  g_assert_cmpstr (after, ==, schema);

  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store),
                                 "DELETE FROM idx_family_geom WHERE pkid % 3 = 0", NULL, NULL,
                                 NULL),
                   ==, SQLITE_OK);
  check = query_text (f->store, "SELECT rtreecheck ('idx_family_geom')");
  g_assert_cmpstr (check, ==, "ok");
}

/* Schema version 8: a first import drops the unique indexes (NIK, membership) with the
 * others and creates them again after the rows. Duplicates are still handled per row: in the
 * file (a NIK repeated with --on-duplicate update adds only the categories the person lacks),
 * against the project (rejected), and a duplicate that slips past the import (here: a user
 * trigger) makes CREATE UNIQUE INDEX fail, which fails the whole import cleanly. */
static void
test_unique_indexes (Fixture *f, gconstpointer data)
{
  g_autofree char *schema = schema_text (f->store);
  g_autofree char *first = write_file (f, "first.csv",
                                       "nik,no_kk,nama,lat,lon,kategori\n"
                                       "3402011201900001,3402010101200001,Budi,-7.9,110.35,\"24|8\"\n"
                                       "3402011201900002,3402010101200001,Ani,-7.9,110.35,1\n"
                                       "3402011201900001,3402010101200001,Budi 2,-7.9,110.35,\"8|2|24\"\n"
                                       "3402011201900003,3402010101200002,Citra,-7.8,110.3,\n",
                                       -1);
  /* A note long enough that the file counts as larger than the project (indexes dropped). */
  g_autofree char *note = g_strnfill (2000, 'x');
  g_autofree char *second_csv =
    g_strconcat ("nik,no_kk,nama,lat,lon,kategori,catatan\n"
                 "3402011201900003,3402010101200009,Citra Lagi,-7.8,110.3,5,\n"
                 "3402011201900004,3402010101200002,Dewi,-7.8,110.3,5,\n"
                 "3402011201900005,3402010101200003,DUP,-7.8,110.3,6,\n"
                 "3402011201900006,3402010101200004,Eko,-7.8,110.3,6,\n"
                 "3402011201900007,3402010101200005,Fajar,-7.8,110.3,6,",
                 note, "\n", NULL);
  g_autofree char *second = write_file (f, "second.csv", second_csv, -1);
  g_autofree char *after = NULL, *cats = NULL, *check = NULL;
  g_autoptr(GError) error = NULL;
  GeoImportOptions opts = { 0 };
  gint64 before[4], now[4];
  GeoImportReport r;

  opts.on_duplicate = GEO_IMPORT_DUPLICATE_UPDATE;
  import_ok (f, first, &opts, &r);
  g_assert_cmpuint (r.imported, ==, 4);
  g_assert_cmpuint (r.updated, ==, 1);
  g_assert_cmpuint (r.families, ==, 2);
  geo_import_report_clear (&r);
  cats = query_text (f->store, "SELECT name || ':' || (SELECT group_concat (category) FROM "
                               "(SELECT category FROM membership WHERE person_id = p.id ORDER BY "
                               "category)) FROM person p WHERE nik = '3402011201900001'");
  g_assert_cmpstr (cats, ==, "Budi 2:2,8,24");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM membership"), ==, 4);
  after = schema_text (f->store);
  g_assert_cmpstr (after, ==, schema);
  check = query_text (f->store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                        "('person_nik', 'membership_key')"),
                   ==, 2);

  /* Against the rows already in the project: the repeated NIK is rejected, the No. KK joins
   * the existing family. */
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store),
                                 "CREATE TRIGGER dup AFTER INSERT ON person WHEN NEW.name = 'DUP' "
                                 "BEGIN UPDATE person SET nik = '3402011201900002' "
                                 "WHERE id = NEW.id; END",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_clear_pointer (&schema, g_free);
  schema = schema_text (f->store);
  count_all (f->store, before);
  g_assert_false (geo_import_households (f->store, second, NULL, &r, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "uniqueness"));
  g_assert_nonnull (strstr (error->message, "person.nik"));
  geo_import_report_clear (&r);
  g_clear_error (&error);
  count_all (f->store, now);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (before[i], ==, now[i]);
  g_clear_pointer (&after, g_free);
  after = schema_text (f->store);
  g_assert_cmpstr (after, ==, schema);
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store),
                                 "INSERT INTO person (family_id, nik) VALUES "
                                 "(1, '3402011201900002')", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_UNIQUE);

  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store), "DROP TRIGGER dup", NULL, NULL,
                                 NULL),
                   ==, SQLITE_OK);
  import_ok (f, second, NULL, &r);
  g_assert_cmpuint (r.imported, ==, 4);
  g_assert_cmpuint (r.rejected, ==, 1);
  g_assert_cmpuint (r.reasons[GEO_IMPORT_DUPLICATE_NIK], ==, 1);
  g_assert_cmpuint (r.families, ==, 3);
  geo_import_report_clear (&r);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person p JOIN family f ON "
                                        "f.id = p.family_id WHERE p.name = 'Dewi' AND "
                                        "f.no_kk = '3402010101200002'"),
                   ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM person"), ==, 7);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM membership"), ==, 8);
  g_clear_pointer (&check, g_free);
  check = query_text (f->store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  assert_spatial_index (f->store);
}

static void
add (const char *path, void (*func) (Fixture *, gconstpointer), gconstpointer data)
{
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  add ("/geo/import/households/basic", test_basic, NULL);
  add ("/geo/import/households/reasons", test_reasons, NULL);
  add ("/geo/import/households/semicolon-bom-crlf", test_semicolon, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/import/households/format/%s",
                                               format_cases[i].file);
      add (path, test_format, &format_cases[i]);
    }
  add ("/geo/import/households/utm-csv", test_utm_csv, NULL);
  add ("/geo/import/households/duplicates", test_duplicates, NULL);
  add ("/geo/import/households/transaction", test_transaction, NULL);
  add ("/geo/import/households/cancel", test_cancel, NULL);
  add ("/geo/import/households/bulk-index", test_bulk_index, NULL);
  add ("/geo/import/households/unique-indexes", test_unique_indexes, NULL);
  add ("/geo/import/households/fields", test_fields, NULL);
  add ("/geo/import/households/priority", test_priority, NULL);
  add ("/geo/import/resources", test_resources, NULL);
  add ("/geo/import/cli", test_cli, NULL);

  {
    g_autofree char *dir = test_tmp_make_dir ("jangkau-import-template-XXXXXX", NULL);
    int status;

    template_db = g_build_filename (dir, "template.jangkau", NULL);
    create_template (template_db);
    status = g_test_run ();
    test_tmp_remove (dir);
    g_free (template_db);
    return status;
  }
}
