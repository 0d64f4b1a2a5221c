#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoDuplicateKind:
 * @GEO_DUPLICATE_NIK: the same NIK once its formatting (spaces, dots, dashes; O typed
 *   for 0, I or l for 1) is removed
 * @GEO_DUPLICATE_TWO_FAMILIES: same normalised name and birth date in two or more KKs
 * @GEO_DUPLICATE_SAME_FAMILY: same normalised name and birth date twice in one KK
 * @GEO_DUPLICATE_PROBABLE: similar names (Jaro-Winkler) and close birth dates in one desa
 */
typedef enum
{
  GEO_DUPLICATE_NIK,
  GEO_DUPLICATE_TWO_FAMILIES,
  GEO_DUPLICATE_SAME_FAMILY,
  GEO_DUPLICATE_PROBABLE,
} GeoDuplicateKind;

typedef struct
{
  gint64 id;
  gint64 family_id;
  char  *nik;
  char  *name;
  char  *birth_date;
  char  *desa_code;
} GeoDuplicatePerson;

/**
 * GeoDuplicateGroup:
 * @score: 1 for exact kinds; for probable groups the weakest pair link (0-1)
 * @persons: (element-type GeoDuplicatePerson): by id
 */
typedef struct
{
  GeoDuplicateKind kind;
  double           score;
  GPtrArray       *persons;
} GeoDuplicateGroup;

#define GEO_DUPLICATES_DEFAULT_THRESHOLD 0.9

const char *geo_duplicate_kind_to_string (GeoDuplicateKind kind);
void        geo_duplicate_group_free (GeoDuplicateGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoDuplicateGroup, geo_duplicate_group_free)

double geo_jaro_winkler (const char *a, const char *b);
char  *geo_duplicates_normalize_name (const char *name);
double geo_duplicates_pair_score (const char *name_a,
                                  const char *birth_a,
                                  const char *name_b,
                                  const char *birth_b);

GPtrArray *
geo_duplicates_find (GeoStore *store, double threshold, GCancellable *cancellable, GError **error);

gboolean geo_duplicates_merge (GeoStore *store, gint64 keep_id, gint64 drop_id, GError **error);

G_END_DECLS
