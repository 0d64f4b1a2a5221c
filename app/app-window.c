#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "app-export-dialog.h"
#include "app-import-dialog.h"
#include "app-map-export.h"
#include "app-person-model.h"
#include "app-records.h"
#include "app-density-panel.h"
#include "app-hotspot-panel.h"
#include "app-psks.h"
#include "app-round-panel.h"
#include "app-rollout.h"
#include "app-nearest-panel.h"
#include "app-stats-panel.h"
#include "app-underserved-panel.h"
#include "app-roads.h"
#include "app-window.h"
#include "geo-categories.h"
#include "geo-records.h"
#include "map-mbtiles-source.h"

#define APP_RESOURCE_PATH "/id/go/dinsos/Jangkau"
#define MAX_RECENT        8

struct _AppWindow
{
  AdwApplicationWindow parent_instance;
  guint                fit_tick; /* the pending fit_when_allocated tick callback */

  /* template children */
  AdwToastOverlay     *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkToggleButton     *sidebar_button;
  GtkStack            *main_stack;
  GtkPaned            *paned;
  AdwPreferencesGroup *details_group;
  GtkBox              *details_box;
  GtkButton           *details_close_button;
  GtkListBox          *layer_list;
  GtkBox              *analysis_box;
  AdwViewStack        *view_stack;
  ShumateSimpleMap    *map;
  GtkBox              *legend;
  GtkSearchEntry      *search_entry;
  GtkLabel            *table_count_label;
  GtkColumnView       *person_view;

  /* owned */
  GSettings          *settings;
  GCancellable       *cancellable;
  AppProject         *project;
  AppPersonModel     *person_model;
  GtkSingleSelection *person_selection;
  ShumateMapSource   *basemap;
  ShumateMapLayer    *basemap_layer; /* borrowed from the map */
  GtkWidget          *legend_extra;  /* other layers' legend rows (PSKS), kept across rebuilds */

  /* borrowed: layers live in the map */
  MapAreaLayer   *area_layer;
  MapFamilyLayer *family_layer;

  gint64   selected_family;
  double   fitted_zoom; /* the zoom fit_extent set last */
  gboolean syncing_table;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (AppWindow, app_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  SIGNAL_PROJECT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (AppWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* --- map ----------------------------------------------------------------------- */

static char *
find_basemap (AppWindow *self)
{
  g_autofree char *configured = g_settings_get_string (self->settings, "basemap");
  const char      *env = g_getenv ("JANGKAU_BASEMAP");
  const char      *shared_env = g_getenv ("JANGKAU_SHARED_DATA");
  g_autofree char *shared_env_path =
    shared_env != NULL ? g_build_filename (shared_env, "tiles", "world_stamen_toner_z0-3.mbtiles", NULL)
                       : NULL;
  const char      *candidates[5] = { 0 };
  g_autofree char *installed = g_build_filename (DATADIR, "jangkau", "basemap.mbtiles", NULL);
  g_autofree char *shared =
    g_build_filename (SHARED_DATA_DIR, "tiles", "world_stamen_toner_z0-3.mbtiles", NULL);

  candidates[0] = env;
  candidates[1] = configured[0] ? configured : NULL;
  candidates[2] = installed;
  candidates[3] = shared_env_path;
  candidates[4] = shared;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (candidates[i]);
  return NULL;
}

/* The basemap: the offline MBTiles file (default), or OpenStreetMap's tile server when the user
 * turns on "online-basemap" (libshumate's downloader keeps a file cache of fetched tiles). Called
 * again when the setting changes: the new layer takes the old one's place under the data. */
static void
setup_basemap (AppWindow *self)
{
  ShumateMap      *map = shumate_simple_map_get_map (self->map);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  ShumateLicense  *license = shumate_simple_map_get_license (self->map);
  gboolean         visible = TRUE;
  ShumateMapLayer *layer;

  if (self->basemap_layer != NULL)
    {
      visible = gtk_widget_get_visible (GTK_WIDGET (self->basemap_layer));
      shumate_license_remove_map_source (license, self->basemap);
      shumate_map_remove_layer (map, SHUMATE_LAYER (self->basemap_layer));
      self->basemap_layer = NULL;
    }
  g_clear_object (&self->basemap);

  if (g_settings_get_boolean (self->settings, "online-basemap"))
    {
      g_autoptr(ShumateMapSourceRegistry) registry = shumate_map_source_registry_new_with_defaults ();

      self->basemap = g_object_ref (shumate_map_source_registry_get_by_id (registry,
                                                                         SHUMATE_MAP_SOURCE_OSM_MAPNIK));
    }
  else
    {
      g_autofree char *path = find_basemap (self);
      g_autoptr(MapMbtilesSource) source = NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL)
        source = map_mbtiles_source_new (path, &error);
      if (source == NULL)
        {
          /* No file: the boundaries still draw over a blank background. */
          source = map_mbtiles_source_new_blank ();
          if (error != NULL)
            toast (self, error->message);
        }
      self->basemap = map_mbtiles_source_create_renderer (source);
    }
  /* Our own base layer rather than shumate_simple_map_set_map_source (), so that the
   * layer list can hide it; the viewport still needs the reference source. */
  shumate_viewport_set_reference_map_source (viewport, self->basemap);
  shumate_viewport_set_min_zoom_level (viewport, shumate_map_source_get_min_zoom_level (self->basemap));
  shumate_viewport_set_max_zoom_level (viewport, shumate_map_source_get_max_zoom_level (self->basemap));
  layer = shumate_map_layer_new (self->basemap, viewport);
  gtk_widget_set_visible (GTK_WIDGET (layer), visible);
  if (self->area_layer != NULL)
    shumate_map_insert_layer_behind (map, SHUMATE_LAYER (layer), SHUMATE_LAYER (self->area_layer));
  else
    shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (layer));
  self->basemap_layer = layer;
  shumate_license_append_map_source (license, self->basemap);
}

static void rebuild_layer_list (AppWindow *self);

static void
on_online_basemap_changed (AppWindow *self)
{
  setup_basemap (self);
  if (self->project != NULL)
    rebuild_layer_list (self);
}

static void
fit_extent (AppWindow *self, double min_lon, double min_lat, double max_lon, double max_lat)
{
  ShumateMap      *map = shumate_simple_map_get_map (self->map);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  double           x0, y0, x1, y1, w, h, zoom, lon, lat;
  int              legend_w;

  map_lonlat_to_mercator (min_lon, max_lat, &x0, &y0);
  map_lonlat_to_mercator (max_lon, min_lat, &x1, &y1);
  w = gtk_widget_get_width (GTK_WIDGET (self->map));
  h = gtk_widget_get_height (GTK_WIDGET (self->map));
  if (w < 100 || h < 100)
    {
      w = 900;
      h = 600;
    }
  /* The legend floats over the map's right side: fit the data into the part it leaves free. */
  legend_w = gtk_widget_get_width (gtk_widget_get_parent (GTK_WIDGET (self->legend)));
  if (gtk_widget_get_mapped (GTK_WIDGET (self->legend)) && legend_w > 0 && legend_w < w / 2)
    legend_w += 24;
  else
    legend_w = 0;
  zoom = log2 (MIN (((w - legend_w) * 0.9) / (MAX (x1 - x0, 1e-9) * 256),
                    (h * 0.9) / (MAX (y1 - y0, 1e-9) * 256)));
  zoom = CLAMP (zoom, 2, 17);
  shumate_viewport_set_zoom_level (viewport, zoom);
  self->fitted_zoom = shumate_viewport_get_zoom_level (viewport);
  map_mercator_to_lonlat ((x0 + x1) / 2, (y0 + y1) / 2, &lon, &lat);
  shumate_map_center_on (map, lat, lon);
}

/* The map has no size until the project page has been allocated once: fit then. */
static gboolean
fit_when_allocated (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  AppWindow *self = APP_WINDOW (data);
  double     x0, y0, x1, y1;

  if (gtk_widget_get_width (widget) < 100 || gtk_widget_get_height (widget) < 100)
    return G_SOURCE_CONTINUE;
  /* Zoomed since the load (by the user, a selection or a test): leave the view alone. */
  if (shumate_viewport_get_zoom_level (shumate_simple_map_get_viewport (self->map)) != self->fitted_zoom)
    return G_SOURCE_REMOVE;
  if (self->project != NULL && app_project_get_extent (self->project, &x0, &y0, &x1, &y1))
    fit_extent (self, x0, y0, x1, y1);
  self->fit_tick = 0;
  return G_SOURCE_REMOVE;
}

gboolean
app_window_get_fit_pending (AppWindow *self)
{
  g_return_val_if_fail (APP_IS_WINDOW (self), FALSE);
  return self->fit_tick != 0;
}

static void
on_map_released (GtkGestureClick *gesture, int n_press, double x, double y, AppWindow *self)
{
  MapHit hit;

  if (n_press != 1 || self->family_layer == NULL)
    return;
  hit = map_family_layer_hit_test (self->family_layer, x, y);
  switch (hit.kind)
    {
    case MAP_HIT_FAMILY:
      app_window_select_family (self, hit.family_id, FALSE);
      break;
    case MAP_HIT_CLUSTER:
      {
        ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
        double           zoom = shumate_viewport_get_zoom_level (viewport);

        shumate_map_go_to_full (shumate_simple_map_get_map (self->map), hit.lat, hit.lon,
                                MIN (zoom + 2, 19));
      }
      break;
    case MAP_HIT_NONE:
    default:
      break;
    }
}

/* libshumate 1.0's zoom buttons are icon-only without a name: give them one. */
static void
label_zoom_buttons (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root))
    {
      GtkWidget  *child = gtk_button_get_child (GTK_BUTTON (root));
      const char *icon = gtk_button_get_icon_name (GTK_BUTTON (root));
      const char *label = NULL;

      if (icon == NULL && child != NULL && GTK_IS_IMAGE (child))
        icon = gtk_image_get_icon_name (GTK_IMAGE (child));
      if (g_strcmp0 (icon, "zoom-in-symbolic") == 0)
        label = _("Zoom In");
      else if (g_strcmp0 (icon, "zoom-out-symbolic") == 0)
        label = _("Zoom Out");
      if (label != NULL)
        {
          gtk_widget_set_tooltip_text (root, label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          label, -1);
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    label_zoom_buttons (c);
}

static void
setup_map (AppWindow *self)
{
  ShumateMap      *map = shumate_simple_map_get_map (self->map);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkGesture      *click;

  setup_basemap (self);
  self->area_layer = map_area_layer_new (viewport);
  self->family_layer = map_family_layer_new (viewport);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area_layer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Kecamatan and desa boundaries"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->family_layer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("PMKS families"),
                                  -1);
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->area_layer));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->family_layer));
  map_family_layer_set_visible_categories (self->family_layer,
                                           g_settings_get_uint (self->settings,
                                                                "visible-categories"));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (on_map_released), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (click));
  label_zoom_buttons (GTK_WIDGET (self->map));
  shumate_viewport_set_zoom_level (viewport, 5);
  shumate_map_center_on (map, -2.5, 118.0); /* Indonesia until a project opens */
}

/* --- layer list and legend ------------------------------------------------------ */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  map_draw_category_symbol (cr, GPOINTER_TO_INT (data), width / 2.0, height / 2.0,
                            MIN (width, height) / 2.0 - 2);
}

static GtkWidget *
swatch_new (int code, int size)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), size);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), size);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, GINT_TO_POINTER (code),
                                  NULL);
  gtk_accessible_update_state (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  return area;
}

static guint32
code_bit (int code)
{
  return code == 0 ? MAP_NO_CATEGORY : (1u << (code - 1));
}

static void rebuild_legend (AppWindow *self);

static void
on_category_switch (GtkSwitch *sw, GParamSpec *pspec, AppWindow *self)
{
  int     code = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sw), "code"));
  guint32 mask = map_family_layer_get_visible_categories (self->family_layer);

  if (gtk_switch_get_active (sw))
    mask |= code_bit (code);
  else
    mask &= ~code_bit (code);
  map_family_layer_set_visible_categories (self->family_layer, mask);
  g_settings_set_uint (self->settings, "visible-categories", mask);
  rebuild_legend (self);
}

static void
add_switch_row (AppWindow  *self,
                const char *title,
                const char *subtitle,
                GtkWidget  *prefix,
                GtkWidget  *sw,
                const char *name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (prefix != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_name (sw, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  gtk_list_box_append (self->layer_list, row);
}

static void
rebuild_layer_list (AppWindow *self)
{
  const guint *persons = app_project_get_person_counts (self->project);
  const guint *families = app_project_get_family_counts (self->project);
  guint32      visible = map_family_layer_get_visible_categories (self->family_layer);
  GtkWidget   *child;
  GtkWidget   *sw;
  g_autofree char *areas = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list))) != NULL)
    gtk_list_box_remove (self->layer_list, child);

  sw = gtk_switch_new ();
  g_object_bind_property (self->area_layer, "visible", sw, "active", G_BINDING_SYNC_CREATE |
                          G_BINDING_BIDIRECTIONAL);
  areas = g_strdup_printf (ngettext ("%u area", "%u areas", app_project_get_n_areas (self->project)),
                           app_project_get_n_areas (self->project));
  add_switch_row (self, _("Boundaries"), areas, NULL, sw, "boundary-switch");

  sw = gtk_switch_new ();
  g_object_bind_property (self->basemap_layer, "visible", sw, "active", G_BINDING_SYNC_CREATE |
                          G_BINDING_BIDIRECTIONAL);
  add_switch_row (self, _("Basemap"), shumate_map_source_get_name (self->basemap), NULL, sw,
                  "basemap-switch");

  for (int code = 1; code <= GEO_PMKS_N_CATEGORIES + 1; code++)
    {
      int                c = code == GEO_PMKS_N_CATEGORIES + 1 ? 0 : code;
      const GeoCategory *cat = geo_pmks_get (c);
      g_autofree char   *title = NULL;
      g_autofree char   *subtitle = NULL;
      g_autofree char   *name = g_strdup_printf ("category-switch-%d", c);

      if (families[c] == 0)
        continue;
      title = cat != NULL ? g_strdup_printf ("%s (%s)", cat->name, cat->short_name)
                          : g_strdup (_("No PMKS category"));
      subtitle = g_strdup_printf (_("%u persons in %u families"), persons[c], families[c]);
      sw = gtk_switch_new ();
      gtk_switch_set_active (GTK_SWITCH (sw), (visible & code_bit (c)) != 0);
      g_object_set_data (G_OBJECT (sw), "code", GINT_TO_POINTER (c));
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_category_switch), self, 0);
      add_switch_row (self, title, subtitle, swatch_new (c, 20), sw, name);
    }
}

static void
rebuild_legend (AppWindow *self)
{
  const guint *families = app_project_get_family_counts (self->project);
  guint32      visible = map_family_layer_get_visible_categories (self->family_layer);
  GtkWidget   *child, *label, *grid = NULL;
  guint        shown = 0, total = 0, per_column;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend))) != NULL)
    gtk_box_remove (self->legend, child);
  for (int code = 0; code <= GEO_PMKS_N_CATEGORIES; code++)
    if (families[code] > 0 && (visible & code_bit (code)) != 0)
      total++;
  /* Many categories (a whole kabupaten has most of the 26): two columns of shortened names, so
   * the legend does not cover half of a laptop's map; the full name is the tooltip. */
  per_column = total > 12 ? (total + 1) / 2 : total;
  if (total > 12)
    {
      grid = gtk_grid_new ();
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 1);
      gtk_box_append (self->legend, grid);
    }
  for (int c = 1; c <= GEO_PMKS_N_CATEGORIES + 1; c++)
    {
      int                code = c == GEO_PMKS_N_CATEGORIES + 1 ? 0 : c;
      const GeoCategory *cat = geo_pmks_get (code);
      const char        *name = cat != NULL ? cat->name : _("No PMKS category");
      GtkWidget         *row;

      if (families[code] == 0 || (visible & code_bit (code)) == 0)
        continue;
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (row), swatch_new (code, 16));
      label = gtk_label_new (name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (row), label);
      if (grid != NULL)
        {
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
          gtk_widget_set_tooltip_text (row, name);
          gtk_grid_attach (GTK_GRID (grid), row, shown / per_column, shown % per_column, 1, 1);
        }
      else
        gtk_box_append (self->legend, row);
      shown++;
    }
  if (shown == 0)
    {
      label = gtk_label_new (_("No category shown"));
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->legend, label);
    }
  if (gtk_widget_get_parent (self->legend_extra) == NULL)
    gtk_box_append (self->legend, self->legend_extra);
  label = gtk_label_new (_("Numbered circle: families in the area.\n"
                           "Split symbol: several categories."));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (self->legend, label);
}

/* --- details -------------------------------------------------------------------- */

static GtkWidget *
info_label (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

static char *
location_text (const GeoFamilyDetails *d)
{
  switch (d->loc_source)
    {
    case GEO_LOC_GPS:
      if (isfinite (d->gps_accuracy_m))
        return g_strdup_printf (_("GPS point (± %.0f m)"), d->gps_accuracy_m);
      return g_strdup (_("GPS point"));
    case GEO_LOC_ADDRESS:
      return g_strdup (_("From the address or placed by hand"));
    case GEO_LOC_DESA_CENTROID:
    default:
      return g_strdup (_("Approximate: centre of the desa"));
    }
}

static void
clear_details (AppWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_box))) != NULL)
    gtk_box_remove (self->details_box, child);
}

static void
show_details (AppWindow *self, const GeoFamilyDetails *d)
{
  g_autofree char *kk = geo_mask_nik (d->no_kk);
  g_autofree char *title = NULL;
  g_autofree char *place = NULL;
  g_autofree char *loc = location_text (d);
  g_autofree char *loc_line = NULL;
  GString         *addr = g_string_new (NULL);

  clear_details (self);
  title = kk != NULL ? g_strdup_printf (_("Family card %s"), kk)
                     : g_strdup (_("Person without a family card"));
  gtk_box_append (self->details_box, info_label (title, "heading"));
  if (d->address != NULL)
    g_string_append (addr, d->address);
  if (d->rt != NULL || d->rw != NULL)
    g_string_append_printf (addr, "%sRT %s / RW %s", addr->len ? ", " : "",
                            d->rt ? d->rt : "-", d->rw ? d->rw : "-");
  if (addr->len > 0)
    gtk_box_append (self->details_box, info_label (addr->str, NULL));
  g_string_free (addr, TRUE);
  place = g_strdup_printf (_("Desa %s, Kecamatan %s"),
                           d->desa_name ? d->desa_name : (d->desa_code ? d->desa_code : "?"),
                           d->kecamatan_name ? d->kecamatan_name : "?");
  gtk_box_append (self->details_box, info_label (place, NULL));
  loc_line = g_strdup_printf (_("Location: %s"), loc);
  gtk_box_append (self->details_box,
                  info_label (loc_line, d->loc_source == GEO_LOC_DESA_CENTROID ? "warning"
                                                                                : "dim-label"));
  if (d->priority == 1 || d->priority == 2)
    gtk_box_append (self->details_box,
                    info_label (d->priority == 1 ? _("Priority: urgent") : _("Priority: high"),
                                d->priority == 1 ? "error" : "warning"));

  for (guint i = 0; i < d->n_members; i++)
    {
      const GeoMember *m = &d->members[i];
      g_autofree char *nik = geo_mask_nik (m->nik);
      g_autofree char *line = NULL;
      GtkWidget       *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget       *chips = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "member-card");
      gtk_box_append (GTK_BOX (card), info_label (m->name ? m->name : _("(no name)"), "heading"));
      line = g_strdup_printf ("%s · %s%s%s",
                              nik != NULL ? nik : _("no NIK yet"),
                              m->relation ? m->relation : _("member"),
                              m->sex ? " · " : "",
                              m->sex == 'L' ? _("male") : m->sex == 'P' ? _("female") : "");
      gtk_box_append (GTK_BOX (card), info_label (line, "caption"));
      for (guint32 c = m->categories; c != 0; c &= c - 1)
        {
          int                code = __builtin_ctz (c) + 1;
          const GeoCategory *cat = geo_pmks_get (code);
          g_autofree char   *css = g_strdup_printf ("pmks-%d", code);
          GtkWidget         *chip = gtk_label_new (cat->short_name);

          gtk_widget_set_tooltip_text (chip, cat->name);
          gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          cat->name, -1);
          gtk_widget_add_css_class (chip, "category-chip");
          gtk_widget_add_css_class (chip, css);
          gtk_box_append (GTK_BOX (chips), chip);
        }
      if (m->status != NULL)
        {
          g_autofree char *status = g_strdup_printf (_("status: %s"), m->status);
          GtkWidget       *label = gtk_label_new (status);

          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_add_css_class (label, "caption");
          gtk_box_append (GTK_BOX (chips), label);
        }
      if (m->categories != 0)
        gtk_box_append (GTK_BOX (card), chips);
      else
        g_object_unref (g_object_ref_sink (chips));
      gtk_box_append (GTK_BOX (card), app_records_member_actions (self, d, m));
      gtk_box_append (self->details_box, card);
    }
  app_records_fill_details (self, self->details_box, d);
  gtk_widget_set_visible (GTK_WIDGET (self->details_group), TRUE);
}

static void
sync_table_to_family (AppWindow *self, const GeoFamilyDetails *d)
{
  guint position;

  if (self->person_model == NULL || d == NULL || d->n_members == 0)
    return;
  for (guint i = 0; i < d->n_members; i++)
    if (app_person_model_find (self->person_model, d->members[i].id, &position))
      {
        GtkWidget *child;

        self->syncing_table = TRUE;
        gtk_single_selection_set_selected (self->person_selection, position);
        self->syncing_table = FALSE;
        /* GTK 4.8 has no gtk_column_view_scroll_to (): ask the inner list view. */
        for (child = gtk_widget_get_first_child (GTK_WIDGET (self->person_view)); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          if (GTK_IS_LIST_VIEW (child))
            gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
        return;
      }
}

/**
 * app_window_select_family:
 * @family_id: a family id, or -1 to clear the selection
 * @center: also move the map to the family
 *
 * Shows the family in the sidebar, highlights it on the map and selects its first
 * member in the table.
 */
void
app_window_select_family (AppWindow *self, gint64 family_id, gboolean center)
{
  g_autoptr(GeoFamilyDetails) details = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (APP_IS_WINDOW (self));
  if (self->project == NULL)
    return;
  self->selected_family = family_id;
  map_family_layer_set_selected (self->family_layer, family_id);
  if (family_id < 0)
    {
      clear_details (self);
      gtk_widget_set_visible (GTK_WIDGET (self->details_group), FALSE);
      return;
    }
  /* One family and its members by primary key: a few small indexed reads. */
  details = geo_family_details_load (app_project_get_store (self->project), family_id, &error);
  if (details == NULL)
    {
      toast (self, error->message);
      return;
    }
  show_details (self, details);
  gtk_toggle_button_set_active (self->sidebar_button, TRUE);
  sync_table_to_family (self, details);
  if (center)
    {
      ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);

      if (shumate_viewport_get_zoom_level (viewport) < 16)
        shumate_viewport_set_zoom_level (viewport, 16);
      shumate_map_center_on (shumate_simple_map_get_map (self->map), details->lat, details->lon);
    }
}

static void
on_details_close (AppWindow *self)
{
  app_window_select_family (self, -1, FALSE);
}

/* --- table ---------------------------------------------------------------------- */

typedef enum
{
  COL_NIK,
  COL_NAME,
  COL_DESA,
  COL_CATEGORIES,
} Column;

static void
column_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (data) == COL_NIK)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
column_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  AppPerson       *person = gtk_list_item_get_item (item);
  GtkLabel        *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *cats = NULL;

  switch ((Column) GPOINTER_TO_INT (data))
    {
    case COL_NIK:
      gtk_label_set_text (label, app_person_get_masked_nik (person) ? app_person_get_masked_nik (person)
                                                                    : _("no NIK yet"));
      break;
    case COL_NAME:
      gtk_label_set_text (label, app_person_get_name (person));
      break;
    case COL_DESA:
      gtk_label_set_text (label, app_person_get_desa (person));
      break;
    case COL_CATEGORIES:
      cats = app_person_dup_category_text (person);
      gtk_label_set_text (label, cats);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
add_column (AppWindow *self, const char *title, Column col, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (column_setup), GINT_TO_POINTER (col));
  g_signal_connect (factory, "bind", G_CALLBACK (column_bind), GINT_TO_POINTER (col));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->person_view, column);
  g_object_unref (column);
}

static void
update_count_label (AppWindow *self)
{
  g_autofree char *text = NULL;
  guint            n;

  if (self->person_model == NULL)
    return;
  if (app_person_model_get_loading (self->person_model))
    {
      gtk_label_set_text (self->table_count_label, _("Searching…"));
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->person_model));
  text = g_strdup_printf (ngettext ("%u person", "%u persons", n), n);
  gtk_label_set_text (self->table_count_label, text);
}

static void
on_person_selected (GtkSingleSelection *selection, GParamSpec *pspec, AppWindow *self)
{
  AppPerson *person;

  if (self->syncing_table)
    return;
  person = gtk_single_selection_get_selected_item (selection);
  if (person != NULL && app_person_get_family_id (person) != self->selected_family)
    app_window_select_family (self, app_person_get_family_id (person), TRUE);
}

static void
on_search_changed (AppWindow *self)
{
  if (self->person_model != NULL)
    app_person_model_set_query (self->person_model,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* --- project -------------------------------------------------------------------- */

static void
remember_project (AppWindow *self, const char *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  list = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char *const *) list);
}

static void
project_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AppWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AppProject) project = app_project_load_finish (result, &error);
  g_autofree char *title = NULL;
  double           x0, y0, x1, y1;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (project == NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack,
                                        self->project != NULL ? "project" : "welcome");
      toast (self, error->message);
      return;
    }
  g_set_object (&self->project, project);
  app_window_select_family (self, -1, FALSE);
  map_area_layer_set_shapes (self->area_layer, app_project_steal_shapes (project));
  map_family_layer_set_index (self->family_layer, app_project_steal_index (project));

  g_clear_object (&self->person_model);
  self->person_model = app_person_model_new (app_project_get_store (project));
  g_signal_connect_object (self->person_model, "notify::loading",
                           G_CALLBACK (update_count_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->person_model, "search-failed", G_CALLBACK (toast), self,
                           G_CONNECT_SWAPPED);
  if (app_person_model_get_error (self->person_model) != NULL)
    toast (self, app_person_model_get_error (self->person_model));
  gtk_single_selection_set_model (self->person_selection, G_LIST_MODEL (self->person_model));
  app_person_model_set_query (self->person_model,
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  rebuild_layer_list (self);
  rebuild_legend (self);
  title = app_project_dup_title (project);
  adw_view_switcher_title_set_title (self->switcher_title, title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, app_project_get_path (project));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_stack_set_visible_child_name (self->main_stack, "project");
  if (app_project_get_extent (project, &x0, &y0, &x1, &y1))
    {
      fit_extent (self, x0, y0, x1, y1);
      if (self->fit_tick != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self->map), self->fit_tick);
      self->fit_tick =
          gtk_widget_add_tick_callback (GTK_WIDGET (self->map), fit_when_allocated, self, NULL);
    }
  remember_project (self, app_project_get_path (project));
  g_signal_emit (self, signals[SIGNAL_PROJECT_CHANGED], 0);
}

/**
 * app_window_open_project:
 * @create: create the file when it does not exist (New Project)
 *
 * Loads the project in a worker; the window shows a spinner meanwhile and the previous
 * project (if any) again when the new one fails to open.
 */
void
app_window_open_project (AppWindow *self, const char *path, gboolean create)
{
  g_return_if_fail (APP_IS_WINDOW (self));
  g_return_if_fail (path != NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  app_project_load_async (path, create, self->cancellable, project_loaded, g_object_ref (self));
}

static void
on_file_chosen (GtkNativeDialog *dialog, int response, AppWindow *self)
{
  gboolean create = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "create"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        {
          if (create && !g_str_has_suffix (path, ".jangkau") && !g_str_has_suffix (path, ".sqlite"))
            {
              g_autofree char *with_ext = g_strconcat (path, ".jangkau", NULL);

              app_window_open_project (self, with_ext, TRUE);
            }
          else
            app_window_open_project (self, path, create);
        }
    }
  g_object_unref (dialog);
}

static void
choose_project (AppWindow *self, gboolean create)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter        *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (create ? _("New Project") : _("Open Project"),
                                        GTK_WINDOW (self),
                                        create ? GTK_FILE_CHOOSER_ACTION_SAVE
                                               : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        create ? _("_Create") : _("_Open"),
                                        _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Jangkau projects"));
  gtk_file_filter_add_pattern (filter, "*.jangkau");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  if (create)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("project.jangkau"));
  g_object_set_data (G_OBJECT (dialog), "create", GINT_TO_POINTER (create));
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_action (GtkWidget *widget, const char *action, GVariant *param)
{
  choose_project (APP_WINDOW (widget), FALSE);
}

static void
new_action (GtkWidget *widget, const char *action, GVariant *param)
{
  choose_project (APP_WINDOW (widget), TRUE);
}

static void
search_action (GtkWidget *widget, const char *action, GVariant *param)
{
  AppWindow *self = APP_WINDOW (widget);

  if (self->project == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "table");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
toggle_sidebar_action (GtkWidget *widget, const char *action, GVariant *param)
{
  AppWindow *self = APP_WINDOW (widget);

  gtk_toggle_button_set_active (self->sidebar_button,
                                !gtk_toggle_button_get_active (self->sidebar_button));
}

/* --- lifecycle ------------------------------------------------------------------ */

static gboolean
app_window_close_request (GtkWindow *window)
{
  AppWindow *self = APP_WINDOW (window);
  int        w, h;

  gtk_window_get_default_size (window, &w, &h);
  g_settings_set_int (self->settings, "window-width", w);
  g_settings_set_int (self->settings, "window-height", h);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (app_window_parent_class)->close_request (window);
}

static void
app_window_dispose (GObject *object)
{
  AppWindow *self = APP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->person_selection != NULL)
    gtk_single_selection_set_model (self->person_selection, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), APP_TYPE_WINDOW);
  g_clear_object (&self->person_selection);
  g_clear_object (&self->person_model);
  g_clear_object (&self->project);
  g_clear_object (&self->basemap);
  g_clear_object (&self->settings);
  g_clear_object (&self->legend_extra);
  G_OBJECT_CLASS (app_window_parent_class)->dispose (object);
}

static void
app_window_class_init (AppWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = app_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = app_window_close_request;

  /**
   * AppWindow::project-changed:
   *
   * Emitted after a project finished loading and the window shows it. Panels and layers
   * added with app_window_add_panel() / app_window_add_map_layer() reload their data here.
   */
  signals[SIGNAL_PROJECT_CHANGED] = g_signal_new ("project-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/ui/app-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AppWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, details_group);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, details_box);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, details_close_button);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, layer_list);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, analysis_box);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, map);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, table_count_label);
  gtk_widget_class_bind_template_child (widget_class, AppWindow, person_view);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
}

static void
load_category_css (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();
      GString        *css = g_string_new (NULL);

      for (int c = 1; c <= GEO_PMKS_N_CATEGORIES; c++)
        g_string_append_printf (css, ".category-chip.pmks-%d { background-color: %s; }\n", c,
                                geo_pmks_get (c)->colour);
      GtkCssProvider *style = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider, css->str, -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      /* Loaded here rather than by AdwApplication's style.css so that every window,
       * also one made by a test without an application, is styled. */
      gtk_css_provider_load_from_resource (style, APP_RESOURCE_PATH "/ui/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (style),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_string_free (css, TRUE);
      g_object_unref (provider);
      g_object_unref (style);
      g_once_init_leave (&once, 1);
    }
}

static void
app_window_init (AppWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  load_category_css ();
  self->legend_extra = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  gtk_widget_set_name (self->legend_extra, "legend-extra");
  self->selected_family = -1;
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  {
    g_autoptr(GVariant) saved = g_settings_get_user_value (self->settings, "window-width");
    GListModel         *monitors = gdk_display_get_monitors (gdk_display_get_default ());
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
    int                 w = g_settings_get_int (self->settings, "window-width");
    int                 h = g_settings_get_int (self->settings, "window-height");

    /* First run: most of the screen, the map is the point of the window. */
    if (saved == NULL && monitor != NULL)
      {
        GdkRectangle geometry;

        gdk_monitor_get_geometry (monitor, &geometry);
        w = MAX (800, geometry.width * 9 / 10);
        h = MAX (600, geometry.height * 9 / 10);
      }
    gtk_window_set_default_size (GTK_WINDOW (self), w, h);
  }
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "sidebar-visible", self->sidebar_button, "active",
                   G_SETTINGS_BIND_DEFAULT);

  setup_map (self);
  app_roads_attach (self);
  {
    g_autoptr(GAction) online = g_settings_create_action (self->settings, "online-basemap");

    g_action_map_add_action (G_ACTION_MAP (self), online);
    g_signal_connect_object (self->settings, "changed::online-basemap",
                             G_CALLBACK (on_online_basemap_changed), self, G_CONNECT_SWAPPED);
  }
  g_signal_connect_object (self->details_close_button, "clicked", G_CALLBACK (on_details_close),
                           self, G_CONNECT_SWAPPED);

  self->person_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->person_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->person_selection, TRUE);
  gtk_column_view_set_model (self->person_view, GTK_SELECTION_MODEL (self->person_selection));
  g_signal_connect_object (self->person_selection, "notify::selected",
                           G_CALLBACK (on_person_selected), self, 0);
  add_column (self, _("NIK"), COL_NIK, FALSE);
  add_column (self, _("Name"), COL_NAME, TRUE);
  add_column (self, _("Desa"), COL_DESA, TRUE);
  add_column (self, _("PMKS categories"), COL_CATEGORIES, TRUE);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  app_round_panel_attach (self);
  app_psks_attach (self);
  app_import_dialog_attach (self);
  app_export_dialog_attach (self);
  app_map_export_attach (self);
  app_records_attach (self);
  app_rollout_attach (self);
  app_hotspot_panel_attach (self);
  app_density_panel_attach (self);
  app_stats_panel_attach (self);
  app_underserved_panel_attach (self);
  app_nearest_panel_attach (self);
}

AppWindow *
app_window_new (GtkApplication *application)
{
  return g_object_new (APP_TYPE_WINDOW, "application", application, NULL);
}

AppProject *
app_window_get_project (AppWindow *self)
{
  g_return_val_if_fail (APP_IS_WINDOW (self), NULL);
  return self->project;
}

gboolean
app_window_get_loading (AppWindow *self)
{
  return self->loading;
}

MapFamilyLayer *
app_window_get_family_layer (AppWindow *self)
{
  return self->family_layer;
}

MapAreaLayer *
app_window_get_area_layer (AppWindow *self)
{
  return self->area_layer;
}

ShumateMap *
app_window_get_map (AppWindow *self)
{
  return shumate_simple_map_get_map (self->map);
}

GtkColumnView *
app_window_get_person_view (AppWindow *self)
{
  return self->person_view;
}

GListModel *
app_window_get_person_model (AppWindow *self)
{
  return self->person_model != NULL ? G_LIST_MODEL (self->person_model) : NULL;
}

gint64
app_window_get_selected_family (AppWindow *self)
{
  return self->selected_family;
}

/**
 * app_window_toast:
 *
 * Shows @message briefly over the window (errors and confirmations).
 */
void
app_window_toast (AppWindow *self, const char *message)
{
  g_return_if_fail (APP_IS_WINDOW (self));
  toast (self, message);
}

/**
 * app_window_add_panel:
 * @panel: a widget (usually an #AdwPreferencesGroup or #GtkExpander)
 *
 * Appends @panel to the sidebar below the layer list (the analysis panels' place).
 */
void
app_window_add_panel (AppWindow *self, GtkWidget *panel)
{
  g_return_if_fail (APP_IS_WINDOW (self));
  gtk_box_append (self->analysis_box, panel);
}

/**
 * app_window_add_map_layer:
 * @layer: a #ShumateLayer built on the map's viewport
 * @below_families: insert it under the family layer (area-style layers: choropleth, heat,
 *   hotspot grid) rather than on top (routes, markers)
 */
void
app_window_add_map_layer (AppWindow *self, ShumateLayer *layer, gboolean below_families)
{
  ShumateMap *map;

  g_return_if_fail (APP_IS_WINDOW (self));
  g_return_if_fail (SHUMATE_IS_LAYER (layer));
  map = shumate_simple_map_get_map (self->map);
  if (below_families)
    shumate_map_insert_layer_behind (map, layer, SHUMATE_LAYER (self->family_layer));
  else
    shumate_map_add_layer (map, layer);
}

/**
 * app_window_get_legend_extra:
 *
 * Returns: (transfer none): a box in the map legend, below the PMKS categories, where other
 *   layers (the PSKS resources) put their rows; it survives the legend's rebuilds.
 */
GtkBox *
app_window_get_legend_extra (AppWindow *self)
{
  g_return_val_if_fail (APP_IS_WINDOW (self), NULL);
  return GTK_BOX (self->legend_extra);
}

/**
 * app_window_get_viewport:
 *
 * Returns: (transfer none): the map's viewport, for building layers.
 */
ShumateViewport *
app_window_get_viewport (AppWindow *self)
{
  g_return_val_if_fail (APP_IS_WINDOW (self), NULL);
  return shumate_simple_map_get_viewport (self->map);
}
