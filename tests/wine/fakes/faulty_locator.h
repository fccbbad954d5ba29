/* A fault-injecting IWbemLocator around Wine's real one, for hosts Wine
 * cannot produce: Wine refuses every remote Address at once and its WMI
 * never hangs. A ConnectServer path "\\<address>\<namespace>" whose address
 * is in the plan reaches the LOCAL Wine WMI namespace instead, after an
 * injected delay, or blocks until released, or fails with a chosen
 * HRESULT. A local path naming one of the plan's stand-in namespaces (which
 * Wine lacks, e.g. root\virtualization\v2) connects to root\cimv2 instead,
 * so that a services wrapper (perf_services.h) can serve recorded classes
 * of that namespace. Every other path goes to the real locator. Real
 * ConnectServer calls are made one at a time: Wine's WMI is not safe under
 * many. */
#ifndef FAULTY_LOCATOR_H
#define FAULTY_LOCATOR_H

#include <stdbool.h>
#include <wbemidl.h>

typedef enum {
  SIM_CONNECT_OK,    /* connect to local WMI after delay_ms */
  SIM_CONNECT_BLOCK, /* block block_ms (INFINITE: until released), then hr */
  SIM_CONNECT_FAIL,  /* fail with hr at once */
} sim_connect_t;

typedef struct {
  const char *address; /* compared without case with the path's address */
  sim_connect_t mode;
  DWORD delay_ms;
  DWORD block_ms;
  HRESULT hr; /* 0: RPC_S_SERVER_UNAVAILABLE as an HRESULT */
  /* SIM_CONNECT_OK: the first fail_first connects fail with hr at once, as
   * a host that comes back does (0: none). */
  LONG fail_first;
  volatile LONG connects; /* ConnectServer calls for this address */
} sim_host_t;

typedef struct {
  sim_host_t *hosts; /* borrowed; must outlive every wrapper */
  size_t hosts_num;
  HANDLE released; /* manual-reset: set, every block and delay ends */
  /* Local namespaces connected as root\cimv2, NULL-terminated (NULL: none);
   * borrowed. Compared without case. */
  const char *const *stand_ins;
  CRITICAL_SECTION serial;
  /* What the wrappers saw (read with Interlocked, or once they are gone). */
  volatile LONG connects;          /* ConnectServer calls, all paths */
  volatile LONG sim_connects;      /* of which to simulated hosts */
  volatile LONG real_connects;     /* real ConnectServer calls made */
  volatile LONG stand_in_connects; /* of which for a stand-in namespace */
  volatile LONG blocked;           /* threads inside a block right now */
  volatile LONG wrappers;          /* live locator wrappers */
} locator_plan_t;

/* Prepares `plan` for `hosts` (borrowed). Returns 0, or -1 without an
 * event handle. */
int locator_plan_init(locator_plan_t *plan, sim_host_t *hosts,
                      size_t hosts_num);
/* Ends every block and delay, now and later. */
void locator_plan_release(locator_plan_t *plan);
/* Frees the plan's handles; no wrapper may be left. */
void locator_plan_destroy(locator_plan_t *plan);

/* The plan's entry for `address`, or NULL. */
sim_host_t *locator_plan_find(locator_plan_t *plan, const char *address);

/* Wraps `real` (taking over its reference) following `plan`; `real` itself
 * when out of memory. */
IWbemLocator *faulty_locator_wrap(IWbemLocator *real, locator_plan_t *plan);

/* Waits up to `ms` for plan->blocked to reach 0. */
bool locator_plan_wait_unblocked(locator_plan_t *plan, DWORD ms);

#endif
