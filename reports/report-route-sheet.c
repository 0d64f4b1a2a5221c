#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <pango/pangocairo.h>

#include "geo-error.h"
#include "geo-round-export.h"
#include "report-route-sheet.h"

/* A4 in PostScript points. */
#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 36.0
#define MAP_H 280.0
#define FONT "Sans"

/* DTSEN family presence codes, plus Jangkau's 9 (see geo-visit.h). */
static const struct
{
  int         code;
  const char *label;
} outcome_codes[] = {
  { 1, "ditemukan" },
  { 2, "pindah/tidak ditemukan" },
  { 3, "menolak" },
  { 4, "meninggal" },
  { 5, "tidak layak" },
  { 6, "di lembaga" },
  { 8, "tidak dapat ditemui" },
  { 9, "tidak di rumah, kunjungi lagi" },
};

typedef struct
{
  cairo_t *cr;
  int      page;
  double   y;
} Sheet;

static void
set_hex (cairo_t *cr, const char *hex, double alpha)
{
  unsigned r = 0, g = 0, b = 0;

  sscanf (hex, "#%02x%02x%02x", &r, &g, &b);
  cairo_set_source_rgba (cr, r / 255.0, g / 255.0, b / 255.0, alpha);
}

/* Draws @markup at x, y wrapped to @width; returns its height. */
static double
text (cairo_t    *cr,
      double      x,
      double      y,
      double      width,
      double      size,
      gboolean    bold,
      const char *markup,
      gboolean    draw)
{
  PangoLayout          *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT);
  int                   w, h;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_size (layout, &w, &h);
  if (draw)
    {
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
  return (double) h / PANGO_SCALE;
}

/* ---------------------------------------------------------------------------------------------
 * Overview map */

typedef struct
{
  double x0, y0, scale, kx, lon0, lat1;
} MapXf;

static void
map_xy (const MapXf *m, const GeoPoint *p, double *x, double *y)
{
  *x = m->x0 + (p->lon - m->lon0) * m->kx * m->scale;
  *y = m->y0 + (m->lat1 - p->lat) * m->scale;
}

static void
draw_map (cairo_t             *cr,
          const GeoRound      *round,
          const GeoRoundRoute *route,
          GPtrArray           *stops,
          GPtrArray           *outlines,
          guint                team,
          double               top)
{
  double min_lon = round->depot.lon, max_lon = round->depot.lon;
  double min_lat = round->depot.lat, max_lat = round->depot.lat;
  double w = PAGE_W - 2 * MARGIN, h = MAP_H, dx, dy, pad;
  MapXf  m;

  for (guint i = 0; i < stops->len; i++)
    {
      const GeoRoundStop *s = stops->pdata[i];

      min_lon = MIN (min_lon, s->pos.lon), max_lon = MAX (max_lon, s->pos.lon);
      min_lat = MIN (min_lat, s->pos.lat), max_lat = MAX (max_lat, s->pos.lat);
    }
  for (guint i = 0; route != NULL && i < route->line->len; i++)
    {
      const GeoPoint *p = &g_array_index (route->line, GeoPoint, i);

      min_lon = MIN (min_lon, p->lon), max_lon = MAX (max_lon, p->lon);
      min_lat = MIN (min_lat, p->lat), max_lat = MAX (max_lat, p->lat);
    }
  /* Equirectangular around the middle latitude, fitted into the box with a margin. */
  m.kx = cos ((min_lat + max_lat) / 2 * G_PI / 180);
  dx = MAX ((max_lon - min_lon) * m.kx, 1e-4);
  dy = MAX (max_lat - min_lat, 1e-4);
  pad = 0.08;
  m.scale = MIN (w / (dx * (1 + 2 * pad)), h / (dy * (1 + 2 * pad)));
  m.lon0 = (min_lon + max_lon) / 2;
  m.lat1 = (min_lat + max_lat) / 2;
  m.x0 = MARGIN + w / 2;
  m.y0 = top + h / 2;

  cairo_save (cr);
  cairo_rectangle (cr, MARGIN, top, w, h);
  cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
  cairo_fill_preserve (cr);
  cairo_clip (cr);

  /* Desa outlines. */
  cairo_set_line_width (cr, 0.6);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  for (guint r = 0; outlines != NULL && r < outlines->len; r++)
    {
      GArray *ring = outlines->pdata[r];

      for (guint i = 0; i < ring->len; i++)
        {
          double x, y;

          map_xy (&m, &g_array_index (ring, GeoPoint, i), &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
      cairo_stroke (cr);
    }

  /* Route line. */
  if (route != NULL && route->line->len > 1)
    {
      set_hex (cr, geo_round_team_colour (team), 0.85);
      cairo_set_line_width (cr, 2.2);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < route->line->len; i++)
        {
          double x, y;

          map_xy (&m, &g_array_index (route->line, GeoPoint, i), &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }

  /* Depot and numbered stops. */
  {
    double x, y;

    map_xy (&m, &round->depot, &x, &y);
    cairo_set_source_rgb (cr, 0, 0, 0);
    cairo_rectangle (cr, x - 7, y - 7, 14, 14);
    cairo_fill (cr);
    cairo_set_source_rgb (cr, 1, 1, 1);
    text (cr, x - 3.5, y - 6, 0, 9, TRUE, "D", TRUE);
  }
  for (guint i = 0; i < stops->len; i++)
    {
      const GeoRoundStop *s = stops->pdata[i];
      g_autofree char    *num = g_strdup_printf ("%u", s->seq);
      double              x, y, tw;

      map_xy (&m, &s->pos, &x, &y);
      set_hex (cr, geo_round_team_colour (team), 1);
      cairo_arc (cr, x, y, 7.5, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      {
        PangoLayout          *layout = pango_cairo_create_layout (cr);
        PangoFontDescription *font = pango_font_description_from_string (FONT " Bold 7");
        int                   lw, lh;

        pango_font_description_set_absolute_size (font, 7.5 * PANGO_SCALE);
        pango_layout_set_font_description (layout, font);
        pango_layout_set_text (layout, num, -1);
        pango_layout_get_size (layout, &lw, &lh);
        tw = (double) lw / PANGO_SCALE;
        cairo_move_to (cr, x - tw / 2, y - (double) lh / PANGO_SCALE / 2);
        pango_cairo_show_layout (cr, layout);
        pango_font_description_free (font);
        g_object_unref (layout);
      }
    }

  /* Scale bar: metres per point from the map's scale (degrees of latitude ~ 110.6 km). */
  {
    static const double nice[] = { 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000 };
    double              m_per_pt = 110574.0 / m.scale, len = nice[0];
    g_autofree char    *label = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
      if (nice[i] / m_per_pt <= 120)
        len = nice[i];
    label = len >= 1000 ? g_strdup_printf ("%.0f km", len / 1000) : g_strdup_printf ("%.0f m", len);
    cairo_set_source_rgb (cr, 0, 0, 0);
    cairo_set_line_width (cr, 2);
    cairo_move_to (cr, MARGIN + 10, top + h - 12);
    cairo_line_to (cr, MARGIN + 10 + len / m_per_pt, top + h - 12);
    cairo_stroke (cr);
    text (cr, MARGIN + 10, top + h - 26, 0, 8, FALSE, label, TRUE);
    text (cr, MARGIN + w - 20, top + 6, 0, 10, TRUE, "U ↑", TRUE);
  }
  cairo_restore (cr);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.8);
  cairo_rectangle (cr, MARGIN, top, w, h);
  cairo_stroke (cr);
}

/* ---------------------------------------------------------------------------------------------
 * Table */

typedef struct
{
  const char *title;
  double      width;
} Column;

static void
outcome_boxes (cairo_t *cr, double x, double y, double width)
{
  double step = width / G_N_ELEMENTS (outcome_codes);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.7);
  for (guint i = 0; i < G_N_ELEMENTS (outcome_codes); i++)
    {
      g_autofree char *code = g_strdup_printf ("%d", outcome_codes[i].code);

      cairo_rectangle (cr, x + i * step + 1, y + 2, 7, 7);
      cairo_stroke (cr);
      text (cr, x + i * step + 9, y + 1, 0, 6.5, FALSE, code, TRUE);
    }
}

static void
table_header (Sheet *sh, const Column *cols, guint n_cols)
{
  double x = MARGIN, h = 16;

  cairo_set_source_rgb (sh->cr, 0.88, 0.88, 0.88);
  cairo_rectangle (sh->cr, MARGIN, sh->y, PAGE_W - 2 * MARGIN, h);
  cairo_fill (sh->cr);
  cairo_set_source_rgb (sh->cr, 0, 0, 0);
  for (guint c = 0; c < n_cols; c++)
    {
      text (sh->cr, x + 2, sh->y + 3, cols[c].width - 4, 8, TRUE, cols[c].title, TRUE);
      x += cols[c].width;
    }
  sh->y += h;
}

static void
footer (Sheet *sh, const GeoRound *round, guint team, guint day)
{
  g_autofree char *s = g_strdup_printf ("Jangkau · round %" G_GINT64_FORMAT " · tim %u · hari %u · "
                                        "halaman %d",
                                        round->id,
                                        team,
                                        day,
                                        sh->page);

  cairo_set_source_rgb (sh->cr, 0.4, 0.4, 0.4);
  text (sh->cr, MARGIN, PAGE_H - MARGIN + 8, PAGE_W - 2 * MARGIN, 7, FALSE, s, TRUE);
}

static void
new_page (Sheet *sh, const GeoRound *round, guint team, guint day, const Column *cols, guint n)
{
  footer (sh, round, team, day);
  cairo_show_page (sh->cr);
  sh->page++;
  sh->y = MARGIN;
  table_header (sh, cols, n);
}

gboolean
report_route_sheet_write (const GeoRound *round,
                          guint           team,
                          guint           day,
                          GPtrArray      *outlines,
                          const char     *path,
                          GError        **error)
{
  g_autoptr(GPtrArray) stops = geo_round_day_stops (round, team, day);
  const GeoRoundRoute *route = geo_round_get_route (round, team, day);
  gboolean             personal = FALSE;
  cairo_surface_t     *surface;
  cairo_status_t       status;
  Sheet                sh = { NULL, 1, MARGIN };
  Column               cols_plain[] = {
                  { "No", 18 },   { "Waktu", 62 },    { "Alamat", 126 },         { "RT/RW", 42 },
                  { "Desa", 66 }, { "Kategori", 69 }, { "Hasil (centang)", 140 }
  };
  Column        cols_personal[] = { { "No", 18 },          { "Waktu", 62 },
                                    { "Alamat", 84 },      { "RT/RW", 42 },
                                    { "Desa", 48 },        { "Kategori", 44 },
                                    { "Nama / NIK", 105 }, { "Hasil (centang)", 120 } };
  const Column *cols;
  guint         n_cols;

  g_return_val_if_fail (round != NULL && round->stops != NULL, FALSE);

  for (guint i = 0; i < stops->len; i++)
    personal |= ((GeoRoundStop *) stops->pdata[i])->persons != NULL;
  cols = personal ? cols_personal : cols_plain;
  n_cols = personal ? G_N_ELEMENTS (cols_personal) : G_N_ELEMENTS (cols_plain);

  surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  sh.cr = cairo_create (surface);

  /* Title. */
  {
    g_autofree char *title = NULL, *sub = NULL, *start = NULL, *end = NULL, *name = NULL;

    name = g_markup_escape_text (round->name ? round->name : "", -1);
    title = g_strdup_printf ("Rute kunjungan rumah — round %" G_GINT64_FORMAT "%s%s",
                             round->id,
                             *name ? ": " : "",
                             name);
    start = geo_round_format_time (route ? route->start_min : round->day_start_min);
    end = geo_round_format_time (route ? route->end_min : round->day_start_min);
    sub = g_strdup_printf ("<b>Tim %u · Hari %u</b> · %s · berangkat %s · kembali %s · %u "
                           "kunjungan · "
                           "%.1f km · %.0f menit perjalanan · depot %.5f, %.5f",
                           team,
                           day,
                           round->vehicle ? round->vehicle : "",
                           start,
                           end,
                           stops->len,
                           route ? route->distance_m / 1000 : 0,
                           route ? route->travel_min : 0,
                           round->depot.lon,
                           round->depot.lat);
    cairo_set_source_rgb (sh.cr, 0, 0, 0);
    sh.y += text (sh.cr, MARGIN, sh.y, PAGE_W - 2 * MARGIN, 14, TRUE, title, TRUE) + 2;
    sh.y += text (sh.cr, MARGIN, sh.y, PAGE_W - 2 * MARGIN, 8.5, FALSE, sub, TRUE) + 6;
  }
  draw_map (sh.cr, round, route, stops, outlines, team, sh.y);
  sh.y += MAP_H + 10;
  table_header (&sh, cols, n_cols);

  for (guint i = 0; i < stops->len; i++)
    {
      const GeoRoundStop *s = stops->pdata[i];
      char               *cells[8] = { NULL };
      g_autofree char    *wo = geo_round_format_time (s->open_min);
      g_autofree char    *wc = geo_round_format_time (s->close_min);
      double              row_h = 0, x = MARGIN;
      g_autofree char    *a = geo_round_format_time (s->start_min);
      g_autofree char    *d = geo_round_format_time (s->depart_min);
      g_autofree char    *cats = geo_round_categories_string (s->categories);
      guint               k = 0;

      cells[k++] = g_strdup_printf ("<b>%u</b>", s->seq);
      cells[k++] = s->open_min >= 0
                       ? g_strdup_printf ("%s–%s\n<small>jendela %s–%s</small>", a, d, wo, wc)
                       : g_strdup_printf ("%s–%s", a, d);
      /* The priority first (issue 5): the team sees the urgent houses at a glance. */
      cells[k++] = g_markup_printf_escaped ("%s%s%s%s",
                                            s->priority == 1   ? "MENDESAK"
                                            : s->priority == 2 ? "Tinggi"
                                                               : "",
                                            s->priority == 1 || s->priority == 2
                                                ? (s->address && *s->address ? " · " : "")
                                                : "",
                                            s->address ? s->address : "",
                                            s->requeued ? " (kunjungan ulang)" : "");
      cells[k++] = g_markup_printf_escaped ("%s/%s", s->rt ? s->rt : "-", s->rw ? s->rw : "-");
      cells[k++] = g_markup_printf_escaped ("%s",
                                            s->desa_name ? s->desa_name
                                                         : (s->desa_code ? s->desa_code : ""));
      cells[k++] = g_markup_printf_escaped ("%s", cats);
      if (personal)
        {
          g_autoptr(GString) p = g_string_new (NULL);

          for (guint j = 0; s->persons != NULL && j < s->persons->len; j++)
            {
              const GeoRoundPerson *pp = s->persons->pdata[j];
              g_autofree char      *line = g_markup_printf_escaped ("%s%s <small>%s</small>",
                                                               j ? "\n" : "",
                                                               pp->name ? pp->name : "?",
                                                               pp->nik ? pp->nik : "tanpa NIK");

              g_string_append (p, line);
            }
          cells[k++] = g_string_free (g_steal_pointer (&p), FALSE);
        }
      for (guint c = 0; c + 1 < n_cols; c++)
        row_h = MAX (row_h, text (sh.cr, 0, 0, cols[c].width - 4, 8, FALSE, cells[c], FALSE));
      row_h = MAX (row_h, 12) + 6;
      if (sh.y + row_h > PAGE_H - MARGIN - 40)
        new_page (&sh, round, team, day, cols, n_cols);
      if (i % 2 == 1)
        {
          cairo_set_source_rgb (sh.cr, 0.96, 0.96, 0.96);
          cairo_rectangle (sh.cr, MARGIN, sh.y, PAGE_W - 2 * MARGIN, row_h);
          cairo_fill (sh.cr);
        }
      cairo_set_source_rgb (sh.cr, 0, 0, 0);
      for (guint c = 0; c + 1 < n_cols; c++)
        {
          text (sh.cr, x + 2, sh.y + 3, cols[c].width - 4, 8, FALSE, cells[c], TRUE);
          x += cols[c].width;
        }
      outcome_boxes (sh.cr, x + 2, sh.y + 2, cols[n_cols - 1].width - 4);
      cairo_set_source_rgb (sh.cr, 0.7, 0.7, 0.7);
      cairo_set_line_width (sh.cr, 0.4);
      cairo_move_to (sh.cr, MARGIN, sh.y + row_h);
      cairo_line_to (sh.cr, PAGE_W - MARGIN, sh.y + row_h);
      cairo_stroke (sh.cr);
      sh.y += row_h;
      for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
        g_free (cells[c]);
    }

  /* Legend of the outcome codes and room for notes. */
  {
    g_autoptr(GString) legend =
                   g_string_new ("<b>Hasil kunjungan</b> (kode DTSEN; 9 = kode Jangkau): ");
    double lh;

    for (guint i = 0; i < G_N_ELEMENTS (outcome_codes); i++)
      g_string_append_printf (legend,
                              "%s<b>%d</b> %s",
                              i ? " · " : "",
                              outcome_codes[i].code,
                              outcome_codes[i].label);
    lh = text (sh.cr, 0, 0, PAGE_W - 2 * MARGIN, 7.5, FALSE, legend->str, FALSE);
    if (sh.y + lh + 40 > PAGE_H - MARGIN)
      new_page (&sh, round, team, day, cols, n_cols);
    cairo_set_source_rgb (sh.cr, 0, 0, 0);
    sh.y += 8;
    sh.y += text (sh.cr, MARGIN, sh.y, PAGE_W - 2 * MARGIN, 7.5, FALSE, legend->str, TRUE) + 6;
    text (sh.cr,
          MARGIN,
          sh.y,
          0,
          8,
          FALSE,
          "Catatan: ____________________________________________   Petugas: ________________   "
          "Tanggal: __________",
          TRUE);
  }
  footer (&sh, round, team, day);
  cairo_show_page (sh.cr);
  cairo_destroy (sh.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "%s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
report_route_sheets_write_all (GeoStore       *store,
                               const GeoRound *round,
                               const char     *dir,
                               GError        **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (round != NULL && round->routes != NULL, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "%s: cannot create the folder", dir);
      return NULL;
    }
  for (guint k = 0; k < round->routes->len; k++)
    {
      const GeoRoundRoute *rt = round->routes->pdata[k];
      g_autoptr(GPtrArray) outlines = NULL;
      g_autofree char *name = g_strdup_printf ("round-%" G_GINT64_FORMAT "-tim%u-hari%u.pdf",
                                               round->id,
                                               rt->team,
                                               rt->day);
      char            *path = g_build_filename (dir, name, NULL);

      g_ptr_array_add (paths, path);
      if (store != NULL && rt->line->len > 0)
        {
          double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

          for (guint i = 0; i < rt->line->len; i++)
            {
              const GeoPoint *p = &g_array_index (rt->line, GeoPoint, i);

              x0 = MIN (x0, p->lon), x1 = MAX (x1, p->lon);
              y0 = MIN (y0, p->lat), y1 = MAX (y1, p->lat);
            }
          outlines = geo_round_area_outlines (store, x0, y0, x1, y1, error);
          if (outlines == NULL)
            return NULL;
        }
      if (!report_route_sheet_write (round, rt->team, rt->day, outlines, path, error))
        return NULL;
    }
  return g_steal_pointer (&paths);
}
