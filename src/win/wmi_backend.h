/* The WMI backend. One scheduler thread owns every job's schedule on the
 * monotonic clock and never calls COM; each Host block has a thread of its
 * own that alone makes that host's COM calls (connect, ExecQueryAsync,
 * CancelAsyncCall, Release) over a small pool of connections per
 * namespace, at most MaxConcurrentQueries calls in flight. Completed
 * results reach the caller only through the cache. Stopping is bounded: a
 * host thread stuck in a call past the bound is abandoned with its state. */
#ifndef WMI_BACKEND_H
#define WMI_BACKEND_H

#include "wmi_cache.h"
#include "wmi_config_model.h"
#include "wmi_job_stats.h" /* wmi_job_stats_t */

#include <stdbool.h>
#include <stdint.h>
#include <wbemidl.h>

typedef struct wmi_backend_s wmi_backend_t;

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

typedef struct {
  const wmi_config_t *config;       /* borrowed; must outlive the backend */
  wmi_cache_t *cache;               /* borrowed; must outlive the backend */
  wmi_locator_hook_fn locator_hook; /* NULL in production */
  wmi_services_hook_fn services_hook;
  void *hook_ctx;
  wmi_run_hook_fn run_hook;
  void *run_hook_ctx;
  wmi_health_hook_fn health_hook; /* NULL: none */
  void *health_hook_ctx;
  DWORD shutdown_wait_ms; /* bound on the whole stop; 0: 10000 */
  DWORD host_stack_size;  /* bytes reserved per host thread; 0: 1 MiB */
} wmi_backend_options_t;

/* Starts the scheduler and the host threads, after checking on a thread
 * of its own that COM and WMI's locator can be had in this process.
 * Returns 0; -1 (logged) when it cannot, with nothing left running; or -2
 * when it could not start and a host thread it started is stuck in a
 * call: then, as after an unclean stop, the config and cache must be left
 * allocated. */
int wmi_backend_start(const wmi_backend_options_t *options,
                      wmi_backend_t **out);

/* Stops everything within options.shutdown_wait_ms: runs in flight are
 * cancelled, host threads joined, and WMI's release of every sink awaited.
 * Returns true when all of it finished and was freed; false when a host
 * thread or a sink outlived the bound: that state is abandoned (logged),
 * and the config and cache must then be left allocated too. */
bool wmi_backend_stop(wmi_backend_t *backend);

void wmi_backend_job_stats(wmi_backend_t *backend, size_t job,
                           wmi_job_stats_t *out);

/* Sinks WMI has not released yet, across all backends of the process. */
long wmi_backend_live_sinks(void);

/* Wall clock and monotonic clock in collectd's time unit. */
cdtime_t wmi_backend_now(void);
cdtime_t wmi_backend_monotonic(void);

#endif
