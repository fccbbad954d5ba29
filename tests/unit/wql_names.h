/* The names a WQL data query uses, for the schema check
 * (schema_check.h): "SELECT <properties> | * FROM <class> [WHERE
 * <condition>]", read by a small tokenizer. Every name in the WHERE
 * condition that is not a WQL keyword is a property; strings ('...' or
 * "..."), numbers, operators and parentheses are skipped. Other shapes
 * (ASSOCIATORS OF, REFERENCES OF, event queries with WITHIN) are refused:
 * a statement the check cannot read fails it, rather than passing
 * unchecked. The plugin itself reads only the class and the select list
 * (src/core/wmi_wql.h); WMI parses the statement for real. */
#ifndef WQL_NAMES_H
#define WQL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define WQL_NAMES_MAX 64 /* properties in the select list, and in WHERE */

/* A name in the statement: its first character and length (not
 * terminated). */
typedef struct {
  const char *start;
  size_t len;
} wql_name_t;

typedef struct {
  wql_name_t class_name;
  bool star; /* SELECT *: no select list */
  wql_name_t selected[WQL_NAMES_MAX];
  size_t selected_num;
  wql_name_t where[WQL_NAMES_MAX]; /* in order, repeats kept */
  size_t where_num;
} wql_names_t;

/* Fills names with pointers into statement, which must outlive them.
 * Returns 0, or -1 with why the statement cannot be read in err. */
int wql_names_read(const char *statement, wql_names_t *names, char *err,
                   size_t errlen);

#endif
