#include "config.h"

#include <math.h>

#include "geo-error.h"
#include "geo-selection.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

/* Three families:
 *   F1 desa 34.02.01.2001: A (NIK, 24|8 entri), B (no NIK, 24 verifikasi)
 *   F2 desa 34.02.01.2002: C (NIK, 9 entri)
 *   F3 desa 34.02.02.2001: D (no NIK, no category), E (NIK, 24 entri)
 */
static GeoStore *
fixture (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-sel-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.jangkau", NULL);
  GeoStore *store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
  const struct
  {
    const char *kk, *desa;
    double      lon, lat;
  } fams[] = { { "3402010101200001", "34.02.01.2001", 110.30, -7.90 },
               { "3402010101200002", "34.02.01.2002", 110.31, -7.91 },
               { "3402020101200003", "34.02.02.2001", 110.40, -7.80 } };
  const struct
  {
    int         fam;
    const char *nik;
    int         cats[2];
    const char *status[2];
  } persons[] = { { 0, "3402010101800001", { 24, 8 }, { "entri", "entri" } },
                  { 0, NULL, { 24, 0 }, { "verifikasi", NULL } },
                  { 1, "3402014101800002", { 9, 0 }, { "entri", NULL } },
                  { 2, NULL, { 0, 0 }, { NULL, NULL } },
                  { 2, "3402020101800003", { 24, 0 }, { "entri", NULL } } };
  gint64 fam_ids[3];

  g_assert_nonnull (store);
  for (guint i = 0; i < G_N_ELEMENTS (fams); i++)
    {
      GeoFamilyRecord f = { .no_kk = fams[i].kk,
                            .desa_code = fams[i].desa,
                            .lon = fams[i].lon,
                            .lat = fams[i].lat,
                            .loc_source = i == 2 ? GEO_LOC_DESA_CENTROID : GEO_LOC_GPS,
                            .gps_accuracy_m = NAN };
      fam_ids[i] = geo_store_insert_family (store, &f, NULL);
      g_assert_cmpint (fam_ids[i], >, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (persons); i++)
    {
      GeoPersonRecord p = { .family_id = fam_ids[persons[i].fam], .nik = persons[i].nik, .name = "X" };
      gint64 id = geo_store_insert_person (store, &p, NULL);

      g_assert_cmpint (id, >, 0);
      for (guint c = 0; c < 2; c++)
        if (persons[i].cats[c] != 0)
          g_assert_true (geo_store_insert_membership (store, id, persons[i].cats[c], persons[i].status[c], NULL));
    }
  return store;
}

typedef struct
{
  const char *name;
  const char *categories[3];
  const char *areas[3];
  const char *status;
  gboolean    no_nik;
  guint       n_persons;
  guint       n_families;
} SelCase;

static const SelCase cases[] = {
  { "all", { NULL }, { NULL }, NULL, FALSE, 5, 3 },
  { "fakir-miskin", { "24", NULL }, { NULL }, NULL, FALSE, 3, 2 },
  { "by-name", { "Fakir Miskin", "Penyandang Disabilitas", NULL }, { NULL }, NULL, FALSE, 4, 3 },
  { "kecamatan", { NULL }, { "34.02.01", NULL }, NULL, FALSE, 3, 2 },
  { "desa", { NULL }, { "3402012002", NULL }, NULL, FALSE, 1, 1 },
  { "no-nik", { NULL }, { NULL }, NULL, TRUE, 2, 2 },
  { "no-nik-fm", { "24", NULL }, { NULL }, NULL, TRUE, 1, 1 },
  { "status", { NULL }, { NULL }, "verifikasi", FALSE, 1, 1 },
  { "status-and-category", { "8", NULL }, { NULL }, "verifikasi", FALSE, 0, 0 },
  { "kecamatan-prefix-is-whole-segment", { NULL }, { "34.02.0", NULL }, NULL, FALSE, 0, 0 },
};

static void
test_filters (gconstpointer data)
{
  const SelCase *c = data;
  g_autoptr(GeoStore) store = fixture ();
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_autoptr(GeoSelection) sel = NULL;
  GError *error = NULL;
  guint sum = 0;

  for (guint i = 0; c->categories[i] != NULL; i++)
    g_assert_true (geo_filter_add_category (filter, c->categories[i], &error));
  for (guint i = 0; c->areas[i] != NULL; i++)
    {
      /* "34.02.0" is not a code: the filter refuses it, so the case selects nothing by hand. */
      if (!geo_filter_add_area (filter, c->areas[i], &error))
        {
          g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
          g_clear_error (&error);
          g_assert_cmpuint (c->n_persons, ==, 0);
          return;
        }
    }
  geo_filter_set_status (filter, c->status);
  filter->no_nik = c->no_nik;
  sel = geo_selection_load (store, filter, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sel->n_persons, ==, c->n_persons);
  g_assert_cmpuint (sel->n_families, ==, c->n_families);
  for (guint i = 0; i < sel->n_families; i++)
    sum += sel->family_n_persons[i];
  g_assert_cmpuint (sum, ==, sel->n_persons);
  for (guint i = 0; i < sel->n_persons; i++)
    g_assert_cmpuint (sel->person_family[i], <, sel->n_families);
}

static void
test_arrays (void)
{
  g_autoptr(GeoStore) store = fixture ();
  g_autoptr(GeoSelection) sel = geo_selection_load (store, NULL, NULL, NULL);
  GError *error = NULL;
  g_autoptr(GeoFilter) filter = geo_filter_new ();

  g_assert_nonnull (sel);
  g_assert_cmpfloat_with_epsilon (sel->lon[0], 110.30, 1e-9);
  g_assert_cmpfloat_with_epsilon (sel->lat[2], -7.80, 1e-9);
  g_assert_cmpuint (sel->family_mask[0], ==, GEO_CATEGORY_BIT (24) | GEO_CATEGORY_BIT (8));
  g_assert_cmpuint (sel->family_loc_source[2], ==, GEO_LOC_DESA_CENTROID);
  g_assert_cmpstr (sel->desa_codes->pdata[sel->family_desa[1]], ==, "34.02.01.2002");
  g_assert_cmpuint (sel->person_no_nik[1], ==, 1);
  g_assert_cmpuint (sel->person_mask[3], ==, 0);

  g_assert_false (geo_filter_add_category (filter, "Orang Kaya", &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

/* One family read by primary key is what the unfiltered selection holds for it. */
static void
test_family_point (void)
{
  g_autoptr(GeoStore) store = fixture ();
  g_autoptr(GeoSelection) sel = geo_selection_load (store, NULL, NULL, NULL);
  GError *error = NULL;
  double  lon, lat;
  guint32 mask, n;

  g_assert_cmpuint (sel->n_families, ==, 3);
  for (guint i = 0; i < sel->n_families; i++)
    {
      g_assert_true (
          geo_selection_family_point (store, sel->family_id[i], &lon, &lat, &mask, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (lon, ==, sel->lon[i]);
      g_assert_cmpfloat (lat, ==, sel->lat[i]);
      g_assert_cmpuint (mask, ==, sel->family_mask[i]);
      g_assert_cmpuint (n, ==, sel->family_n_persons[i]);
    }
  g_assert_cmpuint (sel->family_mask[2], ==, GEO_CATEGORY_BIT (24));
  g_assert_cmpuint (sel->family_n_persons[2], ==, 2);
  g_assert_false (geo_selection_family_point (store, 999, &lon, &lat, &mask, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/selection/filter/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_filters);
    }
  g_test_add_func ("/geo/selection/arrays", test_arrays);
  g_test_add_func ("/geo/selection/family-point", test_family_point);
  return g_test_run ();
}
