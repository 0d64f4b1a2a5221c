#include "config.h"

#include <string.h>

#include "geo-mask.h"

/**
 * geo_mask_id:
 * @id: a NIK or No. KK (16 digits), or any other identifier
 *
 * Keeps the first four characters (province and kabupaten/kota code, which are public) and the
 * last four, and replaces the rest with `*`: `3402126504870003` → `3402********0003`. The birth
 * date and kecamatan, which together with the serial identify a person, are hidden. An
 * identifier of 8 characters or fewer is masked entirely.
 *
 * Returns: (transfer full) (nullable): the masked identifier
 */
char *
geo_mask_id (const char *id)
{
  gsize len;
  char *out;

  if (id == NULL || *id == '\0')
    return NULL;
  len = strlen (id);
  out = g_strdup (id);
  for (gsize i = 0; i < len; i++)
    if (len <= 8 || (i >= 4 && i < len - 4))
      out[i] = '*';
  return out;
}

/**
 * geo_mask_name:
 * @name: a person's name, UTF-8
 *
 * Reduces a name to its initials, each followed by a dot: `Siti Aminah` → `S. A.`,
 * `sutrisno` → `S.`. Words are separated by white space; a word's first letter is kept
 * (upper-cased), other characters (punctuation such as `'` or `.`) are skipped.
 *
 * Returns: (transfer full) (nullable): the initials, NULL when @name has no letter
 */
char *
geo_mask_name (const char *name)
{
  GString *out;
  gboolean in_word = FALSE;

  if (name == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c))
        {
          in_word = FALSE;
          continue;
        }
      if (in_word || !g_unichar_isalnum (c))
        continue;
      in_word = TRUE;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_unichar_toupper (c));
      g_string_append_c (out, '.');
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}
