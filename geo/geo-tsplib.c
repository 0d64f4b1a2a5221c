#include "config.h"

#include "geo-tsplib.h"

#include <math.h>
#include <string.h>

#include "geo-error.h"

/* TSPLIB95 constants, exactly as the document gives them (not M_PI). */
#define TSPLIB_PI 3.141592
#define TSPLIB_RRR 6378.388

/* Best known (proven optimal) tour lengths from TSPLIB95's STSP.html. The instances shipped in
 * ../shared/data/tsplib are checked against their .opt.tour files in tests/geo/test-tsp.c. */
static const struct
{
  const char *name;
  gint64      optimum;
} known_optima[] = {
  { "burma14", 3323 },  { "ulysses16", 6859 }, { "ulysses22", 7013 }, { "att48", 10628 },
  { "eil51", 426 },     { "berlin52", 7542 },  { "st70", 675 },       { "eil76", 538 },
  { "pr76", 108159 },   { "gr96", 55209 },     { "kroA100", 21282 },  { "kroB100", 22141 },
  { "kroC100", 20749 }, { "kroD100", 21294 },  { "kroE100", 22068 },  { "rd100", 7910 },
  { "eil101", 629 },    { "lin105", 14379 },   { "ch130", 6110 },     { "ch150", 6528 },
  { "a280", 2579 },     { "pr439", 107217 },   { "pcb442", 50778 },   { "att532", 27686 },
  { "rat783", 8806 },   { "pr1002", 259045 },
};

int
geo_tsplib_nint (double x)
{
  return (int) (x + 0.5);
}

int
geo_tsplib_dist_euc_2d (double x1, double y1, double x2, double y2)
{
  double dx = x1 - x2, dy = y1 - y2;

  return geo_tsplib_nint (sqrt (dx * dx + dy * dy));
}

int
geo_tsplib_dist_ceil_2d (double x1, double y1, double x2, double y2)
{
  double dx = x1 - x2, dy = y1 - y2;

  return (int) ceil (sqrt (dx * dx + dy * dy));
}

/* DDD.MM (degrees and minutes) to radians. TSPLIB95's text writes deg = nint (x), but its FAQ
 * and every reference implementation (Concorde, LKH) truncate; only truncation reproduces the
 * published optima (e.g. ulysses16 = 6859, whose coordinates have minutes >= 30). */
static double
geo_radians (double x)
{
  double deg = (double) (int) x;
  double min = x - deg;

  return TSPLIB_PI * (deg + 5.0 * min / 3.0) / 180.0;
}

/* x is the latitude and y the longitude, both DDD.MM. Result in whole kilometres. */
int
geo_tsplib_dist_geo (double x1, double y1, double x2, double y2)
{
  double lat1 = geo_radians (x1), lon1 = geo_radians (y1);
  double lat2 = geo_radians (x2), lon2 = geo_radians (y2);
  double q1 = cos (lon1 - lon2);
  double q2 = cos (lat1 - lat2);
  double q3 = cos (lat1 + lat2);

  return (int) (TSPLIB_RRR * acos (0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)) + 1.0);
}

/* Pseudo-Euclidean distance of att48/att532. */
int
geo_tsplib_dist_att (double x1, double y1, double x2, double y2)
{
  double dx = x1 - x2, dy = y1 - y2;
  double r = sqrt ((dx * dx + dy * dy) / 10.0);
  int    t = geo_tsplib_nint (r);

  return t < r ? t + 1 : t;
}

int
geo_tsplib_distance (const GeoTsplibInstance *instance, guint i, guint j)
{
  const double *x = instance->x, *y = instance->y;

  g_return_val_if_fail (i < instance->dimension && j < instance->dimension, 0);

  if (i == j)
    return 0;
  switch (instance->weight_type)
    {
    case GEO_TSPLIB_EUC_2D:
      return geo_tsplib_dist_euc_2d (x[i], y[i], x[j], y[j]);
    case GEO_TSPLIB_CEIL_2D:
      return geo_tsplib_dist_ceil_2d (x[i], y[i], x[j], y[j]);
    case GEO_TSPLIB_GEO:
      return geo_tsplib_dist_geo (x[i], y[i], x[j], y[j]);
    case GEO_TSPLIB_ATT:
      return geo_tsplib_dist_att (x[i], y[i], x[j], y[j]);
    default:
      g_assert_not_reached ();
    }
}

/* Length of the closed tour visiting tour[0..n-1] (0-based nodes) and back to tour[0]. */
gint64
geo_tsplib_tour_length (const GeoTsplibInstance *instance, const guint *tour, guint n)
{
  gint64 total = 0;

  g_return_val_if_fail (instance != NULL, -1);
  g_return_val_if_fail (tour != NULL || n == 0, -1);

  for (guint k = 0; k < n; k++)
    total += geo_tsplib_distance (instance, tour[k], tour[(k + 1) % n]);
  return total;
}

const char *
geo_tsplib_weight_type_to_string (GeoTsplibWeightType type)
{
  switch (type)
    {
    case GEO_TSPLIB_EUC_2D:
      return "EUC_2D";
    case GEO_TSPLIB_CEIL_2D:
      return "CEIL_2D";
    case GEO_TSPLIB_GEO:
      return "GEO";
    case GEO_TSPLIB_ATT:
      return "ATT";
    default:
      return "?";
    }
}

gint64
geo_tsplib_known_optimum (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (known_optima); i++)
    if (g_ascii_strcasecmp (known_optima[i].name, name) == 0)
      return known_optima[i].optimum;
  return -1;
}

void
geo_tsplib_instance_free (GeoTsplibInstance *instance)
{
  if (instance == NULL)
    return;
  g_free (instance->name);
  g_free (instance->comment);
  g_free (instance->x);
  g_free (instance->y);
  g_free (instance);
}

/* Line reader with 1-based line numbers for error messages. */
typedef struct
{
  const char *source;
  const char *p;
  const char *end;
  guint       line_no;
  char       *line; /* current line, stripped */
} LineReader;

static gboolean
reader_next (LineReader *r)
{
  const char *eol;

  g_clear_pointer (&r->line, g_free);
  if (r->p >= r->end)
    return FALSE;
  eol = memchr (r->p, '\n', r->end - r->p);
  if (eol == NULL)
    eol = r->end;
  r->line = g_strstrip (g_strndup (r->p, eol - r->p));
  r->p = eol < r->end ? eol + 1 : r->end;
  r->line_no++;
  return TRUE;
}

static gboolean G_GNUC_PRINTF (3, 4)
    reader_fail (LineReader *r, GError **error, const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list          args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (r->line_no > 0)
    g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "%s:%u: %s", r->source, r->line_no, msg);
  else
    g_set_error (error, GEO_ERROR, GEO_ERROR_INVALID, "%s: %s", r->source, msg);
  return FALSE;
}

/* Splits "KEY : VALUE" (spaces around the colon optional). Returns FALSE when the line has no
 * colon; *key is then the whole line (a section keyword such as NODE_COORD_SECTION or EOF). */
static gboolean
split_header (char *line, char **key, char **value)
{
  char *colon = strchr (line, ':');

  if (colon == NULL)
    {
      *key = g_strstrip (line);
      *value = NULL;
      return FALSE;
    }
  *colon = '\0';
  *key = g_strstrip (line);
  *value = g_strstrip (colon + 1);
  return TRUE;
}

static gboolean
parse_uint (const char *text, guint *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
parse_double (const char *text, double *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static gboolean
read_coords (LineReader *r, GeoTsplibInstance *inst, GError **error)
{
  g_autofree guint8 *seen = g_new0 (guint8, inst->dimension);
  guint              n_read = 0;

  while (n_read < inst->dimension)
    {
      g_auto(GStrv) parts = NULL;
      const char *tokens[4];
      guint       id, n_tokens = 0;
      double      x, y;

      if (!reader_next (r))
        return reader_fail (r,
                            error,
                            "NODE_COORD_SECTION ends after %u of %u nodes",
                            n_read,
                            inst->dimension);
      if (r->line[0] == '\0')
        continue;
      parts = g_strsplit_set (r->line, " \t", -1);
      for (guint k = 0; parts[k] != NULL; k++)
        if (parts[k][0] != '\0')
          {
            if (n_tokens < G_N_ELEMENTS (tokens))
              tokens[n_tokens] = parts[k];
            n_tokens++;
          }
      if (n_tokens == 1 && strcmp (tokens[0], "EOF") == 0)
        return reader_fail (r,
                            error,
                            "EOF after %u of %u nodes of NODE_COORD_SECTION",
                            n_read,
                            inst->dimension);
      if (n_tokens != 3)
        return reader_fail (r,
                            error,
                            "expected “node x y” (3 fields), found %u field%s",
                            n_tokens,
                            n_tokens == 1 ? "" : "s");
      if (!parse_uint (tokens[0], &id))
        return reader_fail (r, error, "node number “%s” is not a positive integer", tokens[0]);
      if (id < 1 || id > inst->dimension)
        return reader_fail (r, error, "node %u is outside 1..%u (DIMENSION)", id, inst->dimension);
      if (seen[id - 1])
        return reader_fail (r, error, "node %u appears twice", id);
      if (!parse_double (tokens[1], &x))
        return reader_fail (r, error, "x coordinate “%s” is not a number", tokens[1]);
      if (!parse_double (tokens[2], &y))
        return reader_fail (r, error, "y coordinate “%s” is not a number", tokens[2]);
      seen[id - 1] = 1;
      inst->x[id - 1] = x;
      inst->y[id - 1] = y;
      n_read++;
    }
  return TRUE;
}

/**
 * geo_tsplib_parse:
 * @text: the contents of a .tsp file
 * @length: its length in bytes
 * @source_name: the file name used in error messages
 * @error: set to a GEO_ERROR_INVALID naming the line and the reason
 *
 * Returns: (transfer full): the instance, or %NULL
 */
GeoTsplibInstance *
geo_tsplib_parse (const char *text, gsize length, const char *source_name, GError **error)
{
  g_autoptr(GeoTsplibInstance) inst = g_new0 (GeoTsplibInstance, 1);
  LineReader r = { source_name != NULL ? source_name : "TSPLIB", text, text + length, 0, NULL };
  gboolean   have_type = FALSE, have_weight = FALSE, have_coords = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  inst->dimension = 0;
  while (reader_next (&r))
    {
      char *key, *value;

      if (r.line[0] == '\0')
        continue;
      if (!split_header (r.line, &key, &value))
        {
          if (strcmp (key, "EOF") == 0)
            break;
          if (strcmp (key, "NODE_COORD_SECTION") == 0)
            {
              if (inst->dimension == 0)
                {
                  reader_fail (&r, error, "NODE_COORD_SECTION before a DIMENSION");
                  goto fail;
                }
              if (!have_weight)
                {
                  reader_fail (&r, error, "NODE_COORD_SECTION before an EDGE_WEIGHT_TYPE");
                  goto fail;
                }
              if (have_coords)
                {
                  reader_fail (&r, error, "a second NODE_COORD_SECTION");
                  goto fail;
                }
              if (!read_coords (&r, inst, error))
                goto fail;
              have_coords = TRUE;
              continue;
            }
          if (g_str_has_suffix (key, "_SECTION"))
            {
              reader_fail (&r, error, "%s is not supported (only NODE_COORD_SECTION)", key);
              goto fail;
            }
          reader_fail (&r, error, "expected “KEY : VALUE” or a section name, found “%s”", key);
          goto fail;
        }

      if (strcmp (key, "NAME") == 0)
        g_free (inst->name), inst->name = g_strdup (value);
      else if (strcmp (key, "COMMENT") == 0)
        {
          char *joined = inst->comment != NULL ? g_strdup_printf ("%s %s", inst->comment, value)
                                               : g_strdup (value);

          g_free (inst->comment);
          inst->comment = joined;
        }
      else if (strcmp (key, "TYPE") == 0)
        {
          if (strcmp (value, "TSP") != 0)
            {
              reader_fail (&r, error, "TYPE %s is not supported (only symmetric TSP)", value);
              goto fail;
            }
          have_type = TRUE;
        }
      else if (strcmp (key, "DIMENSION") == 0)
        {
          if (have_coords || inst->dimension != 0)
            {
              reader_fail (&r, error, "DIMENSION given twice");
              goto fail;
            }
          if (!parse_uint (value, &inst->dimension) || inst->dimension < 1 ||
              inst->dimension > 10000000)
            {
              reader_fail (&r, error, "DIMENSION “%s” is not a node count", value);
              goto fail;
            }
          inst->x = g_new0 (double, inst->dimension);
          inst->y = g_new0 (double, inst->dimension);
        }
      else if (strcmp (key, "EDGE_WEIGHT_TYPE") == 0)
        {
          if (strcmp (value, "EUC_2D") == 0)
            inst->weight_type = GEO_TSPLIB_EUC_2D;
          else if (strcmp (value, "CEIL_2D") == 0)
            inst->weight_type = GEO_TSPLIB_CEIL_2D;
          else if (strcmp (value, "GEO") == 0)
            inst->weight_type = GEO_TSPLIB_GEO;
          else if (strcmp (value, "ATT") == 0)
            inst->weight_type = GEO_TSPLIB_ATT;
          else
            {
              reader_fail (&r,
                           error,
                           "EDGE_WEIGHT_TYPE %s is not supported (EUC_2D, CEIL_2D, GEO, ATT)",
                           value);
              goto fail;
            }
          have_weight = TRUE;
        }
      else if (strcmp (key, "NODE_COORD_TYPE") == 0)
        {
          if (strcmp (value, "TWOD_COORDS") != 0)
            {
              reader_fail (&r, error, "NODE_COORD_TYPE %s is not supported", value);
              goto fail;
            }
        }
      else if (strcmp (key, "DISPLAY_DATA_TYPE") == 0 || strcmp (key, "EDGE_WEIGHT_FORMAT") == 0)
        ; /* irrelevant for coordinate instances */
      else
        {
          reader_fail (&r, error, "unknown keyword “%s”", key);
          goto fail;
        }
    }
  g_clear_pointer (&r.line, g_free);

  if (!have_type)
    {
      r.line_no = 0;
      reader_fail (&r, error, "no “TYPE : TSP” line");
      return NULL;
    }
  if (!have_coords)
    {
      r.line_no = 0;
      reader_fail (&r, error, "no NODE_COORD_SECTION");
      return NULL;
    }
  if (inst->name == NULL)
    inst->name = g_strdup ("");
  return g_steal_pointer (&inst);

fail:
  g_clear_pointer (&r.line, g_free);
  return NULL;
}

static char *
load_file (const char *path, gsize *length, GError **error)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, error))
    return NULL;
  return contents;
}

GeoTsplibInstance *
geo_tsplib_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  contents = load_file (path, &length, error);
  if (contents == NULL)
    return NULL;
  return geo_tsplib_parse (contents, length, path, error);
}

/**
 * geo_tsplib_parse_tour:
 * @n_nodes: (out): the number of nodes in the tour
 *
 * Reads a TSPLIB TOUR file (the first tour of its TOUR_SECTION, ended by -1 or EOF).
 * The tour must be a permutation of 1..n; when DIMENSION is present n must equal it.
 *
 * Returns: (transfer full): the 0-based node sequence, or %NULL
 */
guint *
geo_tsplib_parse_tour (
    const char *text, gsize length, const char *source_name, guint *n_nodes, GError **error)
{
  LineReader r = {
    source_name != NULL ? source_name : "TSPLIB tour", text, text + length, 0, NULL
  };
  g_autoptr(GArray) tour = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint8 *seen = NULL;
  guint              dimension = 0;
  gboolean           in_section = FALSE, done = FALSE, have_section = FALSE;

  g_return_val_if_fail (n_nodes != NULL, NULL);

  while (!done && reader_next (&r))
    {
      char *key, *value;

      if (r.line[0] == '\0')
        continue;
      if (in_section)
        {
          g_auto(GStrv) tokens = g_strsplit_set (r.line, " \t", -1);

          for (guint k = 0; tokens[k] != NULL && !done; k++)
            {
              gint64 id;

              if (tokens[k][0] == '\0')
                continue;
              if (strcmp (tokens[k], "EOF") == 0)
                {
                  done = TRUE;
                  break;
                }
              if (!g_ascii_string_to_signed (tokens[k], 10, G_MININT, G_MAXINT, &id, NULL))
                {
                  reader_fail (&r, error, "tour entry “%s” is not a node number", tokens[k]);
                  goto fail;
                }
              if (id == -1)
                {
                  done = TRUE;
                  break;
                }
              if (id < 1 || (dimension > 0 && id > dimension))
                {
                  if (dimension > 0)
                    reader_fail (&r,
                                 error,
                                 "node %" G_GINT64_FORMAT " is outside 1..%u",
                                 id,
                                 dimension);
                  else
                    reader_fail (&r, error, "node %" G_GINT64_FORMAT " is not positive", id);
                  goto fail;
                }
              {
                guint v = (guint) (id - 1);
                g_array_append_val (tour, v);
              }
            }
          continue;
        }
      if (!split_header (r.line, &key, &value))
        {
          if (strcmp (key, "EOF") == 0)
            break;
          if (strcmp (key, "TOUR_SECTION") == 0)
            {
              in_section = have_section = TRUE;
              continue;
            }
          reader_fail (&r, error, "expected “KEY : VALUE” or TOUR_SECTION, found “%s”", key);
          goto fail;
        }
      if (strcmp (key, "TYPE") == 0 && strcmp (value, "TOUR") != 0)
        {
          reader_fail (&r, error, "TYPE %s is not a TOUR", value);
          goto fail;
        }
      if (strcmp (key, "DIMENSION") == 0 && (!parse_uint (value, &dimension) || dimension < 1))
        {
          reader_fail (&r, error, "DIMENSION “%s” is not a node count", value);
          goto fail;
        }
    }
  g_clear_pointer (&r.line, g_free);
  r.line_no = 0;

  if (!have_section)
    {
      reader_fail (&r, error, "no TOUR_SECTION");
      return NULL;
    }
  if (dimension > 0 && tour->len != dimension)
    {
      reader_fail (&r, error, "the tour has %u nodes, DIMENSION is %u", tour->len, dimension);
      return NULL;
    }
  if (tour->len == 0)
    {
      reader_fail (&r, error, "the tour is empty");
      return NULL;
    }
  seen = g_new0 (guint8, tour->len);
  for (guint k = 0; k < tour->len; k++)
    {
      guint v = g_array_index (tour, guint, k);

      if (v >= tour->len)
        {
          reader_fail (&r, error, "node %u is outside 1..%u (the tour's length)", v + 1, tour->len);
          return NULL;
        }
      if (seen[v])
        {
          reader_fail (&r, error, "node %u is visited twice", v + 1);
          return NULL;
        }
      seen[v] = 1;
    }
  *n_nodes = tour->len;
  return (guint *) g_array_free (g_steal_pointer (&tour), FALSE);

fail:
  g_clear_pointer (&r.line, g_free);
  return NULL;
}

guint *
geo_tsplib_load_tour (const char *path, guint *n_nodes, GError **error)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  contents = load_file (path, &length, error);
  if (contents == NULL)
    return NULL;
  return geo_tsplib_parse_tour (contents, length, path, n_nodes, error);
}

/* Writes @tour (0-based) as a TSPLIB TOUR file with 1-based node numbers. */
gboolean
geo_tsplib_write_tour (const char  *path,
                       const char  *name,
                       const char  *comment,
                       const guint *tour,
                       guint        n,
                       GError     **error)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (tour != NULL || n == 0, FALSE);

  g_string_append_printf (s, "NAME : %s\n", name != NULL ? name : "tour");
  if (comment != NULL)
    g_string_append_printf (s, "COMMENT : %s\n", comment);
  g_string_append_printf (s, "TYPE : TOUR\nDIMENSION : %u\nTOUR_SECTION\n", n);
  for (guint k = 0; k < n; k++)
    g_string_append_printf (s, "%u\n", tour[k] + 1);
  g_string_append (s, "-1\nEOF\n");
  if (!g_file_set_contents (path, s->str, s->len, error))
    {
      g_prefix_error (error, "Writing the tour: ");
      return FALSE;
    }
  return TRUE;
}
