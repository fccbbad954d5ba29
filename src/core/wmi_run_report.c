#include "wmi_run_report.h"

#include "wmi_hresult.h"
#include "wmi_log.h"

#include <inttypes.h>
#include <stdio.h>

/* FAILED() for an HRESULT held as a plain number: its top bit. */
#define HR_FAILED(hr) (((hr)&0x80000000u) != 0)
/* WBEM_E_TIMED_OUT: what a run cancelled past its timeout is notified. */
static const uint32_t timed_out = 0x80041069u;

void wmi_run_report_init(wmi_run_report_t *r, const wmi_job_t *job,
                         size_t job_index, wmi_run_notify_fn notify,
                         void *notify_ctx) {
  *r = (wmi_run_report_t){.job = job,
                          .job_index = job_index,
                          .notify = notify,
                          .notify_ctx = notify_ctx};
}

void wmi_run_report_count_failure(wmi_job_stats_t *stats, uint32_t hr) {
  stats->failed++;
  stats->last_status = hr;
}

bool wmi_run_report_count_end(wmi_run_report_t *r, wmi_job_stats_t *stats,
                              const wmi_schedule_t *schedule, uint32_t status,
                              size_t objects, cdtime_t now) {
  if (HR_FAILED(status)) {
    wmi_run_report_count_failure(stats, status);
    return false;
  }
  stats->last_status = status;
  stats->completed++;
  stats->last_objects = objects;
  stats->last_duration = now - schedule->started;
  stats->last_success = now;
  /* Only a run with no slot missed since the last look ends the streak. */
  return schedule->missed == r->missed_seen &&
         wmi_health_succeeded(&r->missing_slots);
}

bool wmi_run_report_note_missed(wmi_run_report_t *r,
                                const wmi_schedule_t *schedule, cdtime_t now,
                                wmi_missed_note_t *note) {
  if (schedule->missed == r->missed_seen)
    return false;
  r->missed_seen = schedule->missed;
  uint64_t unreported = 0;
  if (!wmi_health_failed(&r->missing_slots, now, &unreported))
    return false;
  *note = (wmi_missed_note_t){
      .job = r->job,
      .missed = schedule->missed,
      .unreported = unreported,
      .waiting_for = schedule->state == WMI_RUN_RUNNING
                         ? "the previous run was still running"
                         : "the host was still busy with earlier calls",
  };
  return true;
}

/* What a damped line adds: how much went unlogged before it. `earlier`
 * names it ("failures", "misses"); NULL counts the failures instead. */
static const char *flaps(char *buf, size_t len, uint64_t unreported,
                         const char *earlier) {
  if (unreported == 0)
    return "";
  if (earlier != NULL)
    snprintf(buf, len, " (it flaps: earlier %s were not logged)", earlier);
  else
    snprintf(buf, len,
             " (it flaps: %" PRIu64 " failure(s) since the last report)",
             unreported);
  return buf;
}

static void notify(const wmi_run_report_t *r, bool failing, uint32_t hr,
                   const char *what) {
  if (r->notify != NULL)
    r->notify(r->notify_ctx, r->job_index, failing, hr, what);
}

void wmi_run_report_missed(const wmi_missed_note_t *note, const char *call) {
  char damped[96];
  wmi_log(LOG_WARNING,
          "Host \"%s\", Query \"%s\": a run was due while %s%s%s%s; "
          "%" PRIu64 " slot(s) missed so far%s",
          note->job->host->name, note->job->query->name, note->waiting_for,
          call ? " (in " : "", call ? call : "", call ? ")" : "", note->missed,
          flaps(damped, sizeof(damped), note->unreported, "misses"));
}

/* A query that succeeds with no objects gives no values, and under Wine
 * (and for some providers) that is how a missing class answers: say so
 * once, until it returns objects again. */
static void report_success(wmi_run_report_t *r, size_t objects) {
  if (wmi_health_succeeded(&r->health)) {
    notify(r, false, 0, NULL);
    wmi_log(LOG_NOTICE, "Host \"%s\", Query \"%s\": the query succeeds again",
            r->job->host->name, r->job->query->name);
  }
  if (objects == 0 && !r->reported_empty)
    wmi_log(LOG_NOTICE,
            "Host \"%s\", Query \"%s\": the query returned no objects, so "
            "no values (check the class name and the WHERE clause)",
            r->job->host->name, r->job->query->name);
  r->reported_empty = objects == 0;
}

void wmi_run_report_end(wmi_run_report_t *r, uint32_t status, size_t objects,
                        bool on_schedule_again, cdtime_t now) {
  if (on_schedule_again)
    wmi_log(LOG_NOTICE,
            "Host \"%s\", Query \"%s\": runs keep to the "
            "schedule again",
            r->job->host->name, r->job->query->name);
  if (HR_FAILED(status))
    wmi_run_report_failure(r, status, "the query failed", now);
  else
    report_success(r, objects);
}

void wmi_run_report_unconnected(wmi_run_report_t *r, uint32_t hr,
                                cdtime_t now) {
  uint64_t unreported = 0;
  if (wmi_health_failed(&r->health, now, &unreported))
    notify(r, true, hr, "connecting failed");
}

void wmi_run_report_failure(wmi_run_report_t *r, uint32_t hr, const char *what,
                            cdtime_t now) {
  uint64_t unreported = 0;
  if (!wmi_health_failed(&r->health, now, &unreported))
    return;
  notify(r, true, hr, what);
  char why[256], damped[96];
  wmi_log(LOG_ERR, "Host \"%s\", Query \"%s\": %s: %s%s", r->job->host->name,
          r->job->query->name, what, wmi_hresult_describe(hr, why, sizeof(why)),
          flaps(damped, sizeof(damped), unreported, NULL));
}

void wmi_run_report_unusable(wmi_run_report_t *r, const char *what,
                             cdtime_t now) {
  uint64_t unreported = 0;
  if (!wmi_health_failed(&r->health, now, &unreported))
    return;
  notify(r, true, 0, what); /* `what` is the whole reason */
  char damped[96];
  wmi_log(LOG_ERR, "Host \"%s\", Query \"%s\", %s%s", r->job->host->name,
          r->job->query->name, what,
          flaps(damped, sizeof(damped), unreported, "failures"));
}

void wmi_run_report_timeout(wmi_run_report_t *r, cdtime_t now) {
  uint64_t unreported = 0;
  if (!wmi_health_failed(&r->health, now, &unreported))
    return;
  notify(r, true, timed_out, "no result within the timeout");
  char damped[96];
  wmi_log(LOG_WARNING,
          "Host \"%s\", Query \"%s\": no result within the timeout of "
          "%.1f s; the call was cancelled%s",
          r->job->host->name, r->job->query->name,
          CDTIME_T_TO_DOUBLE(r->job->timeout),
          flaps(damped, sizeof(damped), unreported, "failures"));
}
