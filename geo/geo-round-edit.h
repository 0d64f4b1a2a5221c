#pragma once

#include <gio/gio.h>

#include "geo-roads.h"
#include "geo-round.h"

G_BEGIN_DECLS

/* Editing a planned round by hand: a new visiting order for one team-day (the app's stop
 * list), with times, leg lengths, the route line and the totals recomputed the way the planner
 * computes them, then stored.
 *
 * Travel costs follow the round's cost model: geodesic metres x the round's detour factor at
 * the team's speed; with the road model, fastest road paths on @graph (a graph for the team's
 * vehicle, geo_road_graph_load()), houses joined to their road on foot at 5 km/h. */

/**
 * geo_round_reorder_day:
 * @round: a round from geo_round_load() (with stops and routes); changed in place
 * @family_ids: (array length=n): the day's families in their new order (the same set)
 * @graph: (nullable): the road graph of the team's vehicle; required for road rounds
 * @feasible: (out) (optional): FALSE when the new order breaks a time window or ends after
 *   the working day (the order is applied anyway: the user decides)
 *
 * Returns: FALSE with @error set when @family_ids is not the day's set of families, or a leg
 *   has no road path.
 */
gboolean geo_round_reorder_day (GeoRound     *round,
                                guint         team,
                                guint         day,
                                const gint64 *family_ids,
                                guint         n,
                                GeoRoadGraph *graph,
                                gboolean     *feasible,
                                GError      **error);

/* Writes one team-day of @round (seq, times, legs, the route row and line) and the round's
 * totals back to the project, in one transaction. */
gboolean
geo_round_save_day (GeoStore *store, const GeoRound *round, guint team, guint day, GError **error);

G_END_DECLS
