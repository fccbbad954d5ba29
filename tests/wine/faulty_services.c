#include "faulty_services.h"

#include <stdlib.h>

typedef struct {
  IWbemServices iface;
  LONG refs;
  IWbemServices *real;
  fault_plan_t *plan;
  IWbemObjectSink *held; /* the hung call's sink */
} faulty_t;

static faulty_t *impl(IWbemServices *iface) { return (faulty_t *)iface; }
#define REAL(iface) (impl(iface)->real)

static HRESULT STDMETHODCALLTYPE f_query_interface(IWbemServices *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemServices)) {
    *out = iface;
    InterlockedIncrement(&impl(iface)->refs);
    return S_OK;
  }
  return IWbemServices_QueryInterface(REAL(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE f_add_ref(IWbemServices *iface) {
  return (ULONG)InterlockedIncrement(&impl(iface)->refs);
}

static void let_go_of_sink(faulty_t *f, HRESULT status) {
  IWbemObjectSink *sink = InterlockedExchangePointer((void **)&f->held, NULL);
  if (sink == NULL)
    return;
  IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, status, NULL, NULL);
  IWbemObjectSink_Release(sink);
  InterlockedDecrement(&f->plan->held_sinks);
}

static ULONG STDMETHODCALLTYPE f_release(IWbemServices *iface) {
  faulty_t *f = impl(iface);
  LONG refs = InterlockedDecrement(&f->refs);
  if (refs == 0) {
    /* As WMI does when a client disconnects: release what it holds. */
    let_go_of_sink(f, WBEM_E_CALL_CANCELLED);
    IWbemServices_Release(f->real);
    InterlockedDecrement(&f->plan->wrappers);
    free(f);
  }
  return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE
f_exec_query_async(IWbemServices *iface, const BSTR lang, const BSTR query,
                   LONG flags, IWbemContext *ctx, IWbemObjectSink *sink) {
  faulty_t *f = impl(iface);
  InterlockedIncrement(&f->plan->exec_calls);
  if (f->plan->mode == FAULT_HANG) {
    IWbemObjectSink_AddRef(sink);
    IWbemObjectSink *old = InterlockedExchangePointer((void **)&f->held, sink);
    if (old != NULL)
      IWbemObjectSink_Release(old);
    else
      InterlockedIncrement(&f->plan->held_sinks);
    return WBEM_S_NO_ERROR;
  }
  if (f->plan->mode == FAULT_FAIL && InterlockedDecrement(&f->plan->count) >= 0)
    return f->plan->hr;
  return IWbemServices_ExecQueryAsync(f->real, lang, query, flags, ctx, sink);
}

static HRESULT STDMETHODCALLTYPE f_cancel_async_call(IWbemServices *iface,
                                                     IWbemObjectSink *sink) {
  faulty_t *f = impl(iface);
  InterlockedIncrement(&f->plan->cancel_calls);
  if (f->held != NULL && f->held == sink) {
    let_go_of_sink(f, WBEM_E_CALL_CANCELLED);
    return WBEM_S_NO_ERROR;
  }
  return IWbemServices_CancelAsyncCall(f->real, sink);
}

/* Everything else goes to WMI unchanged. */
static HRESULT STDMETHODCALLTYPE f_open_namespace(IWbemServices *i,
                                                  const BSTR ns, LONG fl,
                                                  IWbemContext *c,
                                                  IWbemServices **o,
                                                  IWbemCallResult **r) {
  return IWbemServices_OpenNamespace(REAL(i), ns, fl, c, o, r);
}
static HRESULT STDMETHODCALLTYPE f_query_object_sink(IWbemServices *i, LONG fl,
                                                     IWbemObjectSink **o) {
  return IWbemServices_QueryObjectSink(REAL(i), fl, o);
}
static HRESULT STDMETHODCALLTYPE f_get_object(IWbemServices *i, const BSTR p,
                                              LONG fl, IWbemContext *c,
                                              IWbemClassObject **o,
                                              IWbemCallResult **r) {
  return IWbemServices_GetObject(REAL(i), p, fl, c, o, r);
}
static HRESULT STDMETHODCALLTYPE f_get_object_async(IWbemServices *i,
                                                    const BSTR p, LONG fl,
                                                    IWbemContext *c,
                                                    IWbemObjectSink *s) {
  return IWbemServices_GetObjectAsync(REAL(i), p, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_put_class(IWbemServices *i,
                                             IWbemClassObject *o, LONG fl,
                                             IWbemContext *c,
                                             IWbemCallResult **r) {
  return IWbemServices_PutClass(REAL(i), o, fl, c, r);
}
static HRESULT STDMETHODCALLTYPE f_put_class_async(IWbemServices *i,
                                                   IWbemClassObject *o, LONG fl,
                                                   IWbemContext *c,
                                                   IWbemObjectSink *s) {
  return IWbemServices_PutClassAsync(REAL(i), o, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_delete_class(IWbemServices *i, const BSTR n,
                                                LONG fl, IWbemContext *c,
                                                IWbemCallResult **r) {
  return IWbemServices_DeleteClass(REAL(i), n, fl, c, r);
}
static HRESULT STDMETHODCALLTYPE f_delete_class_async(IWbemServices *i,
                                                      const BSTR n, LONG fl,
                                                      IWbemContext *c,
                                                      IWbemObjectSink *s) {
  return IWbemServices_DeleteClassAsync(REAL(i), n, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_create_class_enum(IWbemServices *i,
                                                     const BSTR n, LONG fl,
                                                     IWbemContext *c,
                                                     IEnumWbemClassObject **e) {
  return IWbemServices_CreateClassEnum(REAL(i), n, fl, c, e);
}
static HRESULT STDMETHODCALLTYPE f_create_class_enum_async(IWbemServices *i,
                                                           const BSTR n,
                                                           LONG fl,
                                                           IWbemContext *c,
                                                           IWbemObjectSink *s) {
  return IWbemServices_CreateClassEnumAsync(REAL(i), n, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_put_instance(IWbemServices *i,
                                                IWbemClassObject *o, LONG fl,
                                                IWbemContext *c,
                                                IWbemCallResult **r) {
  return IWbemServices_PutInstance(REAL(i), o, fl, c, r);
}
static HRESULT STDMETHODCALLTYPE f_put_instance_async(IWbemServices *i,
                                                      IWbemClassObject *o,
                                                      LONG fl, IWbemContext *c,
                                                      IWbemObjectSink *s) {
  return IWbemServices_PutInstanceAsync(REAL(i), o, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_delete_instance(IWbemServices *i,
                                                   const BSTR p, LONG fl,
                                                   IWbemContext *c,
                                                   IWbemCallResult **r) {
  return IWbemServices_DeleteInstance(REAL(i), p, fl, c, r);
}
static HRESULT STDMETHODCALLTYPE f_delete_instance_async(IWbemServices *i,
                                                         const BSTR p, LONG fl,
                                                         IWbemContext *c,
                                                         IWbemObjectSink *s) {
  return IWbemServices_DeleteInstanceAsync(REAL(i), p, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE
f_create_instance_enum(IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
                       IEnumWbemClassObject **e) {
  return IWbemServices_CreateInstanceEnum(REAL(i), n, fl, c, e);
}
static HRESULT STDMETHODCALLTYPE
f_create_instance_enum_async(IWbemServices *i, const BSTR n, LONG fl,
                             IWbemContext *c, IWbemObjectSink *s) {
  return IWbemServices_CreateInstanceEnumAsync(REAL(i), n, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_exec_query(IWbemServices *i, const BSTR l,
                                              const BSTR q, LONG fl,
                                              IWbemContext *c,
                                              IEnumWbemClassObject **e) {
  return IWbemServices_ExecQuery(REAL(i), l, q, fl, c, e);
}
static HRESULT STDMETHODCALLTYPE
f_exec_notification_query(IWbemServices *i, const BSTR l, const BSTR q, LONG fl,
                          IWbemContext *c, IEnumWbemClassObject **e) {
  return IWbemServices_ExecNotificationQuery(REAL(i), l, q, fl, c, e);
}
static HRESULT STDMETHODCALLTYPE
f_exec_notification_query_async(IWbemServices *i, const BSTR l, const BSTR q,
                                LONG fl, IWbemContext *c, IWbemObjectSink *s) {
  return IWbemServices_ExecNotificationQueryAsync(REAL(i), l, q, fl, c, s);
}
static HRESULT STDMETHODCALLTYPE f_exec_method(
    IWbemServices *i, const BSTR p, const BSTR m, LONG fl, IWbemContext *c,
    IWbemClassObject *in, IWbemClassObject **out, IWbemCallResult **r) {
  return IWbemServices_ExecMethod(REAL(i), p, m, fl, c, in, out, r);
}
static HRESULT STDMETHODCALLTYPE f_exec_method_async(IWbemServices *i,
                                                     const BSTR p, const BSTR m,
                                                     LONG fl, IWbemContext *c,
                                                     IWbemClassObject *in,
                                                     IWbemObjectSink *s) {
  return IWbemServices_ExecMethodAsync(REAL(i), p, m, fl, c, in, s);
}

static const IWbemServicesVtbl faulty_vtbl = {
    f_query_interface,
    f_add_ref,
    f_release,
    f_open_namespace,
    f_cancel_async_call,
    f_query_object_sink,
    f_get_object,
    f_get_object_async,
    f_put_class,
    f_put_class_async,
    f_delete_class,
    f_delete_class_async,
    f_create_class_enum,
    f_create_class_enum_async,
    f_put_instance,
    f_put_instance_async,
    f_delete_instance,
    f_delete_instance_async,
    f_create_instance_enum,
    f_create_instance_enum_async,
    f_exec_query,
    f_exec_query_async,
    f_exec_notification_query,
    f_exec_notification_query_async,
    f_exec_method,
    f_exec_method_async,
};

IWbemServices *faulty_services_wrap(IWbemServices *real, fault_plan_t *plan) {
  faulty_t *f = calloc(1, sizeof(*f));
  if (f == NULL)
    return real;
  f->iface.lpVtbl = (IWbemServicesVtbl *)&faulty_vtbl;
  f->refs = 1;
  f->real = real;
  f->plan = plan;
  InterlockedIncrement(&plan->wrappers);
  return &f->iface;
}
