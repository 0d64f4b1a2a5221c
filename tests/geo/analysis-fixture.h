#pragma once

/* A small hand-made project shared by test-nearest and test-underserved.
 *
 * Resources (PSKS type, serves, radius):
 *   R1  LKS (4)           110.300, -7.900  serves 24      radius 1000
 *   R2  Karang Taruna (5) 110.310, -7.900  serves all     radius NULL (default 5000)
 *   R3  TKSK (11)         110.400, -7.800  serves 9       radius 20000
 * Families (desa) and persons (categories):
 *   F1 34.02.01.2001  110.301, -7.900   P1 {24}   P2 {24, 9}
 *   F2 34.02.01.2001  110.350, -7.850   P3 {9}
 *   F3 34.02.01.2002  110.500, -7.700   P4 {8}    P5 {}
 *   F4 34.02.01.2002  110.360, -7.900   P6 {24, 8}
 * Desa 34.02.01.2001 has a polygon; 34.02.01.2003 has one and no persons.
 */

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>

#include "../test-tmp.h"

#include "geo-store.h"

typedef struct
{
  int         type;
  const char *name;
  double      lon, lat, radius;
  int         serves[2];
  const char *desa;
} FixResource;

static const FixResource fix_resources[] = {
  { 4, "LKS Sejahtera", 110.300, -7.900, 1000, { 24, 0 }, "34.02.01.2001" },
  { 5, "Karang Taruna Maju", 110.310, -7.900, NAN, { 0, 0 }, "34.02.01.2001" },
  { 11, "TKSK Sewon", 110.400, -7.800, 20000, { 9, 0 }, NULL },
};

static const struct
{
  const char *desa;
  double      lon, lat;
  int         persons[2][2];
  guint       n_persons;
} fix_families[] = {
  { "34.02.01.2001", 110.301, -7.900, { { 24, 0 }, { 24, 9 } }, 2 },
  { "34.02.01.2001", 110.350, -7.850, { { 9, 0 } }, 1 },
  { "34.02.01.2002", 110.500, -7.700, { { 8, 0 }, { 0, 0 } }, 2 },
  { "34.02.01.2002", 110.360, -7.900, { { 24, 8 } }, 1 },
};

static void
fix_add_area (GeoStore *store, const char *code, const char *name, const char *wkt)
{
  OGRGeometryH       g = NULL;
  char              *w = (char *) wkt;
  g_autofree guint8 *wkb = NULL;
  GeoAreaRecord      a = {
         .code = code, .level = GEO_AREA_DESA, .name = name, .parent_code = "34.02.01", .population = -1
  };

  g_assert_cmpint (OGR_G_CreateFromWkt (&w, NULL, &g), ==, OGRERR_NONE);
  a.wkb_len = OGR_G_WkbSize (g);
  wkb = g_malloc (a.wkb_len);
  OGR_G_ExportToWkb (g, wkbNDR, wkb);
  a.wkb = wkb;
  g_assert_cmpint (geo_store_insert_area (store, &a, NULL), >, 0);
  OGR_G_DestroyGeometry (g);
}

/* Creates the project in a new temporary directory; *path receives the file name. */
static GeoStore *
fix_store (char **path)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-analysis-XXXXXX", NULL);
  GeoStore        *store;
  GError          *error = NULL;

  *path = g_build_filename (dir, "fix.jangkau", NULL);
  store = geo_store_open (*path, GEO_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  fix_add_area (store,
                "34.02.01.2001",
                "Desa Satu",
                "POLYGON ((110.29 -7.91, 110.36 -7.91, 110.36 -7.84, 110.29 -7.84, 110.29 -7.91))");
  fix_add_area (store,
                "34.02.01.2003",
                "Desa Tiga",
                "POLYGON ((110.6 -7.6, 110.7 -7.6, 110.7 -7.5, 110.6 -7.6))");
  for (guint i = 0; i < G_N_ELEMENTS (fix_resources); i++)
    {
      const FixResource *r = &fix_resources[i];
      GeoResourceRecord  rec = { .type = r->type,
                                 .name = r->name,
                                 .capacity = -1,
                                 .radius_m = r->radius,
                                 .desa_code = r->desa,
                                 .lon = r->lon,
                                 .lat = r->lat,
                                 .serves = r->serves,
                                 .n_serves = r->serves[0] != 0 };

      g_assert_cmpint (geo_store_insert_resource (store, &rec, &error), ==, i + 1);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fix_families); i++)
    {
      GeoFamilyRecord f = { .desa_code = fix_families[i].desa,
                            .lon = fix_families[i].lon,
                            .lat = fix_families[i].lat,
                            .loc_source = GEO_LOC_GPS,
                            .gps_accuracy_m = NAN };
      gint64          fid = geo_store_insert_family (store, &f, &error);

      g_assert_no_error (error);
      for (guint p = 0; p < fix_families[i].n_persons; p++)
        {
          GeoPersonRecord rec = { .family_id = fid, .name = "X" };
          gint64          pid = geo_store_insert_person (store, &rec, &error);

          g_assert_no_error (error);
          for (guint c = 0; c < 2; c++)
            if (fix_families[i].persons[p][c] != 0)
              g_assert_true (geo_store_insert_membership (store,
                                                          pid,
                                                          fix_families[i].persons[p][c],
                                                          "entri",
                                                          NULL));
        }
    }
  return store;
}

/* Runs $JANGKAU_CLI with the arguments; returns the exit status, stdout and stderr. */
static int
fix_run_cli (char **out, char **err, ...)
{
  const char *cli = g_getenv ("JANGKAU_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GError *error = NULL;
  int     status = -1;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, err);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
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
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}
