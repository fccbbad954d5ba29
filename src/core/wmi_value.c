#include "wmi_value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number as it can come from WMI: signed, unsigned or real. */
typedef struct {
  enum { NUM_SIGNED, NUM_UNSIGNED, NUM_REAL } kind;
  int64_t s;
  uint64_t u;
  double d;
} number_t;

/* Exact decimal integer parsing: WMI delivers uint64 as decimal strings and
 * a double would lose everything past 2^53. Accepts optional surrounding
 * blanks and one sign; nothing else. */
static int parse_integer(const char *text, number_t *out) {
  const char *p = text;
  while (*p == ' ' || *p == '\t')
    p++;
  bool negative = false;
  if (*p == '-' || *p == '+')
    negative = (*p++ == '-');
  if (!isdigit((unsigned char)*p))
    return -1;
  uint64_t magnitude = 0;
  for (; isdigit((unsigned char)*p); p++) {
    unsigned digit = (unsigned)(*p - '0');
    if (magnitude > (UINT64_MAX - digit) / 10)
      return -2; /* out of range */
    magnitude = magnitude * 10 + digit;
  }
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    return -1;
  if (!negative) {
    out->kind = NUM_UNSIGNED;
    out->u = magnitude;
    return 0;
  }
  if (magnitude > (uint64_t)INT64_MAX + 1)
    return -2;
  out->kind = NUM_SIGNED;
  out->s =
      magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
  return 0;
}

static int parse_real(const char *text, double *out) {
  char *end = NULL;
  errno = 0;
  double d = strtod(text, &end);
  if (end == text || errno == ERANGE || !isfinite(d))
    return -1;
  while (*end == ' ' || *end == '\t')
    end++;
  if (*end != '\0')
    return -1;
  *out = d;
  return 0;
}

static int text_to_number(const char *text, number_t *out, char *why,
                          size_t why_len) {
  int status = parse_integer(text, out);
  if (status == 0)
    return 0;
  if (status == -2) {
    snprintf(why, why_len, "integer \"%.40s\" is out of range", text);
    return -1;
  }
  if (parse_real(text, &out->d) == 0) {
    out->kind = NUM_REAL;
    return 0;
  }
  snprintf(why, why_len, "\"%.40s\" is not a number", text);
  return -1;
}

static int to_number(const wmi_cim_value_t *in, number_t *out, char *why,
                     size_t why_len) {
  switch (in->kind) {
  case WMI_CIM_SINT:
    out->kind = NUM_SIGNED;
    out->s = in->u.sint;
    return 0;
  case WMI_CIM_UINT:
    out->kind = NUM_UNSIGNED;
    out->u = in->u.uint;
    return 0;
  case WMI_CIM_REAL:
    if (!isfinite(in->u.real)) {
      snprintf(why, why_len, "real value is not finite");
      return -1;
    }
    out->kind = NUM_REAL;
    out->d = in->u.real;
    return 0;
  case WMI_CIM_BOOLEAN:
    out->kind = NUM_UNSIGNED;
    out->u = in->u.boolean ? 1 : 0;
    return 0;
  case WMI_CIM_STRING:
    return text_to_number(in->u.text, out, why, why_len);
  case WMI_CIM_DATETIME: {
    double seconds;
    /* CIM datetime properties hold either a point in time or an interval
     * (uptime, durations); both become seconds. */
    if (wmi_datetime_to_epoch(in->u.text, &seconds) != 0 &&
        wmi_interval_to_seconds(in->u.text, &seconds) != 0) {
      snprintf(why, why_len, "\"%.40s\" is not a CIM datetime", in->u.text);
      return -1;
    }
    out->kind = NUM_REAL;
    out->d = seconds;
    return 0;
  }
  case WMI_CIM_NULL:
  case WMI_CIM_UNSUPPORTED:
    break;
  }
  snprintf(why, why_len, "the property's CIM type cannot be a value");
  return -1;
}

/* Integers for counter/absolute (unsigned) and derive (signed): a real is
 * accepted only when it holds an integer exactly. */
static int to_unsigned(const number_t *n, uint64_t *out, char *why,
                       size_t why_len) {
  if (n->kind == NUM_UNSIGNED) {
    *out = n->u;
    return 0;
  }
  if (n->kind == NUM_SIGNED) {
    if (n->s < 0) {
      snprintf(why, why_len, "negative value %" PRId64 " for an unsigned type",
               n->s);
      return -1;
    }
    *out = (uint64_t)n->s;
    return 0;
  }
  if (n->d >= 0.0 && n->d < 18446744073709551616.0 && n->d == floor(n->d)) {
    *out = (uint64_t)n->d;
    return 0;
  }
  snprintf(why, why_len, "%g is not an unsigned integer", n->d);
  return -1;
}

static int to_signed(const number_t *n, int64_t *out, char *why,
                     size_t why_len) {
  if (n->kind == NUM_SIGNED) {
    *out = n->s;
    return 0;
  }
  if (n->kind == NUM_UNSIGNED) {
    if (n->u > (uint64_t)INT64_MAX) {
      snprintf(why, why_len, "%" PRIu64 " does not fit a derive (int64)", n->u);
      return -1;
    }
    *out = (int64_t)n->u;
    return 0;
  }
  if (n->d >= -9223372036854775808.0 && n->d < 9223372036854775808.0 &&
      n->d == floor(n->d)) {
    *out = (int64_t)n->d;
    return 0;
  }
  snprintf(why, why_len, "%g is not a 64-bit integer", n->d);
  return -1;
}

wmi_convert_status_t wmi_value_convert(const wmi_cim_value_t *in, int ds_type,
                                       value_t *out, char *why,
                                       size_t why_len) {
  if (in->kind == WMI_CIM_NULL)
    return WMI_CONVERT_NULL;
  number_t n = {0};
  if (to_number(in, &n, why, why_len) != 0)
    return WMI_CONVERT_ERROR;

  switch (ds_type) {
  case DS_TYPE_GAUGE:
    out->gauge = n.kind == NUM_REAL     ? n.d
                 : n.kind == NUM_SIGNED ? (gauge_t)n.s
                                        : (gauge_t)n.u;
    return WMI_CONVERT_OK;
  case DS_TYPE_DERIVE: {
    int64_t v;
    if (to_signed(&n, &v, why, why_len) != 0)
      return WMI_CONVERT_ERROR;
    out->derive = v;
    return WMI_CONVERT_OK;
  }
  case DS_TYPE_COUNTER:
  case DS_TYPE_ABSOLUTE: {
    uint64_t v;
    if (to_unsigned(&n, &v, why, why_len) != 0)
      return WMI_CONVERT_ERROR;
    if (ds_type == DS_TYPE_COUNTER)
      out->counter = v;
    else
      out->absolute = v;
    return WMI_CONVERT_OK;
  }
  }
  snprintf(why, why_len, "unknown data source type %d", ds_type);
  return WMI_CONVERT_ERROR;
}

static int parse_fixed_digits(const char *p, int count, int *out) {
  int v = 0;
  for (int i = 0; i < count; i++) {
    if (!isdigit((unsigned char)p[i]))
      return -1;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm): no timegm(), which Windows lacks. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int wmi_datetime_to_epoch(const char *dmtf, double *seconds) {
  /* yyyymmddHHMMSS.mmmmmmsUUU: 25 characters, fixed positions. */
  if (dmtf == NULL || strlen(dmtf) != 25 || dmtf[14] != '.' ||
      (dmtf[21] != '+' && dmtf[21] != '-'))
    return -1;
  int year, month, day, hour, minute, second, micros, offset;
  if (parse_fixed_digits(dmtf, 4, &year) ||
      parse_fixed_digits(dmtf + 4, 2, &month) ||
      parse_fixed_digits(dmtf + 6, 2, &day) ||
      parse_fixed_digits(dmtf + 8, 2, &hour) ||
      parse_fixed_digits(dmtf + 10, 2, &minute) ||
      parse_fixed_digits(dmtf + 12, 2, &second) ||
      parse_fixed_digits(dmtf + 15, 6, &micros) ||
      parse_fixed_digits(dmtf + 22, 3, &offset))
    return -1;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 60)
    return -1;
  int64_t days = days_from_civil(year, month, day);
  /* The offset is the local time's distance from UTC in minutes. */
  int64_t utc_offset = (dmtf[21] == '-' ? -1 : 1) * (int64_t)offset * 60;
  int64_t whole =
      days * 86400 + hour * 3600 + minute * 60 + second - utc_offset;
  *seconds = (double)whole + micros / 1e6;
  return 0;
}

int wmi_interval_to_seconds(const char *dmtf, double *seconds) {
  /* ddddddddHHMMSS.mmmmmm:000 */
  if (dmtf == NULL || strlen(dmtf) != 25 || dmtf[14] != '.' ||
      strcmp(dmtf + 21, ":000") != 0)
    return -1;
  int days, hour, minute, second, micros;
  if (parse_fixed_digits(dmtf, 8, &days) ||
      parse_fixed_digits(dmtf + 8, 2, &hour) ||
      parse_fixed_digits(dmtf + 10, 2, &minute) ||
      parse_fixed_digits(dmtf + 12, 2, &second) ||
      parse_fixed_digits(dmtf + 15, 6, &micros))
    return -1;
  if (hour > 23 || minute > 59 || second > 59)
    return -1;
  *seconds = (double)days * 86400.0 + hour * 3600 + minute * 60 + second +
             micros / 1e6;
  return 0;
}
