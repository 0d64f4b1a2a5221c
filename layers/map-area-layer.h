#pragma once

#include <shumate/shumate.h>

#include "geo-area-shapes.h"

G_BEGIN_DECLS

#define MAP_TYPE_AREA_LAYER (map_area_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapAreaLayer, map_area_layer, MAP, AREA_LAYER, ShumateLayer)

MapAreaLayer *map_area_layer_new (ShumateViewport *viewport);
void          map_area_layer_set_shapes (MapAreaLayer *self, GeoAreaShapes *shapes);
guint         map_area_layer_get_n_areas (MapAreaLayer *self);
gboolean      map_area_layer_get_extent (MapAreaLayer *self,
                                         double       *min_lon,
                                         double       *min_lat,
                                         double       *max_lon,
                                         double       *max_lat);
guint         map_area_layer_get_n_labels_drawn (MapAreaLayer *self);

G_END_DECLS
