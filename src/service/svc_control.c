/* collectd.exe's stop on Windows: service control and console events end
 * the read loop through stop_collectd(); a stop event wakes the loop's
 * sleep at once, whatever the Interval. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
  for (int s = 0; s < SVC_STOP_LIMIT_S; s++) {
    if (WaitForSingleObject(finished_event, 1000) != WAIT_TIMEOUT)
      return 0;
    report(SERVICE_STOP_PENDING, 0);
  }
  /* A shutdown callback that never returns: rather than a service that
   * claims progress forever, a stop with an error. */
  plugin_log(LOG_ERR_LEVEL,
             "service: collectd's shutdown did not finish within %d s; "
             "the process ends now",
             SVC_STOP_LIMIT_S);
  report(SERVICE_STOPPED, 2);
  ExitProcess(2);
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
    plugin_log(
        LOG_ERR_LEVEL,
        "service: collectd exits without a service stop (a configuration "
        "it refuses? see above); the service stops with an error");
  report(SERVICE_STOPPED, 1);
}

/* Console events reach a service too (a logoff, the system's shutdown):
 * the service manager's controls stop it, so they are ignored here rather
 * than left to the default handler, which would end the process. */
static BOOL WINAPI ignore_console_event(DWORD type) {
  return type == CTRL_LOGOFF_EVENT || type == CTRL_SHUTDOWN_EVENT;
}

/* A service has no stderr, yet collectd writes there what comes before
 * its log plugin is set up (a syntax error in collectd.conf): append it to
 * collectd.log beside collectd.conf, where the template logs too. */
static void stderr_to_log(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i++) {
    if (strcmp(argv[i], "-C") != 0)
      continue;
    char log[MAX_PATH + 16];
    snprintf(log, sizeof(log), "%s", argv[i + 1]);
    char *sep = strrchr(log, '\\');
    snprintf(sep ? sep + 1 : log,
             sizeof(log) - (size_t)(sep ? sep + 1 - log : 0), "collectd.log");
    int fd = _open(log, _O_WRONLY | _O_APPEND | _O_CREAT | _O_TEXT,
                   _S_IREAD | _S_IWRITE);
    if (fd < 0)
      return;
    /* A service's stderr is tied to no descriptor (_file -2), and freopen
     * refuses such a stream: tie it to descriptor 2, now the log. */
    if (_dup2(fd, 2) == 0) {
      stderr->_file = 2;
      stderr->_flag = _IOWRT;
      setvbuf(stderr, NULL, _IONBF, 0);
    }
    _close(fd);
    return;
  }
}

static void WINAPI service_main(DWORD argc, LPSTR *argv) {
  (void)argc, (void)argv; /* the options come from the command line */
  status_handle = RegisterServiceCtrlHandlerExA(SVC_NAME, control, NULL);
  if (status_handle == NULL)
    return;
  report(SERVICE_START_PENDING, 0);
  stderr_to_log(service_argc, service_argv);
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
