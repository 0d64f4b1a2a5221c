#pragma once

#include <gio/gio.h>

#include "geo-coverage.h"

G_BEGIN_DECLS

/* Rollout coverage and BNBA documents, in Bahasa Indonesia (docs/coverage.md). */

/* A coverage table (rows of geo_coverage_compute() plus a total row) as .csv or .xlsx
 * (through GDAL's XLSX driver), Indonesian column names. */
gboolean report_coverage_table_write (GPtrArray *rows, const char *path, GError **error);

/* The A4 PDF of one kecamatan: a map of the desa coloured by coverage (stored boundaries), a
 * table per desa and the list of remaining listed targets with masked NIK and name. */
gboolean report_coverage_pdf_write (GeoStore   *store,
                                    gint64      programme_id,
                                    const char *kecamatan,
                                    const char *at,
                                    const char *path,
                                    GError    **error);

/* BNBA (by name, by address): the verified persons of a desa (status verifikasi, disetujui or
 * padan) for the approval meeting, as .pdf, .csv or .xlsx. Names, NIK and KK numbers are masked
 * unless @include_personal_data. @by_address sorts by RW, RT and address instead of by name.
 * Returns the number of persons listed in @n_persons. */
gboolean report_bnba_write (GeoStore   *store,
                            const char *desa,
                            gboolean    include_personal_data,
                            gboolean    by_address,
                            const char *path,
                            guint      *n_persons,
                            GError    **error);

G_END_DECLS
