#include "config.h"

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-areastats.h"
#include "geo-categories.h"
#include "geo-classify.h"
#include "geo-store.h"

static void
add_count_members (JsonBuilder *b, const GeoAreaCount *c)
{
#define ADD_INT(k, v)                                                                              \
  json_builder_set_member_name (b, k);                                                             \
  json_builder_add_int_value (b, v)
  ADD_INT ("families", c->families);
  ADD_INT ("persons", c->persons);
  ADD_INT ("no_nik", c->no_nik);
  ADD_INT ("approximate_families", c->approx_families);
  ADD_INT ("approximate_persons", c->approx_persons);
#undef ADD_INT
  /* Per category: "24": {"persons": n, "families": n}; every category, zeros included. */
  json_builder_set_member_name (b, "categories");
  json_builder_begin_object (b);
  for (int i = 0; i < GEO_PMKS_N_CATEGORIES; i++)
    {
      char key[4];

      g_snprintf (key, sizeof key, "%d", i + 1);
      json_builder_set_member_name (b, key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "persons");
      json_builder_add_int_value (b, c->cat_persons[i]);
      json_builder_set_member_name (b, "families");
      json_builder_add_int_value (b, c->cat_families[i]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
print_row (const char         *code,
           const char         *name,
           const GeoAreaCount *c,
           const gboolean     *shown,
           int                 cls)
{
  g_autofree char *short_name = NULL;

  /* Names are UTF-8; cut by characters, not bytes. */
  if (name != NULL && g_utf8_strlen (name, -1) > 20)
    short_name = g_utf8_substring (name, 0, 20);
  g_print ("%-14s %-20s %8u %8u %7u %7u",
           code,
           short_name ? short_name : (name ? name : ""),
           c->families,
           c->persons,
           c->no_nik,
           c->approx_families);
  for (int i = 0; i < GEO_PMKS_N_CATEGORIES; i++)
    if (shown[i])
      g_print (" %6u", c->cat_persons[i]);
  if (cls >= 0)
    g_print (" %5d", cls + 1);
  g_print ("\n");
}

static void
print_table (const GeoAreaStats *stats, const int *classes)
{
  gboolean shown[GEO_PMKS_N_CATEGORIES];

  for (int i = 0; i < GEO_PMKS_N_CATEGORIES; i++)
    shown[i] = stats->total.cat_persons[i] > 0;
  g_print ("\n%-14s %-20s %8s %8s %7s %7s",
           geo_area_level_to_string (stats->level),
           "name",
           "families",
           "persons",
           "no_nik",
           "approx");
  for (int i = 0; i < GEO_PMKS_N_CATEGORIES; i++)
    if (shown[i])
      g_print (" %6s", geo_pmks_get (i + 1)->short_name);
  if (classes != NULL)
    g_print (" %5s", "class");
  g_print ("\n");
  for (guint i = 0; i < stats->n_areas; i++)
    print_row (stats->areas[i].code,
               stats->areas[i].name,
               &stats->areas[i],
               shown,
               classes != NULL ? classes[i] : -1);
  if (stats->unassigned.families > 0)
    print_row ("(none)", "outside every desa", &stats->unassigned, shown, -1);
  print_row ("total", "", &stats->total, shown, -1);
  g_print ("\nPMKS columns count persons; approx = families located at a desa centroid.\n");
}

int
cli_cmd_stats (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DB — summary counts of a project");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GeoAreaStats) stats = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autofree char         *by = NULL;
  g_autofree char         *classes_arg = NULL;
  g_autofree double       *breaks = NULL;
  g_autofree int          *classes = NULL;
  guint                    n_classes = 0;
  int                      k = 5;
  GeoClassifyMethod        method = GEO_CLASSIFY_QUANTILE;
  CliFilterArgs            fargs = { 0 };
  GeoAreaLevel             level = GEO_AREA_DESA;
  gboolean                 json = FALSE;
  GError                  *error = NULL;
  int                      status = 0;
  static const char *const tables[] = { "persons",     "person",     "families",  "family",
                                        "memberships", "membership", "resources", "resource",
                                        "areas",       "area" };
  GOptionEntry             entries[] = {
                { "by",
                  0,
                  0,
                  G_OPTION_ARG_STRING,
                  &by,
                  "Counts per area: kecamatan or desa (persons, families, per PMKS category, no NIK, "
                              "approximate)",
                  "LEVEL" },
                { "classes",
                  0,
                  0,
                  G_OPTION_ARG_STRING,
                  &classes_arg,
                  "With --by: classify the areas by persons (quantile, equal or jenks) and print "
                  "the breaks",
                  "METHOD" },
                { "k", 0, 0, G_OPTION_ARG_INT, &k, "Number of classes (default 5)", "N" },
                { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
                { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  cli_filter_add_options (context, &fargs);
  g_option_context_set_description (context,
                                    "With --by, families are placed in the desa whose polygon "
                                    "contains their location (a\n"
                                    "family at its desa centroid, or outside every polygon, counts "
                                    "in its desa code's desa);\n"
                                    "a kecamatan counts its desa. Every area has a row, also when "
                                    "empty. The selection\n"
                                    "options restrict the per-area counts.");
  if (!cli_parse (context, &argc, &argv, &error))
    {
      status = cli_usage_error (context, "%s", error->message);
      g_clear_error (&error);
      goto out;
    }
  if (argc != 2)
    {
      status = cli_usage_error (context, "stats needs exactly one DB argument");
      goto out;
    }
  if (by != NULL && (!geo_area_level_from_string (by, &level) ||
                     (level != GEO_AREA_KECAMATAN && level != GEO_AREA_DESA)))
    {
      status = cli_usage_error (context, "--by takes kecamatan or desa, not “%s”", by);
      goto out;
    }
  if (classes_arg != NULL && by == NULL)
    {
      status = cli_usage_error (context, "--classes needs --by kecamatan|desa");
      goto out;
    }
  if (classes_arg != NULL && !geo_classify_method_from_string (classes_arg, &method))
    {
      status = cli_usage_error (context,
                                "--classes takes quantile, equal or jenks, not “%s”",
                                classes_arg);
      goto out;
    }
  if (k < 1 || k > GEO_CLASSIFY_MAX_CLASSES)
    {
      status = cli_usage_error (context,
                                "--k must be 1 to %d (got %d)",
                                GEO_CLASSIFY_MAX_CLASSES,
                                k);
      goto out;
    }
  filter = cli_filter_build (&fargs, &error);
  if (filter == NULL)
    {
      status = cli_fail (error);
      goto out;
    }

  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      status = cli_fail (error);
      goto out;
    }

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i += 2)
    {
      gint64 n = geo_store_count (store, tables[i + 1], &error);

      if (n < 0)
        {
          status = cli_fail (error);
          goto out;
        }
      json_builder_set_member_name (b, tables[i]);
      json_builder_add_int_value (b, n);
      if (!json)
        g_print ("%-12s %" G_GINT64_FORMAT "\n", tables[i], n);
    }

  if (by != NULL)
    {
      stats = geo_area_stats_compute (store, level, filter, NULL, &error);
      if (stats == NULL)
        {
          status = cli_fail (error);
          goto out;
        }
      if (classes_arg != NULL && stats->n_areas > 0)
        {
          g_autofree double *values = g_new (double, stats->n_areas);

          for (guint i = 0; i < stats->n_areas; i++)
            values[i] = stats->areas[i].persons;
          breaks = geo_classify_breaks (values, stats->n_areas, method, k, &n_classes, &error);
          if (breaks == NULL)
            {
              status = cli_fail (error);
              goto out;
            }
          classes = geo_classify_values (breaks, n_classes, values, stats->n_areas);
        }
      json_builder_set_member_name (b, "by");
      json_builder_add_string_value (b, geo_area_level_to_string (level));
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < stats->n_areas; i++)
        {
          const GeoAreaCount *c = &stats->areas[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, c->code);
          json_builder_set_member_name (b, "name");
          if (c->name != NULL)
            json_builder_add_string_value (b, c->name);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "parent_code");
          if (c->parent_code != NULL)
            json_builder_add_string_value (b, c->parent_code);
          else
            json_builder_add_null_value (b);
          add_count_members (b, c);
          if (classes != NULL)
            {
              json_builder_set_member_name (b, "class");
              json_builder_add_int_value (b, classes[i] + 1);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "unassigned");
      json_builder_begin_object (b);
      add_count_members (b, &stats->unassigned);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "total");
      json_builder_begin_object (b);
      add_count_members (b, &stats->total);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "assigned_by_polygon");
      json_builder_add_int_value (b, stats->by_polygon);
      json_builder_set_member_name (b, "assigned_by_code");
      json_builder_add_int_value (b, stats->by_code);
      if (breaks != NULL)
        {
          json_builder_set_member_name (b, "classes");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "method");
          json_builder_add_string_value (b, geo_classify_method_to_string (method));
          json_builder_set_member_name (b, "value");
          json_builder_add_string_value (b, "persons");
          json_builder_set_member_name (b, "breaks");
          json_builder_begin_array (b);
          for (guint i = 0; i <= n_classes; i++)
            json_builder_add_double_value (b, breaks[i]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      if (!json)
        {
          print_table (stats, classes);
          if (breaks != NULL)
            {
              g_print ("\nClasses of persons per %s (%s, %u):\n",
                       geo_area_level_to_string (level),
                       geo_classify_method_to_string (method),
                       n_classes);
              for (guint i = 0; i < n_classes; i++)
                g_print ("  %u  %s%g – %g\n", i + 1, i == 0 ? "" : "> ", breaks[i], breaks[i + 1]);
            }
        }
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);

out:
  cli_filter_args_clear (&fargs);
  return status;
}
