#include "wmi_naming.h"

#include <stdbool.h>

static bool is_name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Appends sanitized `in` at out[*pos]; never writes past out_len - 1. */
static void append_sanitized(char *out, size_t out_len, size_t *pos,
                             const char *in) {
  for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
    if ((*p & 0xC0) == 0x80) /* UTF-8 continuation: already replaced */
      continue;
    if (*pos + 1 >= out_len)
      break;
    out[(*pos)++] = is_name_char(*p) ? (char)*p : '_';
  }
  out[*pos] = '\0';
}

void wmi_name_sanitize(char *out, size_t out_len, const char *in) {
  if (out_len == 0)
    return;
  size_t pos = 0;
  out[0] = '\0';
  append_sanitized(out, out_len, &pos, in);
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
    append_sanitized(out, out_len, &pos, parts[i]);
  }
}
