#include "config.h"

#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "cli-workflow.h"
#include "geo-audit.h"

static gboolean
personal_field (const char *field)
{
  return g_strcmp0 (field, "nik") == 0 || g_strcmp0 (field, "name") == 0 ||
         g_strcmp0 (field, "birth_date") == 0 || g_strcmp0 (field, "no_kk") == 0;
}

/* Masks the personal values of an entry: a field's old/new value, or the same keys inside an
 * insert/delete JSON snapshot. */
static char *
mask_value (const char *field, const char *value)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *obj;

  if (value == NULL)
    return NULL;
  if (personal_field (field))
    return g_strcmp0 (field, "name") == 0 ? cli_mask_name (value) : cli_mask_nik (value);
  if (value[0] != '{')
    return g_strdup (value);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, value, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup (value);
  obj = json_node_get_object (json_parser_get_root (parser));
  {
    static const char *const keys[] = { "nik", "name", "birth_date", "no_kk" };
    g_autoptr(JsonGenerator) gen = json_generator_new ();

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      if (json_object_has_member (obj, keys[i]) &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, keys[i])))
        {
          const char      *v = json_object_get_string_member (obj, keys[i]);
          g_autofree char *masked =
              strcmp (keys[i], "name") == 0 ? cli_mask_name (v) : cli_mask_nik (v);

          json_object_set_string_member (obj, keys[i], masked);
        }
    json_generator_set_root (gen, json_parser_get_root (parser));
    return json_generator_to_data (gen, NULL);
  }
}

static int
audit_verify (GOptionContext *context, const char *path, gboolean json)
{
  g_autoptr(GeoStore) store = NULL;
  GeoAuditCheck check;
  GError       *error = NULL;

  store = geo_store_open (path, GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL || !geo_audit_verify (store, &check, NULL, &error))
    return cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "intact");
      json_builder_add_boolean_value (b, check.first_broken == 0);
      json_builder_set_member_name (b, "entries");
      json_builder_add_int_value (b, check.n_entries);
      json_builder_set_member_name (b, "first_broken");
      if (check.first_broken != 0)
        json_builder_add_int_value (b, check.first_broken);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "problem");
      if (check.problem != NULL)
        json_builder_add_string_value (b, check.problem);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  if (check.first_broken != 0)
    {
      g_printerr ("jangkau-cli: audit log broken at entry %" G_GINT64_FORMAT ": %s\n",
                  check.first_broken,
                  check.problem);
      g_free (check.problem);
      return 1;
    }
  if (!json)
    g_print ("audit log intact: %" G_GINT64_FORMAT " entries\n", check.n_entries);
  return 0;
}

static int
audit_log (const char *path, gint64 limit, gboolean json, gboolean personal)
{
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  store = geo_store_open (path, GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL || (entries = geo_audit_list (store, limit, &error)) == NULL)
    return cli_fail (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      const GeoAuditEntry *e = entries->pdata[i];
      g_autofree char     *old_v =
          personal ? g_strdup (e->old_value) : mask_value (e->field, e->old_value);
      g_autofree char *new_v =
          personal ? g_strdup (e->new_value) : mask_value (e->field, e->new_value);

      if (!json)
        {
          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s %s",
                   e->id,
                   e->at,
                   e->operator_name,
                   e->action,
                   e->table);
          if (e->row_id != 0)
            g_print (" %" G_GINT64_FORMAT, e->row_id);
          if (e->field != NULL)
            g_print (".%s", e->field);
          g_print ("\t%s → %s\n", old_v ? old_v : "∅", new_v ? new_v : "∅");
          continue;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, e->id);
      json_builder_set_member_name (b, "at");
      json_builder_add_string_value (b, e->at);
      json_builder_set_member_name (b, "operator");
      json_builder_add_string_value (b, e->operator_name);
      json_builder_set_member_name (b, "table");
      json_builder_add_string_value (b, e->table);
      json_builder_set_member_name (b, "row_id");
      json_builder_add_int_value (b, e->row_id);
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, e->action);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, e->field);
      json_builder_set_member_name (b, "old");
      json_builder_add_string_value (b, old_v);
      json_builder_set_member_name (b, "new");
      json_builder_add_string_value (b, new_v);
      json_builder_set_member_name (b, "hash");
      json_builder_add_string_value (b, e->hash);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  return 0;
}

int
cli_cmd_audit (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "verify DB | log DB — check or show the tamper-evident audit log");
  gboolean     json = FALSE;
  gboolean     personal = FALSE;
  gint64       limit = 50;
  GError      *error = NULL;
  GOptionEntry entries[] = { { "limit",
                               0,
                               0,
                               G_OPTION_ARG_INT64,
                               &limit,
                               "log: the newest N entries (default 50; 0 = all)",
                               "N" },
                             { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                             { "include-personal-data",
                               0,
                               0,
                               G_OPTION_ARG_NONE,
                               &personal,
                               "log: show NIK, names and birth dates unmasked",
                               NULL },
                             { NULL } };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "verify exits 0 when every entry's hash and chain link are "
                                    "intact, and 1\n"
                                    "naming the first broken entry otherwise.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 3 || (strcmp (argv[1], "verify") != 0 && strcmp (argv[1], "log") != 0))
    return cli_usage_error (context, "usage: audit verify DB | audit log DB [--limit N] [--json]");
  if (strcmp (argv[1], "verify") == 0)
    return audit_verify (context, argv[2], json);
  return audit_log (argv[2], limit, json, personal);
}
