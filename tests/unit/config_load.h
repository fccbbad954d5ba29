/* A stanza the test knows to be good, parsed and finished with the fake
 * types.db and collectd's interval of 10 s: the test stops at once, with
 * the log, when it is not. */
#ifndef CONFIG_LOAD_H
#define CONFIG_LOAD_H

#include "wmi_config.h"

wmi_config_t *config_load_or_abort(const char *text);

#endif
