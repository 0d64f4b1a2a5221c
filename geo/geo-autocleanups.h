#pragma once

/* Cleanup functions for foreign handles, defined once for the whole project. */

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>
#include <sqlite3.h>
#include <glib.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PJ, proj_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PJ_CONTEXT, proj_context_destroy)

typedef OGRGeometryH GeoOgrGeometry;
typedef GDALDatasetH GeoGdalDataset;
typedef OGRFeatureH GeoOgrFeature;
typedef OGRSpatialReferenceH GeoOgrSrs;
typedef OGRCoordinateTransformationH GeoOgrTransform;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (GeoOgrGeometry, OGR_G_DestroyGeometry, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (GeoGdalDataset, GDALClose, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (GeoOgrFeature, OGR_F_Destroy, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (GeoOgrSrs, OSRDestroySpatialReference, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (GeoOgrTransform, OCTDestroyCoordinateTransformation, NULL)
