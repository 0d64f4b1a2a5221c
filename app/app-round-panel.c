#include "config.h"

#include "app-round-panel.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-analysis-common.h"
#include "geo-categories.h"
#include "geo-round-edit.h"
#include "map-point-index.h"
#include "report-route-sheet.h"

/* Panel state, attached to the panel widget as "round-panel-state". */
typedef struct
{
  AppWindow     *window; /* borrowed */
  GtkWidget     *panel;  /* borrowed: the expander */
  MapRoundLayer *layer;  /* borrowed: lives in the map */
  GCancellable  *cancellable;
  GeoRound      *round;
  GeoRoadGraph  *graphs[2]; /* road rounds: per GeoVehicle, for reordering */
  guint          shown_team, shown_day;
  gboolean       busy;

  GtkDropDown     *category, *status, *priority;
  GtkEntry        *area, *depot, *start, *end;
  GtkToggleButton *pick_depot;
  GtkSpinButton   *teams, *days, *visit, *max_visits;
  GtkBox          *vehicle_box;
  GtkButton       *plan_button, *cancel_button;
  GtkProgressBar  *progress;
  GtkLabel        *status_label, *summary, *day_summary, *unplanned;
  GtkDropDown     *rounds, *day_select;
  GtkStringList   *round_names, *day_names;
  GArray          *round_ids; /* gint64, parallel to round_names */
  GtkListBox      *stop_list;
  GtkCheckButton  *personal;
  GtkExpander     *settings;
  guint            pulse_id;
  /* The running plan's progress (in its Job, alive until job_done), NULL when none. */
  AppAnalysisProgress *plan_progress;
  int              category_codes[GEO_PMKS_N_CATEGORIES + 1]; /* dropdown index -> code */
  /* Targets by a drawn area and per-family time windows. */
  GtkToggleButton *draw_area;
  GtkButton       *clear_area;
  GtkLabel        *area_label;
  GArray          *area_pts; /* GeoPoint: the ring being drawn (not closed) */
  GtkEntry        *win_open, *win_close;
  GtkListBox      *window_list;
  GArray          *windows; /* GeoRoundWindow */
  guint            move_idle;
  guint            move_from, move_to;
} Panel;

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "round-panel-state");
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
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_widget_set_hexpand (w, TRUE);
  gtk_grid_attach (GTK_GRID (grid), l, 0, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), w, 1, y, 1, 1);
  gtk_widget_set_name (w, name);
  label_widget (w, title);
  return w;
}

static GtkSpinButton *
spin (double min, double max, double value)
{
  GtkWidget *s = gtk_spin_button_new_with_range (min, max, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (s), value);
  return GTK_SPIN_BUTTON (s);
}

static void
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->round, geo_round_free);
  for (int v = 0; v < 2; v++)
    g_clear_pointer (&p->graphs[v], geo_road_graph_free);
  if (p->pulse_id != 0)
    g_source_remove (p->pulse_id);
  if (p->move_idle != 0)
    g_source_remove (p->move_idle);
  g_array_unref (p->round_ids);
  g_array_unref (p->area_pts);
  g_array_unref (p->windows);
  g_free (p);
}

static void
set_busy (Panel *p, gboolean busy, const char *message)
{
  p->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (p->plan_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (p->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (p->progress), busy);
  gtk_label_set_text (p->status_label, message != NULL ? message : "");
  if (!busy && p->pulse_id != 0)
    {
      g_source_remove (p->pulse_id);
      p->pulse_id = 0;
    }
  if (!busy)
    p->plan_progress = NULL;
}

/* The planner's fraction once it reports one; a pulse before (and when opening a round). */
static gboolean
pulse (gpointer data)
{
  Panel *p = data;
  double done = p->plan_progress != NULL ? app_analysis_progress_get (p->plan_progress) : 0;

  if (done > 0)
    gtk_progress_bar_set_fraction (p->progress, done);
  else
    gtk_progress_bar_pulse (p->progress);
  return G_SOURCE_CONTINUE;
}

/* ---- vehicles per team ---- */

static void
rebuild_vehicles (Panel *p)
{
  guint      n = gtk_spin_button_get_value_as_int (p->teams);
  GtkWidget *c;
  guint      have = 0;

  for (c = gtk_widget_get_first_child (GTK_WIDGET (p->vehicle_box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    have++;
  while (have > n)
    {
      gtk_box_remove (p->vehicle_box, gtk_widget_get_last_child (GTK_WIDGET (p->vehicle_box)));
      have--;
    }
  while (have < n)
    {
      const char *const items[] = { _ ("Motorbike"), _ ("Car"), NULL };
      GtkWidget        *dd = gtk_drop_down_new_from_strings (items);
      g_autofree char  *name = g_strdup_printf ("round-vehicle-%u", have + 1);
      g_autofree char  *label = g_strdup_printf (_ ("Vehicle of team %u"), have + 1);

      gtk_widget_set_name (dd, name);
      gtk_widget_set_tooltip_text (dd, label);
      label_widget (dd, label);
      gtk_box_append (p->vehicle_box, dd);
      have++;
    }
}

static GeoVehicle
team_vehicle (Panel *p, guint k)
{
  GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (p->vehicle_box));

  for (guint i = 0; i < k && c != NULL; i++)
    c = gtk_widget_get_next_sibling (c);
  return c != NULL && gtk_drop_down_get_selected (GTK_DROP_DOWN (c)) == 1 ? GEO_VEHICLE_CAR
                                                                          : GEO_VEHICLE_MOTORBIKE;
}

/* ---- showing a round ---- */

static void show_round (Panel *p);

static void
on_stop_move (GtkButton *button, gpointer data)
{
  Panel *p = data;
  guint  seq = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "seq"));
  int    delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "delta"));

  app_round_panel_move_stop (p->panel, seq, delta);
}

static GdkContentProvider *
on_stop_drag_prepare (GtkDragSource *drag, double x, double y, gpointer data)
{
  return gdk_content_provider_new_typed (G_TYPE_UINT,
                                         GPOINTER_TO_UINT (
                                             g_object_get_data (G_OBJECT (drag), "seq")));
}

static void
on_stop_drag_begin (GtkDragSource *drag, GdkDrag *gdrag, gpointer data)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (drag));
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (drag, icon, 0, 0);
}

/* The move rebuilds the list, so it runs after the drop handler has returned. */
static gboolean
move_after_drop (gpointer data)
{
  Panel *p = data;

  p->move_idle = 0;
  app_round_panel_move_stop_to (p->panel, p->move_from, p->move_to);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_drop (GtkDropTarget *drop, const GValue *value, double x, double y, gpointer data)
{
  Panel *p = data;
  guint  from = g_value_get_uint (value);
  guint  to = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (drop), "seq"));

  if (from == to || from == 0 || p->move_idle != 0)
    return FALSE;
  p->move_from = from;
  p->move_to = to;
  /* Default priority: an idle one can wait behind redraws for a long time. */
  p->move_idle = g_idle_add_full (G_PRIORITY_DEFAULT, move_after_drop, p, NULL);
  return TRUE;
}

static char *
format_km (double m)
{
  return g_strdup_printf (_ ("%.1f km"), m / 1000);
}

static void
fill_stop_list (Panel *p)
{
  GtkWidget *c;
  g_autoptr(GPtrArray) day = NULL;
  const GeoRoundRoute *rt;

  while ((c = gtk_widget_get_first_child (GTK_WIDGET (p->stop_list))) != NULL)
    gtk_list_box_remove (p->stop_list, c);
  gtk_label_set_text (p->day_summary, "");
  if (p->round == NULL)
    return;
  rt = geo_round_get_route (p->round, p->shown_team, p->shown_day);
  day = geo_round_day_stops (p->round, p->shown_team, p->shown_day);
  if (rt != NULL)
    {
      g_autofree char *a = geo_round_format_time (rt->start_min);
      g_autofree char *b = geo_round_format_time (rt->end_min);
      g_autofree char *km = format_km (rt->distance_m);
      g_autofree char *text = g_strdup_printf (_ ("%u stops, %s–%s, %s, %.0f min travel"),
                                               rt->n_stops,
                                               a,
                                               b,
                                               km,
                                               rt->travel_min);
      g_autofree char *markup =
          g_markup_printf_escaped ("<span foreground=\"%s\" size=\"x-large\">●</span> %s",
                                   map_round_layer_route_colour ((rt->team - 1) * p->round->n_days +
                                                                 rt->day - 1),
                                   text);

      gtk_label_set_markup (p->day_summary, markup);
      if (rt->end_min > p->round->day_end_min + 1e-6)
        gtk_widget_add_css_class (GTK_WIDGET (p->day_summary), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (p->day_summary), "error");
    }
  for (guint i = 0; i < day->len; i++)
    {
      const GeoRoundStop *s = day->pdata[i];
      g_autofree char    *arr = geo_round_format_time (s->arrive_min);
      g_autofree char    *dep = geo_round_format_time (s->depart_min);
      g_autofree char    *cats = geo_round_categories_string (s->categories);
      g_autofree char    *km = format_km (s->leg_m);
      g_autofree char    *title = g_strdup_printf ("%u. %s–%s · %s", s->seq, arr, dep, km);
      g_autofree char    *sub = g_strdup_printf ("%s%s, RT %s/RW %s%s%s · %s%s",
                                              s->priority == 1   ? _ ("URGENT · ")
                                              : s->priority == 2 ? _ ("High · ")
                                                                 : "",
                                              s->address ? s->address : "–",
                                              s->rt ? s->rt : "–",
                                              s->rw ? s->rw : "–",
                                              s->desa_name && *s->desa_name ? ", " : "",
                                              s->desa_name && *s->desa_name ? s->desa_name : "",
                                              cats,
                                              s->requeued ? _ (" · revisit") : "");
      GtkWidget          *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget          *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget          *l1 = gtk_label_new (title), *l2 = gtk_label_new (sub);
      GtkWidget          *up = gtk_button_new_from_icon_name ("go-up-symbolic");
      GtkWidget          *down = gtk_button_new_from_icon_name ("go-down-symbolic");
      GtkWidget          *lrow = gtk_list_box_row_new ();
      g_autofree char    *up_name = g_strdup_printf ("round-stop-up-%u", s->seq);
      g_autofree char    *down_name = g_strdup_printf ("round-stop-down-%u", s->seq);
      g_autofree char    *row_name = g_strdup_printf ("round-stop-%u", s->seq);

      gtk_label_set_xalign (GTK_LABEL (l1), 0);
      gtk_label_set_xalign (GTK_LABEL (l2), 0);
      gtk_label_set_wrap (GTK_LABEL (l2), TRUE);
      gtk_widget_add_css_class (l1, "heading");
      gtk_widget_add_css_class (l2, "caption");
      gtk_widget_add_css_class (l2, "dim-label");
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (text), l1);
      gtk_box_append (GTK_BOX (text), l2);
      gtk_box_append (GTK_BOX (box), text);
      for (int k = 0; k < 2; k++)
        {
          GtkWidget *b = k == 0 ? up : down;

          gtk_widget_add_css_class (b, "flat");
          gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
          gtk_widget_set_name (b, k == 0 ? up_name : down_name);
          gtk_widget_set_tooltip_text (b, k == 0 ? _ ("Visit earlier") : _ ("Visit later"));
          label_widget (b, k == 0 ? _ ("Visit earlier") : _ ("Visit later"));
          g_object_set_data (G_OBJECT (b), "seq", GUINT_TO_POINTER (s->seq));
          g_object_set_data (G_OBJECT (b), "delta", GINT_TO_POINTER (k == 0 ? -1 : 1));
          g_signal_connect (b, "clicked", G_CALLBACK (on_stop_move), p);
          gtk_widget_set_sensitive (b, k == 0 ? i > 0 : i + 1 < day->len);
          gtk_box_append (GTK_BOX (box), b);
        }
      gtk_widget_set_margin_top (box, 3);
      gtk_widget_set_margin_bottom (box, 3);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (lrow), box);
      /* Drag a stop onto another to move it there. */
      {
        GtkDragSource *drag = gtk_drag_source_new ();
        GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_UINT, GDK_ACTION_MOVE);

        gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
        g_object_set_data (G_OBJECT (drag), "seq", GUINT_TO_POINTER (s->seq));
        g_signal_connect (drag, "prepare", G_CALLBACK (on_stop_drag_prepare), p);
        g_signal_connect (drag, "drag-begin", G_CALLBACK (on_stop_drag_begin), p);
        gtk_widget_add_controller (lrow, GTK_EVENT_CONTROLLER (drag));
        g_object_set_data (G_OBJECT (drop), "seq", GUINT_TO_POINTER (s->seq));
        g_signal_connect (drop, "drop", G_CALLBACK (on_stop_drop), p);
        gtk_widget_add_controller (lrow, GTK_EVENT_CONTROLLER (drop));
      }
      gtk_widget_set_name (lrow, row_name);
      label_widget (lrow, title);
      g_object_set_data_full (G_OBJECT (lrow),
                              "family-id",
                              g_memdup2 (&s->family_id, sizeof (gint64)),
                              g_free);
      gtk_list_box_append (p->stop_list, lrow);
    }
}

static void
on_stop_selected (GtkListBox *box, GtkListBoxRow *lrow, gpointer data)
{
  Panel  *p = data;
  gint64 *fid;

  if (lrow == NULL)
    return;
  fid = g_object_get_data (G_OBJECT (lrow), "family-id");
  if (fid != NULL)
    app_window_select_family (p->window, *fid, TRUE);
}

static void
on_day_selected (GtkDropDown *dd, GParamSpec *pspec, gpointer data)
{
  Panel *p = data;
  guint  k = gtk_drop_down_get_selected (dd);

  if (p->round == NULL || p->round->routes == NULL || k >= p->round->routes->len)
    return;
  p->shown_team = ((GeoRoundRoute *) p->round->routes->pdata[k])->team;
  p->shown_day = ((GeoRoundRoute *) p->round->routes->pdata[k])->day;
  fill_stop_list (p);
}

static void
update_summary (Panel *p)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, p->round->id);
  g_autofree char *km = format_km (p->round->total_m);
  g_autofree char *text =
      g_strdup_printf (_ ("Round %s: %u targets, %u planned, %u not planned; %s, %.0f min travel "
                          "(%s)"),
                       id,
                       p->round->n_targets,
                       p->round->n_planned,
                       p->round->n_unplanned,
                       km,
                       p->round->total_travel_min,
                       g_strcmp0 (p->round->cost_model, "roads") == 0 ? _ ("along roads")
                                                                      : _ ("straight × detour"));

  gtk_label_set_text (p->summary, text);
}

/* Why a target could not be planned, for people (the core's sentences, translated). */
static const char *
status_reason (GeoRoundStopStatus status)
{
  switch (status)
    {
    case GEO_ROUND_STOP_UNREACHABLE:
      return _ ("no road path between the family and the office");
    case GEO_ROUND_STOP_NOT_SNAPPED:
      return _ ("too far from any usable road");
    case GEO_ROUND_STOP_TIME_WINDOW:
      return _ ("its time window cannot be met");
    case GEO_ROUND_STOP_WORKING_DAY:
      return _ ("office, visit and way back do not fit in one working day");
    case GEO_ROUND_STOP_NO_CAPACITY:
      return _ ("every team-day is full (add teams, days or hours)");
    default:
      return geo_round_stop_status_describe (status);
    }
}

static void
show_round (Panel *p)
{
  g_autoptr(GString) un = g_string_new (NULL);
  guint n_un = 0;

  map_round_layer_set_round (p->layer, p->round);
  g_signal_handlers_block_by_func (p->day_select, on_day_selected, p);
  gtk_string_list_splice (p->day_names,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (p->day_names)),
                          NULL);
  if (p->round == NULL)
    {
      g_signal_handlers_unblock_by_func (p->day_select, on_day_selected, p);
      gtk_label_set_text (p->summary, "");
      gtk_label_set_text (p->unplanned, "");
      fill_stop_list (p);
      return;
    }
  for (guint k = 0; k < p->round->routes->len; k++)
    {
      const GeoRoundRoute *rt = p->round->routes->pdata[k];
      const GeoRoundTeam  *tm = geo_round_get_team (p->round, rt->team);
      gboolean             car = tm != NULL && g_strcmp0 (tm->vehicle, "car") == 0;
      g_autofree char     *s = g_strdup_printf (_ ("Team %u · day %u · %s"),
                                            rt->team,
                                            rt->day,
                                            car ? _ ("car") : _ ("motorbike"));

      gtk_string_list_append (p->day_names, s);
    }
  g_signal_handlers_unblock_by_func (p->day_select, on_day_selected, p);
  update_summary (p);
  for (guint i = 0; i < p->round->stops->len; i++)
    {
      const GeoRoundStop *s = p->round->stops->pdata[i];

      if (s->status == GEO_ROUND_STOP_PLANNED)
        continue;
      if (n_un++ < 30)
        g_string_append_printf (un,
                                "%s%s, %s: %s",
                                un->len ? "\n" : "",
                                s->address ? s->address : "–",
                                s->desa_name ? s->desa_name : "",
                                status_reason (s->status));
    }
  if (n_un > 30)
    g_string_append_printf (un, _ ("\n… and %u more"), n_un - 30);
  if (n_un > 0)
    g_string_prepend (un, _ ("Not planned:\n"));
  gtk_label_set_text (p->unplanned, un->str);
  if (p->round->routes->len > 0)
    {
      const GeoRoundRoute *rt = p->round->routes->pdata[0];

      p->shown_team = rt->team;
      p->shown_day = rt->day;
      gtk_drop_down_set_selected (p->day_select, 0);
    }
  else
    p->shown_team = p->shown_day = 0;
  fill_stop_list (p);
}

/* Centres the map on the round's stops and the office, zoomed to show them all. */
static void
fit_map (Panel *p)
{
  ShumateViewport  *viewport = app_window_get_viewport (p->window);
  ShumateMap       *map = app_window_get_map (p->window);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double            x0, y0, x1, y1, w, h, zoom, lon0, lat0, lon1, lat1;

  if (p->round == NULL || source == NULL)
    return;
  lon0 = lon1 = p->round->depot.lon;
  lat0 = lat1 = p->round->depot.lat;
  for (guint i = 0; i < p->round->stops->len; i++)
    {
      const GeoRoundStop *s = p->round->stops->pdata[i];

      lon0 = MIN (lon0, s->pos.lon), lon1 = MAX (lon1, s->pos.lon);
      lat0 = MIN (lat0, s->pos.lat), lat1 = MAX (lat1, s->pos.lat);
    }
  map_lonlat_to_mercator (lon0, lat1, &x0, &y0);
  map_lonlat_to_mercator (lon1, lat0, &x1, &y1);
  w = gtk_widget_get_width (GTK_WIDGET (map)) - 80;
  h = gtk_widget_get_height (GTK_WIDGET (map)) - 80;
  if (w < 200 || h < 200)
    w = 800, h = 560;
  zoom = log2 (MIN (w / MAX (x1 - x0, 1e-9), h / MAX (y1 - y0, 1e-9)) /
               shumate_map_source_get_tile_size (source));
  zoom = CLAMP (zoom, 8, 16);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (map, (lat0 + lat1) / 2, (lon0 + lon1) / 2);
}

/* ---- the worker: plan (or open) a round on its own connection ---- */

typedef struct
{
  char           *path;
  GeoRoundParams  params;
  GeoFilter      *filter;
  GeoVehicle     *vehicles;
  char           *within; /* WKT of the drawn area, or NULL */
  GeoRoundWindow *windows;
  gint64          open_id; /* > 0: open this round instead of planning */
  GeoRound       *round;
  GeoRoadGraph   *graphs[2];
  AppAnalysisProgress progress; /* written by geo_round_plan() in the worker */
} Job;

static void
job_free (Job *j)
{
  g_free (j->path);
  g_clear_pointer (&j->filter, geo_filter_free);
  g_free (j->vehicles);
  g_free (j->within);
  g_free (j->windows);
  g_clear_pointer (&j->round, geo_round_free);
  for (int v = 0; v < 2; v++)
    g_clear_pointer (&j->graphs[v], geo_road_graph_free);
  g_free (j);
}

static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  gint64  id = j->open_id;
  g_autoptr(GeoStore) store =
                 geo_store_open (j->path,
                                 id > 0 ? GEO_STORE_OPEN_READONLY : GEO_STORE_OPEN_DEFAULT,
                                 &error);

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (id <= 0 && (id = geo_round_plan (store, &j->params, NULL, cancellable, &error)) <= 0)
    {
      g_task_return_error (task, error);
      return;
    }
  j->round = geo_round_load (store, id, GEO_ROUND_PERSONAL_NONE, &error);
  if (j->round == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Road rounds: the graphs of the fleet's vehicles, for reordering stops by hand. */
  if (g_strcmp0 (j->round->cost_model, "roads") == 0)
    for (guint k = 0; k < j->round->teams->len; k++)
      {
        const GeoRoundTeam *tm = j->round->teams->pdata[k];
        GeoVehicle          v;

        if (geo_vehicle_from_string (tm->vehicle, &v) && j->graphs[v] == NULL &&
            (j->graphs[v] = geo_road_graph_load (store, v, FALSE, cancellable, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
      }
  g_task_return_boolean (task, TRUE);
}

static void refresh_round_list (Panel *p, gint64 select);
static void scroll_into_view (GtkWidget *target);

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GtkWidget *panel = data;
  Panel     *p = panel_of (panel);
  Job       *j = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* The window went away meanwhile, or the job was superseded (another project opened). */
  if (p == NULL || gtk_widget_get_root (panel) == NULL ||
      g_task_get_cancellable (G_TASK (result)) != p->cancellable)
    {
      if (p != NULL && p->plan_progress == &j->progress)
        p->plan_progress = NULL;
      g_object_unref (panel);
      return;
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_busy (p,
                FALSE,
                g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _ ("Cancelled.")
                                                                          : error->message);
      g_object_unref (panel);
      return;
    }
  g_clear_pointer (&p->round, geo_round_free);
  p->round = g_steal_pointer (&j->round);
  for (int v = 0; v < 2; v++)
    {
      g_clear_pointer (&p->graphs[v], geo_road_graph_free);
      p->graphs[v] = g_steal_pointer (&j->graphs[v]);
    }
  set_busy (p, FALSE, j->open_id > 0 ? _ ("Round opened.") : _ ("Round planned and saved."));
  show_round (p);
  fit_map (p);
  gtk_expander_set_expanded (p->settings, FALSE);
  scroll_into_view (p->panel);
  if (j->open_id <= 0)
    refresh_round_list (p, p->round->id);
  g_object_unref (panel);
}

static void
start_job (Panel *p, Job *j)
{
  GTask *task;

  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  set_busy (p, TRUE, j->open_id > 0 ? _ ("Opening the round…") : _ ("Planning the round…"));
  app_analysis_progress_stage (&j->progress, 0, 1);
  j->params.progress = app_analysis_progress_report;
  j->params.progress_data = &j->progress;
  p->plan_progress = &j->progress;
  gtk_progress_bar_set_fraction (p->progress, 0);
  if (p->pulse_id != 0)
    g_source_remove (p->pulse_id);
  p->pulse_id = g_timeout_add (120, pulse, p);
  g_task_run_in_thread (task, job_run);
  g_object_unref (task);
}

static gboolean
parse_lonlat (const char *text, GeoPoint *pt)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", 2);
  char *e1 = NULL, *e2 = NULL;

  if (g_strv_length (parts) != 2)
    return FALSE;
  pt->lon = g_ascii_strtod (g_strstrip (parts[0]), &e1);
  pt->lat = g_ascii_strtod (g_strstrip (parts[1]), &e2);
  return e1 != parts[0] && *e1 == '\0' && e2 != parts[1] && *e2 == '\0' && fabs (pt->lon) <= 180 &&
         fabs (pt->lat) <= 90;
}

static void
on_plan (Panel *p)
{
  AppProject *project = app_window_get_project (p->window);
  Job        *j;
  guint       cat = gtk_drop_down_get_selected (p->category);
  guint       st = gtk_drop_down_get_selected (p->status);
  guint       prio = gtk_drop_down_get_selected (p->priority);
  const char *area = gtk_editable_get_text (GTK_EDITABLE (p->area));
  g_autoptr(GError) error = NULL;

  if (project == NULL || p->busy)
    return;
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (project));
  geo_round_params_init (&j->params);
  j->filter = geo_filter_new ();
  if (cat > 0 && cat != GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *code = g_strdup_printf ("%d", p->category_codes[cat]);

      geo_filter_add_category (j->filter, code, NULL);
    }
  if (st == 1)
    j->filter->no_nik = TRUE;
  else if (st == 2)
    geo_filter_set_status (j->filter, "entri");
  if (*area != '\0' && !geo_filter_add_area (j->filter, area, &error))
    {
      set_busy (p, FALSE, error->message);
      job_free (j);
      return;
    }
  j->params.filter = j->filter;
  j->params.max_priority = prio <= 2 ? prio : 0;
  if (p->area_pts->len >= 3)
    {
      j->within = app_round_panel_area_wkt (p->panel);
      j->params.within = j->within;
    }
  else if (p->area_pts->len > 0)
    {
      set_busy (p, FALSE, _ ("The drawn area needs at least three points."));
      job_free (j);
      return;
    }
  if (p->windows->len > 0)
    {
      j->windows = g_memdup2 (p->windows->data, p->windows->len * sizeof (GeoRoundWindow));
      j->params.windows = j->windows;
      j->params.n_windows = p->windows->len;
    }
  if (!parse_lonlat (gtk_editable_get_text (GTK_EDITABLE (p->depot)), &j->params.depot))
    {
      set_busy (p, FALSE, _ ("The office (depot) is not a “longitude, latitude” position."));
      job_free (j);
      return;
    }
  if (!geo_round_parse_time (gtk_editable_get_text (GTK_EDITABLE (p->start)),
                             &j->params.day_start_min) ||
      !geo_round_parse_time (gtk_editable_get_text (GTK_EDITABLE (p->end)),
                             &j->params.day_end_min) ||
      j->params.day_end_min <= j->params.day_start_min)
    {
      set_busy (p, FALSE, _ ("Working hours: HH:MM, the end after the start."));
      job_free (j);
      return;
    }
  j->params.n_teams = gtk_spin_button_get_value_as_int (p->teams);
  j->params.n_days = gtk_spin_button_get_value_as_int (p->days);
  j->params.visit_min = gtk_spin_button_get_value (p->visit);
  j->params.max_visits = gtk_spin_button_get_value_as_int (p->max_visits);
  j->vehicles = g_new (GeoVehicle, j->params.n_teams);
  for (guint k = 0; k < j->params.n_teams; k++)
    j->vehicles[k] = team_vehicle (p, k);
  j->params.team_vehicles = j->vehicles;
  j->params.vehicle = j->vehicles[0];
  start_job (p, j);
}

static void
on_cancel (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
}

static void
on_open (Panel *p)
{
  guint k = gtk_drop_down_get_selected (p->rounds);
  Job  *j;

  if (app_window_get_project (p->window) == NULL || k >= p->round_ids->len || p->busy)
    return;
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (app_window_get_project (p->window)));
  j->open_id = g_array_index (p->round_ids, gint64, k);
  start_job (p, j);
}

static void
refresh_round_list (Panel *p, gint64 select)
{
  AppProject *project = app_window_get_project (p->window);
  g_autoptr(GPtrArray) list = NULL;
  guint sel = 0;

  gtk_string_list_splice (p->round_names,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (p->round_names)),
                          NULL);
  g_array_set_size (p->round_ids, 0);
  gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (p->rounds)), FALSE);
  if (project == NULL || (list = geo_round_list (app_project_get_store (project), NULL)) == NULL)
    return;
  for (guint i = 0; i < list->len; i++)
    {
      const GeoRound  *r = list->pdata[i];
      g_autofree char *when = g_strndup (r->created_at != NULL ? r->created_at : "", 16);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, r->id);
      g_autofree char *s = NULL;

      g_strdelimit (when, "T", ' ');
      s = g_strdup_printf (_ ("#%s · %s · %u/%u"),
                           id,
                           when + MIN (strlen (when), 5),
                           r->n_planned,
                           r->n_targets);

      gtk_string_list_append (p->round_names, s);
      g_array_append_val (p->round_ids, r->id);
      if (r->id == select)
        sel = i;
    }
  gtk_drop_down_set_selected (p->rounds, sel);
  gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (p->rounds)), list->len > 0);
}

/* ---- the target area, drawn on the map ---- */

static void
update_area (Panel *p)
{
  guint n = p->area_pts->len;

  map_round_layer_set_area (p->layer, (const GeoPoint *) p->area_pts->data, n);
  gtk_widget_set_sensitive (GTK_WIDGET (p->clear_area), n > 0);
  if (n == 0)
    gtk_label_set_text (p->area_label,
                        gtk_toggle_button_get_active (p->draw_area)
                            ? _ ("Click the corners of the area on the map; double-click or "
                                 "press the button again to finish.")
                            : _ ("No area drawn: targets anywhere."));
  else
    {
      g_autofree char *text =
          n < 3 ? g_strdup_printf (_ ("%u points: the area needs at least three."), n)
                : g_strdup_printf (ngettext ("Only families inside the drawn area (%u corner).",
                                             "Only families inside the drawn area (%u corners).",
                                             n),
                                   n);

      gtk_label_set_text (p->area_label, text);
    }
}

static void
on_draw_area_toggled (GtkToggleButton *button, gpointer data)
{
  Panel *p = data;

  if (gtk_toggle_button_get_active (button))
    {
      gtk_toggle_button_set_active (p->pick_depot, FALSE);
      g_array_set_size (p->area_pts, 0);
    }
  update_area (p);
}

static void
on_clear_area (Panel *p)
{
  gtk_toggle_button_set_active (p->draw_area, FALSE);
  g_array_set_size (p->area_pts, 0);
  update_area (p);
}

char *
app_round_panel_area_wkt (GtkWidget *panel)
{
  Panel   *p = panel_of (panel);
  GString *wkt;

  if (p == NULL || p->area_pts->len < 3)
    return NULL;
  wkt = g_string_new ("POLYGON((");
  for (guint i = 0; i <= p->area_pts->len; i++)
    {
      const GeoPoint *pt = &g_array_index (p->area_pts, GeoPoint, i % p->area_pts->len);
      char            a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (wkt,
                              "%s%s %s",
                              i > 0 ? ", " : "",
                              g_ascii_formatd (a, sizeof a, "%.7f", pt->lon),
                              g_ascii_formatd (b, sizeof b, "%.7f", pt->lat));
    }
  g_string_append (wkt, "))");
  return g_string_free (wkt, FALSE);
}

/* ---- time windows per family ---- */

static void fill_window_list (Panel *p);

static void
on_remove_window (GtkButton *button, gpointer data)
{
  Panel *p = data;
  guint  k = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (k < p->windows->len)
    g_array_remove_index (p->windows, k);
  fill_window_list (p);
}

static void
fill_window_list (Panel *p)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (GTK_WIDGET (p->window_list))) != NULL)
    gtk_list_box_remove (p->window_list, c);
  gtk_widget_set_visible (GTK_WIDGET (p->window_list), p->windows->len > 0);
  for (guint k = 0; k < p->windows->len; k++)
    {
      const GeoRoundWindow *w = &g_array_index (p->windows, GeoRoundWindow, k);
      g_autofree char      *a = geo_round_format_time (w->open_min);
      g_autofree char      *b = geo_round_format_time (w->close_min);
      g_autofree char      *id = g_strdup_printf ("%" G_GINT64_FORMAT, w->family_id);
      g_autofree char *text = g_strdup_printf (_ ("Family %s: start between %s and %s"), id, a, b);
      g_autofree char *name = g_strdup_printf ("round-window-remove-%u", k);
      GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget       *l = gtk_label_new (text);
      GtkWidget       *rm = gtk_button_new_from_icon_name ("edit-delete-symbolic");

      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_widget_set_hexpand (l, TRUE);
      gtk_widget_add_css_class (rm, "flat");
      gtk_widget_set_name (rm, name);
      gtk_widget_set_tooltip_text (rm, _ ("Remove this time window"));
      label_widget (rm, _ ("Remove this time window"));
      g_object_set_data (G_OBJECT (rm), "index", GUINT_TO_POINTER (k));
      g_signal_connect (rm, "clicked", G_CALLBACK (on_remove_window), p);
      gtk_box_append (GTK_BOX (box), l);
      gtk_box_append (GTK_BOX (box), rm);
      gtk_list_box_append (p->window_list, box);
    }
}

gboolean
app_round_panel_add_window (
    GtkWidget *panel, gint64 family_id, const char *open, const char *close, GError **error)
{
  Panel         *p = panel_of (panel);
  GeoRoundWindow w = { .family_id = family_id };

  g_return_val_if_fail (p != NULL, FALSE);
  if (family_id <= 0)
    {
      g_set_error_literal (error,
                           G_IO_ERROR,
                           G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("Select a family on the map or in the stop list first."));
      return FALSE;
    }
  if (!geo_round_parse_time (open, &w.open_min) || !geo_round_parse_time (close, &w.close_min) ||
      w.close_min < w.open_min)
    {
      g_set_error_literal (error,
                           G_IO_ERROR,
                           G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("Time window: HH:MM–HH:MM, the end not before the start."));
      return FALSE;
    }
  for (guint k = 0; k < p->windows->len; k++)
    if (g_array_index (p->windows, GeoRoundWindow, k).family_id == family_id)
      {
        g_array_index (p->windows, GeoRoundWindow, k) = w; /* one window per family */
        fill_window_list (p);
        return TRUE;
      }
  g_array_append_val (p->windows, w);
  fill_window_list (p);
  return TRUE;
}

static void
on_add_window (Panel *p)
{
  g_autoptr(GError) error = NULL;

  if (!app_round_panel_add_window (p->panel,
                                   app_window_get_selected_family (p->window),
                                   gtk_editable_get_text (GTK_EDITABLE (p->win_open)),
                                   gtk_editable_get_text (GTK_EDITABLE (p->win_close)),
                                   &error))
    gtk_label_set_text (p->status_label, error->message);
  else
    gtk_label_set_text (p->status_label, "");
}

/* ---- depot on the map ---- */

static void
on_map_pressed (GtkGestureClick *gesture, int n_press, double x, double y, gpointer data)
{
  Panel           *p = data;
  ShumateViewport *viewport = app_window_get_viewport (p->window);
  GtkWidget       *map = GTK_WIDGET (app_window_get_map (p->window));
  double           lat, lon;
  GeoPoint         pt;
  char             buf[64], a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  if (gtk_toggle_button_get_active (p->draw_area))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      shumate_viewport_widget_coords_to_location (viewport, map, x, y, &lat, &lon);
      /* A double click ends the drawing (its first press already added the point). */
      if (n_press >= 2)
        {
          gtk_toggle_button_set_active (p->draw_area, FALSE);
          return;
        }
      pt.lon = lon;
      pt.lat = lat;
      g_array_append_val (p->area_pts, pt);
      update_area (p);
      return;
    }
  if (!gtk_toggle_button_get_active (p->pick_depot))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  shumate_viewport_widget_coords_to_location (viewport, map, x, y, &lat, &lon);
  pt.lon = lon;
  pt.lat = lat;
  g_snprintf (buf,
              sizeof buf,
              "%s, %s",
              g_ascii_formatd (a, sizeof a, "%.6f", lon),
              g_ascii_formatd (b, sizeof b, "%.6f", lat));
  gtk_editable_set_text (GTK_EDITABLE (p->depot), buf);
  gtk_toggle_button_set_active (p->pick_depot, FALSE);
  if (p->round == NULL)
    map_round_layer_set_depot (p->layer, &pt);
}

static void
on_depot_changed (GtkEditable *e, gpointer data)
{
  Panel   *p = data;
  GeoPoint pt;

  if (p->round == NULL && parse_lonlat (gtk_editable_get_text (e), &pt))
    map_round_layer_set_depot (p->layer, &pt);
}

/* ---- project changes ---- */

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel       *p = data;
  AppProject  *project = app_window_get_project (window);
  double       x0, y0, x1, y1;
  const guint *fam;
  g_autoptr(GtkStringList) cats = gtk_string_list_new (NULL);
  guint n = 0;

  g_cancellable_cancel (p->cancellable);
  g_clear_pointer (&p->round, geo_round_free);
  for (int v = 0; v < 2; v++)
    g_clear_pointer (&p->graphs[v], geo_road_graph_free);
  show_round (p);
  set_busy (p, FALSE, NULL);
  g_array_set_size (p->windows, 0);
  fill_window_list (p);
  on_clear_area (p);
  if (project == NULL)
    return;
  /* Default office: the middle of the project until the user places it. */
  if (app_project_get_extent (project, &x0, &y0, &x1, &y1))
    {
      char             a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *s = g_strdup_printf ("%s, %s",
                                            g_ascii_formatd (a, sizeof a, "%.6f", (x0 + x1) / 2),
                                            g_ascii_formatd (b, sizeof b, "%.6f", (y0 + y1) / 2));

      gtk_editable_set_text (GTK_EDITABLE (p->depot), s);
    }
  /* Categories present in the project. */
  fam = app_project_get_family_counts (project);
  gtk_string_list_append (cats, _ ("All categories"));
  p->category_codes[n++] = 0;
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    if (fam[c] > 0)
      {
        const GeoCategory *gc = geo_pmks_get (c);

        gtk_string_list_append (cats, gc->name);
        p->category_codes[n++] = c;
      }
  gtk_drop_down_set_model (p->category, G_LIST_MODEL (cats));
  gtk_drop_down_set_selected (p->category, 0);
  refresh_round_list (p, 0);
}

/* ---- exports ---- */

gboolean
app_round_panel_export_to (GtkWidget *panel, const char *path, gboolean pdf, GError **error)
{
  Panel      *p = panel_of (panel);
  AppProject *project;
  g_autoptr(GeoRound) personal = NULL;
  const GeoRound *r;

  g_return_val_if_fail (p != NULL, FALSE);
  project = app_window_get_project (p->window);
  if (p->round == NULL || project == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("No round to export."));
      return FALSE;
    }
  r = p->round;
  if (gtk_check_button_get_active (p->personal))
    {
      personal = geo_round_load (app_project_get_store (project),
                                 p->round->id,
                                 GEO_ROUND_PERSONAL_MASKED,
                                 error);
      if (personal == NULL)
        return FALSE;
      r = personal;
    }
  if (!pdf)
    return geo_round_export (r, path, error);
  {
    double x0 = r->depot.lon, y0 = r->depot.lat, x1 = x0, y1 = y0;
    g_autoptr(GPtrArray) outlines = NULL;

    for (guint i = 0; i < r->stops->len; i++)
      {
        const GeoRoundStop *s = r->stops->pdata[i];

        x0 = MIN (x0, s->pos.lon), x1 = MAX (x1, s->pos.lon);
        y0 = MIN (y0, s->pos.lat), y1 = MAX (y1, s->pos.lat);
      }
    outlines = geo_round_area_outlines (app_project_get_store (project), x0, y0, x1, y1, NULL);
    if (g_mkdir_with_parents (path, 0755) != 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot create the folder %s"), path);
        return FALSE;
      }
    for (guint k = 0; k < r->routes->len; k++)
      {
        const GeoRoundRoute *rt = r->routes->pdata[k];
        g_autofree char     *name = g_strdup_printf ("round-%" G_GINT64_FORMAT "-tim%u-hari%u.pdf",
                                                 r->id,
                                                 rt->team,
                                                 rt->day);
        g_autofree char     *file = g_build_filename (path, name, NULL);

        if (!report_route_sheet_write (r, rt->team, rt->day, outlines, file, error))
          return FALSE;
      }
  }
  return TRUE;
}

typedef struct
{
  GtkWidget *panel;
  gboolean   pdf;
} ExportCtx;

static void
on_export_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  ExportCtx *ctx = data;
  Panel     *p = panel_of (ctx->panel);

  if (response == GTK_RESPONSE_ACCEPT && p != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (app_round_panel_export_to (ctx->panel, path, ctx->pdf, &error))
        {
          g_autofree char *msg = g_strdup_printf (_ ("Saved %s"), path);

          app_window_toast (p->window, msg);
        }
      else
        app_window_toast (p->window, error->message);
    }
  g_object_unref (ctx->panel);
  g_free (ctx);
  g_object_unref (dialog);
}

static void
on_export (GtkButton *button, gpointer data)
{
  Panel                *p = data;
  const char           *ext = g_object_get_data (G_OBJECT (button), "ext");
  gboolean              pdf = g_strcmp0 (ext, "pdf") == 0;
  GtkFileChooserNative *dialog;
  ExportCtx            *ctx;
  g_autofree char      *name = NULL;

  if (p->round == NULL)
    {
      app_window_toast (p->window, _ ("Plan or open a round first."));
      return;
    }
  dialog =
      gtk_file_chooser_native_new (pdf ? _ ("Folder for the route sheets") : _ ("Export the round"),
                                   GTK_WINDOW (p->window),
                                   pdf ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                       : GTK_FILE_CHOOSER_ACTION_SAVE,
                                   _ ("_Save"),
                                   _ ("_Cancel"));
  if (!pdf)
    {
      name = g_strdup_printf ("kunjungan-%" G_GINT64_FORMAT ".%s", p->round->id, ext);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }
  ctx = g_new0 (ExportCtx, 1);
  ctx->panel = g_object_ref (p->panel);
  ctx->pdf = pdf;
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), ctx);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- public ---- */

GtkWidget *
app_round_panel_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "round-panel");
}

const GeoRound *
app_round_panel_get_round (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->round : NULL;
}

gboolean
app_round_panel_get_busy (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL && p->busy;
}

MapRoundLayer *
app_round_panel_get_layer (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->layer : NULL;
}

void
app_round_panel_show_day (GtkWidget *panel, guint team, guint day)
{
  Panel *p = panel_of (panel);

  for (guint k = 0; p != NULL && p->round != NULL && k < p->round->routes->len; k++)
    {
      const GeoRoundRoute *rt = p->round->routes->pdata[k];

      if (rt->team == team && rt->day == day)
        gtk_drop_down_set_selected (p->day_select, k);
    }
}

gboolean
app_round_panel_move_stop (GtkWidget *panel, guint seq, int delta)
{
  if (seq < 1 || (int) seq + delta < 1)
    return FALSE;
  return app_round_panel_move_stop_to (panel, seq, (guint) ((int) seq + delta));
}

gboolean
app_round_panel_move_stop_to (GtkWidget *panel, guint seq, guint to_seq)
{
  Panel *p = panel_of (panel);
  int    delta = (int) to_seq - (int) seq;
  g_autoptr(GPtrArray) day = NULL;
  g_autofree gint64 *order = NULL;
  g_autoptr(GError) error = NULL;
  const GeoRoundTeam *tm;
  GeoVehicle          v = GEO_VEHICLE_MOTORBIKE;
  gboolean            feasible = TRUE;
  guint               i, j;

  if (p == NULL || p->round == NULL)
    return FALSE;
  day = geo_round_day_stops (p->round, p->shown_team, p->shown_day);
  if (seq < 1 || seq > day->len || to_seq < 1 || to_seq > day->len || delta == 0)
    return FALSE;
  /* Take stop @seq out and put it back at position @to_seq (the others shift). */
  order = g_new (gint64, day->len);
  i = seq - 1;
  j = to_seq - 1;
  for (guint k = 0, out = 0; k < day->len; k++)
    {
      if (k == i)
        continue;
      if (out == j)
        order[out++] = ((GeoRoundStop *) day->pdata[i])->family_id;
      order[out++] = ((GeoRoundStop *) day->pdata[k])->family_id;
    }
  if (j == day->len - 1)
    order[j] = ((GeoRoundStop *) day->pdata[i])->family_id;
  tm = geo_round_get_team (p->round, p->shown_team);
  if (tm != NULL)
    geo_vehicle_from_string (tm->vehicle, &v);
  if (!geo_round_reorder_day (p->round,
                              p->shown_team,
                              p->shown_day,
                              order,
                              day->len,
                              p->graphs[v],
                              &feasible,
                              &error) ||
      !geo_round_save_day (app_project_get_store (app_window_get_project (p->window)),
                           p->round,
                           p->shown_team,
                           p->shown_day,
                           &error))
    {
      app_window_toast (p->window, error->message);
      return FALSE;
    }
  gtk_label_set_text (p->status_label,
                      feasible ? _ ("Order changed and saved.")
                               : _ ("Order saved, but a visit now misses its time or the day runs "
                                    "past the end of work."));
  map_round_layer_set_round (p->layer, p->round);
  update_summary (p);
  fill_stop_list (p);
  {
    GtkListBoxRow *r = gtk_list_box_get_row_at_index (p->stop_list, j);

    if (r != NULL)
      {
        g_autofree char *name =
            g_strdup_printf (delta < 0 ? "round-stop-up-%u" : "round-stop-down-%u", j + 1);
        GtkWidget *b = NULL;

        g_signal_handlers_block_by_func (p->stop_list, on_stop_selected, p);
        gtk_list_box_select_row (p->stop_list, r);
        g_signal_handlers_unblock_by_func (p->stop_list, on_stop_selected, p);
        /* Keep the keyboard on the moved stop (pressing again moves it further), or on the
         * row when it reached the end of the day. */
        for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (r)); c != NULL && b == NULL;
             c = gtk_widget_get_first_child (c))
          for (GtkWidget *d = c; d != NULL; d = gtk_widget_get_next_sibling (d))
            if (g_strcmp0 (gtk_widget_get_name (d), name) == 0)
              b = d;
        if (b != NULL && gtk_widget_get_sensitive (b))
          gtk_widget_grab_focus (b);
        else
          gtk_widget_grab_focus (GTK_WIDGET (r));
        scroll_into_view (GTK_WIDGET (r));
      }
  }
  return TRUE;
}

static GtkWidget *
section_title (const char *text)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_add_css_class (l, "heading");
  gtk_widget_set_margin_top (l, 8);
  return l;
}

/* Scrolls the sidebar until @target is in view (its top at the top for the panel, a third of
 * the way down otherwise); retried while the sidebar's layout catches up (the adjustment clamps
 * to a stale upper bound until then). */
static gboolean
scroll_step (gpointer data)
{
  GtkWidget *target = data;
  GtkWidget *scrolled = gtk_widget_get_ancestor (target, GTK_TYPE_SCROLLED_WINDOW);
  guint      tries = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (target), "scroll-tries"));
  GtkWidget *content =
      scrolled != NULL ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  graphene_point_t pt;
  gboolean         done = tries >= 20 || content == NULL;

  /* Coordinates in the scrolled content, not in the viewport showing it. */
  if (content != NULL && GTK_IS_VIEWPORT (content) &&
      gtk_viewport_get_child (GTK_VIEWPORT (content)) != NULL)
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (!done && gtk_widget_compute_point (target, content, &GRAPHENE_POINT_INIT (0, 0), &pt))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double         want = pt.y;

      if (g_strcmp0 (gtk_widget_get_name (target), "round-panel") != 0)
        want = MAX (0, pt.y - gtk_adjustment_get_page_size (adj) / 3);
      want = MIN (want, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
      gtk_adjustment_set_value (adj, want);
      done = tries >= 3 && fabs (gtk_adjustment_get_value (adj) - want) < 1;
    }
  g_object_set_data (G_OBJECT (target), "scroll-tries", done ? NULL : GUINT_TO_POINTER (tries + 1));
  if (done)
    {
      g_object_unref (target);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
scroll_into_view (GtkWidget *target)
{
  g_timeout_add (50, scroll_step, g_object_ref (target));
}

/* win.show-rounds: the sidebar shown, the panel open and scrolled into view. */
static void
on_show_rounds (GSimpleAction *action, GVariant *param, gpointer data)
{
  Panel *p = data;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_boolean (settings, "sidebar-visible", TRUE);
  gtk_expander_set_expanded (GTK_EXPANDER (p->panel), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (p->plan_button));
  scroll_into_view (p->panel);
}

void
app_round_panel_attach (AppWindow *window)
{
  Panel            *p = g_new0 (Panel, 1);
  GtkWidget        *expander, *box, *grid, *hbox, *w, *outer;
  int               y = 0;
  const char *const statuses[] = {
    _ ("Any status"), _ ("No NIK yet"), _ ("Not yet verified"), NULL
  };
  /* Index = GeoRoundParams.max_priority. */
  const char *const priorities[] = { _ ("Any priority"), _ ("Urgent only"), _ ("Urgent and high"),
                                     NULL };

  p->window = window;
  p->cancellable = g_cancellable_new ();
  p->round_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  p->area_pts = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
  p->windows = g_array_new (FALSE, FALSE, sizeof (GeoRoundWindow));

  expander = gtk_expander_new (_ ("Home visits (jemput bola)"));
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  gtk_widget_set_name (expander, "round-panel");
  p->panel = expander;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);

  /* The settings fold away once a round is shown, so its stop list fits the screen. */
  outer = box;
  {
    w = gtk_expander_new (_ ("Settings"));
    gtk_widget_set_name (w, "round-settings");
    gtk_expander_set_expanded (GTK_EXPANDER (w), TRUE);
    p->settings = GTK_EXPANDER (w);
    gtk_box_append (GTK_BOX (outer), w);
    box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    gtk_expander_set_child (GTK_EXPANDER (w), box);
  }
  /* Targets. */
  gtk_box_append (GTK_BOX (box), section_title (_ ("Targets")));
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_box_append (GTK_BOX (box), grid);
  p->category = GTK_DROP_DOWN (
      row (grid, y++, _ ("Category"), gtk_drop_down_new (NULL, NULL), "round-category"));
  p->status = GTK_DROP_DOWN (
      row (grid, y++, _ ("Status"), gtk_drop_down_new_from_strings (statuses), "round-status"));
  p->priority = GTK_DROP_DOWN (row (
      grid, y++, _ ("Priority"), gtk_drop_down_new_from_strings (priorities), "round-priority"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (p->priority),
                               _ ("Urgent families are planned first when not all fit"));
  p->area = GTK_ENTRY (row (grid, y++, _ ("Kecamatan/desa code"), gtk_entry_new (), "round-area"));
  gtk_entry_set_placeholder_text (p->area, _ ("e.g. 34.02.01 (empty: all)"));
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  w = gtk_toggle_button_new_with_label (_ ("Draw area"));
  gtk_widget_set_name (w, "round-draw-area");
  gtk_widget_set_tooltip_text (w, _ ("Click the corners of the target area on the map"));
  label_widget (w, _ ("Draw the target area on the map"));
  p->draw_area = GTK_TOGGLE_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Clear"));
  gtk_widget_set_name (w, "round-clear-area");
  label_widget (w, _ ("Clear the drawn area"));
  gtk_widget_set_sensitive (w, FALSE);
  p->clear_area = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  row (grid, y++, _ ("Area on the map"), hbox, "round-area-box");
  p->area_label = GTK_LABEL (gtk_label_new (_ ("No area drawn: targets anywhere.")));
  gtk_label_set_wrap (p->area_label, TRUE);
  gtk_label_set_xalign (p->area_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (p->area_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (p->area_label), "dim-label");
  gtk_widget_set_name (GTK_WIDGET (p->area_label), "round-area-label");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (p->area_label), 0, y++, 2, 1);
  g_signal_connect (p->draw_area, "toggled", G_CALLBACK (on_draw_area_toggled), p);
  g_signal_connect_swapped (p->clear_area, "clicked", G_CALLBACK (on_clear_area), p);

  /* Time windows: for the selected family. */
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  p->win_open = GTK_ENTRY (gtk_entry_new ());
  p->win_close = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (p->win_open), "09:00");
  gtk_editable_set_text (GTK_EDITABLE (p->win_close), "11:00");
  gtk_editable_set_width_chars (GTK_EDITABLE (p->win_open), 6);
  gtk_editable_set_width_chars (GTK_EDITABLE (p->win_close), 6);
  gtk_widget_set_name (GTK_WIDGET (p->win_open), "round-window-open");
  gtk_widget_set_name (GTK_WIDGET (p->win_close), "round-window-close");
  label_widget (GTK_WIDGET (p->win_open), _ ("Earliest start of the visit"));
  label_widget (GTK_WIDGET (p->win_close), _ ("Latest start of the visit"));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (p->win_open));
  gtk_box_append (GTK_BOX (hbox), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (p->win_close));
  w = gtk_button_new_with_label (_ ("Add"));
  gtk_widget_set_name (w, "round-window-add");
  gtk_widget_set_tooltip_text (w, _ ("Give the selected family this time window"));
  label_widget (w, _ ("Give the selected family this time window"));
  g_signal_connect_swapped (w, "clicked", G_CALLBACK (on_add_window), p);
  gtk_box_append (GTK_BOX (hbox), w);
  row (grid, y++, _ ("Time window (selected family)"), hbox, "round-window-box");
  p->window_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (p->window_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (p->window_list), "boxed-list");
  gtk_widget_set_name (GTK_WIDGET (p->window_list), "round-windows");
  label_widget (GTK_WIDGET (p->window_list), _ ("Time windows"));
  gtk_widget_set_visible (GTK_WIDGET (p->window_list), FALSE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (p->window_list), 0, y++, 2, 1);

  /* Office, teams, days. */
  gtk_box_append (GTK_BOX (box), section_title (_ ("Office and teams")));
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_box_append (GTK_BOX (box), grid);
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  p->depot = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (p->depot), TRUE);
  gtk_widget_set_name (GTK_WIDGET (p->depot), "round-depot");
  gtk_entry_set_placeholder_text (p->depot, _ ("longitude, latitude"));
  label_widget (GTK_WIDGET (p->depot), _ ("Office (longitude, latitude)"));
  w = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (w), "find-location-symbolic");
  gtk_widget_set_tooltip_text (w, _ ("Click on the map to place the office"));
  label_widget (w, _ ("Click on the map to place the office"));
  gtk_widget_set_name (w, "round-pick-depot");
  p->pick_depot = GTK_TOGGLE_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (p->depot));
  gtk_box_append (GTK_BOX (hbox), w);
  row (grid, y = 0, _ ("Office"), hbox, "round-depot-box");
  y++;
  p->teams =
      GTK_SPIN_BUTTON (row (grid, y++, _ ("Teams"), GTK_WIDGET (spin (1, 12, 2)), "round-teams"));
  p->vehicle_box = GTK_BOX (
      row (grid, y++, _ ("Vehicles"), gtk_box_new (GTK_ORIENTATION_VERTICAL, 2), "round-vehicles"));
  p->days =
      GTK_SPIN_BUTTON (row (grid, y++, _ ("Days"), GTK_WIDGET (spin (1, 30, 2)), "round-days"));
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  p->start = GTK_ENTRY (gtk_entry_new ());
  p->end = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (p->start), "08:00");
  gtk_editable_set_text (GTK_EDITABLE (p->end), "15:00");
  gtk_editable_set_width_chars (GTK_EDITABLE (p->start), 6);
  gtk_editable_set_width_chars (GTK_EDITABLE (p->end), 6);
  gtk_widget_set_name (GTK_WIDGET (p->start), "round-start");
  gtk_widget_set_name (GTK_WIDGET (p->end), "round-end");
  label_widget (GTK_WIDGET (p->start), _ ("Start of the working day"));
  label_widget (GTK_WIDGET (p->end), _ ("End of the working day"));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (p->start));
  gtk_box_append (GTK_BOX (hbox), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (p->end));
  row (grid, y++, _ ("Working hours"), hbox, "round-hours");
  p->visit = GTK_SPIN_BUTTON (
      row (grid, y++, _ ("Minutes per visit"), GTK_WIDGET (spin (1, 240, 20)), "round-visit"));
  p->max_visits = GTK_SPIN_BUTTON (row (grid,
                                        y++,
                                        _ ("Max. visits per day (0: no limit)"),
                                        GTK_WIDGET (spin (0, 100, 0)),
                                        "round-max-visits"));
  g_signal_connect_swapped (p->teams, "value-changed", G_CALLBACK (rebuild_vehicles), p);
  rebuild_vehicles (p);

  box = outer;
  /* Plan / cancel / progress. */
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  w = gtk_button_new_with_label (_ ("Plan"));
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_widget_set_name (w, "round-plan");
  gtk_widget_set_hexpand (w, TRUE);
  label_widget (w, _ ("Plan"));
  p->plan_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Cancel"));
  gtk_widget_set_name (w, "round-cancel");
  gtk_widget_set_visible (w, FALSE);
  label_widget (w, _ ("Cancel"));
  p->cancel_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  gtk_box_append (GTK_BOX (box), hbox);
  p->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (p->progress), FALSE);
  label_widget (GTK_WIDGET (p->progress), _ ("Planning progress"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->progress));
  p->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->status_label, TRUE);
  gtk_label_set_xalign (p->status_label, 0);
  gtk_widget_set_name (GTK_WIDGET (p->status_label), "round-status-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status_label));
  g_signal_connect_swapped (p->plan_button, "clicked", G_CALLBACK (on_plan), p);
  g_signal_connect_swapped (p->cancel_button, "clicked", G_CALLBACK (on_cancel), p);

  /* Saved rounds. */
  gtk_box_append (GTK_BOX (box), section_title (_ ("Saved rounds")));
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  p->round_names = gtk_string_list_new (NULL);
  p->rounds = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (p->round_names), NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (p->rounds), TRUE);
  gtk_widget_set_name (GTK_WIDGET (p->rounds), "round-list");
  label_widget (GTK_WIDGET (p->rounds), _ ("Saved rounds"));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (p->rounds));
  w = gtk_button_new_with_label (_ ("Open"));
  gtk_widget_set_name (w, "round-open");
  label_widget (w, _ ("Open the saved round"));
  g_signal_connect_swapped (w, "clicked", G_CALLBACK (on_open), p);
  gtk_box_append (GTK_BOX (hbox), w);
  gtk_box_append (GTK_BOX (box), hbox);

  /* Result. */
  gtk_box_append (GTK_BOX (box), section_title (_ ("Round")));
  p->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->summary, TRUE);
  gtk_label_set_xalign (p->summary, 0);
  gtk_widget_set_name (GTK_WIDGET (p->summary), "round-summary");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->summary));
  p->day_names = gtk_string_list_new (NULL);
  p->day_select = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (p->day_names), NULL));
  gtk_widget_set_name (GTK_WIDGET (p->day_select), "round-day");
  label_widget (GTK_WIDGET (p->day_select), _ ("Team and day shown"));
  g_signal_connect (p->day_select, "notify::selected", G_CALLBACK (on_day_selected), p);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->day_select));
  p->day_summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (p->day_summary, 0);
  gtk_label_set_wrap (p->day_summary, TRUE);
  gtk_widget_set_name (GTK_WIDGET (p->day_summary), "round-day-summary");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->day_summary));
  p->stop_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (p->stop_list), "boxed-list");
  gtk_widget_set_name (GTK_WIDGET (p->stop_list), "round-stops");
  label_widget (GTK_WIDGET (p->stop_list), _ ("Stops of the day"));
  g_signal_connect (p->stop_list, "row-selected", G_CALLBACK (on_stop_selected), p);
  /* No inner scrolling: the sidebar scrolls, and a day has at most a few dozen stops. */
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->stop_list));
  p->unplanned = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->unplanned, TRUE);
  gtk_label_set_xalign (p->unplanned, 0);
  gtk_widget_add_css_class (GTK_WIDGET (p->unplanned), "caption");
  gtk_widget_set_name (GTK_WIDGET (p->unplanned), "round-unplanned");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->unplanned));

  /* Export. */
  gtk_box_append (GTK_BOX (box), section_title (_ ("Export")));
  w = gtk_check_button_new_with_label (_ ("Include names and NIK (masked)"));
  gtk_widget_set_name (w, "round-personal");
  p->personal = GTK_CHECK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);
  hbox = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (hbox), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (hbox), 5);
  {
    const char *const exts[] = { "gpx", "kml", "geojson", "csv", "pdf" };
    const char *const labels[] = { "GPX", "KML", "GeoJSON", "CSV", N_ ("Route sheets (PDF)") };

    for (guint k = 0; k < G_N_ELEMENTS (exts); k++)
      {
        g_autofree char *name = g_strdup_printf ("round-export-%s", exts[k]);

        w = gtk_button_new_with_label (_ (labels[k]));
        gtk_widget_set_name (w, name);
        label_widget (w, _ (labels[k]));
        g_object_set_data (G_OBJECT (w), "ext", (gpointer) exts[k]);
        g_signal_connect (w, "clicked", G_CALLBACK (on_export), p);
        gtk_flow_box_append (GTK_FLOW_BOX (hbox), w);
      }
  }
  gtk_box_append (GTK_BOX (box), hbox);

  g_object_set_data_full (G_OBJECT (expander), "round-panel-state", p, (GDestroyNotify) panel_free);
  g_object_set_data (G_OBJECT (window), "round-panel", expander);
  app_window_add_panel (window, expander);
  /* The sidebar's panel box starts hidden until a panel is added. */
  gtk_widget_set_visible (gtk_widget_get_parent (expander), TRUE);

  p->layer = map_round_layer_new (app_window_get_viewport (window));
  app_window_add_map_layer (window, SHUMATE_LAYER (p->layer), FALSE);
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect (click, "pressed", G_CALLBACK (on_map_pressed), p);
    gtk_widget_add_controller (GTK_WIDGET (app_window_get_map (window)),
                               GTK_EVENT_CONTROLLER (click));
  }
  g_signal_connect (p->depot, "changed", G_CALLBACK (on_depot_changed), p);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), p);
  {
    g_autoptr(GSimpleAction) action = g_simple_action_new ("show-rounds", NULL);

    g_signal_connect (action, "activate", G_CALLBACK (on_show_rounds), p);
    g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
  }
}
