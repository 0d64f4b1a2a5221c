#include "config.h"

#include <errno.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "cli-workflow.h"
#include "geo-edit.h"
#include "geo-error.h"
#include "geo-mask.h"
#include "geo-operator.h"

/* jangkau-cli delete person|family DB ID --reason TEXT: docs/cli.md, docs/workflow.md
 * "Deleting records". */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
print_json (const GeoDeletion *d,
            const char        *kk,
            const char        *nik,
            const char        *name,
            const char        *reason,
            gboolean           force,
            const char        *operator_name)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *why = g_strstrip (g_strdup (reason));

  json_builder_begin_object (b);
  add_string (b, "deleted", d->person_id > 0 ? "person" : "family");
  add_int (b, "id", d->person_id > 0 ? d->person_id : d->family_id);
  add_int (b, "family_id", d->family_id);
  add_string (b, "no_kk", kk);
  if (d->person_id > 0)
    {
      add_string (b, "nik", nik);
      add_string (b, "name", name);
    }
  add_string (b, "desa_code", d->desa_code);
  add_int (b, "persons", d->n_persons);
  add_int (b, "memberships", d->n_memberships);
  add_int (b, "visits", d->n_visits);
  add_int (b, "visit_members", d->n_visit_members);
  add_int (b, "round_stops", d->n_round_stops);
  add_int (b, "programme_targets", d->n_programme_targets);
  json_builder_set_member_name (b, "forced");
  json_builder_add_boolean_value (b, force);
  add_string (b, "reason", why);
  add_string (b, "operator", operator_name);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  cli_print_json (root);
}

static void
print_text (const GeoDeletion *d, const char *kk, const char *nik, const char *name)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (d->person_id > 0)
    g_string_printf (line,
                     "deleted person %" G_GINT64_FORMAT " (%s, NIK %s) of family %" G_GINT64_FORMAT
                     " (No. KK %s, desa %s): %u membership(s), %u visit member code(s), "
                     "%u programme target(s)",
                     d->person_id,
                     name != NULL ? name : "-",
                     nik != NULL ? nik : "-",
                     d->family_id,
                     kk != NULL ? kk : "-",
                     d->desa_code != NULL ? d->desa_code : "-",
                     d->n_memberships,
                     d->n_visit_members,
                     d->n_programme_targets);
  else
    g_string_printf (line,
                     "deleted family %" G_GINT64_FORMAT " (No. KK %s, desa %s): %u person(s), "
                     "%u membership(s), %u visit(s), %u visit member code(s), "
                     "%u round stop(s), %u programme target(s)",
                     d->family_id,
                     kk != NULL ? kk : "-",
                     d->desa_code != NULL ? d->desa_code : "-",
                     d->n_persons,
                     d->n_memberships,
                     d->n_visits,
                     d->n_visit_members,
                     d->n_round_stops,
                     d->n_programme_targets);
  g_print ("%s\n", line->str);
}

int
cli_cmd_delete (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "person|family DB ID — delete a person or a family (with its persons), audited");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *kk = NULL, *nik = NULL, *name = NULL;
  gboolean         force = FALSE, json = FALSE, personal = FALSE, is_person;
  GeoDeletion      d;
  GError          *error = NULL;
  char            *end = NULL;
  gint64           id;
  GOptionEntry     entries[] = {
        { "reason",
          0,
          0,
          G_OPTION_ARG_STRING,
          &reason,
          "Why the record goes (required; kept in the audit log)",
          "TEXT" },
        { "force",
          0,
          0,
          G_OPTION_ARG_NONE,
          &force,
          "Delete even when visits or planned rounds refer to it (planner or admin only)",
          NULL },
        { "operator",
          0,
          0,
          G_OPTION_ARG_STRING,
          &operator_name,
          "Act as this operator (default: the built-in “" GEO_OPERATOR_DEFAULT "”)",
          "NAME" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print what was deleted as JSON", NULL },
        { "include-personal-data",
          0,
          0,
          G_OPTION_ARG_NONE,
          &personal,
          "Print NIK, No. KK and name unmasked",
          NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "One transaction, inside the operator's area. A family goes "
                                    "with its persons and their\n"
                                    "PMKS memberships (and programme targets). Refused, unless "
                                    "--force, when home visits,\n"
                                    "member presence codes of visits or stops of planned rounds "
                                    "refer to the record: the\n"
                                    "office keeps them. A person entered twice is better merged "
                                    "(jangkau-cli merge).\n"
                                    "The audit log keeps the reason and a snapshot of every "
                                    "deleted row.\n"
                                    "Exit status: 0 deleted, 1 refused or failed, 2 bad usage.\n\n"
                                    "Example: jangkau-cli delete person p.jangkau 1234 --reason "
                                    "\"entered twice\" "
                                    "--operator siti");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4)
    return cli_usage_error (context, "delete needs person or family, DB and ID");
  if (strcmp (argv[1], "person") != 0 && strcmp (argv[1], "family") != 0)
    return cli_usage_error (context, "delete person or delete family, not “%s”", argv[1]);
  is_person = strcmp (argv[1], "person") == 0;
  errno = 0;
  id = g_ascii_strtoll (argv[3], &end, 10);
  if (errno != 0 || end == argv[3] || *end != '\0' || id <= 0)
    return cli_usage_error (context, "ID: not an id: “%s”", argv[3]);
  if (reason == NULL || *g_strstrip (reason) == '\0')
    return cli_usage_error (context, "--reason is required: say why the record goes");

  store = cli_open_as (argv[2], operator_name, &error);
  if (store == NULL)
    return cli_fail (error);
  if (is_person ? !geo_edit_delete_person (store, id, reason, force, &d, &error)
                : !geo_edit_delete_family (store, id, reason, force, &d, &error))
    return cli_fail (error);

  kk = personal ? g_strdup (d.no_kk) : geo_mask_no_kk (d.no_kk);
  nik = personal ? g_strdup (d.nik) : geo_mask_nik (d.nik);
  name = personal ? g_strdup (d.name) : geo_mask_name (d.name);
  if (json)
    print_json (&d, kk, nik, name, reason, force, geo_operator_current (store)->name);
  else
    print_text (&d, kk, nik, name);
  geo_deletion_clear (&d);
  return 0;
}
