/* Minimal POSIX dlfcn over LoadLibrary, enough for collectd's plugin loader
 * when it is cross-built with mingw-w64 (Debian ships no mingw dlfcn). */
#ifndef COLLECTD_WMI_DLFCN_H
#define COLLECTD_WMI_DLFCN_H

#define RTLD_LAZY 0x1
#define RTLD_NOW 0x2
#define RTLD_GLOBAL 0x100
#define RTLD_LOCAL 0x0

void *dlopen(const char *file, int mode);
void *dlsym(void *handle, const char *name);
int dlclose(void *handle);
char *dlerror(void);

#endif
