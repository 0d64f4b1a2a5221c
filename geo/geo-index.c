#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo-error.h"
#include "geo-index.h"
#include "geo-proj.h"

/* Ranges of at most this many points are scanned, not split. */
#define LEAF_SIZE 8

struct _GeoIndex
{
  guint  n;
  int    epsg;
  double kmax;   /* scale bound over ext */
  double ext[4]; /* lon/lat extent of the points and of any extent added */

  /* In tree order: the median of a range [lo, hi] sits at (lo + hi) / 2. */
  guint32 *item;
  double  *xy; /* 2 per point, UTM metres */
  guint32 *mask;
  guint32 *node_mask; /* at the median's position: the union of the masks of its range */
  double   box[4];    /* projected extent of the points */

  /* By item, for the geodesic distances. */
  double *lon;
  double *lat;
};

static inline void
swap_points (GeoIndex *idx, guint a, guint b)
{
  guint32 ti = idx->item[a];
  guint32 tm = idx->mask[a];
  double  tx = idx->xy[2 * a], ty = idx->xy[2 * a + 1];

  idx->item[a] = idx->item[b];
  idx->mask[a] = idx->mask[b];
  idx->xy[2 * a] = idx->xy[2 * b];
  idx->xy[2 * a + 1] = idx->xy[2 * b + 1];
  idx->item[b] = ti;
  idx->mask[b] = tm;
  idx->xy[2 * b] = tx;
  idx->xy[2 * b + 1] = ty;
}

/* Quickselect: puts the k-th smallest coordinate of [lo, hi] on @axis at k, smaller ones
 * before it and larger ones after it. */
static void
select_kth (GeoIndex *idx, guint lo, guint hi, guint k, int axis)
{
  double *xy = idx->xy;

  while (hi > lo)
    {
      guint  mid = lo + (hi - lo) / 2;
      double pivot;
      guint  i, j;

      /* Median of three as the pivot, moved to lo. */
      if (xy[2 * mid + axis] < xy[2 * lo + axis])
        swap_points (idx, mid, lo);
      if (xy[2 * hi + axis] < xy[2 * lo + axis])
        swap_points (idx, hi, lo);
      if (xy[2 * hi + axis] < xy[2 * mid + axis])
        swap_points (idx, hi, mid);
      swap_points (idx, lo, mid);
      pivot = xy[2 * lo + axis];

      /* Hoare partition of (lo, hi]. */
      i = lo;
      j = hi + 1;
      for (;;)
        {
          do
            i++;
          while (i <= hi && xy[2 * i + axis] < pivot);
          do
            j--;
          while (xy[2 * j + axis] > pivot);
          if (i >= j)
            break;
          swap_points (idx, i, j);
        }
      swap_points (idx, lo, j);
      if (j == k)
        return;
      if (j < k)
        lo = j + 1;
      else
        hi = j - 1;
    }
}

static guint32
build (GeoIndex *idx, guint lo, guint hi, int axis)
{
  guint   m;
  guint32 mask;

  if (hi - lo + 1 <= LEAF_SIZE)
    {
      mask = 0;
      for (guint i = lo; i <= hi; i++)
        mask |= idx->mask[i];
      return mask;
    }
  m = lo + (hi - lo) / 2;
  select_kth (idx, lo, hi, m, axis);
  mask = idx->mask[m];
  if (m > lo)
    mask |= build (idx, lo, m - 1, 1 - axis);
  mask |= build (idx, m + 1, hi, 1 - axis);
  idx->node_mask[m] = mask;
  return mask;
}

/**
 * geo_index_new:
 * @lon: (array length=n): EPSG:4326 longitudes
 * @lat: (array length=n): latitudes
 * @masks: (nullable) (array length=n): each point's mask; %NULL = %GEO_INDEX_ANY for all
 * @n: the number of points (0 is allowed: every query then finds nothing)
 *
 * Projects the points to the UTM zone of their extent's centre and builds the tree. The
 * index keeps its own copies.
 */
GeoIndex *
geo_index_new (const double *lon, const double *lat, const guint32 *masks, guint n, GError **error)
{
  g_autoptr(GeoIndex) idx = g_new0 (GeoIndex, 1);
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;

  idx->n = n;
  idx->item = g_new (guint32, MAX (n, 1));
  idx->xy = g_new (double, 2 * MAX (n, 1));
  idx->mask = g_new (guint32, MAX (n, 1));
  idx->node_mask = g_new0 (guint32, MAX (n, 1));
  idx->lon = g_memdup2 (lon, sizeof (double) * n);
  idx->lat = g_memdup2 (lat, sizeof (double) * n);

  idx->ext[0] = idx->ext[1] = INFINITY;
  idx->ext[2] = idx->ext[3] = -INFINITY;
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (lon[i]) || !isfinite (lat[i]) || fabs (lat[i]) > 90 || fabs (lon[i]) > 180)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "Point %u has no valid coordinates (%g, %g)",
                       i,
                       lon[i],
                       lat[i]);
          return NULL;
        }
      idx->ext[0] = MIN (idx->ext[0], lon[i]);
      idx->ext[1] = MIN (idx->ext[1], lat[i]);
      idx->ext[2] = MAX (idx->ext[2], lon[i]);
      idx->ext[3] = MAX (idx->ext[3], lat[i]);
    }
  if (n == 0)
    {
      /* Any zone will do; queries find nothing. */
      idx->epsg = 32749;
      idx->ext[0] = idx->ext[2] = 111.0;
      idx->ext[1] = idx->ext[3] = -7.0;
    }
  else
    idx->epsg = geo_utm_epsg_for ((idx->ext[0] + idx->ext[2]) / 2, (idx->ext[1] + idx->ext[3]) / 2);
  idx->kmax = geo_utm_scale_bound (idx->epsg, idx->ext[0], idx->ext[1], idx->ext[2], idx->ext[3]);

  x = g_new (double, MAX (n, 1));
  y = g_new (double, MAX (n, 1));
  if (!geo_proj_lonlat_to_utm (idx->epsg, lon, lat, x, y, n, error))
    return NULL;
  idx->box[0] = idx->box[1] = INFINITY;
  idx->box[2] = idx->box[3] = -INFINITY;
  for (guint i = 0; i < n; i++)
    {
      idx->item[i] = i;
      idx->xy[2 * i] = x[i];
      idx->xy[2 * i + 1] = y[i];
      idx->mask[i] = masks != NULL ? masks[i] : GEO_INDEX_ANY;
      idx->box[0] = MIN (idx->box[0], x[i]);
      idx->box[1] = MIN (idx->box[1], y[i]);
      idx->box[2] = MAX (idx->box[2], x[i]);
      idx->box[3] = MAX (idx->box[3], y[i]);
    }
  if (n > 0)
    build (idx, 0, n - 1, 0);
  return g_steal_pointer (&idx);
}

void
geo_index_free (GeoIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->item);
  g_free (index->xy);
  g_free (index->mask);
  g_free (index->node_mask);
  g_free (index->lon);
  g_free (index->lat);
  g_free (index);
}

guint
geo_index_get_size (const GeoIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->n;
}

/* The UTM CRS (EPSG code) of the tree's coordinates: the x, y given to the _xy queries. */
int
geo_index_get_epsg (const GeoIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->epsg;
}

/**
 * geo_index_extend_extent:
 *
 * Widens the extent over which the index bounds the projection's scale to hold the query
 * points to come (e.g. all households), so that queries inside it use the precomputed
 * bound. Queries outside the extent stay exact, at the cost of a few more operations.
 */
void
geo_index_extend_extent (
    GeoIndex *index, double min_lon, double min_lat, double max_lon, double max_lat)
{
  g_return_if_fail (index != NULL);
  index->ext[0] = MIN (index->ext[0], min_lon);
  index->ext[1] = MIN (index->ext[1], min_lat);
  index->ext[2] = MAX (index->ext[2], max_lon);
  index->ext[3] = MAX (index->ext[3], max_lat);
  index->kmax =
      geo_utm_scale_bound (index->epsg, index->ext[0], index->ext[1], index->ext[2], index->ext[3]);
}

static inline double
kmax_for (const GeoIndex *idx, double lon, double lat)
{
  if (lon >= idx->ext[0] && lon <= idx->ext[2] && lat >= idx->ext[1] && lat <= idx->ext[3])
    return idx->kmax;
  return geo_utm_scale_bound (idx->epsg,
                              MIN (idx->ext[0], lon),
                              MIN (idx->ext[1], lat),
                              MAX (idx->ext[2], lon),
                              MAX (idx->ext[3], lat));
}

/* ---- projected searches ------------------------------------------------------------- */

typedef struct
{
  const GeoIndex   *idx;
  double            qx, qy;
  guint32           qmask;
  GeoIndexPredicate predicate;
  gpointer          user_data;

  /* k nearest: sorted ascending by d2 */
  guint    k;
  guint    count;
  double   bound2;
  guint32 *pos;
  double  *d2;

  /* range */
  GArray *found; /* guint32 tree positions */
} Search;

static inline gboolean
matches (const Search *s, guint p)
{
  return (s->idx->mask[p] & s->qmask) != 0 &&
         (s->predicate == NULL || s->predicate (s->idx->item[p], s->user_data));
}

static inline double
box_dist2 (const Search *s, const double *b)
{
  double dx = s->qx < b[0] ? b[0] - s->qx : (s->qx > b[2] ? s->qx - b[2] : 0);
  double dy = s->qy < b[1] ? b[1] - s->qy : (s->qy > b[3] ? s->qy - b[3] : 0);

  return dx * dx + dy * dy;
}

static inline void
knn_offer (Search *s, guint p)
{
  double dx = s->idx->xy[2 * p] - s->qx;
  double dy = s->idx->xy[2 * p + 1] - s->qy;
  double d2 = dx * dx + dy * dy;
  guint  i;

  if (d2 > s->bound2 || !matches (s, p))
    return;
  if (s->count == s->k && d2 >= s->d2[s->k - 1])
    return;
  i = s->count < s->k ? s->count++ : s->k - 1;
  while (i > 0 && s->d2[i - 1] > d2)
    {
      s->d2[i] = s->d2[i - 1];
      s->pos[i] = s->pos[i - 1];
      i--;
    }
  s->d2[i] = d2;
  s->pos[i] = p;
  if (s->count == s->k)
    s->bound2 = MIN (s->bound2, s->d2[s->k - 1]);
}

static void
knn (Search *s, guint lo, guint hi, int axis, const double *box)
{
  const GeoIndex *idx = s->idx;
  double          sub[4];
  guint           m;
  double          split;

  if (box_dist2 (s, box) > s->bound2)
    return;
  if (hi - lo + 1 <= LEAF_SIZE)
    {
      for (guint p = lo; p <= hi; p++)
        knn_offer (s, p);
      return;
    }
  m = lo + (hi - lo) / 2;
  if ((idx->node_mask[m] & s->qmask) == 0)
    return;
  knn_offer (s, m);
  split = idx->xy[2 * m + axis];
  memcpy (sub, box, sizeof sub);
  if ((axis == 0 ? s->qx : s->qy) < split)
    {
      if (m > lo)
        {
          sub[2 + axis] = split;
          knn (s, lo, m - 1, 1 - axis, sub);
        }
      memcpy (sub, box, sizeof sub);
      sub[axis] = split;
      knn (s, m + 1, hi, 1 - axis, sub);
    }
  else
    {
      sub[axis] = split;
      knn (s, m + 1, hi, 1 - axis, sub);
      if (m > lo)
        {
          memcpy (sub, box, sizeof sub);
          sub[2 + axis] = split;
          knn (s, lo, m - 1, 1 - axis, sub);
        }
    }
}

/* Collects the matching points within sqrt(bound2) metres (projected) into s->found. */
static void
range (Search *s, guint lo, guint hi, int axis, const double *box)
{
  const GeoIndex *idx = s->idx;
  double          sub[4];
  guint           m;
  double          split;

  if (box_dist2 (s, box) > s->bound2)
    return;
  if (hi - lo + 1 <= LEAF_SIZE)
    {
      for (guint32 p = lo; p <= hi; p++)
        {
          double dx = idx->xy[2 * p] - s->qx, dy = idx->xy[2 * p + 1] - s->qy;

          if (dx * dx + dy * dy <= s->bound2 && matches (s, p))
            g_array_append_val (s->found, p);
        }
      return;
    }
  m = lo + (hi - lo) / 2;
  if ((idx->node_mask[m] & s->qmask) == 0)
    return;
  {
    double  dx = idx->xy[2 * m] - s->qx, dy = idx->xy[2 * m + 1] - s->qy;
    guint32 p = m;

    if (dx * dx + dy * dy <= s->bound2 && matches (s, m))
      g_array_append_val (s->found, p);
  }
  split = idx->xy[2 * m + axis];
  if (m > lo)
    {
      memcpy (sub, box, sizeof sub);
      sub[2 + axis] = split;
      range (s, lo, m - 1, 1 - axis, sub);
    }
  memcpy (sub, box, sizeof sub);
  sub[axis] = split;
  range (s, m + 1, hi, 1 - axis, sub);
}

/* Collects every point inside the projected rectangle r (no mask, no predicate). */
static void
rect (const GeoIndex *idx, guint lo, guint hi, int axis, const double *r, GArray *found)
{
  guint  m;
  double split;

  if (hi - lo + 1 <= LEAF_SIZE)
    {
      for (guint32 p = lo; p <= hi; p++)
        {
          double x = idx->xy[2 * p], y = idx->xy[2 * p + 1];

          if (x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3])
            g_array_append_val (found, p);
        }
      return;
    }
  m = lo + (hi - lo) / 2;
  split = idx->xy[2 * m + axis];
  {
    double  x = idx->xy[2 * m], y = idx->xy[2 * m + 1];
    guint32 p = m;

    if (x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3])
      g_array_append_val (found, p);
  }
  if (m > lo && r[axis] <= split)
    rect (idx, lo, m - 1, 1 - axis, r, found);
  if (r[2 + axis] >= split)
    rect (idx, m + 1, hi, 1 - axis, r, found);
}

static int
hit_cmp (const void *a, const void *b)
{
  const GeoIndexHit *x = a, *y = b;

  if (x->distance_m != y->distance_m)
    return x->distance_m < y->distance_m ? -1 : 1;
  return (x->item > y->item) - (x->item < y->item);
}

/**
 * geo_index_nearest_xy:
 * @lon, @lat: the query point, EPSG:4326
 * @x, @y: the same point in the index's UTM CRS (geo_index_get_epsg), in metres
 * @k: how many points at most (>= 1)
 * @max_distance_m: only points at most this far (geodesic metres); INFINITY = no limit
 * @mask: points match when their mask shares a bit with it (%GEO_INDEX_ANY: every point)
 * @predicate: (nullable): a further test of a candidate's item
 * @hits: (out caller-allocates) (array length=k): the hits, nearest first (ties by item)
 *
 * The k nearest matching points by geodesic distance on WGS84. Thread-safe, no allocation
 * for k < 64. Returns the number of hits.
 */
guint
geo_index_nearest_xy (const GeoIndex   *index,
                      double            lon,
                      double            lat,
                      double            x,
                      double            y,
                      guint             k,
                      double            max_distance_m,
                      guint32           mask,
                      GeoIndexPredicate predicate,
                      gpointer          user_data,
                      GeoIndexHit      *hits)
{
  guint32                 pos_stack[64];
  double                  d2_stack[64];
  GeoIndexHit             cand_stack[64];
  g_autofree guint32     *pos_heap = NULL;
  g_autofree double      *d2_heap = NULL;
  g_autofree GeoIndexHit *cand_heap = NULL;
  GeoIndexHit            *cand;
  Search                  s = { 0 };
  double                  kq, gmax = 0, limit2;
  guint                   nk, n_cand = 0;

  g_return_val_if_fail (index != NULL, 0);
  if (k == 0 || index->n == 0)
    return 0;
  kq = kmax_for (index, lon, lat);
  s.idx = index;
  s.qx = x;
  s.qy = y;
  s.qmask = mask;
  s.predicate = predicate;
  s.user_data = user_data;
  s.k = k + 1;
  limit2 = isfinite (max_distance_m) ? pow (kq * max_distance_m + 1e-6, 2) : INFINITY;
  s.bound2 = limit2;
  if (s.k <= G_N_ELEMENTS (pos_stack))
    {
      s.pos = pos_stack;
      s.d2 = d2_stack;
      cand = cand_stack;
    }
  else
    {
      s.pos = pos_heap = g_new (guint32, s.k);
      s.d2 = d2_heap = g_new (double, s.k);
      cand = cand_heap = g_new (GeoIndexHit, s.k);
    }
  knn (&s, 0, index->n - 1, 0, index->box);

  nk = MIN (s.count, k);
  for (guint i = 0; i < nk; i++)
    {
      guint item = index->item[s.pos[i]];

      cand[i].item = item;
      cand[i].distance_m = geo_geodesic_distance (lon, lat, index->lon[item], index->lat[item]);
      gmax = MAX (gmax, cand[i].distance_m);
    }
  n_cand = nk;

  /* A point beyond the k + 1 projected nearest is at least d(k+1) / kq away (geodesic). When
   * that is not beyond the k-th geodesic distance, gather every point that could still beat
   * or tie it (ties go to the lower item) and rank them all. */
  if (s.count == s.k && sqrt (s.d2[k]) <= kq * gmax)
    {
      g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_autofree GeoIndexHit *all = NULL;

      s.found = found;
      s.bound2 = MIN (limit2, pow (kq * gmax + 1e-6, 2));
      range (&s, 0, index->n - 1, 0, index->box);
      all = g_new (GeoIndexHit, MAX (found->len, 1));
      for (guint i = 0; i < found->len; i++)
        {
          guint item = index->item[g_array_index (found, guint32, i)];

          all[i].item = item;
          all[i].distance_m = geo_geodesic_distance (lon, lat, index->lon[item], index->lat[item]);
        }
      qsort (all, found->len, sizeof (GeoIndexHit), hit_cmp);
      n_cand = 0;
      for (guint i = 0; i < found->len && n_cand < k; i++)
        if (all[i].distance_m <= max_distance_m)
          hits[n_cand++] = all[i];
      return n_cand;
    }

  if (nk > 1)
    qsort (cand, nk, sizeof (GeoIndexHit), hit_cmp);
  n_cand = 0;
  for (guint i = 0; i < nk; i++)
    if (cand[i].distance_m <= max_distance_m)
      hits[n_cand++] = cand[i];
  return n_cand;
}

static gboolean
project_one (const GeoIndex *index, double lon, double lat, double *x, double *y, GError **error)
{
  if (!isfinite (lon) || !isfinite (lat) || fabs (lat) > 90 || fabs (lon) > 180)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Invalid point %g, %g", lon, lat);
      return FALSE;
    }
  return geo_proj_lonlat_to_utm (index->epsg, &lon, &lat, x, y, 1, error);
}

/**
 * geo_index_nearest:
 *
 * geo_index_nearest_xy for a lon/lat point (projected here with the calling thread's
 * PROJ context). Returns the number of hits; 0 with @error set when the point is invalid.
 */
guint
geo_index_nearest (const GeoIndex   *index,
                   double            lon,
                   double            lat,
                   guint             k,
                   double            max_distance_m,
                   guint32           mask,
                   GeoIndexPredicate predicate,
                   gpointer          user_data,
                   GeoIndexHit      *hits,
                   GError          **error)
{
  double x, y;

  g_return_val_if_fail (index != NULL, 0);
  if (!project_one (index, lon, lat, &x, &y, error))
    return 0;
  return geo_index_nearest_xy (index,
                               lon,
                               lat,
                               x,
                               y,
                               k,
                               max_distance_m,
                               mask,
                               predicate,
                               user_data,
                               hits);
}

/**
 * geo_index_within_xy:
 * @hits: (element-type GeoIndexHit): receives the hits, nearest first
 *
 * Appends every matching point within @radius_m geodesic metres of the query point
 * (given in both CRSs, see geo_index_nearest_xy) to @hits, sorted by distance.
 */
void
geo_index_within_xy (const GeoIndex   *index,
                     double            lon,
                     double            lat,
                     double            x,
                     double            y,
                     double            radius_m,
                     guint32           mask,
                     GeoIndexPredicate predicate,
                     gpointer          user_data,
                     GArray           *hits)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));
  Search s = { 0 };
  guint  first = hits->len;

  g_return_if_fail (index != NULL);
  if (index->n == 0 || !(radius_m >= 0))
    return;
  s.idx = index;
  s.qx = x;
  s.qy = y;
  s.qmask = mask;
  s.predicate = predicate;
  s.user_data = user_data;
  s.found = found;
  s.bound2 = pow (kmax_for (index, lon, lat) * radius_m + 1e-6, 2);
  range (&s, 0, index->n - 1, 0, index->box);
  for (guint i = 0; i < found->len; i++)
    {
      GeoIndexHit h;

      h.item = index->item[g_array_index (found, guint32, i)];
      h.distance_m = geo_geodesic_distance (lon, lat, index->lon[h.item], index->lat[h.item]);
      if (h.distance_m <= radius_m)
        g_array_append_val (hits, h);
    }
  if (hits->len > first)
    qsort (&g_array_index (hits, GeoIndexHit, first),
           hits->len - first,
           sizeof (GeoIndexHit),
           hit_cmp);
}

/**
 * geo_index_within:
 *
 * Every matching point within @radius_m geodesic metres of (@lon, @lat), nearest first.
 * Returns: (transfer full) (element-type GeoIndexHit): the hits, or %NULL with @error set.
 */
GArray *
geo_index_within (const GeoIndex   *index,
                  double            lon,
                  double            lat,
                  double            radius_m,
                  guint32           mask,
                  GeoIndexPredicate predicate,
                  gpointer          user_data,
                  GError          **error)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (GeoIndexHit));
  double x, y;

  g_return_val_if_fail (index != NULL, NULL);
  if (!(radius_m >= 0) || !isfinite (radius_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The radius must be a finite distance >= 0 m (got %g)",
                   radius_m);
      return NULL;
    }
  if (!project_one (index, lon, lat, &x, &y, error))
    return NULL;
  geo_index_within_xy (index, lon, lat, x, y, radius_m, mask, predicate, user_data, hits);
  return g_steal_pointer (&hits);
}

typedef struct
{
  const GeoIndex *idx;
  double          qx, qy, r2;
  guint32        *mask;
  GeoIndexVisitor visitor;
  gpointer        user_data;
  gboolean        stop;
} Visit;

static inline void
visit_point (Visit *v, guint p)
{
  double dx = v->idx->xy[2 * p] - v->qx, dy = v->idx->xy[2 * p + 1] - v->qy;
  double d2 = dx * dx + dy * dy;

  if (d2 <= v->r2 && (v->idx->mask[p] & *v->mask) != 0 &&
      !v->visitor (v->idx->item[p], d2, v->user_data))
    v->stop = TRUE;
}

static void
visit (Visit *v, guint lo, guint hi, int axis, const double *box)
{
  const GeoIndex *idx = v->idx;
  double          sub[4], dx, dy, split;
  guint           m;

  dx = v->qx < box[0] ? box[0] - v->qx : (v->qx > box[2] ? v->qx - box[2] : 0);
  dy = v->qy < box[1] ? box[1] - v->qy : (v->qy > box[3] ? v->qy - box[3] : 0);
  if (v->stop || dx * dx + dy * dy > v->r2)
    return;
  if (hi - lo + 1 <= LEAF_SIZE)
    {
      for (guint p = lo; p <= hi && !v->stop; p++)
        visit_point (v, p);
      return;
    }
  m = lo + (hi - lo) / 2;
  if ((idx->node_mask[m] & *v->mask) == 0)
    return;
  visit_point (v, m);
  split = idx->xy[2 * m + axis];
  if (m > lo)
    {
      memcpy (sub, box, sizeof sub);
      sub[2 + axis] = split;
      visit (v, lo, m - 1, 1 - axis, sub);
    }
  memcpy (sub, box, sizeof sub);
  sub[axis] = split;
  visit (v, m + 1, hi, 1 - axis, sub);
}

/**
 * geo_index_visit_xy:
 * @x, @y: the query point in the index's UTM CRS
 * @radius_projected: in projected metres (a geodesic radius times geo_index_scale_bound)
 * @mask: (inout): the points' masks must share a bit with *mask; the visitor may narrow it
 *
 * The low-level range walk for analyses that decide per candidate (see geo-underserved.c).
 */
void
geo_index_visit_xy (const GeoIndex *index,
                    double          x,
                    double          y,
                    double          radius_projected,
                    guint32        *mask,
                    GeoIndexVisitor visitor,
                    gpointer        user_data)
{
  Visit v = { index, x, y, radius_projected * radius_projected, mask, visitor, user_data, FALSE };

  g_return_if_fail (index != NULL && mask != NULL && visitor != NULL);
  if (index->n == 0)
    return;
  visit (&v, 0, index->n - 1, 0, index->box);
}

/* The bound of projected over geodesic distance for lines from (@lon, @lat) to the points. */
double
geo_index_scale_bound (const GeoIndex *index, double lon, double lat)
{
  g_return_val_if_fail (index != NULL, 1.0);
  return kmax_for (index, lon, lat);
}

static int
item_cmp (const void *a, const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

/**
 * geo_index_bbox:
 *
 * Every point inside the EPSG:4326 box (edges included), e.g. for hit-testing a map click.
 * The box's outline is projected (sampled densely and widened) to a rectangle in the tree's
 * CRS; the candidates inside it are then tested against the lon/lat box exactly.
 * Returns: (transfer full) (element-type guint32): the items, ascending, or %NULL with @error.
 */
GArray *
geo_index_bbox (const GeoIndex *index,
                double          min_lon,
                double          min_lat,
                double          max_lon,
                double          max_lat,
                GError        **error)
{
  enum
  {
    SAMPLES = 32
  };

  double lon[4 * SAMPLES], lat[4 * SAMPLES], x[4 * SAMPLES], y[4 * SAMPLES];
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint32));
  double r[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  double margin;

  g_return_val_if_fail (index != NULL, NULL);
  if (!(min_lon <= max_lon) || !(min_lat <= max_lat) || min_lon < -180 || max_lon > 180 ||
      min_lat < -90 || max_lat > 90)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Invalid box %g, %g – %g, %g",
                   min_lon,
                   min_lat,
                   max_lon,
                   max_lat);
      return NULL;
    }
  if (index->n == 0)
    return g_steal_pointer (&items);
  for (guint i = 0; i < SAMPLES; i++)
    {
      double t = (double) i / SAMPLES;

      lon[i] = min_lon + t * (max_lon - min_lon), lat[i] = min_lat;
      lon[SAMPLES + i] = max_lon, lat[SAMPLES + i] = min_lat + t * (max_lat - min_lat);
      lon[2 * SAMPLES + i] = max_lon - t * (max_lon - min_lon), lat[2 * SAMPLES + i] = max_lat;
      lon[3 * SAMPLES + i] = min_lon, lat[3 * SAMPLES + i] = max_lat - t * (max_lat - min_lat);
    }
  if (!geo_proj_lonlat_to_utm (index->epsg, lon, lat, x, y, 4 * SAMPLES, error))
    return NULL;
  for (guint i = 0; i < 4 * SAMPLES; i++)
    {
      r[0] = MIN (r[0], x[i]);
      r[1] = MIN (r[1], y[i]);
      r[2] = MAX (r[2], x[i]);
      r[3] = MAX (r[3], y[i]);
    }
  /* The outline bends between samples; widen by far more than the sagitta. */
  margin = 1.0 + 0.01 * MAX (r[2] - r[0], r[3] - r[1]);
  r[0] -= margin;
  r[1] -= margin;
  r[2] += margin;
  r[3] += margin;
  rect (index, 0, index->n - 1, 0, r, found);
  for (guint i = 0; i < found->len; i++)
    {
      guint32 item = index->item[g_array_index (found, guint32, i)];

      if (index->lon[item] >= min_lon && index->lon[item] <= max_lon &&
          index->lat[item] >= min_lat && index->lat[item] <= max_lat)
        g_array_append_val (items, item);
    }
  if (items->len > 1)
    qsort (items->data, items->len, sizeof (guint32), item_cmp);
  return g_steal_pointer (&items);
}
