/* A configuration file as collectd hands it to the plugin: the <Plugin
 * wmi> blocks of the file's text (other lines, such as LoadPlugin, are
 * collectd's), each parsed by wmi_config_parse as the plugin parses it. A
 * file of bare <Query> blocks, to Include inside a <Plugin wmi> block, is
 * parsed as that block's content. The model is parsed, not finished: no
 * types.db is read. */
#ifndef CONFIG_FILE_H
#define CONFIG_FILE_H

#include "wmi_config.h"

#include <stddef.h>

/* Returns the configuration (the caller frees it with wmi_config_free),
 * or NULL with what is wrong in err: a syntax error, what the parser
 * logged, or no Query at all (a check that reads no query must not
 * pass). */
wmi_config_t *config_file_parse(const char *text, char *err, size_t errlen);

#endif
