#include "wmi_counter_check.h"

#include "wmi_wql.h"

#include <stdio.h>

int wmi_counter_property(uint32_t type, const char *property, size_t k,
                         char *out, size_t len) {
  const char *names[5];
  size_t n = 0;
  unsigned needs = wmi_counter_needs(type);
  char base[WMI_PROPERTY_MAX];
  if (needs & WMI_COUNTER_NEEDS_BASE) {
    snprintf(base, sizeof(base), "%s_Base", property);
    names[n++] = base;
  }
  bool time = wmi_counter_reads_time(type);
  bool frequency = wmi_counter_reads_frequency(type);
  if ((needs & WMI_COUNTER_NEEDS_SYS100NS) && time)
    names[n++] = "Timestamp_Sys100NS";
  if (needs & WMI_COUNTER_NEEDS_PERFTIME) {
    if (time)
      names[n++] = "Timestamp_PerfTime";
    if (frequency)
      names[n++] = "Frequency_PerfTime";
  }
  if (needs & WMI_COUNTER_NEEDS_OBJECT_TIME) {
    if (time)
      names[n++] = "Timestamp_Object";
    if (frequency)
      names[n++] = "Frequency_Object";
  }
  if (k >= n)
    return -1;
  snprintf(out, len, "%s", names[k]);
  return 0;
}

/* Whether statement selects every property `type` reads for `property`;
 * the first it does not select is left in out. */
static bool selects_all(uint32_t type, const char *property,
                        const char *statement, char *out, size_t len) {
  for (size_t k = 0; wmi_counter_property(type, property, k, out, len) == 0;
       k++)
    if (!wmi_wql_selects(statement, out))
      return false;
  return true;
}

wmi_counter_problem_t wmi_counter_check(uint32_t type, const char *property,
                                        const char *statement, bool sum,
                                        bool objects, char *missing,
                                        size_t len) {
  if (wmi_counter_type_name(type) == NULL)
    return WMI_COUNTER_UNSUPPORTED;
  if (sum && !wmi_counter_sums(type))
    return WMI_COUNTER_NOT_SUMMABLE;
  if (objects && !wmi_counter_adds_objects(type))
    return WMI_COUNTER_NOT_PER_OBJECT;
  if (!selects_all(type, property, statement, missing, len))
    return WMI_COUNTER_UNSELECTED;
  return WMI_COUNTER_USABLE;
}
