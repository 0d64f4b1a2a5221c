#include "config.h"

#include <adwaita.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>

#include "app-person-model.h"
#include "app-roads.h"
#include "app-resources.h"
#include "app-window.h"
#include "geo-records.h"
#include "geo-selection.h"
#include "ui-fixture.h"
#include "../test-tmp.h"

/* Xvfb has no session bus: GTK warns that it cannot reach it (portals, a11y). That
 * warning is about the test machine, not the app. Every other warning is counted and
 * fails the test that caused it; criticals stay fatal (G_DEBUG=fatal-criticals). */
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

static void
check_no_warnings (void)
{
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

static char *project_path;
static guint n_families_in_db;

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

static gboolean
model_ready (gpointer data)
{
  AppWindow  *win = data;
  GListModel *model = app_window_get_person_model (win);

  return model != NULL && !app_person_model_get_loading (APP_PERSON_MODEL (model));
}

/* Saves what the window shows as a PNG artifact under the build dir. */
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
  /* The paintable is empty until the widget has drawn a frame since its last change. */
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
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_labels (GtkWidget *root, GString *out)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (root)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

/* Every button the user can reach has a visible label or a tooltip (which GTK exposes as
 * its accessible description); icon-only buttons in our templates also carry an
 * accessible label. Returns the number of buttons checked. */
static guint
check_buttons_labelled (GtkWidget *root)
{
  guint n = 0;

  /* GTK's window controls carry their own accessible labels. */
  if (GTK_IS_WINDOW_CONTROLS (root))
    return 0;
  if (GTK_IS_BUTTON (root) && gtk_widget_get_child_visible (root) && gtk_widget_is_drawable (root))
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (root));
      const char *tooltip = gtk_widget_get_tooltip_text (root);
      GtkWidget  *child = gtk_button_get_child (GTK_BUTTON (root));
      gboolean    has_text = (label != NULL && *label) || (tooltip != NULL && *tooltip) ||
                          (child != NULL && GTK_IS_LABEL (child)) ||
                          (child != NULL && !GTK_IS_IMAGE (child));

      if (!has_text)
        g_test_message ("unlabelled button: %s", G_OBJECT_TYPE_NAME (root));
      /* A menu button's inner button is labelled through the menu button. */
      if (GTK_IS_MENU_BUTTON (gtk_widget_get_parent (root)))
        has_text = TRUE;
      g_assert_true (has_text);
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += check_buttons_labelled (c);
  return n;
}

static AppWindow *
open_window (void)
{
  AppWindow *win = app_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (win), 1366, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_for (window_mapped, win, 10000);
  return win;
}

static void
close_window (AppWindow *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  check_no_warnings ();
}

static void
test_welcome (void)
{
  AppWindow *win = open_window ();
  GtkWidget *stack = find_named (GTK_WIDGET (win), "GtkStack");
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_null (app_window_get_project (win));
  (void) stack;
  collect_labels (GTK_WIDGET (win), text);
  /* The welcome page offers both ways in. */
  g_assert_nonnull (strstr (text->str, "Jangkau"));
  g_assert_cmpuint (check_buttons_labelled (GTK_WIDGET (win)), >=, 3);
  spin (200);
  save_screenshot (GTK_WIDGET (win), "welcome.png");
  close_window (win);
}

static guint
frame_symbols (MapFamilyLayer *layer)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  MapFrameStats stats;

  map_family_layer_build_frame (layer, snapshot, gtk_widget_get_width (GTK_WIDGET (layer)),
                                gtk_widget_get_height (GTK_WIDGET (layer)), &stats);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return stats.n_symbols;
}

static void
test_project (void)
{
  AppWindow        *win = open_window ();
  MapFamilyLayer   *layer;
  ShumateViewport  *viewport;
  GtkWidget        *sw;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) recent = NULL;
  const MapFrameStats *stats;
  guint                before, after;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  wait_for (model_ready, win, 60000);
  spin (300); /* the first frame refits the map to the project */
  layer = app_window_get_family_layer (win);
  viewport = shumate_map_get_viewport (app_window_get_map (win));

  /* The core and the layers agree. */
  g_assert_cmpuint (map_family_layer_get_n_points (layer), ==, n_families_in_db);
  g_assert_cmpuint (map_area_layer_get_n_areas (app_window_get_area_layer (win)), ==, 17 + 75);
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpstr (recent[0], ==, project_path);

  /* Fitted to Bantul: the view is centred in the kabupaten (110.1-110.6E, 7.7-8.1S). */
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), >, 110.1);
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), <, 110.6);
  g_assert_cmpfloat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), >, -8.2);
  g_assert_cmpfloat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), <, -7.6);
  spin (1500); /* basemap tiles */
  save_screenshot (GTK_WIDGET (win), "project-overview.png");
  stats = map_family_layer_get_last_stats (layer);
  g_assert_cmpint (stats->mode, !=, MAP_FRAME_EMPTY);
  g_assert_cmpuint (stats->n_symbols, >, 0);

  /* The layer list shows Fakir Miskin with its counts; the legend names it. */
  collect_labels (GTK_WIDGET (win), text);
  g_assert_nonnull (strstr (text->str, "Fakir Miskin (FM)"));
  g_assert_nonnull (strstr (text->str, "Legend") != NULL ? "ok" : strstr (text->str, "Legenda"));

  /* Toggle the Fakir Miskin layer off through its switch. */
  shumate_viewport_set_zoom_level (viewport, 13);
  spin (100);
  before = frame_symbols (layer);
  sw = find_named (GTK_WIDGET (win), "category-switch-24");
  g_assert_nonnull (sw);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_cmpuint (map_family_layer_get_visible_categories (layer) & (1u << 23), ==, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "visible-categories") & (1u << 23), ==, 0);
  after = frame_symbols (layer);
  g_test_message ("symbols at zoom 13: %u with Fakir Miskin, %u without", before, after);
  g_assert_cmpuint (after, <, before);
  spin (300);
  save_screenshot (GTK_WIDGET (win), "category-hidden.png");
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  g_assert_cmpuint (frame_symbols (layer), ==, before);

  /* The online basemap (OpenStreetMap) replaces the offline one in place and back; no
   * network is needed for the switch itself. */
  g_string_truncate (text, 0);
  collect_labels (GTK_WIDGET (win), text);
  g_assert_null (strstr (text->str, "OpenStreetMap Mapnik"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.online-basemap", NULL));
  spin (100);
  g_assert_true (g_settings_get_boolean (settings, "online-basemap"));
  g_string_truncate (text, 0);
  collect_labels (GTK_WIDGET (win), text);
  g_assert_nonnull (strstr (text->str, "OpenStreetMap Mapnik"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.online-basemap", NULL));
  spin (100);
  g_string_truncate (text, 0);
  collect_labels (GTK_WIDGET (win), text);
  g_assert_null (strstr (text->str, "OpenStreetMap Mapnik"));
  g_assert_cmpuint (frame_symbols (layer), ==, before);

  close_window (win);
}

static void
test_select_record (void)
{
  AppWindow       *win = open_window ();
  MapFamilyLayer  *layer;
  ShumateMap      *map;
  ShumateViewport *viewport;
  AppProject      *project;
  GeoSelection    *sel;
  GtkSingleSelection *selection;
  AppPerson       *person;
  MapHit           hit;
  double           x, y;
  gint64           family;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRegex) masked = g_regex_new ("\\b\\d{4}\\*{8}\\d{4}\\b", 0, 0, NULL);
  g_autoptr(GRegex) full = g_regex_new ("\\b\\d{16}\\b", 0, 0, NULL);
  g_autoptr(GeoFamilyDetails) details = NULL;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  wait_for (model_ready, win, 60000);
  spin (300); /* the first frame refits the map to the project */
  layer = app_window_get_family_layer (win);
  map = app_window_get_map (win);
  viewport = shumate_map_get_viewport (map);
  project = app_window_get_project (win);
  sel = app_project_get_selection (project);

  /* Zoom to the 10th family and click where it is drawn. */
  /* Under load a late refit or a sidebar allocation can still move the view after the first
   * centring: centre again until the view has settled (bounded). */
  for (int attempt = 0; attempt < 20; attempt++)
    {
      shumate_viewport_set_zoom_level (viewport, 18);
      shumate_map_center_on (map, sel->lat[10], sel->lon[10]);
      spin (200);
      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (map), sel->lat[10],
                                                  sel->lon[10], &x, &y);
      if (fabs (x - gtk_widget_get_width (GTK_WIDGET (map)) / 2.0) < 1.0)
        break;
    }
  frame_symbols (layer);
  g_assert_cmpint (map_family_layer_get_last_stats (layer)->mode, ==, MAP_FRAME_FAMILIES);
  /* Our projection and libshumate's agree to a pixel. */
  g_assert_cmpfloat (fabs (x - gtk_widget_get_width (GTK_WIDGET (map)) / 2.0), <, 1.0);
  hit = map_family_layer_hit_test (layer, x + 3, y - 2);
  g_assert_cmpint (hit.kind, ==, MAP_HIT_FAMILY);
  family = hit.family_id;
  g_assert_cmpfloat (fabs (hit.lon - sel->lon[10]) + fabs (hit.lat - sel->lat[10]), <, 1e-4);
  g_assert_cmpint (map_family_layer_hit_test (layer, x + 200, y + 200).kind, !=, MAP_HIT_CLUSTER);

  app_window_select_family (win, family, FALSE);
  g_assert_cmpint (app_window_get_selected_family (win), ==, family);
  g_assert_cmpint (map_family_layer_get_selected (layer), ==, family);

  /* Details: members with masked NIKs, never a full NIK. */
  details = geo_family_details_load (app_project_get_store (project), family, NULL);
  g_assert_nonnull (details);
  collect_labels (GTK_WIDGET (win), text);
  g_assert_true (g_regex_match (masked, text->str, 0, NULL));
  g_assert_false (g_regex_match (full, text->str, 0, NULL));
  for (guint i = 0; i < details->n_members; i++)
    g_assert_nonnull (strstr (text->str, details->members[i].name));

  /* The table follows: the selected row is a member of the family. */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (app_window_get_person_view (win)));
  person = gtk_single_selection_get_selected_item (selection);
  g_assert_nonnull (person);
  g_assert_cmpint (app_person_get_family_id (person), ==, family);
  spin (300);
  save_screenshot (GTK_WIDGET (win), "family-selected.png");

  /* And the other way: a row picked in the table selects its family on the map. */
  gtk_single_selection_set_selected (selection, 0);
  person = gtk_single_selection_get_selected_item (selection);
  g_assert_cmpint (app_window_get_selected_family (win), ==, app_person_get_family_id (person));
  g_assert_cmpint (map_family_layer_get_selected (layer), ==, app_person_get_family_id (person));

  close_window (win);
}

static void
test_search (void)
{
  AppWindow  *win = open_window ();
  GListModel *model;
  GtkWidget  *entry;
  guint       all, n;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  wait_for (model_ready, win, 60000);
  model = app_window_get_person_model (win);
  all = g_list_model_get_n_items (model);
  g_assert_cmpuint (all, >, 0);

  entry = find_named (GTK_WIDGET (win), "GtkSearchEntry");
  if (entry == NULL)
    entry = GTK_WIDGET (g_object_get_data (G_OBJECT (win), "search-entry"));
  app_person_model_set_query (APP_PERSON_MODEL (model), "Sri");
  wait_for (model_ready, win, 60000);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, all);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AppPerson) p = g_list_model_get_item (model, i);
      g_autofree char *name = g_ascii_strdown (app_person_get_name (p), -1);
      g_autofree char *desa = g_ascii_strdown (app_person_get_desa (p), -1);

      /* Name or desa name (Srigading, Srimartani...), ASCII case-insensitive. */
      g_assert_true (strstr (name, "sri") != NULL || strstr (desa, "sri") != NULL);
    }
  /* NIK prefix search: every Bantul NIK starts with 3402. */
  app_person_model_set_query (APP_PERSON_MODEL (model), "3402");
  wait_for (model_ready, win, 60000);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, all / 2);
  app_person_model_set_query (APP_PERSON_MODEL (model), "no such person%_");
  wait_for (model_ready, win, 60000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (app_window_get_person_view (win)),
                                             ADW_TYPE_VIEW_STACK)),
    "table");
  app_person_model_set_query (APP_PERSON_MODEL (model), "");
  wait_for (model_ready, win, 60000);
  spin (300);
  save_screenshot (GTK_WIDGET (win), "persons-table.png");
  close_window (win);
}

static gboolean
roads_loaded (gpointer data)
{
  return map_road_layer_get_n_lines (app_roads_get_layer (data)) > 0;
}

/* Roads from an OSM extract (Monaco's, the only .osm.pbf in the shared data) become part of the
 * basemap: imported into the project in a worker, loaded back, drawn where they are. */
static void
test_roads (void)
{
  AppWindow       *win = open_window ();
  const char      *shared = g_getenv ("JANGKAU_SHARED_DATA");
  g_autofree char *pbf = g_build_filename (shared ? shared : SHARED_DATA_DIR, "osm",
                                           "monaco_roads.osm.pbf", NULL);
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MapRoadLayer    *layer;
  ShumateViewport *viewport;
  gint64           n_db;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  layer = app_roads_get_layer (win);
  g_assert_nonnull (layer);
  g_assert_cmpuint (map_road_layer_get_n_lines (layer), ==, 0);

  app_roads_import (win, pbf);
  wait_for (roads_loaded, win, 120000);
  store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_assert_no_error (error);
  n_db = geo_store_count (store, "road_segment", &error);
  g_assert_no_error (error);
  /* GDAL's lines layer holds 3,273 ways with a highway tag. */
  g_assert_cmpint (n_db, >, 3000);
  g_assert_cmpuint (map_road_layer_get_n_lines (layer), ==, (guint) n_db);

  /* Nothing of Monaco is in view over Bantul; centred on Monaco at street zoom, roads draw. */
  viewport = app_window_get_viewport (win);
  spin (100);
  g_assert_cmpuint (map_road_layer_get_n_lines_drawn (layer), ==, 0);
  shumate_viewport_set_zoom_level (viewport, 15);
  shumate_map_center_on (app_window_get_map (win), 43.7384, 7.4246);
  spin (300);
  save_screenshot (GTK_WIDGET (win), "roads-monaco.png");
  g_test_message ("zoom %g at %g, %g: %u lines drawn", shumate_viewport_get_zoom_level (viewport),
                  shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                  map_road_layer_get_n_lines_drawn (layer));
  g_assert_cmpuint (map_road_layer_get_n_lines_drawn (layer), >, 100);

  /* A second project load keeps the roads (they are stored in the project). */
  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  wait_for (roads_loaded, win, 60000);
  g_assert_cmpuint (map_road_layer_get_n_lines (layer), ==, (guint) n_db);
  close_window (win);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GeoStore) store = NULL;
  const char *shared = g_getenv ("JANGKAU_SHARED_DATA");
  int         rc;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  gtk_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  /* No crossfades: screenshots show the final state. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_init ();
  app_register_resource ();
  GDALAllRegister ();

  dir = test_tmp_make_dir ("jangkau-ui-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (dir, "bantul.jangkau", NULL);
  if (!ui_fixture_create_project (project_path, shared ? shared : SHARED_DATA_DIR, 600, 7, &error))
    g_error ("fixture: %s", error->message);
  store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_assert_no_error (error);
  n_families_in_db = (guint) geo_store_count (store, "family", &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_test_add_func ("/ui/window/welcome", test_welcome);
  g_test_add_func ("/ui/window/project-layers", test_project);
  g_test_add_func ("/ui/window/select-record", test_select_record);
  g_test_add_func ("/ui/window/search", test_search);
  g_test_add_func ("/ui/window/roads", test_roads);
  rc = g_test_run ();
  g_free (project_path);
  return rc;
}
