#include "config.h"

#include <string.h>

#include "geo-types.h"

static const char *const level_names[] = { "provinsi", "kabupaten", "kecamatan", "desa" };

const char *
geo_area_level_to_string (GeoAreaLevel level)
{
  g_return_val_if_fail (level <= GEO_AREA_DESA, NULL);
  return level_names[level];
}

/* Accepts the names used by Kemendagri data sets as well as ours
 * (kabupaten_kota, kota, desa_kelurahan, kelurahan, kapanewon, kalurahan, ...). */
gboolean
geo_area_level_from_string (const char *str, GeoAreaLevel *level)
{
  static const struct
  {
    const char  *name;
    GeoAreaLevel level;
  } aliases[] = {
    { "provinsi", GEO_AREA_PROVINSI },   { "province", GEO_AREA_PROVINSI },
    { "prov", GEO_AREA_PROVINSI },       { "kabupaten", GEO_AREA_KABUPATEN },
    { "kabupaten_kota", GEO_AREA_KABUPATEN }, { "kota", GEO_AREA_KABUPATEN },
    { "kab", GEO_AREA_KABUPATEN },       { "regency", GEO_AREA_KABUPATEN },
    { "kecamatan", GEO_AREA_KECAMATAN }, { "kapanewon", GEO_AREA_KECAMATAN },
    { "distrik", GEO_AREA_KECAMATAN },   { "kec", GEO_AREA_KECAMATAN },
    { "district", GEO_AREA_KECAMATAN },  { "desa", GEO_AREA_DESA },
    { "kelurahan", GEO_AREA_DESA },      { "desa_kelurahan", GEO_AREA_DESA },
    { "kalurahan", GEO_AREA_DESA },      { "village", GEO_AREA_DESA },
  };

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (aliases[i].name, str) == 0)
      {
        *level = aliases[i].level;
        return TRUE;
      }
  return FALSE;
}

const char *
geo_loc_source_to_string (GeoLocSource source)
{
  switch (source)
    {
    case GEO_LOC_GPS:
      return "gps";
    case GEO_LOC_ADDRESS:
      return "address";
    case GEO_LOC_DESA_CENTROID:
      return "desa_centroid";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
geo_point_in_indonesia (double lon, double lat)
{
  return lon >= GEO_INDONESIA_MIN_LON && lon <= GEO_INDONESIA_MAX_LON &&
         lat >= GEO_INDONESIA_MIN_LAT && lat <= GEO_INDONESIA_MAX_LAT;
}
