#include "wmi_dryrun_wait.h"

#include <stdlib.h>

/* How often the wait looks at the jobs' stats: a dry run is one read, and
 * a tenth of a second is nothing beside a WMI query. */
#define POLL_MS 50

/* Set by Ctrl-C (or the test) during the wait; made once, manual-reset,
 * cleared when a wait begins. */
static HANDLE interrupted;
static INIT_ONCE interrupted_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK make_event(INIT_ONCE *once, void *param, void **ctx) {
  (void)once, (void)param, (void)ctx;
  interrupted = CreateEventW(NULL, TRUE, FALSE, NULL);
  return TRUE;
}

static HANDLE interrupt_event(void) {
  InitOnceExecuteOnce(&interrupted_once, make_event, NULL, NULL);
  return interrupted;
}

void wmi_dryrun_wait_interrupt(void) {
  HANDLE ev = interrupt_event();
  if (ev != NULL)
    SetEvent(ev);
}

/* Not handled here: collectd's own handler (it stops its loop) runs as
 * well. */
static BOOL WINAPI on_console_ctrl(DWORD type) {
  (void)type;
  wmi_dryrun_wait_interrupt();
  return FALSE;
}

/* Waits ms, or less when interrupted: true then. */
static bool pause_or_interrupt(HANDLE ev, DWORD ms) {
  if (ev == NULL) {
    Sleep(ms);
    return false;
  }
  return WaitForSingleObject(ev, ms) == WAIT_OBJECT_0;
}

/* Takes every waiting result: dispatched, then kept. Adds what the cache
 * dropped to *dropped. */
static void take_results(const wmi_dryrun_wait_t *w, uint64_t *dropped) {
  uint64_t lost = 0;
  wmi_batch_t *batch = wmi_cache_take(w->cache, &lost);
  *dropped += lost;
  while (batch != NULL) {
    wmi_batch_t *next = batch->next;
    if (w->dispatch != NULL)
      w->dispatch(batch, w->dispatch_ctx);
    wmi_dryrun_keep(w->record, batch);
    batch = next;
  }
}

size_t wmi_dryrun_wait(const wmi_dryrun_wait_t *w) {
  const wmi_config_t *cfg = w->config;
  wmi_job_stats_t *stats =
      calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(*stats));
  if (stats == NULL)
    return cfg->jobs_num;
  cdtime_t bound = wmi_dryrun_bound(cfg);
  HANDLE ev = interrupt_event();
  if (ev != NULL)
    ResetEvent(ev);
  SetConsoleCtrlHandler(on_console_ctrl, TRUE);
  bool stopped = false;
  uint64_t dropped = 0;
  size_t pending;
  for (;;) {
    /* Stats first: a run counted as completed published its result
     * before, so the take below has it. */
    pending = 0;
    for (size_t j = 0; j < cfg->jobs_num; j++) {
      wmi_backend_job_stats(w->backend, j, &stats[j]);
      pending += !wmi_dryrun_job_reportable(w->record, j, &stats[j]);
    }
    take_results(w, &dropped);
    if (pending == 0 || stopped ||
        wmi_backend_monotonic() - w->started >= bound)
      break;
    /* Once more after an interrupt: what came meanwhile is reported. */
    stopped = pause_or_interrupt(ev, POLL_MS);
  }
  SetConsoleCtrlHandler(on_console_ctrl, FALSE);
  /* What each job still waits for, at the end of the wait. */
  char(*why)[96] = calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(*why));
  const char **waiting =
      calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(*waiting));
  for (size_t j = 0; why != NULL && waiting != NULL && j < cfg->jobs_num; j++) {
    if (!wmi_dryrun_job_done(&cfg->jobs[j], &stats[j]))
      wmi_backend_job_waiting(w->backend, j, why[j], sizeof(why[j]));
    waiting[j] = why[j];
  }
  wmi_dryrun_report_t report = {
      .stats = stats,
      .local_host = w->local_host,
      .identity = w->identity,
      .waited = wmi_backend_monotonic() - w->started,
      .bound = bound,
      .interrupted = stopped,
      .dropped = dropped,
      .waiting = why != NULL ? waiting : NULL,
  };
  if (w->dropped != NULL)
    *w->dropped = dropped;
  wmi_dryrun_print(w->record, &report, w->out);
  size_t unfinished = 0, not_ok = 0;
  for (size_t j = 0; j < cfg->jobs_num; j++) {
    unfinished += !wmi_dryrun_job_done(&cfg->jobs[j], &stats[j]);
    not_ok += !wmi_dryrun_job_ok(&cfg->jobs[j], &stats[j]);
  }
  if (w->not_ok != NULL)
    *w->not_ok = not_ok;
  free(why);
  free(waiting);
  free(stats);
  return unfinished;
}
