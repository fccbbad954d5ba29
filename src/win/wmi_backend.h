/* The WMI backend. One scheduler thread owns every job's schedule on the
 * monotonic clock and never calls COM; each Host block has a thread of its
 * own that alone makes that host's COM calls (connect, ExecQueryAsync,
 * CancelAsyncCall, Release) over a small pool of connections per
 * namespace, at most MaxConcurrentQueries calls in flight. Completed
 * results reach the caller only through the cache. Stopping is bounded: a
 * host thread stuck in a call past the bound is abandoned with its state. */
#ifndef WMI_BACKEND_H
#define WMI_BACKEND_H

#include "wmi_backend_options.h"

#include <stdbool.h>

typedef struct wmi_backend_s wmi_backend_t;

typedef enum {
  WMI_BACKEND_STARTED,
  WMI_BACKEND_FAILED, /* logged; nothing is left running */
  /* It could not start, and a host thread it started is stuck in a call:
   * as after an unclean stop, the config and cache must be left
   * allocated. */
  WMI_BACKEND_FAILED_THREAD_STUCK,
} wmi_backend_start_result_t;

/* Starts the scheduler and the host threads, after checking on a thread
 * of its own that COM and WMI's locator can be had in this process. On
 * WMI_BACKEND_STARTED *out is the backend, which the caller stops (and so
 * frees) with wmi_backend_stop; otherwise see the result's comments.
 * From one thread at a time (collectd's init callback). */
wmi_backend_start_result_t
wmi_backend_start(const wmi_backend_options_t *options, wmi_backend_t **out);

/* Stops everything within options.shutdown_wait_ms: runs in flight are
 * cancelled, host threads joined, and WMI's release of every sink awaited.
 * Returns true when all of it finished and was freed; false when a host
 * thread or a sink outlived the bound: that state is abandoned (logged),
 * and the config and cache must then be left allocated too. */
bool wmi_backend_stop(wmi_backend_t *backend);

void wmi_backend_job_stats(wmi_backend_t *backend, size_t job,
                           wmi_job_stats_t *out);

/* What the job waits for now (wmi_host_context_job_waiting; "" for a job
 * without a host). */
void wmi_backend_job_waiting(wmi_backend_t *backend, size_t job, char *buf,
                             size_t len);

/* Sinks WMI has not released yet, across all backends of the process. */
long wmi_backend_live_sinks(void);

/* Wall clock and monotonic clock in collectd's time unit. */
cdtime_t wmi_backend_now(void);
cdtime_t wmi_backend_monotonic(void);

#endif
