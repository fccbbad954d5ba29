/* Registering, configuring, stopping and removing the collectd service:
 * collectd.exe's own commands for the zip route and the MSI's custom
 * actions. Each prints what it did or why it failed, and returns 0 on
 * success. */
#ifndef SVC_ADMIN_H
#define SVC_ADMIN_H

/* Registers the service: automatic start, LocalSystem, own process,
 * command line "<exe>" --service -C "<conf>", then as svc_admin_configure.
 * Does not start it. */
int svc_admin_install(const char *exe_path, const char *conf_path);

/* Description, failure actions (restart after 60 s, twice, then none;
 * counted over a day) and a 30 s preshutdown timeout on the existing
 * service. Failure actions are applied only to a crash: a service that
 * stops with an error (a configuration collectd refuses) stays stopped. */
int svc_admin_configure(void);

/* Asks the service to stop and waits until it is STOPPED and its process
 * has exited, at most timeout_ms. Succeeds when it is not installed or
 * not running. */
int svc_admin_stop(unsigned long timeout_ms);

/* svc_admin_stop, then removes the service. */
int svc_admin_uninstall(void);

#endif
