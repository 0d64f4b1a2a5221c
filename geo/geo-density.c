#include "config.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>

#include "geo-autocleanups.h"
#include "geo-density.h"
#include "geo-error.h"
#include "geo-grid.h"

void
geo_density_raster_free (GeoDensityRaster *raster)
{
  if (raster == NULL)
    return;
  g_free (raster->values);
  g_free (raster);
}

typedef struct
{
  const double *fx, *fy, *w; /* pixel coordinates (column from the west edge, row from the north
                              * edge), sorted by row; weights */
  const gsize  *row_start;   /* points whose row is k: row_start[k] .. row_start[k + 1] - 1 */
  double        reach;       /* radius in pixels */
  double        px;
  guint         width, height;
  guint         row0, row1; /* this job's rows */
  double       *acc;        /* width * height, shared: a job writes its own rows only */
  GCancellable *cancellable;
  GeoProgressFunc progress; /* the first job only: the share of its points done */
  gpointer        progress_data;
} DensityJob;

/* The hot loop: O3 lets GCC vectorise the row update, which -O2 (debugoptimized) does not. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__ ((optimize ("O3")))
#endif
static gpointer
density_worker (gpointer data)
{
  DensityJob *job = data;
  double      inv_reach2 = 1.0 / (job->reach * job->reach);
  gint64      first_row = MAX ((gint64) job->row0 - (gint64) ceil (job->reach) - 1, 0);
  gint64      last_row =
      MIN ((gint64) job->row1 + (gint64) ceil (job->reach) + 1, (gint64) job->height - 1);
  gsize end = job->row_start[last_row + 1];

  /* Only the points that can reach this job's rows: a contiguous run of the row-sorted arrays. */
  for (gsize i = job->row_start[first_row]; i < end; i++)
    {
      double fx = job->fx[i], fy = job->fy[i], w = job->w[i];
      gint64 r0 = MAX ((gint64) ceil (fy - job->reach - 0.5), (gint64) job->row0);
      gint64 r1 = MIN ((gint64) floor (fy + job->reach - 0.5), (gint64) job->row1 - 1);

      for (gint64 row = r0; row <= r1; row++)
        {
          double  dy = row + 0.5 - fy;
          double  a = 1.0 - dy * dy * inv_reach2; /* 1 - dy²/r² */
          double  half;
          gint64  c0, c1;
          double *out;

          if (a <= 0)
            continue;
          /* Only the columns inside the disc: dx² < a r², so no clamping in the loop. */
          half = sqrt (a) * job->reach;
          c0 = MAX ((gint64) ceil (fx - 0.5 - half), 0);
          c1 = MIN ((gint64) floor (fx - 0.5 + half), (gint64) job->width - 1);
          out = job->acc + (gsize) row * job->width;
          for (gint64 c = c0; c <= c1; c++)
            {
              double dx = c + 0.5 - fx;
              double t = a - dx * dx * inv_reach2;

              out[c] += w * t * t;
            }
        }
      if ((i & 0x3fff) == 0)
        {
          if (g_cancellable_is_cancelled (job->cancellable))
            break;
          if (job->progress != NULL)
            job->progress ((double) (i - job->row_start[first_row]) /
                               (double) MAX (end - job->row_start[first_row], 1),
                           job->progress_data);
        }
    }
  return NULL;
}

/**
 * geo_density_projected:
 * @x: eastings in EPSG:@epsg, metres
 * @y: northings
 * @weight: (nullable): what each point counts for; NULL: 1
 * @radius_m: kernel radius (bandwidth), metres
 * @pixel_m: pixel size, metres
 *
 * Quartic (biweight) kernel density: pixel value = sum over points within @radius_m of the
 * pixel centre of w 3 / (pi r²) (1 - d²/r²)², times 10^6 (per km²). The raster covers the points'
 * bounding box grown by @radius_m, with its edges at multiples of @pixel_m. Rows are split
 * between two threads, each owning its rows, so no locking and identical results.
 */
static GeoDensityRaster *
density_projected (const double   *x,
                   const double   *y,
                   const double   *weight,
                   gsize           n,
                   int             epsg,
                   double          radius_m,
                   double          pixel_m,
                   GeoProgressFunc progress,
                   gpointer        progress_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(GeoDensityRaster) r = NULL;
  g_autofree double *acc = NULL;
  double             min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
  double             x0, x1, y0, y1, pixels, scale;
  gsize              used = 0, n_px;

  if (!(radius_m > 0) || !isfinite (radius_m) || !(pixel_m > 0) || !isfinite (pixel_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the radius and the pixel size must be positive numbers of metres (got %g, %g)",
                   radius_m,
                   pixel_m);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (x[i]) || !isfinite (y[i]) || (weight != NULL && !(weight[i] > 0)))
        continue;
      min_x = MIN (min_x, x[i]);
      max_x = MAX (max_x, x[i]);
      min_y = MIN (min_y, y[i]);
      max_y = MAX (max_y, y[i]);
      used++;
    }
  if (used == 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the selection is empty: no person or family with a location");
      return NULL;
    }
  x0 = floor ((min_x - radius_m) / pixel_m) * pixel_m;
  x1 = ceil ((max_x + radius_m) / pixel_m) * pixel_m;
  y0 = floor ((min_y - radius_m) / pixel_m) * pixel_m;
  y1 = ceil ((max_y + radius_m) / pixel_m) * pixel_m;
  pixels = round ((x1 - x0) / pixel_m) * round ((y1 - y0) / pixel_m);
  if (pixels > GEO_GRID_MAX_CELLS)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%g m pixels over %.1f x %.1f km make %.0f pixels, more than the %.0f allowed: "
                   "use a larger pixel size or a smaller selection",
                   pixel_m,
                   (x1 - x0) / 1000,
                   (y1 - y0) / 1000,
                   pixels,
                   GEO_GRID_MAX_CELLS);
      return NULL;
    }
  if ((double) used * pow (2 * radius_m / pixel_m + 2, 2) > 1e11)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "a %g m radius on %g m pixels is too much work for %" G_GSIZE_FORMAT
                   " points: use larger pixels or a smaller radius",
                   radius_m,
                   pixel_m,
                   used);
      return NULL;
    }

  r = g_new0 (GeoDensityRaster, 1);
  r->epsg = epsg;
  r->width = (guint) round ((x1 - x0) / pixel_m);
  r->height = (guint) round ((y1 - y0) / pixel_m);
  r->geotransform[0] = x0;
  r->geotransform[1] = pixel_m;
  r->geotransform[2] = 0;
  r->geotransform[3] = y1;
  r->geotransform[4] = 0;
  r->geotransform[5] = -pixel_m;
  r->radius_m = radius_m;
  r->pixel_m = pixel_m;
  n_px = (gsize) r->width * r->height;
  acc = g_new0 (double, n_px);

  {
    /* Pixel coordinates, counting-sorted by row for locality and so that each thread reads only
     * the points near its rows. */
    g_autofree gsize   *row_start = g_new0 (gsize, (gsize) r->height + 2);
    g_autofree double  *fx = g_new (double, MAX (used, 1));
    g_autofree double  *fy = g_new (double, MAX (used, 1));
    g_autofree double  *fw = g_new (double, MAX (used, 1));
    g_autofree guint32 *prow = g_new (guint32, MAX (n, 1));
    gboolean            two = used * (radius_m / pixel_m) * (radius_m / pixel_m) > 1e6 &&
                   g_get_num_processors () > 1 && r->height > 1;
    guint      n_jobs = two ? 2 : 1;
    DensityJob jobs[2];
    GThread   *thread = NULL;

    for (gsize i = 0; i < n; i++)
      {
        double w = weight != NULL ? weight[i] : 1.0;

        prow[i] = G_MAXUINT32;
        if (!isfinite (x[i]) || !isfinite (y[i]) || !(w > 0))
          continue;
        prow[i] = (guint32) CLAMP (floor ((y1 - y[i]) / pixel_m), 0, r->height - 1);
        row_start[prow[i] + 1]++;
      }
    for (guint k = 0; k <= r->height; k++)
      row_start[k + 1] += row_start[k];
    {
      g_autofree gsize *fill = g_memdup2 (row_start, ((gsize) r->height + 1) * sizeof (gsize));

      for (gsize i = 0; i < n; i++)
        {
          gsize at;

          if (prow[i] == G_MAXUINT32)
            continue;
          at = fill[prow[i]]++;
          fx[at] = (x[i] - x0) / pixel_m;
          fy[at] = (y1 - y[i]) / pixel_m;
          fw[at] = weight != NULL ? weight[i] : 1.0;
        }
    }
    for (guint j = 0; j < n_jobs; j++)
      jobs[j] = (DensityJob){ fx,
                              fy,
                              fw,
                              row_start,
                              radius_m / pixel_m,
                              pixel_m,
                              r->width,
                              r->height,
                              r->height * j / n_jobs,
                              r->height * (j + 1) / n_jobs,
                              acc,
                              cancellable,
                              j == 0 ? progress : NULL,
                              progress_data };
    if (n_jobs == 2)
      thread = g_thread_new ("geo-density", density_worker, &jobs[1]);
    density_worker (&jobs[0]);
    if (thread != NULL)
      g_thread_join (thread);
  }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* 3 / (pi r²) per m², times 10^6 m² per km². */
  scale = 3.0 / (G_PI * radius_m * radius_m) * 1e6;
  r->values = g_new (float, n_px);
  for (gsize i = 0; i < n_px; i++)
    {
      double v = acc[i] * scale;

      r->values[i] = (float) v;
      r->max_value = MAX (r->max_value, v);
    }
  for (gsize i = 0; i < n; i++)
    if (isfinite (x[i]) && isfinite (y[i]))
      r->total_weight += weight != NULL ? (weight[i] > 0 ? weight[i] : 0) : 1.0;
  return g_steal_pointer (&r);
}

GeoDensityRaster *
geo_density_projected (const double *x,
                       const double *y,
                       const double *weight,
                       gsize         n,
                       int           epsg,
                       double        radius_m,
                       double        pixel_m,
                       GCancellable *cancellable,
                       GError      **error)
{
  return density_projected (
      x, y, weight, n, epsg, radius_m, pixel_m, NULL, NULL, cancellable, error);
}

/**
 * geo_density_with_progress:
 * @progress: (nullable): called from the computing thread with the share of the points done
 *
 * geo_density() reporting its progress.
 */
GeoDensityRaster *
geo_density_with_progress (const double   *lon,
                           const double   *lat,
                           const double   *weight,
                           gsize           n,
                           double          radius_m,
                           double          pixel_m,
                           GeoProgressFunc progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  int                epsg;

  if (!(radius_m > 0) || !isfinite (radius_m) || !(pixel_m > 0) || !isfinite (pixel_m))
    return density_projected (
        lon, lat, weight, 0, 0, radius_m, pixel_m, NULL, NULL, cancellable, error);
  if (n == 0 || !geo_grid_utm_epsg_for_points (lon, lat, n, &epsg, NULL))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the selection is empty: no person or family with a location");
      return NULL;
    }
  x = g_memdup2 (lon, n * sizeof (double));
  y = g_memdup2 (lat, n * sizeof (double));
  if (!geo_grid_transform (4326, epsg, x, y, n, error))
    return NULL;
  return density_projected (
      x, y, weight, n, epsg, radius_m, pixel_m, progress, progress_data, cancellable, error);
}

/**
 * geo_density:
 * @lon: EPSG:4326 longitudes
 *
 * geo_density_projected() in the UTM zone of the centre of the points' bounding box.
 */
GeoDensityRaster *
geo_density (const double *lon,
             const double *lat,
             const double *weight,
             gsize         n,
             double        radius_m,
             double        pixel_m,
             GCancellable *cancellable,
             GError      **error)
{
  return geo_density_with_progress (
      lon, lat, weight, n, radius_m, pixel_m, NULL, NULL, cancellable, error);
}

/**
 * geo_density_write_geotiff:
 *
 * One Float32 band, DEFLATE-compressed and tiled, with the UTM CRS and the geotransform.
 */
gboolean
geo_density_write_geotiff (const GeoDensityRaster *raster, const char *path, GError **error)
{
  GDALDriverH driver = GDALGetDriverByName ("GTiff");
  g_auto(GeoGdalDataset) ds = NULL;
  g_auto(GeoOgrSrs) srs = OSRNewSpatialReference (NULL);
  g_autofree char *wkt = NULL;
  char            *options[] = { "COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", NULL };
  GDALRasterBandH  band;
  char            *tmp = NULL;

  if (driver == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_GDAL, "GDAL has no GTiff driver");
      return FALSE;
    }
  CPLErrorReset ();
  ds =
      GDALCreate (driver, path, (int) raster->width, (int) raster->height, 1, GDT_Float32, options);
  if (ds == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot create %s: %s",
                   path,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  if (OSRImportFromEPSG (srs, raster->epsg) != OGRERR_NONE ||
      OSRExportToWkt (srs, &tmp) != OGRERR_NONE)
    {
      CPLFree (tmp);
      g_set_error (error, GEO_ERROR, GEO_ERROR_PROJ, "unknown CRS EPSG:%d", raster->epsg);
      return FALSE;
    }
  wkt = g_strdup (tmp);
  CPLFree (tmp);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, (double *) raster->geotransform);
  band = GDALGetRasterBand (ds, 1);
  GDALSetDescription (band, "density (points per km2)");
  if (GDALRasterIO (band,
                    GF_Write,
                    0,
                    0,
                    (int) raster->width,
                    (int) raster->height,
                    raster->values,
                    (int) raster->width,
                    (int) raster->height,
                    GDT_Float32,
                    0,
                    0) != CE_None)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot write %s: %s",
                   path,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  CPLErrorReset ();
  GDALClose (g_steal_pointer (&ds)); /* void before GDAL 3.8: check the error state */
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot finish %s: %s",
                   path,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  return TRUE;
}
