#pragma once

#include "app-window.h"
#include "geo-selection.h"

G_BEGIN_DECLS

/* Helpers shared by the analysis panels (hotspots, density): labelled rows, the category
 * chooser, the filter it makes, and a worker progress fraction polled by the UI. */

#define APP_ANALYSIS_N_CHOICES (GEO_PMKS_N_CATEGORIES + 2)

void       app_analysis_label (GtkWidget *widget, const char *label);
GtkWidget *app_analysis_heading (const char *text);
GtkWidget *
app_analysis_row (GtkWidget *grid, int y, const char *title, GtkWidget *widget, const char *name);
GtkSpinButton *app_analysis_spin (double min, double max, double step, double value);

/* A drop-down for the categories whose button ellipsizes long names. */
GtkWidget *app_analysis_category_dropdown (void);
/* Fills @dropdown with “Visible categories”, “All persons” and each category present in the
 * project; @codes[i] is the choice's PMKS code (-1 visible, 0 all). */
void app_analysis_fill_categories (GtkDropDown *dropdown,
                                   AppProject  *project,
                                   int          codes[APP_ANALYSIS_N_CHOICES]);
/* The filter of the chosen entry; “Visible categories” reads the map's category switches. */
GeoFilter *app_analysis_make_filter (AppWindow   *window,
                                     GtkDropDown *dropdown,
                                     const int    codes[APP_ANALYSIS_N_CHOICES],
                                     GError     **error);

/* A progress fraction written by a worker thread and read by the UI. */
typedef struct
{
  gint   permille;   /* atomic */
  double base, span; /* the current stage maps 0..1 to base .. base + span */
} AppAnalysisProgress;

void   app_analysis_progress_stage (AppAnalysisProgress *progress, double base, double span);
void   app_analysis_progress_report (double fraction, gpointer progress);
double app_analysis_progress_get (AppAnalysisProgress *progress);

/* Opens a save dialog named @suggested_name, then calls @save (panel, path, error) and toasts
 * the outcome. */
typedef gboolean (*AppAnalysisSaveFunc) (GtkWidget *panel, const char *path, GError **error);
void app_analysis_save_dialog (AppWindow          *window,
                               GtkWidget          *panel,
                               const char         *title,
                               const char         *suggested_name,
                               AppAnalysisSaveFunc save);

G_END_DECLS
