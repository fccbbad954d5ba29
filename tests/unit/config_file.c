#include "config_file.h"

#include "config_text.h"
#include "log_capture.h"

#include <stdio.h>
#include <strings.h>

static bool is_plugin_wmi(const oconfig_item_t *item) {
  return strcasecmp(item->key, "Plugin") == 0 && item->values_num == 1 &&
         item->values[0].type == OCONFIG_TYPE_STRING &&
         strcasecmp(item->values[0].value.string, "wmi") == 0;
}

/* Parses each <Plugin wmi> block under top, or top itself when it holds
 * none; what the parser logs is captured into err. */
static int parse_blocks(wmi_config_t *cfg, const oconfig_item_t *top, char *err,
                        size_t errlen) {
  bool any = false;
  int status = 0;
  log_capture_start();
  for (int i = 0; i < top->children_num && status == 0; i++)
    if (is_plugin_wmi(&top->children[i])) {
      any = true;
      status = wmi_config_parse(cfg, &top->children[i]);
    }
  if (!any)
    status = wmi_config_parse(cfg, top);
  log_capture_stop();
  if (status != 0)
    snprintf(err, errlen, "the plugin's parser refuses it: %s",
             log_captured_all());
  return status;
}

wmi_config_t *config_file_parse(const char *text, char *err, size_t errlen) {
  /* config_text_parse reads text as a <Plugin wmi> block's content: the
   * file's top-level lines are the children of the tree it returns. */
  oconfig_item_t *top = config_text_parse(text);
  if (top == NULL) {
    snprintf(err, errlen, "syntax error");
    return NULL;
  }
  wmi_config_t *cfg = wmi_config_new();
  int status = -1;
  if (cfg == NULL)
    snprintf(err, errlen, "out of memory");
  else
    status = parse_blocks(cfg, top, err, errlen);
  config_text_free(top);
  if (status == 0 && cfg->queries_num == 0) {
    snprintf(err, errlen, "no Query");
    status = -1;
  }
  if (status != 0) {
    wmi_config_free(cfg);
    return NULL;
  }
  return cfg;
}
