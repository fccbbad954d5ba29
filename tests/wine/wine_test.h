/* Helpers for tests that run against Wine's real WMI: direct synchronous
 * queries to compare with, a backend run from stanza text, simulated hosts
 * behind the backend's test seams, and process counters. */
#ifndef WINE_TEST_H
#define WINE_TEST_H

#include "faulty_locator.h"
#include "faulty_services.h"
#include "wmi_backend.h"
#include "wmi_config.h"

#define MAX_ROWS 256

typedef struct {
  char key[128];   /* the key property, as text */
  char value[128]; /* the value property, as text */
} row_t;

/* Runs `wql` synchronously (IWbemServices::ExecQuery) in root\cimv2 and
 * returns the rows' key and value properties as text, or -1. */
int sync_query(const char *wql, const char *key_prop, const char *value_prop,
               row_t *rows, int max_rows);

typedef struct {
  wmi_config_t *config;
  wmi_cache_t *cache;
  wmi_backend_t *backend;
} test_run_t;

/* Parses the stanza and starts the backend with the hooks and bounds of
 * `seams` (its config and cache are filled in here; NULL: no hooks, and
 * shutdown_wait_ms 0 means 5000 here). Returns 0 or -1. */
int test_run_start(test_run_t *run, const char *stanza,
                   const wmi_backend_options_t *seams);
/* The same with Types resolved by `lookup` (e.g. types_file.h's). */
int test_run_start_types(test_run_t *run, const char *stanza,
                         const wmi_backend_options_t *seams,
                         wmi_ds_lookup_fn lookup, void *lookup_ctx);
/* test_run_start_types in two steps, for a test that needs the config
 * before the backend starts: the stanza parsed and finished with `lookup`,
 * and the cache made (-1: nothing is left allocated); then the backend
 * started (-1: the config and cache are freed). */
int test_run_load(test_run_t *run, const char *stanza, wmi_ds_lookup_fn lookup,
                  void *lookup_ctx);
int test_run_begin(test_run_t *run, const wmi_backend_options_t *seams);
/* Stops; returns whether the backend released everything. When it did
 * not, the config and cache are left allocated on purpose. */
bool test_run_stop(test_run_t *run);

/* Polls every 20 ms until job's stats satisfy `done` or `ms` passed. */
bool wait_for_stats(test_run_t *run, size_t job,
                    bool (*done)(const wmi_job_stats_t *), DWORD ms);

/* Takes every waiting result out of the cache and returns the first of
 * `job`, waiting up to `ms` for one (NULL if none came); other results are
 * freed. Free the one returned with wmi_batch_free. */
wmi_batch_t *take_job_within(test_run_t *run, size_t job, DWORD ms);

/* Which connections get a fault-injecting wrapper, and which Host blocks
 * are simulated by the fake locator. */
typedef struct {
  const char *host;   /* a Host block's name */
  fault_plan_t *plan; /* its connections follow this plan */
} sim_wrap_t;

typedef struct {
  locator_plan_t *locator; /* NULL: every host gets the real locator */
  const sim_wrap_t *wraps;
  size_t wraps_num;
  fault_plan_t *wrap_others; /* every other connection; NULL: unwrapped */
} sim_seams_t;

/* Points the locator and services hooks of `options` at `seams`. */
void sim_seams_apply(sim_seams_t *seams, wmi_backend_options_t *options);

/* Threads of this process right now, or -1. */
long count_process_threads(void);

/* Waits up to `ms` for this process's threads to fall to `at_most`, giving
 * Wine's own workers time to end; returns the last count. */
long wait_threads_settle(long at_most, DWORD ms);

#endif
