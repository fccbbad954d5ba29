#include "services_forward.h"

static IWbemServices *real_of(IWbemServices *iface) {
  return CONTAINING_RECORD(iface, services_wrapper_t, iface)->real;
}

HRESULT STDMETHODCALLTYPE services_forward_open_namespace(
    IWbemServices *i, const BSTR ns, LONG fl, IWbemContext *c,
    IWbemServices **o, IWbemCallResult **r) {
  return IWbemServices_OpenNamespace(real_of(i), ns, fl, c, o, r);
}
HRESULT STDMETHODCALLTYPE services_forward_query_object_sink(
    IWbemServices *i, LONG fl, IWbemObjectSink **o) {
  return IWbemServices_QueryObjectSink(real_of(i), fl, o);
}
HRESULT STDMETHODCALLTYPE services_forward_get_object(IWbemServices *i,
                                                      const BSTR p, LONG fl,
                                                      IWbemContext *c,
                                                      IWbemClassObject **o,
                                                      IWbemCallResult **r) {
  return IWbemServices_GetObject(real_of(i), p, fl, c, o, r);
}
HRESULT STDMETHODCALLTYPE
services_forward_get_object_async(IWbemServices *i, const BSTR p, LONG fl,
                                  IWbemContext *c, IWbemObjectSink *s) {
  return IWbemServices_GetObjectAsync(real_of(i), p, fl, c, s);
}
HRESULT STDMETHODCALLTYPE services_forward_put_class(IWbemServices *i,
                                                     IWbemClassObject *o,
                                                     LONG fl, IWbemContext *c,
                                                     IWbemCallResult **r) {
  return IWbemServices_PutClass(real_of(i), o, fl, c, r);
}
HRESULT STDMETHODCALLTYPE services_forward_put_class_async(IWbemServices *i,
                                                           IWbemClassObject *o,
                                                           LONG fl,
                                                           IWbemContext *c,
                                                           IWbemObjectSink *s) {
  return IWbemServices_PutClassAsync(real_of(i), o, fl, c, s);
}
HRESULT STDMETHODCALLTYPE services_forward_delete_class(IWbemServices *i,
                                                        const BSTR n, LONG fl,
                                                        IWbemContext *c,
                                                        IWbemCallResult **r) {
  return IWbemServices_DeleteClass(real_of(i), n, fl, c, r);
}
HRESULT STDMETHODCALLTYPE
services_forward_delete_class_async(IWbemServices *i, const BSTR n, LONG fl,
                                    IWbemContext *c, IWbemObjectSink *s) {
  return IWbemServices_DeleteClassAsync(real_of(i), n, fl, c, s);
}
HRESULT STDMETHODCALLTYPE
services_forward_create_class_enum(IWbemServices *i, const BSTR n, LONG fl,
                                   IWbemContext *c, IEnumWbemClassObject **e) {
  return IWbemServices_CreateClassEnum(real_of(i), n, fl, c, e);
}
HRESULT STDMETHODCALLTYPE services_forward_create_class_enum_async(
    IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
    IWbemObjectSink *s) {
  return IWbemServices_CreateClassEnumAsync(real_of(i), n, fl, c, s);
}
HRESULT STDMETHODCALLTYPE services_forward_put_instance(IWbemServices *i,
                                                        IWbemClassObject *o,
                                                        LONG fl,
                                                        IWbemContext *c,
                                                        IWbemCallResult **r) {
  return IWbemServices_PutInstance(real_of(i), o, fl, c, r);
}
HRESULT STDMETHODCALLTYPE services_forward_put_instance_async(
    IWbemServices *i, IWbemClassObject *o, LONG fl, IWbemContext *c,
    IWbemObjectSink *s) {
  return IWbemServices_PutInstanceAsync(real_of(i), o, fl, c, s);
}
HRESULT STDMETHODCALLTYPE
services_forward_delete_instance(IWbemServices *i, const BSTR p, LONG fl,
                                 IWbemContext *c, IWbemCallResult **r) {
  return IWbemServices_DeleteInstance(real_of(i), p, fl, c, r);
}
HRESULT STDMETHODCALLTYPE
services_forward_delete_instance_async(IWbemServices *i, const BSTR p, LONG fl,
                                       IWbemContext *c, IWbemObjectSink *s) {
  return IWbemServices_DeleteInstanceAsync(real_of(i), p, fl, c, s);
}
HRESULT STDMETHODCALLTYPE services_forward_create_instance_enum(
    IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
    IEnumWbemClassObject **e) {
  return IWbemServices_CreateInstanceEnum(real_of(i), n, fl, c, e);
}
HRESULT STDMETHODCALLTYPE services_forward_create_instance_enum_async(
    IWbemServices *i, const BSTR n, LONG fl, IWbemContext *c,
    IWbemObjectSink *s) {
  return IWbemServices_CreateInstanceEnumAsync(real_of(i), n, fl, c, s);
}
HRESULT STDMETHODCALLTYPE services_forward_exec_query(
    IWbemServices *i, const BSTR l, const BSTR q, LONG fl, IWbemContext *c,
    IEnumWbemClassObject **e) {
  return IWbemServices_ExecQuery(real_of(i), l, q, fl, c, e);
}
HRESULT STDMETHODCALLTYPE services_forward_exec_notification_query(
    IWbemServices *i, const BSTR l, const BSTR q, LONG fl, IWbemContext *c,
    IEnumWbemClassObject **e) {
  return IWbemServices_ExecNotificationQuery(real_of(i), l, q, fl, c, e);
}
HRESULT STDMETHODCALLTYPE services_forward_exec_notification_query_async(
    IWbemServices *i, const BSTR l, const BSTR q, LONG fl, IWbemContext *c,
    IWbemObjectSink *s) {
  return IWbemServices_ExecNotificationQueryAsync(real_of(i), l, q, fl, c, s);
}
HRESULT STDMETHODCALLTYPE services_forward_exec_method(
    IWbemServices *i, const BSTR p, const BSTR m, LONG fl, IWbemContext *c,
    IWbemClassObject *in, IWbemClassObject **out, IWbemCallResult **r) {
  return IWbemServices_ExecMethod(real_of(i), p, m, fl, c, in, out, r);
}
HRESULT STDMETHODCALLTYPE services_forward_exec_method_async(
    IWbemServices *i, const BSTR p, const BSTR m, LONG fl, IWbemContext *c,
    IWbemClassObject *in, IWbemObjectSink *s) {
  return IWbemServices_ExecMethodAsync(real_of(i), p, m, fl, c, in, s);
}
