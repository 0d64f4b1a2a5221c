#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sys/wait.h>

#include "analysis-fixture.h"
#include "geo-error.h"
#include "geo-nearest.h"
#include "geo-proj.h"

/* ---- hand-made cases ------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  double      lon, lat;
  guint       k;
  double      radius;
  int         category;
  guint32     types; /* GEO_TYPE_BIT mask, 0 = all */
  gint64      expected[3];
  guint       n_expected;
} NearestCase;

static const NearestCase nearest_cases[] = {
  { "all-three", 110.30, -7.90, 3, INFINITY, 0, 0, { 1, 2, 3 }, 3 },
  { "k-1", 110.309, -7.90, 1, INFINITY, 0, 0, { 2 }, 1 },
  { "serving-9", 110.30, -7.90, 3, INFINITY, 9, 0, { 2, 3 }, 2 },
  { "serving-8", 110.30, -7.90, 3, INFINITY, 8, 0, { 2 }, 1 },
  { "radius-1200", 110.30, -7.90, 3, 1200, 0, 0, { 1, 2 }, 2 },
  { "radius-0", 110.30, -7.90, 3, 0, 0, 0, { 1 }, 1 },
  { "type-tksk", 110.30, -7.90, 3, INFINITY, 0, 1u << 10, { 3 }, 1 },
  { "type-lks-serving-9", 110.30, -7.90, 3, INFINITY, 9, 1u << 3, { 0 }, 0 },
};

static void
test_nearest_hand (gconstpointer data)
{
  const NearestCase *c = data;
  g_autofree char   *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GArray) hits = NULL;
  GError *error = NULL;

  res = geo_resources_load (store, c->types, &error);
  g_assert_no_error (error);
  index = geo_resources_build_index (res, &error);
  g_assert_no_error (error);
  hits = geo_nearest_point (res,
                            index,
                            c->lon,
                            c->lat,
                            c->k,
                            c->radius,
                            c->category ? GEO_CATEGORY_BIT (c->category) : 0,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, c->n_expected);
  for (guint i = 0; i < hits->len; i++)
    {
      const GeoIndexHit *h = &g_array_index (hits, GeoIndexHit, i);
      guint              r = h->item;

      g_assert_cmpint (res->id[r], ==, c->expected[i]);
      g_assert_cmpfloat_with_epsilon (h->distance_m,
                                      geo_geodesic_distance (c->lon,
                                                             c->lat,
                                                             res->lon[r],
                                                             res->lat[r]),
                                      1e-9);
    }
}

static void
test_resources_load (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autoptr(GeoResources) res = geo_resources_load (store, 0, NULL);

  g_assert_cmpuint (res->n, ==, 3);
  g_assert_cmpuint (res->serves[0], ==, GEO_CATEGORY_BIT (24));
  g_assert_cmpuint (res->serves[1], ==, GEO_CATEGORY_ALL);
  g_assert_cmpuint (res->serves[2], ==, GEO_CATEGORY_BIT (9));
  g_assert_true (isnan (res->radius_m[1]));
  g_assert_cmpfloat (res->radius_m[2], ==, 20000);
  g_assert_cmpstr (res->name[0], ==, "LKS Sejahtera");
  g_assert_null (res->desa_code[2]);
}

static void
test_nearest_bad (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autoptr(GeoResources) res = geo_resources_load (store, 0, NULL);
  g_autoptr(GeoIndex) index = geo_resources_build_index (res, NULL);
  GError *error = NULL;

  g_assert_null (geo_nearest_point (res, index, 110.3, -7.9, 0, INFINITY, 0, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (geo_nearest_point (res, index, 110.3, -7.9, 1, -1, 0, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (geo_nearest_point (res, index, 110.3, -97.9, 1, INFINITY, 0, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

/* ---- batch against brute force --------------------------------------------------------- */

static void
test_nearest_all_random (void)
{
  for (guint seed = 1; seed <= 40; seed++)
    {
      GRand       *rand = g_rand_new_with_seed (seed);
      guint        nr = g_rand_int_range (rand, 1, 200), nf = g_rand_int_range (rand, 1, 1500);
      GeoResources res = { 0 };
      g_autofree double  *lon = g_new (double, nf);
      g_autofree double  *lat = g_new (double, nf);
      g_autofree guint32 *mask = g_new (guint32, nf);
      g_autoptr(GeoIndex) index = NULL;
      GError *error = NULL;
      guint32 fixed = seed % 4 == 0 ? GEO_CATEGORY_BIT (24) | GEO_CATEGORY_BIT (8) : 0;
      /* Java in some seeds (points in three UTM zones), Bantul in the others. */
      double w = seed % 3 == 0 ? 10 : 0.6, h = seed % 3 == 0 ? 3 : 0.54;

      res.n = nr;
      res.lon = g_new (double, nr);
      res.lat = g_new (double, nr);
      res.serves = g_new (guint32, nr);
      for (guint i = 0; i < nr; i++)
        {
          res.lon[i] = 110.06 - w / 2 + g_rand_double_range (rand, 0, w);
          res.lat[i] = -8.17 + g_rand_double_range (rand, 0, h);
          res.serves[i] = g_rand_int_range (rand, 0, 3) == 0
                              ? GEO_CATEGORY_ALL
                              : GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27));
        }
      for (guint i = 0; i < nf; i++)
        {
          lon[i] = 110.06 - w / 2 + g_rand_double_range (rand, -0.1, w + 0.1);
          lat[i] = -8.17 + g_rand_double_range (rand, -0.1, h + 0.1);
          mask[i] = g_rand_int_range (rand, 0, 10) == 0
                        ? 0
                        : GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27));
        }
      index = geo_resources_build_index (&res, &error);
      g_assert_no_error (error);
      for (guint threads = 1; threads <= 2; threads++)
        {
          g_autoptr(GeoNearestAll) all =
                  geo_nearest_all (&res, index, lon, lat, mask, nf, fixed, threads, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (all->n, ==, nf);
          for (guint i = 0; i < nf; i += threads == 1 ? 1 : 7)
            {
              guint32 m = fixed ? fixed : mask[i] ? mask[i] : G_MAXUINT32;
              gint32  best = -1;
              double  bd = INFINITY;

              for (guint r = 0; r < nr; r++)
                {
                  double d;

                  if ((res.serves[r] & m) == 0)
                    continue;
                  d = geo_geodesic_distance (lon[i], lat[i], res.lon[r], res.lat[r]);
                  if (d < bd)
                    {
                      bd = d;
                      best = r;
                    }
                }
              g_assert_cmpint (all->resource[i], ==, best);
              if (best >= 0)
                g_assert_cmpfloat (all->distance_m[i], ==, bd);
              else
                g_assert_true (isnan (all->distance_m[i]));
            }
        }
      g_free (res.lon);
      g_free (res.lat);
      g_free (res.serves);
      g_rand_free (rand);
    }
}

/* Harder data for the plane grids of geo_nearest_all: resources in tight clusters with exact
 * duplicates (distance ties go to the lower index), households clustered around them and
 * some far outside (other islands), masks of one or several categories, a category served by
 * one resource only, and points on a resource. Every result must equal a brute-force scan. */
static void
test_nearest_all_clusters (void)
{
  for (guint seed = 1; seed <= 24; seed++)
    {
      GRand       *rand = g_rand_new_with_seed (1000 + seed);
      guint        nr = g_rand_int_range (rand, 2, 400), nf = g_rand_int_range (rand, 100, 3000);
      GeoResources res = { 0 };
      g_autofree double  *lon = g_new (double, nf);
      g_autofree double  *lat = g_new (double, nf);
      g_autofree guint32 *mask = g_new (guint32, nf);
      g_autoptr(GeoIndex) index = NULL;
      g_autoptr(GeoNearestAll) one = NULL;
      g_autoptr(GeoNearestAll) two = NULL;
      GError *error = NULL;
      double  spread = seed % 5 == 0 ? 0.00001 : 0.02; /* ~1 m or ~2 km */

      res.n = nr;
      res.lon = g_new (double, nr);
      res.lat = g_new (double, nr);
      res.serves = g_new (guint32, nr);
      for (guint i = 0; i < nr; i++)
        {
          if (i > 0 && g_rand_int_range (rand, 0, 4) == 0)
            {
              guint j = g_rand_int_range (rand, 0, i); /* an exact duplicate */

              res.lon[i] = res.lon[j];
              res.lat[i] = res.lat[j];
            }
          else
            {
              guint c = g_rand_int_range (rand, 0, 5);

              res.lon[i] = 110.2 + 0.1 * c + g_rand_double_range (rand, -spread, spread);
              res.lat[i] = -7.9 + 0.07 * c + g_rand_double_range (rand, -spread, spread);
            }
          res.serves[i] = i == nr - 1 ? GEO_CATEGORY_BIT (26)
                          : g_rand_int_range (rand, 0, 3) == 0
                              ? GEO_CATEGORY_ALL
                              : GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 26));
        }
      for (guint i = 0; i < nf; i++)
        {
          guint kind = g_rand_int_range (rand, 0, 20);
          guint r = g_rand_int_range (rand, 0, nr);

          if (kind == 0) /* far away: Sumatra to Papua (the UTM tree answers) or Java to Bali */
            {
              lon[i] = seed % 2 ? g_rand_double_range (rand, 95, 141)
                                : g_rand_double_range (rand, 105, 116);
              lat[i] = g_rand_double_range (rand, -11, 6);
            }
          else if (kind == 1) /* on a resource */
            {
              lon[i] = res.lon[r];
              lat[i] = res.lat[r];
            }
          else
            {
              lon[i] = res.lon[r] + g_rand_double_range (rand, -0.03, 0.03);
              lat[i] = res.lat[r] + g_rand_double_range (rand, -0.03, 0.03);
            }
          switch (g_rand_int_range (rand, 0, 6))
            {
            case 0:
              mask[i] = 0;
              break;
            case 1:
              mask[i] = GEO_CATEGORY_BIT (26);
              break;
            case 2:
              mask[i] = GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27)) |
                        GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27));
              break;
            default:
              mask[i] = GEO_CATEGORY_BIT (g_rand_int_range (rand, 1, 27));
            }
        }
      index = geo_resources_build_index (&res, &error);
      g_assert_no_error (error);
      one = geo_nearest_all (&res, index, lon, lat, mask, nf, 0, 1, NULL, &error);
      g_assert_no_error (error);
      two = geo_nearest_all (&res, index, lon, lat, mask, nf, 0, 2, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < nf; i++)
        {
          guint32 m = mask[i] ? mask[i] : G_MAXUINT32;
          gint32  best = -1;
          double  bd = INFINITY;

          for (guint r = 0; r < nr; r++)
            {
              double d;

              if ((res.serves[r] & m) == 0)
                continue;
              d = geo_geodesic_distance (lon[i], lat[i], res.lon[r], res.lat[r]);
              if (d < bd)
                {
                  bd = d;
                  best = r;
                }
            }
          for (GeoNearestAll *all = one; all != NULL; all = all == one ? two : NULL)
            {
              g_assert_cmpint (all->resource[i], ==, best);
              if (best >= 0)
                g_assert_cmpfloat (all->distance_m[i], ==, bd);
              else
                g_assert_true (isnan (all->distance_m[i]));
            }
        }
      g_free (res.lon);
      g_free (res.lat);
      g_free (res.serves);
      g_rand_free (rand);
    }
}

/* ---- the CLI ----------------------------------------------------------------------------- */

static void
test_cli_nearest_json (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *arr;
  GError    *error = NULL;

  g_clear_object (&store);
  g_assert_cmpint (fix_run_cli (&out,
                                &err,
                                "nearest",
                                path,
                                "--point",
                                "110.30,-7.90",
                                "--k",
                                "2",
                                "--json",
                                NULL),
                   ==,
                   0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  arr = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (arr), ==, 2);
  {
    JsonObject *o0 = json_array_get_object_element (arr, 0);
    JsonObject *o1 = json_array_get_object_element (arr, 1);
    double      d = geo_geodesic_distance (110.30, -7.90, 110.31, -7.90);

    g_assert_cmpint (json_object_get_int_member (o0, "id"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o0, "type"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (o0, "name"), ==, "LKS Sejahtera");
    g_assert_cmpfloat (json_object_get_double_member (o0, "distance_m"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o1, "id"), ==, 2);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o1, "lon"), 110.31, 1e-12);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o1, "lat"), -7.90, 1e-12);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o1, "distance_m"), d, 0.0006);
    /* 0.01 deg of longitude at 7.9 S: about 1,103 m */
    g_assert_cmpfloat (d, >, 1100);
    g_assert_cmpfloat (d, <, 1105);
  }

  /* From household 2 (F2), serving category 9: R2 (serves all, ~7.0 km away), then R3 (~7.8 km). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (fix_run_cli (&out,
                                &err,
                                "nearest",
                                path,
                                "--household",
                                "2",
                                "--category",
                                "9",
                                "--json",
                                NULL),
                   ==,
                   0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  arr = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (arr), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (arr, 0), "id"),
                   ==,
                   2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (arr, 1), "id"),
                   ==,
                   3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (arr,
                                                                                                0),
                                                                 "distance_m"),
                                  geo_geodesic_distance (110.35, -7.85, 110.31, -7.90),
                                  0.0006);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (arr,
                                                                                                1),
                                                                 "distance_m"),
                                  geo_geodesic_distance (110.35, -7.85, 110.40, -7.80),
                                  0.0006);
}

typedef struct
{
  const char *name;
  const char *args[8];
  const char *message; /* part of stderr */
} BadCase;

static const BadCase bad_cases[] = {
  { "k-zero",
    { "nearest", "DB", "--point", "110.3,-7.9", "--k", "0", NULL },
    "--k must be at least 1" },
  { "negative-radius",
    { "nearest", "DB", "--point", "110.3,-7.9", "--radius", "-5", NULL },
    "--radius must be" },
  { "unknown-type",
    { "nearest", "DB", "--point", "110.3,-7.9", "--type", "Bengkel", NULL },
    "unknown PSKS resource type" },
  { "unknown-category",
    { "nearest", "DB", "--point", "110.3,-7.9", "--category", "99", NULL },
    "unknown PMKS category" },
  { "bad-point", { "nearest", "DB", "--point", "110.3", NULL }, "--point wants LON,LAT" },
  { "no-household", { "nearest", "DB", "--household", "999", NULL }, "no household" },
  { "both", { "nearest", "DB", "--household", "1", "--point", "1,1", NULL }, "either --household" },
  { "empty-selection",
    { "nearest-all", "DB", "--area", "34.02.09", NULL },
    "the selection is empty" },
  { "all-unknown-category",
    { "nearest-all", "DB", "--category", "Bengkel", NULL },
    "unknown PMKS category" },
  { "all-bad-extension",
    { "nearest-all", "DB", "--out", "x.shp", NULL },
    "use .csv, .geojson or .gpkg" },
};

static void
test_cli_bad (gconstpointer data)
{
  const BadCase   *c = data;
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *outfile = g_build_filename (dir, "x.shp", NULL);
  const char      *a[8] = { NULL };

  g_clear_object (&store);
  for (guint i = 0; c->args[i] != NULL; i++)
    a[i] = g_str_equal (c->args[i], "DB")      ? path
           : g_str_equal (c->args[i], "x.shp") ? outfile
                                               : c->args[i];
  g_assert_cmpint (fix_run_cli (&out, &err, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL), !=, 0);
  g_assert_nonnull (strstr (err, c->message));
}

static void
test_cli_nearest_all_files (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GeoStore) store = fix_store (&path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *csv = g_build_filename (dir, "n.csv", NULL);
  g_autofree char *geojson = g_build_filename (dir, "n.geojson", NULL);
  g_autofree char *gpkg = g_build_filename (dir, "n.gpkg", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *features;

  g_clear_object (&store);
  g_assert_cmpint (fix_run_cli (&out, &err, "nearest-all", path, "--out", csv, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0],
                   ==,
                   "family_id,lon,lat,persons,resource_id,resource_type,resource_name,distance_m");
  /* F1 -> R1 (24), F2 -> R2 (serves all; 9 also by R3 but farther), F3 -> R2 (8), F4 -> R2 */
  g_assert_true (g_str_has_prefix (lines[1], "1,110.301,-7.9,2,1,4,LKS Sejahtera,"));
  g_assert_true (g_str_has_prefix (lines[2], "2,110.35,-7.85,1,2,5,"));
  g_assert_true (g_str_has_prefix (lines[3], "3,110.5,-7.7,2,2,5,"));
  g_assert_true (g_str_has_prefix (lines[4], "4,110.36,-7.9,1,2,5,"));
  g_assert_cmpstr (lines[5], ==, "");

  /* --category 9 both selects (P2, P3) and requires serving 9. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (fix_run_cli (&out,
                                &err,
                                "nearest-all",
                                path,
                                "--category",
                                "9",
                                "--type",
                                "11",
                                "--out",
                                geojson,
                                NULL),
                   ==,
                   0);
  g_assert_true (json_parser_load_from_file (parser, geojson, NULL));
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "features");
  g_assert_cmpuint (json_array_get_length (features), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *f = json_array_get_object_element (features, i);
      JsonObject *props = json_object_get_object_member (f, "properties");
      JsonObject *geom = json_object_get_object_member (f, "geometry");

      g_assert_cmpint (json_object_get_int_member (props, "resource_id"), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (geom, "type"), ==, "Point");
    }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (fix_run_cli (&out, &err, "nearest-all", path, "--out", gpkg, "--json", NULL),
                   ==,
                   0);
  {
    GDALDatasetH ds = GDALOpenEx (gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OGRLayerH    layer;

    g_assert_nonnull (ds);
    layer = GDALDatasetGetLayerByName (ds, "nearest");
    g_assert_nonnull (layer);
    g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, 4);
    GDALClose (ds);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "matched"),
                   ==,
                   4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  for (guint i = 0; i < G_N_ELEMENTS (nearest_cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/geo/nearest/point/%s", nearest_cases[i].name);
      g_test_add_data_func (p, &nearest_cases[i], test_nearest_hand);
    }
  g_test_add_func ("/geo/nearest/resources-load", test_resources_load);
  g_test_add_func ("/geo/nearest/bad-parameters", test_nearest_bad);
  g_test_add_func ("/geo/nearest/all/random-vs-brute-force", test_nearest_all_random);
  g_test_add_func ("/geo/nearest/all/clusters-ties-vs-brute-force", test_nearest_all_clusters);
  g_test_add_func ("/geo/nearest/cli/json", test_cli_nearest_json);
  g_test_add_func ("/geo/nearest/cli/files", test_cli_nearest_all_files);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/geo/nearest/cli/bad/%s", bad_cases[i].name);
      g_test_add_data_func (p, &bad_cases[i], test_cli_bad);
    }
  return g_test_run ();
}
