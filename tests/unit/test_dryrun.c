/* The dry run's portable part: when collectd asks for it, how long its
 * read waits, when a job is done, and the report as an operator reads it
 * (statuses with errors by name, identifiers with their values, the
 * CounterType of each property). */
#include "config_load.h"
#include "fake_object.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_dryrun.h"
#include "wmi_naming.h"

#include <stdlib.h>

static void test_requested(void) {
  unit_case = "requested";
  static const struct {
    const char *read_threads;
    bool want;
    const char *why;
  } cases[] = {
      {"-1", true, "collectd -T sets it from the command line"},
      {"-1.000000", true, "ReadThreads -1 in a file (never read at all)"},
      {"5", false, "the default: collectd reads in its loop"},
      {"0", false, "0 means the default number of threads"},
      {NULL, false, "no such option"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK(wmi_dryrun_requested(cases[i].read_threads) == cases[i].want,
          "\"%s\": %s", cases[i].read_threads ? cases[i].read_threads : "NULL",
          cases[i].why);
}

/* Three queries on one host, Interval 10, Timeout 4: a plain one, a cooked
 * one and one with two values per identifier. */
static const char *const STANZA =
    "<Query \"memory\">\n"
    "  Statement \"SELECT FreePhysicalMemory FROM Win32_OperatingSystem\"\n"
    "  <Result>\n    Type \"memory\"\n    InstancePrefix \"free\"\n"
    "    ValuesFrom \"FreePhysicalMemory\"\n    Scale 1024\n  </Result>\n"
    "</Query>\n"
    "<Query \"cpu\">\n"
    "  Statement \"SELECT Name, PercentProcessorTime, Timestamp_Sys100NS "
    "FROM Win32_PerfRawData_PerfOS_Processor\"\n"
    "  <Result>\n    Type \"percent\"\n    InstancesFrom \"Name\"\n"
    "    ValuesFrom \"PercentProcessorTime\"\n    CounterType \"auto\"\n"
    "  </Result>\n"
    "</Query>\n"
    "<Query \"processes\">\n"
    "  Statement \"SELECT Name, ThreadCount FROM Win32_Process\"\n"
    "  <Result>\n    Type \"ps_count\"\n    InstancesFrom \"Name\"\n"
    "    ValuesFrom \"Name\" \"ThreadCount\"\n    ValueMap \"\" 1\n"
    "    ValueMapDefault 1\n"
    "  </Result>\n"
    "  <Result>\n    Type \"derive\"\n    InstancePrefix \"threads\"\n"
    "    ValuesFrom \"ThreadCount\"\n  </Result>\n"
    "</Query>\n"
    "<Host \"local\">\n  Interval 10\n  Timeout 4\n"
    "  Query \"memory\" \"cpu\" \"processes\"\n</Host>\n";

static void test_bounds(void) {
  unit_case = "bounds";
  wmi_config_t *cfg = config_load_or_abort(STANZA);
  const cdtime_t s = TIME_T_TO_CDTIME_T_STATIC(1);
  static const struct {
    size_t job;
    uint64_t runs;
    cdtime_t bound;
    const char *why;
  } cases[] = {
      {0, 1, 4, "a plain query: one run, its Timeout"},
      {1, 2, 9, "cooked: two runs, a second apart: Timeout, 1 s, Timeout"},
      {2, 1, 4, "two Results, none cooked"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const wmi_job_t *job = &cfg->jobs[cases[i].job];
    CHECK(wmi_dryrun_runs_needed(job) == cases[i].runs, "%s", cases[i].why);
    CHECK(wmi_dryrun_job_bound(job) == cases[i].bound * s, "%s: %.1f s",
          cases[i].why, CDTIME_T_TO_DOUBLE(wmi_dryrun_job_bound(job)));
  }
  CHECK(wmi_dryrun_second_run_gap(&cfg->jobs[1]) == s,
        "the second run a second after the first, not an Interval (10 s)");
  CHECK(wmi_dryrun_bound(cfg) == 10 * s,
        "the longest bound and a second's grace: %.1f s",
        CDTIME_T_TO_DOUBLE(wmi_dryrun_bound(cfg)));
  wmi_config_free(cfg);
}

static void test_done(void) {
  unit_case = "done";
  wmi_config_t *cfg = config_load_or_abort(STANZA);
  static const struct {
    size_t job;
    wmi_job_stats_t stats;
    bool want;
    const char *why;
  } cases[] = {
      {0, {.runs = 1}, false, "its run is in flight"},
      {0, {.runs = 1, .completed = 1}, true, "one run completed"},
      {0, {.failed = 1}, true, "it failed"},
      {0, {.timeouts = 1}, true, "it timed out"},
      {1, {.runs = 2, .completed = 1}, false, "cooked: one run is not enough"},
      {1, {.completed = 2}, true, "cooked: two runs completed"},
      {1, {.completed = 1, .failed = 1}, true, "cooked: its second run failed"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK(wmi_dryrun_job_done(&cfg->jobs[cases[i].job], &cases[i].stats) ==
              cases[i].want,
          "%s", cases[i].why);
  wmi_config_free(cfg);
}

/* As the plugin's wmi_plugin_identity: "" for a local host. */
static void identity(const wmi_job_t *job, char host[DATA_MAX_NAME_LEN],
                     char plugin_instance[DATA_MAX_NAME_LEN]) {
  wmi_name_sanitize(plugin_instance, DATA_MAX_NAME_LEN,
                    job->query->plugin_instance);
  host[0] = '\0';
}

/* A finished run of `job` over the objects. */
static wmi_batch_t *run(const wmi_config_t *cfg, size_t job, object_t *objects,
                        size_t n) {
  wmi_batch_t *b = wmi_batch_new(job, TIME_T_TO_CDTIME_T_STATIC(1234));
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  for (size_t i = 0; i < n; i++)
    wmi_batch_add_object(b, &cfg->jobs[job], fake_object_property, &objects[i],
                         complaints, NULL);
  wmi_batch_finish(b, &cfg->jobs[job], complaints, NULL);
  wmi_complaints_free(complaints);
  return b;
}

/* The report of one wait: what the operator reads, line by line. */
static void test_report(void) {
  unit_case = "report";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(STANZA);
  wmi_dryrun_t *d = wmi_dryrun_new(cfg);
  object_t memory[] = {{{{"FreePhysicalMemory", STR("2000000")}}}};
  object_t processes[] = {
      {{{"Name", STR("svchost.exe")}, {"ThreadCount", UINT(12)}}}};
  /* An older result of "memory" is replaced by the latest. */
  object_t old_memory[] = {{{{"FreePhysicalMemory", STR("1")}}}};
  wmi_dryrun_keep(d, run(cfg, 0, old_memory, 1));
  wmi_dryrun_keep(d, run(cfg, 0, memory, 1));
  wmi_dryrun_keep(d, run(cfg, 2, processes, 1));
  /* 0x80041002 is WBEM_E_NOT_FOUND; only the first failure is kept. */
  wmi_dryrun_failure(d, 1, 0x80041002u,
                     "reading the CounterType qualifiers of class "
                     "\"Win32_PerfRawData_PerfOS_Processor\" failed");
  wmi_dryrun_failure(d, 1, 0x80041017u, "a later failure");
  wmi_dryrun_counter_type(d, 2, "ThreadCount",
                          65536); /* PERF_COUNTER_RAWCOUNT */
  wmi_dryrun_counter_type(d, 2, "Name", 0x12345678u); /* not one we cook */
  wmi_job_stats_t stats[3] = {{.completed = 2},
                              {.failed = 1, .last_status = 0x80041002u},
                              {.completed = 1}};
  wmi_dryrun_report_t r = {
      .stats = stats,
      .local_host = "winbox",
      .identity = identity,
      .waited = TIME_T_TO_CDTIME_T_STATIC(1),
      .bound = TIME_T_TO_CDTIME_T_STATIC(15),
  };
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  wmi_dryrun_print(d, &r, out);
  fclose(out);
  static const char *const want[] = {
      "wmi dry run: 3 of 3 queries finished in 1.0 s (the wait's bound: 15.0 "
      "s)\n",
      "Host \"local\", Query \"memory\": ok, 1 object, 1 identifier\n"
      "  winbox/wmi-memory/memory-free = 2048000000\n",
      "Host \"local\", Query \"cpu\": failed: WBEM_E_NOT_FOUND (0x80041002)",
      "(reading the CounterType qualifiers of class "
      "\"Win32_PerfRawData_PerfOS_Processor\" failed)\n",
      "Host \"local\", Query \"processes\": ok, 1 object, 2 identifiers\n"
      "  winbox/wmi-processes/ps_count-svchost_exe = 1:12\n"
      "  winbox/wmi-processes/derive-threads = 12\n"
      "  CounterType of ThreadCount: PERF_COUNTER_RAWCOUNT (65536)\n"
      "  CounterType of Name: 305419896 (not one this plugin cooks)\n",
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    CHECK(strstr(text, want[i]) != NULL, "\"%s\" in:\n%s", want[i], text);
  CHECK(strstr(text, "= 1024\n") == NULL, "the older result is gone:\n%s",
        text);
  CHECK(strstr(text, "a later failure") == NULL, "the first failure kept");
  free(text);

  /* Still waiting when the bound passed, and timed out. */
  wmi_job_stats_t late[3] = {{.runs = 1}, {.completed = 1}, {.timeouts = 1}};
  r.stats = late;
  out = open_memstream(&text, &len);
  wmi_dryrun_print(d, &r, out);
  fclose(out);
  static const char *const late_want[] = {
      "wmi dry run: 1 of 3 queries finished",
      "Query \"memory\": not finished: 0 of 1 run completed within the wait\n",
      "Query \"cpu\": not finished: 1 of 2 runs completed within the wait\n",
      "Query \"processes\": timed out: no result within its Timeout of 4.0 "
      "s\n",
  };
  for (size_t i = 0; i < sizeof(late_want) / sizeof(late_want[0]); i++)
    CHECK(strstr(text, late_want[i]) != NULL, "\"%s\" in:\n%s", late_want[i],
          text);
  CHECK(strstr(text, "memory-free =") == NULL,
        "no values of an unfinished job:\n%s", text);
  free(text);
  wmi_dryrun_free(d);
  wmi_config_free(cfg);
  log_capture_stop();
}

/* A failure counted (the stats) before its step is recorded (the health
 * hook, a moment later on the host thread) keeps the wait going: else the
 * report's line would lack the step. */
static void test_reportable(void) {
  unit_case = "reportable";
  wmi_config_t *cfg = config_load_or_abort(STANZA);
  wmi_dryrun_t *d = wmi_dryrun_new(cfg);
  wmi_job_stats_t failed = {.failed = 1, .last_status = 0x80041002u};
  wmi_job_stats_t ok = {.completed = 1}, running = {.runs = 1};
  CHECK(!wmi_dryrun_job_reportable(d, 0, &failed),
        "counted as failed, its step not recorded yet: wait");
  CHECK(wmi_dryrun_job_reportable(d, 0, &ok), "completed: report");
  CHECK(!wmi_dryrun_job_reportable(d, 0, &running), "not done: wait");
  wmi_dryrun_failure(d, 0, 0x80041002u, "the query failed");
  CHECK(wmi_dryrun_job_reportable(d, 0, &failed), "its step recorded: report");
  wmi_dryrun_free(d);
  wmi_config_free(cfg);
}

/* A step as long as its producer writes it (wmi_host_run.c's 512 bytes: a
 * long class name in it) is shown whole. */
static void test_long_step(void) {
  unit_case = "long step";
  wmi_config_t *cfg = config_load_or_abort(STANZA);
  wmi_dryrun_t *d = wmi_dryrun_new(cfg);
  char what[512];
  int n = snprintf(what, sizeof(what),
                   "reading the CounterType qualifiers of class \"");
  memset(what + n, 'C', 400);
  snprintf(what + n + 400, sizeof(what) - (size_t)n - 400, "\" failed");
  wmi_dryrun_failure(d, 1, 0x80041002u, what);
  wmi_job_stats_t stats[3] = {{.completed = 1},
                              {.failed = 1, .last_status = 0x80041002u},
                              {.completed = 1}};
  wmi_dryrun_report_t r = {
      .stats = stats, .local_host = "winbox", .identity = identity};
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  wmi_dryrun_print(d, &r, out);
  fclose(out);
  char want[600];
  snprintf(want, sizeof(want), "(%s)\n", what);
  CHECK(strlen(what) > 400 && strstr(text, want) != NULL,
        "the %zu-character step whole in:\n%s", strlen(what), text);
  free(text);
  wmi_dryrun_free(d);
  wmi_config_free(cfg);
}

int main(void) {
  test_requested();
  test_bounds();
  test_done();
  test_report();
  test_long_step();
  test_reportable();
  return unit_summary("test_dryrun");
}
