#include "config.h"

#include "map-heat-layer.h"

#include <math.h>

#include "geo-grid.h"
#include "map-point-index.h"

#define MAX_SIDE 2048

struct _MapHeatLayer
{
  ShumateLayer parent_instance;

  /* owned */
  GdkTexture *texture;
  double      x0, y0, x1, y1; /* normalized Mercator, y down */
  double      max_value;
  gboolean    drawn;
};

G_DEFINE_FINAL_TYPE (MapHeatLayer, map_heat_layer, SHUMATE_TYPE_LAYER)

/* Magma-like, light to dark so that the densest areas stand out over a pale basemap; alpha
 * grows with the value so that empty land stays visible. */
static const struct
{
  double t, r, g, b, a;
} ramp[] = {
  { 0.00, 1.00, 0.96, 0.60, 0.00 }, { 0.10, 1.00, 0.89, 0.44, 0.45 },
  { 0.30, 0.99, 0.62, 0.26, 0.62 }, { 0.55, 0.91, 0.30, 0.24, 0.72 },
  { 0.80, 0.70, 0.09, 0.30, 0.80 }, { 1.00, 0.40, 0.00, 0.33, 0.85 },
};

void
map_heat_ramp_rgba (double t, GdkRGBA *rgba)
{
  guint k = 1;

  t = CLAMP (isfinite (t) ? t : 0, 0, 1);
  while (k + 1 < G_N_ELEMENTS (ramp) && t > ramp[k].t)
    k++;
  {
    double f = (t - ramp[k - 1].t) / (ramp[k].t - ramp[k - 1].t);

    f = CLAMP (f, 0, 1);
    rgba->red = ramp[k - 1].r + f * (ramp[k].r - ramp[k - 1].r);
    rgba->green = ramp[k - 1].g + f * (ramp[k].g - ramp[k - 1].g);
    rgba->blue = ramp[k - 1].b + f * (ramp[k].b - ramp[k - 1].b);
    rgba->alpha = ramp[k - 1].a + f * (ramp[k].a - ramp[k - 1].a);
  }
}

static void
map_heat_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapHeatLayer     *self = MAP_HEAT_LAYER (widget);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int               width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double            world, cx, cy, rot;
  graphene_rect_t   rect;

  self->drawn = FALSE;
  if (source == NULL || self->texture == NULL)
    return;
  world =
      shumate_map_source_get_tile_size (source) * exp2 (shumate_viewport_get_zoom_level (viewport));
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &cx,
                          &cy);
  rot = shumate_viewport_get_rotation (viewport);
  rect = GRAPHENE_RECT_INIT ((self->x0 - cx) * world,
                             (self->y0 - cy) * world,
                             (self->x1 - self->x0) * world,
                             (self->y1 - self->y0) * world);
  /* Culled when off screen (the rotation-free test; a rotated view always draws). */
  if (rot == 0 &&
      (rect.origin.x + width / 2.0 + rect.size.width < 0 || rect.origin.x + width / 2.0 > width ||
       rect.origin.y + height / 2.0 + rect.size.height < 0 ||
       rect.origin.y + height / 2.0 > height))
    return;
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2.0, height / 2.0));
  if (rot != 0)
    gtk_snapshot_rotate (snapshot, rot * 180 / G_PI);
  gtk_snapshot_append_texture (snapshot, self->texture, &rect);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
  self->drawn = TRUE;
}

static void
map_heat_layer_constructed (GObject *object)
{
  MapHeatLayer *self = MAP_HEAT_LAYER (object);

  G_OBJECT_CLASS (map_heat_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                           "notify",
                           G_CALLBACK (gtk_widget_queue_draw),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
map_heat_layer_dispose (GObject *object)
{
  MapHeatLayer *self = MAP_HEAT_LAYER (object);

  g_clear_object (&self->texture);
  G_OBJECT_CLASS (map_heat_layer_parent_class)->dispose (object);
}

static void
map_heat_layer_class_init (MapHeatLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = map_heat_layer_constructed;
  G_OBJECT_CLASS (klass)->dispose = map_heat_layer_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = map_heat_layer_snapshot;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
map_heat_layer_init (MapHeatLayer *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

MapHeatLayer *
map_heat_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_HEAT_LAYER, "viewport", viewport, NULL);
}

void
map_heat_layer_clear (MapHeatLayer *self)
{
  g_return_if_fail (MAP_IS_HEAT_LAYER (self));
  g_clear_object (&self->texture);
  self->max_value = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Bilinear value of the raster at fractional pixel (col, row), measured from the north-west
 * corner; NaN outside. */
static double
sample (const GeoDensityRaster *r, double col, double row)
{
  double fx = col - 0.5, fy = row - 0.5, tx, ty, v = 0;
  gint64 c0, r0;

  if (!(col >= 0 && row >= 0 && col <= r->width && row <= r->height))
    return NAN;
  c0 = (gint64) floor (fx);
  r0 = (gint64) floor (fy);
  tx = fx - c0;
  ty = fy - r0;
  for (int j = 0; j < 2; j++)
    for (int i = 0; i < 2; i++)
      {
        gint64 c = CLAMP (c0 + i, 0, (gint64) r->width - 1);
        gint64 rr = CLAMP (r0 + j, 0, (gint64) r->height - 1);

        v += (i ? tx : 1 - tx) * (j ? ty : 1 - ty) * r->values[(gsize) rr * r->width + c];
      }
  return v;
}

struct _MapHeatImage
{
  GBytes *pixels; /* R8G8B8A8 premultiplied */
  guint   width, height;
  double  x0, y0, x1, y1;
  double  max_value;
};

void
map_heat_image_free (MapHeatImage *image)
{
  if (image == NULL)
    return;
  g_bytes_unref (image->pixels);
  g_free (image);
}

/**
 * map_heat_image_new:
 *
 * Resamples @r (bilinearly) onto a Web Mercator grid of about its own size (at most MAX_SIDE
 * texels a side) and colours it with the ramp. No GTK: runs in a worker thread.
 */
MapHeatImage *
map_heat_image_new (const GeoDensityRaster *r, GError **error)
{
  const double      *gt;
  double             ex[8], ey[8];
  double             x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  guint              w, h;
  g_autofree double *px = NULL;
  g_autofree double *py = NULL;
  guint8            *rgba;
  MapHeatImage      *image;
  double             scale;

  g_return_val_if_fail (r != NULL && r->width > 0 && r->height > 0, NULL);
  gt = r->geotransform;
  /* The Mercator box around the raster: its corners and edge midpoints (UTM lines bend
   * slightly in Mercator). */
  for (int k = 0; k < 8; k++)
    {
      static const double fc[8] = { 0, 0.5, 1, 1, 1, 0.5, 0, 0 };
      static const double fr[8] = { 0, 0, 0, 0.5, 1, 1, 1, 0.5 };

      ex[k] = gt[0] + fc[k] * r->width * gt[1];
      ey[k] = gt[3] + fr[k] * r->height * gt[5];
    }
  if (!geo_grid_transform (r->epsg, 4326, ex, ey, 8, error))
    return NULL;
  for (int k = 0; k < 8; k++)
    {
      double mx, my;

      map_lonlat_to_mercator (ex[k], ey[k], &mx, &my);
      x0 = MIN (x0, mx);
      x1 = MAX (x1, mx);
      y0 = MIN (y0, my);
      y1 = MAX (y1, my);
    }
  /* About the raster's own resolution, capped. */
  scale = MIN (1.0, (double) MAX_SIDE / MAX (r->width, r->height));
  w = MAX (1, (guint) ceil (r->width * scale));
  h = MAX (1, (guint) ceil (w * (y1 - y0) / MAX (x1 - x0, 1e-12)));
  if (h > MAX_SIDE)
    {
      w = MAX (1, (guint) (w * (double) MAX_SIDE / h));
      h = MAX_SIDE;
    }
  /* Each texel's centre back to the raster's CRS, in one PROJ call. */
  px = g_new (double, (gsize) w *h);
  py = g_new (double, (gsize) w *h);
  for (guint j = 0; j < h; j++)
    for (guint i = 0; i < w; i++)
      map_mercator_to_lonlat (x0 + (i + 0.5) * (x1 - x0) / w,
                              y0 + (j + 0.5) * (y1 - y0) / h,
                              &px[(gsize) j * w + i],
                              &py[(gsize) j * w + i]);
  if (!geo_grid_transform (4326, r->epsg, px, py, (gsize) w * h, error))
    return NULL;
  rgba = g_new0 (guint8, (gsize) w * h * 4);
  for (gsize k = 0; k < (gsize) w * h; k++)
    {
      double  v = sample (r, (px[k] - gt[0]) / gt[1], (py[k] - gt[3]) / gt[5]);
      GdkRGBA c;

      if (!(v > 0) || !(r->max_value > 0))
        continue;
      map_heat_ramp_rgba (v / r->max_value, &c);
      /* Premultiplied. */
      rgba[4 * k + 0] = (guint8) lround (255 * c.red * c.alpha);
      rgba[4 * k + 1] = (guint8) lround (255 * c.green * c.alpha);
      rgba[4 * k + 2] = (guint8) lround (255 * c.blue * c.alpha);
      rgba[4 * k + 3] = (guint8) lround (255 * c.alpha);
    }
  image = g_new0 (MapHeatImage, 1);
  image->pixels = g_bytes_new_take (rgba, (gsize) w * h * 4);
  image->width = w;
  image->height = h;
  image->x0 = x0;
  image->y0 = y0;
  image->x1 = x1;
  image->y1 = y1;
  image->max_value = r->max_value;
  return image;
}

void
map_heat_layer_set_image (MapHeatLayer *self, MapHeatImage *image)
{
  g_return_if_fail (MAP_IS_HEAT_LAYER (self));
  g_clear_object (&self->texture);
  self->max_value = 0;
  if (image != NULL)
    {
      self->texture = gdk_memory_texture_new (image->width,
                                              image->height,
                                              GDK_MEMORY_R8G8B8A8_PREMULTIPLIED,
                                              image->pixels,
                                              (gsize) image->width * 4);
      self->x0 = image->x0;
      self->y0 = image->y0;
      self->x1 = image->x1;
      self->y1 = image->y1;
      self->max_value = image->max_value;
      map_heat_image_free (image);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
map_heat_layer_set_raster (MapHeatLayer *self, const GeoDensityRaster *r, GError **error)
{
  MapHeatImage *image;

  g_return_val_if_fail (MAP_IS_HEAT_LAYER (self), FALSE);
  image = map_heat_image_new (r, error);
  if (image == NULL)
    return FALSE;
  map_heat_layer_set_image (self, image);
  return TRUE;
}

GdkTexture *
map_heat_layer_get_texture (MapHeatLayer *self)
{
  g_return_val_if_fail (MAP_IS_HEAT_LAYER (self), NULL);
  return self->texture;
}

gboolean
map_heat_layer_get_extent (
    MapHeatLayer *self, double *min_lon, double *min_lat, double *max_lon, double *max_lat)
{
  g_return_val_if_fail (MAP_IS_HEAT_LAYER (self), FALSE);
  if (self->texture == NULL)
    return FALSE;
  map_mercator_to_lonlat (self->x0, self->y1, min_lon, min_lat);
  map_mercator_to_lonlat (self->x1, self->y0, max_lon, max_lat);
  return TRUE;
}

double
map_heat_layer_get_max_value (MapHeatLayer *self)
{
  g_return_val_if_fail (MAP_IS_HEAT_LAYER (self), 0);
  return self->max_value;
}

gboolean
map_heat_layer_get_drawn (MapHeatLayer *self)
{
  g_return_val_if_fail (MAP_IS_HEAT_LAYER (self), FALSE);
  return self->drawn;
}
