/* Complain once, end once, per key: keys of any length, a bounded set, and
 * the lock-free "anything open?" answer the hot path relies on. */
#include "log_capture.h"
#include "unit.h"
#include "wmi_complain.h"
#include "wmi_complaint_key.h"

#include <stdlib.h>

typedef enum { COMPLAIN, END } op_t;

typedef struct {
  op_t op;
  const char *key;
  bool logs;      /* what the call returns and whether a line appears */
  bool any_after; /* wmi_complaints_any afterwards */
} step_t;

static void test_once(void) {
  static const step_t steps[] = {
      {END, "a", false, false}, /* nothing open: no line */
      {COMPLAIN, "a", true, true},
      {COMPLAIN, "a", false, true}, /* the same problem again: silent */
      {COMPLAIN, "b", true, true},
      {END, "a", true, true},
      {END, "a", false, true},     /* ended once only */
      {COMPLAIN, "a", true, true}, /* a new occurrence is news again */
      {END, "c", false, true},     /* never opened */
      {END, "b", true, true},
      {END, "a", true, false},
  };
  log_capture_start();
  wmi_complaints_t *set = wmi_complaints_new(NULL);
  for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
    const step_t *s = &steps[i];
    char label[32];
    snprintf(label, sizeof(label), "once step %zu", i + 1);
    unit_case = label;
    int before = log_captured_count("\n");
    bool logged =
        s->op == COMPLAIN
            ? wmi_complain(set, LOG_WARNING, s->key, "open %s", s->key)
            : wmi_complain_end(set, s->key, "end %s", s->key);
    CHECK(logged == s->logs, "returned %d", logged);
    CHECK(log_captured_count("\n") - before == (s->logs ? 1 : 0), "lines:\n%s",
          log_captured_all());
    CHECK(wmi_complaints_any(set) == s->any_after, "any() %d",
          wmi_complaints_any(set));
  }
  wmi_complaints_free(set);
}

/* Keys are copied whole: two that differ only in their last character, far
 * past any fixed buffer, are two complaints. */
static void test_long_keys(void) {
  unit_case = "long keys";
  log_capture_start();
  wmi_complaints_t *set = wmi_complaints_new(NULL);
  size_t len = 2000;
  char *x = malloc(len + 1), *y = malloc(len + 1);
  memset(x, 'k', len);
  memset(y, 'k', len);
  x[len] = y[len] = '\0';
  x[len - 1] = 'x';
  y[len - 1] = 'y';
  CHECK(wmi_complain(set, LOG_WARNING, x, "about x"), "x logged");
  CHECK(wmi_complain(set, LOG_WARNING, y, "about y"), "y is another key");
  CHECK(!wmi_complain(set, LOG_WARNING, x, "about x"), "x known");
  CHECK(wmi_complain_end(set, y, "y ended"), "y ends alone");
  CHECK(wmi_complaints_any(set), "x still open");
  CHECK(!wmi_complain(set, LOG_WARNING, x, "about x"), "x still known");
  CHECK(wmi_complain_end(set, x, "x ended"), "x ends");
  CHECK(!wmi_complaints_any(set), "nothing open");
  free(x);
  free(y);
  wmi_complaints_free(set);
}

/* Past the cap new keys are neither remembered nor logged, one warning
 * says so, and the set still works for the keys it has. Then every key
 * is ended, in another order than opened, and nothing is left open. */
static void test_cap(void) {
  unit_case = "cap";
  log_capture_start();
  wmi_complaints_t *set = wmi_complaints_new("Host \"h\", Query \"q\"");
  char key[32];
  size_t opened = 0;
  for (size_t i = 0; i < WMI_COMPLAINTS_MAX; i++) {
    snprintf(key, sizeof(key), "key/%zu", i);
    opened += wmi_complain(set, LOG_DEBUG, key, "%s", "");
  }
  CHECK(opened == WMI_COMPLAINTS_MAX, "all %zu remembered", opened);
  log_capture_start();
  CHECK(!wmi_complain(set, LOG_WARNING, "one more", "one more"),
        "past the cap: not logged");
  CHECK(!wmi_complain(set, LOG_WARNING, "and another", "and another"),
        "not logged either");
  CHECK(log_captured_count("more than 1024 distinct problems") == 1,
        "overflow warned once:\n%s", log_captured_all());
  CHECK(log_captured("wmi plugin: Host \"h\", Query \"q\": more than"),
        "the warning names the set's owner:\n%s", log_captured_all());
  CHECK(!log_captured("one more"), "the refused complaint is not logged");
  CHECK(!wmi_complain(set, LOG_WARNING, "key/7", "again"), "old key known");
  CHECK(!wmi_complain_end(set, "one more", "never opened"),
        "refused key was not remembered");

  unit_case = "all ended";
  size_t ended = 0;
  for (size_t i = WMI_COMPLAINTS_MAX; i-- > 0;) {
    snprintf(key, sizeof(key), "key/%zu", i);
    ended += wmi_complain_end(set, key, "%s", "");
  }
  CHECK(ended == WMI_COMPLAINTS_MAX, "each ended once: %zu", ended);
  CHECK(!wmi_complaints_any(set), "any() false after all ended");
  CHECK(wmi_complain(set, LOG_WARNING, "key/3", "room again"),
        "room for new complaints");
  wmi_complaints_free(set); /* with a key open: ASan checks the leak */
}

/* The keys the batch complains under: "kind/result/a/b", never cut. */
static void test_keys(void) {
  unit_case = "short key";
  wmi_complaint_key_t k;
  CHECK_STR(wmi_complaint_key_make(&k, "value", 0, "Size", "C:"),
            "value/0/Size/C:");
  CHECK(k.text == k.small, "on the stack");
  wmi_complaint_key_release(&k);
  unit_case = "result index of several digits";
  CHECK_STR(wmi_complaint_key_make(&k, "sum", 1234567, "", ""),
            "sum/1234567//");
  wmi_complaint_key_release(&k);
  unit_case = "long key, whole";
  char a[400], b[400];
  memset(a, 'a', sizeof(a) - 1);
  a[sizeof(a) - 1] = '\0';
  memcpy(b, a, sizeof(b));
  b[sizeof(b) - 2] = 'b'; /* differs at its very end */
  wmi_complaint_key_t ka, kb;
  const char *ta = wmi_complaint_key_make(&ka, "missing", 2, "x", a);
  const char *tb = wmi_complaint_key_make(&kb, "missing", 2, "x", b);
  CHECK(strlen(ta) == strlen("missing/2/x/") + strlen(a), "length %zu",
        strlen(ta));
  CHECK(strcmp(ta, tb) != 0, "two keys stay two");
  CHECK(strncmp(ta, "missing/2/x/aaa", 15) == 0, "begins \"%.15s\"", ta);
  wmi_complaint_key_release(&ka);
  wmi_complaint_key_release(&kb);
}

int main(void) {
  test_once();
  test_keys();
  test_long_keys();
  test_cap();
  log_capture_stop();
  return unit_summary("complain");
}
