#pragma once

#include <shumate/shumate.h>

#include "geo-area-shapes.h"
#include "geo-hotspot.h"

G_BEGIN_DECLS

/* Getis-Ord Gi* results on the map: grid cells or desa polygons filled by class (hot reds,
 * cold blues, not significant left transparent). Geometry is projected once to normalized
 * Web Mercator when the result is set; each frame culls by bounding box and fills one cairo
 * path per class. */

#define MAP_TYPE_HOTSPOT_LAYER (map_hotspot_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapHotspotLayer, map_hotspot_layer, MAP, HOTSPOT_LAYER, ShumateLayer)

MapHotspotLayer *map_hotspot_layer_new (ShumateViewport *viewport);

/* What the layer draws, built without GTK (in a worker thread for large grids). */
typedef struct _MapHotspotShapes MapHotspotShapes;

MapHotspotShapes *map_hotspot_shapes_new_grid (const GeoHotspotGrid *grid, GError **error);
/* @codes / @klass (n entries) give the class of each desa code; areas of @shapes (borrowed) not
 * listed are not drawn. */
MapHotspotShapes *map_hotspot_shapes_new_areas (const GeoAreaShapes *shapes,
                                                char *const         *codes,
                                                const gint8         *klass,
                                                guint                n);
void              map_hotspot_shapes_free (MapHotspotShapes *shapes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MapHotspotShapes, map_hotspot_shapes_free)

/* Takes @shapes (NULL: empty). */
void map_hotspot_layer_set_shapes (MapHotspotLayer *self, MapHotspotShapes *shapes);
/* The same, built on the calling thread. */
gboolean
     map_hotspot_layer_set_grid (MapHotspotLayer *self, const GeoHotspotGrid *grid, GError **error);
void map_hotspot_layer_set_areas (MapHotspotLayer     *self,
                                  const GeoAreaShapes *shapes,
                                  char *const         *codes,
                                  const gint8         *klass,
                                  guint                n);
void map_hotspot_layer_clear (MapHotspotLayer *self);

/* Units (cells or desa) held, and how many of them have class @klass. */
guint map_hotspot_layer_get_n_units (MapHotspotLayer *self);
guint map_hotspot_layer_get_class_count (MapHotspotLayer *self, GeoHotspotClass klass);
/* Units filled in the last frame (culled ones and not significant ones excluded). */
guint map_hotspot_layer_get_n_drawn (MapHotspotLayer *self);
/* Units' extent in EPSG:4326; FALSE when empty. */
gboolean map_hotspot_layer_get_extent (
    MapHotspotLayer *self, double *min_lon, double *min_lat, double *max_lon, double *max_lat);

/* The fill of a class (alpha 0 for not significant and no data); shared with the legend. */
void map_hotspot_class_rgba (GeoHotspotClass klass, GdkRGBA *rgba);

G_END_DECLS
