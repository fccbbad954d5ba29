/* Benchmark 3: the backend's overhead over bare enumeration,
 * under Wine. For the same rows, CPU per run of
 *   - the backend: one job, from ExecQueryAsync to values in the cache
 *     (process CPU over N completed runs: the host thread, WMI's threads,
 *     the sink's conversion, the scheduler; the results are taken out of
 *     the cache and freed as collectd's read callback would), and
 *   - a minimal synchronous loop: ExecQuery, Next one object at a time,
 *     Get the same properties, release.
 * Wine's WMI runs in the process, so its own work is in both. Row sources
 * under Wine: Win32_Process (all processes, ~10), Win32_Directory and
 * CIM_DataFile naming 100 and 1,000 directories or files in an OR'ed WHERE
 * clause (one object per name; created here under C:\collectd-wmi-bench).
 * CIM_DataFile has only Name and Version in Wine, and Version is NULL for
 * a non-PE file, so its runs convert names but cache no value;
 * Win32_Directory's AccessMask gives one value per row.
 *
 *   overhead.exe [SECONDS_PER_CASE]   (default 20)
 *
 * Needs Z: marked as a network drive in the prefix, or each WHERE walks
 * the whole Linux file system. Prints one "overhead:" line per case. */
#include "log_capture.h"
#include "wine_test.h"
#include "wmi_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE "C:\\collectd-wmi-bench"

typedef struct {
  const char *label;
  const char *cls;
  const char *keys[2]; /* InstancesFrom */
  const char *value;   /* ValuesFrom */
  int named;           /* 0: every object of the class */
  bool files;          /* name files (else directories) */
} bench_case_t;

static const bench_case_t cases[] = {
    {"Win32_Process (every process)",
     "Win32_Process",
     {"Name", "ProcessId"},
     "WorkingSetSize",
     0,
     false},
    {"Win32_Directory, 100 named",
     "Win32_Directory",
     {"Name"},
     "AccessMask",
     100,
     false},
    {"Win32_Directory, 1000 named",
     "Win32_Directory",
     {"Name"},
     "AccessMask",
     1000,
     false},
    {"CIM_DataFile, 100 named", "CIM_DataFile", {"Name"}, "Version", 100, true},
    {"CIM_DataFile, 1000 named",
     "CIM_DataFile",
     {"Name"},
     "Version",
     1000,
     true},
};

static uint64_t cpu_100ns(void) {
  FILETIME created, exited, kernel, user;
  GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
  return (((uint64_t)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime) +
         (((uint64_t)user.dwHighDateTime << 32) | user.dwLowDateTime);
}

static void entry_path(char *out, size_t len, const bench_case_t *c, int i) {
  snprintf(out, len, BASE "\\%s%d\\%c%04d", c->files ? "f" : "d", c->named,
           c->files ? 'f' : 'd', i);
}

/* The directory of `c` with its `named` entries. */
static int make_tree(const bench_case_t *c) {
  char path[MAX_PATH];
  CreateDirectoryA(BASE, NULL);
  snprintf(path, sizeof(path), BASE "\\%s%d", c->files ? "f" : "d", c->named);
  CreateDirectoryA(path, NULL);
  for (int i = 0; i < c->named; i++) {
    entry_path(path, sizeof(path), c, i);
    if (!c->files) {
      if (!CreateDirectoryA(path, NULL) &&
          GetLastError() != ERROR_ALREADY_EXISTS)
        return -1;
      continue;
    }
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
      return -1;
    CloseHandle(h);
  }
  return 0;
}

/* Appends `s` with every backslash doubled (WQL string literals). */
static size_t append_doubled(char *out, size_t n, const char *s) {
  for (; *s; s++) {
    if (*s == '\\')
      out[n++] = '\\';
    out[n++] = *s;
  }
  out[n] = '\0';
  return n;
}

static char *wql_of(const bench_case_t *c) {
  size_t cap = 256 + (size_t)c->named * 96;
  char *q = malloc(cap);
  if (q == NULL)
    return NULL;
  size_t n = (size_t)snprintf(q, cap, "SELECT %s%s%s, %s FROM %s", c->keys[0],
                              c->keys[1] ? ", " : "",
                              c->keys[1] ? c->keys[1] : "", c->value, c->cls);
  for (int i = 0; i < c->named; i++) {
    char path[MAX_PATH];
    entry_path(path, sizeof(path), c, i);
    n += (size_t)snprintf(q + n, cap - n, "%sName='", i ? " OR " : " WHERE ");
    n = append_doubled(q, n, path);
    n += (size_t)snprintf(q + n, cap - n, "'");
  }
  return q;
}

/* ---- The baseline: a minimal synchronous loop ---- */

typedef struct {
  IWbemServices *svc;
  BSTR lang, query;
  BSTR props[3];
  size_t props_num;
} sync_t;

static int sync_open(sync_t *s, const bench_case_t *c, const char *wql) {
  memset(s, 0, sizeof(*s));
  IWbemLocator *locator = NULL;
  BSTR ns = SysAllocString(L"root\\cimv2");
  wchar_t *wq = wmi_wide_from_utf8(wql);
  s->query = SysAllocString(wq);
  free(wq);
  s->lang = SysAllocString(L"WQL");
  const char *names[] = {c->keys[0], c->keys[1], c->value};
  for (size_t i = 0; i < 3; i++) {
    if (names[i] == NULL)
      continue;
    wchar_t *w = wmi_wide_from_utf8(names[i]);
    s->props[s->props_num++] = SysAllocString(w);
    free(w);
  }
  HRESULT hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IWbemLocator, (void **)&locator);
  if (SUCCEEDED(hr))
    hr = IWbemLocator_ConnectServer(locator, ns, NULL, NULL, NULL, 0, NULL,
                                    NULL, &s->svc);
  if (locator != NULL)
    IWbemLocator_Release(locator);
  SysFreeString(ns);
  return SUCCEEDED(hr) ? 0 : -1;
}

static void sync_close(sync_t *s) {
  if (s->svc != NULL)
    IWbemServices_Release(s->svc);
  SysFreeString(s->lang);
  SysFreeString(s->query);
  for (size_t i = 0; i < s->props_num; i++)
    SysFreeString(s->props[i]);
}

/* One run; returns the rows, or -1. */
static int sync_run(sync_t *s) {
  IEnumWbemClassObject *e = NULL;
  if (FAILED(IWbemServices_ExecQuery(
          s->svc, s->lang, s->query,
          WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, NULL, &e)))
    return -1;
  int rows = 0;
  IWbemClassObject *obj;
  ULONG got;
  while (IEnumWbemClassObject_Next(e, WBEM_INFINITE, 1, &obj, &got) == S_OK &&
         got == 1) {
    for (size_t i = 0; i < s->props_num; i++) {
      VARIANT v;
      VariantInit(&v);
      IWbemClassObject_Get(obj, s->props[i], 0, &v, NULL, NULL);
      VariantClear(&v);
    }
    IWbemClassObject_Release(obj);
    rows++;
  }
  IEnumWbemClassObject_Release(e);
  return rows;
}

/* ---- For comparison: bare asynchronous enumeration ----
 * ExecQueryAsync with a sink that only Gets the same properties, waited
 * for on the calling thread, then CancelAsyncCall (Wine frees the call's
 * slot only then). What Wine's asynchronous path costs by itself, before
 * any scheduling or conversion. */

typedef struct {
  IWbemObjectSink iface;
  sync_t *s;
  HANDLE done;
  volatile LONG rows;
} bare_sink_t;

static bare_sink_t *bare_impl(IWbemObjectSink *iface) {
  return CONTAINING_RECORD(iface, bare_sink_t, iface);
}

static HRESULT STDMETHODCALLTYPE b_query_interface(IWbemObjectSink *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemObjectSink)) {
    *out = iface;
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}
/* The sink lives on the caller's stack for one run: no counting needed
 * once CancelAsyncCall returned. */
static ULONG STDMETHODCALLTYPE b_add_ref(IWbemObjectSink *iface) {
  (void)iface;
  return 2;
}
static ULONG STDMETHODCALLTYPE b_release(IWbemObjectSink *iface) {
  (void)iface;
  return 1;
}
static HRESULT STDMETHODCALLTYPE b_indicate(IWbemObjectSink *iface, LONG n,
                                            IWbemClassObject **objects) {
  bare_sink_t *b = bare_impl(iface);
  for (LONG i = 0; i < n; i++) {
    for (size_t p = 0; p < b->s->props_num; p++) {
      VARIANT v;
      VariantInit(&v);
      IWbemClassObject_Get(objects[i], b->s->props[p], 0, &v, NULL, NULL);
      VariantClear(&v);
    }
  }
  InterlockedExchangeAdd(&b->rows, n);
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE b_set_status(IWbemObjectSink *iface,
                                              LONG flags, HRESULT hr,
                                              BSTR param,
                                              IWbemClassObject *object) {
  (void)hr;
  (void)param;
  (void)object;
  if (flags == WBEM_STATUS_COMPLETE)
    SetEvent(bare_impl(iface)->done);
  return S_OK;
}
static const IWbemObjectSinkVtbl bare_vtbl = {
    b_query_interface, b_add_ref, b_release, b_indicate, b_set_status,
};

static int async_run(sync_t *s, HANDLE done) {
  bare_sink_t b = {{&bare_vtbl}, s, done, 0};
  if (FAILED(IWbemServices_ExecQueryAsync(
          s->svc, s->lang, s->query, WBEM_FLAG_BIDIRECTIONAL, NULL, &b.iface)))
    return -1;
  WaitForSingleObject(done, INFINITE);
  IWbemServices_CancelAsyncCall(s->svc, &b.iface);
  return (int)b.rows;
}

/* CPU per run of `runs` runs of sync_run (async false) or async_run. */
static double cpu_per_run(sync_t *s, bool async, int runs, double *wall_ms) {
  HANDLE done = CreateEventW(NULL, FALSE, FALSE, NULL);
  uint64_t c0 = cpu_100ns();
  DWORD t0 = GetTickCount();
  for (int i = 0; i < runs; i++)
    async ? async_run(s, done) : sync_run(s);
  double cpu = (double)(cpu_100ns() - c0) / 10.0 / runs;
  *wall_ms = (double)(GetTickCount() - t0) / runs;
  CloseHandle(done);
  return cpu;
}

/* ---- The backend ---- */

/* The WQL as a quoted config string: backslashes and quotes escaped. */
static char *stanza_of(const bench_case_t *c, const char *wql,
                       double interval) {
  size_t cap = 2 * strlen(wql) + 1024;
  char *s = malloc(cap);
  if (s == NULL)
    return NULL;
  size_t n = (size_t)snprintf(s, cap, "<Query \"q\">\nStatement \"");
  for (const char *p = wql; *p; p++) {
    if (*p == '\\' || *p == '"')
      s[n++] = '\\';
    s[n++] = *p;
  }
  snprintf(s + n, cap - n,
           "\"\n<Result>\nType \"gauge\"\nInstancesFrom \"%s\"%s%s%s\n"
           "ValuesFrom \"%s\"\n</Result>\n</Query>\n<Host \"local\">\n"
           "Interval %.1f\nQuery \"q\"\n</Host>\n",
           c->keys[0], c->keys[1] ? " \"" : "", c->keys[1] ? c->keys[1] : "",
           c->keys[1] ? "\"" : "", c->value, interval);
  return s;
}

static uint64_t completed(test_run_t *run) {
  wmi_job_stats_t s;
  wmi_backend_job_stats(run->backend, 0, &s);
  return s.completed;
}

/* Takes the results out as collectd's read callback would; returns the
 * samples of the last one. */
static size_t drain(test_run_t *run, size_t last) {
  wmi_batch_t *next;
  for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
    next = b->next;
    last = b->samples_num;
    wmi_batch_free(b);
  }
  return last;
}

static bool wait_completed(test_run_t *run, uint64_t target, DWORD ms,
                           size_t *samples) {
  for (DWORD t0 = GetTickCount(); completed(run) < target;) {
    if (GetTickCount() - t0 > ms)
      return false;
    Sleep(50); /* about as often as a read callback, and as cheap */
    *samples = drain(run, *samples);
  }
  return true;
}

/* CPU per second of a started backend whose one job is not due (its
 * interval is a day): the scheduler's and the reader's wake-ups, which a
 * run's cost should not be charged with. */
static double idle_us_per_s(const bench_case_t *c, const char *wql) {
  char *stanza = stanza_of(c, wql, 86400.0);
  test_run_t run;
  if (stanza == NULL || test_run_start(&run, stanza, NULL) != 0) {
    free(stanza);
    return 0;
  }
  size_t samples = 0;
  Sleep(500);
  uint64_t c0 = cpu_100ns();
  DWORD t0 = GetTickCount();
  wait_completed(&run, 1, 10000, &samples); /* never completes: 10 s */
  double rate = (double)(cpu_100ns() - c0) / 10.0 /
                ((double)(GetTickCount() - t0) / 1000.0);
  if (completed(&run) > 0)
    rate = 0; /* its slot fell in the window after all: no figure */
  test_run_stop(&run);
  free(stanza);
  return rate;
}

static void bench(const bench_case_t *c, int seconds, double idle) {
  char *wql = wql_of(c);
  sync_t s;
  if (wql == NULL || (c->named > 0 && make_tree(c) != 0) ||
      sync_open(&s, c, wql) != 0) {
    printf("overhead: %s: setup failed\n", c->label);
    free(wql);
    return;
  }
  /* The baseline, and from its pace the backend's interval and runs. */
  int rows = sync_run(&s);
  DWORD w0 = GetTickCount();
  sync_run(&s);
  double wall_s = (double)(GetTickCount() - w0) / 1000.0;
  double interval = wall_s * 1.5 + 0.05;
  interval = interval < 0.1 ? 0.1 : (double)(int)(interval * 10 + 0.99) / 10;
  int runs = (int)((double)seconds / interval);
  runs = runs < 10 ? 10 : runs > 300 ? 300 : runs;
  /* At least 2 s of synchronous runs: CPU time has 10 ms ticks. */
  int sync_runs = wall_s > 0 ? (int)(2.0 / wall_s) : 2000;
  sync_runs = sync_runs < runs ? runs : sync_runs > 2000 ? 2000 : sync_runs;

  double sync_wall, async_wall;
  double sync_cpu = cpu_per_run(&s, false, sync_runs, &sync_wall);
  double async_cpu = cpu_per_run(&s, true, sync_runs, &async_wall);

  char *stanza = stanza_of(c, wql, interval);
  test_run_t run;
  if (stanza == NULL || test_run_start(&run, stanza, NULL) != 0) {
    printf("overhead: %s: the backend did not start: %s\n", c->label,
           log_captured_all());
    sync_close(&s);
    free(stanza);
    free(wql);
    return;
  }
  size_t samples = 0;
  DWORD limit = (DWORD)(interval * 1000) * (DWORD)(runs + 5) + 10000;
  bool ok = wait_completed(&run, 2, limit, &samples); /* warm-up */
  uint64_t first = completed(&run);
  uint64_t c0 = cpu_100ns();
  DWORD t0 = GetTickCount();
  ok = ok && wait_completed(&run, first + (uint64_t)runs, limit, &samples);
  uint64_t done = completed(&run) - first;
  double spent = (double)(cpu_100ns() - c0) / 10.0;
  double secs = (double)(GetTickCount() - t0) / 1000.0;
  double raw = done ? spent / (double)done : 0;
  double net = done ? (spent - idle * secs) / (double)done : 0;
  wmi_job_stats_t st;
  wmi_backend_job_stats(run.backend, 0, &st);
  bool clean = test_run_stop(&run);
  /* Once more after the backend: the mean of both, against drift. */
  double wall2;
  sync_cpu = (sync_cpu + cpu_per_run(&s, false, sync_runs, &wall2)) / 2;
  sync_close(&s);

  printf("overhead: %s: rows %d | sync %.0f us CPU/run (%.1f ms wall, %d "
         "runs) | bare async %.0f us (%.1f ms wall) | backend %.0f us "
         "CPU/run, %.0f us without its idle %.0f us/s (%.1f ms to complete, "
         "%zu objects, %zu values cached, %" PRIu64
         " runs at %.1f s) | ratio %.2f, %.2f "
         "without idle (to bare async: %.2f)%s%s\n",
         c->label, rows, sync_cpu, sync_wall, sync_runs, async_cpu, async_wall,
         raw, net, idle, CDTIME_T_TO_DOUBLE(st.last_duration) * 1000.0,
         st.last_objects, samples, done, interval,
         sync_cpu > 0 ? raw / sync_cpu : 0.0,
         sync_cpu > 0 ? net / sync_cpu : 0.0,
         async_cpu > 0 ? net / async_cpu : 0.0, ok ? "" : " (TIMED OUT)",
         clean ? "" : " (stop not clean)");
  fflush(stdout);
  free(stanza);
  free(wql);
}

int main(int argc, char **argv) {
  int seconds = argc > 1 ? atoi(argv[1]) : 20;
  if (seconds < 1 || FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) {
    fprintf(stderr, "usage: overhead.exe [SECONDS_PER_CASE]\n");
    return 2;
  }
  log_capture_start();
  char *wql = wql_of(&cases[0]);
  double idle = wql ? idle_us_per_s(&cases[0], wql) : 0;
  free(wql);
  printf("overhead: a started backend whose job is not due uses %.0f us "
         "CPU per second (its wake-ups and the reader's)\n",
         idle);
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    bench(&cases[i], seconds, idle);
  log_capture_stop();
  CoUninitialize();
  return 0;
}
