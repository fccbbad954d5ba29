/* One Host block's execution: a thread of its own (in the MTA) that alone
 * makes the host's COM calls (connect, ExecQueryAsync, CancelAsyncCall,
 * Release) over one connection pool per namespace, with at most
 * MaxConcurrentQueries calls in flight. The scheduler thread hands it due
 * runs and cancel requests through wmi_host_context_poll, under a lock
 * that is never held across a COM call, so a host stuck in any call delays
 * only its own jobs. */
#ifndef WMI_HOST_CONTEXT_H
#define WMI_HOST_CONTEXT_H

#include "wmi_backend_options.h"
#include "wmi_signal.h"
#include "wmi_stamp.h"

typedef struct wmi_host_context_s wmi_host_context_t;

/* A context for the jobs of `host` (their indexes into config->jobs),
 * their first slots after monotonic `now`, on grids placed so that their
 * stamps fall on the same offset in each interval of the wall clock.
 * `host` as wmi_config_finish left it (MaxConcurrentQueries resolved).
 * `released` counts the backend's live sinks (a reference is taken).
 * Everything borrowed must outlive the context. NULL when out of memory. */
wmi_host_context_t *wmi_host_context_new(const wmi_backend_options_t *options,
                                         const wmi_host_t *host,
                                         const size_t *jobs, size_t jobs_num,
                                         wmi_signal_t *released,
                                         const wmi_stamp_t *stamps,
                                         cdtime_t now);
/* Starts the host's thread; false (logged) when it cannot. */
bool wmi_host_context_start(wmi_host_context_t *ctx);

/* The scheduler's turn, at the monotonic time read under the context's
 * lock: hands due runs to the host, asks it to cancel late ones, logs
 * missed slots. Lowers *next_event to this host's next event. *stepped
 * gets a step of the wall clock seen by the stamps (0: none). */
void wmi_host_context_poll(wmi_host_context_t *ctx, wmi_stamp_t *stamps,
                           cdtime_t *next_event, int64_t *stepped);

/* Asks the thread to cancel its calls, close its connections and exit. */
void wmi_host_context_request_stop(wmi_host_context_t *ctx);
/* Waits for the thread until deadline_ms (GetTickCount64); true if it
 * exited. */
bool wmi_host_context_join(wmi_host_context_t *ctx, ULONGLONG deadline_ms);
/* The blocking call the thread is in now, or NULL. */
const char *wmi_host_context_current_call(const wmi_host_context_t *ctx);
const wmi_host_t *wmi_host_context_host(const wmi_host_context_t *ctx);
/* What the job at `slot` waits for, in a few words ("" when it has
 * nothing queued or running): a queued run the host thread is busy before
 * (its blocking call named: ConnectServer, GetObject, ...), or that waits
 * behind MaxConcurrentQueries; or a run whose query is running. */
void wmi_host_context_job_waiting(wmi_host_context_t *ctx, size_t slot,
                                  char *buf, size_t len);
/* Frees a context whose thread was joined and whose sinks are released. */
void wmi_host_context_free(wmi_host_context_t *ctx);

/* Copies the stats of the job at `slot`: its place in the `jobs` given to
 * wmi_host_context_new. */
void wmi_host_context_stats(wmi_host_context_t *ctx, size_t slot,
                            wmi_job_stats_t *out);

#endif
