#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "geo-error.h"
#include "geo-tsp.h"
#include "geo-tsplib.h"
#include "../test-tmp.h"

/* JANGKAU_SHARED_DATA, else the first "shared/data" beside an ancestor of the source tree
 * (a git worktree may sit one level deeper than the main checkout). */
static char *
tsplib_path (const char *file)
{
  const char      *env = g_getenv ("JANGKAU_SHARED_DATA");
  g_autofree char *dir = NULL;

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_DIR))
    return g_build_filename (env, "tsplib", file, NULL);
  dir = g_canonicalize_filename (SOURCE_DATA_DIR, NULL);
  while (strcmp (dir, "/") != 0)
    {
      g_autofree char *parent = g_path_get_dirname (dir);
      g_autofree char *candidate = g_build_filename (parent, "shared", "data", "tsplib", NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_DIR))
        return g_build_filename (candidate, file, NULL);
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }
  return g_build_filename (SHARED_DATA_DIR, "tsplib", file, NULL);
}

static double
inst_distance (guint i, guint j, gpointer user_data)
{
  return geo_tsplib_distance (user_data, i, j);
}

/* ---- parser ---- */

static void
test_parse_good (void)
{
  static const char text[] = "NAME: tiny\r\n"
                             "COMMENT : four corners\n"
                             "TYPE : TSP\n"
                             "DIMENSION :4\n"
                             "EDGE_WEIGHT_TYPE : EUC_2D\n"
                             "NODE_COORD_SECTION\n"
                             "  2 3 0\n"
                             "1 0 0\n"
                             "\n"
                             "3 3.0e0 4\n"
                             "4 0 4\n"
                             "EOF\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoTsplibInstance) inst = geo_tsplib_parse (text, strlen (text), "tiny.tsp", &error);
  guint tour[] = { 0, 1, 2, 3 };

  g_assert_no_error (error);
  g_assert_nonnull (inst);
  g_assert_cmpstr (inst->name, ==, "tiny");
  g_assert_cmpstr (inst->comment, ==, "four corners");
  g_assert_cmpuint (inst->dimension, ==, 4);
  g_assert_cmpint (inst->weight_type, ==, GEO_TSPLIB_EUC_2D);
  g_assert_cmpfloat (inst->x[1], ==, 3.0);
  g_assert_cmpfloat (inst->y[2], ==, 4.0);
  g_assert_cmpint (geo_tsplib_distance (inst, 0, 2), ==, 5);
  g_assert_cmpint (geo_tsplib_tour_length (inst, tour, 4), ==, 14);
}

static void
test_load_shared (void)
{
  g_autofree char *path = tsplib_path ("eil51.tsp");
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoTsplibInstance) inst = geo_tsplib_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (inst->name, ==, "eil51");
  g_assert_cmpuint (inst->dimension, ==, 51);
  g_assert_cmpfloat (inst->x[0], ==, 37);
  g_assert_cmpfloat (inst->y[0], ==, 52);
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message; /* substring of the error, with the line number */
} BadCase;

#define HEAD "NAME : bad\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n"

static const BadCase bad_cases[] = {
  { "missing-node", HEAD "NODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n", "bad.tsp:8: EOF after 2 of 3" },
  { "truncated", HEAD "NODE_COORD_SECTION\n1 0 0\n", "ends after 1 of 3" },
  { "bad-x", HEAD "NODE_COORD_SECTION\n1 0 0\n2 abc 1\n3 1 1\n", "bad.tsp:7: x coordinate “abc”" },
  { "bad-y", HEAD "NODE_COORD_SECTION\n1 0 0\n2 1 1e\n3 1 1\n", "bad.tsp:7: y coordinate “1e”" },
  { "two-fields",
    HEAD "NODE_COORD_SECTION\n1 0\n",
    "bad.tsp:6: expected “node x y” (3 fields), found 2" },
  { "id-range", HEAD "NODE_COORD_SECTION\n1 0 0\n4 1 1\n", "bad.tsp:7: node 4 is outside 1..3" },
  { "id-zero", HEAD "NODE_COORD_SECTION\n0 0 0\n", "bad.tsp:6: node 0 is outside" },
  { "duplicate", HEAD "NODE_COORD_SECTION\n1 0 0\n1 1 1\n", "bad.tsp:7: node 1 appears twice" },
  { "no-dimension",
    "NAME : bad\nTYPE : TSP\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n",
    "bad.tsp:4: NODE_COORD_SECTION before a DIMENSION" },
  { "bad-dimension",
    "NAME : bad\nTYPE : TSP\nDIMENSION : -3\n",
    "bad.tsp:3: DIMENSION “-3” is not a node count" },
  { "explicit",
    "NAME : bad\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n",
    "bad.tsp:4: EDGE_WEIGHT_TYPE EXPLICIT is not supported" },
  { "atsp", "NAME : bad\nTYPE : ATSP\n", "bad.tsp:2: TYPE ATSP is not supported" },
  { "garbage", "NAME : bad\nhello world\n", "bad.tsp:2: expected “KEY : VALUE”" },
  { "unknown-key", "NAME : bad\nCOLOUR : red\n", "bad.tsp:2: unknown keyword “COLOUR”" },
  { "no-coords", "NAME : bad\nTYPE : TSP\nDIMENSION : 3\nEOF\n", "bad.tsp: no NODE_COORD_SECTION" },
  { "no-type",
    "NAME : bad\nDIMENSION : 1\nEDGE_WEIGHT_TYPE : ATT\nNODE_COORD_SECTION\n1 0 0\n",
    "no “TYPE : TSP” line" },
  { "edge-section",
    HEAD "EDGE_WEIGHT_SECTION\n",
    "bad.tsp:5: EDGE_WEIGHT_SECTION is not supported" },
  { "empty", "", "no “TYPE : TSP” line" },
};

static void
test_parse_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoTsplibInstance) inst =
                 geo_tsplib_parse (c->text, strlen (c->text), "bad.tsp", &error);

  g_assert_null (inst);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_test_message ("%s: %s", c->name, error->message);
  g_assert_nonnull (strstr (error->message, c->message));
}

static const BadCase bad_tours[] = {
  { "repeat",
    "TYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n2\n2\n-1\n",
    "node 2 is visited twice" },
  { "short", "TYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n2\n-1\n", "2 nodes, DIMENSION is 3" },
  { "range",
    "TYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n2\n7\n-1\n",
    "bad.tsp:6: node 7 is outside 1..3" },
  { "word", "TYPE : TOUR\nTOUR_SECTION\n1 x\n", "bad.tsp:3: tour entry “x”" },
  { "type", "TYPE : TSP\n", "bad.tsp:1: TYPE TSP is not a TOUR" },
  { "no-section", "TYPE : TOUR\nEOF\n", "no TOUR_SECTION" },
};

static void
test_tour_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  guint             n = 0;
  g_autofree guint *tour = geo_tsplib_parse_tour (c->text, strlen (c->text), "bad.tsp", &n, &error);

  g_assert_null (tour);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_test_message ("%s: %s", c->name, error->message);
  g_assert_nonnull (strstr (error->message, c->message));
}

static void
test_tour_roundtrip (void)
{
  static const char text[] =
      "NAME : t\nTYPE : TOUR\nDIMENSION : 5\nTOUR_SECTION\n3 1\n5\n2 4 -1\nEOF\n";
  guint expected[] = { 2, 0, 4, 1, 3 };
  g_autoptr(GError) error = NULL;
  g_autofree char  *dir = test_tmp_make_dir ("test-tsp-XXXXXX", &error);
  g_autofree char  *path = NULL;
  g_autofree guint *tour = NULL;
  g_autofree guint *again = NULL;
  guint             n = 0, n2 = 0;

  g_assert_no_error (error);
  tour = geo_tsplib_parse_tour (text, strlen (text), "t.tour", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (tour, n * sizeof (guint), expected, sizeof expected);

  path = g_build_filename (dir, "out.tour", NULL);
  g_assert_true (geo_tsplib_write_tour (path, "t.tour", "Length 1", tour, n, &error));
  g_assert_no_error (error);
  again = geo_tsplib_load_tour (path, &n2, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again, n2 * sizeof (guint), expected, sizeof expected);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- distance functions, against values computed by hand ---- */

typedef struct
{
  const char *name;
  int (*func) (double, double, double, double);
  double x1, y1, x2, y2;
  int    expected;
} DistCase;

static const DistCase dist_cases[] = {
  /* EUC_2D: nint (sqrt (dx^2 + dy^2)). */
  { "euc-3-4-5", geo_tsplib_dist_euc_2d, 0, 0, 3, 4, 5 },
  { "euc-sqrt2", geo_tsplib_dist_euc_2d, 0, 0, 1, 1, 1 },     /* 1.414 -> 1 */
  { "euc-half-up", geo_tsplib_dist_euc_2d, 0, 0, 1.5, 0, 2 }, /* 1.5 -> 2 */
  { "euc-sqrt5", geo_tsplib_dist_euc_2d, 2, 1, 0, 0, 2 },     /* 2.236 -> 2 */
  { "euc-sqrt8", geo_tsplib_dist_euc_2d, 0, 0, 2, 2, 3 },     /* 2.828 -> 3 */
  /* CEIL_2D. */
  { "ceil-sqrt2", geo_tsplib_dist_ceil_2d, 0, 0, 1, 1, 2 },
  { "ceil-exact", geo_tsplib_dist_ceil_2d, 0, 0, 3, 4, 5 },
  /* ATT: r = sqrt ((dx^2 + dy^2) / 10), t = nint (r), t < r ? t + 1 : t. */
  { "att-round-up", geo_tsplib_dist_att, 0, 0, 10, 0, 4 }, /* r = 3.162, t = 3 < r */
  { "att-exact", geo_tsplib_dist_att, 0, 0, 30, 10, 10 },  /* r = 10 */
  { "att-nint-up", geo_tsplib_dist_att, 0, 0, 12, 0, 4 },  /* r = 3.795, t = 4 >= r */
  /* GEO: DDD.MM -> radians with PI = 3.141592; RRR = 6378.388; (int) (RRR acos (...) + 1).
   * One degree of longitude on the equator: 6378.388 * 0.017453289 = 111.32 -> 112. */
  { "geo-1deg", geo_tsplib_dist_geo, 0, 0, 0, 1.0, 112 },
  /* 0.30 = 30 minutes = 0.5 degrees: 55.66 + 1 -> 56. */
  { "geo-30min", geo_tsplib_dist_geo, 0, 0, 0, 0.30, 56 },
  /* 0.50 = 50 minutes = 0.8333 degrees with truncation (92.77 + 1 -> 93); nint would read it
   * as 1 degree minus 50 minutes = 0.1667 degrees (19). */
  { "geo-50min", geo_tsplib_dist_geo, 0, 0, 0, 0.50, 93 },
  /* Along a meridian: 2 degrees of latitude = 222.64 + 1 -> 223. */
  { "geo-meridian", geo_tsplib_dist_geo, -1.0, 5.0, 1.0, 5.0, 223 },
};

static void
test_distance (gconstpointer data)
{
  const DistCase *c = data;

  g_assert_cmpint (c->func (c->x1, c->y1, c->x2, c->y2), ==, c->expected);
  g_assert_cmpint (c->func (c->x2, c->y2, c->x1, c->y1), ==, c->expected);
}

/* ulysses16 (GEO, Groetschel/Padberg): optimum 6859 in TSPLIB's STSP.html. The solver finds it,
 * which checks the GEO distance (these coordinates have minutes >= 50) end to end. */
static const char ulysses16[] = "NAME: ulysses16\nTYPE: TSP\nDIMENSION: 16\nEDGE_WEIGHT_TYPE: GEO\n"
                                "NODE_COORD_SECTION\n"
                                "1 38.24 20.42\n2 39.57 26.15\n3 40.56 25.32\n4 36.26 23.12\n"
                                "5 33.48 10.54\n6 37.56 12.19\n7 38.42 13.11\n8 37.52 20.44\n"
                                "9 41.23 9.10\n10 41.17 13.05\n11 36.08 -5.21\n12 38.47 15.13\n"
                                "13 38.15 15.35\n14 37.51 15.17\n15 35.49 14.32\n16 39.36 19.56\n"
                                "EOF\n";

static void
test_geo_ulysses16 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoTsplibInstance) inst =
                 geo_tsplib_parse (ulysses16, strlen (ulysses16), "ulysses16", &error);
  guint         order[16];
  GeoTspResult  res;
  GeoTspOptions opts;

  g_assert_no_error (error);
  g_assert_cmpint (inst->weight_type, ==, GEO_TSPLIB_GEO);
  geo_tsp_options_init (&opts);
  opts.max_iterations = 3000;
  g_assert_true (geo_tsp_solve (16, inst_distance, inst, &opts, order, &res, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (geo_tsp_is_permutation (order, 16));
  g_assert_cmpint (geo_tsplib_tour_length (inst, order, 16), ==, 6859);
  g_assert_cmpint (geo_tsplib_known_optimum ("ulysses16"), ==, 6859);
}

/* ---- the shared instances ---- */

typedef struct
{
  const char *name;
  gint64      optimum; /* SOURCES.md */
  gboolean    has_opt_tour;
} Instance;

static const Instance instances[] = {
  { "att48", 10628, TRUE },   { "eil51", 426, TRUE },    { "berlin52", 7542, TRUE },
  { "st70", 675, TRUE },      { "eil76", 538, TRUE },    { "pr76", 108159, TRUE },
  { "kroA100", 21282, TRUE }, { "ch150", 6528, TRUE },   { "a280", 2579, TRUE },
  { "pr439", 107217, FALSE }, { "pcb442", 50778, TRUE }, { "rat783", 8806, FALSE },
  { "pr1002", 259045, TRUE },
};

static void
test_opt_tour (gconstpointer data)
{
  const Instance  *c = data;
  g_autofree char *file = g_strconcat (c->name, ".tsp", NULL);
  g_autofree char *tour_file = g_strconcat (c->name, ".opt.tour", NULL);
  g_autofree char *path = tsplib_path (file);
  g_autofree char *tour_path = tsplib_path (tour_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoTsplibInstance) inst = geo_tsplib_load (path, &error);
  g_autofree guint *tour = NULL;
  guint             n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (geo_tsplib_known_optimum (c->name), ==, c->optimum);
  tour = geo_tsplib_load_tour (tour_path, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, inst->dimension);
  g_assert_cmpint (geo_tsplib_tour_length (inst, tour, n), ==, c->optimum);
}

static void
test_solve_instance (gconstpointer data)
{
  const Instance  *c = data;
  g_autofree char *file = g_strconcat (c->name, ".tsp", NULL);
  g_autofree char *path = tsplib_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoTsplibInstance) inst = geo_tsplib_load (path, &error);
  g_autofree guint *order = NULL;
  GeoTspOptions     opts;
  GeoTspResult      res;
  gint64            length;
  double            gap, limit;

  g_assert_no_error (error);
  order = g_new (guint, inst->dimension);
  geo_tsp_options_init (&opts);
  /* An iteration budget, not a time limit: the result does not depend on the machine. */
  opts.max_iterations = MIN (60 * inst->dimension, 60000);
  opts.seed = 1;
  g_assert_true (
      geo_tsp_solve (inst->dimension, inst_distance, inst, &opts, order, &res, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (geo_tsp_is_permutation (order, inst->dimension));
  length = geo_tsplib_tour_length (inst, order, inst->dimension);
  g_assert_cmpfloat_with_epsilon (res.length, (double) length, 1e-6);
  g_assert_cmpint (length, >=, c->optimum);
  g_assert_cmpfloat (res.initial_length, >=, res.local_length);
  g_assert_cmpfloat (res.local_length, >=, res.length);
  gap = 100.0 * (length - c->optimum) / c->optimum;
  limit = inst->dimension <= 100 ? 0.5 : 2.0;
  g_test_message ("%s: %" G_GINT64_FORMAT " (optimum %" G_GINT64_FORMAT ", gap %.3f %%, "
                  "initial %.0f, %u iterations, %.3f s)",
                  c->name,
                  length,
                  c->optimum,
                  gap,
                  res.initial_length,
                  res.iterations,
                  res.seconds);
  g_assert_cmpfloat (gap, <=, limit);
}

/* ---- solver behaviour on random Euclidean points ---- */

typedef struct
{
  guint   n;
  double *x, *y;
} Points;

static Points *
points_new (guint n, guint32 seed)
{
  Points *p = g_new0 (Points, 1);
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);

  p->n = n;
  p->x = g_new (double, n);
  p->y = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      p->x[i] = g_rand_double_range (r, 0, 1000);
      p->y[i] = g_rand_double_range (r, 0, 1000);
    }
  return p;
}

static void
points_free (Points *p)
{
  g_free (p->x);
  g_free (p->y);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Points, points_free)

static double
points_distance (guint i, guint j, gpointer user_data)
{
  Points *p = user_data;

  return hypot (p->x[i] - p->x[j], p->y[i] - p->y[j]);
}

/* Brute force over all orders with the fixed start first: the optimum for the given shape. */
static double
brute_force (Points *p, GeoTspShape shape, guint start, guint end)
{
  guint    n = p->n, perm[12], best_len = 0;
  double   best = INFINITY;
  gboolean more = TRUE;

  g_assert (n <= 12);
  for (guint i = 0; i < n; i++)
    perm[i] = i;
  while (more)
    {
      gboolean ok = TRUE;

      if (shape == GEO_TSP_CLOSED || shape == GEO_TSP_PATH_FROM_START)
        ok = perm[0] == start;
      if (shape == GEO_TSP_PATH_START_END)
        ok = perm[0] == start && perm[n - 1] == end;
      if (ok)
        {
          double len =
              geo_tsp_route_length (n, points_distance, p, perm, n, shape == GEO_TSP_CLOSED);
          if (len < best)
            best = len, best_len = n;
        }
      /* next lexicographic permutation */
      {
        int i = (int) n - 2, j = (int) n - 1;

        while (i >= 0 && perm[i] > perm[i + 1])
          i--;
        if (i < 0)
          more = FALSE;
        else
          {
            guint x;

            while (perm[j] < perm[i])
              j--;
            x = perm[i], perm[i] = perm[j], perm[j] = x;
            for (int a = i + 1, b = (int) n - 1; a < b; a++, b--)
              x = perm[a], perm[a] = perm[b], perm[b] = x;
          }
      }
    }
  g_assert_cmpuint (best_len, ==, n);
  return best;
}

typedef struct
{
  const char *name;
  guint       n;
  GeoTspShape shape;
  guint       start, end;
  guint32     seed;
} ShapeCase;

static const ShapeCase shape_cases[] = {
  { "closed-7-exact", 7, GEO_TSP_CLOSED, 3, 0, 11 },
  { "closed-9", 9, GEO_TSP_CLOSED, 0, 0, 12 },
  { "closed-10", 10, GEO_TSP_CLOSED, 4, 0, 13 },
  { "open-7-exact", 7, GEO_TSP_OPEN, 0, 0, 14 },
  { "open-9", 9, GEO_TSP_OPEN, 0, 0, 15 },
  { "from-start-8-exact", 8, GEO_TSP_PATH_FROM_START, 5, 0, 16 },
  { "from-start-9", 9, GEO_TSP_PATH_FROM_START, 2, 0, 17 },
  { "start-end-9", 9, GEO_TSP_PATH_START_END, 1, 6, 18 },
  { "start-end-10", 10, GEO_TSP_PATH_START_END, 9, 0, 19 },
  { "start-is-end-9", 9, GEO_TSP_PATH_START_END, 4, 4, 20 },
};

static void
test_shape (gconstpointer data)
{
  const ShapeCase *c = data;
  g_autoptr(Points) p = points_new (c->n, c->seed);
  g_autoptr(GError) error = NULL;
  guint         order[16];
  GeoTspOptions opts;
  GeoTspResult  res;
  GeoTspShape   effective = c->shape;
  double        best;

  if (c->shape == GEO_TSP_PATH_START_END && c->start == c->end)
    effective = GEO_TSP_CLOSED;
  geo_tsp_options_init (&opts);
  opts.shape = c->shape;
  opts.start = c->start;
  opts.end = c->end;
  opts.max_iterations = 2000;
  g_assert_true (geo_tsp_solve (c->n, points_distance, p, &opts, order, &res, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (geo_tsp_is_permutation (order, c->n));
  if (effective != GEO_TSP_OPEN)
    g_assert_cmpuint (order[0], ==, c->start);
  if (effective == GEO_TSP_PATH_START_END)
    g_assert_cmpuint (order[c->n - 1], ==, c->end);
  g_assert_cmpfloat_with_epsilon (res.length,
                                  geo_tsp_route_length (c->n,
                                                        points_distance,
                                                        p,
                                                        order,
                                                        c->n,
                                                        effective == GEO_TSP_CLOSED),
                                  1e-6);
  best = brute_force (p, effective, c->start, c->end);
  g_assert_cmpfloat_with_epsilon (res.length, best, 1e-6);
}

/* Paths on a larger instance: the right ends, and never longer than the closed tour. */
static void
test_shape_large (void)
{
  g_autoptr(Points) p = points_new (300, 99);
  g_autoptr(GError) error = NULL;
  g_autofree guint *order = g_new (guint, 300);
  GeoTspShape       shapes[] = {
          GEO_TSP_CLOSED, GEO_TSP_OPEN, GEO_TSP_PATH_FROM_START, GEO_TSP_PATH_START_END
  };
  double lengths[4];

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      GeoTspOptions opts;
      GeoTspResult  res;

      geo_tsp_options_init (&opts);
      opts.shape = shapes[s];
      opts.start = 17;
      opts.end = 230;
      opts.max_iterations = 5000;
      g_assert_true (geo_tsp_solve (300, points_distance, p, &opts, order, &res, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (geo_tsp_is_permutation (order, 300));
      if (shapes[s] != GEO_TSP_OPEN)
        g_assert_cmpuint (order[0], ==, 17);
      if (shapes[s] == GEO_TSP_PATH_START_END)
        g_assert_cmpuint (order[299], ==, 230);
      lengths[s] = res.length;
      g_assert_cmpfloat (res.initial_length, >=, res.length - 1e-6);
    }
  /* A path is a cycle minus an edge: at most the cycle, up to 1 % of heuristic noise. */
  g_assert_cmpfloat (lengths[1], <=, lengths[0] * 1.01);
  g_assert_cmpfloat (lengths[2], <=, lengths[0] * 1.01);
  g_assert_cmpfloat (lengths[1], <=, lengths[2] * 1.01);
}

static void
test_deterministic (void)
{
  g_autoptr(Points) p = points_new (200, 7);
  g_autofree guint  *a = g_new (guint, 200);
  g_autofree guint  *b = g_new (guint, 200);
  g_autofree guint  *c = g_new (guint, 200);
  g_autofree double *m = g_new (double, 200 * 200);
  GeoTspOptions      opts;
  GeoTspResult       ra, rb, rc;

  for (guint i = 0; i < 200; i++)
    for (guint j = 0; j < 200; j++)
      m[i * 200 + j] = points_distance (i, j, p);
  geo_tsp_options_init (&opts);
  opts.seed = 42;
  opts.max_iterations = 3000;
  g_assert_true (geo_tsp_solve (200, points_distance, p, &opts, a, &ra, NULL, NULL));
  g_assert_true (geo_tsp_solve (200, points_distance, p, &opts, b, &rb, NULL, NULL));
  g_assert_true (geo_tsp_solve_matrix (m, 200, &opts, c, &rc, NULL, NULL));
  g_assert_cmpmem (a, 200 * sizeof (guint), b, 200 * sizeof (guint));
  g_assert_cmpmem (a, 200 * sizeof (guint), c, 200 * sizeof (guint));
  g_assert_cmpfloat (ra.length, ==, rb.length);
  g_assert_cmpuint (ra.iterations, ==, 3000);
}

static void
test_cancelled (void)
{
  g_autoptr(Points) p = points_new (50, 3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint order[50];

  g_cancellable_cancel (cancellable);
  g_assert_false (geo_tsp_solve (50, points_distance, p, NULL, order, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_bad_start (void)
{
  g_autoptr(Points) p = points_new (20, 3);
  g_autoptr(GError) error = NULL;
  GeoTspOptions opts;
  guint         order[20];

  geo_tsp_options_init (&opts);
  opts.shape = GEO_TSP_PATH_START_END;
  opts.start = 2;
  opts.end = 20;
  g_assert_false (geo_tsp_solve (20, points_distance, p, &opts, order, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
}

static void
test_tiny (void)
{
  g_autoptr(Points) p = points_new (3, 5);
  GeoTspOptions opts;
  GeoTspResult  res;
  guint         order[3];

  geo_tsp_options_init (&opts);
  g_assert_true (geo_tsp_solve (0, points_distance, p, &opts, order, &res, NULL, NULL));
  g_assert_cmpfloat (res.length, ==, 0);
  g_assert_true (geo_tsp_solve (1, points_distance, p, &opts, order, &res, NULL, NULL));
  g_assert_cmpuint (order[0], ==, 0);
  g_assert_cmpfloat (res.length, ==, 0);
  opts.start = 2;
  g_assert_true (geo_tsp_solve (3, points_distance, p, &opts, order, &res, NULL, NULL));
  g_assert_cmpuint (order[0], ==, 2);
  g_assert_true (geo_tsp_is_permutation (order, 3));
  opts.shape = GEO_TSP_OPEN;
  g_assert_true (geo_tsp_solve (2, points_distance, p, &opts, order, &res, NULL, NULL));
  g_assert_cmpfloat_with_epsilon (res.length, points_distance (0, 1, p), 1e-9);
}

/* ---- jangkau-cli tsp ---- */

static void
test_cli (void)
{
  const char      *cli = g_getenv ("JANGKAU_CLI");
  g_autofree char *tsp = tsplib_path ("eil51.tsp");
  g_autoptr(GError) error = NULL;
  g_autofree char  *dir = test_tmp_make_dir ("test-tsp-cli-XXXXXX", &error);
  g_autofree char  *tour_path = g_build_filename (dir, "eil51.tour", NULL);
  g_autofree char  *bad_path = g_build_filename (dir, "bad.tsp", NULL);
  g_autofree char  *out = NULL;
  g_autofree char  *err = NULL;
  g_autofree guint *tour = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GeoTsplibInstance) inst = NULL;
  JsonObject *o;
  int         status = 0;
  guint       n = 0;

  if (cli == NULL)
    {
      g_test_skip ("JANGKAU_CLI not set");
      return;
    }
  {
    const char *argv[] = { cli,    "tsp",    tsp, "--tour", tour_path, "--iterations",
                           "3000", "--json", NULL };

    g_assert_true (g_spawn_sync (NULL,
                                 (char **) argv,
                                 NULL,
                                 G_SPAWN_DEFAULT,
                                 NULL,
                                 NULL,
                                 &out,
                                 &err,
                                 &status,
                                 &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "eil51");
  g_assert_cmpint (json_object_get_int_member (o, "optimum"), ==, 426);
  g_assert_cmpstr (json_object_get_string_member (o, "optimum_source"), ==, "opt.tour");
  g_assert_cmpint (json_object_get_int_member (o, "length"), <=, 428);

  inst = geo_tsplib_load (tsp, &error);
  g_assert_no_error (error);
  tour = geo_tsplib_load_tour (tour_path, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 51);
  g_assert_cmpint (geo_tsplib_tour_length (inst, tour, n),
                   ==,
                   json_object_get_int_member (o, "length"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (bad_path,
                                      "NAME : x\nTYPE : TSP\nDIMENSION : 2\n"
                                      "EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n"
                                      "1 0 0\n2 0 zz\n",
                                      -1,
                                      &error));
  {
    const char *argv[] = { cli, "tsp", bad_path, NULL };

    g_assert_true (g_spawn_sync (NULL,
                                 (char **) argv,
                                 NULL,
                                 G_SPAWN_DEFAULT,
                                 NULL,
                                 NULL,
                                 &out,
                                 &err,
                                 &status,
                                 &error));
    g_assert_no_error (error);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "bad.tsp:7: y coordinate “zz” is not a number"));
  }
  g_assert_cmpint (g_remove (tour_path), ==, 0);
  g_assert_cmpint (g_remove (bad_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/tsplib/parse/good", test_parse_good);
  g_test_add_func ("/geo/tsplib/parse/shared-file", test_load_shared);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/tsplib/parse/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_parse_bad);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_tours); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/tsplib/tour/bad/%s", bad_tours[i].name);
      g_test_add_data_func (path, &bad_tours[i], test_tour_bad);
    }
  g_test_add_func ("/geo/tsplib/tour/roundtrip", test_tour_roundtrip);
  for (guint i = 0; i < G_N_ELEMENTS (dist_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/tsplib/distance/%s", dist_cases[i].name);
      g_test_add_data_func (path, &dist_cases[i], test_distance);
    }
  g_test_add_func ("/geo/tsplib/distance/geo-ulysses16", test_geo_ulysses16);
  for (guint i = 0; i < G_N_ELEMENTS (instances); i++)
    {
      g_autofree char *path = NULL;

      if (instances[i].has_opt_tour)
        {
          path = g_strdup_printf ("/geo/tsplib/opt-tour/%s", instances[i].name);
          g_test_add_data_func (path, &instances[i], test_opt_tour);
          g_free (path);
        }
      path = g_strdup_printf ("/geo/tsp/solve/%s", instances[i].name);
      g_test_add_data_func (path, &instances[i], test_solve_instance);
    }
  for (guint i = 0; i < G_N_ELEMENTS (shape_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/tsp/shape/%s", shape_cases[i].name);
      g_test_add_data_func (path, &shape_cases[i], test_shape);
    }
  g_test_add_func ("/geo/tsp/shape/large", test_shape_large);
  g_test_add_func ("/geo/tsp/deterministic", test_deterministic);
  g_test_add_func ("/geo/tsp/cancelled", test_cancelled);
  g_test_add_func ("/geo/tsp/bad-start", test_bad_start);
  g_test_add_func ("/geo/tsp/tiny", test_tiny);
  g_test_add_func ("/geo/tsp/cli", test_cli);

  return g_test_run ();
}
