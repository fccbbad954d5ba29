/* collectd.conf written from the shipped template on first install: what
 * the installer's properties give, what they refuse, and that an existing
 * configuration is never touched. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "svc_conf.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHIPPED_TEMPLATE SRCDIR "/conf/windows/collectd.conf.in"

typedef struct {
  const char *name;
  const char *assignment;
  const char *error; /* a part of the message, or NULL: accepted */
} set_case_t;

static const set_case_t set_cases[] = {
    {"host name", "GRAPHITE_HOST=carbon.example.com", NULL},
    {"IPv4 address", "GRAPHITE_HOST=127.0.0.1", NULL},
    {"IPv6 address", "INFLUXDB_HOST=::1", NULL},
    {"empty is not given", "GRAPHITE_HOST=", NULL},
    {"port", "GRAPHITE_PORT=2003", NULL},
    {"highest port", "INFLUXDB_PORT=65535", NULL},
    {"Prometheus port", "PROMETHEUS_PORT=9103", NULL},
    {"Prometheus port in words", "PROMETHEUS_PORT=metrics",
     "PROMETHEUS_PORT \"metrics\" is not valid"},
    {"Prometheus port too high", "PROMETHEUS_PORT=70000", "from 1 to 65535"},
    {"interval", "INTERVAL=10", NULL},
    {"fractional interval", "INTERVAL=0.5", NULL},
    {"a day", "INTERVAL=86400", NULL},
    {"program folder", "INSTALLDIR=C:\\Program Files\\collectd\\", NULL},
    {"quote in a host", "GRAPHITE_HOST=a\"b", "GRAPHITE_HOST \"a\"b\""},
    {"space in a host", "GRAPHITE_HOST=a b", "must be a host name"},
    {"newline in a host", "INFLUXDB_HOST=a\nLoadPlugin x", "INFLUXDB_HOST"},
    {"port zero", "GRAPHITE_PORT=0", "GRAPHITE_PORT \"0\" is not valid"},
    {"port too high", "INFLUXDB_PORT=65536", "from 1 to 65535"},
    {"port with a sign", "GRAPHITE_PORT=+2003", "GRAPHITE_PORT"},
    {"port in words", "GRAPHITE_PORT=http", "GRAPHITE_PORT"},
    {"interval zero", "INTERVAL=0", "INTERVAL \"0\" is not valid"},
    {"interval below 0.1", "INTERVAL=0.05", "from 0.1 to 86400"},
    {"shortest interval", "INTERVAL=0.1", NULL},
    {"interval past a day", "INTERVAL=86401", "from 0.1 to 86400"},
    {"interval with unit", "INTERVAL=10s", "INTERVAL"},
    {"negative interval", "INTERVAL=-1", "INTERVAL"},
    {"two dots", "INTERVAL=1.2.3", "INTERVAL"},
    {"quote in a path", "DATADIR=C:\\a\"b", "DATADIR"},
    {"unknown property", "GRAPHITE_SERVER=x", "\"GRAPHITE_SERVER=x\" is not"},
    {"lower case", "graphite_host=x", "is not a property"},
    {"no equals sign", "GRAPHITE_HOST", "is not a property"},
};

static void test_set(void) {
  for (size_t i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
    const set_case_t *c = &set_cases[i];
    unit_case = c->name;
    svc_conf_props_t props = {0};
    char err[SVC_CONF_ERROR_LEN] = "";
    int r = svc_conf_set(&props, c->assignment, err, sizeof(err));
    if (c->error == NULL)
      CHECK(r == 0, "refused: %s", err);
    else
      CHECK(r != 0 && strstr(err, c->error) != NULL, "got %d \"%s\", want %s",
            r, err, c->error);
    svc_conf_props_free(&props);
  }
}

typedef struct {
  const char *name;
  const char *assignments[4];
  const char *tmpl;
  const char *want; /* NULL: refused */
} render_case_t;

static const render_case_t render_cases[] = {
    {"value",
     {"GRAPHITE_HOST=carbon"},
     "Host \"@GRAPHITE_HOST@\"\n",
     "Host \"carbon\"\n"},
    {"default port", {NULL}, "Port \"@GRAPHITE_PORT@\"\n", "Port \"2003\"\n"},
    {"empty is the default", {"INFLUXDB_PORT="}, "@INFLUXDB_PORT@", "25826"},
    {"default interval", {NULL}, "Interval @INTERVAL@\n", "Interval 10\n"},
    {"interval", {"INTERVAL=60"}, "Interval @INTERVAL@\n", "Interval 60\n"},
    {"backslashes escaped",
     {"INSTALLDIR=C:\\Program Files\\collectd\\"},
     "PluginDir \"@INSTALLDIR@\\\\plugins\"\n",
     "PluginDir \"C:\\\\Program Files\\\\collectd\\\\plugins\"\n"},
    {"a drive's root keeps its separator",
     {"DATADIR=C:\\"},
     "File \"@DATADIR@\\\\x.log\"",
     "File \"C:\\\\\\\\x.log\""},
    {"line kept when set",
     {"GRAPHITE_HOST=carbon"},
     "#?GRAPHITE_HOST <Plugin write_graphite>\n",
     "<Plugin write_graphite>\n"},
    {"indentation kept",
     {"GRAPHITE_HOST=carbon"},
     "#?GRAPHITE_HOST     Host \"@GRAPHITE_HOST@\"\n",
     "    Host \"carbon\"\n"},
    {"commented example when not set",
     {NULL},
     "#?GRAPHITE_HOST     Host \"@GRAPHITE_HOST@\"\n",
     "#    Host \"graphite.example.com\"\n"},
    {"example port in a comment",
     {NULL},
     "#?INFLUXDB_HOST Server \"@INFLUXDB_HOST@\" \"@INFLUXDB_PORT@\"\n",
     "#Server \"influxdb.example.com\" \"25826\"\n"},
    {"Prometheus block active with its port",
     {"PROMETHEUS_PORT=9200"},
     "#?PROMETHEUS_PORT <Plugin write_prometheus>\n"
     "#?PROMETHEUS_PORT   Port \"@PROMETHEUS_PORT@\"\n",
     "<Plugin write_prometheus>\n  Port \"9200\"\n"},
    {"Prometheus block an example without its port",
     {NULL},
     "#?PROMETHEUS_PORT LoadPlugin write_prometheus\n"
     "#?PROMETHEUS_PORT   Port \"@PROMETHEUS_PORT@\"\n",
     "#LoadPlugin write_prometheus\n#  Port \"9103\"\n"},
    {"CRLF kept",
     {"INTERVAL=5"},
     "Interval @INTERVAL@\r\n#?GRAPHITE_HOST x\r\n",
     "Interval 5\r\n#x\r\n"},
    {"last line without newline", {NULL}, "a\nb", "a\nb"},
    {"ordinary comment untouched",
     {NULL},
     "# @ sign\n#? x\n",
     "# @ sign\n#? x\n"},
    {"lone at signs untouched", {NULL}, "me@home @x@ @@\n", "me@home @x@ @@\n"},
    {"unknown name", {NULL}, "@GRAPHITE_SERVER@\n", NULL},
    {"unknown marker", {NULL}, "#?GRAPHITE x\n", NULL},
    {"marker at the end", {"GRAPHITE_HOST=h"}, "#?GRAPHITE_HOST", ""},
    {"folder not set", {NULL}, "BaseDir \"@DATADIR@\"\n", NULL},
    {"empty template", {NULL}, "", ""},
};

static void test_render(void) {
  for (size_t i = 0; i < sizeof(render_cases) / sizeof(render_cases[0]); i++) {
    const render_case_t *c = &render_cases[i];
    unit_case = c->name;
    svc_conf_props_t props = {0};
    char err[SVC_CONF_ERROR_LEN] = "";
    for (size_t a = 0; a < 4 && c->assignments[a]; a++)
      CHECK(svc_conf_set(&props, c->assignments[a], err, sizeof(err)) == 0,
            "%s", err);
    char *got = svc_conf_render(c->tmpl, &props, err, sizeof(err));
    if (c->want == NULL) {
      CHECK(got == NULL && err[0] != '\0', "rendered \"%s\"",
            got ? got : "(null)");
    } else {
      CHECK(got != NULL, "refused: %s", err);
      if (got)
        CHECK_STR(got, c->want);
    }
    free(got);
    svc_conf_props_free(&props);
  }
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void set_all(svc_conf_props_t *props, const char *const *assignments) {
  char err[SVC_CONF_ERROR_LEN];
  for (; *assignments; assignments++)
    CHECK(svc_conf_set(props, *assignments, err, sizeof(err)) == 0, "%s", err);
}

/* The template the packages ship: every property it names renders, the
 * writers it names are active exactly when their host is given. */
static void test_shipped_template(void) {
  char dir[] = "/tmp/svc_conf_XXXXXX";
  CHECK(mkdtemp(dir) != NULL, "mkdtemp");
  char out[256], nested[256];
  snprintf(out, sizeof(out), "%s/collectd.conf", dir);
  snprintf(nested, sizeof(nested), "%s/ProgramData/collectd/collectd.conf",
           dir);
  char err[SVC_CONF_ERROR_LEN] = "";

  unit_case = "first install with GRAPHITE_HOST";
  svc_conf_props_t props = {0};
  const char *given[] = {"GRAPHITE_HOST=127.0.0.1",
                         "GRAPHITE_PORT=2103",
                         "INTERVAL=60",
                         "INSTALLDIR=C:\\Program Files\\collectd\\",
                         "DATADIR=C:\\ProgramData\\collectd",
                         NULL};
  set_all(&props, given);
  CHECK(svc_conf_write(SHIPPED_TEMPLATE, out, &props, err, sizeof(err)) == 1,
        "%s", err);
  const char *text = slurp(out);
  CHECK(text != NULL, "not written");
  if (text) {
    CHECK(strstr(text, "\n<Plugin write_graphite>") != NULL, "graphite off");
    CHECK(strstr(text, "    Host \"127.0.0.1\"\n") != NULL, "host");
    CHECK(strstr(text, "    Port \"2103\"\n") != NULL, "port");
    CHECK(strstr(text, "\nInterval 60\n") != NULL, "interval");
    CHECK(strstr(text, "\n#<Plugin network>") != NULL, "influxdb on");
    CHECK(strstr(text, "\n#LoadPlugin write_prometheus\n") != NULL,
          "prometheus on");
    CHECK(strstr(text, "BaseDir \"C:\\\\ProgramData\\\\collectd\"") != NULL,
          "basedir");
    CHECK(strstr(text, "PluginDir \"C:\\\\Program Files\\\\collectd\\\\"
                       "plugins\"") != NULL,
          "plugindir");
    CHECK(strstr(text, "Include \"C:\\\\Program Files\\\\collectd\\\\"
                       "wmi.conf\"") != NULL,
          "include");
    CHECK(strstr(text, "\n#Include \"C:\\\\Program Files\\\\collectd\\\\"
                       "packs\\\\os-extras.conf\"\n") != NULL,
          "the packs' example");
    CHECK(strstr(text, "\nInclude \"C:\\\\Program Files\\\\collectd\\\\"
                       "packs") == NULL,
          "a pack is included");
    CHECK(strchr(text, '@') == NULL, "a placeholder is left");
  }

  unit_case = "an existing configuration is never overwritten";
  FILE *f = fopen(out, "ab");
  fputs("# edited by the operator\n", f);
  fclose(f);
  char before[65536];
  snprintf(before, sizeof(before), "%s", slurp(out));
  svc_conf_props_free(&props);
  const char *other[] = {"GRAPHITE_HOST=other.example.com", "INTERVAL=5",
                         "INSTALLDIR=C:\\x", "DATADIR=C:\\y", NULL};
  set_all(&props, other);
  CHECK(svc_conf_write(SHIPPED_TEMPLATE, out, &props, err, sizeof(err)) == 0,
        "%s", err);
  CHECK_STR(slurp(out), before);

  unit_case = "missing folders are created; no writer without a host";
  svc_conf_props_free(&props);
  const char *none[] = {"INSTALLDIR=C:\\x", "DATADIR=C:\\y", NULL};
  set_all(&props, none);
  CHECK(svc_conf_write(SHIPPED_TEMPLATE, nested, &props, err, sizeof(err)) == 1,
        "%s", err);
  text = slurp(nested);
  CHECK(text != NULL && strstr(text, "\n#<Plugin write_graphite>") != NULL &&
            strstr(text, "\n#<Plugin network>") != NULL &&
            strstr(text, "\nInterval 10\n") != NULL,
        "%s", text ? text : "(not written)");

  unit_case = "first install with PROMETHEUS_PORT";
  svc_conf_props_free(&props);
  const char *prom[] = {"PROMETHEUS_PORT=9200", "INSTALLDIR=C:\\x",
                        "DATADIR=C:\\y", NULL};
  set_all(&props, prom);
  unlink(out);
  CHECK(svc_conf_write(SHIPPED_TEMPLATE, out, &props, err, sizeof(err)) == 1,
        "%s", err);
  text = slurp(out);
  CHECK(text != NULL &&
            strstr(text, "\nLoadPlugin write_prometheus\n"
                         "<Plugin write_prometheus>\n"
                         "  Port \"9200\"\n"
                         "</Plugin>\n") != NULL &&
            strstr(text, "\n#<Plugin write_graphite>") != NULL,
        "%s", text ? text : "(not written)");

  unit_case = "a missing template is an error, and writes nothing";
  unlink(out);
  CHECK(svc_conf_write("/nonexistent/collectd.conf.in", out, &props, err,
                       sizeof(err)) == -1 &&
            strstr(err, "/nonexistent/collectd.conf.in") != NULL,
        "%s", err);
  struct stat st;
  CHECK(stat(out, &st) != 0, "written anyway");
  svc_conf_props_free(&props);

  unlink(nested);
  char sub[256];
  snprintf(sub, sizeof(sub), "%s/ProgramData/collectd", dir);
  rmdir(sub);
  snprintf(sub, sizeof(sub), "%s/ProgramData", dir);
  rmdir(sub);
  rmdir(dir);
}

int main(void) {
  test_set();
  test_render();
  test_shipped_template();
  return unit_summary("test_svc_conf");
}
