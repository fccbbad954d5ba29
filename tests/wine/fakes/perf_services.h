/* A services wrapper that serves recorded Win32_PerfRawData_* samples.
 *
 * Wine 8 has no Win32_PerfRawData_* classes at all (GetObject answers
 * WBEM_E_NOT_FOUND, a query succeeds with no objects) and cannot carry
 * values of our choosing in its own objects (Put on a spawned instance
 * fails), so the wrapper makes its own class objects and instances from
 * recorded samples (perf_object.h), with CounterType qualifiers, and
 * passes everything else to the real services it wraps. */
#ifndef PERF_SERVICES_H
#define PERF_SERVICES_H

#include <stddef.h>
#include <stdint.h>
#include <wbemidl.h>

/* One property of a recorded object. `text` is the value as written:
 * uint64/sint64 (and strings, datetimes) as text, which WMI sends as
 * VT_BSTR; uint32/sint32 as decimal, sent as VT_I4 (a uint32 above
 * INT32_MAX arrives negative, as from WMI); boolean as "true"/"false";
 * real32/real64 as decimal. NULL text: VT_NULL. */
typedef struct {
  const char *name;
  CIMTYPE type;
  const char *text;
} perf_property_t;

typedef struct {
  const perf_property_t *properties;
  size_t num;
} perf_object_t;

/* One query run's objects, in the order they are delivered. */
typedef struct {
  const perf_object_t *objects;
  size_t num;
} perf_run_t;

/* A property's CounterType qualifier (winperf.h's PERF_* value). */
typedef struct {
  const char *name;
  uint32_t counter_type;
} perf_qualifier_t;

typedef struct {
  const char *class_name; /* e.g. "Win32_PerfRawData_PerfOS_Processor" */
  /* The class's properties are those of its objects (in the order first
   * met); a qualifier naming no object's property adds one (uint64). */
  const perf_qualifier_t *qualifiers;
  size_t qualifiers_num;
  /* Run k of a query (same statement text) gets runs[min(k, runs_num-1)];
   * runs_num 0: every run returns no objects. */
  const perf_run_t *runs;
  size_t runs_num;
  /* A recorded call completes no sooner than this after it was made (0:
   * at once), so that a test can cancel it while it is pending. */
  unsigned delay_ms;
} perf_recording_t;

#define PERF_MAX_RECORDINGS 16
#define PERF_MAX_QUERIES 32 /* distinct statements counted in runs */
#define PERF_CONTEXT_NONE (-1L)

/* What the wrappers saw. Init it before wrapping, destroy it after the
 * last wrapper and the last object handed out are gone; read the counts
 * with Interlocked calls (or when nothing runs). */
typedef struct {
  CRITICAL_SECTION lock; /* guards queries[] */
  /* Per recording, by its index in the array given to the wrapper:
   * GetObject + GetObjectAsync calls, and ExecQueryAsync calls. */
  volatile LONG get_object[PERF_MAX_RECORDINGS];
  volatile LONG exec_query[PERF_MAX_RECORDINGS];
  /* Calls of these three kinds for other classes, passed to WMI. */
  volatile LONG passed_through;
  /* The context of the last GetObject, GetObjectAsync or ExecQueryAsync
   * (recorded class or not): each value and its VARTYPE, or
   * PERF_CONTEXT_NONE when that call had no context or no such value.
   * For __RequiredArchitecture the value is 1 for VARIANT_TRUE, 0 for
   * VARIANT_FALSE. */
  volatile LONG provider_architecture, provider_architecture_vt;
  volatile LONG required_architecture, required_architecture_vt;
  volatile LONG calls_with_context, calls_without_context;
  /* Recorded calls cancelled while pending (SetStatus sent with
   * WBEM_E_CALL_CANCELLED) and cancelled after they completed. */
  volatile LONG cancelled_pending, cancelled_completed;
  /* Live things, for leak checks: wrappers, recorded calls whose worker
   * thread has not ended, objects and qualifier sets handed out. */
  volatile LONG wrappers, workers, objects;
  /* Runs counted per recording and statement text (guarded by lock). */
  struct {
    const perf_recording_t *recording;
    wchar_t statement[512];
    LONG runs;
  } queries[PERF_MAX_QUERIES];
  size_t queries_num;
} perf_stats_t;

void perf_stats_init(perf_stats_t *stats);
void perf_stats_destroy(perf_stats_t *stats);

/* Waits up to `ms` for every recorded call's worker to end. */
BOOL perf_stats_wait_workers(perf_stats_t *stats, DWORD ms);

/* Wraps `real` (taking over its reference). For a recorded class, named
 * case-insensitively in the statement's FROM or the object path:
 *   - GetObject and GetObjectAsync give a class object (__GENUS 1) whose
 *     property qualifier sets answer CounterType as recorded (VT_I4);
 *   - ExecQueryAsync delivers the next run's objects from a thread of its
 *     own: one Indicate with all of them (none for an empty run), then
 *     SetStatus(WBEM_STATUS_COMPLETE, S_OK), as WMI does. Properties the
 *     SELECT list does not name (except the key, Name) are VT_NULL, as in
 *     WMI's partial instances; a WHERE clause is ignored;
 *   - CancelAsyncCall on such a call: before completion sends
 *     SetStatus(WBEM_STATUS_COMPLETE, WBEM_E_CALL_CANCELLED) once and
 *     returns S_OK; while its objects are being delivered waits for the
 *     delivery to end; after completion returns S_OK. The call is then
 *     forgotten.
 * Everything else, and other classes, go to `real`. `recordings` (at most
 * PERF_MAX_RECORDINGS, static data: objects point into it) and `stats`
 * must outlive the wrapper and every object it handed out. Releasing the
 * wrapper cancels its pending recorded calls, as WMI does when a client
 * disconnects. Returns `real` itself when out of memory. */
IWbemServices *perf_services_wrap(IWbemServices *real,
                                  const perf_recording_t *const *recordings,
                                  size_t num, perf_stats_t *stats);

#endif
