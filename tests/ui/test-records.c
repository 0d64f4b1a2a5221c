#include "config.h"

#include <adwaita.h>
#include <gdal.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-application.h"
#include "app-delete.h"
#include "app-desa-chooser.h"
#include "app-person-model.h"
#include "app-records.h"
#include "app-resources.h"
#include "app-window.h"
#include "geo-audit.h"
#include "geo-edit.h"
#include "geo-mask.h"
#include "geo-nearest.h"
#include "geo-operator.h"
#include "geo-person-query.h"
#include "geo-records.h"
#include "geo-selection.h"
#include "geo-store.h"
#include "geo-visit.h"
#include "ui-fixture.h"
#include "../test-tmp.h"

/* Record editing in the app: the nearest PSKS list, a person edited with an invalid then a
 * valid NIK, a visit logged, a family moved to a point picked on the map, the table filter.
 * Every outcome is checked through the core on a store of its own. */

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
table_idle (gpointer data)
{
  GListModel *model = app_window_get_person_model (data);

  return model != NULL && !app_person_model_get_loading (APP_PERSON_MODEL (model));
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
  /* A dialog just presented on a loaded machine: mapped first, then drawn. */
  wait_for (window_mapped, widget, 20000);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  for (guint tries = 0; node == NULL && tries < 1000; tries++)
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

static char *
labels_of (GtkWidget *root)
{
  GString *s = g_string_new (NULL);

  collect_labels (root, s);
  return g_string_free (s, FALSE);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  spin (50);
}

static GeoStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  GeoStore *store = geo_store_open (project_path, GEO_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

/* A family whose head (first member) has a NIK, PMKS categories and a GPS point. */
static gint64
pick_family (GeoStore *store, GeoFamilyDetails **out)
{
  for (gint64 id = 1; id < 300; id++)
    {
      g_autoptr(GeoFamilyDetails) d = geo_family_details_load (store, id, NULL);

      if (d != NULL && d->n_members >= 2 && d->members[0].nik != NULL &&
          d->members[0].categories != 0 && d->members[1].categories != 0 &&
          d->loc_source == GEO_LOC_GPS && d->members[0].sex == 'L')
        {
          *out = g_steal_pointer (&d);
          return id;
        }
    }
  g_assert_not_reached ();
}

static gboolean
audit_has (GeoStore *store, const char *table, gint64 row, const char *field, const char *value)
{
  g_autoptr(GPtrArray) entries = geo_audit_list (store, 50, NULL);

  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++)
    {
      const GeoAuditEntry *e = entries->pdata[i];

      if (g_strcmp0 (e->table, table) == 0 && e->row_id == row &&
          g_strcmp0 (e->field, field) == 0 &&
          (value == NULL || g_strcmp0 (e->new_value, value) == 0))
        return TRUE;
    }
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
  wait_for (table_idle, win, 60000);
  return win;
}

static void
check_nearest (AppWindow *win, GeoStore *store, const GeoFamilyDetails *d)
{
  g_autoptr(GeoResources) res = geo_resources_load (store, 0, NULL);
  GeoIndex *index = geo_resources_build_index (res, NULL);
  guint32   mask = 0;
  g_autoptr(GArray) hits = NULL;
  g_autofree char *shown = labels_of (named (GTK_WIDGET (win), "records-nearest"));
  const char      *at = shown;

  for (guint i = 0; i < d->n_members; i++)
    mask |= d->members[i].categories;
  hits = geo_nearest_point (res, index, d->lon, d->lat, 3, INFINITY, mask, NULL);
  g_assert_cmpuint (hits->len, ==, 3);
  for (guint i = 0; i < hits->len; i++)
    {
      const GeoIndexHit *h = &g_array_index (hits, GeoIndexHit, i);
      const char        *name = res->name[h->item];
      g_autofree char   *dist = h->distance_m < 1000
                                    ? g_strdup_printf (_ ("%.0f m"), h->distance_m)
                                    : g_strdup_printf (_ ("%.1f km"), h->distance_m / 1000);

      g_test_message ("nearest %u: %s %s", i, name, dist);
      /* In order, each with its distance. */
      at = strstr (at, dist);
      g_assert_nonnull (at);
      at = strstr (at, name);
      g_assert_nonnull (at);
      g_assert_true (res->serves[h->item] & mask);
    }
  geo_index_free (index);
}

static void
test_edit_person_and_visit (void)
{
  AppWindow *win = open_project_window ();
  g_autoptr(GeoStore) store = open_store ();
  g_autoptr(GeoFamilyDetails) d = NULL;
  gint64           fid = pick_family (store, &d);
  const GeoMember *head = &d->members[0];
  g_autofree char *bad = g_strdup (head->nik);
  g_autofree char *good = NULL;
  g_autofree char *edit_name = g_strdup_printf ("records-edit-person-%" G_GINT64_FORMAT, head->id);
  g_autofree char *member_name =
      g_strdup_printf ("visit-member-%" G_GINT64_FORMAT, d->members[1].id);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) memberships = NULL;
  GtkWindow *dialog;
  GtkWidget *error_label, *nik_row;
  g_autoptr(GeoFamilyDetails) after = NULL;

  app_window_select_family (win, fid, TRUE);
  spin (200);
  check_nearest (win, store, d);
  text = labels_of (named (GTK_WIDGET (win), "records-visits"));
  g_assert_nonnull (strstr (text, _ ("No visit logged yet.")));
  g_clear_pointer (&text, g_free);

  /* A woman's birth day (+40) in a man's NIK: refused, shown next to the field. */
  bad[6] = (char) ('0' + (bad[6] - '0' + 4) % 10);
  click (named (GTK_WIDGET (win), edit_name));
  dialog = app_records_get_dialog (win);
  g_assert_nonnull (dialog);
  nik_row = named (GTK_WIDGET (dialog), "edit-nik");
  gtk_editable_set_text (GTK_EDITABLE (nik_row), bad);
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_true (app_records_get_dialog (win) == dialog);
  error_label = named (GTK_WIDGET (dialog), "error-nik");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (error_label)));
  g_test_message ("NIK error: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)),
                   ==,
                   _ ("The NIK's birth day says the other sex (women have day + 40)."));
  g_assert_true (gtk_widget_has_css_class (nik_row, "error"));
  g_assert_false (audit_has (store, "person", head->id, "nik", NULL));
  {
    g_autoptr(GeoFamilyDetails) now = geo_family_details_load (store, fid, NULL);

    g_assert_cmpstr (now->members[0].nik, ==, head->nik);
  }
  save_screenshot (GTK_WIDGET (dialog), "records-nik-error.png");

  /* Fixed: same region and birth date, a new serial. Live validation clears the error. */
  good = g_strdup_printf ("%.12s9999", head->nik);
  gtk_editable_set_text (GTK_EDITABLE (nik_row), good);
  spin (50);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (error_label)));
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_null (app_records_get_dialog (win));
  after = geo_family_details_load (store, fid, NULL);
  g_assert_cmpstr (after->members[0].nik, ==, good);
  g_assert_true (audit_has (store, "person", head->id, "nik", good));

  /* A visit: found, the second member deceased. */
  click (named (GTK_WIDGET (win), "records-log-visit"));
  dialog = app_records_get_dialog (win);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-visit-date")),
                         "2026-13-01");
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-visit-team")),
                         "Tim Srandakan");
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-visit-notes")),
                         "Ibu meninggal Mei");
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (GTK_WIDGET (dialog), member_name)), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (GTK_WIDGET (dialog), "edit-visit-point")), 1);
  click (named (GTK_WIDGET (dialog), "edit-save"));
  /* The bad date is refused next to its field. */
  g_assert_true (gtk_widget_get_visible (
      gtk_widget_get_parent (named (GTK_WIDGET (dialog), "error-visit-date"))));
  visits = geo_family_visits (store, fid, NULL);
  g_assert_cmpuint (visits->len, ==, 0);
  g_clear_pointer (&visits, g_ptr_array_unref);
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-visit-date")),
                         "2026-11-20");
  save_screenshot (GTK_WIDGET (dialog), "records-visit.png");
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_null (app_records_get_dialog (win));
  visits = geo_family_visits (store, fid, NULL);
  g_assert_cmpuint (visits->len, ==, 1);
  g_assert_cmpint (((GeoVisitEntry *) visits->pdata[0])->outcome, ==, GEO_VISIT_FOUND);
  g_assert_cmpstr (((GeoVisitEntry *) visits->pdata[0])->team, ==, "Tim Srandakan");
  memberships = geo_person_memberships (store, d->members[1].id, NULL);
  g_assert_cmpuint (memberships->len, >, 0);
  for (guint i = 0; i < memberships->len; i++)
    {
      const GeoMembershipInfo *m = memberships->pdata[i];

      g_assert_cmpstr (m->status, ==, "ditutup");
      g_assert_cmpstr (m->reason, ==, "meninggal");
    }
  g_assert_true (audit_has (store, "visit", ((GeoVisitEntry *) visits->pdata[0])->id, NULL, NULL));
  text = labels_of (named (GTK_WIDGET (win), "records-visits"));
  {
    g_autofree char *want = g_strdup_printf ("2026-11-20 · Tim Srandakan · %s", _ ("1 Found"));

    g_assert_nonnull (strstr (text, want));
  }
  g_assert_nonnull (strstr (text, "Ibu meninggal Mei"));
  g_clear_pointer (&text, g_free);
  {
    /* Scrolled down to the nearest PSKS and the visits for the picture. */
    GtkWidget     *nearest = named (GTK_WIDGET (win), "records-nearest");
    GtkWidget     *scrolled = gtk_widget_get_ancestor (nearest, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    graphene_point_t pt;

    spin (100);
    g_assert_true (
        gtk_widget_compute_point (nearest,
                                  gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                  &GRAPHENE_POINT_INIT (0, 0),
                                  &pt));
    gtk_adjustment_set_value (adj, pt.y - 380);
    spin (100);
  }
  save_screenshot (GTK_WIDGET (win), "records-details.png");

  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

static void
test_family_pick_and_filter (void)
{
  AppWindow *win = open_project_window ();
  g_autoptr(GeoStore) store = open_store ();
  g_autoptr(GeoFamilyDetails) d = NULL;
  g_autoptr(GeoFamilyDetails) after = NULL;
  gint64             fid = pick_family (store, &d);
  GtkWindow         *dialog;
  GeoPersonFilter    q = GEO_PERSON_FILTER_INIT;
  gsize              n = 0;
  g_autofree gint64 *ids = NULL;
  g_autoptr(GError) error = NULL;
  int code = __builtin_ctz (d->members[0].categories) + 1;

  app_window_select_family (win, fid, TRUE);
  spin (100);
  {
    /* The map's family layer draws the family at its stored point before the edit. */
    double lon, lat;

    g_assert_true (map_family_layer_get_family_point (app_window_get_family_layer (win),
                                                      fid,
                                                      &lon,
                                                      &lat,
                                                      NULL));
    g_assert_cmpfloat_with_epsilon (lon, d->lon, 1e-7);
    g_assert_cmpfloat_with_epsilon (lat, d->lat, 1e-7);
  }
  click (named (GTK_WIDGET (win), "records-edit-family"));
  dialog = app_records_get_dialog (win);
  /* The desa is the family's, chosen from the project's areas (not a typed code). */
  g_assert_cmpstr (app_desa_chooser_get_code (named (GTK_WIDGET (dialog), "edit-desa")),
                   ==,
                   d->desa_code);
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-rt")), "12a");
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_true (
      gtk_widget_get_visible (gtk_widget_get_parent (named (GTK_WIDGET (dialog), "error-rt"))));
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-rt")), "012");
  click (named (GTK_WIDGET (dialog), "edit-pick"));
  g_assert_true (app_records_get_picking (win));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  app_records_finish_pick (win, d->lon + 0.001, d->lat - 0.001);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpuint (adw_combo_row_get_selected (
                        ADW_COMBO_ROW (named (GTK_WIDGET (dialog), "edit-source"))),
                    ==,
                    1);
  /* Priority for outreach rounds: normal (the default) to urgent. */
  g_assert_cmpuint (adw_combo_row_get_selected (
                        ADW_COMBO_ROW (named (GTK_WIDGET (dialog), "edit-priority"))),
                    ==,
                    2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (GTK_WIDGET (dialog), "edit-priority")), 0);
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_null (app_records_get_dialog (win));
  after = geo_family_details_load (store, fid, NULL);
  g_assert_cmpstr (after->rt, ==, "012");
  g_assert_cmpint (after->loc_source, ==, GEO_LOC_ADDRESS);
  g_assert_cmpfloat_with_epsilon (after->lon, d->lon + 0.001, 1e-9);
  g_assert_cmpfloat_with_epsilon (after->lat, d->lat - 0.001, 1e-9);
  g_assert_true (audit_has (store, "family", fid, "loc_source", "address"));
  g_assert_cmpint (after->priority, ==, 1);
  g_assert_true (audit_has (store, "family", fid, "priority", "1"));
  {
    /* The family layer moved the family to the saved point at once (no project reload), and
     * still holds every family once. */
    MapFamilyLayer *layer = app_window_get_family_layer (win);
    double          lon, lat;

    g_assert_true (map_family_layer_get_family_point (layer, fid, &lon, &lat, NULL));
    g_assert_cmpfloat_with_epsilon (lon, after->lon, 1e-7);
    g_assert_cmpfloat_with_epsilon (lat, after->lat, 1e-7);
    g_assert_cmpuint (map_family_layer_get_n_points (layer),
                      ==,
                      geo_store_count (store, "family", NULL));
    /* A click on the new place hits the family (the index and its clusters were rebuilt). */
    shumate_viewport_set_zoom_level (app_window_get_viewport (win), 17);
    shumate_map_center_on (app_window_get_map (win), after->lat, after->lon);
    spin (200);
    {
      double x, y;
      MapHit hit;

      shumate_viewport_location_to_widget_coords (app_window_get_viewport (win),
                                                  GTK_WIDGET (app_window_get_map (win)),
                                                  after->lat,
                                                  after->lon,
                                                  &x,
                                                  &y);
      hit = map_family_layer_hit_test (layer, x, y);
      g_assert_cmpint (hit.kind, ==, MAP_HIT_FAMILY);
      g_assert_cmpint (hit.family_id, ==, fid);
    }
  }
  spin (100);
  {
    /* The marker of the picked point sits on the family's new point. */
    double           x, y;
    graphene_point_t pt;
    GtkWidget       *map = GTK_WIDGET (app_window_get_map (win));
    GtkWidget       *marker = named (GTK_WIDGET (win), "records-marker");

    shumate_viewport_location_to_widget_coords (app_window_get_viewport (win),
                                                map,
                                                after->lat,
                                                after->lon,
                                                &x,
                                                &y);
    g_assert_true (gtk_widget_get_visible (marker));
    g_assert_true (gtk_widget_compute_point (marker, map, &GRAPHENE_POINT_INIT (0, 0), &pt));
    g_assert_cmpfloat (fabs (pt.x + gtk_widget_get_width (marker) / 2.0 - x), <, 2);
    g_assert_cmpfloat (fabs (pt.y + gtk_widget_get_height (marker) / 2.0 - y), <, 2);
  }

  /* A new family, then a new person in it: both through the editors. */
  {
    gint64           n_families = geo_store_count (store, "family", NULL);
    gint64           new_family;
    g_autofree char *other = NULL;
    g_autofree char *other_name = NULL;
    g_autoptr(GeoFamilyDetails) added = NULL;

    click (named (GTK_WIDGET (win), "records-add-family"));
    dialog = app_records_get_dialog (win);
    /* The desa chooser: search by name narrows the list, by code to one; the chosen desa's
     * code is what the family stores. Another desa of the same kecamatan than the first. */
    {
      g_autoptr(GPtrArray) areas = geo_area_list (store, NULL);
      GtkWidget       *chooser = named (GTK_WIDGET (dialog), "edit-desa");
      GtkWidget       *search = named (GTK_WIDGET (dialog), "edit-desa-search");
      GtkWidget       *listv = named (GTK_WIDGET (dialog), "edit-desa-list");
      GListModel      *shown = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (listv)));
      g_autofree char *kec = g_strndup (d->desa_code, 8);
      guint            n_desa = 0;

      for (guint i = 0; i < areas->len; i++)
        {
          const GeoAreaEntry *a = areas->pdata[i];

          if (a->level != GEO_AREA_DESA)
            continue;
          n_desa++;
          if (other == NULL && g_str_has_prefix (a->code, kec) && strcmp (a->code, d->desa_code))
            {
              other = g_strdup (a->code);
              other_name = g_strdup (a->name);
            }
        }
      g_assert_nonnull (other);
      g_assert_cmpuint (app_desa_chooser_get_n_desa (chooser), ==, n_desa);
      g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_desa);
      g_assert_cmpstr (app_desa_chooser_get_code (chooser), ==, "");
      /* No desa yet: refused, the error under the chooser. */
      click (named (GTK_WIDGET (dialog), "edit-save"));
      g_assert_true (app_records_get_dialog (win) == dialog);
      g_assert_true (gtk_widget_get_visible (
          gtk_widget_get_parent (named (GTK_WIDGET (dialog), "error-desa"))));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (GTK_WIDGET (dialog), "error-desa"))),
                       ==,
                       _ ("Choose the family's desa."));
      gtk_menu_button_popup (GTK_MENU_BUTTON (named (GTK_WIDGET (dialog), "edit-desa-choose")));
      gtk_editable_set_text (GTK_EDITABLE (search), other_name);
      spin (300); /* the search entry's delay */
      g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 1);
      g_assert_cmpuint (g_list_model_get_n_items (shown), <, n_desa);
      save_screenshot (gtk_widget_get_ancestor (search, GTK_TYPE_POPOVER),
                       "records-desa-chooser.png");
      gtk_editable_set_text (GTK_EDITABLE (search), other);
      spin (300);
      g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
      gtk_widget_activate_action (listv, "list.activate-item", "u", 0);
      spin (50);
      g_assert_cmpstr (app_desa_chooser_get_code (chooser), ==, other);
      g_assert_true (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (chooser)), other_name));
      /* Checked again on the choice: the error is gone. */
      g_assert_false (gtk_widget_get_visible (
          gtk_widget_get_parent (named (GTK_WIDGET (dialog), "error-desa"))));
      save_screenshot (GTK_WIDGET (dialog), "records-family-desa.png");
    }
    gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-address")),
                           "Jl. Baru 1");
    click (named (GTK_WIDGET (dialog), "edit-pick"));
    app_records_finish_pick (win, d->lon - 0.002, d->lat);
    click (named (GTK_WIDGET (dialog), "edit-save"));
    g_assert_null (app_records_get_dialog (win));
    g_assert_cmpint (geo_store_count (store, "family", NULL), ==, n_families + 1);
    new_family = app_window_get_selected_family (win);
    g_assert_cmpint (new_family, >, 0);
    g_assert_cmpint (new_family, !=, fid);
    click (named (GTK_WIDGET (win), "records-add-person"));
    dialog = app_records_get_dialog (win);
    click (named (GTK_WIDGET (dialog), "edit-save"));
    /* A name is required. */
    g_assert_true (
        gtk_widget_get_visible (gtk_widget_get_parent (named (GTK_WIDGET (dialog), "error-name"))));
    gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-name")), "Sri Baru");
    gtk_check_button_set_active (GTK_CHECK_BUTTON (named (GTK_WIDGET (dialog), "edit-category-24")),
                                 TRUE);
    click (named (GTK_WIDGET (dialog), "edit-save"));
    g_assert_null (app_records_get_dialog (win));
    added = geo_family_details_load (store, new_family, NULL);
    g_assert_cmpuint (added->n_members, ==, 1);
    g_assert_cmpstr (added->members[0].name, ==, "Sri Baru");
    g_assert_cmpuint (added->members[0].categories, ==, 1u << 23);
    g_assert_cmpstr (added->address, ==, "Jl. Baru 1");
    g_assert_cmpstr (added->desa_code, ==, other);
    {
      /* The new family is on the map at its picked point, without a reload. */
      double  lon, lat;
      guint32 cats;

      g_assert_true (map_family_layer_get_family_point (app_window_get_family_layer (win),
                                                        new_family,
                                                        &lon,
                                                        &lat,
                                                        &cats));
      g_assert_cmpfloat_with_epsilon (lon, d->lon - 0.002, 1e-7);
      g_assert_cmpfloat_with_epsilon (lat, d->lat, 1e-7);
      /* With its first person (Fakir Miskin) it is drawn with that category. */
      g_assert_cmpuint (cats, ==, 1u << 23);
    }
    g_assert_true (audit_has (store, "person", added->members[0].id, NULL, NULL));
  }

  /* The table filter: the category of the head, as the core counts it. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (GTK_WIDGET (win), "filter-category")), code);
  spin (20);
  wait_for (table_idle, win, 60000);
  q.categories = 1u << (code - 1);
  ids = geo_person_query (store, &q, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (app_window_get_person_model (win)), ==, n);
  g_test_message ("PMKS %d: %" G_GSIZE_FORMAT " persons", code, n);
  /* Sorted by name, descending. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (named (GTK_WIDGET (win), "filter-sort")), 1);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named (GTK_WIDGET (win), "filter-descending")),
                                TRUE);
  spin (20);
  wait_for (table_idle, win, 60000);
  {
    GListModel *model = app_window_get_person_model (win);
    g_autoptr(AppPerson) first = g_list_model_get_item (model, 0);
    g_autoptr(AppPerson) second = g_list_model_get_item (model, 1);

    g_assert_cmpint (g_ascii_strcasecmp (app_person_get_name (first), app_person_get_name (second)),
                     >=,
                     0);
  }
  gtk_widget_activate_action (GTK_WIDGET (win), "win.search", NULL);
  spin (200);
  save_screenshot (GTK_WIDGET (win), "records-table.png");

  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

/* PSKS resources around the fixture's families: every 40th family's point, shifted. */
static void
add_resources (void)
{
  g_autoptr(GeoStore) store = open_store ();
  g_autoptr(GError) error = NULL;

  for (gint64 id = 1; id < 300; id += 40)
    {
      g_autoptr(GeoFamilyDetails) d = geo_family_details_load (store, id, NULL);
      static const int  all[] = { 0 };
      static const int  poor[] = { 24 };
      g_autofree char  *name = g_strdup_printf ("PSKS %02" G_GINT64_FORMAT, id);
      GeoResourceRecord r = { .type = 1 + (int) (id % 12),
                              .name = name,
                              .capacity = -1,
                              .radius_m = NAN,
                              .lon = d->lon + 0.01,
                              .lat = d->lat + 0.005,
                              .serves = id % 80 == 1 ? all : poor,
                              .n_serves = id % 80 == 1 ? 0 : 1 };

      g_assert_cmpint (geo_store_insert_resource (store, &r, &error), >, 0);
      g_assert_no_error (error);
    }
}

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

static GtkWindow *
find_toplevel (const char *name)
{
  GListModel *tops = gtk_window_get_toplevels (); /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (tops, i);

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (w)), name) == 0)
        return w;
    }
  return NULL;
}

static const char *
status_of (GeoStore *store, gint64 person, int category)
{
  static char buf[32];
  g_autoptr(GPtrArray) ms = geo_person_memberships (store, person, NULL);

  for (guint i = 0; i < ms->len; i++)
    {
      const GeoMembershipInfo *m = ms->pdata[i];

      if (m->category == category)
        {
          g_strlcpy (buf, m->status, sizeof buf);
          return buf;
        }
    }
  return NULL;
}

static void
test_status_and_operator (void)
{
  AppWindow *win;
  g_autoptr(GeoStore) store = open_store ();
  g_autoptr(GeoFamilyDetails) d = NULL;
  gint64           fid = pick_family (store, &d);
  gint64           head = d->members[0].id;
  int              code = __builtin_ctz (d->members[0].categories) + 1;
  g_autofree char *bname = g_strdup_printf ("records-status-%" G_GINT64_FORMAT "-%d", head, code);
  g_autoptr(GError) error = NULL;
  GtkWidget  *button;
  GMenuModel *menu;
  g_autoptr(GVariant) target = NULL;
  const char *to;
  GtkWindow  *refused, *dialog;
  gint64      other = -1;
  GtkWidget  *ops;
  guint       siti = G_MAXUINT;

  g_assert_cmpstr (status_of (store, head, code), ==, "entri");
  /* A desa operator for the family's desa, known before the window lists the profiles. */
  g_assert_cmpint (geo_operator_add (store, "siti", GEO_ROLE_DESA, d->desa_code, &error), >, 0);
  g_assert_no_error (error);
  win = open_project_window ();
  app_window_select_family (win, fid, TRUE);
  spin (100);
  /* entri: verifikasi, and closing with a reason (a submenu). */
  button = named (GTK_WIDGET (win), bname);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  target = g_menu_model_get_item_attribute_value (menu,
                                                  0,
                                                  G_MENU_ATTRIBUTE_TARGET,
                                                  G_VARIANT_TYPE ("(xiss)"));
  g_variant_get (target, "(xi&s&s)", NULL, NULL, &to, NULL);
  g_assert_cmpstr (to, ==, "verifikasi");
  g_assert_nonnull (g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SUBMENU));
  g_assert_cmpint (g_menu_model_get_n_items (
                       g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SUBMENU)),
                   ==,
                   5);
  gtk_widget_activate_action_variant (GTK_WIDGET (win), "rec.status", target);
  spin (50);
  g_assert_cmpstr (status_of (store, head, code), ==, "verifikasi");

  /* The desa operator of the family: approving needs a planner, refused with the reason. */
  ops = named (GTK_WIDGET (win), "records-operator");
  {
    GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (ops));

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "siti"))
        siti = i;
  }
  g_assert_cmpuint (siti, !=, G_MAXUINT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (ops), siti);
  spin (50);
  gtk_widget_activate_action (GTK_WIDGET (win),
                              "rec.status",
                              "(xiss)",
                              head,
                              code,
                              "disetujui",
                              "");
  spin (100);
  refused = find_toplevel ("status-refused");
  g_assert_nonnull (refused);
  {
    g_autofree char *text = labels_of (GTK_WIDGET (refused));

    g_test_message ("refused: %s", text);
    g_assert_nonnull (strstr (text, "siti"));
    g_assert_nonnull (strstr (text, "disetujui"));
  }
  gtk_window_destroy (refused);
  g_assert_cmpstr (status_of (store, head, code), ==, "verifikasi");

  /* Her scope: a family of another desa cannot be edited; the editor says why. */
  for (gint64 id = 1; id < 300 && other < 0; id++)
    {
      g_autoptr(GeoFamilyDetails) o = geo_family_details_load (store, id, NULL);

      if (o != NULL && g_strcmp0 (o->desa_code, d->desa_code) != 0 && o->n_members > 0)
        other = id;
    }
  app_window_select_family (win, other, FALSE);
  spin (50);
  click (named (GTK_WIDGET (win), "records-edit-family"));
  dialog = app_records_get_dialog (win);
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "edit-address")), "Jl. Lain");
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_nonnull (app_records_get_dialog (win));
  g_assert_true (
      gtk_widget_get_visible (gtk_widget_get_parent (named (GTK_WIDGET (dialog), "error-desa"))));
  g_assert_false (audit_has (store, "family", other, "address", "Jl. Lain"));
  save_screenshot (GTK_WIDGET (dialog), "records-scope.png");
  gtk_window_destroy (dialog);

  /* Back to the administrator for whatever runs next. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (ops), 0);
  spin (50);
  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

/* A family of @min_members or more, with a No. KK, without visits or round stops, other than
 * @not. */
static gint64
deletable_family (GeoStore *store, guint min_members, gint64 not, GeoFamilyDetails **out)
{
  for (gint64 id = 299; id > 0; id--)
    {
      g_autoptr(GeoFamilyDetails) d = geo_family_details_load (store, id, NULL);
      GeoDeletion what;

      if (id == not || d == NULL || d->n_members < min_members || d->no_kk == NULL ||
          !geo_edit_family_deletion (store, id, &what, NULL))
        continue;
      if (!geo_deletion_has_history (&what))
        {
          geo_deletion_clear (&what);
          *out = g_steal_pointer (&d);
          return id;
        }
      geo_deletion_clear (&what);
    }
  g_assert_not_reached ();
}

/* The dialog's button of a response, found by its label as the user sees it. */
static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
response_button (AdwMessageDialog *dialog, const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  if (button == NULL)
    g_error ("no button %s", label);
  return button;
}

static gboolean
map_idle (gpointer data)
{
  return !app_delete_get_busy (data);
}

/* The map point of @family: its index in the layer's index, or -1. */
static int
map_point_of (AppWindow *win, gint64 family)
{
  MapPointIndex *index = map_family_layer_get_index (app_window_get_family_layer (win));
  guint          found;

  return map_point_index_find_id (index, family, &found) ? (int) found : -1;
}

/* Delete Family and Delete Person: the confirmation says what goes (No. KK and NIK masked),
 * needs a reason, deletes through the core (audited), and the table and the map follow;
 * Cancel deletes nothing; a family with a visit asks to "Delete Anyway". */
static void
test_delete_confirm (void)
{
  g_autoptr(GeoStore) store = open_store ();
  g_autoptr(GeoFamilyDetails) fam = NULL;
  g_autoptr(GeoFamilyDetails) fam2 = NULL;
  g_autoptr(GeoFamilyDetails) after = NULL;
  gint64            fid = deletable_family (store, 3, 0, &fam);
  gint64            fid2 = deletable_family (store, 2, fid, &fam2);
  gint64            gone = fam2->members[1].id;
  g_autofree char  *kk = geo_mask_no_kk (fam->no_kk);
  g_autofree char  *persons = g_strdup_printf (ngettext ("Family %s and its %u person will be "
                                                         "removed.",
                                                        "Family %s and its %u persons will be "
                                                         "removed.",
                                                        fam->n_members),
                                              kk,
                                              fam->n_members);
  g_autofree char  *history = g_strdup_printf (_ ("History the office keeps: home visits %u, "
                                                  "member presence codes in visits %u, stops of "
                                                  "planned rounds %u."),
                                              1,
                                              0,
                                              0);
  g_autofree char  *pname = g_strdup_printf ("records-delete-person-%" G_GINT64_FORMAT, gone);
  g_autofree char  *text = NULL;
  AppWindow        *win;
  GListModel       *model;
  MapPointIndex    *index;
  AdwMessageDialog *dialog;
  guint             n_points, position;
  int               point;
  GtkWidget        *ops;
  guint             dewi = G_MAXUINT;

  /* A desa operator of the second family's desa, known before the window lists the profiles. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (geo_operator_add (store, "dewi", GEO_ROLE_DESA, fam2->desa_code, &error),
                     >,
                     0);
    g_assert_no_error (error);
  }
  win = open_project_window ();
  model = app_window_get_person_model (win);
  index = map_family_layer_get_index (app_window_get_family_layer (win));
  n_points = map_point_index_get_n_points (index);
  g_assert_cmpint (map_point_of (win, fid), >=, 0);

  /* The family: what goes, masked; Delete only with a reason. */
  app_window_select_family (win, fid, TRUE);
  spin (100);
  click (named (GTK_WIDGET (win), "records-delete-family"));
  dialog = app_delete_get_dialog (win);
  g_assert_nonnull (dialog);
  text = labels_of (GTK_WIDGET (dialog));
  g_test_message ("confirmation: %s", text);
  g_assert_nonnull (strstr (text, _ ("Delete Family?")));
  g_assert_nonnull (strstr (text, kk));
  g_assert_null (strstr (text, fam->no_kk));
  g_assert_nonnull (strstr (text, persons));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "delete-reason")), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "delete-reason")),
                         "family does not exist (musdes)");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "delete"));
  save_screenshot (GTK_WIDGET (dialog), "records-delete-family.png");
  click (response_button (dialog, _ ("_Delete")));
  spin (100);
  g_assert_null (app_delete_get_dialog (win));
  g_assert_null (geo_family_details_load (store, fid, NULL));
  g_assert_true (audit_has (store, "family", fid, "reason", "family does not exist (musdes)"));
  g_assert_true (audit_has (store, "family", fid, NULL, NULL));
  g_assert_cmpint (app_window_get_selected_family (win), ==, -1);
  /* The map without it, the table without its persons. */
  wait_for (map_idle, win, 20000);
  g_assert_cmpint (map_point_of (win, fid), ==, -1);
  index = map_family_layer_get_index (app_window_get_family_layer (win));
  g_assert_cmpuint (map_point_index_get_n_points (index), ==, n_points - 1);
  wait_for (table_idle, win, 60000);
  for (guint i = 0; i < fam->n_members; i++)
    g_assert_false (
        app_person_model_find (APP_PERSON_MODEL (model), fam->members[i].id, &position));

  /* A person from a member card: the family stays, with one person fewer on the map. */
  app_window_select_family (win, fid2, FALSE);
  spin (100);
  g_assert_true (app_person_model_find (APP_PERSON_MODEL (model), gone, &position));
  click (named (GTK_WIDGET (win), pname));
  dialog = app_delete_get_dialog (win);
  g_free (text);
  text = labels_of (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, _ ("Delete Person?")));
  if (fam2->members[1].nik != NULL)
    {
      g_autofree char *nik = geo_mask_nik (fam2->members[1].nik);

      g_assert_nonnull (strstr (text, nik));
      g_assert_null (strstr (text, fam2->members[1].nik));
    }
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "delete-reason")),
                         "entered twice");
  click (response_button (dialog, _ ("_Delete")));
  spin (100);
  after = geo_family_details_load (store, fid2, NULL);
  g_assert_nonnull (after);
  g_assert_cmpuint (after->n_members, ==, fam2->n_members - 1);
  g_assert_true (audit_has (store, "person", gone, "reason", "entered twice"));
  g_assert_cmpint (app_window_get_selected_family (win), ==, fid2);
  wait_for (map_idle, win, 20000);
  point = map_point_of (win, fid2);
  g_assert_cmpint (point, >=, 0);
  index = map_family_layer_get_index (app_window_get_family_layer (win));
  g_assert_cmpuint (map_point_index_get_persons (index)[point], ==, after->n_members);
  g_assert_cmpuint (map_point_index_get_n_points (index), ==, n_points - 1);
  wait_for (table_idle, win, 60000);
  g_assert_false (app_person_model_find (APP_PERSON_MODEL (model), gone, &position));

  /* With a visit: the history is named and the button says "Delete Anyway"; Cancel keeps all. */
  {
    GeoVisitRecord v = {
      .family_id = fid2, .date = "2026-04-01", .team = "Tim A", .outcome = GEO_VISIT_NOT_AT_HOME
    };
    GeoVisitResult r;
    g_autoptr(GError) error = NULL;

    g_assert_true (geo_visit_log (store, &v, &r, &error));
    g_assert_no_error (error);
  }
  app_window_select_family (win, fid2, FALSE);
  spin (100);
  click (named (GTK_WIDGET (win), "records-delete-family"));
  dialog = app_delete_get_dialog (win);
  g_free (text);
  text = labels_of (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, history));
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "delete-reason")), "x");
  g_assert_true (gtk_widget_is_sensitive (response_button (dialog, _ ("Delete _Anyway"))));
  click (response_button (dialog, _ ("_Cancel")));
  spin (100);
  g_assert_null (app_delete_get_dialog (win));
  g_clear_pointer (&after, geo_family_details_free);
  after = geo_family_details_load (store, fid2, NULL);
  g_assert_nonnull (after);

  /* The family's desa operator may not force: Delete Anyway stays off, the dialog says who may. */
  ops = named (GTK_WIDGET (win), "records-operator");
  {
    GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (ops));

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "dewi"))
        dewi = i;
  }
  g_assert_cmpuint (dewi, !=, G_MAXUINT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (ops), dewi);
  spin (50);
  app_window_select_family (win, fid2, FALSE);
  spin (100);
  click (named (GTK_WIDGET (win), "records-delete-family"));
  dialog = app_delete_get_dialog (win);
  g_free (text);
  text = labels_of (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, _ ("Only a planner or an administrator may delete it.")));
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (dialog), "delete-reason")), "x");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  g_assert_false (gtk_widget_is_sensitive (response_button (dialog, _ ("Delete _Anyway"))));
  click (response_button (dialog, _ ("_Cancel")));
  spin (50);
  adw_combo_row_set_selected (ADW_COMBO_ROW (ops), 0);
  spin (50);
  app_window_select_family (win, fid2, FALSE);
  spin (100);

  /* The family editor has the same action. */
  click (named (GTK_WIDGET (win), "records-edit-family"));
  click (named (GTK_WIDGET (app_records_get_dialog (win)), "edit-delete"));
  g_assert_null (app_records_get_dialog (win));
  dialog = app_delete_get_dialog (win);
  g_assert_nonnull (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin (50);

  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

/* map_point_index_update () against a rebuild: 20,000 families, some moved, some added, some
 * removed; the sorted keys, each family's place and the cluster pyramid (at every level) must
 * be those of an index built from scratch on the changed points. */
static void
test_point_index_update (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint n = 20000;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (MapFamilyPoint));
  g_autoptr(MapPointIndex) live = NULL;
  g_autoptr(MapPointIndex) fresh = NULL;

  for (guint i = 0; i < n; i++)
    {
      MapFamilyPoint p = { i + 1,
                           g_rand_double_range (rand, 110.15, 110.55),
                           g_rand_double_range (rand, -8.05, -7.75),
                           1u << g_rand_int_range (rand, 0, 26),
                           1 + g_rand_int_range (rand, 0, 4) };

      g_array_append_val (points, p);
    }
  live = map_point_index_new ((MapFamilyPoint *) points->data, points->len);
  map_point_index_set_visible (live, ~(1u << 3));
  for (guint k = 0; k < 300; k++)
    {
      guint           i = g_rand_int_range (rand, 0, points->len);
      MapFamilyPoint *p = &g_array_index (points, MapFamilyPoint, i);

      if (k % 10 == 0)
        {
          /* A new family */
          MapFamilyPoint q = { 100000 + k,
                               g_rand_double_range (rand, 110.15, 110.55),
                               g_rand_double_range (rand, -8.05, -7.75),
                               0,
                               1 };

          g_array_append_val (points, q);
          map_point_index_update (live, &q, FALSE);
        }
      else if (k % 25 == 1)
        {
          map_point_index_update (live, p, TRUE);
          g_array_remove_index (points, i);
        }
      else
        {
          p->lon += g_rand_double_range (rand, -0.05, 0.05);
          p->lat += g_rand_double_range (rand, -0.05, 0.05);
          p->categories |= 1u << g_rand_int_range (rand, 0, 26);
          map_point_index_update (live, p, FALSE);
        }
    }
  /* Saved again unchanged (a status change): nothing to do; an unknown family to remove. */
  g_assert_false (map_point_index_update (live, &g_array_index (points, MapFamilyPoint, 5), FALSE));
  {
    MapFamilyPoint gone = { 999999, 110.3, -7.9, 0, 1 };

    g_assert_false (map_point_index_update (live, &gone, TRUE));
  }
  fresh = map_point_index_new ((MapFamilyPoint *) points->data, points->len);
  map_point_index_set_visible (fresh, ~(1u << 3));
  g_assert_cmpuint (map_point_index_get_n_points (live), ==, points->len);
  g_assert_cmpuint (map_point_index_get_visible (live), ==, ~(1u << 3));
  for (guint i = 0; i < points->len; i++)
    {
      const MapFamilyPoint *p = &g_array_index (points, MapFamilyPoint, i);
      guint                 a, b;

      g_assert_true (map_point_index_find_id (live, p->id, &a));
      g_assert_true (map_point_index_find_id (fresh, p->id, &b));
      g_assert_cmpfloat (map_point_index_get_x (live)[a], ==, map_point_index_get_x (fresh)[b]);
      g_assert_cmpfloat (map_point_index_get_y (live)[a], ==, map_point_index_get_y (fresh)[b]);
      g_assert_cmpuint (map_point_index_get_categories (live)[a],
                        ==,
                        map_point_index_get_categories (fresh)[b]);
      /* The same run of the finest cell: sorted the same way. */
      if (i % 97 == 0)
        {
          guint32 col = (guint32) (map_point_index_get_x (live)[a] * (1u << 20));
          guint32 row = (guint32) (map_point_index_get_y (live)[a] * (1u << 20));
          guint   f0, e0, f1, e1;

          map_point_index_cell_range (live, 20, col, row, &f0, &e0);
          map_point_index_cell_range (fresh, 20, col, row, &f1, &e1);
          g_assert_cmpuint (f0, ==, f1);
          g_assert_cmpuint (e0, ==, e1);
          g_assert_cmpuint (a, >=, f0);
          g_assert_cmpuint (a, <, e0);
        }
    }
  for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
    {
      guint         na, nb;
      const MapBin *ba = map_point_index_get_bins (live, l, &na);
      const MapBin *bb = map_point_index_get_bins (fresh, l, &nb);

      g_assert_cmpuint (na, ==, nb);
      for (guint i = 0; i < na; i++)
        {
          g_assert_cmpuint (ba[i].key, ==, bb[i].key);
          g_assert_cmpuint (ba[i].families, ==, bb[i].families);
          g_assert_cmpuint (ba[i].persons, ==, bb[i].persons);
          g_assert_cmpuint (ba[i].first, ==, bb[i].first);
          g_assert_cmpuint (ba[i].dominant, ==, bb[i].dominant);
          g_assert_cmpfloat_with_epsilon (ba[i].x, bb[i].x, 1e-12);
          g_assert_cmpfloat_with_epsilon (ba[i].y, bb[i].y, 1e-12);
        }
    }
}

/* A project without areas: the family editor falls back to the typed code, with a hint, and
 * the typed code is stored. */
static void
test_desa_code_without_areas (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jangkau-noareas-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "empty.jangkau", NULL);
  AppWindow       *win;
  GtkWindow       *dialog;
  GtkWidget       *desa;
  gint64           fid;

  g_assert_no_error (error);
  {
    g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);

    g_assert_no_error (error);
  }
  win = app_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (win), 1366, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_for (window_mapped, win, 10000);
  app_window_open_project (win, path, FALSE);
  wait_for (project_loaded, win, 60000);
  g_assert_cmpuint (map_family_layer_get_n_points (app_window_get_family_layer (win)), ==, 0);
  click (named (GTK_WIDGET (win), "records-add-family"));
  dialog = app_records_get_dialog (win);
  desa = named (GTK_WIDGET (dialog), "edit-desa");
  g_assert_true (ADW_IS_ENTRY_ROW (desa));
  g_assert_null (find_named (GTK_WIDGET (dialog), "edit-desa-choose"));
  g_assert_true (gtk_widget_get_visible (named (GTK_WIDGET (dialog), "edit-desa-hint")));
  gtk_editable_set_text (GTK_EDITABLE (desa), "34.02.02.2001");
  click (named (GTK_WIDGET (dialog), "edit-pick"));
  app_records_finish_pick (win, 110.30, -7.95);
  click (named (GTK_WIDGET (dialog), "edit-save"));
  g_assert_null (app_records_get_dialog (win));
  fid = app_window_get_selected_family (win);
  g_assert_cmpint (fid, >, 0);
  {
    g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
    g_autoptr(GeoFamilyDetails) d = geo_family_details_load (store, fid, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (d->desa_code, ==, "34.02.02.2001");
  }
  /* The first family of the project is on the map at once. */
  g_assert_cmpuint (map_family_layer_get_n_points (app_window_get_family_layer (win)), ==, 1);
  gtk_window_destroy (GTK_WINDOW (win));
  spin (50);
  remove_project (path);
  g_assert_cmpuint (unexpected_warnings, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  const char      *shared = g_getenv ("JANGKAU_SHARED_DATA");
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

  dir = test_tmp_make_dir ("jangkau-records-XXXXXX", &error);
  g_assert_no_error (error);
  project_path = g_build_filename (dir, "bantul.jangkau", NULL);
  if (!ui_fixture_create_project (project_path, shared ? shared : SHARED_DATA_DIR, 300, 11, &error))
    g_error ("fixture: %s", error->message);
  add_resources ();

  g_test_add_func ("/ui/records/edit-person-and-visit", test_edit_person_and_visit);
  g_test_add_func ("/ui/records/family-pick-and-filter", test_family_pick_and_filter);
  g_test_add_func ("/ui/records/status-and-operator", test_status_and_operator);
  g_test_add_func ("/ui/records/delete-confirm", test_delete_confirm);
  g_test_add_func ("/ui/records/desa-code-without-areas", test_desa_code_without_areas);
  g_test_add_func ("/ui/records/point-index-update", test_point_index_update);
  rc = g_test_run ();
  remove_project (project_path);
  g_free (project_path);
  return rc;
}
