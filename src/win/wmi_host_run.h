/* One run of a job on its host's thread: it starts (a connection from the
 * pool, the call's context and counter types, its slot, its sink, the
 * asynchronous query), completes or is cancelled past its timeout, and
 * lets go of its connection. Each function is the host thread's alone and
 * takes the context's lock only around what the scheduler shares, never
 * across a COM call. */
#ifndef WMI_HOST_RUN_H
#define WMI_HOST_RUN_H

#include "wmi_host_state.h"

/* Starts the queued run of js. Returns false when it must wait in the
 * queue for a connection to come free; true when it started or was given
 * up (counted and reported). */
bool wmi_host_run_start(wmi_host_context_t *ctx, job_state_t *js);

/* Ends the runs whose sink completed, and cancels those past their
 * timeout. */
void wmi_host_run_handle_completions(wmi_host_context_t *ctx);
void wmi_host_run_handle_cancels(wmi_host_context_t *ctx);

/* Without WMI on the thread (hr says why), the queued runs cannot start:
 * each counts as failed. */
void wmi_host_run_abandon_queued(wmi_host_context_t *ctx, HRESULT hr);

/* At stop: cancels the run in flight of js, if any, and lets go of it. */
void wmi_host_run_close(wmi_host_context_t *ctx, job_state_t *js);

#endif
