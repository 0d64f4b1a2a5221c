#include "config.h"

#include "map-hotspot-layer.h"

#include <math.h>
#include <string.h>

#include "geo-grid.h"
#include "map-point-index.h"

/* A unit drawn: one or more rings of points in normalized Web Mercator. Only significant units
 * are kept for drawing; the class counts cover every unit. */
typedef struct
{
  double minx, miny, maxx, maxy;
  guint  first_ring, n_rings;
  gint8  klass;
} Unit;

struct _MapHotspotLayer
{
  ShumateLayer parent_instance;

  /* owned */
  GArray *units;        /* Unit */
  GArray *ring_offsets; /* guint, n_rings + 1 */
  GArray *mx, *my;      /* double */
  guint   n_units;
  guint   counts[8]; /* by class + 3 */
  double  min_lon, min_lat, max_lon, max_lat;
  guint   n_drawn;
};

G_DEFINE_FINAL_TYPE (MapHotspotLayer, map_hotspot_layer, SHUMATE_TYPE_LAYER)

void
map_hotspot_class_rgba (GeoHotspotClass klass, GdkRGBA *rgba)
{
  /* ColorBrewer RdBu, the usual hotspot palette (ArcGIS, GeoDa). */
  static const char *const colours[] = {
    "#2166ac", "#67a9cf", "#d1e5f0", "#ffffff", "#fddbc7", "#ef8a62", "#b2182b",
  };

  if (klass < GEO_HOTSPOT_COLD_99 || klass > GEO_HOTSPOT_HOT_99)
    {
      *rgba = (GdkRGBA){ 0.6, 0.6, 0.6, 0 };
      return;
    }
  gdk_rgba_parse (rgba, colours[klass + 3]);
  rgba->alpha = klass == GEO_HOTSPOT_NOT_SIGNIFICANT ? 0 : 0.72;
}

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

static void
map_hotspot_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapHotspotLayer  *self = MAP_HOTSPOT_LAYER (widget);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int               width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const guint      *ro = (const guint *) self->ring_offsets->data;
  const double     *mx = (const double *) self->mx->data, *my = (const double *) self->my->data;
  double            rot, half_diag, vx0, vy0, vx1, vy1;
  View              v;
  cairo_t          *cr = NULL;

  self->n_drawn = 0;
  if (source == NULL || self->units->len == 0)
    return;
  v.world = shumate_map_source_get_tile_size (source) *
            exp2 (shumate_viewport_get_zoom_level (viewport));
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &v.cx,
                          &v.cy);
  v.w2 = width / 2.0;
  v.h2 = height / 2.0;
  rot = shumate_viewport_get_rotation (viewport);
  v.cos_r = cos (rot);
  v.sin_r = sin (rot);
  /* The view's bounding box in Mercator, rotation-safe (the circle around the window). */
  half_diag = (rot != 0 ? hypot (v.w2, v.h2) : 0) / v.world;
  vx0 = v.cx - (rot != 0 ? half_diag : v.w2 / v.world);
  vx1 = v.cx + (rot != 0 ? half_diag : v.w2 / v.world);
  vy0 = v.cy - (rot != 0 ? half_diag : v.h2 / v.world);
  vy1 = v.cy + (rot != 0 ? half_diag : v.h2 / v.world);

  /* One path per class, filled at once: a few fills a frame however many cells. */
  for (int k = GEO_HOTSPOT_COLD_99; k <= GEO_HOTSPOT_HOT_99; k++)
    {
      GdkRGBA rgba;
      guint   n = 0;

      if (k == GEO_HOTSPOT_NOT_SIGNIFICANT)
        continue;
      for (guint u = 0; u < self->units->len; u++)
        {
          const Unit *unit = &g_array_index (self->units, Unit, u);

          if (unit->klass != k || unit->maxx < vx0 || unit->minx > vx1 || unit->maxy < vy0 ||
              unit->miny > vy1)
            continue;
          if (cr == NULL)
            {
              cr = gtk_snapshot_append_cairo (snapshot,
                                              &GRAPHENE_RECT_INIT (0, 0, width, height));
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
              cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
            }
          for (guint r = unit->first_ring; r < unit->first_ring + unit->n_rings; r++)
            {
              double lx = 0, ly = 0;

              for (guint i = ro[r]; i < ro[r + 1]; i++)
                {
                  double sx, sy;

                  project (&v, mx[i], my[i], &sx, &sy);
                  if (i == ro[r])
                    cairo_move_to (cr, sx, sy);
                  else if (fabs (sx - lx) + fabs (sy - ly) >= 0.75 || i == ro[r + 1] - 1)
                    cairo_line_to (cr, sx, sy);
                  else
                    continue;
                  lx = sx;
                  ly = sy;
                }
              cairo_close_path (cr);
            }
          n++;
        }
      if (n == 0)
        continue;
      map_hotspot_class_rgba ((GeoHotspotClass) k, &rgba);
      gdk_cairo_set_source_rgba (cr, &rgba);
      cairo_fill_preserve (cr);
      /* A hairline of the same hue keeps adjacent cells of a class from showing seams. */
      rgba.alpha = 0.9;
      gdk_cairo_set_source_rgba (cr, &rgba);
      cairo_set_line_width (cr, 0.6);
      cairo_stroke (cr);
      self->n_drawn += n;
    }
  if (cr != NULL)
    cairo_destroy (cr);
}

static void
map_hotspot_layer_constructed (GObject *object)
{
  MapHotspotLayer *self = MAP_HOTSPOT_LAYER (object);

  G_OBJECT_CLASS (map_hotspot_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                           "notify",
                           G_CALLBACK (gtk_widget_queue_draw),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
map_hotspot_layer_finalize (GObject *object)
{
  MapHotspotLayer *self = MAP_HOTSPOT_LAYER (object);

  g_array_unref (self->units);
  g_array_unref (self->ring_offsets);
  g_array_unref (self->mx);
  g_array_unref (self->my);
  G_OBJECT_CLASS (map_hotspot_layer_parent_class)->finalize (object);
}

static void
map_hotspot_layer_class_init (MapHotspotLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = map_hotspot_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = map_hotspot_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = map_hotspot_layer_snapshot;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
map_hotspot_layer_init (MapHotspotLayer *self)
{
  self->units = g_array_new (FALSE, FALSE, sizeof (Unit));
  self->ring_offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->mx = g_array_new (FALSE, FALSE, sizeof (double));
  self->my = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

MapHotspotLayer *
map_hotspot_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_HOTSPOT_LAYER, "viewport", viewport, NULL);
}

static void
reset (MapHotspotLayer *self)
{
  g_array_set_size (self->units, 0);
  g_array_set_size (self->ring_offsets, 0);
  g_array_set_size (self->mx, 0);
  g_array_set_size (self->my, 0);
  self->n_units = 0;
  memset (self->counts, 0, sizeof self->counts);
  self->min_lon = self->min_lat = G_MAXDOUBLE;
  self->max_lon = self->max_lat = -G_MAXDOUBLE;
}

void
map_hotspot_layer_clear (MapHotspotLayer *self)
{
  g_return_if_fail (MAP_IS_HOTSPOT_LAYER (self));
  reset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
count_class (MapHotspotLayer *self, gint8 klass)
{
  self->counts[CLAMP (klass + 3, 0, 7)]++;
  self->n_units++;
}

static gboolean
significant (gint8 klass)
{
  return klass != GEO_HOTSPOT_NOT_SIGNIFICANT && klass >= GEO_HOTSPOT_COLD_99 &&
         klass <= GEO_HOTSPOT_HOT_99;
}

/* Appends the points [from, mx->len) as one ring; grows @unit's bbox and the lon/lat extent. */
static void
close_ring (MapHotspotLayer *self, Unit *unit, guint from)
{
  guint end = self->mx->len;

  g_array_append_val (self->ring_offsets, end);
  for (guint i = from; i < end; i++)
    {
      double x = g_array_index (self->mx, double, i), y = g_array_index (self->my, double, i);

      unit->minx = MIN (unit->minx, x);
      unit->maxx = MAX (unit->maxx, x);
      unit->miny = MIN (unit->miny, y);
      unit->maxy = MAX (unit->maxy, y);
    }
  unit->n_rings++;
}

static void
extend_extent (MapHotspotLayer *self, const Unit *u)
{
  double lon0, lat0, lon1, lat1;

  map_mercator_to_lonlat (u->minx, u->maxy, &lon0, &lat0);
  map_mercator_to_lonlat (u->maxx, u->miny, &lon1, &lat1);
  self->min_lon = MIN (self->min_lon, lon0);
  self->min_lat = MIN (self->min_lat, lat0);
  self->max_lon = MAX (self->max_lon, lon1);
  self->max_lat = MAX (self->max_lat, lat1);
}

gboolean
map_hotspot_layer_set_grid (MapHotspotLayer *self, const GeoHotspotGrid *grid, GError **error)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  guint zero = 0;

  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), FALSE);
  g_return_val_if_fail (grid != NULL, FALSE);
  reset (self);
  /* The corners of the significant cells, counter-clockwise from the south-west one. */
  for (guint iy = 0; iy < grid->ny; iy++)
    for (guint ix = 0; ix < grid->nx; ix++)
      {
        gint8  k = grid->klass[(gsize) iy * grid->nx + ix];
        double x0 = grid->x0 + ix * grid->cell_m, y0 = grid->y0 + iy * grid->cell_m;
        double cx[4] = { x0, x0 + grid->cell_m, x0 + grid->cell_m, x0 };
        double cy[4] = { y0, y0, y0 + grid->cell_m, y0 + grid->cell_m };

        count_class (self, k);
        if (!significant (k))
          continue;
        g_array_append_vals (xs, cx, 4);
        g_array_append_vals (ys, cy, 4);
      }
  if (xs->len > 0 && !geo_grid_transform (grid->epsg,
                                          4326,
                                          (double *) xs->data,
                                          (double *) ys->data,
                                          xs->len,
                                          error))
    {
      reset (self);
      return FALSE;
    }
  g_array_append_val (self->ring_offsets, zero);
  for (guint c = 0, i = 0; i < grid->n_cells; i++)
    {
      Unit unit = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0, grid->klass[i] };

      if (!significant (grid->klass[i]))
        continue;
      unit.first_ring = self->ring_offsets->len - 1;
      for (guint j = 0; j < 4; j++, c++)
        {
          double x, y;

          map_lonlat_to_mercator (g_array_index (xs, double, c),
                                  g_array_index (ys, double, c),
                                  &x,
                                  &y);
          g_array_append_val (self->mx, x);
          g_array_append_val (self->my, y);
        }
      close_ring (self, &unit, self->mx->len - 4);
      extend_extent (self, &unit);
      g_array_append_val (self->units, unit);
    }
  /* The whole grid for the extent, not only its significant cells. */
  {
    double gx[2] = { grid->x0, grid->x0 + grid->nx * grid->cell_m };
    double gy[2] = { grid->y0, grid->y0 + grid->ny * grid->cell_m };

    if (geo_grid_transform (grid->epsg, 4326, gx, gy, 2, NULL))
      {
        self->min_lon = MIN (self->min_lon, gx[0]);
        self->min_lat = MIN (self->min_lat, gy[0]);
        self->max_lon = MAX (self->max_lon, gx[1]);
        self->max_lat = MAX (self->max_lat, gy[1]);
      }
  }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

void
map_hotspot_layer_set_areas (MapHotspotLayer *self,
                             GeoAreaShapes   *shapes,
                             char *const     *codes,
                             const gint8     *klass,
                             guint            n)
{
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  guint zero = 0;

  g_return_if_fail (MAP_IS_HOTSPOT_LAYER (self));
  reset (self);
  for (guint i = 0; i < n; i++)
    {
      g_hash_table_insert (by_code, codes[i], GINT_TO_POINTER (klass[i] + 16));
      count_class (self, klass[i]);
    }
  g_array_append_val (self->ring_offsets, zero);
  for (guint a = 0; shapes != NULL && a < shapes->n_areas; a++)
    {
      const GeoAreaShape *s = &shapes->areas[a];
      gpointer            v = g_hash_table_lookup (by_code, s->code);
      Unit unit = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0, 0 };

      if (v == NULL)
        continue;
      /* Every listed desa counts for the extent; the significant ones are drawn. */
      self->min_lon = MIN (self->min_lon, s->min_lon);
      self->min_lat = MIN (self->min_lat, s->min_lat);
      self->max_lon = MAX (self->max_lon, s->max_lon);
      self->max_lat = MAX (self->max_lat, s->max_lat);
      unit.klass = (gint8) (GPOINTER_TO_INT (v) - 16);
      if (!significant (unit.klass))
        continue;
      unit.first_ring = self->ring_offsets->len - 1;
      for (guint r = s->first_ring; r < s->first_ring + s->n_rings; r++)
        {
          guint from = self->mx->len;

          for (guint i = shapes->ring_offsets[r]; i < shapes->ring_offsets[r + 1]; i++)
            {
              double x, y;

              map_lonlat_to_mercator (shapes->points[i].lon, shapes->points[i].lat, &x, &y);
              g_array_append_val (self->mx, x);
              g_array_append_val (self->my, y);
            }
          close_ring (self, &unit, from);
        }
      g_array_append_val (self->units, unit);
    }
  geo_area_shapes_free (shapes);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
map_hotspot_layer_get_n_units (MapHotspotLayer *self)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), 0);
  return self->n_units;
}

guint
map_hotspot_layer_get_class_count (MapHotspotLayer *self, GeoHotspotClass klass)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), 0);
  return self->counts[CLAMP ((int) klass + 3, 0, 7)];
}

guint
map_hotspot_layer_get_n_drawn (MapHotspotLayer *self)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), 0);
  return self->n_drawn;
}

gboolean
map_hotspot_layer_get_extent (MapHotspotLayer *self,
                              double          *min_lon,
                              double          *min_lat,
                              double          *max_lon,
                              double          *max_lat)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), FALSE);
  if (self->n_units == 0 || self->min_lon > self->max_lon)
    return FALSE;
  *min_lon = self->min_lon;
  *min_lat = self->min_lat;
  *max_lon = self->max_lon;
  *max_lat = self->max_lat;
  return TRUE;
}
