/* From WMI objects to samples: instance names, values, and what happens
 * to nulls, hostile values, missing properties and duplicate instances. */
#include "config_text.h"
#include "fake_types.h"
#include "log_capture.h"
#include "unit.h"
#include "wmi_batch.h"

typedef struct {
  const char *name;
  wmi_cim_value_t value;
} property_t;

typedef struct {
  property_t props[4];
} object_t;

static int get_property(void *object, const char *name, wmi_cim_value_t *out) {
  object_t *o = object;
  for (size_t i = 0; i < 4 && o->props[i].name; i++) {
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

static wmi_config_t *load(const char *text) {
  oconfig_item_t *tree = config_text_parse(text);
  wmi_config_t *cfg = wmi_config_new();
  if (tree == NULL || wmi_config_parse(cfg, tree) != 0 ||
      wmi_config_finish(cfg, fake_types_lookup, NULL,
                        TIME_T_TO_CDTIME_T_STATIC(10)) != 0) {
    fprintf(stderr, "test bug: %s\n", log_captured_all());
    abort();
  }
  config_text_free(tree);
  return cfg;
}

static const char *const DISK =
    "<Query \"disk\">\n"
    "  Statement \"SELECT DeviceID, FreeSpace, Size FROM Win32_LogicalDisk\"\n"
    "  <Result>\n    Type \"df_complex\"\n    InstancePrefix \"free\"\n"
    "    InstancesFrom \"DeviceID\"\n    ValuesFrom \"FreeSpace\"\n  "
    "</Result>\n"
    "  <Result>\n    Type \"gauge\"\n    InstancePrefix \"size\"\n"
    "    InstancesFrom \"DeviceID\"\n    ValuesFrom \"Size\"\n  </Result>\n"
    "</Query>\n";

static void test_disks(void) {
  unit_case = "disks";
  log_capture_start();
  wmi_config_t *cfg = load(DISK);
  wmi_complaints_t *complaints = wmi_complaints_new();
  object_t objects[] = {
      {{{"DeviceID", STR("C:")},
        {"FreeSpace", STR("18446744073709551615")},
        {"Size", STR("250000000000")}}},
      {{{"DeviceID", STR("D:")}, {"FreeSpace", NUL}, {"Size", STR("1000")}}},
      {{{"DeviceID", STR("E:")},
        {"FreeSpace", STR("lots")},
        {"Size", STR("2000")}}},
  };
  wmi_batch_t *b = wmi_batch_new(0, TIME_T_TO_CDTIME_T_STATIC(1234));
  for (size_t i = 0; i < 3; i++)
    CHECK(wmi_batch_add_object(b, &cfg->jobs[0], get_property, &objects[i],
                               complaints) == 0,
          "added");
  wmi_batch_drop_duplicates(b, &cfg->jobs[0], complaints);
  CHECK(b->objects == 3, "objects counted");
  CHECK(b->samples_num == 4, "2 results x 3 disks - null - bad = %zu",
        b->samples_num);
  const wmi_sample_t *c = wmi_batch_find(b, "df_complex", "free-C_");
  CHECK(c != NULL && c->values[0].gauge == 18446744073709551615.0, "C: free");
  CHECK(wmi_batch_find(b, "gauge", "size-D_") != NULL,
        "D: size despite null free");
  CHECK(wmi_batch_find(b, "df_complex", "free-D_") == NULL, "null skipped");
  CHECK(wmi_batch_find(b, "df_complex", "free-E_") == NULL,
        "bad value skipped");
  CHECK(log_captured("Query \"disk\", property \"FreeSpace\", instance "
                     "\"free-E_\": value skipped: \"lots\" is not a number"),
        "warning names query, property and instance:\n%s", log_captured_all());
  CHECK(!log_captured("D_"), "a null is skipped silently");
  wmi_batch_free(b);

  /* The same bad value next run: no second warning. Then it recovers. */
  unit_case = "complain once";
  b = wmi_batch_new(0, 0);
  wmi_batch_add_object(b, &cfg->jobs[0], get_property, &objects[2], complaints);
  wmi_batch_free(b);
  CHECK(log_captured_count("value skipped") == 1, "warned once:\n%s",
        log_captured_all());
  objects[2].props[1].value = (wmi_cim_value_t)STR("77");
  b = wmi_batch_new(0, 0);
  wmi_batch_add_object(b, &cfg->jobs[0], get_property, &objects[2], complaints);
  CHECK(b->samples_num == 2, "recovered value used");
  wmi_batch_free(b);
  CHECK(log_captured("instance \"free-E_\": values are usable again"),
        "recovery reported:\n%s", log_captured_all());
  objects[2].props[1].value = (wmi_cim_value_t)STR("bad again");
  b = wmi_batch_new(0, 0);
  wmi_batch_add_object(b, &cfg->jobs[0], get_property, &objects[2], complaints);
  wmi_batch_free(b);
  CHECK(log_captured_count("value skipped") == 2, "a new failure is reported");

  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

static void test_missing_property_and_duplicates(void) {
  unit_case = "missing";
  log_capture_start();
  wmi_config_t *cfg =
      load("<Query \"procs\">\n  Statement \"SELECT Name, WorkingSetSize FROM "
           "Win32_Process\"\n  <Result>\n    Type \"gauge\"\n"
           "    InstancesFrom \"Name\"\n    ValuesFrom \"WorkingSetSize\"\n"
           "  </Result>\n  <Result>\n    Type \"derive\"\n"
           "    InstancesFrom \"Name\"\n    ValuesFrom \"ThreadCount\"\n"
           "  </Result>\n</Query>\n");
  wmi_complaints_t *complaints = wmi_complaints_new();
  object_t procs[] = {
      {{{"Name", STR("svchost.exe")}, {"WorkingSetSize", UINT(100)}}},
      {{{"Name", STR("svchost.exe")}, {"WorkingSetSize", UINT(200)}}},
      {{{"Name", STR("lsass.exe")}, {"WorkingSetSize", UINT(300)}}},
  };
  wmi_batch_t *b = wmi_batch_new(0, 0);
  for (size_t i = 0; i < 3; i++)
    wmi_batch_add_object(b, &cfg->jobs[0], get_property, &procs[i], complaints);
  CHECK(log_captured_count("option \"ValuesFrom\": property \"ThreadCount\" "
                           "is not in the query's results") == 1,
        "missing property reported once:\n%s", log_captured_all());
  wmi_batch_drop_duplicates(b, &cfg->jobs[0], complaints);
  CHECK(b->samples_num == 2, "one svchost_exe kept, got %zu", b->samples_num);
  CHECK(log_captured("several objects give the instance \"svchost_exe\""),
        "duplicates reported:\n%s", log_captured_all());
  CHECK(wmi_batch_find(b, "gauge", "lsass_exe") != NULL &&
            wmi_batch_find(b, "gauge", "lsass_exe")->values[0].gauge == 300,
        "unique instance kept");
  wmi_batch_free(b);
  wmi_complaints_free(complaints);
  wmi_config_free(cfg);
}

int main(void) {
  test_disks();
  test_missing_property_and_duplicates();
  log_capture_stop();
  return unit_summary("batch");
}
