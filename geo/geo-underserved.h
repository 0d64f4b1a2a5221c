#pragma once

#include <gio/gio.h>

#include "geo-nearest.h"

G_BEGIN_DECLS

/* The service radius of a resource whose radius_m is NULL, unless the caller gives one. */
#define GEO_UNDERSERVED_DEFAULT_RADIUS_M 5000.0

/**
 * GeoUnderservedParams:
 * @category_mask: the PMKS categories considered (GEO_CATEGORY_BIT); 0 = all of them
 * @radius_m: when > 0, the service radius of every resource (overrides radius_m)
 * @default_radius_m: the radius of resources without radius_m (> 0)
 * @n_threads: 0 = one per processor
 */
typedef struct
{
  guint32 category_mask;
  double  radius_m;
  double  default_radius_m;
  guint   n_threads;
} GeoUnderservedParams;

/**
 * GeoUnderserved:
 *
 * Per desa (sorted by code): PMKS persons of the selection (persons with at least one
 * considered category), underserved persons, their share (0 when no persons), resources in
 * the desa by PSKS type (by the resource's desa_code), persons per resource (NAN without
 * resources) and the rank (1 = most in need: most underserved persons, then the highest
 * share, then the most PMKS persons, then the code).
 */
typedef struct
{
  guint    n_desa;
  char   **kode_desa;
  guint32 *persons;
  guint32 *underserved;
  double  *share;
  guint32 *resources; /* n_desa * GEO_PSKS_N_TYPES, type t at [d * 12 + t - 1] */
  guint32 *n_resources;
  double  *persons_per_resource;
  guint32 *rank;

  guint8 *person_underserved; /* per selection person: 0 served, 1 underserved, 2 not PMKS */
  guint   total_persons;
  guint   total_underserved;
  guint   persons_without_desa; /* PMKS persons of families without a desa code (no row) */
  double  seconds;              /* wall time of the search */
} GeoUnderserved;

GeoUnderserved *geo_underserved_compute (const GeoSelection         *selection,
                                         const GeoResources         *resources,
                                         GeoIndex                   *index,
                                         const GeoUnderservedParams *params,
                                         GPtrArray                  *extra_desa,
                                         GCancellable               *cancellable,
                                         GError                    **error);
void            geo_underserved_free (GeoUnderserved *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoUnderserved, geo_underserved_free)

G_END_DECLS
