#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GEO_ERROR (geo_error_quark ())

/**
 * GeoError:
 * @GEO_ERROR_FAILED: generic failure
 * @GEO_ERROR_IO: a file could not be read or written
 * @GEO_ERROR_SQL: the database refused a statement
 * @GEO_ERROR_PROJ: a coordinate transformation failed
 * @GEO_ERROR_GDAL: GDAL/OGR could not open, read or write a data source
 * @GEO_ERROR_INVALID: the input is not valid (bad parameter, bad value)
 * @GEO_ERROR_NOT_FOUND: the named record, table or category does not exist
 * @GEO_ERROR_SCHEMA: the database is not a Jangkau project or is newer than this program
 */
typedef enum
{
  GEO_ERROR_FAILED,
  GEO_ERROR_IO,
  GEO_ERROR_SQL,
  GEO_ERROR_PROJ,
  GEO_ERROR_GDAL,
  GEO_ERROR_INVALID,
  GEO_ERROR_NOT_FOUND,
  GEO_ERROR_SCHEMA,
} GeoError;

GQuark geo_error_quark (void);

G_END_DECLS
