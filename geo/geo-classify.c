#include "config.h"

#include "geo-classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo-error.h"

/* Breaks are returned as n_classes + 1 edges: edges[0] the minimum, edges[n_classes] the
 * maximum. Class c holds the values x with edges[c] < x <= edges[c + 1]; class 0 also holds
 * edges[0] itself. Interior edges are strictly increasing; only edges[1] may equal edges[0]
 * (a class made of the minimum alone, common with counts where many areas have 0). */

static const char *const method_names[] = { "quantile", "equal", "jenks" };

gboolean
geo_classify_method_from_string (const char *name, GeoClassifyMethod *method)
{
  g_return_val_if_fail (method != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (g_ascii_strcasecmp (name, method_names[i]) == 0)
      {
        *method = (GeoClassifyMethod) i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (name, "equal-interval") == 0 ||
      g_ascii_strcasecmp (name, "interval") == 0)
    {
      *method = GEO_CLASSIFY_EQUAL;
      return TRUE;
    }
  if (g_ascii_strcasecmp (name, "natural") == 0 || g_ascii_strcasecmp (name, "quantiles") == 0)
    {
      *method =
          g_ascii_strcasecmp (name, "natural") == 0 ? GEO_CLASSIFY_JENKS : GEO_CLASSIFY_QUANTILE;
      return TRUE;
    }
  return FALSE;
}

const char *
geo_classify_method_to_string (GeoClassifyMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), NULL);
  return method_names[method];
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Appends @edge unless it would break the ordering rule above. */
static void
push_edge (GArray *edges, double edge)
{
  double last;

  if (edges->len == 0)
    {
      g_array_append_val (edges, edge);
      return;
    }
  last = g_array_index (edges, double, edges->len - 1);
  if (edge > last || (edges->len == 1 && edge == last))
    g_array_append_val (edges, edge);
}

/* Closes the edge list with the maximum: an interior edge equal to it would leave the last
 * class empty, so it is replaced. */
static void
close_edges (GArray *edges, double max)
{
  while (edges->len > 1 && g_array_index (edges, double, edges->len - 1) >= max)
    g_array_set_size (edges, edges->len - 1);
  if (edges->len == 1 || max > g_array_index (edges, double, edges->len - 1))
    g_array_append_val (edges, max);
}

static void
quantile_breaks (const double *v, guint m, guint k, GArray *edges)
{
  push_edge (edges, v[0]);
  for (guint i = 1; i < k; i++)
    {
      /* The upper bound of class i: the value at rank ceil (i m / k), 1-based. */
      guint64 pos = ((guint64) i * m + k - 1) / k;

      push_edge (edges, v[MAX (pos, 1) - 1]);
    }
  close_edges (edges, v[m - 1]);
}

static void
equal_breaks (const double *v, guint m, guint k, GArray *edges)
{
  double lo = v[0], hi = v[m - 1];

  push_edge (edges, lo);
  if (hi > lo)
    for (guint i = 1; i < k; i++)
      push_edge (edges, lo + (hi - lo) * i / k);
  close_edges (edges, hi);
}

/* Prefix sums over the distinct values for the within-class sum of squared deviations. */
typedef struct
{
  const double *sw, *sx, *sxx;
  double       *cost; /* K * D */
  guint        *back;
  guint         D;
} Jenks;

static inline double
jenks_ssd (const Jenks *J, guint a, guint b)
{
  double w = J->sw[b + 1] - J->sw[a], x = J->sx[b + 1] - J->sx[a];

  return MAX (0.0, (J->sxx[b + 1] - J->sxx[a]) - x * x / w);
}

/* Row c for i in [lo, hi], knowing that the best start of the last class lies in
 * [opt_lo, opt_hi]: the best start is monotone in i for this cost (it satisfies the quadrangle
 * inequality; Wang & Song 2011, Ckmeans.1d.dp), so divide and conquer fills a row in
 * O(D log D) instead of O(D^2). Ties keep the leftmost start. */
static void
jenks_row (Jenks *J, guint c, guint lo, guint hi, guint opt_lo, guint opt_hi)
{
  guint  mid, arg, last;
  double best = INFINITY;

  if (lo > hi)
    return;
  mid = lo + (hi - lo) / 2;
  arg = MAX (opt_lo, c);
  last = MIN (mid, opt_hi);
  for (guint l = MAX (opt_lo, c); l <= last; l++)
    {
      double t = J->cost[(gsize) (c - 1) * J->D + l - 1] + jenks_ssd (J, l, mid);

      if (t < best)
        {
          best = t;
          arg = l;
        }
    }
  J->cost[(gsize) c * J->D + mid] = best;
  J->back[(gsize) c * J->D + mid] = arg;
  if (mid > lo)
    jenks_row (J, c, lo, mid - 1, opt_lo, arg);
  jenks_row (J, c, mid + 1, hi, arg, opt_hi);
}

/* Fisher-Jenks over the distinct sorted values d[] with multiplicities w[]: cost[c][i] is the
 * least sum of squared deviations of d[0..i] split into c + 1 classes, back[c][i] the first
 * value of the last class. O(k D log D) time (jenks_row), O(k D) memory. Ties stay in one class
 * because the dynamic programme runs over distinct values. */
static gboolean
jenks_breaks (const double *v, guint m, guint k, GArray *edges, GError **error)
{
  g_autofree double *d = NULL, *w = NULL, *sw = NULL, *sx = NULL, *sxx = NULL, *cost = NULL;
  g_autofree guint  *back = NULL;
  guint              D = 0, K, n_sample = m;
  double             shift;
  Jenks              J;
  g_autofree double *bounds = NULL;

  /* Above the limit: every j-th rank of the sorted values, both ends included. */
  if (m > GEO_CLASSIFY_JENKS_MAX_VALUES)
    n_sample = GEO_CLASSIFY_JENKS_MAX_VALUES;
  d = g_new (double, n_sample);
  w = g_new (double, n_sample);
  for (guint j = 0; j < n_sample; j++)
    {
      guint  r = n_sample == m ? j : (guint) (((guint64) j * (m - 1)) / (n_sample - 1));
      double x = v[r];

      if (D > 0 && d[D - 1] == x)
        w[D - 1] += 1;
      else
        {
          d[D] = x;
          w[D] = 1;
          D++;
        }
    }
  K = MIN (k, D);
  shift = d[D / 2];
  sw = g_new0 (double, D + 1);
  sx = g_new0 (double, D + 1);
  sxx = g_new0 (double, D + 1);
  for (guint i = 0; i < D; i++)
    {
      double x = d[i] - shift;

      sw[i + 1] = sw[i] + w[i];
      sx[i + 1] = sx[i] + w[i] * x;
      sxx[i + 1] = sxx[i] + w[i] * x * x;
    }
  if ((guint64) K * D > G_MAXUINT32 / 4)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "too many values for Jenks breaks");
      return FALSE;
    }
  cost = g_new (double, (gsize) K *D);
  back = g_new0 (guint, (gsize) K * D);
  J.sw = sw;
  J.sx = sx;
  J.sxx = sxx;
  J.cost = cost;
  J.back = back;
  J.D = D;
  for (guint i = 0; i < D; i++)
    cost[i] = jenks_ssd (&J, 0, i);
  for (guint c = 1; c < K; c++)
    jenks_row (&J, c, c, D - 1, c, D - 1);
  bounds = g_new (double, K + 1);
  bounds[0] = v[0];
  bounds[K] = v[m - 1];
  for (guint c = K - 1, i = D - 1; c >= 1; c--)
    {
      guint  l = back[(gsize) c * D + i];
      double mid = (d[l - 1] + d[l]) / 2;
      guint  lo = 0, hi = m - 1;

      /* The largest value <= the midpoint between the classes: d[l - 1] itself without
       * sampling; with sampling, the values the sample skipped go to the nearer class. */
      while (lo < hi)
        {
          guint h = lo + (hi - lo + 1) / 2;

          if (v[h] <= mid)
            lo = h;
          else
            hi = h - 1;
        }
      bounds[c] = v[lo];
      i = l - 1;
    }
  for (guint c = 0; c < K; c++)
    push_edge (edges, bounds[c]);
  close_edges (edges, v[m - 1]);
  return TRUE;
}

/**
 * geo_classify_breaks:
 * @values: the values (NAN = no data, skipped)
 * @k: the number of classes wanted, 1 to %GEO_CLASSIFY_MAX_CLASSES
 * @n_classes: (out): the number of classes made: fewer than @k when there are fewer distinct
 *   values (or quantiles coincide), 1 when every value is the same
 *
 * Class breaks of @values. Returns: (transfer full): @n_classes + 1 edges (minimum, upper
 * bounds of the classes); class c holds edges[c] < x <= edges[c + 1], class 0 also the
 * minimum. NULL with an error when @k is out of range or no value is finite.
 */
double *
geo_classify_breaks (const double     *values,
                     guint             n,
                     GeoClassifyMethod method,
                     guint             k,
                     guint            *n_classes,
                     GError          **error)
{
  g_autofree double *v = NULL;
  g_autoptr(GArray) edges = NULL;
  guint m = 0;

  g_return_val_if_fail (values != NULL || n == 0, NULL);
  g_return_val_if_fail (n_classes != NULL, NULL);
  *n_classes = 0;
  if (k < 1 || k > GEO_CLASSIFY_MAX_CLASSES)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the number of classes must be 1 to %d (got %u)",
                   GEO_CLASSIFY_MAX_CLASSES,
                   k);
      return NULL;
    }
  v = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      v[m++] = values[i];
  if (m == 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "no values to classify");
      return NULL;
    }
  qsort (v, m, sizeof (double), cmp_double);
  edges = g_array_sized_new (FALSE, FALSE, sizeof (double), k + 1);
  switch (method)
    {
    case GEO_CLASSIFY_QUANTILE:
      quantile_breaks (v, m, k, edges);
      break;
    case GEO_CLASSIFY_EQUAL:
      equal_breaks (v, m, k, edges);
      break;
    case GEO_CLASSIFY_JENKS:
      if (!jenks_breaks (v, m, k, edges, error))
        return NULL;
      break;
    default:
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "unknown classification method");
      return NULL;
    }
  *n_classes = edges->len - 1;
  return (double *) g_array_free (g_steal_pointer (&edges), FALSE);
}

/**
 * geo_classify_value:
 * @breaks: edges from geo_classify_breaks() (or any increasing edges)
 *
 * Returns: the class of @value (0-based), -1 for NAN or when there are no classes. Values
 * below the minimum fall in the first class, above the maximum in the last.
 */
int
geo_classify_value (const double *breaks, guint n_classes, double value)
{
  guint lo = 0, hi;

  if (n_classes == 0 || isnan (value))
    return -1;
  g_return_val_if_fail (breaks != NULL, -1);
  /* The first class c with value <= breaks[c + 1]. */
  hi = n_classes - 1;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (value <= breaks[mid + 1])
        hi = mid;
      else
        lo = mid + 1;
    }
  return (int) lo;
}

/**
 * geo_classify_values:
 *
 * Returns: (transfer full): the class of each of @values (geo_classify_value()).
 */
int *
geo_classify_values (const double *breaks, guint n_classes, const double *values, guint n)
{
  int *out = g_new (int, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    out[i] = geo_classify_value (breaks, n_classes, values[i]);
  return out;
}
