/* Our IWbemObjectSink: one per query run. WMI calls Indicate and SetStatus
 * on its own threads; the sink converts objects into a private batch and,
 * when the run completes successfully, appends the batch to its job's FIFO
 * in the cache, then wakes its host. It never waits on anything but short
 * locks: its own, its job's complaint set's, the cache's (and collectd's
 * log, when a value cannot be used). */
#ifndef WMI_SINK_H
#define WMI_SINK_H

#include "wmi_cache.h"
#include "wmi_complain.h"
#include "wmi_cook.h"
#include "wmi_signal.h"

#include <stdbool.h>
#include <wbemidl.h>

/* Where a run's results go. Everything here must outlive the sink: the
 * backend frees it only once `released` counts no live sink. */
typedef struct {
  wmi_cache_t *cache;
  const wmi_job_t *job;
  size_t job_index;
  wmi_complaints_t *complaints; /* the job's own */
  wmi_cook_t *cook;             /* the job's own; NULL when nothing cooks */
  wmi_signal_t *completed;      /* raised on SetStatus(COMPLETE) */
  wmi_signal_t *released;       /* counts live sinks */
} wmi_sink_target_t;

typedef struct wmi_sink_s wmi_sink_t;

/* A new sink (one reference, the caller's) for a run stamped `stamp`. It
 * takes references on both signals. NULL when out of memory. */
wmi_sink_t *wmi_sink_new(const wmi_sink_target_t *target, cdtime_t stamp);
IWbemObjectSink *wmi_sink_iface(wmi_sink_t *sink);
void wmi_sink_release(wmi_sink_t *sink);

/* True once SetStatus(COMPLETE) arrived; then *status is its HRESULT and
 * *objects how many objects the run delivered. */
bool wmi_sink_completed(wmi_sink_t *sink, HRESULT *status, size_t *objects);

/* Drops the batch: whatever WMI still delivers is ignored. Returns true
 * when it came too late: the run had completed (and, if it succeeded, its
 * result is in the cache). */
bool wmi_sink_cancel(wmi_sink_t *sink);

/* Sinks not yet released by WMI, in the whole process. */
long wmi_sink_live(void);

#endif
