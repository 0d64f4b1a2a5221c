#include "config.h"

#include <string.h>

#include "geo-audit.h"
#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "geo-workflow.h"

static const struct
{
  const char *name;
  const char *alias; /* English */
  const char *label;
} states[GEO_N_STATES] = {
  [GEO_STATE_USULAN] = { "usulan", "proposal", "proposal" },
  [GEO_STATE_MUSDES] = { "musdes", "meeting", "village meeting" },
  [GEO_STATE_KUNJUNGAN] = { "kunjungan", "visit", "home visit" },
  [GEO_STATE_ENTRI] = { "entri", "entry", "operator entry" },
  [GEO_STATE_VERIFIKASI] = { "verifikasi", "verification", "Dinsos verification" },
  [GEO_STATE_DISETUJUI] = { "disetujui", "approved", "approval" },
  [GEO_STATE_PADAN] = { "padan", "matched", "Dukcapil match" },
  [GEO_STATE_PERBAIKAN] = { "perbaikan", "correction", "returned for correction" },
  [GEO_STATE_DITUTUP] = { "ditutup", "closed", "closed" },
};

static const struct
{
  const char *name;
  const char *alias;
} exit_reasons[] = {
  [GEO_EXIT_NONE] = { NULL, NULL },
  [GEO_EXIT_DECEASED] = { "meninggal", "deceased" },
  [GEO_EXIT_MOVED] = { "pindah", "moved" },
  [GEO_EXIT_NOT_FOUND] = { "tidak-ditemukan", "not-found" },
  [GEO_EXIT_NOT_ELIGIBLE] = { "mampu", "not-eligible" },
  [GEO_EXIT_DUPLICATE] = { "ganda", "duplicate" },
};

/*
 * The verivali transition table (docs/workflow.md draws it). min_role: the least role that may
 * make the move. Every state but ditutup may also be closed (-> ditutup, with a reason) by any
 * operator: a desa operator is the first to learn that someone died or moved.
 */
static const struct
{
  GeoState from;
  GeoState to;
  GeoRole  min_role;
} transitions[] = {
  { GEO_STATE_USULAN, GEO_STATE_MUSDES, GEO_ROLE_DESA },
  { GEO_STATE_MUSDES, GEO_STATE_KUNJUNGAN, GEO_ROLE_DESA },
  { GEO_STATE_KUNJUNGAN, GEO_STATE_ENTRI, GEO_ROLE_DESA },
  { GEO_STATE_ENTRI, GEO_STATE_VERIFIKASI, GEO_ROLE_KECAMATAN },
  { GEO_STATE_VERIFIKASI, GEO_STATE_DISETUJUI, GEO_ROLE_PLANNER },
  { GEO_STATE_VERIFIKASI, GEO_STATE_PERBAIKAN, GEO_ROLE_PLANNER },
  { GEO_STATE_DISETUJUI, GEO_STATE_PADAN, GEO_ROLE_PLANNER },
  { GEO_STATE_DISETUJUI, GEO_STATE_PERBAIKAN, GEO_ROLE_PLANNER },
  { GEO_STATE_PADAN, GEO_STATE_VERIFIKASI, GEO_ROLE_PLANNER }, /* periodic re-verification */
  { GEO_STATE_PERBAIKAN, GEO_STATE_ENTRI, GEO_ROLE_DESA },
  { GEO_STATE_DITUTUP, GEO_STATE_USULAN, GEO_ROLE_PLANNER }, /* reopened as a new proposal */
};

const char *
geo_state_to_string (GeoState state)
{
  g_return_val_if_fail (state < GEO_N_STATES, NULL);
  return states[state].name;
}

const char *
geo_state_label (GeoState state)
{
  g_return_val_if_fail (state < GEO_N_STATES, NULL);
  return states[state].label;
}

/* Accepts the Indonesian state names and their English aliases (proposal, meeting, ...). */
gboolean
geo_state_from_string (const char *str, GeoState *state)
{
  for (guint i = 0; str != NULL && i < GEO_N_STATES; i++)
    if (g_ascii_strcasecmp (str, states[i].name) == 0 ||
        g_ascii_strcasecmp (str, states[i].alias) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
geo_exit_reason_to_string (GeoExitReason reason)
{
  g_return_val_if_fail (reason <= GEO_EXIT_DUPLICATE, NULL);
  return exit_reasons[reason].name;
}

gboolean
geo_exit_reason_from_string (const char *str, GeoExitReason *reason)
{
  for (guint i = GEO_EXIT_DECEASED; str != NULL && i < G_N_ELEMENTS (exit_reasons); i++)
    if (g_ascii_strcasecmp (str, exit_reasons[i].name) == 0 ||
        g_ascii_strcasecmp (str, exit_reasons[i].alias) == 0)
      {
        *reason = i;
        return TRUE;
      }
  if (str != NULL && (g_ascii_strcasecmp (str, "no-longer-eligible") == 0 ||
                      g_ascii_strcasecmp (str, "tidak-layak") == 0))
    {
      *reason = GEO_EXIT_NOT_ELIGIBLE;
      return TRUE;
    }
  return FALSE;
}

/**
 * geo_workflow_allowed:
 * @min_role: (out) (optional): the least role that may make the move
 *
 * TRUE when the transition table has @from -> @to.
 */
gboolean
geo_workflow_allowed (GeoState from, GeoState to, GeoRole *min_role)
{
  if (to == GEO_STATE_DITUTUP && from != GEO_STATE_DITUTUP)
    {
      if (min_role != NULL)
        *min_role = GEO_ROLE_DESA;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == from && transitions[i].to == to)
      {
        if (min_role != NULL)
          *min_role = transitions[i].min_role;
        return TRUE;
      }
  return FALSE;
}

/* "verifikasi, ditutup": the states @from may move to, in state order. */
char *
geo_workflow_next_states (GeoState from)
{
  GString *out = g_string_new (NULL);

  for (GeoState to = 0; to < GEO_N_STATES; to++)
    if (geo_workflow_allowed (from, to, NULL))
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", states[to].name);
  if (out->len == 0)
    g_string_append (out, "none");
  return g_string_free (out, FALSE);
}

gboolean
geo_workflow_savepoint (GeoStore *store, const char *name, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SAVEPOINT %s", name);
  char            *msg = NULL;

  if (sqlite3_exec (geo_store_get_db (store), sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_SQL, "Could not start a transaction: %s", msg);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
geo_workflow_release (GeoStore *store, const char *name, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("RELEASE %s", name);
  char            *msg = NULL;

  if (sqlite3_exec (geo_store_get_db (store), sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_SQL, "Could not commit: %s", msg);
      sqlite3_free (msg);
      geo_workflow_rollback_to (store, name);
      return FALSE;
    }
  return TRUE;
}

void
geo_workflow_rollback_to (GeoStore *store, const char *name)
{
  g_autofree char *sql = g_strdup_printf ("ROLLBACK TO %s; RELEASE %s", name, name);

  sqlite3_exec (geo_store_get_db (store), sql, NULL, NULL, NULL);
}

static gboolean
is_iso_date (const char *s)
{
  int  y, m, d;
  char tail;

  if (s == NULL || strlen (s) != 10 || sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

static char *
category_label (int code)
{
  const GeoCategory *c = geo_pmks_get (code);

  return g_strdup_printf ("PMKS %d (%s)", code, c != NULL ? c->name : "unknown");
}

/* Checks the parts of a transition that do not depend on the current state. */
static gboolean
check_transition_args (const GeoTransition *t, const char **reason_out, GError **error)
{
  GeoExitReason exit_reason;

  *reason_out = t->reason != NULL && *t->reason != '\0' ? t->reason : NULL;
  if (t->to >= GEO_N_STATES)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Unknown verivali state");
      return FALSE;
    }
  if (t->to == GEO_STATE_DITUTUP)
    {
      if (!geo_exit_reason_from_string (t->reason, &exit_reason))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "Closing (ditutup) needs a reason: meninggal (deceased), pindah (moved), "
                       "tidak-ditemukan (not found), mampu (no longer eligible) or ganda "
                       "(duplicate)%s%s",
                       t->reason != NULL ? "; got " : "",
                       t->reason != NULL ? t->reason : "");
          return FALSE;
        }
      *reason_out = geo_exit_reason_to_string (exit_reason);
    }
  if (t->date != NULL && !is_iso_date (t->date))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Not a date (YYYY-MM-DD): %s", t->date);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_role (GeoStore *store, GeoState from, GeoState to, GError **error)
{
  const GeoOperator *op = geo_operator_current (store);
  GeoRole            min_role;
  g_autofree char   *who = NULL;

  if (!geo_workflow_allowed (from, to, &min_role))
    {
      g_autofree char *next = geo_workflow_next_states (from);

      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "cannot go from %s (%s) to %s (%s); allowed next states: %s",
                   states[from].name,
                   states[from].label,
                   states[to].name,
                   states[to].label,
                   next);
      return FALSE;
    }
  if (op->role < min_role)
    {
      who = geo_operator_describe (op);
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s may not move a membership from %s to %s: that needs a %s or above",
                   who,
                   states[from].name,
                   states[to].name,
                   geo_role_label (min_role));
      return FALSE;
    }
  return TRUE;
}

#define UPDATE_STATUS_SQL                                                                          \
  "UPDATE membership SET status = ?1, since = coalesce (?2, date ('now')), reason = ?3, "          \
  "decree = coalesce (?4, decree), "                                                               \
  "until = CASE WHEN ?1 = 'ditutup' THEN coalesce (?2, date ('now')) END "

static void
bind_update (sqlite3_stmt *stmt, const GeoTransition *t, const char *reason)
{
  sqlite3_bind_text (stmt, 1, states[t->to].name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt,
                     4,
                     t->decree != NULL && *t->decree ? t->decree : NULL,
                     -1,
                     SQLITE_STATIC);
}

static gboolean
person_exists (GeoStore *store, gint64 person_id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (store, "SELECT 1 FROM person WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No person with id %" G_GINT64_FORMAT,
                   person_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_status (
    GeoStore *store, gint64 person_id, const GeoTransition *t, guint *n_changed, GError **error)
{
  g_autoptr(sqlite3_stmt) list = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *reason;
  guint       n_seen = 0;
  int         rc;

  if (!check_transition_args (t, &reason, error) || !person_exists (store, person_id, error))
    return FALSE;

  list = geo_store_prepare (store,
                            "SELECT id, category, status FROM membership WHERE person_id = ?1 "
                            "AND (?2 = 0 OR category = ?2) ORDER BY category",
                            error);
  if (list == NULL)
    return FALSE;
  sqlite3_bind_int64 (list, 1, person_id);
  sqlite3_bind_int (list, 2, t->category);
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      gint64   id = sqlite3_column_int64 (list, 0);
      int      category = sqlite3_column_int (list, 1);
      GeoState from;

      n_seen++;
      if (!geo_state_from_string ((const char *) sqlite3_column_text (list, 2), &from))
        from = GEO_STATE_ENTRI;
      if (from == t->to)
        continue;
      /* Without --category, closed memberships stay closed unless the person is reopened. */
      if (t->category == 0 && from == GEO_STATE_DITUTUP && t->to != GEO_STATE_USULAN)
        continue;
      if (!check_role (store, from, t->to, error))
        {
          g_autofree char *label = category_label (category);

          g_prefix_error (error, "Person %" G_GINT64_FORMAT ", %s: ", person_id, label);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (store, error, "Reading memberships");

  if (n_seen == 0 && t->category != 0 && t->to == GEO_STATE_USULAN)
    {
      /* A new proposal for a category the person does not have yet. */
      g_autoptr(sqlite3_stmt) insert =
                     geo_store_prepare (store,
                                        "INSERT INTO membership (person_id, category, status, "
                                        "since, reason) "
                                        "VALUES (?, ?, 'usulan', coalesce (?, date ('now')), ?)",
                                        error);

      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, person_id);
      sqlite3_bind_int (insert, 2, t->category);
      sqlite3_bind_text (insert, 3, t->date, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, reason, -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        return geo_store_set_error (store, error, "Adding a proposal");
      *n_changed += 1;
      return TRUE;
    }
  if (n_seen == 0)
    {
      if (t->category != 0)
        {
          g_autofree char *label = category_label (t->category);

          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_NOT_FOUND,
                       "Person %" G_GINT64_FORMAT " has no membership in %s (propose it with the "
                       "state usulan)",
                       person_id,
                       label);
        }
      else
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_NOT_FOUND,
                     "Person %" G_GINT64_FORMAT " has no PMKS membership",
                     person_id);
      return FALSE;
    }

  update = geo_store_prepare (store, UPDATE_STATUS_SQL "WHERE id = ?5", error);
  if (update == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_reset (update);
      bind_update (update, t, reason);
      sqlite3_bind_int64 (update, 5, g_array_index (ids, gint64, i));
      if (sqlite3_step (update) != SQLITE_DONE)
        return geo_store_set_error (store, error, "Changing the status");
      *n_changed += 1;
    }
  return TRUE;
}

/**
 * geo_workflow_set_status:
 * @n_changed: (out) (optional): memberships changed (0 when all were already in the state)
 *
 * Moves a person's memberships (one category, or every membership that is not closed) to
 * @transition->to, in one transaction: if one membership may not make the move, none moves
 * and the error names the person, the category, both states and the allowed next states.
 * The acting operator's role and scope are checked; every change is audited and appended to
 * membership_history. With state usulan and a category the person does not have, adds it as
 * a new proposal.
 */
gboolean
geo_workflow_set_status (GeoStore            *store,
                         gint64               person_id,
                         const GeoTransition *transition,
                         guint               *n_changed,
                         GError             **error)
{
  guint n = 0;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (!geo_workflow_savepoint (store, "geo_status", error))
    return FALSE;
  if (!set_status (store, person_id, transition, &n, error))
    {
      geo_workflow_rollback_to (store, "geo_status");
      return FALSE;
    }
  if (!geo_workflow_release (store, "geo_status", error))
    return FALSE;
  if (n_changed != NULL)
    *n_changed = n;
  return TRUE;
}

static gboolean
bulk (GeoStore            *store,
      GeoState             from,
      const char *const   *areas,
      const GeoTransition *t,
      guint               *n_changed,
      GError             **error)
{
  const GeoOperator *op = geo_operator_current (store);
  const char        *scope_only[] = { op->scope, NULL };
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) summary = NULL;
  const char *reason;

  if (!check_transition_args (t, &reason, error) || !check_role (store, from, t->to, error))
    return FALSE;
  if (areas == NULL || areas[0] == NULL)
    areas = op->scope != NULL ? scope_only : NULL;
  for (guint i = 0; areas != NULL && areas[i] != NULL; i++)
    if (!geo_operator_covers (op, areas[i]))
      {
        g_autofree char *who = geo_operator_describe (op);

        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_INVALID,
                     "%s may not change records of %s (outside its scope)",
                     who,
                     areas[i]);
        return FALSE;
      }

  update = geo_store_prepare (store,
                              UPDATE_STATUS_SQL
                              "WHERE status = ?6 AND (?7 = 0 OR category = ?7) AND (?8 IS NULL OR "
                              "person_id IN (SELECT p.id FROM person AS p JOIN family AS f ON "
                              "f.id = p.family_id WHERE f.desa_code = ?8 OR "
                              "substr (f.desa_code, 1, length (?8) + 1) = ?8 || '.'))",
                              error);
  summary =
      geo_store_prepare (store,
                         "SELECT json_object ('to', ?, 'area', ?, 'category', ?, 'decree', ?, "
                         "'count', ?)",
                         error);
  if (update == NULL || summary == NULL)
    return FALSE;
  for (guint i = 0; i == 0 || (areas != NULL && areas[i] != NULL); i++)
    {
      const char *area = areas != NULL ? areas[i] : NULL;
      guint       n;

      sqlite3_reset (update);
      bind_update (update, t, reason);
      sqlite3_bind_text (update, 6, states[from].name, -1, SQLITE_STATIC);
      sqlite3_bind_int (update, 7, t->category);
      sqlite3_bind_text (update, 8, area, -1, SQLITE_STATIC);
      if (sqlite3_step (update) != SQLITE_DONE)
        return geo_store_set_error (store, error, "Changing the status");
      n = sqlite3_changes (geo_store_get_db (store));
      *n_changed += n;
      /* One summary entry for the whole bulk move, besides the per-row entries. */
      sqlite3_reset (summary);
      sqlite3_bind_text (summary, 1, states[t->to].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (summary, 2, area != NULL ? area : "*", -1, SQLITE_STATIC);
      sqlite3_bind_int (summary, 3, t->category);
      sqlite3_bind_text (summary, 4, t->decree, -1, SQLITE_STATIC);
      sqlite3_bind_int (summary, 5, (int) n);
      if (sqlite3_step (summary) != SQLITE_ROW)
        return geo_store_set_error (store, error, "Summarising");
      if (!geo_audit_note (store,
                           "membership",
                           0,
                           "bulk",
                           "status",
                           states[from].name,
                           (const char *) sqlite3_column_text (summary, 0),
                           error))
        return FALSE;
      if (areas == NULL)
        break;
    }
  return TRUE;
}

/**
 * geo_workflow_bulk:
 * @areas: (nullable): desa or kecamatan codes; NULL = the operator's scope (everywhere for
 *   planners and administrators)
 * @n_changed: (out) (optional): memberships moved
 *
 * Moves every membership in state @from of families under @areas (one category or all) to
 * @transition->to, e.g. all verifikasi persons of a desa to disetujui with the decree number,
 * in one transaction. Each row is audited; one summary entry per area records the decree and
 * the count.
 */
gboolean
geo_workflow_bulk (GeoStore            *store,
                   GeoState             from,
                   const char *const   *areas,
                   const GeoTransition *transition,
                   guint               *n_changed,
                   GError             **error)
{
  guint n = 0;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (!geo_workflow_savepoint (store, "geo_bulk", error))
    return FALSE;
  if (!bulk (store, from, areas, transition, &n, error))
    {
      geo_workflow_rollback_to (store, "geo_bulk");
      return FALSE;
    }
  if (!geo_workflow_release (store, "geo_bulk", error))
    return FALSE;
  if (n_changed != NULL)
    *n_changed = n;
  return TRUE;
}

static gboolean
all_digits (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Validates and normalises one field value; NULL *out clears the field. */
static gboolean
person_field_value (const char *field, const char *value, char **out, GError **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value != NULL ? value : ""));

  *out = NULL;
  if (strcmp (field, "name") == 0)
    {
      if (*v == '\0')
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "name: a person's name cannot be empty");
          return FALSE;
        }
    }
  else if (strcmp (field, "sex") == 0)
    {
      if (g_ascii_strcasecmp (v, "l") == 0 || g_ascii_strcasecmp (v, "laki-laki") == 0 ||
          g_ascii_strcasecmp (v, "m") == 0)
        strcpy (v, "L");
      else if (g_ascii_strcasecmp (v, "p") == 0 || g_ascii_strcasecmp (v, "perempuan") == 0 ||
               g_ascii_strcasecmp (v, "f") == 0)
        strcpy (v, "P");
      else if (*v != '\0')
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "sex: expected L or P, got “%s”", v);
          return FALSE;
        }
    }
  else if (strcmp (field, "birth_date") == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      if (*v != '\0' && (!is_iso_date (v) || strcmp (v, today) > 0 || strcmp (v, "1880-01-01") < 0))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "birth_date: not a plausible date YYYY-MM-DD: “%s”",
                       v);
          return FALSE;
        }
    }
  else if (strcmp (field, "nik") == 0)
    {
      /* Length and digits only: the full NIK check (region, date, sex) is geo-nik.h's. */
      if (*v != '\0' && (strlen (v) != 16 || !all_digits (v)))
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "nik: a NIK is 16 digits, got “%s”", v);
          return FALSE;
        }
    }
  else if (strcmp (field, "relation") != 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Unknown person field “%s” (name, sex, birth_date, relation, nik)",
                   field);
      return FALSE;
    }
  if (*v != '\0')
    *out = g_steal_pointer (&v);
  return TRUE;
}

static gboolean
person_set (GeoStore          *store,
            gint64             person_id,
            const char *const *fields,
            const char *const *values,
            guint              n_fields,
            GError           **error)
{
  /* Column names cannot be bound: each comes from this fixed list. */
  static const char *const columns[] = { "name", "sex", "birth_date", "relation", "nik" };

  if (!person_exists (store, person_id, error))
    return FALSE;
  for (guint i = 0; i < n_fields; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *value = NULL;
      g_autofree char *sql = NULL;
      const char      *column = NULL;

      if (!person_field_value (fields[i], values[i], &value, error))
        return FALSE;
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        if (strcmp (columns[c], fields[i]) == 0)
          column = columns[c];
      g_assert (column != NULL);
      sql = g_strdup_printf ("UPDATE person SET %s = ?, updated_at = strftime "
                             "('%%Y-%%m-%%dT%%H:%%M:%%SZ', "
                             "'now') WHERE id = ? AND %s IS NOT ?1",
                             column,
                             column);
      stmt = geo_store_prepare (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, person_id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          if (sqlite3_extended_errcode (geo_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
            {
              g_set_error (error,
                           GEO_ERROR,
                           GEO_ERROR_INVALID,
                           "nik: NIK %s already belongs to another person",
                           value);
              return FALSE;
            }
          return geo_store_set_error (store, error, "Changing a person");
        }
    }
  return TRUE;
}

/**
 * geo_person_set_fields:
 * @fields: name, sex (L/P), birth_date (YYYY-MM-DD), relation, nik (16 digits); an empty value
 *   clears the field (except name)
 *
 * Changes a person's fields in one transaction, validated, checked against the acting
 * operator's scope and audited (one entry per changed field).
 */
gboolean
geo_person_set_fields (GeoStore          *store,
                       gint64             person_id,
                       const char *const *fields,
                       const char *const *values,
                       guint              n_fields,
                       GError           **error)
{
  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (!geo_workflow_savepoint (store, "geo_person", error))
    return FALSE;
  if (!person_set (store, person_id, fields, values, n_fields, error))
    {
      geo_workflow_rollback_to (store, "geo_person");
      return FALSE;
    }
  return geo_workflow_release (store, "geo_person", error);
}
