/* A Result's value transforms: ValueMap (a string to a number, before
 * conversion) and Scale and Shift (value * Scale + Shift, after it), exact
 * for the integer data sources. Pure functions: any thread. */
#ifndef WMI_TRANSFORM_H
#define WMI_TRANSFORM_H

#include "wmi_config_model.h"
#include "wmi_value.h"

/* Applies r's ValueMap to a string value into *out (else *out = *in): its
 * mapped number, or the ValueMapDefault. A mapped integer becomes an exact
 * sint64 (finish allowed only integers of magnitude at most 2^53 with
 * counter, derive and absolute data sources), anything else a real. Text
 * in *out is borrowed from *in. Returns 0, or -1 with a reason in why when
 * the string is not mapped and there is no ValueMapDefault. */
int wmi_transform_map(const wmi_result_t *r, const wmi_cim_value_t *in,
                      wmi_cim_value_t *out, char *why, size_t why_len);

/* Applies r's Scale and Shift to *v, a converted value for a data source
 * of type ds_type. Integers stay exact: finish allowed only 1 <= Scale <=
 * 2^32 and |Shift| <= 2^53 with integer data sources. A result the data
 * source cannot hold (out of the 64-bit range, below 0 for counter and
 * absolute, not finite for a gauge) is refused, never wrapped or rounded.
 * Returns 0, or -1 with a reason in why (*v unchanged). */
int wmi_transform_scale(const wmi_result_t *r, int ds_type, value_t *v,
                        char *why, size_t why_len);

#endif
