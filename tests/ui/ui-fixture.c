#include "config.h"

#include <math.h>

#include "geo-area-shapes.h"
#include "geo-import-areas.h"
#include "geo-store.h"
#include "ui-fixture.h"

static const char *const first_names[] = { "Sri", "Siti", "Budi", "Agus", "Wahyu", "Dwi", "Tri",
                                           "Eko", "Slamet", "Sumarni", "Tukiyem", "Parjo",
                                           "Ngatini", "Rini", "Joko", "Yuli" };
static const char *const last_names[] = { "Wahyuni", "Rahayu", "Santoso", "Susanto", "Lestari",
                                          "Purnomo", "Widodo", "Handayani", "Setiawan", "Utami" };
static const char *const relations[] = { "Kepala Keluarga", "Istri", "Anak", "Anak", "Orang Tua" };

static int
pick_category (GRand *rand)
{
  static const int others[] = { 8, 9, 2, 23, 25, 1, 5, 11, 21, 16 };
  double r = g_rand_double (rand);

  if (r < 0.72)
    return 24; /* Fakir Miskin dominates, as in the DTKS */
  return others[g_rand_int_range (rand, 0, G_N_ELEMENTS (others))];
}

gboolean
ui_fixture_create_project (const char *path,
                           const char *shared_data,
                           guint       n_families,
                           guint32     seed,
                           GError    **error)
{
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, error);
  g_autoptr(GeoAreaShapes) shapes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) desa = g_ptr_array_new ();
  const char *files[] = { "3402_bantul_kecamatan.geojson", "3402_bantul_desa_kelurahan.geojson" };

  if (store == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (shared_data, "boundaries", files[i], NULL);
      GeoImportAreasOptions opts = { 0 };
      GeoImportAreasReport  report = { 0 };
      gboolean              ok = geo_import_areas (store, file, &opts, &report, NULL, error);

      geo_import_areas_report_clear (&report);
      if (!ok)
        return FALSE;
    }
  shapes = geo_area_shapes_load (store, NULL, error);
  if (shapes == NULL)
    return FALSE;
  for (guint i = 0; i < shapes->n_areas; i++)
    if (shapes->areas[i].level == GEO_AREA_DESA)
      g_ptr_array_add (desa, &shapes->areas[i]);
  if (desa->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No desa imported");
      return FALSE;
    }

  if (!geo_store_begin (store, error))
    return FALSE;
  for (guint f = 0; f < n_families; f++)
    {
      const GeoAreaShape *area = g_ptr_array_index (desa, g_rand_int_range (rand, 0, desa->len));
      g_autofree char    *kk = NULL;
      g_autofree char    *address = g_strdup_printf ("Dusun %c No. %d", 'A' + f % 7, 1 + f % 90);
      g_auto(GStrv) code = g_strsplit (area->code, ".", -1);
      GeoFamilyRecord fam = { 0 };
      double          sx = (area->max_lon - area->min_lon) / 6, sy = (area->max_lat - area->min_lat) / 6;
      guint           n_persons = g_rand_int_range (rand, 1, 6);
      gint64          family_id;
      int             base_cat = pick_category (rand);

      /* 16 digits: kecamatan region code, issue date, serial. */
      kk = g_strdup_printf ("%s%s%s%02u%02u24%04u", code[0], code[1], code[2],
                            1 + (f / 9999) % 28, 1 + (f / 9999 / 28) % 12, f % 9999 + 1);
      fam.no_kk = kk;
      fam.address = address;
      fam.rt = "003";
      fam.rw = "011";
      fam.desa_code = area->code;
      /* A settlement: a gaussian around the desa's label point. */
      fam.lon = area->label_lon + sx * sqrt (-2 * log (g_rand_double_range (rand, 1e-9, 1))) *
                                    cos (2 * G_PI * g_rand_double (rand)) * 0.6;
      fam.lat = area->label_lat + sy * sqrt (-2 * log (g_rand_double_range (rand, 1e-9, 1))) *
                                    cos (2 * G_PI * g_rand_double (rand)) * 0.6;
      fam.loc_source = f % 10 == 9 ? GEO_LOC_DESA_CENTROID : GEO_LOC_GPS;
      fam.gps_accuracy_m = fam.loc_source == GEO_LOC_GPS ? 5 + f % 20 : NAN;
      if (fam.loc_source == GEO_LOC_DESA_CENTROID)
        {
          fam.lon = area->label_lon;
          fam.lat = area->label_lat;
        }
      family_id = geo_store_insert_family (store, &fam, error);
      if (family_id < 0)
        goto fail;
      for (guint p = 0; p < n_persons; p++)
        {
          GeoPersonRecord  per = { 0 };
          g_autofree char *name = g_strdup_printf ("%s %s",
                                                   first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))],
                                                   last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))]);
          g_autofree char *nik = NULL;
          g_autofree char *birth = NULL;
          int              day = g_rand_int_range (rand, 1, 29), month = g_rand_int_range (rand, 1, 13);
          int              year = p < 2 ? g_rand_int_range (rand, 1950, 1990) : g_rand_int_range (rand, 2000, 2020);
          char             sex = (p == 1 || g_rand_boolean (rand)) ? 'P' : 'L';
          gint64           person_id;

          if (p == 0)
            sex = 'L';
          nik = g_strdup_printf ("%s%s%s%02d%02d%02d%04u", code[0], code[1], code[2],
                                 day + (sex == 'P' ? 40 : 0), month, year % 100,
                                 (f * 5 + p) % 9999 + 1);
          birth = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
          per.family_id = family_id;
          per.nik = (f % 13 == 5 && p == 2) ? NULL : nik; /* a few without NIK yet */
          per.name = name;
          per.sex = sex;
          per.birth_date = birth;
          per.relation = relations[MIN (p, G_N_ELEMENTS (relations) - 1)];
          person_id = geo_store_insert_person (store, &per, error);
          if (person_id < 0)
            goto fail;
          /* Most members share the family's category; some add a second one. */
          if (p == 0 || g_rand_double (rand) < 0.5)
            if (!geo_store_insert_membership (store, person_id, base_cat, "entri", error))
              goto fail;
          if (g_rand_double (rand) < 0.15)
            {
              int other = pick_category (rand);

              if (other != base_cat &&
                  !geo_store_insert_membership (store, person_id, other, "verifikasi", error))
                goto fail;
            }
        }
    }
  return geo_store_commit (store, error);

fail:
  geo_store_rollback (store);
  return FALSE;
}
