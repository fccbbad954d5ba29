#include "wmi_signal.h"

#include <stdlib.h>

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

bool wmi_signal_wait_zero(wmi_signal_t *s, ULONGLONG deadline_ms) {
  /* The event is a hint that the count changed; the count is the truth. */
  while (InterlockedCompareExchange(&s->count, 0, 0) != 0) {
    ULONGLONG now = GetTickCount64();
    if (now >= deadline_ms)
      return false;
    WaitForSingleObject(s->event, (DWORD)(deadline_ms - now));
  }
  return true;
}
