/* A fault-injecting IWbemServices around Wine's real one, for faults real
 * WMI will not produce on demand: a provider that never answers, a call
 * that fails, a connection that drops. Every other call goes to WMI. */
#ifndef FAULTY_SERVICES_H
#define FAULTY_SERVICES_H

#include <wbemidl.h>

typedef enum {
  FAULT_NONE, /* pass everything through */
  FAULT_HANG, /* ExecQueryAsync keeps the sink and never calls it */
  FAULT_FAIL, /* ExecQueryAsync returns `hr` for the next `count` calls */
} fault_mode_t;

typedef struct {
  fault_mode_t mode;
  HRESULT hr;
  LONG count;
  /* What the wrapper saw (read with Interlocked or after stopping). */
  volatile LONG exec_calls, cancel_calls, held_sinks, wrappers;
} fault_plan_t;

/* Wraps `real` (taking over its reference) following `plan`. */
IWbemServices *faulty_services_wrap(IWbemServices *real, fault_plan_t *plan);

#endif
