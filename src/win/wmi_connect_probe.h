/* Can this process use WMI at all? Asked once at start, on a thread of its
 * own (collectd's init thread may be in another apartment, or none), with
 * a bound: COM initialised in the MTA, process-wide COM security set, and
 * WMI's locator created. The MTA is then held until wmi_probe_release, so
 * that the security set here stays in force for the host threads. */
#ifndef WMI_CONNECT_PROBE_H
#define WMI_CONNECT_PROBE_H

#include "wmi_backend_options.h"

/* Returns 0 and a cookie that holds the MTA, or -1 after logging the step
 * that failed with WMI's error, or that COM did not answer within
 * `wait_ms`. A test's locator_hook (called with host NULL) may refuse. */
int wmi_probe(const wmi_backend_options_t *options, DWORD wait_ms,
              CO_MTA_USAGE_COOKIE *mta);

/* Lets go of the MTA the probe held (NULL: nothing). */
void wmi_probe_release(CO_MTA_USAGE_COOKIE mta);

#endif
