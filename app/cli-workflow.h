#pragma once

/* Shared by the workflow, audit and duplicates subcommands (cli-workflow.c). */

#include "geo-store.h"

G_BEGIN_DECLS

GeoStore *cli_open_as (const char *path, const char *operator_name, GError **error);
char     *cli_mask_nik (const char *nik);
char     *cli_mask_name (const char *name);

G_END_DECLS
