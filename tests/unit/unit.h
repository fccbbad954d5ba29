/* A minimal test harness: counts checks, prints failures with their place,
 * and ends with the summary line CI reads ("<name>: N passed, N failed"). */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;
static const char *unit_case = "";

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (cond) {                                                                \
      unit_passed++;                                                           \
    } else {                                                                   \
      unit_failed++;                                                           \
      fprintf(stderr, "FAIL %s:%d [%s] %s: ", __FILE__, __LINE__, unit_case,   \
              #cond);                                                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

#define CHECK_STR(got, want)                                                   \
  CHECK(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

static inline int unit_summary(const char *suite) {
  printf("%s: %d passed, %d failed\n", suite, unit_passed, unit_failed);
  return unit_failed == 0 && unit_passed > 0 ? 0 : 1;
}

#endif
