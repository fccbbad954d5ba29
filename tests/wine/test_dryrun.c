/* The dry run (collectd -T) through the real backend: its first runs come
 * at once, the wait ends when every query has its status, and the report
 * shows each status with errors by name, every identifier with its values
 * and the CounterType per selected property. Wine's real WMI answers
 * Win32_OperatingSystem, a malformed query and a class it lacks; the
 * recordings wrapper (perf_services.h) serves the recorded
 * Win32_PerfRawData_PerfOS_Processor (perf_recordings.c), with CounterType
 * qualifiers, and a constructed class that answers too late. Both hosts'
 * Interval (300 s) would put the first slot far past the wait had the dry
 * run not moved it to the start, and cpu's second run (it cooks) too, had
 * the dry run not moved that to a second after its first. And the wait's bound,
 * past which a query without a status (a host hung in ConnectServer) is
 * reported as not finished. */
#include "fake_types.h"
#include "log_capture.h"
#include "perf_recordings.h"
#include "perf_services.h"
#include "unit.h"
#include "wine_test.h"
#include "wmi_dryrun_wait.h"
#include "wmi_plugin_identity.h"

#include <stdlib.h>

static perf_stats_t perf;

/* Constructed (no sample is needed: it never arrives in time): one object
 * of Win32_PerfRawData_PerfOS_Memory (AvailableBytes is its property in
 * github.com/microsoft/wmi server2019/root/cimv2/
 * Win32_PerfRawData_PerfOS_Memory.go at 2b4d93b4), delivered after 5 s. */
static const perf_property_t slow_object[] = {
    {"AvailableBytes", CIM_UINT64, "1000000"}};
static const perf_object_t slow_objects[] = {{slow_object, 1}};
static const perf_run_t slow_runs[] = {{slow_objects, 1}};
static const perf_recording_t slow_recording = {
    "Win32_PerfRawData_PerfOS_Memory", NULL, 0, slow_runs, 1, 5000};

static const perf_recording_t *const recordings[] = {&perf_recording_processor,
                                                     &slow_recording};

static IWbemServices *wrap_services(void *ctx, const wmi_host_t *host,
                                    const char *wmi_namespace,
                                    IWbemServices *real) {
  (void)ctx, (void)host, (void)wmi_namespace;
  return perf_services_wrap(real, recordings, 2, &perf);
}

static size_t dispatched[8]; /* results handed on, per job */

static void count_dispatch(const wmi_batch_t *batch, void *ctx) {
  (void)ctx;
  if (batch->job < 8)
    dispatched[batch->job]++;
}

// clang-format off
static const char *const STANZA =
    "<Query \"cpu\">\n"
    "Statement \"SELECT Name, PercentProcessorTime, Timestamp_Sys100NS "
    "FROM Win32_PerfRawData_PerfOS_Processor\"\n"
    "<Result>\nType \"percent\"\nInstancePrefix \"busy\"\n"
    "InstancesFrom \"Name\"\nValuesFrom \"PercentProcessorTime\"\n"
    "CounterType \"auto\"\n</Result>\n"
    "</Query>\n"
    "<Query \"memory\">\n"
    "Statement \"SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem\"\n"
    "<Result>\nType \"memory\"\nInstancePrefix \"total\"\n"
    "ValuesFrom \"TotalVisibleMemorySize\"\n</Result>\n"
    "</Query>\n"
    "<Query \"tcp\">\n"
    "Statement \"SELECT ConnectionsEstablished, Timestamp_PerfTime "
    "FROM Win32_PerfRawData_Tcpip_TCPv4\"\n"
    "<Result>\nType \"gauge\"\nValuesFrom \"ConnectionsEstablished\"\n"
    "CounterType \"auto\"\n</Result>\n"
    "</Query>\n"
    "<Query \"bad\">\n"
    "Statement \"SELECT FROM WHERE\"\n"
    "<Result>\nType \"gauge\"\nValuesFrom \"Name\"\n</Result>\n"
    "</Query>\n"
    "<Query \"slow\">\n"
    "Statement \"SELECT AvailableBytes FROM Win32_PerfRawData_PerfOS_Memory\"\n"
    "<Result>\nType \"memory\"\nValuesFrom \"AvailableBytes\"\n</Result>\n"
    "</Query>\n"
    "<Host \"local\">\nInterval 300\nTimeout 3\n"
    "Query \"cpu\" \"memory\" \"tcp\" \"bad\"\n</Host>\n"
    "<Host \"late\">\nAddress \"localhost\"\nInterval 300\nTimeout 0.3\n"
    "Query \"slow\"\n</Host>\n";
// clang-format on

/* The report's text, from a temporary file. */
static char *report_text(FILE *f) {
  long len = ftell(f);
  char *text = calloc(1, len > 0 ? (size_t)len + 1 : 1);
  rewind(f);
  if (text != NULL && len > 0 && fread(text, 1, (size_t)len, f) != (size_t)len)
    text[0] = '\0';
  return text;
}

/* A dry run as the plugin's read makes it, of a backend under test. */
typedef struct {
  test_run_t run;
  wmi_dryrun_t *record;
  size_t pending;   /* queries without a status */
  ULONGLONG took;   /* ms the wait took */
  uint64_t dropped; /* results the cache dropped, as the wait says */
  char *text;       /* the report */
} dry_t;

/* Results of the last job put in the cache before the wait, as if the
 * read had fallen behind: more than WMI_CACHE_DEPTH drop the oldest. */
static size_t prefill;

/* Loads `stanza`, starts the backend in a dry run with the hooks of
 * `options`, waits as the plugin's read does (results to `dispatch`,
 * NULL: none) and prints the report. -1 (checked) when it did not start. */
static int dry_run(dry_t *d, const char *stanza, wmi_backend_options_t options,
                   void (*dispatch)(const wmi_batch_t *, void *)) {
  memset(d, 0, sizeof(*d));
  int st = test_run_load(&d->run, stanza, fake_types_lookup, NULL);
  CHECK(st == 0, "loaded: %s", log_captured_all());
  if (st != 0)
    return -1;
  d->record = wmi_dryrun_new(d->run.config);
  options.dry_run = d->record;
  st = test_run_begin(&d->run, &options);
  CHECK(st == 0, "started: %s", log_captured_all());
  if (st != 0) {
    wmi_dryrun_free(d->record);
    return -1;
  }
  size_t last = d->run.config->jobs_num - 1;
  for (size_t i = 0; i < prefill; i++)
    wmi_cache_publish(d->run.cache, wmi_batch_new(last, 0));
  FILE *out = tmpfile();
  wmi_dryrun_wait_t wait = {
      .config = d->run.config,
      .backend = d->run.backend,
      .cache = d->run.cache,
      .record = d->record,
      .started = wmi_backend_monotonic(),
      .dispatch = dispatch,
      .identity = wmi_plugin_identity,
      .local_host = "winbox",
      .out = out,
      .dropped = &d->dropped,
  };
  ULONGLONG began = GetTickCount64();
  d->pending = wmi_dryrun_wait(&wait);
  d->took = GetTickCount64() - began;
  d->text = report_text(out);
  fclose(out);
  printf("%s", d->text);
  return 0;
}

/* Stops the backend and frees what the dry run kept. */
static void dry_end(dry_t *d) {
  free(d->text);
  bool clean = test_run_stop(&d->run);
  CHECK(clean, "stopped clean");
  if (clean) /* else a host thread may still write into it */
    wmi_dryrun_free(d->record);
}

static void test_report(void) {
  unit_case = "report";
  log_capture_start();
  perf_stats_init(&perf);
  row_t total[1];
  int rows =
      sync_query("SELECT TotalVisibleMemorySize FROM "
                 "Win32_OperatingSystem",
                 "TotalVisibleMemorySize", "TotalVisibleMemorySize", total, 1);
  CHECK(rows == 1, "WMI answers the reference query");
  dry_t d;
  if (dry_run(&d, STANZA,
              (wmi_backend_options_t){.services_hook = wrap_services},
              count_dispatch) != 0)
    return;
  CHECK(d.pending == 0, "every query has its status: %zu pending", d.pending);
  /* Bound: cpu's Timeout twice and the gap between its runs, 7 s, and a
   * second of grace. The wait ends when the last status is known: cpu's
   * second run, a second after its first, not an Interval (300 s). */
  CHECK(d.took < 4000, "the wait ended when every status was known: %llu ms",
        (unsigned long long)d.took);
  char memory[256];
  snprintf(memory, sizeof(memory), "  winbox/wmi-memory/memory-total = %s\n",
           rows == 1 ? total[0].value : "(no reference)");
  const char *const want[] = {
      "wmi dry run: 5 of 5 queries finished in ",
      "(the wait's bound: 8.0 s)\n",
      /* Run 1 of the recording, cooked against run 0: worked out in
       * test_cooking.c (busy-0: 6,000,000 idle of 10,000,000: 40 %). */
      "Host \"local\", Query \"cpu\": ok, 3 objects, 3 identifiers\n",
      "  winbox/wmi-cpu/percent-busy-1 = 10\n",
      "  winbox/wmi-cpu/percent-busy-_Total = 25\n",
      "  winbox/wmi-cpu/percent-busy-0 = 40\n",
      "  CounterType of PercentProcessorTime: PERF_100NSEC_TIMER_INV (",
      "Host \"local\", Query \"memory\": ok, 1 object, 1 identifier\n",
      memory,
      "Host \"local\", Query \"tcp\": failed: WBEM_E_NOT_FOUND (0x80041002)",
      "(reading the CounterType qualifiers of class "
      "\"Win32_PerfRawData_Tcpip_TCPv4\" failed)\n",
      "Host \"local\", Query \"bad\": failed: WBEM_E_INVALID_QUERY "
      "(0x80041017)",
      "Host \"late\", Query \"slow\": timed out: no result within its Timeout "
      "of 0.3 s\n",
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    CHECK(strstr(d.text, want[i]) != NULL, "\"%s\" in the report", want[i]);
  CHECK(strstr(d.text, "CounterType of PercentIdleTime") == NULL,
        "only selected properties are listed");
  CHECK(strstr(d.text, "CounterType of Timestamp_Sys100NS") == NULL,
        "a property without CounterType is not listed");
  CHECK(dispatched[0] == 2 && dispatched[1] == 1,
        "results are handed on as they come: cpu %zu (2 runs), memory %zu",
        dispatched[0], dispatched[1]);
  dry_end(&d);
  perf_stats_wait_workers(&perf, 8000);
  perf_stats_destroy(&perf);
  log_capture_stop();
}

/* The wait's bound: a host whose ConnectServer hangs (the fake locator of
 * faulty_locator.h) gets no status, and the read stops waiting at the
 * bound, its Timeout (0.5 s) and a second, with the other host's values
 * reported. */
static DWORD WINAPI interrupt_soon(void *arg) {
  (void)arg;
  Sleep(300);
  wmi_dryrun_wait_interrupt(); /* what the console's Ctrl-C handler does */
  return 0;
}

/* `interrupt`: Ctrl-C at 0.3 s ends the wait there, before the bound. */
static void bound_case(bool interrupt) {
  unit_case = interrupt ? "interrupted" : "bound";
  log_capture_start();
  static sim_host_t hung = {.address = "sim-hung.invalid",
                            .mode = SIM_CONNECT_BLOCK,
                            .block_ms = INFINITE};
  static locator_plan_t locator;
  if (locator_plan_init(&locator, &hung, 1) != 0) {
    CHECK(false, "the fake locator is set up");
    return;
  }
  static sim_seams_t seams = {.locator = &locator};
  wmi_backend_options_t options = {0};
  sim_seams_apply(&seams, &options);
  /* The hung host's job: it never has a result of its own. */
  prefill = interrupt ? 0 : WMI_CACHE_DEPTH + 2;
  HANDLE ctrl_c =
      interrupt ? CreateThread(NULL, 0, interrupt_soon, NULL, 0, NULL) : NULL;
  dry_t d;
  if (dry_run(&d,
              "<Query \"os\">\nStatement \"SELECT "
              "TotalVisibleMemorySize FROM Win32_OperatingSystem\"\n"
              "<Result>\nType \"memory\"\nValuesFrom "
              "\"TotalVisibleMemorySize\"\n</Result>\n</Query>\n"
              "<Host \"local\">\nTimeout 0.5\nQuery \"os\"\n</Host>\n"
              "<Host \"hung\">\nAddress \"sim-hung.invalid\"\n"
              "Timeout 0.5\nQuery \"os\"\n</Host>\n",
              options, NULL) != 0)
    return;
  /* Interrupted, local's query may not have finished either. */
  CHECK(interrupt ? d.pending >= 1 : d.pending == 1,
        "the hung host's query has no status: %zu pending", d.pending);
  if (ctrl_c != NULL) {
    WaitForSingleObject(ctrl_c, INFINITE);
    CloseHandle(ctrl_c);
  }
  if (interrupt)
    CHECK(d.took >= 250 && d.took < 1000,
          "Ctrl-C at 0.3 s ended the wait there: %llu ms",
          (unsigned long long)d.took);
  else
    CHECK(d.took >= 1300 && d.took < 2500,
          "the read stopped waiting at the bound of 1.5 s: %llu ms",
          (unsigned long long)d.took);
  prefill = 0;
  CHECK((strstr(d.text, "; interrupted (Ctrl-C)\n") != NULL) == interrupt,
        "the header says whether Ctrl-C ended the wait");
  if (!interrupt)
    CHECK(d.dropped == 2 &&
              strstr(d.text, "wmi dry run: 2 results dropped: more than 8 "
                             "of a query waited for the read\n") != NULL,
          "the results the cache dropped are counted and reported: %llu",
          (unsigned long long)d.dropped);
  const char *const want[] = {
      "wmi dry run: 1 of 2 queries finished in ",
      "(the wait's bound: 1.5 s)",
      "Host \"local\", Query \"os\": ok, 1 object, 1 identifier\n",
      /* With what it waits for: the host hangs in ConnectServer. */
      "Host \"hung\", Query \"os\": not finished: 0 of 1 run completed "
      "within the wait (queued; the host is in ConnectServer)\n",
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    if (!interrupt || i % 2 == 1) /* not local's status then */
      CHECK(strstr(d.text, want[i]) != NULL, "\"%s\" in the report", want[i]);
  locator_plan_release(&locator); /* the hung connect returns */
  dry_end(&d);
  locator_plan_wait_unblocked(&locator, 10000);
  locator_plan_destroy(&locator);
  log_capture_stop();
}

int main(void) {
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
    return 1;
  test_report();
  bound_case(false);
  bound_case(true);
  CoUninitialize();
  return unit_summary("test_dryrun");
}
