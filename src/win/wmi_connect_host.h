/* How a host connects, in the order it happens (the files of
 * src/win/wmi_connect_*.c, and the backoff in the portable core):
 *
 * 1. At start, once per process, wmi_probe (wmi_connect_probe.h) checks on
 *    a thread of its own that COM, the process-wide COM security
 *    (wmi_connection_init_security) and WMI's locator can be had, and
 *    holds the MTA so that the security stays in force.
 * 2. The host's thread joins the MTA: wmi_connect_host_begin.
 * 3. wmi_connect_host_ready makes the host's locator
 *    (wmi_connect_locator.h) and one pool per namespace of its queries
 *    (wmi_connect_pool.h). While that fails, the host's runs count as
 *    failed and it is tried again every 10 s, logged once and once more
 *    when it works.
 * 4. Each run takes a connection from its namespace's pool
 *    (wmi_pool_acquire): an idle one, or a new one (ConnectServer, proxy
 *    security: wmi_connect_server.h). After a failed connect the pool
 *    waits out a backoff (src/core/wmi_connect_backoff.h) before the next
 *    attempt, and logs the failure once per (host, namespace).
 * 5. The call's sink goes through the connection (wmi_connection_call_sink:
 *    wrapped for a remote host); when the run ends its connection goes back
 *    to the pool, or is closed when it broke (a disconnect).
 * 6. At stop, once the runs are cancelled: the pools and the locator are
 *    released (wmi_connect_host_close), and the thread leaves the MTA
 *    (wmi_connect_host_end).
 *
 * A host's connecting state is its thread's alone, from begin to end;
 * new and free run on the thread that makes and frees the host context. */
#ifndef WMI_CONNECT_HOST_H
#define WMI_CONNECT_HOST_H

#include "wmi_backend_hooks.h"
#include "wmi_connect_pool.h"

typedef struct {
  const wmi_host_t *host;
  wmi_locator_hook_fn locator_hook; /* NULL in production; with pool.hook_ctx */
  /* What each pool is made with; its locator is the host's, once made. */
  wmi_pool_env_t pool;
} wmi_connect_host_env_t;

typedef struct wmi_connect_host_s wmi_connect_host_t;

/* The connecting state of env->host for `jobs_num` jobs, each added with
 * wmi_connect_host_add_job before the thread starts. `env` is copied;
 * what it points to is borrowed and must outlive the state. NULL when out
 * of memory. Makes no COM call. */
wmi_connect_host_t *wmi_connect_host_new(const wmi_connect_host_env_t *env,
                                         size_t jobs_num);
/* The next job (its slot: how many were added before) queries
 * `wmi_namespace` (borrowed). Returns 0, or -1 past the `jobs_num` given
 * to new. */
int wmi_connect_host_add_job(wmi_connect_host_t *c, const char *wmi_namespace);
/* Frees what new allocated, after wmi_connect_host_close. */
void wmi_connect_host_free(wmi_connect_host_t *c);

/* The host thread joins the MTA (its first COM call). */
void wmi_connect_host_begin(wmi_connect_host_t *c);

/* True when the locator and pools are there, made now if they were not
 * (at most every 10 s after a failure). False: runs cannot start, and
 * wmi_connect_host_error says why. */
bool wmi_connect_host_ready(wmi_connect_host_t *c);
HRESULT wmi_connect_host_error(const wmi_connect_host_t *c);

/* The pool of the namespace of the job at `slot` (in the order added);
 * NULL unless ready. */
wmi_pool_t *wmi_connect_host_pool(const wmi_connect_host_t *c, size_t slot);

/* Closes every pool and releases the locator (each a possible network
 * round trip); the connections must all be back in their pools. */
void wmi_connect_host_close(wmi_connect_host_t *c);

/* The host thread leaves the MTA (its last COM call). */
void wmi_connect_host_end(wmi_connect_host_t *c);

#endif
