#include "config.h"

#include <gdal.h>

#include "geo-store.h"

#include "app-application.h"
#include "app-resources.h"

/* Run straight from the build tree (`build/app/jangkau demo.jangkau`, as the README and the
 * screenshot tool do), the compiled GSettings schema and the message catalogues are in the build
 * directory, not under the install prefix: point GLib and gettext there unless the caller did. */
static void
use_build_tree_data (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *schemas = g_build_filename (BUILD_ROOT, "data", "gschemas.compiled", NULL);
  g_autofree char *prefix = g_strconcat (BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);

  if (exe == NULL || !g_str_has_prefix (exe, prefix))
    return;
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL && g_file_test (schemas, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *dir = g_path_get_dirname (schemas);

      g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
    }
  if (g_getenv ("JANGKAU_LOCALEDIR") == NULL)
    {
      g_autofree char *po = g_build_filename (BUILD_ROOT, "po", NULL);

      if (g_file_test (po, G_FILE_TEST_IS_DIR))
        g_setenv ("JANGKAU_LOCALEDIR", po, TRUE);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr(AppApplication) app = NULL;

  geo_store_configure_sqlite ();
  use_build_tree_data ();
  app_init_i18n ();
  app_register_resource ();
  GDALAllRegister ();
  app = app_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
