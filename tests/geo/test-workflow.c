#include "config.h"

#include "geo-operator.h"
#include "geo-visit.h"
#include "geo-workflow.h"
#include "test-workflow-common.h"

/* Three desas in two kecamatans; one person per family with PMKS 24 (entri), plus operators:
 * siti (desa 34.02.01.2001), budi (kecamatan 34.02.01), rina (planner). */
typedef struct
{
  char     *path;
  GeoStore *store;
  gint64    fam[3];
  gint64    person[3];
} Fixture;

static const char *const desas[] = { "34.02.01.2001", "34.02.01.2002", "34.02.02.2001" };

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GError *error = NULL;

  f->path = wf_temp_db ();
  f->store = geo_store_open (f->path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *kk = g_strdup_printf ("340201010120000%u", i);
      g_autofree char *name = g_strdup_printf ("Warga %u", i);

      f->fam[i] = wf_family (f->store, kk, desas[i]);
      f->person[i] = wf_person (f->store, f->fam[i], NULL, name, "1950-01-01", 24, NULL);
    }
  g_assert_cmpint (geo_operator_add (f->store, "siti", GEO_ROLE_DESA, "34.02.01.2001", &error),
                   >,
                   0);
  g_assert_no_error (error);
  g_assert_cmpint (geo_operator_add (f->store, "budi", GEO_ROLE_KECAMATAN, "34.02.01", &error),
                   >,
                   0);
  g_assert_cmpint (geo_operator_add (f->store, "rina", GEO_ROLE_PLANNER, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_tmp_remove_parent (f->path);
  g_free (f->path);
}

static char *
status_of (Fixture *f, gint64 person)
{
  return wf_text (f->store, "SELECT status FROM membership WHERE person_id = ?", person);
}

static void
force_status (Fixture *f, gint64 person, const char *status)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (f->store,
                                    "UPDATE membership SET status = ? WHERE person_id = ?",
                                    NULL);

  g_assert_true (geo_operator_use (f->store, "admin", NULL));
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, person);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

typedef struct
{
  const char *from;
  const char *to;
  const char *op;
  const char *reason;
  gboolean    ok;
  const char *message; /* part of the refusal */
} TransitionCase;

static const TransitionCase transition_cases[] = {
  { "usulan", "musdes", "siti", NULL, TRUE, NULL },
  { "musdes", "kunjungan", "siti", NULL, TRUE, NULL },
  { "kunjungan", "entri", "siti", NULL, TRUE, NULL },
  { "entri", "verifikasi", "budi", NULL, TRUE, NULL },
  { "entri", "verifikasi", "siti", NULL, FALSE, "needs a kecamatan coordinator" },
  { "verifikasi", "disetujui", "rina", NULL, TRUE, NULL },
  { "verifikasi", "disetujui", "budi", NULL, FALSE, "needs a Dinsos planner" },
  { "disetujui", "padan", "rina", NULL, TRUE, NULL },
  { "disetujui", "perbaikan", "rina", "NIK tidak padan", TRUE, NULL },
  { "perbaikan", "entri", "siti", NULL, TRUE, NULL },
  { "entri",
    "disetujui",
    "admin",
    NULL,
    FALSE,
    "cannot go from entri (operator entry) to disetujui (approval); allowed next states: "
    "verifikasi, ditutup" },
  { "usulan", "padan", "admin", NULL, FALSE, "allowed next states: musdes, ditutup" },
  { "padan", "entri", "admin", NULL, FALSE, "allowed next states: verifikasi, ditutup" },
  { "entri", "ditutup", "siti", "meninggal", TRUE, NULL },
  { "entri", "ditutup", "siti", NULL, FALSE, "needs a reason" },
  { "entri", "ditutup", "siti", "bored", FALSE, "needs a reason" },
  { "disetujui", "ditutup", "siti", "moved", TRUE, NULL },
  { "ditutup", "usulan", "rina", NULL, TRUE, NULL },
  { "ditutup", "entri", "admin", NULL, FALSE, "allowed next states: usulan" },
};

static void
test_transitions (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (transition_cases); i++)
    {
      const TransitionCase *c = &transition_cases[i];
      GeoTransition         t = { .category = 24, .reason = c->reason };
      g_autofree char      *after = NULL;
      GError               *error = NULL;
      guint                 n = 0;
      gboolean              ok;

      g_test_message ("%s -> %s by %s", c->from, c->to, c->op);
      force_status (f, f->person[0], c->from);
      g_assert_true (geo_state_from_string (c->to, &t.to));
      g_assert_true (geo_operator_use (f->store, c->op, NULL));
      ok = geo_workflow_set_status (f->store, f->person[0], &t, &n, &error);
      after = status_of (f, f->person[0]);
      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (n, ==, 1);
          g_assert_cmpstr (after, ==, c->to);
        }
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, c->message));
          g_assert_cmpstr (after, ==, c->from);
          g_clear_error (&error);
        }
    }
}

static void
test_close_records_reason_and_history (Fixture *f, gconstpointer data)
{
  GeoTransition    t = { .to = GEO_STATE_DITUTUP, .reason = "deceased", .date = "2026-03-01" };
  g_autofree char *reason = NULL;
  g_autofree char *until = NULL;
  g_autofree char *op = NULL;
  GError          *error = NULL;

  g_assert_true (geo_operator_use (f->store, "siti", NULL));
  g_assert_true (geo_workflow_set_status (f->store, f->person[0], &t, NULL, &error));
  g_assert_no_error (error);
  reason = wf_text (f->store, "SELECT reason FROM membership WHERE person_id = ?", f->person[0]);
  until = wf_text (f->store, "SELECT until FROM membership WHERE person_id = ?", f->person[0]);
  op = wf_text (f->store,
                "SELECT operator FROM membership_history WHERE person_id = ? AND to_status = "
                "'ditutup'",
                f->person[0]);
  g_assert_cmpstr (reason, ==, "meninggal");
  g_assert_cmpstr (until, ==, "2026-03-01");
  g_assert_cmpstr (op, ==, "siti");
}

static void
test_bulk (Fixture *f, gconstpointer data)
{
  const char   *areas[] = { "34.02.01.2001", NULL };
  GeoTransition t = { .to = GEO_STATE_DISETUJUI, .decree = "460/12/2026" };
  gint64        extra;
  GError       *error = NULL;
  guint         n = 0;

  /* Two verifikasi persons in 2001 (one with two categories), one in 2002. */
  extra = wf_person (f->store, f->fam[0], NULL, "Tambahan", "1960-02-02", 9, "verifikasi");
  g_assert_true (geo_store_insert_membership (f->store, extra, 24, "verifikasi", NULL));
  force_status (f, f->person[0], "verifikasi");
  force_status (f, f->person[1], "verifikasi");

  /* A kecamatan coordinator may not approve: nothing moves. */
  g_assert_true (geo_operator_use (f->store, "budi", NULL));
  g_assert_false (geo_workflow_bulk (f->store, GEO_STATE_VERIFIKASI, areas, &t, &n, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM membership WHERE status = 'disetujui' AND ?1 = ?1",
                           0),
                   ==,
                   0);

  g_assert_true (geo_operator_use (f->store, "rina", NULL));
  g_assert_true (geo_workflow_bulk (f->store, GEO_STATE_VERIFIKASI, areas, &t, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM membership WHERE status = 'disetujui' AND decree "
                           "= '460/12/2026' AND ?1 = ?1",
                           0),
                   ==,
                   3);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM membership WHERE person_id = ? AND status = "
                           "'verifikasi'",
                           f->person[1]),
                   ==,
                   1);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM membership_history WHERE to_status = 'disetujui' "
                           "AND ?1 = ?1",
                           0),
                   ==,
                   3);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE action = 'bulk' AND ?1 = ?1",
                           0),
                   ==,
                   1);

  /* A desa operator's bulk defaults to its scope and refuses other areas. */
  areas[0] = "34.02.01.2002";
  t.to = GEO_STATE_DITUTUP;
  t.reason = "mampu";
  g_assert_true (geo_operator_use (f->store, "siti", NULL));
  g_assert_false (geo_workflow_bulk (f->store, GEO_STATE_VERIFIKASI, areas, &t, &n, &error));
  g_assert_nonnull (strstr (error->message, "outside its scope"));
  g_clear_error (&error);
  n = 0;
  g_assert_true (geo_workflow_bulk (f->store, GEO_STATE_DISETUJUI, NULL, &t, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
}

typedef struct
{
  const char *op;
  int         family; /* index */
  gboolean    ok;
} ScopeCase;

static const ScopeCase scope_cases[] = {
  { "siti", 0, TRUE }, { "siti", 1, FALSE }, { "siti", 2, FALSE }, { "budi", 0, TRUE },
  { "budi", 1, TRUE }, { "budi", 2, FALSE }, { "rina", 2, TRUE },  { "admin", 1, TRUE },
};

static void
test_scope (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (scope_cases); i++)
    {
      const ScopeCase *c = &scope_cases[i];
      g_autofree char *value = g_strdup_printf ("Nama %u", i);
      const char      *fields[] = { "name" };
      const char      *values[] = { value };
      g_autofree char *name = NULL;
      GeoVisitRecord   v = { .family_id = f->fam[c->family],
                             .date = "2026-05-01",
                             .outcome = GEO_VISIT_REFUSED };
      GeoVisitResult   r;
      GError          *error = NULL;
      gint64           visits_before =
          wf_int (f->store, "SELECT count(*) FROM visit WHERE family_id = ?", f->fam[c->family]);

      g_test_message ("%s on %s", c->op, desas[c->family]);
      g_assert_true (geo_operator_use (f->store, c->op, NULL));
      g_assert_cmpint (geo_person_set_fields (f->store,
                                              f->person[c->family],
                                              fields,
                                              values,
                                              1,
                                              &error),
                       ==,
                       c->ok);
      name = wf_text (f->store, "SELECT name FROM person WHERE id = ?", f->person[c->family]);
      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (name, ==, value);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, "outside its scope"));
          g_assert_nonnull (strstr (error->message, desas[c->family]));
          g_assert_cmpstr (name, !=, value);
          g_clear_error (&error);
        }
      /* Visits obey the same scope. */
      g_assert_cmpint (geo_visit_log (f->store, &v, &r, &error), ==, c->ok);
      g_assert_cmpint (wf_int (f->store,
                               "SELECT count(*) FROM visit WHERE family_id = ?",
                               f->fam[c->family]),
                       ==,
                       visits_before + (c->ok ? 1 : 0));
      g_clear_error (&error);
    }

  /* Only an administrator adds operators. */
  {
    GError *error = NULL;

    g_assert_true (geo_operator_use (f->store, "rina", NULL));
    g_assert_cmpint (geo_operator_add (f->store, "x", GEO_ROLE_DESA, "34.02.01.2002", &error),
                     <,
                     0);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (geo_operator_use (f->store, "admin", NULL));
    g_assert_cmpint (geo_operator_add (f->store, "x", GEO_ROLE_DESA, "34.02.01", &error), <, 0);
    g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (geo_operator_use (f->store, "nobody", &error));
    g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
}

typedef struct
{
  const char *field;
  const char *value;
  gboolean    ok;
  const char *stored;
} FieldCase;

static const FieldCase field_cases[] = {
  { "name", "Siti Aminah", TRUE, "Siti Aminah" },
  { "name", "  ", FALSE, NULL },
  { "sex", "p", TRUE, "P" },
  { "sex", "X", FALSE, NULL },
  { "birth_date", "1951-02-28", TRUE, "1951-02-28" },
  { "birth_date", "1951-02-30", FALSE, NULL },
  { "birth_date", "2999-01-01", FALSE, NULL },
  { "nik", "3402016802510001", TRUE, "3402016802510001" },
  { "nik", "34020168025100", FALSE, NULL },
  { "nik", "34020168025100AB", FALSE, NULL },
  { "relation", "istri", TRUE, "istri" },
  { "religion", "x", FALSE, NULL },
};

static void
test_person_set (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      const FieldCase *c = &field_cases[i];
      const char      *fields[] = { c->field };
      const char      *values[] = { c->value };
      GError          *error = NULL;

      g_test_message ("%s=%s", c->field, c->value);
      g_assert_cmpint (geo_person_set_fields (f->store, f->person[0], fields, values, 1, &error),
                       ==,
                       c->ok);
      if (c->ok)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT %s FROM person WHERE id = ?", c->field);
          g_autofree char *stored = wf_text (f->store, sql, f->person[0]);

          g_assert_no_error (error);
          g_assert_cmpstr (stored, ==, c->stored);
        }
      else
        {
          g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
          g_clear_error (&error);
        }
    }
  /* A NIK that belongs to another person is refused. */
  {
    const char *fields[] = { "nik" };
    const char *values[] = { "3402016802510001" };
    GError     *error = NULL;

    g_assert_false (geo_person_set_fields (f->store, f->person[1], fields, values, 1, &error));
    g_assert_nonnull (strstr (error->message, "already belongs"));
    g_clear_error (&error);
  }
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE tbl = 'person' AND row_id = ? AND "
                           "action = 'update'",
                           f->person[0]),
                   ==,
                   5);
}

static void
test_visits (Fixture *f, gconstpointer data)
{
  gint64         child = wf_person (f->store, f->fam[0], NULL, "Anak", "2010-01-01", 2, "musdes");
  GeoVisitMember members[] = { { f->person[0], GEO_MEMBER_DECEASED } };
  GeoVisitRecord away = {
    .family_id = f->fam[0], .date = "2026-05-01", .outcome = GEO_VISIT_NOT_AT_HOME, .team = "Tim 1"
  };
  GeoVisitRecord   found = { .family_id = f->fam[0],
                             .date = "2026-05-03",
                             .outcome = GEO_VISIT_FOUND,
                             .has_point = TRUE,
                             .lon = 110.351,
                             .lat = -7.901,
                             .members = members,
                             .n_members = 1 };
  GeoVisitRecord   deceased = { .family_id = f->fam[2],
                                .date = "2026-05-03",
                                .outcome = GEO_VISIT_DECEASED };
  GeoVisitRecord   bad_point = { .family_id = f->fam[1],
                                 .date = "2026-05-03",
                                 .outcome = 1,
                                 .has_point = TRUE,
                                 .lon = -7.9,
                                 .lat = 110.3 };
  GeoVisitRecord   bad_date = { .family_id = f->fam[1], .date = "2026-02-30", .outcome = 1 };
  GeoVisitRecord   bad_outcome = { .family_id = f->fam[1], .date = "2026-02-03", .outcome = 7 };
  GeoVisitResult   r;
  g_autofree char *child_status = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *reason2 = NULL;
  GError          *error = NULL;

  g_assert_true (geo_visit_log (f->store, &away, &r, &error));
  g_assert_no_error (error);
  g_assert_true (r.requeue);
  g_assert_cmpint (wf_int (f->store, "SELECT requeue FROM family WHERE id = ?", f->fam[0]), ==, 1);

  g_assert_true (geo_visit_log (f->store, &found, &r, &error));
  g_assert_no_error (error);
  g_assert_false (r.requeue);
  g_assert_cmpuint (r.n_status_changed,
                    ==,
                    2); /* the child's musdes -> kunjungan, the head closed */
  g_assert_cmpint (wf_int (f->store, "SELECT requeue FROM family WHERE id = ?", f->fam[0]), ==, 0);
  child_status = status_of (f, child);
  g_assert_cmpstr (child_status, ==, "kunjungan");
  reason = wf_text (f->store,
                    "SELECT reason FROM membership WHERE person_id = ? AND status = 'ditutup'",
                    f->person[0]);
  g_assert_cmpstr (reason, ==, "meninggal");
  g_assert_cmpfloat_with_epsilon ((double) wf_int (f->store,
                                                   "SELECT round (X (geom) * 1000) FROM visit "
                                                   "WHERE id = ?",
                                                   r.visit_id),
                                  110351.0,
                                  0.5);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT code FROM visit_member WHERE visit_id = ?",
                           r.visit_id),
                   ==,
                   2);

  g_assert_true (geo_visit_log (f->store, &deceased, &r, &error));
  reason2 = wf_text (f->store, "SELECT reason FROM membership WHERE person_id = ?", f->person[2]);
  g_assert_cmpstr (reason2, ==, "meninggal");

  g_assert_false (geo_visit_log (f->store, &bad_point, &r, &error));
  g_assert_nonnull (strstr (error->message, "swapped"));
  g_clear_error (&error);
  g_assert_false (geo_visit_log (f->store, &bad_date, &r, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (geo_visit_log (f->store, &bad_outcome, &r, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (wf_int (f->store, "SELECT count(*) FROM visit WHERE family_id = ?", f->fam[1]),
                   ==,
                   0);
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *status = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->person[1]);
  g_autofree char *fam = g_strdup_printf ("%" G_GINT64_FORMAT, f->fam[1]);
  const char      *refused[] = { "status", f->path, id, "disetujui", NULL };
  const char      *scoped[] = { "status", f->path,      id,     "ditutup", "--reason",
                                "pindah", "--operator", "siti", NULL };
  const char      *closed[] = { "status", f->path,      id,     "ditutup", "--reason",
                                "pindah", "--operator", "budi", "--json",  NULL };
  const char      *visit[] = { "visit",     f->path,         fam,      "--date", "2026-05-02",
                               "--outcome", "not-reachable", "--json", NULL };
  const char      *set[] = { "person", "set", f->path, id, "name=Dewi", "sex=P", NULL };

  g_clear_object (&f->store); /* the CLI writes the file */
  g_assert_cmpint (wf_cli (refused, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "allowed next states: verifikasi, ditutup"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (wf_cli (scoped, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "outside its scope"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (wf_cli (closed, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"changed\" : 1"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (wf_cli (visit, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"requeue\" : true"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (wf_cli (set, &out, &err), ==, 0);

  f->store = geo_store_open (f->path, GEO_STORE_OPEN_DEFAULT, NULL);
  status = status_of (f, f->person[1]);
  g_assert_cmpstr (status, ==, "ditutup");
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE operator = 'budi' AND ?1 = ?1",
                           0),
                   >,
                   0);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT count(*) FROM audit_log WHERE tbl = 'person' AND field IN "
                           "('name', 'sex') AND row_id = ?",
                           f->person[1]),
                   ==,
                   2);
  g_assert_cmpint (wf_int (f->store, "SELECT requeue FROM family WHERE id = ?", f->fam[1]), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/geo/workflow/transitions", test_transitions);
  ADD ("/geo/workflow/close-reason-history", test_close_records_reason_and_history);
  ADD ("/geo/workflow/bulk", test_bulk);
  ADD ("/geo/workflow/scope", test_scope);
  ADD ("/geo/workflow/person-set", test_person_set);
  ADD ("/geo/workflow/visits", test_visits);
  ADD ("/geo/workflow/cli", test_cli);
#undef ADD
  return g_test_run ();
}
