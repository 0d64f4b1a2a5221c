#pragma once

#include <gio/gio.h>

#include "geo-round.h"

G_BEGIN_DECLS

/* Exports of a planned round (loaded by geo_round_load()): GPX 1.1 (a waypoint per stop and the
 * depot, a <rte> per team-day through its stops and a <trk> with its route line, along the
 * roads with the road cost model), KML, GeoJSON and CSV (one row per planned stop). Names and
 * NIKs appear only when the round was loaded with personal data. */

typedef enum
{
  GEO_ROUND_FORMAT_GPX,
  GEO_ROUND_FORMAT_KML,
  GEO_ROUND_FORMAT_GEOJSON,
  GEO_ROUND_FORMAT_CSV,
} GeoRoundFormat;

/* By extension: .gpx, .kml, .geojson / .json, .csv. */
gboolean geo_round_format_from_path (const char *path, GeoRoundFormat *format);

char    *geo_round_export_to_string (const GeoRound *round, GeoRoundFormat format);
gboolean geo_round_export (const GeoRound *round, const char *path, GError **error);

/* "FM, PD" : the short names of the PMKS categories in @mask. */
char *geo_round_categories_string (guint32 mask);
/* A distinct colour per team as "#rrggbb". */
const char *geo_round_team_colour (guint team);

G_END_DECLS
