#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "geo-error.h"
#include "map-mbtiles-source.h"

/* Raster tiles from an MBTiles file (SQLite; rows in TMS order, y up). Tiles deeper than
 * the file's max zoom are cut out of the deepest ancestor and scaled up, so the map stays
 * usable at street zoom with a world basemap and no network. */

#define OVERZOOM_MAX_ZOOM 19

struct _MapMbtilesSource
{
  ShumateDataSource parent_instance;

  /* owned */
  sqlite3 *db; /* read-only, serialized: read from the GTask threads under @lock */
  GMutex   lock;
  char    *path;
  char    *name;
  char    *attribution;
  guint    min_zoom;
  guint    max_zoom;
};

G_DEFINE_FINAL_TYPE (MapMbtilesSource, map_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

typedef struct
{
  int x, y, zoom;
} TileRequest;

static GBytes *
read_raw (MapMbtilesSource *self, int x, int y, int zoom)
{
  sqlite3_stmt *stmt = NULL;
  GBytes       *bytes = NULL;
  int           row = (1 << zoom) - 1 - y; /* TMS */

  if (self->db == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                          "AND tile_row = ?",
                          -1,
                          &stmt,
                          NULL) == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, zoom);
      sqlite3_bind_int (stmt, 2, x);
      sqlite3_bind_int (stmt, 3, row);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);
  return bytes;
}

static GBytes *
overzoom (MapMbtilesSource *self, int x, int y, int zoom, GError **error)
{
  int                 dz = zoom - (int) self->max_zoom;
  int                 ax = x >> dz, ay = y >> dz;
  g_autoptr(GBytes)   parent = read_raw (self, ax, ay, self->max_zoom);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) src = NULL;
  g_autoptr(GdkPixbuf) dst = NULL;
  double scale = (double) (1 << dz);
  int    size;
  gchar *buf = NULL;
  gsize  len = 0;

  if (parent == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "No tile %d/%d/%d", zoom, x, y);
      return NULL;
    }
  stream = g_memory_input_stream_new_from_bytes (parent);
  src = gdk_pixbuf_new_from_stream (stream, NULL, error);
  if (src == NULL)
    return NULL;
  size = gdk_pixbuf_get_width (src);
  dst = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (src), 8, size, size);
  /* Source pixel (u, v) of the ancestor maps to (u * scale - offset) in the child. */
  gdk_pixbuf_scale (src,
                    dst,
                    0,
                    0,
                    size,
                    size,
                    -(double) (x - (ax << dz)) * size,
                    -(double) (y - (ay << dz)) * size,
                    scale,
                    scale,
                    GDK_INTERP_BILINEAR);
  if (!gdk_pixbuf_save_to_buffer (dst, &buf, &len, "png", error, "compression", "1", NULL))
    return NULL;
  return g_bytes_new_take (buf, len);
}

/**
 * map_mbtiles_source_read_tile:
 * @x: column, XYZ scheme (y down) as libshumate asks
 *
 * The tile's encoded image, from the file or overzoomed from an ancestor.
 */
GBytes *
map_mbtiles_source_read_tile (MapMbtilesSource *self, int x, int y, int zoom, GError **error)
{
  GBytes *bytes;

  g_return_val_if_fail (MAP_IS_MBTILES_SOURCE (self), NULL);
  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "Tile %d/%d/%d out of range", zoom, x, y);
      return NULL;
    }
  if (self->db == NULL)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "No basemap");
      return NULL;
    }
  if ((guint) zoom > self->max_zoom)
    return overzoom (self, x, y, zoom, error);
  bytes = read_raw (self, x, y, zoom);
  if (bytes == NULL)
    g_set_error (error, GEO_ERROR, GEO_ERROR_NOT_FOUND, "No tile %d/%d/%d", zoom, x, y);
  return bytes;
}

static void
tile_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MapMbtilesSource *self = source;
  TileRequest      *req = task_data;
  GError           *error = NULL;
  GBytes           *bytes;

  if (g_task_return_error_if_cancelled (task))
    return;
  bytes = map_mbtiles_source_read_tile (self, req->x, req->y, req->zoom, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
map_mbtiles_source_get_tile_data_async (ShumateDataSource  *source,
                                        int                 x,
                                        int                 y,
                                        int                 zoom,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  TileRequest *req = g_new (TileRequest, 1);

  req->x = x;
  req->y = y;
  req->zoom = zoom;
  g_task_set_source_tag (task, map_mbtiles_source_get_tile_data_async);
  g_task_set_task_data (task, req, g_free);
  /* The source outlives its requests (the renderer holds it), and the worker only
   * reads the file under the lock. */
  g_task_run_in_thread (task, tile_worker);
}

static GBytes *
map_mbtiles_source_get_tile_data_finish (ShumateDataSource *source,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
map_mbtiles_source_finalize (GObject *object)
{
  MapMbtilesSource *self = MAP_MBTILES_SOURCE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->name);
  g_free (self->attribution);
  G_OBJECT_CLASS (map_mbtiles_source_parent_class)->finalize (object);
}

static void
map_mbtiles_source_class_init (MapMbtilesSourceClass *klass)
{
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = map_mbtiles_source_finalize;
  source_class->get_tile_data_async = map_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = map_mbtiles_source_get_tile_data_finish;
}

static void
map_mbtiles_source_init (MapMbtilesSource *self)
{
  g_mutex_init (&self->lock);
}

static char *
read_metadata (sqlite3 *db, const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM metadata WHERE name = ?", -1, &stmt, NULL) ==
      SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  return value;
}

/**
 * map_mbtiles_source_new:
 * @path: an MBTiles file with raster (PNG or JPEG) tiles
 *
 * Opens the file read-only and reads its metadata (name, attribution, zoom range;
 * the zoom range from the tiles table when the metadata lacks it).
 */
MapMbtilesSource *
map_mbtiles_source_new (const char *path, GError **error)
{
  g_autoptr(MapMbtilesSource) self = NULL;
  g_autofree char *format = NULL;
  g_autofree char *minz = NULL;
  g_autofree char *maxz = NULL;
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  self = g_object_new (MAP_TYPE_MBTILES_SOURCE, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "SELECT min (zoom_level), max (zoom_level) FROM tiles", -1,
                          &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "%s: not an MBTiles file: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      sqlite3_finalize (stmt);
      return NULL;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, GEO_ERROR, GEO_ERROR_IO, "%s: the MBTiles file has no tiles", path);
      return NULL;
    }
  self->min_zoom = sqlite3_column_int (stmt, 0);
  self->max_zoom = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);

  format = read_metadata (self->db, "format");
  if (format != NULL && g_strcmp0 (format, "png") != 0 && g_strcmp0 (format, "jpg") != 0 &&
      g_strcmp0 (format, "jpeg") != 0 && g_strcmp0 (format, "webp") != 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID,
                   "%s: tiles in format “%s”; only raster tiles (png, jpg) are supported", path,
                   format);
      return NULL;
    }
  self->name = read_metadata (self->db, "name");
  if (self->name == NULL)
    self->name = g_path_get_basename (path);
  self->attribution = read_metadata (self->db, "attribution");
  return g_steal_pointer (&self);
}

/**
 * map_mbtiles_source_new_blank:
 *
 * A source without tiles (every request fails with %GEO_ERROR_NOT_FOUND): the map
 * still has a projection and zoom range when no basemap file is available.
 */
MapMbtilesSource *
map_mbtiles_source_new_blank (void)
{
  MapMbtilesSource *self = g_object_new (MAP_TYPE_MBTILES_SOURCE, NULL);

  self->path = g_strdup ("blank");
  self->name = g_strdup (_("No basemap"));
  self->min_zoom = 0;
  self->max_zoom = 0;
  return self;
}

const char *
map_mbtiles_source_get_name (MapMbtilesSource *self)
{
  return self->name;
}

const char *
map_mbtiles_source_get_attribution (MapMbtilesSource *self)
{
  return self->attribution;
}

guint
map_mbtiles_source_get_min_zoom (MapMbtilesSource *self)
{
  return self->min_zoom;
}

guint
map_mbtiles_source_get_max_zoom (MapMbtilesSource *self)
{
  return self->max_zoom;
}

/**
 * map_mbtiles_source_create_renderer:
 *
 * A raster map source for a #ShumateMap drawing this file's tiles, zoomable to
 * street level (overzoomed past the file's max zoom).
 */
ShumateMapSource *
map_mbtiles_source_create_renderer (MapMbtilesSource *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (MAP_IS_MBTILES_SOURCE (self), NULL);
  id = g_strdup_printf ("mbtiles:%s", self->path);
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id,
                                                               self->name,
                                                               self->attribution,
                                                               NULL,
                                                               self->min_zoom,
                                                               OVERZOOM_MAX_ZOOM,
                                                               256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
