#include "config.h"

#include "map-link-layer.h"

#include <math.h>

#include "map-point-index.h"

struct _MapLinkLayer
{
  ShumateLayer parent_instance;

  gboolean has_origin;
  double   ox, oy;  /* normalized Mercator */
  GArray  *targets; /* double pairs, normalized Mercator */
};

G_DEFINE_FINAL_TYPE (MapLinkLayer, map_link_layer, SHUMATE_TYPE_LAYER)

static void
map_link_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapLinkLayer     *self = MAP_LINK_LAYER (widget);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int               width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double            world, cx, cy, rot, cos_r, sin_r, sx, sy;
  cairo_t          *cr;

  if (source == NULL || !self->has_origin)
    return;
  world =
      shumate_map_source_get_tile_size (source) * exp2 (shumate_viewport_get_zoom_level (viewport));
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &cx,
                          &cy);
  rot = shumate_viewport_get_rotation (viewport);
  cos_r = cos (rot);
  sin_r = sin (rot);
#define PROJECT(x, y, px, py)                                                                      \
  G_STMT_START                                                                                     \
  {                                                                                                \
    double dx = ((x) -cx) * world, dy = ((y) -cy) * world;                                         \
    *(px) = width / 2.0 + dx * cos_r - dy * sin_r;                                                 \
    *(py) = height / 2.0 + dx * sin_r + dy * cos_r;                                                \
  }                                                                                                \
  G_STMT_END

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  PROJECT (self->ox, self->oy, &sx, &sy);
  /* Lines: a white casing under a dark dashed line, legible on any fill. */
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < self->targets->len / 2; i++)
        {
          double tx, ty;

          PROJECT (g_array_index (self->targets, double, 2 * i),
                   g_array_index (self->targets, double, 2 * i + 1),
                   &tx,
                   &ty);
          cairo_move_to (cr, sx, sy);
          cairo_line_to (cr, tx, ty);
        }
      if (pass == 0)
        {
          cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
          cairo_set_line_width (cr, 5);
          cairo_stroke (cr);
        }
      else
        {
          static const double dash[] = { 7, 4 };

          cairo_set_dash (cr, dash, 2, 0);
          cairo_set_source_rgb (cr, 0.10, 0.30, 0.55);
          cairo_set_line_width (cr, 2.2);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }
  /* Targets: numbered dots, nearest = 1. */
  for (guint i = 0; i < self->targets->len / 2; i++)
    {
      double               tx, ty;
      char                 num[8];
      cairo_text_extents_t ext;

      PROJECT (g_array_index (self->targets, double, 2 * i),
               g_array_index (self->targets, double, 2 * i + 1),
               &tx,
               &ty);
      cairo_arc (cr, tx, ty, 9, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.10, 0.30, 0.55);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      g_snprintf (num, sizeof num, "%u", i + 1);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 11);
      cairo_text_extents (cr, num, &ext);
      cairo_move_to (cr, tx - ext.width / 2 - ext.x_bearing, ty - ext.height / 2 - ext.y_bearing);
      cairo_show_text (cr, num);
    }
  /* The origin: a ring with a cross. */
  cairo_arc (cr, sx, sy, 8, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.80, 0.10, 0.10);
  cairo_set_line_width (cr, 3);
  cairo_stroke (cr);
  cairo_move_to (cr, sx - 13, sy);
  cairo_line_to (cr, sx + 13, sy);
  cairo_move_to (cr, sx, sy - 13);
  cairo_line_to (cr, sx, sy + 13);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  cairo_destroy (cr);
#undef PROJECT
}

static void
map_link_layer_constructed (GObject *object)
{
  G_OBJECT_CLASS (map_link_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (object)),
                           "notify",
                           G_CALLBACK (gtk_widget_queue_draw),
                           object,
                           G_CONNECT_SWAPPED);
}

static void
map_link_layer_finalize (GObject *object)
{
  MapLinkLayer *self = MAP_LINK_LAYER (object);

  g_array_unref (self->targets);
  G_OBJECT_CLASS (map_link_layer_parent_class)->finalize (object);
}

static void
map_link_layer_class_init (MapLinkLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = map_link_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = map_link_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = map_link_layer_snapshot;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
map_link_layer_init (MapLinkLayer *self)
{
  self->targets = g_array_new (FALSE, FALSE, sizeof (double));
}

MapLinkLayer *
map_link_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_LINK_LAYER, "viewport", viewport, NULL);
}

/**
 * map_link_layer_set_links:
 * @origin: (nullable): lon/lat; NULL clears the layer
 * @targets: @n lon/lat points, drawn numbered 1..n
 */
void
map_link_layer_set_links (MapLinkLayer   *self,
                          const GeoPoint *origin,
                          const GeoPoint *targets,
                          guint           n)
{
  g_return_if_fail (MAP_IS_LINK_LAYER (self));
  g_array_set_size (self->targets, 0);
  self->has_origin = origin != NULL;
  if (origin != NULL)
    {
      map_lonlat_to_mercator (origin->lon, origin->lat, &self->ox, &self->oy);
      for (guint i = 0; i < n; i++)
        {
          double xy[2];

          map_lonlat_to_mercator (targets[i].lon, targets[i].lat, &xy[0], &xy[1]);
          g_array_append_vals (self->targets, xy, 2);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
map_link_layer_get_n_links (MapLinkLayer *self)
{
  g_return_val_if_fail (MAP_IS_LINK_LAYER (self), 0);
  return self->has_origin ? self->targets->len / 2 : 0;
}
