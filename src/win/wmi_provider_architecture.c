#include "wmi_provider_architecture.h"

static HRESULT make_context(int bits, IWbemContext **out) {
  IWbemContext *context = NULL;
  HRESULT hr = CoCreateInstance(&CLSID_WbemContext, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IWbemContext, (void **)&context);
  if (FAILED(hr))
    return hr;
  VARIANT v;
  V_VT(&v) = VT_I4;
  V_I4(&v) = bits;
  hr = IWbemContext_SetValue(context, L"__ProviderArchitecture", 0, &v);
  if (SUCCEEDED(hr)) {
    V_VT(&v) = VT_BOOL;
    V_BOOL(&v) = VARIANT_TRUE;
    hr = IWbemContext_SetValue(context, L"__RequiredArchitecture", 0, &v);
  }
  if (FAILED(hr)) {
    IWbemContext_Release(context);
    return hr;
  }
  *out = context;
  return S_OK;
}

HRESULT wmi_provider_architecture_context(int bits, IWbemContext **context) {
  if (bits == 0 || *context != NULL)
    return S_OK; /* none wanted, or made before */
  return make_context(bits, context);
}
