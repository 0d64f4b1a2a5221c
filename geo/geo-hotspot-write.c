#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-grid.h"
#include "geo-hotspot-private.h"

gboolean
geo_output_format_for_path (const char *path, GeoOutputFormat *format, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".csv"))
    *format = GEO_OUTPUT_CSV;
  else if (g_str_has_suffix (lower, ".gpkg"))
    *format = GEO_OUTPUT_GPKG;
  else if (g_str_has_suffix (lower, ".geojson") || g_str_has_suffix (lower, ".json"))
    *format = GEO_OUTPUT_GEOJSON;
  else
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "cannot tell the output format of “%s”: name it .gpkg, .geojson or .csv",
                   path);
      return FALSE;
    }
  return TRUE;
}

GDALDatasetH
geo_output_create_polygon_layer (const char        *path,
                                 GeoOutputFormat    format,
                                 const char        *layer_name,
                                 OGRwkbGeometryType gtype,
                                 OGRLayerH         *layer,
                                 GError           **error)
{
  const char *driver_name = format == GEO_OUTPUT_GPKG ? "GPKG" : "GeoJSON";
  GDALDriverH driver = GDALGetDriverByName (driver_name);
  g_auto(GeoOgrSrs) srs = OSRNewSpatialReference (NULL);
  g_auto(GeoGdalDataset) ds = NULL;

  g_assert (format != GEO_OUTPUT_CSV);
  if (driver == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_GDAL, "GDAL has no %s driver", driver_name);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS) && g_unlink (path) != 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_IO,
                   "cannot replace %s: %s",
                   path,
                   g_strerror (errno));
      return NULL;
    }
  OSRImportFromEPSG (srs, 4326);
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  CPLErrorReset ();
  ds = GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL);
  if (ds == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot create %s: %s",
                   path,
                   CPLGetLastErrorMsg ());
      return NULL;
    }
  *layer = GDALDatasetCreateLayer (ds, layer_name, srs, gtype, NULL);
  if (*layer == NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot create layer %s in %s: %s",
                   layer_name,
                   path,
                   CPLGetLastErrorMsg ());
      return NULL;
    }
  return g_steal_pointer (&ds);
}

static gboolean
add_field (OGRLayerH layer, const char *name, OGRFieldType type, GError **error)
{
  OGRFieldDefnH def = OGR_Fld_Create (name, type);
  OGRErr        err = OGR_L_CreateField (layer, def, TRUE);

  OGR_Fld_Destroy (def);
  if (err != OGRERR_NONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot create field %s: %s",
                   name,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  return TRUE;
}

static void
set_double_or_null (OGRFeatureH f, int field, double v)
{
  if (isfinite (v))
    OGR_F_SetFieldDouble (f, field, v);
  else
    OGR_F_SetFieldNull (f, field);
}

static gboolean
write_feature (OGRLayerH layer, OGRFeatureH f, GError **error)
{
  if (OGR_L_CreateFeature (layer, f) != OGRERR_NONE)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot write a feature: %s",
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  return TRUE;
}

static gboolean
close_dataset (GDALDatasetH ds, const char *path, GError **error)
{
  CPLErrorReset ();
  GDALClose (ds); /* void before GDAL 3.8: check the error state */
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_GDAL,
                   "cannot finish %s: %s",
                   path,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  return TRUE;
}

static FILE *
csv_open (const char *path, GError **error)
{
  FILE *out = fopen (path, "w");

  if (out == NULL)
    g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "cannot write %s: %s", path, g_strerror (errno));
  return out;
}

static gboolean
csv_close (FILE *out, const char *path, GError **error)
{
  gboolean failed = ferror (out) != 0;

  if (fclose (out) != 0 || failed)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "cannot write %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* NaN as an empty CSV cell. */
static void
csv_num (FILE *out, const char *fmt, double v)
{
  fputc (',', out);
  if (isfinite (v))
    fprintf (out, fmt, v);
}

/**
 * geo_hotspot_grid_write:
 *
 * By extension: .csv with cell_x, cell_y (cell centre in the grid's UTM CRS, metres), count, z,
 * p, [p_fdr,] class; .gpkg or .geojson with each cell as an EPSG:4326 polygon (its four corners
 * transformed) and the same fields.
 */
gboolean
geo_hotspot_grid_write (const GeoHotspotGrid *grid, const char *path, GError **error)
{
  GeoOutputFormat format;

  if (!geo_output_format_for_path (path, &format, error))
    return FALSE;

  if (format == GEO_OUTPUT_CSV)
    {
      FILE *out = csv_open (path, error);

      if (out == NULL)
        return FALSE;
      fprintf (out, "cell_x,cell_y,count,z,p,%sclass\n", grid->p_fdr != NULL ? "p_fdr," : "");
      for (guint iy = 0; iy < grid->ny; iy++)
        for (guint ix = 0; ix < grid->nx; ix++)
          {
            gsize i = (gsize) iy * grid->nx + ix;

            fprintf (out,
                     "%.3f,%.3f",
                     grid->x0 + (ix + 0.5) * grid->cell_m,
                     grid->y0 + (iy + 0.5) * grid->cell_m);
            csv_num (out, "%.10g", grid->count[i]);
            csv_num (out, "%.10g", grid->z[i]);
            csv_num (out, "%.6g", grid->p[i]);
            if (grid->p_fdr != NULL)
              csv_num (out, "%.6g", grid->p_fdr[i]);
            fprintf (out, ",%s\n", geo_hotspot_class_to_string (grid->klass[i]));
          }
      return csv_close (out, path, error);
    }

  {
    gsize              vx = (gsize) grid->nx + 1, vy = (gsize) grid->ny + 1;
    g_autofree double *lon = g_new (double, vx *vy);
    g_autofree double *lat = g_new (double, vx *vy);
    GDALDatasetH       ds;
    OGRLayerH          layer = NULL;
    gboolean           ok = TRUE;

    /* Every grid vertex once, in one batch. */
    for (gsize j = 0; j < vy; j++)
      for (gsize i = 0; i < vx; i++)
        {
          lon[j * vx + i] = grid->x0 + (double) i * grid->cell_m;
          lat[j * vx + i] = grid->y0 + (double) j * grid->cell_m;
        }
    if (!geo_grid_transform (grid->epsg, 4326, lon, lat, vx * vy, error))
      return FALSE;

    ds = geo_output_create_polygon_layer (path, format, "hotspots", wkbPolygon, &layer, error);
    if (ds == NULL)
      return FALSE;
    ok = add_field (layer, "cell_x", OFTReal, error) &&
         add_field (layer, "cell_y", OFTReal, error) &&
         add_field (layer, "count", OFTReal, error) && add_field (layer, "z", OFTReal, error) &&
         add_field (layer, "p", OFTReal, error) &&
         (grid->p_fdr == NULL || add_field (layer, "p_fdr", OFTReal, error)) &&
         add_field (layer, "class", OFTString, error);
    if (ok)
      GDALDatasetStartTransaction (ds, FALSE);
    for (guint iy = 0; ok && iy < grid->ny; iy++)
      for (guint ix = 0; ok && ix < grid->nx; ix++)
        {
          gsize i = (gsize) iy * grid->nx + ix;
          g_auto(GeoOgrFeature) f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
          OGRGeometryH poly = OGR_G_CreateGeometry (wkbPolygon);
          OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
          const gsize  corners[5] = {
             iy * vx + ix, iy * vx + ix + 1, (iy + 1) * vx + ix + 1, (iy + 1) * vx + ix, iy * vx + ix
          };
          int k = 0;

          for (guint c = 0; c < 5; c++)
            OGR_G_AddPoint_2D (ring, lon[corners[c]], lat[corners[c]]);
          OGR_G_AddGeometryDirectly (poly, ring);
          OGR_F_SetGeometryDirectly (f, poly);
          OGR_F_SetFieldDouble (f, k++, grid->x0 + (ix + 0.5) * grid->cell_m);
          OGR_F_SetFieldDouble (f, k++, grid->y0 + (iy + 0.5) * grid->cell_m);
          OGR_F_SetFieldDouble (f, k++, grid->count[i]);
          set_double_or_null (f, k++, grid->z[i]);
          set_double_or_null (f, k++, grid->p[i]);
          if (grid->p_fdr != NULL)
            set_double_or_null (f, k++, grid->p_fdr[i]);
          OGR_F_SetFieldString (f, k++, geo_hotspot_class_to_string (grid->klass[i]));
          ok = write_feature (layer, f, error);
        }
    if (ok)
      GDALDatasetCommitTransaction (ds);
    if (!ok)
      {
        GDALClose (ds);
        return FALSE;
      }
    return close_dataset (ds, path, error);
  }
}

/**
 * geo_hotspot_areas_write:
 *
 * By extension: .csv with kode_desa, nama, count, base, value, z, p, [p_fdr,] class, neighbours;
 * .gpkg or .geojson with the desa polygons (EPSG:4326) and the same fields.
 */
gboolean
geo_hotspot_areas_write (const GeoHotspotAreas *areas, const char *path, GError **error)
{
  GeoOutputFormat format;
  GDALDatasetH    ds;
  OGRLayerH       layer = NULL;
  gboolean        ok;

  if (!geo_output_format_for_path (path, &format, error))
    return FALSE;

  if (format == GEO_OUTPUT_CSV)
    {
      FILE *out = csv_open (path, error);

      if (out == NULL)
        return FALSE;
      fprintf (out,
               "kode_desa,nama,count,base,value,z,p,%sclass,neighbours\n",
               areas->p_fdr != NULL ? "p_fdr," : "");
      for (guint i = 0; i < areas->n; i++)
        {
          g_autofree char *name = g_strdup (areas->name[i] != NULL ? areas->name[i] : "");

          /* Names are plain words; keep the CSV simple and unquoted. */
          g_strdelimit (name, ",\"\n\r", ' ');
          fprintf (out, "%s,%s", areas->code[i], name);
          csv_num (out, "%.10g", areas->count[i]);
          csv_num (out, "%.10g", areas->base[i]);
          csv_num (out, "%.10g", areas->value[i]);
          csv_num (out, "%.10g", areas->z[i]);
          csv_num (out, "%.6g", areas->p[i]);
          if (areas->p_fdr != NULL)
            csv_num (out, "%.6g", areas->p_fdr[i]);
          fprintf (out,
                   ",%s,%u\n",
                   geo_hotspot_class_to_string (areas->klass[i]),
                   areas->n_neighbours[i]);
        }
      return csv_close (out, path, error);
    }

  ds = geo_output_create_polygon_layer (path,
                                        format,
                                        "hotspots_desa",
                                        wkbMultiPolygon,
                                        &layer,
                                        error);
  if (ds == NULL)
    return FALSE;
  ok = add_field (layer, "kode_desa", OFTString, error) &&
       add_field (layer, "nama", OFTString, error) && add_field (layer, "count", OFTReal, error) &&
       add_field (layer, "base", OFTReal, error) && add_field (layer, "value", OFTReal, error) &&
       add_field (layer, "z", OFTReal, error) && add_field (layer, "p", OFTReal, error) &&
       (areas->p_fdr == NULL || add_field (layer, "p_fdr", OFTReal, error)) &&
       add_field (layer, "class", OFTString, error) &&
       add_field (layer, "neighbours", OFTInteger, error);
  if (ok)
    GDALDatasetStartTransaction (ds, FALSE);
  for (guint i = 0; ok && i < areas->n; i++)
    {
      g_auto(GeoOgrFeature) f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGRGeometryH  geom = NULL;
      gsize         len = 0;
      const guint8 *wkb = areas->wkb[i] != NULL ? g_bytes_get_data (areas->wkb[i], &len) : NULL;
      int           k = 0;

      if (wkb != NULL && OGR_G_CreateFromWkb (wkb, NULL, &geom, (int) len) == OGRERR_NONE)
        OGR_F_SetGeometryDirectly (f, geom);
      OGR_F_SetFieldString (f, k++, areas->code[i]);
      OGR_F_SetFieldString (f, k++, areas->name[i] != NULL ? areas->name[i] : "");
      OGR_F_SetFieldDouble (f, k++, areas->count[i]);
      set_double_or_null (f, k++, areas->base[i]);
      set_double_or_null (f, k++, areas->value[i]);
      set_double_or_null (f, k++, areas->z[i]);
      set_double_or_null (f, k++, areas->p[i]);
      if (areas->p_fdr != NULL)
        set_double_or_null (f, k++, areas->p_fdr[i]);
      OGR_F_SetFieldString (f, k++, geo_hotspot_class_to_string (areas->klass[i]));
      OGR_F_SetFieldInteger (f, k++, (int) areas->n_neighbours[i]);
      ok = write_feature (layer, f, error);
    }
  if (ok)
    GDALDatasetCommitTransaction (ds);
  if (!ok)
    {
      GDALClose (ds);
      return FALSE;
    }
  return close_dataset (ds, path, error);
}
