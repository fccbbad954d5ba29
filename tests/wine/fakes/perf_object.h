/* WMI objects made from recorded samples: a class object and instances
 * whose properties read as WMI's do (IWbemClassObject::Get gives the
 * VARTYPE and CIMTYPE WMI gives for the property's CIM type), whose
 * property qualifier sets answer CounterType, and which can be cloned,
 * named (GetNames) and enumerated. Every other method answers
 * WBEM_E_NOT_SUPPORTED: Wine can make none of this itself. */
#ifndef PERF_OBJECT_H
#define PERF_OBJECT_H

#include "perf_services.h"

/* The class definition (__GENUS 1): every property, all VT_NULL. NULL
 * when out of memory. `*live` counts the objects and qualifier sets
 * alive (may be NULL). */
IWbemClassObject *perf_object_class(const perf_recording_t *rec,
                                    volatile LONG *live);

/* An instance (__GENUS 2) with the values of `obj`. With `selected` (the
 * names a SELECT list gives, compared case-insensitively), properties it
 * does not name, except the key Name, are VT_NULL, as in WMI's partial
 * instances; NULL: every value. NULL when out of memory. */
IWbemClassObject *perf_object_instance(const perf_recording_t *rec,
                                       const perf_object_t *obj,
                                       const char *const *selected,
                                       size_t selected_num,
                                       volatile LONG *live);

/* ASCII case-insensitive equality of a wide and a narrow name. */
BOOL perf_name_equal(const wchar_t *wide, const char *narrow);

#endif
