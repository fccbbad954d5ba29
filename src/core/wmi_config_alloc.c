#include "wmi_config_alloc.h"

#include "wmi_log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *logged(void *p) {
  if (p == NULL)
    wmi_log(LOG_ERR, "out of memory");
  return p;
}

char *wmi_config_strdup(const char *s) { return logged(strdup(s)); }

void *wmi_config_calloc(size_t num, size_t size) {
  return logged(calloc(num ? num : 1, size));
}

int wmi_config_reserve(void **array, size_t *cap, size_t num, size_t size) {
  if (num < *cap)
    return 0;
  size_t new_cap = *cap ? *cap * 2 : 4;
  void *grown = logged(
      new_cap <= SIZE_MAX / size ? realloc(*array, new_cap * size) : NULL);
  if (grown == NULL)
    return -1;
  *array = grown;
  *cap = new_cap;
  return 0;
}

void wmi_config_free_strings(char **list, size_t num) {
  for (size_t i = 0; list != NULL && i < num; i++)
    free(list[i]);
  free(list);
}
