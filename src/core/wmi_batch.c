/* The batch and its pipeline. Each object goes through the convert stage
 * as it arrives (wmi_batch_convert.c, with the value transforms of
 * wmi_transform.c); when the run completes, finish cooks object by object
 * what ObjectsFrom pairs (wmi_batch_objects.c), merges duplicates
 * (wmi_duplicates.c), then cooks and scales what waited for the whole run
 * (wmi_batch_cook.c), then ends the complaints of properties every object
 * had (wmi_batch_convert.c). The two cooking stages share the job's
 * history, one run of it per batch. */
#include "wmi_batch.h"

#include "wmi_batch_convert.h"
#include "wmi_batch_cook.h"
#include "wmi_batch_objects.h"
#include "wmi_duplicates.h"

#include <stdlib.h>
#include <string.h>

wmi_batch_t *wmi_batch_new(size_t job, cdtime_t time) {
  wmi_batch_t *batch = calloc(1, sizeof(*batch));
  if (batch == NULL)
    return NULL;
  batch->job = job;
  batch->time = time;
  return batch;
}

void wmi_batch_free(wmi_batch_t *batch) {
  if (batch == NULL)
    return;
  for (size_t i = 0; i < batch->samples_num; i++) {
    free(batch->samples[i].values);
    free(batch->samples[i].raw);
    free(batch->samples[i].object);
  }
  free(batch->samples);
  free(batch->property_seen);
  free(batch);
}

static wmi_sample_t *next_sample(wmi_batch_t *batch) {
  if (batch->samples_num == batch->samples_cap) {
    size_t cap = batch->samples_cap ? 2 * batch->samples_cap : 16;
    wmi_sample_t *grown = realloc(batch->samples, cap * sizeof(*grown));
    if (grown == NULL)
      return NULL;
    batch->samples = grown;
    batch->samples_cap = cap;
  }
  return &batch->samples[batch->samples_num];
}

int wmi_batch_add_object(wmi_batch_t *batch, const wmi_job_t *job,
                         wmi_property_fn get, void *object,
                         wmi_complaints_t *complaints, const wmi_cook_t *cook) {
  batch->objects++;
  for (size_t i = 0; i < job->query->results_num; i++) {
    const wmi_result_t *r = &job->query->results[i];
    wmi_sample_t *s = next_sample(batch);
    if (s == NULL)
      return -1;
    memset(s, 0, sizeof(*s));
    s->result = r;
    if (wmi_batch_convert_instance(batch, job, i, get, object, s->type_instance,
                                   complaints) != 0)
      continue;
    s->values = calloc(r->values_from_num, sizeof(value_t));
    if (r->cooked)
      s->raw = calloc(r->values_from_num, sizeof(*s->raw));
    if (s->values == NULL || (r->cooked && s->raw == NULL)) {
      free(s->values);
      free(s->raw);
      return -1;
    }
    s->unscaled = r->scaled && r->duplicates == WMI_DUPLICATES_SUM;
    s->members = 1;
    wmi_read_status_t read = wmi_batch_convert_values(
        batch, job, i, get, object, cook, s, complaints);
    if (read == WMI_READ_OK && r->objects_from_num > 0)
      read =
          wmi_batch_convert_object(batch, job, i, get, object, s, complaints);
    if (read != WMI_READ_OK) {
      free(s->values);
      free(s->raw);
      free(s->object);
      s->values = NULL;
      s->raw = NULL;
      s->object = NULL;
      /* A NULL (no value) leaves the object out of a sum, as it leaves it
       * out of everything. A sum without an object whose value is
       * unusable, or a counter paired with another object's, would be
       * wrong: the instance keeps its place, failed. */
      bool sum = r->duplicates == WMI_DUPLICATES_SUM;
      if ((!sum && !r->cooked) || (sum && read == WMI_READ_NULL))
        continue;
      s->failed = true;
    }
    batch->samples_num++;
  }
  return 0;
}

void wmi_batch_finish(wmi_batch_t *batch, const wmi_job_t *job,
                      wmi_complaints_t *complaints, wmi_cook_t *cook) {
  wmi_history_t *history = cook ? wmi_cook_history(cook) : NULL;
  wmi_history_begin(history);
  wmi_batch_difference_objects(batch, job, complaints, cook);
  wmi_duplicates_merge(batch, job, complaints);
  wmi_batch_cook(batch, job, complaints, cook);
  wmi_history_end(history);
  wmi_batch_convert_end_missing(batch, job, complaints);
  /* The batch may wait in the cache for several intervals: give back what
   * the doubling left unused. */
  if (batch->samples_num == 0) {
    free(batch->samples);
    batch->samples = NULL;
    batch->samples_cap = 0;
  } else if (batch->samples_num < batch->samples_cap) {
    wmi_sample_t *fit =
        realloc(batch->samples, batch->samples_num * sizeof(*fit));
    if (fit != NULL) {
      batch->samples = fit;
      batch->samples_cap = batch->samples_num;
    }
  }
}

const wmi_sample_t *wmi_batch_find(const wmi_batch_t *batch, const char *type,
                                   const char *type_instance) {
  for (size_t i = 0; i < batch->samples_num; i++)
    if (strcmp(batch->samples[i].result->type, type) == 0 &&
        strcmp(batch->samples[i].type_instance, type_instance) == 0)
      return &batch->samples[i];
  return NULL;
}
