#include "config.h"

#include <glib/gstdio.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-demo.h"
#include "geo-store.h"

static void
on_progress (double fraction, gpointer user_data)
{
  cli_progress ("Generating households", fraction);
}

int
cli_cmd_demo (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — build a demo project (real boundaries, synthetic households)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *area = NULL;
  g_autofree char *data_dir = NULL;
  gint             households = GEO_DEMO_DEFAULT_HOUSEHOLDS;
  gint64           seed = GEO_DEMO_DEFAULT_SEED;
  gboolean         json = FALSE;
  GeoDemoOptions   opts = { 0 };
  GeoDemoReport    report = { 0 };
  gboolean         existed;
  GError          *error = NULL;
  gint64           t0;
  GOptionEntry     entries[] = {
        { "households",
          'n',
          0,
          G_OPTION_ARG_INT,
          &households,
          "Number of families (default 5000)",
          "N" },
        { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Seed of the generator (default 2012)", "S" },
        { "area",
          0,
          0,
          G_OPTION_ARG_STRING,
          &area,
          "Pilot area: bantul (default), denpasar, depok, tanah_bumbu, kota_serang, or a kabupaten "
              "code",
          "NAME" },
        { "data-dir",
          0,
          0,
          G_OPTION_ARG_FILENAME,
          &data_dir,
          "Directory with the boundary GeoJSON files (default: data/demo, then the shared data)",
          "DIR" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as one JSON object", NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Creates DB (or fills an empty project) offline with the real "
                                    "kecamatan and desa boundaries\n"
                                    "of a pilot area and synthetic families: valid NIK and No. KK "
                                    "for the area, Javanese and\n"
                                    "Indonesian names, PMKS categories dominated by fakir miskin, "
                                    "some persons without NIK,\n"
                                    "a few locations at the desa centroid, houses clustered in "
                                    "settlements inside each desa;\n"
                                    "plus PSKS resources (a TKSK per kecamatan, a Karang Taruna "
                                    "per desa, LKS, PSM, LK3).\n"
                                    "The same seed gives the same database.");
  if (!cli_parse (context, &argc, &argv, &error))
    {
      int st = cli_usage_error (context, "%s", error->message);
      g_clear_error (&error);
      return st;
    }
  if (argc != 2)
    return cli_usage_error (context, "demo needs exactly one DB argument");
  if (households < 0)
    return cli_usage_error (context, "--households must be 0 or more");
  if (seed < 0 || seed > G_MAXUINT32)
    return cli_usage_error (context, "--seed must be between 0 and %u", G_MAXUINT32);

  existed = g_file_test (argv[1], G_FILE_TEST_EXISTS);
  store = geo_store_open (argv[1], GEO_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return cli_fail (error);

  opts.households = households;
  opts.seed = (guint32) seed;
  opts.area = area;
  opts.data_dir = data_dir;
  opts.progress = on_progress;
  t0 = g_get_monotonic_time ();
  if (!geo_demo_build (store, &opts, &report, NULL, &error))
    {
      g_clear_object (&store);
      /* Do not leave a half-made project behind when we created it. */
      if (!existed)
        {
          g_autofree char *wal = g_strconcat (argv[1], "-wal", NULL);
          g_autofree char *shm = g_strconcat (argv[1], "-shm", NULL);
          g_remove (argv[1]);
          g_remove (wal);
          g_remove (shm);
        }
      geo_demo_report_clear (&report);
      return cli_fail (error);
    }
  cli_progress_done ();

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
#define ADD_INT(k, v)                                                                              \
  json_builder_set_member_name (b, k);                                                             \
  json_builder_add_int_value (b, v)
      ADD_INT ("seed", seed);
      ADD_INT ("kecamatan", report.kecamatan);
      ADD_INT ("desa", report.desa);
      ADD_INT ("families", report.families);
      ADD_INT ("persons", report.persons);
      ADD_INT ("memberships", report.memberships);
      ADD_INT ("no_nik", report.no_nik);
      ADD_INT ("approximate", report.approximate);
      ADD_INT ("resources", report.resources);
#undef ADD_INT
      json_builder_set_member_name (b, "boundaries");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, report.kecamatan_file);
      json_builder_add_string_value (b, report.desa_file);
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_printerr ("%s: demo project with %u kecamatan, %u desa, %u families, %u persons "
                "(%u without NIK, %u families at a desa centroid), %u memberships, %u resources "
                "(seed %" G_GINT64_FORMAT ", %.1f s)\n",
                argv[1],
                report.kecamatan,
                report.desa,
                report.families,
                report.persons,
                report.no_nik,
                report.approximate,
                report.memberships,
                report.resources,
                seed,
                (g_get_monotonic_time () - t0) / 1e6);
  geo_demo_report_clear (&report);
  return 0;
}
