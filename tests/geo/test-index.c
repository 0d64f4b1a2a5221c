#include "config.h"

#include <math.h>
#include <proj.h>
#include <stdlib.h>

#include "geo-error.h"
#include "geo-index.h"
#include "geo-proj.h"

/* ---- geo-proj: known values ------------------------------------------------------------ */

typedef struct
{
  const char *name;
  double      lon1, lat1, lon2, lat2;
  double      expected_m; /* from `geod +ellps=WGS84 -I -F %.6f` (PROJ 9.1) */
} GeodesicCase;

static const GeodesicCase geodesic_cases[] = {
  { "equator-1deg", 0, 0, 1, 0, 111319.490793 },
  { "bantul", 110.33, -7.95, 110.40, -7.80, 18297.331715 },
  { "jakarta-surabaya", 106.8, -6.2, 112.75, -7.25, 667980.616352 },
  { "same-point", 110.36, -7.9, 110.36, -7.9, 0 },
};

static void
test_geodesic (gconstpointer data)
{
  const GeodesicCase *c = data;
  double              d = geo_geodesic_distance (c->lon1, c->lat1, c->lon2, c->lat2);
  double              back = geo_geodesic_distance (c->lon2, c->lat2, c->lon1, c->lat1);

  g_assert_cmpfloat_with_epsilon (d, c->expected_m, 1e-5);
  g_assert_cmpfloat_with_epsilon (back, d, 1e-6);
}

typedef struct
{
  const char *name;
  double      lon, lat;
  int         epsg;
  double      x, y; /* from `cs2cs -f %.6f EPSG:4326 EPSG:nnnnn` (input lat lon) */
} UtmCase;

static const UtmCase utm_cases[] = {
  { "bantul", 110.33, -7.95, 32749, 426155.947051, 9121170.001868 },
  { "medan", 98.67, 3.59, 32647, 463350.636965, 396814.684628 },
  { "jakarta", 106.8, -6.2, 32748, NAN, NAN },
  { "jayapura", 140.7, -2.5, 32754, NAN, NAN },
  { "equator-north", 120.0, 0.0, 32651, NAN, NAN },
  { "zone-edge", 108.0, -7.0, 32749, NAN, NAN },
};

static void
test_utm (gconstpointer data)
{
  const UtmCase *c = data;
  GError        *error = NULL;
  double         x, y, lon, lat;

  g_assert_cmpint (geo_utm_epsg_for (c->lon, c->lat), ==, c->epsg);
  g_assert_true (geo_proj_lonlat_to_utm (c->epsg, &c->lon, &c->lat, &x, &y, 1, &error));
  g_assert_no_error (error);
  if (!isnan (c->x))
    {
      g_assert_cmpfloat_with_epsilon (x, c->x, 1e-4);
      g_assert_cmpfloat_with_epsilon (y, c->y, 1e-4);
    }
  g_assert_true (geo_proj_utm_to_lonlat (c->epsg, &x, &y, &lon, &lat, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (lon, c->lon, 1e-9);
  g_assert_cmpfloat_with_epsilon (lat, c->lat, 1e-9);
}

typedef struct
{
  const double *lon, *lat;
  double       *x, *y;
  guint         n;
  gboolean      ok;
} ProjJob;

static gpointer
proj_thread (gpointer data)
{
  ProjJob *job = data;

  job->ok = geo_proj_lonlat_to_utm (32749, job->lon, job->lat, job->x, job->y, job->n, NULL);
  return NULL;
}

static void
test_utm_batch_in_threads (void)
{
  enum
  {
    N = 5000
  };

  static double lon[N], lat[N], x[N], y[N], x2[N], y2[N];
  ProjJob       job = { lon, lat, x2, y2, N, FALSE };
  GError       *error = NULL;

  for (guint i = 0; i < N; i++)
    {
      lon[i] = 110.0 + 0.0001 * i;
      lat[i] = -8.0 + 0.0001 * i;
    }
  g_assert_true (geo_proj_lonlat_to_utm (32749, lon, lat, x, y, N, &error));
  g_assert_no_error (error);
  /* Another thread (with its own PJ_CONTEXT) gets the same results. */
  g_thread_join (g_thread_new ("proj", proj_thread, &job));
  g_assert_true (job.ok);
  for (guint i = 0; i < N; i++)
    {
      g_assert_cmpfloat (x[i], ==, x2[i]);
      g_assert_cmpfloat (y[i], ==, y2[i]);
    }
  /* One point by hand: the first equals a single transform. */
  {
    double sx, sy;

    g_assert_true (geo_proj_lonlat_to_utm (32749, &lon[N - 1], &lat[N - 1], &sx, &sy, 1, &error));
    g_assert_cmpfloat (sx, ==, x[N - 1]);
    g_assert_cmpfloat (sy, ==, y[N - 1]);
  }
}

static void
test_scale_bound (void)
{
  /* The bound is never below PROJ's own point scale factor, and tight near the centre. */
  PJ_CONTEXT         *ctx = proj_context_create ();
  GRand              *rand = g_rand_new_with_seed (7);
  static const double boxes[][4] = { { 110.0, -8.5, 111.0, -7.5 },
                                     { 105.0, -9.0, 117.0, -5.0 },
                                     { 95.0, -11.0, 141.0, 6.0 } };

  for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
    {
      const double    *box = boxes[b];
      int              epsg = geo_utm_epsg_for ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
      g_autofree char *name = g_strdup_printf ("EPSG:%d", epsg);
      PJ              *pj = proj_create (ctx, name);
      double           bound = geo_utm_scale_bound (epsg, box[0], box[1], box[2], box[3]);
      double           kmax = 0;

      g_assert_nonnull (pj);
      for (guint i = 0; i < 21; i++)
        {
          double lon = g_rand_double_range (rand, box[0], box[2]);
          double lat = g_rand_double_range (rand, box[1], box[3]);

          if (i == 20)
            {
              /* The worst point: farthest from the central meridian, nearest the equator. */
              double cm = geo_utm_central_meridian (epsg);

              lon = fabs (box[0] - cm) > fabs (box[2] - cm) ? box[0] : box[2];
              lat = CLAMP (0.0, box[1], box[3]);
            }
          PJ_FACTORS f = proj_factors (pj, proj_coord (proj_torad (lon), proj_torad (lat), 0, 0));

          kmax = MAX (kmax, f.meridional_scale);
          g_assert_cmpfloat (f.meridional_scale, <=, bound);
        }
      g_assert_cmpfloat (bound - kmax, <, 0.02 * (kmax - GEO_UTM_K0) + 1e-6);
      proj_destroy (pj);
    }
  g_rand_free (rand);
  proj_context_destroy (ctx);
}

/* ---- geo-index: against brute force ---------------------------------------------------- */

typedef struct
{
  guint    n;
  double  *lon, *lat;
  guint32 *mask;
} Points;

static void
points_free (Points *p)
{
  g_free (p->lon);
  g_free (p->lat);
  g_free (p->mask);
}

/* Random points in a box, some clustered, some duplicated; masks of 1-3 of 6 bits. */
static void
points_random (GRand *rand, const double *box, guint n, Points *p)
{
  p->n = n;
  p->lon = g_new (double, MAX (n, 1));
  p->lat = g_new (double, MAX (n, 1));
  p->mask = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && g_rand_int_range (rand, 0, 20) == 0)
        {
          guint j = g_rand_int_range (rand, 0, i);

          p->lon[i] = p->lon[j];
          p->lat[i] = p->lat[j];
        }
      else if (i > 0 && g_rand_boolean (rand))
        {
          guint j = g_rand_int_range (rand, 0, i);

          p->lon[i] = CLAMP (p->lon[j] + g_rand_double_range (rand, -0.003, 0.003), box[0], box[2]);
          p->lat[i] = CLAMP (p->lat[j] + g_rand_double_range (rand, -0.003, 0.003), box[1], box[3]);
        }
      else
        {
          p->lon[i] = g_rand_double_range (rand, box[0], box[2]);
          p->lat[i] = g_rand_double_range (rand, box[1], box[3]);
        }
      p->mask[i] = 0;
      for (int b = g_rand_int_range (rand, 1, 4); b > 0; b--)
        p->mask[i] |= 1u << g_rand_int_range (rand, 0, 6);
    }
}

static gboolean
odd_item (guint item, gpointer user_data)
{
  return item % 2 == 1;
}

static int
hit_cmp (const void *a, const void *b)
{
  const GeoIndexHit *x = a, *y = b;

  if (x->distance_m != y->distance_m)
    return x->distance_m < y->distance_m ? -1 : 1;
  return (x->item > y->item) - (x->item < y->item);
}

static guint
brute_hits (const Points     *p,
            double            lon,
            double            lat,
            double            max_d,
            guint32           mask,
            GeoIndexPredicate pred,
            GeoIndexHit      *all)
{
  guint n = 0;

  for (guint i = 0; i < p->n; i++)
    {
      double d;

      if ((p->mask[i] & mask) == 0 || (pred != NULL && !pred (i, NULL)))
        continue;
      d = geo_geodesic_distance (lon, lat, p->lon[i], p->lat[i]);
      if (d <= max_d)
        all[n++] = (GeoIndexHit){ i, d };
    }
  qsort (all, n, sizeof (GeoIndexHit), hit_cmp);
  return n;
}

static const double boxes[][4] = {
  { 110.06, -8.17, 110.66, -7.63 }, /* Bantul-sized, 60 km */
  { 110.30, -7.95, 110.31, -7.94 }, /* one village, 1 km: many near ties */
  { 104.0, -8.5, 116.0, -5.5 },     /* Java, three UTM zones */
  { 95.0, -11.0, 141.0, 6.0 },      /* all Indonesia */
};

static void
test_index_random (void)
{
  guint n_seeds = g_test_slow () ? 200 : 60;

  for (guint seed = 1; seed <= n_seeds; seed++)
    {
      GRand        *rand = g_rand_new_with_seed (seed);
      const double *box = boxes[seed % G_N_ELEMENTS (boxes)];
      guint  n = seed % 10 == 0 ? g_rand_int_range (rand, 0, 4) : g_rand_int_range (rand, 1, 3000);
      Points p;
      g_autoptr(GeoIndex) idx = NULL;
      g_autofree GeoIndexHit *all = g_new (GeoIndexHit, MAX (n, 1));
      GError                 *error = NULL;

      points_random (rand, box, n, &p);
      idx = geo_index_new (p.lon, p.lat, p.mask, n, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (geo_index_get_size (idx), ==, n);

      for (guint q = 0; q < 60; q++)
        {
          /* Queries inside and somewhat outside the points' box. */
          double  w = box[2] - box[0], h = box[3] - box[1];
          double  lon = g_rand_double_range (rand, box[0] - 0.1 * w, box[2] + 0.1 * w);
          double  lat = g_rand_double_range (rand, box[1] - 0.1 * h, box[3] + 0.1 * h);
          guint   k = g_rand_int_range (rand, 1, q % 7 == 0 ? 80 : 6);
          guint32 mask = q % 3 == 0 ? GEO_INDEX_ANY : (guint32) g_rand_int_range (rand, 1, 64);
          GeoIndexPredicate pred = q % 5 == 0 ? odd_item : NULL;
          double max_d = q % 4 == 0 ? g_rand_double_range (rand, 0, 0.3 * w * 111000) : INFINITY;
          g_autofree GeoIndexHit *hits = g_new (GeoIndexHit, k);
          guint                   expect = brute_hits (&p, lon, lat, max_d, mask, pred, all);
          guint got = geo_index_nearest (idx, lon, lat, k, max_d, mask, pred, NULL, hits, &error);
          g_autoptr(GArray) within = NULL;

          g_assert_no_error (error);
          g_assert_cmpuint (got, ==, MIN (k, expect));
          for (guint i = 0; i < got; i++)
            {
              if (hits[i].item != all[i].item)
                g_printerr ("seed %u n %u q %u k %u mask %x max %g i %u: %u %.9f vs %u %.9f\n",
                            seed,
                            n,
                            q,
                            k,
                            mask,
                            max_d,
                            i,
                            hits[i].item,
                            hits[i].distance_m,
                            all[i].item,
                            all[i].distance_m);
              g_assert_cmpuint (hits[i].item, ==, all[i].item);
              g_assert_cmpfloat (hits[i].distance_m, ==, all[i].distance_m);
            }

          if (isfinite (max_d))
            {
              within = geo_index_within (idx, lon, lat, max_d, mask, pred, NULL, &error);
              g_assert_no_error (error);
              g_assert_cmpuint (within->len, ==, expect);
              for (guint i = 0; i < expect; i++)
                {
                  g_assert_cmpuint (g_array_index (within, GeoIndexHit, i).item, ==, all[i].item);
                  g_assert_cmpfloat (g_array_index (within, GeoIndexHit, i).distance_m,
                                     ==,
                                     all[i].distance_m);
                }
            }
        }

      for (guint q = 0; q < 20; q++)
        {
          double a = g_rand_double_range (rand, box[0], box[2]);
          double b = g_rand_double_range (rand, box[0], box[2]);
          double c = g_rand_double_range (rand, box[1], box[3]);
          double d = g_rand_double_range (rand, box[1], box[3]);
          g_autoptr(GArray) items =
                  geo_index_bbox (idx, MIN (a, b), MIN (c, d), MAX (a, b), MAX (c, d), &error);
          guint j = 0;

          g_assert_no_error (error);
          for (guint i = 0; i < n; i++)
            if (p.lon[i] >= MIN (a, b) && p.lon[i] <= MAX (a, b) && p.lat[i] >= MIN (c, d) &&
                p.lat[i] <= MAX (c, d))
              {
                g_assert_cmpuint (j, <, items->len);
                g_assert_cmpuint (g_array_index (items, guint32, j), ==, i);
                j++;
              }
          g_assert_cmpuint (j, ==, items->len);
        }
      points_free (&p);
      g_rand_free (rand);
    }
}

/* Hand-made: three points on the equator 0.01 deg apart; a query at lon 0.012. */
static void
test_index_hand (void)
{
  const double  lon[] = { 0.00, 0.01, 0.02, 0.01 };
  const double  lat[] = { 0.00, 0.00, 0.00, 0.01 };
  const guint32 mask[] = { 1, 2, 1, 4 };
  g_autoptr(GeoIndex) idx = NULL;
  GeoIndexHit hits[4];
  GError     *error = NULL;
  guint       n;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) box = NULL;

  idx = geo_index_new (lon, lat, mask, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_index_get_epsg (idx), ==, 32631);

  n = geo_index_nearest (idx, 0.012, 0, 4, INFINITY, GEO_INDEX_ANY, NULL, NULL, hits, &error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (hits[0].item, ==, 1);
  g_assert_cmpuint (hits[1].item, ==, 2); /* 0.008 deg: 890.6 m */
  g_assert_cmpuint (hits[2].item, ==, 3); /* ~1,128 m: sqrt(222.6^2 + 1105.7^2) */
  g_assert_cmpuint (hits[3].item, ==, 0);
  /* 0.002 deg of longitude on the equator: 111319.490793 * 0.002 */
  g_assert_cmpfloat_with_epsilon (hits[0].distance_m, 222.638981586, 1e-6);
  g_assert_cmpfloat_with_epsilon (hits[1].distance_m, 0.008 * 111319.490793, 1e-5);
  g_assert_cmpfloat (hits[2].distance_m, >, 1120);
  g_assert_cmpfloat (hits[2].distance_m, <, 1135);

  /* Mask 1: points 0 and 2 only; 2 is nearer. */
  n = geo_index_nearest (idx, 0.012, 0, 1, INFINITY, 1, NULL, NULL, hits, &error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (hits[0].item, ==, 2);
  /* Mask 8: nothing. Radius 100 m: nothing. */
  g_assert_cmpuint (geo_index_nearest (idx, 0.012, 0, 1, INFINITY, 8, NULL, NULL, hits, &error),
                    ==,
                    0);
  g_assert_cmpuint (geo_index_nearest (idx,
                                       0.012,
                                       0,
                                       3,
                                       100,
                                       GEO_INDEX_ANY,
                                       NULL,
                                       NULL,
                                       hits,
                                       &error),
                    ==,
                    0);
  g_assert_no_error (error);

  in = geo_index_within (idx, 0.012, 0, 1000, GEO_INDEX_ANY, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in->len, ==, 2);
  g_assert_cmpuint (g_array_index (in, GeoIndexHit, 0).item, ==, 1);
  g_assert_cmpuint (g_array_index (in, GeoIndexHit, 1).item, ==, 2);

  g_assert_null (geo_index_within (idx, 0.012, 0, -5, GEO_INDEX_ANY, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);

  box = geo_index_bbox (idx, 0.005, -0.001, 0.03, 0.001, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (box->len, ==, 2);
  g_assert_cmpuint (g_array_index (box, guint32, 0), ==, 1);
  g_assert_cmpuint (g_array_index (box, guint32, 1), ==, 2);
  g_assert_null (geo_index_bbox (idx, 1, 0, 0, 1, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (geo_index_nearest (idx,
                                       0,
                                       95,
                                       1,
                                       INFINITY,
                                       GEO_INDEX_ANY,
                                       NULL,
                                       NULL,
                                       hits,
                                       &error),
                    ==,
                    0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_index_empty (void)
{
  g_autoptr(GeoIndex) idx = geo_index_new (NULL, NULL, NULL, 0, NULL);
  GeoIndexHit hit;
  g_autoptr(GArray) box = NULL;

  g_assert_nonnull (idx);
  g_assert_cmpuint (geo_index_nearest (idx,
                                       110,
                                       -7,
                                       1,
                                       INFINITY,
                                       GEO_INDEX_ANY,
                                       NULL,
                                       NULL,
                                       &hit,
                                       NULL),
                    ==,
                    0);
  box = geo_index_bbox (idx, 100, -10, 120, 0, NULL);
  g_assert_cmpuint (box->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (geodesic_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/proj/geodesic/%s", geodesic_cases[i].name);
      g_test_add_data_func (path, &geodesic_cases[i], test_geodesic);
    }
  for (guint i = 0; i < G_N_ELEMENTS (utm_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/proj/utm/%s", utm_cases[i].name);
      g_test_add_data_func (path, &utm_cases[i], test_utm);
    }
  g_test_add_func ("/geo/proj/utm/batch", test_utm_batch_in_threads);
  g_test_add_func ("/geo/proj/scale-bound", test_scale_bound);
  g_test_add_func ("/geo/index/hand", test_index_hand);
  g_test_add_func ("/geo/index/empty", test_index_empty);
  g_test_add_func ("/geo/index/random-vs-brute-force", test_index_random);
  return g_test_run ();
}
