/* Names users see in Graphite and InfluxDB: joined and made safe. */
#include "unit.h"
#include "wmi_naming.h"

typedef struct {
  const char *name;
  const char *parts[4];
  size_t parts_num;
  size_t out_len;
  const char *want;
} join_case_t;

static const join_case_t cases[] = {
    {"prefix and drive", {"free", "C:"}, 2, 128, "free-C_"},
    {"no prefix", {NULL, "C:"}, 2, 128, "C_"},
    {"empty parts skipped", {"", "eth0", "", "rx"}, 4, 128, "eth0-rx"},
    {"nothing", {NULL, ""}, 2, 128, ""},
    {"dots for graphite", {"services.exe"}, 1, 128, "services_exe"},
    {"spaces and slashes",
     {"Intel(R) PRO/1000 MT"},
     1,
     128,
     "Intel_R__PRO_1000_MT"},
    {"utf-8 is one character", {"caf\xc3\xa9-\xe2\x82\xac"}, 1, 128, "caf_-_"},
    {"quotes and newlines", {"a\"b\nc=d,e"}, 1, 128, "a_b_c_d_e"},
    {"hyphen and underscore kept", {"disk_0-1"}, 1, 128, "disk_0-1"},
    /* A part that sanitizes to nothing adds no '-' (was "a--b", "-b"). */
    {"stray UTF-8 bytes between", {"a", "\x80\xbf", "b"}, 3, 128, "a-b"},
    {"stray UTF-8 bytes first", {"\x80", "b"}, 2, 128, "b"},
    {"stray UTF-8 bytes last", {"a", "\xbf\xbf\xbf"}, 2, 128, "a"},
    {"only stray UTF-8 bytes", {"\x80", "\x81", NULL, "\xbf"}, 4, 128, ""},
    {"lone lead byte is a character", {"a", "\xc3", "b"}, 3, 128, "a-_-b"},
    {"stray bytes inside a part",
     {"a\x80"
      "b",
      "c"},
     2,
     128,
     "ab-c"},
    /* A cut name keeps its '-': the length shows the cut to the caller. */
    {"truncated to the buffer", {"abcdef", "ghij"}, 2, 8, "abcdef-"},
    {"cut after stray bytes", {"abcdef", "\x80", "gh"}, 3, 8, "abcdef-"},
    {"tiny buffer", {"abc"}, 1, 1, ""},
};

typedef struct {
  const char *in;
  size_t want;
} length_case_t;

/* The length checked against collectd's 127 characters at configuration
 * time must be the length the name will have once sanitized. */
static const length_case_t length_cases[] = {
    {"", 0},
    {"disk", 4},
    {"a.b c", 5},
    {"caf\xc3\xa9", 4},                  /* two-byte character */
    {"\xe2\x82\xac\xf0\x9f\x98\x80", 2}, /* three and four bytes */
    {"\xc3\xa9\xc3\xa9\xc3\xa9x", 4},
    {"\x80\xbf", 0}, /* stray continuation bytes: nothing */
    {"\xc3", 1},     /* a lead byte without its continuation */
};

static void test_sanitized_len(void) {
  for (size_t i = 0; i < sizeof(length_cases) / sizeof(length_cases[0]); i++) {
    const length_case_t *c = &length_cases[i];
    unit_case = c->in;
    char out[64];
    wmi_name_sanitize(out, sizeof(out), c->in);
    CHECK(wmi_name_sanitized_len(c->in) == c->want, "got %zu, want %zu",
          wmi_name_sanitized_len(c->in), c->want);
    CHECK(strlen(out) == c->want, "sanitize gives %zu characters", strlen(out));
  }
}

typedef struct {
  const char *in;
  const char *want; /* the name without perflib's "#n", sanitized */
} strip_case_t;

/* StripInstanceNumber: perflib's duplicate-instance suffix goes, nothing
 * else does. */
static const strip_case_t strip_cases[] = {
    {"svchost#12", "svchost"},
    {"svchost#1", "svchost"},
    {"svchost", "svchost"},             /* no suffix: kept */
    {"svchost#", "svchost_"},           /* no digits */
    {"a#b", "a_b"},                     /* not at the end */
    {"a#1b", "a_1b"},                   /* digits not last */
    {"#1", "_1"},                       /* nothing before it: a name */
    {"a##1", "a_"},                     /* "a#" numbered */
    {"a#1#2", "a_1"},                   /* only the last suffix */
    {"Service Host#3", "Service_Host"}, /* sanitized after */
    {"caf\xc3\xa9#2", "caf_"},
    {"", ""},
};

static void test_strip_instance_number(void) {
  for (size_t i = 0; i < sizeof(strip_cases) / sizeof(strip_cases[0]); i++) {
    const strip_case_t *c = &strip_cases[i];
    unit_case = c->in;
    char out[64];
    wmi_name_sanitize_n(out, sizeof(out), c->in,
                        wmi_name_instance_number_at(c->in));
    CHECK_STR(out, c->want);
  }
  unit_case = "sanitize_n stops at the NUL";
  char out[16];
  wmi_name_sanitize_n(out, sizeof(out), "ab", 10);
  CHECK_STR(out, "ab");
}

int main(void) {
  test_sanitized_len();
  test_strip_instance_number();
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const join_case_t *c = &cases[i];
    unit_case = c->name;
    char out[128];
    memset(out, 'X', sizeof(out));
    wmi_name_join(out, c->out_len, c->parts, c->parts_num);
    CHECK_STR(out, c->want);
    CHECK(strlen(out) < c->out_len, "stays inside the buffer");
  }
  unit_case = "sanitize";
  char out[16];
  wmi_name_sanitize(out, sizeof(out), "server01.example.com");
  CHECK_STR(out, "server01_exampl");
  return unit_summary("naming");
}
