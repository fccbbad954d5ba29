/* What a counter type asks of the query that reads it: the properties it
 * reads besides the counter, and whether a Result can use it at all. The
 * one check of a Result's counter type, made at config time for an
 * explicit CounterType (wmi_config_finish.c) and at run time for
 * CounterType "auto" (wmi_cook.c), each caller wording its own message.
 * Pure functions: any thread. */
#ifndef WMI_COUNTER_CHECK_H
#define WMI_COUNTER_CHECK_H

#include "wmi_counter.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest property name a counter type needs: "<ValuesFrom>_Base". */
#define WMI_PROPERTY_MAX 256

/* The k-th property (from 0) that counter `type` of ValuesFrom `property`
 * reads besides the property itself, into out: its base first, then
 * time, then frequency. Returns -1 past the last. */
int wmi_counter_property(uint32_t type, const char *property, size_t k,
                         char *out, size_t len);

typedef enum {
  WMI_COUNTER_USABLE,
  WMI_COUNTER_UNSUPPORTED,    /* no formula for this type */
  WMI_COUNTER_NOT_SUMMABLE,   /* Duplicates "sum", and its values are not
                                 amounts */
  WMI_COUNTER_NOT_PER_OBJECT, /* ObjectsFrom, and its objects' differences
                                 cannot be added up before the formula */
  WMI_COUNTER_UNSELECTED,     /* the Statement does not select a property
                                 the type reads: its name is in `missing` */
} wmi_counter_problem_t;

/* Checks, in this order, that counter `type` is supported, that its values
 * may be added up when `sum` (Duplicates "sum"), that its objects'
 * differences may be added up when `objects` (ObjectsFrom), and that
 * `statement`
 * selects every property it reads for ValuesFrom `property`. Returns the
 * first problem found, WMI_COUNTER_USABLE when none. `missing` (len
 * bytes, WMI_PROPERTY_MAX is enough) is the caller's; it is written to. */
wmi_counter_problem_t wmi_counter_check(uint32_t type, const char *property,
                                        const char *statement, bool sum,
                                        bool objects, char *missing,
                                        size_t len);

#endif
