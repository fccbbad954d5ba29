/* libFuzzer target: names from arbitrary bytes. Input: one byte choosing
 * the buffer size (low 7 bits + 1) and whether the first part is NULL (high
 * bit), then up to MAX_PARTS parts separated by NUL bytes. Checks that every
 * name holds only [A-Za-z0-9_-] and fits its buffer, that the join is the
 * '-'-joined non-empty sanitized parts (a cut one its prefix), and that the
 * join's own '-' never leads, trails or doubles. */
#include "wmi_naming.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 8

#define REQUIRE(cond, text)                                                    \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz_naming: %s: %s\n", #cond, (text));                 \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static bool only_name_chars(const char *s) {
  for (; *s; s++) {
    char c = *s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  }
  return true;
}

/* A sanitized copy in a buffer sized exactly for it, and in a smaller one:
 * the smaller is the larger's prefix. */
static char *check_sanitize(const char *part, size_t small_len) {
  size_t len = wmi_name_sanitized_len(part);
  char *full = malloc(len + 1);
  char *small = malloc(small_len);
  REQUIRE(full != NULL && small != NULL, "memory");
  wmi_name_sanitize(full, len + 1, part);
  REQUIRE(strlen(full) == len, "sanitized_len is the sanitized length");
  REQUIRE(only_name_chars(full), "a sanitized name has only name chars");
  wmi_name_sanitize(small, small_len, part);
  size_t cut = len < small_len - 1 ? len : small_len - 1;
  REQUIRE(strlen(small) == cut && memcmp(small, full, cut) == 0,
          "a cut sanitized name is a prefix of the whole one");
  free(small);
  return full;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  if (size == 0)
    return 0;
  size_t out_len = (size_t)(data[0] & 0x7f) + 1;
  bool first_null = (data[0] & 0x80) != 0;
  /* The parts, as NUL-terminated copies of the rest of the input. */
  char *copy = malloc(size);
  REQUIRE(copy != NULL, "memory");
  memcpy(copy, data + 1, size - 1);
  copy[size - 1] = '\0';
  const char *parts[MAX_PARTS];
  size_t parts_num = 0;
  for (char *p = copy; parts_num < MAX_PARTS && p < copy + size;
       p += strlen(p) + 1)
    parts[parts_num++] = p;
  if (first_null)
    parts[0] = NULL;

  /* The model: the non-empty sanitized parts joined with '-'. */
  size_t model_len = 0;
  char *sanitized[MAX_PARTS] = {0};
  bool dash_in_parts = false;
  for (size_t i = 0; i < parts_num; i++) {
    if (parts[i] == NULL)
      continue;
    sanitized[i] = check_sanitize(parts[i], out_len);
    model_len += strlen(sanitized[i]) + 1;
    dash_in_parts = dash_in_parts || strchr(sanitized[i], '-') != NULL;
  }
  char *model = calloc(model_len + 1, 1);
  REQUIRE(model != NULL, "memory");
  for (size_t i = 0; i < parts_num; i++) {
    if (sanitized[i] == NULL || sanitized[i][0] == '\0')
      continue;
    if (model[0] != '\0')
      strcat(model, "-");
    strcat(model, sanitized[i]);
  }

  char *whole = malloc(model_len + 1);
  char *out = malloc(out_len);
  REQUIRE(whole != NULL && out != NULL, "memory");
  wmi_name_join(whole, model_len + 1, parts, parts_num);
  REQUIRE(strcmp(whole, model) == 0,
          "the join is the non-empty sanitized parts joined with '-'");
  size_t n = strlen(whole);
  if (!dash_in_parts && n > 0)
    REQUIRE(whole[0] != '-' && whole[n - 1] != '-' && !strstr(whole, "--"),
            "the join's '-' never leads, trails or doubles");

  wmi_name_join(out, out_len, parts, parts_num);
  size_t cut = n < out_len - 1 ? n : out_len - 1;
  REQUIRE(strlen(out) == cut && memcmp(out, whole, cut) == 0,
          "a join cut to its buffer is the whole join's prefix");
  REQUIRE(only_name_chars(out), "a joined name has only name chars");

  free(out);
  free(whole);
  free(model);
  for (size_t i = 0; i < parts_num; i++)
    free(sanitized[i]);
  free(copy);
  return 0;
}
