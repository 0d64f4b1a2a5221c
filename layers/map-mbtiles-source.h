#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define MAP_TYPE_MBTILES_SOURCE (map_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (MapMbtilesSource, map_mbtiles_source, MAP, MBTILES_SOURCE, ShumateDataSource)

MapMbtilesSource *map_mbtiles_source_new (const char *path, GError **error);
MapMbtilesSource *map_mbtiles_source_new_blank (void);
const char       *map_mbtiles_source_get_name (MapMbtilesSource *self);
const char       *map_mbtiles_source_get_attribution (MapMbtilesSource *self);
guint             map_mbtiles_source_get_min_zoom (MapMbtilesSource *self);
guint             map_mbtiles_source_get_max_zoom (MapMbtilesSource *self);
GBytes           *map_mbtiles_source_read_tile (MapMbtilesSource *self,
                                                int               x,
                                                int               y,
                                                int               zoom,
                                                GError          **error);

ShumateMapSource *map_mbtiles_source_create_renderer (MapMbtilesSource *self);

G_END_DECLS
