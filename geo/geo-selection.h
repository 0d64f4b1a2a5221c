#pragma once

#include <gio/gio.h>

#include "geo-store.h"

G_BEGIN_DECLS

/**
 * GeoFilter:
 * @categories: PMKS codes (1-26); none = any person (with or without a category)
 * @areas: kecamatan or desa codes (dotted); a family matches when its desa code is the code
 *   or lies under it; none = everywhere
 * @status: membership status (verivali state); NULL = any
 * @no_nik: only persons without a NIK yet
 *
 * The selection shared by every analysis and the CLI's `--category`, `--area`, `--status`,
 * `--no-nik` options. A person is selected when every given criterion holds; with both
 * @categories and @status, one of the person's memberships must have both.
 */
typedef struct
{
  int        categories[GEO_PMKS_N_CATEGORIES];
  guint      n_categories;
  GPtrArray *areas; /* char * */
  char      *status;
  gboolean   no_nik;
} GeoFilter;

GeoFilter *geo_filter_new (void);
void       geo_filter_free (GeoFilter *filter);
gboolean   geo_filter_add_category (GeoFilter *filter, const char *code_or_name, GError **error);
gboolean   geo_filter_add_area (GeoFilter *filter, const char *code, GError **error);
void       geo_filter_set_status (GeoFilter *filter, const char *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoFilter, geo_filter_free)

/* Bit (code - 1) of a 26-bit category mask. */
#define GEO_CATEGORY_BIT(code) (1u << ((code) - 1))

/**
 * GeoSelection:
 *
 * The selected persons and their families loaded once into compact arrays, for the analyses
 * and the map. Families are ordered by id; persons by id. Coordinates are EPSG:4326 lon/lat.
 * Only families with at least one selected person are present.
 */
typedef struct
{
  guint    n_families;
  gint64  *family_id;
  double  *lon;
  double  *lat;
  guint32 *family_n_persons; /* selected persons in the family */
  guint32 *family_mask;      /* union of the selected persons' categories */
  guint8  *family_loc_source; /* GeoLocSource */
  guint32 *family_desa;      /* index into desa_codes, G_MAXUINT32 when no desa code */

  guint    n_persons;
  gint64  *person_id;
  guint32 *person_family;    /* index into the family arrays */
  guint32 *person_mask;      /* the person's categories (all of them, not only the filtered ones) */
  guint8  *person_no_nik;

  GPtrArray *desa_codes;     /* char *, distinct desa codes */
} GeoSelection;

GeoSelection *geo_selection_load (GeoStore        *store,
                                  const GeoFilter *filter,
                                  GCancellable    *cancellable,
                                  GError         **error);
void          geo_selection_free (GeoSelection *selection);
gboolean      geo_selection_family_point (GeoStore *store,
                                          gint64    family_id,
                                          double   *lon,
                                          double   *lat,
                                          guint32  *mask,
                                          guint32  *n_persons,
                                          GError  **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoSelection, geo_selection_free)

G_END_DECLS
