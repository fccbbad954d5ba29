/* wmi_config_finish: the checks that need the whole configuration,
 * types.db and this machine's names, then the jobs. This file holds the
 * pipeline (finish, at the end) and the checks of each Result against its
 * type's data sources; names and identifiers are checked in
 * wmi_config_names.c and wmi_config_identity.c. Lookups and duplicate
 * checks sort instead of scanning, so a configuration of n queries costs
 * O(n log n) however many queries and hosts it has. */
#include "wmi_config.h"
#include "wmi_config_alloc.h"
#include "wmi_config_identity.h"
#include "wmi_config_names.h"

#include "wmi_counter_check.h"
#include "wmi_log.h"
#include "wmi_value.h"
#include "wmi_wql.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
          wmi_ds_type_name(ds->ds[d].type), ds->ds[d].name);
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
            WMI_SHIFT_INT_MAX, r->type, wmi_ds_type_name(type), ds->ds[d].name);
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
              q->name, index + 1, r->type, wmi_ds_type_name(ds->ds[d].type),
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
  const char *name = wmi_counter_type_name(r->counter_type);
  for (size_t i = 0; i < r->values_from_num; i++) {
    char missing[WMI_PROPERTY_MAX];
    switch (wmi_counter_check(r->counter_type, r->values_from[i], q->statement,
                              r->duplicates == WMI_DUPLICATES_SUM,
                              r->objects_from_num > 0, missing,
                              sizeof(missing))) {
    case WMI_COUNTER_USABLE:
      continue;
    case WMI_COUNTER_UNSUPPORTED: /* the parser takes only supported names */
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"CounterType\": counter "
              "type 0x%08lx is not supported",
              q->name, index + 1, (unsigned long)r->counter_type);
      return -1;
    case WMI_COUNTER_NOT_SUMMABLE:
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"Duplicates\" \"sum\": %s "
              "values cannot be added up",
              q->name, index + 1, name);
      return -1;
    case WMI_COUNTER_NOT_PER_OBJECT:
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"ObjectsFrom\": %s "
              "values of several objects cannot be added up before they "
              "are cooked",
              q->name, index + 1, name);
      return -1;
    case WMI_COUNTER_UNSELECTED:
      wmi_log(LOG_ERR,
              "Query \"%s\", Result %zu: option \"CounterType\": %s "
              "needs property \"%s\" for \"%s\", and the Statement does "
              "not select it",
              q->name, index + 1, name, missing, r->values_from[i]);
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
    r->ds_types = wmi_config_calloc(ds->ds_num, sizeof(*r->ds_types));
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

static int add_local_host(wmi_config_t *cfg) {
  cfg->hosts = wmi_config_calloc(1, sizeof(*cfg->hosts));
  if (cfg->hosts == NULL)
    return -1;
  cfg->hosts_num = cfg->hosts_cap = 1;
  wmi_host_t *h = &cfg->hosts[0];
  h->name = strdup("local");
  h->query_names = wmi_config_calloc(cfg->queries_num, sizeof(char *));
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

static int build_jobs(wmi_config_t *cfg, cdtime_t default_interval) {
  size_t total = 0;
  for (size_t i = 0; i < cfg->hosts_num; i++)
    total += cfg->hosts[i].query_names_num;
  cfg->jobs = wmi_config_calloc(total, sizeof(*cfg->jobs));
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

/* The pipeline, in order: the names (wmi_config_names.c); each query's
 * Results against types.db (above) and its identifiers
 * (wmi_config_identity.c); the default host; each host's defaults, identity
 * and queries; the jobs; and last the jobs' identifiers, which need them
 * all. */
static int finish(wmi_config_t *cfg, wmi_ds_lookup_fn lookup, void *ctx,
                  cdtime_t default_interval, const char *const *machine_names) {
  if (cfg->queries_num == 0) {
    wmi_log(LOG_ERR, "Plugin wmi: no <Query> block is configured");
    return -1;
  }
  wmi_query_index_t *query_index = NULL;
  if (wmi_config_index_queries(cfg, &query_index) != 0)
    return -1;
  int status = wmi_config_check_unique_hosts(cfg);
  for (size_t i = 0; status == 0 && i < cfg->queries_num; i++) {
    wmi_query_t *q = &cfg->queries[i];
    if (resolve_types(q, lookup, ctx) != 0 ||
        wmi_config_check_names_fit(q) != 0 ||
        wmi_config_check_results_distinct(q) != 0)
      status = -1;
  }
  if (status == 0 && cfg->hosts_num == 0)
    status = add_local_host(cfg);
  for (size_t i = 0; status == 0 && i < cfg->hosts_num; i++) {
    wmi_host_t *h = &cfg->hosts[i];
    if (h->max_concurrent == 0)
      h->max_concurrent = WMI_MAX_CONCURRENT_DEFAULT;
    if (wmi_config_check_host_identity(h, machine_names) != 0 ||
        wmi_config_resolve_queries(h, query_index) != 0)
      status = -1;
  }
  wmi_query_index_free(query_index);
  if (status == 0)
    status = build_jobs(cfg, default_interval);
  if (status == 0)
    status = wmi_config_check_identities_distinct(cfg);
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
