/* The options each block of a <Plugin wmi> stanza accepts, for tests and
 * documentation checks. The list comes from the tables the parser
 * dispatches on (wmi_config_parse.c), so it cannot drift from what is
 * accepted. The names are static: nobody frees them; any thread may call. */
#ifndef WMI_CONFIG_OPTIONS_H
#define WMI_CONFIG_OPTIONS_H

#include <stddef.h>

typedef enum {
  WMI_BLOCK_PLUGIN,
  WMI_BLOCK_QUERY,
  WMI_BLOCK_RESULT,
  WMI_BLOCK_HOST
} wmi_block_t;

/* The i-th option name block accepts (as the parser matches it, without
 * case), NULL past the last. */
const char *wmi_config_option_name(wmi_block_t block, size_t i);

#endif
