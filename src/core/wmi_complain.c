#include "wmi_complain.h"

#include "wmi_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hostile data (a new bad instance every run) must not grow memory without
 * bound: past this many open complaints new ones are not remembered, only
 * counted in one final warning. */
#define MAX_COMPLAINTS 4096

struct wmi_complaints_s {
  pthread_mutex_t lock;
  char **keys;
  size_t num;
  size_t active; /* == num, readable without the lock */
  bool overflow_reported;
};

wmi_complaints_t *wmi_complaints_new(void) {
  wmi_complaints_t *set = calloc(1, sizeof(*set));
  if (set == NULL)
    return NULL;
  pthread_mutex_init(&set->lock, NULL);
  return set;
}

void wmi_complaints_free(wmi_complaints_t *set) {
  if (set == NULL)
    return;
  for (size_t i = 0; i < set->num; i++)
    free(set->keys[i]);
  free(set->keys);
  pthread_mutex_destroy(&set->lock);
  free(set);
}

static ssize_t find_key(const wmi_complaints_t *set, const char *key) {
  for (size_t i = 0; i < set->num; i++)
    if (strcmp(set->keys[i], key) == 0)
      return (ssize_t)i;
  return -1;
}

static void log_va(int level, const char *format, va_list ap) {
  char message[900];
  vsnprintf(message, sizeof(message), format, ap);
  wmi_log(level, "%s", message);
}

bool wmi_complain(wmi_complaints_t *set, int level, const char *key,
                  const char *format, ...) {
  bool log_it = false;
  pthread_mutex_lock(&set->lock);
  if (find_key(set, key) < 0) {
    if (set->num >= MAX_COMPLAINTS) {
      if (!set->overflow_reported)
        wmi_log(LOG_WARNING,
                "more than %d distinct value problems; further "
                "ones are not logged",
                MAX_COMPLAINTS);
      set->overflow_reported = true;
    } else {
      char **grown = realloc(set->keys, (set->num + 1) * sizeof(char *));
      char *copy = strdup(key);
      if (grown != NULL)
        set->keys = grown;
      if (grown != NULL && copy != NULL) {
        set->keys[set->num++] = copy;
        __atomic_store_n(&set->active, set->num, __ATOMIC_RELEASE);
        log_it = true;
      } else {
        free(copy);
      }
    }
  }
  pthread_mutex_unlock(&set->lock);
  if (log_it) {
    va_list ap;
    va_start(ap, format);
    log_va(level, format, ap);
    va_end(ap);
  }
  return log_it;
}

bool wmi_complaints_any(const wmi_complaints_t *set) {
  return __atomic_load_n(&set->active, __ATOMIC_ACQUIRE) != 0;
}

bool wmi_complain_end(wmi_complaints_t *set, const char *key,
                      const char *format, ...) {
  if (!wmi_complaints_any(set))
    return false;
  bool was_open = false;
  pthread_mutex_lock(&set->lock);
  ssize_t at = find_key(set, key);
  if (at >= 0) {
    free(set->keys[at]);
    set->keys[at] = set->keys[--set->num];
    __atomic_store_n(&set->active, set->num, __ATOMIC_RELEASE);
    was_open = true;
  }
  pthread_mutex_unlock(&set->lock);
  if (was_open) {
    va_list ap;
    va_start(ap, format);
    log_va(LOG_NOTICE, format, ap);
    va_end(ap);
  }
  return was_open;
}
