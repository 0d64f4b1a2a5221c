#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "analysis-fixture.h"
#include "geo-error.h"
#include "geo-proj.h"
#include "geo-underserved.h"

typedef struct
{
  const char *name;
  const char *categories[2];
  double      radius, default_radius;
  guint8      person[6]; /* P1..P6: 0 served, 1 underserved, 2 not PMKS, 3 not selected */
  /* per desa 2001, 2002, 2003 */
  guint persons[3], underserved[3], rank[3];
} UCase;

/* Distances (geodesic): F1-R1 110 m, F1-R2 992 m, F2-R2 7.0 km, F2-R3 7.8 km, F3-R2 30 km,
 * F4-R1 6.6 km, F4-R2 5.5 km. */
static const UCase ucases[] = {
  { "defaults", { NULL }, 0, 5000, { 0, 0, 0, 1, 2, 1 }, { 3, 2, 0 }, { 0, 2, 0 }, { 2, 1, 3 } },
  { "default-radius-6000",
    { NULL },
    0,
    6000,
    { 0, 0, 0, 1, 2, 0 },
    { 3, 2, 0 },
    { 0, 1, 0 },
    { 2, 1, 3 } },
  { "radius-40000",
    { NULL },
    40000,
    5000,
    { 0, 0, 0, 0, 2, 0 },
    { 3, 2, 0 },
    { 0, 0, 0 },
    { 1, 2, 3 } },
  { "radius-100",
    { NULL },
    100,
    5000,
    { 1, 1, 1, 1, 2, 1 },
    { 3, 2, 0 },
    { 3, 2, 0 },
    { 1, 2, 3 } },
  { "category-24",
    { "24", NULL },
    0,
    5000,
    { 0, 0, 3, 3, 3, 1 },
    { 2, 1, 0 },
    { 0, 1, 0 },
    { 2, 1, 3 } },
  { "category-9",
    { "Penyandang Disabilitas", NULL },
    0,
    5000,
    { 3, 0, 0, 3, 3, 3 },
    { 2, 0, 0 },
    { 0, 0, 0 },
    { 1, 2, 3 } },
};

static void
test_underserved_hand (gconstpointer data)
{
  const UCase     *c = data;
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GeoUnderserved) u = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  GeoUnderservedParams     params = { 0, c->radius, c->default_radius, 2 };
  static const char *const desa[] = { "34.02.01.2001", "34.02.01.2002", "34.02.01.2003" };
  GError                  *error = NULL;
  guint                    sp = 0;

  for (guint i = 0; c->categories[i] != NULL; i++)
    {
      int code;

      g_assert_true (geo_filter_add_category (filter, c->categories[i], &error));
      code = filter->categories[filter->n_categories - 1];
      params.category_mask |= GEO_CATEGORY_BIT (code);
    }
  sel = geo_selection_load (store, filter, NULL, &error);
  g_assert_no_error (error);
  res = geo_resources_load (store, 0, &error);
  index = geo_resources_build_index (res, &error);
  g_assert_no_error (error);
  g_ptr_array_add (extra, (char *) "34.02.01.2003");
  u = geo_underserved_compute (sel, res, index, &params, extra, NULL, &error);
  g_assert_no_error (error);

  for (guint p = 0; p < 6; p++)
    {
      if (c->person[p] == 3)
        continue;
      g_assert_cmpuint (sp, <, sel->n_persons);
      g_assert_cmpint (sel->person_id[sp], ==, p + 1);
      g_assert_cmpuint (u->person_underserved[sp], ==, c->person[p]);
      sp++;
    }
  g_assert_cmpuint (sp, ==, sel->n_persons);
  g_assert_cmpuint (u->n_desa, ==, 3);
  for (guint d = 0; d < 3; d++)
    {
      g_assert_cmpstr (u->kode_desa[d], ==, desa[d]);
      g_assert_cmpuint (u->persons[d], ==, c->persons[d]);
      g_assert_cmpuint (u->underserved[d], ==, c->underserved[d]);
      g_assert_cmpfloat_with_epsilon (u->share[d],
                                      c->persons[d] ? (double) c->underserved[d] / c->persons[d]
                                                    : 0,
                                      1e-12);
      g_assert_cmpuint (u->rank[d], ==, c->rank[d]);
    }
  /* R1 (LKS, 4) and R2 (Karang Taruna, 5) are in 2001; R3 has no desa. */
  g_assert_cmpuint (u->n_resources[0], ==, 2);
  g_assert_cmpuint (u->resources[0 * GEO_PSKS_N_TYPES + 3], ==, 1);
  g_assert_cmpuint (u->resources[0 * GEO_PSKS_N_TYPES + 4], ==, 1);
  g_assert_cmpfloat_with_epsilon (u->persons_per_resource[0], c->persons[0] / 2.0, 1e-12);
  g_assert_cmpuint (u->n_resources[1], ==, 0);
  g_assert_true (isnan (u->persons_per_resource[1]));
}

static void
test_underserved_bad (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autoptr(GeoSelection) sel = geo_selection_load (store, NULL, NULL, NULL);
  g_autoptr(GeoResources) res = geo_resources_load (store, 0, NULL);
  g_autoptr(GeoIndex) index = geo_resources_build_index (res, NULL);
  GeoUnderservedParams bad[] = {
    { 0, -1, 5000, 1 }, { 0, 0, 0, 1 }, { 0, NAN, 5000, 1 }, { 0, 0, INFINITY, 1 }
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GError *error = NULL;

      g_assert_null (geo_underserved_compute (sel, res, index, &bad[i], NULL, NULL, &error));
      g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
      g_clear_error (&error);
    }
}

/* Random persons and resources (radii of 200 m - 8 km, some unset) against a brute force. */
static void
test_underserved_random (void)
{
  for (guint seed = 1; seed <= 30; seed++)
    {
      GRand       *rand = g_rand_new_with_seed (seed);
      guint        nr = g_rand_int_range (rand, 0, 150), nf = g_rand_int_range (rand, 1, 800);
      GeoResources res = { 0 };
      GeoSelection sel = { 0 };
      g_autoptr(GeoIndex) index = NULL;
      g_autoptr(GeoUnderserved) u = NULL;
      GeoUnderservedParams params = { seed % 3 == 0 ? GEO_CATEGORY_BIT (24) | GEO_CATEGORY_BIT (9)
                                                    : 0,
                                      seed % 5 == 0 ? 3000 : 0,
                                      g_rand_double_range (rand, 500, 6000),
                                      1 + seed % 2 };
      GError *error = NULL;
      guint32 cats = params.category_mask ? params.category_mask : GEO_CATEGORY_ALL;

      res.n = nr;
      res.lon = g_new (double, MAX (nr, 1));
      res.lat = g_new (double, MAX (nr, 1));
      res.serves = g_new (guint32, MAX (nr, 1));
      res.radius_m = g_new (double, MAX (nr, 1));
      res.type = g_new (guint8, MAX (nr, 1));
      res.desa_code = g_new0 (char *, MAX (nr, 1));
      for (guint i = 0; i < nr; i++)
        {
          res.lon[i] = g_rand_double_range (rand, 110.06, 110.66);
          res.lat[i] = g_rand_double_range (rand, -8.17, -7.63);
          res.serves[i] =
              g_rand_int_range (rand, 0, 4) == 0
                  ? GEO_CATEGORY_ALL
                  : GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27)) | GEO_CATEGORY_BIT (24);
          res.radius_m[i] =
              g_rand_int_range (rand, 0, 4) == 0 ? NAN : g_rand_double_range (rand, 200, 8000);
          res.type[i] = g_rand_int_range (rand, 1, 13);
        }
      sel.n_families = nf;
      sel.lon = g_new (double, nf);
      sel.lat = g_new (double, nf);
      sel.family_mask = g_new0 (guint32, nf);
      sel.family_desa = g_new (guint32, nf);
      sel.desa_codes = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (sel.desa_codes, g_strdup ("34.02.01.2001"));
      g_ptr_array_add (sel.desa_codes, g_strdup ("34.02.01.2002"));
      sel.n_persons = 2 * nf;
      sel.person_family = g_new (guint32, 2 * nf);
      sel.person_mask = g_new (guint32, 2 * nf);
      for (guint f = 0; f < nf; f++)
        {
          sel.lon[f] = g_rand_double_range (rand, 110.0, 110.7);
          sel.lat[f] = g_rand_double_range (rand, -8.2, -7.6);
          sel.family_desa[f] = g_rand_int_range (rand, 0, 3) == 0
                                   ? G_MAXUINT32
                                   : (guint32) g_rand_int_range (rand, 0, 2);
          for (guint k = 0; k < 2; k++)
            {
              guint p = 2 * f + k;

              sel.person_family[p] = f;
              sel.person_mask[p] = 0;
              for (int b = g_rand_int_range (rand, 0, 3); b > 0; b--)
                sel.person_mask[p] |= GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27));
              if (g_rand_boolean (rand))
                sel.person_mask[p] |= GEO_CATEGORY_BIT (24);
              sel.family_mask[f] |= sel.person_mask[p];
            }
        }
      index = geo_resources_build_index (&res, &error);
      g_assert_no_error (error);
      u = geo_underserved_compute (&sel, &res, index, &params, NULL, NULL, &error);
      g_assert_no_error (error);

      {
        guint persons[2] = { 0, 0 }, under[2] = { 0, 0 };

        for (guint p = 0; p < sel.n_persons; p++)
          {
            guint   f = sel.person_family[p];
            guint32 need = sel.person_mask[p] & cats;
            guint8  expect;

            if (need == 0)
              expect = 2;
            else
              {
                guint32 served = 0;

                for (guint r = 0; r < nr; r++)
                  {
                    double radius = params.radius_m > 0       ? params.radius_m
                                    : isnan (res.radius_m[r]) ? params.default_radius_m
                                                              : res.radius_m[r];

                    if ((res.serves[r] & need) != 0 &&
                        geo_geodesic_distance (sel.lon[f], sel.lat[f], res.lon[r], res.lat[r]) <=
                            radius)
                      served |= res.serves[r] & need;
                  }
                expect = (need & ~served) != 0;
                if (sel.family_desa[f] != G_MAXUINT32)
                  {
                    persons[sel.family_desa[f]]++;
                    under[sel.family_desa[f]] += expect;
                  }
              }
            g_assert_cmpuint (u->person_underserved[p], ==, expect);
          }
        g_assert_cmpuint (u->n_desa, ==, 2);
        for (guint d = 0; d < 2; d++)
          {
            g_assert_cmpuint (u->persons[d], ==, persons[d]);
            g_assert_cmpuint (u->underserved[d], ==, under[d]);
          }
        if (under[0] != under[1])
          g_assert_cmpuint (u->rank[0], ==, under[0] > under[1] ? 1 : 2);
      }

      geo_underserved_free (g_steal_pointer (&u));
      g_free (res.lon);
      g_free (res.lat);
      g_free (res.serves);
      g_free (res.radius_m);
      g_free (res.type);
      g_free (res.desa_code);
      g_free (sel.lon);
      g_free (sel.lat);
      g_free (sel.family_mask);
      g_free (sel.family_desa);
      g_free (sel.person_family);
      g_free (sel.person_mask);
      g_ptr_array_unref (sel.desa_codes);
      g_rand_free (rand);
    }
}

static void
test_cli_underserved (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *csv = g_build_filename (dir, "u.csv", NULL);
  g_autofree char *geojson = g_build_filename (dir, "u.geojson", NULL);
  g_autofree char *text = NULL, *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *features;

  g_clear_object (&store);
  g_assert_cmpint (fix_run_cli (&out, &err, "underserved", path, "--out", csv, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (
      g_str_has_prefix (lines[0],
                        "kode_desa,nama_desa,persons,underserved,share,resources,res_type_1,"));
  g_assert_true (g_str_has_suffix (lines[0], ",persons_per_resource,rank"));
  /* Sorted by rank. */
  g_assert_cmpstr (lines[1], ==, "34.02.01.2002,,2,2,1,0,0,0,0,0,0,0,0,0,0,0,0,0,,1");
  g_assert_cmpstr (lines[2], ==, "34.02.01.2001,Desa Satu,3,0,0,2,0,0,0,1,1,0,0,0,0,0,0,0,1.5,2");
  g_assert_cmpstr (lines[3], ==, "34.02.01.2003,Desa Tiga,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,3");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (fix_run_cli (&out,
                                &err,
                                "underserved",
                                path,
                                "--radius",
                                "40000",
                                "--out",
                                geojson,
                                "--json",
                                NULL),
                   ==,
                   0);
  g_assert_true (json_parser_load_from_file (parser, geojson, NULL));
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "features");
  g_assert_cmpuint (json_array_get_length (features), ==, 3);
  {
    JsonObject *first = json_array_get_object_element (features, 0);
    JsonObject *props = json_object_get_object_member (first, "properties");

    g_assert_cmpstr (json_object_get_string_member (props, "kode_desa"), ==, "34.02.01.2001");
    g_assert_cmpint (json_object_get_int_member (props, "rank"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first,
                                                                                   "geometry"),
                                                    "type"),
                     ==,
                     "MultiPolygon");
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "underserved"),
                   ==,
                   0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "persons"),
                   ==,
                   5);

  /* Bad parameters. */
  {
    static const char *const bad[][4] = { { "--radius", "-100", NULL },
                                          { "--category", "Bengkel", NULL },
                                          { "--area", "34.02.09", NULL },
                                          { "--type", "99", NULL },
                                          { "--default-radius", "0", NULL } };
    static const char *const msg[] = { "--radius must be",
                                       "unknown PMKS category",
                                       "the selection is empty",
                                       "unknown PSKS resource type",
                                       "--default-radius must be" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
        g_assert_cmpint (fix_run_cli (&out,
                                      &err,
                                      "underserved",
                                      path,
                                      "--out",
                                      csv,
                                      bad[i][0],
                                      bad[i][1],
                                      NULL),
                         !=,
                         0);
        g_assert_nonnull (strstr (err, msg[i]));
      }
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (fix_run_cli (&out, &err, "underserved", path, NULL), !=, 0);
    g_assert_nonnull (strstr (err, "--out"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  for (guint i = 0; i < G_N_ELEMENTS (ucases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/geo/underserved/hand/%s", ucases[i].name);
      g_test_add_data_func (p, &ucases[i], test_underserved_hand);
    }
  g_test_add_func ("/geo/underserved/bad-parameters", test_underserved_bad);
  g_test_add_func ("/geo/underserved/random-vs-brute-force", test_underserved_random);
  g_test_add_func ("/geo/underserved/cli", test_cli_underserved);
  return g_test_run ();
}
