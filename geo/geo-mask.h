#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Masking of personal data (UU 27/2022 PDP) for exports, the app's lists and reports.
 * Every function returns a newly allocated string, or NULL for a NULL or empty input. */

char *geo_mask_id (const char *id);
char *geo_mask_name (const char *name);

/* NIK and No. KK are masked the same way. */
#define geo_mask_nik(nik) geo_mask_id (nik)
#define geo_mask_no_kk(no_kk) geo_mask_id (no_kk)

G_END_DECLS
