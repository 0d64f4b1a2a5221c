#include "config.h"

#include <ogr_api.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-road-lines.h"
#include "geo-store-private.h"

GeoRoadClass
geo_road_class_from_highway (const char *highway)
{
  static const struct
  {
    const char  *prefix;
    GeoRoadClass klass;
  } table[] = {
    { "motorway", GEO_ROAD_MAJOR },     { "trunk", GEO_ROAD_MAJOR },
    { "primary", GEO_ROAD_MAJOR },      { "secondary", GEO_ROAD_MEDIUM },
    { "tertiary", GEO_ROAD_MEDIUM },    { "residential", GEO_ROAD_MINOR },
    { "unclassified", GEO_ROAD_MINOR }, { "living_street", GEO_ROAD_MINOR },
    { "road", GEO_ROAD_MINOR },
  };

  if (highway == NULL)
    return GEO_ROAD_SERVICE;
  /* Prefix match: "primary_link" draws as its road. */
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_has_prefix (highway, table[i].prefix))
      return table[i].klass;
  return GEO_ROAD_SERVICE;
}

static int
compare_class (gconstpointer a, gconstpointer b)
{
  const GeoRoadLine *la = a, *lb = b;

  /* Descending class: service first, major last (drawn on top). Stable on first_point. */
  if (la->klass != lb->klass)
    return (int) lb->klass - (int) la->klass;
  return la->first_point < lb->first_point ? -1 : la->first_point > lb->first_point;
}

/**
 * geo_road_lines_load:
 *
 * Reads every road segment once (one statement, the geometry as WKB parsed by OGR).
 * A project without roads gives an empty set, not an error.
 */
GeoRoadLines *
geo_road_lines_load (GeoStore *store, GCancellable *cancellable, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (GeoRoadLine));
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
  GeoRoadLines *roads;
  int           rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);

  stmt = geo_store_prepare (store, "SELECT highway, AsBinary (geom) FROM road_segment", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GeoOgrGeometry) geom = NULL;
      const void *wkb = sqlite3_column_blob (stmt, 1);
      int         len = sqlite3_column_bytes (stmt, 1);
      GeoRoadLine line = { 0 };
      int         n;

      if (wkb == NULL || OGR_G_CreateFromWkb (wkb, NULL, &geom, len) != OGRERR_NONE ||
          wkbFlatten (OGR_G_GetGeometryType (geom)) != wkbLineString)
        continue;
      n = OGR_G_GetPointCount (geom);
      if (n < 2)
        continue;
      line.klass = geo_road_class_from_highway ((const char *) sqlite3_column_text (stmt, 0));
      line.first_point = points->len;
      line.n_points = n;
      line.min_lon = line.min_lat = G_MAXDOUBLE;
      line.max_lon = line.max_lat = -G_MAXDOUBLE;
      for (int k = 0; k < n; k++)
        {
          GeoPoint p = { OGR_G_GetX (geom, k), OGR_G_GetY (geom, k) };

          line.min_lon = MIN (line.min_lon, p.lon);
          line.max_lon = MAX (line.max_lon, p.lon);
          line.min_lat = MIN (line.min_lat, p.lat);
          line.max_lat = MAX (line.max_lat, p.lat);
          g_array_append_val (points, p);
        }
      g_array_append_val (lines, line);
      if ((lines->len & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading roads");
      return NULL;
    }
  g_array_sort (lines, compare_class);
  roads = g_new0 (GeoRoadLines, 1);
  roads->n_lines = lines->len;
  roads->lines = (GeoRoadLine *) g_array_free (g_steal_pointer (&lines), FALSE);
  roads->n_points = points->len;
  roads->points = (GeoPoint *) g_array_free (g_steal_pointer (&points), FALSE);
  for (guint i = 0; i < roads->n_lines; i++)
    roads->n_by_class[roads->lines[i].klass]++;
  return roads;
}

void
geo_road_lines_free (GeoRoadLines *roads)
{
  if (roads == NULL)
    return;
  g_free (roads->lines);
  g_free (roads->points);
  g_free (roads);
}
