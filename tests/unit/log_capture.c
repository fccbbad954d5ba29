#include "log_capture.h"

#include "wmi_log.h"

#include <pthread.h>
#include <string.h>

static char captured[64 * 1024];
static size_t captured_len;
static pthread_mutex_t captured_lock = PTHREAD_MUTEX_INITIALIZER;

static void capture(int level, const char *message) {
  (void)level;
  pthread_mutex_lock(&captured_lock);
  size_t n = strlen(message);
  if (captured_len + n + 2 < sizeof(captured)) {
    memcpy(captured + captured_len, message, n);
    captured_len += n;
    captured[captured_len++] = '\n';
    captured[captured_len] = '\0';
  }
  pthread_mutex_unlock(&captured_lock);
}

void log_capture_start(void) {
  captured_len = 0;
  captured[0] = '\0';
  wmi_log_set_sink(capture);
}

void log_capture_stop(void) { wmi_log_set_sink(NULL); }

bool log_captured(const char *needle) {
  return strstr(captured, needle) != NULL;
}

int log_captured_count(const char *needle) {
  int n = 0;
  for (const char *p = strstr(captured, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

const char *log_captured_all(void) { return captured; }
