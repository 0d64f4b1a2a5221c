#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "geo-categories.h"
#include "geo-error.h"
#include "geo-resources.h"
#include "geo-store-private.h"

typedef struct
{
  GeoCategory *items;
  guint        n;
  GHashTable  *by_name; /* normalized name -> GINT_TO_POINTER (code) */
} Table;

/* Spellings found in operators' spreadsheets, normalized, mapped to their code. */
static const struct
{
  const char *alias;
  int         code;
} pmks_aliases[] = {
  { "lansia", 8 },
  { "lansia telantar", 8 },
  { "lanjut usia", 8 },
  { "disabilitas", 9 },
  { "penyandang cacat", 9 },
  { "difabel", 9 },
  { "odgj", 9 },
  { "odha", 16 },
  { "orang dengan hiv aids odha", 16 },
  { "hiv aids", 16 },
  { "napza", 17 },
  { "korban napza", 17 },
  { "miskin", 24 },
  { "fakir", 24 },
  { "pmbs", 20 },
  { "bwblp", 15 },
  { "mantan narapidana", 15 },
  { "kat", 26 },
  { "rtlh", -1 }, /* DTSEN item without a Permensos 8/2012 code: rejected with a reason */
};

static const struct
{
  const char *alias;
  int         code;
} psks_aliases[] = {
  { "peksos", 1 },
  { "pekerja sosial", 1 },
  { "psm", 2 },
  { "tagana", 3 },
  { "lks", 4 },
  { "panti", 4 },
  { "karang taruna", 5 },
  { "kt", 5 },
  { "lk3", 6 },
  { "wksbm", 8 },
  { "wpks", 9 },
  { "penyuluh", 10 },
  { "tksk", 11 },
  { "dunia usaha", 12 },
  { "csr", 12 },
};

/**
 * geo_normalize_name:
 *
 * Lower-case ASCII, every run of non-alphanumerics turned into one space, trimmed,
 * with the common spelling variant "terlantar" folded to "telantar".
 */
char *
geo_normalize_name (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  char *p;

  for (const char *s = text; s != NULL && *s; s++)
    {
      if (g_ascii_isalnum (*s))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, g_ascii_tolower (*s));
        }
      else
        space = TRUE;
    }
  while ((p = strstr (out->str, "terlantar")) != NULL)
    g_string_erase (out, p - out->str + 2, 1);
  return g_string_free (out, FALSE);
}

static void
table_add_name (Table *t, const char *name, int code)
{
  char *key = geo_normalize_name (name);

  if (*key == '\0' || g_hash_table_contains (t->by_name, key))
    g_free (key);
  else
    g_hash_table_insert (t->by_name, key, GINT_TO_POINTER (code));
}

static Table *
table_load (const char *resource)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  Table *t = g_new0 (Table, 1);

  geo_store_ensure_resources ();
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  t->items = g_new0 (GeoCategory, g_strv_length (lines));
  t->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (g_strstrip (lines[i]), ",", -1);
      GeoCategory *c;

      if (g_strv_length (f) != 6)
        continue;
      c = &t->items[t->n++];
      c->code = atoi (f[0]);
      g_assert (c->code == (int) t->n); /* the tables are listed in code order */
      c->name = g_intern_string (f[1]);
      c->short_name = g_intern_string (f[2]);
      c->name_en = g_intern_string (f[3]);
      c->colour = g_intern_string (f[4]);
      c->symbol = g_intern_string (f[5]);
      table_add_name (t, c->name, c->code);
      table_add_name (t, c->name_en, c->code);
      table_add_name (t, c->short_name, c->code);
    }
  return t;
}

static Table *
pmks_table (void)
{
  static Table *table = NULL;
  static gsize init = 0;

  if (g_once_init_enter (&init))
    {
      Table *t = table_load ("/id/go/dinsos/Jangkau/geo/pmks-permensos-8-2012.csv");

      for (guint i = 0; i < G_N_ELEMENTS (pmks_aliases); i++)
        table_add_name (t, pmks_aliases[i].alias, pmks_aliases[i].code);
      table = t;
      g_once_init_leave (&init, 1);
    }
  return table;
}

static Table *
psks_table (void)
{
  static Table *table = NULL;
  static gsize init = 0;

  if (g_once_init_enter (&init))
    {
      Table *t = table_load ("/id/go/dinsos/Jangkau/geo/psks-permensos-8-2012.csv");

      for (guint i = 0; i < G_N_ELEMENTS (psks_aliases); i++)
        table_add_name (t, psks_aliases[i].alias, psks_aliases[i].code);
      table = t;
      g_once_init_leave (&init, 1);
    }
  return table;
}

guint
geo_pmks_count (void)
{
  return pmks_table ()->n;
}

const GeoCategory *
geo_pmks_get (int code)
{
  Table *t = pmks_table ();

  if (code < 1 || code > (int) t->n)
    return NULL;
  return &t->items[code - 1];
}

guint
geo_psks_count (void)
{
  return psks_table ()->n;
}

const GeoCategory *
geo_psks_get (int code)
{
  Table *t = psks_table ();

  if (code < 1 || code > (int) t->n)
    return NULL;
  return &t->items[code - 1];
}

static gboolean
table_lookup (Table *t, const char *text, int *code)
{
  g_autofree char *key = NULL;
  gpointer value;
  char *end;
  gint64 n;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  n = g_ascii_strtoll (text, &end, 10);
  if (end != text)
    {
      while (g_ascii_isspace (*end))
        end++;
      if (*end == '\0')
        {
          if (n < 1 || n > t->n)
            return FALSE;
          *code = (int) n;
          return TRUE;
        }
    }
  key = geo_normalize_name (text);
  if (!g_hash_table_lookup_extended (t->by_name, key, NULL, &value) || GPOINTER_TO_INT (value) < 0)
    return FALSE;
  *code = GPOINTER_TO_INT (value);
  return TRUE;
}

/**
 * geo_pmks_lookup:
 * @text: a code ("24") or a name ("Fakir Miskin", "lansia terlantar", "FM")
 *
 * Returns: TRUE and sets @code when @text names one of the 26 PMKS categories.
 */
gboolean
geo_pmks_lookup (const char *text, int *code)
{
  return table_lookup (pmks_table (), text, code);
}

gboolean
geo_psks_lookup (const char *text, int *code)
{
  return table_lookup (psks_table (), text, code);
}

/**
 * geo_parse_category_list:
 * @text: one cell: codes or names separated by `|`, `,` or `;`
 * @psks: parse PSKS types instead of PMKS categories
 *
 * Returns: (transfer full): the distinct codes in order of appearance; NULL with @error
 * naming the first unknown item. An empty cell gives an empty array (n_codes = 0).
 */
int *
geo_parse_category_list (const char *text, gboolean psks, guint *n_codes, GError **error)
{
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", "|,;", -1);
  g_autoptr(GArray) codes = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      int code;
      gboolean dup = FALSE;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (!(psks ? geo_psks_lookup (parts[i], &code) : geo_pmks_lookup (parts[i], &code)))
        {
          g_set_error (error,
                       GEO_ERROR,
                       GEO_ERROR_INVALID,
                       "unknown %s “%s”",
                       psks ? "PSKS type" : "PMKS category",
                       parts[i]);
          return NULL;
        }
      for (guint j = 0; j < codes->len; j++)
        dup |= g_array_index (codes, int, j) == code;
      if (!dup)
        g_array_append_val (codes, code);
    }
  *n_codes = codes->len;
  return (int *) g_array_free (g_steal_pointer (&codes), FALSE);
}
