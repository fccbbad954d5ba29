#include "faulty_services.h"

#include "services_forward.h"

#include <stdlib.h>
#include <string.h>

int fault_plan_init(fault_plan_t *plan, fault_mode_t mode) {
  memset(plan, 0, sizeof(*plan));
  plan->mode = mode;
  plan->released = CreateEventW(NULL, TRUE, FALSE, NULL);
  return plan->released != NULL ? 0 : -1;
}

void fault_plan_release(fault_plan_t *plan) {
  if (plan->released != NULL)
    SetEvent(plan->released);
}

void fault_plan_destroy(fault_plan_t *plan) {
  if (plan->released != NULL)
    CloseHandle(plan->released);
  plan->released = NULL;
}

BOOL fault_plan_wait_unblocked(fault_plan_t *plan, DWORD ms) {
  for (DWORD waited = 0; InterlockedCompareExchange(&plan->blocked, 0, 0) > 0;
       waited += 10) {
    if (waited >= ms)
      return FALSE;
    Sleep(10);
  }
  return TRUE;
}

/* Waits `ms` or until the plan is released; TRUE when released. */
static BOOL wait_or_release(fault_plan_t *plan, DWORD ms) {
  if (plan->released == NULL) {
    Sleep(ms);
    return FALSE;
  }
  return WaitForSingleObject(plan->released, ms) == WAIT_OBJECT_0;
}

static BOOL block_caller(fault_plan_t *plan) {
  InterlockedIncrement(&plan->blocked);
  BOOL released = wait_or_release(plan, plan->block_ms);
  InterlockedDecrement(&plan->blocked);
  return released;
}

/* ---- A sink between WMI and the caller's, holding a unit of the gate
 * (if any) until its run completes or WMI lets it go, and holding the
 * completion back until the call's due time (late_ms) ---- */

typedef struct {
  IWbemObjectSink iface;
  LONG refs;
  IWbemObjectSink *target;
  fault_plan_t *plan;
  volatile LONG holds_unit;
  volatile LONG in_flight; /* counted in plan->in_flight */
  ULONGLONG due;           /* GetTickCount64: completion not before */
} gate_sink_t;

static gate_sink_t *gate_impl(IWbemObjectSink *iface) {
  return CONTAINING_RECORD(iface, gate_sink_t, iface);
}

static void gate_give_back(gate_sink_t *g) {
  if (InterlockedExchange(&g->holds_unit, 0) != 0)
    ReleaseSemaphore(g->plan->gate, 1, NULL);
}

static void count_call_start(fault_plan_t *plan) {
  LONG now = InterlockedIncrement(&plan->in_flight);
  for (LONG max = plan->max_in_flight; now > max; max = plan->max_in_flight)
    if (InterlockedCompareExchange(&plan->max_in_flight, now, max) == max)
      break;
}

/* The call ended for its caller: completed, failed or cancelled. */
static void count_call_end(gate_sink_t *g) {
  if (InterlockedExchange(&g->in_flight, 0) != 0)
    InterlockedDecrement(&g->plan->in_flight);
}

static HRESULT STDMETHODCALLTYPE g_query_interface(IWbemObjectSink *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemObjectSink)) {
    *out = iface;
    InterlockedIncrement(&gate_impl(iface)->refs);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE g_add_ref(IWbemObjectSink *iface) {
  return (ULONG)InterlockedIncrement(&gate_impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE g_release(IWbemObjectSink *iface) {
  gate_sink_t *g = gate_impl(iface);
  LONG refs = InterlockedDecrement(&g->refs);
  if (refs == 0) {
    gate_give_back(g);
    count_call_end(g);
    IWbemObjectSink_Release(g->target);
    InterlockedDecrement(&g->plan->gated_sinks);
    free(g);
  }
  return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE g_indicate(IWbemObjectSink *iface, LONG n,
                                            IWbemClassObject **objects) {
  return IWbemObjectSink_Indicate(gate_impl(iface)->target, n, objects);
}

static HRESULT STDMETHODCALLTYPE g_set_status(IWbemObjectSink *iface,
                                              LONG flags, HRESULT hr,
                                              BSTR param,
                                              IWbemClassObject *object) {
  gate_sink_t *g = gate_impl(iface);
  if (flags == WBEM_STATUS_COMPLETE) {
    /* On WMI's thread, as a slow provider would keep it. */
    ULONGLONG now = GetTickCount64();
    if (now < g->due) {
      gate_give_back(g); /* WMI's work is done: let the next call in */
      wait_or_release(g->plan, (DWORD)(g->due - now));
    }
    /* Before the caller hears of it: it may start its next call at once. */
    count_call_end(g);
  }
  HRESULT ret = IWbemObjectSink_SetStatus(g->target, flags, hr, param, object);
  if (flags == WBEM_STATUS_COMPLETE)
    gate_give_back(g);
  return ret;
}

static const IWbemObjectSinkVtbl gate_sink_vtbl = {
    g_query_interface, g_add_ref, g_release, g_indicate, g_set_status,
};

/* Takes a unit of the gate if there is one (waiting for it) and returns a
 * sink holding it, its call counted in flight since `entered`; NULL when
 * out of memory. */
static gate_sink_t *gate_sink_new(fault_plan_t *plan, IWbemObjectSink *target,
                                  ULONGLONG entered) {
  gate_sink_t *g = calloc(1, sizeof(*g));
  if (g == NULL)
    return NULL;
  count_call_start(plan);
  g->in_flight = 1;
  if (plan->gate != NULL)
    WaitForSingleObject(plan->gate, INFINITE);
  g->iface.lpVtbl = &gate_sink_vtbl;
  g->refs = 1;
  g->target = target;
  IWbemObjectSink_AddRef(target);
  g->plan = plan;
  g->holds_unit = plan->gate != NULL;
  g->due = entered + plan->late_ms;
  InterlockedIncrement(&plan->gated_sinks);
  return g;
}

/* ---- The services wrapper ---- */

typedef struct {
  /* As services_wrapper_t: the forwarders of services_forward.h */
  IWbemServices iface;
  LONG refs;
  IWbemServices *real;
  fault_plan_t *plan;
  IWbemObjectSink *held; /* the hung call's sink */
  /* The gated call: the caller's sink and the one WMI got instead (one
   * reference), so CancelAsyncCall can name the latter to WMI. */
  IWbemObjectSink *gated_for;
  gate_sink_t *gated;
} faulty_t;

static faulty_t *impl(IWbemServices *iface) {
  return CONTAINING_RECORD(iface, faulty_t, iface);
}
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

static void forget_gated(faulty_t *f) {
  gate_sink_t *g = InterlockedExchangePointer((void **)&f->gated, NULL);
  f->gated_for = NULL;
  if (g != NULL)
    IWbemObjectSink_Release(&g->iface);
}

static ULONG STDMETHODCALLTYPE f_release(IWbemServices *iface) {
  faulty_t *f = impl(iface);
  LONG refs = InterlockedDecrement(&f->refs);
  if (refs == 0) {
    /* As WMI does when a client disconnects: release what it holds. */
    let_go_of_sink(f, WBEM_E_CALL_CANCELLED);
    forget_gated(f);
    IWbemServices_Release(f->real);
    InterlockedDecrement(&f->plan->wrappers);
    free(f);
  }
  return (ULONG)refs;
}

static void hold_sink(faulty_t *f, IWbemObjectSink *sink) {
  IWbemObjectSink_AddRef(sink);
  IWbemObjectSink *old = InterlockedExchangePointer((void **)&f->held, sink);
  if (old != NULL)
    IWbemObjectSink_Release(old);
  else
    InterlockedIncrement(&f->plan->held_sinks);
}

static HRESULT exec_real(faulty_t *f, const BSTR lang, const BSTR query,
                         LONG flags, IWbemContext *ctx, IWbemObjectSink *sink,
                         ULONGLONG entered) {
  if (f->plan->gate == NULL && f->plan->late_ms == 0)
    return IWbemServices_ExecQueryAsync(f->real, lang, query, flags, ctx, sink);
  gate_sink_t *g = gate_sink_new(f->plan, sink, entered);
  if (g == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  HRESULT hr =
      IWbemServices_ExecQueryAsync(f->real, lang, query, flags, ctx, &g->iface);
  if (FAILED(hr)) {
    IWbemObjectSink_Release(&g->iface);
    return hr;
  }
  forget_gated(f); /* a call the caller never cancelled */
  f->gated_for = sink;
  f->gated = g;
  return hr;
}

static HRESULT STDMETHODCALLTYPE
f_exec_query_async(IWbemServices *iface, const BSTR lang, const BSTR query,
                   LONG flags, IWbemContext *ctx, IWbemObjectSink *sink) {
  faulty_t *f = impl(iface);
  fault_plan_t *plan = f->plan;
  ULONGLONG entered = GetTickCount64();
  InterlockedIncrement(&plan->exec_calls);
  if (plan->delay_ms > 0)
    wait_or_release(plan, plan->delay_ms);
  switch (plan->mode) {
  case FAULT_HANG:
  case FAULT_BLOCK_CANCEL:
    hold_sink(f, sink);
    return WBEM_S_NO_ERROR;
  case FAULT_FAIL:
    if (InterlockedDecrement(&plan->count) >= 0)
      return plan->hr;
    break;
  case FAULT_BLOCK_EXEC:
    if (block_caller(plan))
      return WBEM_E_CALL_CANCELLED;
    break;
  case FAULT_NONE:
    break;
  }
  return exec_real(f, lang, query, flags, ctx, sink, entered);
}

static HRESULT STDMETHODCALLTYPE f_cancel_async_call(IWbemServices *iface,
                                                     IWbemObjectSink *sink) {
  faulty_t *f = impl(iface);
  InterlockedIncrement(&f->plan->cancel_calls);
  if (f->held != NULL && f->held == sink) {
    if (f->plan->mode == FAULT_BLOCK_CANCEL)
      block_caller(f->plan);
    let_go_of_sink(f, WBEM_E_CALL_CANCELLED);
    return WBEM_S_NO_ERROR;
  }
  if (f->gated != NULL && f->gated_for == sink) {
    count_call_end(f->gated);
    HRESULT hr = IWbemServices_CancelAsyncCall(f->real, &f->gated->iface);
    forget_gated(f);
    return hr;
  }
  return IWbemServices_CancelAsyncCall(f->real, sink);
}

/* The methods not written above go to WMI unchanged. */
static const IWbemServicesVtbl faulty_vtbl = {
    f_query_interface,
    f_add_ref,
    f_release,
    services_forward_open_namespace,
    f_cancel_async_call,
    services_forward_query_object_sink,
    services_forward_get_object,
    services_forward_get_object_async,
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
    f_exec_query_async,
    services_forward_exec_notification_query,
    services_forward_exec_notification_query_async,
    services_forward_exec_method,
    services_forward_exec_method_async,
};

IWbemServices *faulty_services_wrap(IWbemServices *real, fault_plan_t *plan) {
  faulty_t *f = calloc(1, sizeof(*f));
  if (f == NULL)
    return real;
  f->iface.lpVtbl = &faulty_vtbl;
  f->refs = 1;
  f->real = real;
  f->plan = plan;
  InterlockedIncrement(&plan->wrappers);
  return &f->iface;
}
