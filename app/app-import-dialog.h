#pragma once

#include "app-window.h"
#include "geo-import-preview.h"

G_BEGIN_DECLS

#define APP_TYPE_IMPORT_DIALOG (app_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AppImportDialog, app_import_dialog, APP, IMPORT_DIALOG, AdwWindow)

typedef enum
{
  APP_IMPORT_SETUP,
  APP_IMPORT_RUNNING,
  APP_IMPORT_DONE,
  APP_IMPORT_FAILED,
} AppImportState;

AppImportDialog *app_import_dialog_new (AppWindow *window);
void             app_import_dialog_attach (AppWindow *window);

/* Also what the widgets do; for tests and scripting. */
gboolean app_import_dialog_set_file (AppImportDialog *self, const char *path);
gboolean app_import_dialog_set_layer (AppImportDialog *self, const char *layer);
gboolean app_import_dialog_set_crs (AppImportDialog *self, const char *crs);
gboolean app_import_dialog_crs_visible (AppImportDialog *self);
void     app_import_dialog_set_kind (AppImportDialog *self, GeoImportKind kind);
gboolean
app_import_dialog_set_column (AppImportDialog *self, const char *column, const char *attribute);
const GeoImportPreview *app_import_dialog_get_preview (AppImportDialog *self);
void                    app_import_dialog_start (AppImportDialog *self);
void                    app_import_dialog_cancel (AppImportDialog *self);
AppImportState          app_import_dialog_get_state (AppImportDialog *self);
void app_import_dialog_get_counts (AppImportDialog *self, guint64 *imported, guint64 *rejected);
GListModel *app_import_dialog_get_reject_model (AppImportDialog *self);
gboolean app_import_dialog_save_rejects (AppImportDialog *self, const char *path, GError **error);
const char *app_import_reason_text (GeoImportReason reason);

G_END_DECLS
