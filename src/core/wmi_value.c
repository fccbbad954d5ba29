#include "wmi_value.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number written in decimal, as WMI delivers uint64 and sint64 (and as
 * string properties may hold numbers): kept as written until the data
 * source type says how to read it, so that integers never pass through a
 * double. */
typedef struct {
  const char *text; /* the number without surrounding blanks */
  size_t len;
  bool negative;
  const char *int_digits; /* before the point */
  size_t int_len;
  const char *frac_digits; /* after the point */
  size_t frac_len;
  int64_t exponent; /* capped at +-EXPONENT_CAP: more only adds zeros */
} decimal_t;

#define EXPONENT_CAP ((int64_t)1 << 40)

/* A number as it can come from WMI: signed, unsigned, real or decimal. */
typedef struct {
  enum { NUM_SIGNED, NUM_UNSIGNED, NUM_REAL, NUM_DECIMAL } kind;
  int64_t s;
  uint64_t u;
  double d;
  decimal_t dec;
} number_t;

/* The blanks a number in text may carry around it, padding or a line
 * break at the end: they are no part of it. Other control characters make
 * the text not a number (strtod would skip \v and \f as well). */
static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *skip_digits(const char *p) {
  while (is_digit(*p))
    p++;
  return p;
}

/* The text without its surrounding blanks, for messages. */
static void trim(const char *text, const char **start, size_t *len) {
  while (is_blank(*text))
    text++;
  size_t n = strlen(text);
  while (n > 0 && is_blank(text[n - 1]))
    n--;
  *start = text;
  *len = n;
}

/* Decimal notation only: [sign] digits [. digits] [e [sign] digits], with
 * digits on at least one side of the point. No hexadecimal, "inf" or "nan",
 * which strtod would also take. */
static int parse_decimal(const char *text, decimal_t *out) {
  while (is_blank(*text))
    text++;
  out->text = text;
  const char *p = text;
  out->negative = *p == '-';
  if (*p == '-' || *p == '+')
    p++;
  out->int_digits = p;
  p = skip_digits(p);
  out->int_len = (size_t)(p - out->int_digits);
  out->frac_digits = p;
  out->frac_len = 0;
  if (*p == '.') {
    out->frac_digits = ++p;
    p = skip_digits(p);
    out->frac_len = (size_t)(p - out->frac_digits);
  }
  if (out->int_len + out->frac_len == 0)
    return -1;
  out->exponent = 0;
  if (*p == 'e' || *p == 'E') {
    p++;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
      p++;
    if (!is_digit(*p))
      return -1;
    for (; is_digit(*p); p++)
      if (out->exponent < EXPONENT_CAP)
        out->exponent = out->exponent * 10 + (*p - '0');
    if (negative)
      out->exponent = -out->exponent;
  }
  out->len = (size_t)(p - text);
  while (is_blank(*p))
    p++;
  return *p == '\0' ? 0 : -1;
}

typedef enum { EXACT_OK, EXACT_NOT_INTEGER, EXACT_TOO_LARGE } exact_t;

/* The decimal's magnitude as an exact uint64: digit by digit, no double.
 * A value with a non-zero fractional part is not an integer, whatever its
 * size; "1.5e1" and "15.0" are. */
static exact_t decimal_magnitude(const decimal_t *d, uint64_t *out) {
  size_t digits = d->int_len + d->frac_len;
  /* How many of the digits stand before the point once scaled. */
  int64_t whole = (int64_t)d->int_len + d->exponent;
  uint64_t m = 0;
  bool too_large = false;
  if (d->frac_len == 0 && d->exponent == 0) { /* the common case: 12345 */
    for (size_t i = 0; i < digits; i++) {
      unsigned digit = (unsigned)(d->int_digits[i] - '0');
      if (m > (UINT64_MAX - digit) / 10)
        return EXACT_TOO_LARGE;
      m = m * 10 + digit;
    }
    *out = m;
    return EXACT_OK;
  }
  for (size_t i = 0; i < digits; i++) {
    char c = i < d->int_len ? d->int_digits[i] : d->frac_digits[i - d->int_len];
    unsigned digit = (unsigned)(c - '0');
    if ((int64_t)i >= whole) {
      if (digit != 0)
        return EXACT_NOT_INTEGER;
    } else if (!too_large) {
      if (m > (UINT64_MAX - digit) / 10)
        too_large = true;
      else
        m = m * 10 + digit;
    }
  }
  /* Zeros the exponent appends past the written digits. */
  for (int64_t z = whole - (int64_t)digits; z > 0 && m != 0 && !too_large;
       z--) {
    if (m > UINT64_MAX / 10)
      too_large = true;
    else
      m *= 10;
  }
  *out = m;
  return too_large ? EXACT_TOO_LARGE : EXACT_OK;
}

const char *wmi_ds_type_name(int ds_type) {
  switch (ds_type) {
  case DS_TYPE_COUNTER:
    return "counter";
  case DS_TYPE_ABSOLUTE:
    return "absolute";
  case DS_TYPE_DERIVE:
    return "derive";
  }
  return "gauge";
}

/* Text in a message: quoted, and cut after 40 characters with "...". */
static void quote(char *buf, size_t len, const char *text, size_t text_len) {
  snprintf(buf, len, "\"%.*s%s\"", text_len > 40 ? 40 : (int)text_len, text,
           text_len > 40 ? "..." : "");
}

/* How a number shows in messages: decimals as written. */
static void describe(const number_t *n, char *buf, size_t len) {
  switch (n->kind) {
  case NUM_SIGNED:
    snprintf(buf, len, "%" PRId64, n->s);
    return;
  case NUM_UNSIGNED:
    snprintf(buf, len, "%" PRIu64, n->u);
    return;
  case NUM_REAL:
    snprintf(buf, len, "%g", n->d);
    return;
  case NUM_DECIMAL:
    quote(buf, len, n->dec.text, n->dec.len);
    return;
  }
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
  case WMI_CIM_STRING: {
    out->kind = NUM_DECIMAL;
    if (parse_decimal(in->u.text, &out->dec) == 0)
      return 0;
    const char *start;
    size_t len;
    trim(in->u.text, &start, &len);
    char shown[64];
    quote(shown, sizeof(shown), start, len);
    snprintf(why, why_len, "%s is not a number", shown);
    return -1;
  }
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

/* A gauge is the double nearest the value: one correct rounding, also for
 * integers past 2^53 and past the 64-bit range (as "1e20" is). */
static int to_gauge(const number_t *n, gauge_t *out, char *why,
                    size_t why_len) {
  switch (n->kind) {
  case NUM_SIGNED:
    *out = (gauge_t)n->s;
    return 0;
  case NUM_UNSIGNED:
    *out = (gauge_t)n->u;
    return 0;
  case NUM_REAL:
    *out = n->d;
    return 0;
  case NUM_DECIMAL:
    break;
  }
  /* The common case, a uint64 or sint64 as text: the exact magnitude,
   * converted once, is the nearest double, without strtod's cost. */
  uint64_t m;
  if (n->dec.frac_len == 0 && n->dec.exponent == 0 &&
      decimal_magnitude(&n->dec, &m) == EXACT_OK) {
    *out = n->dec.negative ? -(gauge_t)m : (gauge_t)m;
    return 0;
  }
  /* parse_decimal let through only what strtod reads the same way, up to
   * the trimmed end; a value too small for a double rounds to 0 or a
   * subnormal, which is its nearest double (strtod's ERANGE is not an
   * error then). */
  char *end = NULL;
  double d = strtod(n->dec.text, &end);
  if (end == n->dec.text + n->dec.len && isfinite(d)) {
    *out = d;
    return 0;
  }
  char shown[64];
  describe(n, shown, sizeof(shown));
  if (end != n->dec.text + n->dec.len) /* a locale with a decimal comma */
    snprintf(why, why_len, "%s is not a number", shown);
  else
    snprintf(why, why_len, "%s is out of range for a gauge (double)", shown);
  return -1;
}

/* The value as sign and exact magnitude, for the integer types: a real
 * counts only when it holds an integer exactly. */
static exact_t to_exact(const number_t *n, bool *negative, uint64_t *m) {
  switch (n->kind) {
  case NUM_SIGNED:
    *negative = n->s < 0;
    *m = n->s < 0 ? (uint64_t)0 - (uint64_t)n->s : (uint64_t)n->s;
    return EXACT_OK;
  case NUM_UNSIGNED:
    *negative = false;
    *m = n->u;
    return EXACT_OK;
  case NUM_REAL: {
    double a = fabs(n->d);
    *negative = n->d < 0;
    if (a != floor(a))
      return EXACT_NOT_INTEGER;
    if (a >= 18446744073709551616.0)
      return EXACT_TOO_LARGE;
    *m = (uint64_t)a;
    return EXACT_OK;
  }
  case NUM_DECIMAL:
    *negative = n->dec.negative;
    return decimal_magnitude(&n->dec, m);
  }
  return EXACT_NOT_INTEGER;
}

/* Counter and absolute take uint64, derive int64; a value is refused with
 * the reason it does not fit, never rounded. */
static int to_integer(const number_t *n, int ds_type, value_t *out, char *why,
                      size_t why_len) {
  bool negative = false;
  uint64_t m = 0;
  exact_t exact = to_exact(n, &negative, &m);
  if (exact == EXACT_OK && m == 0)
    negative = false; /* "-0" is zero */
  bool is_derive = ds_type == DS_TYPE_DERIVE;
  uint64_t limit = !is_derive ? UINT64_MAX
                   : negative ? (uint64_t)INT64_MAX + 1
                              : (uint64_t)INT64_MAX;
  bool refused_negative = !is_derive && negative;
  if (exact == EXACT_OK && m <= limit && !refused_negative) {
    if (is_derive)
      out->derive = !negative                      ? (int64_t)m
                    : m == (uint64_t)INT64_MAX + 1 ? INT64_MIN
                                                   : -(int64_t)m;
    else if (ds_type == DS_TYPE_COUNTER)
      out->counter = m;
    else
      out->absolute = m;
    return 0;
  }
  char shown[64];
  describe(n, shown, sizeof(shown));
  const char *type = wmi_ds_type_name(ds_type);
  if (exact == EXACT_NOT_INTEGER)
    snprintf(why, why_len, "%s is not an integer (%s)", shown, type);
  else if (refused_negative)
    snprintf(why, why_len, "negative value %s for an unsigned type (%s)", shown,
             type);
  else
    snprintf(why, why_len, "%s is out of range for a%s %s (%s)", shown,
             ds_type == DS_TYPE_ABSOLUTE ? "n" : "", type,
             is_derive ? "int64" : "uint64");
  return -1;
}

wmi_convert_status_t wmi_value_convert(const wmi_cim_value_t *in, int ds_type,
                                       value_t *out, char *why,
                                       size_t why_len) {
  if (in->kind == WMI_CIM_NULL)
    return WMI_CONVERT_NULL;
  if (ds_type != DS_TYPE_GAUGE && ds_type != DS_TYPE_COUNTER &&
      ds_type != DS_TYPE_DERIVE && ds_type != DS_TYPE_ABSOLUTE) {
    snprintf(why, why_len, "unknown data source type %d", ds_type);
    return WMI_CONVERT_ERROR;
  }
  number_t n;
  if (to_number(in, &n, why, why_len) != 0)
    return WMI_CONVERT_ERROR;
  int status = ds_type == DS_TYPE_GAUGE
                   ? to_gauge(&n, &out->gauge, why, why_len)
                   : to_integer(&n, ds_type, out, why, why_len);
  return status == 0 ? WMI_CONVERT_OK : WMI_CONVERT_ERROR;
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
