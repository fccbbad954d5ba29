/* collectd.conf written once, on first install, from the template the
 * packages ship and the installer's properties (GRAPHITE_HOST, ...).
 * Portable C: no Windows API, so it is tested natively. */
#ifndef SVC_CONF_H
#define SVC_CONF_H

#include <stddef.h>

#define SVC_CONF_ERROR_LEN 512

/* The properties a template may use, their values as given (an empty
 * value means not given: the default applies). Paths have no trailing
 * separator once set. */
#define SVC_CONF_PROPS_NUM 8
typedef struct {
  char *values[SVC_CONF_PROPS_NUM];
} svc_conf_props_t;

/* Sets NAME from "NAME=VALUE" (names in capitals, as the MSI's public
 * properties: GRAPHITE_HOST, GRAPHITE_PORT, INFLUXDB_HOST, INFLUXDB_PORT,
 * PROMETHEUS_PORT, INTERVAL, INSTALLDIR, DATADIR). Returns 0, or -1 with the
 * reason in err for an unknown name or a value that is not valid for it. The
 * value is copied; svc_conf_props_free frees it. */
int svc_conf_set(svc_conf_props_t *props, const char *assignment, char *err,
                 size_t err_len);

/* Sets NAME to VALUE unless it was given: how the caller supplies
 * INSTALLDIR and DATADIR defaults. Returns 0 or -1 (out of memory). */
int svc_conf_default(svc_conf_props_t *props, const char *name,
                     const char *value);

void svc_conf_props_free(svc_conf_props_t *props);

/* Renders a template:
 *   "@NAME@"          the value of NAME (or its default), escaped for a
 *                     quoted collectd.conf string ('\' and '"');
 *   "#?NAME text"     at the start of a line: "text" when NAME has a value,
 *                     else "#text" (kept as a commented example, where
 *                     "@NAME@" gives an example value).
 * Line endings are kept as the template has them. Returns the text
 * (malloc'd; the caller frees it), or NULL with the reason in err (an
 * unknown "@NAME@", INSTALLDIR or DATADIR not set). */
char *svc_conf_render(const char *tmpl, const svc_conf_props_t *props,
                      char *err, size_t err_len);

/* Writes output_path from the template at template_path, only when
 * output_path does not exist (it is created exclusively, with its missing
 * folders): an operator's configuration is never overwritten. Returns 1
 * when written, 0 when output_path already existed (nothing read or
 * changed), -1 with the reason in err. */
int svc_conf_write(const char *template_path, const char *output_path,
                   const svc_conf_props_t *props, char *err, size_t err_len);

#endif
