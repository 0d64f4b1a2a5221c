#include "config.h"

#include "geo-edit.h"
#include "geo-records.h"
#include "geo-selection.h"
#include "geo-operator.h"
#include "geo-person-query.h"
#include "geo-visit.h"
#include "geo-workflow.h"
#include "test-workflow-common.h"

/* Two desas of kecamatan 34.02.01 (Srandakan, Bantul); one family in each with one person
 * (PMKS 24, entri). Operator siti may change desa 34.02.01.2001 only. */
typedef struct
{
  char     *path;
  GeoStore *store;
  gint64    fam[2];
  gint64    person[2];
} Fixture;

static const char *const desas[] = { "34.02.01.2001", "34.02.01.2002" };

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GError *error = NULL;

  f->path = wf_temp_db ();
  f->store = geo_store_open (f->path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *kk = g_strdup_printf ("340201010120000%u", i + 1);
      g_autofree char *name = g_strdup_printf ("Warga %u", i);

      f->fam[i] = wf_family (f->store, kk, desas[i]);
      f->person[i] = wf_person (f->store, f->fam[i], NULL, name, "1950-01-01", 24, NULL);
    }
  g_assert_cmpint (geo_operator_add (f->store, "siti", GEO_ROLE_DESA, desas[0], &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_tmp_remove_parent (f->path);
  g_free (f->path);
}

static gint64
audit_count (Fixture *f)
{
  return wf_int (f->store, "SELECT count(*) FROM audit_log", 0);
}

/* The new value of the latest audit entry of @table/@row/@field, NULL when none. */
static char *
audit_value (Fixture *f, const char *table, gint64 row, const char *field, char **op)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (f->store,
                                    "SELECT new_value, operator FROM audit_log WHERE tbl = ? "
                                    "AND row_id = ? AND field IS ? ORDER BY id DESC LIMIT 1",
                                    NULL);

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  if (op != NULL)
    *op = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static const GeoEditProblem *
problem_of (GPtrArray *problems, GeoEditField field)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const GeoEditProblem *p = problems->pdata[i];

      if (p->field == field)
        return p;
    }
  return NULL;
}

static GeoFamilyEdit
family_edit (void)
{
  GeoFamilyEdit e = { .no_kk = "3402010101200009",
                      .address = "Jl. Srandakan 12",
                      .rt = "003",
                      .rw = "01",
                      .desa_code = "34.02.01.2002",
                      .lon = 110.2512,
                      .lat = -7.9398,
                      .loc_source = GEO_LOC_GPS,
                      .gps_accuracy_m = 8 };

  return e;
}

static void
test_family_update (Fixture *f, gconstpointer data)
{
  GeoFamilyEdit e = family_edit ();
  g_autoptr(GError) error = NULL;
  g_autofree char *addr = NULL, *desa = NULL, *geom = NULL, *op = NULL, *src = NULL;
  gint64           before = audit_count (f);

  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, NULL, &error), ==, f->fam[0]);
  g_assert_no_error (error);
  addr = audit_value (f, "family", f->fam[0], "address", &op);
  g_assert_cmpstr (addr, ==, "Jl. Srandakan 12");
  g_assert_cmpstr (op, ==, "admin");
  desa = audit_value (f, "family", f->fam[0], "desa_code", NULL);
  g_assert_cmpstr (desa, ==, "34.02.01.2002");
  geom = audit_value (f, "family", f->fam[0], "geom", NULL);
  g_assert_cmpstr (geom, ==, "POINT(110.2512 -7.9398)");
  /* no_kk, address, rt, rw, desa_code, gps_accuracy_m, geom: one entry each */
  g_assert_cmpint (audit_count (f) - before, ==, 7);
  src = wf_text (f->store, "SELECT loc_source FROM family WHERE id = ?", f->fam[0]);
  g_assert_cmpstr (src, ==, "gps");

  /* Saving the same values again logs nothing. */
  before = audit_count (f);
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, NULL, &error), ==, f->fam[0]);
  g_assert_cmpint (audit_count (f), ==, before);

  /* Placed by hand: loc_source address, the accuracy is dropped. */
  e.loc_source = GEO_LOC_ADDRESS;
  e.lon = 110.26;
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, NULL, &error), ==, f->fam[0]);
  g_free (src);
  src = wf_text (f->store, "SELECT loc_source FROM family WHERE id = ?", f->fam[0]);
  g_assert_cmpstr (src, ==, "address");
  g_assert_cmpint (wf_int (f->store,
                           "SELECT gps_accuracy_m IS NULL FROM family WHERE id = ?",
                           f->fam[0]),
                   ==,
                   1);
}

static void
test_family_invalid (Fixture *f, gconstpointer data)
{
  GeoFamilyEdit e = family_edit ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64                before = audit_count (f);
  const GeoEditProblem *p;

  e.no_kk = "340201010120000"; /* 15 digits */
  e.rt = "1a";
  e.desa_code = "34.02.01"; /* a kecamatan */
  e.lon = 150.0;            /* east of Papua */
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, &problems, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_nonnull (problems);
  p = problem_of (problems, GEO_EDIT_NO_KK);
  g_assert_nonnull (p);
  g_assert_cmpint (p->rule, ==, GEO_EDIT_BAD_ID);
  g_assert_cmpint (p->id_rule, ==, GEO_ID_LENGTH);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_RT)->rule, ==, GEO_EDIT_BAD_FORMAT);
  g_assert_null (problem_of (problems, GEO_EDIT_RW));
  g_assert_cmpint (problem_of (problems, GEO_EDIT_DESA)->rule, ==, GEO_EDIT_UNKNOWN);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_LOCATION)->rule, ==, GEO_EDIT_OUT_OF_AREA);
  g_assert_nonnull (strstr (error->message, "rt: RT is 1-3 digits"));
  g_assert_cmpint (audit_count (f), ==, before);

  /* The No. KK of the other family. */
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  e = family_edit ();
  e.no_kk = "3402010101200002";
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, &problems, &error), ==, 0);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_NO_KK)->rule, ==, GEO_EDIT_TAKEN);
  g_assert_cmpint (audit_count (f), ==, before);
}

static void
test_family_add (Fixture *f, gconstpointer data)
{
  GeoFamilyEdit e = family_edit ();
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
  gint64           id;

  e.no_kk = NULL;
  id = geo_family_save (f->store, 0, &e, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, f->fam[1]);
  snapshot = audit_value (f, "family", id, NULL, NULL);
  g_assert_nonnull (strstr (snapshot, "\"desa_code\":\"34.02.01.2002\""));
  g_assert_cmpint (wf_int (f->store, "SELECT no_kk IS NULL FROM family WHERE id = ?", id), ==, 1);
}

/* The priority (schema 6): audited when changed, kept when the edit leaves it at 0, checked. */
static void
test_family_priority (Fixture *f, gconstpointer data)
{
  GeoFamilyEdit e = family_edit ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *val = NULL, *op = NULL, *snapshot = NULL;
  gint64 before, id;

  g_assert_cmpint (wf_int (f->store, "SELECT priority FROM family WHERE id = ?", f->fam[0]), ==, 3);
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, NULL, &error), ==, f->fam[0]);
  g_assert_no_error (error);
  g_assert_cmpint (wf_int (f->store, "SELECT priority FROM family WHERE id = ?", f->fam[0]), ==, 3);
  g_assert_null (audit_value (f, "family", f->fam[0], "priority", NULL));

  before = audit_count (f);
  e.priority = 1;
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, NULL, &error), ==, f->fam[0]);
  g_assert_no_error (error);
  g_assert_cmpint (wf_int (f->store, "SELECT priority FROM family WHERE id = ?", f->fam[0]), ==, 1);
  val = audit_value (f, "family", f->fam[0], "priority", &op);
  g_assert_cmpstr (val, ==, "1");
  g_assert_cmpstr (op, ==, "admin");
  g_assert_cmpint (audit_count (f) - before, ==, 1);
  g_assert_cmpint (wf_int (f->store,
                           "SELECT old_value FROM audit_log WHERE tbl = 'family' AND row_id = ? "
                           "AND field = 'priority'",
                           f->fam[0]),
                   ==,
                   3);

  /* 0: unchanged, nothing logged. */
  before = audit_count (f);
  e.priority = 0;
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, NULL, &error), ==, f->fam[0]);
  g_assert_cmpint (wf_int (f->store, "SELECT priority FROM family WHERE id = ?", f->fam[0]), ==, 1);
  g_assert_cmpint (audit_count (f), ==, before);

  /* Out of range: refused naming the field, nothing written. */
  e.priority = 4;
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, &problems, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_PRIORITY)->rule, ==, GEO_EDIT_BAD_FORMAT);
  g_assert_nonnull (strstr (error->message, "priority:"));
  g_assert_cmpint (audit_count (f), ==, before);
  g_clear_error (&error);

  /* A new family: the default, or the one given, in the insert snapshot. */
  e = family_edit ();
  e.no_kk = NULL;
  e.priority = 2;
  id = geo_family_save (f->store, 0, &e, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wf_int (f->store, "SELECT priority FROM family WHERE id = ?", id), ==, 2);
  snapshot = audit_value (f, "family", id, NULL, NULL);
  g_assert_nonnull (strstr (snapshot, "\"priority\":2"));
}

typedef struct
{
  const char *nik;
  char        sex;
  const char *birth;
  GeoIdRule   rule;
} NikCase;

static void
test_person_nik_rules (Fixture *f, gconstpointer data)
{
  static const NikCase cases[] = {
    { "3402011705800001", 'L', "1980-05-17", GEO_ID_OK },
    { "3402015705800002", 'P', "1980-05-17", GEO_ID_OK }, /* day + 40 for women */
    { "340201170580001", 'L', NULL, GEO_ID_LENGTH },
    { "34020117058O0001", 'L', NULL, GEO_ID_DIGITS },
    { "9999991705800001", 'L', NULL, GEO_ID_REGION },
    { "3402013205800001", 'L', NULL, GEO_ID_DATE }, /* day 32 */
    { "3402017213800001", 'P', NULL, GEO_ID_DATE }, /* month 13 */
    { "3402011705800000", 'L', NULL, GEO_ID_SERIAL },
    { "3402015705800003", 'L', "1980-05-17", GEO_ID_SEX }, /* a woman's NIK, row L */
    { "3402011705800004", 'P', NULL, GEO_ID_SEX },
    { "3402011705800005", 'L', "1981-05-17", GEO_ID_BIRTH_DATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GeoPersonEdit e = { .nik = cases[i].nik,
                          .name = "Sri",
                          .sex = cases[i].sex,
                          .birth_date = cases[i].birth,
                          .categories = GEO_CATEGORY_BIT (24) };
      g_autoptr(GPtrArray) problems = geo_person_edit_check (f->store, f->person[0], 0, &e);
      const GeoEditProblem *p = problem_of (problems, GEO_EDIT_NIK);

      g_test_message ("%s", cases[i].nik);
      if (cases[i].rule == GEO_ID_OK)
        g_assert_cmpuint (problems->len, ==, 0);
      else
        {
          g_assert_nonnull (p);
          g_assert_cmpint (p->rule, ==, GEO_EDIT_BAD_ID);
          g_assert_cmpint (p->id_rule, ==, cases[i].rule);
          g_assert_cmpuint (problems->len, ==, 1);
        }
    }
}

static void
test_person_save (Fixture *f, gconstpointer data)
{
  GeoPersonEdit e = { .nik = "3402015705800002",
                      .name = "  Sri Rahayu ",
                      .sex = 'P',
                      .birth_date = "1980-05-17",
                      .relation = "Kepala Keluarga",
                      .categories = GEO_CATEGORY_BIT (24) | GEO_CATEGORY_BIT (23) };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *nik = NULL, *name = NULL, *status = NULL, *cat = NULL;
  gint64           before = audit_count (f);

  /* Invalid first: nothing is written. */
  e.nik = "3402011705800001"; /* a man's NIK for a woman */
  g_assert_cmpint (geo_person_save (f->store, f->person[0], 0, &e, &problems, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_NIK)->id_rule, ==, GEO_ID_SEX);
  g_assert_cmpint (audit_count (f), ==, before);
  g_assert_cmpint (wf_int (f->store, "SELECT nik IS NULL FROM person WHERE id = ?", f->person[0]),
                   ==,
                   1);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  e.nik = "3402015705800002";
  g_assert_cmpint (geo_person_save (f->store, f->person[0], 0, &e, &problems, &error),
                   ==,
                   f->person[0]);
  g_assert_no_error (error);
  g_assert_null (problems);
  nik = audit_value (f, "person", f->person[0], "nik", NULL);
  g_assert_cmpstr (nik, ==, "3402015705800002");
  name = wf_text (f->store, "SELECT name FROM person WHERE id = ?", f->person[0]);
  g_assert_cmpstr (name, ==, "Sri Rahayu");
  /* PMKS 23 added as entri, audited as an insert. */
  status = wf_text (f->store,
                    "SELECT status FROM membership WHERE person_id = ? AND category = 23",
                    f->person[0]);
  g_assert_cmpstr (status, ==, "entri");
  cat = wf_text (f->store,
                 "SELECT new_value FROM audit_log WHERE tbl = 'membership' AND action = 'insert' "
                 "AND json_extract (new_value, '$.person_id') = ? "
                 "AND json_extract (new_value, '$.category') = 23",
                 f->person[0]);
  g_assert_nonnull (strstr (cat, "\"category\":23"));
  /* nik, name, sex, birth_date unchanged (1950-01-01 -> 1980-05-17 changes), relation, membership
   */
  g_assert_cmpint (audit_count (f) - before, ==, 6);

  /* Dropping a category is the workflow's job. */
  e.categories = GEO_CATEGORY_BIT (24);
  g_assert_cmpint (geo_person_save (f->store, f->person[0], 0, &e, &problems, &error), ==, 0);
  g_assert_nonnull (strstr (problem_of (problems, GEO_EDIT_CATEGORIES)->message, "PMKS 23"));
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The NIK now belongs to person 0. */
  e.categories = GEO_CATEGORY_BIT (24);
  g_assert_cmpint (geo_person_save (f->store, f->person[1], 0, &e, &problems, &error), ==, 0);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_NIK)->rule, ==, GEO_EDIT_TAKEN);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* A name is required. */
  e.nik = NULL;
  e.name = "  ";
  g_assert_cmpint (geo_person_save (f->store, f->person[1], 0, &e, &problems, &error), ==, 0);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_NAME)->rule, ==, GEO_EDIT_REQUIRED);
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
test_person_add (Fixture *f, gconstpointer data)
{
  GeoPersonEdit e = { .name = "Bayu",
                      .sex = 'L',
                      .birth_date = "2015-02-03",
                      .relation = "Anak",
                      .categories = GEO_CATEGORY_BIT (2) };
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoFamilyDetails) details = NULL;
  gint64 id = geo_person_save (f->store, 0, f->fam[0], &e, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  details = geo_family_details_load (f->store, f->fam[0], &error);
  g_assert_cmpuint (details->n_members, ==, 2);
  g_assert_cmpint (details->members[1].id, ==, id);
  g_assert_cmpuint (details->members[1].categories, ==, GEO_CATEGORY_BIT (2));
  g_assert_cmpstr (details->members[1].status, ==, "entri");
  {
    g_autofree char *insert_audit = audit_value (f, "person", id, NULL, NULL);

    g_assert_nonnull (insert_audit);
  }

  /* No such family. */
  g_assert_cmpint (geo_person_save (f->store, 0, 9999, &e, NULL, &error), ==, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
}

static void
test_scope (Fixture *f, gconstpointer data)
{
  GeoPersonEdit p = { .name = "Warga Baru",
                      .birth_date = "1950-01-01",
                      .categories = GEO_CATEGORY_BIT (24) };
  GeoFamilyEdit e = family_edit ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *op = NULL, *name = NULL;
  gint64           before;

  g_assert_true (geo_operator_use (f->store, "siti", &error));
  before = audit_count (f);
  /* Outside siti's desa. */
  g_assert_cmpint (geo_person_save (f->store, f->person[1], 0, &p, &problems, &error), ==, 0);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_NONE)->rule, ==, GEO_EDIT_SCOPE);
  g_assert_nonnull (strstr (error->message, "outside its scope"));
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  /* Moving her own family into another desa. */
  g_assert_cmpint (geo_family_save (f->store, f->fam[0], &e, &problems, &error), ==, 0);
  g_assert_cmpint (problem_of (problems, GEO_EDIT_DESA)->rule, ==, GEO_EDIT_SCOPE);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_cmpint (audit_count (f), ==, before);

  /* Inside: saved, and the audit names her. */
  g_assert_cmpint (geo_person_save (f->store, f->person[0], 0, &p, &problems, &error),
                   ==,
                   f->person[0]);
  g_assert_no_error (error);
  name = audit_value (f, "person", f->person[0], "name", &op);
  g_assert_cmpstr (name, ==, "Warga Baru");
  g_assert_cmpstr (op, ==, "siti");
}

static void
test_visits (Fixture *f, gconstpointer data)
{
  GeoVisitRecord v = {
    .family_id = f->fam[0], .date = "2026-03-01", .team = "Tim A", .outcome = GEO_VISIT_NOT_AT_HOME
  };
  GeoVisitResult r;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const GeoVisitEntry *e;

  g_assert_true (geo_visit_log (f->store, &v, &r, &error));
  v.date = "2026-03-04";
  v.outcome = GEO_VISIT_FOUND;
  v.notes = "ditemui";
  g_assert_true (geo_visit_log (f->store, &v, &r, &error));
  g_assert_no_error (error);
  list = geo_family_visits (f->store, f->fam[0], &error);
  g_assert_cmpuint (list->len, ==, 2);
  e = list->pdata[0];
  g_assert_cmpstr (e->date, ==, "2026-03-04");
  g_assert_cmpint (e->outcome, ==, GEO_VISIT_FOUND);
  g_assert_cmpstr (e->notes, ==, "ditemui");
  g_assert_cmpstr (e->operator_name, ==, "admin");
  e = list->pdata[1];
  g_assert_cmpint (e->outcome, ==, GEO_VISIT_NOT_AT_HOME);
  g_assert_cmpstr (e->team, ==, "Tim A");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = geo_family_visits (f->store, f->fam[1], &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_person_query (Fixture *f, gconstpointer data)
{
  GeoPersonFilter q = GEO_PERSON_FILTER_INIT;
  g_autoptr(GError) error = NULL;
  gint64  extra = wf_person (f->store, f->fam[1], "3402011705800001", "Agus", NULL, 0, NULL);
  gint64 *ids;
  gsize   n;

#define RUN()                                                                                      \
  do                                                                                               \
    {                                                                                              \
      g_free (ids);                                                                                \
      ids = geo_person_query (f->store, &q, &n, NULL, &error);                                     \
      g_assert_no_error (error);                                                                   \
    }                                                                                              \
  while (0)
  ids = NULL;
  RUN ();
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (ids[0], ==, f->person[0]);
  q.categories = GEO_CATEGORY_BIT (24);
  RUN ();
  g_assert_cmpuint (n, ==, 2);
  q.area = "34.02.01.2002";
  RUN ();
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (ids[0], ==, f->person[1]);
  q.categories = 0;
  RUN ();
  g_assert_cmpuint (n, ==, 2);
  q.area = "34.02.01";
  RUN ();
  g_assert_cmpuint (n, ==, 3);
  q.area = "34.02.0"; /* not a whole code part */
  RUN ();
  g_assert_cmpuint (n, ==, 0);
  q.area = NULL;
  q.status = "entri";
  RUN ();
  g_assert_cmpuint (n, ==, 2);
  q.status = "verifikasi";
  RUN ();
  g_assert_cmpuint (n, ==, 0);
  q.status = NULL;
  q.loc_source = GEO_LOC_ADDRESS;
  RUN ();
  g_assert_cmpuint (n, ==, 0);
  q.loc_source = GEO_LOC_GPS;
  q.sort = GEO_PERSON_SORT_NAME;
  q.descending = TRUE;
  RUN ();
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (ids[0], ==, f->person[1]); /* Warga 1, Warga 0, Agus */
  g_assert_cmpint (ids[2], ==, extra);
  q.descending = FALSE;
  q.sort = GEO_PERSON_SORT_NIK; /* persons without a NIK last */
  RUN ();
  g_assert_cmpint (ids[0], ==, extra);
  q.text = "warga";
  RUN ();
  g_assert_cmpuint (n, ==, 2);
  q.status = "no-such-state";
  g_free (ids);
  ids = geo_person_query (f->store, &q, &n, NULL, &error);
  g_assert_null (ids);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
#undef RUN
}

/* Whether a step of the query plan @explain mentions @what. */
static gboolean
plan_uses (GeoStore *store, const char *explain, const char *what)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_assert_cmpint (sqlite3_prepare_v2 (geo_store_get_db (store), explain, -1, &stmt, NULL),
                   ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (strstr ((const char *) sqlite3_column_text (stmt, 3), what) != NULL)
      found = TRUE;
  sqlite3_finalize (stmt);
  return found;
}

/* A version-4 project (before the person_name index) migrates and keeps its data; the name
 * order walks the index when nothing filters, and sorts when something does. */
static void
test_migrate_name_index (void)
{
  g_autofree char *path = wf_temp_db ();
  g_autoptr(GError) error = NULL;
  GeoPersonFilter    q = GEO_PERSON_FILTER_INIT;
  g_autofree gint64 *ids = NULL;
  gsize              n;

  {
    g_autoptr(GeoStore) old = geo_store_open_at_version (path, 4, &error);
    gint64 fam;

    g_assert_no_error (error);
    g_assert_cmpint (wf_int (old,
                             "SELECT count(*) FROM sqlite_master WHERE name = 'person_name'",
                             0),
                     ==,
                     0);
    fam = wf_family (old, "3402010101200001", "34.02.01.2001");
    wf_person (old, fam, NULL, "budi", NULL, 0, NULL);
    wf_person (old, fam, NULL, "Agus", NULL, 0, NULL);
    wf_person (old, fam, NULL, "citra", NULL, 0, NULL);
  }
  {
    g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_cmpint (geo_store_get_schema_version (store), ==, GEO_STORE_SCHEMA_VERSION);
    g_assert_cmpint (wf_int (store,
                             "SELECT count(*) FROM sqlite_master WHERE name = 'person_name'",
                             0),
                     ==,
                     1);
    /* The name order of geo_person_query() is the expression person_name indexes (0008). */
    g_assert_true (plan_uses (store,
                              "EXPLAIN QUERY PLAN SELECT p.id FROM person p "
                              "ORDER BY lower (p.name), p.id",
                              "USING INDEX person_name"));
    q.sort = GEO_PERSON_SORT_NAME;
    ids = geo_person_query (store, &q, &n, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 3);
    /* Agus, budi, citra: case-insensitive */
    g_assert_cmpint (ids[0], ==, 2);
    g_assert_cmpint (ids[1], ==, 1);
    g_assert_cmpint (ids[2], ==, 3);
    g_free (ids);
    q.text = "u"; /* budi, Agus */
    q.descending = TRUE;
    ids = geo_person_query (store, &q, &n, NULL, &error);
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpint (ids[0], ==, 1);
    g_assert_cmpint (ids[1], ==, 2);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
  g_test_add ("/edit/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("family-update", test_family_update);
  ADD ("family-invalid", test_family_invalid);
  ADD ("family-add", test_family_add);
  ADD ("family-priority", test_family_priority);
  ADD ("person-nik-rules", test_person_nik_rules);
  ADD ("person-save", test_person_save);
  ADD ("person-add", test_person_add);
  ADD ("scope", test_scope);
  ADD ("visits", test_visits);
  ADD ("person-query", test_person_query);
  g_test_add_func ("/edit/migrate-name-index", test_migrate_name_index);
  return g_test_run ();
}
