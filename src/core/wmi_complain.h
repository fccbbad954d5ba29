/* Report a repeating problem once, and its end once, per key: a value that
 * cannot be converted is seen on every run, the log should say it once.
 * One set per job: keys need only say what and where within the job (any
 * length; they are copied). Lookups are hashed, so a set with open
 * complaints costs little per call. Thread-safe. */
#ifndef WMI_COMPLAIN_H
#define WMI_COMPLAIN_H

#include "wmi_log.h"

#include <stdbool.h>
#include <stddef.h>

/* Open complaints a set remembers. Hostile data (a new bad instance every
 * run) must not grow memory without bound: past this many, new complaints
 * are neither remembered nor logged, and one warning says so. */
#define WMI_COMPLAINTS_MAX 1024

typedef struct wmi_complaints_s wmi_complaints_t;

/* An empty set. `label` (copied; NULL for none) names its owner in the
 * overflow warning, e.g. `Host "h", Query "q"`. NULL when out of memory. */
wmi_complaints_t *wmi_complaints_new(const char *label);
void wmi_complaints_free(wmi_complaints_t *set);

/* Logs the message at `level` unless `key` is already being complained
 * about, and remembers the key. Returns true when it logged. */
bool wmi_complain(wmi_complaints_t *set, int level, const char *key,
                  const char *format, ...)
    __attribute__((format(WMI_PRINTF, 4, 5)));

/* Ends the complaint about `key`: logs the message (LOG_NOTICE) only when
 * there was one. Takes no lock while nothing is complained about. */
bool wmi_complain_end(wmi_complaints_t *set, const char *key,
                      const char *format, ...)
    __attribute__((format(WMI_PRINTF, 3, 4)));

/* True while some key is being complained about; no lock taken. */
bool wmi_complaints_any(const wmi_complaints_t *set);

#endif
