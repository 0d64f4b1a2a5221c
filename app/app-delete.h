#pragma once

#include <adwaita.h>

#include "app-window.h"

G_BEGIN_DECLS

/* Deleting a person or a family from the records (docs/app.md "Deleting records"): a
 * confirmation dialog saying what goes (No. KK and NIK masked), asking for the reason, then
 * geo_edit_delete_person() / geo_edit_delete_family(), the table and the map brought up to date. */

void app_delete_confirm_person (AppWindow *win, gint64 person_id);
void app_delete_confirm_family (AppWindow *win, gint64 family_id);

/* For tests: the confirmation open now (or NULL), and whether the map is being rebuilt. */
AdwMessageDialog *app_delete_get_dialog (AppWindow *win);
gboolean          app_delete_get_busy (AppWindow *win);

G_END_DECLS
