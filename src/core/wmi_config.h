/* The configuration model: what a <Plugin wmi> stanza says, validated and
 * immutable once wmi_config_finish() succeeded. Portable C: it knows
 * collectd's oconfig tree and data sets, nothing of COM. */
#ifndef WMI_CONFIG_H
#define WMI_CONFIG_H

#include "plugin.h"

#include <stdbool.h>
#include <stddef.h>

/* More parts would not fit collectd's 128-byte type instance anyway. */
#define WMI_MAX_INSTANCES_FROM 8

typedef struct {
  char *type;            /* a type from types.db */
  char *instance_prefix; /* NULL when not set */
  char **instances_from; /* property names, may be empty */
  size_t instances_from_num;
  char **values_from; /* property names, one per data source */
  size_t values_from_num;
  int *ds_types; /* DS_TYPE_* per data source, set by wmi_config_finish */
} wmi_result_t;

typedef struct {
  char *name;
  char *statement;       /* WQL */
  char *wmi_namespace;   /* default "root\\cimv2" */
  char *plugin_instance; /* default: the query's name */
  wmi_result_t *results;
  size_t results_num;
} wmi_query_t;

typedef struct {
  char *name;
  char *address;                         /* NULL or "." for this machine */
  char *username, *password, *authority; /* NULL when not set */
  cdtime_t interval;                     /* 0: collectd's interval */
  cdtime_t timeout;                      /* 0: the interval */
  char **query_names;
  size_t query_names_num;
  size_t *queries; /* indexes into wmi_config_t.queries, set by finish */
} wmi_host_t;

/* One query collected from one host: the unit that is scheduled, run and
 * cached. Built by wmi_config_finish. */
typedef struct {
  const wmi_host_t *host;
  const wmi_query_t *query;
  cdtime_t interval; /* resolved: never 0 */
  cdtime_t timeout;  /* resolved: never 0 */
} wmi_job_t;

typedef struct {
  wmi_query_t *queries;
  size_t queries_num;
  wmi_host_t *hosts;
  size_t hosts_num;
  wmi_job_t *jobs;
  size_t jobs_num;
} wmi_config_t;

/* Looks a type up in types.db; NULL when it is unknown. */
typedef const data_set_t *(*wmi_ds_lookup_fn)(const char *type, void *ctx);

/* Returns an empty configuration; free with wmi_config_free. */
wmi_config_t *wmi_config_new(void);
void wmi_config_free(wmi_config_t *cfg);

/* Adds the queries and hosts of one <Plugin wmi> block. On error it logs a
 * message naming the block and option and returns -1; the configuration
 * must then be freed and not used. */
int wmi_config_parse(wmi_config_t *cfg, const oconfig_item_t *ci);

/* Checks what needs the whole configuration and types.db: query references
 * of hosts, types and their data sources. Adds a host "local" collecting
 * every query when there is no Host block, and builds the jobs. Returns 0,
 * or -1 after logging what is wrong. */
int wmi_config_finish(wmi_config_t *cfg, wmi_ds_lookup_fn lookup, void *ctx,
                      cdtime_t default_interval);

bool wmi_host_is_local(const wmi_host_t *host);

#endif
