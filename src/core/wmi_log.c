#include "wmi_log.h"

#include <stdarg.h>
#include <stdio.h>

static void log_to_stderr(int level, const char *message) {
  fprintf(stderr, "[%d] %s\n", level, message);
}

static wmi_log_sink_fn current_sink = log_to_stderr;

void wmi_log_set_sink(wmi_log_sink_fn sink) {
  current_sink = sink ? sink : log_to_stderr;
}

void wmi_log(int level, const char *format, ...) {
  char message[1024] = "wmi plugin: ";
  size_t prefix = sizeof("wmi plugin: ") - 1;
  va_list ap;
  va_start(ap, format);
  vsnprintf(message + prefix, sizeof(message) - prefix, format, ap);
  va_end(ap);
  current_sink(level, message);
}
