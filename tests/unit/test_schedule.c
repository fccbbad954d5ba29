/* Due times, overruns, timeouts and backoff, driven by a fake clock. */
#include "unit.h"
#include "wmi_schedule.h"

#define S(x) TIME_T_TO_CDTIME_T_STATIC(x)
#define MS(x) ((cdtime_t)(x) * (S(1) / 1000))

static void test_grid_and_completion(void) {
  unit_case = "grid";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(10), S(10), S(1000));
  CHECK(wmi_schedule_poll(&s, S(1000)) == WMI_SCHEDULE_START,
        "first run at once");
  CHECK(wmi_schedule_next_event(&s) == S(1010), "next due on the grid");
  wmi_schedule_finished(&s);
  CHECK(wmi_schedule_poll(&s, S(1005)) == WMI_SCHEDULE_WAIT, "not due yet");
  /* A wake-up 300 ms late starts the run but keeps the grid. */
  CHECK(wmi_schedule_poll(&s, S(1010) + MS(300)) == WMI_SCHEDULE_START, "due");
  CHECK(s.next_due == S(1020), "grid kept after a late start");
  CHECK(s.slot == S(1010), "stamped with its slot, not the late start");
  wmi_schedule_finished(&s);
  /* A stall of 35 s skips the missed slots instead of bursting. */
  CHECK(wmi_schedule_poll(&s, S(1055)) == WMI_SCHEDULE_START, "after a stall");
  CHECK(s.next_due == S(1060), "missed slots skipped, got %.3f",
        CDTIME_T_TO_DOUBLE(s.next_due));
  CHECK(s.slot == S(1050), "the latest slot passed, got %.3f",
        CDTIME_T_TO_DOUBLE(s.slot));
  wmi_schedule_finished(&s);
  /* A 0.6 s late run followed by an on-time one: stamps one interval
   * apart, never the same second. */
  CHECK(wmi_schedule_poll(&s, S(1060) + MS(600)) == WMI_SCHEDULE_START, "late");
  cdtime_t late = s.slot;
  wmi_schedule_finished(&s);
  CHECK(wmi_schedule_poll(&s, S(1070)) == WMI_SCHEDULE_START, "on time");
  CHECK(s.slot - late == S(10), "stamps %.3f apart",
        CDTIME_T_TO_DOUBLE(s.slot - late));
  CHECK(s.runs == 5 && s.overruns == 0 && s.timeouts == 0, "counters");
}

static void test_overrun_and_timeout(void) {
  unit_case = "overrun";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(10), S(25), 0);
  CHECK(wmi_schedule_poll(&s, 0) == WMI_SCHEDULE_START, "start");
  CHECK(wmi_schedule_poll(&s, S(10)) == WMI_SCHEDULE_WAIT,
        "no second run while the first is in flight");
  CHECK(s.overruns == 1, "overrun counted: %llu",
        (unsigned long long)s.overruns);
  CHECK(wmi_schedule_poll(&s, S(20)) == WMI_SCHEDULE_WAIT, "still in flight");
  CHECK(s.overruns == 2, "second overrun");
  CHECK(wmi_schedule_next_event(&s) == S(25), "wake for the timeout");
  CHECK(wmi_schedule_poll(&s, S(25)) == WMI_SCHEDULE_TIMEOUT, "timed out");
  CHECK(s.timeouts == 1, "timeout counted");
  wmi_schedule_finished(&s);
  CHECK(wmi_schedule_poll(&s, S(30)) == WMI_SCHEDULE_START, "runs again");
}

static void test_backoff(void) {
  unit_case = "backoff";
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(10), S(10), 0);
  cdtime_t waits[8];
  cdtime_t now = 0;
  for (int i = 0; i < 8; i++) {
    /* Poll until the job wants to run again, then fail its connection. */
    while (wmi_schedule_poll(&s, now) != WMI_SCHEDULE_START)
      now = wmi_schedule_next_event(&s);
    wmi_schedule_connect_failed(&s, now);
    waits[i] = s.backoff;
  }
  CHECK(waits[0] == S(10) && waits[1] == S(20) && waits[2] == S(40),
        "doubles from one interval");
  CHECK(waits[7] == WMI_BACKOFF_MAX, "capped at %.0f s",
        CDTIME_T_TO_DOUBLE(waits[7]));
  CHECK(wmi_schedule_poll(&s, now + S(10)) == WMI_SCHEDULE_WAIT,
        "no attempt during the backoff");
  wmi_schedule_connected(&s);
  now += WMI_BACKOFF_MAX;
  while (wmi_schedule_poll(&s, now) != WMI_SCHEDULE_START)
    now = wmi_schedule_next_event(&s);
  wmi_schedule_finished(&s);
  CHECK(wmi_schedule_poll(&s, now + S(10)) == WMI_SCHEDULE_START,
        "back to every interval after a connection");
}

int main(void) {
  test_grid_and_completion();
  test_overrun_and_timeout();
  test_backoff();
  return unit_summary("schedule");
}
