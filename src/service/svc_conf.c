/* collectd.conf from the shipped template and the installer's properties. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* open, mkdir, stat */
#endif
#include "svc_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef _WIN32
#include <direct.h>
#include <io.h>
#define make_dir(path) _mkdir(path)
#else
#include <unistd.h>
#define O_BINARY 0
#define make_dir(path) mkdir((path), 0755)
#endif

typedef enum { KIND_HOST, KIND_PORT, KIND_INTERVAL, KIND_PATH } kind_t;

typedef struct {
  const char *name;
  kind_t kind;
  const char *fallback; /* the default; NULL: the caller must set it */
  const char *example;  /* shown in a commented-out line */
} prop_t;

/* Indexes match svc_conf_props_t.values. */
static const prop_t props_known[] = {
    {"GRAPHITE_HOST", KIND_HOST, "", "graphite.example.com"},
    {"GRAPHITE_PORT", KIND_PORT, "2003", "2003"},
    {"INFLUXDB_HOST", KIND_HOST, "", "influxdb.example.com"},
    {"INFLUXDB_PORT", KIND_PORT, "25826", "25826"},
    {"PROMETHEUS_PORT", KIND_PORT, "", "9103"},
    {"INTERVAL", KIND_INTERVAL, "10", "10"},
    {"INSTALLDIR", KIND_PATH, NULL, NULL},
    {"DATADIR", KIND_PATH, NULL, NULL},
};
#define PROPS_NUM (sizeof(props_known) / sizeof(props_known[0]))
_Static_assert(PROPS_NUM == SVC_CONF_PROPS_NUM, "one value per property");

static void fail(char *err, size_t err_len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, err_len, fmt, ap);
  va_end(ap);
}

static int find_prop(const char *name, size_t len) {
  for (size_t i = 0; i < PROPS_NUM; i++)
    if (strlen(props_known[i].name) == len &&
        strncmp(props_known[i].name, name, len) == 0)
      return (int)i;
  return -1;
}

static bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
         c == ':'; /* IPv6 */
}

static bool valid_host(const char *v) {
  for (; *v; v++)
    if (!is_host_char(*v))
      return false;
  return true;
}

/* Decimal digits only, so nothing but a number reaches collectd.conf. */
static bool valid_port(const char *v) {
  unsigned long port = 0;
  if (*v == '\0' || strlen(v) > 5)
    return false;
  for (; *v; v++) {
    if (*v < '0' || *v > '9')
      return false;
    port = port * 10 + (unsigned long)(*v - '0');
  }
  return port >= 1 && port <= 65535;
}

/* collectd's Interval: seconds, a decimal number from 0.1 to a day. */
static bool valid_interval(const char *v) {
  size_t digits = 0, dots = 0;
  for (const char *p = v; *p; p++) {
    if (*p >= '0' && *p <= '9')
      digits++;
    else if (*p == '.' && dots++ == 0)
      continue;
    else
      return false;
  }
  if (digits == 0 || digits > 12)
    return false;
  double seconds = strtod(v, NULL);
  return seconds >= 0.1 && seconds <= 86400; /* as the wmi plugin's */
}

/* A path goes into a quoted string: no quote or control character. */
static bool valid_path(const char *v) {
  for (; *v; v++)
    if (*v == '"' || (unsigned char)*v < 0x20 || *v == 0x7f)
      return false;
  return true;
}

static const char *kind_rule(kind_t kind) {
  switch (kind) {
  case KIND_HOST:
    return "a host name or address (letters, digits, '.', '-', '_', ':')";
  case KIND_PORT:
    return "a port number from 1 to 65535";
  case KIND_INTERVAL:
    return "seconds, a number from 0.1 to 86400";
  case KIND_PATH:
    return "a folder path without '\"' or control characters";
  }
  return "";
}

static bool valid_value(kind_t kind, const char *v) {
  switch (kind) {
  case KIND_HOST:
    return valid_host(v);
  case KIND_PORT:
    return valid_port(v);
  case KIND_INTERVAL:
    return valid_interval(v);
  case KIND_PATH:
    return valid_path(v);
  }
  return false;
}

static int store(svc_conf_props_t *props, int i, const char *value) {
  size_t len = strlen(value);
  /* The MSI's folder properties end in '\'; the template adds its own.
   * A drive's root keeps it: "C:" alone is the drive's current folder. */
  if (props_known[i].kind == KIND_PATH)
    while (len > 1 && (value[len - 1] == '\\' || value[len - 1] == '/') &&
           !(len == 3 && value[1] == ':'))
      len--;
  char *copy = malloc(len + 1);
  if (copy == NULL)
    return -1;
  memcpy(copy, value, len);
  copy[len] = '\0';
  free(props->values[i]);
  props->values[i] = copy;
  return 0;
}

int svc_conf_set(svc_conf_props_t *props, const char *assignment, char *err,
                 size_t err_len) {
  const char *eq = strchr(assignment, '=');
  int i = eq ? find_prop(assignment, (size_t)(eq - assignment)) : -1;
  if (i < 0) {
    fail(err, err_len,
         "\"%s\" is not a property: use NAME=VALUE with NAME one of "
         "GRAPHITE_HOST, GRAPHITE_PORT, INFLUXDB_HOST, INFLUXDB_PORT, "
         "PROMETHEUS_PORT, INTERVAL, INSTALLDIR, DATADIR",
         assignment);
    return -1;
  }
  const char *value = eq + 1;
  if (*value != '\0' && !valid_value(props_known[i].kind, value)) {
    fail(err, err_len, "%s \"%s\" is not valid: it must be %s",
         props_known[i].name, value, kind_rule(props_known[i].kind));
    return -1;
  }
  if (store(props, i, value) != 0) {
    fail(err, err_len, "out of memory");
    return -1;
  }
  return 0;
}

int svc_conf_default(svc_conf_props_t *props, const char *name,
                     const char *value) {
  int i = find_prop(name, strlen(name));
  if (i < 0)
    return -1;
  if (props->values[i] != NULL && props->values[i][0] != '\0')
    return 0;
  return store(props, i, value);
}

void svc_conf_props_free(svc_conf_props_t *props) {
  for (size_t i = 0; i < PROPS_NUM; i++) {
    free(props->values[i]);
    props->values[i] = NULL;
  }
}

/* The value a template gets: as given, else the default. */
static const char *value_of(const svc_conf_props_t *props, int i) {
  const char *v = props->values[i];
  return v != NULL && v[0] != '\0' ? v : props_known[i].fallback;
}

/* A growing output buffer. */
typedef struct {
  char *text;
  size_t len, cap;
  bool failed;
} out_t;

static void put(out_t *out, const char *s, size_t n) {
  if (out->failed)
    return;
  if (out->len + n + 1 > out->cap) {
    size_t cap = out->cap ? out->cap : 4096;
    while (out->len + n + 1 > cap)
      cap *= 2;
    char *text = realloc(out->text, cap);
    if (text == NULL) {
      out->failed = true;
      return;
    }
    out->text = text;
    out->cap = cap;
  }
  memcpy(out->text + out->len, s, n);
  out->len += n;
  out->text[out->len] = '\0';
}

static void put_escaped(out_t *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\\' || *s == '"')
      put(out, "\\", 1);
    put(out, s, 1);
  }
}

static size_t name_len_at(const char *s, const char *end) {
  size_t n = 0;
  while (s + n < end && ((s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_'))
    n++;
  return n;
}

/* One line (with its line ending) after any "#?NAME " marker: each
 * "@NAME@" (NAME in capitals and '_') replaced; any other '@' is text.
 * Returns -1 with err set for an unknown or unset name. */
static int render_line(out_t *out, const char *line, size_t len,
                       const svc_conf_props_t *props, bool example, char *err,
                       size_t err_len) {
  const char *end = line + len;
  while (line < end) {
    const char *at = memchr(line, '@', (size_t)(end - line));
    size_t n = at ? name_len_at(at + 1, end) : 0;
    if (at != NULL && (n == 0 || at + 1 + n >= end || at[1 + n] != '@')) {
      put(out, line, (size_t)(at - line + 1)); /* a lone '@' */
      line = at + 1;
      continue;
    }
    if (at == NULL) {
      put(out, line, (size_t)(end - line));
      break;
    }
    put(out, line, (size_t)(at - line));
    int i = find_prop(at + 1, n);
    if (i < 0) {
      fail(err, err_len, "the template names an unknown property: @%.*s@",
           (int)n, at + 1);
      return -1;
    }
    const char *v = value_of(props, i);
    if (example && (v == NULL || v[0] == '\0'))
      v = props_known[i].example;
    if (v == NULL) {
      fail(err, err_len, "%s is not set", props_known[i].name);
      return -1;
    }
    put_escaped(out, v);
    line = at + n + 2;
  }
  return 0;
}

char *svc_conf_render(const char *tmpl, const svc_conf_props_t *props,
                      char *err, size_t err_len) {
  out_t out = {0};
  put(&out, "", 0); /* an empty template renders as "" */
  const char *line = tmpl;
  while (*line != '\0') {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
    bool example = false;
    const char *body = line;
    size_t name_len =
        strncmp(line, "#?", 2) == 0 ? name_len_at(line + 2, line + len) : 0;
    if (name_len > 0) {
      const char *name = line + 2;
      int i = find_prop(name, name_len);
      if (i < 0) {
        fail(err, err_len, "the template names an unknown property: #?%.*s",
             (int)name_len, name);
        free(out.text);
        return NULL;
      }
      body = name + name_len;
      if (*body == ' ')
        body++;
      const char *v = value_of(props, i);
      example = v == NULL || v[0] == '\0';
      if (example)
        put(&out, "#", 1);
    }
    if (render_line(&out, body, len - (size_t)(body - line), props, example,
                    err, err_len) != 0) {
      free(out.text);
      return NULL;
    }
    line += len;
  }
  if (out.failed) {
    fail(err, err_len, "out of memory");
    free(out.text);
    return NULL;
  }
  return out.text;
}

static char *read_file(const char *path, char *err, size_t err_len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fail(err, err_len, "cannot read the template %s: %s", path,
         strerror(errno));
    return NULL;
  }
  out_t out = {0};
  char buf[4096];
  size_t n;
  put(&out, "", 0);
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    put(&out, buf, n);
  bool bad = ferror(f) != 0;
  fclose(f);
  if (bad || out.failed) {
    fail(err, err_len, "cannot read the template %s", path);
    free(out.text);
    return NULL;
  }
  if (strlen(out.text) != out.len) {
    fail(err, err_len, "the template %s holds a NUL byte", path);
    free(out.text);
    return NULL;
  }
  return out.text;
}

static bool is_separator(char c) {
#ifdef _WIN32
  return c == '\\' || c == '/';
#else
  return c == '/';
#endif
}

/* Creates the folders above path that do not exist yet. */
static int make_parents(const char *path, char *err, size_t err_len) {
  size_t len = strlen(path);
  char *dir = malloc(len + 1);
  if (dir == NULL) {
    fail(err, err_len, "out of memory");
    return -1;
  }
  memcpy(dir, path, len + 1);
  /* A UNC path's \\server\share\ is no folder to create: start past
   * its fourth separator. */
  size_t first = 1;
  if (len > 2 && is_separator(path[0]) && is_separator(path[1])) {
    int seps = 0;
    for (first = 0; first < len && seps < 4; first++)
      seps += is_separator(path[first]);
  }
  for (size_t i = first; i < len; i++) {
    if (!is_separator(dir[i]) || dir[i - 1] == ':' || is_separator(dir[i - 1]))
      continue;
    dir[i] = '\0';
    struct stat st;
    if (stat(dir, &st) != 0 && make_dir(dir) != 0 && errno != EEXIST) {
      fail(err, err_len, "cannot create the folder %s: %s", dir,
           strerror(errno));
      free(dir);
      return -1;
    }
    dir[i] = path[i];
  }
  free(dir);
  return 0;
}

static int write_all(int fd, const char *text, size_t len) {
  while (len > 0) {
    int n = write(fd, text, len > 65536 ? 65536 : (unsigned)len);
    if (n <= 0)
      return -1;
    text += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Gives `from` the name `to` unless `to` exists (errno EEXIST then). */
static int place_without_replacing(const char *from, const char *to) {
#ifdef _WIN32
  if (rename(from, to) == 0) /* MoveFile: never replaces */
    return 0;
  struct stat st;
  if (stat(to, &st) == 0)
    errno = EEXIST;
  return -1;
#else
  return link(from, to); /* fails with EEXIST; `from` is removed after */
#endif
}

int svc_conf_write(const char *template_path, const char *output_path,
                   const svc_conf_props_t *props, char *err, size_t err_len) {
  struct stat st;
  if (stat(output_path, &st) == 0)
    return 0;
  char *tmpl = read_file(template_path, err, err_len);
  if (tmpl == NULL)
    return -1;
  char *text = svc_conf_render(tmpl, props, err, err_len);
  free(tmpl);
  if (text == NULL || make_parents(output_path, err, err_len) != 0) {
    free(text);
    return -1;
  }
  /* Written whole to a file of its own, then put in place without
   * replacing anything: a crash leaves no half collectd.conf, and a file
   * that appeared meanwhile is not touched. */
  size_t path_len = strlen(output_path);
  char *tmp = malloc(path_len + 5);
  if (tmp == NULL) {
    free(text);
    fail(err, err_len, "out of memory");
    return -1;
  }
  snprintf(tmp, path_len + 5, "%s.new", output_path);
  remove(tmp); /* a leftover of an earlier crash */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_BINARY, 0644);
  int wrote = fd < 0 ? -1 : write_all(fd, text, strlen(text));
  int saved = errno;
  free(text);
  if (fd >= 0 && close(fd) != 0 && wrote == 0) {
    wrote = -1;
    saved = errno;
  }
  if (wrote != 0) {
    fail(err, err_len, "cannot write %s: %s", tmp, strerror(saved));
    remove(tmp);
    free(tmp);
    return -1;
  }
  int placed = place_without_replacing(tmp, output_path);
  saved = errno;
  remove(tmp);
  free(tmp);
  if (placed != 0) {
    if (saved == EEXIST)
      return 0;
    fail(err, err_len, "cannot create %s: %s", output_path, strerror(saved));
    return -1;
  }
  return 1;
}
