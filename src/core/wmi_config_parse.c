/* wmi_config_parse: walks a <Plugin wmi> block and its Query, Result and
 * Host blocks. Each block's options are a table (name, getter, field):
 * the parser dispatches on it and wmi_config_option_name lists it, so what
 * is documented and tested is what is accepted. The getters are in
 * wmi_config_getters.c; checks that need the whole configuration wait for
 * wmi_config_finish (wmi_config_finish.c). */
#include "wmi_config.h"
#include "wmi_config_alloc.h"
#include "wmi_config_getters.h"
#include "wmi_config_options.h"

#include "wmi_log.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_NAMESPACE "root\\cimv2"

typedef struct {
  const wmi_option_t *options;
  size_t num;
} option_table_t;

/* The block getters: a Query or Host in the Plugin block, a Result in a
 * Query. They fit the getter signature to sit in the tables. */
static int get_query(const wmi_option_t *o, const char *where,
                     const oconfig_item_t *ci, void *cfg, bool repeated);
static int get_host(const wmi_option_t *o, const char *where,
                    const oconfig_item_t *ci, void *cfg, bool repeated);
static int get_result(const wmi_option_t *o, const char *where,
                      const oconfig_item_t *ci, void *query, bool repeated);

#define OPTIONS_MAX 16 /* the longest table: for parse_options' flags */
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define TABLE(options)                                                         \
  { options, COUNT(options) }

static const wmi_option_t plugin_options[] = {
    {"Query", get_query},
    {"Host", get_host},
    {"ReportStats", wmi_option_bool, offsetof(wmi_config_t, report_stats)},
};

static const wmi_option_t query_options[] = {
    {"Statement", wmi_option_string, offsetof(wmi_query_t, statement)},
    {"Namespace", wmi_option_string, offsetof(wmi_query_t, wmi_namespace)},
    {"PluginInstance", wmi_option_string,
     offsetof(wmi_query_t, plugin_instance)},
    {"Result", get_result},
    {"ProviderArchitecture", wmi_option_provider_architecture},
};

static const wmi_option_t result_options[] = {
    {"Type", wmi_option_string, offsetof(wmi_result_t, type)},
    {"InstancePrefix", wmi_option_string,
     offsetof(wmi_result_t, instance_prefix)},
    {"InstancesFrom", wmi_option_strings,
     offsetof(wmi_result_t, instances_from),
     offsetof(wmi_result_t, instances_from_num)},
    {"ValuesFrom", wmi_option_strings, offsetof(wmi_result_t, values_from),
     offsetof(wmi_result_t, values_from_num)},
    /* Either of Scale and Shift makes the Result `scaled`. */
    {"Scale", wmi_option_number, offsetof(wmi_result_t, scale),
     offsetof(wmi_result_t, scaled)},
    {"Shift", wmi_option_number, offsetof(wmi_result_t, shift),
     offsetof(wmi_result_t, scaled)},
    {"ValueMap", wmi_option_value_map},
    {"ValueMapDefault", wmi_option_number,
     offsetof(wmi_result_t, value_map_default),
     offsetof(wmi_result_t, has_value_map_default)},
    {"CounterType", wmi_option_counter_type},
    {"Duplicates", wmi_option_duplicates},
    {"StripInstanceNumber", wmi_option_bool,
     offsetof(wmi_result_t, strip_instance_number)},
    {"ObjectsFrom", wmi_option_strings, offsetof(wmi_result_t, objects_from),
     offsetof(wmi_result_t, objects_from_num)},
};

static const wmi_option_t host_options[] = {
    {"Address", wmi_option_string, offsetof(wmi_host_t, address)},
    {"Username", wmi_option_string, offsetof(wmi_host_t, username)},
    {"Password", wmi_option_string, offsetof(wmi_host_t, password)},
    {"Authority", wmi_option_string, offsetof(wmi_host_t, authority)},
    {"Interval", wmi_option_seconds, offsetof(wmi_host_t, interval)},
    {"Timeout", wmi_option_seconds, offsetof(wmi_host_t, timeout)},
    {"MaxConcurrentQueries", wmi_option_max_concurrent},
    {"Query", wmi_option_strings, offsetof(wmi_host_t, query_names),
     offsetof(wmi_host_t, query_names_num)},
};

/* Indexed by wmi_block_t. */
static const option_table_t tables[] = {
    [WMI_BLOCK_PLUGIN] = TABLE(plugin_options),
    [WMI_BLOCK_QUERY] = TABLE(query_options),
    [WMI_BLOCK_RESULT] = TABLE(result_options),
    [WMI_BLOCK_HOST] = TABLE(host_options),
};

_Static_assert(COUNT(plugin_options) <= OPTIONS_MAX &&
                   COUNT(query_options) <= OPTIONS_MAX &&
                   COUNT(result_options) <= OPTIONS_MAX &&
                   COUNT(host_options) <= OPTIONS_MAX,
               "a table is longer than OPTIONS_MAX");

const char *wmi_config_option_name(wmi_block_t block, size_t i) {
  if ((size_t)block >= COUNT(tables) || i >= tables[block].num)
    return NULL;
  return tables[block].options[i].name;
}

/* Hands each option of ci to the getter its block's table names (the first
 * name equal without case); an option no entry names is an error. */
static int parse_options(wmi_block_t block, const char *where,
                         const oconfig_item_t *ci, void *target) {
  const option_table_t *table = &tables[block];
  bool given[OPTIONS_MAX] = {false};
  for (int i = 0; i < ci->children_num; i++) {
    const oconfig_item_t *opt = &ci->children[i];
    size_t k = 0;
    while (k < table->num && strcasecmp(opt->key, table->options[k].name) != 0)
      k++;
    if (k == table->num) {
      wmi_option_error(where, opt, "is unknown here");
      return -1;
    }
    const wmi_option_t *o = &table->options[k];
    if (o->get(o, where, opt, target, given[k]) != 0)
      return -1;
    given[k] = true;
  }
  return 0;
}

static int block_name(const oconfig_item_t *block, char **out) {
  if (block->values_num != 1 || block->values[0].type != OCONFIG_TYPE_STRING ||
      block->values[0].value.string[0] == '\0') {
    wmi_log(LOG_ERR, "<%s> block needs exactly one non-empty name", block->key);
    return -1;
  }
  *out = wmi_config_strdup(block->values[0].value.string);
  return *out ? 0 : -1;
}

/* Appends a zeroed element of size bytes to an array of the model (*num
 * used, *cap allocated), for a block: a Query or Host, named by its one
 * argument (*name gets a copy, which the caller stores in the element), or
 * a Result (name NULL). Returns the element, or NULL after logging. */
static void *append_block(const oconfig_item_t *ci, void **array, size_t *cap,
                          size_t *num, size_t size, char **name) {
  if (name != NULL && block_name(ci, name) != 0)
    return NULL;
  if (wmi_config_reserve(array, cap, *num, size) != 0) {
    if (name != NULL) {
      free(*name);
      *name = NULL;
    }
    return NULL;
  }
  void *element = (char *)*array + (*num)++ * size;
  memset(element, 0, size);
  return element;
}

/* ObjectsFrom pairs each object's raw counters from run to run and adds
 * up what they cook into: it needs both CounterType and Duplicates "sum". */
static int check_objects_from(const char *where, const wmi_result_t *r) {
  if (r->objects_from_num > WMI_MAX_OBJECTS_FROM) {
    wmi_log(LOG_ERR, "%s: option \"ObjectsFrom\" names more than %d properties",
            where, WMI_MAX_OBJECTS_FROM);
    return -1;
  }
  const char *why;
  if (r->objects_from_num == 0)
    return 0;
  if (!r->cooked)
    why = "needs \"CounterType\" (it pairs raw performance counters of "
          "one object from run to run)";
  else if (r->duplicates != WMI_DUPLICATES_SUM)
    why = "needs Duplicates \"sum\" (it adds up the cooked values of an "
          "instance's objects)";
  else
    return 0;
  wmi_log(LOG_ERR, "%s: option \"ObjectsFrom\" %s", where, why);
  return -1;
}

/* What a Result needs that no single option can tell. */
static int check_result(const char *where, const wmi_result_t *r) {
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
  if (r->strip_instance_number && r->instances_from_num == 0) {
    wmi_log(LOG_ERR,
            "%s: option \"StripInstanceNumber\" needs \"InstancesFrom\" "
            "(it rewrites the InstancesFrom values)",
            where);
    return -1;
  }
  if (r->strip_instance_number && r->cooked &&
      r->duplicates != WMI_DUPLICATES_SUM) {
    /* The names it makes repeat, and a repeated cooked instance gives no
     * value: every run would fail them. */
    wmi_log(LOG_ERR,
            "%s: option \"StripInstanceNumber\" with \"CounterType\" needs "
            "Duplicates \"sum\" (the names it makes repeat; add ObjectsFrom "
            "to pair each object from run to run)",
            where);
    return -1;
  }
  if (check_objects_from(where, r) != 0)
    return -1;
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
  return 0;
}

static int get_result(const wmi_option_t *o, const char *where,
                      const oconfig_item_t *ci, void *query, bool repeated) {
  (void)o, (void)where, (void)repeated; /* a query may have many */
  wmi_query_t *q = query;
  if (ci->values_num != 0) {
    wmi_log(LOG_ERR, "Query \"%s\": <Result> takes no arguments", q->name);
    return -1;
  }
  void *results = q->results;
  wmi_result_t *r = append_block(ci, &results, &q->results_cap, &q->results_num,
                                 sizeof(*r), NULL);
  q->results = results;
  if (r == NULL)
    return -1;
  r->scale = 1.0;
  char result_where[160];
  snprintf(result_where, sizeof(result_where), "Query \"%s\", Result %zu",
           q->name, q->results_num);
  if (parse_options(WMI_BLOCK_RESULT, result_where, ci, r) != 0)
    return -1;
  return check_result(result_where, r);
}

static int get_query(const wmi_option_t *o, const char *where,
                     const oconfig_item_t *ci, void *config, bool repeated) {
  (void)o, (void)where, (void)repeated; /* the block names itself */
  wmi_config_t *cfg = config;
  char *name = NULL;
  /* Duplicate names are found at finish, by sorting: a scan here would
   * make parsing quadratic in the number of queries. */
  void *queries = cfg->queries;
  wmi_query_t *q = append_block(ci, &queries, &cfg->queries_cap,
                                &cfg->queries_num, sizeof(*q), &name);
  cfg->queries = queries;
  if (q == NULL)
    return -1;
  q->name = name;
  char query_where[160];
  snprintf(query_where, sizeof(query_where), "Query \"%s\"", q->name);
  if (parse_options(WMI_BLOCK_QUERY, query_where, ci, q) != 0)
    return -1;
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
    q->wmi_namespace = wmi_config_strdup(DEFAULT_NAMESPACE);
  if (q->plugin_instance == NULL)
    q->plugin_instance = wmi_config_strdup(q->name);
  return (q->wmi_namespace && q->plugin_instance) ? 0 : -1;
}

static int get_host(const wmi_option_t *o, const char *where,
                    const oconfig_item_t *ci, void *config, bool repeated) {
  (void)o, (void)where, (void)repeated; /* the block names itself */
  wmi_config_t *cfg = config;
  char *name = NULL;
  /* Duplicate names are found at finish, as for queries. */
  void *hosts = cfg->hosts;
  wmi_host_t *h = append_block(ci, &hosts, &cfg->hosts_cap, &cfg->hosts_num,
                               sizeof(*h), &name);
  cfg->hosts = hosts;
  if (h == NULL)
    return -1;
  h->name = name;
  char host_where[160];
  snprintf(host_where, sizeof(host_where), "Host \"%s\"", h->name);
  if (parse_options(WMI_BLOCK_HOST, host_where, ci, h) != 0)
    return -1;
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
  return parse_options(WMI_BLOCK_PLUGIN, "Plugin wmi", ci, cfg);
}
