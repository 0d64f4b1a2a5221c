#pragma once

#include <shumate/shumate.h>

#include "geo-round.h"

G_BEGIN_DECLS

/* A planned outreach round on the map: the route lines (along the roads when the round was
 * planned on roads, straight legs otherwise) and numbered stop symbols, one colour per
 * team-day; the depot as a house symbol. Only in-memory arrays are touched when drawing. */

#define MAP_TYPE_ROUND_LAYER (map_round_layer_get_type ())
G_DECLARE_FINAL_TYPE (MapRoundLayer, map_round_layer, MAP, ROUND_LAYER, ShumateLayer)

MapRoundLayer *map_round_layer_new (ShumateViewport *viewport);
/* Copies what it draws from @round (NULL: nothing). */
void map_round_layer_set_round (MapRoundLayer *self, const GeoRound *round);
/* The depot being chosen before any round exists (NULL: none). */
void  map_round_layer_set_depot (MapRoundLayer *self, const GeoPoint *depot);
/* The target area drawn on the map (a ring of @n vertices, not closed; 0: none). */
void  map_round_layer_set_area (MapRoundLayer *self, const GeoPoint *ring, guint n);
guint map_round_layer_get_area_n_points (MapRoundLayer *self);
guint map_round_layer_get_n_stops (MapRoundLayer *self);
guint map_round_layer_get_n_routes (MapRoundLayer *self);
/* Stop @i (in team, day, seq order): position, route index and number; FALSE out of range. */
gboolean
map_round_layer_get_stop (MapRoundLayer *self, guint i, GeoPoint *pos, guint *route, guint *seq);
guint map_round_layer_get_route_n_points (MapRoundLayer *self, guint route);
/* Colour of team-day route @index (team-major: (team - 1) * n_days + day - 1) as "#rrggbb". */
const char *map_round_layer_route_colour (guint index);

G_END_DECLS
