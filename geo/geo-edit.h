#pragma once

#include <glib.h>

#include "geo-nik.h"
#include "geo-types.h"

G_BEGIN_DECLS

/* Editing families and persons from the record views (docs/app.md "Editing records").
 * Every save validates first, then writes in one savepoint: the audit triggers log each
 * changed field in the same transaction, and the acting operator's scope is checked (here,
 * with a clear message, and again by the triggers). */

typedef enum
{
  GEO_EDIT_NONE,
  GEO_EDIT_NO_KK,
  GEO_EDIT_ADDRESS,
  GEO_EDIT_RT,
  GEO_EDIT_RW,
  GEO_EDIT_DESA,
  GEO_EDIT_LOCATION,
  GEO_EDIT_ACCURACY,
  GEO_EDIT_NIK,
  GEO_EDIT_NAME,
  GEO_EDIT_SEX,
  GEO_EDIT_BIRTH_DATE,
  GEO_EDIT_RELATION,
  GEO_EDIT_CATEGORIES,
  GEO_EDIT_FAMILY,
  GEO_EDIT_PRIORITY,
  GEO_EDIT_N_FIELDS
} GeoEditField;

/* Why a field was refused. @GEO_EDIT_BAD_ID carries the #GeoIdRule (NIK / No. KK). */
typedef enum
{
  GEO_EDIT_OK,
  GEO_EDIT_REQUIRED,    /* must not be empty */
  GEO_EDIT_BAD_ID,      /* NIK / No. KK rule broken: see @id_rule */
  GEO_EDIT_TAKEN,       /* NIK / No. KK already belongs to another record */
  GEO_EDIT_BAD_FORMAT,  /* RT/RW not 1-3 digits, sex not L/P, date not YYYY-MM-DD... */
  GEO_EDIT_BAD_DATE,    /* a birth date in the future or before 1880 */
  GEO_EDIT_UNKNOWN,     /* desa code not in the project's areas */
  GEO_EDIT_OUT_OF_AREA, /* point outside Indonesia */
  GEO_EDIT_SCOPE,       /* the acting operator may not change records of that desa */
  GEO_EDIT_MISSING,     /* the record to change does not exist */
} GeoEditRule;

typedef struct
{
  GeoEditField field;
  GeoEditRule  rule;
  GeoIdRule    id_rule;
  char        *message; /* English, "field: why" */
} GeoEditProblem;

/**
 * GeoFamilyEdit:
 * @no_kk: NULL or "" for a family without a KK
 * @loc_source: %GEO_LOC_GPS (a field GPS point) or %GEO_LOC_ADDRESS (placed by hand on the
 *   map or from the address); %GEO_LOC_DESA_CENTROID is what an import sets, not an edit
 * @gps_accuracy_m: NAN when unknown
 * @priority: 1 mendesak (urgent), 2 tinggi (high), 3 biasa (normal); 0: unchanged (a new
 *   family: 3)
 */
typedef struct
{
  const char  *no_kk;
  const char  *address;
  const char  *rt;
  const char  *rw;
  const char  *desa_code;
  double       lon;
  double       lat;
  GeoLocSource loc_source;
  double       gps_accuracy_m;
  int          priority;
} GeoFamilyEdit;

/**
 * GeoPersonEdit:
 * @nik: NULL or "" for a person without a NIK yet; else every geo_nik_validate() rule
 * @sex: 'L', 'P' or 0
 * @birth_date: YYYY-MM-DD or NULL
 * @categories: PMKS categories (bit code - 1). New ones start as 'entri'; removed ones are
 *   closed only through the workflow, so an edit may add categories but not drop one.
 */
typedef struct
{
  const char *nik;
  const char *name;
  char        sex;
  const char *birth_date;
  const char *relation;
  guint32     categories;
} GeoPersonEdit;

const char *geo_edit_field_to_string (GeoEditField field);
void        geo_edit_problem_free (GeoEditProblem *problem);

GPtrArray *geo_family_edit_check (GeoStore *store, gint64 family_id, const GeoFamilyEdit *edit);
GPtrArray *geo_person_edit_check (GeoStore            *store,
                                  gint64               person_id,
                                  gint64               family_id,
                                  const GeoPersonEdit *edit);

gint64 geo_family_save (GeoStore            *store,
                        gint64               family_id,
                        const GeoFamilyEdit *edit,
                        GPtrArray          **problems,
                        GError             **error);
gint64 geo_person_save (GeoStore            *store,
                        gint64               person_id,
                        gint64               family_id,
                        const GeoPersonEdit *edit,
                        GPtrArray          **problems,
                        GError             **error);

/**
 * GeoDeletion:
 * What deleting a person or a family removes (docs/workflow.md "Deleting records"), counted
 * before the delete: for the confirmation and the reports. Rows that the office keeps as
 * history (@n_visits, @n_visit_members, @n_round_stops) make a delete refused unless forced.
 * @person_id: the person deleted, 0 for a family delete
 * @family_id: the family deleted or the person's family
 * @no_kk: the family's No. KK (NULL when none); @nik, @name: the person's (NULL for a family)
 * @desa_code: the family's desa
 * @n_persons: persons removed (1 for a person delete)
 * @n_memberships: PMKS memberships removed with them
 * @n_visits: the family's home visits (family delete only)
 * @n_visit_members: member presence codes recorded in visits for the removed persons (and, for
 *   a family, every code of its visits)
 * @n_round_stops: stops of planned rounds naming the family (family delete only)
 * @n_programme_targets: programme target rows of the removed persons
 */
typedef struct
{
  gint64 person_id;
  gint64 family_id;
  char  *no_kk;
  char  *nik;
  char  *name;
  char  *desa_code;
  guint  n_persons;
  guint  n_memberships;
  guint  n_visits;
  guint  n_visit_members;
  guint  n_round_stops;
  guint  n_programme_targets;
} GeoDeletion;

void     geo_deletion_clear (GeoDeletion *deletion);
gboolean geo_deletion_has_history (const GeoDeletion *deletion);

gboolean
geo_edit_person_deletion (GeoStore *store, gint64 person_id, GeoDeletion *deletion, GError **error);
gboolean
geo_edit_family_deletion (GeoStore *store, gint64 family_id, GeoDeletion *deletion, GError **error);

gboolean geo_edit_delete_person (GeoStore    *store,
                                 gint64       person_id,
                                 const char  *reason,
                                 gboolean     force,
                                 GeoDeletion *deleted,
                                 GError     **error);
gboolean geo_edit_delete_family (GeoStore    *store,
                                 gint64       family_id,
                                 const char  *reason,
                                 gboolean     force,
                                 GeoDeletion *deleted,
                                 GError     **error);

/* A family's visits, newest first. */
typedef struct
{
  gint64 id;
  char  *date;
  char  *team;
  int    outcome;
  char  *notes;
  char  *operator_name;
} GeoVisitEntry;

GPtrArray *geo_family_visits (GeoStore *store, gint64 family_id, GError **error);
void       geo_visit_entry_free (GeoVisitEntry *entry);

/* One PMKS membership of a person, for the status menus. */
typedef struct
{
  int   category;
  char *status;
  char *since;
  char *reason;
} GeoMembershipInfo;

GPtrArray *geo_person_memberships (GeoStore *store, gint64 person_id, GError **error);
void       geo_membership_info_free (GeoMembershipInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoVisitEntry, geo_visit_entry_free)

G_END_DECLS
