#include "wmi_host_context.h"

#include "wmi_clock.h"
#include "wmi_connection.h"
#include "wmi_health.h"
#include "wmi_hresult.h"
#include "wmi_log.h"
#include "wmi_pool.h"
#include "wmi_schedule.h"
#include "wmi_sink.h"
#include "wmi_text.h"
#include "wmi_wql.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define DEFAULT_MAX_CONCURRENT 4
#define DEFAULT_STACK_SIZE (1024 * 1024)

typedef struct {
  size_t index; /* into config->jobs */
  const wmi_job_t *job;
  wmi_complaints_t *complaints;
  wmi_cook_t *cook; /* NULL when no Result has CounterType */
  BSTR statement;
  wmi_pool_t *pool; /* set by the host thread */
  /* ProviderArchitecture's context; made and released by the host
   * thread. */
  IWbemContext *call_context;

  /* Guarded by the context's lock: shared with the scheduler. */
  wmi_schedule_t schedule;
  cdtime_t stamp; /* wall-clock stamp of the queued or running run's slot */
  wmi_job_stats_t stats;
  wmi_health_t missing_slots;
  uint64_t missed_seen; /* schedule.missed when last looked at */

  /* The run in flight: the host thread's alone. */
  wmi_sink_t *sink;
  IWbemObjectSink *call_sink;
  wmi_connection_t *conn;
  wmi_health_t health;
  bool reported_empty;
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
  IWbemLocator *locator;
  wmi_pool_t **pools;
  size_t pools_num;

  CRITICAL_SECTION lock; /* guards the queue and the jobs' shared parts */
  size_t *queue;         /* local job indexes, in the order they were due */
  size_t queue_len;
  job_state_t *jobs;
  size_t jobs_num;
};

static const char *describe(HRESULT hr, char *buf, size_t len) {
  return wmi_hresult_describe((uint32_t)hr, buf, len);
}

wmi_host_context_t *wmi_host_context_new(const wmi_backend_options_t *options,
                                         const wmi_host_t *host,
                                         const size_t *jobs, size_t jobs_num,
                                         wmi_signal_t *released,
                                         const wmi_stamp_t *stamps,
                                         cdtime_t now) {
  wmi_host_context_t *ctx = calloc(1, sizeof(*ctx));
  if (ctx == NULL)
    return NULL;
  ctx->options = options;
  ctx->host = host;
  ctx->max_concurrent = host->max_concurrent > 0 ? (size_t)host->max_concurrent
                                                 : DEFAULT_MAX_CONCURRENT;
  ctx->released = released;
  wmi_signal_ref(released);
  InitializeCriticalSection(&ctx->lock);
  ctx->wake = wmi_signal_new();
  ctx->jobs = calloc(jobs_num ? jobs_num : 1, sizeof(*ctx->jobs));
  /* A job is queued once at a time, but its entry may linger for a
   * moment after the run was given up, when it may be queued again. */
  ctx->queue = calloc(jobs_num ? 2 * jobs_num : 1, sizeof(*ctx->queue));
  ctx->pools = calloc(jobs_num ? jobs_num : 1, sizeof(*ctx->pools));
  if (ctx->wake == NULL || ctx->jobs == NULL || ctx->queue == NULL ||
      ctx->pools == NULL) {
    wmi_host_context_free(ctx);
    return NULL;
  }
  for (size_t i = 0; i < jobs_num; i++) {
    job_state_t *js = &ctx->jobs[ctx->jobs_num++];
    js->index = jobs[i];
    js->job = &options->config->jobs[jobs[i]];
    char label[512];
    snprintf(label, sizeof(label), "Host \"%s\", Query \"%s\"", host->name,
             js->job->query->name);
    js->complaints = wmi_complaints_new(label);
    js->statement = bstr_from_utf8(js->job->query->statement);
    if (js->complaints == NULL || js->statement == NULL ||
        wmi_cook_new(js->job, &js->cook) != 0) {
      wmi_host_context_free(ctx);
      return NULL;
    }
    cdtime_t interval = js->job->interval;
    cdtime_t offset =
        wmi_schedule_offset(host->name, js->job->query->name, interval);
    /* The grid is monotonic; shifted by wall - monotonic, stamps land on
     * `offset` in the wall clock's intervals, the same after a restart. */
    int64_t shift = stamps->applied % (int64_t)interval;
    if (shift < 0)
      shift += (int64_t)interval;
    wmi_schedule_init(&js->schedule, interval, js->job->timeout,
                      (offset + interval - (cdtime_t)shift) % interval, now);
  }
  return ctx;
}

void wmi_host_context_free(wmi_host_context_t *ctx) {
  if (ctx == NULL)
    return;
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    wmi_complaints_free(ctx->jobs[i].complaints);
    wmi_cook_free(ctx->jobs[i].cook);
    SysFreeString(ctx->jobs[i].statement);
  }
  if (ctx->thread != NULL)
    CloseHandle(ctx->thread);
  DeleteCriticalSection(&ctx->lock);
  wmi_signal_unref(ctx->wake);
  wmi_signal_unref(ctx->released);
  free(ctx->jobs);
  free(ctx->queue);
  free(ctx->pools);
  free(ctx);
}

const wmi_host_t *wmi_host_context_host(const wmi_host_context_t *ctx) {
  return ctx->host;
}

const char *wmi_host_context_current_call(const wmi_host_context_t *ctx) {
  return ctx->current_call;
}

/* ---- The scheduler's side ---- */

/* With the lock held: logs nothing, says what to log. */
typedef struct {
  const job_state_t *js;
  uint64_t missed, unreported;
  const char *waiting_for; /* "the host" or "the previous run" */
} missed_note_t;

static bool note_missed(job_state_t *js, cdtime_t now, missed_note_t *note) {
  if (js->schedule.missed == js->missed_seen)
    return false;
  js->missed_seen = js->schedule.missed;
  uint64_t unreported = 0;
  if (!wmi_health_failed(&js->missing_slots, now, &unreported))
    return false;
  *note = (missed_note_t){
      .js = js,
      .missed = js->schedule.missed,
      .unreported = unreported,
      .waiting_for = js->schedule.state == WMI_RUN_RUNNING
                         ? "the previous run was still running"
                         : "the host was still busy with earlier calls",
  };
  return true;
}

void wmi_host_context_poll(wmi_host_context_t *ctx, wmi_stamp_t *stamps,
                           cdtime_t *next_event, int64_t *stepped) {
  missed_note_t notes[8];
  size_t notes_num = 0;
  bool wake = false;
  *stepped = 0;
  EnterCriticalSection(&ctx->lock);
  cdtime_t now, wall;
  wmi_clock_pair(&wall, &now);
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    job_state_t *js = &ctx->jobs[i];
    switch (wmi_schedule_poll(&js->schedule, now)) {
    case WMI_SCHEDULE_START: {
      int64_t step = 0;
      js->stamp = wmi_stamp_of(stamps, js->schedule.slot, wall, now, &step);
      if (step != 0)
        *stepped = step;
      ctx->queue[ctx->queue_len++] = i;
      wake = true;
      break;
    }
    case WMI_SCHEDULE_RESLOT: { /* still queued, now for a later slot */
      int64_t step = 0;
      js->stamp = wmi_stamp_of(stamps, js->schedule.slot, wall, now, &step);
      if (step != 0)
        *stepped = step;
      break;
    }
    case WMI_SCHEDULE_TIMEOUT:
      wake = true;
      break;
    case WMI_SCHEDULE_WAIT:
      break;
    }
    if (notes_num < 8 && note_missed(js, now, &notes[notes_num]))
      notes_num++;
    cdtime_t next = wmi_schedule_next_event(&js->schedule, now);
    if (next < *next_event)
      *next_event = next;
  }
  const char *call = ctx->current_call;
  LeaveCriticalSection(&ctx->lock);
  if (wake)
    wmi_signal_raise(ctx->wake);
  for (size_t i = 0; i < notes_num; i++) {
    const job_state_t *js = notes[i].js;
    wmi_log(LOG_WARNING,
            "Host \"%s\", Query \"%s\": a run was due while %s%s%s%s; "
            "%" PRIu64 " slot(s) missed so far%s",
            ctx->host->name, js->job->query->name, notes[i].waiting_for,
            call ? " (in " : "", call ? call : "", call ? ")" : "",
            notes[i].missed,
            notes[i].unreported ? " (it flaps: earlier misses were not "
                                  "logged)"
                                : "");
  }
}

/* ---- The host thread's side ---- */

static void notify(wmi_host_context_t *ctx, job_state_t *js, bool failing,
                   HRESULT hr, const char *what) {
  /* After stop, collectd may be tearing down what a hook would use. */
  if (ctx->options->health_hook != NULL && !ctx->stop)
    ctx->options->health_hook(ctx->options->health_hook_ctx, js->index, failing,
                              (uint32_t)hr, what);
}

/* A connection could not be had for the job's run: the pool logged it
 * for its namespace; the job's own transition is only notified. */
static void report_unconnected(wmi_host_context_t *ctx, job_state_t *js,
                               HRESULT hr) {
  uint64_t unreported = 0;
  if (wmi_health_failed(&js->health, wmi_clock_monotonic(), &unreported))
    notify(ctx, js, true, hr, "connecting failed");
}

static void report_failure(wmi_host_context_t *ctx, job_state_t *js, HRESULT hr,
                           const char *what) {
  uint64_t unreported = 0;
  if (!wmi_health_failed(&js->health, wmi_clock_monotonic(), &unreported))
    return;
  notify(ctx, js, true, hr, what);
  char why[256];
  char flaps[96] = "";
  if (unreported > 0)
    snprintf(flaps, sizeof(flaps),
             " (it flaps: %" PRIu64 " failure(s) since the last report)",
             unreported);
  wmi_log(LOG_ERR, "Host \"%s\", Query \"%s\": %s: %s%s", ctx->host->name,
          js->job->query->name, what, describe(hr, why, sizeof(why)), flaps);
}

static void report_timeout(wmi_host_context_t *ctx, job_state_t *js) {
  uint64_t unreported = 0;
  if (!wmi_health_failed(&js->health, wmi_clock_monotonic(), &unreported))
    return;
  notify(ctx, js, true, WBEM_E_TIMED_OUT, "no result within the timeout");
  wmi_log(LOG_WARNING,
          "Host \"%s\", Query \"%s\": no result within the timeout of "
          "%.1f s; the call was cancelled%s",
          ctx->host->name, js->job->query->name,
          CDTIME_T_TO_DOUBLE(js->job->timeout),
          unreported ? " (it flaps: earlier failures were not logged)" : "");
}

/* A query that succeeds with no objects gives no values, and under Wine
 * (and for some providers) that is how a missing class answers: say so
 * once, until it returns objects again. */
static void report_success(wmi_host_context_t *ctx, job_state_t *js,
                           size_t objects) {
  if (wmi_health_succeeded(&js->health)) {
    notify(ctx, js, false, S_OK, NULL);
    wmi_log(LOG_NOTICE, "Host \"%s\", Query \"%s\": the query succeeds again",
            ctx->host->name, js->job->query->name);
  }
  if (objects == 0 && !js->reported_empty)
    wmi_log(LOG_NOTICE,
            "Host \"%s\", Query \"%s\": the query returned no objects, so "
            "no values (check the class name and the WHERE clause)",
            ctx->host->name, js->job->query->name);
  js->reported_empty = objects == 0;
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
    wmi_pool_release(js->pool, js->conn, broken);
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
  bool logged_recovery = false;
  EnterCriticalSection(&ctx->lock);
  js->stats.last_status = (uint32_t)status;
  if (SUCCEEDED(status)) {
    js->stats.completed++;
    js->stats.last_objects = objects;
    js->stats.last_duration = now - js->schedule.started;
    js->stats.last_success = now;
    if (js->schedule.missed == js->missed_seen)
      logged_recovery = wmi_health_succeeded(&js->missing_slots);
  } else {
    js->stats.failed++;
  }
  LeaveCriticalSection(&ctx->lock);
  if (logged_recovery)
    wmi_log(LOG_NOTICE,
            "Host \"%s\", Query \"%s\": runs keep to the "
            "schedule again",
            ctx->host->name, js->job->query->name);
  if (FAILED(status))
    report_failure(ctx, js, status, "the query failed");
  else
    report_success(ctx, js, objects);
  forget_run(ctx, js, broken);
}

static void handle_completions(wmi_host_context_t *ctx) {
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    job_state_t *js = &ctx->jobs[i];
    HRESULT status;
    size_t objects;
    if (js->sink != NULL && wmi_sink_completed(js->sink, &status, &objects))
      finish_run(ctx, js, status, objects);
  }
}

static void handle_cancels(wmi_host_context_t *ctx) {
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
    report_timeout(ctx, js);
    cancel_call(ctx, js);
    forget_run(ctx, js, false);
  }
}

/* Counts a run that could not start for want of a connection. */
static void abandon_run(wmi_host_context_t *ctx, job_state_t *js, HRESULT hr,
                        bool attempted) {
  EnterCriticalSection(&ctx->lock);
  wmi_schedule_abandon(&js->schedule);
  js->stats.failed++;
  js->stats.connect_failures += attempted;
  js->stats.last_status = (uint32_t)hr;
  LeaveCriticalSection(&ctx->lock);
  report_unconnected(ctx, js, hr);
}

/* ProviderArchitecture: the context that asks WMI for a 32- or 64-bit
 * provider, made once. NULL without the option. */
static HRESULT call_context(job_state_t *js, IWbemContext **out) {
  *out = NULL;
  int bits = js->job->query->provider_architecture;
  if (bits == 0)
    return S_OK;
  if (js->call_context == NULL) {
    IWbemContext *context = NULL;
    HRESULT hr =
        CoCreateInstance(&CLSID_WbemContext, NULL, CLSCTX_INPROC_SERVER,
                         &IID_IWbemContext, (void **)&context);
    if (FAILED(hr))
      return hr;
    VARIANT v;
    V_VT(&v) = VT_I4;
    V_I4(&v) = bits;
    hr = IWbemContext_SetValue(context, L"__ProviderArchitecture", 0, &v);
    if (SUCCEEDED(hr)) {
      V_VT(&v) = VT_BOOL;
      V_BOOL(&v) = VARIANT_TRUE;
      hr = IWbemContext_SetValue(context, L"__RequiredArchitecture", 0, &v);
    }
    if (FAILED(hr)) {
      IWbemContext_Release(context);
      return hr;
    }
    js->call_context = context;
  }
  *out = js->call_context;
  return S_OK;
}

/* A property's CounterType qualifier in a class definition. */
static int counter_type_qualifier(void *ctx, const char *property,
                                  uint32_t *type) {
  IWbemClassObject *cls = ctx;
  wchar_t *wide = wmi_wide_from_utf8(property);
  IWbemQualifierSet *qualifiers = NULL;
  HRESULT hr =
      wide ? IWbemClassObject_GetPropertyQualifierSet(cls, wide, &qualifiers)
           : E_OUTOFMEMORY;
  free(wide);
  if (FAILED(hr))
    return -1;
  VARIANT v;
  VariantInit(&v);
  hr = IWbemQualifierSet_Get(qualifiers, L"CounterType", 0, &v, NULL);
  IWbemQualifierSet_Release(qualifiers);
  bool ok = SUCCEEDED(hr) && (V_VT(&v) == VT_I4 || V_VT(&v) == VT_UI4);
  if (ok)
    *type = (uint32_t)V_I4(&v);
  VariantClear(&v);
  return ok ? 0 : -1;
}

/* CounterType "auto": reads each counter's type from the class definition
 * once, before the job's first run. The definition comes from WMI's
 * repository, not from the provider, so this call costs what a connect
 * does: one round trip on this host's thread (Wine has no
 * GetObjectAsync). On failure `what` says which step failed; `unusable`
 * is set when the class was read but its counters cannot be cooked (then
 * `what` is the whole reason, and hr says nothing more). */
static HRESULT resolve_counter_types(wmi_host_context_t *ctx, job_state_t *js,
                                     wmi_connection_t *conn,
                                     IWbemContext *context, char *what,
                                     size_t what_len, bool *unusable) {
  char class_name[WMI_PROPERTY_MAX] = "";
  *unusable = false;
  wmi_wql_class(js->job->query->statement, class_name, sizeof(class_name));
  snprintf(what, what_len,
           "reading the CounterType qualifiers of class \"%s\" failed",
           class_name);
  BSTR path = bstr_from_utf8(class_name);
  if (path == NULL)
    return E_OUTOFMEMORY;
  IWbemClassObject *cls = NULL;
  ctx->current_call = "GetObject";
  HRESULT hr = IWbemServices_GetObject(wmi_connection_services(conn), path,
                                       WBEM_FLAG_RETURN_WBEM_COMPLETE, context,
                                       &cls, NULL);
  ctx->current_call = NULL;
  SysFreeString(path);
  if (FAILED(hr))
    return hr;
  int resolved = wmi_cook_resolve(js->cook, js->job, counter_type_qualifier,
                                  cls, what, what_len);
  IWbemClassObject_Release(cls);
  if (resolved != 0) {
    *unusable = true;
    return WBEM_E_TYPE_MISMATCH;
  }
  return S_OK;
}

/* A run that fails before its call starts (its context, its class): the
 * connection goes back, the run counts as failed, the failure is logged
 * and notified once. */
static void fail_before_call(wmi_host_context_t *ctx, job_state_t *js,
                             wmi_connection_t *conn, HRESULT hr,
                             const char *what, bool unusable) {
  wmi_pool_release(js->pool, conn, wmi_hresult_is_disconnect((uint32_t)hr));
  EnterCriticalSection(&ctx->lock);
  wmi_schedule_abandon(&js->schedule);
  js->stats.failed++;
  js->stats.last_status = (uint32_t)hr;
  LeaveCriticalSection(&ctx->lock);
  if (!unusable) {
    report_failure(ctx, js, hr, what);
    return;
  }
  uint64_t unreported = 0;
  if (!wmi_health_failed(&js->health, wmi_clock_monotonic(), &unreported))
    return;
  notify(ctx, js, true, S_OK, what); /* `what` is the whole reason */
  wmi_log(LOG_ERR, "Host \"%s\", Query \"%s\", %s%s", ctx->host->name,
          js->job->query->name, what,
          unreported ? " (it flaps: earlier failures were not logged)" : "");
}

/* Starts the queued run of js. Returns false when it must wait for a
 * connection to come free. */
static bool start_run(wmi_host_context_t *ctx, job_state_t *js) {
  HRESULT hr;
  wmi_connection_t *conn = NULL;
  switch (wmi_pool_acquire(js->pool, wmi_clock_monotonic(), &conn, &hr)) {
  case WMI_POOL_OK:
    break;
  case WMI_POOL_BUSY:
    return false;
  case WMI_POOL_BACKOFF:
    abandon_run(ctx, js, hr, false);
    return true;
  case WMI_POOL_FAILED:
    abandon_run(ctx, js, hr, true);
    return true;
  }
  /* What the call needs, before its clock starts: its timeout is the
   * query's alone. */
  IWbemContext *context = NULL;
  char what[512];
  bool unusable = false;
  hr = call_context(js, &context);
  if (FAILED(hr)) {
    fail_before_call(ctx, js, conn, hr,
                     "making the context for ProviderArchitecture failed",
                     false);
    return true;
  }
  if (!wmi_cook_ready(js->cook)) {
    hr = resolve_counter_types(ctx, js, conn, context, what, sizeof(what),
                               &unusable);
    if (FAILED(hr)) {
      fail_before_call(ctx, js, conn, hr, what, unusable);
      return true;
    }
  }
  EnterCriticalSection(&ctx->lock);
  cdtime_t now = wmi_clock_monotonic();
  bool current = wmi_schedule_begin(&js->schedule, now);
  cdtime_t stamp = js->stamp, slot = js->schedule.slot;
  LeaveCriticalSection(&ctx->lock);
  if (!current) { /* its slot passed while the host was busy */
    wmi_pool_release(js->pool, conn, false);
    return true;
  }
  js->conn = conn;
  ctx->in_flight++;
  wmi_sink_target_t target = {
      .cache = ctx->options->cache,
      .job = js->job,
      .job_index = js->index,
      .complaints = js->complaints,
      .cook = js->cook,
      .completed = ctx->wake,
      .released = ctx->released,
  };
  js->sink = wmi_sink_new(&target, stamp);
  hr = js->sink ? wmi_connection_call_sink(conn, wmi_sink_iface(js->sink),
                                           &js->call_sink)
                : E_OUTOFMEMORY;
  if (SUCCEEDED(hr)) {
    static const OLECHAR wql[] = L"WQL";
    BSTR lang = SysAllocString(wql);
    ctx->current_call = "ExecQueryAsync";
    hr = IWbemServices_ExecQueryAsync(wmi_connection_services(conn), lang,
                                      js->statement, WBEM_FLAG_BIDIRECTIONAL,
                                      context, js->call_sink);
    ctx->current_call = NULL;
    SysFreeString(lang);
    if (ctx->options->run_hook != NULL)
      ctx->options->run_hook(ctx->options->run_hook_ctx, js->index, now - slot);
  }
  if (FAILED(hr)) {
    EnterCriticalSection(&ctx->lock);
    js->stats.failed++;
    js->stats.last_status = (uint32_t)hr;
    LeaveCriticalSection(&ctx->lock);
    report_failure(ctx, js, hr, "starting the query failed");
    forget_run(ctx, js, wmi_hresult_is_disconnect((uint32_t)hr));
  }
  return true;
}

/* Starts queued runs in the order they were due, while calls may be
 * added; a run whose pool has no free connection waits in the queue. */
static void start_queued(wmi_host_context_t *ctx) {
  size_t i = 0;
  for (;;) {
    EnterCriticalSection(&ctx->lock);
    bool more = i < ctx->queue_len && ctx->in_flight < ctx->max_concurrent;
    size_t job = more ? ctx->queue[i] : 0;
    LeaveCriticalSection(&ctx->lock);
    if (!more || ctx->stop)
      return;
    if (!start_run(ctx, &ctx->jobs[job])) {
      i++; /* waits for its pool */
      continue;
    }
    EnterCriticalSection(&ctx->lock);
    /* Only the scheduler appends, so entry i is still `job`. */
    memmove(&ctx->queue[i], &ctx->queue[i + 1],
            (ctx->queue_len - i - 1) * sizeof(*ctx->queue));
    ctx->queue_len--;
    LeaveCriticalSection(&ctx->lock);
  }
}

static wmi_pool_t *pool_for(wmi_host_context_t *ctx, const char *ns,
                            const wmi_pool_env_t *env) {
  for (size_t i = 0; i < ctx->pools_num; i++)
    if (strcasecmp(wmi_pool_namespace(ctx->pools[i]), ns) == 0)
      return ctx->pools[i];
  wmi_pool_t *pool = wmi_pool_new(ctx->host, ns, ctx->max_concurrent, env);
  if (pool != NULL)
    ctx->pools[ctx->pools_num++] = pool;
  return pool;
}

static void close_pools(wmi_host_context_t *ctx) {
  for (size_t i = 0; i < ctx->pools_num; i++)
    wmi_pool_free(ctx->pools[i]);
  ctx->pools_num = 0;
  for (size_t i = 0; i < ctx->jobs_num; i++)
    ctx->jobs[i].pool = NULL;
  if (ctx->locator != NULL) {
    ctx->current_call = "Release";
    IWbemLocator_Release(ctx->locator);
    ctx->current_call = NULL;
    ctx->locator = NULL;
  }
}

/* The host's locator and a pool per namespace of its queries. */
static HRESULT open_locator(wmi_host_context_t *ctx) {
  IWbemLocator *locator = NULL;
  HRESULT hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IWbemLocator, (void **)&locator);
  if (FAILED(hr))
    return hr;
  if (ctx->options->locator_hook != NULL)
    locator =
        ctx->options->locator_hook(ctx->options->hook_ctx, ctx->host, locator);
  if (locator == NULL)
    return REGDB_E_CLASSNOTREG;
  ctx->locator = locator;
  wmi_pool_env_t env = {
      .locator = locator,
      .services_hook = ctx->options->services_hook,
      .hook_ctx = ctx->options->hook_ctx,
      .interval = ctx->jobs_num ? ctx->jobs[0].job->interval : 0,
      .current_call = &ctx->current_call,
  };
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    ctx->jobs[i].pool =
        pool_for(ctx, ctx->jobs[i].job->query->wmi_namespace, &env);
    if (ctx->jobs[i].pool == NULL) {
      close_pools(ctx);
      return E_OUTOFMEMORY;
    }
  }
  return S_OK;
}

/* Without WMI on this thread, runs cannot start: each counts as failed. */
static void abandon_queued(wmi_host_context_t *ctx, HRESULT hr) {
  EnterCriticalSection(&ctx->lock);
  size_t abandoned = ctx->queue_len;
  for (size_t i = 0; i < ctx->queue_len; i++) {
    job_state_t *js = &ctx->jobs[ctx->queue[i]];
    wmi_schedule_abandon(&js->schedule);
    js->stats.failed++;
    js->stats.last_status = (uint32_t)hr;
  }
  ctx->queue_len = 0;
  LeaveCriticalSection(&ctx->lock);
  /* The jobs' transitions, outside the lock (only this thread changes
   * their health). */
  if (abandoned > 0)
    for (size_t i = 0; i < ctx->jobs_num; i++)
      report_unconnected(ctx, &ctx->jobs[i], hr);
}

/* Cancels what is in flight and lets go of every COM object. */
static void close_everything(wmi_host_context_t *ctx) {
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    job_state_t *js = &ctx->jobs[i];
    if (js->sink == NULL)
      continue;
    wmi_sink_cancel(js->sink);
    cancel_call(ctx, js);
    forget_run(ctx, js, false);
  }
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    if (ctx->jobs[i].call_context != NULL)
      IWbemContext_Release(ctx->jobs[i].call_context);
    ctx->jobs[i].call_context = NULL;
  }
  close_pools(ctx);
}

/* Sets up WMI on this thread, again every RETRY_MS while it fails. */
#define RETRY_MS 10000
typedef struct {
  bool com;
  HRESULT hr;
  ULONGLONG retry_at;
} setup_t;

static bool wmi_ready(wmi_host_context_t *ctx, setup_t *setup) {
  if (ctx->locator != NULL)
    return true;
  if (GetTickCount64() < setup->retry_at)
    return false;
  HRESULT hr = setup->com ? open_locator(ctx) : setup->hr;
  if (SUCCEEDED(hr)) {
    if (FAILED(setup->hr))
      wmi_log(LOG_NOTICE, "Host \"%s\": WMI can be used again",
              ctx->host->name);
    setup->hr = hr;
    return true;
  }
  if (SUCCEEDED(setup->hr) || setup->retry_at == 0) {
    char why[256];
    wmi_log(LOG_ERR, "Host \"%s\": cannot use WMI on its thread: %s%s",
            ctx->host->name, describe(hr, why, sizeof(why)),
            setup->com ? "; retrying" : "");
  }
  setup->hr = hr;
  setup->retry_at = GetTickCount64() + RETRY_MS;
  return false;
}

static DWORD WINAPI host_main(void *arg) {
  wmi_host_context_t *ctx = arg;
  setup_t setup = {.hr = CoInitializeEx(NULL, COINIT_MULTITHREADED)};
  setup.com = SUCCEEDED(setup.hr);
  while (!ctx->stop) {
    if (wmi_ready(ctx, &setup)) {
      handle_completions(ctx);
      handle_cancels(ctx);
      start_queued(ctx);
    } else {
      abandon_queued(ctx, setup.hr);
    }
    /* Woken by the scheduler and by sinks; the period is a safety net. */
    wmi_signal_wait(ctx->wake, 1000);
  }
  close_everything(ctx);
  if (setup.com)
    CoUninitialize();
  return 0;
}

bool wmi_host_context_start(wmi_host_context_t *ctx) {
  DWORD stack = ctx->options->host_stack_size ? ctx->options->host_stack_size
                                              : DEFAULT_STACK_SIZE;
  ctx->thread = CreateThread(NULL, stack, host_main, ctx,
                             STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
  if (ctx->thread == NULL)
    wmi_log(LOG_ERR, "Host \"%s\": cannot start its thread (error %lu)",
            ctx->host->name, (unsigned long)GetLastError());
  return ctx->thread != NULL;
}

void wmi_host_context_request_stop(wmi_host_context_t *ctx) {
  InterlockedExchange(&ctx->stop, 1);
  wmi_signal_raise(ctx->wake);
}

bool wmi_host_context_join(wmi_host_context_t *ctx, ULONGLONG deadline_ms) {
  if (ctx->thread == NULL)
    return true;
  ULONGLONG now = GetTickCount64();
  DWORD wait = now < deadline_ms ? (DWORD)(deadline_ms - now) : 0;
  return WaitForSingleObject(ctx->thread, wait) == WAIT_OBJECT_0;
}

void wmi_host_context_stats(wmi_host_context_t *ctx, size_t slot,
                            wmi_job_stats_t *out) {
  job_state_t *js = &ctx->jobs[slot];
  EnterCriticalSection(&ctx->lock);
  *out = js->stats;
  out->runs = js->schedule.runs;
  out->missed = js->schedule.missed;
  out->timeouts = js->schedule.timeouts;
  LeaveCriticalSection(&ctx->lock);
}
