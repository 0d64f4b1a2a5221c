#include "config.h"

#include <string.h>

#include <gdal.h>

#include "geo-error.h"
#include "geo-import-preview.h"
#include "geo-import-private.h"

static const char *const area_attr_names[] = { "code", "name", "level", "population" };

/* The attribute table of @kind; for areas built from the candidates of geo-import-areas.c. */
static GeoImportAttr *
kind_attrs (GeoImportKind kind, guint *n_attrs, GPtrArray *keep)
{
  const GeoImportAttr *table = NULL;
  GeoImportAttr       *attrs;

  switch (kind)
    {
    case GEO_IMPORT_KIND_HOUSEHOLDS:
      table = geo_import_household_attrs (n_attrs);
      break;
    case GEO_IMPORT_KIND_RESOURCES:
      table = geo_import_resource_attrs (n_attrs);
      break;
    case GEO_IMPORT_KIND_AREAS:
    default:
      *n_attrs = G_N_ELEMENTS (area_attr_names);
      attrs = g_new0 (GeoImportAttr, *n_attrs);
      for (guint a = 0; a < *n_attrs; a++)
        {
          char *syn = g_strjoinv ("|", (char **) geo_import_area_candidates (area_attr_names[a]));

          g_ptr_array_add (keep, syn);
          attrs[a].name = area_attr_names[a];
          attrs[a].synonyms = syn;
        }
      return attrs;
    }
  return g_memdup2 (table, sizeof (GeoImportAttr) * *n_attrs);
}

/**
 * geo_import_preview:
 * @kind: which import the file is for
 * @overrides: (nullable): "COLUMN=attribute" strings, as GeoImportOptions.fields (for areas:
 *   "COLUMN=code" and "COLUMN=name" stand for the code and name fields)
 * @max_rows: how many data rows to read
 *
 * Reads the header and the first @max_rows rows of @path through the same reader and the same
 * header matching as the import (the first layer of a multi-layer source).
 *
 * Returns: (transfer full): the preview, or NULL with @error set (unreadable file, bad override).
 */
GeoImportPreview *
geo_import_preview (const char        *path,
                    GeoImportKind      kind,
                    const char *const *overrides,
                    guint              max_rows,
                    GError           **error)
{
  return geo_import_preview_layer (path, NULL, kind, overrides, max_rows, error);
}

/**
 * geo_import_preview_layer:
 * @layer: (nullable): a layer of a multi-layer source (geo_import_list_layers()); NULL: the first
 *
 * geo_import_preview() of one layer.
 */
GeoImportPreview *
geo_import_preview_layer (const char        *path,
                          const char        *layer,
                          GeoImportKind      kind,
                          const char *const *overrides,
                          guint              max_rows,
                          GError           **error)
{
  g_autoptr(GeoRowSource) src = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autofree GeoImportAttr *attrs = NULL;
  g_autofree int           *map = NULL;
  g_autoptr(GeoImportPreview) preview = NULL;
  guint n_attrs = 0;
  int   rc = 0;

  g_return_val_if_fail (path != NULL, NULL);

  src = geo_row_source_open (path, layer, FALSE, error);
  if (src == NULL)
    return NULL;
  attrs = kind_attrs (kind, &n_attrs, keep);
  map = geo_import_map_columns (src, attrs, n_attrs, overrides, error);
  if (map == NULL)
    return NULL;

  preview = g_new0 (GeoImportPreview, 1);
  preview->n_columns = geo_row_source_n_fields (src);
  preview->columns = g_new0 (char *, preview->n_columns + 1);
  preview->mapping = g_new0 (char *, preview->n_columns + 1);
  preview->attributes = g_new0 (char *, n_attrs + 1);
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < preview->n_columns; i++)
    preview->columns[i] = g_strdup (geo_row_source_field_name (src, i));
  for (guint a = 0; a < n_attrs; a++)
    {
      preview->attributes[a] = g_strdup (attrs[a].name);
      if (map[a] >= 0)
        preview->mapping[map[a]] = g_strdup (attrs[a].name);
    }

  preview->has_geometry = geo_row_source_srs (src) != NULL;
  while (preview->rows->len < max_rows && (rc = geo_row_source_next (src, error)) > 0)
    {
      char **values = g_new0 (char *, preview->n_columns + 1);
      double x, y;

      for (guint i = 0; i < preview->n_columns; i++)
        values[i] = g_strdup (geo_row_source_value (src, i) ? geo_row_source_value (src, i) : "");
      g_ptr_array_add (preview->rows, values);
      if (geo_row_source_point (src, &x, &y))
        preview->has_geometry = TRUE;
    }
  if (preview->rows->len < max_rows && rc < 0)
    return NULL;
  return g_steal_pointer (&preview);
}

void
geo_import_preview_free (GeoImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_strfreev (preview->columns);
  for (guint i = 0; i < preview->n_columns; i++)
    g_free (preview->mapping[i]);
  g_free (preview->mapping);
  g_strfreev (preview->attributes);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview);
}

/* The column read as @attribute, -1 when none. */
int
geo_import_preview_find_column (const GeoImportPreview *preview, const char *attribute)
{
  g_return_val_if_fail (preview != NULL, -1);

  for (guint i = 0; i < preview->n_columns; i++)
    if (g_strcmp0 (preview->mapping[i], attribute) == 0)
      return i;
  return -1;
}

/**
 * geo_import_reason_field:
 * Returns: the attribute a rejection reason is about ("nik", "no_kk", "lat", ...).
 */
const char *
geo_import_reason_field (GeoImportReason reason)
{
  switch (reason)
    {
    case GEO_IMPORT_NIK_LENGTH:
    case GEO_IMPORT_NIK_DIGITS:
    case GEO_IMPORT_NIK_DATE:
    case GEO_IMPORT_NIK_SERIAL:
    case GEO_IMPORT_NIK_REGION:
    case GEO_IMPORT_NIK_SEX:
    case GEO_IMPORT_NIK_BIRTH_DATE:
    case GEO_IMPORT_DUPLICATE_NIK:
      return "nik";
    case GEO_IMPORT_KK_LENGTH:
    case GEO_IMPORT_KK_DIGITS:
    case GEO_IMPORT_KK_ZEROS:
    case GEO_IMPORT_KK_REGION:
      return "no_kk";
    case GEO_IMPORT_BAD_SEX:
      return "sex";
    case GEO_IMPORT_BAD_BIRTH_DATE:
      return "birth_date";
    case GEO_IMPORT_BAD_CATEGORY:
      return "category";
    case GEO_IMPORT_BAD_COORDINATES:
    case GEO_IMPORT_OUTSIDE_INDONESIA:
    case GEO_IMPORT_SWAPPED_LAT_LON:
      return "lat/lon";
    case GEO_IMPORT_UNKNOWN_DESA:
    case GEO_IMPORT_NO_LOCATION:
      return "kode_desa";
    case GEO_IMPORT_BAD_TYPE:
      return "type";
    case GEO_IMPORT_MISSING_NAME:
      return "name";
    case GEO_IMPORT_BAD_RADIUS:
      return "radius_m";
    case GEO_IMPORT_BAD_CAPACITY:
      return "capacity";
    case GEO_IMPORT_BAD_PRIORITY:
      return "priority";
    case GEO_IMPORT_N_REASONS:
    default:
      break;
    }
  return "";
}

gboolean
geo_import_reason_from_string (const char *key, GeoImportReason *reason)
{
  for (int r = 0; r < GEO_IMPORT_N_REASONS; r++)
    if (g_strcmp0 (key, geo_import_reason_to_string (r)) == 0)
      {
        *reason = r;
        return TRUE;
      }
  return FALSE;
}

static void
reject_clear (gpointer data)
{
  g_free (((GeoImportReject *) data)->detail);
}

/**
 * geo_import_read_rejects:
 * @path: a rejects file written by the households or resources import
 * @max_rows: keep at most this many rows (the file may hold a million)
 * @n_total: (out) (optional): the number of rows in the file
 *
 * Returns: (transfer full) (element-type GeoImportReject): the first @max_rows rejects, or
 *   NULL with @error set (unreadable file, not a rejects file, unknown reason).
 */
GArray *
geo_import_read_rejects (const char *path, guint max_rows, guint64 *n_total, GError **error)
{
  g_autoptr(GeoRowSource) src = NULL;
  g_autoptr(GArray) rejects = g_array_new (FALSE, TRUE, sizeof (GeoImportReject));
  guint   n;
  guint64 total = 0;
  int     rc;

  g_array_set_clear_func (rejects, reject_clear);
  src = geo_row_source_open (path, NULL, FALSE, error);
  if (src == NULL)
    return NULL;
  n = geo_row_source_n_fields (src);
  if (n < 3 || !g_str_equal (geo_row_source_field_name (src, 0), "row") ||
      !g_str_equal (geo_row_source_field_name (src, n - 2), "reason") ||
      !g_str_equal (geo_row_source_field_name (src, n - 1), "detail"))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s: not a rejects file (expected the columns row, …, reason, detail)",
                   path);
      return NULL;
    }
  while ((rc = geo_row_source_next (src, error)) > 0)
    {
      GeoImportReject rej = { 0 };
      const char     *key = geo_row_source_value (src, n - 2);

      total++;
      if (rejects->len >= max_rows)
        continue;
      if (!geo_import_reason_from_string (key, &rej.reason))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "%s row %" G_GUINT64_FORMAT ": unknown reason “%s”",
                       path,
                       total,
                       key ? key : "");
          return NULL;
        }
      rej.row = g_ascii_strtoull (geo_row_source_value (src, 0), NULL, 10);
      rej.field = geo_import_reason_field (rej.reason);
      rej.detail = g_strdup (geo_row_source_value (src, n - 1));
      g_array_append_val (rejects, rej);
    }
  if (rc < 0)
    return NULL;
  if (n_total != NULL)
    *n_total = total;
  return g_steal_pointer (&rejects);
}

/**
 * geo_import_list_layers:
 *
 * The layer names of a vector source (the sheets of a spreadsheet, the tables of a GeoPackage);
 * one empty name for a CSV file, which the import reads itself.
 *
 * Returns: (transfer full): a NULL-terminated array, or NULL with @error set (unreadable file)
 */
char **
geo_import_list_layers (const char *path, GError **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GDALDatasetH ds;

  g_return_val_if_fail (path != NULL, NULL);

  if (geo_import_is_csv_path (path))
    {
      g_strv_builder_add (names, "");
      return g_strv_builder_end (names);
    }
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "%s: not a vector source GDAL can read", path);
      return NULL;
    }
  for (int i = 0; i < GDALDatasetGetLayerCount (ds); i++)
    g_strv_builder_add (names, OGR_L_GetName (GDALDatasetGetLayer (ds, i)));
  GDALClose (ds);
  return g_strv_builder_end (names);
}
