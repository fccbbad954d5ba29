#include "wmi_address.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Compares s[0..len) with a whole name, without case; a trailing dot of
 * the name (a fully qualified name's root) is ignored. */
static bool equals_name(const char *s, size_t len, const char *name) {
  size_t name_len = strlen(name);
  if (name_len > 1 && name[name_len - 1] == '.')
    name_len--;
  return name_len == len && strncasecmp(s, name, len) == 0;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Strict dotted quad: four decimal parts of 1 to 3 digits, each <= 255. */
static bool parse_ipv4(const char *s, size_t len, unsigned char out[4]) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= len || s[i] != '.')
        return false;
      i++;
    }
    unsigned value = 0, digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 3) {
      value = value * 10 + (unsigned)(s[i++] - '0');
      digits++;
    }
    if (digits == 0 || value > 255)
      return false;
    out[part] = (unsigned char)value;
  }
  return i == len;
}

/* A group of 1 to 4 hex digits filling s[0..len). */
static bool parse_hex_group(const char *s, size_t len, unsigned *out) {
  if (len == 0 || len > 4)
    return false;
  *out = 0;
  for (size_t i = 0; i < len; i++) {
    int d = hex_digit(s[i]);
    if (d < 0)
      return false;
    *out = *out * 16 + (unsigned)d;
  }
  return true;
}

/* RFC 4291 text forms: eight groups, at most one "::" standing for one or
 * more zero groups, and optionally a dotted quad as the last two groups. */
static bool parse_ipv6(const char *s, size_t len, unsigned out[8]) {
  unsigned head[8], tail[8];
  size_t head_num = 0, tail_num = 0, i = 0;
  bool gap = false;
  if (len >= 2 && s[0] == ':' && s[1] == ':') {
    gap = true;
    i = 2;
  }
  while (i < len) {
    size_t end = i;
    while (end < len && s[end] != ':')
      end++;
    unsigned *groups = gap ? tail : head;
    size_t *num = gap ? &tail_num : &head_num;
    if (memchr(s + i, '.', end - i) != NULL) { /* the embedded IPv4 part */
      unsigned char v4[4];
      if (end != len || head_num + tail_num > 6 ||
          !parse_ipv4(s + i, end - i, v4))
        return false;
      groups[(*num)++] = (unsigned)v4[0] << 8 | v4[1];
      groups[(*num)++] = (unsigned)v4[2] << 8 | v4[3];
      break;
    }
    if (head_num + tail_num >= 8 ||
        !parse_hex_group(s + i, end - i, groups + *num))
      return false;
    (*num)++;
    if (end == len)
      break;
    i = end + 1; /* past ':' */
    if (i < len && s[i] == ':') {
      if (gap)
        return false; /* a second "::" */
      gap = true;
      i++;
    } else if (i == len) {
      return false; /* a single trailing ':' */
    }
  }
  size_t total = head_num + tail_num;
  if (gap ? total > 7 : total != 8)
    return false;
  memset(out, 0, 8 * sizeof(*out));
  memcpy(out, head, head_num * sizeof(*out));
  memcpy(out + 8 - tail_num, tail, tail_num * sizeof(*out));
  return true;
}

static bool is_loopback_ipv6(const char *s, size_t len) {
  unsigned g[8];
  if (!parse_ipv6(s, len, g))
    return false;
  bool zero_prefix = true; /* the first five groups */
  for (int i = 0; i < 5; i++)
    zero_prefix = zero_prefix && g[i] == 0;
  if (zero_prefix && g[5] == 0 && g[6] == 0 && g[7] == 1)
    return true;                                            /* ::1 */
  return zero_prefix && g[5] == 0xffff && g[6] >> 8 == 127; /* mapped IPv4 */
}

bool wmi_address_is_local(const char *address,
                          const char *const *machine_names) {
  if (address == NULL || address[0] == '\0' || strcmp(address, ".") == 0)
    return true;
  size_t len = strlen(address);
  if (len >= 2 && address[0] == '[' && address[len - 1] == ']')
    return is_loopback_ipv6(address + 1, len - 2);
  if (is_loopback_ipv6(address, len))
    return true;
  unsigned char v4[4];
  if (parse_ipv4(address, len, v4))
    return v4[0] == 127;
  if (len > 1 && address[len - 1] == '.')
    len--; /* a fully qualified name's root */
  if (equals_name(address, len, "localhost"))
    return true;
  for (size_t i = 0; machine_names != NULL && machine_names[i] != NULL; i++)
    if (equals_name(address, len, machine_names[i]))
      return true;
  return false;
}
