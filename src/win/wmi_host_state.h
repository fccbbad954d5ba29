/* The layout of a host context, shared by the two files that make it up:
 * wmi_host_context.c (its thread, its run queue and the scheduler's side)
 * and wmi_host_run.c (a run's COM calls on the host thread, from taking a
 * connection to letting go of it), through wmi_host_run.h. Nothing else
 * includes it. */
#ifndef WMI_HOST_STATE_H
#define WMI_HOST_STATE_H

#include "wmi_backend_options.h"
#include "wmi_connect_host.h"
#include "wmi_run_report.h"
#include "wmi_schedule.h"
#include "wmi_signal.h"
#include "wmi_sink.h"

/* As in wmi_host_context.h, which this header does not include: the two
 * files that define the context include it, the context's users do not. */
typedef struct wmi_host_context_s wmi_host_context_t;

typedef struct {
  size_t index; /* into config->jobs */
  const wmi_job_t *job;
  wmi_complaints_t *complaints;
  wmi_cook_t *cook; /* NULL when no Result has CounterType */
  BSTR statement;
  /* ProviderArchitecture's context; made and released by the host
   * thread. */
  IWbemContext *call_context;

  /* Guarded by the context's lock: shared with the scheduler. */
  wmi_schedule_t schedule;
  cdtime_t stamp; /* wall-clock stamp of the queued or running run's slot */
  wmi_job_stats_t stats;
  /* Its missed-slot part under the lock, the rest the host thread's. */
  wmi_run_report_t report;

  /* The dry run: the class's counter types were listed. The host
   * thread's alone. */
  bool types_listed;
  /* Its queued run was just given up for want of a connection: its
   * transition is reported outside the lock. The host thread's alone. */
  bool abandoned;

  /* The run in flight: the host thread's alone. */
  wmi_sink_t *sink;
  IWbemObjectSink *call_sink;
  wmi_connection_t *conn;
} job_state_t;

struct wmi_host_context_s {
  const wmi_backend_options_t *options;
  const wmi_host_t *host;
  size_t max_concurrent, in_flight;
  HANDLE thread;
  volatile LONG stop;
  const char *volatile current_call;
  wmi_signal_t *wake; /* scheduler and sinks to the host thread */
  wmi_signal_t *released;
  wmi_connect_host_t *connect; /* locator and pools: made and freed with
                                  the context, used by the host thread */

  CRITICAL_SECTION lock; /* guards the queue and the jobs' shared parts */
  size_t *queue;         /* local job indexes, in the order they were due */
  size_t queue_len;
  job_state_t *jobs;
  size_t jobs_num;
};

#endif
