/* One connection to a WMI namespace: ConnectServer, proxy security, and
 * the sink wrapper remote asynchronous calls need; also the process-wide
 * COM security the probe sets. Each connection is used by one host thread
 * (in the MTA) at a time; wmi_connect_host.h says when it is made. */
#ifndef WMI_CONNECT_SERVER_H
#define WMI_CONNECT_SERVER_H

#include "wmi_config_model.h"

#include <wbemidl.h>

typedef struct wmi_connection_s wmi_connection_t;

/* Process-wide COM security for a WMI client. Another component of the
 * process (collectd itself, another plugin) may have set it first; that is
 * accepted (RPC_E_TOO_LATE). */
HRESULT wmi_connection_init_security(void);

/* Connects to `wmi_namespace` on the host: local with the caller's
 * identity, remote with the host's credentials at packet privacy. */
HRESULT wmi_connection_open(IWbemLocator *locator, const wmi_host_t *host,
                            const char *wmi_namespace, wmi_connection_t **out);
void wmi_connection_close(wmi_connection_t *conn);

IWbemServices *wmi_connection_services(wmi_connection_t *conn);
/* Replaces the services interface (a test's fault-injecting wrapper);
 * takes over the caller's reference. */
void wmi_connection_set_services(wmi_connection_t *conn, IWbemServices *svc);

/* The sink to hand to ExecQueryAsync/CancelAsyncCall. For a remote host
 * WMI calls back over DCOM: rather than lowering process-wide security,
 * the sink is wrapped in an IUnsecuredApartment stub ("Setting Security
 * on an Asynchronous Call"). Locally it is the sink itself. The caller
 * releases *out. */
HRESULT wmi_connection_call_sink(wmi_connection_t *conn, IWbemObjectSink *sink,
                                 IWbemObjectSink **out);

#endif
