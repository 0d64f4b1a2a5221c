#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Builds a small but realistic project through the geo API: the Bantul kecamatan and desa
 * boundaries from the shared data, and @n_families synthetic families (1-5 persons each,
 * mostly Fakir Miskin, some with several categories) placed around desa label points. */
gboolean ui_fixture_create_project (const char *path,
                                    const char *shared_data,
                                    guint       n_families,
                                    guint32     seed,
                                    GError    **error);

G_END_DECLS
