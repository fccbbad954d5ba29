/* Promises of the manual, collectd-wmi(5) ("BEHAVIOUR WORTH KNOWING"), that
 * no other test covers, checked under Wine against its real WMI:
 * (1) MaxConcurrentQueries bounds the calls in flight per host, and a run
 *     that waits for a connection is not lost beyond what the bound forces;
 * (2) init fails, leaving no thread, when WMI's locator cannot be had;
 * (3) stamps land on a fixed phase of the wall clock, the job's offset,
 *     exactly one interval apart;
 * (4) connection errors are logged once per host and namespace, and once
 *     more when connecting works again.
 * Timings are noisy (other work runs beside): every check is on counts. */
#include "fake_unsecapp.h"
#include "log_capture.h"
#include "unit.h"
#include "wine_test.h"
#include "wmi_schedule.h"
#include "wmi_stamp.h"

#include <inttypes.h>
#include <stdio.h>

#define QUERY_OF(name)                                                         \
  "<Query \"" name "\">\nStatement \"SELECT FreePhysicalMemory FROM "          \
  "Win32_OperatingSystem\"\n<Result>\nType \"memory\"\nInstancePrefix "        \
  "\"free\"\nValuesFrom \"FreePhysicalMemory\"\n</Result>\n</Query>\n"

#define MAX_JOBS 8
#define STOP_BOUND_MS 3000

/* Wine's WMI corrupts its heap when queries of one class fill their table
 * at once (measured here: three at once crashed it): every call below goes
 * through a wrapper that lets one at a time into WMI. The calls themselves
 * still overlap, as late_ms holds their completions back. */
static HANDLE one_at_a_time;

/* A plan that passes everything through, one call at a time into WMI. */
static int gated_plan(fault_plan_t *plan) {
  if (fault_plan_init(plan, FAULT_NONE) != 0)
    return -1;
  plan->gate = one_at_a_time;
  return 0;
}

/* The results of one job as they came out of the cache. */
typedef struct {
  cdtime_t interval;
  cdtime_t first, last;
  uint64_t delivered;
  uint64_t gap_slots; /* slots between consecutive stamps without a result */
  uint64_t off_grid;  /* stamps not a whole number of intervals later */
  uint64_t off_phase; /* stamps not on the job's offset in the interval */
  uint64_t empty;     /* results without the sample */
  cdtime_t phase;     /* the expected stamp modulo the interval */
} stamps_t;

/* Distance between two phases on the circle of one interval. */
static cdtime_t phase_distance(cdtime_t a, cdtime_t b, cdtime_t interval) {
  cdtime_t d = a > b ? a - b : b - a;
  return d < interval - d ? d : interval - d;
}

static void note_stamp(stamps_t *st, const wmi_batch_t *b) {
  if (st->delivered > 0) {
    cdtime_t step = b->time > st->last ? b->time - st->last : 0;
    if (step == 0 || step % st->interval != 0)
      st->off_grid++;
    else
      st->gap_slots += step / st->interval - 1;
  } else {
    st->first = b->time;
  }
  if (phase_distance(b->time % st->interval, st->phase, st->interval) >
      WMI_STAMP_RESYNC)
    st->off_phase++;
  st->empty += b->samples_num != 1;
  st->last = b->time;
  st->delivered++;
}

/* Moves every waiting result of the run into its job's record. */
static void drain(test_run_t *run, stamps_t *jobs) {
  wmi_batch_t *next;
  for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
    next = b->next;
    if (b->job < run->config->jobs_num && b->job < MAX_JOBS)
      note_stamp(&jobs[b->job], b);
    wmi_batch_free(b);
  }
}

static size_t job_of(const test_run_t *run, const char *query) {
  for (size_t j = 0; j < run->config->jobs_num; j++)
    if (strcmp(run->config->jobs[j].query->name, query) == 0)
      return j;
  return 0;
}

static const char *query_of(const test_run_t *run, size_t job) {
  return run->config->jobs[job].query->name;
}

static void prepare_stamps(const test_run_t *run, stamps_t *jobs) {
  for (size_t j = 0; j < run->config->jobs_num && j < MAX_JOBS; j++) {
    const wmi_job_t *job = &run->config->jobs[j];
    jobs[j] = (stamps_t){
        .interval = job->interval,
        .phase = wmi_schedule_offset(job->host->name, job->query->name,
                                     job->interval),
    };
  }
}

/* Runs for `ms`, draining the cache every 100 ms. */
static DWORD collect(test_run_t *run, stamps_t *jobs, DWORD ms) {
  DWORD t0 = GetTickCount();
  while (GetTickCount() - t0 < ms) {
    Sleep(100);
    drain(run, jobs);
  }
  return GetTickCount() - t0;
}

/* ---- (1) MaxConcurrentQueries ---- */

#define BOUND_JOBS 6
/* Each call stays in flight this long: 6 of them need 1.2 s of calls per
 * 1 s interval, more than one connection gives, less than two give. */
#define LATE_MS 200
#define BOUND_RUN_MS 4000

/* Names of `n` queries whose grids on `host` lie within the first 100 ms
 * of the interval: their runs fall due together every interval and must
 * queue for the host's connections. */
static void clustered_names(const char *host, cdtime_t interval,
                            char names[][16], size_t n) {
  size_t found = 0;
  for (int i = 0; found < n && i < 1000000; i++) {
    char name[16];
    snprintf(name, sizeof(name), "q%d", i);
    if (wmi_schedule_offset(host, name, interval) < MS_TO_CDTIME_T(100))
      memcpy(names[found++], name, sizeof(name));
  }
}

static void check_bound(int max) {
  unit_case = max == 1 ? "bound 1" : "bound 2";
  char host[32], names[BOUND_JOBS][16], stanza[4096];
  snprintf(host, sizeof(host), "bound-%d", max);
  clustered_names(host, TIME_T_TO_CDTIME_T(1), names, BOUND_JOBS);
  int n = 0;
  for (size_t i = 0; i < BOUND_JOBS; i++)
    n += snprintf(stanza + n, sizeof(stanza) - (size_t)n, QUERY_OF("%s"),
                  names[i]);
  n += snprintf(stanza + n, sizeof(stanza) - (size_t)n,
                "<Host \"%s\">\nInterval 1\nMaxConcurrentQueries %d\nQuery",
                host, max);
  for (size_t i = 0; i < BOUND_JOBS; i++)
    n += snprintf(stanza + n, sizeof(stanza) - (size_t)n, " \"%s\"", names[i]);
  snprintf(stanza + n, sizeof(stanza) - (size_t)n, "\n</Host>\n");

  log_capture_start();
  static fault_plan_t late;
  if (gated_plan(&late) != 0) {
    CHECK(false, "fault plan set up");
    return;
  }
  late.late_ms = LATE_MS;
  sim_seams_t seams = {.wrap_others = &late};
  wmi_backend_options_t options = {.shutdown_wait_ms = STOP_BOUND_MS};
  sim_seams_apply(&seams, &options);
  test_run_t run;
  int st = test_run_start(&run, stanza, &options);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  stamps_t jobs[MAX_JOBS];
  prepare_stamps(&run, jobs);
  DWORD ran = collect(&run, jobs, BOUND_RUN_MS);
  drain(&run, jobs); /* then the stats: they count every gap drained */
  wmi_job_stats_t s[BOUND_JOBS];
  uint64_t completed = 0, missed = 0, failed = 0, timeouts = 0, runs = 0;
  for (size_t j = 0; j < BOUND_JOBS; j++) {
    wmi_backend_job_stats(run.backend, j, &s[j]);
    completed += s[j].completed;
    missed += s[j].missed;
    failed += s[j].failed;
    timeouts += s[j].timeouts;
    runs += s[j].runs;
  }
  uint64_t slots = (uint64_t)ran / 1000 * BOUND_JOBS;
  printf("claims: MaxConcurrentQueries %d, %d queries due within 100 ms, "
         "calls held %d ms, %lu ms: at most %ld calls in flight; %" PRIu64
         " runs, %" PRIu64 " completed, %" PRIu64 " missed, %" PRIu64
         " failed, %" PRIu64 " timeouts (about %" PRIu64
         " slots; one connection fits about %lu calls)\n",
         max, BOUND_JOBS, LATE_MS, (unsigned long)ran, (long)late.max_in_flight,
         runs, completed, missed, failed, timeouts, slots,
         (unsigned long)(ran / LATE_MS));
  for (size_t j = 0; j < BOUND_JOBS; j++)
    printf("claims:   %s: %" PRIu64 " results, %" PRIu64
           " slots skipped between them, missed %" PRIu64 "\n",
           query_of(&run, j), jobs[j].delivered, jobs[j].gap_slots,
           s[j].missed);

  CHECK(late.max_in_flight == max, "at most %ld calls were in flight, bound %d",
        (long)late.max_in_flight, max);
  CHECK(failed == 0 && timeouts == 0,
        "a run waiting for a connection is not failed (%" PRIu64
        ") nor cancelled (%" PRIu64 ")",
        failed, timeouts);
  for (size_t j = 0; j < BOUND_JOBS; j++) {
    CHECK(jobs[j].off_grid == 0 && jobs[j].empty == 0,
          "%s: %" PRIu64 " stamps off the grid or repeated, %" PRIu64
          " results without the sample",
          query_of(&run, j), jobs[j].off_grid, jobs[j].empty);
    /* Every slot without a result was skipped and counted, none lost
     * silently; a few are counted before the first result or after the
     * last. */
    CHECK(jobs[j].gap_slots <= s[j].missed &&
              s[j].missed <= jobs[j].gap_slots + 3,
          "%s: %" PRIu64 " slots without a result between results, %" PRIu64
          " counted missed",
          query_of(&run, j), jobs[j].gap_slots, s[j].missed);
    /* Completed runs and results differ by one published as we looked. */
    CHECK(s[j].completed + 1 >= jobs[j].delivered &&
              jobs[j].delivered + 1 >= s[j].completed,
          "%s: %" PRIu64 " completed, %" PRIu64 " results", query_of(&run, j),
          s[j].completed, jobs[j].delivered);
    CHECK(jobs[j].delivered >= 1, "%s: no result (starved)", query_of(&run, j));
    /* Each run handed to the host completes but the one still going. */
    CHECK(s[j].completed + 1 >= s[j].runs,
          "%s: %" PRIu64 " runs, %" PRIu64 " completed", query_of(&run, j),
          s[j].runs, s[j].completed);
    /* Each slot that passed had a run or was counted missed. */
    CHECK(s[j].runs + s[j].missed + 1 >= ran / 1000,
          "%s: %" PRIu64 " runs and %" PRIu64 " missed in %lu ms",
          query_of(&run, j), s[j].runs, s[j].missed, (unsigned long)ran);
  }
  if (max >= 2) {
    /* Two connections fit every run: the waits cost no slot. */
    CHECK(missed == 0, "%" PRIu64 " slots missed though the bound fits all",
          missed);
  } else {
    /* One connection cannot fit 6 calls of LATE_MS a second: slots are
     * skipped, but the connection is kept busy (at least half the calls
     * it could make). */
    CHECK(missed >= 1, "the bound forced no skipped slot");
    CHECK(completed * 2 >= ran / LATE_MS,
          "%" PRIu64 " completed; one connection fits about %lu", completed,
          (unsigned long)(ran / LATE_MS));
  }
  CHECK(test_run_stop(&run), "clean stop");
  CHECK(late.in_flight == 0 && late.wrappers == 0,
        "after the stop: %ld calls in flight, %ld connections",
        (long)late.in_flight, (long)late.wrappers);
  fault_plan_destroy(&late);
}

/* ---- (2) init refuses when WMI cannot be had ---- */

static volatile LONG probe_calls, host_calls;

/* As a process where WMI's locator cannot be created: the start's probe
 * gets nothing. */
static IWbemLocator *no_locator(void *ctx, const wmi_host_t *host,
                                IWbemLocator *real) {
  (void)ctx;
  if (host != NULL) {
    InterlockedIncrement(&host_calls);
    return real;
  }
  InterlockedIncrement(&probe_calls);
  IWbemLocator_Release(real);
  return NULL;
}

static void test_init_refuses_without_wmi(void) {
  unit_case = "init";
  log_capture_start();
  Sleep(500); /* Wine's own workers may still be ending */
  long before = count_process_threads();
  wmi_backend_options_t options = {.locator_hook = no_locator};
  test_run_t run;
  int st = test_run_start(&run,
                          QUERY_OF("os") "<Host \"local\">\nInterval 1\n"
                                         "Query \"os\"\n</Host>\n",
                          &options);
  long after = wait_threads_settle(before, 3000);
  printf("claims: init without a locator returned %d; threads %ld before, "
         "%ld after\n",
         st, before, after);
  CHECK(st == -1, "start returned %d", st);
  CHECK(probe_calls == 1 && host_calls == 0,
        "the probe asked once (%ld), no host thread connected (%ld)",
        (long)probe_calls, (long)host_calls);
  CHECK(log_captured_count("wmi plugin: cannot use WMI in this process: "
                           "creating WMI's locator (CLSID_WbemLocator) "
                           "failed: REGDB_E_CLASSNOTREG (0x80040154): the "
                           "class is not registered (is WMI installed?)\n") ==
            1,
        "the step and the error logged once:\n%s", log_captured_all());
  CHECK(!log_captured("started"), "nothing said to have started");
  CHECK(after <= before, "threads: %ld before, %ld after", before, after);
  if (st == 0)
    test_run_stop(&run);
}

/* ---- (3) stamps on a fixed phase of the wall clock ---- */

#define PHASE_RUN_MS 4200

static void check_phase(const char *name, const stamps_t *st,
                        uint64_t at_least) {
  printf("claims: %s: %" PRIu64 " stamps at interval %.1f s, phase %.6f s "
         "expected, last %.6f s (phase %.6f s)\n",
         name, st->delivered, CDTIME_T_TO_DOUBLE(st->interval),
         CDTIME_T_TO_DOUBLE(st->phase), CDTIME_T_TO_DOUBLE(st->last),
         CDTIME_T_TO_DOUBLE(st->last % st->interval));
  CHECK(st->delivered >= at_least, "%s: %" PRIu64 " stamps", name,
        st->delivered);
  CHECK(st->off_phase == 0, "%s: %" PRIu64 " stamps off the phase %.6f s", name,
        st->off_phase, CDTIME_T_TO_DOUBLE(st->phase));
  CHECK(st->off_grid == 0 && st->gap_slots == 0,
        "%s: consecutive stamps not exactly one interval apart: %" PRIu64
        " off the grid, %" PRIu64 " slots skipped",
        name, st->off_grid, st->gap_slots);
  CHECK(st->delivered == 0 ||
            st->first % st->interval == st->last % st->interval,
        "%s: the remainder moved from %" PRIu64 " to %" PRIu64, name,
        (uint64_t)(st->first % st->interval),
        (uint64_t)(st->last % st->interval));
}

#define PHASE_HOSTS                                                            \
  "<Host \"phase-1s\">\nInterval 1\nQuery \"phase-a\"\n</Host>\n"              \
  "<Host \"phase-half\">\nInterval 0.5\nQuery \"phase-b\"\n</Host>\n"

static const char phase_stanza[] =
    QUERY_OF("phase-a") QUERY_OF("phase-b") PHASE_HOSTS;

static void test_stamps_on_a_fixed_phase(void) {
  unit_case = "phase";
  log_capture_start();
  static fault_plan_t gated;
  if (gated_plan(&gated) != 0) {
    CHECK(false, "fault plan set up");
    return;
  }
  sim_seams_t seams = {.wrap_others = &gated};
  wmi_backend_options_t options = {.shutdown_wait_ms = STOP_BOUND_MS};
  sim_seams_apply(&seams, &options);
  test_run_t run;
  int st = test_run_start(&run, phase_stanza, &options);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  stamps_t jobs[MAX_JOBS];
  prepare_stamps(&run, jobs);
  collect(&run, jobs, PHASE_RUN_MS);
  check_phase("Interval 1", &jobs[job_of(&run, "phase-a")], 3);
  check_phase("Interval 0.5", &jobs[job_of(&run, "phase-b")], 6);
  CHECK(test_run_stop(&run), "clean stop");
  fault_plan_destroy(&gated);
}

/* ---- (4) connection errors once per host and namespace ---- */

#define FAILED_CONNECTS 3

#define FLAKY_HOST                                                             \
  "<Host \"flaky\">\nAddress \"sim-flaky.invalid\"\nInterval 0.2\n"            \
  "Query \"flaky-a\" \"flaky-b\"\n</Host>\n"

static const char flaky_stanza[] =
    QUERY_OF("flaky-a") QUERY_OF("flaky-b") FLAKY_HOST;

static bool completed_thrice(const wmi_job_stats_t *s) {
  return s->completed >= 3;
}

static void test_connect_errors_logged_once(void) {
  unit_case = "connect";
  log_capture_start();
  static sim_host_t flaky = {.address = "sim-flaky.invalid",
                             .fail_first = FAILED_CONNECTS};
  static locator_plan_t locator;
  static fault_plan_t gated;
  if (locator_plan_init(&locator, &flaky, 1) != 0 || gated_plan(&gated) != 0) {
    CHECK(false, "plans set up");
    return;
  }
  sim_seams_t seams = {.locator = &locator, .wrap_others = &gated};
  wmi_backend_options_t options = {.shutdown_wait_ms = STOP_BOUND_MS};
  sim_seams_apply(&seams, &options);
  test_run_t run;
  int st = test_run_start(&run, flaky_stanza, &options);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  size_t ja = job_of(&run, "flaky-a"), jb = job_of(&run, "flaky-b");
  bool flowed = wait_for_stats(&run, ja, completed_thrice, 10000) &&
                wait_for_stats(&run, jb, completed_thrice, 5000);
  stamps_t jobs[MAX_JOBS];
  prepare_stamps(&run, jobs);
  drain(&run, jobs);
  wmi_job_stats_t a, b;
  wmi_backend_job_stats(run.backend, ja, &a);
  wmi_backend_job_stats(run.backend, jb, &b);
  printf("claims: a host failing its first %d connects: %ld connects; "
         "flaky-a %" PRIu64 " connect failures, %" PRIu64 " failed, %" PRIu64
         " completed; flaky-b %" PRIu64 ", %" PRIu64 ", %" PRIu64 "\n",
         FAILED_CONNECTS, (long)flaky.connects, a.connect_failures, a.failed,
         a.completed, b.connect_failures, b.failed, b.completed);

  const char *failure = "wmi plugin: Host \"flaky\": connecting to namespace "
                        "\"root\\cimv2\" failed: ";
  const char *recovery = "wmi plugin: Host \"flaky\": connected to namespace "
                         "\"root\\cimv2\" again\n";
  CHECK(log_captured_count(failure) == 1, "failure logged %d times:\n%s",
        log_captured_count(failure), log_captured_all());
  CHECK(log_captured("failed: RPC_S_SERVER_UNAVAILABLE (0x800706BA)"),
        "the failure has WMI's name for it");
  CHECK(log_captured_count("RPC_S_SERVER_UNAVAILABLE") == 1,
        "no other line repeats the connect error");
  CHECK(log_captured_count(recovery) == 1, "recovery logged %d times",
        log_captured_count(recovery));
  const char *all = log_captured_all();
  const char *f = strstr(all, failure), *r = strstr(all, recovery);
  CHECK(f != NULL && r != NULL && f < r, "the failure comes first");
  CHECK(a.connect_failures + b.connect_failures == FAILED_CONNECTS,
        "%" PRIu64 " connect attempts failed for the two queries, the host "
        "refused %d: one backoff for the namespace",
        a.connect_failures + b.connect_failures, FAILED_CONNECTS);
  CHECK(flaky.connects > FAILED_CONNECTS &&
            flaky.connects <= FAILED_CONNECTS + 2,
        "%ld connects: the failed ones, then one connection per query at "
        "most",
        (long)flaky.connects);
  CHECK(flowed, "both queries completed three runs after the recovery");
  CHECK(jobs[ja].delivered >= 1 && jobs[jb].delivered >= 1 &&
            jobs[ja].empty == 0 && jobs[jb].empty == 0,
        "values flow: %" PRIu64 " and %" PRIu64 " results", jobs[ja].delivered,
        jobs[jb].delivered);
  CHECK(test_run_stop(&run), "clean stop");
  CHECK(locator.wrappers == 0, "locator wrappers left: %ld",
        (long)locator.wrappers);
  locator_plan_destroy(&locator);
  fault_plan_destroy(&gated);
}

int main(void) {
  one_at_a_time = CreateSemaphoreW(NULL, 1, 1, NULL);
  if (one_at_a_time == NULL ||
      FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)) ||
      FAILED(fake_unsecapp_register())) {
    printf("claims: 0 passed, 1 failed\n");
    return 1;
  }
  test_init_refuses_without_wmi();
  check_bound(2);
  check_bound(1);
  test_stamps_on_a_fixed_phase();
  test_connect_errors_logged_once();
  CHECK(wmi_backend_live_sinks() == 0, "%ld sinks alive",
        wmi_backend_live_sinks());
  log_capture_stop();
  fake_unsecapp_revoke();
  CoUninitialize();
  CloseHandle(one_at_a_time);
  return unit_summary("claims");
}
