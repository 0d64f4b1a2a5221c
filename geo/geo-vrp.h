#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

/* Multi-day, multi-team home-visit rounds: a capacitated, time-limited vehicle-routing
 * heuristic with time windows.
 *
 * Node 0 of the cost matrices is the depot (the office); node i + 1 is target i. Every route is
 * one team on one day: it leaves the depot at the start of the working day, visits its targets
 * (waiting when it arrives before a target's window opens) and is back at the depot by the end
 * of the working day. Times are minutes since midnight; travel times in minutes.
 *
 * Construction: regret-2 insertion over all team-day routes, routes seeded with the targets
 * farthest from the depot; insertion cost is the added travel time plus a small load-balancing
 * term. Improvement: Or-opt and 2-opt inside each route, relocate and exchange between routes,
 * every move checked against time windows, working hours and the visit limit, then a second
 * insertion pass for anything still unplanned. Targets that cannot be planned are reported
 * with a reason. Deterministic.
 *
 * Priorities: construction inserts the urgent targets (priority 1) first, then the high ones,
 * then the rest, so capacity goes to the more urgent targets; after the improvement an
 * unplanned target takes the place of a planned one of lower priority when it fits there. */

typedef struct
{
  double service_min; /* minutes spent at the target */
  double open_min;    /* earliest start of the visit; < 0: no window */
  double close_min;   /* latest start of the visit; < 0: no window */
  int    priority;    /* 1 urgent, 2 high, 3 normal; 0 (or anything else): normal */
} GeoVrpTarget;

typedef struct
{
  guint  n_teams;
  guint  n_days;
  double day_start_min;      /* e.g. 8:00 = 480 */
  double day_end_min;        /* back at the depot by then */
  guint  max_visits_per_day; /* per team and day; 0: no limit */
  double balance_weight;     /* weight of the quadratic load term: a route as long as the
                                working day costs this many day lengths extra; < 0: 1 */
  /* Mixed fleets: (nullable) n_teams matrices like geo_vrp_solve()'s, one per team (its
   * vehicle's travel times and distances); a NULL array or entry: the shared matrix. Teams may
   * share a pointer. */
  const double *const *team_travel_min;
  const double *const *team_distance_m;
  /* (nullable): called from the solving thread; construction is the first 30 %, improvement
   * passes the rest (the last pass may end early: the fraction then jumps to 1). */
  GeoProgressFunc progress;
  gpointer        progress_data;
} GeoVrpOptions;

typedef enum
{
  GEO_VRP_PLANNED,
  GEO_VRP_UNREACHABLE, /* travel cost infinite (no road, not snapped) */
  GEO_VRP_TIME_WINDOW, /* cannot be visited within its window even as the only stop */
  GEO_VRP_WORKING_DAY, /* depot - target - depot plus the visit exceeds the working day */
  GEO_VRP_NO_CAPACITY, /* feasible alone, but no team-day has room left */
} GeoVrpStatus;

typedef struct
{
  guint   team;
  guint   day;
  guint   n_stops;
  guint  *stops;      /* target indices (0-based) in visiting order */
  double *arrive_min; /* arrival at each stop (before any wait) */
  double *start_min;  /* start of each visit (after waiting for the window) */
  double *depart_min;
  double  end_min; /* back at the depot */
  double  travel_min;
  double  distance_m; /* from the distance matrix; 0 without one */
} GeoVrpRoute;

typedef struct
{
  guint         n_targets;
  guint         n_routes; /* n_teams * n_days; route r is team r % n_teams, day r / n_teams */
  GeoVrpRoute  *routes;
  GeoVrpStatus *status; /* per target */
  guint         n_planned;
  guint         n_unplanned;
  double        total_travel_min;
  double        total_distance_m;
} GeoVrpSolution;

void geo_vrp_options_init (GeoVrpOptions *options);

GeoVrpSolution *geo_vrp_solve (const GeoVrpTarget  *targets,
                               guint                n_targets,
                               const double        *travel_min,
                               const double        *distance_m,
                               const GeoVrpOptions *options,
                               GCancellable        *cancellable,
                               GError             **error);
void            geo_vrp_solution_free (GeoVrpSolution *solution);
const char     *geo_vrp_status_to_string (GeoVrpStatus status);

double *geo_vrp_geodesic_matrix (const GeoPoint *points, guint n_points);
double *geo_vrp_travel_matrix (const double *distance_m,
                               guint         n_points,
                               double        detour_factor,
                               double        speed_kmh);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoVrpSolution, geo_vrp_solution_free)

G_END_DECLS
