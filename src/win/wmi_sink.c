#include "wmi_sink.h"

#include "wmi_variant.h"

#include <stdlib.h>

static volatile LONG live_sinks;

struct wmi_sink_s {
  IWbemObjectSink iface;
  LONG refs;
  wmi_sink_target_t target;
  CRITICAL_SECTION lock; /* guards everything below */
  wmi_batch_t *batch;    /* NULL once published or cancelled */
  bool completed;
  HRESULT status;
  size_t objects;
};

static wmi_sink_t *impl_from_iface(IWbemObjectSink *iface) {
  return CONTAINING_RECORD(iface, wmi_sink_t, iface);
}

static HRESULT STDMETHODCALLTYPE sink_query_interface(IWbemObjectSink *iface,
                                                      REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemObjectSink)) {
    *out = iface;
    IWbemObjectSink_AddRef(iface);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE sink_add_ref(IWbemObjectSink *iface) {
  return (ULONG)InterlockedIncrement(&impl_from_iface(iface)->refs);
}

static ULONG STDMETHODCALLTYPE sink_release(IWbemObjectSink *iface) {
  wmi_sink_t *sink = impl_from_iface(iface);
  LONG refs = InterlockedDecrement(&sink->refs);
  if (refs == 0) {
    wmi_signal_t *completed = sink->target.completed;
    wmi_signal_t *released = sink->target.released;
    wmi_batch_free(sink->batch);
    DeleteCriticalSection(&sink->lock);
    free(sink);
    InterlockedDecrement(&live_sinks);
    wmi_signal_count_down(released);
    /* The signals may outlive their owners: the last reference frees. */
    wmi_signal_unref(released);
    wmi_signal_unref(completed);
  }
  return (ULONG)refs;
}

/* Reads a property for the batch builder; keeps the VARIANT and the text
 * of the last property read alive until the next one. */
typedef struct {
  IWbemClassObject *object;
  VARIANT value;
  char text[512];
} object_reader_t;

static int read_property(void *ctx, const char *name, wmi_cim_value_t *out) {
  object_reader_t *r = ctx;
  wchar_t wide[256];
  if (MultiByteToWideChar(CP_UTF8, 0, name, -1, wide, 256) == 0)
    return -1;
  VariantClear(&r->value);
  CIMTYPE type = CIM_EMPTY;
  if (FAILED(IWbemClassObject_Get(r->object, wide, 0, &r->value, &type, NULL)))
    return -1;
  wmi_variant_to_cim(&r->value, type, r->text, sizeof(r->text), out);
  return 0;
}

static HRESULT STDMETHODCALLTYPE sink_indicate(IWbemObjectSink *iface,
                                               LONG count,
                                               IWbemClassObject **objects) {
  wmi_sink_t *sink = impl_from_iface(iface);
  object_reader_t reader;
  VariantInit(&reader.value);
  EnterCriticalSection(&sink->lock);
  for (LONG i = 0; i < count && sink->batch != NULL; i++) {
    reader.object = objects[i];
    if (wmi_batch_add_object(sink->batch, sink->target.job, read_property,
                             &reader, sink->target.complaints,
                             sink->target.cook) != 0) {
      /* Out of memory: this run cannot be trusted whole. */
      wmi_batch_free(sink->batch);
      sink->batch = NULL;
      sink->status = WBEM_E_OUT_OF_MEMORY;
    }
  }
  LeaveCriticalSection(&sink->lock);
  VariantClear(&reader.value);
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE sink_set_status(IWbemObjectSink *iface,
                                                 LONG flags, HRESULT hr,
                                                 BSTR param,
                                                 IWbemClassObject *obj) {
  (void)param;
  (void)obj;
  if (flags != WBEM_STATUS_COMPLETE)
    return WBEM_S_NO_ERROR; /* progress reports */
  wmi_sink_t *sink = impl_from_iface(iface);
  /* The result is in the cache before the run counts as completed: the
   * host may start the job's next run the moment it sees `completed`, and
   * that run's result must come after this one. */
  EnterCriticalSection(&sink->lock);
  if (!sink->completed) {
    if (sink->status == S_OK)
      sink->status = hr;
    if (sink->batch != NULL) {
      sink->objects = sink->batch->objects;
      if (SUCCEEDED(sink->status)) {
        wmi_batch_finish(sink->batch, sink->target.job, sink->target.complaints,
                         sink->target.cook);
        wmi_cache_publish(sink->target.cache, sink->batch);
      } else {
        wmi_batch_free(sink->batch);
      }
      sink->batch = NULL;
    }
    sink->completed = true;
  }
  LeaveCriticalSection(&sink->lock);
  wmi_signal_raise(sink->target.completed);
  return WBEM_S_NO_ERROR;
}

static const IWbemObjectSinkVtbl sink_vtbl = {
    sink_query_interface, sink_add_ref,    sink_release,
    sink_indicate,        sink_set_status,
};

wmi_sink_t *wmi_sink_new(const wmi_sink_target_t *target, cdtime_t stamp) {
  wmi_sink_t *sink = calloc(1, sizeof(*sink));
  if (sink == NULL)
    return NULL;
  sink->batch = wmi_batch_new(target->job_index, stamp);
  if (sink->batch == NULL) {
    free(sink);
    return NULL;
  }
  sink->iface.lpVtbl = &sink_vtbl;
  sink->refs = 1;
  sink->target = *target;
  InitializeCriticalSection(&sink->lock);
  wmi_signal_ref(target->completed);
  wmi_signal_ref(target->released);
  wmi_signal_count_up(target->released);
  InterlockedIncrement(&live_sinks);
  return sink;
}

long wmi_sink_live(void) {
  return InterlockedCompareExchange(&live_sinks, 0, 0);
}

IWbemObjectSink *wmi_sink_iface(wmi_sink_t *sink) { return &sink->iface; }

void wmi_sink_release(wmi_sink_t *sink) { sink_release(&sink->iface); }

bool wmi_sink_completed(wmi_sink_t *sink, HRESULT *status, size_t *objects) {
  EnterCriticalSection(&sink->lock);
  bool done = sink->completed;
  *status = sink->status;
  *objects = sink->objects;
  LeaveCriticalSection(&sink->lock);
  return done;
}

bool wmi_sink_cancel(wmi_sink_t *sink) {
  EnterCriticalSection(&sink->lock);
  bool completed = sink->completed;
  wmi_batch_free(sink->batch);
  sink->batch = NULL;
  LeaveCriticalSection(&sink->lock);
  return completed;
}
