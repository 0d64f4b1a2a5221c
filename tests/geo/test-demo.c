#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "geo-areastats.h"
#include "geo-autocleanups.h"
#include "geo-demo.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

#define N_HOUSEHOLDS 600

static char *tmp_dir;

static GeoStore *
build_demo (const char *name, guint32 seed, guint households, GeoDemoReport *report)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  GeoDemoOptions   opts = { 0 };
  GError          *error = NULL;
  GeoStore        *store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  opts.households = households;
  opts.seed = seed;
  g_assert_true (geo_demo_build (store, &opts, report, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* SHA-256 over every row of the project's data tables, in id / key order. */
static char *
content_hash (GeoStore *store)
{
  static const char *const queries[] = {
    "SELECT code, level, name, parent_code, population, centroid_lon, centroid_lat, "
    "AsBinary (geom) FROM area ORDER BY code",
    "SELECT id, no_kk, address, rt, rw, desa_code, loc_source, gps_accuracy_m, created_at, "
    "AsBinary (geom) FROM family ORDER BY id",
    "SELECT id, family_id, nik, name, sex, birth_date, relation, created_at FROM person ORDER BY "
    "id",
    "SELECT id, person_id, code_list, category, status, since FROM membership ORDER BY id",
    "SELECT id, type, name, contact, capacity, radius_m, desa_code, AsBinary (geom) FROM resource "
    "ORDER BY id",
    "SELECT resource_id, category FROM resource_serves ORDER BY resource_id, category",
  };
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, queries[q], NULL);
      int rc;

      g_assert_nonnull (stmt);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const void *data = sqlite3_column_blob (stmt, c);
            int         len = sqlite3_column_bytes (stmt, c);
            guchar      type = sqlite3_column_type (stmt, c);

            g_checksum_update (sum, &type, 1);
            if (data != NULL)
              g_checksum_update (sum, data, len);
          }
      g_assert_cmpint (rc, ==, SQLITE_DONE);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static gint64
query_int (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_deterministic (void)
{
  GeoDemoReport r1, r2, r3;
  g_autoptr(GeoStore) a = build_demo ("a.jangkau", 42, 300, &r1);
  g_autoptr(GeoStore) b = build_demo ("b.jangkau", 42, 300, &r2);
  g_autoptr(GeoStore) c = build_demo ("c.jangkau", 43, 300, &r3);
  g_autofree char *ha = content_hash (a);
  g_autofree char *hb = content_hash (b);
  g_autofree char *hc = content_hash (c);

  g_assert_cmpuint (r1.families, ==, 300);
  g_assert_cmpuint (r1.persons, ==, r2.persons);
  g_assert_cmpstr (ha, ==, hb);
  g_assert_cmpstr (ha, !=, hc);
  geo_demo_report_clear (&r1);
  geo_demo_report_clear (&r2);
  geo_demo_report_clear (&r3);
}

static void
test_not_empty_refused (void)
{
  GeoDemoReport r;
  g_autoptr(GeoStore) store = build_demo ("twice.jangkau", 1, 10, &r);
  GeoDemoOptions opts = { .households = 10, .seed = 1 };
  GError        *error = NULL;

  geo_demo_report_clear (&r);
  g_assert_false (geo_demo_build (store, &opts, &r, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM family"), ==, 10);
  geo_demo_report_clear (&r);
}

static void
test_unknown_area (void)
{
  g_autofree char *kec = NULL, *desa = NULL;
  GError          *error = NULL;

  g_assert_false (geo_demo_find_boundaries ("atlantis", NULL, &kec, &desa, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (geo_demo_find_boundaries ("34.02", NULL, &kec, &desa, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (kec, "3402_bantul_kecamatan.geojson"));
  g_assert_true (g_str_has_suffix (desa, "3402_bantul_desa_kelurahan.geojson"));
}

/* Shared by the checks below: one demo of N_HOUSEHOLDS families. */
static GeoStore     *demo;
static GeoDemoReport demo_report;

static gboolean
all_digits (const char *s, gsize n)
{
  if (s == NULL || strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static int
num (const char *s, int len)
{
  int v = 0;

  for (int i = 0; i < len; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static void
test_nik_valid (void)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (demo,
                                    "SELECT p.nik, p.sex, p.birth_date, f.desa_code, f.no_kk "
                                    "FROM person AS p JOIN family AS f ON f.id = p.family_id",
                                    NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = 0, n_no_nik = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *nik = (const char *) sqlite3_column_text (stmt, 0);
      const char *sex = (const char *) sqlite3_column_text (stmt, 1);
      const char *birth = (const char *) sqlite3_column_text (stmt, 2);
      const char *desa = (const char *) sqlite3_column_text (stmt, 3);
      const char *kk = (const char *) sqlite3_column_text (stmt, 4);
      char        region[7] = { desa[0], desa[1], desa[3], desa[4], desa[6], desa[7], 0 };
      int         dd, mm, yy, year, month, day;

      g_assert_true (all_digits (kk, 16));
      g_assert_true (strncmp (kk, region, 6) == 0);
      g_assert_cmpint (num (kk + 12, 4), !=, 0);
      g_assert_true (g_date_valid_dmy (num (kk + 6, 2), num (kk + 8, 2), 2000 + num (kk + 10, 2)));

      g_assert_cmpint (sscanf (birth, "%d-%d-%d", &year, &month, &day), ==, 3);
      g_assert_true (g_date_valid_dmy (day, month, year));
      if (nik == NULL)
        {
          n_no_nik++;
          continue;
        }
      n++;
      g_assert_true (all_digits (nik, 16));
      /* Region: the kecamatan of the family's desa. */
      g_assert_true (strncmp (nik, region, 6) == 0);
      dd = num (nik + 6, 2);
      mm = num (nik + 8, 2);
      yy = num (nik + 10, 2);
      if (sex[0] == 'P')
        {
          g_assert_cmpint (dd, >, 40);
          dd -= 40;
        }
      else
        g_assert_cmpint (dd, <=, 31);
      g_assert_cmpint (dd, ==, day);
      g_assert_cmpint (mm, ==, month);
      g_assert_cmpint (yy, ==, year % 100);
      g_assert_true (g_date_valid_dmy (dd, mm, year));
      g_assert_cmpint (num (nik + 12, 4), !=, 0);
      g_assert_false (g_hash_table_contains (seen, nik));
      g_hash_table_add (seen, g_strdup (nik));
    }
  g_assert_cmpuint (n + n_no_nik, ==, demo_report.persons);
  g_assert_cmpuint (n_no_nik, ==, demo_report.no_nik);
  /* Some persons lack a NIK (outreach targets), but few. */
  g_assert_cmpfloat ((double) n_no_nik / demo_report.persons, >, 0.01);
  g_assert_cmpfloat ((double) n_no_nik / demo_report.persons, <, 0.12);
}

static void
test_inside_desa (void)
{
  gint64 approx =
      query_int (demo, "SELECT count(*) FROM family WHERE loc_source = 'desa_centroid'");

  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM family AS f JOIN area AS a ON a.code = "
                              "f.desa_code "
                              "WHERE a.level = 'desa' AND f.loc_source <> 'desa_centroid' "
                              "AND ST_Contains (a.geom, f.geom)"),
                   ==,
                   demo_report.families - approx);
  /* A few approximate locations, exactly at their desa's centroid. */
  g_assert_cmpint (approx, ==, demo_report.approximate);
  g_assert_cmpint (approx, >, 0);
  g_assert_cmpfloat ((double) approx / demo_report.families, <, 0.08);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM family AS f JOIN area AS a ON a.code = "
                              "f.desa_code "
                              "WHERE f.loc_source = 'desa_centroid' AND ST_X (f.geom) = "
                              "a.centroid_lon "
                              "AND ST_Y (f.geom) = a.centroid_lat"),
                   ==,
                   approx);
  /* Clustered: the median distance to the nearest other family in the same desa is far below
   * what uniform scatter over the desa would give; check through settlement RW codes instead:
   * families of one RW (settlement) lie within a few hundred metres of their mean. */
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM (SELECT desa_code, rw, "
                              " max (abs (ST_X (geom) - (SELECT avg (ST_X (g.geom)) FROM family AS "
                              "g "
                              "  WHERE g.desa_code = f.desa_code AND g.rw = f.rw "
                              "  AND g.loc_source <> 'desa_centroid'))) AS spread "
                              " FROM family AS f WHERE loc_source <> 'desa_centroid' "
                              " GROUP BY desa_code, rw) WHERE spread > 0.02"),
                   <,
                   query_int (demo, "SELECT count(DISTINCT desa_code || rw) FROM family") / 10);
}

static void
test_category_mix (void)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (demo,
                                    "SELECT category, count(*) FROM membership GROUP BY category "
                                    "ORDER BY count(*) DESC",
                                    NULL);
  gint64 families = demo_report.families;
  gint64 fm_families, multi;
  int    first;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  first = sqlite3_column_int (stmt, 0);
  g_assert_cmpint (first, ==, 24); /* fakir miskin dominates */
  fm_families =
      query_int (demo,
                 "SELECT count(DISTINCT p.family_id) FROM person AS p JOIN membership AS m "
                 "ON m.person_id = p.id WHERE m.category = 24");
  g_assert_cmpfloat ((double) fm_families / families, >, 0.6);
  g_assert_cmpfloat ((double) fm_families / families, <, 0.95);
  /* Lansia telantar, disabilitas, anak telantar, PRSE all present. */
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM membership WHERE category = 8"), >, 20);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM membership WHERE category = 9"), >, 10);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM membership WHERE category = 2"), >, 3);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM membership WHERE category = 23"), >, 10);
  /* Every family has a PMKS member; several members per family is common. */
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM family AS f WHERE NOT EXISTS (SELECT 1 FROM "
                              "person AS p JOIN membership AS m ON m.person_id = p.id "
                              "WHERE p.family_id = f.id)"),
                   ==,
                   0);
  multi =
      query_int (demo,
                 "SELECT count(*) FROM (SELECT p.family_id FROM person AS p JOIN membership AS m "
                 "ON m.person_id = p.id GROUP BY p.family_id HAVING count(DISTINCT p.id) >= 2)");
  g_assert_cmpfloat ((double) multi / families, >, 0.3);
}

static void
test_relations (void)
{
  /* Ages consistent with the relation to the head (birth dates as julian days). */
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM person AS c JOIN person AS h ON h.family_id = "
                              "c.family_id AND h.relation = 'Kepala Keluarga' WHERE c.relation = "
                              "'Anak' "
                              "AND julianday (c.birth_date) - julianday (h.birth_date) < 15 * 365"),
                   ==,
                   0);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM person AS c JOIN person AS h ON h.family_id = "
                              "c.family_id AND h.relation = 'Kepala Keluarga' WHERE c.relation = "
                              "'Cucu' "
                              "AND julianday (c.birth_date) - julianday (h.birth_date) < 30 * 365"),
                   ==,
                   0);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM person AS c JOIN person AS h ON h.family_id = "
                              "c.family_id AND h.relation = 'Kepala Keluarga' WHERE c.relation IN "
                              "('Orang Tua', 'Mertua') AND julianday (h.birth_date) - "
                              "julianday (c.birth_date) < 15 * 365"),
                   ==,
                   0);
  /* One head per family; wives are women. */
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM person WHERE relation = 'Kepala Keluarga'"),
                   ==,
                   demo_report.families);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM person WHERE relation = 'Istri' AND sex <> "
                              "'P'"),
                   ==,
                   0);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM person WHERE birth_date > '2025-01-01'"),
                   ==,
                   0);
}

static void
test_resources (void)
{
  g_assert_cmpuint (demo_report.kecamatan, ==, 17);
  g_assert_cmpuint (demo_report.desa, ==, 75);
  /* One TKSK per kecamatan, one Karang Taruna per desa, a few LKS, PSM and an LK3. */
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM resource WHERE type = 11"), ==, 17);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(DISTINCT substr (desa_code, 1, 8)) FROM resource "
                              "WHERE type = 11"),
                   ==,
                   17);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM resource WHERE type = 5"), ==, 75);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(DISTINCT desa_code) FROM resource WHERE type = 5"),
                   ==,
                   75);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM resource WHERE type = 4"), >=, 3);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM resource WHERE type = 2"), >=, 10);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM resource WHERE type = 6"), >=, 1);
  g_assert_cmpint (query_int (demo, "SELECT count(*) FROM resource WHERE radius_m IS NULL"), ==, 0);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM resource AS r JOIN area AS a ON a.code = "
                              "r.desa_code "
                              "WHERE NOT ST_Contains (a.geom, r.geom)"),
                   ==,
                   0);
  g_assert_cmpint (query_int (demo,
                              "SELECT count(*) FROM resource_serves WHERE resource_id IN "
                              "(SELECT id FROM resource WHERE type = 4)"),
                   >,
                   0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  tmp_dir = test_tmp_make_dir ("jangkau-demo-XXXXXX", NULL);
  demo = build_demo ("demo.jangkau", 7, N_HOUSEHOLDS, &demo_report);

  g_test_add_func ("/geo/demo/deterministic", test_deterministic);
  g_test_add_func ("/geo/demo/not-empty-refused", test_not_empty_refused);
  g_test_add_func ("/geo/demo/unknown-area", test_unknown_area);
  g_test_add_func ("/geo/demo/nik-valid", test_nik_valid);
  g_test_add_func ("/geo/demo/inside-desa", test_inside_desa);
  g_test_add_func ("/geo/demo/category-mix", test_category_mix);
  g_test_add_func ("/geo/demo/relations", test_relations);
  g_test_add_func ("/geo/demo/resources", test_resources);
  rc = g_test_run ();

  g_clear_object (&demo);
  geo_demo_report_clear (&demo_report);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
        g_remove (p);
      }
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
