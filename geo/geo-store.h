#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

#define GEO_TYPE_STORE (geo_store_get_type ())
G_DECLARE_FINAL_TYPE (GeoStore, geo_store, GEO, STORE, GObject)

/* The newest schema version this program writes (PRAGMA user_version). */
#define GEO_STORE_SCHEMA_VERSION 8

typedef enum
{
  GEO_STORE_OPEN_DEFAULT = 0,      /* open an existing project, migrating it forward */
  GEO_STORE_OPEN_CREATE = 1 << 0,  /* create the file when it does not exist */
  GEO_STORE_OPEN_READONLY = 1 << 1 /* never write: no migration, no WAL switch */
} GeoStoreOpenFlags;

void        geo_store_configure_sqlite (void);
GeoStore   *geo_store_open (const char *path, GeoStoreOpenFlags flags, GError **error);
const char *geo_store_get_path (GeoStore *self);
int         geo_store_get_schema_version (GeoStore *self);

gboolean    geo_store_begin (GeoStore *self, GError **error);
gboolean    geo_store_commit (GeoStore *self, GError **error);
void        geo_store_rollback (GeoStore *self);

gint64      geo_store_insert_area (GeoStore *self, const GeoAreaRecord *rec, GError **error);
gint64      geo_store_insert_family (GeoStore *self, const GeoFamilyRecord *rec, GError **error);
gint64      geo_store_insert_person (GeoStore *self, const GeoPersonRecord *rec, GError **error);
gboolean    geo_store_insert_membership (GeoStore   *self,
                                         gint64      person_id,
                                         int         category,
                                         const char *status,
                                         GError    **error);
gint64      geo_store_insert_resource (GeoStore *self, const GeoResourceRecord *rec, GError **error);

gint64      geo_store_count (GeoStore *self, const char *table, GError **error);
gboolean    geo_store_area_exists (GeoStore *self, const char *code);
gboolean    geo_store_area_centroid (GeoStore *self, const char *code, double *lon, double *lat);
gboolean    geo_store_region_known (GeoStore *self, const char *kecamatan_code);
gint64      geo_store_count_areas (GeoStore *self, GeoAreaLevel level);

G_END_DECLS
