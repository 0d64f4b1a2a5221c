#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "geo-classify.h"
#include "geo-error.h"

/* Class breaks against hand-computed edges (n_classes + 1 of them) and Jenks against a
 * brute-force search over every partition of small inputs. */

typedef struct
{
  const char       *name;
  GeoClassifyMethod method;
  guint             k;
  double            values[16];
  guint             n;
  double            expected[8];
  guint             n_classes;
} Case;

static const Case cases[] = {
  /* ranks ceil(i*10/5) = 2, 4, 6, 8 */
  { "quantile/1-10",
    GEO_CLASSIFY_QUANTILE,
    5,
    { 3, 1, 2, 4, 5, 6, 7, 8, 9, 10 },
    10,
    { 1, 2, 4, 6, 8, 10 },
    5 },
  /* six zeros: the 2nd-4th quantiles coincide with the first; a class of zeros is kept */
  { "quantile/ties",
    GEO_CLASSIFY_QUANTILE,
    5,
    { 0, 0, 0, 1, 0, 2, 0, 3, 0, 4 },
    10,
    { 0, 0, 2, 4 },
    3 },
  { "quantile/n-below-k", GEO_CLASSIFY_QUANTILE, 5, { 2, 1 }, 2, { 1, 1, 2 }, 2 },
  { "quantile/all-equal", GEO_CLASSIFY_QUANTILE, 4, { 5, 5, 5 }, 3, { 5, 5 }, 1 },
  { "quantile/nan", GEO_CLASSIFY_QUANTILE, 2, { NAN, 1, 2, 3, 4, NAN }, 6, { 1, 2, 4 }, 2 },
  { "quantile/one", GEO_CLASSIFY_QUANTILE, 1, { 4, 9, 1 }, 3, { 1, 9 }, 1 },
  { "equal/0-10", GEO_CLASSIFY_EQUAL, 5, { 0, 3, 10 }, 3, { 0, 2, 4, 6, 8, 10 }, 5 },
  { "equal/negative", GEO_CLASSIFY_EQUAL, 4, { -2, 2, 0.5 }, 3, { -2, -1, 0, 1, 2 }, 4 },
  { "equal/all-equal", GEO_CLASSIFY_EQUAL, 3, { 7, 7 }, 2, { 7, 7 }, 1 },
  { "equal/nan", GEO_CLASSIFY_EQUAL, 2, { NAN, 4, 0, INFINITY }, 4, { 0, 2, 4 }, 2 },
  /* the jenkspy README example (checked by brute force: SSD 1.6955) */
  { "jenks/jenkspy",
    GEO_CLASSIFY_JENKS,
    3,
    { 1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3 },
    12,
    { 1.2, 2.3, 5.0, 7.8 },
    3 },
  { "jenks/two-groups", GEO_CLASSIFY_JENKS, 2, { 12, 1, 11, 2, 3, 10 }, 6, { 1, 3, 12 }, 2 },
  /* ties stay together; a class of the minimum alone has edges[1] == edges[0] */
  { "jenks/ties", GEO_CLASSIFY_JENKS, 3, { 10, 0, 10, 20, 10, 10 }, 6, { 0, 0, 10, 20 }, 3 },
  /* {1} | {5,5,5,8}: SSD 6.75 against 12 for {1,5,5,5} | {8} */
  { "jenks/asymmetric", GEO_CLASSIFY_JENKS, 2, { 1, 5, 5, 5, 8 }, 5, { 1, 1, 8 }, 2 },
  { "jenks/n-below-k", GEO_CLASSIFY_JENKS, 5, { 3, 1, 3 }, 3, { 1, 1, 3 }, 2 },
  { "jenks/all-equal", GEO_CLASSIFY_JENKS, 5, { 2, 2, 2, 2 }, 4, { 2, 2 }, 1 },
  { "jenks/nan", GEO_CLASSIFY_JENKS, 2, { NAN, 0, 0, 10, NAN, 10 }, 6, { 0, 0, 10 }, 2 },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree double *breaks = NULL;
  guint              n_classes = 99;

  breaks = geo_classify_breaks (c->values, c->n, c->method, c->k, &n_classes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (breaks);
  g_assert_cmpuint (n_classes, ==, c->n_classes);
  for (guint i = 0; i <= n_classes; i++)
    g_assert_cmpfloat_with_epsilon (breaks[i], c->expected[i], 1e-12);
  /* Every finite value falls in a class whose edges hold it. */
  for (guint i = 0; i < c->n; i++)
    {
      int cls = geo_classify_value (breaks, n_classes, c->values[i]);

      if (!isfinite (c->values[i]))
        {
          g_assert_cmpint (cls, ==, isnan (c->values[i]) ? -1 : (int) n_classes - 1);
          continue;
        }
      g_assert_cmpint (cls, >=, 0);
      g_assert_cmpint (cls, <, (int) n_classes);
      g_assert_cmpfloat (c->values[i], <=, breaks[cls + 1]);
      if (cls > 0)
        g_assert_cmpfloat (c->values[i], >, breaks[cls]);
    }
}

static void
test_classify_value (void)
{
  const double    edges[] = { 0, 0, 2, 4 };
  const double    values[] = { 0, 0.5, 2, 2.1, 4, 5, -1, NAN };
  const int       expected[] = { 0, 1, 1, 2, 2, 2, 0, -1 };
  g_autofree int *got = geo_classify_values (edges, 3, values, G_N_ELEMENTS (values));

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpint (got[i], ==, expected[i]);
  g_assert_cmpint (geo_classify_value (edges, 0, 1.0), ==, -1);
}

static void
test_errors (void)
{
  const double values[] = { 1, 2, 3 };
  const double none[] = { NAN, NAN };
  guint        n = 7;
  GError      *error = NULL;

  g_assert_null (geo_classify_breaks (values, 3, GEO_CLASSIFY_JENKS, 0, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_cmpuint (n, ==, 0);
  g_clear_error (&error);
  g_assert_null (geo_classify_breaks (values, 3, GEO_CLASSIFY_EQUAL, 13, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (geo_classify_breaks (none, 2, GEO_CLASSIFY_QUANTILE, 3, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (geo_classify_breaks (NULL, 0, GEO_CLASSIFY_QUANTILE, 3, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_method_names (void)
{
  GeoClassifyMethod m;

  g_assert_true (geo_classify_method_from_string ("jenks", &m));
  g_assert_cmpint (m, ==, GEO_CLASSIFY_JENKS);
  g_assert_true (geo_classify_method_from_string ("Quantile", &m));
  g_assert_cmpint (m, ==, GEO_CLASSIFY_QUANTILE);
  g_assert_true (geo_classify_method_from_string ("equal", &m));
  g_assert_cmpint (m, ==, GEO_CLASSIFY_EQUAL);
  g_assert_false (geo_classify_method_from_string ("kmeans", &m));
  g_assert_cmpstr (geo_classify_method_to_string (GEO_CLASSIFY_EQUAL), ==, "equal");
}

/* Sum of squared deviations from the class means of the partition given by @breaks. */
static double
partition_ssd (const double *v, guint n, const double *breaks, guint n_classes)
{
  double sum[GEO_CLASSIFY_MAX_CLASSES] = { 0 }, sq[GEO_CLASSIFY_MAX_CLASSES] = { 0 };
  guint  cnt[GEO_CLASSIFY_MAX_CLASSES] = { 0 };
  double total = 0;

  for (guint i = 0; i < n; i++)
    {
      int c = geo_classify_value (breaks, n_classes, v[i]);

      sum[c] += v[i];
      sq[c] += v[i] * v[i];
      cnt[c]++;
    }
  for (guint c = 0; c < n_classes; c++)
    if (cnt[c] > 0)
      total += sq[c] - sum[c] * sum[c] / cnt[c];
  return total;
}

/* The best SSD over every way to cut the sorted values into at most @k groups of whole ties. */
static double
brute_force_ssd (const double *sorted, guint n, guint k)
{
  double best = INFINITY;

  /* Each bit of @cuts: a cut after sorted[i] (only between different values). */
  for (guint32 cuts = 0; cuts < (1u << (n - 1)); cuts++)
    {
      guint    groups = 1;
      double   total = 0, s = 0, q = 0;
      guint    cnt = 0;
      gboolean ok = TRUE;

      for (guint i = 0; i + 1 < n && ok; i++)
        if (cuts & (1u << i))
          {
            groups++;
            ok = sorted[i] != sorted[i + 1];
          }
      if (!ok || groups > k)
        continue;
      for (guint i = 0; i < n; i++)
        {
          s += sorted[i];
          q += sorted[i] * sorted[i];
          cnt++;
          if (i == n - 1 || (cuts & (1u << i)))
            {
              total += q - s * s / cnt;
              s = q = 0;
              cnt = 0;
            }
        }
      best = MIN (best, total);
    }
  return best;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_jenks_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);

  for (guint round = 0; round < 200; round++)
    {
      guint              n = g_rand_int_range (rand, 2, 13);
      guint              k = g_rand_int_range (rand, 1, 6);
      double             v[12], sorted[12];
      g_autofree double *breaks = NULL;
      g_autoptr(GError) error = NULL;
      guint  n_classes;
      double got, want;

      for (guint i = 0; i < n; i++)
        /* Small integers: many ties. */
        v[i] = sorted[i] =
            round % 2 ? g_rand_int_range (rand, 0, 8) : g_rand_double_range (rand, -50, 50);
      qsort (sorted, n, sizeof (double), cmp_double);
      breaks = geo_classify_breaks (v, n, GEO_CLASSIFY_JENKS, k, &n_classes, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n_classes, <=, k);
      got = partition_ssd (v, n, breaks, n_classes);
      want = brute_force_ssd (sorted, n, k);
      g_assert_cmpfloat_with_epsilon (got, want, 1e-9 * MAX (1.0, want));
    }
}

/* The textbook O(k n^2) Fisher dynamic programme over the sorted values (ties may be split):
 * the least total SSD of @n values in @k classes. */
static double
quadratic_dp_ssd (const double *sorted, guint n, guint k)
{
  g_autofree double *cost = g_new (double, (gsize) k *n);
  g_autofree double *s = g_new0 (double, n + 1);
  g_autofree double *q = g_new0 (double, n + 1);

  for (guint i = 0; i < n; i++)
    {
      s[i + 1] = s[i] + sorted[i];
      q[i + 1] = q[i] + sorted[i] * sorted[i];
    }
#define SSD(a, b)                                                                                  \
  ((q[(b) + 1] - q[a]) - (s[(b) + 1] - s[a]) * (s[(b) + 1] - s[a]) / ((b) + 1 - (a)))
  for (guint i = 0; i < n; i++)
    cost[i] = SSD (0, i);
  for (guint c = 1; c < k; c++)
    for (guint i = 0; i < n; i++)
      {
        double best = c > i ? 0 : INFINITY;

        for (guint l = c; l <= i; l++)
          best = MIN (best, cost[(gsize) (c - 1) * n + l - 1] + SSD (l, i));
        cost[(gsize) c * n + i] = best;
      }
#undef SSD
  return cost[(gsize) (k - 1) * n + n - 1];
}

/* Larger inputs against the quadratic programme: the divide-and-conquer rows must find the
 * same optimum (distinct real values, so ties cannot make the two differ). */
static void
test_jenks_quadratic (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 40; round++)
    {
      guint              n = g_rand_int_range (rand, 20, 400);
      guint              k = g_rand_int_range (rand, 2, 10);
      g_autofree double *v = g_new (double, n);
      g_autofree double *sorted = g_new (double, n);
      g_autofree double *breaks = NULL;
      g_autoptr(GError) error = NULL;
      guint  n_classes;
      double got, want;

      for (guint i = 0; i < n; i++)
        /* Skewed, like counts per desa. */
        v[i] = sorted[i] = pow (g_rand_double (rand), 3) * 1000 + i * 1e-9;
      qsort (sorted, n, sizeof (double), cmp_double);
      breaks = geo_classify_breaks (v, n, GEO_CLASSIFY_JENKS, k, &n_classes, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n_classes, ==, k);
      got = partition_ssd (v, n, breaks, n_classes);
      want = quadratic_dp_ssd (sorted, n, k);
      g_assert_cmpfloat_with_epsilon (got, want, 1e-9 * MAX (1.0, want));
    }
}

/* Above GEO_CLASSIFY_JENKS_MAX_VALUES Jenks samples; three well separated clusters must still
 * come out as the three classes, and the ends are the true minimum and maximum. */
static void
test_jenks_sampled (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint              n = GEO_CLASSIFY_JENKS_MAX_VALUES * 3 / 2;
  g_autofree double *v = g_new (double, n);
  g_autofree double *breaks = NULL;
  g_autoptr(GError) error = NULL;
  guint  n_classes;
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < n; i++)
    {
      v[i] = (i % 3) * 100 + g_rand_double_range (rand, 0, 10);
      lo = MIN (lo, v[i]);
      hi = MAX (hi, v[i]);
    }
  breaks = geo_classify_breaks (v, n, GEO_CLASSIFY_JENKS, 3, &n_classes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_classes, ==, 3);
  g_assert_cmpfloat (breaks[0], ==, lo);
  g_assert_cmpfloat (breaks[3], ==, hi);
  g_assert_cmpfloat (breaks[1], >=, 9);
  g_assert_cmpfloat (breaks[1], <, 100);
  g_assert_cmpfloat (breaks[2], >=, 109);
  g_assert_cmpfloat (breaks[2], <, 200);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (geo_classify_value (breaks, n_classes, v[i]), ==, (int) (i % 3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/classify/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/geo/classify/value", test_classify_value);
  g_test_add_func ("/geo/classify/errors", test_errors);
  g_test_add_func ("/geo/classify/method-names", test_method_names);
  g_test_add_func ("/geo/classify/jenks/brute-force", test_jenks_brute_force);
  g_test_add_func ("/geo/classify/jenks/quadratic", test_jenks_quadratic);
  g_test_add_func ("/geo/classify/jenks/sampled", test_jenks_sampled);
  return g_test_run ();
}
