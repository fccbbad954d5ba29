/* Completed results on their way from the sinks (on WMI's threads) to the
 * read callback. Each job has a short FIFO: a completed run is appended,
 * the reader moves every FIFO out at once and dispatches each result once,
 * in order. The lock is held only to link and unlink pointers, never while
 * converting, dispatching or freeing values. */
#ifndef WMI_CACHE_H
#define WMI_CACHE_H

#include "wmi_batch.h"

#include <stdint.h>

/* Results a job may have waiting for the reader. A reader that falls this
 * many intervals behind (collectd's read thread starved) loses the oldest
 * ones, counted. */
#define WMI_CACHE_DEPTH 8

typedef struct wmi_cache_s wmi_cache_t;

/* A cache for jobs 0 .. jobs_num - 1 keeping up to `depth` results per job
 * (0: WMI_CACHE_DEPTH). NULL when out of memory. */
wmi_cache_t *wmi_cache_new(size_t jobs_num, size_t depth);
/* Frees the cache and every result still in it. */
void wmi_cache_free(wmi_cache_t *cache);

/* Appends `batch` (ownership passes to the cache) to its job's FIFO. When
 * the FIFO is full its oldest result is dropped and counted. A batch of an
 * unknown job is freed. Returns true when a result was dropped. */
bool wmi_cache_publish(wmi_cache_t *cache, wmi_batch_t *batch);

/* Moves every waiting result out of the cache: a list linked through
 * batch->next, each job's results in the order they were published (jobs
 * interleave in publish order). Ownership passes to the caller: free each
 * with wmi_batch_free. *dropped (if not NULL) gets how many results were
 * dropped since the previous take. NULL when nothing is waiting. */
wmi_batch_t *wmi_cache_take(wmi_cache_t *cache, uint64_t *dropped);

/* Results dropped for `job` since the cache was made. */
uint64_t wmi_cache_dropped(wmi_cache_t *cache, size_t job);

#endif
