#pragma once

#include "app-window.h"
#include "geo-density.h"
#include "map-heat-layer.h"

G_BEGIN_DECLS

/* The kernel density panel: categories, radius and pixel size; computes the quartic kernel
 * density in a worker with progress and cancel; shows it as a heat layer with a legend of the
 * ramp and exports it as GeoTIFF. Lives in the sidebar (widget name "density-panel"). */

void app_density_panel_attach (AppWindow *window);

/* For tests and the export button. */
GtkWidget              *app_density_panel_get (AppWindow *window);
gboolean                app_density_panel_get_busy (GtkWidget *panel);
MapHeatLayer           *app_density_panel_get_layer (GtkWidget *panel);
const GeoDensityRaster *app_density_panel_get_raster (GtkWidget *panel);
gboolean app_density_panel_export_to (GtkWidget *panel, const char *path, GError **error);

G_END_DECLS
