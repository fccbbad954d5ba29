/* The samples of one query run, built from WMI objects as they arrive and
 * published into the cache as a whole when the run completes. */
#ifndef WMI_BATCH_H
#define WMI_BATCH_H

#include "wmi_complain.h"
#include "wmi_config.h"
#include "wmi_value.h"

typedef struct {
  const wmi_result_t *result; /* borrowed from the configuration */
  char type_instance[DATA_MAX_NAME_LEN];
  value_t *values; /* result->values_from_num values, owned */
} wmi_sample_t;

typedef struct {
  size_t job;     /* index into wmi_config_t.jobs */
  cdtime_t time;  /* the run's slot on its schedule: when it was due */
  size_t objects; /* objects seen, whether they gave samples or not */
  wmi_sample_t *samples;
  size_t samples_num, samples_cap;
  size_t refs; /* owned by the cache, guarded by its lock */
} wmi_batch_t;

/* Reads one property of an object into *out. Returns 0, or -1 when the
 * object has no such property. Text in *out must stay valid until the next
 * call for the same object. */
typedef int (*wmi_property_fn)(void *object, const char *name,
                               wmi_cim_value_t *out);

wmi_batch_t *wmi_batch_new(size_t job, cdtime_t time);
void wmi_batch_free(wmi_batch_t *batch);

/* Adds the samples one object yields for every Result of the job's query.
 * A NULL value skips that sample silently; an unusable one skips it with a
 * warning, once per query, result, property and instance, through
 * `complaints`. Returns 0, or -1 when out of memory. */
int wmi_batch_add_object(wmi_batch_t *batch, const wmi_job_t *job,
                         wmi_property_fn get, void *object,
                         wmi_complaints_t *complaints);

/* Drops samples whose identifier repeats an earlier one (InstancesFrom that
 * does not make instances unique), warning once per query and instance. */
void wmi_batch_drop_duplicates(wmi_batch_t *batch, const wmi_job_t *job,
                               wmi_complaints_t *complaints);

/* The sample of a type and type instance, or NULL. Linear: for tests and
 * for matching one instance with its previous sample. */
const wmi_sample_t *wmi_batch_find(const wmi_batch_t *batch, const char *type,
                                   const char *type_instance);

#endif
