/* The samples of one query run, built from WMI objects as they arrive and
 * published into the cache as a whole when the run completes. */
#ifndef WMI_BATCH_H
#define WMI_BATCH_H

#include "wmi_complain.h"
#include "wmi_config_model.h"
#include "wmi_cook.h"
#include "wmi_value.h"

typedef struct {
  const wmi_result_t *result; /* borrowed from the configuration */
  char type_instance[DATA_MAX_NAME_LEN];
  value_t *values; /* result->values_from_num values, owned */
  /* Results with CounterType: the raw counters, one per value, owned;
   * the values are cooked from them when the run completes. */
  wmi_counter_sample_t *raw;
  /* Duplicates "sum": values not yet scaled, until they are added up. */
  bool unscaled;
  /* A sample that gives no value this run, kept until the run completes
   * so that the group it belongs to (Duplicates "sum", or an instance of a
   * cooked Result) gives none either: a value that could not be read, a
   * sum that overflowed, a cooked instance that several objects gave. */
  bool failed;
  /* Objects added up into it (Duplicates "sum"). With ObjectsFrom, those
   * whose cooked values it holds: 0 until one gives a value this run. */
  size_t members;
  /* ObjectsFrom: the key pairing this object's raw counters from run to
   * run (wmi_batch_convert_object), owned; NULL once cooked. */
  char *object;
} wmi_sample_t;

typedef struct wmi_batch_s {
  size_t job;     /* index into wmi_config_t.jobs */
  cdtime_t time;  /* the run's slot on its schedule: when it was due */
  size_t objects; /* objects seen, whether they gave samples or not */
  wmi_sample_t *samples;
  size_t samples_num, samples_cap;
  struct wmi_batch_s *next; /* the cache's lists and wmi_cache_take's */
  /* The cache's other links while it holds the batch, room kept here so
   * that publishing allocates nothing. What they mean is wmi_cache.c's
   * business: no other file reads or writes them. */
  struct wmi_batch_s *cache_links[2];
  /* Private to the convert stage while the run lasts: per property of the
   * job's Results, whether objects had it (wmi_batch_convert.c). */
  unsigned char *property_seen;
} wmi_batch_t;

/* Reads one property of an object into *out. Returns 0, or -1 when the
 * object has no such property. Text in *out must stay valid until the next
 * call for the same object. */
typedef int (*wmi_property_fn)(void *object, const char *name,
                               wmi_cim_value_t *out);

/* An empty batch of job `job` (an index into wmi_config_t.jobs) for the
 * run due at `time`. NULL when out of memory. Free with wmi_batch_free
 * unless it is published (wmi_cache_publish takes it). Any thread. */
wmi_batch_t *wmi_batch_new(size_t job, cdtime_t time);
void wmi_batch_free(wmi_batch_t *batch);

/* Adds the samples one object yields for every Result of the job's query
 * (the convert stage: wmi_batch_convert.h). `complaints` is the job's own
 * set, for the warnings of values skipped; `cook` its cooking state (NULL
 * only when no Result has CounterType), ready (see wmi_cook_ready). The
 * object is read only during the call. Returns 0, or -1 when out of memory.
 * Called by the thread that builds the batch, one object at a time. */
int wmi_batch_add_object(wmi_batch_t *batch, const wmi_job_t *job,
                         wmi_property_fn get, void *object,
                         wmi_complaints_t *complaints, const wmi_cook_t *cook);

/* Call once when the run completed, before publishing the batch, on the
 * thread that built it: cooks each object of Results with ObjectsFrom
 * (wmi_batch_objects.h), merges duplicates (wmi_duplicates.h), then cooks
 * and scales what waited for the whole run against `cook`'s history
 * (wmi_batch_cook.h), and leaves only samples with values. */
void wmi_batch_finish(wmi_batch_t *batch, const wmi_job_t *job,
                      wmi_complaints_t *complaints, wmi_cook_t *cook);

/* The sample of a type and type instance, or NULL. Linear: for tests. */
const wmi_sample_t *wmi_batch_find(const wmi_batch_t *batch, const char *type,
                                   const char *type_instance);

#endif
