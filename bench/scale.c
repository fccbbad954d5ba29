/* Benchmark 2: scale. N simulated remote hosts x 4 queries at a
 * 10 s interval, under Wine. The fake locator maps each host to the local
 * WMI (the backend's real remote path: proxy blanket, unsecured apartment
 * stub), each connect and each ExecQueryAsync takes 20 ms on the calling
 * host thread (a network round trip), and the queries really running in
 * Wine's WMI are serialised (it crashes under many concurrent ones).
 *
 *   scale.exe HOSTS [SECONDS]   (default 60 measured seconds)
 *
 * After a warm-up of one interval (first connects), it measures for
 * SECONDS: threads of the process, working set and private bytes, CPU per
 * run, start lateness against the grid (from the backend's run hook:
 * when the call was issued, after its slot), slots missed. Prints one
 * "scale:" line of figures; not a test. */
#include "fake_unsecapp.h"
#include "log_capture.h"
#include "wine_test.h"

#include <inttypes.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>

#define QUERIES 4
#define INTERVAL_S 10
#define LATENCY_MS 20
#define HOST_STACK (64 * 1024)

static const char queries[] =
    "<Query \"os\">\nStatement \"SELECT FreePhysicalMemory FROM "
    "Win32_OperatingSystem\"\n<Result>\nType \"memory\"\nInstancePrefix "
    "\"free\"\nValuesFrom \"FreePhysicalMemory\"\n</Result>\n</Query>\n"
    "<Query \"cs\">\nStatement \"SELECT TotalPhysicalMemory FROM "
    "Win32_ComputerSystem\"\n<Result>\nType \"memory\"\nInstancePrefix "
    "\"total\"\nValuesFrom \"TotalPhysicalMemory\"\n</Result>\n</Query>\n"
    "<Query \"cpu\">\nStatement \"SELECT DeviceID, MaxClockSpeed FROM "
    "Win32_Processor\"\n<Result>\nType \"gauge\"\nInstancesFrom "
    "\"DeviceID\"\nValuesFrom \"MaxClockSpeed\"\n</Result>\n</Query>\n"
    "<Query \"ram\">\nStatement \"SELECT Tag, Capacity FROM "
    "Win32_PhysicalMemory\"\n<Result>\nType \"gauge\"\nInstancesFrom "
    "\"Tag\"\nValuesFrom \"Capacity\"\n</Result>\n</Query>\n";

/* Lateness of every run issued in the measured window. */
static struct {
  volatile LONG measuring;
  volatile LONG n;
  LONG cap;
  cdtime_t *lateness;
} late;

static void on_run(void *ctx, size_t job, cdtime_t lateness) {
  (void)ctx;
  (void)job;
  if (!late.measuring)
    return;
  LONG i = InterlockedIncrement(&late.n) - 1;
  if (i < late.cap)
    late.lateness[i] = lateness;
}

static int cmp_cdtime(const void *a, const void *b) {
  cdtime_t x = *(const cdtime_t *)a, y = *(const cdtime_t *)b;
  return x < y ? -1 : x > y;
}

static double quantile_ms(const cdtime_t *sorted, size_t n, double q) {
  if (n == 0)
    return 0;
  size_t i = (size_t)(q * (double)(n - 1) + 0.5);
  return CDTIME_T_TO_DOUBLE(sorted[i]) * 1000.0;
}

static uint64_t cpu_100ns(void) {
  FILETIME created, exited, kernel, user;
  GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
  return (((uint64_t)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime) +
         (((uint64_t)user.dwHighDateTime << 32) | user.dwLowDateTime);
}

typedef struct {
  size_t working_set, private_bytes; /* bytes */
  long threads;
} footprint_t;

static footprint_t footprint(void) {
  PROCESS_MEMORY_COUNTERS_EX pmc = {.cb = sizeof(pmc)};
  GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc,
                       sizeof(pmc));
  /* Wine leaves PrivateUsage at 0; PagefileUsage is its committed
   * private memory. */
  return (footprint_t){pmc.WorkingSetSize,
                       pmc.PrivateUsage ? pmc.PrivateUsage : pmc.PagefileUsage,
                       count_process_threads()};
}

/* What Wine itself costs per thread: idle threads with the host threads'
 * stack reservation, started and ended here. */
static DWORD WINAPI idle_thread(void *event) {
  WaitForSingleObject(event, INFINITE);
  return 0;
}

static double wine_thread_kib(void) {
  enum { N = 50 };
  HANDLE threads[N], event = CreateEventW(NULL, TRUE, FALSE, NULL);
  footprint_t before = footprint();
  int started = 0;
  for (; started < N; started++) {
    threads[started] = CreateThread(NULL, HOST_STACK, idle_thread, event,
                                    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (threads[started] == NULL)
      break;
  }
  Sleep(300);
  footprint_t during = footprint();
  SetEvent(event);
  WaitForMultipleObjects((DWORD)started, threads, TRUE, 10000);
  for (int i = 0; i < started; i++)
    CloseHandle(threads[i]);
  CloseHandle(event);
  return started ? ((double)during.working_set - (double)before.working_set) /
                       1024.0 / started
                 : 0;
}

typedef struct {
  uint64_t runs, completed, failed, timeouts, missed;
} totals_t;

static totals_t totals(test_run_t *run) {
  totals_t t = {0};
  for (size_t j = 0; j < run->config->jobs_num; j++) {
    wmi_job_stats_t s;
    wmi_backend_job_stats(run->backend, j, &s);
    t.runs += s.runs;
    t.completed += s.completed;
    t.failed += s.failed;
    t.timeouts += s.timeouts;
    t.missed += s.missed;
  }
  return t;
}

static char *stanza_for(int hosts) {
  size_t cap = sizeof(queries) + (size_t)hosts * 160;
  char *s = malloc(cap);
  if (s == NULL)
    return NULL;
  int n = snprintf(s, cap, "%s", queries);
  for (int i = 0; i < hosts; i++)
    n += snprintf(s + n, cap - (size_t)n,
                  "<Host \"h%03d\">\nAddress \"sim-%03d.invalid\"\nInterval "
                  "%d\nQuery \"os\" \"cs\" \"cpu\" \"ram\"\n</Host>\n",
                  i, i, INTERVAL_S);
  return s;
}

/* Takes the results out as collectd's read callback would. */
static size_t drain(test_run_t *run) {
  size_t n = 0;
  wmi_batch_t *next;
  for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
    next = b->next;
    n += b->samples_num;
    wmi_batch_free(b);
  }
  return n;
}

static void run_for(test_run_t *run, DWORD ms) {
  for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < ms;) {
    Sleep(200);
    drain(run);
  }
}

int main(int argc, char **argv) {
  int hosts = argc > 1 ? atoi(argv[1]) : 10;
  int seconds = argc > 2 ? atoi(argv[2]) : 60;
  if (hosts < 1 || seconds < 1 ||
      FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)) ||
      FAILED(fake_unsecapp_register())) {
    fprintf(stderr, "usage: scale.exe HOSTS [SECONDS]\n");
    return 2;
  }
  log_capture_start(); /* the log is not the figures; kept for failures */

  sim_host_t *sims = calloc((size_t)hosts, sizeof(*sims));
  char(*names)[32] = calloc((size_t)hosts, sizeof(*names));
  char *stanza = stanza_for(hosts);
  late.cap = (LONG)hosts * QUERIES * (seconds / INTERVAL_S + 2);
  late.lateness = calloc((size_t)late.cap, sizeof(*late.lateness));
  if (sims == NULL || names == NULL || stanza == NULL || !late.lateness)
    return 2;
  for (int i = 0; i < hosts; i++) {
    snprintf(names[i], sizeof(names[i]), "sim-%03d.invalid", i);
    sims[i] = (sim_host_t){
        .address = names[i], .mode = SIM_CONNECT_OK, .delay_ms = LATENCY_MS};
  }
  locator_plan_t locator;
  fault_plan_t latency;
  if (locator_plan_init(&locator, sims, (size_t)hosts) != 0 ||
      fault_plan_init(&latency, FAULT_NONE) != 0)
    return 2;
  latency.delay_ms = LATENCY_MS;
  latency.gate = CreateSemaphoreW(NULL, 1, 1, NULL); /* one at a time */
  sim_seams_t seams = {.locator = &locator, .wrap_others = &latency};
  wmi_backend_options_t options = {.host_stack_size = HOST_STACK,
                                   .run_hook = on_run,
                                   .shutdown_wait_ms = 10000};
  sim_seams_apply(&seams, &options);

  /* WMI's own start-up (its tables, its thread pool) is not the
   * backend's: load it first, with each query once. */
  static const char *const warm[] = {
      "SELECT FreePhysicalMemory FROM Win32_OperatingSystem",
      "SELECT TotalPhysicalMemory FROM Win32_ComputerSystem",
      "SELECT DeviceID, MaxClockSpeed FROM Win32_Processor",
      "SELECT Tag, Capacity FROM Win32_PhysicalMemory"};
  for (size_t i = 0; i < QUERIES; i++) {
    row_t rows[8];
    sync_query(warm[i], "__CLASS", "__CLASS", rows, 8);
  }
  double thread_kib = wine_thread_kib();
  Sleep(300);
  footprint_t before = footprint();
  test_run_t run;
  if (test_run_start(&run, stanza, &options) != 0) {
    fprintf(stderr, "scale: the backend did not start:\n%s\n",
            log_captured_all());
    return 1;
  }
  run_for(&run, INTERVAL_S * 1000 + 500); /* every job ran once: connected */
  totals_t t0 = totals(&run);
  uint64_t cpu0 = cpu_100ns();
  late.measuring = 1;
  run_for(&run, (DWORD)seconds * 1000);
  late.measuring = 0;
  uint64_t cpu1 = cpu_100ns();
  totals_t t1 = totals(&run);
  footprint_t during = footprint();

  DWORD s0 = GetTickCount();
  bool clean = test_run_stop(&run);
  DWORD stop_ms = GetTickCount() - s0;

  size_t n = (size_t)(late.n < late.cap ? late.n : late.cap);
  qsort(late.lateness, n, sizeof(*late.lateness), cmp_cdtime);
  uint64_t runs = t1.completed - t0.completed;
  double mib = 1024.0 * 1024.0;
  printf("scale: hosts %d, jobs %d, interval %d s, measured %d s | threads "
         "%ld (%ld before start: +%ld) | working set %.1f MiB (+%.1f MiB, "
         "%.0f KiB/host; an idle Wine thread: %.0f KiB), private %.1f MiB "
         "(+%.1f MiB, %.0f KiB/host) | "
         "CPU/run %.0f us | lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms "
         "(%zu runs) | runs %" PRIu64 ", completed %" PRIu64 ", missed %" PRIu64
         ", failed %" PRIu64 ", timeouts %" PRIu64 " | stop %lu ms, %s\n",
         hosts, hosts * QUERIES, INTERVAL_S, seconds, during.threads,
         before.threads, during.threads - before.threads,
         (double)during.working_set / mib,
         ((double)during.working_set - (double)before.working_set) / mib,
         ((double)during.working_set - (double)before.working_set) / 1024.0 /
             hosts,
         thread_kib, (double)during.private_bytes / mib,
         ((double)during.private_bytes - (double)before.private_bytes) / mib,
         ((double)during.private_bytes - (double)before.private_bytes) /
             1024.0 / hosts,
         runs ? (double)(cpu1 - cpu0) / 10.0 / (double)runs : 0.0,
         quantile_ms(late.lateness, n, 0.5),
         quantile_ms(late.lateness, n, 0.99),
         n ? quantile_ms(late.lateness, n, 1.0) : 0.0, n, t1.runs - t0.runs,
         runs, t1.missed, t1.failed, t1.timeouts, (unsigned long)stop_ms,
         clean ? "clean" : "abandoned");
  if (t1.failed > 0 || t1.missed > 0)
    fprintf(stderr, "%s\n", log_captured_all());
  return clean ? 0 : 1;
}
