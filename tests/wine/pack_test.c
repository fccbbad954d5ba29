#include "pack_test.h"

#include "types_file.h"
#include "unit.h"
#include "wine_test.h"
#include "wmi_batch.h"
#include "wmi_cache.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_RUNS 8
#define MAX_JOBS 32

static perf_stats_t perf;
static const pack_case_t *current;

static IWbemLocator *stand_in_locator(void *ctx, const wmi_host_t *host,
                                      IWbemLocator *real) {
  (void)host;
  return faulty_locator_wrap(real, ctx);
}

static IWbemServices *wrap_services(void *ctx, const wmi_host_t *host,
                                    const char *wmi_namespace,
                                    IWbemServices *real) {
  (void)ctx, (void)host, (void)wmi_namespace;
  return perf_services_wrap(real, current->recordings, current->recordings_num,
                            &perf);
}

/* SRCDIR/path as a Windows path Wine opens (Z: is the Unix root). */
static void source_path(const char *path, char *out, size_t len) {
  const char *top = getenv("SRCDIR");
  snprintf(out, len, "%s%s/%s", top && top[0] == '/' ? "Z:" : "",
           top ? top : ".", path);
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (text != NULL && fread(text, 1, (size_t)len, f) != (size_t)len) {
    free(text);
    text = NULL;
  }
  if (text != NULL)
    text[len] = '\0';
  fclose(f);
  return text;
}

/* The pack's text as the content of its <Plugin wmi> block (the lines
 * "<Plugin wmi>", "</Plugin>" and the baseline's "LoadPlugin" dropped),
 * then a Host running `queries`
 * every 0.3 s, one query at a time. */
static char *stanza_of(const char *pack, const char *const *queries) {
  size_t len = strlen(pack), cap = len + 256;
  for (const char *const *q = queries; *q; q++)
    cap += strlen(*q) + 3;
  char *out = malloc(cap), *o = out;
  if (out == NULL)
    return NULL;
  for (const char *line = pack; *line;) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
    const char *word = line + strspn(line, " \t");
    if (_strnicmp(word, "<Plugin", 7) != 0 &&
        _strnicmp(word, "</Plugin>", 9) != 0 &&
        _strnicmp(word, "LoadPlugin", 10) != 0) {
      memcpy(o, line, n);
      o += n;
    }
    line += n;
  }
  o += sprintf(o, "\n<Host \"local\">\nInterval 0.3\nMaxConcurrentQueries "
                  "1\nQuery");
  for (const char *const *q = queries; *q; q++)
    o += sprintf(o, " \"%s\"", *q);
  sprintf(o, "\n</Host>\n");
  return out;
}

typedef struct {
  wmi_batch_t *batches[MAX_JOBS][MAX_RUNS];
  size_t num[MAX_JOBS];
} runs_t;

static size_t job_of(const wmi_config_t *cfg, const char *query) {
  for (size_t j = 0; j < cfg->jobs_num && j < MAX_JOBS; j++)
    if (strcmp(cfg->jobs[j].query->name, query) == 0)
      return j;
  return SIZE_MAX;
}

static void collect(test_run_t *run, runs_t *r, size_t want, DWORD ms) {
  size_t jobs =
      run->config->jobs_num < MAX_JOBS ? run->config->jobs_num : MAX_JOBS;
  for (DWORD waited = 0; waited < ms; waited += 20) {
    wmi_batch_t *next;
    for (wmi_batch_t *b = wmi_cache_take(run->cache, NULL); b; b = next) {
      next = b->next;
      b->next = NULL;
      if (b->job < jobs && r->num[b->job] < want)
        r->batches[b->job][r->num[b->job]++] = b;
      else
        wmi_batch_free(b);
    }
    bool all = true;
    for (size_t j = 0; j < jobs; j++)
      all = all && r->num[j] == want;
    if (all)
      return;
    Sleep(20);
  }
}

static double value_at(const wmi_sample_t *s, unsigned ds) {
  if (ds >= s->result->values_from_num)
    return NAN;
  const value_t *v = &s->values[ds];
  switch (s->result->ds_types[ds]) {
  case DS_TYPE_GAUGE:
    return v->gauge;
  case DS_TYPE_DERIVE:
    return (double)v->derive;
  case DS_TYPE_COUNTER:
    return (double)v->counter;
  default:
    return (double)v->absolute;
  }
}

static bool close_to(double got, double want) {
  return fabs(got - want) <= 1e-9 * fabs(want) + 1e-12;
}

static bool identifier_is(const wmi_sample_t *s, const char *id) {
  char have[2 * DATA_MAX_NAME_LEN + 2];
  if (s->type_instance[0])
    snprintf(have, sizeof(have), "%s-%s", s->result->type, s->type_instance);
  else
    snprintf(have, sizeof(have), "%s", s->result->type);
  return strcmp(have, id) == 0;
}

static void check_expected(const pack_case_t *c, const wmi_config_t *cfg,
                           const runs_t *r) {
  for (size_t i = 0; i < c->expected_num; i++) {
    const pack_expect_t *e = &c->expected[i];
    unit_case = e->why;
    size_t job = job_of(cfg, e->query);
    const wmi_batch_t *b = job != SIZE_MAX && e->run < r->num[job]
                               ? r->batches[job][e->run]
                               : NULL;
    const wmi_sample_t *s = b ? wmi_batch_find(b, e->type, e->instance) : NULL;
    double got = s ? value_at(s, e->ds) : NAN;
    if (isnan(e->want))
      CHECK(b != NULL && isnan(got), "%s run %zu %s-%s: %.17g, want none",
            e->query, e->run, e->type, e->instance, got);
    else
      CHECK(close_to(got, e->want), "%s run %zu %s-%s: %.17g, want %.17g",
            e->query, e->run, e->type, e->instance, got, e->want);
  }
}

static void check_absent(const pack_case_t *c, const wmi_config_t *cfg,
                         const runs_t *r) {
  for (const char *const *id = c->absent; id && *id; id++) {
    unit_case = *id;
    size_t seen = 0;
    for (size_t j = 0; j < cfg->jobs_num && j < MAX_JOBS; j++)
      for (size_t k = 0; k < r->num[j]; k++)
        for (size_t i = 0; i < r->batches[j][k]->samples_num; i++)
          seen += identifier_is(&r->batches[j][k]->samples[i], *id);
    CHECK(seen == 0, "%s given %zu times", *id, seen);
  }
}

static void run_case(const pack_case_t *c, types_file_t *types) {
  char path[4096];
  source_path("conf/packs/", path, sizeof(path));
  strncat(path, c->pack, sizeof(path) - strlen(path) - 1);
  char *pack = read_all(path);
  CHECK(pack != NULL, "cannot read %s", path);
  char *stanza = pack ? stanza_of(pack, c->queries) : NULL;
  free(pack);
  if (stanza == NULL)
    return;
  current = c;
  perf_stats_init(&perf);
  wmi_backend_options_t hooks = {.services_hook = wrap_services};
  locator_plan_t plan;
  bool stand_ins = c->namespaces && locator_plan_init(&plan, NULL, 0) == 0;
  if (stand_ins) {
    plan.stand_ins = c->namespaces;
    hooks.locator_hook = stand_in_locator;
    hooks.hook_ctx = &plan;
  }
  test_run_t run;
  int st = test_run_start_types(&run, stanza, &hooks, types_file_lookup, types);
  free(stanza);
  CHECK(st == 0, "%s: the pack's queries start (types.db, parser)", c->pack);
  if (st == 0) {
    size_t want = c->runs < MAX_RUNS ? c->runs : MAX_RUNS;
    runs_t r = {0};
    collect(&run, &r, want, 30000);
    for (const char *const *q = c->queries; *q; q++) {
      unit_case = *q;
      size_t job = job_of(run.config, *q);
      CHECK(job != SIZE_MAX && r.num[job] == want,
            "%s: Query \"%s\" completed %zu of %zu runs", c->pack, *q,
            job != SIZE_MAX ? r.num[job] : 0, want);
    }
    check_expected(c, run.config, &r);
    check_absent(c, run.config, &r);
    for (size_t j = 0; j < MAX_JOBS; j++)
      for (size_t k = 0; k < r.num[j]; k++)
        wmi_batch_free(r.batches[j][k]);
    unit_case = c->pack;
    CHECK(test_run_stop(&run), "%s: the backend stopped cleanly", c->pack);
  }
  if (stand_ins) {
    CHECK(plan.stand_in_connects > 0 && plan.wrappers == 0,
          "%s: %ld connections to stand-in namespaces, %ld locators left",
          c->pack, plan.stand_in_connects, plan.wrappers);
    if (plan.wrappers == 0)
      locator_plan_destroy(&plan);
  }
  CHECK(perf_stats_wait_workers(&perf, 5000), "recorded calls ended");
  perf_stats_destroy(&perf);
  current = NULL;
}

void pack_test_run_counted(const pack_case_t *c, int *passed, int *failed) {
  char path[4096];
  const char *sdk = getenv("COLLECTD_SDK");
  snprintf(path, sizeof(path), "%s%s/share/types.db",
           sdk && sdk[0] == '/' ? "Z:" : "", sdk ? sdk : ".");
  types_file_t *types = types_file_read(path);
  unit_case = c->pack;
  CHECK(types != NULL, "cannot read collectd's types.db at %s", path);
  if (types != NULL)
    run_case(c, types);
  types_file_free(types);
  *passed += unit_passed;
  *failed += unit_failed;
  unit_passed = unit_failed = 0;
}
