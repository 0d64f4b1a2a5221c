/* The persons table's queries and a record edit on a big project (docs/app.md "Editing
 * records"). Usage: bench-records PROJECT [REPEATS]. Prints the median wall time of each
 * geo_person_query filter and of a validated, audited geo_person_save. */
#include "config.h"

#include <stdlib.h>

#include "geo-edit.h"
#include "geo-person-query.h"
#include "geo-records.h"
#include "geo-store.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GeoStore) store = NULL;
  guint repeats = argc > 2 ? (guint) atoi (argv[2]) : 3;

  struct
  {
    const char     *label;
    GeoPersonFilter f;
  } cases[] = {
    { "everybody, record order", { NULL, 0, NULL, NULL, -1, GEO_PERSON_SORT_ID, FALSE } },
    { "text 'wahyu'", { "wahyu", 0, NULL, NULL, -1, GEO_PERSON_SORT_ID, FALSE } },
    { "PMKS 24", { NULL, 1u << 23, NULL, NULL, -1, GEO_PERSON_SORT_ID, FALSE } },
    { "status entri", { NULL, 0, "entri", NULL, -1, GEO_PERSON_SORT_ID, FALSE } },
    { "kecamatan 34.02.05", { NULL, 0, NULL, "34.02.05", -1, GEO_PERSON_SORT_ID, FALSE } },
    { "location GPS", { NULL, 0, NULL, NULL, GEO_LOC_GPS, GEO_PERSON_SORT_ID, FALSE } },
    { "sort by name", { NULL, 0, NULL, NULL, -1, GEO_PERSON_SORT_NAME, FALSE } },
    { "sort by desa, descending", { NULL, 0, NULL, NULL, -1, GEO_PERSON_SORT_DESA, TRUE } },
    { "sort by status", { NULL, 0, NULL, NULL, -1, GEO_PERSON_SORT_STATUS, FALSE } },
    { "PMKS 9 + kecamatan + by name",
      { NULL, 1u << 8, NULL, "34.02.05", -1, GEO_PERSON_SORT_NAME, FALSE } },
  };

  double *t = g_new (double, repeats);

  if (argc < 2)
    {
      g_printerr ("usage: %s PROJECT [REPEATS]\n", argv[0]);
      return 2;
    }
  store = geo_store_open (argv[1], GEO_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  g_print ("%" G_GINT64_FORMAT " persons, median of %u runs\n",
           geo_store_count (store, "person", NULL),
           repeats);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n = 0;

      for (guint r = 0; r < repeats; r++)
        {
          gint64  t0 = g_get_monotonic_time ();
          gint64 *ids = geo_person_query (store, &cases[c].f, &n, NULL, &error);

          if (ids == NULL)
            g_error ("%s", error->message);
          t[r] = (g_get_monotonic_time () - t0) / 1e6;
          g_free (ids);
        }
      g_print ("%-32s %9" G_GSIZE_FORMAT " rows %7.3f s\n", cases[c].label, n, median (t, repeats));
    }
  {
    /* Person 1000: its own values again with a new relation, saved and audited. */
    g_autoptr(GeoFamilyDetails) d = NULL;
    gint64           person = 1000, family;
    g_autofree char *rel = NULL;

    for (guint r = 0; r < repeats; r++)
      {
        gint64       t0 = g_get_monotonic_time ();
        GeoPersonRow row = { 0 };
        g_autoptr(GeoPersonReader) reader = geo_person_reader_new (store, &error);
        const GeoMember *m = NULL;
        GeoPersonEdit    e;

        g_assert_true (geo_person_reader_get (reader, person, &row, &error));
        family = row.family_id;
        geo_person_row_clear (&row);
        g_clear_pointer (&d, geo_family_details_free);
        d = geo_family_details_load (store, family, &error);
        for (guint i = 0; i < d->n_members; i++)
          if (d->members[i].id == person)
            m = &d->members[i];
        g_free (rel);
        rel = g_strdup_printf ("Anak %u", r);
        e = (GeoPersonEdit){ m->nik, m->name, m->sex, m->birth_date, rel, m->categories };
        if (!geo_person_save (store, person, 0, &e, NULL, &error))
          g_error ("%s", error->message);
        t[r] = (g_get_monotonic_time () - t0) / 1e6;
      }
    g_print ("%-32s %9s      %7.4f s\n",
             "load + validate + save a person",
             "",
             median (t, repeats));
  }
  g_free (t);
  return 0;
}
