#include "config.h"

#include "app-nearest-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "geo-categories.h"
#include "geo-nearest.h"

typedef struct
{
  gint64 id;
  int    type;
  char  *name;
  double lon, lat, distance_m;
} Hit;

typedef struct
{
  AppWindow    *window; /* borrowed */
  GtkWidget    *panel;  /* borrowed: the expander */
  MapLinkLayer *layer;  /* borrowed: lives in the map */
  GCancellable *cancellable;
  gboolean      busy;
  GArray       *hits; /* Hit */
  int           category_codes[GEO_PMKS_N_CATEGORIES + 1];

  GtkToggleButton *pick;
  GtkButton       *family_button, *clear_button;
  GtkSpinButton   *k, *radius;
  GtkDropDown     *type, *category;
  GtkLabel        *status_label;
  GtkListBox      *list;
} Panel;

typedef struct
{
  char   *path;
  double  lon, lat, radius_m;
  guint   k;
  guint32 type_mask, category_mask;
  GArray *hits;
} Job;

static void
hit_clear (Hit *h)
{
  g_free (h->name);
}

static GArray *
hits_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (Hit));

  g_array_set_clear_func (a, (GDestroyNotify) hit_clear);
  return a;
}

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "nearest-panel-state");
}

static void
label_widget (GtkWidget *w, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static GtkWidget *
row (GtkWidget *grid, int y, const char *title, GtkWidget *w, const char *name)
{
  GtkWidget *l = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_set_hexpand (w, TRUE);
  gtk_grid_attach (GTK_GRID (grid), l, 0, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), w, 1, y, 1, 1);
  gtk_widget_set_name (w, name);
  label_widget (w, title);
  return w;
}

static void
job_free (Job *j)
{
  g_free (j->path);
  g_clear_pointer (&j->hits, g_array_unref);
  g_free (j);
}

static void
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_array_unref (p->hits);
  g_free (p);
}

static char *
format_distance (double m)
{
  return m < 1000 ? g_strdup_printf (_ ("%.0f m"), m) : g_strdup_printf (_ ("%.2f km"), m / 1000);
}

static void
show_hits (Panel *p, const GeoPoint *origin)
{
  GtkWidget           *c;
  g_autofree GeoPoint *pts = g_new (GeoPoint, MAX (p->hits->len, 1));

  while ((c = gtk_widget_get_first_child (GTK_WIDGET (p->list))) != NULL)
    gtk_list_box_remove (p->list, c);
  for (guint i = 0; i < p->hits->len; i++)
    {
      const Hit         *h = &g_array_index (p->hits, Hit, i);
      const GeoCategory *type = geo_psks_get (h->type);
      g_autofree char   *dist = format_distance (h->distance_m);
      g_autofree char   *title = g_strdup_printf ("%u. %s", i + 1, h->name != NULL ? h->name : "");
      GtkWidget         *r = adw_action_row_new ();
      GtkWidget         *d = gtk_label_new (dist);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (r), FALSE);
      if (type != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (r), type->name);
      gtk_widget_add_css_class (d, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (r), d);
      gtk_list_box_append (p->list, r);
      pts[i].lon = h->lon;
      pts[i].lat = h->lat;
    }
  map_link_layer_set_links (p->layer, origin, pts, p->hits->len);
}

/* ---- the worker ---- */

static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (j->path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GArray) found = NULL;

  if (store == NULL || (res = geo_resources_load (store, j->type_mask, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  j->hits = hits_new ();
  if (res->n > 0)
    {
      if ((index = geo_resources_build_index (res, &error)) == NULL ||
          (found = geo_nearest_point (res,
                                      index,
                                      j->lon,
                                      j->lat,
                                      j->k,
                                      j->radius_m,
                                      j->category_mask,
                                      &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < found->len; i++)
        {
          const GeoIndexHit *gh = &g_array_index (found, GeoIndexHit, i);
          Hit h = { res->id[gh->item],  res->type[gh->item], g_strdup (res->name[gh->item]),
                    res->lon[gh->item], res->lat[gh->item],  gh->distance_m };

          g_array_append_val (j->hits, h);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GtkWidget *panel = data;
  Panel     *p = panel_of (panel);
  Job       *j = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GeoPoint origin;

  if (p == NULL || g_task_get_cancellable (G_TASK (result)) != p->cancellable)
    {
      g_object_unref (panel);
      return;
    }
  p->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cancelled by Clear (or a newer search): nothing to say. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (p->status_label, error->message);
      g_object_unref (panel);
      return;
    }
  g_array_unref (p->hits);
  p->hits = g_steal_pointer (&j->hits);
  origin.lon = j->lon;
  origin.lat = j->lat;
  show_hits (p, &origin);
  if (p->hits->len == 0)
    gtk_label_set_text (p->status_label, _ ("No matching resource."));
  else
    {
      char             a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *text = g_strdup_printf (_ ("Nearest to %s, %s (geodesic distances):"),
                                               g_ascii_formatd (a, sizeof a, "%.5f", j->lon),
                                               g_ascii_formatd (b, sizeof b, "%.5f", j->lat));

      gtk_label_set_text (p->status_label, text);
    }
  g_object_unref (panel);
}

/**
 * app_nearest_panel_query:
 *
 * Searches the nearest resources of the point @lon, @lat (EPSG:4326) with the panel's options.
 */
void
app_nearest_panel_query (GtkWidget *panel, double lon, double lat)
{
  Panel      *p = panel_of (panel);
  AppProject *project;
  Job        *j;
  GTask      *task;
  guint       t, c;

  g_return_if_fail (p != NULL);
  if ((project = app_window_get_project (p->window)) == NULL)
    return;
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (project));
  j->lon = lon;
  j->lat = lat;
  j->k = gtk_spin_button_get_value_as_int (p->k);
  j->radius_m = gtk_spin_button_get_value (p->radius) > 0
                    ? gtk_spin_button_get_value (p->radius) * 1000
                    : INFINITY;
  t = gtk_drop_down_get_selected (p->type);
  if (t > 0 && t <= GEO_PSKS_N_TYPES)
    j->type_mask = GEO_TYPE_BIT (t);
  c = gtk_drop_down_get_selected (p->category);
  if (c > 0 && c < G_N_ELEMENTS (p->category_codes) && p->category_codes[c] > 0)
    j->category_mask = GEO_CATEGORY_BIT (p->category_codes[c]);
  p->busy = TRUE;
  gtk_label_set_text (p->status_label, _ ("Searching…"));
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_run);
  g_object_unref (task);
}

static void
on_map_pressed (GtkGestureClick *gesture, int n_press, double x, double y, gpointer data)
{
  Panel           *p = data;
  ShumateViewport *viewport = app_window_get_viewport (p->window);
  GtkWidget       *map = GTK_WIDGET (app_window_get_map (p->window));
  double           lat, lon;

  if (!gtk_toggle_button_get_active (p->pick))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  shumate_viewport_widget_coords_to_location (viewport, map, x, y, &lat, &lon);
  gtk_toggle_button_set_active (p->pick, FALSE);
  app_nearest_panel_query (p->panel, lon, lat);
}

static void
on_family (Panel *p)
{
  AppProject *project = app_window_get_project (p->window);
  gint64      id = app_window_get_selected_family (p->window);
  guint       index;

  if (project == NULL || id < 0 || !app_project_find_family (project, id, &index))
    {
      gtk_label_set_text (p->status_label, _ ("Select a family on the map or in the table first."));
      return;
    }
  app_nearest_panel_query (p->panel,
                           app_project_get_selection (project)->lon[index],
                           app_project_get_selection (project)->lat[index]);
}

static void
on_clear (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  p->busy = FALSE;
  g_array_set_size (p->hits, 0);
  show_hits (p, NULL);
  gtk_label_set_text (p->status_label, "");
}

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel      *p = data;
  AppProject *project = app_window_get_project (window);
  g_autoptr(GtkStringList) cats = gtk_string_list_new (NULL);
  guint n = 0;

  on_clear (p);
  gtk_string_list_append (cats, _ ("Any category"));
  p->category_codes[n++] = 0;
  if (project != NULL)
    {
      const guint *fam = app_project_get_family_counts (project);

      for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
        if (fam[c] > 0)
          {
            gtk_string_list_append (cats, geo_pmks_get (c)->name);
            p->category_codes[n++] = c;
          }
    }
  gtk_drop_down_set_model (p->category, G_LIST_MODEL (cats));
  gtk_drop_down_set_selected (p->category, 0);
}

/* ---- public ---- */

GtkWidget *
app_nearest_panel_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "nearest-panel");
}

gboolean
app_nearest_panel_get_busy (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL && p->busy;
}

guint
app_nearest_panel_get_n_results (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->hits->len : 0;
}

gboolean
app_nearest_panel_get_result (GtkWidget *panel, guint i, gint64 *id, double *distance_m)
{
  Panel *p = panel_of (panel);

  if (p == NULL || i >= p->hits->len)
    return FALSE;
  *id = g_array_index (p->hits, Hit, i).id;
  *distance_m = g_array_index (p->hits, Hit, i).distance_m;
  return TRUE;
}

MapLinkLayer *
app_nearest_panel_get_layer (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->layer : NULL;
}

void
app_nearest_panel_attach (AppWindow *window)
{
  Panel     *p = g_new0 (Panel, 1);
  GtkWidget *expander, *box, *grid, *hbox, *w;
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  int y = 0;

  p->window = window;
  p->cancellable = g_cancellable_new ();
  p->hits = hits_new ();
  expander = gtk_expander_new (_ ("Nearest resources"));
  gtk_widget_set_name (expander, "nearest-panel");
  p->panel = expander;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_string_list_append (types, _ ("Any type"));
  for (int t = 1; t <= GEO_PSKS_N_TYPES; t++)
    gtk_string_list_append (types, geo_psks_get (t)->name);
  p->type = GTK_DROP_DOWN (row (grid,
                                y++,
                                _ ("Resource type"),
                                gtk_drop_down_new (G_LIST_MODEL (g_object_ref (types)), NULL),
                                "nearest-type"));
  p->category = GTK_DROP_DOWN (
      row (grid, y++, _ ("Serving"), gtk_drop_down_new (NULL, NULL), "nearest-category"));
  p->k = GTK_SPIN_BUTTON (
      row (grid, y++, _ ("How many"), gtk_spin_button_new_with_range (1, 20, 1), "nearest-k"));
  gtk_spin_button_set_value (p->k, 5);
  p->radius = GTK_SPIN_BUTTON (row (grid,
                                    y++,
                                    _ ("Within (km, 0 = any)"),
                                    gtk_spin_button_new_with_range (0, 500, 1),
                                    "nearest-radius"));

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  w = gtk_toggle_button_new_with_label (_ ("Click on the map"));
  gtk_widget_set_hexpand (w, TRUE);
  gtk_widget_set_name (w, "nearest-pick");
  gtk_widget_set_tooltip_text (w, _ ("Then click a point on the map"));
  label_widget (w, _ ("Pick a point on the map"));
  p->pick = GTK_TOGGLE_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Selected family"));
  gtk_widget_set_hexpand (w, TRUE);
  gtk_widget_set_name (w, "nearest-family");
  label_widget (w, _ ("Nearest resources of the selected family"));
  p->family_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_name (w, "nearest-clear");
  gtk_widget_set_tooltip_text (w, _ ("Clear"));
  label_widget (w, _ ("Clear"));
  p->clear_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  gtk_box_append (GTK_BOX (box), hbox);
  p->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->status_label, TRUE);
  gtk_label_set_xalign (p->status_label, 0);
  gtk_widget_set_name (GTK_WIDGET (p->status_label), "nearest-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status_label));
  p->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (p->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (p->list), "boxed-list");
  gtk_widget_set_name (GTK_WIDGET (p->list), "nearest-list");
  label_widget (GTK_WIDGET (p->list), _ ("Nearest resources"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->list));

  g_object_set_data_full (G_OBJECT (expander),
                          "nearest-panel-state",
                          p,
                          (GDestroyNotify) panel_free);
  g_object_set_data (G_OBJECT (window), "nearest-panel", expander);
  app_window_add_panel (window, expander);
  gtk_widget_set_visible (gtk_widget_get_parent (expander), TRUE);

  p->layer = map_link_layer_new (app_window_get_viewport (window));
  gtk_widget_set_name (GTK_WIDGET (p->layer), "nearest-layer");
  label_widget (GTK_WIDGET (p->layer), _ ("Lines to the nearest resources"));
  app_window_add_map_layer (window, SHUMATE_LAYER (p->layer), FALSE);
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect (click, "pressed", G_CALLBACK (on_map_pressed), p);
    gtk_widget_add_controller (GTK_WIDGET (app_window_get_map (window)),
                               GTK_EVENT_CONTROLLER (click));
  }
  g_signal_connect_swapped (p->family_button, "clicked", G_CALLBACK (on_family), p);
  g_signal_connect_swapped (p->clear_button, "clicked", G_CALLBACK (on_clear), p);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), p);
  on_project_changed (window, p);
}
