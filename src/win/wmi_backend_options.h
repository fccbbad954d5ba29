/* What a backend is started with and what it reports per job: plain data
 * that its parts (probe, host contexts) share with its caller, apart from
 * the backend's API in wmi_backend.h. */
#ifndef WMI_BACKEND_OPTIONS_H
#define WMI_BACKEND_OPTIONS_H

#include "wmi_backend_hooks.h"
#include "wmi_cache.h"
#include "wmi_config.h"

#include <windows.h>

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

typedef struct {
  uint64_t runs;             /* runs handed to the host */
  uint64_t completed;        /* runs that completed successfully */
  uint64_t failed;           /* runs that failed (start or status) */
  uint64_t timeouts;         /* runs cancelled past their timeout */
  uint64_t missed;           /* slots without a run: overruns, a busy host */
  uint64_t connect_failures; /* failed connection attempts for this job */
  size_t last_objects;       /* objects of the last completed run */
  uint32_t last_status;      /* HRESULT of the last finished run */
  cdtime_t last_duration;    /* of the last completed run */
  cdtime_t last_success;     /* monotonic end of it; 0: none yet */
} wmi_job_stats_t;

#endif
