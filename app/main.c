#include "config.h"

#include <gdal.h>

#include "app-application.h"
#include "app-resources.h"

int
main (int argc, char *argv[])
{
  g_autoptr(AppApplication) app = NULL;

  app_init_i18n ();
  app_register_resource ();
  GDALAllRegister ();
  app = app_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
