#include "wmi_cook.h"

#include "wmi_wql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wmi_cook_s {
  uint32_t *types; /* per Result, per ValuesFrom: see slot() */
  size_t *firsts;  /* Result r's first entry in types */
  bool ready;      /* every type is known */
  wmi_history_t *history;
};

int wmi_cook_new(const wmi_job_t *job, wmi_cook_t **out) {
  *out = NULL;
  const wmi_query_t *q = job->query;
  size_t total = 0;
  bool any = false, any_auto = false;
  for (size_t r = 0; r < q->results_num; r++) {
    total += q->results[r].values_from_num;
    any |= q->results[r].cooked;
    any_auto |= q->results[r].counter_auto;
  }
  if (!any)
    return 0;
  wmi_cook_t *cook = calloc(1, sizeof(*cook));
  if (cook == NULL)
    return -1;
  cook->types = calloc(total, sizeof(*cook->types));
  cook->firsts = calloc(q->results_num, sizeof(*cook->firsts));
  cook->history = wmi_history_new();
  if (cook->types == NULL || cook->firsts == NULL || cook->history == NULL) {
    wmi_cook_free(cook);
    return -1;
  }
  for (size_t r = 0, at = 0; r < q->results_num; r++) {
    const wmi_result_t *res = &q->results[r];
    cook->firsts[r] = at;
    for (size_t i = 0; i < res->values_from_num; i++)
      cook->types[at++] = res->counter_type;
  }
  cook->ready = !any_auto;
  *out = cook;
  return 0;
}

void wmi_cook_free(wmi_cook_t *cook) {
  if (cook == NULL)
    return;
  wmi_history_free(cook->history);
  free(cook->types);
  free(cook->firsts);
  free(cook);
}

bool wmi_cook_ready(const wmi_cook_t *cook) {
  return cook == NULL || cook->ready;
}

int wmi_cook_resolve(wmi_cook_t *cook, const wmi_job_t *job,
                     wmi_qualifier_fn qualifier, void *ctx, char *why,
                     size_t why_len) {
  const wmi_query_t *q = job->query;
  for (size_t r = 0; r < q->results_num; r++) {
    const wmi_result_t *res = &q->results[r];
    if (!res->counter_auto)
      continue;
    for (size_t i = 0; i < res->values_from_num; i++) {
      const char *property = res->values_from[i];
      uint32_t type;
      if (qualifier(ctx, property, &type) != 0) {
        snprintf(why, why_len,
                 "Result %zu: option \"CounterType\" \"auto\": property "
                 "\"%s\" has no CounterType qualifier in its class (not a "
                 "raw performance counter?)",
                 r + 1, property);
        return -1;
      }
      if (wmi_counter_type_name(type) == NULL) {
        snprintf(why, why_len,
                 "Result %zu: option \"CounterType\" \"auto\": property "
                 "\"%s\" has counter type 0x%08lx, which is not supported "
                 "(set one with CounterType)",
                 r + 1, property, (unsigned long)type);
        return -1;
      }
      char missing[WMI_PROPERTY_MAX];
      if (wmi_counter_unselected(type, property, q->statement, missing,
                                 sizeof(missing)) != NULL) {
        snprintf(why, why_len,
                 "Result %zu: option \"CounterType\" \"auto\": property "
                 "\"%s\" is a %s, which needs property \"%s\": add it to "
                 "the Statement",
                 r + 1, property, wmi_counter_type_name(type), missing);
        return -1;
      }
      if (res->duplicates == WMI_DUPLICATES_SUM && !wmi_counter_sums(type)) {
        snprintf(why, why_len,
                 "Result %zu: option \"Duplicates\" \"sum\": property "
                 "\"%s\" is a %s, whose values cannot be added up",
                 r + 1, property, wmi_counter_type_name(type));
        return -1;
      }
      cook->types[cook->firsts[r] + i] = type;
    }
  }
  cook->ready = true;
  return 0;
}

uint32_t wmi_cook_type(const wmi_cook_t *cook, size_t result, size_t value) {
  return cook->types[cook->firsts[result] + value];
}

wmi_history_t *wmi_cook_history(wmi_cook_t *cook) { return cook->history; }

bool wmi_counter_sums(uint32_t type) {
  /* A start time (PERF_ELAPSED_TIME) is not an amount. */
  const char *name = wmi_counter_type_name(type);
  return name != NULL && strcmp(name, "PERF_ELAPSED_TIME") != 0;
}

int wmi_counter_property(uint32_t type, const char *property, size_t k,
                         char *out, size_t len) {
  const char *names[5];
  size_t n = 0;
  unsigned needs = wmi_counter_needs(type);
  char base[WMI_PROPERTY_MAX];
  if (needs & WMI_COUNTER_NEEDS_BASE) {
    snprintf(base, sizeof(base), "%s_Base", property);
    names[n++] = base;
  }
  bool time = wmi_counter_reads_time(type);
  bool frequency = wmi_counter_reads_frequency(type);
  if ((needs & WMI_COUNTER_NEEDS_SYS100NS) && time)
    names[n++] = "Timestamp_Sys100NS";
  if (needs & WMI_COUNTER_NEEDS_PERFTIME) {
    if (time)
      names[n++] = "Timestamp_PerfTime";
    if (frequency)
      names[n++] = "Frequency_PerfTime";
  }
  if (needs & WMI_COUNTER_NEEDS_OBJECT_TIME) {
    if (time)
      names[n++] = "Timestamp_Object";
    if (frequency)
      names[n++] = "Frequency_Object";
  }
  if (k >= n)
    return -1;
  snprintf(out, len, "%s", names[k]);
  return 0;
}

const char *wmi_counter_unselected(uint32_t type, const char *property,
                                   const char *statement, char *out,
                                   size_t len) {
  for (size_t k = 0; wmi_counter_property(type, property, k, out, len) == 0;
       k++)
    if (!wmi_wql_selects(statement, out))
      return out;
  return NULL;
}
