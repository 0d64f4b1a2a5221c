#pragma once

#include <shumate/shumate.h>

#include "geo-area-shapes.h"

G_BEGIN_DECLS

/**
 * MapColourRamp:
 *
 * Sequential ColorBrewer ramps (light = low, dark = high) and one diverging ramp
 * (%MAP_RAMP_RD_YL_GN: red = low, green = high, for coverage percentages).
 */
typedef enum
{
  MAP_RAMP_YL_OR_RD,
  MAP_RAMP_BLUES,
  MAP_RAMP_GREENS,
  MAP_RAMP_PURPLES,
  MAP_RAMP_ORANGES,
  MAP_RAMP_YL_GN_BU,
  MAP_RAMP_RD_YL_GN,
  MAP_RAMP_N
} MapColourRamp;

/**
 * MapLegendEntry:
 * @colour: the class fill
 * @lower, @upper: the class range (lower exclusive except for the first class)
 * @label: "lower – upper" with the layer's number format
 * @n_areas: areas of the class in the current values
 */
typedef struct
{
  GdkRGBA colour;
  double  lower;
  double  upper;
  char   *label;
  guint   n_areas;
} MapLegendEntry;

void map_legend_entry_clear (MapLegendEntry *entry);

#define MAP_TYPE_CHOROPLETH_LAYER (map_choropleth_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapChoroplethLayer, map_choropleth_layer, MAP, CHOROPLETH_LAYER, ShumateLayer)

MapChoroplethLayer *map_choropleth_layer_new (ShumateViewport *viewport);
void map_choropleth_layer_set_shapes (MapChoroplethLayer *self, GeoAreaShapes *shapes);
void map_choropleth_layer_set_values (MapChoroplethLayer *self,
                                      const char *const  *codes,
                                      const double       *values,
                                      guint               n,
                                      const double       *breaks,
                                      guint               n_breaks,
                                      MapColourRamp       ramp);
void map_choropleth_layer_clear_values (MapChoroplethLayer *self);
void
map_choropleth_layer_set_number_format (MapChoroplethLayer *self, const char *format, double scale);
GArray  *map_choropleth_layer_dup_legend (MapChoroplethLayer *self);
guint    map_choropleth_layer_get_n_classes (MapChoroplethLayer *self);
guint    map_choropleth_layer_get_n_filled (MapChoroplethLayer *self);
guint    map_choropleth_layer_get_n_no_data (MapChoroplethLayer *self);
int      map_choropleth_layer_get_area_class (MapChoroplethLayer *self, const char *code);
guint    map_choropleth_layer_get_n_drawn (MapChoroplethLayer *self);
gboolean map_choropleth_layer_get_extent (
    MapChoroplethLayer *self, double *min_lon, double *min_lat, double *max_lon, double *max_lat);
const GeoAreaShape *map_choropleth_layer_find_area (MapChoroplethLayer *self, const char *code);
void map_colour_ramp_get (MapColourRamp ramp, guint cls, guint n_classes, GdkRGBA *rgba);

G_END_DECLS
