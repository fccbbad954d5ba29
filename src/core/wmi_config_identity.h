/* A finish step: the identifiers values will carry (host, plugin instance,
 * type instance). Names collectd would cut, Results or jobs whose values
 * would get the same identifiers, and which hosts are this machine. Called
 * by wmi_config_finish only, on the configuring thread; each returns 0, or
 * -1 after logging what is wrong. */
#ifndef WMI_CONFIG_IDENTITY_H
#define WMI_CONFIG_IDENTITY_H

#include "wmi_config_model.h"

/* q's PluginInstance and InstancePrefixes fit collectd's names. */
int wmi_config_check_names_fit(const wmi_query_t *q);

/* No two Results of q give an object's values the same identifiers. */
int wmi_config_check_results_distinct(const wmi_query_t *q);

/* Sets h->local (machine_names: see wmi_address_is_local; may be NULL),
 * then checks credentials are only for a remote host and a remote host's
 * name fits collectd's host field. */
int wmi_config_check_host_identity(wmi_host_t *h,
                                   const char *const *machine_names);

/* No two jobs give their values the same host and plugin instance. Needs
 * the jobs, and every host's `local`. */
int wmi_config_check_identities_distinct(const wmi_config_t *cfg);

#endif
