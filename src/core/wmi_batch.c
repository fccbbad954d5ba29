#include "wmi_batch.h"

#include "wmi_log.h"
#include "wmi_naming.h"

#include <inttypes.h>
#include <stdio.h>
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
  for (size_t i = 0; i < batch->samples_num; i++)
    free(batch->samples[i].values);
  free(batch->samples);
  free(batch);
}

/* An instance part as text: strings as they are, numbers in decimal. */
static void instance_text(const wmi_cim_value_t *v, char *buf, size_t len) {
  switch (v->kind) {
  case WMI_CIM_STRING:
  case WMI_CIM_DATETIME:
    snprintf(buf, len, "%s", v->u.text);
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

/* The type instance: InstancePrefix and the InstancesFrom values. */
static int build_type_instance(const wmi_job_t *job, size_t result_index,
                               wmi_property_fn get, void *object, char *out,
                               size_t out_len, wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  /* Each part is bounded by the name length collectd keeps anyway. */
  char texts[WMI_MAX_INSTANCES_FROM][DATA_MAX_NAME_LEN];
  const char *parts[WMI_MAX_INSTANCES_FROM + 1] = {r->instance_prefix};
  size_t num = 1;
  for (size_t i = 0; i < r->instances_from_num; i++) {
    wmi_cim_value_t v;
    char key[512];
    snprintf(key, sizeof(key), "missing/%s/%s/%s", job->host->name,
             job->query->name, r->instances_from[i]);
    if (get(object, r->instances_from[i], &v) != 0) {
      wmi_complain(complaints, LOG_WARNING, key,
                   "Query \"%s\", Result %zu: option \"InstancesFrom\": "
                   "property \"%s\" is not in the query's results",
                   job->query->name, result_index + 1, r->instances_from[i]);
      return -1;
    }
    instance_text(&v, texts[i], sizeof(texts[i]));
    parts[num++] = texts[i];
  }
  wmi_name_join(out, out_len, parts, num);
  return 0;
}

/* The complaint key of one value: job, result, property and instance. */
static void value_key(char *key, size_t len, const wmi_job_t *job,
                      size_t result_index, const char *property,
                      const char *type_instance) {
  snprintf(key, len, "value/%s/%s/%zu/%s/%s", job->host->name, job->query->name,
           result_index, property, type_instance);
}

static int read_values(const wmi_job_t *job, size_t result_index,
                       wmi_property_fn get, void *object,
                       const char *type_instance, value_t *values,
                       wmi_complaints_t *complaints) {
  const wmi_result_t *r = &job->query->results[result_index];
  for (size_t i = 0; i < r->values_from_num; i++) {
    const char *property = r->values_from[i];
    char key[512];
    wmi_cim_value_t v;
    if (get(object, property, &v) != 0) {
      snprintf(key, sizeof(key), "missing/%s/%s/%s", job->host->name,
               job->query->name, property);
      wmi_complain(complaints, LOG_WARNING, key,
                   "Query \"%s\", Result %zu: option \"ValuesFrom\": property "
                   "\"%s\" is not in the query's results",
                   job->query->name, result_index + 1, property);
      return -1;
    }
    char why[128] = "";
    switch (
        wmi_value_convert(&v, r->ds_types[i], &values[i], why, sizeof(why))) {
    case WMI_CONVERT_OK:
      /* The common case: no key to build while nothing is complained of. */
      if (!wmi_complaints_any(complaints))
        break;
      value_key(key, sizeof(key), job, result_index, property, type_instance);
      wmi_complain_end(complaints, key,
                       "Query \"%s\", property \"%s\", instance \"%s\": "
                       "values are usable again",
                       job->query->name, property, type_instance);
      break;
    case WMI_CONVERT_NULL:
      return -1;
    case WMI_CONVERT_ERROR:
      value_key(key, sizeof(key), job, result_index, property, type_instance);
      wmi_complain(complaints, LOG_WARNING, key,
                   "Query \"%s\", property \"%s\", instance \"%s\": value "
                   "skipped: %s",
                   job->query->name, property, type_instance, why);
      return -1;
    }
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
                         wmi_complaints_t *complaints) {
  batch->objects++;
  for (size_t i = 0; i < job->query->results_num; i++) {
    const wmi_result_t *r = &job->query->results[i];
    wmi_sample_t *s = next_sample(batch);
    if (s == NULL)
      return -1;
    memset(s, 0, sizeof(*s));
    s->result = r;
    if (build_type_instance(job, i, get, object, s->type_instance,
                            sizeof(s->type_instance), complaints) != 0)
      continue;
    s->values = calloc(r->values_from_num, sizeof(value_t));
    if (s->values == NULL)
      return -1;
    if (read_values(job, i, get, object, s->type_instance, s->values,
                    complaints) != 0) {
      free(s->values);
      s->values = NULL;
      continue;
    }
    batch->samples_num++;
  }
  return 0;
}

static int compare_samples(const void *a, const void *b) {
  const wmi_sample_t *x = a, *y = b;
  if (x->result != y->result)
    return x->result < y->result ? -1 : 1;
  return strcmp(x->type_instance, y->type_instance);
}

void wmi_batch_drop_duplicates(wmi_batch_t *batch, const wmi_job_t *job,
                               wmi_complaints_t *complaints) {
  if (batch->samples_num < 2)
    return;
  qsort(batch->samples, batch->samples_num, sizeof(wmi_sample_t),
        compare_samples);
  size_t kept = 1;
  for (size_t i = 1; i < batch->samples_num; i++) {
    wmi_sample_t *s = &batch->samples[i];
    if (compare_samples(s, &batch->samples[kept - 1]) == 0) {
      char key[512];
      snprintf(key, sizeof(key), "duplicate/%s/%s/%s/%s", job->host->name,
               job->query->name, s->result->type, s->type_instance);
      wmi_complain(complaints, LOG_WARNING, key,
                   "Query \"%s\": several objects give the instance \"%s\" "
                   "(type \"%s\"); only one is kept. Add a property that is "
                   "unique to \"InstancesFrom\"",
                   job->query->name, s->type_instance, s->result->type);
      free(s->values);
      continue;
    }
    batch->samples[kept++] = *s;
  }
  batch->samples_num = kept;
}

const wmi_sample_t *wmi_batch_find(const wmi_batch_t *batch, const char *type,
                                   const char *type_instance) {
  for (size_t i = 0; i < batch->samples_num; i++)
    if (strcmp(batch->samples[i].result->type, type) == 0 &&
        strcmp(batch->samples[i].type_instance, type_instance) == 0)
      return &batch->samples[i];
  return NULL;
}
