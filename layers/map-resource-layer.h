#pragma once

#include <shumate/shumate.h>

#include "geo-nearest.h"

G_BEGIN_DECLS

#define MAP_TYPE_RESOURCE_LAYER (map_resource_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapResourceLayer, map_resource_layer, MAP, RESOURCE_LAYER, ShumateLayer)

MapResourceLayer *map_resource_layer_new (ShumateViewport *viewport);
void map_resource_layer_set_resources (MapResourceLayer *self, GeoResources *resources);
const GeoResources *map_resource_layer_get_resources (MapResourceLayer *self);
void                map_resource_layer_set_visible_types (MapResourceLayer *self, guint32 mask);
guint32             map_resource_layer_get_visible_types (MapResourceLayer *self);
void                map_resource_layer_set_selected (MapResourceLayer *self, gint64 resource_id);
gint64              map_resource_layer_hit_test (MapResourceLayer *self, double x, double y);
guint               map_resource_layer_get_n_drawn (MapResourceLayer *self);
void map_resource_layer_draw (MapResourceLayer *self, cairo_t *cr, int width, int height);
void map_draw_psks_symbol (cairo_t *cr, int type, double x, double y, double r);

G_END_DECLS
