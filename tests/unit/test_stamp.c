/* Stamps follow the wall clock but never go back; steps of the wall clock
 * change nothing else (schedules run on the monotonic clock). */
#include "unit.h"
#include "wmi_schedule.h"
#include "wmi_stamp.h"

#include <math.h>
#include <stdlib.h>

#define S(x) TIME_T_TO_CDTIME_T_STATIC(x)
#define MS(x) MS_TO_CDTIME_T(x)

/* One job at a 1 s interval for 60 s of monotonic time, with the wall
 * clock stepped by `step` seconds at 30 s. */
static void run_with_step(const char *what, double step, double want_gap) {
  unit_case = what;
  const cdtime_t wall0 = S(1700000000), mono0 = S(5000);
  wmi_stamp_t st;
  wmi_stamp_init(&st, wall0, mono0);
  wmi_schedule_t s;
  wmi_schedule_init(&s, S(1), S(1), 0, mono0);
  cdtime_t last = 0;
  int runs = 0, stepped_seen = 0, back = 0, gaps = 0;
  for (int ms = 10; ms <= 60000; ms += 10) {
    cdtime_t t = MS(ms);
    cdtime_t mono = mono0 + t;
    int64_t wall = (int64_t)(wall0 + t);
    if (t >= S(30))
      wall += (int64_t)llround(step * (double)S(1));
    if (s.state == WMI_RUN_RUNNING)
      wmi_schedule_end(&s);
    if (wmi_schedule_poll(&s, mono) != WMI_SCHEDULE_START)
      continue;
    CHECK(wmi_schedule_begin(&s, mono), "begins");
    int64_t stepped = 0;
    cdtime_t stamp = wmi_stamp_of(&st, s.slot, (cdtime_t)wall, mono, &stepped);
    stepped_seen += stepped != 0;
    if (last != 0) {
      back += stamp <= last;
      gaps += stamp - last != S(1);
    }
    if (last != 0 && stamp - last != S(1))
      CHECK(llabs((int64_t)(stamp - last) - llround(want_gap * (double)S(1))) <=
                1,
            "gap %.3f s, want %.3f", CDTIME_T_TO_DOUBLE(stamp - last),
            want_gap);
    last = stamp;
    runs++;
  }
  CHECK(runs == 60, "every slot ran: %d", runs);
  CHECK(s.missed == 0 && s.timeouts == 0, "nothing missed or cancelled");
  CHECK(back == 0, "no stamp repeats or goes back");
  CHECK(gaps <= 1, "stamps one interval apart but at the step: %d", gaps);
  CHECK(stepped_seen == (step >= 1 || step <= -1 ? 1 : 0),
        "the step is reported once: %d", stepped_seen);
}

/* A wall clock slewed back by 500 ppm for an hour is followed: stamps
 * stay within 10 ms of it, keep going forward, and are exactly 0.1 s
 * apart but at the few re-alignments. */
static void slewing(void) {
  unit_case = "slewing";
  const cdtime_t wall0 = S(1700000000), mono0 = S(5000);
  wmi_stamp_t st;
  wmi_stamp_init(&st, wall0, mono0);
  cdtime_t last = 0;
  int back = 0, realigned = 0;
  int64_t worst = 0;
  for (int ms = 100; ms <= 3600 * 1000; ms += 100) {
    cdtime_t mono = mono0 + MS(ms);
    cdtime_t wall = wall0 + MS(ms) - MS(ms / 2000); /* -500 ppm */
    cdtime_t stamp = wmi_stamp_of(&st, mono, wall, mono, NULL);
    back += last != 0 && stamp <= last;
    realigned += last != 0 && stamp - last != MS(ms) - MS(ms - 100);
    int64_t off = llabs((int64_t)(stamp - wall));
    worst = off > worst ? off : worst;
    last = stamp;
  }
  CHECK(back == 0, "stamps go forward");
  CHECK(worst <= (int64_t)MS(10), "within %.3f ms of the wall clock",
        CDTIME_T_TO_DOUBLE((cdtime_t)worst) * 1000);
  /* 1.8 s of slewing in 10 ms steps: 180 re-alignments of 36,000. */
  CHECK(realigned >= 170 && realigned <= 190, "%d re-alignments", realigned);
}

int main(void) {
  run_with_step("no step", 0, 1);
  run_with_step("wall clock 1 h forward", 3600, 3601);
  run_with_step("wall clock 1 h back", -3600, 1);
  run_with_step("wall clock 0.2 s forward", 0.2, 1.2);
  run_with_step("wall clock 0.5 s back", -0.5, 1);
  run_with_step("wall clock 30 ms back", -0.03, 0.97);
  run_with_step("wall clock 5 ms forward (noise)", 0.005, 1);
  run_with_step("wall clock 0.9 s back", -0.9, 1);
  slewing();
  return unit_summary("stamp");
}
