#include "wmi_batch_cook.h"

#include "wmi_complaint_key.h"
#include "wmi_transform.h"

#include <stdio.h>
#include <stdlib.h>

/* Cooks the raw counters of sample s, of Result `result_index`, against
 * `previous` (its previous samples, NULL when none; with `summed`, s holds
 * its objects' summed differences, cooked against zero). Returns false
 * when there is no value this time. */
static bool cook_sample(wmi_sample_t *s, size_t result_index,
                        const wmi_cook_t *cook,
                        const wmi_counter_sample_t *previous, bool summed) {
  static const wmi_counter_sample_t zero;
  const wmi_result_t *r = s->result;
  for (size_t i = 0; i < r->values_from_num; i++) {
    double cooked;
    if (wmi_counter_cook(wmi_cook_type(cook, result_index, i),
                         summed     ? &zero
                         : previous ? &previous[i]
                                    : NULL,
                         &s->raw[i], &cooked, NULL) != WMI_COOK_OK)
      return false;
    s->values[i].gauge = cooked;
  }
  return true;
}

/* Ends complaint `kind` (under the key its stage complained with) about
 * sample s's instance, now that it gives a value: "instance ...: what". */
static void instance_recovered(const wmi_job_t *job, const wmi_sample_t *s,
                               wmi_complaints_t *complaints, const char *kind,
                               const char *what) {
  if (!wmi_complaints_any(complaints))
    return;
  size_t index = (size_t)(s->result - job->query->results);
  wmi_complaint_key_t k;
  wmi_complain_end(
      complaints, wmi_complaint_key_make(&k, kind, index, s->type_instance, ""),
      WMI_RESULT_WHERE "instance \"%s\": %s", WMI_RESULT_WHERE_ARGS(job, index),
      s->type_instance, what);
  wmi_complaint_key_release(&k);
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
      instance_recovered(job, s, complaints, "sum", "its sum fits again");
    if (ok && r->cooked && r->objects_from_num > 0) {
      instance_recovered(job, s, complaints, "same object",
                         "its objects are told apart again");
      /* The objects' differences, added up: the formula once. */
      ok = s->members > 0 && cook_sample(s, index, cook, NULL, true);
    } else if (ok && r->cooked) {
      /* By instance, and by how many objects were added up: a process
       * that starts or exits changes a sum by its whole lifetime's count,
       * which is not a rate of this interval. */
      char key[DATA_MAX_NAME_LEN + 48];
      snprintf(key, sizeof(key), "%zu/%zu/%s", index, s->members,
               s->type_instance);
      const wmi_counter_sample_t *previous =
          wmi_history_swap(history, key, s->raw, r->values_from_num);
      ok = cook_sample(s, index, cook, previous, false);
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
