/* Creates a demo/test project for looking at the app: make-project OUT.jangkau [N] [SEED].
 * Built with the UI tests; not run by meson test. */
#include "config.h"

#include <gdal.h>
#include <stdlib.h>

#include "ui-fixture.h"

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *shared = g_getenv ("JANGKAU_SHARED_DATA");

  if (argc < 2)
    {
      g_printerr ("usage: make-project OUT.jangkau [N_FAMILIES] [SEED]\n");
      return 2;
    }
  GDALAllRegister ();
  if (!ui_fixture_create_project (argv[1], shared != NULL ? shared : SHARED_DATA_DIR,
                                  argc > 2 ? atoi (argv[2]) : 3000, argc > 3 ? atoi (argv[3]) : 1,
                                  &error))
    {
      g_printerr ("make-project: %s\n", error->message);
      return 1;
    }
  return 0;
}
