#include "wmi_health.h"

static bool hold_passed(const wmi_health_t *h, cdtime_t now) {
  return !h->ever_reported || now - h->last_report >= WMI_HEALTH_HOLD;
}

bool wmi_health_failed(wmi_health_t *h, cdtime_t now, uint64_t *unreported) {
  if (h->failing && h->reported)
    return false; /* the failure that was logged goes on */
  bool new_failure = !h->failing;
  h->failing = true;
  if (!hold_passed(h, now)) {
    if (new_failure)
      h->unreported++;
    return false;
  }
  /* A failure counted as unreported when it began is reported now. */
  if (!new_failure && h->unreported > 0)
    h->unreported--;
  *unreported = h->unreported;
  h->unreported = 0;
  h->reported = true;
  h->ever_reported = true;
  h->last_report = now;
  return true;
}

bool wmi_health_succeeded(wmi_health_t *h) {
  bool log_it = h->failing && h->reported;
  h->failing = false;
  h->reported = false;
  return log_it;
}
