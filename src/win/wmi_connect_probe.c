#include "wmi_connect_probe.h"

#include "wmi_connect_locator.h"
#include "wmi_connect_server.h"
#include "wmi_hresult.h"
#include "wmi_log.h"

#include <stdlib.h>

/* Who lets go of the probe: the thread when it finishes first, or the
 * caller; a caller that gave up leaves the thread to release what it
 * holds. */
enum { RUNNING, DONE, ABANDONED };

typedef struct {
  volatile LONG state;
  HRESULT hr;
  const char *step;
  wmi_backend_options_t options; /* its hooks */
  CO_MTA_USAGE_COOKIE mta;
} probe_t;

static void ask_com(probe_t *p) {
  p->step = "CoInitializeEx";
  p->hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (FAILED(p->hr))
    return;
  /* COM security is set once per process, and could be lost with the
   * MTA if no thread were in it for a moment. */
  p->step = "CoIncrementMTAUsage";
  p->hr = CoIncrementMTAUsage(&p->mta);
  if (SUCCEEDED(p->hr)) {
    p->step = "CoInitializeSecurity";
    p->hr = wmi_connection_init_security();
  }
  if (SUCCEEDED(p->hr)) {
    IWbemLocator *locator = NULL;
    p->step = "creating WMI's locator (CLSID_WbemLocator)";
    /* A test's locator may refuse here, as a broken WMI would. */
    p->hr = wmi_connect_locator(p->options.locator_hook, p->options.hook_ctx,
                                NULL, &locator);
    if (locator != NULL)
      IWbemLocator_Release(locator);
  }
  CoUninitialize();
}

static DWORD WINAPI probe_main(void *arg) {
  probe_t *p = arg;
  ask_com(p);
  if (InterlockedCompareExchange(&p->state, DONE, RUNNING) == ABANDONED) {
    wmi_probe_release(p->mta); /* nobody will use it now */
    free(p);
  }
  return 0;
}

void wmi_probe_release(CO_MTA_USAGE_COOKIE mta) {
  if (mta != NULL)
    CoDecrementMTAUsage(mta);
}

int wmi_probe(const wmi_backend_options_t *options, DWORD wait_ms,
              CO_MTA_USAGE_COOKIE *mta) {
  probe_t *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    wmi_log(LOG_ERR, "cannot check COM: out of memory");
    return -1;
  }
  p->state = RUNNING;
  p->hr = E_FAIL;
  p->step = "starting a thread";
  p->options = *options;
  HANDLE thread = CreateThread(NULL, 0, probe_main, p, 0, NULL);
  if (thread == NULL) {
    wmi_log(LOG_ERR, "cannot start a thread to check COM (error %lu)",
            (unsigned long)GetLastError());
    free(p);
    return -1;
  }
  WaitForSingleObject(thread, wait_ms);
  CloseHandle(thread);
  if (InterlockedCompareExchange(&p->state, ABANDONED, RUNNING) == RUNNING) {
    wmi_log(LOG_ERR, "COM did not answer within %lu s (%s)",
            (unsigned long)(wait_ms / 1000), p->step);
    return -1; /* the thread frees p when it is done */
  }
  int status = 0;
  if (FAILED(p->hr)) {
    char why[256];
    wmi_log(LOG_ERR, "cannot use WMI in this process: %s failed: %s", p->step,
            wmi_hresult_describe((uint32_t)p->hr, why, sizeof(why)));
    wmi_probe_release(p->mta);
    status = -1;
  } else {
    *mta = p->mta;
  }
  free(p);
  return status;
}
