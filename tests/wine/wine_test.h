/* Helpers for tests that run against Wine's real WMI: direct synchronous
 * queries to compare with, and a backend run from stanza text. */
#ifndef WINE_TEST_H
#define WINE_TEST_H

#include "wmi_backend.h"

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

/* Parses the stanza, starts the backend (with `hook` around each
 * connection when not NULL). Returns 0 or -1. */
int test_run_start(test_run_t *run, const char *stanza,
                   wmi_services_hook_fn hook, void *hook_ctx);
/* Stops; returns whether the backend released everything. */
bool test_run_stop(test_run_t *run);

/* Polls every 20 ms until job's stats satisfy `done` or `ms` passed. */
bool wait_for_stats(test_run_t *run, size_t job,
                    bool (*done)(const wmi_job_stats_t *), DWORD ms);

#endif
