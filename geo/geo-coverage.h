#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

typedef enum
{
  GEO_COVERAGE_BY_DESA,
  GEO_COVERAGE_BY_KECAMATAN,
} GeoCoverageLevel;

/**
 * GeoCoverageRow:
 * Coverage of one desa or kecamatan at a date. @targets: the desa's target count, or its listed
 * target persons; the other figures count persons (docs/coverage.md): @visited (a visit of the
 * family inside the area's window, on or before the date), @found (a visit with outcome 1 that did
 * not mark the person deceased, moved or not found), @nik_recorded (a NIK on that date),
 * @verified (a membership in verifikasi, disetujui or padan on that date), @not_reachable
 * (visited, not found, latest visit "not reachable" (8) or "not at home" (9)).
 */
typedef struct
{
  char    *code;
  char    *name;           /* NULL when the boundaries are not imported */
  char    *kecamatan_code; /* for desa rows; the code itself for kecamatan rows */
  gboolean count_target;   /* a desa with a target count (and not listed persons) */
  gint64   targets;
  gint64   visited;
  gint64   found;
  gint64   nik_recorded;
  gint64   verified;
  gint64   not_reachable;
} GeoCoverageRow;

void geo_coverage_row_free (GeoCoverageRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoCoverageRow, geo_coverage_row_free)
double          geo_coverage_percent (gint64 value, gint64 targets);
gint64          geo_coverage_row_gap (const GeoCoverageRow *row);
GeoCoverageRow *geo_coverage_rows_total (GPtrArray *rows);

/**
 * GeoCoverageRemaining:
 * A listed target person not found yet on the date. @last_outcome: the latest visit's outcome
 * in the window (0 = not visited).
 */
typedef struct
{
  gint64      person_id;
  gint64      family_id;
  const char *desa_code; /* borrowed from the #GeoCoverage */
  int         last_outcome;
} GeoCoverageRemaining;

/**
 * GeoCoverage:
 * A programme's targets, visits, status and NIK histories loaded once into arrays (a few
 * statements); coverage at any date is then computed in C without SQL. Thread: the one that
 * loaded it, or any single thread afterwards (no store reference is kept).
 */
typedef struct _GeoCoverage GeoCoverage;

GeoCoverage *
geo_coverage_load (GeoStore *store, gint64 programme_id, GCancellable *cancellable, GError **error);
void geo_coverage_free (GeoCoverage *coverage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoCoverage, geo_coverage_free)

guint      geo_coverage_get_n_persons (GeoCoverage *coverage);
gboolean   geo_coverage_get_date_range (GeoCoverage *coverage, char **first, char **last);
GPtrArray *geo_coverage_compute (
    GeoCoverage *coverage, const char *at, GeoCoverageLevel by, const char *within, GError **error);
GArray *
geo_coverage_remaining (GeoCoverage *coverage, const char *at, const char *within, GError **error);

G_END_DECLS
