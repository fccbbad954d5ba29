/* The backend's hooks: the functions a caller may hand it in
 * wmi_backend_options_t, as test seams around the real WMI and to hear of
 * jobs' transitions and runs. Types only. */
#ifndef WMI_BACKEND_HOOKS_H
#define WMI_BACKEND_HOOKS_H

#include "wmi_config_model.h"

#include <stdbool.h>
#include <stdint.h>
#include <wbemidl.h>

/* Test seams where a fault-injecting wrapper fits around the real WMI.
 * locator_hook: called on each host thread with the real locator (a
 * reference it takes over); returns the locator that host connects with.
 * It is also called once at start with host NULL, where returning NULL
 * makes the start fail as a broken WMI would.
 * services_hook: called after each successful connection with the real
 * services (a reference it takes over); returns the one to use. */
typedef IWbemLocator *(*wmi_locator_hook_fn)(void *ctx, const wmi_host_t *host,
                                             IWbemLocator *real);
typedef IWbemServices *(*wmi_services_hook_fn)(void *ctx,
                                               const wmi_host_t *host,
                                               const char *wmi_namespace,
                                               IWbemServices *real);
/* Called on the job's host thread when a job starts failing (connecting,
 * starting the query, the query's status, a timeout: `hr` says why and
 * `what` which step; hr S_OK when `what` is the whole reason, e.g. a
 * counter CounterType "auto" cannot use) and when it succeeds again (hr 0,
 * what NULL): once
 * per transition, as logged (a flapping job is damped as its log lines
 * are, see wmi_health.h). */
typedef void (*wmi_health_hook_fn)(void *ctx, size_t job, bool failing,
                                   uint32_t hr, const char *what);

/* Called on the host thread as each run's call is issued: `lateness` is
 * how long after its slot (monotonic) the call started. For benchmarks. */
typedef void (*wmi_run_hook_fn)(void *ctx, size_t job, cdtime_t lateness);

#endif
