/* The backend against Wine's real WMI: rows match direct synchronous
 * queries; errors are reported by name; hung calls are cancelled; shutdown
 * with a call in flight releases everything. */
#include "fake_unsecapp.h"
#include "faulty_services.h"
#include "log_capture.h"
#include "unit.h"
#include "wine_test.h"
#include "wmi_naming.h"

#include <inttypes.h>
#include <stdlib.h>

static bool completed_once(const wmi_job_stats_t *s) {
  return s->completed >= 1;
}
static bool completed_thrice(const wmi_job_stats_t *s) {
  return s->completed >= 3;
}
static bool failed_once(const wmi_job_stats_t *s) { return s->failed >= 1; }
static bool connect_failed(const wmi_job_stats_t *s) {
  return s->connect_failures >= 1;
}
static bool timed_out(const wmi_job_stats_t *s) { return s->timeouts >= 1; }
static bool started(const wmi_job_stats_t *s) { return s->runs >= 1; }

static wmi_batch_t *take(test_run_t *run, size_t job) {
  return take_job_within(run, job, 3000);
}

#define QUERY(name, stmt, type, prefix, inst, values)                          \
  "<Query \"" name "\">\nStatement \"" stmt "\"\n<Result>\nType \"" type       \
  "\"\nInstancePrefix \"" prefix "\"\n" inst "ValuesFrom " values              \
  "\n</Result>\n</Query>\n"

static void test_rows_match_direct_queries(void) {
  unit_case = "rows";
  log_capture_start();
  test_run_t run;
  int st = test_run_start(
      &run,
      QUERY("os",
            "SELECT TotalVisibleMemorySize, FreePhysicalMemory FROM "
            "Win32_OperatingSystem",
            "memory", "total", "", "\"TotalVisibleMemorySize\"")
          QUERY("disk", "SELECT DeviceID, Size FROM Win32_LogicalDisk",
                "absolute", "size", "InstancesFrom \"DeviceID\"\n", "\"Size\"")
              QUERY("procs",
                    "SELECT Name, ProcessId, WorkingSetSize FROM Win32_Process",
                    "gauge", "proc", "InstancesFrom \"Name\" \"ProcessId\"\n",
                    "\"WorkingSetSize\""),
      NULL);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  for (size_t j = 0; j < 3; j++)
    CHECK(wait_for_stats(&run, j, completed_once, 10000), "job %zu completed",
          j);

  row_t rows[MAX_ROWS];
  int n = sync_query("SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem",
                     "TotalVisibleMemorySize", "TotalVisibleMemorySize", rows,
                     MAX_ROWS);
  wmi_batch_t *b = take(&run, 0);
  CHECK(n == 1 && b != NULL && b->samples_num == 1, "one OS row");
  if (n == 1 && b != NULL && b->samples_num == 1) {
    CHECK_STR(b->samples[0].type_instance, "total");
    char got[64];
    snprintf(got, sizeof(got), "%.0f", b->samples[0].values[0].gauge);
    CHECK_STR(got, rows[0].value);
  }
  wmi_batch_free(b);

  n = sync_query("SELECT DeviceID, Size FROM Win32_LogicalDisk", "DeviceID",
                 "Size", rows, MAX_ROWS);
  b = take(&run, 1);
  CHECK(n >= 1 && b != NULL && b->samples_num == (size_t)n,
        "%d disks, batch has %zu", n, b ? b->samples_num : 0);
  for (int i = 0; b != NULL && i < n; i++) {
    char instance[128];
    const char *parts[] = {"size", rows[i].key};
    wmi_name_join(instance, sizeof(instance), parts, 2);
    const wmi_sample_t *s = wmi_batch_find(b, "absolute", instance);
    CHECK(s != NULL, "disk %s present", instance);
    if (s != NULL) {
      char got[64];
      snprintf(got, sizeof(got), "%" PRIu64, (uint64_t)s->values[0].absolute);
      CHECK_STR(got, rows[i].value); /* exact: uint64 from its string */
    }
  }
  wmi_batch_free(b);

  n = sync_query("SELECT Name, ProcessId FROM Win32_Process", "Name",
                 "ProcessId", rows, MAX_ROWS);
  b = take(&run, 2);
  CHECK(n >= 1 && b != NULL, "%d processes", n);
  int found = 0;
  for (int i = 0; b != NULL && i < n; i++) {
    char instance[128];
    const char *parts[] = {"proc", rows[i].key, rows[i].value};
    wmi_name_join(instance, sizeof(instance), parts, 3);
    found += wmi_batch_find(b, "gauge", instance) != NULL;
  }
  /* Processes may come and go between the two queries; most must match. */
  CHECK(n > 0 && found >= n - 2, "%d of %d processes match", found, n);
  wmi_batch_free(b);
  CHECK(test_run_stop(&run), "stopped clean");
}

static void test_errors_are_named_and_isolated(void) {
  unit_case = "errors";
  log_capture_start();
  test_run_t run;
  int st = test_run_start(
      &run,
      QUERY("bad", "SELEC * FRM nothing", "gauge", "x", "",
            "\"X\"") "<Query \"ns\">\nStatement \"SELECT X FROM Y\"\nNamespace "
                     "\"root\\\\nosuch\"\n<Result>\nType \"gauge\"\nValuesFrom "
                     "\"X\"\n"
                     "</Result>\n</Query>\n" QUERY(
                         "good",
                         "SELECT FreePhysicalMemory FROM Win32_OperatingSystem",
                         "memory", "free", "", "\"FreePhysicalMemory\""),
      NULL);
  CHECK(st == 0, "started");
  if (st != 0)
    return;
  CHECK(wait_for_stats(&run, 0, failed_once, 10000), "malformed WQL failed");
  CHECK(wait_for_stats(&run, 1, connect_failed, 10000), "namespace failed");
  CHECK(wait_for_stats(&run, 2, completed_thrice, 10000),
        "the good query runs on, three times on one connection");
  Sleep(1500); /* more failing runs: still logged once */
  wmi_job_stats_t bad;
  wmi_backend_job_stats(run.backend, 0, &bad);
  CHECK(bad.last_status == 0x80041017, "status 0x%08X", bad.last_status);
  CHECK(bad.failed >= 2, "failed %" PRIu64 " times", bad.failed);
  CHECK(log_captured_count("Host \"local\", Query \"bad\": the query failed: "
                           "WBEM_E_INVALID_QUERY (0x80041017)") == 1,
        "named once:\n%s", log_captured_all());
  CHECK(log_captured_count("Host \"local\": connecting to namespace "
                           "\"root\\nosuch\" failed: "
                           "WBEM_E_INVALID_NAMESPACE (0x8004100E)") == 1,
        "namespace error named:\n%s", log_captured_all());
  CHECK(test_run_stop(&run), "stopped clean");
}

static fault_plan_t plan;
static sim_seams_t seams = {.wrap_others = &plan};

/* Starts one query, "name", on a wrapped connection that follows `mode`,
 * with the given Host options. */
/* The backend's health hook, recorded per job (host threads call it). */
#define HEALTH_JOBS 4
typedef struct {
  volatile LONG failures[HEALTH_JOBS], recoveries[HEALTH_JOBS];
  volatile LONG last_hr[HEALTH_JOBS];
  char what[HEALTH_JOBS][64];
} health_log_t;
static health_log_t health;

static void record_health(void *ctx, size_t job, bool failing, uint32_t hr,
                          const char *what) {
  health_log_t *h = ctx;
  if (job >= HEALTH_JOBS)
    return;
  if (failing) {
    snprintf(h->what[job], sizeof(h->what[job]), "%s", what);
    InterlockedExchange(&h->last_hr[job], (LONG)hr);
    InterlockedIncrement(&h->failures[job]);
  } else {
    InterlockedIncrement(&h->recoveries[job]);
  }
}

static int start_with_fault(test_run_t *run, const char *name,
                            fault_mode_t mode, HRESULT hr, LONG count,
                            const char *host_options) {
  log_capture_start();
  fault_plan_destroy(&plan);
  fault_plan_init(&plan, mode);
  plan.hr = hr;
  plan.count = count;
  char stanza[1024];
  snprintf(stanza, sizeof(stanza),
           "<Query \"%s\">\nStatement \"SELECT FreePhysicalMemory FROM "
           "Win32_OperatingSystem\"\n<Result>\nType \"memory\"\n"
           "InstancePrefix \"free\"\nValuesFrom \"FreePhysicalMemory\"\n"
           "</Result>\n</Query>\n<Host \"local\">\n%sQuery \"%s\"\n</Host>\n",
           name, host_options, name);
  wmi_backend_options_t options = {.health_hook = record_health,
                                   .health_hook_ctx = &health};
  memset(&health, 0, sizeof(health));
  sim_seams_apply(&seams, &options);
  int st = test_run_start(run, stanza, &options);
  CHECK(st == 0, "started: %s", log_captured_all());
  return st;
}

static void test_hung_call_is_cancelled(void) {
  unit_case = "timeout";
  test_run_t run;
  if (start_with_fault(&run, "hang", FAULT_HANG, S_OK, 0,
                       "Interval 1\nTimeout 0.5\n") != 0)
    return;
  CHECK(wait_for_stats(&run, 0, timed_out, 5000), "timed out");
  CHECK(plan.cancel_calls >= 1, "CancelAsyncCall called");
  CHECK(log_captured("Query \"hang\": no result within the timeout of 0.5 s; "
                     "the call was cancelled"),
        "timeout logged:\n%s", log_captured_all());
  CHECK(take_job_within(&run, 0, 0) == NULL,
        "nothing published from a cancelled run");
  CHECK(test_run_stop(&run), "stopped clean");
  CHECK(plan.held_sinks == 0 && plan.wrappers == 0, "all released");
}

static void test_shutdown_with_call_in_flight(void) {
  unit_case = "shutdown";
  test_run_t run;
  if (start_with_fault(&run, "hang", FAULT_HANG, S_OK, 0, "Interval 2\n") != 0)
    return;
  CHECK(wait_for_stats(&run, 0, started, 5000), "in flight");
  Sleep(100);
  CHECK(plan.held_sinks == 1, "WMI holds the sink");
  /* Clean means every sink came back before the 5 s bound ran out. */
  DWORD t0 = GetTickCount();
  CHECK(test_run_stop(&run), "stop releases everything");
  printf("backend: stop with a call in flight took %lu ms\n",
         (unsigned long)(GetTickCount() - t0));
  CHECK(plan.held_sinks == 0 && plan.wrappers == 0,
        "sink and services released");
}

static void test_dead_host_and_missing_class(void) {
  unit_case = "dead host";
  log_capture_start();
  test_run_t run;
  memset(&health, 0, sizeof(health));
  wmi_backend_options_t hooks = {.health_hook = record_health,
                                 .health_hook_ctx = &health};
  /* Wine's WMI refuses any remote host without sending anything; the
   * name could not be resolved anyway. */
  int st = test_run_start(
      &run,
      QUERY("os", "SELECT FreePhysicalMemory FROM Win32_OperatingSystem",
            "memory", "free", "", "\"FreePhysicalMemory\"")
          QUERY("none", "SELECT Name FROM Win32_NoSuchClass", "gauge", "x", "",
                "\"Name\"") "<Host \"server01\">\nAddress "
                            "\"server01.invalid\"\nUsername "
                            "\"EXAMPLE\\\\svc\"\nPassword "
                            "\"pw-secret\"\nInterval 0.2\n"
                            "Query \"os\"\n</Host>\n"
                            "<Host \"local\">\nInterval 0.2\nQuery \"os\" "
                            "\"none\"\n</Host>\n",
      &hooks);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  CHECK(wait_for_stats(&run, 1, completed_thrice, 10000),
        "the local host goes on");
  CHECK(wait_for_stats(&run, 2, completed_thrice, 10000),
        "the empty query completes");
  Sleep(1500);
  wmi_job_stats_t dead;
  wmi_backend_job_stats(run.backend, 0, &dead);
  CHECK(dead.connect_failures >= 2 && dead.connect_failures <= 6,
        "retried with backoff: %" PRIu64 " attempts in about 2 s",
        dead.connect_failures);
  CHECK(log_captured_count("Host \"server01\": connecting to namespace "
                           "\"root\\cimv2\" failed: ") == 1,
        "dead host named once:\n%s", log_captured_all());
  CHECK(!log_captured("pw-secret"), "the password is never logged");
  CHECK(health.failures[0] == 1 && health.recoveries[0] == 0,
        "one FAILURE for the dead host's job, however many retries: %ld",
        (long)health.failures[0]);
  CHECK(strcmp(health.what[0], "connecting failed") == 0 &&
            health.last_hr[0] != 0,
        "it says connecting failed (\"%s\", 0x%08lx)", health.what[0],
        (unsigned long)health.last_hr[0]);
  CHECK(health.failures[1] == 0 && health.failures[2] == 0,
        "no notification for healthy jobs, nor for an empty result");
  CHECK(log_captured_count("Host \"local\", Query \"none\": the query "
                           "returned no objects") == 1,
        "empty result noticed once:\n%s", log_captured_all());
  CHECK(!log_captured("Query \"os\": the query returned no objects"),
        "a query with objects says nothing");
  CHECK(test_run_stop(&run), "stopped clean");
}

static void test_reconnects_after_disconnect(void) {
  unit_case = "disconnect";
  test_run_t run;
  if (start_with_fault(&run, "q", FAULT_FAIL, RPC_E_DISCONNECTED, 2,
                       "Interval 0.2\n") != 0)
    return;
  CHECK(wait_for_stats(&run, 0, completed_once, 10000), "recovered");
  CHECK(plan.exec_calls >= 3, "tried %ld times", (long)plan.exec_calls);
  CHECK(log_captured_count("RPC_E_DISCONNECTED (0x80010108)") == 1,
        "disconnect logged once:\n%s", log_captured_all());
  CHECK(log_captured("Query \"q\": the query succeeds again"),
        "recovery logged:\n%s", log_captured_all());
  CHECK(health.failures[0] == 1 && health.recoveries[0] == 1,
        "one FAILURE and one OKAY: %ld, %ld", (long)health.failures[0],
        (long)health.recoveries[0]);
  CHECK(health.last_hr[0] == (LONG)RPC_E_DISCONNECTED,
        "the FAILURE carries the HRESULT: 0x%08lx",
        (unsigned long)health.last_hr[0]);
  wmi_batch_t *b = take(&run, 0);
  CHECK(b != NULL && b->samples_num == 1 && b->samples[0].values[0].gauge > 0,
        "values flow after reconnecting");
  wmi_batch_free(b);
  CHECK(test_run_stop(&run), "stopped clean");
  CHECK(plan.wrappers == 0, "old connections released");
}

/* The seam itself: a simulated remote host reaches local WMI through the
 * backend's real remote path (proxy blanket, unsecured apartment stub);
 * one that refuses is logged once for its (host, namespace); each host's
 * per-call latency delays only that host. */
static void test_simulated_remote_hosts(void) {
  unit_case = "simulated hosts";
  log_capture_start();
  sim_host_t hosts[] = {
      {.address = "sim-ok.invalid", .mode = SIM_CONNECT_OK, .delay_ms = 50},
      {.address = "sim-refuses.invalid",
       .mode = SIM_CONNECT_FAIL,
       .hr = WBEM_E_ACCESS_DENIED},
  };
  locator_plan_t locator;
  fault_plan_t slow;
  if (locator_plan_init(&locator, hosts, 2) != 0 ||
      fault_plan_init(&slow, FAULT_NONE) != 0)
    return;
  slow.delay_ms = 20;
  sim_wrap_t wraps[] = {{"ok", &slow}};
  sim_seams_t sim = {.locator = &locator, .wraps = wraps, .wraps_num = 1};
  wmi_backend_options_t options = {0};
  sim_seams_apply(&sim, &options);
  LONG stubs_before = fake_unsecapp_stubs_made();
  test_run_t run;
  int st = test_run_start(
      &run,
      QUERY("os", "SELECT FreePhysicalMemory FROM Win32_OperatingSystem",
            "memory", "free", "",
            "\"FreePhysicalMemory\"") "<Host \"ok\">\nAddress "
                                      "\"sim-ok.invalid\"\nUsername "
                                      "\"EXAMPLE\\\\svc\"\nPassword "
                                      "\"pw\"\nInterval 0.2\nQuery "
                                      "\"os\"\n</Host>\n"
                                      "<Host \"refuses\">\nAddress "
                                      "\"sim-refuses.invalid\"\nInterval "
                                      "0.2\nQuery \"os\"\n</Host>\n",
      &options);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  CHECK(wait_for_stats(&run, 0, completed_thrice, 10000),
        "the simulated host answers: %s", log_captured_all());
  CHECK(wait_for_stats(&run, 1, connect_failed, 10000), "the other refuses");
  wmi_batch_t *b = take(&run, 0);
  CHECK(b != NULL && b->samples_num == 1 && b->samples[0].values[0].gauge > 0,
        "local values under the simulated host");
  wmi_batch_free(b);
  wmi_job_stats_t ok;
  wmi_backend_job_stats(run.backend, 0, &ok);
  CHECK(ok.last_duration >= MS_TO_CDTIME_T(20) || slow.exec_calls >= 3,
        "the injected latency applies");
  CHECK(hosts[0].connects == 1,
        "one connection for the simulated host, "
        "made %ld times",
        (long)hosts[0].connects);
  CHECK(fake_unsecapp_stubs_made() - stubs_before >= 3,
        "the remote path wraps each sink in an unsecured apartment stub");
  CHECK(log_captured_count("Host \"refuses\": connecting to namespace "
                           "\"root\\cimv2\" failed: "
                           "WBEM_E_ACCESS_DENIED (0x80041003)") == 1,
        "refusal logged once:\n%s", log_captured_all());
  CHECK(test_run_stop(&run), "stopped clean");
  CHECK(fake_unsecapp_live_stubs() == 0 && fake_unsecapp_apartments() == 0,
        "stubs and apartments released: %ld, %ld",
        (long)fake_unsecapp_live_stubs(), (long)fake_unsecapp_apartments());
  CHECK(locator.wrappers == 0 && slow.wrappers == 0,
        "locators and services released");
  locator_plan_destroy(&locator);
  fault_plan_destroy(&slow);
}

int main(void) {
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) {
    printf("backend: 0 passed, 1 failed\n");
    return 1;
  }
  /* Wine registers no unsecured apartment; simulated remote hosts need
   * one (see fake_unsecapp.h). */
  CHECK(SUCCEEDED(fake_unsecapp_register()), "fake unsecapp registered");
  test_rows_match_direct_queries();
  test_errors_are_named_and_isolated();
  test_hung_call_is_cancelled();
  test_shutdown_with_call_in_flight();
  test_reconnects_after_disconnect();
  test_dead_host_and_missing_class();
  test_simulated_remote_hosts();
  log_capture_stop();
  fake_unsecapp_revoke();
  CoUninitialize();
  return unit_summary("backend");
}
