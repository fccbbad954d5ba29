/* The WMI backend: one worker thread that owns all COM. It connects to
 * each host, starts every job's query on its schedule with
 * ExecQueryAsync, cancels runs that overstay their timeout, reconnects
 * with backoff, and on stop cancels what is in flight and waits (bounded)
 * until WMI has released every sink. Results reach the caller only
 * through the cache. */
#ifndef WMI_BACKEND_H
#define WMI_BACKEND_H

#include "wmi_cache.h"
#include "wmi_config.h"

#include <stdbool.h>
#include <stdint.h>
#include <wbemidl.h>

typedef struct wmi_backend_s wmi_backend_t;

/* Lets a test put a fault-injecting wrapper around each real connection:
 * receives the real services (a reference it takes over) and returns the
 * one to use. */
typedef IWbemServices *(*wmi_services_hook_fn)(void *ctx, size_t job,
                                               IWbemServices *real);

typedef struct {
  const wmi_config_t *config;         /* borrowed; must outlive the backend */
  wmi_cache_t *cache;                 /* borrowed; must outlive the backend */
  wmi_services_hook_fn services_hook; /* NULL in production */
  void *services_hook_ctx;
  DWORD shutdown_wait_ms; /* bound on waiting for WMI; 0: 10000 */
} wmi_backend_options_t;

typedef struct {
  uint64_t runs, completed, failed, timeouts, overruns, connect_failures;
  size_t last_objects;  /* objects of the last completed run */
  uint32_t last_status; /* HRESULT of the last finished run */
} wmi_job_stats_t;

/* Starts the worker. Returns 0, or -1 (logged) when it cannot. */
int wmi_backend_start(const wmi_backend_options_t *options,
                      wmi_backend_t **out);

/* Stops the worker, cancels runs in flight and waits for WMI to release
 * the sinks. Returns true when everything was released and freed; false
 * when WMI still holds a sink after the bound: then the shared state is
 * left allocated on purpose, and so must be the config and cache. */
bool wmi_backend_stop(wmi_backend_t *backend);

void wmi_backend_job_stats(wmi_backend_t *backend, size_t job,
                           wmi_job_stats_t *out);

/* Wall clock in collectd's time unit; cdtime() without the daemon. */
cdtime_t wmi_backend_now(void);

#endif
