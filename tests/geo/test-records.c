#include "config.h"

#include <math.h>

#include "geo-area-shapes.h"
#include "geo-error.h"
#include "geo-records.h"
#include "geo-store.h"
#include "../test-tmp.h"

static const struct
{
  const char *name;
  const char *nik;
  const char *masked;
} mask_cases[] = {
  { "valid", "3402014501800003", "3402********0003" },
  { "other-kabupaten", "5171010101900123", "5171********0123" },
  { "too-short", "34020145", "********" },
  { "empty", "", "" },
  { "null", NULL, NULL },
};

static void
test_mask_nik (gconstpointer data)
{
  guint            i = GPOINTER_TO_UINT (data);
  g_autofree char *masked = geo_mask_nik (mask_cases[i].nik);

  g_assert_cmpstr (masked, ==, mask_cases[i].masked);
}

/* A square polygon as little-endian WKB. */
static GBytes *
square_wkb (double x0, double y0, double size)
{
  GByteArray *b = g_byte_array_new ();
  guint8      order = 1;
  guint32     type = 3, rings = 1, points = 5;
  double      xy[10] = { x0, y0, x0 + size, y0, x0 + size, y0 + size, x0, y0 + size, x0, y0 };

  g_byte_array_append (b, &order, 1);
  g_byte_array_append (b, (guint8 *) &type, 4);
  g_byte_array_append (b, (guint8 *) &rings, 4);
  g_byte_array_append (b, (guint8 *) &points, 4);
  g_byte_array_append (b, (guint8 *) xy, sizeof xy);
  return g_byte_array_free_to_bytes (b);
}

static GeoStore *
make_store (char **dir_out)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-records-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.jangkau", NULL);
  GError          *error = NULL;
  GeoStore        *store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  *dir_out = g_steal_pointer (&dir);
  return store;
}

static void
test_area_shapes (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GeoStore) store = make_store (&dir);
  g_autoptr(GBytes) kec = square_wkb (110.30, -7.95, 0.10);
  g_autoptr(GBytes) desa = square_wkb (110.32, -7.93, 0.02);
  g_autoptr(GeoAreaShapes) shapes = NULL;
  GeoAreaRecord a = { "34.02.01.2001", GEO_AREA_DESA, "Srigading", "34.02.01", -1, NULL, 0 };
  GeoAreaRecord k = { "34.02.01", GEO_AREA_KECAMATAN, "Sanden", "34.02", -1, NULL, 0 };
  GError       *error = NULL;

  a.wkb = g_bytes_get_data (desa, &a.wkb_len);
  k.wkb = g_bytes_get_data (kec, &k.wkb_len);
  g_assert_cmpint (geo_store_insert_area (store, &a, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (geo_store_insert_area (store, &k, &error), >, 0);
  g_assert_no_error (error);

  shapes = geo_area_shapes_load (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shapes->n_areas, ==, 2);
  /* Kecamatan first (desa draw on top), then desa. */
  g_assert_cmpstr (shapes->areas[0].code, ==, "34.02.01");
  g_assert_cmpint (shapes->areas[0].level, ==, GEO_AREA_KECAMATAN);
  g_assert_cmpstr (shapes->areas[1].name, ==, "Srigading");
  g_assert_cmpuint (shapes->n_rings, ==, 2);
  /* Stored as MULTIPOLYGON: each square is one closed ring of 5 points. */
  g_assert_cmpuint (shapes->ring_offsets[2] - shapes->ring_offsets[1], ==, 5);
  g_assert_cmpuint (shapes->n_points, ==, 10);
  g_assert_cmpfloat_with_epsilon (shapes->areas[1].min_lon, 110.32, 1e-9);
  g_assert_cmpfloat_with_epsilon (shapes->areas[1].max_lat, -7.91, 1e-9);
  /* The label point lies inside the polygon. */
  g_assert_cmpfloat (shapes->areas[1].label_lon, >, 110.32);
  g_assert_cmpfloat (shapes->areas[1].label_lon, <, 110.34);
  g_assert_cmpfloat (shapes->areas[1].label_lat, >, -7.93);
  g_assert_cmpfloat (shapes->areas[1].label_lat, <, -7.91);
}

static void
test_family_details_and_search (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GeoStore) store = make_store (&dir);
  g_autoptr(GBytes) desa = square_wkb (110.32, -7.93, 0.02);
  g_autoptr(GeoFamilyDetails) details = NULL;
  g_autoptr(GeoPersonReader) reader = NULL;
  g_autofree gint64 *ids = NULL;
  GeoAreaRecord   a = { "34.02.01.2001", GEO_AREA_DESA, "Srigading", "34.02.01", -1, NULL, 0 };
  GeoFamilyRecord f = { "3402010101240001", "Dusun Ngepet", "001", "002", "34.02.01.2001",
                        110.33, -7.92, GEO_LOC_GPS, 8.0, 0 };
  GeoPersonRecord head = { 0, "3402010101800003", "Budi Santoso", 'L', "1980-01-01", "Anak", 0 };
  GeoPersonRecord wife = { 0, NULL, "Sri Rahayu", 'P', "1982-05-05", "Kepala Keluarga", 0 };
  GeoPersonRow    row = { 0 };
  gint64          fam, p1, p2;
  gsize           n;
  GError         *error = NULL;

  a.wkb = g_bytes_get_data (desa, &a.wkb_len);
  g_assert_cmpint (geo_store_insert_area (store, &a, &error), >, 0);
  fam = geo_store_insert_family (store, &f, &error);
  g_assert_no_error (error);
  head.family_id = wife.family_id = fam;
  p1 = geo_store_insert_person (store, &head, &error);
  p2 = geo_store_insert_person (store, &wife, &error);
  g_assert_no_error (error);
  g_assert_true (geo_store_insert_membership (store, p1, 24, "entri", &error));
  g_assert_true (geo_store_insert_membership (store, p1, 9, "verifikasi", &error));
  g_assert_true (geo_store_insert_membership (store, p2, 24, "entri", &error));
  g_assert_no_error (error);

  details = geo_family_details_load (store, fam, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (details->no_kk, ==, "3402010101240001");
  g_assert_cmpstr (details->desa_name, ==, "Srigading");
  g_assert_null (details->kecamatan_name); /* the kecamatan is not loaded */
  g_assert_cmpint (details->loc_source, ==, GEO_LOC_GPS);
  g_assert_cmpfloat_with_epsilon (details->gps_accuracy_m, 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (details->lon, 110.33, 1e-9);
  g_assert_cmpuint (details->n_members, ==, 2);
  /* The head of the family comes first, whatever the insertion order. */
  g_assert_cmpint (details->members[0].id, ==, p2);
  g_assert_null (details->members[0].nik);
  g_assert_cmpuint (details->members[1].categories, ==, (1u << 23) | (1u << 8));
  g_assert_cmpstr (details->members[1].status, ==, "verifikasi"); /* category 9 sorts first */
  g_clear_pointer (&details, geo_family_details_free);

  details = geo_family_details_load (store, fam + 100, &error);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_assert_null (details);
  g_clear_error (&error);

  /* Search: NIK prefix, name and desa name substrings, LIKE wildcards taken literally. */
  ids = geo_person_search (store, "340201", &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1); /* the NIK of p1; desa codes are dotted (34.02.01...) */
  g_clear_pointer (&ids, g_free);
  ids = geo_person_search (store, "3402010101800003", &n, NULL, &error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (ids[0], ==, p1);
  g_clear_pointer (&ids, g_free);
  ids = geo_person_search (store, "rahayu", &n, NULL, &error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (ids[0], ==, p2);
  g_clear_pointer (&ids, g_free);
  ids = geo_person_search (store, "SRIGAD", &n, NULL, &error);
  g_assert_cmpuint (n, ==, 2);
  g_clear_pointer (&ids, g_free);
  ids = geo_person_search (store, "%", &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_clear_pointer (&ids, g_free);
  ids = geo_person_search (store, "  ", &n, NULL, &error);
  g_assert_cmpuint (n, ==, 2);

  reader = geo_person_reader_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (geo_person_reader_get (reader, p1, &row, &error));
  g_assert_cmpstr (row.name, ==, "Budi Santoso");
  g_assert_cmpstr (row.desa_name, ==, "Srigading");
  g_assert_cmpint (row.family_id, ==, fam);
  g_assert_cmpuint (row.categories, ==, (1u << 23) | (1u << 8));
  geo_person_row_clear (&row);
  g_assert_false (geo_person_reader_get (reader, p2 + 100, &row, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (mask_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/records/mask-nik/%s", mask_cases[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_mask_nik);
    }
  g_test_add_func ("/geo/area-shapes/load", test_area_shapes);
  g_test_add_func ("/geo/records/family-details-and-search", test_family_details_and_search);
  return g_test_run ();
}
