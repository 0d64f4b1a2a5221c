#pragma once

#include <shumate/shumate.h>

#include "geo-road-lines.h"

G_BEGIN_DECLS

#define MAP_TYPE_ROAD_LAYER (map_road_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapRoadLayer, map_road_layer, MAP, ROAD_LAYER, ShumateLayer)

MapRoadLayer *map_road_layer_new (ShumateViewport *viewport);
void          map_road_layer_set_roads (MapRoadLayer *self, GeoRoadLines *roads);
guint         map_road_layer_get_n_lines (MapRoadLayer *self);
guint         map_road_layer_get_n_lines_drawn (MapRoadLayer *self);

G_END_DECLS
