#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Projection helpers for the grid analyses (hotspots, density): the UTM zone of a data set and
 * batch transforms with PROJ. Coordinates are lon, lat (EPSG:4326) or easting, northing in
 * metres (the projected CRS). */

/* Refuse grids (cells or pixels) larger than this: about 1.6 GB of arrays for Gi*. */
#define GEO_GRID_MAX_CELLS 50000000.0

int      geo_grid_utm_epsg (double lon, double lat);
gboolean geo_grid_utm_epsg_for_points (
    const double *lon, const double *lat, gsize n, int *epsg, GError **error);
gboolean
geo_grid_transform (int src_epsg, int dst_epsg, double *x, double *y, gsize n, GError **error);

G_END_DECLS
