/* When each job runs, on the monotonic clock: slots on a fixed grid offset
 * by a stable hash of (host, query), runs handed to the host, timeouts
 * from the moment the call was really issued, and every slot without a run
 * counted. Pure logic: the caller passes the time in, so tests drive it
 * with a fake clock. Not thread-safe: the caller serialises access (the
 * backend holds its host's lock). */
#ifndef WMI_SCHEDULE_H
#define WMI_SCHEDULE_H

#include "plugin.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
  WMI_RUN_IDLE,    /* nothing queued or in flight */
  WMI_RUN_QUEUED,  /* handed to the host, not started yet */
  WMI_RUN_RUNNING, /* the call was issued */
} wmi_run_state_t;

typedef struct {
  cdtime_t interval, timeout;
  cdtime_t next_due; /* the next slot, monotonic */
  cdtime_t slot;     /* the slot of the run queued or in flight */
  cdtime_t started;  /* when the run in flight was issued */
  wmi_run_state_t state;
  bool cancel_requested; /* its timeout passed: the host must cancel it */
  uint64_t runs, missed, timeouts;
} wmi_schedule_t;

typedef enum {
  WMI_SCHEDULE_WAIT,    /* nothing to do now */
  WMI_SCHEDULE_START,   /* hand a run for `slot` to the host (now QUEUED) */
  WMI_SCHEDULE_RESLOT,  /* the queued run now stands for a later `slot` */
  WMI_SCHEDULE_TIMEOUT, /* the run in flight is past its timeout: cancel */
} wmi_schedule_action_t;

/* The offset of a job's grid inside its interval: a stable hash of the
 * host's and the query's names, so jobs do not all fire at once and a
 * restart keeps each job's phase. */
cdtime_t wmi_schedule_offset(const char *host, const char *query,
                             cdtime_t interval);

/* Where the job's grid sits on the monotonic clock: the offset at which
 * its stamps (monotonic + `wall_minus_monotonic`, see wmi_stamp.h) land on
 * wmi_schedule_offset(host, query) in each interval of the wall clock, so
 * a restart keeps the job's phase on the wall clock too. */
cdtime_t wmi_schedule_grid_offset(const char *host, const char *query,
                                  cdtime_t interval,
                                  int64_t wall_minus_monotonic);

/* The first slot is the first grid point (offset + k * interval) after
 * `now`. */
void wmi_schedule_init(wmi_schedule_t *s, cdtime_t interval, cdtime_t timeout,
                       cdtime_t offset, cdtime_t now);

/* What the job needs at `now`. A slot that passes while a run is in
 * flight, or while nobody polled, is counted in `missed`. A run still
 * queued when the next slot comes is moved to that slot (RESLOT), its old
 * slot counted as missed: a run is always for the latest slot. */
wmi_schedule_action_t wmi_schedule_poll(wmi_schedule_t *s, cdtime_t now);

/* The host takes the queued run at `now`. Returns false when its slot is
 * already over and no poll moved it on: the run is dropped and counted as
 * missed, the job is idle again. */
bool wmi_schedule_begin(wmi_schedule_t *s, cdtime_t now);

/* The queued run cannot start (no connection): the job is idle again. The
 * caller counts the failure; it is not a missed slot. */
void wmi_schedule_abandon(wmi_schedule_t *s);

/* The run in flight ended: completed, failed or cancelled. */
void wmi_schedule_end(wmi_schedule_t *s);

/* The host cancelled the run in flight past its timeout (counted here,
 * not when the cancel was asked for: a run may complete meanwhile). */
void wmi_schedule_timed_out(wmi_schedule_t *s);

/* Moves the next slot forward to `due` when that is earlier (once: the
 * slots after it follow on the grid from there). The dry run's second run
 * of a cooking query, a moment after its first, not an Interval. */
void wmi_schedule_bring_forward(wmi_schedule_t *s, cdtime_t due);

/* The earliest time after `now` at which wmi_schedule_poll may answer
 * other than WAIT, whatever the host does meanwhile (a queued run that
 * begins times out at slot + timeout at the earliest; one still queued
 * after that is the caller's periodic look to catch). */
cdtime_t wmi_schedule_next_event(const wmi_schedule_t *s, cdtime_t now);

#endif
