/* A job's own figures (ReportStats): what its runs did so far. Written by
 * the job's host thread and read by collectd's read thread, under the host
 * context's lock; wmi_run_report.h moves the counters. */
#ifndef WMI_JOB_STATS_H
#define WMI_JOB_STATS_H

#include "plugin.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t runs;             /* runs handed to the host */
  uint64_t completed;        /* runs that completed successfully */
  uint64_t failed;           /* runs that failed (start or status) */
  uint64_t timeouts;         /* runs cancelled past their timeout */
  uint64_t missed;           /* slots without a run: overruns, a busy host */
  uint64_t connect_failures; /* failed connection attempts for this job */
  size_t last_objects;       /* objects of the last completed run */
  uint32_t last_status;      /* HRESULT of the last finished run */
  cdtime_t last_duration;    /* of the last completed run */
  cdtime_t last_success;     /* monotonic end of it; 0: none yet */
} wmi_job_stats_t;

#endif
