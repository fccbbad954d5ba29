#include "wmi_hresult.h"

#include <stdio.h>

typedef struct {
  uint32_t code;
  const char *name;
  const char *text;
} hresult_info_t;

static const hresult_info_t known[] = {
    {0x80041001, "WBEM_E_FAILED", "the call failed"},
    {0x80041002, "WBEM_E_NOT_FOUND", "object not found"},
    {0x80041003, "WBEM_E_ACCESS_DENIED", "access denied"},
    {0x80041004, "WBEM_E_PROVIDER_FAILURE", "the WMI provider failed"},
    {0x80041005, "WBEM_E_TYPE_MISMATCH", "type mismatch"},
    {0x80041006, "WBEM_E_OUT_OF_MEMORY", "WMI is out of memory"},
    {0x80041008, "WBEM_E_INVALID_PARAMETER", "invalid parameter"},
    {0x80041009, "WBEM_E_NOT_AVAILABLE", "the resource is not available"},
    {0x8004100a, "WBEM_E_CRITICAL_ERROR", "critical error in WMI"},
    {0x8004100c, "WBEM_E_NOT_SUPPORTED", "the operation is not supported"},
    {0x8004100e, "WBEM_E_INVALID_NAMESPACE", "the namespace does not exist"},
    {0x8004100f, "WBEM_E_INVALID_OBJECT", "invalid object"},
    {0x80041010, "WBEM_E_INVALID_CLASS", "the class does not exist"},
    {0x80041011, "WBEM_E_PROVIDER_NOT_FOUND", "no provider for the class"},
    {0x80041013, "WBEM_E_PROVIDER_LOAD_FAILURE", "the provider did not load"},
    {0x80041014, "WBEM_E_INITIALIZATION_FAILURE", "WMI failed to initialise"},
    {0x80041015, "WBEM_E_TRANSPORT_FAILURE", "network transport failed"},
    {0x80041016, "WBEM_E_INVALID_OPERATION", "invalid operation"},
    {0x80041017, "WBEM_E_INVALID_QUERY", "the query is not valid WQL"},
    {0x80041018, "WBEM_E_INVALID_QUERY_TYPE",
     "the query language is not supported"},
    {0x80041024, "WBEM_E_PROVIDER_NOT_CAPABLE",
     "the provider cannot run this query"},
    {0x80041031, "WBEM_E_INVALID_PROPERTY", "no such property"},
    {0x80041032, "WBEM_E_CALL_CANCELLED", "the call was cancelled"},
    {0x80041033, "WBEM_E_SHUTTING_DOWN", "WMI is shutting down"},
    {0x80041045, "WBEM_E_SERVER_TOO_BUSY", "WMI is too busy"},
    {0x80041058, "WBEM_E_UNPARSABLE_QUERY", "the query cannot be parsed"},
    {0x80041062, "WBEM_E_PRIVILEGE_NOT_HELD",
     "a required privilege is not held"},
    {0x80041064, "WBEM_E_LOCAL_CREDENTIALS",
     "credentials cannot be used for a local connection"},
    {0x80041067, "WBEM_E_CLIENT_TOO_SLOW",
     "the client took results too slowly"},
    {0x80041069, "WBEM_E_TIMED_OUT", "the call timed out"},
    {0x8004106c, "WBEM_E_QUOTA_VIOLATION", "a WMI quota was exceeded"},
    {0x80041071, "WBEM_E_CONNECTION_FAILED", "the connection failed"},
    {0x80041086, "WBEM_E_FATAL_TRANSPORT_ERROR", "fatal transport error"},
    {0x80041087, "WBEM_E_ENCRYPTED_CONNECTION_REQUIRED",
     "the namespace requires an encrypted connection"},
    {0x80041088, "WBEM_E_PROVIDER_TIMED_OUT", "the provider timed out"},
    {0x80070005, "E_ACCESSDENIED", "access denied"},
    {0x80070057, "E_INVALIDARG", "invalid argument"},
    {0x8007000e, "E_OUTOFMEMORY", "out of memory"},
    {0x80004005, "E_FAIL", "unspecified failure"},
    {0x800706ba, "RPC_S_SERVER_UNAVAILABLE",
     "the RPC server is unavailable (host down, firewall, or WMI not running)"},
    {0x800706be, "RPC_S_CALL_FAILED", "the remote procedure call failed"},
    {0x800706bf, "RPC_S_CALL_FAILED_DNE",
     "the remote procedure call failed and did not execute"},
    {0x80010007, "RPC_E_SERVER_DIED", "the server died"},
    {0x80010012, "RPC_E_SERVER_DIED_DNE",
     "the server died before the call ran"},
    {0x80010108, "RPC_E_DISCONNECTED",
     "the object is disconnected from its clients"},
    {0x80010119, "RPC_E_TOO_LATE", "COM security was already initialised"},
    {0x800401fd, "CO_E_OBJNOTCONNECTED",
     "the object is not connected to the server"},
    {0x80040154, "REGDB_E_CLASSNOTREG",
     "the class is not registered (is WMI installed?)"},
};

static const hresult_info_t *find(uint32_t hr) {
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    if (known[i].code == hr)
      return &known[i];
  return NULL;
}

const char *wmi_hresult_describe(uint32_t hr, char *buf, size_t len) {
  const hresult_info_t *info = find(hr);
  if (info != NULL)
    snprintf(buf, len, "%s (0x%08X): %s", info->name, (unsigned)hr, info->text);
  else
    snprintf(buf, len, "HRESULT 0x%08X", (unsigned)hr);
  return buf;
}

bool wmi_hresult_is_disconnect(uint32_t hr) {
  switch (hr) {
  case 0x80041015: /* WBEM_E_TRANSPORT_FAILURE */
  case 0x80041033: /* WBEM_E_SHUTTING_DOWN */
  case 0x80041071: /* WBEM_E_CONNECTION_FAILED */
  case 0x80041086: /* WBEM_E_FATAL_TRANSPORT_ERROR */
  case 0x800706ba: /* RPC_S_SERVER_UNAVAILABLE */
  case 0x800706be: /* RPC_S_CALL_FAILED */
  case 0x800706bf: /* RPC_S_CALL_FAILED_DNE */
  case 0x80010007: /* RPC_E_SERVER_DIED */
  case 0x80010012: /* RPC_E_SERVER_DIED_DNE */
  case 0x80010108: /* RPC_E_DISCONNECTED */
  case 0x800401fd: /* CO_E_OBJNOTCONNECTED */
    return true;
  }
  return false;
}
