#include "config.h"

#include <adwaita.h>
#include <gdal.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-application.h"
#include "app-export-dialog.h"
#include "app-import-dialog.h"
#include "app-map-export.h"
#include "app-psks.h"
#include "app-resources.h"
#include "app-window.h"
#include "geo-categories.h"
#include "geo-mask.h"
#include "geo-store-private.h"
#include "ui-fixture.h"
#include "../test-tmp.h"

/* The import and export dialogs, the map export and the PSKS layers, driven through the
 * dialogs' functions and widgets and checked against the project file through the core. */

static guint unexpected_warnings;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (level & G_LOG_LEVEL_WARNING)
    {
      const char *message = NULL;

      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
          message = fields[i].value;
      if (message == NULL || strstr (message, "session bus") == NULL)
        unexpected_warnings++;
    }
  return g_log_writer_default (level, fields, n_fields, data);
}

static char *project_path;
static char *work_dir;

static void
wait_for (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
project_loaded (gpointer data)
{
  return !app_window_get_loading (data) && app_window_get_project (data) != NULL &&
         !app_psks_get_loading (data);
}

static gboolean
import_finished (gpointer data)
{
  return app_import_dialog_get_state (data) != APP_IMPORT_RUNNING;
}

static gboolean
preview_has_lon (gpointer data)
{
  const GeoImportPreview *p = app_import_dialog_get_preview (data);

  return p != NULL && geo_import_preview_find_column (p, "lon") >= 0;
}

static void
save_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("JANGKAU_ARTIFACTS");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer     *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int              w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  for (guint tries = 0; node == NULL && tries < 200; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gtk_widget_queue_draw (widget);
      spin (20);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
find_label_text (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (find_label_text (c, text))
      return TRUE;
  return FALSE;
}

static gint64
query_int (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  sqlite3_stmt *stmt = NULL;
  gint64        v = -1;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (geo_store_get_db (store), sql, -1, &stmt, NULL),
                   ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static double
query_double (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  sqlite3_stmt *stmt = NULL;
  double        v = NAN;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (geo_store_get_db (store), sql, -1, &stmt, NULL),
                   ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static char *
write_file (const char *name, const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (work_dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static AppImportDialog *
run_import (AppWindow *win, const char *path, GeoImportKind kind)
{
  AppImportDialog *dlg = app_import_dialog_new (win);

  gtk_window_set_default_size (GTK_WINDOW (dlg), 1000, 640);
  gtk_window_present (GTK_WINDOW (dlg));
  wait_for (window_mapped, dlg, 10000);
  app_import_dialog_set_kind (dlg, kind);
  g_assert_true (app_import_dialog_set_file (dlg, path));
  return dlg;
}

static void
on_export_finished (AppExportDialog *dlg, gboolean ok, const char *message, int *result)
{
  g_test_message ("export: %s", message);
  *result = ok ? 1 : 0;
}

static gboolean
export_result_set (gpointer data)
{
  return *(int *) data >= 0;
}

static void
test_dialogs (void)
{
  AppWindow *win = app_window_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv =
      write_file ("keluarga.csv",
                  "NIK,No KK,Nama,JK,Kategori,Koordinat Y,Koordinat X\n"
                  "3402011201909001,3402010101099001,Budi Test,L,1,-7.90,110.33\n"
                  "3402015203859002,3402010101099001,Siti Test,P,1,-7.90,110.33\n"
                  "340201120190900,3402010101099002,Salah Test,L,1,-7.90,110.33\n"
                  "3402010507709003,3402010101099002,Agus Test,L,2,-7.91,110.34\n");
  g_autofree char        *psks = write_file ("psks.csv",
                                      "jenis,nama,latitude,longitude,kapasitas,kontak,radius\n"
                                             "4,Panti Sejahtera,-7.905,110.335,40,0274-555123,5000\n"
                                             "4,LKS Bina Insani,-7.915,110.345,25,,3000\n"
                                             "1,Peksos Kecamatan,-7.895,110.325,,0812-1111,\n");
  g_autofree char        *rejects = g_build_filename (work_dir, "tolak.csv", NULL);
  g_autofree char        *rejects_text = NULL;
  g_autofree char        *export_path = g_build_filename (work_dir, "jiwa.csv", NULL);
  g_autofree char        *export_text = NULL;
  g_autofree char        *png = g_build_filename (work_dir, "peta.png", NULL);
  g_autofree char        *pdf = g_build_filename (work_dir, "peta.pdf", NULL);
  AppImportDialog        *dlg;
  const GeoImportPreview *p;
  GtkWidget              *row;
  GListModel             *rej;
  guint64                 imported, rejected;
  gint64                  persons_before;

  gtk_window_set_default_size (GTK_WINDOW (win), 1366, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_for (window_mapped, win, 10000);
  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  spin (300);
  persons_before = query_int ("SELECT count(*) FROM person");

  /* The main menu's actions open the dialogs. */
  {
    const char *const actions[] = { "import", "export" };

    for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
      {
        GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */
        GtkWindow *found = NULL;

        g_assert_true (g_action_group_has_action (G_ACTION_GROUP (win), actions[a]));
        g_action_group_activate_action (G_ACTION_GROUP (win), actions[a], NULL);
        spin (50);
        for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
          {
            g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

            if ((a == 0 && APP_IS_IMPORT_DIALOG (w)) || (a == 1 && APP_IS_EXPORT_DIALOG (w)))
              found = w;
          }
        g_assert_nonnull (found);
        g_assert_true (gtk_window_get_transient_for (found) == GTK_WINDOW (win));
        gtk_window_destroy (found);
      }
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (win), "export-map"));
  }

  /* --- import: preview, mapping changed through the core and a drop-down, report --- */
  dlg = run_import (win, csv, GEO_IMPORT_KIND_HOUSEHOLDS);
  p = app_import_dialog_get_preview (dlg);
  g_assert_nonnull (p);
  g_assert_cmpuint (p->rows->len, ==, 4);
  g_assert_cmpint (geo_import_preview_find_column (p, "nik"), ==, 0);
  g_assert_cmpint (geo_import_preview_find_column (p, "name"), ==, 2);
  g_assert_cmpint (geo_import_preview_find_column (p, "lat"), ==, -1); /* "Koordinat Y" unknown */
  g_assert_true (app_import_dialog_set_column (dlg, "Koordinat Y", "lat"));
  p = app_import_dialog_get_preview (dlg);
  g_assert_cmpint (geo_import_preview_find_column (p, "lat"), ==, 5);
  /* The drop-down of "Koordinat X": pick "lon" as a user would. */
  row = find_named (GTK_WIDGET (dlg), "Koordinat X");
  g_assert_nonnull (row);
  g_assert_true (ADW_IS_COMBO_ROW (row));
  {
    GListModel *m = adw_combo_row_get_model (ADW_COMBO_ROW (row));
    guint       lon_index = G_MAXUINT;

    for (guint i = 0; i < g_list_model_get_n_items (m); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (m), i), "lon"))
        lon_index = i;
    g_assert_cmpuint (lon_index, !=, G_MAXUINT);
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), lon_index);
  }
  wait_for (preview_has_lon, dlg, 10000); /* the dialog reads the preview again when idle */
  p = app_import_dialog_get_preview (dlg);
  g_assert_cmpint (geo_import_preview_find_column (p, "lon"), ==, 6);
  g_assert_cmpint (geo_import_preview_find_column (p, "lat"), ==, 5);
  /* Personal data masked in the preview too. */
  {
    GtkWidget       *nik_row = find_named (GTK_WIDGET (dlg), "NIK");
    g_autofree char *masked = geo_mask_nik ("3402011201909001");

    g_assert_nonnull (nik_row);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nik_row)), masked));
    g_assert_null (
        strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nik_row)), "3402011201909001"));
  }
  save_screenshot (GTK_WIDGET (dlg), "import-preview.png");

  app_import_dialog_start (dlg);
  g_assert_cmpint (app_import_dialog_get_state (dlg), ==, APP_IMPORT_RUNNING);
  wait_for (import_finished, dlg, 60000);
  g_assert_cmpint (app_import_dialog_get_state (dlg), ==, APP_IMPORT_DONE);
  app_import_dialog_get_counts (dlg, &imported, &rejected);
  g_assert_cmpuint (imported, ==, 3);
  g_assert_cmpuint (rejected, ==, 1);
  rej = app_import_dialog_get_reject_model (dlg);
  g_assert_cmpuint (g_list_model_get_n_items (rej), ==, 1);
  {
    g_auto(GStrv) parts =
                g_strsplit (gtk_string_list_get_string (GTK_STRING_LIST (rej), 0), "\t", 4);

    g_assert_cmpstr (parts[0], ==, "3");
    g_assert_cmpstr (parts[1], ==, "nik");
    g_assert_cmpstr (parts[2], ==, app_import_reason_text (GEO_IMPORT_NIK_LENGTH));
  }
  {
    g_autofree char *summary = g_strdup_printf (_ ("%s rows imported, %s rejected."), "3", "1");

    g_assert_true (find_label_text (GTK_WIDGET (dlg), summary));
  }
  save_screenshot (GTK_WIDGET (dlg), "import-report.png");
  g_assert_true (app_import_dialog_save_rejects (dlg, rejects, &error));
  g_assert_no_error (error);
  g_file_get_contents (rejects, &rejects_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (rejects_text, "row,NIK,"));
  g_assert_nonnull (strstr (rejects_text, "3,340201120190900,"));
  g_assert_nonnull (strstr (rejects_text, "nik_length"));
  gtk_window_destroy (GTK_WINDOW (dlg));

  /* The window reopened the project: the good rows are in the store and on the map. */
  spin (100);
  wait_for (project_loaded, win, 60000);
  g_assert_cmpint (query_int ("SELECT count(*) FROM person"), ==, persons_before + 3);
  g_assert_cmpint (query_int ("SELECT count(*) FROM person WHERE nik IN ('3402011201909001', "
                              "'3402015203859002', '3402010507709003')"),
                   ==,
                   3);
  g_assert_cmpint (query_int ("SELECT count(*) FROM person WHERE name = 'Salah Test'"), ==, 0);
  g_assert_cmpuint (map_family_layer_get_n_points (app_window_get_family_layer (win)),
                    ==,
                    (guint) query_int ("SELECT count(*) FROM family"));

  /* --- PSKS resources through the dialog --- */
  dlg = run_import (win, psks, GEO_IMPORT_KIND_RESOURCES);
  p = app_import_dialog_get_preview (dlg);
  g_assert_cmpint (geo_import_preview_find_column (p, "type"), ==, 0);
  g_assert_cmpint (geo_import_preview_find_column (p, "contact"), ==, 5);
  app_import_dialog_start (dlg);
  wait_for (import_finished, dlg, 60000);
  g_assert_cmpint (app_import_dialog_get_state (dlg), ==, APP_IMPORT_DONE);
  app_import_dialog_get_counts (dlg, &imported, &rejected);
  g_assert_cmpuint (imported, ==, 3);
  g_assert_cmpuint (rejected, ==, 0);
  gtk_window_destroy (GTK_WINDOW (dlg));
  spin (100);
  wait_for (project_loaded, win, 60000);
  g_assert_cmpint (query_int ("SELECT count(*) FROM resource"), ==, 3);

  /* --- A multi-layer source (a folder of CSV sheets, as OGR reads it) with x/y in UTM 49S:
   * the layer and the coordinate system are chosen in the dialog. --- */
  {
    g_autofree char *folder = g_build_filename (work_dir, "sheets", NULL);
    g_autofree char *notes = NULL, *houses = NULL;
    double           lon, lat;

    g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
    notes = write_file ("sheets/catatan.csv", "catatan,isi\nrapat,besok\n");
    houses = write_file ("sheets/rumah.csv",
                          "nik,no_kk,nama,x,y\n"
                          "3402011201920001,3402010101920001,Utm Satu,428351.69,9126701.42\n"
                          "3402015201920002,3402010101920002,Utm Dua,433855.37,9132237.52\n");
    dlg = run_import (win, folder, GEO_IMPORT_KIND_HOUSEHOLDS);
    /* The first layer (catatan) has no person columns; the chooser lists both. */
    g_assert_true (app_import_dialog_set_layer (dlg, "rumah"));
    g_assert_false (app_import_dialog_set_layer (dlg, "tidak-ada"));
    p = app_import_dialog_get_preview (dlg);
    g_assert_nonnull (p);
    g_assert_cmpint (geo_import_preview_find_column (p, "nik"), ==, 0);
    g_assert_true (app_import_dialog_crs_visible (dlg));
    g_assert_true (app_import_dialog_set_crs (dlg, "EPSG:32749"));
    save_screenshot (GTK_WIDGET (dlg), "import-layer-crs.png");
    app_import_dialog_start (dlg);
    wait_for (import_finished, dlg, 60000);
    g_assert_cmpint (app_import_dialog_get_state (dlg), ==, APP_IMPORT_DONE);
    app_import_dialog_get_counts (dlg, &imported, &rejected);
    g_assert_cmpuint (imported, ==, 2);
    g_assert_cmpuint (rejected, ==, 0);
    gtk_window_destroy (GTK_WINDOW (dlg));
    spin (100);
    wait_for (project_loaded, win, 60000);
    /* Reprojected from metres to longitude/latitude (110.35, -7.9). */
    lon = query_double ("SELECT ST_X (f.geom) FROM family f JOIN person p ON p.family_id = f.id "
                        "WHERE p.nik = '3402011201920001'");
    lat = query_double ("SELECT ST_Y (f.geom) FROM family f JOIN person p ON p.family_id = f.id "
                        "WHERE p.nik = '3402011201920001'");
    g_assert_cmpfloat_with_epsilon (lon, 110.35, 1e-5);
    g_assert_cmpfloat_with_epsilon (lat, -7.9, 1e-5);
  }

  /* --- PSKS layer rows, toggle, click, details --- */
  {
    MapResourceLayer *layer = app_psks_get_layer (win);
    GtkWidget        *panel = app_psks_get_panel (win);
    GtkWidget        *sw4 = find_named (panel, "psks-switch-4");
    GtkWidget        *map = GTK_WIDGET (app_window_get_map (win));
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    ShumateViewport    *viewport = app_window_get_viewport (win);
    const GeoResources *res = map_resource_layer_get_resources (layer);
    double              x, y;
    gint64              panti = -1;

    g_assert_true (gtk_widget_get_visible (panel));
    g_assert_nonnull (sw4);
    g_assert_nonnull (find_named (panel, "psks-switch-1"));
    g_assert_null (find_named (panel, "psks-switch-2"));
    {
      g_autofree char *two = g_strdup_printf (ngettext ("%u resource", "%u resources", 2), 2);

      g_assert_true (find_label_text (panel, two));
    }
    g_assert_cmpuint (res->n, ==, 3);
    spin (500); /* the reopened project fits the map on a frame: zoom in after it */
    shumate_map_center_on (app_window_get_map (win), -7.905, 110.335);
    shumate_viewport_set_zoom_level (viewport, 14);
    spin (300);
    g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, 14);
    gtk_widget_queue_draw (GTK_WIDGET (layer));
    spin (200);
    g_assert_cmpuint (map_resource_layer_get_n_drawn (layer), ==, 3);
    /* The map legend lists the PSKS types drawn (symbol and name), under the categories. */
    {
      GtkWidget *extra = find_named (GTK_WIDGET (win), "legend-extra");
      GtkWidget *row4 = find_named (GTK_WIDGET (win), "legend-psks-4");

      g_assert_nonnull (extra);
      g_assert_true (gtk_widget_get_mapped (extra));
      g_assert_nonnull (row4);
      g_assert_true (gtk_widget_is_ancestor (row4, extra));
      g_assert_true (find_label_text (row4, geo_psks_get (4)->name));
      g_assert_nonnull (find_named (extra, "legend-psks-1"));
      g_assert_null (find_named (extra, "legend-psks-2"));
      g_assert_true (find_label_text (extra, _ ("PSKS resources")));
    }
    save_screenshot (GTK_WIDGET (win), "psks-layer.png");

    gtk_switch_set_active (GTK_SWITCH (sw4), FALSE);
    /* A type switched off leaves the legend; the whole layer hidden, the PSKS part goes. */
    g_assert_null (find_named (GTK_WIDGET (win), "legend-psks-4"));
    g_assert_nonnull (find_named (GTK_WIDGET (win), "legend-psks-1"));
    gtk_widget_set_visible (GTK_WIDGET (layer), FALSE);
    g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (win), "legend-extra")));
    gtk_widget_set_visible (GTK_WIDGET (layer), TRUE);
    g_assert_true (gtk_widget_get_visible (find_named (GTK_WIDGET (win), "legend-extra")));
    g_assert_cmpuint (g_settings_get_uint (settings, "visible-psks") & GEO_TYPE_BIT (4), ==, 0);
    g_assert_cmpuint (map_resource_layer_get_visible_types (layer) & GEO_TYPE_BIT (4), ==, 0);
    gtk_widget_queue_draw (GTK_WIDGET (layer));
    spin (200);
    g_assert_cmpuint (map_resource_layer_get_n_drawn (layer), ==, 1);
    gtk_switch_set_active (GTK_SWITCH (sw4), TRUE);
    g_assert_cmpuint (g_settings_get_uint (settings, "visible-psks") & GEO_TYPE_BIT (4), !=, 0);
    gtk_widget_queue_draw (GTK_WIDGET (layer));
    spin (200);
    g_assert_cmpuint (map_resource_layer_get_n_drawn (layer), ==, 3);

    /* Hit-testing 4 px beside the Panti's symbol finds it; its details show. */
    for (guint i = 0; i < res->n; i++)
      if (g_str_equal (res->name[i], "Panti Sejahtera"))
        panti = res->id[i];
    g_assert_cmpint (panti, >, 0);
    shumate_viewport_location_to_widget_coords (viewport, map, -7.905, 110.335, &x, &y);
    g_assert_cmpint (map_resource_layer_hit_test (layer, x + 4, y), ==, panti);
    g_assert_cmpint (map_resource_layer_hit_test (layer, x + 200, y + 200), ==, -1);
    app_psks_select (win, panti);
    {
      GtkWidget *details = find_named (GTK_WIDGET (win), "resource-details");

      g_assert_true (gtk_widget_get_visible (details));
      g_assert_true (find_label_text (details, "Panti Sejahtera"));
      g_assert_true (find_label_text (details, "0274-555123"));
      g_autofree char *capacity = g_strdup_printf (_ ("%d persons"), 40);
      g_autofree char *radius = g_strdup_printf (_ ("%.1f km"), 5.0);

      g_assert_true (find_label_text (details, capacity));
      g_assert_true (find_label_text (details, radius));
      g_assert_true (find_label_text (details, _ ("Every PMKS category")));
    }
    spin (400); /* the sidebar scrolls to the details */
    save_screenshot (GTK_WIDGET (win), "psks-selected.png");
    /* The kabupaten again for the map export. */
    shumate_viewport_set_zoom_level (viewport, 11.2);
    shumate_map_center_on (app_window_get_map (win), -7.90, 110.36);
    spin (300);
  }

  /* --- export: personal data off by default, NIK masked in the file --- */
  {
    AppExportDialog *exp = app_export_dialog_new (win);
    GtkWidget       *check = find_named (GTK_WIDGET (exp), "personal-data-check");
    int              result = -1;
    g_autofree char *masked = geo_mask_nik ("3402011201909001");

    gtk_window_present (GTK_WINDOW (exp));
    wait_for (window_mapped, exp, 10000);
    g_assert_nonnull (check);
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    app_export_dialog_configure (exp, GEO_EXPORT_PERSONS, "csv", APP_EXPORT_ALL, FALSE);
    save_screenshot (GTK_WIDGET (exp), "export-dialog.png");
    g_signal_connect (exp, "finished", G_CALLBACK (on_export_finished), &result);
    app_export_dialog_export_to (exp, export_path);
    wait_for (export_result_set, &result, 60000);
    g_assert_cmpint (result, ==, 1);
    g_file_get_contents (export_path, &export_text, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (export_text, "3402011201909001"));
    g_assert_nonnull (strstr (export_text, masked));
    g_assert_null (strstr (export_text, "Budi Test"));
    {
      g_autoptr(GRegex) sixteen = g_regex_new ("(^|[^0-9])[0-9]{16}([^0-9]|$)", 0, 0, NULL);

      g_assert_false (g_regex_match (sixteen, export_text, 0, NULL));
    }
  }

  /* --- map export: PNG and an A4 landscape PDF --- */
  {
    g_autoptr(GdkTexture) image = NULL;
    g_autofree char *pdf_text = NULL;
    gsize            pdf_len = 0;
    g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
    gint64           t0 = g_get_monotonic_time ();

    g_assert_true (app_map_export_png (win, png, &error));
    g_test_message ("map PNG export: %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
    g_assert_no_error (error);
    image = gdk_texture_new_from_filename (png, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (image),
                     ==,
                     gtk_widget_get_width (GTK_WIDGET (app_window_get_map (win))));
    g_assert_cmpint (gdk_texture_get_height (image),
                     ==,
                     gtk_widget_get_height (GTK_WIDGET (app_window_get_map (win))));
    t0 = g_get_monotonic_time ();
    g_assert_true (app_map_export_pdf (win, pdf, &error));
    g_test_message ("map PDF export: %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
    g_assert_no_error (error);
    g_file_get_contents (pdf, &pdf_text, &pdf_len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pdf_len, >, 10000);
    g_assert_true (g_str_has_prefix (pdf_text, "%PDF-"));
    if (pdfinfo != NULL)
      {
        const char      *argv[] = { pdfinfo, pdf, NULL };
        g_autofree char *out = NULL;
        int              status;

        g_assert_true (g_spawn_sync (NULL,
                                     (char **) argv,
                                     NULL,
                                     G_SPAWN_DEFAULT,
                                     NULL,
                                     NULL,
                                     &out,
                                     NULL,
                                     &status,
                                     &error));
        g_assert_no_error (error);
        g_test_message ("pdfinfo: %s", out);
        g_assert_true (g_regex_match_simple ("^Pages: +1$", out, G_REGEX_MULTILINE, 0));
        g_assert_true (g_regex_match_simple ("^Page size: +841\\.89 x 595\\.28? pts",
                                             out,
                                             G_REGEX_MULTILINE,
                                             0));
      }
    if (g_getenv ("JANGKAU_ARTIFACTS") != NULL)
      {
        g_autofree char *copy =
            g_build_filename (g_getenv ("JANGKAU_ARTIFACTS"), "map-export.pdf", NULL);
        g_autofree char *copy_png =
            g_build_filename (g_getenv ("JANGKAU_ARTIFACTS"), "map-export.png", NULL);

        g_file_set_contents (copy, pdf_text, pdf_len, NULL);
        gdk_texture_save_to_png (image, copy_png);
      }
  }

  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *shared = g_getenv ("JANGKAU_SHARED_DATA");
  int         rc;

  g_setenv ("LANGUAGE",
            g_getenv ("JANGKAU_UI_LANGUAGE") ? g_getenv ("JANGKAU_UI_LANGUAGE") : "en",
            TRUE);
  if (g_getenv ("JANGKAU_UI_LANGUAGE") != NULL)
    app_init_i18n ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  gtk_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_init ();
  app_register_resource ();
  GDALAllRegister ();

  work_dir = test_tmp_make_dir ("jangkau-data-dialogs-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (work_dir, "bantul.jangkau", NULL);
  if (!ui_fixture_create_project (project_path, shared ? shared : SHARED_DATA_DIR, 600, 11, &error))
    g_error ("fixture: %s", error->message);

  g_test_add_func ("/ui/data/import-export-map-psks", test_dialogs);
  rc = g_test_run ();
  test_tmp_remove (work_dir);
  g_free (project_path);
  g_free (work_dir);
  return rc;
}
