#include "wmi_config.h"

#include "wmi_counter.h"
#include "wmi_log.h"
#include "wmi_secure.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_NAMESPACE "root\\cimv2"

/* Every message names where the option stands: `Query "disk", Result 2`. */
static void option_error(const char *where, const oconfig_item_t *opt,
                         const char *what) {
  wmi_log(LOG_ERR, "%s: option \"%s\" %s", where, opt->key, what);
}

/* Makes room for one more element in *array (num used, *cap allocated).
 * The capacity doubles, so n appends cost O(n) in all. */
static int reserve_one(void **array, size_t *cap, size_t num, size_t size) {
  if (num < *cap)
    return 0;
  size_t new_cap = *cap ? *cap * 2 : 4;
  void *grown =
      new_cap <= SIZE_MAX / size ? realloc(*array, new_cap * size) : NULL;
  if (grown == NULL) {
    wmi_log(LOG_ERR, "out of memory");
    return -1;
  }
  *array = grown;
  *cap = new_cap;
  return 0;
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
  if (!(seconds >= WMI_SECONDS_MIN && seconds <= WMI_SECONDS_MAX)) {
    option_error(where, opt, "must be a number of seconds from 0.1 to 86400");
    return -1;
  }
  *out = DOUBLE_TO_CDTIME_T(seconds);
  return 0;
}

static int get_int(const char *where, const oconfig_item_t *opt, int min,
                   int max, int *out) {
  if (opt->values_num != 1 || opt->values[0].type != OCONFIG_TYPE_NUMBER) {
    option_error(where, opt, "needs exactly one number");
    return -1;
  }
  double number = opt->values[0].value.number;
  if (!(number >= min && number <= max) || number != floor(number)) {
    char what[64];
    snprintf(what, sizeof(what), "must be an integer from %d to %d", min, max);
    option_error(where, opt, what);
    return -1;
  }
  *out = (int)number;
  return 0;
}

/* A number option given at most once; *set records that it was. */
static int get_number(const char *where, const oconfig_item_t *opt, double *out,
                      bool *set) {
  if (opt->values_num != 1 || opt->values[0].type != OCONFIG_TYPE_NUMBER) {
    option_error(where, opt, "needs exactly one number");
    return -1;
  }
  if (*set) {
    option_error(where, opt, "is given more than once");
    return -1;
  }
  if (!isfinite(opt->values[0].value.number)) {
    option_error(where, opt, "must be a finite number");
    return -1;
  }
  *out = opt->values[0].value.number;
  *set = true;
  return 0;
}

/* A string option whose value is one of a fixed set of words. */
static int get_choice(const char *where, const oconfig_item_t *opt,
                      const char *const *words, int *out) {
  if (opt->values_num == 1 && opt->values[0].type == OCONFIG_TYPE_STRING)
    for (int k = 0; words[k] != NULL; k++)
      if (strcasecmp(opt->values[0].value.string, words[k]) == 0) {
        *out = k;
        return 0;
      }
  char what[160] = "takes one of";
  for (int k = 0; words[k] != NULL; k++) {
    size_t used = strlen(what);
    snprintf(what + used, sizeof(what) - used, "%s \"%s\"", k ? "," : "",
             words[k]);
  }
  option_error(where, opt, what);
  return -1;
}

/* CounterType "auto" or a counter type's name, as in winperf.h. */
static int get_counter_type(const char *where, const oconfig_item_t *opt,
                            wmi_result_t *r) {
  if (opt->values_num != 1 || opt->values[0].type != OCONFIG_TYPE_STRING) {
    option_error(where, opt,
                 "needs one string: \"auto\" or a counter type such as "
                 "\"PERF_100NSEC_TIMER_INV\"");
    return -1;
  }
  if (r->cooked) {
    option_error(where, opt, "is given more than once");
    return -1;
  }
  const char *name = opt->values[0].value.string;
  r->cooked = true;
  if (strcasecmp(name, "auto") == 0) {
    r->counter_auto = true;
    return 0;
  }
  if (wmi_counter_type_by_name(name, &r->counter_type))
    return 0;
  char what[256];
  snprintf(what, sizeof(what),
           "names the counter type \"%s\", which is unknown or not "
           "supported (see the README for the list)",
           name);
  option_error(where, opt, what);
  return -1;
}

static int get_bool(const char *where, const oconfig_item_t *opt, bool *out) {
  if (opt->values_num != 1 || opt->values[0].type != OCONFIG_TYPE_BOOLEAN) {
    option_error(where, opt, "needs exactly one boolean (true or false)");
    return -1;
  }
  *out = opt->values[0].value.boolean;
  return 0;
}

/* ValueMap "string" number ...: appends the pairs; the option may repeat,
 * a string may be mapped only once. */
static int append_value_map(const char *where, const oconfig_item_t *opt,
                            wmi_result_t *r) {
  if (opt->values_num < 2 || opt->values_num % 2 != 0) {
    option_error(where, opt, "needs pairs of a string and a number");
    return -1;
  }
  for (int i = 0; i < opt->values_num; i += 2) {
    if (opt->values[i].type != OCONFIG_TYPE_STRING ||
        opt->values[i + 1].type != OCONFIG_TYPE_NUMBER) {
      option_error(where, opt, "needs pairs of a string and a number");
      return -1;
    }
    if (!isfinite(opt->values[i + 1].value.number)) {
      option_error(where, opt, "must map to finite numbers");
      return -1;
    }
  }
  size_t pairs = (size_t)opt->values_num / 2, num = r->value_map_num;
  char **strings =
      realloc(r->value_map_strings, (num + pairs) * sizeof(*strings));
  if (strings != NULL)
    r->value_map_strings = strings;
  double *numbers =
      realloc(r->value_map_numbers, (num + pairs) * sizeof(*numbers));
  if (numbers != NULL)
    r->value_map_numbers = numbers;
  if (strings == NULL || numbers == NULL) {
    wmi_log(LOG_ERR, "out of memory");
    return -1;
  }
  for (size_t p = 0; p < pairs; p++) {
    const char *text = opt->values[2 * p].value.string;
    /* Maps are short (a handful of states): a linear scan will do. */
    for (size_t k = 0; k < r->value_map_num; k++) {
      if (strcmp(r->value_map_strings[k], text) == 0) {
        wmi_log(LOG_ERR, "%s: option \"%s\" maps \"%s\" more than once", where,
                opt->key, text);
        return -1;
      }
    }
    char *copy = dup_string(text);
    if (copy == NULL)
      return -1;
    r->value_map_strings[r->value_map_num] = copy;
    r->value_map_numbers[r->value_map_num] =
        opt->values[2 * p + 1].value.number;
    r->value_map_num++;
  }
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
  free_strings(r->value_map_strings, r->value_map_num);
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
  void *results = q->results;
  int reserved = reserve_one(&results, &q->results_cap, q->results_num,
                             sizeof(*q->results));
  q->results = results;
  if (reserved != 0)
    return -1;
  wmi_result_t *r = &q->results[q->results_num++];
  memset(r, 0, sizeof(*r));
  r->scale = 1.0;
  bool scale_set = false, shift_set = false;
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
    else if (strcasecmp(opt->key, "Scale") == 0)
      status = get_number(where, opt, &r->scale, &scale_set);
    else if (strcasecmp(opt->key, "Shift") == 0)
      status = get_number(where, opt, &r->shift, &shift_set);
    else if (strcasecmp(opt->key, "ValueMap") == 0)
      status = append_value_map(where, opt, r);
    else if (strcasecmp(opt->key, "ValueMapDefault") == 0)
      status = get_number(where, opt, &r->value_map_default,
                          &r->has_value_map_default);
    else if (strcasecmp(opt->key, "CounterType") == 0)
      status = get_counter_type(where, opt, r);
    else if (strcasecmp(opt->key, "Duplicates") == 0) {
      static const char *const words[] = {"keep one", "sum", NULL};
      int choice = 0;
      status = get_choice(where, opt, words, &choice);
      r->duplicates = (wmi_duplicates_t)choice;
    } else {
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
  if (r->scale == 0.0) {
    wmi_log(LOG_ERR,
            "%s: option \"Scale\" must not be 0 (every value would be the "
            "Shift)",
            where);
    return -1;
  }
  if (r->cooked && r->value_map_num > 0) {
    wmi_log(LOG_ERR,
            "%s: options \"CounterType\" and \"ValueMap\" exclude each "
            "other (performance counters are numbers)",
            where);
    return -1;
  }
  if (r->has_value_map_default && r->value_map_num == 0) {
    wmi_log(LOG_ERR, "%s: option \"ValueMapDefault\" needs \"ValueMap\"",
            where);
    return -1;
  }
  /* Whether Scale and Shift suit the data sources is checked at finish,
   * which knows the type's data sources. */
  r->scaled = scale_set || shift_set;
  return 0;
}

static int parse_query(wmi_config_t *cfg, const oconfig_item_t *ci) {
  char *name = NULL;
  if (block_name(ci, &name) != 0)
    return -1;
  /* Duplicate names are found at finish, by sorting: a scan here would
   * make parsing quadratic in the number of queries. */
  void *queries = cfg->queries;
  int reserved = reserve_one(&queries, &cfg->queries_cap, cfg->queries_num,
                             sizeof(*cfg->queries));
  cfg->queries = queries;
  if (reserved != 0) {
    free(name);
    return -1;
  }
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
    else if (strcasecmp(opt->key, "ProviderArchitecture") == 0) {
      bool ok = opt->values_num == 1 &&
                opt->values[0].type == OCONFIG_TYPE_NUMBER &&
                (opt->values[0].value.number == 32 ||
                 opt->values[0].value.number == 64);
      if (ok)
        q->provider_architecture = (int)opt->values[0].value.number;
      else
        option_error(where, opt, "must be 32 or 64");
      status = ok ? 0 : -1;
    } else {
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
  /* Duplicate names are found at finish, as for queries. */
  void *hosts = cfg->hosts;
  int reserved =
      reserve_one(&hosts, &cfg->hosts_cap, cfg->hosts_num, sizeof(*cfg->hosts));
  cfg->hosts = hosts;
  if (reserved != 0) {
    free(name);
    return -1;
  }
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
    else if (strcasecmp(opt->key, "MaxConcurrentQueries") == 0)
      status =
          get_int(where, opt, 1, WMI_MAX_CONCURRENT_LIMIT, &h->max_concurrent);
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
  /* Whether credentials are allowed depends on the machine's names: it is
   * checked at finish. */
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
    else if (strcasecmp(child->key, "ReportStats") == 0)
      status = get_bool("Plugin wmi", child, &cfg->report_stats);
    else {
      wmi_log(LOG_ERR, "Plugin wmi: option \"%s\" is unknown here", child->key);
      status = -1;
    }
    if (status != 0)
      return -1;
  }
  return 0;
}

bool wmi_host_is_local(const wmi_host_t *host) { return host->local; }
