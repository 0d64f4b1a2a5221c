#pragma once

#include "app-window.h"
#include "map-resource-layer.h"

G_BEGIN_DECLS

void              app_psks_attach (AppWindow *window);
MapResourceLayer *app_psks_get_layer (AppWindow *window);
GtkWidget        *app_psks_get_panel (AppWindow *window);
void              app_psks_select (AppWindow *window, gint64 resource_id);
gboolean          app_psks_get_loading (AppWindow *window);

G_END_DECLS
