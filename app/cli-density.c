#include "config.h"

#include <math.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-density.h"
#include "geo-hotspot.h"
#include "geo-store.h"

static void
report_density (double fraction, gpointer data)
{
  cli_progress ("Computing the density", fraction);
}

int
cli_cmd_density (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — quartic kernel density of the selected persons, as a GeoTIFF");
  int           status;
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoDensityRaster) raster = NULL;
  g_autofree double *w = NULL;
  g_autofree char   *out = NULL;
  double             radius = GEO_DENSITY_DEFAULT_RADIUS_M, pixel = GEO_DENSITY_DEFAULT_PIXEL_M;
  gboolean           families = FALSE, json = FALSE;
  GError            *error = NULL;
  GOptionEntry       entries[] = {
          { "radius", 0, 0, G_OPTION_ARG_DOUBLE, &radius, "Kernel radius in metres (default 1000)", "M" },
          { "pixel", 0, 0, G_OPTION_ARG_DOUBLE, &pixel, "Pixel size in metres (default 100)", "M" },
          { "families", 0, 0, G_OPTION_ARG_NONE, &families, "Count families instead of persons", NULL },
          { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output GeoTIFF (.tif)", "FILE" },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
          { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Values are persons (or families) per km²: each point spreads "
                                    "3/(π r²)·(1 − d²/r²)² over the disc of radius r, evaluated at "
                                    "pixel centres, in the UTM zone of the data's centre.");
  if ((status = cli_parse_filtered (context, &argc, &argv, &filter)) != 0)
    return status;
  if (argc != 2)
    return cli_usage_error (context, "density needs exactly one DB argument");
  if (out == NULL)
    return cli_usage_error (context, "density needs --out FILE.tif");
  if (!g_str_has_suffix (out, ".tif") && !g_str_has_suffix (out, ".tiff") &&
      !g_str_has_suffix (out, ".TIF"))
    return cli_usage_error (NULL, "density writes a GeoTIFF: name the output .tif");
  if (!(radius > 0) || !isfinite (radius))
    return cli_usage_error (NULL, "--radius must be a positive number of metres (got %g)", radius);
  if (!(pixel > 0) || !isfinite (pixel))
    return cli_usage_error (NULL, "--pixel must be a positive number of metres (got %g)", pixel);

  store = geo_store_open (argv[1], GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    return cli_fail (error);
  sel = cli_load_selection (store, filter, TRUE, &error);
  if (sel == NULL)
    return cli_fail (error);
  w = geo_selection_family_weights (sel, families);
  cli_progress ("Computing the density", -1);
  raster = geo_density_with_progress (
      sel->lon, sel->lat, w, sel->n_families, radius, pixel, report_density, NULL, NULL, &error);
  if (raster == NULL)
    return cli_fail (error);
  cli_progress ("Writing", -1);
  if (!geo_density_write_geotiff (raster, out, &error))
    return cli_fail (error);
  cli_progress_done ();
  g_printerr ("EPSG:%d\n", raster->epsg);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "epsg");
      json_builder_add_int_value (b, raster->epsg);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, raster->width);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, raster->height);
      json_builder_set_member_name (b, "radius_m");
      json_builder_add_double_value (b, raster->radius_m);
      json_builder_set_member_name (b, "pixel_m");
      json_builder_add_double_value (b, raster->pixel_m);
      json_builder_set_member_name (b, "points");
      json_builder_add_double_value (b, raster->total_weight);
      json_builder_set_member_name (b, "max_per_km2");
      json_builder_add_double_value (b, raster->max_value);
      json_builder_set_member_name (b, "out");
      json_builder_add_string_value (b, out);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_print ("%u x %u pixels of %g m (EPSG:%d), radius %g m, %g points, max %.1f per km²\n",
             raster->width,
             raster->height,
             raster->pixel_m,
             raster->epsg,
             raster->radius_m,
             raster->total_weight,
             raster->max_value);
  return 0;
}
