#pragma once

#include <shumate/shumate.h>

#include "map-point-index.h"

G_BEGIN_DECLS

#define MAP_TYPE_FAMILY_LAYER (map_family_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapFamilyLayer, map_family_layer, MAP, FAMILY_LAYER, ShumateLayer)

typedef enum
{
  MAP_FRAME_EMPTY,
  MAP_FRAME_FAMILIES,        /* one symbol per family */
  MAP_FRAME_CLUSTERS_INDEX,  /* clusters from the precomputed pyramid */
  MAP_FRAME_CLUSTERS_SCREEN, /* clusters gridded in screen space from the visible points */
} MapFrameMode;

typedef struct
{
  MapFrameMode mode;
  guint        n_symbols; /* families or clusters drawn */
  guint        n_scanned; /* points or bins looked at */
} MapFrameStats;

typedef enum
{
  MAP_HIT_NONE,
  MAP_HIT_FAMILY,
  MAP_HIT_CLUSTER,
} MapHitKind;

typedef struct
{
  MapHitKind kind;
  gint64     family_id; /* MAP_HIT_FAMILY */
  double     lon;       /* the family or the cluster centre */
  double     lat;
  guint      families; /* in the cluster */
} MapHit;

MapFamilyLayer *map_family_layer_new (ShumateViewport *viewport);

void            map_family_layer_set_points (MapFamilyLayer       *self,
                                             const MapFamilyPoint *points,
                                             guint                 n_points);
void            map_family_layer_set_index (MapFamilyLayer *self, MapPointIndex *index);
MapPointIndex  *map_family_layer_get_index (MapFamilyLayer *self);
guint           map_family_layer_get_n_points (MapFamilyLayer *self);
gboolean        map_family_layer_update_family (MapFamilyLayer       *self,
                                                const MapFamilyPoint *point,
                                                gboolean              remove);
gboolean        map_family_layer_get_family_point (MapFamilyLayer *self,
                                                   gint64          family_id,
                                                   double         *lon,
                                                   double         *lat,
                                                   guint32        *categories);

void            map_family_layer_set_visible_categories (MapFamilyLayer *self, guint32 mask);
guint32         map_family_layer_get_visible_categories (MapFamilyLayer *self);

void            map_family_layer_set_selected (MapFamilyLayer *self, gint64 family_id);
gint64          map_family_layer_get_selected (MapFamilyLayer *self);

MapHit          map_family_layer_hit_test (MapFamilyLayer *self, double x, double y);

void            map_family_layer_build_frame (MapFamilyLayer *self,
                                              GtkSnapshot    *snapshot,
                                              int             width,
                                              int             height,
                                              MapFrameStats  *stats);
const MapFrameStats *map_family_layer_get_last_stats (MapFamilyLayer *self);

/* Shared with the legend: draws a PMKS category's symbol centred on (x, y). */
void            map_draw_category_symbol (cairo_t *cr, int code, double x, double y, double r);
void            map_category_rgba (int code, GdkRGBA *rgba);
void            map_symbol_path (cairo_t *cr, const char *symbol, double x, double y, double r);

G_END_DECLS
