/* Creating and freeing the configuration model; wmi_config_parse.c fills
 * it, wmi_config_finish.c checks and completes it. */
#include "wmi_config.h"

#include "wmi_config_alloc.h"
#include "wmi_secure.h"

#include <stdlib.h>
#include <string.h>

static void free_result(wmi_result_t *r) {
  free(r->type);
  free(r->instance_prefix);
  wmi_config_free_strings(r->instances_from, r->instances_from_num);
  wmi_config_free_strings(r->values_from, r->values_from_num);
  wmi_config_free_strings(r->objects_from, r->objects_from_num);
  free(r->ds_types);
  wmi_config_free_strings(r->value_map_strings, r->value_map_num);
  free(r->value_map_numbers);
}

static void free_query(wmi_query_t *q) {
  free(q->name);
  free(q->statement);
  free(q->wmi_namespace);
  free(q->plugin_instance);
  for (size_t i = 0; i < q->results_num; i++)
    free_result(&q->results[i]);
  free(q->results);
}

static void free_host(wmi_host_t *h) {
  free(h->name);
  free(h->address);
  free(h->username);
  if (h->password != NULL) /* do not leave the secret in freed memory */
    wmi_secure_zero(h->password, strlen(h->password));
  free(h->password);
  free(h->authority);
  wmi_config_free_strings(h->query_names, h->query_names_num);
  free(h->queries);
}

wmi_config_t *wmi_config_new(void) { return calloc(1, sizeof(wmi_config_t)); }

void wmi_config_free(wmi_config_t *cfg) {
  if (cfg == NULL)
    return;
  for (size_t i = 0; i < cfg->queries_num; i++)
    free_query(&cfg->queries[i]);
  free(cfg->queries);
  for (size_t i = 0; i < cfg->hosts_num; i++)
    free_host(&cfg->hosts[i]);
  free(cfg->hosts);
  free(cfg->jobs);
  free(cfg);
}
