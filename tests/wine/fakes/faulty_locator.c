#include "faulty_locator.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  IWbemLocator iface;
  LONG refs;
  IWbemLocator *real;
  locator_plan_t *plan;
} faulty_locator_t;

static faulty_locator_t *impl(IWbemLocator *iface) {
  return CONTAINING_RECORD(iface, faulty_locator_t, iface);
}

int locator_plan_init(locator_plan_t *plan, sim_host_t *hosts,
                      size_t hosts_num) {
  memset(plan, 0, sizeof(*plan));
  plan->hosts = hosts;
  plan->hosts_num = hosts_num;
  plan->released = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (plan->released == NULL)
    return -1;
  InitializeCriticalSection(&plan->serial);
  return 0;
}

void locator_plan_release(locator_plan_t *plan) { SetEvent(plan->released); }

void locator_plan_destroy(locator_plan_t *plan) {
  DeleteCriticalSection(&plan->serial);
  CloseHandle(plan->released);
  plan->released = NULL;
}

sim_host_t *locator_plan_find(locator_plan_t *plan, const char *address) {
  for (size_t i = 0; address != NULL && i < plan->hosts_num; i++)
    if (_stricmp(plan->hosts[i].address, address) == 0)
      return &plan->hosts[i];
  return NULL;
}

bool locator_plan_wait_unblocked(locator_plan_t *plan, DWORD ms) {
  for (DWORD waited = 0; InterlockedCompareExchange(&plan->blocked, 0, 0) > 0;
       waited += 10) {
    if (waited >= ms)
      return false;
    Sleep(10);
  }
  return true;
}

/* Splits "\\address\namespace" (or with forward slashes); false for a
 * local path, which names only the namespace. */
static bool split_path(const wchar_t *path, char *address, size_t len,
                       const wchar_t **ns) {
  if (path == NULL || !((path[0] == L'\\' && path[1] == L'\\') ||
                        (path[0] == L'/' && path[1] == L'/')))
    return false;
  const wchar_t *start = path + 2, *end = start;
  while (*end != L'\0' && *end != L'\\' && *end != L'/')
    end++;
  int n = WideCharToMultiByte(CP_UTF8, 0, start, (int)(end - start), address,
                              (int)len - 1, NULL, NULL);
  address[n > 0 ? n : 0] = '\0';
  *ns = *end != L'\0' ? end + 1 : end;
  return true;
}

static HRESULT real_connect(locator_plan_t *plan, IWbemLocator *real,
                            const BSTR path, const BSTR user,
                            const BSTR password, const BSTR locale, LONG flags,
                            const BSTR authority, IWbemContext *ctx,
                            IWbemServices **out) {
  EnterCriticalSection(&plan->serial);
  InterlockedIncrement(&plan->real_connects);
  HRESULT hr = IWbemLocator_ConnectServer(real, path, user, password, locale,
                                          flags, authority, ctx, out);
  LeaveCriticalSection(&plan->serial);
  return hr;
}

/* A simulated host: its namespace on this machine's WMI, without the
 * credentials (WMI refuses them locally), once the plan allows. */
static HRESULT sim_connect(faulty_locator_t *f, sim_host_t *host,
                           const wchar_t *ns, const BSTR locale,
                           IWbemContext *ctx, IWbemServices **out) {
  locator_plan_t *plan = f->plan;
  InterlockedIncrement(&plan->sim_connects);
  LONG attempt = InterlockedIncrement(&host->connects);
  HRESULT fail = host->hr != 0 ? host->hr : HRESULT_FROM_WIN32(1722);
  switch (host->mode) {
  case SIM_CONNECT_FAIL:
    return fail;
  case SIM_CONNECT_BLOCK:
    InterlockedIncrement(&plan->blocked);
    WaitForSingleObject(plan->released, host->block_ms);
    InterlockedDecrement(&plan->blocked);
    return fail; /* as a dead host's connect ends */
  case SIM_CONNECT_OK:
    if (attempt <= host->fail_first)
      return fail;
    break;
  }
  if (host->delay_ms > 0)
    WaitForSingleObject(plan->released, host->delay_ms);
  BSTR local = SysAllocString(ns);
  if (local == NULL)
    return E_OUTOFMEMORY;
  HRESULT hr =
      real_connect(plan, f->real, local, NULL, NULL, locale, 0, NULL, ctx, out);
  SysFreeString(local);
  return hr;
}

static HRESULT STDMETHODCALLTYPE l_query_interface(IWbemLocator *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemLocator)) {
    *out = iface;
    InterlockedIncrement(&impl(iface)->refs);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE l_add_ref(IWbemLocator *iface) {
  return (ULONG)InterlockedIncrement(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE l_release(IWbemLocator *iface) {
  faulty_locator_t *f = impl(iface);
  LONG refs = InterlockedDecrement(&f->refs);
  if (refs == 0) {
    IWbemLocator_Release(f->real);
    InterlockedDecrement(&f->plan->wrappers);
    free(f);
  }
  return (ULONG)refs;
}

/* Whether a local path names one of the plan's stand-in namespaces. */
static bool is_stand_in(const locator_plan_t *plan, const wchar_t *path) {
  char ns[512];
  if (plan->stand_ins == NULL || path == NULL ||
      WideCharToMultiByte(CP_UTF8, 0, path, -1, ns, sizeof(ns), NULL, NULL) ==
          0)
    return false;
  for (const char *const *s = plan->stand_ins; *s; s++)
    if (_stricmp(*s, ns) == 0)
      return true;
  return false;
}

static HRESULT stand_in_connect(faulty_locator_t *f, const BSTR locale,
                                LONG flags, IWbemContext *ctx,
                                IWbemServices **out) {
  InterlockedIncrement(&f->plan->stand_in_connects);
  BSTR cimv2 = SysAllocString(L"ROOT\\CIMV2");
  if (cimv2 == NULL)
    return E_OUTOFMEMORY;
  HRESULT hr = real_connect(f->plan, f->real, cimv2, NULL, NULL, locale, flags,
                            NULL, ctx, out);
  SysFreeString(cimv2);
  return hr;
}

static HRESULT STDMETHODCALLTYPE
l_connect_server(IWbemLocator *iface, const BSTR path, const BSTR user,
                 const BSTR password, const BSTR locale, LONG flags,
                 const BSTR authority, IWbemContext *ctx, IWbemServices **out) {
  faulty_locator_t *f = impl(iface);
  InterlockedIncrement(&f->plan->connects);
  char address[256];
  const wchar_t *ns = NULL;
  sim_host_t *host = NULL;
  if (split_path(path, address, sizeof(address), &ns))
    host = locator_plan_find(f->plan, address);
  if (host != NULL)
    return sim_connect(f, host, ns, locale, ctx, out);
  if (ns == NULL && is_stand_in(f->plan, path))
    return stand_in_connect(f, locale, flags, ctx, out);
  return real_connect(f->plan, f->real, path, user, password, locale, flags,
                      authority, ctx, out);
}

static const IWbemLocatorVtbl faulty_locator_vtbl = {
    l_query_interface,
    l_add_ref,
    l_release,
    l_connect_server,
};

IWbemLocator *faulty_locator_wrap(IWbemLocator *real, locator_plan_t *plan) {
  faulty_locator_t *f = calloc(1, sizeof(*f));
  if (f == NULL)
    return real;
  f->iface.lpVtbl = &faulty_locator_vtbl;
  f->refs = 1;
  f->real = real;
  f->plan = plan;
  InterlockedIncrement(&plan->wrappers);
  return &f->iface;
}
