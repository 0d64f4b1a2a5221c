#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "cli-workflow.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-operator.h"
#include "geo-visit.h"
#include "geo-workflow.h"

#define OPERATOR_HELP "Act as this operator (default: the built-in “" GEO_OPERATOR_DEFAULT "”)"

/* Opens a project and makes @operator_name (NULL: the built-in admin) the acting operator. */
GeoStore *
cli_open_as (const char *path, const char *operator_name, GError **error)
{
  g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_DEFAULT, error);

  if (store == NULL)
    return NULL;
  if (!geo_operator_use (store,
                         operator_name != NULL ? operator_name : GEO_OPERATOR_DEFAULT,
                         error))
    return NULL;
  return g_steal_pointer (&store);
}

/* Masking for output without --include-personal-data (UU 27/2022): a NIK keeps its region code
 * (PPKKCC, not personal) and its last 2 digits; a name keeps each word's first letter. This is a
 * local helper until a shared geo-mask.h exists. */
char *
cli_mask_nik (const char *nik)
{
  size_t   n;
  GString *out;

  if (nik == NULL)
    return NULL;
  n = strlen (nik);
  out = g_string_new (NULL);
  for (size_t i = 0; i < n; i++)
    g_string_append_c (out, (i < 6 || i + 2 >= n) ? nik[i] : '*');
  return g_string_free (out, FALSE);
}

char *
cli_mask_name (const char *name)
{
  g_auto(GStrv) words = NULL;
  GString *out;

  if (name == NULL)
    return NULL;
  words = g_strsplit (name, " ", -1);
  out = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];

      if (*w == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_utf8_get_char (w));
      g_string_append (out, "***");
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_id (const char *text, gint64 *id, const char *what, GError **error)
{
  char  *end = NULL;
  gint64 v;

  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v <= 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "%s: not an id: “%s”", what, text);
      return FALSE;
    }
  *id = v;
  return TRUE;
}

static gboolean
parse_category (const char *text, int *code, GError **error)
{
  if (text == NULL)
    {
      *code = 0;
      return TRUE;
    }
  if (!geo_pmks_lookup (text, code))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Unknown PMKS category “%s”", text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_state (const char *text, GeoState *state, GError **error)
{
  if (!geo_state_from_string (text, state))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Unknown verivali state “%s” (usulan, musdes, kunjungan, entri, verifikasi, "
                   "disetujui, padan, perbaikan, ditutup)",
                   text);
      return FALSE;
    }
  return TRUE;
}

int
cli_cmd_status (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB PERSON_ID STATE — move a person's PMKS memberships to a verivali state");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *category = NULL;
  g_autofree char *decree = NULL;
  g_autofree char *date = NULL;
  gboolean         json = FALSE;
  GeoTransition    t = { 0 };
  GError          *error = NULL;
  gint64           person_id;
  guint            n = 0;
  GOptionEntry     entries[] = {
        { "reason",
          0,
          0,
          G_OPTION_ARG_STRING,
          &reason,
          "Why: required for ditutup (meninggal, pindah, tidak-ditemukan, mampu, ganda); a note "
              "otherwise",
          "R" },
        { "category",
          0,
          0,
          G_OPTION_ARG_STRING,
          &category,
          "Only this PMKS category (code or name)",
          "C" },
        { "decree", 0, 0, G_OPTION_ARG_STRING, &decree, "Approval decree number", "NO" },
        { "date",
          0,
          0,
          G_OPTION_ARG_STRING,
          &date,
          "Date the change took effect (default: today)",
          "YYYY-MM-DD" },
        { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, OPERATOR_HELP, "NAME" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "States: usulan → musdes → kunjungan → entri → verifikasi → "
                                    "disetujui →\n"
                                    "padan; verifikasi/disetujui → perbaikan → entri; padan → "
                                    "verifikasi;\n"
                                    "any → ditutup (with --reason); ditutup → usulan. With usulan "
                                    "and a\n"
                                    "--category the person does not have yet, adds a new "
                                    "proposal.\n"
                                    "See docs/workflow.md for who may make which move.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4)
    return cli_usage_error (context, "status needs DB, PERSON_ID and STATE");
  if (!parse_id (argv[2], &person_id, "PERSON_ID", &error) ||
      !parse_state (argv[3], &t.to, &error) || !parse_category (category, &t.category, &error))
    return cli_fail (error);
  t.reason = reason;
  t.decree = decree;
  t.date = date;

  store = cli_open_as (argv[1], operator_name, &error);
  if (store == NULL || !geo_workflow_set_status (store, person_id, &t, &n, &error))
    return cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "person");
      json_builder_add_int_value (b, person_id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, geo_state_to_string (t.to));
      json_builder_set_member_name (b, "changed");
      json_builder_add_int_value (b, n);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_print ("person %" G_GINT64_FORMAT ": %u membership(s) now %s\n",
             person_id,
             n,
             geo_state_to_string (t.to));
  return 0;
}

int
cli_cmd_bulk_status (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB FROM TO — move every membership in state FROM to state TO, in one transaction");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *category = NULL;
  g_autofree char *decree = NULL;
  g_autofree char *date = NULL;
  g_auto(GStrv) areas = NULL;
  gboolean      json = FALSE;
  GeoTransition t = { 0 };
  GeoState      from;
  GError       *error = NULL;
  guint         n = 0;
  GOptionEntry  entries[] = {
     { "area",
       0,
       0,
       G_OPTION_ARG_STRING_ARRAY,
       &areas,
       "Desa or kecamatan code (repeatable; default: the operator's scope)",
       "CODE" },
     { "category",
       0,
       0,
       G_OPTION_ARG_STRING,
       &category,
       "Only this PMKS category (code or name)",
       "C" },
     { "decree", 0, 0, G_OPTION_ARG_STRING, &decree, "Approval decree number", "NO" },
     { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Reason (required for ditutup)", "R" },
     { "date",
       0,
       0,
       G_OPTION_ARG_STRING,
       &date,
       "Date the change took effect (default: today)",
       "YYYY-MM-DD" },
     { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, OPERATOR_HELP, "NAME" },
     { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
     { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Example: jangkau-cli bulk-status p.jangkau verifikasi "
                                    "disetujui \\\n"
                                    "           --area 34.02.01.2001 --decree 460/123/2026");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4)
    return cli_usage_error (context, "bulk-status needs DB, FROM and TO");
  if (!parse_state (argv[2], &from, &error) || !parse_state (argv[3], &t.to, &error) ||
      !parse_category (category, &t.category, &error))
    return cli_fail (error);
  t.reason = reason;
  t.decree = decree;
  t.date = date;

  store = cli_open_as (argv[1], operator_name, &error);
  if (store == NULL ||
      !geo_workflow_bulk (store, from, (const char *const *) areas, &t, &n, &error))
    return cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "from");
      json_builder_add_string_value (b, geo_state_to_string (from));
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, geo_state_to_string (t.to));
      json_builder_set_member_name (b, "changed");
      json_builder_add_int_value (b, n);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_print ("%u membership(s) moved from %s to %s\n",
             n,
             geo_state_to_string (from),
             geo_state_to_string (t.to));
  return 0;
}

int
cli_cmd_person (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "set DB PERSON_ID FIELD=VALUE... — change a person's fields (audited)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  GError      *error = NULL;
  gint64       person_id;
  GOptionEntry entries[] = {
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, OPERATOR_HELP, "NAME" }, { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Fields: name, sex (L or P), birth_date (YYYY-MM-DD), "
                                    "relation,\n"
                                    "nik (16 digits). An empty value clears a field (not name).");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc < 5 || strcmp (argv[1], "set") != 0)
    return cli_usage_error (context, "usage: person set DB PERSON_ID FIELD=VALUE...");
  if (!parse_id (argv[3], &person_id, "PERSON_ID", &error))
    return cli_fail (error);
  for (int i = 4; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');

      if (eq == NULL || eq == argv[i])
        return cli_usage_error (context, "expected FIELD=VALUE, got “%s”", argv[i]);
      g_ptr_array_add (fields, g_strndup (argv[i], eq - argv[i]));
      g_ptr_array_add (values, g_strdup (eq + 1));
    }
  store = cli_open_as (argv[2], operator_name, &error);
  if (store == NULL || !geo_person_set_fields (store,
                                               person_id,
                                               (const char *const *) fields->pdata,
                                               (const char *const *) values->pdata,
                                               fields->len,
                                               &error))
    return cli_fail (error);
  g_printerr ("person %" G_GINT64_FORMAT ": %u field(s) set\n", person_id, fields->len);
  return 0;
}

static gboolean
parse_member (const char *text, GeoVisitMember *m, GError **error)
{
  const char      *eq = strchr (text, '=');
  g_autofree char *id = NULL;

  if (eq == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "--member: expected PERSON_ID=CODE, got “%s”",
                   text);
      return FALSE;
    }
  id = g_strndup (text, eq - text);
  if (!parse_id (id, &m->person_id, "--member", error))
    return FALSE;
  if (!geo_member_presence_from_string (eq + 1, &m->code))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "--member: unknown presence code “%s” (1 lives here, 2 deceased, 3 moved, "
                   "4 moved abroad, 5 not found)",
                   eq + 1);
      return FALSE;
    }
  return TRUE;
}

int
cli_cmd_visit (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB FAMILY_ID — log a home visit and its outcome");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *date = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *team = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) members = NULL;
  g_autoptr(GArray) member_codes = g_array_new (FALSE, FALSE, sizeof (GeoVisitMember));
  double         lon = G_MAXDOUBLE, lat = G_MAXDOUBLE;
  gboolean       json = FALSE;
  GeoVisitRecord v = { 0 };
  GeoVisitResult result;
  GError        *error = NULL;
  GOptionEntry   entries[] = {
      { "date", 0, 0, G_OPTION_ARG_STRING, &date, "Visit date (required)", "YYYY-MM-DD" },
      { "outcome",
        0,
        0,
        G_OPTION_ARG_STRING,
        &outcome,
        "DTSEN family code (required): 1 found, 2 moved/not found, 3 refused, 4 deceased, "
          "5 not eligible, 6 in an institution, 8 not reachable; 9 not at home (Jangkau)",
        "CODE" },
      { "team", 0, 0, G_OPTION_ARG_STRING, &team, "Team name", "T" },
      { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, "Notes", "N" },
      { "member",
        0,
        0,
        G_OPTION_ARG_STRING_ARRAY,
        &members,
        "A member's DTSEN presence code: 1 lives here, 2 deceased, 3 moved, 4 moved abroad, "
          "5 not found (repeatable)",
        "PERSON_ID=CODE" },
      { "lon", 0, 0, G_OPTION_ARG_DOUBLE, &lon, "GPS longitude of the visit (EPSG:4326)", "X" },
      { "lat", 0, 0, G_OPTION_ARG_DOUBLE, &lat, "GPS latitude of the visit (EPSG:4326)", "Y" },
      { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, OPERATOR_HELP, "NAME" },
      { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
      { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Outcomes update the members' status (deceased, moved, not "
                                    "found and\n"
                                    "not eligible close their memberships with that reason); 8 and "
                                    "9 put the\n"
                                    "family back in the queue for the next round.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 3)
    return cli_usage_error (context, "visit needs DB and FAMILY_ID");
  if (date == NULL || outcome == NULL)
    return cli_usage_error (context, "visit needs --date and --outcome");
  if ((lon == G_MAXDOUBLE) != (lat == G_MAXDOUBLE))
    return cli_usage_error (context, "give both --lon and --lat, or neither");
  if (!parse_id (argv[2], &v.family_id, "FAMILY_ID", &error))
    return cli_fail (error);
  if (!geo_visit_outcome_from_string (outcome, &v.outcome))
    return cli_usage_error (context, "unknown --outcome “%s”", outcome);
  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    {
      GeoVisitMember m;

      if (!parse_member (members[i], &m, &error))
        return cli_fail (error);
      g_array_append_val (member_codes, m);
    }
  v.date = date;
  v.team = team;
  v.notes = notes;
  v.has_point = lon != G_MAXDOUBLE;
  v.lon = lon;
  v.lat = lat;
  v.members = (const GeoVisitMember *) (void *) member_codes->data;
  v.n_members = member_codes->len;

  store = cli_open_as (argv[1], operator_name, &error);
  if (store == NULL || !geo_visit_log (store, &v, &result, &error))
    return cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "visit");
      json_builder_add_int_value (b, result.visit_id);
      json_builder_set_member_name (b, "outcome");
      json_builder_add_int_value (b, v.outcome);
      json_builder_set_member_name (b, "status_changed");
      json_builder_add_int_value (b, result.n_status_changed);
      json_builder_set_member_name (b, "requeue");
      json_builder_add_boolean_value (b, result.requeue);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_print ("visit %" G_GINT64_FORMAT ": %s; %u membership(s) changed%s\n",
             result.visit_id,
             geo_visit_outcome_label (v.outcome),
             result.n_status_changed,
             result.requeue ? "; family re-queued" : "");
  return 0;
}

int
cli_cmd_operator (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "add DB NAME --role R [--scope CODE] | list DB — operator profiles");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *scope = NULL;
  gboolean         json = FALSE;
  GError          *error = NULL;
  GOptionEntry     entries[] = {
        { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, "desa, kecamatan, planner or admin", "R" },
        { "scope",
          0,
          0,
          G_OPTION_ARG_STRING,
          &scope,
          "Desa code (desa) or kecamatan code (kecamatan)",
          "CODE" },
        { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, OPERATOR_HELP, "NAME" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list: print JSON", NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Every project has the built-in administrator “admin”. Only "
                                    "an\n"
                                    "administrator adds operators.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc >= 3 && strcmp (argv[1], "add") == 0)
    {
      GeoRole role;

      if (argc != 4)
        return cli_usage_error (context, "usage: operator add DB NAME --role R [--scope CODE]");
      if (!geo_role_from_string (role_name, &role))
        return cli_usage_error (context, "--role must be desa, kecamatan, planner or admin");
      store = cli_open_as (argv[2], operator_name, &error);
      if (store == NULL || geo_operator_add (store, argv[3], role, scope, &error) < 0)
        return cli_fail (error);
      g_printerr ("operator “%s” added (%s)\n", argv[3], geo_role_label (role));
      return 0;
    }
  if (argc == 3 && strcmp (argv[1], "list") == 0)
    {
      g_autoptr(GPtrArray) ops = NULL;
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      store = cli_open_as (argv[2], operator_name, &error);
      if (store == NULL || (ops = geo_operator_list (store, &error)) == NULL)
        return cli_fail (error);
      json_builder_begin_array (b);
      for (guint i = 0; i < ops->len; i++)
        {
          const GeoOperator *op = ops->pdata[i];

          if (!json)
            g_print ("%-20s %-10s %s\n",
                     op->name,
                     geo_role_to_string (op->role),
                     op->scope ? op->scope : "*");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, op->name);
          json_builder_set_member_name (b, "role");
          json_builder_add_string_value (b, geo_role_to_string (op->role));
          json_builder_set_member_name (b, "scope");
          if (op->scope != NULL)
            json_builder_add_string_value (b, op->scope);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      if (json)
        cli_print_json (root);
      return 0;
    }
  return cli_usage_error (context,
                          "usage: operator add DB NAME --role R [--scope CODE] | operator list DB");
}
