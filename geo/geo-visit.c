#include "config.h"

#include <stdio.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "geo-visit.h"
#include "geo-workflow.h"

static const struct
{
  int         code;
  const char *alias;
  const char *label;
} outcomes[] = {
  { GEO_VISIT_FOUND, "found", "found (ditemukan)" },
  { GEO_VISIT_MOVED_NOT_FOUND, "moved", "moved / not found (pindah / tidak ditemukan)" },
  { GEO_VISIT_REFUSED, "refused", "refused (menolak)" },
  { GEO_VISIT_DECEASED, "deceased", "deceased (meninggal)" },
  { GEO_VISIT_NOT_ELIGIBLE, "not-eligible", "not eligible (tidak layak)" },
  { GEO_VISIT_IN_INSTITUTION, "institution", "in an institution (di lembaga)" },
  { GEO_VISIT_NOT_REACHABLE, "not-reachable", "not reachable by the end (tidak dapat ditemui)" },
  { GEO_VISIT_NOT_AT_HOME, "not-at-home", "not at home, revisit (tidak di rumah)" },
};

static const struct
{
  int         code;
  const char *alias;
  const char *label;
} presences[] = {
  { GEO_MEMBER_LIVES_HERE, "lives-here", "lives here" },
  { GEO_MEMBER_DECEASED, "deceased", "deceased" },
  { GEO_MEMBER_MOVED_DOMESTIC, "moved", "moved within Indonesia" },
  { GEO_MEMBER_MOVED_ABROAD, "moved-abroad", "moved abroad" },
  { GEO_MEMBER_NOT_FOUND, "not-found", "not found" },
};

const char *
geo_visit_outcome_label (int outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (outcomes[i].code == outcome)
      return outcomes[i].label;
  return NULL;
}

/* A code (1-6, 8, 9) or its English alias (found, moved, refused, ..., not-at-home). */
gboolean
geo_visit_outcome_from_string (const char *str, int *outcome)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (outcomes); i++)
    {
      char digits[4];

      g_snprintf (digits, sizeof digits, "%d", outcomes[i].code);
      if (strcmp (str, digits) == 0 || g_ascii_strcasecmp (str, outcomes[i].alias) == 0)
        {
          *outcome = outcomes[i].code;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
geo_member_presence_label (int code)
{
  for (guint i = 0; i < G_N_ELEMENTS (presences); i++)
    if (presences[i].code == code)
      return presences[i].label;
  return NULL;
}

gboolean
geo_member_presence_from_string (const char *str, int *code)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (presences); i++)
    {
      char digits[4];

      g_snprintf (digits, sizeof digits, "%d", presences[i].code);
      if (strcmp (str, digits) == 0 || g_ascii_strcasecmp (str, presences[i].alias) == 0)
        {
          *code = presences[i].code;
          return TRUE;
        }
    }
  return FALSE;
}

/* The exit reason a family outcome or member code means; NULL when it closes nothing. */
static const char *
family_exit (int outcome)
{
  switch (outcome)
    {
    case GEO_VISIT_MOVED_NOT_FOUND:
      return "tidak-ditemukan";
    case GEO_VISIT_DECEASED:
      return "meninggal";
    case GEO_VISIT_NOT_ELIGIBLE:
      return "mampu";
    default:
      return NULL;
    }
}

static const char *
member_exit (int code)
{
  switch (code)
    {
    case GEO_MEMBER_DECEASED:
      return "meninggal";
    case GEO_MEMBER_MOVED_DOMESTIC:
    case GEO_MEMBER_MOVED_ABROAD:
      return "pindah";
    case GEO_MEMBER_NOT_FOUND:
      return "tidak-ditemukan";
    default:
      return NULL;
    }
}

/* Applies a presence to one person: close with a reason, or record that the home visit took
 * place (musdes -> kunjungan). Memberships in other states are left alone. */
static gboolean
apply_to_person (GeoStore   *store,
                 gint64      person_id,
                 const char *exit_reason,
                 const char *date,
                 guint      *n,
                 GError    **error)
{
  /* The change takes effect on the visit date (membership.since, membership_history). */
  GeoTransition t = { .date = date };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint changed = 0;

  if (exit_reason != NULL)
    {
      t.to = GEO_STATE_DITUTUP;
      t.reason = exit_reason;
      /* set_status refuses a person without memberships: nothing to close is fine here. */
      stmt = geo_store_prepare (store,
                                "SELECT count(*) FROM membership WHERE person_id = ? AND status != "
                                "'ditutup'",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, person_id);
      if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) == 0)
        return TRUE;
      if (!geo_workflow_set_status (store, person_id, &t, &changed, error))
        return FALSE;
      *n += changed;
      return TRUE;
    }

  stmt = geo_store_prepare (store,
                            "SELECT DISTINCT category FROM membership WHERE person_id = ? AND "
                            "status = 'musdes'",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      t.to = GEO_STATE_KUNJUNGAN;
      t.category = sqlite3_column_int (stmt, 0);
      if (!geo_workflow_set_status (store, person_id, &t, &changed, error))
        return FALSE;
      *n += changed;
    }
  return TRUE;
}

static gboolean
valid_date (const char *s)
{
  int  y, m, d;
  char tail;

  return s != NULL && strlen (s) == 10 && sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
         g_date_valid_dmy (d, m, y);
}

static gboolean
visit_log (GeoStore *store, const GeoVisitRecord *v, GeoVisitResult *result, GError **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) member = NULL;
  g_autoptr(sqlite3_stmt) persons = NULL;
  g_autoptr(sqlite3_stmt) latest = NULL;
  g_autoptr(sqlite3_stmt) requeue = NULL;
  g_autoptr(GArray) person_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *exit_reason = family_exit (v->outcome);
  sqlite3    *db = geo_store_get_db (store);

  if (geo_visit_outcome_label (v->outcome) == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Unknown visit outcome %d (DTSEN family codes 1-6, 8; 9 = not at home)",
                   v->outcome);
      return FALSE;
    }
  if (!valid_date (v->date))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Not a date (YYYY-MM-DD): %s",
                   v->date ? v->date : "(none)");
      return FALSE;
    }
  if (v->has_point && !geo_point_in_indonesia (v->lon, v->lat))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The visit's point %.6f, %.6f (lon, lat) is outside Indonesia; "
                   "are longitude and latitude swapped?",
                   v->lon,
                   v->lat);
      return FALSE;
    }

  persons =
      geo_store_prepare (store, "SELECT id FROM person WHERE family_id = ? ORDER BY id", error);
  if (persons == NULL)
    return FALSE;
  sqlite3_bind_int64 (persons, 1, v->family_id);
  while (sqlite3_step (persons) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (persons, 0);

      g_array_append_val (person_ids, id);
    }

  insert = geo_store_prepare (store,
                              "INSERT INTO visit (family_id, visit_date, team, outcome, notes, "
                              "operator, geom) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, jangkau_operator (), "
                              "CASE WHEN ?6 IS NOT NULL THEN MakePoint (?6, ?7, 4326) END)",
                              error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, v->family_id);
  sqlite3_bind_text (insert, 2, v->date, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, v->team != NULL && *v->team ? v->team : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 4, v->outcome);
  sqlite3_bind_text (insert, 5, v->notes != NULL && *v->notes ? v->notes : NULL, -1, SQLITE_STATIC);
  if (v->has_point)
    {
      sqlite3_bind_double (insert, 6, v->lon);
      sqlite3_bind_double (insert, 7, v->lat);
    }
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      int code = sqlite3_extended_errcode (db);

      if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_NOT_FOUND,
                     "No family with id %" G_GINT64_FORMAT,
                     v->family_id);
      else if (code == SQLITE_CONSTRAINT_CHECK)
        g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Not a date (YYYY-MM-DD): %s", v->date);
      else
        geo_store_set_error (store, error, "Logging a visit");
      return FALSE;
    }
  result->visit_id = sqlite3_last_insert_rowid (db);

  member =
      geo_store_prepare (store,
                         "INSERT INTO visit_member (visit_id, person_id, code) VALUES (?, ?, ?)",
                         error);
  if (member == NULL)
    return FALSE;
  for (guint i = 0; i < v->n_members; i++)
    {
      gboolean in_family = FALSE;

      for (guint j = 0; j < person_ids->len; j++)
        in_family |= g_array_index (person_ids, gint64, j) == v->members[i].person_id;
      if (!in_family)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "Person %" G_GINT64_FORMAT " is not a member of family %" G_GINT64_FORMAT,
                       v->members[i].person_id,
                       v->family_id);
          return FALSE;
        }
      if (geo_member_presence_label (v->members[i].code) == NULL)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "Unknown member presence code %d (1-5)",
                       v->members[i].code);
          return FALSE;
        }
      sqlite3_reset (member);
      sqlite3_bind_int64 (member, 1, result->visit_id);
      sqlite3_bind_int64 (member, 2, v->members[i].person_id);
      sqlite3_bind_int (member, 3, v->members[i].code);
      if (sqlite3_step (member) != SQLITE_DONE)
        return geo_store_set_error (store, error, "Logging a visit's member");
    }

  /* Status effects: the family outcome applies to every member, then member codes. */
  if (exit_reason != NULL || v->outcome == GEO_VISIT_FOUND)
    for (guint j = 0; j < person_ids->len; j++)
      if (!apply_to_person (store,
                            g_array_index (person_ids, gint64, j),
                            exit_reason,
                            v->date,
                            &result->n_status_changed,
                            error))
        return FALSE;
  if (exit_reason == NULL)
    for (guint i = 0; i < v->n_members; i++)
      if (!apply_to_person (store,
                            v->members[i].person_id,
                            member_exit (v->members[i].code),
                            v->date,
                            &result->n_status_changed,
                            error))
        return FALSE;

  /* Re-queue: decided by the family's latest visit (by date, then by entry order). */
  latest = geo_store_prepare (store,
                              "SELECT outcome IN (8, 9) FROM visit WHERE family_id = ? "
                              "ORDER BY visit_date DESC, id DESC LIMIT 1",
                              error);
  requeue = geo_store_prepare (store,
                               "UPDATE family SET requeue = ?1 WHERE id = ?2 AND requeue IS NOT ?1",
                               error);
  if (latest == NULL || requeue == NULL)
    return FALSE;
  sqlite3_bind_int64 (latest, 1, v->family_id);
  if (sqlite3_step (latest) != SQLITE_ROW)
    return geo_store_set_error (store, error, "Reading visits");
  result->requeue = sqlite3_column_int (latest, 0) != 0;
  sqlite3_bind_int (requeue, 1, result->requeue);
  sqlite3_bind_int64 (requeue, 2, v->family_id);
  if (sqlite3_step (requeue) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Re-queueing the family");
  return TRUE;
}

/**
 * geo_visit_log:
 * @result: (out caller-allocates): the new visit's id and what it changed
 *
 * Logs a home visit in one transaction (checked against the operator's scope and audited).
 * Outcomes update the members' status: deceased (family 4 / member 2) closes with reason
 * meninggal, moved (member 3, 4) with pindah, not found (family 2 / member 5) with
 * tidak-ditemukan, not eligible (family 5) with mampu; found (family 1 / member 1) moves
 * memberships waiting in musdes to kunjungan. Not reachable (8) and not at home (9) set
 * family.requeue so that the next round takes the family again; a later visit with another
 * outcome clears it.
 */
gboolean
geo_visit_log (GeoStore *store, const GeoVisitRecord *visit, GeoVisitResult *result, GError **error)
{
  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!geo_workflow_savepoint (store, "geo_visit", error))
    return FALSE;
  if (!visit_log (store, visit, result, error))
    {
      geo_workflow_rollback_to (store, "geo_visit");
      return FALSE;
    }
  return geo_workflow_release (store, "geo_visit", error);
}
