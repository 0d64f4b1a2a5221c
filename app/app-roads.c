#include "config.h"

#include <glib/gi18n.h>

#include "app-roads.h"
#include "geo-roads.h"

/* Roads as part of the offline basemap: the road layer under the families, reloaded with each
 * project, and the "Add roads from OSM…" action that imports an extract (.osm.pbf through GDAL's
 * OSM driver, or any line file) into the project in a worker, then redraws. */

typedef struct
{
  AppWindow    *window; /* weak */
  MapRoadLayer *layer;  /* owned by the map */
  GCancellable *cancellable;
} Roads;

static void
roads_free (gpointer data)
{
  Roads *r = data;

  g_cancellable_cancel (r->cancellable);
  g_clear_object (&r->cancellable);
  g_free (r);
}

static Roads *
roads_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "app-roads");
}

/* --- loading -------------------------------------------------------------------- */

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_READONLY, &error);
  GeoRoadLines *roads;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  roads = geo_road_lines_load (store, cancellable, &error);
  if (roads == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, roads, (GDestroyNotify) geo_road_lines_free);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  GeoRoadLines *roads = g_task_propagate_pointer (G_TASK (result), &error);
  AppWindow    *window = APP_WINDOW (source);
  Roads        *r = roads_get (window);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || r == NULL)
    {
      geo_road_lines_free (roads);
      return;
    }
  if (roads == NULL)
    {
      app_window_toast (window, error->message);
      return;
    }
  map_road_layer_set_roads (r->layer, roads);
}

static void
reload (AppWindow *window)
{
  Roads      *r = roads_get (window);
  AppProject *project = app_window_get_project (window);
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (r->cancellable);
  g_clear_object (&r->cancellable);
  map_road_layer_set_roads (r->layer, NULL);
  if (project == NULL)
    return;
  r->cancellable = g_cancellable_new ();
  task = g_task_new (window, r->cancellable, load_done, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_strdup (app_project_get_path (project)), g_free);
  g_task_run_in_thread (task, load_thread);
}

/* --- importing ------------------------------------------------------------------ */

typedef struct
{
  char                *project;
  char                *file;
  GeoRoadsImportReport report;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->project);
  g_free (job->file);
  g_free (job);
}

static void
import_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ImportJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (job->project, GEO_STORE_OPEN_DEFAULT, &error);

  if (store == NULL ||
      !geo_roads_import (store, job->file, NULL, TRUE, &job->report, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
import_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AppWindow *window = APP_WINDOW (source);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *msg = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      msg = g_strdup_printf (_("Could not add roads from %s: %s"), job->file, error->message);
      app_window_toast (window, msg);
      return;
    }
  msg = g_strdup_printf (ngettext ("%u road segment added", "%u road segments added",
                                   job->report.imported),
                         job->report.imported);
  app_window_toast (window, msg);
  if (roads_get (window) != NULL)
    reload (window);
}

/**
 * app_roads_import:
 * @path: an OSM extract or any line file GDAL reads
 *
 * Replaces the project's roads with those of @path, in a worker; the layer redraws after.
 */
void
app_roads_import (AppWindow *window, const char *path)
{
  AppProject *project = app_window_get_project (window);
  g_autoptr(GTask) task = NULL;
  ImportJob  *job;

  g_return_if_fail (APP_IS_WINDOW (window));
  if (project == NULL)
    return;
  job = g_new0 (ImportJob, 1);
  job->project = g_strdup (app_project_get_path (project));
  job->file = g_strdup (path);
  task = g_task_new (window, NULL, import_done, NULL);
  g_task_set_source_tag (task, app_roads_import);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
  app_window_toast (window, _("Adding roads…"));
}

static void
on_file_chosen (GtkNativeDialog *dialog, int response, AppWindow *window)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        app_roads_import (window, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_roads_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  AppWindow            *window = APP_WINDOW (data);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (app_window_get_project (window) == NULL)
    {
      app_window_toast (window, _("Open a project first"));
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Add Roads from OpenStreetMap"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Road lines (OSM, GeoPackage, GeoJSON, Shapefile)"));
  gtk_file_filter_add_pattern (filter, "*.osm.pbf");
  gtk_file_filter_add_pattern (filter, "*.pbf");
  gtk_file_filter_add_pattern (filter, "*.osm");
  gtk_file_filter_add_pattern (filter, "*.gpkg");
  gtk_file_filter_add_pattern (filter, "*.geojson");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.shp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), window);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * app_roads_attach:
 *
 * Adds the road layer (under the families, over the boundaries' land fill) and the
 * `win.add-roads` action to @window.
 */
void
app_roads_attach (AppWindow *window)
{
  Roads *r = g_new0 (Roads, 1);
  g_autoptr(GSimpleAction) action = g_simple_action_new ("add-roads", NULL);

  r->window = window;
  r->layer = map_road_layer_new (app_window_get_viewport (window));
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->layer), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Roads"), -1);
  app_window_add_map_layer (window, SHUMATE_LAYER (r->layer), TRUE);
  g_object_set_data_full (G_OBJECT (window), "app-roads", r, roads_free);
  g_signal_connect (window, "project-changed", G_CALLBACK (reload), NULL);
  g_signal_connect (action, "activate", G_CALLBACK (add_roads_activated), window);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}

MapRoadLayer *
app_roads_get_layer (AppWindow *window)
{
  Roads *r = roads_get (window);

  return r != NULL ? r->layer : NULL;
}
