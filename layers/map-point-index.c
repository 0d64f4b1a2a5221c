#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map-point-index.h"

#define KEY_CELLS (1u << MAP_POINT_INDEX_KEY_LEVEL)
#define N_CATS    26

struct _MapPointIndex
{
  guint    n;
  guint64 *keys; /* Morton keys at MAP_POINT_INDEX_KEY_LEVEL, ascending */
  double  *x;
  double  *y;
  gint64  *ids;
  guint32 *categories;
  guint32 *persons;
  guint32  visible;
  GArray  *bins[MAP_POINT_INDEX_PYRAMID_LEVELS]; /* MapBin, ascending key */
};

/* Web Mercator, normalized: x = 0 at 180W, 1 at 180E; y = 0 at 85.05N, 1 at 85.05S. */
void
map_lonlat_to_mercator (double lon, double lat, double *x, double *y)
{
  double s;

  lat = CLAMP (lat, -85.0511287798, 85.0511287798);
  s = sin (lat * G_PI / 180.0);
  *x = (lon + 180.0) / 360.0;
  *y = 0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI);
}

void
map_mercator_to_lonlat (double x, double y, double *lon, double *lat)
{
  *lon = x * 360.0 - 180.0;
  *lat = 90.0 - 360.0 * atan (exp ((y - 0.5) * 2 * G_PI)) / G_PI;
}

static inline guint64
spread (guint32 v)
{
  guint64 x = v;

  x = (x | (x << 16)) & 0x0000FFFF0000FFFFull;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFull;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0Full;
  x = (x | (x << 2)) & 0x3333333333333333ull;
  x = (x | (x << 1)) & 0x5555555555555555ull;
  return x;
}

static inline guint64
morton (guint32 column, guint32 row)
{
  return spread (column) | (spread (row) << 1);
}

static inline guint32
to_cell (double v)
{
  double c = floor (v * KEY_CELLS);

  return (guint32) CLAMP (c, 0, KEY_CELLS - 1);
}

typedef struct
{
  guint64 key;
  guint   input;
} SortItem;

static int
compare_items (const void *a, const void *b)
{
  const SortItem *ia = a, *ib = b;

  if (ia->key != ib->key)
    return ia->key < ib->key ? -1 : 1;
  return ia->input < ib->input ? -1 : ia->input > ib->input;
}

/**
 * map_point_index_new:
 * @points: families in lon, lat (EPSG:4326)
 *
 * Projects and sorts the points; O(n log n). Safe to call in a worker thread.
 * Every category is visible at first.
 */
MapPointIndex *
map_point_index_new (const MapFamilyPoint *points, guint n_points)
{
  MapPointIndex *index = g_new0 (MapPointIndex, 1);
  SortItem      *items = g_new (SortItem, MAX (n_points, 1));
  double        *px = g_new (double, MAX (n_points, 1));
  double        *py = g_new (double, MAX (n_points, 1));

  for (guint i = 0; i < n_points; i++)
    {
      map_lonlat_to_mercator (points[i].lon, points[i].lat, &px[i], &py[i]);
      items[i].key = morton (to_cell (px[i]), to_cell (py[i]));
      items[i].input = i;
    }
  qsort (items, n_points, sizeof (SortItem), compare_items);

  index->n = n_points;
  index->keys = g_new (guint64, MAX (n_points, 1));
  index->x = g_new (double, MAX (n_points, 1));
  index->y = g_new (double, MAX (n_points, 1));
  index->ids = g_new (gint64, MAX (n_points, 1));
  index->categories = g_new (guint32, MAX (n_points, 1));
  index->persons = g_new (guint32, MAX (n_points, 1));
  for (guint i = 0; i < n_points; i++)
    {
      guint k = items[i].input;

      index->keys[i] = items[i].key;
      index->x[i] = px[k];
      index->y[i] = py[k];
      index->ids[i] = points[k].id;
      index->categories[i] = map_point_index_category_mask (points[k].categories);
      index->persons[i] = points[k].n_persons;
    }
  g_free (items);
  g_free (px);
  g_free (py);

  for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
    index->bins[l] = g_array_new (FALSE, FALSE, sizeof (MapBin));
  index->visible = 0;
  map_point_index_set_visible (index, 0xffffffffu);
  return index;
}

void
map_point_index_free (MapPointIndex *index)
{
  if (index == NULL)
    return;
  for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
    g_array_unref (index->bins[l]);
  g_free (index->keys);
  g_free (index->x);
  g_free (index->y);
  g_free (index->ids);
  g_free (index->categories);
  g_free (index->persons);
  g_free (index);
}

guint
map_point_index_get_n_points (MapPointIndex *index)
{
  return index->n;
}

guint32
map_point_index_get_visible (MapPointIndex *index)
{
  return index->visible;
}

static void
close_bin (GArray *bins, MapBin *bin, const guint32 *counts)
{
  guint32 best = 0;

  if (bin->families == 0)
    return;
  bin->x /= bin->families;
  bin->y /= bin->families;
  bin->dominant = 0;
  for (guint c = 0; c < N_CATS; c++)
    if (counts[c] > best)
      {
        best = counts[c];
        bin->dominant = c + 1;
      }
  g_array_append_val (bins, *bin);
}

/**
 * map_point_index_set_visible:
 * @visible_mask: category bits to show (bit code - 1, plus %MAP_NO_CATEGORY)
 *
 * Rebuilds the cluster pyramid for the families having at least one visible category:
 * one pass over the sorted points, O(n * levels).
 */
void
map_point_index_set_visible (MapPointIndex *index, guint32 visible_mask)
{
  MapBin  open[MAP_POINT_INDEX_PYRAMID_LEVELS];
  guint32 counts[MAP_POINT_INDEX_PYRAMID_LEVELS][N_CATS];

  if (index->visible == visible_mask && index->bins[0]->len > 0)
    return;
  index->visible = visible_mask;
  memset (open, 0, sizeof open);
  memset (counts, 0, sizeof counts);
  for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
    g_array_set_size (index->bins[l], 0);

  for (guint i = 0; i < index->n; i++)
    {
      guint32 cats = index->categories[i] & visible_mask;

      if (cats == 0)
        continue;
      cats &= (1u << N_CATS) - 1;
      for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
        {
          guint64 key = index->keys[i] >> (2 * (MAP_POINT_INDEX_KEY_LEVEL - l));
          MapBin *bin = &open[l];

          if (bin->families == 0 || bin->key != key)
            {
              close_bin (index->bins[l], bin, counts[l]);
              memset (bin, 0, sizeof *bin);
              memset (counts[l], 0, sizeof counts[l]);
              bin->key = key;
              bin->first = i;
            }
          bin->x += index->x[i];
          bin->y += index->y[i];
          bin->families++;
          bin->persons += index->persons[i];
          for (guint32 c = cats; c != 0; c &= c - 1)
            counts[l][__builtin_ctz (c)]++;
        }
    }
  for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
    close_bin (index->bins[l], &open[l], counts[l]);
}

const double *
map_point_index_get_x (MapPointIndex *index)
{
  return index->x;
}

const double *
map_point_index_get_y (MapPointIndex *index)
{
  return index->y;
}

const gint64 *
map_point_index_get_ids (MapPointIndex *index)
{
  return index->ids;
}

const guint32 *
map_point_index_get_categories (MapPointIndex *index)
{
  return index->categories;
}

const guint32 *
map_point_index_get_persons (MapPointIndex *index)
{
  return index->persons;
}

static guint
lower_bound (const guint64 *keys, guint n, guint64 key)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (keys[mid] < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * map_point_index_cell_range:
 * @level: 0 to MAP_POINT_INDEX_KEY_LEVEL
 *
 * The run [first, end) of sorted points inside tile (column, row) of @level.
 */
void
map_point_index_cell_range (MapPointIndex *index,
                            guint          level,
                            guint32        column,
                            guint32        row,
                            guint         *first,
                            guint         *end)
{
  guint   shift;
  guint64 lo;

  g_assert (level <= MAP_POINT_INDEX_KEY_LEVEL);
  shift = 2 * (MAP_POINT_INDEX_KEY_LEVEL - level);
  lo = morton (column, row) << shift;
  *first = lower_bound (index->keys, index->n, lo);
  *end = lower_bound (index->keys, index->n, lo + (G_GUINT64_CONSTANT (1) << shift));
  if (*end < *first)
    *end = *first;
}

const MapBin *
map_point_index_get_bins (MapPointIndex *index, guint level, guint *n_bins)
{
  g_assert (level < MAP_POINT_INDEX_PYRAMID_LEVELS);
  *n_bins = index->bins[level]->len;
  return (const MapBin *) index->bins[level]->data;
}

static guint
bin_lower_bound (const MapBin *bins, guint n, guint64 key)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (bins[mid].key < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * map_point_index_bin_range:
 * @level: the bins' pyramid level
 * @cell_level: a coarser or equal level, of the tile (column, row)
 *
 * The run [first, end) of @level's bins inside that tile.
 */
void
map_point_index_bin_range (MapPointIndex *index,
                           guint          level,
                           guint          cell_level,
                           guint32        column,
                           guint32        row,
                           guint         *first,
                           guint         *end)
{
  const MapBin *bins = (const MapBin *) index->bins[level]->data;
  guint         n = index->bins[level]->len;
  guint         shift;
  guint64       lo;

  g_assert (cell_level <= level && level < MAP_POINT_INDEX_PYRAMID_LEVELS);
  shift = 2 * (level - cell_level);
  lo = morton (column, row) << shift;
  *first = bin_lower_bound (bins, n, lo);
  *end = bin_lower_bound (bins, n, lo + (G_GUINT64_CONSTANT (1) << shift));
}

/**
 * map_point_index_nearest:
 * @x: normalized Mercator x
 * @max_dist: search radius in normalized Mercator units
 *
 * The visible point nearest to (x, y) within @max_dist, by searching the key runs of
 * the few cells around the point at the level whose cells are about @max_dist wide.
 */
gboolean
map_point_index_nearest (MapPointIndex *index,
                         double         x,
                         double         y,
                         double         max_dist,
                         guint         *found)
{
  int      level;
  double   cells, best = max_dist * max_dist;
  gboolean ok = FALSE;
  guint32  c0, c1, r0, r1;

  if (index->n == 0 || max_dist <= 0)
    return FALSE;
  level = (int) floor (-log2 (max_dist));
  level = CLAMP (level, 0, MAP_POINT_INDEX_KEY_LEVEL);
  cells = (double) (1u << level);
  c0 = (guint32) CLAMP (floor ((x - max_dist) * cells), 0, cells - 1);
  c1 = (guint32) CLAMP (floor ((x + max_dist) * cells), 0, cells - 1);
  r0 = (guint32) CLAMP (floor ((y - max_dist) * cells), 0, cells - 1);
  r1 = (guint32) CLAMP (floor ((y + max_dist) * cells), 0, cells - 1);
  for (guint32 r = r0; r <= r1; r++)
    for (guint32 c = c0; c <= c1; c++)
      {
        guint first, end;

        map_point_index_cell_range (index, level, c, r, &first, &end);
        for (guint i = first; i < end; i++)
          {
            double dx = index->x[i] - x, dy = index->y[i] - y, d2 = dx * dx + dy * dy;

            if ((index->categories[i] & index->visible) == 0)
              continue;
            if (d2 <= best)
              {
                best = d2;
                *found = i;
                ok = TRUE;
              }
          }
      }
  return ok;
}

/* Linear: the index is sorted by position, not id. Used on selection, not per frame. */
gboolean
map_point_index_find_id (MapPointIndex *index, gint64 id, guint *found)
{
  for (guint i = 0; i < index->n; i++)
    if (index->ids[i] == id)
      {
        *found = i;
        return TRUE;
      }
  return FALSE;
}

/* First sorted position whose key is greater than @key. */
static guint
upper_bound (const guint64 *keys, guint n, guint64 key)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (keys[mid] <= key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

#define MOVE_ALL(dst, src, count)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    memmove (index->keys + (dst), index->keys + (src), (count) * sizeof *index->keys);             \
    memmove (index->x + (dst), index->x + (src), (count) * sizeof *index->x);                      \
    memmove (index->y + (dst), index->y + (src), (count) * sizeof *index->y);                      \
    memmove (index->ids + (dst), index->ids + (src), (count) * sizeof *index->ids);                \
    memmove (index->categories + (dst),                                                            \
             index->categories + (src),                                                            \
             (count) * sizeof *index->categories);                                                 \
    memmove (index->persons + (dst), index->persons + (src), (count) * sizeof *index->persons);    \
  }                                                                                                \
  G_STMT_END

/**
 * map_point_index_update:
 * @point: the family's new point, categories and person count (found by its id)
 * @remove: take the family out instead
 *
 * Moves one family to its new place in the sorted arrays (adding it when it is not in the
 * index yet) and rebuilds the cluster pyramid for the visible categories: O(n), no
 * re-sort and no SQL, so a record saved in the app shows on the map at once. Main thread
 * only (the layer reads the index while drawing). Returns FALSE when nothing changed (the
 * family is where it was, with the same categories and persons, or was not there to remove).
 */
gboolean
map_point_index_update (MapPointIndex *index, const MapFamilyPoint *point, gboolean remove)
{
  guint    old = 0, pos;
  gboolean found;
  double   x, y;
  guint64  key;

  g_return_val_if_fail (index != NULL && point != NULL, FALSE);
  found = map_point_index_find_id (index, point->id, &old);
  if (remove && !found)
    return FALSE;
  if (remove)
    {
      MOVE_ALL (old, old + 1, index->n - old - 1);
      index->n--;
    }
  else
    {
      map_lonlat_to_mercator (point->lon, point->lat, &x, &y);
      key = morton (to_cell (x), to_cell (y));
      /* A save that changed nothing the map shows (a status, a name): no rebuild. */
      if (found && index->x[old] == x && index->y[old] == y &&
          index->categories[old] == map_point_index_category_mask (point->categories) &&
          index->persons[old] == point->n_persons)
        return FALSE;
      pos = upper_bound (index->keys, index->n, key);
      if (!found)
        {
          guint size = index->n + 1;

          index->keys = g_renew (guint64, index->keys, size);
          index->x = g_renew (double, index->x, size);
          index->y = g_renew (double, index->y, size);
          index->ids = g_renew (gint64, index->ids, size);
          index->categories = g_renew (guint32, index->categories, size);
          index->persons = g_renew (guint32, index->persons, size);
          MOVE_ALL (pos + 1, pos, index->n - pos);
          index->n++;
        }
      else if (pos > old)
        {
          /* Only the run between the old and the new place shifts (a short one when the
           * family moved a few hundred metres). */
          MOVE_ALL (old, old + 1, pos - old - 1);
          pos--;
        }
      else
        MOVE_ALL (pos + 1, pos, old - pos);
      index->keys[pos] = key;
      index->x[pos] = x;
      index->y[pos] = y;
      index->ids[pos] = point->id;
      index->categories[pos] = map_point_index_category_mask (point->categories);
      index->persons[pos] = point->n_persons;
    }
  /* Forces the pyramid rebuild (set_visible skips an unchanged mask). */
  for (guint l = 0; l < MAP_POINT_INDEX_PYRAMID_LEVELS; l++)
    g_array_set_size (index->bins[l], 0);
  map_point_index_set_visible (index, index->visible);
  return TRUE;
}
