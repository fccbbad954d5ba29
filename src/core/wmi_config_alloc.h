/* Memory for the configuration model, shared by its parse and finish
 * steps: every failure logs "out of memory" once, here, so the callers
 * only return -1. Called on the configuring thread only (see wmi_config.h). */
#ifndef WMI_CONFIG_ALLOC_H
#define WMI_CONFIG_ALLOC_H

#include <stddef.h>

/* A copy of s, or NULL; the caller frees it. */
char *wmi_config_strdup(const char *s);

/* num zeroed elements of size bytes (room for one when num is 0, so NULL
 * means only failure), or NULL; the caller frees it. */
void *wmi_config_calloc(size_t num, size_t size);

/* Makes room for one more element in *array (num used, *cap allocated),
 * which the caller owns. The capacity doubles, so n appends cost O(n) in
 * all. Returns 0, or -1 with *array and *cap unchanged. */
int wmi_config_reserve(void **array, size_t *cap, size_t num, size_t size);

/* Frees the num strings of list, then list; list may be NULL, and so may
 * any of its strings. */
void wmi_config_free_strings(char **list, size_t num);

#endif
