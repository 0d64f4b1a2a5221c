#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-categories.h"
#include "geo-error.h"
#include "geo-import-private.h"
#include "geo-store-private.h"

#define PROGRESS_EVERY 1024

enum
{
  R_TYPE,
  R_NAME,
  R_LAT,
  R_LON,
  R_SERVES,
  R_RADIUS,
  R_CAPACITY,
  R_CONTACT,
  R_DESA,
  R_N
};

static const GeoImportAttr resource_attrs[R_N] = {
  [R_TYPE] = { "type", "jenis|type|jenispsks|psks|tipe|kind" },
  [R_NAME] = { "name", "nama|name|namalembaga|namapsks" },
  [R_LAT] = { "lat", "lat|latitude|lintang|y" },
  [R_LON] = { "lon", "lon|lng|long|longitude|bujur|x" },
  [R_SERVES] = { "serves", "layanan|serves|melayani|sasaran|kategori|pmks|ppks|category" },
  [R_RADIUS] = { "radius_m", "radiusm|radius|jangkauan|jangkauanm|serviceradius" },
  [R_CAPACITY] = { "capacity", "kapasitas|capacity|dayatampung" },
  [R_CONTACT] = { "contact", "kontak|contact|telepon|telp|hp|phone|email" },
  [R_DESA] = { "kode_desa",
               "kodedesa|kodekelurahan|kodedesakelurahan|desacode|kddesa|desa|kelurahan" },
};

typedef struct
{
  GeoStore               *store;
  const GeoImportOptions *opts;
  GeoImportReport        *report;
  GeoRowSource           *src;
  GeoLocator             *loc;
  GeoRejects             *rejects;
  int                    *map;
} Import;

static gboolean
reject (Import *imp, GeoImportReason reason, const char *detail, GError **error)
{
  imp->report->rejected++;
  imp->report->reasons[reason]++;
  return geo_rejects_add (imp->rejects, imp->report->read, reason, detail, error);
}

static gboolean
import_row (Import *imp, GError **error)
{
  const char *v[R_N];
  g_autofree char *detail = NULL;
  g_autofree char *name = NULL;
  g_autofree char *desa = NULL;
  g_autofree int *serves = NULL;
  g_autoptr(GError) cat_error = NULL;
  GeoResourceRecord rec = { 0 };
  GeoImportReason reason;
  gboolean approximate;
  guint n_serves = 0;
  int type;

  for (int a = 0; a < R_N; a++)
    v[a] = geo_row_source_value (imp->src, imp->map[a]);

  if (!geo_psks_lookup (v[R_TYPE], &type))
    {
      detail = g_strdup_printf ("“%s” is not a PSKS type (code 1-12 or name)", v[R_TYPE]);
      return reject (imp, GEO_IMPORT_BAD_TYPE, detail, error);
    }
  name = g_strstrip (g_strdup (v[R_NAME]));
  if (*name == '\0')
    return reject (imp, GEO_IMPORT_MISSING_NAME, "the name is empty", error);
  serves = geo_parse_category_list (v[R_SERVES], FALSE, &n_serves, &cat_error);
  /* An empty cell gives no codes and may give a NULL array: test the error. */
  if (cat_error != NULL)
    return reject (imp, GEO_IMPORT_BAD_CATEGORY, cat_error->message, error);
  rec.radius_m = NAN;
  if (*v[R_RADIUS] != '\0' && (!geo_import_parse_double (v[R_RADIUS], &rec.radius_m) ||
                               rec.radius_m <= 0))
    {
      detail = g_strdup_printf ("radius “%s” is not a positive number of metres", v[R_RADIUS]);
      return reject (imp, GEO_IMPORT_BAD_RADIUS, detail, error);
    }
  rec.capacity = -1;
  if (*v[R_CAPACITY] != '\0')
    {
      double cap;

      if (!geo_import_parse_double (v[R_CAPACITY], &cap) || cap < 0 || cap != floor (cap))
        {
          detail = g_strdup_printf ("capacity “%s” is not a whole number", v[R_CAPACITY]);
          return reject (imp, GEO_IMPORT_BAD_CAPACITY, detail, error);
        }
      rec.capacity = (gint64) cap;
    }
  reason = geo_locator_locate (imp->loc, v[R_LON], v[R_LAT], v[R_DESA], &rec.lon, &rec.lat,
                               &approximate, &detail);
  if (reason != GEO_IMPORT_N_REASONS)
    return reject (imp, reason, detail, error);

  desa = geo_import_desa_code (v[R_DESA]);
  rec.type = type;
  rec.name = name;
  rec.contact = v[R_CONTACT];
  rec.desa_code = desa;
  rec.serves = serves;
  rec.n_serves = n_serves;
  if (geo_store_insert_resource (imp->store, &rec, error) <= 0)
    return FALSE;
  if (approximate)
    imp->report->approximate++;
  imp->report->imported++;
  return TRUE;
}

static gboolean
run_import (Import *imp, const char *path, GCancellable *cancellable, GError **error)
{
  const GeoImportOptions *opts = imp->opts;
  int rc;

  imp->map = geo_import_map_columns (imp->src, resource_attrs, R_N, opts->fields, error);
  if (imp->map == NULL)
    return FALSE;
  if (imp->map[R_TYPE] < 0 || imp->map[R_NAME] < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s: a resource file needs a type (jenis) and a name (nama) column; "
                   "use --field COLUMN=attribute",
                   path);
      return FALSE;
    }
  imp->loc = geo_locator_new (imp->store, imp->src, opts->crs, error);
  if (imp->loc == NULL)
    return FALSE;
  imp->rejects = geo_rejects_new (path, opts->rejects_path, imp->src, error);
  if (imp->rejects == NULL)
    return FALSE;
  if (!geo_store_begin (imp->store, error))
    return FALSE;
  imp->report->batch_id = geo_import_begin_batch (imp->store, "resources", path, error);
  if (imp->report->batch_id <= 0)
    return FALSE;

  while ((rc = geo_row_source_next (imp->src, error)) > 0)
    {
      imp->report->read++;
      if (!import_row (imp, error))
        {
          g_prefix_error (error, "Row %" G_GUINT64_FORMAT ": ", imp->report->read);
          return FALSE;
        }
      if (imp->report->read % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (opts->progress != NULL)
            opts->progress (imp->report->read, geo_row_source_fraction (imp->src),
                            opts->progress_data);
        }
    }
  if (rc < 0 || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!geo_import_end_batch (imp->store, imp->report, error) ||
      !geo_store_commit (imp->store, error))
    return FALSE;
  if (opts->progress != NULL)
    opts->progress (imp->report->read, 1.0, opts->progress_data);
  return TRUE;
}

/**
 * geo_import_resources:
 *
 * Imports PSKS resources (one row = one resource: jenis/type, nama/name, lat/lon or a desa
 * code, layanan/serves, radius_m, kapasitas, kontak) with the same rules as
 * geo_import_households(): one transaction, rejected rows to the rejects file.
 * @opts->on_duplicate is not used: resources have no natural key.
 */
gboolean
geo_import_resources (GeoStore               *store,
                      const char             *path,
                      const GeoImportOptions *opts,
                      GeoImportReport        *report,
                      GCancellable           *cancellable,
                      GError                **error)
{
  static const GeoImportOptions defaults = { 0 };
  g_autoptr(GeoRowSource) src = NULL;
  Import imp = { 0 };
  gboolean ok;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if (opts == NULL)
    opts = &defaults;
  src = geo_row_source_open (path, opts->layer, opts->csv_through_ogr, error);
  if (src == NULL)
    return FALSE;
  imp.store = store;
  imp.opts = opts;
  imp.report = report;
  imp.src = src;

  ok = run_import (&imp, path, cancellable, error);
  if (!ok)
    {
      geo_store_rollback (store);
      report->batch_id = 0;
    }
  if (imp.rejects != NULL &&
      !geo_rejects_finish (imp.rejects, ok, &report->rejects_path, ok ? error : NULL))
    ok = FALSE;
  g_clear_pointer (&imp.rejects, geo_rejects_free);
  g_clear_pointer (&imp.loc, geo_locator_free);
  g_clear_pointer (&imp.map, g_free);
  if (!ok)
    g_prefix_error (error, "Importing %s: ", path);
  return ok;
}

/* The header matching of the resources import, for geo_import_preview(). */
const GeoImportAttr *
geo_import_resource_attrs (guint *n_attrs)
{
  *n_attrs = R_N;
  return resource_attrs;
}
