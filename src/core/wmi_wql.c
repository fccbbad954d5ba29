#include "wmi_wql.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *skip_blanks(const char *p) {
  while (*p != '\0' && isspace((unsigned char)*p))
    p++;
  return p;
}

static bool is_name_char(char c) {
  return isalnum((unsigned char)c) || c == '_';
}

/* When p starts with the keyword as a whole word, the text after it. */
static const char *keyword(const char *p, const char *word) {
  size_t n = strlen(word);
  if (strncasecmp(p, word, n) != 0 || is_name_char(p[n]))
    return NULL;
  return p + n;
}

/* The name at p: its start and length (0 when there is none). */
static const char *name_at(const char *p, size_t *len) {
  size_t n = 0;
  while (is_name_char(p[n]))
    n++;
  *len = n;
  return p;
}

/* Walks the select list. For each property calls back; "*" sets *star.
 * Returns the text after FROM, or NULL when the statement has another
 * shape. */
typedef bool (*property_fn)(const char *name, size_t len, void *ctx);

static const char *walk_select(const char *statement, bool *star,
                               property_fn fn, void *ctx) {
  const char *p = keyword(skip_blanks(statement), "SELECT");
  if (p == NULL)
    return NULL;
  *star = false;
  for (;;) {
    p = skip_blanks(p);
    size_t len;
    if (*p == '*') {
      *star = true;
      p++;
    } else {
      name_at(p, &len);
      if (len == 0)
        return NULL;
      if (fn != NULL && fn(p, len, ctx))
        fn = NULL; /* found: stop asking, but check the shape */
      p += len;
    }
    p = skip_blanks(p);
    if (*p != ',')
      break;
    p++;
  }
  return keyword(p, "FROM");
}

int wmi_wql_class(const char *statement, char *out, size_t len) {
  bool star;
  const char *p = walk_select(statement, &star, NULL, NULL);
  if (p == NULL || !isspace((unsigned char)*p))
    return -1;
  size_t n;
  p = name_at(skip_blanks(p), &n);
  if (n == 0 || n >= len)
    return -1;
  memcpy(out, p, n);
  out[n] = '\0';
  return 0;
}

typedef struct {
  const char *property;
  bool found;
} lookup_t;

static bool match(const char *name, size_t len, void *ctx) {
  lookup_t *l = ctx;
  if (strlen(l->property) == len && strncasecmp(name, l->property, len) == 0)
    l->found = true;
  return l->found;
}

bool wmi_wql_selects(const char *statement, const char *property) {
  lookup_t l = {.property = property};
  bool star;
  if (walk_select(statement, &star, match, &l) == NULL)
    return false;
  return star || l.found;
}
