#pragma once

#include "app-window.h"
#include "geo-round-export.h"
#include "map-round-layer.h"

G_BEGIN_DECLS

/* The outreach rounds panel ("Kunjungan rumah"): choose targets, depot, teams and their
 * vehicles, days and hours; plan in a worker; show the round as a map layer and a stop list per
 * team-day with reordering; export it. Lives in the sidebar (widget name "round-panel"). */

void app_round_panel_attach (AppWindow *window);

/* For tests and the export buttons: the panel found by app_round_panel_get(). */
GtkWidget      *app_round_panel_get (AppWindow *window);
const GeoRound *app_round_panel_get_round (GtkWidget *panel);
gboolean        app_round_panel_get_busy (GtkWidget *panel);
MapRoundLayer  *app_round_panel_get_layer (GtkWidget *panel);
/* Shows team-day route @index (team-major) in the stop list. */
void app_round_panel_show_day (GtkWidget *panel, guint team, guint day);
/* Moves stop @seq (1-based) of the shown day by @delta (-1 up, +1 down). */
gboolean app_round_panel_move_stop (GtkWidget *panel, guint seq, int delta);
/* Moves stop @seq to position @to_seq of the shown day (what dropping a dragged stop does). */
gboolean app_round_panel_move_stop_to (GtkWidget *panel, guint seq, guint to_seq);
/* The drawn target area as a closed WKT polygon, or NULL when fewer than 3 corners. */
char *app_round_panel_area_wkt (GtkWidget *panel);
/* Gives @family_id a time window ("HH:MM" strings) for the next plan. */
gboolean app_round_panel_add_window (GtkWidget  *panel,
                                     gint64      family_id,
                                     const char *open,
                                     const char *close,
                                     GError    **error);
/* Writes the round: GPX/KML/GeoJSON/CSV by extension; a directory path with @pdf: one route
 * sheet per team-day. Names and NIK only when the panel's checkbox is on. */
gboolean
app_round_panel_export_to (GtkWidget *panel, const char *path, gboolean pdf, GError **error);

G_END_DECLS
