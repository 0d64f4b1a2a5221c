#pragma once

#include "app-window.h"

G_BEGIN_DECLS

GdkTexture *app_map_export_render (AppWindow *window, double scale, GError **error);
gboolean    app_map_export_png (AppWindow *window, const char *path, GError **error);
gboolean    app_map_export_pdf (AppWindow *window, const char *path, GError **error);
void        app_map_export_attach (AppWindow *window);

G_END_DECLS
