/* A reference-counted event with a counter, shared by threads whose
 * lifetimes are not ordered: a sink on WMI's thread may signal after the
 * thread waiting for it has given up and gone. Whoever drops the last
 * reference frees it, so a late signal never touches freed memory. */
#ifndef WMI_SIGNAL_H
#define WMI_SIGNAL_H

#include <stdbool.h>
#include <windows.h>

typedef struct {
  volatile LONG refs;
  volatile LONG count; /* what the signal counts: live sinks, say */
  HANDLE event;        /* auto-reset */
} wmi_signal_t;

/* One reference, the caller's; NULL when out of handles or memory. */
wmi_signal_t *wmi_signal_new(void);
void wmi_signal_ref(wmi_signal_t *s);
void wmi_signal_unref(wmi_signal_t *s);

void wmi_signal_raise(wmi_signal_t *s);

/* Waits until s->count is 0 or `deadline_ms` (GetTickCount64) passed.
 * Returns whether the count reached 0. */
bool wmi_signal_wait_zero(wmi_signal_t *s, ULONGLONG deadline_ms);

#endif
