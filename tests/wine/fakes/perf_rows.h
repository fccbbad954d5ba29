/* Writing recorded samples for the services wrapper (perf_services.h) as
 * static data: one property a line, an object from an array of them, a
 * run from an array of objects, and the CounterType values of winperf.h.
 * For recordings only (perf_recordings.c, tests/wine/test_pack_*.c). */
#ifndef PERF_ROWS_H
#define PERF_ROWS_H

#include "perf_services.h"

#define U64(name, text)                                                        \
  { name, CIM_UINT64, text }
#define U32(name, text)                                                        \
  { name, CIM_UINT32, text }
#define U16(name, text)                                                        \
  { name, CIM_UINT16, text }
#define STR(name, text)                                                        \
  { name, CIM_STRING, text }
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define OBJECT(props)                                                          \
  { props, COUNT(props) }
#define RUN(objects)                                                           \
  { objects, COUNT(objects) }

/* winperf.h */
#define PERF_COUNTER_RAWCOUNT 65536u
#define PERF_COUNTER_LARGE_RAWCOUNT 65792u
#define PERF_COUNTER_COUNTER 272696320u
#define PERF_COUNTER_BULK_COUNT 272696576u
#define PERF_RAW_FRACTION 537003008u
#define PERF_100NSEC_TIMER 542180608u
#define PERF_PRECISION_100NS_TIMER 542573824u
#define PERF_100NSEC_TIMER_INV 558957824u
#define PERF_AVERAGE_TIMER 805438464u
#define PERF_ELAPSED_TIME 807666944u
#define PERF_AVERAGE_BULK 1073874176u
#define PERF_AVERAGE_BASE 1073939458u
#define PERF_RAW_BASE 1073939459u
#define PERF_LARGE_RAW_BASE 1073939712u

#endif
