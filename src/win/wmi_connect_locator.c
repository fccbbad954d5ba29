#include "wmi_connect_locator.h"

HRESULT wmi_connect_locator(wmi_locator_hook_fn hook, void *hook_ctx,
                            const wmi_host_t *host, IWbemLocator **out) {
  IWbemLocator *locator = NULL;
  *out = NULL;
  HRESULT hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IWbemLocator, (void **)&locator);
  if (FAILED(hr))
    return hr;
  if (hook != NULL)
    locator = hook(hook_ctx, host, locator); /* takes over the reference */
  if (locator == NULL)
    return REGDB_E_CLASSNOTREG;
  *out = locator;
  return S_OK;
}
