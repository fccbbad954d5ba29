/* Just enough of WQL's grammar to read a "SELECT <properties> FROM <class>"
 * statement: which class it queries and which properties it selects. The
 * counter-type checks need both before any query runs; WMI itself parses
 * the statement for real. */
#ifndef WMI_WQL_H
#define WMI_WQL_H

#include <stdbool.h>
#include <stddef.h>

/* Copies the class after FROM into out. Returns 0, or -1 when the
 * statement is not "SELECT ... FROM <class> [...]" or the name does not
 * fit in len bytes. */
int wmi_wql_class(const char *statement, char *out, size_t len);

/* True when the statement selects the property: by name (WQL names are
 * case-insensitive) or with "*". False also when it cannot be parsed. */
bool wmi_wql_selects(const char *statement, const char *property);

#endif
