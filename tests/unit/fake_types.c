#include "fake_types.h"

#include <math.h>
#include <string.h>

static data_source_t gauge_ds[] = {{"value", DS_TYPE_GAUGE, 0, NAN}};
static data_source_t derive_ds[] = {{"value", DS_TYPE_DERIVE, 0, NAN}};
static data_source_t counter_ds[] = {{"value", DS_TYPE_COUNTER, 0, NAN}};
static data_source_t absolute_ds[] = {{"value", DS_TYPE_ABSOLUTE, 0, NAN}};
static data_source_t if_octets_ds[] = {{"rx", DS_TYPE_DERIVE, 0, NAN},
                                       {"tx", DS_TYPE_DERIVE, 0, NAN}};
static data_source_t ps_count_ds[] = {{"processes", DS_TYPE_GAUGE, 0, 1e6},
                                      {"threads", DS_TYPE_GAUGE, 0, 1e6}};
/* A gauge then an integer, as in types.db's mysql_threads. */
static data_source_t gauge_derive_ds[] = {{"level", DS_TYPE_GAUGE, 0, NAN},
                                          {"count", DS_TYPE_DERIVE, 0, NAN}};

static data_set_t types[] = {
    {"gauge", 1, gauge_ds},        {"df_complex", 1, gauge_ds},
    {"memory", 1, gauge_ds},       {"percent", 1, gauge_ds},
    {"queue_length", 1, gauge_ds}, {"uptime", 1, gauge_ds},
    {"derive", 1, derive_ds},      {"counter", 1, counter_ds},
    {"absolute", 1, absolute_ds},  {"if_octets", 2, if_octets_ds},
    {"ps_count", 2, ps_count_ds},  {"gauge_derive", 2, gauge_derive_ds},
};

const data_set_t *fake_types_lookup(const char *type, void *ctx) {
  (void)ctx;
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (strcmp(types[i].type, type) == 0)
      return &types[i];
  return NULL;
}
