/* Names of values: type instances, plugin instances and host names that
 * collectd, Graphite and InfluxDB all carry unchanged. */
#ifndef WMI_NAMING_H
#define WMI_NAMING_H

#include <stddef.h>

/* Copies `in` to `out` (at most out_len - 1 bytes, always terminated),
 * replacing every character other than ASCII letters, digits, '_' and '-'
 * by '_'; a multi-byte UTF-8 character becomes one '_' (its lead byte
 * does; continuation bytes add nothing, so stray ones are dropped). */
void wmi_name_sanitize(char *out, size_t out_len, const char *in);

/* wmi_name_sanitize of the first in_len bytes of `in` (fewer when its NUL
 * comes first). */
void wmi_name_sanitize_n(char *out, size_t out_len, const char *in,
                         size_t in_len);

/* The length of `in` without perflib's duplicate-instance suffix, which
 * Win32_PerfRawData_* classes add to repeated instance names: "#" and one
 * or more ASCII digits at its very end, after at least one character.
 * "svchost#12" gives 7 ("svchost"); "svchost", "a#b", "a#" and "#1" give
 * their whole length. */
size_t wmi_name_instance_number_at(const char *in);

/* The length wmi_name_sanitize gives `in` when the buffer is large enough:
 * one character per ASCII byte or per UTF-8 character. */
size_t wmi_name_sanitized_len(const char *in);

/* Joins the parts with '-', each sanitized, into out (at most out_len - 1
 * bytes, always terminated). NULL parts and parts that sanitize to nothing
 * are left out, so a '-' always stands between two non-empty parts; a name
 * cut to fit may end in '-' (the cut shows: callers detect it by length). */
void wmi_name_join(char *out, size_t out_len, const char *const *parts,
                   size_t parts_num);

#endif
