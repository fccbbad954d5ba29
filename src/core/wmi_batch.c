#include "wmi_batch.h"

#include "wmi_hash.h"
#include "wmi_log.h"
#include "wmi_naming.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The states of property_seen[]: bits, since one run can see both. */
#define PROPERTY_PRESENT 1
#define PROPERTY_MISSING 2

/* Every message names the job the way the backend's messages do. */
#define WHERE "Host \"%s\", Query \"%s\", Result %zu: "
#define WHERE_ARGS(job, result_index)                                          \
  (job)->host->name, (job)->query->name, (result_index) + 1

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
  }
  free(batch->samples);
  free(batch->property_seen);
  free(batch);
}

/* A complaint key, "kind/result/a/b": on the stack when short, which keys
 * nearly always are; on the heap when not, so that keys are never cut (two
 * keys that differ only at their end must stay two). Built by hand, not
 * with snprintf: a good value builds one whenever the job has a complaint
 * open, to see whether it ends. */
typedef struct {
  char small[160];
  char *text;
} complaint_key_t;

/* Appends what fits of s[0 .. n) at p, before end. */
static char *append(char *p, const char *end, const char *s, size_t n) {
  if (n > (size_t)(end - p))
    n = (size_t)(end - p);
  memcpy(p, s, n);
  return p + n;
}

static const char *key_make(complaint_key_t *k, const char *kind,
                            size_t result_index, const char *a, const char *b) {
  char digits[24], *index = digits + sizeof(digits);
  do
    *--index = (char)('0' + result_index % 10);
  while ((result_index /= 10) > 0);
  size_t index_len = (size_t)(digits + sizeof(digits) - index);
  size_t kind_len = strlen(kind), a_len = strlen(a), b_len = strlen(b);
  size_t len = kind_len + 1 + index_len + 1 + a_len + 1 + b_len;
  k->text = k->small;
  if (len >= sizeof(k->small) && (k->text = malloc(len + 1)) == NULL) {
    k->text = k->small; /* out of memory: a cut key still works, mostly */
    len = sizeof(k->small) - 1;
  }
  char *p = k->text, *end = k->text + len;
  p = append(p, end, kind, kind_len);
  p = append(p, end, "/", 1);
  p = append(p, end, index, index_len);
  p = append(p, end, "/", 1);
  p = append(p, end, a, a_len);
  p = append(p, end, "/", 1);
  p = append(p, end, b, b_len);
  *p = '\0';
  return k->text;
}

static void key_release(complaint_key_t *k) {
  if (k->text != k->small)
    free(k->text);
}

/* Where a Result's properties sit in property_seen[]: Result by Result,
 * InstancesFrom then ValuesFrom. */
static size_t property_slot(const wmi_job_t *job, size_t result_index,
                            bool value, size_t i) {
  size_t slot = 0;
  for (size_t r = 0; r < result_index; r++)
    slot += job->query->results[r].instances_from_num +
            job->query->results[r].values_from_num;
  if (value)
    slot += job->query->results[result_index].instances_from_num;
  return slot + i;
}

static size_t properties_num(const wmi_job_t *job) {
  return property_slot(job, job->query->results_num, false, 0);
}

/* Records that an object had, or lacked, a property. Presence is recorded
 * only while the job has open complaints: it serves to end them. */
static void note_property(wmi_batch_t *batch, const wmi_job_t *job,
                          size_t result_index, bool value, size_t i,
                          unsigned char state) {
  if (batch->property_seen == NULL) {
    batch->property_seen = calloc(properties_num(job), 1);
    if (batch->property_seen == NULL)
      return; /* out of memory: complaints stay open a little longer */
  }
  batch->property_seen[property_slot(job, result_index, value, i)] |= state;
}

/* Reads a property; a missing one is complained about and recorded. */
static int get_property(wmi_batch_t *batch, const wmi_job_t *job,
                        size_t result_index, bool value, size_t i,
                        wmi_property_fn get, void *object,
                        wmi_complaints_t *complaints, wmi_cim_value_t *out) {
  const wmi_result_t *r = &job->query->results[result_index];
  const char *property = value ? r->values_from[i] : r->instances_from[i];
  if (get(object, property, out) == 0) {
    if (wmi_complaints_any(complaints))
      note_property(batch, job, result_index, value, i, PROPERTY_PRESENT);
    return 0;
  }
  note_property(batch, job, result_index, value, i, PROPERTY_MISSING);
  const char *option = value ? "ValuesFrom" : "InstancesFrom";
  complaint_key_t key;
  wmi_complain(complaints, LOG_WARNING,
               key_make(&key, "missing", result_index, option, property),
               WHERE "option \"%s\": property \"%s\" is not in the query's "
                     "results",
               WHERE_ARGS(job, result_index), option, property);
  key_release(&key);
  return -1;
}

/* An instance part, sanitized as in the type instance. `len` is one more
 * than collectd keeps, so that a part too long shows in the joined name. */
static void instance_text(const wmi_cim_value_t *v, char *buf, size_t len) {
  switch (v->kind) {
  case WMI_CIM_STRING:
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

/* The type instance: InstancePrefix and the InstancesFrom values. Returns
 * -1 when a property is missing or the name is longer than collectd keeps
 * (cut, it could collide with another long name unseen). */
static int build_type_instance(wmi_batch_t *batch, const wmi_job_t *job,
                               size_t result_index, wmi_property_fn get,
                               void *object, char out[DATA_MAX_NAME_LEN],
                               wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  char texts[WMI_MAX_INSTANCES_FROM][DATA_MAX_NAME_LEN + 1];
  const char *parts[WMI_MAX_INSTANCES_FROM + 1] = {r->instance_prefix};
  size_t num = 1;
  for (size_t i = 0; i < r->instances_from_num; i++) {
    wmi_cim_value_t v;
    if (get_property(batch, job, result_index, false, i, get, object,
                     complaints, &v) != 0)
      return -1;
    instance_text(&v, texts[i], sizeof(texts[i]));
    parts[num++] = texts[i];
  }
  char name[DATA_MAX_NAME_LEN + 1];
  wmi_name_join(name, sizeof(name), parts, num);
  if (strlen(name) >= DATA_MAX_NAME_LEN) {
    name[DATA_MAX_NAME_LEN - 1] = '\0';
    complaint_key_t key;
    wmi_complain(complaints, LOG_WARNING,
                 key_make(&key, "long", result_index, name, ""),
                 WHERE "the type instance \"%s...\" is longer than the %d "
                       "characters collectd keeps; its values are skipped",
                 WHERE_ARGS(job, result_index), name, DATA_MAX_NAME_LEN - 1);
    key_release(&key);
    return -1;
  }
  memcpy(out, name, strlen(name) + 1);
  return 0;
}

/* Integer Scale and Shift. Finish allowed only 1 <= scale <= 2^32 and
 * |shift| <= 2^53 with integer data sources. Writing shift = q * scale + r
 * with 0 <= r < scale (floor division) makes value * scale + shift equal
 * (value + q) * scale + r: the result has the sign of value + q, and no
 * step overflows unless the result itself is out of range, so a result
 * that fits is always found exactly (2^62 * 4 - 1 fits a counter). */
static void split_shift(int64_t shift, uint64_t scale, int64_t *q,
                        uint64_t *r) {
  int64_t s = (int64_t)scale, quotient = shift / s, rest = shift % s;
  if (rest < 0) { /* C truncates toward zero: make it floor */
    quotient--;
    rest += s;
  }
  *q = quotient;
  *r = (uint64_t)rest;
}

/* t * scale + r when it is at most limit (r <= limit). */
static int multiply_add(uint64_t t, uint64_t scale, uint64_t r, uint64_t limit,
                        uint64_t *out) {
  if (t > (limit - r) / scale)
    return -1;
  *out = t * scale + r;
  return 0;
}

static int scale_unsigned(uint64_t v, uint64_t scale, int64_t shift,
                          uint64_t *out) {
  int64_t q;
  uint64_t r, t;
  split_shift(shift, scale, &q, &r);
  if (q >= 0) {
    if (v > UINT64_MAX - (uint64_t)q)
      return -1;
    t = v + (uint64_t)q;
  } else {
    uint64_t down = 0 - (uint64_t)q;
    if (v < down)
      return -1; /* below 0 */
    t = v - down;
  }
  return multiply_add(t, scale, r, UINT64_MAX, out);
}

static int scale_signed(int64_t v, uint64_t scale, int64_t shift,
                        int64_t *out) {
  int64_t q;
  uint64_t r, magnitude;
  split_shift(shift, scale, &q, &r);
  if ((q > 0 && v > INT64_MAX - q) || (q < 0 && v < INT64_MIN - q))
    return -1;
  int64_t t = v + q;
  if (t >= 0) {
    if (multiply_add((uint64_t)t, scale, r, INT64_MAX, &magnitude) != 0)
      return -1;
    *out = (int64_t)magnitude;
    return 0;
  }
  /* t * scale + r = -((|t| - 1) * scale + (scale - r)), down to -2^63. */
  uint64_t down = 0 - (uint64_t)t;
  if (multiply_add(down - 1, scale, scale - r, (uint64_t)INT64_MAX + 1,
                   &magnitude) != 0)
    return -1;
  *out = magnitude > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)magnitude;
  return 0;
}

/* Applies the Result's Scale and Shift to a converted value. A result the
 * data source cannot hold (out of the 64-bit range, below 0 for counter
 * and absolute, not finite for a gauge) is refused, never wrapped or
 * rounded. Returns 0, or -1 with a reason in why. */
static int apply_scale(const wmi_result_t *r, int ds_type, value_t *v,
                       char *why, size_t why_len) {
  if (ds_type == DS_TYPE_GAUGE) {
    gauge_t scaled = v->gauge * r->scale + r->shift;
    if (isfinite(scaled)) {
      v->gauge = scaled;
      return 0;
    }
    snprintf(why, why_len, "%g * Scale %g + Shift %g is not a finite number",
             v->gauge, r->scale, r->shift);
    return -1;
  }
  /* Integer data sources: finish checked that both are exact integers. */
  uint64_t scale = (uint64_t)r->scale;
  int64_t shift = (int64_t)r->shift;
  if (ds_type == DS_TYPE_DERIVE) {
    if (scale_signed(v->derive, scale, shift, &v->derive) == 0)
      return 0;
    snprintf(why, why_len,
             "%" PRId64 " * Scale %" PRIu64 " + Shift %" PRId64
             " does not fit a derive (int64)",
             v->derive, scale, shift);
    return -1;
  }
  bool counter = ds_type == DS_TYPE_COUNTER;
  uint64_t in = counter ? (uint64_t)v->counter : (uint64_t)v->absolute, out;
  if (scale_unsigned(in, scale, shift, &out) == 0) {
    if (counter)
      v->counter = out;
    else
      v->absolute = out;
    return 0;
  }
  snprintf(why, why_len,
           "%" PRIu64 " * Scale %" PRIu64 " + Shift %" PRId64
           " does not fit a%s (0 to 2^64 - 1)",
           in, scale, shift, counter ? " counter" : "n absolute");
  return -1;
}

/* A mapped number as a CIM value: an integer stays an exact sint64 (finish
 * allowed only integers of magnitude at most 2^53 with counter, derive and
 * absolute data sources), anything else a real for a gauge. */
static wmi_cim_value_t mapped_value(double number) {
  wmi_cim_value_t v;
  if (fabs(number) <= WMI_SHIFT_INT_MAX && number == floor(number)) {
    v.kind = WMI_CIM_SINT;
    v.u.sint = (int64_t)number;
  } else {
    v.kind = WMI_CIM_REAL;
    v.u.real = number;
  }
  return v;
}

/* Applies the Result's ValueMap to a string value. Returns -1 when the
 * string is not mapped and there is no ValueMapDefault. */
static int map_value(const wmi_result_t *r, const wmi_cim_value_t *in,
                     wmi_cim_value_t *out, char *why, size_t why_len) {
  *out = *in;
  if (r->value_map_num == 0 || in->kind != WMI_CIM_STRING)
    return 0;
  for (size_t k = 0; k < r->value_map_num; k++) {
    if (strcmp(r->value_map_strings[k], in->u.text) == 0) {
      *out = mapped_value(r->value_map_numbers[k]);
      return 0;
    }
  }
  if (r->has_value_map_default) {
    *out = mapped_value(r->value_map_default);
    return 0;
  }
  snprintf(why, why_len, "\"%s\" is not in \"ValueMap\"", in->u.text);
  return -1;
}

/* Maps and converts one property value for data source i, then scales it
 * (unless the Result sums duplicates: scaled once added up). */
static wmi_convert_status_t value_of(const wmi_result_t *r, size_t i,
                                     const wmi_cim_value_t *raw, value_t *out,
                                     char *why, size_t why_len) {
  wmi_cim_value_t mapped, *in = &mapped;
  if (map_value(r, raw, &mapped, why, why_len) != 0)
    return WMI_CONVERT_ERROR;
  wmi_convert_status_t status =
      wmi_value_convert(in, r->ds_types[i], out, why, why_len);
  if (status == WMI_CONVERT_OK && r->scaled &&
      r->duplicates != WMI_DUPLICATES_SUM &&
      apply_scale(r, r->ds_types[i], out, why, why_len) != 0)
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
  complaint_key_t key;
  switch (status) {
  case WMI_CONVERT_OK:
    /* The common case: no key to build while nothing is complained of. */
    if (!wmi_complaints_any(complaints))
      return 0;
    wmi_complain_end(
        complaints,
        key_make(&key, "value", result_index, property, type_instance),
        WHERE "property \"%s\", instance \"%s\": values are "
              "usable again",
        WHERE_ARGS(job, result_index), property, type_instance);
    key_release(&key);
    return 0;
  case WMI_CONVERT_NULL:
    return -1;
  case WMI_CONVERT_ERROR:
    wmi_complain(complaints, LOG_WARNING,
                 key_make(&key, "value", result_index, property, type_instance),
                 WHERE "property \"%s\", instance \"%s\": value skipped: %s",
                 WHERE_ARGS(job, result_index), property, type_instance, why);
    key_release(&key);
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
    complaint_key_t key;
    bool present = get(object, name, &v) == 0;
    if (present && wmi_complaints_any(complaints)) {
      wmi_complain_end(
          complaints,
          key_make(&key, "missing", result_index, "CounterType", name),
          WHERE "property \"%s\" is in the query's results again",
          WHERE_ARGS(job, result_index), name);
      key_release(&key);
    }
    if (!present) {
      wmi_complain(complaints, LOG_WARNING,
                   key_make(&key, "missing", result_index, "CounterType", name),
                   WHERE "option \"CounterType\": %s needs property \"%s\", "
                         "which is not in the query's results",
                   WHERE_ARGS(job, result_index), wmi_counter_type_name(type),
                   name);
      key_release(&key);
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

/* Reads the values (or raw counters) of Result `result_index` into s.
 * Returns 0; -2 when a value is NULL (skipped silently); -1 when one is
 * missing or unusable (complained of). */
static int read_values(wmi_batch_t *batch, const wmi_job_t *job,
                       size_t result_index, wmi_property_fn get, void *object,
                       const wmi_cook_t *cook, wmi_sample_t *s,
                       wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  for (size_t i = 0; i < r->values_from_num; i++) {
    const char *property = r->values_from[i];
    wmi_cim_value_t v;
    if (get_property(batch, job, result_index, true, i, get, object, complaints,
                     &v) != 0)
      return -1;
    char why[256] = "";
    wmi_convert_status_t status;
    if (r->cooked)
      status = counter_of(&v, &s->raw[i].value, why, sizeof(why));
    else
      status = value_of(r, i, &v, &s->values[i], why, sizeof(why));
    if (check_converted(status, job, result_index, property, s->type_instance,
                        why, complaints) != 0)
      return status == WMI_CONVERT_NULL ? -2 : -1;
    if (r->cooked &&
        read_counter_extras(job, result_index, property,
                            wmi_cook_type(cook, result_index, i), get, object,
                            s->type_instance, &s->raw[i], complaints) != 0)
      return -1;
  }
  return 0;
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
    if (build_type_instance(batch, job, i, get, object, s->type_instance,
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
    int read = read_values(batch, job, i, get, object, cook, s, complaints);
    if (read != 0) {
      free(s->values);
      free(s->raw);
      s->values = NULL;
      s->raw = NULL;
      /* A NULL (no value) leaves the object out of a sum, as it leaves it
       * out of everything. A sum without an object whose value is
       * unusable, or a counter paired with another object's, would be
       * wrong: the instance keeps its place, failed. */
      bool sum = r->duplicates == WMI_DUPLICATES_SUM;
      if ((!sum && !r->cooked) || (sum && read == -2))
        continue;
      s->failed = true;
    }
    batch->samples_num++;
  }
  return 0;
}

/* Ends the "missing property" complaints of properties this run's objects
 * all had. Deciding per run rather than per object keeps a property that
 * only some objects have (a query over a class and its subclasses) from
 * logging "missing" and "again" on every run. */
static void end_missing_complaints(wmi_batch_t *batch, const wmi_job_t *job,
                                   wmi_complaints_t *complaints) {
  const unsigned char *seen = batch->property_seen;
  for (size_t ri = 0, slot = 0; ri < job->query->results_num; ri++) {
    const wmi_result_t *r = &job->query->results[ri];
    size_t n = r->instances_from_num + r->values_from_num;
    for (size_t i = 0; i < n; i++, slot++) {
      if (seen[slot] != PROPERTY_PRESENT)
        continue;
      bool value = i >= r->instances_from_num;
      const char *property = value ? r->values_from[i - r->instances_from_num]
                                   : r->instances_from[i];
      complaint_key_t key;
      wmi_complain_end(complaints,
                       key_make(&key, "missing", ri,
                                value ? "ValuesFrom" : "InstancesFrom",
                                property),
                       WHERE "property \"%s\" is in the query's results again",
                       WHERE_ARGS(job, ri), property);
      key_release(&key);
    }
  }
}

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
  complaint_key_t key;
  key_make(&key, "duplicate", 0, kept->result->type, kept->type_instance);
  if (kept_index == dropped_index && kept->result->cooked)
    wmi_complain(complaints, LOG_WARNING, key.text,
                 WHERE "several objects give the instance \"%s\" (type "
                       "\"%s\"); their raw counters cannot be paired from "
                       "run to run, so it gives no value. Add a property "
                       "that is unique to \"InstancesFrom\", or use "
                       "Duplicates \"sum\"",
                 WHERE_ARGS(job, kept_index), kept->type_instance,
                 kept->result->type);
  else if (kept_index == dropped_index)
    wmi_complain(complaints, LOG_WARNING, key.text,
                 WHERE "several objects give the instance \"%s\" (type "
                       "\"%s\"); only one is kept. Add a property that is "
                       "unique to \"InstancesFrom\"",
                 WHERE_ARGS(job, kept_index), kept->type_instance,
                 kept->result->type);
  else
    wmi_complain(complaints, LOG_WARNING, key.text,
                 "Host \"%s\", Query \"%s\": Results %zu and %zu both give "
                 "type \"%s\", instance \"%s\"; only Result %zu's value is "
                 "kept. Tell them apart with \"InstancePrefix\"",
                 job->host->name, job->query->name, kept_index + 1,
                 dropped_index + 1, kept->result->type, kept->type_instance,
                 kept_index + 1);
  key_release(&key);
}

/* Adds `more` into `into` (Duplicates "sum"), raw counters before they
 * are cooked, values before Scale and Shift. Integer sums must stay exact:
 * one past the 64-bit range fails the sum, which is then dropped. */
static bool add_values(wmi_sample_t *into, const wmi_sample_t *more) {
  const wmi_result_t *r = into->result;
  for (size_t i = 0; i < r->values_from_num; i++) {
    if (r->cooked) {
      wmi_counter_sample_t *a = &into->raw[i];
      const wmi_counter_sample_t *b = &more->raw[i];
      if (a->value > UINT64_MAX - b->value || a->base > UINT64_MAX - b->base)
        return false;
      a->value += b->value;
      a->base += b->base;
      if (b->time > a->time) /* the objects of one run share their clock */
        a->time = b->time;
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
  complaint_key_t key;
  wmi_complain(complaints, LOG_WARNING,
               key_make(&key, "sum", index, s->type_instance, ""),
               WHERE "instance \"%s\": the sum of its objects' values does "
                     "not fit a 64-bit integer; skipped",
               WHERE_ARGS(job, index), s->type_instance);
  key_release(&key);
}

/* Keeps the first sample of every identifier, in their order, adding the
 * others of a Result with Duplicates "sum" into it: an open addressing
 * table of kept samples' indexes, sized to stay half empty. */
static void merge_duplicates(wmi_batch_t *batch, const wmi_job_t *job,
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
        first->members++;
        if (s->failed)
          first->failed = true;
        else if (!first->failed && !add_values(first, s)) {
          first->failed = true;
          complain_sum(job, first, complaints);
        }
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

/* Cooks the raw counters of sample s against the instance's previous
 * sample. Returns false when there is no value this time. */
static bool cook_sample(wmi_sample_t *s, size_t result_index,
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
    complaint_key_t key;
    if (apply_scale(r, r->ds_types[i], &s->values[i], why, sizeof(why)) == 0) {
      if (!wmi_complaints_any(complaints))
        continue;
      wmi_complain_end(
          complaints,
          key_make(&key, "scale", index, r->values_from[i], s->type_instance),
          WHERE "property \"%s\", instance \"%s\": values are "
                "usable again",
          WHERE_ARGS(job, index), r->values_from[i], s->type_instance);
      key_release(&key);
      continue;
    }
    wmi_complain(
        complaints, LOG_WARNING,
        key_make(&key, "scale", index, r->values_from[i], s->type_instance),
        WHERE "property \"%s\", instance \"%s\": value skipped: %s",
        WHERE_ARGS(job, index), r->values_from[i], s->type_instance, why);
    key_release(&key);
    return false;
  }
  return true;
}

/* Cooks, scales what waited for it, and drops samples left without a
 * value, keeping the order. Pairs each cooked instance with its sample of
 * the previous completed run, by Result and type instance. */
static void complete_samples(wmi_batch_t *batch, const wmi_job_t *job,
                             wmi_complaints_t *complaints, wmi_cook_t *cook) {
  wmi_history_t *history = cook ? wmi_cook_history(cook) : NULL;
  if (history != NULL)
    wmi_history_begin(history);
  size_t kept = 0;
  for (size_t i = 0; i < batch->samples_num; i++) {
    wmi_sample_t *s = &batch->samples[i];
    const wmi_result_t *r = s->result;
    size_t index = (size_t)(r - job->query->results);
    bool ok = !s->failed;
    if (ok && r->duplicates == WMI_DUPLICATES_SUM &&
        wmi_complaints_any(complaints)) {
      complaint_key_t k;
      wmi_complain_end(complaints,
                       key_make(&k, "sum", index, s->type_instance, ""),
                       WHERE "instance \"%s\": its sum fits again",
                       WHERE_ARGS(job, index), s->type_instance);
      key_release(&k);
    }
    if (ok && r->cooked) {
      /* By instance, and by how many objects were added up: a process
       * that starts or exits changes a sum by its whole lifetime's count,
       * which is not a rate of this interval. */
      char key[DATA_MAX_NAME_LEN + 48];
      snprintf(key, sizeof(key), "%zu/%zu/%s", index, s->members,
               s->type_instance);
      const wmi_counter_sample_t *previous =
          wmi_history_swap(history, key, s->raw, r->values_from_num);
      ok = cook_sample(s, index, cook, previous);
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
  if (history != NULL)
    wmi_history_end(history);
}

void wmi_batch_finish(wmi_batch_t *batch, const wmi_job_t *job,
                      wmi_complaints_t *complaints, wmi_cook_t *cook) {
  merge_duplicates(batch, job, complaints);
  complete_samples(batch, job, complaints, cook);
  if (batch->property_seen != NULL) {
    end_missing_complaints(batch, job, complaints);
    free(batch->property_seen);
    batch->property_seen = NULL;
  }
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
