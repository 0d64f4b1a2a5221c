#pragma once

#include <shumate/shumate.h>

#include "geo-types.h"

G_BEGIN_DECLS

/* Straight lines from one origin to a few targets (nearest resources, at most tens), with a
 * numbered dot at each target and the origin marked. Drawn with GtkSnapshot, no widgets. */

#define MAP_TYPE_LINK_LAYER (map_link_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapLinkLayer, map_link_layer, MAP, LINK_LAYER, ShumateLayer)

MapLinkLayer *map_link_layer_new (ShumateViewport *viewport);
void          map_link_layer_set_links (MapLinkLayer   *self,
                                        const GeoPoint *origin,
                                        const GeoPoint *targets,
                                        guint           n);
guint         map_link_layer_get_n_links (MapLinkLayer *self);

G_END_DECLS
