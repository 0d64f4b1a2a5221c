/* Benchmark of the per-desa count (point in polygon), the work of PostGIS
 * `ST_Contains + GROUP BY` and QGIS `native:countpointsinpolygon`:
 *   bench-areacount POINTS.csv AREAS OUT.csv [RUNS=3]
 * POINTS.csv is bench-nearest's households.csv (id,lon,lat,mask); AREAS any polygon file
 * geo_import_areas reads (e.g. the Bantul desa GeoJSON). Imports the areas into a throwaway
 * project next to OUT.csv, then times, best of RUNS: parsing the CSV, loading the area index
 * (geo_area_index_load) and the point-in-polygon pass (geo_area_index_locate on every
 * point, 1 and 2 threads) with the counts per area. Writes `kode,count` per area to OUT.csv
 * (areas with no point included), the count of every polygon holding a point (as PostGIS and
 * QGIS count) to OUT.csv.every.csv, and key=value lines to stdout. Only the polygon test
 * decides: unlike geo_area_stats_compute, no desa-code fallback for points in no polygon. */
#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "geo-areastats.h"
#include "geo-import-areas.h"

static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct
{
  const GeoAreaIndex *index;
  const double       *lon, *lat;
  guint               start, end;
  guint              *counts; /* n_areas + 1: the last counts points in no area */
} Job;

static gpointer
count_part (gpointer data)
{
  Job  *job = data;
  guint n_areas = geo_area_index_get_n_areas (job->index);

  for (guint i = job->start; i < job->end; i++)
    {
      int a = geo_area_index_locate (job->index, job->lon[i], job->lat[i]);

      job->counts[a < 0 ? n_areas : (guint) a]++;
    }
  return NULL;
}

/* Counts per area with @n_threads threads (contiguous parts, counts summed). */
static guint *
count_points (
    const GeoAreaIndex *index, const double *lon, const double *lat, guint n, guint n_threads)
{
  guint    n_areas = geo_area_index_get_n_areas (index);
  guint   *total = g_new0 (guint, n_areas + 1);
  Job      jobs[2];
  GThread *thread = NULL;

  for (guint t = 0; t < n_threads; t++)
    jobs[t] = (Job){ index,
                     lon,
                     lat,
                     (guint) ((guint64) n * t / n_threads),
                     (guint) ((guint64) n * (t + 1) / n_threads),
                     g_new0 (guint, n_areas + 1) };
  if (n_threads == 2)
    thread = g_thread_new ("count", count_part, &jobs[1]);
  count_part (&jobs[0]);
  if (thread != NULL)
    g_thread_join (thread);
  for (guint t = 0; t < n_threads; t++)
    {
      for (guint a = 0; a <= n_areas; a++)
        total[a] += jobs[t].counts[a];
      g_free (jobs[t].counts);
    }
  return total;
}

int
main (int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GArray) lon = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoAreaIndex) index = NULL;
  g_autofree guint    *counts = NULL;
  GeoImportAreasReport report;
  GError              *error = NULL;
  guint                runs = argc > 4 ? (guint) atoi (argv[4]) : 3;
  double best_parse = INFINITY, best_index = INFINITY, best1 = INFINITY, best2 = INFINITY;
  double cpu2 = INFINITY;
  gsize  len;
  FILE  *out;

  if (argc < 4 || runs < 1)
    {
      g_printerr ("usage: bench-areacount POINTS.csv AREAS OUT.csv [RUNS]\n");
      return 2;
    }
  GDALAllRegister ();
  db = g_strconcat (argv[3], ".areas.jangkau", NULL);
  g_unlink (db);
  store = geo_store_open (db, GEO_STORE_OPEN_CREATE, &error);
  if (store == NULL || !geo_import_areas (store, argv[2], NULL, &report, NULL, &error))
    {
      g_printerr ("bench-areacount: %s\n", error->message);
      return 1;
    }
  geo_import_areas_report_clear (&report);

  for (guint run = 0; run < runs; run++)
    {
      double t0 = g_get_monotonic_time () / 1e6, t1, t2, t3, t4, c3;
      char  *p, *end;

      g_array_set_size (lon, 0);
      g_array_set_size (lat, 0);
      g_clear_pointer (&text, g_free);
      if (!g_file_get_contents (argv[1], &text, &len, &error))
        {
          g_printerr ("bench-areacount: %s\n", error->message);
          return 1;
        }
      for (p = text, end = text + len; p < end;)
        {
          double x, y;

          strtoll (p, &p, 10);
          x = g_ascii_strtod (p + 1, &p);
          y = g_ascii_strtod (p + 1, &p);
          g_array_append_val (lon, x);
          g_array_append_val (lat, y);
          while (p < end && *p != '\n')
            p++;
          p++;
        }
      t1 = g_get_monotonic_time () / 1e6;
      g_clear_pointer (&index, geo_area_index_free);
      index = geo_area_index_load (store, GEO_AREA_DESA, &error);
      if (index == NULL)
        {
          g_printerr ("bench-areacount: %s\n", error->message);
          return 1;
        }
      t2 = g_get_monotonic_time () / 1e6;
      g_free (count_points (index, (double *) lon->data, (double *) lat->data, lon->len, 1));
      t3 = g_get_monotonic_time () / 1e6;
      c3 = cpu_s ();
      g_clear_pointer (&counts, g_free);
      counts = count_points (index, (double *) lon->data, (double *) lat->data, lon->len, 2);
      t4 = g_get_monotonic_time () / 1e6;
      cpu2 = MIN (cpu2, cpu_s () - c3);
      best_parse = MIN (best_parse, t1 - t0);
      best_index = MIN (best_index, t2 - t1);
      best1 = MIN (best1, t3 - t2);
      best2 = MIN (best2, t4 - t3);
    }

  out = fopen (argv[3], "w");
  if (out == NULL)
    {
      g_printerr ("bench-areacount: cannot write %s\n", argv[3]);
      return 1;
    }
  for (guint a = 0; a < geo_area_index_get_n_areas (index); a++)
    fprintf (out, "%s,%u\n", geo_area_index_get_code (index, a), counts[a]);
  fclose (out);

  /* The reference tools count a point once in every polygon holding it; the boundary files'
   * simplified neighbours overlap slightly. Count that way too (not timed) for the check. */
  {
    guint             n_areas = geo_area_index_get_n_areas (index), multi = 0;
    g_autofree guint *all = g_new0 (guint, n_areas);
    g_autofree char  *path = g_strconcat (argv[3], ".every.csv", NULL);

    for (guint i = 0; i < lon->len; i++)
      {
        guint hits = 0;

        if (geo_area_index_locate (index,
                                   g_array_index (lon, double, i),
                                   g_array_index (lat, double, i)) < 0)
          continue;
        for (guint a = 0; a < n_areas; a++)
          if (geo_area_index_contains (index,
                                       a,
                                       g_array_index (lon, double, i),
                                       g_array_index (lat, double, i)))
            {
              all[a]++;
              hits++;
            }
        multi += hits > 1;
      }
    out = fopen (path, "w");
    for (guint a = 0; a < n_areas; a++)
      fprintf (out, "%s,%u\n", geo_area_index_get_code (index, a), all[a]);
    fclose (out);
    printf ("points_in_several_areas=%u\n", multi);
  }
  printf ("points=%u\nareas=%u\nin_no_area=%u\n",
          lon->len,
          geo_area_index_get_n_areas (index),
          counts[geo_area_index_get_n_areas (index)]);
  printf ("parse_csv_s=%.3f\narea_index_s=%.4f\n", best_parse, best_index);
  printf ("pip_1thread_s=%.3f\npip_2threads_s=%.3f\npip_2threads_cpu_s=%.3f\n", best1, best2, cpu2);
  printf ("csv_plus_index_plus_pip_s=%.3f\n", best_parse + best_index + best2);
  g_clear_object (&store);
  for (const char *const *ext = (const char *const[]){ "", "-wal", "-shm", NULL }; *ext; ext++)
    {
      g_autofree char *f = g_strconcat (db, *ext, NULL);

      g_unlink (f);
    }
  return 0;
}
