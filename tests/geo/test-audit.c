#include "config.h"

#include "geo-audit.h"
#include "geo-operator.h"
#include "geo-workflow.h"
#include "test-workflow-common.h"

/* A project with a few audited changes: 2 families, 2 persons, memberships, edits. */
static char *
make_project (gint64 *n_entries)
{
  char *path = wf_temp_db ();
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
  const char   *fields[] = { "name", "sex" };
  const char   *values[] = { "Siti Aminah", "P" };
  GeoTransition t = { .to = GEO_STATE_VERIFIKASI };
  gint64        f1, p1;

  g_assert_nonnull (store);
  f1 = wf_family (store, "3402010101200001", "34.02.01.2001");
  p1 = wf_person (store, f1, "3402014101500001", "Siti", "1950-01-01", 24, NULL);
  wf_person (store,
             wf_family (store, "3402010101200002", "34.02.01.2002"),
             NULL,
             "Budi",
             NULL,
             9,
             NULL);
  g_assert_cmpint (geo_operator_add (store, "rina", GEO_ROLE_PLANNER, NULL, NULL), >, 0);
  g_assert_true (geo_operator_use (store, "rina", NULL));
  g_assert_true (geo_person_set_fields (store, p1, fields, values, 2, NULL));
  g_assert_true (geo_workflow_set_status (store, p1, &t, NULL, NULL));
  *n_entries = wf_int (store, "SELECT count(*) FROM audit_log WHERE ?1 = ?1", 0);
  return path;
}

static void
test_entries (void)
{
  gint64           n;
  g_autofree char *path = make_project (&n);
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, NULL);
  g_autoptr(GPtrArray) entries = geo_audit_list (store, 0, NULL);
  g_autoptr(GPtrArray) last = geo_audit_list (store, 3, NULL);
  const GeoAuditEntry *e;

  /* 2 families + 2 persons + 2 memberships + operator + 2 fields + 1 status. */
  g_assert_cmpint (n, ==, 10);
  g_assert_cmpuint (entries->len, ==, 10);
  g_assert_cmpuint (last->len, ==, 3);
  e = entries->pdata[7];
  g_assert_cmpstr (e->table, ==, "person");
  g_assert_cmpstr (e->action, ==, "update");
  g_assert_cmpstr (e->field, ==, "name");
  g_assert_cmpstr (e->old_value, ==, "Siti");
  g_assert_cmpstr (e->new_value, ==, "Siti Aminah");
  g_assert_cmpstr (e->operator_name, ==, "rina");
  e = entries->pdata[0];
  g_assert_cmpstr (e->operator_name, ==, "admin");
  g_assert_cmpstr (e->prev_hash, ==, "");
  g_assert_cmpuint (strlen (e->hash), ==, 64);
  e = last->pdata[2];
  g_assert_cmpint (e->id, ==, 10);
  g_assert_cmpstr (e->field, ==, "status");
  g_assert_cmpstr (e->new_value, ==, "verifikasi");
  g_assert_cmpstr (((GeoAuditEntry *) entries->pdata[9])->prev_hash,
                   ==,
                   ((GeoAuditEntry *) entries->pdata[8])->hash);
}

static void
test_append_only (void)
{
  gint64           n;
  g_autofree char *path = make_project (&n);
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, NULL);
  sqlite3      *db = geo_store_get_db (store);
  GeoAuditCheck check;

  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE audit_log SET new_value = 'x' WHERE id = 3",
                                 NULL,
                                 NULL,
                                 NULL),
                   !=,
                   SQLITE_OK);
  g_assert_nonnull (strstr (sqlite3_errmsg (db), "append-only"));
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log WHERE id = 10", NULL, NULL, NULL),
                   !=,
                   SQLITE_OK);
  /* A forged entry (wrong hash) cannot be appended either. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO audit_log (id, at, operator, tbl, action, prev_hash, "
                                 "hash) "
                                 "SELECT 11, 'now', 'x', 'person', 'update', hash, 'forged' FROM "
                                 "audit_log WHERE id = 10",
                                 NULL,
                                 NULL,
                                 NULL),
                   !=,
                   SQLITE_OK);
  g_assert_true (geo_audit_verify (store, &check, NULL, NULL));
  g_assert_cmpint (check.n_entries, ==, 10);
  g_assert_cmpint (check.first_broken, ==, 0);
  g_assert_null (check.problem);
}

/* Tampering outside Jangkau: raw SQL after dropping the protective triggers. */
typedef struct
{
  const char *name;
  const char *sql;
  gint64      broken;
  const char *problem;
} TamperCase;

static const TamperCase tamper_cases[] = {
  { "edit-value", "UPDATE audit_log SET new_value = 'Budi' WHERE id = 8", 8, "altered" },
  { "edit-operator", "UPDATE audit_log SET operator = 'mallory' WHERE id = 4", 4, "altered" },
  { "edit-hash", "UPDATE audit_log SET hash = prev_hash WHERE id = 5", 5, "altered" },
  { "delete-middle", "DELETE FROM audit_log WHERE id = 6", 7, "missing" },
  { "rechain",
    "UPDATE audit_log SET id = 60 WHERE id = 6; UPDATE audit_log SET id = 6 WHERE id = 7; "
    "UPDATE audit_log SET id = 7 WHERE id = 60",
    6,
    "chain" },
};

static void
test_tamper (gconstpointer data)
{
  const TamperCase *c = data;
  gint64            n;
  g_autofree char  *path = make_project (&n);
  g_autofree char  *sql =
      g_strdup_printf ("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; %s",
                       c->sql);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expect = g_strdup_printf ("entry %" G_GINT64_FORMAT, c->broken);
  const char      *verify[] = { "audit", "verify", path, NULL };
  GeoAuditCheck    check;
  sqlite3         *raw = NULL;

  g_assert_cmpint (wf_cli (verify, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "intact: 10 entries"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  {
    g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_READONLY, NULL);

    g_assert_true (geo_audit_verify (store, &check, NULL, NULL));
    g_assert_cmpint (check.first_broken, ==, c->broken);
    g_assert_nonnull (strstr (check.problem, c->problem));
    g_free (check.problem);
  }
  g_assert_cmpint (wf_cli (verify, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, expect));
}

static void
test_import_summary (void)
{
  g_autofree char *path = wf_temp_db ();
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
  sqlite3 *db = geo_store_get_db (store);
  gint64   batch;

  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO import_batch (kind, source) VALUES ('households', "
                                 "'x.csv')",
                                 NULL,
                                 NULL,
                                 NULL),
                   ==,
                   SQLITE_OK);
  batch = sqlite3_last_insert_rowid (db);
  g_assert_true (geo_store_begin (store, NULL));
  for (int i = 0; i < 200; i++)
    {
      GeoFamilyRecord f = { .desa_code = "34.02.01.2001",
                            .lon = 110.3,
                            .lat = -7.9,
                            .loc_source = GEO_LOC_GPS,
                            .gps_accuracy_m = NAN,
                            .import_batch = batch };
      GeoPersonRecord p = { .name = "X", .import_batch = batch };

      p.family_id = geo_store_insert_family (store, &f, NULL);
      g_assert_true (geo_store_insert_membership (store,
                                                  geo_store_insert_person (store, &p, NULL),
                                                  24,
                                                  NULL,
                                                  NULL));
    }
  g_assert_true (geo_store_commit (store, NULL));
  g_assert_cmpint (sqlite3_exec (db, "UPDATE import_batch SET imported = 200", NULL, NULL, NULL),
                   ==,
                   SQLITE_OK);
  /* One entry when the batch starts, one for its counts; none per row. */
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM audit_log WHERE ?1 = ?1", 0), ==, 2);
  g_assert_cmpint (wf_int (store,
                           "SELECT count(*) FROM audit_log WHERE tbl = 'import_batch' AND ?1 = ?1",
                           0),
                   ==,
                   2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geo/audit/entries", test_entries);
  g_test_add_func ("/geo/audit/append-only", test_append_only);
  g_test_add_func ("/geo/audit/import-summary", test_import_summary);
  for (guint i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/geo/audit/tamper/%s", tamper_cases[i].name);

      g_test_add_data_func (p, &tamper_cases[i], test_tamper);
    }
  return g_test_run ();
}
