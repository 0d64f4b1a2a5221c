/* Benchmark: Gi* on a 500 m grid with a 1 km band and quartic kernel density (1 km radius,
 * 100 m pixels) on N synthetic households shaped as in docs BENCHMARKS.md: N/300 village centres
 * in a 60 x 60 km box around Bantul (110.36 E, 7.90 S), ~300 m Gaussian scatter.
 *
 *   bench-hotspot [--n N] [--runs R] [--points-csv FILE] [--z-csv FILE] [--only gistar|density]
 *
 * Prints one line per measurement: the median of R runs, in seconds, and the peak RSS of the
 * process. --points-csv writes the points (lon, lat and UTM 49S x, y) for the reference tools;
 * --z-csv writes our Gi* per cell (cell_x, cell_y, count, z) for the comparison with spdep. */
#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "geo-density.h"
#include "geo-grid.h"
#include "geo-hotspot.h"
#include "../test-tmp.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
peak_rss_mb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

/* CPU seconds of the process (all threads), user + system. */
static double
cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return v[n / 2];
}

int
main (int argc, char **argv)
{
  gint64           n = 1000000;
  int              runs = 3;
  g_autofree char *points_csv = NULL;
  g_autofree char *z_csv = NULL;
  g_autofree char *only = NULL;
  GOptionEntry     entries[] = {
        { "n", 0, 0, G_OPTION_ARG_INT64, &n, "Households (default 1,000,000)", "N" },
        { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per measurement (median; default 3)", "R" },
        { "points-csv", 0, 0, G_OPTION_ARG_FILENAME, &points_csv, "Write the points here", "FILE" },
        { "z-csv", 0, 0, G_OPTION_ARG_FILENAME, &z_csv, "Write our Gi* z per cell here", "FILE" },
        { "only", 0, 0, G_OPTION_ARG_STRING, &only, "gistar or density", "WHAT" },
        { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— hotspot and density benchmark");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autofree double *lon = NULL;
  g_autofree double *lat = NULL;
  g_autofree double *t = NULL;
  guint              n_villages;
  GError            *error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || n < 2 || runs < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }
  GDALAllRegister ();
  lon = g_new (double, n);
  lat = g_new (double, n);
  t = g_new (double, runs);
  n_villages = MAX (1, (guint) (n / 300));
  {
    g_autofree double *vlon = g_new (double, n_villages);
    g_autofree double *vlat = g_new (double, n_villages);
    /* Degrees per metre at 7.9 S. */
    const double dlat = 1 / 110600.0, dlon = 1 / (111320.0 * cos (7.9 * G_PI / 180));

    for (guint v = 0; v < n_villages; v++)
      {
        vlon[v] = 110.36 + g_rand_double_range (rand, -30000, 30000) * dlon;
        vlat[v] = -7.90 + g_rand_double_range (rand, -30000, 30000) * dlat;
      }
    for (gint64 i = 0; i < n; i++)
      {
        guint  v = g_rand_int_range (rand, 0, n_villages);
        double r = 300 * sqrt (-2 * log (1 - g_rand_double (rand))),
               a = g_rand_double (rand) * 2 * G_PI;

        lon[i] = vlon[v] + r * cos (a) * dlon;
        lat[i] = vlat[v] + r * sin (a) * dlat;
      }
  }
  g_print ("points: %" G_GINT64_FORMAT " households, %u villages, RSS after generation %ld MB\n",
           n,
           n_villages,
           peak_rss_mb ());

  if (points_csv != NULL)
    {
      g_autofree double *x = g_memdup2 (lon, n * sizeof (double));
      g_autofree double *y = g_memdup2 (lat, n * sizeof (double));
      FILE              *f = fopen (points_csv, "w");

      if (f == NULL || !geo_grid_transform (4326, 32749, x, y, n, &error))
        {
          g_printerr ("cannot write %s\n", points_csv);
          return 1;
        }
      fprintf (f, "lon,lat,x,y\n");
      for (gint64 i = 0; i < n; i++)
        fprintf (f, "%.7f,%.7f,%.17g,%.17g\n", lon[i], lat[i], x[i], y[i]);
      fclose (f);
    }

  if (only == NULL || strcmp (only, "gistar") == 0)
    {
      GeoHotspotGridOptions opts = { 500, 1000, FALSE };
      g_autofree double    *x = g_new (double, n);
      g_autofree double    *y = g_new (double, n);
      double                t_proj[16], t_grid[16], c_total[16];

      for (int r = 0; r < runs; r++)
        {
          g_autoptr(GeoHotspotGrid) grid = NULL;
          double t0 = now (), c0 = cpu ();

          grid = geo_hotspot_grid (lon, lat, NULL, n, &opts, NULL, &error);
          t[r] = now () - t0;
          c_total[MIN (r, 15)] = cpu () - c0;
          if (grid == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          if (r == 0)
            g_print ("gistar grid: %u x %u cells (EPSG:%d), %u cells per star\n",
                     grid->nx,
                     grid->ny,
                     grid->epsg,
                     grid->stencil_size);
          if (r == 0 && z_csv != NULL)
            {
              FILE *f = fopen (z_csv, "w");

              fprintf (f, "cell_x,cell_y,count,z\n");
              for (guint iy = 0; iy < grid->ny; iy++)
                for (guint ix = 0; ix < grid->nx; ix++)
                  fprintf (f,
                           "%.1f,%.1f,%.0f,%.15g\n",
                           grid->x0 + (ix + 0.5) * 500,
                           grid->y0 + (iy + 0.5) * 500,
                           grid->count[iy * grid->nx + ix],
                           grid->z[iy * grid->nx + ix]);
              fclose (f);
            }
        }
      /* The parts: projection alone, and counting + Gi* on projected points. */
      for (int r = 0; r < MIN (runs, 16); r++)
        {
          g_autoptr(GeoHotspotGrid) grid = NULL;
          double t0 = now ();

          memcpy (x, lon, n * sizeof (double));
          memcpy (y, lat, n * sizeof (double));
          geo_grid_transform (4326, 32749, x, y, n, NULL);
          t_proj[r] = now () - t0;
          t0 = now ();
          grid = geo_hotspot_grid_projected (x, y, NULL, n, 32749, &opts, NULL, NULL);
          t_grid[r] = now () - t0;
        }
      g_print ("gistar total (project + count + Gi* + p + class): %.3f s wall, %.3f s CPU\n",
               median (t, runs),
               median (c_total, MIN (runs, 16)));
      g_print ("gistar   of which projection (PROJ, 2 threads):   %.3f s\n",
               median (t_proj, MIN (runs, 16)));
      g_print ("gistar   count + Gi* on projected points:         %.3f s\n",
               median (t_grid, MIN (runs, 16)));
      g_print ("gistar peak RSS: %ld MB\n", peak_rss_mb ());
    }

  if (only == NULL || strcmp (only, "density") == 0)
    {
      g_autoptr(GeoDensityRaster) last = NULL;
      double c_total[16];

      for (int r = 0; r < runs; r++)
        {
          g_autoptr(GeoDensityRaster) d = NULL;
          double t0 = now (), c0 = cpu ();

          d = geo_density (lon, lat, NULL, n, 1000, 100, NULL, &error);
          t[r] = now () - t0;
          c_total[MIN (r, 15)] = cpu () - c0;
          if (d == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          if (r == 0)
            g_print ("density raster: %u x %u pixels of 100 m, max %.0f per km2\n",
                     d->width,
                     d->height,
                     d->max_value);
          g_clear_pointer (&last, geo_density_raster_free);
          last = g_steal_pointer (&d);
        }
      g_print ("density total (project + quartic, r 1000 m, 100 m px): %.3f s wall, %.3f s CPU\n",
               median (t, runs),
               median (c_total, MIN (runs, 16)));
      {
        GeoDensityRaster *d = last;
        g_autofree char  *dir = test_tmp_make_dir ("jangkau-bench-density-XXXXXX", NULL);
        g_autofree char  *tif = g_build_filename (dir, "bench-density.tif", NULL);
        double            t0 = now ();

        geo_density_write_geotiff (d, tif, NULL);
        g_print ("density GeoTIFF write: %.3f s\n", now () - t0);
        test_tmp_remove (dir);
      }
      g_print ("density peak RSS: %ld MB\n", peak_rss_mb ());
    }
  return 0;
}
