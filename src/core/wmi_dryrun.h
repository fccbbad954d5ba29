/* The dry run (`collectd -T`): collectd's one read before it shuts down
 * waits for one finished run of every job and prints what each would
 * dispatch, with its status and the CounterType its class reports per
 * selected property. This is its portable part: when collectd asks for it,
 * how long the read may wait, when a job is done, and the record the
 * backend's threads fill and the report is printed from. The waiting
 * itself is the backend's (wmi_dryrun_wait.h). Nothing here runs outside
 * a dry run: the normal read path never waits on WMI. */
#ifndef WMI_DRYRUN_H
#define WMI_DRYRUN_H

#include "wmi_batch.h"
#include "wmi_config_model.h"
#include "wmi_job_stats.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Whether collectd runs its test read (-T), from its global option
 * "ReadThreads" (global_option_get): -T sets it to -1 from the command
 * line, over the configuration, and collectd then starts no read thread
 * and calls every read callback once from its main thread before shutting
 * down. With -1 from a configuration file collectd never reads at all, so
 * no read waits either. NULL: false. */
bool wmi_dryrun_requested(const char *read_threads);

/* Completed runs a job needs before its values show: 2 when a Result
 * cooks (CounterType: the first run only records raw counters), else 1. */
uint64_t wmi_dryrun_runs_needed(const wmi_job_t *job);

/* How long after its first run completes a dry run starts the second run
 * of a job that needs two (wmi_dryrun_runs_needed): a second, or its
 * Interval when that is shorter. Cooking divides by the samples' own
 * timestamps, so the short gap gives true rates. */
cdtime_t wmi_dryrun_second_run_gap(const wmi_job_t *job);

/* How long a dry run waits for the job, from its first slot: its Timeout,
 * and when it needs two runs, the gap and its Timeout again. */
cdtime_t wmi_dryrun_job_bound(const wmi_job_t *job);

/* What the dry run's read waits at most: the longest of every job's
 * bound, and one more second for the backend to report a run it cancelled
 * at its timeout. */
cdtime_t wmi_dryrun_bound(const wmi_config_t *config);

/* The job's runs, as its stats show them, decided its status: it completed
 * the runs it needs, failed or timed out. */
bool wmi_dryrun_job_done(const wmi_job_t *job, const wmi_job_stats_t *stats);

/* The job has the values it needs: it completed the runs it needs (not
 * failed, timed out or unfinished). */
bool wmi_dryrun_job_ok(const wmi_job_t *job, const wmi_job_stats_t *stats);

typedef struct wmi_dryrun_s wmi_dryrun_t;

/* A record for every job of `config` (borrowed: it must outlive the
 * record). NULL when out of memory. */
wmi_dryrun_t *wmi_dryrun_new(const wmi_config_t *config);
/* Frees the record and the results it kept. */
void wmi_dryrun_free(wmi_dryrun_t *d);

/* Whether the report can show the job: it is done (wmi_dryrun_job_done)
 * and, when a failure decided it, the record has that failure's step (the
 * host thread counts a failure under its lock and records the step a
 * moment later, outside it). */
bool wmi_dryrun_job_reportable(wmi_dryrun_t *d, size_t job,
                               const wmi_job_stats_t *stats);

/* ---- From the backend's host threads (the record has its own lock) ---- */

/* The longest step a failure names (its terminating NUL included), as the
 * backend writes it: kept whole. */
#define WMI_DRYRUN_STEP_MAX 512

/* The job's first failure, as the health hook is told it: hr (0 when
 * `what` is the whole reason) and which step failed. Later ones are
 * ignored. */
void wmi_dryrun_failure(wmi_dryrun_t *d, size_t job, uint32_t hr,
                        const char *what);

/* The CounterType qualifier the job's class reports for a selected
 * property (copied), in the order they are given. */
void wmi_dryrun_counter_type(wmi_dryrun_t *d, size_t job, const char *property,
                             uint32_t type);

/* ---- From the read callback ---- */

/* Keeps `batch` (ownership passes) as its job's latest result; the one it
 * replaces is freed. */
void wmi_dryrun_keep(wmi_dryrun_t *d, wmi_batch_t *batch);

/* The host and plugin instance of a job's identifiers (the plugin's
 * wmi_plugin_identity: "" for a local host). */
typedef void (*wmi_dryrun_identity_fn)(const wmi_job_t *job,
                                       char host[DATA_MAX_NAME_LEN],
                                       char plugin_instance[DATA_MAX_NAME_LEN]);

typedef struct {
  const wmi_job_stats_t *stats; /* per job, as the wait left them */
  const char *local_host;       /* collectd's Hostname */
  wmi_dryrun_identity_fn identity;
  cdtime_t waited, bound; /* how long the read waited, and at most */
  bool interrupted;       /* Ctrl-C ended the wait */
  uint64_t dropped;       /* results the cache dropped meanwhile */
  /* Per job, NULL or "": what a job not finished waits for, shown. */
  const char *const *waiting;
} wmi_dryrun_report_t;

/* Prints the report to `out`: a line per job with its status (ok, failed
 * with the error by name, timed out, or not finished within the wait), its
 * objects and values, then every identifier of its latest result with its
 * values ("host/wmi-<plugin instance>/<type>-<type instance> = v1[:v2]")
 * and the CounterType of each selected property its class reports. */
void wmi_dryrun_print(wmi_dryrun_t *d, const wmi_dryrun_report_t *r, FILE *out);

#endif
