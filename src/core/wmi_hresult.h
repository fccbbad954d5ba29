/* Names and explanations of the HRESULTs WMI returns, for log lines such as
 * "WBEM_E_INVALID_QUERY (0x80041017): the query is not valid WQL".
 * Portable: HRESULTs are handled as plain 32-bit numbers here. */
#ifndef WMI_HRESULT_H
#define WMI_HRESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes "NAME (0xXXXXXXXX): text" into buf; codes it does not know come out
 * as "HRESULT 0xXXXXXXXX". Returns buf. */
const char *wmi_hresult_describe(uint32_t hr, char *buf, size_t len);

/* True when the code means the connection to WMI is gone and must be made
 * anew (RPC server unavailable, disconnected, WMI shutting down, ...). */
bool wmi_hresult_is_disconnect(uint32_t hr);

#endif
