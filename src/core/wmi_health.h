/* When a job's failures and recoveries are logged: every first failure and
 * its recovery, but a job that flaps (fails, recovers, fails again within
 * WMI_HEALTH_HOLD of its last report) is not logged on every transition:
 * the flaps are counted and the next report says how many there were. A
 * failure that lasts past the hold is reported then. Not thread-safe: the
 * job's host thread alone uses it. */
#ifndef WMI_HEALTH_H
#define WMI_HEALTH_H

#include "plugin.h"

#include <stdbool.h>
#include <stdint.h>

#define WMI_HEALTH_HOLD TIME_T_TO_CDTIME_T_STATIC(300)

typedef struct {
  bool failing;       /* the last run failed */
  bool reported;      /* ... and that failure was logged */
  bool ever_reported; /* last_report is valid */
  cdtime_t last_report;
  uint64_t unreported; /* failures not logged since the last report */
} wmi_health_t;

/* A run failed at `now`. Returns true when the failure is to be logged;
 * then *unreported says how many failures were not logged before it. */
bool wmi_health_failed(wmi_health_t *h, cdtime_t now, uint64_t *unreported);

/* A run succeeded. Returns true when the recovery is to be logged: only
 * when its failure was. */
bool wmi_health_succeeded(wmi_health_t *h);

#endif
