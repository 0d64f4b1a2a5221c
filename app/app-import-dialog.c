#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "app-import-dialog.h"
#include "geo-import-areas.h"
#include "geo-mask.h"

/* Import dialog: a file, what it holds (households, PSKS resources, admin areas), a preview
 * of its first rows with the field mapping the core detects (geo_import_preview) and a
 * drop-down per column to change it (passed to the import as `--field COLUMN=attribute`
 * overrides), then the import in a worker with progress and Cancel, then a report of
 * imported and rejected rows (row, field, reason) with "Save rejects…". The window reopens the
 * project after an import that wrote rows. */

#define PREVIEW_ROWS 20
#define MAX_LISTED_REJECTS 10000

typedef struct
{
  char         *project;
  char         *input;
  GeoImportKind kind;
  char        **overrides;
  char         *rejects_path;
  char         *layer; /* NULL: the first */
  char         *crs;   /* of x/y columns; NULL: EPSG:4326 */
  gint          permille; /* atomic, -1 = unknown */
  /* results */
  GeoImportReport      report;
  GeoImportAreasReport areas;
  GArray              *rejects; /* GeoImportReject */
  guint64              n_rejects;
} ImportJob;

struct _AppImportDialog
{
  AdwWindow parent_instance;

  /* borrowed */
  AppWindow *window;
  /* widgets */
  GtkStack       *stack;
  GtkWidget      *file_row;
  GtkWidget      *kind_row;
  GtkWidget      *layer_row, *layer_group; /* shown for sources with several layers */
  GtkWidget      *crs_row, *crs_group;     /* shown when points come from x/y columns */
  GtkWidget      *mapping_group;
  GtkWidget      *mapping_list;
  GtkColumnView  *preview_view;
  GtkWidget      *preview_note;
  GtkWidget      *import_button;
  GtkProgressBar *progress;
  GtkWidget      *report_label;
  GtkColumnView  *reject_view;
  GtkWidget      *save_button;
  /* owned */
  char             *path;
  char            **layers; /* of @path; NULL when it has one */
  GeoImportPreview *preview;
  GHashTable       *choices; /* column -> attribute chosen by the user */
  GtkStringList    *reject_model;
  GCancellable     *cancellable;
  ImportJob        *job;
  guint             progress_id;
  guint             refresh_id;
  AppImportState    state;
  gboolean          updating;
};

G_DEFINE_FINAL_TYPE (AppImportDialog, app_import_dialog, ADW_TYPE_WINDOW)

/* The coordinate systems of x/y columns an office's spreadsheet may use: longitude/latitude,
 * or metres in the UTM zone of its province (Indonesia spans zones 46-54, both hemispheres). */
static const struct
{
  const char *crs;
  const char *label; /* translated at use; NULL for a UTM zone */
  const char *zone;
} crs_choices[] = {
  { "EPSG:4326", N_ ("Longitude/latitude, WGS 84 (EPSG:4326)"), NULL },
  { "EPSG:4755", N_ ("Longitude/latitude, DGN95 (EPSG:4755)"), NULL },
  { "EPSG:32746", NULL, "46S" },
  { "EPSG:32747", NULL, "47S" },
  { "EPSG:32748", NULL, "48S" },
  { "EPSG:32749", NULL, "49S" },
  { "EPSG:32750", NULL, "50S" },
  { "EPSG:32751", NULL, "51S" },
  { "EPSG:32752", NULL, "52S" },
  { "EPSG:32753", NULL, "53S" },
  { "EPSG:32754", NULL, "54S" },
  { "EPSG:32646", NULL, "46N" },
  { "EPSG:32647", NULL, "47N" },
  { "EPSG:32648", NULL, "48N" },
  { "EPSG:32649", NULL, "49N" },
  { "EPSG:32650", NULL, "50N" },
  { "EPSG:32651", NULL, "51N" },
  { "EPSG:32652", NULL, "52N" },
  { "EPSG:32653", NULL, "53N" },
};

static const char *
current_layer (AppImportDialog *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->layer_row));

  return self->layers != NULL && i < g_strv_length (self->layers) ? self->layers[i] : NULL;
}

static const char *
current_crs (AppImportDialog *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->crs_row));

  return i < G_N_ELEMENTS (crs_choices) ? crs_choices[i].crs : "EPSG:4326";
}

static void
import_job_free (ImportJob *job)
{
  g_free (job->project);
  g_free (job->input);
  g_strfreev (job->overrides);
  if (job->rejects_path != NULL)
    g_unlink (job->rejects_path);
  g_free (job->rejects_path);
  g_free (job->layer);
  g_free (job->crs);
  geo_import_report_clear (&job->report);
  geo_import_areas_report_clear (&job->areas);
  g_clear_pointer (&job->rejects, g_array_unref);
}

static ImportJob *
import_job_ref (ImportJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
import_job_unref (ImportJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) import_job_free);
}

/* --- reasons ---------------------------------------------------------------------- */

const char *
app_import_reason_text (GeoImportReason reason)
{
  static const char *const texts[GEO_IMPORT_N_REASONS] = {
    [GEO_IMPORT_NIK_LENGTH] = N_ ("NIK is not 16 digits long"),
    [GEO_IMPORT_NIK_DIGITS] = N_ ("NIK has characters other than digits"),
    [GEO_IMPORT_NIK_DATE] = N_ ("NIK holds an impossible birth date"),
    [GEO_IMPORT_NIK_SERIAL] = N_ ("NIK serial number is 0000"),
    [GEO_IMPORT_NIK_REGION] = N_ ("NIK region code is unknown"),
    [GEO_IMPORT_NIK_SEX] = N_ ("NIK does not match the sex"),
    [GEO_IMPORT_NIK_BIRTH_DATE] = N_ ("NIK does not match the birth date"),
    [GEO_IMPORT_KK_LENGTH] = N_ ("No. KK is not 16 digits long"),
    [GEO_IMPORT_KK_DIGITS] = N_ ("No. KK has characters other than digits"),
    [GEO_IMPORT_KK_ZEROS] = N_ ("No. KK is all zeros"),
    [GEO_IMPORT_KK_REGION] = N_ ("No. KK region code is unknown"),
    [GEO_IMPORT_DUPLICATE_NIK] = N_ ("NIK already in the project or earlier in the file"),
    [GEO_IMPORT_BAD_SEX] = N_ ("Sex is not L/P"),
    [GEO_IMPORT_BAD_BIRTH_DATE] = N_ ("Birth date cannot be read"),
    [GEO_IMPORT_BAD_CATEGORY] = N_ ("Unknown PMKS category"),
    [GEO_IMPORT_BAD_COORDINATES] = N_ ("Coordinates cannot be read"),
    [GEO_IMPORT_OUTSIDE_INDONESIA] = N_ ("Coordinates outside Indonesia"),
    [GEO_IMPORT_SWAPPED_LAT_LON] = N_ ("Latitude and longitude swapped"),
    [GEO_IMPORT_UNKNOWN_DESA] = N_ ("Desa code not in the project"),
    [GEO_IMPORT_NO_LOCATION] = N_ ("No coordinates and no known desa"),
    [GEO_IMPORT_BAD_TYPE] = N_ ("Unknown PSKS type"),
    [GEO_IMPORT_MISSING_NAME] = N_ ("Name is missing"),
    [GEO_IMPORT_BAD_RADIUS] = N_ ("Service radius is not a positive number"),
    [GEO_IMPORT_BAD_CAPACITY] = N_ ("Capacity is not a whole number"),
    [GEO_IMPORT_BAD_PRIORITY] = N_ ("Priority is not 1-3 (mendesak, tinggi, biasa)"),
  };

  g_return_val_if_fail (reason < GEO_IMPORT_N_REASONS, "");
  return _ (texts[reason]);
}

/* --- preview ---------------------------------------------------------------------- */

static char **
build_overrides (AppImportDialog *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  GHashTableIter it;
  gpointer       column, attr;

  g_hash_table_iter_init (&it, self->choices);
  while (g_hash_table_iter_next (&it, &column, &attr))
    {
      g_autofree char *o = g_strdup_printf ("%s=%s", (char *) column, (char *) attr);

      g_strv_builder_add (b, o);
    }
  return g_strv_builder_end (b);
}

static GeoImportKind
current_kind (AppImportDialog *self)
{
  return (GeoImportKind) adw_combo_row_get_selected (ADW_COMBO_ROW (self->kind_row));
}

/* A preview value as displayed: NIK, No. KK and names masked (geo-mask.h), as everywhere in
 * the app; what a column holds is still recognisable. */
static char *
display_value (AppImportDialog *self, guint row, guint col)
{
  const char *text = "";
  const char *attr;
  char       *masked = NULL;

  if (self->preview == NULL || row >= self->preview->rows->len || col >= self->preview->n_columns)
    return g_strdup ("");
  text = ((char **) self->preview->rows->pdata[row])[col];
  attr = self->preview->mapping[col];
  if (g_strcmp0 (attr, "nik") == 0 || g_strcmp0 (attr, "no_kk") == 0)
    masked = geo_mask_id (text);
  else if (g_strcmp0 (attr, "name") == 0 && current_kind (self) == GEO_IMPORT_KIND_HOUSEHOLDS)
    masked = geo_mask_name (text);
  return masked != NULL ? masked : g_strdup (text);
}

static void
preview_cell_bind (GtkSignalListItemFactory *f, GtkListItem *item, AppImportDialog *self)
{
  guint            col = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f), "column"));
  g_autofree char *text = display_value (self, gtk_list_item_get_position (item), col);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
label_cell_setup (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_list_item_set_child (item, label);
}

static void on_mapping_changed (AdwComboRow *row, GParamSpec *pspec, AppImportDialog *self);

static void
rebuild_preview (AppImportDialog *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  GtkWidget *child;

  self->updating = TRUE;
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview_view, c);
    }
  while ((child = gtk_widget_get_first_child (self->mapping_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->mapping_list), child);

  if (self->preview != NULL)
    {
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      g_auto(GStrv) attr_names = NULL;
      guint n_attrs = g_strv_length (self->preview->attributes);

      g_strv_builder_add (names, _ ("— not imported —"));
      g_strv_builder_addv (names, (const char **) self->preview->attributes);
      attr_names = g_strv_builder_end (names);

      for (guint r = 0; r < self->preview->rows->len; r++)
        {
          char buf[16];

          g_snprintf (buf, sizeof buf, "%u", r + 1);
          gtk_string_list_append (rows, buf);
        }
      for (guint i = 0; i < self->preview->n_columns; i++)
        {
          const char      *column = self->preview->columns[i];
          const char      *attr = self->preview->mapping[i];
          g_autofree char *title =
              attr != NULL ? g_strdup_printf ("%s → %s", column, attr) : g_strdup (column);
          GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
          g_autoptr(GtkColumnViewColumn) vc = NULL;
          GtkWidget *row;
          g_autoptr(GtkStringList) model = gtk_string_list_new ((const char *const *) attr_names);
          guint            selected = 0;
          g_autofree char *sample = NULL;

          g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (i));
          g_signal_connect (factory, "setup", G_CALLBACK (label_cell_setup), NULL);
          g_signal_connect (factory, "bind", G_CALLBACK (preview_cell_bind), self);
          vc = gtk_column_view_column_new (title, factory);
          gtk_column_view_column_set_resizable (vc, TRUE);
          gtk_column_view_append_column (self->preview_view, vc);

          for (guint a = 0; attr != NULL && a < n_attrs; a++)
            if (g_str_equal (self->preview->attributes[a], attr))
              selected = a + 1;
          row = adw_combo_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), column);
          if (self->preview->rows->len > 0)
            {
              g_autofree char *value = display_value (self, 0, i);

              sample = g_strdup_printf (_ ("e.g. “%s”"), value);
            }
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample != NULL ? sample : "");
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
          g_object_set_data_full (G_OBJECT (row), "column", g_strdup (column), g_free);
          gtk_widget_set_name (row, column);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          column,
                                          -1);
          g_signal_connect (row, "notify::selected", G_CALLBACK (on_mapping_changed), self);
          gtk_list_box_append (GTK_LIST_BOX (self->mapping_list), row);
        }
      gtk_label_set_text (GTK_LABEL (self->preview_note),
                          self->preview->has_geometry
                              ? _ ("The first rows. The file has geometries: they give the "
                                   "location.")
                              : _ ("The first rows, and which field each column is read as."));
    }
  {
    g_autoptr(GtkNoSelection) sel = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));

    gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (sel));
  }
  gtk_widget_set_visible (self->mapping_group, self->preview != NULL);
  gtk_widget_set_sensitive (self->import_button, self->preview != NULL);
  self->updating = FALSE;
}

/* Reads the preview again through the core with the user's choices as overrides; the
 * drop-downs then show what the import will really do. */
static void set_layers (AppImportDialog *self);

static gboolean
refresh_preview (AppImportDialog *self, GError **error)
{
  g_auto(GStrv) overrides = build_overrides (self);
  GeoImportPreview *preview;

  g_clear_pointer (&self->preview, geo_import_preview_free);
  if (self->path == NULL)
    {
      rebuild_preview (self);
      return TRUE;
    }
  preview = geo_import_preview_layer (self->path,
                                      current_kind (self) == GEO_IMPORT_KIND_AREAS
                                          ? NULL
                                          : current_layer (self),
                                      current_kind (self),
                                      (const char *const *) overrides,
                                      PREVIEW_ROWS,
                                      error);
  self->preview = preview;
  /* The coordinate system only matters for points read from x/y columns. */
  gtk_widget_set_visible (self->crs_group,
                          preview != NULL && !preview->has_geometry &&
                              current_kind (self) != GEO_IMPORT_KIND_AREAS);
  rebuild_preview (self);
  return preview != NULL;
}

static void
refresh_or_toast (AppImportDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!refresh_preview (self, &error))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row), error->message);
      gtk_widget_add_css_class (self->file_row, "error");
    }
  else
    gtk_widget_remove_css_class (self->file_row, "error");
}

static void set_choice (AppImportDialog *self, const char *column, const char *attribute);

static gboolean
refresh_idle (gpointer data)
{
  AppImportDialog *self = data;

  self->refresh_id = 0;
  refresh_or_toast (self);
  return G_SOURCE_REMOVE;
}

static void
on_mapping_changed (AdwComboRow *row, GParamSpec *pspec, AppImportDialog *self)
{
  const char *column = g_object_get_data (G_OBJECT (row), "column");
  guint       sel = adw_combo_row_get_selected (row);

  if (self->updating || self->preview == NULL)
    return;
  set_choice (self,
              column,
              sel == 0 || sel == GTK_INVALID_LIST_POSITION ? NULL
                                                           : self->preview->attributes[sel - 1]);
  /* Re-reading rebuilds the rows, this one included: not while it emits its signal. */
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle, self);
}

static void
set_choice (AppImportDialog *self, const char *column, const char *attribute)
{
  if (attribute == NULL)
    g_hash_table_remove (self->choices, column);
  else
    {
      /* One column per attribute: a new choice replaces an older one for the same attribute. */
      GHashTableIter it;
      gpointer       k, v;

      g_hash_table_iter_init (&it, self->choices);
      while (g_hash_table_iter_next (&it, &k, &v))
        if (g_str_equal (v, attribute))
          g_hash_table_iter_remove (&it);
      g_hash_table_replace (self->choices, g_strdup (column), g_strdup (attribute));
    }
}

/**
 * app_import_dialog_set_column:
 * @attribute: (nullable): what @column is read as; NULL drops the user's choice (the core's
 *   detection applies again)
 *
 * As choosing in the column's drop-down; the preview is read again through the core.
 */
gboolean
app_import_dialog_set_column (AppImportDialog *self, const char *column, const char *attribute)
{
  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (column != NULL, FALSE);
  set_choice (self, column, attribute);
  return refresh_preview (self, NULL);
}

const GeoImportPreview *
app_import_dialog_get_preview (AppImportDialog *self)
{
  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), NULL);
  return self->preview;
}

gboolean
app_import_dialog_set_file (AppImportDialog *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), FALSE);
  g_free (self->path);
  self->path = g_strdup (path);
  g_hash_table_remove_all (self->choices);
  set_layers (self);
  base = g_path_get_basename (path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row), base);
  if (!refresh_preview (self, &error))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row), error->message);
      gtk_widget_add_css_class (self->file_row, "error");
      return FALSE;
    }
  gtk_widget_remove_css_class (self->file_row, "error");
  return TRUE;
}

/* The layer chooser: the source's layers when it has several (areas use the first). */
static void
set_layers (AppImportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->layers, g_strfreev);
  self->layers = geo_import_list_layers (self->path, NULL);
  if (self->layers != NULL && g_strv_length (self->layers) < 2)
    g_clear_pointer (&self->layers, g_strfreev);
  for (guint i = 0; self->layers != NULL && self->layers[i] != NULL; i++)
    gtk_string_list_append (names, self->layers[i]);
  self->updating = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->layer_row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->layer_row), 0);
  self->updating = FALSE;
  gtk_widget_set_visible (self->layer_group, self->layers != NULL);
}

/* For tests: choose a layer by name, a CRS of x/y columns by its code ("EPSG:32749"). */
gboolean
app_import_dialog_set_layer (AppImportDialog *self, const char *layer)
{
  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), FALSE);
  for (guint i = 0; self->layers != NULL && self->layers[i] != NULL; i++)
    if (g_strcmp0 (self->layers[i], layer) == 0)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->layer_row), i);
        return TRUE;
      }
  return FALSE;
}

gboolean
app_import_dialog_set_crs (AppImportDialog *self, const char *crs)
{
  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (crs_choices); i++)
    if (g_strcmp0 (crs_choices[i].crs, crs) == 0)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->crs_row), i);
        return TRUE;
      }
  return FALSE;
}

gboolean
app_import_dialog_crs_visible (AppImportDialog *self)
{
  return gtk_widget_get_visible (self->crs_group);
}

void
app_import_dialog_set_kind (AppImportDialog *self, GeoImportKind kind)
{
  g_return_if_fail (APP_IS_IMPORT_DIALOG (self));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->kind_row), kind);
}

static void
on_kind_changed (AdwComboRow *row, GParamSpec *pspec, AppImportDialog *self)
{
  g_hash_table_remove_all (self->choices);
  refresh_or_toast (self);
}

static void
on_layer_changed (AdwComboRow *row, GParamSpec *pspec, AppImportDialog *self)
{
  if (self->updating)
    return;
  g_hash_table_remove_all (self->choices);
  refresh_or_toast (self);
}

static void
on_file_chosen (GtkNativeDialog *chooser, int response, AppImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        app_import_dialog_set_file (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_choose_file (GtkButton *button, AppImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  static const char *const patterns[] = { "*.csv",  "*.txt", "*.xlsx", "*.geojson", "*.json",
                                          "*.gpkg", "*.shp", "*.kml",  "*.zip" };

  chooser = gtk_file_chooser_native_new (_ ("Import Data"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _ ("_Open"),
                                         _ ("_Cancel"));
  gtk_file_filter_set_name (filter, _ ("Tables and maps (CSV, XLSX, GeoJSON, GPKG, SHP, KML)"));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- import ----------------------------------------------------------------------- */

static void
on_progress (guint64 rows, double fraction, gpointer data)
{
  ImportJob *job = data;

  g_atomic_int_set (&job->permille, fraction < 0 ? -1 : (gint) (fraction * 1000));
}

static void
import_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ImportJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (job->project, GEO_STORE_OPEN_DEFAULT, &error);
  gboolean ok = FALSE;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->kind == GEO_IMPORT_KIND_AREAS)
    {
      GeoImportAreasOptions opts = { 0 };

      for (guint i = 0; job->overrides[i] != NULL; i++)
        {
          char *eq = strrchr (job->overrides[i], '=');

          *eq = '\0';
          if (g_str_equal (eq + 1, "code"))
            opts.code_field = job->overrides[i];
          else if (g_str_equal (eq + 1, "name"))
            opts.name_field = job->overrides[i];
        }
      g_atomic_int_set (&job->permille, -1);
      ok = geo_import_areas (store, job->input, &opts, &job->areas, cancellable, &error);
    }
  else
    {
      GeoImportOptions opts = { 0 };

      opts.fields = (const char *const *) job->overrides;
      opts.rejects_path = job->rejects_path;
      opts.layer = job->layer;
      opts.crs = job->crs;
      opts.progress = on_progress;
      opts.progress_data = job;
      if (job->kind == GEO_IMPORT_KIND_HOUSEHOLDS)
        ok = geo_import_households (store, job->input, &opts, &job->report, cancellable, &error);
      else
        ok = geo_import_resources (store, job->input, &opts, &job->report, cancellable, &error);
      if (ok && job->report.rejects_path != NULL)
        {
          job->rejects = geo_import_read_rejects (job->report.rejects_path,
                                                  MAX_LISTED_REJECTS,
                                                  &job->n_rejects,
                                                  &error);
          ok = job->rejects != NULL;
        }
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
update_progress (gpointer data)
{
  AppImportDialog *self = data;
  int              permille = g_atomic_int_get (&self->job->permille);

  if (permille < 0)
    gtk_progress_bar_pulse (self->progress);
  else
    gtk_progress_bar_set_fraction (self->progress, permille / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
show_report (AppImportDialog *self)
{
  ImportJob       *job = self->job;
  g_autofree char *text = NULL;
  guint64          imported, rejected;
  char             n_imported[32], n_rejected[32];

  gtk_string_list_splice (self->reject_model,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->reject_model)),
                          NULL);
  if (job->kind == GEO_IMPORT_KIND_AREAS)
    {
      imported = job->areas.imported;
      rejected = job->areas.rejected;
      for (guint i = 0; job->areas.rejects != NULL && i < job->areas.rejects->len; i++)
        {
          g_autofree char *line =
              g_strdup_printf ("\t\t%s\t", (char *) job->areas.rejects->pdata[i]);

          gtk_string_list_append (self->reject_model, line);
        }
    }
  else
    {
      imported = job->report.imported;
      rejected = job->report.rejected;
      for (guint i = 0; job->rejects != NULL && i < job->rejects->len; i++)
        {
          const GeoImportReject *r = &g_array_index (job->rejects, GeoImportReject, i);
          g_autofree char       *line = g_strdup_printf ("%" G_GUINT64_FORMAT "\t%s\t%s\t%s",
                                                   r->row,
                                                   r->field,
                                                   app_import_reason_text (r->reason),
                                                   r->detail ? r->detail : "");

          gtk_string_list_append (self->reject_model, line);
        }
    }
  g_snprintf (n_imported, sizeof n_imported, "%" G_GUINT64_FORMAT, imported);
  g_snprintf (n_rejected, sizeof n_rejected, "%" G_GUINT64_FORMAT, rejected);
  text = g_strdup_printf (_ ("%s rows imported, %s rejected."), n_imported, n_rejected);
  gtk_label_set_text (GTK_LABEL (self->report_label), text);
  gtk_widget_set_sensitive (self->save_button, rejected > 0);
}

static void
import_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AppImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->state = APP_IMPORT_FAILED;
      gtk_label_set_text (GTK_LABEL (self->report_label),
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                              ? _ ("Import cancelled: nothing was written.")
                              : error->message);
      gtk_widget_set_sensitive (self->save_button, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "report");
      return;
    }
  self->state = APP_IMPORT_DONE;
  show_report (self);
  gtk_stack_set_visible_child_name (self->stack, "report");
  if (self->window != NULL && app_window_get_project (self->window) != NULL)
    app_window_open_project (self->window,
                             app_project_get_path (app_window_get_project (self->window)),
                             FALSE);
}

void
app_import_dialog_start (AppImportDialog *self)
{
  AppProject *project;
  g_autoptr(GTask) task = NULL;
  ImportJob       *job;
  g_autofree char *tmpl = NULL;
  int              fd;

  g_return_if_fail (APP_IS_IMPORT_DIALOG (self));
  project = self->window != NULL ? app_window_get_project (self->window) : NULL;
  if (self->preview == NULL || project == NULL || self->state == APP_IMPORT_RUNNING)
    return;

  job = g_atomic_rc_box_new0 (ImportJob);
  job->project = g_strdup (app_project_get_path (project));
  job->input = g_strdup (self->path);
  job->kind = current_kind (self);
  job->overrides = build_overrides (self);
  if (job->kind != GEO_IMPORT_KIND_AREAS)
    {
      job->layer = g_strdup (current_layer (self));
      if (gtk_widget_get_visible (self->crs_group))
        job->crs = g_strdup (current_crs (self));
    }
  if (job->kind == GEO_IMPORT_KIND_AREAS)
    {
      /* The areas import takes a code and a name field; nothing else can be overridden. */
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

      for (guint i = 0; job->overrides[i] != NULL; i++)
        if (g_str_has_suffix (job->overrides[i], "=code") ||
            g_str_has_suffix (job->overrides[i], "=name"))
          g_strv_builder_add (b, job->overrides[i]);
      g_strfreev (job->overrides);
      job->overrides = g_strv_builder_end (b);
    }
  fd = g_file_open_tmp ("jangkau-rejects-XXXXXX.csv", &tmpl, NULL);
  if (fd >= 0)
    {
      close (fd);
      job->rejects_path = g_steal_pointer (&tmpl);
    }
  g_clear_pointer (&self->job, import_job_unref);
  self->job = import_job_ref (job);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->state = APP_IMPORT_RUNNING;
  gtk_widget_set_visible (self->import_button, FALSE); /* one import per dialog */
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  self->progress_id = g_timeout_add (100, update_progress, self);
  task = g_task_new (self, self->cancellable, import_done, g_object_ref (self));
  g_task_set_source_tag (task, app_import_dialog_start);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_unref);
  g_task_run_in_thread (task, import_thread);
}

void
app_import_dialog_cancel (AppImportDialog *self)
{
  g_return_if_fail (APP_IS_IMPORT_DIALOG (self));
  g_cancellable_cancel (self->cancellable);
}

AppImportState
app_import_dialog_get_state (AppImportDialog *self)
{
  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), APP_IMPORT_FAILED);
  return self->state;
}

void
app_import_dialog_get_counts (AppImportDialog *self, guint64 *imported, guint64 *rejected)
{
  g_return_if_fail (APP_IS_IMPORT_DIALOG (self));
  *imported = *rejected = 0;
  if (self->job == NULL || self->state != APP_IMPORT_DONE)
    return;
  if (self->job->kind == GEO_IMPORT_KIND_AREAS)
    {
      *imported = self->job->areas.imported;
      *rejected = self->job->areas.rejected;
    }
  else
    {
      *imported = self->job->report.imported;
      *rejected = self->job->report.rejected;
    }
}

/* The rejected rows as "row\tfield\treason\tdetail" strings (reason translated). */
GListModel *
app_import_dialog_get_reject_model (AppImportDialog *self)
{
  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), NULL);
  return G_LIST_MODEL (self->reject_model);
}

/**
 * app_import_dialog_save_rejects:
 *
 * Writes the rejected rows to @path as CSV: for households and resources the import's rejects
 * file (row, every input column, reason, detail); for areas "feature,reason".
 */
gboolean
app_import_dialog_save_rejects (AppImportDialog *self, const char *path, GError **error)
{
  ImportJob *job;

  g_return_val_if_fail (APP_IS_IMPORT_DIALOG (self), FALSE);
  job = self->job;
  if (job == NULL || self->state != APP_IMPORT_DONE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("No import report"));
      return FALSE;
    }
  if (job->kind == GEO_IMPORT_KIND_AREAS)
    {
      g_autoptr(GString) csv = g_string_new ("feature,reason\n");

      for (guint i = 0; job->areas.rejects != NULL && i < job->areas.rejects->len; i++)
        {
          const char *line = job->areas.rejects->pdata[i];
          g_auto(GStrv) parts = g_strsplit (line, ": ", 2);

          {
            g_auto(GStrv) a = g_strsplit (parts[0], "\"", -1);
            g_auto(GStrv) b = g_strsplit (parts[1] ? parts[1] : "", "\"", -1);
            g_autofree char *qa = g_strjoinv ("\"\"", a);
            g_autofree char *qb = g_strjoinv ("\"\"", b);

            g_string_append_printf (csv, "\"%s\",\"%s\"\n", qa, qb);
          }
        }
      return g_file_set_contents (path, csv->str, csv->len, error);
    }
  else
    {
      g_autoptr(GFile) src = g_file_new_for_path (job->report.rejects_path);
      g_autoptr(GFile) dst = g_file_new_for_path (path);

      if (job->report.rejects_path == NULL)
        return g_file_set_contents (path, "", 0, error);
      return g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
    }
}

static void
on_save_chosen (GtkNativeDialog *chooser, int response, AppImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !app_import_dialog_save_rejects (self, path, &error))
        gtk_label_set_text (GTK_LABEL (self->report_label), error->message);
      else if (path != NULL && self->window != NULL)
        app_window_toast (self->window, _ ("Rejected rows saved"));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_save_rejects (GtkButton *button, AppImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char      *base = g_path_get_basename (self->path);
  g_autofree char      *name = NULL;
  char                 *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  name = g_strconcat (base, ".rejects.csv", NULL);
  chooser = gtk_file_chooser_native_new (_ ("Save Rejected Rows"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _ ("_Save"),
                                         _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- widgets ---------------------------------------------------------------------- */

static void
reject_cell_bind (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  guint            field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f), "field"));
  GtkStringObject *obj = gtk_list_item_get_item (item);
  g_auto(GStrv) parts = g_strsplit (gtk_string_object_get_string (obj), "\t", 4);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      field < g_strv_length (parts) ? parts[field] : "");
}

static void
add_reject_column (AppImportDialog *self, const char *title, guint field, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) c = NULL;

  g_object_set_data (G_OBJECT (factory), "field", GUINT_TO_POINTER (field));
  g_signal_connect (factory, "setup", G_CALLBACK (label_cell_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (reject_cell_bind), NULL);
  c = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, TRUE);
  gtk_column_view_append_column (self->reject_view, c);
}

static GtkWidget *
scrolled (GtkWidget *child, int min_height)
{
  GtkWidget *sw = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), child);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (sw), min_height);
  gtk_widget_set_vexpand (sw, TRUE);
  gtk_widget_add_css_class (sw, "card");
  return sw;
}

static GtkWidget *
labelled_button (const char *label, const char *css)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  if (css != NULL)
    gtk_widget_add_css_class (b, css);
  return b;
}

static void
build_ui (AppImportDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page, *group, *button, *box, *paned, *label, *cancel;
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  gtk_window_set_title (GTK_WINDOW (self), _ ("Import Data"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1000, 680);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  gtk_box_append (GTK_BOX (toolbar), header);
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), toolbar);

  self->import_button = labelled_button (_ ("_Import"), "suggested-action");
  gtk_widget_set_sensitive (self->import_button, FALSE);
  g_signal_connect_swapped (self->import_button,
                            "clicked",
                            G_CALLBACK (app_import_dialog_start),
                            self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);

  /* Setup page: file, kind, mapping | preview. */
  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (page, 12);
  gtk_widget_set_margin_end (page, 12);
  gtk_widget_set_margin_top (page, 12);
  gtk_widget_set_margin_bottom (page, 12);
  group = adw_preferences_group_new ();
  self->file_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), _ ("File"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row),
                               _ ("CSV, XLSX, GeoJSON, GeoPackage, Shapefile or KML"));
  button = labelled_button (_ ("_Choose File…"), NULL);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (on_choose_file), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->file_row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->file_row);
  gtk_string_list_append (kinds, _ ("Households (persons and families)"));
  gtk_string_list_append (kinds, _ ("PSKS resources"));
  gtk_string_list_append (kinds, _ ("Administrative areas"));
  self->kind_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _ ("Contents"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->kind_row), G_LIST_MODEL (kinds));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kind_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Contents"),
                                  -1);
  g_signal_connect (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->kind_row);
  self->layer_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->layer_row), _ ("Sheet or layer"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->layer_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Sheet or layer"),
                                  -1);
  g_signal_connect (self->layer_row, "notify::selected", G_CALLBACK (on_layer_changed), self);
  /* Each optional row in a group of its own, shown or hidden whole: a hidden row inside a
   * boxed list makes GTK 4.8 mismeasure the list. */
  self->layer_group = adw_preferences_group_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->layer_group), self->layer_row);
  gtk_widget_set_visible (self->layer_group, FALSE);
  {
    g_autoptr(GtkStringList) crs = gtk_string_list_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (crs_choices); i++)
      {
        g_autofree char *utm =
            crs_choices[i].zone != NULL
                ? g_strdup_printf (_ ("UTM zone %s, metres (%s)"), crs_choices[i].zone,
                                   crs_choices[i].crs)
                : NULL;

        gtk_string_list_append (crs, utm != NULL ? utm : _ (crs_choices[i].label));
      }
    self->crs_row = adw_combo_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crs_row),
                                   _ ("Coordinates in the x/y columns"));
    adw_combo_row_set_model (ADW_COMBO_ROW (self->crs_row), G_LIST_MODEL (crs));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->crs_row),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _ ("Coordinates in the x/y columns"),
                                    -1);
    self->crs_group = adw_preferences_group_new ();
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->crs_group), self->crs_row);
    gtk_widget_set_visible (self->crs_group, FALSE);
  }
  gtk_box_append (GTK_BOX (page), group);
  gtk_box_append (GTK_BOX (page), self->layer_group);
  gtk_box_append (GTK_BOX (page), self->crs_group);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_vexpand (paned, TRUE);
  self->mapping_group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_ ("Field mapping"));
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (self->mapping_group), label);
  self->mapping_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->mapping_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->mapping_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mapping_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Field mapping"),
                                  -1);
  {
    GtkWidget *sw = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), self->mapping_list);
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (sw),
                                    GTK_POLICY_NEVER,
                                    GTK_POLICY_AUTOMATIC);
    gtk_widget_set_vexpand (sw, TRUE);
    gtk_widget_set_size_request (sw, 280, -1);
    gtk_box_append (GTK_BOX (self->mapping_group), sw);
  }
  gtk_widget_set_visible (self->mapping_group, FALSE);
  gtk_paned_set_start_child (GTK_PANED (paned), self->mapping_group);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_position (GTK_PANED (paned), 340);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->preview_note = gtk_label_new (_ ("Choose a file to see its first rows."));
  gtk_label_set_xalign (GTK_LABEL (self->preview_note), 0);
  gtk_label_set_wrap (GTK_LABEL (self->preview_note), TRUE);
  gtk_widget_add_css_class (self->preview_note, "dim-label");
  gtk_box_append (GTK_BOX (box), self->preview_note);
  self->preview_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->preview_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Preview of the first rows"),
                                  -1);
  {
    GtkWidget *sw = scrolled (GTK_WIDGET (self->preview_view), 200);

    gtk_widget_set_margin_start (sw, 6);
    gtk_box_append (GTK_BOX (box), sw);
  }
  gtk_paned_set_end_child (GTK_PANED (paned), box);
  gtk_box_append (GTK_BOX (page), paned);
  gtk_stack_add_named (self->stack, page, "setup");

  /* Progress page. */
  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_valign (page, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (page, GTK_ALIGN_CENTER);
  label = gtk_label_new (_ ("Importing…"));
  gtk_widget_add_css_class (label, "title-2");
  gtk_box_append (GTK_BOX (page), label);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->progress), 360, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Import progress"),
                                  -1);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->progress));
  cancel = labelled_button (_ ("_Cancel"), "pill");
  gtk_widget_set_halign (cancel, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (app_import_dialog_cancel), self);
  gtk_box_append (GTK_BOX (page), cancel);
  gtk_stack_add_named (self->stack, page, "progress");

  /* Report page. */
  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (page, 12);
  gtk_widget_set_margin_end (page, 12);
  gtk_widget_set_margin_top (page, 12);
  gtk_widget_set_margin_bottom (page, 12);
  self->report_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->report_label, "title-3");
  gtk_label_set_xalign (GTK_LABEL (self->report_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->report_label), TRUE);
  gtk_box_append (GTK_BOX (page), self->report_label);
  self->reject_model = gtk_string_list_new (NULL);
  {
    g_autoptr(GtkNoSelection) sel =
                   gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->reject_model)));

    self->reject_view =
        GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_steal_pointer (&sel))));
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reject_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Rejected rows"),
                                  -1);
  add_reject_column (self, _ ("Row"), 0, FALSE);
  add_reject_column (self, _ ("Field"), 1, FALSE);
  add_reject_column (self, _ ("Reason"), 2, TRUE);
  add_reject_column (self, _ ("Detail"), 3, TRUE);
  gtk_box_append (GTK_BOX (page), scrolled (GTK_WIDGET (self->reject_view), 240));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  self->save_button = labelled_button (_ ("_Save Rejects…"), NULL);
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (on_save_rejects), self);
  gtk_box_append (GTK_BOX (box), self->save_button);
  button = labelled_button (_ ("_Close"), "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (gtk_window_destroy), self);
  gtk_box_append (GTK_BOX (box), button);
  gtk_box_append (GTK_BOX (page), box);
  gtk_stack_add_named (self->stack, page, "report");
  gtk_stack_set_visible_child_name (self->stack, "setup");
}

static void
app_import_dialog_dispose (GObject *object)
{
  AppImportDialog *self = APP_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_weak_pointer (&self->window);
  G_OBJECT_CLASS (app_import_dialog_parent_class)->dispose (object);
}

static void
app_import_dialog_finalize (GObject *object)
{
  AppImportDialog *self = APP_IMPORT_DIALOG (object);

  g_free (self->path);
  g_clear_pointer (&self->layers, g_strfreev);
  g_clear_pointer (&self->preview, geo_import_preview_free);
  g_clear_pointer (&self->choices, g_hash_table_unref);
  g_clear_object (&self->reject_model);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->job, import_job_unref);
  G_OBJECT_CLASS (app_import_dialog_parent_class)->finalize (object);
}

static void
app_import_dialog_class_init (AppImportDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = app_import_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = app_import_dialog_finalize;
}

static void
app_import_dialog_init (AppImportDialog *self)
{
  self->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  build_ui (self);
}

AppImportDialog *
app_import_dialog_new (AppWindow *window)
{
  AppImportDialog *self = g_object_new (APP_TYPE_IMPORT_DIALOG, NULL);

  g_set_weak_pointer (&self->window, window);
  gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (window));
  return self;
}

static void
import_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  AppWindow *window = APP_WINDOW (data);

  if (app_window_get_project (window) == NULL)
    {
      app_window_toast (window, _ ("Open a project first"));
      return;
    }
  gtk_window_present (GTK_WINDOW (app_import_dialog_new (window)));
}

/* Adds `win.import` (main menu "Import Data…", Ctrl+I) to @window. */
void
app_import_dialog_attach (AppWindow *window)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("import", NULL);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  g_signal_connect (action, "activate", G_CALLBACK (import_activated), window);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_i,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.import")));
  gtk_widget_add_controller (GTK_WIDGET (window), shortcuts);
}
