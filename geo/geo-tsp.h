#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Single-route travelling-salesman solver over a symmetric cost function (any unit: metres,
 * seconds, TSPLIB integers). Construction by greedy edge matching on K-nearest candidate
 * lists, then a local search with neighbour lists and don't-look bits (2-opt, Or-opt moves of
 * 1-3 nodes, and a Lin-Kernighan-style chain of up to six 2-opt moves, i.e. sequential 3- to
 * 7-opt moves), inside an iterated local search: double-bridge kicks followed by a local
 * repair, kept when the route gets no longer. Deterministic for a given seed and iteration budget;
 * with a time limit the result depends on how many iterations fit in it. */

/* Cost of travelling between nodes i and j (i != j). Must be symmetric, finite and >= 0. */
typedef double (*GeoTspDistanceFunc) (guint i, guint j, gpointer user_data);

/**
 * GeoTspShape:
 * @GEO_TSP_CLOSED: a cycle through every node; the order starts at @start (a depot: the route
 *   leaves it and comes back to it)
 * @GEO_TSP_OPEN: a path with free ends
 * @GEO_TSP_PATH_FROM_START: a path that starts at @start and may end anywhere
 * @GEO_TSP_PATH_START_END: a path from @start to @end (@start == @end means %GEO_TSP_CLOSED)
 */
typedef enum
{
  GEO_TSP_CLOSED,
  GEO_TSP_OPEN,
  GEO_TSP_PATH_FROM_START,
  GEO_TSP_PATH_START_END,
} GeoTspShape;

typedef struct
{
  GeoTspShape shape;
  guint       start;
  guint       end;
  guint64     seed;
  guint       max_iterations; /* perturbation rounds; 0: a default that grows with the node
                                 count; G_MAXUINT: until the time limit */
  double time_limit_s;        /* wall-clock budget for the whole solve; <= 0: none */
  guint  n_neighbours;        /* candidate list length; 0: 16 */
} GeoTspOptions;

typedef struct
{
  double   length;         /* of the returned route (closed: including the way back) */
  double   initial_length; /* after construction */
  double   local_length;   /* after the first local search */
  guint    iterations;     /* perturbation rounds done */
  guint    improvements;   /* rounds that shortened the route */
  double   seconds;
  gboolean exact; /* small instance solved by enumeration */
} GeoTspResult;

void geo_tsp_options_init (GeoTspOptions *options);

gboolean geo_tsp_solve (guint                n,
                        GeoTspDistanceFunc   distance,
                        gpointer             user_data,
                        const GeoTspOptions *options,
                        guint               *order,
                        GeoTspResult        *result,
                        GCancellable        *cancellable,
                        GError             **error);
gboolean geo_tsp_solve_matrix (const double        *matrix,
                               guint                n,
                               const GeoTspOptions *options,
                               guint               *order,
                               GeoTspResult        *result,
                               GCancellable        *cancellable,
                               GError             **error);

double   geo_tsp_route_length (guint              n,
                               GeoTspDistanceFunc distance,
                               gpointer           user_data,
                               const guint       *order,
                               guint              n_order,
                               gboolean           closed);
gboolean geo_tsp_is_permutation (const guint *order, guint n);

G_END_DECLS
