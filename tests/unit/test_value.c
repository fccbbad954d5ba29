/* CIM values to collectd values: exact 64-bit integers, booleans,
 * datetimes, nulls, and clear refusals of what is not a number. */
#include "unit.h"
#include "wmi_value.h"

#include <math.h>

#define STR(s)                                                                 \
  { .kind = WMI_CIM_STRING, .u.text = (s) }
#define UINT(v)                                                                \
  { .kind = WMI_CIM_UINT, .u.uint = (v) }
#define SINT(v)                                                                \
  { .kind = WMI_CIM_SINT, .u.sint = (v) }
#define REAL(v)                                                                \
  { .kind = WMI_CIM_REAL, .u.real = (v) }
#define BOOL(v)                                                                \
  { .kind = WMI_CIM_BOOLEAN, .u.boolean = (v) }
#define DATETIME(s)                                                            \
  { .kind = WMI_CIM_DATETIME, .u.text = (s) }

typedef struct {
  const char *name;
  wmi_cim_value_t in;
  int ds_type;
  wmi_convert_status_t status;
  uint64_t want_u; /* counter, absolute */
  int64_t want_s;  /* derive */
  double want_g;   /* gauge */
  const char *why; /* part of the reason on error */
} case_t;

static const case_t cases[] = {
    /* uint64 arrives as a decimal string; every digit must survive. */
    {"uint64 max as counter", STR("18446744073709551615"), DS_TYPE_COUNTER,
     WMI_CONVERT_OK, .want_u = UINT64_MAX},
    {"uint64 2^53+1 as absolute", STR("9007199254740993"), DS_TYPE_ABSOLUTE,
     WMI_CONVERT_OK, .want_u = 9007199254740993ULL},
    {"uint64 2^53+1 as derive", STR("9007199254740993"), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = 9007199254740993LL},
    {"free memory as gauge", STR("81665282048"), DS_TYPE_GAUGE, WMI_CONVERT_OK,
     .want_g = 81665282048.0},
    {"zero", STR("0"), DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = 0},
    {"blanks around", STR("  42 "), DS_TYPE_DERIVE, WMI_CONVERT_OK,
     .want_s = 42},
    {"int64 min", STR("-9223372036854775808"), DS_TYPE_DERIVE, WMI_CONVERT_OK,
     .want_s = INT64_MIN},
    {"uint64 max + 1", STR("18446744073709551616"), DS_TYPE_COUNTER,
     WMI_CONVERT_ERROR, .why = "out of range"},
    {"int64 max + 1 as derive", STR("9223372036854775808"), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "does not fit a derive"},
    {"int64 min - 1", STR("-9223372036854775809"), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "out of range"},
    {"negative counter", STR("-1"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "negative value -1"},
    {"trailing junk", STR("12abc"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"empty string", STR(""), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"word", STR("Running"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "\"Running\" is not a number"},
    {"two signs", STR("--5"), DS_TYPE_DERIVE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"infinity text", STR("inf"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"nan text", STR("nan"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"overflowing real", STR("1e999"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"real string as gauge", STR("12.5"), DS_TYPE_GAUGE, WMI_CONVERT_OK,
     .want_g = 12.5},
    {"real string as counter", STR("12.5"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "12.5 is not an unsigned integer"},
    {"whole real as derive", REAL(1e6), DS_TYPE_DERIVE, WMI_CONVERT_OK,
     .want_s = 1000000},
    {"real nan", REAL(NAN), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "not finite"},
    {"uint32", UINT(4294967295u), DS_TYPE_COUNTER, WMI_CONVERT_OK,
     .want_u = 4294967295u},
    {"sint to gauge", SINT(-40), DS_TYPE_GAUGE, WMI_CONVERT_OK, .want_g = -40},
    {"sint negative to absolute", SINT(-1), DS_TYPE_ABSOLUTE, WMI_CONVERT_ERROR,
     .why = "negative"},
    {"large uint to derive", UINT(UINT64_MAX), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "does not fit"},
    {"true", BOOL(true), DS_TYPE_GAUGE, WMI_CONVERT_OK, .want_g = 1},
    {"false", BOOL(false), DS_TYPE_DERIVE, WMI_CONVERT_OK, .want_s = 0},
    {"null", {.kind = WMI_CIM_NULL}, DS_TYPE_GAUGE, WMI_CONVERT_NULL},
    {"array",
     {.kind = WMI_CIM_UNSUPPORTED},
     DS_TYPE_GAUGE,
     WMI_CONVERT_ERROR,
     .why = "CIM type cannot be a value"},
    {"datetime UTC", DATETIME("20261125123456.000000+000"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 1795610096.0},
    {"datetime east of UTC", DATETIME("20261125133456.500000+060"),
     DS_TYPE_GAUGE, WMI_CONVERT_OK, .want_g = 1795610096.5},
    {"datetime west of UTC", DATETIME("20261125073456.000000-300"),
     DS_TYPE_GAUGE, WMI_CONVERT_OK, .want_g = 1795610096.0},
    {"epoch", DATETIME("19700101000000.000000+000"), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = 0},
    {"leap day", DATETIME("20240229000000.000000+000"), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = 1709164800},
    {"interval", DATETIME("00000001020304.500000:000"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 93784.5},
    {"interval as derive", DATETIME("00000000000010.000000:000"),
     DS_TYPE_DERIVE, WMI_CONVERT_OK, .want_s = 10},
    {"interval with 61 seconds", DATETIME("00000000000061.000000:000"),
     DS_TYPE_GAUGE, WMI_CONVERT_ERROR, .why = "is not a CIM datetime"},
    {"datetime with wildcards", DATETIME("2026112512****.******+000"),
     DS_TYPE_GAUGE, WMI_CONVERT_ERROR, .why = "is not a CIM datetime"},
    {"datetime too short", DATETIME("20261125"), DS_TYPE_GAUGE,
     WMI_CONVERT_ERROR, .why = "is not a CIM datetime"},
    {"datetime month 13", DATETIME("20261325123456.000000+000"), DS_TYPE_GAUGE,
     WMI_CONVERT_ERROR, .why = "is not a CIM datetime"},
};

static void test_cases(void) {
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const case_t *c = &cases[i];
    unit_case = c->name;
    value_t v = {0};
    char why[128] = "";
    wmi_convert_status_t st =
        wmi_value_convert(&c->in, c->ds_type, &v, why, sizeof(why));
    CHECK(st == c->status, "status %d, want %d (%s)", st, c->status, why);
    if (st != c->status)
      continue;
    if (st == WMI_CONVERT_ERROR) {
      CHECK(strstr(why, c->why) != NULL, "reason \"%s\" lacks \"%s\"", why,
            c->why);
      continue;
    }
    if (st != WMI_CONVERT_OK)
      continue;
    switch (c->ds_type) {
    case DS_TYPE_COUNTER:
      CHECK(v.counter == c->want_u, "%llu", (unsigned long long)v.counter);
      break;
    case DS_TYPE_ABSOLUTE:
      CHECK(v.absolute == c->want_u, "%llu", (unsigned long long)v.absolute);
      break;
    case DS_TYPE_DERIVE:
      CHECK(v.derive == c->want_s, "%lld", (long long)v.derive);
      break;
    case DS_TYPE_GAUGE:
      CHECK(v.gauge == c->want_g, "%.17g, want %.17g", v.gauge, c->want_g);
      break;
    }
  }
}

int main(void) {
  test_cases();
  return unit_summary("value");
}
