/* A WMI object for tests of the convert stage: up to MAX_PROPS named
 * values (the rest zeroed), read through fake_object_property, a
 * wmi_property_fn. */
#ifndef FAKE_OBJECT_H
#define FAKE_OBJECT_H

#include "wmi_value.h"

#include <stddef.h>
#include <strings.h>

typedef struct {
  const char *name;
  wmi_cim_value_t value;
} property_t;

#define MAX_PROPS 6

typedef struct {
  property_t props[MAX_PROPS];
} object_t;

static inline int fake_object_property(void *object, const char *name,
                                       wmi_cim_value_t *out) {
  object_t *o = object;
  for (size_t i = 0; i < MAX_PROPS && o->props[i].name; i++) {
    if (strcasecmp(o->props[i].name, name) == 0) {
      *out = o->props[i].value;
      return 0;
    }
  }
  return -1;
}

#define STR(s)                                                                 \
  { .kind = WMI_CIM_STRING, .u.text = (s) }
#define UINT(v)                                                                \
  { .kind = WMI_CIM_UINT, .u.uint = (v) }
#define NUL                                                                    \
  { .kind = WMI_CIM_NULL }
#define REAL(v)                                                                \
  { .kind = WMI_CIM_REAL, .u.real = (v) }

#endif
