/* Notifications of jobs' transitions (FAILURE, then OKAY on recovery),
 * queued by host threads and dispatched by the read callback. */
#ifndef WMI_NOTIFY_H
#define WMI_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The backend's health hook: ctx is the wmi_config_t. Queues a FAILURE
 * notification when a job starts failing and an OKAY one when it
 * recovers, between wmi_notify_open and wmi_notify_close (which drops
 * and frees what is still queued); the read callback dispatches them
 * with wmi_notify_flush. The queue owns what it holds. open and close are
 * for collectd's init and shutdown callbacks, the hook for host threads,
 * flush for the read callback; the queue has its own lock. */
void wmi_notify_open(void);
void wmi_notify_close(void);
void wmi_notify_health(void *ctx, size_t job, bool failing, uint32_t hr,
                       const char *what);
void wmi_notify_flush(void);

#endif
