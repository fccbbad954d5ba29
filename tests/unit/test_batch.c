/* From WMI objects to samples: instance names, values, and what happens
 * to nulls, hostile values, missing properties, duplicate identifiers and
 * names longer than collectd keeps. */
#include "config_load.h"
#include "fake_object.h"
#include "fake_types.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_batch.h"

#include <inttypes.h>
#include <stdlib.h>

/* The cooking state of the job the tests run; NULL when nothing cooks. */
static wmi_cook_t *test_cook;

/* One run of job 0 over `objects`, finished as the sink finishes it. */
static wmi_batch_t *run(const wmi_config_t *cfg, object_t *objects, size_t n,
                        wmi_complaints_t *complaints) {
  wmi_batch_t *b = wmi_batch_new(0, TIME_T_TO_CDTIME_T_STATIC(1234));
  for (size_t i = 0; i < n; i++)
    CHECK(wmi_batch_add_object(b, &cfg->jobs[0], fake_object_property,
                               &objects[i], complaints, test_cook) == 0,
          "object %zu added", i);
  wmi_batch_finish(b, &cfg->jobs[0], complaints, test_cook);
  return b;
}

/* Frees what a test of a cooking job made, and its cooking state. */
static void cooked_job_free(wmi_config_t *cfg, wmi_complaints_t *complaints) {
  wmi_cook_free(test_cook);
  test_cook = NULL;
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

static const char *const DISK =
    "<Query \"disk\">\n"
    "  Statement \"SELECT DeviceID, FreeSpace, Size FROM Win32_LogicalDisk\"\n"
    "  <Result>\n    Type \"df_complex\"\n    InstancePrefix \"free\"\n"
    "    InstancesFrom \"DeviceID\"\n    ValuesFrom \"FreeSpace\"\n  "
    "</Result>\n"
    "  <Result>\n    Type \"gauge\"\n    InstancePrefix \"size\"\n"
    "    InstancesFrom \"DeviceID\"\n    ValuesFrom \"Size\"\n  </Result>\n"
    "</Query>\n";

static void test_disks(void) {
  unit_case = "disks";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(DISK);
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t objects[] = {
      {{{"DeviceID", STR("C:")},
        {"FreeSpace", STR("18446744073709551615")},
        {"Size", STR("250000000000")}}},
      {{{"DeviceID", STR("D:")}, {"FreeSpace", NUL}, {"Size", STR("1000")}}},
      {{{"DeviceID", STR("E:")},
        {"FreeSpace", STR("lots")},
        {"Size", STR("2000")}}},
  };
  wmi_batch_t *b = run(cfg, objects, 3, complaints);
  CHECK(b->objects == 3, "objects counted");
  CHECK(b->samples_num == 4, "2 results x 3 disks - null - bad = %zu",
        b->samples_num);
  const wmi_sample_t *c = wmi_batch_find(b, "df_complex", "free-C_");
  CHECK(c != NULL && c->values[0].gauge == 18446744073709551615.0, "C: free");
  CHECK(wmi_batch_find(b, "gauge", "size-D_") != NULL,
        "D: size despite null free");
  CHECK(wmi_batch_find(b, "df_complex", "free-D_") == NULL, "null skipped");
  CHECK(wmi_batch_find(b, "df_complex", "free-E_") == NULL,
        "bad value skipped");
  CHECK(log_captured("Host \"local\", Query \"disk\", Result 1: property "
                     "\"FreeSpace\", instance \"free-E_\": value skipped: "
                     "\"lots\" is not a number"),
        "warning names host, query, result, property and instance:\n%s",
        log_captured_all());
  CHECK(!log_captured("D_"), "a null is skipped silently");
  CHECK(b->samples_cap == b->samples_num, "finish gives back unused room");
  wmi_batch_free(b);

  /* The same bad value next run: no second warning. Then it recovers. */
  unit_case = "complain once";
  b = run(cfg, &objects[2], 1, complaints);
  wmi_batch_free(b);
  CHECK(log_captured_count("value skipped") == 1, "warned once:\n%s",
        log_captured_all());
  objects[2].props[1].value = (wmi_cim_value_t)STR("77");
  b = run(cfg, &objects[2], 1, complaints);
  CHECK(b->samples_num == 2, "recovered value used");
  wmi_batch_free(b);
  CHECK(log_captured("Result 1: property \"FreeSpace\", instance \"free-E_\": "
                     "values are usable again"),
        "recovery reported:\n%s", log_captured_all());
  CHECK(!wmi_complaints_any(complaints), "nothing left open");
  objects[2].props[1].value = (wmi_cim_value_t)STR("bad again");
  b = run(cfg, &objects[2], 1, complaints);
  wmi_batch_free(b);
  CHECK(log_captured_count("value skipped") == 2, "a new failure is reported");

  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* ---- Missing properties: complained of once, ended once a whole run has
 * them again; a property only some objects have does not flap. ---- */
static const char *const PROCS =
    "<Query \"procs\">\n  Statement \"SELECT * FROM Win32_Process\"\n"
    "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"
    "    ValuesFrom \"WorkingSetSize\"\n  </Result>\n"
    "  <Result>\n    Type \"derive\"\n    InstancesFrom \"Name\"\n"
    "    ValuesFrom \"ThreadCount\"\n  </Result>\n</Query>\n";

enum { FULL, FULL2, NO_THREADS, NO_NAME };

typedef struct {
  const char *name;
  int objects[3]; /* kinds of objects; -1 ends */
  int new_missing, new_again;
  bool open_after;
} missing_run_t;

static const missing_run_t missing_runs[] = {
    {"ThreadCount missing", {NO_THREADS, -1}, 1, 0, true},
    {"still missing: silent", {NO_THREADS, FULL, -1}, 0, 0, true},
    {"every object has it", {FULL, FULL2, -1}, 0, 1, false},
    {"all fine: silent", {FULL, -1}, 0, 0, false},
    {"some objects lack it", {FULL, NO_THREADS, -1}, 1, 0, true},
    {"again some: no flapping", {NO_THREADS, FULL, FULL2}, 0, 0, true},
    {"a run without objects ends nothing", {-1}, 0, 0, true},
    {"all have it again", {FULL, FULL2, -1}, 0, 1, false},
    /* InstancesFrom's Name missing: both Results complain. */
    {"Name missing", {NO_NAME, -1}, 2, 0, true},
    {"Name back", {FULL, -1}, 0, 2, false},
};

static void test_missing_properties(void) {
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(PROCS);
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t kinds[] = {
      [FULL] = {{{"Name", STR("a.exe")},
                 {"WorkingSetSize", UINT(1)},
                 {"ThreadCount", UINT(2)}}},
      [FULL2] = {{{"Name", STR("b.exe")},
                  {"WorkingSetSize", UINT(1)},
                  {"ThreadCount", UINT(2)}}},
      [NO_THREADS] = {{{"Name", STR("c.exe")}, {"WorkingSetSize", UINT(1)}}},
      [NO_NAME] = {{{"WorkingSetSize", UINT(1)}, {"ThreadCount", UINT(2)}}},
  };
  int missing = 0, again = 0;
  for (size_t i = 0; i < sizeof(missing_runs) / sizeof(missing_runs[0]); i++) {
    const missing_run_t *r = &missing_runs[i];
    unit_case = r->name;
    object_t objects[3];
    size_t n = 0;
    for (; n < 3 && r->objects[n] >= 0; n++)
      objects[n] = kinds[r->objects[n]];
    wmi_batch_free(run(cfg, objects, n, complaints));
    missing += r->new_missing;
    again += r->new_again;
    CHECK(log_captured_count("is not in the query's results") == missing,
          "want %d \"missing\" lines:\n%s", missing, log_captured_all());
    CHECK(log_captured_count("is in the query's results again") == again,
          "want %d \"again\" lines:\n%s", again, log_captured_all());
    CHECK(wmi_complaints_any(complaints) == r->open_after, "any() %d",
          wmi_complaints_any(complaints));
  }
  CHECK(log_captured("Host \"local\", Query \"procs\", Result 2: option "
                     "\"ValuesFrom\": property \"ThreadCount\" is not in the "
                     "query's results"),
        "names host, query, result, option, property:\n%s", log_captured_all());
  CHECK(log_captured("Host \"local\", Query \"procs\", Result 2: property "
                     "\"ThreadCount\" is in the query's results again"),
        "the end names them too:\n%s", log_captured_all());
  CHECK(log_captured("Result 1: option \"InstancesFrom\": property \"Name\""),
        "InstancesFrom named:\n%s", log_captured_all());
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* ---- Duplicate identifiers: within one Result and across Results. ---- */
static void test_duplicates(void) {
  unit_case = "duplicates in one Result";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(PROCS);
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t procs[] = {
      {{{"Name", STR("svchost.exe")},
        {"WorkingSetSize", UINT(100)},
        {"ThreadCount", UINT(1)}}},
      {{{"Name", STR("lsass.exe")},
        {"WorkingSetSize", UINT(300)},
        {"ThreadCount", UINT(3)}}},
      {{{"Name", STR("svchost.exe")},
        {"WorkingSetSize", UINT(200)},
        {"ThreadCount", UINT(2)}}},
  };
  wmi_batch_t *b = run(cfg, procs, 3, complaints);
  CHECK(b->samples_num == 4, "one svchost_exe per Result kept, got %zu",
        b->samples_num);
  const wmi_sample_t *s = wmi_batch_find(b, "gauge", "svchost_exe");
  CHECK(s != NULL && s->values[0].gauge == 100, "the first is kept");
  CHECK(b->samples_num == 4 &&
            strcmp(b->samples[0].type_instance, "svchost_exe") == 0 &&
            strcmp(b->samples[2].type_instance, "lsass_exe") == 0 &&
            b->samples[2].values[0].gauge == 300,
        "arrival order kept");
  CHECK(log_captured_count("several objects give the instance "
                           "\"svchost_exe\"") == 2,
        "once per type:\n%s", log_captured_all());
  CHECK(log_captured("Host \"local\", Query \"procs\", Result 1: several "
                     "objects give the instance \"svchost_exe\" (type "
                     "\"gauge\")"),
        "names host, query and result:\n%s", log_captured_all());
  wmi_batch_free(b);
  wmi_batch_free(run(cfg, procs, 3, complaints));
  CHECK(log_captured_count("several objects") == 2, "not again next run");
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);

  /* Two Results that only the data makes collide: collectd would get two
   * values for one identifier. */
  unit_case = "duplicates across Results";
  log_capture_start();
  cfg = config_load_or_abort(
      "<Query \"nics\">\n  Statement \"SELECT * FROM X\"\n"
      "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"
      "    ValuesFrom \"Speed\"\n  </Result>\n"
      "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Caption\"\n"
      "    ValuesFrom \"Mtu\"\n  </Result>\n</Query>\n");
  complaints = wmi_complaints_new(NULL);
  object_t nics[] = {
      {{{"Name", STR("eth0")},
        {"Caption", STR("eth0")},
        {"Speed", UINT(1000)},
        {"Mtu", UINT(1500)}}},
      {{{"Name", STR("eth1")},
        {"Caption", STR("Ethernet 2")},
        {"Speed", UINT(100)},
        {"Mtu", UINT(9000)}}},
  };
  b = run(cfg, nics, 2, complaints);
  CHECK(b->samples_num == 3, "eth0 once, eth1 and Ethernet_2: %zu",
        b->samples_num);
  s = wmi_batch_find(b, "gauge", "eth0");
  CHECK(s != NULL && s->values[0].gauge == 1000, "Result 1's value kept");
  CHECK(log_captured_count("Host \"local\", Query \"nics\": Results 1 and 2 "
                           "both give type \"gauge\", instance \"eth0\"") == 1,
        "warned:\n%s", log_captured_all());
  wmi_batch_free(b);
  wmi_batch_free(run(cfg, nics, 2, complaints));
  CHECK(log_captured_count("both give") == 1, "once");
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* ---- Type instances longer than collectd's 127 characters: skipped with
 * a warning, never cut into a name that could collide. ---- */
typedef struct {
  const char *name;
  char instance[300];             /* the InstancesFrom value */
  bool want_plain, want_prefixed; /* kept without and with "free-" */
} long_case_t;

static char *repeat(char *out, const char *unit, size_t times) {
  out[0] = '\0';
  for (size_t i = 0; i < times; i++)
    strcat(out, unit);
  return out;
}

static void test_long_instances(void) {
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      "<Query \"long\">\n  Statement \"SELECT * FROM X\"\n"
      "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"
      "    ValuesFrom \"Size\"\n  </Result>\n"
      "  <Result>\n    Type \"df_complex\"\n    InstancePrefix \"free\"\n"
      "    InstancesFrom \"Name\"\n    ValuesFrom \"Size\"\n  </Result>\n"
      "</Query>\n");
  long_case_t cases[] = {
      {"122 characters", "", true, true},
      {"123 characters: too long with the prefix", "", true, false},
      {"127 characters", "", true, false},
      {"128 characters", "", false, false},
      {"100 two-byte characters: 100 once sanitized", "", true, true},
  };
  repeat(cases[0].instance, "a", 122);
  repeat(cases[1].instance, "b", 123);
  repeat(cases[2].instance, "c", 127);
  repeat(cases[3].instance, "d", 128);
  repeat(cases[4].instance, "\xc3\xa9", 100); /* é */
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    long_case_t *c = &cases[i];
    unit_case = c->name;
    wmi_complaints_t *complaints = wmi_complaints_new(NULL);
    object_t o = {{{"Name", STR(c->instance)}, {"Size", UINT(7)}}};
    wmi_batch_t *b = run(cfg, &o, 1, complaints);
    bool plain = false, prefixed = false;
    for (size_t s = 0; s < b->samples_num; s++) {
      plain |= strcmp(b->samples[s].result->type, "gauge") == 0;
      prefixed |= strcmp(b->samples[s].result->type, "df_complex") == 0;
      CHECK(strlen(b->samples[s].type_instance) < DATA_MAX_NAME_LEN,
            "fits collectd");
    }
    CHECK(plain == c->want_plain, "plain kept: %d", plain);
    CHECK(prefixed == c->want_prefixed, "prefixed kept: %d", prefixed);
    CHECK(log_captured_count("longer than the 127 characters collectd "
                             "keeps") == (!c->want_plain) + (!c->want_prefixed),
          "one warning per skipped sample:\n%s", log_captured_all());
    wmi_batch_free(b);
    wmi_complaints_free(complaints);
    log_capture_start();
  }

  /* Two names equal in their first 127 characters: cut, they would be one
   * identifier. Both are skipped, warned about once. */
  unit_case = "long names differing past 127";
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  char x[200], y[200], cut[200];
  repeat(x, "n", 129);
  strcpy(y, x);
  strcat(x, "x");
  strcat(y, "y");
  object_t objects[] = {{{{"Name", STR(x)}, {"Size", UINT(1)}}},
                        {{{"Name", STR(y)}, {"Size", UINT(2)}}}};
  wmi_batch_t *b = run(cfg, objects, 2, complaints);
  CHECK(b->samples_num == 0, "both skipped, not one kept: %zu", b->samples_num);
  char want[400];
  snprintf(want, sizeof(want),
           "Host \"local\", Query \"long\", Result 1: the type instance "
           "\"%s...\" is longer",
           repeat(cut, "n", 127));
  CHECK(log_captured_count(want) == 1, "names query, result, cut name:\n%s",
        log_captured_all());
  wmi_batch_free(b);
  wmi_batch_free(run(cfg, objects, 2, complaints));
  CHECK(log_captured_count("is longer") == 2, "once per Result, not per run");
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* ---- Scale and Shift: value * Scale + Shift after conversion; gauges in
 * doubles, counter, derive and absolute in exact 64-bit integers, and a
 * result the data source cannot hold skipped, never wrapped. ---- */
#define SINT(v)                                                                \
  { .kind = WMI_CIM_SINT, .u.sint = (v) }
#define REAL(v)                                                                \
  { .kind = WMI_CIM_REAL, .u.real = (v) }

typedef struct {
  const char *name;
  const char *type;    /* gauge, counter, derive or absolute */
  const char *options; /* Scale and Shift lines */
  wmi_cim_value_t in;
  value_t want;    /* by the type's data source; unused when skipped */
  const char *why; /* NULL: kept; else the warning's reason */
} scale_case_t;

static const scale_case_t scale_cases[] = {
    /* Gauges: doubles. Inputs and results chosen exact in binary. */
    {.name = "KiB to bytes",
     .type = "gauge",
     .options = "Scale 1024",
     .in = UINT(16777216),
     .want = {.gauge = 17179869184.0}},
    {.name = "uint64 string, KiB to bytes",
     .type = "gauge",
     .options = "Scale 1024",
     .in = STR("8388608"),
     .want = {.gauge = 8589934592.0}},
    {.name = "Scale and Shift",
     .type = "gauge",
     .options = "Scale 0.25\nShift -10.5",
     .in = UINT(42),
     .want = {.gauge = 0.0}},
    {.name = "Scale and Shift on a string",
     .type = "gauge",
     .options = "Scale 0.25\nShift -10.5",
     .in = STR("3"),
     .want = {.gauge = -9.75}},
    {.name = "negative Scale",
     .type = "gauge",
     .options = "Scale -2\nShift 1",
     .in = REAL(2.5),
     .want = {.gauge = -4.0}},
    {.name = "Shift alone",
     .type = "gauge",
     .options = "Shift 100",
     .in = SINT(-5),
     .want = {.gauge = 95.0}},
    {.name = "past 2^64 as a double",
     .type = "gauge",
     .options = "Scale 2",
     .in = STR("18446744073709551615"),
     .want = {.gauge = 36893488147419103232.0}},
    {.name = "gauge overflow",
     .type = "gauge",
     .options = "Scale 1e300",
     .in = REAL(1e300),
     .why = "1e+300 * Scale 1e+300 + Shift 0 is not a finite number"},
    {.name = "gauge overflow by Shift",
     .type = "gauge",
     .options = "Shift -1e308",
     .in = REAL(-1e308),
     .why = "-1e+308 * Scale 1 + Shift -1e+308 is not a finite number"},
    /* Counter and absolute: exact past 2^53, refused past 2^64 - 1 and
     * below 0. */
    {.name = "counter: 2^54 - 1 KiB",
     .type = "counter",
     .options = "Scale 1024",
     .in = STR("18014398509481983"),
     .want = {.counter = 18446744073709550592ULL}},
    {.name = "counter: 2^54 KiB",
     .type = "counter",
     .options = "Scale 1024",
     .in = STR("18014398509481984"),
     .why = "18014398509481984 * Scale 1024 + Shift 0 does not fit a counter "
            "(0 to 2^64 - 1)"},
    {.name = "counter: Shift to the top",
     .type = "counter",
     .options = "Shift 1",
     .in = STR("18446744073709551614"),
     .want = {.counter = 18446744073709551615ULL}},
    {.name = "counter: Shift past the top",
     .type = "counter",
     .options = "Shift 1",
     .in = STR("18446744073709551615"),
     .why = "18446744073709551615 * Scale 1 + Shift 1 does not fit a counter "
            "(0 to 2^64 - 1)"},
    {.name = "counter: Shift down to 0",
     .type = "counter",
     .options = "Shift -5",
     .in = UINT(5),
     .want = {.counter = 0}},
    {.name = "counter: Shift below 0",
     .type = "counter",
     .options = "Shift -5",
     .in = UINT(4),
     .why = "4 * Scale 1 + Shift -5 does not fit a counter (0 to 2^64 - 1)"},
    {.name = "counter: the largest Scale",
     .type = "counter",
     .options = "Scale 4294967296",
     .in = UINT(4294967295),
     .want = {.counter = 18446744069414584320ULL}},
    {.name = "counter: the largest Scale, too much",
     .type = "counter",
     .options = "Scale 4294967296",
     .in = UINT(4294967296),
     .why = "4294967296 * Scale 4294967296 + Shift 0 does not fit a counter (0 "
            "to 2^64 - 1)"},
    {.name = "counter: the largest Shifts",
     .type = "counter",
     .options = "Scale 2\nShift -9007199254740992",
     .in = STR("9223372036854775807"),
     .want = {.counter = 18437736874454810622ULL}},
    {.name = "counter: the product overflows, the result fits",
     .type = "counter",
     .options = "Scale 4\nShift -1",
     .in = STR("4611686018427387904"),
     .want = {.counter = 18446744073709551615ULL}},
    {.name = "absolute: Scale and Shift",
     .type = "absolute",
     .options = "Scale 3\nShift 7",
     .in = UINT(1000),
     .want = {.absolute = 3007}},
    {.name = "absolute: below 0",
     .type = "absolute",
     .options = "Shift -9007199254740992",
     .in = UINT(9007199254740991),
     .why = "9007199254740991 * Scale 1 + Shift -9007199254740992 does not fit "
            "an absolute (0 to 2^64 - 1)"},
    /* Derive: signed, exact to both ends of int64. */
    {.name = "derive: ms to us",
     .type = "derive",
     .options = "Scale 1000",
     .in = SINT(-9223372036854775),
     .want = {.derive = -9223372036854775000LL}},
    {.name = "derive: below int64",
     .type = "derive",
     .options = "Scale 1000",
     .in = SINT(-9223372036854776),
     .why = "-9223372036854776 * Scale 1000 + Shift 0 does not fit a derive "
            "(int64)"},
    {.name = "derive: down to INT64_MIN",
     .type = "derive",
     .options = "Scale 2",
     .in = SINT(-4611686018427387904LL),
     .want = {.derive = INT64_MIN}},
    {.name = "derive: Shift below INT64_MIN",
     .type = "derive",
     .options = "Scale 2\nShift -1",
     .in = SINT(-4611686018427387904LL),
     .why = "-4611686018427387904 * Scale 2 + Shift -1 does not fit a derive "
            "(int64)"},
    {.name = "derive: 2^63",
     .type = "derive",
     .options = "Scale 2",
     .in = STR("4611686018427387904"),
     .why = "4611686018427387904 * Scale 2 + Shift 0 does not fit a derive "
            "(int64)"},
    {.name = "derive: Shift up to INT64_MAX",
     .type = "derive",
     .options = "Shift 9007199254740992",
     .in = STR("9214364837600034815"),
     .want = {.derive = INT64_MAX}},
    {.name = "derive: Shift past INT64_MAX",
     .type = "derive",
     .options = "Shift 9007199254740992",
     .in = STR("9214364837600034816"),
     .why = "9214364837600034816 * Scale 1 + Shift 9007199254740992 does not "
            "fit a derive (int64)"},
    {.name = "derive: the product overflows, the result fits",
     .type = "derive",
     .options = "Scale 3\nShift 2",
     .in = SINT(-3074457345618258603LL),
     .want = {.derive = -9223372036854775807LL}},
    {.name = "derive: INT64_MIN shifted up",
     .type = "derive",
     .options = "Shift 5",
     .in = SINT(INT64_MIN),
     .want = {.derive = INT64_MIN + 5}},
    {.name = "derive: INT64_MIN scaled and shifted",
     .type = "derive",
     .options = "Scale 2\nShift 9007199254740992",
     .in = SINT(INT64_MIN),
     .why = "-9223372036854775808 * Scale 2 + Shift 9007199254740992 does not "
            "fit a derive (int64)"},
    {.name = "derive: INT64_MAX shifted down",
     .type = "derive",
     .options = "Shift -9007199254740992",
     .in = SINT(INT64_MAX),
     .want = {.derive = 9214364837600034815LL}},
    {.name = "derive: Scale 7, Shift -3",
     .type = "derive",
     .options = "Scale 7\nShift -3",
     .in = SINT(-5),
     .want = {.derive = -38}},
    {.name = "derive: seconds since 1601 to since 1970",
     .type = "derive",
     .options = "Scale 10\nShift -11644473600",
     .in = UINT(13360000000),
     .want = {.derive = 121955526400LL}},
};

static bool same_value(const char *type, value_t got, value_t want) {
  if (strcmp(type, "gauge") == 0)
    return got.gauge == want.gauge;
  if (strcmp(type, "derive") == 0)
    return got.derive == want.derive;
  if (strcmp(type, "counter") == 0)
    return got.counter == want.counter;
  return got.absolute == want.absolute;
}

/* Runs one object {Name "x", V} through a Result with c->options. */
static void check_value_cases(const scale_case_t *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const scale_case_t *c = &cases[i];
    unit_case = c->name;
    log_capture_start();
    char text[512];
    snprintf(text, sizeof(text),
             "<Query \"scale\">\n  Statement \"SELECT * FROM X\"\n"
             "  <Result>\n    Type \"%s\"\n    InstancesFrom \"Name\"\n"
             "    ValuesFrom \"V\"\n    %s\n  </Result>\n</Query>\n",
             c->type, c->options);
    wmi_config_t *cfg = config_load_or_abort(text);
    wmi_complaints_t *complaints = wmi_complaints_new(NULL);
    object_t o = {{{"Name", STR("x")}, {"V", c->in}}};
    wmi_batch_t *b = run(cfg, &o, 1, complaints);
    const wmi_sample_t *s = wmi_batch_find(b, c->type, "x");
    if (c->why == NULL) {
      CHECK(s != NULL, "skipped:\n%s", log_captured_all());
      if (s != NULL)
        CHECK(same_value(c->type, s->values[0], c->want),
              "gauge %.17g, derive %" PRId64 ", counter %" PRIu64,
              s->values[0].gauge, (int64_t)s->values[0].derive,
              (uint64_t)s->values[0].counter);
      CHECK(!log_captured("skipped"), "no warning:\n%s", log_captured_all());
    } else {
      char want[400];
      snprintf(want, sizeof(want),
               "Host \"local\", Query \"scale\", Result 1: property \"V\", "
               "instance \"x\": value skipped: %s",
               c->why);
      CHECK(s == NULL, "kept");
      CHECK(log_captured_count(want) == 1, "want \"%s\" in:\n%s", want,
            log_captured_all());
    }
    wmi_batch_free(b);
    wmi_complaints_free(complaints);
    wmi_config_free(cfg);
  }
}

static void test_scale(void) {
  check_value_cases(scale_cases, sizeof(scale_cases) / sizeof(scale_cases[0]));
}

/* ---- ValueMap: a string value becomes its number (exact, case-sensitive)
 * before conversion and scaling; an unmapped one the ValueMapDefault, or
 * skipped with a warning naming it. Other kinds convert as without a map.
 * ---- */
#define STATES "ValueMap \"Running\" 1 \"Stopped\" 0"
static const scale_case_t value_map_cases[] = {
    {.name = "Running",
     .type = "gauge",
     .options = STATES,
     .in = STR("Running"),
     .want.gauge = 1},
    {.name = "Stopped",
     .type = "gauge",
     .options = STATES,
     .in = STR("Stopped"),
     .want.gauge = 0},
    {.name = "case-sensitive",
     .type = "gauge",
     .options = STATES,
     .in = STR("running"),
     .why = "\"running\" is not in \"ValueMap\""},
    {.name = "no trimming",
     .type = "gauge",
     .options = STATES,
     .in = STR("Running "),
     .why = "\"Running \" is not in \"ValueMap\""},
    {.name = "a numeric string is looked up too",
     .type = "gauge",
     .options = STATES,
     .in = STR("5"),
     .why = "\"5\" is not in \"ValueMap\""},
    {.name = "unmapped, with a default",
     .type = "gauge",
     .options = STATES "\n    ValueMapDefault -1",
     .in = STR("Paused"),
     .want.gauge = -1},
    {.name = "mapped, with a default",
     .type = "gauge",
     .options = STATES "\n    ValueMapDefault -1",
     .in = STR("Stopped"),
     .want.gauge = 0},
    {.name = "repeated option",
     .type = "gauge",
     .options = "ValueMap \"Running\" 1\n    ValueMap \"Paused\" 0.5",
     .in = STR("Paused"),
     .want.gauge = 0.5},
    {.name = "empty string mapped",
     .type = "gauge",
     .options = "ValueMap \"\" 7",
     .in = STR(""),
     .want.gauge = 7},
    {.name = "an unsigned value is not looked up",
     .type = "gauge",
     .options = STATES,
     .in = UINT(42),
     .want.gauge = 42},
    {.name = "a real value is not looked up",
     .type = "gauge",
     .options = STATES,
     .in = REAL(2.5),
     .want.gauge = 2.5},
    {.name = "mapped, then scaled",
     .type = "gauge",
     .options = STATES "\n    Scale 10\n    Shift 5",
     .in = STR("Running"),
     .want.gauge = 15},
    {.name = "default, then scaled",
     .type = "gauge",
     .options = STATES "\n    ValueMapDefault -1\n    Scale 10",
     .in = STR("Paused"),
     .want.gauge = -10},
    {.name = "derive: a negative integer, exactly",
     .type = "derive",
     .options = "ValueMap \"lo\" -9007199254740992",
     .in = STR("lo"),
     .want.derive = -9007199254740992LL},
    {.name = "counter: 2^53, exactly",
     .type = "counter",
     .options = "ValueMap \"hi\" 9007199254740992",
     .in = STR("hi"),
     .want.counter = 9007199254740992ULL},
    {.name = "absolute: mapped and scaled",
     .type = "absolute",
     .options = "ValueMap \"on\" 3\n    Scale 1024",
     .in = STR("on"),
     .want.absolute = 3072},
    {.name = "derive: mapped and shifted past -2^53, exactly",
     .type = "derive",
     .options = "ValueMap \"x\" -2\n    Shift -9007199254740992",
     .in = STR("x"),
     .want.derive = -9007199254740994LL},
};

static void test_value_map(void) {
  check_value_cases(value_map_cases,
                    sizeof(value_map_cases) / sizeof(value_map_cases[0]));
}

/* An unmapped state warns once, naming query, property, instance and
 * value, until the value maps again; a null stays silent. */
static void test_value_map_complaints(void) {
  unit_case = "unmapped state warned once";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      "<Query \"svc\">\n  Statement \"SELECT Name, State FROM "
      "Win32_Service\"\n  <Result>\n    Type \"gauge\"\n"
      "    InstancePrefix \"state\"\n    InstancesFrom \"Name\"\n"
      "    ValuesFrom \"State\"\n    " STATES "\n  </Result>\n"
      "</Query>\n");
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t o[] = {{{{"Name", STR("a")}, {"State", STR("Paused")}}},
                  {{{"Name", STR("b")}, {"State", STR("Running")}}}};
  const char *warning = "Host \"local\", Query \"svc\", Result 1: property "
                        "\"State\", instance \"state-a\": value skipped: "
                        "\"Paused\" is not in \"ValueMap\"";
  for (int run_num = 0; run_num < 3; run_num++) {
    wmi_batch_t *b = run(cfg, o, 2, complaints);
    CHECK(b->samples_num == 1, "only b: %zu samples", b->samples_num);
    const wmi_sample_t *s = wmi_batch_find(b, "gauge", "state-b");
    CHECK(s != NULL && s->values[0].gauge == 1.0, "b is Running");
    wmi_batch_free(b);
  }
  CHECK(log_captured_count(warning) == 1, "once in three runs:\n%s",
        log_captured_all());

  unit_case = "unmapped state recovers";
  o[0].props[1].value = (wmi_cim_value_t)STR("Stopped");
  wmi_batch_t *b = run(cfg, o, 2, complaints);
  const wmi_sample_t *s = wmi_batch_find(b, "gauge", "state-a");
  CHECK(s != NULL && s->values[0].gauge == 0.0, "a is Stopped");
  wmi_batch_free(b);
  CHECK(log_captured("Result 1: property \"State\", instance \"state-a\": "
                     "values are usable again"),
        "recovery reported:\n%s", log_captured_all());
  CHECK(!wmi_complaints_any(complaints), "nothing left open");
  o[0].props[1].value = (wmi_cim_value_t)STR("Start Pending");
  b = run(cfg, o, 2, complaints);
  wmi_batch_free(b);
  CHECK(log_captured("instance \"state-a\": value skipped: \"Start "
                     "Pending\" is not in \"ValueMap\""),
        "a new unmapped value is reported:\n%s", log_captured_all());

  unit_case = "a null state is skipped silently";
  log_capture_start();
  o[0].props[1].value = (wmi_cim_value_t)NUL;
  o[1].props[1].value = (wmi_cim_value_t)NUL;
  b = run(cfg, o, 2, complaints);
  CHECK(b->samples_num == 0, "no samples");
  wmi_batch_free(b);
  CHECK(!log_captured("skipped"), "no warning:\n%s", log_captured_all());
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* One Result with a gauge and a derive: each value by its own data
 * source's arithmetic. An overflow complains once until values fit. */
static void test_scale_mixed(void) {
  unit_case = "gauge and derive in one Result";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      "<Query \"mix\">\n  Statement \"SELECT * FROM X\"\n"
      "  <Result>\n    Type \"gauge_derive\"\n    InstancesFrom \"Name\"\n"
      "    ValuesFrom \"Level\" \"Count\"\n    Scale 4\n    Shift -1\n"
      "  </Result>\n</Query>\n");
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t o = {{{"Name", STR("x")},
                 {"Level", REAL(0.5)},
                 {"Count", STR("2305843009213693952")}}}; /* 2^61 */
  wmi_batch_t *b = run(cfg, &o, 1, complaints);
  const wmi_sample_t *s = wmi_batch_find(b, "gauge_derive", "x");
  CHECK(s != NULL && s->values[0].gauge == 1.0 &&
            s->values[1].derive == 9223372036854775807LL,
        "0.5 * 4 - 1 and 2^61 * 4 - 1 (INT64_MAX), exactly");
  wmi_batch_free(b);

  unit_case = "overflow complained of once";
  o.props[2].value = (wmi_cim_value_t)STR("2305843009213693953");
  for (int run_num = 0; run_num < 3; run_num++) {
    b = run(cfg, &o, 1, complaints);
    CHECK(b->samples_num == 0, "the whole value list is skipped");
    wmi_batch_free(b);
  }
  CHECK(log_captured_count("Host \"local\", Query \"mix\", Result 1: "
                           "property \"Count\", instance \"x\": value "
                           "skipped: 2305843009213693953 * Scale 4 + Shift "
                           "-1 does not fit a derive (int64)") == 1,
        "once in three runs:\n%s", log_captured_all());
  o.props[2].value = (wmi_cim_value_t)UINT(3);
  b = run(cfg, &o, 1, complaints);
  s = wmi_batch_find(b, "gauge_derive", "x");
  CHECK(s != NULL && s->values[1].derive == 11, "3 * 4 - 1");
  wmi_batch_free(b);
  CHECK(log_captured("Result 1: property \"Count\", instance \"x\": values "
                     "are usable again"),
        "recovery reported:\n%s", log_captured_all());
  CHECK(!wmi_complaints_any(complaints), "nothing left open");
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* ---- Duplicates "sum" ---- */

#define PROCESSES(type, options)                                               \
  "<Query \"ps\">\n  Statement \"SELECT Name, X FROM Win32_Process\"\n"        \
  "  <Result>\n    Type \"" type "\"\n    InstancesFrom \"Name\"\n"            \
  "    ValuesFrom \"X\"\n" options "  </Result>\n</Query>\n"

static void test_sum(void) {
  unit_case = "sum before Scale and Shift";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      PROCESSES("gauge", "Duplicates \"sum\"\nScale 2\nShift 1\n"));
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t objects[] = {
      {{{"Name", STR("svchost")}, {"X", UINT(100)}}},
      {{{"Name", STR("lsass")}, {"X", UINT(50)}}},
      {{{"Name", STR("svchost")}, {"X", STR("200")}}},
  };
  wmi_batch_t *b = run(cfg, objects, 3, complaints);
  const wmi_sample_t *svchost = wmi_batch_find(b, "gauge", "svchost");
  /* (100 + 200) * 2 + 1, not (100 * 2 + 1) + (200 * 2 + 1). */
  CHECK(svchost != NULL && svchost->values[0].gauge == 601.0, "svchost %g",
        svchost ? svchost->values[0].gauge : -1);
  const wmi_sample_t *lsass = wmi_batch_find(b, "gauge", "lsass");
  CHECK(lsass != NULL && lsass->values[0].gauge == 101.0, "lsass alone");
  CHECK(b->samples_num == 2, "one sample per name: %zu", b->samples_num);
  CHECK(!log_captured("only one is kept"), "no duplicate warning:\n%s",
        log_captured_all());
  wmi_batch_free(b);
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);

  unit_case = "sum of integers stays exact";
  log_capture_start();
  cfg = config_load_or_abort(PROCESSES("derive", "Duplicates \"sum\"\n"));
  complaints = wmi_complaints_new(NULL);
  object_t big[] = {
      {{{"Name", STR("a")}, {"X", STR("9007199254740993")}}},
      {{{"Name", STR("a")}, {"X", UINT(1)}}},
      {{{"Name", STR("b")}, {"X", STR("9223372036854775807")}}},
      {{{"Name", STR("b")}, {"X", UINT(1)}}},
  };
  b = run(cfg, big, 4, complaints);
  const wmi_sample_t *a = wmi_batch_find(b, "derive", "a");
  CHECK(a != NULL && a->values[0].derive == 9007199254740994LL,
        "2^53 + 1 + 1 exact: %" PRId64, a ? a->values[0].derive : -1);
  CHECK(wmi_batch_find(b, "derive", "b") == NULL, "an overflowing sum skipped");
  CHECK(log_captured("Host \"local\", Query \"ps\", Result 1: instance "
                     "\"b\": the sum of its objects' values does not fit a "
                     "64-bit integer; skipped"),
        "overflow named:\n%s", log_captured_all());
  wmi_batch_free(b);
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* ---- CounterType: raw counters cooked, paired by instance ---- */

#define CPU_QUERY(options)                                                     \
  "<Query \"cpu\">\n  Statement \"SELECT Name, X, Timestamp_Sys100NS FROM "    \
  "Win32_PerfRawData_PerfOS_Processor\"\n"                                     \
  "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"               \
  "    ValuesFrom \"X\"\n" options "  </Result>\n</Query>\n"

#define CPU(name, idle, time)                                                  \
  {                                                                            \
    {                                                                          \
      {"Name", STR(name)}, {"X", STR(idle)}, {                                 \
        "Timestamp_Sys100NS", STR(time)                                        \
      }                                                                        \
    }                                                                          \
  }

static double gauge_of(const wmi_batch_t *b, const char *instance) {
  const wmi_sample_t *s = wmi_batch_find(b, "gauge", instance);
  return s ? s->values[0].gauge : -1.0;
}

static void test_cooked_by_instance(void) {
  unit_case = "cooked by instance";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      CPU_QUERY("    CounterType \"PERF_100NSEC_TIMER_INV\"\n"));
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0 && test_cook != NULL,
        "cooking state");
  object_t run1[] = {CPU("0", "1000", "10000"), CPU("1", "5000", "10000")};
  wmi_batch_t *b = run(cfg, run1, 2, complaints);
  CHECK(b->samples_num == 0, "the first run gives no value: %zu",
        b->samples_num);
  wmi_batch_free(b);
  /* Other order, and a new instance. cpu 1: idle 2000 of 10000 -> 80 % busy;
   * cpu 0: idle all 10000 of 10000 -> 0 %. Paired by position instead,
   * cpu 1 would read 100 * (1 - (7000 - 1000) / 10000) = 40. */
  object_t run2[] = {CPU("1", "7000", "20000"), CPU("0", "11000", "20000"),
                     CPU("2", "1", "20000")};
  b = run(cfg, run2, 3, complaints);
  CHECK(gauge_of(b, "1") == 80.0, "cpu 1: %g", gauge_of(b, "1"));
  CHECK(gauge_of(b, "0") == 0.0, "cpu 0: %g", gauge_of(b, "0"));
  CHECK(wmi_batch_find(b, "gauge", "2") == NULL, "a new instance: no value");
  CHECK(b->samples_num == 2, "%zu samples", b->samples_num);
  wmi_batch_free(b);
  /* cpu 0 restarted (went backwards): no value, never a spike; cpu 2 now
   * has a previous sample: idle 4999 of 5000 -> 100 * 1 / 5000 = 0.02 %,
   * computed as (dD - dN) / dD, exact in integers. */
  object_t run3[] = {CPU("0", "10", "25000"), CPU("2", "5000", "25000"),
                     CPU("1", "7000", "30000")};
  b = run(cfg, run3, 3, complaints);
  CHECK(wmi_batch_find(b, "gauge", "0") == NULL, "went backwards: no value");
  CHECK(gauge_of(b, "2") == 100.0 * 1.0 / 5000.0, "cpu 2: %.17g",
        gauge_of(b, "2"));
  CHECK(gauge_of(b, "1") == 100.0, "cpu 1 all busy: %g", gauge_of(b, "1"));
  wmi_batch_free(b);
  /* And cpu 0 goes on from its new start: idle 25000 of 25000. */
  object_t run4[] = {CPU("0", "25010", "50000")};
  b = run(cfg, run4, 1, complaints);
  CHECK(gauge_of(b, "0") == 0.0, "cpu 0 after its restart: %g",
        gauge_of(b, "0"));
  wmi_batch_free(b);
  cooked_job_free(cfg, complaints);
}

#define NET(name, bytes, time, frequency)                                      \
  {                                                                            \
    {                                                                          \
      {"Name", STR(name)}, {"X", STR(bytes)},                                  \
          {"Timestamp_PerfTime", STR(time)}, {                                 \
        "Frequency_PerfTime", UINT(frequency)                                  \
      }                                                                        \
    }                                                                          \
  }

static void test_cooked_rate_scaled(void) {
  unit_case = "a cooked rate, scaled";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      "<Query \"net\">\n  Statement \"SELECT Name, X, Timestamp_PerfTime, "
      "Frequency_PerfTime FROM Win32_PerfRawData_Tcpip_NetworkInterface\"\n"
      "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"
      "    ValuesFrom \"X\"\n    CounterType \"PERF_COUNTER_BULK_COUNT\"\n"
      "    Scale 8\n  </Result>\n</Query>\n");
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
  object_t run1[] = {NET("eth0", "1000", "7000000", 10000000)};
  wmi_batch_free(run(cfg, run1, 1, complaints));
  /* 5,000,000 bytes in 20,000,000 ticks of 10 MHz (2 s): 2,500,000 B/s,
   * times 8: 20,000,000 bit/s. */
  object_t run2[] = {NET("eth0", "5001000", "27000000", 10000000)};
  wmi_batch_t *b = run(cfg, run2, 1, complaints);
  CHECK(gauge_of(b, "eth0") == 20000000.0, "bits per second: %.17g",
        gauge_of(b, "eth0"));
  wmi_batch_free(b);
  /* Without its frequency, an object is skipped with a warning naming the
   * query, Result and property. */
  object_t run3[] = {{{{"Name", STR("eth0")},
                       {"X", STR("6001000")},
                       {"Timestamp_PerfTime", STR("37000000")}}}};
  b = run(cfg, run3, 1, complaints);
  CHECK(b->samples_num == 0, "no value without the frequency");
  CHECK(log_captured("Host \"local\", Query \"net\", Result 1: option "
                     "\"CounterType\": PERF_COUNTER_BULK_COUNT needs property "
                     "\"Frequency_PerfTime\", which is not in the query's "
                     "results"),
        "missing property named:\n%s", log_captured_all());
  wmi_batch_free(b);
  cooked_job_free(cfg, complaints);
}

#define PROC(name, busy, time)                                                 \
  {                                                                            \
    {                                                                          \
      {"Name", STR(name)}, {"X", STR(busy)}, {                                 \
        "Timestamp_Sys100NS", STR(time)                                        \
      }                                                                        \
    }                                                                          \
  }

static void test_sum_then_cook(void) {
  unit_case = "processes summed per name, then cooked";
  log_capture_start();
  wmi_config_t *cfg =
      config_load_or_abort(CPU_QUERY("    CounterType \"PERF_100NSEC_TIMER\"\n"
                                     "    Duplicates \"sum\"\n"));
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
  object_t run1[] = {PROC("svchost", "100", "1000"),
                     PROC("svchost", "200", "1000")};
  wmi_batch_free(run(cfg, run1, 2, complaints));
  /* Busy 600 + 400 - 300 = 700 of 1000: 70 % (two cores may exceed 100). */
  object_t run2[] = {PROC("svchost", "400", "2000"),
                     PROC("svchost", "600", "2000")};
  wmi_batch_t *b = run(cfg, run2, 2, complaints);
  CHECK(gauge_of(b, "svchost") == 70.0, "svchost: %g", gauge_of(b, "svchost"));
  wmi_batch_free(b);
  object_t run3[] = {PROC("svchost", "1400", "2500"),
                     PROC("svchost", "1400", "2500")};
  b = run(cfg, run3, 2, complaints);
  CHECK(gauge_of(b, "svchost") == 360.0, "not capped at 100: %g",
        gauge_of(b, "svchost"));
  wmi_batch_free(b);
  cooked_job_free(cfg, complaints);
}

/* A sum of counters is paired only with a sum of the same objects: one
 * that misses a member, or gains one, gives no value that run and starts
 * afresh, never a spike of a member's whole lifetime. */
static void test_sum_then_cook_members(void) {
  unit_case = "cooked sums keep their members";
  log_capture_start();
  wmi_config_t *cfg =
      config_load_or_abort(CPU_QUERY("    CounterType \"PERF_100NSEC_TIMER\"\n"
                                     "    Duplicates \"sum\"\n"));
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
  struct {
    const char *a, *b, *c; /* NULL: no such object; "" a NULL value */
    const char *time;
    double want; /* -1: no value */
  } runs[] = {
      {"0", "0", NULL, "1000", -1},          /* first run */
      {"100", "100", NULL, "2000", 20},      /* 200 of 1000 */
      {"200", "", NULL, "3000", -1},         /* b unreadable */
      {"300", "300", NULL, "4000", -1},      /* no sample of both */
      {"400", "400", NULL, "5000", 20},      /* 200 of 1000 again */
      {"500", "500", "1000000", "6000", -1}, /* c started */
      {"600", "600", "1000100", "7000", 30}, /* 300 of 1000 */
      {"700", NULL, "1000200", "8000", -1},  /* b exited */
  };
  for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
    object_t objects[3];
    size_t n = 0;
    const char *values[3] = {runs[k].a, runs[k].b, runs[k].c};
    for (size_t m = 0; m < 3; m++) {
      if (values[m] == NULL)
        continue;
      object_t o = {{{"Name", STR("g")},
                     {"X", STR(values[m])},
                     {"Timestamp_Sys100NS", STR(runs[k].time)}}};
      if (values[m][0] == '\0')
        o.props[1].value = (wmi_cim_value_t)NUL;
      objects[n++] = o;
    }
    wmi_batch_t *b = run(cfg, objects, n, complaints);
    double got = gauge_of(b, "g");
    CHECK(got == runs[k].want, "run %zu: %g, want %g", k + 1, got,
          runs[k].want);
    wmi_batch_free(b);
  }
  cooked_job_free(cfg, complaints);

  unit_case = "cooked duplicates kept one by one give no value";
  log_capture_start();
  cfg = config_load_or_abort(
      CPU_QUERY("    CounterType \"PERF_100NSEC_TIMER\"\n"));
  complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
  object_t run1[] = {PROC("x", "0", "1000"), PROC("x", "1000000000", "1000")};
  object_t run2[] = {PROC("x", "1000000100", "2000"), PROC("x", "100", "2000")};
  wmi_batch_t *b = run(cfg, run1, 2, complaints);
  CHECK(b->samples_num == 0, "run 1: none");
  wmi_batch_free(b);
  b = run(cfg, run2, 2, complaints);
  CHECK(b->samples_num == 0, "run 2: none, where pairing the first object "
                             "of each run would give 100,000,010 %%");
  wmi_batch_free(b);
  CHECK(log_captured_count("several objects give the instance \"x\" (type "
                           "\"gauge\"); their raw counters cannot be paired "
                           "from run to run, so it gives no value") == 1,
        "warned once, saying there is no value:\n%s", log_captured_all());
  cooked_job_free(cfg, complaints);
}

/* Sums of exact integers, per data source type. */
typedef struct {
  const char *type;
  const char *a, *b;
  bool fits;
  uint64_t want; /* as the data source's integer, or a gauge's value */
} sum_case_t;

static const sum_case_t sum_cases[] = {
    {"counter", "18446744073709551614", "1", true, 18446744073709551615u},
    {"counter", "18446744073709551615", "1", false, 0},
    {"absolute", "9007199254740993", "9007199254740993", true,
     18014398509481986u},
    {"absolute", "18446744073709551615", "18446744073709551615", false, 0},
    {"derive", "-9223372036854775807", "-1", true, (uint64_t)INT64_MIN},
    {"derive", "-9223372036854775808", "-1", false, 0},
};

static void test_sum_types(void) {
  for (size_t i = 0; i < sizeof(sum_cases) / sizeof(sum_cases[0]); i++) {
    const sum_case_t *c = &sum_cases[i];
    unit_case = c->type;
    log_capture_start();
    char text[512];
    snprintf(text, sizeof(text), PROCESSES("%s", "Duplicates \"sum\"\n"),
             c->type);
    wmi_config_t *cfg = config_load_or_abort(text);
    wmi_complaints_t *complaints = wmi_complaints_new(NULL);
    object_t objects[] = {{{{"Name", STR("p")}, {"X", STR(c->a)}}},
                          {{{"Name", STR("p")}, {"X", STR(c->b)}}}};
    wmi_batch_t *b = run(cfg, objects, 2, complaints);
    const wmi_sample_t *s = wmi_batch_find(b, c->type, "p");
    if (!c->fits) {
      CHECK(s == NULL, "%s + %s skipped", c->a, c->b);
      CHECK(log_captured("does not fit a 64-bit integer"), "warned:\n%s",
            log_captured_all());
    } else {
      uint64_t got =
          s == NULL                          ? 0
          : strcmp(c->type, "counter") == 0  ? (uint64_t)s->values[0].counter
          : strcmp(c->type, "absolute") == 0 ? (uint64_t)s->values[0].absolute
                                             : (uint64_t)s->values[0].derive;
      CHECK(s != NULL && got == c->want, "%s + %s = %" PRIu64, c->a, c->b, got);
    }
    wmi_batch_free(b);
    wmi_complaints_free(complaints);
    wmi_config_free(cfg);
  }
}

/* A warning about a cooked value that Scale takes out of range ends when
 * values fit again, and comes back when they do not. */
static void test_scale_complaint_recloses(void) {
  unit_case = "scale warning closes";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      "<Query \"q\">\n  Statement \"SELECT Name, X FROM C\"\n  <Result>\n"
      "    Type \"gauge\"\n    InstancesFrom \"Name\"\n    ValuesFrom \"X\"\n"
      "    CounterType \"PERF_COUNTER_RAWCOUNT\"\n    Scale 1e308\n"
      "  </Result>\n</Query>\n");
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
  const char *values[] = {"20", "20", "0", "20"};
  for (size_t k = 0; k < 4; k++) {
    object_t o[] = {{{{"Name", STR("i")}, {"X", STR(values[k])}}}};
    wmi_batch_free(run(cfg, o, 1, complaints));
  }
  CHECK(log_captured_count("is not a finite number") == 2,
        "warned when it broke, and again after it fitted:\n%s",
        log_captured_all());
  CHECK(log_captured_count("values are usable again") == 1,
        "the recovery is said:\n%s", log_captured_all());
  cooked_job_free(cfg, complaints);
}

/* What a sum does with a member it cannot use, and a failed sum's place
 * against another Result's value of the same identifier. */
static void test_sum_members_unusable(void) {
  unit_case = "a NULL member is left out of a sum";
  log_capture_start();
  wmi_config_t *cfg =
      config_load_or_abort(PROCESSES("gauge", "Duplicates \"sum\"\n"));
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t nulls[] = {{{{"Name", STR("p")}, {"X", UINT(5)}}},
                      {{{"Name", STR("p")}, {"X", NUL}}},
                      {{{"Name", STR("p")}, {"X", UINT(7)}}}};
  wmi_batch_t *b = run(cfg, nulls, 3, complaints);
  CHECK(gauge_of(b, "p") == 12.0, "5 + 7: %g", gauge_of(b, "p"));
  wmi_batch_free(b);
  unit_case = "an unusable member skips its sum, with a warning";
  object_t bad[] = {{{{"Name", STR("p")}, {"X", UINT(5)}}},
                    {{{"Name", STR("p")}, {"X", STR("lots")}}},
                    {{{"Name", STR("q")}, {"X", UINT(1)}}}};
  b = run(cfg, bad, 3, complaints);
  CHECK(wmi_batch_find(b, "gauge", "p") == NULL, "not dispatched short");
  CHECK(gauge_of(b, "q") == 1.0, "the other names go on");
  CHECK(log_captured("property \"X\", instance \"p\": value skipped: "
                     "\"lots\" is not a number"),
        "warned:\n%s", log_captured_all());
  wmi_batch_free(b);
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);

  unit_case = "a failed sum yields to another Result's value";
  log_capture_start();
  cfg = config_load_or_abort(
      "<Query \"q\">\n  Statement \"SELECT Name, N2, X, Y FROM C\"\n"
      "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"
      "    ValuesFrom \"X\"\n    Duplicates \"sum\"\n  </Result>\n"
      "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"N2\"\n"
      "    ValuesFrom \"Y\"\n  </Result>\n</Query>\n");
  complaints = wmi_complaints_new(NULL);
  object_t both[] = {{{{"Name", STR("a")},
                       {"N2", STR("a")},
                       {"X", STR("bad")},
                       {"Y", UINT(5)}}}};
  b = run(cfg, both, 1, complaints);
  CHECK(gauge_of(b, "a") == 5.0, "Result 2's 5 is kept: %g", gauge_of(b, "a"));
  CHECK(log_captured("Results 2 and 1 both give type \"gauge\", instance "
                     "\"a\"; only Result 2's value is kept"),
        "the warning says which:\n%s", log_captured_all());
  wmi_batch_free(b);
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

/* A job of `text` that cooks (test_cook set), with its complaints; the
 * log captured from here. */
static wmi_config_t *cooking_start(const char *text,
                                   wmi_complaints_t **complaints) {
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(text);
  *complaints = wmi_complaints_new(NULL);
  CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
  return cfg;
}

/* ---- Per name, process by process: StripInstanceNumber, ObjectsFrom ---- */

#define PER_NAME(options)                                                      \
  "<Query \"proc\">\n  Statement \"SELECT Name, IDProcess, X, "                \
  "Timestamp_Sys100NS FROM Win32_PerfRawData_PerfProc_Process\"\n"             \
  "  <Result>\n    Type \"gauge\"\n    InstancesFrom \"Name\"\n"               \
  "    StripInstanceNumber true\n    ObjectsFrom \"IDProcess\"\n"              \
  "    ValuesFrom \"X\"\n    CounterType \"PERF_100NSEC_TIMER\"\n"             \
  "    Duplicates \"sum\"\n" options "  </Result>\n</Query>\n"

typedef struct {
  const char *name; /* NULL ends the list */
  uint64_t pid;
  const char *busy; /* PercentProcessorTime, 100 ns ticks since start */
} proc_t;

typedef struct {
  const char *what;
  const char *time; /* Timestamp_Sys100NS: 1000 ticks a run */
  proc_t procs[5];
  double svchost, lsass; /* percent of one core; -1: no value */
  const char *why;
} proc_run_t;

/* perflib's names: "svchost", "svchost#1", ... renumbered when one exits.
 * Busy ticks over 1000 ticks, times 100, per process, added up per name. */
static const proc_run_t proc_runs[] = {
    {"first run",
     "1000",
     {{"svchost", 10, "0"},
      {"svchost#1", 20, "0"},
      {"svchost#2", 30, "0"},
      {"lsass", 5, "0"}},
     -1,
     -1,
     "nothing to pair yet"},
    {"all paired",
     "2000",
     {{"svchost", 10, "100"},
      {"svchost#1", 20, "200"},
      {"svchost#2", 30, "300"},
      {"lsass", 5, "50"}},
     60,
     5,
     "(100 + 200 + 300) / 1000 = 60 %; lsass 50 / 1000 = 5 %"},
    {"renumbered: pid 20 exits, svchost#2 becomes svchost#1",
     "3000",
     {{"svchost", 10, "200"}, {"svchost#1", 30, "500"}, {"lsass", 5, "100"}},
     30,
     5,
     "pid 10: 100, pid 30: 500 - 300 = 200 (paired by pid, not by #n): "
     "300 / 1000 = 30 %; a sum of raw counters would be paired with a sum "
     "of other processes here"},
    {"a new process, with a lifetime of busy ticks",
     "4000",
     {{"svchost", 10, "300"},
      {"svchost#1", 30, "600"},
      {"svchost#2", 40, "7000"},
      {"lsass", 5, "150"}},
     20,
     5,
     "pid 40 has no previous sample and adds nothing: (100 + 100) / 1000 "
     "= 20 %, not 720 %"},
    {"the new process counts from its second run",
     "5000",
     {{"svchost", 10, "400"},
      {"svchost#1", 30, "700"},
      {"svchost#2", 40, "7300"},
      {"lsass", 5, "200"}},
     50,
     5,
     "(100 + 100 + 300) / 1000 = 50 %"},
    {"counters going backwards",
     "6000",
     {{"svchost", 10, "500"},
      {"svchost#1", 30, "10"},
      {"svchost#2", 40, "7400"},
      {"lsass", 5, "0"}},
     20,
     -1,
     "pid 30 went back (700 to 10): it adds nothing, the others do: "
     "(100 + 100) / 1000 = 20 %; lsass's only process went back: no value"},
    {"on from their new start",
     "7000",
     {{"svchost", 10, "600"},
      {"svchost#1", 30, "110"},
      {"svchost#2", 40, "7500"},
      {"lsass", 5, "100"}},
     30,
     10,
     "(100 + 100 + 100) / 1000 = 30 %; lsass 100 / 1000 = 10 %"},
    {"svchost (pid 10) exits, the others renumbered, in another order",
     "8000",
     {{"lsass", 5, "200"}, {"svchost#1", 40, "7700"}, {"svchost", 30, "210"}},
     30,
     10,
     "pid 30 (now \"svchost\"): 100, pid 40 (now \"svchost#1\"): 200: "
     "300 / 1000 = 30 %"},
};

static object_t proc_object(const proc_t *p, const char *time) {
  object_t o = {{{"Name", STR(p->name)},
                 {"IDProcess", UINT(p->pid)},
                 {"X", STR(p->busy)},
                 {"Timestamp_Sys100NS", STR(time)}}};
  return o;
}

static void test_per_name_objects(void) {
  wmi_complaints_t *complaints;
  wmi_config_t *cfg = cooking_start(PER_NAME(""), &complaints);
  for (size_t k = 0; k < sizeof(proc_runs) / sizeof(proc_runs[0]); k++) {
    const proc_run_t *r = &proc_runs[k];
    unit_case = r->what;
    object_t objects[5];
    size_t n = 0;
    for (; n < 5 && r->procs[n].name != NULL; n++)
      objects[n] = proc_object(&r->procs[n], r->time);
    wmi_batch_t *b = run(cfg, objects, n, complaints);
    CHECK(gauge_of(b, "svchost") == r->svchost, "svchost %g, want %g: %s",
          gauge_of(b, "svchost"), r->svchost, r->why);
    CHECK(gauge_of(b, "lsass") == r->lsass, "lsass %g, want %g: %s",
          gauge_of(b, "lsass"), r->lsass, r->why);
    CHECK(b->samples_num == (size_t)((r->svchost >= 0) + (r->lsass >= 0)),
          "no other instance (no \"svchost_1\"): %zu samples", b->samples_num);
    wmi_batch_free(b);
  }
  CHECK(!log_captured("wmi plugin"), "nothing to warn of:\n%s",
        log_captured_all());
  cooked_job_free(cfg, complaints);
}

/* Scale and Shift apply once, to the sum; an object without an identity
 * is left out; objects that share one cannot be paired. */
static void test_per_name_edges(void) {
  unit_case = "Scale and Shift after the sum";
  wmi_complaints_t *complaints;
  wmi_config_t *cfg =
      cooking_start(PER_NAME("Scale 0.5\nShift 1\n"), &complaints);
  proc_t first[] = {{"a", 1, "0"}, {"a#1", 2, "0"}};
  proc_t second[] = {{"a", 1, "100"}, {"a#1", 2, "300"}};
  object_t o1[] = {proc_object(&first[0], "1000"),
                   proc_object(&first[1], "1000")};
  object_t o2[] = {proc_object(&second[0], "2000"),
                   proc_object(&second[1], "2000")};
  wmi_batch_free(run(cfg, o1, 2, complaints));
  wmi_batch_t *b = run(cfg, o2, 2, complaints);
  /* (10 + 30) * 0.5 + 1 = 21; shifted per object it would be 22. */
  CHECK(gauge_of(b, "a") == 21.0, "a: %g", gauge_of(b, "a"));
  wmi_batch_free(b);
  cooked_job_free(cfg, complaints);

  unit_case = "a NULL identity is left out; a shared one fails its instance";
  cfg = cooking_start(PER_NAME(""), &complaints);
  static const char *const times[] = {"1000", "2000", "3000", "4000"};
  static const char *const busies[] = {"0", "100", "200", "300"};
  for (int k = 0; k < 4; k++) {
    const char *time = times[k], *busy = busies[k];
    proc_t p[] = {
        {"a", 1, busy}, {"a#1", 2, busy}, {"b", 3, busy}, {"b#1", 3, busy}};
    object_t objects[5];
    for (int i = 0; i < 4; i++)
      objects[i] = proc_object(&p[i], time);
    objects[1].props[1].value = (wmi_cim_value_t)NUL;
    /* The third run: b's objects no longer share pid 3; the fourth: they
     * do again. */
    if (k == 2)
      objects[3].props[1].value = (wmi_cim_value_t)UINT(4);
    b = run(cfg, objects, 4, complaints);
    if (k == 1) {
      CHECK(gauge_of(b, "a") == 10.0, "a without its NULL pid: %g",
            gauge_of(b, "a"));
      CHECK(wmi_batch_find(b, "gauge", "b") == NULL, "b: none");
    }
    if (k == 2)
      CHECK(gauge_of(b, "b") == -1.0, "b's pids were no identity: none "
                                      "to pair with yet");
    wmi_batch_free(b);
  }
  CHECK(log_captured_count("Host \"local\", Query \"proc\", Result 1: "
                           "several objects of instance \"b\" have the same "
                           "\"ObjectsFrom\" values; their raw counters cannot "
                           "be paired from run to run, so the instance gives "
                           "no value") == 2,
        "warned once, and again when it happens again:\n%s",
        log_captured_all());
  CHECK(log_captured_count("Host \"local\", Query \"proc\", Result 1: "
                           "instance \"b\": its objects are told apart "
                           "again") == 1,
        "its end reported once:\n%s", log_captured_all());
  cooked_job_free(cfg, complaints);

  unit_case = "a missing ObjectsFrom property";
  cfg = cooking_start(PER_NAME(""), &complaints);
  object_t lacking[] = {{{{"Name", STR("a")},
                          {"X", STR("1")},
                          {"Timestamp_Sys100NS", STR("1000")}}}};
  b = run(cfg, lacking, 1, complaints);
  CHECK(b->samples_num == 0, "no value");
  wmi_batch_free(b);
  CHECK(log_captured("Host \"local\", Query \"proc\", Result 1: option "
                     "\"ObjectsFrom\": property \"IDProcess\" is not in the "
                     "query's results"),
        "names the option and property:\n%s", log_captured_all());
  cooked_job_free(cfg, complaints);
}

/* What the manual warns of: without ObjectsFrom, an exit and a start in
 * one interval keep the count of objects, so the sums are paired, and the
 * new process's lifetime shows as a spike. */
static void test_sum_without_objects_spikes(void) {
  unit_case = "without ObjectsFrom: an exit and a start in one interval";
  wmi_complaints_t *complaints;
  wmi_config_t *cfg =
      cooking_start(CPU_QUERY("    CounterType \"PERF_100NSEC_TIMER\"\n"
                              "    Duplicates \"sum\"\n"),
                    &complaints);
  object_t run1[] = {PROC("g", "100", "1000"), PROC("g", "200", "1000")};
  object_t run2[] = {PROC("g", "300", "2000"), PROC("g", "1000000", "2000")};
  wmi_batch_free(run(cfg, run1, 2, complaints));
  wmi_batch_t *b = run(cfg, run2, 2, complaints);
  /* (300 + 1,000,000) - (100 + 200) = 1,000,000 of 1000 ticks. */
  CHECK(gauge_of(b, "g") == 100000.0, "a spike: %g", gauge_of(b, "g"));
  wmi_batch_free(b);
  cooked_job_free(cfg, complaints);
}

/* What the objects of one instance add up to, by counter type: each
 * object's differences since its own previous run (or, for the types that
 * read one sample, its reading) are added up, and the formula applied once
 * to the sums. Instance "a" of every run, objects a and a#1; ValuesFrom X,
 * or X and Y (type ps_count). */
#define OBJECTS_QUERY                                                          \
  "<Query \"proc\">\n  Statement \"SELECT Name, IDProcess, X, X_Base, Y, "     \
  "Timestamp_Sys100NS FROM Win32_PerfRawData_PerfProc_Process\"\n"             \
  "  <Result>\n    Type \"%s\"\n    InstancesFrom \"Name\"\n"                  \
  "    StripInstanceNumber true\n    ObjectsFrom \"IDProcess\"\n"              \
  "    ValuesFrom %s\n    CounterType \"%s\"\n"                                \
  "    Duplicates \"sum\"\n  </Result>\n</Query>\n"
/* The identity last: a braced value's commas go to __VA_ARGS__. */
#define OBJ(name, x, base, y, time, ...)                                       \
  {                                                                            \
    {                                                                          \
      {"Name", STR(name)}, {"IDProcess", __VA_ARGS__}, {"X", STR(x)},          \
          {"X_Base", STR(base)}, {"Y", STR(y)}, {                              \
        "Timestamp_Sys100NS", STR(time)                                        \
      }                                                                        \
    }                                                                          \
  }
/* Objects a (pid a) and a#1 (pid b) of one run at `time`: X, X_Base, Y. */
#define PAIR(a, b, time, xa, ba, ya, xb, bb, yb)                               \
  { OBJ("a", xa, ba, ya, time, a), OBJ("a#1", xb, bb, yb, time, b) }

typedef struct {
  const char *name, *counter;
  bool two; /* ValuesFrom X and Y */
  object_t runs[2][2];
  double want[2][2]; /* per run, per ValuesFrom; -1: no value */
  const char *why;
} objects_case_t;

static const objects_case_t objects_cases[] = {
    {"raw fraction: 100 * sum N / sum B",
     "PERF_RAW_FRACTION",
     false,
     {PAIR(UINT(1), UINT(2), "0", "50", "100", "0", "50", "100", "0"),
      PAIR(UINT(1), UINT(2), "0", "10", "100", "0", "90", "300", "0")},
     {{50}, {25}},
     "one sample is enough, from the first run: 100 * (50 + 50) / (100 + "
     "100) = 50 %, not 50 + 50; then 100 * (10 + 90) / (100 + 300) = 25 %, "
     "not 10 + 30"},
    {"sample fraction: 100 * sum dN / sum dB",
     "PERF_SAMPLE_FRACTION",
     false,
     {PAIR(UINT(1), UINT(2), "0", "0", "0", "0", "0", "0", "0"),
      PAIR(UINT(1), UINT(2), "0", "10", "100", "0", "90", "300", "0")},
     {{-1}, {25}},
     "100 * (10 + 90) / (100 + 300) = 25 %, not 10 % + 30 %"},
    {"average: sum dN / sum dB",
     "PERF_AVERAGE_BULK",
     false,
     {PAIR(UINT(1), UINT(2), "0", "0", "0", "0", "0", "0", "0"),
      PAIR(UINT(1), UINT(2), "0", "100", "10", "0", "300", "30", "0")},
     {{-1}, {10}},
     "(100 + 300) bytes / (10 + 30) operations = 10 per operation, not "
     "10 + 10"},
    {"raw count: a value from the first run",
     "PERF_COUNTER_RAWCOUNT",
     false,
     {PAIR(UINT(1), UINT(2), "0", "5", "0", "0", "7", "0", "0"),
      PAIR(UINT(1), UINT(3), "0", "6", "0", "0", "1", "0", "0")},
     {{12}, {7}},
     "no previous sample needed: 5 + 7 = 12, then 6 + 1 (pid 3 is new) = 7"},
    {"real identities told apart",
     "PERF_100NSEC_TIMER",
     false,
     {PAIR(REAL(1234567.0), REAL(1234568.0), "1000", "0", "0", "0", "0", "0",
           "0"),
      PAIR(REAL(1234567.0), REAL(1234568.0), "2000", "100", "0", "0", "100",
           "0", "0")},
     {{-1}, {20}},
     "1234567 and 1234568 are two objects (\"%g\" printed both "
     "1.23457e+06): 100 * (100 + 100) / 1000 = 20 %"},
    {"two values: an object half paired adds nothing",
     "PERF_100NSEC_TIMER",
     true,
     {PAIR(UINT(1), UINT(2), "1000", "0", "0", "500", "0", "0", "0"),
      PAIR(UINT(1), UINT(2), "2000", "100", "0", "10", "300", "0", "200")},
     {{-1, -1}, {30, 20}},
     "pid 1's Y went back (500 to 10): pid 1 adds neither value, though its "
     "X paired; pid 2 alone: 300 / 1000 = 30 %, 200 / 1000 = 20 %"},
};

static void test_objects_by_counter_type(void) {
  for (size_t i = 0; i < sizeof(objects_cases) / sizeof(objects_cases[0]);
       i++) {
    const objects_case_t *c = &objects_cases[i];
    unit_case = c->name;
    log_capture_start();
    const char *type = c->two ? "ps_count" : "gauge";
    char text[1024];
    snprintf(text, sizeof(text), OBJECTS_QUERY, type,
             c->two ? "\"X\" \"Y\"" : "\"X\"", c->counter);
    wmi_config_t *cfg = config_load_or_abort(text);
    wmi_complaints_t *complaints = wmi_complaints_new(NULL);
    CHECK(wmi_cook_new(&cfg->jobs[0], &test_cook) == 0, "cooking state");
    for (size_t k = 0; k < 2; k++) {
      object_t objects[2] = {c->runs[k][0], c->runs[k][1]};
      wmi_batch_t *b = run(cfg, objects, 2, complaints);
      const wmi_sample_t *s = wmi_batch_find(b, type, "a");
      for (size_t v = 0; v < 1u + c->two; v++) {
        double got = s != NULL ? s->values[v].gauge : -1.0;
        CHECK(got == c->want[k][v], "run %zu, value %zu: %g, want %g: %s",
              k + 1, v + 1, got, c->want[k][v], c->why);
      }
      wmi_batch_free(b);
    }
    CHECK(!log_captured("wmi plugin"), "nothing to warn of:\n%s",
          log_captured_all());
    cooked_job_free(cfg, complaints);
  }
}

/* StripInstanceNumber rewrites only string InstancesFrom values, before
 * they are sanitized; without it "#" is sanitized like any character. */
static void test_strip_instance_number(void) {
  unit_case = "StripInstanceNumber";
  log_capture_start();
  wmi_config_t *cfg = config_load_or_abort(
      "<Query \"q\">\n  Statement \"SELECT Name, Id, X FROM C\"\n"
      "  <Result>\n    Type \"gauge\"\n    InstancePrefix \"p#1\"\n"
      "    InstancesFrom \"Name\" \"Id\"\n    StripInstanceNumber true\n"
      "    ValuesFrom \"X\"\n  </Result>\n"
      "  <Result>\n    Type \"derive\"\n    InstancesFrom \"Name\" \"Id\"\n"
      "    ValuesFrom \"X\"\n  </Result>\n</Query>\n");
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  object_t objects[] = {
      {{{"Name", STR("svchost#12")}, {"Id", UINT(7)}, {"X", UINT(1)}}},
      {{{"Name", STR("lsass")}, {"Id", STR("9#2")}, {"X", UINT(2)}}},
  };
  wmi_batch_t *b = run(cfg, objects, 2, complaints);
  CHECK(wmi_batch_find(b, "gauge", "p_1-svchost-7") != NULL,
        "suffix stripped, prefix kept as written");
  CHECK(wmi_batch_find(b, "gauge", "p_1-lsass-9") != NULL,
        "every string part is stripped");
  CHECK(wmi_batch_find(b, "derive", "svchost_12-7") != NULL,
        "without the option the suffix stays");
  CHECK(wmi_batch_find(b, "derive", "lsass-9_2") != NULL, "both parts kept");
  wmi_batch_free(b);
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

int main(void) {
  test_disks();
  test_missing_properties();
  test_duplicates();
  test_long_instances();
  test_scale();
  test_scale_mixed();
  test_value_map();
  test_value_map_complaints();
  test_sum();
  test_cooked_by_instance();
  test_cooked_rate_scaled();
  test_sum_then_cook();
  test_sum_then_cook_members();
  test_sum_types();
  test_sum_members_unusable();
  test_scale_complaint_recloses();
  test_per_name_objects();
  test_per_name_edges();
  test_sum_without_objects_spikes();
  test_strip_instance_number();
  test_objects_by_counter_type();
  log_capture_stop();
  return unit_summary("batch");
}
