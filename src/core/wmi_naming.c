#include "wmi_naming.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool is_name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Appends the first in_len bytes of `in`, sanitized, at out[*pos]; never
 * writes past out_len - 1. */
static void append_sanitized(char *out, size_t out_len, size_t *pos,
                             const char *in, size_t in_len) {
  const unsigned char *p = (const unsigned char *)in;
  for (size_t k = 0; k < in_len && p[k] != '\0'; k++) {
    if ((p[k] & 0xC0) == 0x80) /* UTF-8 continuation: already replaced */
      continue;
    if (*pos + 1 >= out_len)
      break;
    out[(*pos)++] = is_name_char(p[k]) ? (char)p[k] : '_';
  }
  out[*pos] = '\0';
}

void wmi_name_sanitize_n(char *out, size_t out_len, const char *in,
                         size_t in_len) {
  if (out_len == 0)
    return;
  size_t pos = 0;
  out[0] = '\0';
  append_sanitized(out, out_len, &pos, in, in_len);
}

void wmi_name_sanitize(char *out, size_t out_len, const char *in) {
  wmi_name_sanitize_n(out, out_len, in, SIZE_MAX);
}

size_t wmi_name_instance_number_at(const char *in) {
  size_t len = strlen(in), k = len;
  while (k > 0 && in[k - 1] >= '0' && in[k - 1] <= '9')
    k--;
  if (k < len && k >= 2 && in[k - 1] == '#')
    return k - 1;
  return len;
}

size_t wmi_name_sanitized_len(const char *in) {
  size_t len = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p; p++)
    if ((*p & 0xC0) != 0x80) /* continuation bytes add no character */
      len++;
  return len;
}

void wmi_name_join(char *out, size_t out_len, const char *const *parts,
                   size_t parts_num) {
  if (out_len == 0)
    return;
  size_t pos = 0;
  out[0] = '\0';
  for (size_t i = 0; i < parts_num; i++) {
    /* A part that sanitizes to nothing (empty, or only stray UTF-8
     * continuation bytes) adds no '-': no empty parts, no "a--b". */
    if (parts[i] == NULL || wmi_name_sanitized_len(parts[i]) == 0)
      continue;
    if (pos > 0 && pos + 1 < out_len) {
      out[pos++] = '-';
      out[pos] = '\0';
    }
    append_sanitized(out, out_len, &pos, parts[i], SIZE_MAX);
  }
}
