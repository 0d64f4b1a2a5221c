#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-areastats.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"

#define GRID_SIZE 64

typedef struct
{
  char    *code;
  char    *name;
  char    *parent;
  double   bbox[4]; /* min lon, min lat, max lon, max lat */
  GeoPoint centroid;
  double   area_deg2;
  guint    first_ring;
  guint    n_rings;
} Area;

typedef struct
{
  guint first_point; /* index into coords (pairs) */
  guint n_points;
} Ring;

struct _GeoAreaIndex
{
  GArray *areas;  /* Area */
  GArray *rings;  /* Ring */
  GArray *coords; /* double lon, lat pairs */
  double  bbox[4];
  double  cell_w, cell_h;
  guint  *cell_start; /* GRID_SIZE * GRID_SIZE + 1 offsets into cell_items (CSR) */
  guint  *cell_items; /* area indices, ascending within a cell */
};

void
geo_area_index_free (GeoAreaIndex *index)
{
  if (index == NULL)
    return;
  for (guint i = 0; i < index->areas->len; i++)
    {
      Area *a = &g_array_index (index->areas, Area, i);
      g_free (a->code);
      g_free (a->name);
      g_free (a->parent);
    }
  g_array_unref (index->areas);
  g_array_unref (index->rings);
  g_array_unref (index->coords);
  g_free (index->cell_start);
  g_free (index->cell_items);
  g_free (index);
}

static void
add_polygon (GeoAreaIndex *index, Area *a, OGRGeometryH poly)
{
  int n_rings = OGR_G_GetGeometryCount (poly);

  for (int r = 0; r < n_rings; r++)
    {
      OGRGeometryH ring = OGR_G_GetGeometryRef (poly, r);
      int          n = OGR_G_GetPointCount (ring);
      Ring         rg = { index->coords->len / 2, (guint) n };
      double       ring_area = 0;

      if (n < 3)
        continue;
      g_array_set_size (index->coords, index->coords->len + 2 * n);
      {
        double *xy = &g_array_index (index->coords, double, 2 * rg.first_point);
        OGR_G_GetPoints (ring, xy, 2 * sizeof (double), xy + 1, 2 * sizeof (double), NULL, 0);
        for (int k = 0; k < n; k++)
          {
            const double *p = xy + 2 * k, *q = xy + 2 * ((k + 1) % n);

            a->bbox[0] = MIN (a->bbox[0], p[0]);
            a->bbox[1] = MIN (a->bbox[1], p[1]);
            a->bbox[2] = MAX (a->bbox[2], p[0]);
            a->bbox[3] = MAX (a->bbox[3], p[1]);
            ring_area += p[0] * q[1] - q[0] * p[1];
          }
      }
      /* The first ring of a polygon is its shell, the others holes. */
      a->area_deg2 += (r == 0 ? 1 : -1) * fabs (ring_area) / 2;
      g_array_append_val (index->rings, rg);
      a->n_rings++;
    }
}

static void
build_grid (GeoAreaIndex *index)
{
  guint             n_cells = GRID_SIZE * GRID_SIZE;
  g_autofree guint *count = g_new0 (guint, n_cells);
  g_autofree guint *fill = NULL;

  index->bbox[0] = index->bbox[1] = G_MAXDOUBLE;
  index->bbox[2] = index->bbox[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < index->areas->len; i++)
    {
      const Area *a = &g_array_index (index->areas, Area, i);
      index->bbox[0] = MIN (index->bbox[0], a->bbox[0]);
      index->bbox[1] = MIN (index->bbox[1], a->bbox[1]);
      index->bbox[2] = MAX (index->bbox[2], a->bbox[2]);
      index->bbox[3] = MAX (index->bbox[3], a->bbox[3]);
    }
  index->cell_w = MAX (index->bbox[2] - index->bbox[0], 1e-9) / GRID_SIZE;
  index->cell_h = MAX (index->bbox[3] - index->bbox[1], 1e-9) / GRID_SIZE;

  /* Two passes (count, fill) into a compressed row layout; areas are visited in code order so
   * each cell lists them ascending, which makes the first hit deterministic. */
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < index->areas->len; i++)
        {
          const Area *a = &g_array_index (index->areas, Area, i);
          int x0 = CLAMP ((int) ((a->bbox[0] - index->bbox[0]) / index->cell_w), 0, GRID_SIZE - 1);
          int x1 = CLAMP ((int) ((a->bbox[2] - index->bbox[0]) / index->cell_w), 0, GRID_SIZE - 1);
          int y0 = CLAMP ((int) ((a->bbox[1] - index->bbox[1]) / index->cell_h), 0, GRID_SIZE - 1);
          int y1 = CLAMP ((int) ((a->bbox[3] - index->bbox[1]) / index->cell_h), 0, GRID_SIZE - 1);

          for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
              {
                guint c = y * GRID_SIZE + x;
                if (pass == 0)
                  count[c]++;
                else
                  index->cell_items[fill[c]++] = i;
              }
        }
      if (pass == 0)
        {
          index->cell_start = g_new (guint, n_cells + 1);
          index->cell_start[0] = 0;
          for (guint c = 0; c < n_cells; c++)
            index->cell_start[c + 1] = index->cell_start[c] + count[c];
          index->cell_items = g_new (guint, MAX (index->cell_start[n_cells], 1));
          fill = g_memdup2 (index->cell_start, n_cells * sizeof (guint));
        }
    }
}

/**
 * geo_area_index_load:
 * @level: the level to load (usually %GEO_AREA_DESA)
 *
 * Loads every area of @level with one query. An empty index (no area of that level) is valid.
 */
GeoAreaIndex *
geo_area_index_load (GeoStore *store, GeoAreaLevel level, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GeoAreaIndex *index;
  int           rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT code, name, parent_code, AsBinary (geom), centroid_lon, "
                            "centroid_lat FROM area WHERE level = ? ORDER BY code",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, geo_area_level_to_string (level), -1, SQLITE_STATIC);

  index = g_new0 (GeoAreaIndex, 1);
  index->areas = g_array_new (FALSE, TRUE, sizeof (Area));
  index->rings = g_array_new (FALSE, FALSE, sizeof (Ring));
  index->coords = g_array_new (FALSE, FALSE, sizeof (double));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const void *wkb = sqlite3_column_blob (stmt, 3);
      int         wkb_len = sqlite3_column_bytes (stmt, 3);
      g_auto(GeoOgrGeometry) geom = NULL;
      Area a = { 0 };

      a.code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      a.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      a.parent = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      a.centroid.lon = sqlite3_column_double (stmt, 4);
      a.centroid.lat = sqlite3_column_double (stmt, 5);
      a.bbox[0] = a.bbox[1] = G_MAXDOUBLE;
      a.bbox[2] = a.bbox[3] = -G_MAXDOUBLE;
      a.first_ring = index->rings->len;
      if (wkb != NULL && OGR_G_CreateFromWkb (wkb, NULL, &geom, wkb_len) == OGRERR_NONE)
        {
          OGRwkbGeometryType gt = wkbFlatten (OGR_G_GetGeometryType (geom));

          if (gt == wkbPolygon)
            add_polygon (index, &a, geom);
          else if (gt == wkbMultiPolygon)
            for (int p = 0; p < OGR_G_GetGeometryCount (geom); p++)
              add_polygon (index, &a, OGR_G_GetGeometryRef (geom, p));
        }
      if (a.n_rings == 0)
        {
          /* No usable geometry: never matched by location, still counted by code. */
          a.bbox[0] = a.bbox[2] = a.centroid.lon;
          a.bbox[1] = a.bbox[3] = a.centroid.lat;
        }
      g_array_append_val (index->areas, a);
    }
  if (rc != SQLITE_DONE)
    {
      geo_area_index_free (index);
      geo_store_set_error (store, error, "Loading area polygons");
      return NULL;
    }
  build_grid (index);
  return index;
}

guint
geo_area_index_get_n_areas (const GeoAreaIndex *index)
{
  return index->areas->len;
}

const char *
geo_area_index_get_code (const GeoAreaIndex *index, guint i)
{
  g_return_val_if_fail (i < index->areas->len, NULL);
  return g_array_index (index->areas, Area, i).code;
}

const char *
geo_area_index_get_name (const GeoAreaIndex *index, guint i)
{
  g_return_val_if_fail (i < index->areas->len, NULL);
  return g_array_index (index->areas, Area, i).name;
}

const char *
geo_area_index_get_parent (const GeoAreaIndex *index, guint i)
{
  g_return_val_if_fail (i < index->areas->len, NULL);
  return g_array_index (index->areas, Area, i).parent;
}

void
geo_area_index_get_bbox (const GeoAreaIndex *index, guint i, double bbox[4])
{
  g_return_if_fail (i < index->areas->len);
  memcpy (bbox, g_array_index (index->areas, Area, i).bbox, 4 * sizeof (double));
}

/* The area's stored centroid (a point on its surface, see geo_store_insert_area). */
GeoPoint
geo_area_index_get_centroid (const GeoAreaIndex *index, guint i)
{
  GeoPoint none = { NAN, NAN };

  g_return_val_if_fail (i < index->areas->len, none);
  return g_array_index (index->areas, Area, i).centroid;
}

/* Planar area in square degrees: only for relative weights between nearby areas. */
double
geo_area_index_get_area_deg2 (const GeoAreaIndex *index, guint i)
{
  g_return_val_if_fail (i < index->areas->len, 0);
  return g_array_index (index->areas, Area, i).area_deg2;
}

/* Binary search: areas are ordered by code. Returns -1 when @code is not in the index. */
int
geo_area_index_lookup (const GeoAreaIndex *index, const char *code)
{
  guint lo = 0, hi = index->areas->len;

  if (code == NULL)
    return -1;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int   c = strcmp (g_array_index (index->areas, Area, mid).code, code);

      if (c == 0)
        return mid;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

gboolean
geo_area_index_contains (const GeoAreaIndex *index, guint i, double lon, double lat)
{
  const Area *a;
  gboolean    inside = FALSE;

  g_return_val_if_fail (i < index->areas->len, FALSE);
  a = &g_array_index (index->areas, Area, i);
  if (lon < a->bbox[0] || lon > a->bbox[2] || lat < a->bbox[1] || lat > a->bbox[3])
    return FALSE;
  for (guint r = a->first_ring; r < a->first_ring + a->n_rings; r++)
    {
      const Ring   *rg = &g_array_index (index->rings, Ring, r);
      const double *xy = &g_array_index (index->coords, double, 2 * rg->first_point);

      /* Even-odd crossing test (W. R. Franklin's pnpoly) over every ring of the area. */
      for (guint k = 0, j = rg->n_points - 1; k < rg->n_points; j = k++)
        {
          double xk = xy[2 * k], yk = xy[2 * k + 1], xj = xy[2 * j], yj = xy[2 * j + 1];

          if (((yk > lat) != (yj > lat)) && (lon < (xj - xk) * (lat - yk) / (yj - yk) + xk))
            inside = !inside;
        }
    }
  return inside;
}

/**
 * geo_area_index_locate:
 *
 * Returns: the index of the first area (in code order) containing the point, or -1. The
 * boundary files' polygons are simplified one by one, so neighbours may overlap slightly;
 * the first match keeps the answer deterministic.
 */
int
geo_area_index_locate (const GeoAreaIndex *index, double lon, double lat)
{
  int   x, y;
  guint c;

  if (index->areas->len == 0 || lon < index->bbox[0] || lon > index->bbox[2] ||
      lat < index->bbox[1] || lat > index->bbox[3])
    return -1;
  x = CLAMP ((int) ((lon - index->bbox[0]) / index->cell_w), 0, GRID_SIZE - 1);
  y = CLAMP ((int) ((lat - index->bbox[1]) / index->cell_h), 0, GRID_SIZE - 1);
  c = y * GRID_SIZE + x;
  for (guint k = index->cell_start[c]; k < index->cell_start[c + 1]; k++)
    if (geo_area_index_contains (index, index->cell_items[k], lon, lat))
      return index->cell_items[k];
  return -1;
}

/**
 * geo_area_index_assign:
 * @desa: an index of the desa level
 * @sel: the selection whose families to assign
 *
 * Assigns every family of @sel to a desa: a family located at its desa centroid goes to its
 * desa code; any other by point-in-polygon; a point in no polygon (gaps between simplified
 * polygons, a GPS error) falls back to its desa code.
 *
 * Returns: (transfer full): for each family of @sel, an index into @desa, or G_MAXUINT32 when
 *   the family could not be placed. The high bit is never set; bit 31 of the value is free.
 */
guint32 *
geo_area_index_assign (const GeoAreaIndex *desa, const GeoSelection *sel)
{
  guint32        *out = g_new (guint32, MAX (sel->n_families, 1));
  g_autofree int *by_code = g_new (int, MAX (sel->desa_codes->len, 1));

  for (guint i = 0; i < sel->desa_codes->len; i++)
    by_code[i] = geo_area_index_lookup (desa, sel->desa_codes->pdata[i]);
  for (guint f = 0; f < sel->n_families; f++)
    {
      int code_hit = sel->family_desa[f] == G_MAXUINT32 ? -1 : by_code[sel->family_desa[f]];
      int hit = -1;

      if (sel->family_loc_source[f] == GEO_LOC_DESA_CENTROID && code_hit >= 0)
        hit = code_hit;
      else
        hit = geo_area_index_locate (desa, sel->lon[f], sel->lat[f]);
      if (hit < 0)
        hit = code_hit;
      out[f] = hit < 0 ? G_MAXUINT32 : (guint32) hit;
    }
  return out;
}

void
geo_area_stats_free (GeoAreaStats *stats)
{
  if (stats == NULL)
    return;
  for (guint i = 0; i < stats->n_areas; i++)
    {
      g_free (stats->areas[i].code);
      g_free (stats->areas[i].name);
      g_free (stats->areas[i].parent_code);
    }
  g_free (stats->areas);
  g_free (stats);
}

/* The ancestor of a dotted desa code at @level: 34.02.01.2001 -> 34.02.01 for a kecamatan. */
static char *
ancestor_code (const char *code, GeoAreaLevel level)
{
  guint       segments = 0;
  const char *p = code;

  for (; *p; p++)
    if (*p == '.' && ++segments == (guint) level + 1)
      break;
  return g_strndup (code, p - code);
}

static int
compare_count (gconstpointer a, gconstpointer b)
{
  return strcmp (((const GeoAreaCount *) a)->code, ((const GeoAreaCount *) b)->code);
}

static void
add_family (GeoAreaCount *row, const GeoSelection *sel, guint f, const guint *n_no_nik)
{
  gboolean approx = sel->family_loc_source[f] == GEO_LOC_DESA_CENTROID;

  row->families++;
  row->persons += sel->family_n_persons[f];
  row->no_nik += n_no_nik[f];
  row->approx_families += approx;
  row->approx_persons += approx ? sel->family_n_persons[f] : 0;
  for (int c = 0; c < GEO_PMKS_N_CATEGORIES; c++)
    if (sel->family_mask[f] & (1u << c))
      row->cat_families[c]++;
}

/**
 * geo_area_stats_compute:
 * @level: %GEO_AREA_KECAMATAN or %GEO_AREA_DESA (any level above desa works)
 * @filter: (nullable): the selection; NULL = every person
 *
 * Counts selected persons and families per area of @level. Families are placed in desa as
 * geo_area_index_assign() does; a kecamatan (kabupaten, provinsi) is the ancestor of its desa
 * by code. Every area of @level in the project has a row, with zeros when empty; an ancestor
 * code of a desa missing from the area table gets a row without a name.
 */
GeoAreaStats *
geo_area_stats_compute (GeoStore        *store,
                        GeoAreaLevel     level,
                        const GeoFilter *filter,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoAreaIndex) desa = NULL;
  g_autoptr(GeoAreaIndex) rows_index = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (GeoAreaCount));
  g_autoptr(GHashTable) row_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint32 *assigned = NULL;
  g_autofree guint   *n_no_nik = NULL;
  g_autofree guint   *desa_row = NULL;
  GeoAreaStats       *stats;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  sel = geo_selection_load (store, filter, cancellable, error);
  if (sel == NULL)
    return NULL;
  desa = geo_area_index_load (store, GEO_AREA_DESA, error);
  if (desa == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  assigned = geo_area_index_assign (desa, sel);

  /* Rows: every area of the level, plus ancestors of desa missing from the table. */
  rows_index = level == GEO_AREA_DESA ? NULL : geo_area_index_load (store, level, error);
  if (level != GEO_AREA_DESA && rows_index == NULL)
    return NULL;
  {
    const GeoAreaIndex *src = level == GEO_AREA_DESA ? desa : rows_index;

    for (guint i = 0; i < geo_area_index_get_n_areas (src); i++)
      {
        GeoAreaCount row = { 0 };
        row.code = g_strdup (geo_area_index_get_code (src, i));
        row.name = g_strdup (geo_area_index_get_name (src, i));
        row.parent_code = g_strdup (geo_area_index_get_parent (src, i));
        g_array_append_val (rows, row);
      }
  }
  if (level != GEO_AREA_DESA)
    for (guint i = 0; i < geo_area_index_get_n_areas (desa); i++)
      {
        g_autofree char *code = ancestor_code (geo_area_index_get_code (desa, i), level);

        if (geo_area_index_lookup (rows_index, code) < 0 && !g_hash_table_contains (row_of, code))
          {
            GeoAreaCount row = { 0 };
            row.code = g_steal_pointer (&code);
            row.parent_code =
                level > GEO_AREA_PROVINSI ? ancestor_code (row.code, level - 1) : NULL;
            g_array_append_val (rows, row);
            g_hash_table_add (row_of, row.code);
          }
      }
  g_array_sort (rows, compare_count);

  /* desa index -> row index */
  desa_row = g_new (guint, MAX (geo_area_index_get_n_areas (desa), 1));
  {
    g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint r = 0; r < rows->len; r++)
      g_hash_table_insert (by_code,
                           g_array_index (rows, GeoAreaCount, r).code,
                           GUINT_TO_POINTER (r + 1));
    for (guint i = 0; i < geo_area_index_get_n_areas (desa); i++)
      {
        g_autofree char *code = ancestor_code (geo_area_index_get_code (desa, i), level);
        desa_row[i] = GPOINTER_TO_UINT (g_hash_table_lookup (by_code, code));
      }
  }

  n_no_nik = g_new0 (guint, MAX (sel->n_families, 1));
  stats = g_new0 (GeoAreaStats, 1);
  stats->level = level;
  for (guint p = 0; p < sel->n_persons; p++)
    {
      guint         f = sel->person_family[p];
      guint32       a = assigned[f];
      GeoAreaCount *row;

      n_no_nik[f] += sel->person_no_nik[p];
      row = a != G_MAXUINT32 && desa_row[a] > 0
                ? &g_array_index (rows, GeoAreaCount, desa_row[a] - 1)
                : &stats->unassigned;
      for (int c = 0; c < GEO_PMKS_N_CATEGORIES; c++)
        if (sel->person_mask[p] & (1u << c))
          {
            row->cat_persons[c]++;
            stats->total.cat_persons[c]++;
          }
    }
  for (guint f = 0; f < sel->n_families; f++)
    {
      guint32       a = assigned[f];
      GeoAreaCount *row = a != G_MAXUINT32 && desa_row[a] > 0
                              ? &g_array_index (rows, GeoAreaCount, desa_row[a] - 1)
                              : &stats->unassigned;
      int           code_hit = -1;

      add_family (row, sel, f, n_no_nik);
      add_family (&stats->total, sel, f, n_no_nik);
      if (a == G_MAXUINT32)
        continue;
      if (sel->family_desa[f] != G_MAXUINT32)
        code_hit = geo_area_index_lookup (desa, sel->desa_codes->pdata[sel->family_desa[f]]);
      if ((sel->family_loc_source[f] == GEO_LOC_DESA_CENTROID && code_hit == (int) a) ||
          !geo_area_index_contains (desa, a, sel->lon[f], sel->lat[f]))
        stats->by_code++;
      else
        stats->by_polygon++;
    }
  stats->n_areas = rows->len;
  stats->areas = (GeoAreaCount *) g_array_free (g_steal_pointer (&rows), FALSE);
  return stats;
}
