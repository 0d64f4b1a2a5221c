#include "config.h"

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-export.h"
#include "geo-store.h"

static void
on_progress (double fraction, gpointer user_data)
{
  cli_progress (user_data, fraction);
}

int
cli_cmd_export (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB TABLE OUT — export families, persons, resources or areas");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autofree char *format = NULL;
  g_autofree char *crs = NULL;
  g_autofree char *what = NULL;
  CliFilterArgs    fargs = { 0 };
  gboolean         personal = FALSE;
  gboolean         json = FALSE;
  GeoExportOptions opts = { 0 };
  guint64          written = 0;
  GError          *error = NULL;
  int              status = 0;
  GOptionEntry     entries[] = {
        { "format",
          'f',
          0,
          G_OPTION_ARG_STRING,
          &format,
          "gpkg, geojson, csv, kml, shp or an OGR driver name (default: from OUT's extension)",
          "F" },
        { "crs", 0, 0, G_OPTION_ARG_STRING, &crs, "Output CRS (default EPSG:4326)", "EPSG:N" },
        { "include-personal-data",
          0,
          0,
          G_OPTION_ARG_NONE,
          &personal,
          "Write NIK, No. KK and names in full (default: masked)",
          NULL },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as one JSON object", NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  cli_filter_add_options (context, &fargs);
  g_option_context_set_description (context,
                                    "TABLE is families, persons, resources or areas. Persons carry "
                                    "their family's location,\n"
                                    "address, PMKS categories (codes and names), status, a no_nik "
                                    "flag and the location source.\n"
                                    "With selection options only the selected persons (families "
                                    "with a selected person) are\n"
                                    "written. NIK and No. KK are masked as 3402********0003 and "
                                    "names as initials (S. A.)\n"
                                    "unless --include-personal-data is given. CSV gets lon/lat "
                                    "columns (x/y in a projected\n"
                                    "CRS). An existing OUT is replaced.");
  if (!cli_parse (context, &argc, &argv, &error))
    {
      status = cli_usage_error (context, "%s", error->message);
      g_clear_error (&error);
      goto out;
    }
  if (argc != 4)
    {
      status = cli_usage_error (context, "export needs DB, TABLE and OUT");
      goto out;
    }
  if (!geo_export_table_from_string (argv[2], &opts.table))
    {
      status = cli_usage_error (NULL,
                                "unknown table “%s” (families, persons, resources or areas)",
                                argv[2]);
      goto out;
    }
  filter = cli_filter_build (&fargs, &error);
  if (filter == NULL)
    {
      status = cli_fail (error);
      goto out;
    }
  store = geo_store_open (argv[1], GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    {
      status = cli_fail (error);
      goto out;
    }

  what = g_strdup_printf ("Exporting %s", argv[2]);
  opts.format = format;
  opts.crs = crs;
  opts.include_personal_data = personal;
  opts.filter = filter;
  opts.progress = on_progress;
  opts.progress_data = what;
  if (!geo_export (store, argv[3], &opts, &written, NULL, &error))
    {
      status = cli_fail (error);
      goto out;
    }
  cli_progress_done ();
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "table");
      json_builder_add_string_value (b, geo_export_table_to_string (opts.table));
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, argv[3]);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, geo_export_driver_name (argv[3], format, NULL));
      json_builder_set_member_name (b, "crs");
      json_builder_add_string_value (b, crs != NULL ? crs : "EPSG:4326");
      json_builder_set_member_name (b, "features");
      json_builder_add_int_value (b, (gint64) written);
      json_builder_set_member_name (b, "personal_data");
      json_builder_add_boolean_value (b, personal);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_printerr ("%s: %" G_GUINT64_FORMAT " %s written%s\n",
                argv[3],
                written,
                geo_export_table_to_string (opts.table),
                personal ? " (with personal data)" : " (personal data masked)");

out:
  cli_filter_args_clear (&fargs);
  return status;
}
