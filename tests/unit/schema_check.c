#include "schema_check.h"

#include "wql_names.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The properties WMI gives every object. */
static const char *const system_properties[] = {
    "__CLASS", "__DERIVATION",     "__DYNASTY", "__GENUS",  "__NAMESPACE",
    "__PATH",  "__PROPERTY_COUNT", "__RELPATH", "__SERVER", "__SUPERCLASS",
};

typedef struct {
  const char *file;
  const wmi_query_t *query;
  wql_name_t class_name;     /* as the Statement spells it */
  const schema_class_t *cls; /* its facts */
  schema_report_fn report;
  void *ctx;
  size_t problems;
} checker_t;

/* Reports "<file>: Query "<name>", <option>: <what>". */
static void complain(checker_t *c, const char *option, const char *format,
                     ...) {
  char what[512], message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(what, sizeof(what), format, ap);
  va_end(ap);
  snprintf(message, sizeof(message), "%s: Query \"%s\", %s: %s", c->file,
           c->query->name, option, what);
  c->report(message, c->ctx);
  c->problems++;
}

static bool is_system_property(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof(system_properties) / sizeof(*system_properties);
       i++)
    if (strlen(system_properties[i]) == len &&
        strncasecmp(system_properties[i], name, len) == 0)
      return true;
  return false;
}

static void check_property(checker_t *c, const char *option, const char *name,
                           size_t len) {
  if (is_system_property(name, len) || schema_class_has(c->cls, name, len))
    return;
  complain(c, option, "property \"%.*s\" is not in class %.*s (%s)", (int)len,
           name, (int)c->class_name.len, c->class_name.start,
           c->query->wmi_namespace);
}

static void check_statement_names(checker_t *c, const char *option,
                                  const wql_name_t *names, size_t num) {
  for (size_t i = 0; i < num; i++)
    check_property(c, option, names[i].start, names[i].len);
}

static void check_result_names(checker_t *c, size_t result, const char *option,
                               char *const *names, size_t num) {
  char where[64];
  snprintf(where, sizeof(where), "Result %zu, %s", result + 1, option);
  for (size_t i = 0; i < num; i++)
    check_property(c, where, names[i], strlen(names[i]));
}

/* The class in the Query's Namespace; NULL after reporting. */
static const schema_class_t *find_class(checker_t *c,
                                        const schema_facts_t *facts) {
  const char *ns = c->query->wmi_namespace;
  wql_name_t name = c->class_name;
  const schema_class_t *cls =
      schema_facts_class(facts, ns, name.start, name.len);
  if (cls != NULL)
    return cls;
  const schema_class_t *elsewhere =
      schema_facts_class(facts, NULL, name.start, name.len);
  if (elsewhere != NULL)
    complain(c, "Namespace",
             "class \"%.*s\" is not in namespace %s (the schema has it in "
             "%s)",
             (int)name.len, name.start, ns, schema_class_namespace(elsewhere));
  else
    complain(c, "Statement", "class \"%.*s\" is not in the schema (%s)",
             (int)name.len, name.start, ns);
  return NULL;
}

static void check_query(checker_t *c, const schema_facts_t *facts) {
  const wmi_query_t *q = c->query;
  wql_names_t names;
  char err[256];
  if (wql_names_read(q->statement, &names, err, sizeof(err)) != 0) {
    complain(c, "Statement", "cannot be read: %s", err);
    return;
  }
  c->class_name = names.class_name;
  c->cls = find_class(c, facts);
  if (c->cls == NULL)
    return; /* its properties cannot be known */
  check_statement_names(c, "Statement (select list)", names.selected,
                        names.selected_num);
  check_statement_names(c, "Statement (WHERE)", names.where, names.where_num);
  for (size_t r = 0; r < q->results_num; r++) {
    const wmi_result_t *res = &q->results[r];
    check_result_names(c, r, "ValuesFrom", res->values_from,
                       res->values_from_num);
    check_result_names(c, r, "InstancesFrom", res->instances_from,
                       res->instances_from_num);
    check_result_names(c, r, "ObjectsFrom", res->objects_from,
                       res->objects_from_num);
  }
}

size_t schema_check_config(const wmi_config_t *cfg, const char *file,
                           const schema_facts_t *facts, schema_report_fn report,
                           void *ctx) {
  checker_t c = {.file = file, .report = report, .ctx = ctx};
  for (size_t i = 0; i < cfg->queries_num; i++) {
    c.query = &cfg->queries[i];
    check_query(&c, facts);
  }
  return c.problems;
}
