#include "config.h"

#include <math.h>

#include "map-area-layer.h"
#include "map-point-index.h"

/* Admin boundaries: a pale land fill, desa outlines, bolder kecamatan outlines and the
 * names (kecamatan from zoom 10, desa from zoom 13), culled by bounding box and with
 * overlapping labels dropped. Geometry is projected once to normalized Mercator. */

struct _MapAreaLayer
{
  ShumateLayer parent_instance;

  /* owned */
  GeoAreaShapes *shapes;
  double        *mx; /* normalized Mercator of shapes->points */
  double        *my;
  GPtrArray     *labels; /* PangoLayout per area, created lazily */
  guint          n_labels_drawn;
};

G_DEFINE_FINAL_TYPE (MapAreaLayer, map_area_layer, SHUMATE_TYPE_LAYER)

typedef struct
{
  double cx, cy, world, w2, h2, cos_r, sin_r, zoom;
} View;

static inline void
project (const View *v, double x, double y, double *sx, double *sy)
{
  double dx = (x - v->cx) * v->world, dy = (y - v->cy) * v->world;

  *sx = v->w2 + dx * v->cos_r - dy * v->sin_r;
  *sy = v->h2 + dx * v->sin_r + dy * v->cos_r;
}

static void
trace_area (MapAreaLayer *self, cairo_t *cr, const View *v, const GeoAreaShape *a)
{
  for (guint r = a->first_ring; r < a->first_ring + a->n_rings; r++)
    {
      guint  start = self->shapes->ring_offsets[r], end = self->shapes->ring_offsets[r + 1];
      double lx = 0, ly = 0;

      for (guint i = start; i < end; i++)
        {
          double sx, sy;

          project (v, self->mx[i], self->my[i], &sx, &sy);
          if (i == start)
            cairo_move_to (cr, sx, sy);
          else if (fabs (sx - lx) + fabs (sy - ly) >= 0.75 || i == end - 1)
            cairo_line_to (cr, sx, sy);
          else
            continue;
          lx = sx;
          ly = sy;
        }
      cairo_close_path (cr);
    }
}

static gboolean
area_visible (const View *v, const GeoAreaShape *a, int width, int height)
{
  double x0, y0, x1, y1, sx0, sy0, sx1, sy1;

  map_lonlat_to_mercator (a->min_lon, a->max_lat, &x0, &y0);
  map_lonlat_to_mercator (a->max_lon, a->min_lat, &x1, &y1);
  if (v->sin_r != 0)
    return TRUE;
  project (v, x0, y0, &sx0, &sy0);
  project (v, x1, y1, &sx1, &sy1);
  return !(sx1 < 0 || sy1 < 0 || sx0 > width || sy0 > height);
}

static void
map_area_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapAreaLayer     *self = MAP_AREA_LAYER (widget);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int               width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GArray) taken = NULL;
  GArray  *visible;
  View     v;
  cairo_t *cr;
  double   rot;

  self->n_labels_drawn = 0;
  if (source == NULL || self->shapes == NULL || self->shapes->n_areas == 0)
    return;
  v.zoom = shumate_viewport_get_zoom_level (viewport);
  v.world = shumate_map_source_get_tile_size (source) * exp2 (v.zoom);
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &v.cx,
                          &v.cy);
  v.w2 = width / 2.0;
  v.h2 = height / 2.0;
  rot = shumate_viewport_get_rotation (viewport);
  v.cos_r = cos (rot);
  v.sin_r = sin (rot);

  visible = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < self->shapes->n_areas; i++)
    if (area_visible (&v, &self->shapes->areas[i], width, height))
      g_array_append_val (visible, i);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Land fill under the desa (or the kecamatan when the desa are not loaded). */
  for (guint k = 0; k < visible->len; k++)
    {
      const GeoAreaShape *a = &self->shapes->areas[g_array_index (visible, guint, k)];

      if (a->level == GEO_AREA_DESA || a->level == GEO_AREA_KECAMATAN)
        trace_area (self, cr, &v, a);
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_set_source_rgba (cr, 0.98, 0.97, 0.95, 0.72);
  cairo_fill (cr);

  for (int pass = 0; pass < 2; pass++)
    {
      GeoAreaLevel level = pass == 0 ? GEO_AREA_DESA : GEO_AREA_KECAMATAN;

      for (guint k = 0; k < visible->len; k++)
        {
          const GeoAreaShape *a = &self->shapes->areas[g_array_index (visible, guint, k)];

          if (a->level == level || (pass == 1 && a->level < GEO_AREA_KECAMATAN))
            trace_area (self, cr, &v, a);
        }
      if (pass == 0)
        {
          cairo_set_source_rgba (cr, 0.45, 0.42, 0.38, 0.8);
          cairo_set_line_width (cr, v.zoom >= 13 ? 1.2 : 0.7);
        }
      else
        {
          cairo_set_source_rgba (cr, 0.30, 0.22, 0.35, 0.95);
          cairo_set_line_width (cr, v.zoom >= 12 ? 2.6 : 1.8);
        }
      cairo_stroke (cr);
    }

  /* Labels: kecamatan first (they win collisions), desa when zoomed in. */
  taken = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  for (int pass = 0; pass < 2; pass++)
    {
      GeoAreaLevel level = pass == 0 ? GEO_AREA_KECAMATAN : GEO_AREA_DESA;

      if ((level == GEO_AREA_KECAMATAN && v.zoom < 10) || (level == GEO_AREA_DESA && v.zoom < 12.5))
        continue;
      for (guint k = 0; k < visible->len; k++)
        {
          guint               idx = g_array_index (visible, guint, k);
          const GeoAreaShape *a = &self->shapes->areas[idx];
          PangoLayout        *layout;
          graphene_rect_t     box;
          double              x, y, sx, sy;
          int                 lw, lh;
          gboolean            clash = FALSE;

          if (a->level != level)
            continue;
          layout = g_ptr_array_index (self->labels, idx);
          if (layout == NULL)
            {
              PangoFontDescription *font = pango_font_description_from_string (
                level == GEO_AREA_KECAMATAN ? "Sans Bold 10" : "Sans 8.5");

              layout = gtk_widget_create_pango_layout (widget, a->name);
              if (level == GEO_AREA_KECAMATAN)
                {
                  g_autofree char *up = g_utf8_strup (a->name, -1);

                  pango_layout_set_text (layout, up, -1);
                }
              pango_layout_set_font_description (layout, font);
              pango_font_description_free (font);
              g_ptr_array_index (self->labels, idx) = layout;
            }
          map_lonlat_to_mercator (a->label_lon, a->label_lat, &x, &y);
          project (&v, x, y, &sx, &sy);
          pango_layout_get_pixel_size (layout, &lw, &lh);
          box = GRAPHENE_RECT_INIT (sx - lw / 2.0 - 2, sy - lh / 2.0 - 1, lw + 4, lh + 2);
          if (box.origin.x + box.size.width < 0 || box.origin.y + box.size.height < 0 ||
              box.origin.x > width || box.origin.y > height)
            continue;
          for (guint t = 0; t < taken->len && !clash; t++)
            clash = graphene_rect_intersection (&box, &g_array_index (taken, graphene_rect_t, t),
                                                NULL);
          if (clash)
            continue;
          g_array_append_val (taken, box);
          /* A halo keeps names legible over points and basemap. */
          cairo_move_to (cr, sx - lw / 2.0, sy - lh / 2.0);
          pango_cairo_layout_path (cr, layout);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
          cairo_set_line_width (cr, 3);
          cairo_stroke (cr);
          cairo_move_to (cr, sx - lw / 2.0, sy - lh / 2.0);
          if (level == GEO_AREA_KECAMATAN)
            cairo_set_source_rgb (cr, 0.30, 0.22, 0.35);
          else
            cairo_set_source_rgb (cr, 0.25, 0.24, 0.22);
          pango_cairo_show_layout (cr, layout);
          self->n_labels_drawn++;
        }
    }
  cairo_destroy (cr);
  g_array_unref (visible);
}

static void
map_area_layer_constructed (GObject *object)
{
  MapAreaLayer *self = MAP_AREA_LAYER (object);

  G_OBJECT_CLASS (map_area_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                           "notify",
                           G_CALLBACK (gtk_widget_queue_draw),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
map_area_layer_finalize (GObject *object)
{
  MapAreaLayer *self = MAP_AREA_LAYER (object);

  g_clear_pointer (&self->shapes, geo_area_shapes_free);
  g_clear_pointer (&self->mx, g_free);
  g_clear_pointer (&self->my, g_free);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  G_OBJECT_CLASS (map_area_layer_parent_class)->finalize (object);
}

static void
map_area_layer_class_init (MapAreaLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = map_area_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = map_area_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = map_area_layer_snapshot;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
unref_layout (gpointer layout)
{
  if (layout != NULL)
    g_object_unref (layout);
}

static void
map_area_layer_init (MapAreaLayer *self)
{
  self->labels = g_ptr_array_new_with_free_func (unref_layout);
}

MapAreaLayer *
map_area_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_AREA_LAYER, "viewport", viewport, NULL);
}

/* Takes ownership of @shapes (loaded in a worker with geo_area_shapes_load()). */
void
map_area_layer_set_shapes (MapAreaLayer *self, GeoAreaShapes *shapes)
{
  g_return_if_fail (MAP_IS_AREA_LAYER (self));
  g_clear_pointer (&self->shapes, geo_area_shapes_free);
  g_clear_pointer (&self->mx, g_free);
  g_clear_pointer (&self->my, g_free);
  g_ptr_array_set_size (self->labels, 0);
  self->shapes = shapes;
  if (shapes != NULL)
    {
      self->mx = g_new (double, MAX (shapes->n_points, 1));
      self->my = g_new (double, MAX (shapes->n_points, 1));
      for (guint i = 0; i < shapes->n_points; i++)
        map_lonlat_to_mercator (shapes->points[i].lon, shapes->points[i].lat, &self->mx[i],
                                &self->my[i]);
      g_ptr_array_set_size (self->labels, shapes->n_areas);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
map_area_layer_get_n_areas (MapAreaLayer *self)
{
  g_return_val_if_fail (MAP_IS_AREA_LAYER (self), 0);
  return self->shapes != NULL ? self->shapes->n_areas : 0;
}

guint
map_area_layer_get_n_labels_drawn (MapAreaLayer *self)
{
  return self->n_labels_drawn;
}

gboolean
map_area_layer_get_extent (MapAreaLayer *self,
                           double       *min_lon,
                           double       *min_lat,
                           double       *max_lon,
                           double       *max_lat)
{
  g_return_val_if_fail (MAP_IS_AREA_LAYER (self), FALSE);
  if (self->shapes == NULL || self->shapes->n_areas == 0)
    return FALSE;
  *min_lon = *min_lat = G_MAXDOUBLE;
  *max_lon = *max_lat = -G_MAXDOUBLE;
  for (guint i = 0; i < self->shapes->n_areas; i++)
    {
      const GeoAreaShape *a = &self->shapes->areas[i];

      *min_lon = MIN (*min_lon, a->min_lon);
      *min_lat = MIN (*min_lat, a->min_lat);
      *max_lon = MAX (*max_lon, a->max_lon);
      *max_lat = MAX (*max_lat, a->max_lat);
    }
  return TRUE;
}
