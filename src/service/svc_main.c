/* collectd.exe's entry point on Windows (called from collectd's
 * cmd_windows.c main): the service commands, or collectd itself in a
 * console or as the service. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "svc_admin.h"
#include "svc_conf.h"
#include "svc_control.h"

#define STOP_TIMEOUT_MS 60000

static void usage(void) {
  fputs("Service commands (run as an administrator):\n"
        "  collectd.exe --write-config TEMPLATE OUTPUT [NAME=VALUE ...]\n"
        "      writes OUTPUT from TEMPLATE unless OUTPUT exists; NAMEs:\n"
        "      GRAPHITE_HOST GRAPHITE_PORT INFLUXDB_HOST INFLUXDB_PORT\n"
        "      PROMETHEUS_PORT INTERVAL INSTALLDIR DATADIR\n"
        "  collectd.exe --install-service [-C FILE]   register the service\n"
        "  collectd.exe --configure-service   failure actions, timeouts\n"
        "  collectd.exe --stop-service        stop it and wait\n"
        "  collectd.exe --uninstall-service   stop and remove it\n"
        "  collectd.exe --service -C FILE     what the service runs\n"
        "Without one of these, collectd runs in the console (Ctrl-C "
        "stops it).\n",
        stderr);
}

/* The folder holding path (without the final separator, but a drive's
 * root keeps it: "C:" alone is the drive's current folder). */
static void folder_of(const char *path, char *out, size_t out_len) {
  snprintf(out, out_len, "%s", path);
  char *sep = strrchr(out, '\\');
  char *slash = strrchr(out, '/');
  if (slash != NULL && (sep == NULL || slash > sep))
    sep = slash;
  if (sep == NULL)
    snprintf(out, out_len, ".");
  else
    sep[sep == out + 2 && out[1] == ':' ? 1 : 0] = '\0';
}

/* Only SYSTEM and Administrators may change what the LocalSystem service
 * reads and loads: the folder of a collectd.conf written here no longer
 * inherits ProgramData's "Users may create files". */
static void protect_folder(const char *dir) {
  PSECURITY_DESCRIPTOR sd = NULL;
  PACL dacl = NULL;
  BOOL present = FALSE, defaulted = FALSE;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(
          "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)",
          SDDL_REVISION_1, &sd, NULL) ||
      !GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) ||
      SetNamedSecurityInfoA((char *)dir, SE_FILE_OBJECT,
                            DACL_SECURITY_INFORMATION |
                                PROTECTED_DACL_SECURITY_INFORMATION,
                            NULL, NULL, dacl, NULL) != ERROR_SUCCESS)
    fprintf(stderr,
            "collectd: warning: cannot restrict %s to SYSTEM and "
            "Administrators (error %lu)\n",
            dir, (unsigned long)GetLastError());
  LocalFree(sd);
}

static int write_config(int argc, char **argv) {
  if (argc < 2) {
    usage();
    return 2;
  }
  /* An existing configuration is the operator's: the properties, which
   * only fill in a new one, are not even read. */
  if (GetFileAttributesA(argv[1]) != INVALID_FILE_ATTRIBUTES) {
    printf("collectd: %s exists: left as it is\n", argv[1]);
    return 0;
  }
  svc_conf_props_t props = {0};
  char err[SVC_CONF_ERROR_LEN];
  for (int i = 2; i < argc; i++)
    if (svc_conf_set(&props, argv[i], err, sizeof(err)) != 0) {
      fprintf(stderr, "collectd: --write-config: %s\n", err);
      svc_conf_props_free(&props);
      return 1;
    }
  char exe[MAX_PATH], output[MAX_PATH], install_dir[MAX_PATH],
      data_dir[MAX_PATH];
  GetModuleFileNameA(NULL, exe, sizeof(exe));
  folder_of(exe, install_dir, sizeof(install_dir));
  /* collectd.conf needs absolute paths: the service starts in System32. */
  if (GetFullPathNameA(argv[1], sizeof(output), output, NULL) == 0)
    snprintf(output, sizeof(output), "%s", argv[1]);
  folder_of(output, data_dir, sizeof(data_dir));
  int result = -1;
  if (svc_conf_default(&props, "INSTALLDIR", install_dir) == 0 &&
      svc_conf_default(&props, "DATADIR", data_dir) == 0)
    result = svc_conf_write(argv[0], argv[1], &props, err, sizeof(err));
  else
    snprintf(err, sizeof(err), "out of memory");
  svc_conf_props_free(&props);
  if (result < 0) {
    fprintf(stderr, "collectd: --write-config: %s\n", err);
    return 1;
  }
  if (result == 1)
    protect_folder(data_dir);
  printf(result ? "collectd: wrote %s\n"
                : "collectd: %s exists: left as it is\n",
         argv[1]);
  return 0;
}

/* -C FILE from the arguments after a command; else collectd.conf beside
 * collectd.exe. */
static void conf_argument(int argc, char **argv, char *out, size_t out_len) {
  for (int i = 0; i + 1 < argc; i++)
    if (strcmp(argv[i], "-C") == 0) {
      snprintf(out, out_len, "%s", argv[i + 1]);
      return;
    }
  char exe[MAX_PATH], dir[MAX_PATH];
  GetModuleFileNameA(NULL, exe, sizeof(exe));
  folder_of(exe, dir, sizeof(dir));
  snprintf(out, out_len, "%s\\collectd.conf", dir);
}

int collectd_windows_main(int argc, char **argv) {
  const char *command = argc > 1 ? argv[1] : "";
  if (strcmp(command, "--service") == 0) {
    argv[1] = argv[0]; /* collectd's getopt sees argv[0] and its options */
    return svc_run_service(argc - 1, argv + 1);
  }
  if (strcmp(command, "--write-config") == 0)
    return write_config(argc - 2, argv + 2);
  if (strcmp(command, "--install-service") == 0) {
    char exe[MAX_PATH], conf[MAX_PATH];
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    conf_argument(argc - 2, argv + 2, conf, sizeof(conf));
    return svc_admin_install(exe, conf);
  }
  if (strcmp(command, "--configure-service") == 0)
    return svc_admin_configure();
  if (strcmp(command, "--stop-service") == 0)
    return svc_admin_stop(STOP_TIMEOUT_MS);
  if (strcmp(command, "--uninstall-service") == 0)
    return svc_admin_uninstall();
  if (strcmp(command, "--help") == 0) {
    usage();
    return 0;
  }
  return svc_run_console(argc, argv);
}
