/* VARIANTs from IWbemClassObject::Get into portable CIM values. */
#ifndef WMI_VARIANT_H
#define WMI_VARIANT_H

#include "wmi_value.h"

#include <wbemidl.h>

/* Converts `v` (with its CIM type from Get) into `out`. Text (BSTRs) is
 * converted to UTF-8 in `text`, which `out` then points into. */
void wmi_variant_to_cim(const VARIANT *v, CIMTYPE type, char *text,
                        size_t text_len, wmi_cim_value_t *out);

#endif
