#include "wmi_complain.h"

#include "wmi_hash.h"
#include "wmi_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One open complaint: a node of its bucket's chain, the key inline. */
typedef struct entry_s {
  struct entry_s *next;
  uint64_t hash;
  char key[];
} entry_t;

struct wmi_complaints_s {
  pthread_mutex_t lock;
  entry_t **buckets;
  size_t buckets_num; /* a power of two; 0 until the first complaint */
  size_t num;
  size_t active; /* == num, readable without the lock */
  bool overflow_reported;
  char *label;
};

wmi_complaints_t *wmi_complaints_new(const char *label) {
  wmi_complaints_t *set = calloc(1, sizeof(*set));
  if (set == NULL)
    return NULL;
  if (label != NULL && (set->label = strdup(label)) == NULL) {
    free(set);
    return NULL;
  }
  pthread_mutex_init(&set->lock, NULL);
  return set;
}

void wmi_complaints_free(wmi_complaints_t *set) {
  if (set == NULL)
    return;
  for (size_t b = 0; b < set->buckets_num; b++) {
    for (entry_t *e = set->buckets[b], *next; e != NULL; e = next) {
      next = e->next;
      free(e);
    }
  }
  free(set->buckets);
  free(set->label);
  pthread_mutex_destroy(&set->lock);
  free(set);
}

static uint64_t hash_key(const char *key) {
  return wmi_fnv_str(WMI_FNV_OFFSET, key);
}

/* The link that points at the key's entry, or at the NULL ending its
 * chain when the key is not there. Needs buckets. */
static entry_t **find_link(wmi_complaints_t *set, const char *key,
                           uint64_t hash) {
  entry_t **link = &set->buckets[hash & (set->buckets_num - 1)];
  while (*link != NULL &&
         ((*link)->hash != hash || strcmp((*link)->key, key) != 0))
    link = &(*link)->next;
  return link;
}

/* Keeps chains short: at most one entry per bucket on average. On failure
 * the set keeps its buckets, only longer chains. */
static void grow_if_full(wmi_complaints_t *set) {
  if (set->num < set->buckets_num)
    return;
  size_t num = set->buckets_num ? 2 * set->buckets_num : 16;
  entry_t **buckets = calloc(num, sizeof(*buckets));
  if (buckets == NULL)
    return;
  for (size_t b = 0; b < set->buckets_num; b++) {
    for (entry_t *e = set->buckets[b], *next; e != NULL; e = next) {
      next = e->next;
      e->next = buckets[e->hash & (num - 1)];
      buckets[e->hash & (num - 1)] = e;
    }
  }
  free(set->buckets);
  set->buckets = buckets;
  set->buckets_num = num;
}

/* With the lock held: remembers a new key. False when the set is full or
 * out of memory. */
static bool add_locked(wmi_complaints_t *set, const char *key, uint64_t hash) {
  if (set->num >= WMI_COMPLAINTS_MAX) {
    if (!set->overflow_reported)
      wmi_log(LOG_WARNING,
              "%s%smore than %d distinct problems at once; further ones "
              "are not logged",
              set->label ? set->label : "", set->label ? ": " : "",
              WMI_COMPLAINTS_MAX);
    set->overflow_reported = true;
    return false;
  }
  grow_if_full(set);
  if (set->buckets_num == 0)
    return false;
  size_t len = strlen(key);
  entry_t *e = malloc(sizeof(*e) + len + 1);
  if (e == NULL)
    return false;
  memcpy(e->key, key, len + 1);
  e->hash = hash;
  entry_t **link = &set->buckets[hash & (set->buckets_num - 1)];
  e->next = *link;
  *link = e;
  set->num++;
  __atomic_store_n(&set->active, set->num, __ATOMIC_RELEASE);
  return true;
}

static void log_va(int level, const char *format, va_list ap) {
  char message[1000];
  vsnprintf(message, sizeof(message), format, ap);
  wmi_log(level, "%s", message);
}

bool wmi_complain(wmi_complaints_t *set, int level, const char *key,
                  const char *format, ...) {
  uint64_t hash = hash_key(key); /* outside the lock: keys may be long */
  bool log_it = false;
  pthread_mutex_lock(&set->lock);
  if (set->buckets_num == 0 || *find_link(set, key, hash) == NULL)
    log_it = add_locked(set, key, hash);
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
  uint64_t hash = hash_key(key);
  entry_t *gone = NULL;
  pthread_mutex_lock(&set->lock);
  if (set->buckets_num > 0) {
    entry_t **link = find_link(set, key, hash);
    if ((gone = *link) != NULL) {
      *link = gone->next;
      set->num--;
      __atomic_store_n(&set->active, set->num, __ATOMIC_RELEASE);
    }
  }
  pthread_mutex_unlock(&set->lock);
  if (gone == NULL)
    return false;
  free(gone);
  va_list ap;
  va_start(ap, format);
  log_va(LOG_NOTICE, format, ap);
  va_end(ap);
  return true;
}
