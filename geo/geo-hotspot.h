#pragma once

#include <gio/gio.h>

#include "geo-export.h"
#include "geo-selection.h"
#include "geo-store.h"

G_BEGIN_DECLS

/* Getis-Ord Gi* hotspots (Getis & Ord 1992, Ord & Getis 1995) on a square grid and on desa
 * polygons. Binary weights, the unit itself included (the "star"). Distances in metres in the
 * UTM zone of the data's centre. See docs/hotspots.md for the formulas. */

#define GEO_HOTSPOT_DEFAULT_CELL_M 500.0
#define GEO_HOTSPOT_DEFAULT_BAND_M 1000.0
/* Polygons closer than this count as contiguous: the stored boundaries are simplified one by one,
 * so neighbours overlap or leave gaps of a few metres (docs/hotspots.md). */
#define GEO_HOTSPOT_DEFAULT_TOLERANCE_M 25.0

/**
 * GeoHotspotClass:
 *
 * Hot (z > 0) or cold (z < 0) at 90/95/99 % confidence: the two-sided p-value (or its FDR
 * adjustment) is <= 0.10, 0.05, 0.01. %GEO_HOTSPOT_NO_DATA marks an area left out (no rate).
 */
typedef enum
{
  GEO_HOTSPOT_COLD_99 = -3,
  GEO_HOTSPOT_COLD_95 = -2,
  GEO_HOTSPOT_COLD_90 = -1,
  GEO_HOTSPOT_NOT_SIGNIFICANT = 0,
  GEO_HOTSPOT_HOT_90 = 1,
  GEO_HOTSPOT_HOT_95 = 2,
  GEO_HOTSPOT_HOT_99 = 3,
  GEO_HOTSPOT_NO_DATA = 4,
} GeoHotspotClass;

const char     *geo_hotspot_class_to_string (GeoHotspotClass klass);
GeoHotspotClass geo_hotspot_classify (double z, double p);

/* Two-sided p-value of a standard normal z-score; NaN for NaN. */
double geo_gistar_p_value (double z);

/* Benjamini-Hochberg adjusted p-values (R's p.adjust (p, "BH")); NaN entries are skipped and not
 * counted. @p_adj may be @p. */
void geo_fdr_bh (const double *p, gsize n, double *p_adj);

/**
 * GeoNeighbours:
 *
 * Binary spatial weights in compressed rows: the neighbours of unit i are
 * index[start[i] .. start[i + 1] - 1], WITHOUT i itself (Gi* adds it). Symmetric for the
 * weights built here, but geo_gistar() does not need it.
 */
typedef struct
{
  guint  n;
  guint *start; /* n + 1 */
  guint *index;
} GeoNeighbours;

void geo_neighbours_clear (GeoNeighbours *nb);

gboolean geo_gistar (const double *x, const GeoNeighbours *nb, double *z, GError **error);
gboolean geo_gistar_grid (const double *x,
                          guint         nx,
                          guint         ny,
                          double        cell_m,
                          double        band_m,
                          double       *z,
                          guint        *stencil_size,
                          GCancellable *cancellable,
                          GError      **error);

typedef struct
{
  double   cell_m; /* <= 0 is refused; the CLI passes the default */
  double   band_m;
  gboolean fdr;
  /* Optional: called from the computing thread with the share of the Gi* rows done (0..1). */
  GeoProgressFunc progress;
  gpointer        progress_data;
} GeoHotspotGridOptions;

/**
 * GeoHotspotGrid:
 *
 * Cell (ix, iy) is element iy * nx + ix; iy = 0 is the southern row. Its lower-left corner is
 * (x0 + ix * cell_m, y0 + iy * cell_m) in EPSG:@epsg; x0 and y0 are multiples of cell_m.
 */
typedef struct
{
  int     epsg;
  double  cell_m;
  double  band_m;
  double  x0, y0;
  guint   nx, ny;
  gsize   n_cells;
  guint   stencil_size; /* cells in the band, the cell itself included */
  double  total;        /* sum of the counts */
  double *count;
  double *z;
  double *p;
  double *p_fdr; /* NULL unless FDR was asked for */
  gint8  *klass; /* GeoHotspotClass, from p_fdr when present */
} GeoHotspotGrid;

void geo_hotspot_grid_free (GeoHotspotGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoHotspotGrid, geo_hotspot_grid_free)

GeoHotspotGrid *geo_hotspot_grid_projected (const double                *x,
                                            const double                *y,
                                            const double                *weight,
                                            gsize                        n,
                                            int                          epsg,
                                            const GeoHotspotGridOptions *opts,
                                            GCancellable                *cancellable,
                                            GError                     **error);
GeoHotspotGrid *geo_hotspot_grid (const double                *lon,
                                  const double                *lat,
                                  const double                *weight,
                                  gsize                        n,
                                  const GeoHotspotGridOptions *opts,
                                  GCancellable                *cancellable,
                                  GError                     **error);
gboolean geo_hotspot_grid_write (const GeoHotspotGrid *grid, const char *path, GError **error);

/* Per-family weights of a selection: its selected persons, or 1 per family. Owned. */
double *geo_selection_family_weights (const GeoSelection *sel, gboolean families);

typedef enum
{
  GEO_HOTSPOT_RATE_NONE,       /* the count itself */
  GEO_HOTSPOT_RATE_FAMILIES,   /* per 1,000 families of the desa (all families in the project) */
  GEO_HOTSPOT_RATE_POPULATION, /* per 1,000 inhabitants (area.population) */
} GeoHotspotRate;

typedef enum
{
  GEO_HOTSPOT_WEIGHTS_CONTIGUITY, /* boundaries within tolerance_m of each other */
  GEO_HOTSPOT_WEIGHTS_DISTANCE,   /* centroids within band_m */
} GeoHotspotWeights;

typedef struct
{
  GeoHotspotRate    rate;
  GeoHotspotWeights weights;
  double            band_m; /* distance weights; <= 0: the smallest band giving every desa a
                             * neighbour (the largest nearest-neighbour distance) */
  double   tolerance_m;     /* contiguity; < 0 is refused */
  gboolean fdr;
} GeoHotspotAreaOptions;

/**
 * GeoHotspotAreas:
 *
 * One row per desa of the project (restricted to the filter's --area codes when given), in code
 * order. Desa without a rate denominator get NaN values and %GEO_HOTSPOT_NO_DATA and are left
 * out of the statistic.
 */
typedef struct
{
  int           epsg; /* UTM zone of the centroids and distances */
  guint         n;
  char        **code; /* NULL-terminated */
  char        **name;
  double       *count; /* selected persons (or families) */
  double       *base;  /* families or population; NaN without a rate */
  double       *value; /* count, or count per 1,000 base */
  double       *z;
  double       *p;
  double       *p_fdr;
  gint8        *klass;
  guint        *n_neighbours;
  double        band_m;     /* the band used (distance weights) */
  double        unassigned; /* selected persons (or families) in no desa of the study area */
  GeoNeighbours nb;         /* over all n rows; rows without data have no neighbours */
  GBytes      **wkb;        /* EPSG:4326 polygons */
} GeoHotspotAreas;

void geo_hotspot_areas_free (GeoHotspotAreas *areas);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoHotspotAreas, geo_hotspot_areas_free)

GeoHotspotAreas *geo_hotspot_areas (GeoStore                    *store,
                                    const GeoSelection          *sel,
                                    const GeoFilter             *filter,
                                    gboolean                     families,
                                    const GeoHotspotAreaOptions *opts,
                                    GCancellable                *cancellable,
                                    GError                     **error);
gboolean geo_hotspot_areas_write (const GeoHotspotAreas *areas, const char *path, GError **error);

G_END_DECLS
