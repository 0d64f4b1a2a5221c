#include "config.h"

#include <glib/gi18n.h>

#include "app-export-dialog.h"
#include "geo-categories.h"

/* Export dialog: what (persons, families, PSKS resources, areas), the format, the selection
 * (everything, or the PMKS categories shown on the map) and "Include personal data (NIK,
 * names)", off by default (NIK and names masked by the core). The export runs geo_export() in
 * a worker on its own connection; the dialog closes and a toast tells the result. The signal
 * "finished" (gboolean ok, const char *message) reports it too. */

static const struct
{
  const char *label; /* N_() */
  const char *format;
  const char *ext;
} formats[] = {
  { N_ ("GeoPackage (.gpkg)"), "gpkg", "gpkg" },
  { N_ ("GeoJSON (.geojson)"), "geojson", "geojson" },
  { N_ ("CSV (.csv)"), "csv", "csv" },
  { N_ ("Excel (.xlsx)"), "XLSX", "xlsx" },
  { N_ ("KML (.kml)"), "kml", "kml" },
  { N_ ("Shapefile (.shp)"), "shp", "shp" },
};

static const GeoExportTable tables[] = {
  GEO_EXPORT_PERSONS, GEO_EXPORT_FAMILIES, GEO_EXPORT_RESOURCES, GEO_EXPORT_AREAS
};

struct _AppExportDialog
{
  AdwWindow parent_instance;

  AppWindow *window; /* weak */
  GtkWidget *table_row;
  GtkWidget *format_row;
  GtkWidget *selection_row;
  GtkWidget *personal_check;
  GtkWidget *export_button;
  GtkWidget *progress;
  GtkWidget *content;
  gboolean   running;
  gpointer   job; /* ExportJob, owned by the task */
  guint      progress_id;
};

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AppExportDialog, app_export_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  char          *project;
  char          *path;
  char          *format;
  GeoExportTable table;
  gboolean       personal;
  GeoFilter     *filter;
  guint64        written;
  gint           permille;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->project);
  g_free (job->path);
  g_free (job->format);
  g_clear_pointer (&job->filter, geo_filter_free);
  g_free (job);
}

static void
on_progress (double fraction, gpointer data)
{
  g_atomic_int_set (&((ExportJob *) data)->permille, (gint) (fraction * 1000));
}

static void
export_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ExportJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (job->project, GEO_STORE_OPEN_READONLY, &error);
  GeoExportOptions opts = { 0 };

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  opts.table = job->table;
  opts.format = job->format;
  opts.include_personal_data = job->personal;
  opts.filter = job->filter;
  opts.progress = on_progress;
  opts.progress_data = job;
  if (geo_export (store, job->path, &opts, &job->written, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AppExportDialog) self = APP_EXPORT_DIALOG (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean         ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->running = FALSE;
  self->job = NULL;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (ok)
    {
      g_autofree char *base = g_path_get_basename (job->path);
      char             n[32];

      g_snprintf (n, sizeof n, "%" G_GUINT64_FORMAT, job->written);
      message = g_strdup_printf (_ ("%s records exported to %s"), n, base);
    }
  else
    message = g_strdup_printf (_ ("Export failed: %s"), error->message);
  if (self->window != NULL)
    app_window_toast (self->window, message);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, ok, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
update_progress (gpointer data)
{
  AppExportDialog *self = data;
  ExportJob       *job = self->job;

  if (job != NULL)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress),
                                   g_atomic_int_get (&job->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static GeoExportTable
current_table (AppExportDialog *self)
{
  return tables[adw_combo_row_get_selected (ADW_COMBO_ROW (self->table_row))];
}

/**
 * app_export_dialog_export_to:
 *
 * Exports with the dialog's settings to @path in a worker, then closes the dialog.
 */
void
app_export_dialog_export_to (AppExportDialog *self, const char *path)
{
  AppProject *project;
  ExportJob  *job;
  g_autoptr(GTask) task = NULL;
  guint fmt;

  g_return_if_fail (APP_IS_EXPORT_DIALOG (self));
  project = self->window != NULL ? app_window_get_project (self->window) : NULL;
  if (project == NULL || self->running)
    return;
  fmt = adw_combo_row_get_selected (ADW_COMBO_ROW (self->format_row));
  job = g_new0 (ExportJob, 1);
  job->project = g_strdup (app_project_get_path (project));
  job->path = g_strdup (path);
  job->format = g_strdup (formats[MIN (fmt, G_N_ELEMENTS (formats) - 1)].format);
  job->table = current_table (self);
  job->personal = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->personal_check));
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->selection_row)) ==
          APP_EXPORT_VISIBLE_CATEGORIES &&
      (job->table == GEO_EXPORT_PERSONS || job->table == GEO_EXPORT_FAMILIES))
    {
      guint32 mask =
          map_family_layer_get_visible_categories (app_window_get_family_layer (self->window));

      job->filter = geo_filter_new ();
      for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
        if (mask & (1u << (c - 1)))
          job->filter->categories[job->filter->n_categories++] = c;
    }
  self->running = TRUE;
  gtk_widget_set_sensitive (self->content, FALSE);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_widget_set_visible (self->progress, TRUE);
  self->job = job;
  self->progress_id = g_timeout_add (100, update_progress, self);
  task = g_task_new (g_object_ref (self), NULL, export_done, NULL);
  g_task_set_source_tag (task, app_export_dialog_export_to);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

void
app_export_dialog_configure (AppExportDialog   *self,
                             GeoExportTable     table,
                             const char        *format,
                             AppExportSelection selection,
                             gboolean           personal_data)
{
  g_return_if_fail (APP_IS_EXPORT_DIALOG (self));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (tables[i] == table)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->table_row), i);
  for (guint i = 0; format != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (formats[i].format, format) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->format_row), i);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->selection_row), selection);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->personal_check), personal_data);
}

static void
on_save_chosen (GtkNativeDialog *chooser, int response, AppExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        app_export_dialog_export_to (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_export_clicked (GtkButton *button, AppExportDialog *self)
{
  static const char *const stems[] = { "jiwa", "keluarga", "psks", "wilayah" };
  guint                    fmt = adw_combo_row_get_selected (ADW_COMBO_ROW (self->format_row));
  guint                    tab = adw_combo_row_get_selected (ADW_COMBO_ROW (self->table_row));
  g_autofree char         *name = g_strdup_printf ("%s.%s",
                                           stems[MIN (tab, 3)],
                                           formats[MIN (fmt, G_N_ELEMENTS (formats) - 1)].ext);
  GtkFileChooserNative    *chooser;

  chooser = gtk_file_chooser_native_new (_ ("Export Data"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _ ("_Export"),
                                         _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_table_changed (AdwComboRow *row, GParamSpec *pspec, AppExportDialog *self)
{
  GeoExportTable t = current_table (self);

  /* The category selection applies to persons and families only. */
  gtk_widget_set_sensitive (self->selection_row,
                            t == GEO_EXPORT_PERSONS || t == GEO_EXPORT_FAMILIES);
  gtk_widget_set_sensitive (self->personal_check,
                            t == GEO_EXPORT_PERSONS || t == GEO_EXPORT_FAMILIES);
}

static GtkWidget *
combo_row (const char *title, GtkStringList *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_unref (model);
  return row;
}

static void
app_export_dialog_init (AppExportDialog *self)
{
  GtkWidget     *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget     *header = adw_header_bar_new ();
  GtkWidget     *page = adw_preferences_page_new ();
  GtkWidget     *group = adw_preferences_group_new ();
  GtkWidget     *row;
  GtkStringList *m;

  gtk_window_set_title (GTK_WINDOW (self), _ ("Export Data"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 480);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  self->export_button = gtk_button_new_with_mnemonic (_ ("_Export…"));
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  gtk_box_append (GTK_BOX (box), header);

  m = gtk_string_list_new (NULL);
  gtk_string_list_append (m, _ ("Persons"));
  gtk_string_list_append (m, _ ("Families"));
  gtk_string_list_append (m, _ ("PSKS resources"));
  gtk_string_list_append (m, _ ("Administrative areas"));
  self->table_row = combo_row (_ ("Data"), m);
  g_signal_connect (self->table_row, "notify::selected", G_CALLBACK (on_table_changed), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->table_row);

  m = gtk_string_list_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    gtk_string_list_append (m, _ (formats[i].label));
  self->format_row = combo_row (_ ("Format"), m);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->format_row);

  m = gtk_string_list_new (NULL);
  gtk_string_list_append (m, _ ("All records"));
  gtk_string_list_append (m, _ ("PMKS categories shown on the map"));
  self->selection_row = combo_row (_ ("Selection"), m);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->selection_row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 _ ("Include personal data (NIK, names)"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _ ("Off: NIK, No. KK and names are masked in the file."));
  self->personal_check = gtk_check_button_new ();
  gtk_widget_set_name (self->personal_check, "personal-data-check");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->personal_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Include personal data (NIK, names)"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), self->personal_check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->personal_check);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_widget_set_vexpand (page, TRUE);
  self->content = page;
  gtk_box_append (GTK_BOX (box), page);

  self->progress = gtk_progress_bar_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Export progress"),
                                  -1);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_widget_set_margin_start (self->progress, 12);
  gtk_widget_set_margin_end (self->progress, 12);
  gtk_widget_set_margin_bottom (self->progress, 12);
  gtk_box_append (GTK_BOX (box), self->progress);
  adw_window_set_content (ADW_WINDOW (self), box);
}

static void
app_export_dialog_dispose (GObject *object)
{
  g_clear_handle_id (&APP_EXPORT_DIALOG (object)->progress_id, g_source_remove);
  g_clear_weak_pointer (&APP_EXPORT_DIALOG (object)->window);
  G_OBJECT_CLASS (app_export_dialog_parent_class)->dispose (object);
}

static void
app_export_dialog_class_init (AppExportDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = app_export_dialog_dispose;
  signals[SIGNAL_FINISHED] = g_signal_new ("finished",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0,
                                           NULL,
                                           NULL,
                                           NULL,
                                           G_TYPE_NONE,
                                           2,
                                           G_TYPE_BOOLEAN,
                                           G_TYPE_STRING);
}

AppExportDialog *
app_export_dialog_new (AppWindow *window)
{
  AppExportDialog *self = g_object_new (APP_TYPE_EXPORT_DIALOG, NULL);

  g_set_weak_pointer (&self->window, window);
  gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (window));
  return self;
}

static void
export_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  AppWindow *window = APP_WINDOW (data);

  if (app_window_get_project (window) == NULL)
    {
      app_window_toast (window, _ ("Open a project first"));
      return;
    }
  gtk_window_present (GTK_WINDOW (app_export_dialog_new (window)));
}

/* Adds `win.export` (main menu "Export Data…") to @window. */
void
app_export_dialog_attach (AppWindow *window)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("export", NULL);

  g_signal_connect (action, "activate", G_CALLBACK (export_activated), window);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}
