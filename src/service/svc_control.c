/* collectd.exe's stop on Windows: service control and console events end
 * the read loop through stop_collectd(); a stop event wakes the loop's
 * sleep at once, whatever the Interval. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "svc_control.h"

/* collectd's logging (plugin.h), exported by collectd.exe; plugin.h itself
 * needs collectd's whole build configuration. */
void plugin_log(int level, const char *format, ...);
#define LOG_ERR_LEVEL 3

/* Set by stop_collectd() (through collectd_windows_wake); the read loop's
 * sleep waits on it. Manual reset: once stopping, never sleep again. */
static HANDLE stop_event;
/* Set when collectd's shutdown has finished (run_loop returned). */
static HANDLE finished_event;

static void make_events(void) {
  if (stop_event == NULL)
    stop_event = CreateEventA(NULL, TRUE, FALSE, NULL);
  if (finished_event == NULL)
    finished_event = CreateEventA(NULL, TRUE, FALSE, NULL);
}

void collectd_windows_sleep(double seconds) {
  DWORD ms = seconds <= 0 ? 0 : (DWORD)(seconds * 1000.0 + 0.5);
  if (stop_event != NULL)
    WaitForSingleObject(stop_event, ms);
  else
    Sleep(ms);
}

void collectd_windows_wake(void) {
  if (stop_event != NULL)
    SetEvent(stop_event);
}

/* ---- Console ---- */

static BOOL WINAPI console_event(DWORD type) {
  switch (type) {
  case CTRL_C_EVENT:
  case CTRL_BREAK_EVENT:
    stop_collectd();
    return TRUE;
  case CTRL_CLOSE_EVENT:
  case CTRL_LOGOFF_EVENT:
  case CTRL_SHUTDOWN_EVENT:
    /* Windows ends the process when this returns: hold it until collectd
     * has shut down (Windows allows a few seconds). */
    stop_collectd();
    WaitForSingleObject(finished_event, INFINITE);
    return TRUE;
  }
  return FALSE;
}

int svc_run_console(int argc, char **argv) {
  make_events();
  SetConsoleCtrlHandler(console_event, TRUE);
  struct cmdline_config config = init_config(argc, argv);
  int status = run_loop(config.test_readall);
  SetEvent(finished_event);
  return status;
}

/* ---- Service ---- */

static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static CRITICAL_SECTION status_lock;
static int service_argc;
static char **service_argv;

/* Reports a state to the service manager. Pending states carry a rising
 * checkpoint; nothing is reported after SERVICE_STOPPED. */
static void report(DWORD state, DWORD exit_status) {
  EnterCriticalSection(&status_lock);
  if (status.dwCurrentState != SERVICE_STOPPED) {
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted = state == SERVICE_RUNNING
                                    ? SERVICE_ACCEPT_STOP |
                                          SERVICE_ACCEPT_SHUTDOWN |
                                          SERVICE_ACCEPT_PRESHUTDOWN
                                    : 0;
    bool pending =
        state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    status.dwCheckPoint = pending ? status.dwCheckPoint + 1 : 0;
    status.dwWaitHint = pending ? SVC_STOP_WAIT_HINT_MS : 0;
    if (state == SERVICE_STOPPED && exit_status != 0) {
      status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
      status.dwServiceSpecificExitCode = exit_status;
    } else {
      status.dwWin32ExitCode = NO_ERROR;
      status.dwServiceSpecificExitCode = 0;
    }
    SetServiceStatus(status_handle, &status);
  }
  LeaveCriticalSection(&status_lock);
}

/* While collectd shuts down, tells the service manager every second that
 * the stop is progressing, so it waits as long as the shutdown takes. */
static DWORD WINAPI report_stop_progress(LPVOID unused) {
  (void)unused;
  while (WaitForSingleObject(finished_event, 1000) == WAIT_TIMEOUT)
    report(SERVICE_STOP_PENDING, 0);
  return 0;
}

static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID ctx) {
  (void)type, (void)data, (void)ctx;
  switch (code) {
  case SERVICE_CONTROL_STOP:
  case SERVICE_CONTROL_SHUTDOWN:
  case SERVICE_CONTROL_PRESHUTDOWN:
    if (WaitForSingleObject(stop_event, 0) == WAIT_OBJECT_0)
      return NO_ERROR; /* already stopping */
    report(SERVICE_STOP_PENDING, 0);
    stop_collectd();
    HANDLE ticker = CreateThread(NULL, 0, report_stop_progress, NULL, 0, NULL);
    if (ticker != NULL)
      CloseHandle(ticker);
    return NO_ERROR;
  case SERVICE_CONTROL_INTERROGATE:
    return NO_ERROR;
  }
  return ERROR_CALL_NOT_IMPLEMENTED;
}

/* collectd exits the process itself on a configuration it refuses
 * (init_config calls exit()): the service manager then learns that the
 * service stopped with an error, rather than that it crashed, so failure
 * actions do not restart it into the same error again and again. */
static void report_exit(void) {
  EnterCriticalSection(&status_lock);
  bool running = status.dwCurrentState != SERVICE_STOPPED;
  LeaveCriticalSection(&status_lock);
  if (running)
    plugin_log(LOG_ERR_LEVEL,
               "service: collectd exits before running (a configuration it "
               "refuses: see above); the service stops with an error");
  report(SERVICE_STOPPED, 1);
}

/* Console events reach a service too (a logoff, the system's shutdown):
 * the service manager's controls stop it, so they are ignored here rather
 * than left to the default handler, which would end the process. */
static BOOL WINAPI ignore_console_event(DWORD type) {
  return type == CTRL_LOGOFF_EVENT || type == CTRL_SHUTDOWN_EVENT;
}

static void WINAPI service_main(DWORD argc, LPSTR *argv) {
  (void)argc, (void)argv; /* the options come from the command line */
  status_handle = RegisterServiceCtrlHandlerExA(SVC_NAME, control, NULL);
  if (status_handle == NULL)
    return;
  report(SERVICE_START_PENDING, 0);
  atexit(report_exit);
  struct cmdline_config config = init_config(service_argc, service_argv);
  report(SERVICE_RUNNING, 0);
  int exit_status = run_loop(config.test_readall);
  SetEvent(finished_event);
  report(SERVICE_STOPPED, (DWORD)exit_status);
}

int svc_run_service(int argc, char **argv) {
  make_events();
  InitializeCriticalSection(&status_lock);
  service_argc = argc;
  service_argv = argv;
  SetConsoleCtrlHandler(ignore_console_event, TRUE);
  static char name[] = SVC_NAME;
  SERVICE_TABLE_ENTRYA table[] = {{name, service_main}, {NULL, NULL}};
  if (!StartServiceCtrlDispatcherA(table)) {
    fprintf(stderr,
            "collectd: --service is for the service manager (error %lu); "
            "run collectd.exe without it in a console\n",
            (unsigned long)GetLastError());
    return 1;
  }
  return 0;
}
