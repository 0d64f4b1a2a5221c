#include "config.h"

#include "map-resource-layer.h"

#include <math.h>

#include "geo-categories.h"
#include "map-family-layer.h"
#include "map-point-index.h"

/* PSKS resources (panti, LKS, TKSK, ...): a few hundred to a few thousand points, each drawn as
 * its type's symbol in the type's colour with a dark rim (families have a white one), from
 * sprites made once per type; the selected one gets a blue ring. Positions are projected to
 * normalized Web Mercator once, when the resources are set. */

#define SYMBOL_R 8.0

struct _MapResourceLayer
{
  ShumateLayer parent_instance;

  /* owned */
  GeoResources *resources;
  double       *x, *y;       /* normalized Web Mercator */
  GdkTexture   *sprites[13]; /* per type; [0] unused */
  GdkTexture   *ring;
  int           sprite_scale;
  /* state */
  guint32 visible;
  gint64  selected;
  guint   n_drawn;
};

G_DEFINE_FINAL_TYPE (MapResourceLayer, map_resource_layer, SHUMATE_TYPE_LAYER)

void
map_draw_psks_symbol (cairo_t *cr, int type, double x, double y, double r)
{
  const GeoCategory *cat = geo_psks_get (type);
  GdkRGBA            rgba;

  if (cat == NULL || !gdk_rgba_parse (&rgba, cat->colour))
    gdk_rgba_parse (&rgba, "#5e5c64");
  map_symbol_path (cr, cat != NULL ? cat->symbol : NULL, x, y, r);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  cairo_set_line_width (cr, 4.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.14, 0.12, 0.19);
  cairo_set_line_width (cr, 1.6);
  cairo_stroke (cr);
}

static GdkTexture *
make_sprite (int type, int scale, double *size_out)
{
  double           size = ceil (2 * (SYMBOL_R + 8));
  int              px = (int) (size * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cairo_t         *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;

  cairo_scale (cr, scale, scale);
  if (type > 0)
    map_draw_psks_symbol (cr, type, size / 2, size / 2, SYMBOL_R);
  else
    {
      cairo_arc (cr, size / 2, size / 2, SYMBOL_R + 5, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * px);
  texture = gdk_memory_texture_new (px,
                                    px,
                                    GDK_MEMORY_DEFAULT,
                                    bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  *size_out = size;
  return texture;
}

static void
clear_sprites (MapResourceLayer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->sprites); i++)
    g_clear_object (&self->sprites[i]);
  g_clear_object (&self->ring);
}

typedef struct
{
  double cx, cy, world, cos_r, sin_r;
  int    width, height;
} View;

static gboolean
view_init (MapResourceLayer *self, int width, int height, View *v)
{
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double            rot;

  if (source == NULL || self->resources == NULL || width <= 0 || height <= 0)
    return FALSE;
  v->world =
      shumate_map_source_get_tile_size (source) * exp2 (shumate_viewport_get_zoom_level (viewport));
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &v->cx,
                          &v->cy);
  rot = shumate_viewport_get_rotation (viewport);
  v->cos_r = cos (rot);
  v->sin_r = sin (rot);
  v->width = width;
  v->height = height;
  return TRUE;
}

static inline void
view_project (const View *v, double x, double y, double *sx, double *sy)
{
  double dx = (x - v->cx) * v->world, dy = (y - v->cy) * v->world;

  *sx = v->width / 2.0 + dx * v->cos_r - dy * v->sin_r;
  *sy = v->height / 2.0 + dx * v->sin_r + dy * v->cos_r;
}

static void
map_resource_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapResourceLayer *self = MAP_RESOURCE_LAYER (widget);
  View              v;
  int               scale = MAX (gtk_widget_get_scale_factor (widget), 1);
  double            size = 0, ring_size = 0, sel_x = 0, sel_y = 0, zoom, shrink;
  gboolean          sel_drawn = FALSE;

  self->n_drawn = 0;
  if (!view_init (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), &v))
    return;
  /* Smaller symbols over a whole kabupaten, so the resources do not hide the PMKS clusters. */
  zoom = shumate_viewport_get_zoom_level (shumate_layer_get_viewport (SHUMATE_LAYER (self)));
  shrink = zoom < 11 ? 0.55 : zoom < 13 ? 0.75 : 1.0;
  if (scale != self->sprite_scale)
    {
      clear_sprites (self);
      self->sprite_scale = scale;
    }
  for (guint i = 0; i < self->resources->n; i++)
    {
      int    type = self->resources->type[i];
      double sx, sy;

      if ((self->visible & GEO_TYPE_BIT (type)) == 0)
        continue;
      view_project (&v, self->x[i], self->y[i], &sx, &sy);
      if (sx < -20 || sy < -20 || sx > v.width + 20 || sy > v.height + 20)
        continue;
      if (self->sprites[type] == NULL)
        self->sprites[type] = make_sprite (type, scale, &size);
      size = ceil (2 * (SYMBOL_R + 8)) * shrink;
      gtk_snapshot_append_texture (snapshot,
                                   self->sprites[type],
                                   &GRAPHENE_RECT_INIT (round (sx - size / 2),
                                                        round (sy - size / 2),
                                                        size,
                                                        size));
      self->n_drawn++;
      if (self->resources->id[i] == self->selected)
        {
          sel_drawn = TRUE;
          sel_x = sx;
          sel_y = sy;
        }
    }
  if (sel_drawn)
    {
      if (self->ring == NULL)
        self->ring = make_sprite (0, scale, &ring_size);
      ring_size = ceil (2 * (SYMBOL_R + 8)) * shrink;
      gtk_snapshot_append_texture (snapshot,
                                   self->ring,
                                   &GRAPHENE_RECT_INIT (round (sel_x - ring_size / 2),
                                                        round (sel_y - ring_size / 2),
                                                        ring_size,
                                                        ring_size));
    }
}

/**
 * map_resource_layer_draw:
 *
 * Draws the visible resources with cairo (for the PNG/PDF map export: vector output).
 */
void
map_resource_layer_draw (MapResourceLayer *self, cairo_t *cr, int width, int height)
{
  View v;

  g_return_if_fail (MAP_IS_RESOURCE_LAYER (self));
  if (!view_init (self, width, height, &v))
    return;
  for (guint i = 0; i < self->resources->n; i++)
    {
      int    type = self->resources->type[i];
      double sx, sy;

      if ((self->visible & GEO_TYPE_BIT (type)) == 0)
        continue;
      view_project (&v, self->x[i], self->y[i], &sx, &sy);
      if (sx < -20 || sy < -20 || sx > width + 20 || sy > height + 20)
        continue;
      map_draw_psks_symbol (cr, type, sx, sy, SYMBOL_R);
    }
}

/**
 * map_resource_layer_hit_test:
 *
 * Returns: the id of the visible resource nearest to (x, y) within 12 px, -1 when none.
 */
gint64
map_resource_layer_hit_test (MapResourceLayer *self, double x, double y)
{
  View   v;
  double best = 12.0;
  gint64 found = -1;

  g_return_val_if_fail (MAP_IS_RESOURCE_LAYER (self), -1);
  if (!gtk_widget_get_visible (GTK_WIDGET (self)) ||
      !view_init (self,
                  gtk_widget_get_width (GTK_WIDGET (self)),
                  gtk_widget_get_height (GTK_WIDGET (self)),
                  &v))
    return -1;
  for (guint i = 0; i < self->resources->n; i++)
    {
      double sx, sy, d;

      if ((self->visible & GEO_TYPE_BIT (self->resources->type[i])) == 0)
        continue;
      view_project (&v, self->x[i], self->y[i], &sx, &sy);
      d = hypot (sx - x, sy - y);
      if (d <= best)
        {
          best = d;
          found = self->resources->id[i];
        }
    }
  return found;
}

/**
 * map_resource_layer_set_resources:
 * @resources: (transfer full) (nullable): from geo_resources_load()
 */
void
map_resource_layer_set_resources (MapResourceLayer *self, GeoResources *resources)
{
  g_return_if_fail (MAP_IS_RESOURCE_LAYER (self));

  g_clear_pointer (&self->resources, geo_resources_free);
  g_clear_pointer (&self->x, g_free);
  g_clear_pointer (&self->y, g_free);
  self->resources = resources;
  if (resources != NULL)
    {
      self->x = g_new (double, MAX (resources->n, 1));
      self->y = g_new (double, MAX (resources->n, 1));
      for (guint i = 0; i < resources->n; i++)
        map_lonlat_to_mercator (resources->lon[i], resources->lat[i], &self->x[i], &self->y[i]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const GeoResources *
map_resource_layer_get_resources (MapResourceLayer *self)
{
  g_return_val_if_fail (MAP_IS_RESOURCE_LAYER (self), NULL);
  return self->resources;
}

void
map_resource_layer_set_visible_types (MapResourceLayer *self, guint32 mask)
{
  g_return_if_fail (MAP_IS_RESOURCE_LAYER (self));
  if (self->visible == mask)
    return;
  self->visible = mask;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint32
map_resource_layer_get_visible_types (MapResourceLayer *self)
{
  g_return_val_if_fail (MAP_IS_RESOURCE_LAYER (self), 0);
  return self->visible;
}

void
map_resource_layer_set_selected (MapResourceLayer *self, gint64 resource_id)
{
  g_return_if_fail (MAP_IS_RESOURCE_LAYER (self));
  if (self->selected == resource_id)
    return;
  self->selected = resource_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Resources drawn by the last frame (culled and hidden ones excluded). */
guint
map_resource_layer_get_n_drawn (MapResourceLayer *self)
{
  g_return_val_if_fail (MAP_IS_RESOURCE_LAYER (self), 0);
  return self->n_drawn;
}

static void
map_resource_layer_constructed (GObject *object)
{
  MapResourceLayer *self = MAP_RESOURCE_LAYER (object);

  G_OBJECT_CLASS (map_resource_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                           "notify",
                           G_CALLBACK (gtk_widget_queue_draw),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
map_resource_layer_finalize (GObject *object)
{
  MapResourceLayer *self = MAP_RESOURCE_LAYER (object);

  clear_sprites (self);
  g_clear_pointer (&self->resources, geo_resources_free);
  g_free (self->x);
  g_free (self->y);
  G_OBJECT_CLASS (map_resource_layer_parent_class)->finalize (object);
}

static void
map_resource_layer_class_init (MapResourceLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = map_resource_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = map_resource_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = map_resource_layer_snapshot;
}

static void
map_resource_layer_init (MapResourceLayer *self)
{
  self->visible = 0xfff;
  self->selected = -1;
}

MapResourceLayer *
map_resource_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_RESOURCE_LAYER, "viewport", viewport, NULL);
}
