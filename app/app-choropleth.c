#include "config.h"

#include "app-choropleth.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "map-point-index.h"

/* ---- the shared layer and its legend ---- */

typedef struct
{
  char         *owner;
  char         *title;
  GStrv         codes;
  double       *values;
  guint         n;
  double       *breaks;
  guint         n_breaks;
  MapColourRamp ramp;
  char         *format;
  double        scale;
} Request;

typedef struct
{
  AppWindow          *window; /* borrowed */
  MapChoroplethLayer *layer;  /* borrowed: lives in the map */
  GtkWidget          *legend; /* borrowed: lives in the map overlay */
  GtkWidget          *legend_box;
  GtkLabel           *legend_title;
  GCancellable       *cancellable;
  gboolean            ready;
  Request            *shown; /* re-applied when the shapes arrive */
} Choropleth;

static void
request_free (Request *r)
{
  if (r == NULL)
    return;
  g_free (r->owner);
  g_free (r->title);
  g_strfreev (r->codes);
  g_free (r->values);
  g_free (r->breaks);
  g_free (r->format);
  g_free (r);
}

static void
choropleth_free (Choropleth *c)
{
  g_cancellable_cancel (c->cancellable);
  g_clear_object (&c->cancellable);
  request_free (c->shown);
  g_free (c);
}

static GtkWidget *
swatch (const GdkRGBA *rgba, gboolean no_data)
{
  GtkWidget       *w = gtk_label_new (NULL);
  g_autofree char *css = NULL;
  GtkCssProvider  *provider = gtk_css_provider_new ();

  /* A small coloured box; its colour via a per-widget provider (a legend has < 15 entries). */
  gtk_widget_set_size_request (w, 22, 14);
  gtk_widget_set_valign (w, GTK_ALIGN_CENTER);
  if (no_data)
    css = g_strdup ("label { background-color: rgba(158,158,158,0.45); border: 1px solid "
                    "rgba(0,0,0,0.25); }");
  else
    css = g_strdup_printf ("label { background-color: rgb(%d,%d,%d); border: 1px solid "
                           "rgba(0,0,0,0.25); }",
                           (int) lround (rgba->red * 255),
                           (int) lround (rgba->green * 255),
                           (int) lround (rgba->blue * 255));
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (w),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
  gtk_accessible_update_state (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  return w;
}

static void
rebuild_legend (Choropleth *c)
{
  GtkWidget *child;
  g_autoptr(GArray) entries = map_choropleth_layer_dup_legend (c->layer);
  guint no_data = 0;

  while ((child = gtk_widget_get_first_child (c->legend_box)) != NULL)
    gtk_box_remove (GTK_BOX (c->legend_box), child);
  gtk_widget_set_visible (c->legend, c->shown != NULL && entries->len > 0);
  if (c->shown == NULL)
    return;
  gtk_label_set_text (c->legend_title, c->shown->title);
  for (guint i = entries->len; i-- > 0;)
    {
      const MapLegendEntry *e = &g_array_index (entries, MapLegendEntry, i);
      GtkWidget            *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget            *label = gtk_label_new (e->label);
      g_autofree char      *n = g_strdup_printf ("%u", e->n_areas);
      GtkWidget            *count = gtk_label_new (n);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_widget_set_tooltip_text (count, _ ("Areas in the class"));
      gtk_box_append (GTK_BOX (row), swatch (&e->colour, FALSE));
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), count);
      gtk_box_append (GTK_BOX (c->legend_box), row);
    }
  /* Areas of the level with no value (not in the codes, or NAN). */
  no_data = map_choropleth_layer_get_n_no_data (c->layer);
  if (no_data > 0)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (_ ("No data"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (row), swatch (NULL, TRUE));
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (c->legend_box), row);
    }
}

static void
apply (Choropleth *c)
{
  Request *r = c->shown;

  if (!c->ready || r == NULL)
    {
      if (r == NULL)
        map_choropleth_layer_clear_values (c->layer);
      rebuild_legend (c);
      return;
    }
  map_choropleth_layer_set_number_format (c->layer, r->format, r->scale);
  map_choropleth_layer_set_values (c->layer,
                                   (const char *const *) r->codes,
                                   r->values,
                                   r->n,
                                   r->breaks,
                                   r->n_breaks,
                                   r->ramp);
  gtk_widget_set_visible (GTK_WIDGET (c->layer), TRUE);
  rebuild_legend (c);
}

static void
shapes_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(GeoStore) store = geo_store_open (data, GEO_STORE_OPEN_READONLY, &error);
  GeoAreaShapes *shapes;

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  shapes = geo_area_shapes_load (store, cancellable, &error);
  if (shapes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, shapes, (GDestroyNotify) geo_area_shapes_free);
}

static Choropleth *choropleth_of (AppWindow *window);

static void
shapes_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AppWindow  *window = data;
  Choropleth *c = choropleth_of (window);
  g_autoptr(GError) error = NULL;
  GeoAreaShapes *shapes;

  if (c == NULL || g_task_get_cancellable (G_TASK (result)) != c->cancellable)
    {
      g_object_unref (window);
      return;
    }
  shapes = g_task_propagate_pointer (G_TASK (result), &error);
  if (shapes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        app_window_toast (window, error->message);
      g_object_unref (window);
      return;
    }
  map_choropleth_layer_set_shapes (c->layer, shapes);
  c->ready = TRUE;
  apply (c);
  g_object_unref (window);
}

static void
on_project_changed (AppWindow *window, gpointer data)
{
  Choropleth *c = data;
  AppProject *project = app_window_get_project (window);
  GTask      *task;

  g_cancellable_cancel (c->cancellable);
  g_clear_object (&c->cancellable);
  c->cancellable = g_cancellable_new ();
  c->ready = FALSE;
  g_clear_pointer (&c->shown, request_free);
  map_choropleth_layer_set_shapes (c->layer, NULL);
  rebuild_legend (c);
  if (project == NULL)
    return;
  task = g_task_new (NULL, c->cancellable, shapes_done, g_object_ref (window));
  g_task_set_task_data (task, g_strdup (app_project_get_path (project)), g_free);
  g_task_run_in_thread (task, shapes_run);
  g_object_unref (task);
}

static Choropleth *
choropleth_of (AppWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "app-choropleth");
}

static Choropleth *
ensure (AppWindow *window)
{
  Choropleth *c = choropleth_of (window);
  GtkWidget  *overlay, *box, *title;

  if (c != NULL)
    return c;
  c = g_new0 (Choropleth, 1);
  c->window = window;
  c->cancellable = g_cancellable_new ();
  c->layer = map_choropleth_layer_new (app_window_get_viewport (window));
  gtk_widget_set_name (GTK_WIDGET (c->layer), "choropleth-layer");
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->layer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Choropleth map of the areas"),
                                  -1);
  app_window_add_map_layer (window, SHUMATE_LAYER (c->layer), TRUE);

  /* The legend: a card at the bottom left of the map (the category legend is at the right). */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_name (box, "choropleth-legend");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Class legend"),
                                  -1);
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  gtk_widget_set_valign (box, GTK_ALIGN_END);
  gtk_widget_set_margin_start (box, 12);
  /* Above libshumate's scale bar, which sits in the bottom left corner. */
  gtk_widget_set_margin_bottom (box, 64);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 28);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_margin_start (title, 8);
  gtk_widget_set_margin_end (title, 8);
  gtk_widget_set_margin_top (title, 6);
  gtk_box_append (GTK_BOX (box), title);
  c->legend_title = GTK_LABEL (title);
  c->legend_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (c->legend_box, 8);
  gtk_widget_set_margin_end (c->legend_box, 8);
  gtk_widget_set_margin_bottom (c->legend_box, 6);
  gtk_box_append (GTK_BOX (box), c->legend_box);
  gtk_widget_set_visible (box, FALSE);
  c->legend = box;
  overlay = gtk_widget_get_ancestor (GTK_WIDGET (app_window_get_map (window)), GTK_TYPE_OVERLAY);
  if (overlay != NULL)
    gtk_overlay_add_overlay (GTK_OVERLAY (overlay), box);

  g_object_set_data_full (G_OBJECT (window), "app-choropleth", c, (GDestroyNotify) choropleth_free);
  g_signal_connect (window, "project-changed", G_CALLBACK (on_project_changed), c);
  if (app_window_get_project (window) != NULL && !app_window_get_loading (window))
    on_project_changed (window, c);
  return c;
}

/**
 * app_choropleth_get_layer:
 *
 * Returns: (transfer none): the window's choropleth layer (made on first use).
 */
MapChoroplethLayer *
app_choropleth_get_layer (AppWindow *window)
{
  g_return_val_if_fail (APP_IS_WINDOW (window), NULL);
  return ensure (window)->layer;
}

GtkWidget *
app_choropleth_get_legend (AppWindow *window)
{
  g_return_val_if_fail (APP_IS_WINDOW (window), NULL);
  return ensure (window)->legend;
}

/* TRUE once the area outlines of the open project are in the layer. */
gboolean
app_choropleth_get_ready (AppWindow *window)
{
  g_return_val_if_fail (APP_IS_WINDOW (window), FALSE);
  return ensure (window)->ready;
}

/**
 * app_choropleth_show:
 * @owner: who shows it (a panel's name), for app_choropleth_hide()
 * @title: the legend's title
 * @number_format, @scale: see map_choropleth_layer_set_number_format()
 *
 * Colours the areas (see map_choropleth_layer_set_values(); the arrays are copied) and shows
 * the class legend. Before the outlines are loaded the request waits for them.
 */
void
app_choropleth_show (AppWindow         *window,
                     const char        *owner,
                     const char        *title,
                     const char *const *codes,
                     const double      *values,
                     guint              n,
                     const double      *breaks,
                     guint              n_breaks,
                     MapColourRamp      ramp,
                     const char        *number_format,
                     double             scale)
{
  Choropleth *c;
  Request    *r;

  g_return_if_fail (APP_IS_WINDOW (window));
  g_return_if_fail (n_breaks >= 2);
  c = ensure (window);
  r = g_new0 (Request, 1);
  r->owner = g_strdup (owner);
  r->title = g_strdup (title);
  r->codes = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    r->codes[i] = g_strdup (codes[i]);
  r->values = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  r->n = n;
  r->breaks = g_memdup2 (breaks, n_breaks * sizeof (double));
  r->n_breaks = n_breaks;
  r->ramp = ramp;
  r->format = g_strdup (number_format != NULL ? number_format : "%.3g");
  r->scale = scale;
  request_free (c->shown);
  c->shown = r;
  apply (c);
}

/* Removes the colours and the legend if @owner shows them. */
void
app_choropleth_hide (AppWindow *window, const char *owner)
{
  Choropleth *c;

  g_return_if_fail (APP_IS_WINDOW (window));
  c = ensure (window);
  if (c->shown == NULL || g_strcmp0 (c->shown->owner, owner) != 0)
    return;
  g_clear_pointer (&c->shown, request_free);
  apply (c);
}

/* ---- area rows ---- */

struct _AppAreaRow
{
  GObject parent_instance;
  char   *code;
  char   *name;
  double *values;
  guint   n;
};

G_DEFINE_FINAL_TYPE (AppAreaRow, app_area_row, G_TYPE_OBJECT)

static void
app_area_row_finalize (GObject *object)
{
  AppAreaRow *self = APP_AREA_ROW (object);

  g_free (self->code);
  g_free (self->name);
  g_free (self->values);
  G_OBJECT_CLASS (app_area_row_parent_class)->finalize (object);
}

static void
app_area_row_class_init (AppAreaRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = app_area_row_finalize;
}

static void
app_area_row_init (AppAreaRow *self)
{
}

AppAreaRow *
app_area_row_new (const char *code, const char *name, const double *values, guint n)
{
  AppAreaRow *self = g_object_new (APP_TYPE_AREA_ROW, NULL);

  self->code = g_strdup (code);
  self->name = g_strdup (name);
  self->values = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  self->n = n;
  return self;
}

const char *
app_area_row_get_code (AppAreaRow *self)
{
  g_return_val_if_fail (APP_IS_AREA_ROW (self), NULL);
  return self->code;
}

const char *
app_area_row_get_name (AppAreaRow *self)
{
  g_return_val_if_fail (APP_IS_AREA_ROW (self), NULL);
  return self->name;
}

double
app_area_row_get_value (AppAreaRow *self, guint i)
{
  g_return_val_if_fail (APP_IS_AREA_ROW (self), NAN);
  return i < self->n ? self->values[i] : NAN;
}

/* ---- area tables ---- */

/* Column ids: -2 code, -1 name, >= 0 the value index. */
typedef struct
{
  AppWindow          *window; /* borrowed */
  GtkColumnView      *view;
  GListStore         *store;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  AppAreaColumn      *columns;
  guint               n_columns;
  GPtrArray          *view_columns; /* GtkColumnViewColumn, parallel to -2, -1, 0.. */
} Table;

static void
table_free (Table *t)
{
  g_clear_object (&t->store);
  g_clear_object (&t->selection);
  g_free (t->columns);
  g_ptr_array_unref (t->view_columns);
  g_free (t);
}

static Table *
table_of (GtkWidget *table)
{
  return g_object_get_data (G_OBJECT (table), "app-area-table");
}

static char *
format_value (double v, AppAreaFormat format)
{
  if (!isfinite (v))
    return g_strdup ("–");
  switch (format)
    {
    case APP_AREA_FORMAT_INT:
      return g_strdup_printf ("%.0f", v);
    case APP_AREA_FORMAT_REAL:
      return g_strdup_printf ("%.1f", v);
    case APP_AREA_FORMAT_PERCENT:
      return g_strdup_printf ("%.1f %%", v * 100);
    default:
      return g_strdup_printf ("%g", v);
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  int        col = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), col >= 0 ? 1 : 0);
  if (col >= 0)
    gtk_widget_add_css_class (label, "numeric");
  if (col == -1)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 10);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  int         col = GPOINTER_TO_INT (data);
  AppAreaRow *row = gtk_list_item_get_item (item);
  GtkLabel   *label = GTK_LABEL (gtk_list_item_get_child (item));
  Table      *t = g_object_get_data (G_OBJECT (factory), "table");

  if (col == -2)
    gtk_label_set_text (label, row->code);
  else if (col == -1)
    gtk_label_set_text (label, row->name != NULL ? row->name : "");
  else
    {
      g_autofree char *s = format_value (app_area_row_get_value (row, col), t->columns[col].format);

      gtk_label_set_text (label, s);
    }
}

static int
compare_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  int         col = GPOINTER_TO_INT (data);
  AppAreaRow *x = (AppAreaRow *) a, *y = (AppAreaRow *) b;
  double      u, v;

  if (col == -2)
    return g_strcmp0 (x->code, y->code);
  if (col == -1)
    return g_utf8_collate (x->name != NULL ? x->name : "", y->name != NULL ? y->name : "");
  u = app_area_row_get_value (x, col);
  v = app_area_row_get_value (y, col);
  /* Missing values sort last in ascending order. */
  if (isnan (u) || isnan (v))
    return isnan (u) - isnan (v);
  if (u != v)
    return u < v ? -1 : 1;
  return g_strcmp0 (x->code, y->code);
}

static void
add_table_column (Table *t, const char *title, int col)
{
  GtkListItemFactory  *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkSorter           *sorter;

  g_object_set_data (G_OBJECT (factory), "table", t);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (col));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (col));
  column = gtk_column_view_column_new (title, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GINT_TO_POINTER (col), NULL));
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (col == -1)
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_append_column (t->view, column);
  t->view_columns->pdata[col + 2] = column;
}

static void
on_row_activated (GtkColumnView *view, guint position, gpointer data)
{
  Table *t = data;
  g_autoptr(AppAreaRow) row = g_list_model_get_item (G_LIST_MODEL (t->sorted), position);
  const GeoAreaShape *a;
  ShumateViewport    *viewport = app_window_get_viewport (t->window);
  ShumateMapSource   *source = shumate_viewport_get_reference_map_source (viewport);
  ShumateMap         *map = app_window_get_map (t->window);
  double              x0, y0, x1, y1, w, h, zoom;

  if (row == NULL || source == NULL)
    return;
  a = map_choropleth_layer_find_area (app_choropleth_get_layer (t->window), row->code);
  if (a == NULL)
    return;
  map_lonlat_to_mercator (a->min_lon, a->max_lat, &x0, &y0);
  map_lonlat_to_mercator (a->max_lon, a->min_lat, &x1, &y1);
  w = MAX (gtk_widget_get_width (GTK_WIDGET (map)) - 120, 200);
  h = MAX (gtk_widget_get_height (GTK_WIDGET (map)) - 120, 200);
  zoom = log2 (MIN (w / MAX (x1 - x0, 1e-9), h / MAX (y1 - y0, 1e-9)) /
               shumate_map_source_get_tile_size (source));
  shumate_viewport_set_zoom_level (viewport, CLAMP (zoom, 8, 16));
  shumate_map_center_on (map, a->label_lat, a->label_lon);
}

/**
 * app_area_table_new:
 * @label: the accessible name of the table
 *
 * Returns: (transfer floating): a scrolled window holding the table.
 */
GtkWidget *
app_area_table_new (AppWindow           *window,
                    const char          *name,
                    const char          *label,
                    const AppAreaColumn *columns,
                    guint                n_columns)
{
  Table     *t = g_new0 (Table, 1);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  t->window = window;
  t->columns = g_memdup2 (columns, n_columns * sizeof (AppAreaColumn));
  t->n_columns = n_columns;
  t->view_columns = g_ptr_array_new_with_free_func (g_object_unref);
  t->store = g_list_store_new (APP_TYPE_AREA_ROW);
  t->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  t->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (t->store)),
                                       g_object_ref (gtk_column_view_get_sorter (t->view)));
  t->selection = gtk_single_selection_new (G_LIST_MODEL (t->sorted));
  gtk_single_selection_set_autoselect (t->selection, FALSE);
  gtk_single_selection_set_can_unselect (t->selection, TRUE);
  gtk_column_view_set_model (t->view, GTK_SELECTION_MODEL (t->selection));
  gtk_column_view_set_show_row_separators (t->view, TRUE);
  gtk_column_view_set_single_click_activate (t->view, TRUE);
  /* The name first, the code last: the sidebar is narrow and names are what people read. */
  g_ptr_array_set_size (t->view_columns, n_columns + 2);
  add_table_column (t, _ ("Name"), -1);
  for (guint i = 0; i < n_columns; i++)
    add_table_column (t, columns[i].title, (int) i);
  add_table_column (t, _ ("Code"), -2);
  g_signal_connect (t->view, "activate", G_CALLBACK (on_row_activated), t);
  gtk_widget_set_name (GTK_WIDGET (t->view), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (t->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label,
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (t->view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 260);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  g_object_set_data_full (G_OBJECT (scrolled), "app-area-table", t, (GDestroyNotify) table_free);
  return scrolled;
}

/* A list view keeps its anchor row in view when the order changes: after sorting or new
 * rows, show the first row again. */
static void
scroll_to_top (Table *t)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (t->view)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c) && g_list_model_get_n_items (G_LIST_MODEL (t->sorted)) > 0)
      gtk_widget_activate_action (c, "list.scroll-to-item", "u", 0);
}

/* Replaces the rows (a model of AppAreaRow). */
void
app_area_table_set_rows (GtkWidget *table, GListModel *rows)
{
  Table *t = table_of (table);
  guint  n = g_list_model_get_n_items (rows);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (t != NULL);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (rows, i));
  g_list_store_splice (t->store,
                       0,
                       g_list_model_get_n_items (G_LIST_MODEL (t->store)),
                       items->pdata,
                       items->len);
  scroll_to_top (t);
}

/* Sorts by @column (-2 code, -1 name, >= 0 a value column). */
void
app_area_table_sort_by (GtkWidget *table, int column, gboolean descending)
{
  Table *t = table_of (table);

  g_return_if_fail (t != NULL && column >= -2 && column < (int) t->n_columns);
  gtk_column_view_sort_by_column (t->view,
                                  t->view_columns->pdata[column + 2],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  scroll_to_top (t);
}

/* The rows in display order. */
GListModel *
app_area_table_get_sorted (GtkWidget *table)
{
  Table *t = table_of (table);

  g_return_val_if_fail (t != NULL, NULL);
  return G_LIST_MODEL (t->sorted);
}

GtkColumnView *
app_area_table_get_view (GtkWidget *table)
{
  Table *t = table_of (table);

  g_return_val_if_fail (t != NULL, NULL);
  return t->view;
}

static void
csv_field (GString *s, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/**
 * app_area_table_write_csv:
 *
 * Writes the rows in display order: code, name and the value columns (shares as fractions,
 * numbers with a '.' decimal mark, empty when missing); UTF-8, comma separated.
 */
gboolean
app_area_table_write_csv (GtkWidget *table, const char *path, GError **error)
{
  Table *t = table_of (table);
  g_autoptr(GString) s = g_string_new ("kode,nama");
  guint n;

  g_return_val_if_fail (t != NULL, FALSE);
  for (guint c = 0; c < t->n_columns; c++)
    {
      g_string_append_c (s, ',');
      csv_field (s, t->columns[c].csv_name);
    }
  g_string_append_c (s, '\n');
  n = g_list_model_get_n_items (G_LIST_MODEL (t->sorted));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AppAreaRow) row = g_list_model_get_item (G_LIST_MODEL (t->sorted), i);

      csv_field (s, row->code);
      g_string_append_c (s, ',');
      csv_field (s, row->name);
      for (guint c = 0; c < t->n_columns; c++)
        {
          double v = app_area_row_get_value (row, c);
          char   buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_c (s, ',');
          if (!isfinite (v))
            continue;
          if (t->columns[c].format == APP_AREA_FORMAT_INT)
            g_string_append_printf (s, "%.0f", v);
          else
            g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
        }
      g_string_append_c (s, '\n');
    }
  return g_file_set_contents (path, s->str, s->len, error);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  GtkWidget *table = data;
  Table     *t = table_of (table);

  if (response == GTK_RESPONSE_ACCEPT && t != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (app_area_table_write_csv (table, path, &error))
        {
          g_autofree char *msg = g_strdup_printf (_ ("Saved %s"), path);

          app_window_toast (t->window, msg);
        }
      else
        app_window_toast (t->window, error->message);
    }
  g_object_unref (table);
  g_object_unref (dialog);
}

/* Asks for a file name and writes the table as CSV. */
void
app_area_table_export_dialog (GtkWidget *table, const char *suggested_name)
{
  Table                *t = table_of (table);
  GtkFileChooserNative *dialog;

  g_return_if_fail (t != NULL);
  dialog = gtk_file_chooser_native_new (_ ("Export the table"),
                                        GTK_WINDOW (t->window),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _ ("_Save"),
                                        _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested_name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), g_object_ref (table));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
