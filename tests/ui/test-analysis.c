#include "config.h"

#include <adwaita.h>
#include <gdal.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-application.h"
#include "app-density-panel.h"
#include "app-hotspot-panel.h"
#include "app-resources.h"
#include "app-window.h"
#include "geo-area-shapes.h"
#include "geo-density.h"
#include "geo-hotspot.h"
#include "geo-selection.h"
#include "ui-fixture.h"
#include "../test-tmp.h"

/* The hotspot and density panels through the widget tree: Run, wait for the worker, then the
 * layer, legend counts and result against the core run directly on the same selection and
 * parameters; cancel; exports; screenshots. */

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
static char *tmp_dir;

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
  return !app_window_get_loading (data) && app_window_get_project (data) != NULL;
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

static GtkWidget *
named (GtkWidget *root, const char *name)
{
  GtkWidget *w = find_named (root, name);

  if (w == NULL)
    g_error ("no widget named %s", name);
  return w;
}

/* Every control of a panel has an accessible label: its visible text, or the label the panel
 * set (app_analysis_label() keeps a copy, GTK 4.8 cannot read it back). Returns the controls. */
static guint
check_labelled (GtkWidget *root)
{
  guint n = 0;

  if ((GTK_IS_BUTTON (root) && !GTK_IS_CHECK_BUTTON (root)) || GTK_IS_CHECK_BUTTON (root) ||
      GTK_IS_SPIN_BUTTON (root) || GTK_IS_DROP_DOWN (root) || GTK_IS_SWITCH (root) ||
      GTK_IS_PROGRESS_BAR (root) || GTK_IS_COLUMN_VIEW (root))
    {
      GtkWidget  *parent = gtk_widget_get_parent (root);
      const char *set = g_object_get_data (G_OBJECT (root), "app-a11y-label");
      const char *text = NULL;

      /* Parts of composite controls are labelled through them. */
      for (GtkWidget *a = parent; a != NULL; a = gtk_widget_get_parent (a))
        if (GTK_IS_DROP_DOWN (a) || GTK_IS_SPIN_BUTTON (a) || GTK_IS_COLUMN_VIEW (a))
          return 0;
      if (GTK_IS_BUTTON (root))
        text = gtk_button_get_label (GTK_BUTTON (root));
      if (GTK_IS_CHECK_BUTTON (root))
        text = gtk_check_button_get_label (GTK_CHECK_BUTTON (root));
      if ((set == NULL || *set == '\0') && (text == NULL || *text == '\0'))
        g_error ("unlabelled %s “%s”", G_OBJECT_TYPE_NAME (root), gtk_widget_get_name (root));
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += check_labelled (c);
  return n;
}

static gboolean
has_label_text (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label_text (c, text))
      return TRUE;
  return FALSE;
}

static AppWindow *
open_project_window (void)
{
  AppWindow *win = app_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (win), 1366, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_for (window_mapped, win, 10000);
  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  spin (300);
  return win;
}

static void
close_window (AppWindow *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

/* Scrolls the sidebar until @target's top is near the top of the view. */
static void
scroll_to (GtkWidget *target)
{
  GtkWidget       *scrolled = gtk_widget_get_ancestor (target, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget       *content;
  graphene_point_t pt;

  g_assert_nonnull (scrolled);
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (content) && gtk_viewport_get_child (GTK_VIEWPORT (content)) != NULL)
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  for (int tries = 0; tries < 5; tries++)
    {
      spin (100);
      if (gtk_widget_compute_point (target, content, &GRAPHENE_POINT_INIT (0, 0), &pt))
        gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (
                                      GTK_SCROLLED_WINDOW (scrolled)),
                                  MAX (0, pt.y - 8));
    }
  spin (100);
}

/* Folds the other panels, opens @panel and scrolls the sidebar to it. */
static void
show_panel (AppWindow *win, GtkWidget *panel)
{
  const char *const others[] = { "round-panel", "hotspot-panel", "density-panel" };

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      GtkWidget *w = find_named (GTK_WIDGET (win), others[i]);

      if (w != NULL && GTK_IS_EXPANDER (w))
        gtk_expander_set_expanded (GTK_EXPANDER (w), w == panel);
    }
  scroll_to (panel);
}

/* Median time of building @layer's frame (its snapshot vfunc) over @n runs, in ms. */
static double
frame_ms (GtkWidget *layer, guint n)
{
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      gint64       t0 = g_get_monotonic_time ();
      double       ms;

      GTK_WIDGET_GET_CLASS (layer)->snapshot (layer, snapshot);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (t, ms);
      gsk_render_node_unref (gtk_snapshot_free_to_node (snapshot));
    }
  for (guint i = 1; i < t->len; i++)
    for (guint j = i; j > 0 && g_array_index (t, double, j - 1) > g_array_index (t, double, j); j--)
      {
        double tmp = g_array_index (t, double, j);

        g_array_index (t, double, j) = g_array_index (t, double, j - 1);
        g_array_index (t, double, j - 1) = tmp;
      }
  return g_array_index (t, double, t->len / 2);
}

static gboolean
hotspot_idle (gpointer panel)
{
  return !app_hotspot_panel_get_busy (panel);
}

static gboolean
density_idle (gpointer panel)
{
  return !app_density_panel_get_busy (panel);
}

static void
class_counts (const gint8 *klass, gsize n, guint counts[8])
{
  memset (counts, 0, 8 * sizeof (guint));
  for (gsize i = 0; i < n; i++)
    counts[CLAMP (klass[i] + 3, 0, 7)]++;
}

/* The legend's count labels and the layer against @counts (by class + 3). */
static void
check_counts (GtkWidget *panel, const guint counts[8], gsize n_units)
{
  MapHotspotLayer *layer = app_hotspot_panel_get_layer (panel);

  g_assert_cmpuint (map_hotspot_layer_get_n_units (layer), ==, n_units);
  for (int k = GEO_HOTSPOT_COLD_99; k <= GEO_HOTSPOT_NO_DATA; k++)
    {
      g_assert_cmpuint (map_hotspot_layer_get_class_count (layer, k), ==, counts[k + 3]);
      if (k <= GEO_HOTSPOT_HOT_99)
        {
          g_autofree char *name =
              g_strdup_printf ("hotspot-count-%s", geo_hotspot_class_to_string (k));
          g_autofree char *want = g_strdup_printf ("%u", counts[k + 3]);

          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (panel, name))), ==, want);
        }
    }
}

static GeoSelection *
load_selection (GeoStore *store, GeoFilter *filter)
{
  g_autoptr(GError) error = NULL;
  GeoSelection *sel = geo_selection_load (store, filter, NULL, &error);

  g_assert_no_error (error);
  return sel;
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint            n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *c = text; *c; c++)
    n += *c == '\n';
  return n;
}

static void
test_hotspot (void)
{
  AppWindow *win = open_project_window ();
  GtkWidget *panel = app_hotspot_panel_get (win);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoFilter) all = geo_filter_new ();
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoHotspotGrid) direct = NULL;
  g_autofree double    *w = NULL;
  GeoHotspotGridOptions opts = { 400, 1200, TRUE };
  const GeoHotspotGrid *shown;
  guint                 counts[8];
  g_autofree char      *csv = g_build_filename (tmp_dir, "hot.csv", NULL);
  g_autofree char      *gpkg = g_build_filename (tmp_dir, "hot.gpkg", NULL);
  gint64                t_run;

  g_assert_no_error (error);
  g_assert_nonnull (panel);
  show_panel (win, panel);
  g_assert_cmpuint (check_labelled (panel), >=, 12);

  /* All persons, 400 m cells, 1200 m band, FDR. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-category")), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-units")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "hotspot-cell")), 400);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "hotspot-band")), 1200);
  gtk_switch_set_active (GTK_SWITCH (named (panel, "hotspot-fdr")), TRUE);
  g_assert_false (gtk_widget_get_visible (named (panel, "hotspot-summary")) &&
                  gtk_widget_get_mapped (named (panel, "hotspot-summary")));
  t_run = g_get_monotonic_time ();
  g_signal_emit_by_name (named (panel, "hotspot-run"), "clicked");
  g_assert_true (app_hotspot_panel_get_busy (panel));
  g_assert_true (gtk_widget_get_visible (named (panel, "hotspot-progress")));
  g_assert_true (gtk_widget_get_visible (named (panel, "hotspot-cancel")));
  wait_for (hotspot_idle, panel, 60000);
  g_test_message ("hotspot run: %.0f ms from the click to the result",
                  (g_get_monotonic_time () - t_run) / 1000.0);
  shown = app_hotspot_panel_get_grid (panel);
  if (shown == NULL)
    g_error ("no result: %s", gtk_label_get_text (GTK_LABEL (named (panel, "hotspot-status"))));

  /* The same through the core. */
  sel = load_selection (store, all);
  w = geo_selection_family_weights (sel, FALSE);
  direct = geo_hotspot_grid (sel->lon, sel->lat, w, sel->n_families, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shown->nx, ==, direct->nx);
  g_assert_cmpuint (shown->ny, ==, direct->ny);
  g_assert_cmpint (shown->epsg, ==, direct->epsg);
  g_assert_cmpfloat (shown->total, ==, direct->total);
  g_assert_nonnull (shown->p_fdr);
  for (gsize i = 0; i < direct->n_cells; i++)
    {
      g_assert_cmpfloat (shown->count[i], ==, direct->count[i]);
      g_assert_cmpint (shown->klass[i], ==, direct->klass[i]);
    }
  class_counts (direct->klass, direct->n_cells, counts);
  g_test_message ("grid %ux%u: hot %u/%u/%u, cold %u/%u/%u",
                  direct->nx,
                  direct->ny,
                  counts[6],
                  counts[5],
                  counts[4],
                  counts[0],
                  counts[1],
                  counts[2]);
  /* The fixture clusters families around desa centres: there must be hot spots to show. */
  g_assert_cmpuint (counts[6] + counts[5] + counts[4], >, 0);
  check_counts (panel, counts, direct->n_cells);
  g_assert_true (gtk_widget_get_visible (named (panel, "hotspot-summary")));
  {
    g_autofree char *hot = g_strdup_printf (" %u ", counts[6] + counts[5] + counts[4]);

    g_assert_nonnull (
        strstr (gtk_label_get_text (GTK_LABEL (named (panel, "hotspot-summary"))), hot));
  }
  /* The table: the hottest cells, z descending, the first the grid's maximum. */
  {
    GtkColumnView *view = GTK_COLUMN_VIEW (named (panel, "hotspot-top"));
    GListModel    *model = G_LIST_MODEL (gtk_column_view_get_model (view));
    double         zmax = -INFINITY;

    for (gsize i = 0; i < direct->n_cells; i++)
      zmax = MAX (zmax, direct->z[i]);
    g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
    g_assert_cmpuint (g_list_model_get_n_items (model), <=, 10);
    {
      g_autofree char *z = g_strdup_printf ("%.2f", zmax);

      spin (200);
      g_assert_true (has_label_text (GTK_WIDGET (view), z));
    }
  }
  /* The layer draws the significant cells in view. */
  scroll_to (named (panel, "hotspot-summary"));
  save_screenshot (GTK_WIDGET (win), "analysis-hotspot-grid.png");
  g_assert_cmpuint (map_hotspot_layer_get_n_drawn (app_hotspot_panel_get_layer (panel)), >, 0);
  g_test_message ("hotspot frame (%u cells drawn): %.2f ms",
                  map_hotspot_layer_get_n_drawn (app_hotspot_panel_get_layer (panel)),
                  frame_ms (GTK_WIDGET (app_hotspot_panel_get_layer (panel)), 21));
  /* A fine grid (100 m cells, 300 m band) straight into the layer: projection once, frames. */
  {
    GeoHotspotGridOptions fine_opts = { 100, 300, FALSE };
    g_autoptr(GeoHotspotGrid) fine =
            geo_hotspot_grid (sel->lon, sel->lat, w, sel->n_families, &fine_opts, NULL, &error);
    MapHotspotLayer *layer = app_hotspot_panel_get_layer (panel);
    gint64           t0;
    double           set_ms, fine_frame;

    g_assert_no_error (error);
    t0 = g_get_monotonic_time ();
    g_assert_true (map_hotspot_layer_set_grid (layer, fine, &error));
    set_ms = (g_get_monotonic_time () - t0) / 1000.0;
    fine_frame = frame_ms (GTK_WIDGET (layer), 21);
    g_test_message ("fine grid %u cells: set_grid %.1f ms, frame %.2f ms (%u of %u significant "
                    "cells drawn)",
                    (guint) fine->n_cells,
                    set_ms,
                    fine_frame,
                    map_hotspot_layer_get_n_drawn (layer),
                    map_hotspot_layer_get_n_units (layer) -
                        map_hotspot_layer_get_class_count (layer, GEO_HOTSPOT_NOT_SIGNIFICANT));
    g_assert_true (map_hotspot_layer_set_grid (layer, shown, &error));
  }

  /* Exports through the core writer. */
  g_assert_true (app_hotspot_panel_export_to (panel, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_lines (csv), ==, direct->n_cells + 1);
  g_assert_true (app_hotspot_panel_export_to (panel, gpkg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (gpkg, G_FILE_TEST_IS_REGULAR));

  /* Desa, one category, per 1,000 families, contiguity. */
  {
    g_autoptr(GeoFilter) filter = geo_filter_new ();
    g_autoptr(GeoSelection) sel2 = NULL;
    g_autoptr(GeoHotspotAreas) areas = NULL;
    GeoHotspotAreaOptions  aopts = { GEO_HOTSPOT_RATE_FAMILIES,
                                     GEO_HOTSPOT_WEIGHTS_CONTIGUITY,
                                     0,
                                     GEO_HOTSPOT_DEFAULT_TOLERANCE_M,
                                     FALSE };
    const GeoHotspotAreas *got;
    GListModel *cats = gtk_drop_down_get_model (GTK_DROP_DOWN (named (panel, "hotspot-category")));
    const char *cat_name = gtk_string_list_get_string (GTK_STRING_LIST (cats), 2);

    g_assert_nonnull (cat_name);
    g_assert_true (geo_filter_add_category (filter, cat_name, &error));
    g_assert_no_error (error);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-category")), 2);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-units")), 1);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-rate")), 1);
    gtk_switch_set_active (GTK_SWITCH (named (panel, "hotspot-fdr")), FALSE);
    g_assert_false (gtk_widget_get_sensitive (named (panel, "hotspot-cell")));
    g_signal_emit_by_name (named (panel, "hotspot-run"), "clicked");
    wait_for (hotspot_idle, panel, 60000);
    got = app_hotspot_panel_get_areas (panel);
    if (got == NULL)
      g_error ("no result: %s", gtk_label_get_text (GTK_LABEL (named (panel, "hotspot-status"))));
    g_assert_null (app_hotspot_panel_get_grid (panel));
    sel2 = load_selection (store, filter);
    areas = geo_hotspot_areas (store, sel2, filter, FALSE, &aopts, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (got->n, ==, areas->n);
    for (guint i = 0; i < areas->n; i++)
      {
        g_assert_cmpstr (got->code[i], ==, areas->code[i]);
        g_assert_cmpint (got->klass[i], ==, areas->klass[i]);
      }
    class_counts (areas->klass, areas->n, counts);
    g_test_message ("desa %u: hot %u/%u/%u, cold %u/%u/%u, no data %u",
                    areas->n,
                    counts[6],
                    counts[5],
                    counts[4],
                    counts[0],
                    counts[1],
                    counts[2],
                    counts[7]);
    check_counts (panel, counts, areas->n);
    scroll_to (named (panel, "hotspot-summary"));
    save_screenshot (GTK_WIDGET (win), "analysis-hotspot-desa.png");
    g_assert_true (app_hotspot_panel_export_to (panel, csv, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_lines (csv), ==, areas->n + 1);
  }

  /* Long category names do not widen the sidebar. */
  {
    GtkWidget *dd = named (panel, "hotspot-category");
    GtkWidget *side = gtk_widget_get_ancestor (panel, GTK_TYPE_SCROLLED_WINDOW);
    int        width = gtk_widget_get_width (side);
    guint      n = g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dd)));

    for (guint k = 0; k < n; k++)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), k);
        spin (60);
        g_assert_cmpint (gtk_widget_get_width (side), ==, width);
      }
  }

  /* Cancel: a click on Cancel right after Run stops the worker and keeps the last result. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-units")), 0);
  g_signal_emit_by_name (named (panel, "hotspot-run"), "clicked");
  g_assert_true (app_hotspot_panel_get_busy (panel));
  g_signal_emit_by_name (named (panel, "hotspot-cancel"), "clicked");
  wait_for (hotspot_idle, panel, 60000);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (panel, "hotspot-status"))),
                   ==,
                   _ ("Cancelled."));
  g_assert_nonnull (app_hotspot_panel_get_areas (panel));

  /* Bad input: no category visible on the map. */
  {
    MapFamilyLayer *fl = app_window_get_family_layer (win);
    guint32         mask = map_family_layer_get_visible_categories (fl);

    map_family_layer_set_visible_categories (fl, 0);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "hotspot-category")), 0);
    g_signal_emit_by_name (named (panel, "hotspot-run"), "clicked");
    g_assert_false (app_hotspot_panel_get_busy (panel));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (panel, "hotspot-status"))), !=, "");
    map_family_layer_set_visible_categories (fl, mask);
  }
  close_window (win);
}

static void
test_density (void)
{
  AppWindow *win = open_project_window ();
  GtkWidget *panel = app_density_panel_get (win);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoFilter) all = geo_filter_new ();
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoDensityRaster) direct = NULL;
  g_autofree double      *w = NULL;
  const GeoDensityRaster *shown;
  MapHeatLayer           *layer;
  g_autofree char        *tif = g_build_filename (tmp_dir, "density.tif", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (panel);
  show_panel (win, panel);
  g_assert_cmpuint (check_labelled (panel), >=, 8);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "density-category")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "density-radius")), 1500);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "density-pixel")), 150);
  g_signal_emit_by_name (named (panel, "density-run"), "clicked");
  g_assert_true (app_density_panel_get_busy (panel));
  wait_for (density_idle, panel, 60000);
  shown = app_density_panel_get_raster (panel);
  if (shown == NULL)
    g_error ("no result: %s", gtk_label_get_text (GTK_LABEL (named (panel, "density-status"))));

  sel = load_selection (store, all);
  w = geo_selection_family_weights (sel, FALSE);
  direct = geo_density (sel->lon, sel->lat, w, sel->n_families, 1500, 150, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shown->width, ==, direct->width);
  g_assert_cmpuint (shown->height, ==, direct->height);
  g_assert_cmpfloat (shown->max_value, ==, direct->max_value);
  g_assert_cmpfloat (shown->total_weight, ==, direct->total_weight);
  g_assert_cmpmem (shown->values,
                   (gsize) shown->width * shown->height * sizeof (float),
                   direct->values,
                   (gsize) direct->width * direct->height * sizeof (float));

  layer = app_density_panel_get_layer (panel);
  g_assert_nonnull (map_heat_layer_get_texture (layer));
  g_assert_cmpfloat (map_heat_layer_get_max_value (layer), ==, direct->max_value);
  {
    double lon0, lat0, lon1, lat1;

    g_assert_true (map_heat_layer_get_extent (layer, &lon0, &lat0, &lon1, &lat1));
    /* Bantul: around 110.1-110.6 E, 7.7-8.1 S. */
    g_assert_cmpfloat (lon0, >, 109.9);
    g_assert_cmpfloat (lon1, <, 110.8);
    g_assert_cmpfloat (lat0, >, -8.3);
    g_assert_cmpfloat (lat1, <, -7.5);
    g_assert_cmpfloat (lon0, <, lon1);
    g_assert_cmpfloat (lat0, <, lat1);
  }
  {
    g_autofree char *epsg = g_strdup_printf ("EPSG:%d", direct->epsg);

    g_assert_nonnull (
        strstr (gtk_label_get_text (GTK_LABEL (named (panel, "density-summary"))), epsg));
  }
  scroll_to (named (panel, "density-run"));
  save_screenshot (GTK_WIDGET (win), "analysis-density.png");
  g_assert_true (map_heat_layer_get_drawn (layer));
  g_test_message ("heat texture %dx%d, frame %.2f ms",
                  gdk_texture_get_width (map_heat_layer_get_texture (layer)),
                  gdk_texture_get_height (map_heat_layer_get_texture (layer)),
                  frame_ms (GTK_WIDGET (layer), 21));

  /* Hidden with its switch. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (panel, "density-show")), FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (layer)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (panel, "density-show")), TRUE);

  /* GeoTIFF export, read back with GDAL. */
  g_assert_true (app_density_panel_export_to (panel, tif, &error));
  g_assert_no_error (error);
  {
    GDALDatasetH ds = GDALOpen (tif, GA_ReadOnly);

    g_assert_nonnull (ds);
    g_assert_cmpint (GDALGetRasterXSize (ds), ==, direct->width);
    g_assert_cmpint (GDALGetRasterYSize (ds), ==, direct->height);
    GDALClose (ds);
  }
  close_window (win);
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

  tmp_dir = test_tmp_make_dir ("jangkau-analysis-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (tmp_dir, "bantul.jangkau", NULL);
  if (!ui_fixture_create_project (project_path,
                                  shared ? shared : SHARED_DATA_DIR,
                                  3000,
                                  11,
                                  &error))
    g_error ("fixture: %s", error->message);

  g_test_add_func ("/ui/analysis/hotspot", test_hotspot);
  g_test_add_func ("/ui/analysis/density", test_density);
  rc = g_test_run ();
  {
    const char *const names[] = { "bantul.jangkau", "bantul.jangkau-wal", "bantul.jangkau-shm",
                                  "hot.csv",        "hot.gpkg",           "density.tif" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (tmp_dir, names[i], NULL);

        g_unlink (p);
      }
    g_rmdir (tmp_dir);
  }
  g_free (project_path);
  g_free (tmp_dir);
  return rc;
}
