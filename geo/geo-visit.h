#pragma once

#include <glib.h>

#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoVisitOutcome:
 * The DTSEN family presence codes (DOMAIN.md) used as visit results, plus
 * %GEO_VISIT_NOT_AT_HOME, Jangkau's own code 9 for "nobody home, come back" (not a DTSEN code).
 */
typedef enum
{
  GEO_VISIT_FOUND = 1,
  GEO_VISIT_MOVED_NOT_FOUND = 2,
  GEO_VISIT_REFUSED = 3,
  GEO_VISIT_DECEASED = 4,
  GEO_VISIT_NOT_ELIGIBLE = 5,
  GEO_VISIT_IN_INSTITUTION = 6,
  GEO_VISIT_NOT_REACHABLE = 8,
  GEO_VISIT_NOT_AT_HOME = 9,
} GeoVisitOutcome;

/* DTSEN member presence codes. */
typedef enum
{
  GEO_MEMBER_LIVES_HERE = 1,
  GEO_MEMBER_DECEASED = 2,
  GEO_MEMBER_MOVED_DOMESTIC = 3,
  GEO_MEMBER_MOVED_ABROAD = 4,
  GEO_MEMBER_NOT_FOUND = 5,
} GeoMemberPresence;

typedef struct
{
  gint64 person_id;
  int    code; /* GeoMemberPresence */
} GeoVisitMember;

/**
 * GeoVisitRecord:
 * @date: YYYY-MM-DD
 * @has_point: whether @lon/@lat (EPSG:4326, where the visit was logged) are set
 */
typedef struct
{
  gint64                family_id;
  const char           *date;
  const char           *team;
  int                   outcome; /* GeoVisitOutcome */
  const char           *notes;
  gboolean              has_point;
  double                lon;
  double                lat;
  const GeoVisitMember *members;
  guint                 n_members;
} GeoVisitRecord;

/* What logging a visit changed. */
typedef struct
{
  gint64   visit_id;
  guint    n_status_changed; /* memberships moved (closed, or musdes -> kunjungan) */
  gboolean requeue;          /* the family goes back into the next round */
} GeoVisitResult;

const char *geo_visit_outcome_label (int outcome);
gboolean    geo_visit_outcome_from_string (const char *str, int *outcome);
const char *geo_member_presence_label (int code);
gboolean    geo_member_presence_from_string (const char *str, int *code);

gboolean geo_visit_log (GeoStore             *store,
                        const GeoVisitRecord *visit,
                        GeoVisitResult       *result,
                        GError              **error);

G_END_DECLS
