#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-error.h"
#include "geo-vrp.h"

/* Targets on a plane, in km; the depot is node 0. Travel at 1 km per minute. */
typedef struct
{
  guint   n; /* nodes, depot included */
  double *x, *y;
  double *tt;
} Plane;

static Plane *
plane_new (guint n_targets)
{
  Plane *p = g_new0 (Plane, 1);

  p->n = n_targets + 1;
  p->x = g_new0 (double, p->n);
  p->y = g_new0 (double, p->n);
  p->tt = g_new0 (double, p->n * p->n);
  return p;
}

static void
plane_finish (Plane *p)
{
  for (guint i = 0; i < p->n; i++)
    for (guint j = 0; j < p->n; j++)
      p->tt[i * p->n + j] = hypot (p->x[i] - p->x[j], p->y[i] - p->y[j]);
}

static void
plane_free (Plane *p)
{
  g_free (p->x);
  g_free (p->y);
  g_free (p->tt);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Plane, plane_free)

/* Re-derives every time of every route from the inputs and checks all constraints. */
static void
assert_valid (const GeoVrpSolution *s,
              const GeoVrpTarget   *tg,
              guint                 n,
              const double         *tt,
              const GeoVrpOptions  *o)
{
  g_autofree guint *seen = g_new0 (guint, n);
  guint             planned = 0;
  double            total = 0;

  g_assert_cmpuint (s->n_routes, ==, o->n_teams * o->n_days);
  for (guint r = 0; r < s->n_routes; r++)
    {
      const GeoVrpRoute *rt = &s->routes[r];
      double             t = o->day_start_min, travel = 0;
      guint              prev = 0;

      g_assert_cmpuint (rt->team, ==, r % o->n_teams);
      g_assert_cmpuint (rt->day, ==, r / o->n_teams);
      if (o->max_visits_per_day > 0)
        g_assert_cmpuint (rt->n_stops, <=, o->max_visits_per_day);
      for (guint k = 0; k < rt->n_stops; k++)
        {
          guint               x = rt->stops[k];
          const GeoVrpTarget *g = &tg[x];

          g_assert_cmpuint (x, <, n);
          seen[x]++;
          g_assert_cmpint (s->status[x], ==, GEO_VRP_PLANNED);
          t += tt[prev * (n + 1) + x + 1];
          travel += tt[prev * (n + 1) + x + 1];
          g_assert_cmpfloat_with_epsilon (rt->arrive_min[k], t, 1e-6);
          if (g->open_min >= 0)
            t = MAX (t, g->open_min);
          g_assert_cmpfloat_with_epsilon (rt->start_min[k], t, 1e-6);
          if (g->close_min >= 0)
            g_assert_cmpfloat (t, <=, g->close_min + 1e-6);
          t += g->service_min;
          g_assert_cmpfloat_with_epsilon (rt->depart_min[k], t, 1e-6);
          prev = x + 1;
        }
      if (rt->n_stops > 0)
        {
          t += tt[prev * (n + 1)];
          travel += tt[prev * (n + 1)];
          g_assert_cmpfloat_with_epsilon (rt->end_min, t, 1e-6);
          g_assert_cmpfloat (rt->end_min, <=, o->day_end_min + 1e-6);
        }
      g_assert_cmpfloat_with_epsilon (rt->travel_min, travel, 1e-6);
      total += travel;
      planned += rt->n_stops;
    }
  for (guint x = 0; x < n; x++)
    {
      g_assert_cmpuint (seen[x], <=, 1);
      g_assert_cmpint (seen[x] == 1, ==, s->status[x] == GEO_VRP_PLANNED);
    }
  g_assert_cmpuint (s->n_planned, ==, planned);
  g_assert_cmpuint (s->n_unplanned, ==, n - planned);
  g_assert_cmpfloat_with_epsilon (s->total_travel_min, total, 1e-6);
}

static GeoVrpSolution *
solve (const Plane *p, const GeoVrpTarget *tg, const GeoVrpOptions *o)
{
  g_autoptr(GError) error = NULL;
  GeoVrpSolution *s = geo_vrp_solve (tg, p->n - 1, p->tt, NULL, o, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  assert_valid (s, tg, p->n - 1, p->tt, o);
  return s;
}

/* Targets on a ray from the depot: the best single route goes out to the farthest and back. */
static void
test_line (void)
{
  g_autoptr(Plane) p = plane_new (8);
  g_autofree GeoVrpTarget *tg = g_new0 (GeoVrpTarget, 8);
  g_autoptr(GeoVrpSolution) s = NULL;
  GeoVrpOptions       o;
  static const double xs[] = { 5, 1, 7, 3, 8, 2, 6, 4 };

  for (guint i = 0; i < 8; i++)
    {
      p->x[i + 1] = xs[i];
      tg[i] = (GeoVrpTarget){ 10, -1, -1 };
    }
  plane_finish (p);
  geo_vrp_options_init (&o);
  s = solve (p, tg, &o);
  g_assert_cmpuint (s->n_planned, ==, 8);
  g_assert_cmpfloat_with_epsilon (s->total_travel_min, 16.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->routes[0].end_min, 480 + 16 + 80, 1e-9);
}

/* 2 teams x 2 days x 3 visits = 12 slots for 14 targets: 2 reported, not dropped silently. */
static void
test_capacity (void)
{
  g_autoptr(Plane) p = plane_new (14);
  g_autofree GeoVrpTarget *tg = g_new0 (GeoVrpTarget, 14);
  g_autoptr(GeoVrpSolution) s = NULL;
  GeoVrpOptions o;
  guint         no_cap = 0;

  for (guint i = 0; i < 14; i++)
    {
      p->x[i + 1] = 3 * cos (i * 0.45);
      p->y[i + 1] = 3 * sin (i * 0.45);
      tg[i] = (GeoVrpTarget){ 15, -1, -1 };
    }
  plane_finish (p);
  geo_vrp_options_init (&o);
  o.n_teams = 2;
  o.n_days = 2;
  o.max_visits_per_day = 3;
  s = solve (p, tg, &o);
  g_assert_cmpuint (s->n_planned, ==, 12);
  g_assert_cmpuint (s->n_unplanned, ==, 2);
  for (guint x = 0; x < 14; x++)
    no_cap += s->status[x] == GEO_VRP_NO_CAPACITY;
  g_assert_cmpuint (no_cap, ==, 2);
  for (guint r = 0; r < 4; r++)
    g_assert_cmpuint (s->routes[r].n_stops, ==, 3);
}

/* Infeasible targets, each with its reason; the feasible ones are all planned. */
static void
test_infeasible (void)
{
  g_autoptr(Plane) p = plane_new (5);
  g_autofree GeoVrpTarget *tg = g_new0 (GeoVrpTarget, 5);
  g_autoptr(GeoVrpSolution) s = NULL;
  GeoVrpOptions o;

  p->x[1] = 10;  /* fine */
  p->x[2] = 300; /* 600 min round trip > 480 min day */
  p->x[3] = 60;  /* window closes at 8:30, reachable at 9:00 */
  p->x[4] = -10; /* unreachable (no road) */
  p->x[5] = -20; /* fine, late window */
  plane_finish (p);
  for (guint i = 0; i < p->n; i++)
    p->tt[4 * p->n + i] = p->tt[i * p->n + 4] = i == 4 ? 0 : INFINITY;
  for (guint i = 0; i < 5; i++)
    tg[i] = (GeoVrpTarget){ 20, -1, -1 };
  tg[2] = (GeoVrpTarget){ 20, 480, 510 };
  tg[4] = (GeoVrpTarget){ 20, 780, 800 };
  geo_vrp_options_init (&o);
  s = solve (p, tg, &o);
  g_assert_cmpint (s->status[0], ==, GEO_VRP_PLANNED);
  g_assert_cmpint (s->status[1], ==, GEO_VRP_WORKING_DAY);
  g_assert_cmpint (s->status[2], ==, GEO_VRP_TIME_WINDOW);
  g_assert_cmpint (s->status[3], ==, GEO_VRP_UNREACHABLE);
  g_assert_cmpint (s->status[4], ==, GEO_VRP_PLANNED);
  g_assert_cmpuint (s->n_planned, ==, 2);
  g_assert_cmpstr (geo_vrp_status_to_string (s->status[2]), ==, "time-window");
}

/* Windows force the order: B (east, early window) before A (west, afternoon window), and the
 * team waits for A's window to open. */
static void
test_time_windows (void)
{
  g_autoptr(Plane) p = plane_new (3);
  g_autofree GeoVrpTarget *tg = g_new0 (GeoVrpTarget, 3);
  g_autoptr(GeoVrpSolution) s = NULL;
  GeoVrpOptions o;

  p->x[1] = -5; /* A */
  p->x[2] = 5;  /* B */
  p->x[3] = -6; /* C, no window */
  plane_finish (p);
  tg[0] = (GeoVrpTarget){ 30, 13 * 60, 14 * 60 };
  tg[1] = (GeoVrpTarget){ 30, -1, 9 * 60 };
  tg[2] = (GeoVrpTarget){ 30, -1, -1 };
  geo_vrp_options_init (&o);
  s = solve (p, tg, &o);
  g_assert_cmpuint (s->n_planned, ==, 3);
  g_assert_cmpuint (s->routes[0].stops[0], ==, 1);
  /* A starts exactly when its window opens. */
  for (guint k = 0; k < 3; k++)
    if (s->routes[0].stops[k] == 0)
      g_assert_cmpfloat_with_epsilon (s->routes[0].start_min[k], 13 * 60, 1e-9);
}

/* Two villages on opposite sides of the depot, two teams: one village each. */
static void
test_balance (void)
{
  g_autoptr(Plane) p = plane_new (20);
  g_autofree GeoVrpTarget *tg = g_new0 (GeoVrpTarget, 20);
  g_autoptr(GeoVrpSolution) s = NULL;
  GeoVrpOptions o;

  for (guint i = 0; i < 20; i++)
    {
      p->x[i + 1] = (i < 10 ? 20 : -20) + (i % 5) * 0.3;
      p->y[i + 1] = ((i / 5) % 2) * 0.4;
      tg[i] = (GeoVrpTarget){ 12, -1, -1 };
    }
  plane_finish (p);
  geo_vrp_options_init (&o);
  o.n_teams = 2;
  s = solve (p, tg, &o);
  g_assert_cmpuint (s->n_planned, ==, 20);
  g_assert_cmpuint (s->routes[0].n_stops, ==, 10);
  g_assert_cmpuint (s->routes[1].n_stops, ==, 10);
  for (guint r = 0; r < 2; r++)
    for (guint k = 1; k < 10; k++)
      g_assert_cmpint (s->routes[r].stops[k] < 10, ==, s->routes[r].stops[0] < 10);
}

/* A larger random case over several days: every constraint holds, and the days share the work. */
static void
test_multi_day (void)
{
  g_autoptr(Plane) p = plane_new (120);
  g_autofree GeoVrpTarget *tg = g_new0 (GeoVrpTarget, 120);
  g_autoptr(GeoVrpSolution) s = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  GeoVrpOptions o;
  double        min_end = INFINITY, max_end = 0;

  for (guint i = 0; i < 120; i++)
    {
      p->x[i + 1] = g_rand_double_range (rand, -15, 15);
      p->y[i + 1] = g_rand_double_range (rand, -15, 15);
      tg[i] = (GeoVrpTarget){ 15, -1, -1 };
      if (i % 10 == 0)
        tg[i].open_min = 600, tg[i].close_min = 660;
    }
  plane_finish (p);
  geo_vrp_options_init (&o);
  o.n_teams = 2;
  o.n_days = 3;
  o.max_visits_per_day = 22;
  s = solve (p, tg, &o);
  g_assert_cmpuint (s->n_planned, ==, 120);
  for (guint r = 0; r < s->n_routes; r++)
    {
      min_end = MIN (min_end, s->routes[r].end_min);
      max_end = MAX (max_end, s->routes[r].end_min);
    }
  g_test_message ("travel %.1f min, route ends %.0f..%.0f", s->total_travel_min, min_end, max_end);
  g_assert_cmpfloat (max_end - min_end, <, 120);
}

static void
test_bad_input (void)
{
  g_autoptr(Plane) p = plane_new (1);
  GeoVrpTarget tg = { 10, 600, 500 };
  g_autoptr(GError) error = NULL;
  GeoVrpOptions o;

  plane_finish (p);
  geo_vrp_options_init (&o);
  g_assert_null (geo_vrp_solve (&tg, 1, p->tt, NULL, &o, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  tg.close_min = -1;
  o.day_end_min = o.day_start_min;
  g_assert_null (geo_vrp_solve (&tg, 1, p->tt, NULL, &o, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
}

static void
test_matrices (void)
{
  GeoPoint           pts[] = { { 110.0, 0.0 }, { 111.0, 0.0 }, { 110.36, -7.90 } };
  g_autofree double *d = geo_vrp_geodesic_matrix (pts, 3);
  g_autofree double *t = NULL;

  /* One degree of longitude on the WGS84 equator: 2 pi a / 360. */
  g_assert_cmpfloat_with_epsilon (d[1], 111319.4908, 1e-3);
  g_assert_cmpfloat (d[3], ==, d[1]);
  g_assert_cmpfloat (d[0], ==, 0);
  /* 0.36 deg E, 7.9 deg S: about 875 km on the ellipsoid (meridian degree ~110.6 km). */
  g_assert_cmpfloat (d[2], >, 870000);
  g_assert_cmpfloat (d[2], <, 880000);
  t = geo_vrp_travel_matrix (d, 3, 1.3, 30);
  /* 111.319 km x 1.3 at 30 km/h = 289.43 min. */
  g_assert_cmpfloat_with_epsilon (t[1], 111.3194908 * 1.3 * 2, 1e-6);
}

/* A mixed fleet: team 1 travels four times slower than team 0 and cannot reach target 0 at all
 * (INFINITY in its matrix). Every route is timed with its own team's matrix. */
static void
test_fleet (void)
{
  g_autoptr(Plane) p = plane_new (12);
  g_autofree double *slow = NULL;
  g_autoptr(GeoVrpSolution) s = NULL;
  g_autoptr(GError) error = NULL;
  GeoVrpTarget  tg[12];
  GeoVrpOptions o;
  const double *mats[2];
  guint         per_team[2] = { 0, 0 };

  for (guint i = 0; i < 12; i++)
    {
      p->x[i + 1] = 3 * cos (i * G_PI / 6);
      p->y[i + 1] = 3 * sin (i * G_PI / 6);
      tg[i] = (GeoVrpTarget){ 5, -1, -1 };
    }
  plane_finish (p);
  slow = g_new (double, p->n * p->n);
  for (guint k = 0; k < p->n * p->n; k++)
    slow[k] = p->tt[k] * 4;
  for (guint i = 0; i < p->n; i++)
    slow[i * p->n + 1] = slow[1 * p->n + i] = i == 1 ? 0 : INFINITY;
  mats[0] = p->tt;
  mats[1] = slow;
  geo_vrp_options_init (&o);
  o.n_teams = 2;
  o.day_start_min = 480;
  o.day_end_min = 540;
  o.team_travel_min = mats;
  s = geo_vrp_solve (tg, 12, p->tt, NULL, &o, NULL, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < s->n_routes; r++)
    {
      const GeoVrpRoute *rt = &s->routes[r];
      const double      *tt = mats[rt->team];
      double             t = o.day_start_min, travel = 0;
      guint              prev = 0;

      for (guint k = 0; k < rt->n_stops; k++)
        {
          guint x = rt->stops[k] + 1;

          g_assert_true (rt->team == 0 || x != 1);
          t += tt[prev * p->n + x];
          travel += tt[prev * p->n + x];
          g_assert_cmpfloat_with_epsilon (rt->arrive_min[k], t, 1e-6);
          t += 5;
          prev = x;
        }
      if (rt->n_stops > 0)
        {
          t += tt[prev * p->n];
          travel += tt[prev * p->n];
          g_assert_cmpfloat_with_epsilon (rt->end_min, t, 1e-6);
          g_assert_cmpfloat (t, <=, o.day_end_min + 1e-6);
        }
      g_assert_cmpfloat_with_epsilon (rt->travel_min, travel, 1e-6);
      per_team[rt->team] += rt->n_stops;
    }
  /* Target 0 only team 0 can reach: planned (on team 0), not reported unreachable. */
  g_assert_cmpint (s->status[0], ==, GEO_VRP_PLANNED);
  /* The slow team fits fewer visits into the hour. */
  g_assert_cmpuint (per_team[1], >, 0);
  g_assert_cmpuint (per_team[1], <, per_team[0]);
  g_assert_cmpuint (s->n_planned + s->n_unplanned, ==, 12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/vrp/line", test_line);
  g_test_add_func ("/geo/vrp/capacity", test_capacity);
  g_test_add_func ("/geo/vrp/infeasible", test_infeasible);
  g_test_add_func ("/geo/vrp/time-windows", test_time_windows);
  g_test_add_func ("/geo/vrp/balance", test_balance);
  g_test_add_func ("/geo/vrp/multi-day", test_multi_day);
  g_test_add_func ("/geo/vrp/bad-input", test_bad_input);
  g_test_add_func ("/geo/vrp/matrices", test_matrices);
  g_test_add_func ("/geo/vrp/fleet", test_fleet);

  return g_test_run ();
}
