#include "config.h"

#include <math.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-nearest.h"
#include "geo-proj.h"
#include "geo-store-private.h"

void
geo_resources_free (GeoResources *res)
{
  if (res == NULL)
    return;
  g_free (res->id);
  g_free (res->type);
  g_free (res->lon);
  g_free (res->lat);
  g_free (res->radius_m);
  g_free (res->serves);
  for (guint i = 0; i < res->n; i++)
    {
      g_free (res->name[i]);
      g_free (res->desa_code[i]);
    }
  g_free (res->name);
  g_free (res->desa_code);
  g_free (res);
}

/**
 * geo_resources_load:
 * @type_mask: the PSKS types to load (GEO_TYPE_BIT), 0 = all
 *
 * Loads the resources with one scan of `resource` and one of `resource_serves`.
 */
GeoResources *
geo_resources_load (GeoStore *store, guint32 type_mask, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) serves = NULL;
  g_autoptr(GArray) id = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) type = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autoptr(GArray) lon = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) radius = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) name = g_ptr_array_new ();
  g_autoptr(GPtrArray) desa = g_ptr_array_new ();
  g_autoptr(GeoResources) res = g_new0 (GeoResources, 1);
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT id, type, name, radius_m, desa_code, ST_X (geom), ST_Y (geom) "
                            "FROM resource WHERE geom IS NOT NULL ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      int    t = sqlite3_column_int (stmt, 1);
      guint8 t8 = t;
      double r =
          sqlite3_column_type (stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 3);
      double x = sqlite3_column_double (stmt, 5), y = sqlite3_column_double (stmt, 6);

      if (t < 1 || t > 12 || (type_mask != 0 && (type_mask & GEO_TYPE_BIT (t)) == 0))
        continue;
      g_array_append_val (id, rid);
      g_array_append_val (type, t8);
      g_array_append_val (lon, x);
      g_array_append_val (lat, y);
      g_array_append_val (radius, r);
      g_ptr_array_add (name, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (desa, g_strdup ((const char *) sqlite3_column_text (stmt, 4)));
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading resources");
      return NULL;
    }
  res->n = id->len;
  res->id = (gint64 *) g_array_free (g_steal_pointer (&id), FALSE);
  res->type = (guint8 *) g_array_free (g_steal_pointer (&type), FALSE);
  res->lon = (double *) g_array_free (g_steal_pointer (&lon), FALSE);
  res->lat = (double *) g_array_free (g_steal_pointer (&lat), FALSE);
  res->radius_m = (double *) g_array_free (g_steal_pointer (&radius), FALSE);
  res->name = (char **) g_ptr_array_free (g_steal_pointer (&name), FALSE);
  res->desa_code = (char **) g_ptr_array_free (g_steal_pointer (&desa), FALSE);
  res->serves = g_new0 (guint32, MAX (res->n, 1));

  serves =
      geo_store_prepare (store,
                         "SELECT resource_id, category FROM resource_serves ORDER BY resource_id",
                         error);
  if (serves == NULL)
    return NULL;
  while ((rc = sqlite3_step (serves)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (serves, 0);
      int    c = sqlite3_column_int (serves, 1);
      guint  lo = 0, hi = res->n;

      if (c < 1 || c > GEO_PMKS_N_CATEGORIES)
        continue;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (res->id[mid] < rid)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < res->n && res->id[lo] == rid)
        res->serves[lo] |= GEO_CATEGORY_BIT (c);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the categories resources serve");
      return NULL;
    }
  for (guint i = 0; i < res->n; i++)
    if (res->serves[i] == 0)
      res->serves[i] = GEO_CATEGORY_ALL;
  return g_steal_pointer (&res);
}

/* An index over the resources whose masks are the categories they serve. */
GeoIndex *
geo_resources_build_index (const GeoResources *resources, GError **error)
{
  g_return_val_if_fail (resources != NULL, NULL);
  return geo_index_new (resources->lon, resources->lat, resources->serves, resources->n, error);
}

/**
 * geo_nearest_point:
 * @k: how many resources at most (>= 1)
 * @radius_m: only resources at most this far (geodesic metres), INFINITY = no limit
 * @category_mask: only resources serving one of these PMKS categories; 0 = any
 *
 * The @k nearest resources of (@lon, @lat), nearest first.
 * Returns: (transfer full) (element-type GeoIndexHit): hits whose items index @resources.
 */
GArray *
geo_nearest_point (const GeoResources *resources,
                   const GeoIndex     *index,
                   double              lon,
                   double              lat,
                   guint               k,
                   double              radius_m,
                   guint32             category_mask,
                   GError            **error)
{
  g_autoptr(GArray) hits = NULL;
  guint n;

  g_return_val_if_fail (resources != NULL && index != NULL, NULL);
  if (k == 0)
    {
      g_set_error_literal (error, GEO_ERROR, GEO_ERROR_INVALID, "k must be at least 1");
      return NULL;
    }
  if (isnan (radius_m) || radius_m < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The radius must be >= 0 m (got %g)",
                   radius_m);
      return NULL;
    }
  hits = g_array_sized_new (FALSE, FALSE, sizeof (GeoIndexHit), MIN (k, resources->n));
  g_array_set_size (hits, MIN (k, resources->n));
  n = geo_index_nearest (index,
                         lon,
                         lat,
                         MIN (k, MAX (resources->n, 1)),
                         radius_m,
                         category_mask != 0 ? category_mask : GEO_INDEX_ANY,
                         NULL,
                         NULL,
                         (GeoIndexHit *) hits->data,
                         error);
  if (n == 0 && error != NULL && *error != NULL)
    return NULL;
  g_array_set_size (hits, n);
  return g_steal_pointer (&hits);
}

void
geo_nearest_all_free (GeoNearestAll *result)
{
  if (result == NULL)
    return;
  g_free (result->resource);
  g_free (result->distance_m);
  g_free (result);
}

typedef struct
{
  const GeoIndex *index;
  const double   *lon;
  const double   *lat;
  const guint32  *masks;
  guint32         category_mask;
  guint           start, end;
  GeoNearestAll  *out;
  GCancellable   *cancellable;
  GError         *error;
} NearestJob;

#define BLOCK 8192

static gpointer
nearest_worker (gpointer data)
{
  NearestJob *job = data;
  double      x[BLOCK], y[BLOCK];
  int         epsg = geo_index_get_epsg (job->index);

  for (guint b = job->start; b < job->end; b += BLOCK)
    {
      guint n = MIN (BLOCK, job->end - b);

      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        return NULL;
      if (!geo_proj_lonlat_to_utm (epsg, job->lon + b, job->lat + b, x, y, n, &job->error))
        return NULL;
      for (guint i = 0; i < n; i++)
        {
          guint       f = b + i;
          guint32     mask = job->category_mask != 0 ? job->category_mask
                             : job->masks != NULL    ? job->masks[f]
                                                     : 0;
          GeoIndexHit hit;

          if (mask == 0)
            mask = GEO_INDEX_ANY;
          if (geo_index_nearest_xy (job->index,
                                    job->lon[f],
                                    job->lat[f],
                                    x[i],
                                    y[i],
                                    1,
                                    INFINITY,
                                    mask,
                                    NULL,
                                    NULL,
                                    &hit) == 1)
            {
              job->out->resource[f] = hit.item;
              job->out->distance_m[f] = hit.distance_m;
            }
          else
            {
              job->out->resource[f] = -1;
              job->out->distance_m[f] = NAN;
            }
        }
    }
  return NULL;
}

/**
 * geo_nearest_all:
 * @lon, @lat: (array length=n): the query points (families), EPSG:4326
 * @family_masks: (nullable): per point, the PMKS categories whose service counts (the
 *   union of the family's selected persons' categories); 0 or %NULL = any resource
 * @category_mask: when not 0, used for every point instead of @family_masks
 * @n_threads: worker threads, 0 = one per processor
 *
 * For every point, the nearest resource of @index (built by geo_resources_build_index)
 * serving one of its categories, by geodesic distance on WGS84. The points are cut into
 * @n_threads contiguous parts, each projected in blocks with its thread's PROJ context.
 */
GeoNearestAll *
geo_nearest_all (const GeoResources *resources,
                 GeoIndex           *index,
                 const double       *lon,
                 const double       *lat,
                 const guint32      *family_masks,
                 guint               n,
                 guint32             category_mask,
                 guint               n_threads,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autoptr(GeoNearestAll) out = g_new0 (GeoNearestAll, 1);
  g_autofree NearestJob *jobs = NULL;
  g_autofree GThread   **threads = NULL;
  gint64                 t0 = g_get_monotonic_time ();
  gboolean               ok = TRUE;

  g_return_val_if_fail (resources != NULL && index != NULL, NULL);
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX (1, n / 4096 + 1));
  out->n = n;
  out->resource = g_new (gint32, MAX (n, 1));
  out->distance_m = g_new (double, MAX (n, 1));

  /* The scale bound over every query point, so no query has to widen it on its own. */
  if (n > 0)
    {
      double e[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

      for (guint i = 0; i < n; i++)
        {
          e[0] = MIN (e[0], lon[i]);
          e[1] = MIN (e[1], lat[i]);
          e[2] = MAX (e[2], lon[i]);
          e[3] = MAX (e[3], lat[i]);
        }
      geo_index_extend_extent (index, e[0], e[1], e[2], e[3]);
    }

  jobs = g_new0 (NearestJob, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (NearestJob){ .index = index,
                              .lon = lon,
                              .lat = lat,
                              .masks = family_masks,
                              .category_mask = category_mask,
                              .start = (guint) ((guint64) n * t / n_threads),
                              .end = (guint) ((guint64) n * (t + 1) / n_threads),
                              .out = out,
                              .cancellable = cancellable };
      if (t > 0)
        threads[t] = g_thread_new ("jangkau-nearest", nearest_worker, &jobs[t]);
    }
  nearest_worker (&jobs[0]); /* the calling thread takes the first part */
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  for (guint t = 0; t < n_threads; t++)
    if (jobs[t].error != NULL)
      {
        if (ok)
          g_propagate_error (error, g_steal_pointer (&jobs[t].error));
        g_clear_error (&jobs[t].error);
        ok = FALSE;
      }
  if (!ok)
    return NULL;
  out->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&out);
}
