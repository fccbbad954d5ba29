/* Slots, missed slots, timeouts and grid placement, driven by a fake
 * monotonic clock. */
#include "unit.h"
#include "wmi_schedule.h"

#define S(x) TIME_T_TO_CDTIME_T_STATIC(x)
#define MS(x) MS_TO_CDTIME_T(x)

/* Runs one job's run from START to completion at `done`. */
static void run_once(wmi_schedule_t *s, cdtime_t start, cdtime_t done) {
  CHECK(wmi_schedule_poll(s, start) == WMI_SCHEDULE_START, "due at %.3f",
        CDTIME_T_TO_DOUBLE(start));
  CHECK(wmi_schedule_begin(s, start), "begins");
  CHECK(wmi_schedule_poll(s, done) == WMI_SCHEDULE_WAIT, "in flight");
  wmi_schedule_end(s);
}

static void test_grid(void) {
  unit_case = "grid";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(10), S(10), S(3), S(1000));
  CHECK(s.next_due == S(1003), "first slot on the offset grid, got %.3f",
        CDTIME_T_TO_DOUBLE(s.next_due));
  CHECK(wmi_schedule_poll(&s, S(1002)) == WMI_SCHEDULE_WAIT, "not yet");
  run_once(&s, S(1003), S(1004));
  CHECK(s.slot == S(1003) && s.next_due == S(1013), "slot and next");
  /* A wake-up 300 ms late starts the run for its slot; the grid stays. */
  run_once(&s, S(1013) + MS(300), S(1014));
  CHECK(s.slot == S(1013), "stamped with its slot, not the late start");
  CHECK(s.next_due == S(1023), "grid kept after a late start");
  CHECK(s.runs == 2 && s.missed == 0 && s.timeouts == 0, "counters");
}

/* The dry run's second run of a cooking job: brought forward once, the
 * grid then follows on from it; a later time never delays the next slot. */
static void test_bring_forward(void) {
  unit_case = "bring forward";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(300), S(5), S(103), S(1000));
  run_once(&s, S(1003), S(1004));
  wmi_schedule_bring_forward(&s, S(1005));
  CHECK(s.next_due == S(1005), "the next slot a second after the run: %.3f",
        CDTIME_T_TO_DOUBLE(s.next_due));
  CHECK(wmi_schedule_poll(&s, S(1004) + MS(500)) == WMI_SCHEDULE_WAIT,
        "not before it");
  run_once(&s, S(1005), S(1006));
  CHECK(s.slot == S(1005) && s.next_due == S(1305) && s.missed == 0,
        "then an Interval on: slot %.3f, next %.3f", CDTIME_T_TO_DOUBLE(s.slot),
        CDTIME_T_TO_DOUBLE(s.next_due));
  wmi_schedule_bring_forward(&s, S(2000));
  CHECK(s.next_due == S(1305), "a later time leaves it");
}

static void test_missed_slots_are_counted(void) {
  unit_case = "missed";
  static const struct {
    const char *what;
    double run_seconds; /* how long each run takes */
    double poll_gap;    /* seconds between polls (a late scheduler) */
    uint64_t runs, missed;
  } cases[] = {
      {"healthy", 0.5, 1, 10, 0},
      {"a run lasting 2.5 intervals", 25, 1, 4, 6},
      {"a scheduler waking every 30 s", 0.5, 30, 4, 6},
  };
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    wmi_schedule_t s;
    wmi_schedule_init(&s, S(10), S(100), 0, 0);
    cdtime_t end = 0;
    /* Polls every poll_gap seconds, and a last one at 100 s. */
    for (double t = cases[c].poll_gap;; t += cases[c].poll_gap) {
      cdtime_t now = MS((t > 100 ? 100 : t) * 1000);
      if (s.state == WMI_RUN_RUNNING && now >= end)
        wmi_schedule_end(&s);
      if (wmi_schedule_poll(&s, now) == WMI_SCHEDULE_START) {
        wmi_schedule_begin(&s, now);
        end = now + MS(cases[c].run_seconds * 1000);
      }
      if (t >= 100)
        break;
    }
    CHECK(s.runs == cases[c].runs && s.missed == cases[c].missed,
          "%s: %llu runs, %llu missed", cases[c].what,
          (unsigned long long)s.runs, (unsigned long long)s.missed);
    /* Every slot of 10..100 is either run or missed. */
    CHECK(s.runs + s.missed == 10, "%s: all 10 slots accounted for",
          cases[c].what);
  }
}

static void test_busy_host(void) {
  unit_case = "busy host";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(10), S(10), 0, 0);
  CHECK(wmi_schedule_poll(&s, S(10)) == WMI_SCHEDULE_START, "queued");
  /* The host is busy past the next slot: the queued run moves on to it,
   * and the old slot is counted as missed. */
  CHECK(wmi_schedule_poll(&s, S(20)) == WMI_SCHEDULE_RESLOT, "moved on");
  CHECK(s.slot == S(20) && s.missed == 1, "slot %.0f, %llu missed",
        CDTIME_T_TO_DOUBLE(s.slot), (unsigned long long)s.missed);
  CHECK(wmi_schedule_begin(&s, S(21)), "the host is free at 21: it runs");
  wmi_schedule_end(&s);
  /* A stall of the scheduler too: begin drops a run past its slot. */
  CHECK(wmi_schedule_poll(&s, S(30)) == WMI_SCHEDULE_START, "queued");
  CHECK(!wmi_schedule_begin(&s, S(41)), "a run past its slot is dropped");
  CHECK(s.state == WMI_RUN_IDLE && s.missed == 2, "counted: %llu",
        (unsigned long long)s.missed);
  /* Slot 40 passed unpolled: missed. No connection at 50: the run is
   * given up, and that is not a missed slot. */
  CHECK(wmi_schedule_poll(&s, S(50)) == WMI_SCHEDULE_START, "queued");
  CHECK(s.missed == 3, "slot 40 missed: %llu", (unsigned long long)s.missed);
  wmi_schedule_abandon(&s);
  CHECK(s.state == WMI_RUN_IDLE && s.missed == 3, "abandoned, not missed: %llu",
        (unsigned long long)s.missed);
}

static void test_timeout(void) {
  unit_case = "timeout";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(10), S(5), 0, 0);
  CHECK(wmi_schedule_poll(&s, S(10)) == WMI_SCHEDULE_START, "queued");
  CHECK(wmi_schedule_next_event(&s, S(10)) == S(15),
        "queued: look again when its timeout could end at the earliest");
  CHECK(wmi_schedule_next_event(&s, S(16)) == S(20),
        "still queued after that: the next slot, never a time past");
  /* The host issued the call 3 s after the slot (it was busy): the
   * timeout counts from the call, so a scheduler poll with a clock read
   * before that never cancels it. */
  CHECK(wmi_schedule_begin(&s, S(13)), "begins late");
  CHECK(wmi_schedule_poll(&s, S(12)) == WMI_SCHEDULE_WAIT,
        "a stale clock reading cancels nothing");
  CHECK(wmi_schedule_poll(&s, S(17)) == WMI_SCHEDULE_WAIT,
        "5 s after the slot but 4 s after the call: healthy");
  CHECK(wmi_schedule_next_event(&s, S(17)) == S(18),
        "timeout is the next event");
  CHECK(wmi_schedule_poll(&s, S(18)) == WMI_SCHEDULE_TIMEOUT, "timed out");
  CHECK(s.cancel_requested, "cancel requested");
  wmi_schedule_timed_out(&s);
  CHECK(s.timeouts == 1, "counted when the host cancels");
  CHECK(wmi_schedule_poll(&s, S(19)) == WMI_SCHEDULE_WAIT,
        "the cancel is asked for once");
  CHECK(wmi_schedule_next_event(&s, S(19)) == S(20), "then the next slot");
  wmi_schedule_end(&s);
  CHECK(!s.cancel_requested, "cleared when the run ends");
}

static void test_offsets(void) {
  unit_case = "offsets";
  cdtime_t a = wmi_schedule_offset("local", "memory", S(10));
  CHECK(a == wmi_schedule_offset("LOCAL", "Memory", S(10)),
        "stable, names compared without case");
  CHECK(a < S(10), "inside the interval");
  CHECK(wmi_schedule_offset("ab", "c", S(10)) !=
            wmi_schedule_offset("a", "bc", S(10)),
        "host and query are kept apart");
  /* 2,000 jobs spread over the interval: no 10 ms bucket holds more than
   * a few (uniform would be 2). */
  static int buckets[1000];
  char name[32];
  for (int i = 0; i < 2000; i++) {
    snprintf(name, sizeof(name), "query%d", i);
    buckets[wmi_schedule_offset("local", name, S(10)) / MS(10)]++;
  }
  int max = 0;
  for (int i = 0; i < 1000; i++)
    max = buckets[i] > max ? buckets[i] : max;
  CHECK(max <= 10, "at most %d jobs start in one 10 ms", max);
}

/* Grid placement: stamps (monotonic + wall_minus_monotonic) land on the
 * job's hashed offset in each interval of the wall clock. */
static const struct {
  const char *host, *query;
  double interval;             /* seconds */
  double wall_minus_monotonic; /* seconds */
} grid_cases[] = {
    {.host = "local", .query = "memory", .interval = 10},
    {.host = "local",
     .query = "memory",
     .interval = 10,
     .wall_minus_monotonic = 3},
    {.host = "local",
     .query = "memory",
     .interval = 10,
     .wall_minus_monotonic = 1.7e9},
    {.host = "local",
     .query = "memory",
     .interval = 10,
     .wall_minus_monotonic = -3},
    {.host = "local",
     .query = "memory",
     .interval = 10,
     .wall_minus_monotonic = -1.7e9},
    {.host = "db1",
     .query = "disks",
     .interval = 60,
     .wall_minus_monotonic = 59.999},
    {.host = "db1",
     .query = "disks",
     .interval = 0.1,
     .wall_minus_monotonic = 1234.5678},
    {.host = "DB1",
     .query = "Disks",
     .interval = 86400,
     .wall_minus_monotonic = 1.7e9},
};

static void test_grid_placement(void) {
  unit_case = "grid placement";
  for (size_t i = 0; i < sizeof(grid_cases) / sizeof(grid_cases[0]); i++) {
    cdtime_t interval = DOUBLE_TO_CDTIME_T(grid_cases[i].interval);
    double shift_s = grid_cases[i].wall_minus_monotonic;
    int64_t shift = shift_s < 0 ? -(int64_t)DOUBLE_TO_CDTIME_T(-shift_s)
                                : (int64_t)DOUBLE_TO_CDTIME_T(shift_s);
    cdtime_t want =
        wmi_schedule_offset(grid_cases[i].host, grid_cases[i].query, interval);
    cdtime_t got = wmi_schedule_grid_offset(
        grid_cases[i].host, grid_cases[i].query, interval, shift);
    CHECK(got < interval, "case %zu: inside the interval", i);
    /* A slot on the grid, stamped on the wall clock. */
    int64_t stamp = (int64_t)(got + 1000 * interval) + shift;
    int64_t phase = stamp % (int64_t)interval;
    if (phase < 0)
      phase += (int64_t)interval;
    CHECK((cdtime_t)phase == want, "case %zu: stamps at %.3f s, want %.3f s", i,
          CDTIME_T_TO_DOUBLE((cdtime_t)phase), CDTIME_T_TO_DOUBLE(want));
    /* The first slot after now is on that grid. */
    wmi_schedule_t s;
    wmi_schedule_init(&s, interval, interval, got, S(1000));
    CHECK(s.next_due > S(1000) && s.next_due <= S(1000) + interval,
          "case %zu: the first slot is within one interval", i);
    CHECK(s.next_due % interval == got, "case %zu: on the grid", i);
  }
  CHECK(wmi_schedule_grid_offset("local", "memory", S(10), 0) ==
            wmi_schedule_offset("local", "memory", S(10)),
        "no shift: the hashed offset itself");
  CHECK(wmi_schedule_grid_offset("local", "memory", S(10), S(10)) ==
            wmi_schedule_grid_offset("local", "memory", S(10), 0),
        "a shift of whole intervals changes nothing");
  CHECK(wmi_schedule_grid_offset("local", "memory", 0, S(3)) == 0,
        "no interval: no offset");
}

int main(void) {
  test_grid();
  test_bring_forward();
  test_missed_slots_are_counted();
  test_busy_host();
  test_timeout();
  test_offsets();
  test_grid_placement();
  return unit_summary("schedule");
}
