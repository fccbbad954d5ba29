/* The stanza: what parses, what it means, and the message each mistake
 * gives (every one must name the block and the option). */
#include "config_text.h"
#include "fake_types.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_config.h"

#define INTERVAL TIME_T_TO_CDTIME_T_STATIC(10)

#define DISK_QUERY                                                             \
  "<Query \"disk\">\n"                                                         \
  "  Statement \"SELECT DeviceID, FreeSpace, Size FROM Win32_LogicalDisk\"\n"  \
  "  <Result>\n"                                                               \
  "    Type \"df_complex\"\n"                                                  \
  "    InstancePrefix \"free\"\n"                                              \
  "    InstancesFrom \"DeviceID\"\n"                                           \
  "    ValuesFrom \"FreeSpace\"\n"                                             \
  "  </Result>\n"                                                              \
  "</Query>\n"

/* Parses and finishes; returns the config or NULL (messages captured). */
static wmi_config_t *load(const char *text) {
  oconfig_item_t *tree = config_text_parse(text);
  if (tree == NULL) {
    fprintf(stderr, "test bug: stanza text does not parse:\n%s\n", text);
    return NULL;
  }
  wmi_config_t *cfg = wmi_config_new();
  int status = wmi_config_parse(cfg, tree);
  if (status == 0)
    status = wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL);
  config_text_free(tree);
  if (status != 0) {
    wmi_config_free(cfg);
    return NULL;
  }
  return cfg;
}

static void test_defaults_without_host(void) {
  unit_case = "defaults";
  log_capture_start();
  wmi_config_t *cfg = load(DISK_QUERY);
  CHECK(cfg != NULL, "log: %s", log_captured_all());
  if (cfg == NULL)
    return;
  CHECK(cfg->queries_num == 1, "%zu queries", cfg->queries_num);
  const wmi_query_t *q = &cfg->queries[0];
  CHECK_STR(q->wmi_namespace, "root\\cimv2");
  CHECK_STR(q->plugin_instance, "disk");
  CHECK(q->results[0].ds_types[0] == DS_TYPE_GAUGE, "ds type");
  CHECK(cfg->hosts_num == 1 && wmi_host_is_local(&cfg->hosts[0]),
        "an implicit local host");
  CHECK_STR(cfg->hosts[0].name, "local");
  CHECK(cfg->jobs_num == 1, "%zu jobs", cfg->jobs_num);
  CHECK(cfg->jobs[0].interval == INTERVAL, "collectd's interval");
  CHECK(cfg->jobs[0].timeout == INTERVAL, "timeout defaults to the interval");
  wmi_config_free(cfg);
}

static void test_hosts_and_lists(void) {
  unit_case = "hosts";
  log_capture_start();
  wmi_config_t *cfg = load(
      DISK_QUERY
      "<Query \"net\">\n"
      "  Statement \"SELECT Name, BytesReceivedPersec, BytesSentPersec FROM "
      "Win32_PerfRawData_Tcpip_NetworkInterface\"\n"
      "  Namespace \"root\\\\cimv2\"\n"
      "  PluginInstance \"network\"\n"
      "  <Result>\n"
      "    Type \"if_octets\"\n"
      "    InstancesFrom \"Name\" \"Index\"\n"
      "    ValuesFrom \"BytesReceivedPersec\" \"BytesSentPersec\"\n"
      "  </Result>\n"
      "</Query>\n"
      "<Host \"local\">\n  Interval 5\n  Query \"disk\"\n</Host>\n"
      "<Host \"server01\">\n  Address \"server01.example.com\"\n"
      "  Username \"EXAMPLE\\\\svc\"\n  Password \"s3cret\"\n"
      "  Interval 30\n  Timeout 20\n  Query \"disk\" \"NET\"\n</Host>\n");
  CHECK(cfg != NULL, "log: %s", log_captured_all());
  if (cfg == NULL)
    return;
  CHECK(cfg->hosts_num == 2, "%zu hosts", cfg->hosts_num);
  CHECK(cfg->jobs_num == 3, "%zu jobs", cfg->jobs_num);
  CHECK_STR(cfg->queries[1].plugin_instance, "network");
  CHECK(cfg->queries[1].results[0].instances_from_num == 2, "two instances");
  CHECK(cfg->queries[1].results[0].ds_types[1] == DS_TYPE_DERIVE, "derive");
  CHECK(cfg->jobs[0].interval == TIME_T_TO_CDTIME_T_STATIC(5), "host interval");
  CHECK(!wmi_host_is_local(&cfg->hosts[1]), "remote host");
  CHECK(cfg->jobs[2].query == &cfg->queries[1], "query names are case-blind");
  CHECK(cfg->jobs[2].timeout == TIME_T_TO_CDTIME_T_STATIC(20), "timeout");
  CHECK(!log_captured("s3cret"), "the password is never logged");
  wmi_config_free(cfg);
}

typedef struct {
  const char *name;
  const char *text;
  const char *message; /* what the log must say */
} bad_case_t;

#define RESULT_OK "<Result>\nType \"gauge\"\nValuesFrom \"X\"\n</Result>\n"
#define STMT "Statement \"SELECT X FROM C\"\n"

static const bad_case_t bad_cases[] = {
    {.name = "unknown plugin option",
     .text = "Interval 10\n" DISK_QUERY,
     .message = "Plugin wmi: option \"Interval\" is unknown here"},
    {.name = "unknown query option",
     .text = "<Query \"q\">\n" STMT "Statment \"x\"\n" RESULT_OK "</Query>\n",
     .message = "Query \"q\": option \"Statment\" is unknown here"},
    {.name = "unknown result option",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge\"\nValuesFrom \"X\"\nValue \"Y\"\n"
             "</Result>\n</Query>\n",
     .message = "Query \"q\", Result 1: option \"Value\" is unknown here"},
    {.name = "missing Statement",
     .text = "<Query \"q\">\n" RESULT_OK "</Query>\n",
     .message = "Query \"q\": option \"Statement\" is missing"},
    {.name = "no Result",
     .text = "<Query \"q\">\n" STMT "</Query>\n",
     .message = "Query \"q\": at least one <Result> block is needed"},
    {.name = "missing Type",
     .text = "<Query \"q\">\n" STMT "<Result>\nValuesFrom \"X\"\n</Result>\n"
             "</Query>\n",
     .message = "Query \"q\", Result 1: option \"Type\" is missing"},
    {.name = "missing ValuesFrom",
     .text = "<Query \"q\">\n" STMT "<Result>\nType \"gauge\"\n</Result>\n"
             "</Query>\n",
     .message = "Query \"q\", Result 1: option \"ValuesFrom\" is missing"},
    {.name = "Type not in types.db",
     .text = "<Query \"q\">\n" STMT RESULT_OK
             "<Result>\nType \"no_such_type\"\nValuesFrom \"X\"\n</Result>\n"
             "</Query>\n",
     .message = "Query \"q\", Result 2: option \"Type\": \"no_such_type\" is "
                "not a type in types.db"},
    {.name = "too few ValuesFrom",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"if_octets\"\nValuesFrom \"X\"\n</Result>\n"
             "</Query>\n",
     .message = "Query \"q\", Result 1: option \"ValuesFrom\" names 1 "
                "property, but type \"if_octets\" has 2 data sources"},
    {.name = "too many ValuesFrom",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge\"\nValuesFrom \"X\" \"Y\"\n</Result>\n"
             "</Query>\n",
     .message = "option \"ValuesFrom\" names 2 properties, but type \"gauge\" "
                "has 1 data source"},
    {.name = "duplicate query",
     .text = "<Query \"q\">\n" STMT RESULT_OK "</Query>\n"
             "<Query \"Q\">\n" STMT RESULT_OK "</Query>\n",
     .message = "Query \"Q\" is defined more than once"},
    {.name = "duplicate host",
     .text = DISK_QUERY "<Host \"a\">\nQuery \"disk\"\n</Host>\n"
                        "<Host \"a\">\nQuery \"disk\"\n</Host>\n",
     .message = "Host \"a\" is defined more than once"},
    {.name = "host names an undefined query",
     .text = DISK_QUERY "<Host \"a\">\nQuery \"disk\" \"cpu\"\n</Host>\n",
     .message = "Host \"a\": option \"Query\": no <Query \"cpu\"> is defined"},
    {.name = "host lists a query twice",
     .text = DISK_QUERY "<Host \"a\">\nQuery \"disk\" \"DISK\"\n</Host>\n",
     .message = "Host \"a\": option \"Query\": \"DISK\" is listed more than "
                "once"},
    {.name = "host without queries",
     .text = DISK_QUERY "<Host \"a\">\nInterval 10\n</Host>\n",
     .message = "Host \"a\": option \"Query\" is missing"},
    {.name = "zero interval",
     .text = DISK_QUERY "<Host \"a\">\nInterval 0\nQuery \"disk\"\n</Host>\n",
     .message = "Host \"a\": option \"Interval\" must be a positive number"},
    {.name = "negative timeout",
     .text = DISK_QUERY "<Host \"a\">\nTimeout -1\nQuery \"disk\"\n</Host>\n",
     .message = "Host \"a\": option \"Timeout\" must be a positive number"},
    {.name = "interval as a string",
     .text = DISK_QUERY "<Host \"a\">\nInterval \"10\"\nQuery \"disk\"\n"
                        "</Host>\n",
     .message = "Host \"a\": option \"Interval\" needs exactly one number"},
    {.name = "statement given twice",
     .text = "<Query \"q\">\n" STMT STMT RESULT_OK "</Query>\n",
     .message = "Query \"q\": option \"Statement\" is given more than once"},
    {.name = "empty statement",
     .text = "<Query \"q\">\nStatement \"\"\n" RESULT_OK "</Query>\n",
     .message = "Query \"q\": option \"Statement\" must not be empty"},
    {.name = "statement as a number",
     .text = "<Query \"q\">\nStatement 5\n" RESULT_OK "</Query>\n",
     .message = "Query \"q\": option \"Statement\" needs exactly one string"},
    {.name = "query without a name",
     .text = "<Query>\n" STMT RESULT_OK "</Query>\n",
     .message = "<Query> block needs exactly one non-empty name"},
    {.name = "too many InstancesFrom",
     .text =
         "<Query \"q\">\n" STMT "<Result>\nType \"gauge\"\nValuesFrom \"X\"\n"
         "InstancesFrom \"a\" \"b\" \"c\" \"d\" \"e\" \"f\" \"g\" \"h\" "
         "\"i\"\n</Result>\n</Query>\n",
     .message = "Query \"q\", Result 1: option \"InstancesFrom\" names more "
                "than 8 properties"},
    {.name = "password without user",
     .text = DISK_QUERY "<Host \"a\">\nAddress \"srv\"\nPassword \"pw1\"\n"
                        "Query \"disk\"\n</Host>\n",
     .message = "Host \"a\": option \"Password\" needs \"Username\""},
    {.name = "credentials for this machine",
     .text = DISK_QUERY "<Host \"a\">\nUsername \"u\"\nPassword \"pw2\"\n"
                        "Query \"disk\"\n</Host>\n",
     .message = "Host \"a\": options \"Username\" and \"Authority\" are only "
                "for a remote \"Address\""},
    {.name = "no query at all",
     .text = "",
     .message = "Plugin wmi: no <Query> block is configured"},
};

static void test_bad_stanzas(void) {
  for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
    const bad_case_t *c = &bad_cases[i];
    unit_case = c->name;
    log_capture_start();
    wmi_config_t *cfg = load(c->text);
    CHECK(cfg == NULL, "the stanza was accepted");
    wmi_config_free(cfg);
    CHECK(log_captured(c->message), "want \"%s\" in:\n%s", c->message,
          log_captured_all());
    CHECK(log_captured("wmi plugin: "), "messages carry the plugin's prefix");
    CHECK(!log_captured("pw1") && !log_captured("pw2"),
          "a password never appears in a message");
  }
}

int main(void) {
  test_defaults_without_host();
  test_hosts_and_lists();
  test_bad_stanzas();
  log_capture_stop();
  return unit_summary("config");
}
