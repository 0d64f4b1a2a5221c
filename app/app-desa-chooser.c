#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "app-desa-chooser.h"
#include "geo-person-query.h"

/* The desa list is one GtkStringObject per desa (its string: "name — Kec. kecamatan · code",
 * what the search matches) carrying a DesaItem; a GtkStringFilter (substring, any case)
 * narrows it as the user types. A province of ~6,000 desa stays one list view, not one
 * widget per desa. */

typedef struct
{
  char *code;
  char *name;
  char *kecamatan;
} DesaItem;

typedef struct
{
  GtkWidget       *row;
  GtkWidget       *button;
  GtkWidget       *search;
  GtkWidget       *list;
  GListStore      *store; /* GtkStringObject with a "desa" DesaItem */
  GtkStringFilter *filter;
  GHashTable      *by_code; /* code -> GtkStringObject (in store) */
  char            *code;
} Chooser;

static void
desa_item_free (DesaItem *d)
{
  g_free (d->code);
  g_free (d->name);
  g_free (d->kecamatan);
  g_free (d);
}

static void
chooser_free (Chooser *c)
{
  g_clear_object (&c->store);
  g_clear_object (&c->filter);
  g_clear_pointer (&c->by_code, g_hash_table_unref);
  g_free (c->code);
  g_free (c);
}

static Chooser *
chooser_get (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "desa-chooser");
}

static DesaItem *
item_of (gpointer object)
{
  return g_object_get_data (G_OBJECT (object), "desa");
}

static void
show_code (Chooser *c)
{
  GObject         *obj = c->code != NULL ? g_hash_table_lookup (c->by_code, c->code) : NULL;
  g_autofree char *text = NULL;

  if (obj != NULL)
    {
      DesaItem *d = item_of (obj);

      text = d->kecamatan != NULL
                 ? g_strdup_printf (_ ("%s, Kec. %s (%s)"), d->name, d->kecamatan, d->code)
                 : g_strdup_printf ("%s (%s)", d->name, d->code);
    }
  else if (c->code != NULL && *c->code != '\0')
    text = g_strdup_printf (_ ("%s (not a desa of this project)"), c->code);
  else
    text = g_strdup (_ ("No desa chosen"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (c->row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text,
                                  -1);
}

static void
on_search_changed (GtkSearchEntry *entry, Chooser *c)
{
  gtk_string_filter_set_search (c->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_activate (GtkListView *view, guint position, Chooser *c)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autoptr(GObject) obj = g_list_model_get_item (model, position);

  if (obj == NULL)
    return;
  app_desa_chooser_set_code (c->row, item_of (obj)->code);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (c->button));
}

/* Enter in the search entry takes the first match. */
static void
on_search_activate (GtkSearchEntry *entry, Chooser *c)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (c->list)))) >
      0)
    on_activate (GTK_LIST_VIEW (c->list), 0, c);
}

/* Down from the search entry goes into the list (keyboard use without the mouse). */
static gboolean
on_search_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               Chooser               *c)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  return gtk_widget_child_focus (c->list, GTK_DIR_TAB_FORWARD);
}

/* Each opening starts from the whole list, the search entry focused. */
static void
on_popover_show (GtkWidget *popover, Chooser *c)
{
  gtk_editable_set_text (GTK_EDITABLE (c->search), "");
  gtk_string_filter_set_search (c->filter, NULL);
  gtk_widget_grab_focus (c->search);
}

static void
setup_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *where = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "caption");
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), where);
  gtk_list_item_set_child (item, box);
}

static void
bind_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget       *box = gtk_list_item_get_child (item);
  GtkWidget       *name = gtk_widget_get_first_child (box);
  GtkWidget       *where = gtk_widget_get_next_sibling (name);
  DesaItem        *d = item_of (gtk_list_item_get_item (item));
  g_autofree char *text = d->kecamatan != NULL
                              ? g_strdup_printf (_ ("Kec. %s · %s"), d->kecamatan, d->code)
                              : g_strdup (d->code);

  gtk_label_set_text (GTK_LABEL (name), d->name);
  gtk_label_set_text (GTK_LABEL (where), text);
}

/**
 * app_desa_chooser_new:
 * @code: (nullable): the record's desa code now
 *
 * Reads the kecamatans and desas of @store once (one query, ordered by code).
 */
GtkWidget *
app_desa_chooser_new (GeoStore *store, const char *title, const char *code)
{
  g_autoptr(GPtrArray) areas = store != NULL ? geo_area_list (store, NULL) : NULL;
  g_autoptr(GHashTable) kec = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  Chooser            *c;
  GtkWidget          *popover, *box, *scrolled;
  GtkListItemFactory *factory;
  GtkExpression      *expr;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;

  if (areas == NULL)
    return NULL;
  for (guint i = 0; i < areas->len; i++)
    {
      const GeoAreaEntry *a = areas->pdata[i];

      if (a->level == GEO_AREA_KECAMATAN)
        g_hash_table_insert (kec, a->code, a->name);
    }
  c = g_new0 (Chooser, 1);
  c->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  for (guint i = 0; i < areas->len; i++)
    {
      const GeoAreaEntry *a = areas->pdata[i];
      DesaItem           *d;
      const char         *dot;
      g_autofree char    *parent = NULL;
      g_autofree char    *text = NULL;
      GtkStringObject    *obj;

      if (a->level != GEO_AREA_DESA)
        continue;
      /* PP.KK.CC.DDDD: the kecamatan is the code up to the last dot. */
      dot = strrchr (a->code, '.');
      parent = dot != NULL ? g_strndup (a->code, dot - a->code) : NULL;
      d = g_new0 (DesaItem, 1);
      d->code = g_strdup (a->code);
      d->name = g_strdup (a->name);
      d->kecamatan = parent != NULL ? g_strdup (g_hash_table_lookup (kec, parent)) : NULL;
      text = d->kecamatan != NULL
                 ? g_strdup_printf ("%s — Kec. %s · %s", d->name, d->kecamatan, d->code)
                 : g_strdup_printf ("%s · %s", d->name, d->code);
      obj = gtk_string_object_new (text);
      g_object_set_data_full (G_OBJECT (obj), "desa", d, (GDestroyNotify) desa_item_free);
      g_hash_table_insert (c->by_code, d->code, obj);
      g_ptr_array_add (objects, obj);
    }
  if (objects->len == 0)
    {
      chooser_free (c);
      return NULL;
    }
  c->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_list_store_splice (c->store, 0, 0, objects->pdata, objects->len);

  c->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (c->row), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title,
                                  -1);

  expr = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  c->filter = gtk_string_filter_new (expr);
  gtk_string_filter_set_match_mode (c->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (c->filter, TRUE);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (c->store)),
                                        GTK_FILTER (g_object_ref (c->filter)));
  selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), NULL);
  c->list = gtk_list_view_new (GTK_SELECTION_MODEL (selection), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (c->list), TRUE);
  gtk_widget_set_name (c->list, "edit-desa-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Desa of the project"),
                                  -1);
  g_signal_connect (c->list, "activate", G_CALLBACK (on_activate), c);

  c->search = gtk_search_entry_new ();
  gtk_widget_set_name (c->search, "edit-desa-search");
  g_object_set (c->search, "placeholder-text", _ ("Desa, kecamatan or code"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->search),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Search desa by name, kecamatan or code"),
                                  -1);
  g_signal_connect (c->search, "search-changed", G_CALLBACK (on_search_changed), c);
  g_signal_connect (c->search, "activate", G_CALLBACK (on_search_activate), c);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 340);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), c->list);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), c->search);
  gtk_box_append (GTK_BOX (box), scrolled);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_default_widget (GTK_POPOVER (popover), c->search);

  c->button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (c->button), _ ("Choose…"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (c->button), popover);
  gtk_widget_set_valign (c->button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (c->button, "edit-desa-choose");
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Choose the desa"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (c->row), c->button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (c->row), c->button);
  g_signal_connect (popover, "show", G_CALLBACK (on_popover_show), c);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key), c);
    gtk_widget_add_controller (c->search, keys);
  }

  g_object_set_data_full (G_OBJECT (c->row), "desa-chooser", c, (GDestroyNotify) chooser_free);
  /* A desa code (PP.KK.CC.DDDD) not in the list (another kabupaten's, a typo from an import)
   * is kept and shown as such, and the check refuses it on save; a shorter code (the
   * operator's scope offered for a new family) is no choice yet. */
  c->code = g_strdup (code != NULL && strlen (code) > 8 ? code : "");
  show_code (c);
  return c->row;
}

const char *
app_desa_chooser_get_code (GtkWidget *chooser)
{
  Chooser *c = chooser_get (chooser);

  g_return_val_if_fail (c != NULL, NULL);
  return c->code;
}

void
app_desa_chooser_set_code (GtkWidget *chooser, const char *code)
{
  Chooser *c = chooser_get (chooser);

  g_return_if_fail (c != NULL);
  g_free (c->code);
  c->code = g_strdup (code != NULL ? code : "");
  show_code (c);
}

guint
app_desa_chooser_get_n_desa (GtkWidget *chooser)
{
  Chooser *c = chooser_get (chooser);

  g_return_val_if_fail (c != NULL, 0);
  return g_list_model_get_n_items (G_LIST_MODEL (c->store));
}
