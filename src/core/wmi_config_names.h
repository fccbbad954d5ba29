/* A finish step: the names of Query and Host blocks, defined once each
 * (without case), and the queries each host's Query option names. They
 * sort instead of scanning: O(n log n) for n names. Called by
 * wmi_config_finish only, on the configuring thread. */
#ifndef WMI_CONFIG_NAMES_H
#define WMI_CONFIG_NAMES_H

#include "wmi_config_model.h"

/* The query names of a configuration, sorted to look them up. */
typedef struct wmi_query_index wmi_query_index_t;

/* Indexes cfg's query names into *out, which the caller frees with
 * wmi_query_index_free; fails (-1, logged) on a name defined twice. */
int wmi_config_index_queries(const wmi_config_t *cfg, wmi_query_index_t **out);
void wmi_query_index_free(wmi_query_index_t *index);

/* 0, or -1 after logging the first Host name defined twice. */
int wmi_config_check_unique_hosts(const wmi_config_t *cfg);

/* Sets h->queries (which h owns) from the names of its Query option;
 * fails (-1, logged) on a name no query has, or one listed twice. */
int wmi_config_resolve_queries(wmi_host_t *h, const wmi_query_index_t *index);

#endif
