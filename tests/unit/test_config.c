/* The stanza: what parses, what it means, and the message each mistake
 * gives (every one must name the block and the option). */
#include "config_text.h"
#include "fake_types.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_config.h"
#include "wmi_secure.h"

#include <stdlib.h>
#include <time.h>

#define INTERVAL TIME_T_TO_CDTIME_T_STATIC(10)

/* This machine's names as the plugin passes them: NetBIOS name, DNS host
 * name, fully qualified name. */
static const char *const MACHINE[] = {"WINBOX", "winbox", "winbox.example.com",
                                      NULL};

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
    status = wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL, MACHINE);
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
#define SECONDS_MESSAGE(host, option)                                          \
  "Host \"" host "\": option \"" option "\" must be a number of seconds "      \
  "from 0.1 to 86400"
#define HOST_WITH(option)                                                      \
  DISK_QUERY "<Host \"a\">\n" option "\nQuery \"disk\"\n</Host>\n"
#define MAX_CONCURRENT_MESSAGE                                                 \
  "Host \"a\": option \"MaxConcurrentQueries\" must be an integer from 1 to "  \
  "64"
#define CREDENTIALS_FOR(address)                                               \
  DISK_QUERY "<Host \"a\">\nAddress \"" address "\"\nUsername \"u\"\n"         \
             "Password \"pw2\"\nQuery \"disk\"\n</Host>\n"
#define CREDENTIALS_MESSAGE                                                    \
  "Host \"a\": options \"Username\" and \"Authority\" are only for a "         \
  "remote \"Address\""
#define A10 "aaaaaaaaaa"
#define A120 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10
#define A127 A120 "aaaaaaa"
#define A128 A127 "a"
/* 127 characters of two bytes each: sanitized, 127 '_'. */
#define E10                                                                    \
  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"   \
  "\xc3\xa9"
#define E127                                                                   \
  E10 E10 E10 E10 E10 E10 E10 E10 E10 E10 E10 E10                              \
      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"

/* A Result of `type` with Scale/Shift options, in Query "q". */
#define SCALED(type, options)                                                  \
  "<Query \"q\">\n" STMT "<Result>\nType \"" type                              \
  "\"\nValuesFrom \"X\"\n" options "</Result>\n</Query>\n"
/* A Result of `type` over property X of `statement`, with options. */
#define COOKED(type, statement, options)                                       \
  "<Query \"q\">\nStatement \"" statement "\"\n<Result>\nType \"" type         \
  "\"\nValuesFrom \"X\"\n" options "</Result>\n</Query>\n"
/* A Result cooking PERF_COUNTER_RAWCOUNT, with options. */
#define RAW_COUNT(options)                                                     \
  COOKED("gauge", "SELECT X FROM C",                                           \
         options "CounterType \"PERF_COUNTER_RAWCOUNT\"\n")
#define OBJECTS_FROM(what) "Query \"q\", Result 1: option \"ObjectsFrom\" " what
#define SCALE_INT_MESSAGE(type, kind)                                          \
  "Query \"q\", Result 1: option \"Scale\" must be an integer from 1 to "      \
  "4294967296 (2^32), since type \"" type "\" has the " kind " data source "   \
  "\"value\", whose values are exact integers"
#define SHIFT_INT_MESSAGE(type, kind)                                          \
  "Query \"q\", Result 1: option \"Shift\" must be an integer from "           \
  "-9007199254740992 to 9007199254740992 (2^53), since type \"" type "\" "     \
  "has the " kind " data source \"value\", whose values are exact integers"

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
     .message = "Host \"a\": option \"Interval\" must be a number of "
                "seconds from 0.1 to 86400"},
    {.name = "negative timeout",
     .text = DISK_QUERY "<Host \"a\">\nTimeout -1\nQuery \"disk\"\n</Host>\n",
     .message = "Host \"a\": option \"Timeout\" must be a number of "
                "seconds from 0.1 to 86400"},
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

    /* Interval and Timeout: at least 0.1 s (less only spins the worker). */
    {.name = "interval of 1 us",
     .text = DISK_QUERY "<Host \"a\">\nInterval 0.000001\nQuery \"disk\"\n"
                        "</Host>\n",
     .message = SECONDS_MESSAGE("a", "Interval")},
    {.name = "interval just below 0.1 s",
     .text = DISK_QUERY "<Host \"a\">\nInterval 0.099\nQuery \"disk\"\n"
                        "</Host>\n",
     .message = SECONDS_MESSAGE("a", "Interval")},
    {.name = "timeout of 1 ms",
     .text = DISK_QUERY "<Host \"b\">\nTimeout 0.001\nQuery \"disk\"\n"
                        "</Host>\n",
     .message = SECONDS_MESSAGE("b", "Timeout")},
    {.name = "interval over a day",
     .text = DISK_QUERY "<Host \"a\">\nInterval 86401\nQuery \"disk\"\n"
                        "</Host>\n",
     .message = SECONDS_MESSAGE("a", "Interval")},

    /* MaxConcurrentQueries: an integer from 1 to 64. */
    {.name = "max concurrent 0",
     .text = HOST_WITH("MaxConcurrentQueries 0"),
     .message = MAX_CONCURRENT_MESSAGE},
    {.name = "max concurrent 65",
     .text = HOST_WITH("MaxConcurrentQueries 65"),
     .message = MAX_CONCURRENT_MESSAGE},
    {.name = "max concurrent 2.5",
     .text = HOST_WITH("MaxConcurrentQueries 2.5"),
     .message = MAX_CONCURRENT_MESSAGE},
    {.name = "max concurrent -1",
     .text = HOST_WITH("MaxConcurrentQueries -1"),
     .message = MAX_CONCURRENT_MESSAGE},
    {.name = "max concurrent as a string",
     .text = HOST_WITH("MaxConcurrentQueries \"4\""),
     .message = "Host \"a\": option \"MaxConcurrentQueries\" needs exactly "
                "one number"},

    /* Credentials for every spelling of this machine. */
    {.name = "credentials for 127.0.0.1",
     .text = CREDENTIALS_FOR("127.0.0.1"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for 127.8.9.10",
     .text = CREDENTIALS_FOR("127.8.9.10"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for ::1",
     .text = CREDENTIALS_FOR("::1"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for [::1]",
     .text = CREDENTIALS_FOR("[::1]"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for LOCALHOST",
     .text = CREDENTIALS_FOR("LOCALHOST"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for localhost.",
     .text = CREDENTIALS_FOR("LocalHost."),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for the NetBIOS name",
     .text = CREDENTIALS_FOR("winbox"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "credentials for the FQDN",
     .text = CREDENTIALS_FOR("WinBox.Example.COM"),
     .message = CREDENTIALS_MESSAGE},
    {.name = "authority for this machine",
     .text = DISK_QUERY "<Host \"a\">\nAddress \"127.0.0.1\"\n"
                        "Authority \"kerberos:WINBOX\"\nQuery \"disk\"\n"
                        "</Host>\n",
     .message = CREDENTIALS_MESSAGE},

    /* Identifiers that collide once sanitized. */
    {.name = "two local hosts collect one query",
     .text = DISK_QUERY "<Host \"a\">\nQuery \"disk\"\n</Host>\n"
                        "<Host \"b\">\nInterval 5\nQuery \"disk\"\n</Host>\n",
     .message = "Host \"a\", Query \"disk\" and Host \"b\", Query \"disk\" "
                "would give their values the same identifiers (this "
                "machine's Hostname, plugin instance \"disk\")"},
    {.name = "local by address and implicit local",
     .text = DISK_QUERY "<Host \"a\">\nQuery \"disk\"\n</Host>\n"
                        "<Host \"b\">\nAddress \"127.0.0.1\"\n"
                        "Query \"disk\"\n</Host>\n",
     .message = "Host \"a\", Query \"disk\" and Host \"b\", Query \"disk\" "
                "would give their values the same identifiers"},
    {.name = "local by machine name",
     .text = DISK_QUERY "<Host \"me\">\nAddress \"winbox.example.com.\"\n"
                        "Query \"disk\"\n</Host>\n"
                        "<Host \"a\">\nQuery \"disk\"\n</Host>\n",
     .message = "Host \"me\", Query \"disk\" and Host \"a\", Query \"disk\" "
                "would give their values the same identifiers"},
    {.name = "plugin instances a.b and a_b",
     .text = "<Query \"a.b\">\n" STMT RESULT_OK "</Query>\n"
             "<Query \"a_b\">\n" STMT RESULT_OK "</Query>\n",
     .message = "Host \"local\", Query \"a.b\" and Host \"local\", Query "
                "\"a_b\" would give their values the same identifiers (this "
                "machine's Hostname, plugin instance \"a_b\")"},
    {.name = "same PluginInstance on one host",
     .text = "<Query \"x\">\n" STMT "PluginInstance \"sys\"\n" RESULT_OK
             "</Query>\n"
             "<Query \"y\">\n" STMT "PluginInstance \"sys\"\n" RESULT_OK
             "</Query>\n<Host \"srv\">\nAddress \"srv\"\n"
             "Query \"y\" \"x\"\n</Host>\n",
     .message = "Host \"srv\", Query \"y\" and Host \"srv\", Query \"x\" "
                "would give their values the same identifiers (host \"srv\", "
                "plugin instance \"sys\")"},
    {.name = "remote hosts srv.1 and srv_1",
     .text = DISK_QUERY "<Host \"srv.1\">\nAddress \"10.0.0.1\"\n"
                        "Query \"disk\"\n</Host>\n"
                        "<Host \"srv_1\">\nAddress \"10.0.0.2\"\n"
                        "Query \"disk\"\n</Host>\n",
     .message = "Host \"srv.1\", Query \"disk\" and Host \"srv_1\", Query "
                "\"disk\" would give their values the same identifiers (host "
                "\"srv_1\", plugin instance \"disk\")"},
    {.name = "two Results nothing tells apart",
     .text = "<Query \"q\">\n" STMT RESULT_OK RESULT_OK "</Query>\n",
     .message = "Query \"q\", Result 1 and Result 2: the same Type \"gauge\", "
                "InstancePrefix and InstancesFrom would give their values the "
                "same identifiers; set a different InstancePrefix"},
    {.name = "two Results whose prefixes sanitize alike",
     .text = "<Query \"q\">\n" STMT RESULT_OK
             "<Result>\nType \"gauge\"\nInstancePrefix \"a.b\"\n"
             "InstancesFrom \"Name\"\nValuesFrom \"X\"\n</Result>\n"
             "<Result>\nType \"gauge\"\nInstancePrefix \"a_b\"\n"
             "InstancesFrom \"NAME\"\nValuesFrom \"Y\"\n</Result>\n"
             "</Query>\n",
     .message = "Query \"q\", Result 2 and Result 3: the same Type \"gauge\""},

    /* Names collectd would cut (it keeps 127 characters). */
    {.name = "PluginInstance of 128 characters",
     .text = "<Query \"q\">\n" STMT "PluginInstance \"" A128 "\"\n" RESULT_OK
             "</Query>\n",
     .message = "Query \"q\": option \"PluginInstance\" (by default the "
                "query's name) is too long: 128 characters once sanitized, "
                "collectd keeps at most 127"},
    {.name = "query name of 128 characters as plugin instance",
     .text = "<Query \"" A128 "\">\n" STMT RESULT_OK "</Query>\n",
     .message = "option \"PluginInstance\" (by default the query's name) is "
                "too long: 128 characters"},
    {.name = "remote Host name of 128 characters",
     .text = DISK_QUERY "<Host \"" A128 "\">\nAddress \"srv\"\n"
                        "Query \"disk\"\n</Host>\n",
     .message = "Host \"" A128 "\": the block's name, the host part of a "
                "remote host's identifiers, is too long: 128 characters once "
                "sanitized, collectd keeps at most 127"},
    {.name = "InstancePrefix of 128 characters",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge\"\nInstancePrefix \"" A128 "\"\n"
             "ValuesFrom \"X\"\n</Result>\n</Query>\n",
     .message = "Query \"q\", Result 1: option \"InstancePrefix\" is too "
                "long: 128 characters once sanitized, collectd keeps at most "
                "127 in a type instance"},

    /* Scale and Shift: numbers, once each; integers that keep 64-bit
     * arithmetic exact with counter, derive and absolute data sources. */
    {.name = "Scale as a string",
     .text = SCALED("gauge", "Scale \"1024\"\n"),
     .message = "Query \"q\", Result 1: option \"Scale\" needs exactly one "
                "number"},
    {.name = "Shift without a value",
     .text = SCALED("gauge", "Shift\n"),
     .message = "Query \"q\", Result 1: option \"Shift\" needs exactly one "
                "number"},
    {.name = "Shift with two values",
     .text = SCALED("gauge", "Shift 1 2\n"),
     .message = "Query \"q\", Result 1: option \"Shift\" needs exactly one "
                "number"},
    {.name = "Scale given twice",
     .text = SCALED("gauge", "Scale 2\nscale 2\n"),
     .message = "Query \"q\", Result 1: option \"scale\" is given more than "
                "once"},
    {.name = "Shift given twice",
     .text = SCALED("gauge", "Shift 0\nShift 1\n"),
     .message = "Query \"q\", Result 1: option \"Shift\" is given more than "
                "once"},
    {.name = "Scale 0",
     .text = SCALED("gauge", "Scale 0\n"),
     .message = "Query \"q\", Result 1: option \"Scale\" must not be 0 (every "
                "value would be the Shift)"},
    {.name = "Scale not finite",
     .text = SCALED("gauge", "Scale 1e400\n"),
     .message = "Query \"q\", Result 1: option \"Scale\" must be a finite "
                "number"},
    {.name = "Shift not finite",
     .text = SCALED("gauge", "Shift -1e400\n"),
     .message = "Query \"q\", Result 1: option \"Shift\" must be a finite "
                "number"},
    {.name = "Scale in the second Result",
     .text = "<Query \"q\">\n" STMT RESULT_OK
             "<Result>\nType \"derive\"\nValuesFrom \"X\"\nScale 0.5\n"
             "</Result>\n</Query>\n",
     .message = "Query \"q\", Result 2: option \"Scale\" must be an integer"},
    {.name = "derive, Scale 1.5",
     .text = SCALED("derive", "Scale 1.5\n"),
     .message = SCALE_INT_MESSAGE("derive", "derive")},
    {.name = "derive, Scale 0.001",
     .text = SCALED("derive", "Scale 0.001\n"),
     .message = SCALE_INT_MESSAGE("derive", "derive")},
    {.name = "derive, Scale -1",
     .text = SCALED("derive", "Scale -1\n"),
     .message = SCALE_INT_MESSAGE("derive", "derive")},
    {.name = "counter, Scale 2^32 + 1",
     .text = SCALED("counter", "Scale 4294967297\n"),
     .message = SCALE_INT_MESSAGE("counter", "counter")},
    {.name = "absolute, Scale 1e10",
     .text = SCALED("absolute", "Scale 1e10\n"),
     .message = SCALE_INT_MESSAGE("absolute", "absolute")},
    {.name = "counter, Shift 0.5",
     .text = SCALED("counter", "Shift 0.5\n"),
     .message = SHIFT_INT_MESSAGE("counter", "counter")},
    {.name = "absolute, Shift 2^53 + 2",
     .text = SCALED("absolute", "Scale 2\nShift 9007199254740994\n"),
     .message = SHIFT_INT_MESSAGE("absolute", "absolute")},
    {.name = "derive, Shift -(2^53 + 2)",
     .text = SCALED("derive", "Shift -9007199254740994\n"),
     .message = SHIFT_INT_MESSAGE("derive", "derive")},
    {.name = "derive, Shift 1e300",
     .text = SCALED("derive", "Shift 1e300\n"),
     .message = SHIFT_INT_MESSAGE("derive", "derive")},
    {.name = "two derive data sources",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"if_octets\"\nValuesFrom \"A\" \"B\"\n"
             "Scale 8.5\n</Result>\n</Query>\n",
     .message = "Query \"q\", Result 1: option \"Scale\" must be an integer "
                "from 1 to 4294967296 (2^32), since type \"if_octets\" has "
                "the derive data source \"rx\""},
    {.name = "a gauge and a derive data source",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge_derive\"\nValuesFrom \"A\" \"B\"\n"
             "Shift -273.15\n</Result>\n</Query>\n",
     .message = "Query \"q\", Result 1: option \"Shift\" must be an integer "
                "from -9007199254740992 to 9007199254740992 (2^53), since "
                "type \"gauge_derive\" has the derive data source \"count\""},
    /* ValueMap: string and number pairs, repeatable, each string once;
     * ValueMapDefault: one number, only with a ValueMap; integers that
     * the data source holds exactly with counter, derive and absolute. */
    {.name = "ValueMap without arguments",
     .text = SCALED("gauge", "ValueMap\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\" needs pairs of a "
                "string and a number"},
    {.name = "ValueMap with an odd count",
     .text = SCALED("gauge", "ValueMap \"Running\" 1 \"Stopped\"\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\" needs pairs of a "
                "string and a number"},
    {.name = "ValueMap pair in the wrong order",
     .text = SCALED("gauge", "ValueMap 1 \"Running\"\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\" needs pairs of a "
                "string and a number"},
    {.name = "ValueMap number as a string",
     .text = SCALED("gauge", "ValueMap \"Running\" \"1\"\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\" needs pairs of a "
                "string and a number"},
    {.name = "ValueMap to a number that is not finite",
     .text = SCALED("gauge", "valuemap \"Running\" 1e400\n"),
     .message = "Query \"q\", Result 1: option \"valuemap\" must map to "
                "finite numbers"},
    {.name = "ValueMap maps a string twice in one option",
     .text = SCALED("gauge", "ValueMap \"A\" 1 \"B\" 2 \"A\" 1\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\" maps \"A\" more "
                "than once"},
    {.name = "ValueMap maps a string twice across options",
     .text = SCALED("gauge", "ValueMap \"Running\" 1\n"
                             "ValueMap \"Running\" 2\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\" maps "
                "\"Running\" more than once"},
    {.name = "ValueMapDefault without ValueMap",
     .text = SCALED("gauge", "ValueMapDefault -1\n"),
     .message = "Query \"q\", Result 1: option \"ValueMapDefault\" needs "
                "\"ValueMap\""},
    {.name = "ValueMapDefault as a string",
     .text = SCALED("gauge", "ValueMap \"A\" 1\nValueMapDefault \"-1\"\n"),
     .message = "Query \"q\", Result 1: option \"ValueMapDefault\" needs "
                "exactly one number"},
    {.name = "ValueMapDefault given twice",
     .text = SCALED("gauge", "ValueMap \"A\" 1\nValueMapDefault 0\n"
                             "ValueMapDefault 1\n"),
     .message = "Query \"q\", Result 1: option \"ValueMapDefault\" is given "
                "more than once"},
    {.name = "ValueMap in the second Result",
     .text = "<Query \"q\">\n" STMT RESULT_OK
             "<Result>\nType \"gauge\"\nValuesFrom \"X\"\nValueMap \"A\"\n"
             "</Result>\n</Query>\n",
     .message = "Query \"q\", Result 2: option \"ValueMap\" needs pairs"},
    {.name = "derive, ValueMap 0.5",
     .text = SCALED("derive", "ValueMap \"A\" 1 \"B\" 0.5\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\": 0.5 is not an "
                "integer from -9007199254740992 to 9007199254740992 (2^53), "
                "as type \"derive\" needs for its derive data source "
                "\"value\""},
    {.name = "derive, ValueMap 2^53 + 2",
     .text = SCALED("derive", "ValueMap \"A\" 9007199254740994\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\": "
                "9007199254740994 is not an integer from -9007199254740992 to "
                "9007199254740992 (2^53)"},
    {.name = "counter, ValueMap -1",
     .text = SCALED("counter", "ValueMap \"A\" -1\n"),
     .message = "Query \"q\", Result 1: option \"ValueMap\": -1 is not an "
                "integer from 0 to 9007199254740992 (2^53), as type "
                "\"counter\" needs for its counter data source \"value\""},
    {.name = "absolute, ValueMapDefault -1",
     .text = SCALED("absolute", "ValueMap \"A\" 1\nValueMapDefault -1\n"),
     .message = "Query \"q\", Result 1: option \"ValueMapDefault\": -1 is not "
                "an integer from 0 to 9007199254740992 (2^53), as type "
                "\"absolute\" needs for its absolute data source \"value\""},
    {.name = "a gauge and a derive data source, ValueMap 1.5",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge_derive\"\nValuesFrom \"A\" \"B\"\n"
             "ValueMap \"x\" 1.5\n</Result>\n</Query>\n",
     .message = "Query \"q\", Result 1: option \"ValueMap\": 1.5 is not an "
                "integer from -9007199254740992 to 9007199254740992 (2^53), as "
                "type \"gauge_derive\" needs for its derive data source "
                "\"count\""},
    {.name = "unknown counter type",
     .text = COOKED("gauge", "SELECT X FROM C", "CounterType \"PERF_NOPE\"\n"),
     .message = "Query \"q\", Result 1: option \"CounterType\" names the "
                "counter type \"PERF_NOPE\", which is unknown or not "
                "supported (see collectd-wmi(5) for the list)"},
    {.name = "a multi-timer is not supported",
     .text = COOKED("gauge", "SELECT * FROM C",
                    "CounterType \"PERF_100NSEC_MULTI_TIMER\"\n"),
     .message = "names the counter type \"PERF_100NSEC_MULTI_TIMER\", which "
                "is unknown or not supported"},
    {.name = "a base type is not a counter",
     .text = COOKED("gauge", "SELECT * FROM C",
                    "CounterType \"PERF_AVERAGE_BASE\"\n"),
     .message = "names the counter type \"PERF_AVERAGE_BASE\", which is "
                "unknown or not supported"},
    {.name = "start times cannot be summed",
     .text =
         COOKED("gauge", "SELECT X, Timestamp_Object, Frequency_Object FROM C",
                "CounterType \"PERF_ELAPSED_TIME\"\nDuplicates \"sum\"\n"),
     .message = "Query \"q\", Result 1: option \"Duplicates\" \"sum\": "
                "PERF_ELAPSED_TIME values cannot be added up"},
    {.name = "counter type given twice",
     .text = COOKED("gauge", "SELECT * FROM C",
                    "CounterType \"auto\"\nCounterType \"auto\"\n"),
     .message = "Query \"q\", Result 1: option \"CounterType\" is given more "
                "than once"},
    {.name = "counter type needs a string",
     .text = COOKED("gauge", "SELECT * FROM C", "CounterType 5\n"),
     .message = "Query \"q\", Result 1: option \"CounterType\" needs one "
                "string: \"auto\" or a counter type"},
    {.name = "cooked values into a derive",
     .text = COOKED("derive", "SELECT * FROM C", "CounterType \"auto\"\n"),
     .message = "Query \"q\", Result 1: option \"CounterType\" gives gauges, "
                "but type \"derive\" has the derive data source \"value\""},
    {.name = "counter type needs Timestamp_Sys100NS",
     .text = COOKED("gauge", "SELECT Name, X FROM C",
                    "CounterType \"PERF_100NSEC_TIMER_INV\"\n"),
     .message = "Query \"q\", Result 1: option \"CounterType\": "
                "PERF_100NSEC_TIMER_INV needs property \"Timestamp_Sys100NS\" "
                "for \"X\", and the Statement does not select it"},
    {.name = "counter type needs the base",
     .text = COOKED("gauge",
                    "SELECT X, Timestamp_PerfTime, Frequency_PerfTime FROM C",
                    "CounterType \"PERF_AVERAGE_TIMER\"\n"),
     .message = "PERF_AVERAGE_TIMER needs property \"X_Base\" for \"X\""},
    {.name = "counter type needs the frequency",
     .text = COOKED("gauge", "SELECT X, Timestamp_PerfTime FROM C",
                    "CounterType \"PERF_COUNTER_BULK_COUNT\"\n"),
     .message =
         "PERF_COUNTER_BULK_COUNT needs property \"Frequency_PerfTime\""},
    {.name = "counter type needs the object's clock",
     .text = COOKED("gauge", "SELECT X FROM C",
                    "CounterType \"PERF_ELAPSED_TIME\"\n"),
     .message = "PERF_ELAPSED_TIME needs property \"Timestamp_Object\""},
    {.name = "counter type needs a plain statement",
     .text = COOKED("gauge", "ASSOCIATORS OF {Win32_Foo}",
                    "CounterType \"auto\"\n"),
     .message = "Query \"q\", Result 1: option \"CounterType\" needs a "
                "Statement of the form \"SELECT <properties> FROM <class> "
                "...\""},
    {.name = "counter type and value map",
     .text = COOKED("gauge", "SELECT * FROM C",
                    "CounterType \"auto\"\nValueMap \"a\" 1\n"),
     .message = "Query \"q\", Result 1: options \"CounterType\" and "
                "\"ValueMap\" exclude each other"},
    {.name = "unknown Duplicates mode",
     .text = SCALED("gauge", "Duplicates \"max\"\n"),
     .message = "Query \"q\", Result 1: option \"Duplicates\" takes one of "
                "\"keep one\", \"sum\""},
    {.name = "StripInstanceNumber without InstancesFrom",
     .text = SCALED("gauge", "StripInstanceNumber true\n"),
     .message = "Query \"q\", Result 1: option \"StripInstanceNumber\" "
                "needs \"InstancesFrom\""},
    {.name = "StripInstanceNumber not a boolean",
     .text = SCALED("gauge", "InstancesFrom \"Name\"\n"
                             "StripInstanceNumber \"yes\"\n"),
     .message = "Query \"q\", Result 1: option \"StripInstanceNumber\" "
                "needs exactly one boolean"},
    {.name = "ObjectsFrom without CounterType",
     .text = SCALED("gauge", "ObjectsFrom \"IDProcess\"\n"
                             "Duplicates \"sum\"\n"),
     .message = OBJECTS_FROM("needs \"CounterType\"")},
    {.name = "ObjectsFrom without Duplicates sum",
     .text = RAW_COUNT("ObjectsFrom \"IDProcess\"\n"),
     .message = OBJECTS_FROM("needs Duplicates \"sum\"")},
    {.name = "ObjectsFrom with Duplicates keep one",
     .text = RAW_COUNT("ObjectsFrom \"IDProcess\"\nDuplicates \"keep one\"\n"),
     .message = OBJECTS_FROM("needs Duplicates \"sum\"")},
    {.name = "ObjectsFrom with an inverse timer",
     .text = COOKED("gauge", "SELECT X, Timestamp_Sys100NS FROM C",
                    "ObjectsFrom \"Id\"\nDuplicates \"sum\"\n"
                    "CounterType \"PERF_100NSEC_TIMER_INV\"\n"),
     .message = "Query \"q\", Result 1: option \"ObjectsFrom\": "
                "PERF_100NSEC_TIMER_INV values of several objects cannot "
                "be added up before they are cooked"},
    {.name = "ObjectsFrom with a precision timer",
     .text = COOKED("gauge", "SELECT X, X_Base FROM C",
                    "ObjectsFrom \"Id\"\nDuplicates \"sum\"\n"
                    "CounterType \"PERF_PRECISION_100NS_TIMER\"\n"),
     .message = "Query \"q\", Result 1: option \"ObjectsFrom\": "
                "PERF_PRECISION_100NS_TIMER values of several objects"},
    {.name = "StripInstanceNumber with CounterType, without Duplicates sum",
     .text = RAW_COUNT("InstancesFrom \"Name\"\nStripInstanceNumber true\n"),
     .message = "Query \"q\", Result 1: option \"StripInstanceNumber\" with "
                "\"CounterType\" needs Duplicates \"sum\""},
    {.name = "ObjectsFrom of nine properties",
     .text = RAW_COUNT("ObjectsFrom \"a\" \"b\" \"c\" \"d\" \"e\" \"f\" "
                       "\"g\" \"h\" \"i\"\nDuplicates \"sum\"\n"),
     .message = OBJECTS_FROM("names more than 8 properties")},
    {.name = "ObjectsFrom empty",
     .text = RAW_COUNT("ObjectsFrom \"\"\nDuplicates \"sum\"\n"),
     .message = OBJECTS_FROM("takes only non-empty string arguments")},
    {.name = "ProviderArchitecture 48",
     .text = "<Query \"q\">\n" STMT "ProviderArchitecture 48\n" RESULT_OK
             "</Query>\n",
     .message =
         "Query \"q\": option \"ProviderArchitecture\" must be 32 or 64"},
    {.name = "ProviderArchitecture as text",
     .text = "<Query \"q\">\n" STMT "ProviderArchitecture \"32\"\n" RESULT_OK
             "</Query>\n",
     .message =
         "Query \"q\": option \"ProviderArchitecture\" must be 32 or 64"},
    {.name = "ReportStats not a boolean",
     .text = "ReportStats \"yes\"\n" DISK_QUERY,
     .message = "Plugin wmi: option \"ReportStats\" needs exactly one boolean"},
    {.name = "duplicate query far apart",
     .text = "<Query \"x\">\n" STMT RESULT_OK "</Query>\n"
             "<Query \"q\">\n" STMT RESULT_OK "</Query>\n"
             "<Query \"y\">\n" STMT RESULT_OK "</Query>\n"
             "<Query \"x\">\n" STMT RESULT_OK "</Query>\n"
             "<Query \"Q\">\n" STMT RESULT_OK "</Query>\n",
     .message = "Query \"x\" is defined more than once"},
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

typedef struct {
  const char *name;
  const char *text;
  size_t jobs_num;
} good_case_t;

/* Near the limits, and collisions that are not: all accepted. */
static const good_case_t good_cases[] = {
    {.name = "interval of 0.1 s",
     .text = HOST_WITH("Interval 0.1"),
     .jobs_num = 1},
    {.name = "timeout of a day",
     .text = HOST_WITH("Timeout 86400"),
     .jobs_num = 1},
    {.name = "max concurrent 1",
     .text = HOST_WITH("MaxConcurrentQueries 1"),
     .jobs_num = 1},
    {.name = "max concurrent 64",
     .text = HOST_WITH("MaxConcurrentQueries 64"),
     .jobs_num = 1},
    {.name = "credentials for a remote name",
     .text = CREDENTIALS_FOR("server01"),
     .jobs_num = 1},
    {.name = "credentials for a name that starts like a loopback",
     .text = CREDENTIALS_FOR("127.0.0.1.example.com"),
     .jobs_num = 1},
    {.name = "credentials for 128.0.0.1",
     .text = CREDENTIALS_FOR("128.0.0.1"),
     .jobs_num = 1},
    {.name = "credentials for a name that starts like this machine's",
     .text = CREDENTIALS_FOR("winbox2"),
     .jobs_num = 1},
    {.name = "one query on two remote hosts",
     .text = DISK_QUERY "<Host \"srv1\">\nAddress \"10.0.0.1\"\n"
                        "Query \"disk\"\n</Host>\n"
                        "<Host \"srv2\">\nAddress \"10.0.0.2\"\n"
                        "Query \"disk\"\n</Host>\n",
     .jobs_num = 2},
    {.name = "one query on a local and a remote host",
     .text = DISK_QUERY "<Host \"a\">\nQuery \"disk\"\n</Host>\n"
                        "<Host \"srv\">\nAddress \"srv\"\n"
                        "Query \"disk\"\n</Host>\n",
     .jobs_num = 2},
    {.name = "Results told apart by InstancePrefix",
     .text = "<Query \"q\">\n" STMT RESULT_OK
             "<Result>\nType \"gauge\"\nInstancePrefix \"x\"\n"
             "ValuesFrom \"X\"\n</Result>\n</Query>\n",
     .jobs_num = 1},
    {.name = "Results told apart by InstancesFrom",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge\"\nInstancesFrom \"A\"\n"
             "ValuesFrom \"X\"\n</Result>\n"
             "<Result>\nType \"gauge\"\nInstancesFrom \"B\"\n"
             "ValuesFrom \"X\"\n</Result>\n</Query>\n",
     .jobs_num = 1},
    {.name = "Results told apart by Type",
     .text = "<Query \"q\">\n" STMT RESULT_OK
             "<Result>\nType \"derive\"\nValuesFrom \"X\"\n</Result>\n"
             "</Query>\n",
     .jobs_num = 1},
    {.name = "PluginInstance of 127 characters",
     .text = "<Query \"q\">\n" STMT "PluginInstance \"" A127 "\"\n" RESULT_OK
             "</Query>\n",
     .jobs_num = 1},
    {.name = "PluginInstance of 127 two-byte characters",
     .text = "<Query \"q\">\n" STMT "PluginInstance \"" E127 "\"\n" RESULT_OK
             "</Query>\n",
     .jobs_num = 1},
    {.name = "InstancePrefix of 127 characters",
     .text = "<Query \"q\">\n" STMT
             "<Result>\nType \"gauge\"\nInstancePrefix \"" A127 "\"\n"
             "ValuesFrom \"X\"\n</Result>\n</Query>\n",
     .jobs_num = 1},
    {.name = "long name of a local host (not in identifiers)",
     .text = DISK_QUERY "<Host \"" A128 "\">\nQuery \"disk\"\n</Host>\n",
     .jobs_num = 1},
    {.name = "remote Host name of 127 characters",
     .text = DISK_QUERY "<Host \"" A127 "\">\nAddress \"srv\"\n"
                        "Query \"disk\"\n</Host>\n",
     .jobs_num = 1},
};

typedef struct {
  const char *name;
  const char *text;
  bool scaled;
  double scale, shift;
} scale_case_t;

/* What Scale and Shift parse to, at and inside the limits. */
static const scale_case_t scale_cases[] = {
    {"no Scale, no Shift", SCALED("derive", ""), false, 1, 0},
    {"gauge: any number", SCALED("gauge", "Scale 0.001\nShift -273.15\n"), true,
     0.001, -273.15},
    {"gauge: negative Scale", SCALED("gauge", "Scale -8\n"), true, -8, 0},
    {"gauge: huge Scale", SCALED("gauge", "Scale 1e300\n"), true, 1e300, 0},
    {"gauge: Shift alone", SCALED("memory", "SHIFT 0.5\n"), true, 1, 0.5},
    {"derive: Scale 1024", SCALED("derive", "Scale 1024\n"), true, 1024, 0},
    {"derive: Scale 1, Shift 0", SCALED("derive", "Scale 1\nShift 0\n"), true,
     1, 0},
    {"counter: the largest Scale and Shift",
     SCALED("counter", "Scale 4294967296\nShift 9007199254740992\n"), true,
     4294967296.0, 9007199254740992.0},
    {"absolute: the lowest Shift",
     SCALED("absolute", "Shift -9007199254740992\n"), true, 1,
     -9007199254740992.0},
    {"derive: Scale written as 1e3", SCALED("derive", "Scale 1e3\n"), true,
     1000, 0},
};

static void test_scale_options(void) {
  for (size_t i = 0; i < sizeof(scale_cases) / sizeof(scale_cases[0]); i++) {
    const scale_case_t *c = &scale_cases[i];
    unit_case = c->name;
    log_capture_start();
    wmi_config_t *cfg = load(c->text);
    CHECK(cfg != NULL, "refused:\n%s", log_captured_all());
    if (cfg == NULL)
      continue;
    const wmi_result_t *r = &cfg->queries[0].results[0];
    CHECK(r->scaled == c->scaled, "scaled %d", r->scaled);
    CHECK(r->scale == c->scale, "Scale %.17g", r->scale);
    CHECK(r->shift == c->shift, "Shift %.17g", r->shift);
    wmi_config_free(cfg);
  }
}

/* What ValueMap and ValueMapDefault parse to: pairs in order across
 * repeated options, case-sensitive strings. */
typedef struct {
  const char *name;
  const char *text;
  size_t num; /* pairs */
  const char *strings[4];
  double numbers[4];
  bool has_default;
  double default_number;
} value_map_case_t;

static const value_map_case_t value_map_cases[] = {
    {"no ValueMap", SCALED("gauge", ""), 0, {NULL}, {0}, false, 0},
    {"states",
     SCALED("gauge", "ValueMap \"Running\" 1 \"Stopped\" 0\n"),
     2,
     {"Running", "Stopped"},
     {1, 0},
     false,
     0},
    {"repeated, case-sensitive, with a default",
     SCALED("gauge", "ValueMap \"Running\" 1\nvaluemap \"running\" 0.5\n"
                     "ValueMap \"\" -2\nValueMapDefault -1\n"),
     3,
     {"Running", "running", ""},
     {1, 0.5, -2},
     true,
     -1},
    {"derive: the extremes",
     SCALED("derive", "ValueMap \"lo\" -9007199254740992 \"hi\" "
                      "9007199254740992\nValueMapDefault 0\n"),
     2,
     {"lo", "hi"},
     {-9007199254740992.0, 9007199254740992.0},
     true,
     0},
    {"counter: 0 and 2^53",
     SCALED("counter", "ValueMap \"a\" 0 \"b\" 9007199254740992\n"),
     2,
     {"a", "b"},
     {0, 9007199254740992.0},
     false,
     0},
};

static void test_value_map_options(void) {
  for (size_t i = 0; i < sizeof(value_map_cases) / sizeof(value_map_cases[0]);
       i++) {
    const value_map_case_t *c = &value_map_cases[i];
    unit_case = c->name;
    log_capture_start();
    wmi_config_t *cfg = load(c->text);
    CHECK(cfg != NULL, "refused:\n%s", log_captured_all());
    if (cfg == NULL)
      continue;
    const wmi_result_t *r = &cfg->queries[0].results[0];
    CHECK(r->value_map_num == c->num, "%zu pairs", r->value_map_num);
    for (size_t k = 0; k < c->num && k < r->value_map_num; k++) {
      CHECK_STR(r->value_map_strings[k], c->strings[k]);
      CHECK(r->value_map_numbers[k] == c->numbers[k], "pair %zu: %.17g", k,
            r->value_map_numbers[k]);
    }
    CHECK(r->has_value_map_default == c->has_default, "default set %d",
          r->has_value_map_default);
    CHECK(r->value_map_default == c->default_number, "default %.17g",
          r->value_map_default);
    wmi_config_free(cfg);
  }
}

/* What the CounterType, Duplicates, ProviderArchitecture and ReportStats
 * options parse to. */
typedef struct {
  const char *name;
  const char *text;
  bool cooked, counter_auto;
  uint32_t counter_type;
  wmi_duplicates_t duplicates;
  int provider_architecture;
  bool report_stats;
} option_case_t;

static const option_case_t option_cases[] = {
    {"defaults", SCALED("gauge", ""), false, false, 0, WMI_DUPLICATES_KEEP_ONE,
     0, false},
    {"CounterType auto",
     COOKED("gauge", "SELECT * FROM C", "CounterType \"AUTO\"\n"), true, true,
     0, WMI_DUPLICATES_KEEP_ONE, 0, false},
    {"CounterType by name, any case",
     COOKED("gauge", "select X, Timestamp_Sys100NS from C",
            "CounterType \"perf_100nsec_timer_inv\"\n"),
     true, false, 0x21510500, WMI_DUPLICATES_KEEP_ONE, 0, false},
    {"CounterType raw count",
     COOKED("gauge", "SELECT X FROM C",
            "CounterType \"PERF_COUNTER_RAWCOUNT\"\n"),
     true, false, 0x00010000, WMI_DUPLICATES_KEEP_ONE, 0, false},
    {"CounterType raw count hex is type 0",
     COOKED("gauge", "SELECT X FROM C",
            "CounterType \"PERF_COUNTER_RAWCOUNT_HEX\"\n"),
     true, false, 0, WMI_DUPLICATES_KEEP_ONE, 0, false},
    {"Duplicates sum", SCALED("derive", "Duplicates \"Sum\"\n"), false, false,
     0, WMI_DUPLICATES_SUM, 0, false},
    {"Duplicates keep one", SCALED("gauge", "Duplicates \"keep one\"\n"), false,
     false, 0, WMI_DUPLICATES_KEEP_ONE, 0, false},
    {"ProviderArchitecture 32",
     "<Query \"q\">\n" STMT "ProviderArchitecture 32\n" RESULT_OK "</Query>\n",
     false, false, 0, WMI_DUPLICATES_KEEP_ONE, 32, false},
    {"ProviderArchitecture 64",
     "<Query \"q\">\n" STMT "ProviderArchitecture 64\n" RESULT_OK "</Query>\n",
     false, false, 0, WMI_DUPLICATES_KEEP_ONE, 64, false},
    {"ReportStats true", "ReportStats true\n" SCALED("gauge", ""), false, false,
     0, WMI_DUPLICATES_KEEP_ONE, 0, true},
};

static void test_query_and_result_options(void) {
  for (size_t i = 0; i < sizeof(option_cases) / sizeof(option_cases[0]); i++) {
    const option_case_t *c = &option_cases[i];
    unit_case = c->name;
    log_capture_start();
    wmi_config_t *cfg = load(c->text);
    CHECK(cfg != NULL, "refused:\n%s", log_captured_all());
    if (cfg == NULL)
      continue;
    const wmi_result_t *r = &cfg->queries[0].results[0];
    CHECK(r->cooked == c->cooked, "cooked %d", r->cooked);
    CHECK(r->counter_auto == c->counter_auto, "auto %d", r->counter_auto);
    CHECK(r->counter_type == c->counter_type, "type 0x%08x",
          (unsigned)r->counter_type);
    CHECK(r->duplicates == c->duplicates, "duplicates %d", (int)r->duplicates);
    CHECK(cfg->queries[0].provider_architecture == c->provider_architecture,
          "architecture %d", cfg->queries[0].provider_architecture);
    CHECK(cfg->report_stats == c->report_stats, "ReportStats %d",
          cfg->report_stats);
    wmi_config_free(cfg);
  }
}

/* StripInstanceNumber and ObjectsFrom as the OS-extras pack uses them,
 * in any order (ObjectsFrom before the options it needs). */
static void test_objects_options(void) {
  unit_case = "ObjectsFrom and StripInstanceNumber";
  log_capture_start();
  wmi_config_t *cfg = load(
      COOKED("gauge", "SELECT Name, IDProcess, X, Timestamp_Sys100NS FROM C",
             "ObjectsFrom \"IDProcess\"\nInstancesFrom \"Name\"\n"
             "StripInstanceNumber true\nDuplicates \"sum\"\n"
             "CounterType \"PERF_100NSEC_TIMER\"\n"));
  CHECK(cfg != NULL, "refused:\n%s", log_captured_all());
  if (cfg == NULL)
    return;
  const wmi_result_t *r = &cfg->queries[0].results[0];
  CHECK(r->strip_instance_number, "StripInstanceNumber set");
  CHECK(r->objects_from_num == 1 &&
            strcmp(r->objects_from[0], "IDProcess") == 0,
        "ObjectsFrom kept");
  wmi_config_free(cfg);
  cfg = load(SCALED("gauge", ""));
  CHECK(cfg != NULL && !cfg->queries[0].results[0].strip_instance_number &&
            cfg->queries[0].results[0].objects_from_num == 0,
        "both off by default");
  wmi_config_free(cfg);
}

static void test_good_stanzas(void) {
  for (size_t i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
    const good_case_t *c = &good_cases[i];
    unit_case = c->name;
    log_capture_start();
    wmi_config_t *cfg = load(c->text);
    CHECK(cfg != NULL, "refused:\n%s", log_captured_all());
    if (cfg != NULL)
      CHECK(cfg->jobs_num == c->jobs_num, "%zu jobs", cfg->jobs_num);
    wmi_config_free(cfg);
  }
}

typedef struct {
  const char *address; /* NULL: no Address option */
  const char *max_concurrent;
  bool local;
  int want_max_concurrent;
} host_case_t;

/* What finish resolves per host: locality and the concurrency bound. */
static const host_case_t host_cases[] = {
    {NULL, NULL, true, 4},       {"127.0.0.1", "1", true, 1},
    {"[::1]", NULL, true, 4},    {"WINBOX", "64", true, 64},
    {"server01", "8", false, 8}, {"10.1.2.3", NULL, false, 4},
};

static void test_host_resolution(void) {
  for (size_t i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++) {
    const host_case_t *c = &host_cases[i];
    char text[1024];
    snprintf(text, sizeof(text),
             DISK_QUERY "<Host \"h\">\n%s%s%s%s%s%sQuery \"disk\"\n</Host>\n",
             c->address ? "Address \"" : "", c->address ? c->address : "",
             c->address ? "\"\n" : "",
             c->max_concurrent ? "MaxConcurrentQueries " : "",
             c->max_concurrent ? c->max_concurrent : "",
             c->max_concurrent ? "\n" : "");
    unit_case = c->address ? c->address : "no Address";
    log_capture_start();
    wmi_config_t *cfg = load(text);
    CHECK(cfg != NULL, "refused:\n%s", log_captured_all());
    if (cfg == NULL)
      continue;
    CHECK(cfg->hosts[0].local == c->local, "local %d", cfg->hosts[0].local);
    CHECK(wmi_host_is_local(&cfg->hosts[0]) == c->local, "wmi_host_is_local");
    CHECK(cfg->hosts[0].max_concurrent == c->want_max_concurrent,
          "max_concurrent %d", cfg->hosts[0].max_concurrent);
    wmi_config_free(cfg);
  }
  unit_case = "implicit local host";
  wmi_config_t *cfg = load(DISK_QUERY);
  CHECK(cfg != NULL && cfg->hosts[0].local &&
            cfg->hosts[0].max_concurrent == WMI_MAX_CONCURRENT_DEFAULT,
        "local, default bound");
  wmi_config_free(cfg);
}

typedef struct {
  const char *address;
  bool with_names; /* pass MACHINE, else NULL */
  bool local;
} address_case_t;

static const address_case_t address_cases[] = {
    {NULL, false, true},
    {"", false, true},
    {".", false, true},
    {"localhost", false, true},
    {"LOCALHOST", false, true},
    {"localhost.", false, true},
    {"LocalHost.", false, true},
    {"127.0.0.1", false, true},
    {"127.1.2.3", false, true},
    {"127.255.255.255", false, true},
    {"::1", false, true},
    {"[::1]", false, true},
    {"0:0:0:0:0:0:0:1", false, true},
    {"0000::0001", false, true},
    {"::ffff:127.0.0.1", false, true},
    {"[::FFFF:127.0.0.2]", false, true},
    {"winbox", true, true},
    {"WINBOX", true, true},
    {"WinBox.Example.Com", true, true},
    {"winbox.example.com.", true, true},
    {"winbox", false, false}, /* no names given */
    {"winbox2", true, false},
    {"winbox.example", true, false},
    {"server01", true, false},
    {"localhost.example.com", false, false},
    {"localhost..", false, false},
    {"..", false, false},
    {"128.0.0.1", false, false},
    {"10.0.0.1", false, false},
    {"127.0.0.1.example.com", false, false},
    {"127.0.0.256", false, false},
    {"127.0.0", false, false},
    {"127.0.0.1.5", false, false},
    {"127.0.0.0001", false, false},
    {"[127.0.0.1]", false, false},
    {"::", false, false},
    {"::2", false, false},
    {"1::1", false, false},
    {"::ffff:10.0.0.1", false, false},
    {"[::1", false, false},
    {"::1]", false, false},
    {":::1", false, false},
    {"::1::", false, false},
    {"::1:", false, false},
    {"0:0:0:0:0:0:0:0:1", false, false},
    {"0:0:0:0:0:0:1", false, false},
    {"::00001", false, false},
    {"::g", false, false},
};

static void test_address_is_local(void) {
  for (size_t i = 0; i < sizeof(address_cases) / sizeof(address_cases[0]);
       i++) {
    const address_case_t *c = &address_cases[i];
    unit_case = c->address ? c->address : "NULL";
    bool got = wmi_address_is_local(c->address, c->with_names ? MACHINE : NULL);
    CHECK(got == c->local, "got %s", got ? "local" : "remote");
  }
}

/* A second finish must change nothing (it used to append the jobs again,
 * past the end of their array), whatever it is given. */
static void test_finish_twice(void) {
  unit_case = "finish twice";
  log_capture_start();
  wmi_config_t *cfg = load(DISK_QUERY "<Host \"a\">\nQuery \"disk\"\n</Host>\n"
                                      "<Host \"srv\">\nAddress \"srv\"\n"
                                      "Query \"disk\"\n</Host>\n");
  CHECK(cfg != NULL, "log: %s", log_captured_all());
  if (cfg == NULL)
    return;
  const wmi_job_t *jobs = cfg->jobs;
  CHECK(wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL * 2, NULL) ==
            0,
        "the second call succeeds");
  CHECK(cfg->jobs == jobs && cfg->jobs_num == 2, "%zu jobs", cfg->jobs_num);
  CHECK(cfg->hosts_num == 2 && cfg->jobs[0].interval == INTERVAL,
        "nothing changed");
  wmi_config_free(cfg);

  unit_case = "finish twice after a failure";
  oconfig_item_t *tree = config_text_parse(
      "<Query \"q\">\n" STMT RESULT_OK RESULT_OK "</Query>\n");
  cfg = wmi_config_new();
  CHECK(wmi_config_parse(cfg, tree) == 0, "parses");
  CHECK(wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL, NULL) != 0,
        "the first call fails");
  CHECK(wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL, NULL) != 0,
        "the second call fails too");
  wmi_config_free(cfg);
  config_text_free(tree);
}

/* Builds an option or block with one string argument (or none), and room
 * for children_num children; config_text_free frees it. */
static void build_item(oconfig_item_t *item, const char *key, const char *value,
                       int children_num) {
  item->key = strdup(key);
  if (value != NULL) {
    item->values = calloc(1, sizeof(*item->values));
    item->values[0].type = OCONFIG_TYPE_STRING;
    item->values[0].value.string = strdup(value);
    item->values_num = 1;
  }
  if (children_num > 0)
    item->children = calloc((size_t)children_num, sizeof(*item->children));
  item->children_num = children_num;
}

/* Many queries: parsing and finishing must not be quadratic. The tree is
 * built directly, since the text parser is not made for megabytes. */
static void test_many_queries(void) {
  enum { QUERIES = 20000 };
  unit_case = "20000 queries";
  oconfig_item_t *root = calloc(1, sizeof(*root));
  build_item(root, "Plugin", "wmi", QUERIES);
  for (int i = 0; i < QUERIES; i++) {
    char name[32];
    snprintf(name, sizeof(name), "q%d", i);
    oconfig_item_t *q = &root->children[i];
    build_item(q, "Query", name, 2);
    build_item(&q->children[0], "Statement", "SELECT X FROM C", 0);
    build_item(&q->children[1], "Result", NULL, 2);
    build_item(&q->children[1].children[0], "Type", "gauge", 0);
    build_item(&q->children[1].children[1], "ValuesFrom", "X", 0);
  }
  log_capture_start();
  struct timespec start, end;
  timespec_get(&start, TIME_UTC);
  wmi_config_t *cfg = wmi_config_new();
  int status = wmi_config_parse(cfg, root);
  if (status == 0)
    status = wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL, MACHINE);
  timespec_get(&end, TIME_UTC);
  CHECK(status == 0, "log: %s", log_captured_all());
  CHECK(cfg->queries_num == QUERIES, "%zu queries", cfg->queries_num);
  CHECK(cfg->jobs_num == QUERIES, "%zu jobs", cfg->jobs_num);
  printf("config: %d queries parsed and finished in %.1f ms "
         "(informational)\n",
         QUERIES,
         (double)(end.tv_sec - start.tv_sec) * 1e3 +
             (double)(end.tv_nsec - start.tv_nsec) / 1e6);
  wmi_config_free(cfg);

  unit_case = "20000 queries, one defined twice";
  free(root->children[QUERIES - 1].values[0].value.string);
  root->children[QUERIES - 1].values[0].value.string = strdup("Q17");
  log_capture_start();
  cfg = wmi_config_new();
  status = wmi_config_parse(cfg, root);
  if (status == 0)
    status = wmi_config_finish(cfg, fake_types_lookup, NULL, INTERVAL, MACHINE);
  CHECK(status != 0, "accepted");
  CHECK(log_captured("Query \"Q17\" is defined more than once"), "log: %s",
        log_captured_all());
  wmi_config_free(cfg);
  config_text_free(root);
}

typedef struct {
  size_t offset, length;
} wipe_case_t;

static const wipe_case_t wipe_cases[] = {
    {0, 0}, {0, 1}, {3, 1}, {1, 15}, {0, 64}, {7, 200},
};

static void test_secure_zero(void) {
  for (size_t i = 0; i < sizeof(wipe_cases) / sizeof(wipe_cases[0]); i++) {
    const wipe_case_t *c = &wipe_cases[i];
    unsigned char buffer[256];
    memset(buffer, 0xA5, sizeof(buffer));
    unit_case = "secure zero";
    wmi_secure_zero(buffer + c->offset, c->length);
    size_t wrong = 0;
    for (size_t b = 0; b < sizeof(buffer); b++) {
      bool inside = b >= c->offset && b < c->offset + c->length;
      if (buffer[b] != (inside ? 0 : 0xA5))
        wrong++;
    }
    CHECK(wrong == 0, "offset %zu, length %zu: %zu bytes wrong", c->offset,
          c->length, wrong);
  }
  wmi_secure_zero(NULL, 0); /* allowed: nothing to wipe */
}

int main(void) {
  test_defaults_without_host();
  test_hosts_and_lists();
  test_bad_stanzas();
  test_good_stanzas();
  test_scale_options();
  test_value_map_options();
  test_query_and_result_options();
  test_objects_options();
  test_host_resolution();
  test_address_is_local();
  test_finish_twice();
  test_many_queries();
  test_secure_zero();
  log_capture_stop();
  return unit_summary("config");
}
