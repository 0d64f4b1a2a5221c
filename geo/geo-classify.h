#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GeoClassifyMethod:
 * @GEO_CLASSIFY_QUANTILE: about the same number of values per class
 * @GEO_CLASSIFY_EQUAL: classes of equal width between the minimum and the maximum
 * @GEO_CLASSIFY_JENKS: Jenks natural breaks (exact Fisher-Jenks: the partition of the sorted
 *   values minimising the sum of squared deviations from the class means)
 *
 * Class breaks for choropleth maps.
 */
typedef enum
{
  GEO_CLASSIFY_QUANTILE,
  GEO_CLASSIFY_EQUAL,
  GEO_CLASSIFY_JENKS,
} GeoClassifyMethod;

/* The largest number of classes a caller may ask for. */
#define GEO_CLASSIFY_MAX_CLASSES 12

/* Above this many values Jenks runs on an evenly spaced sample of the sorted values. */
#define GEO_CLASSIFY_JENKS_MAX_VALUES 100000

gboolean    geo_classify_method_from_string (const char *name, GeoClassifyMethod *method);
const char *geo_classify_method_to_string (GeoClassifyMethod method);

double *geo_classify_breaks (const double     *values,
                             guint             n,
                             GeoClassifyMethod method,
                             guint             k,
                             guint            *n_classes,
                             GError          **error);
int     geo_classify_value (const double *breaks, guint n_classes, double value);
int    *geo_classify_values (const double *breaks, guint n_classes, const double *values, guint n);

G_END_DECLS
