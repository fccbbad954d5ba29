/* Builds an oconfig tree from collectd.conf text, so configuration tests
 * read like the stanzas users write. Supports what the wmi stanza uses:
 * blocks, strings with \" and \\ escapes, unquoted words (LoadPlugin wmi),
 * numbers, true/false, comments. */
#ifndef CONFIG_TEXT_H
#define CONFIG_TEXT_H

#include "oconfig.h"

/* Returns the <Plugin wmi> block's tree (the text is its content), or NULL
 * on a syntax error in the text. Free with config_text_free. */
oconfig_item_t *config_text_parse(const char *text);
void config_text_free(oconfig_item_t *root);

#endif
