/* Workflow benchmark: cost of the per-row audit triggers on bulk inserts (with and without an
 * import batch), audit verification, and duplicate detection over N synthetic persons.
 * Usage: bench-workflow [N] (default 100000). Prints one line per measure. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>

#include "geo-audit.h"
#include "geo-duplicates.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static const char *const first[] = { "siti", "sri",  "budi",   "agus",    "dewi",   "ahmad",
                                     "nur",  "eko",  "joko",   "rina",    "wahyu",  "tri",
                                     "dwi",  "yuli", "endang", "bambang", "slamet", "suparman" };
static const char *const last[] = { "aminah",    "wahyuni", "santoso",  "lestari", "hidayat",
                                    "setiawan",  "rahayu",  "susanto",  "purnomo", "handayani",
                                    "kurniawan", "saputra", "wulandari" };

static double
fill (GeoStore *store, guint n, gboolean as_import)
{
  GRand *rand = g_rand_new_with_seed (42);
  gint64 batch = 0;
  gint64 t0 = g_get_monotonic_time ();

  if (as_import)
    {
      sqlite3_exec (geo_store_get_db (store),
                    "INSERT INTO import_batch (kind, source) VALUES ('households', 'bench')",
                    NULL,
                    NULL,
                    NULL);
      batch = sqlite3_last_insert_rowid (geo_store_get_db (store));
    }
  geo_store_begin (store, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *desa = g_strdup_printf ("34.02.%02u.2%03u", 1 + (i % 300) / 20, i % 300);
      g_autofree char *name =
          g_strdup_printf ("%s %s",
                           first[g_rand_int_range (rand, 0, G_N_ELEMENTS (first))],
                           last[g_rand_int_range (rand, 0, G_N_ELEMENTS (last))]);
      g_autofree char *bd = g_strdup_printf ("%04d-%02d-%02d",
                                             g_rand_int_range (rand, 1940, 2020),
                                             g_rand_int_range (rand, 1, 13),
                                             g_rand_int_range (rand, 1, 29));
      GeoFamilyRecord  f = { .desa_code = desa,
                             .lon = 110.3 + g_rand_double (rand) * 0.5,
                             .lat = -7.9,
                             .loc_source = GEO_LOC_GPS,
                             .gps_accuracy_m = NAN,
                             .import_batch = batch };
      GeoPersonRecord  p = { .name = name, .birth_date = bd, .import_batch = batch };

      p.family_id = geo_store_insert_family (store, &f, NULL);
      geo_store_insert_membership (store,
                                   geo_store_insert_person (store, &p, NULL),
                                   24,
                                   NULL,
                                   NULL);
    }
  geo_store_commit (store, NULL);
  g_rand_free (rand);
  return (g_get_monotonic_time () - t0) / 1e6;
}

int
main (int argc, char **argv)
{
  guint            n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autofree char *dir = test_tmp_make_dir ("jangkau-bench-XXXXXX", NULL);

  {
    /* Baseline: schema version 2, before the workflow triggers existed. */
    g_autofree char *path = g_strdup_printf ("%s/base.jangkau", dir);
    g_autoptr(GeoStore) store = geo_store_open_at_version (path, 2, NULL);

    g_print ("insert %u families+persons+memberships, schema v2 (no triggers): %.2f s\n",
             n,
             fill (store, n, TRUE));
    g_unlink (path);
  }
  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree char *path = g_strdup_printf ("%s/b%d.jangkau", dir, pass);
      g_autoptr(GeoStore) store = geo_store_open (path, GEO_STORE_OPEN_CREATE, NULL);
      double        t = fill (store, n, pass == 0);
      gint64        entries = geo_store_count (store, "family", NULL);
      GeoAuditCheck check;
      gint64        t0;

      g_print ("insert %u families+persons+memberships, %s: %.2f s\n",
               n,
               pass == 0 ? "as an import (one summary entry)" : "audited per row",
               t);
      (void) entries;
      if (pass == 1)
        {
          t0 = g_get_monotonic_time ();
          geo_audit_verify (store, &check, NULL, NULL);
          g_print ("audit verify, %" G_GINT64_FORMAT " entries: %.2f s (broken: %" G_GINT64_FORMAT
                   ")\n",
                   check.n_entries,
                   (g_get_monotonic_time () - t0) / 1e6,
                   check.first_broken);
        }
      else
        {
          g_autoptr(GPtrArray) groups = NULL;

          t0 = g_get_monotonic_time ();
          groups = geo_duplicates_find (store, 0.9, NULL, NULL);
          g_print ("duplicates over %u persons (threshold 0.9): %.2f s, %u groups\n",
                   n,
                   (g_get_monotonic_time () - t0) / 1e6,
                   groups->len);
        }
      g_unlink (path);
    }
  return 0;
}
