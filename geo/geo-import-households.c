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

/* Page cache of the import's connection. When the indexes stay (an import smaller than the
 * project), rows go to random places of big indexes: the cache holds the whole working set.
 * When they are dropped and built again at the end, every page is written once, in order: a
 * small cache lets SQLite write full pages out as it goes (a spill of an appended page costs
 * one write, no journal), and its sorter, whose in-memory share is the cache size, then sorts
 * the index keys in several runs on PRAGMA threads helper threads instead of one big run in
 * the calling thread. */
#define IMPORT_CACHE_KIB      1048576
#define IMPORT_ROWS_CACHE_KIB 65536
#define IMPORT_SORT_CACHE_KIB 4096

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

/* A power of two with room for @n keys at the map's load factor (1/2), within [2^16, 2^22]. */
static gsize
idmap_slots_for (gint64 n)
{
  gsize slots = 1 << 16;

  while (slots < (1 << 22) && (gint64) slots < 2 * (n + 1))
    slots <<= 1;
  return slots;
}

/* @digits: 16 ASCII digits (validated by the caller). */
static guint64
id_key (const char *digits)
{
  guint64 key = 0;

  for (int i = 0; i < 16; i++)
    key = key * 10 + (guint64) (digits[i] - '0');
  return key;
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
static const char *const deferred_triggers[] = {
  "gii_family_geom", "tmi_family_geom", "ggi_family_geom",
  /* Per-row triggers whose WHEN clause (import_batch set, status 'entri') makes them no-ops for
   * the rows of an import: dropping them for the transaction saves a trigger program per row. */
  "family_scope_insert", "family_audit_insert", "person_scope_insert", "person_audit_insert",
  "membership_status_valid", "membership_audit_insert"
};

static gboolean
exec_sql (GeoStore *store, const char *sql, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = geo_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
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

/* ------------------------------------------------------------------------------------------ */
/* Bulk loading an empty R*Tree                                                               */

/* SQLite's R*Tree (ext/rtree) stores a 2-D index in three tables: <name>_node (nodeno, data:
 * a blob of node_size bytes: the tree depth (root only, 2 bytes), the number of cells (2 bytes),
 * then cells of an 8-byte id and four 4-byte floats xmin, xmax, ymin, ymax, all big-endian),
 * <name>_rowid (rowid -> leaf nodeno) and <name>_parent (nodeno -> parent nodeno); the root is
 * node 1. Inserting 300,000 points one by one costs seconds even in Hilbert order (every insert
 * walks and rewrites a path, splits nodes); a packed tree of full nodes written directly, in the
 * same Hilbert order, is built in a fraction of that and answers queries faster (fuller nodes).
 * Only done when the index is empty; the result passes SQLite's rtreecheck(). */

typedef struct
{
  gint64 id;   /* pkid at the leaf level, else the index of the node in its level */
  float  b[4]; /* xmin, xmax, ymin, ymax */
} RBox;

#define RTREE_RNDTOWARDS (1.0 - 1.0 / 8388608.0)
#define RTREE_RNDAWAY    (1.0 + 1.0 / 8388608.0)

/* The same float rounding as SQLite's rtreeValueDown/Up: the box always contains the point. */
static float
rtree_down (double d)
{
  float f = (float) d;

  if (f > d)
    f = (float) (d * (d < 0 ? RTREE_RNDAWAY : RTREE_RNDTOWARDS));
  return f;
}

static float
rtree_up (double d)
{
  float f = (float) d;

  if (f < d)
    f = (float) (d * (d < 0 ? RTREE_RNDTOWARDS : RTREE_RNDAWAY));
  return f;
}

static void
put_be (guint8 *p, guint64 v, int bytes)
{
  for (int i = bytes - 1; i >= 0; i--, v >>= 8)
    p[i] = (guint8) (v & 0xff);
}

static void
put_cell (guint8 *p, gint64 id, const float b[4])
{
  put_be (p, (guint64) id, 8);
  for (int k = 0; k < 4; k++)
    {
      guint32 bits;

      memcpy (&bits, &b[k], 4);
      put_be (p + 8 + 4 * k, bits, 4);
    }
}

typedef struct
{
  gint64 pkid;
  gint64 nodeno;
} RowidNode;

static int
cmp_rowid_node (gconstpointer a, gconstpointer b)
{
  const RowidNode *ra = a, *rb = b;

  return (ra->pkid > rb->pkid) - (ra->pkid < rb->pkid);
}

/* Returns 1 when built, 0 when the index is not empty (the caller inserts row by row), -1 on
 * error. @families is in Hilbert order. */
static int
rtree_bulk_load (GeoStore *store, GArray *families, GError **error)
{
  const int cell = 24;
  g_autoptr(sqlite3_stmt) probe = NULL;
  g_autoptr(sqlite3_stmt) put_node = NULL;
  g_autoptr(sqlite3_stmt) put_parent = NULL;
  g_autoptr(sqlite3_stmt) put_rowid = NULL;
  g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) rowids = NULL;
  g_autofree guint8 *blob = NULL;
  GArray *level;
  gint64 next_node = 2;
  int node_size, max_cells, depth;

  probe = geo_store_prepare (store,
                             "SELECT (SELECT count (*) FROM idx_family_geom_node), "
                             "(SELECT length (data) FROM idx_family_geom_node WHERE nodeno = 1), "
                             "EXISTS (SELECT 1 FROM idx_family_geom_rowid)",
                             error);
  if (probe == NULL)
    return -1;
  if (sqlite3_step (probe) != SQLITE_ROW)
    return geo_store_set_error (store, error, "Building the spatial index") ? 0 : -1;
  node_size = sqlite3_column_int (probe, 1);
  max_cells = (node_size - 4) / cell;
  if (sqlite3_column_int64 (probe, 0) != 1 || sqlite3_column_int (probe, 2) != 0 ||
      max_cells < 4)
    return 0;
  g_clear_pointer (&probe, sqlite3_finalize);

  /* Level 0: the points; level k: one box per node holding max_cells boxes of level k - 1. */
  level = g_array_sized_new (FALSE, FALSE, sizeof (RBox), families->len);
  for (guint i = 0; i < families->len; i++)
    {
      const NewFamily *f = &g_array_index (families, NewFamily, i);
      RBox box = { f->id,
                   { rtree_down (f->lon), rtree_up (f->lon), rtree_down (f->lat),
                     rtree_up (f->lat) } };

      g_array_append_val (level, box);
    }
  g_ptr_array_add (levels, level);
  while (level->len > (guint) max_cells)
    {
      GArray *up = g_array_sized_new (FALSE, FALSE, sizeof (RBox), level->len / max_cells + 1);

      for (guint i = 0; i < level->len; i += max_cells)
        {
          RBox box = { up->len, { G_MAXFLOAT, -G_MAXFLOAT, G_MAXFLOAT, -G_MAXFLOAT } };

          for (guint j = i; j < MIN (level->len, i + max_cells); j++)
            {
              const RBox *c = &g_array_index (level, RBox, j);

              box.b[0] = MIN (box.b[0], c->b[0]);
              box.b[1] = MAX (box.b[1], c->b[1]);
              box.b[2] = MIN (box.b[2], c->b[2]);
              box.b[3] = MAX (box.b[3], c->b[3]);
            }
          g_array_append_val (up, box);
        }
      g_ptr_array_add (levels, up);
      level = up;
    }
  /* The root holds the top level; the node numbers of levels 1.. are given top-down from 2. */
  depth = levels->len - 1;
  g_ptr_array_add (numbers, NULL);
  for (guint k = 1; k < levels->len; k++)
    g_ptr_array_add (numbers, g_new (gint64, ((GArray *) levels->pdata[k])->len));
  for (guint k = levels->len - 1; k >= 1; k--)
    for (guint i = 0; i < ((GArray *) levels->pdata[k])->len; i++)
      ((gint64 *) numbers->pdata[k])[i] = next_node++;

  put_node = geo_store_prepare (store,
                                "INSERT OR REPLACE INTO idx_family_geom_node (nodeno, data) "
                                "VALUES (?, ?)",
                                error);
  put_parent = put_node == NULL ? NULL
                                : geo_store_prepare (store,
                                                     "INSERT INTO idx_family_geom_parent "
                                                     "(nodeno, parentnode) VALUES (?, ?)",
                                                     error);
  put_rowid = put_parent == NULL ? NULL
                                 : geo_store_prepare (store,
                                                      "INSERT INTO idx_family_geom_rowid "
                                                      "(rowid, nodeno) VALUES (?, ?)",
                                                      error);
  if (put_rowid == NULL)
    return -1;
  blob = g_malloc (node_size);

  /* Node k/i (k >= 1) holds the boxes of level k - 1 from i * max_cells; the root holds all of
   * level depth. */
  for (int k = depth + 1; k >= 1; k--)
    {
      gboolean root = k == depth + 1;
      GArray *children = levels->pdata[k - 1];
      guint n_nodes = root ? 1 : ((GArray *) levels->pdata[k])->len;

      for (guint i = 0; i < n_nodes; i++)
        {
          guint first = root ? 0 : i * max_cells;
          guint n = root ? children->len : MIN (children->len - first, (guint) max_cells);
          gint64 nodeno = root ? 1 : ((gint64 *) numbers->pdata[k])[i];

          memset (blob, 0, node_size);
          put_be (blob, root ? depth : 0, 2);
          put_be (blob + 2, n, 2);
          for (guint j = 0; j < n; j++)
            {
              const RBox *c = &g_array_index (children, RBox, first + j);
              gint64 id = k - 1 == 0 ? c->id : ((gint64 *) numbers->pdata[k - 1])[first + j];

              put_cell (blob + 4 + j * cell, id, c->b);
            }
          sqlite3_reset (put_node);
          sqlite3_bind_int64 (put_node, 1, nodeno);
          sqlite3_bind_blob (put_node, 2, blob, node_size, SQLITE_STATIC);
          if (sqlite3_step (put_node) != SQLITE_DONE)
            return geo_store_set_error (store, error, "Building the spatial index") ? 0 : -1;
          if (!root)
            {
              sqlite3_reset (put_parent);
              sqlite3_bind_int64 (put_parent, 1, nodeno);
              sqlite3_bind_int64 (put_parent,
                                  2,
                                  k == depth ? 1
                                             : ((gint64 *) numbers->pdata[k + 1])[i / max_cells]);
              if (sqlite3_step (put_parent) != SQLITE_DONE)
                return geo_store_set_error (store, error, "Building the spatial index") ? 0 : -1;
            }
        }
    }

  /* Leaf of every point, written in rowid order (appends to the table's B-tree). */
  level = levels->pdata[0];
  rowids = g_array_sized_new (FALSE, FALSE, sizeof (RowidNode), level->len);
  for (guint j = 0; j < level->len; j++)
    {
      RowidNode rn = { g_array_index (level, RBox, j).id,
                       depth == 0 ? 1 : ((gint64 *) numbers->pdata[1])[j / max_cells] };

      g_array_append_val (rowids, rn);
    }
  g_array_sort (rowids, cmp_rowid_node);
  for (guint j = 0; j < rowids->len; j++)
    {
      const RowidNode *rn = &g_array_index (rowids, RowidNode, j);

      sqlite3_reset (put_rowid);
      sqlite3_bind_int64 (put_rowid, 1, rn->pkid);
      sqlite3_bind_int64 (put_rowid, 2, rn->nodeno);
      if (sqlite3_step (put_rowid) != SQLITE_DONE)
        return geo_store_set_error (store, error, "Building the spatial index") ? 0 : -1;
    }
  return 1;
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
      switch (rtree_bulk_load (store, families, error))
        {
        case -1:
          return FALSE;
        case 1:
          goto built;
        default:
          break;
        }
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
built:
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

/* Indexes: for an import as large as the tables it writes to, dropping the indexes of family,
 * person and membership and creating them again after the rows (one sort each instead of a
 * B-tree insert per row at a random place) is faster. Both happen inside the import's
 * transaction, so the project never lacks an index, and a failure rolls everything back.
 * The unique indexes (schema version 8: person_nik, membership_key) are dropped too: the
 * reader's NIK map holds every NIK already in the project (idmap_load), so a duplicate against
 * an existing row is still rejected per row; the membership index only when membership is
 * empty (the writer skips repeated categories of a person itself, write_op). Creating them
 * again at the end checks the uniqueness of the whole table once more: if that fails, the
 * import fails (and is rolled back). Family's No. KK is still a UNIQUE constraint, kept.
 * Non-unique indexes come first in the returned list, unique ones last. */
static GPtrArray *
suspend_indexes (GeoStore *store, gint64 expected_rows, gboolean *membership_unique,
                 GError **error)
{
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) unique = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) count =
    geo_store_prepare (store,
                       "SELECT max (rowid), NOT EXISTS (SELECT 1 FROM membership) FROM person",
                       error);
  g_autoptr(sqlite3_stmt) list = NULL;
  gboolean membership_empty;
  int rc;

  *membership_unique = FALSE;
  if (count == NULL)
    return NULL;
  if (sqlite3_step (count) != SQLITE_ROW)
    {
      geo_store_set_error (store, error, "Import");
      return NULL;
    }
  if (sqlite3_column_int64 (count, 0) > expected_rows)
    return g_steal_pointer (&saved);
  membership_empty = sqlite3_column_int (count, 1) != 0;
  g_clear_pointer (&count, sqlite3_finalize);
  list = geo_store_prepare (store,
                            "SELECT name, sql, sql LIKE 'CREATE UNIQUE%', tbl_name "
                            "FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name IN ('family', 'person', 'membership') AND sql IS NOT NULL",
                            error);
  if (list == NULL)
    return NULL;
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (list, 0);
      const char *sql = (const char *) sqlite3_column_text (list, 1);
      gboolean is_unique = sqlite3_column_int (list, 2) != 0;
      const char *table = (const char *) sqlite3_column_text (list, 3);

      if (is_unique && strcmp (table, "membership") == 0)
        {
          if (!membership_empty)
            continue;
          *membership_unique = TRUE;
        }
      g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_add (is_unique ? unique : saved, g_strdup (sql));
    }
  if (rc != SQLITE_DONE)
    {
      geo_store_set_error (store, error, "Import");
      return NULL;
    }
  g_clear_pointer (&list, sqlite3_finalize);
  for (guint i = 0; i < unique->len; i++)
    g_ptr_array_add (saved, g_strdup (g_ptr_array_index (unique, i)));
  for (guint i = 0; i < names->len; i++)
    {
      char *drop = sqlite3_mprintf ("DROP INDEX \"%w\"", (char *) g_ptr_array_index (names, i));
      gboolean ok = exec_sql (store, drop, error);

      sqlite3_free (drop);
      if (!ok)
        return NULL;
    }
  return g_steal_pointer (&saved);
}

static gboolean
resume_indexes (GeoStore *store, GPtrArray *saved, GError **error)
{
  gboolean ok = TRUE;

  /* CREATE INDEX sorts with SQLite's sorter, which can use helper threads. */
  if (saved->len > 0)
    exec_sql (store, "PRAGMA threads = 2", NULL);
  for (guint i = 0; i < saved->len && ok; i++)
    {
      const char *sql = g_ptr_array_index (saved, i);
      gint64 ti = g_get_monotonic_time ();

      ok = exec_sql (store, sql, error);
      g_debug ("import: %.2f s for %s", (g_get_monotonic_time () - ti) / 1e6, sql);
      if (!ok && g_str_has_prefix (sql, "CREATE UNIQUE"))
        g_prefix_error (error,
                        "The imported rows break a uniqueness rule of the project "
                        "(%s); nothing was imported: ",
                        sql);
    }
  if (saved->len > 0)
    exec_sql (store, "PRAGMA threads = 0", NULL);
  return ok;
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
  gint64                  n_new_families; /* reader: families and persons created so far */
  gint64                  n_new_persons;
  GArray                 *family_ids; /* writer: row id of every family and person created */
  GArray                 *person_ids;
  GArray                 *person_codes; /* writer: categories (bit per code) of each person created */
  GHashTable             *old_person_codes; /* same for persons already in the project */
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

/* A SpatiaLite BLOB geometry of a POINT in EPSG:4326, the bytes MakePoint (x, y, 4326) makes
 * (little-endian): start 0x00, byte order 0x01, SRID, MBR (min x, min y, max x, max y), 0x7C,
 * class 1 (POINT), x, y, end 0xFE. Built here rather than by calling the SQL function per row. */
#define POINT_BLOB_SIZE 60

static void
point_blob (guint8 *p, double x, double y)
{
  const gint32 srid = GINT32_TO_LE (4326), class = GINT32_TO_LE (1);
  const double xy[6] = { x, y, x, y, x, y };

  p[0] = 0x00;
  p[1] = 0x01;
  memcpy (p + 2, &srid, 4);
  for (int i = 0; i < 6; i++)
    {
      guint64 bits;

      memcpy (&bits, &xy[i], 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (p + (i < 4 ? 6 + 8 * i : 43 + 8 * (i - 4)), &bits, 8);
    }
  p[38] = 0x7C;
  memcpy (p + 39, &class, 4);
  p[59] = 0xFE;
}

/* The import's own inserts (rather than geo_store_insert_*): static bindings, no per-row
 * strftime, and no geometry-constraint trigger. */
static gint64
insert_family (Import *imp, const GeoFamilyRecord *rec, int priority, GError **error)
{
  sqlite3_stmt *stmt = imp->insert_family;
  guint8 blob[POINT_BLOB_SIZE];

  sqlite3_reset (stmt);
  bind_text (stmt, 1, rec->no_kk);
  bind_text (stmt, 2, rec->address);
  bind_text (stmt, 3, rec->rt);
  bind_text (stmt, 4, rec->rw);
  bind_text (stmt, 5, rec->desa_code);
  sqlite3_bind_text (stmt, 6, geo_loc_source_to_string (rec->loc_source), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, rec->import_batch);
  point_blob (blob, rec->lon, rec->lat);
  sqlite3_bind_blob (stmt, 8, blob, sizeof blob, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, imp->now, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 10, priority > 0 ? priority : 3);
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

/* ------------------------------------------------------------------------------------------ */
/* Two threads: a reader parses and validates rows and decides what each accepted row does (it
 * owns the row source, the rejects file, the NIK / No. KK maps and the report's counts); the
 * calling thread writes those decisions to the database. Batches of rows go through a pair of
 * GAsyncQueues (full, and free for reuse: at most N_BATCHES are in memory). A family or person
 * created by the import is referred to before it has a row id by -(ordinal + 1); the writer maps
 * ordinals to row ids. */

#define BATCH_ROWS 4096
#define N_BATCHES  4

typedef struct
{
  guint64     row;
  gboolean    new_family;
  gint64      family_ref; /* > 0 row id, < 0 new family, 0: the person keeps their family */
  gint64      person_ref; /* > 0 row id, < 0 new person to update, 0: insert a person */
  const char *kk, *address, *rt, *rw, *desa;
  double      lon, lat;
  gboolean    approximate;
  const char *nik, *name, *birth, *relation;
  char        sex;
  int         priority; /* 1-3, 0: the default (3) */
  guint       first_code, n_codes;
} RowOp;

typedef struct
{
  GArray       *ops;   /* RowOp */
  GArray       *codes; /* int */
  GStringChunk *strings;
  guint64       read;  /* rows read when the batch was handed over */
  double        fraction;
  gboolean      last;
} Batch;

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->ops = g_array_sized_new (FALSE, FALSE, sizeof (RowOp), BATCH_ROWS);
  b->codes = g_array_new (FALSE, FALSE, sizeof (int));
  b->strings = g_string_chunk_new (1 << 16);
  return b;
}

static void
batch_free (Batch *b)
{
  g_array_unref (b->ops);
  g_array_unref (b->codes);
  g_string_chunk_free (b->strings);
  g_free (b);
}

static const char *
batch_str (Batch *b, const char *s)
{
  return s != NULL && *s != '\0' ? g_string_chunk_insert (b->strings, s) : NULL;
}

/* YYYY-MM-DD of a date parse_date() accepted (year 1-9999), without printf's cost per row. */
static void
format_date (char out[11], int y, int m, int d)
{
  const int v[3] = { y, m, d }, width[3] = { 4, 2, 2 };
  char *p = out;

  for (int i = 0; i < 3; i++)
    {
      for (int k = width[i] - 1, div = 1; k >= 0; k--, div *= 10)
        p[k] = (char) ('0' + v[i] / div % 10);
      p += width[i];
      *p++ = i < 2 ? '-' : '\0';
    }
}

/* Validates the current row: rejects it (rejects file, counts), skips it, or appends what to
 * write to @b. */
static gboolean
classify_row (Import *imp, Batch *b, GError **error)
{
  GeoImportReport *report = imp->report;
  GeoRowSource *src = imp->src;
  const char *v[H_N];
  g_autofree char *nik = NULL;
  g_autofree char *kk = NULL;
  g_autofree char *detail = NULL;
  g_autofree int *codes = NULL;
  g_autoptr(GError) cat_error = NULL;
  char birth[16] = "";
  guint n_codes = 0;
  GeoImportReason reason;
  gboolean approximate;
  double lon, lat;
  gint64 existing = 0, family_ref = 0;
  char sex;
  int y, m, d, priority;
  RowOp op = { 0 };

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
      format_date (birth, y, m, d);
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
    family_ref = idmap_get (&imp->kks, id_key (kk));
  reason = geo_locator_locate (imp->loc, v[H_LON], v[H_LAT], v[H_DESA], &lon, &lat, &approximate,
                               &detail);
  /* The location belongs to the family: a member row without one joins a family already placed
   * (earlier in the file or in the project). */
  if (reason == GEO_IMPORT_NO_LOCATION && family_ref != 0)
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

  op.row = report->read;
  /* A person updated without a No. KK stays in the family they are in. */
  if (family_ref == 0 && !(existing != 0 && kk == NULL))
    {
      g_autofree char *desa = geo_import_desa_code (v[H_DESA]);

      op.new_family = TRUE;
      op.kk = batch_str (b, kk);
      op.address = batch_str (b, v[H_ADDRESS]);
      op.rt = batch_str (b, v[H_RT]);
      op.rw = batch_str (b, v[H_RW]);
      op.desa = batch_str (b, desa);
      op.lon = lon;
      op.lat = lat;
      op.approximate = approximate;
      op.priority = priority;
      family_ref = -(gint64) ++imp->n_new_families;
      if (kk != NULL)
        idmap_put (&imp->kks, id_key (kk), family_ref);
      report->families++;
    }
  op.family_ref = family_ref;
  op.nik = batch_str (b, nik);
  op.name = batch_str (b, v[H_NAME]);
  op.sex = sex;
  op.birth = batch_str (b, birth);
  op.relation = batch_str (b, v[H_RELATION]);
  if (existing != 0)
    {
      op.person_ref = existing;
      report->updated++;
    }
  else
    {
      gint64 person_ref = -(gint64) ++imp->n_new_persons;

      if (nik != NULL)
        idmap_put (&imp->niks, id_key (nik), person_ref);
      else
        report->no_nik++;
    }
  op.first_code = b->codes->len;
  op.n_codes = n_codes;
  if (n_codes > 0)
    g_array_append_vals (b->codes, codes, n_codes);
  g_array_append_val (b->ops, op);
  if (approximate)
    report->approximate++;
  report->imported++;
  return TRUE;
}

static gint64
resolve (GArray *ids, gint64 ref)
{
  return ref > 0 ? ref : g_array_index (ids, gint64, -ref - 1);
}

/* Writes one accepted row (in the calling thread). */
static gboolean
write_op (Import *imp, const Batch *b, const RowOp *op, GError **error)
{
  gint64 family_id = 0, person_id;
  guint64 *codes;
  GeoPersonRecord rec = { 0, op->nik, op->name, op->sex, op->birth, op->relation,
                          imp->report->batch_id };

  if (op->new_family)
    {
      GeoFamilyRecord fam = { 0 };
      NewFamily nf;

      fam.no_kk = op->kk;
      fam.address = op->address;
      fam.rt = op->rt;
      fam.rw = op->rw;
      fam.desa_code = op->desa;
      fam.lon = op->lon;
      fam.lat = op->lat;
      fam.loc_source = op->approximate ? GEO_LOC_DESA_CENTROID : GEO_LOC_GPS;
      fam.gps_accuracy_m = NAN;
      fam.import_batch = imp->report->batch_id;
      family_id = insert_family (imp, &fam, op->priority, error);
      if (family_id <= 0)
        return FALSE;
      g_array_append_val (imp->family_ids, family_id);
      nf.id = family_id;
      nf.lon = op->lon;
      nf.lat = op->lat;
      g_array_append_val (imp->new_families, nf);
    }
  else if (op->family_ref != 0)
    family_id = resolve (imp->family_ids, op->family_ref);

  rec.family_id = family_id;
  if (op->person_ref != 0)
    {
      person_id = resolve (imp->person_ids, op->person_ref);
      if (!update_person (imp, person_id, family_id, &rec, error))
        return FALSE;
    }
  else
    {
      guint64 none = 0;

      person_id = insert_person (imp, &rec, error);
      if (person_id <= 0)
        return FALSE;
      g_array_append_val (imp->person_ids, person_id);
      g_array_append_val (imp->person_codes, none);
    }
  if (op->n_codes == 0)
    return TRUE;
  /* The categories this import already gave the person: a repeated category (in the row, or
   * in a later row of the same NIK) is skipped here, which the membership unique index did
   * (INSERT OR IGNORE) and still does when it is kept. */
  if (op->person_ref > 0)
    {
      gint64 key = op->person_ref;

      codes = g_hash_table_lookup (imp->old_person_codes, &key);
      if (codes == NULL)
        {
          codes = g_new0 (guint64, 1);
          g_hash_table_insert (imp->old_person_codes, g_memdup2 (&key, sizeof key), codes);
        }
    }
  else
    codes = &g_array_index (imp->person_codes, guint64,
                            op->person_ref < 0 ? -op->person_ref - 1
                                               : (gint64) imp->person_codes->len - 1);
  for (guint i = 0; i < op->n_codes; i++)
    {
      int code = g_array_index (b->codes, int, op->first_code + i);
      guint64 bit = code >= 0 && code < 64 ? G_GUINT64_CONSTANT (1) << code : 0;

      if ((*codes & bit) != 0)
        continue;
      *codes |= bit;
      if (!insert_membership (imp, person_id, code, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  Import       *imp;
  GAsyncQueue  *full;
  GAsyncQueue  *free;
  gint          stop;  /* atomic: the writer failed or was cancelled */
  GError       *error; /* the reader's, set before its last batch */
} Pipe;

static gpointer
reader_thread (gpointer data)
{
  Pipe *pipe = data;
  Import *imp = pipe->imp;
  Batch *b = NULL;
  GError *error = NULL;
  int rc = 1;

  while (rc > 0 && error == NULL)
    {
      b = g_async_queue_pop (pipe->free);
      g_array_set_size (b->ops, 0);
      g_array_set_size (b->codes, 0);
      g_string_chunk_clear (b->strings);
      b->last = FALSE;
      if (g_atomic_int_get (&pipe->stop))
        break;
      for (guint n = 0; n < BATCH_ROWS; n++)
        {
          rc = geo_row_source_next (imp->src, &error);
          if (rc <= 0)
            break;
          imp->report->read++;
          if (!classify_row (imp, b, &error))
            {
              g_prefix_error (&error, "Row %" G_GUINT64_FORMAT ": ", imp->report->read);
              break;
            }
        }
      b->read = imp->report->read;
      b->fraction = geo_row_source_fraction (imp->src);
      if (rc > 0 && error == NULL)
        g_async_queue_push (pipe->full, b);
    }
  pipe->error = error;
  b->last = TRUE;
  g_async_queue_push (pipe->full, b);
  return NULL;
}

/* Starts the reader and writes what it hands over until the end of the input. */
static gboolean
read_and_write (Import *imp, GCancellable *cancellable, GError **error)
{
  const GeoImportOptions *opts = imp->opts;
  Pipe pipe = { imp, g_async_queue_new_full ((GDestroyNotify) batch_free),
                g_async_queue_new_full ((GDestroyNotify) batch_free), 0, NULL };
  GError *local = NULL;
  GThread *reader;
  gboolean last = FALSE;

  for (int i = 0; i < N_BATCHES; i++)
    g_async_queue_push (pipe.free, batch_new ());
  reader = g_thread_new ("import-reader", reader_thread, &pipe);
  while (!last)
    {
      Batch *b = g_async_queue_pop (pipe.full);

      last = b->last;
      for (guint i = 0; i < b->ops->len && local == NULL; i++)
        {
          const RowOp *op = &g_array_index (b->ops, RowOp, i);

          if (!write_op (imp, b, op, &local))
            g_prefix_error (&local, "Row %" G_GUINT64_FORMAT ": ", op->row);
        }
      if (local == NULL && !last)
        {
          if (!g_cancellable_set_error_if_cancelled (cancellable, &local) &&
              opts->progress != NULL)
            opts->progress (b->read, b->fraction, opts->progress_data);
        }
      if (local != NULL)
        {
          g_atomic_int_set (&pipe.stop, 1);
          /* Drain: the reader stops at its next batch and hands over a last one. */
          while (!b->last)
            {
              g_async_queue_push (pipe.free, b);
              b = g_async_queue_pop (pipe.full);
            }
          last = TRUE;
        }
      g_async_queue_push (pipe.free, b);
    }
  g_thread_join (reader);
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.free);
  if (local != NULL)
    {
      g_clear_error (&pipe.error);
      g_propagate_error (error, local);
      return FALSE;
    }
  if (pipe.error != NULL)
    {
      g_propagate_error (error, pipe.error);
      return FALSE;
    }
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
  g_autoptr(GPtrArray) indexes = NULL;
  gboolean membership_unique = FALSE;
  gint64 t0, t1, t2, t3;

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
  /* Sized for the rows expected (at most 4M slots, 64 MB): no rehash while the reader runs. */
  idmap_init (&imp->niks, idmap_slots_for (geo_row_source_size_hint (imp->src)));
  idmap_init (&imp->kks, idmap_slots_for (geo_row_source_size_hint (imp->src) / 2));
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
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
  indexes = suspend_indexes (imp->store, geo_row_source_size_hint (imp->src),
                             &membership_unique, error);
  if (indexes == NULL)
    return FALSE;
  if (indexes->len > 0)
    set_cache_size (imp->store, -IMPORT_ROWS_CACHE_KIB);
  t0 = g_get_monotonic_time ();

  if (!read_and_write (imp, cancellable, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  t1 = g_get_monotonic_time ();
  if (!resume_triggers (imp->store, triggers, imp->new_families, error))
    return FALSE;
  t2 = g_get_monotonic_time ();
  if (indexes->len > 0)
    set_cache_size (imp->store, -IMPORT_SORT_CACHE_KIB);
  if (!resume_indexes (imp->store, indexes, error))
    return FALSE;
  t3 = g_get_monotonic_time ();
  if (!geo_import_end_batch (imp->store, imp->report, error))
    return FALSE;
  if (!geo_store_commit (imp->store, error))
    return FALSE;
  g_debug ("import: rows %.2f s, spatial index %.2f s, %u indexes (membership unique: %s) "
           "%.2f s, commit %.2f s",
           (t1 - t0) / 1e6, (t2 - t1) / 1e6, indexes->len, membership_unique ? "yes" : "no",
           (t3 - t2) / 1e6,
           (g_get_monotonic_time () - t3) / 1e6);
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
  imp.family_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  imp.person_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  imp.person_codes = g_array_new (FALSE, TRUE, sizeof (guint64));
  imp.old_person_codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
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
  g_clear_pointer (&imp.family_ids, g_array_unref);
  g_clear_pointer (&imp.person_ids, g_array_unref);
  g_clear_pointer (&imp.person_codes, g_array_unref);
  g_clear_pointer (&imp.old_person_codes, g_hash_table_unref);
  idmap_clear (&imp.niks);
  idmap_clear (&imp.kks);
  if (!ok)
    g_prefix_error (error, "Importing %s: ", path);
  return ok;
}

/* The header matching of the households import, for geo_import_preview(). */
const GeoImportAttr *
geo_import_household_attrs (guint *n_attrs)
{
  *n_attrs = H_N;
  return household_attrs;
}
