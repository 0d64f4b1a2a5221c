#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-error.h"
#include "geo-round-export.h"
#include "geo-round.h"
#include "report-route-sheet.h"

/* jangkau-cli round plan|list|show and jangkau-cli roads import. */

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliFilterArgs, cli_filter_args_clear)

static GeoRoundPersonalData
personal_level (gboolean include, gboolean full_nik)
{
  if (!include)
    return GEO_ROUND_PERSONAL_NONE;
  return full_nik ? GEO_ROUND_PERSONAL_FULL : GEO_ROUND_PERSONAL_MASKED;
}

static void
add_round_summary (JsonBuilder *b, const GeoRound *r)
{
  json_builder_set_member_name (b, "round_id");
  json_builder_add_int_value (b, r->id);
  if (r->name != NULL)
    {
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
    }
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, r->created_at);
  json_builder_set_member_name (b, "targets");
  json_builder_add_int_value (b, r->n_targets);
  json_builder_set_member_name (b, "planned");
  json_builder_add_int_value (b, r->n_planned);
  json_builder_set_member_name (b, "unplanned");
  json_builder_add_int_value (b, r->n_unplanned);
  json_builder_set_member_name (b, "total_km");
  json_builder_add_double_value (b, round (r->total_m) / 1000.0);
  json_builder_set_member_name (b, "total_travel_min");
  json_builder_add_double_value (b, round (r->total_travel_min * 10) / 10);
  json_builder_set_member_name (b, "teams");
  json_builder_add_int_value (b, r->n_teams);
  json_builder_set_member_name (b, "days");
  json_builder_add_int_value (b, r->n_days);
  json_builder_set_member_name (b, "vehicle");
  json_builder_add_string_value (b, r->vehicle);
  if (r->teams != NULL)
    {
      json_builder_set_member_name (b, "team_vehicles");
      json_builder_begin_array (b);
      for (guint k = 0; k < r->teams->len; k++)
        {
          const GeoRoundTeam *t = r->teams->pdata[k];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "team");
          json_builder_add_int_value (b, t->team);
          json_builder_set_member_name (b, "vehicle");
          json_builder_add_string_value (b, t->vehicle);
          json_builder_set_member_name (b, "speed_kmh");
          json_builder_add_double_value (b, t->speed_kmh);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "cost_model");
  json_builder_add_string_value (b, r->cost_model);
  json_builder_set_member_name (b, "selection");
  json_builder_add_string_value (b, r->selection);
}

static void
add_round_details (JsonBuilder *b, const GeoRound *r)
{
  guint n_requeued = 0;

  json_builder_set_member_name (b, "routes");
  json_builder_begin_array (b);
  for (guint k = 0; k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];
      g_autofree char     *start = geo_round_format_time (rt->start_min);
      g_autofree char     *end = geo_round_format_time (rt->end_min);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "team");
      json_builder_add_int_value (b, rt->team);
      json_builder_set_member_name (b, "day");
      json_builder_add_int_value (b, rt->day);
      json_builder_set_member_name (b, "stops");
      json_builder_add_int_value (b, rt->n_stops);
      json_builder_set_member_name (b, "km");
      json_builder_add_double_value (b, round (rt->distance_m) / 1000.0);
      json_builder_set_member_name (b, "travel_min");
      json_builder_add_double_value (b, round (rt->travel_min * 10) / 10);
      json_builder_set_member_name (b, "start");
      json_builder_add_string_value (b, start);
      json_builder_set_member_name (b, "end");
      json_builder_add_string_value (b, end);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unplanned_targets");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->stops->len; i++)
    {
      const GeoRoundStop *s = r->stops->pdata[i];

      n_requeued += s->requeued;
      if (s->status == GEO_ROUND_STOP_PLANNED)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "family_id");
      json_builder_add_int_value (b, s->family_id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, geo_round_stop_status_to_string (s->status));
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, geo_round_stop_status_describe (s->status));
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, s->priority);
      if (s->snap_m >= 0)
        {
          json_builder_set_member_name (b, "snap_m");
          json_builder_add_double_value (b, round (s->snap_m * 10) / 10);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "requeued");
  json_builder_add_int_value (b, n_requeued);
}

static void
print_round_text (const GeoRound *r, gboolean stops)
{
  g_print ("round %" G_GINT64_FORMAT
           "%s%s: %u targets, %u planned, %u unplanned, %.1f km, %.0f min "
           "travel (%s, %s)\n",
           r->id,
           r->name ? " " : "",
           r->name ? r->name : "",
           r->n_targets,
           r->n_planned,
           r->n_unplanned,
           r->total_m / 1000,
           r->total_travel_min,
           r->vehicle,
           r->cost_model);
  for (guint k = 0; stops && k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];
      g_autoptr(GPtrArray) day = geo_round_day_stops (r, rt->team, rt->day);
      g_autofree char *end = geo_round_format_time (rt->end_min);

      g_print ("  team %u day %u: %u stops, %.1f km, back at %s\n",
               rt->team,
               rt->day,
               rt->n_stops,
               rt->distance_m / 1000,
               end);
      for (guint i = 0; i < day->len; i++)
        {
          const GeoRoundStop *s = day->pdata[i];
          g_autofree char    *a = geo_round_format_time (s->start_min);
          g_autofree char    *d = geo_round_format_time (s->depart_min);

          g_print ("    %2u %s-%s family %" G_GINT64_FORMAT " %s%s%s\n",
                   s->seq,
                   a,
                   d,
                   s->family_id,
                   s->address ? s->address : "",
                   s->priority == 1   ? " (urgent)"
                   : s->priority == 2 ? " (high)"
                                      : "",
                   s->requeued ? " (re-queued)" : "");
        }
    }
  for (guint i = 0; i < r->stops->len; i++)
    {
      const GeoRoundStop *s = r->stops->pdata[i];

      g_autofree char *away = NULL;

      if (s->status == GEO_ROUND_STOP_PLANNED)
        continue;
      if (s->snap_m >= 0 && s->status == GEO_ROUND_STOP_NOT_SNAPPED)
        away = g_strdup_printf (" (%.0f m from the nearest road)", s->snap_m);
      g_print ("  not planned: family %" G_GINT64_FORMAT "%s: %s%s\n",
               s->family_id,
               s->priority == 1   ? " (urgent)"
               : s->priority == 2 ? " (high)"
                                  : "",
               geo_round_stop_status_describe (s->status),
               away ? away : "");
    }
}

/* Writes --out and --sheets; adds their paths to the JSON. */
static gboolean
write_outputs (GeoStore       *store,
               const GeoRound *r,
               const char     *out,
               const char     *sheets,
               JsonBuilder    *b,
               GError        **error)
{
  if (out != NULL)
    {
      if (!geo_round_export (r, out, error))
        return FALSE;
      json_builder_set_member_name (b, "out");
      json_builder_add_string_value (b, out);
    }
  if (sheets != NULL)
    {
      g_autoptr(GPtrArray) paths = report_route_sheets_write_all (store, r, sheets, error);

      if (paths == NULL)
        return FALSE;
      json_builder_set_member_name (b, "sheets");
      json_builder_begin_array (b);
      for (guint i = 0; i < paths->len; i++)
        json_builder_add_string_value (b, paths->pdata[i]);
      json_builder_end_array (b);
    }
  return TRUE;
}

static gboolean
parse_window (const char *arg, GeoRoundWindow *w)
{
  g_auto(GStrv) parts = g_strsplit_set (arg, "=-", 3);
  char *end = NULL;

  if (g_strv_length (parts) != 3)
    return FALSE;
  w->family_id = g_ascii_strtoll (parts[0], &end, 10);
  return end != parts[0] && *end == '\0' && w->family_id > 0 &&
         geo_round_parse_time (parts[1], &w->open_min) &&
         geo_round_parse_time (parts[2], &w->close_min) && w->close_min >= w->open_min;
}

static int
round_plan (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB — plan a home-visit round and store it in the project");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) windows = g_array_new (FALSE, FALSE, sizeof (GeoRoundWindow));
  g_auto(CliFilterArgs) fargs = { 0 };
  g_autofree char *depot = NULL, *start = NULL, *end = NULL, *vehicle = NULL, *out = NULL;
  g_autofree char *sheets = NULL, *within = NULL, *cost = NULL, *name = NULL;
  g_auto(GStrv) window_args = NULL;
  gboolean json = FALSE, personal = FALSE, full_nik = FALSE, no_requeue = FALSE, oneway = FALSE;
  int      teams = 1, days = 1, max_visits = 0, max_priority = 0;
  double   visit_min = 20, detour = 1.3, max_snap = 500;
  g_autofree char       *speed = NULL;
  g_autofree GeoVehicle *team_vehicles = NULL;
  g_autofree double     *team_speeds = NULL;
  GeoRoundParams         p;
  GeoRoundFormat         fmt;
  GError                *error = NULL;
  gint64                 id;
  GOptionEntry           entries[] = {
              { "depot",
                0,
                0,
                G_OPTION_ARG_STRING,
                &depot,
                "Start and end of every route (the office)",
                "LON,LAT" },
              { "teams", 0, 0, G_OPTION_ARG_INT, &teams, "Number of teams (default 1)", "N" },
              { "days", 0, 0, G_OPTION_ARG_INT, &days, "Number of days (default 1)", "D" },
              { "start",
                0,
                0,
                G_OPTION_ARG_STRING,
                &start,
                "Start of the working day (default 08:00)",
                "HH:MM" },
              { "end", 0, 0, G_OPTION_ARG_STRING, &end, "Back at the depot by (default 16:00)", "HH:MM" },
              { "visit-minutes",
                0,
                0,
                G_OPTION_ARG_DOUBLE,
                &visit_min,
                "Minutes per visit (default 20)",
                "M" },
              { "max-visits",
                0,
                0,
                G_OPTION_ARG_INT,
                &max_visits,
                "Visits per team and day (default: no limit)",
                "V" },
              { "vehicle",
                0,
                0,
                G_OPTION_ARG_STRING,
                &vehicle,
                "car or motorbike (default motorbike); a comma list gives one per team",
                "V[,V...]" },
              { "speed",
                0,
                0,
                G_OPTION_ARG_STRING,
                &speed,
                "Average km/h without roads (default: car 30, motorbike 25); a comma list gives one per "
                          "team",
                "KMH[,KMH...]" },
              { "detour",
                0,
                0,
                G_OPTION_ARG_DOUBLE,
                &detour,
                "Detour factor over geodesic distances without roads (default 1.3)",
                "F" },
              { "cost",
                0,
                0,
                G_OPTION_ARG_STRING,
                &cost,
                "auto (roads when imported), geodesic or roads",
                "MODEL" },
              { "max-snap",
                0,
                0,
                G_OPTION_ARG_DOUBLE,
                &max_snap,
                "Farthest a family may be from a road, metres (default 500)",
                "M" },
              { "oneway", 0, 0, G_OPTION_ARG_NONE, &oneway, "Respect one-way roads", NULL },
              { "within",
                0,
                0,
                G_OPTION_ARG_STRING,
                &within,
                "Only families inside this polygon (WKT, GeoJSON or a file)",
                "AREA" },
              { "window",
                0,
                0,
                G_OPTION_ARG_STRING_ARRAY,
                &window_args,
                "Time window of a family (repeatable)",
                "FAMILY=HH:MM-HH:MM" },
              { "no-requeue",
                0,
                0,
                G_OPTION_ARG_NONE,
                &no_requeue,
                "Leave out re-queued families (not at home / not reachable) that the filter does not select",
                NULL },
              { "priority",
                0,
                0,
                G_OPTION_ARG_INT,
                &max_priority,
                "Only families of priority N or more urgent (1 urgent, 2 urgent and high)",
                "N" },
              { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the round", "NAME" },
              { "out",
                'o',
                0,
                G_OPTION_ARG_FILENAME,
                &out,
                "Write the plan: .gpx, .kml, .geojson or .csv",
                "FILE" },
              { "sheets",
                0,
                0,
                G_OPTION_ARG_FILENAME,
                &sheets,
                "Write a route sheet PDF per team and day into DIR",
                "DIR" },
              { "include-personal-data",
                0,
                0,
                G_OPTION_ARG_NONE,
                &personal,
                "Names and masked NIKs in the outputs",
                NULL },
              { "full-nik",
                0,
                0,
                G_OPTION_ARG_NONE,
                &full_nik,
                "With --include-personal-data: full NIKs",
                NULL },
              { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
              { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  cli_filter_add_options (context, &fargs);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "round plan needs exactly one DB argument");

  geo_round_params_init (&p);
  if (depot == NULL || sscanf (depot, "%lf,%lf", &p.depot.lon, &p.depot.lat) != 2)
    return cli_usage_error (context, "--depot LON,LAT is required");
  if (out == NULL)
    return cli_usage_error (context, "--out FILE is required");
  if (!geo_round_format_from_path (out, &fmt))
    return cli_usage_error (context, "--out: use a .gpx, .kml, .geojson or .csv file");
  if (teams < 1 || days < 1 || max_visits < 0 || visit_min < 0 || detour < 1 || max_snap < 0)
    return cli_usage_error (context, "--teams and --days are >= 1, --detour >= 1, the others >= 0");
  if (start != NULL && !geo_round_parse_time (start, &p.day_start_min))
    return cli_usage_error (context, "--start: “%s” is not HH:MM", start);
  if (end != NULL && !geo_round_parse_time (end, &p.day_end_min))
    return cli_usage_error (context, "--end: “%s” is not HH:MM", end);
  if (vehicle != NULL)
    {
      g_auto(GStrv) v = g_strsplit (vehicle, ",", -1);
      guint nv = g_strv_length (v);

      if (nv != 1 && nv != (guint) teams)
        return cli_usage_error (context, "--vehicle: one vehicle, or one per team (%d)", teams);
      team_vehicles = g_new (GeoVehicle, teams);
      for (int k = 0; k < teams; k++)
        if (!geo_vehicle_from_string (g_strstrip (v[nv == 1 ? 0 : k]), &team_vehicles[k]))
          return cli_usage_error (context,
                                  "--vehicle: car or motorbike, not “%s”",
                                  v[nv == 1 ? 0 : k]);
      p.vehicle = team_vehicles[0];
    }
  if (speed != NULL)
    {
      g_auto(GStrv) v = g_strsplit (speed, ",", -1);
      guint nv = g_strv_length (v);

      if (nv != 1 && nv != (guint) teams)
        return cli_usage_error (context, "--speed: one speed, or one per team (%d)", teams);
      team_speeds = g_new (double, teams);
      for (int k = 0; k < teams; k++)
        {
          const char *str = g_strstrip (v[nv == 1 ? 0 : k]);
          char       *endp = NULL;

          team_speeds[k] = g_ascii_strtod (str, &endp);
          if (endp == str || *endp != '\0' || !(team_speeds[k] > 0))
            return cli_usage_error (context, "--speed: “%s” is not a speed in km/h", str);
        }
    }
  if (cost != NULL)
    {
      if (strcmp (cost, "auto") == 0)
        p.cost_model = GEO_ROUND_COST_AUTO;
      else if (strcmp (cost, "geodesic") == 0)
        p.cost_model = GEO_ROUND_COST_GEODESIC;
      else if (strcmp (cost, "roads") == 0)
        p.cost_model = GEO_ROUND_COST_ROADS;
      else
        return cli_usage_error (context, "--cost: auto, geodesic or roads");
    }
  for (guint i = 0; window_args != NULL && window_args[i] != NULL; i++)
    {
      GeoRoundWindow w;

      if (!parse_window (window_args[i], &w))
        return cli_usage_error (context,
                                "--window: “%s” is not FAMILY=HH:MM-HH:MM",
                                window_args[i]);
      g_array_append_val (windows, w);
    }
  if (max_priority < 0 || max_priority > 3)
    return cli_usage_error (context,
                            "--priority: %d is not 1 (urgent), 2 (high) or 3 (normal)",
                            max_priority);
  filter = cli_filter_build (&fargs, &error);
  if (filter == NULL)
    return cli_fail (error);

  p.name = name;
  p.max_priority = max_priority;
  p.filter = filter;
  p.within = within;
  p.include_requeued = !no_requeue;
  p.n_teams = teams;
  p.n_days = days;
  p.visit_min = visit_min;
  p.max_visits = max_visits;
  p.team_vehicles = team_vehicles;
  p.team_speeds_kmh = team_speeds;
  p.detour_factor = detour;
  p.max_snap_m = max_snap;
  p.use_oneway = oneway;
  p.windows = (const GeoRoundWindow *) windows->data;
  p.n_windows = windows->len;

  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);
  cli_progress ("Planning the round", -1);
  id = geo_round_plan (store, &p, NULL, NULL, &error);
  if (id == 0)
    return cli_fail (error);
  r = geo_round_load (store, id, personal_level (personal, full_nik), &error);
  if (r == NULL)
    return cli_fail (error);

  json_builder_begin_object (b);
  add_round_summary (b, r);
  add_round_details (b, r);
  if (!write_outputs (store, r, out, sheets, b, &error))
    return cli_fail (error);
  json_builder_end_object (b);
  cli_progress_done ();
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  else
    print_round_text (r, FALSE);
  return 0;
}

static int
round_list (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB — the project's rounds, newest first");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean     json = FALSE;
  GError      *error = NULL;
  GOptionEntry entries[] = { { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                             { NULL } };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "round list needs exactly one DB argument");
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || (rounds = geo_round_list (store, &error)) == NULL)
    return cli_fail (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < rounds->len; i++)
    {
      const GeoRound *r = rounds->pdata[i];

      json_builder_begin_object (b);
      add_round_summary (b, r);
      json_builder_end_object (b);
      if (!json)
        g_print ("%4" G_GINT64_FORMAT "  %s  %u teams x %u days  %u/%u planned  %.1f km  %s%s%s\n",
                 r->id,
                 r->created_at,
                 r->n_teams,
                 r->n_days,
                 r->n_planned,
                 r->n_targets,
                 r->total_m / 1000,
                 r->cost_model,
                 r->name ? "  " : "",
                 r->name ? r->name : "");
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  return 0;
}

static int
round_show (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB ID — show a round's stops; export it again");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoRound) r = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL, *sheets = NULL;
  gboolean         json = FALSE, personal = FALSE, full_nik = FALSE;
  GeoRoundFormat   fmt;
  GError          *error = NULL;
  gint64           id;
  char            *endp = NULL;
  GOptionEntry     entries[] = { { "out",
                                   'o',
                                   0,
                                   G_OPTION_ARG_FILENAME,
                                   &out,
                                   "Write the plan: .gpx, .kml, .geojson or .csv",
                                   "FILE" },
                                 { "sheets",
                                   0,
                                   0,
                                   G_OPTION_ARG_FILENAME,
                                   &sheets,
                                   "Write a route sheet PDF per team and day into DIR",
                                   "DIR" },
                                 { "include-personal-data",
                                   0,
                                   0,
                                   G_OPTION_ARG_NONE,
                                   &personal,
                                   "Names and masked NIKs in the outputs",
                                   NULL },
                                 { "full-nik",
                                   0,
                                   0,
                                   G_OPTION_ARG_NONE,
                                   &full_nik,
                                   "With --include-personal-data: full NIKs",
                                   NULL },
                                 { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                                 { NULL } };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 3)
    return cli_usage_error (context, "round show needs a DB and a round ID");
  id = g_ascii_strtoll (argv[2], &endp, 10);
  if (endp == argv[2] || *endp != '\0' || id <= 0)
    return cli_usage_error (context, "“%s” is not a round id", argv[2]);
  if (out != NULL && !geo_round_format_from_path (out, &fmt))
    return cli_usage_error (context, "--out: use a .gpx, .kml, .geojson or .csv file");
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);
  r = geo_round_load (store, id, personal_level (personal, full_nik), &error);
  if (r == NULL)
    return cli_fail (error);
  json_builder_begin_object (b);
  add_round_summary (b, r);
  add_round_details (b, r);
  if (!write_outputs (store, r, out, sheets, b, &error))
    return cli_fail (error);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  else
    print_round_text (r, TRUE);
  return 0;
}

int
cli_cmd_round (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "plan") == 0)
    return round_plan (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return round_list (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "show") == 0)
    return round_show (argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage: jangkau-cli round plan|list|show DB ...\n\n"
               "  plan DB --depot LON,LAT --out FILE [...]  plan a round and store it\n"
               "  list DB                                  the project's rounds\n"
               "  show DB ID [--out FILE] [--sheets DIR]   a round's stops, export again\n\n"
               "Run “jangkau-cli round plan --help” for the planning options.\n");
      return 0;
    }
  g_printerr ("jangkau-cli: round needs plan, list or show (see “jangkau-cli round --help”)\n");
  return 2;
}

int
cli_cmd_roads (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "import DB FILE — store a road network (OSM .osm.pbf, GeoJSON, any OGR lines)");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char     *layer = NULL;
  gboolean             json = FALSE, replace = FALSE;
  GeoRoadsImportReport rep;
  GError              *error = NULL;
  GOptionEntry         entries[] = {
            { "layer",
              0,
              0,
              G_OPTION_ARG_STRING,
              &layer,
              "Layer to read (default: lines for OSM, else the first line layer)",
              "NAME" },
            { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Delete the roads imported before", NULL },
            { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
            { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4 || strcmp (argv[1], "import") != 0)
    return cli_usage_error (context, "usage: roads import DB FILE");
  store = geo_store_open (argv[2], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);
  cli_progress ("Importing roads", -1);
  if (!geo_roads_import (store, argv[3], layer, replace, &rep, NULL, &error))
    return cli_fail (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "read");
  json_builder_add_int_value (b, rep.read);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, rep.imported);
  json_builder_set_member_name (b, "skipped");
  json_builder_add_int_value (b, rep.skipped);
  for (int v = GEO_VEHICLE_CAR; v <= GEO_VEHICLE_MOTORBIKE; v++)
    {
      g_autoptr(GeoRoadGraph) g = geo_road_graph_load (store, v, FALSE, NULL, NULL);

      json_builder_set_member_name (b, geo_vehicle_to_string (v));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "nodes");
      json_builder_add_int_value (b, g ? geo_road_graph_get_n_nodes (g) : 0);
      json_builder_set_member_name (b, "edges");
      json_builder_add_int_value (b, g ? geo_road_graph_get_n_edges (g) : 0);
      json_builder_end_object (b);
      if (!json)
        g_print ("%s graph: %u nodes, %u edges\n",
                 geo_vehicle_to_string (v),
                 g ? geo_road_graph_get_n_nodes (g) : 0,
                 g ? geo_road_graph_get_n_edges (g) : 0);
    }
  json_builder_end_object (b);
  cli_progress_done ();
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  else
    g_print ("%u features read, %u road segments stored, %u skipped (not roads)\n",
             rep.read,
             rep.imported,
             rep.skipped);
  return 0;
}
