#include "wmi_cook.h"

#include <stdio.h>
#include <stdlib.h>

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

/* Why CounterType "auto" cannot use the type of Result r's `property`. */
static void explain(wmi_counter_problem_t problem, size_t r,
                    const char *property, uint32_t type, const char *missing,
                    char *why, size_t why_len) {
  switch (problem) {
  case WMI_COUNTER_USABLE:
    break;
  case WMI_COUNTER_UNSUPPORTED:
    snprintf(why, why_len,
             "Result %zu: option \"CounterType\" \"auto\": property "
             "\"%s\" has counter type 0x%08lx, which is not supported "
             "(set one with CounterType)",
             r + 1, property, (unsigned long)type);
    return;
  case WMI_COUNTER_NOT_SUMMABLE:
    snprintf(why, why_len,
             "Result %zu: option \"Duplicates\" \"sum\": property "
             "\"%s\" is a %s, whose values cannot be added up",
             r + 1, property, wmi_counter_type_name(type));
    return;
  case WMI_COUNTER_NOT_PER_OBJECT:
    snprintf(why, why_len,
             "Result %zu: option \"ObjectsFrom\": property \"%s\" is a "
             "%s, whose objects cannot be added up before it is cooked "
             "(set a CounterType that can, or drop ObjectsFrom)",
             r + 1, property, wmi_counter_type_name(type));
    return;
  case WMI_COUNTER_UNSELECTED:
    snprintf(why, why_len,
             "Result %zu: option \"CounterType\" \"auto\": property "
             "\"%s\" is a %s, which needs property \"%s\": add it to "
             "the Statement",
             r + 1, property, wmi_counter_type_name(type), missing);
    return;
  }
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
      char missing[WMI_PROPERTY_MAX];
      wmi_counter_problem_t problem = wmi_counter_check(
          type, property, q->statement, res->duplicates == WMI_DUPLICATES_SUM,
          res->objects_from_num > 0, missing, sizeof(missing));
      if (problem != WMI_COUNTER_USABLE) {
        explain(problem, r, property, type, missing, why, why_len);
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
