/* glibc declares explicit_bzero only outside strict ISO C mode. */
#if !defined(_WIN32) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE
#endif

#include "wmi_secure.h"

#if defined(_WIN32)
#include <windows.h>
#else
#include <string.h>
#endif

void wmi_secure_zero(void *p, size_t n) {
  if (p == NULL || n == 0)
    return;
#if defined(_WIN32)
  SecureZeroMemory(p, n);
#elif defined(__GLIBC__) &&                                                    \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
  explicit_bzero(p, n);
#else
  /* Writes through a volatile pointer are observable behaviour: they
   * cannot be removed even when the memory is freed right after. */
  volatile unsigned char *bytes = p;
  while (n-- > 0)
    *bytes++ = 0;
#endif
}
