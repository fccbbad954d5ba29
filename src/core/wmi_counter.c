/* Counter types and their formulas, as Microsoft's counter-type reference
 * gives them (Windows Server 2003 "Counter Types", the WMI SDK's "WMI
 * Performance Counter Types"); numbers checked against mingw-w64's
 * winperf.h. Symbols: N the counter's value, B its <Property>_Base, D the
 * time the type reads (its NEEDS flag names the clock: Timestamp_PerfTime,
 * Timestamp_Sys100NS or Timestamp_Object), F that clock's frequency; 0 the
 * previous sample, 1 this one, dN = N1 - N0 (likewise dB, dD). Each type's
 * formula is its row in counter_types below.
 *
 * What Microsoft leaves open, and how it is decided here:
 * - PERF_PRECISION_*_TIMER: the reference writes "N1 - N0 / D1 - D0" with
 *   D "the private timer" and calls the type a percentage. In WMI that
 *   private timer is the <Property>_Base property (CounterType
 *   PERF_PRECISION_TIMESTAMP, e.g. PercentDiskTime_Base), in the counter's
 *   own units, so the result is 100 * dN / dB, a percent like the
 *   PERF_100NSEC_TIMER it stands in for, and needs no frequency.
 * - Percent timers are NOT capped at 100. PDH caps at 100 unless asked not
 *   to (PDH_FMT_NOCAP100), which hides real readings: a process on several
 *   cores, a disk with several requests in flight (% Disk Time).
 * - The inverse timers (_INV) ARE clamped at 0: the counter and the
 *   timestamp come from two clocks, and rounding between them can make the
 *   idle time of an interval slightly longer than the interval; a negative
 *   busy percentage means nothing. 1 - dN/dD is computed as (dD - dN)/dD,
 *   exact in integers.
 * - A counter that went backwards (a 32-bit PERF_COUNTER_COUNTER wrapping,
 *   a process or service restarting, a counter reset) gives no value for
 *   that interval, never a spike: the wrap cannot be told from a restart.
 *   Likewise a base or time that went backwards.
 * - A zero time or base difference gives no value (not 0): nothing was
 *   measured. Note that Performance Monitor shows 0 for an average
 *   (PERF_AVERAGE_TIMER/BULK) over an interval without operations; here
 *   that interval has no value.
 * - PERF_RAW_FRACTION with a base of 0 gives no value; a value above its
 *   base is shown as is (above 100).
 * - PERF_ELAPSED_TIME with Frequency_Object 0 gives no value (no guess of
 *   a unit), as does a start time later than the object's timestamp.
 * - A frequency is checked (non-zero) only where the formula divides by it.
 * - Arithmetic: differences are taken in uint64, then converted to double
 *   once; raw counts above 2^53 round as any double does.
 * - Not supported (no agreed formula, or no use in WMI): the MULTI timers
 *   (the references disagree on PERF_*_MULTI_TIMER_INV), PERF_COUNTER_TEXT,
 *   PERF_COUNTER_NODATA, PERF_COUNTER_HISTOGRAM_TYPE, PERF_DOUBLE_RAW and
 *   the base types themselves (PERF_*_BASE, PERF_PRECISION_TIMESTAMP). */
#include "wmi_counter.h"

#include <stddef.h>

/* The shape of a formula; several types share one. */
typedef enum {
  FORMULA_RAW,             /* N1 */
  FORMULA_RATE,            /* dN * F / dD */
  FORMULA_TIMER,           /* 100 * dN / dD */
  FORMULA_TIMER_INV,       /* 100 * (dD - dN) / dD, at least 0 */
  FORMULA_PERCENT_OF_BASE, /* 100 * dN / dB */
  FORMULA_AVERAGE_TIMER,   /* dN / F / dB */
  FORMULA_AVERAGE,         /* dN / dB */
  FORMULA_RAW_FRACTION,    /* 100 * N1 / B1 */
  FORMULA_DELTA,           /* dN */
  FORMULA_QUEUELEN,        /* dN / dD */
  FORMULA_ELAPSED,         /* (D1 - N1) / F */
} formula_t;

typedef struct {
  uint32_t type;
  const char *name;
  unsigned needs;
  formula_t formula;
  /* Duplicates "sum" may add its values up: they are amounts. Not so a
   * start time (PERF_ELAPSED_TIME). */
  bool summable;
  /* ObjectsFrom may add several objects' differences (dN, dB) up and
   * apply the formula once to the sums, over the interval dD they share.
   * Not so where a sum means nothing to the formula: the _INV timers
   * (dD - dN counts each object's idle time against one interval) and the
   * PERF_PRECISION_* timers (their base is each object's own clock, not
   * an amount). */
  bool objects;
} counter_type_t;

/* Types as winperf.h composes them (size | type | subtype | time base |
 * delta flags | display), written out as numbers and checked against
 * mingw-w64's winperf.h and the CounterType qualifier's documentation. */
enum {
  BASE = WMI_COUNTER_NEEDS_BASE,
  SYS100NS = WMI_COUNTER_NEEDS_SYS100NS,
  PERFTIME = WMI_COUNTER_NEEDS_PERFTIME,
  OBJTIME = WMI_COUNTER_NEEDS_OBJECT_TIME,
  PREV = WMI_COUNTER_NEEDS_PREVIOUS,
};

static const counter_type_t counter_types[] = {
    {0x00000000u, "PERF_COUNTER_RAWCOUNT_HEX", 0, FORMULA_RAW, true, true},
    {0x00000100u, "PERF_COUNTER_LARGE_RAWCOUNT_HEX", 0, FORMULA_RAW, true,
     true},
    {0x00010000u, "PERF_COUNTER_RAWCOUNT", 0, FORMULA_RAW, true, true},
    {0x00010100u, "PERF_COUNTER_LARGE_RAWCOUNT", 0, FORMULA_RAW, true, true},
    {0x00400400u, "PERF_COUNTER_DELTA", PREV, FORMULA_DELTA, true, true},
    {0x00400500u, "PERF_COUNTER_LARGE_DELTA", PREV, FORMULA_DELTA, true, true},
    {0x00410400u, "PERF_SAMPLE_COUNTER", PERFTIME | PREV, FORMULA_RATE, true,
     true},
    {0x00450400u, "PERF_COUNTER_QUEUELEN_TYPE", PERFTIME | PREV,
     FORMULA_QUEUELEN, true, true},
    {0x00450500u, "PERF_COUNTER_LARGE_QUEUELEN_TYPE", PERFTIME | PREV,
     FORMULA_QUEUELEN, true, true},
    {0x00550500u, "PERF_COUNTER_100NS_QUEUELEN_TYPE", SYS100NS | PREV,
     FORMULA_QUEUELEN, true, true},
    {0x00650500u, "PERF_COUNTER_OBJ_TIME_QUEUELEN_TYPE", OBJTIME | PREV,
     FORMULA_QUEUELEN, true, true},
    {0x10410400u, "PERF_COUNTER_COUNTER", PERFTIME | PREV, FORMULA_RATE, true,
     true},
    {0x10410500u, "PERF_COUNTER_BULK_COUNT", PERFTIME | PREV, FORMULA_RATE,
     true, true},
    {0x20020400u, "PERF_RAW_FRACTION", BASE, FORMULA_RAW_FRACTION, true, true},
    {0x20020500u, "PERF_LARGE_RAW_FRACTION", BASE, FORMULA_RAW_FRACTION, true,
     true},
    {0x20410500u, "PERF_COUNTER_TIMER", PERFTIME | PREV, FORMULA_TIMER, true,
     true},
    {0x20470500u, "PERF_PRECISION_SYSTEM_TIMER", BASE | PREV,
     FORMULA_PERCENT_OF_BASE, true, false},
    {0x20510500u, "PERF_100NSEC_TIMER", SYS100NS | PREV, FORMULA_TIMER, true,
     true},
    {0x20570500u, "PERF_PRECISION_100NS_TIMER", BASE | PREV,
     FORMULA_PERCENT_OF_BASE, true, false},
    {0x20610500u, "PERF_OBJ_TIME_TIMER", OBJTIME | PREV, FORMULA_TIMER, true,
     true},
    {0x20670500u, "PERF_PRECISION_OBJECT_TIMER", BASE | PREV,
     FORMULA_PERCENT_OF_BASE, true, false},
    {0x20C20400u, "PERF_SAMPLE_FRACTION", BASE | PREV, FORMULA_PERCENT_OF_BASE,
     true, true},
    {0x21410500u, "PERF_COUNTER_TIMER_INV", PERFTIME | PREV, FORMULA_TIMER_INV,
     true, false},
    {0x21510500u, "PERF_100NSEC_TIMER_INV", SYS100NS | PREV, FORMULA_TIMER_INV,
     true, false},
    {0x30020400u, "PERF_AVERAGE_TIMER", BASE | PERFTIME | PREV,
     FORMULA_AVERAGE_TIMER, true, true},
    {0x30240500u, "PERF_ELAPSED_TIME", OBJTIME, FORMULA_ELAPSED, false, false},
    {0x40020500u, "PERF_AVERAGE_BULK", BASE | PREV, FORMULA_AVERAGE, true,
     true},
};

#define COUNTER_TYPES_NUM (sizeof(counter_types) / sizeof(counter_types[0]))

static const counter_type_t *counter_type_of(uint32_t type) {
  for (size_t i = 0; i < COUNTER_TYPES_NUM; i++)
    if (counter_types[i].type == type)
      return &counter_types[i];
  return NULL;
}

static char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool same_name(const char *a, const char *b) {
  for (; *a != '\0' && *b != '\0'; a++, b++)
    if (ascii_upper(*a) != ascii_upper(*b))
      return false;
  return *a == *b;
}

bool wmi_counter_type_by_name(const char *name, uint32_t *type) {
  if (name == NULL)
    return false;
  for (size_t i = 0; i < COUNTER_TYPES_NUM; i++) {
    if (same_name(name, counter_types[i].name)) {
      if (type != NULL)
        *type = counter_types[i].type;
      return true;
    }
  }
  return false;
}

const char *wmi_counter_type_name(uint32_t type) {
  const counter_type_t *ct = counter_type_of(type);
  return ct != NULL ? ct->name : NULL;
}

bool wmi_counter_sums(uint32_t type) {
  const counter_type_t *ct = counter_type_of(type);
  return ct != NULL && ct->summable;
}

bool wmi_counter_adds_objects(uint32_t type) {
  const counter_type_t *ct = counter_type_of(type);
  return ct != NULL && ct->objects;
}

unsigned wmi_counter_needs(uint32_t type) {
  const counter_type_t *ct = counter_type_of(type);
  return ct != NULL ? ct->needs : 0;
}

static bool formula_uses_time(formula_t f) {
  /* PERF_AVERAGE_TIMER reads only F of its PerfTime pair. */
  return f == FORMULA_RATE || f == FORMULA_TIMER || f == FORMULA_TIMER_INV ||
         f == FORMULA_QUEUELEN || f == FORMULA_ELAPSED;
}

static bool formula_uses_frequency(formula_t f) {
  return f == FORMULA_RATE || f == FORMULA_AVERAGE_TIMER ||
         f == FORMULA_ELAPSED;
}

bool wmi_counter_reads_time(uint32_t type) {
  const counter_type_t *ct = counter_type_of(type);
  return ct != NULL && formula_uses_time(ct->formula);
}

bool wmi_counter_reads_frequency(uint32_t type) {
  const counter_type_t *ct = counter_type_of(type);
  return ct != NULL && formula_uses_frequency(ct->formula);
}

/* The differences of a pair of samples, each checked to be positive (the
 * value's may be 0). NULL when they are usable, else the reason. */
static const char *differences(const counter_type_t *ct,
                               const wmi_counter_sample_t *prev,
                               const wmi_counter_sample_t *cur, uint64_t *dn,
                               uint64_t *dd, uint64_t *db) {
  if (prev == NULL)
    return "no previous sample";
  if (cur->value < prev->value)
    return "value went backwards";
  *dn = cur->value - prev->value;
  if (formula_uses_time(ct->formula)) {
    if (cur->time < prev->time)
      return "time went backwards";
    if (cur->time == prev->time)
      return "zero time interval";
    *dd = cur->time - prev->time;
  }
  if (ct->needs & WMI_COUNTER_NEEDS_BASE) {
    if (cur->base < prev->base)
      return "base went backwards";
    if (cur->base == prev->base)
      return "zero base difference";
    *db = cur->base - prev->base;
  }
  return NULL;
}

static const char *cook_single(const counter_type_t *ct,
                               const wmi_counter_sample_t *cur, double *out) {
  switch (ct->formula) {
  case FORMULA_RAW:
    *out = (double)cur->value;
    return NULL;
  case FORMULA_RAW_FRACTION:
    if (cur->base == 0)
      return "zero base";
    *out = 100.0 * (double)cur->value / (double)cur->base;
    return NULL;
  case FORMULA_ELAPSED:
    if (cur->frequency == 0)
      return "zero frequency";
    if (cur->time < cur->value)
      return "start after timestamp";
    *out = (double)(cur->time - cur->value) / (double)cur->frequency;
    return NULL;
  default:
    return "unsupported counter type";
  }
}

static const char *cook_pair(const counter_type_t *ct,
                             const wmi_counter_sample_t *prev,
                             const wmi_counter_sample_t *cur, double *out) {
  uint64_t dn = 0, dd = 0, db = 0;
  const char *why = differences(ct, prev, cur, &dn, &dd, &db);
  if (why != NULL)
    return why;
  if (formula_uses_frequency(ct->formula) && cur->frequency == 0)
    return "zero frequency";
  const double f = (double)cur->frequency;
  switch (ct->formula) {
  case FORMULA_RATE:
    *out = (double)dn * f / (double)dd;
    return NULL;
  case FORMULA_TIMER:
    *out = 100.0 * (double)dn / (double)dd;
    return NULL;
  case FORMULA_TIMER_INV:
    *out = dn >= dd ? 0.0 : 100.0 * (double)(dd - dn) / (double)dd;
    return NULL;
  case FORMULA_PERCENT_OF_BASE:
    *out = 100.0 * (double)dn / (double)db;
    return NULL;
  case FORMULA_AVERAGE_TIMER:
    *out = (double)dn / f / (double)db;
    return NULL;
  case FORMULA_AVERAGE:
    *out = (double)dn / (double)db;
    return NULL;
  case FORMULA_DELTA:
    *out = (double)dn;
    return NULL;
  case FORMULA_QUEUELEN:
    *out = (double)dn / (double)dd;
    return NULL;
  default:
    return "unsupported counter type";
  }
}

wmi_cook_status_t wmi_counter_difference(uint32_t type,
                                         const wmi_counter_sample_t *prev,
                                         const wmi_counter_sample_t *cur,
                                         wmi_counter_sample_t *out) {
  const counter_type_t *ct = counter_type_of(type);
  if (ct == NULL || cur == NULL || out == NULL)
    return WMI_COOK_NO_VALUE;
  if (!(ct->needs & WMI_COUNTER_NEEDS_PREVIOUS)) {
    *out = *cur;
    return WMI_COOK_OK;
  }
  /* Zero differences are fine here: the sum of an instance's objects is
   * checked when it is cooked. */
  if (prev == NULL || cur->value < prev->value || cur->base < prev->base ||
      cur->time < prev->time)
    return WMI_COOK_NO_VALUE;
  *out = (wmi_counter_sample_t){.value = cur->value - prev->value,
                                .base = cur->base - prev->base,
                                .time = cur->time - prev->time,
                                .frequency = cur->frequency};
  return WMI_COOK_OK;
}

wmi_cook_status_t wmi_counter_cook(uint32_t type,
                                   const wmi_counter_sample_t *prev,
                                   const wmi_counter_sample_t *cur, double *out,
                                   const char **why) {
  const counter_type_t *ct = counter_type_of(type);
  const char *reason;
  double value = 0;
  if (ct == NULL)
    reason = "unsupported counter type";
  else if (cur == NULL || out == NULL)
    reason = "no sample";
  else if (ct->needs & WMI_COUNTER_NEEDS_PREVIOUS)
    reason = cook_pair(ct, prev, cur, &value);
  else
    reason = cook_single(ct, cur, &value);
  if (why != NULL)
    *why = reason != NULL ? reason : "";
  if (reason != NULL)
    return WMI_COOK_NO_VALUE;
  *out = value;
  return WMI_COOK_OK;
}
