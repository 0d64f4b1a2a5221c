#pragma once

#include <gio/gio.h>

#include "geo-area-shapes.h"
#include "geo-selection.h"
#include "geo-store.h"
#include "map-point-index.h"

G_BEGIN_DECLS

#define APP_TYPE_PROJECT (app_project_get_type ())
G_DECLARE_FINAL_TYPE (AppProject, app_project, APP, PROJECT, GObject)

/* Index 0 counts persons/families without a PMKS category; 1-26 the categories. */
#define APP_N_COUNTS 27

void           app_project_load_async (const char         *path,
                                       gboolean            create,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
AppProject    *app_project_load_finish (GAsyncResult *result, GError **error);

const char    *app_project_get_path (AppProject *self);
char          *app_project_dup_title (AppProject *self);
GeoStore      *app_project_get_store (AppProject *self);
GeoSelection  *app_project_get_selection (AppProject *self);
MapPointIndex *app_project_steal_index (AppProject *self);
GeoAreaShapes *app_project_steal_shapes (AppProject *self);
guint          app_project_get_n_areas (AppProject *self);
const guint   *app_project_get_person_counts (AppProject *self);
const guint   *app_project_get_family_counts (AppProject *self);
gboolean       app_project_get_extent (AppProject *self,
                                       double     *min_lon,
                                       double     *min_lat,
                                       double     *max_lon,
                                       double     *max_lat);
gboolean       app_project_find_family (AppProject *self, gint64 family_id, guint *index);

G_END_DECLS
