#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TSPLIB95 (Reinelt 1991) symmetric TSP instances and tours.
 *
 * Only coordinate instances are read (NODE_COORD_SECTION); the supported EDGE_WEIGHT_TYPEs are
 * EUC_2D, CEIL_2D, GEO and ATT. Distances are the integer functions of the TSPLIB95 document,
 * so tour lengths compare exactly with the published optima. Node numbers in files are 1-based;
 * every array in this API is 0-based. */

typedef enum
{
  GEO_TSPLIB_EUC_2D,
  GEO_TSPLIB_CEIL_2D,
  GEO_TSPLIB_GEO,
  GEO_TSPLIB_ATT,
} GeoTsplibWeightType;

typedef struct
{
  char               *name;
  char               *comment;
  GeoTsplibWeightType weight_type;
  guint               dimension;
  double             *x; /* dimension entries; for GEO: latitude as DDD.MM */
  double             *y; /* for GEO: longitude as DDD.MM */
} GeoTsplibInstance;

GeoTsplibInstance *
geo_tsplib_parse (const char *text, gsize length, const char *source_name, GError **error);
GeoTsplibInstance *geo_tsplib_load (const char *path, GError **error);
void               geo_tsplib_instance_free (GeoTsplibInstance *instance);

const char *geo_tsplib_weight_type_to_string (GeoTsplibWeightType type);

int    geo_tsplib_nint (double x);
int    geo_tsplib_dist_euc_2d (double x1, double y1, double x2, double y2);
int    geo_tsplib_dist_ceil_2d (double x1, double y1, double x2, double y2);
int    geo_tsplib_dist_geo (double x1, double y1, double x2, double y2);
int    geo_tsplib_dist_att (double x1, double y1, double x2, double y2);
int    geo_tsplib_distance (const GeoTsplibInstance *instance, guint i, guint j);
gint64 geo_tsplib_tour_length (const GeoTsplibInstance *instance, const guint *tour, guint n);

guint *geo_tsplib_parse_tour (
    const char *text, gsize length, const char *source_name, guint *n_nodes, GError **error);
guint   *geo_tsplib_load_tour (const char *path, guint *n_nodes, GError **error);
gboolean geo_tsplib_write_tour (const char  *path,
                                const char  *name,
                                const char  *comment,
                                const guint *tour,
                                guint        n,
                                GError     **error);

gint64 geo_tsplib_known_optimum (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoTsplibInstance, geo_tsplib_instance_free)

G_END_DECLS
