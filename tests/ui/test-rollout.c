#include "config.h"

#include <adwaita.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <string.h>

#include "app-application.h"
#include "app-resources.h"
#include "app-choropleth.h"
#include "app-rollout.h"
#include "app-window.h"
#include "geo-autocleanups.h"
#include "geo-coverage.h"
#include "geo-programme.h"
#include "geo-store-private.h"
#include "geo-visit.h"
#include "geo-workflow.h"
#include "ui-fixture.h"
#include "../test-tmp.h"

/* The rollout board: a programme built through the geo API on the Bantul fixture, shown by
 * win.show-rollout; the table must hold the core's desa rows, sorted by gap to target, and
 * follow the date. */

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

static char  *project_path;
static gint64 programme_id;
static char  *kecamatan;

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
board_ready (gpointer data)
{
  return !app_rollout_get_busy (data) && g_list_model_get_n_items (app_rollout_get_rows (data)) > 0;
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

/* The core's coverage of the test programme by desa on @at. */
static GPtrArray *
core_rows (const char *at)
{
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoCoverage) cov = NULL;
  GPtrArray *rows;

  g_assert_no_error (error);
  cov = geo_coverage_load (store, programme_id, NULL, &error);
  g_assert_no_error (error);
  rows = geo_coverage_compute (cov, at, GEO_COVERAGE_BY_DESA, NULL, &error);
  g_assert_no_error (error);
  return rows;
}

static gint64
visited_total (GPtrArray *rows)
{
  gint64 n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += ((GeoCoverageRow *) rows->pdata[i])->visited;
  return n;
}

static gboolean
choropleth_ready (gpointer data)
{
  return app_choropleth_get_ready (data);
}

/* The main map's desa are coloured by visited / targets in 20 % classes (0 holds 0-20 %). */
static void
check_map (AppWindow *win, const char *at)
{
  g_autoptr(GPtrArray) expect = core_rows (at);
  MapChoroplethLayer *layer = app_choropleth_get_layer (win);
  guint               checked = 0;

  for (guint k = 0; k < expect->len; k++)
    {
      const GeoCoverageRow *r = expect->pdata[k];
      double                x;
      int                   cls;

      if (r->targets <= 0 || map_choropleth_layer_find_area (layer, r->code) == NULL)
        continue;
      x = MIN ((double) r->visited / r->targets, 1.0);
      cls = x <= 0.2 ? 0 : x <= 0.4 ? 1 : x <= 0.6 ? 2 : x <= 0.8 ? 3 : 4;
      g_assert_cmpint (map_choropleth_layer_get_area_class (layer, r->code), ==, cls);
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (map_choropleth_layer_get_n_filled (layer), >=, checked);
}

static void
check_board (GtkWidget *board, const char *at)
{
  g_autoptr(GPtrArray) expect = core_rows (at);
  GListModel *rows = app_rollout_get_rows (board);
  guint       n = g_list_model_get_n_items (rows);
  gint64      prev = G_MAXINT64;

  g_assert_cmpuint (n, ==, expect->len);
  for (guint i = 0; i < n; i++)
    {
      gint64      gap = 0;
      const char *code = app_rollout_row_code (rows, i, &gap);
      gboolean    known = FALSE;

      /* Largest gap to target first. */
      g_assert_cmpint (gap, <=, prev);
      prev = gap;
      for (guint k = 0; k < expect->len; k++)
        if (strcmp (((GeoCoverageRow *) expect->pdata[k])->code, code) == 0)
          {
            known = TRUE;
            g_assert_cmpint (geo_coverage_row_gap (expect->pdata[k]), ==, gap);
          }
      g_assert_true (known);
    }
}

static void
test_board (void)
{
  AppWindow *win = app_window_new (NULL);
  GtkWidget *board, *at, *refresh, *toplevel;
  g_autoptr(GPtrArray) early = core_rows ("2026-03-01");
  g_autoptr(GPtrArray) late = core_rows ("2026-06-30");

  /* The visits spread over March to June: the figures must differ between the two dates. */
  g_assert_cmpint (visited_total (early), <, visited_total (late));

  gtk_window_set_default_size (GTK_WINDOW (win), 1366, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_for (window_mapped, win, 10000);
  app_window_open_project (win, project_path, FALSE);
  wait_for (project_loaded, win, 60000);

  board = app_rollout_get (win);
  g_assert_nonnull (board);
  at = find_named (board, "rollout-at");
  refresh = find_named (board, "rollout-refresh");
  g_assert_nonnull (at);
  g_assert_nonnull (refresh);
  gtk_editable_set_text (GTK_EDITABLE (at), "2026-06-30");
  g_action_group_activate_action (G_ACTION_GROUP (win), "show-rollout", NULL);
  toplevel = GTK_WIDGET (gtk_widget_get_root (board));
  wait_for (window_mapped, toplevel, 10000);
  wait_for (board_ready, board, 60000);
  check_board (board, "2026-06-30");
  g_assert_cmpuint (app_rollout_get_n_chart_points (board), >, 0);
  save_screenshot (toplevel, "rollout-board.png");
  wait_for (choropleth_ready, win, 60000);
  check_map (win, "2026-06-30");
  save_screenshot (GTK_WIDGET (win), "rollout-map.png");
  /* Off the main map and back. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (board, "rollout-on-map")), FALSE);
  g_assert_cmpuint (map_choropleth_layer_get_n_filled (app_choropleth_get_layer (win)), ==, 0);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (board, "rollout-on-map")), TRUE);
  check_map (win, "2026-06-30");

  gtk_editable_set_text (GTK_EDITABLE (at), "2026-03-01");
  g_signal_emit_by_name (refresh, "clicked");
  g_assert_true (app_rollout_get_busy (board));
  wait_for (board_ready, board, 60000);
  check_board (board, "2026-03-01");
  check_map (win, "2026-03-01");

  /* A bad date is refused with a message, nothing computed. */
  gtk_editable_set_text (GTK_EDITABLE (at), "2026-02-30");
  g_signal_emit_by_name (refresh, "clicked");
  g_assert_false (app_rollout_get_busy (board));

  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

/* A programme over the fixture's first kecamatan: its persons listed, visits on 30 families from
 * March to June 2026 (found, not at home, not reachable in turn). */
static void
build_programme (void)
{
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (project_path, GEO_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  static const int outcomes[] = { GEO_VISIT_FOUND, GEO_VISIT_NOT_AT_HOME, GEO_VISIT_NOT_REACHABLE };
  guint            added = 0, i = 0;

  g_assert_no_error (error);
  stmt = geo_store_prepare (store,
                            "SELECT substr (desa_code, 1, 8) FROM family WHERE desa_code IS NOT "
                            "NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  kecamatan = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  programme_id =
      geo_programme_create (store, "Pelangsir Massal 2026", 0, "2026-03-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      geo_programme_add_area (store, programme_id, kecamatan, NULL, NULL, NULL, -1, &error));
  g_assert_true (geo_filter_add_area (filter, kecamatan, &error));
  g_assert_true (
      geo_programme_add_targets (store, programme_id, filter, NULL, &added, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, >, 0);

  stmt = geo_store_prepare (store,
                            "SELECT id FROM family WHERE desa_code LIKE ? || '.%' ORDER BY id "
                            "LIMIT 30",
                            &error);
  sqlite3_bind_text (stmt, 1, kecamatan, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *date = g_strdup_printf ("2026-%02u-%02u", 3 + i % 4, 1 + i % 28);
      GeoVisitRecord   v = { .family_id = sqlite3_column_int64 (stmt, 0),
                             .date = date,
                             .outcome = outcomes[i % G_N_ELEMENTS (outcomes)] };
      GeoVisitResult   r;

      g_assert_true (geo_visit_log (store, &v, &r, &error));
      g_assert_no_error (error);
      /* Found: the family's entered memberships verified that day. */
      if (v.outcome == GEO_VISIT_FOUND)
        {
          g_autoptr(sqlite3_stmt) entri =
                         geo_store_prepare (store,
                                            "SELECT p.id, m.category FROM person AS p JOIN "
                                            "membership AS m ON m.person_id = p.id "
                                            "WHERE p.family_id = ? AND m.status = 'entri'",
                                            &error);

          sqlite3_bind_int64 (entri, 1, v.family_id);
          while (sqlite3_step (entri) == SQLITE_ROW)
            {
              GeoTransition t = { .to = GEO_STATE_VERIFIKASI,
                                  .category = sqlite3_column_int (entri, 1),
                                  .date = date };
              guint         n = 0;

              g_assert_true (
                  geo_workflow_set_status (store, sqlite3_column_int64 (entri, 0), &t, &n, &error));
              g_assert_no_error (error);
            }
        }
      i++;
    }
  g_assert_cmpuint (i, ==, 30);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  const char      *shared = g_getenv ("JANGKAU_SHARED_DATA");
  int              rc;

  /* JANGKAU_UI_LANGUAGE=id (with JANGKAU_LOCALEDIR=build/po): translated, for docs/. */
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

  dir = test_tmp_make_dir ("jangkau-rollout-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (dir, "bantul.jangkau", NULL);
  if (!ui_fixture_create_project (project_path, shared ? shared : SHARED_DATA_DIR, 400, 11, &error))
    g_error ("fixture: %s", error->message);
  build_programme ();

  g_test_add_func ("/ui/rollout/board", test_board);
  rc = g_test_run ();
  wal = g_strconcat (project_path, "-wal", NULL);
  shm = g_strconcat (project_path, "-shm", NULL);
  g_unlink (project_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  g_free (project_path);
  g_free (kecamatan);
  return rc;
}
