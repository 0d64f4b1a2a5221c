#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One jangkau-cli subcommand: argv[0] is the subcommand's name. Returns the exit status. */
typedef int (*CliCommandFunc) (int argc, char **argv);

typedef struct
{
  const char    *name;
  const char    *summary;
  CliCommandFunc func;
} CliCommand;

int      cli_fail (GError *error);
int      cli_usage_error (GOptionContext *context, const char *format, ...) G_GNUC_PRINTF (2, 3);
gboolean cli_parse (GOptionContext *context, int *argc, char ***argv, GError **error);
void     cli_print_json (JsonNode *node);
void     cli_progress (const char *what, double fraction);
void     cli_progress_done (void);
gboolean cli_progress_enabled (void);

G_END_DECLS

#include "geo-selection.h"

G_BEGIN_DECLS

/* The selection options shared by every command that selects persons:
 * --category C (repeatable), --area CODE (repeatable), --status S, --no-nik. */
typedef struct
{
  char   **categories;
  char   **areas;
  char    *status;
  gboolean no_nik;
} CliFilterArgs;

void       cli_filter_add_options (GOptionContext *context, CliFilterArgs *args);
GeoFilter *cli_filter_build (const CliFilterArgs *args, GError **error);
void       cli_filter_args_clear (CliFilterArgs *args);

int           cli_parse_filtered (GOptionContext *context,
                                  int            *argc,
                                  char         ***argv,
                                  GeoFilter     **filter);
GeoSelection *cli_load_selection (GeoStore *store, const GeoFilter *filter, gboolean need_families,
                                  GError **error);

G_END_DECLS
