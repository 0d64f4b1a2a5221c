#include "config.h"

#include <json-glib/json-glib.h>

#include "geo-audit.h"
#include "geo-duplicates.h"
#include "geo-visit.h"
#include "test-workflow-common.h"

typedef struct
{
  const char *a;
  const char *b;
  double      expected;
} JwCase;

/* Reference values of Winkler (1990) / the usual textbook examples. */
static const JwCase jw_cases[] = {
  { "martha", "marhta", 0.9611 }, { "dwayne", "duane", 0.8400 }, { "dixon", "dicksonx", 0.8133 },
  { "abc", "abc", 1.0 },          { "abc", "xyz", 0.0 },         { "", "", 1.0 },
};

static void
test_jaro_winkler (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (jw_cases); i++)
    g_assert_cmpfloat_with_epsilon (geo_jaro_winkler (jw_cases[i].a, jw_cases[i].b),
                                    jw_cases[i].expected,
                                    0.0005);
  /* Hand-computed: "sri wahyuni" vs "sri wahyuningsih": 11 matches, no transpositions,
   * jaro = (1 + 11/16 + 1) / 3 = 0.895833, prefix 4: + 0.4 x 0.104167 = 0.9375. */
  g_assert_cmpfloat_with_epsilon (geo_jaro_winkler ("sri wahyuni", "sri wahyuningsih"),
                                  0.9375,
                                  1e-6);
  g_assert_cmpfloat_with_epsilon (geo_duplicates_pair_score ("sri wahyuni",
                                                             "1980-05-06",
                                                             "sri wahyuningsih",
                                                             "1980-05-06"),
                                  0.75 * 0.9375 + 0.25,
                                  1e-6);
}

static void
test_normalize (void)
{
  g_autofree char *a = geo_duplicates_normalize_name ("Hj. SITI  Aminah");
  g_autofree char *b = geo_duplicates_normalize_name ("Drs. H. Ahmad-Fauzi");

  g_assert_cmpstr (a, ==, "siti aminah");
  g_assert_cmpstr (b, ==, "ahmad fauzi");
}

/* Crafted project:
 *   F1 (2001): 1 Siti Aminah 1950-03-04 | 2 Sri Wahyuni 1980-05-06 | 3 Ahmad Fauzi 1975-01-02
 *              4 Siti Aisyah 1950-07-08 | 5 NIK 3402010101800001
 *   F2 (2001): 6 Sri Wahyuningsih 1980-05-06 | 7 Achmad Fauzi 1975-02-01 | 8 NIK 34020101018OOOO1
 * (O for 0) F3 (2002): 9 Hj. Siti Aminah 1950-03-04 (person in two families) F4 (2002): 10 Budi
 * Santoso 1990-01-01 twice (11) in one KK | 12 Sri Wahyuni 1981-05-06 (other year)
 */
static char *
make_project (gint64 *ids)
{
  char *path = wf_temp_db ();
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
  gint64 f1, f2, f3, f4;
  guint  k = 0;

  f1 = wf_family (store, "3402010101200001", "34.02.01.2001");
  f2 = wf_family (store, "3402010101200002", "34.02.01.2001");
  f3 = wf_family (store, "3402010101200003", "34.02.01.2002");
  f4 = wf_family (store, "3402010101200004", "34.02.01.2002");
  ids[k++] = 0;
  ids[k++] = wf_person (store, f1, NULL, "Siti Aminah", "1950-03-04", 24, NULL);
  ids[k++] = wf_person (store, f1, NULL, "Sri Wahyuni", "1980-05-06", 24, NULL);
  ids[k++] = wf_person (store, f1, NULL, "Ahmad Fauzi", "1975-01-02", 0, NULL);
  ids[k++] = wf_person (store, f1, NULL, "Siti Aisyah", "1950-07-08", 0, NULL);
  ids[k++] = wf_person (store, f1, "3402010101800001", "Joko", NULL, 0, NULL);
  ids[k++] = wf_person (store, f2, NULL, "Sri Wahyuningsih", "1980-05-06", 9, NULL);
  ids[k++] = wf_person (store, f2, NULL, "Achmad Fauzi", "1975-02-01", 0, NULL);
  ids[k++] = wf_person (store, f2, "34020101018OOOO1", "Joko W", NULL, 0, NULL);
  ids[k++] = wf_person (store, f3, "3402014403500001", "Hj. Siti Aminah", "1950-03-04", 9, NULL);
  ids[k++] = wf_person (store, f4, NULL, "Budi Santoso", "1990-01-01", 0, NULL);
  ids[k++] = wf_person (store, f4, NULL, "BUDI SANTOSO", "1990-01-01", 0, NULL);
  ids[k++] = wf_person (store, f4, NULL, "Sri Wahyuni", "1981-05-06", 0, NULL);
  return path;
}

typedef struct
{
  GeoDuplicateKind kind;
  guint            members[3]; /* person numbers of the fixture, 0-terminated */
} ExpectedGroup;

static gboolean
group_is (const GeoDuplicateGroup *g, const ExpectedGroup *e, const gint64 *ids)
{
  guint n = 0;

  while (n < 3 && e->members[n] != 0)
    n++;
  if (g->kind != e->kind || g->persons->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (((GeoDuplicatePerson *) g->persons->pdata[i])->id != ids[e->members[i]])
      return FALSE;
  return TRUE;
}

static void
test_find (void)
{
  gint64           ids[13];
  g_autofree char *path = make_project (ids);
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, NULL);
  const ExpectedGroup expected[] = {
    { GEO_DUPLICATE_NIK, { 5, 8 } },           { GEO_DUPLICATE_TWO_FAMILIES, { 1, 9 } },
    { GEO_DUPLICATE_SAME_FAMILY, { 10, 11 } }, { GEO_DUPLICATE_PROBABLE, { 2, 6 } },
    { GEO_DUPLICATE_PROBABLE, { 3, 7 } },
  };
  g_autoptr(GPtrArray) groups = geo_duplicates_find (store, 0.9, NULL, NULL);
  g_autoptr(GPtrArray) loose = NULL;
  double aminah_aisyah =
      geo_duplicates_pair_score ("siti aminah", "1950-03-04", "siti aisyah", "1950-07-08");

  g_assert_nonnull (groups);
  g_assert_cmpuint (groups->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < groups->len; j++)
        found |= group_is (groups->pdata[j], &expected[i], ids);
      g_assert_true (found);
    }
  /* Sorted by score; exact kinds score 1, probable ones their pair score. */
  g_assert_cmpfloat (((GeoDuplicateGroup *) groups->pdata[0])->score, ==, 1.0);
  g_assert_cmpfloat (((GeoDuplicateGroup *) groups->pdata[4])->score, <, 1.0);
  g_assert_cmpfloat (((GeoDuplicateGroup *) groups->pdata[4])->score, >=, 0.9);

  /* A lower threshold brings in Siti Aminah / Siti Aisyah (same desa, same year). */
  g_assert_cmpfloat (aminah_aisyah, <, 0.9);
  g_assert_cmpfloat (aminah_aisyah, >, 0.7);
  loose = geo_duplicates_find (store, 0.7, NULL, NULL);
  g_assert_cmpuint (loose->len, >, groups->len);
  {
    gboolean found = FALSE;

    for (guint j = 0; j < loose->len; j++)
      {
        const GeoDuplicateGroup *g = loose->pdata[j];

        for (guint k = 0; k < g->persons->len; k++)
          found |= g->kind == GEO_DUPLICATE_PROBABLE &&
                   ((GeoDuplicatePerson *) g->persons->pdata[k])->id == ids[4];
      }
    g_assert_true (found);
  }
}

static void
test_merge (void)
{
  gint64           ids[13];
  g_autofree char *path = make_project (ids);
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, NULL);
  gint64         f3 = wf_int (store, "SELECT family_id FROM person WHERE id = ?", ids[9]);
  gint64         f1 = wf_int (store, "SELECT family_id FROM person WHERE id = ?", ids[1]);
  GeoVisitMember m = { ids[9], GEO_MEMBER_LIVES_HERE };
  GeoVisitRecord v = {
    .family_id = f3, .date = "2026-05-01", .outcome = GEO_VISIT_FOUND, .members = &m, .n_members = 1
  };
  GeoVisitResult   r;
  GeoAuditCheck    check;
  g_autofree char *nik = NULL;
  GError          *error = NULL;

  g_assert_true (geo_visit_log (store, &v, &r, &error));
  g_assert_no_error (error);
  /* Keep 1 (F1, PMKS 24, no NIK), drop 9 (F3 alone, PMKS 9, a NIK, one visit). */
  g_assert_true (geo_duplicates_merge (store, ids[1], ids[9], &error));
  g_assert_no_error (error);
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM person WHERE id = ?", ids[9]), ==, 0);
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM membership WHERE person_id = ?", ids[1]),
                   ==,
                   2);
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM family WHERE id = ?", f3), ==, 0);
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM visit WHERE family_id = ?", f1), ==, 1);
  g_assert_cmpint (wf_int (store, "SELECT count(*) FROM visit_member WHERE person_id = ?", ids[1]),
                   ==,
                   1);
  nik = wf_text (store, "SELECT nik FROM person WHERE id = ?", ids[1]);
  g_assert_cmpstr (nik, ==, "3402014403500001");
  g_assert_cmpint (wf_int (store,
                           "SELECT count(*) FROM audit_log WHERE action = 'merge' AND row_id = ?",
                           ids[1]),
                   ==,
                   1);
  g_assert_cmpint (wf_int (store,
                           "SELECT count(*) FROM audit_log WHERE action = 'delete' AND tbl = "
                           "'person' AND row_id = ?",
                           ids[9]),
                   ==,
                   1);
  g_assert_true (geo_audit_verify (store, &check, NULL, NULL));
  g_assert_cmpint (check.first_broken, ==, 0);

  /* Errors leave everything as it was. */
  g_assert_false (geo_duplicates_merge (store, ids[1], ids[1], &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (geo_duplicates_merge (store, ids[1], 9999, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_cli (void)
{
  gint64           ids[13];
  g_autofree char *path = make_project (ids);
  const char      *masked[] = { "duplicates", path, "--json", NULL };
  const char      *personal[] = { "duplicates", path, "--json", "--include-personal-data", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray  *groups;
  JsonObject *first;

  g_assert_cmpint (wf_cli (masked, &out, &err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  groups = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (groups), ==, 5);
  first = json_array_get_object_element (groups, 0);
  g_assert_true (json_object_has_member (first, "score"));
  g_assert_nonnull (strstr (out, "\"name\" : \"S*** A***\""));
  g_assert_null (strstr (out, "Siti Aminah"));
  g_assert_null (strstr (out, "3402010101800001"));
  g_assert_nonnull (strstr (out, "340201********01"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (wf_cli (personal, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Siti Aminah"));
  g_assert_nonnull (strstr (out, "3402010101800001"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geo/duplicates/jaro-winkler", test_jaro_winkler);
  g_test_add_func ("/geo/duplicates/normalize", test_normalize);
  g_test_add_func ("/geo/duplicates/find", test_find);
  g_test_add_func ("/geo/duplicates/merge", test_merge);
  g_test_add_func ("/geo/duplicates/cli", test_cli);
  return g_test_run ();
}
