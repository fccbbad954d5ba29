/* libFuzzer target: any text as a CIM string (and datetime) value, for every
 * data source type. Beyond "no crash, no overflow" (ASan, UBSan), it checks
 * that the exact integer path and the double path agree, that blanks around
 * a number change nothing, and that a plain decimal integer the integer
 * types accept comes back digit for digit. */
#include "wmi_value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond, text)                                                    \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz_value: %s: %s, input \"%s\"\n", #cond, (text),     \
              input_text);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static const char *input_text = "";

typedef struct {
  wmi_convert_status_t status;
  value_t value;
  char why[128];
} outcome_t;

static const int ds_types[] = {DS_TYPE_GAUGE, DS_TYPE_COUNTER, DS_TYPE_DERIVE,
                               DS_TYPE_ABSOLUTE};
#define DS_NUM (sizeof(ds_types) / sizeof(ds_types[0]))

static void convert_all(wmi_cim_kind_t kind, const char *text,
                        outcome_t out[DS_NUM]) {
  wmi_cim_value_t in = {.kind = kind, .u.text = text};
  for (size_t i = 0; i < DS_NUM; i++) {
    memset(&out[i], 0, sizeof(out[i]));
    out[i].status = wmi_value_convert(&in, ds_types[i], &out[i].value,
                                      out[i].why, sizeof(out[i].why));
    REQUIRE(out[i].status == WMI_CONVERT_OK ||
                out[i].status == WMI_CONVERT_ERROR,
            "text gives a value or an error, never NULL");
    if (out[i].status == WMI_CONVERT_ERROR)
      REQUIRE(out[i].why[0] != '\0', "an error says why");
    else if (ds_types[i] == DS_TYPE_GAUGE)
      REQUIRE(isfinite(out[i].value.gauge), "a gauge is finite");
  }
  /* A reason cut to a tiny buffer stays inside it (ASan watches). */
  char *tiny = malloc(4);
  value_t ignored;
  if (tiny != NULL) {
    wmi_value_convert(&in, DS_TYPE_COUNTER, &ignored, tiny, 4);
    free(tiny);
  }
}

/* The text is [+-]digits and nothing else: its value is known exactly. */
static int plain_integer(const char *text, int *negative, const char **digits) {
  *negative = *text == '-';
  if (*text == '-' || *text == '+')
    text++;
  if (*text == '\0')
    return 0;
  for (const char *p = text; *p; p++)
    if (*p < '0' || *p > '9')
      return 0;
  while (text[0] == '0' && text[1] != '\0')
    text++; /* leading zeros */
  *digits = text;
  return 1;
}

/* Compares decimal magnitudes without leading zeros. */
static int compare_digits(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp(a, b);
}

static void check_integer_text(const char *text, const outcome_t out[DS_NUM]) {
  int negative;
  const char *digits;
  if (!plain_integer(text, &negative, &digits))
    return;
  int zero = strcmp(digits, "0") == 0;
  int fits_u = !negative || zero;
  fits_u = fits_u && compare_digits(digits, "18446744073709551615") <= 0;
  int fits_s = compare_digits(digits, negative ? "9223372036854775808"
                                               : "9223372036854775807") <= 0;
  REQUIRE((out[1].status == WMI_CONVERT_OK) == fits_u,
          "counter takes exactly the integers of uint64");
  REQUIRE((out[2].status == WMI_CONVERT_OK) == fits_s,
          "derive takes exactly the integers of int64");
  char back[32];
  if (fits_u) {
    snprintf(back, sizeof(back), "%llu",
             (unsigned long long)out[1].value.counter);
    REQUIRE(strcmp(back, digits) == 0, "counter round-trips digit by digit");
  }
  if (fits_s) {
    snprintf(back, sizeof(back), "%s%s", negative && !zero ? "-" : "", digits);
    char got[32];
    snprintf(got, sizeof(got), "%lld", (long long)out[2].value.derive);
    REQUIRE(strcmp(back, got) == 0, "derive round-trips digit by digit");
  }
  /* Past the 64-bit range a gauge still takes it, as it takes "1e20". */
  if (strlen(digits) <= 300)
    REQUIRE(out[0].status == WMI_CONVERT_OK, "a gauge takes any integer");
}

static void check_consistency(const outcome_t out[DS_NUM]) {
  const outcome_t *gauge = &out[0], *counter = &out[1], *derive = &out[2],
                  *absolute = &out[3];
  REQUIRE(counter->status == absolute->status,
          "counter and absolute agree on acceptance");
  if (counter->status == WMI_CONVERT_OK) {
    REQUIRE(counter->value.counter == absolute->value.absolute,
            "counter and absolute agree on the value");
    /* Both roundings are correct ones of the same exact value. */
    REQUIRE(gauge->status == WMI_CONVERT_OK, "a counter value is a gauge");
    REQUIRE(gauge->value.gauge == (double)counter->value.counter,
            "the gauge is the counter's nearest double");
    REQUIRE((derive->status == WMI_CONVERT_OK) ==
                (counter->value.counter <= (uint64_t)INT64_MAX),
            "derive takes a counter value when it fits int64");
  }
  if (derive->status == WMI_CONVERT_OK) {
    REQUIRE(gauge->status == WMI_CONVERT_OK, "a derive value is a gauge");
    REQUIRE(gauge->value.gauge == (double)derive->value.derive,
            "the gauge is the derive's nearest double");
    if (derive->value.derive >= 0)
      REQUIRE(counter->status == WMI_CONVERT_OK &&
                  counter->value.counter == (uint64_t)derive->value.derive,
              "a non-negative derive value is a counter value");
  }
}

static int same(const outcome_t *a, const outcome_t *b, int ds_type) {
  if (a->status != b->status)
    return 0;
  if (a->status != WMI_CONVERT_OK)
    return 1;
  switch (ds_type) {
  case DS_TYPE_GAUGE:
    return a->value.gauge == b->value.gauge;
  case DS_TYPE_DERIVE:
    return a->value.derive == b->value.derive;
  case DS_TYPE_COUNTER:
    return a->value.counter == b->value.counter;
  }
  return a->value.absolute == b->value.absolute;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  /* The text with blanks around it, and the text alone (cut at a NUL). */
  static const char blanks[] = " \t\r\n";
  char *padded = malloc(size + 2 * (sizeof(blanks) - 1) + 1);
  if (padded == NULL)
    return 0;
  memcpy(padded, blanks, sizeof(blanks) - 1);
  char *text = padded + sizeof(blanks) - 1;
  memcpy(text, data, size);
  text[size] = '\0';
  size_t len = strlen(text);
  input_text = text;

  outcome_t out[DS_NUM], around[DS_NUM], dates[DS_NUM];
  convert_all(WMI_CIM_STRING, text, out);
  check_integer_text(text, out);
  check_consistency(out);
  convert_all(WMI_CIM_DATETIME, text, dates);

  memcpy(text + len, blanks, sizeof(blanks)); /* with its NUL */
  convert_all(WMI_CIM_STRING, padded, around);
  for (size_t i = 0; i < DS_NUM; i++)
    REQUIRE(same(&out[i], &around[i], ds_types[i]),
            "blanks around a number change nothing");
  free(padded);
  return 0;
}
