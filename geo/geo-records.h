#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

/* Read access to single records for the record views: a family with its members, and
 * person rows for a table. Category sets are 26-bit masks: bit (code - 1) for PMKS code. */

typedef struct
{
  gint64  id;
  char   *nik; /* NULL: no NIK yet */
  char   *name;
  char    sex; /* 'L', 'P' or 0 */
  char   *birth_date;
  char   *relation;
  guint32 categories;
  char   *status; /* the verivali status of the first membership, or NULL */
} GeoMember;

typedef struct
{
  gint64       id;
  char        *no_kk;
  char        *address;
  char        *rt;
  char        *rw;
  char        *desa_code;
  char        *desa_name;      /* NULL when the areas are not loaded */
  char        *kecamatan_name; /* idem */
  GeoLocSource loc_source;
  double       gps_accuracy_m; /* NAN when unknown */
  double       lon;
  double       lat;
  int          priority; /* 1 urgent, 2 high, 3 normal */
  GeoMember   *members;
  guint        n_members;
} GeoFamilyDetails;

GeoFamilyDetails *geo_family_details_load (GeoStore *store, gint64 family_id, GError **error);
void              geo_family_details_free (GeoFamilyDetails *details);

char             *geo_mask_nik (const char *nik);

typedef struct
{
  gint64  id;
  gint64  family_id;
  char   *nik;
  char   *name;
  char   *desa_code;
  char   *desa_name;
  guint32 categories;
} GeoPersonRow;

gint64           *geo_person_search (GeoStore     *store,
                                     const char   *query,
                                     gsize        *n_ids,
                                     GCancellable *cancellable,
                                     GError      **error);

typedef struct _GeoPersonReader GeoPersonReader;

GeoPersonReader  *geo_person_reader_new (GeoStore *store, GError **error);
gboolean          geo_person_reader_get (GeoPersonReader *reader,
                                         gint64           person_id,
                                         GeoPersonRow    *row,
                                         GError         **error);
void              geo_person_reader_free (GeoPersonReader *reader);
void              geo_person_row_clear (GeoPersonRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoFamilyDetails, geo_family_details_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoPersonReader, geo_person_reader_free)

G_END_DECLS
