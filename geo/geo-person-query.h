#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

typedef enum
{
  GEO_PERSON_SORT_ID,
  GEO_PERSON_SORT_NAME,
  GEO_PERSON_SORT_NIK,
  GEO_PERSON_SORT_DESA,
  GEO_PERSON_SORT_STATUS,
} GeoPersonSort;

/**
 * GeoPersonFilter:
 * @text: (nullable): as geo_person_search(): NIK or desa code prefix, name or desa name part
 * @categories: PMKS categories (bit code - 1) the person has (not closed); 0 = any
 * @status: (nullable): a verivali state name one of the person's memberships is in (with
 *   @categories, one of those memberships)
 * @area: (nullable): a desa code, or a kecamatan / kabupaten code prefix (34.02.01)
 * @loc_source: -1 for any, else a #GeoLocSource of the family's point
 * @sort: the order; ties by id
 * @descending: reverse the order
 */
typedef struct
{
  const char   *text;
  guint32       categories;
  const char   *status;
  const char   *area;
  int           loc_source;
  GeoPersonSort sort;
  gboolean      descending;
} GeoPersonFilter;

#define GEO_PERSON_FILTER_INIT                                                                     \
  {                                                                                                \
    NULL, 0, NULL, NULL, -1, GEO_PERSON_SORT_ID, FALSE                                             \
  }

gint64 *geo_person_query (GeoStore              *store,
                          const GeoPersonFilter *filter,
                          gsize                 *n_ids,
                          GCancellable          *cancellable,
                          GError               **error);

/* The kecamatans and desas of the project, by code: the table's area filter. */
typedef struct
{
  char        *code;
  char        *name;
  GeoAreaLevel level;
} GeoAreaEntry;

GPtrArray *geo_area_list (GeoStore *store, GError **error);

G_END_DECLS
