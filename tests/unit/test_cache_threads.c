/* Sinks publish on WMI's threads while the read callback takes results:
 * run both at once under ThreadSanitizer. Several publisher threads, each
 * with jobs of its own and increasing times, against one reader taking
 * continuously. Every result published is received exactly once, whole and
 * in its job's order, or counted as dropped: received + dropped ==
 * published. */
#include "unit.h"
#include "wmi_cache.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#define PUBLISHERS 4
#define JOBS_EACH 2
#define JOBS (PUBLISHERS * JOBS_EACH)
#define RUNS 20000
#define SAMPLES 4
#define DEPTH 4
/* Runs every job publishes before the reader starts: drops are certain. */
#define BURST (3 * DEPTH)

static wmi_result_t gauge_result = {.type = "gauge", .values_from_num = 1};
static wmi_cache_t *cache;
static int publishers_done, publishers_past_burst;

typedef struct {
  size_t first_job; /* its jobs: first_job, first_job + PUBLISHERS, ... */
  uint64_t said_dropped;
} publisher_t;

static wmi_batch_t *make_batch(size_t job, int run) {
  wmi_batch_t *b = wmi_batch_new(job, (cdtime_t)run);
  b->samples = calloc(SAMPLES, sizeof(wmi_sample_t));
  for (size_t i = 0; i < SAMPLES; i++) {
    b->samples[i].result = &gauge_result;
    b->samples[i].values = malloc(sizeof(value_t));
    b->samples[i].values[0].gauge = run;
  }
  b->samples_num = b->samples_cap = SAMPLES;
  return b;
}

static void *publish(void *arg) {
  publisher_t *p = arg;
  for (int run = 1; run <= RUNS; run++) {
    for (size_t k = 0; k < JOBS_EACH; k++) {
      size_t job = p->first_job + k * PUBLISHERS;
      p->said_dropped += wmi_cache_publish(cache, make_batch(job, run));
    }
    if (run == BURST)
      __atomic_add_fetch(&publishers_past_burst, 1, __ATOMIC_SEQ_CST);
  }
  __atomic_add_fetch(&publishers_done, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

int main(void) {
  cache = wmi_cache_new(JOBS, DEPTH);
  publisher_t publishers[PUBLISHERS];
  pthread_t threads[PUBLISHERS];
  for (size_t i = 0; i < PUBLISHERS; i++) {
    publishers[i] = (publisher_t){.first_job = i};
    pthread_create(&threads[i], NULL, publish, &publishers[i]);
  }
  while (__atomic_load_n(&publishers_past_burst, __ATOMIC_SEQ_CST) < PUBLISHERS)
    sched_yield();

  /* received[job][run]: how often that result reached the reader. */
  static unsigned char received[JOBS][RUNS + 1];
  cdtime_t last[JOBS] = {0};
  size_t torn = 0, backwards = 0, twice = 0, received_total = 0, takes = 0;
  uint64_t dropped_total = 0;
  for (;;) {
    int finished = __atomic_load_n(&publishers_done, __ATOMIC_SEQ_CST);
    uint64_t dropped = 0;
    wmi_batch_t *b = wmi_cache_take(cache, &dropped);
    dropped_total += dropped;
    takes++;
    if (b == NULL && finished == PUBLISHERS)
      break; /* everything was published before `finished` was read */
    while (b != NULL) {
      for (size_t s = 0; s < b->samples_num; s++)
        torn += b->samples[s].values[0].gauge != (double)b->time;
      backwards += b->time <= last[b->job];
      last[b->job] = b->time;
      twice += received[b->job][b->time]++ > 0;
      received_total++;
      wmi_batch_t *next = b->next;
      wmi_batch_free(b);
      b = next;
    }
    if (takes % 64 == 0)
      sched_yield(); /* now and then a slower reader: more drops */
  }
  uint64_t said_dropped = 0;
  for (size_t i = 0; i < PUBLISHERS; i++) {
    pthread_join(threads[i], NULL);
    said_dropped += publishers[i].said_dropped;
  }

  unit_case = "concurrent";
  CHECK(torn == 0, "%zu samples from a mixed run", torn);
  CHECK(backwards == 0, "%zu results out of their job's order", backwards);
  CHECK(twice == 0, "%zu results handed out twice", twice);
  CHECK(received_total + dropped_total == (size_t)JOBS * RUNS,
        "%zu received + %llu dropped != %d published", received_total,
        (unsigned long long)dropped_total, JOBS * RUNS);
  CHECK(said_dropped == dropped_total, "publish said %llu dropped, take %llu",
        (unsigned long long)said_dropped, (unsigned long long)dropped_total);
  for (size_t j = 0; j < JOBS; j++) {
    size_t got = 0;
    for (size_t run = 1; run <= RUNS; run++)
      got += received[j][run] != 0;
    uint64_t dropped = wmi_cache_dropped(cache, j);
    CHECK(got + dropped == RUNS, "job %zu: %zu received + %llu dropped", j, got,
          (unsigned long long)dropped);
    CHECK(dropped >= BURST - DEPTH, "job %zu: the burst dropped %llu", j,
          (unsigned long long)dropped);
    CHECK(last[j] == RUNS, "job %zu ends with its last run", j);
  }
  printf("cache_threads: %zu received, %llu dropped in %zu takes\n",
         received_total, (unsigned long long)dropped_total, takes);
  wmi_cache_free(cache);
  return unit_summary("cache_threads");
}
