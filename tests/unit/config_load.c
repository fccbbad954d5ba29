#include "config_load.h"

#include "config_text.h"
#include "fake_types.h"
#include "log_capture.h"

#include <stdio.h>
#include <stdlib.h>

wmi_config_t *config_load_or_abort(const char *text) {
  oconfig_item_t *tree = config_text_parse(text);
  wmi_config_t *cfg = wmi_config_new();
  if (tree == NULL || wmi_config_parse(cfg, tree) != 0 ||
      wmi_config_finish(cfg, fake_types_lookup, NULL,
                        TIME_T_TO_CDTIME_T_STATIC(10), NULL) != 0) {
    fprintf(stderr, "test bug: %s\n", log_captured_all());
    abort();
  }
  config_text_free(tree);
  return cfg;
}
