#include "wine_test.h"

#include "config_text.h"
#include "fake_types.h"
#include "wmi_variant.h"

#include <stdio.h>
#include <string.h>

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

int test_run_start(test_run_t *run, const char *stanza,
                   wmi_services_hook_fn hook, void *hook_ctx) {
  memset(run, 0, sizeof(*run));
  oconfig_item_t *tree = config_text_parse(stanza);
  run->config = wmi_config_new();
  int status = tree && run->config ? wmi_config_parse(run->config, tree) : -1;
  config_text_free(tree);
  if (status == 0)
    status = wmi_config_finish(run->config, fake_types_lookup, NULL,
                               TIME_T_TO_CDTIME_T_STATIC(1));
  if (status != 0)
    return -1;
  run->cache = wmi_cache_new(run->config->jobs_num);
  wmi_backend_options_t options = {.config = run->config,
                                   .cache = run->cache,
                                   .services_hook = hook,
                                   .services_hook_ctx = hook_ctx,
                                   .shutdown_wait_ms = 5000};
  return wmi_backend_start(&options, &run->backend);
}

bool test_run_stop(test_run_t *run) {
  bool clean = wmi_backend_stop(run->backend);
  if (clean) {
    wmi_cache_free(run->cache);
    wmi_config_free(run->config);
  }
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
