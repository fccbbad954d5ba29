#include "types_file.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct types_file {
  data_set_t *sets;
  size_t num;
};

static int ds_type_of(const char *name) {
  static const struct {
    const char *name;
    int type;
  } known[] = {{"GAUGE", DS_TYPE_GAUGE},
               {"DERIVE", DS_TYPE_DERIVE},
               {"COUNTER", DS_TYPE_COUNTER},
               {"ABSOLUTE", DS_TYPE_ABSOLUTE}};
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    if (strcmp(known[i].name, name) == 0)
      return known[i].type;
  return -1;
}

static double limit_of(const char *text) {
  return strcmp(text, "U") == 0 ? NAN : strtod(text, NULL);
}

/* One "name:TYPE:min:max" field into ds; 0 or -1. */
static int parse_source(char *field, data_source_t *ds) {
  char *type = strchr(field, ':');
  char *min = type ? strchr(type + 1, ':') : NULL;
  char *max = min ? strchr(min + 1, ':') : NULL;
  if (max == NULL)
    return -1;
  *type++ = '\0';
  *min++ = '\0';
  *max++ = '\0';
  snprintf(ds->name, sizeof(ds->name), "%s", field);
  ds->type = ds_type_of(type);
  ds->min = limit_of(min);
  ds->max = limit_of(max);
  return ds->type < 0 ? -1 : 0;
}

/* The next word of *at (separated by spaces, tabs, commas, line ends),
 * NUL-terminated in place, or NULL. */
static char *next_word(char **at) {
  char *s = *at + strspn(*at, " ,\t\r\n");
  if (*s == '\0')
    return NULL;
  char *end = s + strcspn(s, " ,\t\r\n");
  *at = *end ? end + 1 : end;
  *end = '\0';
  return s;
}

/* One line into set; 1 for a set, 0 for a blank or comment line, -1. */
static int parse_line(char *line, data_set_t *set) {
  memset(set, 0, sizeof(*set));
  char *name = next_word(&line);
  if (name == NULL || name[0] == '#')
    return 0;
  snprintf(set->type, sizeof(set->type), "%s", name);
  for (char *f; (f = next_word(&line)) != NULL;) {
    data_source_t *grown =
        realloc(set->ds, (set->ds_num + 1) * sizeof(*set->ds));
    if (grown == NULL)
      return -1;
    set->ds = grown;
    memset(&set->ds[set->ds_num], 0, sizeof(set->ds[0]));
    if (parse_source(f, &set->ds[set->ds_num++]) != 0)
      return -1;
  }
  return set->ds_num > 0 ? 1 : -1;
}

types_file_t *types_file_read(const char *path) {
  FILE *f = fopen(path, "r");
  types_file_t *t = f ? calloc(1, sizeof(*t)) : NULL;
  char line[1024];
  int status = t ? 0 : -1;
  while (status == 0 && fgets(line, sizeof(line), f) != NULL) {
    data_set_t set;
    int got = parse_line(line, &set);
    data_set_t *grown =
        got == 1 ? realloc(t->sets, (t->num + 1) * sizeof(set)) : t->sets;
    if (got < 0 || grown == NULL) {
      free(set.ds);
      status = -1;
    } else if (got == 1) {
      t->sets = grown;
      t->sets[t->num++] = set;
    }
  }
  if (f != NULL)
    fclose(f);
  if (status != 0 || (t != NULL && t->num == 0)) {
    types_file_free(t);
    return NULL;
  }
  return t;
}

void types_file_free(types_file_t *types) {
  if (types == NULL)
    return;
  for (size_t i = 0; i < types->num; i++)
    free(types->sets[i].ds);
  free(types->sets);
  free(types);
}

const data_set_t *types_file_lookup(const char *type, void *ctx) {
  const types_file_t *t = ctx;
  for (size_t i = 0; i < t->num; i++)
    if (strcmp(t->sets[i].type, type) == 0)
      return &t->sets[i];
  return NULL;
}
