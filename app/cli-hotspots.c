#include "config.h"

#include <math.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-hotspot.h"
#include "geo-store.h"

static void
add_class_counts (JsonBuilder *b, const gint8 *klass, gsize n)
{
  gsize counts[8] = { 0 };

  for (gsize i = 0; i < n; i++)
    counts[CLAMP (klass[i] + 3, 0, 7)]++;
  json_builder_set_member_name (b, "classes");
  json_builder_begin_object (b);
  for (int k = GEO_HOTSPOT_COLD_99; k <= GEO_HOTSPOT_NO_DATA; k++)
    {
      json_builder_set_member_name (b, geo_hotspot_class_to_string ((GeoHotspotClass) k));
      json_builder_add_int_value (b, (gint64) counts[k + 3]);
    }
  json_builder_end_object (b);
}

static void
print_class_counts (const gint8 *klass, gsize n)
{
  gsize counts[8] = { 0 };

  for (gsize i = 0; i < n; i++)
    counts[CLAMP (klass[i] + 3, 0, 7)]++;
  g_print ("hot 99/95/90 %%:  %" G_GSIZE_FORMAT " / %" G_GSIZE_FORMAT " / %" G_GSIZE_FORMAT "\n",
           counts[6],
           counts[5],
           counts[4]);
  g_print ("cold 99/95/90 %%: %" G_GSIZE_FORMAT " / %" G_GSIZE_FORMAT " / %" G_GSIZE_FORMAT "\n",
           counts[0],
           counts[1],
           counts[2]);
  g_print ("not significant: %" G_GSIZE_FORMAT "\n", counts[3]);
  if (counts[7] > 0)
    g_print ("no data:         %" G_GSIZE_FORMAT "\n", counts[7]);
}

static void
report_gistar (double fraction, gpointer data)
{
  cli_progress ("Computing Gi*", fraction);
}

int
cli_cmd_hotspots (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
                 g_option_context_new ("DB — Getis-Ord Gi* hotspots of the selected persons");
  int           status;
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *by = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *weights = NULL;
  double           cell = GEO_HOTSPOT_DEFAULT_CELL_M, distance = NAN;
  double           tolerance = GEO_HOTSPOT_DEFAULT_TOLERANCE_M;
  gboolean         fdr = FALSE, families = FALSE, json = FALSE;
  GError          *error = NULL;
  GOptionEntry     entries[] = {
        { "cell", 0, 0, G_OPTION_ARG_DOUBLE, &cell, "Grid cell size in metres (default 500)", "M" },
        { "distance",
          0,
          0,
          G_OPTION_ARG_DOUBLE,
          &distance,
          "Distance band in metres (grid: default 1000; desa with distance weights: default the "
              "smallest band giving every desa a neighbour)",
          "M" },
        { "fdr",
          0,
          0,
          G_OPTION_ARG_NONE,
          &fdr,
          "Classify with Benjamini-Hochberg False Discovery Rate adjusted p-values",
          NULL },
        { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Units: grid (default) or desa", "grid|desa" },
        { "rate",
          0,
          0,
          G_OPTION_ARG_STRING,
          &rate,
          "Desa: cases per 1,000 families or per 1,000 population (default: counts)",
          "families|population" },
        { "weights",
          0,
          0,
          G_OPTION_ARG_STRING,
          &weights,
          "Desa: contiguity (shared border, default) or distance between centroids",
          "contiguity|distance" },
        { "tolerance",
          0,
          0,
          G_OPTION_ARG_DOUBLE,
          &tolerance,
          "Desa contiguity: boundaries closer than this touch (default 25 m)",
          "M" },
        { "families", 0, 0, G_OPTION_ARG_NONE, &families, "Count families instead of persons", NULL },
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output file: .gpkg, .geojson or .csv", "FILE" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
        { NULL }
  };
  gboolean by_desa;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Grid: counts per cell in the UTM zone of the data's centre, "
                                    "binary weights for cells whose centres lie within the band "
                                    "(the cell itself included). The CSV's cell_x, cell_y are cell "
                                    "centres in that CRS, named on stderr as EPSG:NNNNN.\n"
                                    "Classes: hot/cold at 99/95/90 % (two-sided p <= "
                                    "0.01/0.05/0.10).");
  if ((status = cli_parse_filtered (context, &argc, &argv, &filter)) != 0)
    return status;
  if (argc != 2)
    return cli_usage_error (context, "hotspots needs exactly one DB argument");
  if (out == NULL)
    return cli_usage_error (context, "hotspots needs --out FILE (.gpkg, .geojson or .csv)");
  if (by != NULL && strcmp (by, "grid") != 0 && strcmp (by, "desa") != 0)
    return cli_usage_error (context, "--by must be grid or desa, not “%s”", by);
  by_desa = by != NULL && strcmp (by, "desa") == 0;
  if (rate != NULL && strcmp (rate, "families") != 0 && strcmp (rate, "population") != 0)
    return cli_usage_error (context, "--rate must be families or population, not “%s”", rate);
  if (weights != NULL && strcmp (weights, "contiguity") != 0 && strcmp (weights, "distance") != 0)
    return cli_usage_error (context, "--weights must be contiguity or distance, not “%s”", weights);
  if (!by_desa && (rate != NULL || weights != NULL))
    return cli_usage_error (context, "--rate and --weights apply to --by desa");
  if (!(cell > 0) || !isfinite (cell))
    return cli_usage_error (NULL, "--cell must be a positive number of metres (got %g)", cell);
  if (!isnan (distance) && (!(distance >= 0) || !isfinite (distance)))
    return cli_usage_error (NULL,
                            "--distance must be a positive number of metres (got %g)",
                            distance);
  if (!(tolerance >= 0) || !isfinite (tolerance))
    return cli_usage_error (NULL, "--tolerance must be zero or a positive number of metres");

  store = geo_store_open (argv[1], GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    return cli_fail (error);
  sel = cli_load_selection (store, filter, TRUE, &error);
  if (sel == NULL)
    return cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "persons");
  json_builder_add_int_value (b, sel->n_persons);
  json_builder_set_member_name (b, "families");
  json_builder_add_int_value (b, sel->n_families);
  if (!by_desa)
    {
      GeoHotspotGridOptions opts = { cell,
                                     isnan (distance) ? GEO_HOTSPOT_DEFAULT_BAND_M : distance,
                                     fdr,
                                     report_gistar,
                                     NULL };
      g_autofree double    *w = geo_selection_family_weights (sel, families);
      g_autoptr(GeoHotspotGrid) grid = NULL;

      cli_progress ("Computing Gi*", -1);
      grid = geo_hotspot_grid (sel->lon, sel->lat, w, sel->n_families, &opts, NULL, &error);
      if (grid == NULL)
        return cli_fail (error);
      cli_progress ("Writing", -1);
      if (!geo_hotspot_grid_write (grid, out, &error))
        return cli_fail (error);
      cli_progress_done ();
      g_printerr ("EPSG:%d\n", grid->epsg);
      json_builder_set_member_name (b, "epsg");
      json_builder_add_int_value (b, grid->epsg);
      json_builder_set_member_name (b, "cell_m");
      json_builder_add_double_value (b, grid->cell_m);
      json_builder_set_member_name (b, "distance_m");
      json_builder_add_double_value (b, grid->band_m);
      json_builder_set_member_name (b, "columns");
      json_builder_add_int_value (b, grid->nx);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, grid->ny);
      json_builder_set_member_name (b, "cells");
      json_builder_add_int_value (b, (gint64) grid->n_cells);
      json_builder_set_member_name (b, "neighbours_per_cell");
      json_builder_add_int_value (b, grid->stencil_size);
      add_class_counts (b, grid->klass, grid->n_cells);
      if (!json)
        {
          g_print ("%u x %u cells of %g m (EPSG:%d), band %g m (%u cells in a star)\n",
                   grid->nx,
                   grid->ny,
                   grid->cell_m,
                   grid->epsg,
                   grid->band_m,
                   grid->stencil_size);
          print_class_counts (grid->klass, grid->n_cells);
        }
    }
  else
    {
      GeoHotspotAreaOptions opts = {
        .rate = rate == NULL                     ? GEO_HOTSPOT_RATE_NONE
                : strcmp (rate, "families") == 0 ? GEO_HOTSPOT_RATE_FAMILIES
                                                 : GEO_HOTSPOT_RATE_POPULATION,
        .weights = weights != NULL && strcmp (weights, "distance") == 0
                       ? GEO_HOTSPOT_WEIGHTS_DISTANCE
                       : GEO_HOTSPOT_WEIGHTS_CONTIGUITY,
        .band_m = isnan (distance) ? 0 : distance,
        .tolerance_m = tolerance,
        .fdr = fdr,
      };
      g_autoptr(GeoHotspotAreas) areas = NULL;

      cli_progress ("Computing Gi* by desa", -1);
      areas = geo_hotspot_areas (store, sel, filter, families, &opts, NULL, &error);
      if (areas == NULL)
        return cli_fail (error);
      cli_progress ("Writing", -1);
      if (!geo_hotspot_areas_write (areas, out, &error))
        return cli_fail (error);
      cli_progress_done ();
      g_printerr ("EPSG:%d\n", areas->epsg);
      json_builder_set_member_name (b, "epsg");
      json_builder_add_int_value (b, areas->epsg);
      json_builder_set_member_name (b, "desa");
      json_builder_add_int_value (b, areas->n);
      json_builder_set_member_name (b, "unassigned");
      json_builder_add_double_value (b, areas->unassigned);
      if (opts.weights == GEO_HOTSPOT_WEIGHTS_DISTANCE)
        {
          json_builder_set_member_name (b, "distance_m");
          json_builder_add_double_value (b, areas->band_m);
        }
      add_class_counts (b, areas->klass, areas->n);
      if (!json)
        {
          g_print ("%u desa, weights: %s",
                   areas->n,
                   opts.weights == GEO_HOTSPOT_WEIGHTS_DISTANCE ? "distance" : "contiguity");
          if (opts.weights == GEO_HOTSPOT_WEIGHTS_DISTANCE)
            g_print (" (band %.0f m)", areas->band_m);
          g_print ("\n");
          if (areas->unassigned > 0)
            g_print ("outside every desa boundary: %g\n", areas->unassigned);
          print_class_counts (areas->klass, areas->n);
        }
    }
  json_builder_set_member_name (b, "out");
  json_builder_add_string_value (b, out);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  if (json)
    cli_print_json (root);
  return 0;
}
