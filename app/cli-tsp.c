#include "config.h"

#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-tsp.h"
#include "geo-tsplib.h"

static double
instance_distance (guint i, guint j, gpointer user_data)
{
  return geo_tsplib_distance (user_data, i, j);
}

/* The optimum from a sibling NAME.opt.tour re-scored on the instance, else from the table of
 * published optima. Returns -1 when unknown; *source says where it came from. */
static gint64
find_optimum (const char *path, const GeoTsplibInstance *inst, const char **source)
{
  g_autofree char *stem =
      g_str_has_suffix (path, ".tsp") ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  g_autofree char  *opt_path = g_strconcat (stem, ".opt.tour", NULL);
  g_autofree guint *tour = NULL;
  guint             n = 0;
  gint64            opt;

  if (g_file_test (opt_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;

      tour = geo_tsplib_load_tour (opt_path, &n, &error);
      if (tour != NULL && n == inst->dimension)
        {
          *source = "opt.tour";
          return geo_tsplib_tour_length (inst, tour, n);
        }
      if (tour == NULL)
        g_printerr ("jangkau-cli: ignoring %s: %s\n", opt_path, error->message);
      else
        g_printerr ("jangkau-cli: ignoring %s: %u nodes, the instance has %u\n",
                    opt_path,
                    n,
                    inst->dimension);
    }
  opt = geo_tsplib_known_optimum (inst->name);
  *source = opt >= 0 ? "table" : NULL;
  return opt;
}

int
cli_cmd_tsp (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "FILE.tsp — solve a TSPLIB instance and print the tour length");
  g_autoptr(GeoTsplibInstance) inst = NULL;
  g_autofree guint *order = NULL;
  g_autofree char  *tour_path = NULL;
  GeoTspOptions     opts;
  GeoTspResult      res;
  GError           *error = NULL;
  gboolean          json = FALSE;
  double            time_limit = 1.0;
  gint64            seed = 1, iterations = 0, opt;
  const char       *opt_source = NULL;
  GOptionEntry      entries[] = {
         { "tour",
           't',
           0,
           G_OPTION_ARG_FILENAME,
           &tour_path,
           "Write the tour in TSPLIB format",
           "OUT.tour" },
         { "time-limit",
           0,
           0,
           G_OPTION_ARG_DOUBLE,
           &time_limit,
           "Stop after S seconds (default 1; 0: no limit)",
           "S" },
         { "iterations",
           0,
           0,
           G_OPTION_ARG_INT64,
           &iterations,
           "Perturbation rounds (default: grows with the size; -1: until the time limit)",
           "N" },
         { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "N" },
         { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
         { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
                                "Reads a TSPLIB file with NODE_COORD_SECTION (EUC_2D, CEIL_2D, GEO "
                                "or ATT), solves it, and prints the tour length and the gap to the "
                                "optimum when it is known (a sibling NAME.opt.tour or the table of "
                                "published optima).");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "tsp needs exactly one FILE.tsp argument");
  if (time_limit < 0)
    return cli_usage_error (context, "--time-limit must be >= 0");
  if (iterations < -1 || iterations > G_MAXUINT - 1)
    return cli_usage_error (context, "--iterations must be -1 or between 0 and %u", G_MAXUINT - 1);
  if (iterations == -1 && time_limit == 0)
    return cli_usage_error (context, "--iterations -1 needs a --time-limit");

  inst = geo_tsplib_load (argv[1], &error);
  if (inst == NULL)
    return cli_fail (error);

  geo_tsp_options_init (&opts);
  opts.seed = (guint64) seed;
  opts.time_limit_s = time_limit;
  opts.max_iterations = iterations == -1 ? G_MAXUINT : (guint) iterations;
  order = g_new (guint, inst->dimension);
  cli_progress ("Solving", -1);
  if (!geo_tsp_solve (inst->dimension, instance_distance, inst, &opts, order, &res, NULL, &error))
    return cli_fail (error);
  cli_progress_done ();

  opt = find_optimum (argv[1], inst, &opt_source);
  if (tour_path != NULL)
    {
      g_autofree char *comment =
          g_strdup_printf ("Length %.0f, found by jangkau-cli tsp (seed %" G_GINT64_FORMAT ")",
                           res.length,
                           seed);
      g_autofree char *name = g_strconcat (inst->name, ".tour", NULL);

      if (!geo_tsplib_write_tour (tour_path, name, comment, order, inst->dimension, &error))
        return cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, inst->name);
      json_builder_set_member_name (b, "nodes");
      json_builder_add_int_value (b, inst->dimension);
      json_builder_set_member_name (b, "edge_weight_type");
      json_builder_add_string_value (b, geo_tsplib_weight_type_to_string (inst->weight_type));
      json_builder_set_member_name (b, "length");
      json_builder_add_int_value (b, (gint64) res.length);
      json_builder_set_member_name (b, "optimum");
      if (opt >= 0)
        json_builder_add_int_value (b, opt);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "optimum_source");
      if (opt_source != NULL)
        json_builder_add_string_value (b, opt_source);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "gap_percent");
      if (opt > 0)
        json_builder_add_double_value (b, 100.0 * (res.length - opt) / opt);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "initial_length");
      json_builder_add_int_value (b, (gint64) res.initial_length);
      json_builder_set_member_name (b, "iterations");
      json_builder_add_int_value (b, res.iterations);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, res.seconds);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, seed);
      json_builder_set_member_name (b, "tour_file");
      if (tour_path != NULL)
        json_builder_add_string_value (b, tour_path);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
      return 0;
    }

  g_print ("%s: %u nodes, %s\n",
           inst->name,
           inst->dimension,
           geo_tsplib_weight_type_to_string (inst->weight_type));
  g_print ("length     %.0f\n", res.length);
  if (opt > 0)
    g_print ("optimum    %" G_GINT64_FORMAT " (%s)\ngap        %.3f %%\n",
             opt,
             opt_source,
             100.0 * (res.length - opt) / opt);
  g_print ("iterations %u\ntime       %.3f s\n", res.iterations, res.seconds);
  if (tour_path != NULL)
    g_print ("tour       %s\n", tour_path);
  return 0;
}
