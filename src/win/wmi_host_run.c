#include "wmi_host_run.h"

#include "wmi_clock.h"
#include "wmi_counter_types.h"
#include "wmi_hresult.h"
#include "wmi_provider_architecture.h"

/* ---- Ending a run: completed, failed or cancelled ---- */

static wmi_pool_t *pool_of(const wmi_host_context_t *ctx,
                           const job_state_t *js) {
  return wmi_connect_host_pool(ctx->connect, (size_t)(js - ctx->jobs));
}

static HRESULT cancel_call(wmi_host_context_t *ctx, job_state_t *js) {
  ctx->current_call = "CancelAsyncCall";
  HRESULT hr = IWbemServices_CancelAsyncCall(wmi_connection_services(js->conn),
                                             js->call_sink);
  ctx->current_call = NULL;
  return hr;
}

/* Lets go of the run in flight and of its connection; the job is idle. */
static void forget_run(wmi_host_context_t *ctx, job_state_t *js, bool broken) {
  if (js->call_sink != NULL)
    IWbemObjectSink_Release(js->call_sink);
  if (js->sink != NULL)
    wmi_sink_release(js->sink);
  if (js->conn != NULL) {
    wmi_pool_release(pool_of(ctx, js), js->conn, broken);
    ctx->in_flight--;
  }
  js->call_sink = NULL;
  js->sink = NULL;
  js->conn = NULL;
  EnterCriticalSection(&ctx->lock);
  wmi_schedule_end(&js->schedule);
  LeaveCriticalSection(&ctx->lock);
}

static void finish_run(wmi_host_context_t *ctx, job_state_t *js, HRESULT status,
                       size_t objects) {
  /* Frees the call's slot: Wine keeps a completed call pending until it is
   * cancelled; Windows answers "not found", harmlessly. */
  cancel_call(ctx, js);
  cdtime_t now = wmi_clock_monotonic();
  bool broken = FAILED(status) && wmi_hresult_is_disconnect((uint32_t)status);
  EnterCriticalSection(&ctx->lock);
  bool on_schedule_again = wmi_run_report_count_end(
      &js->report, &js->stats, &js->schedule, (uint32_t)status, objects, now);
  /* A dry run does not wait an Interval for a cooking job's second run. */
  if (ctx->options->dry_run != NULL && js->stats.completed == 1 &&
      wmi_dryrun_runs_needed(js->job) == 2)
    wmi_schedule_bring_forward(&js->schedule,
                               now + wmi_dryrun_second_run_gap(js->job));
  LeaveCriticalSection(&ctx->lock);
  wmi_run_report_end(&js->report, (uint32_t)status, objects, on_schedule_again,
                     wmi_clock_monotonic());
  forget_run(ctx, js, broken);
}

void wmi_host_run_handle_completions(wmi_host_context_t *ctx) {
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    job_state_t *js = &ctx->jobs[i];
    HRESULT status;
    size_t objects;
    if (js->sink != NULL && wmi_sink_completed(js->sink, &status, &objects))
      finish_run(ctx, js, status, objects);
  }
}

void wmi_host_run_handle_cancels(wmi_host_context_t *ctx) {
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    job_state_t *js = &ctx->jobs[i];
    if (js->sink == NULL)
      continue;
    EnterCriticalSection(&ctx->lock);
    bool cancel = js->schedule.cancel_requested;
    LeaveCriticalSection(&ctx->lock);
    if (!cancel)
      continue;
    if (wmi_sink_cancel(js->sink)) {
      /* It completed after all, while this thread was busy: its result
       * was published, and it counts as completed. */
      HRESULT status;
      size_t objects;
      wmi_sink_completed(js->sink, &status, &objects);
      finish_run(ctx, js, status, objects);
      continue;
    }
    /* Nothing of this run is published from here on. */
    EnterCriticalSection(&ctx->lock);
    wmi_schedule_timed_out(&js->schedule);
    LeaveCriticalSection(&ctx->lock);
    wmi_run_report_timeout(&js->report, wmi_clock_monotonic());
    cancel_call(ctx, js);
    forget_run(ctx, js, false);
  }
}

/* ---- Starting a run: the steps of wmi_host_run_start ---- */

/* The queued run of js cannot start: the job is idle again and the run
 * counts as failed. The lock is held. */
static void count_abandoned(job_state_t *js, HRESULT hr) {
  wmi_schedule_abandon(&js->schedule);
  wmi_run_report_count_failure(&js->stats, (uint32_t)hr);
}

/* Counts a run that could not start for want of a connection. */
static void abandon_run(wmi_host_context_t *ctx, job_state_t *js, HRESULT hr,
                        bool attempted) {
  EnterCriticalSection(&ctx->lock);
  count_abandoned(js, hr);
  js->stats.connect_failures += attempted;
  LeaveCriticalSection(&ctx->lock);
  wmi_run_report_unconnected(&js->report, (uint32_t)hr, wmi_clock_monotonic());
}

/* Step 1: a connection from the job's pool. NULL when there is none: then
 * *waits says whether the run waits in the queue for one to come free
 * (else it was given up and counted). */
static wmi_connection_t *take_connection(wmi_host_context_t *ctx,
                                         job_state_t *js, bool *waits) {
  HRESULT hr;
  wmi_connection_t *conn = NULL;
  *waits = false;
  switch (
      wmi_pool_acquire(pool_of(ctx, js), wmi_clock_monotonic(), &conn, &hr)) {
  case WMI_POOL_OK:
    return conn;
  case WMI_POOL_BUSY:
    *waits = true;
    return NULL;
  case WMI_POOL_BACKOFF:
    abandon_run(ctx, js, hr, false);
    return NULL;
  case WMI_POOL_FAILED:
    abandon_run(ctx, js, hr, true);
    return NULL;
  }
  return NULL;
}

/* A run that fails before its call starts (its context, its class): the
 * connection goes back, the run counts as failed, the failure is logged
 * and notified once. */
static void fail_before_call(wmi_host_context_t *ctx, job_state_t *js,
                             wmi_connection_t *conn, HRESULT hr,
                             const char *what, bool unusable) {
  wmi_pool_release(pool_of(ctx, js), conn,
                   wmi_hresult_is_disconnect((uint32_t)hr));
  EnterCriticalSection(&ctx->lock);
  count_abandoned(js, hr);
  LeaveCriticalSection(&ctx->lock);
  if (unusable)
    wmi_run_report_unusable(&js->report, what, wmi_clock_monotonic());
  else
    wmi_run_report_failure(&js->report, (uint32_t)hr, what,
                           wmi_clock_monotonic());
}

/* Steps 2 and 3, what the call needs, before its clock starts (its
 * timeout is the query's alone): the ProviderArchitecture context, and on
 * the first run of CounterType "auto" the counters' types (in a dry run,
 * the first run of every job lists them). False when it failed (counted
 * and reported). */
static bool prepare_call(wmi_host_context_t *ctx, job_state_t *js,
                         wmi_connection_t *conn, IWbemContext **context) {
  HRESULT hr = wmi_provider_architecture_context(
      js->job->query->provider_architecture, &js->call_context);
  if (FAILED(hr)) {
    fail_before_call(ctx, js, conn, hr,
                     "making the context for ProviderArchitecture failed",
                     false);
    return false;
  }
  *context = js->call_context;
  if (ctx->options->dry_run != NULL && !js->types_listed) {
    js->types_listed = true;
    wmi_counter_types_list(wmi_connection_services(conn), *context, js->job,
                           js->index, ctx->options->dry_run,
                           &ctx->current_call);
  }
  if (wmi_cook_ready(js->cook))
    return true;
  char what[WMI_DRYRUN_STEP_MAX];
  bool unusable = false;
  hr = wmi_counter_types_read(wmi_connection_services(conn), *context, js->job,
                              js->cook, &ctx->current_call, what, sizeof(what),
                              &unusable);
  if (FAILED(hr)) {
    fail_before_call(ctx, js, conn, hr, what, unusable);
    return false;
  }
  return true;
}

typedef struct {
  cdtime_t now;   /* monotonic, when the run began */
  cdtime_t slot;  /* its slot, monotonic */
  cdtime_t stamp; /* its slot's wall-clock stamp */
} run_start_t;

/* Step 4: the run begins, unless its slot passed while the host was busy
 * (then the connection goes back and the schedule counted the miss). */
static bool begin_on_schedule(wmi_host_context_t *ctx, job_state_t *js,
                              wmi_connection_t *conn, run_start_t *start) {
  EnterCriticalSection(&ctx->lock);
  start->now = wmi_clock_monotonic();
  bool current = wmi_schedule_begin(&js->schedule, start->now);
  start->stamp = js->stamp;
  start->slot = js->schedule.slot;
  LeaveCriticalSection(&ctx->lock);
  if (!current) {
    wmi_pool_release(pool_of(ctx, js), conn, false);
    return false;
  }
  js->conn = conn;
  ctx->in_flight++;
  return true;
}

/* Steps 5 and 6: the run's sink, and the asynchronous query through it. */
static HRESULT issue_query(wmi_host_context_t *ctx, job_state_t *js,
                           IWbemContext *context, const run_start_t *start) {
  wmi_sink_target_t target = {
      .cache = ctx->options->cache,
      .job = js->job,
      .job_index = js->index,
      .complaints = js->complaints,
      .cook = js->cook,
      .completed = ctx->wake,
      .released = ctx->released,
  };
  js->sink = wmi_sink_new(&target, start->stamp);
  HRESULT hr =
      js->sink ? wmi_connection_call_sink(js->conn, wmi_sink_iface(js->sink),
                                          &js->call_sink)
               : E_OUTOFMEMORY;
  if (FAILED(hr))
    return hr;
  static const OLECHAR wql[] = L"WQL";
  BSTR lang = SysAllocString(wql);
  ctx->current_call = "ExecQueryAsync";
  hr = IWbemServices_ExecQueryAsync(wmi_connection_services(js->conn), lang,
                                    js->statement, WBEM_FLAG_BIDIRECTIONAL,
                                    context, js->call_sink);
  ctx->current_call = NULL;
  SysFreeString(lang);
  if (ctx->options->run_hook != NULL)
    ctx->options->run_hook(ctx->options->run_hook_ctx, js->index,
                           start->now - start->slot);
  return hr;
}

/* Step 7: the query did not start: counted, reported, let go of. */
static void fail_to_start(wmi_host_context_t *ctx, job_state_t *js,
                          HRESULT hr) {
  EnterCriticalSection(&ctx->lock);
  wmi_run_report_count_failure(&js->stats, (uint32_t)hr);
  LeaveCriticalSection(&ctx->lock);
  wmi_run_report_failure(&js->report, (uint32_t)hr, "starting the query failed",
                         wmi_clock_monotonic());
  forget_run(ctx, js, wmi_hresult_is_disconnect((uint32_t)hr));
}

/* The seven steps: a connection (1), the call's context (2) and counter
 * types (3), its slot (4), its sink (5) and query (6), or its failure (7). */
bool wmi_host_run_start(wmi_host_context_t *ctx, job_state_t *js) {
  bool waits;
  wmi_connection_t *conn = take_connection(ctx, js, &waits);
  if (conn == NULL)
    return !waits;
  IWbemContext *context = NULL;
  if (!prepare_call(ctx, js, conn, &context))
    return true;
  run_start_t start;
  if (!begin_on_schedule(ctx, js, conn, &start))
    return true;
  HRESULT hr = issue_query(ctx, js, context, &start);
  if (FAILED(hr))
    fail_to_start(ctx, js, hr);
  return true;
}

void wmi_host_run_abandon_queued(wmi_host_context_t *ctx, HRESULT hr) {
  EnterCriticalSection(&ctx->lock);
  for (size_t i = 0; i < ctx->queue_len; i++) {
    count_abandoned(&ctx->jobs[ctx->queue[i]], hr);
    ctx->jobs[ctx->queue[i]].abandoned = true;
  }
  ctx->queue_len = 0;
  LeaveCriticalSection(&ctx->lock);
  /* The transitions of the jobs whose runs were given up (not of the
   * host's others: their runs may still succeed), outside the lock (only
   * this thread changes their health). */
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    if (!ctx->jobs[i].abandoned)
      continue;
    ctx->jobs[i].abandoned = false;
    wmi_run_report_unconnected(&ctx->jobs[i].report, (uint32_t)hr,
                               wmi_clock_monotonic());
  }
}

void wmi_host_run_close(wmi_host_context_t *ctx, job_state_t *js) {
  if (js->sink == NULL)
    return;
  wmi_sink_cancel(js->sink);
  cancel_call(ctx, js);
  forget_run(ctx, js, false);
}
