#include "config.h"

#include "app-underserved-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-choropleth.h"
#include "geo-areastats.h"
#include "geo-categories.h"

#define OWNER "underserved"

/* The worker's stages, shown by the progress bar (read by a timer on the main thread). */
enum
{
  STAGE_SELECTION,
  STAGE_RESOURCES,
  STAGE_SEARCH,
  N_STAGES
};

typedef struct
{
  AppWindow      *window; /* borrowed */
  GtkWidget      *panel;  /* borrowed: the expander */
  GCancellable   *cancellable;
  gboolean        busy;
  GeoUnderserved *result;
  GHashTable     *names; /* desa code -> name, of the result */
  int            *stage; /* shared with the running job (owned by the job) */
  guint           timer_id;
  int             category_codes[GEO_PMKS_N_CATEGORIES + 1];

  GtkDropDown    *category, *radius_mode;
  GtkSpinButton  *radius;
  GtkButton      *run_button, *cancel_button, *export_button;
  GtkCheckButton *on_map;
  GtkProgressBar *progress;
  GtkLabel       *status_label, *summary;
  GtkWidget      *table;
} Panel;

typedef struct
{
  char                *path;
  GeoFilter           *filter;
  GeoUnderservedParams params;
  gint                 stage;   /* atomic */
  double               seconds; /* the whole job: loading and search */
  GeoUnderserved      *result;
  GHashTable          *names;
} Job;

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "underserved-panel-state");
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
  g_clear_pointer (&j->filter, geo_filter_free);
  g_clear_pointer (&j->result, geo_underserved_free);
  g_clear_pointer (&j->names, g_hash_table_unref);
  g_free (j);
}

static void
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->result, geo_underserved_free);
  g_clear_pointer (&p->names, g_hash_table_unref);
  if (p->timer_id != 0)
    g_source_remove (p->timer_id);
  g_free (p);
}

static const char *
stage_text (int stage)
{
  switch (stage)
    {
    case STAGE_SELECTION:
      return _ ("Loading the persons…");
    case STAGE_RESOURCES:
      return _ ("Loading the resources…");
    default:
      return _ ("Searching for resources within reach…");
    }
}

static gboolean
tick (gpointer data)
{
  GtkWidget *panel = data;
  Panel     *p = panel_of (panel);
  Job       *j;
  int        stage;

  if (p == NULL || !p->busy)
    return G_SOURCE_CONTINUE;
  j = g_object_get_data (G_OBJECT (panel), "underserved-job");
  stage = j != NULL ? g_atomic_int_get (&j->stage) : 0;
  gtk_progress_bar_set_fraction (p->progress, (stage + 0.5) / N_STAGES);
  gtk_label_set_text (p->status_label, stage_text (stage));
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
  if (busy)
    gtk_progress_bar_set_fraction (p->progress, 0);
  if (busy && p->timer_id == 0)
    p->timer_id = g_timeout_add (100, tick, p->panel);
  if (!busy && p->timer_id != 0)
    {
      g_source_remove (p->timer_id);
      p->timer_id = 0;
    }
}

/* ---- showing the result ---- */

static void
show_result (Panel *p)
{
  g_autoptr(GListStore) rows = g_list_store_new (APP_TYPE_AREA_ROW);
  const GeoUnderserved *u = p->result;
  /* Fixed classes of 20 %: shares read the same from one run to the next. */
  static const double breaks[] = { 0, 0.2, 0.4, 0.6, 0.8, 1.0 };
  g_autofree double  *share = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (p->export_button), u != NULL);
  if (u == NULL)
    {
      app_area_table_set_rows (p->table, G_LIST_MODEL (rows));
      gtk_label_set_text (p->summary, "");
      app_choropleth_hide (p->window, OWNER);
      return;
    }
  share = g_new (double, MAX (u->n_desa, 1));
  for (guint d = 0; d < u->n_desa; d++)
    {
      double v[APP_UNDERSERVED_N_COLS];
      g_autoptr(AppAreaRow) r = NULL;

      v[APP_UNDERSERVED_COL_RANK] = u->rank[d];
      v[APP_UNDERSERVED_COL_PERSONS] = u->persons[d];
      v[APP_UNDERSERVED_COL_UNDERSERVED] = u->underserved[d];
      v[APP_UNDERSERVED_COL_SHARE] = u->share[d];
      v[APP_UNDERSERVED_COL_RESOURCES] = u->n_resources[d];
      v[APP_UNDERSERVED_COL_PER_RESOURCE] = u->persons_per_resource[d];
      /* A desa without PMKS persons has no share to speak of: no data on the map. */
      share[d] = u->persons[d] > 0 ? u->share[d] : NAN;
      r = app_area_row_new (u->kode_desa[d],
                            p->names != NULL ? g_hash_table_lookup (p->names, u->kode_desa[d])
                                             : NULL,
                            v,
                            APP_UNDERSERVED_N_COLS);
      g_list_store_append (rows, r);
    }
  app_area_table_set_rows (p->table, G_LIST_MODEL (rows));
  app_area_table_sort_by (p->table, APP_UNDERSERVED_COL_RANK, FALSE);
  {
    g_autofree char *text =
        g_strdup_printf (_ ("%u of %u PMKS persons (%.1f %%) have no serving resource within "
                            "reach; %u desa. "
                            "Rank 1 is the desa most in need."),
                         u->total_underserved,
                         u->total_persons,
                         u->total_persons > 0 ? 100.0 * u->total_underserved / u->total_persons
                                              : 0.0,
                         u->n_desa);

    gtk_label_set_text (p->summary, text);
  }
  if (!gtk_check_button_get_active (p->on_map))
    {
      app_choropleth_hide (p->window, OWNER);
      return;
    }
  app_choropleth_show (p->window,
                       OWNER,
                       _ ("Underserved PMKS persons, share per desa"),
                       (const char *const *) u->kode_desa,
                       share,
                       u->n_desa,
                       breaks,
                       G_N_ELEMENTS (breaks),
                       MAP_RAMP_YL_OR_RD,
                       "%.0f %%",
                       100);
}

/* ---- the worker ---- */

static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (j->path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GeoAreaIndex) desa = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  gint64 t0 = g_get_monotonic_time ();

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_atomic_int_set (&j->stage, STAGE_SELECTION);
  if ((sel = geo_selection_load (store, j->filter, cancellable, &error)) == NULL ||
      (desa = geo_area_index_load (store, GEO_AREA_DESA, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_atomic_int_set (&j->stage, STAGE_RESOURCES);
  if ((res = geo_resources_load (store, 0, &error)) == NULL ||
      (index = geo_resources_build_index (res, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  j->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < geo_area_index_get_n_areas (desa); i++)
    {
      const char *code = geo_area_index_get_code (desa, i);

      g_ptr_array_add (extra, (gpointer) code);
      g_hash_table_insert (j->names, g_strdup (code), g_strdup (geo_area_index_get_name (desa, i)));
    }
  g_atomic_int_set (&j->stage, STAGE_SEARCH);
  j->result = geo_underserved_compute (sel, res, index, &j->params, extra, cancellable, &error);
  j->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (j->result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GtkWidget *panel = data;
  Panel     *p = panel_of (panel);
  Job       *j = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (p == NULL || g_task_get_cancellable (G_TASK (result)) != p->cancellable)
    {
      g_object_unref (panel);
      return;
    }
  g_object_set_data (G_OBJECT (panel), "underserved-job", NULL);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_busy (p,
                FALSE,
                g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _ ("Cancelled.")
                                                                          : error->message);
      g_object_unref (panel);
      return;
    }
  g_clear_pointer (&p->result, geo_underserved_free);
  g_clear_pointer (&p->names, g_hash_table_unref);
  p->result = g_steal_pointer (&j->result);
  p->names = g_steal_pointer (&j->names);
  {
    g_autofree char *msg = g_strdup_printf (_ ("Done in %.2f s."), j->seconds);

    set_busy (p, FALSE, msg);
  }
  show_result (p);
  g_object_unref (panel);
}

void
app_underserved_panel_run (GtkWidget *panel)
{
  Panel      *p = panel_of (panel);
  AppProject *project;
  Job        *j;
  GTask      *task;
  guint       cat;

  g_return_if_fail (p != NULL);
  project = app_window_get_project (p->window);
  if (project == NULL)
    return;
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (project));
  j->filter = geo_filter_new ();
  j->params.default_radius_m = GEO_UNDERSERVED_DEFAULT_RADIUS_M;
  cat = gtk_drop_down_get_selected (p->category);
  if (cat > 0 && cat < G_N_ELEMENTS (p->category_codes) && p->category_codes[cat] > 0)
    {
      g_autofree char *code = g_strdup_printf ("%d", p->category_codes[cat]);

      geo_filter_add_category (j->filter, code, NULL);
      j->params.category_mask = GEO_CATEGORY_BIT (p->category_codes[cat]);
    }
  if (gtk_drop_down_get_selected (p->radius_mode) == 1)
    j->params.radius_m = gtk_spin_button_get_value (p->radius);
  else
    j->params.default_radius_m = gtk_spin_button_get_value (p->radius);
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  /* Borrowed by the progress timer while the task (which owns the job) runs. */
  g_object_set_data (G_OBJECT (p->panel), "underserved-job", j);
  set_busy (p, TRUE, stage_text (STAGE_SELECTION));
  g_task_run_in_thread (task, job_run);
  g_object_unref (task);
}

static void
on_cancel (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
}

static void
on_export (Panel *p)
{
  if (p->result != NULL)
    app_area_table_export_dialog (p->table, "desa-kurang-terlayani.csv");
}

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel      *p = data;
  AppProject *project = app_window_get_project (window);
  g_autoptr(GtkStringList) cats = gtk_string_list_new (NULL);
  guint n = 0;

  g_cancellable_cancel (p->cancellable);
  g_object_set_data (G_OBJECT (p->panel), "underserved-job", NULL);
  g_clear_pointer (&p->result, geo_underserved_free);
  g_clear_pointer (&p->names, g_hash_table_unref);
  set_busy (p, FALSE, NULL);
  gtk_string_list_append (cats, _ ("All categories"));
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
  show_result (p);
}

/* ---- public ---- */

GtkWidget *
app_underserved_panel_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "underserved-panel");
}

gboolean
app_underserved_panel_get_busy (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL && p->busy;
}

const GeoUnderserved *
app_underserved_panel_get_result (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->result : NULL;
}

GtkWidget *
app_underserved_panel_get_table (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->table : NULL;
}

void
app_underserved_panel_attach (AppWindow *window)
{
  Panel            *p = g_new0 (Panel, 1);
  GtkWidget        *expander, *box, *grid, *hbox, *w;
  int               y = 0;
  const char *const modes[] = { _ ("Resources without their own radius"),
                                _ ("Every resource"),
                                NULL };
  AppAreaColumn     columns[APP_UNDERSERVED_N_COLS] = {
        { _ ("Rank"), "rank", APP_AREA_FORMAT_INT },
        { _ ("PMKS persons"), "persons", APP_AREA_FORMAT_INT },
        { _ ("Underserved"), "underserved", APP_AREA_FORMAT_INT },
        { _ ("Share"), "share", APP_AREA_FORMAT_PERCENT },
        { _ ("Resources"), "resources", APP_AREA_FORMAT_INT },
        { _ ("Persons per resource"), "persons_per_resource", APP_AREA_FORMAT_REAL },
  };

  p->window = window;
  p->cancellable = g_cancellable_new ();
  expander = gtk_expander_new (_ ("Underserved areas"));
  gtk_widget_set_name (expander, "underserved-panel");
  p->panel = expander;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_box_append (GTK_BOX (box), grid);
  p->category = GTK_DROP_DOWN (
      row (grid, y++, _ ("Category"), gtk_drop_down_new (NULL, NULL), "underserved-category"));
  p->radius = GTK_SPIN_BUTTON (row (grid,
                                    y++,
                                    _ ("Service radius (m)"),
                                    gtk_spin_button_new_with_range (100, 100000, 100),
                                    "underserved-radius"));
  gtk_spin_button_set_value (p->radius, GEO_UNDERSERVED_DEFAULT_RADIUS_M);
  p->radius_mode = GTK_DROP_DOWN (row (grid,
                                       y++,
                                       _ ("Radius applies to"),
                                       gtk_drop_down_new_from_strings (modes),
                                       "underserved-radius-mode"));

  w = gtk_check_button_new_with_label (_ ("Show on the map"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (w), TRUE);
  gtk_widget_set_name (w, "underserved-on-map");
  p->on_map = GTK_CHECK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  w = gtk_button_new_with_label (_ ("Find underserved areas"));
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_widget_set_hexpand (w, TRUE);
  gtk_widget_set_name (w, "underserved-run");
  label_widget (w, _ ("Find underserved areas"));
  p->run_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Cancel"));
  gtk_widget_set_name (w, "underserved-cancel");
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
  gtk_widget_set_name (GTK_WIDGET (p->status_label), "underserved-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status_label));
  p->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->summary, TRUE);
  gtk_label_set_xalign (p->summary, 0);
  gtk_widget_set_name (GTK_WIDGET (p->summary), "underserved-summary");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->summary));

  p->table = app_area_table_new (window,
                                 "underserved-table",
                                 _ ("Desa ranked by need"),
                                 columns,
                                 APP_UNDERSERVED_N_COLS);
  gtk_box_append (GTK_BOX (box), p->table);
  w = gtk_button_new_with_label (_ ("Export CSV…"));
  gtk_widget_set_name (w, "underserved-export");
  label_widget (w, _ ("Export the table as CSV"));
  gtk_widget_set_sensitive (w, FALSE);
  p->export_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);

  g_object_set_data_full (G_OBJECT (expander),
                          "underserved-panel-state",
                          p,
                          (GDestroyNotify) panel_free);
  g_object_set_data (G_OBJECT (window), "underserved-panel", expander);
  app_window_add_panel (window, expander);
  gtk_widget_set_visible (gtk_widget_get_parent (expander), TRUE);

  g_signal_connect_swapped (p->run_button,
                            "clicked",
                            G_CALLBACK (app_underserved_panel_run),
                            expander);
  g_signal_connect_swapped (p->cancel_button, "clicked", G_CALLBACK (on_cancel), p);
  g_signal_connect_swapped (p->export_button, "clicked", G_CALLBACK (on_export), p);
  g_signal_connect_swapped (p->on_map, "toggled", G_CALLBACK (show_result), p);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), p);
  on_project_changed (window, p);
}
