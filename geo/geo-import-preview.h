#pragma once

#include <gio/gio.h>

#include "geo-import.h"

G_BEGIN_DECLS

typedef enum
{
  GEO_IMPORT_KIND_HOUSEHOLDS,
  GEO_IMPORT_KIND_RESOURCES,
  GEO_IMPORT_KIND_AREAS,
} GeoImportKind;

/**
 * GeoImportPreview:
 * The first rows of an input and the field mapping the import would use.
 * @columns: (array length=n_columns): the input's column names
 * @mapping: (array length=n_columns): per column, the attribute it is read as, NULL when unused
 * @attributes: NULL-terminated: every attribute the kind knows (for households and resources
 *   the names `--field COLUMN=attribute` accepts; for areas "code", "name", "level",
 *   "population")
 * @rows: (element-type GStrv): the first rows, @n_columns values each
 * @has_geometry: the source has a geometry (spatial formats); its point/polygon is used
 */
typedef struct
{
  guint      n_columns;
  char     **columns;
  char     **mapping;
  char     **attributes;
  GPtrArray *rows;
  gboolean   has_geometry;
} GeoImportPreview;

GeoImportPreview *geo_import_preview (const char        *path,
                                      GeoImportKind      kind,
                                      const char *const *overrides,
                                      guint              max_rows,
                                      GError           **error);
GeoImportPreview *geo_import_preview_layer (const char        *path,
                                            const char        *layer,
                                            GeoImportKind      kind,
                                            const char *const *overrides,
                                            guint              max_rows,
                                            GError           **error);
char            **geo_import_list_layers (const char *path, GError **error);
void              geo_import_preview_free (GeoImportPreview *preview);
int         geo_import_preview_find_column (const GeoImportPreview *preview, const char *attribute);
const char *geo_import_reason_field (GeoImportReason reason);
gboolean    geo_import_reason_from_string (const char *key, GeoImportReason *reason);

/**
 * GeoImportReject:
 * One row of a rejects file (see geo_import_households()).
 * @row: the 1-based data-row number in the input
 * @field: the attribute the reason is about (geo_import_reason_field())
 */
typedef struct
{
  guint64         row;
  GeoImportReason reason;
  const char     *field;
  char           *detail;
} GeoImportReject;

GArray *
geo_import_read_rejects (const char *path, guint max_rows, guint64 *n_total, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoImportPreview, geo_import_preview_free)

G_END_DECLS
