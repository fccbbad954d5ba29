/* A few types as types.db defines them, for resolving Result types in
 * tests without the daemon. */
#ifndef FAKE_TYPES_H
#define FAKE_TYPES_H

#include "plugin.h"

const data_set_t *fake_types_lookup(const char *type, void *ctx);

#endif
