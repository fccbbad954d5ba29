#include "wmi_config.h"

#include "wmi_log.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_NAMESPACE "root\\cimv2"

/* Every message names where the option stands: `Query "disk", Result 2`. */
static void option_error(const char *where, const oconfig_item_t *opt,
                         const char *what) {
  wmi_log(LOG_ERR, "%s: option \"%s\" %s", where, opt->key, what);
}

static char *dup_string(const char *s) {
  char *copy = strdup(s);
  if (copy == NULL)
    wmi_log(LOG_ERR, "out of memory");
  return copy;
}

static int get_string(const char *where, const oconfig_item_t *opt,
                      char **out) {
  if (opt->values_num != 1 || opt->values[0].type != OCONFIG_TYPE_STRING) {
    option_error(where, opt, "needs exactly one string argument");
    return -1;
  }
  if (opt->values[0].value.string[0] == '\0') {
    option_error(where, opt, "must not be empty");
    return -1;
  }
  if (*out != NULL) {
    option_error(where, opt, "is given more than once");
    return -1;
  }
  *out = dup_string(opt->values[0].value.string);
  return *out ? 0 : -1;
}

/* Appends every string argument of opt to a list; options that take a list
 * may also be repeated. */
static int append_strings(const char *where, const oconfig_item_t *opt,
                          char ***list, size_t *num) {
  if (opt->values_num < 1) {
    option_error(where, opt, "needs at least one string argument");
    return -1;
  }
  for (int i = 0; i < opt->values_num; i++) {
    if (opt->values[i].type != OCONFIG_TYPE_STRING ||
        opt->values[i].value.string[0] == '\0') {
      option_error(where, opt, "takes only non-empty string arguments");
      return -1;
    }
  }
  char **grown = realloc(*list, (*num + opt->values_num) * sizeof(**list));
  if (grown == NULL) {
    wmi_log(LOG_ERR, "out of memory");
    return -1;
  }
  *list = grown;
  for (int i = 0; i < opt->values_num; i++) {
    grown[*num] = dup_string(opt->values[i].value.string);
    if (grown[*num] == NULL)
      return -1;
    (*num)++;
  }
  return 0;
}

static int get_seconds(const char *where, const oconfig_item_t *opt,
                       cdtime_t *out) {
  if (opt->values_num != 1 || opt->values[0].type != OCONFIG_TYPE_NUMBER) {
    option_error(where, opt, "needs exactly one number (seconds)");
    return -1;
  }
  double seconds = opt->values[0].value.number;
  /* Upper bound keeps the conversion to cdtime_t in range: a day. */
  if (!(seconds > 0.0) || seconds > 86400.0) {
    option_error(where, opt,
                 "must be a positive number of seconds, at most 86400");
    return -1;
  }
  *out = DOUBLE_TO_CDTIME_T(seconds);
  return 0;
}

static int block_name(const oconfig_item_t *block, char **out) {
  if (block->values_num != 1 || block->values[0].type != OCONFIG_TYPE_STRING ||
      block->values[0].value.string[0] == '\0') {
    wmi_log(LOG_ERR, "<%s> block needs exactly one non-empty name", block->key);
    return -1;
  }
  *out = dup_string(block->values[0].value.string);
  return *out ? 0 : -1;
}

static void free_strings(char **list, size_t num) {
  for (size_t i = 0; i < num; i++)
    free(list[i]);
  free(list);
}

static void free_result(wmi_result_t *r) {
  free(r->type);
  free(r->instance_prefix);
  free_strings(r->instances_from, r->instances_from_num);
  free_strings(r->values_from, r->values_from_num);
  free(r->ds_types);
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
    memset(h->password, 0, strlen(h->password));
  free(h->password);
  free(h->authority);
  free_strings(h->query_names, h->query_names_num);
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

static int parse_result(wmi_query_t *q, const oconfig_item_t *ci) {
  if (ci->values_num != 0) {
    wmi_log(LOG_ERR, "Query \"%s\": <Result> takes no arguments", q->name);
    return -1;
  }
  wmi_result_t *grown =
      realloc(q->results, (q->results_num + 1) * sizeof(*grown));
  if (grown == NULL)
    return -1;
  q->results = grown;
  wmi_result_t *r = &q->results[q->results_num++];
  memset(r, 0, sizeof(*r));
  char where[160];
  snprintf(where, sizeof(where), "Query \"%s\", Result %zu", q->name,
           q->results_num);

  for (int i = 0; i < ci->children_num; i++) {
    const oconfig_item_t *opt = &ci->children[i];
    int status;
    if (strcasecmp(opt->key, "Type") == 0)
      status = get_string(where, opt, &r->type);
    else if (strcasecmp(opt->key, "InstancePrefix") == 0)
      status = get_string(where, opt, &r->instance_prefix);
    else if (strcasecmp(opt->key, "InstancesFrom") == 0)
      status = append_strings(where, opt, &r->instances_from,
                              &r->instances_from_num);
    else if (strcasecmp(opt->key, "ValuesFrom") == 0)
      status = append_strings(where, opt, &r->values_from, &r->values_from_num);
    else {
      option_error(where, opt, "is unknown here");
      status = -1;
    }
    if (status != 0)
      return -1;
  }
  if (r->type == NULL) {
    wmi_log(LOG_ERR, "%s: option \"Type\" is missing", where);
    return -1;
  }
  if (r->instances_from_num > WMI_MAX_INSTANCES_FROM) {
    wmi_log(LOG_ERR,
            "%s: option \"InstancesFrom\" names more than %d properties", where,
            WMI_MAX_INSTANCES_FROM);
    return -1;
  }
  if (r->values_from_num == 0) {
    wmi_log(LOG_ERR, "%s: option \"ValuesFrom\" is missing", where);
    return -1;
  }
  return 0;
}

static int parse_query(wmi_config_t *cfg, const oconfig_item_t *ci) {
  char *name = NULL;
  if (block_name(ci, &name) != 0)
    return -1;
  for (size_t i = 0; i < cfg->queries_num; i++) {
    if (strcasecmp(cfg->queries[i].name, name) == 0) {
      wmi_log(LOG_ERR, "Query \"%s\" is defined more than once", name);
      free(name);
      return -1;
    }
  }
  wmi_query_t *grown =
      realloc(cfg->queries, (cfg->queries_num + 1) * sizeof(*grown));
  if (grown == NULL) {
    free(name);
    return -1;
  }
  cfg->queries = grown;
  wmi_query_t *q = &cfg->queries[cfg->queries_num++];
  memset(q, 0, sizeof(*q));
  q->name = name;
  char where[160];
  snprintf(where, sizeof(where), "Query \"%s\"", q->name);

  for (int i = 0; i < ci->children_num; i++) {
    const oconfig_item_t *opt = &ci->children[i];
    int status;
    if (strcasecmp(opt->key, "Statement") == 0)
      status = get_string(where, opt, &q->statement);
    else if (strcasecmp(opt->key, "Namespace") == 0)
      status = get_string(where, opt, &q->wmi_namespace);
    else if (strcasecmp(opt->key, "PluginInstance") == 0)
      status = get_string(where, opt, &q->plugin_instance);
    else if (strcasecmp(opt->key, "Result") == 0)
      status = parse_result(q, opt);
    else {
      option_error(where, opt, "is unknown here");
      status = -1;
    }
    if (status != 0)
      return -1;
  }
  if (q->statement == NULL) {
    wmi_log(LOG_ERR, "Query \"%s\": option \"Statement\" is missing", q->name);
    return -1;
  }
  if (q->results_num == 0) {
    wmi_log(LOG_ERR, "Query \"%s\": at least one <Result> block is needed",
            q->name);
    return -1;
  }
  if (q->wmi_namespace == NULL)
    q->wmi_namespace = dup_string(DEFAULT_NAMESPACE);
  if (q->plugin_instance == NULL)
    q->plugin_instance = dup_string(q->name);
  return (q->wmi_namespace && q->plugin_instance) ? 0 : -1;
}

static int parse_host(wmi_config_t *cfg, const oconfig_item_t *ci) {
  char *name = NULL;
  if (block_name(ci, &name) != 0)
    return -1;
  for (size_t i = 0; i < cfg->hosts_num; i++) {
    if (strcasecmp(cfg->hosts[i].name, name) == 0) {
      wmi_log(LOG_ERR, "Host \"%s\" is defined more than once", name);
      free(name);
      return -1;
    }
  }
  wmi_host_t *grown =
      realloc(cfg->hosts, (cfg->hosts_num + 1) * sizeof(*grown));
  if (grown == NULL) {
    free(name);
    return -1;
  }
  cfg->hosts = grown;
  wmi_host_t *h = &cfg->hosts[cfg->hosts_num++];
  memset(h, 0, sizeof(*h));
  h->name = name;
  char where[160];
  snprintf(where, sizeof(where), "Host \"%s\"", h->name);

  for (int i = 0; i < ci->children_num; i++) {
    const oconfig_item_t *opt = &ci->children[i];
    int status;
    if (strcasecmp(opt->key, "Address") == 0)
      status = get_string(where, opt, &h->address);
    else if (strcasecmp(opt->key, "Username") == 0)
      status = get_string(where, opt, &h->username);
    else if (strcasecmp(opt->key, "Password") == 0)
      status = get_string(where, opt, &h->password);
    else if (strcasecmp(opt->key, "Authority") == 0)
      status = get_string(where, opt, &h->authority);
    else if (strcasecmp(opt->key, "Interval") == 0)
      status = get_seconds(where, opt, &h->interval);
    else if (strcasecmp(opt->key, "Timeout") == 0)
      status = get_seconds(where, opt, &h->timeout);
    else if (strcasecmp(opt->key, "Query") == 0)
      status = append_strings(where, opt, &h->query_names, &h->query_names_num);
    else {
      option_error(where, opt, "is unknown here");
      status = -1;
    }
    if (status != 0)
      return -1;
  }
  if (h->query_names_num == 0) {
    wmi_log(LOG_ERR, "Host \"%s\": option \"Query\" is missing", h->name);
    return -1;
  }
  if (h->password != NULL && h->username == NULL) {
    wmi_log(LOG_ERR, "Host \"%s\": option \"Password\" needs \"Username\"",
            h->name);
    return -1;
  }
  if ((h->username != NULL || h->authority != NULL) && wmi_host_is_local(h)) {
    /* WMI refuses credentials for local connections (WBEM_E_LOCAL_CREDENTIALS).
     */
    wmi_log(LOG_ERR,
            "Host \"%s\": options \"Username\" and \"Authority\" are only for "
            "a remote \"Address\"; WMI refuses credentials on this machine",
            h->name);
    return -1;
  }
  return 0;
}

int wmi_config_parse(wmi_config_t *cfg, const oconfig_item_t *ci) {
  for (int i = 0; i < ci->children_num; i++) {
    const oconfig_item_t *child = &ci->children[i];
    int status;
    if (strcasecmp(child->key, "Query") == 0)
      status = parse_query(cfg, child);
    else if (strcasecmp(child->key, "Host") == 0)
      status = parse_host(cfg, child);
    else {
      wmi_log(LOG_ERR, "Plugin wmi: option \"%s\" is unknown here", child->key);
      status = -1;
    }
    if (status != 0)
      return -1;
  }
  return 0;
}

bool wmi_host_is_local(const wmi_host_t *host) {
  return host->address == NULL || strcmp(host->address, ".") == 0 ||
         strcasecmp(host->address, "localhost") == 0;
}

static const wmi_query_t *find_query(const wmi_config_t *cfg, const char *name,
                                     size_t *index) {
  for (size_t i = 0; i < cfg->queries_num; i++) {
    if (strcasecmp(cfg->queries[i].name, name) == 0) {
      *index = i;
      return &cfg->queries[i];
    }
  }
  return NULL;
}

static int resolve_types(wmi_query_t *q, wmi_ds_lookup_fn lookup, void *ctx) {
  for (size_t i = 0; i < q->results_num; i++) {
    wmi_result_t *r = &q->results[i];
    const data_set_t *ds = lookup(r->type, ctx);
    if (ds == NULL) {
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"Type\": \"%s\" is not a "
              "type in types.db",
              q->name, i + 1, r->type);
      return -1;
    }
    if (ds->ds_num != r->values_from_num) {
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"ValuesFrom\" names %zu "
              "propert%s, but type \"%s\" has %zu data source%s",
              q->name, i + 1, r->values_from_num,
              r->values_from_num == 1 ? "y" : "ies", r->type, ds->ds_num,
              ds->ds_num == 1 ? "" : "s");
      return -1;
    }
    free(r->ds_types);
    r->ds_types = calloc(ds->ds_num, sizeof(*r->ds_types));
    if (r->ds_types == NULL)
      return -1;
    for (size_t d = 0; d < ds->ds_num; d++)
      r->ds_types[d] = ds->ds[d].type;
  }
  return 0;
}

static int add_local_host(wmi_config_t *cfg) {
  cfg->hosts = calloc(1, sizeof(*cfg->hosts));
  if (cfg->hosts == NULL)
    return -1;
  cfg->hosts_num = 1;
  wmi_host_t *h = &cfg->hosts[0];
  h->name = dup_string("local");
  h->query_names = calloc(cfg->queries_num, sizeof(char *));
  if (h->name == NULL || h->query_names == NULL)
    return -1;
  for (size_t i = 0; i < cfg->queries_num; i++) {
    h->query_names[i] = dup_string(cfg->queries[i].name);
    if (h->query_names[i] == NULL)
      return -1;
    h->query_names_num++;
  }
  return 0;
}

static int resolve_host(wmi_config_t *cfg, wmi_host_t *h) {
  h->queries = calloc(h->query_names_num, sizeof(*h->queries));
  if (h->queries == NULL)
    return -1;
  for (size_t i = 0; i < h->query_names_num; i++) {
    if (find_query(cfg, h->query_names[i], &h->queries[i]) == NULL) {
      wmi_log(LOG_ERR,
              "Host \"%s\": option \"Query\": no <Query \"%s\"> is "
              "defined",
              h->name, h->query_names[i]);
      return -1;
    }
    for (size_t j = 0; j < i; j++) {
      if (h->queries[j] == h->queries[i]) {
        wmi_log(LOG_ERR,
                "Host \"%s\": option \"Query\": \"%s\" is listed "
                "more than once",
                h->name, h->query_names[i]);
        return -1;
      }
    }
  }
  return 0;
}

static int build_jobs(wmi_config_t *cfg, cdtime_t default_interval) {
  size_t total = 0;
  for (size_t i = 0; i < cfg->hosts_num; i++)
    total += cfg->hosts[i].query_names_num;
  cfg->jobs = calloc(total ? total : 1, sizeof(*cfg->jobs));
  if (cfg->jobs == NULL)
    return -1;
  for (size_t i = 0; i < cfg->hosts_num; i++) {
    const wmi_host_t *h = &cfg->hosts[i];
    cdtime_t interval = h->interval ? h->interval : default_interval;
    for (size_t j = 0; j < h->query_names_num; j++) {
      wmi_job_t *job = &cfg->jobs[cfg->jobs_num++];
      job->host = h;
      job->query = &cfg->queries[h->queries[j]];
      job->interval = interval;
      job->timeout = h->timeout ? h->timeout : interval;
    }
  }
  return 0;
}

int wmi_config_finish(wmi_config_t *cfg, wmi_ds_lookup_fn lookup, void *ctx,
                      cdtime_t default_interval) {
  if (cfg->queries_num == 0) {
    wmi_log(LOG_ERR, "Plugin wmi: no <Query> block is configured");
    return -1;
  }
  for (size_t i = 0; i < cfg->queries_num; i++)
    if (resolve_types(&cfg->queries[i], lookup, ctx) != 0)
      return -1;
  if (cfg->hosts_num == 0 && add_local_host(cfg) != 0)
    return -1;
  for (size_t i = 0; i < cfg->hosts_num; i++)
    if (resolve_host(cfg, &cfg->hosts[i]) != 0)
      return -1;
  return build_jobs(cfg, default_interval);
}
