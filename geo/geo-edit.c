#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo-audit.h"
#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-edit.h"
#include "geo-error.h"
#include "geo-operator.h"
#include "geo-selection.h"
#include "geo-store-private.h"
#include "geo-workflow.h"

#define GEO_CATEGORY_ALL_BITS ((1u << GEO_PMKS_N_CATEGORIES) - 1)

static const char *const field_names[GEO_EDIT_N_FIELDS] = {
  [GEO_EDIT_NONE] = "record",
  [GEO_EDIT_NO_KK] = "no_kk",
  [GEO_EDIT_ADDRESS] = "address",
  [GEO_EDIT_RT] = "rt",
  [GEO_EDIT_RW] = "rw",
  [GEO_EDIT_DESA] = "desa_code",
  [GEO_EDIT_LOCATION] = "location",
  [GEO_EDIT_ACCURACY] = "gps_accuracy_m",
  [GEO_EDIT_NIK] = "nik",
  [GEO_EDIT_NAME] = "name",
  [GEO_EDIT_SEX] = "sex",
  [GEO_EDIT_BIRTH_DATE] = "birth_date",
  [GEO_EDIT_RELATION] = "relation",
  [GEO_EDIT_CATEGORIES] = "categories",
  [GEO_EDIT_FAMILY] = "family",
  [GEO_EDIT_PRIORITY] = "priority",
};

const char *
geo_edit_field_to_string (GeoEditField field)
{
  g_return_val_if_fail (field < GEO_EDIT_N_FIELDS, NULL);
  return field_names[field];
}

void
geo_edit_problem_free (GeoEditProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

G_GNUC_PRINTF (5, 6)

static void
add_problem (GPtrArray   *problems,
             GeoEditField field,
             GeoEditRule  rule,
             GeoIdRule    id_rule,
             const char  *format,
             ...)
{
  GeoEditProblem  *p = g_new0 (GeoEditProblem, 1);
  g_autofree char *why = NULL;
  va_list          args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  p->field = field;
  p->rule = rule;
  p->id_rule = id_rule;
  p->message = g_strdup_printf ("%s: %s", field_names[field], why);
  g_ptr_array_add (problems, p);
}

static gboolean
empty (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

/* A copy with surrounding blanks removed, NULL for an empty value. */
static char *
clean (const char *s)
{
  char *out;

  if (empty (s))
    return NULL;
  out = g_strstrip (g_strdup (s));
  return out;
}

static gboolean
all_digits (const char *s, gsize min_len, gsize max_len)
{
  gsize n = strlen (s);

  if (n < min_len || n > max_len)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
is_iso_date (const char *s, int *y, int *m, int *d)
{
  char tail;

  if (s == NULL || strlen (s) != 10 || sscanf (s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3 ||
      s[4] != '-' || s[7] != '-')
    return FALSE;
  return g_date_valid_dmy (*d, *m, *y);
}

/* Another row of @table holding @value in @column (NIK, No. KK uniqueness), other than @self_id. */
static gboolean
taken (GeoStore *store, const char *sql, const char *value, gint64 self_id)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, self_id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The desa code of a family; FALSE when there is no such family. */
static gboolean
family_desa (GeoStore *store, gint64 family_id, char **desa)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (store, "SELECT desa_code FROM family WHERE id = ?", NULL);

  *desa = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, family_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *desa = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return TRUE;
}

static void
check_scope (GeoStore *store, GPtrArray *problems, GeoEditField field, const char *desa)
{
  const GeoOperator *op = geo_operator_current (store);

  if (!geo_operator_covers (op, desa))
    {
      g_autofree char *who = geo_operator_describe (op);

      add_problem (problems,
                   field,
                   GEO_EDIT_SCOPE,
                   GEO_ID_OK,
                   "%s may not change records of %s (outside its scope)",
                   who,
                   desa != NULL ? desa : "a family without a desa code");
    }
}

/**
 * geo_family_edit_check:
 * @family_id: the family changed, 0 for a new one
 *
 * Every problem of @edit, one per field (No. KK rules, RT/RW digits, desa known and inside
 * the acting operator's scope, point inside Indonesia). Returns: (transfer full)
 * (element-type GeoEditProblem): empty when @edit can be saved.
 */
GPtrArray *
geo_family_edit_check (GeoStore *store, gint64 family_id, const GeoFamilyEdit *edit)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_edit_problem_free);
  g_autofree char *kk = clean (edit->no_kk);
  g_autofree char *rt = clean (edit->rt);
  g_autofree char *rw = clean (edit->rw);
  g_autofree char *desa = clean (edit->desa_code);
  g_autofree char *old_desa = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), problems);
  if (family_id > 0 && !family_desa (store, family_id, &old_desa))
    {
      add_problem (problems,
                   GEO_EDIT_NONE,
                   GEO_EDIT_MISSING,
                   GEO_ID_OK,
                   "no family with id %" G_GINT64_FORMAT,
                   family_id);
      return problems;
    }
  if (kk != NULL)
    {
      GeoIdRule rule = geo_kk_validate (kk, store, NULL);

      if (rule != GEO_ID_OK)
        add_problem (problems,
                     GEO_EDIT_NO_KK,
                     GEO_EDIT_BAD_ID,
                     rule,
                     "%s",
                     geo_kk_rule_message (rule));
      else if (taken (store,
                      "SELECT 1 FROM family WHERE no_kk = ?1 AND id IS NOT ?2",
                      kk,
                      family_id))
        add_problem (problems,
                     GEO_EDIT_NO_KK,
                     GEO_EDIT_TAKEN,
                     GEO_ID_OK,
                     "No. KK %s already belongs to another family",
                     kk);
    }
  if (rt != NULL && !all_digits (rt, 1, 3))
    add_problem (problems,
                 GEO_EDIT_RT,
                 GEO_EDIT_BAD_FORMAT,
                 GEO_ID_OK,
                 "RT is 1-3 digits, got “%s”",
                 rt);
  if (rw != NULL && !all_digits (rw, 1, 3))
    add_problem (problems,
                 GEO_EDIT_RW,
                 GEO_EDIT_BAD_FORMAT,
                 GEO_ID_OK,
                 "RW is 1-3 digits, got “%s”",
                 rw);
  if (desa == NULL)
    add_problem (problems,
                 GEO_EDIT_DESA,
                 GEO_EDIT_REQUIRED,
                 GEO_ID_OK,
                 "a family needs a desa code");
  else if (geo_store_count_areas (store, GEO_AREA_DESA) > 0 ? !geo_store_area_exists (store, desa)
                                                            : strlen (desa) != 13)
    add_problem (problems,
                 GEO_EDIT_DESA,
                 GEO_EDIT_UNKNOWN,
                 GEO_ID_OK,
                 "“%s” is not a desa of the project (PP.KK.CC.DDDD)",
                 desa);
  else
    check_scope (store, problems, GEO_EDIT_DESA, desa);
  if (family_id > 0 && g_strcmp0 (old_desa, desa) != 0)
    check_scope (store, problems, GEO_EDIT_NONE, old_desa);
  if (!isfinite (edit->lon) || !isfinite (edit->lat) ||
      !geo_point_in_indonesia (edit->lon, edit->lat))
    add_problem (problems,
                 GEO_EDIT_LOCATION,
                 GEO_EDIT_OUT_OF_AREA,
                 GEO_ID_OK,
                 "the point (%.6f, %.6f) is not in Indonesia",
                 edit->lon,
                 edit->lat);
  if (edit->loc_source != GEO_LOC_GPS && edit->loc_source != GEO_LOC_ADDRESS)
    add_problem (problems,
                 GEO_EDIT_LOCATION,
                 GEO_EDIT_BAD_FORMAT,
                 GEO_ID_OK,
                 "an edited location is a GPS point or placed by hand (address)");
  if (!isnan (edit->gps_accuracy_m) && !(edit->gps_accuracy_m > 0 && edit->gps_accuracy_m < 100000))
    add_problem (problems,
                 GEO_EDIT_ACCURACY,
                 GEO_EDIT_BAD_FORMAT,
                 GEO_ID_OK,
                 "GPS accuracy is a positive number of metres");
  if (edit->priority != 0 && (edit->priority < 1 || edit->priority > 3))
    add_problem (problems,
                 GEO_EDIT_PRIORITY,
                 GEO_EDIT_BAD_FORMAT,
                 GEO_ID_OK,
                 "priority is 1 (urgent), 2 (high) or 3 (normal), got %d",
                 edit->priority);
  return problems;
}

/* Active categories of a person (until IS NULL) and closed ones. */
static gboolean
person_categories (GeoStore *store, gint64 person_id, guint32 *active, guint32 *closed)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (store,
                                    "SELECT category, until IS NULL FROM membership "
                                    "WHERE person_id = ? AND code_list = '" GEO_PMKS_CODE_LIST "'",
                                    NULL);

  *active = *closed = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int code = sqlite3_column_int (stmt, 0);

      if (code < 1 || code > GEO_PMKS_N_CATEGORIES)
        continue;
      if (sqlite3_column_int (stmt, 1))
        *active |= 1u << (code - 1);
      else
        *closed |= 1u << (code - 1);
    }
  return TRUE;
}

static gint64
person_family (GeoStore *store, gint64 person_id)
{
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (store, "SELECT family_id FROM person WHERE id = ?", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, person_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/**
 * geo_person_edit_check:
 * @person_id: the person changed, 0 for a new one
 * @family_id: the family of a new person (ignored for an existing one)
 *
 * Every problem of @edit: name required, sex L/P, a plausible birth date, every NIK rule of
 * geo_nik_validate() (format, date with +40 for women, serial, region, sex and birth date
 * consistent with the row) and uniqueness, categories (added ones only), the acting
 * operator's scope. Returns: (transfer full) (element-type GeoEditProblem).
 */
GPtrArray *
geo_person_edit_check (GeoStore            *store,
                       gint64               person_id,
                       gint64               family_id,
                       const GeoPersonEdit *edit)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_edit_problem_free);
  g_autofree char *nik = clean (edit->nik);
  g_autofree char *birth = clean (edit->birth_date);
  g_autofree char *desa = NULL;
  gboolean         birth_ok = TRUE;
  int              y, m, d;

  g_return_val_if_fail (GEO_IS_STORE (store), problems);
  if (person_id > 0)
    {
      family_id = person_family (store, person_id);
      if (family_id == 0)
        {
          add_problem (problems,
                       GEO_EDIT_NONE,
                       GEO_EDIT_MISSING,
                       GEO_ID_OK,
                       "no person with id %" G_GINT64_FORMAT,
                       person_id);
          return problems;
        }
    }
  if (!family_desa (store, family_id, &desa))
    {
      add_problem (problems,
                   GEO_EDIT_FAMILY,
                   GEO_EDIT_MISSING,
                   GEO_ID_OK,
                   "no family with id %" G_GINT64_FORMAT,
                   family_id);
      return problems;
    }
  check_scope (store, problems, GEO_EDIT_NONE, desa);
  if (empty (edit->name))
    add_problem (problems,
                 GEO_EDIT_NAME,
                 GEO_EDIT_REQUIRED,
                 GEO_ID_OK,
                 "a person's name cannot be empty");
  if (edit->sex != 0 && edit->sex != 'L' && edit->sex != 'P')
    add_problem (problems, GEO_EDIT_SEX, GEO_EDIT_BAD_FORMAT, GEO_ID_OK, "expected L or P");
  if (birth != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      if (!is_iso_date (birth, &y, &m, &d))
        {
          birth_ok = FALSE;
          add_problem (problems,
                       GEO_EDIT_BIRTH_DATE,
                       GEO_EDIT_BAD_FORMAT,
                       GEO_ID_OK,
                       "not a date YYYY-MM-DD: “%s”",
                       birth);
        }
      else if (strcmp (birth, today) > 0 || strcmp (birth, "1880-01-01") < 0)
        {
          birth_ok = FALSE;
          add_problem (problems,
                       GEO_EDIT_BIRTH_DATE,
                       GEO_EDIT_BAD_DATE,
                       GEO_ID_OK,
                       "not a plausible birth date: %s",
                       birth);
        }
    }
  if (nik != NULL)
    {
      /* The sex and birth-date rules compare with the row's values: only with valid ones. */
      GeoIdRule rule = geo_nik_validate (nik,
                                         store,
                                         edit->sex == 'L' || edit->sex == 'P' ? edit->sex : 0,
                                         birth_ok ? birth : NULL,
                                         NULL);

      if (rule != GEO_ID_OK)
        add_problem (problems,
                     GEO_EDIT_NIK,
                     GEO_EDIT_BAD_ID,
                     rule,
                     "%s",
                     geo_nik_rule_message (rule));
      else if (taken (store,
                      "SELECT 1 FROM person WHERE nik = ?1 AND id IS NOT ?2",
                      nik,
                      person_id))
        add_problem (problems,
                     GEO_EDIT_NIK,
                     GEO_EDIT_TAKEN,
                     GEO_ID_OK,
                     "NIK %s already belongs to another person",
                     nik);
    }
  if ((edit->categories & ~GEO_CATEGORY_ALL_BITS) != 0)
    add_problem (problems,
                 GEO_EDIT_CATEGORIES,
                 GEO_EDIT_BAD_FORMAT,
                 GEO_ID_OK,
                 "PMKS codes are 1-26");
  else if (person_id > 0)
    {
      guint32 active, closed;

      person_categories (store, person_id, &active, &closed);
      if ((active & ~edit->categories) != 0)
        {
          int code = __builtin_ctz (active & ~edit->categories) + 1;

          add_problem (problems,
                       GEO_EDIT_CATEGORIES,
                       GEO_EDIT_BAD_FORMAT,
                       GEO_ID_OK,
                       "PMKS %d (%s) cannot be dropped here: close it with a reason "
                       "(status ditutup)",
                       code,
                       geo_pmks_get (code)->name);
        }
      else if ((closed & edit->categories) != 0)
        {
          int code = __builtin_ctz (closed & edit->categories) + 1;

          add_problem (problems,
                       GEO_EDIT_CATEGORIES,
                       GEO_EDIT_BAD_FORMAT,
                       GEO_ID_OK,
                       "PMKS %d (%s) was closed: reopen it as a proposal (status usulan)",
                       code,
                       geo_pmks_get (code)->name);
        }
    }
  return problems;
}

static gboolean
refuse (GPtrArray *problems, GPtrArray **out, GError **error)
{
  GString *msg = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      GeoEditProblem *p = problems->pdata[i];

      g_string_append_printf (msg, "%s%s", i ? "; " : "", p->message);
    }
  g_set_error_literal (error, GEO_ERROR, GEO_ERROR_INVALID, msg->str);
  g_string_free (msg, TRUE);
  if (out != NULL)
    *out = g_ptr_array_ref (problems);
  return FALSE;
}

static void
bind_or_null (sqlite3_stmt *stmt, int col, const char *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, col, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, col);
}

static gint64
family_write (GeoStore *store, gint64 family_id, const GeoFamilyEdit *edit, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *kk = clean (edit->no_kk);
  g_autofree char *address = clean (edit->address);
  g_autofree char *rt = clean (edit->rt);
  g_autofree char *rw = clean (edit->rw);
  g_autofree char *desa = clean (edit->desa_code);

  if (family_id > 0)
    stmt = geo_store_prepare (store,
                              "UPDATE family SET no_kk = ?1, address = ?2, rt = ?3, rw = ?4, "
                              "desa_code = ?5, loc_source = ?6, gps_accuracy_m = ?7, "
                              "geom = MakePoint (?8, ?9, 4326), "
                              "priority = coalesce (?11, priority) WHERE id = ?10",
                              error);
  else
    stmt = geo_store_prepare (store,
                              "INSERT INTO family (no_kk, address, rt, rw, desa_code, loc_source, "
                              "gps_accuracy_m, geom, priority) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                              "MakePoint (?8, ?9, 4326), coalesce (?11, 3))",
                              error);
  if (stmt == NULL)
    return 0;
  bind_or_null (stmt, 1, kk);
  bind_or_null (stmt, 2, address);
  bind_or_null (stmt, 3, rt);
  bind_or_null (stmt, 4, rw);
  bind_or_null (stmt, 5, desa);
  sqlite3_bind_text (stmt, 6, geo_loc_source_to_string (edit->loc_source), -1, SQLITE_STATIC);
  if (!isnan (edit->gps_accuracy_m) && edit->loc_source == GEO_LOC_GPS)
    sqlite3_bind_double (stmt, 7, edit->gps_accuracy_m);
  sqlite3_bind_double (stmt, 8, edit->lon);
  sqlite3_bind_double (stmt, 9, edit->lat);
  if (family_id > 0)
    sqlite3_bind_int64 (stmt, 10, family_id);
  if (edit->priority != 0)
    sqlite3_bind_int (stmt, 11, edit->priority);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      geo_store_set_error (store, error, family_id > 0 ? "Changing a family" : "Adding a family");
      return 0;
    }
  return family_id > 0 ? family_id : sqlite3_last_insert_rowid (geo_store_get_db (store));
}

/**
 * geo_family_save:
 * @family_id: the family to change, 0 to add one
 * @problems: (out) (optional) (transfer full): the problems when @edit is refused
 *
 * Validates @edit (geo_family_edit_check()) and writes it in one transaction; the audit
 * triggers log the insert (a JSON snapshot) or each changed field.
 * Returns: the family's id, 0 with @error set (GEO_ERROR_INVALID: every problem) on failure.
 */
gint64
geo_family_save (GeoStore            *store,
                 gint64               family_id,
                 const GeoFamilyEdit *edit,
                 GPtrArray          **problems,
                 GError             **error)
{
  g_autoptr(GPtrArray) found = NULL;
  gint64 id;

  g_return_val_if_fail (GEO_IS_STORE (store), 0);
  g_return_val_if_fail (edit != NULL, 0);
  if (problems != NULL)
    *problems = NULL;
  found = geo_family_edit_check (store, family_id, edit);
  if (found->len > 0)
    return refuse (found, problems, error);
  if (!geo_workflow_savepoint (store, "geo_edit_family", error))
    return 0;
  id = family_write (store, family_id, edit, error);
  if (id <= 0)
    {
      geo_workflow_rollback_to (store, "geo_edit_family");
      return 0;
    }
  if (!geo_workflow_release (store, "geo_edit_family", error))
    return 0;
  return id;
}

static gint64
person_write (
    GeoStore *store, gint64 person_id, gint64 family_id, const GeoPersonEdit *edit, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) member = NULL;
  g_autofree char *nik = clean (edit->nik);
  g_autofree char *name = clean (edit->name);
  g_autofree char *birth = clean (edit->birth_date);
  g_autofree char *relation = clean (edit->relation);
  char             sex[2] = { edit->sex, 0 };
  guint32          active = 0, closed = 0;
  gint64           id;

  if (person_id > 0)
    stmt = geo_store_prepare (store,
                              "UPDATE person SET nik = ?1, name = ?2, sex = ?3, birth_date = ?4, "
                              "relation = ?5, updated_at = strftime ('%Y-%m-%dT%H:%M:%SZ', 'now') "
                              "WHERE id = ?6 AND (nik IS NOT ?1 OR name IS NOT ?2 OR sex IS NOT ?3 "
                              "OR birth_date IS NOT ?4 OR relation IS NOT ?5)",
                              error);
  else
    stmt =
        geo_store_prepare (store,
                           "INSERT INTO person (nik, name, sex, birth_date, relation, family_id) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return 0;
  bind_or_null (stmt, 1, nik);
  bind_or_null (stmt, 2, name);
  bind_or_null (stmt, 3, edit->sex ? sex : NULL);
  bind_or_null (stmt, 4, birth);
  bind_or_null (stmt, 5, relation);
  sqlite3_bind_int64 (stmt, 6, person_id > 0 ? person_id : family_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      geo_store_set_error (store, error, person_id > 0 ? "Changing a person" : "Adding a person");
      return 0;
    }
  id = person_id > 0 ? person_id : sqlite3_last_insert_rowid (geo_store_get_db (store));
  if (person_id > 0)
    person_categories (store, person_id, &active, &closed);
  member = geo_store_prepare (store,
                              "INSERT INTO membership (person_id, category, status) VALUES (?, ?, "
                              "'entri')",
                              error);
  if (member == NULL)
    return 0;
  for (guint32 add = edit->categories & ~active & ~closed; add != 0; add &= add - 1)
    {
      sqlite3_reset (member);
      sqlite3_bind_int64 (member, 1, id);
      sqlite3_bind_int (member, 2, __builtin_ctz (add) + 1);
      if (sqlite3_step (member) != SQLITE_DONE)
        {
          geo_store_set_error (store, error, "Adding a PMKS category");
          return 0;
        }
    }
  return id;
}

/**
 * geo_person_save:
 * @person_id: the person to change, 0 to add one to @family_id
 * @problems: (out) (optional) (transfer full): the problems when @edit is refused
 *
 * Validates @edit (geo_person_edit_check()) and writes the person and its added PMKS
 * categories (status entri) in one transaction, audited by the triggers.
 * Returns: the person's id, 0 with @error set on failure (nothing written).
 */
gint64
geo_person_save (GeoStore            *store,
                 gint64               person_id,
                 gint64               family_id,
                 const GeoPersonEdit *edit,
                 GPtrArray          **problems,
                 GError             **error)
{
  g_autoptr(GPtrArray) found = NULL;
  gint64 id;

  g_return_val_if_fail (GEO_IS_STORE (store), 0);
  g_return_val_if_fail (edit != NULL, 0);
  if (problems != NULL)
    *problems = NULL;
  found = geo_person_edit_check (store, person_id, family_id, edit);
  if (found->len > 0)
    return refuse (found, problems, error);
  if (!geo_workflow_savepoint (store, "geo_edit_person", error))
    return 0;
  id = person_write (store, person_id, family_id, edit, error);
  if (id <= 0)
    {
      geo_workflow_rollback_to (store, "geo_edit_person");
      return 0;
    }
  if (!geo_workflow_release (store, "geo_edit_person", error))
    return 0;
  return id;
}

/* --- deleting persons and families ------------------------------------------------------ */

void
geo_deletion_clear (GeoDeletion *deletion)
{
  if (deletion == NULL)
    return;
  g_free (deletion->no_kk);
  g_free (deletion->nik);
  g_free (deletion->name);
  g_free (deletion->desa_code);
  memset (deletion, 0, sizeof *deletion);
}

/**
 * geo_deletion_has_history:
 *
 * TRUE when the delete would also remove rows the office keeps as history: home visits,
 * member presence codes recorded in visits, stops of planned rounds. Such a delete needs
 * @force (a planner or an administrator).
 */
gboolean
geo_deletion_has_history (const GeoDeletion *deletion)
{
  g_return_val_if_fail (deletion != NULL, FALSE);
  return deletion->n_visits > 0 || deletion->n_visit_members > 0 || deletion->n_round_stops > 0;
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/**
 * geo_edit_person_deletion:
 *
 * What deleting person @person_id would remove (no change is made).
 * Returns: FALSE with %GEO_ERROR_NOT_FOUND when there is no such person.
 */
gboolean
geo_edit_person_deletion (GeoStore *store, gint64 person_id, GeoDeletion *deletion, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (deletion != NULL, FALSE);
  memset (deletion, 0, sizeof *deletion);
  stmt = geo_store_prepare (store,
                            "SELECT p.family_id, p.nik, p.name, f.no_kk, f.desa_code, "
                            "(SELECT count(*) FROM membership WHERE person_id = p.id), "
                            "(SELECT count(*) FROM visit_member WHERE person_id = p.id), "
                            "(SELECT count(*) FROM programme_target WHERE person_id = p.id) "
                            "FROM person AS p JOIN family AS f ON f.id = p.family_id "
                            "WHERE p.id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No person with id %" G_GINT64_FORMAT,
                   person_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return geo_store_set_error (store, error, "Reading the person to delete");
  deletion->person_id = person_id;
  deletion->family_id = sqlite3_column_int64 (stmt, 0);
  deletion->nik = column_dup (stmt, 1);
  deletion->name = column_dup (stmt, 2);
  deletion->no_kk = column_dup (stmt, 3);
  deletion->desa_code = column_dup (stmt, 4);
  deletion->n_persons = 1;
  deletion->n_memberships = sqlite3_column_int (stmt, 5);
  deletion->n_visit_members = sqlite3_column_int (stmt, 6);
  deletion->n_programme_targets = sqlite3_column_int (stmt, 7);
  return TRUE;
}

/* The persons of family ?1, for the statements below. */
#define FAMILY_PERSONS "(SELECT id FROM person WHERE family_id = ?1)"
/* Every member presence code of the family's visits or of its persons. */
#define FAMILY_VISIT_MEMBERS                                                                       \
  "visit_member WHERE visit_id IN (SELECT id FROM visit WHERE family_id = ?1) OR person_id "       \
  "IN " FAMILY_PERSONS

/**
 * geo_edit_family_deletion:
 *
 * What deleting family @family_id would remove (no change is made).
 * Returns: FALSE with %GEO_ERROR_NOT_FOUND when there is no such family.
 */
gboolean
geo_edit_family_deletion (GeoStore *store, gint64 family_id, GeoDeletion *deletion, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (deletion != NULL, FALSE);
  memset (deletion, 0, sizeof *deletion);
  stmt =
      geo_store_prepare (store,
                         "SELECT no_kk, desa_code, "
                         "(SELECT count(*) FROM person WHERE family_id = ?1), "
                         "(SELECT count(*) FROM membership WHERE person_id IN " FAMILY_PERSONS "), "
                         "(SELECT count(*) FROM visit WHERE family_id = ?1), "
                         "(SELECT count(*) FROM " FAMILY_VISIT_MEMBERS "), "
                         "(SELECT count(*) FROM round_stop WHERE family_id = ?1), "
                         "(SELECT count(*) FROM programme_target WHERE person_id IN " FAMILY_PERSONS
                         ") "
                         "FROM family WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, family_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "No family with id %" G_GINT64_FORMAT,
                   family_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return geo_store_set_error (store, error, "Reading the family to delete");
  deletion->family_id = family_id;
  deletion->no_kk = column_dup (stmt, 0);
  deletion->desa_code = column_dup (stmt, 1);
  deletion->n_persons = sqlite3_column_int (stmt, 2);
  deletion->n_memberships = sqlite3_column_int (stmt, 3);
  deletion->n_visits = sqlite3_column_int (stmt, 4);
  deletion->n_visit_members = sqlite3_column_int (stmt, 5);
  deletion->n_round_stops = sqlite3_column_int (stmt, 6);
  deletion->n_programme_targets = sqlite3_column_int (stmt, 7);
  return TRUE;
}

/* The checks every delete makes before writing: a reason, the operator's scope, and the
 * history rule (forcing needs a planner or an administrator). */
static gboolean
deletion_allowed (GeoStore          *store,
                  const GeoDeletion *d,
                  const char        *what,
                  const char        *reason,
                  gboolean           force,
                  GError           **error)
{
  const GeoOperator *op = geo_operator_current (store);
  g_autofree char   *who = NULL;

  if (empty (reason))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Deleting %s needs a reason (e.g. “entered twice”, “family does not exist”)",
                   what);
      return FALSE;
    }
  who = geo_operator_describe (op);
  if (!geo_operator_covers (op, d->desa_code))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s may not delete %s: %s%s%s",
                   who,
                   what,
                   d->desa_code != NULL ? "desa " : "it has no desa code",
                   d->desa_code != NULL ? d->desa_code : "",
                   d->desa_code != NULL ? " is outside its scope" : "");
      return FALSE;
    }
  if (!geo_deletion_has_history (d))
    return TRUE;
  if (!force)
    {
      g_autoptr(GString) kept = g_string_new (NULL);

      if (d->n_visits > 0)
        g_string_append_printf (kept, "%u home visit(s)", d->n_visits);
      if (d->n_visit_members > 0)
        g_string_append_printf (kept,
                                "%s%u member presence code(s) recorded in visits",
                                kept->len ? ", " : "",
                                d->n_visit_members);
      if (d->n_round_stops > 0)
        g_string_append_printf (kept,
                                "%s%u stop(s) of planned rounds",
                                kept->len ? ", " : "",
                                d->n_round_stops);
      if (d->person_id > 0)
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_INVALID,
                     "Not deleted: %s has %s, which the office keeps. A person entered twice is "
                     "merged into the record kept instead (jangkau-cli merge KEEP_ID "
                     "%" G_GINT64_FORMAT
                     "), which moves them; a planner or an administrator may delete it anyway "
                     "with force",
                     what,
                     kept->str,
                     d->person_id);
      else
        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_INVALID,
                     "Not deleted: %s has %s, which the office keeps. A planner or an "
                     "administrator may delete it anyway with force (they are removed with it "
                     "and listed in the audit log)",
                     what,
                     kept->str);
      return FALSE;
    }
  if (op->role < GEO_ROLE_PLANNER)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s may not force the delete of %s, which has visit or round history: only a "
                   "planner or an administrator may",
                   who,
                   what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_id (GeoStore *store, const char *sql, gint64 id, const char *context, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, context);
  return TRUE;
}

/* The reason entry: what goes with the record (counts, and the rows no trigger logs) in
 * old_value, the operator's reason in new_value. */
static gboolean
note_deletion (
    GeoStore *store, const char *sql, gint64 id, const char *reason, gboolean force, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);
  g_autofree char *text = g_strstrip (g_strdup (reason));

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, force ? "true" : "false", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Writing the reason to the audit log");
  return TRUE;
}

/* Children first, parent last: the scope triggers of a row read its family (a membership:
 * its person's family), which a cascade would already have removed. What no scope trigger
 * guards (visit member codes, programme targets, round stops) goes by ON DELETE CASCADE. */
static gboolean
delete_person (GeoStore *store, gint64 id, const char *reason, gboolean force, GError **error)
{
  return note_deletion (store,
                        "INSERT INTO audit_append SELECT 'person', ?1, 'delete', 'reason', "
                        "json_object ('family_id', family_id, 'forced', json (?3), "
                        "'memberships', (SELECT count(*) FROM membership WHERE person_id = ?1), "
                        "'visit_members', json ((SELECT json_group_array (json_object ("
                        "'visit_id', visit_id, 'code', code)) FROM visit_member "
                        "WHERE person_id = ?1)), "
                        "'programme_targets', json ((SELECT json_group_array (json_object ("
                        "'programme_id', programme_id, 'added_on', added_on)) FROM "
                        "programme_target WHERE person_id = ?1))), ?2 "
                        "FROM person WHERE id = ?1",
                        id,
                        reason,
                        force,
                        error) &&
         exec_id (store,
                  "DELETE FROM membership WHERE person_id = ?1",
                  id,
                  "Deleting the person's memberships",
                  error) &&
         exec_id (store, "DELETE FROM person WHERE id = ?1", id, "Deleting the person", error);
}

static gboolean
delete_family (GeoStore *store, gint64 id, const char *reason, gboolean force, GError **error)
{
  return note_deletion (store,
                        "INSERT INTO audit_append SELECT 'family', ?1, 'delete', 'reason', "
                        "json_object ('forced', json (?3), "
                        "'persons', json ((SELECT json_group_array (id) FROM person "
                        "WHERE family_id = ?1)), "
                        "'memberships', (SELECT count(*) FROM membership WHERE person_id "
                        "IN " FAMILY_PERSONS "), "
                        "'visits', json ((SELECT json_group_array (id) FROM visit "
                        "WHERE family_id = ?1)), "
                        "'visit_members', json ((SELECT json_group_array (json_object ("
                        "'visit_id', visit_id, 'person_id', person_id, 'code', code)) "
                        "FROM " FAMILY_VISIT_MEMBERS ")), "
                        "'round_stops', json ((SELECT json_group_array (json_object ("
                        "'round_id', round_id, 'status', status, 'team', team, 'day', day, "
                        "'seq', seq)) FROM round_stop WHERE family_id = ?1)), "
                        "'programme_targets', json ((SELECT json_group_array (json_object ("
                        "'programme_id', programme_id, 'person_id', person_id, 'added_on', "
                        "added_on)) FROM programme_target WHERE person_id IN " FAMILY_PERSONS
                        "))), ?2",
                        id,
                        reason,
                        force,
                        error) &&
         exec_id (store,
                  "DELETE FROM membership WHERE person_id IN " FAMILY_PERSONS,
                  id,
                  "Deleting the memberships of the family's persons",
                  error) &&
         exec_id (store,
                  "DELETE FROM person WHERE family_id = ?1",
                  id,
                  "Deleting the family's persons",
                  error) &&
         exec_id (store,
                  "DELETE FROM visit WHERE family_id = ?1",
                  id,
                  "Deleting the family's visits",
                  error) &&
         exec_id (store, "DELETE FROM family WHERE id = ?1", id, "Deleting the family", error);
}

static gboolean
run_deletion (GeoStore    *store,
              GeoDeletion *d,
              const char  *what,
              const char  *reason,
              gboolean     force,
              GeoDeletion *deleted,
              GError     **error)
{
  gboolean ok;

  if (!deletion_allowed (store, d, what, reason, force, error))
    {
      geo_deletion_clear (d);
      return FALSE;
    }
  if (!geo_workflow_savepoint (store, "geo_delete", error))
    {
      geo_deletion_clear (d);
      return FALSE;
    }
  ok = d->person_id > 0 ? delete_person (store, d->person_id, reason, force, error)
                        : delete_family (store, d->family_id, reason, force, error);
  if (!ok)
    geo_workflow_rollback_to (store, "geo_delete");
  else
    ok = geo_workflow_release (store, "geo_delete", error);
  if (ok && deleted != NULL)
    *deleted = *d;
  else
    geo_deletion_clear (d);
  return ok;
}

/**
 * geo_edit_delete_person:
 * @reason: why (required, free text), stored in the audit log
 * @force: delete even when visits record the person (member presence codes); only a planner
 *   or an administrator may
 * @deleted: (out) (optional): what was removed; clear it with geo_deletion_clear()
 *
 * Deletes a person with its PMKS memberships in one transaction, scoped to the acting
 * operator's area. The audit log gets one `delete`/`reason` entry (the reason, and the rows
 * that no trigger logs: visit member codes and programme targets), then the triggers' `delete`
 * snapshot of every membership and of the person. Refused (%GEO_ERROR_INVALID, nothing
 * written) without a reason, outside the operator's scope, or when visits record the person
 * and @force is not given (a duplicate is better merged: geo_duplicates_merge()).
 */
gboolean
geo_edit_delete_person (GeoStore    *store,
                        gint64       person_id,
                        const char  *reason,
                        gboolean     force,
                        GeoDeletion *deleted,
                        GError     **error)
{
  GeoDeletion      d;
  g_autofree char *what = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (deleted != NULL)
    memset (deleted, 0, sizeof *deleted);
  if (!geo_edit_person_deletion (store, person_id, &d, error))
    return FALSE;
  what = g_strdup_printf ("person %" G_GINT64_FORMAT, person_id);
  return run_deletion (store, &d, what, reason, force, deleted, error);
}

/**
 * geo_edit_delete_family:
 * @reason: why (required, free text), stored in the audit log
 * @force: delete even when the family has visits or stops in planned rounds (they go too);
 *   only a planner or an administrator may
 * @deleted: (out) (optional): what was removed; clear it with geo_deletion_clear()
 *
 * Deletes a family with its persons, their memberships and (forced) its visits in one
 * transaction, scoped to the acting operator's area. Audited: one `delete`/`reason` entry
 * (reason, person and visit ids, and the rows no trigger logs: visit member codes, round stops,
 * programme targets), then the triggers' snapshot of every membership, person, visit and of
 * the family. Refused (%GEO_ERROR_INVALID, nothing written) without a reason, outside the
 * scope, or with history and no @force.
 */
gboolean
geo_edit_delete_family (GeoStore    *store,
                        gint64       family_id,
                        const char  *reason,
                        gboolean     force,
                        GeoDeletion *deleted,
                        GError     **error)
{
  GeoDeletion      d;
  g_autofree char *what = NULL;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (deleted != NULL)
    memset (deleted, 0, sizeof *deleted);
  if (!geo_edit_family_deletion (store, family_id, &d, error))
    return FALSE;
  what = g_strdup_printf ("family %" G_GINT64_FORMAT, family_id);
  return run_deletion (store, &d, what, reason, force, deleted, error);
}

void
geo_visit_entry_free (GeoVisitEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->date);
  g_free (entry->team);
  g_free (entry->notes);
  g_free (entry->operator_name);
  g_free (entry);
}

/**
 * geo_family_visits:
 *
 * The visits of a family, newest first (by date, then by id).
 * Returns: (transfer full) (element-type GeoVisitEntry)
 */
GPtrArray *
geo_family_visits (GeoStore *store, gint64 family_id, GError **error)
{
  g_autoptr(GPtrArray) out =
                 g_ptr_array_new_with_free_func ((GDestroyNotify) geo_visit_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT id, visit_date, team, outcome, notes, operator FROM visit "
                            "WHERE family_id = ? ORDER BY visit_date DESC, id DESC",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, family_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GeoVisitEntry *e = g_new0 (GeoVisitEntry, 1);

      e->id = sqlite3_column_int64 (stmt, 0);
      e->date = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->team = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->outcome = sqlite3_column_int (stmt, 3);
      e->notes = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->operator_name = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (out, e);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Reading visits");
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
geo_membership_info_free (GeoMembershipInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->status);
  g_free (info->since);
  g_free (info->reason);
  g_free (info);
}

/**
 * geo_person_memberships:
 *
 * Every PMKS membership of a person (closed ones too), by category.
 * Returns: (transfer full) (element-type GeoMembershipInfo)
 */
GPtrArray *
geo_person_memberships (GeoStore *store, gint64 person_id, GError **error)
{
  g_autoptr(GPtrArray) out =
                 g_ptr_array_new_with_free_func ((GDestroyNotify) geo_membership_info_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GEO_IS_STORE (store), NULL);
  stmt = geo_store_prepare (store,
                            "SELECT category, status, since, reason FROM membership "
                            "WHERE person_id = ? AND code_list = '" GEO_PMKS_CODE_LIST "' "
                            "ORDER BY category",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, person_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GeoMembershipInfo *m = g_new0 (GeoMembershipInfo, 1);

      m->category = sqlite3_column_int (stmt, 0);
      m->status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      m->since = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      m->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (out, m);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Reading memberships");
      return NULL;
    }
  return g_steal_pointer (&out);
}
