/* Windows performance counter types and their formulas: what turns the raw
 * values of a Win32_PerfRawData_* class into what Performance Monitor shows.
 * Portable: the caller reads the properties (COM) and passes plain numbers.
 *
 * Types are the Windows numbers (winperf.h, the value of a property's
 * CounterType qualifier), checked against mingw-w64's winperf.h. Formulas
 * follow Microsoft's counter-type reference (Windows Server 2003 "Counter
 * Types", the WMI SDK's "WMI Performance Counter Types"). Symbols: N the
 * counter's value, B its <Property>_Base, D the time the type reads (see the
 * NEEDS flags), F that time's frequency; 0 the previous sample, 1 this one.
 *
 *   PERF_COUNTER_RAWCOUNT, _RAWCOUNT_HEX,
 *   PERF_COUNTER_LARGE_RAWCOUNT, _LARGE_RAWCOUNT_HEX   N1
 *   PERF_COUNTER_COUNTER, PERF_COUNTER_BULK_COUNT,
 *   PERF_SAMPLE_COUNTER            (N1 - N0) * F / (D1 - D0)    PerfTime
 *   PERF_COUNTER_TIMER             100 * (N1 - N0) / (D1 - D0)  PerfTime
 *   PERF_COUNTER_TIMER_INV         100 * (1 - (N1 - N0) / (D1 - D0))
 *   PERF_100NSEC_TIMER             100 * (N1 - N0) / (D1 - D0)  Sys100NS
 *   PERF_100NSEC_TIMER_INV         100 * (1 - (N1 - N0) / (D1 - D0))
 *   PERF_OBJ_TIME_TIMER            100 * (N1 - N0) / (D1 - D0)  Object
 *   PERF_PRECISION_SYSTEM_TIMER, PERF_PRECISION_100NS_TIMER,
 *   PERF_PRECISION_OBJECT_TIMER    100 * (N1 - N0) / (B1 - B0)
 *   PERF_AVERAGE_TIMER             (N1 - N0) / F / (B1 - B0)    F: PerfTime
 *   PERF_AVERAGE_BULK              (N1 - N0) / (B1 - B0)
 *   PERF_RAW_FRACTION, PERF_LARGE_RAW_FRACTION   100 * N1 / B1
 *   PERF_SAMPLE_FRACTION           100 * (N1 - N0) / (B1 - B0)
 *   PERF_COUNTER_DELTA, PERF_COUNTER_LARGE_DELTA N1 - N0
 *   PERF_COUNTER_QUEUELEN_TYPE, _LARGE_QUEUELEN_TYPE
 *                                  (N1 - N0) / (D1 - D0)        PerfTime
 *   PERF_COUNTER_100NS_QUEUELEN_TYPE      same, D: Sys100NS
 *   PERF_COUNTER_OBJ_TIME_QUEUELEN_TYPE   same, D: Object
 *   PERF_ELAPSED_TIME              (D1 - N1) / F                Object
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
#ifndef WMI_COUNTER_H
#define WMI_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

/* What a counter type needs besides the counter's own value N. */
enum {
  WMI_COUNTER_NEEDS_BASE = 1,        /* <Property>_Base, B */
  WMI_COUNTER_NEEDS_SYS100NS = 2,    /* Timestamp_Sys100NS as the time D */
  WMI_COUNTER_NEEDS_PERFTIME = 4,    /* Timestamp_PerfTime as D,
                                        Frequency_PerfTime as F */
  WMI_COUNTER_NEEDS_OBJECT_TIME = 8, /* Timestamp_Object as D,
                                        Frequency_Object as F */
  WMI_COUNTER_NEEDS_PREVIOUS = 16,   /* two samples: a difference over an
                                        interval */
};

/* One instance's raw reading of one counter. Fields a type does not need
 * are ignored. For SYS100NS types `frequency` is unused (the clock is
 * 10 MHz by definition). */
typedef struct {
  uint64_t value, base, time, frequency;
} wmi_counter_sample_t;

typedef enum { WMI_COOK_OK, WMI_COOK_NO_VALUE } wmi_cook_status_t;

/* The type named `name` ("PERF_100NSEC_TIMER_INV"), compared without regard
 * to ASCII case, as collectd options are usually written in any case.
 * Only supported types are found: false for an unknown or unsupported name
 * (then *type is left alone). */
bool wmi_counter_type_by_name(const char *name, uint32_t *type);

/* The canonical (upper-case) name of a supported type; NULL when `type` is
 * not supported. This is the test of support. */
const char *wmi_counter_type_name(uint32_t type);

/* The WMI_COUNTER_NEEDS_* flags of `type`. 0 both for the raw counts
 * (which need nothing else) and for unsupported types: ask
 * wmi_counter_type_name to tell them apart. */
unsigned wmi_counter_needs(uint32_t type);

/* Whether the formula of `type` reads the time D, and its frequency F, of
 * the clock its NEEDS flags name: PERF_AVERAGE_TIMER reads only
 * Frequency_PerfTime, PERF_COUNTER_TIMER and the queue lengths only the
 * timestamp. A property the formula does not read need not be selected. */
bool wmi_counter_reads_time(uint32_t type);
bool wmi_counter_reads_frequency(uint32_t type);

/* Cooks `cur` against `prev` (NULL: the first sample of this instance) by
 * the formula of `type` into *out. WMI_COOK_NO_VALUE (*out untouched),
 * never a spike, when: the type is not supported; prev is needed but NULL;
 * a value, base or time went backwards (wrap, restart); the time or base
 * difference is 0; a frequency the formula divides by is 0; a raw
 * fraction's base is 0. *why (may be NULL) gets a short static reason,
 * for tests and logs ("" on success). */
wmi_cook_status_t wmi_counter_cook(uint32_t type,
                                   const wmi_counter_sample_t *prev,
                                   const wmi_counter_sample_t *cur, double *out,
                                   const char **why);

#endif
