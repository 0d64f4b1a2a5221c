#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GeoTableWriter:
 *
 * Writes the rows of an analysis result to a file whose format follows its extension:
 * `.csv` (UTF-8, comma-separated, header row, no geometry column; written directly),
 * `.geojson`/`.json` (RFC 7946), `.gpkg` (one layer) or `.xlsx` (no geometry) through GDAL/OGR, with EPSG:4326
 * geometries. Empty values (NAN reals, NULL strings) are written as nulls (CSV: empty).
 * Not thread-safe; one writer per thread.
 */
typedef struct _GeoTableWriter GeoTableWriter;

typedef enum
{
  GEO_FIELD_INT,
  GEO_FIELD_REAL,
  GEO_FIELD_STRING,
} GeoFieldType;

typedef struct
{
  const char  *name;
  GeoFieldType type;
} GeoField;

typedef enum
{
  GEO_TABLE_GEOM_NONE,
  GEO_TABLE_GEOM_POINT,
  GEO_TABLE_GEOM_MULTIPOLYGON,
} GeoTableGeom;

GeoTableWriter *geo_table_writer_new (const char     *path,
                                      const char     *layer,
                                      const GeoField *fields,
                                      guint           n_fields,
                                      GeoTableGeom    geom,
                                      GError        **error);
gboolean        geo_table_writer_is_csv (GeoTableWriter *self);
void            geo_table_writer_set_int (GeoTableWriter *self, guint col, gint64 value);
void            geo_table_writer_set_real (GeoTableWriter *self, guint col, double value);
void            geo_table_writer_set_string (GeoTableWriter *self, guint col, const char *value);
void            geo_table_writer_set_point (GeoTableWriter *self, double lon, double lat);
void            geo_table_writer_set_wkb (GeoTableWriter *self, const guint8 *wkb, gsize len);
gboolean        geo_table_writer_write_row (GeoTableWriter *self, GError **error);
gboolean        geo_table_writer_close (GeoTableWriter *self, GError **error);
void            geo_table_writer_free (GeoTableWriter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoTableWriter, geo_table_writer_free)

G_END_DECLS
