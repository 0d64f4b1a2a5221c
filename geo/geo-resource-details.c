#include "config.h"

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-resource-details.h"
#include "geo-store-private.h"

/**
 * geo_resource_details_load:
 *
 * Reads the contact and capacity of one resource (by primary key). Fails with
 * GEO_ERROR_NOT_FOUND when there is no such resource.
 */
gboolean
geo_resource_details_load (GeoStore           *store,
                           gint64              resource_id,
                           GeoResourceDetails *details,
                           GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  details->contact = NULL;
  details->capacity = -1;
  stmt = geo_store_prepare (store, "SELECT contact, capacity FROM resource WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, resource_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No resource %" G_GINT64_FORMAT,
                   resource_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      geo_store_set_error (store, error, "Reading a resource");
      return FALSE;
    }
  details->contact = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    details->capacity = sqlite3_column_int (stmt, 1);
  return TRUE;
}

void
geo_resource_details_clear (GeoResourceDetails *details)
{
  g_clear_pointer (&details->contact, g_free);
  details->capacity = -1;
}
