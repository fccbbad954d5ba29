/* wmi_config_option_name: the options each block accepts, as the parser's
 * own tables list them. Every listed name must parse (in any case) and the
 * list must end where the table does. */
#include "config_text.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_config.h"
#include "wmi_config_options.h"

#include <ctype.h>
#include <stdio.h>

typedef struct {
  wmi_block_t block;
  const char *label;
  const char *names[16]; /* NULL-terminated, in the table's order */
  /* The stanza around one option: printf with the option's line. */
  const char *stanza;
} block_case_t;

static const block_case_t cases[] = {
    {.block = WMI_BLOCK_PLUGIN,
     .label = "Plugin",
     .names = {"Query", "Host", "ReportStats", NULL},
     .stanza = "%s\n"},
    {.block = WMI_BLOCK_QUERY,
     .label = "Query",
     .names = {"Statement", "Namespace", "PluginInstance", "Result",
               "ProviderArchitecture", NULL},
     .stanza = "<Query \"q\">\n%s\n</Query>\n"},
    {.block = WMI_BLOCK_RESULT,
     .label = "Result",
     .names = {"Type", "InstancePrefix", "InstancesFrom", "ValuesFrom", "Scale",
               "Shift", "ValueMap", "ValueMapDefault", "CounterType",
               "Duplicates", "StripInstanceNumber", "ObjectsFrom", NULL},
     .stanza = "<Query \"q\">\nStatement \"SELECT A FROM B\"\n<Result>\n%s\n"
               "</Result>\n</Query>\n"},
    {.block = WMI_BLOCK_HOST,
     .label = "Host",
     .names = {"Address", "Username", "Password", "Authority", "Interval",
               "Timeout", "MaxConcurrentQueries", "Query", NULL},
     .stanza = "<Host \"h\">\n%s\n</Host>\n"},
};

static size_t count_names(const block_case_t *c) {
  size_t n = 0;
  while (c->names[n] != NULL)
    n++;
  return n;
}

static void test_every_block_lists_its_names(void) {
  unit_case = "names";
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    const block_case_t *c = &cases[k];
    size_t n = count_names(c);
    for (size_t i = 0; i < n; i++) {
      const char *got = wmi_config_option_name(c->block, i);
      CHECK(got != NULL, "%s option %zu is missing", c->label, i);
      if (got != NULL)
        CHECK_STR(got, c->names[i]);
    }
    CHECK(wmi_config_option_name(c->block, n) == NULL,
          "%s: NULL after its %zu options", c->label, n);
    CHECK(wmi_config_option_name(c->block, n + 1) == NULL,
          "%s: NULL further past the end", c->label);
    CHECK(wmi_config_option_name(c->block, (size_t)-1) == NULL,
          "%s: NULL at SIZE_MAX", c->label);
  }
  CHECK(wmi_config_option_name((wmi_block_t)(WMI_BLOCK_HOST + 1), 0) == NULL,
        "no block after Host");
}

/* Parses `option "x"` in the case's block and returns whether the parser
 * called the option unknown; other complaints (a wrong argument, a missing
 * option) do not matter here. */
static bool parser_calls_unknown(const block_case_t *c, const char *option) {
  char line[128], text[512];
  snprintf(line, sizeof(line), "%s \"x\"", option);
  snprintf(text, sizeof(text), c->stanza, line);
  oconfig_item_t *tree = config_text_parse(text);
  CHECK(tree != NULL, "test bug: stanza text does not parse:\n%s", text);
  if (tree == NULL)
    return true;
  log_capture_start();
  wmi_config_t *cfg = wmi_config_new();
  wmi_config_parse(cfg, tree);
  bool unknown = log_captured("is unknown here");
  log_capture_stop();
  wmi_config_free(cfg);
  config_text_free(tree);
  return unknown;
}

static void test_parser_accepts_every_listed_name(void) {
  unit_case = "accepted";
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    const block_case_t *c = &cases[k];
    const char *name;
    for (size_t i = 0; (name = wmi_config_option_name(c->block, i)); i++) {
      CHECK(!parser_calls_unknown(c, name), "%s: \"%s\" is unknown here",
            c->label, name);
      char upper[64];
      size_t j = 0;
      for (; name[j] != '\0' && j + 1 < sizeof(upper); j++)
        upper[j] = (char)toupper((unsigned char)name[j]);
      upper[j] = '\0';
      CHECK(!parser_calls_unknown(c, upper), "%s: \"%s\" is unknown here",
            c->label, upper);
    }
    /* The check above can fail: a name no table lists is unknown. */
    CHECK(parser_calls_unknown(c, "NoSuchOption"),
          "%s: \"NoSuchOption\" is accepted", c->label);
  }
}

int main(void) {
  test_every_block_lists_its_names();
  test_parser_accepts_every_listed_name();
  return unit_summary("config_options");
}
