#include "config.h"

#include <gdal.h>
#include <locale.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"

static const CliCommand commands[] = {
  { "init", "Create an empty project database", cli_cmd_init },
  { "stats", "Counts of persons, families, resources and areas", cli_cmd_stats },
  { "tsp", "Solve a TSPLIB instance (EUC_2D, CEIL_2D, GEO, ATT)", cli_cmd_tsp },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: jangkau-cli COMMAND [OPTIONS...]\n\n"
                "Jangkau %s: social-welfare GIS and case management for Dinas Sosial.\n\n"
                "Commands:\n",
           PACKAGE_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-14s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “jangkau-cli COMMAND --help” for a command's options.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* Numbers in files and JSON always use a decimal point, whatever the user's locale. */
  setlocale (LC_NUMERIC, "C");
  GDALAllRegister ();

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("jangkau-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].func (argc - 1, argv + 1);

  g_printerr ("jangkau-cli: unknown command “%s”\n\n", argv[1]);
  print_usage (stderr);
  return 2;
}
