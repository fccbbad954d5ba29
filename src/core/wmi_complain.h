/* Report a repeating problem once, and its end once, per key: a value that
 * cannot be converted is seen on every run, the log should say it once.
 * Thread-safe: sinks on WMI's threads share one set. */
#ifndef WMI_COMPLAIN_H
#define WMI_COMPLAIN_H

#include "wmi_log.h"

#include <stdbool.h>

typedef struct wmi_complaints_s wmi_complaints_t;

wmi_complaints_t *wmi_complaints_new(void);
void wmi_complaints_free(wmi_complaints_t *set);

/* Logs the message at `level` unless `key` is already being complained
 * about. Returns true when it logged. */
bool wmi_complain(wmi_complaints_t *set, int level, const char *key,
                  const char *format, ...)
    __attribute__((format(WMI_PRINTF, 4, 5)));

/* Ends the complaint about `key`: logs the message (LOG_NOTICE) only when
 * there was one. Cheap when nothing is being complained about. */
bool wmi_complain_end(wmi_complaints_t *set, const char *key,
                      const char *format, ...)
    __attribute__((format(WMI_PRINTF, 3, 4)));

/* True while some key is being complained about; no lock taken. */
bool wmi_complaints_any(const wmi_complaints_t *set);

#endif
