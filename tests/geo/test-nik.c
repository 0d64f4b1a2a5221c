#include "config.h"

#include <glib/gstdio.h>

#include "geo-nik.h"
#include "geo-store.h"
#include "../test-tmp.h"

typedef struct
{
  const char *name;
  const char *nik;
  char        sex;        /* the row's sex, 0 = not given */
  const char *birth_date; /* the row's birth date */
  GeoIdRule   expected;
  char        expected_sex;
  int         expected_day;
} NikCase;

static const NikCase nik_cases[] = {
  { "man", "3402011201900001", 'L', "1990-01-12", GEO_ID_OK, 'L', 12 },
  { "woman-day-plus-40", "3402015201900002", 'P', "1990-01-12", GEO_ID_OK, 'P', 12 },
  { "no-row-data", "3402011201900001", 0, NULL, GEO_ID_OK, 'L', 12 },
  { "apostrophe", "'3402011201900001", 'L', NULL, GEO_ID_OK, 'L', 12 },
  { "surrounding-space", "  3402011201900001 ", 0, NULL, GEO_ID_OK, 'L', 12 },
  { "leap-day-2000", "3171012902000001", 'L', "2000-02-29", GEO_ID_OK, 'L', 29 },
  { "leap-day-woman-96", "3402176902969999", 'P', "1996-02-29", GEO_ID_OK, 'P', 29 },
  { "day-31-dec", "6310083112450010", 0, "1945-12-31", GEO_ID_OK, 'L', 31 },
  { "woman-day-71", "6310087112450010", 'P', NULL, GEO_ID_OK, 'P', 31 },
  { "century-not-in-nik", "3402011201900001", 'L', "1890-01-12", GEO_ID_OK, 'L', 12 },
  { "empty", "", 0, NULL, GEO_ID_LENGTH },
  { "only-apostrophe", "'", 0, NULL, GEO_ID_LENGTH },
  { "15-digits", "340201120190001", 0, NULL, GEO_ID_LENGTH },
  { "17-digits", "34020112019000011", 0, NULL, GEO_ID_LENGTH },
  { "scientific-notation", "3.40201120190E+15", 0, NULL, GEO_ID_LENGTH },
  { "letter", "34020112019000a1", 0, NULL, GEO_ID_DIGITS },
  { "inner-space", "3402 11201900001", 0, NULL, GEO_ID_DIGITS },
  { "dots", "34.02.0112019001", 0, NULL, GEO_ID_DIGITS },
  { "day-0", "3402010001900001", 0, NULL, GEO_ID_DATE },
  { "day-32", "3402013201900001", 0, NULL, GEO_ID_DATE },
  { "day-40", "3402014001900001", 0, NULL, GEO_ID_DATE },
  { "day-72", "3402017201900001", 0, NULL, GEO_ID_DATE },
  { "day-99", "3402019901900001", 0, NULL, GEO_ID_DATE },
  { "month-0", "3402011200900001", 0, NULL, GEO_ID_DATE },
  { "month-13", "3402011213900001", 0, NULL, GEO_ID_DATE },
  { "feb-30", "3402013002900001", 0, NULL, GEO_ID_DATE },
  { "feb-29-2001", "3402012902010001", 0, NULL, GEO_ID_DATE },
  { "apr-31", "3402013104900001", 0, NULL, GEO_ID_DATE },
  { "woman-apr-31", "3402017104900001", 0, NULL, GEO_ID_DATE },
  { "all-zeros", "0000000000000000", 0, NULL, GEO_ID_DATE },
  { "serial-0000", "3402011201900000", 0, NULL, GEO_ID_SERIAL },
  { "unknown-province", "9999991201900001", 0, NULL, GEO_ID_REGION },
  { "unknown-kecamatan", "3402991201900001", 0, NULL, GEO_ID_REGION },
  { "unknown-kabupaten", "3498011201900001", 0, NULL, GEO_ID_REGION },
  { "woman-nik-man-row", "3402015201900002", 'L', NULL, GEO_ID_SEX },
  { "man-nik-woman-row", "3402011201900001", 'P', NULL, GEO_ID_SEX },
  { "birth-day-differs", "3402011201900001", 'L', "1990-01-13", GEO_ID_BIRTH_DATE },
  { "birth-month-differs", "3402011201900001", 'L', "1990-02-12", GEO_ID_BIRTH_DATE },
  { "birth-year-differs", "3402011201900001", 'L', "1991-01-12", GEO_ID_BIRTH_DATE },
  { "woman-birth-differs", "3402015201900002", 'P', "1990-01-22", GEO_ID_BIRTH_DATE },
};

static void
test_nik_case (gconstpointer data)
{
  const NikCase *c = data;
  GeoNik nik = { 0 };
  GeoIdRule rule = geo_nik_validate (c->nik, NULL, c->sex, c->birth_date, &nik);

  g_assert_cmpstr (geo_nik_rule_to_string (rule), ==, geo_nik_rule_to_string (c->expected));
  if (c->expected == GEO_ID_OK)
    {
      g_assert_cmpint (nik.sex, ==, c->expected_sex);
      g_assert_cmpint (nik.day, ==, c->expected_day);
      g_assert_cmpint (nik.serial, >, 0);
      g_assert_cmpuint (strlen (nik.digits), ==, 16);
    }
  else
    {
      g_assert_nonnull (geo_nik_rule_message (rule));
    }
}

static void
test_nik_parts (void)
{
  GeoNik nik;

  g_assert_cmpint (geo_nik_parse ("3402175201900123", &nik), ==, GEO_ID_OK);
  g_assert_cmpuint (nik.region, ==, 340217);
  g_assert_cmpint (nik.day, ==, 12);
  g_assert_cmpint (nik.month, ==, 1);
  g_assert_cmpint (nik.year2, ==, 90);
  g_assert_cmpint (nik.sex, ==, 'P');
  g_assert_cmpint (nik.serial, ==, 123);
  g_assert_cmpstr (nik.digits, ==, "3402175201900123");
  /* The format check alone does not look at the region. */
  g_assert_cmpint (geo_nik_parse ("9999991201900001", &nik), ==, GEO_ID_OK);
  g_assert_cmpint (geo_nik_check_region (&nik, NULL), ==, GEO_ID_REGION);
  g_assert_cmpint (geo_nik_check_sex (&nik, 'P'), ==, GEO_ID_SEX);
  g_assert_cmpint (geo_nik_check_sex (&nik, 0), ==, GEO_ID_OK);
  g_assert_cmpint (geo_nik_check_birth_date (&nik, 1990, 1, 12), ==, GEO_ID_OK);
  g_assert_cmpint (geo_nik_check_birth_date (&nik, 2090, 1, 12), ==, GEO_ID_OK);
  g_assert_cmpint (geo_nik_check_birth_date (&nik, 1990, 12, 1), ==, GEO_ID_BIRTH_DATE);
  g_assert_cmpint (geo_nik_check_birth_date (&nik, 0, 0, 0), ==, GEO_ID_OK);
}

typedef struct
{
  const char *name;
  const char *kk;
  GeoIdRule   expected;
  guint       region;
} KkCase;

static const KkCase kk_cases[] = {
  { "valid", "3402010101200001", GEO_ID_OK, 340201 },
  { "valid-digits-7-12-not-a-date", "3402019999990001", GEO_ID_OK, 340201 },
  { "apostrophe", "'6310081507150003", GEO_ID_OK, 631008 },
  { "empty", "", GEO_ID_LENGTH },
  { "short", "340201010120000", GEO_ID_LENGTH },
  { "long", "34020101012000011", GEO_ID_LENGTH },
  { "letters", "3402O10101200001", GEO_ID_DIGITS },
  { "minus", "-402010101200001", GEO_ID_DIGITS },
  { "zeros", "0000000000000000", GEO_ID_ZEROS },
  { "unknown-region", "9999990101200001", GEO_ID_REGION },
  { "unknown-kecamatan", "3402990101200001", GEO_ID_REGION },
};

static void
test_kk_case (gconstpointer data)
{
  const KkCase *c = data;
  guint region = 0;
  GeoIdRule rule = geo_kk_validate (c->kk, NULL, &region);

  g_assert_cmpstr (geo_kk_rule_to_string (rule), ==, geo_kk_rule_to_string (c->expected));
  g_assert_nonnull (geo_kk_rule_message (rule));
  if (c->expected == GEO_ID_OK)
    g_assert_cmpuint (region, ==, c->region);
}

static void
test_national_list (void)
{
  g_autofree char *code = geo_region_to_code (340217);

  g_assert_cmpuint (geo_region_national_count (), ==, 7285);
  g_assert_true (geo_region_in_national_list (110101));  /* the first: Bakongan, Aceh Selatan */
  g_assert_true (geo_region_in_national_list (340217));  /* Bantul's last kapanewon */
  g_assert_true (geo_region_in_national_list (631008));  /* Mantewe */
  g_assert_false (geo_region_in_national_list (340218));
  g_assert_false (geo_region_in_national_list (0));
  g_assert_false (geo_region_in_national_list (999999));
  g_assert_cmpstr (code, ==, "34.02.17");
}

/* A kecamatan missing from the national list counts once the project's area table has it. */
static void
test_region_from_store (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-nik-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.jangkau", NULL);
  g_autoptr(GeoStore) store = NULL;
  GeoAreaRecord area = { "99.01.01", GEO_AREA_KECAMATAN, "Uji", "99.01", -1, NULL, 0 };
  GError *error = NULL;

  store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_nik_validate ("9901011201900001", store, 0, NULL, NULL), ==, GEO_ID_REGION);
  g_assert_cmpint (geo_kk_validate ("9901010101200001", store, NULL), ==, GEO_ID_REGION);
  g_assert_cmpint (geo_store_insert_area (store, &area, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (geo_nik_validate ("9901011201900001", store, 0, NULL, NULL), ==, GEO_ID_OK);
  g_assert_cmpint (geo_kk_validate ("9901010101200001", store, NULL), ==, GEO_ID_OK);
  g_assert_cmpint (geo_nik_validate ("9901021201900001", store, 0, NULL, NULL), ==, GEO_ID_REGION);
  g_clear_object (&store);
  g_remove (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (nik_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/nik/validate/%s", nik_cases[i].name);
      g_test_add_data_func (path, &nik_cases[i], test_nik_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kk_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geo/nik/kk/%s", kk_cases[i].name);
      g_test_add_data_func (path, &kk_cases[i], test_kk_case);
    }
  g_test_add_func ("/geo/nik/parts", test_nik_parts);
  g_test_add_func ("/geo/nik/national-list", test_national_list);
  g_test_add_func ("/geo/nik/region-from-store", test_region_from_store);
  return g_test_run ();
}
