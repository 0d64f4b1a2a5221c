#include "config.h"

#include <gdal.h>
#include <geodesic.h>
#include <math.h>
#include <sqlite3.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-road-lines.h"
#include "geo-roads.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static double
geodesic (double lon1, double lat1, double lon2, double lat2)
{
  struct geod_geodesic g;
  double               s = 0;

  geod_init (&g, 6378137.0, 1 / 298.257223563);
  geod_inverse (&g, lat1, lon1, lat2, lon2, &s, NULL, NULL);
  return s;
}

static char *
temp_db (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-roads-XXXXXX", NULL);

  return g_build_filename (dir, "r.jangkau", NULL);
}

static const char *
shared_data (void)
{
  const char *d = g_getenv ("JANGKAU_SHARED_DATA");

  return d != NULL ? d : SHARED_DATA_DIR;
}

/* ---------------------------------------------------------------------------------------------
 * Speeds */

static void
test_speeds (void)
{
  static const struct
  {
    const char *highway;
    double      car, motorbike;
  } cases[] = {
    { "primary", 50, 45 },     { "primary_link", 37.5, 33.75 },
    { "motorway", 80, 0 },     { "footway", 0, 0 },
    { "path", 0, 10 },         { "residential", 25, 25 },
    { "no-such-class", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpfloat (geo_road_speed_kmh (cases[i].highway, GEO_VEHICLE_CAR), ==, cases[i].car);
      g_assert_cmpfloat (geo_road_speed_kmh (cases[i].highway, GEO_VEHICLE_MOTORBIKE),
                         ==,
                         cases[i].motorbike);
    }
}

/* ---------------------------------------------------------------------------------------------
 * A hand-computed L-shaped road */

static void
test_hand_computed (void)
{
  /* (110.0, -7.0) -> (110.01, -7.0) -> (110.01, -6.99): two residential legs, 25 km/h by car. */
  const GeoPoint  l1[] = { { 110.0, -7.0 }, { 110.01, -7.0 } };
  const GeoPoint  l2[] = { { 110.01, -7.0 }, { 110.01, -6.99 } };
  const GeoPoint *lines[] = { l1, l2 };
  const guint     counts[] = { 2, 2 };
  const char     *classes[] = { "residential", "residential" };
  g_autoptr(GeoRoadGraph) g =
                 geo_road_graph_new (lines, counts, classes, NULL, 2, GEO_VEHICLE_CAR, FALSE);
  /* A: 0.0002 deg north of the first leg, a quarter along it; B: beside the second leg. */
  GeoPoint    pts[] = { { 110.0025, -6.9998 }, { 110.0102, -6.995 } };
  GeoRoadSnap snaps[2];
  double      travel[4], dist[4];
  double      leg1 = geodesic (110.0, -7.0, 110.01, -7.0);
  double      leg2 = geodesic (110.01, -7.0, 110.01, -6.99);
  double      a_on = 0.75 * leg1;                             /* from A's foot to the corner */
  double      b_on = geodesic (110.01, -7.0, 110.01, -6.995); /* corner to B's foot */
  double      a_off = geodesic (110.0025, -6.9998, 110.0025, -7.0);
  double      b_off = geodesic (110.0102, -6.995, 110.01, -6.995);
  double      expect_m, expect_min;
  GError     *error = NULL;

  g_assert_cmpuint (geo_road_graph_get_n_nodes (g), ==, 3); /* the corner is shared */
  g_assert_cmpuint (geo_road_graph_get_n_edges (g), ==, 2);
  geo_road_graph_snap (g, pts, 2, 100, snaps);
  g_assert_true (snaps[0].snapped && snaps[1].snapped);
  g_assert_cmpfloat_with_epsilon (snaps[0].t, 0.25, 1e-6);
  g_assert_cmpfloat_with_epsilon (snaps[0].snap_m, a_off, 0.01);
  g_assert_cmpfloat_with_epsilon (snaps[1].snap_m, b_off, 0.05);
  g_assert_true (geo_road_graph_matrix (g, snaps, 2, 5, travel, dist, NULL, &error));
  g_assert_no_error (error);

  expect_m = a_on + b_on + a_off + b_off;
  expect_min = (a_on + b_on) / (25 * 1000.0 / 60) + (a_off + b_off) / (5 * 1000.0 / 60);
  g_assert_cmpfloat_with_epsilon (dist[1], expect_m, 0.5);
  g_assert_cmpfloat_with_epsilon (dist[2], expect_m, 0.5);
  g_assert_cmpfloat_with_epsilon (travel[1], expect_min, 0.01);
  g_assert_cmpfloat (travel[0], ==, 0);
  g_assert_cmpfloat (leg2, >, b_on);

  /* The path goes through the corner. */
  {
    g_autoptr(GArray) path = geo_road_graph_path (g, &pts[0], &snaps[0], &pts[1], &snaps[1]);
    gboolean corner = FALSE;

    g_assert_nonnull (path);
    g_assert_cmpfloat (g_array_index (path, GeoPoint, 0).lon, ==, pts[0].lon);
    g_assert_cmpfloat (g_array_index (path, GeoPoint, path->len - 1).lat, ==, pts[1].lat);
    for (guint i = 0; i < path->len; i++)
      corner |= g_array_index (path, GeoPoint, i).lon == 110.01 &&
                g_array_index (path, GeoPoint, i).lat == -7.0;
    g_assert_true (corner);
  }
}

/* Snapping: a point farther than the maximum is reported with its distance. */
static void
test_snap_report (void)
{
  const GeoPoint  l1[] = { { 110.0, -7.0 }, { 110.02, -7.0 } };
  const GeoPoint *lines[] = { l1 };
  const guint     counts[] = { 2 };
  g_autoptr(GeoRoadGraph) g =
                 geo_road_graph_new (lines, counts, NULL, NULL, 1, GEO_VEHICLE_CAR, FALSE);

  static const struct
  {
    double   lon, lat, max_m;
    gboolean snapped;
  } cases[] = {
    { 110.01, -7.0045, 600, TRUE },                                   /* ~500 m south */
    { 110.01, -7.0045, 400, FALSE }, { 110.01, -6.9928, 500, FALSE }, /* ~800 m north */
    { 109.99, -7.0, 2000, TRUE }, /* beyond the west end: ~1.1 km to the end node */
    { 110.5, -7.0, 1000, FALSE }, /* far outside the network's extent */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GeoPoint    p = { cases[i].lon, cases[i].lat };
      GeoRoadSnap s;
      double      nearest_lon = CLAMP (p.lon, 110.0, 110.02);
      double      expect = geodesic (p.lon, p.lat, nearest_lon, -7.0);

      geo_road_graph_snap (g, &p, 1, cases[i].max_m, &s);
      g_assert_cmpint (s.snapped, ==, cases[i].snapped);
      g_assert_cmpfloat_with_epsilon (s.snap_m, expect, expect * 0.002 + 0.5);
    }
}

/* ---------------------------------------------------------------------------------------------
 * A random grid against Floyd-Warshall */

static void
test_grid_vs_floyd (gconstpointer data)
{
  gboolean    use_oneway = GPOINTER_TO_INT (data);
  const guint W = 7, H = 6, N = W * H;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) oneways = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree double       *fw = g_new (double, N *N);
  g_autofree double       *travel = g_new (double, N *N);
  g_autofree GeoPoint     *nodes = g_new (GeoPoint, N);
  g_autofree GeoRoadSnap  *snaps = g_new (GeoRoadSnap, N);
  static const char *const cls[] = { "primary", "residential", "tertiary", "footway", "motorway" };
  g_autoptr(GeoRoadGraph) g = NULL;
  GError *error = NULL;

  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      nodes[y * W + x] = (GeoPoint){ 110.0 + x * 0.003 + g_rand_double_range (rand, -5e-4, 5e-4),
                                     -7.0 + y * 0.003 + g_rand_double_range (rand, -5e-4, 5e-4) };
  for (guint i = 0; i < N * N; i++)
    fw[i] = i % (N + 1) == 0 ? 0 : INFINITY;
  for (guint a = 0; a < N; a++)
    for (int dir = 0; dir < 2; dir++)
      {
        guint       b = dir == 0 ? a + 1 : a + W;
        GeoPoint   *l;
        const char *c;
        int         ow;
        double      speed, len;

        if ((dir == 0 && (a % W) == W - 1) || (dir == 1 && b >= N) ||
            g_rand_int_range (rand, 0, 6) == 0)
          continue;
        l = g_new (GeoPoint, 2);
        l[0] = nodes[a];
        l[1] = nodes[b];
        c = cls[g_rand_int_range (rand, 0, G_N_ELEMENTS (cls))];
        ow = g_rand_int_range (rand, 0, 5) == 0 ? (g_rand_boolean (rand) ? 1 : -1) : 0;
        g_ptr_array_add (lines, l);
        g_ptr_array_add (classes, (gpointer) c);
        g_array_append_vals (counts, (guint[]){ 2 }, 1);
        g_array_append_val (oneways, ow);
        speed = geo_road_speed_kmh (c, GEO_VEHICLE_MOTORBIKE);
        if (speed <= 0)
          continue;
        len =
            geodesic (nodes[a].lon, nodes[a].lat, nodes[b].lon, nodes[b].lat) / (speed * 1000 / 60);
        if (!use_oneway || ow >= 0)
          fw[a * N + b] = MIN (fw[a * N + b], len);
        if (!use_oneway || ow <= 0)
          fw[b * N + a] = MIN (fw[b * N + a], len);
      }
  for (guint k = 0; k < N; k++)
    for (guint i = 0; i < N; i++)
      for (guint j = 0; j < N; j++)
        if (fw[i * N + k] + fw[k * N + j] < fw[i * N + j])
          fw[i * N + j] = fw[i * N + k] + fw[k * N + j];

  g = geo_road_graph_new ((const GeoPoint *const *) lines->pdata,
                          (const guint *) counts->data,
                          (const char *const *) classes->pdata,
                          (const int *) oneways->data,
                          lines->len,
                          GEO_VEHICLE_MOTORBIKE,
                          use_oneway);
  geo_road_graph_snap (g, nodes, N, 1, snaps);
  g_assert_true (geo_road_graph_matrix (g, snaps, N, 5, travel, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    guint compared = 0, finite = 0;

    for (guint i = 0; i < N; i++)
      for (guint j = 0; j < N; j++)
        {
          /* Nodes with no usable road are not snapped: every entry INFINITY. */
          if (!snaps[i].snapped || !snaps[j].snapped)
            continue;
          g_assert_cmpfloat (snaps[i].snap_m, <, 0.01);
          if (isinf (fw[i * N + j]))
            g_assert_true (isinf (travel[i * N + j]));
          else
            {
              g_assert_cmpfloat_with_epsilon (travel[i * N + j], fw[i * N + j], 1e-6);
              finite++;
            }
          compared++;
        }
    g_assert_cmpuint (compared, >, N * N / 2);
    g_assert_cmpuint (finite, >, N * N / 3);
  }
}

/* Motorbikes may not take the toll road: the detour is longer. */
static void
test_vehicle_classes (void)
{
  const GeoPoint  toll[] = { { 110.0, -7.0 }, { 110.02, -7.0 } };
  const GeoPoint  side[] = { { 110.0, -7.0 }, { 110.01, -7.01 }, { 110.02, -7.0 } };
  const GeoPoint *lines[] = { toll, side };
  const guint     counts[] = { 2, 3 };
  const char     *classes[] = { "motorway", "secondary" };
  GeoPoint        pts[] = { { 110.0, -7.0 }, { 110.02, -7.0 } };
  double          car[4], moto[4], dcar[4], dmoto[4];
  GeoRoadSnap     s[2];

  for (int v = 0; v < 2; v++)
    {
      g_autoptr(GeoRoadGraph) g = geo_road_graph_new (lines,
                                                       counts,
                                                       classes,
                                                       NULL,
                                                       2,
                                                       v ? GEO_VEHICLE_MOTORBIKE : GEO_VEHICLE_CAR,
                                                       FALSE);

      geo_road_graph_snap (g, pts, 2, 10, s);
      g_assert_true (
          geo_road_graph_matrix (g, s, 2, 5, v ? moto : car, v ? dmoto : dcar, NULL, NULL));
    }
  g_assert_cmpfloat_with_epsilon (dcar[1], geodesic (110.0, -7.0, 110.02, -7.0), 0.5);
  g_assert_cmpfloat_with_epsilon (car[1], dcar[1] / (80 * 1000.0 / 60), 1e-6);
  g_assert_cmpfloat_with_epsilon (dmoto[1],
                                  geodesic (110.0, -7.0, 110.01, -7.01) +
                                      geodesic (110.01, -7.01, 110.02, -7.0),
                                  0.5);
  g_assert_cmpfloat (moto[1], >, car[1]);
}

/* ---------------------------------------------------------------------------------------------
 * Real extracts */

static gint64
count_sql (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_import_monaco (void)
{
  g_autofree char *db = temp_db ();
  g_autofree char *pbf = g_build_filename (shared_data (), "osm", "monaco_roads.osm.pbf", NULL);
  g_autoptr(GeoStore) store = geo_store_open (db, GEO_STORE_OPEN_CREATE, NULL);
  g_autoptr(GeoRoadGraph) g = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GeoRoadsImportReport rep;
  GError              *error = NULL;
  const guint          n = 24;
  GeoPoint             pts[24];
  GeoRoadSnap          snaps[24];
  double               travel[24 * 24], dist[24 * 24];

  if (!g_file_test (pbf, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("monaco_roads.osm.pbf not found");
      return;
    }
  g_assert_nonnull (store);
  g_assert_true (geo_roads_import (store, pbf, NULL, FALSE, &rep, NULL, &error));
  g_assert_no_error (error);
  /* SOURCES.md: the lines layer has 3,282 features, 3,273 with a highway tag. */
  g_assert_cmpuint (rep.read, ==, 3282);
  g_assert_cmpuint (rep.imported, ==, 3273);
  g_assert_cmpuint (rep.skipped, ==, 9);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM road_segment"), ==, 3273);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM road_segment WHERE oneway != 0"),
                   >,
                   100);
  g_assert_cmpint (count_sql (store,
                              "SELECT count(*) FROM road_segment WHERE ST_IsValid (geom) "
                              "AND ST_SRID (geom) = 4326"),
                   ==,
                   3273);

  g = geo_road_graph_load (store, GEO_VEHICLE_CAR, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (geo_road_graph_get_n_nodes (g), >, 3000);

  /* Random points in Monaco's built-up centre: a symmetric matrix without one-way handling,
   * never shorter than the straight line, and the triangle inequality. */
  for (guint i = 0; i < n; i++)
    pts[i] = (GeoPoint){ g_rand_double_range (rand, 7.415, 7.43),
                         g_rand_double_range (rand, 43.73, 43.745) };
  geo_road_graph_snap (g, pts, n, 300, snaps);
  g_assert_true (geo_road_graph_matrix (g, snaps, n, 5, travel, dist, NULL, &error));
  g_assert_no_error (error);
  {
    guint finite = 0;

    for (guint i = 0; i < n; i++)
      for (guint j = 0; j < n; j++)
        {
          if (!isfinite (travel[i * n + j]))
            continue;
          finite++;
          g_assert_cmpfloat_with_epsilon (travel[i * n + j], travel[j * n + i], 1e-6);
          g_assert_cmpfloat (dist[i * n + j] + 1.0,
                             >=,
                             geodesic (pts[i].lon, pts[i].lat, pts[j].lon, pts[j].lat));
          for (guint k = 0; k < n; k++)
            if (isfinite (travel[i * n + k]) && isfinite (travel[k * n + j]))
              g_assert_cmpfloat (travel[i * n + j],
                                 <=,
                                 travel[i * n + k] + travel[k * n + j] + 1e-6);
        }
    g_assert_cmpuint (finite, >, n * n / 2);
  }

  /* With one-way streets the matrix is asymmetric somewhere, and never faster. */
  {
    g_autoptr(GeoRoadGraph) g1 = geo_road_graph_load (store, GEO_VEHICLE_CAR, TRUE, NULL, &error);
    double      travel1[24 * 24];
    GeoRoadSnap s1[24];
    gboolean    asym = FALSE;

    geo_road_graph_snap (g1, pts, n, 300, s1);
    g_assert_true (geo_road_graph_matrix (g1, s1, n, 5, travel1, NULL, NULL, &error));
    for (guint i = 0; i < n * n; i++)
      {
        if (isfinite (travel1[i]) && isfinite (travel[i]) && s1[i / n].edge == snaps[i / n].edge &&
            s1[i % n].edge == snaps[i % n].edge)
          g_assert_cmpfloat (travel1[i], >=, travel[i] - 1e-6);
        asym |= fabs (travel1[i] - travel1[(i % n) * n + i / n]) > 1e-3;
      }
    g_assert_true (asym);
  }

  /* --replace empties the table first. */
  g_assert_true (geo_roads_import (store, pbf, "lines", TRUE, &rep, NULL, &error));
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM road_segment"), ==, 3273);
}

static void
test_import_geojson (void)
{
  g_autofree char *db = temp_db ();
  g_autofree char *path =
      g_build_filename (shared_data (), "osm", "jakarta_pusat_roads_osm_clip.geojson", NULL);
  g_autoptr(GeoStore) store = geo_store_open (db, GEO_STORE_OPEN_CREATE, NULL);
  g_autoptr(GeoRoadGraph) car = NULL;
  GeoRoadsImportReport rep;
  GError              *error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("jakarta_pusat_roads_osm_clip.geojson not found");
      return;
    }
  g_assert_true (geo_roads_import (store, path, NULL, FALSE, &rep, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rep.read, ==, 155);
  g_assert_cmpuint (rep.imported, >=, 155);
  /* The class comes from OSM_TYPE. */
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM road_segment WHERE highway = 'footway'"),
                   >,
                   0);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM road_segment WHERE highway = 'primary'"),
                   >,
                   0);
  car = geo_road_graph_load (store, GEO_VEHICLE_CAR, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (geo_road_graph_get_n_edges (car), >, 100);

  /* The drawing arrays (the app's road layer): every segment, classes counted as in SQL,
   * minor classes first so that major roads draw on top. */
  {
    g_autoptr(GeoRoadLines) lines = geo_road_lines_load (store, NULL, &error);
    gint64 n_primary = count_sql (store, "SELECT count(*) FROM road_segment WHERE highway IN "
                                         "('motorway', 'trunk', 'primary', 'motorway_link', "
                                         "'trunk_link', 'primary_link')");
    guint  n_points = 0;

    g_assert_no_error (error);
    g_assert_cmpint (lines->n_lines, ==, count_sql (store, "SELECT count(*) FROM road_segment"));
    g_assert_cmpint (lines->n_by_class[GEO_ROAD_MAJOR], ==, n_primary);
    for (guint i = 0; i < lines->n_lines; i++)
      {
        const GeoRoadLine *l = &lines->lines[i];

        if (i > 0)
          g_assert_cmpint (l->klass, <=, lines->lines[i - 1].klass);
        g_assert_cmpuint (l->n_points, >=, 2);
        for (guint k = l->first_point; k < l->first_point + l->n_points; k++)
          {
            g_assert_cmpfloat (lines->points[k].lon, >=, l->min_lon);
            g_assert_cmpfloat (lines->points[k].lon, <=, l->max_lon);
          }
        n_points += l->n_points;
      }
    g_assert_cmpuint (n_points, ==, lines->n_points);
    g_assert_cmpint (count_sql (store, "SELECT sum(NumPoints (geom)) FROM road_segment"), ==,
                     n_points);
  }
}

static void
test_road_classes (void)
{
  static const struct
  {
    const char  *highway;
    GeoRoadClass klass;
  } cases[] = {
    { "motorway", GEO_ROAD_MAJOR },      { "primary_link", GEO_ROAD_MAJOR },
    { "trunk", GEO_ROAD_MAJOR },         { "secondary", GEO_ROAD_MEDIUM },
    { "tertiary_link", GEO_ROAD_MEDIUM }, { "residential", GEO_ROAD_MINOR },
    { "unclassified", GEO_ROAD_MINOR },  { "living_street", GEO_ROAD_MINOR },
    { "service", GEO_ROAD_SERVICE },     { "footway", GEO_ROAD_SERVICE },
    { "track", GEO_ROAD_SERVICE },       { NULL, GEO_ROAD_SERVICE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (geo_road_class_from_highway (cases[i].highway), ==, cases[i].klass);
}

static void
test_import_errors (void)
{
  g_autofree char *db = temp_db ();
  g_autoptr(GeoStore) store = geo_store_open (db, GEO_STORE_OPEN_CREATE, NULL);
  g_autoptr(GeoRoadGraph) g = NULL;
  GError *error = NULL;

  g_assert_false (
      geo_roads_import (store, "/nonexistent/roads.osm.pbf", NULL, FALSE, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_GDAL);
  g_clear_error (&error);
  g = geo_road_graph_load (store, GEO_VEHICLE_CAR, FALSE, NULL, &error);
  g_assert_null (g);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  GDALAllRegister ();

  g_test_add_func ("/geo/roads/speeds", test_speeds);
  g_test_add_func ("/geo/roads/hand-computed", test_hand_computed);
  g_test_add_func ("/geo/roads/snap-report", test_snap_report);
  g_test_add_data_func ("/geo/roads/grid-vs-floyd/two-way",
                        GINT_TO_POINTER (FALSE),
                        test_grid_vs_floyd);
  g_test_add_data_func ("/geo/roads/grid-vs-floyd/oneway",
                        GINT_TO_POINTER (TRUE),
                        test_grid_vs_floyd);
  g_test_add_func ("/geo/roads/vehicle-classes", test_vehicle_classes);
  g_test_add_func ("/geo/roads/import-monaco", test_import_monaco);
  g_test_add_func ("/geo/roads/import-geojson", test_import_geojson);
  g_test_add_func ("/geo/roads/import-errors", test_import_errors);
  g_test_add_func ("/geo/roads/classes", test_road_classes);
  return g_test_run ();
}
