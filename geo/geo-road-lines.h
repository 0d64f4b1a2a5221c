#pragma once

#include <gio/gio.h>

#include "geo-store.h"
#include "geo-types.h"

G_BEGIN_DECLS

/* Road classes for drawing, from the OSM highway tag (see geo_road_class_from_highway). */
typedef enum
{
  GEO_ROAD_MAJOR,    /* motorway, trunk, primary (and their links) */
  GEO_ROAD_MEDIUM,   /* secondary, tertiary */
  GEO_ROAD_MINOR,    /* residential, unclassified, living_street, road */
  GEO_ROAD_SERVICE,  /* service, track, path, footway, cycleway, steps, pedestrian, others */
  GEO_ROAD_N_CLASSES
} GeoRoadClass;

typedef struct
{
  GeoRoadClass klass;
  guint        first_point;
  guint        n_points;
  double       min_lon;
  double       min_lat;
  double       max_lon;
  double       max_lat;
} GeoRoadLine;

/* The project's road segments (table road_segment, filled by `jangkau-cli roads import` from an
 * OSM extract or any line source) as flat arrays for drawing, sorted so that minor classes come
 * first (major roads are drawn on top). Coordinates are lon, lat in EPSG:4326. */
typedef struct
{
  GeoRoadLine *lines;
  guint        n_lines;
  GeoPoint    *points;
  guint        n_points;
  guint        n_by_class[GEO_ROAD_N_CLASSES];
} GeoRoadLines;

GeoRoadClass  geo_road_class_from_highway (const char *highway);
GeoRoadLines *geo_road_lines_load (GeoStore *store, GCancellable *cancellable, GError **error);
void          geo_road_lines_free (GeoRoadLines *roads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoRoadLines, geo_road_lines_free)

G_END_DECLS
