/* How long a host waits between attempts to connect to a namespace after
 * one failed: portable, driven by the caller's monotonic time, so tests
 * run it on a fake clock. The COM side of connecting is in
 * src/win/wmi_connect_*.c (wmi_connect_host.h says the order of events).
 * Not thread-safe: one pool's, used by its host thread alone. */
#ifndef WMI_CONNECT_BACKOFF_H
#define WMI_CONNECT_BACKOFF_H

#include "plugin.h"

#include <stdbool.h>

/* Waits between connection attempts: one interval after the first failure,
 * doubling, at most WMI_BACKOFF_MAX (or the interval, if longer). */
#define WMI_BACKOFF_MAX TIME_T_TO_CDTIME_T_STATIC(300)

typedef struct {     /* zeroed: no failure yet */
  cdtime_t wait;     /* current wait, 0 while connecting works */
  cdtime_t retry_at; /* no attempt before this */
} wmi_backoff_t;

/* True when an attempt may be made at `now`. */
bool wmi_backoff_may_try(const wmi_backoff_t *b, cdtime_t now);
/* An attempt of a host with this `interval` failed; `now` is when it
 * ended. */
void wmi_backoff_failed(wmi_backoff_t *b, cdtime_t interval, cdtime_t now);
/* An attempt worked: the next failure waits one interval again. */
void wmi_backoff_succeeded(wmi_backoff_t *b);

#endif
