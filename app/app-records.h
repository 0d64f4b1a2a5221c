#pragma once

#include <adwaita.h>

#include "app-window.h"
#include "geo-records.h"

G_BEGIN_DECLS

/* Record editing in the app (docs/app.md "Editing records"): the operator chooser, family
 * and person editors, status menus, the visit dialog, nearest PSKS and visit history in the
 * family details, and the persons table's filters. */

void app_records_attach (AppWindow *win);
void app_records_fill_details (AppWindow *win, GtkBox *box, const GeoFamilyDetails *d);
GtkWidget *
app_records_member_actions (AppWindow *win, const GeoFamilyDetails *d, const GeoMember *m);

/* For tests and the map click: the dialog open now (or NULL), and picking a point. */
GtkWindow *app_records_get_dialog (AppWindow *win);
gboolean   app_records_get_picking (AppWindow *win);
void       app_records_finish_pick (AppWindow *win, double lon, double lat);

G_END_DECLS
