#pragma once

#include <gio/gio.h>

#include "geo-index.h"
#include "geo-selection.h"
#include "geo-store.h"

G_BEGIN_DECLS

/* Every PMKS category bit (1-26): the mask of a resource serving every category. */
#define GEO_CATEGORY_ALL ((1u << GEO_PMKS_N_CATEGORIES) - 1)

/**
 * GeoResources:
 *
 * PSKS resources loaded into arrays (EPSG:4326 lon/lat), ordered by id.
 * @serves: the PMKS categories served, one bit per code (GEO_CATEGORY_BIT); a resource with
 *   no resource_serves rows serves every category (%GEO_CATEGORY_ALL).
 * @radius_m: the service radius in metres, NAN when the resource has none.
 */
typedef struct
{
  guint    n;
  gint64  *id;
  guint8  *type;
  double  *lon;
  double  *lat;
  double  *radius_m;
  guint32 *serves;
  char   **name;
  char   **desa_code; /* NULL entries when unknown */
} GeoResources;

GeoResources *geo_resources_load (GeoStore *store, guint32 type_mask, GError **error);
void          geo_resources_free (GeoResources *resources);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoResources, geo_resources_free)

/* Bit (type - 1) of a 12-bit PSKS type mask; 0 as a type mask means every type. */
#define GEO_TYPE_BIT(type) (1u << ((type) -1))

GeoIndex *geo_resources_build_index (const GeoResources *resources, GError **error);

GArray *geo_nearest_point (const GeoResources *resources,
                           const GeoIndex     *index,
                           double              lon,
                           double              lat,
                           guint               k,
                           double              radius_m,
                           guint32             category_mask,
                           GError            **error);

/**
 * GeoNearestAll:
 *
 * The result of geo_nearest_all, one entry per family of the selection.
 * @resource: index into the GeoResources, -1 when no resource matches
 * @distance_m: geodesic metres (WGS84), NAN when no resource matches
 */
typedef struct
{
  guint   n;
  gint32 *resource;
  double *distance_m;
  double  seconds; /* wall time of the search (projection + queries) */
} GeoNearestAll;

GeoNearestAll *geo_nearest_all (const GeoResources *resources,
                                GeoIndex           *index,
                                const double       *lon,
                                const double       *lat,
                                const guint32      *family_masks,
                                guint               n,
                                guint32             category_mask,
                                guint               n_threads,
                                GCancellable       *cancellable,
                                GError            **error);
void           geo_nearest_all_free (GeoNearestAll *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoNearestAll, geo_nearest_all_free)

G_END_DECLS
