#include "wmi_connect_pool.h"

#include "wmi_clock.h"
#include "wmi_connect_backoff.h"
#include "wmi_hresult.h"
#include "wmi_log.h"

#include <stdlib.h>

typedef struct {
  wmi_connection_t *conn;
  bool busy;
} slot_t;

struct wmi_pool_s {
  const wmi_host_t *host;
  const char *wmi_namespace;
  wmi_pool_env_t env;
  wmi_backoff_t backoff;
  bool failing; /* the failure was logged */
  HRESULT last_error;
  size_t max, num;
  slot_t slots[]; /* max of them */
};

wmi_pool_t *wmi_pool_new(const wmi_host_t *host, const char *wmi_namespace,
                         size_t max, const wmi_pool_env_t *env) {
  wmi_pool_t *pool = calloc(1, sizeof(*pool) + max * sizeof(slot_t));
  if (pool == NULL)
    return NULL;
  pool->host = host;
  pool->wmi_namespace = wmi_namespace;
  pool->env = *env;
  pool->max = max;
  return pool;
}

void wmi_pool_free(wmi_pool_t *pool) {
  if (pool == NULL)
    return;
  *pool->env.current_call = "Release";
  for (size_t i = 0; i < pool->num; i++)
    wmi_connection_close(pool->slots[i].conn);
  *pool->env.current_call = NULL;
  free(pool);
}

const char *wmi_pool_namespace(const wmi_pool_t *pool) {
  return pool->wmi_namespace;
}

static HRESULT connect_one(wmi_pool_t *pool, wmi_connection_t **out) {
  *pool->env.current_call = "ConnectServer";
  HRESULT hr = wmi_connection_open(pool->env.locator, pool->host,
                                   pool->wmi_namespace, out);
  *pool->env.current_call = NULL;
  if (SUCCEEDED(hr) && pool->env.services_hook != NULL) {
    IWbemServices *real = wmi_connection_services(*out);
    IWbemServices_AddRef(real);
    wmi_connection_set_services(
        *out, pool->env.services_hook(pool->env.hook_ctx, pool->host,
                                      pool->wmi_namespace, real));
  }
  return hr;
}

wmi_pool_result_t wmi_pool_acquire(wmi_pool_t *pool, cdtime_t now,
                                   wmi_connection_t **conn, HRESULT *hr) {
  *conn = NULL;
  *hr = pool->last_error;
  for (size_t i = 0; i < pool->num; i++) {
    if (!pool->slots[i].busy) {
      pool->slots[i].busy = true;
      *conn = pool->slots[i].conn;
      return WMI_POOL_OK;
    }
  }
  if (pool->num == pool->max)
    return WMI_POOL_BUSY;
  if (!wmi_backoff_may_try(&pool->backoff, now))
    return pool->num > 0 ? WMI_POOL_BUSY : WMI_POOL_BACKOFF;
  *hr = connect_one(pool, conn);
  if (FAILED(*hr)) {
    char why[256];
    if (!pool->failing)
      wmi_log(LOG_ERR,
              "Host \"%s\": connecting to namespace \"%s\" failed: %s; "
              "retrying with backoff",
              pool->host->name, pool->wmi_namespace,
              wmi_hresult_describe((uint32_t)*hr, why, sizeof(why)));
    pool->failing = true;
    pool->last_error = *hr;
    /* From when the attempt ended: a connect may take minutes to fail. */
    wmi_backoff_failed(&pool->backoff, pool->env.interval,
                       wmi_clock_monotonic());
    return pool->num > 0 ? WMI_POOL_BUSY : WMI_POOL_FAILED;
  }
  if (pool->failing)
    wmi_log(LOG_NOTICE, "Host \"%s\": connected to namespace \"%s\" again",
            pool->host->name, pool->wmi_namespace);
  pool->failing = false;
  pool->last_error = S_OK;
  wmi_backoff_succeeded(&pool->backoff);
  pool->slots[pool->num++] = (slot_t){.conn = *conn, .busy = true};
  return WMI_POOL_OK;
}

void wmi_pool_release(wmi_pool_t *pool, wmi_connection_t *conn, bool broken) {
  for (size_t i = 0; i < pool->num; i++) {
    if (pool->slots[i].conn != conn)
      continue;
    if (!broken) {
      pool->slots[i].busy = false;
      return;
    }
    pool->slots[i] = pool->slots[--pool->num];
    *pool->env.current_call = "Release";
    wmi_connection_close(conn);
    *pool->env.current_call = NULL;
    return;
  }
}
