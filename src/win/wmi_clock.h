/* The two clocks in collectd's time unit: the wall clock stamps values,
 * the monotonic one drives schedules (it never steps). */
#ifndef WMI_CLOCK_H
#define WMI_CLOCK_H

#include "plugin.h"

cdtime_t wmi_clock_wall(void);
cdtime_t wmi_clock_monotonic(void);

/* Both clocks at (nearly) one instant: the wall clock read between two
 * monotonic readings no more than WMI_CLOCK_PAIR_SPREAD apart (retried a
 * few times, keeping the tightest), so a thread preempted between the
 * readings does not look like a step of the wall clock. *mono is the
 * midpoint of the two monotonic readings. */
#define WMI_CLOCK_PAIR_SPREAD US_TO_CDTIME_T(200)
void wmi_clock_pair(cdtime_t *wall, cdtime_t *mono);

#endif
