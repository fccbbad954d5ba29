/* Whether a Host block's Address names this machine. It matters twice:
 * WMI refuses credentials on a local connection (WBEM_E_LOCAL_CREDENTIALS),
 * and a local host's values carry collectd's Hostname. So every spelling of
 * "this machine" must count as local, not only ".". */
#ifndef WMI_ADDRESS_H
#define WMI_ADDRESS_H

#include <stdbool.h>

/* True for NULL, "", ".", "localhost" and "localhost." (any case), an IPv4
 * address in 127.0.0.0/8, the IPv6 loopback in any spelling ("::1",
 * "0:0::1", "::ffff:127.0.0.1"), bare or in brackets ("[::1]"), and any of
 * machine_names (compared without case, a trailing dot ignored).
 * machine_names is a NULL-terminated list of this machine's names (NetBIOS
 * name, DNS host name, FQDN) and may be NULL. */
bool wmi_address_is_local(const char *address,
                          const char *const *machine_names);

#endif
