#pragma once

/* Temporary directories of the tests, removed when the test is done.
 *
 * test_tmp_make_dir() is g_dir_make_tmp() that also records the directory; every recorded
 * directory still present is removed recursively when the test program ends: at exit(), and
 * when it is killed by SIGABRT (a failed g_assert), SIGTRAP (g_error), SIGTERM (meson's
 * timeout), SIGINT or SIGHUP. test_tmp_remove() removes one at once (fixture teardown, end of
 * a test).
 *
 * The removal uses only system calls (openat, getdents64, unlinkat), so it is safe in the
 * signal handler too, whatever state the heap is in. Header-only: each translation unit that
 * includes it keeps its own list and chains to the previous signal handler. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>

#define TEST_TMP_MAX_DIRS 4096

static char            *test_tmp_dirs[TEST_TMP_MAX_DIRS];
static struct sigaction test_tmp_old_actions[NSIG];
static const int        test_tmp_signals[] = { SIGABRT, SIGTRAP, SIGTERM, SIGINT, SIGHUP };
static pid_t            test_tmp_pid;

/* Removes @name (relative to @parent_fd, or absolute) and all it contains. */
static void
test_tmp_remove_at (int parent_fd, const char *name, int depth)
{
  char buf[4096];
  int  fd;

  if (unlinkat (parent_fd, name, 0) == 0 || errno == ENOENT)
    return;
  if (depth > 32)
    return;
  fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  /* Several passes: removing entries while reading the directory may skip some. */
  for (int pass = 0; pass < 8; pass++)
    {
      long n;

      lseek (fd, 0, SEEK_SET);
      while ((n = syscall (SYS_getdents64, fd, buf, sizeof buf)) > 0)
        for (long off = 0; off < n;)
          {
            /* struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name */
            unsigned short reclen;
            const char    *entry = buf + off + 19;

            memcpy (&reclen, buf + off + 16, sizeof reclen);
            if (strcmp (entry, ".") != 0 && strcmp (entry, "..") != 0)
              test_tmp_remove_at (fd, entry, depth + 1);
            off += reclen;
          }
      if (unlinkat (parent_fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
        break;
    }
  close (fd);
}

static void
test_tmp_remove_all (void)
{
  /* A forked child that exits leaves its parent's directories alone. */
  if (getpid () != test_tmp_pid)
    return;
  for (guint i = 0; i < TEST_TMP_MAX_DIRS; i++)
    if (test_tmp_dirs[i] != NULL)
      test_tmp_remove_at (AT_FDCWD, test_tmp_dirs[i], 0);
}

static void
test_tmp_on_signal (int sig)
{
  int saved = errno;

  test_tmp_remove_all ();
  /* Back to the previous disposition; the signal, blocked while this handler runs, is
   * raised again and delivered to it when the handler returns. */
  sigaction (sig, &test_tmp_old_actions[sig], NULL);
  raise (sig);
  errno = saved;
}

static void
test_tmp_at_exit (void)
{
  test_tmp_remove_all ();
  for (guint i = 0; i < TEST_TMP_MAX_DIRS; i++)
    g_clear_pointer (&test_tmp_dirs[i], free);
}

static void
test_tmp_init (void)
{
  static gboolean done;
  struct sigaction action;

  if (done)
    return;
  done = TRUE;
  test_tmp_pid = getpid ();
  atexit (test_tmp_at_exit);
  memset (&action, 0, sizeof action);
  action.sa_handler = test_tmp_on_signal;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (test_tmp_signals); i++)
    sigaction (test_tmp_signals[i], &action, &test_tmp_old_actions[test_tmp_signals[i]]);
}

/* Like g_dir_make_tmp (@tmpl, @error): a new directory in g_get_tmp_dir(), removed with all
 * it contains when the program ends (or earlier by test_tmp_remove()). */
G_GNUC_UNUSED static char *
test_tmp_make_dir (const char *tmpl, GError **error)
{
  char *dir;

  test_tmp_init ();
  dir = g_dir_make_tmp (tmpl, error);
  if (dir == NULL)
    return NULL;
  for (guint i = 0; i < TEST_TMP_MAX_DIRS; i++)
    if (test_tmp_dirs[i] == NULL)
      {
        /* strdup, not g_strdup: freed in test_tmp_at_exit() with free(). */
        test_tmp_dirs[i] = strdup (dir);
        return dir;
      }
  g_error ("test-tmp: more than %d temporary directories at once", TEST_TMP_MAX_DIRS);
}

/* Removes @path (a file or a directory tree) now: a directory made by test_tmp_make_dir(),
 * which is forgotten, or something inside one (anything else is a programming error: never
 * a tree outside the test's own directories). Returns TRUE if nothing is left at @path. */
G_GNUC_UNUSED static gboolean
test_tmp_remove (const char *path)
{
  gboolean ours = FALSE;

  for (guint i = 0; i < TEST_TMP_MAX_DIRS && !ours; i++)
    if (test_tmp_dirs[i] != NULL)
      {
        size_t len = strlen (test_tmp_dirs[i]);

        ours = strncmp (path, test_tmp_dirs[i], len) == 0 && (path[len] == 0 || path[len] == '/')
               && strstr (path + len, "/..") == NULL;
      }
  if (!ours)
    g_error ("test-tmp: %s is not in a directory of test_tmp_make_dir()", path);
  test_tmp_remove_at (AT_FDCWD, path, 0);
  for (guint i = 0; i < TEST_TMP_MAX_DIRS; i++)
    if (test_tmp_dirs[i] != NULL && strcmp (test_tmp_dirs[i], path) == 0)
      g_clear_pointer (&test_tmp_dirs[i], free);
  return !g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
}

/* Removes the directory that holds @file (a project in a directory of test_tmp_make_dir()). */
G_GNUC_UNUSED static gboolean
test_tmp_remove_parent (const char *file)
{
  g_autofree char *dir = g_path_get_dirname (file);

  return test_tmp_remove (dir);
}
