#pragma once

#include <gio/gio.h>

#include "geo-roads.h"
#include "geo-selection.h"
#include "geo-store.h"

G_BEGIN_DECLS

/* Outreach rounds (issue 5): choose target families, plan their visits over teams and days
 * with the VRP heuristic (geo-vrp.h) on geodesic or road travel costs, store the round, and
 * load it back for the exports and the route sheets.
 *
 * Times are minutes since midnight; distances metres; teams, days and sequence numbers start
 * at 1. Coordinates EPSG:4326 lon/lat. */

/* Most target families in one round: the cost matrices grow with the square of the targets
 * (5,000 targets: 200 MB per matrix) and the heuristic with its cube; geo_round_plan() refuses
 * more, asking for a narrower selection. */
#define GEO_ROUND_MAX_TARGETS 5000

typedef enum
{
  GEO_ROUND_COST_AUTO,     /* roads when the project has road segments, else geodesic */
  GEO_ROUND_COST_GEODESIC, /* geodesic distance x detour factor at the vehicle's speed */
  GEO_ROUND_COST_ROADS,    /* Dijkstra on the project's road graph */
} GeoRoundCostModel;

typedef enum
{
  GEO_ROUND_STOP_PLANNED,
  GEO_ROUND_STOP_UNREACHABLE, /* no road path between it and the depot */
  GEO_ROUND_STOP_NOT_SNAPPED, /* farther from any usable road than the maximum snap distance */
  GEO_ROUND_STOP_TIME_WINDOW, /* its window cannot be met even as a day's only visit */
  GEO_ROUND_STOP_WORKING_DAY, /* depot - family - depot plus the visit exceeds the working day */
  GEO_ROUND_STOP_NO_CAPACITY, /* feasible alone, but every team-day is full */
} GeoRoundStopStatus;

const char *geo_round_stop_status_to_string (GeoRoundStopStatus status);
gboolean    geo_round_stop_status_from_string (const char *str, GeoRoundStopStatus *status);
/* A sentence for people: "farther than the maximum distance from any road"... */
const char *geo_round_stop_status_describe (GeoRoundStopStatus status);

/* An optional time window for one family (minutes since midnight, earliest and latest start). */
typedef struct
{
  gint64 family_id;
  double open_min;
  double close_min;
} GeoRoundWindow;

/**
 * GeoRoundParams:
 * @filter: (nullable): the persons whose families are targets; NULL: every family with a person
 * @within: (nullable): a polygon drawn on the map, as WKT, GeoJSON (geometry, feature or
 *   collection) or the path of a file holding either; only families inside it are targets
 * @include_requeued: also take the families whose last visit was "not at home" or "not
 *   reachable" (family.requeue, kept by geo_visit_log()), within the same areas and polygon,
 *   even when no person of theirs matches the filter any more
 * @vehicle: every team's vehicle unless @team_vehicles is given
 * @speed_kmh: geodesic model's average speed; <= 0: the vehicle's default
 * @team_vehicles: (nullable) (array length=n_teams): a vehicle per team (a mixed fleet)
 * @team_speeds_kmh: (nullable) (array length=n_teams): geodesic model: a speed per team;
 *   entries <= 0 (or a NULL array): @speed_kmh, then the team's vehicle's default
 * @max_snap_m: road model: targets farther from a usable road are reported, not planned
 * @access_kmh: road model: speed of the leg between a house and its road (on foot: 5)
 * @max_priority: 0: any family; 1: only urgent ones (family.priority 1); 2: urgent and high.
 *   Whatever the filter, the planner places the more urgent targets first when not every
 *   target fits in the teams x days; the others are reported unplanned (no capacity).
 * @progress: (nullable): called from the planning thread with the fraction done: targets
 *   selected 5 %, road travel matrices up to 55 % (road model), the solver up to 95 %, stored 100 %
 */
typedef struct
{
  const char           *name;
  const GeoFilter      *filter;
  const char           *within;
  gboolean              include_requeued;
  GeoPoint              depot;
  guint                 n_teams;
  guint                 n_days;
  double                day_start_min;
  double                day_end_min;
  double                visit_min;
  guint                 max_visits;
  GeoVehicle            vehicle;
  double                speed_kmh;
  double                detour_factor;
  GeoRoundCostModel     cost_model;
  double                max_snap_m;
  double                access_kmh;
  gboolean              use_oneway;
  const GeoRoundWindow *windows;
  guint                 n_windows;
  const GeoVehicle     *team_vehicles;
  const double         *team_speeds_kmh;
  guint                 max_priority;
  GeoProgressFunc       progress;
  gpointer              progress_data;
} GeoRoundParams;

void geo_round_params_init (GeoRoundParams *params);

/**
 * geo_round_plan:
 * @graph: (nullable): a road graph for the round's vehicle; NULL: loaded from the project when
 *   the cost model needs it
 *
 * Selects the targets, plans them and stores the round with one row per target: planned stops
 * with team, day, sequence and times, the others with the reason they could not be planned.
 * Returns: the new round's id, or 0 with @error set.
 */
gint64 geo_round_plan (GeoStore             *store,
                       const GeoRoundParams *params,
                       GeoRoadGraph         *graph,
                       GCancellable         *cancellable,
                       GError              **error);

typedef enum
{
  GEO_ROUND_PERSONAL_NONE,   /* no names, no NIK (the default of every output) */
  GEO_ROUND_PERSONAL_MASKED, /* names and masked NIKs (geo_round_mask_nik) */
  GEO_ROUND_PERSONAL_FULL,   /* names and full NIKs */
} GeoRoundPersonalData;

typedef struct
{
  char   *name;
  char   *nik; /* NULL when the person has none yet */
  guint32 categories;
} GeoRoundPerson;

typedef struct
{
  gint64             family_id;
  GeoRoundStopStatus status;
  guint              team, day, seq; /* 0 when not planned */
  GeoPoint           pos;
  double             arrive_min, start_min, depart_min;
  double             open_min, close_min; /* < 0: no window */
  double             leg_m;               /* from the previous stop or the depot */
  double             snap_m;              /* < 0: not computed (geodesic model) */
  gboolean           requeued;
  int                priority; /* 1 urgent, 2 high, 3 normal (the family's when planned) */
  char              *address, *rt, *rw, *desa_code, *desa_name;
  guint32            categories; /* union of the family's persons' PMKS categories */
  guint              n_persons;
  GPtrArray         *persons; /* GeoRoundPerson; NULL without personal data */
} GeoRoundStop;

typedef struct
{
  guint   team, day, n_stops;
  double  start_min, end_min, travel_min, distance_m;
  GArray *line; /* GeoPoint, depot to depot (along the roads with the road model) */
} GeoRoundRoute;

typedef struct
{
  guint  team;
  char  *name;    /* "Tim 1" */
  char  *vehicle; /* "car", "motorbike" */
  double speed_kmh;
} GeoRoundTeam;

typedef struct
{
  gint64     id;
  char      *name;
  char      *created_at;
  GeoPoint   depot;
  guint      n_teams, n_days, max_visits;
  double     day_start_min, day_end_min, visit_min;
  char      *vehicle;   /* team 1's (see @teams for a mixed fleet) */
  double     speed_kmh; /* team 1's */
  char      *cost_model;
  double     detour_factor;
  char      *selection;
  guint      n_targets, n_planned, n_unplanned;
  double     total_m, total_travel_min;
  GPtrArray *stops;  /* GeoRoundStop: planned ones by team, day, seq; then the others */
  GPtrArray *routes; /* GeoRoundRoute by team, day; NULL for a header only */
  GPtrArray *teams;  /* GeoRoundTeam by team; NULL for a header only */
} GeoRound;

GeoRound *
geo_round_load (GeoStore *store, gint64 id, GeoRoundPersonalData personal, GError **error);
/* Every round's header (no stops, no routes), newest first. */
GPtrArray *geo_round_list (GeoStore *store, GError **error);
void       geo_round_free (GeoRound *round);
/* Planned stops of one team-day in order (borrowed pointers into @round). */
GPtrArray           *geo_round_day_stops (const GeoRound *round, guint team, guint day);
const GeoRoundRoute *geo_round_get_route (const GeoRound *round, guint team, guint day);
/* The team's row (vehicle, speed); NULL when out of range or for a header only. */
const GeoRoundTeam *geo_round_get_team (const GeoRound *round, guint team);

/* Desa outlines (rings as GArrays of GeoPoint) intersecting a box, for maps of a round. */
GPtrArray *geo_round_area_outlines (GeoStore *store,
                                    double    min_lon,
                                    double    min_lat,
                                    double    max_lon,
                                    double    max_lat,
                                    GError  **error);

/* "3402011234560001" -> "340201******0001": the kecamatan and the last four digits. */
char *geo_round_mask_nik (const char *nik);
/* "08:05" from minutes since midnight. */
char    *geo_round_format_time (double minutes);
gboolean geo_round_parse_time (const char *str, double *minutes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoRound, geo_round_free)

G_END_DECLS
