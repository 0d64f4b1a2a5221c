#include "config.h"

#include "geo-vrp.h"

#include <geodesic.h>
#include <math.h>
#include <string.h>

#include "geo-error.h"

#define EPS 1e-7
#define MAX_PASSES 100

typedef struct Vrp_
{
  const GeoVrpTarget  *tg;
  guint                n;  /* targets */
  guint                nn; /* matrix side: n + 1 */
  const double        *tt;
  const GeoVrpOptions *o;
  double               bw;     /* balance weight per minute of day length */
  GArray             **routes; /* node ids (target + 1), depot excluded */
  guint                n_routes;
  int                 *route_of; /* per node; -1: not planned */
  const struct Vrp_   *views;    /* per team: this problem seen with the team's own matrix */
} Vrp;

/* The problem as seen by the team of route r (its vehicle's travel times). */
#define VW(v, r) (&(v)->views[(r) % (v)->o->n_teams])

static inline double
T (const Vrp *v, guint a, guint b)
{
  return v->tt[(gsize) a * v->nn + b];
}

static inline double
svc (const Vrp *v, guint node)
{
  return node == 0 ? 0 : v->tg[node - 1].service_min;
}

/* 1 urgent, 2 high, 3 normal (also for unset or out-of-range priorities). */
static inline int
tier_of (const Vrp *v, guint node)
{
  int p = node == 0 ? 3 : v->tg[node - 1].priority;

  return p >= 1 && p <= 3 ? p : 3;
}

static inline double
open_of (const Vrp *v, guint node)
{
  return node == 0 || v->tg[node - 1].open_min < 0 ? -INFINITY : v->tg[node - 1].open_min;
}

static inline double
close_of (const Vrp *v, guint node)
{
  return node == 0 || v->tg[node - 1].close_min < 0 ? INFINITY : v->tg[node - 1].close_min;
}

/* Simulates depot -> seq -> depot. Returns FALSE when a window, the working day or the visit
 * limit is violated; else sets the travel time and the return time. */
static gboolean
eval_seq (const Vrp *v, const guint *seq, guint len, double *travel, double *end)
{
  double t = v->o->day_start_min, tr = 0;
  guint  prev = 0;

  if (v->o->max_visits_per_day > 0 && len > v->o->max_visits_per_day)
    return FALSE;
  for (guint i = 0; i <= len; i++)
    {
      guint  node = i < len ? seq[i] : 0;
      double d = T (v, prev, node);

      if (!isfinite (d))
        return FALSE;
      t += d;
      tr += d;
      if (i == len)
        break;
      t = MAX (t, open_of (v, node));
      if (t > close_of (v, node) + EPS)
        return FALSE;
      t += svc (v, node);
      prev = node;
    }
  if (t > v->o->day_end_min + EPS)
    return FALSE;
  *travel = tr;
  *end = t;
  return TRUE;
}

/* Route cost: travel plus a quadratic load term that spreads work over teams and days. */
static double
route_cost (const Vrp *v, double travel, double end)
{
  double dur = end - v->o->day_start_min;

  return travel + v->bw * dur * dur;
}

static double
cost_of_route (const Vrp *v, GArray *r)
{
  double travel, end;

  if (r->len == 0)
    return 0;
  if (!eval_seq (v, (guint *) r->data, r->len, &travel, &end))
    return INFINITY;
  return route_cost (v, travel, end);
}

/* ---- construction: regret-2 insertion with O(1) feasibility from forward/backward times ---- */

typedef struct
{
  guint   len;
  double *start;  /* len + 2: service start at each position (0 and len+1 are the depot) */
  double *latest; /* latest feasible service start keeping the rest feasible */
  guint  *seq;    /* len + 2 node ids with the depot at both ends */
  double  travel, end;
} RouteTimes;

static void
route_times_compute (const Vrp *v, GArray *r, RouteTimes *rt)
{
  guint L = r->len;

  rt->len = L;
  rt->start = g_renew (double, rt->start, L + 2);
  rt->latest = g_renew (double, rt->latest, L + 2);
  rt->seq = g_renew (guint, rt->seq, L + 2);
  rt->seq[0] = rt->seq[L + 1] = 0;
  if (L > 0)
    memcpy (rt->seq + 1, r->data, L * sizeof (guint));
  rt->start[0] = v->o->day_start_min;
  rt->travel = 0;
  for (guint k = 1; k <= L + 1; k++)
    {
      double d = T (v, rt->seq[k - 1], rt->seq[k]);

      rt->travel += d;
      rt->start[k] = MAX (rt->start[k - 1] + svc (v, rt->seq[k - 1]) + d, open_of (v, rt->seq[k]));
    }
  rt->end = rt->start[L + 1];
  rt->latest[L + 1] = v->o->day_end_min;
  for (guint k = L + 1; k-- > 0;)
    rt->latest[k] =
        MIN (close_of (v, rt->seq[k]),
             rt->latest[k + 1] - T (v, rt->seq[k], rt->seq[k + 1]) - svc (v, rt->seq[k]));
}

/* Cheapest feasible insertion of node x into the route; INFINITY when none. */
static double
best_insertion (const Vrp *v, const RouteTimes *rt, guint x, guint *pos_out)
{
  double best = INFINITY;
  double dur = rt->end - v->o->day_start_min;

  if (v->o->max_visits_per_day > 0 && rt->len + 1 > v->o->max_visits_per_day)
    return INFINITY;
  for (guint k = 0; k <= rt->len; k++)
    {
      guint  a = rt->seq[k], b = rt->seq[k + 1];
      double arr = rt->start[k] + svc (v, a) + T (v, a, x);
      double st = MAX (arr, open_of (v, x)), st_b, delta, extra;

      if (!isfinite (arr) || st > close_of (v, x) + EPS)
        continue;
      st_b = MAX (st + svc (v, x) + T (v, x, b), open_of (v, b));
      if (st_b > rt->latest[k + 1] + EPS)
        continue;
      delta = T (v, a, x) + T (v, x, b) - T (v, a, b);
      /* Change of the quadratic load term, with the route's new duration bounded by the shift
       * of the next stop (exact when no later stop waits). */
      extra = MAX (0, st_b - rt->start[k + 1]);
      delta += v->bw * ((dur + extra) * (dur + extra) - dur * dur);
      if (delta < best)
        best = delta, *pos_out = k;
    }
  return best;
}

/* Inserts the unplanned targets of priority <= max_tier. */
static void
construct (Vrp *v, const guint8 *insertable, int max_tier, GCancellable *cancellable)
{
  guint              n = v->n, R = v->n_routes;
  g_autofree double *cost = g_new (double, (gsize) (n + 1) * R);
  g_autofree guint  *pos = g_new (guint, (gsize) (n + 1) * R);
  RouteTimes         rt = { 0 };

  /* cost[x * R + r]: cached best insertion of x into route r. */
  for (guint r = 0; r < R; r++)
    {
      route_times_compute (VW (v, r), v->routes[r], &rt);
      for (guint x = 1; x <= n; x++)
        if (insertable[x] && v->route_of[x] < 0)
          cost[x * R + r] = best_insertion (VW (v, r), &rt, x, &pos[x * R + r]);
    }

  for (;;)
    {
      guint  bx = 0, br = 0;
      double b_regret = -INFINITY, b_cost = INFINITY;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      for (guint x = 1; x <= n; x++)
        {
          double c1 = INFINITY, c2 = INFINITY, regret;
          guint  r1 = 0;

          if (!insertable[x] || v->route_of[x] >= 0 || tier_of (v, x) > max_tier)
            continue;
          for (guint r = 0; r < R; r++)
            {
              double c = cost[x * R + r];

              if (c < c1)
                c2 = c1, c1 = c, r1 = r;
              else if (c < c2)
                c2 = c;
            }
          if (!isfinite (c1))
            continue;
          regret = isfinite (c2) ? c2 - c1 : 1e12 - c1;
          if (regret > b_regret + EPS || (fabs (regret - b_regret) <= EPS && c1 < b_cost))
            b_regret = regret, b_cost = c1, bx = x, br = r1;
        }
      if (bx == 0)
        break;
      g_array_insert_val (v->routes[br], pos[bx * R + br], bx);
      v->route_of[bx] = (int) br;
      route_times_compute (VW (v, br), v->routes[br], &rt);
      for (guint x = 1; x <= n; x++)
        if (insertable[x] && v->route_of[x] < 0)
          cost[x * R + br] = best_insertion (VW (v, br), &rt, x, &pos[x * R + br]);
    }
  g_free (rt.start);
  g_free (rt.latest);
  g_free (rt.seq);
}

/* Construction tier by tier: urgent targets first, then high, then the rest. */
static void
construct_by_priority (Vrp *v, const guint8 *insertable, GCancellable *cancellable)
{
  gboolean present[4] = { FALSE, FALSE, FALSE, FALSE };

  for (guint x = 1; x <= v->n; x++)
    if (insertable[x] && v->route_of[x] < 0)
      present[tier_of (v, x)] = TRUE;
  for (int tier = 1; tier <= 3; tier++)
    if (present[tier])
      construct (v, insertable, tier, cancellable);
}

/* An unplanned target of priority p takes the place of a planned one of lower priority (higher
 * number) when it fits in that route without it: the lowest-priority victim first, then the
 * cheapest insertion. The displaced target may come back in a later insertion pass. */
static void
promote (Vrp *v, const guint8 *insertable, GCancellable *cancellable)
{
  g_autoptr(GArray) tmp = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *seq = g_new (guint, v->n + 1);
  RouteTimes rt = { 0 };

  for (int tier = 1; tier <= 2; tier++)
    for (guint x = 1; x <= v->n; x++)
      {
        int    b_tier = tier;
        double b_cost = INFINITY;
        guint  b_r = 0, b_i = 0, b_pos = 0;

        if (g_cancellable_is_cancelled (cancellable))
          goto out;
        if (!insertable[x] || v->route_of[x] >= 0 || tier_of (v, x) != tier)
          continue;
        for (guint r = 0; r < v->n_routes; r++)
          {
            GArray *route = v->routes[r];

            for (guint i = 0; i < route->len; i++)
              {
                guint  y = g_array_index (route, guint, i), pos = 0;
                int    ty = tier_of (v, y);
                double c;

                if (ty < b_tier || ty <= tier)
                  continue;
                g_array_set_size (tmp, 0);
                g_array_append_vals (tmp, route->data, i);
                g_array_append_vals (tmp, (guint *) route->data + i + 1, route->len - i - 1);
                route_times_compute (VW (v, r), tmp, &rt);
                c = best_insertion (VW (v, r), &rt, x, &pos);
                if (!isfinite (c))
                  continue;
                /* Check the whole new route (the reduced one is feasible too in practice, but
                 * best_insertion() assumes it). */
                for (guint k = 0, m = 0; k <= tmp->len; k++)
                  seq[k] = k == pos ? x : g_array_index (tmp, guint, m++);
                {
                  double travel, end;

                  if (!eval_seq (VW (v, r), seq, tmp->len + 1, &travel, &end))
                    continue;
                }
                if (ty > b_tier || c < b_cost)
                  b_tier = ty, b_cost = c, b_r = r, b_i = i, b_pos = pos;
              }
          }
        if (isfinite (b_cost))
          {
            GArray *route = v->routes[b_r];
            guint   y = g_array_index (route, guint, b_i);

            g_array_remove_index (route, b_i);
            g_array_insert_val (route, b_pos, x);
            v->route_of[y] = -1;
            v->route_of[x] = (int) b_r;
          }
      }
out:
  g_free (rt.start);
  g_free (rt.latest);
  g_free (rt.seq);
}

/* ---- improvement ---- */

/* Or-opt (segments of 1-3 moved, possibly reversed) and 2-opt inside one route, first
 * improvement, each candidate simulated in full (routes are short). */
static gboolean
improve_intra (const Vrp *v, GArray *r)
{
  guint             L = r->len;
  g_autofree guint *cand = g_new (guint, L + 1);
  gboolean          improved = FALSE, again = TRUE;
  double            cur = cost_of_route (v, r);

  while (again)
    {
      guint *seq = (guint *) r->data;

      again = FALSE;
      /* 2-opt: reverse seq[i..j]. */
      for (guint i = 0; i + 1 < L && !again; i++)
        for (guint j = i + 1; j < L && !again; j++)
          {
            double tr, end, c;

            memcpy (cand, seq, L * sizeof (guint));
            for (guint a = i, b = j; a < b; a++, b--)
              {
                guint t = cand[a];
                cand[a] = cand[b];
                cand[b] = t;
              }
            if (eval_seq (v, cand, L, &tr, &end) && (c = route_cost (v, tr, end)) < cur - EPS)
              {
                memcpy (seq, cand, L * sizeof (guint));
                cur = c;
                again = improved = TRUE;
              }
          }
      /* Or-opt: move seq[i..i+len-1] to before position p of the remainder. */
      for (guint len = 1; len <= 3 && !again; len++)
        for (guint i = 0; i + len <= L && !again; i++)
          for (guint p = 0; p + len <= L && !again; p++)
            for (int rev = 0; rev < 2 && !again; rev++)
              {
                guint  m = 0;
                double tr, end, c;

                if (p == i && !rev)
                  continue;
                for (guint k = 0, q = 0; k < L; k++)
                  {
                    if (k >= i && k < i + len)
                      continue;
                    if (q == p)
                      for (guint s = 0; s < len; s++)
                        cand[m++] = seq[rev ? i + len - 1 - s : i + s];
                    cand[m++] = seq[k];
                    q++;
                  }
                if (p == L - len)
                  for (guint s = 0; s < len; s++)
                    cand[m++] = seq[rev ? i + len - 1 - s : i + s];
                g_assert (m == L);
                if (eval_seq (v, cand, L, &tr, &end) && (c = route_cost (v, tr, end)) < cur - EPS)
                  {
                    memcpy (seq, cand, L * sizeof (guint));
                    cur = c;
                    again = improved = TRUE;
                  }
              }
    }
  return improved;
}

/* Relocate one target to the best position of another route, or exchange two targets between
 * routes (each taking the other's position), when the summed route costs drop. */
static gboolean
improve_inter (Vrp *v, GArray *ra, GArray *rb, guint ia, guint ib)
{
  const Vrp        *va = VW (v, ia), *vb = VW (v, ib);
  double            ca = cost_of_route (va, ra), cb = cost_of_route (vb, rb);
  g_autofree guint *na = g_new (guint, ra->len + rb->len + 1);
  g_autofree guint *nb = g_new (guint, ra->len + rb->len + 1);
  double            tra, enda, trb, endb;

  /* Relocate a -> b. */
  for (guint i = 0; i < ra->len; i++)
    {
      guint  x = g_array_index (ra, guint, i);
      guint  la = 0;
      double new_a;

      for (guint k = 0; k < ra->len; k++)
        if (k != i)
          na[la++] = g_array_index (ra, guint, k);
      if (la == 0)
        new_a = 0;
      else if (eval_seq (va, na, la, &tra, &enda))
        new_a = route_cost (va, tra, enda);
      else
        continue;
      for (guint p = 0; p <= rb->len; p++)
        {
          double new_b;

          /* rb->data is NULL while rb is empty. */
          if (rb->len > 0)
            {
              memcpy (nb, rb->data, p * sizeof (guint));
              memcpy (nb + p + 1, (guint *) rb->data + p, (rb->len - p) * sizeof (guint));
            }
          nb[p] = x;
          if (!eval_seq (vb, nb, rb->len + 1, &trb, &endb))
            continue;
          new_b = route_cost (vb, trb, endb);
          if (new_a + new_b < ca + cb - EPS)
            {
              g_array_remove_index (ra, i);
              g_array_insert_val (rb, p, x);
              v->route_of[x] = (int) ib;
              return TRUE;
            }
        }
    }
  /* Exchange. */
  for (guint i = 0; i < ra->len; i++)
    for (guint j = 0; j < rb->len; j++)
      {
        guint x = g_array_index (ra, guint, i), y = g_array_index (rb, guint, j);

        memcpy (na, ra->data, ra->len * sizeof (guint));
        memcpy (nb, rb->data, rb->len * sizeof (guint));
        na[i] = y;
        nb[j] = x;
        if (!eval_seq (va, na, ra->len, &tra, &enda) || !eval_seq (vb, nb, rb->len, &trb, &endb))
          continue;
        if (route_cost (va, tra, enda) + route_cost (vb, trb, endb) < ca + cb - EPS)
          {
            g_array_index (ra, guint, i) = y;
            g_array_index (rb, guint, j) = x;
            v->route_of[x] = (int) ib;
            v->route_of[y] = (int) ia;
            return TRUE;
          }
      }
  return FALSE;
}

/* @base, @span: the share of the solve this call covers (progress). */
static gboolean
improve (Vrp *v, const GeoVrpOptions *options, double base, double span, GCancellable *cancellable)
{
  for (guint pass = 0; pass < MAX_PASSES; pass++)
    {
      gboolean any = FALSE;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (options->progress != NULL)
        options->progress (base + span * pass / MAX_PASSES, options->progress_data);
      for (guint r = 0; r < v->n_routes; r++)
        any |= improve_intra (VW (v, r), v->routes[r]);
      for (guint a = 0; a < v->n_routes; a++)
        for (guint b = 0; b < v->n_routes; b++)
          if (a != b && v->routes[a]->len > 0)
            while (improve_inter (v, v->routes[a], v->routes[b], a, b))
              any = TRUE;
      if (!any)
        break;
    }
  return TRUE;
}

/* ---- public ---- */

void
geo_vrp_options_init (GeoVrpOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_teams = 1;
  options->n_days = 1;
  options->day_start_min = 8 * 60;
  options->day_end_min = 16 * 60;
  options->balance_weight = -1;
}

const char *
geo_vrp_status_to_string (GeoVrpStatus status)
{
  switch (status)
    {
    case GEO_VRP_PLANNED:
      return "planned";
    case GEO_VRP_UNREACHABLE:
      return "unreachable";
    case GEO_VRP_TIME_WINDOW:
      return "time-window";
    case GEO_VRP_WORKING_DAY:
      return "working-day";
    case GEO_VRP_NO_CAPACITY:
      return "no-capacity";
    default:
      return "?";
    }
}

void
geo_vrp_solution_free (GeoVrpSolution *solution)
{
  if (solution == NULL)
    return;
  for (guint r = 0; r < solution->n_routes; r++)
    {
      g_free (solution->routes[r].stops);
      g_free (solution->routes[r].arrive_min);
      g_free (solution->routes[r].start_min);
      g_free (solution->routes[r].depart_min);
    }
  g_free (solution->routes);
  g_free (solution->status);
  g_free (solution);
}

static GeoVrpStatus
alone_status (const Vrp *v, guint x)
{
  double travel, end, t;

  if (!isfinite (T (v, 0, x)) || !isfinite (T (v, x, 0)))
    return GEO_VRP_UNREACHABLE;
  t = MAX (v->o->day_start_min + T (v, 0, x), open_of (v, x));
  if (t > close_of (v, x) + EPS)
    return GEO_VRP_TIME_WINDOW;
  if (!eval_seq (v, &x, 1, &travel, &end))
    return GEO_VRP_WORKING_DAY;
  return GEO_VRP_PLANNED;
}

/**
 * geo_vrp_solve:
 * @targets: (array length=n_targets): visit duration and optional window per target
 * @travel_min: (n_targets + 1)^2 travel times in minutes, row-major, node 0 the depot;
 *   INFINITY where there is no way
 * @distance_m: (nullable): the matching distances in metres, only for reporting
 * @options: teams, days, working hours, visit limit
 *
 * Returns: (transfer full): the plan, or %NULL with @error set (bad input or cancelled)
 */
GeoVrpSolution *
geo_vrp_solve (const GeoVrpTarget  *targets,
               guint                n_targets,
               const double        *travel_min,
               const double        *distance_m,
               const GeoVrpOptions *options,
               GCancellable        *cancellable,
               GError             **error)
{
  Vrp             v = { 0 };
  g_autofree Vrp *views = NULL;
  g_autoptr(GeoVrpSolution) sol = NULL;
  g_autofree guint8 *insertable = NULL;
  double             day_len;
  gboolean           ok;

  g_return_val_if_fail (targets != NULL || n_targets == 0, NULL);
  g_return_val_if_fail (travel_min != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  day_len = options->day_end_min - options->day_start_min;
  if (!(day_len > 0))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The working day must end after it starts (%.0f-%.0f min)",
                   options->day_start_min,
                   options->day_end_min);
      return NULL;
    }
  for (guint i = 0; i < n_targets; i++)
    {
      const GeoVrpTarget *t = &targets[i];

      if (!(t->service_min >= 0) ||
          (t->open_min >= 0 && t->close_min >= 0 && t->close_min < t->open_min))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "Target %u: negative visit time or a window that closes before it opens",
                       i);
          return NULL;
        }
    }

  v.tg = targets;
  v.n = n_targets;
  v.nn = n_targets + 1;
  v.tt = travel_min;
  v.o = options;
  /* Quadratic load term: a full working day costs balance_weight * day_len extra minutes. */
  v.bw = (options->balance_weight < 0 ? 1.0 : options->balance_weight) / day_len;
  v.n_routes = options->n_teams * options->n_days;
  v.routes = g_new (GArray *, MAX (v.n_routes, 1));
  for (guint r = 0; r < v.n_routes; r++)
    v.routes[r] = g_array_new (FALSE, FALSE, sizeof (guint));
  v.route_of = g_new (int, v.nn);
  insertable = g_new0 (guint8, v.nn);

  sol = g_new0 (GeoVrpSolution, 1);
  sol->n_targets = n_targets;
  sol->status = g_new (GeoVrpStatus, MAX (n_targets, 1));
  for (guint x = 0; x <= n_targets; x++)
    v.route_of[x] = -1;
  /* One view per team: the same routes, the team's own travel times. */
  views = g_new (Vrp, MAX (options->n_teams, 1));
  for (guint k = 0; k < MAX (options->n_teams, 1); k++)
    {
      views[k] = v;
      if (k < options->n_teams && options->team_travel_min != NULL &&
          options->team_travel_min[k] != NULL)
        views[k].tt = options->team_travel_min[k];
    }
  v.views = views;
  for (guint k = 0; k < MAX (options->n_teams, 1); k++)
    views[k].views = views;
  /* A target is plannable when at least one team can visit it alone; otherwise the reason of
   * the first team (all teams agree with a single matrix). */
  for (guint x = 1; x <= n_targets; x++)
    {
      sol->status[x - 1] = alone_status (&views[0], x);
      for (guint k = 1; k < options->n_teams && sol->status[x - 1] != GEO_VRP_PLANNED; k++)
        if (alone_status (&views[k], x) == GEO_VRP_PLANNED)
          sol->status[x - 1] = GEO_VRP_PLANNED;
      insertable[x] = sol->status[x - 1] == GEO_VRP_PLANNED;
    }

  if (options->progress != NULL)
    options->progress (0, options->progress_data);
  construct_by_priority (&v, insertable, cancellable);
  ok = improve (&v, options, 0.3, 0.45, cancellable);
  if (ok)
    {
      /* Urgent targets left out displace less urgent ones; moves may have freed room: insert
       * what is left, then polish once more. */
      promote (&v, insertable, cancellable);
      construct_by_priority (&v, insertable, cancellable);
      ok = improve (&v, options, 0.8, 0.2, cancellable);
    }
  if (ok && options->progress != NULL)
    options->progress (1, options->progress_data);
  /* improve() only stops early when cancelled. */
  if (!ok || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_cancellable_set_error_if_cancelled (cancellable, error);
      for (guint r = 0; r < v.n_routes; r++)
        g_array_unref (v.routes[r]);
      g_free (v.routes);
      g_free (v.route_of);
      return NULL;
    }

  sol->n_routes = v.n_routes;
  sol->routes = g_new0 (GeoVrpRoute, MAX (v.n_routes, 1));
  for (guint r = 0; r < v.n_routes; r++)
    {
      GeoVrpRoute  *out = &sol->routes[r];
      GArray       *seq = v.routes[r];
      const Vrp    *vr = VW (&v, r);
      const double *dm =
          options->team_distance_m != NULL && options->team_distance_m[r % options->n_teams] != NULL
              ? options->team_distance_m[r % options->n_teams]
              : distance_m;
      double t = options->day_start_min;
      guint  prev = 0;

      out->team = r % options->n_teams;
      out->day = r / options->n_teams;
      out->n_stops = seq->len;
      out->stops = g_new (guint, MAX (seq->len, 1));
      out->arrive_min = g_new (double, MAX (seq->len, 1));
      out->start_min = g_new (double, MAX (seq->len, 1));
      out->depart_min = g_new (double, MAX (seq->len, 1));
      for (guint k = 0; k <= seq->len; k++)
        {
          guint node = k < seq->len ? g_array_index (seq, guint, k) : 0;

          t += T (vr, prev, node);
          out->travel_min += T (vr, prev, node);
          if (dm != NULL)
            out->distance_m += dm[(gsize) prev * v.nn + node];
          if (k == seq->len)
            break;
          out->stops[k] = node - 1;
          out->arrive_min[k] = t;
          t = MAX (t, open_of (&v, node));
          out->start_min[k] = t;
          t += svc (&v, node);
          out->depart_min[k] = t;
          prev = node;
          sol->status[node - 1] = GEO_VRP_PLANNED;
        }
      out->end_min = seq->len > 0 ? t : options->day_start_min;
      if (seq->len == 0)
        out->travel_min = out->distance_m = 0;
      sol->total_travel_min += out->travel_min;
      sol->total_distance_m += out->distance_m;
      sol->n_planned += seq->len;
      g_array_unref (seq);
    }
  for (guint x = 1; x <= n_targets; x++)
    if (v.route_of[x] < 0 && sol->status[x - 1] == GEO_VRP_PLANNED)
      sol->status[x - 1] = GEO_VRP_NO_CAPACITY;
  sol->n_unplanned = n_targets - sol->n_planned;
  g_free (v.routes);
  g_free (v.route_of);
  return g_steal_pointer (&sol);
}

/**
 * geo_vrp_geodesic_matrix:
 * @points: (array length=n_points): lon, lat in EPSG:4326
 *
 * Returns: (transfer full): n_points^2 geodesic distances on the WGS84 ellipsoid, in metres
 */
double *
geo_vrp_geodesic_matrix (const GeoPoint *points, guint n_points)
{
  struct geod_geodesic g;
  double              *m = g_new0 (double, (gsize) n_points *n_points);

  geod_init (&g, 6378137.0, 1 / 298.257223563);
  for (guint i = 0; i < n_points; i++)
    for (guint j = i + 1; j < n_points; j++)
      {
        double s12 = 0;

        geod_inverse (&g,
                      points[i].lat,
                      points[i].lon,
                      points[j].lat,
                      points[j].lon,
                      &s12,
                      NULL,
                      NULL);
        m[(gsize) i * n_points + j] = m[(gsize) j * n_points + i] = s12;
      }
  return m;
}

/* Travel minutes from metres: distance x detour factor / speed. */
double *
geo_vrp_travel_matrix (const double *distance_m,
                       guint         n_points,
                       double        detour_factor,
                       double        speed_kmh)
{
  double *m;
  double  f = detour_factor / (speed_kmh * 1000.0 / 60.0);

  g_return_val_if_fail (distance_m != NULL, NULL);
  g_return_val_if_fail (speed_kmh > 0, NULL);

  m = g_new (double, (gsize) n_points *n_points);
  for (gsize k = 0; k < (gsize) n_points * n_points; k++)
    m[k] = distance_m[k] * f;
  return m;
}
