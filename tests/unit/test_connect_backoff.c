/* The wait between connection attempts, driven by a fake monotonic
 * clock. */
#include "unit.h"
#include "wmi_connect_backoff.h"

#define S(x) TIME_T_TO_CDTIME_T_STATIC(x)
#define MS(x) MS_TO_CDTIME_T(x)

static void test_backoff(void) {
  unit_case = "backoff";
  wmi_backoff_t b = {0};
  CHECK(wmi_backoff_may_try(&b, 0), "first attempt at once");
  static const double waits[] = {10, 20, 40, 80, 160, 300, 300};
  cdtime_t now = S(100);
  for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
    wmi_backoff_failed(&b, S(10), now);
    CHECK(b.wait == MS(waits[i] * 1000), "wait %zu: %.0f s", i,
          CDTIME_T_TO_DOUBLE(b.wait));
    CHECK(!wmi_backoff_may_try(&b, now + b.wait - 1), "not before the wait");
    now += b.wait;
    CHECK(wmi_backoff_may_try(&b, now), "after the wait");
  }
  wmi_backoff_succeeded(&b);
  wmi_backoff_failed(&b, S(10), now);
  CHECK(b.wait == S(10), "starts over after a success");
  wmi_backoff_t slow = {0};
  wmi_backoff_failed(&slow, S(600), 0);
  wmi_backoff_failed(&slow, S(600), S(600));
  CHECK(slow.wait == S(600), "an interval longer than the cap is the cap");
}

int main(void) {
  test_backoff();
  return unit_summary("connect_backoff");
}
