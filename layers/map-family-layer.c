#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "geo-categories.h"
#include "map-family-layer.h"

/* Draw each family when at most this many are in view, else cluster them. */
#define FAMILY_BUDGET   2500
#define CLUSTER_CELL_PX 80.0
#define SYMBOL_RADIUS   6.0

struct _MapFamilyLayer
{
  ShumateLayer parent_instance;

  /* owned */
  MapPointIndex *index;
  GArray        *clusters; /* Cluster, as drawn in the last frame, for hit-testing */
  GHashTable    *label_layouts; /* char* -> PangoLayout, count labels */
  GHashTable    *sprites;       /* guint64 key -> GdkTexture: pre-rendered symbols */
  int            sprite_scale;  /* device scale the sprites were made for */

  guint32       visible;
  gint64        selected_id;
  MapFrameStats last_stats;
};

typedef struct
{
  double  sx, sy, r; /* widget coordinates */
  double  x, y;      /* normalized Mercator */
  guint32 families;
} Cluster;

enum
{
  PROP_0,
  PROP_VISIBLE_CATEGORIES,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MapFamilyLayer, map_family_layer, SHUMATE_TYPE_LAYER)

typedef struct
{
  double cx, cy;   /* centre, normalized Mercator */
  double world;    /* world size in pixels at this zoom */
  double w2, h2;   /* half widget size */
  double cos_r, sin_r;
  double zoom;
  double min_x, max_x, min_y, max_y; /* visible region with a margin, normalized */
} View;

static gboolean
view_init (MapFamilyLayer *self, int width, int height, View *v)
{
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source;
  double            hx, hy, rot, margin;

  if (viewport == NULL)
    return FALSE;
  source = shumate_viewport_get_reference_map_source (viewport);
  if (source == NULL || width <= 0 || height <= 0)
    return FALSE;
  v->zoom = shumate_viewport_get_zoom_level (viewport);
  v->world = shumate_map_source_get_tile_size (source) * exp2 (v->zoom);
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &v->cx,
                          &v->cy);
  v->w2 = width / 2.0;
  v->h2 = height / 2.0;
  rot = shumate_viewport_get_rotation (viewport);
  v->cos_r = cos (rot);
  v->sin_r = sin (rot);
  if (rot != 0)
    hx = hy = hypot (v->w2, v->h2);
  else
    {
      hx = v->w2;
      hy = v->h2;
    }
  margin = 40.0;
  v->min_x = v->cx - (hx + margin) / v->world;
  v->max_x = v->cx + (hx + margin) / v->world;
  v->min_y = v->cy - (hy + margin) / v->world;
  v->max_y = v->cy + (hy + margin) / v->world;
  return TRUE;
}

static inline void
view_project (const View *v, double x, double y, double *sx, double *sy)
{
  double dx = (x - v->cx) * v->world, dy = (y - v->cy) * v->world;

  *sx = v->w2 + dx * v->cos_r - dy * v->sin_r;
  *sy = v->h2 + dx * v->sin_r + dy * v->cos_r;
}

static inline void
view_unproject (const View *v, double sx, double sy, double *x, double *y)
{
  double dx = sx - v->w2, dy = sy - v->h2;

  *x = v->cx + (dx * v->cos_r + dy * v->sin_r) / v->world;
  *y = v->cy + (-dx * v->sin_r + dy * v->cos_r) / v->world;
}

/* The tiles of @level covering the view: columns c0..c1, rows r0..r1. */
static void
view_cells (const View *v, guint level, guint32 *c0, guint32 *c1, guint32 *r0, guint32 *r1)
{
  double n = exp2 (level);

  *c0 = (guint32) CLAMP (floor (v->min_x * n), 0, n - 1);
  *c1 = (guint32) CLAMP (floor (v->max_x * n), 0, n - 1);
  *r0 = (guint32) CLAMP (floor (v->min_y * n), 0, n - 1);
  *r1 = (guint32) CLAMP (floor (v->max_y * n), 0, n - 1);
}

static guint
cell_level (const View *v)
{
  int level = (int) floor (v->zoom);

  return (guint) CLAMP (level, 0, MAP_POINT_INDEX_KEY_LEVEL);
}

/* Category colours and symbols, parsed once. */
typedef enum
{
  SYM_CIRCLE,
  SYM_SQUARE,
  SYM_TRIANGLE,
  SYM_DIAMOND,
  SYM_STAR,
  SYM_CROSS,
  SYM_HEXAGON,
  SYM_HOUSE,
} Symbol;

static GdkRGBA category_rgba[27];
static Symbol  category_symbol[27];

static void
ensure_categories (void)
{
  static gsize once = 0;

  if (!g_once_init_enter (&once))
    return;
  gdk_rgba_parse (&category_rgba[0], "#77767b"); /* no category */
  category_symbol[0] = SYM_CIRCLE;
  for (int c = 1; c <= 26; c++)
    {
      const GeoCategory *cat = geo_pmks_get (c);
      static const char *const names[] = { "circle", "square", "triangle", "diamond",
                                           "star",   "cross",  "hexagon",  "house" };

      if (cat == NULL || !gdk_rgba_parse (&category_rgba[c], cat->colour))
        gdk_rgba_parse (&category_rgba[c], "#77767b");
      category_symbol[c] = SYM_CIRCLE;
      for (guint s = 0; cat != NULL && s < G_N_ELEMENTS (names); s++)
        if (g_strcmp0 (cat->symbol, names[s]) == 0)
          category_symbol[c] = (Symbol) s;
    }
  g_once_init_leave (&once, 1);
}

void
map_category_rgba (int code, GdkRGBA *rgba)
{
  ensure_categories ();
  *rgba = category_rgba[code >= 1 && code <= 26 ? code : 0];
}

static void
symbol_path (cairo_t *cr, Symbol symbol, double x, double y, double r)
{
  switch (symbol)
    {
    case SYM_SQUARE:
      cairo_rectangle (cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      break;
    case SYM_TRIANGLE:
      cairo_move_to (cr, x, y - r * 1.1);
      cairo_line_to (cr, x + r, y + r * 0.75);
      cairo_line_to (cr, x - r, y + r * 0.75);
      cairo_close_path (cr);
      break;
    case SYM_DIAMOND:
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r * 1.15, y);
      cairo_line_to (cr, x, y + r * 1.15);
      cairo_line_to (cr, x - r * 1.15, y);
      cairo_close_path (cr);
      break;
    case SYM_STAR:
      for (int i = 0; i < 10; i++)
        {
          double a = -G_PI / 2 + i * G_PI / 5, rr = (i % 2) ? r * 0.5 : r * 1.2;

          if (i == 0)
            cairo_move_to (cr, x + rr * cos (a), y + rr * sin (a));
          else
            cairo_line_to (cr, x + rr * cos (a), y + rr * sin (a));
        }
      cairo_close_path (cr);
      break;
    case SYM_CROSS:
      {
        double t = r * 0.38;

        cairo_move_to (cr, x - t, y - r);
        cairo_line_to (cr, x + t, y - r);
        cairo_line_to (cr, x + t, y - t);
        cairo_line_to (cr, x + r, y - t);
        cairo_line_to (cr, x + r, y + t);
        cairo_line_to (cr, x + t, y + t);
        cairo_line_to (cr, x + t, y + r);
        cairo_line_to (cr, x - t, y + r);
        cairo_line_to (cr, x - t, y + t);
        cairo_line_to (cr, x - r, y + t);
        cairo_line_to (cr, x - r, y - t);
        cairo_line_to (cr, x - t, y - t);
        cairo_close_path (cr);
      }
      break;
    case SYM_HEXAGON:
      for (int i = 0; i < 6; i++)
        {
          double a = i * G_PI / 3;

          if (i == 0)
            cairo_move_to (cr, x + r * cos (a), y + r * sin (a));
          else
            cairo_line_to (cr, x + r * cos (a), y + r * sin (a));
        }
      cairo_close_path (cr);
      break;
    case SYM_HOUSE:
      cairo_move_to (cr, x, y - r * 1.1);
      cairo_line_to (cr, x + r, y - r * 0.1);
      cairo_line_to (cr, x + r, y + r);
      cairo_line_to (cr, x - r, y + r);
      cairo_line_to (cr, x - r, y - r * 0.1);
      cairo_close_path (cr);
      break;
    case SYM_CIRCLE:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    }
}

void
map_draw_category_symbol (cairo_t *cr, int code, double x, double y, double r)
{
  ensure_categories ();
  if (code < 1 || code > 26)
    code = 0;
  symbol_path (cr, category_symbol[code], x, y, r);
  gdk_cairo_set_source_rgba (cr, &category_rgba[code]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

/* One family: its category's symbol when it has one visible category, else a pie with
 * one wedge per visible category so that every category of the family shows. */
static void
draw_family (cairo_t *cr, guint32 cats, double x, double y, double r, gboolean selected)
{
  guint n = __builtin_popcount (cats & ~MAP_NO_CATEGORY);

  if (selected)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r + 5, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }
  if (n <= 1)
    {
      map_draw_category_symbol (cr, n == 0 ? 0 : __builtin_ctz (cats) + 1, x, y, r);
      return;
    }
  {
    double a = -G_PI / 2, step = 2 * G_PI / n;

    for (guint32 c = cats & ~MAP_NO_CATEGORY; c != 0; c &= c - 1)
      {
        cairo_move_to (cr, x, y);
        cairo_arc (cr, x, y, r + 1, a, a + step);
        cairo_close_path (cr);
        gdk_cairo_set_source_rgba (cr, &category_rgba[__builtin_ctz (c) + 1]);
        cairo_fill (cr);
        a += step;
      }
    cairo_new_sub_path (cr);
    cairo_arc (cr, x, y, r + 1, 0, 2 * G_PI);
    cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
    cairo_set_line_width (cr, 1.5);
    cairo_stroke (cr);
  }
}

/* Symbols are drawn once with cairo into small textures and then placed with texture
 * nodes: cheap to record, and cheap to composite for every GSK renderer (a cairo node
 * would be rasterized again on the CPU each frame). */
static GdkTexture *
make_sprite (guint32 cats, double r, int kind, int scale, double *size_out)
{
  double           size = ceil (2 * (r + 6));
  int              px = (int) (size * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cairo_t         *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture      *texture;

  cairo_scale (cr, scale, scale);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (kind == 0)
    draw_family (cr, cats, size / 2, size / 2, r, FALSE);
  else if (kind == 1)
    draw_family (cr, cats, size / 2, size / 2, r, TRUE);
  else
    {
      /* A cluster disc: the dominant category's colour, white rim. */
      cairo_arc (cr, size / 2, size / 2, r, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &category_rgba[cats]);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * px);
  /* CAIRO_FORMAT_ARGB32 is GDK_MEMORY_DEFAULT (premultiplied, native endian). */
  texture = gdk_memory_texture_new (px, px, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  *size_out = size;
  return texture;
}

static GdkTexture *
get_sprite (MapFamilyLayer *self, guint32 cats, double r, int kind, double *size)
{
  guint64     key = ((guint64) cats) | ((guint64) (int) (r * 4) << 32) | ((guint64) kind << 48);
  GdkTexture *texture = g_hash_table_lookup (self->sprites, &key);

  if (texture == NULL)
    {
      guint64 *k = g_new (guint64, 1);

      if (g_hash_table_size (self->sprites) > 2048)
        g_hash_table_remove_all (self->sprites);
      *k = key;
      texture = make_sprite (cats, r, kind, self->sprite_scale, size);
      g_object_set_data (G_OBJECT (texture), "size", GINT_TO_POINTER ((int) *size));
      g_hash_table_insert (self->sprites, k, texture);
    }
  *size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (texture), "size"));
  return texture;
}

static inline void
append_sprite (GtkSnapshot *snapshot, GdkTexture *texture, double size, double x, double y)
{
  gtk_snapshot_append_texture (snapshot,
                               texture,
                               &GRAPHENE_RECT_INIT (round (x - size / 2), round (y - size / 2),
                                                    size, size));
}

static PangoLayout *
label_layout (MapFamilyLayer *self, guint32 count)
{
  char         text[32];
  PangoLayout *layout;

  /* Compact counts: 1,8rb in Indonesian (a '.' would read as a thousands separator). */
  if (count < 1000)
    g_snprintf (text, sizeof text, "%u", count);
  else if (count < 10000)
    g_snprintf (text, sizeof text, C_("map cluster count, thousands: units, decimal separator, tenths", "%u.%uk"),
                count / 1000, (count % 1000) / 100);
  else if (count < 1000000)
    g_snprintf (text, sizeof text, C_("map cluster count, thousands", "%uk"), (count + 500) / 1000);
  else
    g_snprintf (text, sizeof text, C_("map cluster count, millions: units, decimal separator, tenths", "%u.%uM"),
                count / 1000000, (count % 1000000) / 100000);

  layout = g_hash_table_lookup (self->label_layouts, text);
  if (layout == NULL)
    {
      PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 9");

      if (g_hash_table_size (self->label_layouts) > 4096)
        g_hash_table_remove_all (self->label_layouts);
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
      g_hash_table_insert (self->label_layouts, g_strdup (text), layout);
    }
  return layout;
}

static void
draw_cluster (MapFamilyLayer *self,
              GtkSnapshot    *snapshot,
              const View     *v,
              double          x,
              double          y,
              guint32         families,
              int             dominant)
{
  Cluster      cl;
  PangoLayout *layout;
  GdkTexture  *sprite;
  double       size;
  int          lw, lh;

  view_project (v, x, y, &cl.sx, &cl.sy);
  if (cl.sx < -40 || cl.sy < -40 || cl.sx > 2 * v->w2 + 40 || cl.sy > 2 * v->h2 + 40)
    return;
  /* Radius steps of 2 px keep the number of distinct sprites small. */
  cl.r = 2 * round ((11.0 + 4.0 * log10 (MAX (families, 1))) / 2);
  cl.x = x;
  cl.y = y;
  cl.families = families;
  g_array_append_val (self->clusters, cl);

  sprite = get_sprite (self, dominant, cl.r, 2, &size);
  append_sprite (snapshot, sprite, size, cl.sx, cl.sy);

  layout = label_layout (self, families);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (round (cl.sx - lw / 2.0), round (cl.sy - lh / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 1, 1, 1, 1 });
  gtk_snapshot_restore (snapshot);
}

static void
draw_families (MapFamilyLayer *self, GtkSnapshot *snapshot, const View *v, MapFrameStats *stats)
{
  const double  *px = map_point_index_get_x (self->index);
  const double  *py = map_point_index_get_y (self->index);
  const guint32 *cats = map_point_index_get_categories (self->index);
  const gint64  *ids = map_point_index_get_ids (self->index);
  guint          level = cell_level (v);
  guint32        c0, c1, r0, r1;
  double         r = v->zoom >= 17 ? SYMBOL_RADIUS + 2 : SYMBOL_RADIUS;
  gboolean       have_selected = FALSE;
  double         sel_x = 0, sel_y = 0;
  guint32        sel_cats = 0;

  ensure_categories ();
  view_cells (v, level, &c0, &c1, &r0, &r1);
  for (guint32 row = r0; row <= r1; row++)
    for (guint32 col = c0; col <= c1; col++)
      {
        guint first, end;

        map_point_index_cell_range (self->index, level, col, row, &first, &end);
        stats->n_scanned += end - first;
        for (guint i = first; i < end; i++)
          {
            guint32 visible = cats[i] & self->visible;
            double  sx, sy;

            if (visible == 0 || px[i] < v->min_x || px[i] > v->max_x || py[i] < v->min_y ||
                py[i] > v->max_y)
              continue;
            view_project (v, px[i], py[i], &sx, &sy);
            if (ids[i] == self->selected_id)
              {
                have_selected = TRUE;
                sel_x = sx;
                sel_y = sy;
                sel_cats = visible;
                continue;
              }
            {
              double      size;
              GdkTexture *sprite = get_sprite (self, visible, r, 0, &size);

              append_sprite (snapshot, sprite, size, sx, sy);
            }
            stats->n_symbols++;
          }
      }
  /* The selected family last, on top of its neighbours. */
  if (have_selected)
    {
      double      size;
      GdkTexture *sprite = get_sprite (self, sel_cats, r + 2, 1, &size);

      append_sprite (snapshot, sprite, size, sel_x, sel_y);
      stats->n_symbols++;
    }
}

static void
draw_index_clusters (MapFamilyLayer *self,
                     GtkSnapshot    *snapshot,
                     const View     *v,
                     guint           level,
                     MapFrameStats  *stats)
{
  guint         n_bins;
  const MapBin *bins = map_point_index_get_bins (self->index, level, &n_bins);
  guint         clevel = level >= 2 ? level - 2 : 0;
  guint32       c0, c1, r0, r1;

  view_cells (v, clevel, &c0, &c1, &r0, &r1);
  for (guint32 row = r0; row <= r1; row++)
    for (guint32 col = c0; col <= c1; col++)
      {
        guint first, end;

        map_point_index_bin_range (self->index, level, clevel, col, row, &first, &end);
        stats->n_scanned += end - first;
        for (guint b = first; b < end; b++)
          {
            draw_cluster (self, snapshot, v, bins[b].x, bins[b].y, bins[b].families,
                          bins[b].dominant);
            stats->n_symbols++;
          }
      }
}

typedef struct
{
  double  sum_x, sum_y;
  guint32 families;
  guint32 counts[26];
} ScreenCell;

static void
draw_screen_clusters (MapFamilyLayer *self,
                      GtkSnapshot    *snapshot,
                      const View     *v,
                      MapFrameStats  *stats)
{
  const double  *px = map_point_index_get_x (self->index);
  const double  *py = map_point_index_get_y (self->index);
  const guint32 *cats = map_point_index_get_categories (self->index);
  guint          level = cell_level (v);
  guint          cols = (guint) ceil (2 * v->w2 / CLUSTER_CELL_PX) + 1;
  guint          rows = (guint) ceil (2 * v->h2 / CLUSTER_CELL_PX) + 1;
  g_autofree ScreenCell *cells = g_new0 (ScreenCell, cols * rows);
  guint32 c0, c1, r0, r1;

  view_cells (v, level, &c0, &c1, &r0, &r1);
  for (guint32 row = r0; row <= r1; row++)
    for (guint32 col = c0; col <= c1; col++)
      {
        guint first, end;

        map_point_index_cell_range (self->index, level, col, row, &first, &end);
        stats->n_scanned += end - first;
        for (guint i = first; i < end; i++)
          {
            guint32     visible = cats[i] & self->visible;
            double      sx, sy;
            int         gx, gy;
            ScreenCell *cell;

            if (visible == 0)
              continue;
            view_project (v, px[i], py[i], &sx, &sy);
            gx = (int) floor (sx / CLUSTER_CELL_PX);
            gy = (int) floor (sy / CLUSTER_CELL_PX);
            if (gx < 0 || gy < 0 || gx >= (int) cols || gy >= (int) rows)
              continue;
            cell = &cells[gy * cols + gx];
            cell->sum_x += px[i];
            cell->sum_y += py[i];
            cell->families++;
            for (guint32 c = visible & ((1u << 26) - 1); c != 0; c &= c - 1)
              cell->counts[__builtin_ctz (c)]++;
          }
      }
  for (guint k = 0; k < cols * rows; k++)
    {
      ScreenCell *cell = &cells[k];
      guint32     best = 0;
      int         dominant = 0;

      if (cell->families == 0)
        continue;
      for (int c = 0; c < 26; c++)
        if (cell->counts[c] > best)
          {
            best = cell->counts[c];
            dominant = c + 1;
          }
      draw_cluster (self,
                    snapshot,
                    v,
                    cell->sum_x / cell->families,
                    cell->sum_y / cell->families,
                    cell->families,
                    dominant);
      stats->n_symbols++;
    }
}

/**
 * map_family_layer_build_frame:
 * @stats: (out) (optional): what was drawn
 *
 * Builds the layer's render nodes for a @width x @height view: the body of the
 * snapshot vfunc, callable directly for benchmarks. Only reads the in-memory index.
 */
void
map_family_layer_build_frame (MapFamilyLayer *self,
                              GtkSnapshot    *snapshot,
                              int             width,
                              int             height,
                              MapFrameStats  *stats)
{
  MapFrameStats s = { MAP_FRAME_EMPTY, 0, 0 };
  View          v;
  guint         level, cluster_level;
  guint32       c0, c1, r0, r1;
  guint64       in_view = 0;
  int           scale;

  g_return_if_fail (MAP_IS_FAMILY_LAYER (self));
  g_array_set_size (self->clusters, 0);
  if (self->index == NULL || map_point_index_get_n_points (self->index) == 0 ||
      !view_init (self, width, height, &v))
    goto out;

  ensure_categories ();
  /* How many points lie in the tiles under the view decides the mode. */
  level = cell_level (&v);
  view_cells (&v, level, &c0, &c1, &r0, &r1);
  for (guint32 row = r0; row <= r1; row++)
    for (guint32 col = c0; col <= c1; col++)
      {
        guint first, end;

        map_point_index_cell_range (self->index, level, col, row, &first, &end);
        in_view += end - first;
      }
  if (in_view == 0)
    goto out;

  scale = MAX (gtk_widget_get_scale_factor (GTK_WIDGET (self)), 1);
  if (scale != self->sprite_scale)
    {
      g_hash_table_remove_all (self->sprites);
      self->sprite_scale = scale;
    }
  cluster_level = (guint) floor (v.zoom) + 2;
  if (in_view <= FAMILY_BUDGET)
    {
      s.mode = MAP_FRAME_FAMILIES;
      draw_families (self, snapshot, &v, &s);
    }
  else if (cluster_level < MAP_POINT_INDEX_PYRAMID_LEVELS)
    {
      s.mode = MAP_FRAME_CLUSTERS_INDEX;
      draw_index_clusters (self, snapshot, &v, cluster_level, &s);
    }
  else
    {
      s.mode = MAP_FRAME_CLUSTERS_SCREEN;
      draw_screen_clusters (self, snapshot, &v, &s);
    }

out:
  self->last_stats = s;
  if (stats != NULL)
    *stats = s;
}

const MapFrameStats *
map_family_layer_get_last_stats (MapFamilyLayer *self)
{
  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), NULL);
  return &self->last_stats;
}

static void
map_family_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  map_family_layer_build_frame (MAP_FAMILY_LAYER (widget),
                                snapshot,
                                gtk_widget_get_width (widget),
                                gtk_widget_get_height (widget),
                                NULL);
}

/**
 * map_family_layer_hit_test:
 * @x: widget x of a click on the map
 *
 * What the last frame drew under (x, y): a cluster (drawn circles are kept), or the
 * nearest family within 10 px, through the point index.
 */
MapHit
map_family_layer_hit_test (MapFamilyLayer *self, double x, double y)
{
  MapHit hit = { MAP_HIT_NONE, 0, 0, 0, 0 };
  View   v;
  double mx, my;
  guint  found;

  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), hit);
  if (self->index == NULL ||
      !view_init (self, gtk_widget_get_width (GTK_WIDGET (self)),
                  gtk_widget_get_height (GTK_WIDGET (self)), &v))
    return hit;

  if (self->last_stats.mode == MAP_FRAME_CLUSTERS_INDEX ||
      self->last_stats.mode == MAP_FRAME_CLUSTERS_SCREEN)
    {
      double best = G_MAXDOUBLE;

      for (guint i = 0; i < self->clusters->len; i++)
        {
          const Cluster *cl = &g_array_index (self->clusters, Cluster, i);
          double         d = hypot (cl->sx - x, cl->sy - y);

          if (d <= cl->r && d < best)
            {
              best = d;
              hit.kind = MAP_HIT_CLUSTER;
              hit.families = cl->families;
              map_mercator_to_lonlat (cl->x, cl->y, &hit.lon, &hit.lat);
            }
        }
      return hit;
    }

  view_unproject (&v, x, y, &mx, &my);
  if (map_point_index_nearest (self->index, mx, my, 10.0 / v.world, &found))
    {
      hit.kind = MAP_HIT_FAMILY;
      hit.family_id = map_point_index_get_ids (self->index)[found];
      hit.families = 1;
      map_mercator_to_lonlat (map_point_index_get_x (self->index)[found],
                              map_point_index_get_y (self->index)[found],
                              &hit.lon,
                              &hit.lat);
    }
  return hit;
}

static void
map_family_layer_constructed (GObject *object)
{
  MapFamilyLayer  *self = MAP_FAMILY_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (map_family_layer_parent_class)->constructed (object);
  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self,
                           G_CONNECT_SWAPPED);
}

static void
map_family_layer_finalize (GObject *object)
{
  MapFamilyLayer *self = MAP_FAMILY_LAYER (object);

  g_clear_pointer (&self->index, map_point_index_free);
  g_clear_pointer (&self->clusters, g_array_unref);
  g_clear_pointer (&self->label_layouts, g_hash_table_unref);
  g_clear_pointer (&self->sprites, g_hash_table_unref);
  G_OBJECT_CLASS (map_family_layer_parent_class)->finalize (object);
}

static void
map_family_layer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MapFamilyLayer *self = MAP_FAMILY_LAYER (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_CATEGORIES:
      g_value_set_uint (value, self->visible);
      break;
    case PROP_SELECTED:
      g_value_set_int64 (value, self->selected_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
map_family_layer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MapFamilyLayer *self = MAP_FAMILY_LAYER (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_CATEGORIES:
      map_family_layer_set_visible_categories (self, g_value_get_uint (value));
      break;
    case PROP_SELECTED:
      map_family_layer_set_selected (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
map_family_layer_class_init (MapFamilyLayerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = map_family_layer_constructed;
  object_class->finalize = map_family_layer_finalize;
  object_class->get_property = map_family_layer_get_property;
  object_class->set_property = map_family_layer_set_property;
  widget_class->snapshot = map_family_layer_snapshot;

  properties[PROP_VISIBLE_CATEGORIES] =
    g_param_spec_uint ("visible-categories", NULL, NULL, 0, G_MAXUINT32, G_MAXUINT32,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int64 ("selected", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
map_family_layer_init (MapFamilyLayer *self)
{
  self->visible = G_MAXUINT32;
  self->selected_id = -1;
  self->clusters = g_array_new (FALSE, FALSE, sizeof (Cluster));
  self->label_layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->sprites = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->sprite_scale = 1;
}

MapFamilyLayer *
map_family_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_FAMILY_LAYER, "viewport", viewport, NULL);
}

/* Takes ownership of @index (built in a worker with map_point_index_new()). */
void
map_family_layer_set_index (MapFamilyLayer *self, MapPointIndex *index)
{
  g_return_if_fail (MAP_IS_FAMILY_LAYER (self));
  g_clear_pointer (&self->index, map_point_index_free);
  self->index = index;
  if (self->index != NULL)
    map_point_index_set_visible (self->index, self->visible);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The index drawn now (transfer none), NULL before a project is loaded. */
MapPointIndex *
map_family_layer_get_index (MapFamilyLayer *self)
{
  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), NULL);
  return self->index;
}

void
map_family_layer_set_points (MapFamilyLayer *self, const MapFamilyPoint *points, guint n_points)
{
  g_return_if_fail (MAP_IS_FAMILY_LAYER (self));
  map_family_layer_set_index (self, map_point_index_new (points, n_points));
}

guint
map_family_layer_get_n_points (MapFamilyLayer *self)
{
  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), 0);
  return self->index != NULL ? map_point_index_get_n_points (self->index) : 0;
}

void
map_family_layer_set_visible_categories (MapFamilyLayer *self, guint32 mask)
{
  g_return_if_fail (MAP_IS_FAMILY_LAYER (self));
  if (self->visible == mask)
    return;
  self->visible = mask;
  if (self->index != NULL)
    map_point_index_set_visible (self->index, mask);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_CATEGORIES]);
}

guint32
map_family_layer_get_visible_categories (MapFamilyLayer *self)
{
  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), 0);
  return self->visible;
}

void
map_family_layer_set_selected (MapFamilyLayer *self, gint64 family_id)
{
  g_return_if_fail (MAP_IS_FAMILY_LAYER (self));
  if (self->selected_id == family_id)
    return;
  self->selected_id = family_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

gint64
map_family_layer_get_selected (MapFamilyLayer *self)
{
  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), -1);
  return self->selected_id;
}

/* The outline of a symbol of the category table ("circle", "square", ...) centred on (x, y),
 * for other layers (PSKS resources) and the legends; unknown names give a circle. */
void
map_symbol_path (cairo_t *cr, const char *symbol, double x, double y, double r)
{
  static const char *const names[] = { "circle", "square", "triangle", "diamond",
                                       "star",   "cross",  "hexagon",  "house" };
  Symbol s = SYM_CIRCLE;

  for (guint i = 0; symbol != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (symbol, names[i]))
      s = (Symbol) i;
  symbol_path (cr, s, x, y, r);
}

/**
 * map_family_layer_update_family:
 * @point: the family's saved point, categories and person count
 * @remove: take the family off the map
 *
 * Moves (or adds, or removes) one family in the layer's index after a record was saved and
 * redraws, without reloading the points. Returns FALSE when the layer has no index yet.
 */
gboolean
map_family_layer_update_family (MapFamilyLayer *self, const MapFamilyPoint *point, gboolean remove)
{
  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), FALSE);
  if (self->index == NULL)
    return FALSE;
  if (map_point_index_update (self->index, point, remove))
    gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

/**
 * map_family_layer_get_family_point:
 *
 * Where the layer draws family @family_id (lon, lat) and its category mask (%MAP_NO_CATEGORY
 * for none; @categories may be NULL), for tests. Linear in the number of points.
 */
gboolean
map_family_layer_get_family_point (
    MapFamilyLayer *self, gint64 family_id, double *lon, double *lat, guint32 *categories)
{
  guint i;

  g_return_val_if_fail (MAP_IS_FAMILY_LAYER (self), FALSE);
  if (self->index == NULL || !map_point_index_find_id (self->index, family_id, &i))
    return FALSE;
  map_mercator_to_lonlat (map_point_index_get_x (self->index)[i],
                          map_point_index_get_y (self->index)[i],
                          lon,
                          lat);
  if (categories != NULL)
    *categories = map_point_index_get_categories (self->index)[i];
  return TRUE;
}
