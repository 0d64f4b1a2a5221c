#include "config.h"

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-store.h"

int
cli_cmd_stats (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DB — summary counts of a project");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  static const char *const tables[] = { "persons", "person", "families", "family",
                                        "memberships", "membership", "resources", "resource",
                                        "areas", "area" };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "stats needs exactly one DB argument");

  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i += 2)
    {
      gint64 n = geo_store_count (store, tables[i + 1], &error);

      if (n < 0)
        return cli_fail (error);
      json_builder_set_member_name (b, tables[i]);
      json_builder_add_int_value (b, n);
      if (!json)
        g_print ("%-12s %" G_GINT64_FORMAT "\n", tables[i], n);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  return 0;
}
