#include "config.h"

#include <json-glib/json-glib.h>

#include "geo-audit.h"
#include "geo-edit.h"
#include "geo-operator.h"
#include "geo-programme.h"
#include "geo-visit.h"
#include "test-workflow-common.h"

/* Deleting persons and families (docs/workflow.md "Deleting records"). Two desas of kecamatan
 * 34.02.01: family 0 in desa 2001 with three persons (PMKS 24; the first also PMKS 9), family 1
 * in desa 2002 with one. Operator siti may change desa 2001 only, rina is a planner. */
typedef struct
{
  char     *path;
  GeoStore *store;
  gint64    fam[2];
  gint64    person[4]; /* 0-2 in fam[0], 3 in fam[1] */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GError *error = NULL;

  f->path = wf_temp_db ();
  f->store = geo_store_open (f->path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->fam[0] = wf_family (f->store, "3402010101200003", "34.02.01.2001");
  f->fam[1] = wf_family (f->store, "3402010101200004", "34.02.01.2002");
  f->person[0] =
      wf_person (f->store, f->fam[0], "3402011501500001", "Sutarjo", "1950-01-15", 24, NULL);
  g_assert_true (geo_store_insert_membership (f->store, f->person[0], 9, NULL, &error));
  g_assert_no_error (error);
  f->person[1] = wf_person (f->store, f->fam[0], NULL, "Painem", "1955-03-02", 24, NULL);
  f->person[2] = wf_person (f->store, f->fam[0], NULL, "Painem", "1955-03-02", 24, NULL);
  f->person[3] = wf_person (f->store, f->fam[1], NULL, "Warga", "1960-01-01", 24, NULL);
  g_assert_cmpint (geo_operator_add (f->store, "siti", GEO_ROLE_DESA, "34.02.01.2001", &error),
                   >,
                   0);
  g_assert_cmpint (geo_operator_add (f->store, "rina", GEO_ROLE_PLANNER, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_free (f->path);
}

static gint64
count (Fixture *f, const char *sql, gint64 bind)
{
  return wf_int (f->store, sql, bind);
}

static gint64
audit_count (Fixture *f)
{
  return count (f, "SELECT count(*) FROM audit_log", 0);
}

/* Rows of @table still there, and audit entries since @since. */
#define ROWS(table) count (f, "SELECT count(*) FROM " table, 0)

static gint64
audit_entries (Fixture *f, gint64 since, const char *table, const char *action)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (f->store,
                                    "SELECT count(*) FROM audit_log WHERE id > ? AND tbl = ? AND "
                                    "action = ? AND field IS NULL",
                                    NULL);

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* The reason entry of a delete: operator, reason (new_value) and what went with it (old_value,
 * parsed). */
static JsonObject *
reason_entry (Fixture *f, const char *table, gint64 row, char **reason, char **op)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (f->store,
                                    "SELECT old_value, new_value, operator FROM audit_log WHERE "
                                    "tbl = ? AND row_id = ? AND action = 'delete' AND field = "
                                    "'reason'",
                                    NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_true (json_parser_load_from_data (parser,
                                             (const char *) sqlite3_column_text (stmt, 0),
                                             -1,
                                             &error));
  g_assert_no_error (error);
  *reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (op != NULL)
    *op = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE); /* exactly one */
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_chain_intact (Fixture *f)
{
  GeoAuditCheck check;
  GError       *error = NULL;

  g_assert_true (geo_audit_verify (f->store, &check, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (check.first_broken, ==, 0);
}

static void
test_delete_person (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) what = NULL;
  g_autofree char *reason = NULL, *op = NULL, *snapshot = NULL;
  GeoDeletion      preview, done;
  gint64           before = audit_count (f), last;

  /* The preview counts without changing anything. */
  g_assert_true (geo_edit_person_deletion (f->store, f->person[2], &preview, &error));
  g_assert_no_error (error);
  g_assert_cmpint (preview.family_id, ==, f->fam[0]);
  g_assert_cmpstr (preview.name, ==, "Painem");
  g_assert_cmpstr (preview.no_kk, ==, "3402010101200003");
  g_assert_cmpstr (preview.desa_code, ==, "34.02.01.2001");
  g_assert_cmpuint (preview.n_persons, ==, 1);
  g_assert_cmpuint (preview.n_memberships, ==, 1);
  g_assert_false (geo_deletion_has_history (&preview));
  geo_deletion_clear (&preview);
  g_assert_cmpint (audit_count (f), ==, before);

  /* A reason is required: blank is refused and nothing is written. */
  g_assert_false (geo_edit_delete_person (f->store, f->person[2], "  ", FALSE, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "needs a reason"));
  g_clear_error (&error);
  g_assert_false (geo_edit_delete_person (f->store, f->person[2], NULL, FALSE, NULL, &error));
  g_clear_error (&error);
  g_assert_cmpint (audit_count (f), ==, before);
  g_assert_cmpint (ROWS ("person"), ==, 4);

  g_assert_true (geo_edit_delete_person (f->store,
                                         f->person[2],
                                         " entered twice (same as person 2) ",
                                         FALSE,
                                         &done,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (done.person_id, ==, f->person[2]);
  g_assert_cmpuint (done.n_memberships, ==, 1);
  geo_deletion_clear (&done);
  g_assert_cmpint (count (f, "SELECT count(*) FROM person WHERE id = ?", f->person[2]), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM membership WHERE person_id = ?", f->person[2]),
                   ==,
                   0);
  g_assert_cmpint (ROWS ("person"), ==, 3);

  /* Audit: the reason entry, the membership's and the person's delete snapshots; nothing else. */
  what = reason_entry (f, "person", f->person[2], &reason, &op);
  g_assert_cmpstr (reason, ==, "entered twice (same as person 2)");
  g_assert_cmpstr (op, ==, "admin");
  g_assert_cmpint (json_object_get_int_member (what, "family_id"), ==, f->fam[0]);
  g_assert_cmpint (json_object_get_int_member (what, "memberships"), ==, 1);
  g_assert_false (json_object_get_boolean_member (what, "forced"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (what, "visit_members")),
                    ==,
                    0);
  g_assert_cmpint (audit_entries (f, before, "membership", "delete"), ==, 1);
  g_assert_cmpint (audit_entries (f, before, "person", "delete"), ==, 1);
  g_assert_cmpint (audit_count (f) - before, ==, 3);
  snapshot = wf_text (f->store,
                      "SELECT old_value FROM audit_log WHERE tbl = 'person' AND action = 'delete' "
                      "AND field IS NULL AND row_id = ?",
                      f->person[2]);
  g_assert_nonnull (strstr (snapshot, "\"name\":\"Painem\""));
  assert_chain_intact (f);

  /* Gone: a second delete says so. */
  last = audit_count (f);
  g_assert_false (geo_edit_delete_person (f->store, f->person[2], "again", FALSE, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_assert_cmpint (audit_count (f), ==, last);
}

/* A family goes with its persons, their memberships and their programme targets; every row is
 * audited, the rows no trigger logs are listed in the reason entry. */
static void
test_delete_family_cascade (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) what = NULL;
  g_autofree char *reason = NULL;
  GeoDeletion      done;
  JsonArray       *persons, *targets;
  gint64           programme, before;

  programme = geo_programme_create (f->store, "Pelangsir 2027", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(sqlite3_stmt) stmt =
                   geo_store_prepare (f->store,
                                      "INSERT INTO programme_target (programme_id, person_id) "
                                      "VALUES (?, ?)",
                                      NULL);

    sqlite3_bind_int64 (stmt, 1, programme);
    sqlite3_bind_int64 (stmt, 2, f->person[1]);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  }
  before = audit_count (f);
  g_assert_true (geo_edit_delete_family (f->store,
                                         f->fam[0],
                                         "family does not exist (musdes 2026-11-02)",
                                         FALSE,
                                         &done,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done.n_persons, ==, 3);
  g_assert_cmpuint (done.n_memberships, ==, 4);
  g_assert_cmpuint (done.n_programme_targets, ==, 1);
  g_assert_cmpstr (done.no_kk, ==, "3402010101200003");
  geo_deletion_clear (&done);

  g_assert_cmpint (count (f, "SELECT count(*) FROM family WHERE id = ?", f->fam[0]), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM person WHERE family_id = ?", f->fam[0]), ==, 0);
  g_assert_cmpint (ROWS ("membership"), ==, 1); /* family 1's */
  g_assert_cmpint (ROWS ("programme_target"), ==, 0);
  g_assert_cmpint (ROWS ("person"), ==, 1);

  /* One snapshot per deleted row: 4 memberships, 3 persons, 1 family; plus the reason. */
  g_assert_cmpint (audit_entries (f, before, "membership", "delete"), ==, 4);
  g_assert_cmpint (audit_entries (f, before, "person", "delete"), ==, 3);
  g_assert_cmpint (audit_entries (f, before, "family", "delete"), ==, 1);
  g_assert_cmpint (audit_count (f) - before, ==, 9);
  what = reason_entry (f, "family", f->fam[0], &reason, NULL);
  g_assert_cmpstr (reason, ==, "family does not exist (musdes 2026-11-02)");
  persons = json_object_get_array_member (what, "persons");
  g_assert_cmpuint (json_array_get_length (persons), ==, 3);
  g_assert_cmpint (json_array_get_int_element (persons, 0), ==, f->person[0]);
  g_assert_cmpint (json_object_get_int_member (what, "memberships"), ==, 4);
  targets = json_object_get_array_member (what, "programme_targets");
  g_assert_cmpuint (json_array_get_length (targets), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (targets, 0),
                                               "person_id"),
                   ==,
                   f->person[1]);
  /* The reason comes first, then the rows. */
  g_assert_cmpint (count (f, "SELECT min (id) FROM audit_log WHERE id > ?", before),
                   ==,
                   count (f,
                          "SELECT id FROM audit_log WHERE field = 'reason' AND tbl = 'family'",
                          0));
  assert_chain_intact (f);
}

/* A desa operator deletes inside its desa only; a refusal writes nothing. Deleting the
 * children first is what lets a scoped operator delete at all: a plain cascading DELETE of a
 * family fails in the persons' scope trigger, which no longer finds their family. */
static void
test_delete_scope (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 before;
  char  *msg = NULL;
  int    rc;

  g_assert_true (geo_operator_use (f->store, "siti", &error));
  before = audit_count (f);
  g_assert_false (
      geo_edit_delete_person (f->store, f->person[3], "duplicate", FALSE, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "operator “siti”"));
  g_assert_nonnull (strstr (error->message, "34.02.01.2002 is outside its scope"));
  g_clear_error (&error);
  g_assert_false (geo_edit_delete_family (f->store, f->fam[1], "not real", FALSE, NULL, &error));
  g_assert_nonnull (strstr (error->message, "outside its scope"));
  g_clear_error (&error);
  g_assert_cmpint (audit_count (f), ==, before);
  g_assert_cmpint (ROWS ("person"), ==, 4);

  /* The triggers alone: a cascading delete by hand fails and rolls back. */
  rc = sqlite3_exec (geo_store_get_db (f->store),
                     "DELETE FROM family WHERE desa_code = '34.02.01.2001'",
                     NULL,
                     NULL,
                     &msg);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_assert_nonnull (strstr (msg, "without a desa code"));
  sqlite3_free (msg);
  g_assert_cmpint (ROWS ("family"), ==, 2);

  /* Inside her desa: the family, its persons and memberships go, audited under her name. */
  g_assert_true (geo_edit_delete_family (f->store, f->fam[0], "KK tidak ada", FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ROWS ("family"), ==, 1);
  g_assert_cmpint (ROWS ("person"), ==, 1);
  g_assert_cmpint (count (f,
                          "SELECT count(*) FROM audit_log WHERE id > ? AND operator = 'siti' AND "
                          "action = 'delete'",
                          before),
                   ==,
                   9);
  assert_chain_intact (f);
}

static void
insert_round_stop (Fixture *f, gint64 family)
{
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (f->store),
                                 "INSERT INTO round (id, depot_lon, depot_lat, n_teams, n_days, "
                                 "day_start_min, day_end_min, visit_min, cost_model) VALUES "
                                 "(1, 110.3, -7.9, 1, 1, 480, 960, 20, 'geodesic')",
                                 NULL,
                                 NULL,
                                 NULL),
                   ==,
                   SQLITE_OK);
  {
    g_autoptr(sqlite3_stmt) stmt =
                   geo_store_prepare (f->store,
                                      "INSERT INTO round_stop (round_id, family_id, status, team, "
                                      "day, seq, lon, lat) VALUES (1, ?, 'planned', 1, 1, 1, "
                                      "110.35, -7.9)",
                                      NULL);

    sqlite3_bind_int64 (stmt, 1, family);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  }
}

/* Visits, member presence codes and round stops are history: refused unless forced, and only
 * a planner or an administrator may force. */
static void
test_delete_history (Fixture *f, gconstpointer data)
{
  GeoVisitMember member = { .person_id = 0, .code = GEO_MEMBER_LIVES_HERE };
  GeoVisitRecord v = {
    .family_id = 0, .date = "2026-03-01", .team = "Tim A", .outcome = GEO_VISIT_FOUND
  };
  GeoVisitResult r;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) what = NULL;
  g_autofree char *reason = NULL;
  GeoDeletion      preview;
  JsonArray       *codes;
  gint64           before;

  member.person_id = f->person[2];
  v.family_id = f->fam[0];
  v.members = &member;
  v.n_members = 1;
  g_assert_true (geo_visit_log (f->store, &v, &r, &error));
  g_assert_no_error (error);
  insert_round_stop (f, f->fam[0]);

  g_assert_true (geo_edit_family_deletion (f->store, f->fam[0], &preview, &error));
  g_assert_cmpuint (preview.n_visits, ==, 1);
  g_assert_cmpuint (preview.n_visit_members, ==, 1);
  g_assert_cmpuint (preview.n_round_stops, ==, 1);
  g_assert_true (geo_deletion_has_history (&preview));
  geo_deletion_clear (&preview);

  before = audit_count (f);
  /* The person recorded in the visit: refused, with the merge hint. */
  g_assert_false (geo_edit_delete_person (f->store, f->person[2], "dup", FALSE, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 member presence code(s) recorded in visits"));
  g_assert_nonnull (strstr (error->message, "merge"));
  g_clear_error (&error);
  /* The family: refused, naming visits and round stops. */
  g_assert_false (geo_edit_delete_family (f->store, f->fam[0], "not real", FALSE, NULL, &error));
  g_assert_nonnull (strstr (error->message, "1 home visit(s)"));
  g_assert_nonnull (strstr (error->message, "1 stop(s) of planned rounds"));
  g_clear_error (&error);
  /* A person without visit codes in the same family is not history: deleted. */
  g_assert_true (
      geo_edit_delete_person (f->store, f->person[1], "entered twice", FALSE, NULL, &error));
  g_assert_no_error (error);
  before = audit_count (f);

  /* Forcing: not for a desa operator. */
  g_assert_true (geo_operator_use (f->store, "siti", &error));
  g_assert_false (geo_edit_delete_family (f->store, f->fam[0], "not real", TRUE, NULL, &error));
  g_assert_nonnull (strstr (error->message, "only a planner or an administrator"));
  g_clear_error (&error);
  g_assert_cmpint (audit_count (f), ==, before);

  /* A planner forces: visits, codes and the stop go, listed in the reason entry. */
  g_assert_true (geo_operator_use (f->store, "rina", &error));
  g_assert_true (geo_edit_delete_family (f->store, f->fam[0], "not real", TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ROWS ("visit"), ==, 0);
  g_assert_cmpint (ROWS ("visit_member"), ==, 0);
  g_assert_cmpint (ROWS ("round_stop"), ==, 0);
  g_assert_cmpint (ROWS ("round"), ==, 1);
  g_assert_cmpint (audit_entries (f, before, "visit", "delete"), ==, 1);
  g_assert_cmpint (audit_entries (f, before, "person", "delete"), ==, 2);
  what = reason_entry (f, "family", f->fam[0], &reason, NULL);
  g_assert_true (json_object_get_boolean_member (what, "forced"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (what, "visits")), ==, 1);
  codes = json_object_get_array_member (what, "visit_members");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (codes, 0),
                                               "person_id"),
                   ==,
                   f->person[2]);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (what, "round_stops")),
                    ==,
                    1);
  assert_chain_intact (f);
}

static void
test_delete_cli (Fixture *f, gconstpointer data)
{
  const char      *db = f->path;
  g_autofree char *p2 = g_strdup_printf ("%" G_GINT64_FORMAT, f->person[2]);
  g_autofree char *p3 = g_strdup_printf ("%" G_GINT64_FORMAT, f->person[3]);
  g_autofree char *fam0 = g_strdup_printf ("%" G_GINT64_FORMAT, f->fam[0]);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GeoVisitRecord v = {
    .family_id = 0, .date = "2026-03-01", .team = "Tim A", .outcome = GEO_VISIT_NOT_AT_HOME
  };
  GeoVisitResult r;
  JsonObject    *o;
  char          *out = NULL, *err = NULL;

  /* --help, a missing reason, an unknown kind: usage (2). */
  {
    const char *args[] = { "delete", "--help", NULL };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "--reason"));
    g_assert_nonnull (strstr (out, "--force"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "delete", "person", db, p2, NULL };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--reason"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "delete", "house", db, p2, "--reason", "x", NULL };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpint (ROWS ("person"), ==, 4);

  /* Person 3 as siti: outside her desa (1), nothing deleted. */
  {
    const char *args[] = {
      "delete", "person", db, p3, "--reason", "dup", "--operator", "siti", NULL
    };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "outside its scope"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpint (ROWS ("person"), ==, 4);

  /* Person 2 as siti, JSON: what went, the NIK and name masked. */
  {
    const char *args[] = { "delete",        "person",     db,     p2,       "--reason",
                           "entered twice", "--operator", "siti", "--json", NULL };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (o, "deleted"), ==, "person");
    g_assert_cmpint (json_object_get_int_member (o, "id"), ==, f->person[2]);
    g_assert_cmpint (json_object_get_int_member (o, "family_id"), ==, f->fam[0]);
    g_assert_cmpint (json_object_get_int_member (o, "memberships"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "P.");
    g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "entered twice");
    g_assert_cmpstr (json_object_get_string_member (o, "operator"), ==, "siti");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM person WHERE id = ?", f->person[2]), ==, 0);

  /* The family, after a visit: refused (1), then forced by the admin (0). */
  v.family_id = f->fam[0];
  g_assert_true (geo_visit_log (f->store, &v, &r, &error));
  g_assert_no_error (error);
  {
    const char *args[] = { "delete", "family", db, fam0, "--reason", "KK tidak ada", NULL };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "1 home visit(s)"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM family WHERE id = ?", f->fam[0]), ==, 1);
  {
    const char *args[] = {
      "delete", "family", db, fam0, "--reason", "KK tidak ada", "--force", NULL
    };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "family "));
    g_assert_nonnull (strstr (out, "3402********0003"));
    g_assert_nonnull (strstr (out, "2 person(s)"));
    g_assert_nonnull (strstr (out, "1 visit(s)"));
    g_assert_null (strstr (out, "3402010101200003"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM family WHERE id = ?", f->fam[0]), ==, 0);
  g_assert_cmpint (ROWS ("person"), ==, 1);
  g_assert_cmpint (ROWS ("visit"), ==, 0);
  /* Not found: 1. */
  {
    const char *args[] = { "delete", "family", db, fam0, "--reason", "again", NULL };

    g_assert_cmpint (wf_cli (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "No family with id"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  assert_chain_intact (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
  g_test_add ("/delete/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("person", test_delete_person);
  ADD ("family-cascade", test_delete_family_cascade);
  ADD ("scope", test_delete_scope);
  ADD ("history", test_delete_history);
  ADD ("cli", test_delete_cli);
  return g_test_run ();
}
