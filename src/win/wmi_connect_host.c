#include "wmi_connect_host.h"

#include "wmi_connect_locator.h"
#include "wmi_hresult.h"
#include "wmi_log.h"

#include <stdlib.h>
#include <strings.h>

/* While WMI cannot be set up on the thread, it is tried again this often. */
#define RETRY_MS 10000

struct wmi_connect_host_s {
  wmi_connect_host_env_t env;
  size_t max_concurrent;
  const char **namespaces; /* per job, borrowed from the config */
  wmi_pool_t **job_pools;  /* per job: its namespace's pool */
  size_t jobs_num, jobs_cap;
  wmi_pool_t **pools; /* one per namespace */
  size_t pools_num;
  IWbemLocator *locator;
  /* COM on the thread, and WMI's setup on it. */
  bool com;           /* CoInitializeEx succeeded */
  HRESULT hr;         /* the last setup's outcome */
  ULONGLONG retry_at; /* GetTickCount64; 0: never failed */
};

wmi_connect_host_t *wmi_connect_host_new(const wmi_connect_host_env_t *env,
                                         size_t jobs_num) {
  wmi_connect_host_t *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return NULL;
  c->jobs_cap = jobs_num ? jobs_num : 1;
  c->namespaces = calloc(c->jobs_cap, sizeof(*c->namespaces));
  c->job_pools = calloc(c->jobs_cap, sizeof(*c->job_pools));
  c->pools = calloc(c->jobs_cap, sizeof(*c->pools));
  if (c->namespaces == NULL || c->job_pools == NULL || c->pools == NULL) {
    wmi_connect_host_free(c);
    return NULL;
  }
  c->env = *env;
  /* Finish always resolves MaxConcurrentQueries (its default included). */
  c->max_concurrent = (size_t)env->host->max_concurrent;
  return c;
}

int wmi_connect_host_add_job(wmi_connect_host_t *c, const char *wmi_namespace) {
  /* Pools are found by job slot: a job past the capacity would silently
   * take another's pool. */
  if (c->jobs_num >= c->jobs_cap)
    return -1;
  c->namespaces[c->jobs_num++] = wmi_namespace;
  return 0;
}

void wmi_connect_host_free(wmi_connect_host_t *c) {
  if (c == NULL)
    return;
  free(c->namespaces);
  free(c->job_pools);
  free(c->pools);
  free(c);
}

void wmi_connect_host_begin(wmi_connect_host_t *c) {
  c->hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  c->com = SUCCEEDED(c->hr);
}

void wmi_connect_host_end(wmi_connect_host_t *c) {
  if (c->com)
    CoUninitialize();
}

static wmi_pool_t *pool_for(wmi_connect_host_t *c, const char *ns,
                            const wmi_pool_env_t *env) {
  for (size_t i = 0; i < c->pools_num; i++)
    if (strcasecmp(wmi_pool_namespace(c->pools[i]), ns) == 0)
      return c->pools[i];
  wmi_pool_t *pool = wmi_pool_new(c->env.host, ns, c->max_concurrent, env);
  if (pool != NULL)
    c->pools[c->pools_num++] = pool;
  return pool;
}

void wmi_connect_host_close(wmi_connect_host_t *c) {
  for (size_t i = 0; i < c->pools_num; i++)
    wmi_pool_free(c->pools[i]);
  c->pools_num = 0;
  for (size_t i = 0; i < c->jobs_num; i++)
    c->job_pools[i] = NULL;
  if (c->locator != NULL) {
    *c->env.pool.current_call = "Release";
    IWbemLocator_Release(c->locator);
    *c->env.pool.current_call = NULL;
    c->locator = NULL;
  }
}

/* The host's locator and a pool per namespace of its queries. */
static HRESULT open_locator(wmi_connect_host_t *c) {
  HRESULT hr = wmi_connect_locator(c->env.locator_hook, c->env.pool.hook_ctx,
                                   c->env.host, &c->locator);
  if (FAILED(hr))
    return hr;
  wmi_pool_env_t env = c->env.pool;
  env.locator = c->locator;
  for (size_t i = 0; i < c->jobs_num; i++) {
    c->job_pools[i] = pool_for(c, c->namespaces[i], &env);
    if (c->job_pools[i] == NULL) {
      wmi_connect_host_close(c);
      return E_OUTOFMEMORY;
    }
  }
  return S_OK;
}

bool wmi_connect_host_ready(wmi_connect_host_t *c) {
  if (c->locator != NULL)
    return true;
  if (GetTickCount64() < c->retry_at)
    return false;
  HRESULT hr = c->com ? open_locator(c) : c->hr;
  if (SUCCEEDED(hr)) {
    if (FAILED(c->hr))
      wmi_log(LOG_NOTICE, "Host \"%s\": WMI can be used again",
              c->env.host->name);
    c->hr = hr;
    return true;
  }
  if (SUCCEEDED(c->hr) || c->retry_at == 0) {
    char why[256];
    wmi_log(LOG_ERR, "Host \"%s\": cannot use WMI on its thread: %s%s",
            c->env.host->name,
            wmi_hresult_describe((uint32_t)hr, why, sizeof(why)),
            c->com ? "; retrying" : "");
  }
  c->hr = hr;
  c->retry_at = GetTickCount64() + RETRY_MS;
  return false;
}

HRESULT wmi_connect_host_error(const wmi_connect_host_t *c) { return c->hr; }

wmi_pool_t *wmi_connect_host_pool(const wmi_connect_host_t *c, size_t slot) {
  return c->job_pools[slot];
}
