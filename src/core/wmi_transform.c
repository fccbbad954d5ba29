#include "wmi_transform.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Integer Scale and Shift. Finish allowed only 1 <= scale <= 2^32 and
 * |shift| <= 2^53 with integer data sources. Writing shift = q * scale + r
 * with 0 <= r < scale (floor division) makes value * scale + shift equal
 * (value + q) * scale + r: the result has the sign of value + q, and no
 * step overflows unless the result itself is out of range, so a result
 * that fits is always found exactly (2^62 * 4 - 1 fits a counter). */
static void split_shift(int64_t shift, uint64_t scale, int64_t *q,
                        uint64_t *r) {
  int64_t s = (int64_t)scale, quotient = shift / s, rest = shift % s;
  if (rest < 0) { /* C truncates toward zero: make it floor */
    quotient--;
    rest += s;
  }
  *q = quotient;
  *r = (uint64_t)rest;
}

/* t * scale + r when it is at most limit (r <= limit). */
static int multiply_add(uint64_t t, uint64_t scale, uint64_t r, uint64_t limit,
                        uint64_t *out) {
  if (t > (limit - r) / scale)
    return -1;
  *out = t * scale + r;
  return 0;
}

static int scale_unsigned(uint64_t v, uint64_t scale, int64_t shift,
                          uint64_t *out) {
  int64_t q;
  uint64_t r, t;
  split_shift(shift, scale, &q, &r);
  if (q >= 0) {
    if (v > UINT64_MAX - (uint64_t)q)
      return -1;
    t = v + (uint64_t)q;
  } else {
    uint64_t down = 0 - (uint64_t)q;
    if (v < down)
      return -1; /* below 0 */
    t = v - down;
  }
  return multiply_add(t, scale, r, UINT64_MAX, out);
}

static int scale_signed(int64_t v, uint64_t scale, int64_t shift,
                        int64_t *out) {
  int64_t q;
  uint64_t r, magnitude;
  split_shift(shift, scale, &q, &r);
  if ((q > 0 && v > INT64_MAX - q) || (q < 0 && v < INT64_MIN - q))
    return -1;
  int64_t t = v + q;
  if (t >= 0) {
    if (multiply_add((uint64_t)t, scale, r, INT64_MAX, &magnitude) != 0)
      return -1;
    *out = (int64_t)magnitude;
    return 0;
  }
  /* t * scale + r = -((|t| - 1) * scale + (scale - r)), down to -2^63. */
  uint64_t down = 0 - (uint64_t)t;
  if (multiply_add(down - 1, scale, scale - r, (uint64_t)INT64_MAX + 1,
                   &magnitude) != 0)
    return -1;
  *out = magnitude > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)magnitude;
  return 0;
}

int wmi_transform_scale(const wmi_result_t *r, int ds_type, value_t *v,
                        char *why, size_t why_len) {
  if (ds_type == DS_TYPE_GAUGE) {
    gauge_t scaled = v->gauge * r->scale + r->shift;
    if (isfinite(scaled)) {
      v->gauge = scaled;
      return 0;
    }
    snprintf(why, why_len, "%g * Scale %g + Shift %g is not a finite number",
             v->gauge, r->scale, r->shift);
    return -1;
  }
  /* Integer data sources: finish checked that both are exact integers. */
  uint64_t scale = (uint64_t)r->scale;
  int64_t shift = (int64_t)r->shift;
  if (ds_type == DS_TYPE_DERIVE) {
    if (scale_signed(v->derive, scale, shift, &v->derive) == 0)
      return 0;
    snprintf(why, why_len,
             "%" PRId64 " * Scale %" PRIu64 " + Shift %" PRId64
             " does not fit a derive (int64)",
             v->derive, scale, shift);
    return -1;
  }
  bool counter = ds_type == DS_TYPE_COUNTER;
  uint64_t in = counter ? (uint64_t)v->counter : (uint64_t)v->absolute, out;
  if (scale_unsigned(in, scale, shift, &out) == 0) {
    if (counter)
      v->counter = out;
    else
      v->absolute = out;
    return 0;
  }
  snprintf(why, why_len,
           "%" PRIu64 " * Scale %" PRIu64 " + Shift %" PRId64
           " does not fit a%s (0 to 2^64 - 1)",
           in, scale, shift, counter ? " counter" : "n absolute");
  return -1;
}

/* A mapped number as a CIM value: see wmi_transform_map. */
static wmi_cim_value_t mapped_value(double number) {
  wmi_cim_value_t v;
  if (fabs(number) <= WMI_SHIFT_INT_MAX && number == floor(number)) {
    v.kind = WMI_CIM_SINT;
    v.u.sint = (int64_t)number;
  } else {
    v.kind = WMI_CIM_REAL;
    v.u.real = number;
  }
  return v;
}

int wmi_transform_map(const wmi_result_t *r, const wmi_cim_value_t *in,
                      wmi_cim_value_t *out, char *why, size_t why_len) {
  *out = *in;
  if (r->value_map_num == 0 || in->kind != WMI_CIM_STRING)
    return 0;
  for (size_t k = 0; k < r->value_map_num; k++) {
    if (strcmp(r->value_map_strings[k], in->u.text) == 0) {
      *out = mapped_value(r->value_map_numbers[k]);
      return 0;
    }
  }
  if (r->has_value_map_default) {
    *out = mapped_value(r->value_map_default);
    return 0;
  }
  snprintf(why, why_len, "\"%s\" is not in \"ValueMap\"", in->u.text);
  return -1;
}
