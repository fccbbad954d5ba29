/* WMI's locator, the object every connection starts from
 * (CLSID_WbemLocator), made where a test may wrap or refuse it. Used by
 * the probe at start and by each host thread (wmi_connect_host.h). */
#ifndef WMI_CONNECT_LOCATOR_H
#define WMI_CONNECT_LOCATOR_H

#include "wmi_backend_hooks.h"

/* Creates a locator on the calling thread (in the MTA) and hands it to
 * `hook` (NULL in production) with `host` (NULL for the probe). *out is
 * the caller's to release; REGDB_E_CLASSNOTREG when the hook refused, as
 * a broken WMI would. */
HRESULT wmi_connect_locator(wmi_locator_hook_fn hook, void *hook_ctx,
                            const wmi_host_t *host, IWbemLocator **out);

#endif
