/* How a job's values and notifications are named in collectd: the host
 * and plugin instance shared by the read callback, ReportStats and the
 * notifications. */
#ifndef WMI_PLUGIN_IDENTITY_H
#define WMI_PLUGIN_IDENTITY_H

#include "wmi_config_model.h"

#include "plugin.h"

/* The host and plugin instance of a job's values: a remote host's name, or
 * "" for a local one (collectd's Hostname). Writes into the caller's
 * buffers; any thread may call it. */
void wmi_plugin_identity(const wmi_job_t *job, char host[DATA_MAX_NAME_LEN],
                         char plugin_instance[DATA_MAX_NAME_LEN]);

#endif
