#include "wmi_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* Which of a batch's cache_links is which: only this file knows. */
enum { PREV, JOB_NEXT };

/* How it stays O(1) under the lock: every waiting result is in one list in
 * publish order (doubly linked through next and PREV), which take moves
 * out whole. Each job chains its own waiting results oldest first
 * (JOB_NEXT) and counts them, so a full FIFO unlinks its oldest at
 * once. Take does not visit the jobs to reset them: it starts a new epoch,
 * and a job whose epoch is older has nothing waiting. */
typedef struct {
  wmi_batch_t *oldest, *newest; /* valid only when epoch is current */
  size_t waiting;
  uint64_t epoch;
  uint64_t dropped; /* since the cache was made */
} job_fifo_t;

struct wmi_cache_s {
  pthread_mutex_t lock;
  job_fifo_t *jobs;
  size_t jobs_num;
  size_t depth;
  wmi_batch_t *head, *tail; /* every waiting result, publish order */
  uint64_t epoch;           /* advanced by every take that finds results */
  uint64_t dropped;         /* since the previous take */
};

wmi_cache_t *wmi_cache_new(size_t jobs_num, size_t depth) {
  wmi_cache_t *cache = calloc(1, sizeof(*cache));
  if (cache == NULL)
    return NULL;
  cache->jobs = calloc(jobs_num ? jobs_num : 1, sizeof(job_fifo_t));
  if (cache->jobs == NULL) {
    free(cache);
    return NULL;
  }
  cache->jobs_num = jobs_num;
  cache->depth = depth ? depth : WMI_CACHE_DEPTH;
  cache->epoch = 1; /* the jobs' 0 means nothing waiting */
  pthread_mutex_init(&cache->lock, NULL);
  return cache;
}

static void free_list(wmi_batch_t *batch) {
  while (batch != NULL) {
    wmi_batch_t *next = batch->next;
    wmi_batch_free(batch);
    batch = next;
  }
}

void wmi_cache_free(wmi_cache_t *cache) {
  if (cache == NULL)
    return;
  free_list(cache->head);
  free(cache->jobs);
  pthread_mutex_destroy(&cache->lock);
  free(cache);
}

/* With the lock held: takes the job's oldest result out of both lists. */
static wmi_batch_t *unlink_oldest_locked(wmi_cache_t *cache, job_fifo_t *f) {
  wmi_batch_t *gone = f->oldest;
  f->oldest = gone->cache_links[JOB_NEXT];
  if (f->oldest == NULL)
    f->newest = NULL;
  f->waiting--;
  if (gone->cache_links[PREV] != NULL)
    gone->cache_links[PREV]->next = gone->next;
  else
    cache->head = gone->next;
  if (gone->next != NULL)
    gone->next->cache_links[PREV] = gone->cache_links[PREV];
  else
    cache->tail = gone->cache_links[PREV];
  gone->next = gone->cache_links[PREV] = gone->cache_links[JOB_NEXT] = NULL;
  return gone;
}

bool wmi_cache_publish(wmi_cache_t *cache, wmi_batch_t *batch) {
  if (batch->job >= cache->jobs_num) {
    wmi_batch_free(batch);
    return false;
  }
  batch->next = batch->cache_links[JOB_NEXT] = NULL;
  wmi_batch_t *gone = NULL;
  pthread_mutex_lock(&cache->lock);
  job_fifo_t *f = &cache->jobs[batch->job];
  if (f->epoch != cache->epoch) { /* taken since its last publish */
    f->oldest = f->newest = NULL;
    f->waiting = 0;
    f->epoch = cache->epoch;
  }
  batch->cache_links[PREV] = cache->tail;
  if (cache->tail != NULL)
    cache->tail->next = batch;
  else
    cache->head = batch;
  cache->tail = batch;
  if (f->newest != NULL)
    f->newest->cache_links[JOB_NEXT] = batch;
  else
    f->oldest = batch;
  f->newest = batch;
  if (++f->waiting > cache->depth) {
    gone = unlink_oldest_locked(cache, f);
    f->dropped++;
    cache->dropped++;
  }
  pthread_mutex_unlock(&cache->lock);
  wmi_batch_free(gone); /* outside the lock: freeing can take a while */
  return gone != NULL;
}

wmi_batch_t *wmi_cache_take(wmi_cache_t *cache, uint64_t *dropped) {
  pthread_mutex_lock(&cache->lock);
  wmi_batch_t *taken = cache->head;
  if (taken != NULL) {
    cache->head = cache->tail = NULL;
    cache->epoch++;
  }
  uint64_t n = cache->dropped;
  cache->dropped = 0;
  pthread_mutex_unlock(&cache->lock);
  if (dropped != NULL)
    *dropped = n;
  return taken;
}

uint64_t wmi_cache_dropped(wmi_cache_t *cache, size_t job) {
  if (job >= cache->jobs_num)
    return 0;
  pthread_mutex_lock(&cache->lock);
  uint64_t n = cache->jobs[job].dropped;
  pthread_mutex_unlock(&cache->lock);
  return n;
}
