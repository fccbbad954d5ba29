#include "perf_object.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROPERTIES 64

BOOL perf_name_equal(const wchar_t *wide, const char *narrow) {
  for (; *wide != L'\0' && *narrow != '\0'; wide++, narrow++) {
    wchar_t a = *wide, b = (unsigned char)*narrow;
    if (a >= L'A' && a <= L'Z')
      a += L'a' - L'A';
    if (b >= L'A' && b <= L'Z')
      b += L'a' - L'A';
    if (a != b)
      return FALSE;
  }
  return *wide == L'\0' && *narrow == '\0';
}

static BOOL narrow_equal(const char *a, const char *b) {
  return _stricmp(a, b) == 0;
}

static BSTR bstr_from(const char *utf8) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
  if (n <= 0)
    return NULL;
  BSTR s = SysAllocStringLen(NULL, (UINT)(n - 1));
  if (s != NULL)
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, s, n);
  return s;
}

/* ---- Qualifier sets: CounterType, or nothing ---- */

typedef struct {
  IWbemQualifierSet iface;
  LONG refs;
  volatile LONG *live;
  bool has_counter_type;
  uint32_t counter_type;
  LONG flavor;
  bool enumerated; /* Next gave CounterType already */
} qualifiers_t;

static qualifiers_t *qs_impl(IWbemQualifierSet *iface) {
  return CONTAINING_RECORD(iface, qualifiers_t, iface);
}

static void live_add(volatile LONG *live, LONG n) {
  if (live != NULL)
    InterlockedExchangeAdd(live, n);
}

static HRESULT STDMETHODCALLTYPE qs_query_interface(IWbemQualifierSet *iface,
                                                    REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemQualifierSet)) {
    *out = iface;
    InterlockedIncrement(&qs_impl(iface)->refs);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE qs_add_ref(IWbemQualifierSet *iface) {
  return (ULONG)InterlockedIncrement(&qs_impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE qs_release(IWbemQualifierSet *iface) {
  qualifiers_t *q = qs_impl(iface);
  LONG refs = InterlockedDecrement(&q->refs);
  if (refs == 0) {
    live_add(q->live, -1);
    free(q);
  }
  return (ULONG)refs;
}

static HRESULT counter_type_value(qualifiers_t *q, VARIANT *value,
                                  LONG *flavor) {
  if (value != NULL) {
    VariantInit(value);
    V_VT(value) = VT_I4; /* CounterType is a sint32 qualifier */
    V_I4(value) = (LONG)q->counter_type;
  }
  if (flavor != NULL)
    *flavor = q->flavor;
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE qs_get(IWbemQualifierSet *iface, LPCWSTR name,
                                        LONG flags, VARIANT *value,
                                        LONG *flavor) {
  (void)flags;
  qualifiers_t *q = qs_impl(iface);
  if (name == NULL)
    return WBEM_E_INVALID_PARAMETER;
  if (!q->has_counter_type || !perf_name_equal(name, "CounterType"))
    return WBEM_E_NOT_FOUND;
  return counter_type_value(q, value, flavor);
}

static HRESULT STDMETHODCALLTYPE qs_put(IWbemQualifierSet *iface, LPCWSTR name,
                                        VARIANT *value, LONG flavor) {
  (void)iface, (void)name, (void)value, (void)flavor;
  return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE qs_delete(IWbemQualifierSet *iface,
                                           LPCWSTR name) {
  (void)iface, (void)name;
  return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE qs_get_names(IWbemQualifierSet *iface,
                                              LONG flags, SAFEARRAY **names) {
  (void)flags;
  qualifiers_t *q = qs_impl(iface);
  if (names == NULL)
    return WBEM_E_INVALID_PARAMETER;
  *names = SafeArrayCreateVector(VT_BSTR, 0, q->has_counter_type ? 1 : 0);
  if (*names == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  if (q->has_counter_type) {
    LONG at = 0;
    BSTR name = SysAllocString(L"CounterType");
    HRESULT hr = name ? SafeArrayPutElement(*names, &at, name) : E_OUTOFMEMORY;
    SysFreeString(name);
    if (FAILED(hr)) {
      SafeArrayDestroy(*names);
      *names = NULL;
      return WBEM_E_OUT_OF_MEMORY;
    }
  }
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE qs_begin(IWbemQualifierSet *iface,
                                          LONG flags) {
  (void)flags;
  qs_impl(iface)->enumerated = false;
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE qs_next(IWbemQualifierSet *iface, LONG flags,
                                         BSTR *name, VARIANT *value,
                                         LONG *flavor) {
  (void)flags;
  qualifiers_t *q = qs_impl(iface);
  if (!q->has_counter_type || q->enumerated)
    return WBEM_S_NO_MORE_DATA;
  q->enumerated = true;
  if (name != NULL && (*name = SysAllocString(L"CounterType")) == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  return counter_type_value(q, value, flavor);
}

static HRESULT STDMETHODCALLTYPE qs_end(IWbemQualifierSet *iface) {
  qs_impl(iface)->enumerated = false;
  return WBEM_S_NO_ERROR;
}

static const IWbemQualifierSetVtbl qualifiers_vtbl = {
    qs_query_interface, qs_add_ref,   qs_release, qs_get,  qs_put,
    qs_delete,          qs_get_names, qs_begin,   qs_next, qs_end,
};

static IWbemQualifierSet *qualifiers_new(bool has, uint32_t counter_type,
                                         LONG flavor, volatile LONG *live) {
  qualifiers_t *q = calloc(1, sizeof(*q));
  if (q == NULL)
    return NULL;
  q->iface.lpVtbl = &qualifiers_vtbl;
  q->refs = 1;
  q->live = live;
  q->has_counter_type = has;
  q->counter_type = counter_type;
  q->flavor = flavor;
  live_add(live, 1);
  return &q->iface;
}

/* ---- Class objects and instances ---- */

typedef struct {
  const char *name;
  CIMTYPE type;
  const char *text; /* NULL: VT_NULL */
  bool has_counter_type;
  uint32_t counter_type;
} property_t;

typedef struct {
  IWbemClassObject iface;
  LONG refs;
  volatile LONG *live;
  const perf_recording_t *rec;
  LONG genus; /* WBEM_GENUS_CLASS or WBEM_GENUS_INSTANCE */
  /* BeginEnumeration's state: the next system (negative) or ordinary
   * property to give, and whether system properties are skipped. */
  int next;
  bool enum_nonsystem_only;
  size_t num;
  property_t props[MAX_PROPERTIES];
} object_t;

static object_t *obj_impl(IWbemClassObject *iface) {
  return CONTAINING_RECORD(iface, object_t, iface);
}

/* The system properties an object answers, in GetNames' order. */
static const char *const system_names[] = {
    "__GENUS",   "__CLASS",   "__SUPERCLASS",
    "__DYNASTY", "__RELPATH", "__PROPERTY_COUNT",
};
#define SYSTEM_NUM ((int)(sizeof(system_names) / sizeof(system_names[0])))

static int find_property(const object_t *o, const wchar_t *name) {
  for (size_t i = 0; i < o->num; i++)
    if (perf_name_equal(name, o->props[i].name))
      return (int)i;
  return -1;
}

static const property_t *name_property(const object_t *o) {
  for (size_t i = 0; i < o->num; i++)
    if (narrow_equal(o->props[i].name, "Name"))
      return &o->props[i];
  return NULL;
}

/* WMI's relative path: Class.Name="x", or Class=@ for a singleton (no
 * Name value); a class object's is its name. */
static BSTR relpath(const object_t *o) {
  const property_t *key = name_property(o);
  char text[512];
  if (o->genus == WBEM_GENUS_CLASS)
    snprintf(text, sizeof(text), "%s", o->rec->class_name);
  else if (key != NULL && key->text != NULL)
    snprintf(text, sizeof(text), "%s.Name=\"%s\"", o->rec->class_name,
             key->text);
  else
    snprintf(text, sizeof(text), "%s=@", o->rec->class_name);
  return bstr_from(text);
}

static HRESULT system_value(const object_t *o, int which, VARIANT *value,
                            CIMTYPE *type) {
  const char *text = NULL;
  LONG number = 0;
  bool is_number = false;
  switch (which) {
  case 0:
    number = o->genus, is_number = true;
    break;
  case 1:
    text = o->rec->class_name;
    break;
  case 2:
    text = "Win32_PerfRawData";
    break;
  case 3:
    text = "CIM_StatisticalInformation";
    break;
  case 5:
    number = (LONG)o->num, is_number = true;
    break;
  }
  if (type != NULL)
    *type = is_number ? CIM_SINT32 : CIM_STRING;
  if (value == NULL)
    return WBEM_S_NO_ERROR;
  VariantInit(value);
  if (is_number) {
    V_VT(value) = VT_I4;
    V_I4(value) = number;
    return WBEM_S_NO_ERROR;
  }
  V_VT(value) = VT_BSTR;
  V_BSTR(value) = which == 4 ? relpath(o) : bstr_from(text);
  return V_BSTR(value) != NULL ? WBEM_S_NO_ERROR : WBEM_E_OUT_OF_MEMORY;
}

static bool parse_integer(const char *text, bool is_signed, long long low,
                          unsigned long long high, VARIANT *value, VARTYPE vt) {
  char *end;
  errno = 0;
  long long sv = 0;
  unsigned long long uv = 0;
  if (is_signed) {
    sv = strtoll(text, &end, 10);
    if (sv < low || (sv > 0 && (unsigned long long)sv > high))
      return false;
  } else {
    if (text[0] == '-')
      return false;
    uv = strtoull(text, &end, 10);
    if (uv > high)
      return false;
  }
  if (errno != 0 || end == text || *end != '\0')
    return false;
  V_VT(value) = vt;
  switch (vt) {
  case VT_I4: /* a uint32 above INT32_MAX wraps, as WMI sends it */
    V_I4(value) = is_signed ? (LONG)sv : (LONG)(uint32_t)uv;
    break;
  case VT_I2:
    V_I2(value) = (SHORT)sv;
    break;
  case VT_UI1:
    V_UI1(value) = (BYTE)uv;
    break;
  }
  return true;
}

/* The VARIANT WMI gives for a CIM type: 64-bit integers, strings,
 * datetimes and references as BSTR; uint32, sint32 and uint16 as VT_I4;
 * sint16 and sint8 as VT_I2; uint8 as VT_UI1. */
static HRESULT text_value(const property_t *p, VARIANT *value) {
  VariantInit(value);
  if (p->text == NULL) {
    V_VT(value) = VT_NULL;
    return WBEM_S_NO_ERROR;
  }
  bool ok = true;
  char *end;
  switch (p->type) {
  case CIM_STRING:
  case CIM_DATETIME:
  case CIM_REFERENCE:
  case CIM_UINT64:
  case CIM_SINT64:
    V_VT(value) = VT_BSTR;
    V_BSTR(value) = bstr_from(p->text);
    return V_BSTR(value) != NULL ? WBEM_S_NO_ERROR : WBEM_E_OUT_OF_MEMORY;
  case CIM_UINT32:
    ok = parse_integer(p->text, false, 0, UINT32_MAX, value, VT_I4);
    break;
  case CIM_SINT32:
    ok = parse_integer(p->text, true, INT32_MIN, INT32_MAX, value, VT_I4);
    break;
  case CIM_UINT16:
    ok = parse_integer(p->text, false, 0, UINT16_MAX, value, VT_I4);
    break;
  case CIM_SINT16:
    ok = parse_integer(p->text, true, INT16_MIN, INT16_MAX, value, VT_I2);
    break;
  case CIM_SINT8:
    ok = parse_integer(p->text, true, INT8_MIN, INT8_MAX, value, VT_I2);
    break;
  case CIM_UINT8:
    ok = parse_integer(p->text, false, 0, UINT8_MAX, value, VT_UI1);
    break;
  case CIM_BOOLEAN:
    ok = narrow_equal(p->text, "true") || narrow_equal(p->text, "false");
    V_VT(value) = VT_BOOL;
    V_BOOL(value) =
        narrow_equal(p->text, "true") ? VARIANT_TRUE : VARIANT_FALSE;
    break;
  case CIM_REAL32:
    V_VT(value) = VT_R4;
    V_R4(value) = strtof(p->text, &end);
    ok = end != p->text && *end == '\0';
    break;
  case CIM_REAL64:
    V_VT(value) = VT_R8;
    V_R8(value) = strtod(p->text, &end);
    ok = end != p->text && *end == '\0';
    break;
  default:
    ok = false;
  }
  if (!ok) { /* a recording's own mistake: make it loud */
    VariantInit(value);
    return WBEM_E_TYPE_MISMATCH;
  }
  return WBEM_S_NO_ERROR;
}

static HRESULT property_value(const object_t *o, int i, VARIANT *value,
                              CIMTYPE *type, LONG *flavor) {
  if (type != NULL)
    *type = o->props[i].type;
  if (flavor != NULL)
    *flavor = o->genus == WBEM_GENUS_CLASS ? WBEM_FLAVOR_ORIGIN_LOCAL
                                           : WBEM_FLAVOR_ORIGIN_PROPAGATED;
  return value != NULL ? text_value(&o->props[i], value) : WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE o_query_interface(IWbemClassObject *iface,
                                                   REFIID riid, void **out) {
  if (IsEqualIID(riid, &IID_IUnknown) ||
      IsEqualIID(riid, &IID_IWbemClassObject)) {
    *out = iface;
    InterlockedIncrement(&obj_impl(iface)->refs);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE o_add_ref(IWbemClassObject *iface) {
  return (ULONG)InterlockedIncrement(&obj_impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE o_release(IWbemClassObject *iface) {
  object_t *o = obj_impl(iface);
  LONG refs = InterlockedDecrement(&o->refs);
  if (refs == 0) {
    live_add(o->live, -1);
    free(o);
  }
  return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE o_get_qualifier_set(IWbemClassObject *iface,
                                                     IWbemQualifierSet **out) {
  /* The class's own qualifiers: none recorded. */
  object_t *o = obj_impl(iface);
  if (out == NULL)
    return WBEM_E_INVALID_PARAMETER;
  *out = qualifiers_new(false, 0, 0, o->live);
  return *out != NULL ? WBEM_S_NO_ERROR : WBEM_E_OUT_OF_MEMORY;
}

static HRESULT STDMETHODCALLTYPE o_get(IWbemClassObject *iface, LPCWSTR name,
                                       LONG flags, VARIANT *value,
                                       CIMTYPE *type, LONG *flavor) {
  (void)flags;
  object_t *o = obj_impl(iface);
  if (name == NULL)
    return WBEM_E_INVALID_PARAMETER;
  for (int s = 0; s < SYSTEM_NUM; s++)
    if (perf_name_equal(name, system_names[s])) {
      if (flavor != NULL)
        *flavor = WBEM_FLAVOR_ORIGIN_SYSTEM;
      return system_value(o, s, value, type);
    }
  int i = find_property(o, name);
  if (i < 0)
    return WBEM_E_NOT_FOUND;
  return property_value(o, i, value, type, flavor);
}

static HRESULT STDMETHODCALLTYPE o_put(IWbemClassObject *iface, LPCWSTR name,
                                       LONG flags, VARIANT *value,
                                       CIMTYPE type) {
  (void)iface, (void)name, (void)flags, (void)value, (void)type;
  return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE o_delete(IWbemClassObject *iface,
                                          LPCWSTR name) {
  (void)iface, (void)name;
  return WBEM_E_NOT_SUPPORTED;
}

static bool wants_system(LONG flags) {
  LONG origin = flags & WBEM_MASK_CONDITION_ORIGIN;
  return origin == 0 || origin == WBEM_FLAG_SYSTEM_ONLY;
}

static bool wants_ordinary(LONG flags) {
  return (flags & WBEM_MASK_CONDITION_ORIGIN) != WBEM_FLAG_SYSTEM_ONLY;
}

static HRESULT put_name(SAFEARRAY *names, LONG *at, const char *name) {
  BSTR b = bstr_from(name);
  HRESULT hr = b ? SafeArrayPutElement(names, at, b) : E_OUTOFMEMORY;
  SysFreeString(b);
  (*at)++;
  return hr;
}

/* Without a qualifier filter: the key-only and reference-only conditions,
 * and the system / non-system origins. */
static HRESULT STDMETHODCALLTYPE o_get_names(IWbemClassObject *iface,
                                             LPCWSTR qualifier, LONG flags,
                                             VARIANT *qualifier_value,
                                             SAFEARRAY **names) {
  (void)qualifier_value;
  object_t *o = obj_impl(iface);
  if (names == NULL)
    return WBEM_E_INVALID_PARAMETER;
  if (qualifier != NULL)
    return WBEM_E_NOT_SUPPORTED;
  const char *list[SYSTEM_NUM + MAX_PROPERTIES];
  ULONG n = 0;
  if (flags & WBEM_FLAG_KEYS_ONLY) {
    if (name_property(o) != NULL)
      list[n++] = "Name";
  } else if (!(flags & WBEM_FLAG_REFS_ONLY)) {
    if (wants_system(flags))
      for (int s = 0; s < SYSTEM_NUM; s++)
        list[n++] = system_names[s];
    if (wants_ordinary(flags))
      for (size_t i = 0; i < o->num; i++)
        list[n++] = o->props[i].name;
  }
  *names = SafeArrayCreateVector(VT_BSTR, 0, n);
  if (*names == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  LONG at = 0;
  for (ULONG i = 0; i < n; i++)
    if (FAILED(put_name(*names, &at, list[i]))) {
      SafeArrayDestroy(*names);
      *names = NULL;
      return WBEM_E_OUT_OF_MEMORY;
    }
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE o_begin(IWbemClassObject *iface, LONG flags) {
  object_t *o = obj_impl(iface);
  o->enum_nonsystem_only = !wants_system(flags);
  o->next = o->enum_nonsystem_only ? 0 : -SYSTEM_NUM;
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE o_next(IWbemClassObject *iface, LONG flags,
                                        BSTR *name, VARIANT *value,
                                        CIMTYPE *type, LONG *flavor) {
  (void)flags;
  object_t *o = obj_impl(iface);
  if (o->next >= (int)o->num)
    return WBEM_S_NO_MORE_DATA;
  int at = o->next++;
  const char *n = at < 0 ? system_names[at + SYSTEM_NUM] : o->props[at].name;
  if (name != NULL && (*name = bstr_from(n)) == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  if (at < 0) {
    if (flavor != NULL)
      *flavor = WBEM_FLAVOR_ORIGIN_SYSTEM;
    return system_value(o, at + SYSTEM_NUM, value, type);
  }
  return property_value(o, at, value, type, flavor);
}

static HRESULT STDMETHODCALLTYPE o_end(IWbemClassObject *iface) {
  obj_impl(iface)->next = (int)obj_impl(iface)->num;
  return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE o_get_property_qualifier_set(
    IWbemClassObject *iface, LPCWSTR name, IWbemQualifierSet **out) {
  object_t *o = obj_impl(iface);
  if (name == NULL || out == NULL)
    return WBEM_E_INVALID_PARAMETER;
  *out = NULL;
  int i = find_property(o, name);
  if (i < 0)
    return WBEM_E_NOT_FOUND;
  *out = qualifiers_new(o->props[i].has_counter_type, o->props[i].counter_type,
                        o->genus == WBEM_GENUS_CLASS
                            ? WBEM_FLAVOR_ORIGIN_LOCAL
                            : WBEM_FLAVOR_ORIGIN_PROPAGATED,
                        o->live);
  return *out != NULL ? WBEM_S_NO_ERROR : WBEM_E_OUT_OF_MEMORY;
}

static HRESULT STDMETHODCALLTYPE o_clone(IWbemClassObject *iface,
                                         IWbemClassObject **copy) {
  object_t *o = obj_impl(iface);
  if (copy == NULL)
    return WBEM_E_INVALID_PARAMETER;
  object_t *c = malloc(sizeof(*c));
  if (c == NULL)
    return WBEM_E_OUT_OF_MEMORY;
  *c = *o;
  c->refs = 1;
  live_add(c->live, 1);
  *copy = &c->iface;
  return WBEM_S_NO_ERROR;
}

/* The rest: nothing a reader of recorded samples calls. */
static HRESULT STDMETHODCALLTYPE o_get_object_text(IWbemClassObject *i, LONG fl,
                                                   BSTR *t) {
  (void)i, (void)fl, (void)t;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_spawn_derived_class(IWbemClassObject *i,
                                                       LONG fl,
                                                       IWbemClassObject **c) {
  (void)i, (void)fl, (void)c;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_spawn_instance(IWbemClassObject *i, LONG fl,
                                                  IWbemClassObject **c) {
  (void)i, (void)fl, (void)c;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_compare_to(IWbemClassObject *i, LONG fl,
                                              IWbemClassObject *c) {
  (void)i, (void)fl, (void)c;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_get_property_origin(IWbemClassObject *i,
                                                       LPCWSTR n, BSTR *c) {
  (void)i, (void)n, (void)c;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_inherits_from(IWbemClassObject *i,
                                                 LPCWSTR a) {
  (void)i, (void)a;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_get_method(IWbemClassObject *i, LPCWSTR n,
                                              LONG fl, IWbemClassObject **in,
                                              IWbemClassObject **out) {
  (void)i, (void)n, (void)fl, (void)in, (void)out;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_put_method(IWbemClassObject *i, LPCWSTR n,
                                              LONG fl, IWbemClassObject *in,
                                              IWbemClassObject *out) {
  (void)i, (void)n, (void)fl, (void)in, (void)out;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_delete_method(IWbemClassObject *i,
                                                 LPCWSTR n) {
  (void)i, (void)n;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_begin_method_enum(IWbemClassObject *i,
                                                     LONG fl) {
  (void)i, (void)fl;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_next_method(IWbemClassObject *i, LONG fl,
                                               BSTR *n, IWbemClassObject **in,
                                               IWbemClassObject **out) {
  (void)i, (void)fl, (void)n, (void)in, (void)out;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_end_method_enum(IWbemClassObject *i) {
  (void)i;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_get_method_qualifier_set(
    IWbemClassObject *i, LPCWSTR m, IWbemQualifierSet **q) {
  (void)i, (void)m, (void)q;
  return WBEM_E_NOT_SUPPORTED;
}
static HRESULT STDMETHODCALLTYPE o_get_method_origin(IWbemClassObject *i,
                                                     LPCWSTR m, BSTR *c) {
  (void)i, (void)m, (void)c;
  return WBEM_E_NOT_SUPPORTED;
}

static const IWbemClassObjectVtbl object_vtbl = {
    o_query_interface,
    o_add_ref,
    o_release,
    o_get_qualifier_set,
    o_get,
    o_put,
    o_delete,
    o_get_names,
    o_begin,
    o_next,
    o_end,
    o_get_property_qualifier_set,
    o_clone,
    o_get_object_text,
    o_spawn_derived_class,
    o_spawn_instance,
    o_compare_to,
    o_get_property_origin,
    o_inherits_from,
    o_get_method,
    o_put_method,
    o_delete_method,
    o_begin_method_enum,
    o_next_method,
    o_end_method_enum,
    o_get_method_qualifier_set,
    o_get_method_origin,
};

static int layout_find(const object_t *o, const char *name) {
  for (size_t i = 0; i < o->num; i++)
    if (narrow_equal(o->props[i].name, name))
      return (int)i;
  return -1;
}

static void layout_add(object_t *o, const char *name, CIMTYPE type) {
  if (layout_find(o, name) < 0 && o->num < MAX_PROPERTIES)
    o->props[o->num++] = (property_t){.name = name, .type = type};
}

/* The class's properties: every recorded object's, then qualifiers'. */
static object_t *object_new(const perf_recording_t *rec, LONG genus,
                            volatile LONG *live) {
  object_t *o = calloc(1, sizeof(*o));
  if (o == NULL)
    return NULL;
  o->iface.lpVtbl = &object_vtbl;
  o->refs = 1;
  o->live = live;
  o->rec = rec;
  o->genus = genus;
  for (size_t r = 0; r < rec->runs_num; r++)
    for (size_t b = 0; b < rec->runs[r].num; b++) {
      const perf_object_t *obj = &rec->runs[r].objects[b];
      for (size_t p = 0; p < obj->num; p++)
        layout_add(o, obj->properties[p].name, obj->properties[p].type);
    }
  for (size_t q = 0; q < rec->qualifiers_num; q++) {
    layout_add(o, rec->qualifiers[q].name, CIM_UINT64);
    property_t *p = &o->props[layout_find(o, rec->qualifiers[q].name)];
    p->has_counter_type = true;
    p->counter_type = rec->qualifiers[q].counter_type;
  }
  o->next = (int)o->num;
  live_add(live, 1);
  return o;
}

IWbemClassObject *perf_object_class(const perf_recording_t *rec,
                                    volatile LONG *live) {
  object_t *o = object_new(rec, WBEM_GENUS_CLASS, live);
  return o != NULL ? &o->iface : NULL;
}

static bool is_selected(const char *name, const char *const *selected,
                        size_t selected_num) {
  if (selected == NULL || narrow_equal(name, "Name"))
    return true;
  for (size_t i = 0; i < selected_num; i++)
    if (narrow_equal(name, selected[i]))
      return true;
  return false;
}

IWbemClassObject *perf_object_instance(const perf_recording_t *rec,
                                       const perf_object_t *obj,
                                       const char *const *selected,
                                       size_t selected_num,
                                       volatile LONG *live) {
  object_t *o = object_new(rec, WBEM_GENUS_INSTANCE, live);
  if (o == NULL)
    return NULL;
  for (size_t p = 0; p < obj->num; p++) {
    int i = layout_find(o, obj->properties[p].name);
    if (i >= 0 && is_selected(o->props[i].name, selected, selected_num))
      o->props[i].text = obj->properties[p].text;
  }
  return &o->iface;
}
