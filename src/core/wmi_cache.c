#include "wmi_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct {
  wmi_batch_t *current;
  wmi_batch_t *previous;
  bool dispatched; /* current was handed to the reader */
} entry_t;

struct wmi_cache_s {
  pthread_mutex_t lock;
  entry_t *entries;
  size_t entries_num;
};

wmi_cache_t *wmi_cache_new(size_t jobs_num) {
  wmi_cache_t *cache = calloc(1, sizeof(*cache));
  if (cache == NULL)
    return NULL;
  cache->entries = calloc(jobs_num ? jobs_num : 1, sizeof(entry_t));
  if (cache->entries == NULL) {
    free(cache);
    return NULL;
  }
  cache->entries_num = jobs_num;
  pthread_mutex_init(&cache->lock, NULL);
  return cache;
}

/* With the lock held: drops one reference and returns the batch when it was
 * the last, for the caller to free outside the lock. */
static wmi_batch_t *unref_locked(wmi_batch_t *batch) {
  if (batch == NULL || --batch->refs > 0)
    return NULL;
  return batch;
}

void wmi_cache_free(wmi_cache_t *cache) {
  if (cache == NULL)
    return;
  for (size_t i = 0; i < cache->entries_num; i++) {
    wmi_batch_free(unref_locked(cache->entries[i].current));
    wmi_batch_free(unref_locked(cache->entries[i].previous));
  }
  free(cache->entries);
  pthread_mutex_destroy(&cache->lock);
  free(cache);
}

void wmi_cache_publish(wmi_cache_t *cache, wmi_batch_t *batch) {
  if (batch->job >= cache->entries_num) {
    wmi_batch_free(batch);
    return;
  }
  batch->refs = 1;
  pthread_mutex_lock(&cache->lock);
  entry_t *e = &cache->entries[batch->job];
  wmi_batch_t *gone = unref_locked(e->previous);
  e->previous = e->current;
  e->current = batch;
  e->dispatched = false;
  pthread_mutex_unlock(&cache->lock);
  wmi_batch_free(gone); /* outside the lock: freeing can take a while */
}

size_t wmi_cache_take_new(wmi_cache_t *cache, const wmi_batch_t **out) {
  size_t n = 0;
  pthread_mutex_lock(&cache->lock);
  for (size_t i = 0; i < cache->entries_num; i++) {
    entry_t *e = &cache->entries[i];
    if (e->current == NULL || e->dispatched)
      continue;
    e->dispatched = true;
    e->current->refs++;
    out[n++] = e->current;
  }
  pthread_mutex_unlock(&cache->lock);
  return n;
}

const wmi_batch_t *wmi_cache_previous(wmi_cache_t *cache, size_t job) {
  wmi_batch_t *batch = NULL;
  pthread_mutex_lock(&cache->lock);
  if (job < cache->entries_num && cache->entries[job].previous != NULL) {
    batch = cache->entries[job].previous;
    batch->refs++;
  }
  pthread_mutex_unlock(&cache->lock);
  return batch;
}

void wmi_cache_release(wmi_cache_t *cache, const wmi_batch_t *batch) {
  if (batch == NULL)
    return;
  pthread_mutex_lock(&cache->lock);
  /* The cache handed the batch out as const; it alone changes refs. */
  wmi_batch_t *gone = unref_locked((wmi_batch_t *)batch);
  pthread_mutex_unlock(&cache->lock);
  wmi_batch_free(gone);
}
