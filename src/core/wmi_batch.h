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
  size_t members; /* objects added up into it (Duplicates "sum") */
} wmi_sample_t;

typedef struct wmi_batch_s {
  size_t job;     /* index into wmi_config_t.jobs */
  cdtime_t time;  /* the run's slot on its schedule: when it was due */
  size_t objects; /* objects seen, whether they gave samples or not */
  wmi_sample_t *samples;
  size_t samples_num, samples_cap;
  struct wmi_batch_s *next; /* the cache's lists and wmi_cache_take's */
  /* Private to the cache: its publish-order list is doubly linked, and
   * each job's results are chained oldest first, so that dropping a job's
   * oldest result unlinks it in O(1). */
  struct wmi_batch_s *cache_prev, *cache_job_next;
  /* Private to the builder while the run lasts: per property of the
   * job's Results, whether objects had it (see wmi_batch_finish). */
  unsigned char *property_seen;
} wmi_batch_t;

/* Reads one property of an object into *out. Returns 0, or -1 when the
 * object has no such property. Text in *out must stay valid until the next
 * call for the same object. */
typedef int (*wmi_property_fn)(void *object, const char *name,
                               wmi_cim_value_t *out);

wmi_batch_t *wmi_batch_new(size_t job, cdtime_t time);
void wmi_batch_free(wmi_batch_t *batch);

/* Adds the samples one object yields for every Result of the job's query.
 * `complaints` is the job's own set; `cook` its cooking state (NULL only
 * when no Result has CounterType), ready (see wmi_cook_ready). A Result
 * with CounterType reads the raw counters, and the properties their types
 * need besides, as exact unsigned integers: they are cooked at finish. Each
 * value is converted for its data source, then scaled (value * Scale + Shift;
 * integers stay exact). With a ValueMap, a string value is first replaced by
 * its mapped number (or the ValueMapDefault); an unmapped one is skipped with
 * the warning below. A NULL value skips that sample silently; an unusable one
 * (or one whose scaled value the data source cannot hold) skips it with a
 * warning, once per result, property and instance until the value is usable
 * again. So does a type instance longer than collectd keeps (DATA_MAX_NAME_LEN
 * - 1 characters): cut, two long names could collide unseen. A property missing
 * from the object skips the sample with a warning once until a run has it in
 * every object. Returns 0, or -1 when out of memory. */
int wmi_batch_add_object(wmi_batch_t *batch, const wmi_job_t *job,
                         wmi_property_fn get, void *object,
                         wmi_complaints_t *complaints, const wmi_cook_t *cook);

/* Call once when the run completed, before publishing the batch. Samples
 * whose identifier (type and type instance) repeats an earlier one of the
 * same Result are added into it with Duplicates "sum"; otherwise, and
 * always across Results, the first is kept with a warning once per type
 * and instance. Then Results with CounterType are cooked against the
 * previous completed run's sample of the same instance (cook is the job's
 * state: NULL only when no Result cooks); an instance without one (new,
 * the first run) or whose counters went backwards gives no value this
 * time. Ends the "missing property" complaints of properties that every
 * object of this run had. */
void wmi_batch_finish(wmi_batch_t *batch, const wmi_job_t *job,
                      wmi_complaints_t *complaints, wmi_cook_t *cook);

/* The sample of a type and type instance, or NULL. Linear: for tests. */
const wmi_sample_t *wmi_batch_find(const wmi_batch_t *batch, const char *type,
                                   const char *type_instance);

#endif
