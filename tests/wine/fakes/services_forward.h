/* The IWbemServices methods the tests' services wrappers (faulty_services,
 * perf_services) pass to the real services unchanged, shared so that each
 * wrapper writes only the methods it changes. A wrapper's struct must
 * begin as services_wrapper_t does: the forwarders find the real services
 * there. */
#ifndef SERVICES_FORWARD_H
#define SERVICES_FORWARD_H

#include <wbemidl.h>

typedef struct {
  IWbemServices iface;
  LONG refs;
  IWbemServices *real;
} services_wrapper_t;

HRESULT STDMETHODCALLTYPE services_forward_open_namespace(
    IWbemServices *i, const BSTR ns, LONG fl, IWbemContext *c,
    IWbemServices **o, IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE services_forward_query_object_sink(
    IWbemServices *i, LONG fl, IWbemObjectSink **o);
HRESULT STDMETHODCALLTYPE services_forward_get_object(IWbemServices *i,
                                                      const BSTR p, LONG fl,
                                                      IWbemContext *c,
                                                      IWbemClassObject **o,
                                                      IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE services_forward_get_object_async(IWbemServices *i,
                                                            const BSTR p,
                                                            LONG fl,
                                                            IWbemContext *c,
                                                            IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_put_class(IWbemServices *i,
                                                     IWbemClassObject *o,
                                                     LONG fl, IWbemContext *c,
                                                     IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE services_forward_put_class_async(IWbemServices *i,
                                                           IWbemClassObject *o,
                                                           LONG fl,
                                                           IWbemContext *c,
                                                           IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_delete_class(IWbemServices *i,
                                                        const BSTR n, LONG fl,
                                                        IWbemContext *c,
                                                        IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE
services_forward_delete_class_async(IWbemServices *i, const BSTR n, LONG fl,
                                    IWbemContext *c, IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE
services_forward_create_class_enum(IWbemServices *i, const BSTR n, LONG fl,
                                   IWbemContext *c, IEnumWbemClassObject **e);
HRESULT STDMETHODCALLTYPE services_forward_create_class_enum_async(
    IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
    IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_put_instance(IWbemServices *i,
                                                        IWbemClassObject *o,
                                                        LONG fl,
                                                        IWbemContext *c,
                                                        IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE services_forward_put_instance_async(
    IWbemServices *i, IWbemClassObject *o, LONG fl, IWbemContext *c,
    IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_delete_instance(IWbemServices *i,
                                                           const BSTR p,
                                                           LONG fl,
                                                           IWbemContext *c,
                                                           IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE
services_forward_delete_instance_async(IWbemServices *i, const BSTR p, LONG fl,
                                       IWbemContext *c, IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_create_instance_enum(
    IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
    IEnumWbemClassObject **e);
HRESULT STDMETHODCALLTYPE services_forward_create_instance_enum_async(
    IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
    IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_exec_query(IWbemServices *i,
                                                      const BSTR l,
                                                      const BSTR q, LONG fl,
                                                      IWbemContext *c,
                                                      IEnumWbemClassObject **e);
HRESULT STDMETHODCALLTYPE services_forward_exec_notification_query(
    IWbemServices *i, const BSTR l, const BSTR q, LONG fl, IWbemContext *c,
    IEnumWbemClassObject **e);
HRESULT STDMETHODCALLTYPE services_forward_exec_notification_query_async(
    IWbemServices *i, const BSTR l, const BSTR q, LONG fl, IWbemContext *c,
    IWbemObjectSink *s);
HRESULT STDMETHODCALLTYPE services_forward_exec_method(
    IWbemServices *i, const BSTR p, const BSTR m, LONG fl, IWbemContext *c,
    IWbemClassObject *in, IWbemClassObject **out, IWbemCallResult **r);
HRESULT STDMETHODCALLTYPE services_forward_exec_method_async(
    IWbemServices *i, const BSTR p, const BSTR m, LONG fl, IWbemContext *c,
    IWbemClassObject *in, IWbemObjectSink *s);

#endif
