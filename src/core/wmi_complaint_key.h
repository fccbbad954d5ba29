/* The keys the batch's stages complain under (see wmi_complain.h), and
 * the prefix that names the job in their messages. */
#ifndef WMI_COMPLAINT_KEY_H
#define WMI_COMPLAINT_KEY_H

#include <stddef.h>

/* Every batch message names the job the way the backend's messages do. */
#define WMI_RESULT_WHERE "Host \"%s\", Query \"%s\", Result %zu: "
#define WMI_RESULT_WHERE_ARGS(job, result_index)                               \
  (job)->host->name, (job)->query->name, (result_index) + 1

/* A key "kind/result/a/b": on the stack when short, which keys nearly
 * always are; on the heap when not, so that keys are never cut (two keys
 * that differ only at their end must stay two). */
typedef struct {
  char small[160];
  char *text;
} wmi_complaint_key_t;

/* Builds the key into k and returns its text, valid until
 * wmi_complaint_key_release(k). Built by hand, not with snprintf: a good
 * value builds one whenever the job has a complaint open, to see whether
 * it ends. Out of memory, a long key is cut. Any thread; k is the
 * caller's. */
const char *wmi_complaint_key_make(wmi_complaint_key_t *k, const char *kind,
                                   size_t result_index, const char *a,
                                   const char *b);

/* Frees what wmi_complaint_key_make allocated for k, if anything. */
void wmi_complaint_key_release(wmi_complaint_key_t *k);

#endif
