#include "config.h"

#include <adwaita.h>
#include <gdal.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-application.h"
#include "app-choropleth.h"
#include "app-nearest-panel.h"
#include "app-resources.h"
#include "app-stats-panel.h"
#include "app-underserved-panel.h"
#include "app-window.h"
#include "geo-areastats.h"
#include "geo-categories.h"
#include "geo-classify.h"
#include "geo-demo.h"
#include "geo-nearest.h"
#include "geo-underserved.h"
#include "../test-tmp.h"

/* The statistics, underserved and nearest-resources panels on the Bantul demo project: their
 * tables and the choropleth layer are checked against the core's own results, computed here
 * on a separate connection. Screenshots go to $JANGKAU_ARTIFACTS. */

static guint unexpected_warnings;
static char *project_path;

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

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
project_ready (gpointer data)
{
  return !app_window_get_loading (data) && app_window_get_project (data) != NULL &&
         app_choropleth_get_ready (data);
}

static gboolean
stats_idle (gpointer panel)
{
  return !app_stats_panel_get_busy (panel);
}

static gboolean
underserved_idle (gpointer panel)
{
  return !app_underserved_panel_get_busy (panel);
}

static gboolean
nearest_idle (gpointer panel)
{
  return !app_nearest_panel_get_busy (panel);
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

static AppWindow *
open_project_window (void)
{
  AppWindow *win = app_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (win), 1366, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_for (window_mapped, win, 10000);
  app_window_open_project (win, project_path, FALSE);
  wait_for (project_ready, win, 60000);
  spin (200);
  return win;
}

static void
close_window (AppWindow *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

/* Hides the other panels' bodies so the one under test is in view for the screenshot. */
static void
show_only (AppWindow *win, GtkWidget *panel)
{
  const char *const names[] = {
    "round-panel", "stats-panel", "underserved-panel", "nearest-panel"
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *p = find_named (GTK_WIDGET (win), names[i]);

      if (p != NULL && GTK_IS_EXPANDER (p))
        gtk_expander_set_expanded (GTK_EXPANDER (p), p == panel);
    }
}

/* Scrolls the sidebar so that @panel's top is at the top (for the screenshots). */
static void
scroll_to (GtkWidget *panel)
{
  GtkWidget       *scrolled = gtk_widget_get_ancestor (panel, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget       *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t pt;

  if (GTK_IS_VIEWPORT (content) && gtk_viewport_get_child (GTK_VIEWPORT (content)) != NULL)
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  for (guint i = 0; i < 10; i++)
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      spin (50);
      g_assert_true (gtk_widget_compute_point (panel, content, &GRAPHENE_POINT_INIT (0, 0), &pt));
      gtk_adjustment_set_value (adj, pt.y);
    }
  spin (100);
}

static int
find_area (const GeoAreaStats *stats, const char *code)
{
  for (guint i = 0; i < stats->n_areas; i++)
    if (g_strcmp0 (stats->areas[i].code, code) == 0)
      return (int) i;
  return -1;
}

static void
test_stats (void)
{
  AppWindow          *win = open_project_window ();
  GtkWidget          *panel = app_stats_panel_get (win);
  GtkWidget          *table = app_stats_panel_get_table (panel);
  MapChoroplethLayer *layer = app_choropleth_get_layer (win);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoAreaStats) core = NULL;
  g_autoptr(GeoAreaStats) core_kec = NULL;
  g_autoptr(GeoAreaStats) pmks = NULL;
  g_autoptr(GeoFilter) any_category = geo_filter_new ();
  g_autofree double *values = NULL;
  g_autofree double *breaks = NULL;
  const double      *panel_breaks;
  guint              n_classes, panel_n_classes, n_rows;
  GListModel        *rows;
  double             max_persons = 0;

  g_assert_no_error (error);
  core = geo_area_stats_compute (store, GEO_AREA_DESA, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (core->n_areas, >, 10);
  /* "All categories": the persons with at least one PMKS category. */
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    g_assert_true (geo_filter_add_category (any_category, geo_pmks_get (c)->name, NULL));
  pmks = geo_area_stats_compute (store, GEO_AREA_DESA, any_category, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pmks->n_areas, ==, core->n_areas);
  g_assert_cmpuint (pmks->total.persons, <, core->total.persons);

  show_only (win, panel);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "stats-method")), GEO_CLASSIFY_JENKS);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "stats-k")), 5);
  g_signal_emit_by_name (named (panel, "stats-run"), "clicked");
  g_assert_true (app_stats_panel_get_busy (panel));
  wait_for (stats_idle, panel, 60000);
  g_assert_nonnull (app_stats_panel_get_stats (panel));

  /* The table: one row per desa with the core's counts. */
  rows = app_area_table_get_sorted (table);
  n_rows = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n_rows, ==, core->n_areas);
  values = g_new (double, core->n_areas);
  for (guint i = 0; i < core->n_areas; i++)
    {
      values[i] = pmks->areas[i].persons;
      max_persons = MAX (max_persons, values[i]);
    }
  breaks = geo_classify_breaks (values, core->n_areas, GEO_CLASSIFY_JENKS, 5, &n_classes, &error);
  g_assert_no_error (error);
  panel_breaks = app_stats_panel_get_breaks (panel, &panel_n_classes);
  g_assert_cmpuint (panel_n_classes, ==, n_classes);
  for (guint i = 0; i <= n_classes; i++)
    g_assert_cmpfloat (panel_breaks[i], ==, breaks[i]);
  for (guint r = 0; r < n_rows; r++)
    {
      g_autoptr(AppAreaRow) row = g_list_model_get_item (rows, r);
      int i = find_area (core, app_area_row_get_code (row));
      int cls;

      g_assert_cmpint (i, >=, 0);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_STATS_COL_PERSONS),
                         ==,
                         pmks->areas[i].persons);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_STATS_COL_FAMILIES),
                         ==,
                         pmks->areas[i].families);
      g_assert_cmpstr (app_area_row_get_code (row), ==, pmks->areas[i].code);
      cls = geo_classify_value (breaks, n_classes, values[i]);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_STATS_COL_CLASS), ==, cls + 1);
      /* The map colours the area with the same class. */
      g_assert_cmpint (map_choropleth_layer_get_area_class (layer, core->areas[i].code), ==, cls);
    }
  /* One fill per area, none left as no data (every desa has a count, 0 included). */
  g_assert_cmpuint (map_choropleth_layer_get_n_filled (layer), ==, core->n_areas);
  g_assert_cmpuint (map_choropleth_layer_get_n_no_data (layer), ==, 0);
  g_assert_cmpuint (map_choropleth_layer_get_n_classes (layer), ==, n_classes);
  spin (300);
  g_assert_cmpuint (map_choropleth_layer_get_n_drawn (layer), >, 0);
  {
    g_autoptr(GArray) legend = map_choropleth_layer_dup_legend (layer);
    GtkWidget *legend_widget = app_choropleth_get_legend (win);
    guint      total = 0;

    g_assert_cmpuint (legend->len, ==, n_classes);
    for (guint c = 0; c < legend->len; c++)
      total += g_array_index (legend, MapLegendEntry, c).n_areas;
    g_assert_cmpuint (total, ==, core->n_areas);
    g_assert_true (gtk_widget_get_visible (legend_widget));
    g_assert_true (gtk_widget_get_mapped (legend_widget));
  }

  /* Sorting by persons, most first. */
  app_area_table_sort_by (table, APP_STATS_COL_PERSONS, TRUE);
  {
    g_autoptr(AppAreaRow) first = g_list_model_get_item (rows, 0);

    g_assert_cmpfloat (app_area_row_get_value (first, APP_STATS_COL_PERSONS), ==, max_persons);
  }
  scroll_to (panel);
  save_screenshot (GTK_WIDGET (win), "stats-desa.png");

  /* CSV export: a header and one line per desa. */
  {
    g_autofree char *dir = g_path_get_dirname (project_path);
    g_autofree char *csv = g_build_filename (dir, "stats.csv", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (app_area_table_write_csv (table, csv, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
    lines = g_strsplit (text, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, core->n_areas + 2); /* + header, + "" */
    g_assert_cmpstr (lines[0], ==, "kode,nama,persons,families,share,class");
    g_unlink (csv);
  }

  /* A category and its share of the registered persons. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "stats-category")), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "stats-measure")), APP_STATS_SHARE);
  {
    int code = 0;

    for (int c = 1; c <= GEO_PMKS_N_CATEGORIES && code == 0; c++)
      if (core->total.cat_families[c - 1] > 0)
        code = c;
    for (guint i = 0; i < core->n_areas; i++)
      {
        double want = core->areas[i].persons > 0
                          ? (double) core->areas[i].cat_persons[code - 1] / core->areas[i].persons
                          : NAN;
        double got = app_stats_panel_get_value (panel, i);

        if (isnan (want))
          g_assert_true (isnan (got));
        else
          g_assert_cmpfloat_with_epsilon (got, want, 1e-12);
      }
  }

  /* Kecamatan: counted again, one fill per kecamatan. */
  core_kec = geo_area_stats_compute (store, GEO_AREA_KECAMATAN, NULL, NULL, &error);
  g_assert_no_error (error);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "stats-measure")), APP_STATS_PERSONS);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "stats-level")), 1);
  g_assert_true (app_stats_panel_get_busy (panel));
  wait_for (stats_idle, panel, 60000);
  g_assert_cmpuint (app_stats_panel_get_stats (panel)->n_areas, ==, core_kec->n_areas);
  g_assert_cmpuint (map_choropleth_layer_get_n_filled (layer), ==, core_kec->n_areas);
  for (guint i = 0; i < core_kec->n_areas; i++)
    g_assert_cmpint (map_choropleth_layer_get_area_class (layer, core_kec->areas[i].code), >=, 0);
  /* The desa are no longer coloured. */
  g_assert_cmpint (map_choropleth_layer_get_area_class (layer, core->areas[0].code), ==, -2);
  scroll_to (panel);
  save_screenshot (GTK_WIDGET (win), "stats-kecamatan.png");
  close_window (win);
}

static void
test_underserved (void)
{
  AppWindow          *win = open_project_window ();
  GtkWidget          *panel = app_underserved_panel_get (win);
  GtkWidget          *table = app_underserved_panel_get_table (panel);
  MapChoroplethLayer *layer = app_choropleth_get_layer (win);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GeoAreaIndex) desa = NULL;
  g_autoptr(GeoUnderserved) core = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  /* 1.5 km for every resource: the demo's resources leave part of Bantul out of reach. */
  GeoUnderservedParams params = { 0, 1500, GEO_UNDERSERVED_DEFAULT_RADIUS_M, 0 };
  GListModel          *rows;
  guint                with_persons = 0;

  g_assert_no_error (error);
  sel = geo_selection_load (store, NULL, NULL, &error);
  g_assert_no_error (error);
  res = geo_resources_load (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (res->n, >, 0);
  index = geo_resources_build_index (res, &error);
  g_assert_no_error (error);
  desa = geo_area_index_load (store, GEO_AREA_DESA, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < geo_area_index_get_n_areas (desa); i++)
    g_ptr_array_add (extra, (gpointer) geo_area_index_get_code (desa, i));
  core = geo_underserved_compute (sel, res, index, &params, extra, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (core->total_underserved, >, 0);
  g_assert_cmpuint (core->total_underserved, <, core->total_persons);
  for (guint d = 0; d < core->n_desa; d++)
    {
      g_hash_table_insert (by_code, core->kode_desa[d], GUINT_TO_POINTER (d + 1));
      with_persons += core->persons[d] > 0;
    }

  show_only (win, panel);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "underserved-radius")), 1500);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "underserved-radius-mode")), 1);
  /* Cancel: started and cancelled before the main loop runs again. */
  g_signal_emit_by_name (named (panel, "underserved-run"), "clicked");
  g_assert_true (app_underserved_panel_get_busy (panel));
  g_assert_true (gtk_widget_get_visible (named (panel, "underserved-cancel")));
  g_signal_emit_by_name (named (panel, "underserved-cancel"), "clicked");
  wait_for (underserved_idle, panel, 60000);
  g_assert_null (app_underserved_panel_get_result (panel));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (panel, "underserved-status"))),
                   ==,
                   g_dgettext (GETTEXT_PACKAGE, "Cancelled."));

  g_signal_emit_by_name (named (panel, "underserved-run"), "clicked");
  wait_for (underserved_idle, panel, 60000);
  g_assert_nonnull (app_underserved_panel_get_result (panel));

  rows = app_area_table_get_sorted (table);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, core->n_desa);
  for (guint r = 0; r < core->n_desa; r++)
    {
      g_autoptr(AppAreaRow) row = g_list_model_get_item (rows, r);
      guint d = GPOINTER_TO_UINT (g_hash_table_lookup (by_code, app_area_row_get_code (row)));

      g_assert_cmpuint (d, >, 0);
      d--;
      /* Ranked: rank 1 first. */
      g_assert_cmpfloat (app_area_row_get_value (row, APP_UNDERSERVED_COL_RANK), ==, r + 1);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_UNDERSERVED_COL_RANK), ==, core->rank[d]);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_UNDERSERVED_COL_PERSONS),
                         ==,
                         core->persons[d]);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_UNDERSERVED_COL_UNDERSERVED),
                         ==,
                         core->underserved[d]);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_UNDERSERVED_COL_SHARE),
                         ==,
                         core->share[d]);
      g_assert_cmpfloat (app_area_row_get_value (row, APP_UNDERSERVED_COL_RESOURCES),
                         ==,
                         core->n_resources[d]);
      /* 20 % classes on the map; desa without PMKS persons are no data. */
      if (core->persons[d] > 0)
        g_assert_cmpint (map_choropleth_layer_get_area_class (layer, core->kode_desa[d]),
                         ==,
                         core->share[d] <= 0.2   ? 0
                         : core->share[d] <= 0.4 ? 1
                         : core->share[d] <= 0.6 ? 2
                         : core->share[d] <= 0.8 ? 3
                                                 : 4);
    }
  /* Every desa with PMKS persons filled once, as the core counts them (codes the boundaries do
   * not have are not drawn). */
  {
    guint known = 0;

    for (guint d = 0; d < core->n_desa; d++)
      if (core->persons[d] > 0 &&
          map_choropleth_layer_find_area (layer, core->kode_desa[d]) != NULL)
        known++;
    g_assert_cmpuint (known, >, 0);
    g_assert_cmpuint (map_choropleth_layer_get_n_filled (layer), ==, known);
    g_assert_cmpuint (known, <=, with_persons);
  }
  scroll_to (panel);
  save_screenshot (GTK_WIDGET (win), "underserved.png");
  /* Off the map and back. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (panel, "underserved-on-map")), FALSE);
  g_assert_cmpuint (map_choropleth_layer_get_n_filled (layer), ==, 0);
  g_assert_false (gtk_widget_get_visible (app_choropleth_get_legend (win)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (panel, "underserved-on-map")), TRUE);
  g_assert_cmpuint (map_choropleth_layer_get_n_filled (layer), >, 0);
  close_window (win);
}

static void
test_nearest (void)
{
  AppWindow *win = open_project_window ();
  GtkWidget *panel = app_nearest_panel_get (win);
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GArray) want = NULL;
  double x0, y0, x1, y1, lon, lat;

  g_assert_no_error (error);
  g_assert_true (app_project_get_extent (app_window_get_project (win), &x0, &y0, &x1, &y1));
  lon = (x0 + x1) / 2;
  lat = (y0 + y1) / 2;
  res = geo_resources_load (store, 0, &error);
  g_assert_no_error (error);
  index = geo_resources_build_index (res, &error);
  g_assert_no_error (error);
  want = geo_nearest_point (res, index, lon, lat, 4, INFINITY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (want->len, ==, 4);

  show_only (win, panel);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "nearest-k")), 4);
  app_nearest_panel_query (panel, lon, lat);
  g_assert_true (app_nearest_panel_get_busy (panel));
  wait_for (nearest_idle, panel, 30000);
  g_assert_cmpuint (app_nearest_panel_get_n_results (panel), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const GeoIndexHit *h = &g_array_index (want, GeoIndexHit, i);
      gint64             id;
      double             d;

      g_assert_true (app_nearest_panel_get_result (panel, i, &id, &d));
      g_assert_cmpint (id, ==, res->id[h->item]);
      g_assert_cmpfloat_with_epsilon (d, h->distance_m, 1e-6);
    }
  g_assert_cmpuint (map_link_layer_get_n_links (app_nearest_panel_get_layer (panel)), ==, 4);
  shumate_map_center_on (app_window_get_map (win), lat, lon);
  shumate_viewport_set_zoom_level (app_window_get_viewport (win), 14.5);
  scroll_to (panel);
  save_screenshot (GTK_WIDGET (win), "nearest.png");

  /* The selected family's nearest resources, serving its first category. */
  {
    GeoSelection *sel = app_project_get_selection (app_window_get_project (win));
    guint         f = sel->n_families / 2;
    gint64        id;
    double        d;
    g_autoptr(GArray) fam_want = NULL;

    app_window_select_family (win, sel->family_id[f], FALSE);
    spin (100);
    fam_want = geo_nearest_point (res, index, sel->lon[f], sel->lat[f], 4, INFINITY, 0, &error);
    g_assert_no_error (error);
    g_signal_emit_by_name (named (panel, "nearest-family"), "clicked");
    g_assert_true (app_nearest_panel_get_busy (panel));
    wait_for (nearest_idle, panel, 30000);
    g_assert_cmpuint (app_nearest_panel_get_n_results (panel), ==, fam_want->len);
    for (guint i = 0; i < fam_want->len; i++)
      {
        const GeoIndexHit *h = &g_array_index (fam_want, GeoIndexHit, i);

        g_assert_true (app_nearest_panel_get_result (panel, i, &id, &d));
        g_assert_cmpint (id, ==, res->id[h->item]);
        g_assert_cmpfloat_with_epsilon (d, h->distance_m, 1e-6);
      }
  }

  /* Clear: the list and the lines go. */
  g_signal_emit_by_name (named (panel, "nearest-clear"), "clicked");
  g_assert_cmpuint (app_nearest_panel_get_n_results (panel), ==, 0);
  g_assert_cmpuint (map_link_layer_get_n_links (app_nearest_panel_get_layer (panel)), ==, 0);
  close_window (win);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int              rc;

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

  dir = test_tmp_make_dir ("jangkau-choropleth-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (dir, "demo.jangkau", NULL);
  {
    g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_CREATE, &error);
    GeoDemoOptions opts = { 0 };
    GeoDemoReport  report = { 0 };

    g_assert_no_error (error);
    opts.households = 3000;
    opts.seed = GEO_DEMO_DEFAULT_SEED;
    if (!geo_demo_build (store, &opts, &report, NULL, &error))
      g_error ("demo: %s", error->message);
    geo_demo_report_clear (&report);
  }

  g_test_add_func ("/ui/choropleth/stats", test_stats);
  g_test_add_func ("/ui/choropleth/underserved", test_underserved);
  g_test_add_func ("/ui/choropleth/nearest", test_nearest);
  rc = g_test_run ();
  {
    g_autofree char *wal = g_strconcat (project_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (project_path, "-shm", NULL);

    g_unlink (project_path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  g_free (project_path);
  return rc;
}
