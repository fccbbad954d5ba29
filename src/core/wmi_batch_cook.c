#include "wmi_batch_cook.h"

#include "wmi_complaint_key.h"
#include "wmi_duplicates.h"
#include "wmi_transform.h"

#include <stdio.h>
#include <stdlib.h>

bool wmi_batch_cook_sample(wmi_sample_t *s, size_t result_index,
                           const wmi_cook_t *cook,
                           const wmi_counter_sample_t *previous) {
  const wmi_result_t *r = s->result;
  for (size_t i = 0; i < r->values_from_num; i++) {
    double cooked;
    if (wmi_counter_cook(wmi_cook_type(cook, result_index, i),
                         previous ? &previous[i] : NULL, &s->raw[i], &cooked,
                         NULL) != WMI_COOK_OK)
      return false;
    s->values[i].gauge = cooked;
  }
  return true;
}

/* Scales a sample whose scaling waited (cooked, or summed). */
static bool scale_sample(wmi_sample_t *s, const wmi_job_t *job,
                         wmi_complaints_t *complaints) {
  const wmi_result_t *r = s->result;
  if (!r->scaled)
    return true;
  size_t index = (size_t)(r - job->query->results);
  for (size_t i = 0; i < r->values_from_num; i++) {
    char why[256];
    wmi_complaint_key_t key;
    if (wmi_transform_scale(r, r->ds_types[i], &s->values[i], why,
                            sizeof(why)) == 0) {
      if (!wmi_complaints_any(complaints))
        continue;
      wmi_complain_end(
          complaints,
          wmi_complaint_key_make(&key, "scale", index, r->values_from[i],
                                 s->type_instance),
          WMI_RESULT_WHERE "property \"%s\", instance \"%s\": values are "
                           "usable again",
          WMI_RESULT_WHERE_ARGS(job, index), r->values_from[i],
          s->type_instance);
      wmi_complaint_key_release(&key);
      continue;
    }
    wmi_complain(complaints, LOG_WARNING,
                 wmi_complaint_key_make(&key, "scale", index, r->values_from[i],
                                        s->type_instance),
                 WMI_RESULT_WHERE
                 "property \"%s\", instance \"%s\": value skipped: %s",
                 WMI_RESULT_WHERE_ARGS(job, index), r->values_from[i],
                 s->type_instance, why);
    wmi_complaint_key_release(&key);
    return false;
  }
  return true;
}

void wmi_batch_cook(wmi_batch_t *batch, const wmi_job_t *job,
                    wmi_complaints_t *complaints, wmi_cook_t *cook) {
  wmi_history_t *history = cook ? wmi_cook_history(cook) : NULL;
  size_t kept = 0;
  for (size_t i = 0; i < batch->samples_num; i++) {
    wmi_sample_t *s = &batch->samples[i];
    const wmi_result_t *r = s->result;
    size_t index = (size_t)(r - job->query->results);
    bool ok = !s->failed;
    if (ok && r->duplicates == WMI_DUPLICATES_SUM)
      wmi_duplicates_sum_fits(job, s, complaints);
    if (ok && r->cooked && r->objects_from_num > 0) {
      ok = s->members > 0; /* cooked object by object, then added up */
    } else if (ok && r->cooked) {
      /* By instance, and by how many objects were added up: a process
       * that starts or exits changes a sum by its whole lifetime's count,
       * which is not a rate of this interval. */
      char key[DATA_MAX_NAME_LEN + 48];
      snprintf(key, sizeof(key), "%zu/%zu/%s", index, s->members,
               s->type_instance);
      const wmi_counter_sample_t *previous =
          wmi_history_swap(history, key, s->raw, r->values_from_num);
      ok = wmi_batch_cook_sample(s, index, cook, previous);
    }
    if (ok && (r->cooked || s->unscaled))
      ok = scale_sample(s, job, complaints);
    free(s->raw);
    s->raw = NULL;
    if (!ok) {
      free(s->values);
      continue;
    }
    batch->samples[kept++] = *s;
  }
  batch->samples_num = kept;
}
