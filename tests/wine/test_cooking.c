/* CounterType end to end through the backend: "auto" reads each counter's
 * type from its class's CounterType qualifier (IWbemServices::GetObject),
 * then consecutive runs are cooked, paired by instance. Wine 8 has no
 * Win32_PerfRawData_* classes, so the services wrapper of perf_services.h
 * serves recorded samples of real hosts for them around Wine's real WMI;
 * every expected value below is worked out by hand from those samples
 * (tests/wine/fakes/perf_recordings.c). Also: ProviderArchitecture's context on
 * every call, and the messages of classes that cannot be cooked. */
#include "log_capture.h"
#include "perf_recordings.h"
#include "perf_services.h"
#include "unit.h"
#include "wine_test.h"

#include <math.h>
#include <stdlib.h>

static perf_stats_t perf;

static IWbemServices *wrap_services(void *ctx, const wmi_host_t *host,
                                    const char *wmi_namespace,
                                    IWbemServices *real) {
  (void)ctx;
  (void)host;
  (void)wmi_namespace;
  return perf_services_wrap(real, perf_recordings_all, perf_recordings_all_num,
                            &perf);
}

#define RUNS 3
#define JOBS 4

/* Every job's first RUNS results, in order, or fewer after `ms`. */
typedef struct {
  wmi_batch_t *batches[JOBS][RUNS];
  size_t num[JOBS];
} results_t;

static void collect(test_run_t *run, results_t *r, size_t jobs, DWORD ms) {
  memset(r, 0, sizeof(*r));
  for (DWORD waited = 0; waited < ms; waited += 20) {
    wmi_batch_t *next;
    for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
      next = b->next;
      b->next = NULL;
      if (b->job < jobs && r->num[b->job] < RUNS)
        r->batches[b->job][r->num[b->job]++] = b;
      else
        wmi_batch_free(b);
    }
    bool all = true;
    for (size_t j = 0; j < jobs; j++)
      all = all && r->num[j] == RUNS;
    if (all)
      return;
    Sleep(20);
  }
}

static void results_free(results_t *r) {
  for (size_t j = 0; j < JOBS; j++)
    for (size_t k = 0; k < r->num[j]; k++)
      wmi_batch_free(r->batches[j][k]);
}

/* The value of a sample, or NAN when the batch has none. */
static double value_of(const wmi_batch_t *b, const char *type,
                       const char *instance) {
  const wmi_sample_t *s = b ? wmi_batch_find(b, type, instance) : NULL;
  return s ? s->values[0].gauge : NAN;
}

static bool close_to(double got, double want) {
  return fabs(got - want) <= 1e-9 * fabs(want) + 1e-12;
}

typedef struct {
  size_t job, run;
  const char *type, *instance;
  double want; /* NAN: no value */
  const char *why;
} expect_t;

/* Worked out by hand from perf_recordings.c. */
static const expect_t expected[] = {
    /* cpu: PercentProcessorTime, PERF_100NSEC_TIMER_INV over
     * Timestamp_Sys100NS; every step 10,000,000 (1 s). Run 1 comes in
     * another order: by position "1" would pair with "0". */
    {0, 0, "percent", "busy-0", NAN, "first run: no value"},
    {0, 0, "percent", "busy-_Total", NAN, "first run: no value"},
    {0, 1, "percent", "busy-1", 10.0,
     "2531096924440 - 2531087924440 = 9,000,000 idle of 10,000,000: 10 %"},
    {0, 1, "percent", "busy-0", 40.0,
     "2530397125000 - 2530391125000 = 6,000,000 idle: 40 %"},
    {0, 1, "percent", "busy-_Total", 25.0,
     "2530747024720 - 2530739524720 = 7,500,000 idle: 25 %"},
    {0, 2, "percent", "busy-0", 0.0,
     "2530407125000 - 2530397125000 = 10,000,000 idle: 0 %"},
    {0, 2, "percent", "busy-1", NAN, "1204000 went backwards: no value"},
    {0, 2, "percent", "busy-2", NAN, "new instance: no value"},
    {0, 2, "percent", "busy-_Total", 20.0,
     "2530755024720 - 2530747024720 = 8,000,000 idle: 20 %"},
    /* network: PERF_COUNTER_BULK_COUNT, (N1 - N0) * F / (D1 - D0) over
     * Timestamp_PerfTime: 52428260211 - 52417730211 = 10,530,000 ticks of
     * 10 MHz. Run 2 repeats run 1's objects (the recording has 2 runs):
     * the time did not move, no value. */
    {1, 0, "gauge", "rx-Intel_R__Wi-Fi_6_AX200_160MHz", NAN, "first run"},
    {1, 1, "gauge", "rx-Intel_R__Wi-Fi_6_AX200_160MHz",
     1716.0 * 10000000.0 / 10530000.0,
     "704836663 - 704834947 = 1716 bytes in 1.053 s"},
    {1, 1, "gauge", "tx-Intel_R__Wi-Fi_6_AX200_160MHz",
     3237.0 * 10000000.0 / 10530000.0,
     "2416234467 - 2416231230 = 3237 bytes in 1.053 s"},
    {1, 1, "gauge", "rx-Realtek_PCIe_GbE_Family_Controller", 0.0,
     "an idle interface: 0"},
    {1, 2, "gauge", "rx-Intel_R__Wi-Fi_6_AX200_160MHz", NAN,
     "no time passed: no value"},
    /* system: PERF_ELAPSED_TIME from one sample, (Timestamp_Object -
     * SystemUpTime) / Frequency_Object; PERF_COUNTER_RAWCOUNT;
     * PERF_RAW_FRACTION 100 * N / B; PERF_COUNTER_COUNTER over
     * Timestamp_PerfTime at 1,757,890 Hz. */
    {2, 0, "uptime", "", (131090689667831652.0 - 131087385121255994.0) / 1e7,
     "3,304,546,575,658 x 100 ns = 330454.6575658 s, on the first run"},
    {2, 1, "uptime", "", (131090689767831652.0 - 131087385121255994.0) / 1e7,
     "10 s later"},
    {2, 0, "queue_length", "processor", 0.0, "raw count 0"},
    {2, 1, "queue_length", "processor", 1.0, "raw count 1"},
    {2, 0, "percent", "registry_quota", 100.0 * 50230448.0 / 714429781.0,
     "50230448 / 714429781 = 7.03 %"},
    {2, 0, "gauge", "context_switches", NAN, "first run"},
    {2, 1, "gauge", "context_switches", 48211.0 * 1757890.0 / 17578900.0,
     "515919738 - 515871527 = 48211 in 17,578,900 ticks (10 s): 4821.1/s"},
};

#define AUTO_RESULT(type, prefix, instances, property)                         \
  "<Result>\nType \"" type "\"\nInstancePrefix \"" prefix "\"\n" instances     \
  "ValuesFrom \"" property "\"\nCounterType \"auto\"\n</Result>\n"

// clang-format off
static const char *const STANZA =
    "<Query \"cpu\">\n"
    "Statement \"SELECT Name, PercentProcessorTime, Timestamp_Sys100NS "
    "FROM Win32_PerfRawData_PerfOS_Processor\"\n"
    AUTO_RESULT("percent", "busy", "InstancesFrom \"Name\"\n",
                "PercentProcessorTime")
    "</Query>\n"
    "<Query \"net\">\n"
    "Statement \"SELECT Name, BytesReceivedPersec, BytesSentPersec, "
    "Timestamp_PerfTime, Frequency_PerfTime "
    "FROM Win32_PerfRawData_Tcpip_NetworkInterface\"\n"
    AUTO_RESULT("gauge", "rx", "InstancesFrom \"Name\"\n",
                "BytesReceivedPersec")
    AUTO_RESULT("gauge", "tx", "InstancesFrom \"Name\"\n", "BytesSentPersec")
    "</Query>\n"
    "<Query \"system\">\n"
    "Statement \"SELECT * FROM Win32_PerfRawData_PerfOS_System\"\n"
    "<Result>\nType \"uptime\"\nValuesFrom \"SystemUpTime\"\n"
    "CounterType \"auto\"\n</Result>\n"
    AUTO_RESULT("queue_length", "processor", "", "ProcessorQueueLength")
    AUTO_RESULT("percent", "registry_quota", "", "PercentRegistryQuotaInUse")
    AUTO_RESULT("gauge", "context_switches", "", "ContextSwitchesPersec")
    "</Query>\n"
    "<Host \"local\">\nInterval 0.3\nMaxConcurrentQueries 1\n"
    "Query \"cpu\" \"net\" \"system\"\n</Host>\n";
// clang-format on

static void test_auto_cooking(void) {
  unit_case = "auto";
  log_capture_start();
  perf_stats_init(&perf);
  wmi_backend_options_t hooks = {.services_hook = wrap_services};
  test_run_t run;
  int st = test_run_start(&run, STANZA, &hooks);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  results_t r;
  collect(&run, &r, 3, 20000);
  for (size_t j = 0; j < 3; j++)
    CHECK(r.num[j] == RUNS, "job %zu: %zu runs completed", j, r.num[j]);
  for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
    const expect_t *e = &expected[i];
    unit_case = e->why;
    const wmi_batch_t *b =
        e->run < r.num[e->job] ? r.batches[e->job][e->run] : NULL;
    double got = value_of(b, e->type, e->instance);
    if (isnan(e->want))
      CHECK(b != NULL && isnan(got), "job %zu run %zu %s-%s: %.17g", e->job,
            e->run, e->type, e->instance, got);
    else
      CHECK(close_to(got, e->want), "job %zu run %zu %s-%s: %.17g, want %.17g",
            e->job, e->run, e->type, e->instance, got, e->want);
  }
  unit_case = "auto";
  CHECK(r.num[0] == RUNS && r.batches[0][1]->samples_num == 3,
        "run 1 of cpu: the three instances");
  /* Each class is read once, whatever the number of runs. */
  for (size_t i = 0; i < perf_recordings_all_num; i++) {
    const char *name = perf_recordings_all[i]->class_name;
    bool used = strstr(STANZA, name) != NULL;
    CHECK(perf.get_object[i] == (used ? 1 : 0), "%s read %ld times", name,
          (long)perf.get_object[i]);
  }
  CHECK(!log_captured("CounterType"), "nothing to complain of:\n%s",
        log_captured_all());
  results_free(&r);
  CHECK(test_run_stop(&run), "stopped clean");
  perf_stats_wait_workers(&perf, 5000);
  perf_stats_destroy(&perf);
}

typedef struct {
  const char *name;
  const char *stanza;
  const char *message;
} refusal_t;

static const refusal_t refusals[] = {
    {"a property the type needs is not selected",
     "<Query \"cpu\">\nStatement \"SELECT Name, PercentProcessorTime FROM "
     "Win32_PerfRawData_PerfOS_Processor\"\n" AUTO_RESULT(
         "percent", "busy", "InstancesFrom \"Name\"\n",
         "PercentProcessorTime") "</Query>\n",
     "wmi plugin: Host \"local\", Query \"cpu\", Result 1: option "
     "\"CounterType\" \"auto\": property \"PercentProcessorTime\" is a "
     "PERF_100NSEC_TIMER_INV, which needs property \"Timestamp_Sys100NS\": "
     "add it to the Statement"},
    {"a property without CounterType",
     "<Query \"cpu\">\nStatement \"SELECT * FROM "
     "Win32_PerfRawData_PerfOS_Processor\"\n" AUTO_RESULT("gauge", "x", "",
                                                          "Name") "</Query>\n",
     "property \"Name\" has no CounterType qualifier in its class"},
    {"a class Wine does not have",
     "<Query \"mem\">\nStatement \"SELECT AvailableBytes FROM "
     "Win32_PerfRawData_PerfOS_Memory\"\n" AUTO_RESULT(
         "gauge", "x", "", "AvailableBytes") "</Query>\n",
     "Host \"local\", Query \"mem\": reading the CounterType qualifiers of "
     "class \"Win32_PerfRawData_PerfOS_Memory\" failed: WBEM_E_NOT_FOUND "
     "(0x80041002)"},
};

static bool failed_twice(const wmi_job_stats_t *s) { return s->failed >= 2; }

static void test_refusals(void) {
  for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
    const refusal_t *c = &refusals[i];
    unit_case = c->name;
    log_capture_start();
    perf_stats_init(&perf);
    wmi_backend_options_t hooks = {.services_hook = wrap_services};
    char stanza[2048];
    snprintf(stanza, sizeof(stanza),
             "%s<Host \"local\">\nInterval 0.2\nMaxConcurrentQueries 1\n"
             "Query \"%s\"\n</Host>\n",
             c->stanza, strstr(c->stanza, "\"mem\"") ? "mem" : "cpu");
    test_run_t run;
    if (test_run_start(&run, stanza, &hooks) != 0) {
      CHECK(false, "started: %s", log_captured_all());
      continue;
    }
    CHECK(wait_for_stats(&run, 0, failed_twice, 5000), "its runs fail");
    CHECK(log_captured_count(c->message) == 1, "said once: \"%s\" in\n%s",
          c->message, log_captured_all());
    wmi_job_stats_t s;
    wmi_backend_job_stats(run.backend, 0, &s);
    CHECK(s.completed == 0, "no run went ahead uncooked");
    CHECK(test_run_stop(&run), "stopped clean");
    perf_stats_wait_workers(&perf, 5000);
    perf_stats_destroy(&perf);
  }
}

/* ProviderArchitecture: the context rides on the class read and on every
 * query, recorded or passed to Wine's WMI (which accepts it). */
static void test_provider_architecture(void) {
  unit_case = "ProviderArchitecture";
  log_capture_start();
  perf_stats_init(&perf);
  wmi_backend_options_t hooks = {.services_hook = wrap_services};
  test_run_t run;
  int st = test_run_start(
      &run,
      "<Query \"os\">\nStatement \"SELECT FreePhysicalMemory FROM "
      "Win32_OperatingSystem\"\nProviderArchitecture 32\n<Result>\nType "
      "\"memory\"\nValuesFrom \"FreePhysicalMemory\"\n</Result>\n</Query>\n"
      "<Query \"cpu\">\nStatement \"SELECT Name, PercentProcessorTime, "
      "Timestamp_Sys100NS FROM Win32_PerfRawData_PerfOS_Processor\"\n"
      "ProviderArchitecture 32\n" AUTO_RESULT(
          "percent", "busy", "InstancesFrom \"Name\"\n",
          "PercentProcessorTime") "</Query>\n"
                                  "<Host \"local\">\nInterval 0.3\n"
                                  "MaxConcurrentQueries 1\nQuery \"os\" "
                                  "\"cpu\"\n</Host>\n",
      &hooks);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0)
    return;
  results_t r;
  collect(&run, &r, 2, 10000);
  CHECK(r.num[0] == RUNS && r.batches[0][0]->samples_num == 1 &&
            r.batches[0][0]->samples[0].values[0].gauge > 0,
        "Wine's WMI answers with the context: %zu runs", r.num[0]);
  CHECK(r.num[1] == RUNS &&
            close_to(value_of(r.batches[1][1], "percent", "busy-_Total"), 25.0),
        "the cooked query runs with it");
  results_free(&r);
  CHECK(test_run_stop(&run), "stopped clean");
  CHECK(perf.get_object[0] == 1, "the class was read once");
  CHECK(perf.calls_without_context == 0 && perf.calls_with_context >= 7,
        "every call carries the context: %ld with, %ld without",
        (long)perf.calls_with_context, (long)perf.calls_without_context);
  CHECK(perf.provider_architecture == 32 &&
            perf.provider_architecture_vt == VT_I4,
        "__ProviderArchitecture 32 (VT_I4): %ld (vt %ld)",
        (long)perf.provider_architecture, (long)perf.provider_architecture_vt);
  CHECK(perf.required_architecture == 1 &&
            perf.required_architecture_vt == VT_BOOL,
        "__RequiredArchitecture true (VT_BOOL): %ld (vt %ld)",
        (long)perf.required_architecture, (long)perf.required_architecture_vt);
  perf_stats_wait_workers(&perf, 5000);
  perf_stats_destroy(&perf);

  unit_case = "without ProviderArchitecture";
  log_capture_start();
  perf_stats_init(&perf);
  st = test_run_start(&run,
                      "<Query \"os\">\nStatement \"SELECT FreePhysicalMemory "
                      "FROM Win32_OperatingSystem\"\n<Result>\nType "
                      "\"memory\"\nValuesFrom \"FreePhysicalMemory\"\n"
                      "</Result>\n</Query>\n<Host \"local\">\nInterval 0.3\n"
                      "Query \"os\"\n</Host>\n",
                      &hooks);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st == 0) {
    Sleep(1000);
    CHECK(test_run_stop(&run), "stopped clean");
  }
  CHECK(perf.calls_with_context == 0 && perf.calls_without_context >= 1,
        "no context: %ld with, %ld without", (long)perf.calls_with_context,
        (long)perf.calls_without_context);
  perf_stats_wait_workers(&perf, 5000);
  perf_stats_destroy(&perf);
}

int main(void) {
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
    return 1;
  test_auto_cooking();
  test_refusals();
  test_provider_architecture();
  log_capture_stop();
  CoUninitialize();
  return unit_summary("cooking");
}
