/* A reference-counted event with a counter, shared by threads whose
 * lifetimes are not ordered: a sink on WMI's thread may signal after the
 * thread waiting for it has given up and gone. Whoever drops the last
 * reference frees it, so a late signal never touches freed memory. Every
 * function may be called from any thread holding a reference. */
#ifndef WMI_SIGNAL_H
#define WMI_SIGNAL_H

#include <stdbool.h>
#include <windows.h>

typedef struct wmi_signal_s wmi_signal_t;

/* A new signal holds one reference, the caller's (NULL when out of handles
 * or memory). */
wmi_signal_t *wmi_signal_new(void);
/* Waits until the signal is raised or `ms` passed. */
void wmi_signal_wait(wmi_signal_t *s, DWORD ms);
/* Wakes one waiter (the event is auto-reset). */
void wmi_signal_raise(wmi_signal_t *s);

/* Another holder (a sink, say) takes a reference of its own; whoever drops
 * the last frees the signal (unref of NULL: nothing). */
void wmi_signal_ref(wmi_signal_t *s);
void wmi_signal_unref(wmi_signal_t *s);

/* What the signal counts (live sinks, say): count_down also raises it, so
 * that wmi_signal_wait_zero sees the change. */
void wmi_signal_count_up(wmi_signal_t *s);
void wmi_signal_count_down(wmi_signal_t *s);
long wmi_signal_count(wmi_signal_t *s);

/* Waits until the count is 0 or `deadline_ms` (GetTickCount64) passed.
 * Returns whether the count reached 0. */
bool wmi_signal_wait_zero(wmi_signal_t *s, ULONGLONG deadline_ms);

#endif
