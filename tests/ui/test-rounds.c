#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>

#include "app-application.h"
#include "app-person-model.h"
#include "app-round-panel.h"
#include "geo-round-export.h"
#include "geo-roads.h"
#include <geodesic.h>
#include <string.h>
#include "app-resources.h"
#include "app-window.h"
#include "geo-records.h"
#include "geo-selection.h"
#include "geo-store-private.h"
#include "ui-fixture.h"
#include <sqlite3.h>
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
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
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
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

/* Every button the user can reach has a visible label or a tooltip (which GTK exposes as
 * its accessible description); icon-only buttons in our templates also carry an
 * accessible label. Returns the number of buttons checked. */
G_GNUC_UNUSED static guint
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
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
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

/* ---- rounds panel ---- */

static void
remove_project (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static gboolean
panel_idle (gpointer data)
{
  return !app_round_panel_get_busy (data) && app_round_panel_get_round (data) != NULL;
}

static double
geodesic_m (const GeoPoint *a, const GeoPoint *b)
{
  struct geod_geodesic g;
  double               s = 0;

  geod_init (&g, 6378137.0, 1 / 298.257223563);
  geod_inverse (&g, a->lat, a->lon, b->lat, b->lon, &s, NULL, NULL);
  return s;
}

static GtkWidget *
named (GtkWidget *root, const char *name)
{
  GtkWidget *w = find_named (root, name);

  if (w == NULL)
    g_error ("no widget named %s", name);
  return w;
}

static GeoRound *
load_round_from (const char *path, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_READONLY, &error);
  GeoRound *r;

  g_assert_no_error (error);
  r = geo_round_load (store, id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_no_error (error);
  return r;
}

static GeoRound *
load_round (gint64 id)
{
  return load_round_from (project_path, id);
}

/* The layer and the stop list show exactly the round stored in the project. */
static void
check_panel_against_db (GtkWidget *panel, const GeoRound *db)
{
  MapRoundLayer  *layer = app_round_panel_get_layer (panel);
  const GeoRound *shown = app_round_panel_get_round (panel);
  guint           k = 0;

  g_assert_cmpint (shown->id, ==, db->id);
  g_assert_cmpuint (map_round_layer_get_n_routes (layer), ==, db->routes->len);
  g_assert_cmpuint (map_round_layer_get_n_stops (layer), ==, db->n_planned);
  for (guint r = 0; r < db->routes->len; r++)
    {
      const GeoRoundRoute *rt = db->routes->pdata[r];
      g_autoptr(GPtrArray) day = geo_round_day_stops (db, rt->team, rt->day);

      g_assert_cmpuint (map_round_layer_get_route_n_points (layer, r), ==, rt->line->len);
      for (guint i = 0; i < day->len; i++, k++)
        {
          const GeoRoundStop *s = day->pdata[i];
          GeoPoint            pos;
          guint               route, seq;

          g_assert_true (map_round_layer_get_stop (layer, k, &pos, &route, &seq));
          g_assert_cmpuint (route, ==, r);
          g_assert_cmpuint (seq, ==, s->seq);
          g_assert_cmpfloat_with_epsilon (pos.lon, s->pos.lon, 1e-9);
          g_assert_cmpfloat_with_epsilon (pos.lat, s->pos.lat, 1e-9);
        }
    }
}

/* Rows of the stop list of the shown day against the DB's stops of team/day. */
static void
check_stop_list (GtkWidget *panel, const GeoRound *db, guint team, guint day_no)
{
  GtkWidget *list = named (panel, "round-stops");
  g_autoptr(GPtrArray) day = geo_round_day_stops (db, team, day_no);
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c))
      {
        const GeoRoundStop *s = day->pdata[n];
        g_autofree char    *arr = geo_round_format_time (s->arrive_min);
        g_autofree char    *dep = geo_round_format_time (s->depart_min);
        g_autofree char    *want = g_strdup_printf ("%u. %s–%s", s->seq, arr, dep);
        g_autoptr(GString) text = g_string_new (NULL);

        collect_labels (c, text);
        if (strstr (text->str, want) == NULL)
          g_error ("row %u: “%s” does not show “%s”", n, text->str, want);
        g_assert_nonnull (strstr (text->str, s->address));
        n++;
      }
  g_assert_cmpuint (n, ==, day->len);
}

static void
test_plan_reorder_export (void)
{
  AppWindow *win = open_window ();
  GtkWidget *panel, *w;
  g_autoptr(GeoRound) db = NULL;
  g_autoptr(GeoRound) after = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char    *gpx_path = NULL, *gpx = NULL, *sheets = NULL;
  g_autofree char    *export_dir = test_tmp_make_dir ("jangkau-rounds-export-XXXXXX", NULL);
  const GeoRoundTeam *car;
  gint64              first_family, second_family;
  const GeoPoint      depot = { 110.2460, -7.9390 };
  GeoPoint            prev;
  double              t, speed;
  guint               n_wpt = 0, n_rte = 0;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  spin (300); /* the window fits the map to the project on its first frame */
  panel = app_round_panel_get (win);
  g_assert_nonnull (panel);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-rounds", NULL);
  spin (300);

  /* The office by a click on the map: the target button, then a click at the map's centre. */
  {
    GtkWidget *map = GTK_WIDGET (app_window_get_map (win));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (map);
    GtkGesture *click = NULL;
    double      lat, lon, got_lon, got_lat;
    int         mw = gtk_widget_get_width (map), mh = gtk_widget_get_height (map);
    const char *text;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (c) &&
            gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
          click = GTK_GESTURE (c);
      }
    g_assert_nonnull (click);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named (panel, "round-pick-depot")), TRUE);
    g_signal_emit_by_name (click, "pressed", 1, mw / 3.0, mh / 3.0);
    g_assert_false (
        gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named (panel, "round-pick-depot"))));
    shumate_viewport_widget_coords_to_location (app_window_get_viewport (win),
                                                map,
                                                mw / 3.0,
                                                mh / 3.0,
                                                &lat,
                                                &lon);
    text = gtk_editable_get_text (GTK_EDITABLE (named (panel, "round-depot")));
    g_assert_cmpint (sscanf (text, "%lf, %lf", &got_lon, &got_lat), ==, 2);
    g_assert_cmpfloat_with_epsilon (got_lon, lon, 1e-6);
    g_assert_cmpfloat_with_epsilon (got_lat, lat, 1e-6);
    /* Without the button, a click is the family layer's. */
    g_signal_emit_by_name (click, "pressed", 1, mw / 2.0, mh / 2.0);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (panel, "round-depot"))), ==, text);
  }

  /* Two teams, the second by car; two days of 08:00-13:00; 25 min per visit; 6 visits. */
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-depot")), "110.2460, -7.9390");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-teams")), 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "round-vehicle-2")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-days")), 2);
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-start")), "08:00");
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-end")), "13:00");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-visit")), 25);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-max-visits")), 6);
  /* Families with someone not yet verified, in Kec. Bantul (34.02.01). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "round-status")), 2);
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-area")), "34.02.01");
  spin (300);
  save_screenshot (GTK_WIDGET (win), "rounds-settings.png");
  g_signal_emit_by_name (named (panel, "round-plan"), "clicked");
  if (!app_round_panel_get_busy (panel))
    g_error ("not planning: %s",
             gtk_label_get_text (GTK_LABEL (named (panel, "round-status-label"))));
  wait_for (panel_idle, panel, 120000);

  db = load_round (app_round_panel_get_round (panel)->id);
  g_assert_cmpuint (db->n_targets, >, 0);
  g_assert_cmpuint (db->n_planned, >, 0);
  g_assert_cmpuint (db->n_planned + db->n_unplanned, ==, db->n_targets);
  g_assert_cmpuint (db->n_teams, ==, 2);
  g_assert_cmpuint (db->n_days, ==, 2);
  g_assert_cmpfloat_with_epsilon (db->depot.lon, depot.lon, 1e-9);
  g_assert_cmpstr (geo_round_get_team (db, 1)->vehicle, ==, "motorbike");
  car = geo_round_get_team (db, 2);
  g_assert_cmpstr (car->vehicle, ==, "car");
  g_assert_cmpfloat_with_epsilon (car->speed_kmh, 30, 1e-9);
  g_assert_cmpstr (db->selection, !=, NULL);
  check_panel_against_db (panel, db);
  g_test_message ("round %" G_GINT64_FORMAT ": %u targets, %u planned, %u routes, %.1f km",
                  db->id,
                  db->n_targets,
                  db->n_planned,
                  db->routes->len,
                  db->total_m / 1000);

  /* The car team's first day in the list. */
  app_round_panel_show_day (panel, 2, 1);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-rounds", NULL);
  spin (600);
  check_stop_list (panel, db, 2, 1);
  save_screenshot (GTK_WIDGET (win), "rounds-planned.png");

  /* Selecting a stop selects its family on the map. */
  day = geo_round_day_stops (db, 2, 1);
  g_assert_cmpuint (day->len, >=, 2);
  first_family = ((GeoRoundStop *) day->pdata[0])->family_id;
  second_family = ((GeoRoundStop *) day->pdata[1])->family_id;
  gtk_list_box_select_row (GTK_LIST_BOX (named (panel, "round-stops")),
                           gtk_list_box_get_row_at_index (GTK_LIST_BOX (
                                                              named (panel, "round-stops")),
                                                          1));
  g_assert_cmpint (app_window_get_selected_family (win), ==, second_family);

  /* Stop 1 one down: the times follow the new order at the car's speed, in the list and the DB. */
  g_signal_emit_by_name (named (panel, "round-stop-down-1"), "clicked");
  spin (50);
  after = load_round (db->id);
  g_clear_pointer (&day, g_ptr_array_unref);
  day = geo_round_day_stops (after, 2, 1);
  g_assert_cmpint (((GeoRoundStop *) day->pdata[0])->family_id, ==, second_family);
  g_assert_cmpint (((GeoRoundStop *) day->pdata[1])->family_id, ==, first_family);
  speed = car->speed_kmh;
  prev = after->depot;
  t = after->day_start_min;
  for (guint i = 0; i < day->len; i++)
    {
      const GeoRoundStop *s = day->pdata[i];

      t += geodesic_m (&prev, &s->pos) * after->detour_factor / (speed * 1000 / 60);
      g_assert_cmpfloat_with_epsilon (s->arrive_min, t, 1e-6);
      g_assert_cmpuint (s->seq, ==, i + 1);
      t += after->visit_min;
      prev = s->pos;
    }
  t += geodesic_m (&prev, &after->depot) * after->detour_factor / (speed * 1000 / 60);
  g_assert_cmpfloat_with_epsilon (geo_round_get_route (after, 2, 1)->end_min, t, 1e-6);
  check_stop_list (panel, after, 2, 1);
  check_panel_against_db (panel, after);
  /* Other team-days are untouched. */
  g_assert_cmpfloat_with_epsilon (geo_round_get_route (after, 1, 1)->end_min,
                                  geo_round_get_route (db, 1, 1)->end_min,
                                  1e-9);
  spin (400);
  save_screenshot (GTK_WIDGET (win), "rounds-reordered.png");

  /* GPX: a waypoint per stop plus the office, a route per team-day; no names, no NIK. */
  gpx_path = g_build_filename (export_dir, "jangkau-rounds-test.gpx", NULL);
  g_assert_true (app_round_panel_export_to (panel, gpx_path, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (gpx_path, &gpx, NULL, NULL));
  g_assert_nonnull (strstr (gpx, "<gpx"));
  g_assert_nonnull (strstr (gpx, "version=\"1.1\""));
  for (const char *q = gpx; (q = strstr (q, "<wpt ")) != NULL; q++)
    n_wpt++;
  for (const char *q = gpx; (q = strstr (q, "<rte>")) != NULL; q++)
    n_rte++;
  g_assert_cmpuint (n_wpt, ==, after->n_planned + 1);
  g_assert_cmpuint (n_rte, ==, after->routes->len);
  g_assert_null (strstr (gpx, "Nama"));
  {
    /* The reordered day: the second family's stop is now T2-H1-01. */
    g_autofree char *want = g_strdup_printf ("T2-H1-01");
    const char      *at = strstr (gpx, want);

    g_assert_nonnull (at);
  }
  for (const char *q = gpx; *q; q++)
    {
      guint digits = 0;

      while (g_ascii_isdigit (q[digits]))
        digits++;
      g_assert_cmpuint (digits, <, 16);
      q += digits > 0 ? digits - 1 : 0;
    }
  g_unlink (gpx_path);

  /* With "names and NIK": a CSV with names and masked NIKs only (kecamatan + last four). */
  {
    g_autofree char *csv_path =
        g_build_filename (export_dir, "jangkau-rounds-test.csv", NULL);
    g_autofree char *csv = NULL;
    g_auto(GStrv) lines = NULL;
    gboolean masked = FALSE;

    gtk_expander_set_expanded (GTK_EXPANDER (named (panel, "round-settings")), FALSE);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (named (panel, "round-personal")), TRUE);
    g_assert_true (app_round_panel_export_to (panel, csv_path, FALSE, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    lines = g_strsplit (csv, "\n", -1);
    g_assert_true (g_str_has_prefix (lines[0], "team,day,seq,family_id"));
    g_assert_nonnull (strstr (lines[0], "names,nik"));
    g_assert_cmpuint (g_strv_length (lines), >=, after->n_planned + 1);
    masked = g_regex_match_simple ("[0-9]{6}\\*{6}[0-9]{4}", csv, 0, 0);
    g_assert_true (masked);
    g_assert_false (g_regex_match_simple ("[0-9]{16}", csv, 0, 0));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (named (panel, "round-personal")), FALSE);
    g_unlink (csv_path);
  }

  /* Route sheets: one PDF per team-day. */
  sheets = g_build_filename (export_dir, "jangkau-rounds-sheets", NULL);
  g_assert_true (app_round_panel_export_to (panel, sheets, TRUE, &error));
  g_assert_no_error (error);
  for (guint r = 0; r < after->routes->len; r++)
    {
      const GeoRoundRoute *rt = after->routes->pdata[r];
      g_autofree char     *name = g_strdup_printf ("round-%" G_GINT64_FORMAT "-tim%u-hari%u.pdf",
                                               after->id,
                                               rt->team,
                                               rt->day);
      g_autofree char     *file = g_build_filename (sheets, name, NULL);

      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      g_unlink (file);
    }
  g_rmdir (sheets);
  test_tmp_remove (export_dir);

  /* Reopening the saved round from the list shows the reordered plan. */
  w = named (panel, "round-list");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (w))), >=, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w), 0);
  g_signal_emit_by_name (named (panel, "round-open"), "clicked");
  wait_for (panel_idle, panel, 60000);
  check_panel_against_db (panel, after);
  app_round_panel_show_day (panel, 2, 1);
  spin (50);
  check_stop_list (panel, after, 2, 1);

  /* Our icon-only buttons carry tooltips (the spin buttons' +/- are GTK's own). */
  g_assert_nonnull (gtk_widget_get_tooltip_text (named (panel, "round-stop-up-2")));
  /* The settings folded away after planning; they come back on demand. */
  g_assert_null (find_named (panel, "round-teams"));
  gtk_expander_set_expanded (GTK_EXPANDER (named (panel, "round-settings")), TRUE);
  g_assert_nonnull (gtk_widget_get_tooltip_text (named (panel, "round-pick-depot")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                       GTK_SPIN_BUTTON (named (panel, "round-teams"))),
                   ==,
                   2);
  close_window (win);
}

static gboolean
fit_done (gpointer data)
{
  return !app_window_get_fit_pending (data);
}

static GtkGesture *
capture_click (GtkWidget *map)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (map);
  GtkGesture *click = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c) &&
          gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        click = GTK_GESTURE (c);
    }
  g_assert_nonnull (click);
  return click;
}

static GtkDropTarget *
drop_target_of (GtkWidget *row)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        return GTK_DROP_TARGET (c);
    }
  return NULL;
}

/* Targets inside an area drawn with clicks on the map, a time window for one family, and a stop
 * dragged onto another. */
static void
test_area_window_drag (void)
{
  AppWindow       *win = open_window ();
  GtkWidget       *panel, *map;
  GtkGesture      *click;
  ShumateViewport *viewport;
  GeoSelection    *sel;
  g_autoptr(GeoRound) db = NULL;
  g_autoptr(GeoRound) after = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autofree char *wkt = NULL;
  double           lon0, lat0, lon1, lat1, mw, mh;
  const double     fx[4] = { 0.40, 0.60, 0.60, 0.40 }, fy[4] = { 0.40, 0.40, 0.60, 0.60 };
  guint            inside = 0;
  gint64           windowed = 0;
  const GeoRoundStop *ws = NULL;
  gboolean         dropped = FALSE;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  wait_for (fit_done, win, 60000);
  spin (200);
  panel = app_round_panel_get (win);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-rounds", NULL);
  spin (200);
  map = GTK_WIDGET (app_window_get_map (win));
  viewport = app_window_get_viewport (win);
  click = capture_click (map);
  mw = gtk_widget_get_width (map);
  mh = gtk_widget_get_height (map);

  /* Four corners, then a double click to finish. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named (panel, "round-draw-area")), TRUE);
  for (int k = 0; k < 4; k++)
    g_signal_emit_by_name (click, "pressed", 1, fx[k] * mw, fy[k] * mh);
  g_signal_emit_by_name (click, "pressed", 2, fx[3] * mw, fy[3] * mh);
  g_assert_false (
      gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named (panel, "round-draw-area"))));
  g_assert_cmpuint (map_round_layer_get_area_n_points (app_round_panel_get_layer (panel)), ==, 4);
  wkt = app_round_panel_area_wkt (panel);
  g_assert_true (g_str_has_prefix (wkt, "POLYGON(("));
  /* The screen square is a lon/lat rectangle (no rotation): count the families inside. */
  shumate_viewport_widget_coords_to_location (viewport, map, fx[0] * mw, fy[0] * mh, &lat1, &lon0);
  shumate_viewport_widget_coords_to_location (viewport, map, fx[2] * mw, fy[2] * mh, &lat0, &lon1);
  sel = app_project_get_selection (app_window_get_project (win));
  for (guint i = 0; i < sel->n_families; i++)
    if (sel->lon[i] > lon0 && sel->lon[i] < lon1 && sel->lat[i] > lat0 && sel->lat[i] < lat1)
      {
        inside++;
        if (windowed == 0)
          windowed = sel->family_id[i];
      }
  g_test_message ("%u families inside the drawn area", inside);
  g_assert_cmpuint (inside, >, 2);

  /* A time window for the selected family; without a selection the panel says what to do. */
  g_signal_emit_by_name (named (panel, "round-window-add"), "clicked");
  g_assert_null (gtk_widget_get_first_child (named (panel, "round-windows")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (panel, "round-status-label"))),
                   ==,
                   _ ("Select a family on the map or in the stop list first."));
  app_window_select_family (win, windowed, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-window-open")), "10:00");
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-window-close")), "10:30");
  g_signal_emit_by_name (named (panel, "round-window-add"), "clicked");
  g_assert_nonnull (find_named (panel, "round-window-remove-0"));

  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-depot")), "110.2460, -7.9390");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-teams")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-days")), 3);
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-start")), "08:00");
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-end")), "15:00");
  spin (100);
  save_screenshot (GTK_WIDGET (win), "rounds-area.png");
  g_signal_emit_by_name (named (panel, "round-plan"), "clicked");
  if (!app_round_panel_get_busy (panel))
    g_error ("not planning: %s",
             gtk_label_get_text (GTK_LABEL (named (panel, "round-status-label"))));
  wait_for (panel_idle, panel, 120000);
  db = load_round (app_round_panel_get_round (panel)->id);
  /* Exactly the families inside the area are targets. */
  g_assert_cmpuint (db->n_targets, ==, inside);
  for (guint i = 0; i < db->stops->len; i++)
    {
      const GeoRoundStop *s = db->stops->pdata[i];

      g_assert_true (s->pos.lon > lon0 && s->pos.lon < lon1);
      g_assert_true (s->pos.lat > lat0 && s->pos.lat < lat1);
      if (s->family_id == windowed)
        ws = s;
    }
  g_assert_nonnull (ws);
  g_assert_cmpfloat_with_epsilon (ws->open_min, 600, 1e-9);
  g_assert_cmpfloat_with_epsilon (ws->close_min, 630, 1e-9);
  if (ws->seq > 0)
    {
      g_assert_cmpfloat (ws->start_min, >=, 600 - 1e-6);
      g_assert_cmpfloat (ws->start_min, <=, 630 + 1e-6);
    }

  /* Drag stop 1 onto stop 3 of the first day with three stops or more. */
  for (guint r = 0; r < db->routes->len && !dropped; r++)
    {
      const GeoRoundRoute *rt = db->routes->pdata[r];
      GtkDropTarget       *drop;
      GValue               v = G_VALUE_INIT;
      gboolean             accepted = FALSE;
      gint64               f1, f2, f3;

      if (rt->n_stops < 3)
        continue;
      app_round_panel_show_day (panel, rt->team, rt->day);
      spin (50);
      day = geo_round_day_stops (db, rt->team, rt->day);
      f1 = ((GeoRoundStop *) day->pdata[0])->family_id;
      f2 = ((GeoRoundStop *) day->pdata[1])->family_id;
      f3 = ((GeoRoundStop *) day->pdata[2])->family_id;
      drop = drop_target_of (named (panel, "round-stop-3"));
      g_assert_nonnull (drop);
      g_value_init (&v, G_TYPE_UINT);
      g_value_set_uint (&v, 1);
      g_signal_emit_by_name (drop, "drop", &v, 5.0, 5.0, &accepted);
      g_value_unset (&v);
      g_assert_true (accepted);
      spin (100);
      after = load_round (db->id);
      g_clear_pointer (&day, g_ptr_array_unref);
      day = geo_round_day_stops (after, rt->team, rt->day);
      g_assert_cmpint (((GeoRoundStop *) day->pdata[0])->family_id, ==, f2);
      g_assert_cmpint (((GeoRoundStop *) day->pdata[1])->family_id, ==, f3);
      g_assert_cmpint (((GeoRoundStop *) day->pdata[2])->family_id, ==, f1);
      check_stop_list (panel, after, rt->team, rt->day);
      /* And back with the API the drop uses: stop 3 to position 1. */
      g_assert_true (app_round_panel_move_stop_to (panel, 3, 1));
      g_clear_pointer (&after, geo_round_free);
      after = load_round (db->id);
      g_clear_pointer (&day, g_ptr_array_unref);
      day = geo_round_day_stops (after, rt->team, rt->day);
      g_assert_cmpint (((GeoRoundStop *) day->pdata[0])->family_id, ==, f1);
      g_assert_cmpint (((GeoRoundStop *) day->pdata[1])->family_id, ==, f2);
      dropped = TRUE;
    }
  g_assert_true (dropped);

  /* Clearing the area (the settings fold away after planning). */
  gtk_expander_set_expanded (GTK_EXPANDER (named (panel, "round-settings")), TRUE);
  g_signal_emit_by_name (named (panel, "round-clear-area"), "clicked");
  g_assert_cmpuint (map_round_layer_get_area_n_points (app_round_panel_get_layer (panel)), ==, 0);
  g_assert_null (app_round_panel_area_wkt (panel));
  close_window (win);
}

/* Cancel: a big plan is stopped and leaves no round behind. */
static void
test_cancel (void)
{
  AppWindow *win = open_window ();
  GtkWidget *panel;
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GPtrArray) before = NULL, list = NULL;

  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_assert_no_error (error);
  before = geo_round_list (store, &error);
  panel = app_round_panel_get (win);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-teams")), 6);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-days")), 10);
  g_signal_emit_by_name (named (panel, "round-plan"), "clicked");
  if (!app_round_panel_get_busy (panel))
    g_error ("not planning: %s",
             gtk_label_get_text (GTK_LABEL (named (panel, "round-status-label"))));
  g_assert_true (gtk_widget_get_visible (named (panel, "round-cancel")));
  g_signal_emit_by_name (named (panel, "round-cancel"), "clicked");
  {
    gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (app_round_panel_get_busy (panel))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, end);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
  }
  list = geo_round_list (store, &error);
  g_assert_no_error (error);
  /* Either cancelled before it was stored (the usual case) or finished first. */
  if (app_round_panel_get_round (panel) == NULL)
    {
      g_assert_cmpuint (list->len, ==, before->len);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (panel, "round-status-label"))),
                       ==,
                       _ ("Cancelled."));
      g_test_message ("cancelled before the round was stored");
    }
  else
    g_test_message ("the plan finished before the cancel reached it");
  close_window (win);
}

static guint
count_labels_with (GtkWidget *w, const char *text)
{
  guint n = GTK_IS_LABEL (w) && strstr (gtk_label_get_text (GTK_LABEL (w)), text) != NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_labels_with (c, text);
  return n;
}

/* The "Priority" drop-down: urgent only, then urgent and high; the stop list marks urgent
 * stops. The first families of the project get priorities in the file first. */
static void
test_priority (void)
{
  AppWindow *win;
  GtkWidget *panel, *dd;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_exec (geo_store_get_db (store),
                                   "UPDATE family SET priority = 1 WHERE id IN "
                                   "(SELECT id FROM family ORDER BY id LIMIT 4);"
                                   "UPDATE family SET priority = 2 WHERE id IN "
                                   "(SELECT id FROM family ORDER BY id LIMIT 3 OFFSET 4);",
                                   NULL,
                                   NULL,
                                   NULL),
                     ==,
                     SQLITE_OK);
  }
  win = open_window ();
  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);
  panel = app_round_panel_get (win);
  dd = named (panel, "round-priority");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dd))), ==, 3);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dd)), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-depot")), "110.2460, -7.9390");
  for (guint sel = 1; sel <= 2; sel++)
    {
      g_autoptr(GeoRound) db = NULL;
      guint n_urgent = 0;

      gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), sel);
      g_signal_emit_by_name (named (panel, "round-plan"), "clicked");
      if (!app_round_panel_get_busy (panel))
        g_error ("not planning: %s",
                 gtk_label_get_text (GTK_LABEL (named (panel, "round-status-label"))));
      wait_for (panel_idle, panel, 120000);
      db = load_round (app_round_panel_get_round (panel)->id);
      g_assert_cmpuint (db->n_targets, ==, sel == 1 ? 4 : 7);
      g_assert_cmpuint (db->n_planned, ==, db->n_targets);
      for (guint i = 0; i < db->stops->len; i++)
        {
          const GeoRoundStop *s = db->stops->pdata[i];

          g_assert_cmpint (s->priority, <=, (int) sel);
          n_urgent += s->priority == 1;
        }
      g_assert_cmpuint (n_urgent, ==, 4);
    }
  /* The team-day of an urgent stop: its urgent stops are marked in the list. */
  {
    g_autoptr(GeoRound) db = load_round (app_round_panel_get_round (panel)->id);
    const GeoRoundStop *first = NULL;
    g_autoptr(GPtrArray) day = NULL;
    guint n_urgent = 0;

    for (guint i = 0; i < db->stops->len && first == NULL; i++)
      if (((GeoRoundStop *) db->stops->pdata[i])->priority == 1)
        first = db->stops->pdata[i];
    g_assert_nonnull (first);
    app_round_panel_show_day (panel, first->team, first->day);
    spin (100);
    day = geo_round_day_stops (db, first->team, first->day);
    for (guint i = 0; i < day->len; i++)
      n_urgent += ((GeoRoundStop *) day->pdata[i])->priority == 1;
    g_assert_cmpuint (n_urgent, >=, 1);
    g_assert_cmpuint (count_labels_with (named (panel, "round-stops"), _ ("URGENT · ")), ==, n_urgent);
    gtk_widget_activate_action (GTK_WIDGET (win), "win.show-rounds", NULL);
    spin (300);
    save_screenshot (GTK_WIDGET (win), "rounds-priority.png");
  }
  close_window (win);
  check_no_warnings ();
}

/* Roads in the project (Central Jakarta's OSM clip): the panel plans on the road graph, the
 * layer's lines follow the roads, and reordering recomputes on the graph loaded by the worker. */
static void
test_roads (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_tmp_make_dir ("jangkau-rounds-roads-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "jakarta.jangkau", NULL);
  const char      *shared = g_getenv ("JANGKAU_SHARED_DATA");
  g_autofree char *roads = g_build_filename (shared ? shared : SHARED_DATA_DIR,
                                             "osm",
                                             "jakarta_pusat_roads_osm_clip.geojson",
                                             NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GeoRound) db = NULL;
  g_autoptr(GeoRound) after = NULL;
  g_autoptr(GPtrArray) day = NULL;
  AppWindow     *win;
  GtkWidget     *panel;
  MapRoundLayer *layer;
  guint          line_pts = 0;
  gint64         first;

  {
    g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_true (geo_roads_import (store, roads, NULL, FALSE, NULL, NULL, &error));
    g_assert_no_error (error);
    for (int k = 0; k < 16; k++)
      {
        g_autofree char *kk = g_strdup_printf ("31710100000%05d", k);
        g_autofree char *addr = g_strdup_printf ("Jl. Uji No. %d", k);
        g_autofree char *name = g_strdup_printf ("Warga %d", k);
        GeoFamilyRecord  fam = { .no_kk = kk,
                                 .address = addr,
                                 .rt = "001",
                                 .rw = "002",
                                 .lon = g_rand_double_range (rand, 106.8160, 106.8250),
                                 .lat = g_rand_double_range (rand, -6.1880, -6.1770),
                                 .loc_source = GEO_LOC_GPS,
                                 .gps_accuracy_m = NAN };
        GeoPersonRecord  per = { 0 };
        gint64           fid = geo_store_insert_family (store, &fam, &error), pid;

        g_assert_no_error (error);
        per.family_id = fid;
        per.name = name;
        pid = geo_store_insert_person (store, &per, &error);
        g_assert_no_error (error);
        g_assert_true (geo_store_insert_membership (store, pid, 1, "entri", &error));
        g_assert_no_error (error);
      }
  }

  win = open_window ();
  app_window_open_project (win, path, FALSE);
  wait_for (project_loaded, win, 60000);
  spin (300);
  panel = app_round_panel_get (win);
  gtk_editable_set_text (GTK_EDITABLE (named (panel, "round-depot")), "106.8200, -6.1830");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-teams")), 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (panel, "round-vehicle-1")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-days")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (panel, "round-visit")), 15);
  g_signal_emit_by_name (named (panel, "round-plan"), "clicked");
  wait_for (panel_idle, panel, 120000);
  db = load_round_from (path, app_round_panel_get_round (panel)->id);
  g_assert_cmpstr (db->cost_model, ==, "roads");
  g_assert_cmpuint (db->n_planned, >=, 4);
  check_panel_against_db (panel, db);
  /* Lines along the roads: far more vertices than depot + stops + depot. */
  layer = app_round_panel_get_layer (panel);
  for (guint r = 0; r < map_round_layer_get_n_routes (layer); r++)
    line_pts += map_round_layer_get_route_n_points (layer, r);
  g_assert_cmpuint (line_pts, >, 3 * (db->n_planned + 2 * db->routes->len));
  g_test_message ("roads: %u planned, %u route vertices", db->n_planned, line_pts);

  /* Reorder the first day with at least two stops: the stored result equals the panel's. */
  for (guint r = 0; r < db->routes->len; r++)
    {
      const GeoRoundRoute *rt = db->routes->pdata[r];

      if (rt->n_stops < 2)
        continue;
      app_round_panel_show_day (panel, rt->team, rt->day);
      spin (50);
      day = geo_round_day_stops (db, rt->team, rt->day);
      first = ((GeoRoundStop *) day->pdata[0])->family_id;
      g_signal_emit_by_name (named (panel, "round-stop-down-1"), "clicked");
      spin (50);
      after = load_round_from (path, db->id);
      g_ptr_array_unref (day);
      day = geo_round_day_stops (after, rt->team, rt->day);
      g_assert_cmpint (((GeoRoundStop *) day->pdata[1])->family_id, ==, first);
      check_panel_against_db (panel, after);
      check_stop_list (panel, after, rt->team, rt->day);
      /* Road paths: the new line still follows the roads. */
      g_assert_cmpuint (geo_round_get_route (after, rt->team, rt->day)->line->len, >, day->len + 2);
      break;
    }
  g_assert_nonnull (after);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-rounds", NULL);
  spin (400);
  save_screenshot (GTK_WIDGET (win), "rounds-roads.png");
  close_window (win);
  remove_project (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  const char      *shared = g_getenv ("JANGKAU_SHARED_DATA");
  int              rc;

  /* JANGKAU_UI_LANGUAGE=id (with JANGKAU_LOCALEDIR=build/po): the same run, translated, for
   * the screenshots in docs/. */
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

  dir = test_tmp_make_dir ("jangkau-rounds-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (dir, "bantul.jangkau", NULL);
  if (!ui_fixture_create_project (project_path, shared ? shared : SHARED_DATA_DIR, 600, 7, &error))
    g_error ("fixture: %s", error->message);

  g_test_add_func ("/ui/rounds/plan-reorder-export", test_plan_reorder_export);
  g_test_add_func ("/ui/rounds/area-window-drag", test_area_window_drag);
  g_test_add_func ("/ui/rounds/cancel", test_cancel);
  g_test_add_func ("/ui/rounds/roads", test_roads);
  g_test_add_func ("/ui/rounds/priority", test_priority);
  rc = g_test_run ();
  remove_project (project_path);
  g_free (project_path);
  return rc;
}
