/* The recorded-samples services wrapper (perf_services.h) around Wine's
 * real WMI: class objects answer CounterType as recorded; ExecQueryAsync
 * delivers run 0, run 1, ... with the recorded values, on a thread of its
 * own; other classes still answer from WMI; cancellation behaves as
 * WMI's; the context of each call is recorded; nothing leaks. */
#include "perf_recordings.h"
#include "perf_services.h"
#include "unit.h"
#include "wmi_text.h"
#include "wmi_variant.h"

#include <stdlib.h>

/* ---- A sink that keeps what it is given ---- */

#define SINK_MAX 16

typedef struct {
  IWbemObjectSink iface;
  LONG refs;
  IWbemClassObject *objects[SINK_MAX];
  volatile LONG indicated, indicate_calls, statuses;
  HRESULT status;
  DWORD thread; /* the one that called SetStatus */
  HANDLE done;
} sink_t;

static sink_t *sink_impl(IWbemObjectSink *iface) {
  return CONTAINING_RECORD(iface, sink_t, iface);
}

static HRESULT STDMETHODCALLTYPE s_query_interface(IWbemObjectSink *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemObjectSink)) {
    *out = iface;
    InterlockedIncrement(&sink_impl(iface)->refs);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE s_add_ref(IWbemObjectSink *iface) {
  return (ULONG)InterlockedIncrement(&sink_impl(iface)->refs);
}
static ULONG STDMETHODCALLTYPE s_release(IWbemObjectSink *iface) {
  return (ULONG)InterlockedDecrement(&sink_impl(iface)->refs);
}
static HRESULT STDMETHODCALLTYPE s_indicate(IWbemObjectSink *iface, LONG n,
                                            IWbemClassObject **objects) {
  sink_t *s = sink_impl(iface);
  InterlockedIncrement(&s->indicate_calls);
  for (LONG i = 0; i < n; i++) {
    LONG at = InterlockedIncrement(&s->indicated) - 1;
    if (at < SINK_MAX) {
      IWbemClassObject_AddRef(objects[i]);
      s->objects[at] = objects[i];
    }
  }
  return WBEM_S_NO_ERROR;
}
static HRESULT STDMETHODCALLTYPE s_set_status(IWbemObjectSink *iface,
                                              LONG flags, HRESULT hr,
                                              BSTR param,
                                              IWbemClassObject *object) {
  (void)param, (void)object;
  sink_t *s = sink_impl(iface);
  if (flags == WBEM_STATUS_COMPLETE) {
    s->status = hr;
    s->thread = GetCurrentThreadId();
    InterlockedIncrement(&s->statuses);
    SetEvent(s->done);
  }
  return WBEM_S_NO_ERROR;
}
static const IWbemObjectSinkVtbl sink_vtbl = {
    s_query_interface, s_add_ref, s_release, s_indicate, s_set_status,
};

static void sink_init(sink_t *s) {
  memset(s, 0, sizeof(*s));
  s->iface.lpVtbl = &sink_vtbl;
  s->refs = 1;
  s->done = CreateEventW(NULL, TRUE, FALSE, NULL);
}

/* Waits for WMI (or the wrapper's worker) to let go of the sink, which
 * may be on the caller's stack, then frees what it kept. */
static void sink_clear(sink_t *s) {
  for (DWORD waited = 0; s->refs > 1 && waited < 10000; waited += 5)
    Sleep(5);
  CHECK(s->refs == 1, "the sink was let go: %ld refs", (long)s->refs);
  LONG n = s->indicated < SINK_MAX ? s->indicated : SINK_MAX;
  for (LONG i = 0; i < n; i++)
    IWbemClassObject_Release(s->objects[i]);
  CloseHandle(s->done);
}

/* ---- Helpers ---- */

static perf_stats_t stats;

static IWbemServices *connect_real(void) {
  IWbemLocator *locator = NULL;
  IWbemServices *svc = NULL;
  BSTR ns = SysAllocString(L"root\\cimv2");
  if (SUCCEEDED(CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                                 &IID_IWbemLocator, (void **)&locator)))
    IWbemLocator_ConnectServer(locator, ns, NULL, NULL, NULL, 0, NULL, NULL,
                               &svc);
  if (locator != NULL)
    IWbemLocator_Release(locator);
  SysFreeString(ns);
  return svc;
}

static IWbemServices *wrapped(const perf_recording_t *const *recs, size_t num) {
  IWbemServices *real = connect_real();
  return real != NULL ? perf_services_wrap(real, recs, num, &stats) : NULL;
}

static IWbemServices *wrapped_all(void) {
  return wrapped(perf_recordings_all, perf_recordings_all_num);
}

static HRESULT exec(IWbemServices *svc, const wchar_t *wql, IWbemContext *ctx,
                    sink_t *sink) {
  BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(wql);
  HRESULT hr = IWbemServices_ExecQueryAsync(svc, lang, q, 0, ctx, &sink->iface);
  SysFreeString(lang);
  SysFreeString(q);
  return hr;
}

/* Runs a query to its end and cancels it (as the plugin does, for
 * Wine's one-call-per-services limit); the sink keeps the objects. */
static bool run_query(IWbemServices *svc, const wchar_t *wql, IWbemContext *ctx,
                      sink_t *sink) {
  sink_init(sink);
  HRESULT hr = exec(svc, wql, ctx, sink);
  CHECK(SUCCEEDED(hr), "ExecQueryAsync %ls: 0x%08lx", wql, (unsigned long)hr);
  if (FAILED(hr))
    return false;
  bool done = WaitForSingleObject(sink->done, 10000) == WAIT_OBJECT_0;
  CHECK(done, "%ls completed", wql);
  IWbemServices_CancelAsyncCall(svc, &sink->iface);
  return done;
}

/* The property's value as the plugin reads it, as text. */
static bool read_text(IWbemClassObject *obj, const char *name, char *text,
                      size_t len, VARTYPE *vt, CIMTYPE *type) {
  wchar_t *wide = wmi_wide_from_utf8(name);
  VARIANT v;
  VariantInit(&v);
  *type = 0;
  HRESULT hr = IWbemClassObject_Get(obj, wide, 0, &v, type, NULL);
  free(wide);
  *vt = V_VT(&v);
  if (FAILED(hr)) {
    snprintf(text, len, "<0x%08lx>", (unsigned long)hr);
    return false;
  }
  char buffer[256];
  wmi_cim_value_t value;
  wmi_variant_to_cim(&v, *type, buffer, sizeof(buffer), &value);
  switch (value.kind) {
  case WMI_CIM_NULL:
    snprintf(text, len, "<null>");
    break;
  case WMI_CIM_STRING:
    snprintf(text, len, "%s", value.u.text);
    break;
  case WMI_CIM_UINT:
    snprintf(text, len, "%llu", (unsigned long long)value.u.uint);
    break;
  case WMI_CIM_SINT:
    snprintf(text, len, "%lld", (long long)value.u.sint);
    break;
  default:
    snprintf(text, len, "<kind %d>", (int)value.kind);
  }
  VariantClear(&v);
  return true;
}

static LONG counter_type(IWbemClassObject *obj, const wchar_t *property,
                         HRESULT *hr, VARTYPE *vt) {
  IWbemQualifierSet *qs = NULL;
  *vt = VT_EMPTY;
  *hr = IWbemClassObject_GetPropertyQualifierSet(obj, property, &qs);
  if (FAILED(*hr))
    return -1;
  VARIANT v;
  VariantInit(&v);
  *hr = IWbemQualifierSet_Get(qs, L"CounterType", 0, &v, NULL);
  IWbemQualifierSet_Release(qs);
  *vt = V_VT(&v);
  LONG value = V_VT(&v) == VT_I4 ? V_I4(&v) : -1;
  VariantClear(&v);
  return value;
}

static IWbemClassObject *get_class(IWbemServices *svc, const wchar_t *path,
                                   IWbemContext *ctx, HRESULT *hr) {
  BSTR p = SysAllocString(path);
  IWbemClassObject *obj = NULL;
  *hr = IWbemServices_GetObject(svc, p, WBEM_FLAG_RETURN_WBEM_COMPLETE, ctx,
                                &obj, NULL);
  SysFreeString(p);
  return obj;
}

static LONG genus(IWbemClassObject *obj) {
  VARIANT v;
  VariantInit(&v);
  IWbemClassObject_Get(obj, L"__GENUS", 0, &v, NULL, NULL);
  LONG g = V_VT(&v) == VT_I4 ? V_I4(&v) : -1;
  VariantClear(&v);
  return g;
}

/* ---- Tests ---- */

/* Every recorded CounterType, read as the plugin reads it. */
static void test_class_qualifiers(void) {
  unit_case = "qualifiers";
  IWbemServices *svc = wrapped_all();
  CHECK(svc != NULL, "connected");
  if (svc == NULL)
    return;
  for (size_t r = 0; r < perf_recordings_all_num; r++) {
    const perf_recording_t *rec = perf_recordings_all[r];
    wchar_t *path = wmi_wide_from_utf8(rec->class_name);
    HRESULT hr;
    IWbemClassObject *cls = get_class(svc, path, NULL, &hr);
    CHECK(hr == WBEM_S_NO_ERROR && cls != NULL, "GetObject %s: 0x%08lx",
          rec->class_name, (unsigned long)hr);
    if (cls != NULL) {
      CHECK(genus(cls) == WBEM_GENUS_CLASS, "%s is a class", rec->class_name);
      for (size_t q = 0; q < rec->qualifiers_num; q++) {
        wchar_t *name = wmi_wide_from_utf8(rec->qualifiers[q].name);
        VARTYPE vt;
        LONG got = counter_type(cls, name, &hr, &vt);
        CHECK(hr == WBEM_S_NO_ERROR && vt == VT_I4 &&
                  (uint32_t)got == rec->qualifiers[q].counter_type,
              "%s.%s: CounterType %ld (vt %d, 0x%08lx), want %lu",
              rec->class_name, rec->qualifiers[q].name, (long)got, vt,
              (unsigned long)hr,
              (unsigned long)rec->qualifiers[q].counter_type);
        free(name);
      }
      IWbemClassObject_Release(cls);
    }
    free(path);
    CHECK(InterlockedCompareExchange(&stats.get_object[r], 0, 0) == 1,
          "%s: one GetObject counted", rec->class_name);
  }
  IWbemServices_Release(svc);
}

/* A class object's properties: names case-insensitive, values NULL with
 * their CIM type; a property without a CounterType, and one that does not
 * exist. */
static void test_class_object(void) {
  unit_case = "class";
  const perf_recording_t *recs[] = {&perf_recording_processor};
  IWbemServices *svc = wrapped(recs, 1);
  if (svc == NULL)
    return;
  HRESULT hr;
  IWbemClassObject *cls = get_class(
      svc, L"\\\\.\\root\\cimv2:win32_perfrawdata_perfos_PROCESSOR", NULL, &hr);
  CHECK(hr == WBEM_S_NO_ERROR && cls != NULL, "path with namespace: 0x%08lx",
        (unsigned long)hr);
  if (cls != NULL) {
    VARTYPE vt;
    LONG type = counter_type(cls, L"percentprocessortime", &hr, &vt);
    CHECK(type == 558957824, "lower-case name: %ld", (long)type);
    counter_type(cls, L"Name", &hr, &vt);
    CHECK(hr == (HRESULT)WBEM_E_NOT_FOUND, "Name has no CounterType: 0x%08lx",
          (unsigned long)hr);
    IWbemQualifierSet *qs = (IWbemQualifierSet *)1;
    hr = IWbemClassObject_GetPropertyQualifierSet(cls, L"NoSuchProperty", &qs);
    CHECK(hr == (HRESULT)WBEM_E_NOT_FOUND && qs == NULL,
          "no such property: 0x%08lx", (unsigned long)hr);
    VARIANT v;
    CIMTYPE cim = 0;
    VariantInit(&v);
    hr = IWbemClassObject_Get(cls, L"Timestamp_Sys100NS", 0, &v, &cim, NULL);
    CHECK(hr == WBEM_S_NO_ERROR && V_VT(&v) == VT_NULL && cim == CIM_UINT64,
          "class value: vt %d type %ld", V_VT(&v), (long)cim);
    hr = IWbemClassObject_Get(cls, L"__CLASS", 0, &v, NULL, NULL);
    CHECK(hr == WBEM_S_NO_ERROR && V_VT(&v) == VT_BSTR &&
              wcscmp(V_BSTR(&v), L"Win32_PerfRawData_PerfOS_Processor") == 0,
          "__CLASS");
    VariantClear(&v);
    SAFEARRAY *names = NULL;
    hr = IWbemClassObject_GetNames(cls, NULL, WBEM_FLAG_NONSYSTEM_ONLY, NULL,
                                   &names);
    LONG upper = -1;
    if (names != NULL)
      SafeArrayGetUBound(names, 1, &upper);
    CHECK(hr == WBEM_S_NO_ERROR && upper + 1 == 5, "5 properties: %ld",
          (long)upper + 1);
    if (names != NULL)
      SafeArrayDestroy(names);
    IWbemClassObject *copy = NULL;
    hr = IWbemClassObject_Clone(cls, &copy);
    CHECK(hr == WBEM_S_NO_ERROR && copy != NULL &&
              counter_type(copy, L"PercentIdleTime", &hr, &vt) == 542180608,
          "a clone keeps the qualifiers");
    if (copy != NULL)
      IWbemClassObject_Release(copy);
    IWbemClassObject_Release(cls);
  }
  cls = get_class(svc, L"Win32_PerfRawData_PerfOS_Processor.Name=\"_Total\"",
                  NULL, &hr);
  CHECK(hr == (HRESULT)WBEM_E_NOT_SUPPORTED && cls == NULL,
        "instance path: 0x%08lx", (unsigned long)hr);
  IWbemServices_Release(svc);
}

/* Runs 0, 1, 2 and 2 again (the last run repeats) of one statement, each
 * object with the recorded values, read through the plugin's conversion;
 * every property of every object of every recording reads back. */
static void check_run(IWbemServices *svc, const perf_recording_t *rec, size_t k,
                      const wchar_t *wql) {
  sink_t sink;
  if (!run_query(svc, wql, NULL, &sink)) {
    sink_clear(&sink);
    return;
  }
  const perf_run_t *run = &rec->runs[k < rec->runs_num ? k : rec->runs_num - 1];
  CHECK(sink.status == WBEM_S_NO_ERROR, "%s run %zu: status 0x%08lx",
        rec->class_name, k, (unsigned long)sink.status);
  CHECK(sink.indicated == (LONG)run->num && sink.indicate_calls == 1,
        "%s run %zu: %ld objects in %ld calls, want %zu in 1", rec->class_name,
        k, (long)sink.indicated, (long)sink.indicate_calls, run->num);
  CHECK(sink.thread != GetCurrentThreadId(), "delivered on another thread");
  for (size_t o = 0; o < run->num && o < (size_t)sink.indicated; o++) {
    CHECK(genus(sink.objects[o]) == WBEM_GENUS_INSTANCE, "an instance");
    for (size_t p = 0; p < run->objects[o].num; p++) {
      const perf_property_t *prop = &run->objects[o].properties[p];
      char text[128];
      VARTYPE vt;
      CIMTYPE type;
      bool ok = read_text(sink.objects[o], prop->name, text, sizeof(text), &vt,
                          &type);
      const char *want = prop->text != NULL ? prop->text : "<null>";
      CHECK(ok && strcmp(text, want) == 0 && type == prop->type,
            "%s run %zu object %zu %s: \"%s\" (type %ld), want \"%s\" (%ld)",
            rec->class_name, k, o, prop->name, text, (long)type, want,
            (long)prop->type);
    }
  }
  sink_clear(&sink);
}

static void test_runs(void) {
  unit_case = "runs";
  IWbemServices *svc = wrapped_all();
  if (svc == NULL)
    return;
  for (size_t r = 0; r < perf_recordings_all_num; r++) {
    const perf_recording_t *rec = perf_recordings_all[r];
    wchar_t wql[256];
    swprintf(wql, 256, L"SELECT * FROM %hs", rec->class_name);
    for (size_t k = 0; k <= rec->runs_num; k++)
      check_run(svc, rec, k, wql);
    CHECK(stats.exec_query[r] == (LONG)rec->runs_num + 1, "%s: %ld runs",
          rec->class_name, (long)stats.exec_query[r]);
  }
  /* Another statement on a class starts at run 0; in lower case, with a
   * WHERE clause (ignored). */
  check_run(svc, &perf_recording_processor, 0,
            L"select * from win32_perfrawdata_perfos_processor where "
            L"Name <> '_Total'");
  const wchar_t *again =
      L"SELECT *  FROM Win32_PerfRawData_Tcpip_NetworkInterface";
  check_run(svc, &perf_recording_network, 0, again);
  IWbemServices_Release(svc);
  /* A new wrapper on the same stats (the plugin's pool may hand out
   * another connection) goes on with the runs of a statement. */
  svc = wrapped_all();
  if (svc == NULL)
    return;
  check_run(svc, &perf_recording_network, 1, again);
  IWbemServices_Release(svc);
}

/* A SELECT list: the properties it names, and the key, have values; the
 * others are NULL, as in WMI's partial instances. */
static void test_selection(void) {
  unit_case = "select";
  const perf_recording_t *recs[] = {&perf_recording_process};
  IWbemServices *svc = wrapped(recs, 1);
  if (svc == NULL)
    return;
  sink_t sink;
  if (run_query(svc,
                L"SELECT IDProcess,PercentProcessorTime , Timestamp_Sys100NS "
                L"FROM Win32_PerfRawData_PerfProc_Process",
                NULL, &sink) &&
      sink.indicated >= 3) {
    IWbemClassObject *svchost = sink.objects[2];
    char text[128];
    VARTYPE vt;
    CIMTYPE type;
    read_text(svchost, "Name", text, sizeof(text), &vt, &type);
    CHECK_STR(text, "svchost");
    read_text(svchost, "IDProcess", text, sizeof(text), &vt, &type);
    CHECK(strcmp(text, "1204") == 0 && vt == VT_I4 && type == CIM_UINT32,
          "IDProcess %s vt %d type %ld", text, vt, (long)type);
    read_text(svchost, "PercentProcessorTime", text, sizeof(text), &vt, &type);
    CHECK(strcmp(text, "78125000") == 0 && vt == VT_BSTR && type == CIM_UINT64,
          "PercentProcessorTime %s vt %d", text, vt);
    read_text(svchost, "WorkingSet", text, sizeof(text), &vt, &type);
    CHECK(strcmp(text, "<null>") == 0 && vt == VT_NULL && type == CIM_UINT64,
          "WorkingSet not selected: %s vt %d", text, vt);
  }
  sink_clear(&sink);
  IWbemServices_Release(svc);
}

/* Values as WMI sends them: a uint32 above INT32_MAX as a negative VT_I4,
 * read back exactly by the plugin; a NULL Name. */
static void test_value_types(void) {
  unit_case = "types";
  const perf_recording_t *recs[] = {&perf_recording_system};
  IWbemServices *svc = wrapped(recs, 1);
  if (svc == NULL)
    return;
  sink_t sink;
  if (run_query(svc,
                L"SELECT Name, SystemCallsPersec FROM "
                L"Win32_PerfRawData_PerfOS_System",
                NULL, &sink) &&
      sink.indicated == 1) {
    VARIANT v;
    CIMTYPE type = 0;
    VariantInit(&v);
    IWbemClassObject_Get(sink.objects[0], L"SystemCallsPersec", 0, &v, &type,
                         NULL);
    CHECK(V_VT(&v) == VT_I4 && V_I4(&v) == -1438646331 && type == CIM_UINT32,
          "SystemCallsPersec vt %d %ld", V_VT(&v), (long)V_I4(&v));
    IWbemClassObject_Get(sink.objects[0], L"Name", 0, &v, &type, NULL);
    CHECK(V_VT(&v) == VT_NULL && type == CIM_STRING, "Name NULL: vt %d",
          V_VT(&v));
    IWbemClassObject_Get(sink.objects[0], L"__RELPATH", 0, &v, NULL, NULL);
    CHECK(V_VT(&v) == VT_BSTR &&
              wcscmp(V_BSTR(&v), L"Win32_PerfRawData_PerfOS_System=@") == 0,
          "singleton's relpath");
    VariantClear(&v);
  }
  sink_clear(&sink);
  IWbemServices_Release(svc);
}

/* Other classes answer from WMI itself. */
static void test_pass_through(void) {
  unit_case = "pass";
  IWbemServices *svc = wrapped_all();
  if (svc == NULL)
    return;
  LONG before = stats.passed_through;
  HRESULT hr;
  IWbemClassObject *cls = get_class(svc, L"Win32_OperatingSystem", NULL, &hr);
  CHECK(hr == WBEM_S_NO_ERROR && cls != NULL, "GetObject: 0x%08lx",
        (unsigned long)hr);
  if (cls != NULL)
    IWbemClassObject_Release(cls);
  sink_t sink;
  if (run_query(svc,
                L"SELECT Caption, FreePhysicalMemory FROM "
                L"Win32_OperatingSystem",
                NULL, &sink)) {
    CHECK(sink.status == WBEM_S_NO_ERROR && sink.indicated == 1,
          "one object from WMI: %ld, 0x%08lx", (long)sink.indicated,
          (unsigned long)sink.status);
    char text[128];
    VARTYPE vt;
    CIMTYPE type;
    if (sink.indicated == 1) {
      read_text(sink.objects[0], "FreePhysicalMemory", text, sizeof(text), &vt,
                &type);
      CHECK(vt == VT_BSTR && type == CIM_UINT64 && atoll(text) > 0,
            "a live value: %s", text);
    }
  }
  sink_clear(&sink);
  CHECK(stats.passed_through == before + 2, "2 calls passed: %ld",
        (long)(stats.passed_through - before));
  IWbemServices_Release(svc);
}

/* GetObjectAsync on a recorded class: the class object, then S_OK. */
static void test_get_object_async(void) {
  unit_case = "async-class";
  const perf_recording_t *recs[] = {&perf_recording_network};
  IWbemServices *svc = wrapped(recs, 1);
  if (svc == NULL)
    return;
  sink_t sink;
  sink_init(&sink);
  BSTR path = SysAllocString(L"Win32_PerfRawData_Tcpip_NetworkInterface");
  HRESULT hr = IWbemServices_GetObjectAsync(svc, path, 0, NULL, &sink.iface);
  SysFreeString(path);
  CHECK(hr == WBEM_S_NO_ERROR, "GetObjectAsync: 0x%08lx", (unsigned long)hr);
  if (SUCCEEDED(hr) && WaitForSingleObject(sink.done, 10000) == WAIT_OBJECT_0) {
    CHECK(sink.status == WBEM_S_NO_ERROR && sink.indicated == 1,
          "one class object: %ld", (long)sink.indicated);
    if (sink.indicated == 1) {
      VARTYPE vt;
      CHECK(genus(sink.objects[0]) == WBEM_GENUS_CLASS &&
                counter_type(sink.objects[0], L"BytesSentPersec", &hr, &vt) ==
                    272696576,
            "the class, with its qualifiers");
    }
    IWbemServices_CancelAsyncCall(svc, &sink.iface);
  }
  sink_clear(&sink);
  IWbemServices_Release(svc);
}

static IWbemContext *architecture_context(void) {
  IWbemContext *ctx = NULL;
  if (FAILED(CoCreateInstance(&CLSID_WbemContext, NULL, CLSCTX_INPROC_SERVER,
                              &IID_IWbemContext, (void **)&ctx)))
    return NULL;
  VARIANT v;
  V_VT(&v) = VT_I4;
  V_I4(&v) = 32;
  IWbemContext_SetValue(ctx, L"__ProviderArchitecture", 0, &v);
  V_VT(&v) = VT_BOOL;
  V_BOOL(&v) = VARIANT_TRUE;
  IWbemContext_SetValue(ctx, L"__RequiredArchitecture", 0, &v);
  return ctx;
}

static bool context_is(LONG pa, LONG pa_vt, LONG ra, LONG ra_vt) {
  return stats.provider_architecture == pa &&
         stats.provider_architecture_vt == pa_vt &&
         stats.required_architecture == ra &&
         stats.required_architecture_vt == ra_vt;
}

/* The context of each call: recorded or passed through, query or class. */
static void test_context(void) {
  unit_case = "context";
  IWbemServices *svc = wrapped_all();
  IWbemContext *ctx = architecture_context();
  CHECK(ctx != NULL, "CLSID_WbemContext");
  if (svc == NULL || ctx == NULL)
    return;
  sink_t sink;
  run_query(svc, L"SELECT Name FROM Win32_PerfRawData_PerfOS_Processor", ctx,
            &sink);
  sink_clear(&sink);
  CHECK(context_is(32, VT_I4, 1, VT_BOOL), "query: %ld/%ld %ld/%ld",
        (long)stats.provider_architecture, (long)stats.provider_architecture_vt,
        (long)stats.required_architecture,
        (long)stats.required_architecture_vt);
  run_query(svc, L"SELECT Name FROM Win32_PerfRawData_PerfOS_Processor", NULL,
            &sink);
  sink_clear(&sink);
  CHECK(context_is(PERF_CONTEXT_NONE, PERF_CONTEXT_NONE, PERF_CONTEXT_NONE,
                   PERF_CONTEXT_NONE),
        "no context: none");
  HRESULT hr;
  IWbemClassObject *cls =
      get_class(svc, L"Win32_PerfRawData_PerfOS_System", ctx, &hr);
  if (cls != NULL)
    IWbemClassObject_Release(cls);
  CHECK(context_is(32, VT_I4, 1, VT_BOOL), "GetObject's context");
  run_query(svc, L"SELECT Caption FROM Win32_OperatingSystem", NULL, &sink);
  sink_clear(&sink);
  CHECK(context_is(PERF_CONTEXT_NONE, PERF_CONTEXT_NONE, PERF_CONTEXT_NONE,
                   PERF_CONTEXT_NONE),
        "passed through, no context");
  run_query(svc, L"SELECT Caption FROM Win32_OperatingSystem", ctx, &sink);
  CHECK(sink.status == WBEM_S_NO_ERROR && sink.indicated == 1,
        "Wine's WMI takes the context: 0x%08lx", (unsigned long)sink.status);
  sink_clear(&sink);
  CHECK(context_is(32, VT_I4, 1, VT_BOOL), "passed through, with context");
  IWbemContext_Release(ctx);
  IWbemServices_Release(svc);
}

/* Cancelling: before completion the sink hears WBEM_E_CALL_CANCELLED once
 * and never gets the objects; after completion nothing more happens; a
 * wrapper released with a call pending cancels it. */
static void test_cancel(void) {
  unit_case = "cancel";
  perf_recording_t slow = perf_recording_processor;
  slow.delay_ms = 3000;
  const perf_recording_t *recs[] = {&slow};
  IWbemServices *svc = wrapped(recs, 1);
  if (svc == NULL)
    return;
  const wchar_t *wql = L"SELECT * FROM Win32_PerfRawData_PerfOS_Processor";
  LONG pending = stats.cancelled_pending, completed = stats.cancelled_completed;

  sink_t sink;
  sink_init(&sink);
  CHECK(exec(svc, wql, NULL, &sink) == WBEM_S_NO_ERROR, "started");
  HRESULT hr = IWbemServices_CancelAsyncCall(svc, &sink.iface);
  CHECK(hr == WBEM_S_NO_ERROR, "cancel: 0x%08lx", (unsigned long)hr);
  CHECK(sink.statuses == 1 && sink.status == (HRESULT)WBEM_E_CALL_CANCELLED,
        "cancelled once: %ld, 0x%08lx", (long)sink.statuses,
        (unsigned long)sink.status);
  CHECK(perf_stats_wait_workers(&stats, 10000), "its worker ended");
  CHECK(sink.statuses == 1 && sink.indicated == 0, "nothing after: %ld, %ld",
        (long)sink.statuses, (long)sink.indicated);
  CHECK(stats.cancelled_pending == pending + 1, "counted as pending");
  sink_clear(&sink);

  /* After completion (no delay now): S_OK, no second status. */
  const perf_recording_t *fast_recs[] = {&perf_recording_processor};
  IWbemServices *fast = wrapped(fast_recs, 1);
  if (fast != NULL) {
    sink_init(&sink);
    exec(fast, wql, NULL, &sink);
    WaitForSingleObject(sink.done, 10000);
    hr = IWbemServices_CancelAsyncCall(fast, &sink.iface);
    CHECK(hr == WBEM_S_NO_ERROR && sink.statuses == 1 &&
              sink.status == WBEM_S_NO_ERROR,
          "after completion: 0x%08lx, %ld statuses", (unsigned long)hr,
          (long)sink.statuses);
    CHECK(stats.cancelled_completed == completed + 1, "counted as completed");
    sink_clear(&sink);
    IWbemServices_Release(fast);
  }

  /* Released with the call pending: cancelled, as WMI does. */
  sink_init(&sink);
  exec(svc, wql, NULL, &sink);
  IWbemServices_Release(svc);
  CHECK(sink.statuses == 1 && sink.status == (HRESULT)WBEM_E_CALL_CANCELLED,
        "release cancels: %ld, 0x%08lx", (long)sink.statuses,
        (unsigned long)sink.status);
  CHECK(perf_stats_wait_workers(&stats, 10000), "its worker ended");
  CHECK(sink.indicated == 0, "nothing delivered");
  sink_clear(&sink);
}

int main(void) {
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
    return 1;
  perf_stats_init(&stats);
  test_class_qualifiers();
  test_class_object();
  test_runs();
  test_selection();
  test_value_types();
  test_pass_through();
  test_get_object_async();
  test_context();
  test_cancel();
  unit_case = "leaks";
  CHECK(perf_stats_wait_workers(&stats, 10000), "workers ended");
  CHECK(stats.wrappers == 0 && stats.objects == 0,
        "%ld wrappers, %ld objects left", (long)stats.wrappers,
        (long)stats.objects);
  perf_stats_destroy(&stats);
  CoUninitialize();
  return unit_summary("test_perf_fixture");
}
