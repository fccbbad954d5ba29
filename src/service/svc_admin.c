/* The collectd service in the service manager: register, configure, stop,
 * remove. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "svc_admin.h"
#include "svc_control.h"

/* The default preshutdown timeout of recent Windows is shorter than the
 * wmi plugin's shutdown bound plus the writers' flush. */
#define PRESHUTDOWN_TIMEOUT_MS 30000
#define RESTART_DELAY_MS 60000
#define FAILURE_RESET_SECONDS 86400

static int complain(const char *what) {
  DWORD code = GetLastError();
  char text[256] = "";
  FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                 NULL, code, 0, text, sizeof(text), NULL);
  for (size_t i = strlen(text);
       i > 0 &&
       (text[i - 1] == '\n' || text[i - 1] == '\r' || text[i - 1] == ' ');
       i--)
    text[i - 1] = '\0';
  fprintf(stderr, "collectd: %s: error %lu%s%s\n", what, (unsigned long)code,
          text[0] ? ": " : "", text);
  return 1;
}

static SC_HANDLE open_manager(DWORD access) {
  SC_HANDLE manager = OpenSCManagerA(NULL, NULL, access);
  if (manager == NULL)
    complain("cannot open the service manager (run as an administrator)");
  return manager;
}

/* An unquoted command line with a space in its path lets Windows try
 * C:\Program.exe first (and Wine's msiexec writes ServiceInstall's
 * unquoted): quote the path of this collectd.exe when the command line
 * starts with it. */
static int quote_command_line(SC_HANDLE service) {
  char exe[MAX_PATH];
  union {
    QUERY_SERVICE_CONFIGA config;
    char bytes[8192];
  } buf;
  DWORD needed;
  if (GetModuleFileNameA(NULL, exe, sizeof(exe)) == 0 ||
      !QueryServiceConfigA(service, &buf.config, sizeof(buf), &needed))
    return complain("cannot read the service's command line");
  const char *line = buf.config.lpBinaryPathName;
  size_t len = strlen(exe);
  if (line == NULL || line[0] == '"' || strchr(exe, ' ') == NULL ||
      _strnicmp(line, exe, len) != 0 || (line[len] != ' ' && line[len] != 0))
    return 0;
  char quoted[3 * MAX_PATH + 8192];
  snprintf(quoted, sizeof(quoted), "\"%s\"%s", exe, line + len);
  if (!ChangeServiceConfigA(service, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                            SERVICE_NO_CHANGE, quoted, NULL, NULL, NULL, NULL,
                            NULL, NULL))
    return complain("cannot quote the service's command line");
  printf("collectd: service " SVC_NAME " command line quoted: %s\n", quoted);
  return 0;
}

int svc_admin_configure(void) {
  SC_HANDLE manager = open_manager(SC_MANAGER_CONNECT);
  if (manager == NULL)
    return 1;
  /* SERVICE_START: needed for restart actions. */
  SC_HANDLE service = OpenServiceA(manager, SVC_NAME,
                                   SERVICE_CHANGE_CONFIG |
                                       SERVICE_QUERY_CONFIG | SERVICE_START);
  int failed = 0;
  if (service == NULL) {
    failed = complain("cannot open the service " SVC_NAME);
  } else {
    failed = quote_command_line(service);
    char description[] = SVC_DESCRIPTION;
    SERVICE_DESCRIPTIONA desc = {description};
    if (!ChangeServiceConfig2A(service, SERVICE_CONFIG_DESCRIPTION, &desc))
      failed = complain("cannot set the service's description");
    SC_ACTION actions[] = {{SC_ACTION_RESTART, RESTART_DELAY_MS},
                           {SC_ACTION_RESTART, RESTART_DELAY_MS},
                           {SC_ACTION_NONE, 0}};
    SERVICE_FAILURE_ACTIONSA failure = {.dwResetPeriod = FAILURE_RESET_SECONDS,
                                        .cActions = sizeof(actions) /
                                                    sizeof(actions[0]),
                                        .lpsaActions = actions};
    if (!ChangeServiceConfig2A(service, SERVICE_CONFIG_FAILURE_ACTIONS,
                               &failure))
      failed = complain("cannot set the service's failure actions");
    SERVICE_PRESHUTDOWN_INFO preshutdown = {PRESHUTDOWN_TIMEOUT_MS};
    if (!ChangeServiceConfig2A(service, SERVICE_CONFIG_PRESHUTDOWN_INFO,
                               &preshutdown))
      failed = complain("cannot set the service's preshutdown timeout");
    CloseServiceHandle(service);
  }
  CloseServiceHandle(manager);
  if (!failed)
    printf("collectd: service " SVC_NAME " configured: restart on failure "
           "after %d s (twice a day), preshutdown timeout %d s\n",
           RESTART_DELAY_MS / 1000, PRESHUTDOWN_TIMEOUT_MS / 1000);
  return failed;
}

int svc_admin_install(const char *exe_path, const char *conf_path) {
  char exe[MAX_PATH], conf[MAX_PATH];
  if (GetFullPathNameA(exe_path, sizeof(exe), exe, NULL) == 0 ||
      GetFullPathNameA(conf_path, sizeof(conf), conf, NULL) == 0)
    return complain("cannot resolve the paths of collectd.exe and -C");
  if (GetFileAttributesA(conf) == INVALID_FILE_ATTRIBUTES)
    fprintf(stderr,
            "collectd: warning: %s does not exist yet; write it before "
            "starting the service (see --write-config)\n",
            conf);
  char command[3 * MAX_PATH];
  snprintf(command, sizeof(command), "\"%s\" --service -C \"%s\"", exe, conf);
  SC_HANDLE manager = open_manager(SC_MANAGER_CREATE_SERVICE);
  if (manager == NULL)
    return 1;
  SC_HANDLE service = CreateServiceA(
      manager, SVC_NAME, SVC_DISPLAY_NAME, SERVICE_ALL_ACCESS,
      SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
      command, NULL, NULL, NULL, NULL /* LocalSystem */, NULL);
  int failed = 0;
  if (service == NULL) {
    failed = GetLastError() == ERROR_SERVICE_EXISTS
                 ? complain("the service " SVC_NAME " is already registered "
                            "(remove it first with --uninstall-service)")
                 : complain("cannot register the service " SVC_NAME);
  } else {
    CloseServiceHandle(service);
    printf("collectd: service " SVC_NAME " registered (automatic start, "
           "LocalSystem): %s\n",
           command);
  }
  CloseServiceHandle(manager);
  return failed ? failed : svc_admin_configure();
}

/* Waits for a process to exit: its files are in use until then. Returns
 * false if it still runs at the deadline. */
static bool process_ended(DWORD pid, ULONGLONG deadline) {
  HANDLE process = pid ? OpenProcess(SYNCHRONIZE, FALSE, pid) : NULL;
  if (process == NULL)
    return true; /* gone already */
  ULONGLONG now = GetTickCount64();
  DWORD wait = WaitForSingleObject(
      process, now < deadline ? (DWORD)(deadline - now) : 0);
  CloseHandle(process);
  return wait != WAIT_TIMEOUT;
}

/* Polls the service while it is in state `busy` (0: until STOPPED), up
 * to the deadline. Returns false at the deadline. */
static bool wait_while(SC_HANDLE service, SERVICE_STATUS_PROCESS *st,
                       DWORD busy, ULONGLONG deadline) {
  DWORD needed;
  while (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (LPBYTE)st,
                              sizeof(*st), &needed) &&
         (busy ? st->dwCurrentState == busy
               : st->dwCurrentState != SERVICE_STOPPED)) {
    if (GetTickCount64() >= deadline)
      return false;
    Sleep(250);
  }
  return true;
}

static int stop_service(SC_HANDLE service, unsigned long timeout_ms) {
  SERVICE_STATUS_PROCESS st;
  ULONGLONG deadline = GetTickCount64() + timeout_ms;
  /* A starting service takes no stop until it runs. */
  if (!wait_while(service, &st, SERVICE_START_PENDING, deadline))
    return (fprintf(stderr,
                    "collectd: the service " SVC_NAME " is still starting\n"),
            1);
  DWORD pid = st.dwProcessId;
  if (st.dwCurrentState == SERVICE_STOPPED)
    return process_ended(pid, deadline) ? 0 : 1;
  SERVICE_STATUS ignored;
  if (st.dwCurrentState != SERVICE_STOP_PENDING &&
      !ControlService(service, SERVICE_CONTROL_STOP, &ignored) &&
      GetLastError() != ERROR_SERVICE_NOT_ACTIVE)
    return complain("cannot stop the service " SVC_NAME);
  if (!wait_while(service, &st, 0, deadline) || !process_ended(pid, deadline)) {
    fprintf(stderr,
            "collectd: the service " SVC_NAME " did not stop within %lu s\n",
            timeout_ms / 1000);
    return 1;
  }
  printf("collectd: service " SVC_NAME " stopped\n");
  return 0;
}

int svc_admin_stop(unsigned long timeout_ms) {
  SC_HANDLE manager = open_manager(SC_MANAGER_CONNECT);
  if (manager == NULL)
    return 1;
  SC_HANDLE service =
      OpenServiceA(manager, SVC_NAME, SERVICE_STOP | SERVICE_QUERY_STATUS);
  int failed = 0;
  if (service == NULL) {
    if (GetLastError() != ERROR_SERVICE_DOES_NOT_EXIST)
      failed = complain("cannot open the service " SVC_NAME);
  } else {
    failed = stop_service(service, timeout_ms);
    CloseServiceHandle(service);
  }
  CloseServiceHandle(manager);
  return failed;
}

int svc_admin_uninstall(void) {
  SC_HANDLE manager = open_manager(SC_MANAGER_CONNECT);
  if (manager == NULL)
    return 1;
  SC_HANDLE service = OpenServiceA(
      manager, SVC_NAME, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE);
  int failed = 0;
  if (service == NULL) {
    failed = GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST
                 ? (printf("collectd: no service " SVC_NAME " to remove\n"), 0)
                 : complain("cannot open the service " SVC_NAME);
  } else {
    failed = stop_service(service, 60000);
    if (!failed && !DeleteService(service))
      failed = complain("cannot remove the service " SVC_NAME);
    if (!failed)
      printf("collectd: service " SVC_NAME " removed\n");
    CloseServiceHandle(service);
  }
  CloseServiceHandle(manager);
  return failed;
}
