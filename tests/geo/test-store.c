#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static char *
temp_db (const char *name)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-test-XXXXXX", NULL);

  return g_build_filename (dir, name, NULL);
}

static gint64
query_int (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (GeoStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_create (void)
{
  g_autofree char *path = temp_db ("new.jangkau");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *mode = NULL;
  GError *error = NULL;

  store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_store_get_schema_version (store), ==, GEO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, GEO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  mode = query_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pmks_category"), ==, 26);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM psks_type"), ==, 12);
  /* Every geometry column registered, in EPSG:4326, with a spatial index. */
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM geometry_columns WHERE srid = 4326 AND "
                              "spatial_index_enabled = 1 AND f_table_name IN "
                              "('area', 'family', 'resource', 'visit', 'round_route', "
                              "'road_segment')"),
                   ==,
                   6);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM geometry_columns"), ==, 6);
}

static void
test_reopen_and_errors (void)
{
  g_autofree char *path = temp_db ("p.jangkau");
  g_autofree char *other = temp_db ("other.sqlite");
  g_autoptr(GeoStore) store = NULL;
  sqlite3 *db = NULL;
  GError *error = NULL;

  /* A missing file is not created without the CREATE flag. */
  store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_IO);
  g_assert_null (store);
  g_clear_error (&error);

  store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pmks_category"), ==, 26);
  g_clear_object (&store);

  /* Somebody else's SQLite database is refused, not altered. */
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = geo_store_open (other, GEO_STORE_OPEN_CREATE, &error);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SCHEMA);
  g_assert_null (store);
  g_clear_error (&error);

  /* A newer schema than ours is refused with the versions named. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);

  /* Not a database at all. */
  g_assert_true (g_file_set_contents (other, "hello, this is text", -1, NULL));
  store = geo_store_open (other, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_nonnull (error);
  g_assert_null (store);
  g_clear_error (&error);
}

static gint64
add_family (GeoStore *store, const char *kk, double lon, double lat, gint64 batch)
{
  GeoFamilyRecord f = { .no_kk = kk,
                        .address = "Jl. Parangtritis km 5",
                        .rt = "003",
                        .rw = "010",
                        .desa_code = "34.02.01.2001",
                        .lon = lon,
                        .lat = lat,
                        .loc_source = GEO_LOC_GPS,
                        .gps_accuracy_m = NAN,
                        .import_batch = batch };
  GError *error = NULL;
  gint64 id = geo_store_insert_family (store, &f, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_insert (void)
{
  g_autofree char *path = temp_db ("ins.jangkau");
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
  GeoPersonRecord p = { 0 };
  int serves[] = { 8, 9 };
  GeoResourceRecord r = { .type = 11,
                          .name = "TKSK Srandakan",
                          .capacity = -1,
                          .radius_m = 3000,
                          .lon = 110.25,
                          .lat = -7.93,
                          .serves = serves,
                          .n_serves = 2 };
  GError *error = NULL;
  gint64 fam, person;

  fam = add_family (store, "3402010101080001", 110.33, -7.88, 0);
  p.family_id = fam;
  p.nik = "3402014501800003";
  p.name = "Siti Aminah";
  p.sex = 'P';
  p.birth_date = "1980-01-05";
  person = geo_store_insert_person (store, &p, &error);
  g_assert_no_error (error);
  g_assert_true (geo_store_insert_membership (store, person, 24, NULL, &error));
  g_assert_no_error (error);
  /* The same category twice is one membership. */
  g_assert_true (geo_store_insert_membership (store, person, 24, NULL, &error));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM membership"), ==, 1);
  /* A category outside the code list violates the foreign key. */
  g_assert_false (geo_store_insert_membership (store, person, 27, NULL, &error));
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SQL);
  g_clear_error (&error);
  /* NIK is unique. */
  g_assert_cmpint (geo_store_insert_person (store, &p, &error), <, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SQL);
  g_clear_error (&error);

  g_assert_cmpint (geo_store_insert_resource (store, &r, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM resource_serves"), ==, 2);
  r.type = 13;
  g_assert_cmpint (geo_store_insert_resource (store, &r, &error), <, 0);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_SQL);
  g_clear_error (&error);

  /* Geometries are real points in EPSG:4326, found through the spatial index. */
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM family WHERE ST_SRID (geom) = 4326 AND "
                              "ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = "
                              "'family' AND search_frame = BuildMbr (110.3, -7.9, 110.4, -7.8))"),
                   ==,
                   1);
  g_assert_cmpint (geo_store_count (store, "person", &error), ==, 1);
  g_assert_cmpint (geo_store_count (store, "person; DROP TABLE family", &error), ==, -1);
  g_assert_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_transaction (void)
{
  g_autofree char *path = temp_db ("tx.jangkau");
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
  GError *error = NULL;

  g_assert_true (geo_store_begin (store, &error));
  add_family (store, "3402010101080002", 110.33, -7.88, 0);
  geo_store_rollback (store);
  g_assert_cmpint (geo_store_count (store, "family", NULL), ==, 0);
  g_assert_true (geo_store_begin (store, &error));
  add_family (store, "3402010101080002", 110.33, -7.88, 0);
  g_assert_true (geo_store_commit (store, &error));
  g_assert_cmpint (geo_store_count (store, "family", NULL), ==, 1);
}

/* A project written by schema version 1 opens, migrates to the current version and keeps its data. */
static void
test_migration (void)
{
  g_autofree char *path = temp_db ("old.jangkau");
  g_autoptr(GeoStore) store = NULL;
  GError *error = NULL;

  store = geo_store_open_at_version (path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_store_get_schema_version (store), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = "
                                     "'import_batch'"),
                   ==,
                   0);
  {
    g_autoptr(sqlite3_stmt) s = geo_store_prepare (
      store,
      "INSERT INTO family (no_kk, loc_source, geom) VALUES ('3402010101080003', 'gps', "
      "MakePoint (110.3, -7.9, 4326))",
      &error);
    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
  }
  g_clear_object (&store);

  store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (geo_store_get_schema_version (store), ==, GEO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, GEO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (geo_store_count (store, "family", NULL), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM family WHERE import_batch IS NULL"),
                   ==,
                   1);
  g_assert_cmpint (geo_store_count (store, "import_batch", NULL), ==, 0);
  /* Version 6: existing families are of normal priority, and a change is audited. */
  g_assert_cmpint (query_int (store, "SELECT priority FROM family"), ==, 3);
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (store), "UPDATE family SET priority = 1", NULL,
                                 NULL, NULL),
                   ==,
                   SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE tbl = 'family' AND "
                                     "field = 'priority' AND old_value = 3 AND new_value = 1"),
                   ==,
                   1);
  g_assert_cmpint (sqlite3_exec (geo_store_get_db (store), "UPDATE family SET priority = 0", NULL,
                                 NULL, NULL),
                   ==,
                   SQLITE_CONSTRAINT_CHECK);
}

static int
exec_rc (GeoStore *store, const char *sql)
{
  return sqlite3_exec (geo_store_get_db (store), sql, NULL, NULL, NULL);
}

/* Schema version 8 rebuilds person and membership (a copy, since SQLite cannot drop a
 * constraint): a version-7 project keeps its rows, the rows that refer to them (visits, status
 * history, audit), every trigger, the spatial index and the foreign keys; the NIK and membership
 * UNIQUE constraints become named unique indexes that still hold; three membership indexes go. */
static void
test_migration_unique_indexes (void)
{
  const char *schema_sql =
    "SELECT group_concat (type || ' ' || name || ': ' || coalesce (sql, ''), '\n') FROM "
    "(SELECT * FROM sqlite_master WHERE name NOT IN ('person', 'membership', "
    "'sqlite_autoindex_person_1', 'sqlite_autoindex_membership_1', 'person_nik', "
    "'membership_key', 'membership_person', 'membership_category', 'membership_status', "
    "'person_name') "
    "ORDER BY type, name)";
  g_autofree char *path = temp_db ("v7.jangkau");
  g_autofree char *before = NULL, *after = NULL, *check = NULL, *nik = NULL;
  g_autofree char *rows_before = NULL, *rows_after = NULL;
  const char *rows_sql =
    "SELECT (SELECT group_concat (id || nik || name || created_at || coalesce (import_batch, "
    "'-'), ';') FROM person) || '|' || (SELECT group_concat (id || person_id || category || "
    "status || since, ';') FROM membership) || '|' || (SELECT count(*) FROM audit_log) || '|' "
    "|| (SELECT group_concat (membership_id || to_status) FROM membership_history)";
  g_autoptr(GeoStore) store = NULL;
  GError *error = NULL;

  store = geo_store_open_at_version (path, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                     "('sqlite_autoindex_person_1', 'sqlite_autoindex_family_1', "
                                     "'sqlite_autoindex_membership_1', 'membership_person', "
                                     "'membership_category', 'membership_status')"),
                   ==,
                   6);
  g_assert_cmpint (exec_rc (store,
                            "INSERT INTO family (no_kk, loc_source, priority, geom) VALUES "
                            "('3402010101080003', 'gps', 1, MakePoint (110.3, -7.9, 4326)), "
                            "('3402010101080004', 'gps', 3, MakePoint (110.4, -7.8, 4326)), "
                            "(NULL, 'desa_centroid', 2, MakePoint (110.5, -7.7, 4326));"
                            "INSERT INTO person (family_id, nik, name) VALUES "
                            "(1, '3402015001800001', 'Siti'), (1, '3402011001800002', 'Budi'), "
                            "(2, NULL, 'Tanpa NIK'), (3, NULL, 'Tanpa NIK 2');"
                            "INSERT INTO membership (person_id, category) VALUES (1, 1), (1, 2), "
                            "(2, 1), (3, 5);"
                            "UPDATE membership SET status = 'verifikasi' WHERE id = 2;"),
                   ==,
                   SQLITE_OK);
  before = query_text (store, schema_sql);
  rows_before = query_text (store, rows_sql);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM membership_history"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log"), >, 0);
  g_clear_object (&store);

  store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, 8);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  rows_after = query_text (store, rows_sql);
  g_assert_cmpstr (rows_after, ==, rows_before);
  /* Every other schema object (triggers of the three tables, SpatiaLite's, views, indexes) is
   * unchanged, and the data is intact. */
  after = query_text (store, schema_sql);
  g_assert_cmpstr (after, ==, before);
  check = query_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM family"), ==, 3);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM person"), ==, 4);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM membership"), ==, 4);
  g_assert_cmpint (query_int (store, "SELECT sum (priority) FROM family"), ==, 6);
  nik = query_text (store, "SELECT name FROM person WHERE nik = '3402011001800002'");
  g_assert_cmpstr (nik, ==, "Budi");
  /* Named unique indexes, no constraint in the table text, no autoindex; family keeps its
   * No. KK constraint. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                     "sql LIKE 'CREATE UNIQUE INDEX%' AND name IN ('person_nik', "
                                     "'membership_key')"),
                   ==,
                   2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                     "('sqlite_autoindex_person_1', "
                                     "'sqlite_autoindex_membership_1', 'membership_person', "
                                     "'membership_category', 'membership_status') OR (name IN "
                                     "('person', 'membership') AND sql LIKE '%UNIQUE%')"),
                   ==,
                   0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = "
                                     "'person_name' AND sql LIKE '%(lower (name))'"),
                   ==,
                   1);
  /* The rebuilt tables' triggers still fire: a status change is logged in the history. */
  g_assert_cmpint (exec_rc (store, "UPDATE membership SET status = 'disetujui' WHERE id = 2"),
                   ==,
                   SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM membership_history"), ==, 2);
  g_assert_cmpint (exec_rc (store, "UPDATE membership SET status = 'bogus' WHERE id = 2"),
                   ==,
                   SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint (exec_rc (store, "UPDATE person SET name = 'Siti A' WHERE id = 1"),
                   ==,
                   SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE tbl = 'person' AND "
                                     "row_id = 1 AND field = 'name' AND new_value = 'Siti A'"),
                   ==,
                   1);
  /* The indexes are used and enforce uniqueness. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM person WHERE nik = '3402015001800001'"),
                   ==,
                   1);
  g_assert_cmpint (exec_rc (store, "INSERT INTO person (family_id, nik) VALUES "
                                   "(2, '3402015001800001')"),
                   ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (sqlite3_extended_errcode (geo_store_get_db (store)), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (exec_rc (store, "INSERT INTO family (no_kk, loc_source, geom) VALUES "
                                   "('3402010101080004', 'gps', MakePoint (110.3, -7.9, 4326))"),
                   ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (exec_rc (store, "UPDATE person SET nik = '3402015001800001' WHERE id = 3"),
                   ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (exec_rc (store, "INSERT INTO membership (person_id, category) VALUES (1, 2)"),
                   ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (exec_rc (store, "INSERT OR IGNORE INTO membership (person_id, category) "
                                   "VALUES (1, 2)"),
                   ==,
                   SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM membership"), ==, 4);
  /* NULL NIKs and No. KKs stay allowed more than once. */
  g_assert_cmpint (exec_rc (store, "INSERT INTO person (family_id, nik) VALUES (3, NULL)"),
                   ==,
                   SQLITE_OK);
  /* Foreign keys still cascade, the spatial index follows the table (SpatiaLite's triggers),
   * and the audit triggers still log. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM idx_family_geom"), ==, 3);
  g_assert_cmpint (exec_rc (store, "UPDATE family SET geom = MakePoint (111.0, -7.0, 4326) "
                                   "WHERE id = 2"),
                   ==,
                   SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM idx_family_geom WHERE pkid = 2 AND "
                                     "xmin > 110.9"),
                   ==,
                   1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE tbl = 'family' AND "
                                     "row_id = 2 AND field = 'geom'"),
                   ==,
                   1);
  g_assert_cmpint (exec_rc (store, "DELETE FROM family WHERE id = 1"), ==, SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM person"), ==, 3);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM membership"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM idx_family_geom"), ==, 2);
  g_clear_pointer (&check, g_free);
  check = query_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/geo/store/create", test_create);
  g_test_add_func ("/geo/store/reopen-and-errors", test_reopen_and_errors);
  g_test_add_func ("/geo/store/insert", test_insert);
  g_test_add_func ("/geo/store/transaction", test_transaction);
  g_test_add_func ("/geo/store/migration-from-v1", test_migration);
  g_test_add_func ("/geo/store/migration-unique-indexes", test_migration_unique_indexes);
  return g_test_run ();
}
