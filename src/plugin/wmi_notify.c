/* Notifications of jobs' transitions: FAILURE once when a job starts
 * failing, OKAY once when it recovers. Host threads queue them; the read
 * callback dispatches them, so that a slow notification plugin (exec,
 * email) never holds up a host's WMI calls, and nothing reaches collectd
 * once the plugin has shut down. */
#include "wmi_notify.h"

#include "wmi_config_model.h"
#include "wmi_hresult.h"
#include "wmi_plugin_identity.h"

#include "plugin.h"
#include "utils/common/common.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct pending_s {
  notification_t n;
  struct pending_s *next;
} pending_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pending_t *head, **tail = &head; /* oldest first */
static bool accepting;

void wmi_notify_open(void) {
  pthread_mutex_lock(&lock);
  accepting = true;
  pthread_mutex_unlock(&lock);
}

static pending_t *take_all(void) {
  pending_t *all = head;
  head = NULL;
  tail = &head;
  return all;
}

void wmi_notify_close(void) {
  pthread_mutex_lock(&lock);
  accepting = false;
  pending_t *all = take_all();
  pthread_mutex_unlock(&lock);
  while (all != NULL) {
    pending_t *next = all->next;
    free(all);
    all = next;
  }
}

void wmi_notify_health(void *ctx, size_t job_index, bool failing, uint32_t hr,
                       const char *what) {
  const wmi_config_t *cfg = ctx;
  const wmi_job_t *job = &cfg->jobs[job_index];
  pending_t *p = calloc(1, sizeof(*p));
  if (p == NULL)
    return;
  notification_t *n = &p->n;
  n->severity = failing ? NOTIF_FAILURE : NOTIF_OKAY;
  n->time = cdtime();
  wmi_plugin_identity(job, n->host, n->plugin_instance);
  if (n->host[0] == '\0') /* values get collectd's Hostname by themselves */
    sstrncpy(n->host, hostname_g, sizeof(n->host));
  sstrncpy(n->plugin, "wmi", sizeof(n->plugin));
  if (failing && hr == 0) {
    snprintf(n->message, sizeof(n->message), "Host \"%s\", Query \"%s\": %s",
             job->host->name, job->query->name, what);
  } else if (failing) {
    char why[256];
    snprintf(n->message, sizeof(n->message),
             "Host \"%s\", Query \"%s\": %s: %s", job->host->name,
             job->query->name, what,
             wmi_hresult_describe(hr, why, sizeof(why)));
  } else {
    snprintf(n->message, sizeof(n->message),
             "Host \"%s\", Query \"%s\": the query succeeds again",
             job->host->name, job->query->name);
  }
  pthread_mutex_lock(&lock);
  if (accepting) {
    *tail = p;
    tail = &p->next;
    p = NULL;
  }
  pthread_mutex_unlock(&lock);
  free(p);
}

void wmi_notify_flush(void) {
  pthread_mutex_lock(&lock);
  pending_t *all = take_all();
  pthread_mutex_unlock(&lock);
  while (all != NULL) {
    pending_t *next = all->next;
    plugin_dispatch_notification(&all->n);
    free(all);
    all = next;
  }
}
