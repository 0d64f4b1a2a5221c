#pragma once

/* Internal to the geo-hotspot*.c files. */

#include <gdal.h>

#include "geo-hotspot.h"

G_BEGIN_DECLS

void geo_hotspot_finish_classes (
    const double *z, gsize n, gboolean fdr, double *p, double **p_fdr, gint8 *klass);

typedef enum
{
  GEO_OUTPUT_CSV,
  GEO_OUTPUT_GPKG,
  GEO_OUTPUT_GEOJSON,
} GeoOutputFormat;

gboolean geo_output_format_for_path (const char *path, GeoOutputFormat *format, GError **error);
/* A new vector data source (replacing @path) with one polygon layer in EPSG:4326. */
GDALDatasetH geo_output_create_polygon_layer (const char        *path,
                                              GeoOutputFormat    format,
                                              const char        *layer_name,
                                              OGRwkbGeometryType gtype,
                                              OGRLayerH         *layer,
                                              GError           **error);

G_END_DECLS
