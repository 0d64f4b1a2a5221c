#pragma once

#include "app-window.h"
#include "map-link-layer.h"

G_BEGIN_DECLS

/* "Nearest resources": for a point clicked on the map or the selected family, the k nearest
 * PSKS resources (optionally of one type, serving one PMKS category, within a radius) with
 * geodesic distances, listed and drawn as lines on the map. The search runs in a worker on its
 * own connection. Widget name "nearest-panel". */

void       app_nearest_panel_attach (AppWindow *window);
GtkWidget *app_nearest_panel_get (AppWindow *window);
void       app_nearest_panel_query (GtkWidget *panel, double lon, double lat);
gboolean   app_nearest_panel_get_busy (GtkWidget *panel);
guint      app_nearest_panel_get_n_results (GtkWidget *panel);
gboolean   app_nearest_panel_get_result (GtkWidget *panel, guint i, gint64 *id, double *distance_m);
MapLinkLayer *app_nearest_panel_get_layer (GtkWidget *panel);

G_END_DECLS
