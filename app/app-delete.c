#include "config.h"

#include <glib/gi18n.h>

#include "app-delete.h"
#include "app-person-model.h"
#include "geo-edit.h"
#include "geo-mask.h"
#include "geo-operator.h"
#include "geo-records.h"
#include "map-point-index.h"

/* One per window (object data "app-delete"). */
typedef struct
{
  AppWindow        *win;    /* the window owns us */
  AdwMessageDialog *dialog; /* the confirmation open now (weak) */
  /* Families deleted or changed since the project was loaded: the map's index is rebuilt
   * from the one drawn with every change applied, so rebuilds may overlap. */
  GHashTable *changes; /* gint64 * family id -> Change */
  guint       generation;
  gboolean    busy;
} AppDelete;

typedef struct
{
  gint64   id;
  gboolean removed;
  guint32  categories;
  guint32  n_persons;
} Change;

typedef struct
{
  AppDelete *del;
  gint64     person_id; /* 0: a family */
  gint64     family_id;
  gboolean   force;
  GtkWidget *entry;
} Confirm;

static void
app_delete_free (AppDelete *del)
{
  if (del->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (del->dialog), (gpointer *) &del->dialog);
  g_hash_table_unref (del->changes);
  g_free (del);
}

static void
on_project_changed (AppDelete *del)
{
  g_hash_table_remove_all (del->changes);
  del->generation++;
  del->busy = FALSE;
}

static AppDelete *
get_del (AppWindow *win)
{
  AppDelete *del = g_object_get_data (G_OBJECT (win), "app-delete");

  if (del != NULL)
    return del;
  del = g_new0 (AppDelete, 1);
  del->win = win;
  del->changes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  g_object_set_data_full (G_OBJECT (win), "app-delete", del, (GDestroyNotify) app_delete_free);
  g_signal_connect_swapped (win, "project-changed", G_CALLBACK (on_project_changed), del);
  return del;
}

static GeoStore *
store_of (AppWindow *win)
{
  AppProject *project = app_window_get_project (win);

  return project != NULL ? app_project_get_store (project) : NULL;
}

/* --- the map: the index again without the deleted family ------------------------------ */

typedef struct
{
  MapFamilyPoint *points;
  guint           n;
  guint           generation;
} Rebuild;

static void
rebuild_free (Rebuild *r)
{
  g_free (r->points);
  g_free (r);
}

static void
rebuild_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Rebuild *r = data;

  g_task_return_pointer (task,
                         map_point_index_new (r->points, r->n),
                         (GDestroyNotify) map_point_index_free);
}

static void
rebuild_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AppWindow     *win = APP_WINDOW (source);
  AppDelete     *del = g_object_get_data (G_OBJECT (win), "app-delete");
  Rebuild       *r = g_task_get_task_data (G_TASK (result));
  MapPointIndex *index = g_task_propagate_pointer (G_TASK (result), NULL);

  /* A newer rebuild or another project: this one is stale. */
  if (del == NULL || r->generation != del->generation)
    {
      g_clear_pointer (&index, map_point_index_free);
      return;
    }
  map_family_layer_set_index (app_window_get_family_layer (win), index);
  del->busy = FALSE;
}

static void
rebuild_map (AppDelete *del)
{
  MapPointIndex *index = map_family_layer_get_index (app_window_get_family_layer (del->win));
  guint          n = index != NULL ? map_point_index_get_n_points (index) : 0;
  const double  *x, *y;
  const gint64  *ids;
  const guint32 *cats, *persons;
  Rebuild       *r;
  g_autoptr(GTask) task = NULL;

  if (index == NULL)
    return;
  x = map_point_index_get_x (index);
  y = map_point_index_get_y (index);
  ids = map_point_index_get_ids (index);
  cats = map_point_index_get_categories (index);
  persons = map_point_index_get_persons (index);
  r = g_new0 (Rebuild, 1);
  r->points = g_new (MapFamilyPoint, MAX (n, 1));
  r->generation = ++del->generation;
  /* A copy of the drawn points (index order, one pass) with the changes applied; projecting
   * and sorting again runs in a worker. */
  for (guint i = 0; i < n; i++)
    {
      const Change   *c = g_hash_table_lookup (del->changes, &ids[i]);
      MapFamilyPoint *p = &r->points[r->n];

      if (c != NULL && c->removed)
        continue;
      p->id = ids[i];
      map_mercator_to_lonlat (x[i], y[i], &p->lon, &p->lat);
      p->categories = c != NULL ? c->categories : (cats[i] == MAP_NO_CATEGORY ? 0 : cats[i]);
      p->n_persons = c != NULL ? c->n_persons : persons[i];
      r->n++;
    }
  del->busy = TRUE;
  task = g_task_new (del->win, NULL, rebuild_done, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) rebuild_free);
  g_task_run_in_thread (task, rebuild_thread);
}

static void
note_change (AppDelete *del, gint64 family_id, gboolean removed)
{
  Change *c = g_new0 (Change, 1);

  c->id = family_id;
  c->removed = removed;
  if (!removed)
    {
      g_autoptr(GeoFamilyDetails) d =
                     geo_family_details_load (store_of (del->win), family_id, NULL);

      if (d == NULL)
        c->removed = TRUE;
      else
        {
          c->n_persons = d->n_members;
          for (guint i = 0; i < d->n_members; i++)
            c->categories |= d->members[i].categories;
        }
    }
  g_hash_table_replace (del->changes, &c->id, c);
  rebuild_map (del);
}

/* --- the confirmation ------------------------------------------------------------------ */

static void
refused (AppWindow *win, const char *message)
{
  AdwMessageDialog *dialog =
      ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (win), _ ("Not Deleted"), message));

  adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
  gtk_widget_set_name (GTK_WIDGET (dialog), "delete-refused");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_response (AdwMessageDialog *dialog, const char *response, Confirm *c)
{
  AppDelete  *del = c->del;
  AppWindow  *win = del->win;
  GeoStore   *store = store_of (win);
  GListModel *model = app_window_get_person_model (win);
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (c->entry));
  g_autoptr(GError) error = NULL;
  GeoDeletion      done;
  g_autofree char *toast = NULL;
  gboolean         ok;

  if (g_strcmp0 (response, "delete") != 0 || store == NULL)
    return;
  ok = c->person_id > 0
           ? geo_edit_delete_person (store, c->person_id, reason, c->force, &done, &error)
           : geo_edit_delete_family (store, c->family_id, reason, c->force, &done, &error);
  if (!ok)
    {
      refused (win, error->message);
      return;
    }
  if (c->person_id > 0)
    toast = g_strdup (_ ("Person deleted"));
  else
    toast = g_strdup_printf (ngettext ("Family deleted with %u person",
                                       "Family deleted with %u persons",
                                       done.n_persons),
                             done.n_persons);
  app_window_toast (win, toast);
  if (model != NULL)
    app_person_model_refresh (APP_PERSON_MODEL (model));
  note_change (del, done.family_id, c->person_id == 0);
  app_window_select_family (win, c->person_id > 0 ? done.family_id : -1, FALSE);
  geo_deletion_clear (&done);
}

static void
on_reason_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  Confirm           *c = g_object_get_data (G_OBJECT (dialog), "confirm");
  g_autofree char   *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  GeoStore          *store = store_of (c->del->win);
  const GeoOperator *op = store != NULL ? geo_operator_current (store) : NULL;

  /* Forcing (visit or round history) only for a planner or an administrator. */
  adw_message_dialog_set_response_enabled (dialog,
                                           "delete",
                                           op != NULL && *text != '\0' &&
                                               (!c->force || op->role >= GEO_ROLE_PLANNER));
}

static void
append_line (GString *body, char *line)
{
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, line);
  g_free (line);
}

/* What goes, in the user's language: No. KK and NIK masked as in the details. */
static char *
body_text (const GeoDeletion *d, gboolean can_force)
{
  GString         *body = g_string_new (NULL);
  g_autofree char *kk = geo_mask_no_kk (d->no_kk);

  if (d->person_id > 0)
    {
      g_autofree char *nik = geo_mask_nik (d->nik);
      const char      *name = d->name != NULL ? d->name : _ ("(no name)");
      g_autofree char *who = nik != NULL ? g_strdup_printf (_ ("%s (NIK %s)"), name, nik)
                                         : g_strdup_printf (_ ("%s (no NIK yet)"), name);

      append_line (body,
                   kk != NULL ? g_strdup_printf (_ ("%s will be removed from family %s."), who, kk)
                              : g_strdup_printf (_ ("%s will be removed from a family without a "
                                                    "family card."),
                                                 who));
      if (d->n_memberships > 0)
        append_line (body,
                     g_strdup_printf (ngettext ("%u PMKS membership goes with the person.",
                                                "%u PMKS memberships go with the person.",
                                                d->n_memberships),
                                      d->n_memberships));
    }
  else
    {
      if (d->n_persons > 0 && kk != NULL)
        append_line (body,
                     g_strdup_printf (ngettext ("Family %s and its %u person will be removed.",
                                                "Family %s and its %u persons will be removed.",
                                                d->n_persons),
                                      kk,
                                      d->n_persons));
      else if (d->n_persons > 0)
        append_line (body,
                     g_strdup_printf (ngettext ("This family without a family card and its %u "
                                                "person will be removed.",
                                                "This family without a family card and its %u "
                                                "persons will be removed.",
                                                d->n_persons),
                                      d->n_persons));
      else
        append_line (body,
                     kk != NULL ? g_strdup_printf (_ ("Family %s will be removed; it has no "
                                                      "persons."),
                                                   kk)
                                : g_strdup (_ ("This family without a family card will be "
                                               "removed; it has no persons.")));
      if (d->n_memberships > 0)
        append_line (body,
                     g_strdup_printf (ngettext ("%u PMKS membership goes with them.",
                                                "%u PMKS memberships go with them.",
                                                d->n_memberships),
                                      d->n_memberships));
    }
  if (d->n_programme_targets > 0)
    append_line (body,
                 g_strdup_printf (ngettext ("%u programme target entry goes too.",
                                            "%u programme target entries go too.",
                                            d->n_programme_targets),
                                  d->n_programme_targets));
  if (geo_deletion_has_history (d))
    {
      append_line (body,
                   g_strdup_printf (_ ("History the office keeps: home visits %u, member "
                                       "presence codes in visits %u, stops of planned rounds %u."),
                                    d->n_visits,
                                    d->n_visit_members,
                                    d->n_round_stops));
      append_line (body,
                   g_strdup (can_force ? _ ("Deleting removes them too; the audit log keeps a "
                                            "copy of every row.")
                                       : _ ("Only a planner or an administrator may delete it.")));
      if (d->person_id > 0)
        append_line (body,
                     g_strdup (_ ("A person entered twice is better merged into the record "
                                  "kept (jangkau-cli merge): the visit codes move to it.")));
    }
  append_line (body, g_strdup (_ ("Say why: the reason is kept in the audit log.")));
  return g_string_free (body, FALSE);
}

static void
confirm (AppWindow *win, gint64 person_id, gint64 family_id)
{
  AppDelete *del = get_del (win);
  GeoStore  *store = store_of (win);
  g_autoptr(GError) error = NULL;
  GeoDeletion        d;
  const GeoOperator *op;
  gboolean           can_force, history;
  g_autofree char   *body = NULL;
  AdwMessageDialog  *dialog;
  Confirm           *c;
  GtkWidget         *entry;

  if (store == NULL)
    return;
  if (person_id > 0 ? !geo_edit_person_deletion (store, person_id, &d, &error)
                    : !geo_edit_family_deletion (store, family_id, &d, &error))
    {
      app_window_toast (win, error->message);
      return;
    }
  op = geo_operator_current (store);
  can_force = op->role >= GEO_ROLE_PLANNER;
  history = geo_deletion_has_history (&d);
  body = body_text (&d, can_force);
  if (del->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (del->dialog));
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_WINDOW (win),
                              person_id > 0 ? _ ("Delete Person?") : _ ("Delete Family?"),
                              body));
  gtk_widget_set_name (GTK_WIDGET (dialog), "delete-confirm");
  adw_message_dialog_add_response (dialog, "cancel", _ ("_Cancel"));
  adw_message_dialog_add_response (dialog,
                                   "delete",
                                   history ? _ ("Delete _Anyway") : _ ("_Delete"));
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "delete", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("Reason, e.g. entered twice"));
  gtk_widget_set_name (entry, "delete-reason");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Reason for deleting"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  c = g_new0 (Confirm, 1);
  c->del = del;
  c->person_id = person_id;
  c->family_id = d.family_id;
  c->force = history;
  c->entry = entry;
  g_object_set_data_full (G_OBJECT (dialog), "confirm", c, g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_reason_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), c);
  geo_deletion_clear (&d);

  del->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &del->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/**
 * app_delete_confirm_person:
 *
 * Asks to confirm deleting a person (what goes with it, the reason), then deletes it.
 */
void
app_delete_confirm_person (AppWindow *win, gint64 person_id)
{
  g_return_if_fail (APP_IS_WINDOW (win));
  confirm (win, person_id, 0);
}

/**
 * app_delete_confirm_family:
 *
 * Asks to confirm deleting a family and its persons (the reason), then deletes them.
 */
void
app_delete_confirm_family (AppWindow *win, gint64 family_id)
{
  g_return_if_fail (APP_IS_WINDOW (win));
  confirm (win, 0, family_id);
}

AdwMessageDialog *
app_delete_get_dialog (AppWindow *win)
{
  return get_del (win)->dialog;
}

gboolean
app_delete_get_busy (AppWindow *win)
{
  return get_del (win)->busy;
}
