#include "perf_services.h"

#include "services_forward.h"

#include "perf_object.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CALLS 64    /* recorded calls a wrapper remembers */
#define MAX_SELECTED 64 /* names in a SELECT list */
#define MAX_NAME 128    /* a class or property name */

void perf_stats_init(perf_stats_t *stats) {
  memset(stats, 0, sizeof(*stats));
  InitializeCriticalSection(&stats->lock);
  stats->provider_architecture = stats->provider_architecture_vt =
      PERF_CONTEXT_NONE;
  stats->required_architecture = stats->required_architecture_vt =
      PERF_CONTEXT_NONE;
}

void perf_stats_destroy(perf_stats_t *stats) {
  DeleteCriticalSection(&stats->lock);
}

BOOL perf_stats_wait_workers(perf_stats_t *stats, DWORD ms) {
  for (DWORD waited = 0; InterlockedCompareExchange(&stats->workers, 0, 0) > 0;
       waited += 5) {
    if (waited >= ms)
      return FALSE;
    Sleep(5);
  }
  return TRUE;
}

/* ---- What a call names: the class of a WQL statement or object path ---- */

typedef struct {
  char class_name[MAX_NAME];
  char names[MAX_SELECTED][MAX_NAME]; /* the SELECT list */
  const char *list[MAX_SELECTED];
  size_t num;
  bool all; /* SELECT * */
} wql_t;

static bool is_name_char(wchar_t c) {
  return (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') ||
         (c >= L'0' && c <= L'9') || c == L'_';
}

static const wchar_t *skip_spaces(const wchar_t *s) {
  while (*s == L' ' || *s == L'\t' || *s == L'\r' || *s == L'\n')
    s++;
  return s;
}

/* Copies the ASCII name at s into out; returns the end, or NULL. */
static const wchar_t *take_name(const wchar_t *s, char *out) {
  size_t n = 0;
  for (; is_name_char(*s); s++) {
    if (n + 1 >= MAX_NAME)
      return NULL;
    out[n++] = (char)*s;
  }
  out[n] = '\0';
  return n > 0 ? s : NULL;
}

static bool keyword(const wchar_t **s, const char *word) {
  char name[MAX_NAME];
  const wchar_t *end = take_name(*s, name);
  if (end == NULL || _stricmp(name, word) != 0)
    return false;
  *s = skip_spaces(end);
  return true;
}

/* "SELECT a, b FROM Class [anything]" or "SELECT * FROM Class ...". */
static bool parse_wql(const wchar_t *q, wql_t *out) {
  memset(out, 0, sizeof(*out));
  if (q == NULL)
    return false;
  const wchar_t *s = skip_spaces(q);
  if (!keyword(&s, "SELECT"))
    return false;
  if (*s == L'*') {
    out->all = true;
    s = skip_spaces(s + 1);
  } else {
    for (;;) {
      if (out->num == MAX_SELECTED ||
          (s = take_name(s, out->names[out->num])) == NULL)
        return false;
      out->list[out->num] = out->names[out->num];
      out->num++;
      s = skip_spaces(s);
      if (*s != L',')
        break;
      s = skip_spaces(s + 1);
    }
  }
  if (!keyword(&s, "FROM"))
    return false;
  const wchar_t *end = take_name(s, out->class_name);
  return end != NULL && (*end == L'\0' || !is_name_char(*end));
}

/* "[\\server\ns:]Class[.Key=...|=@]": the class, and whether the path
 * names an instance. A key's value may hold ':', a namespace '.' or '='
 * never. */
static bool parse_path(const wchar_t *path, char *class_name, bool *instance) {
  if (path == NULL)
    return false;
  const wchar_t *start = path;
  if ((start[0] == L'\\' || start[0] == L'/') && start[1] == start[0]) {
    start = wcspbrk(start + 2, L"\\/"); /* past the server */
    if (start == NULL)
      return false;
  }
  const wchar_t *key = wcspbrk(start, L".=");
  const wchar_t *colon = wcschr(start, L':');
  if (colon != NULL && (key == NULL || colon < key))
    start = colon + 1;
  else if (start != path)
    return false; /* a server without a namespace */
  const wchar_t *end = take_name(skip_spaces(start), class_name);
  *instance = key != NULL;
  return end != NULL && (key != NULL ? end == key : *end == L'\0');
}

/* ---- The context a call carries ---- */

static void read_context(IWbemContext *ctx, const wchar_t *name, VARTYPE as,
                         LONG *value, LONG *vt) {
  *value = *vt = PERF_CONTEXT_NONE;
  VARIANT v, n;
  VariantInit(&v);
  VariantInit(&n);
  if (ctx == NULL || FAILED(IWbemContext_GetValue(ctx, name, 0, &v)))
    return;
  *vt = V_VT(&v);
  if (SUCCEEDED(VariantChangeType(&n, &v, 0, as)))
    *value = as == VT_BOOL ? V_BOOL(&n) != VARIANT_FALSE : V_I4(&n);
  VariantClear(&n);
  VariantClear(&v);
}

static void note_context(perf_stats_t *stats, IWbemContext *ctx) {
  LONG pa, pa_vt, ra, ra_vt;
  read_context(ctx, L"__ProviderArchitecture", VT_I4, &pa, &pa_vt);
  read_context(ctx, L"__RequiredArchitecture", VT_BOOL, &ra, &ra_vt);
  InterlockedExchange(&stats->provider_architecture, pa);
  InterlockedExchange(&stats->provider_architecture_vt, pa_vt);
  InterlockedExchange(&stats->required_architecture, ra);
  InterlockedExchange(&stats->required_architecture_vt, ra_vt);
  InterlockedIncrement(ctx != NULL ? &stats->calls_with_context
                                   : &stats->calls_without_context);
}

/* Run k of this statement: the recording's runs[min(k, runs_num-1)]. */
static const perf_run_t *next_run(perf_stats_t *stats,
                                  const perf_recording_t *rec,
                                  const wchar_t *statement) {
  static const perf_run_t empty = {0};
  LONG k = 0;
  EnterCriticalSection(&stats->lock);
  size_t i = 0;
  while (i < stats->queries_num &&
         (stats->queries[i].recording != rec ||
          wcscmp(stats->queries[i].statement, statement) != 0))
    i++;
  if (i == stats->queries_num && i < PERF_MAX_QUERIES) {
    wcsncpy(stats->queries[i].statement, statement,
            sizeof(stats->queries[i].statement) / sizeof(wchar_t) - 1);
    stats->queries[i].recording = rec;
    stats->queries_num++;
  }
  if (i < PERF_MAX_QUERIES)
    k = stats->queries[i].runs++;
  LeaveCriticalSection(&stats->lock);
  if (rec->runs_num == 0)
    return &empty;
  return &rec->runs[(size_t)k < rec->runs_num ? (size_t)k : rec->runs_num - 1];
}

/* ---- A recorded asynchronous call, delivered by a thread of its own ---- */

enum { CALL_PENDING, CALL_DELIVERING, CALL_COMPLETED, CALL_CANCELLED };

typedef struct {
  LONG refs;
  volatile LONG state;
  IWbemObjectSink *sink;
  HANDLE cancelled; /* wakes the worker out of its delay */
  HANDLE delivered; /* set when the delivery ended */
  unsigned delay_ms;
  perf_stats_t *stats;
  IWbemClassObject **objects;
  LONG num;
} call_t;

static void call_release(call_t *c) {
  if (InterlockedDecrement(&c->refs) > 0)
    return;
  for (LONG i = 0; i < c->num; i++)
    IWbemClassObject_Release(c->objects[i]);
  free(c->objects);
  IWbemObjectSink_Release(c->sink);
  CloseHandle(c->cancelled);
  CloseHandle(c->delivered);
  free(c);
}

static DWORD WINAPI call_worker(void *arg) {
  call_t *c = arg;
  perf_stats_t *stats = c->stats;
  HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (c->delay_ms > 0)
    WaitForSingleObject(c->cancelled, c->delay_ms);
  if (InterlockedCompareExchange(&c->state, CALL_DELIVERING, CALL_PENDING) ==
      CALL_PENDING) {
    if (c->num > 0)
      IWbemObjectSink_Indicate(c->sink, c->num, c->objects);
    IWbemObjectSink_SetStatus(c->sink, WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR,
                              NULL, NULL);
    InterlockedExchange(&c->state, CALL_COMPLETED);
    SetEvent(c->delivered);
  }
  if (SUCCEEDED(init))
    CoUninitialize();
  call_release(c);
  InterlockedDecrement(&stats->workers);
  return 0;
}

/* Takes over `objects` (released whatever happens). */
static call_t *call_start(perf_stats_t *stats, IWbemObjectSink *sink,
                          IWbemClassObject **objects, LONG num,
                          unsigned delay_ms) {
  call_t *c = calloc(1, sizeof(*c));
  if (c != NULL) {
    c->cancelled = CreateEventW(NULL, TRUE, FALSE, NULL);
    c->delivered = CreateEventW(NULL, TRUE, FALSE, NULL);
  }
  if (c == NULL || c->cancelled == NULL || c->delivered == NULL) {
    for (LONG i = 0; i < num; i++)
      IWbemClassObject_Release(objects[i]);
    free(objects);
    if (c != NULL) {
      if (c->cancelled)
        CloseHandle(c->cancelled);
      if (c->delivered)
        CloseHandle(c->delivered);
      free(c);
    }
    return NULL;
  }
  c->refs = 2; /* the wrapper's and the worker's */
  c->sink = sink;
  IWbemObjectSink_AddRef(sink);
  c->delay_ms = delay_ms;
  c->stats = stats;
  c->objects = objects;
  c->num = num;
  InterlockedIncrement(&stats->workers);
  HANDLE thread = CreateThread(NULL, 0, call_worker, c, 0, NULL);
  if (thread == NULL) {
    InterlockedDecrement(&stats->workers);
    c->refs = 1;
    call_release(c);
    return NULL;
  }
  CloseHandle(thread);
  return c;
}

/* As WMI's CancelAsyncCall: a pending call hears WBEM_E_CALL_CANCELLED
 * once; one being delivered is waited for (so a sink must not cancel its
 * own call from inside Indicate). */
static void call_cancel(call_t *c) {
  LONG was =
      InterlockedCompareExchange(&c->state, CALL_CANCELLED, CALL_PENDING);
  if (was == CALL_PENDING) {
    SetEvent(c->cancelled);
    IWbemObjectSink_SetStatus(c->sink, WBEM_STATUS_COMPLETE,
                              WBEM_E_CALL_CANCELLED, NULL, NULL);
    InterlockedIncrement(&c->stats->cancelled_pending);
    return;
  }
  if (was == CALL_DELIVERING)
    WaitForSingleObject(c->delivered, INFINITE);
  InterlockedIncrement(&c->stats->cancelled_completed);
}

/* ---- The services wrapper ---- */

typedef struct {
  /* As services_wrapper_t: the forwarders of services_forward.h */
  IWbemServices iface;
  LONG refs;
  IWbemServices *real;
  const perf_recording_t *recs[PERF_MAX_RECORDINGS];
  size_t recs_num;
  perf_stats_t *stats;
  CRITICAL_SECTION lock; /* guards calls */
  call_t *calls[MAX_CALLS];
  size_t calls_num;
} perf_t;

static perf_t *impl(IWbemServices *iface) {
  return CONTAINING_RECORD(iface, perf_t, iface);
}
#define REAL(iface) (impl(iface)->real)

static int find_recording(const perf_t *p, const char *class_name) {
  for (size_t i = 0; i < p->recs_num; i++)
    if (_stricmp(p->recs[i]->class_name, class_name) == 0)
      return (int)i;
  return -1;
}

/* Remembers a started call, forgetting the oldest completed ones when
 * the list is full. */
static void remember_call(perf_t *p, call_t *c) {
  EnterCriticalSection(&p->lock);
  for (size_t i = 0; p->calls_num == MAX_CALLS && i < p->calls_num;) {
    if (p->calls[i]->state == CALL_COMPLETED) {
      call_release(p->calls[i]);
      memmove(&p->calls[i], &p->calls[i + 1],
              (p->calls_num - i - 1) * sizeof(*p->calls));
      p->calls_num--;
    } else {
      i++;
    }
  }
  if (p->calls_num < MAX_CALLS)
    p->calls[p->calls_num++] = c;
  else
    call_release(c); /* all pending: it runs on, unremembered */
  LeaveCriticalSection(&p->lock);
}

/* Takes the latest call made with `sink` out of the list. */
static call_t *take_call(perf_t *p, IWbemObjectSink *sink) {
  call_t *c = NULL;
  EnterCriticalSection(&p->lock);
  for (size_t i = p->calls_num; i-- > 0;)
    if (p->calls[i]->sink == sink) {
      c = p->calls[i];
      memmove(&p->calls[i], &p->calls[i + 1],
              (p->calls_num - i - 1) * sizeof(*p->calls));
      p->calls_num--;
      break;
    }
  LeaveCriticalSection(&p->lock);
  return c;
}

static HRESULT STDMETHODCALLTYPE p_query_interface(IWbemServices *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemServices)) {
    *out = iface;
    InterlockedIncrement(&impl(iface)->refs);
    return S_OK;
  }
  return IWbemServices_QueryInterface(REAL(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE p_add_ref(IWbemServices *iface) {
  return (ULONG)InterlockedIncrement(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE p_release(IWbemServices *iface) {
  perf_t *p = impl(iface);
  LONG refs = InterlockedDecrement(&p->refs);
  if (refs == 0) {
    /* As WMI does when a client disconnects: its calls end. */
    for (size_t i = 0; i < p->calls_num; i++) {
      call_cancel(p->calls[i]);
      call_release(p->calls[i]);
    }
    DeleteCriticalSection(&p->lock);
    IWbemServices_Release(p->real);
    InterlockedDecrement(&p->stats->wrappers);
    free(p);
  }
  return (ULONG)refs;
}

static HRESULT start_call(perf_t *p, IWbemObjectSink *sink,
                          IWbemClassObject **objects, LONG num,
                          unsigned delay_ms) {
  call_t *c = call_start(p->stats, sink, objects, num, delay_ms);
  if (c == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  remember_call(p, c);
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE
p_exec_query_async(IWbemServices *iface, const BSTR lang, const BSTR query,
                   LONG flags, IWbemContext *ctx, IWbemObjectSink *sink) {
  perf_t *p = impl(iface);
  note_context(p->stats, ctx);
  wql_t wql;
  int r = parse_wql(query, &wql) ? find_recording(p, wql.class_name) : -1;
  if (r < 0) {
    InterlockedIncrement(&p->stats->passed_through);
    return IWbemServices_ExecQueryAsync(p->real, lang, query, flags, ctx, sink);
  }
  InterlockedIncrement(&p->stats->exec_query[r]);
  if (sink == NULL || lang == NULL || _wcsicmp(lang, L"WQL") != 0)
    return WBEM_E_INVALID_PARAMETER;
  const perf_recording_t *rec = p->recs[r];
  const perf_run_t *run = next_run(p->stats, rec, query);
  IWbemClassObject **objects =
      calloc(run->num > 0 ? run->num : 1, sizeof(*objects));
  if (objects == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  for (size_t i = 0; i < run->num; i++) {
    objects[i] =
        perf_object_instance(rec, &run->objects[i], wql.all ? NULL : wql.list,
                             wql.num, &p->stats->objects);
    if (objects[i] == NULL) {
      for (size_t j = 0; j < i; j++)
        IWbemClassObject_Release(objects[j]);
      free(objects);
      return WBEM_E_OUT_OF_MEMORY;
    }
  }
  return start_call(p, sink, objects, (LONG)run->num, rec->delay_ms);
}

static HRESULT STDMETHODCALLTYPE p_cancel_async_call(IWbemServices *iface,
                                                     IWbemObjectSink *sink) {
  perf_t *p = impl(iface);
  call_t *c = take_call(p, sink);
  if (c == NULL)
    return IWbemServices_CancelAsyncCall(p->real, sink);
  call_cancel(c);
  call_release(c);
  return WBEM_S_NO_ERROR;
}

/* The recording a GetObject path names as a class; -1: not recorded. An
 * instance path of a recorded class is not supported. */
static int path_recording(perf_t *p, const BSTR path, bool *instance) {
  char class_name[MAX_NAME];
  *instance = false;
  return parse_path(path, class_name, instance) ? find_recording(p, class_name)
                                                : -1;
}

static HRESULT STDMETHODCALLTYPE p_get_object(IWbemServices *iface,
                                              const BSTR path, LONG flags,
                                              IWbemContext *ctx,
                                              IWbemClassObject **out,
                                              IWbemCallResult **result) {
  perf_t *p = impl(iface);
  note_context(p->stats, ctx);
  bool instance;
  int r = path_recording(p, path, &instance);
  if (r < 0) {
    InterlockedIncrement(&p->stats->passed_through);
    return IWbemServices_GetObject(p->real, path, flags, ctx, out, result);
  }
  InterlockedIncrement(&p->stats->get_object[r]);
  if (result != NULL)
    *result = NULL;
  if (instance || (flags & WBEM_FLAG_RETURN_IMMEDIATELY))
    return WBEM_E_NOT_SUPPORTED;
  if (out == NULL)
    return WBEM_E_INVALID_PARAMETER;
  *out = perf_object_class(p->recs[r], &p->stats->objects);
  return *out != NULL ? WBEM_S_NO_ERROR : WBEM_E_OUT_OF_MEMORY;
}

static HRESULT STDMETHODCALLTYPE p_get_object_async(IWbemServices *iface,
                                                    const BSTR path, LONG flags,
                                                    IWbemContext *ctx,
                                                    IWbemObjectSink *sink) {
  perf_t *p = impl(iface);
  note_context(p->stats, ctx);
  bool instance;
  int r = path_recording(p, path, &instance);
  if (r < 0) {
    InterlockedIncrement(&p->stats->passed_through);
    return IWbemServices_GetObjectAsync(p->real, path, flags, ctx, sink);
  }
  InterlockedIncrement(&p->stats->get_object[r]);
  if (instance)
    return WBEM_E_NOT_SUPPORTED;
  if (sink == NULL)
    return WBEM_E_INVALID_PARAMETER;
  IWbemClassObject **objects = calloc(1, sizeof(*objects));
  if (objects == NULL || (objects[0] = perf_object_class(
                              p->recs[r], &p->stats->objects)) == NULL) {
    free(objects);
    return WBEM_E_OUT_OF_MEMORY;
  }
  return start_call(p, sink, objects, 1, p->recs[r]->delay_ms);
}

/* The methods not written above go to WMI unchanged. */
static const IWbemServicesVtbl perf_vtbl = {
    p_query_interface,
    p_add_ref,
    p_release,
    services_forward_open_namespace,
    p_cancel_async_call,
    services_forward_query_object_sink,
    p_get_object,
    p_get_object_async,
    services_forward_put_class,
    services_forward_put_class_async,
    services_forward_delete_class,
    services_forward_delete_class_async,
    services_forward_create_class_enum,
    services_forward_create_class_enum_async,
    services_forward_put_instance,
    services_forward_put_instance_async,
    services_forward_delete_instance,
    services_forward_delete_instance_async,
    services_forward_create_instance_enum,
    services_forward_create_instance_enum_async,
    services_forward_exec_query,
    p_exec_query_async,
    services_forward_exec_notification_query,
    services_forward_exec_notification_query_async,
    services_forward_exec_method,
    services_forward_exec_method_async,
};

IWbemServices *perf_services_wrap(IWbemServices *real,
                                  const perf_recording_t *const *recordings,
                                  size_t num, perf_stats_t *stats) {
  perf_t *p = calloc(1, sizeof(*p));
  if (p == NULL)
    return real;
  p->iface.lpVtbl = &perf_vtbl;
  p->refs = 1;
  p->real = real;
  p->stats = stats;
  p->recs_num = num < PERF_MAX_RECORDINGS ? num : PERF_MAX_RECORDINGS;
  for (size_t i = 0; i < p->recs_num; i++)
    p->recs[i] = recordings[i];
  InitializeCriticalSection(&p->lock);
  InterlockedIncrement(&stats->wrappers);
  return &p->iface;
}
