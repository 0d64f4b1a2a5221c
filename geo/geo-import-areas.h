#pragma once

#include <gio/gio.h>

#include "geo-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char  *layer;       /* NULL: every polygon layer of the source */
  gboolean     level_given; /* TRUE: use @level, else read a level field or infer it from the code */
  GeoAreaLevel level;
  const char  *code_field;  /* NULL: auto-detect (kode, kode_wilayah, code, ...) */
  const char  *name_field;  /* NULL: auto-detect (nama, name, ...) */
} GeoImportAreasOptions;

typedef struct
{
  guint       read;
  guint       imported; /* inserted or replaced */
  guint       replaced; /* of which already in the project (same code) */
  guint       rejected;
  GPtrArray  *rejects;  /* char *: "LAYER feature N: reason" */
  GHashTable *levels;   /* level name -> GUINT_TO_POINTER (count) */
} GeoImportAreasReport;

void     geo_import_areas_report_clear (GeoImportAreasReport *report);
char    *geo_area_code_normalize (const char *code);
gboolean geo_import_areas (GeoStore                    *store,
                           const char                  *path,
                           const GeoImportAreasOptions *opts,
                           GeoImportAreasReport        *report,
                           GCancellable                *cancellable,
                           GError                     **error);

G_END_DECLS
