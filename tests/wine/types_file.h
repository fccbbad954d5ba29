/* collectd's types.db, read from a file, for resolving the Types of
 * shipped stanzas as collectd.exe does (the fake types of the unit tests
 * know only a few). */
#ifndef TYPES_FILE_H
#define TYPES_FILE_H

#include "plugin.h"

typedef struct types_file types_file_t;

/* Reads a types.db ("name ds:TYPE:min:max, ..." per line, '#' comments).
 * Returns NULL when the file cannot be read or a line is malformed. */
types_file_t *types_file_read(const char *path);
void types_file_free(types_file_t *types);

/* A wmi_ds_lookup_fn: ctx is the types_file_t. */
const data_set_t *types_file_lookup(const char *type, void *ctx);

#endif
