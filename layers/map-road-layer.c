#include "config.h"

#include <math.h>

#include "map-point-index.h"
#include "map-road-layer.h"

/* The project's roads (an OSM extract added with `jangkau-cli roads import` or the app's
 * "Tambah jalan" menu) as a local vector basemap: a light casing and a class colour per line,
 * major roads from zoom 8, medium from 10, minor from 12.5, service roads and paths from 14.
 * Geometry is projected once to normalized Mercator; each frame culls by bounding box. */

struct _MapRoadLayer
{
  ShumateLayer parent_instance;

  GeoRoadLines *roads;
  double       *mx;
  double       *my;
  guint         n_drawn;
};

G_DEFINE_FINAL_TYPE (MapRoadLayer, map_road_layer, SHUMATE_TYPE_LAYER)

typedef struct
{
  double min_zoom;
  double width; /* px at zoom 15; scaled by 2^(zoom-15) within [0.6, 1.6] */
  double r, g, b;
} RoadStyle;

static const RoadStyle styles[GEO_ROAD_N_CLASSES] = {
  [GEO_ROAD_MAJOR] = { 8.0, 5.0, 0.93, 0.62, 0.30 },
  [GEO_ROAD_MEDIUM] = { 10.0, 4.0, 0.97, 0.85, 0.45 },
  [GEO_ROAD_MINOR] = { 12.5, 3.0, 1.0, 1.0, 1.0 },
  [GEO_ROAD_SERVICE] = { 14.0, 1.6, 0.98, 0.98, 0.98 },
};

typedef struct
{
  double cx, cy, world, w2, h2, cos_r, sin_r;
} View;

static inline void
project (const View *v, double x, double y, double *sx, double *sy)
{
  double dx = (x - v->cx) * v->world, dy = (y - v->cy) * v->world;

  *sx = v->w2 + dx * v->cos_r - dy * v->sin_r;
  *sy = v->h2 + dx * v->sin_r + dy * v->cos_r;
}

static gboolean
line_visible (const View *v, const GeoRoadLine *l, int width, int height)
{
  double x0, y0, x1, y1, sx0, sy0, sx1, sy1;

  if (v->sin_r != 0)
    return TRUE;
  map_lonlat_to_mercator (l->min_lon, l->max_lat, &x0, &y0);
  map_lonlat_to_mercator (l->max_lon, l->min_lat, &x1, &y1);
  project (v, x0, y0, &sx0, &sy0);
  project (v, x1, y1, &sx1, &sy1);
  return !(sx1 < -8 || sy1 < -8 || sx0 > width + 8 || sy0 > height + 8);
}

static void
trace_line (MapRoadLayer *self, cairo_t *cr, const View *v, const GeoRoadLine *l)
{
  double lx = 0, ly = 0;

  for (guint i = l->first_point; i < l->first_point + l->n_points; i++)
    {
      double sx, sy;

      project (v, self->mx[i], self->my[i], &sx, &sy);
      if (i == l->first_point)
        cairo_move_to (cr, sx, sy);
      else if (fabs (sx - lx) + fabs (sy - ly) >= 0.75 || i == l->first_point + l->n_points - 1)
        cairo_line_to (cr, sx, sy);
      else
        continue;
      lx = sx;
      ly = sy;
    }
}

static void
map_road_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapRoadLayer     *self = MAP_ROAD_LAYER (widget);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int               width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double            zoom, scale, rot;
  View              v;
  cairo_t          *cr;
  guint             i = 0;

  self->n_drawn = 0;
  if (source == NULL || self->roads == NULL || self->roads->n_lines == 0)
    return;
  zoom = shumate_viewport_get_zoom_level (viewport);
  if (zoom < styles[GEO_ROAD_MAJOR].min_zoom)
    return;
  v.world = shumate_map_source_get_tile_size (source) * exp2 (zoom);
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &v.cx,
                          &v.cy);
  v.w2 = width / 2.0;
  v.h2 = height / 2.0;
  rot = shumate_viewport_get_rotation (viewport);
  v.cos_r = cos (rot);
  v.sin_r = sin (rot);
  scale = CLAMP (exp2 (zoom - 15), 0.6, 1.6);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* Lines are sorted service first, major last: one casing + one fill pass per class. */
  while (i < self->roads->n_lines)
    {
      GeoRoadClass     klass = self->roads->lines[i].klass;
      const RoadStyle *s = &styles[klass];
      guint            end = i;
      gboolean         any = FALSE;

      while (end < self->roads->n_lines && self->roads->lines[end].klass == klass)
        end++;
      if (zoom >= s->min_zoom)
        {
          for (guint k = i; k < end; k++)
            if (line_visible (&v, &self->roads->lines[k], width, height))
              {
                trace_line (self, cr, &v, &self->roads->lines[k]);
                self->n_drawn++;
                any = TRUE;
              }
          if (any)
            {
              cairo_set_source_rgba (cr, 0.55, 0.52, 0.48, 0.85);
              cairo_set_line_width (cr, s->width * scale + 1.5);
              cairo_stroke_preserve (cr);
              cairo_set_source_rgb (cr, s->r, s->g, s->b);
              cairo_set_line_width (cr, s->width * scale);
              cairo_stroke (cr);
            }
        }
      i = end;
    }
  cairo_destroy (cr);
}

static gboolean
map_road_layer_contains (GtkWidget *widget, double x, double y)
{
  return FALSE; /* clicks go to the map */
}

static void
map_road_layer_constructed (GObject *object)
{
  MapRoadLayer *self = MAP_ROAD_LAYER (object);

  G_OBJECT_CLASS (map_road_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
map_road_layer_finalize (GObject *object)
{
  MapRoadLayer *self = MAP_ROAD_LAYER (object);

  geo_road_lines_free (self->roads);
  g_free (self->mx);
  g_free (self->my);
  G_OBJECT_CLASS (map_road_layer_parent_class)->finalize (object);
}

static void
map_road_layer_class_init (MapRoadLayerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = map_road_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = map_road_layer_finalize;
  widget_class->snapshot = map_road_layer_snapshot;
  widget_class->contains = map_road_layer_contains;
}

static void
map_road_layer_init (MapRoadLayer *self)
{
}

MapRoadLayer *
map_road_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_ROAD_LAYER, "viewport", viewport, NULL);
}

/**
 * map_road_layer_set_roads:
 * @roads: (transfer full) (nullable): the roads to draw
 */
void
map_road_layer_set_roads (MapRoadLayer *self, GeoRoadLines *roads)
{
  g_return_if_fail (MAP_IS_ROAD_LAYER (self));

  geo_road_lines_free (self->roads);
  g_clear_pointer (&self->mx, g_free);
  g_clear_pointer (&self->my, g_free);
  self->roads = roads;
  if (roads != NULL && roads->n_points > 0)
    {
      self->mx = g_new (double, roads->n_points);
      self->my = g_new (double, roads->n_points);
      for (guint i = 0; i < roads->n_points; i++)
        map_lonlat_to_mercator (roads->points[i].lon, roads->points[i].lat, &self->mx[i], &self->my[i]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
map_road_layer_get_n_lines (MapRoadLayer *self)
{
  g_return_val_if_fail (MAP_IS_ROAD_LAYER (self), 0);
  return self->roads != NULL ? self->roads->n_lines : 0;
}

/* Lines drawn in the last frame (for tests). */
guint
map_road_layer_get_n_lines_drawn (MapRoadLayer *self)
{
  g_return_val_if_fail (MAP_IS_ROAD_LAYER (self), 0);
  return self->n_drawn;
}
