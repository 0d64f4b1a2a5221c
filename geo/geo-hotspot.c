#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "geo-error.h"
#include "geo-grid.h"
#include "geo-hotspot-private.h"
#include "geo-hotspot.h"

const char *
geo_hotspot_class_to_string (GeoHotspotClass klass)
{
  switch (klass)
    {
    case GEO_HOTSPOT_COLD_99:
      return "cold-99";
    case GEO_HOTSPOT_COLD_95:
      return "cold-95";
    case GEO_HOTSPOT_COLD_90:
      return "cold-90";
    case GEO_HOTSPOT_NOT_SIGNIFICANT:
      return "not-significant";
    case GEO_HOTSPOT_HOT_90:
      return "hot-90";
    case GEO_HOTSPOT_HOT_95:
      return "hot-95";
    case GEO_HOTSPOT_HOT_99:
      return "hot-99";
    case GEO_HOTSPOT_NO_DATA:
      return "no-data";
    default:
      break;
    }
  return "unknown";
}

/**
 * geo_hotspot_classify:
 * @p: the two-sided p-value of @z, or its FDR adjustment
 *
 * Hot/cold at 99, 95 and 90 % confidence: @p <= 0.01, 0.05, 0.10 with the sign of @z.
 */
GeoHotspotClass
geo_hotspot_classify (double z, double p)
{
  int level;

  if (isnan (z) || isnan (p) || z == 0)
    return GEO_HOTSPOT_NOT_SIGNIFICANT;
  if (p <= 0.01)
    level = 3;
  else if (p <= 0.05)
    level = 2;
  else if (p <= 0.10)
    level = 1;
  else
    return GEO_HOTSPOT_NOT_SIGNIFICANT;
  return (GeoHotspotClass) (z > 0 ? level : -level);
}

double
geo_gistar_p_value (double z)
{
  if (isnan (z))
    return NAN;
  /* 2 (1 - Phi (|z|)) = erfc (|z| / sqrt 2), accurate in the far tail too. */
  return erfc (fabs (z) / G_SQRT2);
}

typedef struct
{
  double p;
  gsize  i;
} RankedP;

static int
ranked_p_cmp (const void *a, const void *b)
{
  const RankedP *ra = a, *rb = b;

  if (ra->p != rb->p)
    return ra->p < rb->p ? -1 : 1;
  return ra->i < rb->i ? -1 : ra->i > rb->i;
}

/**
 * geo_fdr_bh:
 *
 * Benjamini & Hochberg (1995): with the m finite p-values sorted, p_(k) becomes
 * min over j >= k of (m / j) p_(j), capped at 1. Rejecting where the adjusted value is <= alpha
 * controls the false discovery rate at alpha. NaN entries stay NaN.
 */
void
geo_fdr_bh (const double *p, gsize n, double *p_adj)
{
  g_autofree RankedP *r = g_new (RankedP, MAX (n, 1));
  gsize               m = 0;
  double              running = 1.0;

  for (gsize i = 0; i < n; i++)
    if (!isnan (p[i]))
      r[m++] = (RankedP){ p[i], i };
  for (gsize i = 0; i < n; i++)
    if (isnan (p[i]))
      p_adj[i] = NAN;
  qsort (r, m, sizeof (RankedP), ranked_p_cmp);
  for (gsize k = m; k > 0; k--)
    {
      double v = r[k - 1].p * (double) m / (double) k;

      running = MIN (running, v);
      p_adj[r[k - 1].i] = running;
    }
}

void
geo_neighbours_clear (GeoNeighbours *nb)
{
  g_clear_pointer (&nb->start, g_free);
  g_clear_pointer (&nb->index, g_free);
  nb->n = 0;
}

/* Mean and population variance (divided by n, as in Ord & Getis 1995 and spdep), two-pass. */
static gboolean
moments (const double *x, gsize n, double *mean, double *sd, GError **error)
{
  double sum = 0, ss = 0;

  if (n < 2)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Gi* needs at least 2 cells or areas (got %" G_GSIZE_FORMAT ")",
                   n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    sum += x[i];
  *mean = sum / (double) n;
  for (gsize i = 0; i < n; i++)
    ss += (x[i] - *mean) * (x[i] - *mean);
  *sd = sqrt (ss / (double) n);
  if (!(*sd > 0))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "every cell or area has the same value (%g): Gi* is undefined",
                   *mean);
      return FALSE;
    }
  return TRUE;
}

/* The Gi* z-score from the local sum S over the W units in the star (binary weights, so
 * S1 = sum w^2 = W): (S - mean W) / (sd sqrt ((n W - W^2) / (n - 1))). */
static inline double
gistar_z (double s, double w, double n, double mean, double sd)
{
  double var = (n * w - w * w) / (n - 1);

  if (!(var > 0))
    return NAN; /* the star covers every unit: nothing to compare with */
  return (s - mean * w) / (sd * sqrt (var));
}

/**
 * geo_gistar:
 * @x: one value per unit
 * @nb: neighbours of each unit, without the unit itself
 * @z: (out caller-allocates): nb->n z-scores
 *
 * Gi* with binary weights over the star {i} + neighbours(i), the textbook formula that
 * spdep::localG computes for a listw with include.self() and style "B".
 */
gboolean
geo_gistar (const double *x, const GeoNeighbours *nb, double *z, GError **error)
{
  double mean, sd, n = nb->n;

  if (!moments (x, nb->n, &mean, &sd, error))
    return FALSE;
  for (guint i = 0; i < nb->n; i++)
    {
      double s = x[i];

      for (guint k = nb->start[i]; k < nb->start[i + 1]; k++)
        s += x[nb->index[k]];
      z[i] = gistar_z (s, 1.0 + (nb->start[i + 1] - nb->start[i]), n, mean, sd);
    }
  return TRUE;
}

/* The largest h with h^2 + dj^2 <= band2 (band2 in squared cells), exact around the float sqrt. */
static gint64
stencil_half (double band2, int dj)
{
  double rest = band2 - (double) dj * dj;
  gint64 h = (gint64) floor (sqrt (MAX (rest, 0)));

  while ((double) (h + 1) * (double) (h + 1) <= rest)
    h++;
  while (h > 0 && (double) h * (double) h > rest)
    h--;
  return h;
}

typedef struct
{
  const double *prefix; /* (nx + 1) per row: prefix[r * (nx + 1) + c] = sum of row r, cols < c */
  const int    *half;   /* half-width of the stencil row dj, at half[dj + R] */
  int           R;
  guint         nx, ny;
  guint         row0, row1;
  double        mean, sd;
  double       *z;
  GCancellable *cancellable;
  GeoProgressFunc progress; /* the first job only: reports its share of the rows */
  gpointer        progress_data;
} GridJob;

static gpointer
grid_worker (gpointer data)
{
  GridJob *job = data;
  double   n = (double) job->nx * job->ny;
  gsize    stride = (gsize) job->nx + 1;

  for (guint iy = job->row0; iy < job->row1; iy++)
    {
      int dj0 = MAX (-job->R, -(int) iy);

      if (g_cancellable_is_cancelled (job->cancellable))
        break;
      if (job->progress != NULL && ((iy - job->row0) & 15) == 0)
        job->progress ((double) (iy - job->row0) / (job->row1 - job->row0), job->progress_data);
      int dj1 = MIN (job->R, (int) job->ny - 1 - (int) iy);

      for (guint ix = 0; ix < job->nx; ix++)
        {
          double s = 0, w = 0;

          for (int dj = dj0; dj <= dj1; dj++)
            {
              int           h = job->half[dj + job->R];
              int           c0 = MAX ((int) ix - h, 0);
              int           c1 = MIN ((int) ix + h, (int) job->nx - 1);
              const double *row = job->prefix + (gsize) (iy + dj) * stride;

              s += row[c1 + 1] - row[c0];
              w += c1 - c0 + 1;
            }
          job->z[(gsize) iy * job->nx + ix] = gistar_z (s, w, n, job->mean, job->sd);
        }
    }
  return NULL;
}

/**
 * geo_gistar_grid:
 * @x: nx * ny values, row-major (element iy * nx + ix)
 * @cell_m: cell size, metres
 * @band_m: distance band, metres: cells whose centres are at most @band_m apart are neighbours
 *   (relative tolerance 1e-9, so a band that is a multiple of the cell size includes that ring)
 * @z: (out caller-allocates): nx * ny z-scores
 * @stencil_size: (out) (optional): cells in a full star
 *
 * Gi* on a full grid. The band is a fixed disc of cell offsets; each of its rows is a run of
 * cells, summed in O(1) from per-row prefix sums, so the cost is O(cells x stencil rows), split
 * over two threads for large grids.
 */
static gboolean
gistar_grid (const double   *x,
             guint           nx,
             guint           ny,
             double          cell_m,
             double          band_m,
             double         *z,
             guint          *stencil_size,
             GeoProgressFunc progress,
             gpointer        progress_data,
             GCancellable   *cancellable,
             GError        **error)
{
  gsize              n = (gsize) nx * ny, stride = (gsize) nx + 1;
  double             mean, sd, reach, band2;
  g_autofree double *prefix = NULL;
  g_autofree int    *half = NULL;
  guint              size = 0;
  int                R;

  if (!(cell_m > 0) || !isfinite (cell_m) || !(band_m >= 0) || !isfinite (band_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the cell size must be > 0 and the distance band >= 0 (got %g m, %g m)",
                   cell_m,
                   band_m);
      return FALSE;
    }
  if (!moments (x, n, &mean, &sd, error))
    return FALSE;

  /* Rows beyond the grid never contribute: clip the stencil to the grid's height. */
  band2 = (band_m / cell_m) * (band_m / cell_m) * (1 + 1e-9);
  reach = floor (sqrt (band2));
  R = (int) MIN (reach, (double) ny - 1);
  if ((double) n * (2.0 * R + 1) > 2e10)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "a %g m band over %" G_GSIZE_FORMAT " cells of %g m is too much work: "
                   "use larger cells or a smaller band",
                   band_m,
                   n,
                   cell_m);
      return FALSE;
    }
  half = g_new (int, 2 * R + 1);
  for (int dj = -R; dj <= R; dj++)
    half[dj + R] = (int) MIN ((double) stencil_half (band2, dj), (double) nx - 1);
  if (stencil_size != NULL)
    {
      /* The full disc, as if the grid were unbounded (capped for absurd bands). */
      double full = MIN (reach, 1e6);

      for (int dj = -(int) full; dj <= (int) full; dj++)
        size += 2 * (guint) stencil_half (band2, dj) + 1;
      *stencil_size = size;
    }

  prefix = g_new (double, stride *ny);
  for (guint iy = 0; iy < ny; iy++)
    {
      double       *row = prefix + (gsize) iy * stride;
      const double *in = x + (gsize) iy * nx;

      row[0] = 0;
      for (guint ix = 0; ix < nx; ix++)
        row[ix + 1] = row[ix] + in[ix];
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  {
    guint n_jobs = (double) n * (2 * R + 1) > 2e6 && g_get_num_processors () > 1 && ny > 1 ? 2 : 1;
    GridJob  jobs[2];
    GThread *thread = NULL;

    for (guint j = 0; j < n_jobs; j++)
      jobs[j] =
          (GridJob){ .prefix = prefix,
                     .half = half,
                     .R = R,
                     .nx = nx,
                     .ny = ny,
                     .row0 = ny * j / n_jobs,
                     .row1 = ny * (j + 1) / n_jobs,
                     .mean = mean,
                     .sd = sd,
                     .z = z,
                     .cancellable = cancellable,
                     .progress = j == 0 ? progress : NULL,
                     .progress_data = progress_data };
    if (n_jobs == 2)
      thread = g_thread_new ("geo-gistar", grid_worker, &jobs[1]);
    grid_worker (&jobs[0]);
    if (thread != NULL)
      g_thread_join (thread);
  }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

gboolean
geo_gistar_grid (const double *x,
                 guint         nx,
                 guint         ny,
                 double        cell_m,
                 double        band_m,
                 double       *z,
                 guint        *stencil_size,
                 GCancellable *cancellable,
                 GError      **error)
{
  return gistar_grid (x, nx, ny, cell_m, band_m, z, stencil_size, NULL, NULL, cancellable, error);
}

void
geo_hotspot_grid_free (GeoHotspotGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->count);
  g_free (grid->z);
  g_free (grid->p);
  g_free (grid->p_fdr);
  g_free (grid->klass);
  g_free (grid);
}

static gboolean
check_grid_options (const GeoHotspotGridOptions *opts, GError **error)
{
  if (!(opts->cell_m > 0) || !isfinite (opts->cell_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the cell size must be a positive number of metres (got %g)",
                   opts->cell_m);
      return FALSE;
    }
  if (!(opts->band_m >= 0) || !isfinite (opts->band_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the distance band must be zero or a positive number of metres (got %g)",
                   opts->band_m);
      return FALSE;
    }
  return TRUE;
}

/* p-values, the optional FDR adjustment and the classes of a finished set of z-scores. */
static void
finish_classes (const double *z, gsize n, gboolean fdr, double *p, double **p_fdr, gint8 *klass)
{
  for (gsize i = 0; i < n; i++)
    p[i] = geo_gistar_p_value (z[i]);
  if (fdr)
    {
      *p_fdr = g_new (double, MAX (n, 1));
      geo_fdr_bh (p, n, *p_fdr);
    }
  for (gsize i = 0; i < n; i++)
    klass[i] = geo_hotspot_classify (z[i], fdr ? (*p_fdr)[i] : p[i]);
}

/**
 * geo_hotspot_grid_projected:
 * @x: eastings, metres in EPSG:@epsg
 * @y: northings
 * @weight: (nullable): what each point counts for (persons in a family); NULL: 1
 *
 * Counts the points per cell of a grid with its origin at a multiple of the cell size, covering
 * the points' bounding box (every cell, empty ones too), and computes Gi* on the counts.
 * Points with non-finite coordinates or a weight <= 0 are skipped.
 */
GeoHotspotGrid *
geo_hotspot_grid_projected (const double                *x,
                            const double                *y,
                            const double                *weight,
                            gsize                        n,
                            int                          epsg,
                            const GeoHotspotGridOptions *opts,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  g_autoptr(GeoHotspotGrid) grid = NULL;
  double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
  double cell = opts->cell_m, cells;
  gint64 ix0, iy0, ix1, iy1;
  gsize  used = 0;

  if (!check_grid_options (opts, error))
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (x[i]) || !isfinite (y[i]) || (weight != NULL && !(weight[i] > 0)))
        continue;
      min_x = MIN (min_x, x[i]);
      max_x = MAX (max_x, x[i]);
      min_y = MIN (min_y, y[i]);
      max_y = MAX (max_y, y[i]);
      used++;
    }
  if (used == 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the selection is empty: no person or family with a location to analyse");
      return NULL;
    }
  ix0 = (gint64) floor (min_x / cell);
  ix1 = (gint64) floor (max_x / cell);
  iy0 = (gint64) floor (min_y / cell);
  iy1 = (gint64) floor (max_y / cell);
  cells = (double) (ix1 - ix0 + 1) * (double) (iy1 - iy0 + 1);
  if (cells > GEO_GRID_MAX_CELLS)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%g m cells over the data's %.1f x %.1f km extent make %.0f cells, more than "
                   "the %.0f allowed: use a larger cell size or a smaller selection",
                   cell,
                   (max_x - min_x) / 1000,
                   (max_y - min_y) / 1000,
                   cells,
                   GEO_GRID_MAX_CELLS);
      return NULL;
    }

  grid = g_new0 (GeoHotspotGrid, 1);
  grid->epsg = epsg;
  grid->cell_m = cell;
  grid->band_m = opts->band_m;
  grid->x0 = (double) ix0 * cell;
  grid->y0 = (double) iy0 * cell;
  grid->nx = (guint) (ix1 - ix0 + 1);
  grid->ny = (guint) (iy1 - iy0 + 1);
  grid->n_cells = (gsize) grid->nx * grid->ny;
  grid->count = g_new0 (double, grid->n_cells);
  grid->z = g_new (double, grid->n_cells);
  grid->p = g_new (double, grid->n_cells);
  grid->klass = g_new (gint8, grid->n_cells);

  for (gsize i = 0; i < n; i++)
    {
      double w = weight != NULL ? weight[i] : 1.0;
      gint64 ix, iy;

      if (!isfinite (x[i]) || !isfinite (y[i]) || !(w > 0))
        continue;
      /* The same floor () as the bounds, so every point lands inside the grid. */
      ix = (gint64) floor (x[i] / cell) - ix0;
      iy = (gint64) floor (y[i] / cell) - iy0;
      grid->count[(gsize) iy * grid->nx + (gsize) ix] += w;
      grid->total += w;
    }

  if (!gistar_grid (grid->count,
                    grid->nx,
                    grid->ny,
                    cell,
                    opts->band_m,
                    grid->z,
                    &grid->stencil_size,
                    opts->progress,
                    opts->progress_data,
                    cancellable,
                    error))
    return NULL;
  finish_classes (grid->z, grid->n_cells, opts->fdr, grid->p, &grid->p_fdr, grid->klass);
  return g_steal_pointer (&grid);
}

/**
 * geo_hotspot_grid:
 * @lon: EPSG:4326 longitudes
 * @lat: latitudes
 *
 * geo_hotspot_grid_projected() in the UTM zone of the centre of the points' bounding box.
 */
GeoHotspotGrid *
geo_hotspot_grid (const double                *lon,
                  const double                *lat,
                  const double                *weight,
                  gsize                        n,
                  const GeoHotspotGridOptions *opts,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  int                epsg;

  if (!check_grid_options (opts, error))
    return NULL;
  if (n == 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the selection is empty: no person or family to analyse");
      return NULL;
    }
  if (!geo_grid_utm_epsg_for_points (lon, lat, n, &epsg, error))
    return NULL;
  x = g_memdup2 (lon, n * sizeof (double));
  y = g_memdup2 (lat, n * sizeof (double));
  if (!geo_grid_transform (4326, epsg, x, y, n, error))
    return NULL;
  return geo_hotspot_grid_projected (x, y, weight, n, epsg, opts, cancellable, error);
}

double *
geo_selection_family_weights (const GeoSelection *sel, gboolean families)
{
  double *w = g_new (double, MAX (sel->n_families, 1));

  for (guint i = 0; i < sel->n_families; i++)
    w[i] = families ? 1.0 : (double) sel->family_n_persons[i];
  return w;
}

void
geo_hotspot_finish_classes (
    const double *z, gsize n, gboolean fdr, double *p, double **p_fdr, gint8 *klass)
{
  finish_classes (z, n, fdr, p, p_fdr, klass);
}
