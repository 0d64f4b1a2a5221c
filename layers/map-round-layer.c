#include "config.h"

#include "map-round-layer.h"

#include <math.h>

#include "map-point-index.h"

struct _MapRoundLayer
{
  ShumateLayer parent_instance;

  GArray  *stops;     /* Stop */
  GArray  *route_off; /* guint: first point of each route in pts, plus the end */
  GArray  *route_col; /* guint: colour index of each route */
  GArray  *pts;       /* double x, y pairs (normalized Web Mercator) */
  gboolean has_depot;
  double   depot_x, depot_y;
  GArray  *area; /* double x, y pairs: the target area being drawn or used (normalized) */
};

typedef struct
{
  double   x, y;
  GeoPoint pos;
  guint    route, colour, seq;
} Stop;

G_DEFINE_FINAL_TYPE (MapRoundLayer, map_round_layer, SHUMATE_TYPE_LAYER)

/* Distinct, print-safe colours (Okabe-Ito and Tableau 10 mixed), dark enough for white digits. */
static const char *const palette[] = {
  "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8c564b", "#e69f00",
  "#56b4e9", "#7f7f7f", "#9467bd", "#bcbd22", "#17becf", "#d62728",
};

const char *
map_round_layer_route_colour (guint index)
{
  return palette[index % G_N_ELEMENTS (palette)];
}

static void
set_colour (cairo_t *cr, guint index, double alpha)
{
  GdkRGBA c;

  gdk_rgba_parse (&c, map_round_layer_route_colour (index));
  cairo_set_source_rgba (cr, c.red, c.green, c.blue, alpha);
}

static void
map_round_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MapRoundLayer    *self = MAP_ROUND_LAYER (widget);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int               width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double            cx, cy, world, rot, cr_, sr_, zoom, radius;
  cairo_t          *cr;

  if (source == NULL || (self->stops->len == 0 && !self->has_depot && self->area->len == 0))
    return;
  zoom = shumate_viewport_get_zoom_level (viewport);
  world = shumate_map_source_get_tile_size (source) * exp2 (zoom);
  map_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                          shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                          &cx,
                          &cy);
  rot = shumate_viewport_get_rotation (viewport);
  cr_ = cos (rot);
  sr_ = sin (rot);
#define PROJ(X, Y, SX, SY)                                                                         \
  do                                                                                               \
    {                                                                                              \
      double dx_ = ((X) -cx) * world, dy_ = ((Y) -cy) * world;                                     \
      SX = width / 2.0 + dx_ * cr_ - dy_ * sr_;                                                    \
      SY = height / 2.0 + dx_ * sr_ + dy_ * cr_;                                                   \
    }                                                                                              \
  while (0)

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The target area: a pale fill, a dashed outline and its vertices (closed from 3 points). */
  if (self->area->len > 0)
    {
      const double dash[] = { 8, 5 };
      guint        n = self->area->len / 2;

      for (guint i = 0; i < n; i++)
        {
          double sx, sy;

          PROJ (g_array_index (self->area, double, 2 * i),
                g_array_index (self->area, double, 2 * i + 1),
                sx,
                sy);
          if (i == 0)
            cairo_move_to (cr, sx, sy);
          else
            cairo_line_to (cr, sx, sy);
        }
      if (n >= 3)
        {
          cairo_close_path (cr);
          cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.12);
          cairo_fill_preserve (cr);
        }
      cairo_set_source_rgba (cr, 0.10, 0.37, 0.71, 0.95);
      cairo_set_line_width (cr, 2.5);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint i = 0; i < n; i++)
        {
          double sx, sy;

          PROJ (g_array_index (self->area, double, 2 * i),
                g_array_index (self->area, double, 2 * i + 1),
                sx,
                sy);
          cairo_arc (cr, sx, sy, 4, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 0.10, 0.37, 0.71);
          cairo_set_line_width (cr, 2);
          cairo_stroke (cr);
        }
    }

  /* Route lines: a white casing, then the colour. */
  for (int pass = 0; pass < 2; pass++)
    for (guint r = 0; r + 1 < self->route_off->len; r++)
      {
        guint  a = g_array_index (self->route_off, guint, r);
        guint  b = g_array_index (self->route_off, guint, r + 1);
        double lx = 0, ly = 0;

        for (guint i = a; i < b; i++)
          {
            double sx, sy;

            PROJ (g_array_index (self->pts, double, 2 * i),
                  g_array_index (self->pts, double, 2 * i + 1),
                  sx,
                  sy);
            if (i == a)
              cairo_move_to (cr, sx, sy);
            else if (fabs (sx - lx) + fabs (sy - ly) >= 0.75 || i == b - 1)
              cairo_line_to (cr, sx, sy);
            else
              continue;
            lx = sx;
            ly = sy;
          }
        if (pass == 0)
          {
            cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
            cairo_set_line_width (cr, 6);
          }
        else
          {
            set_colour (cr, g_array_index (self->route_col, guint, r), 0.9);
            cairo_set_line_width (cr, 3);
          }
        cairo_stroke (cr);
      }

  /* Numbered stops: discs with the visiting order. */
  radius = zoom >= 14 ? 10 : zoom >= 12 ? 8 : 6;
  {
    PangoLayout          *layout = gtk_widget_create_pango_layout (widget, NULL);
    PangoFontDescription *font = pango_font_description_from_string ("Sans Bold");

    pango_font_description_set_absolute_size (font, (radius + 1) * PANGO_SCALE);
    pango_layout_set_font_description (layout, font);
    pango_font_description_free (font);
    for (guint i = 0; i < self->stops->len; i++)
      {
        const Stop *s = &g_array_index (self->stops, Stop, i);
        double      sx, sy;

        PROJ (s->x, s->y, sx, sy);
        if (sx < -radius || sy < -radius || sx > width + radius || sy > height + radius)
          continue;
        /* show_layout leaves a current point: start a fresh path, or arc joins it. */
        cairo_new_path (cr);
        cairo_arc (cr, sx, sy, radius, 0, 2 * G_PI);
        set_colour (cr, s->colour, 1);
        cairo_fill_preserve (cr);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_set_line_width (cr, 1.5);
        cairo_stroke (cr);
        if (radius >= 8)
          {
            char num[16];
            int  lw, lh;

            g_snprintf (num, sizeof num, "%u", s->seq);
            pango_layout_set_text (layout, num, -1);
            pango_layout_get_pixel_size (layout, &lw, &lh);
            cairo_move_to (cr, sx - lw / 2.0, sy - lh / 2.0);
            pango_cairo_show_layout (cr, layout);
            cairo_new_path (cr);
          }
      }
    g_object_unref (layout);
  }

  /* The depot: a dark square with a white house roof. */
  if (self->has_depot)
    {
      double sx, sy;

      PROJ (self->depot_x, self->depot_y, sx, sy);
      cairo_new_path (cr);
      cairo_rectangle (cr, sx - 11, sy - 11, 22, 22);
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      cairo_move_to (cr, sx - 7, sy + 1);
      cairo_line_to (cr, sx, sy - 6);
      cairo_line_to (cr, sx + 7, sy + 1);
      cairo_move_to (cr, sx - 5, sy);
      cairo_line_to (cr, sx - 5, sy + 7);
      cairo_line_to (cr, sx + 5, sy + 7);
      cairo_line_to (cr, sx + 5, sy);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
#undef PROJ
}

static void
map_round_layer_finalize (GObject *object)
{
  MapRoundLayer *self = MAP_ROUND_LAYER (object);

  g_array_unref (self->stops);
  g_array_unref (self->route_off);
  g_array_unref (self->route_col);
  g_array_unref (self->pts);
  g_array_unref (self->area);
  G_OBJECT_CLASS (map_round_layer_parent_class)->finalize (object);
}

static void
map_round_layer_class_init (MapRoundLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = map_round_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = map_round_layer_snapshot;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
map_round_layer_init (MapRoundLayer *self)
{
  self->stops = g_array_new (FALSE, FALSE, sizeof (Stop));
  self->route_off = g_array_new (FALSE, FALSE, sizeof (guint));
  self->route_col = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pts = g_array_new (FALSE, FALSE, sizeof (double));
  self->area = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

MapRoundLayer *
map_round_layer_new (ShumateViewport *viewport)
{
  return g_object_new (MAP_TYPE_ROUND_LAYER, "viewport", viewport, NULL);
}

void
map_round_layer_set_round (MapRoundLayer *self, const GeoRound *round)
{
  g_return_if_fail (MAP_IS_ROUND_LAYER (self));
  g_array_set_size (self->stops, 0);
  g_array_set_size (self->route_off, 0);
  g_array_set_size (self->route_col, 0);
  g_array_set_size (self->pts, 0);
  if (round != NULL && round->routes != NULL)
    {
      for (guint r = 0; r < round->routes->len; r++)
        {
          const GeoRoundRoute *rt = round->routes->pdata[r];
          guint                off = self->pts->len / 2;
          guint                col = (rt->team - 1) * round->n_days + rt->day - 1;
          g_autoptr(GPtrArray) day = geo_round_day_stops (round, rt->team, rt->day);

          g_array_append_val (self->route_off, off);
          g_array_append_val (self->route_col, col);
          for (guint i = 0; rt->line != NULL && i < rt->line->len; i++)
            {
              const GeoPoint *p = &g_array_index (rt->line, GeoPoint, i);
              double          xy[2];

              map_lonlat_to_mercator (p->lon, p->lat, &xy[0], &xy[1]);
              g_array_append_vals (self->pts, xy, 2);
            }
          for (guint i = 0; i < day->len; i++)
            {
              const GeoRoundStop *s = day->pdata[i];
              Stop                st = { .pos = s->pos, .route = r, .colour = col, .seq = s->seq };

              map_lonlat_to_mercator (s->pos.lon, s->pos.lat, &st.x, &st.y);
              g_array_append_val (self->stops, st);
            }
        }
      {
        guint end = self->pts->len / 2;

        g_array_append_val (self->route_off, end);
      }
      self->has_depot = TRUE;
      map_lonlat_to_mercator (round->depot.lon, round->depot.lat, &self->depot_x, &self->depot_y);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
map_round_layer_set_depot (MapRoundLayer *self, const GeoPoint *depot)
{
  g_return_if_fail (MAP_IS_ROUND_LAYER (self));
  self->has_depot = depot != NULL;
  if (depot != NULL)
    map_lonlat_to_mercator (depot->lon, depot->lat, &self->depot_x, &self->depot_y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
map_round_layer_get_n_stops (MapRoundLayer *self)
{
  return self->stops->len;
}

guint
map_round_layer_get_n_routes (MapRoundLayer *self)
{
  return self->route_off->len > 0 ? self->route_off->len - 1 : 0;
}

gboolean
map_round_layer_get_stop (MapRoundLayer *self, guint i, GeoPoint *pos, guint *route, guint *seq)
{
  const Stop *s;

  if (i >= self->stops->len)
    return FALSE;
  s = &g_array_index (self->stops, Stop, i);
  if (pos != NULL)
    *pos = s->pos;
  if (route != NULL)
    *route = s->route;
  if (seq != NULL)
    *seq = s->seq;
  return TRUE;
}

guint
map_round_layer_get_route_n_points (MapRoundLayer *self, guint route)
{
  if (route + 1 >= self->route_off->len)
    return 0;
  return g_array_index (self->route_off, guint, route + 1) -
         g_array_index (self->route_off, guint, route);
}

void
map_round_layer_set_area (MapRoundLayer *self, const GeoPoint *ring, guint n)
{
  g_return_if_fail (MAP_IS_ROUND_LAYER (self));
  g_array_set_size (self->area, 0);
  for (guint i = 0; i < n; i++)
    {
      double xy[2];

      map_lonlat_to_mercator (ring[i].lon, ring[i].lat, &xy[0], &xy[1]);
      g_array_append_vals (self->area, xy, 2);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
map_round_layer_get_area_n_points (MapRoundLayer *self)
{
  return self->area->len / 2;
}
