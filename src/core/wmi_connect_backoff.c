#include "wmi_connect_backoff.h"

bool wmi_backoff_may_try(const wmi_backoff_t *b, cdtime_t now) {
  return b->wait == 0 || now >= b->retry_at;
}

void wmi_backoff_failed(wmi_backoff_t *b, cdtime_t interval, cdtime_t now) {
  cdtime_t max = interval > WMI_BACKOFF_MAX ? interval : WMI_BACKOFF_MAX;
  b->wait = b->wait == 0 ? interval : 2 * b->wait;
  if (b->wait > max)
    b->wait = max;
  b->retry_at = now + b->wait;
}

void wmi_backoff_succeeded(wmi_backoff_t *b) {
  b->wait = 0;
  b->retry_at = 0;
}
