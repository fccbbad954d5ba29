/* The two clocks in collectd's time unit: the wall clock stamps values,
 * the monotonic one drives schedules (it never steps). */
#ifndef WMI_CLOCK_H
#define WMI_CLOCK_H

#include "plugin.h"

cdtime_t wmi_clock_wall(void);
cdtime_t wmi_clock_monotonic(void);

#endif
