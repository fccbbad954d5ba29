/* wmi_config_finish: the checks that need the whole configuration,
 * types.db and this machine's names, then the jobs. Lookups and duplicate
 * checks sort instead of scanning, so a configuration of n queries costs
 * O(n log n) however many queries and hosts it has. */
#include "wmi_config.h"

#include "wmi_cook.h"
#include "wmi_log.h"
#include "wmi_naming.h"
#include "wmi_wql.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A name and where it stands in its list, for finding duplicates and
 * looking names up by sorting. */
typedef struct {
  const char *name;
  size_t index;
} named_t;

static int compare_index(size_t a, size_t b) { return (a > b) - (a < b); }

/* Names without case, then by position: equal names end up adjacent, the
 * first defined first. */
static int compare_named(const void *a, const void *b) {
  const named_t *x = a, *y = b;
  int c = strcasecmp(x->name, y->name);
  return c != 0 ? c : compare_index(x->index, y->index);
}

static int compare_name_only(const void *key, const void *elem) {
  return strcasecmp(((const named_t *)key)->name,
                    ((const named_t *)elem)->name);
}

/* Sorts list and returns the first repetition of a name in list order
 * (the entry that repeats an earlier one), or NULL. */
static const named_t *sort_find_duplicate(named_t *list, size_t num) {
  qsort(list, num, sizeof(*list), compare_named);
  const named_t *found = NULL;
  for (size_t i = 1; i < num; i++)
    if (strcasecmp(list[i - 1].name, list[i].name) == 0 &&
        (found == NULL || list[i].index < found->index))
      found = &list[i];
  return found;
}

static void *alloc_array(size_t num, size_t size) {
  void *p = calloc(num ? num : 1, size);
  if (p == NULL)
    wmi_log(LOG_ERR, "out of memory");
  return p;
}

/* Query names sorted without case, for resolving hosts' references;
 * fails on a name defined twice. The caller frees *out. */
static int index_queries(const wmi_config_t *cfg, named_t **out) {
  named_t *index = alloc_array(cfg->queries_num, sizeof(*index));
  if (index == NULL)
    return -1;
  for (size_t i = 0; i < cfg->queries_num; i++)
    index[i] = (named_t){cfg->queries[i].name, i};
  const named_t *dup = sort_find_duplicate(index, cfg->queries_num);
  if (dup != NULL) {
    wmi_log(LOG_ERR, "Query \"%s\" is defined more than once", dup->name);
    free(index);
    return -1;
  }
  *out = index;
  return 0;
}

static int check_unique_hosts(const wmi_config_t *cfg) {
  named_t *list = alloc_array(cfg->hosts_num, sizeof(*list));
  if (list == NULL)
    return -1;
  for (size_t i = 0; i < cfg->hosts_num; i++)
    list[i] = (named_t){cfg->hosts[i].name, i};
  const named_t *dup = sort_find_duplicate(list, cfg->hosts_num);
  if (dup != NULL)
    wmi_log(LOG_ERR, "Host \"%s\" is defined more than once", dup->name);
  free(list);
  return dup != NULL ? -1 : 0;
}

static const char *ds_type_name(int type) {
  switch (type) {
  case DS_TYPE_COUNTER:
    return "counter";
  case DS_TYPE_DERIVE:
    return "derive";
  case DS_TYPE_ABSOLUTE:
    return "absolute";
  }
  return "gauge";
}

/* Counter, derive and absolute values are exact 64-bit integers, and
 * Scale and Shift must keep them so: integers that 64-bit arithmetic
 * applies exactly (a result out of range is skipped at run time). */
static int check_scale(const wmi_query_t *q, size_t index,
                       const data_set_t *ds) {
  const wmi_result_t *r = &q->results[index];
  if (!r->scaled)
    return 0;
  size_t d = 0;
  while (d < ds->ds_num && ds->ds[d].type == DS_TYPE_GAUGE)
    d++;
  if (d == ds->ds_num)
    return 0; /* gauges only: any Scale and Shift */
  const char *option;
  char range[96];
  if (!(r->scale >= 1.0 && r->scale <= WMI_SCALE_INT_MAX &&
        r->scale == floor(r->scale))) {
    option = "Scale";
    snprintf(range, sizeof(range), "an integer from 1 to %.0f (2^32)",
             WMI_SCALE_INT_MAX);
  } else if (!(fabs(r->shift) <= WMI_SHIFT_INT_MAX &&
               r->shift == floor(r->shift))) {
    option = "Shift";
    snprintf(range, sizeof(range), "an integer from -%.0f to %.0f (2^53)",
             WMI_SHIFT_INT_MAX, WMI_SHIFT_INT_MAX);
  } else
    return 0;
  wmi_log(LOG_ERR,
          "Query \"%s\", Result %zu: option \"%s\" must be %s, since type "
          "\"%s\" has the %s data source \"%s\", whose values are exact "
          "integers",
          q->name, index + 1, option, range, r->type,
          ds_type_name(ds->ds[d].type), ds->ds[d].name);
  return -1;
}

/* The numbers a ValueMap gives a counter, derive or absolute data source
 * must be exact integers there: magnitude at most 2^53 (every such double
 * is exact), and not negative for counter and absolute. */
static bool fits_integer_ds(double n, int ds_type) {
  if (!(fabs(n) <= WMI_SHIFT_INT_MAX && n == floor(n)))
    return false;
  return ds_type == DS_TYPE_DERIVE || n >= 0.0;
}

static int check_value_map(const wmi_query_t *q, size_t index,
                           const data_set_t *ds) {
  const wmi_result_t *r = &q->results[index];
  for (size_t d = 0; d < ds->ds_num; d++) {
    int type = ds->ds[d].type;
    if (type == DS_TYPE_GAUGE)
      continue;
    const char *option = NULL;
    double bad = 0.0;
    for (size_t k = 0; k < r->value_map_num && option == NULL; k++)
      if (!fits_integer_ds(r->value_map_numbers[k], type)) {
        option = "ValueMap";
        bad = r->value_map_numbers[k];
      }
    if (option == NULL && r->has_value_map_default &&
        !fits_integer_ds(r->value_map_default, type)) {
      option = "ValueMapDefault";
      bad = r->value_map_default;
    }
    if (option == NULL)
      continue;
    wmi_log(LOG_ERR,
            "Query \"%s\", Result %zu: option \"%s\": %.17g is not an integer "
            "from %s to %.0f (2^53), as type \"%s\" needs for its %s data "
            "source \"%s\"",
            q->name, index + 1, option, bad,
            type == DS_TYPE_DERIVE ? "-9007199254740992" : "0",
            WMI_SHIFT_INT_MAX, r->type, ds_type_name(type), ds->ds[d].name);
    return -1;
  }
  return 0;
}

/* CounterType: cooked values are rates, averages and fractions, so every
 * data source must be a gauge; an explicit type's other properties
 * (timestamps, frequency, base) must be selected; "auto" needs the class
 * name, to read its qualifiers. */
static int check_counter(const wmi_query_t *q, size_t index,
                         const data_set_t *ds) {
  const wmi_result_t *r = &q->results[index];
  if (!r->cooked)
    return 0;
  for (size_t d = 0; d < ds->ds_num; d++)
    if (ds->ds[d].type != DS_TYPE_GAUGE) {
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"CounterType\" gives "
              "gauges, but type \"%s\" has the %s data source \"%s\": "
              "choose a type whose data sources are gauges",
              q->name, index + 1, r->type, ds_type_name(ds->ds[d].type),
              ds->ds[d].name);
      return -1;
    }
  char class_name[WMI_PROPERTY_MAX];
  if (wmi_wql_class(q->statement, class_name, sizeof(class_name)) != 0) {
    wmi_log(LOG_ERR,
            "Query \"%s\", Result %zu: option \"CounterType\" needs a "
            "Statement of the form \"SELECT <properties> FROM <class> "
            "...\"",
            q->name, index + 1);
    return -1;
  }
  if (r->counter_auto)
    return 0; /* checked when the class's qualifiers are read */
  if (r->duplicates == WMI_DUPLICATES_SUM &&
      !wmi_counter_sums(r->counter_type)) {
    wmi_log(LOG_ERR,
            "Query \"%s\", Result %zu: option \"Duplicates\" \"sum\": %s "
            "values cannot be added up",
            q->name, index + 1, wmi_counter_type_name(r->counter_type));
    return -1;
  }
  for (size_t i = 0; i < r->values_from_num; i++) {
    char missing[WMI_PROPERTY_MAX];
    if (wmi_counter_unselected(r->counter_type, r->values_from[i], q->statement,
                               missing, sizeof(missing)) != NULL) {
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"CounterType\": %s "
              "needs property \"%s\" for \"%s\", and the Statement does "
              "not select it",
              q->name, index + 1, wmi_counter_type_name(r->counter_type),
              missing, r->values_from[i]);
      return -1;
    }
  }
  return 0;
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
    r->ds_types = alloc_array(ds->ds_num, sizeof(*r->ds_types));
    if (r->ds_types == NULL)
      return -1;
    for (size_t d = 0; d < ds->ds_num; d++)
      r->ds_types[d] = ds->ds[d].type;
    if (check_scale(q, i, ds) != 0 || check_value_map(q, i, ds) != 0 ||
        check_counter(q, i, ds) != 0)
      return -1;
  }
  return 0;
}

/* collectd cuts longer names silently, and two cut names may collide
 * unseen: refuse them here. */
static int check_names_fit(const wmi_query_t *q) {
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
static int check_results_distinct(const wmi_query_t *q) {
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

static int add_local_host(wmi_config_t *cfg) {
  cfg->hosts = alloc_array(1, sizeof(*cfg->hosts));
  if (cfg->hosts == NULL)
    return -1;
  cfg->hosts_num = cfg->hosts_cap = 1;
  wmi_host_t *h = &cfg->hosts[0];
  h->name = strdup("local");
  h->query_names = alloc_array(cfg->queries_num, sizeof(char *));
  if (h->name == NULL || h->query_names == NULL)
    return -1;
  for (size_t i = 0; i < cfg->queries_num; i++) {
    h->query_names[i] = strdup(cfg->queries[i].name);
    if (h->query_names[i] == NULL)
      return -1;
    h->query_names_num++;
  }
  return 0;
}

static int check_host_identity(wmi_host_t *h,
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

static int resolve_queries(wmi_host_t *h, const named_t *query_index,
                           size_t queries_num) {
  h->queries = alloc_array(h->query_names_num, sizeof(*h->queries));
  named_t *listed = alloc_array(h->query_names_num, sizeof(*listed));
  if (h->queries == NULL || listed == NULL) {
    free(listed);
    return -1;
  }
  for (size_t i = 0; i < h->query_names_num; i++) {
    named_t key = {h->query_names[i], 0};
    const named_t *found = bsearch(&key, query_index, queries_num,
                                   sizeof(*query_index), compare_name_only);
    if (found == NULL) {
      wmi_log(LOG_ERR,
              "Host \"%s\": option \"Query\": no <Query \"%s\"> is defined",
              h->name, h->query_names[i]);
      free(listed);
      return -1;
    }
    h->queries[i] = found->index;
    listed[i] = key;
    listed[i].index = i;
  }
  const named_t *dup = sort_find_duplicate(listed, h->query_names_num);
  if (dup != NULL)
    wmi_log(LOG_ERR,
            "Host \"%s\": option \"Query\": \"%s\" is listed more than once",
            h->name, dup->name);
  free(listed);
  return dup != NULL ? -1 : 0;
}

static int build_jobs(wmi_config_t *cfg, cdtime_t default_interval) {
  size_t total = 0;
  for (size_t i = 0; i < cfg->hosts_num; i++)
    total += cfg->hosts[i].query_names_num;
  cfg->jobs = alloc_array(total, sizeof(*cfg->jobs));
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
  return c != 0 ? c : compare_index(x->job, y->job);
}

static bool same_identity(const identity_t *x, const identity_t *y) {
  return (x->host == NULL) == (y->host == NULL) &&
         (x->host == NULL || strcmp(x->host, y->host) == 0) &&
         strcmp(x->plugin_instance, y->plugin_instance) == 0;
}

static char *sanitized_copy(const char *name) {
  char buffer[DATA_MAX_NAME_LEN]; /* lengths were checked */
  wmi_name_sanitize(buffer, sizeof(buffer), name);
  char *copy = strdup(buffer);
  if (copy == NULL)
    wmi_log(LOG_ERR, "out of memory");
  return copy;
}

static void free_names(char **names, size_t num) {
  for (size_t i = 0; names != NULL && i < num; i++)
    free(names[i]);
  free(names);
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
static int check_identities_distinct(const wmi_config_t *cfg) {
  char **instances = alloc_array(cfg->queries_num, sizeof(char *));
  char **hosts = alloc_array(cfg->hosts_num, sizeof(char *));
  identity_t *ids = alloc_array(cfg->jobs_num, sizeof(*ids));
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
  free_names(instances, cfg->queries_num);
  free_names(hosts, cfg->hosts_num);
  free(ids);
  return status;
}

static int finish(wmi_config_t *cfg, wmi_ds_lookup_fn lookup, void *ctx,
                  cdtime_t default_interval, const char *const *machine_names) {
  if (cfg->queries_num == 0) {
    wmi_log(LOG_ERR, "Plugin wmi: no <Query> block is configured");
    return -1;
  }
  named_t *query_index = NULL;
  if (index_queries(cfg, &query_index) != 0)
    return -1;
  int status = check_unique_hosts(cfg);
  for (size_t i = 0; status == 0 && i < cfg->queries_num; i++) {
    wmi_query_t *q = &cfg->queries[i];
    if (resolve_types(q, lookup, ctx) != 0 || check_names_fit(q) != 0 ||
        check_results_distinct(q) != 0)
      status = -1;
  }
  if (status == 0 && cfg->hosts_num == 0)
    status = add_local_host(cfg);
  for (size_t i = 0; status == 0 && i < cfg->hosts_num; i++) {
    wmi_host_t *h = &cfg->hosts[i];
    if (h->max_concurrent == 0)
      h->max_concurrent = WMI_MAX_CONCURRENT_DEFAULT;
    if (check_host_identity(h, machine_names) != 0 ||
        resolve_queries(h, query_index, cfg->queries_num) != 0)
      status = -1;
  }
  free(query_index);
  if (status == 0)
    status = build_jobs(cfg, default_interval);
  if (status == 0)
    status = check_identities_distinct(cfg);
  return status;
}

int wmi_config_finish(wmi_config_t *cfg, wmi_ds_lookup_fn lookup, void *ctx,
                      cdtime_t default_interval,
                      const char *const *machine_names) {
  if (!cfg->finished) {
    cfg->finish_status =
        finish(cfg, lookup, ctx, default_interval, machine_names);
    cfg->finished = true;
  }
  return cfg->finish_status;
}
