#include "schema_facts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct schema_class {
  const char *wmi_namespace, *name, *source; /* into the facts' text */
  int line;                                  /* of its "class" line */
  const char **properties;
  size_t properties_num, properties_cap;
};

struct schema_facts {
  char *text; /* a copy, cut into its words */
  schema_class_t *classes;
  size_t classes_num, classes_cap;
};

/* Grows *array (elements of size bytes, *cap allocated) to hold one more
 * than num; exits on no memory, as a test may. */
static void *reserve(void *array, size_t *cap, size_t num, size_t size) {
  if (num < *cap)
    return array;
  *cap = *cap ? 2 * *cap : 16;
  array = realloc(array, *cap * size);
  if (array == NULL) {
    fputs("schema_facts: out of memory\n", stderr);
    exit(1);
  }
  return array;
}

static bool same_namespace(const char *a, const char *b) {
  for (;; a++, b++) {
    char x = *a == '/' ? '\\' : (char)tolower((unsigned char)*a);
    char y = *b == '/' ? '\\' : (char)tolower((unsigned char)*b);
    if (x != y)
      return false;
    if (x == '\0')
      return true;
  }
}

static bool same_name(const char *a, const char *b, size_t len) {
  return strlen(a) == len && strncasecmp(a, b, len) == 0;
}

/* Cuts the next word off *p (NUL-terminating it); NULL when none is left. */
static char *cut_word(char **p) {
  char *s = *p;
  while (*s == ' ' || *s == '\t')
    s++;
  if (*s == '\0')
    return NULL;
  char *word = s;
  while (*s != '\0' && *s != ' ' && *s != '\t')
    s++;
  if (*s != '\0')
    *s++ = '\0';
  *p = s;
  return word;
}

typedef struct {
  schema_facts_t *facts;
  schema_class_t *current; /* the block being read, NULL before the first */
  const char *file;
  int line;
  char *err;
  size_t errlen;
} reader_t;

static int problem(reader_t *r, const char *what, const char *word) {
  snprintf(r->err, r->errlen, "%s:%d: %s%s%s", r->file, r->line, what,
           word ? " " : "", word ? word : "");
  return -1;
}

/* The block just read is complete: it says where its names come from. */
static int close_block(reader_t *r) {
  const schema_class_t *c = r->current;
  if (c == NULL)
    return 0;
  const char *missing = c->source == NULL        ? "source"
                        : c->properties_num == 0 ? "property"
                                                 : NULL;
  if (missing == NULL)
    return 0;
  snprintf(r->err, r->errlen, "%s:%d: no \"%s\" line in the block of class %s",
           r->file, c->line, missing, c->name);
  return -1;
}

static int open_block(reader_t *r, char *rest) {
  if (close_block(r) != 0)
    return -1;
  char *wmi_namespace = cut_word(&rest), *name = cut_word(&rest);
  if (name == NULL || cut_word(&rest) != NULL)
    return problem(r, "\"class\" takes a namespace and a class", NULL);
  schema_facts_t *f = r->facts;
  if (schema_facts_class(f, wmi_namespace, name, strlen(name)) != NULL)
    return problem(r, "a second block for class", name);
  f->classes =
      reserve(f->classes, &f->classes_cap, f->classes_num, sizeof(*f->classes));
  r->current = &f->classes[f->classes_num++];
  *r->current = (schema_class_t){
      .wmi_namespace = wmi_namespace, .name = name, .line = r->line};
  return 0;
}

static int add_property(reader_t *r, char *rest) {
  schema_class_t *c = r->current;
  char *name = cut_word(&rest); /* the rest is a note */
  if (name == NULL)
    return problem(r, "\"property\" takes a name", NULL);
  if (schema_class_has(c, name, strlen(name)))
    return problem(r, "a second line for property", name);
  c->properties = reserve(c->properties, &c->properties_cap, c->properties_num,
                          sizeof(*c->properties));
  c->properties[c->properties_num++] = name;
  return 0;
}

static int read_line(reader_t *r, char *line) {
  char *key = cut_word(&line);
  if (key == NULL || key[0] == '#')
    return 0;
  while (*line == ' ' || *line == '\t')
    line++;
  if (strcmp(key, "class") == 0)
    return open_block(r, line);
  bool known = strcmp(key, "source") == 0 || strcmp(key, "file") == 0 ||
               strcmp(key, "parents") == 0 || strcmp(key, "property") == 0;
  if (!known)
    return problem(r, "unknown key", key);
  if (r->current == NULL)
    return problem(r, "before the first \"class\" line:", key);
  if (*line == '\0')
    return problem(r, "nothing after", key);
  if (strcmp(key, "property") == 0)
    return add_property(r, line);
  if (strcmp(key, "source") == 0)
    r->current->source = line;
  return 0; /* file and parents are for readers */
}

schema_facts_t *schema_facts_parse(const char *text, const char *file,
                                   char *err, size_t errlen) {
  schema_facts_t *f = calloc(1, sizeof(*f));
  if (f == NULL || (f->text = strdup(text)) == NULL) {
    free(f);
    snprintf(err, errlen, "%s: out of memory", file);
    return NULL;
  }
  reader_t r = {.facts = f, .file = file, .err = err, .errlen = errlen};
  char *line = f->text;
  while (line != NULL) {
    r.line++;
    char *next = strchr(line, '\n');
    if (next != NULL)
      *next++ = '\0';
    line[strcspn(line, "\r")] = '\0';
    if (read_line(&r, line) != 0) {
      schema_facts_free(f);
      return NULL;
    }
    line = next;
  }
  if (close_block(&r) != 0 ||
      (f->classes_num == 0 && problem(&r, "no class", NULL))) {
    schema_facts_free(f);
    return NULL;
  }
  return f;
}

void schema_facts_free(schema_facts_t *facts) {
  if (facts == NULL)
    return;
  for (size_t i = 0; i < facts->classes_num; i++)
    free(facts->classes[i].properties);
  free(facts->classes);
  free(facts->text);
  free(facts);
}

size_t schema_facts_classes(const schema_facts_t *facts) {
  return facts->classes_num;
}

const schema_class_t *schema_facts_class(const schema_facts_t *facts,
                                         const char *wmi_namespace,
                                         const char *name, size_t len) {
  for (size_t i = 0; i < facts->classes_num; i++) {
    const schema_class_t *c = &facts->classes[i];
    if (same_name(c->name, name, len) &&
        (wmi_namespace == NULL ||
         same_namespace(c->wmi_namespace, wmi_namespace)))
      return c;
  }
  return NULL;
}

const char *schema_class_namespace(const schema_class_t *c) {
  return c->wmi_namespace;
}

bool schema_class_has(const schema_class_t *c, const char *name, size_t len) {
  for (size_t i = 0; i < c->properties_num; i++)
    if (same_name(c->properties[i], name, len))
      return true;
  return false;
}
