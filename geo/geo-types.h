#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called from the working thread with the fraction done (0-1). */
typedef void (*GeoProgressFunc) (double fraction, gpointer user_data);

/* Plain value types shared by the core. Coordinates are always lon, lat in EPSG:4326
 * unless a field name says otherwise. */

typedef struct _GeoStore GeoStore;

/* Indonesia's extent with a small margin (DOMAIN.md: about 95E-141E, 11S-6N). */
#define GEO_INDONESIA_MIN_LON 94.0
#define GEO_INDONESIA_MAX_LON 142.0
#define GEO_INDONESIA_MIN_LAT -11.5
#define GEO_INDONESIA_MAX_LAT 6.5

#define GEO_PMKS_CODE_LIST "permensos-8-2012"
#define GEO_PMKS_N_CATEGORIES 26
#define GEO_PSKS_N_TYPES 12

typedef struct
{
  double lon;
  double lat;
} GeoPoint;

typedef enum
{
  GEO_AREA_PROVINSI,
  GEO_AREA_KABUPATEN,
  GEO_AREA_KECAMATAN,
  GEO_AREA_DESA,
} GeoAreaLevel;

typedef enum
{
  GEO_LOC_GPS,
  GEO_LOC_ADDRESS,
  GEO_LOC_DESA_CENTROID,
} GeoLocSource;

typedef struct
{
  const char  *code;        /* dotted Kemendagri code, 34.02.01.2001 */
  GeoAreaLevel level;
  const char  *name;
  const char  *parent_code; /* NULL for a provinsi */
  gint64       population;  /* -1 when unknown */
  const guint8 *wkb;        /* (multi)polygon in EPSG:4326 */
  gsize        wkb_len;
} GeoAreaRecord;

typedef struct
{
  const char  *no_kk; /* NULL: a family of one without a KK */
  const char  *address;
  const char  *rt;
  const char  *rw;
  const char  *desa_code;
  double       lon;
  double       lat;
  GeoLocSource loc_source;
  double       gps_accuracy_m; /* NAN when unknown */
  gint64       import_batch;   /* 0 when not from an import */
} GeoFamilyRecord;

typedef struct
{
  gint64      family_id;
  const char *nik;        /* NULL: no NIK yet */
  const char *name;
  char        sex;        /* 'L', 'P' or 0 when unknown */
  const char *birth_date; /* YYYY-MM-DD or NULL */
  const char *relation;
  gint64      import_batch;
} GeoPersonRecord;

typedef struct
{
  int         type; /* PSKS 1-12 */
  const char *name;
  const char *contact;
  gint64      capacity; /* -1 when unknown */
  double      radius_m; /* NAN when unset */
  const char *desa_code;
  double      lon;
  double      lat;
  const int  *serves; /* PMKS codes; n_serves == 0 means every category */
  guint       n_serves;
} GeoResourceRecord;

const char  *geo_area_level_to_string (GeoAreaLevel level);
gboolean     geo_area_level_from_string (const char *str, GeoAreaLevel *level);
const char  *geo_loc_source_to_string (GeoLocSource source);
gboolean     geo_point_in_indonesia (double lon, double lat);

G_END_DECLS
