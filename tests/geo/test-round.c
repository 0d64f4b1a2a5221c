#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <geodesic.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-round-edit.h"
#include "geo-round-export.h"
#include "geo-round.h"
#include "geo-store-private.h"
#include "geo-visit.h"
#include "report-route-sheet.h"
#include "../test-tmp.h"

/* Synthetic families: a 6 x 5 grid around Bantul (110.33, -7.88), about 700 m apart. Family k
 * (0-based) lies in desa 34.02.01.2001 when its column < 3, else 34.02.02.2001; its person is
 * in PMKS category 24 when k % 3 == 0, else 1; has a NIK when k is even; status 'entri' when
 * k % 4 != 3, else 'verifikasi'. */
#define GRID_W 6
#define GRID_H 5
#define N_FAMILIES (GRID_W * GRID_H)

typedef struct
{
  char     *path;
  GeoStore *store;
  gint64    fam[N_FAMILIES];
} Fixture;

static const char *
shared_data (void)
{
  const char *d = g_getenv ("JANGKAU_SHARED_DATA");

  return d != NULL ? d : SHARED_DATA_DIR;
}

static double
geodesic (const GeoPoint *a, const GeoPoint *b)
{
  struct geod_geodesic g;
  double               s = 0;

  geod_init (&g, 6378137.0, 1 / 298.257223563);
  geod_inverse (&g, a->lat, a->lon, b->lat, b->lon, &s, NULL, NULL);
  return s;
}

static gint64
add_family (GeoStore   *store,
            double      lon,
            double      lat,
            const char *desa,
            int         k,
            int         category,
            const char *status,
            gboolean    with_nik)
{
  g_autofree char *kk = g_strdup_printf ("34020100000%05d", k);
  g_autofree char *addr = g_strdup_printf ("Jl. Contoh No. %d", k);
  g_autofree char *nik = g_strdup_printf ("34020112345%05d", k);
  g_autofree char *name = g_strdup_printf ("Warga Nomor %d", k);
  GeoFamilyRecord  f = { .no_kk = kk,
                         .address = addr,
                         .rt = "003",
                         .rw = "012",
                         .desa_code = desa,
                         .lon = lon,
                         .lat = lat,
                         .loc_source = GEO_LOC_GPS,
                         .gps_accuracy_m = NAN };
  GeoPersonRecord  p = { 0 };
  GError          *error = NULL;
  gint64           id = geo_store_insert_family (store, &f, &error), pid;

  g_assert_no_error (error);
  p.family_id = id;
  p.nik = with_nik ? nik : NULL;
  p.name = name;
  pid = geo_store_insert_person (store, &p, &error);
  g_assert_no_error (error);
  g_assert_true (geo_store_insert_membership (store, pid, category, status, &error));
  g_assert_no_error (error);
  return id;
}

static GeoPoint
grid_point (int k)
{
  return (GeoPoint){ 110.33 + (k % GRID_W) * 0.0065, -7.88 + (k / GRID_W) * 0.0065 };
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-round-XXXXXX", NULL);
  GError          *error = NULL;

  f->path = g_build_filename (dir, "r.jangkau", NULL);
  f->store = geo_store_open (f->path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  for (int k = 0; k < N_FAMILIES; k++)
    {
      GeoPoint p = grid_point (k);

      f->fam[k] = add_family (f->store,
                              p.lon,
                              p.lat,
                              (k % GRID_W) < 3 ? "34.02.01.2001" : "34.02.02.2001",
                              k,
                              k % 3 == 0 ? 24 : 1,
                              k % 4 == 3 ? "verifikasi" : "entri",
                              k % 2 == 0);
    }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_tmp_remove_parent (f->path);
  g_free (f->path);
}

/* ---------------------------------------------------------------------------------------------
 * Independent check of a stored plan */

/* Every expected target appears exactly once; planned stops have consecutive sequences within
 * the visit limit, arrive = previous departure + travel, start = max (arrive, window open) <=
 * window close, depart = start + visit, and the team is back by the end of the day. */
static void
check_plan (GeoStore             *store,
            gint64                round_id,
            const GeoRoundParams *p,
            const gint64         *expected,
            guint                 n_expected,
            double (*travel) (gpointer, const GeoPoint *, const GeoPoint *),
            gpointer travel_data)
{
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  GError *error = NULL;
  guint   planned = 0;

  r = geo_round_load (store, round_id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_targets, ==, n_expected);
  g_assert_cmpuint (r->stops->len, ==, n_expected);
  g_assert_cmpuint (r->n_planned + r->n_unplanned, ==, n_expected);
  for (guint i = 0; i < r->stops->len; i++)
    {
      GeoRoundStop *s = r->stops->pdata[i];

      g_assert_false (g_hash_table_contains (seen, &s->family_id));
      g_hash_table_add (seen, &s->family_id);
    }
  for (guint i = 0; i < n_expected; i++)
    g_assert_true (g_hash_table_contains (seen, &expected[i]));

  for (guint team = 1; team <= p->n_teams; team++)
    for (guint day = 1; day <= p->n_days; day++)
      {
        g_autoptr(GPtrArray) stops = geo_round_day_stops (r, team, day);
        const GeoRoundRoute *route = geo_round_get_route (r, team, day);
        GeoPoint             prev = p->depot;
        double               t = p->day_start_min, back;

        if (stops->len == 0)
          {
            g_assert_null (route);
            continue;
          }
        g_assert_nonnull (route);
        g_assert_cmpuint (route->n_stops, ==, stops->len);
        if (p->max_visits > 0)
          g_assert_cmpuint (stops->len, <=, p->max_visits);
        for (guint i = 0; i < stops->len; i++)
          {
            GeoRoundStop *s = stops->pdata[i];
            double        arrive = t + travel (travel_data, &prev, &s->pos);

            g_assert_cmpuint (s->seq, ==, i + 1);
            g_assert_cmpfloat_with_epsilon (s->arrive_min, arrive, 1e-3);
            g_assert_cmpfloat_with_epsilon (s->start_min, MAX (arrive, s->open_min), 1e-3);
            if (s->open_min >= 0)
              {
                g_assert_cmpfloat (s->start_min, >=, s->open_min - 1e-6);
                g_assert_cmpfloat (s->start_min, <=, s->close_min + 1e-6);
              }
            g_assert_cmpfloat_with_epsilon (s->depart_min, s->start_min + p->visit_min, 1e-6);
            t = s->depart_min;
            prev = s->pos;
            planned++;
          }
        back = t + travel (travel_data, &prev, &p->depot);
        g_assert_cmpfloat_with_epsilon (route->end_min, back, 1e-3);
        g_assert_cmpfloat (back, <=, p->day_end_min + 1e-6);
        g_assert_cmpuint (route->line->len, >=, stops->len + 2);
      }
  g_assert_cmpuint (planned, ==, r->n_planned);
  for (guint i = 0; i < r->stops->len; i++)
    {
      GeoRoundStop *s = r->stops->pdata[i];

      g_assert_true ((s->status == GEO_ROUND_STOP_PLANNED) == (s->team > 0));
    }
}

static double
travel_geodesic (gpointer data, const GeoPoint *a, const GeoPoint *b)
{
  const GeoRoundParams *p = data;
  double speed = p->speed_kmh > 0 ? p->speed_kmh : geo_vehicle_default_speed_kmh (p->vehicle);

  return geodesic (a, b) * p->detour_factor / (speed * 1000 / 60);
}

/* ---------------------------------------------------------------------------------------------
 * Geodesic plans, table-driven */

typedef struct
{
  const char *name;
  guint       teams, days, max_visits;
  const char *start, *end;
  double      visit_min;
  int         category; /* 0: any */
  const char *status;   /* NULL: any */
  gboolean    no_nik;
  const char *area; /* NULL: everywhere */
  guint       expect_targets;
  gboolean    expect_unplanned;
} PlanCase;

static const PlanCase plan_cases[] = {
  { "one-team-all", 1, 1, 0, "08:00", "16:00", 10, 0, NULL, FALSE, NULL, 30, FALSE },
  { "two-teams-two-days-max5", 2, 2, 5, "08:00", "15:00", 20, 0, NULL, FALSE, NULL, 30, TRUE },
  { "three-teams-fakir", 3, 1, 0, "08:00", "12:00", 30, 24, NULL, FALSE, NULL, 10, FALSE },
  { "no-nik", 1, 2, 0, "08:00", "16:00", 20, 0, NULL, TRUE, NULL, 15, FALSE },
  { "verifikasi", 1, 1, 0, "09:00", "12:00", 20, 0, "verifikasi", FALSE, NULL, 7, FALSE },
  { "kecamatan", 2, 1, 0, "08:00", "16:00", 15, 0, NULL, FALSE, "34.02.01", 15, FALSE },
  { "tight-day", 1, 1, 0, "08:00", "10:00", 30, 0, NULL, FALSE, NULL, 30, TRUE },
};

static GArray *
expected_targets (Fixture *f, const PlanCase *c)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (int k = 0; k < N_FAMILIES; k++)
    {
      int         cat = k % 3 == 0 ? 24 : 1;
      const char *status = k % 4 == 3 ? "verifikasi" : "entri";
      const char *desa = (k % GRID_W) < 3 ? "34.02.01.2001" : "34.02.02.2001";

      if ((c->category == 0 || c->category == cat) &&
          (c->status == NULL || strcmp (c->status, status) == 0) && (!c->no_nik || k % 2 == 1) &&
          (c->area == NULL || g_str_has_prefix (desa, c->area)))
        g_array_append_val (ids, f->fam[k]);
    }
  return ids;
}

/* What a plan reported through GeoRoundParams.progress. */
typedef struct
{
  guint  calls;
  double first, last;
  gboolean monotonic;
  gboolean matrix_step; /* a value strictly inside the road-matrix share (5-55 %) */
} Progress;

static void
record_progress (double fraction, gpointer data)
{
  Progress *pr = data;

  if (pr->calls == 0)
    pr->first = fraction;
  else if (fraction < pr->last)
    pr->monotonic = FALSE;
  if (fraction > 0.06 && fraction < 0.54)
    pr->matrix_step = TRUE;
  pr->last = fraction;
  pr->calls++;
}

static void
test_plan_geodesic (Fixture *f, gconstpointer data)
{
  const PlanCase *c = data;
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_autoptr(GArray) expected = expected_targets (f, c);
  g_autoptr(GeoRound) r = NULL;
  GeoRoundParams p;
  GError        *error = NULL;
  gint64         id;
  Progress       progress = { .monotonic = TRUE };

  g_assert_cmpuint (expected->len, ==, c->expect_targets);
  if (c->category > 0)
    {
      g_autofree char *code = g_strdup_printf ("%d", c->category);

      g_assert_true (geo_filter_add_category (filter, code, NULL));
    }
  if (c->area != NULL)
    g_assert_true (geo_filter_add_area (filter, c->area, NULL));
  geo_filter_set_status (filter, c->status);
  filter->no_nik = c->no_nik;

  geo_round_params_init (&p);
  p.filter = filter;
  p.depot = (GeoPoint){ 110.345, -7.875 };
  p.n_teams = c->teams;
  p.n_days = c->days;
  p.max_visits = c->max_visits;
  g_assert_true (geo_round_parse_time (c->start, &p.day_start_min));
  g_assert_true (geo_round_parse_time (c->end, &p.day_end_min));
  p.visit_min = c->visit_min;
  p.progress = record_progress;
  p.progress_data = &progress;
  id = geo_round_plan (f->store, &p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  /* Progress from 0 to 1, never backwards, through the solver's steps. */
  g_assert_cmpuint (progress.calls, >=, 4);
  g_assert_cmpfloat (progress.first, ==, 0);
  g_assert_cmpfloat (progress.last, ==, 1);
  g_assert_true (progress.monotonic);
  p.progress = NULL;
  check_plan (f->store, id, &p, (gint64 *) expected->data, expected->len, travel_geodesic, &p);

  r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_cmpstr (r->cost_model, ==, "geodesic");
  g_assert_cmpint (r->n_unplanned > 0, ==, c->expect_unplanned);
  for (guint i = 0; i < r->stops->len; i++)
    {
      GeoRoundStop *s = r->stops->pdata[i];

      if (s->status != GEO_ROUND_STOP_PLANNED)
        g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_NO_CAPACITY);
      g_assert_cmpstr (s->rt, ==, "003");
      g_assert_nonnull (s->address);
      g_assert_cmpuint (s->categories, !=, 0);
    }
  /* Totals: the sum of the routes. */
  {
    double km = 0;

    for (guint k = 0; k < r->routes->len; k++)
      km += ((GeoRoundRoute *) r->routes->pdata[k])->distance_m;
    g_assert_cmpfloat_with_epsilon (km, r->total_m, 1e-3);
    g_assert_cmpfloat (r->total_m, >, 0);
  }
}

/* Unreachable in a day, impossible windows, windows respected. */
static void
test_reasons_and_windows (Fixture *f, gconstpointer data)
{
  gint64         far = add_family (f->store, 112.75, -7.25, "35.78.01.1001", 100, 1, "entri", TRUE);
  GeoRoundWindow windows[] = {
    { f->fam[4], 13 * 60, 13 * 60 + 20 }, /* feasible */
    { f->fam[7], 5 * 60, 6 * 60 },        /* before the day starts */
    { f->fam[11], 9 * 60, 9 * 60 + 30 },
  };
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  GeoRoundParams p;
  GError        *error = NULL;
  gint64         id;

  g_array_append_vals (all, f->fam, N_FAMILIES);
  g_array_append_val (all, far);
  geo_round_params_init (&p);
  p.depot = (GeoPoint){ 110.345, -7.875 };
  p.n_teams = 2;
  p.n_days = 1;
  p.visit_min = 15;
  p.windows = windows;
  p.n_windows = G_N_ELEMENTS (windows);
  id = geo_round_plan (f->store, &p, NULL, NULL, &error);
  g_assert_no_error (error);
  check_plan (f->store, id, &p, (gint64 *) all->data, all->len, travel_geodesic, &p);

  r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
  for (guint i = 0; i < r->stops->len; i++)
    {
      GeoRoundStop *s = r->stops->pdata[i];

      if (s->family_id == far)
        g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_WORKING_DAY);
      else if (s->family_id == f->fam[7])
        g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_TIME_WINDOW);
      else if (s->family_id == f->fam[4] || s->family_id == f->fam[11])
        {
          g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_PLANNED);
          g_assert_cmpfloat (s->open_min, >, 0);
        }
      else
        g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_PLANNED);
    }
  g_assert_cmpuint (r->n_unplanned, ==, 2);
}

/* A polygon drawn on the map: WKT, GeoJSON text and a GeoJSON file. */
static void
test_within (Fixture *f, gconstpointer data)
{
  /* Covers columns 0-2 (lon < 110.3465) of rows 0-2 (lat < -7.8635). */
  const char *wkt =
      "POLYGON ((110.32 -7.89, 110.3465 -7.89, 110.3465 -7.8635, 110.32 -7.8635, 110.32 -7.89))";
  const char      *json = "{\"type\":\"Polygon\",\"coordinates\":[[[110.32,-7.89],[110.3465,-7.89],"
                          "[110.3465,-7.8635],[110.32,-7.8635],[110.32,-7.89]]]}";
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *file = g_build_filename (dir, "within.geojson", NULL);
  g_autofree char *fc = g_strdup_printf ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                                         "\"Feature\",\"properties\":{},\"geometry\":%s}]}",
                                         json);
  const char      *sources[] = { wkt, json, file };
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_true (g_file_set_contents (file, fc, -1, NULL));
  for (int k = 0; k < N_FAMILIES; k++)
    if (k % GRID_W < 3 && k / GRID_W < 3)
      g_array_append_val (expected, f->fam[k]);
  g_assert_cmpuint (expected->len, ==, 9);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      GeoRoundParams p;
      GError        *error = NULL;
      gint64         id;

      geo_round_params_init (&p);
      p.depot = (GeoPoint){ 110.345, -7.875 };
      p.within = sources[i];
      id = geo_round_plan (f->store, &p, NULL, NULL, &error);
      g_assert_no_error (error);
      check_plan (f->store, id, &p, (gint64 *) expected->data, expected->len, travel_geodesic, &p);
    }
  {
    GeoRoundParams p;
    GError        *error = NULL;

    geo_round_params_init (&p);
    p.within = "POLYGON ((1 2, 3";
    g_assert_cmpint (geo_round_plan (f->store, &p, NULL, NULL, &error), ==, 0);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
  }
}

/* "Not at home" and "not reachable" families come back in the next round. */
static void
test_requeue (Fixture *f, gconstpointer data)
{
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  GeoVisitRecord v1 = {
    .family_id = f->fam[1], .date = "2026-03-02", .team = "Tim 1", .outcome = GEO_VISIT_NOT_AT_HOME
  };
  GeoVisitRecord v2 = { .family_id = f->fam[2],
                        .date = "2026-03-02",
                        .team = "Tim 1",
                        .outcome = GEO_VISIT_NOT_REACHABLE };
  GeoVisitRecord v3 = {
    .family_id = f->fam[5], .date = "2026-03-02", .team = "Tim 1", .outcome = GEO_VISIT_NOT_AT_HOME
  };
  GeoVisitRecord v3b = {
    .family_id = f->fam[5], .date = "2026-03-03", .team = "Tim 1", .outcome = GEO_VISIT_FOUND
  };
  GeoVisitResult res;
  GError        *error = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_true (geo_visit_log (f->store, &v1, &res, &error));
  g_assert_no_error (error);
  g_assert_true (geo_visit_log (f->store, &v2, &res, &error));
  g_assert_true (geo_visit_log (f->store, &v3, &res, &error));
  g_assert_true (geo_visit_log (f->store, &v3b, &res, &error)); /* found later: not re-queued */
  g_assert_no_error (error);

  /* Category 24 selects families 0, 3, 6, ...; families 1 and 2 (category 1) come back. */
  g_assert_true (geo_filter_add_category (filter, "24", NULL));
  for (int k = 0; k < N_FAMILIES; k += 3)
    g_array_append_val (expected, f->fam[k]);
  for (int with = 0; with < 2; with++)
    {
      g_autoptr(GeoRound) r = NULL;
      GeoRoundParams p;
      gint64         id;
      guint          n_requeued = 0;

      geo_round_params_init (&p);
      p.filter = filter;
      p.depot = (GeoPoint){ 110.345, -7.875 };
      p.include_requeued = with;
      if (with)
        {
          g_array_append_val (expected, f->fam[1]);
          g_array_append_val (expected, f->fam[2]);
        }
      id = geo_round_plan (f->store, &p, NULL, NULL, &error);
      g_assert_no_error (error);
      check_plan (f->store, id, &p, (gint64 *) expected->data, expected->len, travel_geodesic, &p);
      r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
      for (guint i = 0; i < r->stops->len; i++)
        {
          GeoRoundStop *s = r->stops->pdata[i];

          n_requeued += s->requeued;
          g_assert_cmpint (s->requeued,
                           ==,
                           with && (s->family_id == f->fam[1] || s->family_id == f->fam[2]));
        }
      g_assert_cmpuint (n_requeued, ==, with ? 2 : 0);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Priorities (family.priority): capacity goes to the urgent targets first. */

static void
set_priority (Fixture *f, int k, int priority)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (geo_store_get_db (f->store),
                                       "UPDATE family SET priority = ? WHERE id = ?",
                                       -1,
                                       &stmt,
                                       NULL),
                   ==,
                   SQLITE_OK);
  sqlite3_bind_int (stmt, 1, priority);
  sqlite3_bind_int64 (stmt, 2, f->fam[k]);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

static void
test_priority (Fixture *f, gconstpointer data)
{
  /* Urgent: the four corners of the grid, far from the depot and from each other, so a plan
   * that only minimised travel would not take them all; high: three families inside. */
  static const int urgent[] = { 0, GRID_W - 1, N_FAMILIES - GRID_W, N_FAMILIES - 1 };
  static const int high[] = { 8, 15, 22 };
  GError *error = NULL;
  int     prio[N_FAMILIES];

  for (int k = 0; k < N_FAMILIES; k++)
    prio[k] = 3;
  for (guint i = 0; i < G_N_ELEMENTS (urgent); i++)
    set_priority (f, urgent[i], prio[urgent[i]] = 1);
  for (guint i = 0; i < G_N_ELEMENTS (high); i++)
    set_priority (f, high[i], prio[high[i]] = 2);

  /* Short capacity: one team, two days of at most 3 visits = 6 places for 30 targets. */
  {
    g_autoptr(GeoRound) r = NULL;
    g_autofree char *csv = NULL;
    g_auto(GStrv) lines = NULL;
    GeoRoundParams p;
    gint64         id;
    guint          planned[4] = { 0 }, unplanned[4] = { 0 };

    geo_round_params_init (&p);
    p.depot = (GeoPoint){ 110.345, -7.875 };
    p.n_days = 2;
    p.max_visits = 3;
    id = geo_round_plan (f->store, &p, NULL, NULL, &error);
    g_assert_no_error (error);
    r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->n_targets, ==, N_FAMILIES);
    g_assert_cmpuint (r->n_planned, ==, 6);
    for (guint i = 0; i < r->stops->len; i++)
      {
        const GeoRoundStop *s = r->stops->pdata[i];
        int                 k = -1;

        for (int j = 0; j < N_FAMILIES; j++)
          if (f->fam[j] == s->family_id)
            k = j;
        g_assert_cmpint (k, >=, 0);
        g_assert_cmpint (s->priority, ==, prio[k]);
        if (s->status == GEO_ROUND_STOP_PLANNED)
          planned[s->priority]++;
        else
          {
            g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_NO_CAPACITY);
            unplanned[s->priority]++;
          }
      }
    g_assert_cmpuint (planned[1], ==, G_N_ELEMENTS (urgent)); /* every urgent one */
    g_assert_cmpuint (planned[2], ==, 2);                     /* the room left */
    g_assert_cmpuint (planned[3], ==, 0);
    g_assert_cmpuint (unplanned[1], ==, 0);
    g_assert_cmpuint (unplanned[2], ==, 1);
    g_assert_cmpuint (unplanned[3], ==, N_FAMILIES - 7);

    /* The exports carry the priority of each stop. */
    csv = geo_round_export_to_string (r, GEO_ROUND_FORMAT_CSV);
    lines = g_strsplit (csv, "\r\n", -1);
    g_assert_true (g_str_has_suffix (lines[0], ",requeued,priority"));
    for (guint i = 1; i <= r->n_planned; i++)
      {
        const GeoRoundStop *s = r->stops->pdata[i - 1];
        g_autofree char    *tail = g_strdup_printf (",%d", s->priority);

        g_assert_true (g_str_has_suffix (lines[i], tail));
      }
  }

  /* The filter: urgent only, then urgent and high; all fit, all planned. */
  for (guint max = 1; max <= 2; max++)
    {
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GeoRound) r = NULL;
      GeoRoundParams p;
      gint64         id;

      for (int k = 0; k < N_FAMILIES; k++)
        if (prio[k] <= (int) max)
          g_array_append_val (expected, f->fam[k]);
      geo_round_params_init (&p);
      p.depot = (GeoPoint){ 110.345, -7.875 };
      p.max_priority = max;
      id = geo_round_plan (f->store, &p, NULL, NULL, &error);
      g_assert_no_error (error);
      check_plan (f->store, id, &p, (gint64 *) expected->data, expected->len, travel_geodesic, &p);
      r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
      g_assert_cmpuint (r->n_targets, ==, max == 1 ? 4 : 7);
      g_assert_cmpuint (r->n_planned, ==, r->n_targets);
      g_assert_nonnull (strstr (r->selection, max == 1 ? "priority=urgent" : "priority=urgent,high"));
    }

  /* A bad priority is refused. */
  {
    GeoRoundParams p;

    geo_round_params_init (&p);
    p.depot = (GeoPoint){ 110.345, -7.875 };
    p.max_priority = 4;
    g_assert_cmpint (geo_round_plan (f->store, &p, NULL, NULL, &error), ==, 0);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
  }
}

/* ---------------------------------------------------------------------------------------------
 * Exports */

typedef struct
{
  GPtrArray *stack;
  guint      n_wpt, n_rte, n_rtept, n_trk, n_trkpt, n_cmt;
  gboolean   root_ok;
  GString   *text;
} GpxCount;

static void
gpx_start (GMarkupParseContext *ctx,
           const char          *name,
           const char         **an,
           const char         **av,
           gpointer             data,
           GError             **error)
{
  GpxCount *c = data;

  if (c->stack->len == 0)
    {
      const char *version = NULL, *xmlns = NULL;

      for (guint i = 0; an[i]; i++)
        {
          if (strcmp (an[i], "version") == 0)
            version = av[i];
          if (strcmp (an[i], "xmlns") == 0)
            xmlns = av[i];
        }
      c->root_ok = strcmp (name, "gpx") == 0 && g_strcmp0 (version, "1.1") == 0 &&
                   g_strcmp0 (xmlns, "http://www.topografix.com/GPX/1/1") == 0;
    }
  if (strcmp (name, "wpt") == 0 || strcmp (name, "rtept") == 0 || strcmp (name, "trkpt") == 0)
    {
      double lat = NAN, lon = NAN;

      for (guint i = 0; an[i]; i++)
        {
          if (strcmp (an[i], "lat") == 0)
            lat = g_ascii_strtod (av[i], NULL);
          if (strcmp (an[i], "lon") == 0)
            lon = g_ascii_strtod (av[i], NULL);
        }
      g_assert_true (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180);
    }
  /* Children of <gpx> come in the schema's order: metadata, wpt, rte, trk. */
  if (c->stack->len == 1)
    {
      if (strcmp (name, "wpt") == 0)
        g_assert_cmpuint (c->n_rte + c->n_trk, ==, 0);
      if (strcmp (name, "rte") == 0)
        g_assert_cmpuint (c->n_trk, ==, 0);
    }
  c->n_wpt += strcmp (name, "wpt") == 0;
  c->n_rte += strcmp (name, "rte") == 0;
  c->n_rtept += strcmp (name, "rtept") == 0;
  c->n_trk += strcmp (name, "trk") == 0;
  c->n_trkpt += strcmp (name, "trkpt") == 0;
  c->n_cmt += strcmp (name, "cmt") == 0;
  g_ptr_array_add (c->stack, (gpointer) name);
}

static void
gpx_end (GMarkupParseContext *ctx, const char *name, gpointer data, GError **error)
{
  GpxCount *c = data;

  g_ptr_array_remove_index (c->stack, c->stack->len - 1);
}

static void
gpx_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  g_string_append_len (((GpxCount *) data)->text, text, len);
}

static void
parse_xml (const char *xml, GpxCount *c)
{
  GMarkupParser        parser = { gpx_start, gpx_end, gpx_text, NULL, NULL };
  GMarkupParseContext *ctx;
  GError              *error = NULL;
  const char          *body = strstr (xml, "?>");

  memset (c, 0, sizeof *c);
  c->stack = g_ptr_array_new ();
  c->text = g_string_new (NULL);
  ctx = g_markup_parse_context_new (&parser, 0, c, NULL);
  g_assert_nonnull (body);
  g_assert_true (g_markup_parse_context_parse (ctx, body + 2, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->stack->len, ==, 0);
  g_markup_parse_context_free (ctx);
  g_ptr_array_unref (c->stack);
}

static gint64
plan_default (Fixture *f, guint teams, guint days)
{
  GeoRoundParams p;
  GError        *error = NULL;
  gint64         id;

  geo_round_params_init (&p);
  p.depot = (GeoPoint){ 110.345, -7.875 };
  p.n_teams = teams;
  p.n_days = days;
  p.visit_min = 25;
  p.max_visits = 9;
  p.name = "Jemput bola <Maret> & NIK";
  id = geo_round_plan (f->store, &p, NULL, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_exports (Fixture *f, gconstpointer data)
{
  gint64  id = plan_default (f, 2, 2);
  GError *error = NULL;

  for (int personal = GEO_ROUND_PERSONAL_NONE; personal <= GEO_ROUND_PERSONAL_FULL; personal++)
    {
      g_autoptr(GeoRound) r = geo_round_load (f->store, id, personal, &error);
      g_autofree char *gpx = geo_round_export_to_string (r, GEO_ROUND_FORMAT_GPX);
      g_autofree char *kml = geo_round_export_to_string (r, GEO_ROUND_FORMAT_KML);
      g_autofree char *csv = geo_round_export_to_string (r, GEO_ROUND_FORMAT_CSV);
      g_autofree char *gj = geo_round_export_to_string (r, GEO_ROUND_FORMAT_GEOJSON);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) header = NULL;
      GpxCount    c;
      guint       n_rtept = 0, n_line = 0;
      const char *required[] = {
        "team", "day", "seq", "family_id", "lon", "lat", "arrive", "depart"
      };
      int col[G_N_ELEMENTS (required)];

      g_assert_no_error (error);
      g_assert_cmpuint (r->n_planned, ==, N_FAMILIES);
      for (guint k = 0; k < r->routes->len; k++)
        {
          GeoRoundRoute *rt = r->routes->pdata[k];

          n_rtept += rt->n_stops + 2;
          n_line += rt->line->len;
        }

      /* GPX 1.1. */
      parse_xml (gpx, &c);
      g_assert_true (c.root_ok);
      g_assert_cmpuint (c.n_wpt, ==, r->n_planned + 1);
      g_assert_cmpuint (c.n_rte, ==, r->routes->len);
      g_assert_cmpuint (c.n_rtept, ==, n_rtept);
      g_assert_cmpuint (c.n_trk, ==, r->routes->len);
      g_assert_cmpuint (c.n_trkpt, ==, n_line);
      g_assert_cmpuint (c.n_cmt, ==, personal ? r->n_planned : 0);
      g_assert_cmpint (strstr (c.text->str, "Warga Nomor") != NULL, ==, personal != 0);
      g_assert_nonnull (strstr (c.text->str, "Jemput bola <Maret> & NIK"));
      g_string_free (c.text, TRUE);

      /* KML. */
      parse_xml (kml, &c);
      g_assert_cmpint (strstr (c.text->str, "Warga Nomor") != NULL, ==, personal != 0);
      g_string_free (c.text, TRUE);

      /* CSV: one row per planned stop, the required columns, HH:MM times. */
      lines = g_strsplit (csv, "\r\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, r->n_planned + 2); /* header + rows + "" */
      header = g_strsplit (lines[0], ",", -1);
      for (guint k = 0; k < G_N_ELEMENTS (required); k++)
        {
          col[k] = -1;
          for (guint h = 0; header[h]; h++)
            if (strcmp (header[h], required[k]) == 0)
              col[k] = h;
          g_assert_cmpint (col[k], >=, 0);
        }
      g_assert_cmpint (g_strv_contains ((const char *const *) header, "nik"), ==, personal != 0);
      for (guint i = 1; i <= r->n_planned; i++)
        {
          g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
          const GeoRoundStop *s = r->stops->pdata[i - 1];
          g_autofree char    *arrive = geo_round_format_time (s->arrive_min);

          g_assert_cmpint (g_ascii_strtoll (cells[col[3]], NULL, 10), ==, s->family_id);
          g_assert_cmpuint (g_ascii_strtoull (cells[col[0]], NULL, 10), ==, s->team);
          g_assert_cmpuint (g_ascii_strtoull (cells[col[2]], NULL, 10), ==, s->seq);
          g_assert_true (g_regex_match_simple ("^[0-2][0-9]:[0-5][0-9]$", cells[col[6]], 0, 0));
          g_assert_true (g_regex_match_simple ("^[0-2][0-9]:[0-5][0-9]$", cells[col[7]], 0, 0));
          g_assert_cmpstr (cells[col[6]], ==, arrive);
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[col[4]], NULL), s->pos.lon, 1e-6);
        }
      if (personal == GEO_ROUND_PERSONAL_MASKED)
        {
          g_assert_nonnull (strstr (csv, "340201******0000"));
          g_assert_null (strstr (csv, "3402011234500000"));
        }
      if (personal == GEO_ROUND_PERSONAL_FULL)
        g_assert_nonnull (strstr (csv, "3402011234500000"));
      if (personal == GEO_ROUND_PERSONAL_NONE)
        {
          g_assert_null (strstr (csv, "Warga"));
          g_assert_null (strstr (gj, "Warga"));
          g_assert_null (strstr (gj, "34020112345"));
        }

      /* GeoJSON. */
      g_assert_true (json_parser_load_from_data (parser, gj, -1, &error));
      g_assert_no_error (error);
      {
        JsonObject *root = json_node_get_object (json_parser_get_root (parser));
        JsonArray  *features = json_object_get_array_member (root, "features");

        g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "FeatureCollection");
        g_assert_cmpuint (json_array_get_length (features), ==, 1 + r->stops->len + r->routes->len);
      }
    }

  /* Files by extension. */
  {
    g_autoptr(GeoRound) r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
    g_autofree char *dir = test_tmp_make_dir ("jangkau-export-XXXXXX", NULL);
    const char      *names[] = { "a.gpx", "a.kml", "a.geojson", "a.csv" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);

        g_assert_true (geo_round_export (r, path, &error));
        g_assert_no_error (error);
        g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      }
    g_assert_false (geo_round_export (r, "x.shp", &error));
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_null (geo_round_mask_nik (NULL));
  {
    g_autofree char *m = geo_round_mask_nik ("3402011234567890");

    g_assert_cmpstr (m, ==, "340201******7890");
  }
}

static char *
run_capture (const char *const *argv, int *status)
{
  char   *out = NULL;
  GError *error = NULL;

  g_assert_true (g_spawn_sync (NULL,
                               (char **) argv,
                               NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL,
                               NULL,
                               &out,
                               NULL,
                               status,
                               &error));
  g_assert_no_error (error);
  return out;
}

static void
test_sheets (Fixture *f, gconstpointer data)
{
  gint64           id = plan_default (f, 2, 1);
  g_autofree char *dir = test_tmp_make_dir ("jangkau-sheets-XXXXXX", NULL);
  GError          *error = NULL;

  for (int personal = 0; personal < 2; personal++)
    {
      g_autoptr(GeoRound) r =
                     geo_round_load (f->store,
                                     id,
                                     personal ? GEO_ROUND_PERSONAL_MASKED : GEO_ROUND_PERSONAL_NONE,
                                     &error);
      g_autoptr(GPtrArray) paths = report_route_sheets_write_all (f->store, r, dir, &error);
      g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

      g_assert_no_error (error);
      g_assert_cmpuint (paths->len, ==, r->routes->len);
      for (guint i = 0; i < paths->len; i++)
        {
          g_autofree char *bytes = NULL;
          gsize            len;

          g_assert_true (g_file_get_contents (paths->pdata[i], &bytes, &len, NULL));
          g_assert_cmpuint (len, >, 2000);
          g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
          if (pdftotext != NULL)
            {
              const char      *argv[] = { pdftotext, "-layout", paths->pdata[i], "-", NULL };
              g_autofree char *txt = NULL;
              GeoRoundRoute   *rt = r->routes->pdata[i];
              g_autofree char *team = g_strdup_printf ("Tim %u", rt->team);
              g_autoptr(GPtrArray) stops = geo_round_day_stops (r, rt->team, rt->day);
              int st;

              txt = run_capture (argv, &st);
              g_assert_cmpint (st, ==, 0);
              g_assert_nonnull (strstr (txt, team));
              g_assert_nonnull (strstr (txt, "Jl. Contoh No."));
              g_assert_nonnull (strstr (txt, "Hasil"));
              for (guint s = 0; s < stops->len; s++)
                {
                  GeoRoundStop    *stop = stops->pdata[s];
                  g_autofree char *addr =
                      g_strdup_printf ("Jl. Contoh No. %d", (int) (stop->family_id - f->fam[0]));

                  g_assert_nonnull (strstr (txt, addr));
                }
              g_assert_cmpint (strstr (txt, "Warga Nomor") != NULL, ==, personal);
            }
          else
            g_test_message ("pdftotext not found: PDF text not checked");
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * A round on Monaco's roads (synthetic families, no Indonesia check in the store API) */

typedef struct
{
  GeoRoadGraph *graph;
  double        access_kmh;
} RoadTravel;

static double
travel_roads (gpointer data, const GeoPoint *a, const GeoPoint *b)
{
  RoadTravel *rt = data;
  GeoPoint    pts[2] = { *a, *b };
  GeoRoadSnap s[2];
  double      m[4];

  geo_road_graph_snap (rt->graph, pts, 2, G_MAXDOUBLE, s);
  g_assert_true (geo_road_graph_matrix (rt->graph, s, 2, rt->access_kmh, m, NULL, NULL, NULL));
  return m[1];
}

static void
test_roads_monaco (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-monaco-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "m.jangkau", NULL);
  g_autofree char *pbf = g_build_filename (shared_data (), "osm", "monaco_roads.osm.pbf", NULL);
  g_autoptr(GeoStore) store = geo_store_open (db, GEO_STORE_OPEN_CREATE, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(GeoRoadGraph) graph = NULL;
  GeoRoundParams p;
  RoadTravel     rt;
  GError        *error = NULL;
  gint64         id, offshore;
  guint          line_pts = 0;
  Progress       progress = { .monotonic = TRUE };

  if (!g_file_test (pbf, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("monaco_roads.osm.pbf not found");
      return;
    }
  g_assert_true (geo_roads_import (store, pbf, NULL, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  for (int k = 0; k < 24; k++)
    {
      gint64 fid = add_family (store,
                               g_rand_double_range (rand, 7.415, 7.43),
                               g_rand_double_range (rand, 43.73, 43.745),
                               NULL,
                               k,
                               1,
                               "entri",
                               FALSE);

      g_array_append_val (ids, fid);
    }
  /* In the sea, ~2 km off the coast: farther than the maximum snap distance. */
  offshore = add_family (store, 7.44, 43.715, NULL, 99, 1, "entri", FALSE);
  g_array_append_val (ids, offshore);

  geo_round_params_init (&p);
  p.depot = (GeoPoint){ 7.4200, 43.7310 };
  p.n_teams = 2;
  p.n_days = 1;
  p.day_start_min = 9 * 60;
  p.day_end_min = 13 * 60;
  p.visit_min = 10;
  p.vehicle = GEO_VEHICLE_CAR;
  p.cost_model = GEO_ROUND_COST_ROADS;
  p.max_snap_m = 400;
  p.progress = record_progress;
  p.progress_data = &progress;
  id = geo_round_plan (store, &p, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The road model reports the travel matrix's rows too. */
  g_assert_true (progress.matrix_step);
  g_assert_true (progress.monotonic);
  g_assert_cmpfloat (progress.last, ==, 1);
  p.progress = NULL;

  graph = geo_road_graph_load (store, GEO_VEHICLE_CAR, FALSE, NULL, &error);
  rt.graph = graph;
  rt.access_kmh = p.access_kmh;
  check_plan (store, id, &p, (gint64 *) ids->data, ids->len, travel_roads, &rt);

  r = geo_round_load (store, id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_cmpstr (r->cost_model, ==, "roads");
  /* Every family within 400 m of the (connected) network is planned; the others, the offshore
   * one among them, are reported with their distance. */
  g_assert_cmpuint (r->n_planned, >=, 18);
  for (guint i = 0; i < r->stops->len; i++)
    {
      GeoRoundStop *s = r->stops->pdata[i];

      g_assert_cmpfloat (s->snap_m, >=, 0);
      if (s->family_id == offshore)
        g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_NOT_SNAPPED);
      if (s->status == GEO_ROUND_STOP_NOT_SNAPPED)
        g_assert_cmpfloat (s->snap_m, >, 400);
      else
        {
          g_assert_cmpint (s->status, ==, GEO_ROUND_STOP_PLANNED);
          g_assert_cmpfloat (s->snap_m, <=, 400);
        }
    }
  /* Route lines follow the roads: many more vertices than stops, and at least as long as the
   * straight legs. */
  for (guint k = 0; k < r->routes->len; k++)
    {
      GeoRoundRoute *route = r->routes->pdata[k];
      double         len = 0;

      line_pts += route->line->len;
      for (guint i = 1; i < route->line->len; i++)
        len += geodesic (&g_array_index (route->line, GeoPoint, i - 1),
                         &g_array_index (route->line, GeoPoint, i));
      g_assert_cmpfloat_with_epsilon (len, route->distance_m, route->distance_m * 0.01 + 1);
    }
  g_assert_cmpuint (line_pts, >, 5 * (r->n_planned + 2 * r->routes->len));

  /* A mixed fleet on the roads: each team timed on its own vehicle's graph, and a hand
   * reordering recomputed on that graph. */
  {
    const GeoVehicle vehicles[] = { GEO_VEHICLE_MOTORBIKE, GEO_VEHICLE_CAR };
    g_autoptr(GeoRound) m = NULL;
    g_autoptr(GeoRoadGraph) moto =
                   geo_road_graph_load (store, GEO_VEHICLE_MOTORBIKE, FALSE, NULL, &error);
    gint64 mid;
    guint  checked = 0;

    g_assert_no_error (error);
    p.team_vehicles = vehicles;
    mid = geo_round_plan (store, &p, NULL, NULL, &error);
    g_assert_no_error (error);
    m = geo_round_load (store, mid, GEO_ROUND_PERSONAL_NONE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (geo_round_get_team (m, 1)->vehicle, ==, "motorbike");
    g_assert_cmpstr (geo_round_get_team (m, 2)->vehicle, ==, "car");
    for (guint team = 1; team <= 2; team++)
      {
        g_autoptr(GPtrArray) day = geo_round_day_stops (m, team, 1);
        g_autofree gint64 *order = NULL;
        RoadTravel         tt = { team == 1 ? moto : graph, p.access_kmh };
        GeoPoint           prev = p.depot;
        double             t = p.day_start_min;

        if (day->len < 2)
          continue;
        for (guint i = 0; i < day->len; i++)
          {
            GeoRoundStop *s = day->pdata[i];

            t += travel_roads (&tt, &prev, &s->pos);
            g_assert_cmpfloat_with_epsilon (s->arrive_min, t, 1e-3);
            t = s->depart_min;
            prev = s->pos;
          }
        t += travel_roads (&tt, &prev, &p.depot);
        g_assert_cmpfloat_with_epsilon (geo_round_get_route (m, team, 1)->end_min, t, 1e-3);

        /* Swap the first two stops by hand. */
        order = g_new (gint64, day->len);
        for (guint i = 0; i < day->len; i++)
          order[i] = ((GeoRoundStop *) day->pdata[i])->family_id;
        order[0] = ((GeoRoundStop *) day->pdata[1])->family_id;
        order[1] = ((GeoRoundStop *) day->pdata[0])->family_id;
        g_assert_false (geo_round_reorder_day (m, team, 1, order, day->len, NULL, NULL, &error));
        g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID); /* a road round needs the graph */
        g_clear_error (&error);
        g_assert_true (geo_round_reorder_day (m, team, 1, order, day->len, tt.graph, NULL, &error));
        g_assert_no_error (error);
        g_ptr_array_unref (day);
        day = geo_round_day_stops (m, team, 1);
        prev = p.depot;
        t = p.day_start_min;
        for (guint i = 0; i < day->len; i++)
          {
            GeoRoundStop *s = day->pdata[i];

            g_assert_cmpint (s->family_id, ==, order[i]);
            t += travel_roads (&tt, &prev, &s->pos);
            g_assert_cmpfloat_with_epsilon (s->arrive_min, t, 1e-3);
            t = s->depart_min;
            prev = s->pos;
          }
        {
          const GeoRoundRoute *route = geo_round_get_route (m, team, 1);
          double               len = 0;

          for (guint i = 1; i < route->line->len; i++)
            len += geodesic (&g_array_index (route->line, GeoPoint, i - 1),
                             &g_array_index (route->line, GeoPoint, i));
          g_assert_cmpuint (route->line->len, >, day->len + 2);
          g_assert_cmpfloat_with_epsilon (len, route->distance_m, route->distance_m * 0.01 + 1);
        }
        g_assert_true (geo_round_save_day (store, m, team, 1, &error));
        g_assert_no_error (error);
        checked++;
      }
    g_assert_cmpuint (checked, ==, 2);
    p.team_vehicles = NULL;
  }

  /* The depot must be on the network. */
  p.depot = (GeoPoint){ 7.5, 43.6 };
  g_assert_cmpint (geo_round_plan (store, &p, NULL, NULL, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

/* ---------------------------------------------------------------------------------------------
 * CLI */

/* jangkau-cli round plan --priority N: the filter, the stops' priority in the CSV and the JSON. */
static void
test_cli_priority (Fixture *f, gconstpointer data)
{
  const char      *cli = g_getenv ("JANGKAU_CLI");
  g_autofree char *dir = test_tmp_make_dir ("jangkau-cli-prio-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "plan.csv", NULL);
  g_autofree char *out = NULL, *csv = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonObject *o;
  int         status;
  GError     *error = NULL;

  if (cli == NULL)
    {
      g_test_skip ("JANGKAU_CLI not set");
      return;
    }
  set_priority (f, 0, 1);
  set_priority (f, 7, 1);
  set_priority (f, 9, 2);
  g_clear_object (&f->store); /* the CLI writes */
  {
    const char *argv[] = { cli, "round", "plan", f->path, "--depot", "110.345,-7.875",
                           "--priority", "2", "--json", "--out", csv_path, NULL };

    out = run_capture (argv, &status);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "targets"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "planned"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (o, "selection"), "priority=urgent,high"));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* header, 3 stops, "" */
  g_assert_true (g_str_has_suffix (lines[0], ",priority"));
  for (guint i = 1; i <= 3; i++)
    g_assert_true (g_str_has_suffix (lines[i], ",1") || g_str_has_suffix (lines[i], ",2"));
  {
    const char *argv[] = { cli, "round", "plan", f->path, "--depot", "110.345,-7.875",
                           "--priority", "9", "--out", csv_path, NULL };
    g_autofree char *bad = run_capture (argv, &status);

    g_assert_false (g_spawn_check_wait_status (status, NULL));
  }
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  const char      *cli = g_getenv ("JANGKAU_CLI");
  g_autofree char *dir = test_tmp_make_dir ("jangkau-cli-round-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "plan.csv", NULL);
  g_autofree char *gpx = g_build_filename (dir, "plan.gpx", NULL);
  g_autofree char *sheets = g_build_filename (dir, "sheets", NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject      *o;
  int              status;
  GError          *error = NULL;
  g_autofree char *window =
      g_strdup_printf ("--window=%" G_GINT64_FORMAT "=10:00-10:30", f->fam[8]);

  if (cli == NULL)
    {
      g_test_skip ("JANGKAU_CLI not set");
      return;
    }
  g_clear_object (&f->store); /* the CLI writes */
  {
    const char *argv[] = { cli,
                           "round",
                           "plan",
                           f->path,
                           "--depot",
                           "110.345,-7.875",
                           "--teams",
                           "2",
                           "--days",
                           "2",
                           "--start",
                           "08:00",
                           "--end",
                           "14:00",
                           "--visit-minutes",
                           "20",
                           "--max-visits",
                           "8",
                           "--vehicle",
                           "car",
                           "--detour",
                           "1.4",
                           "--category",
                           "1",
                           window,
                           "--out",
                           csv,
                           "--sheets",
                           sheets,
                           "--json",
                           NULL };

    out = run_capture (argv, &status);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "targets"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (o, "planned") +
                       json_object_get_int_member (o, "unplanned"),
                   ==,
                   20);
  g_assert_cmpfloat (json_object_get_double_member (o, "total_km"), >, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "vehicle"), ==, "car");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "sheets")),
                    ==,
                    json_array_get_length (json_object_get_array_member (o, "routes")));
  g_assert_true (g_file_test (csv, G_FILE_TEST_EXISTS));
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "team,day,seq,family_id,lon,lat,arrive"));
    g_assert_null (strstr (text, "Warga"));
  }
  /* Re-check the stored plan independently. */
  {
    g_autoptr(GeoStore) store = geo_store_open (f->path, GEO_STORE_OPEN_DEFAULT, &error);
    g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
    GeoRoundParams p;

    for (int k = 0; k < N_FAMILIES; k++)
      if (k % 3 != 0)
        g_array_append_val (expected, f->fam[k]);
    geo_round_params_init (&p);
    p.depot = (GeoPoint){ 110.345, -7.875 };
    p.n_teams = 2;
    p.n_days = 2;
    p.day_start_min = 8 * 60;
    p.day_end_min = 14 * 60;
    p.max_visits = 8;
    p.visit_min = 20;
    p.vehicle = GEO_VEHICLE_CAR;
    p.detour_factor = 1.4;
    check_plan (store,
                json_object_get_int_member (o, "round_id"),
                &p,
                (gint64 *) expected->data,
                expected->len,
                travel_geodesic,
                &p);
  }
  /* list, show --out, errors. */
  {
    const char      *list[] = { cli, "round", "list", f->path, "--json", NULL };
    g_autofree char *l = run_capture (list, &status);
    g_autofree char *id =
        g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "round_id"));
    const char      *show[] = { cli, "round", "show", f->path,
                                id,  "--out", gpx,    "--include-personal-data",
                                NULL };
    const char      *bad[] = { cli, "round", "plan", f->path, "--out", csv, NULL };
    const char      *bad2[] = { cli, "round", "show", f->path, "999", NULL };
    g_autofree char *s = NULL, *b = NULL, *b2 = NULL, *g = NULL;

    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (l, "\"targets\" : 20"));
    s = run_capture (show, &status);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (s, "team 1 day 1"));
    g_assert_true (g_file_get_contents (gpx, &g, NULL, NULL));
    g_assert_nonnull (strstr (g, "Warga Nomor"));
    b = run_capture (bad, &status);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    b2 = run_capture (bad2, &status);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  }
  /* roads import. */
  {
    g_autofree char *geojson =
        g_build_filename (shared_data (), "osm", "jakarta_pusat_roads_osm_clip.geojson", NULL);
    const char      *argv[] = { cli, "roads", "import", f->path, geojson, "--json", NULL };
    g_autofree char *r = run_capture (argv, &status);

    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (r, "\"read\" : 155"));
  }
}

/* ---------------------------------------------------------------------------------------------
 * Mixed fleets: a vehicle and a speed per team, table-driven */

typedef struct
{
  const char *name;
  guint       teams;
  GeoVehicle  vehicles[3];
  double      speeds[3]; /* 0: the vehicle's default */
  const char *start, *end;
  double      expect_speed[3];
} FleetCase;

static const FleetCase fleet_cases[] = {
  { "car-fast-motorbike-slow",
    2,
    { GEO_VEHICLE_CAR, GEO_VEHICLE_MOTORBIKE },
    { 40, 12 },
    "08:00",
    "16:00",
    { 40, 12 } },
  { "defaults",
    2,
    { GEO_VEHICLE_MOTORBIKE, GEO_VEHICLE_CAR },
    { 0, 0 },
    "08:00",
    "16:00",
    { 25, 30 } },
  { "three-teams",
    3,
    { GEO_VEHICLE_CAR, GEO_VEHICLE_MOTORBIKE, GEO_VEHICLE_MOTORBIKE },
    { 30, 50, 10 },
    "08:00",
    "13:00",
    { 30, 50, 10 } },
  /* The walking-pace motorbike team cannot reach the far families within the hour: they must
   * go to the car team (or be reported), never be timed at the car's speed. */
  { "slow-team-short-day",
    2,
    { GEO_VEHICLE_MOTORBIKE, GEO_VEHICLE_CAR },
    { 3, 40 },
    "08:00",
    "09:30",
    { 3, 40 } },
};

static void
test_mixed_fleet (Fixture *f, gconstpointer data)
{
  const FleetCase *c = data;
  g_autoptr(GeoRound) r = NULL;
  GeoRoundParams p;
  GError        *error = NULL;
  gint64         id;
  guint          planned = 0, far_by_slow = 0;

  geo_round_params_init (&p);
  p.depot = (GeoPoint){ 110.345, -7.875 };
  p.n_teams = c->teams;
  p.n_days = 1;
  p.visit_min = 10;
  p.team_vehicles = c->vehicles;
  p.team_speeds_kmh = c->speeds;
  g_assert_true (geo_round_parse_time (c->start, &p.day_start_min));
  g_assert_true (geo_round_parse_time (c->end, &p.day_end_min));
  id = geo_round_plan (f->store, &p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r->teams);
  g_assert_cmpuint (r->teams->len, ==, c->teams);
  g_assert_cmpstr (r->vehicle, ==, geo_vehicle_to_string (c->vehicles[0]));
  for (guint team = 1; team <= c->teams; team++)
    {
      const GeoRoundTeam *tm = geo_round_get_team (r, team);
      double              speed = c->expect_speed[team - 1];
      g_autoptr(GPtrArray) stops = geo_round_day_stops (r, team, 1);
      const GeoRoundRoute *route = geo_round_get_route (r, team, 1);
      GeoPoint             prev = p.depot;
      double               t = p.day_start_min, travel = 0, back;

      g_assert_nonnull (tm);
      g_assert_cmpstr (tm->vehicle, ==, geo_vehicle_to_string (c->vehicles[team - 1]));
      g_assert_cmpfloat_with_epsilon (tm->speed_kmh, speed, 1e-9);
      if (stops->len == 0)
        continue;
      for (guint i = 0; i < stops->len; i++)
        {
          GeoRoundStop *s = stops->pdata[i];
          double        leg = geodesic (&prev, &s->pos) * p.detour_factor / (speed * 1000 / 60);

          g_assert_cmpfloat_with_epsilon (s->arrive_min, t + leg, 1e-3);
          g_assert_cmpfloat_with_epsilon (s->depart_min, s->arrive_min + p.visit_min, 1e-3);
          g_assert_cmpfloat_with_epsilon (s->leg_m,
                                          geodesic (&prev, &s->pos) * p.detour_factor,
                                          1e-3);
          if (speed < 5 && geodesic (&p.depot, &s->pos) > 1500)
            far_by_slow++;
          travel += leg;
          t = s->depart_min;
          prev = s->pos;
          planned++;
        }
      back = t + geodesic (&prev, &p.depot) * p.detour_factor / (speed * 1000 / 60);
      travel += geodesic (&prev, &p.depot) * p.detour_factor / (speed * 1000 / 60);
      g_assert_nonnull (route);
      g_assert_cmpfloat_with_epsilon (route->end_min, back, 1e-3);
      g_assert_cmpfloat_with_epsilon (route->travel_min, travel, 1e-3);
      g_assert_cmpfloat (back, <=, p.day_end_min + 1e-6);
    }
  g_assert_cmpuint (planned, ==, r->n_planned);
  g_assert_cmpuint (far_by_slow, ==, 0);
  g_assert_cmpuint (r->n_planned, >, 0);
}

/* Reordering a day by hand: times recomputed as the planner does, stored, loaded back. */
static void
test_reorder (Fixture *f, gconstpointer data)
{
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(GeoRound) back = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autofree gint64 *order = NULL;
  const GeoVehicle   vehicles[] = { GEO_VEHICLE_MOTORBIKE, GEO_VEHICLE_CAR };
  const double       speeds[] = { 20, 35 };
  GeoRoundParams     p;
  GError            *error = NULL;
  gboolean           feasible = FALSE;
  gint64             id;
  double             t, planned_km;

  geo_round_params_init (&p);
  p.depot = (GeoPoint){ 110.345, -7.875 };
  p.n_teams = 2;
  p.day_end_min = 18 * 60;
  p.visit_min = 10;
  p.team_vehicles = vehicles;
  p.team_speeds_kmh = speeds;
  id = geo_round_plan (f->store, &p, NULL, NULL, &error);
  g_assert_no_error (error);
  r = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_no_error (error);
  planned_km = r->total_m;
  for (guint team = 1; team <= 2; team++)
    {
      GeoPoint prev = p.depot;

      g_clear_pointer (&day, g_ptr_array_unref);
      day = geo_round_day_stops (r, team, 1);
      g_assert_cmpuint (day->len, >=, 3);
      g_clear_pointer (&order, g_free);
      order = g_new (gint64, day->len);
      /* Reversed: the same length, other times. */
      for (guint i = 0; i < day->len; i++)
        order[i] = ((GeoRoundStop *) day->pdata[day->len - 1 - i])->family_id;
      g_assert_true (geo_round_reorder_day (r, team, 1, order, day->len, NULL, &feasible, &error));
      g_assert_no_error (error);
      g_assert_true (feasible);
      g_ptr_array_unref (day);
      day = geo_round_day_stops (r, team, 1);
      t = p.day_start_min;
      for (guint i = 0; i < day->len; i++)
        {
          GeoRoundStop *s = day->pdata[i];

          g_assert_cmpint (s->family_id, ==, order[i]);
          g_assert_cmpuint (s->seq, ==, i + 1);
          t += geodesic (&prev, &s->pos) * 1.3 / (speeds[team - 1] * 1000 / 60);
          g_assert_cmpfloat_with_epsilon (s->arrive_min, t, 1e-6);
          t += 10;
          prev = s->pos;
        }
      t += geodesic (&prev, &p.depot) * 1.3 / (speeds[team - 1] * 1000 / 60);
      g_assert_cmpfloat_with_epsilon (geo_round_get_route (r, team, 1)->end_min, t, 1e-6);
      g_assert_true (geo_round_save_day (f->store, r, team, 1, &error));
      g_assert_no_error (error);
    }
  /* Reversing a symmetric tour keeps its length. */
  g_assert_cmpfloat_with_epsilon (r->total_m, planned_km, 1e-3);
  /* A wrong set is refused. */
  order[0] = -5;
  g_assert_false (geo_round_reorder_day (r, 2, 1, order, day->len, NULL, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);

  back = geo_round_load (f->store, id, GEO_ROUND_PERSONAL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->stops->len, ==, r->stops->len);
  for (guint i = 0; i < r->stops->len; i++)
    {
      GeoRoundStop *a = r->stops->pdata[i], *b = back->stops->pdata[i];

      g_assert_cmpint (a->family_id, ==, b->family_id);
      g_assert_cmpuint (a->seq, ==, b->seq);
      g_assert_cmpfloat_with_epsilon (a->arrive_min, b->arrive_min, 1e-6);
    }
  g_assert_cmpfloat_with_epsilon (back->total_travel_min, r->total_travel_min, 1e-6);
  g_assert_cmpfloat_with_epsilon (geo_round_get_route (back, 2, 1)->end_min,
                                  geo_round_get_route (r, 2, 1)->end_min,
                                  1e-6);
}

/* The CLI's per-team vehicles and speeds: "--vehicle motorbike,car --speed 15,45". */
static void
test_cli_fleet (Fixture *f, gconstpointer data)
{
  const char      *cli = g_getenv ("JANGKAU_CLI");
  g_autofree char *dir = test_tmp_make_dir ("jangkau-cli-fleet-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "plan.csv", NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(GeoStore) store = NULL;
  JsonArray *teams;
  int        status;
  GError    *error = NULL;

  if (cli == NULL)
    {
      g_test_skip ("JANGKAU_CLI not set");
      return;
    }
  g_clear_object (&f->store);
  {
    const char *argv[] = {
      cli,      "round",     "plan",          f->path,   "--depot", "110.345,-7.875", "--teams",
      "2",      "--vehicle", "motorbike,car", "--speed", "15,45",   "--out",          csv,
      "--json", NULL
    };

    out = run_capture (argv, &status);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  teams = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "team_vehicles");
  g_assert_cmpuint (json_array_get_length (teams), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (teams, 0),
                                                  "vehicle"),
                   ==,
                   "motorbike");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (teams, 0),
                                                    "speed_kmh"),
                     ==,
                     15);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (teams, 1),
                                                  "vehicle"),
                   ==,
                   "car");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (teams, 1),
                                                    "speed_kmh"),
                     ==,
                     45);

  /* The stored times follow each team's speed. */
  store = geo_store_open (f->path, GEO_STORE_OPEN_READONLY, &error);
  g_assert_no_error (error);
  r = geo_round_load (store,
                      json_object_get_int_member (json_node_get_object (
                                                      json_parser_get_root (parser)),
                                                  "round_id"),
                      GEO_ROUND_PERSONAL_NONE,
                      &error);
  g_assert_no_error (error);
  for (guint team = 1; team <= 2; team++)
    {
      g_autoptr(GPtrArray) day = geo_round_day_stops (r, team, 1);
      double speed = team == 1 ? 15 : 45;

      g_assert_cmpuint (day->len, >, 0);
      g_assert_cmpfloat_with_epsilon (((GeoRoundStop *) day->pdata[0])->arrive_min,
                                      r->day_start_min +
                                          geodesic (&r->depot,
                                                    &((GeoRoundStop *) day->pdata[0])->pos) *
                                              1.3 / (speed * 1000 / 60),
                                      1e-6);
    }

  /* One vehicle per team or one for all; anything else is refused with a message. */
  {
    const char      *argv[] = { cli,         "round",
                                "plan",      f->path,
                                "--depot",   "110.345,-7.875",
                                "--teams",   "2",
                                "--vehicle", "car,car,motorbike",
                                "--out",     csv,
                                NULL };
    g_autofree char *err = NULL;

    g_assert_true (g_spawn_sync (NULL,
                                 (char **) argv,
                                 NULL,
                                 G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL,
                                 NULL,
                                 NULL,
                                 &err,
                                 &status,
                                 &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "--vehicle"));
  }
  {
    const char      *argv[] = { cli,         "round",          "plan",    f->path,
                                "--depot",   "110.345,-7.875", "--teams", "2",
                                "--vehicle", "car,bicycle",    "--out",   csv,
                                NULL };
    g_autofree char *err = NULL;

    g_assert_true (g_spawn_sync (NULL,
                                 (char **) argv,
                                 NULL,
                                 G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL,
                                 NULL,
                                 NULL,
                                 &err,
                                 &status,
                                 &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "bicycle"));
  }
  g_unlink (csv);
  g_rmdir (dir);
}

/* More targets than one round can hold: refused at once with a message, nothing stored. */
static void
test_too_many (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-round-many-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "many.jangkau", NULL);
  g_autoptr(GeoStore) store = geo_store_open (db, GEO_STORE_OPEN_CREATE, NULL);
  g_autoptr(GPtrArray) list = NULL;
  GeoRoundParams p;
  GError        *error = NULL;

  g_assert_true (geo_store_begin (store, &error));
  for (int k = 0; k <= GEO_ROUND_MAX_TARGETS; k++)
    add_family (store,
                110.3 + (k % 100) * 0.001,
                -7.9 + (k / 100) * 0.001,
                NULL,
                k,
                1,
                "entri",
                FALSE);
  g_assert_true (geo_store_commit (store, &error));
  geo_round_params_init (&p);
  p.depot = (GeoPoint){ 110.35, -7.875 };
  g_assert_cmpint (geo_round_plan (store, &p, NULL, NULL, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "5001"));
  g_clear_error (&error);
  list = geo_round_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  GDALAllRegister ();

  for (guint i = 0; i < G_N_ELEMENTS (plan_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/round/plan/%s", plan_cases[i].name);

      g_test_add (path,
                  Fixture,
                  &plan_cases[i],
                  fixture_set_up,
                  test_plan_geodesic,
                  fixture_tear_down);
    }
  g_test_add ("/geo/round/reasons-and-windows",
              Fixture,
              NULL,
              fixture_set_up,
              test_reasons_and_windows,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (fleet_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/round/fleet/%s", fleet_cases[i].name);

      g_test_add (path,
                  Fixture,
                  &fleet_cases[i],
                  fixture_set_up,
                  test_mixed_fleet,
                  fixture_tear_down);
    }
  g_test_add ("/geo/round/reorder", Fixture, NULL, fixture_set_up, test_reorder, fixture_tear_down);
  g_test_add_func ("/geo/round/too-many", test_too_many);
  g_test_add ("/geo/round/within", Fixture, NULL, fixture_set_up, test_within, fixture_tear_down);
  g_test_add ("/geo/round/requeue", Fixture, NULL, fixture_set_up, test_requeue, fixture_tear_down);
  g_test_add ("/geo/round/priority", Fixture, NULL, fixture_set_up, test_priority, fixture_tear_down);
  g_test_add ("/geo/round/exports", Fixture, NULL, fixture_set_up, test_exports, fixture_tear_down);
  g_test_add ("/geo/round/sheets", Fixture, NULL, fixture_set_up, test_sheets, fixture_tear_down);
  g_test_add_func ("/geo/round/roads-monaco", test_roads_monaco);
  g_test_add ("/geo/round/cli-fleet",
              Fixture,
              NULL,
              fixture_set_up,
              test_cli_fleet,
              fixture_tear_down);
  g_test_add ("/geo/round/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/geo/round/cli-priority", Fixture, NULL, fixture_set_up, test_cli_priority, fixture_tear_down);
  return g_test_run ();
}
