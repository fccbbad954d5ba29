/* The WMI schema facts the schema check reads (tests/schema/wmi-classes.txt):
 * for each class a block of lines, one fact a line, each "<key> <value>":
 *
 *   class <namespace> <class>     opens a block
 *   source <text>                 required: where the names come from
 *   file <path>                   optional, repeated: the source's files
 *   parents <class> ...           optional: the classes inherited from
 *   property <name> [<note>]      one per property, own or inherited
 *
 * Blank lines and lines starting with '#' are comments. Names and
 * namespaces compare without case, as WMI compares them, and a namespace's
 * '/' is its '\' (root/cimv2 is root\cimv2). */
#ifndef SCHEMA_FACTS_H
#define SCHEMA_FACTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct schema_facts schema_facts_t;
typedef struct schema_class schema_class_t;

/* Parses the text of a facts file (file names it in messages). Returns
 * the facts, which the caller frees with schema_facts_free, or NULL with
 * the file, line and problem in err. */
schema_facts_t *schema_facts_parse(const char *text, const char *file,
                                   char *err, size_t errlen);
void schema_facts_free(schema_facts_t *facts);

size_t schema_facts_classes(const schema_facts_t *facts);

/* The class of that name (len characters of name) in the namespace, or
 * NULL. With wmi_namespace NULL, the first class of that name in any
 * namespace. Valid until the facts are freed. */
const schema_class_t *schema_facts_class(const schema_facts_t *facts,
                                         const char *wmi_namespace,
                                         const char *name, size_t len);
const char *schema_class_namespace(const schema_class_t *c);

/* True when the class has the property (len characters of name). */
bool schema_class_has(const schema_class_t *c, const char *name, size_t len);

#endif
