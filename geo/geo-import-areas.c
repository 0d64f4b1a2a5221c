#include "config.h"

#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-import-areas.h"
#include "geo-import-private.h"
#include "geo-store-private.h"

void
geo_import_areas_report_clear (GeoImportAreasReport *report)
{
  g_clear_pointer (&report->rejects, g_ptr_array_unref);
  g_clear_pointer (&report->levels, g_hash_table_unref);
  memset (report, 0, sizeof *report);
}

/**
 * geo_area_code_normalize:
 * @code: a Kemendagri code with or without dots ("34.02.01.2001", "3402012001", "34.2")
 *
 * Returns: (nullable): the dotted form PP[.KK[.CC[.DDDD]]], or NULL when @code is not one.
 */
char *
geo_area_code_normalize (const char *code)
{
  static const int seg_len[] = { 2, 2, 2, 4 };
  g_autoptr(GString) digits = g_string_new (NULL);
  GString *out;
  guint pos = 0;

  if (code == NULL)
    return NULL;
  for (const char *s = code; *s; s++)
    {
      if (g_ascii_isdigit (*s))
        g_string_append_c (digits, *s);
      else if (*s != '.' && !g_ascii_isspace (*s))
        return NULL;
    }
  if (strchr (code, '.') != NULL)
    {
      /* Dotted: each segment must have its exact width. */
      g_autofree char *copy = g_strstrip (g_strdup (code));
      g_auto(GStrv) parts = g_strsplit (copy, ".", -1);
      guint n = g_strv_length (parts);

      if (n < 1 || n > 4)
        return NULL;
      for (guint i = 0; i < n; i++)
        if ((int) strlen (parts[i]) != seg_len[i])
          return NULL;
    }
  if (digits->len != 2 && digits->len != 4 && digits->len != 6 && digits->len != 10)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < 4 && pos < digits->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '.');
      g_string_append_len (out, digits->str + pos, seg_len[i]);
      pos += seg_len[i];
    }
  return g_string_free (out, FALSE);
}

static GeoAreaLevel
level_from_code (const char *dotted)
{
  guint dots = 0;

  for (const char *s = dotted; *s; s++)
    dots += *s == '.';
  return (GeoAreaLevel) MIN (dots, 3);
}

static char *
parent_of (const char *dotted)
{
  const char *last = strrchr (dotted, '.');

  return last ? g_strndup (dotted, last - dotted) : NULL;
}

static char *
field_key (const char *name)
{
  GString *s = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    if (*p != ' ' && *p != '_' && *p != '.' && *p != '-')
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

/* The index of the first field whose name matches one of @candidates (ignoring case, spaces,
 * dots and underscores), or of @explicit when given; -1 when none, -2 when @explicit is missing. */
static int
find_field (OGRFeatureDefnH defn, const char *explicit_name, const char *const *candidates)
{
  int n = OGR_FD_GetFieldCount (defn);

  if (explicit_name != NULL)
    {
      int i = OGR_FD_GetFieldIndex (defn, explicit_name);
      return i >= 0 ? i : -2;
    }
  for (guint c = 0; candidates[c] != NULL; c++)
    for (int i = 0; i < n; i++)
      {
        g_autofree char *key = field_key (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));

        if (strcmp (key, candidates[c]) == 0)
          return i;
      }
  return -1;
}

static const char *const code_candidates[] = { "kode", "kodewilayah", "kdwilayah", "code",
                                                "kodedesa", "kodekel", "kodekec", "kodekab",
                                                "kodeprov", "kdepum", "areacode", NULL };
static const char *const name_candidates[] = { "nama", "name", "namawilayah", "namadesa",
                                               "namakel", "namakec", "namakab", "namaprov",
                                               "namobj", "wadmkd", "wadmkc", NULL };
static const char *const level_candidates[] = { "level", "tingkat", NULL };
static const char *const population_candidates[] = { "penduduk", "jumlahpenduduk", "population",
                                                     "pop", NULL };

static void
reject (GeoImportAreasReport *report, const char *layer, gint64 fid, const char *fmt, ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, fmt);
  why = g_strdup_vprintf (fmt, args);
  va_end (args);
  report->rejected++;
  g_ptr_array_add (report->rejects, g_strdup_printf ("%s feature %" G_GINT64_FORMAT ": %s", layer, fid, why));
}

static gboolean
import_layer (GeoStore                    *store,
              OGRLayerH                    layer,
              const GeoImportAreasOptions *opts,
              GeoImportAreasReport        *report,
              GHashTable                  *seen,
              GCancellable                *cancellable,
              GError                     **error)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  const char *lname = OGR_L_GetName (layer);
  OGRSpatialReferenceH src = OGR_L_GetSpatialRef (layer);
  g_auto(GeoOgrSrs) wgs84 = OSRNewSpatialReference (NULL);
  g_auto(GeoOgrTransform) ct = NULL;
  g_autoptr(sqlite3_stmt) exists = NULL;
  int code_i, name_i, level_i, pop_i;
  OGRFeatureH feat;

  code_i = find_field (defn, opts->code_field, code_candidates);
  name_i = find_field (defn, opts->name_field, name_candidates);
  level_i = find_field (defn, NULL, level_candidates);
  pop_i = find_field (defn, NULL, population_candidates);
  if (code_i < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "layer %s: %s",
                   lname,
                   code_i == -2 ? "the code field given does not exist"
                                : "no area code field found (kode, kode_wilayah, code...); name "
                                  "it with --code-field");
      return FALSE;
    }
  if (name_i < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "layer %s: %s",
                   lname,
                   name_i == -2 ? "the name field given does not exist"
                                : "no area name field found (nama, name...); name it with "
                                  "--name-field");
      return FALSE;
    }

  OSRImportFromEPSG (wgs84, 4326);
  OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  if (src != NULL && !OSRIsSame (src, wgs84))
    {
      g_auto(GeoOgrSrs) src_copy = OSRClone (src);

      OSRSetAxisMappingStrategy (src_copy, OAMS_TRADITIONAL_GIS_ORDER);
      CPLErrorReset ();
      ct = OCTNewCoordinateTransformation (src_copy, wgs84);
      if (ct == NULL)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_PROJ,
                       "layer %s: cannot transform its CRS to EPSG:4326: %s",
                       lname,
                       CPLGetLastErrorMsg ());
          return FALSE;
        }
    }

  exists = geo_store_prepare (store, "SELECT 1 FROM area WHERE code = ?", error);
  if (exists == NULL)
    return FALSE;

  OGR_L_ResetReading (layer);
  while ((feat = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_auto(GeoOgrFeature) f = feat;
      g_auto(GeoOgrGeometry) geom = NULL;
      g_autofree char *code = NULL;
      g_autofree char *parent = NULL;
      g_autofree guint8 *wkb = NULL;
      GeoAreaRecord rec = { 0 };
      OGRGeometryH g;
      gint64 fid = OGR_F_GetFID (f);
      const char *name;
      gsize wkb_len;

      report->read++;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      code = geo_area_code_normalize (OGR_F_GetFieldAsString (f, code_i));
      if (!OGR_F_IsFieldSetAndNotNull (f, code_i) || code == NULL)
        {
          reject (report,
                  lname,
                  fid,
                  "field %s: “%s” is not a Kemendagri area code",
                  OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, code_i)),
                  OGR_F_GetFieldAsString (f, code_i));
          continue;
        }
      name = OGR_F_GetFieldAsString (f, name_i);
      if (name == NULL || *name == '\0')
        {
          reject (report, lname, fid, "area %s has no name", code);
          continue;
        }
      if (g_hash_table_contains (seen, code))
        {
          reject (report, lname, fid, "area %s appears twice in the file", code);
          continue;
        }

      if (opts->level_given)
        rec.level = opts->level;
      else if (level_i < 0 ||
               !geo_area_level_from_string (OGR_F_GetFieldAsString (f, level_i), &rec.level))
        rec.level = level_from_code (code);
      if (rec.level != level_from_code (code))
        {
          reject (report,
                  lname,
                  fid,
                  "area %s: a code of this length is not a %s code",
                  code,
                  geo_area_level_to_string (rec.level));
          continue;
        }

      g = OGR_F_GetGeometryRef (f);
      if (g == NULL || OGR_G_IsEmpty (g))
        {
          reject (report, lname, fid, "area %s has no geometry", code);
          continue;
        }
      if (wkbFlatten (OGR_G_GetGeometryType (g)) != wkbPolygon &&
          wkbFlatten (OGR_G_GetGeometryType (g)) != wkbMultiPolygon)
        {
          reject (report,
                  lname,
                  fid,
                  "area %s: geometry is a %s, not a polygon",
                  code,
                  OGR_G_GetGeometryName (g));
          continue;
        }
      geom = OGR_G_ForceToMultiPolygon (OGR_G_Clone (g));
      OGR_G_FlattenTo2D (geom);
      if (ct != NULL && OGR_G_Transform (geom, ct) != OGRERR_NONE)
        {
          reject (report, lname, fid, "area %s: cannot transform to EPSG:4326", code);
          continue;
        }
      {
        OGREnvelope env;

        OGR_G_GetEnvelope (geom, &env);
        if (!geo_point_in_indonesia (env.MinX, env.MinY) ||
            !geo_point_in_indonesia (env.MaxX, env.MaxY))
          {
            reject (report,
                    lname,
                    fid,
                    "area %s lies outside Indonesia (%.4f,%.4f - %.4f,%.4f)",
                    code,
                    env.MinX,
                    env.MinY,
                    env.MaxX,
                    env.MaxY);
            continue;
          }
      }

      wkb_len = OGR_G_WkbSize (geom);
      wkb = g_malloc (wkb_len);
      OGR_G_ExportToWkb (geom, wkbNDR, wkb);
      parent = parent_of (code);
      rec.code = code;
      rec.name = name;
      rec.parent_code = parent;
      rec.population = -1;
      if (pop_i >= 0 && OGR_F_IsFieldSetAndNotNull (f, pop_i))
        rec.population = OGR_F_GetFieldAsInteger64 (f, pop_i);
      rec.wkb = wkb;
      rec.wkb_len = wkb_len;

      sqlite3_reset (exists);
      sqlite3_bind_text (exists, 1, code, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (exists) == SQLITE_ROW)
        {
          g_autoptr(sqlite3_stmt) del = geo_store_prepare (store, "DELETE FROM area WHERE code = ?", error);

          if (del == NULL)
            return FALSE;
          sqlite3_bind_text (del, 1, code, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (del) != SQLITE_DONE)
            return geo_store_set_error (store, error, "Replacing an area");
          report->replaced++;
        }
      if (geo_store_insert_area (store, &rec, error) < 0)
        return FALSE;
      g_hash_table_add (seen, g_steal_pointer (&code));
      report->imported++;
      {
        const char *lv = geo_area_level_to_string (rec.level);
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (report->levels, lv));
        g_hash_table_insert (report->levels, (gpointer) lv, GUINT_TO_POINTER (n + 1));
      }
    }
  return TRUE;
}

/**
 * geo_import_areas:
 * @path: any polygon source GDAL reads (GeoJSON, GeoPackage, Shapefile, ...)
 *
 * Imports administrative areas in one transaction: either every accepted feature is in,
 * or nothing changed. Codes are stored dotted; an area already in the project is replaced.
 * Rejected features (bad code, no name, not a polygon, outside Indonesia, duplicated) are
 * listed in @report. Geometries are reprojected to EPSG:4326.
 */
gboolean
geo_import_areas (GeoStore                    *store,
                  const char                  *path,
                  const GeoImportAreasOptions *opts,
                  GeoImportAreasReport        *report,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  static const GeoImportAreasOptions defaults = { 0 };
  g_auto(GeoGdalDataset) ds = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int n_layers;
  guint used = 0;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  if (opts == NULL)
    opts = &defaults;
  memset (report, 0, sizeof *report);
  report->rejects = g_ptr_array_new_with_free_func (g_free);
  report->levels = g_hash_table_new (g_str_hash, g_str_equal);

  CPLErrorReset ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "%s: cannot open as a vector data source: %s",
                   path,
                   *CPLGetLastErrorMsg () ? CPLGetLastErrorMsg () : "unknown format");
      return FALSE;
    }

  if (!geo_store_begin (store, error))
    return FALSE;
  n_layers = GDALDatasetGetLayerCount (ds);
  for (int i = 0; i < n_layers; i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (ds, i);
      OGRwkbGeometryType gt = wkbFlatten (OGR_L_GetGeomType (layer));

      if (opts->layer != NULL && strcmp (OGR_L_GetName (layer), opts->layer) != 0)
        continue;
      if (opts->layer == NULL && gt != wkbPolygon && gt != wkbMultiPolygon && gt != wkbUnknown)
        continue;
      used++;
      if (!import_layer (store, layer, opts, report, seen, cancellable, error))
        {
          g_prefix_error (error, "%s: ", path);
          geo_store_rollback (store);
          return FALSE;
        }
    }
  if (used == 0)
    {
      geo_store_rollback (store);
      if (opts->layer != NULL)
        g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "%s: no layer named “%s”", path, opts->layer);
      else
        g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "%s: no polygon layer", path);
      return FALSE;
    }
  if (report->imported == 0)
    {
      geo_store_rollback (store);
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s: none of the %u features could be imported (first: %s)",
                   path,
                   report->read,
                   report->rejects->len ? (char *) report->rejects->pdata[0] : "no features");
      return FALSE;
    }
  if (!geo_store_commit (store, error))
    {
      geo_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* The field names geo_import_areas() looks for (normalized, in order of preference), for
 * geo_import_preview(): @attr is "code", "name", "level" or "population". */
const char *const *
geo_import_area_candidates (const char *attr)
{
  if (g_strcmp0 (attr, "code") == 0)
    return code_candidates;
  if (g_strcmp0 (attr, "name") == 0)
    return name_candidates;
  if (g_strcmp0 (attr, "level") == 0)
    return level_candidates;
  if (g_strcmp0 (attr, "population") == 0)
    return population_candidates;
  return NULL;
}
