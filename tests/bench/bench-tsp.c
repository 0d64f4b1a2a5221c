/* bench-tsp: solves TSPLIB instances with geo_tsp_solve and prints one line per instance:
 *   name n optimum length gap_percent seconds_median iterations
 * Usage: bench-tsp [--runs R] [--time-limit S] FILE.tsp...
 * Each instance is solved R times (seeds 1..R); the gap is the mean over the runs and the
 * time the median. The optimum comes from a sibling .opt.tour or the table of published optima. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo-tsp.h"
#include "geo-tsplib.h"

static double
inst_distance (guint i, guint j, gpointer user_data)
{
  return geo_tsplib_distance (user_data, i, j);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gint64
optimum_for (const char *path, const GeoTsplibInstance *inst)
{
  g_autofree char *stem =
      g_str_has_suffix (path, ".tsp") ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  g_autofree char  *opt_path = g_strconcat (stem, ".opt.tour", NULL);
  g_autofree guint *tour = NULL;
  guint             n = 0;

  tour = geo_tsplib_load_tour (opt_path, &n, NULL);
  if (tour != NULL && n == inst->dimension)
    return geo_tsplib_tour_length (inst, tour, n);
  return geo_tsplib_known_optimum (inst->name);
}

int
main (int argc, char **argv)
{
  int    runs = 3;
  double time_limit = 1.0;
  int    first = 1;

  while (first < argc && g_str_has_prefix (argv[first], "--"))
    {
      if (strcmp (argv[first], "--runs") == 0 && first + 1 < argc)
        {
          runs = atoi (argv[++first]);
          runs = MAX (runs, 1);
        }
      else if (strcmp (argv[first], "--time-limit") == 0 && first + 1 < argc)
        time_limit = g_ascii_strtod (argv[++first], NULL);
      else
        {
          fprintf (stderr, "usage: bench-tsp [--runs R] [--time-limit S] FILE.tsp...\n");
          return 2;
        }
      first++;
    }

  printf ("# name n optimum length_best gap_mean_pct gap_worst_pct seconds_median iterations\n");
  for (int a = first; a < argc; a++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GeoTsplibInstance) inst = geo_tsplib_load (argv[a], &error);
      g_autofree guint  *order = NULL;
      g_autofree double *secs = g_new (double, runs);
      gint64             opt, best = G_MAXINT64;
      double             gap_sum = 0, gap_worst = -1;
      guint              iters = 0;

      if (inst == NULL)
        {
          fprintf (stderr, "bench-tsp: %s\n", error->message);
          return 1;
        }
      opt = optimum_for (argv[a], inst);
      order = g_new (guint, inst->dimension);
      for (int r = 0; r < runs; r++)
        {
          GeoTspOptions opts;
          GeoTspResult  res;
          gint64        len;
          double        gap;

          geo_tsp_options_init (&opts);
          opts.seed = (guint64) r + 1;
          opts.time_limit_s = time_limit;
          if (!geo_tsp_solve (inst->dimension,
                              inst_distance,
                              inst,
                              &opts,
                              order,
                              &res,
                              NULL,
                              &error))
            {
              fprintf (stderr, "bench-tsp: %s\n", error->message);
              return 1;
            }
          if (!geo_tsp_is_permutation (order, inst->dimension))
            {
              fprintf (stderr, "bench-tsp: %s: the tour is not a permutation\n", inst->name);
              return 1;
            }
          len = geo_tsplib_tour_length (inst, order, inst->dimension);
          best = MIN (best, len);
          gap = opt > 0 ? 100.0 * (len - opt) / opt : 0;
          gap_sum += gap;
          gap_worst = MAX (gap_worst, gap);
          secs[r] = res.seconds;
          iters = res.iterations;
        }
      qsort (secs, runs, sizeof (double), cmp_double);
      printf ("%s %u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %.3f %.3f %.3f %u\n",
              inst->name,
              inst->dimension,
              opt,
              best,
              opt > 0 ? gap_sum / runs : -1.0,
              opt > 0 ? gap_worst : -1.0,
              secs[runs / 2],
              iters);
      fflush (stdout);
    }
  return 0;
}
