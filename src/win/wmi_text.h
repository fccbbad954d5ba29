/* Text between collectd's UTF-8 and COM's UTF-16: wide strings and BSTRs.
 * Any thread may call these. */
#ifndef WMI_TEXT_H
#define WMI_TEXT_H

#include <wchar.h>
#include <windows.h>

#include <oleauto.h>

/* malloc'ed copies the caller frees; NULL on failure. */
char *wmi_utf8_from_wide(const wchar_t *wide);
wchar_t *wmi_wide_from_utf8(const char *utf8);

/* A BSTR the caller frees with SysFreeString; NULL for NULL or on failure.
 * The wide copy made on the way is wiped: the text may be a password. */
BSTR bstr_from_utf8(const char *s);

#endif
