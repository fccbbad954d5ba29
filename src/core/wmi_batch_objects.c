#include "wmi_batch_objects.h"

#include "wmi_complaint_key.h"

#include <stdlib.h>
#include <string.h>

static int compare_objects(const void *a, const void *b) {
  const wmi_sample_t *const *x = a, *const *y = b;
  return strcmp((*x)->object, (*y)->object);
}

static void complain_same_object(const wmi_job_t *job, const wmi_sample_t *s,
                                 wmi_complaints_t *complaints) {
  size_t index = (size_t)(s->result - job->query->results);
  wmi_complaint_key_t key;
  wmi_complain(
      complaints, LOG_WARNING,
      wmi_complaint_key_make(&key, "same object", index, s->type_instance, ""),
      WMI_RESULT_WHERE "several objects of instance \"%s\" have the same "
                       "\"ObjectsFrom\" values; their raw counters cannot be "
                       "paired from run to run, so the instance gives no "
                       "value. Name properties unique to each object in "
                       "\"ObjectsFrom\"",
      WMI_RESULT_WHERE_ARGS(job, index), s->type_instance);
  wmi_complaint_key_release(&key);
}

/* Turns one object's raw counters into its part of its instance's sum
 * (wmi_counter_difference): its differences since its own previous sample,
 * or its reading for the types that read one sample. One that has no part
 * (no previous sample, counters gone backwards) adds nothing to the sum. */
static void difference_object(wmi_sample_t *s, const wmi_job_t *job,
                              wmi_cook_t *cook) {
  size_t index = (size_t)(s->result - job->query->results);
  size_t n = s->result->values_from_num;
  const wmi_counter_sample_t *previous =
      wmi_history_swap(wmi_cook_history(cook), s->object, s->raw, n);
  for (size_t i = 0; i < n; i++)
    if (wmi_counter_difference(wmi_cook_type(cook, index, i),
                               previous ? &previous[i] : NULL, &s->raw[i],
                               &s->raw[i]) != WMI_COOK_OK) {
      s->members = 0;
      return;
    }
}

void wmi_batch_difference_objects(wmi_batch_t *batch, const wmi_job_t *job,
                                  wmi_complaints_t *complaints,
                                  wmi_cook_t *cook) {
  size_t n = 0;
  for (size_t i = 0; i < batch->samples_num; i++)
    n += batch->samples[i].object != NULL;
  if (n == 0)
    return;
  /* Sorted by key, so that objects sharing one sit side by side. */
  wmi_sample_t **sorted = malloc(n * sizeof(*sorted));
  for (size_t i = 0, k = 0; sorted != NULL && i < batch->samples_num; i++)
    if (batch->samples[i].object != NULL)
      sorted[k++] = &batch->samples[i];
  if (sorted != NULL)
    qsort(sorted, n, sizeof(*sorted), compare_objects);
  for (size_t i = 0; sorted != NULL && i < n;) {
    size_t same = 1;
    while (i + same < n &&
           strcmp(sorted[i + same]->object, sorted[i]->object) == 0)
      same++;
    if (same > 1)
      complain_same_object(job, sorted[i], complaints);
    for (size_t k = i; k < i + same; k++) {
      if (same > 1)
        sorted[k]->failed = true;
      else
        difference_object(sorted[k], job, cook);
    }
    i += same;
  }
  bool paired = sorted != NULL;
  free(sorted);
  for (size_t i = 0; i < batch->samples_num; i++) {
    wmi_sample_t *s = &batch->samples[i];
    if (s->object != NULL && !paired)
      s->failed = true; /* out of memory: no pairing, no value */
    free(s->object);
    s->object = NULL;
  }
}
