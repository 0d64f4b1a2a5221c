#include "config.h"

#include "app-density-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-analysis-common.h"
#include "geo-hotspot.h"

typedef struct Job Job;

/* Panel state, attached to the expander as "density-panel-state". */
typedef struct
{
  AppWindow        *window; /* borrowed */
  GtkWidget        *panel;  /* borrowed: the expander */
  MapHeatLayer     *layer;  /* borrowed: lives in the map */
  GCancellable     *cancellable;
  Job              *running; /* borrowed from the task while busy */
  guint             poll_id;
  gboolean          busy;
  GeoDensityRaster *raster;
  int               codes[APP_ANALYSIS_N_CHOICES];

  GtkDropDown    *category;
  GtkSpinButton  *radius, *pixel;
  GtkCheckButton *families, *show;
  GtkButton      *run_button, *cancel_button;
  GtkProgressBar *progress;
  GtkLabel       *status_label, *summary, *max_label, *mid_label;
  GtkWidget      *result_box;
} Panel;

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "density-panel-state");
}

static void
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->raster, geo_density_raster_free);
  if (p->poll_id != 0)
    g_source_remove (p->poll_id);
  g_free (p);
}

/* ---- the worker ---- */

struct Job
{
  char               *path;
  GeoFilter          *filter;
  gboolean            families;
  double              radius_m, pixel_m;
  AppAnalysisProgress progress;
  GeoDensityRaster   *raster;
  MapHeatImage       *image; /* the raster resampled and coloured for the layer */
};

static void
job_free (Job *j)
{
  g_free (j->path);
  g_clear_pointer (&j->filter, geo_filter_free);
  g_clear_pointer (&j->raster, geo_density_raster_free);
  g_clear_pointer (&j->image, map_heat_image_free);
  g_free (j);
}

static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoSelection) sel = NULL;
  g_autofree double *w = NULL;

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
  app_analysis_progress_stage (&j->progress, 0.35, 0.6);
  w = geo_selection_family_weights (sel, j->families);
  j->raster = geo_density_with_progress (sel->lon,
                                         sel->lat,
                                         w,
                                         sel->n_families,
                                         j->radius_m,
                                         j->pixel_m,
                                         app_analysis_progress_report,
                                         &j->progress,
                                         cancellable,
                                         &error);
  if (j->raster == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  app_analysis_progress_stage (&j->progress, 0.95, 0);
  j->image = map_heat_image_new (j->raster, &error);
  if (j->image == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
poll_progress (gpointer data)
{
  Panel *p = data;

  if (p->running != NULL)
    gtk_progress_bar_set_fraction (p->progress, app_analysis_progress_get (&p->running->progress));
  else
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

static char *
format_density (double v)
{
  return g_strdup_printf (v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
}

static void
show_result (Panel *p)
{
  g_autofree char *summary = NULL;
  g_autofree char *max = NULL;
  g_autofree char *mid = NULL;
  g_autofree char *max_s = NULL;

  if (p->raster != NULL)
    {
      max = format_density (p->raster->max_value);
      mid = format_density (p->raster->max_value / 2);
      summary = g_strdup_printf (_ ("%u × %u pixels of %.0f m (EPSG:%d), radius %.0f m; "
                                    "%.0f counted; at most %s per km²."),
                                 p->raster->width,
                                 p->raster->height,
                                 p->raster->pixel_m,
                                 p->raster->epsg,
                                 p->raster->radius_m,
                                 p->raster->total_weight,
                                 max);
      max_s = g_strdup_printf (_ ("%s per km²"), max);
      gtk_label_set_text (p->max_label, max_s);
      gtk_label_set_text (p->mid_label, mid);
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
  g_clear_pointer (&p->raster, geo_density_raster_free);
  p->raster = g_steal_pointer (&j->raster);
  map_heat_layer_set_image (p->layer, g_steal_pointer (&j->image));
  gtk_widget_set_visible (GTK_WIDGET (p->layer), gtk_check_button_get_active (p->show));
  set_busy (p, FALSE, NULL);
  show_result (p);
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
  j->families = gtk_check_button_get_active (p->families);
  j->radius_m = gtk_spin_button_get_value (p->radius);
  j->pixel_m = gtk_spin_button_get_value (p->pixel);

  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  set_busy (p, TRUE, _ ("Computing the density…"));
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
on_show_toggled (Panel *p)
{
  gtk_widget_set_visible (GTK_WIDGET (p->layer), gtk_check_button_get_active (p->show));
}

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel *p = data;

  g_cancellable_cancel (p->cancellable);
  set_busy (p, FALSE, NULL);
  g_clear_pointer (&p->raster, geo_density_raster_free);
  map_heat_layer_clear (p->layer);
  show_result (p);
  app_analysis_fill_categories (p->category, app_window_get_project (window), p->codes);
}

gboolean
app_density_panel_export_to (GtkWidget *panel, const char *path, GError **error)
{
  Panel *p = panel_of (panel);

  g_return_val_if_fail (p != NULL, FALSE);
  if (p->raster == NULL)
    {
      g_set_error_literal (error,
                           G_IO_ERROR,
                           G_IO_ERROR_NOT_INITIALIZED,
                           _ ("Run the analysis first."));
      return FALSE;
    }
  return geo_density_write_geotiff (p->raster, path, error);
}

static void
on_export (Panel *p)
{
  if (p->raster == NULL)
    {
      app_window_toast (p->window, _ ("Run the analysis first."));
      return;
    }
  app_analysis_save_dialog (p->window,
                            p->panel,
                            _ ("Export the density"),
                            "density.tif",
                            app_density_panel_export_to);
}

static void
draw_ramp (GtkDrawingArea *area, cairo_t *cr, int w, int h, gpointer data)
{
  /* A checkerboard under the ramp shows its transparency. */
  for (int x = 0; x < w; x += 6)
    for (int y = 0; y < h; y += 6)
      {
        cairo_rectangle (cr, x, y, 6, 6);
        if (((x + y) / 6) % 2 == 0)
          cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
        else
          cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_fill (cr);
      }
  for (int x = 0; x < w; x++)
    {
      GdkRGBA c;

      map_heat_ramp_rgba ((double) x / MAX (w - 1, 1), &c);
      gdk_cairo_set_source_rgba (cr, &c);
      cairo_rectangle (cr, x, 0, 1, h);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, 0.5, 0.5, w - 1, h - 1);
  cairo_set_source_rgba (cr, 0.4, 0.4, 0.4, 0.8);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

void
app_density_panel_attach (AppWindow *window)
{
  Panel     *p = g_new0 (Panel, 1);
  GtkWidget *expander, *box, *grid, *hbox, *w, *l;
  int        y = 0;

  p->window = window;
  p->cancellable = g_cancellable_new ();

  expander = gtk_expander_new (_ ("Density (kernel)"));
  gtk_widget_set_name (expander, "density-panel");
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
                                                 "density-category"));
  p->radius = GTK_SPIN_BUTTON (
      app_analysis_row (grid,
                        y++,
                        _ ("Radius (m)"),
                        GTK_WIDGET (
                            app_analysis_spin (50, 20000, 50, GEO_DENSITY_DEFAULT_RADIUS_M)),
                        "density-radius"));
  p->pixel = GTK_SPIN_BUTTON (
      app_analysis_row (grid,
                        y++,
                        _ ("Pixel size (m)"),
                        GTK_WIDGET (app_analysis_spin (10, 5000, 10, GEO_DENSITY_DEFAULT_PIXEL_M)),
                        "density-pixel"));
  w = gtk_check_button_new_with_label (_ ("Count families instead of persons"));
  gtk_widget_set_name (w, "density-families");
  p->families = GTK_CHECK_BUTTON (w);
  gtk_box_append (GTK_BOX (box), w);

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  w = gtk_button_new_with_label (_ ("Run"));
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_widget_set_name (w, "density-run");
  gtk_widget_set_hexpand (w, TRUE);
  app_analysis_label (w, _ ("Compute the density"));
  p->run_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  w = gtk_button_new_with_label (_ ("Cancel"));
  gtk_widget_set_name (w, "density-cancel");
  gtk_widget_set_visible (w, FALSE);
  app_analysis_label (w, _ ("Cancel the density computation"));
  p->cancel_button = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (hbox), w);
  gtk_box_append (GTK_BOX (box), hbox);
  p->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_name (GTK_WIDGET (p->progress), "density-progress");
  gtk_widget_set_visible (GTK_WIDGET (p->progress), FALSE);
  app_analysis_label (GTK_WIDGET (p->progress), _ ("Density computation progress"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->progress));
  p->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->status_label, TRUE);
  gtk_label_set_xalign (p->status_label, 0);
  gtk_widget_set_visible (GTK_WIDGET (p->status_label), FALSE);
  gtk_widget_set_name (GTK_WIDGET (p->status_label), "density-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status_label));
  g_signal_connect_swapped (p->run_button, "clicked", G_CALLBACK (on_run), p);
  g_signal_connect_swapped (p->cancel_button, "clicked", G_CALLBACK (on_cancel), p);

  p->result_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_visible (p->result_box, FALSE);
  gtk_box_append (GTK_BOX (box), p->result_box);
  p->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->summary, TRUE);
  gtk_label_set_xalign (p->summary, 0);
  gtk_widget_set_name (GTK_WIDGET (p->summary), "density-summary");
  gtk_box_append (GTK_BOX (p->result_box), GTK_WIDGET (p->summary));
  w = gtk_check_button_new_with_label (_ ("Show on the map"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (w), TRUE);
  gtk_widget_set_name (w, "density-show");
  p->show = GTK_CHECK_BUTTON (w);
  g_signal_connect_swapped (w, "toggled", G_CALLBACK (on_show_toggled), p);
  gtk_box_append (GTK_BOX (p->result_box), w);
  gtk_box_append (GTK_BOX (p->result_box), app_analysis_heading (_ ("Legend (per km²)")));
  w = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (w), 16);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (w), draw_ramp, NULL, NULL);
  gtk_widget_set_name (w, "density-ramp");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Colour ramp from zero to the highest density"),
                                  -1);
  gtk_box_append (GTK_BOX (p->result_box), w);
  hbox = gtk_center_box_new ();
  l = gtk_label_new ("0");
  gtk_widget_add_css_class (l, "caption");
  gtk_center_box_set_start_widget (GTK_CENTER_BOX (hbox), l);
  l = gtk_label_new (NULL);
  gtk_widget_add_css_class (l, "caption");
  p->mid_label = GTK_LABEL (l);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (hbox), l);
  l = gtk_label_new (NULL);
  gtk_widget_add_css_class (l, "caption");
  gtk_widget_set_name (l, "density-max");
  p->max_label = GTK_LABEL (l);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (hbox), l);
  gtk_box_append (GTK_BOX (p->result_box), hbox);
  w = gtk_button_new_with_label (_ ("Export as GeoTIFF"));
  gtk_widget_set_name (w, "density-export");
  app_analysis_label (w, _ ("Export the density as GeoTIFF"));
  g_signal_connect_swapped (w, "clicked", G_CALLBACK (on_export), p);
  gtk_box_append (GTK_BOX (p->result_box), w);

  g_object_set_data_full (G_OBJECT (expander),
                          "density-panel-state",
                          p,
                          (GDestroyNotify) panel_free);
  g_object_set_data (G_OBJECT (window), "density-panel", expander);
  app_window_add_panel (window, expander);
  gtk_widget_set_visible (gtk_widget_get_parent (expander), TRUE);

  p->layer = map_heat_layer_new (app_window_get_viewport (window));
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->layer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Density (kernel)"),
                                  -1);
  app_window_add_map_layer (window, SHUMATE_LAYER (p->layer), TRUE);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), p);
  app_analysis_fill_categories (p->category, app_window_get_project (window), p->codes);
}

GtkWidget *
app_density_panel_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "density-panel");
}

gboolean
app_density_panel_get_busy (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL && p->busy;
}

MapHeatLayer *
app_density_panel_get_layer (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->layer : NULL;
}

const GeoDensityRaster *
app_density_panel_get_raster (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p != NULL ? p->raster : NULL;
}
