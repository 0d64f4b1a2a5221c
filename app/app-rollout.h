#pragma once

#include "app-window.h"

G_BEGIN_DECLS

/* The rollout board ("Rollout coverage", main menu, win.show-rollout): a window beside the map.
 * Choose a programme and a date; a GTask worker (its own store) computes the coverage per desa
 * and per kecamatan and a progress series; shows coverage % per kecamatan, a progress chart over
 * time (cairo) and a table per desa sortable by any column, by gap to target first. The board's
 * content box is named "rollout-panel". */

void app_rollout_attach (AppWindow *window);

/* For tests: the panel, whether a computation runs, and the table's model (sorted rows). */
GtkWidget  *app_rollout_get (AppWindow *window);
gboolean    app_rollout_get_busy (GtkWidget *panel);
GListModel *app_rollout_get_rows (GtkWidget *panel);
/* The desa code and gap of row @i of the (sorted) table. */
const char *app_rollout_row_code (GListModel *rows, guint i, gint64 *gap);
/* Chart points computed (kecamatan × dates). */
guint app_rollout_get_n_chart_points (GtkWidget *panel);

G_END_DECLS
