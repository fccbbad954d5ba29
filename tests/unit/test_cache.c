/* The cache: a completed run replaces the previous one whole; each result
 * is handed to the reader once. */
#include "unit.h"
#include "wmi_cache.h"

#include <stdlib.h>

static wmi_result_t gauge_result = {.type = "gauge", .values_from_num = 1};

static wmi_batch_t *make_batch(size_t job, cdtime_t t, const char **instances,
                               size_t n) {
  wmi_batch_t *b = wmi_batch_new(job, t);
  b->samples = calloc(n, sizeof(wmi_sample_t));
  for (size_t i = 0; i < n; i++) {
    wmi_sample_t *s = &b->samples[i];
    s->result = &gauge_result;
    snprintf(s->type_instance, sizeof(s->type_instance), "%s", instances[i]);
    s->values = calloc(1, sizeof(value_t));
    s->values[0].gauge = (double)t;
  }
  b->samples_num = b->samples_cap = n;
  return b;
}

int main(void) {
  wmi_cache_t *cache = wmi_cache_new(2);
  const wmi_batch_t *out[2];

  unit_case = "empty";
  CHECK(wmi_cache_take_new(cache, out) == 0, "nothing before a run");

  unit_case = "publish";
  const char *three[] = {"a", "b", "c"};
  wmi_cache_publish(cache, make_batch(0, 100, three, 3));
  size_t n = wmi_cache_take_new(cache, out);
  CHECK(n == 1 && out[0]->samples_num == 3, "first result");
  CHECK(out[0]->time == 100, "stamped with the run's start");
  wmi_cache_release(cache, out[0]);
  CHECK(wmi_cache_take_new(cache, out) == 0, "not handed out twice");

  unit_case = "vanish";
  const char *one[] = {"b"};
  wmi_cache_publish(cache, make_batch(0, 200, one, 1));
  const char *other[] = {"x"};
  wmi_cache_publish(cache, make_batch(1, 210, other, 1));
  n = wmi_cache_take_new(cache, out);
  CHECK(n == 2, "both jobs new: %zu", n);
  CHECK(out[0]->samples_num == 1 &&
            strcmp(out[0]->samples[0].type_instance, "b") == 0,
        "instances a and c vanished with the old result");
  const wmi_batch_t *prev = wmi_cache_previous(cache, 0);
  CHECK(prev != NULL && prev->time == 100, "previous result kept for rates");
  wmi_cache_release(cache, prev);

  unit_case = "held while replaced";
  /* The reader still holds job 0's batch while two more runs land. */
  wmi_cache_publish(cache, make_batch(0, 300, three, 3));
  wmi_cache_publish(cache, make_batch(0, 400, three, 3));
  CHECK(out[0]->samples[0].values[0].gauge == 200, "held batch intact");
  wmi_cache_release(cache, out[0]);
  wmi_cache_release(cache, out[1]);
  n = wmi_cache_take_new(cache, out);
  CHECK(n == 1 && out[0]->time == 400, "only the latest run is new");
  wmi_cache_release(cache, out[0]);

  unit_case = "bad job";
  wmi_cache_publish(cache, make_batch(7, 1, one, 1)); /* freed, not kept */
  CHECK(wmi_cache_take_new(cache, out) == 0, "ignored");

  wmi_cache_free(cache);
  return unit_summary("cache");
}
