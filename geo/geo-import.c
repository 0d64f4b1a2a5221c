#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <glib/gstdio.h>

#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-import-private.h"
#include "geo-nik.h"
#include "geo-store-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Reasons                                                                                    */

static const char *const reason_keys[GEO_IMPORT_N_REASONS] = {
  [GEO_IMPORT_NIK_LENGTH] = "nik_length",
  [GEO_IMPORT_NIK_DIGITS] = "nik_digits",
  [GEO_IMPORT_NIK_DATE] = "nik_date",
  [GEO_IMPORT_NIK_SERIAL] = "nik_serial",
  [GEO_IMPORT_NIK_REGION] = "nik_region",
  [GEO_IMPORT_NIK_SEX] = "nik_sex",
  [GEO_IMPORT_NIK_BIRTH_DATE] = "nik_birth_date",
  [GEO_IMPORT_KK_LENGTH] = "kk_length",
  [GEO_IMPORT_KK_DIGITS] = "kk_digits",
  [GEO_IMPORT_KK_ZEROS] = "kk_zeros",
  [GEO_IMPORT_KK_REGION] = "kk_region",
  [GEO_IMPORT_DUPLICATE_NIK] = "duplicate_nik",
  [GEO_IMPORT_BAD_SEX] = "bad_sex",
  [GEO_IMPORT_BAD_BIRTH_DATE] = "bad_birth_date",
  [GEO_IMPORT_BAD_CATEGORY] = "bad_category",
  [GEO_IMPORT_BAD_COORDINATES] = "bad_coordinates",
  [GEO_IMPORT_OUTSIDE_INDONESIA] = "outside_indonesia",
  [GEO_IMPORT_SWAPPED_LAT_LON] = "swapped_lat_lon",
  [GEO_IMPORT_UNKNOWN_DESA] = "unknown_desa",
  [GEO_IMPORT_NO_LOCATION] = "no_location",
  [GEO_IMPORT_BAD_TYPE] = "bad_type",
  [GEO_IMPORT_MISSING_NAME] = "missing_name",
  [GEO_IMPORT_BAD_RADIUS] = "bad_radius",
  [GEO_IMPORT_BAD_CAPACITY] = "bad_capacity",
  [GEO_IMPORT_BAD_PRIORITY] = "bad_priority",
};

const char *
geo_import_reason_to_string (GeoImportReason reason)
{
  g_return_val_if_fail (reason < GEO_IMPORT_N_REASONS, NULL);
  return reason_keys[reason];
}

gboolean
geo_import_duplicate_from_string (const char *str, GeoImportDuplicate *mode)
{
  static const char *const names[] = { "reject", "skip", "update" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (str, names[i]) == 0)
      {
        *mode = (GeoImportDuplicate) i;
        return TRUE;
      }
  return FALSE;
}

void
geo_import_report_clear (GeoImportReport *report)
{
  g_clear_pointer (&report->rejects_path, g_free);
  memset (report, 0, sizeof *report);
}

/* ------------------------------------------------------------------------------------------ */
/* Row sources                                                                                */

struct _GeoRowSource
{
  /* built-in CSV reader */
  FILE      *file;
  char       sep;
  gint64     size;
  GString   *buf;
  GArray    *offsets; /* guint: start of each field in buf */
  /* OGR */
  GDALDatasetH         ds;
  OGRLayerH            layer;
  OGRFeatureH          feature;
  gint64               n_features;
  OGRSpatialReferenceH srs;
  gboolean             spreadsheet;
  GPtrArray           *ogr_values;
  /* both */
  GPtrArray *names;
  guint64    rows;
};

gboolean
geo_import_is_csv_path (const char *path)
{
  return g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV") ||
         g_str_has_suffix (path, ".txt") || g_str_has_suffix (path, ".TXT");
}

/* Reads one CSV record (RFC 4180 quoting, LF or CRLF) into src->buf as NUL-separated fields.
 * Returns FALSE at the end of the file. */
static gboolean
csv_read_record (GeoRowSource *src)
{
  FILE *f = src->file;
  gboolean quoted = FALSE;
  guint start = 0;
  int c;

  g_string_truncate (src->buf, 0);
  g_array_set_size (src->offsets, 0);
  c = getc_unlocked (f);
  if (c == EOF)
    return FALSE;
  g_array_append_val (src->offsets, start);
  while (c != EOF)
    {
      if (quoted)
        {
          if (c == '"')
            {
              c = getc_unlocked (f);
              if (c != '"')
                {
                  quoted = FALSE;
                  continue;
                }
            }
          g_string_append_c (src->buf, c);
        }
      else if (c == '"' && src->buf->len == start)
        quoted = TRUE;
      else if (c == src->sep)
        {
          g_string_append_c (src->buf, '\0');
          start = src->buf->len;
          g_array_append_val (src->offsets, start);
        }
      else if (c == '\n')
        break;
      else if (c == '\r')
        {
          c = getc_unlocked (f);
          if (c != '\n' && c != EOF)
            ungetc (c, f);
          break;
        }
      else
        g_string_append_c (src->buf, c);
      c = getc_unlocked (f);
    }
  g_string_append_c (src->buf, '\0');
  return TRUE;
}

/* The separator of a CSV: the most frequent of , ; TAB | in the header line, outside quotes. */
static char
csv_detect_separator (FILE *f)
{
  static const char seps[] = { ',', ';', '\t', '|' };
  guint counts[G_N_ELEMENTS (seps)] = { 0 };
  gboolean quoted = FALSE;
  long pos = ftell (f);
  char best = ',';
  guint best_n = 0;
  int c;

  while ((c = getc_unlocked (f)) != EOF && (quoted || (c != '\n' && c != '\r')))
    {
      if (c == '"')
        quoted = !quoted;
      else if (!quoted)
        for (guint i = 0; i < G_N_ELEMENTS (seps); i++)
          counts[i] += c == seps[i];
    }
  for (guint i = 0; i < G_N_ELEMENTS (seps); i++)
    if (counts[i] > best_n)
      {
        best = seps[i];
        best_n = counts[i];
      }
  fseek (f, pos, SEEK_SET);
  return best;
}

static gboolean
csv_open (GeoRowSource *src, const char *path, GError **error)
{
  unsigned char bom[3];
  size_t n;

  src->file = g_fopen (path, "rb");
  if (src->file == NULL)
    {
      int saved = errno;

      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_IO,
                   "%s: cannot open: %s",
                   path,
                   g_strerror (saved));
      return FALSE;
    }
  /* A large buffer: the reader is byte by byte on top of it. */
  setvbuf (src->file, NULL, _IOFBF, 1 << 20);
  fseek (src->file, 0, SEEK_END);
  src->size = ftell (src->file);
  fseek (src->file, 0, SEEK_SET);
  n = fread (bom, 1, 3, src->file);
  if (!(n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF))
    fseek (src->file, 0, SEEK_SET);
  src->sep = csv_detect_separator (src->file);
  src->buf = g_string_sized_new (1024);
  src->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!csv_read_record (src))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "%s: empty file (no header row)", path);
      return FALSE;
    }
  for (guint i = 0; i < src->offsets->len; i++)
    g_ptr_array_add (src->names,
                     g_strstrip (g_strdup (src->buf->str + g_array_index (src->offsets, guint, i))));
  return TRUE;
}

static gboolean
ogr_open (GeoRowSource *src, const char *path, const char *layer, GError **error)
{
  const char *const csv_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO", NULL };
  OGRFeatureDefnH defn;
  GDALDriverH driver;
  const char *driver_name;

  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  src->ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, csv_options, NULL);
  CPLPopErrorHandler ();
  if (src->ds == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "%s: cannot open as a vector data source%s%s",
                   path,
                   *CPLGetLastErrorMsg () ? ": " : "",
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  if (layer != NULL)
    src->layer = GDALDatasetGetLayerByName (src->ds, layer);
  else if (GDALDatasetGetLayerCount (src->ds) > 0)
    src->layer = GDALDatasetGetLayer (src->ds, 0);
  if (src->layer == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "%s: no layer%s%s",
                   path,
                   layer ? " named " : "",
                   layer ? layer : "");
      return FALSE;
    }
  driver = GDALGetDatasetDriver (src->ds);
  driver_name = driver ? GDALGetDriverShortName (driver) : "";
  src->spreadsheet = g_str_equal (driver_name, "XLSX") || g_str_equal (driver_name, "ODS") ||
                     g_str_equal (driver_name, "XLS");
  src->n_features = OGR_L_GetFeatureCount (src->layer, FALSE);
  if (OGR_L_GetSpatialRef (src->layer) != NULL)
    {
      src->srs = OSRClone (OGR_L_GetSpatialRef (src->layer));
      OSRSetAxisMappingStrategy (src->srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
  defn = OGR_L_GetLayerDefn (src->layer);
  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    g_ptr_array_add (src->names, g_strdup (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i))));
  src->ogr_values = g_ptr_array_new_with_free_func (g_free);
  OGR_L_ResetReading (src->layer);
  return TRUE;
}

/**
 * geo_row_source_open:
 * Opens the first (or the named) layer of any vector source GDAL reads. CSV files are read by
 * a built-in reader (separator , ; TAB or | detected from the header, UTF-8 BOM skipped, LF or
 * CRLF) unless @csv_through_ogr.
 */
GeoRowSource *
geo_row_source_open (const char *path, const char *layer, gboolean csv_through_ogr, GError **error)
{
  g_autoptr(GeoRowSource) src = g_new0 (GeoRowSource, 1);

  src->names = g_ptr_array_new_with_free_func (g_free);
  if (geo_import_is_csv_path (path) && !csv_through_ogr)
    {
      if (!csv_open (src, path, error))
        return NULL;
    }
  else if (!ogr_open (src, path, layer, error))
    return NULL;
  return g_steal_pointer (&src);
}

void
geo_row_source_free (GeoRowSource *src)
{
  if (src->file != NULL)
    fclose (src->file);
  if (src->buf != NULL)
    g_string_free (src->buf, TRUE);
  g_clear_pointer (&src->offsets, g_array_unref);
  g_clear_pointer (&src->feature, OGR_F_Destroy);
  g_clear_pointer (&src->srs, OSRDestroySpatialReference);
  g_clear_pointer (&src->ds, GDALClose);
  g_clear_pointer (&src->ogr_values, g_ptr_array_unref);
  g_clear_pointer (&src->names, g_ptr_array_unref);
  g_free (src);
}

guint
geo_row_source_n_fields (GeoRowSource *src)
{
  return src->names->len;
}

const char *
geo_row_source_field_name (GeoRowSource *src, guint i)
{
  return g_ptr_array_index (src->names, i);
}

gboolean
geo_row_source_is_spreadsheet (GeoRowSource *src)
{
  return src->spreadsheet;
}

OGRSpatialReferenceH
geo_row_source_srs (GeoRowSource *src)
{
  return src->srs;
}

double
geo_row_source_fraction (GeoRowSource *src)
{
  if (src->file != NULL)
    return src->size > 0 ? (double) ftell (src->file) / src->size : -1;
  if (src->n_features > 0)
    return (double) src->rows / src->n_features;
  return -1;
}

/* A rough number of rows, known before reading them: the feature count, or for a CSV its size
 * over 128 bytes a row (the benchmark's rows are 124 bytes; operator sheets are similar). */
gint64
geo_row_source_size_hint (GeoRowSource *src)
{
  if (src->file != NULL)
    return src->size / 128;
  return MAX (src->n_features, 0);
}

static char *
ogr_value (OGRFeatureH feature, OGRFieldDefnH fdefn, int i)
{
  if (!OGR_F_IsFieldSetAndNotNull (feature, i))
    return g_strdup ("");
  switch (OGR_Fld_GetType (fdefn))
    {
    case OFTDate:
    case OFTDateTime:
      {
        int y, m, d, hh, mm, tz;
        float ss;

        OGR_F_GetFieldAsDateTimeEx (feature, i, &y, &m, &d, &hh, &mm, &ss, &tz);
        return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
      }
    case OFTReal:
      {
        double v = OGR_F_GetFieldAsDouble (feature, i);

        /* A 16-digit NIK typed as a number must not come out as 3.40201120190000e+15. */
        if (v == floor (v) && fabs (v) < 1e17)
          return g_strdup_printf ("%.0f", v);
        return g_strdup (OGR_F_GetFieldAsString (feature, i));
      }
    case OFTInteger:
    case OFTInteger64:
    case OFTString:
    case OFTIntegerList:
    case OFTRealList:
    case OFTStringList:
    case OFTWideString:
    case OFTWideStringList:
    case OFTBinary:
    case OFTTime:
    case OFTInteger64List:
    default:
      return g_strdup (OGR_F_GetFieldAsString (feature, i));
    }
}

/* Returns 1 with a row, 0 at the end, -1 with @error. */
int
geo_row_source_next (GeoRowSource *src, GError **error)
{
  if (src->file != NULL)
    {
      do
        {
          if (!csv_read_record (src))
            {
              if (ferror (src->file))
                {
                  g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "Reading the CSV file failed");
                  return -1;
                }
              return 0;
            }
        }
      /* Blank lines are not rows. */
      while (src->offsets->len == 1 && src->buf->len == 1);
      src->rows++;
      return 1;
    }
  else
    {
      OGRFeatureDefnH defn = OGR_L_GetLayerDefn (src->layer);

      g_clear_pointer (&src->feature, OGR_F_Destroy);
      CPLErrorReset ();
      src->feature = OGR_L_GetNextFeature (src->layer);
      if (src->feature == NULL)
        {
          if (CPLGetLastErrorType () >= CE_Failure)
            {
              g_set_error (error,
                           GEO_ERROR,
                           GEO_ERROR_GDAL,
                           "Reading feature %" G_GUINT64_FORMAT ": %s",
                           src->rows + 1,
                           CPLGetLastErrorMsg ());
              return -1;
            }
          return 0;
        }
      g_ptr_array_set_size (src->ogr_values, 0);
      for (guint i = 0; i < src->names->len; i++)
        g_ptr_array_add (src->ogr_values,
                         ogr_value (src->feature, OGR_FD_GetFieldDefn (defn, i), i));
      src->rows++;
      return 1;
    }
}

/* The value of column @i of the current row, "" when missing; never NULL. */
const char *
geo_row_source_value (GeoRowSource *src, int i)
{
  if (i < 0)
    return "";
  if (src->file != NULL)
    {
      if ((guint) i >= src->offsets->len)
        return "";
      return src->buf->str + g_array_index (src->offsets, guint, i);
    }
  if ((guint) i >= src->ogr_values->len)
    return "";
  return g_ptr_array_index (src->ogr_values, i);
}

/* The current row's point geometry in the layer's SRS (the first point of a multipoint). */
gboolean
geo_row_source_point (GeoRowSource *src, double *x, double *y)
{
  OGRGeometryH geom;

  if (src->feature == NULL)
    return FALSE;
  geom = OGR_F_GetGeometryRef (src->feature);
  if (geom == NULL || OGR_G_IsEmpty (geom))
    return FALSE;
  if (wkbFlatten (OGR_G_GetGeometryType (geom)) == wkbMultiPoint &&
      OGR_G_GetGeometryCount (geom) > 0)
    geom = OGR_G_GetGeometryRef (geom, 0);
  if (wkbFlatten (OGR_G_GetGeometryType (geom)) != wkbPoint)
    return FALSE;
  *x = OGR_G_GetX (geom, 0);
  *y = OGR_G_GetY (geom, 0);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Header matching                                                                            */

char *
geo_import_normalize_header (const char *name)
{
  GString *out = g_string_new (NULL);

  if (g_str_has_prefix (name, "\xEF\xBB\xBF"))
    name += 3;
  for (const char *p = name; *p; p++)
    if (!strchr (" ._-\t\r\n", *p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static int
find_attr (const GeoImportAttr *attrs, guint n_attrs, const char *name)
{
  g_autofree char *norm = geo_import_normalize_header (name);

  for (guint a = 0; a < n_attrs; a++)
    {
      g_auto(GStrv) syn = g_strsplit (attrs[a].synonyms, "|", -1);
      g_autofree char *attr_norm = geo_import_normalize_header (attrs[a].name);

      if (g_str_equal (norm, attr_norm) || g_strv_contains ((const char *const *) syn, norm))
        return a;
    }
  return -1;
}

/**
 * geo_import_map_columns:
 * @overrides: (nullable): "COLUMN=attribute" strings; the column is matched by its exact name
 *   first, then ignoring case, spaces, dots and underscores
 *
 * Returns: (transfer full): for each attribute, the column index, -1 when absent.
 */
int *
geo_import_map_columns (GeoRowSource        *src,
                        const GeoImportAttr *attrs,
                        guint                n_attrs,
                        const char *const   *overrides,
                        GError             **error)
{
  guint n = geo_row_source_n_fields (src);
  g_autofree int *map = g_new (int, n_attrs);
  g_autofree gboolean *used = g_new0 (gboolean, n);
  g_autofree gboolean *fixed = g_new0 (gboolean, n_attrs);
  g_autoptr(GPtrArray) norms = g_ptr_array_new_with_free_func (g_free);

  for (guint a = 0; a < n_attrs; a++)
    map[a] = -1;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (norms, geo_import_normalize_header (geo_row_source_field_name (src, i)));

  for (guint k = 0; overrides != NULL && overrides[k] != NULL; k++)
    {
      const char *eq = strrchr (overrides[k], '=');
      g_autofree char *column = NULL;
      g_autofree char *column_norm = NULL;
      int col = -1, a;

      if (eq == NULL || eq == overrides[k])
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "--field “%s”: expected COLUMN=attribute",
                       overrides[k]);
          return NULL;
        }
      column = g_strndup (overrides[k], eq - overrides[k]);
      a = find_attr (attrs, n_attrs, eq + 1);
      if (a < 0)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint j = 0; j < n_attrs; j++)
            g_string_append_printf (known, "%s%s", j ? ", " : "", attrs[j].name);
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "--field %s: unknown attribute “%s” (known: %s)",
                       overrides[k],
                       eq + 1,
                       known->str);
          return NULL;
        }
      for (guint i = 0; i < n && col < 0; i++)
        if (g_str_equal (geo_row_source_field_name (src, i), column))
          col = i;
      column_norm = geo_import_normalize_header (column);
      for (guint i = 0; i < n && col < 0; i++)
        if (g_str_equal (g_ptr_array_index (norms, i), column_norm))
          col = i;
      if (col < 0)
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_NOT_FOUND,
                       "--field %s: the input has no column “%s”",
                       overrides[k],
                       column);
          return NULL;
        }
      map[a] = col;
      fixed[a] = TRUE;
      used[col] = TRUE;
    }

  for (guint a = 0; a < n_attrs; a++)
    {
      g_auto(GStrv) syn = NULL;

      if (fixed[a])
        continue;
      syn = g_strsplit (attrs[a].synonyms, "|", -1);
      for (guint s = 0; syn[s] != NULL && map[a] < 0; s++)
        for (guint i = 0; i < n; i++)
          if (!used[i] && g_str_equal (g_ptr_array_index (norms, i), syn[s]))
            {
              map[a] = i;
              used[i] = TRUE;
              break;
            }
    }
  return g_steal_pointer (&map);
}

/* ------------------------------------------------------------------------------------------ */
/* Values                                                                                     */

/* A number written with a decimal point or, when it has no point, a decimal comma
 * ("-7,8912" from a semicolon-separated spreadsheet). */
gboolean
geo_import_parse_double (const char *text, double *value)
{
  char buf[64];
  char *end;
  gsize len;
  const char *comma;

  while (g_ascii_isspace (*text))
    text++;
  len = strlen (text);
  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  if (len == 0 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, text, len);
  buf[len] = '\0';
  comma = strchr (buf, ',');
  if (comma != NULL)
    {
      if (strchr (buf, '.') != NULL || strchr (comma + 1, ',') != NULL)
        return FALSE;
      buf[comma - buf] = '.';
    }
  *value = g_ascii_strtod (buf, &end);
  return *end == '\0' && isfinite (*value);
}

/* A desa code as dotted Kemendagri code: "34.02.01.2001" or "3402012001" -> "34.02.01.2001". */
char *
geo_import_desa_code (const char *text)
{
  g_autofree char *s = g_strstrip (g_strdup (text ? text : ""));

  if (*s == '\0')
    return NULL;
  if (strlen (s) == 10 && strspn (s, "0123456789") == 10)
    return g_strdup_printf ("%.2s.%.2s.%.2s.%.4s", s, s + 2, s + 4, s + 6);
  return g_steal_pointer (&s);
}

/* ------------------------------------------------------------------------------------------ */
/* Locations                                                                                  */

struct _GeoLocator
{
  GeoStore                    *store; /* borrowed */
  GeoRowSource                *src;   /* borrowed */
  OGRCoordinateTransformationH xy_to_wgs;   /* NULL: x/y columns are already lon/lat */
  OGRCoordinateTransformationH geom_to_wgs; /* NULL: geometries are already lon/lat */
  GHashTable                  *centroids;   /* desa code -> GeoPoint*, or NULL when unknown */
};

static OGRSpatialReferenceH
wgs84 (void)
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);

  OSRImportFromEPSG (srs, 4326);
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

static OGRCoordinateTransformationH
transform_to_wgs (OGRSpatialReferenceH from, GError **error)
{
  g_auto(GeoOgrSrs) to = wgs84 ();
  OGRCoordinateTransformationH ct;

  if (OSRIsSame (from, to))
    return NULL;
  CPLErrorReset ();
  ct = OCTNewCoordinateTransformation (from, to);
  if (ct == NULL)
    g_set_error (error,
                 GEO_ERROR,
                 GEO_ERROR_PROJ,
                 "Cannot transform to EPSG:4326: %s",
                 CPLGetLastErrorMsg ());
  return ct;
}

GeoLocator *
geo_locator_new (GeoStore *store, GeoRowSource *src, const char *crs, GError **error)
{
  g_autoptr(GeoLocator) loc = g_new0 (GeoLocator, 1);
  GError *local = NULL;

  loc->store = store;
  loc->src = src;
  loc->centroids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (crs != NULL)
    {
      g_auto(GeoOgrSrs) srs = OSRNewSpatialReference (NULL);

      OGRErr err;

      CPLErrorReset ();
      CPLPushErrorHandler (CPLQuietErrorHandler);
      err = OSRSetFromUserInput (srs, crs);
      CPLPopErrorHandler ();
      if (err != OGRERR_NONE)
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_PROJ, "Unknown CRS “%s”", crs);
          return NULL;
        }
      OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
      loc->xy_to_wgs = transform_to_wgs (srs, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
    }
  if (geo_row_source_srs (src) != NULL)
    {
      loc->geom_to_wgs = transform_to_wgs (geo_row_source_srs (src), &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
    }
  return g_steal_pointer (&loc);
}

void
geo_locator_free (GeoLocator *loc)
{
  g_clear_pointer (&loc->xy_to_wgs, OCTDestroyCoordinateTransformation);
  g_clear_pointer (&loc->geom_to_wgs, OCTDestroyCoordinateTransformation);
  g_clear_pointer (&loc->centroids, g_hash_table_unref);
  g_free (loc);
}

static gboolean
locator_centroid (GeoLocator *loc, const char *code, double *lon, double *lat)
{
  GeoPoint *p;

  if (!g_hash_table_lookup_extended (loc->centroids, code, NULL, (gpointer *) &p))
    {
      GeoPoint pt;

      p = NULL;
      if (geo_store_area_centroid (loc->store, code, &pt.lon, &pt.lat))
        p = g_memdup2 (&pt, sizeof pt);
      g_hash_table_insert (loc->centroids, g_strdup (code), p);
    }
  if (p == NULL)
    return FALSE;
  *lon = p->lon;
  *lat = p->lat;
  return TRUE;
}

/**
 * geo_locator_locate:
 * @detail: (out): a message for the rejects file when the row is rejected
 *
 * Returns: %GEO_IMPORT_N_REASONS when the row has a location (lon, lat in EPSG:4326), else
 * the reason to reject it.
 */
GeoImportReason
geo_locator_locate (GeoLocator *loc,
                    const char *x_text,
                    const char *y_text,
                    const char *desa,
                    double     *lon,
                    double     *lat,
                    gboolean   *approximate,
                    char      **detail)
{
  gboolean have_x = *x_text != '\0', have_y = *y_text != '\0';
  double x, y;
  OGRCoordinateTransformationH ct = NULL;

  *approximate = FALSE;
  if (geo_row_source_point (loc->src, &x, &y))
    ct = loc->geom_to_wgs;
  else if (have_x || have_y)
    {
      if (!have_x || !have_y)
        {
          *detail = g_strdup ("only one of the two coordinates is given");
          return GEO_IMPORT_BAD_COORDINATES;
        }
      if (!geo_import_parse_double (x_text, &x) || !geo_import_parse_double (y_text, &y))
        {
          *detail = g_strdup_printf ("coordinates “%s”, “%s” are not numbers", x_text, y_text);
          return GEO_IMPORT_BAD_COORDINATES;
        }
      ct = loc->xy_to_wgs;
    }
  else
    {
      g_autofree char *code = geo_import_desa_code (desa);

      if (code == NULL)
        {
          *detail = g_strdup ("neither coordinates nor a desa code");
          return GEO_IMPORT_NO_LOCATION;
        }
      if (!locator_centroid (loc, code, lon, lat))
        {
          *detail = g_strdup_printf ("no coordinates and desa %s is not in the area table", code);
          return GEO_IMPORT_UNKNOWN_DESA;
        }
      *approximate = TRUE;
      return GEO_IMPORT_N_REASONS;
    }

  if (ct != NULL)
    {
      double in_x = x, in_y = y;

      if (!OCTTransform (ct, 1, &x, &y, NULL) || !isfinite (x) || !isfinite (y))
        {
          *detail = g_strdup_printf ("%.10g, %.10g cannot be transformed to EPSG:4326", in_x, in_y);
          return GEO_IMPORT_BAD_COORDINATES;
        }
    }
  if (!geo_point_in_indonesia (x, y))
    {
      /* Only meaningful for lon/lat input: swapped projected coordinates would not fit anyway. */
      if (geo_point_in_indonesia (y, x))
        {
          *detail = g_strdup_printf ("longitude %.6f and latitude %.6f are swapped", x, y);
          return GEO_IMPORT_SWAPPED_LAT_LON;
        }
      *detail = g_strdup_printf ("lon %.6f, lat %.6f is outside Indonesia", x, y);
      return GEO_IMPORT_OUTSIDE_INDONESIA;
    }
  *lon = x;
  *lat = y;
  return GEO_IMPORT_N_REASONS;
}

/* ------------------------------------------------------------------------------------------ */
/* Rejects file                                                                               */

struct _GeoRejects
{
  char         *path;
  char         *tmp_path;
  FILE         *file;
  GeoRowSource *src; /* borrowed */
  guint64       n;
};

static void
csv_put (FILE *f, const char *value)
{
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      fputs (value, f);
      return;
    }
  fputc ('"', f);
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        fputc ('"', f);
      fputc (*p, f);
    }
  fputc ('"', f);
}

static char *
default_rejects_path (const char *input)
{
  g_autofree char *dir = g_path_get_dirname (input);
  g_autofree char *base = g_path_get_basename (input);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, ".rejects.csv", NULL);
  return g_build_filename (dir, name, NULL);
}

/**
 * geo_rejects_new:
 * @path: (nullable): the rejects file; NULL: beside @input
 *
 * The file has the columns row (the 1-based data-row number in the input), every column of
 * the input, reason (a key of geo_import_reason_to_string()) and detail.
 */
GeoRejects *
geo_rejects_new (const char *input, const char *path, GeoRowSource *src, GError **error)
{
  g_autoptr(GeoRejects) rej = g_new0 (GeoRejects, 1);
  int fd;

  rej->path = path ? g_strdup (path) : default_rejects_path (input);
  rej->tmp_path = g_strconcat (rej->path, ".XXXXXX", NULL);
  rej->src = src;
  fd = g_mkstemp (rej->tmp_path);
  if (fd < 0 || (rej->file = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_IO,
                   "Cannot write the rejects file beside %s: %s",
                   rej->path,
                   g_strerror (saved));
      g_clear_pointer (&rej->tmp_path, g_free);
      return NULL;
    }
  fputs ("row", rej->file);
  for (guint i = 0; i < geo_row_source_n_fields (src); i++)
    {
      fputc (',', rej->file);
      csv_put (rej->file, geo_row_source_field_name (src, i));
    }
  fputs (",reason,detail\n", rej->file);
  return g_steal_pointer (&rej);
}

gboolean
geo_rejects_add (GeoRejects     *rej,
                 guint64         row,
                 GeoImportReason reason,
                 const char     *detail,
                 GError        **error)
{
  fprintf (rej->file, "%" G_GUINT64_FORMAT, row);
  for (guint i = 0; i < geo_row_source_n_fields (rej->src); i++)
    {
      fputc (',', rej->file);
      csv_put (rej->file, geo_row_source_value (rej->src, i));
    }
  fputc (',', rej->file);
  csv_put (rej->file, geo_import_reason_to_string (reason));
  fputc (',', rej->file);
  csv_put (rej->file, detail ? detail : "");
  fputc ('\n', rej->file);
  rej->n++;
  if (ferror (rej->file))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "Writing %s failed", rej->tmp_path);
      return FALSE;
    }
  return TRUE;
}

/* Renames the rejects into place when @keep and a row was rejected; removes them otherwise. */
gboolean
geo_rejects_finish (GeoRejects *rej, gboolean keep, char **path, GError **error)
{
  gboolean ok = fclose (rej->file) == 0;

  rej->file = NULL;
  if (!ok)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "Writing %s failed", rej->tmp_path);
      keep = FALSE;
    }
  if (keep && rej->n > 0)
    {
      if (g_rename (rej->tmp_path, rej->path) != 0)
        {
          int saved = errno;

          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_IO,
                       "Cannot write %s: %s",
                       rej->path,
                       g_strerror (saved));
          g_unlink (rej->tmp_path);
          ok = FALSE;
        }
      else if (path != NULL)
        *path = g_strdup (rej->path);
    }
  else
    g_unlink (rej->tmp_path);
  g_clear_pointer (&rej->tmp_path, g_free);
  return ok;
}

void
geo_rejects_free (GeoRejects *rej)
{
  if (rej->file != NULL)
    fclose (rej->file);
  if (rej->tmp_path != NULL)
    g_unlink (rej->tmp_path);
  g_free (rej->tmp_path);
  g_free (rej->path);
  g_free (rej);
}

/* ------------------------------------------------------------------------------------------ */
/* Import batches                                                                             */

gint64
geo_import_begin_batch (GeoStore *store, const char *kind, const char *path, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    geo_store_prepare (store, "INSERT INTO import_batch (kind, source) VALUES (?, ?)", error);
  g_autofree char *base = g_path_get_basename (path);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, base, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Recording the import") ? 0 : -1;
  return sqlite3_last_insert_rowid (geo_store_get_db (store));
}

gboolean
geo_import_end_batch (GeoStore *store, const GeoImportReport *report, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    geo_store_prepare (store,
                       "UPDATE import_batch SET rows_read = ?, imported = ?, rejected = ? "
                       "WHERE id = ?",
                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->read);
  sqlite3_bind_int64 (stmt, 2, report->imported);
  sqlite3_bind_int64 (stmt, 3, report->rejected);
  sqlite3_bind_int64 (stmt, 4, report->batch_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Recording the import");
  return TRUE;
}
