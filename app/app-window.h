#pragma once

#include <adwaita.h>

#include "app-project.h"
#include "map-area-layer.h"
#include "map-family-layer.h"

G_BEGIN_DECLS

#define APP_TYPE_WINDOW (app_window_get_type ())
G_DECLARE_FINAL_TYPE (AppWindow, app_window, APP, WINDOW, AdwApplicationWindow)

AppWindow      *app_window_new (GtkApplication *application);
void            app_window_open_project (AppWindow *self, const char *path, gboolean create);
AppProject     *app_window_get_project (AppWindow *self);
gboolean        app_window_get_loading (AppWindow *self);
/* TRUE until the map has been fitted to a newly opened project (on its first allocated frame). */
gboolean        app_window_get_fit_pending (AppWindow *self);
MapFamilyLayer *app_window_get_family_layer (AppWindow *self);
MapAreaLayer   *app_window_get_area_layer (AppWindow *self);
ShumateMap     *app_window_get_map (AppWindow *self);
GtkColumnView  *app_window_get_person_view (AppWindow *self);
GListModel     *app_window_get_person_model (AppWindow *self);
gint64          app_window_get_selected_family (AppWindow *self);
void            app_window_select_family (AppWindow *self, gint64 family_id, gboolean center);

/* Extension points for panels, dialogs and layers that live in their own files. */
void             app_window_toast (AppWindow *self, const char *message);
void             app_window_add_panel (AppWindow *self, GtkWidget *panel);
void             app_window_add_map_layer (AppWindow   *self,
                                           ShumateLayer *layer,
                                           gboolean      below_families);
ShumateViewport *app_window_get_viewport (AppWindow *self);
GtkBox          *app_window_get_legend_extra (AppWindow *self);

G_END_DECLS
