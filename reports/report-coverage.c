#include "config.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "geo-area-shapes.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-mask.h"
#include "geo-programme.h"
#include "geo-store-private.h"
#include "geo-table-writer.h"
#include "geo-visit.h"
#include "report-coverage.h"

/* Rollout coverage report per kecamatan (PDF), coverage tables (CSV/XLSX) and the BNBA list of
 * verified persons per desa, all in Bahasa Indonesia. */

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 36.0
#define MAP_H 300.0
#define FONT "Sans"

/* ------------------------------------------------------------------------------------------- */
/* Tables */

gboolean
report_coverage_table_write (GPtrArray *rows, const char *path, GError **error)
{
  static const GeoField fields[] = {
    { "kode", GEO_FIELD_STRING },
    { "nama", GEO_FIELD_STRING },
    { "target", GEO_FIELD_INT },
    { "dikunjungi", GEO_FIELD_INT },
    { "dikunjungi_pct", GEO_FIELD_REAL },
    { "ditemukan", GEO_FIELD_INT },
    { "ditemukan_pct", GEO_FIELD_REAL },
    { "nik_tercatat", GEO_FIELD_INT },
    { "nik_tercatat_pct", GEO_FIELD_REAL },
    { "terverifikasi", GEO_FIELD_INT },
    { "terverifikasi_pct", GEO_FIELD_REAL },
    { "tidak_terjangkau", GEO_FIELD_INT },
    { "tidak_terjangkau_pct", GEO_FIELD_REAL },
    { "kekurangan", GEO_FIELD_INT },
  };
  g_autoptr(GeoTableWriter) w = NULL;
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (!g_str_has_suffix (lower, ".csv") && !g_str_has_suffix (lower, ".xlsx"))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Cannot tell the format of %s: use .csv, .xlsx or .json",
                   path);
      return FALSE;
    }
  w = geo_table_writer_new (path,
                            "cakupan",
                            fields,
                            G_N_ELEMENTS (fields),
                            GEO_TABLE_GEOM_NONE,
                            error);
  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const GeoCoverageRow *r = rows->pdata[i];
      const gint64 v[] = { r->visited, r->found, r->nik_recorded, r->verified, r->not_reachable };

      geo_table_writer_set_string (w, 0, r->code);
      geo_table_writer_set_string (w, 1, r->name);
      geo_table_writer_set_int (w, 2, r->targets);
      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        {
          geo_table_writer_set_int (w, 3 + 2 * k, v[k]);
          geo_table_writer_set_real (w,
                                     4 + 2 * k,
                                     round (geo_coverage_percent (v[k], r->targets) * 10) / 10);
        }
      geo_table_writer_set_int (w, 13, geo_coverage_row_gap (r));
      if (!geo_table_writer_write_row (w, error))
        return FALSE;
    }
  return geo_table_writer_close (w, error);
}

/* ------------------------------------------------------------------------------------------- */
/* PDF helpers */

typedef struct
{
  cairo_t *cr;
  double   y;
  int      page;
} Doc;

static double text_full (cairo_t    *cr,
                         double      x,
                         double      y,
                         double      width,
                         double      size,
                         gboolean    bold,
                         gboolean    wrap,
                         const char *str);

/* One line, ellipsized to @width (0: no limit). Returns its height. */
static double
text (cairo_t *cr, double x, double y, double width, double size, gboolean bold, const char *str)
{
  return text_full (cr, x, y, width, size, bold, FALSE, str);
}

/* Wrapped to @width. Returns its height. */
static double
paragraph (cairo_t *cr, double x, double y, double width, double size, const char *str)
{
  return text_full (cr, x, y, width, size, FALSE, TRUE, str);
}

static double
text_full (cairo_t    *cr,
           double      x,
           double      y,
           double      width,
           double      size,
           gboolean    bold,
           gboolean    wrap,
           const char *str)
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
      if (wrap)
        pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      else
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_set_text (layout, str != NULL ? str : "", -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
  return (double) h / PANGO_SCALE;
}

typedef struct
{
  const char *title;
  double      width;
} Col;

static void
table_row (Doc *d, const Col *cols, guint n, const char *const *cells, gboolean header)
{
  double x = MARGIN;

  if (d->y > PAGE_H - MARGIN - 14)
    {
      cairo_show_page (d->cr);
      d->page++;
      d->y = MARGIN;
      if (!header)
        {
          const char *titles[16];

          for (guint i = 0; i < n && i < G_N_ELEMENTS (titles); i++)
            titles[i] = cols[i].title;
          table_row (d, cols, n, titles, TRUE);
        }
    }
  if (header)
    {
      cairo_set_source_rgb (d->cr, 0.88, 0.90, 0.93);
      cairo_rectangle (d->cr, MARGIN, d->y - 1, PAGE_W - 2 * MARGIN, 13);
      cairo_fill (d->cr);
    }
  cairo_set_source_rgb (d->cr, 0, 0, 0);
  for (guint i = 0; i < n; i++)
    {
      text (d->cr, x + 2, d->y, cols[i].width - 4, 7.5, header, cells[i]);
      x += cols[i].width;
    }
  d->y += 13;
  cairo_set_source_rgb (d->cr, 0.8, 0.8, 0.8);
  cairo_set_line_width (d->cr, 0.3);
  cairo_move_to (d->cr, MARGIN, d->y - 1);
  cairo_line_to (d->cr, PAGE_W - MARGIN, d->y - 1);
  cairo_stroke (d->cr);
}

static gboolean
doc_finish (Doc *d, cairo_surface_t *surface, const char *path, GError **error)
{
  cairo_status_t status;

  cairo_show_page (d->cr);
  cairo_destroy (d->cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_IO,
                   "Cannot write %s: %s",
                   path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* Red (0 %) through amber to green (100 %). */
static void
coverage_colour (double pct, double *r, double *g, double *b)
{
  double t = CLAMP (pct / 100.0, 0, 1);

  if (t < 0.5)
    *r = 0.84, *g = 0.19 + t * 2 * (0.65 - 0.19), *b = 0.15;
  else
    *r = 0.84 - (t - 0.5) * 2 * (0.84 - 0.10), *g = 0.65 - (t - 0.5) * 2 * (0.65 - 0.60),
    *b = 0.15 + (t - 0.5) * 2 * 0.2;
}

static const char *
outcome_id (int outcome)
{
  switch (outcome)
    {
    case 0:
      return "belum dikunjungi";
    case GEO_VISIT_FOUND:
      return "ditemukan, anggota tidak ada";
    case GEO_VISIT_MOVED_NOT_FOUND:
      return "pindah/tidak ditemukan";
    case GEO_VISIT_REFUSED:
      return "menolak";
    case GEO_VISIT_DECEASED:
      return "meninggal";
    case GEO_VISIT_NOT_ELIGIBLE:
      return "tidak layak";
    case GEO_VISIT_IN_INSTITUTION:
      return "di lembaga";
    case GEO_VISIT_NOT_REACHABLE:
      return "tidak dapat ditemui";
    case GEO_VISIT_NOT_AT_HOME:
      return "tidak di rumah, kunjungi lagi";
    default:
      return "";
    }
}

/* The desa of @kecamatan coloured by visited %, with names. */
static void
draw_map (Doc *d, const GeoAreaShapes *shapes, const char *kecamatan, GPtrArray *rows)
{
  g_autofree char *prefix = g_strconcat (kecamatan, ".", NULL);
  double           min_lon = G_MAXDOUBLE, min_lat = G_MAXDOUBLE, max_lon = -G_MAXDOUBLE,
         max_lat = -G_MAXDOUBLE;
  double w = PAGE_W - 2 * MARGIN, h = MAP_H, kx, scale, top = d->y;
  guint  n = 0;

  for (guint i = 0; i < shapes->n_areas; i++)
    {
      const GeoAreaShape *a = &shapes->areas[i];

      if (a->level != GEO_AREA_DESA || !g_str_has_prefix (a->code, prefix))
        continue;
      min_lon = MIN (min_lon, a->min_lon), max_lon = MAX (max_lon, a->max_lon);
      min_lat = MIN (min_lat, a->min_lat), max_lat = MAX (max_lat, a->max_lat);
      n++;
    }
  cairo_save (d->cr);
  cairo_rectangle (d->cr, MARGIN, top, w, h);
  cairo_set_source_rgb (d->cr, 0.97, 0.97, 0.95);
  cairo_fill_preserve (d->cr);
  cairo_clip (d->cr);
  if (n == 0)
    {
      cairo_set_source_rgb (d->cr, 0.3, 0.3, 0.3);
      text (d->cr, MARGIN + 10, top + 10, w - 20, 9, FALSE, "Batas desa belum diimpor.");
      cairo_restore (d->cr);
      d->y += h + 8;
      return;
    }
  kx = cos ((min_lat + max_lat) / 2 * G_PI / 180);
  scale = MIN (w / (MAX ((max_lon - min_lon) * kx, 1e-4) * 1.1),
               h / (MAX (max_lat - min_lat, 1e-4) * 1.1));
#define MX(lon) (MARGIN + w / 2 + ((lon) - (min_lon + max_lon) / 2) * kx * scale)
#define MY(lat) (top + h / 2 + ((min_lat + max_lat) / 2 - (lat)) * scale)
  for (guint i = 0; i < shapes->n_areas; i++)
    {
      const GeoAreaShape   *a = &shapes->areas[i];
      const GeoCoverageRow *row = NULL;
      double                r = 0.85, g = 0.85, b = 0.85;

      if (a->level != GEO_AREA_DESA || !g_str_has_prefix (a->code, prefix))
        continue;
      for (guint k = 0; k < rows->len && row == NULL; k++)
        if (strcmp (((GeoCoverageRow *) rows->pdata[k])->code, a->code) == 0)
          row = rows->pdata[k];
      if (row != NULL && row->targets > 0)
        coverage_colour (geo_coverage_percent (row->visited, row->targets), &r, &g, &b);
      cairo_new_path (d->cr);
      for (guint ring = a->first_ring; ring < a->first_ring + a->n_rings; ring++)
        {
          for (guint p = shapes->ring_offsets[ring]; p < shapes->ring_offsets[ring + 1]; p++)
            {
              double x = MX (shapes->points[p].lon), y = MY (shapes->points[p].lat);

              if (p == shapes->ring_offsets[ring])
                cairo_move_to (d->cr, x, y);
              else
                cairo_line_to (d->cr, x, y);
            }
          cairo_close_path (d->cr);
        }
      cairo_set_fill_rule (d->cr, CAIRO_FILL_RULE_EVEN_ODD);
      cairo_set_source_rgba (d->cr, r, g, b, 0.75);
      cairo_fill_preserve (d->cr);
      cairo_set_source_rgb (d->cr, 0.3, 0.3, 0.3);
      cairo_set_line_width (d->cr, 0.6);
      cairo_stroke (d->cr);
    }
  cairo_set_source_rgb (d->cr, 0, 0, 0);
  for (guint i = 0; i < shapes->n_areas; i++)
    {
      const GeoAreaShape *a = &shapes->areas[i];

      if (a->level == GEO_AREA_DESA && g_str_has_prefix (a->code, prefix))
        text (d->cr, MX (a->label_lon) - 20, MY (a->label_lat) - 4, 60, 6.5, FALSE, a->name);
    }
#undef MX
#undef MY
  cairo_restore (d->cr);
  /* Legend. */
  d->y = top + h + 4;
  for (int k = 0; k <= 4; k++)
    {
      double r, g, b;

      coverage_colour (k * 25.0, &r, &g, &b);
      cairo_set_source_rgba (d->cr, r, g, b, 0.75);
      cairo_rectangle (d->cr, MARGIN + k * 70, d->y, 12, 9);
      cairo_fill (d->cr);
      cairo_set_source_rgb (d->cr, 0, 0, 0);
      {
        char label[16];

        g_snprintf (label, sizeof label, "%d%%", k * 25);
        text (d->cr, MARGIN + k * 70 + 15, d->y, 50, 7.5, FALSE, label);
      }
    }
  cairo_set_source_rgba (d->cr, 0.85, 0.85, 0.85, 0.75);
  cairo_rectangle (d->cr, MARGIN + 350, d->y, 12, 9);
  cairo_fill (d->cr);
  cairo_set_source_rgb (d->cr, 0, 0, 0);
  text (d->cr, MARGIN + 365, d->y, 150, 7.5, FALSE, "tanpa target");
  d->y += 16;
}

static char *
pct_str (gint64 v, gint64 t)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " (%.0f%%)", v, geo_coverage_percent (v, t));
}

gboolean
report_coverage_pdf_write (GeoStore   *store,
                           gint64      programme_id,
                           const char *kecamatan,
                           const char *at,
                           const char *path,
                           GError    **error)
{
  static const Col desa_cols[] = {
    { "Desa", 95 },
    { "Target", 38 },
    { "Dikunjungi", 62 },
    { "Ditemukan", 62 },
    { "NIK tercatat", 62 },
    { "Terverifikasi", 66 },
    { "Tidak terjangkau", 78 },
    { "Kekurangan", 60 },
  };
  static const Col rem_cols[] = {
    { "No", 24 },   { "NIK", 90 },     { "Nama", 90 },
    { "Desa", 90 }, { "Alamat", 130 }, { "Keterangan", 99 },
  };
  g_autoptr(GeoProgramme) p = NULL;
  g_autoptr(GeoCoverage) cov = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) kec_rows = NULL;
  g_autoptr(GArray) rem = NULL;
  g_autoptr(GeoAreaShapes) shapes = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;
  g_autofree char *like = NULL;
  g_autoptr(GHashTable) desa_names = g_hash_table_new (g_str_hash, g_str_equal);
  cairo_surface_t *surface;
  Doc              d = { 0 };
  const char      *kec_name = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);

  if (kecamatan == NULL || strlen (kecamatan) != 8)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Not a kecamatan code (PP.KK.CC): %s",
                   kecamatan ? kecamatan : "(none)");
      return FALSE;
    }
  if (at == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      date = g_date_time_format (now, "%Y-%m-%d");
    }
  else
    date = g_strdup (at);
  p = geo_programme_load (store, programme_id, error);
  if (p == NULL || (cov = geo_coverage_load (store, programme_id, NULL, error)) == NULL)
    return FALSE;
  rows = geo_coverage_compute (cov, date, GEO_COVERAGE_BY_DESA, kecamatan, error);
  if (rows == NULL)
    return FALSE;
  if (rows->len == 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "Programme “%s” has no desa in kecamatan %s",
                   p->name,
                   kecamatan);
      return FALSE;
    }
  kec_rows = geo_coverage_compute (cov, date, GEO_COVERAGE_BY_KECAMATAN, kecamatan, error);
  rem = geo_coverage_remaining (cov, date, kecamatan, error);
  if (kec_rows == NULL || rem == NULL)
    return FALSE;
  kec_name = kec_rows->len > 0 ? ((GeoCoverageRow *) kec_rows->pdata[0])->name : NULL;
  shapes = geo_area_shapes_load (store, NULL, error);
  if (shapes == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      GeoCoverageRow *r = rows->pdata[i];

      g_hash_table_insert (desa_names, r->code, r->name ? r->name : r->code);
    }

  surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  d.cr = cairo_create (surface);
  d.y = MARGIN;
  cairo_set_source_rgb (d.cr, 0, 0, 0);
  title = g_strdup_printf ("Laporan Cakupan %s", p->name);
  d.y += text (d.cr, MARGIN, d.y, PAGE_W - 2 * MARGIN, 15, TRUE, title) + 2;
  {
    g_autofree char *sub = g_strdup_printf ("Kecamatan %s (%s) — keadaan per %s",
                                            kec_name ? kec_name : kecamatan,
                                            kecamatan,
                                            date);

    d.y += text (d.cr, MARGIN, d.y, PAGE_W - 2 * MARGIN, 10, FALSE, sub) + 8;
  }
  draw_map (&d, shapes, kecamatan, rows);

  {
    const char *titles[G_N_ELEMENTS (desa_cols)];

    for (guint i = 0; i < G_N_ELEMENTS (desa_cols); i++)
      titles[i] = desa_cols[i].title;
    table_row (&d, desa_cols, G_N_ELEMENTS (desa_cols), titles, TRUE);
  }
  for (guint i = 0; i <= rows->len; i++)
    {
      g_autoptr(GeoCoverageRow) total = i == rows->len ? geo_coverage_rows_total (rows) : NULL;
      const GeoCoverageRow *r = total != NULL ? total : rows->pdata[i];
      g_autofree char      *target =
          g_strdup_printf ("%" G_GINT64_FORMAT "%s", r->targets, r->count_target ? "*" : "");
      g_autofree char *v1 = pct_str (r->visited, r->targets);
      g_autofree char *v2 = pct_str (r->found, r->targets);
      g_autofree char *v3 = pct_str (r->nik_recorded, r->targets);
      g_autofree char *v4 = pct_str (r->verified, r->targets);
      g_autofree char *v5 = pct_str (r->not_reachable, r->targets);
      g_autofree char *gap = g_strdup_printf ("%" G_GINT64_FORMAT, geo_coverage_row_gap (r));
      const char      *cells[] = { r->name ? r->name : r->code, target, v1, v2, v3, v4, v5, gap };

      table_row (&d, desa_cols, G_N_ELEMENTS (desa_cols), cells, total != NULL);
    }
  d.y += 4;
  cairo_set_source_rgb (d.cr, 0.2, 0.2, 0.2);
  d.y += paragraph (d.cr,
                    MARGIN,
                    d.y,
                    PAGE_W - 2 * MARGIN,
                    7,
                    "* target berupa jumlah orang; persentase terhadap target. Kekurangan = target "
                    "yang belum dikunjungi. Tidak terjangkau = kunjungan terakhir \"tidak dapat "
                    "ditemui\" atau \"tidak di rumah\".") +
         10;

  /* Remaining listed targets: one statement for the kecamatan's persons, matched by id. */
  wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < rem->len; i++)
    g_hash_table_insert (wanted,
                         &g_array_index (rem, GeoCoverageRemaining, i).person_id,
                         &g_array_index (rem, GeoCoverageRemaining, i));
  {
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *heading = g_strdup_printf ("Sasaran yang belum ditemukan: %u orang", rem->len);
    const char      *titles[G_N_ELEMENTS (rem_cols)];
    int              rc;
    guint            no = 0;

    if (d.y > PAGE_H - MARGIN - 60)
      {
        cairo_show_page (d.cr);
        d.y = MARGIN;
      }
    cairo_set_source_rgb (d.cr, 0, 0, 0);
    d.y += text (d.cr, MARGIN, d.y, PAGE_W - 2 * MARGIN, 11, TRUE, heading) + 4;
    for (guint i = 0; i < G_N_ELEMENTS (rem_cols); i++)
      titles[i] = rem_cols[i].title;
    table_row (&d, rem_cols, G_N_ELEMENTS (rem_cols), titles, TRUE);
    like = g_strconcat (kecamatan, ".%", NULL);
    stmt = geo_store_prepare (store,
                              "SELECT p.id, p.nik, p.name, f.address, f.rt, f.rw, f.desa_code "
                              "FROM person AS p JOIN family AS f ON f.id = p.family_id "
                              "WHERE f.desa_code LIKE ? ORDER BY f.desa_code, f.rw, f.rt, "
                              "f.address, p.id",
                              error);
    if (stmt == NULL)
      {
        cairo_destroy (d.cr);
        cairo_surface_destroy (surface);
        return FALSE;
      }
    sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64                      id = sqlite3_column_int64 (stmt, 0);
        const GeoCoverageRemaining *r = g_hash_table_lookup (wanted, &id);
        g_autofree char            *num = NULL, *nik = NULL, *name = NULL, *addr = NULL;
        const char                 *desa_code = (const char *) sqlite3_column_text (stmt, 6);
        const char                 *desa_name;

        if (r == NULL)
          continue;
        num = g_strdup_printf ("%u", ++no);
        nik = geo_mask_nik ((const char *) sqlite3_column_text (stmt, 1));
        name = geo_mask_name ((const char *) sqlite3_column_text (stmt, 2));
        if (sqlite3_column_text (stmt, 3) != NULL)
          addr = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
        else
          addr = g_strdup_printf ("RT %s/RW %s",
                                  sqlite3_column_text (stmt, 4)
                                      ? (const char *) sqlite3_column_text (stmt, 4)
                                      : "-",
                                  sqlite3_column_text (stmt, 5)
                                      ? (const char *) sqlite3_column_text (stmt, 5)
                                      : "-");
        desa_name = g_hash_table_lookup (desa_names, desa_code);
        {
          const char *row[] = {
            num,  nik ? nik : "(belum ada)",   name ? name : "", desa_name ? desa_name : desa_code,
            addr, outcome_id (r->last_outcome)
          };

          table_row (&d, rem_cols, G_N_ELEMENTS (rem_cols), row, FALSE);
        }
      }
    if (rc != SQLITE_DONE)
      {
        geo_store_set_error (store, error, "Listing the remaining targets");
        cairo_destroy (d.cr);
        cairo_surface_destroy (surface);
        return FALSE;
      }
  }
  return doc_finish (&d, surface, path, error);
}

/* ------------------------------------------------------------------------------------------- */
/* BNBA */

gboolean
report_bnba_write (GeoStore   *store,
                   const char *desa,
                   gboolean    include_personal_data,
                   gboolean    by_address,
                   const char *path,
                   guint      *n_persons,
                   GError    **error)
{
  static const GeoField fields[] = {
    { "no", GEO_FIELD_INT },
    { "nik", GEO_FIELD_STRING },
    { "nama", GEO_FIELD_STRING },
    { "jenis_kelamin", GEO_FIELD_STRING },
    { "tanggal_lahir", GEO_FIELD_STRING },
    { "no_kk", GEO_FIELD_STRING },
    { "alamat", GEO_FIELD_STRING },
    { "rt", GEO_FIELD_STRING },
    { "rw", GEO_FIELD_STRING },
    { "kategori_pmks", GEO_FIELD_STRING },
    { "status", GEO_FIELD_STRING },
  };
  static const Col cols[] = {
    { "No", 22 },     { "NIK", 80 },    { "Nama", 95 },  { "L/P", 22 },  { "Tgl lahir", 50 },
    { "No. KK", 80 }, { "Alamat", 95 }, { "RT/RW", 36 }, { "PMKS", 43 },
  };
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) name_stmt = NULL;
  g_autoptr(GeoTableWriter) w = NULL;
  g_autofree char *desa_name = NULL;
  gboolean         pdf = g_str_has_suffix (lower, ".pdf");
  cairo_surface_t *surface = NULL;
  Doc              d = { 0 };
  guint            n = 0;
  int              rc;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);

  if (!pdf && !g_str_has_suffix (lower, ".csv") && !g_str_has_suffix (lower, ".xlsx"))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Cannot tell the format of %s: use .pdf, .csv or .xlsx",
                   path);
      return FALSE;
    }
  name_stmt = geo_store_prepare (store, "SELECT name FROM area WHERE code = ?", error);
  if (name_stmt == NULL)
    return FALSE;
  sqlite3_bind_text (name_stmt, 1, desa, -1, SQLITE_STATIC);
  if (sqlite3_step (name_stmt) == SQLITE_ROW)
    desa_name = g_strdup ((const char *) sqlite3_column_text (name_stmt, 0));

  stmt = geo_store_prepare (store,
                            by_address
                                ? "SELECT p.nik, p.name, p.sex, p.birth_date, f.no_kk, f.address, "
                                  "f.rt, f.rw, "
                                  "group_concat (m.category, ', '), group_concat (DISTINCT "
                                  "m.status) FROM person AS p "
                                  "JOIN family AS f ON f.id = p.family_id JOIN membership AS m ON "
                                  "m.person_id = p.id "
                                  "WHERE f.desa_code = ? AND m.status IN ('verifikasi', "
                                  "'disetujui', 'padan') "
                                  "GROUP BY p.id ORDER BY f.rw, f.rt, f.address, f.id, p.name, p.id"
                                : "SELECT p.nik, p.name, p.sex, p.birth_date, f.no_kk, f.address, "
                                  "f.rt, f.rw, "
                                  "group_concat (m.category, ', '), group_concat (DISTINCT "
                                  "m.status) FROM person AS p "
                                  "JOIN family AS f ON f.id = p.family_id JOIN membership AS m ON "
                                  "m.person_id = p.id "
                                  "WHERE f.desa_code = ? AND m.status IN ('verifikasi', "
                                  "'disetujui', 'padan') "
                                  "GROUP BY p.id ORDER BY lower (p.name), p.id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, desa, -1, SQLITE_STATIC);

  if (pdf)
    {
      g_autofree char *title = g_strdup_printf ("Daftar BNBA Penerima Terverifikasi — Desa %s (%s)",
                                                desa_name ? desa_name : desa,
                                                desa);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
      g_autofree char *sub =
          g_strdup_printf ("Untuk musyawarah pengesahan. Keadaan per %s. %s",
                           today,
                           include_personal_data
                               ? "Memuat data pribadi (UU 27/2022): jangan disebarluaskan."
                               : "NIK, nama dan No. KK disamarkan.");
      const char *titles[G_N_ELEMENTS (cols)];

      surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
      d.cr = cairo_create (surface);
      d.y = MARGIN;
      cairo_set_source_rgb (d.cr, 0, 0, 0);
      d.y += text (d.cr, MARGIN, d.y, PAGE_W - 2 * MARGIN, 13, TRUE, title) + 2;
      d.y += text (d.cr, MARGIN, d.y, PAGE_W - 2 * MARGIN, 8.5, FALSE, sub) + 8;
      for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
        titles[i] = cols[i].title;
      table_row (&d, cols, G_N_ELEMENTS (cols), titles, TRUE);
    }
  else
    {
      w = geo_table_writer_new (path,
                                "bnba",
                                fields,
                                G_N_ELEMENTS (fields),
                                GEO_TABLE_GEOM_NONE,
                                error);
      if (w == NULL)
        return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char      *raw_nik = (const char *) sqlite3_column_text (stmt, 0);
      const char      *raw_name = (const char *) sqlite3_column_text (stmt, 1);
      const char      *raw_kk = (const char *) sqlite3_column_text (stmt, 4);
      g_autofree char *nik = include_personal_data ? g_strdup (raw_nik) : geo_mask_nik (raw_nik);
      g_autofree char *name =
          include_personal_data ? g_strdup (raw_name) : geo_mask_name (raw_name);
      g_autofree char *kk = include_personal_data ? g_strdup (raw_kk) : geo_mask_no_kk (raw_kk);
      const char      *sex = (const char *) sqlite3_column_text (stmt, 2);
      const char      *birth = (const char *) sqlite3_column_text (stmt, 3);
      const char      *addr = (const char *) sqlite3_column_text (stmt, 5);
      const char      *rt = (const char *) sqlite3_column_text (stmt, 6);
      const char      *rw = (const char *) sqlite3_column_text (stmt, 7);
      const char      *cats = (const char *) sqlite3_column_text (stmt, 8);

      n++;
      if (pdf)
        {
          g_autofree char *num = g_strdup_printf ("%u", n);
          g_autofree char *rtrw = g_strdup_printf ("%s/%s", rt ? rt : "-", rw ? rw : "-");
          const char      *cells[] = { num,
                                  nik ? nik : "(belum ada)",
                                  name ? name : "",
                                  sex ? sex : "",
                                  birth ? birth : "",
                                  kk ? kk : "",
                                  addr ? addr : "",
                                       rtrw,
                                  cats ? cats : "" };

          table_row (&d, cols, G_N_ELEMENTS (cols), cells, FALSE);
        }
      else
        {
          geo_table_writer_set_int (w, 0, n);
          geo_table_writer_set_string (w, 1, nik);
          geo_table_writer_set_string (w, 2, name);
          geo_table_writer_set_string (w, 3, sex);
          geo_table_writer_set_string (w, 4, birth);
          geo_table_writer_set_string (w, 5, kk);
          geo_table_writer_set_string (w, 6, addr);
          geo_table_writer_set_string (w, 7, rt);
          geo_table_writer_set_string (w, 8, rw);
          geo_table_writer_set_string (w, 9, cats);
          geo_table_writer_set_string (w, 10, (const char *) sqlite3_column_text (stmt, 9));
          if (!geo_table_writer_write_row (w, error))
            return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Listing the verified persons");
      if (pdf)
        {
          cairo_destroy (d.cr);
          cairo_surface_destroy (surface);
        }
      return FALSE;
    }
  if (n_persons != NULL)
    *n_persons = n;
  if (pdf)
    {
      g_autofree char *foot = g_strdup_printf ("Jumlah: %u orang", n);

      cairo_set_source_rgb (d.cr, 0, 0, 0);
      text (d.cr, MARGIN, d.y + 6, 0, 9, TRUE, foot);
      return doc_finish (&d, surface, path, error);
    }
  return geo_table_writer_close (w, error);
}
