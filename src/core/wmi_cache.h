/* The latest completed result of every job, shared between the sinks (on
 * WMI's threads) and the read callback. A completed run replaces its job's
 * previous result in one swap; the reader takes what it has not dispatched
 * yet. The lock is held only to swap pointers and count references, never
 * while converting or dispatching values. */
#ifndef WMI_CACHE_H
#define WMI_CACHE_H

#include "wmi_batch.h"

typedef struct wmi_cache_s wmi_cache_t;

wmi_cache_t *wmi_cache_new(size_t jobs_num);
void wmi_cache_free(wmi_cache_t *cache);

/* Replaces the job's result with `batch` (taking ownership). Instances that
 * the new batch lacks are gone with the old one. The previous result stays
 * readable through wmi_cache_previous for rate computations. */
void wmi_cache_publish(wmi_cache_t *cache, wmi_batch_t *batch);

/* The batches published since the last call, each handed out once.
 * Fills out[] (room for the number of jobs) and returns how many; release
 * every one with wmi_cache_release. */
size_t wmi_cache_take_new(wmi_cache_t *cache, const wmi_batch_t **out);

/* The result before the current one of a job, or NULL; release it. */
const wmi_batch_t *wmi_cache_previous(wmi_cache_t *cache, size_t job);

void wmi_cache_release(wmi_cache_t *cache, const wmi_batch_t *batch);

#endif
