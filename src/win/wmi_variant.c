#include "wmi_variant.h"

static void text_value(const VARIANT *v, char *text, size_t len,
                       wmi_cim_value_t *out) {
  text[0] = '\0';
  if (V_BSTR(v) != NULL && len > 0 &&
      WideCharToMultiByte(CP_UTF8, 0, V_BSTR(v), -1, text, (int)len, NULL,
                          NULL) == 0)
    text[len - 1] = '\0'; /* too long: a truncated name beats none */
  out->u.text = text;
}

void wmi_variant_to_cim(const VARIANT *v, CIMTYPE type, char *text,
                        size_t text_len, wmi_cim_value_t *out) {
  out->kind = WMI_CIM_UNSUPPORTED;
  if (V_VT(v) == VT_NULL || V_VT(v) == VT_EMPTY) {
    out->kind = WMI_CIM_NULL;
    return;
  }
  if ((type & CIM_FLAG_ARRAY) || (V_VT(v) & VT_ARRAY))
    return;
  switch (V_VT(v)) {
  case VT_BSTR:
    /* uint64/sint64 come as decimal strings; datetimes as DMTF text. */
    out->kind = type == CIM_DATETIME ? WMI_CIM_DATETIME : WMI_CIM_STRING;
    text_value(v, text, text_len, out);
    return;
  case VT_BOOL:
    out->kind = WMI_CIM_BOOLEAN;
    out->u.boolean = V_BOOL(v) != VARIANT_FALSE;
    return;
  case VT_I1:
    out->kind = WMI_CIM_SINT;
    out->u.sint = V_I1(v);
    return;
  case VT_I2:
    out->kind = WMI_CIM_SINT;
    out->u.sint = V_I2(v);
    return;
  case VT_I4:
    /* CIM uint32 travels as VT_I4: reinterpret by the CIM type. */
    if (type == CIM_UINT32) {
      out->kind = WMI_CIM_UINT;
      out->u.uint = (uint32_t)V_I4(v);
    } else {
      out->kind = WMI_CIM_SINT;
      out->u.sint = V_I4(v);
    }
    return;
  case VT_I8:
    out->kind = WMI_CIM_SINT;
    out->u.sint = V_I8(v);
    return;
  case VT_UI1:
    out->kind = WMI_CIM_UINT;
    out->u.uint = V_UI1(v);
    return;
  case VT_UI2:
    out->kind = WMI_CIM_UINT;
    out->u.uint = V_UI2(v);
    return;
  case VT_UI4:
    out->kind = WMI_CIM_UINT;
    out->u.uint = V_UI4(v);
    return;
  case VT_UI8:
    out->kind = WMI_CIM_UINT;
    out->u.uint = V_UI8(v);
    return;
  case VT_R4:
    out->kind = WMI_CIM_REAL;
    out->u.real = V_R4(v);
    return;
  case VT_R8:
    out->kind = WMI_CIM_REAL;
    out->u.real = V_R8(v);
    return;
  default:
    return;
  }
}
