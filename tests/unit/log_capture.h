/* Captures what the code under test logs, so tests can assert on the
 * messages users will read. */
#ifndef LOG_CAPTURE_H
#define LOG_CAPTURE_H

#include <stdbool.h>

void log_capture_start(void); /* clears and installs the capture sink */
void log_capture_stop(void);  /* back to stderr */
/* True when some captured message contains `needle`. */
bool log_captured(const char *needle);
int log_captured_count(const char *needle);
const char *log_captured_all(void); /* every message, newline-separated */

#endif
