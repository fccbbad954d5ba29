/* A Result's value transforms on their own: Scale and Shift exact for the
 * integer data sources and refused, never wrapped, out of range; ValueMap
 * from a string to an exact integer or a real. (test_batch covers them
 * through the whole pipeline.) */
#include "unit.h"
#include "wmi_transform.h"

#include <stdint.h>

typedef struct {
  const char *name;
  double scale, shift;
  int ds_type;
  value_t in;
  int status;
  value_t want; /* when status is 0 */
} scale_case_t;

static const scale_case_t scale_cases[] = {
    {"gauge", 0.25, -10.5, DS_TYPE_GAUGE, {.gauge = 100}, 0, {.gauge = 14.5}},
    {"gauge not finite", 1e300, 0, DS_TYPE_GAUGE, {.gauge = 1e300}, -1, {0}},
    {"counter to the top of its range",
     4,
     3,
     DS_TYPE_COUNTER,
     {.counter = (UINT64_C(1) << 62) - 1},
     0,
     {.counter = UINT64_MAX}},
    {"counter one past",
     4,
     4,
     DS_TYPE_COUNTER,
     {.counter = (UINT64_C(1) << 62) - 1},
     -1,
     {0}},
    {"counter below 0", 1, -2, DS_TYPE_COUNTER, {.counter = 1}, -1, {0}},
    {"absolute shifted down",
     1000,
     -1500,
     DS_TYPE_ABSOLUTE,
     {.absolute = 2},
     0,
     {.absolute = 500}},
    {"derive, negative shift floored",
     3,
     -7,
     DS_TYPE_DERIVE,
     {.derive = -5},
     0,
     {.derive = -22}},
    {"derive down to int64 min",
     2,
     0,
     DS_TYPE_DERIVE,
     {.derive = INT64_MIN / 2},
     0,
     {.derive = INT64_MIN}},
    {"derive below int64 min",
     2,
     -1,
     DS_TYPE_DERIVE,
     {.derive = INT64_MIN / 2},
     -1,
     {0}},
};

static void test_scale(void) {
  for (size_t i = 0; i < sizeof(scale_cases) / sizeof(scale_cases[0]); i++) {
    const scale_case_t *c = &scale_cases[i];
    unit_case = c->name;
    wmi_result_t r = {.scaled = true, .scale = c->scale, .shift = c->shift};
    value_t v = c->in;
    char why[256] = "";
    int status = wmi_transform_scale(&r, c->ds_type, &v, why, sizeof(why));
    CHECK(status == c->status, "status %d (%s)", status, why);
    if (status != 0) {
      CHECK(why[0] != '\0', "a reason");
      CHECK(memcmp(&v, &c->in, sizeof(v)) == 0, "value left alone");
      continue;
    }
    CHECK(memcmp(&v, &c->want, sizeof(v)) == 0, "value");
  }
}

static void test_map(void) {
  char *strings[] = {"OK", "Degraded"};
  double numbers[] = {1, 0.5};
  wmi_result_t r = {.value_map_strings = strings,
                    .value_map_numbers = numbers,
                    .value_map_num = 2};
  char why[256] = "";
  wmi_cim_value_t out;

  unit_case = "mapped integer";
  wmi_cim_value_t in = {.kind = WMI_CIM_STRING, .u.text = "OK"};
  CHECK(wmi_transform_map(&r, &in, &out, why, sizeof(why)) == 0, "%s", why);
  CHECK(out.kind == WMI_CIM_SINT && out.u.sint == 1, "an exact sint64");

  unit_case = "mapped fraction";
  in.u.text = "Degraded";
  CHECK(wmi_transform_map(&r, &in, &out, why, sizeof(why)) == 0, "%s", why);
  CHECK(out.kind == WMI_CIM_REAL && out.u.real == 0.5, "a real");

  unit_case = "case-sensitive, unmapped";
  in.u.text = "ok";
  CHECK(wmi_transform_map(&r, &in, &out, why, sizeof(why)) == -1, "refused");
  CHECK_STR(why, "\"ok\" is not in \"ValueMap\"");

  unit_case = "unmapped, with a default";
  r.has_value_map_default = true;
  r.value_map_default = -3;
  CHECK(wmi_transform_map(&r, &in, &out, why, sizeof(why)) == 0, "%s", why);
  CHECK(out.kind == WMI_CIM_SINT && out.u.sint == -3, "the default");

  unit_case = "a number passes through";
  wmi_cim_value_t number = {.kind = WMI_CIM_UINT, .u.uint = 7};
  CHECK(wmi_transform_map(&r, &number, &out, why, sizeof(why)) == 0, "%s", why);
  CHECK(out.kind == WMI_CIM_UINT && out.u.uint == 7, "unchanged");

  unit_case = "no ValueMap";
  wmi_result_t plain = {0};
  in.u.text = "anything";
  CHECK(wmi_transform_map(&plain, &in, &out, why, sizeof(why)) == 0, "%s", why);
  CHECK(out.kind == WMI_CIM_STRING && out.u.text == in.u.text, "unchanged");
}

int main(void) {
  test_scale();
  test_map();
  return unit_summary("transform");
}
