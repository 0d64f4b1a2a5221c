#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-nearest.h"
#include "geo-store-private.h"
#include "geo-table-writer.h"

/* --type T (repeatable): PSKS codes or names into a type mask (0 = every type). */
static gboolean
parse_types (char **types, guint32 *mask, GError **error)
{
  *mask = 0;
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    {
      int code;

      if (!geo_psks_lookup (types[i], &code))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "unknown PSKS resource type “%s” (give a code 1-12 or a name such as "
                       "“Karang Taruna”)",
                       types[i]);
          return FALSE;
        }
      *mask |= GEO_TYPE_BIT (code);
    }
  return TRUE;
}

static gboolean
parse_point (const char *text, double *lon, double *lat, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  char *end1 = NULL, *end2 = NULL;

  if (g_strv_length (parts) == 2)
    {
      *lon = g_ascii_strtod (g_strstrip (parts[0]), &end1);
      *lat = g_ascii_strtod (g_strstrip (parts[1]), &end2);
      if (end1 != parts[0] && *end1 == '\0' && end2 != parts[1] && *end2 == '\0' &&
          fabs (*lat) <= 90 && fabs (*lon) <= 180)
        return TRUE;
    }
  g_set_error (error,
               GEO_ERROR,
               GEO_ERROR_INVALID,
               "--point wants LON,LAT in degrees (EPSG:4326), e.g. 110.36,-7.90; got “%s”",
               text);
  return FALSE;
}

static gboolean
household_location (GeoStore *store, gint64 id, double *lon, double *lat, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store,
                                                     "SELECT ST_X (geom), ST_Y (geom) FROM family "
                                                     "WHERE id = ?",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_NOT_FOUND,
                   "no household (family) with id %" G_GINT64_FORMAT " and a location",
                   id);
      return FALSE;
    }
  *lon = sqlite3_column_double (stmt, 0);
  *lat = sqlite3_column_double (stmt, 1);
  return TRUE;
}

int
cli_cmd_nearest (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — the nearest PSKS resources of a household or a point (geodesic metres, WGS84)");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GArray) hits = NULL;
  g_auto(GStrv) types = NULL;
  g_autofree char *point = NULL;
  g_autofree char *category = NULL;
  gint64           household = -1;
  int              k = 5;
  double           radius = NAN, lon = 0, lat = 0;
  gboolean         json = FALSE;
  guint32          type_mask = 0, cat_mask = 0;
  GError          *error = NULL;
  GOptionEntry     entries[] = {
        { "household", 0, 0, G_OPTION_ARG_INT64, &household, "From this household (family id)", "ID" },
        { "point", 0, 0, G_OPTION_ARG_STRING, &point, "From this point (EPSG:4326)", "LON,LAT" },
        { "k", 'k', 0, G_OPTION_ARG_INT, &k, "How many resources (default 5)", "K" },
        { "type",
          0,
          0,
          G_OPTION_ARG_STRING_ARRAY,
          &types,
          "PSKS type, code or name (repeatable)",
          "T" },
        { "category",
          0,
          0,
          G_OPTION_ARG_STRING,
          &category,
          "Only resources serving this PMKS category",
          "C" },
        { "radius", 0, 0, G_OPTION_ARG_DOUBLE, &radius, "Only resources within M metres", "M" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array, nearest first", NULL },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, "nearest needs exactly one DB argument");
  if ((household >= 0) == (point != NULL))
    return cli_usage_error (context, "give either --household ID or --point LON,LAT");
  if (k <= 0)
    return cli_usage_error (context, "--k must be at least 1 (got %d)", k);
  if (!isnan (radius) && !(radius >= 0 && isfinite (radius)))
    return cli_usage_error (context, "--radius must be a distance >= 0 m (got %g)", radius);
  if (!parse_types (types, &type_mask, &error))
    return cli_fail (error);
  if (category != NULL)
    {
      int code;

      if (!geo_pmks_lookup (category, &code))
        {
          g_set_error (&error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "unknown PMKS category “%s” (give a code 1-26 or a name such as “Fakir "
                       "Miskin”)",
                       category);
          return cli_fail (error);
        }
      cat_mask = GEO_CATEGORY_BIT (code);
    }
  if (point != NULL && !parse_point (point, &lon, &lat, &error))
    return cli_fail (error);

  store = geo_store_open (argv[1], GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    return cli_fail (error);
  if (household >= 0 && !household_location (store, household, &lon, &lat, &error))
    return cli_fail (error);
  res = geo_resources_load (store, type_mask, &error);
  if (res == NULL)
    return cli_fail (error);
  index = geo_resources_build_index (res, &error);
  if (index == NULL)
    return cli_fail (error);
  hits = geo_nearest_point (res,
                            index,
                            lon,
                            lat,
                            k,
                            isnan (radius) ? INFINITY : radius,
                            cat_mask,
                            &error);
  if (hits == NULL)
    return cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < hits->len; i++)
        {
          const GeoIndexHit *h = &g_array_index (hits, GeoIndexHit, i);
          guint              r = h->item;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, res->id[r]);
          json_builder_set_member_name (b, "type");
          json_builder_add_int_value (b, res->type[r]);
          json_builder_set_member_name (b, "type_name");
          json_builder_add_string_value (b, geo_psks_get (res->type[r])->name);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, res->name[r]);
          json_builder_set_member_name (b, "lon");
          json_builder_add_double_value (b, res->lon[r]);
          json_builder_set_member_name (b, "lat");
          json_builder_add_double_value (b, res->lat[r]);
          json_builder_set_member_name (b, "distance_m");
          json_builder_add_double_value (b, round (h->distance_m * 1000) / 1000);
          json_builder_set_member_name (b, "desa_code");
          if (res->desa_code[r] != NULL)
            json_builder_add_string_value (b, res->desa_code[r]);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    {
      if (hits->len == 0)
        g_printerr ("No matching resource.\n");
      for (guint i = 0; i < hits->len; i++)
        {
          const GeoIndexHit *h = &g_array_index (hits, GeoIndexHit, i);
          guint              r = h->item;

          g_print ("%10.1f m  #%" G_GINT64_FORMAT "  %s  (%s)  %.6f, %.6f\n",
                   h->distance_m,
                   res->id[r],
                   res->name[r],
                   geo_psks_get (res->type[r])->short_name,
                   res->lon[r],
                   res->lat[r]);
        }
    }
  return 0;
}

static int
dbl_cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
cli_cmd_nearest_all (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — the nearest matching PSKS resource of every selected household");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GeoNearestAll) all = NULL;
  g_auto(GStrv) types = NULL;
  g_autofree char   *out = NULL;
  g_autofree double *sorted = NULL;
  gboolean           json = FALSE;
  int                threads = 0;
  guint32            type_mask = 0, cat_mask = 0;
  guint              matched = 0;
  double             sum = 0;
  GError            *error = NULL;
  int                status;
  GOptionEntry       entries[] = {
          { "type",
            0,
            0,
            G_OPTION_ARG_STRING_ARRAY,
            &types,
            "PSKS type, code or name (repeatable)",
            "T" },
          { "out",
            'o',
            0,
            G_OPTION_ARG_FILENAME,
            &out,
            "Write one row per household (.csv, .geojson, .gpkg)",
            "FILE" },
          { "threads",
            0,
            0,
            G_OPTION_ARG_INT,
            &threads,
            "Worker threads (default: one per processor)",
            "N" },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as JSON", NULL },
          { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "A household's resource must serve one of the PMKS categories "
                                    "of its selected persons,\n"
                                    "or one of the --category options when given. Distances are "
                                    "geodesic metres on WGS84.\n");
  if ((status = cli_parse_filtered (context, &argc, &argv, &filter)) != 0)
    return status;
  if (argc != 2)
    return cli_usage_error (context, "nearest-all needs exactly one DB argument");
  if (threads < 0)
    return cli_usage_error (context, "--threads must be >= 0");
  if (!parse_types (types, &type_mask, &error))
    return cli_fail (error);
  for (guint i = 0; i < filter->n_categories; i++)
    cat_mask |= GEO_CATEGORY_BIT (filter->categories[i]);

  store = geo_store_open (argv[1], GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    return cli_fail (error);
  sel = cli_load_selection (store, filter, TRUE, &error);
  if (sel == NULL)
    return cli_fail (error);
  res = geo_resources_load (store, type_mask, &error);
  if (res == NULL)
    return cli_fail (error);
  if (res->n == 0)
    {
      g_set_error_literal (&error,
                           GEO_ERROR,
                           GEO_ERROR_NOT_FOUND,
                           "the project has no resource of the given types");
      return cli_fail (error);
    }
  index = geo_resources_build_index (res, &error);
  if (index == NULL)
    return cli_fail (error);
  cli_progress ("Searching", -1);
  all = geo_nearest_all (res,
                         index,
                         sel->lon,
                         sel->lat,
                         sel->family_mask,
                         sel->n_families,
                         cat_mask,
                         threads,
                         NULL,
                         &error);
  if (all == NULL)
    return cli_fail (error);
  cli_progress_done ();
  if (cli_progress_enabled ())
    g_printerr ("%u households searched in %.3f s (index in EPSG:%d, distances geodesic on "
                "WGS84)\n",
                sel->n_families,
                all->seconds,
                geo_index_get_epsg (index));

  sorted = g_new (double, all->n);
  for (guint i = 0; i < all->n; i++)
    if (all->resource[i] >= 0)
      {
        sorted[matched++] = all->distance_m[i];
        sum += all->distance_m[i];
      }
  qsort (sorted, matched, sizeof (double), dbl_cmp);

  if (out != NULL)
    {
      static const GeoField fields[] = { { "family_id", GEO_FIELD_INT },
                                         { "lon", GEO_FIELD_REAL },
                                         { "lat", GEO_FIELD_REAL },
                                         { "persons", GEO_FIELD_INT },
                                         { "resource_id", GEO_FIELD_INT },
                                         { "resource_type", GEO_FIELD_INT },
                                         { "resource_name", GEO_FIELD_STRING },
                                         { "distance_m", GEO_FIELD_REAL } };
      g_autoptr(GeoTableWriter) w = geo_table_writer_new (out,
                                                           "nearest",
                                                           fields,
                                                           G_N_ELEMENTS (fields),
                                                           GEO_TABLE_GEOM_POINT,
                                                           &error);

      if (w == NULL)
        return cli_fail (error);
      for (guint i = 0; i < all->n; i++)
        {
          gint32 r = all->resource[i];

          geo_table_writer_set_int (w, 0, sel->family_id[i]);
          geo_table_writer_set_real (w, 1, sel->lon[i]);
          geo_table_writer_set_real (w, 2, sel->lat[i]);
          geo_table_writer_set_int (w, 3, sel->family_n_persons[i]);
          if (r >= 0)
            {
              geo_table_writer_set_int (w, 4, res->id[r]);
              geo_table_writer_set_int (w, 5, res->type[r]);
              geo_table_writer_set_string (w, 6, res->name[r]);
              geo_table_writer_set_real (w, 7, round (all->distance_m[i] * 1000) / 1000);
            }
          geo_table_writer_set_point (w, sel->lon[i], sel->lat[i]);
          if (!geo_table_writer_write_row (w, &error))
            return cli_fail (error);
          if ((i & 0xffff) == 0)
            cli_progress ("Writing", (double) i / all->n);
        }
      if (!geo_table_writer_close (w, &error))
        return cli_fail (error);
      cli_progress_done ();
    }

  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    double median = matched > 0 ? sorted[matched / 2] : NAN;
    double max = matched > 0 ? sorted[matched - 1] : NAN;

    if (json)
      {
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "households");
        json_builder_add_int_value (b, all->n);
        json_builder_set_member_name (b, "matched");
        json_builder_add_int_value (b, matched);
        json_builder_set_member_name (b, "mean_m");
        json_builder_add_double_value (b, matched > 0 ? sum / matched : 0);
        json_builder_set_member_name (b, "median_m");
        json_builder_add_double_value (b, matched > 0 ? median : 0);
        json_builder_set_member_name (b, "max_m");
        json_builder_add_double_value (b, matched > 0 ? max : 0);
        json_builder_set_member_name (b, "epsg");
        json_builder_add_int_value (b, geo_index_get_epsg (index));
        json_builder_set_member_name (b, "seconds");
        json_builder_add_double_value (b, all->seconds);
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        cli_print_json (root);
      }
    else
      g_print ("households %u\nmatched    %u\nmean_m     %.1f\nmedian_m   %.1f\nmax_m      %.1f\n",
               all->n,
               matched,
               matched > 0 ? sum / matched : NAN,
               median,
               max);
  }
  return 0;
}
