#include "wmi_clock.h"

#include <windows.h>

/* `ticks` at `per_second` to 2^-30 s, without overflow. */
static cdtime_t to_cdtime(uint64_t ticks, uint64_t per_second) {
  uint64_t seconds = ticks / per_second, rest = ticks % per_second;
  return (seconds << 30) + (rest << 30) / per_second;
}

cdtime_t wmi_clock_wall(void) {
  FILETIME ft;
  GetSystemTimePreciseAsFileTime(&ft);
  uint64_t t100ns = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
  return to_cdtime(t100ns - 116444736000000000ULL /* 1601 -> 1970 */,
                   10000000ULL);
}

cdtime_t wmi_clock_monotonic(void) {
  static LARGE_INTEGER frequency; /* fixed at boot; a race writes the same */
  if (frequency.QuadPart == 0)
    QueryPerformanceFrequency(&frequency);
  LARGE_INTEGER now;
  QueryPerformanceCounter(&now);
  return to_cdtime((uint64_t)now.QuadPart, (uint64_t)frequency.QuadPart);
}

void wmi_clock_pair(cdtime_t *wall, cdtime_t *mono) {
  cdtime_t best_spread = 0;
  for (int attempt = 0; attempt < 8; attempt++) {
    cdtime_t before = wmi_clock_monotonic();
    cdtime_t w = wmi_clock_wall();
    cdtime_t after = wmi_clock_monotonic();
    cdtime_t spread = after - before;
    if (attempt == 0 || spread < best_spread) {
      best_spread = spread;
      *wall = w;
      *mono = before + spread / 2;
    }
    if (spread <= WMI_CLOCK_PAIR_SPREAD)
      return;
  }
}
