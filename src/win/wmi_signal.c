#include "wmi_signal.h"

#include <stdlib.h>

struct wmi_signal_s {
  volatile LONG refs;
  volatile LONG count; /* what the signal counts: live sinks, say */
  HANDLE event;        /* auto-reset */
};

wmi_signal_t *wmi_signal_new(void) {
  wmi_signal_t *s = calloc(1, sizeof(*s));
  if (s == NULL)
    return NULL;
  s->event = CreateEventW(NULL, FALSE, FALSE, NULL);
  if (s->event == NULL) {
    free(s);
    return NULL;
  }
  s->refs = 1;
  return s;
}

void wmi_signal_ref(wmi_signal_t *s) { InterlockedIncrement(&s->refs); }

void wmi_signal_unref(wmi_signal_t *s) {
  if (s == NULL || InterlockedDecrement(&s->refs) != 0)
    return;
  CloseHandle(s->event);
  free(s);
}

void wmi_signal_raise(wmi_signal_t *s) { SetEvent(s->event); }

void wmi_signal_wait(wmi_signal_t *s, DWORD ms) {
  WaitForSingleObject(s->event, ms);
}

void wmi_signal_count_up(wmi_signal_t *s) { InterlockedIncrement(&s->count); }

void wmi_signal_count_down(wmi_signal_t *s) {
  InterlockedDecrement(&s->count);
  wmi_signal_raise(s);
}

long wmi_signal_count(wmi_signal_t *s) {
  return (long)InterlockedCompareExchange(&s->count, 0, 0);
}

bool wmi_signal_wait_zero(wmi_signal_t *s, ULONGLONG deadline_ms) {
  /* The event is a hint that the count changed; the count is the truth. */
  while (wmi_signal_count(s) != 0) {
    ULONGLONG now = GetTickCount64();
    if (now >= deadline_ms)
      return false;
    WaitForSingleObject(s->event, (DWORD)(deadline_ms - now));
  }
  return true;
}
