/* A job's cooking state: the statement's class and selected properties,
 * and counter types read from the class's CounterType qualifiers, with the
 * message each unusable class gives. */
#include "config_load.h"
#include "fake_types.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_cook.h"
#include "wmi_wql.h"

#include <stdlib.h>

typedef struct {
  const char *statement;
  const char *class_name; /* NULL: not parsed */
  const char *selected[3];
  const char *unselected[3];
} wql_case_t;

static const wql_case_t wql_cases[] = {
    {"SELECT Name, PercentIdleTime FROM Win32_PerfRawData_PerfOS_Processor",
     "Win32_PerfRawData_PerfOS_Processor",
     {"Name", "percentidletime", NULL},
     {"Timestamp_Sys100NS", "Percent", NULL}},
    {"  select * from C where Name = 'x'", "C", {"Anything", NULL}, {NULL}},
    {"SELECT A,B , C FROM\tX", "X", {"A", "B", "C"}, {"AB", NULL}},
    {"SELECT A FROMX", NULL, {NULL}, {"A", NULL}},
    {"SELECTA FROM X", NULL, {NULL}, {"A", NULL}},
    {"SELECT A, FROM X", NULL, {NULL}, {"A", NULL}},
    {"ASSOCIATORS OF {X}", NULL, {NULL}, {"X", NULL}},
    {"SELECT A FROM ", NULL, {NULL}, {NULL}},
    {"", NULL, {NULL}, {NULL}},
};

static void test_wql(void) {
  for (size_t i = 0; i < sizeof(wql_cases) / sizeof(wql_cases[0]); i++) {
    const wql_case_t *c = &wql_cases[i];
    unit_case = c->statement;
    char name[64];
    int status = wmi_wql_class(c->statement, name, sizeof(name));
    if (c->class_name == NULL)
      CHECK(status == -1, "parsed as \"%s\"", name);
    else {
      CHECK(status == 0, "not parsed");
      if (status == 0)
        CHECK_STR(name, c->class_name);
    }
    for (size_t k = 0; k < 3 && c->selected[k]; k++)
      CHECK(wmi_wql_selects(c->statement, c->selected[k]), "%s selected",
            c->selected[k]);
    for (size_t k = 0; k < 3 && c->unselected[k]; k++)
      CHECK(!wmi_wql_selects(c->statement, c->unselected[k]), "%s not selected",
            c->unselected[k]);
  }
  unit_case = "class name longer than the buffer";
  char small[4];
  CHECK(wmi_wql_class("SELECT A FROM Abcd", small, sizeof(small)) == -1,
        "refused, not cut");
}

/* A class definition: CounterType per property; 0: no qualifier. */
typedef struct {
  const char *property;
  uint32_t type;
} qualifier_t;

static int lookup_qualifier(void *ctx, const char *property, uint32_t *type) {
  for (const qualifier_t *q = ctx; q->property != NULL; q++)
    if (strcmp(q->property, property) == 0 && q->type != 0) {
      *type = q->type;
      return 0;
    }
  return -1;
}

#define AUTO_QUERY(select, options)                                            \
  "<Query \"cpu\">\nStatement \"SELECT " select " FROM P\"\n"                  \
  "<Result>\nType \"gauge\"\nInstancesFrom \"Name\"\n"                         \
  "ValuesFrom \"Idle\"\nCounterType \"auto\"\n" options "</Result>\n"          \
  "<Result>\nType \"gauge\"\nInstancePrefix \"q\"\nValuesFrom \"Queue\"\n"     \
  "</Result>\n</Query>\n"

typedef struct {
  const char *name;
  const char *select;
  qualifier_t qualifiers[4];
  uint32_t want;       /* the type of Idle when resolved */
  const char *message; /* NULL: resolves */
  const char *options; /* more options of Result 1 */
} resolve_case_t;

static const resolve_case_t resolve_cases[] = {
    {"timer inverse",
     "Name, Idle, Timestamp_Sys100NS",
     {{"Idle", 0x21510500}, {NULL, 0}},
     0x21510500,
     NULL},
    {"raw count needs nothing else",
     "Name, Idle",
     {{"Idle", 0x00010000}, {NULL, 0}},
     0x00010000,
     NULL},
    {"no qualifier",
     "*",
     {{"Idle", 0}, {NULL, 0}},
     0,
     "Result 1: option \"CounterType\" \"auto\": property "
     "\"Idle\" has no CounterType qualifier in its class"},
    {"unsupported type",
     "*",
     {{"Idle", 0x00000B00}, {NULL, 0}},
     0,
     "property \"Idle\" has counter type 0x00000b00, which is not supported"},
    {"a property the type needs is not selected",
     "Name, Idle",
     {{"Idle", 0x30020400}, {NULL, 0}},
     0,
     "Result 1: option \"CounterType\" \"auto\": property "
     "\"Idle\" is a PERF_AVERAGE_TIMER, which needs property \"Idle_Base\": "
     "add it to the Statement"},
    {"start times cannot be summed",
     "*",
     {{"Idle", 0x30240500}, {NULL, 0}},
     0,
     "Result 1: option \"Duplicates\" \"sum\": property \"Idle\" is a "
     "PERF_ELAPSED_TIME, whose values cannot be added up",
     "Duplicates \"sum\"\n"},
    {"an inverse timer's objects cannot be added up",
     "*",
     {{"Idle", 0x21510500}, {NULL, 0}},
     0,
     "Result 1: option \"ObjectsFrom\": property \"Idle\" is a "
     "PERF_100NSEC_TIMER_INV, whose objects cannot be added up",
     "ObjectsFrom \"Id\"\nDuplicates \"sum\"\n"},
};

static void test_resolve(void) {
  for (size_t i = 0; i < sizeof(resolve_cases) / sizeof(resolve_cases[0]);
       i++) {
    const resolve_case_t *c = &resolve_cases[i];
    unit_case = c->name;
    log_capture_start();
    char text[1024];
    snprintf(text, sizeof(text), AUTO_QUERY("%s", "%s"), c->select,
             c->options != NULL ? c->options : "");
    wmi_config_t *cfg = config_load_or_abort(text);
    wmi_cook_t *cook = NULL;
    CHECK(wmi_cook_new(&cfg->jobs[0], &cook) == 0 && cook != NULL, "made");
    CHECK(!wmi_cook_ready(cook), "auto waits for the class");
    char why[512] = "";
    int status = wmi_cook_resolve(cook, &cfg->jobs[0], lookup_qualifier,
                                  (void *)c->qualifiers, why, sizeof(why));
    if (c->message == NULL) {
      CHECK(status == 0, "refused: %s", why);
      CHECK(wmi_cook_ready(cook), "ready");
      CHECK(wmi_cook_type(cook, 0, 0) == c->want, "type 0x%08x",
            (unsigned)wmi_cook_type(cook, 0, 0));
    } else {
      CHECK(status == -1, "accepted");
      CHECK(!wmi_cook_ready(cook), "still waits");
      CHECK(strstr(why, c->message) != NULL, "want \"%s\" in \"%s\"",
            c->message, why);
    }
    wmi_cook_free(cook);
    wmi_config_free(cfg);
  }

  unit_case = "nothing cooks: no state";
  wmi_config_t *cfg =
      config_load_or_abort("<Query \"q\">\nStatement \"SELECT X FROM C\"\n"
                           "<Result>\nType \"gauge\"\nValuesFrom \"X\"\n"
                           "</Result>\n</Query>\n");
  wmi_cook_t *cook = (wmi_cook_t *)1;
  CHECK(wmi_cook_new(&cfg->jobs[0], &cook) == 0 && cook == NULL, "NULL");
  CHECK(wmi_cook_ready(NULL), "nothing to wait for");
  wmi_config_free(cfg);
}

/* The properties each kind of counter reads besides its value, as the
 * manual's PERFORMANCE COUNTERS list gives them (collectd-wmi(5)): what the
 * Statement must select. */
typedef struct {
  const char *type;
  const char *needs[4];
} needs_case_t;

static const needs_case_t needs_cases[] = {
    {"PERF_COUNTER_RAWCOUNT", {NULL}},
    {"PERF_COUNTER_BULK_COUNT", {"Timestamp_PerfTime", "Frequency_PerfTime"}},
    {"PERF_COUNTER_TIMER", {"Timestamp_PerfTime", NULL}},
    {"PERF_COUNTER_TIMER_INV", {"Timestamp_PerfTime", NULL}},
    {"PERF_100NSEC_TIMER", {"Timestamp_Sys100NS", NULL}},
    {"PERF_100NSEC_TIMER_INV", {"Timestamp_Sys100NS", NULL}},
    {"PERF_OBJ_TIME_TIMER", {"Timestamp_Object", NULL}},
    {"PERF_PRECISION_100NS_TIMER", {"P_Base", NULL}},
    {"PERF_AVERAGE_TIMER", {"P_Base", "Frequency_PerfTime", NULL}},
    {"PERF_AVERAGE_BULK", {"P_Base", NULL}},
    {"PERF_RAW_FRACTION", {"P_Base", NULL}},
    {"PERF_COUNTER_QUEUELEN_TYPE", {"Timestamp_PerfTime", NULL}},
    {"PERF_COUNTER_100NS_QUEUELEN_TYPE", {"Timestamp_Sys100NS", NULL}},
    {"PERF_COUNTER_OBJ_TIME_QUEUELEN_TYPE", {"Timestamp_Object", NULL}},
    {"PERF_ELAPSED_TIME", {"Timestamp_Object", "Frequency_Object", NULL}},
};

static void test_needed_properties(void) {
  for (size_t i = 0; i < sizeof(needs_cases) / sizeof(needs_cases[0]); i++) {
    const needs_case_t *c = &needs_cases[i];
    unit_case = c->type;
    uint32_t type;
    CHECK(wmi_counter_type_by_name(c->type, &type), "known");
    size_t k = 0;
    char name[WMI_PROPERTY_MAX];
    for (; wmi_counter_property(type, "P", k, name, sizeof(name)) == 0; k++)
      CHECK(k < 4 && c->needs[k] != NULL && strcmp(name, c->needs[k]) == 0,
            "property %zu: %s", k, name);
    CHECK(k == 4 || c->needs[k] == NULL, "%zu properties, more expected", k);
  }
}

/* The one check of a Result's counter type: supported, summable when
 * summed, its objects' differences addable with ObjectsFrom, then every
 * property it reads selected. */
typedef struct {
  const char *name;
  uint32_t type;
  const char *statement;
  bool sum;
  bool objects; /* ObjectsFrom */
  wmi_counter_problem_t want;
  const char *missing; /* with WMI_COUNTER_UNSELECTED */
} check_case_t;

/* Counter types by number, as a class's qualifiers give them. */
enum {
  RAWCOUNT = 0x00010000u,
  TIMER_100NS = 0x20510500u,
  AVERAGE_TIMER = 0x30020400u,
  ELAPSED = 0x30240500u,
  TIMER_100NS_INV = 0x21510500u,
  PRECISION_100NS = 0x20570500u,
  RAW_FRACTION = 0x20020400u,
  MULTI_TIMER = 0x00000b00u, /* not supported */
};

static const check_case_t check_cases[] = {
    {"raw count, nothing else", RAWCOUNT, "SELECT P FROM C"},
    {"raw count summed", RAWCOUNT, "SELECT P FROM C", .sum = true},
    {"unsupported number", MULTI_TIMER, "SELECT * FROM C",
     .want = WMI_COUNTER_UNSUPPORTED},
    {"unsupported, said first", MULTI_TIMER, "SELECT P FROM C", .sum = true,
     .want = WMI_COUNTER_UNSUPPORTED},
    {"timer with its timestamp", TIMER_100NS,
     "SELECT P, Timestamp_Sys100NS FROM C", .sum = true},
    {"timer without its timestamp", TIMER_100NS, "SELECT P FROM C",
     .want = WMI_COUNTER_UNSELECTED, .missing = "Timestamp_Sys100NS"},
    {"average: its base first", AVERAGE_TIMER, "SELECT P FROM C",
     .want = WMI_COUNTER_UNSELECTED, .missing = "P_Base"},
    {"average: then its frequency", AVERAGE_TIMER, "SELECT P, P_Base FROM C",
     .want = WMI_COUNTER_UNSELECTED, .missing = "Frequency_PerfTime"},
    {"start times not summed", ELAPSED, "SELECT * FROM C"},
    {"start times summed", ELAPSED, "SELECT * FROM C", .sum = true,
     .want = WMI_COUNTER_NOT_SUMMABLE},
    {"summability said before selection", ELAPSED, "SELECT P FROM C",
     .sum = true, .want = WMI_COUNTER_NOT_SUMMABLE},
    {"timer per object", TIMER_100NS, "SELECT P, Timestamp_Sys100NS FROM C",
     .sum = true, .objects = true},
    {"raw fraction per object", RAW_FRACTION, "SELECT P, P_Base FROM C",
     .sum = true, .objects = true},
    {"inverse timer per object", TIMER_100NS_INV,
     "SELECT P, Timestamp_Sys100NS FROM C", .sum = true, .objects = true,
     .want = WMI_COUNTER_NOT_PER_OBJECT},
    {"precision timer per object: its base is a clock", PRECISION_100NS,
     "SELECT P, P_Base FROM C", .sum = true, .objects = true,
     .want = WMI_COUNTER_NOT_PER_OBJECT},
    {"per object said before selection", TIMER_100NS_INV, "SELECT P FROM C",
     .sum = true, .objects = true, .want = WMI_COUNTER_NOT_PER_OBJECT},
};

static void test_check(void) {
  for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
    const check_case_t *c = &check_cases[i];
    unit_case = c->name;
    char missing[WMI_PROPERTY_MAX] = "";
    wmi_counter_problem_t got =
        wmi_counter_check(c->type, "P", c->statement, c->sum, c->objects,
                          missing, sizeof(missing));
    CHECK(got == c->want, "problem %d, want %d", got, c->want);
    if (c->missing != NULL)
      CHECK_STR(missing, c->missing);
  }
}

int main(void) {
  test_wql();
  test_check();
  test_resolve();
  test_needed_properties();
  log_capture_stop();
  return unit_summary("cook");
}
