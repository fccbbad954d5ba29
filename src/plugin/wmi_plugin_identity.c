#include "wmi_plugin_identity.h"

#include "wmi_naming.h"

void wmi_plugin_identity(const wmi_job_t *job, char host[DATA_MAX_NAME_LEN],
                         char plugin_instance[DATA_MAX_NAME_LEN]) {
  wmi_name_sanitize(plugin_instance, DATA_MAX_NAME_LEN,
                    job->query->plugin_instance);
  host[0] = '\0';
  if (!wmi_host_is_local(job->host)) /* else collectd's Hostname */
    wmi_name_sanitize(host, DATA_MAX_NAME_LEN, job->host->name);
}
