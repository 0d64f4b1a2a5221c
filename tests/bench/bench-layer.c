/* Frame build time of the family layer with many synthetic families.
 *
 * bench-layer [N_FAMILIES] [REPEATS]
 *
 * Families are spread over Kab. Bantul's extent in 400 gaussian settlements (like the
 * demo data, but denser). For a 1920x1080 view centred on the densest settlement and on
 * the kabupaten, at each zoom level, it times map_family_layer_build_frame () (what the
 * snapshot vfunc runs: the GtkSnapshot/cairo recording) and, separately, rasterizing the
 * resulting render node with cairo (what GSK's cairo renderer then does). Needs a display
 * (run under xvfb-run, see run-layer.sh). */
#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>

#include "map-family-layer.h"
#include "map-mbtiles-source.h"

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
measure (MapFamilyLayer *layer, ShumateViewport *viewport, double lat, double lon, double zoom,
         guint repeats, const char *where)
{
  g_autofree double *build = g_new (double, repeats);
  g_autofree double *raster = g_new (double, repeats);
  MapFrameStats      stats = { 0 };
  cairo_surface_t   *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);

  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  shumate_viewport_set_zoom_level (viewport, zoom);
  for (guint r = 0; r < repeats; r++)
    {
      GtkSnapshot   *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;
      gint64         t0, t1, t2;
      cairo_t       *cr;

      t0 = g_get_monotonic_time ();
      map_family_layer_build_frame (layer, snapshot, 1920, 1080, &stats);
      node = gtk_snapshot_free_to_node (snapshot);
      t1 = g_get_monotonic_time ();
      cr = cairo_create (surface);
      if (node != NULL)
        gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      t2 = g_get_monotonic_time ();
      build[r] = (t1 - t0) / 1000.0;
      raster[r] = (t2 - t1) / 1000.0;
      g_clear_pointer (&node, gsk_render_node_unref);
    }
  qsort (build, repeats, sizeof (double), compare_double);
  qsort (raster, repeats, sizeof (double), compare_double);
  g_print ("%-10s zoom %4.1f  mode %-16s symbols %6u scanned %8u  build median %7.2f ms max %7.2f ms"
           "  raster median %7.2f ms\n",
           where, zoom,
           stats.mode == MAP_FRAME_FAMILIES        ? "families"
           : stats.mode == MAP_FRAME_CLUSTERS_INDEX ? "clusters-index"
           : stats.mode == MAP_FRAME_CLUSTERS_SCREEN ? "clusters-screen"
                                                    : "empty",
           stats.n_symbols, stats.n_scanned, build[repeats / 2], build[repeats - 1],
           raster[repeats / 2]);
  cairo_surface_destroy (surface);
}

int
main (int argc, char *argv[])
{
  guint            n = argc > 1 ? (guint) atoi (argv[1]) : 1000000;
  guint            repeats = argc > 2 ? (guint) atoi (argv[2]) : 15;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree MapFamilyPoint *points = g_new (MapFamilyPoint, n);
  double           centres[400][2];
  guint            counts[400] = { 0 };
  guint            densest = 0;
  ShumateViewport *viewport;
  g_autoptr(MapMbtilesSource) blank = NULL;
  g_autoptr(ShumateMapSource) source = NULL;
  MapFamilyLayer  *layer;
  MapPointIndex   *index;
  gint64           t0;
  static const double zooms[] = { 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 };

  gtk_init ();
  for (guint s = 0; s < 400; s++)
    {
      centres[s][0] = g_rand_double_range (rand, 110.15, 110.55);
      centres[s][1] = g_rand_double_range (rand, -8.05, -7.75);
    }
  for (guint i = 0; i < n; i++)
    {
      /* Settlement sizes follow a skewed law: a few towns, many hamlets. */
      guint  s = (guint) (400 * pow (g_rand_double (rand), 2.0));
      double r = 0.004 * sqrt (-2 * log (g_rand_double_range (rand, 1e-12, 1)));
      double a = 2 * G_PI * g_rand_double (rand);
      double u = g_rand_double (rand);

      counts[s]++;
      points[i].id = i + 1;
      points[i].lon = centres[s][0] + r * cos (a);
      points[i].lat = centres[s][1] + r * sin (a);
      points[i].categories = u < 0.7 ? (1u << 23) : u < 0.85 ? (1u << 23) | (1u << 7)
                                                             : (1u << g_rand_int_range (rand, 0, 26));
      points[i].n_persons = 1 + g_rand_int_range (rand, 0, 4);
    }
  for (guint s = 1; s < 400; s++)
    if (counts[s] > counts[densest])
      densest = s;

  blank = map_mbtiles_source_new_blank ();
  source = map_mbtiles_source_create_renderer (blank);
  viewport = shumate_viewport_new ();
  shumate_viewport_set_max_zoom_level (viewport, 20);
  shumate_viewport_set_reference_map_source (viewport, source);
  layer = g_object_ref_sink (map_family_layer_new (viewport));

  t0 = g_get_monotonic_time ();
  index = map_point_index_new (points, n);
  g_print ("%u families: index built in %.0f ms (project, Morton sort, cluster pyramid)\n", n,
           (g_get_monotonic_time () - t0) / 1000.0);
  map_family_layer_set_index (layer, index);
  t0 = g_get_monotonic_time ();
  map_family_layer_set_visible_categories (layer, ~(1u << 23));
  g_print ("hiding one category (pyramid rebuild): %.0f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  map_family_layer_set_visible_categories (layer, G_MAXUINT32);
  {
    /* A family saved in the editor: moved in the index (and the pyramid rebuilt), then a new one.
     */
    MapFamilyPoint moved = points[n / 2];
    MapFamilyPoint added = { n + 1, 110.40, -7.90, 1u << 23, 2 };

    moved.lon += 0.01;
    t0 = g_get_monotonic_time ();
    map_family_layer_update_family (layer, &moved, FALSE);
    g_print ("one family moved after a save (index update, pyramid rebuild): %.0f ms\n",
             (g_get_monotonic_time () - t0) / 1000.0);
    t0 = g_get_monotonic_time ();
    map_family_layer_update_family (layer, &added, FALSE);
    g_print ("one family added after a save: %.0f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  }
  g_print ("view 1920x1080, %u repeats per line\n", repeats);

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    measure (layer, viewport, -7.90, 110.35, zooms[z], repeats, "kabupaten");
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    measure (layer, viewport, centres[densest][1], centres[densest][0], zooms[z], repeats,
             "densest");

  g_object_unref (layer);
  g_object_unref (viewport);
  return 0;
}
