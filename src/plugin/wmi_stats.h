/* ReportStats: each job's own figures, dispatched every job interval. */
#ifndef WMI_STATS_H
#define WMI_STATS_H

#include "wmi_backend.h"
#include "wmi_cache.h"
#include "wmi_config_model.h"

typedef struct wmi_stats_s wmi_stats_t;

/* `started` is the backend's start on its monotonic clock. `cfg` is
 * borrowed and must outlive the stats. NULL when out of memory; the caller
 * frees with wmi_stats_free. Both from collectd's init and shutdown
 * callbacks. */
wmi_stats_t *wmi_stats_new(const wmi_config_t *cfg, cdtime_t started);
void wmi_stats_free(wmi_stats_t *stats);

/* Dispatches the figures of every job due by `now` (monotonic; a read
 * `slack` early still counts, so that a read interval equal to the job's
 * never skips one). From the read callback only. */
void wmi_stats_dispatch(wmi_stats_t *stats, wmi_backend_t *backend,
                        wmi_cache_t *cache, cdtime_t now, cdtime_t slack);

#endif
