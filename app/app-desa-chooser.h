#pragma once

#include <adwaita.h>

#include "geo-store.h"

G_BEGIN_DECLS

/* A searchable chooser of the project's desa for the family editor (docs/app.md "Editing
 * records"): an AdwActionRow whose subtitle is the chosen desa (name, kecamatan, code) and
 * whose button opens a list filtered by a search entry (any part of the name, the kecamatan's
 * name or the Kemendagri code). The code is what the record stores. The row's "subtitle"
 * changes with every choice (connect to notify::subtitle to follow it).
 *
 * Returns NULL when the project has no desa in its `area` table (the caller falls back to a
 * code entry). */
GtkWidget  *app_desa_chooser_new (GeoStore *store, const char *title, const char *code);
const char *app_desa_chooser_get_code (GtkWidget *chooser);
void        app_desa_chooser_set_code (GtkWidget *chooser, const char *code);
guint       app_desa_chooser_get_n_desa (GtkWidget *chooser);

G_END_DECLS
