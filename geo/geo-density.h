#pragma once

#include <gio/gio.h>

#include "geo-export.h"

G_BEGIN_DECLS

#define GEO_DENSITY_DEFAULT_RADIUS_M 1000.0
#define GEO_DENSITY_DEFAULT_PIXEL_M 100.0

/**
 * GeoDensityRaster:
 * @values: width * height, row-major, the NORTHERN row first (GDAL order)
 * @geotransform: GDAL geotransform in EPSG:@epsg (origin = north-west corner, metres)
 *
 * A quartic kernel density surface in points per km²: each point (times its weight) spreads
 * 3 / (pi r²) (1 - d²/r²)² per m² over the disc of radius r, so the surface integrates to the
 * number of points (docs/hotspots.md). Evaluated at pixel centres.
 */
typedef struct
{
  int    epsg;
  guint  width, height;
  double geotransform[6];
  float *values;
  double radius_m;
  double pixel_m;
  double total_weight;
  double max_value;
} GeoDensityRaster;

void geo_density_raster_free (GeoDensityRaster *raster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoDensityRaster, geo_density_raster_free)

GeoDensityRaster *geo_density_projected (const double *x,
                                         const double *y,
                                         const double *weight,
                                         gsize         n,
                                         int           epsg,
                                         double        radius_m,
                                         double        pixel_m,
                                         GCancellable *cancellable,
                                         GError      **error);
GeoDensityRaster *geo_density (const double *lon,
                               const double *lat,
                               const double *weight,
                               gsize         n,
                               double        radius_m,
                               double        pixel_m,
                               GCancellable *cancellable,
                               GError      **error);
GeoDensityRaster *geo_density_with_progress (const double   *lon,
                                             const double   *lat,
                                             const double   *weight,
                                             gsize           n,
                                             double          radius_m,
                                             double          pixel_m,
                                             GeoProgressFunc progress,
                                             gpointer        progress_data,
                                             GCancellable   *cancellable,
                                             GError        **error);
gboolean
geo_density_write_geotiff (const GeoDensityRaster *raster, const char *path, GError **error);

G_END_DECLS
