#pragma once

#include <gio/gio.h>

#include "geo-round.h"

G_BEGIN_DECLS

/* Printable route sheets (A4 PDF), one per team and day of a round: an overview map (desa
 * outlines, the route line, numbered stops and the depot, a scale bar), then the stops in
 * visiting order with time, address, RT/RW, desa, PMKS categories, the persons' names and NIKs
 * when the round was loaded with personal data, and an outcome column to tick (DTSEN codes). */

/* @outlines: (nullable): desa rings (GArray of GeoPoint) to draw under the route. */
gboolean report_route_sheet_write (const GeoRound *round,
                                   guint           team,
                                   guint           day,
                                   GPtrArray      *outlines,
                                   const char     *path,
                                   GError        **error);

/* One PDF per team-day with stops into @dir (created when missing), named
 * round-<id>-tim<team>-hari<day>.pdf; desa outlines from @store (nullable). Returns the paths
 * written (owned), or NULL with @error set. */
GPtrArray *report_route_sheets_write_all (GeoStore       *store,
                                          const GeoRound *round,
                                          const char     *dir,
                                          GError        **error);

G_END_DECLS
