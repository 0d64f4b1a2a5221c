#pragma once

#include <shumate/shumate.h>

#include "geo-density.h"

G_BEGIN_DECLS

/* A kernel density surface on the map: the raster (in its UTM zone) is resampled once onto a
 * Web Mercator grid, coloured with a ramp into a semi-transparent GdkMemoryTexture, and drawn
 * as one texture node at its extent each frame. */

#define MAP_TYPE_HEAT_LAYER (map_heat_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapHeatLayer, map_heat_layer, MAP, HEAT_LAYER, ShumateLayer)

MapHeatLayer *map_heat_layer_new (ShumateViewport *viewport);

/* The coloured, resampled texels, built without GTK (in a worker thread). */
typedef struct _MapHeatImage MapHeatImage;

MapHeatImage *map_heat_image_new (const GeoDensityRaster *raster, GError **error);
void          map_heat_image_free (MapHeatImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MapHeatImage, map_heat_image_free)

/* Takes @image (NULL: empty). */
void map_heat_layer_set_image (MapHeatLayer *self, MapHeatImage *image);
/* The same, built on the calling thread; copies what it needs of @raster. */
gboolean
     map_heat_layer_set_raster (MapHeatLayer *self, const GeoDensityRaster *raster, GError **error);
void map_heat_layer_clear (MapHeatLayer *self);

/* The texture (NULL when empty), its extent in normalized Mercator, the value at the ramp's
 * top (per km²). */
GdkTexture *map_heat_layer_get_texture (MapHeatLayer *self);
gboolean    map_heat_layer_get_extent (
       MapHeatLayer *self, double *min_lon, double *min_lat, double *max_lon, double *max_lat);
double map_heat_layer_get_max_value (MapHeatLayer *self);
/* Whether the last frame drew the texture. */
gboolean map_heat_layer_get_drawn (MapHeatLayer *self);

/* The colour ramp at @t in [0, 1] (0: transparent); shared with the legend. */
void map_heat_ramp_rgba (double t, GdkRGBA *rgba);

G_END_DECLS
