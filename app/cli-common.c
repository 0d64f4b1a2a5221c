#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cli-common.h"
#include "geo-error.h"

/* Prints one clear message on stderr and returns the failure exit status. */
int
cli_fail (GError *error)
{
  cli_progress_done ();
  g_printerr ("jangkau-cli: %s\n", error != NULL ? error->message : "failed");
  g_clear_error (&error);
  return 1;
}

int
cli_usage_error (GOptionContext *context, const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("jangkau-cli: %s\n", msg);
  if (context != NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("\n%s", help);
    }
  return 2;
}

gboolean
cli_parse (GOptionContext *context, int *argc, char ***argv, GError **error)
{
  return g_option_context_parse (context, argc, argv, error);
}

void
cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static gboolean progress_shown = FALSE;
static gint64 progress_last = 0;

gboolean
cli_progress_enabled (void)
{
  return g_getenv ("JANGKAU_NO_PROGRESS") == NULL;
}

/* A progress line on stderr, rewritten in place on a terminal, at most 5 times a second. */
void
cli_progress (const char *what, double fraction)
{
  gint64 now = g_get_monotonic_time ();
  gboolean tty = isatty (STDERR_FILENO);

  if (!cli_progress_enabled ())
    return;
  if (now - progress_last < (tty ? 200000 : 2000000) && fraction < 1.0)
    return;
  progress_last = now;
  if (fraction >= 0)
    fprintf (stderr, "%s%s: %3.0f %%%s", tty ? "\r" : "", what, CLAMP (fraction, 0, 1) * 100,
             tty ? "\033[K" : "\n");
  else
    fprintf (stderr, "%s%s...%s", tty ? "\r" : "", what, tty ? "\033[K" : "\n");
  progress_shown = tty;
}

void
cli_progress_done (void)
{
  if (progress_shown)
    fprintf (stderr, "\n");
  progress_shown = FALSE;
}

void
cli_filter_add_options (GOptionContext *context, CliFilterArgs *args)
{
  GOptionEntry entries[] = {
    { "category", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->categories,
      "PMKS category, code 1-26 or name (repeatable)", "C" },
    { "area", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->areas,
      "Kecamatan or desa code (repeatable)", "CODE" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &args->status, "Membership status (verivali state)",
      "S" },
    { "no-nik", 0, 0, G_OPTION_ARG_NONE, &args->no_nik, "Only persons without a NIK yet", NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("filter",
                                            "Selection options:",
                                            "Show the selection options",
                                            NULL,
                                            NULL);

  g_option_group_add_entries (group, entries);
  g_option_context_add_group (context, group);
}

GeoFilter *
cli_filter_build (const CliFilterArgs *args, GError **error)
{
  g_autoptr(GeoFilter) filter = geo_filter_new ();

  for (guint i = 0; args->categories != NULL && args->categories[i] != NULL; i++)
    if (!geo_filter_add_category (filter, args->categories[i], error))
      return NULL;
  for (guint i = 0; args->areas != NULL && args->areas[i] != NULL; i++)
    if (!geo_filter_add_area (filter, args->areas[i], error))
      return NULL;
  geo_filter_set_status (filter, args->status);
  filter->no_nik = args->no_nik;
  return g_steal_pointer (&filter);
}

void
cli_filter_args_clear (CliFilterArgs *args)
{
  g_clear_pointer (&args->categories, g_strfreev);
  g_clear_pointer (&args->areas, g_strfreev);
  g_clear_pointer (&args->status, g_free);
}

/**
 * cli_parse_filtered:
 * @filter: (out): the selection the options describe
 *
 * Adds the selection options to @context, parses the command line and builds the filter.
 *
 * Returns: 0 on success, otherwise the exit status after the error has been printed.
 */
int
cli_parse_filtered (GOptionContext *context, int *argc, char ***argv, GeoFilter **filter)
{
  CliFilterArgs fargs = { 0 };
  g_autoptr(GError) error = NULL;
  int           status = 0;

  cli_filter_add_options (context, &fargs);
  if (!cli_parse (context, argc, argv, &error))
    status = cli_usage_error (context, "%s", error->message);
  else if ((*filter = cli_filter_build (&fargs, &error)) == NULL)
    status = cli_fail (g_steal_pointer (&error));
  cli_filter_args_clear (&fargs);
  return status;
}

/**
 * cli_load_selection:
 * @need_families: the work is per family (else per person)
 *
 * Loads the selected persons and families with a progress line; an empty selection is an error.
 */
GeoSelection *
cli_load_selection (GeoStore *store, const GeoFilter *filter, gboolean need_families, GError **error)
{
  g_autoptr(GeoSelection) sel = NULL;

  cli_progress ("Loading the selection", -1);
  sel = geo_selection_load (store, filter, NULL, error);
  if (sel == NULL)
    return NULL;
  if ((need_families ? sel->n_families : sel->n_persons) == 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID,
                   "the selection is empty: no %s matches the filter",
                   need_families ? "household" : "person");
      return NULL;
    }
  return g_steal_pointer (&sel);
}
