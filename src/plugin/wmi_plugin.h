/* What the glue's files share: how a job's values and notifications are
 * named in collectd, its own figures (ReportStats) and its transitions
 * (notifications). Only the glue knows collectd's dispatch API. */
#ifndef WMI_PLUGIN_H
#define WMI_PLUGIN_H

#include "wmi_backend.h"
#include "wmi_cache.h"
#include "wmi_config_model.h"

#include "plugin.h"

/* The host and plugin instance of a job's values: a remote host's name, or
 * "" for a local one (collectd's Hostname). */
void wmi_plugin_identity(const wmi_job_t *job, char host[DATA_MAX_NAME_LEN],
                         char plugin_instance[DATA_MAX_NAME_LEN]);

/* The backend's health hook: ctx is the wmi_config_t. Queues a FAILURE
 * notification when a job starts failing and an OKAY one when it
 * recovers, between wmi_notify_open and wmi_notify_close (which drops
 * what is still queued); the read callback dispatches them with
 * wmi_notify_flush. */
void wmi_notify_open(void);
void wmi_notify_close(void);
void wmi_notify_health(void *ctx, size_t job, bool failing, uint32_t hr,
                       const char *what);
void wmi_notify_flush(void);

/* ReportStats: each job's own figures, dispatched every job interval. */
typedef struct wmi_stats_s wmi_stats_t;

/* `started` is the backend's start on its monotonic clock. NULL when out
 * of memory. */
wmi_stats_t *wmi_stats_new(const wmi_config_t *cfg, cdtime_t started);
void wmi_stats_free(wmi_stats_t *stats);

/* Dispatches the figures of every job due by `now` (monotonic; a read
 * `slack` early still counts, so that a read interval equal to the job's
 * never skips one). */
void wmi_stats_dispatch(wmi_stats_t *stats, wmi_backend_t *backend,
                        wmi_cache_t *cache, cdtime_t now, cdtime_t slack);

#endif
