#pragma once

#include <gio/gio.h>

#include "geo-types.h"

#include "geo-store.h"

G_BEGIN_DECLS

/* Road distances for outreach rounds: road segments stored in the project (any OGR line
 * source, OSM extracts through GDAL's OSM driver), a routable graph built in memory from them,
 * snapping of targets onto the nearest usable road, and cost matrices by Dijkstra.
 *
 * Coordinates are EPSG:4326 lon/lat; lengths are geodesic metres on the WGS84 ellipsoid; times
 * are minutes. The extent check for Indonesia applies to households, never to roads. */

typedef enum
{
  GEO_VEHICLE_CAR,
  GEO_VEHICLE_MOTORBIKE,
} GeoVehicle;

const char *geo_vehicle_to_string (GeoVehicle vehicle);
gboolean    geo_vehicle_from_string (const char *str, GeoVehicle *vehicle);
/* Average door-to-door speed for the geodesic cost model (with a detour factor), km/h. */
double geo_vehicle_default_speed_kmh (GeoVehicle vehicle);
/* Speed on a road of OSM class @highway (`primary`, `residential_link`...), km/h; 0 when the
 * vehicle may not use it (motorbikes on toll roads, cars on footways, steps...). */
double geo_road_speed_kmh (const char *highway, GeoVehicle vehicle);

typedef struct
{
  guint read;     /* features read */
  guint imported; /* road segments stored (a multi-line gives one per part) */
  guint skipped;  /* no road class (waterways, barriers...), no line geometry */
} GeoRoadsImportReport;

/**
 * geo_roads_import:
 * @layer: (nullable): layer name; NULL: `lines` for an OSM file, else the first line layer
 * @replace: delete every stored road segment first
 *
 * Imports road lines into the `road_segment` table in one transaction. The road class comes
 * from the first field among highway, osm_type, fclass, road_class (a line without one is
 * skipped when such a field exists, and stored as `road` when none does); one-way from a
 * `oneway` field or OSM `other_tags`.
 */
gboolean geo_roads_import (GeoStore             *store,
                           const char           *path,
                           const char           *layer,
                           gboolean              replace,
                           GeoRoadsImportReport *report,
                           GCancellable         *cancellable,
                           GError              **error);

typedef struct _GeoRoadGraph GeoRoadGraph;

/* Nodes at shared vertices (coordinates equal to 1e-7 degree), one edge per pair of consecutive
 * vertices, only roads the vehicle may use. With @use_oneway, one-way roads are travelled in their
 * direction only. NULL with GEO_ERROR_NOT_FOUND when the project has no usable road. */
GeoRoadGraph *geo_road_graph_load (GeoStore     *store,
                                   GeoVehicle    vehicle,
                                   gboolean      use_oneway,
                                   GCancellable *cancellable,
                                   GError      **error);
/* The same from lines in memory (@highway and @oneway may be NULL: `road`, both ways). */
GeoRoadGraph *geo_road_graph_new (const GeoPoint *const *lines,
                                  const guint           *n_points,
                                  const char *const     *highway,
                                  const int             *oneway,
                                  guint                  n_lines,
                                  GeoVehicle             vehicle,
                                  gboolean               use_oneway);
void          geo_road_graph_free (GeoRoadGraph *graph);
guint         geo_road_graph_get_n_nodes (const GeoRoadGraph *graph);
guint         geo_road_graph_get_n_edges (const GeoRoadGraph *graph);

/**
 * GeoRoadSnap:
 * @snapped: FALSE when no usable road lies within the maximum distance (only the largest
 *   connected part of the network is used: isolated fragments would be unreachable)
 * @edge: the edge snapped to; @t: position along it (0 at its first node, 1 at its second)
 * @on_road: the nearest point on that edge
 * @snap_m: geodesic metres from the point to @on_road (to the nearest road even when farther
 *   than the maximum; G_MAXDOUBLE when the graph has no edge)
 */
typedef struct
{
  gboolean snapped;
  guint    edge;
  double   t;
  GeoPoint on_road;
  double   snap_m;
} GeoRoadSnap;

void geo_road_graph_snap (const GeoRoadGraph *graph,
                          const GeoPoint     *points,
                          guint               n_points,
                          double              max_snap_m,
                          GeoRoadSnap        *snaps);

/**
 * geo_road_graph_matrix:
 * @access_kmh: speed of the leg between a point and its snapped position on the road
 * @travel_min: (out caller-allocates): @n^2 fastest travel times in minutes (row = from)
 * @distance_m: (out caller-allocates) (nullable): metres along those fastest paths
 *
 * One Dijkstra per point (by travel time), spread over every core. Entries between points not
 * snapped or not connected are INFINITY; the diagonal is 0.
 */
gboolean geo_road_graph_matrix (const GeoRoadGraph *graph,
                                const GeoRoadSnap  *snaps,
                                guint               n,
                                double              access_kmh,
                                double             *travel_min,
                                double             *distance_m,
                                GCancellable       *cancellable,
                                GError            **error);
gboolean geo_road_graph_matrix_with_progress (const GeoRoadGraph *graph,
                                              const GeoRoadSnap  *snaps,
                                              guint               n,
                                              double              access_kmh,
                                              double             *travel_min,
                                              double             *distance_m,
                                              GeoProgressFunc     progress,
                                              gpointer            progress_data,
                                              GCancellable       *cancellable,
                                              GError            **error);

/* The fastest road path between two snapped points as a polyline from @from (the point itself),
 * along the roads, to @to; NULL when they are not connected. */
GArray *geo_road_graph_path (const GeoRoadGraph *graph,
                             const GeoPoint     *from,
                             const GeoRoadSnap  *from_snap,
                             const GeoPoint     *to,
                             const GeoRoadSnap  *to_snap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoRoadGraph, geo_road_graph_free)

G_END_DECLS
