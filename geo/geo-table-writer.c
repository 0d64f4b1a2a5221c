#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-table-writer.h"

typedef struct
{
  gboolean set;
  gint64   i;
  double   d;
  char    *s;
} Value;

struct _GeoTableWriter
{
  char        *path;
  GeoField    *fields;
  guint        n_fields;
  GeoTableGeom geom;
  Value       *values;
  double       lon, lat;
  gboolean     has_point;
  GByteArray  *wkb;

  /* CSV */
  FILE *csv;
  /* OGR */
  GDALDatasetH ds;
  OGRLayerH    layer;
  gboolean     in_transaction;
};

static void
clear_values (GeoTableWriter *self)
{
  for (guint i = 0; i < self->n_fields; i++)
    {
      g_clear_pointer (&self->values[i].s, g_free);
      self->values[i].set = FALSE;
    }
  self->has_point = FALSE;
  g_byte_array_set_size (self->wkb, 0);
}

static gboolean
set_gdal_error (GError **error, const char *what)
{
  g_set_error (error, GEO_ERROR, GEO_ERROR_GDAL, "%s: %s", what, CPLGetLastErrorMsg ());
  return FALSE;
}

static void
csv_put (FILE *f, const char *s)
{
  if (strpbrk (s, ",\"\n\r") == NULL)
    {
      fputs (s, f);
      return;
    }
  fputc ('"', f);
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"')
        fputc ('"', f);
      fputc (*p, f);
    }
  fputc ('"', f);
}

/**
 * geo_table_writer_new:
 * @layer: the layer name (GeoPackage) or collection name (GeoJSON)
 *
 * Creates (or replaces) @path.
 */
GeoTableWriter *
geo_table_writer_new (const char     *path,
                      const char     *layer,
                      const GeoField *fields,
                      guint           n_fields,
                      GeoTableGeom    geom,
                      GError        **error)
{
  g_autoptr(GeoTableWriter) self = g_new0 (GeoTableWriter, 1);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  const char      *driver = NULL;

  self->path = g_strdup (path);
  self->fields = g_memdup2 (fields, sizeof (GeoField) * n_fields);
  self->n_fields = n_fields;
  self->geom = geom;
  self->values = g_new0 (Value, MAX (n_fields, 1));
  self->wkb = g_byte_array_new ();

  if (g_str_has_suffix (lower, ".csv"))
    {
      self->csv = fopen (path, "w");
      if (self->csv == NULL)
        {
          int err = errno;

          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_IO,
                       "Cannot write %s: %s",
                       path,
                       g_strerror (err));
          return NULL;
        }
      for (guint i = 0; i < n_fields; i++)
        {
          if (i > 0)
            fputc (',', self->csv);
          csv_put (self->csv, fields[i].name);
        }
      fputc ('\n', self->csv);
      return g_steal_pointer (&self);
    }
  if (g_str_has_suffix (lower, ".gpkg"))
    driver = "GPKG";
  else if (g_str_has_suffix (lower, ".geojson") || g_str_has_suffix (lower, ".json"))
    driver = "GeoJSON";
  else if (g_str_has_suffix (lower, ".xlsx") && geom == GEO_TABLE_GEOM_NONE)
    driver = "XLSX";
  else
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Cannot tell the format of %s: use .csv, .geojson or .gpkg (.xlsx: tables without geometry)",
                   path);
      return NULL;
    }

  {
    GDALDriverH drv = GDALGetDriverByName (driver);
    g_auto(GeoOgrSrs) srs = OSRNewSpatialReference (NULL);
    OGRwkbGeometryType type = geom == GEO_TABLE_GEOM_POINT          ? wkbPoint
                              : geom == GEO_TABLE_GEOM_MULTIPOLYGON ? wkbMultiPolygon
                                                                    : wkbNone;

    if (drv == NULL)
      {
        g_set_error (error, GEO_ERROR, GEO_ERROR_GDAL, "GDAL has no %s driver", driver);
        return NULL;
      }
    if (g_file_test (path, G_FILE_TEST_EXISTS) && g_unlink (path) != 0)
      {
        int err = errno;

        g_set_error (error,
                     GEO_ERROR,
                     GEO_ERROR_IO,
                     "Cannot replace %s: %s",
                     path,
                     g_strerror (err));
        return NULL;
      }
    CPLErrorReset ();
    self->ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (self->ds == NULL)
      {
        set_gdal_error (error, path);
        return NULL;
      }
    OSRImportFromEPSG (srs, 4326);
    OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
    self->layer =
        GDALDatasetCreateLayer (self->ds, layer, type == wkbNone ? NULL : srs, type, NULL);
    if (self->layer == NULL)
      {
        set_gdal_error (error, path);
        return NULL;
      }
    for (guint i = 0; i < n_fields; i++)
      {
        OGRFieldDefnH fd = OGR_Fld_Create (fields[i].name,
                                           fields[i].type == GEO_FIELD_INT    ? OFTInteger64
                                           : fields[i].type == GEO_FIELD_REAL ? OFTReal
                                                                              : OFTString);
        OGRErr        err = OGR_L_CreateField (self->layer, fd, TRUE);

        OGR_Fld_Destroy (fd);
        if (err != OGRERR_NONE)
          {
            set_gdal_error (error, path);
            return NULL;
          }
      }
    if (GDALDatasetStartTransaction (self->ds, FALSE) == OGRERR_NONE)
      self->in_transaction = TRUE;
  }
  return g_steal_pointer (&self);
}

gboolean
geo_table_writer_is_csv (GeoTableWriter *self)
{
  return self->csv != NULL;
}

void
geo_table_writer_set_int (GeoTableWriter *self, guint col, gint64 value)
{
  g_return_if_fail (col < self->n_fields);
  self->values[col].set = TRUE;
  self->values[col].i = value;
}

void
geo_table_writer_set_real (GeoTableWriter *self, guint col, double value)
{
  g_return_if_fail (col < self->n_fields);
  self->values[col].set = !isnan (value);
  self->values[col].d = value;
}

void
geo_table_writer_set_string (GeoTableWriter *self, guint col, const char *value)
{
  g_return_if_fail (col < self->n_fields);
  g_free (self->values[col].s);
  self->values[col].s = g_strdup (value);
  self->values[col].set = value != NULL;
}

void
geo_table_writer_set_point (GeoTableWriter *self, double lon, double lat)
{
  self->lon = lon;
  self->lat = lat;
  self->has_point = TRUE;
}

/* A (multi)polygon as WKB, EPSG:4326. */
void
geo_table_writer_set_wkb (GeoTableWriter *self, const guint8 *wkb, gsize len)
{
  g_byte_array_set_size (self->wkb, 0);
  if (wkb != NULL)
    g_byte_array_append (self->wkb, wkb, len);
}

gboolean
geo_table_writer_write_row (GeoTableWriter *self, GError **error)
{
  if (self->csv != NULL)
    {
      for (guint i = 0; i < self->n_fields; i++)
        {
          const Value *v = &self->values[i];

          if (i > 0)
            fputc (',', self->csv);
          if (!v->set)
            continue;
          switch (self->fields[i].type)
            {
            case GEO_FIELD_INT:
              fprintf (self->csv, "%" G_GINT64_FORMAT, v->i);
              break;
            case GEO_FIELD_REAL:
              fprintf (self->csv, "%.10g", v->d);
              break;
            case GEO_FIELD_STRING:
              csv_put (self->csv, v->s);
              break;
            default:
              g_assert_not_reached ();
            }
        }
      fputc ('\n', self->csv);
      clear_values (self);
      if (ferror (self->csv))
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "Writing %s failed", self->path);
          return FALSE;
        }
      return TRUE;
    }

  {
    g_auto(GeoOgrFeature) feat = OGR_F_Create (OGR_L_GetLayerDefn (self->layer));

    for (guint i = 0; i < self->n_fields; i++)
      {
        const Value *v = &self->values[i];

        if (!v->set)
          {
            OGR_F_SetFieldNull (feat, i);
            continue;
          }
        switch (self->fields[i].type)
          {
          case GEO_FIELD_INT:
            OGR_F_SetFieldInteger64 (feat, i, v->i);
            break;
          case GEO_FIELD_REAL:
            OGR_F_SetFieldDouble (feat, i, v->d);
            break;
          case GEO_FIELD_STRING:
            OGR_F_SetFieldString (feat, i, v->s);
            break;
          default:
            g_assert_not_reached ();
          }
      }
    if (self->geom == GEO_TABLE_GEOM_POINT && self->has_point)
      {
        OGRGeometryH pt = OGR_G_CreateGeometry (wkbPoint);

        OGR_G_SetPoint_2D (pt, 0, self->lon, self->lat);
        OGR_F_SetGeometryDirectly (feat, pt);
      }
    else if (self->geom == GEO_TABLE_GEOM_MULTIPOLYGON && self->wkb->len > 0)
      {
        OGRGeometryH g = NULL;

        if (OGR_G_CreateFromWkb (self->wkb->data, NULL, &g, self->wkb->len) == OGRERR_NONE)
          {
            if (wkbFlatten (OGR_G_GetGeometryType (g)) == wkbPolygon)
              g = OGR_G_ForceToMultiPolygon (g);
            OGR_F_SetGeometryDirectly (feat, g);
          }
      }
    clear_values (self);
    CPLErrorReset ();
    if (OGR_L_CreateFeature (self->layer, feat) != OGRERR_NONE)
      return set_gdal_error (error, self->path);
  }
  return TRUE;
}

/* Finishes the file; the writer must still be freed. */
gboolean
geo_table_writer_close (GeoTableWriter *self, GError **error)
{
  if (self->csv != NULL)
    {
      int rc = fclose (self->csv);

      self->csv = NULL;
      if (rc != 0)
        {
          g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "Writing %s failed", self->path);
          return FALSE;
        }
      return TRUE;
    }
  if (self->ds != NULL)
    {
      CPLErrorReset ();
      if (self->in_transaction && GDALDatasetCommitTransaction (self->ds) != OGRERR_NONE)
        {
          set_gdal_error (error, self->path);
          GDALClose (self->ds);
          self->ds = NULL;
          return FALSE;
        }
      self->in_transaction = FALSE;
      GDALClose (self->ds);
      self->ds = NULL;
      if (CPLGetLastErrorType () >= CE_Failure)
        return set_gdal_error (error, self->path);
    }
  return TRUE;
}

void
geo_table_writer_free (GeoTableWriter *self)
{
  if (self == NULL)
    return;
  if (self->csv != NULL)
    fclose (self->csv);
  if (self->ds != NULL)
    GDALClose (self->ds);
  clear_values (self);
  g_free (self->values);
  g_free (self->fields);
  g_byte_array_unref (self->wkb);
  g_free (self->path);
  g_free (self);
}
