/* A host context in two files: this one (its life, the scheduler's side,
 * the run queue and the thread's loop) and wmi_host_run.c (what the loop
 * does with each run: start, complete, cancel). wmi_host_state.h is the
 * layout they share. */
#include "wmi_host_context.h"

#include "wmi_clock.h"
#include "wmi_host_run.h"
#include "wmi_log.h"
#include "wmi_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_STACK_SIZE (1024 * 1024)

/* The health hook, and in a dry run its record of failures, told nothing
 * after stop: collectd may be tearing down what it would use. */
static void notify_health(void *arg, size_t job, bool failing, uint32_t hr,
                          const char *what) {
  wmi_host_context_t *ctx = arg;
  if (ctx->stop)
    return;
  if (failing && ctx->options->dry_run != NULL)
    wmi_dryrun_failure(ctx->options->dry_run, job, hr, what);
  if (ctx->options->health_hook != NULL)
    ctx->options->health_hook(ctx->options->health_hook_ctx, job, failing, hr,
                              what);
}

static int add_job(wmi_host_context_t *ctx, size_t index,
                   const wmi_stamp_t *stamps, cdtime_t now) {
  job_state_t *js = &ctx->jobs[ctx->jobs_num++];
  js->index = index;
  js->job = &ctx->options->config->jobs[index];
  char label[512];
  snprintf(label, sizeof(label), "Host \"%s\", Query \"%s\"", ctx->host->name,
           js->job->query->name);
  js->complaints = wmi_complaints_new(label);
  js->statement = bstr_from_utf8(js->job->query->statement);
  if (js->complaints == NULL || js->statement == NULL ||
      wmi_cook_new(js->job, &js->cook) != 0 ||
      wmi_connect_host_add_job(ctx->connect, js->job->query->wmi_namespace) !=
          0)
    return -1;
  bool notified =
      ctx->options->health_hook != NULL || ctx->options->dry_run != NULL;
  wmi_run_report_init(&js->report, js->job, index,
                      notified ? notify_health : NULL, ctx);
  cdtime_t interval = js->job->interval;
  /* A dry run waits for each job's first run: it comes at once (the first
   * grid point after now is now + 1), not up to an interval later. */
  cdtime_t offset =
      ctx->options->dry_run != NULL
          ? (now + 1) % interval
          : wmi_schedule_grid_offset(ctx->host->name, js->job->query->name,
                                     interval, stamps->applied);
  wmi_schedule_init(&js->schedule, interval, js->job->timeout, offset, now);
  return 0;
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
  /* Finish resolved MaxConcurrentQueries, its default included. */
  ctx->max_concurrent = (size_t)host->max_concurrent;
  ctx->released = released;
  wmi_signal_ref(released);
  InitializeCriticalSection(&ctx->lock);
  ctx->wake = wmi_signal_new();
  ctx->jobs = calloc(jobs_num ? jobs_num : 1, sizeof(*ctx->jobs));
  /* A job is queued once at a time, but its entry may linger for a
   * moment after the run was given up, when it may be queued again. */
  ctx->queue = calloc(jobs_num ? 2 * jobs_num : 1, sizeof(*ctx->queue));
  wmi_connect_host_env_t connect = {
      .host = host,
      .locator_hook = options->locator_hook,
      .pool =
          {
              .services_hook = options->services_hook,
              .hook_ctx = options->hook_ctx,
              .interval =
                  jobs_num ? options->config->jobs[jobs[0]].interval : 0,
              .current_call = &ctx->current_call,
          },
  };
  ctx->connect = wmi_connect_host_new(&connect, jobs_num);
  if (ctx->wake == NULL || ctx->jobs == NULL || ctx->queue == NULL ||
      ctx->connect == NULL) {
    wmi_host_context_free(ctx);
    return NULL;
  }
  for (size_t i = 0; i < jobs_num; i++) {
    if (add_job(ctx, jobs[i], stamps, now) != 0) {
      wmi_host_context_free(ctx);
      return NULL;
    }
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
  wmi_connect_host_free(ctx->connect);
  free(ctx->jobs);
  free(ctx->queue);
  free(ctx);
}

const wmi_host_t *wmi_host_context_host(const wmi_host_context_t *ctx) {
  return ctx->host;
}

const char *wmi_host_context_current_call(const wmi_host_context_t *ctx) {
  return ctx->current_call;
}

/* ---- The scheduler's side ---- */

/* Hands a due run to the host thread (START) or moves a queued one to its
 * later slot (RESLOT), stamping the slot; TIMEOUT wakes the host thread
 * to cancel. Returns true when the host thread is to be woken. The lock
 * is held. */
static bool poll_job(wmi_host_context_t *ctx, size_t i, wmi_stamp_t *stamps,
                     cdtime_t wall, cdtime_t now, int64_t *stepped) {
  job_state_t *js = &ctx->jobs[i];
  wmi_schedule_action_t action = wmi_schedule_poll(&js->schedule, now);
  if (action == WMI_SCHEDULE_START || action == WMI_SCHEDULE_RESLOT) {
    int64_t step = 0;
    js->stamp = wmi_stamp_of(stamps, js->schedule.slot, wall, now, &step);
    if (step != 0)
      *stepped = step;
  }
  if (action == WMI_SCHEDULE_START)
    ctx->queue[ctx->queue_len++] = i;
  return action == WMI_SCHEDULE_START || action == WMI_SCHEDULE_TIMEOUT;
}

void wmi_host_context_poll(wmi_host_context_t *ctx, wmi_stamp_t *stamps,
                           cdtime_t *next_event, int64_t *stepped) {
  wmi_missed_note_t notes[8];
  size_t notes_num = 0;
  bool wake = false;
  *stepped = 0;
  EnterCriticalSection(&ctx->lock);
  cdtime_t now, wall;
  wmi_clock_pair(&wall, &now);
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    job_state_t *js = &ctx->jobs[i];
    if (poll_job(ctx, i, stamps, wall, now, stepped))
      wake = true;
    if (notes_num < 8 && wmi_run_report_note_missed(&js->report, &js->schedule,
                                                    now, &notes[notes_num]))
      notes_num++;
    cdtime_t next = wmi_schedule_next_event(&js->schedule, now);
    if (next < *next_event)
      *next_event = next;
  }
  const char *call = ctx->current_call;
  LeaveCriticalSection(&ctx->lock);
  if (wake)
    wmi_signal_raise(ctx->wake);
  for (size_t i = 0; i < notes_num; i++)
    wmi_run_report_missed(&notes[i], call);
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
    if (!wmi_host_run_start(ctx, &ctx->jobs[job])) {
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

/* ---- The host thread ---- */

/* Cancels what is in flight and lets go of every COM object. */
static void close_everything(wmi_host_context_t *ctx) {
  for (size_t i = 0; i < ctx->jobs_num; i++)
    wmi_host_run_close(ctx, &ctx->jobs[i]);
  for (size_t i = 0; i < ctx->jobs_num; i++) {
    if (ctx->jobs[i].call_context != NULL)
      IWbemContext_Release(ctx->jobs[i].call_context);
    ctx->jobs[i].call_context = NULL;
  }
  wmi_connect_host_close(ctx->connect);
}

static DWORD WINAPI host_main(void *arg) {
  wmi_host_context_t *ctx = arg;
  wmi_connect_host_begin(ctx->connect);
  while (!ctx->stop) {
    if (wmi_connect_host_ready(ctx->connect)) {
      wmi_host_run_handle_completions(ctx);
      wmi_host_run_handle_cancels(ctx);
      start_queued(ctx);
    } else {
      wmi_host_run_abandon_queued(ctx, wmi_connect_host_error(ctx->connect));
    }
    /* Woken by the scheduler and by sinks; the period is a safety net. */
    wmi_signal_wait(ctx->wake, 1000);
  }
  close_everything(ctx);
  wmi_connect_host_end(ctx->connect);
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

void wmi_host_context_job_waiting(wmi_host_context_t *ctx, size_t slot,
                                  char *buf, size_t len) {
  EnterCriticalSection(&ctx->lock);
  wmi_run_state_t state = ctx->jobs[slot].schedule.state;
  bool full = ctx->in_flight >= ctx->max_concurrent;
  const char *call = ctx->current_call;
  LeaveCriticalSection(&ctx->lock);
  if (state == WMI_RUN_RUNNING)
    snprintf(buf, len, "its query is running");
  else if (state == WMI_RUN_QUEUED && call != NULL)
    snprintf(buf, len, "queued; the host is in %s", call);
  else if (state == WMI_RUN_QUEUED && full)
    snprintf(buf, len, "queued behind MaxConcurrentQueries");
  else if (state == WMI_RUN_QUEUED)
    snprintf(buf, len, "queued");
  else
    snprintf(buf, len, "%s", "");
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
