#pragma once

#include <gio/gio.h>

#include "geo-person-query.h"
#include "geo-store.h"

G_BEGIN_DECLS

#define APP_TYPE_PERSON (app_person_get_type ())
G_DECLARE_FINAL_TYPE (AppPerson, app_person, APP, PERSON, GObject)

gint64      app_person_get_id (AppPerson *self);
gint64      app_person_get_family_id (AppPerson *self);
const char *app_person_get_masked_nik (AppPerson *self);
const char *app_person_get_name (AppPerson *self);
const char *app_person_get_desa (AppPerson *self);
guint32     app_person_get_categories (AppPerson *self);
char       *app_person_dup_category_text (AppPerson *self);

#define APP_TYPE_PERSON_MODEL (app_person_model_get_type ())
G_DECLARE_FINAL_TYPE (AppPersonModel, app_person_model, APP, PERSON_MODEL, GObject)

AppPersonModel *app_person_model_new (GeoStore *store);
void            app_person_model_set_query (AppPersonModel *self, const char *query);
const char     *app_person_model_get_query (AppPersonModel *self);
const char     *app_person_model_get_error (AppPersonModel *self);
gboolean        app_person_model_get_loading (AppPersonModel *self);
void            app_person_model_set_filter (AppPersonModel *self, const GeoPersonFilter *filter);
void            app_person_model_refresh (AppPersonModel *self);
gboolean        app_person_model_find (AppPersonModel *self, gint64 person_id, guint *position);

G_END_DECLS
