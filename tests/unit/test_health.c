/* Failures and recoveries logged once each; flapping damped. */
#include "unit.h"
#include "wmi_health.h"

#define S(x) TIME_T_TO_CDTIME_T_STATIC(x)

/* Feeds a run outcome per step ('F' failed, 'o' succeeded), one per
 * `step` seconds, and returns how many lines would be logged. */
static int logged_lines(const char *outcomes, double step,
                        uint64_t *last_unreported) {
  wmi_health_t h = {0};
  int lines = 0;
  cdtime_t now = S(1000);
  for (const char *c = outcomes; *c; c++, now += DOUBLE_TO_CDTIME_T(step)) {
    uint64_t unreported = 0;
    if (*c == 'F' && wmi_health_failed(&h, now, &unreported)) {
      lines++;
      *last_unreported = unreported;
    } else if (*c == 'o' && wmi_health_succeeded(&h)) {
      lines++;
    }
  }
  return lines;
}

int main(void) {
  static const struct {
    const char *what, *outcomes;
    double step; /* seconds between runs */
    int lines;
    uint64_t unreported; /* in the last failure logged */
  } cases[] = {
      {"healthy", "oooooo", 1, 0, 0},
      {"one failure, then recovery", "oFFFFoo", 1, 2, 0},
      {"a lasting failure is logged once", "FFFFFFFFFF", 1, 1, 0},
      /* 60 flaps a second for 1 s: the first failure and its recovery. */
      {"flapping fast", "FoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFoFo", 0.016,
       2, 0},
      /* Flapping every 100 s: logged when the 300 s hold has passed, with
       * the count of failures that were not. */
      {"flapping slowly", "FoFoFoFoFoFoFoFo", 50, 6, 2},
      /* A failure that began within the hold and lasts past it. */
      {"suppressed failure that lasts", "FoFFFFFFFFFF", 60, 3, 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    unit_case = cases[i].what;
    uint64_t unreported = 0;
    int lines = logged_lines(cases[i].outcomes, cases[i].step, &unreported);
    CHECK(lines == cases[i].lines, "%d lines logged, want %d", lines,
          cases[i].lines);
    CHECK(unreported == cases[i].unreported, "%llu unreported, want %llu",
          (unsigned long long)unreported,
          (unsigned long long)cases[i].unreported);
  }
  return unit_summary("health");
}
