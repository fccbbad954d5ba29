/* A query pack (conf/packs/<name>.conf) through the real engine: the
 * pack's own file, parsed as collectd hands it to the plugin, its Types
 * resolved with collectd's types.db, the chosen queries run on a local
 * Host against Wine's WMI wrapped by the recorded-samples services
 * (perf_services.h), and each run's samples checked against values worked
 * out by hand. One test program per pack: tests/wine/test_pack_<name>.c. */
#ifndef PACK_TEST_H
#define PACK_TEST_H

#include "perf_services.h"

#include <stddef.h>

typedef struct {
  const char *query;           /* the Query's name */
  size_t run;                  /* 0: its first completed run */
  const char *type, *instance; /* the sample's type and type instance */
  double want;                 /* NAN: the sample must be there, no value */
  const char *why;             /* the arithmetic, shown on failure */
  unsigned ds;                 /* which data source of the type (0: first) */
} pack_expect_t;

typedef struct {
  const char *pack;           /* file name in conf/packs, e.g. "iis.conf" */
  const char *const *queries; /* the queries to run, NULL-terminated */
  const perf_recording_t *const *recordings; /* served for their classes */
  size_t recordings_num;
  size_t runs; /* completed runs to collect of every query (at most 8) */
  const pack_expect_t *expected;
  size_t expected_num;
  /* "type-instance" identifiers (or "type" without an instance) that no
   * run of any query may give, NULL-terminated; may be NULL. */
  const char *const *absent;
  /* Namespaces other than root\cimv2 that the queries name and Wine lacks
   * (e.g. "root\\virtualization\\v2"), NULL-terminated; may be NULL. The
   * connection to one is made to root\cimv2 underneath (faulty_locator.h's
   * stand-ins), so that the recordings are served for its classes too. */
  const char *const *namespaces;
} pack_case_t;

/* Runs the case and adds its checks to *passed and *failed; printing
 * each failure. Use pack_test_run (with unit.h included first). */
void pack_test_run_counted(const pack_case_t *c, int *passed, int *failed);

#ifdef UNIT_H
#define pack_test_run(c) pack_test_run_counted((c), &unit_passed, &unit_failed)

/* A pack test program's main: COM for the process, each of the `num`
 * cases run in turn, then unit.h's summary under `suite`. */
static inline int pack_test_main(const pack_case_t *cases, size_t num,
                                 const char *suite) {
  unit_case = "COM";
  CHECK(SUCCEEDED(CoInitializeEx(NULL, COINIT_MULTITHREADED)), "COM");
  for (size_t i = 0; i < num; i++)
    pack_test_run(&cases[i]);
  CoUninitialize();
  return unit_summary(suite);
}
#endif

#endif
