#include "config.h"

#include <math.h>
#include <string.h>

#include "geo-areastats.h"
#include "geo-autocleanups.h"
#include "geo-demo.h"
#include "geo-error.h"
#include "geo-import-areas.h"
#include "geo-store-private.h"

/* Everything the generator writes is a function of the seed: no clock, no locale. The
 * reference date of the register is fixed; ages are computed against it. */
#define REFERENCE_YEAR 2025
#define DEMO_CREATED_AT "2025-01-02T08:00:00Z"

/* ---- name lists (common Javanese and Indonesian names) ---- */

static const char *const old_male[] = {
  "Sutrisno", "Suparman", "Sukirno", "Paijo",   "Wagiman",  "Tukiman", "Sugeng",  "Slamet",
  "Sumarno",  "Mujiono",  "Darmadi", "Ngatijo", "Karjo",    "Sarjono", "Waluyo",  "Surono",
  "Suyanto",  "Purwanto", "Kasiman", "Sukardi", "Parjiman", "Sastro",  "Marjuki", "Ponijan",
  "Tugiyo",   "Wiyono",   "Harjono", "Sadiman", "Giyono",   "Rusdi",   "Bejo",    "Kardi",
};

static const char *const young_male[] = {
  "Budi",     "Joko",   "Bambang", "Agus",   "Hadi",  "Wahyudi", "Heru",   "Teguh",
  "Eko",      "Dwi",    "Tri",     "Edi",    "Yanto", "Rudi",    "Wawan",  "Ahmad",
  "Muhammad", "Rizky",  "Fajar",   "Dimas",  "Bayu",  "Aditya",  "Andi",   "Arif",
  "Hendra",   "Gilang", "Yoga",    "Rahmat", "Galih", "Arya",    "Bagas",  "Danang",
  "Fikri",    "Hafiz",  "Ilham",   "Krisna", "Nanda", "Rafi",    "Satria", "Wisnu",
};

static const char *const old_female[] = {
  "Sumini",   "Suginem", "Painem",  "Tukinem",  "Sulastri", "Suparmi",  "Wartini", "Sutinah",
  "Ngatinem", "Rubiyem", "Suharti", "Sukarni",  "Tumini",   "Parmi",    "Sarinah", "Wagiyem",
  "Jumini",   "Kasinah", "Ponirah", "Sumiyati", "Tuginah",  "Marsinah", "Giyem",   "Warsini",
};

static const char *const young_female[] = {
  "Siti",   "Sri",    "Endang",    "Tri",   "Dwi",   "Eka",   "Rina",    "Yuni",
  "Wulan",  "Dewi",   "Ani",       "Ratna", "Puji",  "Nur",   "Ayu",     "Putri",
  "Nabila", "Aisyah", "Salsabila", "Anisa", "Fitri", "Indah", "Kartika", "Lina",
  "Maya",   "Novi",   "Rini",      "Tika",  "Umi",   "Vina",  "Zahra",   "Dinda",
};

static const char *const male_second[] = {
  "Santoso", "Wibowo",    "Susanto",    "Prasetyo", "Nugroho", "Setiawan", "Hidayat",  "Saputra",
  "Pratama", "Kurniawan", "Wijaya",     "Purnomo",  "Utomo",   "Handoko",  "Raharjo",  "Sulistyo",
  "Mulyono", "Haryanto",  "Firmansyah", "Ramadhan", "Maulana", "Nugraha",  "Priyanto", "Subagyo",
};

static const char *const female_second[] = {
  "Lestari",     "Rahayu",  "Wulandari", "Handayani",  "Purwaningsih", "Sari",
  "Astuti",      "Susanti", "Rahmawati", "Kusumawati", "Safitri",      "Maharani",
  "Aminah",      "Fatimah", "Khasanah",  "Mulyani",    "Pertiwi",      "Anggraini",
  "Puspitasari", "Ningsih", "Utami",     "Wahyuni",    "Hartini",      "Suryani",
};

static const char *const dusun_names[] = {
  "Krapyak",    "Ngentak",   "Karanganyar", "Jetis",      "Kauman",  "Sorogenen", "Gedongan",
  "Kadipiro",   "Ngablak",   "Tegalrejo",   "Sumberan",   "Bulak",   "Glondong",  "Plembon",
  "Kalakan",    "Serut",     "Pandes",      "Tembi",      "Kweni",   "Ngoto",     "Cepit",
  "Sanggrahan", "Manding",   "Jodog",       "Karangasem", "Bendo",   "Gunturan",  "Kebon",
  "Sawahan",    "Pelemsewu", "Demangan",    "Mangiran",   "Dadapan", "Tangkilan", "Ngasem",
  "Kembang",    "Mriyan",    "Soka",        "Gupakan",    "Celep",
};

static const char *const statuses[] = { "usulan", "entri", "verifikasi", "disetujui" };
static const double      status_weights[] = { 0.05, 0.15, 0.20, 0.60 };

/* ---- random helpers ---- */

static int
rnd_int (GRand *r, int lo, int hi) /* inclusive */
{
  return hi <= lo ? lo : g_rand_int_range (r, lo, hi + 1);
}

static gboolean
rnd_bool (GRand *r, double p)
{
  return g_rand_double (r) < p;
}

static double
rnd_gauss (GRand *r)
{
  double u1 = g_rand_double (r), u2 = g_rand_double (r);

  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

#define PICK(r, list) ((list)[g_rand_int_range ((r), 0, G_N_ELEMENTS (list))])

static int
rnd_weighted (GRand *r, const double *w, int n)
{
  double total = 0, x;

  for (int i = 0; i < n; i++)
    total += w[i];
  x = g_rand_double (r) * total;
  for (int i = 0; i < n; i++)
    {
      if (x < w[i])
        return i;
      x -= w[i];
    }
  return n - 1;
}

static int
days_in_month (int year, int month)
{
  return g_date_get_days_in_month (month, year);
}

/* ---- data files ---- */

/**
 * geo_demo_data_dirs:
 *
 * Where the demo looks for boundary files, in order: the repository's `data/demo`, the
 * installed `$datadir/jangkau/demo`, `$JANGKAU_SHARED_DATA/boundaries`, and the shared data
 * directory configured at build time (`../shared/data/boundaries` beside the source).
 */
GStrv
geo_demo_data_dirs (void)
{
  GPtrArray  *dirs = g_ptr_array_new ();
  const char *env = g_getenv ("JANGKAU_SHARED_DATA");

  g_ptr_array_add (dirs, g_build_filename (SOURCE_DATA_DIR, "demo", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "demo", NULL));
  if (env != NULL && *env != '\0')
    g_ptr_array_add (dirs, g_build_filename (env, "boundaries", NULL));
  g_ptr_array_add (dirs, g_build_filename (SHARED_DATA_DIR, "boundaries", NULL));
  g_ptr_array_add (dirs, NULL);
  return (GStrv) g_ptr_array_free (dirs, FALSE);
}

/* "3402_bantul_kecamatan.geojson" matches "bantul", "3402", "34.02". */
static gboolean
stem_matches (const char *stem, const char *area)
{
  const char      *us = strchr (stem, '_');
  g_autofree char *code = NULL;
  g_autofree char *digits = NULL;
  g_autoptr(GString) want = g_string_new (NULL);

  if (us == NULL)
    return FALSE;
  code = g_strndup (stem, us - stem);
  if (g_ascii_strcasecmp (us + 1, area) == 0)
    return TRUE;
  for (const char *p = area; *p; p++)
    if (*p != '.')
      g_string_append_c (want, *p);
  return strcmp (code, want->str) == 0;
}

gboolean
geo_demo_find_boundaries (
    const char *area, const char *data_dir, char **kecamatan_file, char **desa_file, GError **error)
{
  static const char kec_suffix[] = "_kecamatan.geojson";
  g_auto(GStrv) dirs = NULL;

  if (area == NULL)
    area = GEO_DEMO_DEFAULT_AREA;
  if (data_dir != NULL)
    {
      dirs = g_new0 (char *, 2);
      dirs[0] = g_strdup (data_dir);
    }
  else
    dirs = geo_demo_data_dirs ();

  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      /* Directory order is not defined: sort for a deterministic choice. */
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      for (guint i = 0; i < names->len; i++)
        {
          const char      *n = names->pdata[i];
          g_autofree char *stem = NULL;
          g_autofree char *desa_name = NULL;
          g_autofree char *desa_path = NULL;

          if (!g_str_has_suffix (n, kec_suffix))
            continue;
          stem = g_strndup (n, strlen (n) - strlen (kec_suffix));
          if (!stem_matches (stem, area))
            continue;
          desa_name = g_strconcat (stem, "_desa_kelurahan.geojson", NULL);
          desa_path = g_build_filename (dirs[d], desa_name, NULL);
          if (!g_file_test (desa_path, G_FILE_TEST_IS_REGULAR))
            continue;
          *kecamatan_file = g_build_filename (dirs[d], n, NULL);
          *desa_file = g_steal_pointer (&desa_path);
          return TRUE;
        }
    }
  {
    g_autofree char *list = g_strjoinv (", ", dirs);
    g_set_error (error,
                 GEO_ERROR,
                 GEO_ERROR_NOT_FOUND,
                 "no boundary files for the demo area “%s” (looked for "
                 "*_%s_kecamatan.geojson and *_desa_kelurahan.geojson in %s; set "
                 "JANGKAU_SHARED_DATA to the shared data directory)",
                 area,
                 area,
                 list);
  }
  return FALSE;
}

void
geo_demo_report_clear (GeoDemoReport *report)
{
  g_clear_pointer (&report->kecamatan_file, g_free);
  g_clear_pointer (&report->desa_file, g_free);
  memset (report, 0, sizeof *report);
}

/* ---- generator ---- */

typedef struct
{
  GeoPoint    centre;
  double      sigma_m; /* spread of the houses around the centre */
  double      weight;
  const char *name;
} Settlement;

typedef struct
{
  guint       index; /* in the desa GeoAreaIndex */
  const char *code;
  const char *name;
  const char *kec_name;
  char        region[7]; /* PPKKCC of the kecamatan, the NIK's region part */
  GeoPoint    centroid;
  Settlement  settlements[8];
  guint       n_settlements;
  guint       households;
} Desa;

typedef struct
{
  char        sex; /* 'L' / 'P' */
  int         age;
  int         year, month, day;
  const char *relation;
  char        name[64];
  guint32     mask;
} Member;

typedef struct
{
  GeoStore           *store;
  GRand              *rand;
  const GeoAreaIndex *desa_index;
  GHashTable         *serials; /* gint64 (region * 10^6 + ddmmyy) -> last serial */
  GeoDemoReport      *report;
} Gen;

static void
random_name (Gen *g, char sex, int age, char *out, gsize size)
{
  GRand      *r = g->rand;
  gboolean    old = age >= 50;
  const char *first;

  if (sex == 'L')
    first = old && rnd_bool (r, 0.7) ? PICK (r, old_male) : PICK (r, young_male);
  else
    first = old && rnd_bool (r, 0.7) ? PICK (r, old_female) : PICK (r, young_female);
  /* Older Javanese often carry a single name; younger people mostly two. */
  if (rnd_bool (r, old ? 0.35 : 0.85))
    g_snprintf (out,
                size,
                "%s %s",
                first,
                sex == 'L' ? PICK (r, male_second) : PICK (r, female_second));
  else
    g_snprintf (out, size, "%s", first);
}

static void
random_birth (Gen *g, Member *m)
{
  m->year = REFERENCE_YEAR - 1 - m->age;
  m->month = rnd_int (g->rand, 1, 12);
  m->day = rnd_int (g->rand, 1, days_in_month (m->year, m->month));
}

static Member *
add_member (Gen *g, GArray *members, char sex, int age, const char *relation)
{
  Member m = { 0 };

  m.sex = sex;
  m.age = CLAMP (age, 0, 99);
  m.relation = relation;
  random_birth (g, &m);
  random_name (g, sex, m.age, m.name, sizeof m.name);
  g_array_append_val (members, m);
  return &g_array_index (members, Member, members->len - 1);
}

/* A 16-digit identifier PPKKCC DDMMYY SSSS with a serial unique for its first 12 digits. */
static void
make_id (Gen *g, const char *region, int day, int month, int year, char out[17])
{
  gint64 key =
      g_ascii_strtoll (region, NULL, 10) * 1000000 + day * 10000 + month * 100 + year % 100;
  gpointer value = NULL;
  guint    serial;

  if (g_hash_table_lookup_extended (g->serials, &key, NULL, &value))
    serial = GPOINTER_TO_UINT (value) + 1;
  else
    serial = 1;
  g_hash_table_insert (g->serials, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (serial));
  g_snprintf (out, 17, "%s%02d%02d%02d%04u", region, day, month, year % 100, serial % 10000);
}

static void
add_category (Member *m, int code)
{
  m->mask |= 1u << (code - 1);
}

/* Builds one family's members with ages consistent with their relation to the head. */
static void
make_members (Gen *g, GArray *members, gboolean *female_head)
{
  GRand              *r = g->rand;
  Member             *head, *spouse = NULL;
  int                 mother_age = -1, father_age = -1;
  int                 n_children;
  static const double child_w[] = { 0.22, 0.25, 0.28, 0.15, 0.07, 0.03 };

  *female_head = rnd_bool (r, 0.18);
  /* Heads 22-85, denser in the middle. */
  {
    int age = 22 + (int) ((g_rand_double (r) + g_rand_double (r) + g_rand_double (r)) / 3 * 63);
    head = add_member (g, members, *female_head ? 'P' : 'L', age, "Kepala Keluarga");
  }
  if (!*female_head && rnd_bool (r, 0.86))
    spouse = add_member (g, members, 'P', MAX (18, head->age - rnd_int (r, -2, 9)), "Istri");
  /* add_member may move the array: re-read the head. */
  head = &g_array_index (members, Member, 0);
  if (*female_head)
    mother_age = head->age;
  else
    {
      father_age = head->age;
      if (spouse != NULL)
        mother_age = g_array_index (members, Member, 1).age;
    }

  n_children = rnd_weighted (r, child_w, G_N_ELEMENTS (child_w));
  for (int c = 0; c < n_children; c++)
    {
      int parent_age = mother_age >= 0 ? mother_age : father_age;
      int min_gap = mother_age >= 0 ? 18 : 20;
      int max_gap = mother_age >= 0 ? MIN (42, parent_age) : MIN (50, parent_age);
      int gap, age;

      if (parent_age - min_gap < 0 || max_gap < min_gap)
        break;
      gap = rnd_int (r, min_gap, max_gap);
      age = parent_age - gap;
      if (age > 32) /* grown-up children mostly have their own KK */
        continue;
      add_member (g, members, rnd_bool (r, 0.5) ? 'L' : 'P', age, "Anak");
    }

  head = &g_array_index (members, Member, 0);
  if (head->age < 55 && rnd_bool (r, 0.10))
    {
      int age = head->age + rnd_int (r, 20, 34);
      if (age <= 95)
        add_member (g,
                    members,
                    rnd_bool (r, 0.65) ? 'P' : 'L',
                    age,
                    rnd_bool (r, 0.6) ? "Orang Tua" : "Mertua");
    }
  head = &g_array_index (members, Member, 0);
  if (head->age >= 50 && rnd_bool (r, 0.18))
    {
      int max_age = head->age - 38;
      if (max_age >= 0)
        add_member (g,
                    members,
                    rnd_bool (r, 0.5) ? 'L' : 'P',
                    rnd_int (r, 0, MIN (max_age, 14)),
                    "Cucu");
    }
}

/* PMKS categories at plausible rates: most registered families are poor (24), and a family
 * often has several members in a category. */
static void
assign_categories (Gen *g, GArray *members, gboolean female_head)
{
  GRand   *r = g->rand;
  gboolean poor = rnd_bool (r, 0.72);
  gboolean disaster = rnd_bool (r, 0.012);
  gboolean psycho = rnd_bool (r, 0.012);
  gboolean social_disaster = rnd_bool (r, 0.001);
  gboolean any = FALSE;
  int      oldest = 0;

  for (guint i = 0; i < members->len; i++)
    {
      Member  *m = &g_array_index (members, Member, i);
      gboolean child = m->age < 18;

      if (poor && (i == 0 || rnd_bool (r, 0.85)))
        add_category (m, 24);
      if (m->age >= 60 && rnd_bool (r, poor ? 0.30 : 0.15))
        add_category (m, 8);
      if (!child && rnd_bool (r, m->age >= 60 ? 0.08 : 0.03))
        add_category (m, 9);
      if (child && rnd_bool (r, 0.015))
        add_category (m, 5);
      if (m->age < 5 && poor && rnd_bool (r, 0.03))
        add_category (m, 1);
      if (m->age >= 5 && child && poor && rnd_bool (r, 0.05))
        add_category (m, 2);
      if (m->age >= 12 && child && rnd_bool (r, 0.002))
        add_category (m, 3);
      if (m->age >= 8 && child && poor && rnd_bool (r, 0.002))
        add_category (m, 4);
      if (child && rnd_bool (r, 0.003))
        add_category (m, 6);
      if (child && rnd_bool (r, 0.002))
        add_category (m, 7);
      if (m->sex == 'P' && m->age >= 18 && m->age < 60 &&
          rnd_bool (r, (i == 0 && female_head) ? 0.6 : (poor ? 0.02 : 0.005)))
        add_category (m, 23);
      if (m->sex == 'P' && m->age >= 18 && m->age < 60 && rnd_bool (r, 0.004))
        add_category (m, 19);
      if (m->sex == 'P' && m->age >= 15 && m->age < 36 && rnd_bool (r, 0.0008))
        add_category (m, 18);
      if (m->sex == 'P' && m->age >= 18 && m->age < 40 && rnd_bool (r, 0.0005))
        add_category (m, 10);
      if (!child && m->age < 66 && poor && rnd_bool (r, 0.006))
        add_category (m, 13);
      if (!child && rnd_bool (r, 0.001))
        add_category (m, 16);
      if (m->sex == 'L' && m->age >= 18 && m->age < 41 && rnd_bool (r, 0.003))
        add_category (m, 17);
      if (m->sex == 'L' && m->age >= 20 && m->age < 61 && rnd_bool (r, 0.002))
        add_category (m, 15);
      if (m->age >= 20 && m->age < 46 && rnd_bool (r, 0.003))
        add_category (m, 20);
      if (!child && rnd_bool (r, 0.0005))
        add_category (m, 11);
      if (!child && rnd_bool (r, 0.0008))
        add_category (m, 12);
      if (rnd_bool (r, 0.0005))
        add_category (m, 14);
      if (disaster)
        add_category (m, 21);
      if (social_disaster)
        add_category (m, 22);
      if (psycho && (i == 0 || g_strcmp0 (m->relation, "Istri") == 0))
        add_category (m, 25);
      any |= m->mask != 0;
      if (m->age > g_array_index (members, Member, oldest).age)
        oldest = i;
    }
  /* Every family in the register has at least one PMKS member. */
  if (!any)
    {
      Member *old = &g_array_index (members, Member, oldest);

      if (old->age >= 60)
        add_category (old, 8);
      else if (female_head)
        add_category (&g_array_index (members, Member, 0), 23);
      else
        add_category (&g_array_index (members, Member, 0), 24);
    }
}

static gboolean
sample_in_desa (Gen *g, const Desa *d, GeoPoint *out)
{
  double bbox[4];

  geo_area_index_get_bbox (g->desa_index, d->index, bbox);
  for (int tries = 0; tries < 2000; tries++)
    {
      double lon = bbox[0] + g_rand_double (g->rand) * (bbox[2] - bbox[0]);
      double lat = bbox[1] + g_rand_double (g->rand) * (bbox[3] - bbox[1]);

      if (geo_area_index_contains (g->desa_index, d->index, lon, lat))
        {
          out->lon = lon;
          out->lat = lat;
          return TRUE;
        }
    }
  return FALSE;
}

static void
make_settlements (Gen *g, Desa *d)
{
  GRand *r = g->rand;
  guint  n = rnd_int (r, 3, G_N_ELEMENTS (d->settlements));

  d->n_settlements = 0;
  for (guint s = 0; s < n; s++)
    {
      Settlement *st = &d->settlements[d->n_settlements];

      if (!sample_in_desa (g, d, &st->centre))
        continue;
      st->sigma_m = 80 + g_rand_double (r) * 250;
      st->weight = 0.4 + g_rand_double (r) * 1.6;
      st->name = PICK (r, dusun_names);
      d->n_settlements++;
    }
  if (d->n_settlements == 0)
    {
      /* A sliver too thin to hit at random: everyone lives at its centroid. */
      Settlement *st = &d->settlements[0];
      st->centre = d->centroid;
      st->sigma_m = 0;
      st->weight = 1;
      st->name = PICK (r, dusun_names);
      d->n_settlements = 1;
    }
}

/* A house near the settlement's centre (Gaussian scatter), inside the desa polygon. */
static GeoPoint
house_location (Gen *g, const Desa *d, const Settlement *st)
{
  double m_per_deg_lat = 110574.0;
  double m_per_deg_lon = 111320.0 * cos (st->centre.lat * G_PI / 180);

  for (int tries = 0; tries < 30 && st->sigma_m > 0; tries++)
    {
      GeoPoint p;

      p.lon = st->centre.lon + rnd_gauss (g->rand) * st->sigma_m / m_per_deg_lon;
      p.lat = st->centre.lat + rnd_gauss (g->rand) * st->sigma_m / m_per_deg_lat;
      /* Six decimals (about 0.1 m), as a GPS app records them. */
      p.lon = round (p.lon * 1e6) / 1e6;
      p.lat = round (p.lat * 1e6) / 1e6;
      if (geo_area_index_contains (g->desa_index, d->index, p.lon, p.lat))
        return p;
    }
  return st->centre;
}

static gboolean
insert_family (Gen *g, const Desa *d, GCancellable *cancellable, GError **error)
{
  GRand *r = g->rand;
  g_autoptr(GArray) members = g_array_new (FALSE, TRUE, sizeof (Member));
  double            sw[G_N_ELEMENTS (d->settlements)];
  const Settlement *st;
  GeoFamilyRecord   fam = { 0 };
  gboolean          female_head;
  char              no_kk[17];
  char              rt[8], rw[8];
  g_autofree char  *address = NULL;
  const char       *status;
  gint64            family_id;
  int               s, issue_year, issue_month, issue_day;

  for (guint i = 0; i < d->n_settlements; i++)
    sw[i] = d->settlements[i].weight;
  s = rnd_weighted (r, sw, d->n_settlements);
  st = &d->settlements[s];

  make_members (g, members, &female_head);
  assign_categories (g, members, female_head);
  status = statuses[rnd_weighted (r, status_weights, G_N_ELEMENTS (status_weights))];

  /* No. KK: the kecamatan, the card's issue date, a serial. */
  issue_year = rnd_int (r, 2008, 2024);
  issue_month = rnd_int (r, 1, 12);
  issue_day = rnd_int (r, 1, days_in_month (issue_year, issue_month));
  make_id (g, d->region, issue_day, issue_month, issue_year, no_kk);

  g_snprintf (rw, sizeof rw, "%03d", s + 1);
  g_snprintf (rt, sizeof rt, "%03d", rnd_int (r, 1, 7));
  address =
      g_strdup_printf ("Dusun %s RT %s/RW %s, %s, %s", st->name, rt, rw, d->name, d->kec_name);

  fam.no_kk = no_kk;
  fam.address = address;
  fam.rt = rt;
  fam.rw = rw;
  fam.desa_code = d->code;
  fam.gps_accuracy_m = NAN;
  {
    double   u = g_rand_double (r);
    GeoPoint p = house_location (g, d, st);

    if (u < 0.03)
      {
        fam.loc_source = GEO_LOC_DESA_CENTROID;
        fam.lon = d->centroid.lon;
        fam.lat = d->centroid.lat;
        g->report->approximate++;
      }
    else
      {
        fam.loc_source = u < 0.08 ? GEO_LOC_ADDRESS : GEO_LOC_GPS;
        if (fam.loc_source == GEO_LOC_GPS)
          fam.gps_accuracy_m = rnd_int (r, 30, 250) / 10.0;
        fam.lon = p.lon;
        fam.lat = p.lat;
      }
  }
  family_id = geo_store_insert_family (g->store, &fam, error);
  if (family_id < 0)
    return FALSE;
  g->report->families++;

  for (guint i = 0; i < members->len; i++)
    {
      Member         *m = &g_array_index (members, Member, i);
      GeoPersonRecord per = { 0 };
      char            nik[17];
      char            birth[11];
      double          p_no_nik;
      gint64          person_id;

      /* People the office must reach at home (old, disabled) and new-borns often lack a NIK. */
      if (m->age >= 70 || (m->mask & (1u << (9 - 1))) || (m->mask & (1u << (8 - 1))))
        p_no_nik = 0.20;
      else if (m->age < 1)
        p_no_nik = 0.15;
      else
        p_no_nik = 0.02;
      g_snprintf (birth, sizeof birth, "%04d-%02d-%02d", m->year, m->month, m->day);
      per.family_id = family_id;
      per.name = m->name;
      per.sex = m->sex;
      per.birth_date = birth;
      per.relation = m->relation;
      if (rnd_bool (r, p_no_nik))
        g->report->no_nik++;
      else
        {
          make_id (g, d->region, m->day + (m->sex == 'P' ? 40 : 0), m->month, m->year, nik);
          per.nik = nik;
        }
      person_id = geo_store_insert_person (g->store, &per, error);
      if (person_id < 0)
        return FALSE;
      g->report->persons++;
      for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
        if (m->mask & (1u << (c - 1)))
          {
            if (!geo_store_insert_membership (g->store, person_id, c, status, error))
              return FALSE;
            g->report->memberships++;
          }
    }
  return TRUE;
}

static gboolean
insert_resource (Gen        *g,
                 const Desa *d,
                 int         type,
                 const char *name,
                 gint64      capacity,
                 double      radius_m,
                 const int  *serves,
                 guint       n_serves,
                 GError    **error)
{
  GRand            *r = g->rand;
  const Settlement *st = &d->settlements[rnd_int (r, 0, d->n_settlements - 1)];
  GeoPoint          p = house_location (g, d, st);
  GeoResourceRecord rec = { 0 };
  char              contact[16];

  g_snprintf (contact,
              sizeof contact,
              "08%02d%04d%04d",
              rnd_int (r, 11, 99),
              rnd_int (r, 0, 9999),
              rnd_int (r, 0, 9999));
  rec.type = type;
  rec.name = name;
  rec.contact = contact;
  rec.capacity = capacity;
  rec.radius_m = radius_m;
  rec.desa_code = d->code;
  rec.lon = p.lon;
  rec.lat = p.lat;
  rec.serves = serves;
  rec.n_serves = n_serves;
  if (geo_store_insert_resource (g->store, &rec, error) < 0)
    return FALSE;
  g->report->resources++;
  return TRUE;
}

static gboolean
insert_resources (Gen *g, Desa *desa, guint n_desa, const GeoAreaIndex *kec, GError **error)
{
  GRand           *r = g->rand;
  static const int kt_serves[] = { 1, 2, 4, 8, 9, 21 };
  static const int lk3_serves[] = { 6, 19, 23, 25 };
  static const int tagana_serves[] = { 21, 22 };

  static const struct
  {
    const char *name;
    int         serves[4];
    guint       n_serves;
    gint64      capacity;
  } lks[] = {
    { "LKS Panti Wredha Budi Luhur", { 8 }, 1, 60 },
    { "LKS Panti Asuhan Darul Hadlonah", { 1, 2, 7 }, 3, 45 },
    { "LKS Disabilitas Sehati", { 5, 9 }, 2, 30 },
    { "LKS Rehabilitasi Sosial Insan Mandiri", { 16, 17 }, 2, 25 },
    { "LKS Perlindungan Anak Bina Siwi", { 3, 4, 6, 7 }, 4, 40 },
    { "LKS Lanjut Usia Sejahtera", { 8, 9 }, 2, 50 },
  };

  /* One TKSK per kecamatan, in one of its desa. */
  for (guint k = 0; k < geo_area_index_get_n_areas (kec); k++)
    {
      const char      *kcode = geo_area_index_get_code (kec, k);
      g_autofree char *name =
          g_strdup_printf ("TKSK Kecamatan %s", geo_area_index_get_name (kec, k));
      g_autoptr(GArray) in_kec = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < n_desa; i++)
        if (g_str_has_prefix (desa[i].code, kcode) && desa[i].code[strlen (kcode)] == '.')
          g_array_append_val (in_kec, i);
      if (in_kec->len == 0)
        continue;
      if (!insert_resource (g,
                            &desa[g_array_index (in_kec, guint, rnd_int (r, 0, in_kec->len - 1))],
                            11,
                            name,
                            -1,
                            8000,
                            NULL,
                            0,
                            error))
        return FALSE;
    }
  /* A Karang Taruna per desa; a PSM in about half of them. */
  for (guint i = 0; i < n_desa; i++)
    {
      g_autofree char *kt = g_strdup_printf ("Karang Taruna %s", desa[i].name);

      if (!insert_resource (g,
                            &desa[i],
                            5,
                            kt,
                            rnd_int (r, 20, 60),
                            2000,
                            kt_serves,
                            G_N_ELEMENTS (kt_serves),
                            error))
        return FALSE;
      if (rnd_bool (r, 0.5))
        {
          g_autofree char *psm = g_strdup_printf ("PSM %s", desa[i].name);
          if (!insert_resource (g, &desa[i], 2, psm, -1, 1500, NULL, 0, error))
            return FALSE;
        }
    }
  if (n_desa == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (lks); i++)
    if (!insert_resource (g,
                          &desa[rnd_int (r, 0, n_desa - 1)],
                          4,
                          lks[i].name,
                          lks[i].capacity,
                          rnd_int (r, 8, 20) * 1000.0,
                          lks[i].serves,
                          lks[i].n_serves,
                          error))
      return FALSE;
  if (!insert_resource (g,
                        &desa[rnd_int (r, 0, n_desa - 1)],
                        6,
                        "LK3 Keluarga Harmonis",
                        40,
                        25000,
                        lk3_serves,
                        G_N_ELEMENTS (lk3_serves),
                        error))
    return FALSE;
  for (int i = 0; i < 2; i++)
    {
      Desa            *d = &desa[rnd_int (r, 0, n_desa - 1)];
      g_autofree char *name = g_strdup_printf ("Tagana Pos %s", d->kec_name);
      if (!insert_resource (g,
                            d,
                            3,
                            name,
                            rnd_int (r, 15, 40),
                            15000,
                            tagana_serves,
                            G_N_ELEMENTS (tagana_serves),
                            error))
        return FALSE;
    }
  for (int i = 0; i < 3; i++)
    {
      Desa            *d = &desa[rnd_int (r, 0, n_desa - 1)];
      g_autofree char *name = g_strdup_printf ("Pekerja Sosial %s", d->kec_name);
      if (!insert_resource (g, d, 1, name, -1, 10000, NULL, 0, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
exec_sql (GeoStore *store, const char *sql, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (store, error, "Fixing the demo's dates");
  return TRUE;
}

/**
 * geo_demo_build:
 *
 * Builds a demo project in @store, which must hold no households or resources yet: the real
 * kecamatan and desa boundaries of the pilot area (through geo_import_areas()), then
 * @opts->households synthetic families with their members, PMKS memberships and the area's
 * PSKS resources, inserted in one transaction. The result depends only on the seed and the
 * boundary files. Families are clustered in a few settlements inside each desa polygon;
 * about 3 % sit at their desa's centroid (approximate location).
 */
gboolean
geo_demo_build (GeoStore             *store,
                const GeoDemoOptions *opts,
                GeoDemoReport        *report,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GeoAreaIndex) desa_index = NULL;
  g_autoptr(GeoAreaIndex) kec_index = NULL;
  g_autoptr(GHashTable) serials =
                 g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree Desa     *desa = NULL;
  g_autofree double   *weights = NULL;
  GeoImportAreasReport areas_report;
  guint                n_desa;
  Gen                  g = { 0 };

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (opts != NULL && report != NULL, FALSE);
  memset (report, 0, sizeof *report);

  if (geo_store_count (store, "family", NULL) > 0 || geo_store_count (store, "resource", NULL) > 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s already holds households or resources; the demo needs a new project",
                   geo_store_get_path (store));
      return FALSE;
    }
  if (!geo_demo_find_boundaries (opts->area,
                                 opts->data_dir,
                                 &report->kecamatan_file,
                                 &report->desa_file,
                                 error))
    return FALSE;

  /* Kecamatan then desa: each file is its own transaction (geo_import_areas). */
  if (!geo_import_areas (store, report->kecamatan_file, NULL, &areas_report, cancellable, error))
    return FALSE;
  report->kecamatan = areas_report.imported;
  geo_import_areas_report_clear (&areas_report);
  if (!geo_import_areas (store, report->desa_file, NULL, &areas_report, cancellable, error))
    return FALSE;
  report->desa = areas_report.imported;
  geo_import_areas_report_clear (&areas_report);

  desa_index = geo_area_index_load (store, GEO_AREA_DESA, error);
  if (desa_index == NULL)
    return FALSE;
  kec_index = geo_area_index_load (store, GEO_AREA_KECAMATAN, error);
  if (kec_index == NULL)
    return FALSE;
  n_desa = geo_area_index_get_n_areas (desa_index);
  if (n_desa == 0)
    {
      g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "%s: no desa imported", report->desa_file);
      return FALSE;
    }

  rand = g_rand_new_with_seed (opts->seed);
  g.store = store;
  g.rand = rand;
  g.desa_index = desa_index;
  g.serials = serials;
  g.report = report;

  desa = g_new0 (Desa, n_desa);
  weights = g_new (double, n_desa);
  for (guint i = 0; i < n_desa; i++)
    {
      Desa       *d = &desa[i];
      const char *parent = geo_area_index_get_parent (desa_index, i);
      int         k = geo_area_index_lookup (kec_index, parent);
      guint       n = 0;

      d->index = i;
      d->code = geo_area_index_get_code (desa_index, i);
      d->name = geo_area_index_get_name (desa_index, i);
      d->kec_name = k >= 0 ? geo_area_index_get_name (kec_index, k) : "";
      d->centroid = geo_area_index_get_centroid (desa_index, i);
      for (const char *p = d->code; *p && n < 6; p++)
        if (g_ascii_isdigit (*p))
          d->region[n++] = *p;
      make_settlements (&g, d);
      /* Households roughly follow the desa's area, with a random density factor. */
      weights[i] = geo_area_index_get_area_deg2 (desa_index, i) * (0.5 + g_rand_double (rand));
    }
  for (guint h = 0; h < opts->households; h++)
    desa[rnd_weighted (rand, weights, n_desa)].households++;

  /* A page cache large enough for the whole transaction: SQLite otherwise spills dirty pages
   * of the R*Tree and the unique NIK / No. KK indexes to disk long before the commit. */
  if (!exec_sql (store, "PRAGMA cache_size = -262144", error))
    return FALSE;
  if (!geo_store_begin (store, error))
    return FALSE;
  {
    guint done = 0;

    for (guint i = 0; i < n_desa; i++)
      for (guint h = 0; h < desa[i].households; h++)
        {
          if (!insert_family (&g, &desa[i], cancellable, error))
            goto fail;
          if ((++done & 1023) == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                goto fail;
              if (opts->progress != NULL)
                opts->progress ((double) done / opts->households, opts->progress_data);
            }
        }
  }
  if (!insert_resources (&g, desa, n_desa, kec_index, error))
    goto fail;
  /* The store stamps rows with the current time; a demo must not depend on the clock. */
  if (!exec_sql (store, "UPDATE family SET created_at = '" DEMO_CREATED_AT "'", error) ||
      !exec_sql (store, "UPDATE person SET created_at = '" DEMO_CREATED_AT "'", error) ||
      !exec_sql (store,
                 "UPDATE membership SET since = date ('2022-01-01', '+' || "
                 "((person_id * 7919) % 1000) || ' days')",
                 error))
    goto fail;
  if (!geo_store_commit (store, error))
    goto fail;
  exec_sql (store, "PRAGMA cache_size = -2000", NULL);
  if (opts->progress != NULL)
    opts->progress (1.0, opts->progress_data);
  return TRUE;

fail:
  geo_store_rollback (store);
  exec_sql (store, "PRAGMA cache_size = -2000", NULL);
  return FALSE;
}
