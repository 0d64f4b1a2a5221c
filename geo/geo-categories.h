#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reference tables: 26 PMKS categories and 12 PSKS types (Permensos 8/2012),
 * shipped in data/ and compiled into libgeo as a GResource. */
typedef struct
{
  int         code;
  const char *name;       /* Indonesian */
  const char *short_name;
  const char *name_en;
  const char *colour;     /* #rrggbb */
  const char *symbol;     /* circle, square, triangle, diamond, star, cross, hexagon, house */
} GeoCategory;

guint              geo_pmks_count (void);
const GeoCategory *geo_pmks_get (int code);
gboolean           geo_pmks_lookup (const char *text, int *code);

guint              geo_psks_count (void);
const GeoCategory *geo_psks_get (int code);
gboolean           geo_psks_lookup (const char *text, int *code);

char              *geo_normalize_name (const char *text);
int               *geo_parse_category_list (const char *text,
                                            gboolean    psks,
                                            guint      *n_codes,
                                            GError    **error);

G_END_DECLS
