/* The batch's first stage: one object's properties into a sample of a
 * Result. Reads the type instance and the values, each mapped, converted
 * for its data source and scaled (wmi_transform.h), or, with CounterType,
 * the raw counters and the properties their types read besides, as exact
 * unsigned integers to be cooked at finish, and with ObjectsFrom the key
 * of the object they belong to. A NULL value gives no sample,
 * silently. An unusable value is warned of once per result, property and
 * instance until it is usable again; a missing property once, until a
 * whole run has it in every object. Called on the thread that builds the
 * batch; the object is read only during the call. */
#ifndef WMI_BATCH_CONVERT_H
#define WMI_BATCH_CONVERT_H

#include "wmi_batch.h"

typedef enum {
  WMI_READ_OK,
  WMI_READ_NULL,   /* a value is NULL: the object gives none, silently */
  WMI_READ_FAILED, /* a property is missing or a value unusable: warned */
} wmi_read_status_t;

/* The type instance of Result `result_index` for `object`: InstancePrefix
 * and the InstancesFrom values, sanitized, into out. Returns -1 when a
 * property is missing, or when the name is longer than collectd keeps
 * (DATA_MAX_NAME_LEN - 1 characters: cut, two long names could collide
 * unseen), with a warning. */
int wmi_batch_convert_instance(wmi_batch_t *batch, const wmi_job_t *job,
                               size_t result_index, wmi_property_fn get,
                               void *object, char out[DATA_MAX_NAME_LEN],
                               wmi_complaints_t *complaints);

/* Reads the values (or raw counters, with the types in cook) of Result
 * `result_index` into s, whose type instance is set. A value is scaled
 * here unless its Result cooks or sums duplicates: then at finish. */
wmi_read_status_t
wmi_batch_convert_values(wmi_batch_t *batch, const wmi_job_t *job,
                         size_t result_index, wmi_property_fn get, void *object,
                         const wmi_cook_t *cook, wmi_sample_t *s,
                         wmi_complaints_t *complaints);

/* With ObjectsFrom: s->object becomes the key that pairs this object's
 * raw counters from run to run (wmi_batch_objects.h): Result, type
 * instance and the ObjectsFrom values, whole. WMI_READ_NULL when one is
 * NULL (the object has no identity this run); WMI_READ_FAILED, with a
 * warning, when one is missing (or, silently, when out of memory). */
wmi_read_status_t
wmi_batch_convert_object(wmi_batch_t *batch, const wmi_job_t *job,
                         size_t result_index, wmi_property_fn get, void *object,
                         wmi_sample_t *s, wmi_complaints_t *complaints);

/* At finish: ends the "missing property" complaints of properties this
 * run's objects all had, and forgets which properties they had. */
void wmi_batch_convert_end_missing(wmi_batch_t *batch, const wmi_job_t *job,
                                   wmi_complaints_t *complaints);

#endif
