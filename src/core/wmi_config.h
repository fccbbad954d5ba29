/* Building the configuration model (wmi_config_model.h) from collectd's
 * oconfig tree: wmi_config_new, wmi_config_parse for each <Plugin wmi>
 * block, wmi_config_finish once, wmi_config_free. These run on the thread
 * of collectd's config and init callbacks, one call at a time; the
 * finished model is read-only and any thread may read it. Portable C: it
 * knows collectd's oconfig tree and data sets, nothing of COM. */
#ifndef WMI_CONFIG_H
#define WMI_CONFIG_H

#include "wmi_address.h"
#include "wmi_config_model.h"

/* Looks a type up in types.db; NULL when it is unknown. */
typedef const data_set_t *(*wmi_ds_lookup_fn)(const char *type, void *ctx);

/* Returns an empty configuration, or NULL when out of memory; the caller
 * owns it and frees it with wmi_config_free. */
wmi_config_t *wmi_config_new(void);
/* Frees cfg and everything it holds (NULL does nothing); the jobs, hosts
 * and queries it gave out are gone with it. */
void wmi_config_free(wmi_config_t *cfg);

/* Adds the queries and hosts of one <Plugin wmi> block; ci stays the
 * caller's. On error it logs a message naming the block and option and
 * returns -1; the configuration must then be freed and not used. Checks
 * that need every block (duplicate names among them) wait for
 * wmi_config_finish. The options each block accepts are listed by
 * wmi_config_option_name (wmi_config_options.h). */
int wmi_config_parse(wmi_config_t *cfg, const oconfig_item_t *ci);

/* Checks what needs the whole configuration, types.db and this machine's
 * names: duplicate Query and Host names, query references of hosts, types
 * and their data sources (Scale, Shift and ValueMap numbers too), which
 * hosts are local (machine_names: see wmi_address_is_local; may be NULL)
 * and credentials only for remote ones, names that collectd would cut or that
 * collide once sanitized. Adds a host "local" collecting every query when there
 * is no Host block, resolves each host's defaults and builds the jobs. Returns
 * 0, or -1 after logging what is wrong. Only the first call does anything;
 * later calls return its result and change nothing. */
int wmi_config_finish(wmi_config_t *cfg, wmi_ds_lookup_fn lookup, void *ctx,
                      cdtime_t default_interval,
                      const char *const *machine_names);

#endif
