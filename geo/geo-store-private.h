#pragma once

/* Internal to geo/: the raw connection, for the modules that run their own prepared statements. */

#include <sqlite3.h>

#include "geo-store.h"

G_BEGIN_DECLS

sqlite3      *geo_store_get_db (GeoStore *self);
sqlite3_stmt *geo_store_prepare (GeoStore *self, const char *sql, GError **error);
gboolean      geo_store_set_error (GeoStore *self, GError **error, const char *context);
gboolean      geo_store_migrate_to (GeoStore *self, int version, GError **error);
GeoStore     *geo_store_open_at_version (const char *path, int version, GError **error);
void          geo_store_ensure_resources (void);

G_END_DECLS
