/* CounterType "auto": each counter's type read from its class's
 * definition, once, before the job's first run. */
#ifndef WMI_COUNTER_TYPES_H
#define WMI_COUNTER_TYPES_H

#include "wmi_config_model.h"
#include "wmi_cook.h"
#include "wmi_dryrun.h"

#include <stdbool.h>
#include <wbemidl.h>

/* Reads the CounterType qualifiers of the class the job's query names
 * (GetObject on `services` with `context`, NULL or borrowed) into `cook`.
 * The definition comes from WMI's repository, not from the provider, so
 * this costs what a connect does: one round trip on the host's thread
 * (Wine has no GetObjectAsync), named in *current_call meanwhile. On
 * failure `what` says which step failed; *unusable is set when the class
 * was read but its counters cannot be cooked (then `what` is the whole
 * reason, and the HRESULT says nothing more). The caller's host thread
 * alone. */
HRESULT wmi_counter_types_read(IWbemServices *services, IWbemContext *context,
                               const wmi_job_t *job, wmi_cook_t *cook,
                               const char *volatile *current_call, char *what,
                               size_t what_len, bool *unusable);

/* The dry run: hands `record` the CounterType qualifier of every property
 * the job's statement selects (each that has one), as its class reports
 * it, for job `job_index`. Costs another GetObject; a class that cannot be
 * read adds nothing (the run itself says why). The host thread alone. */
void wmi_counter_types_list(IWbemServices *services, IWbemContext *context,
                            const wmi_job_t *job, size_t job_index,
                            wmi_dryrun_t *record,
                            const char *volatile *current_call);

#endif
