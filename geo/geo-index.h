#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GeoIndex:
 *
 * A static in-memory spatial index over points given in EPSG:4326 lon/lat: a k-d tree
 * (leaves of up to 8 points, the median of each range as the split) over the points' UTM
 * coordinates in metres, in the zone of the centre of their extent. Every point carries a
 * 32-bit mask (e.g. the PMKS categories a resource serves); queries pass a mask and match the
 * points sharing a bit with it, and each tree node keeps the union of its points' masks to
 * skip whole subtrees.
 *
 * Distances returned are geodesic metres on WGS84. The tree only narrows the candidates:
 * the projected distance is never larger than the scale bound of the zone (see
 * geo_utm_scale_bound) times the geodesic distance, so the search widens by that factor and
 * the final ranking is by exact geodesic distance.
 *
 * Queries are read-only and may run from several threads at once.
 */
typedef struct _GeoIndex GeoIndex;

/* Matches every point whose mask is not zero. */
#define GEO_INDEX_ANY G_MAXUINT32

typedef gboolean (*GeoIndexPredicate) (guint item, gpointer user_data);

typedef struct
{
  guint  item;       /* the point's position in the arrays given to geo_index_new */
  double distance_m; /* geodesic, WGS84 */
} GeoIndexHit;

GeoIndex *
geo_index_new (const double *lon, const double *lat, const guint32 *masks, guint n, GError **error);
void  geo_index_free (GeoIndex *index);
guint geo_index_get_size (const GeoIndex *index);
int   geo_index_get_epsg (const GeoIndex *index);
void  geo_index_extend_extent (
     GeoIndex *index, double min_lon, double min_lat, double max_lon, double max_lat);

guint   geo_index_nearest (const GeoIndex   *index,
                           double            lon,
                           double            lat,
                           guint             k,
                           double            max_distance_m,
                           guint32           mask,
                           GeoIndexPredicate predicate,
                           gpointer          user_data,
                           GeoIndexHit      *hits,
                           GError          **error);
guint   geo_index_nearest_xy (const GeoIndex   *index,
                              double            lon,
                              double            lat,
                              double            x,
                              double            y,
                              guint             k,
                              double            max_distance_m,
                              guint32           mask,
                              GeoIndexPredicate predicate,
                              gpointer          user_data,
                              GeoIndexHit      *hits);
GArray *geo_index_within (const GeoIndex   *index,
                          double            lon,
                          double            lat,
                          double            radius_m,
                          guint32           mask,
                          GeoIndexPredicate predicate,
                          gpointer          user_data,
                          GError          **error);
void    geo_index_within_xy (const GeoIndex   *index,
                             double            lon,
                             double            lat,
                             double            x,
                             double            y,
                             double            radius_m,
                             guint32           mask,
                             GeoIndexPredicate predicate,
                             gpointer          user_data,
                             GArray           *hits);
/* Called for each matching point within the projected radius, in no particular order, with
 * its squared projected distance; returns FALSE to stop. May narrow *mask as it goes. */
typedef gboolean (*GeoIndexVisitor) (guint item, double d2_projected, gpointer user_data);

void   geo_index_visit_xy (const GeoIndex *index,
                           double          x,
                           double          y,
                           double          radius_projected,
                           guint32        *mask,
                           GeoIndexVisitor visitor,
                           gpointer        user_data);
double geo_index_scale_bound (const GeoIndex *index, double lon, double lat);

GArray *geo_index_bbox (const GeoIndex *index,
                        double          min_lon,
                        double          min_lat,
                        double          max_lon,
                        double          max_lat,
                        GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoIndex, geo_index_free)

G_END_DECLS
