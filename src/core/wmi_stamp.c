#include "wmi_stamp.h"

void wmi_stamp_init(wmi_stamp_t *st, cdtime_t wall, cdtime_t mono) {
  st->applied = st->seen = (int64_t)(wall - mono);
}

cdtime_t wmi_stamp_of(wmi_stamp_t *st, cdtime_t slot, cdtime_t wall_now,
                      cdtime_t mono_now, int64_t *stepped) {
  const int64_t step = (int64_t)WMI_STAMP_STEP;
  int64_t current = (int64_t)(wall_now - mono_now);
  int64_t jump = current - st->seen;
  st->seen = current;
  if (stepped != NULL)
    *stepped = (jump >= step || jump <= -step) ? jump : 0;
  int64_t drift = current - st->applied;
  if (drift >= (int64_t)WMI_STAMP_RESYNC ||
      (drift <= -(int64_t)WMI_STAMP_RESYNC &&
       drift > -(int64_t)WMI_STAMP_BACK_MAX))
    st->applied = current;
  return (cdtime_t)((int64_t)slot + st->applied);
}
