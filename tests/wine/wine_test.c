#include "wine_test.h"

#include "config_text.h"
#include "fake_types.h"
#include "wmi_config.h"
#include "wmi_text.h"

#include <stdio.h>
#include <string.h>
#include <tlhelp32.h>

static void variant_text(IWbemClassObject *obj, const char *prop, char *out,
                         size_t len) {
  wchar_t *wide = wmi_wide_from_utf8(prop);
  VARIANT v;
  VariantInit(&v);
  out[0] = '\0';
  if (SUCCEEDED(IWbemClassObject_Get(obj, wide, 0, &v, NULL, NULL)) &&
      SUCCEEDED(VariantChangeType(&v, &v, 0, VT_BSTR))) {
    char *utf8 = wmi_utf8_from_wide(V_BSTR(&v));
    snprintf(out, len, "%s", utf8 ? utf8 : "");
    free(utf8);
  }
  VariantClear(&v);
  free(wide);
}

int sync_query(const char *wql, const char *key_prop, const char *value_prop,
               row_t *rows, int max_rows) {
  IWbemLocator *locator = NULL;
  IWbemServices *svc = NULL;
  IEnumWbemClassObject *e = NULL;
  int n = -1;
  BSTR ns = SysAllocString(L"root\\cimv2"), lang = SysAllocString(L"WQL");
  wchar_t *wq = wmi_wide_from_utf8(wql);
  BSTR query = SysAllocString(wq);
  free(wq);
  if (FAILED(CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                              &IID_IWbemLocator, (void **)&locator)) ||
      FAILED(IWbemLocator_ConnectServer(locator, ns, NULL, NULL, NULL, 0, NULL,
                                        NULL, &svc)) ||
      FAILED(IWbemServices_ExecQuery(svc, lang, query, WBEM_FLAG_FORWARD_ONLY,
                                     NULL, &e)))
    goto out;
  n = 0;
  IWbemClassObject *obj;
  ULONG got;
  while (n < max_rows &&
         IEnumWbemClassObject_Next(e, WBEM_INFINITE, 1, &obj, &got) == S_OK &&
         got == 1) {
    variant_text(obj, key_prop, rows[n].key, sizeof(rows[n].key));
    variant_text(obj, value_prop, rows[n].value, sizeof(rows[n].value));
    IWbemClassObject_Release(obj);
    n++;
  }
out:
  if (e)
    IEnumWbemClassObject_Release(e);
  if (svc)
    IWbemServices_Release(svc);
  if (locator)
    IWbemLocator_Release(locator);
  SysFreeString(ns);
  SysFreeString(lang);
  SysFreeString(query);
  return n;
}

int test_run_load(test_run_t *run, const char *stanza, wmi_ds_lookup_fn lookup,
                  void *lookup_ctx) {
  memset(run, 0, sizeof(*run));
  oconfig_item_t *tree = config_text_parse(stanza);
  run->config = wmi_config_new();
  int status = tree && run->config ? wmi_config_parse(run->config, tree) : -1;
  config_text_free(tree);
  if (status == 0)
    status = wmi_config_finish(run->config, lookup, lookup_ctx,
                               TIME_T_TO_CDTIME_T_STATIC(1), NULL);
  if (status == 0 &&
      (run->cache = wmi_cache_new(run->config->jobs_num, 0)) == NULL)
    status = -1;
  if (status != 0) {
    wmi_cache_free(run->cache);
    wmi_config_free(run->config);
    memset(run, 0, sizeof(*run));
  }
  return status;
}

int test_run_begin(test_run_t *run, const wmi_backend_options_t *seams) {
  wmi_backend_options_t options = {0};
  if (seams != NULL)
    options = *seams;
  options.config = run->config;
  options.cache = run->cache;
  if (options.shutdown_wait_ms == 0)
    options.shutdown_wait_ms = 5000;
  if (wmi_backend_start(&options, &run->backend) == WMI_BACKEND_STARTED)
    return 0;
  wmi_cache_free(run->cache);
  wmi_config_free(run->config);
  memset(run, 0, sizeof(*run));
  return -1;
}

int test_run_start_types(test_run_t *run, const char *stanza,
                         const wmi_backend_options_t *seams,
                         wmi_ds_lookup_fn lookup, void *lookup_ctx) {
  if (test_run_load(run, stanza, lookup, lookup_ctx) != 0)
    return -1;
  return test_run_begin(run, seams);
}

int test_run_start(test_run_t *run, const char *stanza,
                   const wmi_backend_options_t *seams) {
  return test_run_start_types(run, stanza, seams, fake_types_lookup, NULL);
}

bool test_run_stop(test_run_t *run) {
  bool clean = wmi_backend_stop(run->backend);
  if (clean) {
    wmi_cache_free(run->cache);
    wmi_config_free(run->config);
  }
  memset(run, 0, sizeof(*run));
  return clean;
}

bool wait_for_stats(test_run_t *run, size_t job,
                    bool (*done)(const wmi_job_stats_t *), DWORD ms) {
  for (DWORD waited = 0;; waited += 20) {
    wmi_job_stats_t stats;
    wmi_backend_job_stats(run->backend, job, &stats);
    if (done(&stats))
      return true;
    if (waited >= ms)
      return false;
    Sleep(20);
  }
}

wmi_batch_t *take_job_within(test_run_t *run, size_t job, DWORD ms) {
  for (DWORD waited = 0;; waited += 20) {
    wmi_batch_t *found = NULL, *next;
    for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
      next = b->next;
      if (b->job == job && found == NULL) {
        found = b;
        found->next = NULL;
      } else {
        wmi_batch_free(b);
      }
    }
    if (found != NULL || waited >= ms)
      return found;
    Sleep(20);
  }
}

static IWbemLocator *sim_locator_hook(void *ctx, const wmi_host_t *host,
                                      IWbemLocator *real) {
  (void)host;
  sim_seams_t *seams = ctx;
  return seams->locator ? faulty_locator_wrap(real, seams->locator) : real;
}

static IWbemServices *sim_services_hook(void *ctx, const wmi_host_t *host,
                                        const char *wmi_namespace,
                                        IWbemServices *real) {
  (void)wmi_namespace;
  sim_seams_t *seams = ctx;
  fault_plan_t *plan = seams->wrap_others;
  for (size_t i = 0; i < seams->wraps_num; i++)
    if (_stricmp(seams->wraps[i].host, host->name) == 0)
      plan = seams->wraps[i].plan;
  return plan ? faulty_services_wrap(real, plan) : real;
}

void sim_seams_apply(sim_seams_t *seams, wmi_backend_options_t *options) {
  options->locator_hook = sim_locator_hook;
  options->services_hook = sim_services_hook;
  options->hook_ctx = seams;
}

long count_process_threads(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
  if (snap == INVALID_HANDLE_VALUE)
    return -1;
  DWORD pid = GetCurrentProcessId();
  long n = 0;
  THREADENTRY32 te = {.dwSize = sizeof(te)};
  for (BOOL more = Thread32First(snap, &te); more;
       more = Thread32Next(snap, &te))
    n += te.th32OwnerProcessID == pid;
  CloseHandle(snap);
  return n;
}

long wait_threads_settle(long at_most, DWORD ms) {
  long n = count_process_threads();
  for (DWORD waited = 0; n > at_most && waited < ms; waited += 50) {
    Sleep(50);
    n = count_process_threads();
  }
  return n;
}
