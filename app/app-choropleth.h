#pragma once

#include "app-window.h"
#include "map-choropleth-layer.h"

G_BEGIN_DECLS

/* One choropleth layer per window, shared by the analysis panels (statistics, underserved,
 * rollout coverage): the last panel to show its values owns it. The layer sits under the
 * families; its class legend floats at the bottom left of the map (widget "choropleth-legend").
 * The area outlines are loaded in a worker when a project opens. */

MapChoroplethLayer *app_choropleth_get_layer (AppWindow *window);
void                app_choropleth_show (AppWindow         *window,
                                         const char        *owner,
                                         const char        *title,
                                         const char *const *codes,
                                         const double      *values,
                                         guint              n,
                                         const double      *breaks,
                                         guint              n_breaks,
                                         MapColourRamp      ramp,
                                         const char        *number_format,
                                         double             scale);
void                app_choropleth_hide (AppWindow *window, const char *owner);
gboolean            app_choropleth_get_ready (AppWindow *window);
GtkWidget          *app_choropleth_get_legend (AppWindow *window);

/* A row of an area table: code, name and numbers (NAN shown as "–"). */
#define APP_TYPE_AREA_ROW (app_area_row_get_type ())
G_DECLARE_FINAL_TYPE (AppAreaRow, app_area_row, APP, AREA_ROW, GObject)

AppAreaRow *app_area_row_new (const char *code, const char *name, const double *values, guint n);
const char *app_area_row_get_code (AppAreaRow *self);
const char *app_area_row_get_name (AppAreaRow *self);
double      app_area_row_get_value (AppAreaRow *self, guint i);

typedef enum
{
  APP_AREA_FORMAT_INT,
  APP_AREA_FORMAT_REAL,    /* one decimal */
  APP_AREA_FORMAT_PERCENT, /* value * 100, one decimal, "%" */
} AppAreaFormat;

typedef struct
{
  const char   *title; /* translated */
  const char   *csv_name;
  AppAreaFormat format;
} AppAreaColumn;

/* A sortable GtkColumnView (in a scrolled window named @name) of AppAreaRow: code, name,
 * then one column per @columns entry. Clicking a row centres the map on the area. */
GtkWidget     *app_area_table_new (AppWindow           *window,
                                   const char          *name,
                                   const char          *label,
                                   const AppAreaColumn *columns,
                                   guint                n_columns);
void           app_area_table_set_rows (GtkWidget *table, GListModel *rows);
void           app_area_table_sort_by (GtkWidget *table, int column, gboolean descending);
GListModel    *app_area_table_get_sorted (GtkWidget *table);
GtkColumnView *app_area_table_get_view (GtkWidget *table);
gboolean       app_area_table_write_csv (GtkWidget *table, const char *path, GError **error);
void           app_area_table_export_dialog (GtkWidget *table, const char *suggested_name);

G_END_DECLS
