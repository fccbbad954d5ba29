/* Conversion of CIM property values into collectd values. Portable: the
 * backend turns each VARIANT into a wmi_cim_value_t first. */
#ifndef WMI_VALUE_H
#define WMI_VALUE_H

#include "plugin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  WMI_CIM_NULL,       /* no value: skipped silently */
  WMI_CIM_SINT,       /* sint8..sint64 */
  WMI_CIM_UINT,       /* uint8..uint64 held as numbers */
  WMI_CIM_REAL,       /* real32, real64 */
  WMI_CIM_BOOLEAN,    /* 0 or 1 */
  WMI_CIM_STRING,     /* text; may hold a number, e.g. uint64 as decimal */
  WMI_CIM_DATETIME,   /* DMTF text: a time or an interval */
  WMI_CIM_UNSUPPORTED /* arrays, objects, references: never a value */
} wmi_cim_kind_t;

typedef struct {
  wmi_cim_kind_t kind;
  union {
    int64_t sint;
    uint64_t uint;
    double real;
    bool boolean;
    const char *text; /* STRING and DATETIME; borrowed, UTF-8 */
  } u;
} wmi_cim_value_t;

typedef enum {
  WMI_CONVERT_OK,
  WMI_CONVERT_NULL,  /* no value: skip silently */
  WMI_CONVERT_ERROR, /* why[] says what is wrong */
} wmi_convert_status_t;

/* Converts one property value for a data source of type ds_type
 * (DS_TYPE_*). Gauge gets the nearest double (one correct rounding, also
 * past 2^53 and past the 64-bit range); counter and absolute get exact
 * uint64s, derive exact int64s, or a refusal: never a rounded value.
 * A string must hold a decimal number ([sign] digits [. digits] [e [sign]
 * digits]), surrounded by any spaces, tabs, CRs and LFs; an integer type
 * takes it when its value is an integer ("15.0", "1.5e1"). On
 * WMI_CONVERT_ERROR a reason is written to why. */
wmi_convert_status_t wmi_value_convert(const wmi_cim_value_t *in, int ds_type,
                                       value_t *out, char *why, size_t why_len);

/* The name of data source type ds_type (DS_TYPE_*) in messages, as
 * types.db writes it: "gauge", "counter", "derive" or "absolute". Static
 * text; any thread. */
const char *wmi_ds_type_name(int ds_type);

/* Parses a DMTF datetime ("20261125123456.000000+060") into seconds since
 * the epoch, UTC. Returns 0 on success, -1 when the text is malformed. */
int wmi_datetime_to_epoch(const char *dmtf, double *seconds);

/* Parses a DMTF interval ("00000001020304.500000:000": 1 day, 02:03:04.5)
 * into seconds. Returns 0 on success, -1 when the text is malformed. */
int wmi_interval_to_seconds(const char *dmtf, double *seconds);

#endif
