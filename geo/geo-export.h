#pragma once

#include <gio/gio.h>

#include "geo-selection.h"
#include "geo-types.h"
#include "geo-store.h"

G_BEGIN_DECLS

typedef enum
{
  GEO_EXPORT_FAMILIES,
  GEO_EXPORT_PERSONS,
  GEO_EXPORT_RESOURCES,
  GEO_EXPORT_AREAS,
} GeoExportTable;


/**
 * GeoExportOptions:
 * @table: what to export
 * @format: (nullable): an OGR driver name or a short name (gpkg, geojson, csv, kml, shp);
 *   NULL = from the output's extension
 * @crs: (nullable): the output CRS, "EPSG:N" or anything OGR accepts; NULL = EPSG:4326
 * @include_personal_data: write NIK, No. KK and names in full (else masked, see geo-mask.h)
 * @filter: (nullable): the selection (persons, families); for resources and areas only its
 *   areas apply (desa code / area code under one of them); NULL or empty = everything
 * @progress: (nullable): progress callback, at most every few thousand rows
 */
typedef struct
{
  GeoExportTable   table;
  const char      *format;
  const char      *crs;
  gboolean         include_personal_data;
  const GeoFilter *filter;
  GeoProgressFunc  progress;
  gpointer         progress_data;
} GeoExportOptions;

const char *geo_export_table_to_string (GeoExportTable table);
gboolean    geo_export_table_from_string (const char *str, GeoExportTable *table);
const char *geo_export_driver_name (const char *path, const char *format, GError **error);
gboolean    geo_export (GeoStore               *store,
                        const char             *path,
                        const GeoExportOptions *opts,
                        guint64                *n_written,
                        GCancellable           *cancellable,
                        GError                **error);

G_END_DECLS
