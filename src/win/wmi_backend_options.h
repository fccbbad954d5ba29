/* What a backend is started with: plain data that its parts (probe, host
 * contexts) share with its caller, apart from the backend's API in
 * wmi_backend.h; with wmi_job_stats.h, what it reports per job. */
#ifndef WMI_BACKEND_OPTIONS_H
#define WMI_BACKEND_OPTIONS_H

#include "wmi_backend_hooks.h"
#include "wmi_cache.h"
#include "wmi_config_model.h"
#include "wmi_dryrun.h"
#include "wmi_job_stats.h" /* wmi_job_stats_t */

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
  /* The dry run (collectd -T; NULL otherwise; borrowed, must outlive the
   * backend, as the cache): every job's first slot is at start rather than
   * on its grid; before a job's first run the CounterType of each selected
   * property is read into it, and a job's first failure too. */
  wmi_dryrun_t *dry_run;
  DWORD shutdown_wait_ms; /* bound on the whole stop; 0: 10000 */
  DWORD host_stack_size;  /* bytes reserved per host thread; 0: 1 MiB */
} wmi_backend_options_t;

#endif
