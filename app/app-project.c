#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-project.h"

/* An open project: the main thread's store (record lookups) plus everything loaded once
 * in a worker thread with its own read-only connection: the selection of every person,
 * the family point index for the map, the area outlines and per-category counts. */

struct _AppProject
{
  GObject parent_instance;

  /* owned */
  char          *path;
  GeoStore      *store;
  GeoSelection  *selection;
  MapPointIndex *index;
  GeoAreaShapes *shapes;
  guint          n_areas;
  guint          person_counts[APP_N_COUNTS];
  guint          family_counts[APP_N_COUNTS];
  double         extent[4];
  gboolean       has_extent;
};

G_DEFINE_FINAL_TYPE (AppProject, app_project, G_TYPE_OBJECT)

static void
app_project_finalize (GObject *object)
{
  AppProject *self = APP_PROJECT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->selection, geo_selection_free);
  g_clear_pointer (&self->index, map_point_index_free);
  g_clear_pointer (&self->shapes, geo_area_shapes_free);
  g_free (self->path);
  G_OBJECT_CLASS (app_project_parent_class)->finalize (object);
}

static void
app_project_class_init (AppProjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = app_project_finalize;
}

static void
app_project_init (AppProject *self)
{
}

typedef struct
{
  char    *path;
  gboolean create;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  g_free (job);
}

/* Worker thread: touches only its job and the project it builds (not yet shared). */
static void
load_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr(AppProject) self = g_object_new (APP_TYPE_PROJECT, NULL);
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_autofree MapFamilyPoint *points = NULL;
  GeoSelection *sel;
  GError       *error = NULL;

  self->path = g_strdup (job->path);
  /* A writable open first: creates the file or migrates its schema. */
  store = geo_store_open (job->path, job->create ? GEO_STORE_OPEN_CREATE : GEO_STORE_OPEN_DEFAULT,
                          &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->selection = geo_selection_load (store, filter, cancellable, &error);
  if (self->selection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->shapes = geo_area_shapes_load (store, cancellable, &error);
  if (self->shapes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->n_areas = self->shapes->n_areas;

  sel = self->selection;
  points = g_new (MapFamilyPoint, MAX (sel->n_families, 1));
  self->extent[0] = self->extent[1] = G_MAXDOUBLE;
  self->extent[2] = self->extent[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < sel->n_families; i++)
    {
      points[i].id = sel->family_id[i];
      points[i].lon = sel->lon[i];
      points[i].lat = sel->lat[i];
      points[i].categories = sel->family_mask[i];
      points[i].n_persons = sel->family_n_persons[i];
      if (isfinite (sel->lon[i]) && isfinite (sel->lat[i]))
        {
          self->extent[0] = MIN (self->extent[0], sel->lon[i]);
          self->extent[1] = MIN (self->extent[1], sel->lat[i]);
          self->extent[2] = MAX (self->extent[2], sel->lon[i]);
          self->extent[3] = MAX (self->extent[3], sel->lat[i]);
          self->has_extent = TRUE;
        }
      if (sel->family_mask[i] == 0)
        self->family_counts[0]++;
      for (guint32 m = sel->family_mask[i]; m != 0; m &= m - 1)
        self->family_counts[__builtin_ctz (m) + 1]++;
    }
  for (guint i = 0; i < self->shapes->n_areas; i++)
    {
      const GeoAreaShape *a = &self->shapes->areas[i];

      self->extent[0] = MIN (self->extent[0], a->min_lon);
      self->extent[1] = MIN (self->extent[1], a->min_lat);
      self->extent[2] = MAX (self->extent[2], a->max_lon);
      self->extent[3] = MAX (self->extent[3], a->max_lat);
      self->has_extent = TRUE;
    }
  for (guint i = 0; i < sel->n_persons; i++)
    {
      if (sel->person_mask[i] == 0)
        self->person_counts[0]++;
      for (guint32 m = sel->person_mask[i]; m != 0; m &= m - 1)
        self->person_counts[__builtin_ctz (m) + 1]++;
    }
  self->index = map_point_index_new (points, sel->n_families);
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/**
 * app_project_load_async:
 * @create: create the project file when it does not exist
 *
 * Opens (or creates) a project and loads what the map needs, off the main thread.
 */
void
app_project_load_async (const char         *path,
                        gboolean            create,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadJob *job = g_new0 (LoadJob, 1);

  job->path = g_strdup (path);
  job->create = create;
  g_task_set_source_tag (task, app_project_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_worker);
}

AppProject *
app_project_load_finish (GAsyncResult *result, GError **error)
{
  g_autoptr(AppProject) self = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  self = g_task_propagate_pointer (G_TASK (result), error);
  if (self == NULL)
    return NULL;
  /* The schema is current now: this open is metadata only. */
  self->store = geo_store_open (self->path, GEO_STORE_OPEN_DEFAULT, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
app_project_get_path (AppProject *self)
{
  g_return_val_if_fail (APP_IS_PROJECT (self), NULL);
  return self->path;
}

char *
app_project_dup_title (AppProject *self)
{
  g_autofree char *base = NULL;
  char            *dot;

  g_return_val_if_fail (APP_IS_PROJECT (self), NULL);
  base = g_path_get_basename (self->path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

GeoStore *
app_project_get_store (AppProject *self)
{
  g_return_val_if_fail (APP_IS_PROJECT (self), NULL);
  return self->store;
}

GeoSelection *
app_project_get_selection (AppProject *self)
{
  g_return_val_if_fail (APP_IS_PROJECT (self), NULL);
  return self->selection;
}

MapPointIndex *
app_project_steal_index (AppProject *self)
{
  g_return_val_if_fail (APP_IS_PROJECT (self), NULL);
  return g_steal_pointer (&self->index);
}

GeoAreaShapes *
app_project_steal_shapes (AppProject *self)
{
  g_return_val_if_fail (APP_IS_PROJECT (self), NULL);
  return g_steal_pointer (&self->shapes);
}

guint
app_project_get_n_areas (AppProject *self)
{
  return self->n_areas;
}

const guint *
app_project_get_person_counts (AppProject *self)
{
  return self->person_counts;
}

const guint *
app_project_get_family_counts (AppProject *self)
{
  return self->family_counts;
}

gboolean
app_project_get_extent (AppProject *self,
                        double     *min_lon,
                        double     *min_lat,
                        double     *max_lon,
                        double     *max_lat)
{
  g_return_val_if_fail (APP_IS_PROJECT (self), FALSE);
  if (!self->has_extent)
    return FALSE;
  *min_lon = self->extent[0];
  *min_lat = self->extent[1];
  *max_lon = self->extent[2];
  *max_lat = self->extent[3];
  return TRUE;
}

/* Families in the selection are ordered by id: binary search. */
gboolean
app_project_find_family (AppProject *self, gint64 family_id, guint *index)
{
  guint lo = 0, hi;

  g_return_val_if_fail (APP_IS_PROJECT (self), FALSE);
  hi = self->selection->n_families;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->selection->family_id[mid] < family_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->selection->n_families && self->selection->family_id[lo] == family_id)
    {
      *index = lo;
      return TRUE;
    }
  return FALSE;
}
