/* Hosts are isolated from each other, under
 * Wine with its real WMI: beside a healthy local host, (a) one host and
 * (b) ten hosts hang in ConnectServer for a minute, (c) one host's
 * ExecQueryAsync calls block for 30 s, (d) one host's query hangs and its
 * CancelAsyncCall blocks. The healthy hosts keep every slot (consecutive
 * stamps exactly one interval apart, nothing missed, no run cancelled),
 * the stuck hosts' missed slots are counted and logged once per job, and
 * shutdown returns within its bound, abandoning the stuck threads. The
 * scenarios overlap in one minute: (a) runs in a backend of its own beside
 * the backend of (b), (c) and (d), each with its healthy host. */
#include "fake_unsecapp.h"
#include "log_capture.h"
#include "unit.h"
#include "wine_test.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define HUNG_HOSTS 10
#define STOP_BOUND_MS 3000
#define STOP_SLACK_MS 1000

#define OS_QUERY                                                               \
  "<Query \"os\">\nStatement \"SELECT FreePhysicalMemory FROM "                \
  "Win32_OperatingSystem\"\n<Result>\nType \"memory\"\nInstancePrefix "        \
  "\"free\"\nValuesFrom \"FreePhysicalMemory\"\n</Result>\n</Query>\n"

/* What a healthy job's results looked like, checked as they arrive. */
typedef struct {
  const char *name;
  test_run_t *run;
  size_t job;
  cdtime_t interval;
  cdtime_t last;
  uint64_t batches, off_grid, empty;
} slot_log_t;

/* A minute and a second; a shorter run can be asked for when debugging:
 * test_isolation.exe MS. */
static DWORD run_ms = 61000;

static sim_host_t sims[HUNG_HOSTS + 3];
static locator_plan_t locator;
static fault_plan_t blocked_call, blocked_cancel;

static size_t job_of(const test_run_t *run, const char *host) {
  for (size_t j = 0; j < run->config->jobs_num; j++)
    if (strcmp(run->config->jobs[j].host->name, host) == 0)
      return j;
  return (size_t)-1;
}

static void note_batch(slot_log_t *log, const wmi_batch_t *b) {
  if (log->batches > 0 && b->time != log->last + log->interval) {
    log->off_grid++;
    fprintf(stderr, "%s: stamp %.6f after %.6f (%+" PRId64 " units off)\n",
            log->name, CDTIME_T_TO_DOUBLE(b->time),
            CDTIME_T_TO_DOUBLE(log->last),
            (int64_t)(b->time - log->last - log->interval));
  }
  log->empty += b->samples_num != 1;
  log->last = b->time;
  log->batches++;
}

/* Moves every result out of a run's cache; the healthy job's are checked,
 * the others (there should be none from stuck hosts) are dropped. */
static void drain(test_run_t *run, slot_log_t *log) {
  wmi_batch_t *next;
  for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
    next = b->next;
    if (b->job == log->job)
      note_batch(log, b);
    wmi_batch_free(b);
  }
}

static void check_healthy(slot_log_t *log, DWORD ran_ms) {
  wmi_job_stats_t s;
  wmi_backend_job_stats(log->run->backend, log->job, &s);
  uint64_t slots = (uint64_t)ran_ms * 1000 / CDTIME_T_TO_US(log->interval);
  printf("isolation: %s: %" PRIu64 " results in %lu ms (interval %.1f s), "
         "missed %" PRIu64 ", timeouts %" PRIu64 "\n",
         log->name, log->batches, (unsigned long)ran_ms,
         CDTIME_T_TO_DOUBLE(log->interval), s.missed, s.timeouts);
  CHECK(log->batches + 2 >= slots,
        "%s: %" PRIu64 " results for %" PRIu64 " slots", log->name,
        log->batches, slots);
  CHECK(log->off_grid == 0, "%s: %" PRIu64 " gaps or repeats", log->name,
        log->off_grid);
  CHECK(log->empty == 0, "%s: %" PRIu64 " results without the sample",
        log->name, log->empty);
  CHECK(s.missed == 0, "%s: missed %" PRIu64, log->name, s.missed);
  CHECK(s.timeouts == 0, "%s: %" PRIu64 " healthy runs cancelled", log->name,
        s.timeouts);
  CHECK(s.failed == 0, "%s: failed %" PRIu64, log->name, s.failed);
  CHECK(wmi_cache_dropped(log->run->cache, log->job) == 0,
        "%s: results dropped", log->name);
}

/* A stuck host's job: its slots are counted as missed (at least half of
 * them) and said once in the log. */
static void check_stuck(test_run_t *run, const char *host, DWORD ran_ms,
                        uint64_t min_missed) {
  wmi_job_stats_t s;
  wmi_backend_job_stats(run->backend, job_of(run, host), &s);
  CHECK(s.missed >= min_missed, "%s: missed %" PRIu64 " in %lu ms", host,
        s.missed, (unsigned long)ran_ms);
  char said[128];
  snprintf(said, sizeof(said), "Host \"%s\", Query \"os\": a run was due",
           host);
  CHECK(log_captured_count(said) == 1, "%s: missed slots logged %d times", host,
        log_captured_count(said));
}

static bool wait_zero(volatile LONG *count, DWORD ms) {
  for (DWORD waited = 0; InterlockedCompareExchange(count, 0, 0) != 0;
       waited += 20) {
    if (waited >= ms)
      return false;
    Sleep(20);
  }
  return true;
}

static bool stop_within_bound(test_run_t *run, const char *what) {
  DWORD t0 = GetTickCount();
  bool clean = test_run_stop(run);
  DWORD took = GetTickCount() - t0;
  printf("isolation: stopping %s took %lu ms (bound %d ms), %s\n", what,
         (unsigned long)took, STOP_BOUND_MS, clean ? "clean" : "abandoned");
  CHECK(took <= STOP_BOUND_MS + STOP_SLACK_MS, "%s: stop took %lu ms", what,
        (unsigned long)took);
  return clean;
}

static char *stanza_of_b(void) {
  static char s[8192];
  int n = snprintf(s, sizeof(s),
                   OS_QUERY "<Host \"healthy-b\">\nInterval 0.5\nQuery "
                            "\"os\"\n</Host>\n");
  for (int i = 1; i <= HUNG_HOSTS; i++)
    n += snprintf(s + n, sizeof(s) - (size_t)n,
                  "<Host \"hang-%d\">\nAddress \"sim-hang-%d.invalid\"\n"
                  "Interval 1\nQuery \"os\"\n</Host>\n",
                  i, i);
  snprintf(s + n, sizeof(s) - (size_t)n,
           "<Host \"blocked-call\">\nAddress \"sim-blocked-call.invalid\"\n"
           "Interval 1\nQuery \"os\"\n</Host>\n"
           "<Host \"blocked-cancel\">\nAddress "
           "\"sim-blocked-cancel.invalid\"\nInterval 1\nTimeout 0.5\n"
           "Query \"os\"\n</Host>\n");
  return s;
}

static int set_up_fakes(void) {
  static char names[HUNG_HOSTS][32];
  size_t n = 0;
  sims[n++] = (sim_host_t){.address = "sim-hang-solo.invalid",
                           .mode = SIM_CONNECT_BLOCK,
                           .block_ms = INFINITE};
  for (int i = 1; i <= HUNG_HOSTS; i++) {
    snprintf(names[i - 1], sizeof(names[i - 1]), "sim-hang-%d.invalid", i);
    sims[n++] = (sim_host_t){.address = names[i - 1],
                             .mode = SIM_CONNECT_BLOCK,
                             .block_ms = INFINITE};
  }
  sims[n++] = (sim_host_t){.address = "sim-blocked-call.invalid"};
  sims[n++] = (sim_host_t){.address = "sim-blocked-cancel.invalid"};
  if (locator_plan_init(&locator, sims, n) != 0 ||
      fault_plan_init(&blocked_call, FAULT_BLOCK_EXEC) != 0 ||
      fault_plan_init(&blocked_cancel, FAULT_BLOCK_CANCEL) != 0)
    return -1;
  blocked_call.block_ms = 30000;
  blocked_cancel.block_ms = INFINITE;
  return 0;
}

static void test_hosts_are_isolated(void) {
  unit_case = "isolation";
  log_capture_start();
  if (set_up_fakes() != 0) {
    CHECK(false, "fakes set up");
    return;
  }
  static const sim_wrap_t wraps[] = {{"blocked-call", &blocked_call},
                                     {"blocked-cancel", &blocked_cancel}};
  static sim_seams_t seams = {
      .locator = &locator, .wraps = wraps, .wraps_num = 2};
  wmi_backend_options_t options = {.shutdown_wait_ms = STOP_BOUND_MS};
  sim_seams_apply(&seams, &options);

  test_run_t a, b;
  int st = test_run_start(&a,
                          OS_QUERY "<Host \"healthy-a\">\nInterval 1\nQuery "
                                   "\"os\"\n</Host>\n<Host \"hang-solo\">\n"
                                   "Address \"sim-hang-solo.invalid\"\n"
                                   "Interval 1\nQuery \"os\"\n</Host>\n",
                          &options);
  CHECK(st == 0, "backend a started: %s", log_captured_all());
  if (st != 0)
    return;
  st = test_run_start(&b, stanza_of_b(), &options);
  CHECK(st == 0, "backend b started: %s", log_captured_all());
  if (st != 0)
    return;

  slot_log_t healthy_a = {.name = "healthy-a (beside 1 hung host)",
                          .run = &a,
                          .job = job_of(&a, "healthy-a"),
                          .interval = DOUBLE_TO_CDTIME_T(1.0)};
  slot_log_t healthy_b = {.name = "healthy-b (beside 12 stuck hosts)",
                          .run = &b,
                          .job = job_of(&b, "healthy-b"),
                          .interval = DOUBLE_TO_CDTIME_T(0.5)};
  DWORD t0 = GetTickCount();
  while (GetTickCount() - t0 < run_ms) {
    Sleep(100);
    drain(&a, &healthy_a);
    drain(&b, &healthy_b);
  }
  DWORD ran = GetTickCount() - t0;

  check_healthy(&healthy_a, ran);
  check_healthy(&healthy_b, ran);
  uint64_t half = ran / 2000; /* half the slots of a 1 s interval */
  check_stuck(&a, "hang-solo", ran, half);
  for (int i = 1; i <= HUNG_HOSTS; i++) {
    char host[32];
    snprintf(host, sizeof(host), "hang-%d", i);
    check_stuck(&b, host, ran, half);
  }
  check_stuck(&b, "blocked-call", ran, half);
  check_stuck(&b, "blocked-cancel", ran, half);
  wmi_job_stats_t s;
  wmi_backend_job_stats(b.backend, job_of(&b, "blocked-cancel"), &s);
  CHECK(s.timeouts >= 1, "the hung query of blocked-cancel timed out");
  CHECK(locator.blocked == HUNG_HOSTS + 1, "%ld threads hang in connect",
        (long)locator.blocked);
  CHECK(blocked_cancel.blocked == 1, "one thread blocks in its cancel");
  CHECK(blocked_call.exec_calls >= 1 && blocked_call.exec_calls <= 3,
        "blocked-call was called %ld times", (long)blocked_call.exec_calls);

  CHECK(!stop_within_bound(&a, "a (1 host stuck)"), "a: threads abandoned");
  CHECK(!stop_within_bound(&b, "b (12 hosts stuck)"), "b: threads abandoned");
  CHECK(log_captured("Host \"hang-7\": its thread is still in a call to WMI "
                     "(ConnectServer) at shutdown; it is abandoned"),
        "an abandoned thread is named with its call:\n%s", log_captured_all());
  CHECK(log_captured("Host \"blocked-cancel\": its thread is still in a call "
                     "to WMI (CancelAsyncCall)"),
        "the blocked cancel is named");

  /* Let the abandoned threads go: they leave the fakes and exit. */
  locator_plan_release(&locator);
  fault_plan_release(&blocked_call);
  fault_plan_release(&blocked_cancel);
  CHECK(locator_plan_wait_unblocked(&locator, 10000) &&
            fault_plan_wait_unblocked(&blocked_call, 10000) &&
            fault_plan_wait_unblocked(&blocked_cancel, 10000),
        "every blocked call returned once released");
  CHECK(wait_zero(&locator.wrappers, 10000) &&
            wait_zero(&blocked_call.wrappers, 10000) &&
            wait_zero(&blocked_cancel.wrappers, 10000),
        "the abandoned threads then let go of their locators (%ld) and "
        "connections (%ld, %ld)",
        (long)locator.wrappers, (long)blocked_call.wrappers,
        (long)blocked_cancel.wrappers);
}

int main(int argc, char **argv) {
  if (argc > 1)
    run_ms = (DWORD)strtoul(argv[1], NULL, 10);
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)) ||
      FAILED(fake_unsecapp_register())) {
    printf("isolation: 0 passed, 1 failed\n");
    return 1;
  }
  test_hosts_are_isolated();
  log_capture_stop();
  /* The abandoned backends' state is left allocated on purpose, and their
   * threads may still be finishing: end without CoUninitialize. */
  fflush(stdout);
  return unit_summary("isolation");
}
