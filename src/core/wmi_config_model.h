/* The configuration model: what a <Plugin wmi> stanza says, as plain
 * structs and their limits. wmi_config.h builds it (parse, finish, free);
 * everything else only reads it, from any thread, once
 * wmi_config_finish() succeeded: it is immutable from then on. Portable C:
 * it knows collectd's data sets, nothing of COM. */
#ifndef WMI_CONFIG_MODEL_H
#define WMI_CONFIG_MODEL_H

#include "plugin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More parts would not fit collectd's 128-byte type instance anyway. */
#define WMI_MAX_INSTANCES_FROM 8
/* ObjectsFrom: an object's identity (a process id) needs one or two. */
#define WMI_MAX_OBJECTS_FROM 8

/* MaxConcurrentQueries: WMI calls a host may have in flight at once. The
 * default is written here only; wmi_config_finish gives it to every host
 * that does not set the option. */
#define WMI_MAX_CONCURRENT_DEFAULT 4
#define WMI_MAX_CONCURRENT_LIMIT 64

/* Interval and Timeout, in seconds: below the minimum a worker would only
 * spin; the maximum (a day) keeps cdtime_t conversions in range. */
#define WMI_SECONDS_MIN 0.1
#define WMI_SECONDS_MAX 86400.0

/* The longest host, plugin instance, type or type instance collectd
 * keeps: its fields hold DATA_MAX_NAME_LEN bytes with the terminator. */
#define WMI_NAME_MAX (DATA_MAX_NAME_LEN - 1)

/* What happens when several objects of one run give the same instance. */
typedef enum {
  WMI_DUPLICATES_KEEP_ONE, /* the first is kept, with a warning */
  WMI_DUPLICATES_SUM,      /* their values are added up (raw, before cooking
                              and Scale/Shift) */
} wmi_duplicates_t;

typedef struct {
  char *type;            /* a type from types.db */
  char *instance_prefix; /* NULL when not set */
  char **instances_from; /* property names, may be empty */
  size_t instances_from_num;
  /* StripInstanceNumber: a string InstancesFrom value loses perflib's
   * duplicate-instance suffix ("#" and digits at its end: "svchost#12"
   * becomes "svchost") before the type instance is built. */
  bool strip_instance_number;
  char **values_from; /* property names, one per data source */
  size_t values_from_num;
  int *ds_types; /* DS_TYPE_* per data source, set by wmi_config_finish */
  /* Scale and Shift: when `scaled` (either option was given), every value
   * becomes value * scale + shift. With a counter, derive or absolute
   * data source finish accepts only integers that keep 64-bit integer
   * arithmetic exact: see WMI_SCALE_INT_MAX and WMI_SHIFT_INT_MAX. A
   * zeroed Result does not scale. */
  bool scaled;
  double scale, shift;
  /* ValueMap: a string value of a ValuesFrom property equal (exactly,
   * case-sensitive) to value_map_strings[k] becomes value_map_numbers[k]
   * before conversion and scaling. An unmapped string becomes
   * value_map_default when has_value_map_default, else is skipped with a
   * warning. Non-string values are converted as without a map. With a
   * counter, derive or absolute data source finish accepts only integers
   * of magnitude at most 2^53 (WMI_SHIFT_INT_MAX), not negative for
   * counter and absolute. */
  char **value_map_strings;
  double *value_map_numbers;
  size_t value_map_num;
  bool has_value_map_default;
  double value_map_default;
  /* CounterType: the ValuesFrom properties are raw performance counters
   * (Win32_PerfRawData_*), cooked into what Performance Monitor shows
   * before Scale and Shift; every data source must be a gauge. With
   * counter_auto each property's type is read from its class's CounterType
   * qualifier; else counter_type (a winperf.h number) applies to all. */
  bool cooked;
  bool counter_auto;
  uint32_t counter_type;
  wmi_duplicates_t duplicates;
  /* ObjectsFrom: property names identifying one object from run to run
   * (a process's IDProcess). Only with `cooked` and Duplicates "sum"
   * (checked at parse): each object's raw counters are cooked against its
   * own previous sample, then the cooked values are added up per
   * instance. Empty: sums are added up raw and cooked as a whole. */
  char **objects_from;
  size_t objects_from_num;
} wmi_result_t;

/* Scale and Shift with counter, derive and absolute data sources: Scale an
 * integer from 1 to 2^32 (any unit conversion fits: 2^30 for GiB, 10^9
 * for seconds to nanoseconds), Shift an integer of magnitude at most 2^53
 * (collectd reads configuration numbers as doubles, which hold every
 * integer up to 2^53 exactly). */
#define WMI_SCALE_INT_MAX 4294967296.0
#define WMI_SHIFT_INT_MAX 9007199254740992.0

typedef struct {
  char *name;
  char *statement;       /* WQL */
  char *wmi_namespace;   /* default "root\\cimv2" */
  char *plugin_instance; /* default: the query's name */
  /* ProviderArchitecture: 32 or 64 asks WMI for that provider (an
   * IWbemContext with __ProviderArchitecture and __RequiredArchitecture);
   * 0, the default, lets WMI choose. */
  int provider_architecture;
  wmi_result_t *results;
  size_t results_num;
  size_t results_cap; /* allocated elements of results */
} wmi_query_t;

typedef struct {
  char *name;
  char *address;                         /* NULL when not set */
  char *username, *password, *authority; /* NULL when not set */
  cdtime_t interval;                     /* 0: collectd's interval */
  cdtime_t timeout;                      /* 0: the interval */
  /* At most this many WMI calls in flight at once for this host; its
   * connections per namespace are a pool of at most this many, each used
   * by one call at a time. 0 until finish resolves the default. */
  int max_concurrent;
  /* The Address names this machine (wmi_address_is_local): no credentials,
   * identifiers carry collectd's Hostname. Set by wmi_config_finish. */
  bool local;
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
  /* ReportStats: dispatch each job's own figures every interval. */
  bool report_stats;
  /* Bookkeeping: allocated elements, and the outcome of the one
   * wmi_config_finish that ran (later calls return it unchanged). */
  size_t queries_cap, hosts_cap;
  bool finished;
  int finish_status;
} wmi_config_t;

/* The host's Address names this machine. Valid after wmi_config_finish;
 * any thread may call it. */
static inline bool wmi_host_is_local(const wmi_host_t *host) {
  return host->local;
}

#endif
