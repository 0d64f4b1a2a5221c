#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>

#include "app-map-export.h"
#include "app-psks.h"
#include "geo-categories.h"

/* "Export Map…": the current view of the map as a PNG (what the map widget draws: basemap,
 * boundaries, roads, families, resources, rounds) or as an A4 landscape PDF map with a title,
 * the legend of the visible PMKS categories and PSKS types, a scale bar, a north arrow, the
 * date and the data source. */

#define A4_W 841.89
#define A4_H 595.28
#define MARGIN 28.0

/**
 * app_map_export_render:
 * @scale: device pixels per map pixel (2 for print)
 *
 * Renders the map widget (every layer, no controls) with the window's renderer.
 *
 * Returns: (transfer full): the image, or NULL when the map has not been drawn yet.
 */
GdkTexture *
app_map_export_render (AppWindow *window, double scale, GError **error)
{
  GtkWidget *map = GTK_WIDGET (app_window_get_map (window));
  int        w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  if (w <= 0 || h <= 0 || !gtk_widget_get_mapped (map) || gtk_widget_get_native (map) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The map is not shown"));
      return NULL;
    }
  renderer = gtk_native_get_renderer (gtk_widget_get_native (map));
  paintable = gtk_widget_paintable_new (map);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_scale (snapshot, scale, scale);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL || renderer == NULL)
    {
      g_set_error_literal (error,
                           G_IO_ERROR,
                           G_IO_ERROR_FAILED,
                           _ ("The map has not been drawn yet"));
      return NULL;
    }
  return gsk_renderer_render_texture (renderer,
                                      node,
                                      &GRAPHENE_RECT_INIT (0,
                                                           0,
                                                           ceil (w * scale),
                                                           ceil (h * scale)));
}

gboolean
app_map_export_png (AppWindow *window, const char *path, GError **error)
{
  g_autoptr(GdkTexture) texture = app_map_export_render (window, 1.0, error);

  if (texture == NULL)
    return FALSE;
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write %s"), path);
      return FALSE;
    }
  return TRUE;
}

static cairo_surface_t *
texture_to_surface (GdkTexture *texture)
{
  int              w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);

  gdk_texture_download (texture,
                        cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  return surface;
}

static void
show_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double width)
{
  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  else
    pango_layout_set_width (layout, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
set_font (PangoLayout *layout, const char *desc)
{
  PangoFontDescription *font = pango_font_description_from_string (desc);

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return h / (double) PANGO_SCALE;
}

/* A length of 1, 2 or 5 × 10^n metres close to @target. */
static double
nice_length (double target)
{
  double p = pow (10, floor (log10 (target)));
  double m = target / p;

  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

static void
draw_north_arrow (cairo_t *cr, double x, double y, double size, double rotation)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, -rotation);
  cairo_move_to (cr, 0, -size / 2);
  cairo_line_to (cr, size / 4, size / 2);
  cairo_line_to (cr, 0, size / 3);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_fill (cr);
  cairo_move_to (cr, 0, -size / 2);
  cairo_line_to (cr, -size / 4, size / 2);
  cairo_line_to (cr, 0, size / 3);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/**
 * app_map_export_pdf:
 *
 * Writes the current view as an A4 landscape PDF map: title, the map (rendered at twice the
 * screen resolution), legend, scale bar, north arrow, date and data source.
 */
gboolean
app_map_export_pdf (AppWindow *window, const char *path, GError **error)
{
  AppProject       *project = app_window_get_project (window);
  ShumateViewport  *viewport = app_window_get_viewport (window);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *title = NULL;
  g_autofree char *date = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  cairo_surface_t *pdf, *img;
  cairo_t         *cr;
  PangoLayout     *layout;
  cairo_status_t   status;
  double           map_x = MARGIN, map_y = MARGIN + 34, legend_w = 190;
  double           map_w = A4_W - 2 * MARGIN - legend_w - 14, map_h = A4_H - map_y - MARGIN - 22;
  double           img_w, img_h, s, draw_w, draw_h, lx, ly;
  const guint     *families;
  guint32          visible;

  if (project == NULL || source == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Open a project first"));
      return FALSE;
    }
  texture = app_map_export_render (window, 2.0, error);
  if (texture == NULL)
    return FALSE;

  pdf = cairo_pdf_surface_create (path, A4_W, A4_H);
  if (cairo_surface_status (pdf) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error,
                   G_IO_ERROR,
                   G_IO_ERROR_FAILED,
                   _ ("Cannot write %s: %s"),
                   path,
                   cairo_status_to_string (cairo_surface_status (pdf)));
      cairo_surface_destroy (pdf);
      return FALSE;
    }
  base = app_project_dup_title (project);
  title = g_strdup_printf (_ ("Map of PMKS families and PSKS resources — %s"), base);
  cr = cairo_create (pdf);
  layout = pango_cairo_create_layout (cr);

  /* Title. */
  set_font (layout, "Sans Bold 15");
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text (cr, layout, title, MARGIN, MARGIN - 4, A4_W - 2 * MARGIN);

  /* The map, fitted into its frame (the view's aspect kept, centred). */
  img = texture_to_surface (texture);
  img_w = gdk_texture_get_width (texture);
  img_h = gdk_texture_get_height (texture);
  s = MIN (map_w / img_w, map_h / img_h);
  draw_w = img_w * s;
  draw_h = img_h * s;
  map_x += (map_w - draw_w) / 2;
  cairo_save (cr);
  cairo_rectangle (cr, map_x, map_y, draw_w, draw_h);
  cairo_clip (cr);
  cairo_translate (cr, map_x, map_y);
  cairo_scale (cr, s, s);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
  cairo_rectangle (cr, map_x, map_y, draw_w, draw_h);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);

  /* North arrow, top right inside the frame. */
  cairo_rectangle (cr, map_x + draw_w - 34, map_y + 6, 28, 40);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_fill (cr);
  draw_north_arrow (cr,
                    map_x + draw_w - 20,
                    map_y + 30,
                    22,
                    shumate_viewport_get_rotation (viewport));
  set_font (layout, "Sans Bold 8");
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text (cr, layout, "U", map_x + draw_w - 23.5, map_y + 6, -1); /* Utara */

  /* Scale bar, bottom left inside the frame: metres per point from the view's centre. */
  {
    double zoom = shumate_viewport_get_zoom_level (viewport);
    double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
    double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
    /* The texture has 2 pixels per map pixel, each drawn s points wide. */
    double m_per_pt = shumate_map_source_get_meters_per_pixel (source, zoom, lat, lon) / (2.0 * s);
    double len_m = nice_length (draw_w / 5 * m_per_pt);
    double len_pt = len_m / m_per_pt;
    g_autofree char *label = len_m >= 1000 ? g_strdup_printf (_ ("%g km"), len_m / 1000)
                                           : g_strdup_printf (_ ("%g m"), len_m);
    double           bx = map_x + 10, by = map_y + draw_h - 14;

    cairo_rectangle (cr, bx - 4, by - 16, len_pt + 8 + 40, 26);
    cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
    cairo_fill (cr);
    cairo_rectangle (cr, bx, by, len_pt / 2, 4);
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
    cairo_fill (cr);
    cairo_rectangle (cr, bx, by, len_pt, 4);
    cairo_set_line_width (cr, 0.8);
    cairo_stroke (cr);
    set_font (layout, "Sans 7");
    show_text (cr, layout, "0", bx - 2, by - 12, -1);
    show_text (cr, layout, label, bx + len_pt - 6, by - 12, -1);
  }

  /* Legend. */
  lx = A4_W - MARGIN - legend_w;
  ly = map_y;
  set_font (layout, "Sans Bold 10");
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text (cr, layout, _ ("Legend"), lx, ly, legend_w);
  ly += layout_height (layout) + 4;
  set_font (layout, "Sans 7.5");
  families = app_project_get_family_counts (project);
  visible = map_family_layer_get_visible_categories (app_window_get_family_layer (window));
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES && ly < map_y + map_h - 40; c++)
    {
      const GeoCategory *cat = geo_pmks_get (c);

      if (families[c] == 0 || (visible & (1u << (c - 1))) == 0)
        continue;
      map_draw_category_symbol (cr, c, lx + 6, ly + 5, 4.5);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_text (cr, layout, cat->name, lx + 16, ly, legend_w - 16);
      ly += MAX (layout_height (layout), 11) + 2;
    }
  {
    MapResourceLayer   *rl = app_psks_get_layer (window);
    const GeoResources *res = rl != NULL ? map_resource_layer_get_resources (rl) : NULL;
    guint32             types = rl != NULL ? map_resource_layer_get_visible_types (rl) : 0;
    guint32             present = 0;

    for (guint i = 0; res != NULL && i < res->n; i++)
      present |= GEO_TYPE_BIT (res->type[i]);
    if ((present & types) != 0)
      {
        ly += 4;
        set_font (layout, "Sans Bold 8");
        show_text (cr, layout, _ ("PSKS resources"), lx, ly, legend_w);
        ly += layout_height (layout) + 3;
        set_font (layout, "Sans 7.5");
      }
    for (int t = 1; t <= 12 && ly < map_y + map_h - 12; t++)
      {
        if ((present & types & GEO_TYPE_BIT (t)) == 0)
          continue;
        map_draw_psks_symbol (cr, t, lx + 6, ly + 5, 4.5);
        cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
        show_text (cr, layout, geo_psks_get (t)->name, lx + 16, ly, legend_w - 16);
        ly += MAX (layout_height (layout), 11) + 2;
      }
  }
  ly += 4;
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  set_font (layout, "Sans Italic 7");
  show_text (cr,
             layout,
             _ ("Numbered circles: families in the area. Split symbols: several "
                "categories."),
             lx,
             ly,
             legend_w);

  /* Date and data source. */
  date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  {
    g_autofree char *file = g_path_get_basename (app_project_get_path (project));

    footer = g_strdup_printf (_ ("Made %s with Jangkau. Data: project %s (Dinas Sosial). Basemap: "
                                 "%s. Coordinates WGS 84, Web Mercator."),
                              date,
                              file,
                              shumate_map_source_get_name (source));
  }
  set_font (layout, "Sans 7");
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  show_text (cr, layout, footer, MARGIN, map_y + draw_h + 6, A4_W - 2 * MARGIN);

  g_object_unref (layout);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  status = cairo_surface_status (pdf);
  cairo_surface_destroy (pdf);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error,
                   G_IO_ERROR,
                   G_IO_ERROR_FAILED,
                   _ ("Cannot write %s: %s"),
                   path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static void
on_file_chosen (GtkNativeDialog *chooser, int response, AppWindow *window)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (path == NULL)
        goto out;
      if (g_str_has_suffix (path, ".png") || g_str_has_suffix (path, ".PNG"))
        ok = app_map_export_png (window, path, &error);
      else
        {
          if (!g_str_has_suffix (path, ".pdf") && !g_str_has_suffix (path, ".PDF"))
            {
              char *with_ext = g_strconcat (path, ".pdf", NULL);

              g_free (path);
              path = with_ext;
            }
          ok = app_map_export_pdf (window, path, &error);
        }
      if (ok)
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *msg = g_strdup_printf (_ ("Map saved to %s"), base);

          app_window_toast (window, msg);
        }
      else
        app_window_toast (window, error->message);
    }
out:
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_map_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  AppWindow            *window = APP_WINDOW (data);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) pdf = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();

  if (app_window_get_project (window) == NULL)
    {
      app_window_toast (window, _ ("Open a project first"));
      return;
    }
  chooser = gtk_file_chooser_native_new (_ ("Export Map"),
                                         GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _ ("_Export"),
                                         _ ("_Cancel"));
  gtk_file_filter_set_name (pdf, _ ("PDF map, A4 landscape (.pdf)"));
  gtk_file_filter_add_pattern (pdf, "*.pdf");
  gtk_file_filter_set_name (png, _ ("Image of the view (.png)"));
  gtk_file_filter_add_pattern (png, "*.png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pdf);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), png);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "peta.pdf");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), window);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Adds `win.export-map` (main menu "Export Map…") to @window. */
void
app_map_export_attach (AppWindow *window)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("export-map", NULL);

  g_signal_connect (action, "activate", G_CALLBACK (export_map_activated), window);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}
