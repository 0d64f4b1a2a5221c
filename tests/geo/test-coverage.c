#include "config.h"

#include "geo-coverage.h"
#include "geo-programme.h"
#include "geo-visit.h"
#include "geo-workflow.h"
#include "test-workflow-common.h"

/* A constructed programme whose coverage is computed by hand (docs/coverage.md):
 *
 *   Pelangsir Massal 2027, category 9, from 2027-01-01.
 *   Phase 1 "Pilot" 2027-02-01..2027-03-31, phase 2 "Perluasan" from 2027-04-01.
 *   Areas: kecamatan 34.02.01 (Pilot); desa 34.02.01.2003 with a target count of 3;
 *          desa 34.02.02.2001 (Perluasan) with a target count of 2.
 *   Listed targets: the category-9 persons of 34.02.01 (p1-p8; p6-p8 live in the count desa).
 *
 *   desa 2001: family A (p1 with NIK, p2), B (p3), H (p10, category 24, not a target)
 *   desa 2002: C (p4 with NIK), D (p5)
 *   desa 2003: E (p6, p7), F (p8)
 *   34.02.02.2001: G (p9, p11 category 24)
 *
 *   Visits: A 01-15 found (before the pilot: ignored), 02-10 not at home, 02-20 found with p2
 *   moved; B 02-12 not reachable; C 04-05 found (after the pilot ended: ignored); E 02-15 found;
 *   F 03-01 moved/not found; G 04-10 found; H 02-11 found.
 *   Status: p1 verifikasi 02-25; p6 verifikasi 02-16, disetujui 03-10; p3 verifikasi 03-05;
 *   p9 verifikasi 04-12. NIK: p3's recorded 02-22.
 */

typedef struct
{
  char     *path;
  GeoStore *store;
  gint64    programme;
  gint64    p[12];
  gint64    fam[8];
} Fixture;

static void
area (GeoStore *store, const char *code, GeoAreaLevel level, const char *name, const char *parent)
{
  GeoAreaRecord a = {
    .code = code, .level = level, .name = name, .parent_code = parent, .population = -1
  };
  GError *error = NULL;

  geo_store_insert_area (store, &a, &error);
  g_assert_no_error (error);
}

static void
visit (Fixture *f, int fam, const char *date, int outcome, gint64 gone_person, int code)
{
  GeoVisitMember m = { .person_id = gone_person, .code = code };
  GeoVisitRecord v = { .family_id = f->fam[fam],
                       .date = date,
                       .outcome = outcome,
                       .members = gone_person > 0 ? &m : NULL,
                       .n_members = gone_person > 0 ? 1 : 0 };
  GeoVisitResult r;
  GError        *error = NULL;

  g_assert_true (geo_visit_log (f->store, &v, &r, &error));
  g_assert_no_error (error);
}

static void
status (Fixture *f, gint64 person, GeoState to, const char *date)
{
  GeoTransition t = { .to = to, .date = date };
  GError       *error = NULL;
  guint         n = 0;

  g_assert_true (geo_workflow_set_status (f->store, person, &t, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
}

static void
set_up (Fixture *f, gconstpointer data)
{
  static const char *const desa[] = { "34.02.01.2001", "34.02.01.2001", "34.02.01.2002",
                                      "34.02.01.2002", "34.02.01.2003", "34.02.01.2003",
                                      "34.02.02.2001", "34.02.01.2001" };
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  GError *error = NULL;
  guint   added = 0;
  int     seq = 0;

  f->path = wf_temp_db ();
  f->store = geo_store_open (f->path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  area (f->store, "34.02.01", GEO_AREA_KECAMATAN, "Srandakan", "34.02");
  area (f->store, "34.02.02", GEO_AREA_KECAMATAN, "Sanden", "34.02");
  area (f->store, "34.02.01.2001", GEO_AREA_DESA, "Poncosari", "34.02.01");
  area (f->store, "34.02.01.2002", GEO_AREA_DESA, "Trimurti", "34.02.01");
  area (f->store, "34.02.01.2003", GEO_AREA_DESA, "Tiga", "34.02.01");
  area (f->store, "34.02.02.2001", GEO_AREA_DESA, "Gadingsari", "34.02.02");
  for (guint i = 0; i < G_N_ELEMENTS (desa); i++)
    {
      g_autofree char *kk = g_strdup_printf ("34020100000000%02u", i);

      f->fam[i] = wf_family (f->store, kk, desa[i]);
    }
  /* index: family A=0 B=1 C=2 D=3 E=4 F=5 G=6 H=7 */
  f->p[1] = wf_person (f->store, f->fam[0], "3402011203500001", "Satu", "1950-03-12", 9, "entri");
  f->p[2] = wf_person (f->store, f->fam[0], NULL, "Dua", "1951-01-01", 9, "entri");
  f->p[3] = wf_person (f->store, f->fam[1], NULL, "Tiga", "1952-01-01", 9, "entri");
  f->p[4] = wf_person (f->store, f->fam[2], "3402011203520002", "Empat", "1952-03-12", 9, "entri");
  f->p[5] = wf_person (f->store, f->fam[3], NULL, "Lima", "1953-01-01", 9, "entri");
  f->p[6] = wf_person (f->store, f->fam[4], NULL, "Enam", "1954-01-01", 9, "entri");
  f->p[7] = wf_person (f->store, f->fam[4], NULL, "Tujuh", "1955-01-01", 9, "entri");
  f->p[8] = wf_person (f->store, f->fam[5], NULL, "Delapan", "1956-01-01", 9, "entri");
  f->p[9] = wf_person (f->store, f->fam[6], NULL, "Sembilan", "1957-01-01", 9, "entri");
  f->p[10] = wf_person (f->store, f->fam[7], NULL, "Sepuluh", "1958-01-01", 24, "entri");
  f->p[11] = wf_person (f->store, f->fam[6], NULL, "Sebelas", "1959-01-01", 24, "entri");
  /* The memberships existed long before the programme. */
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store),
                                 "UPDATE membership SET since = '2026-01-01'",
                                 NULL,
                                 NULL,
                                 NULL),
                   ==,
                   SQLITE_OK);

  f->programme =
      geo_programme_create (f->store, "Pelangsir Massal 2027", 9, "2027-01-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->programme, >, 0);
  g_assert_true (geo_programme_add_phase (f->store,
                                          f->programme,
                                          "Pilot",
                                          "2027-02-01",
                                          "2027-03-31",
                                          &seq,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 1);
  g_assert_true (geo_programme_add_phase (f->store,
                                          f->programme,
                                          "Perluasan",
                                          "2027-04-01",
                                          NULL,
                                          &seq,
                                          &error));
  g_assert_cmpint (seq, ==, 2);
  g_assert_true (
      geo_programme_add_area (f->store, f->programme, "34.02.01", "Pilot", NULL, NULL, -1, &error));
  g_assert_true (geo_programme_add_area (f->store,
                                         f->programme,
                                         "34.02.01.2003",
                                         NULL,
                                         NULL,
                                         NULL,
                                         3,
                                         &error));
  g_assert_true (
      geo_programme_add_area (f->store, f->programme, "34.02.02.2001", "2", NULL, NULL, 2, &error));
  g_assert_no_error (error);

  g_assert_true (geo_filter_add_area (filter, "34.02.01", &error));
  g_assert_true (geo_filter_add_category (filter, "9", &error));
  g_assert_true (geo_programme_add_targets (f->store,
                                            f->programme,
                                            filter,
                                            "--area 34.02.01 --category 9",
                                            &added,
                                            NULL,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 8);
  /* Adding them again adds nobody. */
  g_assert_true (
      geo_programme_add_targets (f->store, f->programme, filter, NULL, &added, NULL, &error));
  g_assert_cmpuint (added, ==, 0);

  visit (f, 0, "2027-01-15", GEO_VISIT_FOUND, 0, 0);
  visit (f, 0, "2027-02-10", GEO_VISIT_NOT_AT_HOME, 0, 0);
  visit (f, 0, "2027-02-20", GEO_VISIT_FOUND, f->p[2], GEO_MEMBER_MOVED_DOMESTIC);
  visit (f, 1, "2027-02-12", GEO_VISIT_NOT_REACHABLE, 0, 0);
  visit (f, 2, "2027-04-05", GEO_VISIT_FOUND, 0, 0);
  visit (f, 4, "2027-02-15", GEO_VISIT_FOUND, 0, 0);
  visit (f, 5, "2027-03-01", GEO_VISIT_MOVED_NOT_FOUND, 0, 0);
  visit (f, 6, "2027-04-10", GEO_VISIT_FOUND, 0, 0);
  visit (f, 7, "2027-02-11", GEO_VISIT_FOUND, 0, 0);

  status (f, f->p[1], GEO_STATE_VERIFIKASI, "2027-02-25");
  status (f, f->p[6], GEO_STATE_VERIFIKASI, "2027-02-16");
  status (f, f->p[6], GEO_STATE_DISETUJUI, "2027-03-10");
  status (f, f->p[3], GEO_STATE_VERIFIKASI, "2027-03-05");
  status (f, f->p[9], GEO_STATE_VERIFIKASI, "2027-04-12");

  {
    const char      *fields[] = { "nik" };
    const char      *values[] = { "3402011201520003" };
    g_autofree char *sql = NULL;

    g_assert_true (geo_person_set_fields (f->store, f->p[3], fields, values, 1, &error));
    g_assert_no_error (error);
    /* Recorded "today"; the test moves the record to the day the programme needs. */
    g_assert_cmpint (wf_int (f->store,
                             "SELECT count(*) FROM person_nik_history WHERE person_id = ?",
                             f->p[3]),
                     ==,
                     1);
    sql = g_strdup_printf ("UPDATE person_nik_history SET recorded_on = '2027-02-22' "
                           "WHERE person_id = %" G_GINT64_FORMAT,
                           f->p[3]);
    g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store), sql, NULL, NULL, NULL),
                     ==,
                     SQLITE_OK);
  }
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_tmp_remove_parent (f->path);
  g_free (f->path);
}

typedef struct
{
  const char *code;
  gint64      targets, visited, found, nik, verified, not_reachable;
} Expect;

static void
check_rows (GPtrArray *rows, const Expect *expect, guint n)
{
  g_assert_cmpuint (rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const GeoCoverageRow *r = rows->pdata[i];

      g_test_message ("row %s", r->code);
      g_assert_cmpstr (r->code, ==, expect[i].code);
      g_assert_cmpint (r->targets, ==, expect[i].targets);
      g_assert_cmpint (r->visited, ==, expect[i].visited);
      g_assert_cmpint (r->found, ==, expect[i].found);
      g_assert_cmpint (r->nik_recorded, ==, expect[i].nik);
      g_assert_cmpint (r->verified, ==, expect[i].verified);
      g_assert_cmpint (r->not_reachable, ==, expect[i].not_reachable);
    }
}

static GPtrArray *
compute (Fixture *f, const char *at, GeoCoverageLevel by)
{
  g_autoptr(GeoCoverage) cov = NULL;
  GError    *error = NULL;
  GPtrArray *rows;

  cov = geo_coverage_load (f->store, f->programme, NULL, &error);
  g_assert_no_error (error);
  /* p1-p8 listed, p9 in the count desa with category 9 (p11 lacks it, p10 is not listed). */
  g_assert_cmpuint (geo_coverage_get_n_persons (cov), ==, 9);
  rows = geo_coverage_compute (cov, at, by, NULL, &error);
  g_assert_no_error (error);
  return rows;
}

static void
test_by_desa (Fixture *f, gconstpointer data)
{
  /* 02-28: desa 2001: p1 found (02-20), p2 visited but moved that day, p3 not reachable (8);
   * NIK p1 and p3 (recorded 02-22); verified p1 (02-25). Desa 2002: C's visit is after the
   * pilot. Desa 2003 (count 3): p6 and p7 found, p6 verified; p8's visit is 03-01. */
  static const Expect feb28[] = {
    { "34.02.01.2001", 3, 3, 1, 2, 1, 1 },
    { "34.02.01.2002", 2, 0, 0, 1, 0, 0 },
    { "34.02.01.2003", 3, 2, 2, 0, 1, 0 },
    { "34.02.02.2001", 2, 0, 0, 0, 0, 0 },
  };
  /* 02-19: family A only "not at home" so far: p1, p2 and p3 all not reachable; p3's NIK and
   * p1's verification are later. */
  static const Expect feb19[] = {
    { "34.02.01.2001", 3, 3, 0, 1, 0, 3 },
    { "34.02.01.2002", 2, 0, 0, 1, 0, 0 },
    { "34.02.01.2003", 3, 2, 2, 0, 1, 0 },
    { "34.02.02.2001", 2, 0, 0, 0, 0, 0 },
  };
  /* 04-30: the pilot window ended 03-31 (C's 04-05 visit never counts); p3 verified 03-05;
   * p8 visited (moved); the expansion desa: p9 found 04-10, verified 04-12. */
  static const Expect apr30[] = {
    { "34.02.01.2001", 3, 3, 1, 2, 2, 1 },
    { "34.02.01.2002", 2, 0, 0, 1, 0, 0 },
    { "34.02.01.2003", 3, 3, 2, 0, 1, 0 },
    { "34.02.02.2001", 2, 1, 1, 0, 1, 0 },
  };
  /* Before the programme's windows opened nothing is visited (the 01-15 visit is outside). */
  static const Expect jan31[] = {
    { "34.02.01.2001", 3, 0, 0, 1, 0, 0 },
    { "34.02.01.2002", 2, 0, 0, 1, 0, 0 },
    { "34.02.01.2003", 3, 0, 0, 0, 0, 0 },
    { "34.02.02.2001", 2, 0, 0, 0, 0, 0 },
  };
  g_autoptr(GPtrArray) a = compute (f, "2027-02-28", GEO_COVERAGE_BY_DESA);
  g_autoptr(GPtrArray) b = compute (f, "2027-02-19", GEO_COVERAGE_BY_DESA);
  g_autoptr(GPtrArray) c = compute (f, "2027-04-30", GEO_COVERAGE_BY_DESA);
  g_autoptr(GPtrArray) d = compute (f, "2027-01-31", GEO_COVERAGE_BY_DESA);

  check_rows (a, feb28, G_N_ELEMENTS (feb28));
  check_rows (b, feb19, G_N_ELEMENTS (feb19));
  check_rows (c, apr30, G_N_ELEMENTS (apr30));
  check_rows (d, jan31, G_N_ELEMENTS (jan31));
  g_assert_cmpstr (((GeoCoverageRow *) a->pdata[0])->name, ==, "Poncosari");
  g_assert_true (((GeoCoverageRow *) a->pdata[2])->count_target);
  g_assert_false (((GeoCoverageRow *) a->pdata[0])->count_target);
  g_assert_cmpint (geo_coverage_row_gap (a->pdata[2]), ==, 1);
  g_assert_cmpfloat_with_epsilon (geo_coverage_percent (1, 3), 100.0 / 3.0, 1e-9);
}

static void
test_by_kecamatan (Fixture *f, gconstpointer data)
{
  static const Expect feb28[] = {
    { "34.02.01", 8, 5, 3, 3, 2, 1 },
    { "34.02.02", 2, 0, 0, 0, 0, 0 },
  };
  g_autoptr(GPtrArray) rows = compute (f, "2027-02-28", GEO_COVERAGE_BY_KECAMATAN);
  g_autoptr(GeoCoverageRow) total = NULL;

  check_rows (rows, feb28, G_N_ELEMENTS (feb28));
  g_assert_cmpstr (((GeoCoverageRow *) rows->pdata[0])->name, ==, "Srandakan");
  total = geo_coverage_rows_total (rows);
  g_assert_cmpint (total->targets, ==, 10);
  g_assert_cmpint (total->visited, ==, 5);
}

static void
test_remaining (Fixture *f, gconstpointer data)
{
  g_autoptr(GeoCoverage) cov = geo_coverage_load (f->store, f->programme, NULL, NULL);
  g_autoptr(GArray) rem = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  GError          *error = NULL;

  rem = geo_coverage_remaining (cov, "2027-02-28", "34.02.01", &error);
  g_assert_no_error (error);
  /* p2 (moved), p3 (not reachable), p4 and p5 (not visited); p1 was found. */
  g_assert_cmpuint (rem->len, ==, 4);
  g_assert_cmpint (g_array_index (rem, GeoCoverageRemaining, 0).person_id, ==, f->p[2]);
  g_assert_cmpint (g_array_index (rem, GeoCoverageRemaining, 0).last_outcome, ==, 1);
  g_assert_cmpint (g_array_index (rem, GeoCoverageRemaining, 1).person_id, ==, f->p[3]);
  g_assert_cmpint (g_array_index (rem, GeoCoverageRemaining, 1).last_outcome, ==, 8);
  g_assert_cmpint (g_array_index (rem, GeoCoverageRemaining, 2).person_id, ==, f->p[4]);
  g_assert_cmpint (g_array_index (rem, GeoCoverageRemaining, 2).last_outcome, ==, 0);
  g_assert_cmpstr (g_array_index (rem, GeoCoverageRemaining, 3).desa_code, ==, "34.02.01.2002");

  rows = geo_coverage_compute (cov, "2027-02-28", GEO_COVERAGE_BY_DESA, "34.02.02", &error);
  g_assert_cmpuint (rows->len, ==, 1);

  g_assert_true (geo_coverage_get_date_range (cov, &first, &last));
  g_assert_cmpstr (first, ==, "2027-01-15"); /* family A's visit before the pilot */
  g_assert_cmpstr (last, ==, "2027-04-12");

  g_assert_null (geo_coverage_compute (cov, "2027-02-30", GEO_COVERAGE_BY_DESA, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_history_dates (Fixture *f, gconstpointer data)
{
  g_autofree char *closed = wf_text (f->store,
                                     "SELECT effective_date FROM membership_history WHERE "
                                     "person_id = ? AND to_status = 'ditutup'",
                                     f->p[2]);

  /* A visit's effect takes the visit date, not the day it was typed in. */
  g_assert_cmpstr (closed, ==, "2027-02-20");
  /* Programme edits are audited: 1 programme, 2 phases, 3 areas, 2 target summaries. */
  g_assert_cmpint (wf_int (f->store, "SELECT count(*) FROM audit_log WHERE tbl = 'programme'", 0),
                   ==,
                   1);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE tbl = 'programme_phase'",
                           0),
                   ==,
                   2);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE tbl = 'programme_area'",
                           0),
                   ==,
                   3);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE tbl = 'programme_target'",
                           0),
                   ==,
                   2);
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  GError *error = NULL;
  gint64  id = 0;

  g_assert_cmpint (geo_programme_create (f->store, "Pelangsir Massal 2027", 0, NULL, NULL, &error),
                   ==,
                   0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (geo_programme_create (f->store, "X", 0, "2027-05-01", "2027-04-01", &error),
                   ==,
                   0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (
      geo_programme_add_area (f->store, f->programme, "34.02.01", NULL, NULL, NULL, 5, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (
      geo_programme_add_area (f->store, f->programme, "34.2.1", NULL, NULL, NULL, -1, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (geo_programme_add_area (f->store,
                                          f->programme,
                                          "34.02.03",
                                          "Tahap 9",
                                          NULL,
                                          NULL,
                                          -1,
                                          &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (geo_programme_lookup (f->store, "Tidak Ada", &id, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Pelangsir Massal 2027"));
  g_clear_error (&error);
  g_assert_true (geo_programme_lookup (f->store, "pelangsir massal 2027", &id, &error));
  g_assert_cmpint (id, ==, f->programme);
  /* A desa operator may not edit programmes. */
  g_assert_cmpint (geo_operator_add (f->store, "siti", GEO_ROLE_DESA, "34.02.01.2001", &error),
                   >,
                   0);
  g_assert_true (geo_operator_use (f->store, "siti", &error));
  g_assert_cmpint (geo_programme_create (f->store, "Y", 0, NULL, NULL, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
}

/* The CLI on the same programme: the table, --at, --by, the files and the reports. */
static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *csv = g_build_filename (dir, "c.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "c.json", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "c.xlsx", NULL);
  g_autofree char *pdf = g_build_filename (dir, "c.pdf", NULL);
  g_autofree char *bnba = g_build_filename (dir, "b.csv", NULL);
  g_autofree char *bnba_pdf = g_build_filename (dir, "b.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store); /* the CLI opens the file itself */
  {
    const char      *args[] = { "coverage", f->path,      "--programme", "Pelangsir Massal 2027",
                                "--at",     "2027-02-28", "--by",        "kecamatan",
                                NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    /* Srandakan: 8 targets, 5 visited (62.5 %), 3 found (37.5 %), 3 NIK, 2 verified, 1 not
     * reachable, gap 3. */
    g_assert_nonnull (strstr (out,
                              "34.02.01      Srandakan                 8*       5  62.5%       3  "
                              "37.5%       3  37.5%       2  25.0%       1  12.5%      3"));
  }
  {
    const char      *args[] = { "coverage",   f->path, "--programme", "1", "--at",
                                "2027-04-30", "--out", csv,           NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
    g_assert_nonnull (strstr (text, "34.02.02.2001,Gadingsari,2,1,50,1,50,0,0,1,50,0,0,1\n"));
    g_assert_nonnull (strstr (text, ",Total,10,7,70,4,40,3,30,4,40,1,10,3\n"));
    g_clear_pointer (&text, g_free);
  }
  {
    const char      *args[] = { "coverage",   f->path, "--programme", "1", "--at",
                                "2027-02-19", "--out", json,          NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (json, &text, NULL, &error));
    g_assert_nonnull (strstr (text, "\"programme\": \"Pelangsir Massal 2027\""));
    g_assert_nonnull (strstr (text,
                              "\"code\": \"34.02.01.2001\", \"name\": \"Poncosari\", "
                              "\"target_count\": false, \"targets\": 3, \"visited\": 3, "
                              "\"visited_pct\": 100.0, \"found\": 0"));
    g_clear_pointer (&text, g_free);
  }
  {
    const char      *args[] = { "coverage", f->path, "--programme", "1", "--out", xlsx, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));
  }
  {
    const char *args[] = { "report",   "coverage", f->path,      "--programme", "1", "--kecamatan",
                           "34.02.01", "--at",     "2027-02-28", "--out",       pdf, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (pdf, &text, NULL, &error));
    g_assert_true (g_str_has_prefix (text, "%PDF"));
    g_clear_pointer (&text, g_free);
  }
  {
    /* A daily series: the figures of 02-19 checked above, summed per kecamatan. */
    g_autofree char *series = g_build_filename (dir, "s.csv", NULL);
    const char      *args[] = { "coverage",  f->path,  "--programme", "1",    "--by",
                                "kecamatan", "--from", "2027-02-18",  "--at", "2027-02-20",
                                "--out",     series,   NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (series, &text, NULL, &error));
    g_assert_nonnull (strstr (text, "\n2027-02-19,34.02.01,Srandakan,8,5,2,2,1,3,3\n"));
    g_assert_nonnull (strstr (text, "\n2027-02-20,34.02.02,Sanden,2,0,0,0,0,0,2\n"));
    g_assert_null (strstr (text, "2027-02-21"));
    g_clear_pointer (&text, g_free);
  }
  {
    /* BNBA of desa 2001 today: p1 and p3 verified (p2 closed); masked unless asked. */
    const char *args[] = {
      "report", "bnba", f->path, "--desa", "34.02.01.2001", "--out", bnba, NULL
    };
    const char      *full[] = { "report",
                                "bnba",
                                f->path,
                                "--desa",
                                "34.02.01.2001",
                                "--out",
                                bnba,
                                "--include-personal-data",
                                NULL };
    const char      *pdf_args[] = { "report",        "bnba",  f->path,  "--desa",
                                    "34.02.01.2001", "--out", bnba_pdf, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (bnba, &text, NULL, &error));
    g_assert_null (strstr (text, "Satu"));
    g_assert_null (strstr (text, "3402011203500001"));
    g_assert_nonnull (strstr (text, "\n1,"));
    g_assert_nonnull (strstr (text, "\n2,"));
    g_assert_null (strstr (text, "\n3,"));
    g_clear_pointer (&text, g_free);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (full, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (bnba, &text, NULL, &error));
    g_assert_nonnull (strstr (text, "3402011203500001,Satu,"));
    g_assert_nonnull (strstr (text, ",Tiga,"));
    g_clear_pointer (&text, g_free);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (pdf_args, &out, &err), ==, 0);
  }
  {
    const char *bad_date[] = {
      "coverage", f->path, "--programme", "1", "--at", "2027-13-01", NULL
    };
    const char *no_prog[] = { "coverage", f->path, "--programme", "Nope", NULL };
    const char *bad_ext[] = { "coverage", f->path, "--programme", "1", "--out", "x.shp", NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (bad_date, &out, &err), !=, 0);
    g_assert_nonnull (strstr (err, "not a date"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (no_prog, &out, &err), !=, 0);
    g_assert_nonnull (strstr (err, "No programme “Nope” (known: “Pelangsir Massal 2027”)"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (bad_ext, &out, &err), !=, 0);
    g_assert_nonnull (strstr (err, "use .csv, .xlsx or .json"));
  }
  {
    const char *create[] = { "programme", "create",     f->path, "Verivali 2028",
                             "--start",   "2028-01-01", NULL };
    const char *phase[] = { "programme", "add-phase", f->path,      "Verivali 2028",
                            "Pilot",     "--start",   "2028-01-01", NULL };
    const char *area_args[] = { "programme", "add-area", f->path, "Verivali 2028",
                                "34.02.02",  "--phase",  "Pilot", NULL };
    const char *targets[] = { "programme", "add-targets", f->path, "Verivali 2028",
                              "--area",    "34.02.02",    NULL };
    const char *show[] = { "programme", "show", f->path, "Verivali 2028", "--json", NULL };
    const char *add_op[] = { "operator", "add",     f->path,         "siti", "--role",
                             "desa",     "--scope", "34.02.01.2001", NULL };
    const char *desa_op[] = { "programme", "create", f->path, "X", "--operator", "siti", NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (wf_cli (create, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (phase, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (area_args, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (targets, &out, &err), ==, 0);
    /* p9 and p11 live in 34.02.02. */
    g_assert_cmpstr (out, ==, "2 target persons added\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (show, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "\"listed_targets\" : 2"));
    g_assert_nonnull (strstr (out, "\"code\" : \"34.02.02\""));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (add_op, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (wf_cli (desa_op, &out, &err), !=, 0);
    g_assert_nonnull (strstr (err, "may not edit programmes"));
  }
}

/* A version-4 project with status history migrates: old history rows take the day they were
 * written as their effective date, new changes their --date. */
static void
test_migration (void)
{
  g_autofree char *path = wf_temp_db ();
  g_autoptr(GeoStore) store = NULL;
  GError *error = NULL;
  gint64  fam, person;
  guint   n = 0;

  store = geo_store_open_at_version (path, 4, &error);
  g_assert_no_error (error);
  fam = wf_family (store, "3402010000000099", "34.02.01.2001");
  person = wf_person (store, fam, NULL, "Lama", "1950-01-01", 9, "entri");
  {
    GeoTransition t = { .to = GEO_STATE_VERIFIKASI, .date = "2025-05-05" };

    g_assert_true (geo_workflow_set_status (store, person, &t, &n, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&store);

  store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_store_get_schema_version (store), ==, GEO_STORE_SCHEMA_VERSION);
  {
    g_autofree char *written =
        wf_text (store, "SELECT substr (at, 1, 10) FROM membership_history", 0);
    g_autofree char *eff = wf_text (store, "SELECT effective_date FROM membership_history", 0);

    g_assert_cmpstr (eff, ==, written);
  }
  {
    GeoTransition    t = { .to = GEO_STATE_DISETUJUI, .date = "2025-06-06" };
    g_autofree char *eff = NULL;

    g_assert_true (geo_workflow_set_status (store, person, &t, &n, &error));
    g_assert_no_error (error);
    eff = wf_text (store,
                   "SELECT effective_date FROM membership_history WHERE to_status = 'disetujui'",
                   0);
    g_assert_cmpstr (eff, ==, "2025-06-06");
  }
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM programme", 0), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/geo/coverage/by-desa", Fixture, NULL, set_up, test_by_desa, tear_down);
  g_test_add ("/geo/coverage/by-kecamatan", Fixture, NULL, set_up, test_by_kecamatan, tear_down);
  g_test_add ("/geo/coverage/remaining", Fixture, NULL, set_up, test_remaining, tear_down);
  g_test_add ("/geo/coverage/history-dates", Fixture, NULL, set_up, test_history_dates, tear_down);
  g_test_add ("/geo/coverage/errors", Fixture, NULL, set_up, test_errors, tear_down);
  g_test_add ("/geo/coverage/cli", Fixture, NULL, set_up, test_cli, tear_down);
  g_test_add_func ("/geo/coverage/migration", test_migration);
  return g_test_run ();
}
