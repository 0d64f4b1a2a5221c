#pragma once

/* Internal to geo/: the machinery shared by the households and resources imports. */

#include <ogr_srs_api.h>

#include "geo-import.h"

G_BEGIN_DECLS

/* A table of rows read from any source: the built-in CSV reader or OGR. Values are text;
 * OGR dates come as YYYY-MM-DD, integral numbers without decimals. */
typedef struct _GeoRowSource GeoRowSource;

GeoRowSource *geo_row_source_open (const char *path,
                                   const char *layer,
                                   gboolean    csv_through_ogr,
                                   GError    **error);
void          geo_row_source_free (GeoRowSource *src);
/* A file the built-in CSV reader reads (.csv, .txt). */
gboolean      geo_import_is_csv_path (const char *path);
guint         geo_row_source_n_fields (GeoRowSource *src);
const char   *geo_row_source_field_name (GeoRowSource *src, guint i);
int           geo_row_source_next (GeoRowSource *src, GError **error);
const char   *geo_row_source_value (GeoRowSource *src, int i);
gboolean      geo_row_source_point (GeoRowSource *src, double *x, double *y);
OGRSpatialReferenceH geo_row_source_srs (GeoRowSource *src);
gboolean      geo_row_source_is_spreadsheet (GeoRowSource *src);
double        geo_row_source_fraction (GeoRowSource *src);
gint64        geo_row_source_size_hint (GeoRowSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoRowSource, geo_row_source_free)

/* An attribute the import knows, with the header names that mean it: normalized (lower case,
 * without spaces, dots, underscores, hyphens), separated by '|', in order of preference. */
typedef struct
{
  const char *name;
  const char *synonyms;
} GeoImportAttr;

char     *geo_import_normalize_header (const char *name);
int      *geo_import_map_columns (GeoRowSource        *src,
                                  const GeoImportAttr *attrs,
                                  guint                n_attrs,
                                  const char *const   *overrides,
                                  GError             **error);

/* Coordinates of a row: a point geometry in the layer's SRS, else x/y text columns in opts->crs
 * (EPSG:4326 when NULL), else the centroid of a known desa (approximate). */
typedef struct _GeoLocator GeoLocator;

GeoLocator     *geo_locator_new (GeoStore *store, GeoRowSource *src, const char *crs, GError **error);
void            geo_locator_free (GeoLocator *loc);
GeoImportReason geo_locator_locate (GeoLocator *loc,
                                    const char *x_text,
                                    const char *y_text,
                                    const char *desa,
                                    double     *lon,
                                    double     *lat,
                                    gboolean   *approximate,
                                    char      **detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoLocator, geo_locator_free)

gboolean  geo_import_parse_double (const char *text, double *value);
char     *geo_import_desa_code (const char *text);

/* The rejects CSV, written to a temporary file and renamed into place on success. */
typedef struct _GeoRejects GeoRejects;

GeoRejects *geo_rejects_new (const char *input, const char *path, GeoRowSource *src, GError **error);
gboolean    geo_rejects_add (GeoRejects     *rej,
                             guint64         row,
                             GeoImportReason reason,
                             const char     *detail,
                             GError        **error);
gboolean    geo_rejects_finish (GeoRejects *rej, gboolean keep, char **path, GError **error);
void        geo_rejects_free (GeoRejects *rej);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoRejects, geo_rejects_free)

/* The header tables of each import (for geo_import_preview()). */
const GeoImportAttr *geo_import_household_attrs (guint *n_attrs);
const GeoImportAttr *geo_import_resource_attrs (guint *n_attrs);
const char *const   *geo_import_area_candidates (const char *attr);

gint64   geo_import_begin_batch (GeoStore *store, const char *kind, const char *path, GError **error);
gboolean geo_import_end_batch (GeoStore *store, const GeoImportReport *report, GError **error);

G_END_DECLS
