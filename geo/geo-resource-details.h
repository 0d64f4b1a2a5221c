#pragma once

#include "geo-store.h"

G_BEGIN_DECLS

/* What the map arrays (GeoResources) leave out of a PSKS resource. */
typedef struct
{
  char *contact;  /* NULL when unknown */
  int   capacity; /* -1 when unknown */
} GeoResourceDetails;

gboolean geo_resource_details_load (GeoStore           *store,
                                    gint64              resource_id,
                                    GeoResourceDetails *details,
                                    GError            **error);
void     geo_resource_details_clear (GeoResourceDetails *details);

G_END_DECLS
