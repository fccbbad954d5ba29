/* A fault-injecting IWbemServices around Wine's real one, for faults real
 * WMI will not produce on demand: a provider that never answers, a call
 * that fails, a connection that drops, a call or a cancel that blocks its
 * caller (a remote host that stopped answering mid-call), the latency of a
 * network round trip. Every other call goes to WMI. */
#ifndef FAULTY_SERVICES_H
#define FAULTY_SERVICES_H

#include <wbemidl.h>

typedef enum {
  FAULT_NONE, /* pass everything through */
  FAULT_HANG, /* ExecQueryAsync keeps the sink and never calls it */
  FAULT_FAIL, /* ExecQueryAsync returns `hr` for the next `count` calls */
  /* ExecQueryAsync blocks its caller for block_ms (INFINITE: until
   * released); a call that waited its time out goes on to WMI, a released
   * one fails with WBEM_E_CALL_CANCELLED. */
  FAULT_BLOCK_EXEC,
  /* ExecQueryAsync keeps the sink as FAULT_HANG does; CancelAsyncCall then
   * blocks its caller for block_ms (INFINITE: until released) before it
   * lets the sink go. */
  FAULT_BLOCK_CANCEL,
} fault_mode_t;

typedef struct {
  fault_mode_t mode;
  HRESULT hr;
  LONG count;
  DWORD block_ms;
  /* Every ExecQueryAsync first waits this long on its caller's thread, as
   * a remote host's round trip would (0: none). */
  DWORD delay_ms;
  /* Manual-reset event that ends every block and delay (fault_plan_init
   * makes it). Without one, a block of INFINITE never ends. */
  HANDLE released;
  /* Optional semaphore: a call that reaches WMI takes a unit, given back
   * when its run completes or its sink is released. It bounds the queries
   * running inside Wine's WMI at once, which crashes under many. */
  HANDLE gate;
  /* A call that reaches WMI returns at once, but its completion reaches
   * the caller's sink no sooner than this long after ExecQueryAsync was
   * entered (0: as WMI sends it): the call stays in flight, as a slow
   * provider's or a remote host's would. Ends early when released. The
   * gate's unit is given back when WMI's own part is done. */
  DWORD late_ms;
  /* What the wrapper saw (read with Interlocked or after stopping). */
  volatile LONG exec_calls, cancel_calls, held_sinks, wrappers;
  /* Calls that reach WMI while there is a gate or late_ms, counted from
   * then (after delay_ms) until their completion is handed to the caller's
   * sink or the caller cancels them: now, and the most at once. */
  volatile LONG in_flight, max_in_flight;
  volatile LONG blocked;     /* callers inside a block right now */
  volatile LONG gated_sinks; /* gate sinks not yet released by WMI */
} fault_plan_t;

/* Zeroes `plan`, sets its mode and makes its release event. Returns 0, or
 * -1 without one. */
int fault_plan_init(fault_plan_t *plan, fault_mode_t mode);
/* Ends every block and delay, now and later. */
void fault_plan_release(fault_plan_t *plan);
/* Closes the plan's event (not the gate, which the caller owns). */
void fault_plan_destroy(fault_plan_t *plan);
/* Waits up to `ms` for plan->blocked to reach 0. */
BOOL fault_plan_wait_unblocked(fault_plan_t *plan, DWORD ms);

/* Wraps `real` (taking over its reference) following `plan`, which must
 * outlive the wrapper; `real` itself when out of memory. */
IWbemServices *faulty_services_wrap(IWbemServices *real, fault_plan_t *plan);

#endif
