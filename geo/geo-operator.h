#pragma once

#include <glib.h>

#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoRole:
 * @GEO_ROLE_DESA: a desa/kelurahan operator; scope is one desa
 * @GEO_ROLE_KECAMATAN: a kecamatan coordinator; scope is one kecamatan
 * @GEO_ROLE_PLANNER: a Dinsos planner; sees and changes everything
 * @GEO_ROLE_ADMIN: an administrator; also manages operator profiles
 *
 * Ordered: a later role may do everything an earlier one may.
 */
typedef enum
{
  GEO_ROLE_DESA,
  GEO_ROLE_KECAMATAN,
  GEO_ROLE_PLANNER,
  GEO_ROLE_ADMIN,
} GeoRole;

/* The built-in profile every project starts with, and the CLI's default --operator. */
#define GEO_OPERATOR_DEFAULT "admin"

/**
 * GeoOperator:
 * @scope: dotted Kemendagri code (a desa for %GEO_ROLE_DESA, a kecamatan for
 *   %GEO_ROLE_KECAMATAN); NULL for planners and administrators (everywhere)
 */
typedef struct
{
  gint64  id;
  char   *name;
  GeoRole role;
  char   *scope;
} GeoOperator;

const char *geo_role_to_string (GeoRole role);
const char *geo_role_label (GeoRole role);
gboolean    geo_role_from_string (const char *str, GeoRole *role);

GeoOperator *geo_operator_copy (const GeoOperator *op);
void         geo_operator_free (GeoOperator *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoOperator, geo_operator_free)

gboolean geo_operator_covers (const GeoOperator *op, const char *desa_code);
char    *geo_operator_describe (const GeoOperator *op);

GeoOperator *geo_operator_lookup (GeoStore *store, const char *name, GError **error);
gint64       geo_operator_add (
          GeoStore *store, const char *name, GeoRole role, const char *scope, GError **error);
GPtrArray *geo_operator_list (GeoStore *store, GError **error);

gboolean           geo_operator_use (GeoStore *store, const char *name, GError **error);
const GeoOperator *geo_operator_current (GeoStore *store);

G_END_DECLS
