/* Wiping secrets (passwords and their copies) before their memory is
 * freed, so they do not linger in the heap or in a crash dump. */
#ifndef WMI_SECURE_H
#define WMI_SECURE_H

#include <stddef.h>

/* Writes n zero bytes at p (p may be NULL when n is 0). Unlike memset
 * before free, the compiler may not drop these writes as dead stores. */
void wmi_secure_zero(void *p, size_t n);

#endif
