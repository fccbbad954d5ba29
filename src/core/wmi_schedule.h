/* When each job runs: due times on a fixed grid, overruns, timeouts and
 * reconnect backoff. Pure logic: the caller passes the time in, so tests
 * drive it with a fake clock. Not thread-safe: the worker alone uses it. */
#ifndef WMI_SCHEDULE_H
#define WMI_SCHEDULE_H

#include "plugin.h"

#include <stdbool.h>
#include <stdint.h>

/* Longest wait between two connection attempts. */
#define WMI_BACKOFF_MAX TIME_T_TO_CDTIME_T_STATIC(300)

typedef struct {
  cdtime_t interval, timeout;
  cdtime_t next_due;
  cdtime_t started; /* of the run in flight: when it really started */
  /* The grid point the run in flight belongs to: its values are stamped
   * with it, so consecutive runs are exactly one interval apart however
   * late the worker woke up. */
  cdtime_t slot;
  bool in_flight;
  cdtime_t retry_at; /* no connection attempt before this */
  cdtime_t backoff;  /* current wait after a failed connection, 0 if none */
  uint64_t runs, overruns, timeouts;
} wmi_schedule_t;

typedef enum {
  WMI_SCHEDULE_WAIT,    /* nothing to do now */
  WMI_SCHEDULE_START,   /* start a run now; it is marked in flight */
  WMI_SCHEDULE_TIMEOUT, /* the run in flight is late: cancel it */
} wmi_schedule_action_t;

void wmi_schedule_init(wmi_schedule_t *s, cdtime_t interval, cdtime_t timeout,
                       cdtime_t now);

/* What the job needs at `now`. A due run whose previous one is still in
 * flight is skipped and counted as an overrun; a due run during connection
 * backoff is skipped silently. */
wmi_schedule_action_t wmi_schedule_poll(wmi_schedule_t *s, cdtime_t now);

/* The run in flight ended: completed, failed or cancelled. */
void wmi_schedule_finished(wmi_schedule_t *s);

/* The run could not start: the connection failed. Doubles the wait before
 * the next attempt, from one interval up to WMI_BACKOFF_MAX. */
void wmi_schedule_connect_failed(wmi_schedule_t *s, cdtime_t now);
void wmi_schedule_connected(wmi_schedule_t *s);

/* The earliest time at which wmi_schedule_poll may answer other than WAIT. */
cdtime_t wmi_schedule_next_event(const wmi_schedule_t *s);

#endif
