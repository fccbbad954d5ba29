#include "wmi_schedule.h"

#include "wmi_hash.h"

#include <ctype.h>

/* FNV-1a over the lower-cased names: stable across restarts and builds. */
static uint64_t hash_names(const char *host, const char *query) {
  uint64_t h = WMI_FNV_OFFSET;
  for (const char *p = host; *p; p++)
    h = wmi_fnv_byte(h, (unsigned char)tolower((unsigned char)*p));
  h = wmi_fnv_byte(h, 0xFF); /* separator: "ab"+"c" != "a"+"bc" */
  for (const char *p = query; *p; p++)
    h = wmi_fnv_byte(h, (unsigned char)tolower((unsigned char)*p));
  /* FNV's low bits are weak for names that differ in their last
   * characters; a final mix spreads them before the modulo. */
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

cdtime_t wmi_schedule_offset(const char *host, const char *query,
                             cdtime_t interval) {
  return interval ? hash_names(host, query) % interval : 0;
}

cdtime_t wmi_schedule_grid_offset(const char *host, const char *query,
                                  cdtime_t interval,
                                  int64_t wall_minus_monotonic) {
  if (interval == 0)
    return 0;
  cdtime_t offset = wmi_schedule_offset(host, query, interval);
  /* The grid is monotonic; shifted by wall - monotonic, stamps land on
   * `offset` in the wall clock's intervals, the same after a restart. */
  int64_t shift = wall_minus_monotonic % (int64_t)interval;
  if (shift < 0)
    shift += (int64_t)interval;
  return (offset + interval - (cdtime_t)shift) % interval;
}

void wmi_schedule_init(wmi_schedule_t *s, cdtime_t interval, cdtime_t timeout,
                       cdtime_t offset, cdtime_t now) {
  *s = (wmi_schedule_t){.interval = interval, .timeout = timeout};
  offset %= interval;
  /* The first grid point offset + k * interval after now. */
  cdtime_t k = now >= offset ? (now - offset) / interval + 1 : 0;
  s->next_due = offset + k * interval;
}

wmi_schedule_action_t wmi_schedule_poll(wmi_schedule_t *s, cdtime_t now) {
  if (s->state == WMI_RUN_RUNNING && !s->cancel_requested &&
      now >= s->started && now - s->started >= s->timeout) {
    s->cancel_requested = true;
    return WMI_SCHEDULE_TIMEOUT;
  }
  if (now < s->next_due)
    return WMI_SCHEDULE_WAIT;
  /* Slots that passed unpolled beyond next_due; the run is for the last. */
  cdtime_t passed = (now - s->next_due) / s->interval;
  cdtime_t latest = s->next_due + passed * s->interval;
  s->next_due = latest + s->interval;
  if (s->state == WMI_RUN_QUEUED) {
    s->missed += passed + 1; /* the old slot and those between */
    s->slot = latest;
    return WMI_SCHEDULE_RESLOT;
  }
  if (s->state == WMI_RUN_RUNNING) {
    s->missed += passed + 1;
    return WMI_SCHEDULE_WAIT;
  }
  s->missed += passed;
  s->slot = latest;
  s->state = WMI_RUN_QUEUED;
  s->runs++;
  return WMI_SCHEDULE_START;
}

bool wmi_schedule_begin(wmi_schedule_t *s, cdtime_t now) {
  if (s->state != WMI_RUN_QUEUED)
    return false;
  if (now >= s->slot + s->interval) {
    s->missed++;
    s->state = WMI_RUN_IDLE;
    return false;
  }
  s->state = WMI_RUN_RUNNING;
  s->started = now;
  s->cancel_requested = false;
  return true;
}

void wmi_schedule_abandon(wmi_schedule_t *s) { s->state = WMI_RUN_IDLE; }

void wmi_schedule_end(wmi_schedule_t *s) {
  s->state = WMI_RUN_IDLE;
  s->cancel_requested = false;
}

void wmi_schedule_bring_forward(wmi_schedule_t *s, cdtime_t due) {
  if (due < s->next_due)
    s->next_due = due;
}

void wmi_schedule_timed_out(wmi_schedule_t *s) { s->timeouts++; }

cdtime_t wmi_schedule_next_event(const wmi_schedule_t *s, cdtime_t now) {
  cdtime_t next = s->next_due;
  /* A queued run may begin at any moment; its timeout cannot end before
   * slot + timeout, so that is when to look again (once that has passed,
   * the caller's periodic look catches a run that begins later). */
  cdtime_t deadline = next;
  if (s->state == WMI_RUN_QUEUED && s->slot + s->timeout > now)
    deadline = s->slot + s->timeout;
  else if (s->state == WMI_RUN_RUNNING && !s->cancel_requested)
    deadline = s->started + s->timeout;
  return deadline < next ? deadline : next;
}
