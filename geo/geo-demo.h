#pragma once

#include <gio/gio.h>

#include "geo-export.h"
#include "geo-store.h"

G_BEGIN_DECLS

#define GEO_DEMO_DEFAULT_HOUSEHOLDS 5000
#define GEO_DEMO_DEFAULT_SEED 2012
#define GEO_DEMO_DEFAULT_AREA "bantul"

/**
 * GeoDemoOptions:
 * @households: number of families to generate
 * @seed: seed of the generator; the same seed (and area files) gives the same database
 * @area: (nullable): a pilot area by name (bantul, denpasar, depok, ...) or kabupaten code
 *   (3402 or 34.02); NULL = bantul
 * @data_dir: (nullable): where to look for the boundary files; NULL = geo_demo_data_dirs ()
 */
typedef struct
{
  guint           households;
  guint32         seed;
  const char     *area;
  const char     *data_dir;
  GeoProgressFunc progress;
  gpointer        progress_data;
} GeoDemoOptions;

typedef struct
{
  guint kecamatan;
  guint desa;
  guint families;
  guint persons;
  guint memberships;
  guint no_nik;
  guint approximate; /* families at their desa centroid */
  guint resources;
  char *kecamatan_file;
  char *desa_file;
} GeoDemoReport;

GStrv    geo_demo_data_dirs (void);
gboolean geo_demo_find_boundaries (const char *area,
                                   const char *data_dir,
                                   char      **kecamatan_file,
                                   char      **desa_file,
                                   GError    **error);
gboolean geo_demo_build (GeoStore             *store,
                         const GeoDemoOptions *opts,
                         GeoDemoReport        *report,
                         GCancellable         *cancellable,
                         GError              **error);
void     geo_demo_report_clear (GeoDemoReport *report);

G_END_DECLS
