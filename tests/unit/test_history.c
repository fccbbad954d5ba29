/* Previous samples are paired by instance key, whatever the order of the
 * objects in a result; instances come, go and are forgotten; a failed run
 * leaves the last completed one as the reference. */
#include "unit.h"
#include "wmi_history.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A sample whose every field tells its key and run apart. */
static wmi_counter_sample_t sample_of(unsigned key, unsigned run) {
  uint64_t v = (uint64_t)key * 1000 + run;
  return (wmi_counter_sample_t){v, v + 1, v + 2, v + 3};
}

static bool is_sample_of(const wmi_counter_sample_t *s, unsigned key,
                         unsigned run) {
  wmi_counter_sample_t want = sample_of(key, run);
  return s != NULL && s->value == want.value && s->base == want.base &&
         s->time == want.time && s->frequency == want.frequency;
}

static const char *key_name(unsigned key) {
  static char buf[32];
  snprintf(buf, sizeof(buf), "inst-%u", key);
  return buf;
}

/* One completed run storing `keys` in the order given; checks each key
 * gets its own sample of `prev_run` (or NULL where `prev_run` is 0 or the
 * key is listed in `fresh`). */
static void run(wmi_history_t *h, unsigned run_no, const unsigned *keys,
                size_t keys_num, unsigned prev_run, const unsigned *fresh,
                size_t fresh_num) {
  wmi_history_begin(h);
  for (size_t i = 0; i < keys_num; i++) {
    bool is_fresh = prev_run == 0;
    for (size_t j = 0; j < fresh_num; j++)
      is_fresh |= fresh[j] == keys[i];
    wmi_counter_sample_t s = sample_of(keys[i], run_no);
    const wmi_counter_sample_t *prev =
        wmi_history_swap(h, key_name(keys[i]), &s, 1);
    if (is_fresh)
      CHECK(prev == NULL, "run %u, %s: new, no history", run_no,
            key_name(keys[i]));
    else
      CHECK(is_sample_of(prev, keys[i], prev_run),
            "run %u, %s: its own sample of run %u", run_no, key_name(keys[i]),
            prev_run);
  }
  wmi_history_end(h);
}

static void paired_by_key(void) {
  unit_case = "paired by key";
  wmi_history_t *h = wmi_history_new();
  CHECK(h != NULL, "made");
  const unsigned r1[] = {1, 2, 3, 4};
  const unsigned r2[] = {4, 2, 1, 3}; /* another order */
  const unsigned r3[] = {3, 1, 4, 2};
  run(h, 1, r1, 4, 0, NULL, 0);
  CHECK(wmi_history_size(h) == 4, "4 keys: %zu", wmi_history_size(h));
  run(h, 2, r2, 4, 1, NULL, 0);
  run(h, 3, r3, 4, 2, NULL, 0);
  CHECK(wmi_history_size(h) == 4, "still 4 keys: %zu", wmi_history_size(h));
  wmi_history_free(h);
}

static void instances_come_and_go(void) {
  unit_case = "come and go";
  wmi_history_t *h = wmi_history_new();
  const unsigned r1[] = {1, 2, 3};
  const unsigned r2[] = {5, 1, 3}; /* 2 vanished, 5 is new */
  const unsigned fresh2[] = {5};
  const unsigned r3[] = {2, 3, 5, 1}; /* 2 is back: forgotten, so new */
  const unsigned fresh3[] = {2};
  run(h, 1, r1, 3, 0, NULL, 0);
  run(h, 2, r2, 3, 1, fresh2, 1);
  CHECK(wmi_history_size(h) == 3, "the vanished one forgotten: %zu",
        wmi_history_size(h));
  run(h, 3, r3, 4, 2, fresh3, 1);
  CHECK(wmi_history_size(h) == 4, "4 keys: %zu", wmi_history_size(h));
  /* An empty completed run forgets everything. */
  wmi_history_begin(h);
  wmi_history_end(h);
  CHECK(wmi_history_size(h) == 0, "all forgotten: %zu", wmi_history_size(h));
  run(h, 4, r1, 3, 0, NULL, 0);
  wmi_history_free(h);
}

static void abort_keeps_reference(void) {
  unit_case = "abort";
  wmi_history_t *h = wmi_history_new();
  const unsigned r1[] = {1, 2};
  run(h, 1, r1, 2, 0, NULL, 0);

  /* Run 2 stores 2 and a new 9, then fails. */
  wmi_history_begin(h);
  wmi_counter_sample_t s2 = sample_of(2, 2), s9 = sample_of(9, 2);
  CHECK(is_sample_of(wmi_history_swap(h, key_name(2), &s2, 1), 2, 1),
        "run 2 pairs with run 1");
  CHECK(wmi_history_swap(h, key_name(9), &s9, 1) == NULL, "9 is new");
  CHECK(wmi_history_size(h) == 3, "during the run: 3 keys");
  wmi_history_abort(h);
  CHECK(wmi_history_size(h) == 2, "the new key of the failed run goes: %zu",
        wmi_history_size(h));

  /* Run 3 still pairs with run 1, for 2 (stored by the failed run) and 1
   * (not seen by it: a failed run forgets nothing); 9 is new again. */
  const unsigned r3[] = {2, 9, 1};
  const unsigned fresh3[] = {9};
  run(h, 3, r3, 3, 1, fresh3, 1);

  /* A run begun and never ended counts as failed. */
  wmi_history_begin(h);
  wmi_counter_sample_t s1 = sample_of(1, 4);
  CHECK(is_sample_of(wmi_history_swap(h, key_name(1), &s1, 1), 1, 3),
        "run 4 pairs with run 3");
  const unsigned r5[] = {1, 2, 9};
  run(h, 5, r5, 3, 3, NULL, 0); /* begin aborts run 4 */
  wmi_history_free(h);
}

static void sample_count_changes(void) {
  unit_case = "another n";
  wmi_history_t *h = wmi_history_new();
  wmi_counter_sample_t two[2] = {sample_of(1, 1), sample_of(2, 1)};
  wmi_counter_sample_t three[3] = {sample_of(1, 2), sample_of(2, 2),
                                   sample_of(3, 2)};
  wmi_counter_sample_t three_b[3] = {sample_of(1, 3), sample_of(2, 3),
                                     sample_of(3, 3)};
  wmi_history_begin(h);
  CHECK(wmi_history_swap(h, "k", two, 2) == NULL, "first run");
  wmi_history_end(h);
  wmi_history_begin(h);
  CHECK(wmi_history_swap(h, "k", three, 3) == NULL, "2 samples then 3: none");
  wmi_history_end(h);
  wmi_history_begin(h);
  const wmi_counter_sample_t *prev = wmi_history_swap(h, "k", three_b, 3);
  CHECK(prev != NULL && is_sample_of(&prev[0], 1, 2) &&
            is_sample_of(&prev[1], 2, 2) && is_sample_of(&prev[2], 3, 2),
        "3 and 3: all three of run 2");
  wmi_history_end(h);
  wmi_history_free(h);
}

static void duplicate_key_in_a_run(void) {
  unit_case = "same key twice";
  wmi_history_t *h = wmi_history_new();
  wmi_counter_sample_t a1 = sample_of(1, 1), a2 = sample_of(1, 2),
                       b2 = sample_of(2, 2), a3 = sample_of(1, 3);
  wmi_history_begin(h);
  wmi_history_swap(h, "k", &a1, 1);
  wmi_history_end(h);
  wmi_history_begin(h);
  const wmi_counter_sample_t *p1 = wmi_history_swap(h, "k", &a2, 1);
  const wmi_counter_sample_t *p2 = wmi_history_swap(h, "k", &b2, 1);
  CHECK(is_sample_of(p1, 1, 1) && is_sample_of(p2, 1, 1),
        "both get the reference");
  CHECK(wmi_history_size(h) == 1, "one key");
  wmi_history_end(h);
  wmi_history_begin(h);
  CHECK(is_sample_of(wmi_history_swap(h, "k", &a3, 1), 2, 2),
        "the last store of the run wins");
  wmi_history_end(h);
  wmi_history_free(h);
}

/* 64 keys of 100,000 bytes differing only in their last bytes (enough of
 * them to share buckets), a key that is a prefix of the others and one
 * differing in its first byte stay apart. */
static void long_keys(void) {
  unit_case = "long keys";
  enum { LEN = 100000, KEYS = 66 };
  char *keys[KEYS];
  for (int k = 0; k < KEYS; k++) {
    keys[k] = malloc(LEN + 1);
    memset(keys[k], 'x', LEN);
    snprintf(keys[k] + LEN - 3, 4, "%03d", k);
  }
  keys[KEYS - 2][LEN - 3] = '\0'; /* a prefix of every other key */
  keys[KEYS - 1][0] = 'y';
  wmi_history_t *h = wmi_history_new();
  int wrong = 0;
  for (unsigned r = 1; r <= 3; r++) {
    wmi_history_begin(h);
    for (unsigned k = 0; k < KEYS; k++) {
      unsigned i = r == 2 ? KEYS - 1 - k : k; /* reversed in run 2 */
      wmi_counter_sample_t s = sample_of(i, r);
      const wmi_counter_sample_t *prev = wmi_history_swap(h, keys[i], &s, 1);
      wrong += r == 1 ? prev != NULL : !is_sample_of(prev, i, r - 1);
    }
    wmi_history_end(h);
  }
  CHECK(wrong == 0, "%d keys got another key's sample or none", wrong);
  CHECK(wmi_history_size(h) == KEYS, "%d keys: %zu", KEYS, wmi_history_size(h));
  /* The empty key is a key like any other. */
  wmi_history_begin(h);
  wmi_counter_sample_t e = sample_of(7, 1);
  CHECK(wmi_history_swap(h, "", &e, 1) == NULL, "empty key new");
  wmi_history_end(h);
  wmi_history_begin(h);
  CHECK(is_sample_of(wmi_history_swap(h, "", &e, 1), 7, 1), "empty key kept");
  wmi_history_end(h);
  wmi_history_free(h);
  for (int k = 0; k < KEYS; k++)
    free(keys[k]);
}

/* 20,000 instances over runs in different orders, then half of them: every
 * key paired with its own sample, the table shrinking to the run's keys. */
static void many_keys(void) {
  unit_case = "many keys";
  enum { N = 20000 };
  unsigned *keys = malloc(N * sizeof(*keys));
  for (unsigned i = 0; i < N; i++)
    keys[i] = i;
  wmi_history_t *h = wmi_history_new();
  int wrong = 0;
  for (unsigned r = 1; r <= 4; r++) {
    /* Run 2 reversed, run 3 strided, run 4 only the odd keys. */
    wmi_history_begin(h);
    for (unsigned i = 0; i < N; i++) {
      unsigned k = r == 2 ? N - 1 - i : r == 3 ? (i * 7919u) % N : i;
      if (r == 4 && k % 2 == 0)
        continue;
      wmi_counter_sample_t s = sample_of(k, r);
      const wmi_counter_sample_t *prev =
          wmi_history_swap(h, key_name(k), &s, 1);
      wrong += r == 1 ? prev != NULL : !is_sample_of(prev, k, r - 1);
    }
    wmi_history_end(h);
    CHECK(wmi_history_size(h) == (r == 4 ? N / 2 : N), "run %u: %zu keys", r,
          wmi_history_size(h));
  }
  CHECK(wrong == 0, "%d keys got another key's sample or none", wrong);
  wmi_history_free(h);
  free(keys);
}

/* A reference stays readable while the table grows under it (ASan would
 * see a use after free). */
static void reference_survives_growth(void) {
  unit_case = "growth";
  wmi_history_t *h = wmi_history_new();
  wmi_counter_sample_t s = sample_of(1, 1);
  wmi_history_begin(h);
  wmi_history_swap(h, "first", &s, 1);
  wmi_history_end(h);
  wmi_history_begin(h);
  wmi_counter_sample_t s2 = sample_of(1, 2);
  const wmi_counter_sample_t *prev = wmi_history_swap(h, "first", &s2, 1);
  for (unsigned i = 0; i < 5000; i++) {
    wmi_counter_sample_t x = sample_of(i, 2);
    wmi_history_swap(h, key_name(i), &x, 1);
  }
  CHECK(is_sample_of(prev, 1, 1), "the reference is intact");
  wmi_history_end(h);
  wmi_history_free(h);
}

static void refused_stores(void) {
  unit_case = "refused";
  wmi_history_t *h = wmi_history_new();
  wmi_counter_sample_t s = sample_of(1, 1);
  wmi_history_begin(h);
  wmi_history_swap(h, "k", &s, 1);
  wmi_history_end(h);

  wmi_history_begin(h);
  CHECK(wmi_history_swap(h, NULL, &s, 1) == NULL, "NULL key");
  CHECK(wmi_history_swap(h, "z", NULL, 1) == NULL, "NULL samples");
  CHECK(wmi_history_swap(h, "z", &s, 0) == NULL, "no samples");
  /* Too many samples to allocate: out of memory, so no value now and no
   * history next time, though "k" had one. */
  CHECK(wmi_history_swap(h, "k", &s, SIZE_MAX / sizeof(s) + 1) == NULL,
        "out of memory");
  wmi_history_end(h);
  CHECK(wmi_history_size(h) == 0, "nothing kept: %zu", wmi_history_size(h));
  wmi_history_begin(h);
  CHECK(wmi_history_swap(h, "k", &s, 1) == NULL, "k has no history");
  wmi_history_end(h);
  CHECK(wmi_history_size(h) == 1, "k stored again");

  /* A failed store after a good one in the same run forgets the good one
   * (the caller got NULL: it must not find a pairing next time). */
  wmi_history_begin(h);
  wmi_history_swap(h, "k", &s, 1);
  wmi_history_swap(h, "k", &s, SIZE_MAX / sizeof(s) + 1);
  wmi_history_end(h);
  CHECK(wmi_history_size(h) == 0, "forgotten: %zu", wmi_history_size(h));

  wmi_history_free(h);
  wmi_history_free(NULL);
  wmi_history_begin(NULL);
  wmi_history_end(NULL);
  wmi_history_abort(NULL);
  CHECK(wmi_history_size(NULL) == 0, "NULL history is empty");
  CHECK(wmi_history_swap(NULL, "k", &s, 1) == NULL, "NULL history");
}

/* The use it is made for: % Processor Time of processes cooked from two
 * runs whose objects come in another order. Pairing by position would mix
 * the two processes; pairing by key gives each its own share. */
static void cooked_by_instance(void) {
  unit_case = "cooked by instance";
  const uint32_t timer_100ns = 542180608u; /* PERF_100NSEC_TIMER */
  wmi_history_t *h = wmi_history_new();
  /* Run 1 at t = 0: a has used 1 s of CPU, b 5 s. */
  const char *keys1[] = {"a", "b"};
  wmi_counter_sample_t run1[] = {{10000000, 0, 0, 0}, {50000000, 0, 0, 0}};
  /* Run 2 at t = 1 s (10,000,000 * 100 ns), b first: b used 0.25 s more
   * (25 %), a 2 s more on several cores (200 %). */
  const char *keys2[] = {"b", "a"};
  wmi_counter_sample_t run2[] = {{52500000, 0, 10000000, 0},
                                 {30000000, 0, 10000000, 0}};
  const double want2[] = {25, 200};
  wmi_history_begin(h);
  for (int i = 0; i < 2; i++) {
    double out = -1;
    const wmi_counter_sample_t *prev =
        wmi_history_swap(h, keys1[i], &run1[i], 1);
    CHECK(wmi_counter_cook(timer_100ns, prev, &run1[i], &out, NULL) ==
              WMI_COOK_NO_VALUE,
          "%s: first run gives no value", keys1[i]);
  }
  wmi_history_end(h);
  wmi_history_begin(h);
  for (int i = 0; i < 2; i++) {
    double out = -1;
    const wmi_counter_sample_t *prev =
        wmi_history_swap(h, keys2[i], &run2[i], 1);
    CHECK(wmi_counter_cook(timer_100ns, prev, &run2[i], &out, NULL) ==
                  WMI_COOK_OK &&
              out == want2[i],
          "%s: %g %%, want %g", keys2[i], out, want2[i]);
  }
  wmi_history_end(h);
  wmi_history_free(h);
}

int main(void) {
  paired_by_key();
  instances_come_and_go();
  abort_keeps_reference();
  sample_count_changes();
  duplicate_key_in_a_run();
  long_keys();
  many_keys();
  reference_survives_growth();
  refused_stores();
  cooked_by_instance();
  return unit_summary("history");
}
