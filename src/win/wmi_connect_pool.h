/* A host's connections to one namespace: at most `max` of them, made on
 * demand, each used by one call at a time (Wine's WMI accepts one pending
 * asynchronous call per IWbemServices; Windows accepts more, but this
 * bounds what one host asks of WmiPrvSE too). A failed connect starts a
 * backoff and is logged once for the (host, namespace), and once more when
 * connecting works again. Used by its host's thread alone. */
#ifndef WMI_CONNECT_POOL_H
#define WMI_CONNECT_POOL_H

#include "wmi_backend_hooks.h"
#include "wmi_connect_server.h"

typedef struct {
  IWbemLocator *locator;
  wmi_services_hook_fn services_hook; /* NULL in production */
  void *hook_ctx;
  cdtime_t interval; /* the host's: the first backoff wait */
  /* Names the blocking call the thread is in, for a stuck-thread report. */
  const char *volatile *current_call;
} wmi_pool_env_t;

typedef struct wmi_pool_s wmi_pool_t;

/* NULL when out of memory. `host` and `wmi_namespace` are borrowed. */
wmi_pool_t *wmi_pool_new(const wmi_host_t *host, const char *wmi_namespace,
                         size_t max, const wmi_pool_env_t *env);
/* Closes every connection (each Release may be a network round trip). */
void wmi_pool_free(wmi_pool_t *pool);

const char *wmi_pool_namespace(const wmi_pool_t *pool);

typedef enum {
  WMI_POOL_OK,      /* *conn is an idle connection, now busy */
  WMI_POOL_BUSY,    /* every connection is busy: wait for one */
  WMI_POOL_BACKOFF, /* no connection, and no attempt before the backoff */
  WMI_POOL_FAILED,  /* connecting failed just now (logged once) */
} wmi_pool_result_t;

/* An idle connection, connecting a new one if none is idle and fewer than
 * `max` exist. *hr is the failure for BACKOFF and FAILED. `now` is
 * monotonic. */
wmi_pool_result_t wmi_pool_acquire(wmi_pool_t *pool, cdtime_t now,
                                   wmi_connection_t **conn, HRESULT *hr);

/* Gives a connection back; a broken one (disconnected) is closed. */
void wmi_pool_release(wmi_pool_t *pool, wmi_connection_t *conn, bool broken);

#endif
