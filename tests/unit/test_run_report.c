/* What a user sees of a job's runs (wmi_run_report.h): which line is
 * logged at which level, once per failure streak and once at its end,
 * what the health hook is told, and which stats counters move. Each case
 * is a sequence of events on one job, the expected outcome next to each
 * event. */
#include "unit.h"
#include "wmi_log.h"
#include "wmi_run_report.h"

#define S(x) TIME_T_TO_CDTIME_T_STATIC(x)

#define P "wmi plugin: Host \"db1\", Query \"disks\""
#define DENIED "WBEM_E_ACCESS_DENIED (0x80041003): access denied"
#define NOT_FOUND "WBEM_E_NOT_FOUND (0x80041002): object not found"

/* ---- What the code under test says ---- */

static int logged_num, logged_level;
static char logged_line[1024];

static void capture(int level, const char *message) {
  logged_num++;
  logged_level = level;
  snprintf(logged_line, sizeof(logged_line), "%s", message);
}

typedef enum { NOTIFIED_NONE, NOTIFIED_FAILING, NOTIFIED_RECOVERED } notified_t;

static struct {
  int num;
  size_t job;
  bool failing;
  uint32_t hr;
  char what[256];
} told;

static void notify(void *ctx, size_t job, bool failing, uint32_t hr,
                   const char *what) {
  (void)ctx;
  told.num++;
  told.job = job;
  told.failing = failing;
  told.hr = hr;
  snprintf(told.what, sizeof(told.what), "%s", what ? what : "(null)");
}

/* ---- Events, as the host context produces them ---- */

typedef enum {
  END,          /* no more steps in the case */
  QUERY_OK,     /* the run completed: count_end, then end */
  QUERY_FAILED, /* the run completed with `hr` */
  START_FAILED, /* a step before or at the call failed: `what` */
  UNCONNECTED,  /* no connection could be had */
  UNUSABLE,     /* the class's counters cannot be cooked: `what` */
  TIMED_OUT,    /* cancelled past the timeout */
  SLOTS_MISSED, /* the scheduler saw `missed` more slots missed */
} event_t;

typedef struct {
  event_t event;
  double at; /* seconds, monotonic */
  uint32_t hr;
  const char *what;
  size_t objects;
  uint64_t missed;  /* SLOTS_MISSED: how many more */
  bool running;     /* SLOTS_MISSED: a run was in flight */
  const char *call; /* SLOTS_MISSED: the host thread's blocking call */
  /* What a user sees. */
  int level;        /* of the one line logged; 0: none */
  const char *line; /* that line, word for word */
  notified_t notified;
  uint32_t told_hr;
  const char *told_what;
  /* The stats after the event. */
  uint64_t failed, completed;
} step_t;

typedef struct {
  const char *name;
  step_t steps[8];
} case_t;

static const case_t cases[] = {
    {"a failure streak is logged once, and its end",
     {
         {QUERY_FAILED, 0, 0x80041003, .level = LOG_ERR,
          .line = P ": the query failed: " DENIED, .notified = NOTIFIED_FAILING,
          .told_hr = 0x80041003, .told_what = "the query failed", .failed = 1},
         {QUERY_FAILED, 10, 0x80041003, .failed = 2},
         {START_FAILED, 20, 0x80041002, .what = "starting the query failed",
          .failed = 3},
         {QUERY_OK, 30, .objects = 2, .level = LOG_NOTICE,
          .line = P ": the query succeeds again",
          .notified = NOTIFIED_RECOVERED, .told_what = "(null)", .failed = 3,
          .completed = 1},
         {QUERY_OK, 40, .objects = 2, .failed = 3, .completed = 2},
     }},
    {"a job that flaps is damped, and says how many failures went unlogged",
     {
         {START_FAILED, 0, 0x80041002, .what = "starting the query failed",
          .level = LOG_ERR, .line = P ": starting the query failed: " NOT_FOUND,
          .notified = NOTIFIED_FAILING, .told_hr = 0x80041002,
          .told_what = "starting the query failed", .failed = 1},
         {QUERY_OK, 10, .objects = 1, .level = LOG_NOTICE,
          .line = P ": the query succeeds again",
          .notified = NOTIFIED_RECOVERED, .told_what = "(null)", .failed = 1,
          .completed = 1},
         {QUERY_FAILED, 20, 0x80041003, .failed = 2, .completed = 1},
         {QUERY_OK, 30, .objects = 1, .failed = 2, .completed = 2},
         {QUERY_FAILED, 40, 0x80041003, .failed = 3, .completed = 2},
         {QUERY_FAILED, 400, 0x80041003, .level = LOG_ERR,
          .line = P ": the query failed: " DENIED
                    " (it flaps: 1 failure(s) since the last report)",
          .notified = NOTIFIED_FAILING, .told_hr = 0x80041003,
          .told_what = "the query failed", .failed = 4, .completed = 2},
     }},
    {"a timeout is a warning, damped as failures are",
     {
         {TIMED_OUT, 0, .level = LOG_WARNING,
          .line = P ": no result within the timeout of 10.0 s; the call was "
                    "cancelled",
          .notified = NOTIFIED_FAILING, .told_hr = 0x80041069,
          .told_what = "no result within the timeout"},
         {TIMED_OUT, 10},
         {QUERY_OK, 20, .objects = 1, .level = LOG_NOTICE,
          .line = P ": the query succeeds again",
          .notified = NOTIFIED_RECOVERED, .told_what = "(null)",
          .completed = 1},
         {TIMED_OUT, 30, .completed = 1},
         {QUERY_OK, 40, .objects = 1, .completed = 2},
         {TIMED_OUT, 400, .level = LOG_WARNING,
          .line = P ": no result within the timeout of 10.0 s; the call was "
                    "cancelled (it flaps: earlier failures were not logged)",
          .notified = NOTIFIED_FAILING, .told_hr = 0x80041069,
          .told_what = "no result within the timeout", .completed = 2},
     }},
    {"a connection failure is only notified: the pool logs it",
     {
         {UNCONNECTED, 0, 0x80041003, .notified = NOTIFIED_FAILING,
          .told_hr = 0x80041003, .told_what = "connecting failed", .failed = 1},
         {UNCONNECTED, 10, 0x80041003, .failed = 2},
         {QUERY_OK, 20, .objects = 1, .level = LOG_NOTICE,
          .line = P ": the query succeeds again",
          .notified = NOTIFIED_RECOVERED, .told_what = "(null)", .failed = 2,
          .completed = 1},
     }},
    {"counters that cannot be cooked: the reason is the whole line",
     {
         {UNUSABLE, 0, .what = "counter \"X\" cannot be cooked",
          .level = LOG_ERR, .line = P ", counter \"X\" cannot be cooked",
          .notified = NOTIFIED_FAILING, .told_hr = 0,
          .told_what = "counter \"X\" cannot be cooked", .failed = 1},
         {UNUSABLE, 10, .what = "counter \"X\" cannot be cooked", .failed = 2},
         {QUERY_OK, 20, .objects = 1, .level = LOG_NOTICE,
          .line = P ": the query succeeds again",
          .notified = NOTIFIED_RECOVERED, .told_what = "(null)", .failed = 2,
          .completed = 1},
         {QUERY_FAILED, 30, 0x80041003, .failed = 3, .completed = 1},
         {QUERY_OK, 40, .objects = 1, .failed = 3, .completed = 2},
         {UNUSABLE, 400, .what = "counter \"X\" cannot be cooked",
          .level = LOG_ERR,
          .line = P ", counter \"X\" cannot be cooked (it flaps: earlier "
                    "failures were not logged)",
          .notified = NOTIFIED_FAILING, .told_hr = 0,
          .told_what = "counter \"X\" cannot be cooked", .failed = 4,
          .completed = 2},
     }},
    {"no objects is said once, until objects come back",
     {
         {QUERY_OK, 0, .objects = 0, .level = LOG_NOTICE,
          .line = P ": the query returned no objects, so no values (check the "
                    "class name and the WHERE clause)",
          .completed = 1},
         {QUERY_OK, 10, .objects = 0, .completed = 2},
         {QUERY_OK, 20, .objects = 3, .completed = 3},
         {QUERY_OK, 30, .objects = 0, .level = LOG_NOTICE,
          .line = P ": the query returned no objects, so no values (check the "
                    "class name and the WHERE clause)",
          .completed = 4},
     }},
    {"missed slots are logged once per streak, and their end",
     {
         {SLOTS_MISSED, 0, .missed = 1, .running = true,
          .call = "ExecQueryAsync", .level = LOG_WARNING,
          .line = P ": a run was due while the previous run was still running "
                    "(in ExecQueryAsync); 1 slot(s) missed so far"},
         {SLOTS_MISSED, 10, .missed = 2},
         {QUERY_OK, 20, .objects = 1, .level = LOG_NOTICE,
          .line = P ": runs keep to the schedule again", .completed = 1},
         {SLOTS_MISSED, 30, .missed = 1, .completed = 1},
         {QUERY_OK, 40, .objects = 1, .completed = 2},
         {SLOTS_MISSED, 400, .missed = 1, .level = LOG_WARNING,
          .line = P ": a run was due while the host was still busy with "
                    "earlier calls; 5 slot(s) missed so far (it flaps: "
                    "earlier misses were not logged)",
          .completed = 2},
     }},
};

static const wmi_host_t host = {.name = "db1"};
static const wmi_query_t query = {.name = "disks"};
static const wmi_job_t job = {
    .host = &host, .query = &query, .interval = S(10), .timeout = S(10)};

static void apply(wmi_run_report_t *r, wmi_job_stats_t *stats,
                  wmi_schedule_t *schedule, const step_t *st) {
  cdtime_t now = DOUBLE_TO_CDTIME_T(st->at);
  switch (st->event) {
  case QUERY_OK:
  case QUERY_FAILED: {
    schedule->started = now;
    bool again = wmi_run_report_count_end(r, stats, schedule, st->hr,
                                          st->objects, now + S(1));
    wmi_run_report_end(r, st->hr, st->objects, again, now);
    break;
  }
  case START_FAILED:
    wmi_run_report_count_failure(stats, st->hr);
    wmi_run_report_failure(r, st->hr, st->what, now);
    break;
  case UNCONNECTED:
    wmi_run_report_count_failure(stats, st->hr);
    wmi_run_report_unconnected(r, st->hr, now);
    break;
  case UNUSABLE:
    wmi_run_report_count_failure(stats, st->hr);
    wmi_run_report_unusable(r, st->what, now);
    break;
  case TIMED_OUT:
    wmi_run_report_timeout(r, now);
    break;
  case END:
    break;
  case SLOTS_MISSED: {
    schedule->missed += st->missed;
    schedule->state = st->running ? WMI_RUN_RUNNING : WMI_RUN_IDLE;
    wmi_missed_note_t note;
    if (wmi_run_report_note_missed(r, schedule, now, &note))
      wmi_run_report_missed(&note, st->call);
    break;
  }
  }
}

static void check_step(const wmi_job_stats_t *stats, const step_t *st,
                       size_t k) {
  if (st->line == NULL) {
    CHECK(logged_num == 0, "step %zu: logged \"%s\"", k, logged_line);
  } else {
    CHECK(logged_num == 1, "step %zu: %d lines", k, logged_num);
    CHECK(logged_level == st->level, "step %zu: level %d, want %d", k,
          logged_level, st->level);
    CHECK_STR(logged_line, st->line);
  }
  if (st->notified == NOTIFIED_NONE) {
    CHECK(told.num == 0, "step %zu: told \"%s\"", k, told.what);
  } else {
    CHECK(told.num == 1, "step %zu: told %d times", k, told.num);
    CHECK(told.job == 7, "step %zu: job %zu", k, told.job);
    CHECK(told.failing == (st->notified == NOTIFIED_FAILING),
          "step %zu: failing %d", k, told.failing);
    CHECK(told.hr == st->told_hr, "step %zu: hr 0x%08x", k, told.hr);
    CHECK_STR(told.what, st->told_what);
  }
  CHECK(stats->failed == st->failed, "step %zu: failed %llu, want %llu", k,
        (unsigned long long)stats->failed, (unsigned long long)st->failed);
  CHECK(stats->completed == st->completed,
        "step %zu: completed %llu, want %llu", k,
        (unsigned long long)stats->completed,
        (unsigned long long)st->completed);
}

static void test_cases(void) {
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    unit_case = cases[c].name;
    wmi_run_report_t r;
    wmi_run_report_init(&r, &job, 7, notify, NULL);
    wmi_job_stats_t stats = {0};
    wmi_schedule_t schedule;
    wmi_schedule_init(&schedule, S(10), S(10), 0, 0);
    for (size_t k = 0; k < 8 && cases[c].steps[k].event != END; k++) {
      const step_t *st = &cases[c].steps[k];
      logged_num = 0;
      told.num = 0;
      apply(&r, &stats, &schedule, st);
      check_step(&stats, st, k);
    }
  }
}

/* The counters a run's end moves, beyond failed and completed. */
static void test_counters(void) {
  unit_case = "counters";
  wmi_run_report_t r;
  wmi_run_report_init(&r, &job, 0, NULL, NULL);
  wmi_job_stats_t stats = {0};
  wmi_schedule_t schedule = {.started = S(100)};
  logged_num = 0;
  wmi_run_report_count_end(&r, &stats, &schedule, 0, 5, S(103));
  CHECK(stats.last_status == 0 && stats.last_objects == 5 &&
            stats.last_duration == S(3) && stats.last_success == S(103),
        "a completed run's figures");
  wmi_run_report_count_end(&r, &stats, &schedule, 0x80041003, 9, S(200));
  CHECK(stats.last_status == 0x80041003, "a failed run's status");
  CHECK(stats.last_objects == 5 && stats.last_success == S(103),
        "a failed run leaves the last success's figures");
  wmi_run_report_count_failure(&stats, 0x800706ba);
  CHECK(stats.failed == 2 && stats.last_status == 0x800706ba,
        "a run that could not start");
  CHECK(stats.runs == 0 && stats.timeouts == 0 && stats.missed == 0 &&
            stats.connect_failures == 0,
        "the schedule's and the pool's counters are not the report's");
  wmi_run_report_failure(&r, 0x80041003, "the query failed", S(300));
  CHECK(logged_num == 1, "without a hook, still logged");
}

int main(void) {
  wmi_log_set_sink(capture);
  test_cases();
  test_counters();
  wmi_log_set_sink(NULL);
  return unit_summary("run_report");
}
