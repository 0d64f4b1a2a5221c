#include "config.h"

#include <math.h>
#include <proj.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-grid.h"

/**
 * geo_grid_utm_epsg:
 *
 * The WGS84 / UTM zone holding (@lon, @lat): EPSG 326zz north of the equator, 327zz south.
 * Norway's and Svalbard's zone exceptions do not matter in Indonesia and are ignored.
 */
int
geo_grid_utm_epsg (double lon, double lat)
{
  int zone = (int) floor ((lon + 180.0) / 6.0) + 1;

  zone = CLAMP (zone, 1, 60);
  return (lat < 0 ? 32700 : 32600) + zone;
}

/**
 * geo_grid_utm_epsg_for_points:
 *
 * The UTM zone of the centre of the bounding box of the finite points. Fails on no point.
 */
gboolean
geo_grid_utm_epsg_for_points (
    const double *lon, const double *lat, gsize n, int *epsg, GError **error)
{
  double min_lon = INFINITY, max_lon = -INFINITY, min_lat = INFINITY, max_lat = -INFINITY;

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (lon[i]) || !isfinite (lat[i]))
        continue;
      min_lon = MIN (min_lon, lon[i]);
      max_lon = MAX (max_lon, lon[i]);
      min_lat = MIN (min_lat, lat[i]);
      max_lat = MAX (max_lat, lat[i]);
    }
  if (min_lon > max_lon)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "no point with coordinates to analyse");
      return FALSE;
    }
  *epsg = geo_grid_utm_epsg ((min_lon + max_lon) / 2, (min_lat + max_lat) / 2);
  return TRUE;
}

typedef struct
{
  int     src, dst;
  double *x, *y;
  gsize   n;
  char   *error; /* owned; NULL on success */
} TransformJob;

static gpointer
transform_worker (gpointer data)
{
  TransformJob *job = data;
  g_autoptr(PJ_CONTEXT) ctx = proj_context_create ();
  g_autoptr(PJ) raw = NULL;
  g_autoptr(PJ) pj = NULL;
  g_autofree char *src = g_strdup_printf ("EPSG:%d", job->src);
  g_autofree char *dst = g_strdup_printf ("EPSG:%d", job->dst);
  gsize            done;

  proj_log_level (ctx, PJ_LOG_NONE);
  raw = proj_create_crs_to_crs (ctx, src, dst, NULL);
  if (raw != NULL)
    pj = proj_normalize_for_visualization (ctx, raw);
  if (pj == NULL)
    {
      job->error = g_strdup_printf ("cannot transform %s to %s: %s",
                                    src,
                                    dst,
                                    proj_context_errno_string (ctx, proj_context_errno (ctx)));
      return NULL;
    }
  /* One batch: PROJ loops in C over the strided arrays. */
  done = proj_trans_generic (pj,
                             PJ_FWD,
                             job->x,
                             sizeof (double),
                             job->n,
                             job->y,
                             sizeof (double),
                             job->n,
                             NULL,
                             0,
                             0,
                             NULL,
                             0,
                             0);
  if (done != job->n)
    job->error = g_strdup_printf ("transformed %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                                  " points from %s to %s",
                                  done,
                                  job->n,
                                  src,
                                  dst);
  return NULL;
}

/**
 * geo_grid_transform:
 * @x: (inout): lon or easting
 * @y: (inout): lat or northing
 *
 * Transforms @n points in place from EPSG:@src_epsg to EPSG:@dst_epsg in lon, lat / east, north
 * order, with one proj_trans_generic() call per thread (two threads from 200,000 points, each
 * with its own PJ_CONTEXT). A point PROJ cannot transform becomes HUGE_VAL, and an error is
 * returned if any did.
 */
gboolean
geo_grid_transform (int src_epsg, int dst_epsg, double *x, double *y, gsize n, GError **error)
{
  TransformJob jobs[2] = { 0 };
  guint        n_jobs = n >= 200000 && g_get_num_processors () > 1 ? 2 : 1;
  GThread     *thread = NULL;
  gboolean     ok = TRUE;

  if (n == 0 || src_epsg == dst_epsg)
    return TRUE;
  for (guint j = 0; j < n_jobs; j++)
    {
      gsize start = n * j / n_jobs, end = n * (j + 1) / n_jobs;

      jobs[j] = (TransformJob){ src_epsg, dst_epsg, x + start, y + start, end - start, NULL };
    }
  if (n_jobs == 2)
    thread = g_thread_new ("geo-transform", transform_worker, &jobs[1]);
  transform_worker (&jobs[0]);
  if (thread != NULL)
    g_thread_join (thread);
  for (guint j = 0; j < n_jobs; j++)
    {
      if (jobs[j].error != NULL && ok)
        {
          g_set_error_literal (error, GEO_ERROR, GEO_ERROR_PROJ, jobs[j].error);
          ok = FALSE;
        }
      g_free (jobs[j].error);
    }
  return ok;
}
