/* Getters for one option of a <Plugin wmi> block: each checks the option's
 * arguments, logs what is wrong naming the block and option, and stores
 * them in the block's struct of the model. They share one signature, so
 * that a table entry (wmi_option_t, in wmi_config_parse.c) pairs an option
 * name with its getter and field. Called by the parser only, on the
 * configuring thread (see wmi_config.h). */
#ifndef WMI_CONFIG_GETTERS_H
#define WMI_CONFIG_GETTERS_H

#include "wmi_config_model.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct wmi_option wmi_option_t;

/* Stores opt, an option of a block whose struct is `block` (a
 * wmi_config_t, wmi_query_t, wmi_host_t or wmi_result_t); `where` names the
 * block in messages; `repeated`: the option was given before in this
 * block. Returns 0, or -1 after logging. What it stores is the block's:
 * wmi_config_free frees it. */
typedef int (*wmi_option_get_fn)(const wmi_option_t *o, const char *where,
                                 const oconfig_item_t *opt, void *block,
                                 bool repeated);

struct wmi_option {
  const char *name; /* as the parser matches it, without case */
  wmi_option_get_fn get;
  size_t field; /* offsetof the value in the block's struct */
  size_t count; /* a list's element count, or a number's "given" flag */
};

/* Logs `<where>: option "<key>" <what>`, the form of every option error. */
void wmi_option_error(const char *where, const oconfig_item_t *opt,
                      const char *what);

/* Generic getters, for the value at o->field. */
int wmi_option_string(const wmi_option_t *o, const char *where,
                      const oconfig_item_t *opt, void *block, bool repeated);
/* Appends to a char ** list counted by the size_t at o->count; may repeat. */
int wmi_option_strings(const wmi_option_t *o, const char *where,
                       const oconfig_item_t *opt, void *block, bool repeated);
/* A cdtime_t from WMI_SECONDS_MIN to WMI_SECONDS_MAX seconds. */
int wmi_option_seconds(const wmi_option_t *o, const char *where,
                       const oconfig_item_t *opt, void *block, bool repeated);
/* A finite double, given once; sets the bool at o->count. */
int wmi_option_number(const wmi_option_t *o, const char *where,
                      const oconfig_item_t *opt, void *block, bool repeated);
int wmi_option_bool(const wmi_option_t *o, const char *where,
                    const oconfig_item_t *opt, void *block, bool repeated);

/* Getters of one option each; o->field is unused. */
int wmi_option_max_concurrent(const wmi_option_t *o, const char *where,
                              const oconfig_item_t *opt, void *host,
                              bool repeated);
int wmi_option_provider_architecture(const wmi_option_t *o, const char *where,
                                     const oconfig_item_t *opt, void *query,
                                     bool repeated);
int wmi_option_counter_type(const wmi_option_t *o, const char *where,
                            const oconfig_item_t *opt, void *result,
                            bool repeated);
int wmi_option_value_map(const wmi_option_t *o, const char *where,
                         const oconfig_item_t *opt, void *result,
                         bool repeated);
int wmi_option_duplicates(const wmi_option_t *o, const char *where,
                          const oconfig_item_t *opt, void *result,
                          bool repeated);

#endif
