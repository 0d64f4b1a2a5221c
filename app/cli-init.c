#include "config.h"

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-store.h"

int
cli_cmd_init (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DB — create an empty project database");
  g_autoptr(GeoStore) store = NULL;
  GError *error = NULL;

  g_option_context_set_description (context,
                                    "Creates a SpatiaLite project file with the Jangkau schema and the\n"
                                    "PMKS/PSKS reference tables. An existing project is migrated forward.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "init needs exactly one DB argument");

  store = geo_store_open (argv[1], GEO_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return cli_fail (error);
  g_printerr ("%s: project ready (schema version %d)\n",
              argv[1],
              geo_store_get_schema_version (store));
  return 0;
}
