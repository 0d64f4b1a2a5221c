#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-psks.h"
#include "geo-categories.h"
#include "geo-resource-details.h"

/* PSKS resources on the map: the resource layer over the families, a sidebar group with one
 * row per PSKS type present in the project (symbol, colour, count, a visibility switch kept in
 * the `visible-psks` GSettings key) and the details of a resource clicked on the map. The
 * resources are loaded in a worker with its own read-only connection, for each project. */

typedef struct
{
  AppWindow        *window; /* weak */
  MapResourceLayer *layer;  /* owned by the map */
  GSettings        *settings;
  GCancellable     *cancellable;
  GtkWidget        *panel;   /* AdwPreferencesGroup: the type rows */
  GtkWidget        *list;    /* GtkListBox */
  GtkWidget        *details; /* AdwPreferencesGroup: the selected resource */
  GtkWidget        *details_box;
  gboolean          loading;
  guint             scroll_id;
} Resources;

static void
resources_free (gpointer data)
{
  Resources *r = data;

  g_cancellable_cancel (r->cancellable);
  g_clear_handle_id (&r->scroll_id, g_source_remove);
  g_clear_object (&r->cancellable);
  g_clear_object (&r->settings);
  g_free (r);
}

static Resources *
resources_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "app-psks");
}

/* --- type rows -------------------------------------------------------------------- */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  map_draw_psks_symbol (cr,
                        GPOINTER_TO_INT (data),
                        width / 2.0,
                        height / 2.0,
                        MIN (width, height) / 2.0 - 3);
}

/* The PSKS types drawn now (present in the project and switched on), under the PMKS
 * categories in the map legend, as the PDF map lists them; nothing while the layer is hidden. */
static void
rebuild_legend (Resources *r)
{
  GtkBox             *box = app_window_get_legend_extra (r->window);
  const GeoResources *res = map_resource_layer_get_resources (r->layer);
  guint32             present = 0, shown;
  guint               n_shown, i = 0;
  GtkWidget          *child, *label, *grid = NULL;

  if (box == NULL) /* the window is going */
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  for (guint k = 0; res != NULL && k < res->n; k++)
    if (res->type[k] >= 1 && res->type[k] <= 12)
      present |= GEO_TYPE_BIT (res->type[k]);
  shown = present & map_resource_layer_get_visible_types (r->layer);
  gtk_widget_set_visible (GTK_WIDGET (box),
                          shown != 0 && gtk_widget_get_visible (GTK_WIDGET (r->layer)));
  if (!gtk_widget_get_visible (GTK_WIDGET (box)))
    return;
  label = gtk_label_new (_ ("PSKS resources"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 4);
  gtk_box_append (box, label);
  /* More than 4 types: two columns (as the categories above 12), so the legend stays low. */
  n_shown = (guint) __builtin_popcount (shown);
  if (n_shown > 4)
    {
      grid = gtk_grid_new ();
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 1);
      gtk_box_append (box, grid);
    }
  for (int t = 1; t <= 12; t++)
    {
      const GeoCategory *cat = geo_psks_get (t);
      GtkWidget         *row, *swatch;
      g_autofree char   *name = g_strdup_printf ("legend-psks-%d", t);

      if ((shown & GEO_TYPE_BIT (t)) == 0 || cat == NULL)
        continue;
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_name (row, name);
      swatch = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 16);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 16);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch),
                                      draw_swatch,
                                      GINT_TO_POINTER (t),
                                      NULL);
      gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_box_append (GTK_BOX (row), swatch);
      label = gtk_label_new (cat->name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), grid != NULL ? 22 : 30);
      gtk_widget_set_tooltip_text (row, cat->name);
      gtk_box_append (GTK_BOX (row), label);
      if (grid != NULL)
        {
          guint per_column = (n_shown + 1) / 2;

          gtk_grid_attach (GTK_GRID (grid), row, i / per_column, i % per_column, 1, 1);
        }
      else
        gtk_box_append (box, row);
      i++;
    }
}

static void
on_type_switch (GtkSwitch *sw, GParamSpec *pspec, Resources *r)
{
  int     type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sw), "type"));
  guint32 mask = map_resource_layer_get_visible_types (r->layer);

  if (gtk_switch_get_active (sw))
    mask |= GEO_TYPE_BIT (type);
  else
    mask &= ~GEO_TYPE_BIT (type);
  map_resource_layer_set_visible_types (r->layer, mask);
  g_settings_set_uint (r->settings, "visible-psks", mask);
  rebuild_legend (r);
}

static void
rebuild_rows (Resources *r)
{
  const GeoResources *res = map_resource_layer_get_resources (r->layer);
  guint               counts[13] = { 0 };
  guint32             visible = map_resource_layer_get_visible_types (r->layer);
  GtkWidget          *child;

  while ((child = gtk_widget_get_first_child (r->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (r->list), child);
  for (guint i = 0; res != NULL && i < res->n; i++)
    if (res->type[i] >= 1 && res->type[i] <= 12)
      counts[res->type[i]]++;
  for (int t = 1; t <= 12; t++)
    {
      const GeoCategory *cat = geo_psks_get (t);
      GtkWidget         *row, *sw, *swatch;
      g_autofree char   *subtitle = NULL;
      g_autofree char   *name = g_strdup_printf ("psks-switch-%d", t);

      if (counts[t] == 0 || cat == NULL)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cat->name);
      subtitle = g_strdup_printf (ngettext ("%u resource", "%u resources", counts[t]), counts[t]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      swatch = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 22);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 22);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch),
                                      draw_swatch,
                                      GINT_TO_POINTER (t),
                                      NULL);
      gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), swatch);
      sw = gtk_switch_new ();
      gtk_widget_set_name (sw, name);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), (visible & GEO_TYPE_BIT (t)) != 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cat->name,
                                      -1);
      g_object_set_data (G_OBJECT (sw), "type", GINT_TO_POINTER (t));
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_type_switch), r);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_list_box_append (GTK_LIST_BOX (r->list), row);
    }
  gtk_widget_set_visible (r->panel, res != NULL && res->n > 0);
  rebuild_legend (r);
}

/* --- details ---------------------------------------------------------------------- */

static void
add_detail (Resources *r, const char *title, const char *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *t = gtk_label_new (title);
  GtkWidget *v = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_widget_add_css_class (t, "caption");
  gtk_widget_add_css_class (t, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_box_append (GTK_BOX (box), t);
  gtk_box_append (GTK_BOX (box), v);
  gtk_box_append (GTK_BOX (r->details_box), box);
}

static gboolean scroll_to_details (gpointer data);

static void
show_details (Resources *r, gint64 id)
{
  const GeoResources *res = map_resource_layer_get_resources (r->layer);
  AppProject         *project = app_window_get_project (r->window);
  GeoResourceDetails  more = { NULL, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) served = g_string_new (NULL);
  const GeoCategory *cat;
  GtkWidget         *child;
  guint              i;

  while ((child = gtk_widget_get_first_child (r->details_box)) != NULL)
    gtk_box_remove (GTK_BOX (r->details_box), child);
  map_resource_layer_set_selected (r->layer, id);
  for (i = 0; res != NULL && i < res->n && res->id[i] != id; i++)
    ;
  if (id < 0 || res == NULL || i == res->n || project == NULL)
    {
      gtk_widget_set_visible (r->details, FALSE);
      return;
    }

  cat = geo_psks_get (res->type[i]);
  add_detail (r, _ ("Name"), res->name[i]);
  add_detail (r, _ ("PSKS type"), cat != NULL ? cat->name : "?");
  /* Contact and capacity are not in the map arrays: one row read by primary key. */
  if (geo_resource_details_load (app_project_get_store (project), id, &more, &error))
    {
      g_autofree char *capacity = NULL;

      add_detail (r, _ ("Contact"), more.contact != NULL && *more.contact ? more.contact : "–");
      if (more.capacity >= 0)
        capacity = g_strdup_printf (_ ("%d persons"), more.capacity);
      add_detail (r, _ ("Capacity"), capacity != NULL ? capacity : "–");
      geo_resource_details_clear (&more);
    }
  else
    app_window_toast (r->window, error->message);
  if (res->serves[i] == GEO_CATEGORY_ALL)
    g_string_append (served, _ ("Every PMKS category"));
  else
    for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
      if (res->serves[i] & (1u << (c - 1)))
        g_string_append_printf (served, "%s%s", served->len ? ", " : "", geo_pmks_get (c)->name);
  add_detail (r, _ ("Categories served"), served->str);
  if (isfinite (res->radius_m[i]))
    {
      g_autofree char *radius = g_strdup_printf (_ ("%.1f km"), res->radius_m[i] / 1000.0);

      add_detail (r, _ ("Service radius"), radius);
    }
  else
    add_detail (r, _ ("Service radius"), _ ("The analysis default"));
  gtk_widget_set_visible (r->details, TRUE);
  if (r->scroll_id == 0)
    r->scroll_id = g_timeout_add (60, scroll_to_details, r);
}

/* Brings the details into the sidebar's view once they have been laid out. */
static gboolean
scroll_to_details (gpointer data)
{
  Resources       *r = data;
  GtkWidget       *scrolled = gtk_widget_get_ancestor (r->details, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget       *content;
  graphene_point_t pt;

  r->scroll_id = 0;
  if (scrolled == NULL || !gtk_widget_get_visible (r->details))
    return G_SOURCE_REMOVE;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (content) && gtk_viewport_get_child (GTK_VIEWPORT (content)) != NULL)
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (gtk_widget_compute_point (r->details, content, &GRAPHENE_POINT_INIT (0, 0), &pt))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double value = gtk_adjustment_get_value (adj), page = gtk_adjustment_get_page_size (adj);
      double h = gtk_widget_get_height (r->details);

      if (pt.y < value || pt.y + h > value + page)
        gtk_adjustment_set_value (adj, MIN (pt.y - 12, gtk_adjustment_get_upper (adj) - page));
    }
  return G_SOURCE_REMOVE;
}

static void
on_details_close (GtkButton *button, Resources *r)
{
  show_details (r, -1);
}

static void
on_map_pressed (GtkGestureClick *gesture, int n_press, double x, double y, Resources *r)
{
  gint64 id;

  if (n_press != 1)
    return;
  id = map_resource_layer_hit_test (r->layer, x, y);
  if (id < 0)
    return;
  /* A resource under the pointer: the family layer's click handler does not get it. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_details (r, id);
}

/* --- loading ---------------------------------------------------------------------- */

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (data, GEO_STORE_OPEN_READONLY, &error);
  GeoResources *res;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  res = geo_resources_load (store, 0, &error);
  if (res == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, res, (GDestroyNotify) geo_resources_free);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  GeoResources *res = g_task_propagate_pointer (G_TASK (result), &error);
  Resources    *r;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  r = resources_get (APP_WINDOW (source));
  if (r == NULL)
    {
      g_clear_pointer (&res, geo_resources_free);
      return;
    }
  r->loading = FALSE;
  if (res == NULL)
    app_window_toast (r->window, error->message);
  map_resource_layer_set_resources (r->layer, res);
  rebuild_rows (r);
}

static void
reload (AppWindow *window)
{
  Resources  *r = resources_get (window);
  AppProject *project = app_window_get_project (window);
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (r->cancellable);
  g_clear_object (&r->cancellable);
  show_details (r, -1);
  map_resource_layer_set_resources (r->layer, NULL);
  rebuild_rows (r);
  if (project == NULL)
    return;
  r->cancellable = g_cancellable_new ();
  r->loading = TRUE;
  task = g_task_new (window, r->cancellable, load_done, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_strdup (app_project_get_path (project)), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * app_psks_attach:
 *
 * Adds the PSKS resource layer (over the families), its sidebar group and the details of a
 * clicked resource to @window; reloads them with each project.
 */
void
app_psks_attach (AppWindow *window)
{
  Resources  *r = g_new0 (Resources, 1);
  GtkWidget  *close, *box;
  GtkGesture *click;

  r->window = window;
  r->settings = g_settings_new (APP_ID);
  r->layer = map_resource_layer_new (app_window_get_viewport (window));
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->layer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("PSKS resources"),
                                  -1);
  map_resource_layer_set_visible_types (r->layer,
                                        g_settings_get_uint (r->settings, "visible-psks"));
  app_window_add_map_layer (window, SHUMATE_LAYER (r->layer), FALSE);
  g_signal_connect_swapped (r->layer, "notify::visible", G_CALLBACK (rebuild_legend), r);

  r->details = adw_preferences_group_new ();
  gtk_widget_set_name (r->details, "resource-details");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (r->details), _ ("Selected Resource"));
  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_valign (close, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (close, _ ("Close Details"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Close resource details"),
                                  -1);
  g_signal_connect (close, "clicked", G_CALLBACK (on_details_close), r);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (r->details), close);
  r->details_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (r->details_box, 12);
  gtk_widget_set_margin_end (r->details_box, 12);
  gtk_widget_set_margin_top (r->details_box, 10);
  gtk_widget_set_margin_bottom (r->details_box, 10);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), r->details_box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (r->details), box);
  gtk_widget_set_visible (r->details, FALSE);
  app_window_add_panel (window, r->details);

  r->panel = adw_preferences_group_new ();
  gtk_widget_set_name (r->panel, "psks-layers");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (r->panel), _ ("PSKS Resources"));
  r->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (r->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (r->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("PSKS resource layers"),
                                  -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (r->panel), r->list);
  gtk_widget_set_visible (r->panel, FALSE);
  app_window_add_panel (window, r->panel);
  /* The PSKS layers belong with the layer list: first among the panels, the details next. */
  gtk_box_reorder_child_after (GTK_BOX (gtk_widget_get_parent (r->panel)), r->panel, NULL);
  gtk_box_reorder_child_after (GTK_BOX (gtk_widget_get_parent (r->details)), r->details, r->panel);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_map_pressed), r);
  gtk_widget_add_controller (GTK_WIDGET (app_window_get_map (window)),
                             GTK_EVENT_CONTROLLER (click));

  g_object_set_data_full (G_OBJECT (window), "app-psks", r, resources_free);
  g_signal_connect (window, "project-changed", G_CALLBACK (reload), NULL);
}

MapResourceLayer *
app_psks_get_layer (AppWindow *window)
{
  Resources *r = resources_get (window);

  return r != NULL ? r->layer : NULL;
}

GtkWidget *
app_psks_get_panel (AppWindow *window)
{
  Resources *r = resources_get (window);

  return r != NULL ? r->panel : NULL;
}

gboolean
app_psks_get_loading (AppWindow *window)
{
  Resources *r = resources_get (window);

  return r != NULL && r->loading;
}

/* Shows @resource_id's details as a click on it does (-1 hides them). */
void
app_psks_select (AppWindow *window, gint64 resource_id)
{
  Resources *r = resources_get (window);

  g_return_if_fail (r != NULL);
  show_details (r, resource_id);
}
