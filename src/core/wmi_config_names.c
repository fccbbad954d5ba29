/* The names of Query and Host blocks: found twice by sorting them
 * (equal names end up adjacent), and looked up by binary search. */
#include "wmi_config_names.h"

#include "wmi_config_alloc.h"
#include "wmi_log.h"

#include <stdlib.h>
#include <strings.h>

/* A name and where it stands in its list, for finding duplicates and
 * looking names up by sorting. */
typedef struct {
  const char *name;
  size_t index;
} named_t;

static int compare_index(size_t a, size_t b) { return (a > b) - (a < b); }

/* Names without case, then by position: equal names end up adjacent, the
 * first defined first. */
static int compare_named(const void *a, const void *b) {
  const named_t *x = a, *y = b;
  int c = strcasecmp(x->name, y->name);
  return c != 0 ? c : compare_index(x->index, y->index);
}

static int compare_name_only(const void *key, const void *elem) {
  return strcasecmp(((const named_t *)key)->name,
                    ((const named_t *)elem)->name);
}

/* Sorts list and returns the first repetition of a name in list order
 * (the entry that repeats an earlier one), or NULL. */
static const named_t *sort_find_duplicate(named_t *list, size_t num) {
  qsort(list, num, sizeof(*list), compare_named);
  const named_t *found = NULL;
  for (size_t i = 1; i < num; i++)
    if (strcasecmp(list[i - 1].name, list[i].name) == 0 &&
        (found == NULL || list[i].index < found->index))
      found = &list[i];
  return found;
}

struct wmi_query_index {
  size_t num;
  named_t names[]; /* sorted by name without case */
};

int wmi_config_index_queries(const wmi_config_t *cfg, wmi_query_index_t **out) {
  wmi_query_index_t *index = wmi_config_calloc(
      1, sizeof(*index) + cfg->queries_num * sizeof(index->names[0]));
  if (index == NULL)
    return -1;
  index->num = cfg->queries_num;
  for (size_t i = 0; i < cfg->queries_num; i++)
    index->names[i] = (named_t){cfg->queries[i].name, i};
  const named_t *dup = sort_find_duplicate(index->names, index->num);
  if (dup != NULL) {
    wmi_log(LOG_ERR, "Query \"%s\" is defined more than once", dup->name);
    free(index);
    return -1;
  }
  *out = index;
  return 0;
}

void wmi_query_index_free(wmi_query_index_t *index) { free(index); }

int wmi_config_check_unique_hosts(const wmi_config_t *cfg) {
  named_t *list = wmi_config_calloc(cfg->hosts_num, sizeof(*list));
  if (list == NULL)
    return -1;
  for (size_t i = 0; i < cfg->hosts_num; i++)
    list[i] = (named_t){cfg->hosts[i].name, i};
  const named_t *dup = sort_find_duplicate(list, cfg->hosts_num);
  if (dup != NULL)
    wmi_log(LOG_ERR, "Host \"%s\" is defined more than once", dup->name);
  free(list);
  return dup != NULL ? -1 : 0;
}

int wmi_config_resolve_queries(wmi_host_t *h, const wmi_query_index_t *index) {
  h->queries = wmi_config_calloc(h->query_names_num, sizeof(*h->queries));
  named_t *listed = wmi_config_calloc(h->query_names_num, sizeof(*listed));
  if (h->queries == NULL || listed == NULL) {
    free(listed);
    return -1;
  }
  for (size_t i = 0; i < h->query_names_num; i++) {
    named_t key = {h->query_names[i], 0};
    const named_t *found = bsearch(&key, index->names, index->num,
                                   sizeof(index->names[0]), compare_name_only);
    if (found == NULL) {
      wmi_log(LOG_ERR,
              "Host \"%s\": option \"Query\": no <Query \"%s\"> is defined",
              h->name, h->query_names[i]);
      free(listed);
      return -1;
    }
    h->queries[i] = found->index;
    listed[i] = key;
    listed[i].index = i;
  }
  const named_t *dup = sort_find_duplicate(listed, h->query_names_num);
  if (dup != NULL)
    wmi_log(LOG_ERR,
            "Host \"%s\": option \"Query\": \"%s\" is listed more than once",
            h->name, dup->name);
  free(listed);
  return dup != NULL ? -1 : 0;
}
