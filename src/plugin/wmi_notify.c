/* Notifications of jobs' transitions: FAILURE once when a job starts
 * failing, OKAY once when it recovers. Called on the job's host thread. */
#include "wmi_hresult.h"
#include "wmi_plugin.h"

#include "utils/common/common.h"

void wmi_notify_health(void *ctx, size_t job_index, bool failing, uint32_t hr,
                       const char *what) {
  const wmi_config_t *cfg = ctx;
  const wmi_job_t *job = &cfg->jobs[job_index];
  notification_t n = {
      .severity = failing ? NOTIF_FAILURE : NOTIF_OKAY,
      .time = cdtime(),
  };
  wmi_plugin_identity(job, n.host, n.plugin_instance);
  if (n.host[0] == '\0') /* values get collectd's Hostname by themselves */
    sstrncpy(n.host, hostname_g, sizeof(n.host));
  sstrncpy(n.plugin, "wmi", sizeof(n.plugin));
  if (failing) {
    char why[256];
    snprintf(n.message, sizeof(n.message), "Host \"%s\", Query \"%s\": %s: %s",
             job->host->name, job->query->name, what,
             wmi_hresult_describe(hr, why, sizeof(why)));
  } else {
    snprintf(n.message, sizeof(n.message),
             "Host \"%s\", Query \"%s\": the query succeeds again",
             job->host->name, job->query->name);
  }
  plugin_dispatch_notification(&n);
}
