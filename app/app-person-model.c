#include "config.h"

#include <glib/gi18n.h>

#include "app-person-model.h"
#include "geo-categories.h"
#include "geo-person-query.h"
#include "geo-records.h"

/* A GListModel of persons backed by the database: the matching ids are searched in a
 * worker (a full scan for a text query), rows are read by primary key when the view asks
 * for an item, and a bounded cache keeps the items in view alive. */

struct _AppPerson
{
  GObject parent_instance;

  gint64  id;
  gint64  family_id;
  char   *masked_nik;
  char   *name;
  char   *desa;
  guint32 categories;
};

G_DEFINE_FINAL_TYPE (AppPerson, app_person, G_TYPE_OBJECT)

static void
app_person_finalize (GObject *object)
{
  AppPerson *self = APP_PERSON (object);

  g_free (self->masked_nik);
  g_free (self->name);
  g_free (self->desa);
  G_OBJECT_CLASS (app_person_parent_class)->finalize (object);
}

static void
app_person_class_init (AppPersonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = app_person_finalize;
}

static void
app_person_init (AppPerson *self)
{
}

gint64
app_person_get_id (AppPerson *self)
{
  return self->id;
}

gint64
app_person_get_family_id (AppPerson *self)
{
  return self->family_id;
}

const char *
app_person_get_masked_nik (AppPerson *self)
{
  return self->masked_nik;
}

const char *
app_person_get_name (AppPerson *self)
{
  return self->name;
}

const char *
app_person_get_desa (AppPerson *self)
{
  return self->desa;
}

guint32
app_person_get_categories (AppPerson *self)
{
  return self->categories;
}

char *
app_person_dup_category_text (AppPerson *self)
{
  GString *s = g_string_new (NULL);

  for (guint32 m = self->categories; m != 0; m &= m - 1)
    {
      const GeoCategory *cat = geo_pmks_get (__builtin_ctz (m) + 1);

      if (cat == NULL)
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, cat->short_name);
    }
  return g_string_free (s, FALSE);
}

#define CACHE_LIMIT 4096

struct _AppPersonModel
{
  GObject parent_instance;

  /* owned */
  GeoStore        *store;
  GeoPersonReader *reader;
  gint64          *ids;
  gsize            n_ids;
  GHashTable      *cache; /* position -> AppPerson */
  GCancellable    *search;
  char            *query;
  char            *reader_error;
  /* The filter of the table's filter bar (its text is @query); strings owned. */
  GeoPersonFilter  filter;
  gboolean         by_id; /* the ids are in ascending order */
};

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SEARCH_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
model_get_item_type (GListModel *model)
{
  return APP_TYPE_PERSON;
}

static guint
model_get_n_items (GListModel *model)
{
  return (guint) APP_PERSON_MODEL (model)->n_ids;
}

static gpointer
model_get_item (GListModel *model, guint position)
{
  AppPersonModel *self = APP_PERSON_MODEL (model);
  AppPerson      *person;
  GeoPersonRow    row = { 0 };
  g_autoptr(GError) error = NULL;

  if (position >= self->n_ids || self->reader == NULL)
    return NULL;
  person = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (position));
  if (person != NULL)
    return g_object_ref (person);

  person = g_object_new (APP_TYPE_PERSON, NULL);
  person->id = self->ids[position];
  /* A primary-key read of one row: cheap enough for the main thread. */
  if (geo_person_reader_get (self->reader, person->id, &row, &error))
    {
      person->family_id = row.family_id;
      person->masked_nik = geo_mask_nik (row.nik);
      person->name = g_strdup (row.name);
      person->desa = g_strdup (row.desa_name != NULL ? row.desa_name : row.desa_code);
      person->categories = row.categories;
      geo_person_row_clear (&row);
    }
  else
    person->name = g_strdup (error->message);
  if (g_hash_table_size (self->cache) >= CACHE_LIMIT)
    g_hash_table_remove_all (self->cache);
  g_hash_table_insert (self->cache, GUINT_TO_POINTER (position), g_object_ref (person));
  return person;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (AppPersonModel,
                               app_person_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
app_person_model_dispose (GObject *object)
{
  AppPersonModel *self = APP_PERSON_MODEL (object);

  if (self->search != NULL)
    g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
  G_OBJECT_CLASS (app_person_model_parent_class)->dispose (object);
}

static void
app_person_model_finalize (GObject *object)
{
  AppPersonModel *self = APP_PERSON_MODEL (object);

  g_clear_pointer (&self->reader, geo_person_reader_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_free (self->ids);
  g_free (self->query);
  g_free (self->reader_error);
  g_free ((char *) self->filter.status);
  g_free ((char *) self->filter.area);
  G_OBJECT_CLASS (app_person_model_parent_class)->finalize (object);
}

static void
app_person_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AppPersonModel *self = APP_PERSON_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->search != NULL);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, (guint) self->n_ids);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
app_person_model_class_init (AppPersonModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = app_person_model_dispose;
  object_class->finalize = app_person_model_finalize;
  object_class->get_property = app_person_model_get_property;
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The search could not run (unreadable project...): the message is for the user. */
  signals[SEARCH_FAILED] = g_signal_new ("search-failed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_STRING);
}

static void
app_person_model_init (AppPersonModel *self)
{
  self->cache = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->filter = (GeoPersonFilter) GEO_PERSON_FILTER_INIT;
  self->by_id = TRUE;
}

typedef struct
{
  char           *path;
  char           *query;
  GeoPersonFilter filter; /* strings owned */
  gint64         *ids;
  gsize           n_ids;
} SearchJob;

static void
search_job_free (SearchJob *job)
{
  g_free (job->path);
  g_free (job->query);
  g_free ((char *) job->filter.status);
  g_free ((char *) job->filter.area);
  g_free (job->ids);
  g_free (job);
}

static void
search_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SearchJob *job = task_data;
  g_autoptr(GeoStore) store = NULL;
  GError *error = NULL;

  store = geo_store_open (job->path, GEO_STORE_OPEN_READONLY, &error);
  if (store != NULL)
    {
      job->filter.text = job->query;
      job->ids = geo_person_query (store, &job->filter, &job->n_ids, cancellable, &error);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
search_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AppPersonModel) self = user_data;
  SearchJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  guint old_n;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_task_get_cancellable (G_TASK (result)) == self->search)
        {
          g_clear_object (&self->search);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_signal_emit (self, signals[SEARCH_FAILED], 0, error->message);
        }
      return;
    }
  if (g_task_get_cancellable (G_TASK (result)) != self->search)
    return;
  g_clear_object (&self->search);
  old_n = (guint) self->n_ids;
  g_free (self->ids);
  self->ids = g_steal_pointer (&job->ids);
  self->n_ids = job->n_ids;
  self->by_id = job->filter.sort == GEO_PERSON_SORT_ID && !job->filter.descending;
  g_hash_table_remove_all (self->cache);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, (guint) self->n_ids);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * app_person_model_set_query:
 * @query: NIK or desa code prefix, or part of a name or desa name; empty for everybody
 *
 * Starts a search in a worker; the model changes when it completes. A newer query
 * cancels the running one.
 */
void
app_person_model_set_query (AppPersonModel *self, const char *query)
{
  g_autoptr(GTask) task = NULL;
  SearchJob *job;

  g_return_if_fail (APP_IS_PERSON_MODEL (self));
  g_free (self->query);
  self->query = g_strdup (query != NULL ? query : "");
  if (self->search != NULL)
    g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
  self->search = g_cancellable_new ();

  job = g_new0 (SearchJob, 1);
  job->path = g_strdup (geo_store_get_path (self->store));
  job->query = g_strdup (self->query);
  job->filter = self->filter;
  job->filter.status = g_strdup (self->filter.status);
  job->filter.area = g_strdup (self->filter.area);
  task = g_task_new (NULL, self->search, search_done, g_object_ref (self));
  g_task_set_source_tag (task, app_person_model_set_query);
  g_task_set_task_data (task, job, (GDestroyNotify) search_job_free);
  g_task_run_in_thread (task, search_worker);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Why rows cannot be read, or NULL. */
const char *
app_person_model_get_error (AppPersonModel *self)
{
  return self->reader_error;
}

const char *
app_person_model_get_query (AppPersonModel *self)
{
  return self->query;
}

gboolean
app_person_model_get_loading (AppPersonModel *self)
{
  return self->search != NULL;
}

/* Ids in ascending order: binary search; in another order a scan (1M ids: about a ms). */
gboolean
app_person_model_find (AppPersonModel *self, gint64 person_id, guint *position)
{
  gsize lo = 0, hi = self->n_ids;

  if (!self->by_id)
    {
      for (gsize i = 0; i < self->n_ids; i++)
        if (self->ids[i] == person_id)
          {
            *position = (guint) i;
            return TRUE;
          }
      return FALSE;
    }

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (self->ids[mid] < person_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->n_ids && self->ids[lo] == person_id)
    {
      *position = (guint) lo;
      return TRUE;
    }
  return FALSE;
}

/**
 * app_person_model_new:
 *
 * An empty model over @store's persons; call app_person_model_set_query() to fill it.
 */
AppPersonModel *
app_person_model_new (GeoStore *store)
{
  AppPersonModel *self = g_object_new (APP_TYPE_PERSON_MODEL, NULL);
  g_autoptr(GError) error = NULL;

  self->store = g_object_ref (store);
  /* Without a reader (a damaged project) the model stays empty: get_item returns NULL. */
  self->reader = geo_person_reader_new (store, &error);
  if (self->reader == NULL)
    self->reader_error = g_strdup (error->message);
  return self;
}

/**
 * app_person_model_set_filter:
 * @filter: categories, status, area, location quality and order (its text is ignored: the
 *   query of app_person_model_set_query() is used)
 *
 * Keeps @filter and searches again.
 */
void
app_person_model_set_filter (AppPersonModel *self, const GeoPersonFilter *filter)
{
  g_return_if_fail (APP_IS_PERSON_MODEL (self));
  g_free ((char *) self->filter.status);
  g_free ((char *) self->filter.area);
  self->filter = *filter;
  self->filter.text = NULL;
  self->filter.status = g_strdup (filter->status);
  self->filter.area = g_strdup (filter->area);
  app_person_model_refresh (self);
}

/* Searches again (after an edit): the rows are read anew. */
void
app_person_model_refresh (AppPersonModel *self)
{
  g_autofree char *query = NULL;

  g_return_if_fail (APP_IS_PERSON_MODEL (self));
  query = g_strdup (self->query);
  app_person_model_set_query (self, query);
}
