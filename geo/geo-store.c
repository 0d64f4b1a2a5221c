#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <spatialite.h>
#include <string.h>

#include "geo-audit.h"
#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-resources.h"
#include "geo-store-private.h"

#define RESOURCE_PREFIX "/id/go/dinsos/Jangkau/geo/"

struct _GeoStore
{
  GObject parent_instance;

  /* owned */
  char         *path;
  sqlite3      *db;
  void         *spatialite_cache;
  sqlite3_stmt *insert_area;
  sqlite3_stmt *insert_family;
  sqlite3_stmt *insert_person;
  sqlite3_stmt *insert_membership;
  sqlite3_stmt *insert_resource;
  sqlite3_stmt *insert_serves;
  sqlite3_stmt *area_centroid;
  sqlite3_stmt *region_known;
  int           schema_version;
  gboolean      readonly;
};

G_DEFINE_FINAL_TYPE (GeoStore, geo_store, G_TYPE_OBJECT)

static const char *const migrations[] = {
  RESOURCE_PREFIX "schema/0001-initial.sql",
  RESOURCE_PREFIX "schema/0002-import-batch.sql",
  RESOURCE_PREFIX "schema/0003-workflow.sql",
  RESOURCE_PREFIX "schema/0004-rounds.sql",
  RESOURCE_PREFIX "schema/0005-programmes.sql",
  RESOURCE_PREFIX "schema/0006-person-name.sql",
  RESOURCE_PREFIX "schema/0007-priority.sql",
  RESOURCE_PREFIX "schema/0008-unique-indexes.sql",
};

/* Migrations that rebuild a table (new table, copy, drop, rename) run with foreign keys off, so
 * that dropping the old table neither deletes nor blocks the rows that refer to it; they must
 * pass PRAGMA foreign_key_check before they commit. */
static gboolean
migration_rebuilds_tables (int version)
{
  return version == 8;
}

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == GEO_STORE_SCHEMA_VERSION);

/* Registers libgeo's GResource once. g_static_resource_init() must not run twice before a lookup
 * (it would link the resource to itself), so every module goes through this function. */
void
geo_ensure_resources (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      geo_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

static void
geo_store_finalize (GObject *object)
{
  GeoStore *self = GEO_STORE (object);

  g_clear_pointer (&self->insert_area, sqlite3_finalize);
  g_clear_pointer (&self->insert_family, sqlite3_finalize);
  g_clear_pointer (&self->insert_person, sqlite3_finalize);
  g_clear_pointer (&self->insert_membership, sqlite3_finalize);
  g_clear_pointer (&self->insert_resource, sqlite3_finalize);
  g_clear_pointer (&self->insert_serves, sqlite3_finalize);
  g_clear_pointer (&self->area_centroid, sqlite3_finalize);
  g_clear_pointer (&self->region_known, sqlite3_finalize);
  if (self->db != NULL)
    sqlite3_close (self->db);
  if (self->spatialite_cache != NULL)
    spatialite_cleanup_ex (self->spatialite_cache);
  g_free (self->path);

  G_OBJECT_CLASS (geo_store_parent_class)->finalize (object);
}

static void
geo_store_class_init (GeoStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = geo_store_finalize;
}

static void
geo_store_init (GeoStore *self)
{
}

sqlite3 *
geo_store_get_db (GeoStore *self)
{
  g_return_val_if_fail (GEO_IS_STORE (self), NULL);
  return self->db;
}

const char *
geo_store_get_path (GeoStore *self)
{
  g_return_val_if_fail (GEO_IS_STORE (self), NULL);
  return self->path;
}

int
geo_store_get_schema_version (GeoStore *self)
{
  g_return_val_if_fail (GEO_IS_STORE (self), -1);
  return self->schema_version;
}

gboolean
geo_store_set_error (GeoStore *self, GError **error, const char *context)
{
  g_set_error (error,
               GEO_ERROR,
               GEO_ERROR_SQL,
               "%s: %s",
               context != NULL ? context : "Database error",
               sqlite3_errmsg (self->db));
  return FALSE;
}

/**
 * geo_store_prepare:
 * Prepares @sql on the store's connection. The caller owns the statement.
 */
sqlite3_stmt *
geo_store_prepare (GeoStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_SQL,
                   "Could not prepare a query: %s",
                   sqlite3_errmsg (self->db));
      return NULL;
    }
  return stmt;
}

/* Cached statements for the hot insert paths (imports insert millions of rows). */
static sqlite3_stmt *
cached (GeoStore *self, sqlite3_stmt **slot, const char *sql, GError **error)
{
  if (*slot == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) !=
          SQLITE_OK)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_SQL,
                       "Could not prepare a query: %s",
                       sqlite3_errmsg (self->db));
          return NULL;
        }
    }
  else
    {
      sqlite3_reset (*slot);
      sqlite3_clear_bindings (*slot);
    }
  return *slot;
}

static gboolean
exec_script (GeoStore *self, const char *sql, const char *what, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_SQL, "%s: %s", what, msg ? msg : "unknown error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
geo_store_begin (GeoStore *self, GError **error)
{
  g_return_val_if_fail (GEO_IS_STORE (self), FALSE);
  return exec_script (self, "BEGIN IMMEDIATE", "Could not start a transaction", error);
}

gboolean
geo_store_commit (GeoStore *self, GError **error)
{
  g_return_val_if_fail (GEO_IS_STORE (self), FALSE);
  return exec_script (self, "COMMIT", "Could not commit", error);
}

void
geo_store_rollback (GeoStore *self)
{
  g_return_if_fail (GEO_IS_STORE (self));
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
read_user_version (GeoStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (self, "PRAGMA user_version", NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int (stmt, 0);
  return -1;
}

static gboolean
load_reference_tables (GeoStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) list = NULL;
  g_autoptr(sqlite3_stmt) pmks = NULL;
  g_autoptr(sqlite3_stmt) psks = NULL;
  guint n;

  list = geo_store_prepare (self, "INSERT INTO code_list (id, kind, description) VALUES (?, ?, ?)", error);
  if (list == NULL)
    return FALSE;
  sqlite3_bind_text (list, 1, GEO_PMKS_CODE_LIST, -1, SQLITE_STATIC);
  sqlite3_bind_text (list, 2, "pmks", -1, SQLITE_STATIC);
  sqlite3_bind_text (list, 3, "Permensos No. 8 Tahun 2012 (26 PMKS)", -1, SQLITE_STATIC);
  if (sqlite3_step (list) != SQLITE_DONE)
    return geo_store_set_error (self, error, "Loading code lists");

  pmks = geo_store_prepare (self,
                            "INSERT INTO pmks_category (code_list, code, name, short_name, name_en, "
                            "colour, symbol) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            error);
  if (pmks == NULL)
    return FALSE;
  n = geo_pmks_count ();
  for (guint i = 0; i < n; i++)
    {
      const GeoCategory *c = geo_pmks_get (i + 1);

      sqlite3_reset (pmks);
      sqlite3_bind_text (pmks, 1, GEO_PMKS_CODE_LIST, -1, SQLITE_STATIC);
      sqlite3_bind_int (pmks, 2, c->code);
      sqlite3_bind_text (pmks, 3, c->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (pmks, 4, c->short_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (pmks, 5, c->name_en, -1, SQLITE_STATIC);
      sqlite3_bind_text (pmks, 6, c->colour, -1, SQLITE_STATIC);
      sqlite3_bind_text (pmks, 7, c->symbol, -1, SQLITE_STATIC);
      if (sqlite3_step (pmks) != SQLITE_DONE)
        return geo_store_set_error (self, error, "Loading PMKS categories");
    }

  psks = geo_store_prepare (self,
                            "INSERT INTO psks_type (code, name, short_name, name_en, colour, symbol) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            error);
  if (psks == NULL)
    return FALSE;
  n = geo_psks_count ();
  for (guint i = 0; i < n; i++)
    {
      const GeoCategory *c = geo_psks_get (i + 1);

      sqlite3_reset (psks);
      sqlite3_bind_int (psks, 1, c->code);
      sqlite3_bind_text (psks, 2, c->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (psks, 3, c->short_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (psks, 4, c->name_en, -1, SQLITE_STATIC);
      sqlite3_bind_text (psks, 5, c->colour, -1, SQLITE_STATIC);
      sqlite3_bind_text (psks, 6, c->symbol, -1, SQLITE_STATIC);
      if (sqlite3_step (psks) != SQLITE_DONE)
        return geo_store_set_error (self, error, "Loading PSKS types");
    }
  return TRUE;
}

/* After a table rebuild: every reference must still point to an existing row. */
static gboolean
check_foreign_keys (GeoStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (self, "PRAGMA foreign_key_check", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_SCHEMA,
                   "row %" G_GINT64_FORMAT " of table %s refers to a missing row of %s",
                   (gint64) sqlite3_column_int64 (stmt, 1),
                   (const char *) sqlite3_column_text (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 2));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (self, error, "Checking foreign keys");
  return TRUE;
}

static gboolean
apply_migration (GeoStore *self, int version, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *pragma = NULL;
  gboolean rebuild;
  gsize len;

  bytes = g_resources_lookup_data (migrations[version - 1], G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));

  rebuild = migration_rebuilds_tables (version);
  /* The pragma is a no-op inside a transaction. */
  if (rebuild && !exec_script (self, "PRAGMA foreign_keys = OFF", "Migrating the schema", error))
    return FALSE;
  if (!geo_store_begin (self, error))
    goto fail_fk;
  if (!exec_script (self, sql, "Migrating the schema", error))
    goto fail;
  if (version == 1 && !load_reference_tables (self, error))
    goto fail;
  if (rebuild && !check_foreign_keys (self, error))
    goto fail;
  /* PRAGMA takes no bound parameters; the version is an integer we produce. */
  pragma = g_strdup_printf ("PRAGMA user_version = %d", version);
  if (!exec_script (self, pragma, "Setting the schema version", error))
    goto fail;
  if (!geo_store_commit (self, error))
    goto fail;
  self->schema_version = version;
  if (rebuild)
    return exec_script (self, "PRAGMA foreign_keys = ON", "Migrating the schema", error);
  return TRUE;

fail:
  geo_store_rollback (self);
fail_fk:
  g_prefix_error (error, "Schema version %d: ", version);
  if (rebuild)
    exec_script (self, "PRAGMA foreign_keys = ON", "Migrating the schema", NULL);
  return FALSE;
}

gboolean
geo_store_migrate_to (GeoStore *self, int version, GError **error)
{
  g_return_val_if_fail (version <= GEO_STORE_SCHEMA_VERSION, FALSE);

  while (self->schema_version < version)
    if (!apply_migration (self, self->schema_version + 1, error))
      return FALSE;
  return TRUE;
}

static gboolean
is_jangkau_db (GeoStore *self)
{
  g_autoptr(sqlite3_stmt) stmt =
    geo_store_prepare (self,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                       "('family', 'person', 'pmks_category')",
                       NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 3;
}

static gboolean
is_empty_db (GeoStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (self, "SELECT count(*) FROM sqlite_master", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0;
}

static GeoStore *
store_open (const char *path, GeoStoreOpenFlags flags, int target_version, GError **error)
{
  g_autoptr(GeoStore) self = NULL;
  int oflags;

  g_return_val_if_fail (path != NULL, NULL);

  geo_ensure_resources ();
  self = g_object_new (GEO_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->readonly = (flags & GEO_STORE_OPEN_READONLY) != 0;

  if (!(flags & GEO_STORE_OPEN_CREATE) && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "%s: no such project file", path);
      return NULL;
    }

  oflags = self->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (flags & GEO_STORE_OPEN_CREATE)
    oflags |= SQLITE_OPEN_CREATE;
  self->spatialite_cache = spatialite_alloc_connection ();
  if (sqlite3_open_v2 (path, &self->db, oflags, NULL) != SQLITE_OK)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_IO,
                   "%s: cannot open: %s",
                   path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  spatialite_init_ex (self->db, self->spatialite_cache, 0);
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  if (!exec_script (self, "PRAGMA foreign_keys = ON", path, error))
    return NULL;
  /* The SQL functions the audit and scope triggers call (schema version 3). */
  if (!geo_audit_attach (self, error))
    return NULL;

  self->schema_version = read_user_version (self);
  if (self->schema_version < 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_SCHEMA, "%s: not an SQLite database", path);
      return NULL;
    }
  if (self->schema_version == 0 && !is_empty_db (self))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_SCHEMA,
                   "%s: not a Jangkau project (an SQLite database with other tables)",
                   path);
      return NULL;
    }
  if (self->schema_version > 0 && !is_jangkau_db (self))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_SCHEMA, "%s: not a Jangkau project", path);
      return NULL;
    }
  if (self->schema_version > GEO_STORE_SCHEMA_VERSION)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_SCHEMA,
                   "%s: schema version %d is newer than this program (%d); update Jangkau",
                   path,
                   self->schema_version,
                   GEO_STORE_SCHEMA_VERSION);
      return NULL;
    }

  if (self->readonly)
    {
      if (self->schema_version == 0)
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_SCHEMA, "%s: empty database", path);
          return NULL;
        }
      return g_steal_pointer (&self);
    }

  /* A new project uses 16 KiB pages (SQLite's default is 4 KiB): fewer, fuller B-tree pages
   * make a large import about a third faster and the file a little smaller (docs/import.md).
   * The page size can only be chosen before the first table and before WAL mode. */
  if (self->schema_version == 0 && !exec_script (self, "PRAGMA page_size = 16384", path, error))
    return NULL;
  if (!exec_script (self, "PRAGMA journal_mode = WAL", path, error) ||
      !exec_script (self, "PRAGMA synchronous = NORMAL", path, error))
    return NULL;

  if (!geo_store_migrate_to (self, target_version, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * geo_store_configure_sqlite:
 *
 * Process-wide SQLite settings; call first in main(), before any other library can start
 * SQLite (afterwards it changes nothing). Memory statistics are turned off: with them on,
 * every allocation SQLite makes takes a global mutex, about 5 % of a large import's time.
 */
void
geo_store_configure_sqlite (void)
{
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

/**
 * geo_store_open:
 * @path: the project file (a SpatiaLite database, conventionally `*.jangkau`)
 * @flags: #GeoStoreOpenFlags
 *
 * Opens a project, creating it when asked, and migrates its schema to
 * %GEO_STORE_SCHEMA_VERSION. One store per thread.
 */
GeoStore *
geo_store_open (const char *path, GeoStoreOpenFlags flags, GError **error)
{
  return store_open (path, flags, GEO_STORE_SCHEMA_VERSION, error);
}

/* For migration tests: create or open a project without migrating past @version. */
GeoStore *
geo_store_open_at_version (const char *path, int version, GError **error)
{
  return store_open (path, GEO_STORE_OPEN_CREATE, version, error);
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

gint64
geo_store_insert_area (GeoStore *self, const GeoAreaRecord *rec, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GEO_IS_STORE (self), -1);
  stmt = cached (self,
                 &self->insert_area,
                 "INSERT INTO area (code, level, name, parent_code, population, geom, "
                 "centroid_lon, centroid_lat) "
                 "SELECT ?1, ?2, ?3, ?4, ?5, g, X (PointOnSurface (g)), Y (PointOnSurface (g)) "
                 "FROM (SELECT CastToMultiPolygon (GeomFromWKB (?6, 4326)) AS g)",
                 error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, rec->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, geo_area_level_to_string (rec->level), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rec->name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, rec->parent_code);
  if (rec->population >= 0)
    sqlite3_bind_int64 (stmt, 5, rec->population);
  if (rec->wkb != NULL)
    sqlite3_bind_blob (stmt, 6, rec->wkb, (int) rec->wkb_len, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_SQL,
                   "Area %s: %s",
                   rec->code,
                   sqlite3_errmsg (self->db));
      return -1;
    }
  return sqlite3_last_insert_rowid (self->db);
}

gint64
geo_store_insert_family (GeoStore *self, const GeoFamilyRecord *rec, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GEO_IS_STORE (self), -1);
  stmt = cached (self,
                 &self->insert_family,
                 "INSERT INTO family (no_kk, address, rt, rw, desa_code, loc_source, gps_accuracy_m, "
                 "import_batch, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, MakePoint (?, ?, 4326))",
                 error);
  if (stmt == NULL)
    return -1;
  bind_text_or_null (stmt, 1, rec->no_kk);
  bind_text_or_null (stmt, 2, rec->address);
  bind_text_or_null (stmt, 3, rec->rt);
  bind_text_or_null (stmt, 4, rec->rw);
  bind_text_or_null (stmt, 5, rec->desa_code);
  sqlite3_bind_text (stmt, 6, geo_loc_source_to_string (rec->loc_source), -1, SQLITE_STATIC);
  if (!isnan (rec->gps_accuracy_m))
    sqlite3_bind_double (stmt, 7, rec->gps_accuracy_m);
  if (rec->import_batch > 0)
    sqlite3_bind_int64 (stmt, 8, rec->import_batch);
  sqlite3_bind_double (stmt, 9, rec->lon);
  sqlite3_bind_double (stmt, 10, rec->lat);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (self, error, "Inserting a family") ? 0 : -1;
  return sqlite3_last_insert_rowid (self->db);
}

gint64
geo_store_insert_person (GeoStore *self, const GeoPersonRecord *rec, GError **error)
{
  sqlite3_stmt *stmt;
  char sex[2] = { rec->sex, 0 };

  g_return_val_if_fail (GEO_IS_STORE (self), -1);
  stmt = cached (self,
                 &self->insert_person,
                 "INSERT INTO person (family_id, nik, name, sex, birth_date, relation, import_batch) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, rec->family_id);
  bind_text_or_null (stmt, 2, rec->nik);
  bind_text_or_null (stmt, 3, rec->name);
  bind_text_or_null (stmt, 4, rec->sex ? sex : NULL);
  bind_text_or_null (stmt, 5, rec->birth_date);
  bind_text_or_null (stmt, 6, rec->relation);
  if (rec->import_batch > 0)
    sqlite3_bind_int64 (stmt, 7, rec->import_batch);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (self, error, "Inserting a person") ? 0 : -1;
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
geo_store_insert_membership (GeoStore   *self,
                             gint64      person_id,
                             int         category,
                             const char *status,
                             GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GEO_IS_STORE (self), FALSE);
  stmt = cached (self,
                 &self->insert_membership,
                 "INSERT OR IGNORE INTO membership (person_id, category, status) "
                 "VALUES (?, ?, coalesce (?, 'entri'))",
                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_int (stmt, 2, category);
  bind_text_or_null (stmt, 3, status);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (self, error, "Inserting a PMKS membership");
  return TRUE;
}

gint64
geo_store_insert_resource (GeoStore *self, const GeoResourceRecord *rec, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (GEO_IS_STORE (self), -1);
  stmt = cached (self,
                 &self->insert_resource,
                 "INSERT INTO resource (type, name, contact, capacity, radius_m, desa_code, geom) "
                 "VALUES (?, ?, ?, ?, ?, ?, MakePoint (?, ?, 4326))",
                 error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int (stmt, 1, rec->type);
  sqlite3_bind_text (stmt, 2, rec->name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, rec->contact);
  if (rec->capacity >= 0)
    sqlite3_bind_int64 (stmt, 4, rec->capacity);
  if (!isnan (rec->radius_m))
    sqlite3_bind_double (stmt, 5, rec->radius_m);
  bind_text_or_null (stmt, 6, rec->desa_code);
  sqlite3_bind_double (stmt, 7, rec->lon);
  sqlite3_bind_double (stmt, 8, rec->lat);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_SQL,
                   "Resource %s: %s",
                   rec->name,
                   sqlite3_errmsg (self->db));
      return -1;
    }
  id = sqlite3_last_insert_rowid (self->db);

  for (guint i = 0; i < rec->n_serves; i++)
    {
      stmt = cached (self,
                     &self->insert_serves,
                     "INSERT OR IGNORE INTO resource_serves (resource_id, category) VALUES (?, ?)",
                     error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, rec->serves[i]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_SQL,
                       "Resource %s serves category %d: %s",
                       rec->name,
                       rec->serves[i],
                       sqlite3_errmsg (self->db));
          return -1;
        }
    }
  return id;
}

/**
 * geo_store_count:
 * @table: one of the project's tables (checked against a fixed list: table names cannot be bound)
 */
gint64
geo_store_count (GeoStore *self, const char *table, GError **error)
{
  static const char *const tables[] = { "area", "family", "person", "membership", "resource",
                                        "import_batch", "road_segment" };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (GEO_IS_STORE (self), -1);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    known |= g_strcmp0 (tables[i], table) == 0;
  if (!known)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "No table named “%s”", table);
      return -1;
    }
  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);
  stmt = geo_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return geo_store_set_error (self, error, "Counting") ? 0 : -1;
  return sqlite3_column_int64 (stmt, 0);
}

gint64
geo_store_count_areas (GeoStore *self, GeoAreaLevel level)
{
  g_autoptr(sqlite3_stmt) stmt =
    geo_store_prepare (self, "SELECT count(*) FROM area WHERE level = ?", NULL);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, geo_area_level_to_string (level), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
geo_store_area_centroid (GeoStore *self, const char *code, double *lon, double *lat)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (GEO_IS_STORE (self), FALSE);
  stmt = cached (self,
                 &self->area_centroid,
                 "SELECT centroid_lon, centroid_lat FROM area WHERE code = ?",
                 NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      if (lon != NULL)
        *lon = sqlite3_column_double (stmt, 0);
      if (lat != NULL)
        *lat = sqlite3_column_double (stmt, 1);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

gboolean
geo_store_area_exists (GeoStore *self, const char *code)
{
  return geo_store_area_centroid (self, code, NULL, NULL);
}

/* TRUE when a kecamatan with this dotted code (PP.KK.CC) is in the project's area table. */
gboolean
geo_store_region_known (GeoStore *self, const char *kecamatan_code)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (GEO_IS_STORE (self), FALSE);
  stmt = cached (self,
                 &self->region_known,
                 "SELECT 1 FROM area WHERE code = ? AND level = 'kecamatan'",
                 NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kecamatan_code, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}
