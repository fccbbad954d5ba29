/* Counter types cooked by hand: each row carries the arithmetic that gives
 * its expected value, worked out from Microsoft's formulas, not from the
 * code. The numbers of the types are checked against the decimal values
 * of Microsoft's CounterType qualifier table, written here independently
 * of the hexadecimal ones in wmi_counter.c. */
#include "unit.h"
#include "wmi_counter.h"

#include <math.h>
#include <stdint.h>

/* Decimal values from the CounterType qualifier documentation. */
#define RAWCOUNT_HEX 0u
#define LARGE_RAWCOUNT_HEX 256u
#define RAWCOUNT 65536u
#define LARGE_RAWCOUNT 65792u
#define COUNTER_DELTA 4195328u
#define LARGE_DELTA 4195584u
#define SAMPLE_COUNTER 4260864u
#define QUEUELEN 4523008u
#define LARGE_QUEUELEN 4523264u
#define QUEUELEN_100NS 5571840u
#define OBJ_TIME_QUEUELEN 6620416u
#define COUNTER_COUNTER 272696320u
#define BULK_COUNT 272696576u
#define RAW_FRACTION 537003008u
#define LARGE_RAW_FRACTION 537003264u
#define COUNTER_TIMER 541132032u
#define PRECISION_SYSTEM_TIMER 541525248u
#define TIMER_100NS 542180608u
#define PRECISION_100NS_TIMER 542573824u
#define OBJ_TIME_TIMER 543229184u
#define PRECISION_OBJECT_TIMER 543622400u
#define SAMPLE_FRACTION 549585920u
#define COUNTER_TIMER_INV 557909248u
#define TIMER_100NS_INV 558957824u
#define AVERAGE_TIMER 805438464u
#define ELAPSED_TIME 807666944u
#define AVERAGE_BULK 1073874176u
/* Not supported. */
#define COUNTER_TEXT 2816u
#define COUNTER_MULTI_TIMER 574686464u
#define MULTI_TIMER_100NS_INV 592512256u
#define AVERAGE_BASE 1073939458u
#define PRECISION_TIMESTAMP 1073939712u
#define HISTOGRAM 2147483648u

enum {
  B = WMI_COUNTER_NEEDS_BASE,
  S100 = WMI_COUNTER_NEEDS_SYS100NS,
  PT = WMI_COUNTER_NEEDS_PERFTIME,
  OT = WMI_COUNTER_NEEDS_OBJECT_TIME,
  P = WMI_COUNTER_NEEDS_PREVIOUS,
};

typedef struct {
  const char *name;
  uint32_t type;
  unsigned needs;
} type_case_t;

static const type_case_t types[] = {
    {"PERF_COUNTER_RAWCOUNT_HEX", RAWCOUNT_HEX, 0},
    {"PERF_COUNTER_LARGE_RAWCOUNT_HEX", LARGE_RAWCOUNT_HEX, 0},
    {"PERF_COUNTER_RAWCOUNT", RAWCOUNT, 0},
    {"PERF_COUNTER_LARGE_RAWCOUNT", LARGE_RAWCOUNT, 0},
    {"PERF_COUNTER_DELTA", COUNTER_DELTA, P},
    {"PERF_COUNTER_LARGE_DELTA", LARGE_DELTA, P},
    {"PERF_SAMPLE_COUNTER", SAMPLE_COUNTER, PT | P},
    {"PERF_COUNTER_QUEUELEN_TYPE", QUEUELEN, PT | P},
    {"PERF_COUNTER_LARGE_QUEUELEN_TYPE", LARGE_QUEUELEN, PT | P},
    {"PERF_COUNTER_100NS_QUEUELEN_TYPE", QUEUELEN_100NS, S100 | P},
    {"PERF_COUNTER_OBJ_TIME_QUEUELEN_TYPE", OBJ_TIME_QUEUELEN, OT | P},
    {"PERF_COUNTER_COUNTER", COUNTER_COUNTER, PT | P},
    {"PERF_COUNTER_BULK_COUNT", BULK_COUNT, PT | P},
    {"PERF_RAW_FRACTION", RAW_FRACTION, B},
    {"PERF_LARGE_RAW_FRACTION", LARGE_RAW_FRACTION, B},
    {"PERF_COUNTER_TIMER", COUNTER_TIMER, PT | P},
    {"PERF_PRECISION_SYSTEM_TIMER", PRECISION_SYSTEM_TIMER, B | P},
    {"PERF_100NSEC_TIMER", TIMER_100NS, S100 | P},
    {"PERF_PRECISION_100NS_TIMER", PRECISION_100NS_TIMER, B | P},
    {"PERF_OBJ_TIME_TIMER", OBJ_TIME_TIMER, OT | P},
    {"PERF_PRECISION_OBJECT_TIMER", PRECISION_OBJECT_TIMER, B | P},
    {"PERF_SAMPLE_FRACTION", SAMPLE_FRACTION, B | P},
    {"PERF_COUNTER_TIMER_INV", COUNTER_TIMER_INV, PT | P},
    {"PERF_100NSEC_TIMER_INV", TIMER_100NS_INV, S100 | P},
    {"PERF_AVERAGE_TIMER", AVERAGE_TIMER, B | PT | P},
    {"PERF_ELAPSED_TIME", ELAPSED_TIME, OT},
    {"PERF_AVERAGE_BULK", AVERAGE_BULK, B | P},
};
#define TYPES_NUM (sizeof(types) / sizeof(types[0]))

static const uint32_t unsupported[] = {
    COUNTER_TEXT, COUNTER_MULTI_TIMER, MULTI_TIMER_100NS_INV,
    AVERAGE_BASE, PRECISION_TIMESTAMP, HISTOGRAM,
    12345u,       UINT32_MAX,
};

/* A sample: value N, base B, time D, frequency F. */
#define SMP(n, b, d, f)                                                        \
  { (n), (b), (d), (f) }

typedef struct {
  const char *what;
  uint32_t type;
  bool first; /* no previous sample */
  wmi_counter_sample_t prev, cur;
  bool exact; /* the double must be exactly `want` */
  double want;
  const char *why; /* non-NULL: no value, for this reason */
} cook_case_t;

static const cook_case_t cooks[] = {
    /* ---- raw counts: N1, no previous needed ---- */
    {"rawcount", RAWCOUNT, true, SMP(0, 0, 0, 0), SMP(42, 0, 0, 0), true, 42},
    /* prev is ignored: 42 whatever came before */
    {"rawcount ignores prev", RAWCOUNT, false, SMP(99, 0, 0, 0),
     SMP(42, 0, 0, 0), true, 42},
    {"rawcount hex", RAWCOUNT_HEX, true, SMP(0, 0, 0, 0), SMP(0xFF, 0, 0, 0),
     true, 255},
    /* 2^33 = 8589934592 */
    {"large rawcount", LARGE_RAWCOUNT, true, SMP(0, 0, 0, 0),
     SMP(8589934592u, 0, 0, 0), true, 8589934592.0},
    /* 2^53 = 9007199254740992, the largest exact double integer run */
    {"large rawcount hex", LARGE_RAWCOUNT_HEX, true, SMP(0, 0, 0, 0),
     SMP(9007199254740992u, 0, 0, 0), true, 9007199254740992.0},

    /* ---- rates: (N1 - N0) * F / (D1 - D0), D and F of PerfTime ---- */
    /* 500 ops over 2,000,000 ticks at 1 MHz = 2 s: 250/s */
    {"counter", COUNTER_COUNTER, false, SMP(1000, 0, 1000000, 1000000),
     SMP(1500, 0, 3000000, 1000000), true, 250},
    /* 10,485,760 B over 20,000,000 ticks at 10 MHz = 2 s: 5,242,880 B/s */
    {"bulk count", BULK_COUNT, false, SMP(0, 0, 5, 10000000),
     SMP(10485760, 0, 20000005, 10000000), true, 5242880},
    /* exact differences near 2^64: dN = 10,000,000 B, dD = 1 s at 10 MHz */
    {"bulk count near 2^64", BULK_COUNT, false,
     SMP(18446744073699551615u, 0, 18446744073699551615u, 10000000),
     SMP(18446744073709551615u, 0, 18446744073709551615u, 10000000), true,
     10000000},
    /* 30 over 3 * 3,579,545 ticks at 3,579,545 Hz = 3 s: 10/s */
    {"sample counter", SAMPLE_COUNTER, false, SMP(70, 0, 1000, 3579545),
     SMP(100, 0, 1000 + 10738635, 3579545), true, 10},

    /* ---- timers: 100 * (N1 - N0) / (D1 - D0) ---- */
    /* 250,000 of 1,000,000 ticks: 25 % (F unused, even 0) */
    {"counter timer", COUNTER_TIMER, false, SMP(0, 0, 0, 0),
     SMP(250000, 0, 1000000, 0), true, 25},
    /* 5,000,000 of 10,000,000 * 100 ns: 50 % (% User Time) */
    {"100ns timer", TIMER_100NS, false, SMP(1000, 0, 7000, 0),
     SMP(5001000, 0, 10007000, 0), true, 50},
    /* a process on 4 cores: 35,000,000 of 10,000,000: 350 %, not capped */
    {"100ns timer above 100", TIMER_100NS, false, SMP(0, 0, 0, 0),
     SMP(35000000, 0, 10000000, 0), true, 350},
    /* 1 of 3: 33.33... % */
    {"100ns timer thirds", TIMER_100NS, false, SMP(0, 0, 0, 0), SMP(1, 0, 3, 0),
     false, 100.0 / 3.0},
    /* 3,000 of 12,000 object ticks: 25 % */
    {"object timer", OBJ_TIME_TIMER, false, SMP(1000, 0, 4000, 0),
     SMP(4000, 0, 16000, 0), true, 25},

    /* ---- inverse timers: 100 * (1 - (N1 - N0) / (D1 - D0)) ---- */
    /* idle 250,000 of 1,000,000: 75 % busy */
    {"counter timer inv", COUNTER_TIMER_INV, false, SMP(0, 0, 0, 0),
     SMP(250000, 0, 1000000, 0), true, 75},
    /* idle 9,000,000 of 10,000,000: 10 % busy (% Processor Time) */
    {"100ns timer inv", TIMER_100NS_INV, false, SMP(1000000, 0, 20000000, 0),
     SMP(10000000, 0, 30000000, 0), true, 10},
    /* near 2^60 the differences are exact: idle 2,500,000 of 10,000,000 */
    {"100ns timer inv exact", TIMER_100NS_INV, false,
     SMP(1152921504606846979u, 0, 1152921504606846976u, 0),
     SMP(1152921504609346979u, 0, 1152921504616846976u, 0), true, 75},
    /* never idle: 100 % */
    {"100ns timer inv busy", TIMER_100NS_INV, false, SMP(5, 0, 0, 0),
     SMP(5, 0, 10000000, 0), true, 100},
    /* idle the whole interval: 0 % */
    {"100ns timer inv idle", TIMER_100NS_INV, false, SMP(0, 0, 0, 0),
     SMP(10000000, 0, 10000000, 0), true, 0},
    /* idle 10,000,050 of 10,000,000 (two clocks): -0.0005 % clamped to 0 */
    {"100ns timer inv clamped", TIMER_100NS_INV, false, SMP(0, 0, 0, 0),
     SMP(10000050, 0, 10000000, 0), true, 0},
    {"counter timer inv clamped", COUNTER_TIMER_INV, false, SMP(0, 0, 0, 0),
     SMP(1000001, 0, 1000000, 0), true, 0},

    /* ---- precision timers: 100 * (N1 - N0) / (B1 - B0), time unused ---- */
    /* 2,000,000 of 8,000,000 (PercentDiskTime_Base): 25 %; the equal
     * times would be "zero time interval" were D read */
    {"precision 100ns", PRECISION_100NS_TIMER, false, SMP(0, 1000, 77, 0),
     SMP(2000000, 8001000, 77, 0), true, 25},
    /* several requests in flight: 15,000,000 of 10,000,000: 150 % */
    {"precision 100ns above 100", PRECISION_100NS_TIMER, false, SMP(0, 0, 0, 0),
     SMP(15000000, 10000000, 0, 0), true, 150},
    /* 1,000 of 4,000: 25 % */
    {"precision system", PRECISION_SYSTEM_TIMER, false, SMP(0, 0, 0, 0),
     SMP(1000, 4000, 0, 0), true, 25},
    /* 600 of 800: 75 % */
    {"precision object", PRECISION_OBJECT_TIMER, false, SMP(100, 200, 0, 0),
     SMP(700, 1000, 0, 0), true, 75},

    /* ---- averages ---- */
    /* (30,000 ticks / 10 MHz = 0.003 s) / 6 reads = 0.0005 s per read;
     * time unused: equal in both samples */
    {"average timer", AVERAGE_TIMER, false, SMP(0, 10, 5, 10000000),
     SMP(30000, 16, 5, 10000000), false, 0.0005},
    /* 409,600 B / 100 transfers = 4,096 B */
    {"average bulk", AVERAGE_BULK, false, SMP(0, 0, 0, 0),
     SMP(409600, 100, 0, 0), true, 4096},

    /* ---- fractions ---- */
    /* 100 * 25 / 200 = 12.5 %, one sample */
    {"raw fraction", RAW_FRACTION, true, SMP(0, 0, 0, 0), SMP(25, 200, 0, 0),
     true, 12.5},
    /* 100 * 300 / 200 = 150 %, shown as is */
    {"raw fraction above 100", RAW_FRACTION, true, SMP(0, 0, 0, 0),
     SMP(300, 200, 0, 0), true, 150},
    /* 100 * 2^40 / 2^42 = 25 % */
    {"large raw fraction", LARGE_RAW_FRACTION, true, SMP(0, 0, 0, 0),
     SMP(1099511627776u, 4398046511104u, 0, 0), true, 25},
    /* 100 * 3 / 4 = 75 % */
    {"sample fraction", SAMPLE_FRACTION, false, SMP(10, 20, 0, 0),
     SMP(13, 24, 0, 0), true, 75},

    /* ---- differences ---- */
    /* 42 - 17 = 25 */
    {"delta", COUNTER_DELTA, false, SMP(17, 0, 0, 0), SMP(42, 0, 0, 0), true,
     25},
    /* 18446744073709551615 - 18446744073709551000 = 615, exact (as doubles
     * both are 2^64: a difference of doubles would give 0) */
    {"large delta exact", LARGE_DELTA, false,
     SMP(18446744073709551000u, 0, 0, 0), SMP(UINT64_MAX, 0, 0, 0), true, 615},

    /* ---- queue lengths: (N1 - N0) / (D1 - D0) ---- */
    /* 6,000,000 over 2,000,000 ticks: 3 */
    {"queuelen", QUEUELEN, false, SMP(0, 0, 0, 0), SMP(6000000, 0, 2000000, 0),
     true, 3},
    /* 1,000,000 over 4,000,000: 0.25 */
    {"large queuelen", LARGE_QUEUELEN, false, SMP(0, 0, 0, 0),
     SMP(1000000, 0, 4000000, 0), true, 0.25},
    /* 15,000,000 over 10,000,000 * 100 ns: 1.5 (Avg. Disk Queue Length) */
    {"100ns queuelen", QUEUELEN_100NS, false, SMP(5, 0, 100, 0),
     SMP(15000005, 0, 10000100, 0), true, 1.5},
    /* 500 over 1,000 object ticks: 0.5 */
    {"object queuelen", OBJ_TIME_QUEUELEN, false, SMP(0, 0, 0, 0),
     SMP(500, 0, 1000, 0), true, 0.5},

    /* ---- elapsed time: (D1 - N1) / F, one sample ---- */
    /* boot at FILETIME 130,000,000,000,000,000, now 36,000,000,000 later at
     * 10 MHz: 3,600 s (System Up Time) */
    {"elapsed", ELAPSED_TIME, true, SMP(0, 0, 0, 0),
     SMP(130000000000000000u, 0, 130000036000000000u, 10000000), true, 3600},
    /* 3,579,545 * 86,400 = 309,272,688,000 ticks at 3,579,545 Hz: 86,400 s */
    {"elapsed perf clock", ELAPSED_TIME, true, SMP(0, 0, 0, 0),
     SMP(1000, 0, 309272689000u, 3579545), true, 86400},
    /* started at the timestamp itself: 0 s */
    {"elapsed zero", ELAPSED_TIME, true, SMP(0, 0, 0, 0),
     SMP(500, 0, 500, 10000000), true, 0},

    /* ---- no value, never a spike ---- */
    {"counter first sample", COUNTER_COUNTER, true, SMP(0, 0, 0, 0),
     SMP(1, 0, 1, 1), .why = "no previous sample"},
    {"100ns timer first sample", TIMER_100NS, true, SMP(0, 0, 0, 0),
     SMP(1, 0, 1, 0), .why = "no previous sample"},
    {"average timer first sample", AVERAGE_TIMER, true, SMP(0, 0, 0, 0),
     SMP(1, 1, 1, 1), .why = "no previous sample"},
    {"delta first sample", COUNTER_DELTA, true, SMP(0, 0, 0, 0),
     SMP(1, 0, 0, 0), .why = "no previous sample"},
    /* a 32-bit counter wrapped: 4294967290 -> 5 */
    {"counter wrap", COUNTER_COUNTER, false, SMP(4294967290u, 0, 10, 10),
     SMP(5, 0, 20, 10), .why = "value went backwards"},
    /* a process restarted: its bytes start over */
    {"bulk count restart", BULK_COUNT, false, SMP(900000, 0, 10, 10),
     SMP(100, 0, 20, 10), .why = "value went backwards"},
    {"delta backwards", LARGE_DELTA, false, SMP(10, 0, 0, 0), SMP(9, 0, 0, 0),
     .why = "value went backwards"},
    {"100ns timer time backwards", TIMER_100NS, false, SMP(0, 0, 20000000, 0),
     SMP(1, 0, 10000000, 0), .why = "time went backwards"},
    {"counter time backwards", COUNTER_COUNTER, false, SMP(0, 0, 20, 10),
     SMP(1, 0, 10, 10), .why = "time went backwards"},
    {"100ns timer zero interval", TIMER_100NS, false, SMP(0, 0, 500, 0),
     SMP(0, 0, 500, 0), .why = "zero time interval"},
    {"queuelen zero interval", QUEUELEN, false, SMP(0, 0, 500, 0),
     SMP(7, 0, 500, 0), .why = "zero time interval"},
    {"average timer zero base", AVERAGE_TIMER, false, SMP(0, 6, 0, 10),
     SMP(0, 6, 10, 10), .why = "zero base difference"},
    {"average bulk base backwards", AVERAGE_BULK, false, SMP(0, 7, 0, 0),
     SMP(10, 6, 0, 0), .why = "base went backwards"},
    {"sample fraction zero base", SAMPLE_FRACTION, false, SMP(1, 4, 0, 0),
     SMP(1, 4, 0, 0), .why = "zero base difference"},
    {"precision zero base", PRECISION_100NS_TIMER, false, SMP(1, 4, 0, 0),
     SMP(2, 4, 0, 0), .why = "zero base difference"},
    {"counter zero frequency", COUNTER_COUNTER, false, SMP(0, 0, 0, 0),
     SMP(10, 0, 10, 0), .why = "zero frequency"},
    {"average timer zero frequency", AVERAGE_TIMER, false, SMP(0, 0, 0, 0),
     SMP(10, 1, 0, 0), .why = "zero frequency"},
    {"elapsed zero frequency", ELAPSED_TIME, true, SMP(0, 0, 0, 0),
     SMP(1, 0, 2, 0), .why = "zero frequency"},
    {"elapsed start after timestamp", ELAPSED_TIME, true, SMP(0, 0, 0, 0),
     SMP(3, 0, 2, 10), .why = "start after timestamp"},
    {"raw fraction zero base", RAW_FRACTION, true, SMP(0, 0, 0, 0),
     SMP(3, 0, 0, 0), .why = "zero base"},
    {"multi timer unsupported", COUNTER_MULTI_TIMER, false, SMP(0, 1, 0, 1),
     SMP(1, 2, 1, 1), .why = "unsupported counter type"},
    {"base type unsupported", AVERAGE_BASE, true, SMP(0, 0, 0, 0),
     SMP(1, 0, 0, 0), .why = "unsupported counter type"},
};
#define COOKS_NUM (sizeof(cooks) / sizeof(cooks[0]))

static bool close_to(double got, double want) {
  return fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want));
}

static void cook_table(void) {
  for (size_t i = 0; i < COOKS_NUM; i++) {
    const cook_case_t *c = &cooks[i];
    unit_case = c->what;
    const double untouched = -12345.5;
    double out = untouched;
    const char *why = NULL;
    wmi_cook_status_t st = wmi_counter_cook(c->type, c->first ? NULL : &c->prev,
                                            &c->cur, &out, &why);
    if (c->why != NULL) {
      CHECK(st == WMI_COOK_NO_VALUE, "no value, got %.17g", out);
      CHECK(out == untouched, "output untouched: %.17g", out);
      CHECK(why != NULL && strcmp(why, c->why) == 0, "why \"%s\", want \"%s\"",
            why != NULL ? why : "(null)", c->why);
      continue;
    }
    CHECK(st == WMI_COOK_OK, "cooked (%s)", why != NULL ? why : "(null)");
    CHECK(why != NULL && why[0] == '\0', "why empty on success");
    if (c->exact)
      CHECK(out == c->want, "got %.17g, want exactly %.17g", out, c->want);
    else
      CHECK(close_to(out, c->want), "got %.17g, want %.17g", out, c->want);
  }
}

/* Every supported type has at least one row that cooks a value: a type
 * added without a worked example fails here. */
static void every_type_cooked(void) {
  for (size_t t = 0; t < TYPES_NUM; t++) {
    unit_case = types[t].name;
    bool cooked = false;
    for (size_t i = 0; i < COOKS_NUM; i++)
      cooked |= cooks[i].type == types[t].type && cooks[i].why == NULL;
    CHECK(cooked, "a worked example cooks this type");
  }
}

static void names_and_needs(void) {
  for (size_t t = 0; t < TYPES_NUM; t++) {
    const type_case_t *tc = &types[t];
    unit_case = tc->name;
    const char *name = wmi_counter_type_name(tc->type);
    CHECK(name != NULL && strcmp(name, tc->name) == 0, "name of %u: %s",
          (unsigned)tc->type, name != NULL ? name : "(null)");
    uint32_t type = 0xDEADBEEFu;
    CHECK(wmi_counter_type_by_name(tc->name, &type) && type == tc->type,
          "by name: %u, want %u", (unsigned)type, (unsigned)tc->type);
    CHECK(wmi_counter_needs(tc->type) == tc->needs, "needs %u, want %u",
          wmi_counter_needs(tc->type), tc->needs);
    /* Every value is an amount but a start time. */
    CHECK(wmi_counter_sums(tc->type) == (tc->type != ELAPSED_TIME),
          "summable: %d", wmi_counter_sums(tc->type));
    /* Objects' differences add up but where an object's base is its own
     * clock or the formula counts idle time against one interval. */
    bool objects = tc->type != ELAPSED_TIME &&
                   strstr(tc->name, "PRECISION") == NULL &&
                   strstr(tc->name, "_INV") == NULL;
    CHECK(wmi_counter_adds_objects(tc->type) == objects, "per object: %d",
          wmi_counter_adds_objects(tc->type));
  }
  unit_case = "unsupported numbers";
  for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
    CHECK(wmi_counter_type_name(unsupported[i]) == NULL, "%u has no name",
          (unsigned)unsupported[i]);
    CHECK(wmi_counter_needs(unsupported[i]) == 0, "%u needs nothing",
          (unsigned)unsupported[i]);
    CHECK(!wmi_counter_sums(unsupported[i]), "%u does not sum",
          (unsigned)unsupported[i]);
    CHECK(!wmi_counter_adds_objects(unsupported[i]), "%u: no objects",
          (unsigned)unsupported[i]);
  }
}

typedef struct {
  const char *in;
  bool found;
  uint32_t want;
} name_case_t;

static const name_case_t name_cases[] = {
    {"perf_100nsec_timer_inv", true, TIMER_100NS_INV},
    {"Perf_Precision_100ns_Timer", true, PRECISION_100NS_TIMER},
    {"PERF_COUNTER_RAWCOUNT_HEX", true, RAWCOUNT_HEX},
    {"PERF_COUNTER_RAWCOUNT", true, RAWCOUNT},
    {"PERF_100NSEC_TIMER_INVX", false, 0},
    {"PERF_100NSEC_TIMER_IN", false, 0},
    {" PERF_100NSEC_TIMER", false, 0},
    {"100NSEC_TIMER", false, 0},
    {"PERF_COUNTER_TEXT", false, 0},
    {"PERF_AVERAGE_BASE", false, 0},
    {"PERF_100NSEC_MULTI_TIMER", false, 0},
    {"auto", false, 0},
    {"542180608", false, 0},
    {"", false, 0},
};

static void names_by_case(void) {
  for (size_t i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
    const name_case_t *c = &name_cases[i];
    unit_case = c->in;
    uint32_t type = 0xDEADBEEFu;
    bool found = wmi_counter_type_by_name(c->in, &type);
    CHECK(found == c->found, "found %d", found);
    CHECK(type == (c->found ? c->want : 0xDEADBEEFu), "type %u",
          (unsigned)type);
  }
  unit_case = "NULL name";
  CHECK(!wmi_counter_type_by_name(NULL, NULL), "NULL is no name");
  CHECK(wmi_counter_type_by_name("perf_elapsed_time", NULL),
        "type pointer may be NULL");
}

static void argument_edges(void) {
  unit_case = "arguments";
  wmi_counter_sample_t s = {1, 1, 1, 1};
  double out = 7;
  CHECK(wmi_counter_cook(RAWCOUNT, NULL, NULL, &out, NULL) == WMI_COOK_NO_VALUE,
        "no current sample");
  CHECK(wmi_counter_cook(RAWCOUNT, NULL, &s, NULL, NULL) == WMI_COOK_NO_VALUE,
        "no output");
  CHECK(wmi_counter_cook(RAWCOUNT, NULL, &s, &out, NULL) == WMI_COOK_OK &&
            out == 1,
        "why may be NULL: %g", out);
}

int main(void) {
  cook_table();
  every_type_cooked();
  names_and_needs();
  names_by_case();
  argument_edges();
  return unit_summary("counter");
}
