#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "geo-autocleanups.h"
#include "geo-coverage.h"
#include "geo-programme.h"
#include "geo-store-private.h"

/* bench-coverage DB N_VISITS: a programme over every kecamatan with every person listed, N
 * visits logged (one transaction), then the time to load the coverage and to compute it per
 * desa, per kecamatan and at 40 dates (the rollout board's chart). Changes DB: use a copy. */

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = NULL;
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  g_autoptr(GeoCoverage) cov = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *name = NULL;
  gint64           id, t0;
  guint            added = 0, n_visits, i = 0;

  if (argc != 3)
    {
      g_printerr ("usage: bench-coverage DB N_VISITS\n");
      return 2;
    }
  n_visits = (guint) atoi (argv[2]);
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  name = g_strdup_printf ("Bench %" G_GINT64_FORMAT, g_get_real_time ());
  id = geo_programme_create (store, name, 0, "2026-01-01", NULL, &error);
  g_assert_no_error (error);
  stmt = geo_store_prepare (store, "SELECT code FROM area WHERE level = 'kecamatan'", &error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!geo_programme_add_area (store,
                                 id,
                                 (const char *) sqlite3_column_text (stmt, 0),
                                 NULL,
                                 NULL,
                                 NULL,
                                 -1,
                                 &error))
      g_error ("%s", error->message);
  g_clear_pointer (&stmt, sqlite3_finalize);

  t0 = g_get_monotonic_time ();
  if (!geo_store_begin (store, &error) ||
      !geo_programme_add_targets (store, id, filter, NULL, &added, NULL, &error) ||
      !geo_store_commit (store, &error))
    g_error ("%s", error->message);
  printf ("add-targets: %u persons in %.2f s\n", added, (g_get_monotonic_time () - t0) / 1e6);

  /* Visits and verifications in bulk SQL (geo_visit_log() applies status effects one visit at a
   * time, which is not what is measured here); the triggers still audit every row. */
  t0 = g_get_monotonic_time ();
  if (!geo_store_begin (store, &error))
    g_error ("%s", error->message);
  stmt = geo_store_prepare (store,
                            "INSERT INTO visit (family_id, visit_date, outcome, operator) "
                            "SELECT id, printf ('2026-%02d-%02d', 1 + abs (random ()) % 10, "
                            "1 + abs (random ()) % 28), CASE abs (random ()) % 8 WHEN 0 THEN 9 "
                            "WHEN 1 THEN 8 WHEN 2 THEN 2 WHEN 3 THEN 3 ELSE 1 END, 'admin' "
                            "FROM family ORDER BY random () LIMIT ?",
                            &error);
  sqlite3_bind_int (stmt, 1, (int) n_visits);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("visits: %s", sqlite3_errmsg (geo_store_get_db (store)));
  i = (guint) sqlite3_changes (geo_store_get_db (store));
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = geo_store_prepare (store,
                            "UPDATE membership SET status = 'verifikasi', since = printf "
                            "('2026-%02d-%02d', 1 + abs (random ()) % 10, 1 + abs (random ()) % "
                            "28) WHERE status = 'entri' AND abs (random ()) % 2 = 0",
                            &error);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("status: %s", sqlite3_errmsg (geo_store_get_db (store)));
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!geo_store_commit (store, &error))
    g_error ("%s", error->message);
  printf ("visits: %u inserted (and half the entri memberships verified) in %.2f s\n",
          i,
          (g_get_monotonic_time () - t0) / 1e6);

  t0 = g_get_monotonic_time ();
  cov = geo_coverage_load (store, id, NULL, &error);
  g_assert_no_error (error);
  printf ("load: %u persons in %.2f s\n",
          geo_coverage_get_n_persons (cov),
          (g_get_monotonic_time () - t0) / 1e6);
  t0 = g_get_monotonic_time ();
  rows = geo_coverage_compute (cov, "2026-06-30", GEO_COVERAGE_BY_DESA, NULL, &error);
  g_assert_no_error (error);
  printf ("compute by desa: %u rows in %.3f s\n", rows->len, (g_get_monotonic_time () - t0) / 1e6);
  t0 = g_get_monotonic_time ();
  for (guint k = 0; k < 40; k++)
    {
      g_autofree char *at = g_strdup_printf ("2026-%02u-15", 1 + k % 12);
      g_autoptr(GPtrArray) kec =
                     geo_coverage_compute (cov, at, GEO_COVERAGE_BY_KECAMATAN, NULL, &error);

      g_assert_no_error (error);
    }
  printf ("compute by kecamatan at 40 dates: %.2f s\n", (g_get_monotonic_time () - t0) / 1e6);
  return 0;
}
