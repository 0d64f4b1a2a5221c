#pragma once

#include "app-window.h"
#include "geo-export.h"

G_BEGIN_DECLS

#define APP_TYPE_EXPORT_DIALOG (app_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AppExportDialog, app_export_dialog, APP, EXPORT_DIALOG, AdwWindow)

typedef enum
{
  APP_EXPORT_ALL,
  APP_EXPORT_VISIBLE_CATEGORIES,
} AppExportSelection;

AppExportDialog *app_export_dialog_new (AppWindow *window);
void             app_export_dialog_attach (AppWindow *window);

/* What the widgets set; for tests. */
void app_export_dialog_configure (AppExportDialog   *self,
                                  GeoExportTable     table,
                                  const char        *format,
                                  AppExportSelection selection,
                                  gboolean           personal_data);
void app_export_dialog_export_to (AppExportDialog *self, const char *path);

G_END_DECLS
