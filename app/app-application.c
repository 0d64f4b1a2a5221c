#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "app-application.h"
#include "app-window.h"

struct _AppApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AppApplication, app_application, ADW_TYPE_APPLICATION)

/**
 * app_init_i18n:
 *
 * gettext setup. Bahasa Indonesia is the default: when the desktop asks for neither
 * Indonesian nor English (including the C locale), the `id` catalogue is used.
 */
void
app_init_i18n (void)
{
  const char *const *langs;
  gboolean           supported = FALSE;

  setlocale (LC_ALL, "");
  langs = g_get_language_names ();
  for (guint i = 0; langs[i] != NULL; i++)
    if (g_str_has_prefix (langs[i], "id") || g_str_has_prefix (langs[i], "en"))
      {
        supported = TRUE;
        break;
      }
  if (!supported)
    {
      const char *messages = setlocale (LC_MESSAGES, NULL);

      /* gettext ignores LANGUAGE in the plain C locale; C.UTF-8 honours it. */
      if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
        setlocale (LC_MESSAGES, "C.UTF-8");
      g_setenv ("LANGUAGE", "id", TRUE);
    }
  /* JANGKAU_LOCALEDIR: run translated from the build tree (build/po). */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("JANGKAU_LOCALEDIR") != NULL ? g_getenv ("JANGKAU_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static AppWindow *
new_window (AppApplication *self)
{
  return app_window_new (GTK_APPLICATION (self));
}

static void
app_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-projects");
      AppWindow *win = new_window (APP_APPLICATION (app));

      /* The last project when it still exists, else the welcome page. */
      if (recent[0] != NULL && g_file_test (recent[0], G_FILE_TEST_IS_REGULAR))
        app_window_open_project (win, recent[0], FALSE);
      window = GTK_WINDOW (win);
    }
  gtk_window_present (window);
}

static void
app_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      AppWindow       *win = NULL;
      GtkWindow       *active = gtk_application_get_active_window (GTK_APPLICATION (app));

      if (path == NULL)
        continue;
      if (active != NULL && app_window_get_project (APP_WINDOW (active)) == NULL &&
          !app_window_get_loading (APP_WINDOW (active)))
        win = APP_WINDOW (active);
      else
        win = new_window (APP_APPLICATION (app));
      app_window_open_project (win, path, FALSE);
      gtk_window_present (GTK_WINDOW (win));
    }
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication    *app = user_data;
  static const char *developers[] = { "Jangkau developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", "Jangkau",
                         "application-icon", APP_ID,
                         "developer-name", _("Jangkau developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Map PMKS households, find underserved areas and plan home visits."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = user_data;
  GList          *windows = gtk_application_get_windows (app);

  /* Close each window so that it saves its state. */
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;

      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
app_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (app_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
app_application_class_init (AppApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = app_application_activate;
  app_class->open = app_application_open;
  app_class->startup = app_application_startup;
}

static void
app_application_init (AppApplication *self)
{
}

AppApplication *
app_application_new (void)
{
  return g_object_new (APP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/id/go/dinsos/Jangkau",
                       NULL);
}
