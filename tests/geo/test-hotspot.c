#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "geo-autocleanups.h"
#include "geo-density.h"
#include "geo-error.h"
#include "geo-grid.h"
#include "geo-hotspot.h"
#include "geo-import-areas.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static char *
shared (const char *rel)
{
  const char *dir = g_getenv ("JANGKAU_SHARED_DATA");

  return g_build_filename (dir ? dir : SHARED_DATA_DIR, rel, NULL);
}

/* ---- Gi*: an independent O(n^2) implementation ------------------------------------------ */

/* Straight from Ord & Getis (1995) with binary weights w_ij = 1 when the cell centres are at
 * most @band apart (i itself included): every pair of cells, no stencil. */
static void
brute_gistar_grid (const double *x, guint nx, guint ny, double cell, double band, double *z)
{
  gsize  n = (gsize) nx * ny;
  double sum = 0, sum2 = 0, mean, s;

  for (gsize i = 0; i < n; i++)
    sum += x[i];
  mean = sum / n;
  for (gsize i = 0; i < n; i++)
    sum2 += x[i] * x[i];
  s = sqrt (sum2 / n - mean * mean);
  for (gsize i = 0; i < n; i++)
    {
      double xi = (i % nx + 0.5) * cell, yi = (i / nx + 0.5) * cell;
      double wx = 0, w = 0, w2 = 0;

      for (gsize j = 0; j < n; j++)
        {
          double xj = (j % nx + 0.5) * cell, yj = (j / nx + 0.5) * cell;

          if (sqrt ((xi - xj) * (xi - xj) + (yi - yj) * (yi - yj)) <= band + 1e-6)
            {
              wx += x[j];
              w += 1;
              w2 += 1;
            }
        }
      z[i] = (wx - mean * w) / (s * sqrt ((n * w2 - w * w) / (n - 1)));
    }
}

static void
test_gistar_grid_vs_brute (void)
{
  static const double cells[] = { 500, 250, 100, 333.3, 1000 };
  guint               n_compared = 0;

  for (guint seed = 1; seed <= 120; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      guint  nx = g_rand_int_range (rand, 1, 26), ny = g_rand_int_range (rand, 1, 22);
      double cell = cells[seed % G_N_ELEMENTS (cells)];
      /* Bands on exact multiples of the cell (ring boundaries), between them, and tiny. */
      double             band = seed % 3 == 0 ? cell * g_rand_int_range (rand, 0, 6)
                                              : cell * g_rand_double_range (rand, 0, 7);
      gsize              n = (gsize) nx * ny;
      g_autofree double *x = g_new (double, n);
      g_autofree double *z = g_new (double, n);
      g_autofree double *zb = g_new (double, n);
      GError            *error = NULL;
      guint              stencil = 0;
      gboolean           constant = TRUE;

      for (gsize i = 0; i < n; i++)
        {
          /* Counts (integers, many zeros) or rates (reals). */
          x[i] = seed % 2 ? floor (-log (1 - g_rand_double (rand)) * 3)
                          : g_rand_double_range (rand, 0, 50);
          constant = constant && x[i] == x[0];
        }
      if (n < 2 || constant)
        {
          g_assert_false (geo_gistar_grid (x, nx, ny, cell, band, z, NULL, NULL, &error));
          g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
          g_clear_error (&error);
          continue;
        }
      g_assert_true (geo_gistar_grid (x, nx, ny, cell, band, z, &stencil, NULL, &error));
      g_assert_no_error (error);
      brute_gistar_grid (x, nx, ny, cell, band, zb);
      for (gsize i = 0; i < n; i++)
        {
          if (isnan (zb[i]))
            {
              /* The star covers the whole grid: no variance. */
              g_assert_true (isnan (z[i]));
              continue;
            }
          g_assert_cmpfloat_with_epsilon (z[i], zb[i], 1e-9);
        }
      n_compared++;
    }
  g_assert_cmpuint (n_compared, >, 90);
}

/* A grid large enough for the two-thread path, against the brute force on a sample of cells. */
static void
test_gistar_grid_threads (void)
{
  guint              nx = 700, ny = 600;
  gsize              n = (gsize) nx * ny;
  g_autofree double *x = g_new (double, n);
  g_autofree double *z = g_new (double, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double  sum = 0, sum2 = 0, mean, s, cell = 500, band = 1000;
  GError *error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = g_rand_int_range (rand, 0, 5);
      sum += x[i];
      sum2 += x[i] * x[i];
    }
  g_assert_true (geo_gistar_grid (x, nx, ny, cell, band, z, NULL, NULL, &error));
  g_assert_no_error (error);
  mean = sum / n;
  s = sqrt (sum2 / n - mean * mean);
  for (guint k = 0; k < 2000; k++)
    {
      gsize  i = k < 4 ? (gsize[]){ 0, nx - 1, n - nx, n - 1 }[k]
                       : (gsize) g_rand_int_range (rand, 0, (gint32) n);
      int    ix = i % nx, iy = i / nx;
      double wx = 0, w = 0;

      for (int dy = -2; dy <= 2; dy++)
        for (int dx = -2; dx <= 2; dx++)
          if (dx * dx + dy * dy <= 4 && ix + dx >= 0 && ix + dx < (int) nx && iy + dy >= 0 &&
              iy + dy < (int) ny)
            {
              wx += x[(iy + dy) * nx + ix + dx];
              w++;
            }
      g_assert_cmpfloat_with_epsilon (z[i],
                                      (wx - mean * w) / (s * sqrt ((n * w - w * w) / (n - 1.0))),
                                      1e-9);
    }
}

/* geo_gistar() over explicit neighbour lists equals the grid stencil. */
static void
test_gistar_general (void)
{
  guint              nx = 9, ny = 7, n = nx * ny;
  double             cell = 500, band = 1200;
  g_autofree double *x = g_new (double, n);
  g_autofree double *z = g_new (double, n);
  g_autofree double *zg = g_new (double, n);
  g_autoptr(GArray) idx = g_array_new (FALSE, FALSE, sizeof (guint));
  GeoNeighbours nb = { n, g_new0 (guint, n + 1), NULL };
  GError       *error = NULL;

  for (guint i = 0; i < n; i++)
    x[i] = (i * 7919) % 13;
  for (guint i = 0; i < n; i++)
    {
      for (guint j = 0; j < n; j++)
        if (j != i &&
            hypot ((double) (i % nx) - j % nx, (double) (i / nx) - (double) (j / nx)) * cell <=
                band)
          g_array_append_val (idx, j);
      nb.start[i + 1] = idx->len;
    }
  nb.index = (guint *) g_array_free (g_steal_pointer (&idx), FALSE);
  g_assert_true (geo_gistar (x, &nb, z, &error));
  g_assert_no_error (error);
  g_assert_true (geo_gistar_grid (x, nx, ny, cell, band, zg, NULL, NULL, &error));
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (z[i], zg[i], 1e-12);
  geo_neighbours_clear (&nb);
}

/* ---- Gi* against R spdep ---------------------------------------------------------------- */

static void
test_gistar_spdep (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gistar-reference.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const guint         nx = 14, ny = 10, n = nx * ny;
  static const double bands[] = { 500, 1000, 1500, 2200 };
  GError             *error = NULL;
  guint               checked = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint b = 0; b < G_N_ELEMENTS (bands); b++)
    {
      double count[140], z_ref[140], p_ref[140], bh_ref[140], z[140], p[140], bh[140];
      guint  got = 0;

      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_auto(GStrv) f = NULL;
          guint ix, iy;

          if (lines[l][0] == '#' || g_str_has_prefix (lines[l], "band") || lines[l][0] == '\0')
            continue;
          f = g_strsplit (lines[l], ",", -1);
          g_assert_cmpuint (g_strv_length (f), ==, 9);
          if (g_ascii_strtod (f[0], NULL) != bands[b])
            continue;
          ix = atoi (f[1]);
          iy = atoi (f[2]);
          g_assert_cmpuint (ix, <, nx);
          g_assert_cmpuint (iy, <, ny);
          count[iy * nx + ix] = g_ascii_strtod (f[5], NULL);
          z_ref[iy * nx + ix] = g_ascii_strtod (f[6], NULL);
          p_ref[iy * nx + ix] = g_ascii_strtod (f[7], NULL);
          bh_ref[iy * nx + ix] = g_ascii_strtod (f[8], NULL);
          got++;
        }
      g_assert_cmpuint (got, ==, n);
      g_assert_true (geo_gistar_grid (count, nx, ny, 500, bands[b], z, NULL, NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        p[i] = geo_gistar_p_value (z[i]);
      geo_fdr_bh (p, n, bh);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpfloat_with_epsilon (z[i], z_ref[i], 1e-6);
          g_assert_cmpfloat_with_epsilon (p[i], p_ref[i], 1e-9);
          g_assert_cmpfloat_with_epsilon (bh[i], bh_ref[i], 1e-9);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 4 * n);
}

/* ---- p-values, FDR, classes ------------------------------------------------------------- */

static void
test_fdr_hand (void)
{
  /* Sorted: 0.005 (k=1), 0.01 (2), 0.03 (3), 0.04 (4), 0.5 (5); m = 5.
   * m p / k: 0.025, 0.025, 0.05, 0.05, 0.5; running minimum from the top: the same.
   * The NaN is skipped and stays NaN; the tie 0.04 / 0.04 shares k = 4, 5 -> min (0.05, 0.048...).
   */
  static const struct
  {
    double p[7];
    guint  n;
    double expected[7];
  } cases[] = {
    { { 0.01, 0.04, 0.03, 0.005, 0.5 }, 5, { 0.025, 0.05, 0.05, 0.025, 0.5 } },
    { { 0.01, NAN, 0.04, 0.03, 0.005, 0.5 }, 6, { 0.025, NAN, 0.05, 0.05, 0.025, 0.5 } },
    /* 0.02 0.02 0.02 0.9: 4 * 0.02 / 3 = 0.02667 for all three. */
    { { 0.02, 0.9, 0.02, 0.02 }, 4, { 0.08 / 3, 0.9, 0.08 / 3, 0.08 / 3 } },
    /* Capped at 1 and monotone: 0.6 * 2 / 1 = 1.2 -> min with 0.7 * 2 / 2 = 0.7. */
    { { 0.6, 0.7 }, 2, { 0.7, 0.7 } },
    { { 0.001 }, 1, { 0.001 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      double out[7];

      geo_fdr_bh (cases[c].p, cases[c].n, out);
      for (guint i = 0; i < cases[c].n; i++)
        {
          if (isnan (cases[c].expected[i]))
            g_assert_true (isnan (out[i]));
          else
            g_assert_cmpfloat_with_epsilon (out[i], cases[c].expected[i], 1e-15);
        }
    }
}

static void
test_classify (void)
{
  static const struct
  {
    double          z;
    GeoHotspotClass expected;
    const char     *name;
  } cases[] = {
    { 3.0, GEO_HOTSPOT_HOT_99, "hot-99" }, /* p = 0.0027 */
    { 2.0, GEO_HOTSPOT_HOT_95, "hot-95" }, /* p = 0.0455 */
    { 1.7, GEO_HOTSPOT_HOT_90, "hot-90" }, /* p = 0.0891 */
    { 1.6, GEO_HOTSPOT_NOT_SIGNIFICANT, "not-significant" },
    { -2.6, GEO_HOTSPOT_COLD_99, "cold-99" }, /* p = 0.0093 */
    { -1.96, GEO_HOTSPOT_COLD_95, "cold-95" },
    { -1.65, GEO_HOTSPOT_COLD_90, "cold-90" },
    { 0.0, GEO_HOTSPOT_NOT_SIGNIFICANT, "not-significant" },
    { NAN, GEO_HOTSPOT_NOT_SIGNIFICANT, "not-significant" },
  };

  g_assert_cmpfloat_with_epsilon (geo_gistar_p_value (1.959963984540054), 0.05, 1e-12);
  g_assert_cmpfloat_with_epsilon (geo_gistar_p_value (-2.5758293035489), 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (geo_gistar_p_value (0), 1.0, 1e-15);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GeoHotspotClass k = geo_hotspot_classify (cases[i].z, geo_gistar_p_value (cases[i].z));

      g_assert_cmpint (k, ==, cases[i].expected);
      g_assert_cmpstr (geo_hotspot_class_to_string (k), ==, cases[i].name);
    }
}

/* ---- Grids from points ----------------------------------------------------------------- */

static void
test_grid_points (void)
{
  /* Eastings/northings in EPSG:32749; the origin snaps down to multiples of 500. */
  const double          x[] = { 420010, 420490, 420510, 421999.9, 421600, 420010 };
  const double          y[] = { 9120010, 9120100, 9120600, 9121499, 9120200, 9120010 };
  const double          w[] = { 1, 2, 1, 3, 0, 1 }; /* the weight-0 point is skipped */
  GeoHotspotGridOptions opts = { 500, 1000, TRUE };
  g_autoptr(GeoHotspotGrid) grid = NULL;
  GError *error = NULL;

  grid = geo_hotspot_grid_projected (x, y, w, G_N_ELEMENTS (x), 32749, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (grid->epsg, ==, 32749);
  g_assert_cmpfloat (grid->x0, ==, 420000);
  g_assert_cmpfloat (grid->y0, ==, 9120000);
  g_assert_cmpuint (grid->nx, ==, 4); /* 420000 .. 422000 */
  g_assert_cmpuint (grid->ny, ==, 3); /* 9120000 .. 9121500 */
  g_assert_cmpuint (grid->n_cells, ==, 12);
  g_assert_cmpuint (grid->stencil_size, ==, 13);
  g_assert_cmpfloat (grid->total, ==, 8);
  g_assert_cmpfloat (grid->count[0], ==, 4); /* (0,0): 1 + 2 + 1 */
  g_assert_cmpfloat (grid->count[1 * 4 + 1], ==, 1);
  g_assert_cmpfloat (grid->count[2 * 4 + 3], ==, 3);
  g_assert_cmpfloat (grid->count[3], ==, 0); /* empty cells are part of the grid */
  g_assert_nonnull (grid->p_fdr);
  for (gsize i = 0; i < grid->n_cells; i++)
    {
      g_assert_true (isfinite (grid->z[i]));
      g_assert_cmpfloat (grid->p_fdr[i], >=, grid->p[i]);
    }
}

/* The progress callback: non-decreasing fractions in [0, 1), many of them on a large grid, and
 * the same result as without it; a cancelled run stops with G_IO_ERROR_CANCELLED. */
typedef struct
{
  guint  calls;
  double last;
  gboolean monotonic;
} ProgressLog;

static void
log_progress (double fraction, gpointer data)
{
  ProgressLog *log = data;

  if (fraction < log->last || fraction < 0 || fraction >= 1)
    log->monotonic = FALSE;
  log->last = fraction;
  log->calls++;
}

static void
test_grid_progress_cancel (void)
{
  const gsize        n = 20000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  GeoHotspotGridOptions opts = { 100, 600, FALSE };
  ProgressLog           log = { 0, 0, TRUE };
  g_autoptr(GeoHotspotGrid) plain = NULL;
  g_autoptr(GeoHotspotGrid) logged = NULL;
  g_autoptr(GeoHotspotGrid) none = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  GRand  *rand = g_rand_new_with_seed (5);

  /* 40 x 40 km in UTM 49S: 400 x 400 cells. */
  for (gsize i = 0; i < n; i++)
    {
      x[i] = 400000 + g_rand_double_range (rand, 0, 40000);
      y[i] = 9100000 + g_rand_double_range (rand, 0, 40000);
    }
  g_rand_free (rand);
  plain = geo_hotspot_grid_projected (x, y, NULL, n, 32749, &opts, NULL, &error);
  g_assert_no_error (error);
  opts.progress = log_progress;
  opts.progress_data = &log;
  logged = geo_hotspot_grid_projected (x, y, NULL, n, 32749, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (log.monotonic);
  g_assert_cmpuint (log.calls, >=, 10);
  g_assert_cmpuint (plain->n_cells, ==, logged->n_cells);
  g_assert_cmpmem (plain->z, plain->n_cells * sizeof (double), logged->z,
                   logged->n_cells * sizeof (double));

  g_cancellable_cancel (cancellable);
  none = geo_hotspot_grid_projected (x, y, NULL, n, 32749, &opts, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (none);
  g_clear_error (&error);
}

static void
test_density_progress (void)
{
  const gsize        n = 100000;
  g_autofree double *lon = g_new (double, n);
  g_autofree double *lat = g_new (double, n);
  ProgressLog        log = { 0, 0, TRUE };
  g_autoptr(GeoDensityRaster) plain = NULL;
  g_autoptr(GeoDensityRaster) logged = NULL;
  g_autoptr(GeoDensityRaster) none = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  GRand  *rand = g_rand_new_with_seed (9);

  for (gsize i = 0; i < n; i++)
    {
      lon[i] = g_rand_double_range (rand, 110.2, 110.5);
      lat[i] = g_rand_double_range (rand, -8.0, -7.8);
    }
  g_rand_free (rand);
  plain = geo_density (lon, lat, NULL, n, 500, 100, NULL, &error);
  g_assert_no_error (error);
  logged = geo_density_with_progress (lon, lat, NULL, n, 500, 100, log_progress, &log, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_true (log.monotonic);
  g_assert_cmpuint (log.calls, >=, 3);
  g_assert_cmpuint (plain->width, ==, logged->width);
  g_assert_cmpuint (plain->height, ==, logged->height);
  g_assert_cmpmem (plain->values, (gsize) plain->width * plain->height * sizeof (float),
                   logged->values, (gsize) logged->width * logged->height * sizeof (float));
  g_cancellable_cancel (cancellable);
  none = geo_density_with_progress (lon, lat, NULL, n, 500, 100, log_progress, &log, cancellable,
                                    &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (none);
  g_clear_error (&error);
}

static void
test_grid_lonlat (void)
{
  /* Bantul (UTM 49S) and a set centred north of the equator in Aceh (UTM 46N / 47N). */
  const double          lon[] = { 110.30, 110.35, 110.36, 110.42 };
  const double          lat[] = { -7.90, -7.88, -7.95, -7.99 };
  const double          lon_n[] = { 95.30, 95.35, 95.40 };
  const double          lat_n[] = { 5.50, 5.55, 5.60 };
  GeoHotspotGridOptions opts = { 500, 1000, FALSE };
  g_autoptr(GeoHotspotGrid) grid = NULL;
  g_autoptr(GeoHotspotGrid) north = NULL;
  GError *error = NULL;

  grid = geo_hotspot_grid (lon, lat, NULL, 4, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (grid->epsg, ==, 32749);
  g_assert_cmpfloat (fmod (grid->x0, 500), ==, 0);
  g_assert_cmpfloat (fmod (grid->y0, 500), ==, 0);
  g_assert_cmpfloat (grid->total, ==, 4);
  /* ~13.5 km x 12.3 km */
  g_assert_cmpuint (grid->nx, >=, 26);
  g_assert_cmpuint (grid->nx, <=, 29);
  north = geo_hotspot_grid (lon_n, lat_n, NULL, 3, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (north->epsg, ==, 32646);
  g_assert_cmpint (geo_grid_utm_epsg (110.36, -7.9), ==, 32749);
  g_assert_cmpint (geo_grid_utm_epsg (140.7, -2.5), ==, 32754);
  g_assert_cmpint (geo_grid_utm_epsg (95.3, 5.5), ==, 32646);
}

static void
test_grid_errors (void)
{
  const double x[] = { 420010, 1420010 }, y[] = { 9120010, 9120010 };
  const double lon[] = { 110.3 }, lat[] = { -7.9 };

  static const struct
  {
    double      cell, band;
    gsize       n;
    int         code;
    const char *fragment;
  } cases[] = {
    { 0, 1000, 2, GEO_ERROR_INVALID, "cell size" },
    { -500, 1000, 2, GEO_ERROR_INVALID, "cell size" },
    { NAN, 1000, 2, GEO_ERROR_INVALID, "cell size" },
    { 500, -1, 2, GEO_ERROR_INVALID, "distance band" },
    { 500, 1000, 0, GEO_ERROR_INVALID, "empty" },
    { 0.01, 1000, 2, GEO_ERROR_INVALID, "allowed" }, /* 1000 km / 1 cm: 1e8 cells */
    { 1e-7, 1000, 2, GEO_ERROR_INVALID, "allowed" }, /* 1e13 cells: refused, not allocated */
    { 5000, 1e9, 2, GEO_ERROR_INVALID, NULL },       /* 201 x 1 cells, the band covers all: ok */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GeoHotspotGridOptions opts = { cases[i].cell, cases[i].band, FALSE };
      g_autoptr(GeoHotspotGrid) grid = NULL;
      GError *error = NULL;

      grid = geo_hotspot_grid_projected (x, y, NULL, cases[i].n, 32749, &opts, NULL, &error);
      if (cases[i].fragment == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (isnan (grid->z[0])); /* W = n: undefined, never a crash */
          continue;
        }
      g_assert_null (grid);
      g_assert_error (error, GEO_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
      g_clear_error (&error);
    }
  {
    /* One point: one cell, Gi* is undefined. */
    GeoHotspotGridOptions opts = { 500, 1000, FALSE };
    GError               *error = NULL;
    GeoHotspotGrid       *grid = geo_hotspot_grid (lon, lat, NULL, 1, &opts, NULL, &error);

    g_assert_null (grid);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
  }
}

/* ---- Desa -------------------------------------------------------------------------------- */

static GeoStore *
new_store (char **dir_out)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-hotspot-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "h.jangkau", NULL);
  GError          *error = NULL;
  GeoStore        *store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  if (dir_out != NULL)
    *dir_out = g_steal_pointer (&dir);
  return store;
}

/* 3 x 3 desa squares of 0.009 degrees (about 1 km) near Bantul, 0.00009 degrees (about 10 m)
 * apart: rook neighbours 10 m away, queen (diagonal) neighbours about 14 m away. */
#define SQ 0.009
#define GAP 0.00009
#define LON0 110.30
#define LAT0 -7.95

static void
square_code (guint k, char *buf)
{
  g_snprintf (buf, 16, "34.02.01.20%02u", k + 1);
}

static void
add_squares (GeoStore *store, gboolean with_population)
{
  for (guint k = 0; k < 9; k++)
    {
      double lon = LON0 + (k % 3) * (SQ + GAP), lat = LAT0 + (k / 3) * (SQ + GAP);
      g_auto(GeoOgrGeometry) mp = OGR_G_CreateGeometry (wkbMultiPolygon);
      OGRGeometryH       poly = OGR_G_CreateGeometry (wkbPolygon);
      OGRGeometryH       ring = OGR_G_CreateGeometry (wkbLinearRing);
      g_autofree guint8 *wkb = NULL;
      char               code[16], name[16];
      GeoAreaRecord      rec;
      GError            *error = NULL;

      OGR_G_AddPoint_2D (ring, lon, lat);
      OGR_G_AddPoint_2D (ring, lon + SQ, lat);
      OGR_G_AddPoint_2D (ring, lon + SQ, lat + SQ);
      OGR_G_AddPoint_2D (ring, lon, lat + SQ);
      OGR_G_AddPoint_2D (ring, lon, lat);
      OGR_G_AddGeometryDirectly (poly, ring);
      OGR_G_AddGeometryDirectly (mp, poly);
      wkb = g_malloc (OGR_G_WkbSize (mp));
      OGR_G_ExportToWkb (mp, wkbNDR, wkb);
      square_code (k, code);
      g_snprintf (name, sizeof name, "Desa %u", k + 1);
      rec = (GeoAreaRecord){ code,
                             GEO_AREA_DESA,
                             name,
                             "34.02.01",
                             with_population && k != 8 ? 1000 * (gint64) (k + 1) : -1,
                             wkb,
                             OGR_G_WkbSize (mp) };
      g_assert_cmpint (geo_store_insert_area (store, &rec, &error), >, 0);
      g_assert_no_error (error);
    }
}

/* @persons[k] persons in desa k, each in a family of one at the square's centre; plus
 * @extra_families empty families recorded in desa 0 (rate base only: no selected person). */
static void
add_people (GeoStore *store, const guint *persons, gboolean code_last_without_desa)
{
  GError *error = NULL;

  g_assert_true (geo_store_begin (store, &error));
  for (guint k = 0; k < 9; k++)
    for (guint p = 0; p < persons[k]; p++)
      {
        char            code[16];
        GeoFamilyRecord f = { 0 };
        GeoPersonRecord per = { 0 };
        gint64          fid, pid;

        square_code (k, code);
        f.desa_code = code_last_without_desa && k == 4 && p == 0 ? NULL : code;
        f.lon = LON0 + (k % 3) * (SQ + GAP) + SQ * (0.2 + 0.6 * p / MAX (persons[k], 1));
        f.lat = LAT0 + (k / 3) * (SQ + GAP) + SQ / 2;
        f.loc_source = GEO_LOC_GPS;
        f.gps_accuracy_m = NAN;
        fid = geo_store_insert_family (store, &f, &error);
        g_assert_no_error (error);
        per.family_id = fid;
        per.name = "X";
        pid = geo_store_insert_person (store, &per, &error);
        g_assert_no_error (error);
        g_assert_true (geo_store_insert_membership (store, pid, 24, "entri", &error));
      }
  g_assert_true (geo_store_commit (store, &error));
}

static const guint square_persons[9] = { 1, 2, 0, 9, 12, 3, 4, 8, 1 };

typedef struct
{
  const char       *name;
  GeoHotspotWeights weights;
  double            tolerance, band;
  guint             degree[9];
  double            expected_band;
} AdjCase;

static const AdjCase adj_cases[] = {
  { "queen", GEO_HOTSPOT_WEIGHTS_CONTIGUITY, 25, 0, { 3, 5, 3, 5, 8, 5, 3, 5, 3 }, 0 },
  { "rook", GEO_HOTSPOT_WEIGHTS_CONTIGUITY, 12, 0, { 2, 3, 2, 3, 4, 3, 2, 3, 2 }, 0 },
  { "none", GEO_HOTSPOT_WEIGHTS_CONTIGUITY, 5, 0, { 0 }, 0 },
  /* The largest nearest-neighbour distance is the east-west spacing (about 1,002 m in UTM);
   * north-south neighbours are about 1,005 m apart and stay out. */
  { "distance-auto", GEO_HOTSPOT_WEIGHTS_DISTANCE, 0, 0, { 1, 2, 1, 1, 2, 1, 1, 2, 1 }, 1002 },
  { "distance-1500", GEO_HOTSPOT_WEIGHTS_DISTANCE, 0, 1500, { 3, 5, 3, 5, 8, 5, 3, 5, 3 }, 1500 },
};

static void
test_areas_weights (gconstpointer data)
{
  const AdjCase *c = data;
  g_autoptr(GeoStore) store = new_store (NULL);
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoHotspotAreas) a = NULL;
  GeoHotspotAreaOptions opts = { GEO_HOTSPOT_RATE_NONE, c->weights, c->band, c->tolerance, FALSE };
  double                zb[9];
  GError               *error = NULL;

  add_squares (store, FALSE);
  add_people (store, square_persons, TRUE);
  sel = geo_selection_load (store, NULL, NULL, &error);
  g_assert_no_error (error);
  a = geo_hotspot_areas (store, sel, NULL, FALSE, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->n, ==, 9);
  g_assert_cmpint (a->epsg, ==, 32749);
  g_assert_cmpfloat (a->unassigned, ==, 0);
  for (guint k = 0; k < 9; k++)
    {
      g_test_message ("%s desa %u", c->name, k);
      g_assert_cmpuint (a->n_neighbours[k], ==, c->degree[k]);
      /* The family without a desa code in desa 4 is found by point in polygon. */
      g_assert_cmpfloat (a->count[k], ==, square_persons[k]);
      /* Symmetric. */
      for (guint e = a->nb.start[k]; e < a->nb.start[k + 1]; e++)
        {
          guint    j = a->nb.index[e];
          gboolean back = FALSE;

          for (guint f = a->nb.start[j]; f < a->nb.start[j + 1]; f++)
            back = back || a->nb.index[f] == k;
          g_assert_true (back);
        }
    }
  if (c->expected_band > 0)
    g_assert_cmpfloat_with_epsilon (a->band_m, c->expected_band, 15);

  /* z against the brute force on the same adjacency. */
  {
    double mean = 0, s2 = 0;

    for (guint k = 0; k < 9; k++)
      mean += square_persons[k] / 9.0;
    for (guint k = 0; k < 9; k++)
      s2 += (square_persons[k] - mean) * (square_persons[k] - mean) / 9.0;
    for (guint k = 0; k < 9; k++)
      {
        double sum = square_persons[k], w = 1 + c->degree[k];

        for (guint e = a->nb.start[k]; e < a->nb.start[k + 1]; e++)
          sum += square_persons[a->nb.index[e]];
        zb[k] = (sum - mean * w) / (sqrt (s2) * sqrt ((9 * w - w * w) / 8));
        if (w == 9)
          {
            /* The centre's queen star covers all 9 desa: no variance, no z. */
            g_assert_true (isnan (a->z[k]));
            g_assert_cmpint (a->klass[k], ==, GEO_HOTSPOT_NOT_SIGNIFICANT);
            continue;
          }
        g_assert_cmpfloat_with_epsilon (a->z[k], zb[k], 1e-12);
        g_assert_cmpint (a->klass[k], ==, geo_hotspot_classify (zb[k], geo_gistar_p_value (zb[k])));
      }
  }
}

static void
test_areas_rates (void)
{
  g_autoptr(GeoStore) store = new_store (NULL);
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  /* Rook (12 m): with queen weights the centre's star would cover all 8 desa with data. */
  GeoHotspotAreaOptions opts = {
    GEO_HOTSPOT_RATE_POPULATION, GEO_HOTSPOT_WEIGHTS_CONTIGUITY, 0, 12, TRUE
  };
  GError *error = NULL;

  add_squares (store, TRUE);
  add_people (store, square_persons, FALSE);
  /* A family without any category in desa 0: counts in the family base, not in the cases. */
  {
    GeoFamilyRecord f = { .desa_code = "34.02.01.2001",
                          .lon = LON0 + SQ / 2,
                          .lat = LAT0 + SQ / 2,
                          .loc_source = GEO_LOC_GPS,
                          .gps_accuracy_m = NAN };
    GeoPersonRecord per = { 0 };

    per.family_id = geo_store_insert_family (store, &f, &error);
    per.name = "Y";
    g_assert_cmpint (geo_store_insert_person (store, &per, &error), >, 0);
  }
  g_assert_true (geo_filter_add_category (filter, "24", &error));
  sel = geo_selection_load (store, filter, NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GeoHotspotAreas) a =
                   geo_hotspot_areas (store, sel, filter, FALSE, &opts, NULL, &error);

    g_assert_no_error (error);
    for (guint k = 0; k < 8; k++)
      {
        g_assert_cmpfloat (a->base[k], ==, 1000.0 * (k + 1));
        g_assert_cmpfloat_with_epsilon (a->value[k],
                                        square_persons[k] * 1000.0 / (1000.0 * (k + 1)),
                                        1e-12);
        g_assert_true (isfinite (a->z[k]));
        g_assert_nonnull (a->p_fdr);
      }
    /* Desa 9 has no population: left out. */
    g_assert_true (isnan (a->z[8]));
    g_assert_cmpint (a->klass[8], ==, GEO_HOTSPOT_NO_DATA);
    g_assert_cmpuint (a->n_neighbours[8], ==, 0);
    g_assert_cmpuint (a->n_neighbours[4], ==, 4);
    g_assert_cmpuint (a->n_neighbours[7], ==, 2); /* 6 and 4; 8 has no data */
  }
  {
    g_autoptr(GeoHotspotAreas) a = NULL;

    opts.rate = GEO_HOTSPOT_RATE_FAMILIES;
    a = geo_hotspot_areas (store, sel, filter, FALSE, &opts, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (a->base[0], ==, 2); /* one selected + one without a category */
    g_assert_cmpfloat_with_epsilon (a->value[0], 500, 1e-12);
    g_assert_true (isnan (a->value[2])); /* no family at all */
    g_assert_cmpint (a->klass[2], ==, GEO_HOTSPOT_NO_DATA);
    g_assert_cmpfloat_with_epsilon (a->value[4], 1000, 1e-12);
  }
  {
    g_autoptr(GeoFilter) area_filter = geo_filter_new ();
    g_autoptr(GeoHotspotAreas) a = NULL;

    /* An --area restricts the desa analysed. */
    g_assert_true (geo_filter_add_area (area_filter, "34.02.02", &error));
    opts.rate = GEO_HOTSPOT_RATE_NONE;
    a = geo_hotspot_areas (store, sel, area_filter, FALSE, &opts, NULL, &error);
    g_assert_null (a);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
    g_clear_error (&error);
    opts.tolerance_m = -1;
    a = geo_hotspot_areas (store, sel, NULL, FALSE, &opts, NULL, &error);
    g_assert_null (a);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
  }
}

/* Real Bantul desa: contiguity within 25 m matches sf::st_is_within_distance (GEOS, EPSG:32749),
 * 186 pairs (183 intersecting), and no desa is isolated. */
static void
test_areas_bantul (void)
{
  g_autofree char *path = shared ("boundaries/3402_bantul_desa_kelurahan.geojson");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoSelection) sel = NULL;
  GeoImportAreasOptions iopts = { 0 };
  GeoImportAreasReport  report = { 0 };

  static const struct
  {
    double tolerance;
    guint  pairs;
  } cases[] = { { 0, 183 }, { 25, 186 }, { 200, 192 } };

  GError *error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("shared boundary data not found");
      return;
    }
  store = new_store (NULL);
  g_assert_true (geo_import_areas (store, path, &iopts, &report, NULL, &error));
  g_assert_no_error (error);
  geo_import_areas_report_clear (&report);
  {
    /* Two families: the statistic needs a selection; the test is about the weights. */
    GeoFamilyRecord f = { .desa_code = "34.02.01.2001",
                          .lon = 110.33,
                          .lat = -8.0,
                          .loc_source = GEO_LOC_DESA_CENTROID,
                          .gps_accuracy_m = NAN };
    GeoFamilyRecord g2 = { .desa_code = "34.02.17.2001",
                           .lon = 110.40,
                           .lat = -7.85,
                           .loc_source = GEO_LOC_DESA_CENTROID,
                           .gps_accuracy_m = NAN };
    GeoPersonRecord per = { .name = "Z" };

    per.family_id = geo_store_insert_family (store, &f, &error);
    g_assert_cmpint (geo_store_insert_person (store, &per, &error), >, 0);
    per.family_id = geo_store_insert_family (store, &g2, &error);
    g_assert_cmpint (geo_store_insert_person (store, &per, &error), >, 0);
  }
  sel = geo_selection_load (store, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      GeoHotspotAreaOptions opts = {
        GEO_HOTSPOT_RATE_NONE, GEO_HOTSPOT_WEIGHTS_CONTIGUITY, 0, cases[c].tolerance, FALSE
      };
      g_autoptr(GeoHotspotAreas) a =
                     geo_hotspot_areas (store, sel, NULL, FALSE, &opts, NULL, &error);
      guint isolated = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (a->n, ==, 75);
      g_assert_cmpuint (a->nb.start[a->n], ==, 2 * cases[c].pairs);
      for (guint i = 0; i < a->n; i++)
        isolated += a->n_neighbours[i] == 0;
      g_assert_cmpuint (isolated, ==, 0);
    }
}

/* ---- Density ------------------------------------------------------------------------------ */

static void
test_density_single_point (void)
{
  /* A point on a pixel centre: the surface is the kernel sampled on the pixel grid. */
  const double x[] = { 420050 }, y[] = { 9120050 };
  const double r = 1000, px = 100;
  g_autoptr(GeoDensityRaster) d = NULL;
  GError *error = NULL;
  double  peak = 3.0 / (G_PI * r * r) * 1e6;
  guint   c0, r0;

  d = geo_density_projected (x, y, NULL, 1, 32749, r, px, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (d->geotransform[0], ==, 419000);
  g_assert_cmpfloat (d->geotransform[3], ==, 9121100);
  g_assert_cmpfloat (d->geotransform[1], ==, 100);
  g_assert_cmpfloat (d->geotransform[5], ==, -100);
  g_assert_cmpuint (d->width, ==, 21);
  g_assert_cmpuint (d->height, ==, 21);
  c0 = (guint) ((x[0] - d->geotransform[0]) / px);
  r0 = (guint) ((d->geotransform[3] - y[0]) / px);
  g_assert_cmpuint (c0, ==, 10);
  g_assert_cmpuint (r0, ==, 10);
  for (guint row = 0; row < d->height; row++)
    for (guint col = 0; col < d->width; col++)
      {
        double dx = ((double) col - c0) * px, dy = ((double) row - r0) * px;
        double u = (dx * dx + dy * dy) / (r * r);
        double expected = u < 1 ? peak * (1 - u) * (1 - u) : 0;

        g_assert_cmpfloat_with_epsilon (d->values[row * d->width + col], expected, 1e-6 * peak);
      }
  g_assert_cmpfloat_with_epsilon (d->max_value, peak, 1e-9);
}

static void
test_density_integral (void)
{
  static const struct
  {
    double radius, pixel, tolerance;
  } cases[] = { { 1000, 100, 1e-4 }, { 500, 100, 1e-4 }, { 1500, 75, 1e-5 }, { 300, 100, 1e-3 } };

  const gsize        n = 5000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree double *w = g_new (double, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  double total_w = 0;

  for (gsize i = 0; i < n; i++)
    {
      /* Five villages with ~300 m scatter. */
      guint  v = g_rand_int_range (rand, 0, 5);
      double a = g_rand_double (rand) * 2 * G_PI,
             rr = 300 * sqrt (-2 * log (1 - g_rand_double (rand)));

      x[i] = 430000 + v * 1700 + rr * cos (a);
      y[i] = 9125000 + (v % 2) * 2500 + rr * sin (a);
      w[i] = 1 + g_rand_int_range (rand, 0, 4);
      total_w += w[i];
    }
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GeoDensityRaster) d = NULL;
      GError *error = NULL;
      double  sum = 0;

      d = geo_density_projected (x, y, w, n, 32749, cases[c].radius, cases[c].pixel, NULL, &error);
      g_assert_no_error (error);
      for (gsize i = 0; i < (gsize) d->width * d->height; i++)
        sum += d->values[i];
      sum *= cases[c].pixel * cases[c].pixel / 1e6;
      g_test_message ("r %g px %g: integral %.6f of %.0f",
                      cases[c].radius,
                      cases[c].pixel,
                      sum,
                      total_w);
      g_assert_cmpfloat (fabs (sum - total_w) / total_w, <, cases[c].tolerance);
      g_assert_cmpfloat (d->total_weight, ==, total_w);
    }
}

static void
test_density_geotiff (void)
{
  const double lon[] = { 110.30, 110.31, 110.35, 110.36 }, lat[] = { -7.90, -7.905, -7.88, -7.95 };
  g_autofree char *dir = test_tmp_make_dir ("jangkau-density-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "d.tif", NULL);
  g_autoptr(GeoDensityRaster) d = NULL;
  g_auto(GeoGdalDataset) ds = NULL;
  g_autofree float    *back = NULL;
  double               gt[6];
  GError              *error = NULL;
  OGRSpatialReferenceH srs;

  d = geo_density (lon, lat, NULL, 4, 800, 50, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->epsg, ==, 32749);
  g_assert_true (geo_density_write_geotiff (d, path, &error));
  g_assert_no_error (error);
  ds = GDALOpen (path, GA_ReadOnly);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALGetRasterXSize (ds), ==, (int) d->width);
  g_assert_cmpint (GDALGetRasterYSize (ds), ==, (int) d->height);
  g_assert_cmpint (GDALGetRasterCount (ds), ==, 1);
  g_assert_cmpint (GDALGetRasterDataType (GDALGetRasterBand (ds, 1)), ==, GDT_Float32);
  g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (gt[i], ==, d->geotransform[i]);
  srs = GDALGetSpatialRef (ds);
  g_assert_nonnull (srs);
  g_assert_cmpstr (OSRGetAuthorityName (srs, NULL), ==, "EPSG");
  g_assert_cmpstr (OSRGetAuthorityCode (srs, NULL), ==, "32749");
  back = g_new (float, (gsize) d->width * d->height);
  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, 1),
                                 GF_Read,
                                 0,
                                 0,
                                 d->width,
                                 d->height,
                                 back,
                                 d->width,
                                 d->height,
                                 GDT_Float32,
                                 0,
                                 0),
                   ==,
                   CE_None);
  g_assert_cmpmem (back,
                   sizeof (float) * d->width * d->height,
                   d->values,
                   sizeof (float) * d->width * d->height);
  GDALClose (g_steal_pointer (&ds));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_density_errors (void)
{
  const double x[] = { 420000, 1420000 }, y[] = { 9120000, 9120000 };

  static const struct
  {
    double radius, pixel;
    gsize  n;
  } cases[] = { { 0, 100, 2 },   { -1, 100, 2 },   { 1000, 0, 2 },    { 1000, -5, 2 },
                { NAN, 100, 2 }, { 1000, 100, 0 }, { 1000, 0.05, 2 }, { 1e7, 1, 1 } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError           *error = NULL;
      GeoDensityRaster *d = geo_density_projected (x,
                                                   y,
                                                   NULL,
                                                   cases[i].n,
                                                   32749,
                                                   cases[i].radius,
                                                   cases[i].pixel,
                                                   NULL,
                                                   &error);

      g_assert_null (d);
      g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
      g_clear_error (&error);
    }
}

/* ---- CLI ------------------------------------------------------------------------------------ */

static int
run_cli (char **argv_tail, char **out, char **err)
{
  const char *cli = g_getenv ("JANGKAU_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int     status = -1;
  GError *error = NULL;

  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; argv_tail[i] != NULL; i++)
    g_ptr_array_add (argv, argv_tail[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL,
                               (char **) argv->pdata,
                               NULL,
                               G_SPAWN_DEFAULT,
                               NULL,
                               NULL,
                               out,
                               err,
                               &status,
                               &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL)
             ? 0
             : (WIFEXITED (status) ? WEXITSTATUS (status) : -1);
}

static void
test_cli (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *gpkg = NULL;
  g_autofree char *desa_csv = NULL;
  g_autofree char *tif = NULL;
  g_autofree char *text = NULL;
  GError          *error = NULL;

  if (g_getenv ("JANGKAU_CLI") == NULL)
    {
      g_test_skip ("JANGKAU_CLI not set");
      return;
    }
  store = new_store (&dir);
  add_squares (store, TRUE);
  add_people (store, square_persons, FALSE);
  db = g_strdup (geo_store_get_path (store));
  g_clear_object (&store);
  csv = g_build_filename (dir, "h.csv", NULL);
  gpkg = g_build_filename (dir, "h.gpkg", NULL);
  desa_csv = g_build_filename (dir, "d.csv", NULL);
  tif = g_build_filename (dir, "k.tif", NULL);

  {
    g_autofree char *out = NULL, *err = NULL;
    char            *args[] = { "hotspots", db,      "--category", "24", "--cell",
                                "250",      "--fdr", "--out",      csv,  NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (err, "EPSG:32749"));
    g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
    g_assert_true (g_str_has_prefix (text, "cell_x,cell_y,count,z,p,p_fdr,class\n"));
    g_clear_pointer (&text, g_free);
  }
  {
    g_autofree char *out = NULL, *err = NULL;
    char            *args[] = { "hotspots", db, "--out", gpkg, "--json", NULL };
    g_auto(GeoGdalDataset) ds = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (o, "epsg"), ==, 32749);
    ds = GDALOpenEx (gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    g_assert_nonnull (ds);
    g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayer (ds, 0), TRUE),
                     ==,
                     json_object_get_int_member (o, "cells"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;
    char            *args[] = {
                 "hotspots", db, "--by", "desa", "--rate", "population", "--out", desa_csv, NULL
    };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (desa_csv, &text, NULL, &error));
    g_assert_true (g_str_has_prefix (text, "kode_desa,"));
    g_assert_nonnull (strstr (text, "34.02.01.2009,Desa 9,1,,,,,no-data,0\n"));
    g_clear_pointer (&text, g_free);
  }
  {
    g_autofree char *out = NULL, *err = NULL;
    char *args[] = { "density", db, "--radius", "800", "--pixel", "50", "--out", tif, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_test (tif, G_FILE_TEST_EXISTS));
  }
  {
    static const char *const bad[][8] = {
      { "hotspots", NULL, "--cell", "-5", "--out", "x.csv", NULL },
      { "hotspots", NULL, "--cell", "0.001", "--out", "x.csv", NULL },
      { "hotspots", NULL, "--category", "99", "--out", "x.csv", NULL },
      { "hotspots", NULL, "--category", "11", "--out", "x.csv", NULL }, /* empty selection */
      { "hotspots", NULL, "--out", "x.shp", NULL },
      { "hotspots", NULL, "--by", "kabupaten", "--out", "x.csv", NULL },
      { "density", NULL, "--radius", "-1", "--out", "x.tif", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *out = NULL, *err = NULL;
        char            *args[8] = { 0 };
        g_autofree char *target = NULL;

        for (guint k = 0; bad[i][k] != NULL || k == 1; k++)
          args[k] = k == 1 ? db : (char *) bad[i][k];
        for (guint k = 0; args[k] != NULL; k++)
          if (g_str_has_prefix (args[k], "x."))
            args[k] = target = g_build_filename (dir, args[k], NULL);
        g_test_message ("bad case %u", i);
        g_assert_cmpint (run_cli (args, &out, &err), !=, 0);
        g_test_message ("%s", err);
        g_assert_nonnull (strstr (err, "jangkau-cli: "));
        g_assert_null (strstr (err, "CRITICAL"));
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  g_test_add_func ("/geo/hotspot/gistar/grid-vs-brute-force", test_gistar_grid_vs_brute);
  g_test_add_func ("/geo/hotspot/gistar/grid-threads", test_gistar_grid_threads);
  g_test_add_func ("/geo/hotspot/gistar/neighbour-lists", test_gistar_general);
  g_test_add_func ("/geo/hotspot/gistar/spdep-reference", test_gistar_spdep);
  g_test_add_func ("/geo/hotspot/fdr/hand", test_fdr_hand);
  g_test_add_func ("/geo/hotspot/classify", test_classify);
  g_test_add_func ("/geo/hotspot/grid/points", test_grid_points);
  g_test_add_func ("/geo/hotspot/grid/lonlat-utm-zone", test_grid_lonlat);
  g_test_add_func ("/geo/hotspot/grid/errors", test_grid_errors);
  for (guint i = 0; i < G_N_ELEMENTS (adj_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/hotspot/desa/weights/%s", adj_cases[i].name);
      g_test_add_data_func (path, &adj_cases[i], test_areas_weights);
    }
  g_test_add_func ("/geo/hotspot/desa/rates", test_areas_rates);
  g_test_add_func ("/geo/hotspot/desa/bantul-contiguity", test_areas_bantul);
  g_test_add_func ("/geo/density/single-point", test_density_single_point);
  g_test_add_func ("/geo/density/integral", test_density_integral);
  g_test_add_func ("/geo/density/geotiff", test_density_geotiff);
  g_test_add_func ("/geo/density/errors", test_density_errors);
  g_test_add_func ("/geo/hotspot/grid-progress-cancel", test_grid_progress_cancel);
  g_test_add_func ("/geo/density/progress-cancel", test_density_progress);
  g_test_add_func ("/geo/hotspot/cli", test_cli);
  return g_test_run ();
}
