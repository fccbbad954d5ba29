/* Stamps: the wall-clock time a slot stands for. Schedules run on the
 * monotonic clock, so a step of the system clock neither cancels runs nor
 * stops collection; only the stamps follow the wall clock, never going
 * back, so collectd never sees a value older than the one before it. */
#ifndef WMI_STAMP_H
#define WMI_STAMP_H

#include "plugin.h"

#include <stdbool.h>
#include <stdint.h>

/* A step of the wall clock this large is reported. */
#define WMI_STAMP_STEP TIME_T_TO_CDTIME_T_STATIC(1)
/* Stamps stay exactly one interval apart (slot + a fixed offset) until the
 * wall clock has drifted or stepped this far from them: reading the two
 * clocks is noisy by microseconds, slewing moves them by at most 500 ppm. */
#define WMI_STAMP_RESYNC MS_TO_CDTIME_T(10)
/* Re-aligning backward by less than this keeps stamps going forward, as
 * intervals are at least 0.1 s; a larger step back is not followed. */
#define WMI_STAMP_BACK_MAX MS_TO_CDTIME_T(50)

typedef struct {
  int64_t applied; /* wall - monotonic used for stamps, cdtime_t units */
  int64_t seen;    /* wall - monotonic at the last call */
} wmi_stamp_t;

void wmi_stamp_init(wmi_stamp_t *st, cdtime_t wall, cdtime_t mono);

/* The stamp of monotonic time `slot`, given the clocks now: slot plus an
 * offset fixed between re-alignments. The offset follows the wall clock
 * when they differ by WMI_STAMP_RESYNC or more: forward at once, back only
 * by less than WMI_STAMP_BACK_MAX; after a larger step back, stamps go on
 * from where they were (ahead of the wall clock by the step), so no series
 * repeats or goes back in time. *stepped (if not NULL) gets the size of a
 * step of WMI_STAMP_STEP or more since the previous call, else 0. */
cdtime_t wmi_stamp_of(wmi_stamp_t *st, cdtime_t slot, cdtime_t wall_now,
                      cdtime_t mono_now, int64_t *stepped);

#endif
