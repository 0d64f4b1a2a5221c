#include "config.h"

#include <cpl_error.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-round.h"
#include "geo-store-private.h"
#include "geo-vrp.h"

static const char *const status_names[] = {
  "planned", "unreachable", "not_snapped", "time_window", "working_day", "no_capacity",
};

static const char *const status_text[] = {
  "planned",
  "no road path between the family and the depot",
  "farther than the maximum snap distance from any usable road",
  "its time window cannot be met even as a day's only visit",
  "depot, visit and way back do not fit in one working day",
  "every team-day is full (add teams, days or hours)",
};

const char *
geo_round_stop_status_to_string (GeoRoundStopStatus status)
{
  g_return_val_if_fail (status <= GEO_ROUND_STOP_NO_CAPACITY, NULL);
  return status_names[status];
}

const char *
geo_round_stop_status_describe (GeoRoundStopStatus status)
{
  g_return_val_if_fail (status <= GEO_ROUND_STOP_NO_CAPACITY, NULL);
  return status_text[status];
}

gboolean
geo_round_stop_status_from_string (const char *str, GeoRoundStopStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (str, status_names[i]) == 0)
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

void
geo_round_params_init (GeoRoundParams *p)
{
  memset (p, 0, sizeof *p);
  p->include_requeued = TRUE;
  p->n_teams = 1;
  p->n_days = 1;
  p->day_start_min = 8 * 60;
  p->day_end_min = 16 * 60;
  p->visit_min = 20;
  p->vehicle = GEO_VEHICLE_MOTORBIKE;
  p->detour_factor = 1.3;
  p->cost_model = GEO_ROUND_COST_AUTO;
  p->max_snap_m = 500;
  p->access_kmh = 5;
}

char *
geo_round_format_time (double minutes)
{
  int m = (int) lround (minutes);

  if (!isfinite (minutes) || minutes < 0)
    return g_strdup ("");
  return g_strdup_printf ("%02d:%02d", m / 60, m % 60);
}

gboolean
geo_round_parse_time (const char *str, double *minutes)
{
  unsigned h, m;
  char     tail;

  if (str == NULL || sscanf (str, "%u:%u%c", &h, &m, &tail) != 2 || h > 24 || m > 59 ||
      (h == 24 && m > 0))
    return FALSE;
  *minutes = h * 60.0 + m;
  return TRUE;
}

char *
geo_round_mask_nik (const char *nik)
{
  gsize n;

  if (nik == NULL)
    return NULL;
  n = strlen (nik);
  if (n <= 10)
    return g_strnfill (n, '*');
  {
    g_autofree char *stars = g_strnfill (n - 10, '*');

    return g_strdup_printf ("%.6s%s%s", nik, stars, nik + n - 4);
  }
}

/* ---------------------------------------------------------------------------------------------
 * Targets */

typedef struct
{
  GArray *id;       /* gint64 */
  GArray *pos;      /* GeoPoint */
  GArray *requeued; /* gboolean */
  GArray *priority; /* int, 1-3 */
} Targets;

static gboolean
area_matches (const GeoFilter *filter, const char *desa)
{
  if (filter == NULL || filter->areas->len == 0)
    return TRUE;
  if (desa == NULL)
    return FALSE;
  for (guint i = 0; i < filter->areas->len; i++)
    {
      const char *a = filter->areas->pdata[i];
      gsize       n = strlen (a);

      if (strncmp (desa, a, n) == 0 && (desa[n] == '\0' || desa[n] == '.'))
        return TRUE;
    }
  return FALSE;
}

/* The polygons of @within (WKT, GeoJSON text or a file any OGR driver reads). */
static GPtrArray *
parse_within (const char *within, GError **error)
{
  g_autoptr(GPtrArray) polys =
                 g_ptr_array_new_with_free_func ((GDestroyNotify) OGR_G_DestroyGeometry);
  const char *s = within;

  while (g_ascii_isspace (*s))
    s++;
  if (*s == '{' || g_file_test (within, G_FILE_TEST_IS_REGULAR))
    {
      g_auto(GeoGdalDataset) ds = NULL;
      OGRLayerH   layer;
      OGRFeatureH feat;

      CPLErrorReset ();
      ds = GDALOpenEx (within, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
      if (ds == NULL || GDALDatasetGetLayerCount (ds) == 0)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "the area polygon is not GeoJSON or a readable file: %s",
                       CPLGetLastErrorMsg ());
          return NULL;
        }
      layer = GDALDatasetGetLayer (ds, 0);
      OGR_L_ResetReading (layer);
      while ((feat = OGR_L_GetNextFeature (layer)) != NULL)
        {
          g_auto(GeoOgrFeature) f = feat;
          OGRGeometryH g = OGR_F_GetGeometryRef (f);

          if (g != NULL && OGR_G_Area (g) > 0)
            g_ptr_array_add (polys, OGR_G_Clone (g));
        }
    }
  else
    {
      OGRGeometryH g = NULL;
      char        *wkt = (char *) s;

      if (OGR_G_CreateFromWkt (&wkt, NULL, &g) != OGRERR_NONE || g == NULL)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "the area polygon is neither WKT, GeoJSON nor a file");
          return NULL;
        }
      if (OGR_G_Area (g) > 0)
        g_ptr_array_add (polys, g);
      else
        OGR_G_DestroyGeometry (g);
    }
  if (polys->len == 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "the area given holds no polygon");
      return NULL;
    }
  return g_steal_pointer (&polys);
}

static gboolean
inside_any (GPtrArray *polys, const GeoPoint *p)
{
  g_auto(GeoOgrGeometry) pt = NULL;

  if (polys == NULL)
    return TRUE;
  pt = OGR_G_CreateGeometry (wkbPoint);
  OGR_G_SetPoint_2D (pt, 0, p->lon, p->lat);
  for (guint i = 0; i < polys->len; i++)
    if (OGR_G_Intersects (polys->pdata[i], pt))
      return TRUE;
  return FALSE;
}

static void
targets_add (Targets *t, gint64 id, const GeoPoint *p, gboolean requeued, int priority)
{
  g_array_append_val (t->id, id);
  g_array_append_val (t->pos, *p);
  g_array_append_val (t->requeued, requeued);
  g_array_append_val (t->priority, priority);
}

/* Families above the default priority (1 urgent, 2 high): few, so one query into a map rather
 * than a column of the selection. */
static GHashTable *
load_priorities (GeoStore *store, GError **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt =
      geo_store_prepare (store, "SELECT id, priority FROM family WHERE priority < 3", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (map,
                           g_memdup2 (&id, sizeof id),
                           GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the priorities");
      return NULL;
    }
  return g_steal_pointer (&map);
}

static gboolean
collect_targets (
    GeoStore *store, const GeoRoundParams *p, Targets *t, GCancellable *cancellable, GError **error)
{
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GPtrArray) polys = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) priorities = NULL;
  g_autoptr(sqlite3_stmt) rq = NULL;
  int rc;

  if (p->max_priority > 3)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the priority is 1 (urgent), 2 (high) or 3 (normal), got %u",
                   p->max_priority);
      return FALSE;
    }
  if (p->within != NULL && (polys = parse_within (p->within, error)) == NULL)
    return FALSE;
  if ((priorities = load_priorities (store, error)) == NULL)
    return FALSE;
  sel = geo_selection_load (store, p->filter, cancellable, error);
  if (sel == NULL)
    return FALSE;
  for (guint i = 0; i < sel->n_families; i++)
    {
      GeoPoint pt = { sel->lon[i], sel->lat[i] };
      int      prio = GPOINTER_TO_INT (g_hash_table_lookup (priorities, &sel->family_id[i]));

      if (prio == 0)
        prio = 3;
      if (p->max_priority > 0 && prio > (int) p->max_priority)
        continue;
      if (!inside_any (polys, &pt))
        continue;
      g_hash_table_insert (index,
                           g_memdup2 (&sel->family_id[i], sizeof (gint64)),
                           GUINT_TO_POINTER (t->id->len));
      targets_add (t, sel->family_id[i], &pt, FALSE, prio);
    }
  if (!p->include_requeued)
    return TRUE;

  rq = geo_store_prepare (store,
                          "SELECT id, ST_X (geom), ST_Y (geom), desa_code, priority FROM family "
                          "WHERE requeue = 1 AND priority <= ?1 ORDER BY id",
                          error);
  if (rq == NULL)
    return FALSE;
  sqlite3_bind_int (rq, 1, p->max_priority > 0 ? (int) p->max_priority : 3);
  while ((rc = sqlite3_step (rq)) == SQLITE_ROW)
    {
      gint64   id = sqlite3_column_int64 (rq, 0);
      GeoPoint pt = { sqlite3_column_double (rq, 1), sqlite3_column_double (rq, 2) };
      gpointer value;

      if (g_hash_table_lookup_extended (index, &id, NULL, &value))
        {
          g_array_index (t->requeued, gboolean, GPOINTER_TO_UINT (value)) = TRUE;
          continue;
        }
      if (!area_matches (p->filter, (const char *) sqlite3_column_text (rq, 3)) ||
          !inside_any (polys, &pt))
        continue;
      targets_add (t, id, &pt, TRUE, sqlite3_column_int (rq, 4));
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (store, error, "Loading re-queued families");
  return TRUE;
}

static char *
describe_selection (const GeoRoundParams *p)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const GeoFilter *f = p->filter;

  if (f != NULL && f->n_categories > 0)
    {
      g_string_append (s, "categories=");
      for (guint i = 0; i < f->n_categories; i++)
        g_string_append_printf (s, "%s%d", i ? "," : "", f->categories[i]);
      g_string_append (s, "; ");
    }
  if (f != NULL && f->areas->len > 0)
    {
      g_string_append (s, "areas=");
      for (guint i = 0; i < f->areas->len; i++)
        g_string_append_printf (s, "%s%s", i ? "," : "", (char *) f->areas->pdata[i]);
      g_string_append (s, "; ");
    }
  if (f != NULL && f->status != NULL)
    g_string_append_printf (s, "status=%s; ", f->status);
  if (f != NULL && f->no_nik)
    g_string_append (s, "no NIK yet; ");
  if (p->within != NULL)
    g_string_append (s, "within a drawn polygon; ");
  if (p->max_priority == 1)
    g_string_append (s, "priority=urgent; ");
  else if (p->max_priority == 2)
    g_string_append (s, "priority=urgent,high; ");
  if (p->include_requeued)
    g_string_append (s, "with re-queued families; ");
  if (s->len == 0)
    g_string_append (s, "every family");
  else
    g_string_truncate (s, s->len - 2);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Planning */

static guint8 *
line_wkb (const GeoPoint *pts, guint n, gsize *len)
{
  g_auto(GeoOgrGeometry) g = OGR_G_CreateGeometry (wkbLineString);
  guint8 *wkb;

  for (guint i = 0; i < n; i++)
    OGR_G_AddPoint_2D (g, pts[i].lon, pts[i].lat);
  *len = OGR_G_WkbSize (g);
  wkb = g_malloc (*len);
  OGR_G_ExportToWkb (g, wkbNDR, wkb);
  return wkb;
}

static gboolean
step_done (GeoStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, what);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static void
bind_double_or_null (sqlite3_stmt *stmt, int i, double v)
{
  if (isfinite (v) && v >= 0)
    sqlite3_bind_double (stmt, i, v);
  else
    sqlite3_bind_null (stmt, i);
}

/* Maps a step's own 0-1 progress into its share of the whole plan. */
typedef struct
{
  const GeoRoundParams *params;
  double                base, span;
} Stage;

static void
stage_report (double fraction, gpointer data)
{
  const Stage *s = data;

  if (s->params->progress != NULL)
    s->params->progress (s->base + s->span * CLAMP (fraction, 0.0, 1.0),
                         s->params->progress_data);
}

static void
stage_set (Stage *s, double base, double span)
{
  s->base = base;
  s->span = span;
  stage_report (0, s);
}

gint64
geo_round_plan (GeoStore             *store,
                const GeoRoundParams *p,
                GeoRoadGraph         *graph,
                GCancellable         *cancellable,
                GError              **error)
{
  GeoRoadGraph             *graphs[2] = { NULL, NULL }; /* per GeoVehicle */
  GeoRoadGraph             *own_graphs[2] = { NULL, NULL };
  GeoRoadSnap              *vsnaps[2] = { NULL, NULL };
  double                   *vtravel[2] = { NULL, NULL }, *vdist[2] = { NULL, NULL };
  g_autofree GeoVehicle    *team_veh = NULL;
  g_autofree double        *team_speed = NULL;
  g_autofree const double **team_travel = NULL;
  g_autofree const double **team_dist = NULL;
  g_autoptr(GPtrArray) geo_travel = g_ptr_array_new_with_free_func (g_free);
  gboolean used[2] = { FALSE, FALSE };
  g_autoptr(GeoVrpSolution) sol = NULL;
  g_autoptr(sqlite3_stmt) ins_round = NULL;
  g_autoptr(sqlite3_stmt) ins_team = NULL;
  g_autoptr(sqlite3_stmt) ins_stop = NULL;
  g_autoptr(sqlite3_stmt) ins_route = NULL;
  g_autoptr(sqlite3_stmt) totals = NULL;
  g_autofree GeoPoint           *pts = NULL;
  GeoRoadSnap                   *snaps = NULL;
  double                        *travel = NULL;
  double                        *dist = NULL;
  g_autofree GeoVrpTarget       *vt = NULL;
  g_autofree GeoRoundStopStatus *status = NULL;
  g_autofree char               *selection = NULL;
  Targets                        t;
  GeoVrpOptions                  vo;
  Stage                          stage = { 0 };
  gboolean                       roads = FALSE;
  guint                          n, n_targets;
  GeoVehicle                     first;
  gint64                         round_id = 0;

  g_return_val_if_fail (GEO_IS_STORE (store), 0);
  g_return_val_if_fail (p != NULL, 0);

  if (p->n_teams == 0 || p->n_days == 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "a round needs at least one team and one day");
      return 0;
    }
  if (!(p->day_end_min > p->day_start_min) || p->visit_min < 0 || p->detour_factor < 1)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "the working day must end after it starts, visits last >= 0 minutes and the "
                   "detour factor is >= 1");
      return 0;
    }
  if (!isfinite (p->depot.lon) || !isfinite (p->depot.lat) || fabs (p->depot.lat) > 90 ||
      fabs (p->depot.lon) > 180)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "the depot is not a lon,lat position");
      return 0;
    }
  /* Every team's vehicle and (geodesic model) speed. */
  team_veh = g_new (GeoVehicle, p->n_teams);
  team_speed = g_new (double, p->n_teams);
  for (guint k = 0; k < p->n_teams; k++)
    {
      team_veh[k] = p->team_vehicles != NULL ? p->team_vehicles[k] : p->vehicle;
      if ((guint) team_veh[k] > GEO_VEHICLE_MOTORBIKE)
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "team %u: unknown vehicle", k + 1);
          return 0;
        }
      team_speed[k] = p->team_speeds_kmh != NULL && p->team_speeds_kmh[k] > 0
                          ? p->team_speeds_kmh[k]
                      : p->speed_kmh > 0 ? p->speed_kmh
                                         : geo_vehicle_default_speed_kmh (team_veh[k]);
      used[team_veh[k]] = TRUE;
    }
  first = team_veh[0];

  t.id = g_array_new (FALSE, FALSE, sizeof (gint64));
  t.pos = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
  t.requeued = g_array_new (FALSE, FALSE, sizeof (gboolean));
  t.priority = g_array_new (FALSE, FALSE, sizeof (int));
  stage.params = p;
  stage_set (&stage, 0, 0.05);
  if (!collect_targets (store, p, &t, cancellable, error))
    goto out;
  stage_set (&stage, 0.05, 0);
  n_targets = t.id->len;
  n = n_targets + 1;
  if (n_targets > GEO_ROUND_MAX_TARGETS)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%u target families are more than one round can plan (%u): narrow the "
                   "selection (category, status, area)",
                   n_targets,
                   GEO_ROUND_MAX_TARGETS);
      goto out;
    }

  /* Cost model. */
  if (p->cost_model != GEO_ROUND_COST_GEODESIC)
    {
      gint64 n_roads = 1;

      if (graph == NULL)
        {
          g_autoptr(sqlite3_stmt) any =
                  geo_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM road_segment)", error);

          if (any == NULL || sqlite3_step (any) != SQLITE_ROW)
            {
              if (any != NULL)
                geo_store_set_error (store, error, "Looking for roads");
              goto out;
            }
          n_roads = sqlite3_column_int64 (any, 0);
        }
      roads = n_roads > 0 || p->cost_model == GEO_ROUND_COST_ROADS;
      /* One graph per vehicle in the fleet; the caller's is for @p->vehicle. */
      for (guint v = 0; roads && v < 2; v++)
        {
          if (!used[v])
            continue;
          if (graph != NULL && v == (guint) p->vehicle)
            {
              graphs[v] = graph;
              continue;
            }
          own_graphs[v] = geo_road_graph_load (store, v, p->use_oneway, cancellable, error);
          if (own_graphs[v] == NULL)
            goto out;
          graphs[v] = own_graphs[v];
        }
    }
  pts = g_new (GeoPoint, n);
  pts[0] = p->depot;
  if (n_targets > 0)
    memcpy (pts + 1, t.pos->data, sizeof (GeoPoint) * n_targets);
  status = g_new0 (GeoRoundStopStatus, MAX (n_targets, 1));
  team_travel = g_new0 (const double *, p->n_teams);
  team_dist = g_new0 (const double *, p->n_teams);
  if (roads)
    {
      for (guint v = 0; v < 2; v++)
        {
          if (!used[v])
            continue;
          vsnaps[v] = g_new (GeoRoadSnap, n);
          geo_road_graph_snap (graphs[v], pts, n, p->max_snap_m, vsnaps[v]);
          if (!vsnaps[v][0].snapped)
            {
              g_set_error (error,
                           GEO_ERROR,
                           GEO_ERROR_INVALID,
                           "the depot is %.0f m from the nearest road a %s may use (more than "
                           "%.0f m)",
                           vsnaps[v][0].snap_m,
                           geo_vehicle_to_string (v),
                           p->max_snap_m);
              goto out;
            }
          vtravel[v] = g_new (double, (gsize) n *n);
          vdist[v] = g_new (double, (gsize) n *n);
          /* Both vehicles' matrices share 5-55 %. */
          stage_set (&stage,
                     used[0] && used[1] && v == 1 ? 0.3 : 0.05,
                     used[0] && used[1] ? 0.25 : 0.5);
          if (!geo_road_graph_matrix_with_progress (graphs[v],
                                                    vsnaps[v],
                                                    n,
                                                    p->access_kmh,
                                                    vtravel[v],
                                                    vdist[v],
                                                    stage_report,
                                                    &stage,
                                                    cancellable,
                                                    error))
            goto out;
        }
      for (guint k = 0; k < p->n_teams; k++)
        {
          team_travel[k] = vtravel[team_veh[k]];
          team_dist[k] = vdist[team_veh[k]];
        }
      graph = graphs[first];
      snaps = vsnaps[first];
      travel = vtravel[first];
      dist = vdist[first];
      /* Reported snap distances: the vehicle reaching closest to the house. */
      if (used[0] && used[1])
        for (guint i = 0; i < n; i++)
          if (vsnaps[!first][i].snap_m < snaps[i].snap_m)
            snaps[i].snap_m = vsnaps[!first][i].snap_m,
            snaps[i].snapped |= vsnaps[!first][i].snapped;
    }
  else
    {
      dist = vdist[0] = geo_vrp_geodesic_matrix (pts, n);
      for (guint k = 0; k < p->n_teams; k++)
        {
          for (guint j = 0; j < k && team_travel[k] == NULL; j++)
            if (team_speed[j] == team_speed[k])
              team_travel[k] = team_travel[j];
          if (team_travel[k] == NULL)
            {
              double *m = geo_vrp_travel_matrix (dist, n, p->detour_factor, team_speed[k]);

              g_ptr_array_add (geo_travel, m);
              team_travel[k] = m;
            }
        }
      travel = (double *) team_travel[0];
      /* Reported distances are road-like: geodesic x detour factor. */
      for (gsize k = 0; k < (gsize) n * n; k++)
        dist[k] *= p->detour_factor;
    }

  /* Solve. */
  vt = g_new (GeoVrpTarget, MAX (n_targets, 1));
  for (guint i = 0; i < n_targets; i++)
    {
      gint64 id = g_array_index (t.id, gint64, i);

      vt[i].service_min = p->visit_min;
      vt[i].open_min = vt[i].close_min = -1;
      vt[i].priority = g_array_index (t.priority, int, i);
      for (guint w = 0; w < p->n_windows; w++)
        if (p->windows[w].family_id == id)
          {
            vt[i].open_min = p->windows[w].open_min;
            vt[i].close_min = p->windows[w].close_min;
          }
    }
  geo_vrp_options_init (&vo);
  vo.n_teams = p->n_teams;
  vo.n_days = p->n_days;
  vo.day_start_min = p->day_start_min;
  vo.day_end_min = p->day_end_min;
  vo.max_visits_per_day = p->max_visits;
  vo.team_travel_min = team_travel;
  vo.team_distance_m = roads ? team_dist : NULL;
  vo.progress = stage_report;
  vo.progress_data = &stage;
  stage_set (&stage, roads ? 0.55 : 0.05, roads ? 0.4 : 0.9);
  sol = geo_vrp_solve (vt, n_targets, travel, dist, &vo, cancellable, error);
  if (sol == NULL)
    goto out;
  for (guint i = 0; i < n_targets; i++)
    {
      switch (sol->status[i])
        {
        case GEO_VRP_PLANNED:
          status[i] = GEO_ROUND_STOP_PLANNED;
          break;
        case GEO_VRP_UNREACHABLE:
          status[i] = roads && !snaps[i + 1].snapped ? GEO_ROUND_STOP_NOT_SNAPPED
                                                     : GEO_ROUND_STOP_UNREACHABLE;
          break;
        case GEO_VRP_TIME_WINDOW:
          status[i] = GEO_ROUND_STOP_TIME_WINDOW;
          break;
        case GEO_VRP_WORKING_DAY:
          status[i] = GEO_ROUND_STOP_WORKING_DAY;
          break;
        case GEO_VRP_NO_CAPACITY:
          status[i] = GEO_ROUND_STOP_NO_CAPACITY;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  /* Store. */
  selection = describe_selection (p);
  if (!geo_store_begin (store, error))
    goto out;
  ins_round =
      geo_store_prepare (store,
                         "INSERT INTO round (name, depot_lon, depot_lat, n_teams, n_days, "
                         "day_start_min, day_end_min, visit_min, max_visits, cost_model, "
                         "detour_factor, selection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         error);
  ins_team = geo_store_prepare (store,
                                "INSERT INTO round_team (round_id, team, name, vehicle, speed_kmh) "
                                "VALUES (?, ?, ?, ?, ?)",
                                error);
  ins_stop = geo_store_prepare (store,
                                "INSERT INTO round_stop (round_id, family_id, status, team, day, "
                                "seq, lon, lat, arrive_min, start_min, depart_min, open_min, "
                                "close_min, leg_m, snap_m, requeued, priority) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  ins_route =
      geo_store_prepare (store,
                         "INSERT INTO round_route (round_id, team, day, n_stops, start_min, "
                         "end_min, travel_min, distance_m, geom) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, GeomFromWKB (?, 4326))",
                         error);
  totals = geo_store_prepare (store,
                              "UPDATE round SET n_targets = ?, n_planned = ?, n_unplanned = ?, "
                              "total_m = ?, total_travel_min = ? WHERE id = ?",
                              error);
  if (ins_round == NULL || ins_team == NULL || ins_stop == NULL || ins_route == NULL ||
      totals == NULL)
    goto fail;

  if (p->name != NULL)
    sqlite3_bind_text (ins_round, 1, p->name, -1, SQLITE_STATIC);
  sqlite3_bind_double (ins_round, 2, p->depot.lon);
  sqlite3_bind_double (ins_round, 3, p->depot.lat);
  sqlite3_bind_int (ins_round, 4, p->n_teams);
  sqlite3_bind_int (ins_round, 5, p->n_days);
  sqlite3_bind_double (ins_round, 6, p->day_start_min);
  sqlite3_bind_double (ins_round, 7, p->day_end_min);
  sqlite3_bind_double (ins_round, 8, p->visit_min);
  sqlite3_bind_int (ins_round, 9, p->max_visits);
  sqlite3_bind_text (ins_round, 10, roads ? "roads" : "geodesic", -1, SQLITE_STATIC);
  if (!roads)
    sqlite3_bind_double (ins_round, 11, p->detour_factor);
  sqlite3_bind_text (ins_round, 12, selection, -1, SQLITE_STATIC);
  if (!step_done (store, ins_round, "Storing the round", error))
    goto fail;
  round_id = sqlite3_last_insert_rowid (geo_store_get_db (store));

  for (guint k = 1; k <= p->n_teams; k++)
    {
      g_autofree char *name = g_strdup_printf ("Tim %u", k);

      sqlite3_bind_int64 (ins_team, 1, round_id);
      sqlite3_bind_int (ins_team, 2, k);
      sqlite3_bind_text (ins_team, 3, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_team, 4, geo_vehicle_to_string (team_veh[k - 1]), -1, SQLITE_STATIC);
      sqlite3_bind_double (ins_team, 5, team_speed[k - 1]);
      if (!step_done (store, ins_team, "Storing the teams", error))
        goto fail;
    }

  for (guint r = 0; r < sol->n_routes; r++)
    {
      const GeoVrpRoute *rt = &sol->routes[r];
      g_autoptr(GArray) line = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
      g_autofree guint8 *wkb = NULL;
      gsize              wkb_len;
      guint              prev = 0;

      const double *rdist = roads ? vdist[team_veh[rt->team]] : dist;
      GeoRoadGraph *rgraph = roads ? graphs[team_veh[rt->team]] : NULL;
      GeoRoadSnap  *rsnaps = roads ? vsnaps[team_veh[rt->team]] : NULL;

      if (rt->n_stops == 0)
        continue;
      for (guint s = 0; s <= rt->n_stops; s++)
        {
          guint node = s < rt->n_stops ? rt->stops[s] + 1 : 0;
          g_autoptr(GArray) leg = NULL;

          if (s < rt->n_stops)
            {
              guint i = rt->stops[s];

              sqlite3_bind_int64 (ins_stop, 1, round_id);
              sqlite3_bind_int64 (ins_stop, 2, g_array_index (t.id, gint64, i));
              sqlite3_bind_text (ins_stop, 3, "planned", -1, SQLITE_STATIC);
              sqlite3_bind_int (ins_stop, 4, rt->team + 1);
              sqlite3_bind_int (ins_stop, 5, rt->day + 1);
              sqlite3_bind_int (ins_stop, 6, s + 1);
              sqlite3_bind_double (ins_stop, 7, pts[node].lon);
              sqlite3_bind_double (ins_stop, 8, pts[node].lat);
              sqlite3_bind_double (ins_stop, 9, rt->arrive_min[s]);
              sqlite3_bind_double (ins_stop, 10, rt->start_min[s]);
              sqlite3_bind_double (ins_stop, 11, rt->depart_min[s]);
              bind_double_or_null (ins_stop, 12, vt[i].open_min);
              bind_double_or_null (ins_stop, 13, vt[i].close_min);
              sqlite3_bind_double (ins_stop, 14, rdist[(gsize) prev * n + node]);
              if (roads)
                sqlite3_bind_double (ins_stop, 15, rsnaps[node].snap_m);
              sqlite3_bind_int (ins_stop, 16, g_array_index (t.requeued, gboolean, i));
              sqlite3_bind_int (ins_stop, 17, g_array_index (t.priority, int, i));
              if (!step_done (store, ins_stop, "Storing a stop", error))
                goto fail;
            }
          if (roads)
            leg =
                geo_road_graph_path (rgraph, &pts[prev], &rsnaps[prev], &pts[node], &rsnaps[node]);
          if (leg != NULL)
            g_array_append_vals (line,
                                 leg->data + (line->len > 0 ? sizeof (GeoPoint) : 0),
                                 leg->len - (line->len > 0 ? 1 : 0));
          else
            {
              if (line->len == 0)
                g_array_append_val (line, pts[prev]);
              g_array_append_val (line, pts[node]);
            }
          prev = node;
        }
      wkb = line_wkb ((const GeoPoint *) line->data, line->len, &wkb_len);
      sqlite3_bind_int64 (ins_route, 1, round_id);
      sqlite3_bind_int (ins_route, 2, rt->team + 1);
      sqlite3_bind_int (ins_route, 3, rt->day + 1);
      sqlite3_bind_int (ins_route, 4, rt->n_stops);
      sqlite3_bind_double (ins_route, 5, p->day_start_min);
      sqlite3_bind_double (ins_route, 6, rt->end_min);
      sqlite3_bind_double (ins_route, 7, rt->travel_min);
      sqlite3_bind_double (ins_route, 8, rt->distance_m);
      sqlite3_bind_blob (ins_route, 9, wkb, wkb_len, SQLITE_STATIC);
      if (!step_done (store, ins_route, "Storing a route", error))
        goto fail;
    }

  for (guint i = 0; i < n_targets; i++)
    {
      if (status[i] == GEO_ROUND_STOP_PLANNED)
        continue;
      sqlite3_bind_int64 (ins_stop, 1, round_id);
      sqlite3_bind_int64 (ins_stop, 2, g_array_index (t.id, gint64, i));
      sqlite3_bind_text (ins_stop, 3, status_names[status[i]], -1, SQLITE_STATIC);
      sqlite3_bind_double (ins_stop, 7, pts[i + 1].lon);
      sqlite3_bind_double (ins_stop, 8, pts[i + 1].lat);
      bind_double_or_null (ins_stop, 12, vt[i].open_min);
      bind_double_or_null (ins_stop, 13, vt[i].close_min);
      if (roads && snaps[i + 1].snap_m < G_MAXDOUBLE)
        sqlite3_bind_double (ins_stop, 15, snaps[i + 1].snap_m);
      sqlite3_bind_int (ins_stop, 16, g_array_index (t.requeued, gboolean, i));
      sqlite3_bind_int (ins_stop, 17, g_array_index (t.priority, int, i));
      if (!step_done (store, ins_stop, "Storing an unplanned target", error))
        goto fail;
    }

  sqlite3_bind_int (totals, 1, n_targets);
  sqlite3_bind_int (totals, 2, sol->n_planned);
  sqlite3_bind_int (totals, 3, sol->n_unplanned);
  sqlite3_bind_double (totals, 4, sol->total_distance_m);
  sqlite3_bind_double (totals, 5, sol->total_travel_min);
  sqlite3_bind_int64 (totals, 6, round_id);
  if (!step_done (store, totals, "Storing the totals", error) || !geo_store_commit (store, error))
    goto fail;
  stage_set (&stage, 1, 0);
  goto out;

fail:
  geo_store_rollback (store);
  round_id = 0;
out:
  for (guint v = 0; v < 2; v++)
    {
      if (own_graphs[v] != NULL)
        geo_road_graph_free (own_graphs[v]);
      g_free (vsnaps[v]);
      g_free (vtravel[v]);
      g_free (vdist[v]);
    }
  g_array_unref (t.id);
  g_array_unref (t.pos);
  g_array_unref (t.requeued);
  g_array_unref (t.priority);
  return round_id;
}

/* ---------------------------------------------------------------------------------------------
 * Loading */

static void
person_free (GeoRoundPerson *p)
{
  g_free (p->name);
  g_free (p->nik);
  g_free (p);
}

static void
stop_free (GeoRoundStop *s)
{
  g_free (s->address);
  g_free (s->rt);
  g_free (s->rw);
  g_free (s->desa_code);
  g_free (s->desa_name);
  if (s->persons != NULL)
    g_ptr_array_unref (s->persons);
  g_free (s);
}

static void
route_free (GeoRoundRoute *r)
{
  if (r->line != NULL)
    g_array_unref (r->line);
  g_free (r);
}

void
geo_round_free (GeoRound *r)
{
  if (r == NULL)
    return;
  g_free (r->name);
  g_free (r->created_at);
  g_free (r->vehicle);
  g_free (r->cost_model);
  g_free (r->selection);
  if (r->stops != NULL)
    g_ptr_array_unref (r->stops);
  if (r->routes != NULL)
    g_ptr_array_unref (r->routes);
  if (r->teams != NULL)
    g_ptr_array_unref (r->teams);
  g_free (r);
}

static void
team_free (GeoRoundTeam *t)
{
  g_free (t->name);
  g_free (t->vehicle);
  g_free (t);
}

static char *
column_dup (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

static double
column_double_or (sqlite3_stmt *stmt, int i, double fallback)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL ? fallback : sqlite3_column_double (stmt, i);
}

#define ROUND_COLUMNS                                                                              \
  "r.id, r.name, r.created_at, r.depot_lon, r.depot_lat, r.n_teams, r.n_days, r.max_visits, "      \
  "r.day_start_min, r.day_end_min, r.visit_min, r.cost_model, r.detour_factor, r.selection, "      \
  "r.n_targets, r.n_planned, r.n_unplanned, r.total_m, r.total_travel_min, "                       \
  "(SELECT vehicle FROM round_team WHERE round_id = r.id ORDER BY team LIMIT 1), "                 \
  "(SELECT speed_kmh FROM round_team WHERE round_id = r.id ORDER BY team LIMIT 1) "

static GeoRound *
round_from_row (sqlite3_stmt *stmt)
{
  GeoRound *r = g_new0 (GeoRound, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->name = column_dup (stmt, 1);
  r->created_at = column_dup (stmt, 2);
  r->depot.lon = sqlite3_column_double (stmt, 3);
  r->depot.lat = sqlite3_column_double (stmt, 4);
  r->n_teams = sqlite3_column_int (stmt, 5);
  r->n_days = sqlite3_column_int (stmt, 6);
  r->max_visits = sqlite3_column_int (stmt, 7);
  r->day_start_min = sqlite3_column_double (stmt, 8);
  r->day_end_min = sqlite3_column_double (stmt, 9);
  r->visit_min = sqlite3_column_double (stmt, 10);
  r->cost_model = column_dup (stmt, 11);
  r->detour_factor = column_double_or (stmt, 12, 0);
  r->selection = column_dup (stmt, 13);
  r->n_targets = sqlite3_column_int (stmt, 14);
  r->n_planned = sqlite3_column_int (stmt, 15);
  r->n_unplanned = sqlite3_column_int (stmt, 16);
  r->total_m = sqlite3_column_double (stmt, 17);
  r->total_travel_min = sqlite3_column_double (stmt, 18);
  r->vehicle = column_dup (stmt, 19);
  r->speed_kmh = sqlite3_column_double (stmt, 20);
  return r;
}

GPtrArray *
geo_round_list (GeoStore *store, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_round_free);
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT " ROUND_COLUMNS "FROM round AS r ORDER BY r.id DESC",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, round_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Listing rounds");
      return NULL;
    }
  return g_steal_pointer (&list);
}

GeoRound *
geo_round_load (GeoStore *store, gint64 id, GeoRoundPersonalData personal, GError **error)
{
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) stops = NULL;
  g_autoptr(sqlite3_stmt) routes = NULL;
  g_autoptr(sqlite3_stmt) persons = NULL;
  g_autoptr(sqlite3_stmt) teams = NULL;
  g_autoptr(GHashTable) by_family = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  head = geo_store_prepare (store, "SELECT " ROUND_COLUMNS "FROM round AS r WHERE r.id = ?", error);
  if (head == NULL)
    return NULL;
  sqlite3_bind_int64 (head, 1, id);
  if (sqlite3_step (head) != SQLITE_ROW)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "no round %" G_GINT64_FORMAT, id);
      return NULL;
    }
  r = round_from_row (head);
  r->stops = g_ptr_array_new_with_free_func ((GDestroyNotify) stop_free);
  r->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  r->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) team_free);

  teams = geo_store_prepare (store,
                             "SELECT team, name, vehicle, speed_kmh FROM round_team "
                             "WHERE round_id = ? ORDER BY team",
                             error);
  if (teams == NULL)
    return NULL;
  sqlite3_bind_int64 (teams, 1, id);
  while ((rc = sqlite3_step (teams)) == SQLITE_ROW)
    {
      GeoRoundTeam *tm = g_new0 (GeoRoundTeam, 1);

      tm->team = sqlite3_column_int (teams, 0);
      tm->name = column_dup (teams, 1);
      tm->vehicle = column_dup (teams, 2);
      tm->speed_kmh = sqlite3_column_double (teams, 3);
      g_ptr_array_add (r->teams, tm);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the teams");
      return NULL;
    }

  stops = geo_store_prepare (store,
                             "SELECT s.family_id, s.status, s.team, s.day, s.seq, s.lon, s.lat, "
                             "s.arrive_min, s.start_min, s.depart_min, s.open_min, s.close_min, "
                             "s.leg_m, s.snap_m, s.requeued, f.address, f.rt, f.rw, f.desa_code, "
                             "a.name, coalesce (s.priority, f.priority) "
                             "FROM round_stop AS s JOIN family AS f ON f.id = s.family_id "
                             "LEFT JOIN area AS a ON a.code = f.desa_code WHERE s.round_id = ? "
                             "ORDER BY s.team IS NULL, s.team, s.day, s.seq, s.family_id",
                             error);
  if (stops == NULL)
    return NULL;
  sqlite3_bind_int64 (stops, 1, id);
  while ((rc = sqlite3_step (stops)) == SQLITE_ROW)
    {
      GeoRoundStop *s = g_new0 (GeoRoundStop, 1);

      s->family_id = sqlite3_column_int64 (stops, 0);
      geo_round_stop_status_from_string ((const char *) sqlite3_column_text (stops, 1), &s->status);
      s->team = sqlite3_column_int (stops, 2);
      s->day = sqlite3_column_int (stops, 3);
      s->seq = sqlite3_column_int (stops, 4);
      s->pos.lon = sqlite3_column_double (stops, 5);
      s->pos.lat = sqlite3_column_double (stops, 6);
      s->arrive_min = column_double_or (stops, 7, -1);
      s->start_min = column_double_or (stops, 8, -1);
      s->depart_min = column_double_or (stops, 9, -1);
      s->open_min = column_double_or (stops, 10, -1);
      s->close_min = column_double_or (stops, 11, -1);
      s->leg_m = column_double_or (stops, 12, -1);
      s->snap_m = column_double_or (stops, 13, -1);
      s->requeued = sqlite3_column_int (stops, 14) != 0;
      s->address = column_dup (stops, 15);
      s->rt = column_dup (stops, 16);
      s->rw = column_dup (stops, 17);
      s->desa_code = column_dup (stops, 18);
      s->desa_name = column_dup (stops, 19);
      s->priority = sqlite3_column_int (stops, 20);
      if (personal != GEO_ROUND_PERSONAL_NONE)
        s->persons = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
      g_ptr_array_add (r->stops, s);
      g_hash_table_insert (by_family, &s->family_id, s);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the stops");
      return NULL;
    }

  /* The families' persons: category masks always, names and NIKs only when asked. */
  persons = geo_store_prepare (store,
                               "SELECT p.family_id, p.id, p.name, p.nik, m.category "
                               "FROM round_stop AS s JOIN person AS p ON p.family_id = s.family_id "
                               "LEFT JOIN membership AS m ON m.person_id = p.id "
                               "WHERE s.round_id = ? ORDER BY p.family_id, p.id",
                               error);
  if (persons == NULL)
    return NULL;
  sqlite3_bind_int64 (persons, 1, id);
  {
    gint64          last_person = -1;
    GeoRoundPerson *cur = NULL;

    while ((rc = sqlite3_step (persons)) == SQLITE_ROW)
      {
        gint64        fid = sqlite3_column_int64 (persons, 0);
        gint64        pid = sqlite3_column_int64 (persons, 1);
        int           cat = sqlite3_column_int (persons, 4);
        GeoRoundStop *s = g_hash_table_lookup (by_family, &fid);
        guint32       bit = cat >= 1 && cat <= GEO_PMKS_N_CATEGORIES ? GEO_CATEGORY_BIT (cat) : 0;

        if (s == NULL)
          continue;
        s->categories |= bit;
        if (pid != last_person)
          {
            last_person = pid;
            s->n_persons++;
            cur = NULL;
            if (s->persons != NULL)
              {
                const char *nik = (const char *) sqlite3_column_text (persons, 3);

                cur = g_new0 (GeoRoundPerson, 1);
                cur->name = column_dup (persons, 2);
                cur->nik =
                    personal == GEO_ROUND_PERSONAL_FULL ? g_strdup (nik) : geo_round_mask_nik (nik);
                g_ptr_array_add (s->persons, cur);
              }
          }
        if (cur != NULL)
          cur->categories |= bit;
      }
    if (rc != SQLITE_DONE)
      {
        geo_store_set_error (store, error, "Loading the families' persons");
        return NULL;
      }
  }

  routes = geo_store_prepare (store,
                              "SELECT team, day, n_stops, start_min, end_min, travel_min, "
                              "distance_m, AsBinary (geom) FROM round_route WHERE round_id = ? "
                              "ORDER BY team, day",
                              error);
  if (routes == NULL)
    return NULL;
  sqlite3_bind_int64 (routes, 1, id);
  while ((rc = sqlite3_step (routes)) == SQLITE_ROW)
    {
      GeoRoundRoute *rt = g_new0 (GeoRoundRoute, 1);
      g_auto(GeoOgrGeometry) g = NULL;
      const void *wkb = sqlite3_column_blob (routes, 7);

      rt->team = sqlite3_column_int (routes, 0);
      rt->day = sqlite3_column_int (routes, 1);
      rt->n_stops = sqlite3_column_int (routes, 2);
      rt->start_min = sqlite3_column_double (routes, 3);
      rt->end_min = sqlite3_column_double (routes, 4);
      rt->travel_min = sqlite3_column_double (routes, 5);
      rt->distance_m = sqlite3_column_double (routes, 6);
      rt->line = g_array_new (FALSE, FALSE, sizeof (GeoPoint));
      if (wkb != NULL &&
          OGR_G_CreateFromWkb (wkb, NULL, &g, sqlite3_column_bytes (routes, 7)) == OGRERR_NONE)
        for (int k = 0; k < OGR_G_GetPointCount (g); k++)
          {
            GeoPoint pt = { OGR_G_GetX (g, k), OGR_G_GetY (g, k) };

            g_array_append_val (rt->line, pt);
          }
      g_ptr_array_add (r->routes, rt);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the routes");
      return NULL;
    }
  return g_steal_pointer (&r);
}

GPtrArray *
geo_round_day_stops (const GeoRound *r, guint team, guint day)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; r->stops != NULL && i < r->stops->len; i++)
    {
      GeoRoundStop *s = r->stops->pdata[i];

      if (s->status == GEO_ROUND_STOP_PLANNED && s->team == team && s->day == day)
        g_ptr_array_add (out, s);
    }
  return out;
}

const GeoRoundTeam *
geo_round_get_team (const GeoRound *r, guint team)
{
  for (guint i = 0; r->teams != NULL && i < r->teams->len; i++)
    {
      GeoRoundTeam *t = r->teams->pdata[i];

      if (t->team == team)
        return t;
    }
  return NULL;
}

const GeoRoundRoute *
geo_round_get_route (const GeoRound *r, guint team, guint day)
{
  for (guint i = 0; r->routes != NULL && i < r->routes->len; i++)
    {
      GeoRoundRoute *rt = r->routes->pdata[i];

      if (rt->team == team && rt->day == day)
        return rt;
    }
  return NULL;
}

GPtrArray *
geo_round_area_outlines (
    GeoStore *store, double min_lon, double min_lat, double max_lon, double max_lat, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  int rc;

  stmt = geo_store_prepare (store,
                            "SELECT AsBinary (geom) FROM area WHERE level = 'desa' AND "
                            "ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'area' "
                            "AND search_frame = BuildMbr (?, ?, ?, ?, 4326))",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_double (stmt, 1, min_lon);
  sqlite3_bind_double (stmt, 2, min_lat);
  sqlite3_bind_double (stmt, 3, max_lon);
  sqlite3_bind_double (stmt, 4, max_lat);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GeoOgrGeometry) g = NULL;
      const void *wkb = sqlite3_column_blob (stmt, 0);

      if (wkb == NULL ||
          OGR_G_CreateFromWkb (wkb, NULL, &g, sqlite3_column_bytes (stmt, 0)) != OGRERR_NONE)
        continue;
      for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
        {
          OGRGeometryH poly = OGR_G_GetGeometryRef (g, i);

          for (int k = 0; k < OGR_G_GetGeometryCount (poly); k++)
            {
              OGRGeometryH ring = OGR_G_GetGeometryRef (poly, k);
              GArray      *pts = g_array_new (FALSE, FALSE, sizeof (GeoPoint));

              for (int j = 0; j < OGR_G_GetPointCount (ring); j++)
                {
                  GeoPoint pt = { OGR_G_GetX (ring, j), OGR_G_GetY (ring, j) };

                  g_array_append_val (pts, pt);
                }
              g_ptr_array_add (rings, pts);
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading desa outlines");
      return NULL;
    }
  return g_steal_pointer (&rings);
}
