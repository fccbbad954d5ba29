#include "wmi_duplicates.h"

#include "wmi_complaint_key.h"
#include "wmi_hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t identifier_hash(const wmi_sample_t *s) {
  /* Over type, NUL, instance: "ab"+"c" and "a"+"bc" differ. */
  uint64_t h = wmi_fnv_str(WMI_FNV_OFFSET, s->result->type);
  return wmi_fnv_str(wmi_fnv_byte(h, 0), s->type_instance);
}

static bool same_identifier(const wmi_sample_t *a, const wmi_sample_t *b) {
  return strcmp(a->type_instance, b->type_instance) == 0 &&
         (a->result == b->result ||
          strcmp(a->result->type, b->result->type) == 0);
}

static void complain_duplicate(const wmi_job_t *job, const wmi_sample_t *kept,
                               const wmi_sample_t *dropped,
                               wmi_complaints_t *complaints) {
  size_t kept_index = (size_t)(kept->result - job->query->results);
  size_t dropped_index = (size_t)(dropped->result - job->query->results);
  wmi_complaint_key_t key;
  wmi_complaint_key_make(&key, "duplicate", 0, kept->result->type,
                         kept->type_instance);
  if (kept_index == dropped_index && kept->result->cooked)
    wmi_complain(complaints, LOG_WARNING, key.text,
                 WMI_RESULT_WHERE
                 "several objects give the instance \"%s\" (type "
                 "\"%s\"); their raw counters cannot be paired from "
                 "run to run, so it gives no value. Add a property "
                 "that is unique to \"InstancesFrom\", or use "
                 "Duplicates \"sum\"",
                 WMI_RESULT_WHERE_ARGS(job, kept_index), kept->type_instance,
                 kept->result->type);
  else if (kept_index == dropped_index)
    wmi_complain(complaints, LOG_WARNING, key.text,
                 WMI_RESULT_WHERE
                 "several objects give the instance \"%s\" (type "
                 "\"%s\"); only one is kept. Add a property that is "
                 "unique to \"InstancesFrom\"",
                 WMI_RESULT_WHERE_ARGS(job, kept_index), kept->type_instance,
                 kept->result->type);
  else
    wmi_complain(complaints, LOG_WARNING, key.text,
                 "Host \"%s\", Query \"%s\": Results %zu and %zu both give "
                 "type \"%s\", instance \"%s\"; only Result %zu's value is "
                 "kept. Tell them apart with \"InstancePrefix\"",
                 job->host->name, job->query->name, kept_index + 1,
                 dropped_index + 1, kept->result->type, kept->type_instance,
                 kept_index + 1);
  wmi_complaint_key_release(&key);
}

/* Adds `more` into `into` (Duplicates "sum"), raw counters before they
 * are cooked (with ObjectsFrom, the objects' differences: an object that
 * has none this run, members 0, adds nothing, and the first that has some
 * sets them), values before Scale and Shift. Integer sums must stay
 * exact: one past the 64-bit range fails the sum, which is then dropped. */
static bool add_values(wmi_sample_t *into, const wmi_sample_t *more) {
  const wmi_result_t *r = into->result;
  if (r->objects_from_num > 0 && (more->members == 0 || into->members == 0)) {
    if (more->members != 0)
      memcpy(into->raw, more->raw, r->values_from_num * sizeof(*into->raw));
    return true;
  }
  for (size_t i = 0; i < r->values_from_num; i++) {
    if (r->cooked) {
      wmi_counter_sample_t *a = &into->raw[i];
      const wmi_counter_sample_t *b = &more->raw[i];
      if (a->value > UINT64_MAX - b->value || a->base > UINT64_MAX - b->base)
        return false;
      a->value += b->value;
      a->base += b->base;
      if (b->time > a->time) /* the objects of one run share their clock */
        a->time = b->time;   /* (and their interval dD, with ObjectsFrom) */
      continue;
    }
    value_t *a = &into->values[i];
    const value_t *b = &more->values[i];
    switch (r->ds_types[i]) {
    case DS_TYPE_GAUGE:
      a->gauge += b->gauge;
      break;
    case DS_TYPE_DERIVE:
      if (__builtin_add_overflow(a->derive, b->derive, &a->derive))
        return false;
      break;
    case DS_TYPE_COUNTER:
      if (__builtin_add_overflow(a->counter, b->counter, &a->counter))
        return false;
      break;
    case DS_TYPE_ABSOLUTE:
      if (__builtin_add_overflow(a->absolute, b->absolute, &a->absolute))
        return false;
      break;
    }
  }
  return true;
}

static void complain_sum(const wmi_job_t *job, const wmi_sample_t *s,
                         wmi_complaints_t *complaints) {
  size_t index = (size_t)(s->result - job->query->results);
  wmi_complaint_key_t key;
  wmi_complain(complaints, LOG_WARNING,
               wmi_complaint_key_make(&key, "sum", index, s->type_instance, ""),
               WMI_RESULT_WHERE
               "instance \"%s\": the sum of its objects' values does "
               "not fit a 64-bit integer; skipped",
               WMI_RESULT_WHERE_ARGS(job, index), s->type_instance);
  wmi_complaint_key_release(&key);
}

/* An open addressing table of kept samples' indexes, sized to stay half
 * empty. */
void wmi_duplicates_merge(wmi_batch_t *batch, const wmi_job_t *job,
                          wmi_complaints_t *complaints) {
  if (batch->samples_num < 2)
    return;
  size_t size = 4;
  while (size < 2 * batch->samples_num)
    size *= 2;
  size_t *table = malloc(size * sizeof(*table));
  if (table == NULL) {
    /* Out of memory: better duplicates than no values, except for raw
     * counters, which duplicates would pair wrongly. */
    for (size_t i = 0; i < batch->samples_num; i++)
      if (batch->samples[i].result->cooked)
        batch->samples[i].failed = true;
    return;
  }
  memset(table, 0xff, size * sizeof(*table)); /* SIZE_MAX: empty */
  size_t kept = 0;
  for (size_t i = 0; i < batch->samples_num; i++) {
    wmi_sample_t *s = &batch->samples[i];
    size_t at = (size_t)identifier_hash(s) & (size - 1);
    while (table[at] != SIZE_MAX &&
           !same_identifier(&batch->samples[table[at]], s))
      at = (at + 1) & (size - 1);
    if (table[at] != SIZE_MAX) {
      wmi_sample_t *first = &batch->samples[table[at]];
      bool same_result = first->result == s->result;
      if (same_result && s->result->duplicates == WMI_DUPLICATES_SUM) {
        if (s->failed)
          first->failed = true;
        else if (!first->failed && !add_values(first, s)) {
          first->failed = true;
          complain_sum(job, first, complaints);
        }
        first->members += s->members;
      } else if (!same_result && first->failed && !s->failed) {
        /* The first gives no value anyway: the other Result's does. */
        complain_duplicate(job, s, first, complaints);
        free(first->values);
        free(first->raw);
        *first = *s;
        continue;
      } else {
        complain_duplicate(job, first, s, complaints);
        /* Which object comes first may change from run to run: a counter
         * kept from one would be paired with another's. */
        if (same_result && s->result->cooked)
          first->failed = true;
      }
      free(s->values);
      free(s->raw);
      continue;
    }
    table[at] = kept;
    batch->samples[kept++] = *s;
  }
  batch->samples_num = kept;
  free(table);
}
