#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "cli-workflow.h"
#include "geo-categories.h"
#include "geo-coverage.h"
#include "geo-error.h"
#include "geo-programme.h"
#include "geo-table-writer.h"
#include "report-coverage.h"

/* jangkau-cli programme create|add-phase|add-area|add-targets|list|show, coverage, and
 * report coverage|bnba (docs/coverage.md). */

#define OPERATOR_HELP "Act as this operator (default: the built-in “admin”)"

static GeoStore *
open_programme (
    const char *path, const char *operator_name, const char *programme, gint64 *id, GError **error)
{
  g_autoptr(GeoStore) store = cli_open_as (path, operator_name, error);

  if (store == NULL || !geo_programme_lookup (store, programme, id, error))
    return NULL;
  return g_steal_pointer (&store);
}

static int
category_code (const char *str, int *out, GError **error)
{
  char *end = NULL;
  long  v;

  if (str == NULL)
    {
      *out = 0;
      return TRUE;
    }
  v = strtol (str, &end, 10);
  if (end == str || *end != '\0' || v < 1 || v > GEO_PMKS_N_CATEGORIES)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "--category: a PMKS code 1-26, not “%s”",
                   str);
      return FALSE;
    }
  *out = (int) v;
  return TRUE;
}

static int
programme_create (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB NAME — create a programme (e.g. \"Pelangsir Massal 2027\")");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *category = NULL, *start = NULL, *end = NULL, *op = NULL;
  GError          *error = NULL;
  gint64           id;
  int              cat = 0;
  GOptionEntry     entries[] = {
        { "category", 0, 0, G_OPTION_ARG_STRING, &category, "PMKS category served (1-26)", "C" },
        { "start", 0, 0, G_OPTION_ARG_STRING, &start, "Start date", "YYYY-MM-DD" },
        { "end", 0, 0, G_OPTION_ARG_STRING, &end, "End date", "YYYY-MM-DD" },
        { "operator", 0, 0, G_OPTION_ARG_STRING, &op, OPERATOR_HELP, "NAME" },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 3)
    return cli_usage_error (context, "programme create needs DB and NAME");
  if (!category_code (category, &cat, &error))
    return cli_fail (error);
  store = cli_open_as (argv[1], op, &error);
  if (store == NULL)
    return cli_fail (error);
  id = geo_programme_create (store, argv[2], cat, start, end, &error);
  if (id == 0)
    return cli_fail (error);
  g_print ("programme %" G_GINT64_FORMAT " created: %s\n", id, argv[2]);
  return 0;
}

static int
programme_add_phase (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB PROGRAMME NAME — append a phase (the pilot first)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *start = NULL, *end = NULL, *op = NULL;
  GError          *error = NULL;
  gint64           id = 0;
  int              seq = 0;
  GOptionEntry     entries[] = {
        { "start", 0, 0, G_OPTION_ARG_STRING, &start, "Start date (required)", "YYYY-MM-DD" },
        { "end", 0, 0, G_OPTION_ARG_STRING, &end, "End date", "YYYY-MM-DD" },
        { "operator", 0, 0, G_OPTION_ARG_STRING, &op, OPERATOR_HELP, "NAME" },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4)
    return cli_usage_error (context, "programme add-phase needs DB, PROGRAMME and NAME");
  store = open_programme (argv[1], op, argv[2], &id, &error);
  if (store == NULL || !geo_programme_add_phase (store, id, argv[3], start, end, &seq, &error))
    return cli_fail (error);
  g_print ("phase %d: %s\n", seq, argv[3]);
  return 0;
}

static int
programme_add_area (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB PROGRAMME CODE — add a target kecamatan (PP.KK.CC) or desa (PP.KK.CC.DDDD)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *phase = NULL, *start = NULL, *end = NULL, *op = NULL;
  GError          *error = NULL;
  gint64           id = 0;
  gint64           target = -1;
  GOptionEntry     entries[] = {
        { "phase", 0, 0, G_OPTION_ARG_STRING, &phase, "Phase name or number", "PHASE" },
        { "start",
          0,
          0,
          G_OPTION_ARG_STRING,
          &start,
          "Start date (default: the phase's)",
          "YYYY-MM-DD" },
        { "end", 0, 0, G_OPTION_ARG_STRING, &end, "End date (default: the phase's)", "YYYY-MM-DD" },
        { "target", 0, 0, G_OPTION_ARG_INT64, &target, "Persons to reach in this desa", "N" },
        { "operator", 0, 0, G_OPTION_ARG_STRING, &op, OPERATOR_HELP, "NAME" },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4)
    return cli_usage_error (context, "programme add-area needs DB, PROGRAMME and CODE");
  if (target < -1)
    return cli_usage_error (context, "--target must be 0 or more");
  store = open_programme (argv[1], op, argv[2], &id, &error);
  if (store == NULL ||
      !geo_programme_add_area (store, id, argv[3], phase, start, end, target, &error))
    return cli_fail (error);
  g_print ("area %s added\n", argv[3]);
  return 0;
}

static int
programme_add_targets (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB PROGRAMME — add the selected persons as targets");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *op = NULL;
  GError          *error = NULL;
  gint64           id = 0;
  guint            added = 0;
  int              status;
  GOptionEntry entries[] = { { "operator", 0, 0, G_OPTION_ARG_STRING, &op, OPERATOR_HELP, "NAME" },
                             { NULL } };

  /* The filter as given, for the audit entry. */
  for (int i = 3; i < argc; i++)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", argv[i]);
  g_option_context_add_main_entries (context, entries, NULL);
  status = cli_parse_filtered (context, &argc, &argv, &filter);
  if (status != 0)
    return status;
  if (argc != 3)
    return cli_usage_error (context, "programme add-targets needs DB and PROGRAMME");
  store = open_programme (argv[1], op, argv[2], &id, &error);
  if (store == NULL ||
      !geo_programme_add_targets (store, id, filter, text->str, &added, NULL, &error))
    return cli_fail (error);
  g_print ("%u target persons added\n", added);
  return 0;
}

static void
add_programme_json (JsonBuilder *b, const GeoProgramme *p, gboolean full)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, p->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, p->name);
  json_builder_set_member_name (b, "category");
  if (p->category > 0)
    json_builder_add_int_value (b, p->category);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "start_date");
  json_builder_add_string_value (b, p->start_date);
  json_builder_set_member_name (b, "end_date");
  json_builder_add_string_value (b, p->end_date);
  json_builder_set_member_name (b, "listed_targets");
  json_builder_add_int_value (b, p->n_targets);
  if (full)
    {
      json_builder_set_member_name (b, "phases");
      json_builder_begin_array (b);
      for (guint i = 0; i < p->phases->len; i++)
        {
          const GeoProgrammePhase *ph = p->phases->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "seq");
          json_builder_add_int_value (b, ph->seq);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, ph->name);
          json_builder_set_member_name (b, "start_date");
          json_builder_add_string_value (b, ph->start_date);
          json_builder_set_member_name (b, "end_date");
          json_builder_add_string_value (b, ph->end_date);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "areas");
      json_builder_begin_array (b);
      for (guint i = 0; i < p->areas->len; i++)
        {
          const GeoProgrammeArea *a = p->areas->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, a->code);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, a->name);
          json_builder_set_member_name (b, "level");
          json_builder_add_string_value (b, a->level);
          json_builder_set_member_name (b, "phase");
          json_builder_add_int_value (b, a->phase);
          json_builder_set_member_name (b, "start_date");
          json_builder_add_string_value (b, a->start_date);
          json_builder_set_member_name (b, "end_date");
          json_builder_add_string_value (b, a->end_date);
          json_builder_set_member_name (b, "target_count");
          if (a->target_count >= 0)
            json_builder_add_int_value (b, a->target_count);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static int
programme_list_or_show (int argc, char **argv, gboolean show)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      show ? "DB PROGRAMME — a programme's phases and areas" : "DB — the project's programmes");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean     json = FALSE;
  GError      *error = NULL;
  GOptionEntry entries[] = { { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                             { NULL } };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != (show ? 3 : 2))
    return cli_usage_error (context,
                            show ? "programme show needs DB and PROGRAMME"
                                 : "programme list needs exactly one DB argument");
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);
  if (show)
    {
      gint64        id = 0;
      GeoProgramme *p;

      if (!geo_programme_lookup (store, argv[2], &id, &error) ||
          (p = geo_programme_load (store, id, &error)) == NULL)
        return cli_fail (error);
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) geo_programme_free);
      g_ptr_array_add (list, p);
    }
  else if ((list = geo_programme_list (store, &error)) == NULL)
    return cli_fail (error);

  if (!show)
    json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const GeoProgramme *p = list->pdata[i];
      char                cat[8] = "any";

      if (p->category > 0)
        g_snprintf (cat, sizeof cat, "%d", p->category);
      add_programme_json (b, p, show);
      if (json)
        continue;
      g_print ("%4" G_GINT64_FORMAT "  %s  %s..%s  category %s  %" G_GINT64_FORMAT
               " listed targets\n",
               p->id,
               p->name,
               p->start_date ? p->start_date : "",
               p->end_date ? p->end_date : "",
               cat,
               p->n_targets);
      for (guint j = 0; show && j < p->phases->len; j++)
        {
          const GeoProgrammePhase *ph = p->phases->pdata[j];

          g_print ("  phase %d  %s  %s..%s\n",
                   ph->seq,
                   ph->name,
                   ph->start_date,
                   ph->end_date ? ph->end_date : "");
        }
      for (guint j = 0; show && j < p->areas->len; j++)
        {
          const GeoProgrammeArea *a = p->areas->pdata[j];
          g_autofree char        *target =
              a->target_count >= 0 ? g_strdup_printf ("target %" G_GINT64_FORMAT, a->target_count)
                                          : g_strdup ("listed persons");

          g_print ("  area %-13s  %-9s  %-20s  phase %d  %s..%s  %s\n",
                   a->code,
                   a->level,
                   a->name ? a->name : "",
                   a->phase,
                   a->start_date ? a->start_date : "",
                   a->end_date ? a->end_date : "",
                   a->level[0] == 'd' ? target : "");
        }
    }
  if (!show)
    json_builder_end_array (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  return 0;
}

int
cli_cmd_programme (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "create") == 0)
    return programme_create (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "add-phase") == 0)
    return programme_add_phase (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "add-area") == 0)
    return programme_add_area (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "add-targets") == 0)
    return programme_add_targets (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return programme_list_or_show (argc - 1, argv + 1, FALSE);
  if (argc >= 2 && strcmp (argv[1], "show") == 0)
    return programme_list_or_show (argc - 1, argv + 1, TRUE);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage: jangkau-cli programme SUBCOMMAND DB ...\n\n"
               "  create DB NAME [--category C] [--start D] [--end D]\n"
               "  add-phase DB PROGRAMME NAME --start D [--end D]\n"
               "  add-area DB PROGRAMME CODE [--phase P] [--start D] [--end D] [--target N]\n"
               "  add-targets DB PROGRAMME [--area CODE] [--category C] [--status S] [--no-nik]\n"
               "  list DB [--json]\n"
               "  show DB PROGRAMME [--json]\n");
      return 0;
    }
  g_printerr ("jangkau-cli: programme needs create, add-phase, add-area, add-targets, list or "
              "show (see “jangkau-cli programme --help”)\n");
  return 2;
}

/* ------------------------------------------------------------------------------------------- */

static void
print_table (GPtrArray *rows, const GeoCoverageRow *total)
{
  g_print ("%-13s %-20s %7s %14s %14s %14s %14s %14s %6s\n",
           "code",
           "name",
           "targets",
           "visited",
           "found",
           "NIK recorded",
           "verified",
           "not reachable",
           "gap");
  for (guint i = 0; i <= rows->len; i++)
    {
      const GeoCoverageRow *r = i < rows->len ? rows->pdata[i] : total;

      g_print ("%-13s %-20.20s %6" G_GINT64_FORMAT "%s %7" G_GINT64_FORMAT
               " %5.1f%% %7" G_GINT64_FORMAT " %5.1f%% %7" G_GINT64_FORMAT
               " %5.1f%% %7" G_GINT64_FORMAT " %5.1f%% %7" G_GINT64_FORMAT
               " %5.1f%% %6" G_GINT64_FORMAT "\n",
               r->code,
               r->name ? r->name : "",
               r->targets,
               r->count_target ? "*" : " ",
               r->visited,
               geo_coverage_percent (r->visited, r->targets),
               r->found,
               geo_coverage_percent (r->found, r->targets),
               r->nik_recorded,
               geo_coverage_percent (r->nik_recorded, r->targets),
               r->verified,
               geo_coverage_percent (r->verified, r->targets),
               r->not_reachable,
               geo_coverage_percent (r->not_reachable, r->targets),
               geo_coverage_row_gap (r));
    }
}

/* A JSON string literal (escaped, quoted) or null. */
static char *
json_str (const char *s)
{
  g_autoptr(JsonNode) node = NULL;

  if (s == NULL)
    return g_strdup ("null");
  node = json_node_init_string (json_node_alloc (), s);
  return json_to_string (node, FALSE);
}

/* Written by hand so that percentages keep one decimal (json-glib prints doubles with 17
 * significant digits: 61.700000000000003). */
static char *
rows_json (GPtrArray *rows, const char *programme, const char *at, const char *by)
{
  static const char *const keys[] = {
    "visited", "found", "nik_recorded", "verified", "not_reachable"
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *prog = json_str (programme);

  g_string_append_printf (out,
                          "{\n  \"programme\": %s,\n  \"at\": \"%s\",\n  \"by\": \"%s\",\n"
                          "  \"rows\": [",
                          prog,
                          at,
                          by);
  for (guint i = 0; i < rows->len; i++)
    {
      const GeoCoverageRow *r = rows->pdata[i];
      const gint64          values[] = {
                 r->visited, r->found, r->nik_recorded, r->verified, r->not_reachable
      };
      g_autofree char *code = json_str (r->code);
      g_autofree char *name = json_str (r->name);

      g_string_append_printf (out,
                              "%s\n    {\"code\": %s, \"name\": %s, \"target_count\": %s, "
                              "\"targets\": %" G_GINT64_FORMAT,
                              i > 0 ? "," : "",
                              code,
                              name,
                              r->count_target ? "true" : "false",
                              r->targets);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          char pct[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (pct, sizeof pct, "%.1f", geo_coverage_percent (values[k], r->targets));
          g_string_append_printf (out,
                                  ", \"%s\": %" G_GINT64_FORMAT ", \"%s_pct\": %s",
                                  keys[k],
                                  values[k],
                                  keys[k],
                                  pct);
        }
      g_string_append_printf (out, ", \"gap\": %" G_GINT64_FORMAT "}", geo_coverage_row_gap (r));
    }
  g_string_append (out, "\n  ]\n}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* coverage --from D: one row per day and area, from @from to @to. */
static int
print_series (GeoCoverage     *cov,
              const char      *from,
              const char      *to,
              GeoCoverageLevel level,
              const char      *within,
              const char      *out)
{
  static const GeoField fields[] = {
    { "tanggal", GEO_FIELD_STRING },       { "kode", GEO_FIELD_STRING },
    { "nama", GEO_FIELD_STRING },          { "target", GEO_FIELD_INT },
    { "dikunjungi", GEO_FIELD_INT },       { "ditemukan", GEO_FIELD_INT },
    { "nik_tercatat", GEO_FIELD_INT },     { "terverifikasi", GEO_FIELD_INT },
    { "tidak_terjangkau", GEO_FIELD_INT }, { "kekurangan", GEO_FIELD_INT },
  };
  g_autoptr(GeoTableWriter) w = NULL;
  g_autoptr(GDate) day = g_date_new ();
  g_autoptr(GDate) last = g_date_new ();
  GError *error = NULL;
  guint   n_days = 0;

  if (!geo_is_iso_date (from))
    {
      g_printerr ("jangkau-cli: --from: not a date (YYYY-MM-DD): %s\n", from);
      return 2;
    }
  g_date_set_dmy (day, atoi (from + 8), atoi (from + 5), atoi (from));
  g_date_set_dmy (last, atoi (to + 8), atoi (to + 5), atoi (to));
  if (g_date_compare (day, last) > 0 || g_date_days_between (day, last) > 3660)
    {
      g_printerr ("jangkau-cli: --from must be on or before --at, at most 10 years before\n");
      return 2;
    }
  if (out != NULL)
    {
      if (!g_str_has_suffix (out, ".csv"))
        {
          g_printerr ("jangkau-cli: a daily series is written as .csv\n");
          return 2;
        }
      w = geo_table_writer_new (out,
                                "cakupan_harian",
                                fields,
                                G_N_ELEMENTS (fields),
                                GEO_TABLE_GEOM_NONE,
                                &error);
      if (w == NULL)
        return cli_fail (error);
    }
  else
    g_print ("date        code          name                 targets visited   found     NIK "
             "verified unreachable   gap\n");
  for (; g_date_compare (day, last) <= 0; g_date_add_days (day, 1), n_days++)
    {
      char date[16];
      g_autoptr(GPtrArray) rows = NULL;

      g_snprintf (date,
                  sizeof date,
                  "%04d-%02d-%02d",
                  g_date_get_year (day),
                  g_date_get_month (day),
                  g_date_get_day (day));
      rows = geo_coverage_compute (cov, date, level, within, &error);
      if (rows == NULL)
        return cli_fail (error);
      for (guint i = 0; i < rows->len; i++)
        {
          const GeoCoverageRow *r = rows->pdata[i];

          if (w == NULL)
            {
              g_print ("%s  %-13s %-20.20s %7" G_GINT64_FORMAT " %7" G_GINT64_FORMAT
                       " %7" G_GINT64_FORMAT " %7" G_GINT64_FORMAT " %8" G_GINT64_FORMAT
                       " %11" G_GINT64_FORMAT " %5" G_GINT64_FORMAT "\n",
                       date,
                       r->code,
                       r->name ? r->name : "",
                       r->targets,
                       r->visited,
                       r->found,
                       r->nik_recorded,
                       r->verified,
                       r->not_reachable,
                       geo_coverage_row_gap (r));
              continue;
            }
          geo_table_writer_set_string (w, 0, date);
          geo_table_writer_set_string (w, 1, r->code);
          geo_table_writer_set_string (w, 2, r->name);
          geo_table_writer_set_int (w, 3, r->targets);
          geo_table_writer_set_int (w, 4, r->visited);
          geo_table_writer_set_int (w, 5, r->found);
          geo_table_writer_set_int (w, 6, r->nik_recorded);
          geo_table_writer_set_int (w, 7, r->verified);
          geo_table_writer_set_int (w, 8, r->not_reachable);
          geo_table_writer_set_int (w, 9, geo_coverage_row_gap (r));
          if (!geo_table_writer_write_row (w, &error))
            return cli_fail (error);
        }
    }
  if (w != NULL)
    {
      if (!geo_table_writer_close (w, &error))
        return cli_fail (error);
      g_printerr ("%u days written to %s\n", n_days, out);
    }
  return 0;
}

int
cli_cmd_coverage (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — rollout coverage of a programme per desa or kecamatan");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoCoverage) cov = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GeoCoverageRow) total = NULL;
  g_autofree char *programme = NULL, *by = NULL, *at = NULL, *out = NULL, *within = NULL;
  g_autofree char *today = NULL, *from = NULL;
  GeoCoverageLevel level = GEO_COVERAGE_BY_DESA;
  GError          *error = NULL;
  gint64           id = 0;
  GOptionEntry     entries[] = {
        { "programme", 0, 0, G_OPTION_ARG_STRING, &programme, "Programme name or id", "P" },
        { "by", 0, 0, G_OPTION_ARG_STRING, &by, "desa (default) or kecamatan", "LEVEL" },
        { "at",
          0,
          0,
          G_OPTION_ARG_STRING,
          &at,
          "Coverage as it was on this date (default today)",
          "YYYY-MM-DD" },
        { "kecamatan", 0, 0, G_OPTION_ARG_STRING, &within, "Only this kecamatan", "CODE" },
        { "from",
          0,
          0,
          G_OPTION_ARG_STRING,
          &from,
          "A daily series from this date to --at (table or .csv)",
          "YYYY-MM-DD" },
        { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write .csv, .xlsx or .json instead", "FILE" },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "coverage needs exactly one DB argument");
  if (programme == NULL)
    return cli_usage_error (context, "coverage needs --programme");
  if (by != NULL && strcmp (by, "kecamatan") == 0)
    level = GEO_COVERAGE_BY_KECAMATAN;
  else if (by != NULL && strcmp (by, "desa") != 0)
    return cli_usage_error (context, "--by: desa or kecamatan, not “%s”", by);
  if (at != NULL && !geo_is_iso_date (at))
    return cli_usage_error (context, "--at: not a date (YYYY-MM-DD): %s", at);
  if (at == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      today = g_date_time_format (now, "%Y-%m-%d");
    }
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !geo_programme_lookup (store, programme, &id, &error))
    return cli_fail (error);
  cli_progress ("Loading the programme's targets and visits", -1);
  cov = geo_coverage_load (store, id, NULL, &error);
  if (cov == NULL)
    return cli_fail (error);
  cli_progress_done ();
  if (from != NULL)
    return print_series (cov, from, at != NULL ? at : today, level, within, out);
  rows = geo_coverage_compute (cov, at != NULL ? at : today, level, within, &error);
  if (rows == NULL)
    return cli_fail (error);
  total = geo_coverage_rows_total (rows);
  if (out == NULL)
    {
      print_table (rows, total);
      return 0;
    }
  if (g_str_has_suffix (out, ".json"))
    {
      g_autoptr(GeoProgramme) p = geo_programme_load (store, id, &error);
      g_autofree char *text = NULL;

      if (p == NULL)
        return cli_fail (error);
      text = rows_json (rows, p->name, at != NULL ? at : today, by != NULL ? by : "desa");
      if (!g_file_set_contents (out, text, -1, &error))
        return cli_fail (error);
    }
  else
    {
      g_ptr_array_add (rows, g_steal_pointer (&total));
      if (!report_coverage_table_write (rows, out, &error))
        return cli_fail (error);
    }
  g_printerr ("%u rows written to %s\n", rows->len, out);
  return 0;
}

static int
report_coverage (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — the coverage report of one kecamatan (PDF, Bahasa Indonesia)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *programme = NULL, *kecamatan = NULL, *at = NULL, *out = NULL;
  GError          *error = NULL;
  gint64           id = 0;
  GOptionEntry     entries[] = {
        { "programme", 0, 0, G_OPTION_ARG_STRING, &programme, "Programme name or id", "P" },
        { "kecamatan", 0, 0, G_OPTION_ARG_STRING, &kecamatan, "Kecamatan code", "CODE" },
        { "at", 0, 0, G_OPTION_ARG_STRING, &at, "Coverage on this date (default today)", "YYYY-MM-DD" },
        { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The PDF to write", "FILE.pdf" },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2 || programme == NULL || kecamatan == NULL || out == NULL)
    return cli_usage_error (context,
                            "report coverage needs DB, --programme, --kecamatan and --out");
  if (at != NULL && !geo_is_iso_date (at))
    return cli_usage_error (context, "--at: not a date (YYYY-MM-DD): %s", at);
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !geo_programme_lookup (store, programme, &id, &error) ||
      !report_coverage_pdf_write (store, id, kecamatan, at, out, &error))
    return cli_fail (error);
  g_printerr ("coverage report written to %s\n", out);
  return 0;
}

static int
report_bnba (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — BNBA list of the verified persons of a desa (PDF, CSV or XLSX)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *desa = NULL, *out = NULL, *sort = NULL;
  gboolean         personal = FALSE;
  GError          *error = NULL;
  guint            n = 0;
  GOptionEntry     entries[] = {
        { "desa", 0, 0, G_OPTION_ARG_STRING, &desa, "Desa code", "CODE" },
        { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The file to write (.pdf, .csv, .xlsx)", "FILE" },
        { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, "name (default) or address", "ORDER" },
        { "include-personal-data",
          0,
          0,
          G_OPTION_ARG_NONE,
          &personal,
          "Full names, NIK and KK numbers (masked otherwise)",
          NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2 || desa == NULL || out == NULL)
    return cli_usage_error (context, "report bnba needs DB, --desa and --out");
  if (sort != NULL && strcmp (sort, "name") != 0 && strcmp (sort, "address") != 0)
    return cli_usage_error (context, "--sort: name or address, not “%s”", sort);
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !report_bnba_write (store,
                                           desa,
                                           personal,
                                           sort != NULL && strcmp (sort, "address") == 0,
                                           out,
                                           &n,
                                           &error))
    return cli_fail (error);
  g_printerr ("%u verified persons written to %s\n", n, out);
  return 0;
}

int
cli_cmd_report (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "coverage") == 0)
    return report_coverage (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "bnba") == 0)
    return report_bnba (argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage: jangkau-cli report coverage|bnba DB ...\n\n"
               "  coverage DB --programme P --kecamatan CODE --out F.pdf [--at D]\n"
               "  bnba DB --desa CODE --out F.pdf|.csv|.xlsx [--sort name|address] "
               "[--include-personal-data]\n");
      return 0;
    }
  g_printerr ("jangkau-cli: report needs coverage or bnba (see “jangkau-cli report --help”)\n");
  return 2;
}
