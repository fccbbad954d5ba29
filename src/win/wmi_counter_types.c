#include "wmi_counter_types.h"

#include "wmi_text.h"
#include "wmi_wql.h"

#include <stdio.h>
#include <stdlib.h>

/* A property's CounterType qualifier in a class definition. */
static int counter_type_qualifier(void *ctx, const char *property,
                                  uint32_t *type) {
  IWbemClassObject *cls = ctx;
  wchar_t *wide = wmi_wide_from_utf8(property);
  IWbemQualifierSet *qualifiers = NULL;
  HRESULT hr =
      wide ? IWbemClassObject_GetPropertyQualifierSet(cls, wide, &qualifiers)
           : E_OUTOFMEMORY;
  free(wide);
  if (FAILED(hr))
    return -1;
  VARIANT v;
  VariantInit(&v);
  hr = IWbemQualifierSet_Get(qualifiers, L"CounterType", 0, &v, NULL);
  IWbemQualifierSet_Release(qualifiers);
  bool ok = SUCCEEDED(hr) && (V_VT(&v) == VT_I4 || V_VT(&v) == VT_UI4);
  if (ok)
    *type = (uint32_t)V_I4(&v);
  VariantClear(&v);
  return ok ? 0 : -1;
}

HRESULT wmi_counter_types_read(IWbemServices *services, IWbemContext *context,
                               const wmi_job_t *job, wmi_cook_t *cook,
                               const char *volatile *current_call, char *what,
                               size_t what_len, bool *unusable) {
  char class_name[WMI_PROPERTY_MAX] = "";
  *unusable = false;
  wmi_wql_class(job->query->statement, class_name, sizeof(class_name));
  snprintf(what, what_len,
           "reading the CounterType qualifiers of class \"%s\" failed",
           class_name);
  BSTR path = bstr_from_utf8(class_name);
  if (path == NULL)
    return E_OUTOFMEMORY;
  IWbemClassObject *cls = NULL;
  *current_call = "GetObject";
  HRESULT hr = IWbemServices_GetObject(
      services, path, WBEM_FLAG_RETURN_WBEM_COMPLETE, context, &cls, NULL);
  *current_call = NULL;
  SysFreeString(path);
  if (FAILED(hr))
    return hr;
  int resolved =
      wmi_cook_resolve(cook, job, counter_type_qualifier, cls, what, what_len);
  IWbemClassObject_Release(cls);
  if (resolved != 0) {
    *unusable = true;
    return WBEM_E_TYPE_MISMATCH;
  }
  return S_OK;
}
