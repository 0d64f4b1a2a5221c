#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* WGS84 ellipsoid (EPSG:7030). */
#define GEO_WGS84_A 6378137.0
#define GEO_WGS84_F (1.0 / 298.257223563)

/* UTM scale factor on the central meridian. */
#define GEO_UTM_K0 0.9996

double geo_geodesic_distance (double lon1, double lat1, double lon2, double lat2);
int    geo_utm_epsg_for (double lon, double lat);
double geo_utm_central_meridian (int epsg);
double
geo_utm_scale_bound (int epsg, double min_lon, double min_lat, double max_lon, double max_lat);
gboolean geo_proj_lonlat_to_utm (
    int epsg, const double *lon, const double *lat, double *x, double *y, gsize n, GError **error);
gboolean geo_proj_utm_to_lonlat (
    int epsg, const double *x, const double *y, double *lon, double *lat, gsize n, GError **error);

G_END_DECLS
