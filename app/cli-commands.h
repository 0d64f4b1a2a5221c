#pragma once

/* Every jangkau-cli subcommand, one per cli-*.c file. Keep in the order of jangkau-cli.c's table. */

int cli_cmd_init (int argc, char **argv);
int cli_cmd_import (int argc, char **argv);
int cli_cmd_stats (int argc, char **argv);
int cli_cmd_export (int argc, char **argv);
int cli_cmd_demo (int argc, char **argv);
int cli_cmd_nearest (int argc, char **argv);
int cli_cmd_nearest_all (int argc, char **argv);
int cli_cmd_underserved (int argc, char **argv);
int cli_cmd_hotspots (int argc, char **argv);
int cli_cmd_density (int argc, char **argv);
int cli_cmd_status (int argc, char **argv);
int cli_cmd_bulk_status (int argc, char **argv);
int cli_cmd_person (int argc, char **argv);
int cli_cmd_visit (int argc, char **argv);
int cli_cmd_operator (int argc, char **argv);
int cli_cmd_audit (int argc, char **argv);
int cli_cmd_duplicates (int argc, char **argv);
int cli_cmd_merge (int argc, char **argv);
int cli_cmd_delete (int argc, char **argv);
int cli_cmd_tsp (int argc, char **argv);
int cli_cmd_round (int argc, char **argv);
int cli_cmd_roads (int argc, char **argv);
int cli_cmd_programme (int argc, char **argv);
int cli_cmd_coverage (int argc, char **argv);
int cli_cmd_report (int argc, char **argv);
