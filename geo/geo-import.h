#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoImportProgressFunc:
 * @rows: data rows read so far
 * @fraction: 0..1, or -1 when the size of the input is not known
 *
 * Called from the importing thread every few thousand rows and once at the end.
 */
typedef void (*GeoImportProgressFunc) (guint64 rows, double fraction, gpointer user_data);

/* What to do with a NIK that is already in the database or earlier in the file. */
typedef enum
{
  GEO_IMPORT_DUPLICATE_REJECT, /* keep the first, reject the later row (default) */
  GEO_IMPORT_DUPLICATE_SKIP,   /* keep the first, skip the later row silently (counted) */
  GEO_IMPORT_DUPLICATE_UPDATE, /* the later row updates the person */
} GeoImportDuplicate;

/**
 * GeoImportReason:
 * Why a row was rejected. geo_import_reason_to_string() gives the stable key used in the
 * report and in the rejects file.
 */
typedef enum
{
  GEO_IMPORT_NIK_LENGTH,
  GEO_IMPORT_NIK_DIGITS,
  GEO_IMPORT_NIK_DATE,
  GEO_IMPORT_NIK_SERIAL,
  GEO_IMPORT_NIK_REGION,
  GEO_IMPORT_NIK_SEX,
  GEO_IMPORT_NIK_BIRTH_DATE,
  GEO_IMPORT_KK_LENGTH,
  GEO_IMPORT_KK_DIGITS,
  GEO_IMPORT_KK_ZEROS,
  GEO_IMPORT_KK_REGION,
  GEO_IMPORT_DUPLICATE_NIK,
  GEO_IMPORT_BAD_SEX,
  GEO_IMPORT_BAD_BIRTH_DATE,
  GEO_IMPORT_BAD_CATEGORY,
  GEO_IMPORT_BAD_COORDINATES,
  GEO_IMPORT_OUTSIDE_INDONESIA,
  GEO_IMPORT_SWAPPED_LAT_LON,
  GEO_IMPORT_UNKNOWN_DESA,
  GEO_IMPORT_NO_LOCATION,
  GEO_IMPORT_BAD_TYPE,
  GEO_IMPORT_MISSING_NAME,
  GEO_IMPORT_BAD_RADIUS,
  GEO_IMPORT_BAD_CAPACITY,
  GEO_IMPORT_BAD_PRIORITY,
  GEO_IMPORT_N_REASONS
} GeoImportReason;

/**
 * GeoImportOptions:
 * @on_duplicate: households only
 * @crs: CRS of x/y columns ("EPSG:32749", any string PROJ/OGR accepts); NULL: EPSG:4326. Spatial
 *   formats use their layer's SRS for their geometries.
 * @fields: (nullable): NULL-terminated "COLUMN=attribute" overrides of the header matching
 * @rejects_path: (nullable): where rejected rows go; NULL: beside the input, STEM.rejects.csv
 * @layer: (nullable): layer name for multi-layer sources; NULL: the first layer
 * @csv_through_ogr: read CSV files through OGR's CSV driver instead of the built-in fast reader
 */
typedef struct
{
  GeoImportDuplicate    on_duplicate;
  const char           *crs;
  const char *const    *fields;
  const char           *rejects_path;
  const char           *layer;
  gboolean              csv_through_ogr;
  GeoImportProgressFunc progress;
  gpointer              progress_data;
} GeoImportOptions;

/**
 * GeoImportReport:
 * Filled by an import; free its contents with geo_import_report_clear().
 * @approximate: rows placed at a desa centroid
 * @rejects_path: the rejects file written, NULL when no row was rejected
 */
typedef struct
{
  gint64  batch_id;
  guint64 read;
  guint64 imported;
  guint64 rejected;
  guint64 skipped;
  guint64 updated;
  guint64 families;
  guint64 no_nik;
  guint64 approximate;
  guint64 reasons[GEO_IMPORT_N_REASONS];
  char   *rejects_path;
} GeoImportReport;

void        geo_import_report_clear (GeoImportReport *report);

const char *geo_import_reason_to_string (GeoImportReason reason);
gboolean    geo_import_duplicate_from_string (const char *str, GeoImportDuplicate *mode);

gboolean    geo_import_households (GeoStore               *store,
                                   const char             *path,
                                   const GeoImportOptions *opts,
                                   GeoImportReport        *report,
                                   GCancellable           *cancellable,
                                   GError                **error);

gboolean    geo_import_resources (GeoStore               *store,
                                  const char             *path,
                                  const GeoImportOptions *opts,
                                  GeoImportReport        *report,
                                  GCancellable           *cancellable,
                                  GError                **error);

G_END_DECLS
