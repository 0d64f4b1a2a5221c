#pragma once

#include "app-window.h"
#include "map-road-layer.h"

G_BEGIN_DECLS

void          app_roads_attach (AppWindow *window);
MapRoadLayer *app_roads_get_layer (AppWindow *window);
void          app_roads_import (AppWindow *window, const char *path);

G_END_DECLS
