#include "config.h"

#include "app-rollout.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-choropleth.h"

#include "geo-coverage.h"
#include "geo-programme.h"

/* The rollout board: see app-rollout.h and docs/coverage.md. */

#define MAX_CHART_DATES 40

/* ---- a row of the desa table ---- */

#define APP_TYPE_ROLLOUT_ROW (app_rollout_row_get_type ())
G_DECLARE_FINAL_TYPE (AppRolloutRow, app_rollout_row, APP, ROLLOUT_ROW, GObject)

struct _AppRolloutRow
{
  GObject         parent_instance;
  GeoCoverageRow *row; /* owned */
};

G_DEFINE_FINAL_TYPE (AppRolloutRow, app_rollout_row, G_TYPE_OBJECT)

static void
app_rollout_row_finalize (GObject *object)
{
  g_clear_pointer (&APP_ROLLOUT_ROW (object)->row, geo_coverage_row_free);
  G_OBJECT_CLASS (app_rollout_row_parent_class)->finalize (object);
}

static void
app_rollout_row_class_init (AppRolloutRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = app_rollout_row_finalize;
}

static void
app_rollout_row_init (AppRolloutRow *self)
{
}

/* ---- the panel ---- */

typedef struct
{
  AppWindow        *window; /* borrowed: the panel lives in it */
  GtkWidget        *panel;
  GCancellable     *cancellable;
  GtkStringList    *programme_names;
  GArray           *programme_ids; /* gint64 */
  GtkDropDown      *programme;
  GtkEntry         *at;
  GtkButton        *refresh;
  GtkLabel         *status;
  GtkBox           *kec_box;
  GtkDrawingArea   *chart;
  GtkColumnView    *table;
  GListStore       *rows;
  GtkSortListModel *sorted;
  gboolean          busy;
  gboolean          updating; /* the programme list is being refilled */
  /* Chart: n_kec series of n_dates visited percentages. */
  GPtrArray *kec_names; /* char * */
  GPtrArray *dates;     /* char * */
  double    *series;
  /* The main map: desa coloured by visited % (the shared choropleth layer). */
  GtkCheckButton *on_map;
  GPtrArray      *map_codes;  /* char * */
  GArray         *map_values; /* double, visited / targets (NAN: no target) */
} Panel;

typedef struct
{
  char      *path;
  gint64     programme;
  char      *at;
  GPtrArray *desa;   /* GeoCoverageRow */
  GPtrArray *kec;    /* GeoCoverageRow */
  GPtrArray *dates;  /* char * */
  double    *series; /* kec->len × dates->len */
} Job;

static void
job_free (Job *j)
{
  g_free (j->path);
  g_free (j->at);
  g_clear_pointer (&j->desa, g_ptr_array_unref);
  g_clear_pointer (&j->kec, g_ptr_array_unref);
  g_clear_pointer (&j->dates, g_ptr_array_unref);
  g_free (j->series);
  g_free (j);
}

static void
panel_free (Panel *p)
{
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_array_unref (p->programme_ids);
  g_clear_pointer (&p->kec_names, g_ptr_array_unref);
  g_clear_pointer (&p->dates, g_ptr_array_unref);
  g_free (p->series);
  g_clear_pointer (&p->map_codes, g_ptr_array_unref);
  g_clear_pointer (&p->map_values, g_array_unref);
  g_free (p);
}

#define MAP_OWNER "rollout"

/* Colours the desa of the main map by visited % in fixed 20 % classes (red: little done). */
static void
update_map (Panel *p)
{
  static const double breaks[] = { 0, 0.2, 0.4, 0.6, 0.8, 1.0 };

  if (p->map_codes == NULL || p->map_codes->len == 0 || !gtk_check_button_get_active (p->on_map))
    {
      app_choropleth_hide (p->window, MAP_OWNER);
      return;
    }
  app_choropleth_show (p->window,
                       MAP_OWNER,
                       _ ("Rollout coverage: visited targets per desa"),
                       (const char *const *) p->map_codes->pdata,
                       (const double *) p->map_values->data,
                       p->map_codes->len,
                       breaks,
                       G_N_ELEMENTS (breaks),
                       MAP_RAMP_RD_YL_GN,
                       "%.0f %%",
                       100);
}

static Panel *
panel_of (GtkWidget *panel)
{
  return g_object_get_data (G_OBJECT (panel), "rollout-panel-state");
}

static void
label_widget (GtkWidget *w, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static int
days_from_civil (const char *date)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  if (sscanf (date, "%d-%d-%d", &y, &m, &d) != 3)
    return 0;
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  return dt != NULL ? (int) (g_date_time_to_unix (dt) / 86400) : 0;
}

static char *
civil_from_days (int days)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) days * 86400);

  return g_date_time_format (dt, "%Y-%m-%d");
}

/* Worker: its own read-only store; the coverage loaded once, evaluated at the date and at up to
 * MAX_CHART_DATES dates from the first window start or visit to the date. */
static void
job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job    *j = data;
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (j->path, GEO_STORE_OPEN_READONLY, &error);
  g_autoptr(GeoCoverage) cov = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (store == NULL || (cov = geo_coverage_load (store, j->programme, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  j->desa = geo_coverage_compute (cov, j->at, GEO_COVERAGE_BY_DESA, NULL, &error);
  if (j->desa == NULL ||
      (j->kec = geo_coverage_compute (cov, j->at, GEO_COVERAGE_BY_KECAMATAN, NULL, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  j->dates = g_ptr_array_new_with_free_func (g_free);
  if (geo_coverage_get_date_range (cov, &first, &last))
    {
      int d0 = days_from_civil (first);
      int d1 = days_from_civil (j->at);
      int n = MIN (MAX (d1 - d0 + 1, 1), MAX_CHART_DATES);

      for (int k = 0; k < n && d1 >= d0; k++)
        g_ptr_array_add (j->dates,
                         civil_from_days (n == 1 ? d1
                                                 : d0 + (int) ((gint64) (d1 - d0) * k / (n - 1))));
    }
  j->series = g_new0 (double, MAX (j->kec->len * j->dates->len, 1));
  for (guint k = 0; k < j->dates->len; k++)
    {
      g_autoptr(GPtrArray) rows = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      rows =
          geo_coverage_compute (cov, j->dates->pdata[k], GEO_COVERAGE_BY_KECAMATAN, NULL, &error);
      if (rows == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* Same desa set at every date: the kecamatan rows come in the same order. */
      for (guint i = 0; i < rows->len && i < j->kec->len; i++)
        {
          const GeoCoverageRow *r = rows->pdata[i];

          j->series[i * j->dates->len + k] = geo_coverage_percent (r->visited, r->targets);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
set_busy (Panel *p, gboolean busy, const char *message)
{
  p->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (p->refresh), !busy);
  gtk_label_set_text (p->status, message != NULL ? message : "");
}

static const double palette[][3] = {
  { 0.12, 0.47, 0.71 }, { 0.84, 0.15, 0.16 }, { 0.17, 0.63, 0.17 }, { 1.00, 0.50, 0.05 },
  { 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.50, 0.50, 0.50 },
};

static void
draw_chart (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  Panel *p = data;
  double left = 30, right = 6, top = 6, bottom = 18;
  double w = width - left - right, h = height - top - bottom;
  guint  nd = p->dates != NULL ? p->dates->len : 0;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_line_width (cr, 1);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 9);
  for (int k = 0; k <= 4; k++)
    {
      double y = top + h - h * k / 4.0;
      char   label[8];

      cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + w, y);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      g_snprintf (label, sizeof label, "%d%%", k * 25);
      cairo_move_to (cr, 2, y + 3);
      cairo_show_text (cr, label);
    }
  if (nd == 0 || p->kec_names == NULL)
    return;
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_move_to (cr, left, height - 4);
  cairo_show_text (cr, p->dates->pdata[0]);
  if (nd > 1)
    {
      cairo_text_extents_t ext;

      cairo_text_extents (cr, p->dates->pdata[nd - 1], &ext);
      cairo_move_to (cr, left + w - ext.width, height - 4);
      cairo_show_text (cr, p->dates->pdata[nd - 1]);
    }
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < p->kec_names->len; i++)
    {
      const double *c = palette[i % G_N_ELEMENTS (palette)];

      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      for (guint k = 0; k < nd; k++)
        {
          double x = left + (nd > 1 ? w * k / (nd - 1) : w);
          double y = top + h - h * CLAMP (p->series[i * nd + k], 0, 100) / 100.0;

          if (k == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      if (nd == 1)
        cairo_rel_line_to (cr, 0.1, 0);
      cairo_stroke (cr);
    }
}

static void
show_result (Panel *p, Job *j)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (p->kec_box))) != NULL)
    gtk_box_remove (p->kec_box, child);
  g_clear_pointer (&p->kec_names, g_ptr_array_unref);
  p->kec_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < j->kec->len; i++)
    {
      const GeoCoverageRow *r = j->kec->pdata[i];
      const double         *c = palette[i % G_N_ELEMENTS (palette)];
      g_autofree char      *visited = g_strdup_printf ("%" G_GINT64_FORMAT, r->visited);
      g_autofree char      *targets = g_strdup_printf ("%" G_GINT64_FORMAT, r->targets);
      /* TRANSLATORS: kecamatan name, visited %, visited/targets, verified % */
      g_autofree char *text = g_strdup_printf (_ ("%s: %.0f%% visited (%s/%s), %.0f%% verified"),
                                               r->name != NULL ? r->name : r->code,
                                               geo_coverage_percent (r->visited, r->targets),
                                               visited,
                                               targets,
                                               geo_coverage_percent (r->verified, r->targets));
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span> %s",
                                                 (int) (c[0] * 255),
                                                 (int) (c[1] * 255),
                                                 (int) (c[2] * 255),
                                                 escaped);
      GtkWidget       *label = gtk_label_new (NULL);
      GtkWidget       *bar = gtk_level_bar_new_for_interval (0, 100);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (p->kec_box, label);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar),
                               MIN (geo_coverage_percent (r->visited, r->targets), 100));
      label_widget (bar, text);
      gtk_box_append (p->kec_box, bar);
      g_ptr_array_add (p->kec_names, g_strdup (r->name != NULL ? r->name : r->code));
    }
  g_clear_pointer (&p->dates, g_ptr_array_unref);
  p->dates = g_steal_pointer (&j->dates);
  g_free (p->series);
  p->series = g_steal_pointer (&j->series);
  gtk_widget_queue_draw (GTK_WIDGET (p->chart));

  g_clear_pointer (&p->map_codes, g_ptr_array_unref);
  g_clear_pointer (&p->map_values, g_array_unref);
  p->map_codes = g_ptr_array_new_with_free_func (g_free);
  p->map_values = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < j->desa->len; i++)
    {
      const GeoCoverageRow *r = j->desa->pdata[i];
      double                v = r->targets > 0 ? MIN ((double) r->visited / r->targets, 1.0) : NAN;

      g_ptr_array_add (p->map_codes, g_strdup (r->code));
      g_array_append_val (p->map_values, v);
    }
  update_map (p);

  g_list_store_remove_all (p->rows);
  for (guint i = 0; i < j->desa->len; i++)
    {
      AppRolloutRow *item = g_object_new (APP_TYPE_ROLLOUT_ROW, NULL);

      item->row = g_steal_pointer (&j->desa->pdata[i]);
      g_list_store_append (p->rows, item);
      g_object_unref (item);
    }
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
    set_busy (p,
              FALSE,
              g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _ ("Cancelled.")
                                                                        : error->message);
  else
    {
      g_autofree char *msg = g_strdup_printf (_ ("Coverage on %s: %u desa."), j->at, j->desa->len);

      show_result (p, j);
      set_busy (p, FALSE, msg);
    }
  g_object_unref (panel);
}

static void
on_refresh (Panel *p)
{
  AppProject *project = app_window_get_project (p->window);
  const char *at = gtk_editable_get_text (GTK_EDITABLE (p->at));
  guint       k = gtk_drop_down_get_selected (p->programme);
  GTask      *task;
  Job        *j;

  if (p->updating)
    return;
  if (project == NULL || k >= p->programme_ids->len)
    {
      set_busy (p, FALSE, _ ("No programme: create one with “jangkau-cli programme create”."));
      return;
    }
  if (*at != '\0' && !geo_is_iso_date (at))
    {
      set_busy (p, FALSE, _ ("The date must be YYYY-MM-DD (empty: today)."));
      return;
    }
  j = g_new0 (Job, 1);
  j->path = g_strdup (app_project_get_path (project));
  j->programme = g_array_index (p->programme_ids, gint64, k);
  if (*at != '\0')
    j->at = g_strdup (at);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      j->at = g_date_time_format (now, "%Y-%m-%d");
    }
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, p->cancellable, job_done, g_object_ref (p->panel));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  set_busy (p, TRUE, _ ("Computing the coverage…"));
  g_task_run_in_thread (task, job_run);
  g_object_unref (task);
}

/* The programme list is small metadata, read on the main thread like the round list. */
static void
on_project_changed (AppWindow *window, gpointer data)
{
  Panel      *p = data;
  AppProject *project = app_window_get_project (window);
  g_autoptr(GPtrArray) list = NULL;

  g_cancellable_cancel (p->cancellable);
  p->updating = TRUE;
  gtk_string_list_splice (p->programme_names,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (p->programme_names)),
                          NULL);
  g_array_set_size (p->programme_ids, 0);
  g_list_store_remove_all (p->rows);
  g_clear_pointer (&p->dates, g_ptr_array_unref);
  g_clear_pointer (&p->kec_names, g_ptr_array_unref);
  g_clear_pointer (&p->map_codes, g_ptr_array_unref);
  g_clear_pointer (&p->map_values, g_array_unref);
  update_map (p);
  gtk_widget_queue_draw (GTK_WIDGET (p->chart));
  set_busy (p, FALSE, NULL);
  if (project == NULL ||
      (list = geo_programme_list (app_project_get_store (project), NULL)) == NULL)
    {
      p->updating = FALSE;
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const GeoProgramme *prog = list->pdata[i];

      gtk_string_list_append (p->programme_names, prog->name);
      g_array_append_val (p->programme_ids, prog->id);
    }
  p->updating = FALSE;
  /* Computed when the board is shown. */
  if (list->len > 0 && gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_root (p->panel))))
    on_refresh (p);
}

/* ---- table ---- */

enum
{
  COL_DESA,
  COL_TARGETS,
  COL_VISITED,
  COL_FOUND,
  COL_VERIFIED,
  COL_GAP,
};

static void
setup_cell (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (data) == COL_DESA ? 0 : 1);
  if (GPOINTER_TO_INT (data) == COL_DESA)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  const GeoCoverageRow *r = APP_ROLLOUT_ROW (gtk_list_item_get_item (item))->row;
  g_autofree char      *text = NULL;

  switch (GPOINTER_TO_INT (data))
    {
    case COL_DESA:
      text = g_strdup (r->name != NULL ? r->name : r->code);
      break;
    case COL_TARGETS:
      text = g_strdup_printf ("%" G_GINT64_FORMAT "%s", r->targets, r->count_target ? "*" : "");
      break;
    case COL_VISITED:
      text = g_strdup_printf ("%.0f%%", geo_coverage_percent (r->visited, r->targets));
      break;
    case COL_FOUND:
      text = g_strdup_printf ("%.0f%%", geo_coverage_percent (r->found, r->targets));
      break;
    case COL_VERIFIED:
      text = g_strdup_printf ("%.0f%%", geo_coverage_percent (r->verified, r->targets));
      break;
    case COL_GAP:
    default:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, geo_coverage_row_gap (r));
      break;
    }
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static double
column_value (const GeoCoverageRow *r, int col)
{
  switch (col)
    {
    case COL_TARGETS:
      return (double) r->targets;
    case COL_VISITED:
      return geo_coverage_percent (r->visited, r->targets);
    case COL_FOUND:
      return geo_coverage_percent (r->found, r->targets);
    case COL_VERIFIED:
      return geo_coverage_percent (r->verified, r->targets);
    case COL_GAP:
      return (double) geo_coverage_row_gap (r);
    case COL_DESA:
    default:
      return 0;
    }
}

static int
compare_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  const GeoCoverageRow *x = APP_ROLLOUT_ROW ((gpointer) a)->row;
  const GeoCoverageRow *y = APP_ROLLOUT_ROW ((gpointer) b)->row;
  int                   col = GPOINTER_TO_INT (data);
  double                vx, vy;

  if (col == COL_DESA)
    return g_strcmp0 (x->name != NULL ? x->name : x->code, y->name != NULL ? y->name : y->code);
  vx = column_value (x, col);
  vy = column_value (y, col);
  if (vx != vy)
    return vx < vy ? -1 : 1;
  return strcmp (x->code, y->code);
}

static GtkColumnViewColumn *
add_column (Panel *p, const char *title, int col)
{
  GtkListItemFactory  *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (col));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (col));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column,
                                     GTK_SORTER (gtk_custom_sorter_new (compare_rows,
                                                                        GINT_TO_POINTER (col),
                                                                        NULL)));
  gtk_column_view_column_set_expand (column, col == COL_DESA);
  gtk_column_view_append_column (p->table, column);
  return column;
}

static void
on_project_changed_cb (AppWindow *window, gpointer data)
{
  on_project_changed (window, panel_of (data));
}

/* win.show-rollout: the board's window presented, the coverage refreshed. */
static void
on_show_rollout (GSimpleAction *action, GVariant *param, gpointer data)
{
  Panel *p = panel_of (data);

  gtk_window_present (GTK_WINDOW (gtk_widget_get_root (p->panel)));
  if (!p->busy && g_list_model_get_n_items (G_LIST_MODEL (p->rows)) == 0)
    on_refresh (p);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_add_css_class (l, "heading");
  return l;
}

void
app_rollout_attach (AppWindow *window)
{
  Panel               *p = g_new0 (Panel, 1);
  GtkWidget           *board, *top, *box, *left, *w, *scroll, *l, *toplevel, *header, *paned;
  GtkColumnViewColumn *gap;
  GtkSelectionModel   *selection;

  p->window = window;
  p->cancellable = g_cancellable_new ();
  p->programme_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* A window of its own beside the map: the board needs room for the chart and the table. */
  toplevel = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (toplevel), _ ("Rollout coverage"));
  gtk_window_set_default_size (GTK_WINDOW (toplevel), 1100, 640);
  gtk_window_set_transient_for (GTK_WINDOW (toplevel), GTK_WINDOW (window));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (toplevel), TRUE);
  gtk_window_set_hide_on_close (GTK_WINDOW (toplevel), TRUE);
  board = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_name (board, "rollout-panel");
  p->panel = board;
  adw_window_set_content (ADW_WINDOW (toplevel), board);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (board), header);

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_end (top, 12);
  gtk_widget_set_margin_top (top, 8);
  gtk_widget_set_margin_bottom (top, 8);
  gtk_box_append (GTK_BOX (board), top);
  gtk_box_append (GTK_BOX (top), gtk_label_new (_ ("Programme")));
  p->programme_names = gtk_string_list_new (NULL);
  p->programme = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (p->programme_names), NULL));
  gtk_widget_set_name (GTK_WIDGET (p->programme), "rollout-programme");
  label_widget (GTK_WIDGET (p->programme), _ ("Programme"));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (p->programme));
  gtk_box_append (GTK_BOX (top), gtk_label_new (_ ("Date")));
  p->at = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (p->at, _ ("YYYY-MM-DD (empty: today)"));
  gtk_editable_set_width_chars (GTK_EDITABLE (p->at), 22);
  gtk_widget_set_name (GTK_WIDGET (p->at), "rollout-at");
  label_widget (GTK_WIDGET (p->at), _ ("Coverage on this date"));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (p->at));
  w = gtk_button_new_with_label (_ ("Show coverage"));
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_widget_set_name (w, "rollout-refresh");
  label_widget (w, _ ("Show coverage"));
  p->refresh = GTK_BUTTON (w);
  gtk_box_append (GTK_BOX (top), w);
  w = gtk_check_button_new_with_label (_ ("On the main map"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (w), TRUE);
  gtk_widget_set_name (w, "rollout-on-map");
  gtk_widget_set_tooltip_text (w, _ ("Colour the desa on the main map by visited %"));
  label_widget (w, _ ("Colour the desa on the main map by visited %"));
  p->on_map = GTK_CHECK_BUTTON (w);
  g_signal_connect_swapped (w, "toggled", G_CALLBACK (update_map), p);
  gtk_box_append (GTK_BOX (top), w);
  p->status = GTK_LABEL (gtk_label_new (NULL));
  /* Ellipsized, not wrapped: a wrapping label in a horizontal box confuses height-for-width. */
  gtk_label_set_ellipsize (p->status, PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (p->status, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (p->status), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (p->status), "dim-label");
  gtk_widget_set_name (GTK_WIDGET (p->status), "rollout-status");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (p->status));
  g_signal_connect_swapped (p->refresh, "clicked", G_CALLBACK (on_refresh), p);
  g_signal_connect_swapped (p->at, "activate", G_CALLBACK (on_refresh), p);
  g_signal_connect_swapped (p->programme, "notify::selected", G_CALLBACK (on_refresh), p);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_position (GTK_PANED (paned), 380);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (board), paned);

  /* Left: coverage per kecamatan and the progress chart. */
  left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (left, 12);
  gtk_widget_set_margin_end (left, 8);
  gtk_widget_set_margin_bottom (left, 12);
  gtk_box_append (GTK_BOX (left), heading (_ ("Coverage per kecamatan")));
  p->kec_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  gtk_widget_set_name (GTK_WIDGET (p->kec_box), "rollout-kecamatan");
  scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll),
                                  GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroll), 160);
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (p->kec_box));
  gtk_box_append (GTK_BOX (left), scroll);
  gtk_box_append (GTK_BOX (left), heading (_ ("Progress over time (visited %)")));
  p->chart = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_drawing_area_set_content_height (p->chart, 220);
  gtk_drawing_area_set_draw_func (p->chart, draw_chart, p, NULL);
  gtk_widget_set_name (GTK_WIDGET (p->chart), "rollout-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Coverage over time per kecamatan (visited %)"),
                                  -1);
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (p->chart));
  gtk_paned_set_start_child (GTK_PANED (paned), left);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);

  /* Right: the desa table, the largest gap to target first. */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), heading (_ ("Coverage per desa")));
  p->rows = g_list_store_new (APP_TYPE_ROLLOUT_ROW);
  p->table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (p->table), "rollout-table");
  label_widget (GTK_WIDGET (p->table), _ ("Coverage per desa"));
  add_column (p, _ ("Desa"), COL_DESA);
  add_column (p, _ ("Target"), COL_TARGETS);
  add_column (p, _ ("Visited"), COL_VISITED);
  add_column (p, _ ("Found"), COL_FOUND);
  add_column (p, _ ("Verified"), COL_VERIFIED);
  gap = add_column (p, _ ("Gap"), COL_GAP);
  p->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (p->rows)),
                                       g_object_ref (gtk_column_view_get_sorter (p->table)));
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (p->sorted))));
  gtk_column_view_set_model (p->table, selection);
  g_object_unref (selection);
  gtk_column_view_sort_by_column (p->table, gap, GTK_SORT_DESCENDING);
  scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll),
                                  GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (p->table));
  gtk_box_append (GTK_BOX (box), scroll);
  l = gtk_label_new (
      _ ("* a target count; gap = targets not visited yet. Click a column to sort."));
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_widget_add_css_class (l, "caption");
  gtk_box_append (GTK_BOX (box), l);
  gtk_paned_set_end_child (GTK_PANED (paned), box);

  g_object_set_data_full (G_OBJECT (board), "rollout-panel-state", p, (GDestroyNotify) panel_free);
  g_object_set_data_full (G_OBJECT (board), "rollout-rows", p->rows, g_object_unref);
  g_object_set_data_full (G_OBJECT (board), "rollout-sorted", p->sorted, g_object_unref);
  g_object_set_data (G_OBJECT (window), "rollout-panel", board);
  g_signal_connect_object (window, "project-changed", G_CALLBACK (on_project_changed_cb), board, 0);
  {
    g_autoptr(GSimpleAction) action = g_simple_action_new ("show-rollout", NULL);

    g_signal_connect_object (action, "activate", G_CALLBACK (on_show_rollout), board, 0);
    g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
  }
}

GtkWidget *
app_rollout_get (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "rollout-panel");
}

gboolean
app_rollout_get_busy (GtkWidget *panel)
{
  return panel_of (panel)->busy;
}

GListModel *
app_rollout_get_rows (GtkWidget *panel)
{
  return G_LIST_MODEL (panel_of (panel)->sorted);
}

const char *
app_rollout_row_code (GListModel *rows, guint i, gint64 *gap)
{
  g_autoptr(AppRolloutRow) item = g_list_model_get_item (rows, i);

  if (item == NULL)
    return NULL;
  if (gap != NULL)
    *gap = geo_coverage_row_gap (item->row);
  /* The row lives as long as the model holds the item. */
  return item->row->code;
}

guint
app_rollout_get_n_chart_points (GtkWidget *panel)
{
  Panel *p = panel_of (panel);

  return p->kec_names != NULL && p->dates != NULL ? p->kec_names->len * p->dates->len : 0;
}
