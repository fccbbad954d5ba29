/* FNV-1a, 64 bits: short, stable across builds, good enough for keys that
 * differ anywhere. The complaint sets, the cooking history, the batch's
 * duplicate table and the schedule's offsets all hash with it. */
#ifndef WMI_HASH_H
#define WMI_HASH_H

#include <stdint.h>

#define WMI_FNV_OFFSET 14695981039346656037ULL

static inline uint64_t wmi_fnv_byte(uint64_t h, unsigned char c) {
  return (h ^ c) * 1099511628211ULL;
}

/* Continues hash h over the bytes of s, without its terminator. */
static inline uint64_t wmi_fnv_str(uint64_t h, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
    h = wmi_fnv_byte(h, *p);
  return h;
}

#endif
