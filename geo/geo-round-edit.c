#include "config.h"

#include "geo-round-edit.h"

#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "geo-vrp.h"

#define ACCESS_KMH 5.0

static GeoRoundRoute *
find_route (GeoRound *r, guint team, guint day)
{
  return (GeoRoundRoute *) geo_round_get_route (r, team, day);
}

gboolean
geo_round_reorder_day (GeoRound     *r,
                       guint         team,
                       guint         day,
                       const gint64 *family_ids,
                       guint         n,
                       GeoRoadGraph *graph,
                       gboolean     *feasible,
                       GError      **error)
{
  g_autoptr(GPtrArray) old = NULL;
  g_autofree GeoRoundStop **ordered = NULL;
  g_autofree GeoPoint      *pts = NULL;
  g_autofree double        *travel = NULL, *dist = NULL;
  g_autofree GeoRoadSnap   *snaps = NULL;
  const GeoRoundTeam       *tm;
  GeoRoundRoute            *route;
  gboolean                  roads, ok = TRUE;
  guint                     first = G_MAXUINT, m;
  double                    t, speed;

  g_return_val_if_fail (r != NULL && r->stops != NULL && r->routes != NULL, FALSE);
  roads = g_strcmp0 (r->cost_model, "roads") == 0;
  old = geo_round_day_stops (r, team, day);
  route = find_route (r, team, day);
  if (route == NULL || old->len != n)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "team %u, day %u has %u stops, not %u",
                   team,
                   day,
                   old->len,
                   n);
      return FALSE;
    }
  if (roads && graph == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "a road round needs the road graph");
      return FALSE;
    }
  ordered = g_new0 (GeoRoundStop *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < old->len && ordered[i] == NULL; k++)
        {
          GeoRoundStop *s = old->pdata[k];

          if (s->family_id == family_ids[i])
            ordered[i] = s;
        }
      for (guint j = 0; j < i && ordered[i] != NULL; j++)
        if (ordered[j] == ordered[i])
          ordered[i] = NULL;
      if (ordered[i] == NULL)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "family %" G_GINT64_FORMAT " is not (once) on team %u, day %u",
                       family_ids[i],
                       team,
                       day);
          return FALSE;
        }
    }

  /* Cost matrix over the depot and the day's stops in their new order. */
  m = n + 1;
  pts = g_new (GeoPoint, m);
  pts[0] = r->depot;
  for (guint i = 0; i < n; i++)
    pts[i + 1] = ordered[i]->pos;
  tm = geo_round_get_team (r, team);
  speed = tm != NULL && tm->speed_kmh > 0 ? tm->speed_kmh : r->speed_kmh;
  if (roads)
    {
      snaps = g_new (GeoRoadSnap, m);
      geo_road_graph_snap (graph, pts, m, G_MAXDOUBLE, snaps);
      travel = g_new (double, (gsize) m *m);
      dist = g_new (double, (gsize) m *m);
      if (!geo_road_graph_matrix (graph, snaps, m, ACCESS_KMH, travel, dist, NULL, error))
        return FALSE;
    }
  else
    {
      double detour = r->detour_factor >= 1 ? r->detour_factor : 1.3;

      if (!(speed > 0))
        speed = 25;
      dist = geo_vrp_geodesic_matrix (pts, m);
      travel = geo_vrp_travel_matrix (dist, m, detour, speed);
      for (gsize k = 0; k < (gsize) m * m; k++)
        dist[k] *= detour;
    }

  /* Times as the planner computes them. */
  t = route->start_min;
  route->travel_min = route->distance_m = 0;
  g_array_set_size (route->line, 0);
  for (guint i = 0; i <= n; i++)
    {
      guint  prev = i, node = i < n ? i + 1 : 0;
      double leg = travel[(gsize) prev * m + node];

      if (!isfinite (leg))
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "no road path for stop %u", i + 1);
          return FALSE;
        }
      t += leg;
      route->travel_min += leg;
      route->distance_m += dist[(gsize) prev * m + node];
      {
        g_autoptr(GArray) path = roads ? geo_road_graph_path (graph,
                                                               &pts[prev],
                                                               &snaps[prev],
                                                               &pts[node],
                                                               &snaps[node])
                                        : NULL;

        if (path != NULL && path->len > 0)
          g_array_append_vals (route->line,
                               path->data + (route->line->len > 0 ? sizeof (GeoPoint) : 0),
                               path->len - (route->line->len > 0 ? 1 : 0));
        else
          {
            if (route->line->len == 0)
              g_array_append_val (route->line, pts[prev]);
            g_array_append_val (route->line, pts[node]);
          }
      }
      if (i == n)
        break;
      {
        GeoRoundStop *s = ordered[i];

        s->seq = i + 1;
        s->arrive_min = t;
        s->leg_m = dist[(gsize) prev * m + node];
        t = MAX (t, s->open_min >= 0 ? s->open_min : t);
        if (s->close_min >= 0 && t > s->close_min + 1e-7)
          ok = FALSE;
        s->start_min = t;
        t += r->visit_min;
        s->depart_min = t;
      }
    }
  route->end_min = t;
  if (t > r->day_end_min + 1e-7)
    ok = FALSE;

  /* The day's stops are contiguous in r->stops (ordered by team, day, seq): rewrite them. */
  for (guint k = 0; k < r->stops->len && first == G_MAXUINT; k++)
    if (r->stops->pdata[k] == old->pdata[0])
      first = k;
  g_assert (first != G_MAXUINT);
  for (guint i = 0; i < n; i++)
    r->stops->pdata[first + i] = ordered[i];

  r->total_m = r->total_travel_min = 0;
  for (guint k = 0; k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];

      r->total_m += rt->distance_m;
      r->total_travel_min += rt->travel_min;
    }
  if (feasible != NULL)
    *feasible = ok;
  return TRUE;
}

static gboolean
step (GeoStore *store, sqlite3_stmt *stmt, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Saving the round");
      return FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

gboolean
geo_round_save_day (GeoStore *store, const GeoRound *r, guint team, guint day, GError **error)
{
  g_autoptr(GPtrArray) stops = NULL;
  g_autoptr(sqlite3_stmt) up_stop = NULL;
  g_autoptr(sqlite3_stmt) up_route = NULL;
  g_autoptr(sqlite3_stmt) up_round = NULL;
  g_auto(GeoOgrGeometry) g = NULL;
  g_autofree guint8   *wkb = NULL;
  const GeoRoundRoute *route;
  gsize                wkb_len;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  route = geo_round_get_route (r, team, day);
  if (route == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "no route for team %u, day %u",
                   team,
                   day);
      return FALSE;
    }
  stops = geo_round_day_stops (r, team, day);
  g = OGR_G_CreateGeometry (wkbLineString);
  for (guint i = 0; i < route->line->len; i++)
    {
      const GeoPoint *p = &g_array_index (route->line, GeoPoint, i);

      OGR_G_AddPoint_2D (g, p->lon, p->lat);
    }
  wkb_len = OGR_G_WkbSize (g);
  wkb = g_malloc (wkb_len);
  OGR_G_ExportToWkb (g, wkbNDR, wkb);

  if (!geo_store_begin (store, error))
    return FALSE;
  /* seq is unique per team-day only through the index order; park them first. */
  up_stop = geo_store_prepare (store,
                               "UPDATE round_stop SET seq = ?, arrive_min = ?, start_min = ?, "
                               "depart_min = ?, leg_m = ? WHERE round_id = ? AND family_id = ?",
                               error);
  up_route =
      geo_store_prepare (store,
                         "UPDATE round_route SET end_min = ?, travel_min = ?, distance_m = ?, "
                         "geom = GeomFromWKB (?, 4326) WHERE round_id = ? AND team = ? AND day = ?",
                         error);
  up_round = geo_store_prepare (store,
                                "UPDATE round SET total_m = ?, total_travel_min = ? WHERE id = ?",
                                error);
  if (up_stop == NULL || up_route == NULL || up_round == NULL)
    goto fail;
  for (guint i = 0; i < stops->len; i++)
    {
      const GeoRoundStop *s = stops->pdata[i];

      sqlite3_bind_int (up_stop, 1, s->seq);
      sqlite3_bind_double (up_stop, 2, s->arrive_min);
      sqlite3_bind_double (up_stop, 3, s->start_min);
      sqlite3_bind_double (up_stop, 4, s->depart_min);
      sqlite3_bind_double (up_stop, 5, s->leg_m);
      sqlite3_bind_int64 (up_stop, 6, r->id);
      sqlite3_bind_int64 (up_stop, 7, s->family_id);
      if (!step (store, up_stop, error))
        goto fail;
    }
  sqlite3_bind_double (up_route, 1, route->end_min);
  sqlite3_bind_double (up_route, 2, route->travel_min);
  sqlite3_bind_double (up_route, 3, route->distance_m);
  sqlite3_bind_blob (up_route, 4, wkb, wkb_len, SQLITE_STATIC);
  sqlite3_bind_int64 (up_route, 5, r->id);
  sqlite3_bind_int (up_route, 6, team);
  sqlite3_bind_int (up_route, 7, day);
  if (!step (store, up_route, error))
    goto fail;
  sqlite3_bind_double (up_round, 1, r->total_m);
  sqlite3_bind_double (up_round, 2, r->total_travel_min);
  sqlite3_bind_int64 (up_round, 3, r->id);
  if (!step (store, up_round, error))
    goto fail;
  return geo_store_commit (store, error);

fail:
  geo_store_rollback (store);
  return FALSE;
}
