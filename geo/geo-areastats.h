#pragma once

#include <gio/gio.h>

#include "geo-selection.h"
#include "geo-store.h"

G_BEGIN_DECLS

/**
 * GeoAreaIndex:
 *
 * The polygons of one level of the area table loaded once into flat arrays with a uniform grid
 * over their bounding boxes, for point-in-polygon lookups of many points (even-odd rule over
 * every ring, so holes and multipolygons work). Areas are ordered by code. Coordinates are
 * EPSG:4326 lon/lat degrees.
 */
typedef struct _GeoAreaIndex GeoAreaIndex;

GeoAreaIndex *geo_area_index_load (GeoStore *store, GeoAreaLevel level, GError **error);
void          geo_area_index_free (GeoAreaIndex *index);
guint         geo_area_index_get_n_areas (const GeoAreaIndex *index);
const char   *geo_area_index_get_code (const GeoAreaIndex *index, guint i);
const char   *geo_area_index_get_name (const GeoAreaIndex *index, guint i);
const char   *geo_area_index_get_parent (const GeoAreaIndex *index, guint i);
void          geo_area_index_get_bbox (const GeoAreaIndex *index, guint i, double bbox[4]);
GeoPoint      geo_area_index_get_centroid (const GeoAreaIndex *index, guint i);
double        geo_area_index_get_area_deg2 (const GeoAreaIndex *index, guint i);
int           geo_area_index_lookup (const GeoAreaIndex *index, const char *code);
gboolean      geo_area_index_contains (const GeoAreaIndex *index, guint i, double lon, double lat);
int           geo_area_index_locate (const GeoAreaIndex *index, double lon, double lat);
guint32      *geo_area_index_assign (const GeoAreaIndex *desa, const GeoSelection *sel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoAreaIndex, geo_area_index_free)

/**
 * GeoAreaCount:
 * @families: selected families whose location falls in the area
 * @persons: selected persons of those families
 * @no_nik: of @persons, those without a NIK yet
 * @approx_families, @approx_persons: families (and their persons) located at a desa centroid
 * @cat_persons: persons per PMKS category (index code - 1)
 * @cat_families: families with at least one selected person in the category
 */
typedef struct
{
  char *code;
  char *name;
  char *parent_code;
  guint families;
  guint persons;
  guint no_nik;
  guint approx_families;
  guint approx_persons;
  guint cat_persons[GEO_PMKS_N_CATEGORIES];
  guint cat_families[GEO_PMKS_N_CATEGORIES];
} GeoAreaCount;

/**
 * GeoAreaStats:
 * @level: the level of @areas (kecamatan or desa; provinsi and kabupaten work the same way)
 * @areas: one row per area of @level, ordered by code, including areas with no one
 * @unassigned: families outside every desa and without a known desa code (@code is NULL)
 * @total: the whole selection
 * @by_polygon: families assigned by point-in-polygon
 * @by_code: families assigned by their desa code (approximate locations and points in gaps)
 */
typedef struct
{
  GeoAreaLevel  level;
  guint         n_areas;
  GeoAreaCount *areas;
  GeoAreaCount  unassigned;
  GeoAreaCount  total;
  guint         by_polygon;
  guint         by_code;
} GeoAreaStats;

GeoAreaStats *geo_area_stats_compute (GeoStore        *store,
                                      GeoAreaLevel     level,
                                      const GeoFilter *filter,
                                      GCancellable    *cancellable,
                                      GError         **error);
void          geo_area_stats_free (GeoAreaStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoAreaStats, geo_area_stats_free)

G_END_DECLS
