#pragma once

#include <gio/gio.h>

#include "geo-selection.h"
#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoProgrammePhase:
 * A phase of a programme, in order (@seq 1 is the pilot). Dates are YYYY-MM-DD; @end_date
 * may be NULL (open).
 */
typedef struct
{
  int   seq;
  char *name;
  char *start_date;
  char *end_date;
} GeoProgrammePhase;

/**
 * GeoProgrammeArea:
 * A target area: a kecamatan (all its desa) or a desa. @phase is a phase seq (0 none);
 * @start_date/@end_date NULL take the phase's, else the programme's. @target_count is the
 * number of persons to reach in a desa, -1 when the desa's targets are listed persons.
 */
typedef struct
{
  char  *code;
  char  *name;  /* from the area table; NULL when the boundaries are not imported */
  char  *level; /* kecamatan or desa (from the code's shape when the area is unknown) */
  int    phase;
  char  *start_date;
  char  *end_date;
  gint64 target_count;
} GeoProgrammeArea;

/**
 * GeoProgramme:
 * @category: the PMKS category served, 0 for any
 * @n_targets: explicitly listed target persons
 */
typedef struct
{
  gint64     id;
  char      *name;
  int        category;
  char      *start_date;
  char      *end_date;
  gint64     n_targets;
  GPtrArray *phases; /* GeoProgrammePhase */
  GPtrArray *areas;  /* GeoProgrammeArea */
} GeoProgramme;

void geo_programme_free (GeoProgramme *programme);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoProgramme, geo_programme_free)

gboolean geo_is_iso_date (const char *str);

gint64   geo_programme_create (GeoStore   *store,
                               const char *name,
                               int         category,
                               const char *start_date,
                               const char *end_date,
                               GError    **error);
gboolean geo_programme_lookup (GeoStore *store, const char *name_or_id, gint64 *id, GError **error);
GeoProgramme *geo_programme_load (GeoStore *store, gint64 id, GError **error);
GPtrArray    *geo_programme_list (GeoStore *store, GError **error);
gboolean      geo_programme_add_phase (GeoStore   *store,
                                       gint64      id,
                                       const char *name,
                                       const char *start_date,
                                       const char *end_date,
                                       int        *seq,
                                       GError    **error);
gboolean      geo_programme_add_area (GeoStore   *store,
                                      gint64      id,
                                      const char *code,
                                      const char *phase,
                                      const char *start_date,
                                      const char *end_date,
                                      gint64      target_count,
                                      GError    **error);
gboolean      geo_programme_add_targets (GeoStore        *store,
                                         gint64           id,
                                         const GeoFilter *filter,
                                         const char      *filter_text,
                                         guint           *n_added,
                                         GCancellable    *cancellable,
                                         GError         **error);

G_END_DECLS
