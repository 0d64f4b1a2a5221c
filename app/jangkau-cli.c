#include "config.h"

#include <gdal.h>

#include "geo-store.h"
#include <locale.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"

static const CliCommand commands[] = {
  { "init", "Create an empty project database", cli_cmd_init },
  { "import", "Import households, resources or areas from a file", cli_cmd_import },
  { "stats", "Counts of persons, families, resources and areas", cli_cmd_stats },
  { "export", "Export a table or a selection to GeoPackage, GeoJSON, CSV, KML, Shapefile", cli_cmd_export },
  { "demo", "Build a demo project (real boundaries, synthetic households)", cli_cmd_demo },
  { "nearest", "Nearest PSKS resources of a household or a point", cli_cmd_nearest },
  { "nearest-all", "Nearest matching resource of every selected household", cli_cmd_nearest_all },
  { "underserved", "Desa ranked by PMKS persons without a resource in reach", cli_cmd_underserved },
  { "hotspots", "Getis-Ord Gi* hotspots on a grid or by desa", cli_cmd_hotspots },
  { "density", "Quartic kernel density as a GeoTIFF", cli_cmd_density },
  { "status", "Move a person's PMKS memberships to a verivali state", cli_cmd_status },
  { "bulk-status", "Move all memberships of an area from one state to another", cli_cmd_bulk_status },
  { "person", "Change a person's fields (person set), audited", cli_cmd_person },
  { "visit", "Log a home visit and its DTSEN outcome", cli_cmd_visit },
  { "operator", "Add or list operator profiles (role and area scope)", cli_cmd_operator },
  { "audit", "Verify or show the tamper-evident audit log", cli_cmd_audit },
  { "duplicates", "Find duplicate persons (NIK, two families, similar names)", cli_cmd_duplicates },
  { "merge", "Merge a duplicate person into another", cli_cmd_merge },
  { "delete", "Delete a person or a family, with a reason (audited)", cli_cmd_delete },
  { "tsp", "Solve a TSPLIB instance (EUC_2D, CEIL_2D, GEO, ATT)", cli_cmd_tsp },
  { "round", "Plan, list and show home-visit rounds (GPX/KML/GeoJSON/CSV, PDF sheets)", cli_cmd_round },
  { "roads", "Import a road network for road distances (roads import DB FILE)", cli_cmd_roads },
  { "programme", "Create and show rollout programmes (phases, areas, targets)", cli_cmd_programme },
  { "coverage", "Rollout coverage of a programme per desa or kecamatan, at a date", cli_cmd_coverage },
  { "report", "Coverage report per kecamatan (PDF) and BNBA lists per desa", cli_cmd_report },
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
  geo_store_configure_sqlite ();
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
