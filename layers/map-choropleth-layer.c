#include "config.h"

#include "map-choropleth-layer.h"

#include <math.h>

#include "geo-classify.h"
#include "map-point-index.h"

/* Admin polygons filled by class of a value per area code. The geometry is projected once to
 * normalized Mercator when the shapes are set; a frame culls areas by bounding box and fills
 * one cairo path per class (no widget, no allocation per area). Areas of the coloured level
 * that have no value (or NAN) are drawn as "no data" in a pale grey. */

#define CLASS_NONE (-2) /* not part of the map (another level, or no values set) */
#define CLASS_NO_DATA (-1)

struct _MapChoroplethLayer
{
  ShumateLayer parent_instance;

  /* owned */
  GeoAreaShapes *shapes;
  double        *mx; /* normalized Mercator of shapes->points */
  double        *my;
  GHashTable    *by_code; /* code -> area index + 1 (borrowed keys from shapes) */
  int           *cls;     /* per area: class, CLASS_NO_DATA or CLASS_NONE */
  double        *breaks;
  guint          n_classes;
  MapColourRamp  ramp;
  char          *format;
  double         scale;
  guint          n_drawn;
};

G_DEFINE_FINAL_TYPE (MapChoroplethLayer, map_choropleth_layer, SHUMATE_TYPE_LAYER)

/* ColorBrewer 9-class ramps (Cynthia Brewer, colorbrewer2.org), light to dark. */
static const guint32 ramps[MAP_RAMP_N][9] = {
  [MAP_RAMP_YL_OR_RD] = { 0xffffcc,
                          0xffeda0,
                          0xfed976,
                          0xfeb24c,
                          0xfd8d3c,
                          0xfc4e2a,
                          0xe31a1c,
                          0xbd0026,
                          0x800026 },
  [MAP_RAMP_BLUES] = { 0xf7fbff,
                       0xdeebf7,
                       0xc6dbef,
                       0x9ecae1,
                       0x6baed6,
                       0x4292c6,
                       0x2171b5,
                       0x08519c,
                       0x08306b },
  [MAP_RAMP_GREENS] = { 0xf7fcf5,
                        0xe5f5e0,
                        0xc7e9c0,
                        0xa1d99b,
                        0x74c476,
                        0x41ab5d,
                        0x238b45,
                        0x006d2c,
                        0x00441b },
  [MAP_RAMP_PURPLES] = { 0xfcfbfd,
                         0xefedf5,
                         0xdadaeb,
                         0xbcbddc,
                         0x9e9ac8,
                         0x807dba,
                         0x6a51a3,
                         0x54278f,
                         0x3f007d },
  [MAP_RAMP_ORANGES] = { 0xfff5eb,
                         0xfee6ce,
                         0xfdd0a2,
                         0xfdae6b,
                         0xfd8d3c,
                         0xf16913,
                         0xd94801,
                         0xa63603,
                         0x7f2704 },
  [MAP_RAMP_YL_GN_BU] = { 0xffffd9,
                          0xedf8b1,
                          0xc7e9b4,
                          0x7fcdbb,
                          0x41b6c4,
                          0x1d91c0,
                          0x225ea8,
                          0x253494,
                          0x081d58 },
  [MAP_RAMP_RD_YL_GN] = { 0xd73027,
                          0xf46d43,
                          0xfdae61,
                          0xfee08b,
                          0xffffbf,
                          0xd9ef8b,
                          0xa6d96a,
                          0x66bd63,
                          0x1a9850 },
};

/**
 * map_colour_ramp_get:
 *
 * The colour of class @cls of @n_classes on @ramp: sequential ramps skip their near-white
 * first step (a class must stand out from the basemap) and spread the classes over the rest,
 * interpolating between the ColorBrewer steps.
 */
void
map_colour_ramp_get (MapColourRamp ramp, guint cls, guint n_classes, GdkRGBA *rgba)
{
  double  first = ramp == MAP_RAMP_RD_YL_GN ? 0 : 1.5, last = 8, t, pos;
  guint   a, b;
  guint32 ca, cb;
  double  f;

  g_return_if_fail ((guint) ramp < MAP_RAMP_N);
  t = n_classes > 1 ? (double) MIN (cls, n_classes - 1) / (n_classes - 1) : 0.6;
  pos = first + t * (last - first);
  a = (guint) floor (pos);
  b = MIN (a + 1, 8);
  f = pos - a;
  ca = ramps[ramp][a];
  cb = ramps[ramp][b];
  rgba->red = (((ca >> 16) & 0xff) * (1 - f) + ((cb >> 16) & 0xff) * f) / 255.0;
  rgba->green = (((ca >> 8) & 0xff) * (1 - f) + ((cb >> 8) & 0xff) * f) / 255.0;
  rgba->blue = ((ca & 0xff) * (1 - f) + (cb & 0xff) * f) / 255.0;
  rgba->alpha = 1.0;
}

void
map_legend_entry_clear (MapLegendEntry *entry)
{
  g_clear_pointer (&entry->label, g_free);
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
trace_area (MapChoroplethLayer *self, cairo_t *cr, const View *v, const GeoAreaShape *a)
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

  if (v->sin_r != 0)
    return TRUE;
  map_lonlat_to_mercator (a->min_lon, a->max_lat, &x0, &y0);
  map_lonlat_to_mercator (a->max_lon, a->min_lat, &x1, &y1);
  project (v, x0, y0, &sx0, &sy0);
  project (v, x1, y1, &sx1, &sy1);
  return !(sx1 < 0 || sy1 < 0 || sx0 > width || sy0 > height);
}

static void
map_choropleth_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapChoroplethLayer *self = MAP_CHOROPLETH_LAYER (widget);
  ShumateViewport    *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource   *source = shumate_viewport_get_reference_map_source (viewport);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GArray) visible = NULL;
  View     v;
  cairo_t *cr;
  double   rot;

  self->n_drawn = 0;
  if (source == NULL || self->shapes == NULL || self->cls == NULL)
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

  visible = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < self->shapes->n_areas; i++)
    if (self->cls[i] != CLASS_NONE && area_visible (&v, &self->shapes->areas[i], width, height))
      g_array_append_val (visible, i);
  self->n_drawn = visible->len;
  if (visible->len == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* Winding, as the boundary layer: simplified neighbours of one class may overlap a little,
   * and even-odd would punch holes where they do. */
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  /* One path per class; CLASS_NO_DATA first. */
  for (int c = CLASS_NO_DATA; c < (int) self->n_classes; c++)
    {
      gboolean any = FALSE;

      for (guint k = 0; k < visible->len; k++)
        {
          guint i = g_array_index (visible, guint, k);

          if (self->cls[i] == c)
            {
              trace_area (self, cr, &v, &self->shapes->areas[i]);
              any = TRUE;
            }
        }
      if (!any)
        continue;
      if (c == CLASS_NO_DATA)
        cairo_set_source_rgba (cr, 0.62, 0.62, 0.62, 0.35);
      else
        {
          GdkRGBA rgba;

          map_colour_ramp_get (self->ramp, c, self->n_classes, &rgba);
          cairo_set_source_rgba (cr, rgba.red, rgba.green, rgba.blue, 0.78);
        }
      cairo_fill (cr);
    }
  /* Thin light borders keep neighbouring areas of one class apart. */
  for (guint k = 0; k < visible->len; k++)
    trace_area (self, cr, &v, &self->shapes->areas[g_array_index (visible, guint, k)]);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.7);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
map_choropleth_layer_constructed (GObject *object)
{
  MapChoroplethLayer *self = MAP_CHOROPLETH_LAYER (object);

  G_OBJECT_CLASS (map_choropleth_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                           "notify",
                           G_CALLBACK (gtk_widget_queue_draw),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
map_choropleth_layer_finalize (GObject *object)
{
  MapChoroplethLayer *self = MAP_CHOROPLETH_LAYER (object);

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->shapes, geo_area_shapes_free);
  g_clear_pointer (&self->mx, g_free);
  g_clear_pointer (&self->my, g_free);
  g_clear_pointer (&self->cls, g_free);
  g_clear_pointer (&self->breaks, g_free);
  g_clear_pointer (&self->format, g_free);
  G_OBJECT_CLASS (map_choropleth_layer_parent_class)->finalize (object);
}

static void
map_choropleth_layer_class_init (MapChoroplethLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = map_choropleth_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = map_choropleth_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = map_choropleth_layer_snapshot;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
map_choropleth_layer_init (MapChoroplethLayer *self)
{
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->format = g_strdup ("%.3g");
  self->scale = 1.0;
}

MapChoroplethLayer *
map_choropleth_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_CHOROPLETH_LAYER, "viewport", viewport, NULL);
}

/**
 * map_choropleth_layer_set_shapes:
 * @shapes: (transfer full) (nullable): the project's areas (geo_area_shapes_load(), in a worker)
 *
 * Projects the outlines once; clears the values.
 */
void
map_choropleth_layer_set_shapes (MapChoroplethLayer *self, GeoAreaShapes *shapes)
{
  g_return_if_fail (MAP_IS_CHOROPLETH_LAYER (self));
  map_choropleth_layer_clear_values (self);
  g_hash_table_remove_all (self->by_code);
  g_clear_pointer (&self->shapes, geo_area_shapes_free);
  g_clear_pointer (&self->mx, g_free);
  g_clear_pointer (&self->my, g_free);
  self->shapes = shapes;
  if (shapes != NULL)
    {
      self->mx = g_new (double, MAX (shapes->n_points, 1));
      self->my = g_new (double, MAX (shapes->n_points, 1));
      for (guint i = 0; i < shapes->n_points; i++)
        map_lonlat_to_mercator (shapes->points[i].lon,
                                shapes->points[i].lat,
                                &self->mx[i],
                                &self->my[i]);
      for (guint i = 0; i < shapes->n_areas; i++)
        g_hash_table_insert (self->by_code, shapes->areas[i].code, GUINT_TO_POINTER (i + 1));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * map_choropleth_layer_set_values:
 * @codes: area codes (dotted Kemendagri codes of any one level)
 * @values: the value of each area (NAN = no data)
 * @breaks: @n_breaks class edges as made by geo_classify_breaks() (minimum, then the upper
 *   bound of each class); @n_breaks - 1 classes
 * @ramp: the colours
 *
 * Colours the areas named by @codes; the other areas of their level are drawn as no data.
 * Codes the shapes do not know are ignored. Nothing is kept of the arrays.
 */
void
map_choropleth_layer_set_values (MapChoroplethLayer *self,
                                 const char *const  *codes,
                                 const double       *values,
                                 guint               n,
                                 const double       *breaks,
                                 guint               n_breaks,
                                 MapColourRamp       ramp)
{
  int level = -1;

  g_return_if_fail (MAP_IS_CHOROPLETH_LAYER (self));
  g_return_if_fail (n == 0 || (codes != NULL && values != NULL));
  g_return_if_fail (n_breaks >= 2 && breaks != NULL);
  g_return_if_fail ((guint) ramp < MAP_RAMP_N);
  map_choropleth_layer_clear_values (self);
  if (self->shapes == NULL)
    return;
  self->n_classes = n_breaks - 1;
  self->breaks = g_memdup2 (breaks, n_breaks * sizeof (double));
  self->ramp = ramp;
  self->cls = g_new (int, MAX (self->shapes->n_areas, 1));
  for (guint i = 0; i < self->shapes->n_areas; i++)
    self->cls[i] = CLASS_NONE;
  for (guint j = 0; j < n; j++)
    {
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_code, codes[j]));

      if (i-- == 0)
        continue;
      self->cls[i] = geo_classify_value (self->breaks, self->n_classes, values[j]);
      if (level < 0)
        level = self->shapes->areas[i].level;
    }
  for (guint i = 0; i < self->shapes->n_areas; i++)
    if (self->cls[i] == CLASS_NONE && (int) self->shapes->areas[i].level == level)
      self->cls[i] = CLASS_NO_DATA;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
map_choropleth_layer_clear_values (MapChoroplethLayer *self)
{
  g_return_if_fail (MAP_IS_CHOROPLETH_LAYER (self));
  g_clear_pointer (&self->cls, g_free);
  g_clear_pointer (&self->breaks, g_free);
  self->n_classes = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * map_choropleth_layer_set_number_format:
 * @format: a printf format for one double, e.g. "%.0f" or "%.1f %%"
 * @scale: the legend shows value * @scale (100 for shares shown as percentages)
 */
void
map_choropleth_layer_set_number_format (MapChoroplethLayer *self, const char *format, double scale)
{
  g_return_if_fail (MAP_IS_CHOROPLETH_LAYER (self));
  g_return_if_fail (format != NULL);
  g_free (self->format);
  self->format = g_strdup (format);
  self->scale = scale;
}

/**
 * map_choropleth_layer_dup_legend:
 *
 * Returns: (transfer full): one #MapLegendEntry per class, lowest first (the array clears its
 * entries when freed); empty without values.
 */
GArray *
map_choropleth_layer_dup_legend (MapChoroplethLayer *self)
{
  GArray *legend = g_array_new (FALSE, TRUE, sizeof (MapLegendEntry));

  g_array_set_clear_func (legend, (GDestroyNotify) map_legend_entry_clear);
  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), legend);
  if (self->cls == NULL)
    return legend;
  g_array_set_size (legend, self->n_classes);
  for (guint c = 0; c < self->n_classes; c++)
    {
      MapLegendEntry *e = &g_array_index (legend, MapLegendEntry, c);
      char            lo[64], hi[64];

      map_colour_ramp_get (self->ramp, c, self->n_classes, &e->colour);
      e->lower = self->breaks[c];
      e->upper = self->breaks[c + 1];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_snprintf (lo, sizeof lo, self->format, e->lower * self->scale);
      g_snprintf (hi, sizeof hi, self->format, e->upper * self->scale);
#pragma GCC diagnostic pop
      if (g_strcmp0 (lo, hi) == 0)
        e->label = g_strdup (lo);
      else
        e->label = g_strdup_printf (c == 0 ? "%s – %s" : "> %s – %s", lo, hi);
    }
  for (guint i = 0; i < self->shapes->n_areas; i++)
    if (self->cls[i] >= 0)
      g_array_index (legend, MapLegendEntry, self->cls[i]).n_areas++;
  return legend;
}

guint
map_choropleth_layer_get_n_classes (MapChoroplethLayer *self)
{
  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), 0);
  return self->n_classes;
}

/* Areas with a class colour (not counting no-data areas). */
guint
map_choropleth_layer_get_n_filled (MapChoroplethLayer *self)
{
  guint n = 0;

  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), 0);
  if (self->cls == NULL)
    return 0;
  for (guint i = 0; i < self->shapes->n_areas; i++)
    n += self->cls[i] >= 0;
  return n;
}

/* Areas of the coloured level drawn as "no data". */
guint
map_choropleth_layer_get_n_no_data (MapChoroplethLayer *self)
{
  guint n = 0;

  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), 0);
  if (self->cls == NULL)
    return 0;
  for (guint i = 0; i < self->shapes->n_areas; i++)
    n += self->cls[i] == CLASS_NO_DATA;
  return n;
}

/* The class of area @code: >= 0, -1 no data, -2 not coloured (or unknown code). */
int
map_choropleth_layer_get_area_class (MapChoroplethLayer *self, const char *code)
{
  guint i;

  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), CLASS_NONE);
  if (self->cls == NULL || code == NULL)
    return CLASS_NONE;
  i = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_code, code));
  return i == 0 ? CLASS_NONE : self->cls[i - 1];
}

/* Areas (coloured or no data) drawn by the last frame, after culling. */
guint
map_choropleth_layer_get_n_drawn (MapChoroplethLayer *self)
{
  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), 0);
  return self->n_drawn;
}

/* The extent of the coloured and no-data areas. */
gboolean
map_choropleth_layer_get_extent (
    MapChoroplethLayer *self, double *min_lon, double *min_lat, double *max_lon, double *max_lat)
{
  gboolean any = FALSE;

  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), FALSE);
  if (self->cls == NULL)
    return FALSE;
  *min_lon = *min_lat = G_MAXDOUBLE;
  *max_lon = *max_lat = -G_MAXDOUBLE;
  for (guint i = 0; i < self->shapes->n_areas; i++)
    if (self->cls[i] != CLASS_NONE)
      {
        const GeoAreaShape *a = &self->shapes->areas[i];

        *min_lon = MIN (*min_lon, a->min_lon);
        *min_lat = MIN (*min_lat, a->min_lat);
        *max_lon = MAX (*max_lon, a->max_lon);
        *max_lat = MAX (*max_lat, a->max_lat);
        any = TRUE;
      }
  return any;
}

/* The outline record of area @code, NULL when the shapes do not know it. */
const GeoAreaShape *
map_choropleth_layer_find_area (MapChoroplethLayer *self, const char *code)
{
  guint i;

  g_return_val_if_fail (MAP_IS_CHOROPLETH_LAYER (self), NULL);
  if (self->shapes == NULL || code == NULL)
    return NULL;
  i = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_code, code));
  return i == 0 ? NULL : &self->shapes->areas[i - 1];
}
