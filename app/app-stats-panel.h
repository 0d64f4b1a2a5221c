#pragma once

#include "app-window.h"
#include "geo-areastats.h"

G_BEGIN_DECLS

/* "Per-area statistics" (Statistik Wilayah): counts and rates per desa or kecamatan for one
 * PMKS category or all, classed (quantile / equal interval / Jenks, k classes) into a
 * choropleth with a legend, a sortable table and a CSV export. The counts run in a worker
 * (geo_area_stats_compute on its own connection); the category, measure and classes are
 * applied to the loaded counts at once. Widget name "stats-panel". */

typedef enum
{
  APP_STATS_PERSONS,
  APP_STATS_FAMILIES,
  APP_STATS_SHARE, /* of the area's registered persons */
} AppStatsMeasure;

/* Table value columns. */
enum
{
  APP_STATS_COL_PERSONS,
  APP_STATS_COL_FAMILIES,
  APP_STATS_COL_SHARE,
  APP_STATS_COL_CLASS, /* 1-based, NAN without a value */
  APP_STATS_N_COLS
};

void                app_stats_panel_attach (AppWindow *window);
GtkWidget          *app_stats_panel_get (AppWindow *window);
void                app_stats_panel_run (GtkWidget *panel);
gboolean            app_stats_panel_get_busy (GtkWidget *panel);
const GeoAreaStats *app_stats_panel_get_stats (GtkWidget *panel);
GtkWidget          *app_stats_panel_get_table (GtkWidget *panel);
const double       *app_stats_panel_get_breaks (GtkWidget *panel, guint *n_classes);
/* The value classified for area @i of the stats (the chosen measure and category). */
double app_stats_panel_get_value (GtkWidget *panel, guint i);

G_END_DECLS
