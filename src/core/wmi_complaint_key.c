#include "wmi_complaint_key.h"

#include <stdlib.h>
#include <string.h>

/* Appends what fits of s[0 .. n) at p, before end. */
static char *append(char *p, const char *end, const char *s, size_t n) {
  if (n > (size_t)(end - p))
    n = (size_t)(end - p);
  memcpy(p, s, n);
  return p + n;
}

const char *wmi_complaint_key_make(wmi_complaint_key_t *k, const char *kind,
                                   size_t result_index, const char *a,
                                   const char *b) {
  char digits[24], *index = digits + sizeof(digits);
  do
    *--index = (char)('0' + result_index % 10);
  while ((result_index /= 10) > 0);
  size_t index_len = (size_t)(digits + sizeof(digits) - index);
  size_t kind_len = strlen(kind), a_len = strlen(a), b_len = strlen(b);
  size_t len = kind_len + 1 + index_len + 1 + a_len + 1 + b_len;
  k->text = k->small;
  if (len >= sizeof(k->small) && (k->text = malloc(len + 1)) == NULL) {
    k->text = k->small; /* out of memory: a cut key still works, mostly */
    len = sizeof(k->small) - 1;
  }
  char *p = k->text, *end = k->text + len;
  p = append(p, end, kind, kind_len);
  p = append(p, end, "/", 1);
  p = append(p, end, index, index_len);
  p = append(p, end, "/", 1);
  p = append(p, end, a, a_len);
  p = append(p, end, "/", 1);
  p = append(p, end, b, b_len);
  *p = '\0';
  return k->text;
}

void wmi_complaint_key_release(wmi_complaint_key_t *k) {
  if (k->text != k->small)
    free(k->text);
}
