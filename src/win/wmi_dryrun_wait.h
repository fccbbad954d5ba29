/* The dry run's read (collectd -T), on collectd's main thread: waits,
 * within wmi_dryrun_bound from the backend's start, until every job's runs
 * decided its status (wmi_dryrun_job_done), hands each result that comes
 * meanwhile to `dispatch` as the normal read would, keeps the latest of
 * each job, then prints the report. Called only in a dry run: the normal
 * read never waits. */
#ifndef WMI_DRYRUN_WAIT_H
#define WMI_DRYRUN_WAIT_H

#include "wmi_backend.h"
#include "wmi_dryrun.h"

#include <stdio.h>

typedef struct {
  const wmi_config_t *config; /* everything here is borrowed */
  wmi_backend_t *backend;     /* started with .dry_run = record */
  wmi_cache_t *cache;
  wmi_dryrun_t *record;
  cdtime_t started; /* monotonic, when the backend started */
  /* Each result as it is taken, before the record keeps it: the batch is
   * only read during the call. */
  void (*dispatch)(const wmi_batch_t *batch, void *ctx);
  void *dispatch_ctx;
  wmi_dryrun_identity_fn identity;
  const char *local_host; /* collectd's Hostname */
  FILE *out;
  /* Out (NULL: not wanted): results the cache dropped during the wait,
   * which the report counts too. */
  uint64_t *dropped;
  /* Out (NULL: not wanted): queries without the values they need (failed,
   * timed out or not finished). */
  size_t *not_ok;
} wmi_dryrun_wait_t;

/* Returns how many jobs did not finish within the bound. For the wait's
 * duration a console control handler (Ctrl-C, Ctrl-Break, the console
 * closing) ends the wait early, the report then saying "interrupted"; it
 * returns FALSE, so collectd's own handler runs too. */
size_t wmi_dryrun_wait(const wmi_dryrun_wait_t *w);

/* What that handler does: ends a wait under way (or the next one) at its
 * next look. Callable from any thread. */
void wmi_dryrun_wait_interrupt(void);

#endif
