#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo-nik.h"
#include "geo-resources.h"
#include "geo-store-private.h"

#define KECAMATAN_RESOURCE "/id/go/dinsos/Jangkau/geo/kemendagri-2025-kecamatan.txt"

/* The national kecamatan list (Kepmendagri 300.2.2-2138/2025), sorted PPKKCC integers. */
static GArray *
national_list (void)
{
  static GArray *list = NULL;
  static gsize init = 0;

  if (g_once_init_enter (&init))
    {
      g_autoptr(GBytes) bytes = NULL;
      GArray *codes = g_array_new (FALSE, FALSE, sizeof (guint));
      const char *p, *end;
      gsize len;

      geo_ensure_resources ();
      bytes = g_resources_lookup_data (KECAMATAN_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert (bytes != NULL);
      p = g_bytes_get_data (bytes, &len);
      end = p + len;
      while (p < end)
        {
          const char *eol = memchr (p, '\n', end - p);

          if (eol == NULL)
            eol = end;
          if (eol - p == 6 && g_ascii_isdigit (*p))
            {
              guint code = 0;

              for (int i = 0; i < 6; i++)
                code = code * 10 + (p[i] - '0');
              g_assert (codes->len == 0 || code > g_array_index (codes, guint, codes->len - 1));
              g_array_append_val (codes, code);
            }
          p = eol + 1;
        }
      list = codes;
      g_once_init_leave (&init, 1);
    }
  return list;
}

guint
geo_region_national_count (void)
{
  return national_list ()->len;
}

gboolean
geo_region_in_national_list (guint region)
{
  GArray *list = national_list ();
  guint lo = 0, hi = list->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint v = g_array_index (list, guint, mid);

      if (v == region)
        return TRUE;
      if (v < region)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

/* "PP.KK.CC" for a PPKKCC integer. */
char *
geo_region_to_code (guint region)
{
  return g_strdup_printf ("%02u.%02u.%02u", region / 10000, region / 100 % 100, region % 100);
}

/**
 * geo_region_known:
 * @store: (nullable): a project whose area table may hold kecamatan missing from the national
 *   list (older codes from before a pemekaran)
 * @region: PPKKCC
 *
 * Returns: TRUE when @region is a kecamatan of the Kemendagri 2025 list or of @store's areas.
 */
gboolean
geo_region_known (GeoStore *store, guint region)
{
  g_autofree char *code = NULL;

  if (geo_region_in_national_list (region))
    return TRUE;
  if (store == NULL)
    return FALSE;
  code = geo_region_to_code (region);
  return geo_store_region_known (store, code);
}

/**
 * geo_id_clean:
 *
 * Returns: (transfer full): @text without surrounding white space and without the leading
 * apostrophe spreadsheets use to keep 16 digits as text. NULL when nothing is left.
 */
char *
geo_id_clean (const char *text)
{
  char *s;

  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\'')
    text++;
  s = g_strstrip (g_strdup (text));
  if (*s == '\0')
    g_clear_pointer (&s, g_free);
  return s;
}

static GeoIdRule
check_digits (const char *text)
{
  if (strlen (text) != 16)
    return GEO_ID_LENGTH;
  for (int i = 0; i < 16; i++)
    if (!g_ascii_isdigit (text[i]))
      return GEO_ID_DIGITS;
  return GEO_ID_OK;
}

static int
two (const char *s)
{
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Days in @month for a two-digit year: 29 February is real when 19yy or 20yy is a leap year,
 * i.e. when yy is a multiple of 4 (2000 was a leap year). */
static int
days_in_month (int month, int year2)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && year2 % 4 == 0)
    return 29;
  return days[month - 1];
}

/**
 * geo_nik_parse:
 * @text: the NIK as written (surrounding space and a leading apostrophe are ignored)
 * @nik: (out) (optional): its parts, filled when the result is %GEO_ID_OK
 *
 * Checks the format only: 16 digits, a real date DDMMYY with day + 40 for women, a serial
 * other than 0000. The region and the consistency with a record are checked separately.
 */
GeoIdRule
geo_nik_parse (const char *text, GeoNik *nik)
{
  g_autofree char *s = geo_id_clean (text);
  GeoIdRule rule;
  int day, month, year2, serial;
  char sex = 'L';

  if (s == NULL)
    return GEO_ID_LENGTH;
  rule = check_digits (s);
  if (rule != GEO_ID_OK)
    return rule;

  day = two (s + 6);
  month = two (s + 8);
  year2 = two (s + 10);
  serial = atoi (s + 12);
  if (day > 40)
    {
      day -= 40;
      sex = 'P';
    }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month (month, year2))
    return GEO_ID_DATE;
  if (serial == 0)
    return GEO_ID_SERIAL;

  if (nik != NULL)
    {
      memcpy (nik->digits, s, 17);
      nik->region = two (s) * 10000 + two (s + 2) * 100 + two (s + 4);
      nik->day = day;
      nik->month = month;
      nik->year2 = year2;
      nik->sex = sex;
      nik->serial = serial;
    }
  return GEO_ID_OK;
}

GeoIdRule
geo_nik_check_region (const GeoNik *nik, GeoStore *store)
{
  g_return_val_if_fail (nik != NULL, GEO_ID_REGION);
  return geo_region_known (store, nik->region) ? GEO_ID_OK : GEO_ID_REGION;
}

/* @sex: 'L', 'P', or 0 when the row does not say. */
GeoIdRule
geo_nik_check_sex (const GeoNik *nik, char sex)
{
  g_return_val_if_fail (nik != NULL, GEO_ID_SEX);
  if (sex == 0 || sex == nik->sex)
    return GEO_ID_OK;
  return GEO_ID_SEX;
}

/* @year: the row's full birth year, 0 when the row has no birth date. */
GeoIdRule
geo_nik_check_birth_date (const GeoNik *nik, int year, int month, int day)
{
  g_return_val_if_fail (nik != NULL, GEO_ID_BIRTH_DATE);
  if (year == 0)
    return GEO_ID_OK;
  if (year % 100 != nik->year2 || month != nik->month || day != nik->day)
    return GEO_ID_BIRTH_DATE;
  return GEO_ID_OK;
}

/* Y-M-D. YYYY-MM-DD (what the imports and editors store) is read directly: a per-row sscanf
 * was a visible share of a large import. */
static gboolean
parse_iso_date (const char *s, int *y, int *m, int *d)
{
  for (int i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : !g_ascii_isdigit (s[i]))
      return sscanf (s, "%d-%d-%d", y, m, d) == 3;
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  *m = two (s + 5);
  *d = two (s + 8);
  return TRUE;
}

/**
 * geo_nik_validate:
 * @store: (nullable): see geo_region_known()
 * @sex: the row's sex ('L', 'P', 0 unknown)
 * @birth_date: (nullable): the row's birth date, YYYY-MM-DD
 *
 * Every NIK rule, in the order format, date, serial, region, sex, birth date.
 */
GeoIdRule
geo_nik_validate (const char *text, GeoStore *store, char sex, const char *birth_date, GeoNik *nik)
{
  GeoNik parsed;
  GeoIdRule rule = geo_nik_parse (text, &parsed);
  int y = 0, m = 0, d = 0;

  if (rule == GEO_ID_OK)
    rule = geo_nik_check_region (&parsed, store);
  if (rule == GEO_ID_OK)
    rule = geo_nik_check_sex (&parsed, sex);
  if (rule == GEO_ID_OK && birth_date != NULL && parse_iso_date (birth_date, &y, &m, &d))
    rule = geo_nik_check_birth_date (&parsed, y, m, d);
  if (rule == GEO_ID_OK && nik != NULL)
    *nik = parsed;
  return rule;
}

/**
 * geo_kk_validate:
 * @region: (out) (optional): PPKKCC of a valid number
 *
 * A No. KK is 16 digits, not all zeros, starting with a known kecamatan code. DOMAIN.md says
 * nothing about the other digits (they are often read as the issue date), so they are not checked.
 */
GeoIdRule
geo_kk_validate (const char *text, GeoStore *store, guint *region)
{
  g_autofree char *s = geo_id_clean (text);
  GeoIdRule rule;
  guint r;

  if (s == NULL)
    return GEO_ID_LENGTH;
  rule = check_digits (s);
  if (rule != GEO_ID_OK)
    return rule;
  if (strspn (s, "0") == 16)
    return GEO_ID_ZEROS;
  r = two (s) * 10000 + two (s + 2) * 100 + two (s + 4);
  if (!geo_region_known (store, r))
    return GEO_ID_REGION;
  if (region != NULL)
    *region = r;
  return GEO_ID_OK;
}

/* Stable keys, used in import reports and rejects files. */
const char *
geo_nik_rule_to_string (GeoIdRule rule)
{
  switch (rule)
    {
    case GEO_ID_OK:
      return "ok";
    case GEO_ID_LENGTH:
      return "nik_length";
    case GEO_ID_DIGITS:
      return "nik_digits";
    case GEO_ID_REGION:
      return "nik_region";
    case GEO_ID_DATE:
      return "nik_date";
    case GEO_ID_SERIAL:
      return "nik_serial";
    case GEO_ID_SEX:
      return "nik_sex";
    case GEO_ID_BIRTH_DATE:
      return "nik_birth_date";
    case GEO_ID_ZEROS:
      return "nik_zeros";
    default:
      g_return_val_if_reached ("invalid");
    }
}

const char *
geo_nik_rule_message (GeoIdRule rule)
{
  switch (rule)
    {
    case GEO_ID_OK:
      return "valid NIK";
    case GEO_ID_LENGTH:
      return "NIK must have 16 digits";
    case GEO_ID_DIGITS:
      return "NIK must contain digits only";
    case GEO_ID_REGION:
      return "NIK region code (digits 1-6) is not a known kecamatan";
    case GEO_ID_DATE:
      return "NIK digits 7-12 are not a real date DDMMYY (day + 40 for women)";
    case GEO_ID_SERIAL:
      return "NIK serial (digits 13-16) must not be 0000";
    case GEO_ID_SEX:
      return "NIK sex (day + 40 for women) contradicts the row's sex";
    case GEO_ID_BIRTH_DATE:
      return "NIK date contradicts the row's birth date";
    case GEO_ID_ZEROS:
      return "NIK must not be all zeros";
    default:
      g_return_val_if_reached ("invalid NIK");
    }
}

const char *
geo_kk_rule_to_string (GeoIdRule rule)
{
  switch (rule)
    {
    case GEO_ID_OK:
      return "ok";
    case GEO_ID_LENGTH:
      return "kk_length";
    case GEO_ID_DIGITS:
      return "kk_digits";
    case GEO_ID_REGION:
      return "kk_region";
    case GEO_ID_ZEROS:
      return "kk_zeros";
    case GEO_ID_DATE:
    case GEO_ID_SERIAL:
    case GEO_ID_SEX:
    case GEO_ID_BIRTH_DATE:
    default:
      g_return_val_if_reached ("invalid");
    }
}

const char *
geo_kk_rule_message (GeoIdRule rule)
{
  switch (rule)
    {
    case GEO_ID_OK:
      return "valid No. KK";
    case GEO_ID_LENGTH:
      return "No. KK must have 16 digits";
    case GEO_ID_DIGITS:
      return "No. KK must contain digits only";
    case GEO_ID_REGION:
      return "No. KK region code (digits 1-6) is not a known kecamatan";
    case GEO_ID_ZEROS:
      return "No. KK must not be all zeros";
    case GEO_ID_DATE:
    case GEO_ID_SERIAL:
    case GEO_ID_SEX:
    case GEO_ID_BIRTH_DATE:
    default:
      g_return_val_if_reached ("invalid No. KK");
    }
}
