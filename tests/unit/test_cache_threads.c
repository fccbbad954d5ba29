/* Sinks publish on WMI's threads while the read callback takes results:
 * run both at once under ThreadSanitizer, and check that every sample
 * read belongs to one whole run (never a mix of two). */
#include "unit.h"
#include "wmi_cache.h"

#include <pthread.h>
#include <stdlib.h>

#define JOBS 4
#define RUNS 20000
#define SAMPLES 8

static wmi_result_t gauge_result = {.type = "gauge", .values_from_num = 1};
static wmi_cache_t *cache;
static int done;

static void *publisher(void *arg) {
  size_t job = (size_t)(uintptr_t)arg;
  for (int run = 1; run <= RUNS; run++) {
    wmi_batch_t *b = wmi_batch_new(job, (cdtime_t)run);
    b->samples = calloc(SAMPLES, sizeof(wmi_sample_t));
    for (size_t i = 0; i < SAMPLES; i++) {
      b->samples[i].result = &gauge_result;
      b->samples[i].values = malloc(sizeof(value_t));
      b->samples[i].values[0].gauge = run;
    }
    b->samples_num = b->samples_cap = SAMPLES;
    wmi_cache_publish(cache, b);
  }
  __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

int main(void) {
  cache = wmi_cache_new(JOBS);
  pthread_t threads[JOBS];
  for (size_t j = 0; j < JOBS; j++)
    pthread_create(&threads[j], NULL, publisher, (void *)(uintptr_t)j);

  cdtime_t last[JOBS] = {0};
  size_t torn = 0, backwards = 0, reads = 0;
  for (;;) {
    int finished = __atomic_load_n(&done, __ATOMIC_SEQ_CST);
    const wmi_batch_t *out[JOBS];
    size_t n = wmi_cache_take_new(cache, out);
    for (size_t i = 0; i < n; i++) {
      const wmi_batch_t *b = out[i];
      for (size_t s = 0; s < b->samples_num; s++)
        torn += b->samples[s].values[0].gauge != (double)b->time;
      backwards += b->time <= last[b->job];
      last[b->job] = b->time;
      reads++;
      wmi_cache_release(cache, b);
    }
    if (finished == JOBS && n == 0)
      break;
  }
  for (size_t j = 0; j < JOBS; j++)
    pthread_join(threads[j], NULL);

  unit_case = "concurrent";
  CHECK(torn == 0, "%zu samples from a mixed run", torn);
  CHECK(backwards == 0, "%zu results older than one already read", backwards);
  CHECK(reads >= JOBS, "reader saw results: %zu", reads);
  for (size_t j = 0; j < JOBS; j++)
    CHECK(last[j] == RUNS, "job %zu ends with its last run", j);
  wmi_cache_free(cache);
  return unit_summary("cache_threads");
}
