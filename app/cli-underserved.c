#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "geo-table-writer.h"
#include "geo-underserved.h"

typedef struct
{
  char   *name;
  GBytes *wkb;
} Desa;

static void
desa_free (gpointer data)
{
  Desa *d = data;

  g_free (d->name);
  if (d->wkb != NULL)
    g_bytes_unref (d->wkb);
  g_free (d);
}

static gboolean
in_areas (const GeoFilter *filter, const char *code)
{
  if (filter->areas->len == 0)
    return TRUE;
  for (guint i = 0; i < filter->areas->len; i++)
    {
      const char *a = filter->areas->pdata[i];
      gsize       n = strlen (a);

      if (strncmp (code, a, n) == 0 && (code[n] == '\0' || code[n] == '.'))
        return TRUE;
    }
  return FALSE;
}

/* The stored desa (names and polygons), those inside the --area filter only. */
static GHashTable *
load_desa (GeoStore *store, const GeoFilter *filter, gboolean with_geometry, GError **error)
{
  g_autoptr(GHashTable) desa = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, desa_free);
  g_autoptr(sqlite3_stmt) stmt =
                 geo_store_prepare (store,
                                    with_geometry
                                        ? "SELECT code, name, AsBinary (geom) FROM area WHERE "
                                          "level = 'desa'"
                                        : "SELECT code, name, NULL FROM area WHERE level = 'desa'",
                                    error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      Desa       *d;

      if (code == NULL || !in_areas (filter, code))
        continue;
      d = g_new0 (Desa, 1);
      d->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 2) == SQLITE_BLOB)
        d->wkb = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
      g_hash_table_replace (desa, g_strdup (code), d);
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Loading the desa");
      return NULL;
    }
  return g_steal_pointer (&desa);
}

static int
by_rank (const void *a, const void *b, gpointer user_data)
{
  const guint32 *rank = user_data;
  guint          i = *(const guint *) a, j = *(const guint *) b;

  return (rank[i] > rank[j]) - (rank[i] < rank[j]);
}

int
cli_cmd_underserved (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
      "DB — desa ranked by PMKS persons with no serving resource within reach");
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = NULL;
  g_autoptr(GeoSelection) sel = NULL;
  g_autoptr(GeoResources) res = NULL;
  g_autoptr(GeoIndex) index = NULL;
  g_autoptr(GeoUnderserved) u = NULL;
  g_autoptr(GHashTable) desa = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(GeoTableWriter) w = NULL;
  g_auto(GStrv) types = NULL;
  g_autofree char     *out = NULL;
  g_autofree guint    *order = NULL;
  GeoUnderservedParams params = { 0, 0, GEO_UNDERSERVED_DEFAULT_RADIUS_M, 0 };
  double               radius = NAN, default_radius = NAN;
  gboolean             json = FALSE, is_csv = FALSE;
  guint32              type_mask = 0;
  GError              *error = NULL;
  int                  status;
  GOptionEntry         entries[] = {
            { "type",
              0,
              0,
              G_OPTION_ARG_STRING_ARRAY,
              &types,
              "Only these PSKS types serve (repeatable)",
              "T" },
            { "radius",
              0,
              0,
              G_OPTION_ARG_DOUBLE,
              &radius,
              "The service radius of every resource, in metres",
              "M" },
            { "default-radius",
              0,
              0,
              G_OPTION_ARG_DOUBLE,
              &default_radius,
              "The radius of resources without one (default 5000)",
              "M" },
            { "out",
              'o',
              0,
              G_OPTION_ARG_FILENAME,
              &out,
              "Output file: .gpkg, .geojson (desa polygons) or .csv",
              "FILE" },
            { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as JSON", NULL },
            { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "A person is underserved when, for at least one of their PMKS "
                                    "categories (or of the\n"
                                    "--category options), no resource serving it lies within the "
                                    "resource's service radius\n"
                                    "(its radius_m, --default-radius when it has none, or --radius "
                                    "for all), geodesic on WGS84.\n"
                                    "Rank 1 = most underserved persons, then highest share, then "
                                    "most PMKS persons.\n");
  if ((status = cli_parse_filtered (context, &argc, &argv, &filter)) != 0)
    return status;
  if (argc != 2)
    return cli_usage_error (context, "underserved needs exactly one DB argument");
  if (out == NULL)
    return cli_usage_error (context, "underserved needs --out FILE");
  {
    g_autofree char *lower = g_ascii_strdown (out, -1);

    is_csv = g_str_has_suffix (lower, ".csv");
    if (!is_csv && !g_str_has_suffix (lower, ".gpkg") && !g_str_has_suffix (lower, ".geojson") &&
        !g_str_has_suffix (lower, ".json"))
      return cli_usage_error (context,
                              "cannot tell the format of %s: use .csv, .geojson or .gpkg",
                              out);
  }
  if (!isnan (radius))
    {
      if (!(radius > 0) || !isfinite (radius))
        return cli_usage_error (context, "--radius must be a distance > 0 m (got %g)", radius);
      params.radius_m = radius;
    }
  if (!isnan (default_radius))
    {
      if (!(default_radius > 0) || !isfinite (default_radius))
        return cli_usage_error (context,
                                "--default-radius must be a distance > 0 m (got %g)",
                                default_radius);
      params.default_radius_m = default_radius;
    }
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    {
      int code;

      if (!geo_psks_lookup (types[i], &code))
        {
          g_set_error (&error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "unknown PSKS resource type “%s” (give a code 1-12 or a name such as "
                       "“Karang Taruna”)",
                       types[i]);
          return cli_fail (error);
        }
      type_mask |= GEO_TYPE_BIT (code);
    }
  for (guint i = 0; i < filter->n_categories; i++)
    params.category_mask |= GEO_CATEGORY_BIT (filter->categories[i]);

  store = geo_store_open (argv[1], GEO_STORE_OPEN_READONLY, &error);
  if (store == NULL)
    return cli_fail (error);
  sel = cli_load_selection (store, filter, FALSE, &error);
  if (sel == NULL)
    return cli_fail (error);
  res = geo_resources_load (store, type_mask, &error);
  if (res == NULL)
    return cli_fail (error);
  index = geo_resources_build_index (res, &error);
  if (index == NULL)
    return cli_fail (error);
  desa = load_desa (store, filter, !is_csv, &error);
  if (desa == NULL)
    return cli_fail (error);
  {
    GHashTableIter it;
    gpointer       key;

    g_hash_table_iter_init (&it, desa);
    while (g_hash_table_iter_next (&it, &key, NULL))
      g_ptr_array_add (extra, key);
  }
  cli_progress ("Searching", -1);
  u = geo_underserved_compute (sel, res, index, &params, extra, NULL, &error);
  if (u == NULL)
    return cli_fail (error);
  cli_progress_done ();

  {
    GeoField fields[6 + GEO_PSKS_N_TYPES + 2];
    char    *names[GEO_PSKS_N_TYPES] = { NULL };
    guint    nf = 0;

    fields[nf++] = (GeoField){ "kode_desa", GEO_FIELD_STRING };
    fields[nf++] = (GeoField){ "nama_desa", GEO_FIELD_STRING };
    fields[nf++] = (GeoField){ "persons", GEO_FIELD_INT };
    fields[nf++] = (GeoField){ "underserved", GEO_FIELD_INT };
    fields[nf++] = (GeoField){ "share", GEO_FIELD_REAL };
    fields[nf++] = (GeoField){ "resources", GEO_FIELD_INT };
    for (guint t = 0; t < GEO_PSKS_N_TYPES; t++)
      {
        names[t] = g_strdup_printf ("res_type_%u", t + 1);
        fields[nf++] = (GeoField){ names[t], GEO_FIELD_INT };
      }
    fields[nf++] = (GeoField){ "persons_per_resource", GEO_FIELD_REAL };
    fields[nf++] = (GeoField){ "rank", GEO_FIELD_INT };
    w = geo_table_writer_new (out, "underserved", fields, nf, GEO_TABLE_GEOM_MULTIPOLYGON, &error);
    for (guint t = 0; t < GEO_PSKS_N_TYPES; t++)
      g_free (names[t]);
    if (w == NULL)
      return cli_fail (error);
  }
  order = g_new (guint, MAX (u->n_desa, 1));
  for (guint d = 0; d < u->n_desa; d++)
    order[d] = d;
  g_qsort_with_data (order, u->n_desa, sizeof (guint), by_rank, u->rank);
  for (guint i = 0; i < u->n_desa; i++)
    {
      guint d = order[i];
      Desa *info = g_hash_table_lookup (desa, u->kode_desa[d]);
      guint col = 0;

      geo_table_writer_set_string (w, col++, u->kode_desa[d]);
      geo_table_writer_set_string (w, col++, info != NULL ? info->name : NULL);
      geo_table_writer_set_int (w, col++, u->persons[d]);
      geo_table_writer_set_int (w, col++, u->underserved[d]);
      geo_table_writer_set_real (w, col++, u->share[d]);
      geo_table_writer_set_int (w, col++, u->n_resources[d]);
      for (guint t = 0; t < GEO_PSKS_N_TYPES; t++)
        geo_table_writer_set_int (w, col++, u->resources[d * GEO_PSKS_N_TYPES + t]);
      geo_table_writer_set_real (w, col++, u->persons_per_resource[d]);
      geo_table_writer_set_int (w, col++, u->rank[d]);
      if (info != NULL && info->wkb != NULL)
        {
          gsize         len;
          const guint8 *data = g_bytes_get_data (info->wkb, &len);

          geo_table_writer_set_wkb (w, data, len);
        }
      if (!geo_table_writer_write_row (w, &error))
        return cli_fail (error);
    }
  if (!geo_table_writer_close (w, &error))
    return cli_fail (error);

  if (cli_progress_enabled () && u->persons_without_desa > 0)
    g_printerr ("%u PMKS persons live in families without a desa code: counted in the totals, in "
                "no row\n",
                u->persons_without_desa);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "persons");
      json_builder_add_int_value (b, u->total_persons);
      json_builder_set_member_name (b, "underserved");
      json_builder_add_int_value (b, u->total_underserved);
      json_builder_set_member_name (b, "share");
      json_builder_add_double_value (b,
                                     u->total_persons > 0
                                         ? (double) u->total_underserved / u->total_persons
                                         : 0);
      json_builder_set_member_name (b, "desa");
      json_builder_add_int_value (b, u->n_desa);
      json_builder_set_member_name (b, "persons_without_desa");
      json_builder_add_int_value (b, u->persons_without_desa);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, u->seconds);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    g_print ("persons      %u\nunderserved  %u\ndesa         %u\n",
             u->total_persons,
             u->total_underserved,
             u->n_desa);
  return 0;
}
