#pragma once

/* Shared fixture of the workflow, audit and duplicates tests. */

#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

static inline char *
wf_temp_db (void)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-wf-XXXXXX", NULL);

  return g_build_filename (dir, "w.jangkau", NULL);
}

static inline gint64
wf_family (GeoStore *store, const char *kk, const char *desa)
{
  GeoFamilyRecord f = { .no_kk = kk,
                        .desa_code = desa,
                        .lon = 110.35,
                        .lat = -7.9,
                        .loc_source = GEO_LOC_GPS,
                        .gps_accuracy_m = NAN };
  GError         *error = NULL;
  gint64          id = geo_store_insert_family (store, &f, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static inline gint64
wf_person (GeoStore   *store,
           gint64      family,
           const char *nik,
           const char *name,
           const char *birth,
           int         category,
           const char *status)
{
  GeoPersonRecord p = { .family_id = family, .nik = nik, .name = name, .birth_date = birth };
  GError         *error = NULL;
  gint64          id = geo_store_insert_person (store, &p, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  if (category > 0)
    {
      g_assert_true (geo_store_insert_membership (store, id, category, status, &error));
      g_assert_no_error (error);
    }
  return id;
}

static inline gint64
wf_int (GeoStore *store, const char *sql, gint64 bind)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, bind);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static inline char *
wf_text (GeoStore *store, const char *sql, gint64 bind)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, bind);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Runs jangkau-cli with @args; returns the exit status, stdout and stderr. */
static inline int
wf_cli (const char *const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("JANGKAU_CLI");
  GError     *error = NULL;
  int         status = -1;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL,
                               (char **) argv->pdata,
                               NULL,
                               G_SPAWN_DEFAULT,
                               NULL,
                               NULL,
                               out,
                               err,
                               &status,
                               &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL)
             ? 0
             : (WIFEXITED (status) ? WEXITSTATUS (status) : 255);
}
