#include "config.h"

#include <string.h>

#include "geo-audit-private.h"
#include "geo-audit.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"

/*
 * The audit log is written by SQLite triggers on the audited tables
 * (data/schema/0003-workflow.sql), so that no code path can change a person, family, membership,
 * resource or visit without an entry in the same transaction. The hash chain is computed inside the
 * INSERT by a C function registered on the connection (jangkau_audit_hash) rather than in C at
 * commit time: SQLite has no hook that may write at commit, and computing it in the INSERT keeps
 * every committed entry chained whatever code path committed. A connection without the function
 * (the sqlite3 shell) cannot write audited tables at all, which is the point.
 */

#define CONTEXT_KEY "geo-audit-context"

typedef struct
{
  GeoOperator *op;
} AuditContext;

static void
audit_context_free (gpointer data)
{
  AuditContext *ctx = data;

  geo_operator_free (ctx->op);
  g_free (ctx);
}

static AuditContext *
get_context (GeoStore *store)
{
  return g_object_get_data (G_OBJECT (store), CONTEXT_KEY);
}

void
geo_audit_set_operator (GeoStore *store, const GeoOperator *op)
{
  AuditContext *ctx = get_context (store);

  g_return_if_fail (ctx != NULL);
  g_clear_pointer (&ctx->op, geo_operator_free);
  ctx->op = geo_operator_copy (op);
}

const GeoOperator *
geo_audit_get_operator (GeoStore *store)
{
  AuditContext *ctx = get_context (store);

  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->op;
}

/* Canonical, unambiguous encoding of one SQL value: a type tag, the byte length, the bytes. */
static void
hash_value (GChecksum *sum, sqlite3_value *value)
{
  char             head[48];
  const guchar    *data = NULL;
  g_autofree char *text = NULL;
  int              len = 0;
  char             tag;

  switch (sqlite3_value_type (value))
    {
    case SQLITE_INTEGER:
      tag = 'i';
      text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_value_int64 (value));
      break;
    case SQLITE_FLOAT:
      tag = 'r';
      text = g_strdup_printf ("%.17g", sqlite3_value_double (value));
      break;
    case SQLITE_TEXT:
      tag = 't';
      data = sqlite3_value_text (value);
      len = sqlite3_value_bytes (value);
      break;
    case SQLITE_BLOB:
      tag = 'b';
      data = sqlite3_value_blob (value);
      len = sqlite3_value_bytes (value);
      break;
    case SQLITE_NULL:
    default:
      tag = 'n';
      break;
    }
  if (text != NULL)
    {
      data = (const guchar *) text;
      len = (int) strlen (text);
    }
  g_snprintf (head, sizeof head, "%c%d:", tag, len);
  g_checksum_update (sum, (const guchar *) head, -1);
  if (len > 0)
    g_checksum_update (sum, data, len);
}

/* SHA-256 (hex) of the entry's fields in column order: id, at, operator, tbl, row_id, action,
 * field, old_value, new_value, prev_hash. */
static char *
hash_values (int argc, sqlite3_value **argv)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (int i = 0; i < argc; i++)
    hash_value (sum, argv[i]);
  return g_strdup (g_checksum_get_string (sum));
}

static void
sql_audit_hash (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  char *hex = hash_values (argc, argv);

  sqlite3_result_text (context, hex, -1, g_free);
}

static void
sql_operator (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  AuditContext *ctx = sqlite3_user_data (context);

  sqlite3_result_text (context, ctx->op->name, -1, SQLITE_TRANSIENT);
}

/* jangkau_scope_check(desa_code): 1 when the acting operator may change a record of that desa,
 * otherwise an error that aborts the statement (and names operator, scope and desa). */
static void
sql_scope_check (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  AuditContext    *ctx = sqlite3_user_data (context);
  const char      *desa = (const char *) sqlite3_value_text (argv[0]);
  g_autofree char *who = NULL;
  g_autofree char *msg = NULL;

  if (geo_operator_covers (ctx->op, desa))
    {
      sqlite3_result_int (context, 1);
      return;
    }
  who = geo_operator_describe (ctx->op);
  msg = g_strdup_printf ("%s may not change records %s%s%s",
                         who,
                         desa != NULL ? "of desa " : "without a desa code",
                         desa != NULL ? desa : "",
                         desa != NULL ? " (outside its scope)" : "");
  sqlite3_result_error (context, msg, -1);
}

/**
 * geo_audit_attach:
 *
 * Registers the SQL functions the audit and scope triggers call on @store's connection, acting
 * as the built-in administrator until geo_operator_use() names another operator. Called by
 * geo_store_open() before any migration.
 */
gboolean
geo_audit_attach (GeoStore *store, GError **error)
{
  sqlite3      *db = geo_store_get_db (store);
  AuditContext *ctx = g_new0 (AuditContext, 1);
  GeoOperator   admin = { 0, (char *) GEO_OPERATOR_DEFAULT, GEO_ROLE_ADMIN, NULL };
  int           rc;

  ctx->op = geo_operator_copy (&admin);
  /* The store's finalize closes the connection before its object data is freed. */
  g_object_set_data_full (G_OBJECT (store), CONTEXT_KEY, ctx, audit_context_free);

  rc = sqlite3_create_function (db,
                                "jangkau_audit_hash",
                                10,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL,
                                sql_audit_hash,
                                NULL,
                                NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (db,
                                  "jangkau_operator",
                                  0,
                                  SQLITE_UTF8,
                                  ctx,
                                  sql_operator,
                                  NULL,
                                  NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (db,
                                  "jangkau_scope_check",
                                  1,
                                  SQLITE_UTF8,
                                  ctx,
                                  sql_scope_check,
                                  NULL,
                                  NULL);
  if (rc != SQLITE_OK)
    return geo_store_set_error (store, error, "Registering the audit functions");
  return TRUE;
}

/**
 * geo_audit_note:
 *
 * Appends one entry that no trigger writes: a summary (a merge, a bulk transition). Runs in the
 * caller's transaction when there is one.
 */
gboolean
geo_audit_note (GeoStore   *store,
                const char *table,
                gint64      row_id,
                const char *action,
                const char *field,
                const char *old_value,
                const char *new_value,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  stmt = geo_store_prepare (store, "INSERT INTO audit_append VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  if (row_id > 0)
    sqlite3_bind_int64 (stmt, 2, row_id);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, old_value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, new_value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Writing the audit log");
  return TRUE;
}

void
geo_audit_entry_free (GeoAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->operator_name);
  g_free (entry->table);
  g_free (entry->action);
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

static char *
column_dup (sqlite3_stmt *stmt, int i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);

  return g_strdup (text);
}

#define ENTRY_COLUMNS                                                                              \
  "id, at, operator, tbl, row_id, action, field, old_value, new_value, prev_hash, hash"

/**
 * geo_audit_list:
 * @limit: the newest @limit entries; <= 0 for all
 *
 * Returns: (element-type GeoAuditEntry): the entries, oldest first.
 */
GPtrArray *
geo_audit_list (GeoStore *store, gint64 limit, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries =
                 g_ptr_array_new_with_free_func ((GDestroyNotify) geo_audit_entry_free);
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT " ENTRY_COLUMNS " FROM audit_log ORDER BY id DESC LIMIT ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GeoAuditEntry *e = g_new0 (GeoAuditEntry, 1);

      e->id = sqlite3_column_int64 (stmt, 0);
      e->at = column_dup (stmt, 1);
      e->operator_name = column_dup (stmt, 2);
      e->table = column_dup (stmt, 3);
      e->row_id = sqlite3_column_int64 (stmt, 4);
      e->action = column_dup (stmt, 5);
      e->field = column_dup (stmt, 6);
      e->old_value = column_dup (stmt, 7);
      e->new_value = column_dup (stmt, 8);
      e->prev_hash = column_dup (stmt, 9);
      e->hash = column_dup (stmt, 10);
      g_ptr_array_add (entries, e);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Reading the audit log");
      return NULL;
    }
  /* Oldest first. */
  for (guint i = 0; i < entries->len / 2; i++)
    {
      gpointer tmp = entries->pdata[i];

      entries->pdata[i] = entries->pdata[entries->len - 1 - i];
      entries->pdata[entries->len - 1 - i] = tmp;
    }
  return g_steal_pointer (&entries);
}

/**
 * geo_audit_verify:
 * @check: (out caller-allocates): the result; free check->problem with g_free()
 *
 * Walks the whole log in id order and recomputes every hash. An entry is broken when its id does
 * not follow the previous one (a deleted entry), its prev_hash is not the previous entry's hash
 * (an entry deleted or rewritten before it) or its own hash does not match its content (an
 * edited entry). Deleting the newest entries leaves a shorter valid chain: that is not
 * detectable from the log alone (see docs/workflow.md).
 *
 * Returns: FALSE only when the log could not be read; an intact or broken chain is in @check.
 */
gboolean
geo_audit_verify (GeoStore *store, GeoAuditCheck *check, GCancellable *cancellable, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev_hash = g_strdup ("");
  gint64           prev_id = 0;
  int              rc;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  memset (check, 0, sizeof *check);
  stmt = geo_store_prepare (store, "SELECT " ENTRY_COLUMNS " FROM audit_log ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_value   *values[10];
      gint64           id = sqlite3_column_int64 (stmt, 0);
      const char      *stored_prev = (const char *) sqlite3_column_text (stmt, 9);
      g_autofree char *stored_hash = column_dup (stmt, 10);
      g_autofree char *computed = NULL;

      if ((check->n_entries & 0xfff) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      check->n_entries++;
      for (int i = 0; i < 10; i++)
        values[i] = sqlite3_column_value (stmt, i);
      computed = hash_values (10, values);

      if (id != prev_id + 1)
        check->problem =
            g_strdup_printf ("entry %" G_GINT64_FORMAT " follows entry %" G_GINT64_FORMAT
                             ": entries in between are missing",
                             id,
                             prev_id);
      else if (g_strcmp0 (stored_prev, prev_hash) != 0)
        check->problem = g_strdup_printf ("entry %" G_GINT64_FORMAT " does not chain to the entry "
                                          "before it (that entry was changed or removed)",
                                          id);
      else if (g_strcmp0 (stored_hash, computed) != 0)
        check->problem = g_strdup_printf ("entry %" G_GINT64_FORMAT " was altered: its content "
                                          "does not match its hash",
                                          id);
      if (check->problem != NULL)
        {
          check->first_broken = id;
          return TRUE;
        }
      prev_id = id;
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&stored_hash);
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (store, error, "Reading the audit log");
  return TRUE;
}
