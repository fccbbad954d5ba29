/* The synchronous baseline of the read benchmark (bench/README.md): the
 * way a WMI plugin is usually written. Each <Query> gets a read callback of
 * its own, at its own interval, that runs the query inside collectd's read
 * cycle (ExecQuery, Next, Get) and dispatches what it returns; the read
 * thread waits for WMI for as long as the query takes. Each callback logs
 * how long it took, in the format the wmi plugin's bench build uses.
 *
 *   LoadPlugin sync_plugin
 *   <Plugin sync_plugin>
 *     <Query "fast">
 *       Statement "SELECT FreePhysicalMemory FROM Win32_OperatingSystem"
 *       ValueFrom "FreePhysicalMemory"   (optional: dispatched as a gauge)
 *       Interval 1                       (optional: collectd's interval)
 *     </Query>
 *   </Plugin>
 *
 * Values read winbox.sync-<query>.gauge-<ValueFrom>. Local WMI only
 * (root\cimv2). Not part of the plugin: a yardstick. */
#include <wbemidl.h>
#include <windows.h>

#include "plugin.h"
#include "utils/common/common.h"

typedef struct {
  char *name;
  char *statement;
  char *value_from; /* NULL: run the query, dispatch nothing */
  cdtime_t interval;
  BSTR wql;
  BSTR property;
  IWbemServices *services;
} sync_query_t;

static sync_query_t *queries;
static size_t queries_num;
static bool config_failed;
static IWbemLocator *locator;

static void query_free(void *arg) {
  sync_query_t *q = arg;
  if (q->services != NULL)
    IWbemServices_Release(q->services);
  SysFreeString(q->wql);
  SysFreeString(q->property);
  free(q->name);
  free(q->statement);
  free(q->value_from);
}

static BSTR bstr_from_utf8(const char *text) {
  int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
  BSTR out = n > 0 ? SysAllocStringLen(NULL, (UINT)(n - 1)) : NULL;
  if (out != NULL)
    MultiByteToWideChar(CP_UTF8, 0, text, -1, out, n);
  return out;
}

static int config_query(oconfig_item_t *ci) {
  sync_query_t *grown = realloc(queries, (queries_num + 1) * sizeof(*grown));
  if (grown == NULL)
    return -1;
  queries = grown;
  sync_query_t *q = &queries[queries_num];
  memset(q, 0, sizeof(*q));
  if (cf_util_get_string(ci, &q->name) != 0)
    return -1;
  queries_num++; /* from here on, query_free owns what is parsed */
  for (int i = 0; i < ci->children_num; i++) {
    oconfig_item_t *opt = &ci->children[i];
    int status;
    if (strcasecmp(opt->key, "Statement") == 0)
      status = cf_util_get_string(opt, &q->statement);
    else if (strcasecmp(opt->key, "ValueFrom") == 0)
      status = cf_util_get_string(opt, &q->value_from);
    else if (strcasecmp(opt->key, "Interval") == 0)
      status = cf_util_get_cdtime(opt, &q->interval);
    else {
      ERROR("sync plugin: Query \"%s\": option \"%s\" is unknown", q->name,
            opt->key);
      status = -1;
    }
    if (status != 0)
      return -1;
  }
  if (q->statement == NULL) {
    ERROR("sync plugin: Query \"%s\": option \"Statement\" is missing",
          q->name);
    return -1;
  }
  return 0;
}

static int sync_config(oconfig_item_t *ci) {
  for (int i = 0; i < ci->children_num; i++) {
    oconfig_item_t *child = &ci->children[i];
    if (strcasecmp(child->key, "Query") != 0) {
      ERROR("sync plugin: option \"%s\" is unknown", child->key);
      return -1;
    }
    if (config_query(child) != 0) {
      config_failed = true;
      return -1;
    }
  }
  return 0;
}

static void dispatch(const sync_query_t *q, IWbemClassObject *obj) {
  VARIANT v;
  VariantInit(&v);
  if (SUCCEEDED(IWbemClassObject_Get(obj, q->property, 0, &v, NULL, NULL)) &&
      SUCCEEDED(VariantChangeType(&v, &v, 0, VT_R8))) {
    value_list_t vl = VALUE_LIST_INIT;
    value_t value = {.gauge = V_R8(&v)};
    vl.values = &value;
    vl.values_len = 1;
    vl.interval = q->interval;
    sstrncpy(vl.plugin, "sync", sizeof(vl.plugin));
    sstrncpy(vl.plugin_instance, q->name, sizeof(vl.plugin_instance));
    sstrncpy(vl.type, "gauge", sizeof(vl.type));
    sstrncpy(vl.type_instance, q->value_from, sizeof(vl.type_instance));
    plugin_dispatch_values(&vl);
  }
  VariantClear(&v);
}

static void run_query(const sync_query_t *q) {
  BSTR wql_language = SysAllocString(L"WQL");
  IEnumWbemClassObject *results = NULL;
  HRESULT hr = IWbemServices_ExecQuery(
      q->services, wql_language, q->wql,
      WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, NULL, &results);
  SysFreeString(wql_language);
  if (FAILED(hr)) {
    ERROR("sync plugin: Query \"%s\": ExecQuery failed: 0x%08lx", q->name,
          (unsigned long)hr);
    return;
  }
  IWbemClassObject *obj;
  ULONG got;
  while (IEnumWbemClassObject_Next(results, WBEM_INFINITE, 1, &obj, &got) ==
             S_OK &&
         got == 1) {
    if (q->value_from != NULL)
      dispatch(q, obj);
    IWbemClassObject_Release(obj);
  }
  IEnumWbemClassObject_Release(results);
}

static int sync_read(user_data_t *ud) {
  const sync_query_t *q = ud->data;
  LARGE_INTEGER freq, start, end;
  QueryPerformanceFrequency(&freq);
  QueryPerformanceCounter(&start);
  /* collectd's read threads are its own: join the MTA for the call. */
  HRESULT joined = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  run_query(q);
  if (SUCCEEDED(joined))
    CoUninitialize();
  QueryPerformanceCounter(&end);
  INFO("sync plugin: read callback took %lld us for Query \"%s\"",
       (long long)((end.QuadPart - start.QuadPart) * 1000000 / freq.QuadPart),
       q->name);
  return 0;
}

static int connect_query(sync_query_t *q) {
  BSTR ns = SysAllocString(L"root\\cimv2");
  q->wql = bstr_from_utf8(q->statement);
  q->property = q->value_from ? bstr_from_utf8(q->value_from) : NULL;
  HRESULT hr = IWbemLocator_ConnectServer(locator, ns, NULL, NULL, NULL, 0,
                                          NULL, NULL, &q->services);
  SysFreeString(ns);
  if (FAILED(hr) || q->wql == NULL) {
    ERROR("sync plugin: Query \"%s\": ConnectServer failed: 0x%08lx", q->name,
          (unsigned long)hr);
    return -1;
  }
  return 0;
}

static int sync_init(void) {
  if (config_failed) {
    ERROR("sync plugin: the configuration has errors; not started");
    return -1;
  }
  HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (SUCCEEDED(hr)) {
    hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                              RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE,
                              NULL);
    if (hr == RPC_E_TOO_LATE)
      hr = S_OK;
  }
  if (SUCCEEDED(hr))
    hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                          &IID_IWbemLocator, (void **)&locator);
  if (FAILED(hr)) {
    ERROR("sync plugin: cannot reach WMI: 0x%08lx", (unsigned long)hr);
    return -1;
  }
  for (size_t i = 0; i < queries_num; i++)
    if (connect_query(&queries[i]) != 0)
      return -1;
  /* Only now: a failed init unregisters the plugin's name, not these. */
  for (size_t i = 0; i < queries_num; i++) {
    sync_query_t *q = &queries[i];
    char name[DATA_MAX_NAME_LEN + 16];
    ssnprintf(name, sizeof(name), "sync-%s", q->name);
    plugin_register_complex_read(NULL, name, sync_read, q->interval,
                                 &(user_data_t){.data = q});
  }
  INFO("sync plugin: %lu queries started", (unsigned long)queries_num);
  return 0;
}

static int sync_shutdown(void) {
  for (size_t i = 0; i < queries_num; i++)
    query_free(&queries[i]);
  free(queries);
  queries = NULL;
  queries_num = 0;
  if (locator != NULL)
    IWbemLocator_Release(locator);
  locator = NULL;
  return 0;
}

__declspec(dllexport) void module_register(void) {
  plugin_register_complex_config("sync_plugin", sync_config);
  plugin_register_init("sync_plugin", sync_init);
  plugin_register_shutdown("sync_plugin", sync_shutdown);
}
