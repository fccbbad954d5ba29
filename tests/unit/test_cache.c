/* The cache: per job a FIFO of completed results. A reader that falls
 * behind still receives every result, in order, up to the FIFO's depth;
 * past it the oldest are dropped and counted. Nothing is handed out twice. */
#include "unit.h"
#include "wmi_cache.h"

#include <stdlib.h>

static wmi_result_t gauge_result = {.type = "gauge", .values_from_num = 1};

/* A result of `job` due at `t`, with one sample holding t. */
static wmi_batch_t *make_batch(size_t job, cdtime_t t) {
  wmi_batch_t *b = wmi_batch_new(job, t);
  b->samples = calloc(1, sizeof(wmi_sample_t));
  b->samples[0].result = &gauge_result;
  snprintf(b->samples[0].type_instance, sizeof(b->samples[0].type_instance),
           "job%zu", job);
  b->samples[0].values = calloc(1, sizeof(value_t));
  b->samples[0].values[0].gauge = (double)t;
  b->samples_num = b->samples_cap = 1;
  return b;
}

static size_t list_length(const wmi_batch_t *b) {
  size_t n = 0;
  for (; b != NULL; b = b->next)
    n++;
  return n;
}

static void free_list(wmi_batch_t *b) {
  while (b != NULL) {
    wmi_batch_t *next = b->next;
    wmi_batch_free(b);
    b = next;
  }
}

/* ---- A reader delayed once, on a timeline in tenths of an interval ----
 * Job j publishes at 10k + j (k = 1 .. SLOTS); the reader takes at 10k + 5,
 * except that the take due at DELAYED_READ happens `delay` tenths late
 * and the takes due in between do not happen (collectd's read thread is
 * starved). */
#define SLOTS 30
#define DELAYED_READ 35
#define MAX_JOBS 4
#define MAX_PENDING (SLOTS * MAX_JOBS)

typedef struct {
  const char *name;
  int delay; /* tenths of an interval */
  size_t depth;
  size_t jobs;
  uint64_t want_dropped;
} delay_case_t;

static const delay_case_t delay_cases[] = {
    {"0.5 intervals late", 5, 8, 1, 0},
    {"1.5 intervals late", 15, 8, 1, 0},
    {"5 intervals late", 50, 8, 1, 0},
    {"5 intervals late, 4 jobs", 50, 8, 4, 0},
    /* Job 0 publishes 30 .. 100 before the take at 100: exactly 8. */
    {"6.5 intervals late: just fits", 65, 8, 2, 0},
    /* Published in (25, 125]: 10 per job with offset <= 5, 8 kept. */
    {"9 intervals late: past the depth", 90, 8, 1, 2},
    {"9 intervals late, 3 jobs", 90, 8, 3, 6},
    /* Depth 1: job 0 publishes 30, 40, 50 before the take at 50, job 1
     * only 31 and 41. */
    {"depth 1, 1.5 intervals late", 15, 1, 2, 3},
};

/* What the reader should get: the results published since the previous
 * take, in publish order, less each job's oldest beyond the depth. */
typedef struct {
  size_t job[MAX_PENDING];
  cdtime_t time[MAX_PENDING];
  size_t num;
} pending_t;

static uint64_t expect_and_check_take(const delay_case_t *c, wmi_cache_t *cache,
                                      pending_t *p, size_t *received) {
  size_t per_job[MAX_JOBS] = {0}, skip[MAX_JOBS] = {0};
  for (size_t i = 0; i < p->num; i++)
    per_job[p->job[i]]++;
  uint64_t want_dropped = 0;
  for (size_t j = 0; j < c->jobs; j++) {
    skip[j] = per_job[j] > c->depth ? per_job[j] - c->depth : 0;
    want_dropped += skip[j];
  }
  uint64_t dropped = 99;
  wmi_batch_t *taken = wmi_cache_take(cache, &dropped);
  CHECK(dropped == want_dropped, "take reports %llu dropped, want %llu",
        (unsigned long long)dropped, (unsigned long long)want_dropped);
  const wmi_batch_t *b = taken;
  for (size_t i = 0; i < p->num; i++) {
    if (skip[p->job[i]] > 0) { /* the oldest: dropped */
      skip[p->job[i]]--;
      continue;
    }
    CHECK(b != NULL, "result %zu of job %zu missing", i, p->job[i]);
    if (b == NULL)
      break;
    CHECK(b->job == p->job[i] && b->time == p->time[i],
          "got job %zu at %llu, want job %zu at %llu", b->job,
          (unsigned long long)b->time, p->job[i],
          (unsigned long long)p->time[i]);
    CHECK(b->samples_num == 1 && b->samples[0].values[0].gauge == b->time,
          "result intact");
    (*received)++;
    b = b->next;
  }
  CHECK(b == NULL, "more results than published");
  free_list(taken);
  p->num = 0;
  return dropped;
}

static void test_delayed_reader(const delay_case_t *c) {
  unit_case = c->name;
  wmi_cache_t *cache = wmi_cache_new(c->jobs, c->depth);
  pending_t pending = {.num = 0};
  size_t published = 0, received = 0;
  uint64_t dropped = 0, publish_said_dropped = 0;
  int late_read = DELAYED_READ + c->delay;
  for (int t = 1; t <= 10 * SLOTS + 5; t++) {
    int in_slot = t % 10;
    if (t >= 10 && (size_t)in_slot < c->jobs) {
      size_t job = (size_t)in_slot;
      publish_said_dropped += wmi_cache_publish(cache, make_batch(job, t));
      pending.job[pending.num] = job;
      pending.time[pending.num++] = (cdtime_t)t;
      published++;
    }
    bool regular_read = in_slot == 5 && (t < DELAYED_READ || t > late_read);
    if (regular_read || t == late_read)
      dropped += expect_and_check_take(c, cache, &pending, &received);
  }
  CHECK(dropped == c->want_dropped, "dropped %llu, want %llu",
        (unsigned long long)dropped, (unsigned long long)c->want_dropped);
  CHECK(publish_said_dropped == c->want_dropped, "publish reported %llu drops",
        (unsigned long long)publish_said_dropped);
  uint64_t per_job_total = 0;
  for (size_t j = 0; j < c->jobs; j++)
    per_job_total += wmi_cache_dropped(cache, j);
  CHECK(per_job_total == c->want_dropped, "per-job counts add up: %llu",
        (unsigned long long)per_job_total);
  CHECK(received + dropped == published, "%zu received + %llu dropped != %zu",
        received, (unsigned long long)dropped, published);
  wmi_cache_free(cache);
}

/* ---- The rest of the contract ---- */
static void test_contract(void) {
  unit_case = "empty";
  wmi_cache_t *cache = wmi_cache_new(2, 3);
  uint64_t dropped = 99;
  CHECK(wmi_cache_take(cache, &dropped) == NULL && dropped == 0,
        "nothing before a run");
  CHECK(wmi_cache_take(cache, NULL) == NULL, "dropped may be NULL");

  unit_case = "once";
  wmi_cache_publish(cache, make_batch(0, 100));
  wmi_batch_t *taken = wmi_cache_take(cache, NULL);
  CHECK(list_length(taken) == 1 && taken->time == 100, "first result");
  free_list(taken);
  CHECK(wmi_cache_take(cache, NULL) == NULL, "not handed out twice");

  unit_case = "room after a take";
  /* A take empties every FIFO: the next `depth` publishes drop nothing. */
  for (cdtime_t t = 1; t <= 3; t++)
    CHECK(!wmi_cache_publish(cache, make_batch(1, t)), "no drop at %llu",
          (unsigned long long)t);
  CHECK(wmi_cache_publish(cache, make_batch(1, 4)), "the fourth drops");
  taken = wmi_cache_take(cache, &dropped);
  CHECK(list_length(taken) == 3 && taken->time == 2 && dropped == 1,
        "newest three, one dropped");
  free_list(taken);
  for (cdtime_t t = 5; t <= 7; t++)
    CHECK(!wmi_cache_publish(cache, make_batch(1, t)), "room again");
  free_list(wmi_cache_take(cache, NULL));
  CHECK(wmi_cache_dropped(cache, 1) == 1 && wmi_cache_dropped(cache, 0) == 0,
        "per-job totals");
  CHECK(wmi_cache_dropped(cache, 9) == 0, "unknown job: none");

  unit_case = "unknown job";
  CHECK(!wmi_cache_publish(cache, make_batch(7, 1)), "freed, not kept");
  CHECK(wmi_cache_take(cache, NULL) == NULL, "ignored");

  unit_case = "free with results waiting";
  for (cdtime_t t = 1; t <= 8; t++) /* each job: 3 waiting, 1 dropped */
    wmi_cache_publish(cache, make_batch(t % 2, t));
  wmi_cache_free(cache); /* ASan reports a leak if they are not freed */

  unit_case = "default depth";
  cache = wmi_cache_new(1, 0);
  size_t drops = 0;
  for (cdtime_t t = 1; t <= WMI_CACHE_DEPTH + 1; t++)
    drops += wmi_cache_publish(cache, make_batch(0, t));
  taken = wmi_cache_take(cache, NULL);
  CHECK(drops == 1 && list_length(taken) == WMI_CACHE_DEPTH, "depth 0 means %d",
        WMI_CACHE_DEPTH);
  free_list(taken);
  wmi_cache_free(cache);

  unit_case = "no jobs";
  cache = wmi_cache_new(0, 0);
  CHECK(!wmi_cache_publish(cache, make_batch(0, 1)), "freed");
  CHECK(wmi_cache_take(cache, NULL) == NULL, "empty");
  wmi_cache_free(cache);
}

int main(void) {
  for (size_t i = 0; i < sizeof(delay_cases) / sizeof(delay_cases[0]); i++)
    test_delayed_reader(&delay_cases[i]);
  test_contract();
  return unit_summary("cache");
}
