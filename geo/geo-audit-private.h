#pragma once

/* Internal to geo/: the acting operator of a store's connection (read by the SQL functions the
 * audit and scope triggers call). */

#include "geo-operator.h"

G_BEGIN_DECLS

void               geo_audit_set_operator (GeoStore *store, const GeoOperator *op);
const GeoOperator *geo_audit_get_operator (GeoStore *store);

G_END_DECLS
