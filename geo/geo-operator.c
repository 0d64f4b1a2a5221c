#include "config.h"

#include <string.h>

#include "geo-audit-private.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-operator.h"
#include "geo-store-private.h"

static const struct
{
  const char *name;
  const char *label;
} roles[] = {
  [GEO_ROLE_DESA] = { "desa", "desa operator" },
  [GEO_ROLE_KECAMATAN] = { "kecamatan", "kecamatan coordinator" },
  [GEO_ROLE_PLANNER] = { "planner", "Dinsos planner" },
  [GEO_ROLE_ADMIN] = { "admin", "administrator" },
};

const char *
geo_role_to_string (GeoRole role)
{
  g_return_val_if_fail (role <= GEO_ROLE_ADMIN, NULL);
  return roles[role].name;
}

const char *
geo_role_label (GeoRole role)
{
  g_return_val_if_fail (role <= GEO_ROLE_ADMIN, NULL);
  return roles[role].label;
}

gboolean
geo_role_from_string (const char *str, GeoRole *role)
{
  static const struct
  {
    const char *alias;
    GeoRole     role;
  } aliases[] = {
    { "desa", GEO_ROLE_DESA },
    { "operator", GEO_ROLE_DESA },
    { "kelurahan", GEO_ROLE_DESA },
    { "kecamatan", GEO_ROLE_KECAMATAN },
    { "coordinator", GEO_ROLE_KECAMATAN },
    { "planner", GEO_ROLE_PLANNER },
    { "dinsos", GEO_ROLE_PLANNER },
    { "admin", GEO_ROLE_ADMIN },
    { "administrator", GEO_ROLE_ADMIN },
  };

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (aliases[i].alias, str) == 0)
      {
        *role = aliases[i].role;
        return TRUE;
      }
  return FALSE;
}

GeoOperator *
geo_operator_copy (const GeoOperator *op)
{
  GeoOperator *copy = g_new0 (GeoOperator, 1);

  copy->id = op->id;
  copy->name = g_strdup (op->name);
  copy->role = op->role;
  copy->scope = g_strdup (op->scope);
  return copy;
}

void
geo_operator_free (GeoOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->name);
  g_free (op->scope);
  g_free (op);
}

/* TRUE when @code is @scope or a code under it (dotted: 34.02.01 covers 34.02.01.2001). */
static gboolean
code_under (const char *code, const char *scope)
{
  size_t n = strlen (scope);

  return strncmp (code, scope, n) == 0 && (code[n] == '\0' || code[n] == '.');
}

/**
 * geo_operator_covers:
 * @desa_code: (nullable): a family's or resource's desa code
 *
 * TRUE when @op may change records of that desa: planners and administrators everywhere,
 * scoped operators only under their scope (never a record without a desa code).
 */
gboolean
geo_operator_covers (const GeoOperator *op, const char *desa_code)
{
  g_return_val_if_fail (op != NULL, FALSE);
  if (op->scope == NULL)
    return TRUE;
  return desa_code != NULL && code_under (desa_code, op->scope);
}

/* "operator “siti” (desa operator, scope 34.02.01.2001)" */
char *
geo_operator_describe (const GeoOperator *op)
{
  if (op->scope != NULL)
    return g_strdup_printf ("operator “%s” (%s, scope %s)",
                            op->name,
                            geo_role_label (op->role),
                            op->scope);
  return g_strdup_printf ("operator “%s” (%s)", op->name, geo_role_label (op->role));
}

GeoOperator *
geo_operator_lookup (GeoStore *store, const char *name, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GeoOperator) op = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt =
      geo_store_prepare (store, "SELECT id, name, role, scope FROM operator WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No operator named “%s” in this project",
                   name);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      geo_store_set_error (store, error, "Reading operators");
      return NULL;
    }
  op = g_new0 (GeoOperator, 1);
  op->id = sqlite3_column_int64 (stmt, 0);
  op->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (!geo_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &op->role))
    op->role = GEO_ROLE_DESA;
  op->scope = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return g_steal_pointer (&op);
}

static int
count_parts (const char *code)
{
  int n = 1;

  for (const char *p = code; *p; p++)
    if (*p == '.')
      n++;
  return n;
}

/**
 * geo_operator_add:
 * @scope: a desa code for %GEO_ROLE_DESA, a kecamatan code for %GEO_ROLE_KECAMATAN, NULL for
 *   the others
 *
 * Only an administrator may add operators. Returns the new operator's id, -1 on error.
 */
gint64
geo_operator_add (
    GeoStore *store, const char *name, GeoRole role, const char *scope, GError **error)
{
  const GeoOperator *me = geo_operator_current (store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *who = NULL;
  int              want_parts = role == GEO_ROLE_DESA ? 4 : role == GEO_ROLE_KECAMATAN ? 3 : 0;

  g_return_val_if_fail (GEO_IS_STORE (store), -1);
  if (me->role != GEO_ROLE_ADMIN)
    {
      who = geo_operator_describe (me);
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s may not add operators: only an administrator may",
                   who);
      return -1;
    }
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "An operator needs a name");
      return -1;
    }
  if (want_parts == 0 && scope != NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "A %s sees every area: give no scope",
                   geo_role_label (role));
      return -1;
    }
  if (want_parts != 0 && (scope == NULL || count_parts (scope) != want_parts))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "A %s needs a %s code as scope (%s)",
                   geo_role_label (role),
                   role == GEO_ROLE_DESA ? "desa" : "kecamatan",
                   role == GEO_ROLE_DESA ? "e.g. 34.02.01.2001" : "e.g. 34.02.01");
      return -1;
    }
  stmt =
      geo_store_prepare (store, "INSERT INTO operator (name, role, scope) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, geo_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, scope, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (geo_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_INVALID,
                     "An operator named “%s” already exists",
                     name);
      else
        geo_store_set_error (store, error, "Adding an operator");
      return -1;
    }
  return sqlite3_last_insert_rowid (geo_store_get_db (store));
}

/* Returns: (element-type GeoOperator): every operator, by name. */
GPtrArray *
geo_operator_list (GeoStore *store, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_operator_free);

  stmt = geo_store_prepare (store, "SELECT name FROM operator ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GeoOperator *op =
          geo_operator_lookup (store, (const char *) sqlite3_column_text (stmt, 0), error);

      if (op == NULL)
        return NULL;
      g_ptr_array_add (ops, op);
    }
  return g_steal_pointer (&ops);
}

/**
 * geo_operator_use:
 *
 * Makes @name the acting operator of @store's connection: its name goes into every audit
 * entry and its scope limits what the connection may change (enforced by triggers).
 */
gboolean
geo_operator_use (GeoStore *store, const char *name, GError **error)
{
  g_autoptr(GeoOperator) op = geo_operator_lookup (store, name, error);

  if (op == NULL)
    return FALSE;
  geo_audit_set_operator (store, op);
  return TRUE;
}

/* The acting operator (borrowed); the built-in administrator until geo_operator_use(). */
const GeoOperator *
geo_operator_current (GeoStore *store)
{
  return geo_audit_get_operator (store);
}
