#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "cli-workflow.h"
#include "geo-duplicates.h"
#include "geo-error.h"
#include "geo-operator.h"

int
cli_cmd_duplicates (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DB — find duplicate persons");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char   *operator_name = NULL;
  double             threshold = GEO_DUPLICATES_DEFAULT_THRESHOLD;
  gboolean           json = FALSE;
  gboolean           personal = FALSE;
  const GeoOperator *op;
  GError            *error = NULL;
  guint              shown = 0;
  GOptionEntry       entries[] = {
          { "threshold",
            0,
            0,
            G_OPTION_ARG_DOUBLE,
            &threshold,
            "Least score of a probable duplicate, 0-1 (default 0.9)",
            "T" },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array of groups", NULL },
          { "include-personal-data",
            0,
            0,
            G_OPTION_ARG_NONE,
            &personal,
            "Show NIK and names unmasked",
            NULL },
          { "operator",
            0,
            0,
            G_OPTION_ARG_STRING,
            &operator_name,
            "Act as this operator (default: admin); "
                  "a scoped operator sees only groups inside its scope",
            "NAME" },
          { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Kinds: nik (same NIK once formatting is removed), "
                                    "two-families / same-family\n"
                                    "(same name and birth date in two KKs / twice in one), "
                                    "probable (score =\n"
                                    "0.75 x Jaro-Winkler of the normalised names + 0.25 x "
                                    "birth-date similarity,\n"
                                    "compared within a desa and birth year). Merge with "
                                    "“jangkau-cli merge”.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "duplicates needs exactly one DB argument");
  if (threshold < 0 || threshold > 1)
    return cli_usage_error (context, "--threshold must be between 0 and 1");

  store = cli_open_as (argv[1], operator_name, &error);
  if (store == NULL)
    return cli_fail (error);
  cli_progress ("Looking for duplicates", -1);
  groups = geo_duplicates_find (store, threshold, NULL, &error);
  cli_progress_done ();
  if (groups == NULL)
    return cli_fail (error);
  op = geo_operator_current (store);

  json_builder_begin_array (b);
  for (guint i = 0; i < groups->len; i++)
    {
      const GeoDuplicateGroup *g = groups->pdata[i];
      gboolean                 visible = TRUE;

      for (guint k = 0; k < g->persons->len; k++)
        visible &=
            geo_operator_covers (op, ((GeoDuplicatePerson *) g->persons->pdata[k])->desa_code);
      if (!visible)
        continue;
      shown++;
      if (!json)
        g_print ("group %u  %s  score %.3f\n",
                 shown,
                 geo_duplicate_kind_to_string (g->kind),
                 g->score);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, geo_duplicate_kind_to_string (g->kind));
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, g->score);
      json_builder_set_member_name (b, "persons");
      json_builder_begin_array (b);
      for (guint k = 0; k < g->persons->len; k++)
        {
          const GeoDuplicatePerson *p = g->persons->pdata[k];
          g_autofree char          *nik = personal ? g_strdup (p->nik) : cli_mask_nik (p->nik);
          g_autofree char          *name = personal ? g_strdup (p->name) : cli_mask_name (p->name);

          if (!json)
            g_print ("  person %-8" G_GINT64_FORMAT " family %-8" G_GINT64_FORMAT
                     " %-16s %-10s %-14s %s\n",
                     p->id,
                     p->family_id,
                     nik ? nik : "-",
                     p->birth_date ? p->birth_date : "-",
                     p->desa_code ? p->desa_code : "-",
                     name ? name : "-");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, p->id);
          json_builder_set_member_name (b, "family_id");
          json_builder_add_int_value (b, p->family_id);
          json_builder_set_member_name (b, "nik");
          json_builder_add_string_value (b, nik);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, name);
          json_builder_set_member_name (b, "birth_date");
          json_builder_add_string_value (b, p->birth_date);
          json_builder_set_member_name (b, "desa_code");
          json_builder_add_string_value (b, p->desa_code);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  else
    g_printerr ("%u duplicate group(s)\n", shown);
  return 0;
}

static gboolean
parse_id (const char *text, gint64 *id, GError **error)
{
  char *end = NULL;

  errno = 0;
  *id = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || *id <= 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Not a person id: “%s”", text);
      return FALSE;
    }
  return TRUE;
}

int
cli_cmd_merge (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB KEEP_ID DROP_ID — merge a duplicate person into another");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *operator_name = NULL;
  GError          *error = NULL;
  gint64           keep, drop;
  GOptionEntry     entries[] = { { "operator",
                                   0,
                                   0,
                                   G_OPTION_ARG_STRING,
                                   &operator_name,
                                   "Act as this operator (default: admin)",
                                   "NAME" },
                                 { NULL } };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Keeps KEEP_ID; moves DROP_ID's memberships and visit records "
                                    "to it, fills\n"
                                    "KEEP_ID's empty fields from DROP_ID, deletes DROP_ID (and its "
                                    "family when\n"
                                    "left empty, moving that family's visits). One transaction, "
                                    "audited.");
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 4)
    return cli_usage_error (context, "merge needs DB, KEEP_ID and DROP_ID");
  if (!parse_id (argv[2], &keep, &error) || !parse_id (argv[3], &drop, &error))
    return cli_fail (error);
  store = cli_open_as (argv[1], operator_name, &error);
  if (store == NULL || !geo_duplicates_merge (store, keep, drop, &error))
    return cli_fail (error);
  g_printerr ("person %" G_GINT64_FORMAT " merged into %" G_GINT64_FORMAT "\n", drop, keep);
  return 0;
}
