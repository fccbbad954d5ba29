#include "wmi_schedule.h"

void wmi_schedule_init(wmi_schedule_t *s, cdtime_t interval, cdtime_t timeout,
                       cdtime_t now) {
  *s = (wmi_schedule_t){
      .interval = interval, .timeout = timeout, .next_due = now};
}

/* The latest point of the grid next_due + k * interval at or before now
 * (now >= next_due). */
static cdtime_t current_slot(const wmi_schedule_t *s, cdtime_t now) {
  return s->next_due + (now - s->next_due) / s->interval * s->interval;
}

/* Keeps due times on the grid, skipping the slots that have passed, so a
 * late run does not shift every later one. */
static void advance(wmi_schedule_t *s, cdtime_t now) {
  if (s->next_due <= now)
    s->next_due = current_slot(s, now) + s->interval;
}

wmi_schedule_action_t wmi_schedule_poll(wmi_schedule_t *s, cdtime_t now) {
  if (s->in_flight && now - s->started >= s->timeout) {
    s->timeouts++;
    return WMI_SCHEDULE_TIMEOUT;
  }
  if (now < s->next_due)
    return WMI_SCHEDULE_WAIT;
  if (s->in_flight) {
    s->overruns++;
    advance(s, now);
    return WMI_SCHEDULE_WAIT;
  }
  if (now < s->retry_at) {
    advance(s, now);
    return WMI_SCHEDULE_WAIT;
  }
  s->slot = current_slot(s, now);
  advance(s, now);
  s->in_flight = true;
  s->started = now;
  s->runs++;
  return WMI_SCHEDULE_START;
}

void wmi_schedule_finished(wmi_schedule_t *s) { s->in_flight = false; }

void wmi_schedule_connect_failed(wmi_schedule_t *s, cdtime_t now) {
  cdtime_t max = s->interval > WMI_BACKOFF_MAX ? s->interval : WMI_BACKOFF_MAX;
  s->backoff = s->backoff == 0 ? s->interval : 2 * s->backoff;
  if (s->backoff > max)
    s->backoff = max;
  s->retry_at = now + s->backoff;
  s->in_flight = false;
}

void wmi_schedule_connected(wmi_schedule_t *s) {
  s->backoff = 0;
  s->retry_at = 0;
}

cdtime_t wmi_schedule_next_event(const wmi_schedule_t *s) {
  cdtime_t next = s->next_due;
  if (s->in_flight && s->started + s->timeout < next)
    next = s->started + s->timeout;
  return next;
}
