/* dlfcn over LoadLibrary/GetProcAddress/FreeLibrary for collectd.exe.
 * Not thread-safe for dlerror(), as collectd loads plugins from one thread. */
#include "dlfcn.h"

#include <stdio.h>
#include <windows.h>

static char last_error[512];
static int have_error;

static void remember_error(const char *what, const char *arg) {
  DWORD code = GetLastError();
  char text[256] = "";
  FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                 NULL, code, 0, text, sizeof(text), NULL);
  snprintf(last_error, sizeof(last_error), "%s(%s): error %lu %s", what,
           arg ? arg : "", (unsigned long)code, text);
  have_error = 1;
}

void *dlopen(const char *file, int mode) {
  (void)mode;
  /* LOAD_WITH_ALTERED_SEARCH_PATH: a plugin's own dependencies are looked
   * up beside the plugin, as on Unix with $ORIGIN. */
  HMODULE h = file ? LoadLibraryExA(file, NULL, LOAD_WITH_ALTERED_SEARCH_PATH)
                   : GetModuleHandleA(NULL);
  if (h == NULL)
    remember_error("LoadLibrary", file);
  return (void *)h;
}

void *dlsym(void *handle, const char *name) {
  FARPROC p = GetProcAddress((HMODULE)handle, name);
  if (p == NULL)
    remember_error("GetProcAddress", name);
  return (void *)(INT_PTR)p;
}

int dlclose(void *handle) {
  if (!FreeLibrary((HMODULE)handle)) {
    remember_error("FreeLibrary", NULL);
    return -1;
  }
  return 0;
}

char *dlerror(void) {
  if (!have_error)
    return NULL;
  have_error = 0;
  return last_error;
}
