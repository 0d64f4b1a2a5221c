#pragma once

#include <glib.h>

#include "geo-operator.h"
#include "geo-types.h"

G_BEGIN_DECLS

/**
 * GeoState:
 * The verivali states of a PMKS membership (DOMAIN.md "Workflows"), stored by their Indonesian
 * names: usulan (proposal), musdes (village meeting), kunjungan (home visit), entri (entry by
 * the desa operator; an import's default), verifikasi (Dinsos verification), disetujui
 * (approved by the Bupati/Wali Kota), padan (matched with Dukcapil), perbaikan (returned for
 * correction), ditutup (closed: the exit state, with a #GeoExitReason).
 */
typedef enum
{
  GEO_STATE_USULAN,
  GEO_STATE_MUSDES,
  GEO_STATE_KUNJUNGAN,
  GEO_STATE_ENTRI,
  GEO_STATE_VERIFIKASI,
  GEO_STATE_DISETUJUI,
  GEO_STATE_PADAN,
  GEO_STATE_PERBAIKAN,
  GEO_STATE_DITUTUP,
  GEO_N_STATES
} GeoState;

/* Why a membership was closed. */
typedef enum
{
  GEO_EXIT_NONE,
  GEO_EXIT_DECEASED,     /* meninggal */
  GEO_EXIT_MOVED,        /* pindah */
  GEO_EXIT_NOT_FOUND,    /* tidak-ditemukan */
  GEO_EXIT_NOT_ELIGIBLE, /* mampu: no longer eligible */
  GEO_EXIT_DUPLICATE,    /* ganda */
} GeoExitReason;

const char *geo_state_to_string (GeoState state);
const char *geo_state_label (GeoState state);
gboolean    geo_state_from_string (const char *str, GeoState *state);
const char *geo_exit_reason_to_string (GeoExitReason reason);
gboolean    geo_exit_reason_from_string (const char *str, GeoExitReason *reason);

gboolean geo_workflow_allowed (GeoState from, GeoState to, GeoRole *min_role);
char    *geo_workflow_next_states (GeoState from);

/**
 * GeoTransition:
 * @to: the target state
 * @category: one PMKS category, 0 for every membership of the person that is not closed
 * @reason: for %GEO_STATE_DITUTUP an exit reason (geo_exit_reason_from_string()); for other
 *   states an optional free-text note (e.g. why a record goes back for correction)
 * @decree: the approval decree number (optional)
 * @date: YYYY-MM-DD the change took effect; NULL for today
 */
typedef struct
{
  GeoState    to;
  int         category;
  const char *reason;
  const char *decree;
  const char *date;
} GeoTransition;

gboolean geo_workflow_set_status (GeoStore            *store,
                                  gint64               person_id,
                                  const GeoTransition *transition,
                                  guint               *n_changed,
                                  GError             **error);

gboolean geo_workflow_bulk (GeoStore            *store,
                            GeoState             from,
                            const char *const   *areas,
                            const GeoTransition *transition,
                            guint               *n_changed,
                            GError             **error);

gboolean geo_person_set_fields (GeoStore          *store,
                                gint64             person_id,
                                const char *const *fields,
                                const char *const *values,
                                guint              n_fields,
                                GError           **error);

/* Savepoint helpers: work inside or outside a caller's transaction. */
gboolean geo_workflow_savepoint (GeoStore *store, const char *name, GError **error);
gboolean geo_workflow_release (GeoStore *store, const char *name, GError **error);
void     geo_workflow_rollback_to (GeoStore *store, const char *name);

G_END_DECLS
