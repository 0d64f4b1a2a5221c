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

struct _MapHotspotShapes
{
  GArray *units;        /* Unit */
  GArray *ring_offsets; /* guint, n_rings + 1 */
  GArray *mx, *my;      /* double */
  guint   n_units;
  guint   counts[8]; /* by class + 3 */
  double  min_lon, min_lat, max_lon, max_lat;
};

struct _MapHotspotLayer
{
  ShumateLayer parent_instance;

  MapHotspotShapes *shapes; /* owned, never NULL */
  guint             n_drawn;
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
  MapHotspotShapes *sh = self->shapes;
  const guint      *ro = (const guint *) sh->ring_offsets->data;
  const double     *mx = (const double *) sh->mx->data, *my = (const double *) sh->my->data;
  double            rot, half_diag, vx0, vy0, vx1, vy1;
  View              v;
  cairo_t          *cr = NULL;

  self->n_drawn = 0;
  if (source == NULL || sh->units->len == 0)
    return;
  v.world =
      shumate_map_source_get_tile_size (source) * exp2 (shumate_viewport_get_zoom_level (viewport));
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
      for (guint u = 0; u < sh->units->len; u++)
        {
          const Unit *unit = &g_array_index (sh->units, Unit, u);

          if (unit->klass != k || unit->maxx < vx0 || unit->minx > vx1 || unit->maxy < vy0 ||
              unit->miny > vy1)
            continue;
          if (cr == NULL)
            {
              cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
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

  map_hotspot_shapes_free (self->shapes);
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

static MapHotspotShapes *
shapes_new (void)
{
  MapHotspotShapes *sh = g_new0 (MapHotspotShapes, 1);
  guint             zero = 0;

  sh->units = g_array_new (FALSE, FALSE, sizeof (Unit));
  sh->ring_offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  sh->mx = g_array_new (FALSE, FALSE, sizeof (double));
  sh->my = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_val (sh->ring_offsets, zero);
  sh->min_lon = sh->min_lat = G_MAXDOUBLE;
  sh->max_lon = sh->max_lat = -G_MAXDOUBLE;
  return sh;
}

void
map_hotspot_shapes_free (MapHotspotShapes *sh)
{
  if (sh == NULL)
    return;
  g_array_unref (sh->units);
  g_array_unref (sh->ring_offsets);
  g_array_unref (sh->mx);
  g_array_unref (sh->my);
  g_free (sh);
}

static void
map_hotspot_layer_init (MapHotspotLayer *self)
{
  self->shapes = shapes_new ();
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

MapHotspotLayer *
map_hotspot_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_HOTSPOT_LAYER, "viewport", viewport, NULL);
}

void
map_hotspot_layer_set_shapes (MapHotspotLayer *self, MapHotspotShapes *shapes)
{
  g_return_if_fail (MAP_IS_HOTSPOT_LAYER (self));
  map_hotspot_shapes_free (self->shapes);
  self->shapes = shapes != NULL ? shapes : shapes_new ();
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
map_hotspot_layer_clear (MapHotspotLayer *self)
{
  map_hotspot_layer_set_shapes (self, NULL);
}

static void
count_class (MapHotspotShapes *sh, gint8 klass)
{
  sh->counts[CLAMP (klass + 3, 0, 7)]++;
  sh->n_units++;
}

static gboolean
significant (gint8 klass)
{
  return klass != GEO_HOTSPOT_NOT_SIGNIFICANT && klass >= GEO_HOTSPOT_COLD_99 &&
         klass <= GEO_HOTSPOT_HOT_99;
}

/* Closes the points [from, mx->len) as one ring of @unit and grows its bounding box. */
static void
close_ring (MapHotspotShapes *sh, Unit *unit, guint from)
{
  guint end = sh->mx->len;

  g_array_append_val (sh->ring_offsets, end);
  for (guint i = from; i < end; i++)
    {
      double x = g_array_index (sh->mx, double, i), y = g_array_index (sh->my, double, i);

      unit->minx = MIN (unit->minx, x);
      unit->maxx = MAX (unit->maxx, x);
      unit->miny = MIN (unit->miny, y);
      unit->maxy = MAX (unit->maxy, y);
    }
  unit->n_rings++;
}

static void
extend_extent (MapHotspotShapes *sh, double lon0, double lat0, double lon1, double lat1)
{
  sh->min_lon = MIN (sh->min_lon, lon0);
  sh->min_lat = MIN (sh->min_lat, lat0);
  sh->max_lon = MAX (sh->max_lon, lon1);
  sh->max_lat = MAX (sh->max_lat, lat1);
}

/**
 * map_hotspot_shapes_new_grid:
 *
 * The significant cells of @grid as quadrilaterals in Web Mercator (their four corners
 * transformed from EPSG:grid->epsg in one PROJ call) and the class counts of all cells. No GTK:
 * runs in a worker thread.
 */
MapHotspotShapes *
map_hotspot_shapes_new_grid (const GeoHotspotGrid *grid, GError **error)
{
  MapHotspotShapes *sh;
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (grid != NULL, NULL);
  sh = shapes_new ();
  /* The corners of the significant cells, counter-clockwise from the south-west one. */
  for (guint iy = 0; iy < grid->ny; iy++)
    for (guint ix = 0; ix < grid->nx; ix++)
      {
        gint8  k = grid->klass[(gsize) iy * grid->nx + ix];
        double x0 = grid->x0 + ix * grid->cell_m, y0 = grid->y0 + iy * grid->cell_m;
        double cx[4] = { x0, x0 + grid->cell_m, x0 + grid->cell_m, x0 };
        double cy[4] = { y0, y0, y0 + grid->cell_m, y0 + grid->cell_m };

        count_class (sh, k);
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
      map_hotspot_shapes_free (sh);
      return NULL;
    }
  for (guint c = 0, i = 0; i < grid->n_cells; i++)
    {
      Unit unit = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0, grid->klass[i] };

      if (!significant (grid->klass[i]))
        continue;
      unit.first_ring = sh->ring_offsets->len - 1;
      for (guint j = 0; j < 4; j++, c++)
        {
          double x, y;

          map_lonlat_to_mercator (g_array_index (xs, double, c),
                                  g_array_index (ys, double, c),
                                  &x,
                                  &y);
          g_array_append_val (sh->mx, x);
          g_array_append_val (sh->my, y);
        }
      close_ring (sh, &unit, sh->mx->len - 4);
      g_array_append_val (sh->units, unit);
    }
  /* The extent of the whole grid, not only of its significant cells. */
  {
    double gx[4] = {
      grid->x0, grid->x0 + grid->nx * grid->cell_m, grid->x0, grid->x0 + grid->nx * grid->cell_m
    };
    double gy[4] = {
      grid->y0, grid->y0, grid->y0 + grid->ny * grid->cell_m, grid->y0 + grid->ny * grid->cell_m
    };

    if (geo_grid_transform (grid->epsg, 4326, gx, gy, 4, NULL))
      for (int k = 0; k < 4; k++)
        extend_extent (sh, gx[k], gy[k], gx[k], gy[k]);
  }
  return sh;
}

/**
 * map_hotspot_shapes_new_areas:
 * @shapes: the project's boundaries (borrowed)
 *
 * The significant desa among @codes (@klass their classes) as polygons in Web Mercator, and the
 * class counts of all @n. Areas of @shapes not in @codes are left out. No GTK.
 */
MapHotspotShapes *
map_hotspot_shapes_new_areas (const GeoAreaShapes *shapes,
                              char *const         *codes,
                              const gint8         *klass,
                              guint                n)
{
  MapHotspotShapes *sh = shapes_new ();
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      g_hash_table_insert (by_code, codes[i], GINT_TO_POINTER (klass[i] + 16));
      count_class (sh, klass[i]);
    }
  for (guint a = 0; shapes != NULL && a < shapes->n_areas; a++)
    {
      const GeoAreaShape *s = &shapes->areas[a];
      gpointer            v = g_hash_table_lookup (by_code, s->code);
      Unit                unit = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0, 0 };

      if (v == NULL)
        continue;
      /* Every listed desa counts for the extent; the significant ones are drawn. */
      extend_extent (sh, s->min_lon, s->min_lat, s->max_lon, s->max_lat);
      unit.klass = (gint8) (GPOINTER_TO_INT (v) - 16);
      if (!significant (unit.klass))
        continue;
      unit.first_ring = sh->ring_offsets->len - 1;
      for (guint r = s->first_ring; r < s->first_ring + s->n_rings; r++)
        {
          guint from = sh->mx->len;

          for (guint i = shapes->ring_offsets[r]; i < shapes->ring_offsets[r + 1]; i++)
            {
              double x, y;

              map_lonlat_to_mercator (shapes->points[i].lon, shapes->points[i].lat, &x, &y);
              g_array_append_val (sh->mx, x);
              g_array_append_val (sh->my, y);
            }
          close_ring (sh, &unit, from);
        }
      g_array_append_val (sh->units, unit);
    }
  return sh;
}

gboolean
map_hotspot_layer_set_grid (MapHotspotLayer *self, const GeoHotspotGrid *grid, GError **error)
{
  MapHotspotShapes *sh;

  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), FALSE);
  sh = map_hotspot_shapes_new_grid (grid, error);
  if (sh == NULL)
    return FALSE;
  map_hotspot_layer_set_shapes (self, sh);
  return TRUE;
}

void
map_hotspot_layer_set_areas (MapHotspotLayer     *self,
                             const GeoAreaShapes *shapes,
                             char *const         *codes,
                             const gint8         *klass,
                             guint                n)
{
  g_return_if_fail (MAP_IS_HOTSPOT_LAYER (self));
  map_hotspot_layer_set_shapes (self, map_hotspot_shapes_new_areas (shapes, codes, klass, n));
}

guint
map_hotspot_layer_get_n_units (MapHotspotLayer *self)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), 0);
  return self->shapes->n_units;
}

guint
map_hotspot_layer_get_class_count (MapHotspotLayer *self, GeoHotspotClass klass)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), 0);
  return self->shapes->counts[CLAMP ((int) klass + 3, 0, 7)];
}

guint
map_hotspot_layer_get_n_drawn (MapHotspotLayer *self)
{
  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), 0);
  return self->n_drawn;
}

gboolean
map_hotspot_layer_get_extent (
    MapHotspotLayer *self, double *min_lon, double *min_lat, double *max_lon, double *max_lat)
{
  MapHotspotShapes *sh;

  g_return_val_if_fail (MAP_IS_HOTSPOT_LAYER (self), FALSE);
  sh = self->shapes;
  if (sh->n_units == 0 || sh->min_lon > sh->max_lon)
    return FALSE;
  *min_lon = sh->min_lon;
  *min_lat = sh->min_lat;
  *max_lon = sh->max_lon;
  *max_lat = sh->max_lat;
  return TRUE;
}
