/* The previous sample of each instance of one job, so that consecutive
 * samples of raw counters are paired by instance (a key made of the Result,
 * how many objects were added up and the type instance) or, for a Result
 * with ObjectsFrom, by object (the Result, the type instance and the
 * ObjectsFrom values), never by their position in the result: WMI returns
 * objects in no promised order, and instances come and go.
 *
 * A run stores each key's samples of this run and gets back the same key's
 * samples of the previous completed run. Only completed runs become the
 * reference: a failed or cancelled run (abort) changes nothing, so the next
 * run pairs with the last good one and its differences span the longer
 * interval (the formulas divide by the time that really passed). Keys not
 * seen in a completed run are forgotten, so memory is bounded by one run's
 * instances (plus the bucket array of the largest run seen).
 *
 * One history per job, used by one thread at a time (no lock, no global
 * state). A hash table (FNV-1a, chained), O(1) average per key. */
#ifndef WMI_HISTORY_H
#define WMI_HISTORY_H

#include "wmi_counter.h"

#include <stddef.h>

typedef struct wmi_history_s wmi_history_t;

/* An empty history; NULL when out of memory. Free with wmi_history_free. */
wmi_history_t *wmi_history_new(void);
/* Frees the history and every sample in it (NULL is fine). */
void wmi_history_free(wmi_history_t *h);

/* A run starts. A run begun and neither ended nor aborted is aborted. */
void wmi_history_begin(wmi_history_t *h);

/* Stores a copy of cur[0 .. n) as key's samples of this run and returns
 * key's samples of the previous completed run, or NULL when key was not in
 * it (a new instance, the first run) or had another n. The returned
 * pointer (owned by the history) stays valid until wmi_history_end or
 * wmi_history_abort. Keys are NUL-terminated strings of any length, copied;
 * compared byte for byte. Storing a key twice in one run keeps the last
 * samples (both calls get the same reference). Returns NULL also when out
 * of memory, when n is 0 or key or cur is NULL: then nothing is stored and
 * the key has no history next time. */
const wmi_counter_sample_t *wmi_history_swap(wmi_history_t *h, const char *key,
                                             const wmi_counter_sample_t *cur,
                                             size_t n);

/* The run completed: its stores become the reference, keys not stored in
 * it are forgotten. */
void wmi_history_end(wmi_history_t *h);

/* The run failed or was cancelled: the previous completed run stays the
 * reference, this run's stores are discarded. */
void wmi_history_abort(wmi_history_t *h);

/* Keys held: after end, the keys of the completed run; during a run, those
 * plus the keys new in it. For tests. */
size_t wmi_history_size(const wmi_history_t *h);

#endif
