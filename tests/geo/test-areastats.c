#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "geo-areastats.h"
#include "geo-autocleanups.h"
#include "geo-error.h"
#include "geo-store-private.h"
#include "../test-tmp.h"

/* Four desa in a row, 0.1 degree squares, two per kecamatan:
 *   A 34.02.01.2001 [110.4, 110.5]   B 34.02.01.2002 [110.5, 110.6]
 *   C 34.02.02.2001 [110.6, 110.7]   D 34.02.02.2002 [110.7, 110.8]   (D stays empty)
 * latitudes [-8.0, -7.9]. A has a hole [110.41, 110.42] x [-7.99, -7.98]. */
typedef struct
{
  const char  *code;
  GeoAreaLevel level;
  const char  *wkt;
} AreaDef;

static const AreaDef areas[] = {
  { "34.02.01",
    GEO_AREA_KECAMATAN,
    "POLYGON ((110.4 -8, 110.6 -8, 110.6 -7.9, 110.4 -7.9, 110.4 -8))" },
  { "34.02.02",
    GEO_AREA_KECAMATAN,
    "POLYGON ((110.6 -8, 110.8 -8, 110.8 -7.9, 110.6 -7.9, 110.6 -8))" },
  { "34.02.01.2001",
    GEO_AREA_DESA,
    "POLYGON ((110.4 -8, 110.5 -8, 110.5 -7.9, 110.4 -7.9, 110.4 -8), "
    "(110.41 -7.99, 110.41 -7.98, 110.42 -7.98, 110.42 -7.99, 110.41 -7.99))" },
  { "34.02.01.2002",
    GEO_AREA_DESA,
    "POLYGON ((110.5 -8, 110.6 -8, 110.6 -7.9, 110.5 -7.9, 110.5 -8))" },
  { "34.02.02.2001",
    GEO_AREA_DESA,
    "MULTIPOLYGON (((110.6 -8, 110.7 -8, 110.7 -7.95, 110.6 -7.95, 110.6 -8)), "
    "((110.6 -7.95, 110.7 -7.95, 110.7 -7.9, 110.6 -7.9, 110.6 -7.95)))" },
  { "34.02.02.2002",
    GEO_AREA_DESA,
    "POLYGON ((110.7 -8, 110.8 -8, 110.8 -7.9, 110.7 -7.9, 110.7 -8))" },
};

typedef struct
{
  double       lon, lat;
  const char  *desa_code;
  GeoLocSource src;
  /* persons: categories as a bit mask, and whether they have a NIK */
  guint32  persons[4];
  gboolean no_nik[4];
  guint    n_persons;
} FamilyDef;

#define B(c) (1u << ((c) -1))

static const FamilyDef families[] = {
  /* f1: GPS just west of the A|B border, but recorded with B's code: the polygon wins -> A */
  { 110.49, -7.95, "34.02.01.2002", GEO_LOC_GPS, { B (24), B (24) | B (8) }, { FALSE, TRUE }, 2 },
  /* f2: just east of the border with A's code -> B */
  { 110.51, -7.95, "34.02.01.2001", GEO_LOC_GPS, { B (9) }, { FALSE }, 1 },
  /* f3: approximate (desa centroid) with B's code, lying in A -> B by code */
  { 110.45,
    -7.95,
    "34.02.01.2002",
    GEO_LOC_DESA_CENTROID,
    { B (24), B (24), B (24) },
    { FALSE, FALSE, TRUE },
    3 },
  /* f4: in C's second part */
  { 110.65, -7.92, "34.02.02.2001", GEO_LOC_GPS, { 0 }, { FALSE }, 1 },
  /* f5: outside every polygon, A's code -> A by code */
  { 110.95, -7.95, "34.02.01.2001", GEO_LOC_GPS, { B (24) }, { FALSE }, 1 },
  /* f6: outside every polygon, no code -> unassigned */
  { 110.95, -7.95, NULL, GEO_LOC_ADDRESS, { B (8) }, { FALSE }, 1 },
  /* f7: in A's hole, with D's code -> in no polygon -> D by code */
  { 110.415, -7.985, "34.02.02.2002", GEO_LOC_GPS, { B (2) }, { TRUE }, 1 },
};

static GeoStore *
build_store (char **dir_out)
{
  g_autofree char *dir = test_tmp_make_dir ("jangkau-areastats-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.jangkau", NULL);
  GError          *error = NULL;
  GeoStore        *store = geo_store_open (path, GEO_STORE_OPEN_CREATE, &error);
  int              nik_serial = 1;

  g_assert_no_error (error);
  g_assert_true (geo_store_begin (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      g_auto(GeoOgrGeometry) g = NULL;
      g_autofree guint8 *wkb = NULL;
      g_autofree char   *parent =
          g_strndup (areas[i].code, strrchr (areas[i].code, '.') - areas[i].code);
      char         *wkt = (char *) areas[i].wkt;
      GeoAreaRecord rec = { 0 };

      g_assert_cmpint (OGR_G_CreateFromWkt (&wkt, NULL, &g), ==, OGRERR_NONE);
      wkb = g_malloc (OGR_G_WkbSize (g));
      OGR_G_ExportToWkb (g, wkbNDR, wkb);
      rec.code = areas[i].code;
      rec.level = areas[i].level;
      rec.name = areas[i].code;
      rec.parent_code = parent;
      rec.population = -1;
      rec.wkb = wkb;
      rec.wkb_len = OGR_G_WkbSize (g);
      g_assert_cmpint (geo_store_insert_area (store, &rec, &error), >, 0);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      const FamilyDef *f = &families[i];
      GeoFamilyRecord  fr = { 0 };
      gint64           fid;

      fr.lon = f->lon;
      fr.lat = f->lat;
      fr.desa_code = f->desa_code;
      fr.loc_source = f->src;
      fr.gps_accuracy_m = NAN;
      fid = geo_store_insert_family (store, &fr, &error);
      g_assert_no_error (error);
      for (guint p = 0; p < f->n_persons; p++)
        {
          GeoPersonRecord pr = { 0 };
          char            nik[17];
          gint64          pid;

          g_snprintf (nik, sizeof nik, "340201010190%04d", nik_serial++);
          pr.family_id = fid;
          pr.nik = f->no_nik[p] ? NULL : nik;
          pid = geo_store_insert_person (store, &pr, &error);
          g_assert_no_error (error);
          for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
            if (f->persons[p] & B (c))
              g_assert_true (geo_store_insert_membership (store, pid, c, NULL, &error));
        }
    }
  g_assert_true (geo_store_commit (store, &error));
  *dir_out = g_steal_pointer (&dir);
  return store;
}

typedef struct
{
  const char *code;
  guint       families, persons, no_nik, approx_families, approx_persons;
  guint       p24, p8, p9, p2; /* persons per category */
  guint       f24;             /* families with category 24 */
} Expected;

static void
check_row (const GeoAreaCount *c, const Expected *e)
{
  g_test_message ("area %s", e->code ? e->code : "(unassigned)");
  g_assert_cmpstr (c->code, ==, e->code);
  g_assert_cmpuint (c->families, ==, e->families);
  g_assert_cmpuint (c->persons, ==, e->persons);
  g_assert_cmpuint (c->no_nik, ==, e->no_nik);
  g_assert_cmpuint (c->approx_families, ==, e->approx_families);
  g_assert_cmpuint (c->approx_persons, ==, e->approx_persons);
  g_assert_cmpuint (c->cat_persons[24 - 1], ==, e->p24);
  g_assert_cmpuint (c->cat_persons[8 - 1], ==, e->p8);
  g_assert_cmpuint (c->cat_persons[9 - 1], ==, e->p9);
  g_assert_cmpuint (c->cat_persons[2 - 1], ==, e->p2);
  g_assert_cmpuint (c->cat_families[24 - 1], ==, e->f24);
}

static void
remove_store (GeoStore *store, char *dir)
{
  g_autofree char *path = g_strdup (geo_store_get_path (store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_object_unref (store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
  g_free (dir);
}

static void
test_by_desa (void)
{
  char     *dir = NULL;
  GeoStore *store = build_store (&dir);
  g_autoptr(GeoAreaStats) stats = NULL;
  GError               *error = NULL;
  static const Expected expected[] = {
    /* A: f1 (by polygon, 2 persons) + f5 (by code, 1) */
    { "34.02.01.2001", 2, 3, 1, 0, 0, 3, 1, 0, 0, 2 },
    /* B: f2 (by polygon) + f3 (approximate, by code) */
    { "34.02.01.2002", 2, 4, 1, 1, 3, 3, 0, 1, 0, 1 },
    /* C: f4 */
    { "34.02.02.2001", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
    /* D: f7 (in A's hole: by code) */
    { "34.02.02.2002", 1, 1, 1, 0, 0, 0, 0, 0, 1, 0 },
  };
  static const Expected unassigned = { NULL, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0 };
  static const Expected total = { NULL, 7, 10, 3, 1, 3, 6, 2, 1, 1, 3 };

  stats = geo_area_stats_compute (store, GEO_AREA_DESA, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_areas, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    check_row (&stats->areas[i], &expected[i]);
  check_row (&stats->unassigned, &unassigned);
  check_row (&stats->total, &total);
  g_assert_cmpuint (stats->by_polygon, ==, 3); /* f1, f2, f4 */
  g_assert_cmpuint (stats->by_code, ==, 3);    /* f3, f5, f7 */
  remove_store (store, dir);
}

static void
test_by_kecamatan (void)
{
  char     *dir = NULL;
  GeoStore *store = build_store (&dir);
  g_autoptr(GeoAreaStats) stats = NULL;
  GError               *error = NULL;
  static const Expected expected[] = {
    { "34.02.01", 4, 7, 2, 1, 3, 6, 1, 1, 0, 3 },
    { "34.02.02", 2, 2, 1, 0, 0, 0, 0, 0, 1, 0 },
  };

  stats = geo_area_stats_compute (store, GEO_AREA_KECAMATAN, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_areas, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    check_row (&stats->areas[i], &expected[i]);
  g_assert_cmpuint (stats->unassigned.families, ==, 1);
  remove_store (store, dir);
}

static void
test_filtered (void)
{
  char     *dir = NULL;
  GeoStore *store = build_store (&dir);
  g_autoptr(GeoAreaStats) stats = NULL;
  g_autoptr(GeoFilter) filter = geo_filter_new ();
  GError *error = NULL;
  /* Fakir miskin only: f1 (2 persons), f3 (3), f5 (1). */
  static const Expected expected[] = {
    { "34.02.01.2001", 2, 3, 1, 0, 0, 3, 1, 0, 0, 2 },
    { "34.02.01.2002", 1, 3, 1, 1, 3, 3, 0, 0, 0, 1 },
    { "34.02.02.2001", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "34.02.02.2002", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
  };

  g_assert_true (geo_filter_add_category (filter, "Fakir Miskin", &error));
  stats = geo_area_stats_compute (store, GEO_AREA_DESA, filter, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_areas, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    check_row (&stats->areas[i], &expected[i]);
  g_assert_cmpuint (stats->unassigned.families, ==, 0);
  remove_store (store, dir);
}

typedef struct
{
  double lon, lat;
  int    expected; /* index in code order, -1 none */
} LocateCase;

static void
test_locate (void)
{
  char     *dir = NULL;
  GeoStore *store = build_store (&dir);
  g_autoptr(GeoAreaIndex) index = NULL;
  GError                 *error = NULL;
  static const LocateCase cases[] = {
    { 110.4999, -7.95, 0 }, { 110.5001, -7.95, 1 },  { 110.65, -7.97, 2 },  { 110.65, -7.93, 2 },
    { 110.75, -7.95, 3 },   { 110.415, -7.985, -1 }, /* hole */
    { 110.405, -7.985, 0 }, { 110.45, -8.01, -1 },   { 110.85, -7.95, -1 }, { 100.0, 0.0, -1 },
  };

  index = geo_area_index_load (store, GEO_AREA_DESA, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (geo_area_index_get_n_areas (index), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%.4f %.4f", cases[i].lon, cases[i].lat);
      g_assert_cmpint (geo_area_index_locate (index, cases[i].lon, cases[i].lat),
                       ==,
                       cases[i].expected);
    }
  g_assert_cmpint (geo_area_index_lookup (index, "34.02.02.2001"), ==, 2);
  g_assert_cmpint (geo_area_index_lookup (index, "34.02.02.2003"), ==, -1);
  /* A: 0.01 square degrees minus its 0.0001 hole. */
  g_assert_cmpfloat_with_epsilon (geo_area_index_get_area_deg2 (index, 0), 0.0099, 1e-9);
  remove_store (store, dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  g_test_add_func ("/geo/areastats/locate", test_locate);
  g_test_add_func ("/geo/areastats/by-desa", test_by_desa);
  g_test_add_func ("/geo/areastats/by-kecamatan", test_by_kecamatan);
  g_test_add_func ("/geo/areastats/filtered", test_filtered);
  return g_test_run ();
}
