#include "config.h"

#include "geo-tsp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo-error.h"

/* Internal representation: an array tour[] of node ids and its inverse pos[]. Paths are solved
 * as cycles through one extra "dummy" node whose edges cost 0 to the allowed path ends and a
 * prohibitive penalty to every other node, so a cycle of minimal cost cut at the dummy is the
 * optimal path. */

#define NO_NODE G_MAXUINT
#define EPS 1e-9
/* Above this many nodes the n x n cost matrix (8 n^2 bytes) is not cached. */
#define MATRIX_MAX_NODES 3000
/* Up to this many nodes (dummy included) the optimum is found by enumeration. */
#define EXACT_MAX_NODES 9

typedef struct
{
  guint              n;      /* nodes in the working cycle, dummy included */
  guint              n_user; /* nodes of the caller */
  double            *m;      /* n x n costs, or NULL */
  GeoTspDistanceFunc func;
  gpointer           data;
  const double      *user_m;       /* caller's matrix, n_user x n_user, or NULL */
  guint              dummy;        /* NO_NODE for a closed tour */
  guint              fix_a, fix_b; /* path ends the dummy must touch; NO_NODE: free */
  double             penalty;

  guint *tour;
  guint *pos;
  guint  k;
  guint *nb; /* n x k nearest neighbours, nearest first */

  guint  *queue; /* circular FIFO of nodes whose don't-look bit is off */
  guint8 *queued;
  guint   q_head, q_len;

  GRand *rand;
} Tsp;

static inline double
user_dist (const Tsp *t, guint i, guint j)
{
  if (t->user_m != NULL)
    return t->user_m[(gsize) i * t->n_user + j];
  return t->func (i, j, t->data);
}

static double
raw_dist (const Tsp *t, guint i, guint j)
{
  if (i == j)
    return 0;
  if (i == t->dummy || j == t->dummy)
    {
      guint other = i == t->dummy ? j : i;

      if (t->fix_a == NO_NODE)
        return 0;
      return other == t->fix_a || other == t->fix_b ? 0 : t->penalty;
    }
  return user_dist (t, i, j);
}

static inline double
D (const Tsp *t, guint i, guint j)
{
  if (t->m != NULL)
    return t->m[(gsize) i * t->n + j];
  return raw_dist (t, i, j);
}

static inline guint
succ (const Tsp *t, guint v)
{
  guint p = t->pos[v] + 1;

  return t->tour[p == t->n ? 0 : p];
}

static inline guint
pred (const Tsp *t, guint v)
{
  guint p = t->pos[v];

  return t->tour[p == 0 ? t->n - 1 : p - 1];
}

static inline guint
wrap (const Tsp *t, gint64 p)
{
  gint64 n = t->n;

  p %= n;
  return (guint) (p < 0 ? p + n : p);
}

static double
tour_cost (const Tsp *t)
{
  double total = 0;

  for (guint i = 0; i < t->n; i++)
    total += D (t, t->tour[i], t->tour[i + 1 == t->n ? 0 : i + 1]);
  return total;
}

/* ---- set-up: cost cache, penalty, neighbour lists ---- */

static void
build_costs (Tsp *t)
{
  double max_d = 0;
  guint  n = t->n;

  if (n <= MATRIX_MAX_NODES)
    {
      t->m = g_new (double, (gsize) n *n);
      for (guint i = 0; i < t->n_user; i++)
        {
          t->m[(gsize) i * n + i] = 0;
          for (guint j = i + 1; j < t->n_user; j++)
            {
              double d = user_dist (t, i, j);

              t->m[(gsize) i * n + j] = t->m[(gsize) j * n + i] = d;
              max_d = MAX (max_d, d);
            }
        }
    }
  else
    {
      for (guint i = 0; i < t->n_user; i++)
        for (guint j = i + 1; j < t->n_user; j++)
          max_d = MAX (max_d, user_dist (t, i, j));
    }

  /* Larger than any route without penalised edges: such a route always wins. */
  t->penalty = (max_d + 1.0) * (t->n_user + 1);

  if (t->m != NULL && t->dummy != NO_NODE)
    for (guint i = 0; i < n; i++)
      {
        double d = raw_dist (t, t->dummy, i);

        t->m[(gsize) t->dummy * n + i] = t->m[(gsize) i * n + t->dummy] = d;
      }
}

static void
build_neighbours (Tsp *t)
{
  guint              n = t->n, k = t->k;
  g_autofree double *best = g_new (double, k);

  t->nb = g_new (guint, (gsize) n * k);
  for (guint i = 0; i < n; i++)
    {
      guint *row = t->nb + (gsize) i * k;
      guint  filled = 0;

      for (guint j = 0; j < n; j++)
        {
          double d;
          guint  slot;

          if (j == i)
            continue;
          d = D (t, i, j);
          if (filled == k && d >= best[k - 1])
            continue;
          slot = filled < k ? filled++ : k - 1;
          while (slot > 0 && best[slot - 1] > d)
            {
              best[slot] = best[slot - 1];
              row[slot] = row[slot - 1];
              slot--;
            }
          best[slot] = d;
          row[slot] = j;
        }
    }
}

/* ---- construction: greedy edge matching on the candidate edges ---- */

typedef struct
{
  double d;
  guint  a, b;
} Edge;

static int
edge_cmp (const void *pa, const void *pb)
{
  const Edge *a = pa, *b = pb;

  if (a->d != b->d)
    return a->d < b->d ? -1 : 1;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return a->b < b->b ? -1 : (a->b > b->b);
}

static guint
uf_find (guint *parent, guint x)
{
  while (parent[x] != x)
    {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
  return x;
}

static void
construct_greedy (Tsp *t)
{
  guint              n = t->n, k = t->k;
  g_autofree Edge   *edges = g_new (Edge, (gsize) n * k);
  g_autofree guint  *parent = g_new (guint, n);
  g_autofree guint  *adj = g_new (guint, 2 * (gsize) n);
  g_autofree guint8 *deg = g_new0 (guint8, n);
  g_autofree guint8 *visited = g_new0 (guint8, n);
  g_autofree guint  *ends = g_new (guint, n);
  guint              n_edges = 0, n_ends = 0, filled = 0, s;
  gboolean           open = t->dummy != NO_NODE && t->fix_a == NO_NODE;

  for (guint i = 0; i < n; i++)
    parent[i] = i;

  /* The dummy's edges are fixed first (paths with given ends) or left to the end (free path). */
  if (t->dummy != NO_NODE && t->fix_a != NO_NODE)
    {
      guint ends_fixed[2] = { t->fix_a, t->fix_b };

      for (guint e = 0; e < (t->fix_b != NO_NODE ? 2u : 1u); e++)
        {
          guint a = t->dummy, b = ends_fixed[e];

          adj[2 * a + deg[a]++] = b;
          adj[2 * b + deg[b]++] = a;
          parent[uf_find (parent, a)] = uf_find (parent, b);
        }
    }

  for (guint i = 0; i < n; i++)
    for (guint r = 0; r < k; r++)
      {
        guint j = t->nb[(gsize) i * k + r];

        if (i == t->dummy || j == t->dummy)
          continue;
        edges[n_edges].d = D (t, i, j);
        edges[n_edges].a = MIN (i, j);
        edges[n_edges].b = MAX (i, j);
        n_edges++;
      }
  qsort (edges, n_edges, sizeof (Edge), edge_cmp);
  for (guint e = 0; e < n_edges; e++)
    {
      guint a = edges[e].a, b = edges[e].b, ra, rb;

      if (deg[a] >= 2 || deg[b] >= 2)
        continue;
      ra = uf_find (parent, a);
      rb = uf_find (parent, b);
      if (ra == rb)
        continue;
      parent[ra] = rb;
      adj[2 * a + deg[a]++] = b;
      adj[2 * b + deg[b]++] = a;
    }

  /* Chain the fragments: walk one, then jump from its end to the nearest free fragment end. */
  for (guint i = 0; i < n; i++)
    if (deg[i] < 2 && !(open && i == t->dummy))
      ends[n_ends++] = i;
  if (open)
    visited[t->dummy] = 1;
  s = t->dummy != NO_NODE && !open ? t->dummy : ends[0];
  for (;;)
    {
      guint  prev = NO_NODE, x = s, best = NO_NODE;
      double best_d = INFINITY;

      for (;;)
        {
          guint next = NO_NODE;

          t->tour[filled++] = x;
          visited[x] = 1;
          for (guint r = 0; r < deg[x]; r++)
            if (adj[2 * x + r] != prev && !visited[adj[2 * x + r]])
              next = adj[2 * x + r];
          if (next == NO_NODE)
            break;
          prev = x;
          x = next;
        }
      for (guint e = 0; e < n_ends; e++)
        {
          double d;

          if (visited[ends[e]])
            {
              ends[e--] = ends[--n_ends];
              continue;
            }
          d = D (t, x, ends[e]);
          if (d < best_d)
            best_d = d, best = ends[e];
        }
      if (best == NO_NODE)
        break;
      s = best;
    }

  if (open)
    {
      /* Cut the cycle of real nodes at its longest edge by inserting the dummy there. */
      guint  m = filled, cut = 0;
      double longest = -1;

      for (guint i = 0; i < m; i++)
        {
          double d = D (t, t->tour[i], t->tour[(i + 1) % m]);

          if (d > longest)
            longest = d, cut = i;
        }
      memmove (t->tour + cut + 2, t->tour + cut + 1, (m - cut - 1) * sizeof (guint));
      t->tour[cut + 1] = t->dummy;
      filled++;
    }
  g_assert (filled == n);
  for (guint i = 0; i < n; i++)
    t->pos[t->tour[i]] = i;
}

/* ---- moves ---- */

/* Reverses the tour path from position i forward to position j (inclusive), wrapping. */
static void
reverse_positions (Tsp *t, guint i, guint j)
{
  guint len = wrap (t, (gint64) j - i) + 1;

  for (guint s = 0; s < len / 2; s++)
    {
      guint a = t->tour[i], b = t->tour[j];

      t->tour[i] = b;
      t->pos[b] = i;
      t->tour[j] = a;
      t->pos[a] = j;
      i = i + 1 == t->n ? 0 : i + 1;
      j = j == 0 ? t->n - 1 : j - 1;
    }
}

/* Replaces edges (t1,t2) and (t3,t4) by (t1,t3) and (t2,t4), where t2 and t4 are both the
 * successors or both the predecessors of t1 and t3. Reverses the shorter side. */
static void
move_2opt (Tsp *t, guint t1, guint t2, guint t3, guint t4)
{
  guint inner;

  if (succ (t, t1) != t2)
    {
      guint x;

      /* Mirror: t2 -> t1 and t4 -> t3 in tour direction. */
      x = t1, t1 = t2, t2 = x;
      x = t3, t3 = t4, t4 = x;
    }
  g_assert (succ (t, t1) == t2 && succ (t, t3) == t4);
  /* Path t2 .. t3 forward, or its complement t4 .. t1. */
  inner = wrap (t, (gint64) t->pos[t3] - t->pos[t2]) + 1;
  if (inner <= t->n - inner)
    reverse_positions (t, t->pos[t2], t->pos[t3]);
  else
    reverse_positions (t, t->pos[t4], t->pos[t1]);
}

/* Moves the forward segment p..q (len nodes) between u and v = succ (u), reversed or not. */
static void
move_segment (Tsp *t, guint p, guint q, guint len, guint u, guint v, gboolean reversed)
{
  guint seg[3];
  guint ip = t->pos[p], iq = t->pos[q];
  guint k = wrap (t, (gint64) t->pos[u] - iq); /* nodes from succ (q) to u */
  guint m = t->n - len - k;                    /* nodes from v to pred (p) */
  guint base;

  g_assert (len <= 3 && succ (t, u) == v);
  for (guint s = 0; s < len; s++)
    seg[s] = t->tour[wrap (t, (gint64) ip + s)];
  if (k <= m)
    {
      for (guint s = 1; s <= k; s++)
        {
          guint node = t->tour[wrap (t, (gint64) iq + s)];
          guint dst = wrap (t, (gint64) ip + s - 1);

          t->tour[dst] = node;
          t->pos[node] = dst;
        }
      base = wrap (t, (gint64) ip + k);
    }
  else
    {
      for (guint s = 1; s <= m; s++)
        {
          guint node = t->tour[wrap (t, (gint64) ip - s)];
          guint dst = wrap (t, (gint64) ip - s + len);

          t->tour[dst] = node;
          t->pos[node] = dst;
        }
      base = wrap (t, (gint64) ip - m);
    }
  for (guint s = 0; s < len; s++)
    {
      guint node = seg[reversed ? len - 1 - s : s];
      guint dst = wrap (t, (gint64) base + s);

      t->tour[dst] = node;
      t->pos[node] = dst;
    }
}

static void
push (Tsp *t, guint v)
{
  if (t->queued[v])
    return;
  t->queued[v] = 1;
  t->queue[(t->q_head + t->q_len) % t->n] = v;
  t->q_len++;
}

static guint
pop (Tsp *t)
{
  guint v = t->queue[t->q_head];

  t->q_head = (t->q_head + 1) % t->n;
  t->q_len--;
  t->queued[v] = 0;
  return v;
}

/* Best improving 2-opt move with t1 as an end of a removed edge. Returns the change (< 0), or 0. */
static double
try_2opt (Tsp *t, guint t1)
{
  const guint *nb = t->nb + (gsize) t1 * t->k;
  double       best = -EPS;
  guint        b2 = 0, b3 = 0, b4 = 0;

  for (int dir = 0; dir < 2; dir++)
    {
      guint  t2 = dir == 0 ? succ (t, t1) : pred (t, t1);
      double d12 = D (t, t1, t2);

      for (guint r = 0; r < t->k; r++)
        {
          guint  t3 = nb[r], t4;
          double d13 = D (t, t1, t3), delta;

          if (d13 >= d12)
            break;
          t4 = dir == 0 ? succ (t, t3) : pred (t, t3);
          if (t3 == t2 || t4 == t1)
            continue;
          delta = d13 + D (t, t2, t4) - d12 - D (t, t3, t4);
          if (delta < best)
            best = delta, b2 = t2, b3 = t3, b4 = t4;
        }
    }
  if (best >= -EPS)
    return 0;
  move_2opt (t, t1, b2, b3, b4);
  push (t, t1), push (t, b2), push (t, b3), push (t, b4);
  return best;
}

/* Or-opt style variable-depth search (a Lin-Kernighan step made of 2-opt moves): breaks the
 * edge (t1, t2), adds (t2, t3) for the neighbour t3 with the best partial gain, breaks (t3, t4)
 * so that (t4, t1) closes a tour, and either closes with a gain or continues from t4, up to
 * LK_DEPTH moves. Failed attempts are undone. Returns the change (< 0), or 0. */
#define LK_DEPTH 6

static double
try_lk (Tsp *t, guint t1)
{
  for (int dir = 0; dir < 2; dir++)
    {
      guint  flips[LK_DEPTH][4];
      guint  depth = 0;
      guint  t2 = dir == 0 ? succ (t, t1) : pred (t, t1);
      double g = D (t, t1, t2);

      while (depth < LK_DEPTH)
        {
          const guint *nb = t->nb + (gsize) t2 * t->k;
          gboolean     t2_is_succ = succ (t, t1) == t2;
          double       best_g = -INFINITY;
          guint        b3 = NO_NODE, b4 = NO_NODE;
          gboolean     closed = FALSE;

          for (guint r = 0; r < t->k; r++)
            {
              guint  t3 = nb[r], t4;
              double g1 = g - D (t, t2, t3), gn;

              if (g1 <= EPS)
                break;
              t4 = t2_is_succ ? pred (t, t3) : succ (t, t3);
              if (t3 == t1 || t4 == t2 || t4 == t1)
                continue;
              gn = g1 + D (t, t3, t4);
              if (gn - D (t, t4, t1) > EPS)
                {
                  /* Closing here shortens the tour: take the best such close. */
                  if (!closed || gn - D (t, t4, t1) > best_g)
                    best_g = gn - D (t, t4, t1), b3 = t3, b4 = t4;
                  closed = TRUE;
                }
              else if (!closed && gn > best_g)
                best_g = gn, b3 = t3, b4 = t4;
            }
          if (b3 == NO_NODE)
            break;
          move_2opt (t, t2, t1, b3, b4);
          flips[depth][0] = t2, flips[depth][1] = t1, flips[depth][2] = b3, flips[depth][3] = b4;
          depth++;
          if (closed)
            {
              for (guint i = 0; i < depth; i++)
                for (guint j = 0; j < 4; j++)
                  push (t, flips[i][j]);
              return -best_g;
            }
          g = best_g;
          t2 = b4;
        }
      /* No gain: undo. Move (a,b,c,d) left edges (a,c), (b,d); re-adding (a,b), (c,d). */
      while (depth > 0)
        {
          guint *f = flips[--depth];

          move_2opt (t, f[0], f[2], f[1], f[3]);
        }
    }
  return 0;
}

/* Best improving Or-opt move of a segment of 1-3 nodes that starts at s1 (either direction),
 * reinserted, possibly reversed, next to a neighbour of one of its ends. */
static double
try_oropt (Tsp *t, guint s1)
{
  double   best = -EPS;
  guint    bp = 0, bq = 0, blen = 0, bu = 0, bv = 0;
  gboolean brev = FALSE;

  for (int dir = 0; dir < 2; dir++)
    {
      guint s2 = s1;

      for (guint len = 1; len <= 3 && len + 3 <= t->n; len++)
        {
          guint  a, b;
          double g0;

          if (len > 1)
            s2 = dir == 0 ? succ (t, s2) : pred (t, s2);
          a = dir == 0 ? pred (t, s1) : succ (t, s1);
          b = dir == 0 ? succ (t, s2) : pred (t, s2);
          g0 = D (t, a, s1) + D (t, s2, b) - D (t, a, b);
          if (g0 <= EPS)
            continue;
          for (int end = 0; end < 2; end++)
            {
              guint        e_in = end == 0 ? s1 : s2, e_out = end == 0 ? s2 : s1;
              const guint *nb = t->nb + (gsize) e_in * t->k;

              for (guint r = 0; r < t->k; r++)
                {
                  guint    c = nb[r];
                  double   dce = D (t, c, e_in);
                  gboolean inside = FALSE;

                  if (dce >= g0)
                    break;
                  for (guint s = 0, x = s1; s < len; s++)
                    {
                      if (x == c)
                        inside = TRUE;
                      x = dir == 0 ? succ (t, x) : pred (t, x);
                    }
                  if (inside)
                    continue;
                  for (int side = 0; side < 2; side++)
                    {
                      guint  e = side == 0 ? succ (t, c) : pred (t, c);
                      double delta;

                      /* e inside the segment means c is a or b: reinserting in place. */
                      if (e == s1 || e == s2)
                        continue;
                      delta = dce + D (t, e_out, e) - D (t, c, e) - g0;
                      if (delta < best)
                        {
                          guint fp = dir == 0 ? s1 : s2, fq = dir == 0 ? s2 : s1;
                          guint u = side == 0 ? c : e, v = side == 0 ? e : c;

                          best = delta;
                          bp = fp, bq = fq, blen = len, bu = u, bv = v;
                          brev = !((u == c && fp == e_in) || (v == c && fq == e_in));
                        }
                    }
                }
            }
        }
    }
  if (best >= -EPS)
    return 0;
  {
    guint a = pred (t, bp), b = succ (t, bq);

    move_segment (t, bp, bq, blen, bu, bv, brev);
    push (t, a), push (t, b), push (t, bp), push (t, bq), push (t, bu), push (t, bv);
  }
  return best;
}

/* Runs 2-opt and Or-opt until no queued node yields an improvement. Returns the change. */
static double
local_search (Tsp *t)
{
  double total = 0;

  while (t->q_len > 0)
    {
      guint  v = pop (t);
      double d = try_2opt (t, v);

      if (d == 0)
        d = try_lk (t, v);

      if (d == 0)
        d = try_oropt (t, v);
      total += d;
    }
  return total;
}

/* Segment swap A B C D -> A C B D (the double bridge), B = p1+1 .. p1+l1, C the next l2
 * positions: not undone by 2-opt or Or-opt moves of short segments. Returns the change. */
static double
segment_swap (Tsp *t, guint p1, guint l1, guint l2)
{
  guint *tmp = t->queue + t->n; /* scratch of n entries after the queue */
  guint  a2, b1, b2, c1, c2, d1;
  double delta;

  g_assert (l1 >= 1 && l2 >= 1 && l1 + l2 + 1 <= t->n);
  a2 = t->tour[p1];
  b1 = t->tour[wrap (t, (gint64) p1 + 1)];
  b2 = t->tour[wrap (t, (gint64) p1 + l1)];
  c1 = t->tour[wrap (t, (gint64) p1 + l1 + 1)];
  c2 = t->tour[wrap (t, (gint64) p1 + l1 + l2)];
  d1 = t->tour[wrap (t, (gint64) p1 + l1 + l2 + 1)];
  delta =
      D (t, a2, c1) + D (t, c2, b1) + D (t, b2, d1) - D (t, a2, b1) - D (t, b2, c1) - D (t, c2, d1);
  for (guint s = 0; s < l2; s++)
    tmp[s] = t->tour[wrap (t, (gint64) p1 + l1 + 1 + s)];
  for (guint s = 0; s < l1; s++)
    tmp[l2 + s] = t->tour[wrap (t, (gint64) p1 + 1 + s)];
  for (guint s = 0; s < l1 + l2; s++)
    {
      guint dst = wrap (t, (gint64) p1 + 1 + s);

      t->tour[dst] = tmp[s];
      t->pos[tmp[s]] = dst;
    }
  push (t, a2), push (t, b1), push (t, b2), push (t, c1), push (t, c2), push (t, d1);
  return delta;
}

/* A double bridge whose three cut points are a random node and two nodes near it in space
 * (so far apart in the tour, where positional kicks cannot reach), or, every other time, a
 * random position and two short segments after it. */
static double
kick (Tsp *t, guint max_seg)
{
  guint n = t->n;

  if (g_rand_boolean (t->rand))
    {
      guint v = g_rand_int_range (t->rand, 0, n);
      guint w1 = t->nb[(gsize) v * t->k + g_rand_int_range (t->rand, 0, t->k)];
      guint w2 = t->nb[(gsize) w1 * t->k + g_rand_int_range (t->rand, 0, t->k)];
      guint p[3] = { t->pos[v], t->pos[w1], t->pos[w2] };

      if (p[0] != p[1] && p[1] != p[2] && p[0] != p[2])
        {
          guint x;

          if (p[0] > p[1])
            x = p[0], p[0] = p[1], p[1] = x;
          if (p[1] > p[2])
            x = p[1], p[1] = p[2], p[2] = x;
          if (p[0] > p[1])
            x = p[0], p[0] = p[1], p[1] = x;
          if (p[2] - p[0] + 1 < n)
            return segment_swap (t, p[0], p[1] - p[0], p[2] - p[1]);
        }
    }
  return segment_swap (t,
                       g_rand_int_range (t->rand, 0, n),
                       g_rand_int_range (t->rand, 1, max_seg + 1),
                       g_rand_int_range (t->rand, 1, max_seg + 1));
}

/* ---- exact solution of tiny instances ---- */

typedef struct
{
  const Tsp *t;
  guint     *cur;
  guint8    *used;
  guint     *best;
  double     best_cost;
} Enum;

static void
enumerate (Enum *e, guint depth, double cost)
{
  const Tsp *t = e->t;

  if (cost >= e->best_cost - EPS)
    return;
  if (depth == t->n)
    {
      cost += D (t, e->cur[depth - 1], e->cur[0]);
      if (cost < e->best_cost - EPS)
        {
          e->best_cost = cost;
          memcpy (e->best, e->cur, t->n * sizeof (guint));
        }
      return;
    }
  for (guint v = 1; v < t->n; v++)
    {
      if (e->used[v])
        continue;
      e->used[v] = 1;
      e->cur[depth] = v;
      enumerate (e, depth + 1, cost + D (t, e->cur[depth - 1], v));
      e->used[v] = 0;
    }
}

static void
solve_exact (Tsp *t)
{
  g_autofree guint  *cur = g_new0 (guint, t->n);
  g_autofree guint8 *used = g_new0 (guint8, t->n);
  Enum               e = { t, cur, used, t->tour, INFINITY };

  cur[0] = 0;
  used[0] = 1;
  enumerate (&e, 1, 0);
  for (guint i = 0; i < t->n; i++)
    t->pos[t->tour[i]] = i;
}

/* ---- driver ---- */

void
geo_tsp_options_init (GeoTspOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->shape = GEO_TSP_CLOSED;
  options->seed = 1;
}

static guint
default_iterations (guint n)
{
  /* Enough for the TSPLIB instances of up to 1,000 nodes to settle (see bench-tsp). */
  return MAX (5000, MIN (60 * n, 60000));
}

static void
extract_order (const Tsp *t, const GeoTspOptions *o, guint *order)
{
  guint n = t->n, filled = 0;

  if (t->dummy == NO_NODE)
    {
      guint p0 = t->pos[o->start];

      for (guint s = 0; s < n; s++)
        order[filled++] = t->tour[(p0 + s) % n];
      return;
    }
  /* Path: the nodes after the dummy, in the direction that puts the fixed start first. */
  {
    guint    pd = t->pos[t->dummy];
    gboolean forward = TRUE;

    if (t->fix_a != NO_NODE)
      forward = succ (t, t->dummy) == o->start;
    for (guint s = 1; s < n; s++)
      order[filled++] = t->tour[forward ? (pd + s) % n : (pd + n - s) % n];
  }
}

static gboolean
solve (Tsp                 *t,
       const GeoTspOptions *o,
       guint               *order,
       GeoTspResult        *result,
       GCancellable        *cancellable,
       GError             **error)
{
  GeoTspResult res = { 0 };
  gint64       t0 = g_get_monotonic_time ();
  gint64      deadline = o->time_limit_s > 0 ? t0 + (gint64) (o->time_limit_s * G_USEC_PER_SEC) : 0;
  guint       max_iter = o->max_iterations;
  GeoTspShape shape = o->shape;
  gboolean    ok = TRUE;

  if (shape == GEO_TSP_PATH_START_END && o->start == o->end)
    shape = GEO_TSP_CLOSED;
  if (max_iter == 0)
    max_iter = default_iterations (t->n_user);
  if ((shape == GEO_TSP_CLOSED || shape == GEO_TSP_PATH_FROM_START ||
       shape == GEO_TSP_PATH_START_END) &&
      o->start >= t->n_user)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "Start node %u is not one of the %u nodes",
                   o->start,
                   t->n_user);
      return FALSE;
    }
  if (shape == GEO_TSP_PATH_START_END && o->end >= t->n_user)
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "End node %u is not one of the %u nodes",
                   o->end,
                   t->n_user);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  t->dummy = t->fix_a = t->fix_b = NO_NODE;
  t->n = t->n_user;
  if (shape != GEO_TSP_CLOSED)
    {
      t->dummy = t->n_user;
      t->n = t->n_user + 1;
      if (shape == GEO_TSP_PATH_FROM_START || shape == GEO_TSP_PATH_START_END)
        t->fix_a = o->start;
      if (shape == GEO_TSP_PATH_START_END)
        t->fix_b = o->end;
    }

  if (t->n_user <= 3 && shape == GEO_TSP_CLOSED)
    {
      /* Every order is optimal; keep 0, 1, 2 starting at start. */
      for (guint i = 0; i < t->n_user; i++)
        order[i] = (o->start + i) % t->n_user;
      goto done;
    }

  /* 16 rather than the usual 10: grid-like instances (pr439) have many equal distances. */
  t->k = MIN (o->n_neighbours > 0 ? o->n_neighbours : 16, t->n - 1);
  t->tour = g_new (guint, t->n);
  t->pos = g_new (guint, t->n);
  t->queue = g_new (guint, 2 * (gsize) t->n); /* queue, then kick scratch */
  t->queued = g_new0 (guint8, t->n);
  t->rand = g_rand_new_with_seed ((guint32) (o->seed ^ (o->seed >> 32)));
  build_costs (t);

  if (t->n <= EXACT_MAX_NODES)
    {
      solve_exact (t);
      res.exact = TRUE;
      res.initial_length = res.local_length = tour_cost (t);
      extract_order (t, o, order);
      goto done;
    }

  build_neighbours (t);
  construct_greedy (t);
  res.initial_length = tour_cost (t);

  for (guint i = 0; i < t->n; i++)
    push (t, t->tour[i]);
  {
    double            cur = res.initial_length + local_search (t);
    g_autofree guint *saved = g_new (guint, t->n);
    g_autofree guint *best_tour = g_new (guint, t->n);
    double            best_len;
    guint             max_seg = MIN (50, (t->n - 2) / 2);

    res.local_length = cur;
    best_len = cur;
    memcpy (saved, t->tour, t->n * sizeof (guint));
    memcpy (best_tour, t->tour, t->n * sizeof (guint));
    for (guint it = 0; max_iter == G_MAXUINT || it < max_iter; it++)
      {
        double next;

        if ((it & 15) == 0)
          {
            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              {
                ok = FALSE;
                break;
              }
            if (deadline != 0 && g_get_monotonic_time () >= deadline)
              break;
          }
        next = cur + kick (t, max_seg);
        next += local_search (t);
        res.iterations++;
        if (next < best_len - EPS)
          {
            res.improvements++;
            best_len = next;
            memcpy (best_tour, t->tour, t->n * sizeof (guint));
          }
        if (next <= cur + EPS)
          {
            cur = next;
            memcpy (saved, t->tour, t->n * sizeof (guint));
          }
        else
          {
            memcpy (t->tour, saved, t->n * sizeof (guint));
            for (guint i = 0; i < t->n; i++)
              t->pos[t->tour[i]] = i;
          }
      }
    memcpy (t->tour, best_tour, t->n * sizeof (guint));
    for (guint i = 0; i < t->n; i++)
      t->pos[t->tour[i]] = i;
  }
  if (ok)
    extract_order (t, o, order);

done:
  if (ok)
    {
      res.length = 0;
      for (guint i = 0; i + 1 < t->n_user; i++)
        res.length += user_dist (t, order[i], order[i + 1]);
      if (shape == GEO_TSP_CLOSED && t->n_user > 1)
        res.length += user_dist (t, order[t->n_user - 1], order[0]);
      if (res.initial_length == 0 && !res.exact)
        res.initial_length = res.local_length = res.length;
      if (t->dummy != NO_NODE && res.exact)
        res.initial_length = res.local_length = res.length;
      else if (t->fix_a != NO_NODE && t->fix_b == NO_NODE)
        {
          /* A path with a free end pays the dummy's penalty edge once. */
          res.initial_length -= t->penalty;
          res.local_length -= t->penalty;
        }
    }
  res.seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  if (result != NULL)
    *result = res;
  return ok;
}

static void
tsp_clear (Tsp *t)
{
  g_free (t->m);
  g_free (t->tour);
  g_free (t->pos);
  g_free (t->nb);
  g_free (t->queue);
  g_free (t->queued);
  if (t->rand != NULL)
    g_rand_free (t->rand);
}

/**
 * geo_tsp_solve:
 * @n: number of nodes (0..n-1)
 * @distance: symmetric cost between two nodes
 * @options: (nullable): shape, ends, seed and budget; %NULL for a closed tour from node 0
 * @order: (out caller-allocates) (array length=n): the visiting order
 * @result: (out) (optional): lengths and counters
 *
 * Solves the single-route TSP heuristically (exactly up to 8 nodes). The cost matrix is
 * cached when n <= 3000, so @distance is called about n^2 / 2 times; above that it is called
 * during the search. Cancellation is checked every 16 perturbation rounds.
 *
 * Returns: %FALSE with @error set when cancelled or when an end node is out of range
 */
gboolean
geo_tsp_solve (guint                n,
               GeoTspDistanceFunc   distance,
               gpointer             user_data,
               const GeoTspOptions *options,
               guint               *order,
               GeoTspResult        *result,
               GCancellable        *cancellable,
               GError             **error)
{
  GeoTspOptions defaults;
  Tsp           t = { 0 };
  gboolean      ok;

  g_return_val_if_fail (distance != NULL, FALSE);
  g_return_val_if_fail (order != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      geo_tsp_options_init (&defaults);
      options = &defaults;
    }
  if (n == 0)
    {
      if (result != NULL)
        memset (result, 0, sizeof *result);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  t.n_user = n;
  t.func = distance;
  t.data = user_data;
  ok = solve (&t, options, order, result, cancellable, error);
  tsp_clear (&t);
  return ok;
}

/* As geo_tsp_solve() over a row-major n x n symmetric @matrix. */
gboolean
geo_tsp_solve_matrix (const double        *matrix,
                      guint                n,
                      const GeoTspOptions *options,
                      guint               *order,
                      GeoTspResult        *result,
                      GCancellable        *cancellable,
                      GError             **error)
{
  GeoTspOptions defaults;
  Tsp           t = { 0 };
  gboolean      ok;

  g_return_val_if_fail (matrix != NULL || n == 0, FALSE);
  g_return_val_if_fail (order != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      geo_tsp_options_init (&defaults);
      options = &defaults;
    }
  if (n == 0)
    {
      if (result != NULL)
        memset (result, 0, sizeof *result);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  t.n_user = n;
  t.user_m = matrix;
  ok = solve (&t, options, order, result, cancellable, error);
  tsp_clear (&t);
  return ok;
}

/* Sum of the costs along @order; @closed adds the way back to order[0]. */
double
geo_tsp_route_length (guint              n,
                      GeoTspDistanceFunc distance,
                      gpointer           user_data,
                      const guint       *order,
                      guint              n_order,
                      gboolean           closed)
{
  double total = 0;

  g_return_val_if_fail (distance != NULL, 0);

  for (guint i = 0; i + 1 < n_order; i++)
    total += distance (order[i], order[i + 1], user_data);
  if (closed && n_order > 1)
    total += distance (order[n_order - 1], order[0], user_data);
  return total;
}

/* TRUE when @order holds each of 0..n-1 exactly once. */
gboolean
geo_tsp_is_permutation (const guint *order, guint n)
{
  g_autofree guint8 *seen = g_new0 (guint8, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      if (order[i] >= n || seen[order[i]])
        return FALSE;
      seen[order[i]] = 1;
    }
  return TRUE;
}
