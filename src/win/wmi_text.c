#include "wmi_text.h"

#include <stdlib.h>

char *wmi_utf8_from_wide(const wchar_t *wide) {
  int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
  if (n <= 0)
    return NULL;
  char *s = malloc((size_t)n);
  if (s != NULL)
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, s, n, NULL, NULL);
  return s;
}

wchar_t *wmi_wide_from_utf8(const char *utf8) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
  if (n <= 0)
    return NULL;
  wchar_t *w = malloc((size_t)n * sizeof(wchar_t));
  if (w != NULL)
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n);
  return w;
}

BSTR bstr_from_utf8(const char *s) {
  if (s == NULL)
    return NULL;
  wchar_t *wide = wmi_wide_from_utf8(s);
  if (wide == NULL)
    return NULL;
  BSTR b = SysAllocString(wide);
  SecureZeroMemory(wide, wcslen(wide) * sizeof(wchar_t));
  free(wide);
  return b;
}
