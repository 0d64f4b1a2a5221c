#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app-delete.h"
#include "app-desa-chooser.h"
#include "app-person-model.h"
#include "app-records.h"
#include "geo-categories.h"
#include "geo-edit.h"
#include "geo-error.h"
#include "geo-nearest.h"
#include "geo-operator.h"
#include "geo-person-query.h"
#include "geo-selection.h"
#include "geo-visit.h"
#include "geo-workflow.h"

/* Visit dialog fields, numbered after the record fields so that one table holds both. */
enum
{
  VF_DATE = GEO_EDIT_N_FIELDS,
  VF_TEAM,
  VF_OUTCOME,
  VF_NOTES,
  VF_POINT,
  N_EDITOR_FIELDS
};

typedef enum
{
  EDIT_FAMILY,
  EDIT_PERSON,
  EDIT_VISIT,
} EditKind;

static const int outcome_codes[] = { 1, 2, 3, 4, 5, 6, 8, 9 };

typedef struct _AppRecords AppRecords;

typedef struct
{
  AppRecords *rec;
  EditKind    kind;
  gint64      family_id;
  gint64      person_id;
  GtkWindow  *window;
  GtkWidget  *save;
  GtkWidget  *general_error;
  GtkWidget  *fields[N_EDITOR_FIELDS];
  GtkWidget  *errors[N_EDITOR_FIELDS];
  gboolean    tried; /* a save was refused: validate on every change from now on */

  /* family and visit: the point */
  double     lon, lat;
  gboolean   has_point;
  double     family_lon, family_lat;
  GtkWidget *point_row;
  GtkWidget *desa_chooser; /* family: the desa chooser row, NULL on the code entry */

  /* person */
  GtkWidget *category_checks[GEO_PMKS_N_CATEGORIES + 1];

  /* visit */
  GArray    *member_ids;
  GPtrArray *member_rows;
} Editor;

struct _AppRecords
{
  AppWindow    *win; /* the window owns us */
  GSettings    *settings;
  GeoResources *resources;
  GeoIndex     *index;
  char         *resources_error;

  GtkWidget     *operator_row;
  GtkStringList *operator_names;
  gboolean       filling_operators;

  ShumateMarkerLayer *marker_layer;
  ShumateMarker      *marker;
  Editor             *picking; /* the editor waiting for a map click */
  GtkWindow          *dialog;  /* the open editor, NULL when none */

  /* filter bar */
  GtkWidget *filter_category, *filter_status, *filter_area, *filter_location, *filter_sort,
      *filter_desc;
  GtkStringList *area_codes;
};

static AppRecords *
get_rec (AppWindow *win)
{
  return g_object_get_data (G_OBJECT (win), "app-records");
}

static GeoStore *
rec_store (AppRecords *rec)
{
  AppProject *project = app_window_get_project (rec->win);

  return project != NULL ? app_project_get_store (project) : NULL;
}

static void
set_label (GtkWidget *widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label,
                                  -1);
}

static GtkWidget *
text_label (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* The family's symbol on the main map where the saved record puts it: its point, categories
 * and person count as the project's selection counts them (geo_selection_family_point, one
 * family by primary key), moved in the layer's in-memory index: no reload of every point. */
static void
sync_family_point (AppRecords *rec, gint64 family_id)
{
  g_autoptr(GError) error = NULL;
  MapFamilyPoint p = { family_id, NAN, NAN, 0, 0 };
  gboolean       found;

  if (family_id <= 0 || rec_store (rec) == NULL)
    return;
  found = geo_selection_family_point (rec_store (rec),
                                      family_id,
                                      &p.lon,
                                      &p.lat,
                                      &p.categories,
                                      &p.n_persons,
                                      &error);
  if (!found && !g_error_matches (error, GEO_ERROR, GEO_ERROR_NOT_FOUND))
    {
      app_window_toast (rec->win, error->message);
      return;
    }
  map_family_layer_update_family (app_window_get_family_layer (rec->win),
                                  &p,
                                  !found || !isfinite (p.lon) || !isfinite (p.lat));
}

/* After a change: the family on the map, the details again and the table's rows read anew. */
static void
refresh (AppRecords *rec, gint64 family_id)
{
  GListModel *model = app_window_get_person_model (rec->win);

  sync_family_point (rec, family_id);
  if (model != NULL)
    app_person_model_refresh (APP_PERSON_MODEL (model));
  app_window_select_family (rec->win, family_id, FALSE);
}

/* --- problems in the user's language ------------------------------------------------- */

static char *
id_rule_text (GeoEditField field, GeoIdRule rule)
{
  gboolean kk = field == GEO_EDIT_NO_KK;

  switch (rule)
    {
    case GEO_ID_LENGTH:
      return g_strdup (kk ? _ ("A No. KK has 16 digits.") : _ ("A NIK has 16 digits."));
    case GEO_ID_DIGITS:
      return g_strdup (_ ("Digits 0-9 only."));
    case GEO_ID_REGION:
      return g_strdup (_ ("Digits 1-6 are not a known kecamatan code."));
    case GEO_ID_DATE:
      return g_strdup (_ ("Digits 7-12 are not a real birth date DDMMYY (day + 40 for women)."));
    case GEO_ID_SERIAL:
      return g_strdup (_ ("The last 4 digits must not be 0000."));
    case GEO_ID_SEX:
      return g_strdup (_ ("The NIK's birth day says the other sex (women have day + 40)."));
    case GEO_ID_BIRTH_DATE:
      return g_strdup (_ ("The NIK's date differs from the birth date."));
    case GEO_ID_ZEROS:
      return g_strdup (_ ("All zeros is a placeholder, not a number."));
    case GEO_ID_OK:
    default:
      return g_strdup (_ ("Not a valid number."));
    }
}

static char *
problem_text (AppRecords *rec, const GeoEditProblem *p)
{
  switch (p->rule)
    {
    case GEO_EDIT_REQUIRED:
      return g_strdup (p->field == GEO_EDIT_NAME ? _ ("A name is required.")
                                                 : _ ("A desa code is required (PP.KK.CC.DDDD)."));
    case GEO_EDIT_BAD_ID:
      return id_rule_text (p->field, p->id_rule);
    case GEO_EDIT_TAKEN:
      return g_strdup (p->field == GEO_EDIT_NO_KK
                           ? _ ("This No. KK already belongs to another family.")
                           : _ ("This NIK already belongs to another person."));
    case GEO_EDIT_BAD_FORMAT:
      switch (p->field)
        {
        case GEO_EDIT_RT:
        case GEO_EDIT_RW:
          return g_strdup (_ ("RT and RW are 1-3 digits."));
        case GEO_EDIT_BIRTH_DATE:
          return g_strdup (_ ("Write the date as YYYY-MM-DD."));
        case GEO_EDIT_ACCURACY:
          return g_strdup (_ ("The accuracy is a positive number of metres."));
        case GEO_EDIT_PRIORITY:
          return g_strdup (_ ("Choose urgent, high or normal."));
        case GEO_EDIT_CATEGORIES:
          return g_strdup (
              _ ("A category is closed (with a reason) or reopened in the status menu, not here."));
        default:
          return g_strdup (p->message);
        }
    case GEO_EDIT_BAD_DATE:
      return g_strdup (_ ("Not a plausible birth date."));
    case GEO_EDIT_UNKNOWN:
      return g_strdup (_ ("Not a desa of this project."));
    case GEO_EDIT_OUT_OF_AREA:
      return g_strdup (_ ("The point is not in Indonesia: pick it on the map."));
    case GEO_EDIT_SCOPE:
      return g_strdup_printf (_ ("Operator %s may not change records of this desa."),
                              geo_operator_current (rec_store (rec))->name);
    case GEO_EDIT_MISSING:
      return g_strdup (_ ("The record no longer exists."));
    case GEO_EDIT_OK:
    default:
      return g_strdup (p->message);
    }
}

/* --- editor dialogs ------------------------------------------------------------------ */

static void
editor_free (Editor *e)
{
  if (e->rec->picking == e)
    e->rec->picking = NULL;
  if (e->rec->dialog == e->window)
    e->rec->dialog = NULL;
  g_clear_pointer (&e->member_ids, g_array_unref);
  g_clear_pointer (&e->member_rows, g_ptr_array_unref);
  g_free (e);
}

static const char *
text_of (Editor *e, int field)
{
  return gtk_editable_get_text (GTK_EDITABLE (e->fields[field]));
}

static void
clear_errors (Editor *e)
{
  for (int f = 0; f < N_EDITOR_FIELDS; f++)
    if (e->errors[f] != NULL)
      {
        gtk_widget_set_visible (gtk_widget_get_parent (e->errors[f]), FALSE);
        gtk_label_set_text (GTK_LABEL (e->errors[f]), "");
        gtk_widget_remove_css_class (e->fields[f], "error");
      }
  gtk_widget_set_visible (e->general_error, FALSE);
}

static void
set_error (Editor *e, int field, const char *text)
{
  if (field <= 0 || field >= N_EDITOR_FIELDS || e->errors[field] == NULL)
    {
      gtk_label_set_text (GTK_LABEL (e->general_error), text);
      gtk_widget_set_visible (e->general_error, TRUE);
      return;
    }
  gtk_label_set_text (GTK_LABEL (e->errors[field]), text);
  gtk_widget_set_visible (gtk_widget_get_parent (e->errors[field]), TRUE);
  gtk_widget_add_css_class (e->fields[field], "error");
}

static void
show_problems (Editor *e, GPtrArray *problems)
{
  clear_errors (e);
  for (guint i = 0; i < problems->len; i++)
    {
      const GeoEditProblem *p = problems->pdata[i];
      g_autofree char      *text =
          p->field == GEO_EDIT_DESA && p->rule == GEO_EDIT_REQUIRED && e->desa_chooser != NULL
                   ? g_strdup (_ ("Choose the family's desa."))
                   : problem_text (e->rec, p);

      set_error (e, p->field, text);
    }
}

static void
add_error_row (Editor *e, GtkListBox *list, int field, const char *name)
{
  GtkWidget       *label = text_label (NULL, "error");
  GtkWidget       *row = gtk_list_box_row_new ();
  g_autofree char *id = g_strdup_printf ("error-%s", name);

  gtk_widget_set_name (label, id);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_visible (row, FALSE);
  gtk_list_box_append (list, row);
  e->errors[field] = label;
}

static void validate_live (Editor *e);

static GtkWidget *
add_entry (
    Editor *e, GtkListBox *list, int field, const char *title, const char *text, const char *name)
{
  GtkWidget       *row = adw_entry_row_new ();
  g_autofree char *id = g_strdup_printf ("edit-%s", name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_widget_set_name (row, id);
  set_label (row, title);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (validate_live), e);
  gtk_list_box_append (list, row);
  e->fields[field] = row;
  add_error_row (e, list, field, name);
  return row;
}

static GtkWidget *
add_combo (Editor            *e,
           GtkListBox        *list,
           int                field,
           const char        *title,
           const char *const *items,
           guint              selected,
           const char        *name)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);
  g_autofree char *id = g_strdup_printf ("edit-%s", name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  gtk_widget_set_name (row, id);
  set_label (row, title);
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (validate_live), e);
  gtk_list_box_append (list, row);
  e->fields[field] = row;
  add_error_row (e, list, field, name);
  return row;
}

static void on_save (Editor *e);

static GtkListBox *
editor_new (AppRecords *rec, EditKind kind, const char *title, const char *subtitle, Editor **out)
{
  Editor    *e = g_new0 (Editor, 1);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();

  if (rec->dialog != NULL)
    gtk_window_destroy (rec->dialog);
  e->rec = rec;
  e->kind = kind;
  e->window = GTK_WINDOW (window);
  e->save = gtk_button_new_with_mnemonic (kind == EDIT_VISIT ? _ ("_Log Visit") : _ ("_Save"));
  gtk_widget_set_name (e->save, "edit-save");
  gtk_widget_add_css_class (e->save, "suggested-action");
  g_signal_connect_swapped (e->save, "clicked", G_CALLBACK (on_save), e);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, subtitle));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), e->save);
  gtk_box_append (GTK_BOX (box), header);

  e->general_error = text_label (NULL, "error");
  gtk_widget_set_name (e->general_error, "edit-error");
  gtk_widget_set_visible (e->general_error, FALSE);
  gtk_box_append (GTK_BOX (content), e->general_error);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  set_label (list, title);
  gtk_box_append (GTK_BOX (content), list);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (rec->win));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 640);
  g_object_set_data_full (G_OBJECT (window), "editor", e, (GDestroyNotify) editor_free);
  rec->dialog = GTK_WINDOW (window);
  *out = e;
  return GTK_LIST_BOX (list);
}

/* Under an existing record's fields: closes the editor (nothing saved) and asks to delete. */
static void
on_editor_delete (Editor *e)
{
  AppRecords *rec = e->rec;
  gint64      person = e->kind == EDIT_PERSON ? e->person_id : 0;
  gint64      family = e->family_id;

  gtk_window_destroy (e->window);
  if (person > 0)
    app_delete_confirm_person (rec->win, person);
  else
    app_delete_confirm_family (rec->win, family);
}

static void
add_delete_button (Editor *e, GtkListBox *list, const char *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, "edit-delete");
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 12);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_editor_delete), e);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (list))), button);
}

/* --- the point: family location, visit GPS ------------------------------------------- */

static void
show_point (Editor *e)
{
  g_autofree char *text = NULL;

  if (e->point_row == NULL)
    return;
  if (e->has_point)
    text = g_strdup_printf ("%.6f, %.6f", e->lat, e->lon);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (e->point_row), text != NULL ? text : _ ("none"));
  if (e->has_point)
    {
      shumate_location_set_location (SHUMATE_LOCATION (e->rec->marker), e->lat, e->lon);
      gtk_widget_set_visible (GTK_WIDGET (e->rec->marker), TRUE);
    }
}

static void
start_pick (Editor *e)
{
  e->rec->picking = e;
  gtk_widget_set_visible (GTK_WIDGET (e->window), FALSE);
  app_window_toast (e->rec->win, _ ("Click the map where the point is"));
}

/**
 * app_records_finish_pick:
 *
 * The map was clicked at (@lon, @lat) while an editor waits for a point: the editor takes
 * it and comes back.
 */
void
app_records_finish_pick (AppWindow *win, double lon, double lat)
{
  AppRecords *rec = get_rec (win);
  Editor     *e = rec->picking;

  if (e == NULL)
    return;
  rec->picking = NULL;
  e->lon = lon;
  e->lat = lat;
  e->has_point = TRUE;
  if (e->kind == EDIT_FAMILY && e->fields[GEO_EDIT_LOCATION] != NULL)
    adw_combo_row_set_selected (ADW_COMBO_ROW (e->fields[GEO_EDIT_LOCATION]), 1); /* by hand */
  if (e->kind == EDIT_VISIT && e->fields[VF_POINT] != NULL)
    adw_combo_row_set_selected (ADW_COMBO_ROW (e->fields[VF_POINT]), 2);
  show_point (e);
  validate_live (e);
  gtk_window_present (e->window);
}

gboolean
app_records_get_picking (AppWindow *win)
{
  return get_rec (win)->picking != NULL;
}

GtkWindow *
app_records_get_dialog (AppWindow *win)
{
  return get_rec (win)->dialog;
}

static void
on_map_pressed (GtkGestureClick *gesture, int n_press, double x, double y, AppRecords *rec)
{
  GtkWidget *map = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  double     lat, lon;

  if (rec->picking == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  shumate_viewport_widget_coords_to_location (app_window_get_viewport (rec->win),
                                              map,
                                              x,
                                              y,
                                              &lat,
                                              &lon);
  app_records_finish_pick (rec->win, lon, lat);
}

static GtkWidget *
add_point_row (Editor *e, GtkListBox *list, const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pick = gtk_button_new_with_mnemonic (_ ("_Pick on Map"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (pick, GTK_ALIGN_CENTER);
  gtk_widget_set_name (pick, "edit-pick");
  set_label (pick, _ ("Pick the point on the map"));
  g_signal_connect_swapped (pick, "clicked", G_CALLBACK (start_pick), e);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pick);
  gtk_list_box_append (list, row);
  e->point_row = row;
  show_point (e);
  return row;
}

/* --- family editor ------------------------------------------------------------------- */

static void
fill_family (Editor *e, GeoFamilyEdit *fe)
{
  const char *acc = text_of (e, GEO_EDIT_ACCURACY);
  char       *end = NULL;

  fe->no_kk = text_of (e, GEO_EDIT_NO_KK);
  fe->address = text_of (e, GEO_EDIT_ADDRESS);
  fe->rt = text_of (e, GEO_EDIT_RT);
  fe->rw = text_of (e, GEO_EDIT_RW);
  fe->desa_code = e->desa_chooser != NULL ? app_desa_chooser_get_code (e->desa_chooser)
                                          : text_of (e, GEO_EDIT_DESA);
  fe->lon = e->has_point ? e->lon : NAN;
  fe->lat = e->has_point ? e->lat : NAN;
  fe->loc_source = adw_combo_row_get_selected (ADW_COMBO_ROW (e->fields[GEO_EDIT_LOCATION])) == 0
                       ? GEO_LOC_GPS
                       : GEO_LOC_ADDRESS;
  fe->gps_accuracy_m = NAN;
  if (*acc != '\0')
    {
      fe->gps_accuracy_m = g_ascii_strtod (acc, &end);
      if (end == acc || *end != '\0')
        fe->gps_accuracy_m = -1; /* refused by the check */
    }
  /* Rows: urgent, high, normal. */
  fe->priority =
      (int) adw_combo_row_get_selected (ADW_COMBO_ROW (e->fields[GEO_EDIT_PRIORITY])) + 1;
}

/* The desa: chosen by name from the project's areas, or typed as a code (with a hint) when
 * the project has no desa boundaries yet. */
static void
add_desa_row (Editor *e, GtkListBox *list, const char *code)
{
  GtkWidget *row = app_desa_chooser_new (rec_store (e->rec), _ ("Desa"), code);
  GtkWidget *hint;

  if (row == NULL)
    {
      add_entry (e, list, GEO_EDIT_DESA, _ ("Desa code (PP.KK.CC.DDDD)"), code, "desa");
      hint = text_label (_ ("This project has no desa boundaries: type the Kemendagri code, or "
                            "import the areas to choose the desa by name."),
                         "dim-label");
      gtk_widget_set_name (hint, "edit-desa-hint");
      gtk_widget_set_margin_start (hint, 12);
      gtk_widget_set_margin_end (hint, 12);
      gtk_widget_set_margin_top (hint, 6);
      gtk_widget_set_margin_bottom (hint, 6);
      gtk_list_box_insert (list,
                           hint,
                           gtk_list_box_row_get_index (
                               GTK_LIST_BOX_ROW (e->fields[GEO_EDIT_DESA])) +
                               1);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (hint)), FALSE);
      return;
    }
  gtk_widget_set_name (row, "edit-desa");
  g_signal_connect_swapped (row, "notify::subtitle", G_CALLBACK (validate_live), e);
  gtk_list_box_append (list, row);
  e->desa_chooser = row;
  e->fields[GEO_EDIT_DESA] = row;
  add_error_row (e, list, GEO_EDIT_DESA, "desa");
}

static void
open_family_editor (AppRecords *rec, const GeoFamilyDetails *d)
{
  static const char *sources[3] = { NULL, NULL, NULL };
  static const char *priorities[4] = { NULL, NULL, NULL, NULL };
  Editor            *e;
  GtkListBox        *list;
  g_autofree char   *acc = NULL;

  sources[0] = _ ("GPS point (field)");
  sources[1] = _ ("Placed by hand on the map");
  priorities[0] = _ ("Urgent (mendesak)");
  priorities[1] = _ ("High (tinggi)");
  priorities[2] = _ ("Normal (biasa)");
  list = editor_new (rec, EDIT_FAMILY, d != NULL ? _ ("Edit Family") : _ ("Add Family"), NULL, &e);
  e->family_id = d != NULL ? d->id : 0;
  if (d != NULL)
    {
      e->lon = d->lon;
      e->lat = d->lat;
      e->has_point = TRUE;
      if (isfinite (d->gps_accuracy_m))
        acc = g_strdup_printf ("%g", d->gps_accuracy_m);
    }
  else
    {
      ShumateViewport *viewport = app_window_get_viewport (rec->win);

      e->lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
      e->lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
      e->has_point = TRUE;
    }
  add_entry (e, list, GEO_EDIT_NO_KK, _ ("No. KK (16 digits)"), d ? d->no_kk : NULL, "no-kk");
  add_entry (e, list, GEO_EDIT_ADDRESS, _ ("Address"), d ? d->address : NULL, "address");
  add_entry (e, list, GEO_EDIT_RT, _ ("RT"), d ? d->rt : NULL, "rt");
  add_entry (e, list, GEO_EDIT_RW, _ ("RW"), d ? d->rw : NULL, "rw");
  add_desa_row (e, list, d ? d->desa_code : geo_operator_current (rec_store (rec))->scope);
  add_point_row (e, list, _ ("Location"));
  add_combo (e,
             list,
             GEO_EDIT_LOCATION,
             _ ("Location source"),
             sources,
             d != NULL && d->loc_source == GEO_LOC_GPS ? 0 : 1,
             "source");
  add_entry (e, list, GEO_EDIT_ACCURACY, _ ("GPS accuracy (metres, optional)"), acc, "accuracy");
  add_combo (e,
             list,
             GEO_EDIT_PRIORITY,
             _ ("Priority for outreach rounds"),
             priorities,
             d != NULL && d->priority >= 1 && d->priority <= 3 ? (guint) d->priority - 1 : 2,
             "priority");
  if (d != NULL)
    add_delete_button (e, list, _ ("_Delete Family…"));
  gtk_window_present (e->window);
}

/* --- person editor ------------------------------------------------------------------- */

static void
fill_person (Editor *e, GeoPersonEdit *pe)
{
  guint sex = adw_combo_row_get_selected (ADW_COMBO_ROW (e->fields[GEO_EDIT_SEX]));

  pe->nik = text_of (e, GEO_EDIT_NIK);
  pe->name = text_of (e, GEO_EDIT_NAME);
  pe->sex = sex == 1 ? 'L' : sex == 2 ? 'P' : 0;
  pe->birth_date = text_of (e, GEO_EDIT_BIRTH_DATE);
  pe->relation = text_of (e, GEO_EDIT_RELATION);
  pe->categories = 0;
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (e->category_checks[c])))
      pe->categories |= 1u << (c - 1);
}

static void
open_person_editor (AppRecords *rec, gint64 family_id, const GeoMember *m)
{
  static const char *sexes[4] = { NULL, NULL, NULL, NULL };
  Editor            *e;
  GtkListBox        *list;
  GtkWidget         *expander;
  g_autoptr(GPtrArray) memberships = NULL;
  guint32 closed = 0;

  sexes[0] = _ ("Unknown");
  sexes[1] = _ ("Male (L)");
  sexes[2] = _ ("Female (P)");
  list = editor_new (rec,
                     EDIT_PERSON,
                     m != NULL ? _ ("Edit Person") : _ ("Add Person"),
                     m != NULL ? m->name : NULL,
                     &e);
  e->family_id = family_id;
  e->person_id = m != NULL ? m->id : 0;
  /* The full NIK: the operator opened the record to correct it. */
  add_entry (e, list, GEO_EDIT_NIK, _ ("NIK (16 digits)"), m ? m->nik : NULL, "nik");
  add_entry (e, list, GEO_EDIT_NAME, _ ("Name"), m ? m->name : NULL, "name");
  add_combo (e,
             list,
             GEO_EDIT_SEX,
             _ ("Sex"),
             sexes,
             m == NULL       ? 0
             : m->sex == 'L' ? 1
             : m->sex == 'P' ? 2
                             : 0,
             "sex");
  add_entry (e,
             list,
             GEO_EDIT_BIRTH_DATE,
             _ ("Birth date (YYYY-MM-DD)"),
             m ? m->birth_date : NULL,
             "birth-date");
  add_entry (e,
             list,
             GEO_EDIT_RELATION,
             _ ("Relation to the head"),
             m ? m->relation : NULL,
             "relation");

  if (m != NULL)
    memberships = geo_person_memberships (rec_store (rec), m->id, NULL);
  for (guint i = 0; memberships != NULL && i < memberships->len; i++)
    {
      const GeoMembershipInfo *mi = memberships->pdata[i];

      if (g_strcmp0 (mi->status, "ditutup") == 0 && mi->category >= 1 &&
          mi->category <= GEO_PMKS_N_CATEGORIES)
        closed |= 1u << (mi->category - 1);
    }
  expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _ ("PMKS categories"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 _ ("New categories start as operator entry; close one in the "
                                    "status menu"));
  gtk_widget_set_name (expander, "edit-categories");
  set_label (expander, _ ("PMKS categories"));
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    {
      const GeoCategory *cat = geo_pmks_get (c);
      GtkWidget         *row = adw_action_row_new ();
      GtkWidget         *check = gtk_check_button_new ();
      guint32            bit = 1u << (c - 1);
      g_autofree char   *title = g_strdup_printf ("%d %s", c, cat->name);
      g_autofree char   *name = g_strdup_printf ("edit-category-%d", c);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), m != NULL && (m->categories & bit));
      /* Held categories leave through the workflow (a reason), closed ones come back there. */
      if ((m != NULL && (m->categories & bit)) || (closed & bit))
        {
          gtk_widget_set_sensitive (check, FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       (closed & bit) ? _ ("closed: reopen it in the status menu")
                                                      : _ ("held: close it in the status menu"));
        }
      gtk_widget_set_name (check, name);
      set_label (check, cat->name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      e->category_checks[c] = check;
    }
  gtk_list_box_append (list, expander);
  e->fields[GEO_EDIT_CATEGORIES] = expander;
  add_error_row (e, list, GEO_EDIT_CATEGORIES, "categories");
  if (m != NULL)
    add_delete_button (e, list, _ ("_Delete Person…"));
  gtk_window_present (e->window);
}

/* --- visit dialog -------------------------------------------------------------------- */

static const char *
outcome_text (int code)
{
  switch (code)
    {
    case 1:
      return _ ("1 Found");
    case 2:
      return _ ("2 Moved / not found");
    case 3:
      return _ ("3 Refused");
    case 4:
      return _ ("4 Deceased");
    case 5:
      return _ ("5 Not eligible");
    case 6:
      return _ ("6 In an institution");
    case 8:
      return _ ("8 Not reachable by the end");
    case 9:
      return _ ("9 Not at home, come back");
    default:
      return "?";
    }
}

static void
open_visit_dialog (AppRecords *rec, const GeoFamilyDetails *d)
{
  const char *outcomes[G_N_ELEMENTS (outcome_codes) + 1] = { 0 };
  const char *presences[7] = { 0 };
  const char *points[4] = { 0 };
  Editor     *e;
  GtkListBox *list;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *kk = geo_mask_nik (d->no_kk);

  for (guint i = 0; i < G_N_ELEMENTS (outcome_codes); i++)
    outcomes[i] = outcome_text (outcome_codes[i]);
  presences[0] = _ ("Not recorded");
  presences[1] = _ ("1 Lives here");
  presences[2] = _ ("2 Deceased");
  presences[3] = _ ("3 Moved within Indonesia");
  presences[4] = _ ("4 Moved abroad");
  presences[5] = _ ("5 Not found");
  points[0] = _ ("No point");
  points[1] = _ ("The family's point");
  points[2] = _ ("Picked on the map");
  list = editor_new (rec, EDIT_VISIT, _ ("Log Visit"), kk, &e);
  e->family_id = d->id;
  e->family_lon = d->lon;
  e->family_lat = d->lat;
  add_entry (e, list, VF_DATE, _ ("Date (YYYY-MM-DD)"), today, "visit-date");
  add_entry (e, list, VF_TEAM, _ ("Team"), NULL, "visit-team");
  add_combo (e, list, VF_OUTCOME, _ ("Outcome (DTSEN code)"), outcomes, 0, "visit-outcome");
  e->member_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  e->member_rows = g_ptr_array_new ();
  for (guint i = 0; i < d->n_members; i++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) model = gtk_string_list_new (presences);
      g_autofree char *name = g_strdup_printf ("visit-member-%" G_GINT64_FORMAT, d->members[i].id);
      g_autofree char *title =
          g_strdup_printf (_ ("Member: %s"), d->members[i].name ? d->members[i].name : "?");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      gtk_widget_set_name (row, name);
      set_label (row, title);
      gtk_list_box_append (list, row);
      g_array_append_val (e->member_ids, d->members[i].id);
      g_ptr_array_add (e->member_rows, row);
    }
  add_entry (e, list, VF_NOTES, _ ("Notes"), NULL, "visit-notes");
  add_combo (e, list, VF_POINT, _ ("GPS point of the visit"), points, 0, "visit-point");
  add_point_row (e, list, _ ("Point"));
  gtk_window_present (e->window);
}

/* --- saving -------------------------------------------------------------------------- */

static gboolean
valid_date (const char *s)
{
  int  y, m, d;
  char tail;

  return s != NULL && strlen (s) == 10 && sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
         g_date_valid_dmy (d, m, y);
}

static gboolean
check_visit (Editor *e)
{
  guint    point = adw_combo_row_get_selected (ADW_COMBO_ROW (e->fields[VF_POINT]));
  gboolean ok = TRUE;

  clear_errors (e);
  if (!valid_date (text_of (e, VF_DATE)))
    {
      set_error (e, VF_DATE, _ ("Write the date as YYYY-MM-DD."));
      ok = FALSE;
    }
  if (point == 2 && !e->has_point)
    {
      set_error (e, VF_POINT, _ ("Pick the point on the map first."));
      ok = FALSE;
    }
  return ok;
}

static void
validate_live (Editor *e)
{
  GeoStore *store = rec_store (e->rec);
  g_autoptr(GPtrArray) problems = NULL;

  if (!e->tried || store == NULL)
    return;
  if (e->kind == EDIT_FAMILY)
    {
      GeoFamilyEdit fe;

      fill_family (e, &fe);
      problems = geo_family_edit_check (store, e->family_id, &fe);
    }
  else if (e->kind == EDIT_PERSON)
    {
      GeoPersonEdit pe;

      fill_person (e, &pe);
      problems = geo_person_edit_check (store, e->person_id, e->family_id, &pe);
    }
  else
    {
      check_visit (e);
      return;
    }
  show_problems (e, problems);
}

static void
save_visit (Editor *e)
{
  AppRecords *rec = e->rec;
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (GeoVisitMember));
  g_autoptr(GError) error = NULL;
  GeoVisitRecord   v = { 0 };
  GeoVisitResult   result;
  guint            point = adw_combo_row_get_selected (ADW_COMBO_ROW (e->fields[VF_POINT]));
  g_autofree char *msg = NULL;
  gint64           family_id = e->family_id;

  if (!check_visit (e))
    {
      e->tried = TRUE;
      return;
    }
  for (guint i = 0; i < e->member_ids->len; i++)
    {
      guint          code = adw_combo_row_get_selected (ADW_COMBO_ROW (e->member_rows->pdata[i]));
      GeoVisitMember m = { g_array_index (e->member_ids, gint64, i), (int) code };

      if (code >= 1 && code <= 5)
        g_array_append_val (members, m);
    }
  v.family_id = e->family_id;
  v.date = text_of (e, VF_DATE);
  v.team = *text_of (e, VF_TEAM) ? text_of (e, VF_TEAM) : NULL;
  v.outcome = outcome_codes[adw_combo_row_get_selected (ADW_COMBO_ROW (e->fields[VF_OUTCOME]))];
  v.notes = *text_of (e, VF_NOTES) ? text_of (e, VF_NOTES) : NULL;
  v.has_point = point != 0;
  v.lon = point == 1 ? e->family_lon : e->lon;
  v.lat = point == 1 ? e->family_lat : e->lat;
  v.members = (const GeoVisitMember *) members->data;
  v.n_members = members->len;
  if (!geo_visit_log (rec_store (rec), &v, &result, &error))
    {
      set_error (e, 0, error->message);
      return;
    }
  if (result.requeue)
    msg = g_strdup_printf (ngettext ("Visit logged: %u status changed; the family goes back into "
                                     "the next round",
                                     "Visit logged: %u statuses changed; the family goes back into "
                                     "the next round",
                                     result.n_status_changed),
                           result.n_status_changed);
  else
    msg = g_strdup_printf (ngettext ("Visit logged: %u status changed",
                                     "Visit logged: %u statuses changed",
                                     result.n_status_changed),
                           result.n_status_changed);
  app_window_toast (rec->win, msg);
  gtk_window_destroy (e->window);
  refresh (rec, family_id);
}

static void
on_save (Editor *e)
{
  AppRecords *rec = e->rec;
  GeoStore   *store = rec_store (rec);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  gint64 family_id = e->family_id;

  if (store == NULL)
    return;
  if (e->kind == EDIT_VISIT)
    {
      save_visit (e);
      return;
    }
  if (e->kind == EDIT_FAMILY)
    {
      GeoFamilyEdit fe;

      fill_family (e, &fe);
      id = geo_family_save (store, e->family_id, &fe, &problems, &error);
      family_id = id;
    }
  else
    {
      GeoPersonEdit pe;

      fill_person (e, &pe);
      id = geo_person_save (store, e->person_id, e->family_id, &pe, &problems, &error);
    }
  if (id <= 0)
    {
      e->tried = TRUE;
      if (problems != NULL)
        show_problems (e, problems);
      else
        set_error (e, 0, error->message);
      return;
    }
  app_window_toast (rec->win, _ ("Saved"));
  gtk_window_destroy (e->window);
  refresh (rec, family_id);
}

/* --- status menus -------------------------------------------------------------------- */

static void
status_refused (AppRecords *rec, const char *message)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_WINDOW (rec->win), _ ("Status not changed"), message));

  adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
  gtk_widget_set_name (GTK_WIDGET (dialog), "status-refused");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_status_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  AppRecords   *rec = data;
  gint64        person;
  gint32        category;
  const char   *to, *reason;
  GeoTransition t = { 0 };
  guint         n = 0;
  g_autoptr(GError) error = NULL;

  g_variant_get (param, "(xi&s&s)", &person, &category, &to, &reason);
  if (!geo_state_from_string (to, &t.to))
    return;
  t.category = category;
  t.reason = *reason ? reason : NULL;
  if (!geo_workflow_set_status (rec_store (rec), person, &t, &n, &error))
    {
      status_refused (rec, error->message);
      return;
    }
  app_window_toast (rec->win, _ ("Status changed"));
  refresh (rec, app_window_get_selected_family (rec->win));
}

static const char *
state_text (GeoState s)
{
  switch (s)
    {
    case GEO_STATE_USULAN:
      return _ ("proposal (usulan)");
    case GEO_STATE_MUSDES:
      return _ ("village meeting (musdes)");
    case GEO_STATE_KUNJUNGAN:
      return _ ("home visit (kunjungan)");
    case GEO_STATE_ENTRI:
      return _ ("operator entry (entri)");
    case GEO_STATE_VERIFIKASI:
      return _ ("Dinsos verification (verifikasi)");
    case GEO_STATE_DISETUJUI:
      return _ ("approved (disetujui)");
    case GEO_STATE_PADAN:
      return _ ("Dukcapil match (padan)");
    case GEO_STATE_PERBAIKAN:
      return _ ("returned for correction (perbaikan)");
    case GEO_STATE_DITUTUP:
    default:
      return _ ("closed (ditutup)");
    }
}

static GMenuItem *
status_item (const char *label, gint64 person, int category, const char *to, const char *reason)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item,
                                           "rec.status",
                                           g_variant_new ("(xiss)", person, category, to, reason));
  return item;
}

/* A menu of the moves the workflow allows from @from (the role is checked when applied). */
static GMenuModel *
status_menu (gint64 person, int category, GeoState from)
{
  GMenu                     *menu = g_menu_new ();
  GMenu                     *close = NULL;
  static const GeoExitReason reasons[] = {
    GEO_EXIT_DECEASED, GEO_EXIT_MOVED, GEO_EXIT_NOT_FOUND, GEO_EXIT_NOT_ELIGIBLE, GEO_EXIT_DUPLICATE
  };

  for (GeoState to = 0; to < GEO_N_STATES; to++)
    {
      GeoRole min_role;

      if (!geo_workflow_allowed (from, to, &min_role))
        continue;
      if (to == GEO_STATE_DITUTUP)
        {
          close = g_menu_new ();
          for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
            {
              const char *label =
                  reasons[i] == GEO_EXIT_DECEASED       ? _ ("Deceased (meninggal)")
                  : reasons[i] == GEO_EXIT_MOVED        ? _ ("Moved (pindah)")
                  : reasons[i] == GEO_EXIT_NOT_FOUND    ? _ ("Not found (tidak ditemukan)")
                  : reasons[i] == GEO_EXIT_NOT_ELIGIBLE ? _ ("No longer eligible (mampu)")
                                                        : _ ("Duplicate (ganda)");
              g_autoptr(GMenuItem) item = status_item (label,
                                                        person,
                                                        category,
                                                        "ditutup",
                                                        geo_exit_reason_to_string (reasons[i]));

              g_menu_append_item (close, item);
            }
          continue;
        }
      {
        g_autofree char *label =
            min_role > GEO_ROLE_DESA
                ? g_strdup_printf (_ ("%s (needs %s)"), state_text (to), geo_role_label (min_role))
                : g_strdup (state_text (to));
        g_autoptr(GMenuItem) item =
                       status_item (label, person, category, geo_state_to_string (to), "");

        g_menu_append_item (menu, item);
      }
    }
  if (close != NULL)
    {
      g_menu_append_submenu (menu, _ ("Close with a reason"), G_MENU_MODEL (close));
      g_object_unref (close);
    }
  return G_MENU_MODEL (menu);
}

static void
on_edit_person_clicked (GtkButton *button, AppRecords *rec)
{
  gint64 person = *(gint64 *) g_object_get_data (G_OBJECT (button), "person-id");
  g_autoptr(GeoFamilyDetails) d = NULL;

  d = geo_family_details_load (rec_store (rec), app_window_get_selected_family (rec->win), NULL);
  for (guint i = 0; d != NULL && i < d->n_members; i++)
    if (d->members[i].id == person)
      open_person_editor (rec, d->id, &d->members[i]);
}

static void
on_delete_person_clicked (GtkButton *button, AppRecords *rec)
{
  app_delete_confirm_person (rec->win,
                             *(gint64 *) g_object_get_data (G_OBJECT (button), "person-id"));
}

static GtkWidget *
delete_person_button (AppRecords *rec, const GeoMember *m)
{
  GtkWidget       *button = gtk_button_new_with_label (_ ("Delete"));
  g_autofree char *name = g_strdup_printf ("records-delete-person-%" G_GINT64_FORMAT, m->id);
  g_autofree char *label = g_strdup_printf (_ ("Delete %s"), m->name ? m->name : "");
  gint64          *id = g_new (gint64, 1);

  *id = m->id;
  g_object_set_data_full (G_OBJECT (button), "person-id", id, g_free);
  gtk_widget_set_name (button, name);
  set_label (button, label);
  gtk_widget_set_tooltip_text (button, label);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "error");
  g_signal_connect (button, "clicked", G_CALLBACK (on_delete_person_clicked), rec);
  return button;
}

/**
 * app_records_member_actions:
 *
 * The row under a member card: an Edit button and one status menu per PMKS membership.
 */
GtkWidget *
app_records_member_actions (AppWindow *win, const GeoFamilyDetails *d, const GeoMember *m)
{
  AppRecords      *rec = get_rec (win);
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget       *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget       *edit = gtk_button_new_with_label (_ ("Edit"));
  g_autofree char *name = g_strdup_printf ("records-edit-person-%" G_GINT64_FORMAT, m->id);
  g_autofree char *label = g_strdup_printf (_ ("Edit %s"), m->name ? m->name : "");
  g_autoptr(GPtrArray) memberships = geo_person_memberships (rec_store (rec), m->id, NULL);
  gint64 *id = g_new (gint64, 1);
  guint   on_line = 2; /* Edit and Delete */

  *id = m->id;
  g_object_set_data_full (G_OBJECT (edit), "person-id", id, g_free);
  gtk_widget_set_name (edit, name);
  set_label (edit, label);
  gtk_widget_add_css_class (edit, "flat");
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_person_clicked), rec);
  gtk_box_append (GTK_BOX (line), edit);
  gtk_box_append (GTK_BOX (line), delete_person_button (rec, m));
  gtk_box_append (GTK_BOX (box), line);
  /* Two buttons a line: the sidebar is narrow. */
  for (guint i = 0; memberships != NULL && i < memberships->len; i++)
    {
      const GeoMembershipInfo *mi = memberships->pdata[i];
      const GeoCategory       *cat = geo_pmks_get (mi->category);
      GeoState                 from;
      GtkWidget               *button = gtk_menu_button_new ();
      g_autofree char         *text = NULL;
      g_autofree char         *acc = NULL;
      g_autofree char         *bname = NULL;
      g_autoptr(GMenuModel) menu = NULL;

      if (cat == NULL || !geo_state_from_string (mi->status, &from))
        {
          g_object_unref (g_object_ref_sink (button));
          continue;
        }
      text = g_strdup_printf ("%s: %s", cat->short_name, mi->status);
      acc = g_strdup_printf (_ ("Status of %s in %s: %s. Change it"),
                             m->name ? m->name : "",
                             cat->name,
                             state_text (from));
      bname = g_strdup_printf ("records-status-%" G_GINT64_FORMAT "-%d", m->id, mi->category);
      menu = status_menu (m->id, mi->category, from);
      gtk_menu_button_set_label (GTK_MENU_BUTTON (button), text);
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
      gtk_widget_set_tooltip_text (button, acc);
      gtk_widget_set_name (button, bname);
      set_label (button, acc);
      gtk_widget_add_css_class (button, "flat");
      if (on_line == 2)
        {
          line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
          gtk_box_append (GTK_BOX (box), line);
          on_line = 0;
        }
      gtk_box_append (GTK_BOX (line), button);
      on_line++;
    }
  return box;
}

/* --- details: actions, nearest PSKS, visits ----------------------------------------- */

static void
on_details_button (GtkButton *button, AppRecords *rec)
{
  const char *what = g_object_get_data (G_OBJECT (button), "what");
  g_autoptr(GeoFamilyDetails) d = NULL;

  d = geo_family_details_load (rec_store (rec), app_window_get_selected_family (rec->win), NULL);
  if (d == NULL)
    return;
  if (g_str_equal (what, "family"))
    open_family_editor (rec, d);
  else if (g_str_equal (what, "person"))
    open_person_editor (rec, d->id, NULL);
  else if (g_str_equal (what, "delete"))
    app_delete_confirm_family (rec->win, d->id);
  else
    open_visit_dialog (rec, d);
}

static GtkWidget *
details_button (AppRecords *rec, const char *label, const char *what, const char *name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (button), "what", (gpointer) what);
  gtk_widget_set_name (button, name);
  g_signal_connect (button, "clicked", G_CALLBACK (on_details_button), rec);
  return button;
}

static char *
distance_text (double m)
{
  if (m < 1000)
    return g_strdup_printf (_ ("%.0f m"), m);
  return g_strdup_printf (_ ("%.1f km"), m / 1000);
}

static void
load_resources (AppRecords *rec)
{
  g_autoptr(GError) error = NULL;
  GeoStore *store = rec_store (rec);

  g_clear_pointer (&rec->index, geo_index_free);
  g_clear_pointer (&rec->resources, geo_resources_free);
  g_clear_pointer (&rec->resources_error, g_free);
  if (store == NULL)
    return;
  /* Every PSKS resource in arrays: a few thousand rows, read once per project. */
  rec->resources = geo_resources_load (store, 0, &error);
  if (rec->resources != NULL && rec->resources->n > 0)
    rec->index = geo_resources_build_index (rec->resources, &error);
  if (error != NULL)
    rec->resources_error = g_strdup (error->message);
}

static void
fill_nearest (AppRecords *rec, GtkBox *box, const GeoFamilyDetails *d)
{
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  guint32    mask = 0;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_name (list, "records-nearest");
  set_label (list, _ ("Nearest support (PSKS)"));
  gtk_box_append (box, text_label (_ ("Nearest support (PSKS)"), "heading"));
  for (guint i = 0; i < d->n_members; i++)
    mask |= d->members[i].categories;
  if (rec->index != NULL)
    hits =
        geo_nearest_point (rec->resources, rec->index, d->lon, d->lat, 3, INFINITY, mask, &error);
  if (hits == NULL || hits->len == 0)
    gtk_box_append (GTK_BOX (list),
                    text_label (rec->resources_error ? rec->resources_error
                                : error != NULL      ? error->message
                                : rec->index == NULL
                                    ? _ ("The project has no PSKS resources.")
                                    : _ ("No PSKS resource serves these categories."),
                                "dim-label"));
  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      const GeoIndexHit *h = &g_array_index (hits, GeoIndexHit, i);
      const GeoCategory *type = geo_psks_get (rec->resources->type[h->item]);
      g_autofree char   *dist = distance_text (h->distance_m);
      g_autofree char   *line = g_strdup_printf ("%s · %s · %s",
                                               dist,
                                               rec->resources->name[h->item],
                                               type != NULL ? type->short_name : "?");
      GtkWidget         *label = text_label (line, NULL);

      gtk_widget_set_tooltip_text (label, type != NULL ? type->name : NULL);
      gtk_box_append (GTK_BOX (list), label);
    }
  gtk_box_append (box, list);
}

static void
fill_visits (AppRecords *rec, GtkBox *box, const GeoFamilyDetails *d)
{
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) visits = geo_family_visits (rec_store (rec), d->id, &error);

  gtk_widget_set_name (list, "records-visits");
  set_label (list, _ ("Visits"));
  gtk_box_append (box, text_label (_ ("Visits"), "heading"));
  if (visits == NULL)
    gtk_box_append (GTK_BOX (list), text_label (error->message, "error"));
  else if (visits->len == 0)
    gtk_box_append (GTK_BOX (list), text_label (_ ("No visit logged yet."), "dim-label"));
  for (guint i = 0; visits != NULL && i < visits->len; i++)
    {
      const GeoVisitEntry *v = visits->pdata[i];
      g_autofree char     *line = g_strdup_printf ("%s · %s · %s",
                                               v->date,
                                               v->team != NULL ? v->team : _ ("no team"),
                                               outcome_text (v->outcome));

      gtk_box_append (GTK_BOX (list), text_label (line, NULL));
      if (v->notes != NULL)
        gtk_box_append (GTK_BOX (list), text_label (v->notes, "caption"));
    }
  gtk_box_append (box, list);
}

/**
 * app_records_fill_details:
 *
 * Appends to the family details: the Edit / Add Person / Log Visit buttons, the 3 nearest
 * PSKS resources serving the family's categories (geodesic metres) and the visit history.
 */
void
app_records_fill_details (AppWindow *win, GtkBox *box, const GeoFamilyDetails *d)
{
  AppRecords *rec = get_rec (win);
  GtkWidget  *buttons = gtk_flow_box_new ();
  GtkWidget  *visit, *delete;

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (buttons), FALSE);
  gtk_flow_box_append (GTK_FLOW_BOX (buttons),
                       details_button (rec, _ ("_Edit Family"), "family", "records-edit-family"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons),
                       details_button (rec, _ ("_Add Person"), "person", "records-add-person"));
  visit = details_button (rec, _ ("_Log Visit"), "visit", "records-log-visit");
  gtk_widget_add_css_class (visit, "suggested-action");
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), visit);
  delete = details_button (rec, _ ("_Delete Family…"), "delete", "records-delete-family");
  gtk_widget_add_css_class (delete, "error");
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), delete);
  gtk_box_append (box, buttons);
  fill_nearest (rec, box, d);
  fill_visits (rec, box, d);
}

/* --- operator chooser ---------------------------------------------------------------- */

/* Makes the chosen profile act on the window's store; @remember: the user chose it (kept in
 * GSettings), not the fallback of a project without the remembered profile. */
static void
use_operator (AppRecords *rec, gboolean remember)
{
  GeoStore        *store = rec_store (rec);
  guint            pos = adw_combo_row_get_selected (ADW_COMBO_ROW (rec->operator_row));
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  GtkStringObject *item;

  if (store == NULL)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (rec->operator_names), pos);
  if (item == NULL)
    return;
  name = g_strdup (gtk_string_object_get_string (item));
  g_object_unref (item);
  if (!geo_operator_use (store, name, &error))
    {
      app_window_toast (rec->win, error->message);
      return;
    }
  if (remember)
    g_settings_set_string (rec->settings, "operator", name);
  if (app_window_get_selected_family (rec->win) >= 0)
    app_window_select_family (rec->win, app_window_get_selected_family (rec->win), FALSE);
}

static void
on_operator_selected (AppRecords *rec)
{
  if (!rec->filling_operators)
    use_operator (rec, TRUE);
}

static char *
operator_row_text (GtkStringObject *item, AppRecords *rec)
{
  GeoStore *store = rec_store (rec);
  g_autoptr(GeoOperator) op = NULL;

  if (store == NULL || item == NULL)
    return g_strdup ("");
  op = geo_operator_lookup (store, gtk_string_object_get_string (item), NULL);
  if (op == NULL)
    return g_strdup (gtk_string_object_get_string (item));
  if (op->scope != NULL)
    return g_strdup_printf ("%s (%s %s)", op->name, geo_role_label (op->role), op->scope);
  return g_strdup_printf ("%s (%s)", op->name, geo_role_label (op->role));
}

static void
fill_operators (AppRecords *rec)
{
  GeoStore        *store = rec_store (rec);
  g_autofree char *saved = g_settings_get_string (rec->settings, "operator");
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  rec->filling_operators = TRUE;
  gtk_string_list_splice (rec->operator_names,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (rec->operator_names)),
                          NULL);
  ops = store != NULL ? geo_operator_list (store, &error) : NULL;
  for (guint i = 0; ops != NULL && i < ops->len; i++)
    {
      const GeoOperator *op = ops->pdata[i];

      gtk_string_list_append (rec->operator_names, op->name);
      if (g_strcmp0 (op->name, saved) == 0)
        selected = i;
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (rec->operator_row), selected);
  rec->filling_operators = FALSE;
  if (ops != NULL && ops->len > 0)
    use_operator (rec, FALSE);
  else if (error != NULL)
    app_window_toast (rec->win, error->message);
}

static void
on_add_family (AppRecords *rec)
{
  if (rec_store (rec) != NULL)
    open_family_editor (rec, NULL);
}

/* --- persons table filters ----------------------------------------------------------- */

static void
apply_filter (AppRecords *rec)
{
  GListModel     *model = app_window_get_person_model (rec->win);
  GeoPersonFilter f = GEO_PERSON_FILTER_INIT;
  guint           cat = gtk_drop_down_get_selected (GTK_DROP_DOWN (rec->filter_category));
  guint           status = gtk_drop_down_get_selected (GTK_DROP_DOWN (rec->filter_status));
  guint           area = gtk_drop_down_get_selected (GTK_DROP_DOWN (rec->filter_area));
  guint           loc = gtk_drop_down_get_selected (GTK_DROP_DOWN (rec->filter_location));

  if (model == NULL)
    return;
  f.categories = cat >= 1 && cat <= GEO_PMKS_N_CATEGORIES ? 1u << (cat - 1) : 0;
  f.status = status >= 1 && status <= GEO_N_STATES ? geo_state_to_string (status - 1) : NULL;
  if (area >= 1 && area < g_list_model_get_n_items (G_LIST_MODEL (rec->area_codes)))
    f.area = gtk_string_list_get_string (rec->area_codes, area);
  f.loc_source = loc >= 1 && loc <= 3 ? (int) loc - 1 : -1;
  f.sort = gtk_drop_down_get_selected (GTK_DROP_DOWN (rec->filter_sort));
  f.descending = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (rec->filter_desc));
  app_person_model_set_filter (APP_PERSON_MODEL (model), &f);
}

static GtkWidget *
filter_drop_down (AppRecords *rec, GtkStringList *items, const char *label, const char *name)
{
  GtkWidget *dd = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (items)), NULL);

  gtk_widget_set_name (dd, name);
  gtk_widget_set_tooltip_text (dd, label);
  set_label (dd, label);
  g_signal_connect_swapped (dd, "notify::selected", G_CALLBACK (apply_filter), rec);
  return dd;
}

/* The kecamatans and desas of the project for the area filter, kecamatan first: one splice
 * each (not an items-changed per area). */
static void
fill_areas (AppRecords *rec, GtkStringList *labels)
{
  GeoStore *store = rec_store (rec);
  g_autoptr(GPtrArray) list = store != NULL ? geo_area_list (store, NULL) : NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (codes, (gpointer) "");
  g_ptr_array_add (texts, g_strdup (_ ("Every area")));
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const GeoAreaEntry *a = list->pdata[i];

      g_ptr_array_add (codes, a->code);
      g_ptr_array_add (texts,
                       a->level == GEO_AREA_KECAMATAN ? g_strdup_printf (_ ("Kec. %s"), a->name)
                                                      : g_strdup_printf ("    %s", a->name));
    }
  g_ptr_array_add (codes, NULL);
  g_ptr_array_add (texts, NULL);
  gtk_string_list_splice (rec->area_codes,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (rec->area_codes)),
                          (const char *const *) codes->pdata);
  gtk_string_list_splice (labels,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (labels)),
                          (const char *const *) texts->pdata);
}

static void
build_filter_bar (AppRecords *rec)
{
  GtkWidget *view = GTK_WIDGET (app_window_get_person_view (rec->win));
  GtkWidget *scrolled = gtk_widget_get_parent (view);
  GtkWidget *box = gtk_widget_get_parent (scrolled);
  GtkWidget *bar = gtk_flow_box_new ();
  g_autoptr(GtkStringList) cats = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) areas = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) locs = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) sorts = gtk_string_list_new (NULL);

  if (!GTK_IS_BOX (box))
    return;
  gtk_string_list_append (cats, _ ("Every category"));
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
    gtk_string_list_append (cats, geo_pmks_get (c)->short_name);
  gtk_string_list_append (states, _ ("Every status"));
  for (GeoState s = 0; s < GEO_N_STATES; s++)
    gtk_string_list_append (states, state_text (s));
  gtk_string_list_append (locs, _ ("Every location"));
  gtk_string_list_append (locs, _ ("GPS point"));
  gtk_string_list_append (locs, _ ("Address / by hand"));
  gtk_string_list_append (locs, _ ("Approximate (desa centre)"));
  gtk_string_list_append (sorts, _ ("Sort: record order"));
  gtk_string_list_append (sorts, _ ("Sort: name"));
  gtk_string_list_append (sorts, _ ("Sort: NIK"));
  gtk_string_list_append (sorts, _ ("Sort: desa"));
  gtk_string_list_append (sorts, _ ("Sort: status"));
  rec->area_codes = gtk_string_list_new (NULL);
  rec->filter_category =
      filter_drop_down (rec, cats, _ ("Filter by PMKS category"), "filter-category");
  rec->filter_status = filter_drop_down (rec, states, _ ("Filter by status"), "filter-status");
  rec->filter_area =
      filter_drop_down (rec, areas, _ ("Filter by kecamatan or desa"), "filter-area");
  rec->filter_location =
      filter_drop_down (rec, locs, _ ("Filter by location quality"), "filter-location");
  rec->filter_sort = filter_drop_down (rec, sorts, _ ("Sort the table"), "filter-sort");
  rec->filter_desc = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (rec->filter_desc), "view-sort-descending-symbolic");
  gtk_widget_set_tooltip_text (rec->filter_desc, _ ("Descending order"));
  set_label (rec->filter_desc, _ ("Descending order"));
  gtk_widget_set_name (rec->filter_desc, "filter-descending");
  g_signal_connect_swapped (rec->filter_desc, "toggled", G_CALLBACK (apply_filter), rec);
  gtk_flow_box_append (GTK_FLOW_BOX (bar), rec->filter_category);
  gtk_flow_box_append (GTK_FLOW_BOX (bar), rec->filter_status);
  gtk_flow_box_append (GTK_FLOW_BOX (bar), rec->filter_area);
  gtk_flow_box_append (GTK_FLOW_BOX (bar), rec->filter_location);
  gtk_flow_box_append (GTK_FLOW_BOX (bar), rec->filter_sort);
  gtk_flow_box_append (GTK_FLOW_BOX (bar), rec->filter_desc);
  /* A flow box: on a narrow window the filters wrap instead of widening the window. */
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (bar), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (bar), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (bar), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (bar), 6);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_insert_child_after (GTK_BOX (box), bar, gtk_widget_get_prev_sibling (scrolled));
}

/* --- wiring -------------------------------------------------------------------------- */

static void
on_project_changed (AppRecords *rec)
{
  GListModel *areas = gtk_drop_down_get_model (GTK_DROP_DOWN (rec->filter_area));

  if (rec->dialog != NULL)
    gtk_window_destroy (rec->dialog);
  gtk_widget_set_visible (GTK_WIDGET (rec->marker), FALSE);
  load_resources (rec);
  fill_operators (rec);
  g_signal_handlers_block_by_func (rec->filter_area, apply_filter, rec);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (rec->filter_area), 0);
  fill_areas (rec, GTK_STRING_LIST (areas));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (rec->filter_area), 0);
  g_signal_handlers_unblock_by_func (rec->filter_area, apply_filter, rec);
  apply_filter (rec);
}

static void
records_free (AppRecords *rec)
{
  if (rec->dialog != NULL)
    gtk_window_destroy (rec->dialog);
  g_clear_pointer (&rec->index, geo_index_free);
  g_clear_pointer (&rec->resources, geo_resources_free);
  g_free (rec->resources_error);
  g_clear_object (&rec->settings);
  g_clear_object (&rec->operator_names);
  g_clear_object (&rec->area_codes);
  g_free (rec);
}

/* A red ring with a cross: where the picked point is (not a PMKS symbol). */
static void
draw_marker (GtkDrawingArea *area, cairo_t *cr, int w, int h, gpointer data)
{
  double cx = w / 2.0, cy = h / 2.0, r = MIN (w, h) / 2.0 - 3;

  cairo_set_line_width (cr, 5);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 3);
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, cx - r, cy);
  cairo_line_to (cr, cx + r, cy);
  cairo_move_to (cr, cx, cy - r);
  cairo_line_to (cr, cx, cy + r);
  cairo_stroke (cr);
}

/**
 * app_records_attach:
 *
 * Adds the record editing to @win: the "Records" panel (operator chooser, Add Family), the
 * marker of picked points, the table's filter bar and the "rec.status" action.
 */
void
app_records_attach (AppWindow *win)
{
  AppRecords    *rec = g_new0 (AppRecords, 1);
  GtkWidget     *group = adw_preferences_group_new ();
  GtkWidget     *add = gtk_button_new_with_mnemonic (_ ("Add _Family…"));
  GtkWidget     *add_row = adw_action_row_new ();
  GtkExpression *expr;
  GtkGesture    *click;
  GtkWidget     *dot = gtk_drawing_area_new ();
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) status = g_simple_action_new ("status", G_VARIANT_TYPE ("(xiss)"));

  rec->win = win;
  rec->settings = g_settings_new (APP_ID);
  g_object_set_data_full (G_OBJECT (win), "app-records", rec, (GDestroyNotify) records_free);

  /* Records panel */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Records"));
  rec->operator_names = gtk_string_list_new (NULL);
  rec->operator_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rec->operator_row), _ ("Acting operator"));
  expr = gtk_cclosure_expression_new (G_TYPE_STRING,
                                      NULL,
                                      0,
                                      NULL,
                                      G_CALLBACK (operator_row_text),
                                      rec,
                                      NULL);
  adw_combo_row_set_expression (ADW_COMBO_ROW (rec->operator_row), expr);
  gtk_expression_unref (expr);
  adw_combo_row_set_model (ADW_COMBO_ROW (rec->operator_row), G_LIST_MODEL (rec->operator_names));
  gtk_widget_set_name (rec->operator_row, "records-operator");
  set_label (rec->operator_row, _ ("Acting operator"));
  g_signal_connect_swapped (rec->operator_row,
                            "notify::selected",
                            G_CALLBACK (on_operator_selected),
                            rec);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), rec->operator_row);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add_row), _ ("New family card"));
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_set_name (add, "records-add-family");
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_family), rec);
  adw_action_row_add_suffix (ADW_ACTION_ROW (add_row), add);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), add_row);
  app_window_add_panel (win, group);

  /* The marker of a picked or edited point */
  rec->marker_layer = shumate_marker_layer_new (app_window_get_viewport (win));
  rec->marker = shumate_marker_new ();
  gtk_widget_set_name (GTK_WIDGET (rec->marker), "records-marker");
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (dot), 28);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (dot), 28);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (dot), draw_marker, NULL, NULL);
  shumate_marker_set_child (rec->marker, dot);
  gtk_widget_set_visible (GTK_WIDGET (rec->marker), FALSE);
  shumate_marker_layer_add_marker (rec->marker_layer, rec->marker);
  set_label (GTK_WIDGET (rec->marker_layer), _ ("Picked point"));
  app_window_add_map_layer (win, SHUMATE_LAYER (rec->marker_layer), FALSE);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_map_pressed), rec);
  gtk_widget_add_controller (GTK_WIDGET (app_window_get_map (win)), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (status, "activate", G_CALLBACK (on_status_action), rec);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (status));
  gtk_widget_insert_action_group (GTK_WIDGET (win), "rec", G_ACTION_GROUP (actions));

  build_filter_bar (rec);
  g_signal_connect_swapped (win, "project-changed", G_CALLBACK (on_project_changed), rec);
}
