#include "fake_unsecapp.h"

#include <stdlib.h>

static volatile LONG live_stubs, stubs_made, apartments;

LONG fake_unsecapp_live_stubs(void) {
  return InterlockedCompareExchange(&live_stubs, 0, 0);
}
LONG fake_unsecapp_stubs_made(void) {
  return InterlockedCompareExchange(&stubs_made, 0, 0);
}
LONG fake_unsecapp_apartments(void) {
  return InterlockedCompareExchange(&apartments, 0, 0);
}

/* ---- The stub: an IWbemObjectSink forwarding to the wrapped object ---- */

typedef struct {
  IWbemObjectSink iface;
  LONG refs;
  IWbemObjectSink *target;
} stub_t;

static stub_t *stub_impl(IWbemObjectSink *iface) {
  return CONTAINING_RECORD(iface, stub_t, iface);
}

static HRESULT STDMETHODCALLTYPE s_query_interface(IWbemObjectSink *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemObjectSink)) {
    *out = iface;
    InterlockedIncrement(&stub_impl(iface)->refs);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE s_add_ref(IWbemObjectSink *iface) {
  return (ULONG)InterlockedIncrement(&stub_impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE s_release(IWbemObjectSink *iface) {
  stub_t *s = stub_impl(iface);
  LONG refs = InterlockedDecrement(&s->refs);
  if (refs == 0) {
    IWbemObjectSink_Release(s->target);
    free(s);
    InterlockedDecrement(&live_stubs);
  }
  return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE s_indicate(IWbemObjectSink *iface, LONG n,
                                            IWbemClassObject **objects) {
  return IWbemObjectSink_Indicate(stub_impl(iface)->target, n, objects);
}

static HRESULT STDMETHODCALLTYPE s_set_status(IWbemObjectSink *iface,
                                              LONG flags, HRESULT hr,
                                              BSTR param,
                                              IWbemClassObject *object) {
  return IWbemObjectSink_SetStatus(stub_impl(iface)->target, flags, hr, param,
                                   object);
}

static const IWbemObjectSinkVtbl stub_vtbl = {
    s_query_interface, s_add_ref, s_release, s_indicate, s_set_status,
};

/* ---- The apartment ---- */

typedef struct {
  IUnsecuredApartment iface;
  LONG refs;
} apartment_t;

static apartment_t *apartment_impl(IUnsecuredApartment *iface) {
  return CONTAINING_RECORD(iface, apartment_t, iface);
}

static HRESULT STDMETHODCALLTYPE a_query_interface(IUnsecuredApartment *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IUnsecuredApartment)) {
    *out = iface;
    IUnsecuredApartment_AddRef(iface);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE a_add_ref(IUnsecuredApartment *iface) {
  return (ULONG)InterlockedIncrement(&apartment_impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE a_release(IUnsecuredApartment *iface) {
  apartment_t *a = apartment_impl(iface);
  LONG refs = InterlockedDecrement(&a->refs);
  if (refs == 0) {
    free(a);
    InterlockedDecrement(&apartments);
  }
  return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE a_create_object_stub(IUnsecuredApartment *a,
                                                      IUnknown *object,
                                                      IUnknown **stub) {
  (void)a;
  IWbemObjectSink *target = NULL;
  HRESULT hr =
      IUnknown_QueryInterface(object, &IID_IWbemObjectSink, (void **)&target);
  if (FAILED(hr))
    return hr;
  stub_t *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    IWbemObjectSink_Release(target);
    return E_OUTOFMEMORY;
  }
  s->iface.lpVtbl = &stub_vtbl;
  s->refs = 1;
  s->target = target;
  InterlockedIncrement(&live_stubs);
  InterlockedIncrement(&stubs_made);
  *stub = (IUnknown *)&s->iface;
  return S_OK;
}

static const IUnsecuredApartmentVtbl apartment_vtbl = {
    a_query_interface,
    a_add_ref,
    a_release,
    a_create_object_stub,
};

/* ---- The class factory (static: it lives as long as the process) ---- */

static HRESULT STDMETHODCALLTYPE f_query_interface(IClassFactory *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
    *out = iface;
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE f_add_ref(IClassFactory *iface) {
  (void)iface;
  return 2;
}
static ULONG STDMETHODCALLTYPE f_release(IClassFactory *iface) {
  (void)iface;
  return 1;
}
static HRESULT STDMETHODCALLTYPE f_create_instance(IClassFactory *iface,
                                                   IUnknown *outer, REFIID riid,
                                                   void **out) {
  (void)iface;
  *out = NULL;
  if (outer != NULL)
    return CLASS_E_NOAGGREGATION;
  apartment_t *a = calloc(1, sizeof(*a));
  if (a == NULL)
    return E_OUTOFMEMORY;
  a->iface.lpVtbl = &apartment_vtbl;
  a->refs = 1;
  InterlockedIncrement(&apartments);
  HRESULT hr = IUnsecuredApartment_QueryInterface(&a->iface, riid, out);
  IUnsecuredApartment_Release(&a->iface);
  return hr;
}
static HRESULT STDMETHODCALLTYPE f_lock_server(IClassFactory *iface,
                                               BOOL lock) {
  (void)iface;
  (void)lock;
  return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    f_query_interface, f_add_ref, f_release, f_create_instance, f_lock_server,
};
static IClassFactory factory = {&factory_vtbl};
static DWORD cookie;

HRESULT fake_unsecapp_register(void) {
  if (cookie != 0)
    return S_OK;
  return CoRegisterClassObject(&CLSID_UnsecuredApartment, (IUnknown *)&factory,
                               CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE,
                               &cookie);
}

void fake_unsecapp_revoke(void) {
  if (cookie != 0)
    CoRevokeClassObject(cookie);
  cookie = 0;
}
