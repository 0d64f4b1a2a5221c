#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

/* The outlines of the project's admin areas as flat arrays, loaded once for drawing.
 * Coordinates are lon, lat in EPSG:4326. Ring r of the set spans
 * points[ring_offsets[r]] .. points[ring_offsets[r + 1] - 1]. */
typedef struct
{
  char        *code; /* dotted Kemendagri code */
  char        *name;
  GeoAreaLevel level;
  double       label_lon; /* a point on the surface, for the label */
  double       label_lat;
  double       min_lon;
  double       min_lat;
  double       max_lon;
  double       max_lat;
  guint        first_ring;
  guint        n_rings;
} GeoAreaShape;

typedef struct
{
  GeoAreaShape *areas;
  guint         n_areas;
  guint        *ring_offsets; /* n_rings + 1 entries */
  guint         n_rings;
  GeoPoint     *points;
  guint         n_points;
} GeoAreaShapes;

GeoAreaShapes *geo_area_shapes_load (GeoStore *store, GCancellable *cancellable, GError **error);
void           geo_area_shapes_free (GeoAreaShapes *shapes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoAreaShapes, geo_area_shapes_free)

G_END_DECLS
