#pragma once

#include "app-window.h"
#include "geo-hotspot.h"
#include "map-hotspot-layer.h"

G_BEGIN_DECLS

/* The “Hotspot (Gi*)” analysis panel: categories, grid cell size and distance band (or desa
 * with a rate), FDR; runs Getis-Ord Gi* in a worker with progress and cancel; shows the result
 * as a map layer with a legend, a summary, the hottest units in a table, and exports it
 * (GeoPackage, GeoJSON, CSV). Lives in the sidebar (widget name "hotspot-panel"). */

void app_hotspot_panel_attach (AppWindow *window);

/* For tests and the export buttons. */
GtkWidget       *app_hotspot_panel_get (AppWindow *window);
gboolean         app_hotspot_panel_get_busy (GtkWidget *panel);
MapHotspotLayer *app_hotspot_panel_get_layer (GtkWidget *panel);
/* The shown result: a grid or desa (the other NULL), or both NULL. */
const GeoHotspotGrid  *app_hotspot_panel_get_grid (GtkWidget *panel);
const GeoHotspotAreas *app_hotspot_panel_get_areas (GtkWidget *panel);
/* Writes the result (.gpkg, .geojson or .csv by extension). */
gboolean app_hotspot_panel_export_to (GtkWidget *panel, const char *path, GError **error);

G_END_DECLS
