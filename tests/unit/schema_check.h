/* Checks the WMI names of a parsed configuration against schema facts
 * (schema_facts.h): for every Query, the Statement's class in the Query's
 * Namespace, the properties its select list and its WHERE condition name
 * (wql_names.h; with SELECT * there is no list to check), and the
 * properties each Result names in ValuesFrom, InstancesFrom and
 * ObjectsFrom. Names compare without case, as WMI compares them; WMI's
 * system properties (__CLASS, __PATH, ...) belong to every class. Wine has
 * only some of a Windows server's classes and properties, so this is what
 * catches a misspelt name before a customer's server does. */
#ifndef SCHEMA_CHECK_H
#define SCHEMA_CHECK_H

#include "schema_facts.h"
#include "wmi_config_model.h"

/* Called once per problem with a message naming the file, the Query, the
 * option and the unknown name; the message is valid during the call. */
typedef void (*schema_report_fn)(const char *message, void *ctx);

/* Checks every Query of cfg (parsed; it need not be finished); file names
 * the configuration in messages. Returns the number of problems. */
size_t schema_check_config(const wmi_config_t *cfg, const char *file,
                           const schema_facts_t *facts, schema_report_fn report,
                           void *ctx);

#endif
