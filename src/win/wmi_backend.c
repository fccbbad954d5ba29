#include "wmi_backend.h"

#include "wmi_connection.h"
#include "wmi_hresult.h"
#include "wmi_log.h"
#include "wmi_schedule.h"
#include "wmi_sink.h"
#include "wmi_variant.h"

#include <stdlib.h>

typedef struct {
  const wmi_job_t *job;
  wmi_schedule_t schedule;
  wmi_connection_t *conn;
  BSTR statement;
  wmi_sink_t *sink;           /* the run in flight, or NULL */
  IWbemObjectSink *call_sink; /* what WMI was given for it */
  bool query_failing, connect_failing, timing_out, reported_empty;
  wmi_job_stats_t stats; /* guarded by backend->stats_lock */
} job_state_t;

struct wmi_backend_s {
  wmi_backend_options_t options;
  HANDLE thread;
  volatile LONG stop;
  wmi_sink_shared_t *shared; /* leaked on purpose if WMI keeps a sink */
  job_state_t *jobs;
  size_t jobs_num;
  IWbemLocator *locator;
  CRITICAL_SECTION stats_lock;
};

cdtime_t wmi_backend_now(void) {
  FILETIME ft;
  GetSystemTimePreciseAsFileTime(&ft);
  uint64_t t100ns = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
  t100ns -= 116444736000000000ULL; /* 1601 -> 1970 */
  /* 100 ns ticks to 2^-30 s without overflow. */
  uint64_t seconds = t100ns / 10000000ULL, rest = t100ns % 10000000ULL;
  return (seconds << 30) + (rest << 30) / 10000000ULL;
}

static const char *describe(HRESULT hr, char *buf, size_t len) {
  return wmi_hresult_describe((uint32_t)hr, buf, len);
}

static void update_stats(wmi_backend_t *b, job_state_t *js,
                         void (*update)(job_state_t *, void *), void *arg) {
  EnterCriticalSection(&b->stats_lock);
  update(js, arg);
  js->stats.runs = js->schedule.runs;
  js->stats.overruns = js->schedule.overruns;
  js->stats.timeouts = js->schedule.timeouts;
  LeaveCriticalSection(&b->stats_lock);
}

static void count_connect_failure(job_state_t *js, void *arg) {
  js->stats.connect_failures++;
  js->stats.last_status = (uint32_t)(uintptr_t)arg;
}

static void count_nothing(job_state_t *js, void *arg) {
  (void)js;
  (void)arg;
}

typedef struct {
  HRESULT status;
  size_t objects;
} run_result_t;

static void count_run(job_state_t *js, void *arg) {
  run_result_t *r = arg;
  js->stats.last_status = (uint32_t)r->status;
  if (SUCCEEDED(r->status)) {
    js->stats.completed++;
    js->stats.last_objects = r->objects;
  } else {
    js->stats.failed++;
  }
}

/* The job's connection, made on first use and after a disconnect. */
static bool ensure_connection(wmi_backend_t *b, job_state_t *js, size_t index,
                              cdtime_t now) {
  if (js->conn != NULL)
    return true;
  const wmi_job_t *job = js->job;
  HRESULT hr = wmi_connection_open(b->locator, job->host,
                                   job->query->wmi_namespace, &js->conn);
  if (FAILED(hr)) {
    char why[256];
    if (!js->connect_failing)
      wmi_log(LOG_ERR,
              "Host \"%s\", Query \"%s\": connecting to namespace "
              "\"%s\" failed: %s; retrying with backoff",
              job->host->name, job->query->name, job->query->wmi_namespace,
              describe(hr, why, sizeof(why)));
    js->connect_failing = true;
    wmi_schedule_connect_failed(&js->schedule, now);
    update_stats(b, js, count_connect_failure, (void *)(uintptr_t)(uint32_t)hr);
    return false;
  }
  if (js->connect_failing)
    wmi_log(LOG_NOTICE, "Host \"%s\", Query \"%s\": connected again",
            job->host->name, job->query->name);
  js->connect_failing = false;
  wmi_schedule_connected(&js->schedule);
  if (b->options.services_hook != NULL) {
    IWbemServices *real = wmi_connection_services(js->conn);
    IWbemServices_AddRef(real);
    wmi_connection_set_services(
        js->conn,
        b->options.services_hook(b->options.services_hook_ctx, index, real));
  }
  return true;
}

static void drop_connection(job_state_t *js) {
  wmi_connection_close(js->conn);
  js->conn = NULL;
}

static void forget_run(job_state_t *js) {
  if (js->call_sink != NULL)
    IWbemObjectSink_Release(js->call_sink);
  if (js->sink != NULL)
    wmi_sink_release(js->sink);
  js->call_sink = NULL;
  js->sink = NULL;
  wmi_schedule_finished(&js->schedule);
}

static void report_failure(job_state_t *js, HRESULT hr, const char *what) {
  char why[256];
  if (!js->query_failing)
    wmi_log(LOG_ERR, "Host \"%s\", Query \"%s\": %s: %s", js->job->host->name,
            js->job->query->name, what, describe(hr, why, sizeof(why)));
  js->query_failing = true;
}

static void start_run(wmi_backend_t *b, job_state_t *js, size_t index,
                      cdtime_t now) {
  if (!ensure_connection(b, js, index, now))
    return;
  js->sink = wmi_sink_new(b->shared, js->job, index, js->schedule.slot);
  HRESULT hr =
      js->sink ? wmi_connection_call_sink(js->conn, wmi_sink_iface(js->sink),
                                          &js->call_sink)
               : E_OUTOFMEMORY;
  if (SUCCEEDED(hr)) {
    BSTR wql = SysAllocString(L"WQL");
    hr = IWbemServices_ExecQueryAsync(wmi_connection_services(js->conn), wql,
                                      js->statement, WBEM_FLAG_BIDIRECTIONAL,
                                      NULL, js->call_sink);
    SysFreeString(wql);
  }
  if (FAILED(hr)) {
    report_failure(js, hr, "starting the query failed");
    run_result_t r = {hr, 0};
    update_stats(b, js, count_run, &r);
    forget_run(js);
    if (wmi_hresult_is_disconnect((uint32_t)hr)) {
      drop_connection(js);
      wmi_schedule_connect_failed(&js->schedule, now);
    }
  }
}

/* A query that succeeds with no objects gives no values, and under Wine
 * (and for some providers) that is how a missing class answers: say so
 * once, until it returns objects again. */
static void report_empty(job_state_t *js, size_t objects) {
  if (objects == 0 && !js->reported_empty)
    wmi_log(LOG_NOTICE,
            "Host \"%s\", Query \"%s\": the query returned no objects, so "
            "no values (check the class name and the WHERE clause)",
            js->job->host->name, js->job->query->name);
  js->reported_empty = objects == 0;
}

/* Ends the run in flight after its SetStatus(COMPLETE). */
static void finish_run(wmi_backend_t *b, job_state_t *js) {
  HRESULT status;
  size_t objects;
  if (js->sink == NULL || !wmi_sink_completed(js->sink, &status, &objects))
    return;
  /* Frees the call's slot: Wine keeps a completed call pending until it is
   * cancelled; Windows answers "not found", harmlessly. */
  IWbemServices_CancelAsyncCall(wmi_connection_services(js->conn),
                                js->call_sink);
  run_result_t r = {status, objects};
  update_stats(b, js, count_run, &r);
  if (FAILED(status)) {
    report_failure(js, status, "the query failed");
    if (wmi_hresult_is_disconnect((uint32_t)status))
      drop_connection(js);
  } else {
    if (js->query_failing || js->timing_out)
      wmi_log(LOG_NOTICE, "Host \"%s\", Query \"%s\": the query succeeds again",
              js->job->host->name, js->job->query->name);
    js->query_failing = js->timing_out = false;
    report_empty(js, objects);
  }
  forget_run(js);
}

static void cancel_run(wmi_backend_t *b, job_state_t *js) {
  if (!js->timing_out)
    wmi_log(LOG_WARNING,
            "Host \"%s\", Query \"%s\": no result within the "
            "timeout of %.1f s; the call was cancelled",
            js->job->host->name, js->job->query->name,
            CDTIME_T_TO_DOUBLE(js->job->timeout));
  js->timing_out = true;
  wmi_sink_cancel(js->sink);
  IWbemServices_CancelAsyncCall(wmi_connection_services(js->conn),
                                js->call_sink);
  update_stats(b, js, count_nothing, NULL);
  forget_run(js);
}

static void run_schedule(wmi_backend_t *b, cdtime_t *next_event) {
  cdtime_t now = wmi_backend_now();
  *next_event = now + TIME_T_TO_CDTIME_T_STATIC(1);
  for (size_t i = 0; i < b->jobs_num; i++) {
    job_state_t *js = &b->jobs[i];
    finish_run(b, js);
    switch (wmi_schedule_poll(&js->schedule, now)) {
    case WMI_SCHEDULE_START:
      start_run(b, js, i, now);
      break;
    case WMI_SCHEDULE_TIMEOUT:
      cancel_run(b, js);
      break;
    case WMI_SCHEDULE_WAIT:
      update_stats(b, js, count_nothing, NULL);
      break;
    }
    cdtime_t next = wmi_schedule_next_event(&js->schedule);
    if (next < *next_event)
      *next_event = next;
  }
}

static void shutdown_jobs(wmi_backend_t *b) {
  for (size_t i = 0; i < b->jobs_num; i++) {
    job_state_t *js = &b->jobs[i];
    if (js->sink != NULL) {
      wmi_sink_cancel(js->sink);
      IWbemServices_CancelAsyncCall(wmi_connection_services(js->conn),
                                    js->call_sink);
      forget_run(js);
    }
  }
  DWORD wait =
      b->options.shutdown_wait_ms ? b->options.shutdown_wait_ms : 10000;
  if (WaitForSingleObject(b->shared->all_released, wait) != WAIT_OBJECT_0 ||
      b->shared->live_sinks != 0)
    wmi_log(LOG_WARNING,
            "WMI still holds %ld result sink(s) after %lu ms; "
            "their memory is left allocated",
            (long)b->shared->live_sinks, (unsigned long)wait);
  for (size_t i = 0; i < b->jobs_num; i++) {
    drop_connection(&b->jobs[i]);
    SysFreeString(b->jobs[i].statement);
  }
}

static DWORD WINAPI worker_main(void *arg) {
  wmi_backend_t *b = arg;
  HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (FAILED(hr)) {
    char why[256];
    wmi_log(LOG_ERR, "CoInitializeEx failed: %s",
            describe(hr, why, sizeof(why)));
    return 1;
  }
  hr = wmi_connection_init_security();
  if (SUCCEEDED(hr))
    hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                          &IID_IWbemLocator, (void **)&b->locator);
  if (FAILED(hr)) {
    char why[256];
    wmi_log(LOG_ERR, "cannot reach WMI (COM security or WbemLocator): %s",
            describe(hr, why, sizeof(why)));
  } else {
    while (!b->stop) {
      cdtime_t next_event;
      run_schedule(b, &next_event);
      cdtime_t now = wmi_backend_now();
      DWORD ms =
          next_event > now ? (DWORD)(CDTIME_T_TO_MS(next_event - now) + 1) : 0;
      WaitForSingleObject(b->shared->wake, ms);
    }
    shutdown_jobs(b);
    IWbemLocator_Release(b->locator);
  }
  CoUninitialize();
  return 0;
}

int wmi_backend_start(const wmi_backend_options_t *options,
                      wmi_backend_t **out) {
  wmi_backend_t *b = calloc(1, sizeof(*b));
  wmi_sink_shared_t *shared = calloc(1, sizeof(*shared));
  if (b == NULL || shared == NULL)
    goto fail;
  b->options = *options;
  b->shared = shared;
  shared->cache = options->cache;
  shared->complaints = wmi_complaints_new();
  shared->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
  shared->all_released = CreateEventW(NULL, TRUE, TRUE, NULL);
  b->jobs_num = options->config->jobs_num;
  b->jobs = calloc(b->jobs_num ? b->jobs_num : 1, sizeof(*b->jobs));
  if (shared->complaints == NULL || !shared->wake || !shared->all_released ||
      b->jobs == NULL)
    goto fail;
  InitializeCriticalSection(&b->stats_lock);
  cdtime_t now = wmi_backend_now();
  for (size_t i = 0; i < b->jobs_num; i++) {
    job_state_t *js = &b->jobs[i];
    js->job = &options->config->jobs[i];
    wchar_t *wide = wmi_wide_from_utf8(js->job->query->statement);
    js->statement = wide ? SysAllocString(wide) : NULL;
    free(wide);
    if (js->statement == NULL)
      goto fail;
    wmi_schedule_init(&js->schedule, js->job->interval, js->job->timeout, now);
  }
  b->thread = CreateThread(NULL, 0, worker_main, b, 0, NULL);
  if (b->thread == NULL)
    goto fail;
  *out = b;
  return 0;
fail:
  wmi_log(LOG_ERR, "cannot start the WMI worker (out of memory or handles)");
  if (b != NULL && b->jobs != NULL)
    for (size_t i = 0; i < b->jobs_num; i++)
      SysFreeString(b->jobs[i].statement);
  if (shared != NULL) {
    wmi_complaints_free(shared->complaints);
    if (shared->wake)
      CloseHandle(shared->wake);
    if (shared->all_released)
      CloseHandle(shared->all_released);
  }
  free(shared);
  if (b != NULL)
    free(b->jobs);
  free(b);
  return -1;
}

bool wmi_backend_stop(wmi_backend_t *b) {
  if (b == NULL)
    return true;
  InterlockedExchange(&b->stop, 1);
  SetEvent(b->shared->wake);
  WaitForSingleObject(b->thread, INFINITE);
  CloseHandle(b->thread);
  bool clean = b->shared->live_sinks == 0;
  if (clean) {
    wmi_complaints_free(b->shared->complaints);
    CloseHandle(b->shared->wake);
    CloseHandle(b->shared->all_released);
    free(b->shared);
  }
  DeleteCriticalSection(&b->stats_lock);
  free(b->jobs);
  free(b);
  return clean;
}

void wmi_backend_job_stats(wmi_backend_t *b, size_t job, wmi_job_stats_t *out) {
  EnterCriticalSection(&b->stats_lock);
  *out = b->jobs[job].stats;
  LeaveCriticalSection(&b->stats_lock);
}
