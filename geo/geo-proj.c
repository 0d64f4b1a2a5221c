#include "config.h"

#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <string.h>

#include "geo-error.h"
#include "geo-proj.h"

/* The WGS84 geodesic, initialised once and read-only afterwards: geod_inverse only reads it,
 * so every thread shares it. */
static const struct geod_geodesic *
wgs84 (void)
{
  static struct geod_geodesic g;
  static gsize                once = 0;

  if (g_once_init_enter (&once))
    {
      geod_init (&g, GEO_WGS84_A, GEO_WGS84_F);
      g_once_init_leave (&once, 1);
    }
  return &g;
}

/**
 * geo_geodesic_distance:
 *
 * The geodesic (shortest) distance in metres between two EPSG:4326 points on the WGS84
 * ellipsoid (Karney's algorithm, PROJ's geodesic API; accurate to about 15 nm).
 * Thread-safe.
 */
double
geo_geodesic_distance (double lon1, double lat1, double lon2, double lat2)
{
  double s12 = 0;

  geod_inverse (wgs84 (), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
  return s12;
}

/**
 * geo_utm_epsg_for:
 *
 * The EPSG code of the WGS84 UTM zone holding (@lon, @lat): 326zz north of the equator,
 * 327zz south of it (the equator itself counts as north). The Norway/Svalbard exceptions do
 * not apply to Indonesia and are ignored.
 */
int
geo_utm_epsg_for (double lon, double lat)
{
  int zone;

  lon = fmod (lon + 180.0, 360.0);
  if (lon < 0)
    lon += 360.0;
  zone = (int) floor (lon / 6.0) + 1;
  zone = CLAMP (zone, 1, 60);
  return (lat < 0 ? 32700 : 32600) + zone;
}

/* Longitude of the central meridian of a UTM EPSG code (326zz / 327zz). */
double
geo_utm_central_meridian (int epsg)
{
  int zone = epsg % 100;

  return -183.0 + 6.0 * zone;
}

/* An upper bound of the transverse Mercator point scale for cos(lat) * sin(dlon) = b: the
 * sphere's k0 / sqrt (1 - b^2), with its excess over k0 widened by 1 % for the ellipsoid
 * (the ellipsoid's leading term is larger by the factor 1 + e'^2 cos^2 lat <= 1.0068; the
 * fourth-order terms of both agree). */
static double
scale_bound_for (double b)
{
  double k_sphere;

  b = MIN (fabs (b), 0.999);
  k_sphere = 1.0 / sqrt (1.0 - b * b);
  return GEO_UTM_K0 * (1.0 + 1.01 * (k_sphere - 1.0)) * (1.0 + 1e-9);
}

/**
 * geo_utm_scale_bound:
 *
 * An upper bound of the UTM point scale factor k over the lon/lat box, in the zone @epsg.
 * Any projected (chord) distance between two points whose geodesic stays in the box is at
 * most this bound times the geodesic distance: the chord is no longer than the projected
 * geodesic, whose length is the integral of k along it.
 */
double
geo_utm_scale_bound (int epsg, double min_lon, double min_lat, double max_lon, double max_lat)
{
  double cm = geo_utm_central_meridian (epsg);
  double dlon = MAX (fabs (min_lon - cm), fabs (max_lon - cm));
  double lat0 = CLAMP (0.0, min_lat, max_lat); /* cos(lat) is largest nearest the equator */
  double rad = G_PI / 180.0;

  dlon = MIN (dlon, 89.0);
  return scale_bound_for (cos (lat0 * rad) * sin (dlon * rad));
}

/* One PJ_CONTEXT per thread (PROJ contexts are not thread-safe), with the transformation
 * last asked for on that thread. Freed when the thread exits. */
typedef struct
{
  PJ_CONTEXT *ctx;
  PJ         *pj;
  int         epsg;
} ThreadProj;

static void
thread_proj_free (gpointer data)
{
  ThreadProj *tp = data;

  if (tp == NULL)
    return;
  if (tp->pj != NULL)
    proj_destroy (tp->pj);
  proj_context_destroy (tp->ctx);
  g_free (tp);
}

static GPrivate thread_proj = G_PRIVATE_INIT (thread_proj_free);

static PJ *
thread_pj (int epsg, GError **error)
{
  ThreadProj      *tp = g_private_get (&thread_proj);
  g_autofree char *target = NULL;
  PJ              *raw, *norm;

  if (tp == NULL)
    {
      tp = g_new0 (ThreadProj, 1);
      tp->ctx = proj_context_create ();
      proj_log_level (tp->ctx, PJ_LOG_NONE);
      g_private_set (&thread_proj, tp);
    }
  if (tp->pj != NULL && tp->epsg == epsg)
    return tp->pj;
  g_clear_pointer (&tp->pj, proj_destroy);

  target = g_strdup_printf ("EPSG:%d", epsg);
  raw = proj_create_crs_to_crs (tp->ctx, "EPSG:4326", target, NULL);
  if (raw == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_PROJ,
                   "Cannot create the transformation EPSG:4326 → %s: %s",
                   target,
                   proj_context_errno_string (tp->ctx, proj_context_errno (tp->ctx)));
      return NULL;
    }
  /* lon, lat in and x, y out whatever the CRS's axis order. */
  norm = proj_normalize_for_visualization (tp->ctx, raw);
  proj_destroy (raw);
  if (norm == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_PROJ,
                   "Cannot normalise the axis order of %s",
                   target);
      return NULL;
    }
  tp->pj = norm;
  tp->epsg = epsg;
  return norm;
}

static gboolean
transform (int           epsg,
           PJ_DIRECTION  dir,
           const double *in_x,
           const double *in_y,
           double       *out_x,
           double       *out_y,
           gsize         n,
           GError      **error)
{
  PJ   *pj = thread_pj (epsg, error);
  gsize done;

  if (pj == NULL)
    return FALSE;
  if (n == 0)
    return TRUE;
  if (out_x != in_x)
    memcpy (out_x, in_x, n * sizeof (double));
  if (out_y != in_y)
    memcpy (out_y, in_y, n * sizeof (double));
  proj_errno_reset (pj);
  done = proj_trans_generic (pj,
                             dir,
                             out_x,
                             sizeof (double),
                             n,
                             out_y,
                             sizeof (double),
                             n,
                             NULL,
                             0,
                             0,
                             NULL,
                             0,
                             0);
  if (done != n)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_PROJ,
                   "Transforming %" G_GSIZE_FORMAT " points to EPSG:%d failed",
                   n,
                   epsg);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (out_x[i]) || !isfinite (out_y[i]))
      {
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_PROJ,
                     "Point %g, %g cannot be transformed with EPSG:%d",
                     in_x[i],
                     in_y[i],
                     epsg);
        return FALSE;
      }
  return TRUE;
}

/**
 * geo_proj_lonlat_to_utm:
 *
 * Transforms @n EPSG:4326 lon/lat points to metres in the UTM CRS @epsg (x easting, y
 * northing) with one proj_trans_generic call. @x/@y may alias @lon/@lat. Uses the calling
 * thread's own PJ_CONTEXT.
 */
gboolean
geo_proj_lonlat_to_utm (
    int epsg, const double *lon, const double *lat, double *x, double *y, gsize n, GError **error)
{
  return transform (epsg, PJ_FWD, lon, lat, x, y, n, error);
}

/* The inverse of geo_proj_lonlat_to_utm. */
gboolean
geo_proj_utm_to_lonlat (
    int epsg, const double *x, const double *y, double *lon, double *lat, gsize n, GError **error)
{
  return transform (epsg, PJ_INV, x, y, lon, lat, n, error);
}
