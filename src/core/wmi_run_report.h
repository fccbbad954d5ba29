/* What a user sees of one job's runs: its log lines, its health
 * notifications and its stats counters. A failure streak is logged and
 * notified once, when it starts, and its end once ("the query succeeds
 * again"); a job that flaps is damped (see wmi_health.h) and its next line
 * says so. Missed slots are reported the same way, with their own recovery
 * ("runs keep to the schedule again"). Portable: HRESULTs are plain 32-bit
 * numbers, and the caller passes the monotonic time in.
 *
 * Threads: the wmi_run_report_* functions that log a run's outcome run on
 * the job's host thread, outside the host's lock (they may call collectd's
 * log). wmi_run_report_count_* and wmi_run_report_note_missed need the
 * host's lock held: they touch what the scheduler shares. */
#ifndef WMI_RUN_REPORT_H
#define WMI_RUN_REPORT_H

#include "wmi_config_model.h"
#include "wmi_health.h"
#include "wmi_job_stats.h"
#include "wmi_schedule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Told when a job starts failing (hr says why, `what` which step; hr 0
 * when `what` is the whole reason) and when it succeeds again (hr 0, what
 * NULL): once per logged transition. The signature of the backend's
 * health hook. */
typedef void (*wmi_run_notify_fn)(void *ctx, size_t job, bool failing,
                                  uint32_t hr, const char *what);

typedef struct {
  const wmi_job_t *job; /* names the lines; borrowed */
  size_t job_index;     /* into config->jobs: what notify is told */
  wmi_run_notify_fn notify;
  void *notify_ctx;
  /* The host thread's alone. */
  wmi_health_t health; /* of the runs: failures and recoveries */
  bool reported_empty; /* "no objects" was logged for this streak */
  /* Under the host's lock: shared with the scheduler. */
  wmi_health_t missing_slots;
  uint64_t missed_seen; /* the schedule's `missed` when last looked at */
} wmi_run_report_t;

/* A report for `job` (borrowed), notifying `notify` (NULL: nobody). */
void wmi_run_report_init(wmi_run_report_t *r, const wmi_job_t *job,
                         size_t job_index, wmi_run_notify_fn notify,
                         void *notify_ctx);

/* ---- Under the host's lock ---- */

/* A run failed or could not start: `failed` and `last_status` move. */
void wmi_run_report_count_failure(wmi_job_stats_t *stats, uint32_t hr);

/* The run in flight ended with `status` (a failure when its top bit is
 * set) at `now`: `completed` or `failed` move, and the last run's figures
 * on success. Returns true when the end of a missed-slots streak is to be
 * logged: pass it to wmi_run_report_end. */
bool wmi_run_report_count_end(wmi_run_report_t *r, wmi_job_stats_t *stats,
                              const wmi_schedule_t *schedule, uint32_t status,
                              size_t objects, cdtime_t now);

/* A missed slot to log, taken under the lock and logged outside it. */
typedef struct {
  const wmi_job_t *job;
  uint64_t missed, unreported;
  const char *waiting_for;
} wmi_missed_note_t;

/* True (and *note filled) when slots were missed since the last look and
 * that is to be logged now. */
bool wmi_run_report_note_missed(wmi_run_report_t *r,
                                const wmi_schedule_t *schedule, cdtime_t now,
                                wmi_missed_note_t *note);

/* ---- Outside the lock ---- */

/* Logs a note of wmi_run_report_note_missed; `call` is the blocking call
 * the host thread is in (NULL: none). The scheduler's thread. */
void wmi_run_report_missed(const wmi_missed_note_t *note, const char *call);

/* The run's end, counted by wmi_run_report_count_end: logs the schedule's
 * recovery when `on_schedule_again`, then the query's failure or its
 * success (and that it returned no objects, once per streak). */
void wmi_run_report_end(wmi_run_report_t *r, uint32_t status, size_t objects,
                        bool on_schedule_again, cdtime_t now);

/* No connection could be had for the run: the pool logged it for its
 * namespace, so the job's transition is only notified. */
void wmi_run_report_unconnected(wmi_run_report_t *r, uint32_t hr, cdtime_t now);

/* A step of the run failed with hr: `what` names the step. */
void wmi_run_report_failure(wmi_run_report_t *r, uint32_t hr, const char *what,
                            cdtime_t now);

/* The class was read but its counters cannot be cooked: `what` is the
 * whole reason. */
void wmi_run_report_unusable(wmi_run_report_t *r, const char *what,
                             cdtime_t now);

/* The run was cancelled past its timeout. */
void wmi_run_report_timeout(wmi_run_report_t *r, cdtime_t now);

#endif
