/* Logging for the portable core and the backend. Messages are prefixed with
 * "wmi plugin: " and go to a sink the host program installs: collectd's
 * plugin_log in the plugin, a capture buffer in tests, stderr by default. */
#ifndef WMI_LOG_H
#define WMI_LOG_H

#include "plugin.h" /* LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO */

/* mingw's printf checks follow msvcrt unless told the C99 formats
 * (__USE_MINGW_ANSI_STDIO) are in use. */
#ifdef __MINGW32__
#define WMI_PRINTF gnu_printf
#else
#define WMI_PRINTF printf
#endif

typedef void (*wmi_log_sink_fn)(int level, const char *message);

/* Installs the sink; NULL restores the default (stderr). Not thread-safe:
 * call before any other thread logs. */
void wmi_log_set_sink(wmi_log_sink_fn sink);

void wmi_log(int level, const char *format, ...)
    __attribute__((format(WMI_PRINTF, 2, 3)));

#endif
