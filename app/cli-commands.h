#pragma once

/* Every jangkau-cli subcommand, one per cli-*.c file. Keep in the order of jangkau-cli.c's table. */

int cli_cmd_init (int argc, char **argv);
int cli_cmd_stats (int argc, char **argv);
int cli_cmd_tsp (int argc, char **argv);
