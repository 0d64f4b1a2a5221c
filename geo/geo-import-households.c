#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo-autocleanups.h"
#include "geo-categories.h"
#include "geo-error.h"
#include "geo-import-private.h"
#include "geo-nik.h"
#include "geo-store-private.h"

/* Page cache for the import's connection: the whole working set of a 1M-person import. */
#define IMPORT_CACHE_KIB 204800
#define PROGRESS_EVERY 4096

enum
{
  H_NIK,
  H_KK,
  H_NAME,
  H_SEX,
  H_BIRTH,
  H_ADDRESS,
  H_RT,
  H_RW,
  H_DESA,
  H_CATEGORY,
  H_LAT,
  H_LON,
  H_RELATION,
  H_PRIORITY,
  H_N
};

static const GeoImportAttr household_attrs[H_N] = {
  [H_NIK] = { "nik", "nik|nomorindukkependudukan" },
  [H_KK] = { "no_kk", "nokk|kk|nomorkk|nokartukeluarga|nomorkartukeluarga" },
  [H_NAME] = { "name", "nama|name|namalengkap|fullname" },
  [H_SEX] = { "sex", "jeniskelamin|jk|sex|gender|kelamin|lp" },
  [H_BIRTH] = { "birth_date", "tanggallahir|tgllahir|birthdate|tgllhr|dob|dateofbirth" },
  [H_ADDRESS] = { "address", "alamat|address" },
  [H_RT] = { "rt", "rt" },
  [H_RW] = { "rw", "rw" },
  [H_DESA] = { "kode_desa",
               "kodedesa|kodekelurahan|kodedesakelurahan|desacode|kddesa|desa|kelurahan" },
  [H_CATEGORY] = { "category", "kategori|pmks|ppks|category|categories|kategoripmks" },
  [H_LAT] = { "lat", "lat|latitude|lintang|y" },
  [H_LON] = { "lon", "lon|lng|long|longitude|bujur|x" },
  [H_RELATION] = { "relation",
                   "hubungan|shdk|relation|hubungankeluarga|statushubungan|relationtohead" },
  [H_PRIORITY] = { "priority", "prioritas|priority|prioritaskunjungan" },
};

/* The family's priority: 1-3 or mendesak/tinggi/biasa, urgent/high/normal; an empty cell: 0
 * (the default, 3). FALSE for anything else. */
static gboolean
parse_priority (const char *text, int *priority)
{
  static const char *const words[3][3] = {
    { "1", "mendesak", "urgent" },
    { "2", "tinggi", "high" },
    { "3", "biasa", "normal" },
  };
  g_autofree char *s = NULL;

  *priority = 0;
  if (text == NULL || *text == '\0') /* the common case: no allocation */
    return TRUE;
  s = g_strstrip (g_ascii_strdown (text, -1));
  if (*s == '\0')
    return TRUE;
  for (int p = 0; p < 3; p++)
    for (int w = 0; w < 3; w++)
      if (strcmp (s, words[p][w]) == 0)
        {
          *priority = p + 1;
          return TRUE;
        }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* A compact open-addressing map from a 16-digit number (NIK, No. KK; never 0) to a row id.    */

typedef struct
{
  guint64 *keys;
  gint64  *values;
  gsize    mask;
  gsize    n;
} IdMap;

static void
idmap_init (IdMap *m, gsize capacity)
{
  gsize cap = 1024;

  while (cap < capacity * 2)
    cap <<= 1;
  m->keys = g_new0 (guint64, cap);
  m->values = g_new (gint64, cap);
  m->mask = cap - 1;
  m->n = 0;
}

static void
idmap_clear (IdMap *m)
{
  g_clear_pointer (&m->keys, g_free);
  g_clear_pointer (&m->values, g_free);
}

static gsize
idmap_slot (const IdMap *m, guint64 key)
{
  gsize i = (gsize) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 17) & m->mask;

  while (m->keys[i] != 0 && m->keys[i] != key)
    i = (i + 1) & m->mask;
  return i;
}

static gint64
idmap_get (const IdMap *m, guint64 key)
{
  gsize i = idmap_slot (m, key);

  return m->keys[i] == key ? m->values[i] : 0;
}

static void
idmap_put (IdMap *m, guint64 key, gint64 value)
{
  gsize i;

  if ((m->n + 1) * 2 > m->mask + 1)
    {
      IdMap bigger;

      idmap_init (&bigger, m->mask + 1);
      for (gsize j = 0; j <= m->mask; j++)
        if (m->keys[j] != 0)
          idmap_put (&bigger, m->keys[j], m->values[j]);
      idmap_clear (m);
      *m = bigger;
    }
  i = idmap_slot (m, key);
  if (m->keys[i] == 0)
    m->n++;
  m->keys[i] = key;
  m->values[i] = value;
}

static guint64
id_key (const char *digits)
{
  return g_ascii_strtoull (digits, NULL, 10);
}

/* Loads the existing 16-digit values of @sql (text, id) into @m. */
static gboolean
idmap_load (IdMap *m, GeoStore *store, const char *sql, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (text != NULL && strlen (text) == 16 && strspn (text, "0123456789") == 16)
        idmap_put (m, id_key (text), sqlite3_column_int64 (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return geo_store_set_error (store, error, "Reading existing identifiers");
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Values                                                                                     */

static gboolean
parse_sex (const char *text, char *sex)
{
  static const char *const men[] = { "l", "lk", "laki", "laki laki", "lelaki", "pria", "m",
                                     "male", "man", "1" };
  static const char *const women[] = { "p", "pr", "perempuan", "wanita", "w", "f", "female",
                                       "woman", "2" };
  g_autofree char *norm = NULL;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    {
      *sex = 0;
      return TRUE;
    }
  norm = geo_normalize_name (text);
  for (guint i = 0; i < G_N_ELEMENTS (men); i++)
    if (g_str_equal (norm, men[i]))
      {
        *sex = 'L';
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (women); i++)
    if (g_str_equal (norm, women[i]))
      {
        *sex = 'P';
        return TRUE;
      }
  return FALSE;
}

/* Excel's day 0 is 1899-12-30 (which absorbs its 1900 leap-year bug for days after 60). */
static gboolean
excel_serial_date (const char *text, int *y, int *m, int *d)
{
  char *end;
  double v = g_ascii_strtod (text, &end);
  GDate date;

  while (g_ascii_isspace (*end))
    end++;
  if (end == text || *end != '\0' || v != floor (v) || v < 61 || v > 2958465)
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 30, G_DATE_DECEMBER, 1899);
  g_date_add_days (&date, (guint) v);
  *y = g_date_get_year (&date);
  *m = g_date_get_month (&date);
  *d = g_date_get_day (&date);
  return TRUE;
}

/**
 * parse_date:
 * dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, yyyy/mm/dd, optionally followed by a time;
 * with @serial_ok (spreadsheets), an Excel serial day number.
 */
static gboolean
parse_date (const char *text, gboolean serial_ok, int *y, int *m, int *d)
{
  int part[3] = { 0 }, len[3] = { 0 };
  const char *p = text;
  int n = 0;
  char sep = 0;

  while (g_ascii_isspace (*p))
    p++;
  if (serial_ok && excel_serial_date (p, y, m, d))
    return TRUE;
  while (n < 3)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p) && len[n] < 5)
        {
          part[n] = part[n] * 10 + (*p - '0');
          len[n]++;
          p++;
        }
      n++;
      if (n == 3)
        break;
      if (*p != '/' && *p != '-' && *p != '.')
        return FALSE;
      if (sep != 0 && *p != sep)
        return FALSE;
      sep = *p++;
    }
  if (*p != '\0' && *p != ' ' && *p != 'T')
    return FALSE;
  if (len[0] == 4 && len[1] <= 2 && len[2] <= 2)
    {
      *y = part[0];
      *m = part[1];
      *d = part[2];
    }
  else if (len[2] == 4 && len[0] <= 2 && len[1] <= 2)
    {
      *d = part[0];
      *m = part[1];
      *y = part[2];
    }
  else
    return FALSE;
  return *y >= 1850 && *y <= 2200 && g_date_valid_dmy (*d, *m, *y);
}

static GeoImportReason
nik_reason (GeoIdRule rule)
{
  switch (rule)
    {
    case GEO_ID_LENGTH:
      return GEO_IMPORT_NIK_LENGTH;
    case GEO_ID_DIGITS:
      return GEO_IMPORT_NIK_DIGITS;
    case GEO_ID_DATE:
    case GEO_ID_ZEROS:
      return GEO_IMPORT_NIK_DATE;
    case GEO_ID_SERIAL:
      return GEO_IMPORT_NIK_SERIAL;
    case GEO_ID_REGION:
      return GEO_IMPORT_NIK_REGION;
    case GEO_ID_SEX:
      return GEO_IMPORT_NIK_SEX;
    case GEO_ID_BIRTH_DATE:
      return GEO_IMPORT_NIK_BIRTH_DATE;
    case GEO_ID_OK:
    default:
      g_return_val_if_reached (GEO_IMPORT_N_REASONS);
    }
}

static GeoImportReason
kk_reason (GeoIdRule rule)
{
  switch (rule)
    {
    case GEO_ID_LENGTH:
      return GEO_IMPORT_KK_LENGTH;
    case GEO_ID_DIGITS:
      return GEO_IMPORT_KK_DIGITS;
    case GEO_ID_ZEROS:
      return GEO_IMPORT_KK_ZEROS;
    case GEO_ID_REGION:
      return GEO_IMPORT_KK_REGION;
    case GEO_ID_DATE:
    case GEO_ID_SERIAL:
    case GEO_ID_SEX:
    case GEO_ID_BIRTH_DATE:
    case GEO_ID_OK:
    default:
      g_return_val_if_reached (GEO_IMPORT_N_REASONS);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Spatial index                                                                              */

typedef struct
{
  gint64  id;
  double  lon;
  double  lat;
  guint32 hilbert;
} NewFamily;

/* Position of (x, y) on a Hilbert curve over a 2^16 x 2^16 grid. */
static guint32
hilbert_d (guint32 x, guint32 y)
{
  guint32 d = 0;

  for (guint32 s = 1u << 15; s > 0; s >>= 1)
    {
      guint32 rx = (x & s) > 0, ry = (y & s) > 0;

      d += s * s * ((3 * rx) ^ ry);
      if (ry == 0)
        {
          if (rx == 1)
            {
              x = s - 1 - x;
              y = s - 1 - y;
            }
          x ^= y;
          y ^= x;
          x ^= y;
        }
    }
  return d;
}

static int
cmp_hilbert (gconstpointer a, gconstpointer b)
{
  const NewFamily *fa = a, *fb = b;

  return (fa->hilbert > fb->hilbert) - (fa->hilbert < fb->hilbert);
}

/* SpatiaLite keeps the R*Tree up to date with an AFTER INSERT trigger per row; inserting a
 * million points in file order is most of an import's time (BENCHMARKS.md). The import drops
 * that trigger (with the per-row timestamp trigger, and the geometry-type check, which cannot
 * fail for the points this module makes) inside its transaction, then fills the index in
 * Hilbert order and restores the triggers before committing. */
static const char *const deferred_triggers[] = { "gii_family_geom", "tmi_family_geom",
                                                 "ggi_family_geom" };

static gboolean
exec_sql (GeoStore *store, const char *sql, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ERROR)
    return geo_store_set_error (store, error, "Import");
  return TRUE;
}

static GPtrArray *
suspend_triggers (GeoStore *store, GError **error)
{
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt =
    geo_store_prepare (store, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                       error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (deferred_triggers); i++)
    {
      g_autofree char *drop = NULL;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, deferred_triggers[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          g_ptr_array_add (saved, NULL);
          continue;
        }
      g_ptr_array_add (saved, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      /* A fixed name from the list above: identifiers cannot be bound. */
      drop = g_strdup_printf ("DROP TRIGGER \"%s\"", deferred_triggers[i]);
      sqlite3_reset (stmt);
      if (!exec_sql (store, drop, error))
        return NULL;
    }
  return g_steal_pointer (&saved);
}

static gboolean
resume_triggers (GeoStore *store, GPtrArray *saved, GArray *families, GError **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  double min_lon = G_MAXDOUBLE, max_lon = -G_MAXDOUBLE, min_lat = G_MAXDOUBLE,
         max_lat = -G_MAXDOUBLE;

  if (g_ptr_array_index (saved, 0) != NULL && families->len > 0)
    {
      for (guint i = 0; i < families->len; i++)
        {
          NewFamily *f = &g_array_index (families, NewFamily, i);

          min_lon = MIN (min_lon, f->lon);
          max_lon = MAX (max_lon, f->lon);
          min_lat = MIN (min_lat, f->lat);
          max_lat = MAX (max_lat, f->lat);
        }
      for (guint i = 0; i < families->len; i++)
        {
          NewFamily *f = &g_array_index (families, NewFamily, i);
          double sx = max_lon > min_lon ? (f->lon - min_lon) / (max_lon - min_lon) : 0;
          double sy = max_lat > min_lat ? (f->lat - min_lat) / (max_lat - min_lat) : 0;

          f->hilbert = hilbert_d ((guint32) (sx * 65535), (guint32) (sy * 65535));
        }
      g_array_sort (families, cmp_hilbert);
      insert = geo_store_prepare (store,
                                  "INSERT INTO idx_family_geom (pkid, xmin, xmax, ymin, ymax) "
                                  "VALUES (?1, ?2, ?2, ?3, ?3)",
                                  error);
      if (insert == NULL)
        return FALSE;
      for (guint i = 0; i < families->len; i++)
        {
          NewFamily *f = &g_array_index (families, NewFamily, i);

          sqlite3_reset (insert);
          sqlite3_bind_int64 (insert, 1, f->id);
          sqlite3_bind_double (insert, 2, f->lon);
          sqlite3_bind_double (insert, 3, f->lat);
          if (sqlite3_step (insert) != SQLITE_DONE)
            return geo_store_set_error (store, error, "Building the spatial index");
        }
    }
  if (g_ptr_array_index (saved, 1) != NULL && families->len > 0 &&
      !exec_sql (store,
                 "UPDATE geometry_columns_time SET last_insert = "
                 "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                 "WHERE lower (f_table_name) = 'family' AND lower (f_geometry_column) = 'geom'",
                 error))
    return FALSE;
  for (guint i = 0; i < saved->len; i++)
    if (g_ptr_array_index (saved, i) != NULL &&
        !exec_sql (store, g_ptr_array_index (saved, i), error))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The import                                                                                 */

typedef struct
{
  GeoStore               *store;
  const GeoImportOptions *opts;
  GeoImportReport        *report;
  GeoRowSource           *src;
  GeoLocator             *loc;
  GeoRejects             *rejects;
  int                    *map;
  IdMap                   niks;
  IdMap                   kks;
  GArray                 *new_families;
  sqlite3_stmt           *update_person;
  sqlite3_stmt           *insert_family;
  sqlite3_stmt           *insert_person;
  sqlite3_stmt           *insert_membership;
  char                    now[32]; /* created_at of every row: one strftime, not one per row */
} Import;

static void
bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

/* The import's own inserts (rather than geo_store_insert_*): static bindings, no per-row
 * strftime, and no geometry-constraint trigger. */
static gint64
insert_family (Import *imp, const GeoFamilyRecord *rec, int priority, GError **error)
{
  sqlite3_stmt *stmt = imp->insert_family;

  sqlite3_reset (stmt);
  bind_text (stmt, 1, rec->no_kk);
  bind_text (stmt, 2, rec->address);
  bind_text (stmt, 3, rec->rt);
  bind_text (stmt, 4, rec->rw);
  bind_text (stmt, 5, rec->desa_code);
  sqlite3_bind_text (stmt, 6, geo_loc_source_to_string (rec->loc_source), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, rec->import_batch);
  sqlite3_bind_double (stmt, 8, rec->lon);
  sqlite3_bind_double (stmt, 9, rec->lat);
  sqlite3_bind_text (stmt, 10, imp->now, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, priority > 0 ? priority : 3);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (imp->store, error, "Inserting a family") ? 0 : -1;
  return sqlite3_last_insert_rowid (geo_store_get_db (imp->store));
}

static gint64
insert_person (Import *imp, const GeoPersonRecord *rec, GError **error)
{
  sqlite3_stmt *stmt = imp->insert_person;
  char sex[2] = { rec->sex, 0 };

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, rec->family_id);
  bind_text (stmt, 2, rec->nik);
  bind_text (stmt, 3, rec->name);
  bind_text (stmt, 4, rec->sex ? sex : NULL);
  bind_text (stmt, 5, rec->birth_date);
  bind_text (stmt, 6, rec->relation);
  sqlite3_bind_int64 (stmt, 7, rec->import_batch);
  sqlite3_bind_text (stmt, 8, imp->now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (imp->store, error, "Inserting a person") ? 0 : -1;
  return sqlite3_last_insert_rowid (geo_store_get_db (imp->store));
}

static gboolean
insert_membership (Import *imp, gint64 person_id, int category, GError **error)
{
  sqlite3_stmt *stmt = imp->insert_membership;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_int (stmt, 2, category);
  sqlite3_bind_text (stmt, 3, imp->now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (imp->store, error, "Inserting a PMKS membership");
  return TRUE;
}

static gboolean
reject (Import *imp, GeoImportReason reason, const char *detail, GError **error)
{
  imp->report->rejected++;
  imp->report->reasons[reason]++;
  return geo_rejects_add (imp->rejects, imp->report->read, reason, detail, error);
}

static gboolean
update_person (Import          *imp,
               gint64           person_id,
               gint64           family_id,
               GeoPersonRecord *rec,
               GError         **error)
{
  sqlite3_stmt *stmt = imp->update_person;
  char sex[2] = { rec->sex, 0 };

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (family_id > 0)
    sqlite3_bind_int64 (stmt, 1, family_id);
  if (rec->name != NULL && *rec->name)
    sqlite3_bind_text (stmt, 2, rec->name, -1, SQLITE_STATIC);
  if (rec->sex)
    sqlite3_bind_text (stmt, 3, sex, -1, SQLITE_STATIC);
  if (rec->birth_date != NULL)
    sqlite3_bind_text (stmt, 4, rec->birth_date, -1, SQLITE_STATIC);
  if (rec->relation != NULL && *rec->relation)
    sqlite3_bind_text (stmt, 5, rec->relation, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, rec->import_batch);
  sqlite3_bind_int64 (stmt, 7, person_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return geo_store_set_error (imp->store, error, "Updating a person");
  return TRUE;
}

static gboolean
import_row (Import *imp, GError **error)
{
  GeoImportReport *report = imp->report;
  GeoRowSource *src = imp->src;
  const char *v[H_N];
  g_autofree char *nik = NULL;
  g_autofree char *kk = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *desa = NULL;
  g_autofree int *codes = NULL;
  g_autoptr(GError) cat_error = NULL;
  char birth[16] = "";
  guint n_codes = 0;
  GeoImportReason reason;
  gboolean approximate;
  double lon, lat;
  gint64 existing = 0, family_id = 0, person_id;
  char sex;
  int y, m, d, priority;

  for (int a = 0; a < H_N; a++)
    v[a] = geo_row_source_value (src, imp->map[a]);

  if (!parse_sex (v[H_SEX], &sex))
    {
      detail = g_strdup_printf ("sex “%s” is not L/P, LK/PR or M/F", v[H_SEX]);
      return reject (imp, GEO_IMPORT_BAD_SEX, detail, error);
    }
  if (*v[H_BIRTH] != '\0')
    {
      if (!parse_date (v[H_BIRTH], geo_row_source_is_spreadsheet (src), &y, &m, &d))
        {
          detail = g_strdup_printf ("birth date “%s” is not dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd",
                                    v[H_BIRTH]);
          return reject (imp, GEO_IMPORT_BAD_BIRTH_DATE, detail, error);
        }
      g_snprintf (birth, sizeof birth, "%04d-%02d-%02d", y, m, d);
    }

  if (!parse_priority (v[H_PRIORITY], &priority))
    {
      detail = g_strdup_printf ("priority “%s” is not 1-3, mendesak/tinggi/biasa or "
                                "urgent/high/normal",
                                v[H_PRIORITY]);
      return reject (imp, GEO_IMPORT_BAD_PRIORITY, detail, error);
    }

  nik = geo_id_clean (v[H_NIK]);
  if (nik != NULL)
    {
      GeoIdRule rule = geo_nik_validate (nik, imp->store, sex, *birth ? birth : NULL, NULL);

      if (rule != GEO_ID_OK)
        return reject (imp, nik_reason (rule), geo_nik_rule_message (rule), error);
    }
  kk = geo_id_clean (v[H_KK]);
  if (kk != NULL)
    {
      GeoIdRule rule = geo_kk_validate (kk, imp->store, NULL);

      if (rule != GEO_ID_OK)
        return reject (imp, kk_reason (rule), geo_kk_rule_message (rule), error);
    }
  codes = geo_parse_category_list (v[H_CATEGORY], FALSE, &n_codes, &cat_error);
  /* An empty cell gives no codes and may give a NULL array: test the error. */
  if (cat_error != NULL)
    return reject (imp, GEO_IMPORT_BAD_CATEGORY, cat_error->message, error);

  if (kk != NULL)
    family_id = idmap_get (&imp->kks, id_key (kk));
  reason = geo_locator_locate (imp->loc, v[H_LON], v[H_LAT], v[H_DESA], &lon, &lat, &approximate,
                               &detail);
  /* The location belongs to the family: a member row without one joins a family already placed
   * (earlier in the file or in the project). */
  if (reason == GEO_IMPORT_NO_LOCATION && family_id != 0)
    reason = GEO_IMPORT_N_REASONS;
  if (reason != GEO_IMPORT_N_REASONS)
    return reject (imp, reason, detail, error);

  if (nik != NULL)
    {
      existing = idmap_get (&imp->niks, id_key (nik));
      if (existing != 0)
        switch (imp->opts->on_duplicate)
          {
          case GEO_IMPORT_DUPLICATE_REJECT:
            return reject (imp, GEO_IMPORT_DUPLICATE_NIK,
                           "this NIK is already in the project or earlier in the file", error);
          case GEO_IMPORT_DUPLICATE_SKIP:
            report->skipped++;
            return TRUE;
          case GEO_IMPORT_DUPLICATE_UPDATE:
          default:
            break;
          }
    }

  /* A person updated without a No. KK stays in the family they are in. */
  if (family_id == 0 && !(existing != 0 && kk == NULL))
    {
      GeoFamilyRecord fam = { 0 };
      NewFamily nf;

      desa = geo_import_desa_code (v[H_DESA]);
      fam.no_kk = kk;
      fam.address = v[H_ADDRESS];
      fam.rt = v[H_RT];
      fam.rw = v[H_RW];
      fam.desa_code = desa;
      fam.lon = lon;
      fam.lat = lat;
      fam.loc_source = approximate ? GEO_LOC_DESA_CENTROID : GEO_LOC_GPS;
      fam.gps_accuracy_m = NAN;
      fam.import_batch = report->batch_id;
      family_id = insert_family (imp, &fam, priority, error);
      if (family_id <= 0)
        return FALSE;
      if (kk != NULL)
        idmap_put (&imp->kks, id_key (kk), family_id);
      nf.id = family_id;
      nf.lon = lon;
      nf.lat = lat;
      g_array_append_val (imp->new_families, nf);
      report->families++;
    }

  {
    GeoPersonRecord rec = { family_id, nik, v[H_NAME], sex, *birth ? birth : NULL,
                            v[H_RELATION], report->batch_id };

    if (existing != 0)
      {
        if (!update_person (imp, existing, family_id, &rec, error))
          return FALSE;
        person_id = existing;
        report->updated++;
      }
    else
      {
        person_id = insert_person (imp, &rec, error);
        if (person_id <= 0)
          return FALSE;
        if (nik != NULL)
          idmap_put (&imp->niks, id_key (nik), person_id);
        else
          report->no_nik++;
      }
  }
  for (guint i = 0; i < n_codes; i++)
    if (!insert_membership (imp, person_id, codes[i], error))
      return FALSE;
  if (approximate)
    report->approximate++;
  report->imported++;
  return TRUE;
}

static int
get_cache_size (GeoStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, "PRAGMA cache_size", NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int (stmt, 0);
  return -2000;
}

static void
set_cache_size (GeoStore *store, int size)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %d", size);

  exec_sql (store, sql, NULL);
}

static gboolean
run_import (Import *imp, const char *path, GCancellable *cancellable, GError **error)
{
  const GeoImportOptions *opts = imp->opts;
  g_autoptr(GPtrArray) triggers = NULL;
  int rc;

  imp->map = geo_import_map_columns (imp->src, household_attrs, H_N, opts->fields, error);
  if (imp->map == NULL)
    return FALSE;
  if (imp->map[H_NIK] < 0 && imp->map[H_NAME] < 0)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "%s: no NIK or name column found (columns are matched by name: nik, nama, "
                   "no_kk, ...; use --field COLUMN=attribute)",
                   path);
      return FALSE;
    }
  imp->loc = geo_locator_new (imp->store, imp->src, opts->crs, error);
  if (imp->loc == NULL)
    return FALSE;
  imp->rejects = geo_rejects_new (path, opts->rejects_path, imp->src, error);
  if (imp->rejects == NULL)
    return FALSE;

  if (!geo_store_begin (imp->store, error))
    return FALSE;
  imp->report->batch_id = geo_import_begin_batch (imp->store, "households", path, error);
  if (imp->report->batch_id <= 0)
    return FALSE;
  idmap_init (&imp->niks, 1 << 16);
  idmap_init (&imp->kks, 1 << 16);
  if (!idmap_load (&imp->niks, imp->store, "SELECT nik, id FROM person WHERE nik IS NOT NULL",
                   error) ||
      !idmap_load (&imp->kks, imp->store, "SELECT no_kk, id FROM family WHERE no_kk IS NOT NULL",
                   error))
    return FALSE;
  imp->update_person =
    geo_store_prepare (imp->store,
                       "UPDATE person SET family_id = coalesce (?1, family_id), "
                       "name = coalesce (?2, name), sex = coalesce (?3, sex), "
                       "birth_date = coalesce (?4, birth_date), "
                       "relation = coalesce (?5, relation), import_batch = ?6, "
                       "updated_at = strftime ('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?7",
                       error);
  if (imp->update_person == NULL)
    return FALSE;
  imp->insert_family =
    geo_store_prepare (imp->store,
                       "INSERT INTO family (no_kk, address, rt, rw, desa_code, loc_source, "
                       "import_batch, geom, created_at, priority) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, MakePoint (?8, ?9, 4326), ?10, ?11)",
                       error);
  imp->insert_person =
    imp->insert_family == NULL
      ? NULL
      : geo_store_prepare (imp->store,
                           "INSERT INTO person (family_id, nik, name, sex, birth_date, relation, "
                           "import_batch, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           error);
  imp->insert_membership =
    imp->insert_person == NULL
      ? NULL
      : geo_store_prepare (imp->store,
                           "INSERT OR IGNORE INTO membership (person_id, category, since) "
                           "VALUES (?1, ?2, substr (?3, 1, 10))",
                           error);
  if (imp->insert_membership == NULL)
    return FALSE;
  {
    GDateTime *now = g_date_time_new_now_utc ();
    g_autofree char *text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

    g_strlcpy (imp->now, text, sizeof imp->now);
    g_date_time_unref (now);
  }
  triggers = suspend_triggers (imp->store, error);
  if (triggers == NULL)
    return FALSE;

  while ((rc = geo_row_source_next (imp->src, error)) > 0)
    {
      imp->report->read++;
      if (!import_row (imp, error))
        {
          g_prefix_error (error, "Row %" G_GUINT64_FORMAT ": ", imp->report->read);
          return FALSE;
        }
      if (imp->report->read % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (opts->progress != NULL)
            opts->progress (imp->report->read, geo_row_source_fraction (imp->src),
                            opts->progress_data);
        }
    }
  if (rc < 0)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!resume_triggers (imp->store, triggers, imp->new_families, error))
    return FALSE;
  if (!geo_import_end_batch (imp->store, imp->report, error))
    return FALSE;
  if (!geo_store_commit (imp->store, error))
    return FALSE;
  if (opts->progress != NULL)
    opts->progress (imp->report->read, 1.0, opts->progress_data);
  return TRUE;
}

/**
 * geo_import_households:
 * @store: an open project
 * @path: any vector source GDAL reads (one row = one person)
 * @opts: (nullable): #GeoImportOptions; NULL for the defaults
 * @report: (out caller-allocates): counts and the rejects file; clear with
 *   geo_import_report_clear()
 *
 * Imports persons, grouped into families by No. KK, with their PMKS categories, in one
 * transaction: on error (or cancellation) the project is unchanged and no rejects file is
 * written. Rejected rows are not errors: they are counted and written to the rejects file.
 * Runs in the calling thread (use a GTask for the UI); @opts->progress is called from it.
 */
gboolean
geo_import_households (GeoStore               *store,
                       const char             *path,
                       const GeoImportOptions *opts,
                       GeoImportReport        *report,
                       GCancellable           *cancellable,
                       GError                **error)
{
  static const GeoImportOptions defaults = { 0 };
  g_autoptr(GeoRowSource) src = NULL;
  Import imp = { 0 };
  gboolean ok;
  int old_cache;

  g_return_val_if_fail (GEO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if (opts == NULL)
    opts = &defaults;
  src = geo_row_source_open (path, opts->layer, opts->csv_through_ogr, error);
  if (src == NULL)
    return FALSE;

  imp.store = store;
  imp.opts = opts;
  imp.report = report;
  imp.src = src;
  imp.new_families = g_array_new (FALSE, FALSE, sizeof (NewFamily));
  old_cache = get_cache_size (store);
  set_cache_size (store, -IMPORT_CACHE_KIB);
  /* Every reference the import writes is to a row it just inserted or checked (families,
   * persons, categories 1-26): the per-row foreign-key checks and their statement journals
   * are skipped. The pragma is a no-op inside a transaction, so it is set before BEGIN. */
  exec_sql (store, "PRAGMA foreign_keys = OFF", NULL);
  /* In WAL mode a transaction larger than the page cache writes every page twice (to the WAL,
   * then to the database at the checkpoint). With a rollback journal, pages appended to the file
   * are written once. The switch needs the only connection; when another one is open the
   * project stays in WAL mode and the import is slower, not wrong. */
  exec_sql (store, "PRAGMA journal_mode = DELETE", NULL);

  ok = run_import (&imp, path, cancellable, error);
  if (!ok)
    {
      geo_store_rollback (store);
      report->batch_id = 0;
    }
  if (imp.rejects != NULL &&
      !geo_rejects_finish (imp.rejects, ok, &report->rejects_path, ok ? error : NULL))
    ok = FALSE;

  set_cache_size (store, old_cache);
  exec_sql (store, "PRAGMA foreign_keys = ON", NULL);
  exec_sql (store, "PRAGMA journal_mode = WAL", NULL);
  g_clear_pointer (&imp.update_person, sqlite3_finalize);
  g_clear_pointer (&imp.insert_family, sqlite3_finalize);
  g_clear_pointer (&imp.insert_person, sqlite3_finalize);
  g_clear_pointer (&imp.insert_membership, sqlite3_finalize);
  g_clear_pointer (&imp.rejects, geo_rejects_free);
  g_clear_pointer (&imp.loc, geo_locator_free);
  g_clear_pointer (&imp.map, g_free);
  g_clear_pointer (&imp.new_families, g_array_unref);
  idmap_clear (&imp.niks);
  idmap_clear (&imp.kks);
  if (!ok)
    g_prefix_error (error, "Importing %s: ", path);
  return ok;
}
