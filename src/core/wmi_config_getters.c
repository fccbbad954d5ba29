/* Why not collectd's cf_util_get_* (src/daemon/configfile.c): these must
 * be our own, and they are stricter. Every error names the block as well as
 * the option (`Query "disk", Result 2: option "Scale" ...`); they refuse
 * empty strings, an option given twice (cf_util_get_string keeps the last),
 * numbers out of range or not finite, and quoted booleans (accepted there
 * with a warning); and the native unit tests run without the collectd
 * daemon, which is what exports cf_util_*. One shape check and one repeat
 * check serve them all. */
#include "wmi_config_getters.h"

#include "wmi_config_alloc.h"
#include "wmi_counter.h"
#include "wmi_log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void wmi_option_error(const char *where, const oconfig_item_t *opt,
                      const char *what) {
  wmi_log(LOG_ERR, "%s: option \"%s\" %s", where, opt->key, what);
}

static void *field_of(void *block, size_t offset) {
  return (char *)block + offset;
}

/* The option's one argument when it has exactly one, of the given type;
 * else NULL, after logging that the option `needs`. */
static const oconfig_value_t *one_arg(const char *where,
                                      const oconfig_item_t *opt, int type,
                                      const char *needs) {
  if (opt->values_num == 1 && opt->values[0].type == type)
    return &opt->values[0];
  wmi_option_error(where, opt, needs);
  return NULL;
}

/* For options given at most once per block. */
static int refuse_repeat(const char *where, const oconfig_item_t *opt,
                         bool repeated) {
  if (repeated)
    wmi_option_error(where, opt, "is given more than once");
  return repeated ? -1 : 0;
}

int wmi_option_string(const wmi_option_t *o, const char *where,
                      const oconfig_item_t *opt, void *block, bool repeated) {
  const oconfig_value_t *v = one_arg(where, opt, OCONFIG_TYPE_STRING,
                                     "needs exactly one string argument");
  if (v == NULL)
    return -1;
  if (v->value.string[0] == '\0') {
    wmi_option_error(where, opt, "must not be empty");
    return -1;
  }
  if (refuse_repeat(where, opt, repeated) != 0)
    return -1;
  char **out = field_of(block, o->field);
  *out = wmi_config_strdup(v->value.string);
  return *out ? 0 : -1;
}

int wmi_option_strings(const wmi_option_t *o, const char *where,
                       const oconfig_item_t *opt, void *block, bool repeated) {
  (void)repeated; /* lists may be given in several lines */
  char ***list = field_of(block, o->field);
  size_t *num = field_of(block, o->count);
  if (opt->values_num < 1) {
    wmi_option_error(where, opt, "needs at least one string argument");
    return -1;
  }
  for (int i = 0; i < opt->values_num; i++) {
    if (opt->values[i].type != OCONFIG_TYPE_STRING ||
        opt->values[i].value.string[0] == '\0') {
      wmi_option_error(where, opt, "takes only non-empty string arguments");
      return -1;
    }
  }
  char **grown = realloc(*list, (*num + opt->values_num) * sizeof(**list));
  if (grown == NULL) {
    wmi_log(LOG_ERR, "out of memory");
    return -1;
  }
  *list = grown;
  for (int i = 0; i < opt->values_num; i++) {
    grown[*num] = wmi_config_strdup(opt->values[i].value.string);
    if (grown[*num] == NULL)
      return -1;
    (*num)++;
  }
  return 0;
}

int wmi_option_seconds(const wmi_option_t *o, const char *where,
                       const oconfig_item_t *opt, void *block, bool repeated) {
  (void)repeated; /* the last one counts */
  const oconfig_value_t *v = one_arg(where, opt, OCONFIG_TYPE_NUMBER,
                                     "needs exactly one number (seconds)");
  if (v == NULL)
    return -1;
  double seconds = v->value.number;
  if (!(seconds >= WMI_SECONDS_MIN && seconds <= WMI_SECONDS_MAX)) {
    wmi_option_error(where, opt,
                     "must be a number of seconds from 0.1 to 86400");
    return -1;
  }
  *(cdtime_t *)field_of(block, o->field) = DOUBLE_TO_CDTIME_T(seconds);
  return 0;
}

int wmi_option_number(const wmi_option_t *o, const char *where,
                      const oconfig_item_t *opt, void *block, bool repeated) {
  const oconfig_value_t *v =
      one_arg(where, opt, OCONFIG_TYPE_NUMBER, "needs exactly one number");
  if (v == NULL || refuse_repeat(where, opt, repeated) != 0)
    return -1;
  if (!isfinite(v->value.number)) {
    wmi_option_error(where, opt, "must be a finite number");
    return -1;
  }
  *(double *)field_of(block, o->field) = v->value.number;
  *(bool *)field_of(block, o->count) = true;
  return 0;
}

int wmi_option_bool(const wmi_option_t *o, const char *where,
                    const oconfig_item_t *opt, void *block, bool repeated) {
  (void)repeated; /* the last one counts */
  const oconfig_value_t *v =
      one_arg(where, opt, OCONFIG_TYPE_BOOLEAN,
              "needs exactly one boolean (true or false)");
  if (v == NULL)
    return -1;
  *(bool *)field_of(block, o->field) = v->value.boolean;
  return 0;
}

int wmi_option_max_concurrent(const wmi_option_t *o, const char *where,
                              const oconfig_item_t *opt, void *host,
                              bool repeated) {
  (void)o, (void)repeated; /* the last one counts */
  const int min = 1, max = WMI_MAX_CONCURRENT_LIMIT;
  const oconfig_value_t *v =
      one_arg(where, opt, OCONFIG_TYPE_NUMBER, "needs exactly one number");
  if (v == NULL)
    return -1;
  double number = v->value.number;
  if (!(number >= min && number <= max) || number != floor(number)) {
    char what[64];
    snprintf(what, sizeof(what), "must be an integer from %d to %d", min, max);
    wmi_option_error(where, opt, what);
    return -1;
  }
  ((wmi_host_t *)host)->max_concurrent = (int)number;
  return 0;
}

int wmi_option_provider_architecture(const wmi_option_t *o, const char *where,
                                     const oconfig_item_t *opt, void *query,
                                     bool repeated) {
  (void)o, (void)repeated; /* the last one counts */
  bool ok =
      opt->values_num == 1 && opt->values[0].type == OCONFIG_TYPE_NUMBER &&
      (opt->values[0].value.number == 32 || opt->values[0].value.number == 64);
  if (!ok) {
    wmi_option_error(where, opt, "must be 32 or 64");
    return -1;
  }
  ((wmi_query_t *)query)->provider_architecture =
      (int)opt->values[0].value.number;
  return 0;
}

/* CounterType "auto" or a counter type's name, as in winperf.h. */
int wmi_option_counter_type(const wmi_option_t *o, const char *where,
                            const oconfig_item_t *opt, void *result,
                            bool repeated) {
  (void)o;
  wmi_result_t *r = result;
  const oconfig_value_t *v =
      one_arg(where, opt, OCONFIG_TYPE_STRING,
              "needs one string: \"auto\" or a counter type such as "
              "\"PERF_100NSEC_TIMER_INV\"");
  if (v == NULL || refuse_repeat(where, opt, repeated) != 0)
    return -1;
  const char *name = v->value.string;
  r->cooked = true;
  if (strcasecmp(name, "auto") == 0) {
    r->counter_auto = true;
    return 0;
  }
  if (wmi_counter_type_by_name(name, &r->counter_type))
    return 0;
  char what[256];
  snprintf(what, sizeof(what),
           "names the counter type \"%s\", which is unknown or not "
           "supported (see collectd-wmi(5) for the list)",
           name);
  wmi_option_error(where, opt, what);
  return -1;
}

/* ValueMap "string" number ...: appends the pairs; the option may repeat,
 * a string may be mapped only once. */
int wmi_option_value_map(const wmi_option_t *o, const char *where,
                         const oconfig_item_t *opt, void *result,
                         bool repeated) {
  (void)o, (void)repeated;
  wmi_result_t *r = result;
  if (opt->values_num < 2 || opt->values_num % 2 != 0) {
    wmi_option_error(where, opt, "needs pairs of a string and a number");
    return -1;
  }
  for (int i = 0; i < opt->values_num; i += 2) {
    if (opt->values[i].type != OCONFIG_TYPE_STRING ||
        opt->values[i + 1].type != OCONFIG_TYPE_NUMBER) {
      wmi_option_error(where, opt, "needs pairs of a string and a number");
      return -1;
    }
    if (!isfinite(opt->values[i + 1].value.number)) {
      wmi_option_error(where, opt, "must map to finite numbers");
      return -1;
    }
  }
  size_t pairs = (size_t)opt->values_num / 2, num = r->value_map_num;
  char **strings =
      realloc(r->value_map_strings, (num + pairs) * sizeof(*strings));
  if (strings != NULL)
    r->value_map_strings = strings;
  double *numbers =
      realloc(r->value_map_numbers, (num + pairs) * sizeof(*numbers));
  if (numbers != NULL)
    r->value_map_numbers = numbers;
  if (strings == NULL || numbers == NULL) {
    wmi_log(LOG_ERR, "out of memory");
    return -1;
  }
  for (size_t p = 0; p < pairs; p++) {
    const char *text = opt->values[2 * p].value.string;
    /* Maps are short (a handful of states): a linear scan will do. */
    for (size_t k = 0; k < r->value_map_num; k++) {
      if (strcmp(r->value_map_strings[k], text) == 0) {
        wmi_log(LOG_ERR, "%s: option \"%s\" maps \"%s\" more than once", where,
                opt->key, text);
        return -1;
      }
    }
    char *copy = wmi_config_strdup(text);
    if (copy == NULL)
      return -1;
    r->value_map_strings[r->value_map_num] = copy;
    r->value_map_numbers[r->value_map_num] =
        opt->values[2 * p + 1].value.number;
    r->value_map_num++;
  }
  return 0;
}

/* Duplicates "keep one" or "sum", in the order of wmi_duplicates_t. */
int wmi_option_duplicates(const wmi_option_t *o, const char *where,
                          const oconfig_item_t *opt, void *result,
                          bool repeated) {
  (void)o, (void)repeated; /* the last one counts */
  static const char *const words[] = {"keep one", "sum", NULL};
  if (opt->values_num == 1 && opt->values[0].type == OCONFIG_TYPE_STRING)
    for (int k = 0; words[k] != NULL; k++)
      if (strcasecmp(opt->values[0].value.string, words[k]) == 0) {
        ((wmi_result_t *)result)->duplicates = (wmi_duplicates_t)k;
        return 0;
      }
  char what[160] = "takes one of";
  for (int k = 0; words[k] != NULL; k++) {
    size_t used = strlen(what);
    snprintf(what + used, sizeof(what) - used, "%s \"%s\"", k ? "," : "",
             words[k]);
  }
  wmi_option_error(where, opt, what);
  return -1;
}
