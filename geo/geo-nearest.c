#include "config.h"

#include <math.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-nearest.h"
#include "geo-proj.h"
#include "geo-store-private.h"

void
geo_resources_free (GeoResources *res)
{
  if (res == NULL)
    return;
  g_free (res->id);
  g_free (res->type);
  g_free (res->lon);
  g_free (res->lat);
  g_free (res->radius_m);
  g_free (res->serves);
  for (guint i = 0; i < res->n; i++)
    {
      g_free (res->name[i]);
      g_free (res->desa_code[i]);
    }
  g_free (res->name);
  g_free (res->desa_code);
  g_free (res);
}

/**
 * geo_resources_load:
 * @type_mask: the PSKS types to load (GEO_TYPE_BIT), 0 = all
 *
 * Loads the resources with one scan of `resource` and one of `resource_serves`.
 */
GeoResources *
geo_resources_load (GeoStore *store, guint32 type_mask, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) serves = NULL;
  g_autoptr(GArray) id = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) type = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autoptr(GArray) lon = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) radius = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) name = g_ptr_array_new ();
  g_autoptr(GPtrArray) desa = g_ptr_array_new ();
  g_autoptr(GeoResources) res = g_new0 (GeoResources, 1);
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT id, type, name, radius_m, desa_code, ST_X (geom), ST_Y (geom) "
                            "FROM resource WHERE geom IS NOT NULL ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      int    t = sqlite3_column_int (stmt, 1);
      guint8 t8 = t;
      double r =
          sqlite3_column_type (stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 3);
      double x = sqlite3_column_double (stmt, 5), y = sqlite3_column_double (stmt, 6);

      if (t < 1 || t > 12 || (type_mask != 0 && (type_mask & GEO_TYPE_BIT (t)) == 0))
        continue;
      g_array_append_val (id, rid);
      g_array_append_val (type, t8);
      g_array_append_val (lon, x);
      g_array_append_val (lat, y);
      g_array_append_val (radius, r);
      g_ptr_array_add (name, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (desa, g_strdup ((const char *) sqlite3_column_text (stmt, 4)));
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading resources");
      return NULL;
    }
  res->n = id->len;
  res->id = (gint64 *) g_array_free (g_steal_pointer (&id), FALSE);
  res->type = (guint8 *) g_array_free (g_steal_pointer (&type), FALSE);
  res->lon = (double *) g_array_free (g_steal_pointer (&lon), FALSE);
  res->lat = (double *) g_array_free (g_steal_pointer (&lat), FALSE);
  res->radius_m = (double *) g_array_free (g_steal_pointer (&radius), FALSE);
  res->name = (char **) g_ptr_array_free (g_steal_pointer (&name), FALSE);
  res->desa_code = (char **) g_ptr_array_free (g_steal_pointer (&desa), FALSE);
  res->serves = g_new0 (guint32, MAX (res->n, 1));

  serves =
      geo_store_prepare (store,
                         "SELECT resource_id, category FROM resource_serves ORDER BY resource_id",
                         error);
  if (serves == NULL)
    return NULL;
  while ((rc = sqlite3_step (serves)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (serves, 0);
      int    c = sqlite3_column_int (serves, 1);
      guint  lo = 0, hi = res->n;

      if (c < 1 || c > GEO_PMKS_N_CATEGORIES)
        continue;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (res->id[mid] < rid)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < res->n && res->id[lo] == rid)
        res->serves[lo] |= GEO_CATEGORY_BIT (c);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the categories resources serve");
      return NULL;
    }
  for (guint i = 0; i < res->n; i++)
    if (res->serves[i] == 0)
      res->serves[i] = GEO_CATEGORY_ALL;
  return g_steal_pointer (&res);
}

/* An index over the resources whose masks are the categories they serve. */
GeoIndex *
geo_resources_build_index (const GeoResources *resources, GError **error)
{
  g_return_val_if_fail (resources != NULL, NULL);
  return geo_index_new (resources->lon, resources->lat, resources->serves, resources->n, error);
}

/**
 * geo_nearest_point:
 * @k: how many resources at most (>= 1)
 * @radius_m: only resources at most this far (geodesic metres), INFINITY = no limit
 * @category_mask: only resources serving one of these PMKS categories; 0 = any
 *
 * The @k nearest resources of (@lon, @lat), nearest first.
 * Returns: (transfer full) (element-type GeoIndexHit): hits whose items index @resources.
 */
GArray *
geo_nearest_point (const GeoResources *resources,
                   const GeoIndex     *index,
                   double              lon,
                   double              lat,
                   guint               k,
                   double              radius_m,
                   guint32             category_mask,
                   GError            **error)
{
  g_autoptr(GArray) hits = NULL;
  guint n;

  g_return_val_if_fail (resources != NULL && index != NULL, NULL);
  if (k == 0)
    {
      g_set_error_literal (error, GEO_ERROR, GEO_ERROR_INVALID, "k must be at least 1");
      return NULL;
    }
  if (isnan (radius_m) || radius_m < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The radius must be >= 0 m (got %g)",
                   radius_m);
      return NULL;
    }
  hits = g_array_sized_new (FALSE, FALSE, sizeof (GeoIndexHit), MIN (k, resources->n));
  g_array_set_size (hits, MIN (k, resources->n));
  n = geo_index_nearest (index,
                         lon,
                         lat,
                         MIN (k, MAX (resources->n, 1)),
                         radius_m,
                         category_mask != 0 ? category_mask : GEO_INDEX_ANY,
                         NULL,
                         NULL,
                         (GeoIndexHit *) hits->data,
                         error);
  if (n == 0 && error != NULL && *error != NULL)
    return NULL;
  g_array_set_size (hits, n);
  return g_steal_pointer (&hits);
}

void
geo_nearest_all_free (GeoNearestAll *result)
{
  if (result == NULL)
    return;
  g_free (result->resource);
  g_free (result->distance_m);
  g_free (result);
}

/* ---- nearest-all over a local plane ---------------------------------------------------
 *
 * The households and resources are mapped to a local equirectangular plane,
 *   x = (lon - lon0) * N(lat0) cos(lat0),  y = (lat - lat0) * M(lat0)   (radians to metres),
 * a few multiplications per point instead of a PROJ transformation. Along any curve the
 * ratio of its plane length to its length on the ellipsoid lies between the smallest and the
 * largest of M(lat0) / M(lat) and N(lat0) cos(lat0) / (N(lat) cos(lat)) over the curve's
 * latitudes (kmin, kmax). Hence for a household q and resources c, c1:
 *   - geodesic(q, c1) <= plane(q, c1) / kmin (the preimage of the plane segment is a curve
 *     whose latitudes lie between the two points'), and
 *   - plane(q, c) <= kmax * geodesic(q, c) (the chord is no longer than the image of the
 *     geodesic, whose latitudes stay within the box widened by a margin).
 * So a resource c can only be as near as c1 (geodesically) when plane(q, c) <=
 * kmax * geodesic(q, c1) <= (kmax / kmin) * plane(q, c1). For each distinct family mask a
 * uniform grid over the matching resources (sorted by cell, structure of arrays) is searched
 * ring by ring until no closer candidate can remain; PROJ's geod_inverse then runs on the
 * plane-nearest candidate and on the (rare) others within kmax * that geodesic distance.
 * Ties go to the lower resource index, like a brute-force scan. */

typedef struct
{
  double lon0, lat0, cx, cy; /* plane metres per degree */
  double kmax, kratio2;      /* kmax, (kmax / kmin)^2 widened for rounding */
} Plane;

typedef struct
{
  guint    n;
  int      nx, ny;
  double   x0, y0, cell, inv_cell;
  guint   *start; /* nx * ny + 1 */
  double  *x, *y; /* by cell */
  guint32 *item;
} MaskGrid;

#define WGS84_A 6378137.0
#define WGS84_E2 (2 / 298.257223563 - 1 / (298.257223563 * 298.257223563))

static double
meridian_radius (double lat_rad)
{
  double s = sin (lat_rad), w = 1 - WGS84_E2 * s * s;

  return WGS84_A * (1 - WGS84_E2) / (w * sqrt (w));
}

static double
parallel_radius (double lat_rad) /* N cos(lat) */
{
  double s = sin (lat_rad);

  return WGS84_A * cos (lat_rad) / sqrt (1 - WGS84_E2 * s * s);
}

/* The extreme scale ratios over [lo, hi] (degrees): M and N cos are monotone in |lat|. */
static void
plane_ratios (const Plane *pl, double lo, double hi, double *kmin, double *kmax)
{
  double lats[3] = { lo, hi, lo < 0 && hi > 0 ? 0 : lo };
  double rad = G_PI / 180;

  *kmin = INFINITY;
  *kmax = 0;
  for (guint i = 0; i < 3; i++)
    {
      double a = pl->cy / rad / meridian_radius (lats[i] * rad);
      double b = pl->cx / rad / parallel_radius (lats[i] * rad);

      *kmin = MIN (*kmin, MIN (a, b));
      *kmax = MAX (*kmax, MAX (a, b));
    }
}

/* Sets up the plane for the lon/lat box holding every household and resource; FALSE when
 * the box is too large for it (the UTM tree then answers). */
static gboolean
plane_init (Plane *pl, const double *box)
{
  double rad = G_PI / 180, kmin, kmax, diag, theta, margin;

  if (!(box[2] - box[0] <= 30 && box[3] - box[1] <= 30 && box[1] >= -70 && box[3] <= 70))
    return FALSE;
  pl->lon0 = (box[0] + box[2]) / 2;
  pl->lat0 = (box[1] + box[3]) / 2;
  pl->cx = parallel_radius (pl->lat0 * rad) * rad;
  pl->cy = meridian_radius (pl->lat0 * rad) * rad;
  /* Geodesics that matter are no longer than the box's diagonal / kmin; one of length
   * theta (radians of arc) overshoots its end points' latitudes by less than
   * theta^2 / (8 cos lat) on the sphere: take theta^2 as the margin. */
  plane_ratios (pl, box[1], box[3], &kmin, &kmax);
  diag = hypot ((box[2] - box[0]) * pl->cx, (box[3] - box[1]) * pl->cy);
  theta = diag / kmin / 6.3e6;
  margin = theta * theta / rad + 1e-9;
  plane_ratios (pl, box[1] - margin, box[3] + margin, &kmin, &kmax);
  pl->kmax = kmax * (1 + 1e-12);
  pl->kratio2 = (kmax / kmin) * (kmax / kmin) * (1 + 1e-9);
  return TRUE;
}

static void
mask_grid_free (gpointer data)
{
  MaskGrid *g = data;

  g_free (g->start);
  g_free (g->x);
  g_free (g->y);
  g_free (g->item);
  g_free (g);
}

/* A grid over the resources serving one of @mask's categories, about one per cell. */
static MaskGrid *
mask_grid_new (const Plane *pl, const GeoResources *res, guint32 mask)
{
  MaskGrid           *g = g_new0 (MaskGrid, 1);
  g_autofree double  *px = g_new (double, MAX (res->n, 1));
  g_autofree double  *py = g_new (double, MAX (res->n, 1));
  g_autofree guint   *cell = g_new (guint, MAX (res->n, 1));
  g_autofree guint32 *items = g_new (guint32, MAX (res->n, 1));
  double              b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  double              w, h;
  guint               n = 0, nc;

  for (guint i = 0; i < res->n; i++)
    if ((res->serves[i] & mask) != 0 && isfinite (res->lon[i]) && isfinite (res->lat[i]))
      {
        px[n] = (res->lon[i] - pl->lon0) * pl->cx;
        py[n] = (res->lat[i] - pl->lat0) * pl->cy;
        items[n] = i;
        b[0] = MIN (b[0], px[n]);
        b[1] = MIN (b[1], py[n]);
        b[2] = MAX (b[2], px[n]);
        b[3] = MAX (b[3], py[n]);
        n++;
      }
  g->n = n;
  if (n == 0)
    {
      g->nx = g->ny = 0;
      return g;
    }
  w = b[2] - b[0];
  h = b[3] - b[1];
  g->cell = MAX (sqrt (MAX (w, 1.0) * MAX (h, 1.0) / n), 1.0);
  g->nx = CLAMP ((int) (w / g->cell) + 1, 1, 2048);
  g->ny = CLAMP ((int) (h / g->cell) + 1, 1, 2048);
  g->cell = MAX (g->cell, MAX (w / g->nx, h / g->ny) * (1 + 1e-9));
  g->inv_cell = 1 / g->cell;
  g->x0 = b[0];
  g->y0 = b[1];
  nc = (guint) g->nx * g->ny;
  g->start = g_new0 (guint, nc + 1);
  for (guint i = 0; i < n; i++)
    {
      int cx = CLAMP ((int) ((px[i] - g->x0) * g->inv_cell), 0, g->nx - 1);
      int cy = CLAMP ((int) ((py[i] - g->y0) * g->inv_cell), 0, g->ny - 1);

      cell[i] = (guint) cy * g->nx + cx;
      g->start[cell[i] + 1]++;
    }
  for (guint c = 0; c < nc; c++)
    g->start[c + 1] += g->start[c];
  g->x = g_new (double, n);
  g->y = g_new (double, n);
  g->item = g_new (guint32, n);
  {
    g_autofree guint *fill = g_memdup2 (g->start, sizeof (guint) * nc);

    for (guint i = 0; i < n; i++) /* ascending items within each cell */
      {
        guint p = fill[cell[i]]++;

        g->x[p] = px[i];
        g->y[p] = py[i];
        g->item[p] = items[i];
      }
  }
  return g;
}

typedef struct
{
  double  d2;
  guint32 item;
} Cand;

typedef struct
{
  Cand  *c;
  guint  n, cap;
  double best2, limit2; /* nearest plane d2 so far; kratio2 * best2 */
} CandList;

static inline void
scan_range (const MaskGrid *g, guint a, guint b, double qx, double qy, CandList *cl, double kr2)
{
  for (guint p = a; p < b; p++)
    {
      double dx = g->x[p] - qx, dy = g->y[p] - qy;
      double d2 = dx * dx + dy * dy;

      if (d2 > cl->limit2)
        continue;
      if (cl->n == cl->cap)
        {
          guint k = 0;

          /* Drop the candidates the nearer ones found since have ruled out, then grow. */
          for (guint i = 0; i < cl->n; i++)
            if (cl->c[i].d2 <= cl->limit2)
              cl->c[k++] = cl->c[i];
          cl->n = k;
          if (cl->n == cl->cap)
            {
              cl->cap *= 2;
              cl->c = g_renew (Cand, cl->c, cl->cap);
            }
        }
      cl->c[cl->n].d2 = d2;
      cl->c[cl->n].item = g->item[p];
      cl->n++;
      if (d2 < cl->best2)
        {
          cl->best2 = d2;
          cl->limit2 = d2 * kr2;
        }
    }
}

/* The nearest resource of (lon, lat) in @g by geodesic distance; -1 when @g is empty. */
static gint32
plane_nearest (const Plane        *pl,
               const MaskGrid     *g,
               const GeoResources *res,
               double              lon,
               double              lat,
               CandList           *cl,
               double             *distance)
{
  double qx = (lon - pl->lon0) * pl->cx, qy = (lat - pl->lat0) * pl->cy;
  double fx, fy, g1, r2;
  int    ix, iy, rmax, r;
  gint32 best = -1;
  guint  first = 0;

  *distance = NAN;
  if (g->n == 0)
    return -1;
  fx = CLAMP (floor ((qx - g->x0) * g->inv_cell), -1e6, 1e6);
  fy = CLAMP (floor ((qy - g->y0) * g->inv_cell), -1e6, 1e6);
  ix = (int) fx;
  iy = (int) fy;
  rmax = MAX (MAX (ix, g->nx - 1 - ix), MAX (iy, g->ny - 1 - iy));
  r = MAX (MAX (-ix, ix - (g->nx - 1)), MAX (-iy, iy - (g->ny - 1)));
  r = MAX (r, 0);
  cl->n = 0;
  cl->best2 = cl->limit2 = INFINITY;
  for (; r <= rmax; r++)
    {
      int x_lo = MAX (ix - r, 0), x_hi = MIN (ix + r, g->nx - 1);

      if (r > 0)
        {
          /* Every cell of ring r lies outside the square of rings < r around q's cell. */
          double gap =
              MIN (MIN (qx - (g->x0 + (ix - r + 1) * g->cell), g->x0 + (ix + r) * g->cell - qx),
                   MIN (qy - (g->y0 + (iy - r + 1) * g->cell), g->y0 + (iy + r) * g->cell - qy));

          if (gap > 0 && gap * gap > cl->limit2)
            break;
        }
      if (x_lo <= x_hi)
        {
          if (iy - r >= 0 && iy - r < g->ny)
            scan_range (g,
                        g->start[(iy - r) * g->nx + x_lo],
                        g->start[(iy - r) * g->nx + x_hi + 1],
                        qx,
                        qy,
                        cl,
                        pl->kratio2);
          if (r > 0 && iy + r >= 0 && iy + r < g->ny)
            scan_range (g,
                        g->start[(iy + r) * g->nx + x_lo],
                        g->start[(iy + r) * g->nx + x_hi + 1],
                        qx,
                        qy,
                        cl,
                        pl->kratio2);
        }
      if (r > 0)
        {
          int y_lo = MAX (iy - r + 1, 0), y_hi = MIN (iy + r - 1, g->ny - 1);

          for (int y = y_lo; y <= y_hi && (ix - r >= 0 || ix + r < g->nx); y++)
            {
              if (ix - r >= 0 && ix - r < g->nx)
                {
                  guint c = (guint) y * g->nx + ix - r;

                  scan_range (g, g->start[c], g->start[c + 1], qx, qy, cl, pl->kratio2);
                }
              if (ix + r >= 0 && ix + r < g->nx)
                {
                  guint c = (guint) y * g->nx + ix + r;

                  scan_range (g, g->start[c], g->start[c + 1], qx, qy, cl, pl->kratio2);
                }
            }
        }
    }
  /* Exact geodesic on the plane-nearest, then on any other that could still beat it. */
  for (guint i = 0; i < cl->n; i++)
    if (cl->c[i].d2 < cl->c[first].d2 ||
        (cl->c[i].d2 == cl->c[first].d2 && cl->c[i].item < cl->c[first].item))
      first = i;
  best = cl->c[first].item;
  g1 = geo_geodesic_distance (lon, lat, res->lon[best], res->lat[best]);
  r2 = pl->kmax * g1;
  r2 = r2 * r2 * (1 + 1e-9) + 1e-9;
  *distance = g1;
  for (guint i = 0; i < cl->n; i++)
    if (i != first && cl->c[i].d2 <= r2)
      {
        guint32 item = cl->c[i].item;
        double  d = geo_geodesic_distance (lon, lat, res->lon[item], res->lat[item]);

        if (d < *distance || (d == *distance && (gint32) item < best))
          {
            *distance = d;
            best = item;
          }
      }
  return best;
}

typedef struct
{
  const GeoIndex     *index;
  const GeoResources *resources;
  const Plane        *plane;   /* NULL: the UTM tree answers */
  MaskGrid          **grids;   /* by grid id, with the plane */
  const guint16      *grid_of; /* per point, with the plane */
  const double       *lon;
  const double       *lat;
  const guint32      *masks;
  guint32             category_mask;
  guint               start, end;
  GeoNearestAll      *out;
  GCancellable       *cancellable;
  GError             *error;
} NearestJob;

#define BLOCK 8192

static gpointer
plane_worker (gpointer data)
{
  NearestJob *job = data;
  CandList    cl = { g_new (Cand, 16), 0, 16, INFINITY, INFINITY };

  for (guint b = job->start; b < job->end; b += BLOCK)
    {
      guint n = MIN (BLOCK, job->end - b);

      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        break;
      for (guint f = b; f < b + n; f++)
        {
          double d;

          if (!isfinite (job->lon[f]) || !isfinite (job->lat[f]))
            {
              job->out->resource[f] = -1;
              job->out->distance_m[f] = NAN;
              continue;
            }
          job->out->resource[f] = plane_nearest (job->plane,
                                                 job->grids[job->grid_of[f]],
                                                 job->resources,
                                                 job->lon[f],
                                                 job->lat[f],
                                                 &cl,
                                                 &d);
          job->out->distance_m[f] = d;
        }
    }
  g_free (cl.c);
  return NULL;
}

static gpointer
nearest_worker (gpointer data)
{
  NearestJob *job = data;
  double      x[BLOCK], y[BLOCK];
  int         epsg = geo_index_get_epsg (job->index);

  for (guint b = job->start; b < job->end; b += BLOCK)
    {
      guint n = MIN (BLOCK, job->end - b);

      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        return NULL;
      if (!geo_proj_lonlat_to_utm (epsg, job->lon + b, job->lat + b, x, y, n, &job->error))
        return NULL;
      for (guint i = 0; i < n; i++)
        {
          guint       f = b + i;
          guint32     mask = job->category_mask != 0 ? job->category_mask
                             : job->masks != NULL    ? job->masks[f]
                                                     : 0;
          GeoIndexHit hit;

          if (mask == 0)
            mask = GEO_INDEX_ANY;
          if (geo_index_nearest_xy (job->index,
                                    job->lon[f],
                                    job->lat[f],
                                    x[i],
                                    y[i],
                                    1,
                                    INFINITY,
                                    mask,
                                    NULL,
                                    NULL,
                                    &hit) == 1)
            {
              job->out->resource[f] = hit.item;
              job->out->distance_m[f] = hit.distance_m;
            }
          else
            {
              job->out->resource[f] = -1;
              job->out->distance_m[f] = NAN;
            }
        }
    }
  return NULL;
}

/**
 * geo_nearest_all:
 * @lon, @lat: (array length=n): the query points (families), EPSG:4326
 * @family_masks: (nullable): per point, the PMKS categories whose service counts (the
 *   union of the family's selected persons' categories); 0 or %NULL = any resource
 * @category_mask: when not 0, used for every point instead of @family_masks
 * @n_threads: worker threads, 0 = one per processor
 *
 * For every point, the nearest resource of @resources serving one of its categories, by
 * geodesic distance on WGS84 (ties: the lower resource index). When the points and
 * resources fit a box of 30 x 30 degrees below 70 degrees of latitude, the search runs over a
 * local plane with one grid per distinct mask (see plane_nearest above); otherwise over
 * @index (built by geo_resources_build_index), each thread projecting its points to UTM in
 * blocks. The points are cut into @n_threads contiguous parts.
 */
GeoNearestAll *
geo_nearest_all (const GeoResources *resources,
                 GeoIndex           *index,
                 const double       *lon,
                 const double       *lat,
                 const guint32      *family_masks,
                 guint               n,
                 guint32             category_mask,
                 guint               n_threads,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autoptr(GeoNearestAll) out = g_new0 (GeoNearestAll, 1);
  g_autofree NearestJob *jobs = NULL;
  g_autofree GThread   **threads = NULL;
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func (mask_grid_free);
  g_autofree guint16 *grid_of = NULL;
  gint64              t0 = g_get_monotonic_time ();
  gboolean            ok = TRUE;
  Plane               plane;
  gboolean            use_plane = FALSE;
  double              e[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

  g_return_val_if_fail (resources != NULL && index != NULL, NULL);
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX (1, n / 4096 + 1));
  out->n = n;
  out->resource = g_new (gint32, MAX (n, 1));
  out->distance_m = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    if (isfinite (lon[i]) && isfinite (lat[i]))
      {
        e[0] = MIN (e[0], lon[i]);
        e[1] = MIN (e[1], lat[i]);
        e[2] = MAX (e[2], lon[i]);
        e[3] = MAX (e[3], lat[i]);
      }
  if (n > 0 && e[0] <= e[2])
    {
      double b[4] = { e[0], e[1], e[2], e[3] };

      /* The scale bound over every query point, so no query has to widen it on its own. */
      geo_index_extend_extent (index, e[0], e[1], e[2], e[3]);
      for (guint i = 0; i < resources->n; i++)
        if (isfinite (resources->lon[i]) && isfinite (resources->lat[i]))
          {
            b[0] = MIN (b[0], resources->lon[i]);
            b[1] = MIN (b[1], resources->lat[i]);
            b[2] = MAX (b[2], resources->lon[i]);
            b[3] = MAX (b[3], resources->lat[i]);
          }
      use_plane = plane_init (&plane, b);
    }
  if (use_plane)
    {
      g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
      guint32 last = 0;
      guint16 last_id = 0;
      guint   single[32] = { 0 }; /* grid id + 1 of the one-category masks */

      /* One grid per distinct mask (at most 4096, else the tree answers). */
      grid_of = g_new (guint16, MAX (n, 1));
      for (guint i = 0; i < n && use_plane; i++)
        {
          guint32  m = category_mask != 0     ? category_mask
                       : family_masks != NULL ? family_masks[i]
                                              : 0;
          gpointer v;

          if (m == 0)
            m = GEO_INDEX_ANY;
          if (i == 0 || m != last)
            {
              int bit = (m & (m - 1)) == 0 ? g_bit_nth_lsf (m, -1) : -1;

              if (bit >= 0 && single[bit] != 0)
                last_id = single[bit] - 1;
              else if (g_hash_table_lookup_extended (ids, GUINT_TO_POINTER (m), NULL, &v))
                last_id = GPOINTER_TO_UINT (v);
              else if (grids->len < 4096)
                {
                  last_id = grids->len;
                  g_ptr_array_add (grids, mask_grid_new (&plane, resources, m));
                  g_hash_table_insert (ids, GUINT_TO_POINTER (m), GUINT_TO_POINTER (last_id));
                  if (bit >= 0)
                    single[bit] = last_id + 1;
                }
              else
                use_plane = FALSE;
              last = m;
            }
          grid_of[i] = last_id;
        }
    }

  jobs = g_new0 (NearestJob, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (NearestJob){ .index = index,
                              .resources = resources,
                              .plane = use_plane ? &plane : NULL,
                              .grids = (MaskGrid **) grids->pdata,
                              .grid_of = grid_of,
                              .lon = lon,
                              .lat = lat,
                              .masks = family_masks,
                              .category_mask = category_mask,
                              .start = (guint) ((guint64) n * t / n_threads),
                              .end = (guint) ((guint64) n * (t + 1) / n_threads),
                              .out = out,
                              .cancellable = cancellable };
      if (t > 0)
        threads[t] =
            g_thread_new ("jangkau-nearest", use_plane ? plane_worker : nearest_worker, &jobs[t]);
    }
  /* the calling thread takes the first part */
  if (use_plane)
    plane_worker (&jobs[0]);
  else
    nearest_worker (&jobs[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  for (guint t = 0; t < n_threads; t++)
    if (jobs[t].error != NULL)
      {
        if (ok)
          g_propagate_error (error, g_steal_pointer (&jobs[t].error));
        g_clear_error (&jobs[t].error);
        ok = FALSE;
      }
  if (!ok)
    return NULL;
  out->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&out);
}
