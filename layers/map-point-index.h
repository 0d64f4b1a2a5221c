#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An in-memory index of family points for drawing and hit-testing at any zoom level.
 *
 * Points are stored in normalized Web Mercator coordinates (x, y in [0, 1], y down, as
 * libshumate's tiles) and sorted by their Morton (Z-order) key on a 2^24 grid, so every
 * square cell of the tile pyramid (level L, column, row) is one contiguous run of points,
 * found by binary search. For fast clustering at low zoom a pyramid of cluster bins (levels
 * 0 to MAP_POINT_INDEX_PYRAMID_LEVELS - 1) is kept for the currently visible categories. */

#define MAP_POINT_INDEX_KEY_LEVEL      24
#define MAP_POINT_INDEX_PYRAMID_LEVELS 19
/* Category mask bit standing for "no PMKS category" (codes use bits 0-25). */
#define MAP_NO_CATEGORY                (1u << 31)

typedef struct
{
  gint64  id;
  double  lon;
  double  lat;
  guint32 categories; /* bit (code - 1) per PMKS category; 0 = none */
  guint32 n_persons;  /* matching persons in the family */
} MapFamilyPoint;

typedef struct
{
  double  x; /* mean of the member points, normalized Mercator */
  double  y;
  guint64 key; /* Morton key at the bin's level */
  guint32 families;
  guint32 persons;
  guint32 first; /* index of the first sorted point in the bin's run */
  guint8  dominant; /* PMKS code with most families in the bin, 0 = none */
} MapBin;

typedef struct _MapPointIndex MapPointIndex;

MapPointIndex *map_point_index_new (const MapFamilyPoint *points, guint n_points);
void           map_point_index_free (MapPointIndex *index);

guint          map_point_index_get_n_points (MapPointIndex *index);
void           map_point_index_set_visible (MapPointIndex *index, guint32 visible_mask);
guint32        map_point_index_get_visible (MapPointIndex *index);

/* Sorted arrays (index order, not input order). */
const double  *map_point_index_get_x (MapPointIndex *index);
const double  *map_point_index_get_y (MapPointIndex *index);
const gint64  *map_point_index_get_ids (MapPointIndex *index);
const guint32 *map_point_index_get_categories (MapPointIndex *index);
const guint32 *map_point_index_get_persons (MapPointIndex *index);

void           map_point_index_cell_range (MapPointIndex *index,
                                           guint          level,
                                           guint32        column,
                                           guint32        row,
                                           guint         *first,
                                           guint         *end);
const MapBin  *map_point_index_get_bins (MapPointIndex *index, guint level, guint *n_bins);
void           map_point_index_bin_range (MapPointIndex *index,
                                          guint          level,
                                          guint          cell_level,
                                          guint32        column,
                                          guint32        row,
                                          guint         *first,
                                          guint         *end);
gboolean       map_point_index_nearest (MapPointIndex *index,
                                        double         x,
                                        double         y,
                                        double         max_dist,
                                        guint         *found);
gboolean       map_point_index_find_id (MapPointIndex *index, gint64 id, guint *found);
gboolean       map_point_index_update (MapPointIndex        *index,
                                       const MapFamilyPoint *point,
                                       gboolean              remove);

static inline guint32
map_point_index_category_mask (guint32 categories)
{
  return categories != 0 ? categories : MAP_NO_CATEGORY;
}

void           map_lonlat_to_mercator (double lon, double lat, double *x, double *y);
void           map_mercator_to_lonlat (double x, double y, double *lon, double *lat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MapPointIndex, map_point_index_free)

G_END_DECLS
