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
     WMI_CONVERT_ERROR, .why = "out of range for a derive (int64)"},
    {"int64 min - 1", STR("-9223372036854775809"), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "out of range"},
    {"negative counter", STR("-1"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "negative value \"-1\" for an unsigned type (counter)"},
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
     .why = "\"1e999\" is out of range for a gauge (double)"},
    {"real string as gauge", STR("12.5"), DS_TYPE_GAUGE, WMI_CONVERT_OK,
     .want_g = 12.5},
    {"real string as counter", STR("12.5"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "\"12.5\" is not an integer (counter)"},
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
     WMI_CONVERT_ERROR,
     .why = "18446744073709551615 is out of range for a derive"},
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

/* The edges fuzzing found, each decided: surrounding blanks (space, tab,
 * CR, LF) are trimmed and the number read exactly; an integer type takes a
 * decimal only when its value is an integer that fits, digit by digit,
 * never through a double; a gauge takes the nearest double of any decimal
 * (the expected gauges are C literals: the compiler rounds them
 * correctly). */
static const case_t edge_cases[] = {
    /* Line breaks around a uint64: once rounded through strtod, or refused. */
    {"LF before 2^53+1, counter", STR("\n9007199254740993"), DS_TYPE_COUNTER,
     WMI_CONVERT_OK, .want_u = 9007199254740993ULL},
    {"CR before 2^53+1, absolute", STR("\r9007199254740993"), DS_TYPE_ABSOLUTE,
     WMI_CONVERT_OK, .want_u = 9007199254740993ULL},
    {"CRLF around -(2^53+1), derive", STR("\r\n-9007199254740993\n"),
     DS_TYPE_DERIVE, WMI_CONVERT_OK, .want_s = -9007199254740993LL},
    {"trailing LF, derive", STR("42\n"), DS_TYPE_DERIVE, WMI_CONVERT_OK,
     .want_s = 42},
    {"trailing CRLF, counter", STR("42\r\n"), DS_TYPE_COUNTER, WMI_CONVERT_OK,
     .want_u = 42},
    {"all blanks around uint64 max", STR(" \t\r\n18446744073709551615\r\n\t "),
     DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = UINT64_MAX},
    {"LF before 2^53+1, gauge rounds once", STR("\n9007199254740993"),
     DS_TYPE_GAUGE, WMI_CONVERT_OK, .want_g = 9007199254740993.0},
    {"vertical tab is not a blank", STR("\v42"), DS_TYPE_GAUGE,
     WMI_CONVERT_ERROR, .why = "is not a number"},
    {"only blanks", STR(" \r\n\t"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "\"\" is not a number"},
    {"blank inside", STR("1 000"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "\"1 000\" is not a number"},

    /* Gauges: the nearest double, past 2^53 and past the 64-bit range. */
    {"2^53+1 as gauge (ties to even)", STR("9007199254740993"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 9007199254740993.0},
    {"2^53+3 as gauge (ties to even)", STR("9007199254740995"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 9007199254740995.0},
    {"uint64 max as gauge", STR("18446744073709551615"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 18446744073709551615.0},
    {"uint64 max + 1 as gauge", STR("18446744073709551616"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 18446744073709551616.0},
    {"1e20 + 0.5 as gauge", STR("100000000000000000000.5"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 100000000000000000000.5},
    {"1e20 as gauge", STR("1e20"), DS_TYPE_GAUGE, WMI_CONVERT_OK,
     .want_g = 1e20},
    {"30 digits as gauge", STR("123456789012345678901234567890"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = 123456789012345678901234567890.0},
    {"int64 min - 1 as gauge", STR("-9223372036854775809"), DS_TYPE_GAUGE,
     WMI_CONVERT_OK, .want_g = -9223372036854775809.0},
    {"underflow rounds to zero", STR("1e-400"), DS_TYPE_GAUGE, WMI_CONVERT_OK,
     .want_g = 0.0},
    {"point first", STR(".5"), DS_TYPE_GAUGE, WMI_CONVERT_OK, .want_g = 0.5},
    {"hexadecimal is not decimal", STR("0x10"), DS_TYPE_GAUGE,
     WMI_CONVERT_ERROR, .why = "\"0x10\" is not a number"},
    {"exponent without digits", STR("1e"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"exponent sign without digits", STR("1e+"), DS_TYPE_GAUGE,
     WMI_CONVERT_ERROR, .why = "is not a number"},
    {"point alone", STR("."), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"exponent alone", STR("e5"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"two points", STR("1.2.3"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"infinity word", STR("infinity"), DS_TYPE_GAUGE, WMI_CONVERT_ERROR,
     .why = "is not a number"},

    /* Integer types: exact decimals, never through a double. */
    {"2^53+1 with .0, counter", STR("9007199254740993.0"), DS_TYPE_COUNTER,
     WMI_CONVERT_OK, .want_u = 9007199254740993ULL},
    {"uint64 max with exponent 0", STR("18446744073709551615e0"),
     DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = UINT64_MAX},
    {"uint64 max as x.5e1", STR("1844674407370955161.5e1"), DS_TYPE_ABSOLUTE,
     WMI_CONVERT_OK, .want_u = UINT64_MAX},
    {"uint64 max in scientific", STR("1.8446744073709551615e19"),
     DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = UINT64_MAX},
    {"uint64 max + 1 in scientific", STR("1.8446744073709551616e19"),
     DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "\"1.8446744073709551616e19\" is out of range for a counter "
            "(uint64)"},
    {"int64 max as x.yye2", STR("92233720368547758.07e2"), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = INT64_MAX},
    {"int64 min in scientific", STR("-9.223372036854775808e18"), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = INT64_MIN},
    {"1.5e1 is 15", STR("1.5e1"), DS_TYPE_COUNTER, WMI_CONVERT_OK,
     .want_u = 15},
    {"150e-1 is 15", STR("150e-1"), DS_TYPE_COUNTER, WMI_CONVERT_OK,
     .want_u = 15},
    {"15.000 is 15", STR("15.000"), DS_TYPE_DERIVE, WMI_CONVERT_OK,
     .want_s = 15},
    {"point last", STR("5."), DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = 5},
    {"point first, exponent", STR(".5e1"), DS_TYPE_ABSOLUTE, WMI_CONVERT_OK,
     .want_u = 5},
    {"capital E", STR("1E3"), DS_TYPE_DERIVE, WMI_CONVERT_OK, .want_s = 1000},
    {"zero with a huge exponent", STR("0.0e999999999999999999999"),
     DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = 0},
    {"leading zeros", STR("00000000000000000000000018446744073709551615"),
     DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = UINT64_MAX},
    {"minus zero is zero", STR("-0"), DS_TYPE_COUNTER, WMI_CONVERT_OK,
     .want_u = 0},
    {"minus zero point zero", STR("-0.0"), DS_TYPE_ABSOLUTE, WMI_CONVERT_OK,
     .want_u = 0},
    {"plus sign", STR("+7"), DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = 7},
    {"1e20 + 0.5 as counter", STR("100000000000000000000.5"), DS_TYPE_COUNTER,
     WMI_CONVERT_ERROR,
     .why = "\"100000000000000000000.5\" is not an integer (counter)"},
    {"1e20 as counter", STR("1e20"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "\"1e20\" is out of range for a counter (uint64)"},
    {"uint64 max + 1 as absolute", STR("18446744073709551616"),
     DS_TYPE_ABSOLUTE, WMI_CONVERT_ERROR,
     .why = "\"18446744073709551616\" is out of range for an absolute "
            "(uint64)"},
    {"huge exponent as derive", STR("1e999999999999999999999"), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "is out of range for a derive (int64)"},
    {"tiny value as counter", STR("1e-400"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "\"1e-400\" is not an integer (counter)"},
    {"trailing fraction digit", STR("12.50"), DS_TYPE_DERIVE, WMI_CONVERT_ERROR,
     .why = "\"12.50\" is not an integer (derive)"},
    {"minus one point zero", STR("-1.0"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "negative value \"-1.0\" for an unsigned type (counter)"},
    {"minus a half", STR("-0.5"), DS_TYPE_ABSOLUTE, WMI_CONVERT_ERROR,
     .why = "\"-0.5\" is not an integer (absolute)"},
    {"minus 2^64 as counter", STR("-18446744073709551616"), DS_TYPE_COUNTER,
     WMI_CONVERT_ERROR, .why = "negative value"},
    {"minus 2^64 as derive", STR("-18446744073709551616"), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "out of range for a derive (int64)"},
    {"hexadecimal counter", STR("0x10"), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"sign then sign", STR("+-1"), DS_TYPE_DERIVE, WMI_CONVERT_ERROR,
     .why = "is not a number"},
    {"message shows the trimmed text", STR("\n12.5\r\n"), DS_TYPE_COUNTER,
     WMI_CONVERT_ERROR, .why = "\"12.5\" is not an integer (counter)"},

    {"long text cut in the message",
     STR("12345678901234567890123456789012345678901234567890"), DS_TYPE_COUNTER,
     WMI_CONVERT_ERROR,
     .why = "\"1234567890123456789012345678901234567890...\" is out of "
            "range for a counter (uint64)"},

    /* Reals (CIM real32/64) take the same rules. */
    {"real 1e20 as counter", REAL(1e20), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "1e+20 is out of range for a counter (uint64)"},
    {"real -2 as counter", REAL(-2.0), DS_TYPE_COUNTER, WMI_CONVERT_ERROR,
     .why = "negative value -2 for an unsigned type"},
    {"real 12.5 as derive", REAL(12.5), DS_TYPE_DERIVE, WMI_CONVERT_ERROR,
     .why = "12.5 is not an integer (derive)"},
    {"real 2^63 as derive", REAL(9223372036854775808.0), DS_TYPE_DERIVE,
     WMI_CONVERT_ERROR, .why = "out of range for a derive (int64)"},
    {"real -2^63 as derive", REAL(-9223372036854775808.0), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = INT64_MIN},
    {"real 2^64 - 2048 as counter", REAL(18446744073709549568.0),
     DS_TYPE_COUNTER, WMI_CONVERT_OK, .want_u = 18446744073709549568ULL},
    {"sint int64 min as derive", SINT(INT64_MIN), DS_TYPE_DERIVE,
     WMI_CONVERT_OK, .want_s = INT64_MIN},
    {"unknown data source type", UINT(1), 42, WMI_CONVERT_ERROR,
     .why = "unknown data source type 42"},
};

static void run_cases(const case_t *table, size_t count) {
  for (size_t i = 0; i < count; i++) {
    const case_t *c = &table[i];
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

static void test_ds_type_names(void) {
  static const struct {
    int ds_type;
    const char *name;
  } names[] = {
      {DS_TYPE_GAUGE, "gauge"},
      {DS_TYPE_COUNTER, "counter"},
      {DS_TYPE_DERIVE, "derive"},
      {DS_TYPE_ABSOLUTE, "absolute"},
  };
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    unit_case = names[i].name;
    CHECK_STR(wmi_ds_type_name(names[i].ds_type), names[i].name);
  }
}

int main(void) {
  test_ds_type_names();
  run_cases(cases, sizeof(cases) / sizeof(cases[0]));
  run_cases(edge_cases, sizeof(edge_cases) / sizeof(edge_cases[0]));
  return unit_summary("value");
}
