#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli-commands.h"
#include "cli-common.h"
#include "geo-error.h"
#include "geo-import-areas.h"
#include "geo-import.h"
#include "geo-store.h"

static void
on_progress (guint64 rows, double fraction, gpointer user_data)
{
  g_autofree char *what = g_strdup_printf ("Importing (%" G_GUINT64_FORMAT " rows)", rows);

  cli_progress (what, fraction);
}

static JsonNode *
report_to_json (const GeoImportReport *r, gboolean households)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "read");
  json_builder_add_int_value (b, r->read);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, r->imported);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, r->rejected);
  if (households)
    {
      json_builder_set_member_name (b, "skipped");
      json_builder_add_int_value (b, r->skipped);
      json_builder_set_member_name (b, "updated");
      json_builder_add_int_value (b, r->updated);
      json_builder_set_member_name (b, "families");
      json_builder_add_int_value (b, r->families);
      json_builder_set_member_name (b, "no_nik");
      json_builder_add_int_value (b, r->no_nik);
    }
  json_builder_set_member_name (b, "approximate");
  json_builder_add_int_value (b, r->approximate);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_object (b);
  for (int i = 0; i < GEO_IMPORT_N_REASONS; i++)
    if (r->reasons[i] > 0)
      {
        json_builder_set_member_name (b, geo_import_reason_to_string (i));
        json_builder_add_int_value (b, r->reasons[i]);
      }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "rejects_file");
  if (r->rejects_path != NULL)
    json_builder_add_string_value (b, r->rejects_path);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "batch");
  json_builder_add_int_value (b, r->batch_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_report (const GeoImportReport *r, gboolean households)
{
  g_print ("read         %" G_GUINT64_FORMAT "\n", r->read);
  g_print ("imported     %" G_GUINT64_FORMAT "\n", r->imported);
  g_print ("rejected     %" G_GUINT64_FORMAT "\n", r->rejected);
  if (households)
    {
      g_print ("skipped      %" G_GUINT64_FORMAT "\n", r->skipped);
      g_print ("updated      %" G_GUINT64_FORMAT "\n", r->updated);
      g_print ("families     %" G_GUINT64_FORMAT " new\n", r->families);
      g_print ("no NIK       %" G_GUINT64_FORMAT "\n", r->no_nik);
    }
  g_print ("approximate  %" G_GUINT64_FORMAT " (placed at a desa centroid)\n", r->approximate);
  for (int i = 0; i < GEO_IMPORT_N_REASONS; i++)
    if (r->reasons[i] > 0)
      g_print ("  %-22s %" G_GUINT64_FORMAT "\n", geo_import_reason_to_string (i), r->reasons[i]);
  if (r->rejects_path != NULL)
    g_print ("rejects      %s\n", r->rejects_path);
}

static int
import_rows (int argc, char **argv, gboolean households)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *crs = NULL;
  g_autofree char *rejects = NULL;
  g_autofree char *on_duplicate = NULL;
  g_autofree char *layer = NULL;
  gboolean json = FALSE, via_ogr = FALSE;
  GeoImportOptions opts = { 0 };
  GeoImportReport report = { 0 };
  GError *error = NULL;
  gboolean ok;
  GOptionEntry entries[] = {
    { "field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      "Read attribute ATTR from column COLUMN (repeatable)", "COLUMN=ATTR" },
    { "crs", 0, 0, G_OPTION_ARG_STRING, &crs,
      "CRS of the x/y (lon/lat) columns, e.g. EPSG:32749 (default EPSG:4326)", "CRS" },
    { "rejects", 0, 0, G_OPTION_ARG_FILENAME, &rejects,
      "Write rejected rows to FILE (default: beside the input, NAME.rejects.csv)", "FILE" },
    { "on-duplicate", 0, 0, G_OPTION_ARG_STRING, &on_duplicate,
      "A NIK already imported: reject (default), skip or update", "MODE" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer to read (default: the first)", "NAME" },
    { "via-ogr", 0, 0, G_OPTION_ARG_NONE, &via_ogr,
      "Read CSV through GDAL's CSV driver instead of the built-in reader", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as one JSON object", NULL },
    { NULL }
  };

  if (households)
    context = g_option_context_new ("DB FILE — import persons and families (one row = one person)");
  else
    context = g_option_context_new ("DB FILE — import PSKS resources (one row = one resource)");
  g_option_context_set_description (
    context,
    households
      ? "FILE: CSV (, or ; separated), XLSX, GeoJSON, GeoPackage, Shapefile, KML or any vector\n"
        "format GDAL reads. Columns are matched by name ignoring case, spaces, dots and\n"
        "underscores: nik; no_kk/kk; nama/name; jenis_kelamin/jk/sex; tanggal_lahir/tgl_lahir;\n"
        "alamat; rt; rw; kode_desa/desa; kategori/pmks; lat/lintang/y; lon/lng/bujur/x;\n"
        "hubungan/shdk. Attributes for --field: nik, no_kk, name, sex, birth_date, address,\n"
        "rt, rw, kode_desa, category, lat, lon, relation.\n"
        "The import is one transaction; rejected rows go to the rejects file with a reason."
      : "Columns: jenis/type (code 1-12 or name), nama/name, lat/lon (or kode_desa: placed at\n"
        "the desa centroid), layanan/serves (PMKS codes or names; empty = all), radius_m,\n"
        "kapasitas/capacity, kontak/contact, kode_desa. Attributes for --field: type, name,\n"
        "lat, lon, serves, radius_m, capacity, contact, kode_desa.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    {
      int rc = cli_usage_error (context, "%s", error->message);

      g_clear_error (&error);
      return rc;
    }
  if (argc != 3)
    return cli_usage_error (context, "import %s needs DB and FILE", argv[0]);
  if (on_duplicate != NULL && !geo_import_duplicate_from_string (on_duplicate, &opts.on_duplicate))
    return cli_usage_error (context,
                            "--on-duplicate must be reject, skip or update, not “%s”",
                            on_duplicate);
  if (!households && on_duplicate != NULL)
    return cli_usage_error (context, "--on-duplicate applies to households only");
  if (!g_file_test (argv[2], G_FILE_TEST_EXISTS))
    {
      g_set_error (&error, GEO_ERROR, GEO_ERROR_IO, "%s: no such file", argv[2]);
      return cli_fail (error);
    }

  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);

  opts.crs = crs;
  opts.fields = (const char *const *) fields;
  opts.rejects_path = rejects;
  opts.layer = layer;
  opts.csv_through_ogr = via_ogr;
  opts.progress = on_progress;
  if (households)
    ok = geo_import_households (store, argv[2], &opts, &report, NULL, &error);
  else
    ok = geo_import_resources (store, argv[2], &opts, &report, NULL, &error);
  cli_progress_done ();
  if (!ok)
    return cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = report_to_json (&report, households);

      cli_print_json (root);
    }
  else
    print_report (&report, households);
  geo_import_report_clear (&report);
  return 0;
}

static int
import_areas (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("DB FILE — import admin-area polygons (provinsi to desa)");
  g_autoptr(GeoStore) store = NULL;
  g_autofree char *level = NULL;
  g_autofree char *code_field = NULL;
  g_autofree char *name_field = NULL;
  g_autofree char *layer = NULL;
  gboolean json = FALSE;
  GeoImportAreasOptions opts = { 0 };
  GeoImportAreasReport report = { 0 };
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "level", 0, 0, G_OPTION_ARG_STRING, &level,
      "Level of every feature: provinsi, kabupaten, kecamatan or desa (default: detected)",
      "LEVEL" },
    { "code-field", 0, 0, G_OPTION_ARG_STRING, &code_field,
      "Field with the Kemendagri code (default: detected)", "F" },
    { "name-field", 0, 0, G_OPTION_ARG_STRING, &name_field,
      "Field with the name (default: detected)", "F" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer to read (default: every polygon layer)",
      "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as one JSON object", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse (context, &argc, &argv, &error))
    {
      int rc = cli_usage_error (context, "%s", error->message);

      g_clear_error (&error);
      return rc;
    }
  if (argc != 3)
    return cli_usage_error (context, "import areas needs DB and FILE");
  if (level != NULL)
    {
      if (!geo_area_level_from_string (level, &opts.level))
        return cli_usage_error (context,
                                "--level must be provinsi, kabupaten, kecamatan or desa, not “%s”",
                                level);
      opts.level_given = TRUE;
    }
  opts.code_field = code_field;
  opts.name_field = name_field;
  opts.layer = layer;
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return cli_fail (error);
  cli_progress ("Importing areas", -1);
  if (!geo_import_areas (store, argv[2], &opts, &report, NULL, &error))
    return cli_fail (error);
  cli_progress_done ();

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      GHashTableIter iter;
      gpointer key, value;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "read");
      json_builder_add_int_value (b, report.read);
      json_builder_set_member_name (b, "imported");
      json_builder_add_int_value (b, report.imported);
      json_builder_set_member_name (b, "replaced");
      json_builder_add_int_value (b, report.replaced);
      json_builder_set_member_name (b, "rejected");
      json_builder_add_int_value (b, report.rejected);
      json_builder_set_member_name (b, "levels");
      json_builder_begin_object (b);
      if (report.levels != NULL)
        {
          g_hash_table_iter_init (&iter, report.levels);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              json_builder_set_member_name (b, key);
              json_builder_add_int_value (b, GPOINTER_TO_UINT (value));
            }
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "rejects");
      json_builder_begin_array (b);
      for (guint i = 0; report.rejects != NULL && i < report.rejects->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (report.rejects, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cli_print_json (root);
    }
  else
    {
      g_print ("read         %u\n", report.read);
      g_print ("imported     %u (%u replaced)\n", report.imported, report.replaced);
      g_print ("rejected     %u\n", report.rejected);
      for (guint i = 0; report.rejects != NULL && i < report.rejects->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (report.rejects, i));
    }
  geo_import_areas_report_clear (&report);
  return 0;
}

static void
print_import_usage (FILE *out)
{
  fprintf (out,
           "Usage: jangkau-cli import KIND DB FILE [OPTIONS...]\n\n"
           "Kinds:\n"
           "  households   persons and families from operator spreadsheets\n"
           "  resources    PSKS resources\n"
           "  areas        admin-area polygons (provinsi, kabupaten, kecamatan, desa)\n"
           "\nRun “jangkau-cli import KIND --help” for the options of each kind.\n");
}

int
cli_cmd_import (int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_import_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "households") == 0)
    return import_rows (argc - 1, argv + 1, TRUE);
  if (strcmp (argv[1], "resources") == 0)
    return import_rows (argc - 1, argv + 1, FALSE);
  if (strcmp (argv[1], "areas") == 0)
    return import_areas (argc - 1, argv + 1);
  g_printerr ("jangkau-cli: unknown import kind “%s”\n\n", argv[1]);
  print_import_usage (stderr);
  return 2;
}
