/* Windows performance counter types and their formulas: what turns the raw
 * values of a Win32_PerfRawData_* class into what Performance Monitor shows.
 * Portable: the caller reads the properties (COM) and passes plain numbers.
 * Types are the Windows numbers (winperf.h, the value of a property's
 * CounterType qualifier). Each supported type's formula, and how this
 * module decides what Microsoft's references leave open, are written once,
 * in wmi_counter.c beside the table and the code that apply them. Every
 * function here is pure: any thread. */
#ifndef WMI_COUNTER_H
#define WMI_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

/* What a counter type needs besides the counter's own value N. B, D and F
 * are the formulas' symbols (wmi_counter.c). */
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

/* Whether values of counter `type` may be added up (Duplicates "sum"):
 * false for an unsupported type, and for a type whose values are not
 * amounts (PERF_ELAPSED_TIME's are start times). */
bool wmi_counter_sums(uint32_t type);

/* Whether the differences of several objects of counter `type` may be
 * added up and cooked once (ObjectsFrom, wmi_counter_difference): false
 * for an unsupported type, for PERF_ELAPSED_TIME, the _INV timers and the
 * PERF_PRECISION_* timers (wmi_counter.c says why). */
bool wmi_counter_adds_objects(uint32_t type);

/* One object's part of a sum of objects, in *out: for a type that reads
 * two samples, its differences since `prev` (value dN, base dB, time dD,
 * frequency of `cur`), any of which may be 0; for the others `cur` itself.
 * Such parts add up field by field (the time, shared by the objects of a
 * run, is taken once), and the sum cooks by wmi_counter_cook against a
 * zero `prev` (for the two-sample types) as one object would.
 * WMI_COOK_NO_VALUE (*out untouched) when the type is not supported, prev
 * is needed but NULL, or a value, base or time went backwards. */
wmi_cook_status_t wmi_counter_difference(uint32_t type,
                                         const wmi_counter_sample_t *prev,
                                         const wmi_counter_sample_t *cur,
                                         wmi_counter_sample_t *out);

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
