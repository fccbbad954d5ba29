/* Identifiers: what names the values of a job once sanitized. collectd
 * cuts long names silently and two values with one identifier overwrite
 * each other, so both are refused here, before anything runs. */
#include "wmi_config_identity.h"

#include "wmi_address.h"
#include "wmi_config_alloc.h"
#include "wmi_log.h"
#include "wmi_naming.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* collectd cuts longer names silently, and two cut names may collide
 * unseen: refuse them here. */
int wmi_config_check_names_fit(const wmi_query_t *q) {
  size_t len = wmi_name_sanitized_len(q->plugin_instance);
  if (len > WMI_NAME_MAX) {
    wmi_log(LOG_ERR,
            "Query \"%s\": option \"PluginInstance\" (by default the query's "
            "name) is too long: %zu characters once sanitized, collectd "
            "keeps at most %d",
            q->name, len, WMI_NAME_MAX);
    return -1;
  }
  for (size_t i = 0; i < q->results_num; i++) {
    const char *prefix = q->results[i].instance_prefix;
    len = prefix ? wmi_name_sanitized_len(prefix) : 0;
    if (len > WMI_NAME_MAX) {
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"InstancePrefix\" is too "
              "long: %zu characters once sanitized, collectd keeps at most "
              "%d in a type instance",
              q->name, i + 1, len, WMI_NAME_MAX);
      return -1;
    }
  }
  return 0;
}

static bool same_prefix(const char *a, const char *b) {
  if (a == NULL || b == NULL)
    return a == b;
  char sa[DATA_MAX_NAME_LEN], sb[DATA_MAX_NAME_LEN]; /* lengths checked */
  wmi_name_sanitize(sa, sizeof(sa), a);
  wmi_name_sanitize(sb, sizeof(sb), b);
  return strcmp(sa, sb) == 0;
}

static bool same_instances_from(const wmi_result_t *a, const wmi_result_t *b) {
  if (a->instances_from_num != b->instances_from_num)
    return false;
  for (size_t i = 0; i < a->instances_from_num; i++)
    if (strcasecmp(a->instances_from[i], b->instances_from[i]) != 0)
      return false; /* WMI's property names ignore case */
  return true;
}

/* Two Results of one query with the same Type, prefix and instance
 * properties give every object's values the same identifier twice. */
int wmi_config_check_results_distinct(const wmi_query_t *q) {
  for (size_t i = 0; i < q->results_num; i++) {
    for (size_t j = i + 1; j < q->results_num; j++) {
      const wmi_result_t *a = &q->results[i], *b = &q->results[j];
      if (strcmp(a->type, b->type) == 0 &&
          same_prefix(a->instance_prefix, b->instance_prefix) &&
          same_instances_from(a, b)) {
        wmi_log(LOG_ERR,
                "Query \"%s\", Result %zu and Result %zu: the same Type "
                "\"%s\", InstancePrefix and InstancesFrom would give their "
                "values the same identifiers; set a different "
                "InstancePrefix",
                q->name, i + 1, j + 1, a->type);
        return -1;
      }
    }
  }
  return 0;
}

int wmi_config_check_host_identity(wmi_host_t *h,
                                   const char *const *machine_names) {
  h->local = wmi_address_is_local(h->address, machine_names);
  if (h->local && (h->username != NULL || h->authority != NULL)) {
    /* WMI refuses them locally (WBEM_E_LOCAL_CREDENTIALS). */
    wmi_log(LOG_ERR,
            "Host \"%s\": options \"Username\" and \"Authority\" are only for "
            "a remote \"Address\"; WMI refuses credentials on this machine",
            h->name);
    return -1;
  }
  size_t len = wmi_name_sanitized_len(h->name);
  if (!h->local && len > WMI_NAME_MAX) { /* it names the remote host */
    wmi_log(LOG_ERR,
            "Host \"%s\": the block's name, the host part of a remote host's "
            "identifiers, is too long: %zu characters once sanitized, "
            "collectd keeps at most %d",
            h->name, len, WMI_NAME_MAX);
    return -1;
  }
  return 0;
}

/* What a job's values are named by, besides type and type instance. */
typedef struct {
  const char *host;            /* sanitized; NULL: collectd's Hostname */
  const char *plugin_instance; /* sanitized */
  size_t job;
} identity_t;

static int compare_identity(const void *a, const void *b) {
  const identity_t *x = a, *y = b;
  if ((x->host == NULL) != (y->host == NULL))
    return x->host == NULL ? -1 : 1;
  int c = x->host ? strcmp(x->host, y->host) : 0;
  if (c == 0)
    c = strcmp(x->plugin_instance, y->plugin_instance);
  return c != 0 ? c : (x->job > y->job) - (x->job < y->job);
}

static bool same_identity(const identity_t *x, const identity_t *y) {
  return (x->host == NULL) == (y->host == NULL) &&
         (x->host == NULL || strcmp(x->host, y->host) == 0) &&
         strcmp(x->plugin_instance, y->plugin_instance) == 0;
}

static char *sanitized_copy(const char *name) {
  char buffer[DATA_MAX_NAME_LEN]; /* lengths were checked */
  wmi_name_sanitize(buffer, sizeof(buffer), name);
  return wmi_config_strdup(buffer);
}

static void log_collision(const wmi_config_t *cfg, const identity_t *first,
                          const identity_t *second) {
  const wmi_job_t *a = &cfg->jobs[first->job], *b = &cfg->jobs[second->job];
  char host[DATA_MAX_NAME_LEN + 8];
  if (first->host == NULL)
    snprintf(host, sizeof(host), "this machine's Hostname");
  else
    snprintf(host, sizeof(host), "host \"%s\"", first->host);
  wmi_log(LOG_ERR,
          "Host \"%s\", Query \"%s\" and Host \"%s\", Query \"%s\" would give "
          "their values the same identifiers (%s, plugin instance \"%s\"); "
          "give each its own PluginInstance or collect the query once",
          a->host->name, a->query->name, b->host->name, b->query->name, host,
          first->plugin_instance);
}

/* Jobs of hosts with the same identifier host part (every local host, or
 * remote ones whose names sanitize alike) need distinct sanitized plugin
 * instances, or their values would overwrite each other. */
int wmi_config_check_identities_distinct(const wmi_config_t *cfg) {
  char **instances = wmi_config_calloc(cfg->queries_num, sizeof(char *));
  char **hosts = wmi_config_calloc(cfg->hosts_num, sizeof(char *));
  identity_t *ids = wmi_config_calloc(cfg->jobs_num, sizeof(*ids));
  int status = instances && hosts && ids ? 0 : -1;
  for (size_t i = 0; status == 0 && i < cfg->queries_num; i++)
    if ((instances[i] = sanitized_copy(cfg->queries[i].plugin_instance)) ==
        NULL)
      status = -1;
  for (size_t i = 0; status == 0 && i < cfg->hosts_num; i++)
    if (!cfg->hosts[i].local &&
        (hosts[i] = sanitized_copy(cfg->hosts[i].name)) == NULL)
      status = -1;
  if (status == 0) {
    for (size_t i = 0; i < cfg->jobs_num; i++) {
      const wmi_job_t *job = &cfg->jobs[i];
      ids[i] = (identity_t){hosts[job->host - cfg->hosts],
                            instances[job->query - cfg->queries], i};
    }
    qsort(ids, cfg->jobs_num, sizeof(*ids), compare_identity);
    const identity_t *first = NULL, *second = NULL;
    for (size_t i = 1; i < cfg->jobs_num; i++)
      if (same_identity(&ids[i - 1], &ids[i]) &&
          (second == NULL || ids[i].job < second->job)) {
        first = &ids[i - 1];
        second = &ids[i];
      }
    if (second != NULL) {
      log_collision(cfg, first, second);
      status = -1;
    }
  }
  wmi_config_free_strings(instances, cfg->queries_num);
  wmi_config_free_strings(hosts, cfg->hosts_num);
  free(ids);
  return status;
}
