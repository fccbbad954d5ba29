/* ReportStats: every job's own figures, under its plugin instance, with
 * types of collectd's own types.db:
 *   duration-last_run           seconds the last completed run took
 *   objects-returned            objects it returned
 *   errors-failed_runs          runs that failed (connect, query, status)
 *   errors-timeouts             runs cancelled at their timeout
 *   errors-overruns             slots without a run (the previous one
 *                               still running, or the host busy)
 *   errors-dropped_results      results dropped because collectd's read
 *                               thread fell behind
 *   duration-since_last_success seconds since the last success (since the
 *                               start before the first one) */
#include "wmi_stats.h"

#include "wmi_plugin_identity.h"

#include "plugin.h"
#include "utils/common/common.h"

#include <stdlib.h>

struct wmi_stats_s {
  const wmi_config_t *cfg;
  cdtime_t started;
  cdtime_t *next_due; /* per job, monotonic */
};

wmi_stats_t *wmi_stats_new(const wmi_config_t *cfg, cdtime_t started) {
  wmi_stats_t *stats = calloc(1, sizeof(*stats));
  if (stats == NULL)
    return NULL;
  stats->cfg = cfg;
  stats->started = started;
  stats->next_due =
      calloc(cfg->jobs_num ? cfg->jobs_num : 1, sizeof(*stats->next_due));
  if (stats->next_due == NULL) {
    free(stats);
    return NULL;
  }
  return stats;
}

void wmi_stats_free(wmi_stats_t *stats) {
  if (stats == NULL)
    return;
  free(stats->next_due);
  free(stats);
}

static void dispatch_one(value_list_t *vl, const char *type,
                         const char *type_instance, value_t value) {
  sstrncpy(vl->type, type, sizeof(vl->type));
  sstrncpy(vl->type_instance, type_instance, sizeof(vl->type_instance));
  vl->values = &value;
  vl->values_len = 1;
  plugin_dispatch_values(vl);
}

static void dispatch_job(const wmi_job_t *job, const wmi_job_stats_t *s,
                         uint64_t dropped, cdtime_t since_success) {
  value_list_t vl = VALUE_LIST_INIT;
  vl.time = cdtime();
  vl.interval = job->interval;
  sstrncpy(vl.plugin, "wmi", sizeof(vl.plugin));
  wmi_plugin_identity(job, vl.host, vl.plugin_instance);
  if (s->completed > 0) {
    dispatch_one(&vl, "duration", "last_run",
                 (value_t){.gauge = CDTIME_T_TO_DOUBLE(s->last_duration)});
    dispatch_one(&vl, "objects", "returned",
                 (value_t){.gauge = (gauge_t)s->last_objects});
  }
  dispatch_one(&vl, "errors", "failed_runs",
               (value_t){.derive = (derive_t)s->failed});
  dispatch_one(&vl, "errors", "timeouts",
               (value_t){.derive = (derive_t)s->timeouts});
  dispatch_one(&vl, "errors", "overruns",
               (value_t){.derive = (derive_t)s->missed});
  dispatch_one(&vl, "errors", "dropped_results",
               (value_t){.derive = (derive_t)dropped});
  dispatch_one(&vl, "duration", "since_last_success",
               (value_t){.gauge = CDTIME_T_TO_DOUBLE(since_success)});
}

void wmi_stats_dispatch(wmi_stats_t *stats, wmi_backend_t *backend,
                        wmi_cache_t *cache, cdtime_t now, cdtime_t slack) {
  for (size_t j = 0; j < stats->cfg->jobs_num; j++) {
    const wmi_job_t *job = &stats->cfg->jobs[j];
    if (now + slack < stats->next_due[j])
      continue;
    /* Due again one interval on; after a stall, one interval from now. */
    stats->next_due[j] = stats->next_due[j] == 0 ? now : stats->next_due[j];
    stats->next_due[j] += job->interval;
    if (stats->next_due[j] + slack <= now)
      stats->next_due[j] = now + job->interval;
    wmi_job_stats_t s;
    wmi_backend_job_stats(backend, j, &s);
    cdtime_t since = s.last_success ? s.last_success : stats->started;
    dispatch_job(job, &s, wmi_cache_dropped(cache, j),
                 now > since ? now - since : 0);
  }
}
