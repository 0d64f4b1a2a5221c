#pragma once

#include <gio/gio.h>

#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoAuditEntry:
 * One row of the audit log. @old_value and @new_value are the values as text (NULL for SQL
 * NULL); inserts and deletes carry a JSON snapshot of the row in @new_value / @old_value.
 */
typedef struct
{
  gint64 id;
  char  *at; /* UTC, ISO 8601 with milliseconds */
  char  *operator_name;
  char  *table;
  gint64 row_id;
  char  *action; /* insert, update, delete, import, merge, bulk */
  char  *field;
  char  *old_value;
  char  *new_value;
  char  *prev_hash;
  char  *hash;
} GeoAuditEntry;

void geo_audit_entry_free (GeoAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoAuditEntry, geo_audit_entry_free)

gboolean geo_audit_attach (GeoStore *store, GError **error);

gboolean geo_audit_note (GeoStore   *store,
                         const char *table,
                         gint64      row_id,
                         const char *action,
                         const char *field,
                         const char *old_value,
                         const char *new_value,
                         GError    **error);

GPtrArray *geo_audit_list (GeoStore *store, gint64 limit, GError **error);

/**
 * GeoAuditCheck:
 * @n_entries: entries checked
 * @first_broken: id of the first entry whose hash or chain link is wrong; 0 when intact
 * @problem: what is wrong with it (NULL when intact)
 */
typedef struct
{
  gint64 n_entries;
  gint64 first_broken;
  char  *problem;
} GeoAuditCheck;

gboolean
geo_audit_verify (GeoStore *store, GeoAuditCheck *check, GCancellable *cancellable, GError **error);

G_END_DECLS
