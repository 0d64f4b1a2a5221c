#include "config.h"

#include <math.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-grid.h"
#include "geo-hotspot-private.h"
#include "geo-store-private.h"

void
geo_hotspot_areas_free (GeoHotspotAreas *a)
{
  if (a == NULL)
    return;
  g_strfreev (a->code);
  g_strfreev (a->name);
  g_free (a->count);
  g_free (a->base);
  g_free (a->value);
  g_free (a->z);
  g_free (a->p);
  g_free (a->p_fdr);
  g_free (a->klass);
  g_free (a->n_neighbours);
  geo_neighbours_clear (&a->nb);
  for (guint i = 0; a->wkb != NULL && i < a->n; i++)
    g_clear_pointer (&a->wkb[i], g_bytes_unref);
  g_free (a->wkb);
  g_free (a);
}

static gboolean
code_under (const char *code, const GeoFilter *filter)
{
  if (filter == NULL || filter->areas->len == 0)
    return TRUE;
  for (guint i = 0; i < filter->areas->len; i++)
    {
      const char *a = filter->areas->pdata[i];
      gsize       n = strlen (a);

      if (strncmp (code, a, n) == 0 && (code[n] == '\0' || code[n] == '.'))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  double min_x, max_x, min_y, max_y;
} Box;

typedef struct
{
  guint a, b;
} Edge;

static const Box *sort_boxes;

static int
by_min_x (const void *a, const void *b)
{
  double xa = sort_boxes[*(const guint *) a].min_x, xb = sort_boxes[*(const guint *) b].min_x;

  return xa < xb ? -1 : xa > xb;
}

/* Symmetric compressed rows from an edge list (each pair once). */
static void
neighbours_from_edges (GeoNeighbours *nb, guint n, const GArray *edges)
{
  g_autofree guint *fill = g_new0 (guint, n + 1);

  nb->n = n;
  nb->start = g_new0 (guint, n + 1);
  nb->index = g_new (guint, MAX (2 * edges->len, 1));
  for (guint e = 0; e < edges->len; e++)
    {
      const Edge *ed = &g_array_index (edges, Edge, e);

      nb->start[ed->a + 1]++;
      nb->start[ed->b + 1]++;
    }
  for (guint i = 0; i < n; i++)
    nb->start[i + 1] += nb->start[i];
  for (guint e = 0; e < edges->len; e++)
    {
      const Edge *ed = &g_array_index (edges, Edge, e);

      nb->index[nb->start[ed->a] + fill[ed->a]++] = ed->b;
      nb->index[nb->start[ed->b] + fill[ed->b]++] = ed->a;
    }
  /* Sorted rows: deterministic output whatever the sweep order. */
  for (guint i = 0; i < n; i++)
    {
      guint *row = nb->index + nb->start[i];
      guint  len = nb->start[i + 1] - nb->start[i];

      for (guint k = 1; k < len; k++)
        for (guint m = k; m > 0 && row[m - 1] > row[m]; m--)
          {
            guint t = row[m];
            row[m] = row[m - 1];
            row[m - 1] = t;
          }
    }
}

/* Pairs of units (among @use) whose boxes, grown by @grow, overlap; @test decides. */
typedef gboolean (*PairTest) (guint a, guint b, gpointer data, gboolean *hit, GError **error);

static gboolean
sweep_pairs (const Box      *boxes,
             const gboolean *use,
             guint           n,
             double          grow,
             PairTest        test,
             gpointer        data,
             GArray         *edges,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  guint             m = 0;

  for (guint i = 0; i < n; i++)
    if (use[i])
      order[m++] = i;
  sort_boxes = boxes;
  qsort (order, m, sizeof (guint), by_min_x);
  sort_boxes = NULL;
  for (guint k = 0; k < m; k++)
    {
      const Box *a = &boxes[order[k]];

      for (guint l = k + 1; l < m; l++)
        {
          const Box *b = &boxes[order[l]];
          gboolean   hit = FALSE;

          if (b->min_x > a->max_x + grow)
            break;
          if (b->min_y > a->max_y + grow || a->min_y > b->max_y + grow)
            continue;
          if (!test (order[k], order[l], data, &hit, error))
            return FALSE;
          if (hit)
            {
              Edge e = { MIN (order[k], order[l]), MAX (order[k], order[l]) };
              g_array_append_val (edges, e);
            }
        }
      if ((k & 0xff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  OGRGeometryH *geom; /* projected */
  double        tolerance;
} ContiguityData;

static gboolean
contiguity_test (guint a, guint b, gpointer data, gboolean *hit, GError **error)
{
  ContiguityData *cd = data;
  double          d;

  CPLErrorReset ();
  d = OGR_G_Distance (cd->geom[a], cd->geom[b]);
  if (d < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot measure the distance between two desa polygons: %s",
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  *hit = d <= cd->tolerance;
  return TRUE;
}

typedef struct
{
  const double *x, *y;
  double        band;
} DistanceData;

static gboolean
distance_test (guint a, guint b, gpointer data, gboolean *hit, GError **error)
{
  DistanceData *dd = data;

  *hit = hypot (dd->x[a] - dd->x[b], dd->y[a] - dd->y[b]) <= dd->band * (1 + 1e-12);
  return TRUE;
}

/* The largest nearest-neighbour distance among the used centroids: the smallest band that gives
 * every unit at least one neighbour. Brute force over x-sorted points with pruning. */
static double
max_nearest_distance (const double *x, const double *y, const gboolean *use, guint n)
{
  g_autofree Box   *boxes = g_new (Box, MAX (n, 1));
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  guint             m = 0;
  double            worst = 0;

  for (guint i = 0; i < n; i++)
    {
      boxes[i] = (Box){ x[i], x[i], y[i], y[i] };
      if (use[i])
        order[m++] = i;
    }
  sort_boxes = boxes;
  qsort (order, m, sizeof (guint), by_min_x);
  sort_boxes = NULL;
  for (guint k = 0; k < m; k++)
    {
      double best = INFINITY;
      guint  a = order[k];

      for (guint l = k + 1; l < m && x[order[l]] - x[a] < best; l++)
        best = MIN (best, hypot (x[order[l]] - x[a], y[order[l]] - y[a]));
      for (guint l = k; l > 0 && x[a] - x[order[l - 1]] < best; l--)
        best = MIN (best, hypot (x[order[l - 1]] - x[a], y[order[l - 1]] - y[a]));
      if (isfinite (best))
        worst = MAX (worst, best);
    }
  return worst;
}

typedef struct
{
  char   *code;
  char   *name;
  gint64  population; /* -1: unknown */
  GBytes *wkb;
} AreaRow;

static void
area_row_clear (gpointer p)
{
  AreaRow *r = p;

  g_free (r->code);
  g_free (r->name);
  g_clear_pointer (&r->wkb, g_bytes_unref);
}

static gboolean
check_area_options (const GeoHotspotAreaOptions *opts, GError **error)
{
  if (!(opts->tolerance_m >= 0) || !isfinite (opts->tolerance_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the contiguity tolerance must be zero or a positive number of metres (got %g)",
                   opts->tolerance_m);
      return FALSE;
    }
  if (isnan (opts->band_m) || !isfinite (opts->band_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the distance band must be a number of metres");
      return FALSE;
    }
  return TRUE;
}

/**
 * geo_hotspot_areas:
 * @sel: the selected persons and families
 * @filter: (nullable): its --area codes restrict the desa analysed
 * @families: count families instead of persons
 *
 * Gi* over the desa polygons of the project. A family counts in the desa of its recorded desa
 * code; a family without one (or with a code that has no boundary) is located by point in
 * polygon. Rates: per 1,000 families recorded in the desa (all of the project's families, not
 * only the selected ones), or per 1,000 inhabitants (area.population); desa without a base are
 * left out (%GEO_HOTSPOT_NO_DATA). Weights: binary, between desa whose boundaries come within
 * tolerance_m of each other (contiguity) or whose polygon centroids lie within band_m
 * (distance), both measured in the UTM zone of the desa's centre.
 */
GeoHotspotAreas *
geo_hotspot_areas (GeoStore                    *store,
                   const GeoSelection          *sel,
                   const GeoFilter             *filter,
                   gboolean                     families,
                   const GeoHotspotAreaOptions *opts,
                   GCancellable                *cancellable,
                   GError                     **error)
{
  g_autoptr(GeoHotspotAreas) res = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (AreaRow));
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  g_autofree OGRGeometryH *geom = NULL; /* EPSG:4326, then projected in place */
  g_autofree Box          *boxes = NULL;
  g_autofree gboolean     *use = NULL;
  g_autofree double       *cx = NULL;
  g_autofree double       *cy = NULL;
  g_auto(GeoOgrSrs) wgs84 = NULL;
  g_auto(GeoOgrSrs) utm = NULL;
  g_auto(GeoOgrTransform) to_utm = NULL;
  double   lon_min = INFINITY, lon_max = -INFINITY, lat_min = INFINITY, lat_max = -INFINITY;
  guint    n, n_used = 0;
  int      rc;
  gboolean ok = TRUE;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  g_return_val_if_fail (sel != NULL, NULL);
  if (!check_area_options (opts, error))
    return NULL;
  if (sel->n_families == 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the selection is empty: no person or family to analyse");
      return NULL;
    }
  g_array_set_clear_func (rows, area_row_clear);

  stmt = geo_store_prepare (store,
                            "SELECT code, name, population, AsBinary (geom) FROM area "
                            "WHERE level = 'desa' AND geom IS NOT NULL ORDER BY code",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      AreaRow     r = { 0 };

      if (code == NULL || !code_under (code, filter))
        continue;
      r.code = g_strdup (code);
      r.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r.population =
          sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 2);
      r.wkb = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      g_array_append_val (rows, r);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading desa boundaries");
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  n = rows->len;
  if (n < 2)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "Gi* by desa needs the desa boundaries of the study area (found %u desa): "
                   "import them with “jangkau-cli import-areas”",
                   n);
      return NULL;
    }

  res = g_new0 (GeoHotspotAreas, 1);
  res->n = n;
  res->code = g_new0 (char *, n + 1);
  res->name = g_new0 (char *, n + 1);
  res->count = g_new0 (double, n);
  res->base = g_new (double, n);
  res->value = g_new (double, n);
  res->z = g_new (double, n);
  res->p = g_new (double, n);
  res->klass = g_new (gint8, n);
  res->n_neighbours = g_new0 (guint, n);
  res->wkb = g_new0 (GBytes *, n);
  geom = g_new0 (OGRGeometryH, n);
  boxes = g_new (Box, n);
  use = g_new0 (gboolean, n);
  cx = g_new (double, n);
  cy = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      AreaRow      *r = &g_array_index (rows, AreaRow, i);
      gsize         len;
      const guint8 *wkb = g_bytes_get_data (r->wkb, &len);
      OGREnvelope   env;

      res->code[i] = g_strdup (r->code);
      res->name[i] = g_strdup (r->name);
      res->wkb[i] = g_bytes_ref (r->wkb);
      res->base[i] = NAN;
      g_hash_table_insert (by_code, res->code[i], GUINT_TO_POINTER (i + 1));
      if (OGR_G_CreateFromWkb (wkb, NULL, &geom[i], (int) len) != OGRERR_NONE)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_GDAL,
                       "desa %s has an unreadable boundary",
                       r->code);
          ok = FALSE;
          break;
        }
      OGR_G_GetEnvelope (geom[i], &env);
      lon_min = MIN (lon_min, env.MinX);
      lon_max = MAX (lon_max, env.MaxX);
      lat_min = MIN (lat_min, env.MinY);
      lat_max = MAX (lat_max, env.MaxY);
    }

  /* Counts: by recorded desa code, else by point in polygon (in EPSG:4326). */
  if (ok)
    {
      g_autofree guint       *desa_row = g_new0 (guint, MAX (sel->desa_codes->len, 1));
      g_autofree OGREnvelope *env = g_new (OGREnvelope, n);

      for (guint d = 0; d < sel->desa_codes->len; d++)
        desa_row[d] = GPOINTER_TO_UINT (g_hash_table_lookup (by_code, sel->desa_codes->pdata[d]));
      for (guint i = 0; i < n; i++)
        OGR_G_GetEnvelope (geom[i], &env[i]);
      for (guint f = 0; f < sel->n_families; f++)
        {
          double w = families ? 1.0 : sel->family_n_persons[f];
          guint  d = sel->family_desa[f];
          guint  row = d != G_MAXUINT32 ? desa_row[d] : 0;

          if (row == 0 && isfinite (sel->lon[f]) && isfinite (sel->lat[f]))
            {
              g_auto(GeoOgrGeometry) pt = OGR_G_CreateGeometry (wkbPoint);

              OGR_G_SetPoint_2D (pt, 0, sel->lon[f], sel->lat[f]);
              for (guint i = 0; i < n && row == 0; i++)
                if (sel->lon[f] >= env[i].MinX && sel->lon[f] <= env[i].MaxX &&
                    sel->lat[f] >= env[i].MinY && sel->lat[f] <= env[i].MaxY &&
                    OGR_G_Intersects (geom[i], pt))
                  row = i + 1;
            }
          if (row != 0)
            res->count[row - 1] += w;
          else
            res->unassigned += w;
        }
    }

  /* Rate bases. */
  if (ok && opts->rate == GEO_HOTSPOT_RATE_FAMILIES)
    {
      stmt = geo_store_prepare (store,
                                "SELECT desa_code, count(*) FROM family "
                                "WHERE desa_code IS NOT NULL GROUP BY desa_code",
                                error);
      if (stmt == NULL)
        ok = FALSE;
      while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          guint row = GPOINTER_TO_UINT (
              g_hash_table_lookup (by_code, (const char *) sqlite3_column_text (stmt, 0)));

          if (row != 0)
            res->base[row - 1] = (double) sqlite3_column_int64 (stmt, 1);
        }
      if (ok && rc != SQLITE_DONE)
        ok = geo_store_set_error (store, error, "Counting families per desa");
    }
  else if (ok && opts->rate == GEO_HOTSPOT_RATE_POPULATION)
    for (guint i = 0; i < n; i++)
      {
        gint64 pop = g_array_index (rows, AreaRow, i).population;

        res->base[i] = pop >= 0 ? (double) pop : NAN;
      }
  for (guint i = 0; ok && i < n; i++)
    {
      if (opts->rate == GEO_HOTSPOT_RATE_NONE)
        res->value[i] = res->count[i];
      else if (res->base[i] > 0)
        res->value[i] = res->count[i] * 1000.0 / res->base[i];
      else
        res->value[i] = NAN;
      use[i] = !isnan (res->value[i]);
      n_used += use[i];
    }
  if (ok && opts->rate == GEO_HOTSPOT_RATE_POPULATION && n_used < 2)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "only %u of %u desa have a population: Gi* per population needs the areas' "
                   "population field",
                   n_used,
                   n);
      ok = FALSE;
    }

  /* Project the polygons to the UTM zone of their centre. */
  if (ok)
    {
      res->epsg = geo_grid_utm_epsg ((lon_min + lon_max) / 2, (lat_min + lat_max) / 2);
      wgs84 = OSRNewSpatialReference (NULL);
      utm = OSRNewSpatialReference (NULL);
      OSRImportFromEPSG (wgs84, 4326);
      OSRImportFromEPSG (utm, res->epsg);
      OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
      OSRSetAxisMappingStrategy (utm, OAMS_TRADITIONAL_GIS_ORDER);
      to_utm = OCTNewCoordinateTransformation (wgs84, utm);
      if (to_utm == NULL)
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_PROJ, "cannot transform to EPSG:%d", res->epsg);
          ok = FALSE;
        }
    }
  for (guint i = 0; ok && i < n; i++)
    {
      OGREnvelope env;
      g_auto(GeoOgrGeometry) c = OGR_G_CreateGeometry (wkbPoint);

      if (OGR_G_Transform (geom[i], to_utm) != OGRERR_NONE)
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_PROJ, "cannot project desa %s", res->code[i]);
          ok = FALSE;
          break;
        }
      OGR_G_GetEnvelope (geom[i], &env);
      boxes[i] = (Box){ env.MinX, env.MaxX, env.MinY, env.MaxY };
      if (OGR_G_Centroid (geom[i], c) != OGRERR_NONE)
        {
          cx[i] = (env.MinX + env.MaxX) / 2;
          cy[i] = (env.MinY + env.MaxY) / 2;
        }
      else
        {
          cx[i] = OGR_G_GetX (c, 0);
          cy[i] = OGR_G_GetY (c, 0);
        }
    }

  /* Weights. */
  if (ok && opts->weights == GEO_HOTSPOT_WEIGHTS_CONTIGUITY)
    {
      ContiguityData cd = { geom, opts->tolerance_m };

      ok = sweep_pairs (boxes,
                        use,
                        n,
                        opts->tolerance_m,
                        contiguity_test,
                        &cd,
                        edges,
                        cancellable,
                        error);
    }
  else if (ok)
    {
      g_autofree Box *points = g_new (Box, n);
      DistanceData    dd = { cx, cy, opts->band_m };

      if (!(dd.band > 0))
        dd.band = max_nearest_distance (cx, cy, use, n);
      res->band_m = dd.band;
      for (guint i = 0; i < n; i++)
        points[i] = (Box){ cx[i], cx[i], cy[i], cy[i] };
      ok = sweep_pairs (points, use, n, dd.band, distance_test, &dd, edges, cancellable, error);
    }
  for (guint i = 0; i < n; i++)
    if (geom[i] != NULL)
      OGR_G_DestroyGeometry (geom[i]);
  if (!ok)
    return NULL;
  neighbours_from_edges (&res->nb, n, edges);
  for (guint i = 0; i < n; i++)
    res->n_neighbours[i] = res->nb.start[i + 1] - res->nb.start[i];

  /* Gi* over the desa with data only. */
  {
    g_autofree guint  *sub = g_new (guint, n); /* row -> compact index */
    g_autofree double *x = g_new (double, MAX (n_used, 1));
    g_autofree double *z = g_new (double, MAX (n_used, 1));
    GeoNeighbours      snb = { n_used,
                               g_new0 (guint, n_used + 1),
                               g_new (guint, MAX (res->nb.start[n], 1)) };
    guint              m = 0, k = 0;

    for (guint i = 0; i < n; i++)
      sub[i] = use[i] ? m++ : G_MAXUINT;
    for (guint i = 0; i < n; i++)
      {
        if (!use[i])
          continue;
        x[sub[i]] = res->value[i];
        for (guint e = res->nb.start[i]; e < res->nb.start[i + 1]; e++)
          snb.index[k++] = sub[res->nb.index[e]];
        snb.start[sub[i] + 1] = k;
      }
    ok = geo_gistar (x, &snb, z, error);
    geo_neighbours_clear (&snb);
    if (!ok)
      return NULL;
    for (guint i = 0; i < n; i++)
      res->z[i] = use[i] ? z[sub[i]] : NAN;
  }
  geo_hotspot_finish_classes (res->z, n, opts->fdr, res->p, &res->p_fdr, res->klass);
  for (guint i = 0; i < n; i++)
    if (!use[i])
      res->klass[i] = GEO_HOTSPOT_NO_DATA;
  return g_steal_pointer (&res);
}
