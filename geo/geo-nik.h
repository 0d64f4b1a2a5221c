#pragma once

#include <glib.h>

#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoIdRule:
 * The rule a NIK or No. KK breaks (DOMAIN.md "Identifiers"). %GEO_ID_OK when it breaks none.
 * @GEO_ID_LENGTH: not 16 characters
 * @GEO_ID_DIGITS: a character that is not a digit 0-9
 * @GEO_ID_REGION: the first 6 digits (PPKKCC) are not a known kecamatan
 * @GEO_ID_DATE: digits 7-12 are not a real date DDMMYY (day + 40 for women)
 * @GEO_ID_SERIAL: the NIK's last 4 digits are 0000
 * @GEO_ID_SEX: the NIK's day says one sex, the row says the other
 * @GEO_ID_BIRTH_DATE: the NIK's date differs from the row's birth date
 * @GEO_ID_ZEROS: a No. KK of all zeros (a placeholder, not a number)
 */
typedef enum
{
  GEO_ID_OK,
  GEO_ID_LENGTH,
  GEO_ID_DIGITS,
  GEO_ID_REGION,
  GEO_ID_DATE,
  GEO_ID_SERIAL,
  GEO_ID_SEX,
  GEO_ID_BIRTH_DATE,
  GEO_ID_ZEROS,
} GeoIdRule;

/* A NIK split into its parts: PPKKCC DDMMYY SSSS. */
typedef struct
{
  char  digits[17];
  guint region;     /* PPKKCC as an integer, 340201 */
  int   day;        /* 1-31, the +40 for women removed */
  int   month;      /* 1-12 */
  int   year2;      /* 0-99: the century is not in the NIK */
  char  sex;        /* 'L' or 'P' */
  int   serial;     /* 1-9999 */
} GeoNik;

GeoIdRule   geo_nik_parse (const char *text, GeoNik *nik);
GeoIdRule   geo_nik_check_region (const GeoNik *nik, GeoStore *store);
GeoIdRule   geo_nik_check_sex (const GeoNik *nik, char sex);
GeoIdRule   geo_nik_check_birth_date (const GeoNik *nik, int year, int month, int day);
GeoIdRule   geo_nik_validate (const char *text,
                              GeoStore   *store,
                              char        sex,
                              const char *birth_date,
                              GeoNik     *nik);

GeoIdRule   geo_kk_validate (const char *text, GeoStore *store, guint *region);

gboolean    geo_region_known (GeoStore *store, guint region);
gboolean    geo_region_in_national_list (guint region);
guint       geo_region_national_count (void);
char       *geo_region_to_code (guint region);
char       *geo_id_clean (const char *text);

const char *geo_nik_rule_to_string (GeoIdRule rule);
const char *geo_nik_rule_message (GeoIdRule rule);
const char *geo_kk_rule_to_string (GeoIdRule rule);
const char *geo_kk_rule_message (GeoIdRule rule);

G_END_DECLS
