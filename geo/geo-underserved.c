#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo-error.h"
#include "geo-proj.h"
#include "geo-underserved.h"

void
geo_underserved_free (GeoUnderserved *u)
{
  if (u == NULL)
    return;
  for (guint i = 0; i < u->n_desa; i++)
    g_free (u->kode_desa[i]);
  g_free (u->kode_desa);
  g_free (u->persons);
  g_free (u->underserved);
  g_free (u->share);
  g_free (u->resources);
  g_free (u->n_resources);
  g_free (u->persons_per_resource);
  g_free (u->rank);
  g_free (u->person_underserved);
  g_free (u);
}

typedef struct
{
  const GeoSelection *sel;
  const GeoResources *res;
  const GeoIndex     *index;
  const double       *radius; /* effective radius per resource */
  double              max_radius;
  guint32             category_mask;
  guint               start, end;
  guint32            *served; /* per family: the needed categories served */
  GCancellable       *cancellable;
  GError             *error;
} Job;

typedef struct
{
  const Job *job;
  double     lon, lat, kq;
  guint32    need; /* still unserved */
  guint32    served;
  guint32   *mask;
} Probe;

/* The minimum scale of transverse Mercator is k0 on the central meridian; with the chord
 * shorter than the projected geodesic by a relative 1e-6 at most for lines of tens of km
 * (the projected geodesic's curvature is below 1e-8 / m), chord / (k0 (1 - 1e-6)) bounds the
 * geodesic from above and chord / kq from below: only candidates between the two need the
 * geodesic. */
#define KMIN (GEO_UTM_K0 * (1.0 - 1e-6))

static gboolean
probe_visit (guint item, double d2, gpointer user_data)
{
  Probe     *p = user_data;
  const Job *job = p->job;
  double     r = job->radius[item];
  double     du = sqrt (d2);
  guint32    gain = job->res->serves[item] & p->need;
  gboolean   inside;

  if (gain == 0 || du > p->kq * r + 1e-6)
    return TRUE;
  if (du < KMIN * r)
    inside = TRUE;
  else
    inside = geo_geodesic_distance (p->lon, p->lat, job->res->lon[item], job->res->lat[item]) <= r;
  if (inside)
    {
      p->served |= gain;
      p->need &= ~gain;
      *p->mask = p->need;
    }
  return p->need != 0;
}

#define BLOCK 4096

static gpointer
worker (gpointer data)
{
  Job                *job = data;
  const GeoSelection *sel = job->sel;
  int                 epsg = geo_index_get_epsg (job->index);
  double              x[BLOCK], y[BLOCK];

  for (guint b = job->start; b < job->end; b += BLOCK)
    {
      guint n = MIN (BLOCK, job->end - b);

      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        return NULL;
      if (!geo_proj_lonlat_to_utm (epsg, sel->lon + b, sel->lat + b, x, y, n, &job->error))
        return NULL;
      for (guint i = 0; i < n; i++)
        {
          guint   f = b + i;
          guint32 mask;
          Probe   p = { job, sel->lon[f], sel->lat[f], 0, sel->family_mask[f] & job->category_mask,
                        0,   &mask };

          if (p.need != 0)
            {
              p.kq = geo_index_scale_bound (job->index, p.lon, p.lat);
              mask = p.need;
              geo_index_visit_xy (job->index,
                                  x[i],
                                  y[i],
                                  p.kq * job->max_radius + 1e-6,
                                  &mask,
                                  probe_visit,
                                  &p);
            }
          job->served[f] = p.served;
        }
    }
  return NULL;
}

static int
desa_cmp (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* qsort has no user data; the ranking runs under a lock. */
static const GeoUnderserved *rank_u;
static GMutex                rank_lock;

static int
rank_cmp (const void *a, const void *b)
{
  guint                 i = *(const guint *) a, j = *(const guint *) b;
  const GeoUnderserved *u = rank_u;

  if (u->underserved[i] != u->underserved[j])
    return u->underserved[i] > u->underserved[j] ? -1 : 1;
  if (u->share[i] != u->share[j])
    return u->share[i] > u->share[j] ? -1 : 1;
  if (u->persons[i] != u->persons[j])
    return u->persons[i] > u->persons[j] ? -1 : 1;
  return strcmp (u->kode_desa[i], u->kode_desa[j]);
}

static guint
find_desa (const GeoUnderserved *u, const char *code)
{
  char *const *hit = bsearch (&code, u->kode_desa, u->n_desa, sizeof (char *), desa_cmp);

  return hit != NULL ? (guint) (hit - u->kode_desa) : G_MAXUINT;
}

/**
 * geo_underserved_compute:
 * @index: built over @resources (geo_resources_build_index)
 * @extra_desa: (nullable) (element-type utf8): desa codes to report even without persons
 *
 * A person is underserved when, for at least one of their PMKS categories (among those
 * considered), no resource serving that category lies within that resource's service
 * radius (geodesic metres, WGS84). Families share one location, so each family is probed
 * once for the union of its persons' categories, in parallel, and every person then reads
 * the answer.
 */
GeoUnderserved *
geo_underserved_compute (const GeoSelection         *sel,
                         const GeoResources         *res,
                         GeoIndex                   *index,
                         const GeoUnderservedParams *params,
                         GPtrArray                  *extra_desa,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  g_autoptr(GeoUnderserved) u = g_new0 (GeoUnderserved, 1);
  g_autofree double   *radius = g_new (double, MAX (res->n, 1));
  g_autofree guint32  *served = g_new0 (guint32, MAX (sel->n_families, 1));
  g_autofree guint    *fam_desa = NULL;
  g_autofree guint    *order = NULL;
  g_autofree Job      *jobs = NULL;
  g_autofree GThread **threads = NULL;
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  guint32  cats = params->category_mask != 0 ? params->category_mask : GEO_CATEGORY_ALL;
  double   max_radius = 0;
  guint    n_threads = params->n_threads;
  gint64   t0;
  gboolean ok = TRUE;

  g_return_val_if_fail (sel != NULL && res != NULL && index != NULL, NULL);
  if (isnan (params->radius_m) || params->radius_m < 0 || !isfinite (params->radius_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The radius must be a distance > 0 m (got %g)",
                   params->radius_m);
      return NULL;
    }
  if (!(params->default_radius_m > 0) || !isfinite (params->default_radius_m))
    {
      g_set_error (error,
                   GEO_ERROR,
                   GEO_ERROR_INVALID,
                   "The default radius must be a distance > 0 m (got %g)",
                   params->default_radius_m);
      return NULL;
    }
  for (guint i = 0; i < res->n; i++)
    {
      radius[i] = params->radius_m > 0       ? params->radius_m
                  : isnan (res->radius_m[i]) ? params->default_radius_m
                                             : res->radius_m[i];
      max_radius = MAX (max_radius, radius[i]);
    }

  /* Families, in parallel. */
  t0 = g_get_monotonic_time ();
  if (sel->n_families > 0)
    {
      double e[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

      for (guint i = 0; i < sel->n_families; i++)
        {
          e[0] = MIN (e[0], sel->lon[i]);
          e[1] = MIN (e[1], sel->lat[i]);
          e[2] = MAX (e[2], sel->lon[i]);
          e[3] = MAX (e[3], sel->lat[i]);
        }
      geo_index_extend_extent (index, e[0], e[1], e[2], e[3]);
    }
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX (1, sel->n_families / 4096 + 1));
  jobs = g_new0 (Job, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (Job){ .sel = sel,
                       .res = res,
                       .index = index,
                       .radius = radius,
                       .max_radius = max_radius,
                       .category_mask = cats,
                       .start = (guint) ((guint64) sel->n_families * t / n_threads),
                       .end = (guint) ((guint64) sel->n_families * (t + 1) / n_threads),
                       .served = served,
                       .cancellable = cancellable };
      if (t > 0)
        threads[t] = g_thread_new ("jangkau-underserved", worker, &jobs[t]);
    }
  worker (&jobs[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  for (guint t = 0; t < n_threads; t++)
    if (jobs[t].error != NULL)
      {
        if (ok)
          g_propagate_error (error, g_steal_pointer (&jobs[t].error));
        g_clear_error (&jobs[t].error);
        ok = FALSE;
      }
  if (!ok)
    return NULL;
  u->seconds = (g_get_monotonic_time () - t0) / 1e6;

  /* The desa list: the selection's, the resources' and the extra ones, sorted. */
  for (guint i = 0; i < sel->desa_codes->len; i++)
    g_hash_table_add (codes, sel->desa_codes->pdata[i]);
  for (guint i = 0; i < res->n; i++)
    if (res->desa_code[i] != NULL)
      g_hash_table_add (codes, res->desa_code[i]);
  for (guint i = 0; extra_desa != NULL && i < extra_desa->len; i++)
    g_hash_table_add (codes, extra_desa->pdata[i]);
  u->n_desa = g_hash_table_size (codes);
  u->kode_desa = (char **) g_hash_table_get_keys_as_array (codes, NULL);
  for (guint i = 0; i < u->n_desa; i++)
    u->kode_desa[i] = g_strdup (u->kode_desa[i]);
  qsort (u->kode_desa, u->n_desa, sizeof (char *), desa_cmp);
  u->persons = g_new0 (guint32, MAX (u->n_desa, 1));
  u->underserved = g_new0 (guint32, MAX (u->n_desa, 1));
  u->share = g_new0 (double, MAX (u->n_desa, 1));
  u->resources = g_new0 (guint32, MAX (u->n_desa, 1) * GEO_PSKS_N_TYPES);
  u->n_resources = g_new0 (guint32, MAX (u->n_desa, 1));
  u->persons_per_resource = g_new0 (double, MAX (u->n_desa, 1));
  u->rank = g_new0 (guint32, MAX (u->n_desa, 1));
  u->person_underserved = g_new (guint8, MAX (sel->n_persons, 1));

  fam_desa = g_new (guint, MAX (sel->desa_codes->len, 1));
  for (guint i = 0; i < sel->desa_codes->len; i++)
    fam_desa[i] = find_desa (u, sel->desa_codes->pdata[i]);

  for (guint p = 0; p < sel->n_persons; p++)
    {
      guint    f = sel->person_family[p];
      guint32  need = sel->person_mask[p] & cats;
      guint    d = sel->family_desa[f] != G_MAXUINT32 ? fam_desa[sel->family_desa[f]] : G_MAXUINT;
      gboolean under;

      if (need == 0)
        {
          u->person_underserved[p] = 2;
          continue;
        }
      under = (need & ~served[f]) != 0;
      u->person_underserved[p] = under;
      u->total_persons++;
      u->total_underserved += under;
      if (d == G_MAXUINT)
        {
          u->persons_without_desa++;
          continue;
        }
      u->persons[d]++;
      u->underserved[d] += under;
    }
  for (guint i = 0; i < res->n; i++)
    {
      guint d = res->desa_code[i] != NULL ? find_desa (u, res->desa_code[i]) : G_MAXUINT;

      if (d == G_MAXUINT)
        continue;
      u->resources[d * GEO_PSKS_N_TYPES + res->type[i] - 1]++;
      u->n_resources[d]++;
    }
  for (guint d = 0; d < u->n_desa; d++)
    {
      u->share[d] = u->persons[d] > 0 ? (double) u->underserved[d] / u->persons[d] : 0;
      u->persons_per_resource[d] =
          u->n_resources[d] > 0 ? (double) u->persons[d] / u->n_resources[d] : NAN;
    }

  order = g_new (guint, MAX (u->n_desa, 1));
  for (guint d = 0; d < u->n_desa; d++)
    order[d] = d;
  g_mutex_lock (&rank_lock);
  rank_u = u;
  qsort (order, u->n_desa, sizeof (guint), rank_cmp);
  rank_u = NULL;
  g_mutex_unlock (&rank_lock);
  for (guint r = 0; r < u->n_desa; r++)
    u->rank[order[r]] = r + 1;
  return g_steal_pointer (&u);
}
