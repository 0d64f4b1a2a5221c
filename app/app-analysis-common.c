#include "config.h"

#include "app-analysis-common.h"

#include <glib/gi18n.h>

#include "geo-categories.h"
#include "map-point-index.h"

void
app_analysis_label (GtkWidget *widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label,
                                  -1);
  /* GTK 4.8 cannot read an accessible property back: the UI tests check this copy. */
  g_object_set_data_full (G_OBJECT (widget), "app-a11y-label", g_strdup (label), g_free);
}

GtkWidget *
app_analysis_heading (const char *text)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_add_css_class (l, "heading");
  gtk_widget_set_margin_top (l, 8);
  return l;
}

GtkWidget *
app_analysis_row (GtkWidget *grid, int y, const char *title, GtkWidget *widget, const char *name)
{
  GtkWidget *l = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (GTK_GRID (grid), l, 0, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), widget, 1, y, 1, 1);
  gtk_widget_set_name (widget, name);
  app_analysis_label (widget, title);
  return widget;
}

GtkSpinButton *
app_analysis_spin (double min, double max, double step, double value)
{
  GtkWidget *s = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (s), value);
  return GTK_SPIN_BUTTON (s);
}

static void
setup_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer ellipsize)
{
  GtkWidget *l = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (ellipsize != NULL)
    {
      gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (l), 8);
    }
  gtk_list_item_set_child (item, l);
}

static void
bind_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static GtkListItemFactory *
label_factory (gboolean ellipsize)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();

  g_signal_connect (f, "setup", G_CALLBACK (setup_item), ellipsize ? GINT_TO_POINTER (1) : NULL);
  g_signal_connect (f, "bind", G_CALLBACK (bind_item), NULL);
  return f;
}

GtkWidget *
app_analysis_category_dropdown (void)
{
  GtkWidget *dd = gtk_drop_down_new (NULL, NULL);
  g_autoptr(GtkListItemFactory) button = label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list = label_factory (FALSE);

  /* Long category names ellipsize in the button, so the sidebar keeps its width; the popup
   * shows them whole. */
  gtk_drop_down_set_factory (GTK_DROP_DOWN (dd), button);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (dd), list);
  return dd;
}

void
app_analysis_fill_categories (GtkDropDown *dropdown,
                              AppProject  *project,
                              int          codes[APP_ANALYSIS_N_CHOICES])
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const guint *fam = project != NULL ? app_project_get_family_counts (project) : NULL;
  guint        n = 0;

  gtk_string_list_append (list, _ ("Categories visible on the map"));
  codes[n++] = -1;
  gtk_string_list_append (list, _ ("All persons"));
  codes[n++] = 0;
  for (int c = 1; fam != NULL && c <= GEO_PMKS_N_CATEGORIES; c++)
    if (fam[c] > 0)
      {
        gtk_string_list_append (list, geo_pmks_get (c)->name);
        codes[n++] = c;
      }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, 0);
}

GeoFilter *
app_analysis_make_filter (AppWindow   *window,
                          GtkDropDown *dropdown,
                          const int    codes[APP_ANALYSIS_N_CHOICES],
                          GError     **error)
{
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  guint k = gtk_drop_down_get_selected (dropdown);
  int   code = k < APP_ANALYSIS_N_CHOICES ? codes[k] : 0;

  if (code > 0)
    {
      filter->categories[filter->n_categories++] = code;
    }
  else if (code < 0)
    {
      AppProject  *project = app_window_get_project (window);
      const guint *fam = app_project_get_family_counts (project);
      guint32 mask = map_family_layer_get_visible_categories (app_window_get_family_layer (window));
      gboolean all = (mask & MAP_NO_CATEGORY) != 0 || fam[0] == 0;

      /* Every category present switched on (and the uncategorised too): no filter at all. */
      for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
        if (fam[c] > 0 && (mask & GEO_CATEGORY_BIT (c)) == 0)
          all = FALSE;
      if (!all)
        for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
          if (mask & GEO_CATEGORY_BIT (c))
            filter->categories[filter->n_categories++] = c;
      if (!all && filter->n_categories == 0)
        {
          g_set_error_literal (error,
                               G_IO_ERROR,
                               G_IO_ERROR_INVALID_ARGUMENT,
                               _ ("No category is shown on the map: switch one on in the layer "
                                  "list, or choose a category here."));
          return NULL;
        }
    }
  return g_steal_pointer (&filter);
}

void
app_analysis_progress_stage (AppAnalysisProgress *progress, double base, double span)
{
  progress->base = base;
  progress->span = span;
  g_atomic_int_set (&progress->permille, (gint) (base * 1000));
}

void
app_analysis_progress_report (double fraction, gpointer data)
{
  AppAnalysisProgress *progress = data;

  g_atomic_int_set (&progress->permille,
                    (gint) ((progress->base + CLAMP (fraction, 0, 1) * progress->span) * 1000));
}

double
app_analysis_progress_get (AppAnalysisProgress *progress)
{
  return g_atomic_int_get (&progress->permille) / 1000.0;
}

typedef struct
{
  AppWindow          *window;
  GtkWidget          *panel;
  AppAnalysisSaveFunc save;
} SaveCtx;

static void
on_save_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  SaveCtx *ctx = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (ctx->save (ctx->panel, path, &error))
        {
          g_autofree char *msg = g_strdup_printf (_ ("Saved %s"), path);

          app_window_toast (ctx->window, msg);
        }
      else
        app_window_toast (ctx->window, error->message);
    }
  g_object_unref (ctx->panel);
  g_object_unref (ctx->window);
  g_free (ctx);
  g_object_unref (dialog);
}

void
app_analysis_save_dialog (AppWindow          *window,
                          GtkWidget          *panel,
                          const char         *title,
                          const char         *suggested_name,
                          AppAnalysisSaveFunc save)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title,
                                                              GTK_WINDOW (window),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              _ ("_Save"),
                                                              _ ("_Cancel"));
  SaveCtx              *ctx = g_new0 (SaveCtx, 1);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested_name);
  ctx->window = g_object_ref (window);
  ctx->panel = g_object_ref (panel);
  ctx->save = save;
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), ctx);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
