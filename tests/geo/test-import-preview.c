#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>

#include "geo-error.h"
#include "geo-import-preview.h"
#include "geo-store.h"
#include "../test-tmp.h"

static char *dir = NULL;

static char *
write_file (const char *name, const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_mapping (const GeoImportPreview *p, const char *column, const char *attribute)
{
  for (guint i = 0; i < p->n_columns; i++)
    if (g_str_equal (p->columns[i], column))
      {
        g_assert_cmpstr (p->mapping[i], ==, attribute);
        return;
      }
  g_error ("no column %s", column);
}

static void
test_households (void)
{
  g_autofree char *path =
      write_file ("hh.csv",
                  "\xEF\xBB\xBFNIK;No. KK;Nama Lengkap;J.K.;Tgl Lahir;Kode_Desa;"
                  "Kategori;Lintang;Bujur;Catatan\r\n"
                  "3402011201900001;3402010101090001;Budi;L;12-01-1990;"
                  "34.02.01.2001;1;-7.9;110.35;x\r\n"
                  "3402015203850002;3402010101090001;Siti;P;12-03-1985;"
                  "34.02.01.2001;;-7.9;110.35;\r\n"
                  "3402011201900003;3402010101090002;Ani;P;;34.02.01.2001;2;"
                  ";;y\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoImportPreview) p =
                 geo_import_preview (path, GEO_IMPORT_KIND_HOUSEHOLDS, NULL, 20, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_cmpuint (p->n_columns, ==, 10);
  g_assert_cmpstr (p->columns[0], ==, "NIK"); /* BOM skipped */
  assert_mapping (p, "NIK", "nik");
  assert_mapping (p, "No. KK", "no_kk");
  assert_mapping (p, "Nama Lengkap", "name");
  assert_mapping (p, "J.K.", "sex");
  assert_mapping (p, "Tgl Lahir", "birth_date");
  assert_mapping (p, "Kode_Desa", "kode_desa");
  assert_mapping (p, "Kategori", "category");
  assert_mapping (p, "Lintang", "lat");
  assert_mapping (p, "Bujur", "lon");
  assert_mapping (p, "Catatan", NULL);
  g_assert_false (p->has_geometry);
  g_assert_true (g_strv_contains ((const char *const *) p->attributes, "relation"));
  g_assert_cmpuint (p->rows->len, ==, 3);
  g_assert_cmpstr (((char **) p->rows->pdata[1])[2], ==, "Siti");
  g_assert_cmpstr (((char **) p->rows->pdata[2])[7], ==, "");
  g_assert_cmpint (geo_import_preview_find_column (p, "lon"), ==, 8);
  g_assert_cmpint (geo_import_preview_find_column (p, "relation"), ==, -1);

  /* max_rows */
  g_clear_pointer (&p, geo_import_preview_free);
  p = geo_import_preview (path, GEO_IMPORT_KIND_HOUSEHOLDS, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (p->rows->len, ==, 2);
}

/* The same overrides as the import's --field: an override wins over the header matching and
 * the column it takes is no longer matched to anything else. */
static void
test_overrides (void)
{
  g_autofree char  *path = write_file ("odd.csv",
                                      "Kolom A,Nama Lengkap,Koordinat Y,Koordinat X,lat\n"
                                       "3402011201900001,Budi,-7.9,110.35,not used\n");
  const char *const fields[] = { "Kolom A=nik", "koordinat_y=lat", "Koordinat X=lon", NULL };
  const char *const bad_attr[] = { "Kolom A=shoe_size", NULL };
  const char *const bad_col[] = { "Kolom Z=nik", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoImportPreview) p = NULL;

  p = geo_import_preview (path, GEO_IMPORT_KIND_HOUSEHOLDS, NULL, 20, &error);
  g_assert_no_error (error);
  assert_mapping (p, "Kolom A", NULL);
  assert_mapping (p, "lat", "lat");
  assert_mapping (p, "Koordinat Y", NULL);
  g_clear_pointer (&p, geo_import_preview_free);

  p = geo_import_preview (path, GEO_IMPORT_KIND_HOUSEHOLDS, fields, 20, &error);
  g_assert_no_error (error);
  assert_mapping (p, "Kolom A", "nik");
  assert_mapping (p, "Nama Lengkap", "name");
  assert_mapping (p, "Koordinat Y", "lat");
  assert_mapping (p, "Koordinat X", "lon");
  assert_mapping (p, "lat", NULL);
  g_clear_pointer (&p, geo_import_preview_free);

  g_assert_null (geo_import_preview (path, GEO_IMPORT_KIND_HOUSEHOLDS, bad_attr, 20, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (geo_import_preview (path, GEO_IMPORT_KIND_HOUSEHOLDS, bad_col, 20, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (
      geo_import_preview ("/nonexistent/x.csv", GEO_IMPORT_KIND_HOUSEHOLDS, NULL, 20, &error));
  g_assert_nonnull (error);
}

static void
test_resources (void)
{
  g_autofree char *path =
      write_file ("psks.csv",
                  "jenis,nama_lembaga,latitude,longitude,kapasitas,telp,radius\n"
                  "LKS,Panti A,-7.9,110.35,40,0274-1,5000\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoImportPreview) p =
                 geo_import_preview (path, GEO_IMPORT_KIND_RESOURCES, NULL, 20, &error);

  g_assert_no_error (error);
  assert_mapping (p, "jenis", "type");
  assert_mapping (p, "nama_lembaga", "name");
  assert_mapping (p, "latitude", "lat");
  assert_mapping (p, "longitude", "lon");
  assert_mapping (p, "kapasitas", "capacity");
  assert_mapping (p, "telp", "contact");
  assert_mapping (p, "radius", "radius_m");
  g_assert_false (g_strv_contains ((const char *const *) p->attributes, "nik"));
}

static void
test_areas (void)
{
  g_autofree char  *path = write_file ("areas.geojson",
                                      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                                       "\"Feature\",\"properties\":{\"KODE_WILAYAH\":\"34.02.01\","
                                       "\"NAMOBJ\":\"Srandakan\",\"warna\":\"x\"},\"geometry\":{"
                                       "\"type\":\"Polygon\",\"coordinates\":[[[110.34,-7.91],"
                                       "[110.36,-7.91],[110.36,-7.89],[110.34,-7.91]]]}}]}");
  const char *const fields[] = { "warna=name", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoImportPreview) p =
                 geo_import_preview (path, GEO_IMPORT_KIND_AREAS, NULL, 20, &error);

  g_assert_no_error (error);
  g_assert_true (p->has_geometry);
  assert_mapping (p, "KODE_WILAYAH", "code");
  assert_mapping (p, "NAMOBJ", "name");
  assert_mapping (p, "warna", NULL);
  g_assert_cmpuint (p->rows->len, ==, 1);
  g_clear_pointer (&p, geo_import_preview_free);
  p = geo_import_preview (path, GEO_IMPORT_KIND_AREAS, fields, 20, &error);
  g_assert_no_error (error);
  assert_mapping (p, "warna", "name");
  assert_mapping (p, "NAMOBJ", NULL);
}

static void
test_reason_field (void)
{
  g_assert_cmpstr (geo_import_reason_field (GEO_IMPORT_NIK_LENGTH), ==, "nik");
  g_assert_cmpstr (geo_import_reason_field (GEO_IMPORT_KK_ZEROS), ==, "no_kk");
  g_assert_cmpstr (geo_import_reason_field (GEO_IMPORT_UNKNOWN_DESA), ==, "kode_desa");
  g_assert_cmpstr (geo_import_reason_field (GEO_IMPORT_BAD_CAPACITY), ==, "capacity");
  for (int r = 0; r < GEO_IMPORT_N_REASONS; r++)
    g_assert_cmpstr (geo_import_reason_field (r), !=, "");
}

/* The rejects of a real import read back: row numbers, reasons, fields. */
static void
test_rejects (void)
{
  g_autofree char *path = write_file ("rej.csv",
                                      "nik,no_kk,nama,jk,kategori,lat,lon\n"
                                      "3402011201900001,3402010101090001,Budi,L,1,-7.9,110.35\n"
                                      "34020112019,3402010101090001,Salah,L,1,-7.9,110.35\n"
                                      "3402015203850002,3402010101090001,Siti,P,1,-7.9,110.35\n"
                                      "3402011201900004,3402010101090002,Andi,L,1,45.0,10.0\n");
  g_autofree char *db = g_build_filename (dir, "rej.jangkau", NULL);
  g_autofree char *rejects_path = g_build_filename (dir, "rej.rejects.csv", NULL);
  g_autofree char *bad = write_file ("notrejects.csv", "a,b\n1,2\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (db, GEO_STORE_OPEN_CREATE, &error);
  GeoImportOptions opts = { .rejects_path = rejects_path };
  GeoImportReport  report = { 0 };
  g_autoptr(GArray) rejects = NULL;
  guint64 total = 0;

  g_assert_no_error (error);
  g_assert_true (geo_import_households (store, path, &opts, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.imported, ==, 2);
  g_assert_cmpuint (report.rejected, ==, 2);
  rejects = geo_import_read_rejects (rejects_path, 100, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (rejects->len, ==, 2);
  g_assert_cmpuint (g_array_index (rejects, GeoImportReject, 0).row, ==, 2);
  g_assert_cmpint (g_array_index (rejects, GeoImportReject, 0).reason, ==, GEO_IMPORT_NIK_LENGTH);
  g_assert_cmpstr (g_array_index (rejects, GeoImportReject, 0).field, ==, "nik");
  g_assert_cmpuint (g_array_index (rejects, GeoImportReject, 1).row, ==, 4);
  g_assert_cmpint (g_array_index (rejects, GeoImportReject, 1).reason,
                   ==,
                   GEO_IMPORT_OUTSIDE_INDONESIA);
  g_assert_cmpstr (g_array_index (rejects, GeoImportReject, 1).field, ==, "lat/lon");
  g_clear_pointer (&rejects, g_array_unref);
  rejects = geo_import_read_rejects (rejects_path, 1, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejects->len, ==, 1);
  g_assert_cmpuint (total, ==, 2);
  g_assert_null (geo_import_read_rejects (bad, 100, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  geo_import_report_clear (&report);
  g_clear_object (&store);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (db, suffixes[i], NULL);
        g_unlink (p);
      }
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  dir = test_tmp_make_dir ("jangkau-preview-XXXXXX", NULL);
  g_test_add_func ("/geo/import-preview/households", test_households);
  g_test_add_func ("/geo/import-preview/overrides", test_overrides);
  g_test_add_func ("/geo/import-preview/resources", test_resources);
  g_test_add_func ("/geo/import-preview/areas", test_areas);
  g_test_add_func ("/geo/import-preview/reason-field", test_reason_field);
  g_test_add_func ("/geo/import-preview/rejects", test_rejects);
  status = g_test_run ();
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  g_free (dir);
  return status;
}
