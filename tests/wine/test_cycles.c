/* 100 init/shutdown cycles in one process, each stopped with calls in
 * flight, leave nothing behind: every stop is clean, and
 * afterwards no thread (counted with a Toolhelp snapshot against a
 * baseline taken after one warm-up cycle), no sink (the backend's count)
 * and no COM reference (the fakes' counts of live wrappers, stubs and
 * apartments) is left. Each cycle has a local host running a real query
 * and a simulated remote host (the fake locator, the real remote path)
 * whose two connections each hold a hung, cancellable call. */
#include "fake_unsecapp.h"
#include "log_capture.h"
#include "unit.h"
#include "wine_test.h"

#include <psapi.h>
#include <stdio.h>

#define CYCLES 100
#define QUERY_OF(name, stmt)                                                   \
  "<Query \"" name "\">\nStatement \"" stmt "\"\n<Result>\nType "              \
  "\"gauge\"\nInstancesFrom \"Name\"\nValuesFrom \"WorkingSetSize\"\n"         \
  "</Result>\n</Query>\n"

#define HOSTS                                                                  \
  "<Host \"local\">\nInterval 0.1\nQuery \"procs\"\n</Host>\n"                 \
  "<Host \"sim\">\nAddress \"sim-cycle.invalid\"\nInterval 0.1\n"              \
  "Query \"procs\" \"procs2\"\n</Host>\n"

static const char stanza[] =
    QUERY_OF("procs", "SELECT Name, WorkingSetSize FROM Win32_Process")
        QUERY_OF("procs2", "SELECT Name, WorkingSetSize FROM Win32_Process")
            HOSTS;

static sim_host_t sim = {.address = "sim-cycle.invalid"};
static locator_plan_t locator;
static fault_plan_t hang;
static sim_wrap_t wraps[] = {{"sim", &hang}};
static sim_seams_t seams = {
    .locator = &locator, .wraps = wraps, .wraps_num = 1};

typedef struct {
  int clean, in_flight;
  long threads_running; /* counted while a cycle runs, the last one */
  DWORD stop_ms_max, stop_ms_total, cycle_ms_total;
} tally_t;

static bool calls_in_flight(DWORD ms) {
  for (DWORD waited = 0; hang.held_sinks < 2; waited += 5) {
    if (waited >= ms)
      return false;
    Sleep(5);
  }
  return true;
}

static void cycle(tally_t *t) {
  DWORD t0 = GetTickCount();
  wmi_backend_options_t options = {.host_stack_size = 128 * 1024};
  sim_seams_apply(&seams, &options);
  test_run_t run;
  if (test_run_start(&run, stanza, &options) != 0)
    return;
  t->in_flight += calls_in_flight(5000);
  t->threads_running = count_process_threads();
  DWORD t1 = GetTickCount();
  t->clean += test_run_stop(&run);
  DWORD stop_ms = GetTickCount() - t1;
  t->stop_ms_total += stop_ms;
  if (stop_ms > t->stop_ms_max)
    t->stop_ms_max = stop_ms;
  t->cycle_ms_total += GetTickCount() - t0;
}

static size_t working_set_kib(void) {
  PROCESS_MEMORY_COUNTERS pmc = {.cb = sizeof(pmc)};
  GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc));
  return pmc.WorkingSetSize / 1024;
}

static void test_cycles_leave_nothing(void) {
  unit_case = "cycles";
  log_capture_start();
  if (locator_plan_init(&locator, &sim, 1) != 0 ||
      fault_plan_init(&hang, FAULT_HANG) != 0) {
    CHECK(false, "fakes set up");
    return;
  }
  tally_t warm = {0}, t = {0};
  cycle(&warm);
  CHECK(warm.clean == 1 && warm.in_flight == 1, "warm-up cycle: %s",
        log_captured_all());
  Sleep(500); /* Wine's own workers from the warm-up may still end */
  long baseline = count_process_threads();
  size_t ws_before = working_set_kib();

  for (int i = 0; i < CYCLES; i++)
    cycle(&t);

  long after = wait_threads_settle(baseline, 5000);
  size_t ws_after = working_set_kib();
  printf("cycles: %d cycles, %.0f ms each on average, stop %.1f ms on "
         "average (max %lu ms); threads %ld before, %ld while running, %ld "
         "after; working set "
         "%zu KiB before, %zu KiB after\n",
         CYCLES, (double)t.cycle_ms_total / CYCLES,
         (double)t.stop_ms_total / CYCLES, (unsigned long)t.stop_ms_max,
         baseline, t.threads_running, after, ws_before, ws_after);
  CHECK(t.in_flight == CYCLES, "calls in flight at %d of %d stops", t.in_flight,
        CYCLES);
  CHECK(t.clean == CYCLES, "%d of %d stops clean:\n%s", t.clean, CYCLES,
        log_captured_all());
  CHECK(t.threads_running >= baseline + 3,
        "the count sees the scheduler and host threads: %ld",
        t.threads_running);
  CHECK(after <= baseline, "threads: %ld after, %ld at the baseline", after,
        baseline);
  CHECK(wmi_backend_live_sinks() == 0, "%ld sinks alive",
        wmi_backend_live_sinks());
  CHECK(hang.wrappers == 0 && hang.held_sinks == 0,
        "services wrappers %ld, held sinks %ld", (long)hang.wrappers,
        (long)hang.held_sinks);
  CHECK(locator.wrappers == 0, "locator wrappers %ld", (long)locator.wrappers);
  CHECK(fake_unsecapp_live_stubs() == 0 && fake_unsecapp_apartments() == 0,
        "unsecured apartment stubs %ld, apartments %ld",
        (long)fake_unsecapp_live_stubs(), (long)fake_unsecapp_apartments());
  CHECK(sim.connects == 2 * (CYCLES + 1), "%ld connects for %d cycles",
        (long)sim.connects, CYCLES + 1);
  locator_plan_destroy(&locator);
  fault_plan_destroy(&hang);
}

int main(void) {
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)) ||
      FAILED(fake_unsecapp_register())) {
    printf("cycles: 0 passed, 1 failed\n");
    return 1;
  }
  test_cycles_leave_nothing();
  log_capture_stop();
  fake_unsecapp_revoke();
  CoUninitialize();
  return unit_summary("cycles");
}
