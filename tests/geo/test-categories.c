#include "config.h"

#include "geo-categories.h"
#include "geo-error.h"

typedef struct
{
  const char *text;
  int         expected; /* 0: not found */
} LookupCase;

static const LookupCase pmks_cases[] = {
  { "24", 24 },
  { " 8 ", 8 },
  { "Fakir Miskin", 24 },
  { "fakir  miskin", 24 },
  { "FAKIR MISKIN", 24 },
  { "Lanjut Usia Terlantar", 8 },
  { "lanjut usia telantar", 8 },
  { "Anak Balita Terlantar", 1 },
  { "Orang dengan HIV/AIDS (ODHA)", 16 },
  { "ODHA", 16 },
  { "Penyandang Disabilitas", 9 },
  { "Poor", 24 },
  { "Komunitas Adat Terpencil", 26 },
  { "0", 0 },
  { "27", 0 },
  { "-1", 0 },
  { "Rumah Tidak Layak Huni", 0 },
  { "RTLH", 0 },
  { "miskin sekali", 0 },
  { "", 0 },
};

static void
test_pmks_lookup (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (pmks_cases); i++)
    {
      int code = 0;
      gboolean found = geo_pmks_lookup (pmks_cases[i].text, &code);

      g_test_message ("lookup “%s”", pmks_cases[i].text);
      g_assert_cmpint (found, ==, pmks_cases[i].expected != 0);
      if (found)
        g_assert_cmpint (code, ==, pmks_cases[i].expected);
    }
}

static void
test_tables (void)
{
  g_assert_cmpuint (geo_pmks_count (), ==, 26);
  g_assert_cmpuint (geo_psks_count (), ==, 12);
  g_assert_cmpstr (geo_pmks_get (24)->name, ==, "Fakir Miskin");
  g_assert_cmpstr (geo_pmks_get (1)->name, ==, "Anak Balita Telantar");
  g_assert_cmpstr (geo_psks_get (11)->short_name, ==, "TKSK");
  g_assert_null (geo_pmks_get (0));
  g_assert_null (geo_pmks_get (27));
  for (int c = 1; c <= 26; c++)
    {
      g_assert_true (g_str_has_prefix (geo_pmks_get (c)->colour, "#"));
      g_assert_cmpuint (strlen (geo_pmks_get (c)->colour), ==, 7);
    }
}

static void
test_psks_lookup (void)
{
  int code = 0;

  g_assert_true (geo_psks_lookup ("TKSK", &code));
  g_assert_cmpint (code, ==, 11);
  g_assert_true (geo_psks_lookup ("Karang Taruna", &code));
  g_assert_cmpint (code, ==, 5);
  g_assert_true (geo_psks_lookup ("12", &code));
  g_assert_cmpint (code, ==, 12);
  g_assert_false (geo_psks_lookup ("13", &code));
  g_assert_false (geo_psks_lookup ("Puskesmas", &code));
}

static void
test_list (void)
{
  g_autofree int *codes = NULL;
  g_autofree int *none = NULL;
  guint n = 0;
  GError *error = NULL;

  codes = geo_parse_category_list ("24| Lansia Terlantar ,9|24", FALSE, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (codes[0], ==, 24);
  g_assert_cmpint (codes[1], ==, 8);
  g_assert_cmpint (codes[2], ==, 9);

  none = geo_parse_category_list ("", FALSE, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);

  g_assert_null (geo_parse_category_list ("24|Orang Kaya", FALSE, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Orang Kaya"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geo/categories/tables", test_tables);
  g_test_add_func ("/geo/categories/pmks-lookup", test_pmks_lookup);
  g_test_add_func ("/geo/categories/psks-lookup", test_psks_lookup);
  g_test_add_func ("/geo/categories/list", test_list);
  return g_test_run ();
}
