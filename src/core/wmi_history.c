/* Previous samples per instance key: a chained hash table whose entries
 * hold two sample buffers, the reference (last completed run) and this
 * run's store, swapped when a run completes so neither is reallocated in
 * the steady state. */
#include "wmi_history.h"

#include "wmi_hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_BUCKETS_MIN 16

typedef struct history_entry_s {
  struct history_entry_s *next; /* in its bucket */
  uint64_t hash;
  wmi_counter_sample_t *ref; /* the previous completed run's samples */
  size_t ref_n;              /* 0: none (the key is new in this run) */
  size_t ref_cap;
  wmi_counter_sample_t *cur; /* this run's samples */
  size_t cur_n;              /* 0: not stored in this run */
  size_t cur_cap;
  char key[]; /* NUL-terminated */
} history_entry_t;

struct wmi_history_s {
  history_entry_t **buckets;
  size_t buckets_num; /* a power of 2 */
  size_t entries_num;
};

static uint64_t key_hash(const char *key) {
  return wmi_fnv_str(WMI_FNV_OFFSET, key);
}

wmi_history_t *wmi_history_new(void) {
  wmi_history_t *h = calloc(1, sizeof(*h));
  if (h == NULL)
    return NULL;
  h->buckets = calloc(HISTORY_BUCKETS_MIN, sizeof(*h->buckets));
  if (h->buckets == NULL) {
    free(h);
    return NULL;
  }
  h->buckets_num = HISTORY_BUCKETS_MIN;
  return h;
}

static void entry_free(history_entry_t *e) {
  free(e->ref);
  free(e->cur);
  free(e);
}

void wmi_history_free(wmi_history_t *h) {
  if (h == NULL)
    return;
  for (size_t i = 0; i < h->buckets_num; i++) {
    history_entry_t *e = h->buckets[i];
    while (e != NULL) {
      history_entry_t *next = e->next;
      entry_free(e);
      e = next;
    }
  }
  free(h->buckets);
  free(h);
}

static history_entry_t **bucket_of(const wmi_history_t *h, uint64_t hash) {
  return &h->buckets[hash & (h->buckets_num - 1)];
}

static history_entry_t *entry_find(const wmi_history_t *h, const char *key,
                                   uint64_t hash) {
  for (history_entry_t *e = *bucket_of(h, hash); e != NULL; e = e->next)
    if (e->hash == hash && strcmp(e->key, key) == 0)
      return e;
  return NULL;
}

/* Doubles the bucket array once entries outnumber buckets; on failure the
 * table stays as it is, only slower. */
static void table_grow(wmi_history_t *h) {
  if (h->entries_num < h->buckets_num ||
      h->buckets_num > SIZE_MAX / 2 / sizeof(*h->buckets))
    return;
  size_t num = h->buckets_num * 2;
  history_entry_t **buckets = calloc(num, sizeof(*buckets));
  if (buckets == NULL)
    return;
  for (size_t i = 0; i < h->buckets_num; i++) {
    history_entry_t *e = h->buckets[i];
    while (e != NULL) {
      history_entry_t *next = e->next;
      history_entry_t **b = &buckets[e->hash & (num - 1)];
      e->next = *b;
      *b = e;
      e = next;
    }
  }
  free(h->buckets);
  h->buckets = buckets;
  h->buckets_num = num;
}

static history_entry_t *entry_add(wmi_history_t *h, const char *key,
                                  uint64_t hash) {
  size_t len = strlen(key);
  if (len > SIZE_MAX - sizeof(history_entry_t) - 1)
    return NULL;
  history_entry_t *e = calloc(1, sizeof(*e) + len + 1);
  if (e == NULL)
    return NULL;
  memcpy(e->key, key, len + 1);
  e->hash = hash;
  table_grow(h);
  history_entry_t **b = bucket_of(h, hash);
  e->next = *b;
  *b = e;
  h->entries_num++;
  return e;
}

/* Copies cur[0 .. n) into e's store for this run, growing its buffer when
 * needed. False when out of memory (then nothing is stored). */
static bool entry_store(history_entry_t *e, const wmi_counter_sample_t *cur,
                        size_t n) {
  if (n > e->cur_cap) {
    if (n > SIZE_MAX / sizeof(*cur))
      return false;
    wmi_counter_sample_t *buf = malloc(n * sizeof(*cur));
    if (buf == NULL)
      return false;
    free(e->cur);
    e->cur = buf;
    e->cur_cap = n;
  }
  memcpy(e->cur, cur, n * sizeof(*cur));
  e->cur_n = n;
  return true;
}

const wmi_counter_sample_t *wmi_history_swap(wmi_history_t *h, const char *key,
                                             const wmi_counter_sample_t *cur,
                                             size_t n) {
  if (h == NULL || key == NULL || cur == NULL || n == 0)
    return NULL;
  uint64_t hash = key_hash(key);
  history_entry_t *e = entry_find(h, key, hash);
  if (e == NULL)
    e = entry_add(h, key, hash);
  if (e == NULL)
    return NULL;
  e->cur_n = 0; /* a failed store forgets an earlier one of this run */
  if (!entry_store(e, cur, n))
    return NULL;
  return e->ref_n == n ? e->ref : NULL;
}

/* Walks every entry, removing those for which `settle` returns false. */
static void table_settle(wmi_history_t *h, bool (*settle)(history_entry_t *)) {
  for (size_t i = 0; i < h->buckets_num; i++) {
    history_entry_t **link = &h->buckets[i];
    while (*link != NULL) {
      history_entry_t *e = *link;
      if (settle(e)) {
        link = &e->next;
      } else {
        *link = e->next;
        entry_free(e);
        h->entries_num--;
      }
    }
  }
}

/* This run's store becomes the reference; a key not stored goes. */
static bool settle_completed(history_entry_t *e) {
  if (e->cur_n == 0)
    return false;
  wmi_counter_sample_t *buf = e->ref;
  size_t cap = e->ref_cap;
  e->ref = e->cur;
  e->ref_cap = e->cur_cap;
  e->ref_n = e->cur_n;
  e->cur = buf;
  e->cur_cap = cap;
  e->cur_n = 0;
  return true;
}

/* This run's store is dropped; a key new in this run goes. */
static bool settle_aborted(history_entry_t *e) {
  e->cur_n = 0;
  return e->ref_n != 0;
}

void wmi_history_begin(wmi_history_t *h) { wmi_history_abort(h); }

void wmi_history_end(wmi_history_t *h) {
  if (h != NULL)
    table_settle(h, settle_completed);
}

void wmi_history_abort(wmi_history_t *h) {
  if (h != NULL)
    table_settle(h, settle_aborted);
}

size_t wmi_history_size(const wmi_history_t *h) {
  return h != NULL ? h->entries_num : 0;
}
