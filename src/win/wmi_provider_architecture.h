/* ProviderArchitecture: the IWbemContext that asks WMI for a 32- or
 * 64-bit provider (__ProviderArchitecture with __RequiredArchitecture),
 * passed with each of the query's calls. */
#ifndef WMI_PROVIDER_ARCHITECTURE_H
#define WMI_PROVIDER_ARCHITECTURE_H

#include <wbemidl.h>

/* Makes the context for `bits` (32 or 64) into *context the first time,
 * and leaves it there after: the caller (the job's host thread) releases
 * it when done with the job. With `bits` 0 there is none: *context stays
 * NULL. Returns the failure of making it, *context unchanged. */
HRESULT wmi_provider_architecture_context(int bits, IWbemContext **context);

#endif
