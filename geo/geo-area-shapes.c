#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-area-shapes.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Reader;

static gboolean
read_u32 (Reader *r, gboolean little, guint32 *out)
{
  guint32 v;

  if (r->end - r->p < 4)
    return FALSE;
  memcpy (&v, r->p, 4);
  r->p += 4;
  *out = little ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
read_f64 (Reader *r, gboolean little, double *out)
{
  guint64 v;

  if (r->end - r->p < 8)
    return FALSE;
  memcpy (&v, r->p, 8);
  r->p += 8;
  v = little ? GUINT64_FROM_LE (v) : GUINT64_FROM_BE (v);
  memcpy (out, &v, 8);
  return TRUE;
}

typedef struct
{
  GArray *rings;  /* guint offsets */
  GArray *points; /* GeoPoint */
} Builder;

static gboolean
read_polygon (Reader *r, Builder *b, GeoAreaShape *area)
{
  guint8   order;
  guint32  type, n_rings;
  gboolean little;

  if (r->p >= r->end)
    return FALSE;
  order = *r->p++;
  little = order == 1;
  if (!read_u32 (r, little, &type) || type % 1000 != 3 || !read_u32 (r, little, &n_rings))
    return FALSE;
  for (guint32 i = 0; i < n_rings; i++)
    {
      guint32 n_points;
      guint   start = b->points->len;

      if (!read_u32 (r, little, &n_points) || (gsize) (r->end - r->p) < (gsize) n_points * 16)
        return FALSE;
      for (guint32 k = 0; k < n_points; k++)
        {
          GeoPoint pt;

          read_f64 (r, little, &pt.lon);
          read_f64 (r, little, &pt.lat);
          g_array_append_val (b->points, pt);
          area->min_lon = MIN (area->min_lon, pt.lon);
          area->max_lon = MAX (area->max_lon, pt.lon);
          area->min_lat = MIN (area->min_lat, pt.lat);
          area->max_lat = MAX (area->max_lat, pt.lat);
        }
      g_array_append_val (b->rings, start);
      area->n_rings++;
    }
  return TRUE;
}

static gboolean
parse_wkb (Builder *b, GeoAreaShape *area, const guint8 *wkb, gsize len)
{
  Reader   r = { wkb, wkb + len };
  guint8   order;
  guint32  type, n;
  gboolean little;

  area->first_ring = b->rings->len;
  area->n_rings = 0;
  area->min_lon = area->min_lat = INFINITY;
  area->max_lon = area->max_lat = -INFINITY;
  if (len < 5)
    return FALSE;
  order = *r.p;
  little = order == 1;
  r.p++;
  if (!read_u32 (&r, little, &type))
    return FALSE;
  if (type % 1000 == 3)
    {
      r.p -= 5;
      return read_polygon (&r, b, area);
    }
  if (type % 1000 != 6 || !read_u32 (&r, little, &n))
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    if (!read_polygon (&r, b, area))
      return FALSE;
  return TRUE;
}

/**
 * geo_area_shapes_load:
 * @store: a project; call from the thread that owns it (a worker's own read-only store)
 *
 * Reads every area with a geometry, kecamatan and above first so that desa draw on top.
 */
GeoAreaShapes *
geo_area_shapes_load (GeoStore *store, GCancellable *cancellable, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GeoAreaShapes) shapes = g_new0 (GeoAreaShapes, 1);
  g_autoptr(GArray) areas = g_array_new (FALSE, TRUE, sizeof (GeoAreaShape));
  Builder b;
  int     rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT code, name, level, centroid_lon, centroid_lat, AsBinary (geom) "
                            "FROM area WHERE geom IS NOT NULL ORDER BY CASE level "
                            "WHEN 'provinsi' THEN 0 WHEN 'kabupaten' THEN 1 "
                            "WHEN 'kecamatan' THEN 2 ELSE 3 END, code",
                            error);
  if (stmt == NULL)
    return NULL;

  b.rings = g_array_new (FALSE, FALSE, sizeof (guint));
  b.points = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GeoAreaShape  area = { 0 };
      const guint8 *wkb = sqlite3_column_blob (stmt, 5);
      gsize         len = sqlite3_column_bytes (stmt, 5);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (!geo_area_level_from_string ((const char *) sqlite3_column_text (stmt, 2), &area.level))
        continue;
      if (!parse_wkb (&b, &area, wkb, len) || area.n_rings == 0)
        {
          g_array_set_size (b.rings, area.first_ring);
          continue;
        }
      area.code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      area.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          area.label_lon = sqlite3_column_double (stmt, 3);
          area.label_lat = sqlite3_column_double (stmt, 4);
        }
      else
        {
          area.label_lon = (area.min_lon + area.max_lon) / 2;
          area.label_lat = (area.min_lat + area.max_lat) / 2;
        }
      g_array_append_val (areas, area);
    }
  shapes->n_rings = b.rings->len;
  shapes->n_points = b.points->len;
  g_array_append_val (b.rings, shapes->n_points);
  shapes->ring_offsets = (guint *) g_array_free (b.rings, FALSE);
  shapes->points = (GeoPoint *) g_array_free (b.points, FALSE);
  shapes->n_areas = areas->len;
  shapes->areas = (GeoAreaShape *) g_array_free (g_steal_pointer (&areas), FALSE);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      geo_store_set_error (store, error, "Reading areas");
      return NULL;
    }
  if (rc == SQLITE_ROW) /* cancelled */
    return NULL;
  return g_steal_pointer (&shapes);
}

void
geo_area_shapes_free (GeoAreaShapes *shapes)
{
  if (shapes == NULL)
    return;
  for (guint i = 0; i < shapes->n_areas; i++)
    {
      g_free (shapes->areas[i].code);
      g_free (shapes->areas[i].name);
    }
  g_free (shapes->areas);
  g_free (shapes->ring_offsets);
  g_free (shapes->points);
  g_free (shapes);
}
