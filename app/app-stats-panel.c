#include "config.h"

#include "app-stats-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-choropleth.h"
#include "geo-categories.h"
#include "geo-classify.h"

#define OWNER "stats"

typedef struct
{
  AppWindow    *window; /* borrowed */
  GtkWidget    *panel;  /* borrowed: the expander */
  GCancellable *cancellable;
  gboolean      busy;
  GeoAreaStats *stats;
  GeoAreaStats *pmks;   /* the same areas, persons with at least one PMKS category */
  double       *values; /* per area of @stats: the classified measure */
  double       *breaks;
  guint         n_classes;
  guint         pulse_id;
  int           category_codes[GEO_PMKS_N_CATEGORIES + 1]; /* dropdown index -> code */

  GtkDropDown    *level, *category, *measure, *method;
  GtkSpinButton  *k;
  GtkButton      *run_button, *cancel_button, *export_button;
  GtkCheckButton *on_map;
  GtkProgressBar *progress;
  GtkLabel       *status_label, *breaks_label;
  GtkWidget      *table;
} Panel;

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "stats-panel-state");
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
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->stats, geo_area_stats_free);
  g_clear_pointer (&p->pmks, geo_area_stats_free);
  g_free (p->values);
  g_free (p->breaks);
  if (p->pulse_id != 0)
    g_source_remove (p->pulse_id);
  g_free (p);
}

static gboolean
pulse (gpointer data)
{
  Panel *p = data;

  gtk_progress_bar_pulse (p->progress);
  return G_SOURCE_CONTINUE;
}

static void
set_busy (Panel *p, gboolean busy, const char *message)
{
  p->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (p->run_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (p->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (p->progress), busy);
  gtk_label_set_text (p->status_label, message != NULL ? message : "");
  if (busy && p->pulse_id == 0)
    p->pulse_id = g_timeout_add (120, pulse, p);
  if (!busy && p->pulse_id != 0)
    {
      g_source_remove (p->pulse_id);
      p->pulse_id = 0;
    }
}

static GeoAreaLevel
chosen_level (Panel *p)
{
  return gtk_drop_down_get_selected (p->level) == 1 ? GEO_AREA_KECAMATAN : GEO_AREA_DESA;
}

/* The counts of area @i for the chosen category; "all categories" counts the persons with at
 * least one PMKS category. The share is of all the area's registered persons. */
static void
area_values (Panel *p, guint i, double *persons, double *families, double *share)
{
  const GeoAreaCount *c = &p->stats->areas[i];
  guint               sel = gtk_drop_down_get_selected (p->category);
  int                 code = sel < G_N_ELEMENTS (p->category_codes) ? p->category_codes[sel] : 0;

  *persons = code > 0 ? c->cat_persons[code - 1] : p->pmks->areas[i].persons;
  *families = code > 0 ? c->cat_families[code - 1] : p->pmks->areas[i].families;
  *share = c->persons > 0 ? *persons / c->persons : NAN;
}

static void
format_break (char *buf, gsize size, double v, AppStatsMeasure m)
{
  if (m == APP_STATS_SHARE)
    g_snprintf (buf, size, "%.1f %%", v * 100);
  else
    g_snprintf (buf, size, "%.0f", v);
}

/* Applies the category, measure and classes to the loaded counts: table, breaks, map. */
static void
refresh (Panel *p)
{
  g_autoptr(GListStore) rows = g_list_store_new (APP_TYPE_AREA_ROW);
  AppStatsMeasure   m = gtk_drop_down_get_selected (p->measure);
  GeoClassifyMethod method = gtk_drop_down_get_selected (p->method);
  guint             k = gtk_spin_button_get_value_as_int (p->k);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_pointer (&p->values, g_free);
  g_clear_pointer (&p->breaks, g_free);
  p->n_classes = 0;
  gtk_widget_set_sensitive (GTK_WIDGET (p->export_button), p->stats != NULL);
  if (p->stats == NULL)
    {
      app_area_table_set_rows (p->table, G_LIST_MODEL (rows));
      gtk_label_set_text (p->breaks_label, "");
      app_choropleth_hide (p->window, OWNER);
      return;
    }
  if (m > APP_STATS_SHARE)
    m = APP_STATS_PERSONS;
  if (method > GEO_CLASSIFY_JENKS)
    method = GEO_CLASSIFY_QUANTILE;
  p->values = g_new (double, MAX (p->stats->n_areas, 1));
  for (guint i = 0; i < p->stats->n_areas; i++)
    {
      double v[3];

      area_values (p, i, &v[0], &v[1], &v[2]);
      p->values[i] = v[m];
      g_ptr_array_add (codes, p->stats->areas[i].code);
    }
  p->breaks = geo_classify_breaks (p->values, p->stats->n_areas, method, k, &p->n_classes, &error);
  for (guint i = 0; i < p->stats->n_areas; i++)
    {
      const GeoAreaCount *c = &p->stats->areas[i];
      double              v[APP_STATS_N_COLS];
      int                 cls;
      g_autoptr(AppAreaRow) r = NULL;

      area_values (p, i, &v[0], &v[1], &v[2]);
      cls = p->breaks != NULL ? geo_classify_value (p->breaks, p->n_classes, p->values[i]) : -1;
      v[APP_STATS_COL_CLASS] = cls >= 0 ? cls + 1 : NAN;
      r = app_area_row_new (c->code, c->name, v, APP_STATS_N_COLS);
      g_list_store_append (rows, r);
    }
  app_area_table_set_rows (p->table, G_LIST_MODEL (rows));
  if (p->breaks == NULL)
    {
      gtk_label_set_text (p->breaks_label, error->message);
      app_choropleth_hide (p->window, OWNER);
      return;
    }
  g_string_append_printf (text,
                          _ ("%u classes (%s): "),
                          p->n_classes,
                          gtk_string_object_get_string (
                              GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (p->method))));
  for (guint i = 0; i <= p->n_classes; i++)
    {
      char buf[48];

      format_break (buf, sizeof buf, p->breaks[i], m);
      g_string_append_printf (text, i == 0 ? "%s" : " · %s", buf);
    }
  gtk_label_set_text (p->breaks_label, text->str);
  if (gtk_check_button_get_active (p->on_map))
    {
      GtkStringObject *measure = gtk_drop_down_get_selected_item (p->measure);
      GtkStringObject *cat = gtk_drop_down_get_selected_item (p->category);
      GtkStringObject *lvl = gtk_drop_down_get_selected_item (p->level);
      g_autofree char *title = g_strdup_printf ("%s · %s\n%s",
                                                gtk_string_object_get_string (measure),
                                                gtk_string_object_get_string (lvl),
                                                gtk_string_object_get_string (cat));

      app_choropleth_show (p->window,
                           OWNER,
                           title,
                           (const char *const *) codes->pdata,
                           p->values,
                           p->stats->n_areas,
                           p->breaks,
                           p->n_classes + 1,
                           m == APP_STATS_SHARE ? MAP_RAMP_PURPLES : MAP_RAMP_YL_OR_RD,
                           m == APP_STATS_SHARE ? "%.1f %%" : "%.0f",
                           m == APP_STATS_SHARE ? 100 : 1);
    }
  else
    app_choropleth_hide (p->window, OWNER);
}

/* ---- the worker ---- */

typedef struct
{
  char         *path;
  GeoAreaLevel  level;
  GeoAreaStats *stats;
  GeoAreaStats *pmks;
} Job;

static void
job_free (Job *j)
{
  g_free (j->path);
  g_clear_pointer (&j->stats, geo_area_stats_free);
  g_clear_pointer (&j->pmks, geo_area_stats_free);
  g_free (j);
}

static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (j->path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoFilter) any_category = geo_filter_new ();

  /* Every registered person (the rates' denominator and the per-category counts), then the
   * persons with at least one PMKS category. */
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    any_category->categories[any_category->n_categories++] = c;
  if (store == NULL ||
      (j->stats = geo_area_stats_compute (store, j->level, NULL, cancellable, &error)) == NULL ||
      (j->pmks = geo_area_stats_compute (store, j->level, any_category, cancellable, &error)) ==
          NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_assert (j->stats->n_areas == j->pmks->n_areas);
  g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GtkWidget *panel = data;
  Panel     *p = panel_of (panel);
  Job       *j = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GeoAreaStats *stats;

  if (p == NULL || g_task_get_cancellable (G_TASK (result)) != p->cancellable)
    {
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
  g_clear_pointer (&p->stats, geo_area_stats_free);
  g_clear_pointer (&p->pmks, geo_area_stats_free);
  p->stats = stats = g_steal_pointer (&j->stats);
  p->pmks = g_steal_pointer (&j->pmks);
  {
    g_autofree char *msg = g_strdup_printf (ngettext ("%u area, %u families counted.",
                                                      "%u areas, %u families counted.",
                                                      stats->n_areas),
                                            stats->n_areas,
                                            stats->total.families);

    set_busy (p, FALSE, msg);
  }
  refresh (p);
  g_object_unref (panel);
}

void
app_stats_panel_run (GtkWidget *panel)
{
  Panel      *p = panel_of (panel);
  AppProject *project;
  Job        *j;
  GTask      *task;

  g_return_if_fail (p != NULL);
  project = app_window_get_project (p->window);
  if (project == NULL)
    return;
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (project));
  j->level = chosen_level (p);
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  set_busy (p, TRUE, _ ("Counting per area…"));
  g_task_run_in_thread (task, job_run);
  g_object_unref (task);
}

static void
on_cancel (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
}

static void
on_option_changed (Panel *p)
{
  refresh (p);
}

static void
on_level_changed (Panel *p)
{
  /* Counts of the other level: recount when something was shown. */
  if (p->stats != NULL && p->stats->level != chosen_level (p))
    app_stats_panel_run (p->panel);
}

static void
on_export (Panel *p)
{
  g_autofree char *name = NULL;

  if (p->stats == NULL)
    return;
  name = g_strdup_printf ("statistik-%s.csv", geo_area_level_to_string (p->stats->level));
  app_area_table_export_dialog (p->table, name);
}

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel      *p = data;
  AppProject *project = app_window_get_project (window);
  g_autoptr(GtkStringList) cats = gtk_string_list_new (NULL);
  const guint *fam;
  guint        n = 0;

  g_cancellable_cancel (p->cancellable);
  g_clear_pointer (&p->stats, geo_area_stats_free);
  g_clear_pointer (&p->pmks, geo_area_stats_free);
  set_busy (p, FALSE, NULL);
  gtk_string_list_append (cats, _ ("All categories"));
  p->category_codes[n++] = 0;
  if (project != NULL)
    {
      fam = app_project_get_family_counts (project);
      for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
        if (fam[c] > 0)
          {
            gtk_string_list_append (cats, geo_pmks_get (c)->name);
            p->category_codes[n++] = c;
          }
    }
  g_signal_handlers_block_by_func (p->category, on_option_changed, p);
  gtk_drop_down_set_model (p->category, G_LIST_MODEL (cats));
  gtk_drop_down_set_selected (p->category, 0);
  g_signal_handlers_unblock_by_func (p->category, on_option_changed, p);
  refresh (p);
}

/* ---- public ---- */

GtkWidget *
app_stats_panel_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "stats-panel");
}

gboolean
app_stats_panel_get_busy (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL && p->busy;
}

const GeoAreaStats *
app_stats_panel_get_stats (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->stats : NULL;
}

GtkWidget *
app_stats_panel_get_table (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->table : NULL;
}

const double *
app_stats_panel_get_breaks (GtkWidget *panel, guint *n_classes)
{
  Panel *p = panel_of (panel);

  *n_classes = p != NULL ? p->n_classes : 0;
  return p != NULL ? p->breaks : NULL;
}

double
app_stats_panel_get_value (GtkWidget *panel, guint i)
{
  Panel *p = panel_of (panel);

  if (p == NULL || p->stats == NULL || p->values == NULL || i >= p->stats->n_areas)
    return NAN;
  return p->values[i];
}

void
app_stats_panel_attach (AppWindow *window)
{
  Panel            *p = g_new0 (Panel, 1);
  GtkWidget        *expander, *box, *grid, *hbox, *w;
  int               y = 0;
  const char *const levels[] = { _ ("Desa"), _ ("Kecamatan"), NULL };
  const char *const measures[] = {
    _ ("PMKS persons"), _ ("Families"), _ ("Share of registered persons"), NULL
  };
  const char *const methods[] = {
    _ ("Quantile"), _ ("Equal interval"), _ ("Natural breaks (Jenks)"), NULL
  };
  AppAreaColumn columns[APP_STATS_N_COLS] = {
    { _ ("PMKS persons"), "persons", APP_AREA_FORMAT_INT },
    { _ ("Families"), "families", APP_AREA_FORMAT_INT },
    { _ ("Share"), "share", APP_AREA_FORMAT_PERCENT },
    { _ ("Class"), "class", APP_AREA_FORMAT_INT },
  };

  p->window = window;
  p->cancellable = g_cancellable_new ();
  expander = gtk_expander_new (_ ("Per-area statistics"));
  gtk_widget_set_name (expander, "stats-panel");
  p->panel = expander;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_box_append (GTK_BOX (box), grid);
  p->level = GTK_DROP_DOWN (
      row (grid, y++, _ ("Areas"), gtk_drop_down_new_from_strings (levels), "stats-level"));
  p->category = GTK_DROP_DOWN (
      row (grid, y++, _ ("Category"), gtk_drop_down_new (NULL, NULL), "stats-category"));
  p->measure = GTK_DROP_DOWN (
      row (grid, y++, _ ("Value"), gtk_drop_down_new_from_strings (measures), "stats-measure"));
  p->method = GTK_DROP_DOWN (
      row (grid, y++, _ ("Classes"), gtk_drop_down_new_from_strings (methods), "stats-method"));
  gtk_drop_down_set_selected (p->method, GEO_CLASSIFY_JENKS);
  p->k = GTK_SPIN_BUTTON (row (grid,
                               y++,
                               _ ("Number of classes"),
                               gtk_spin_button_new_with_range (2, 9, 1),
                               "stats-k"));
  gtk_spin_button_set_value (p->k, 5);

  w = gtk_check_button_new_with_label (_ ("Show on the map"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (w), TRUE);
  gtk_widget_set_name (w, "stats-on-map");
  p->on_map = GTK_CHECK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  w = gtk_button_new_with_label (_ ("Calculate"));
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_widget_set_hexpand (w, TRUE);
  gtk_widget_set_name (w, "stats-run");
  label_widget (w, _ ("Calculate the statistics"));
  p->run_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Cancel"));
  gtk_widget_set_name (w, "stats-cancel");
  gtk_widget_set_visible (w, FALSE);
  label_widget (w, _ ("Cancel"));
  p->cancel_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  gtk_box_append (GTK_BOX (box), hbox);
  p->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (p->progress), FALSE);
  label_widget (GTK_WIDGET (p->progress), _ ("Progress"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->progress));
  p->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->status_label, TRUE);
  gtk_label_set_xalign (p->status_label, 0);
  gtk_widget_set_name (GTK_WIDGET (p->status_label), "stats-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status_label));
  p->breaks_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->breaks_label, TRUE);
  gtk_label_set_xalign (p->breaks_label, 0);
  gtk_label_set_selectable (p->breaks_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (p->breaks_label), "caption");
  gtk_widget_set_name (GTK_WIDGET (p->breaks_label), "stats-breaks");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->breaks_label));

  p->table = app_area_table_new (window,
                                 "stats-table",
                                 _ ("Statistics per area"),
                                 columns,
                                 APP_STATS_N_COLS);
  gtk_box_append (GTK_BOX (box), p->table);
  w = gtk_button_new_with_label (_ ("Export CSV…"));
  gtk_widget_set_name (w, "stats-export");
  label_widget (w, _ ("Export the table as CSV"));
  gtk_widget_set_sensitive (w, FALSE);
  p->export_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);

  g_object_set_data_full (G_OBJECT (expander), "stats-panel-state", p, (GDestroyNotify) panel_free);
  g_object_set_data (G_OBJECT (window), "stats-panel", expander);
  app_window_add_panel (window, expander);
  gtk_widget_set_visible (gtk_widget_get_parent (expander), TRUE);

  g_signal_connect_swapped (p->run_button, "clicked", G_CALLBACK (app_stats_panel_run), expander);
  g_signal_connect_swapped (p->cancel_button, "clicked", G_CALLBACK (on_cancel), p);
  g_signal_connect_swapped (p->export_button, "clicked", G_CALLBACK (on_export), p);
  g_signal_connect_swapped (p->level, "notify::selected", G_CALLBACK (on_level_changed), p);
  g_signal_connect_swapped (p->category, "notify::selected", G_CALLBACK (on_option_changed), p);
  g_signal_connect_swapped (p->measure, "notify::selected", G_CALLBACK (on_option_changed), p);
  g_signal_connect_swapped (p->method, "notify::selected", G_CALLBACK (on_option_changed), p);
  g_signal_connect_swapped (p->k, "value-changed", G_CALLBACK (on_option_changed), p);
  g_signal_connect_swapped (p->on_map, "toggled", G_CALLBACK (on_option_changed), p);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), p);
  on_project_changed (window, p);
}
