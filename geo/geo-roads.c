#include "config.h"

#include <cpl_error.h>
#include <geodesic.h>
#include <math.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-roads.h"
#include "geo-store-private.h"

/* ---------------------------------------------------------------------------------------------
 * Vehicles and road classes */

const char *
geo_vehicle_to_string (GeoVehicle vehicle)
{
  return vehicle == GEO_VEHICLE_MOTORBIKE ? "motorbike" : "car";
}

gboolean
geo_vehicle_from_string (const char *str, GeoVehicle *vehicle)
{
  if (g_strcmp0 (str, "car") == 0 || g_strcmp0 (str, "mobil") == 0)
    *vehicle = GEO_VEHICLE_CAR;
  else if (g_strcmp0 (str, "motorbike") == 0 || g_strcmp0 (str, "motor") == 0)
    *vehicle = GEO_VEHICLE_MOTORBIKE;
  else
    return FALSE;
  return TRUE;
}

double
geo_vehicle_default_speed_kmh (GeoVehicle vehicle)
{
  /* Door-to-door averages in Indonesian towns and villages, before the detour factor. */
  return vehicle == GEO_VEHICLE_MOTORBIKE ? 25.0 : 30.0;
}

/* km/h by OSM class; 0: not allowed. Motorbikes may not use toll roads (motorway) in Indonesia;
 * cars do not fit on paths. *_link roads take 3/4 of their class's speed. */
static const struct
{
  const char *highway;
  double      car;
  double      motorbike;
} road_speeds[] = {
  { "motorway", 80, 0 },   { "trunk", 60, 50 },       { "primary", 50, 45 },
  { "secondary", 40, 40 }, { "tertiary", 35, 35 },    { "unclassified", 30, 30 },
  { "road", 25, 25 },      { "residential", 25, 25 }, { "living_street", 10, 15 },
  { "service", 15, 15 },   { "track", 10, 15 },       { "path", 0, 10 },
  { "busway", 0, 0 },      { "footway", 0, 0 },       { "pedestrian", 0, 0 },
  { "steps", 0, 0 },       { "cycleway", 0, 0 },      { "bridleway", 0, 0 },
};

double
geo_road_speed_kmh (const char *highway, GeoVehicle vehicle)
{
  g_autofree char *base = NULL;
  double           factor = 1.0;

  if (highway == NULL)
    return 0;
  if (g_str_has_suffix (highway, "_link"))
    {
      base = g_strndup (highway, strlen (highway) - 5);
      factor = 0.75;
    }
  else
    base = g_strdup (highway);
  for (guint i = 0; i < G_N_ELEMENTS (road_speeds); i++)
    if (g_ascii_strcasecmp (base, road_speeds[i].highway) == 0)
      return factor *
             (vehicle == GEO_VEHICLE_MOTORBIKE ? road_speeds[i].motorbike : road_speeds[i].car);
  return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Import */

static int
find_field (OGRFeatureDefnH defn, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      int idx = OGR_FD_GetFieldIndex (defn, names[i]); /* case-insensitive */

      if (idx >= 0)
        return idx;
    }
  return -1;
}

/* 1, -1 or 0 from an OSM oneway value (yes/true/1, -1/reverse). */
static int
oneway_from_value (const char *v)
{
  if (v == NULL)
    return 0;
  if (g_ascii_strcasecmp (v, "yes") == 0 || g_ascii_strcasecmp (v, "true") == 0 ||
      strcmp (v, "1") == 0)
    return 1;
  if (strcmp (v, "-1") == 0 || g_ascii_strcasecmp (v, "reverse") == 0)
    return -1;
  return 0;
}

/* OSM driver: other_tags is an hstore text, `"oneway"=>"yes","lanes"=>"2"`. */
static int
oneway_from_other_tags (const char *tags)
{
  const char      *p;
  g_autofree char *value = NULL;
  const char      *end;

  if (tags == NULL || (p = strstr (tags, "\"oneway\"=>\"")) == NULL)
    return 0;
  p += strlen ("\"oneway\"=>\"");
  end = strchr (p, '"');
  if (end == NULL)
    return 0;
  value = g_strndup (p, end - p);
  return oneway_from_value (value);
}

static OGRLayerH
pick_layer (GDALDatasetH ds, const char *name, GError **error)
{
  OGRLayerH layer = NULL;

  if (name != NULL)
    layer = GDALDatasetGetLayerByName (ds, name);
  else if (g_strcmp0 (GDALGetDriverShortName (GDALGetDatasetDriver (ds)), "OSM") == 0)
    layer = GDALDatasetGetLayerByName (ds, "lines");
  else
    for (int i = 0; i < GDALDatasetGetLayerCount (ds) && layer == NULL; i++)
      {
        OGRLayerH          l = GDALDatasetGetLayer (ds, i);
        OGRwkbGeometryType t = wkbFlatten (OGR_L_GetGeomType (l));

        if (t == wkbLineString || t == wkbMultiLineString || t == wkbUnknown)
          layer = l;
      }
  if (layer == NULL)
    g_set_error (error,
                 GEO_ERROR,
                 GEO_ERROR_NOT_FOUND,
                 name != NULL ? "no layer named “%s”" : "no line layer%s",
                 name != NULL ? name : "");
  return layer;
}

gboolean
geo_roads_import (GeoStore             *store,
                  const char           *path,
                  const char           *layer_name,
                  gboolean              replace,
                  GeoRoadsImportReport *report,
                  GCancellable         *cancellable,
                  GError              **error)
{
  static const char *const class_fields[] = { "highway", "osm_type", "fclass", "road_class", NULL };
  static const char *const name_fields[] = { "name", "nama", NULL };
  static const char *const id_fields[] = { "osm_id", "id", NULL };
  g_auto(GeoGdalDataset) ds = NULL;
  g_auto(GeoOgrSrs) wgs84 = NULL;
  g_auto(GeoOgrTransform) ct = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char     *base = NULL;
  GeoRoadsImportReport local = { 0 };
  OGRSpatialReferenceH src;
  OGRFeatureDefnH      defn;
  OGRLayerH            layer;
  OGRFeatureH          feat;
  int                  class_i, name_i, id_i, oneway_i, tags_i;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (report == NULL)
    report = &local;
  memset (report, 0, sizeof *report);
  CPLErrorReset ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "%s: cannot open: %s",
                   path,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  layer = pick_layer (ds, layer_name, error);
  if (layer == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  defn = OGR_L_GetLayerDefn (layer);
  class_i = find_field (defn, class_fields);
  name_i = find_field (defn, name_fields);
  id_i = find_field (defn, id_fields);
  oneway_i = OGR_FD_GetFieldIndex (defn, "oneway");
  tags_i = OGR_FD_GetFieldIndex (defn, "other_tags");

  wgs84 = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (wgs84, 4326);
  OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  src = OGR_L_GetSpatialRef (layer);
  if (src != NULL && !OSRIsSame (src, wgs84))
    {
      g_auto(GeoOgrSrs) src_copy = OSRClone (src);

      OSRSetAxisMappingStrategy (src_copy, OAMS_TRADITIONAL_GIS_ORDER);
      CPLErrorReset ();
      ct = OCTNewCoordinateTransformation (src_copy, wgs84);
      if (ct == NULL)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_PROJ,
                       "%s: cannot transform its CRS to EPSG:4326: %s",
                       path,
                       CPLGetLastErrorMsg ());
          return FALSE;
        }
    }

  base = g_path_get_basename (path);
  if (!geo_store_begin (store, error))
    return FALSE;
  if (replace)
    {
      g_autoptr(sqlite3_stmt) del = geo_store_prepare (store, "DELETE FROM road_segment", error);

      if (del == NULL || sqlite3_step (del) != SQLITE_DONE)
        {
          if (del != NULL)
            geo_store_set_error (store, error, "Deleting the old roads");
          goto fail;
        }
    }
  insert =
      geo_store_prepare (store,
                         "INSERT INTO road_segment (source, osm_id, name, highway, oneway, geom) "
                         "VALUES (?, ?, ?, ?, ?, GeomFromWKB (?, 4326))",
                         error);
  if (insert == NULL)
    goto fail;

  OGR_L_ResetReading (layer);
  while ((feat = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_auto(GeoOgrFeature) f = feat;
      g_auto(GeoOgrGeometry) geom = NULL;
      OGRGeometryH g = OGR_F_GetGeometryRef (f);
      const char  *highway = "road";
      int          oneway = 0, n_parts;

      report->read++;
      if ((report->read & 0x3ff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (class_i >= 0)
        {
          highway =
              OGR_F_IsFieldSetAndNotNull (f, class_i) ? OGR_F_GetFieldAsString (f, class_i) : NULL;
          if (highway == NULL || *highway == '\0')
            {
              report->skipped++;
              continue;
            }
        }
      if (g == NULL || (wkbFlatten (OGR_G_GetGeometryType (g)) != wkbLineString &&
                        wkbFlatten (OGR_G_GetGeometryType (g)) != wkbMultiLineString))
        {
          report->skipped++;
          continue;
        }
      if (oneway_i >= 0 && OGR_F_IsFieldSetAndNotNull (f, oneway_i))
        oneway = oneway_from_value (OGR_F_GetFieldAsString (f, oneway_i));
      else if (tags_i >= 0 && OGR_F_IsFieldSetAndNotNull (f, tags_i))
        oneway = oneway_from_other_tags (OGR_F_GetFieldAsString (f, tags_i));

      geom = OGR_G_ForceToMultiLineString (OGR_G_Clone (g));
      OGR_G_FlattenTo2D (geom);
      if (ct != NULL && OGR_G_Transform (geom, ct) != OGRERR_NONE)
        {
          report->skipped++;
          continue;
        }
      n_parts = OGR_G_GetGeometryCount (geom);
      for (int k = 0; k < n_parts; k++)
        {
          OGRGeometryH       part = OGR_G_GetGeometryRef (geom, k);
          g_autofree guint8 *wkb = NULL;
          gsize              len;

          if (OGR_G_GetPointCount (part) < 2)
            continue;
          len = OGR_G_WkbSize (part);
          wkb = g_malloc (len);
          OGR_G_ExportToWkb (part, wkbNDR, wkb);
          sqlite3_reset (insert);
          sqlite3_bind_text (insert, 1, base, -1, SQLITE_STATIC);
          if (id_i >= 0 && OGR_F_IsFieldSetAndNotNull (f, id_i))
            sqlite3_bind_text (insert, 2, OGR_F_GetFieldAsString (f, id_i), -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (insert, 2);
          if (name_i >= 0 && OGR_F_IsFieldSetAndNotNull (f, name_i))
            sqlite3_bind_text (insert, 3, OGR_F_GetFieldAsString (f, name_i), -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (insert, 3);
          sqlite3_bind_text (insert, 4, highway, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (insert, 5, oneway);
          sqlite3_bind_blob (insert, 6, wkb, len, SQLITE_STATIC);
          if (sqlite3_step (insert) != SQLITE_DONE)
            {
              geo_store_set_error (store, error, "Storing a road segment");
              goto fail;
            }
          report->imported++;
        }
    }
  if (!geo_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  geo_store_rollback (store);
  g_prefix_error (error, "Importing roads from %s: ", base);
  return FALSE;
}

/* ---------------------------------------------------------------------------------------------
 * The graph */

typedef struct
{
  guint  u, v;
  double len_m;
  double minutes; /* for the whole edge */
  guint8 fwd, bwd;
  guint8 snap; /* in the largest connected component */
} Edge;

struct _GeoRoadGraph
{
  GeoVehicle vehicle;
  guint      n_nodes;
  GeoPoint  *nodes;
  guint      n_edges;
  Edge      *edges;
  /* Arcs in CSR form: the arcs leaving node n are arc_start[n] .. arc_start[n + 1] - 1. */
  guint  *arc_start;
  guint  *arc_to;
  guint  *arc_from;
  guint  *arc_edge;
  double *arc_min;
  double *arc_m;
  /* Snapping grid over the edges' bounding boxes. */
  double min_lon, min_lat, cell_deg;
  guint  nx, ny;
  guint *cell_start;
  guint *cell_edges;
};

typedef struct
{
  gint64 key;
  guint  index; /* into the vertex list */
} VertexKey;

static int
vertex_key_cmp (gconstpointer a, gconstpointer b)
{
  gint64 ka = ((const VertexKey *) a)->key, kb = ((const VertexKey *) b)->key;

  return ka < kb ? -1 : ka > kb;
}

static inline gint64
point_key (const GeoPoint *p)
{
  gint64 x = (gint64) llround (p->lon * 1e7) + 1800000000;
  gint64 y = (gint64) llround (p->lat * 1e7) + 900000000;

  return (x << 31) | y;
}

static double
geodesic_m (const struct geod_geodesic *g, const GeoPoint *a, const GeoPoint *b)
{
  double s12 = 0;

  geod_inverse (g, a->lat, a->lon, b->lat, b->lon, &s12, NULL, NULL);
  return s12;
}

static void
build_grid (GeoRoadGraph *g)
{
  double            max_lon = -G_MAXDOUBLE, max_lat = -G_MAXDOUBLE;
  g_autofree guint *count = NULL;
  guint             total = 0;

  g->min_lon = g->min_lat = G_MAXDOUBLE;
  for (guint i = 0; i < g->n_nodes; i++)
    {
      g->min_lon = MIN (g->min_lon, g->nodes[i].lon);
      g->min_lat = MIN (g->min_lat, g->nodes[i].lat);
      max_lon = MAX (max_lon, g->nodes[i].lon);
      max_lat = MAX (max_lat, g->nodes[i].lat);
    }
  if (g->n_nodes == 0)
    g->min_lon = g->min_lat = max_lon = max_lat = 0;
  /* About 200 m cells, coarser when that would make more than ~4 million cells. */
  g->cell_deg = 0.002;
  while (((max_lon - g->min_lon) / g->cell_deg + 1) * ((max_lat - g->min_lat) / g->cell_deg + 1) >
         4e6)
    g->cell_deg *= 2;
  g->nx = (guint) ((max_lon - g->min_lon) / g->cell_deg) + 1;
  g->ny = (guint) ((max_lat - g->min_lat) / g->cell_deg) + 1;
  count = g_new0 (guint, (gsize) g->nx * g->ny + 1);

  for (int pass = 0; pass < 2; pass++)
    {
      for (guint e = 0; e < g->n_edges; e++)
        {
          const GeoPoint *a = &g->nodes[g->edges[e].u], *b = &g->nodes[g->edges[e].v];
          guint           x0 = (guint) ((MIN (a->lon, b->lon) - g->min_lon) / g->cell_deg);
          guint           x1 = (guint) ((MAX (a->lon, b->lon) - g->min_lon) / g->cell_deg);
          guint           y0 = (guint) ((MIN (a->lat, b->lat) - g->min_lat) / g->cell_deg);
          guint           y1 = (guint) ((MAX (a->lat, b->lat) - g->min_lat) / g->cell_deg);

          for (guint y = y0; y <= MIN (y1, g->ny - 1); y++)
            for (guint x = x0; x <= MIN (x1, g->nx - 1); x++)
              {
                gsize c = (gsize) y * g->nx + x;

                if (!g->edges[e].snap)
                  continue;
                if (pass == 0)
                  count[c]++;
                else
                  g->cell_edges[--count[c]] = e;
              }
        }
      if (pass == 0)
        {
          g->cell_start = g_new (guint, (gsize) g->nx * g->ny + 1);
          for (gsize c = 0; c < (gsize) g->nx * g->ny; c++)
            {
              g->cell_start[c] = total;
              total += count[c];
              count[c] = total; /* filled backwards in pass 1 */
            }
          g->cell_start[(gsize) g->nx * g->ny] = total;
          g->cell_edges = g_new (guint, MAX (total, 1));
        }
    }
}

static guint
uf_find (guint *parent, guint x)
{
  while (parent[x] != x)
    x = parent[x] = parent[parent[x]];
  return x;
}

/* Marks the edges of the largest connected component (ignoring directions) as the only ones to
 * snap to: a house snapped to an isolated fragment (a car park, a private road cut off by the
 * extract's edge) would be unreachable from everywhere. */
static void
keep_largest_component (GeoRoadGraph *g)
{
  g_autofree guint *parent = g_new (guint, MAX (g->n_nodes, 1));
  g_autofree guint *size = g_new0 (guint, MAX (g->n_nodes, 1));
  guint             best = 0, best_size = 0;

  for (guint i = 0; i < g->n_nodes; i++)
    parent[i] = i;
  for (guint e = 0; e < g->n_edges; e++)
    {
      guint a = uf_find (parent, g->edges[e].u), b = uf_find (parent, g->edges[e].v);

      if (a != b)
        parent[MAX (a, b)] = MIN (a, b);
    }
  for (guint i = 0; i < g->n_nodes; i++)
    {
      guint r = uf_find (parent, i);

      if (++size[r] > best_size || (size[r] == best_size && r < best))
        best = r, best_size = size[r];
    }
  for (guint e = 0; e < g->n_edges; e++)
    g->edges[e].snap = uf_find (parent, g->edges[e].u) == best;
}

GeoRoadGraph *
geo_road_graph_new (const GeoPoint *const *lines,
                    const guint           *n_points,
                    const char *const     *highway,
                    const int             *oneway,
                    guint                  n_lines,
                    GeoVehicle             vehicle,
                    gboolean               use_oneway)
{
  g_autofree VertexKey *keys = NULL;
  g_autofree guint     *vertex_node = NULL;
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  struct geod_geodesic geod;
  GeoRoadGraph        *g = g_new0 (GeoRoadGraph, 1);
  guint                n_vertices = 0, v = 0, n_arcs = 0;
  g_autofree guint    *fill = NULL;

  geod_init (&geod, 6378137.0, 1 / 298.257223563);
  g->vehicle = vehicle;
  for (guint i = 0; i < n_lines; i++)
    n_vertices += n_points[i];

  /* Nodes: distinct vertices (1e-7 degree), so ways sharing a vertex are connected. */
  keys = g_new (VertexKey, MAX (n_vertices, 1));
  for (guint i = 0; i < n_lines; i++)
    for (guint k = 0; k < n_points[i]; k++, v++)
      keys[v] = (VertexKey){ point_key (&lines[i][k]), v };
  qsort (keys, n_vertices, sizeof *keys, vertex_key_cmp);
  vertex_node = g_new (guint, MAX (n_vertices, 1));
  g->nodes = g_new (GeoPoint, MAX (n_vertices, 1));
  {
    g_autofree GeoPoint *flat = g_new (GeoPoint, MAX (n_vertices, 1));

    v = 0;
    for (guint i = 0; i < n_lines; i++)
      for (guint k = 0; k < n_points[i]; k++)
        flat[v++] = lines[i][k];
    for (guint i = 0; i < n_vertices; i++)
      {
        if (i == 0 || keys[i].key != keys[i - 1].key)
          g->nodes[g->n_nodes++] = flat[keys[i].index];
        vertex_node[keys[i].index] = g->n_nodes - 1;
      }
  }

  /* Edges between consecutive vertices of the roads the vehicle may use. */
  v = 0;
  for (guint i = 0; i < n_lines; i++)
    {
      double speed = geo_road_speed_kmh (highway != NULL ? highway[i] : "road", vehicle);
      int    ow = use_oneway && oneway != NULL ? oneway[i] : 0;

      for (guint k = 0; k + 1 < n_points[i]; k++)
        {
          Edge e;

          if (speed <= 0)
            continue;
          e.u = vertex_node[v + k];
          e.v = vertex_node[v + k + 1];
          if (e.u == e.v)
            continue;
          e.len_m = geodesic_m (&geod, &g->nodes[e.u], &g->nodes[e.v]);
          e.minutes = e.len_m / (speed * 1000.0 / 60.0);
          e.fwd = ow >= 0;
          e.bwd = ow <= 0;
          g_array_append_val (edges, e);
        }
      v += n_points[i];
    }
  g->n_edges = edges->len;
  g->edges = (Edge *) g_array_free (g_steal_pointer (&edges), FALSE);

  /* Drop nodes no usable edge touches, so that snapping never lands on them. */
  {
    g_autofree guint *remap = g_new (guint, MAX (g->n_nodes, 1));
    guint             n = 0;

    for (guint i = 0; i < g->n_nodes; i++)
      remap[i] = G_MAXUINT;
    for (guint e = 0; e < g->n_edges; e++)
      remap[g->edges[e].u] = remap[g->edges[e].v] = 0;
    for (guint i = 0; i < g->n_nodes; i++)
      if (remap[i] != G_MAXUINT)
        {
          g->nodes[n] = g->nodes[i];
          remap[i] = n++;
        }
    g->n_nodes = n;
    for (guint e = 0; e < g->n_edges; e++)
      {
        g->edges[e].u = remap[g->edges[e].u];
        g->edges[e].v = remap[g->edges[e].v];
      }
  }

  /* CSR arcs. */
  g->arc_start = g_new0 (guint, g->n_nodes + 1);
  for (guint e = 0; e < g->n_edges; e++)
    {
      if (g->edges[e].fwd)
        g->arc_start[g->edges[e].u + 1]++, n_arcs++;
      if (g->edges[e].bwd)
        g->arc_start[g->edges[e].v + 1]++, n_arcs++;
    }
  for (guint i = 0; i < g->n_nodes; i++)
    g->arc_start[i + 1] += g->arc_start[i];
  g->arc_to = g_new (guint, MAX (n_arcs, 1));
  g->arc_from = g_new (guint, MAX (n_arcs, 1));
  g->arc_edge = g_new (guint, MAX (n_arcs, 1));
  g->arc_min = g_new (double, MAX (n_arcs, 1));
  g->arc_m = g_new (double, MAX (n_arcs, 1));
  fill = g_memdup2 (g->arc_start, sizeof (guint) * (g->n_nodes + 1));
  for (guint e = 0; e < g->n_edges; e++)
    {
      const Edge *ed = &g->edges[e];

      for (int dir = 0; dir < 2; dir++)
        {
          guint a = dir == 0 ? ed->u : ed->v, b = dir == 0 ? ed->v : ed->u, k;

          if ((dir == 0 && !ed->fwd) || (dir == 1 && !ed->bwd))
            continue;
          k = fill[a]++;
          g->arc_from[k] = a;
          g->arc_to[k] = b;
          g->arc_edge[k] = e;
          g->arc_min[k] = ed->minutes;
          g->arc_m[k] = ed->len_m;
        }
    }
  keep_largest_component (g);
  build_grid (g);
  return g;
}

GeoRoadGraph *
geo_road_graph_load (GeoStore     *store,
                     GeoVehicle    vehicle,
                     gboolean      use_oneway,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) oneways = g_array_new (FALSE, FALSE, sizeof (int));
  GeoRoadGraph *g;
  int           rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);

  stmt = geo_store_prepare (store,
                            "SELECT highway, oneway, AsBinary (geom) FROM road_segment ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GeoOgrGeometry) geom = NULL;
      const void *wkb = sqlite3_column_blob (stmt, 2);
      int         len = sqlite3_column_bytes (stmt, 2), ow = sqlite3_column_int (stmt, 1);
      GeoPoint   *pts;
      guint       n;

      if (wkb == NULL || OGR_G_CreateFromWkb (wkb, NULL, &geom, len) != OGRERR_NONE ||
          wkbFlatten (OGR_G_GetGeometryType (geom)) != wkbLineString)
        continue;
      n = OGR_G_GetPointCount (geom);
      pts = g_new (GeoPoint, MAX (n, 1));
      for (guint k = 0; k < n; k++)
        {
          pts[k].lon = OGR_G_GetX (geom, k);
          pts[k].lat = OGR_G_GetY (geom, k);
        }
      g_ptr_array_add (lines, pts);
      g_ptr_array_add (classes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_array_append_val (counts, n);
      g_array_append_val (oneways, ow);
      if ((lines->len & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading roads");
      return NULL;
    }
  g = geo_road_graph_new ((const GeoPoint *const *) lines->pdata,
                          (const guint *) counts->data,
                          (const char *const *) classes->pdata,
                          (const int *) oneways->data,
                          lines->len,
                          vehicle,
                          use_oneway);
  if (g->n_edges == 0)
    {
      geo_road_graph_free (g);
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "the project has no road a %s may use (import roads with “jangkau-cli roads "
                   "import”)",
                   geo_vehicle_to_string (vehicle));
      return NULL;
    }
  return g;
}

void
geo_road_graph_free (GeoRoadGraph *g)
{
  if (g == NULL)
    return;
  g_free (g->nodes);
  g_free (g->edges);
  g_free (g->arc_start);
  g_free (g->arc_to);
  g_free (g->arc_from);
  g_free (g->arc_edge);
  g_free (g->arc_min);
  g_free (g->arc_m);
  g_free (g->cell_start);
  g_free (g->cell_edges);
  g_free (g);
}

guint
geo_road_graph_get_n_nodes (const GeoRoadGraph *g)
{
  return g->n_nodes;
}

guint
geo_road_graph_get_n_edges (const GeoRoadGraph *g)
{
  return g->n_edges;
}

/* ---------------------------------------------------------------------------------------------
 * Snapping */

/* Squared local-planar metres from p to edge e and the position t along it. Local equirectangular
 * metres around p: exact enough to rank edges within a few kilometres. */
static double
edge_dist2 (const GeoRoadGraph *g, guint e, const GeoPoint *p, double *t_out)
{
  const GeoPoint *a = &g->nodes[g->edges[e].u], *b = &g->nodes[g->edges[e].v];
  double          kx = 111320.0 * cos (p->lat * G_PI / 180.0), ky = 110540.0;
  double          ax = (a->lon - p->lon) * kx, ay = (a->lat - p->lat) * ky;
  double          bx = (b->lon - p->lon) * kx, by = (b->lat - p->lat) * ky;
  double          dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, t = 0, x, y;

  if (l2 > 0)
    t = CLAMP (-(ax * dx + ay * dy) / l2, 0.0, 1.0);
  x = ax + t * dx;
  y = ay + t * dy;
  *t_out = t;
  return x * x + y * y;
}

static void
snap_one (const GeoRoadGraph         *g,
          const struct geod_geodesic *geod,
          const GeoPoint             *p,
          double                      max_snap_m,
          GeoRoadSnap                *s)
{
  double   best = G_MAXDOUBLE, best_t = 0, cell_m;
  guint    best_e = G_MAXUINT;
  int      cx, cy, max_r;
  gboolean inside;

  memset (s, 0, sizeof *s);
  s->snap_m = G_MAXDOUBLE;
  if (g->n_edges == 0)
    return;
  cx = (int) floor ((p->lon - g->min_lon) / g->cell_deg);
  cy = (int) floor ((p->lat - g->min_lat) / g->cell_deg);
  inside = cx >= 0 && cy >= 0 && cx < (int) g->nx && cy < (int) g->ny;
  cell_m = g->cell_deg * MIN (110540.0, 111320.0 * cos (p->lat * G_PI / 180.0));
  max_r = (int) MAX (g->nx, g->ny);

  if (!inside)
    {
      /* Outside the network's extent: look at every edge. */
      for (guint e = 0; e < g->n_edges; e++)
        {
          double t, d2;

          if (!g->edges[e].snap)
            continue;
          d2 = edge_dist2 (g, e, p, &t);
          if (d2 < best)
            best = d2, best_t = t, best_e = e;
        }
    }
  else
    for (int r = 0; r <= max_r; r++)
      {
        /* Any edge in ring r is at least (r - 1) cells away. */
        if (best_e != G_MAXUINT && (r - 1) * cell_m > sqrt (best))
          break;
        for (int y = cy - r; y <= cy + r; y++)
          for (int x = cx - r; x <= cx + r; x++)
            {
              gsize c;

              if ((ABS (y - cy) != r && ABS (x - cx) != r) || x < 0 || y < 0 || x >= (int) g->nx ||
                  y >= (int) g->ny)
                continue;
              c = (gsize) y * g->nx + x;
              for (guint k = g->cell_start[c]; k < g->cell_start[c + 1]; k++)
                {
                  guint  e = g->cell_edges[k];
                  double t, d2 = edge_dist2 (g, e, p, &t);

                  if (d2 < best || (d2 == best && e < best_e))
                    best = d2, best_t = t, best_e = e;
                }
            }
      }
  if (best_e == G_MAXUINT)
    return;
  {
    const GeoPoint *a = &g->nodes[g->edges[best_e].u], *b = &g->nodes[g->edges[best_e].v];

    s->edge = best_e;
    s->t = best_t;
    s->on_road.lon = a->lon + best_t * (b->lon - a->lon);
    s->on_road.lat = a->lat + best_t * (b->lat - a->lat);
    s->snap_m = geodesic_m (geod, p, &s->on_road);
    s->snapped = s->snap_m <= max_snap_m;
  }
}

void
geo_road_graph_snap (const GeoRoadGraph *g,
                     const GeoPoint     *points,
                     guint               n_points,
                     double              max_snap_m,
                     GeoRoadSnap        *snaps)
{
  struct geod_geodesic geod;

  g_return_if_fail (g != NULL);
  geod_init (&geod, 6378137.0, 1 / 298.257223563);
  for (guint i = 0; i < n_points; i++)
    snap_one (g, &geod, &points[i], max_snap_m, &snaps[i]);
}

/* ---------------------------------------------------------------------------------------------
 * Dijkstra */

#define PRED_SOURCE G_MAXUINT

typedef struct
{
  double key;
  guint  node;
} HeapItem;

typedef struct
{
  const GeoRoadGraph *g;
  double             *time;
  double             *dist;
  guint              *pred; /* arc into the node, PRED_SOURCE from the source point */
  guint              *stamp;
  guint              *settled;
  guint              *need;
  guint               run;
  HeapItem           *heap;
  guint               heap_len, heap_cap;
} Search;

static void
search_init (Search *s, const GeoRoadGraph *g)
{
  memset (s, 0, sizeof *s);
  s->g = g;
  s->time = g_new (double, MAX (g->n_nodes, 1));
  s->dist = g_new (double, MAX (g->n_nodes, 1));
  s->pred = g_new (guint, MAX (g->n_nodes, 1));
  s->stamp = g_new0 (guint, MAX (g->n_nodes, 1));
  s->settled = g_new0 (guint, MAX (g->n_nodes, 1));
  s->need = g_new0 (guint, MAX (g->n_nodes, 1));
  s->heap_cap = 1024;
  s->heap = g_new (HeapItem, s->heap_cap);
}

static void
search_clear (Search *s)
{
  g_free (s->time);
  g_free (s->dist);
  g_free (s->pred);
  g_free (s->stamp);
  g_free (s->settled);
  g_free (s->need);
  g_free (s->heap);
}

static void
heap_push (Search *s, double key, guint node)
{
  guint i;

  if (s->heap_len == s->heap_cap)
    {
      s->heap_cap *= 2;
      s->heap = g_renew (HeapItem, s->heap, s->heap_cap);
    }
  i = s->heap_len++;
  while (i > 0 && s->heap[(i - 1) / 2].key > key)
    {
      s->heap[i] = s->heap[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  s->heap[i] = (HeapItem){ key, node };
}

static HeapItem
heap_pop (Search *s)
{
  HeapItem top = s->heap[0], last = s->heap[--s->heap_len];
  guint    i = 0;

  for (;;)
    {
      guint c = 2 * i + 1;

      if (c >= s->heap_len)
        break;
      if (c + 1 < s->heap_len && s->heap[c + 1].key < s->heap[c].key)
        c++;
      if (s->heap[c].key >= last.key)
        break;
      s->heap[i] = s->heap[c];
      i = c;
    }
  if (s->heap_len > 0)
    s->heap[i] = last;
  return top;
}

static inline double
node_time (const Search *s, guint n)
{
  return s->stamp[n] == s->run ? s->time[n] : INFINITY;
}

static inline void
relax (Search *s, guint n, double t, double d, guint pred)
{
  if (t < node_time (s, n))
    {
      s->stamp[n] = s->run;
      s->time[n] = t;
      s->dist[n] = d;
      s->pred[n] = pred;
      heap_push (s, t, n);
    }
}

/* A point at t along an edge is reached from its first node when the edge may be driven
 * forward, or when it lies on that node (t = 0); likewise from the second node. The same holds
 * for leaving it. */
#define AT_NODE_EPS 1e-9

static inline gboolean
from_u_ok (const Edge *e, double t)
{
  return e->fwd || t <= AT_NODE_EPS;
}

static inline gboolean
from_v_ok (const Edge *e, double t)
{
  return e->bwd || t >= 1 - AT_NODE_EPS;
}

/* Marks the nodes from which a snapped point can be reached, returns how many were new. */
static guint
need_snap (Search *s, const GeoRoadSnap *t)
{
  const Edge *e = &s->g->edges[t->edge];
  guint       n = 0;

  if (from_u_ok (e, t->t) && s->need[e->u] != s->run)
    s->need[e->u] = s->run, n++;
  if (from_v_ok (e, t->t) && s->need[e->v] != s->run)
    s->need[e->v] = s->run, n++;
  return n;
}

/* Dijkstra by travel time from the snapped point @src until every needed node is settled. */
static void
search_run (Search *s, const GeoRoadSnap *src, guint n_need)
{
  const GeoRoadGraph *g = s->g;
  const Edge         *e = &g->edges[src->edge];

  s->heap_len = 0;
  if (e->fwd)
    relax (s, e->v, (1 - src->t) * e->minutes, (1 - src->t) * e->len_m, PRED_SOURCE);
  if (e->bwd)
    relax (s, e->u, src->t * e->minutes, src->t * e->len_m, PRED_SOURCE);
  if (src->t <= AT_NODE_EPS)
    relax (s, e->u, 0, 0, PRED_SOURCE);
  if (src->t >= 1 - AT_NODE_EPS)
    relax (s, e->v, 0, 0, PRED_SOURCE);
  while (s->heap_len > 0 && n_need > 0)
    {
      HeapItem it = heap_pop (s);
      guint    n = it.node;

      if (s->settled[n] == s->run || it.key > s->time[n])
        continue;
      s->settled[n] = s->run;
      if (s->need[n] == s->run)
        n_need--;
      for (guint k = g->arc_start[n]; k < g->arc_start[n + 1]; k++)
        relax (s, g->arc_to[k], s->time[n] + g->arc_min[k], s->dist[n] + g->arc_m[k], k);
    }
}

/* Fastest time (and metres) from the search's source point to the snapped point @t along the
 * roads, without the access legs; @via: node arrived from, G_MAXUINT for the direct way along a
 * shared edge. INFINITY when unreachable. */
static double
arrival (const Search *s, const GeoRoadSnap *src, const GeoRoadSnap *t, double *metres, guint *via)
{
  const Edge *e = &s->g->edges[t->edge];
  double      best = INFINITY, m = INFINITY;

  *via = G_MAXUINT - 1;
  if (from_u_ok (e, t->t) && isfinite (node_time (s, e->u)))
    {
      best = s->time[e->u] + t->t * e->minutes;
      m = s->dist[e->u] + t->t * e->len_m;
      *via = e->u;
    }
  if (from_v_ok (e, t->t) && isfinite (node_time (s, e->v)) &&
      s->time[e->v] + (1 - t->t) * e->minutes < best)
    {
      best = s->time[e->v] + (1 - t->t) * e->minutes;
      m = s->dist[e->v] + (1 - t->t) * e->len_m;
      *via = e->v;
    }
  if (src->edge == t->edge)
    {
      double dt = t->t - src->t;

      if (((dt >= 0 && e->fwd) || (dt <= 0 && e->bwd)) && fabs (dt) * e->minutes <= best)
        {
          best = fabs (dt) * e->minutes;
          m = fabs (dt) * e->len_m;
          *via = G_MAXUINT;
        }
    }
  *metres = m;
  return best;
}

typedef struct
{
  const GeoRoadGraph *g;
  const GeoRoadSnap  *snaps;
  guint               n;
  double              access_min_per_m;
  double             *travel_min;
  double             *distance_m;
  gint                next;
  GCancellable       *cancellable;
  GeoProgressFunc     progress; /* called by the calling thread only */
  gpointer            progress_data;
  GThread            *caller;
} MatrixJob;

static gpointer
matrix_worker (gpointer data)
{
  MatrixJob *job = data;
  Search     s;
  guint      i;

  search_init (&s, job->g);
  while ((i = (guint) g_atomic_int_add (&job->next, 1)) < job->n)
    {
      const GeoRoadSnap *src = &job->snaps[i];
      guint              n_need = 0;

      if (g_cancellable_is_cancelled (job->cancellable))
        break;
      if (job->progress != NULL && g_thread_self () == job->caller)
        job->progress ((double) i / job->n, job->progress_data);
      for (guint j = 0; j < job->n; j++)
        {
          job->travel_min[(gsize) i * job->n + j] = i == j ? 0 : INFINITY;
          if (job->distance_m != NULL)
            job->distance_m[(gsize) i * job->n + j] = i == j ? 0 : INFINITY;
        }
      if (!src->snapped)
        continue;
      s.run++;
      for (guint j = 0; j < job->n; j++)
        if (j != i && job->snaps[j].snapped)
          n_need += need_snap (&s, &job->snaps[j]);
      search_run (&s, src, n_need);
      for (guint j = 0; j < job->n; j++)
        {
          const GeoRoadSnap *t = &job->snaps[j];
          double             m, tm;
          guint              via;

          if (j == i || !t->snapped)
            continue;
          tm = arrival (&s, src, t, &m, &via);
          if (!isfinite (tm))
            continue;
          job->travel_min[(gsize) i * job->n + j] =
              tm + (src->snap_m + t->snap_m) * job->access_min_per_m;
          if (job->distance_m != NULL)
            job->distance_m[(gsize) i * job->n + j] = m + src->snap_m + t->snap_m;
        }
    }
  search_clear (&s);
  return NULL;
}

gboolean
geo_road_graph_matrix (const GeoRoadGraph *g,
                       const GeoRoadSnap  *snaps,
                       guint               n,
                       double              access_kmh,
                       double             *travel_min,
                       double             *distance_m,
                       GCancellable       *cancellable,
                       GError            **error)
{
  return geo_road_graph_matrix_with_progress (g, snaps, n, access_kmh, travel_min, distance_m,
                                              NULL, NULL, cancellable, error);
}

/**
 * geo_road_graph_matrix_with_progress:
 * @progress: (nullable): called from the calling thread with the share of rows started
 *
 * geo_road_graph_matrix() with progress.
 */
gboolean
geo_road_graph_matrix_with_progress (const GeoRoadGraph *g,
                                     const GeoRoadSnap  *snaps,
                                     guint               n,
                                     double              access_kmh,
                                     double             *travel_min,
                                     double             *distance_m,
                                     GeoProgressFunc     progress,
                                     gpointer            progress_data,
                                     GCancellable       *cancellable,
                                     GError            **error)
{
  MatrixJob job = { g,          snaps,      n, 1.0 / (MAX (access_kmh, 0.1) * 1000.0 / 60.0),
                    travel_min, distance_m, 0, cancellable, progress, progress_data,
                    g_thread_self () };
  guint     n_threads = CLAMP (g_get_num_processors (), 1, 8);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  g_return_val_if_fail (g != NULL, FALSE);
  n_threads = MIN (n_threads, MAX (n / 4, 1));
  for (guint t = 1; t < n_threads; t++)
    g_ptr_array_add (threads, g_thread_new ("road-matrix", matrix_worker, &job));
  matrix_worker (&job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (threads->pdata[t]);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

GArray *
geo_road_graph_path (const GeoRoadGraph *g,
                     const GeoPoint     *from,
                     const GeoRoadSnap  *from_snap,
                     const GeoPoint     *to,
                     const GeoRoadSnap  *to_snap)
{
  g_autoptr(GArray) line = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  Search s;
  double m, tm;
  guint  via;

  g_return_val_if_fail (g != NULL, NULL);
  if (!from_snap->snapped || !to_snap->snapped)
    return NULL;
  search_init (&s, g);
  s.run = 1;
  search_run (&s, from_snap, need_snap (&s, to_snap));
  tm = arrival (&s, from_snap, to_snap, &m, &via);
  if (isfinite (tm) && via != G_MAXUINT)
    for (guint n = via;;)
      {
        g_array_append_val (nodes, n);
        if (s.pred[n] == PRED_SOURCE)
          break;
        n = g->arc_from[s.pred[n]];
      }
  search_clear (&s);
  if (!isfinite (tm))
    return NULL;

  g_array_append_val (line, *from);
  g_array_append_val (line, from_snap->on_road);
  for (guint k = nodes->len; k-- > 0;)
    g_array_append_val (line, g->nodes[g_array_index (nodes, guint, k)]);
  g_array_append_val (line, to_snap->on_road);
  g_array_append_val (line, *to);
  return g_steal_pointer (&line);
}
