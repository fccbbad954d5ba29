/* Our IWbemObjectSink: one per query run. WMI calls Indicate and SetStatus
 * on its own threads; the sink converts objects into a private batch and,
 * when the run completes successfully, publishes the batch into the cache
 * in one swap. It never blocks on anything but its own short lock. */
#ifndef WMI_SINK_H
#define WMI_SINK_H

#include "wmi_cache.h"
#include "wmi_complain.h"

#include <stdbool.h>
#include <wbemidl.h>

/* What all sinks of one backend share. It must outlive every sink: the
 * backend waits for live_sinks to reach 0 before freeing it. */
typedef struct {
  wmi_cache_t *cache;
  wmi_complaints_t *complaints;
  HANDLE wake;         /* auto-reset: a run completed */
  HANDLE all_released; /* manual-reset: set while live_sinks == 0 */
  volatile LONG live_sinks;
} wmi_sink_shared_t;

typedef struct wmi_sink_s wmi_sink_t;

/* A new sink (one reference, the caller's) collecting a run of `job` that
 * is stamped `time` (its slot). NULL when out of memory. */
wmi_sink_t *wmi_sink_new(wmi_sink_shared_t *shared, const wmi_job_t *job,
                         size_t job_index, cdtime_t time);
IWbemObjectSink *wmi_sink_iface(wmi_sink_t *sink);
void wmi_sink_release(wmi_sink_t *sink);

/* True once SetStatus(COMPLETE) arrived; then *status is its HRESULT and
 * *objects how many objects the run delivered. */
bool wmi_sink_completed(wmi_sink_t *sink, HRESULT *status, size_t *objects);

/* Drops the batch: whatever WMI still delivers is ignored. */
void wmi_sink_cancel(wmi_sink_t *sink);

#endif
