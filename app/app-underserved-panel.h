#pragma once

#include "app-window.h"
#include "geo-underserved.h"

G_BEGIN_DECLS

/* "Underserved areas": PMKS persons with no serving resource within reach, per desa. Runs
 * geo_underserved_compute in a worker (its own connection) with stages shown and a cancel
 * button; the share per desa becomes a choropleth (fixed classes of 20 %), the desa a table
 * ranked by need (rank 1 = most in need), exportable as CSV. Widget name "underserved-panel". */

/* Table value columns. */
enum
{
  APP_UNDERSERVED_COL_RANK,
  APP_UNDERSERVED_COL_PERSONS,
  APP_UNDERSERVED_COL_UNDERSERVED,
  APP_UNDERSERVED_COL_SHARE,
  APP_UNDERSERVED_COL_RESOURCES,
  APP_UNDERSERVED_COL_PER_RESOURCE,
  APP_UNDERSERVED_N_COLS
};

void                  app_underserved_panel_attach (AppWindow *window);
GtkWidget            *app_underserved_panel_get (AppWindow *window);
void                  app_underserved_panel_run (GtkWidget *panel);
gboolean              app_underserved_panel_get_busy (GtkWidget *panel);
const GeoUnderserved *app_underserved_panel_get_result (GtkWidget *panel);
GtkWidget            *app_underserved_panel_get_table (GtkWidget *panel);

G_END_DECLS
