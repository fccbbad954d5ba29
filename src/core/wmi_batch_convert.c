#include "wmi_batch_convert.h"

#include "wmi_complaint_key.h"
#include "wmi_naming.h"
#include "wmi_transform.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The states of property_seen[]: bits, since one run can see both. */
#define PROPERTY_PRESENT 1
#define PROPERTY_MISSING 2

/* The lists of property names a Result reads, in their order in
 * property_seen[]. */
typedef enum { PART_INSTANCE, PART_VALUE, PART_OBJECT, PARTS_NUM } part_t;

static const char *const part_option[PARTS_NUM] = {"InstancesFrom",
                                                   "ValuesFrom", "ObjectsFrom"};

static size_t part_num(const wmi_result_t *r, part_t part) {
  return part == PART_INSTANCE ? r->instances_from_num
         : part == PART_VALUE  ? r->values_from_num
                               : r->objects_from_num;
}

static const char *part_property(const wmi_result_t *r, part_t part, size_t i) {
  return part == PART_INSTANCE ? r->instances_from[i]
         : part == PART_VALUE  ? r->values_from[i]
                               : r->objects_from[i];
}

static size_t result_properties_num(const wmi_result_t *r) {
  return r->instances_from_num + r->values_from_num + r->objects_from_num;
}

/* Where a Result's properties sit in property_seen[]: Result by Result,
 * its parts in part_t's order. */
static size_t property_slot(const wmi_job_t *job, size_t result_index,
                            part_t part, size_t i) {
  size_t slot = 0;
  for (size_t r = 0; r < result_index; r++)
    slot += result_properties_num(&job->query->results[r]);
  for (part_t p = PART_INSTANCE; p < part; p++)
    slot += part_num(&job->query->results[result_index], p);
  return slot + i;
}

static size_t properties_num(const wmi_job_t *job) {
  return property_slot(job, job->query->results_num, PART_INSTANCE, 0);
}

/* Records that an object had, or lacked, a property. Presence is recorded
 * only while the job has open complaints: it serves to end them. */
static void note_property(wmi_batch_t *batch, const wmi_job_t *job,
                          size_t result_index, part_t part, size_t i,
                          unsigned char state) {
  if (batch->property_seen == NULL) {
    batch->property_seen = calloc(properties_num(job), 1);
    if (batch->property_seen == NULL)
      return; /* out of memory: complaints stay open a little longer */
  }
  batch->property_seen[property_slot(job, result_index, part, i)] |= state;
}

/* Reads a property; a missing one is complained about and recorded. */
static int get_property(wmi_batch_t *batch, const wmi_job_t *job,
                        size_t result_index, part_t part, size_t i,
                        wmi_property_fn get, void *object,
                        wmi_complaints_t *complaints, wmi_cim_value_t *out) {
  const wmi_result_t *r = &job->query->results[result_index];
  const char *property = part_property(r, part, i);
  if (get(object, property, out) == 0) {
    if (wmi_complaints_any(complaints))
      note_property(batch, job, result_index, part, i, PROPERTY_PRESENT);
    return 0;
  }
  note_property(batch, job, result_index, part, i, PROPERTY_MISSING);
  const char *option = part_option[part];
  wmi_complaint_key_t key;
  wmi_complain(
      complaints, LOG_WARNING,
      wmi_complaint_key_make(&key, "missing", result_index, option, property),
      WMI_RESULT_WHERE "option \"%s\": property \"%s\" is not in the query's "
                       "results",
      WMI_RESULT_WHERE_ARGS(job, result_index), option, property);
  wmi_complaint_key_release(&key);
  return -1;
}

/* An instance part, sanitized as in the type instance; a string without
 * its "#n" suffix when `strip` (StripInstanceNumber). `len` is one more
 * than collectd keeps, so that a part too long shows in the joined name. */
static void instance_text(const wmi_cim_value_t *v, bool strip, char *buf,
                          size_t len) {
  switch (v->kind) {
  case WMI_CIM_STRING:
    wmi_name_sanitize_n(buf, len, v->u.text,
                        strip ? wmi_name_instance_number_at(v->u.text)
                              : strlen(v->u.text));
    return;
  case WMI_CIM_DATETIME:
    wmi_name_sanitize(buf, len, v->u.text);
    return;
  case WMI_CIM_SINT:
    snprintf(buf, len, "%" PRId64, v->u.sint);
    return;
  case WMI_CIM_UINT:
    snprintf(buf, len, "%" PRIu64, v->u.uint);
    return;
  case WMI_CIM_REAL:
    snprintf(buf, len, "%g", v->u.real);
    return;
  case WMI_CIM_BOOLEAN:
    snprintf(buf, len, "%s", v->u.boolean ? "true" : "false");
    return;
  case WMI_CIM_NULL:
  case WMI_CIM_UNSUPPORTED:
    break;
  }
  buf[0] = '\0';
}

int wmi_batch_convert_instance(wmi_batch_t *batch, const wmi_job_t *job,
                               size_t result_index, wmi_property_fn get,
                               void *object, char out[DATA_MAX_NAME_LEN],
                               wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  char texts[WMI_MAX_INSTANCES_FROM][DATA_MAX_NAME_LEN + 1];
  const char *parts[WMI_MAX_INSTANCES_FROM + 1] = {r->instance_prefix};
  size_t num = 1;
  for (size_t i = 0; i < r->instances_from_num; i++) {
    wmi_cim_value_t v;
    if (get_property(batch, job, result_index, PART_INSTANCE, i, get, object,
                     complaints, &v) != 0)
      return -1;
    instance_text(&v, r->strip_instance_number, texts[i], sizeof(texts[i]));
    parts[num++] = texts[i];
  }
  char name[DATA_MAX_NAME_LEN + 1];
  wmi_name_join(name, sizeof(name), parts, num);
  if (strlen(name) >= DATA_MAX_NAME_LEN) {
    name[DATA_MAX_NAME_LEN - 1] = '\0';
    wmi_complaint_key_t key;
    wmi_complain(
        complaints, LOG_WARNING,
        wmi_complaint_key_make(&key, "long", result_index, name, ""),
        WMI_RESULT_WHERE "the type instance \"%s...\" is longer than the %d "
                         "characters collectd keeps; its values are skipped",
        WMI_RESULT_WHERE_ARGS(job, result_index), name, DATA_MAX_NAME_LEN - 1);
    wmi_complaint_key_release(&key);
    return -1;
  }
  memcpy(out, name, strlen(name) + 1);
  return 0;
}

/* Maps and converts one property value for data source i, then scales it
 * (unless the Result sums duplicates: scaled once added up). */
static wmi_convert_status_t value_of(const wmi_result_t *r, size_t i,
                                     const wmi_cim_value_t *raw, value_t *out,
                                     char *why, size_t why_len) {
  wmi_cim_value_t mapped, *in = &mapped;
  if (wmi_transform_map(r, raw, &mapped, why, why_len) != 0)
    return WMI_CONVERT_ERROR;
  wmi_convert_status_t status =
      wmi_value_convert(in, r->ds_types[i], out, why, why_len);
  if (status == WMI_CONVERT_OK && r->scaled &&
      r->duplicates != WMI_DUPLICATES_SUM &&
      wmi_transform_scale(r, r->ds_types[i], out, why, why_len) != 0)
    return WMI_CONVERT_ERROR;
  return status;
}

/* A raw counter, its base, a timestamp or a frequency: an exact unsigned
 * integer (uint64 properties arrive as decimal text). */
static wmi_convert_status_t counter_of(const wmi_cim_value_t *in, uint64_t *out,
                                       char *why, size_t why_len) {
  value_t v;
  wmi_convert_status_t status =
      wmi_value_convert(in, DS_TYPE_COUNTER, &v, why, why_len);
  *out = (uint64_t)v.counter;
  return status;
}

/* Complains of an unusable value, or ends that complaint. Returns 0 when
 * the value is usable. */
static int check_converted(wmi_convert_status_t status, const wmi_job_t *job,
                           size_t result_index, const char *property,
                           const char *type_instance, const char *why,
                           wmi_complaints_t *complaints) {
  wmi_complaint_key_t key;
  switch (status) {
  case WMI_CONVERT_OK:
    /* The common case: no key to build while nothing is complained of. */
    if (!wmi_complaints_any(complaints))
      return 0;
    wmi_complain_end(
        complaints,
        wmi_complaint_key_make(&key, "value", result_index, property,
                               type_instance),
        WMI_RESULT_WHERE "property \"%s\", instance \"%s\": values are "
                         "usable again",
        WMI_RESULT_WHERE_ARGS(job, result_index), property, type_instance);
    wmi_complaint_key_release(&key);
    return 0;
  case WMI_CONVERT_NULL:
    return -1;
  case WMI_CONVERT_ERROR:
    wmi_complain(
        complaints, LOG_WARNING,
        wmi_complaint_key_make(&key, "value", result_index, property,
                               type_instance),
        WMI_RESULT_WHERE "property \"%s\", instance \"%s\": value skipped: %s",
        WMI_RESULT_WHERE_ARGS(job, result_index), property, type_instance, why);
    wmi_complaint_key_release(&key);
    return -1;
  }
  return -1;
}

/* The properties a counter type reads besides the counter itself. A
 * missing one is complained of like a missing ValuesFrom property. */
static int read_counter_extras(const wmi_job_t *job, size_t result_index,
                               const char *property, uint32_t type,
                               wmi_property_fn get, void *object,
                               const char *type_instance,
                               wmi_counter_sample_t *raw,
                               wmi_complaints_t *complaints) {
  unsigned needs = wmi_counter_needs(type);
  char name[WMI_PROPERTY_MAX];
  for (size_t k = 0;
       wmi_counter_property(type, property, k, name, sizeof(name)) == 0; k++) {
    wmi_cim_value_t v;
    wmi_complaint_key_t key;
    bool present = get(object, name, &v) == 0;
    if (present && wmi_complaints_any(complaints)) {
      wmi_complain_end(complaints,
                       wmi_complaint_key_make(&key, "missing", result_index,
                                              "CounterType", name),
                       WMI_RESULT_WHERE
                       "property \"%s\" is in the query's results again",
                       WMI_RESULT_WHERE_ARGS(job, result_index), name);
      wmi_complaint_key_release(&key);
    }
    if (!present) {
      wmi_complain(complaints, LOG_WARNING,
                   wmi_complaint_key_make(&key, "missing", result_index,
                                          "CounterType", name),
                   WMI_RESULT_WHERE
                   "option \"CounterType\": %s needs property \"%s\", "
                   "which is not in the query's results",
                   WMI_RESULT_WHERE_ARGS(job, result_index),
                   wmi_counter_type_name(type), name);
      wmi_complaint_key_release(&key);
      return -1;
    }
    char why[256] = "";
    uint64_t n = 0;
    wmi_convert_status_t status = counter_of(&v, &n, why, sizeof(why));
    if (check_converted(status, job, result_index, name, type_instance, why,
                        complaints) != 0)
      return -1;
    /* The names come in this order: base, then time, then frequency. */
    if ((needs & WMI_COUNTER_NEEDS_BASE) && k == 0)
      raw->base = n;
    else if (strncmp(name, "Timestamp_", 10) == 0)
      raw->time = n;
    else
      raw->frequency = n;
  }
  return 0;
}

wmi_read_status_t
wmi_batch_convert_values(wmi_batch_t *batch, const wmi_job_t *job,
                         size_t result_index, wmi_property_fn get, void *object,
                         const wmi_cook_t *cook, wmi_sample_t *s,
                         wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  for (size_t i = 0; i < r->values_from_num; i++) {
    const char *property = r->values_from[i];
    wmi_cim_value_t v;
    if (get_property(batch, job, result_index, PART_VALUE, i, get, object,
                     complaints, &v) != 0)
      return WMI_READ_FAILED;
    char why[256] = "";
    wmi_convert_status_t status;
    if (r->cooked)
      status = counter_of(&v, &s->raw[i].value, why, sizeof(why));
    else
      status = value_of(r, i, &v, &s->values[i], why, sizeof(why));
    if (check_converted(status, job, result_index, property, s->type_instance,
                        why, complaints) != 0)
      return status == WMI_CONVERT_NULL ? WMI_READ_NULL : WMI_READ_FAILED;
    if (r->cooked &&
        read_counter_extras(job, result_index, property,
                            wmi_cook_type(cook, result_index, i), get, object,
                            s->type_instance, &s->raw[i], complaints) != 0)
      return WMI_READ_FAILED;
  }
  return WMI_READ_OK;
}

/* Appends "<length>:<text>" to the NUL-terminated *key, which grows. The
 * lengths make the key unambiguous whatever the texts hold. */
static int key_append(char **key, const char *text) {
  size_t used = strlen(*key), len = strlen(text);
  char head[24];
  int head_len = snprintf(head, sizeof(head), "/%zu:", len);
  if (len > SIZE_MAX - used - sizeof(head) - 1)
    return -1;
  char *grown = realloc(*key, used + (size_t)head_len + len + 1);
  if (grown == NULL)
    return -1;
  memcpy(grown + used, head, (size_t)head_len);
  memcpy(grown + used + head_len, text, len + 1);
  *key = grown;
  return 0;
}

wmi_read_status_t
wmi_batch_convert_object(wmi_batch_t *batch, const wmi_job_t *job,
                         size_t result_index, wmi_property_fn get, void *object,
                         wmi_sample_t *s, wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  char head[DATA_MAX_NAME_LEN + 24];
  snprintf(head, sizeof(head), "%zu/%s", result_index, s->type_instance);
  char *key = strdup(head);
  if (key == NULL)
    return WMI_READ_FAILED;
  for (size_t i = 0; i < r->objects_from_num; i++) {
    wmi_cim_value_t v;
    if (get_property(batch, job, result_index, PART_OBJECT, i, get, object,
                     complaints, &v) != 0) {
      free(key);
      return WMI_READ_FAILED;
    }
    if (v.kind == WMI_CIM_NULL || v.kind == WMI_CIM_UNSUPPORTED) {
      free(key);
      return WMI_READ_NULL; /* no identity: left out, as a NULL value */
    }
    /* Texts whole, not sanitized: "a.b" and "a_b" are two objects. */
    char number[DATA_MAX_NAME_LEN + 1];
    const char *text = v.u.text;
    if (v.kind == WMI_CIM_REAL) {
      /* Every digit: "%g" would make 1234567 and 1234568 one object. */
      snprintf(number, sizeof(number), "%.17g", v.u.real);
      text = number;
    } else if (v.kind != WMI_CIM_STRING && v.kind != WMI_CIM_DATETIME) {
      instance_text(&v, false, number, sizeof(number));
      text = number;
    }
    if (key_append(&key, text) != 0) {
      free(key);
      return WMI_READ_FAILED;
    }
  }
  s->object = key;
  return WMI_READ_OK;
}

/* Ends the "missing property" complaints of properties this run's objects
 * all had. Deciding per run rather than per object keeps a property that
 * only some objects have (a query over a class and its subclasses) from
 * logging "missing" and "again" on every run. */
void wmi_batch_convert_end_missing(wmi_batch_t *batch, const wmi_job_t *job,
                                   wmi_complaints_t *complaints) {
  const unsigned char *seen = batch->property_seen;
  if (seen == NULL)
    return;
  for (size_t ri = 0, slot = 0; ri < job->query->results_num; ri++) {
    const wmi_result_t *r = &job->query->results[ri];
    for (part_t part = PART_INSTANCE; part < PARTS_NUM; part++) {
      for (size_t i = 0; i < part_num(r, part); i++, slot++) {
        if (seen[slot] != PROPERTY_PRESENT)
          continue;
        const char *property = part_property(r, part, i);
        wmi_complaint_key_t key;
        wmi_complain_end(complaints,
                         wmi_complaint_key_make(&key, "missing", ri,
                                                part_option[part], property),
                         WMI_RESULT_WHERE
                         "property \"%s\" is in the query's results again",
                         WMI_RESULT_WHERE_ARGS(job, ri), property);
        wmi_complaint_key_release(&key);
      }
    }
  }
  free(batch->property_seen);
  batch->property_seen = NULL;
}
