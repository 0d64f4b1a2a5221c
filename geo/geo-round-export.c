#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-categories.h"
#include "geo-error.h"
#include "geo-round-export.h"

gboolean
geo_round_format_from_path (const char *path, GeoRoundFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".gpx"))
    *format = GEO_ROUND_FORMAT_GPX;
  else if (g_str_has_suffix (lower, ".kml"))
    *format = GEO_ROUND_FORMAT_KML;
  else if (g_str_has_suffix (lower, ".geojson") || g_str_has_suffix (lower, ".json"))
    *format = GEO_ROUND_FORMAT_GEOJSON;
  else if (g_str_has_suffix (lower, ".csv"))
    *format = GEO_ROUND_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

static const char *const team_colours[] = {
  "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
};

const char *
geo_round_team_colour (guint team)
{
  return team_colours[(team + G_N_ELEMENTS (team_colours) - 1) % G_N_ELEMENTS (team_colours)];
}

char *
geo_round_categories_string (guint32 mask)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (int code = 1; code <= GEO_PMKS_N_CATEGORIES; code++)
    if (mask & GEO_CATEGORY_BIT (code))
      {
        const GeoCategory *c = geo_pmks_get (code);

        g_string_append_printf (s, "%s%s", s->len ? ", " : "", c != NULL ? c->short_name : "?");
      }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
persons_string (const GeoRoundStop *s, gboolean with_nik)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; s->persons != NULL && i < s->persons->len; i++)
    {
      const GeoRoundPerson *p = s->persons->pdata[i];

      if (with_nik)
        g_string_append_printf (out, "%s%s", out->len ? "; " : "", p->nik ? p->nik : "-");
      else
        g_string_append_printf (out, "%s%s", out->len ? "; " : "", p->name ? p->name : "?");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
stop_label (const GeoRoundStop *s)
{
  return g_strdup_printf ("T%u-H%u-%02u", s->team, s->day, s->seq);
}

static char *
stop_desc (const GeoRoundStop *s)
{
  g_autofree char *arrive = geo_round_format_time (s->start_min);
  g_autofree char *depart = geo_round_format_time (s->depart_min);
  g_autofree char *cats = geo_round_categories_string (s->categories);

  return g_strdup_printf ("%s-%s; %s; RT %s/RW %s; %s; %s; family %" G_GINT64_FORMAT,
                          arrive,
                          depart,
                          s->address ? s->address : "",
                          s->rt ? s->rt : "-",
                          s->rw ? s->rw : "-",
                          s->desa_name ? s->desa_name : (s->desa_code ? s->desa_code : ""),
                          cats,
                          s->family_id);
}

/* ---------------------------------------------------------------------------------------------
 * GPX 1.1 */

static void
gpx_point (GString *s, const char *tag, const GeoPoint *p)
{
  g_string_append_printf (s, "<%s lat=\"%.7f\" lon=\"%.7f\"", tag, p->lat, p->lon);
}

static char *
to_gpx (const GeoRound *r)
{
  GString         *s = g_string_new (NULL);
  g_autofree char *round_name =
      r->name ? g_strdup (r->name) : g_strdup_printf ("Round %" G_GINT64_FORMAT, r->id);
  g_autofree char *esc_name = g_markup_escape_text (round_name, -1);

  g_string_append (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (s,
                          "<gpx version=\"1.1\" creator=\"Jangkau %s\" "
                          "xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
                          PACKAGE_VERSION);
  g_string_append_printf (s, "  <metadata>\n    <name>%s</name>\n", esc_name);
  if (r->created_at != NULL)
    g_string_append_printf (s, "    <time>%s</time>\n", r->created_at);
  g_string_append (s, "  </metadata>\n");

  g_string_append (s, "  ");
  gpx_point (s, "wpt", &r->depot);
  g_string_append (s,
                   ">\n    <name>DEPOT</name>\n    <sym>Flag</sym>\n    <type>depot</type>\n  "
                   "</wpt>\n");
  for (guint i = 0; i < r->stops->len; i++)
    {
      const GeoRoundStop *st = r->stops->pdata[i];
      g_autofree char    *label = NULL;
      g_autofree char    *desc = NULL;
      g_autofree char    *esc = NULL;

      if (st->status != GEO_ROUND_STOP_PLANNED)
        continue;
      label = stop_label (st);
      desc = stop_desc (st);
      esc = g_markup_escape_text (desc, -1);
      g_string_append (s, "  ");
      gpx_point (s, "wpt", &st->pos);
      g_string_append_printf (s, ">\n    <name>%s</name>\n", label);
      if (st->persons != NULL && st->persons->len > 0)
        {
          g_autofree char *names = persons_string (st, FALSE);
          g_autofree char *esc_names = g_markup_escape_text (names, -1);

          g_string_append_printf (s, "    <cmt>%s</cmt>\n", esc_names);
        }
      g_string_append_printf (s,
                              "    <desc>%s</desc>\n    <sym>Residence</sym>\n"
                              "    <type>stop</type>\n  </wpt>\n",
                              esc);
    }

  for (guint k = 0; k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];
      g_autoptr(GPtrArray) day = geo_round_day_stops (r, rt->team, rt->day);

      g_string_append_printf (s,
                              "  <rte>\n    <name>Tim %u hari %u</name>\n    <number>%u</number>\n",
                              rt->team,
                              rt->day,
                              k + 1);
      g_string_append (s, "    ");
      gpx_point (s, "rtept", &r->depot);
      g_string_append (s, "><name>DEPOT</name></rtept>\n");
      for (guint i = 0; i < day->len; i++)
        {
          const GeoRoundStop *st = day->pdata[i];
          g_autofree char    *label = stop_label (st);

          g_string_append (s, "    ");
          gpx_point (s, "rtept", &st->pos);
          g_string_append_printf (s, "><name>%s</name></rtept>\n", label);
        }
      g_string_append (s, "    ");
      gpx_point (s, "rtept", &r->depot);
      g_string_append (s, "><name>DEPOT</name></rtept>\n  </rte>\n");
    }
  for (guint k = 0; k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];

      g_string_append_printf (s,
                              "  <trk>\n    <name>Tim %u hari %u</name>\n    <trkseg>\n",
                              rt->team,
                              rt->day);
      for (guint i = 0; i < rt->line->len; i++)
        {
          g_string_append (s, "      ");
          gpx_point (s, "trkpt", &g_array_index (rt->line, GeoPoint, i));
          g_string_append (s, "/>\n");
        }
      g_string_append (s, "    </trkseg>\n  </trk>\n");
    }
  g_string_append (s, "</gpx>\n");
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * KML 2.2 */

/* KML colours are aabbggrr. */
static char *
kml_colour (guint team)
{
  const char *c = geo_round_team_colour (team);

  return g_strdup_printf ("ff%.2s%.2s%.2s", c + 5, c + 3, c + 1);
}

static char *
to_kml (const GeoRound *r)
{
  GString *s = g_string_new (NULL);

  g_string_append (s,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
  g_string_append_printf (s, "  <name>Round %" G_GINT64_FORMAT "</name>\n", r->id);
  for (guint t = 1; t <= r->n_teams; t++)
    {
      g_autofree char *c = kml_colour (t);

      g_string_append_printf (s,
                              "  <Style id=\"team%u\"><LineStyle><color>%s</color><width>3</width>"
                              "</LineStyle><IconStyle><color>%s</color></IconStyle></Style>\n",
                              t,
                              c,
                              c);
    }
  g_string_append_printf (s,
                          "  "
                          "<Placemark><name>DEPOT</name><Point><coordinates>%.7f,%.7f</coordinates>"
                          "</Point></Placemark>\n",
                          r->depot.lon,
                          r->depot.lat);
  for (guint k = 0; k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];
      g_autoptr(GPtrArray) day = geo_round_day_stops (r, rt->team, rt->day);

      g_string_append_printf (s,
                              "  <Folder>\n    <name>Tim %u hari %u</name>\n",
                              rt->team,
                              rt->day);
      for (guint i = 0; i < day->len; i++)
        {
          const GeoRoundStop *st = day->pdata[i];
          g_autofree char    *label = stop_label (st);
          g_autofree char    *desc = stop_desc (st);
          g_autofree char    *esc = g_markup_escape_text (desc, -1);
          g_autofree char    *names = persons_string (st, FALSE);
          g_autofree char    *esc_names = g_markup_escape_text (names, -1);

          g_string_append_printf (s,
                                  "    <Placemark><name>%s</name><description>%s%s%s</description>"
                                  "<styleUrl>#team%u</styleUrl><Point><coordinates>%.7f,%.7f"
                                  "</coordinates></Point></Placemark>\n",
                                  label,
                                  esc,
                                  *names ? "; " : "",
                                  esc_names,
                                  rt->team,
                                  st->pos.lon,
                                  st->pos.lat);
        }
      g_string_append_printf (s,
                              "    <Placemark><name>Rute tim %u hari %u</name><styleUrl>#team%u"
                              "</styleUrl><LineString><tessellate>1</tessellate><coordinates>",
                              rt->team,
                              rt->day,
                              rt->team);
      for (guint i = 0; i < rt->line->len; i++)
        {
          const GeoPoint *p = &g_array_index (rt->line, GeoPoint, i);

          g_string_append_printf (s, "%s%.7f,%.7f", i ? " " : "", p->lon, p->lat);
        }
      g_string_append (s, "</coordinates></LineString></Placemark>\n  </Folder>\n");
    }
  g_string_append (s, "</Document>\n</kml>\n");
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * GeoJSON (RFC 7946) */

static void
json_string (GString *s, const char *str)
{
  g_string_append_c (s, '"');
  for (const char *p = str ? str : ""; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (s, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, c);
    }
  g_string_append_c (s, '"');
}

static void
json_member_str (GString *s, const char *name, const char *value)
{
  g_string_append_printf (s, ",\"%s\":", name);
  if (value == NULL)
    g_string_append (s, "null");
  else
    json_string (s, value);
}

static char *
to_geojson (const GeoRound *r)
{
  GString *s = g_string_new ("{\"type\":\"FeatureCollection\",\"features\":[\n");
  gboolean first = TRUE;

  g_string_append_printf (s,
                          "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                          "[%.7f,%.7f]},\"properties\":{\"kind\":\"depot\",\"round\":"
                          "%" G_GINT64_FORMAT "}}",
                          r->depot.lon,
                          r->depot.lat,
                          r->id);
  first = FALSE;
  for (guint i = 0; i < r->stops->len; i++)
    {
      const GeoRoundStop *st = r->stops->pdata[i];
      g_autofree char    *cats = geo_round_categories_string (st->categories);

      g_string_append_printf (s,
                              "%s\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
                              "\"coordinates\":[%.7f,%.7f]},\"properties\":{\"kind\":\"%s\","
                              "\"family_id\":%" G_GINT64_FORMAT,
                              first ? "" : ",",
                              st->pos.lon,
                              st->pos.lat,
                              st->status == GEO_ROUND_STOP_PLANNED ? "stop" : "unplanned",
                              st->family_id);
      if (st->status == GEO_ROUND_STOP_PLANNED)
        {
          g_autofree char *arrive = geo_round_format_time (st->arrive_min);
          g_autofree char *start = geo_round_format_time (st->start_min);
          g_autofree char *depart = geo_round_format_time (st->depart_min);

          g_string_append_printf (s,
                                  ",\"team\":%u,\"day\":%u,\"seq\":%u",
                                  st->team,
                                  st->day,
                                  st->seq);
          json_member_str (s, "arrive", arrive);
          json_member_str (s, "start", start);
          json_member_str (s, "depart", depart);
          json_member_str (s, "colour", geo_round_team_colour (st->team));
        }
      else
        {
          json_member_str (s, "status", geo_round_stop_status_to_string (st->status));
          json_member_str (s, "reason", geo_round_stop_status_describe (st->status));
        }
      if (st->snap_m >= 0)
        g_string_append_printf (s, ",\"snap_m\":%.1f", st->snap_m);
      json_member_str (s, "address", st->address);
      json_member_str (s, "rt", st->rt);
      json_member_str (s, "rw", st->rw);
      json_member_str (s, "desa_code", st->desa_code);
      json_member_str (s, "desa", st->desa_name);
      json_member_str (s, "categories", cats);
      g_string_append_printf (s, ",\"requeued\":%s", st->requeued ? "true" : "false");
      g_string_append_printf (s, ",\"priority\":%d", st->priority);
      if (st->persons != NULL)
        {
          g_string_append (s, ",\"persons\":[");
          for (guint k = 0; k < st->persons->len; k++)
            {
              const GeoRoundPerson *p = st->persons->pdata[k];

              g_string_append (s, k ? ",{\"name\":" : "{\"name\":");
              json_string (s, p->name);
              json_member_str (s, "nik", p->nik);
              g_string_append_c (s, '}');
            }
          g_string_append_c (s, ']');
        }
      g_string_append (s, "}}");
    }
  for (guint k = 0; k < r->routes->len; k++)
    {
      const GeoRoundRoute *rt = r->routes->pdata[k];

      g_string_append (s,
                       ",\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\","
                       "\"coordinates\":[");
      for (guint i = 0; i < rt->line->len; i++)
        {
          const GeoPoint *p = &g_array_index (rt->line, GeoPoint, i);

          g_string_append_printf (s, "%s[%.7f,%.7f]", i ? "," : "", p->lon, p->lat);
        }
      g_string_append_printf (s,
                              "]},\"properties\":{\"kind\":\"route\",\"team\":%u,\"day\":%u,"
                              "\"n_stops\":%u,\"distance_m\":%.1f,\"travel_min\":%.1f",
                              rt->team,
                              rt->day,
                              rt->n_stops,
                              rt->distance_m,
                              rt->travel_min);
      json_member_str (s, "colour", geo_round_team_colour (rt->team));
      g_string_append (s, "}}");
    }
  g_string_append (s, "\n]}\n");
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * CSV (RFC 4180) */

static void
csv_field (GString *s, const char *v, gboolean last)
{
  if (v != NULL && strpbrk (v, ",\"\r\n") != NULL)
    {
      g_string_append_c (s, '"');
      for (const char *p = v; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (s, '"');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  else if (v != NULL)
    g_string_append (s, v);
  g_string_append (s, last ? "\r\n" : ",");
}

static char *
to_csv (const GeoRound *r)
{
  GString *s = g_string_new (NULL);
  gboolean personal = FALSE;

  for (guint i = 0; i < r->stops->len; i++)
    personal |= ((GeoRoundStop *) r->stops->pdata[i])->persons != NULL;
  g_string_append (s,
                   "team,day,seq,family_id,lon,lat,arrive,start,depart,leg_m,desa_code,desa,"
                   "address,rt,rw,categories,requeued,priority");
  g_string_append (s, personal ? ",names,nik\r\n" : "\r\n");
  for (guint i = 0; i < r->stops->len; i++)
    {
      const GeoRoundStop *st = r->stops->pdata[i];
      g_autofree char    *a = NULL, *b = NULL, *d = NULL, *cats = NULL, *head = NULL;

      if (st->status != GEO_ROUND_STOP_PLANNED)
        continue;
      a = geo_round_format_time (st->arrive_min);
      b = geo_round_format_time (st->start_min);
      d = geo_round_format_time (st->depart_min);
      cats = geo_round_categories_string (st->categories);
      head = g_strdup_printf ("%u,%u,%u,%" G_GINT64_FORMAT ",%.7f,%.7f,%s,%s,%s,%.0f,",
                              st->team,
                              st->day,
                              st->seq,
                              st->family_id,
                              st->pos.lon,
                              st->pos.lat,
                              a,
                              b,
                              d,
                              st->leg_m);
      g_string_append (s, head);
      csv_field (s, st->desa_code, FALSE);
      csv_field (s, st->desa_name, FALSE);
      csv_field (s, st->address, FALSE);
      csv_field (s, st->rt, FALSE);
      csv_field (s, st->rw, FALSE);
      csv_field (s, cats, FALSE);
      csv_field (s, st->requeued ? "1" : "0", FALSE);
      g_string_append_printf (s, "%d%s", st->priority, personal ? "," : "\r\n");
      if (personal)
        {
          g_autofree char *names = persons_string (st, FALSE);
          g_autofree char *niks = persons_string (st, TRUE);

          csv_field (s, names, FALSE);
          csv_field (s, niks, TRUE);
        }
    }
  return g_string_free (s, FALSE);
}

char *
geo_round_export_to_string (const GeoRound *round, GeoRoundFormat format)
{
  g_return_val_if_fail (round != NULL && round->stops != NULL, NULL);

  switch (format)
    {
    case GEO_ROUND_FORMAT_GPX:
      return to_gpx (round);
    case GEO_ROUND_FORMAT_KML:
      return to_kml (round);
    case GEO_ROUND_FORMAT_GEOJSON:
      return to_geojson (round);
    case GEO_ROUND_FORMAT_CSV:
      return to_csv (round);
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
geo_round_export (const GeoRound *round, const char *path, GError **error)
{
  GeoRoundFormat   format;
  g_autofree char *text = NULL;

  if (!geo_round_format_from_path (path, &format))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s: unknown output format (use .gpx, .kml, .geojson or .csv)",
                   path);
      return FALSE;
    }
  text = geo_round_export_to_string (round, format);
  if (!g_file_set_contents (path, text, -1, error))
    {
      g_prefix_error (error, "Writing %s: ", path);
      return FALSE;
    }
  return TRUE;
}
