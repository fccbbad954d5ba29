/* Figures for the two hot paths, printed, not asserted:
 *  - the sink: converting WMI objects into samples (per object, per value)
 *  - the read callback: taking new results from the cache and walking
 *    them (per value), and how long it holds the cache lock (per call)
 * and the memory one cached sample costs. Built with -O2, no sanitizers. */
#include "wmi_cache.h"
#include "wmi_config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JOBS 16
#define OBJECTS 2000 /* per job and run: a busy Win32_Process */
#define ROUNDS 50

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* An object as the sink sees it: a name, a pid and a uint64 as text. */
typedef struct {
  char name[32], pid[16], bytes[24];
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

int main(void) {
  /* One query collected as JOBS jobs, as a config would give it. */
  static wmi_result_t result = {.type = "gauge"};
  static char *inst[] = {"Name", "ProcessId"}, *vals[] = {"WorkingSetSize"};
  result.instances_from = inst;
  result.instances_from_num = 2;
  result.values_from = vals;
  result.values_from_num = 1;
  wmi_query_t query = {
      .name = "processes", .results = &result, .results_num = 1};
  wmi_host_t host = {.name = "local"};
  int ds_type = DS_TYPE_GAUGE;
  result.ds_types = &ds_type;
  wmi_job_t jobs[JOBS];
  for (int j = 0; j < JOBS; j++)
    jobs[j] = (wmi_job_t){.host = &host, .query = &query};

  object_t *objects = calloc(OBJECTS, sizeof(*objects));
  for (int i = 0; i < OBJECTS; i++) {
    snprintf(objects[i].name, sizeof(objects[i].name), "svchost%d.exe", i % 40);
    snprintf(objects[i].pid, sizeof(objects[i].pid), "%d", 1000 + i);
    snprintf(objects[i].bytes, sizeof(objects[i].bytes), "%llu",
             18000000000000000000ULL + (unsigned long long)i);
  }
  wmi_complaints_t *complaints = wmi_complaints_new();
  wmi_cache_t *cache = wmi_cache_new(JOBS);
  const wmi_batch_t *taken[JOBS];

  double sink_ns = 0, read_ns = 0, lock_ns = 0, checksum = 0;
  size_t values = 0, takes = 0;
  for (int round = 0; round < ROUNDS; round++) {
    for (int j = 0; j < JOBS; j++) {
      double t0 = now_ns();
      wmi_batch_t *b = wmi_batch_new((size_t)j, (cdtime_t)round);
      for (int i = 0; i < OBJECTS; i++)
        wmi_batch_add_object(b, &jobs[j], get, &objects[i], complaints);
      wmi_batch_drop_duplicates(b, &jobs[j], complaints);
      sink_ns += now_ns() - t0;
      wmi_cache_publish(cache, b);
    }
    double t0 = now_ns();
    size_t n = wmi_cache_take_new(cache, taken);
    double t1 = now_ns();
    for (size_t i = 0; i < n; i++) {
      for (size_t s = 0; s < taken[i]->samples_num; s++)
        checksum += taken[i]->samples[s].values[0].gauge; /* "dispatch" */
      values += taken[i]->samples_num;
      wmi_cache_release(cache, taken[i]);
    }
    read_ns += now_ns() - t0;
    lock_ns += t1 - t0;
    takes++;
  }

  /* Memory: what the heap holds for one run of every job, per sample. */
  wmi_cache_free(cache);
  struct mallinfo2 before = mallinfo2();
  cache = wmi_cache_new(JOBS);
  for (int j = 0; j < JOBS; j++) {
    wmi_batch_t *b = wmi_batch_new((size_t)j, 0);
    for (int i = 0; i < OBJECTS; i++)
      wmi_batch_add_object(b, &jobs[j], get, &objects[i], complaints);
    wmi_cache_publish(cache, b);
  }
  struct mallinfo2 after = mallinfo2();
  double bytes_per_sample =
      (double)(after.uordblks - before.uordblks) / (JOBS * OBJECTS);

  size_t converted = (size_t)ROUNDS * JOBS * OBJECTS;
  printf("bench: %d jobs x %d objects x %d rounds (checksum %.0f)\n", JOBS,
         OBJECTS, ROUNDS, checksum);
  printf("bench: sink conversion   %8.1f ns per object (1 value, 2 "
         "instance properties, uint64 text)\n",
         sink_ns / converted);
  printf("bench: read path         %8.1f ns per value (take, walk, release)\n",
         read_ns / values);
  printf("bench: cache lock held   %8.1f us per read callback (%d jobs)\n",
         lock_ns / takes / 1e3, JOBS);
  printf("bench: memory            %8.1f bytes per cached sample\n",
         bytes_per_sample);
  wmi_cache_free(cache);
  wmi_complaints_free(complaints);
  free(objects);
  return 0;
}
