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

/* The definition of the class the job's statement names, into *cls. */
static HRESULT get_class(IWbemServices *services, IWbemContext *context,
                         const char *class_name,
                         const char *volatile *current_call,
                         IWbemClassObject **cls) {
  BSTR path = bstr_from_utf8(class_name);
  if (path == NULL)
    return E_OUTOFMEMORY;
  *current_call = "GetObject";
  HRESULT hr = IWbemServices_GetObject(
      services, path, WBEM_FLAG_RETURN_WBEM_COMPLETE, context, cls, NULL);
  *current_call = NULL;
  SysFreeString(path);
  return hr;
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
  IWbemClassObject *cls = NULL;
  HRESULT hr = get_class(services, context, class_name, current_call, &cls);
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

void wmi_counter_types_list(IWbemServices *services, IWbemContext *context,
                            const wmi_job_t *job, size_t job_index,
                            wmi_dryrun_t *record,
                            const char *volatile *current_call) {
  char class_name[WMI_PROPERTY_MAX] = "";
  IWbemClassObject *cls = NULL;
  if (wmi_wql_class(job->query->statement, class_name, sizeof(class_name)) !=
          0 ||
      FAILED(get_class(services, context, class_name, current_call, &cls)))
    return;
  BSTR name = NULL;
  if (SUCCEEDED(
          IWbemClassObject_BeginEnumeration(cls, WBEM_FLAG_NONSYSTEM_ONLY)))
    while (IWbemClassObject_Next(cls, 0, &name, NULL, NULL, NULL) ==
           WBEM_S_NO_ERROR) {
      char *property = wmi_utf8_from_wide(name);
      uint32_t type;
      if (property != NULL &&
          wmi_wql_selects(job->query->statement, property) &&
          counter_type_qualifier(cls, property, &type) == 0)
        wmi_dryrun_counter_type(record, job_index, property, type);
      free(property);
      SysFreeString(name);
    }
  IWbemClassObject_EndEnumeration(cls);
  IWbemClassObject_Release(cls);
}
