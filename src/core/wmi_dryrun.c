#include "wmi_dryrun.h"

#include "wmi_cache.h"
#include "wmi_counter.h"
#include "wmi_hresult.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A selected property's CounterType, as the class reports it. */
typedef struct {
  char *property;
  uint32_t type;
} counter_type_t;

typedef struct {
  /* Under the record's lock: written by the job's host thread. */
  bool failed;
  uint32_t hr;
  char what[WMI_DRYRUN_STEP_MAX];
  counter_type_t *types;
  size_t types_num, types_cap;
  /* The read callback's alone. */
  wmi_batch_t *latest;
} job_record_t;

struct wmi_dryrun_s {
  const wmi_config_t *config;
  pthread_mutex_t lock;
  job_record_t *jobs;
};

bool wmi_dryrun_requested(const char *read_threads) {
  /* collectd's own test: atoi, so "-1" and a configured "-1.000000". */
  return read_threads != NULL && atoi(read_threads) == -1;
}

static bool job_cooks(const wmi_job_t *job) {
  for (size_t r = 0; r < job->query->results_num; r++)
    if (job->query->results[r].cooked)
      return true;
  return false;
}

uint64_t wmi_dryrun_runs_needed(const wmi_job_t *job) {
  return job_cooks(job) ? 2 : 1;
}

cdtime_t wmi_dryrun_second_run_gap(const wmi_job_t *job) {
  cdtime_t second = TIME_T_TO_CDTIME_T(1);
  return job->interval < second ? job->interval : second;
}

cdtime_t wmi_dryrun_job_bound(const wmi_job_t *job) {
  if (!job_cooks(job))
    return job->timeout;
  return 2 * job->timeout + wmi_dryrun_second_run_gap(job);
}

cdtime_t wmi_dryrun_bound(const wmi_config_t *config) {
  cdtime_t bound = 0;
  for (size_t j = 0; j < config->jobs_num; j++) {
    cdtime_t b = wmi_dryrun_job_bound(&config->jobs[j]);
    if (b > bound)
      bound = b;
  }
  return bound + TIME_T_TO_CDTIME_T(1);
}

bool wmi_dryrun_job_done(const wmi_job_t *job, const wmi_job_stats_t *stats) {
  return stats->completed >= wmi_dryrun_runs_needed(job) || stats->failed > 0 ||
         stats->timeouts > 0;
}

bool wmi_dryrun_job_ok(const wmi_job_t *job, const wmi_job_stats_t *stats) {
  return stats->completed >= wmi_dryrun_runs_needed(job);
}

wmi_dryrun_t *wmi_dryrun_new(const wmi_config_t *config) {
  wmi_dryrun_t *d = calloc(1, sizeof(*d));
  if (d == NULL)
    return NULL;
  d->jobs = calloc(config->jobs_num ? config->jobs_num : 1, sizeof(*d->jobs));
  if (d->jobs == NULL) {
    free(d);
    return NULL;
  }
  d->config = config;
  pthread_mutex_init(&d->lock, NULL);
  return d;
}

void wmi_dryrun_free(wmi_dryrun_t *d) {
  if (d == NULL)
    return;
  for (size_t j = 0; j < d->config->jobs_num; j++) {
    job_record_t *rec = &d->jobs[j];
    for (size_t i = 0; i < rec->types_num; i++)
      free(rec->types[i].property);
    free(rec->types);
    wmi_batch_free(rec->latest);
  }
  pthread_mutex_destroy(&d->lock);
  free(d->jobs);
  free(d);
}

bool wmi_dryrun_job_reportable(wmi_dryrun_t *d, size_t job,
                               const wmi_job_stats_t *stats) {
  if (job >= d->config->jobs_num)
    return true;
  const wmi_job_t *j = &d->config->jobs[job];
  if (!wmi_dryrun_job_done(j, stats))
    return false;
  /* As print_status decides: a failure shows only without the runs. */
  if (stats->completed >= wmi_dryrun_runs_needed(j) || stats->failed == 0)
    return true;
  pthread_mutex_lock(&d->lock);
  bool known = d->jobs[job].failed;
  pthread_mutex_unlock(&d->lock);
  return known;
}

void wmi_dryrun_failure(wmi_dryrun_t *d, size_t job, uint32_t hr,
                        const char *what) {
  if (job >= d->config->jobs_num)
    return;
  pthread_mutex_lock(&d->lock);
  job_record_t *rec = &d->jobs[job];
  if (!rec->failed) {
    rec->failed = true;
    rec->hr = hr;
    snprintf(rec->what, sizeof(rec->what), "%s", what ? what : "");
  }
  pthread_mutex_unlock(&d->lock);
}

void wmi_dryrun_counter_type(wmi_dryrun_t *d, size_t job, const char *property,
                             uint32_t type) {
  if (job >= d->config->jobs_num)
    return;
  char *copy = strdup(property);
  if (copy == NULL)
    return;
  pthread_mutex_lock(&d->lock);
  job_record_t *rec = &d->jobs[job];
  if (rec->types_num == rec->types_cap) {
    size_t cap = rec->types_cap ? 2 * rec->types_cap : 8;
    counter_type_t *grown = realloc(rec->types, cap * sizeof(*grown));
    if (grown == NULL) {
      pthread_mutex_unlock(&d->lock);
      free(copy);
      return;
    }
    rec->types = grown;
    rec->types_cap = cap;
  }
  rec->types[rec->types_num++] = (counter_type_t){copy, type};
  pthread_mutex_unlock(&d->lock);
}

void wmi_dryrun_keep(wmi_dryrun_t *d, wmi_batch_t *batch) {
  if (batch->job >= d->config->jobs_num) {
    wmi_batch_free(batch);
    return;
  }
  job_record_t *rec = &d->jobs[batch->job];
  wmi_batch_free(rec->latest);
  batch->next = NULL;
  rec->latest = batch;
}

/* ---- The report ---- */

static void print_value(FILE *out, int ds_type, value_t v) {
  switch (ds_type) {
  case DS_TYPE_GAUGE:
    fprintf(out, "%.15g", v.gauge); /* collectd's GAUGE_FORMAT */
    break;
  case DS_TYPE_DERIVE:
    fprintf(out, "%" PRId64, (int64_t)v.derive);
    break;
  case DS_TYPE_COUNTER:
    fprintf(out, "%llu", (unsigned long long)v.counter);
    break;
  default: /* DS_TYPE_ABSOLUTE */
    fprintf(out, "%" PRIu64, (uint64_t)v.absolute);
    break;
  }
}

static void print_sample(FILE *out, const char *host, const char *pi,
                         const wmi_sample_t *s) {
  const wmi_result_t *res = s->result;
  fprintf(out, "  %s/wmi%s%s/%s%s%s = ", host, pi[0] ? "-" : "", pi, res->type,
          s->type_instance[0] ? "-" : "", s->type_instance);
  for (size_t v = 0; v < res->values_from_num; v++) {
    if (v > 0)
      fputc(':', out);
    print_value(out, res->ds_types[v], s->values[v]);
  }
  fputc('\n', out);
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* "ok, ..." or why the job has no values to show. */
static void print_status(FILE *out, const wmi_job_t *job,
                         const job_record_t *rec, const wmi_job_stats_t *stats,
                         const char *waiting) {
  uint64_t needed = wmi_dryrun_runs_needed(job);
  char why[256];
  if (stats->completed >= needed) {
    size_t objects = rec->latest ? rec->latest->objects : 0;
    size_t samples = rec->latest ? rec->latest->samples_num : 0;
    fprintf(out, "ok, %zu object%s, %zu identifier%s", objects, plural(objects),
            samples, plural(samples));
  } else if (stats->failed > 0) {
    uint32_t hr = rec->failed ? rec->hr : stats->last_status;
    if (hr != 0)
      fprintf(out, "failed: %s", wmi_hresult_describe(hr, why, sizeof(why)));
    else
      fprintf(out, "failed");
    if (rec->failed && rec->what[0] != '\0')
      fprintf(out, " (%s)", rec->what);
  } else if (stats->timeouts > 0) {
    fprintf(out, "timed out: no result within its Timeout of %.1f s",
            CDTIME_T_TO_DOUBLE(job->timeout));
  } else {
    fprintf(out,
            "not finished: %" PRIu64 " of %" PRIu64
            " run%s completed within the wait",
            stats->completed, needed, plural(needed));
    if (waiting != NULL && waiting[0] != '\0')
      fprintf(out, " (%s)", waiting);
  }
  fputc('\n', out);
}

static void print_job(FILE *out, const wmi_dryrun_report_t *r,
                      const wmi_job_t *job, const job_record_t *rec,
                      const wmi_job_stats_t *stats, const char *waiting) {
  fprintf(out, "Host \"%s\", Query \"%s\": ", job->host->name,
          job->query->name);
  print_status(out, job, rec, stats, waiting);
  char host[DATA_MAX_NAME_LEN], pi[DATA_MAX_NAME_LEN];
  r->identity(job, host, pi);
  const char *shown = host[0] ? host : r->local_host;
  if (rec->latest != NULL && stats->completed >= wmi_dryrun_runs_needed(job))
    for (size_t s = 0; s < rec->latest->samples_num; s++)
      print_sample(out, shown, pi, &rec->latest->samples[s]);
  for (size_t i = 0; i < rec->types_num; i++) {
    const char *name = wmi_counter_type_name(rec->types[i].type);
    fprintf(out, "  CounterType of %s: ", rec->types[i].property);
    if (name != NULL)
      fprintf(out, "%s (%" PRIu32 ")\n", name, rec->types[i].type);
    else
      fprintf(out, "%" PRIu32 " (not one this plugin cooks)\n",
              rec->types[i].type);
  }
}

void wmi_dryrun_print(wmi_dryrun_t *d, const wmi_dryrun_report_t *r,
                      FILE *out) {
  const wmi_config_t *cfg = d->config;
  size_t done = 0;
  for (size_t j = 0; j < cfg->jobs_num; j++)
    done += wmi_dryrun_job_done(&cfg->jobs[j], &r->stats[j]);
  fprintf(out,
          "wmi dry run: %zu of %zu quer%s finished in %.1f s (the wait's "
          "bound: %.1f s)%s\n",
          done, cfg->jobs_num, cfg->jobs_num == 1 ? "y" : "ies",
          CDTIME_T_TO_DOUBLE(r->waited), CDTIME_T_TO_DOUBLE(r->bound),
          r->interrupted ? "; interrupted (Ctrl-C)" : "");
  if (r->dropped > 0)
    fprintf(out,
            "wmi dry run: %" PRIu64 " result%s dropped: more than %d of a "
            "query waited for the read\n",
            r->dropped, plural(r->dropped), WMI_CACHE_DEPTH);
  pthread_mutex_lock(&d->lock); /* host threads may still add failures */
  for (size_t j = 0; j < cfg->jobs_num; j++)
    print_job(out, r, &cfg->jobs[j], &d->jobs[j], &r->stats[j],
              r->waiting ? r->waiting[j] : NULL);
  pthread_mutex_unlock(&d->lock);
  fflush(out);
}
