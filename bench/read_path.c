/* Figures for the hot paths, printed as "bench: <what>: <figure> <unit>",
 * not asserted. Built with -O2, no sanitizers (`make bench`).
 *  - the read callback: take every waiting result from the cache, walk
 *    every value as the callback does, free; per value, from 10 to 100,000
 *    cached values (it should stay flat)
 *  - the heap bytes one cached value costs
 *  - how long a take holds the cache lock, with 16 and 2,000 jobs
 *  - the sink: converting WMI objects into samples, per object, with and
 *    without an open complaint in the job */
#include "wmi_cache.h"
#include "wmi_config_model.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- A query as a config would give it: Win32_Process working sets ---- */

/* An object as the sink sees it: a name, a pid and a uint64 as text. */
typedef struct {
  char name[32], pid[24], bytes[24];
} object_t;

static int get(void *o, const char *prop, wmi_cim_value_t *out) {
  object_t *obj = o;
  out->kind = WMI_CIM_STRING;
  if (strcmp(prop, "Name") == 0)
    out->u.text = obj->name;
  else if (strcmp(prop, "ProcessId") == 0)
    out->u.text = obj->pid;
  else if (strcmp(prop, "WorkingSetSize") == 0)
    out->u.text = obj->bytes;
  else
    return -1;
  return 0;
}

static char *instances_from[] = {"Name", "ProcessId"};
static char *values_from[] = {"WorkingSetSize"};
static int ds_types[] = {DS_TYPE_GAUGE};
static wmi_result_t result = {.type = "gauge",
                              .instances_from = instances_from,
                              .instances_from_num = 2,
                              .values_from = values_from,
                              .values_from_num = 1,
                              .ds_types = ds_types};
static wmi_query_t query = {.name = "processes",
                            .plugin_instance = "processes",
                            .results = &result,
                            .results_num = 1};
static wmi_host_t host = {.name = "local"};
static wmi_job_t job = {.host = &host, .query = &query};

static object_t *make_objects(size_t n) {
  object_t *objects = calloc(n, sizeof(*objects));
  for (size_t i = 0; i < n; i++) {
    snprintf(objects[i].name, sizeof(objects[i].name), "svchost%zu.exe",
             i % 40);
    snprintf(objects[i].pid, sizeof(objects[i].pid), "%zu", 1000 + i);
    snprintf(objects[i].bytes, sizeof(objects[i].bytes), "%llu",
             18000000000000000000ULL + (unsigned long long)i);
  }
  return objects;
}

/* One run of a job over `n` objects, finished as the sink finishes it. */
static wmi_batch_t *build(size_t job_index, cdtime_t time, object_t *objects,
                          size_t n, wmi_complaints_t *complaints) {
  wmi_batch_t *b = wmi_batch_new(job_index, time);
  for (size_t i = 0; i < n; i++)
    wmi_batch_add_object(b, &job, get, &objects[i], complaints, NULL);
  wmi_batch_finish(b, &job, complaints, NULL);
  return b;
}

/* ---- The read callback, without the daemon ---- */

static void copy_name(char *out, size_t len, const char *in) {
  size_t n = strlen(in);
  if (n >= len)
    n = len - 1;
  memcpy(out, in, n);
  out[n] = '\0';
}

static double checksum;

/* What wmi_read_cb does per result and per value, dispatch excepted. */
static size_t read_callback(wmi_cache_t *cache) {
  size_t values = 0;
  wmi_batch_t *b = wmi_cache_take(cache, NULL);
  while (b != NULL) {
    value_list_t vl = VALUE_LIST_INIT;
    vl.time = b->time;
    copy_name(vl.plugin, sizeof(vl.plugin), "wmi");
    copy_name(vl.plugin_instance, sizeof(vl.plugin_instance),
              query.plugin_instance);
    for (size_t s = 0; s < b->samples_num; s++) {
      const wmi_sample_t *sample = &b->samples[s];
      copy_name(vl.type, sizeof(vl.type), sample->result->type);
      copy_name(vl.type_instance, sizeof(vl.type_instance),
                sample->type_instance);
      vl.values = sample->values;
      vl.values_len = sample->result->values_from_num;
      checksum += vl.values[0].gauge + vl.type_instance[0]; /* "dispatch" */
    }
    values += b->samples_num;
    wmi_batch_t *next = b->next;
    wmi_batch_free(b);
    b = next;
  }
  return values;
}

/* Heap in use, mapped chunks included: what malloc took from the system
 * for live blocks, its own headers and rounding included. */
static double heap_bytes(void) {
  struct mallinfo2 m = mallinfo2();
  return (double)m.uordblks + (double)m.hblkhd;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Per value cost of the read path with `total` values cached across jobs
 * of about 10 values (up to 16 jobs, more values each beyond); and the
 * heap bytes they take. */
static void bench_read_path(size_t total) {
  size_t jobs = (total + 9) / 10;
  if (jobs > 16)
    jobs = 16;
  size_t rounds = 2000000 / total;
  if (rounds < 21)
    rounds = 21;
  object_t *objects = make_objects(total / jobs + 1);
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  wmi_cache_t *cache = wmi_cache_new(jobs, 0);
  double *per_value = calloc(rounds, sizeof(*per_value));
  for (size_t r = 0; r < rounds; r++) {
    for (size_t j = 0; j < jobs; j++) /* the first total % jobs get one more */
      wmi_cache_publish(cache,
                        build(j, (cdtime_t)r, objects,
                              total / jobs + (j < total % jobs), complaints));
    double t0 = now_ns();
    size_t values = read_callback(cache);
    per_value[r] = (now_ns() - t0) / (double)values;
  }
  /* The median round: other processes on the machine only add outliers. */
  qsort(per_value, rounds, sizeof(*per_value), compare_doubles);
  printf("bench: read path per value (take, walk, free), %zu values in %zu "
         "job%s: %.1f ns\n",
         total, jobs, jobs == 1 ? "" : "s", per_value[rounds / 2]);
  free(per_value);

  double before = heap_bytes();
  for (size_t j = 0; j < jobs; j++)
    wmi_cache_publish(
        cache,
        build(j, 0, objects, total / jobs + (j < total % jobs), complaints));
  printf("bench: heap per cached value, %zu values in %zu job%s: %.1f "
         "bytes\n",
         total, jobs, jobs == 1 ? "" : "s",
         (heap_bytes() - before) / (double)total);
  wmi_cache_free(cache);
  wmi_complaints_free(complaints);
  free(objects);
}

/* How long wmi_cache_take holds the lock: the whole call, lock included,
 * with one small result waiting per job. */
static void bench_lock(size_t jobs) {
  enum { ROUNDS = 2000, MAX_JOBS = 2000 };
  object_t *objects = make_objects(1);
  wmi_complaints_t *complaints = wmi_complaints_new(NULL);
  wmi_cache_t *cache = wmi_cache_new(jobs, 0);
  static double take_ns[ROUNDS];
  double publish_ns = 0;
  for (size_t r = 0; r < ROUNDS; r++) {
    wmi_batch_t *batches[MAX_JOBS];
    for (size_t j = 0; j < jobs && j < MAX_JOBS; j++)
      batches[j] = build(j, (cdtime_t)r, objects, 1, complaints);
    double t0 = now_ns();
    for (size_t j = 0; j < jobs && j < MAX_JOBS; j++)
      wmi_cache_publish(cache, batches[j]);
    publish_ns += now_ns() - t0;
    t0 = now_ns();
    wmi_batch_t *taken = wmi_cache_take(cache, NULL);
    take_ns[r] = now_ns() - t0;
    while (taken != NULL) {
      wmi_batch_t *next = taken->next;
      wmi_batch_free(taken);
      taken = next;
    }
  }
  qsort(take_ns, ROUNDS, sizeof(take_ns[0]), compare_doubles);
  printf("bench: cache take (lock included), %zu jobs waiting: %.1f ns "
         "median\n",
         jobs, take_ns[ROUNDS / 2]);
  printf("bench: cache take (lock included), %zu jobs waiting: %.1f ns "
         "p99\n",
         jobs, take_ns[ROUNDS * 99 / 100]);
  printf("bench: cache publish (lock included), %zu jobs: %.1f ns mean\n", jobs,
         publish_ns / ROUNDS / (double)jobs);
  wmi_cache_free(cache);
  wmi_complaints_free(complaints);
  free(objects);
}

/* The sink's conversion: 16 jobs of 2,000 objects (a busy Win32_Process),
 * 1 value and 2 instance properties per object, the value as uint64 text.
 * With `complaining`, each job has an unrelated complaint open, so every
 * good value also checks whether it ends one. */
static void bench_sink(bool complaining) {
  enum { JOBS = 16, OBJECTS = 2000, ROUNDS = 50 };
  object_t *objects = make_objects(OBJECTS);
  wmi_complaints_t *complaints[JOBS];
  for (size_t j = 0; j < JOBS; j++) {
    complaints[j] = wmi_complaints_new(NULL);
    if (complaining)
      wmi_complain(complaints[j], LOG_DEBUG, "elsewhere", "%s", "");
  }
  double per_object[ROUNDS];
  for (int r = 0; r < ROUNDS; r++) {
    double ns = 0;
    for (size_t j = 0; j < JOBS; j++) {
      double t0 = now_ns();
      wmi_batch_t *b = build(j, 0, objects, OBJECTS, complaints[j]);
      ns += now_ns() - t0;
      checksum += b->samples_num;
      wmi_batch_free(b);
    }
    per_object[r] = ns / (JOBS * OBJECTS);
  }
  qsort(per_object, ROUNDS, sizeof(per_object[0]), compare_doubles);
  printf("bench: sink conversion per object (1 value, 2 instance properties, "
         "uint64 text)%s: %.1f ns\n",
         complaining ? ", a complaint open in the job" : "",
         per_object[ROUNDS / 2]);
  for (size_t j = 0; j < JOBS; j++)
    wmi_complaints_free(complaints[j]);
  free(objects);
}

static void quiet(int level, const char *message) {
  (void)level;
  (void)message;
}

int main(void) {
  wmi_log_set_sink(quiet);
  for (size_t n = 10; n <= 100000; n *= 10)
    bench_read_path(n);
  bench_lock(16);
  bench_lock(2000);
  bench_sink(false);
  bench_sink(true);
  fprintf(stderr, "checksum %.0f\n", checksum); /* keeps the work */
  return 0;
}
