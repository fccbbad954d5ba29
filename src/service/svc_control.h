/* How collectd.exe is stopped on Windows: by the service manager
 * (STOP, SHUTDOWN, PRESHUTDOWN) or by a console event (Ctrl-C, Ctrl-Break,
 * closing the window), each ending collectd's read loop through
 * stop_collectd(), the way SIGTERM does on Linux, so that every plugin's
 * shutdown callback runs and the writers flush. */
#ifndef SVC_CONTROL_H
#define SVC_CONTROL_H

/* The service's name in the service manager. */
#define SVC_NAME "collectd"
#define SVC_DISPLAY_NAME "collectd (WMI plugin)"
#define SVC_DESCRIPTION                                                        \
  "Collects system and WMI metrics with collectd and sends them to "           \
  "Graphite, InfluxDB and other collectd writers."

/* What STOP_PENDING promises the service manager between two progress
 * reports: the wmi plugin's shutdown takes at most 10 s, the writers'
 * flush a few more. Progress is reported every second meanwhile. */
#define SVC_STOP_WAIT_HINT_MS 20000
/* A shutdown still running after this long is taken as hung: the service
 * reports STOPPED with an error and the process ends. */
#define SVC_STOP_LIMIT_S 60

/* Runs collectd in the console: init_config, run_loop, with a console
 * handler that stops it cleanly. argv as collectd's own options. Returns
 * collectd's exit status. */
int svc_run_console(int argc, char **argv);

/* Runs collectd as the service SVC_NAME (from the service manager's
 * dispatcher; argv as collectd's own options, e.g. -C FILE). Returns 0 once
 * the service has stopped, or 1 when the process was not started by the
 * service manager. */
int svc_run_service(int argc, char **argv);

#endif
