/* A job's cooking state for Results with CounterType: the counter type of
 * each ValuesFrom property (read from the class's qualifiers for "auto")
 * and the previous sample of each instance. Portable: the backend reads
 * the qualifiers and hands them over through a callback. Used by one
 * thread at a time: the run's sink, and between runs the host thread. */
#ifndef WMI_COOK_H
#define WMI_COOK_H

#include "wmi_config_model.h"
#include "wmi_counter_check.h"
#include "wmi_history.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct wmi_cook_s wmi_cook_t;

/* Reads property's CounterType qualifier into *type. Returns 0, or -1
 * when the class has no such property or it has no CounterType. */
typedef int (*wmi_qualifier_fn)(void *ctx, const char *property,
                                uint32_t *type);

/* The state for a job whose query has Results with CounterType, in *out
 * (NULL when none has: nothing to keep). Returns 0, or -1 when out of
 * memory. */
int wmi_cook_new(const wmi_job_t *job, wmi_cook_t **out);
void wmi_cook_free(wmi_cook_t *cook);

/* False while a CounterType "auto" Result waits for its class's
 * qualifiers: the job's runs must not start before wmi_cook_resolve. */
bool wmi_cook_ready(const wmi_cook_t *cook);

/* Resolves every "auto" Result's counter types through `qualifier` and
 * checks them as finish checks explicit ones (wmi_counter_check). Returns 0; or
 * -1 with a message naming the Result and the property in why ("Result 2: ...":
 * the caller names the host and query). */
int wmi_cook_resolve(wmi_cook_t *cook, const wmi_job_t *job,
                     wmi_qualifier_fn qualifier, void *ctx, char *why,
                     size_t why_len);

/* The counter type of ValuesFrom property `value` of Result `result`;
 * valid once ready, for Results that cook. */
uint32_t wmi_cook_type(const wmi_cook_t *cook, size_t result, size_t value);

wmi_history_t *wmi_cook_history(wmi_cook_t *cook);

#endif
