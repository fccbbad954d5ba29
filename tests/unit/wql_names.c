#include "wql_names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef enum {
  TOKEN_END,
  TOKEN_NAME,
  TOKEN_STRING,
  TOKEN_NUMBER,
  TOKEN_PUNCT, /* an operator, a comma, a parenthesis or "*" */
  TOKEN_BAD,   /* a character WQL has no use for, an unclosed string */
} token_kind_t;

typedef struct {
  token_kind_t kind;
  const char *start;
  size_t len;
} token_t;

typedef struct {
  const char *next; /* the text after the current token */
  token_t token;
} lexer_t;

/* Where a name may be a WQL word rather than a property. */
static const char *const condition_words[] = {
    "AND", "OR", "NOT", "IS", "NULL", "LIKE", "TRUE", "FALSE", "ISA",
};

static bool starts_name(char c) {
  return isalpha((unsigned char)c) || c == '_';
}

static bool in_name(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* The end of the string literal whose opening quote is at p, or NULL when
 * it is not closed. A backslash escapes the next character. */
static const char *string_end(const char *p) {
  char quote = *p++;
  while (*p != '\0' && *p != quote)
    p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
  return *p == quote ? p + 1 : NULL;
}

/* Reads the token after the current one. */
static void advance(lexer_t *lx) {
  const char *p = lx->next;
  while (isspace((unsigned char)*p))
    p++;
  token_t t = {.kind = TOKEN_PUNCT, .start = p};
  if (*p == '\0') {
    t.kind = TOKEN_END;
  } else if (starts_name(*p)) {
    t.kind = TOKEN_NAME;
    while (in_name(*p))
      p++;
  } else if (isdigit((unsigned char)*p)) {
    t.kind = TOKEN_NUMBER; /* 3, 0x1F, 1.5, 1e3 */
    while (isalnum((unsigned char)*p) || *p == '.')
      p++;
  } else if (*p == '\'' || *p == '"') {
    const char *end = string_end(p);
    t.kind = end ? TOKEN_STRING : TOKEN_BAD;
    p = end ? end : p + strlen(p);
  } else if (strchr("<>!=", *p) != NULL) {
    p++; /* =, <, >, and <=, >=, <>, != */
    if (*p == '=' || *p == '>')
      p++;
  } else if (strchr("*,()-+", *p) != NULL) {
    p++;
  } else {
    t.kind = TOKEN_BAD;
    p++;
  }
  t.len = (size_t)(p - t.start);
  lx->token = t;
  lx->next = p;
}

static bool is_word(const token_t *t, const char *word) {
  return t->kind == TOKEN_NAME && t->len == strlen(word) &&
         strncasecmp(t->start, word, t->len) == 0;
}

static bool is_punct(const token_t *t, char c) {
  return t->kind == TOKEN_PUNCT && t->len == 1 && *t->start == c;
}

static bool is_condition_word(const token_t *t) {
  for (size_t i = 0; i < sizeof(condition_words) / sizeof(*condition_words);
       i++)
    if (is_word(t, condition_words[i]))
      return true;
  return false;
}

/* Says what was expected and what came instead; returns -1. */
static int refuse(const lexer_t *lx, const char *expected, char *err,
                  size_t errlen) {
  const token_t *t = &lx->token;
  if (t->kind == TOKEN_END)
    snprintf(err, errlen, "expected %s, not the end", expected);
  else
    snprintf(err, errlen, "expected %s, not \"%.*s\"", expected, (int)t->len,
             t->start);
  return -1;
}

static int add_name(wql_name_t *names, size_t *num, const token_t *t, char *err,
                    size_t errlen) {
  if (*num == WQL_NAMES_MAX) {
    snprintf(err, errlen, "more than %d properties in a list", WQL_NAMES_MAX);
    return -1;
  }
  names[(*num)++] = (wql_name_t){t->start, t->len};
  return 0;
}

/* "<property> [, <property> ...]", up to the token after the last one. */
static int read_select_list(lexer_t *lx, wql_names_t *names, char *err,
                            size_t errlen) {
  for (;;) {
    if (lx->token.kind != TOKEN_NAME || is_word(&lx->token, "FROM"))
      return refuse(lx, "a property or * in the select list", err, errlen);
    if (add_name(names->selected, &names->selected_num, &lx->token, err,
                 errlen) != 0)
      return -1;
    advance(lx);
    if (!is_punct(&lx->token, ','))
      return 0;
    advance(lx);
  }
}

/* The condition, to the end: its names that are not WQL words. */
static int read_condition(lexer_t *lx, wql_names_t *names, char *err,
                          size_t errlen) {
  if (lx->token.kind == TOKEN_END)
    return refuse(lx, "a condition after WHERE", err, errlen);
  for (; lx->token.kind != TOKEN_END; advance(lx)) {
    if (lx->token.kind == TOKEN_BAD)
      return refuse(lx, "a name, string, number or operator", err, errlen);
    if (lx->token.kind == TOKEN_NAME && !is_condition_word(&lx->token) &&
        add_name(names->where, &names->where_num, &lx->token, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int wql_names_read(const char *statement, wql_names_t *names, char *err,
                   size_t errlen) {
  memset(names, 0, sizeof(*names));
  lexer_t lx = {.next = statement};
  advance(&lx);
  if (!is_word(&lx.token, "SELECT"))
    return refuse(&lx, "SELECT", err, errlen);
  advance(&lx);
  if (is_punct(&lx.token, '*')) {
    names->star = true;
    advance(&lx);
  } else if (read_select_list(&lx, names, err, errlen) != 0) {
    return -1;
  }
  if (!is_word(&lx.token, "FROM"))
    return refuse(&lx, "FROM after the select list", err, errlen);
  advance(&lx);
  if (lx.token.kind != TOKEN_NAME)
    return refuse(&lx, "a class after FROM", err, errlen);
  names->class_name = (wql_name_t){lx.token.start, lx.token.len};
  advance(&lx);
  if (lx.token.kind == TOKEN_END)
    return 0;
  if (!is_word(&lx.token, "WHERE"))
    return refuse(&lx, "WHERE or the end after the class", err, errlen);
  advance(&lx);
  return read_condition(&lx, names, err, errlen);
}
