#include "config.h"

#include "app-hotspot-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-analysis-common.h"
#include "geo-grid.h"

#define N_TOP 10

/* ---- one row of the table of the hottest units ---- */

#define APP_TYPE_HOTSPOT_ROW (app_hotspot_row_get_type ())
G_DECLARE_FINAL_TYPE (AppHotspotRow, app_hotspot_row, APP, HOTSPOT_ROW, GObject)

struct _AppHotspotRow
{
  GObject parent_instance;
  char   *unit;
  double  count, z;
  gint8   klass;
};

G_DEFINE_FINAL_TYPE (AppHotspotRow, app_hotspot_row, G_TYPE_OBJECT)

static void
app_hotspot_row_finalize (GObject *object)
{
  g_free (APP_HOTSPOT_ROW (object)->unit);
  G_OBJECT_CLASS (app_hotspot_row_parent_class)->finalize (object);
}

static void
app_hotspot_row_class_init (AppHotspotRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = app_hotspot_row_finalize;
}

static void
app_hotspot_row_init (AppHotspotRow *self)
{
}

static AppHotspotRow *
row_new (char *unit, double count, double z, gint8 klass)
{
  AppHotspotRow *r = g_object_new (APP_TYPE_HOTSPOT_ROW, NULL);

  r->unit = unit;
  r->count = count;
  r->z = z;
  r->klass = klass;
  return r;
}

/* ---- panel state, attached to the expander as "hotspot-panel-state" ---- */

typedef struct Job Job;

typedef struct
{
  AppWindow       *window; /* borrowed */
  GtkWidget       *panel;  /* borrowed: the expander */
  MapHotspotLayer *layer;  /* borrowed: lives in the map */
  GCancellable    *cancellable;
  Job             *running; /* borrowed from the task while busy */
  guint            poll_id;
  gboolean         busy;
  GeoHotspotGrid  *grid;
  GeoHotspotAreas *areas;
  int              codes[APP_ANALYSIS_N_CHOICES];

  GtkDropDown    *category, *units, *rate;
  GtkSpinButton  *cell, *band;
  GtkSwitch      *fdr;
  GtkCheckButton *families;
  GtkButton      *run_button, *cancel_button;
  GtkProgressBar *progress;
  GtkLabel       *status_label, *summary;
  GtkLabel       *class_counts[7];
  GtkWidget      *result_box;
  GListStore     *top;
  GtkCheckButton *show;
} Panel;

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "hotspot-panel-state");
}

static void
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->grid, geo_hotspot_grid_free);
  g_clear_pointer (&p->areas, geo_hotspot_areas_free);
  if (p->poll_id != 0)
    g_source_remove (p->poll_id);
  g_clear_object (&p->top);
  g_free (p);
}

/* ---- the worker: selection and Gi* on its own connection ---- */

struct Job
{
  char                 *path;
  GeoFilter            *filter;
  gboolean              by_desa, families;
  GeoHotspotGridOptions grid_opts;
  GeoHotspotAreaOptions area_opts;
  AppAnalysisProgress   progress;
  /* results */
  guint             n_selected; /* persons or families */
  GeoHotspotGrid   *grid;
  GeoHotspotAreas  *areas;
  MapHotspotShapes *layer_shapes; /* what the layer draws, projected here */
  GPtrArray        *top;          /* AppHotspotRow, hottest first */
};

static void
job_free (Job *j)
{
  g_free (j->path);
  g_clear_pointer (&j->filter, geo_filter_free);
  g_clear_pointer (&j->grid, geo_hotspot_grid_free);
  g_clear_pointer (&j->areas, geo_hotspot_areas_free);
  g_clear_pointer (&j->layer_shapes, map_hotspot_shapes_free);
  g_clear_pointer (&j->top, g_ptr_array_unref);
  g_free (j);
}

static int
by_z_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *z = data;
  double        za = z[*(const guint *) a], zb = z[*(const guint *) b];

  return za < zb ? 1 : za > zb ? -1 : 0;
}

/* The N_TOP units with the highest z, hot ones only (a table of cold units leading would
 * mislead). */
static GArray *
hottest (const double *z, const gint8 *klass, gsize n)
{
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint));

  for (gsize i = 0; i < n; i++)
    if (klass[i] > 0 && klass[i] != GEO_HOTSPOT_NO_DATA)
      {
        guint k = (guint) i;

        g_array_append_val (idx, k);
      }
  g_array_sort_with_data (idx, by_z_desc, (gpointer) z);
  if (idx->len > N_TOP)
    g_array_set_size (idx, N_TOP);
  return idx;
}

static gboolean
fill_top (Job *j, GError **error)
{
  g_autoptr(GArray) idx = NULL;

  j->top = g_ptr_array_new_with_free_func (g_object_unref);
  if (j->grid != NULL)
    {
      const GeoHotspotGrid *g = j->grid;
      double                x[N_TOP], y[N_TOP];

      idx = hottest (g->z, g->klass, g->n_cells);
      for (guint k = 0; k < idx->len; k++)
        {
          guint i = g_array_index (idx, guint, k);

          x[k] = g->x0 + (i % g->nx + 0.5) * g->cell_m;
          y[k] = g->y0 + (i / g->nx + 0.5) * g->cell_m;
        }
      if (!geo_grid_transform (g->epsg, 4326, x, y, idx->len, error))
        return FALSE;
      for (guint k = 0; k < idx->len; k++)
        {
          guint i = g_array_index (idx, guint, k);

          g_ptr_array_add (j->top,
                           row_new (g_strdup_printf ("%.4f, %.4f", x[k], y[k]),
                                    g->count[i],
                                    g->z[i],
                                    g->klass[i]));
        }
    }
  else
    {
      const GeoHotspotAreas *a = j->areas;

      idx = hottest (a->z, a->klass, a->n);
      for (guint k = 0; k < idx->len; k++)
        {
          guint i = g_array_index (idx, guint, k);

          g_ptr_array_add (j->top,
                           row_new (g_strdup (a->name[i] != NULL ? a->name[i] : a->code[i]),
                                    a->value[i],
                                    a->z[i],
                                    a->klass[i]));
        }
    }
  return TRUE;
}

static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoSelection) sel = NULL;

  app_analysis_progress_stage (&j->progress, 0.02, 0);
  store = geo_store_open (j->path, GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  app_analysis_progress_stage (&j->progress, 0.05, 0);
  sel = geo_selection_load (store, j->filter, cancellable, &error);
  if (sel == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  j->n_selected = j->families ? sel->n_families : sel->n_persons;
  app_analysis_progress_stage (&j->progress, 0.35, 0.6);
  if (!j->by_desa)
    {
      g_autofree double *w = geo_selection_family_weights (sel, j->families);

      j->grid_opts.progress = app_analysis_progress_report;
      j->grid_opts.progress_data = &j->progress;
      j->grid = geo_hotspot_grid (sel->lon,
                                  sel->lat,
                                  w,
                                  sel->n_families,
                                  &j->grid_opts,
                                  cancellable,
                                  &error);
      if (j->grid == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      j->areas = geo_hotspot_areas (store,
                                    sel,
                                    j->filter,
                                    j->families,
                                    &j->area_opts,
                                    cancellable,
                                    &error);
      if (j->areas == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_autoptr(GeoAreaShapes) shapes = NULL;

      app_analysis_progress_stage (&j->progress, 0.9, 0);
      shapes = geo_area_shapes_load (store, cancellable, &error);
      if (shapes == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      j->layer_shapes =
          map_hotspot_shapes_new_areas (shapes, j->areas->code, j->areas->klass, j->areas->n);
    }
  if (j->grid != NULL)
    {
      app_analysis_progress_stage (&j->progress, 0.95, 0);
      j->layer_shapes = map_hotspot_shapes_new_grid (j->grid, &error);
      if (j->layer_shapes == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  app_analysis_progress_stage (&j->progress, 0.97, 0);
  if (!fill_top (j, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
set_busy (Panel *p, gboolean busy, const char *message)
{
  p->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (p->run_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (p->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (p->progress), busy);
  gtk_progress_bar_set_fraction (p->progress, 0);
  gtk_label_set_text (p->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (p->status_label), message != NULL && *message != '\0');
  if (!busy)
    {
      p->running = NULL;
      if (p->poll_id != 0)
        {
          g_source_remove (p->poll_id);
          p->poll_id = 0;
        }
    }
}

static gboolean
poll_progress (gpointer data)
{
  Panel *p = data;

  if (p->running != NULL)
    gtk_progress_bar_set_fraction (p->progress, app_analysis_progress_get (&p->running->progress));
  return G_SOURCE_CONTINUE;
}

static const char *
class_label (int klass)
{
  switch (klass)
    {
    case GEO_HOTSPOT_HOT_99:
      return _ ("Hot spot, 99 % confidence");
    case GEO_HOTSPOT_HOT_95:
      return _ ("Hot spot, 95 % confidence");
    case GEO_HOTSPOT_HOT_90:
      return _ ("Hot spot, 90 % confidence");
    case GEO_HOTSPOT_NOT_SIGNIFICANT:
      return _ ("Not significant");
    case GEO_HOTSPOT_COLD_90:
      return _ ("Cold spot, 90 % confidence");
    case GEO_HOTSPOT_COLD_95:
      return _ ("Cold spot, 95 % confidence");
    case GEO_HOTSPOT_COLD_99:
      return _ ("Cold spot, 99 % confidence");
    default:
      return _ ("No data");
    }
}

static const char *
class_short (int klass)
{
  switch (klass)
    {
    case GEO_HOTSPOT_HOT_99:
      return _ ("Hot 99 %");
    case GEO_HOTSPOT_HOT_95:
      return _ ("Hot 95 %");
    case GEO_HOTSPOT_HOT_90:
      return _ ("Hot 90 %");
    case GEO_HOTSPOT_COLD_90:
      return _ ("Cold 90 %");
    case GEO_HOTSPOT_COLD_95:
      return _ ("Cold 95 %");
    case GEO_HOTSPOT_COLD_99:
      return _ ("Cold 99 %");
    case GEO_HOTSPOT_NOT_SIGNIFICANT:
      return _ ("Not significant");
    default:
      return _ ("No data");
    }
}

static void
show_result (Panel *p, guint n_selected)
{
  MapHotspotLayer *l = p->layer;
  guint            hot = 0, cold = 0;
  g_autofree char *summary = NULL;

  for (int k = GEO_HOTSPOT_COLD_99; k <= GEO_HOTSPOT_HOT_99; k++)
    {
      guint            c = map_hotspot_layer_get_class_count (l, (GeoHotspotClass) k);
      g_autofree char *s = g_strdup_printf ("%u", c);

      gtk_label_set_text (p->class_counts[3 - k], s);
      if (k > 0)
        hot += c;
      else if (k < 0)
        cold += c;
    }
  if (p->grid != NULL)
    summary = g_strdup_printf (_ ("%u cells of %.0f m (%u × %u, EPSG:%d), band %.0f m; "
                                  "%u hot and %u cold cells; %u counted."),
                               map_hotspot_layer_get_n_units (l),
                               p->grid->cell_m,
                               p->grid->nx,
                               p->grid->ny,
                               p->grid->epsg,
                               p->grid->band_m,
                               hot,
                               cold,
                               n_selected);
  else if (p->areas != NULL)
    {
      guint no_data = map_hotspot_layer_get_class_count (l, GEO_HOTSPOT_NO_DATA);

      summary = g_strdup_printf (_ ("%u desa; %u hot and %u cold, %u without data; %u counted."),
                                 map_hotspot_layer_get_n_units (l),
                                 hot,
                                 cold,
                                 no_data,
                                 n_selected);
    }
  gtk_label_set_text (p->summary, summary != NULL ? summary : "");
  gtk_widget_set_visible (p->result_box, summary != NULL);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GtkWidget *panel = data;
  Panel     *p = panel_of (panel);
  Job       *j = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (p == NULL || gtk_widget_get_root (panel) == NULL ||
      g_task_get_cancellable (G_TASK (result)) != p->cancellable)
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
  g_clear_pointer (&p->grid, geo_hotspot_grid_free);
  g_clear_pointer (&p->areas, geo_hotspot_areas_free);
  p->grid = g_steal_pointer (&j->grid);
  p->areas = g_steal_pointer (&j->areas);
  map_hotspot_layer_set_shapes (p->layer, g_steal_pointer (&j->layer_shapes));
  g_list_store_splice (p->top,
                       0,
                       g_list_model_get_n_items (G_LIST_MODEL (p->top)),
                       j->top->pdata,
                       j->top->len);
  gtk_widget_set_visible (GTK_WIDGET (p->layer), gtk_check_button_get_active (p->show));
  set_busy (p, FALSE, NULL);
  show_result (p, j->n_selected);
  g_object_unref (panel);
}

static void
on_run (Panel *p)
{
  AppProject *project = app_window_get_project (p->window);
  Job        *j;
  GTask      *task;
  g_autoptr(GError) error = NULL;

  if (project == NULL || p->busy)
    return;
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (project));
  j->filter = app_analysis_make_filter (p->window, p->category, p->codes, &error);
  if (j->filter == NULL)
    {
      set_busy (p, FALSE, error->message);
      job_free (j);
      return;
    }
  j->by_desa = gtk_drop_down_get_selected (p->units) == 1;
  j->families = gtk_check_button_get_active (p->families);
  j->grid_opts.cell_m = gtk_spin_button_get_value (p->cell);
  j->grid_opts.band_m = gtk_spin_button_get_value (p->band);
  j->grid_opts.fdr = gtk_switch_get_active (p->fdr);
  j->area_opts.rate = (GeoHotspotRate) gtk_drop_down_get_selected (p->rate);
  j->area_opts.weights = GEO_HOTSPOT_WEIGHTS_CONTIGUITY;
  j->area_opts.tolerance_m = GEO_HOTSPOT_DEFAULT_TOLERANCE_M;
  j->area_opts.fdr = j->grid_opts.fdr;

  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  set_busy (p, TRUE, _ ("Computing Gi*…"));
  p->running = j;
  p->poll_id = g_timeout_add (100, poll_progress, p);
  g_task_run_in_thread (task, job_run);
  g_object_unref (task);
}

static void
on_cancel (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
}

static void
on_units_changed (Panel *p)
{
  gboolean desa = gtk_drop_down_get_selected (p->units) == 1;

  gtk_widget_set_sensitive (GTK_WIDGET (p->cell), !desa);
  gtk_widget_set_sensitive (GTK_WIDGET (p->band), !desa);
  gtk_widget_set_sensitive (GTK_WIDGET (p->rate), desa);
}

static void
on_show_toggled (Panel *p)
{
  gtk_widget_set_visible (GTK_WIDGET (p->layer), gtk_check_button_get_active (p->show));
}

/* ---- project changes ---- */

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel *p = data;

  g_cancellable_cancel (p->cancellable);
  set_busy (p, FALSE, NULL);
  g_clear_pointer (&p->grid, geo_hotspot_grid_free);
  g_clear_pointer (&p->areas, geo_hotspot_areas_free);
  map_hotspot_layer_clear (p->layer);
  g_list_store_remove_all (p->top);
  show_result (p, 0);
  app_analysis_fill_categories (p->category, app_window_get_project (window), p->codes);
}

/* ---- export ---- */

gboolean
app_hotspot_panel_export_to (GtkWidget *panel, const char *path, GError **error)
{
  Panel *p = panel_of (panel);

  g_return_val_if_fail (p != NULL, FALSE);
  if (p->grid != NULL)
    return geo_hotspot_grid_write (p->grid, path, error);
  if (p->areas != NULL)
    return geo_hotspot_areas_write (p->areas, path, error);
  g_set_error_literal (error,
                       G_IO_ERROR,
                       G_IO_ERROR_NOT_INITIALIZED,
                       _ ("Run the analysis first."));
  return FALSE;
}

static void
on_export (GtkButton *button, gpointer data)
{
  Panel           *p = data;
  const char      *ext = g_object_get_data (G_OBJECT (button), "ext");
  g_autofree char *name = NULL;

  if (p->grid == NULL && p->areas == NULL)
    {
      app_window_toast (p->window, _ ("Run the analysis first."));
      return;
    }
  name = g_strdup_printf ("%s.%s", p->grid != NULL ? "hotspot-grid" : "hotspot-desa", ext);
  app_analysis_save_dialog (p->window,
                            p->panel,
                            _ ("Export the hotspots"),
                            name,
                            app_hotspot_panel_export_to);
}

/* ---- columns of the table ---- */

static void
setup_label (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *l = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (l), GPOINTER_TO_INT (data) == 0 ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, l);
}

static void
bind_label (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  AppHotspotRow   *r = gtk_list_item_get_item (item);
  GtkWidget       *l = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (data))
    {
    case 0:
      text = g_strdup (r->unit);
      break;
    case 1:
      text =
          g_strdup_printf (fabs (r->count - round (r->count)) < 1e-9 ? "%.0f" : "%.1f", r->count);
      break;
    case 2:
      text = g_strdup_printf ("%.2f", r->z);
      break;
    default:
      text = g_strdup (class_short (r->klass));
      break;
    }
  gtk_label_set_text (GTK_LABEL (l), text);
}

static GtkWidget *
make_table (Panel *p)
{
  GtkWidget *view = gtk_column_view_new (
      GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (p->top)))));
  const char *titles[] = { N_ ("Cell centre / desa"), N_ ("Value"), N_ ("z"), N_ ("Class") };

  for (int c = 0; c < 4; c++)
    {
      GtkListItemFactory  *f = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *col;

      g_signal_connect (f, "setup", G_CALLBACK (setup_label), GINT_TO_POINTER (c));
      g_signal_connect (f, "bind", G_CALLBACK (bind_label), GINT_TO_POINTER (c));
      col = gtk_column_view_column_new (_ (titles[c]), f);
      gtk_column_view_column_set_expand (col, c == 0);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), col);
      g_object_unref (col);
    }
  gtk_widget_set_name (view, "hotspot-top");
  app_analysis_label (view, _ ("Hottest cells or desa"));
  gtk_widget_add_css_class (view, "data-table");
  return view;
}

/* ---- legend swatches ---- */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int w, int h, gpointer data)
{
  GdkRGBA rgba;

  map_hotspot_class_rgba ((GeoHotspotClass) GPOINTER_TO_INT (data), &rgba);
  cairo_rectangle (cr, 0.5, 0.5, w - 1, h - 1);
  if (rgba.alpha > 0)
    {
      gdk_cairo_set_source_rgba (cr, &rgba);
      cairo_fill_preserve (cr);
    }
  cairo_set_source_rgba (cr, 0.4, 0.4, 0.4, 0.8);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static GtkWidget *
make_legend (Panel *p)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_name (grid, "hotspot-legend");
  for (int k = GEO_HOTSPOT_HOT_99, y = 0; k >= GEO_HOTSPOT_COLD_99; k--, y++)
    {
      GtkWidget *sw = gtk_drawing_area_new ();
      GtkWidget *l = gtk_label_new (class_label (k));
      GtkWidget *n = gtk_label_new ("0");

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (sw), 18);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (sw), 14);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (sw),
                                      draw_swatch,
                                      GINT_TO_POINTER (k),
                                      NULL);
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_widget_set_hexpand (l, TRUE);
      gtk_label_set_xalign (GTK_LABEL (n), 1);
      gtk_widget_add_css_class (n, "numeric");
      {
        g_autofree char *name =
            g_strdup_printf ("hotspot-count-%s", geo_hotspot_class_to_string ((GeoHotspotClass) k));

        gtk_widget_set_name (n, name);
      }
      p->class_counts[3 - k] = GTK_LABEL (n);
      gtk_grid_attach (GTK_GRID (grid), sw, 0, y, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), l, 1, y, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), n, 2, y, 1, 1);
    }
  return grid;
}

/* ---- public ---- */

void
app_hotspot_panel_attach (AppWindow *window)
{
  Panel      *p = g_new0 (Panel, 1);
  GtkWidget  *expander, *box, *grid, *hbox, *w;
  int         y = 0;
  const char *units[] = { _ ("Grid cells"), _ ("Desa"), NULL };
  const char *rates[] = {
    _ ("Count"), _ ("Per 1,000 families"), _ ("Per 1,000 inhabitants"), NULL
  };

  p->window = window;
  p->cancellable = g_cancellable_new ();
  p->top = g_list_store_new (APP_TYPE_HOTSPOT_ROW);

  expander = gtk_expander_new (_ ("Hotspots (Gi*)"));
  gtk_widget_set_name (expander, "hotspot-panel");
  p->panel = expander;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_box_append (GTK_BOX (box), grid);
  p->category = GTK_DROP_DOWN (app_analysis_row (grid,
                                                 y++,
                                                 _ ("Persons"),
                                                 app_analysis_category_dropdown (),
                                                 "hotspot-category"));
  p->units = GTK_DROP_DOWN (app_analysis_row (grid,
                                              y++,
                                              _ ("Units"),
                                              gtk_drop_down_new_from_strings (units),
                                              "hotspot-units"));
  p->cell = GTK_SPIN_BUTTON (
      app_analysis_row (grid,
                        y++,
                        _ ("Cell size (m)"),
                        GTK_WIDGET (app_analysis_spin (50, 20000, 50, GEO_HOTSPOT_DEFAULT_CELL_M)),
                        "hotspot-cell"));
  p->band = GTK_SPIN_BUTTON (
      app_analysis_row (grid,
                        y++,
                        _ ("Distance band (m)"),
                        GTK_WIDGET (app_analysis_spin (0, 50000, 100, GEO_HOTSPOT_DEFAULT_BAND_M)),
                        "hotspot-band"));
  p->rate = GTK_DROP_DOWN (app_analysis_row (grid,
                                             y++,
                                             _ ("Desa value"),
                                             gtk_drop_down_new_from_strings (rates),
                                             "hotspot-rate"));
  w = gtk_switch_new ();
  gtk_widget_set_halign (w, GTK_ALIGN_START);
  p->fdr = GTK_SWITCH (
      app_analysis_row (grid, y++, _ ("False discovery rate correction"), w, "hotspot-fdr"));
  gtk_widget_set_hexpand (w, FALSE);
  w = gtk_check_button_new_with_label (_ ("Count families instead of persons"));
  gtk_widget_set_name (w, "hotspot-families");
  p->families = GTK_CHECK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);
  on_units_changed (p);
  g_signal_connect_swapped (p->units, "notify::selected", G_CALLBACK (on_units_changed), p);

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  w = gtk_button_new_with_label (_ ("Run"));
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_widget_set_name (w, "hotspot-run");
  gtk_widget_set_hexpand (w, TRUE);
  app_analysis_label (w, _ ("Run the hotspot analysis"));
  p->run_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Cancel"));
  gtk_widget_set_name (w, "hotspot-cancel");
  gtk_widget_set_visible (w, FALSE);
  app_analysis_label (w, _ ("Cancel the hotspot analysis"));
  p->cancel_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  gtk_box_append (GTK_BOX (box), hbox);
  p->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_name (GTK_WIDGET (p->progress), "hotspot-progress");
  gtk_widget_set_visible (GTK_WIDGET (p->progress), FALSE);
  app_analysis_label (GTK_WIDGET (p->progress), _ ("Hotspot analysis progress"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->progress));
  p->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->status_label, TRUE);
  gtk_label_set_xalign (p->status_label, 0);
  gtk_widget_set_visible (GTK_WIDGET (p->status_label), FALSE);
  gtk_widget_set_name (GTK_WIDGET (p->status_label), "hotspot-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status_label));
  g_signal_connect_swapped (p->run_button, "clicked", G_CALLBACK (on_run), p);
  g_signal_connect_swapped (p->cancel_button, "clicked", G_CALLBACK (on_cancel), p);

  /* The result: summary, legend with counts, the hottest units, export. */
  p->result_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_visible (p->result_box, FALSE);
  gtk_box_append (GTK_BOX (box), p->result_box);
  p->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->summary, TRUE);
  gtk_label_set_xalign (p->summary, 0);
  gtk_widget_set_name (GTK_WIDGET (p->summary), "hotspot-summary");
  gtk_box_append (GTK_BOX (p->result_box), GTK_WIDGET (p->summary));
  w = gtk_check_button_new_with_label (_ ("Show on the map"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (w), TRUE);
  gtk_widget_set_name (w, "hotspot-show");
  p->show = GTK_CHECK_BUTTON (w);
  g_signal_connect_swapped (w, "toggled", G_CALLBACK (on_show_toggled), p);
  gtk_box_append (GTK_BOX (p->result_box), w);
  gtk_box_append (GTK_BOX (p->result_box), app_analysis_heading (_ ("Legend")));
  gtk_box_append (GTK_BOX (p->result_box), make_legend (p));
  gtk_box_append (GTK_BOX (p->result_box), app_analysis_heading (_ ("Hottest")));
  gtk_box_append (GTK_BOX (p->result_box), make_table (p));
  gtk_box_append (GTK_BOX (p->result_box), app_analysis_heading (_ ("Export")));
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_set_homogeneous (GTK_BOX (hbox), TRUE);
  {
    const char *const exts[] = { "gpkg", "geojson", "csv" };
    const char *const labels[] = { "GeoPackage", "GeoJSON", "CSV" };

    for (guint k = 0; k < G_N_ELEMENTS (exts); k++)
      {
        g_autofree char *name = g_strdup_printf ("hotspot-export-%s", exts[k]);
        g_autofree char *a11y = g_strdup_printf (_ ("Export the hotspots as %s"), labels[k]);

        w = gtk_button_new_with_label (labels[k]);
        gtk_widget_set_name (w, name);
        app_analysis_label (w, a11y);
        g_object_set_data (G_OBJECT (w), "ext", (gpointer) exts[k]);
        g_signal_connect (w, "clicked", G_CALLBACK (on_export), p);
        gtk_box_append (GTK_BOX (hbox), w);
      }
  }
  gtk_box_append (GTK_BOX (p->result_box), hbox);

  g_object_set_data_full (G_OBJECT (expander),
                          "hotspot-panel-state",
                          p,
                          (GDestroyNotify) panel_free);
  g_object_set_data (G_OBJECT (window), "hotspot-panel", expander);
  app_window_add_panel (window, expander);
  gtk_widget_set_visible (gtk_widget_get_parent (expander), TRUE);

  p->layer = map_hotspot_layer_new (app_window_get_viewport (window));
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->layer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Hotspots (Gi*)"),
                                  -1);
  app_window_add_map_layer (window, SHUMATE_LAYER (p->layer), TRUE);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), p);
  app_analysis_fill_categories (p->category, app_window_get_project (window), p->codes);
}

GtkWidget *
app_hotspot_panel_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "hotspot-panel");
}

gboolean
app_hotspot_panel_get_busy (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL && p->busy;
}

MapHotspotLayer *
app_hotspot_panel_get_layer (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->layer : NULL;
}

const GeoHotspotGrid *
app_hotspot_panel_get_grid (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->grid : NULL;
}

const GeoHotspotAreas *
app_hotspot_panel_get_areas (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->areas : NULL;
}
