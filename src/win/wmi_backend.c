#include "wmi_backend.h"

#include "wmi_clock.h"
#include "wmi_connect_probe.h"
#include "wmi_connect_server.h"
#include "wmi_host_context.h"
#include "wmi_hresult.h"
#include "wmi_log.h"
#include "wmi_signal.h"
#include "wmi_sink.h"
#include "wmi_stamp.h"

#include <stdlib.h>

#define DEFAULT_SHUTDOWN_WAIT_MS 10000
/* How long init waits for COM and WMI's locator to answer. */
#define PROBE_WAIT_MS 10000

struct wmi_backend_s {
  wmi_backend_options_t options;
  wmi_host_context_t **hosts;
  size_t hosts_num;
  /* Per config job: its host context and its place there, so that stats
   * are found in O(1) (ReportStats reads every job's every interval). */
  size_t *job_host, *job_slot;
  wmi_signal_t *released; /* counts the backend's live sinks */
  wmi_stamp_t stamps;     /* the scheduler's alone */
  HANDLE scheduler;
  HANDLE wake; /* auto-reset: stop */
  volatile LONG stop;
  CO_MTA_USAGE_COOKIE mta;
};

cdtime_t wmi_backend_now(void) { return wmi_clock_wall(); }
cdtime_t wmi_backend_monotonic(void) { return wmi_clock_monotonic(); }
long wmi_backend_live_sinks(void) { return wmi_sink_live(); }

/* ---- The scheduler thread: never calls COM. ---- */

static DWORD WINAPI scheduler_main(void *arg) {
  wmi_backend_t *b = arg;
  cdtime_t step_logged = 0; /* when a step was last logged */
  while (!b->stop) {
    /* Every job says when to look again; a second is a safety net. */
    cdtime_t next_event = wmi_clock_monotonic() + TIME_T_TO_CDTIME_T(1);
    for (size_t i = 0; i < b->hosts_num; i++) {
      int64_t stepped = 0;
      wmi_host_context_poll(b->hosts[i], &b->stamps, &next_event, &stepped);
      cdtime_t mono = wmi_clock_monotonic();
      bool log_step =
          stepped != 0 &&
          (step_logged == 0 || mono - step_logged >= TIME_T_TO_CDTIME_T(60));
      if (log_step)
        wmi_log(LOG_WARNING,
                "the system clock stepped by %+.1f s; schedules are not "
                "affected (they run on the monotonic clock)%s",
                (double)stepped / (double)TIME_T_TO_CDTIME_T(1),
                stepped < 0 ? "; stamps go on from where they were rather "
                              "than go back"
                            : "");
      if (log_step)
        step_logged = mono;
    }
    cdtime_t now = wmi_clock_monotonic();
    DWORD ms = next_event > now
                   ? (DWORD)CDTIME_T_TO_MS(next_event - now + MS_TO_CDTIME_T(1))
                   : 0;
    WaitForSingleObject(b->wake, ms);
  }
  return 0;
}

/* ---- Start and stop ---- */

static void free_backend(wmi_backend_t *b) {
  for (size_t i = 0; i < b->hosts_num; i++)
    wmi_host_context_free(b->hosts[i]);
  free(b->hosts);
  free(b->job_host);
  free(b->job_slot);
  wmi_signal_unref(b->released);
  if (b->wake != NULL)
    CloseHandle(b->wake);
  if (b->scheduler != NULL)
    CloseHandle(b->scheduler);
  free(b);
}

/* Stops the host threads started so far and waits for them; returns
 * whether all of them exited and every sink was released by the
 * deadline. */
static bool stop_hosts(wmi_backend_t *b, ULONGLONG deadline) {
  for (size_t i = 0; i < b->hosts_num; i++)
    wmi_host_context_request_stop(b->hosts[i]);
  bool joined = true;
  for (size_t i = 0; i < b->hosts_num; i++) {
    if (wmi_host_context_join(b->hosts[i], deadline))
      continue;
    const char *call = wmi_host_context_current_call(b->hosts[i]);
    wmi_log(LOG_WARNING,
            "Host \"%s\": its thread is still in a call to WMI (%s) at "
            "shutdown; it is abandoned with its state",
            wmi_host_context_host(b->hosts[i])->name,
            call ? call : "finishing");
    joined = false;
  }
  bool released =
      b->released == NULL || wmi_signal_wait_zero(b->released, deadline);
  if (!released)
    wmi_log(LOG_WARNING,
            "WMI still holds %ld result sink(s) at shutdown; their memory "
            "is left allocated",
            wmi_signal_count(b->released));
  return joined && released;
}

/* The jobs of host h: their indexes into config->jobs. */
static size_t jobs_of(const wmi_config_t *cfg, const wmi_host_t *h,
                      size_t *out) {
  size_t n = 0;
  for (size_t j = 0; j < cfg->jobs_num; j++)
    if (cfg->jobs[j].host == h)
      out[n++] = j;
  return n;
}

wmi_backend_start_result_t
wmi_backend_start(const wmi_backend_options_t *options, wmi_backend_t **out) {
  CO_MTA_USAGE_COOKIE mta = NULL;
  if (wmi_probe(options, PROBE_WAIT_MS, &mta) != 0)
    return WMI_BACKEND_FAILED;
  const wmi_config_t *cfg = options->config;
  wmi_backend_t *b = calloc(1, sizeof(*b));
  size_t *jobs = calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(*jobs));
  if (b == NULL || jobs == NULL) {
    wmi_probe_release(mta);
    free(b);
    free(jobs);
    wmi_log(LOG_ERR, "cannot start the WMI backend: out of memory");
    return WMI_BACKEND_FAILED;
  }
  b->mta = mta;
  b->options = *options;
  if (b->options.shutdown_wait_ms == 0)
    b->options.shutdown_wait_ms = DEFAULT_SHUTDOWN_WAIT_MS;
  b->released = wmi_signal_new();
  b->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
  b->hosts = calloc(cfg->hosts_num ? cfg->hosts_num : 1, sizeof(*b->hosts));
  b->job_host = calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(size_t));
  b->job_slot = calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(size_t));
  if (b->released == NULL || b->wake == NULL || b->hosts == NULL ||
      b->job_host == NULL || b->job_slot == NULL)
    goto fail;
  for (size_t j = 0; j < cfg->jobs_num; j++)
    b->job_host[j] = SIZE_MAX;
  cdtime_t now, wall;
  wmi_clock_pair(&wall, &now);
  wmi_stamp_init(&b->stamps, wall, now);
  for (size_t i = 0; i < cfg->hosts_num; i++) {
    size_t n = jobs_of(cfg, &cfg->hosts[i], jobs);
    if (n == 0)
      continue;
    wmi_host_context_t *ctx = wmi_host_context_new(
        &b->options, &cfg->hosts[i], jobs, n, b->released, &b->stamps, now);
    if (ctx == NULL)
      goto fail;
    for (size_t k = 0; k < n; k++) {
      b->job_host[jobs[k]] = b->hosts_num;
      b->job_slot[jobs[k]] = k;
    }
    b->hosts[b->hosts_num++] = ctx;
    if (!wmi_host_context_start(ctx))
      goto fail;
  }
  b->scheduler = CreateThread(NULL, 0, scheduler_main, b, 0, NULL);
  if (b->scheduler == NULL)
    goto fail;
  free(jobs);
  *out = b;
  return WMI_BACKEND_STARTED;
fail:
  wmi_log(LOG_ERR, "cannot start the WMI backend (out of memory or handles)");
  free(jobs);
  bool clean = stop_hosts(b, GetTickCount64() + b->options.shutdown_wait_ms);
  /* A stuck thread keeps its own hold on the MTA. */
  wmi_probe_release(b->mta);
  if (!clean) /* a host thread is still in a call: keep what it uses */
    return WMI_BACKEND_FAILED_THREAD_STUCK;
  free_backend(b);
  return WMI_BACKEND_FAILED;
}

bool wmi_backend_stop(wmi_backend_t *b) {
  if (b == NULL)
    return true;
  ULONGLONG deadline = GetTickCount64() + b->options.shutdown_wait_ms;
  InterlockedExchange(&b->stop, 1);
  SetEvent(b->wake);
  /* The scheduler makes no COM call; it waits on its event (and on
   * collectd's log when it logs). */
  bool scheduler_done =
      WaitForSingleObject(b->scheduler, b->options.shutdown_wait_ms / 2) ==
      WAIT_OBJECT_0;
  bool clean = stop_hosts(b, deadline) && scheduler_done;
  /* A stuck thread keeps its own hold on the MTA. */
  wmi_probe_release(b->mta);
  if (clean)
    free_backend(b);
  return clean;
}

void wmi_backend_job_waiting(wmi_backend_t *b, size_t job, char *buf,
                             size_t len) {
  if (len > 0)
    buf[0] = '\0';
  if (job < b->options.config->jobs_num && b->job_host[job] != SIZE_MAX)
    wmi_host_context_job_waiting(b->hosts[b->job_host[job]], b->job_slot[job],
                                 buf, len);
}

void wmi_backend_job_stats(wmi_backend_t *b, size_t job, wmi_job_stats_t *out) {
  *out = (wmi_job_stats_t){0};
  if (job < b->options.config->jobs_num && b->job_host[job] != SIZE_MAX)
    wmi_host_context_stats(b->hosts[b->job_host[job]], b->job_slot[job], out);
}
