/* Every WMI name the shipped stanzas use, against real Windows schemas
 * (tests/schema/wmi-classes.txt; schema_check.h says what is checked):
 * conf/wmi.conf and each conf/packs/<name>.conf (none yet is fine) must pass,
 * and copies of the baseline with one name misspelt must fail with a
 * message naming the file, Query, option and name. Also the pieces: the
 * WQL reader and the facts file's parser. */
#include "config_file.h"
#include "schema_check.h"
#include "schema_facts.h"
#include "unit.h"
#include "wql_names.h"

#include <dirent.h>
#include <stdlib.h>

#define FACTS "tests/schema/wmi-classes.txt"
#define BASELINE "conf/wmi.conf"
#define PACKS "conf/packs"

/* The file at SRCDIR/path, NUL-terminated (the caller frees it), or NULL. */
static char *read_source(const char *path) {
  char full[4096];
  snprintf(full, sizeof(full), "%s/%s", SRCDIR, path);
  FILE *f = fopen(full, "rb");
  if (f == NULL)
    return NULL;
  size_t len = 0, cap = 65536;
  char *text = malloc(cap);
  size_t n;
  while (text != NULL && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (len + 1 == cap)
      text = realloc(text, cap *= 2);
  }
  fclose(f);
  if (text != NULL)
    text[len] = '\0';
  return text;
}

/* What one check reported. */
typedef struct {
  size_t count;
  char text[8192]; /* the messages, one a line */
} problems_t;

static void collect(const char *message, void *ctx) {
  problems_t *p = ctx;
  size_t used = strlen(p->text);
  snprintf(p->text + used, sizeof(p->text) - used, "%s\n", message);
  p->count++;
}

/* Parses a configuration's text as the plugin does and checks its names;
 * a text that does not parse is one problem. */
static void check_text(const schema_facts_t *facts, const char *file,
                       const char *text, problems_t *out) {
  memset(out, 0, sizeof(*out));
  char err[2048];
  wmi_config_t *cfg = config_file_parse(text, err, sizeof(err));
  if (cfg == NULL) {
    char message[2200];
    snprintf(message, sizeof(message), "%s: %s", file, err);
    collect(message, out);
    return;
  }
  schema_check_config(cfg, file, facts, collect, out);
  wmi_config_free(cfg);
}

static void check_shipped(const schema_facts_t *facts, const char *file) {
  unit_case = file;
  char *text = read_source(file);
  CHECK(text != NULL, "cannot read %s/%s", SRCDIR, file);
  if (text == NULL)
    return;
  problems_t problems;
  check_text(facts, file, text, &problems);
  CHECK(problems.count == 0, "%zu problems:\n%s", problems.count,
        problems.text);
  free(text);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The baseline, then each pack (conf/packs/<name>.conf, in name order; no
 * folder, or an empty one, is no pack). */
static void test_shipped(const schema_facts_t *facts) {
  check_shipped(facts, BASELINE);
  char *packs[256];
  size_t n = 0;
  DIR *dir = opendir(SRCDIR "/" PACKS);
  for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL;) {
    size_t len = strlen(e->d_name);
    if (len <= 5 || strcmp(e->d_name + len - 5, ".conf") != 0)
      continue;
    CHECK(n < 256, "more than 256 packs: %s is not checked", e->d_name);
    if (n < 256) {
      packs[n] = malloc(sizeof(PACKS) + len + 1);
      sprintf(packs[n++], "%s/%s", PACKS, e->d_name);
    }
  }
  if (dir != NULL)
    closedir(dir);
  qsort(packs, n, sizeof(*packs), by_name);
  for (size_t i = 0; i < n; i++) {
    check_shipped(facts, packs[i]);
    free(packs[i]);
  }
  printf("schema_names: checked %s and %zu packs against %zu classes\n",
         BASELINE, n, schema_facts_classes(facts));
}

/* A copy of the baseline with its first `from` replaced by `to`, for each
 * edit, and what checking it must report: nothing (want NULL), or one
 * problem that contains want. */
typedef struct {
  const char *name;
  struct {
    const char *from, *to;
  } edits[2];
  const char *want;
} mutation_t;

static const mutation_t mutations[] = {
    {"a misspelt property in a select list",
     {{"SELECT FreePhysicalMemory,", "SELECT FreePhysicalMemroy,"}},
     BASELINE ": Query \"memory\", Statement (select list): property "
              "\"FreePhysicalMemroy\" is not in class Win32_OperatingSystem "
              "(root\\cimv2)"},
    {"a misspelt ValuesFrom",
     {{"ValuesFrom \"FreePhysicalMemory\"",
       "ValuesFrom \"FreePhysicalMemroy\""}},
     BASELINE ": Query \"memory\", Result 1, ValuesFrom: property "
              "\"FreePhysicalMemroy\" is not in class Win32_OperatingSystem"},
    {"a misspelt InstancesFrom",
     {{"InstancesFrom \"DeviceID\"", "InstancesFrom \"DevicID\""}},
     BASELINE ": Query \"disk\", Result 1, InstancesFrom: property "
              "\"DevicID\" is not in class Win32_LogicalDisk"},
    {"a misspelt ObjectsFrom",
     {{"      CounterType \"auto\"\n    </Result>",
       "      CounterType \"auto\"\n      Duplicates \"sum\"\n"
       "      ObjectsFrom \"IDProces\"\n    </Result>"}},
     BASELINE ": Query \"cpu\", Result 1, ObjectsFrom: property "
              "\"IDProces\" is not in class "
              "Win32_PerfRawData_PerfOS_Processor"},
    {"a misspelt property in WHERE",
     {{"WHERE DriveType = 3", "WHERE DriveTyp = 3"}},
     BASELINE ": Query \"disk\", Statement (WHERE): property \"DriveTyp\" is "
              "not in class Win32_LogicalDisk"},
    {"a misspelt class",
     {{"FROM Win32_OperatingSystem", "FROM Win32_OperatingSytem"}},
     BASELINE ": Query \"memory\", Statement: class \"Win32_OperatingSytem\" "
              "is not in the schema (root\\cimv2)"},
    {"a class in another namespace",
     {{"    Statement \"SELECT FreePhysicalMemory",
       "    Namespace \"root\\\\wmi\"\n"
       "    Statement \"SELECT FreePhysicalMemory"}},
     BASELINE ": Query \"memory\", Namespace: class \"Win32_OperatingSystem\" "
              "is not in namespace root\\wmi (the schema has it in "
              "root\\cimv2)"},
    {"SELECT * with a misspelt ValuesFrom",
     {{"SELECT Name, ThreadCount, WorkingSetSize FROM", "SELECT * FROM"},
      {"ValuesFrom \"WorkingSetSize\"", "ValuesFrom \"WorkingSetSise\""}},
     BASELINE ": Query \"processes\", Result 2, ValuesFrom: property "
              "\"WorkingSetSise\" is not in class Win32_Process"},
    {"a statement the check cannot read",
     {{"SELECT FreePhysicalMemory, TotalVisibleMemorySize FROM "
       "Win32_OperatingSystem",
       "ASSOCIATORS OF {Win32_ComputerSystem.Name='x'}"}},
     BASELINE ": Query \"memory\", Statement: cannot be read: expected "
              "SELECT, not \"ASSOCIATORS\""},
    {"a stanza the plugin's parser refuses",
     {{"ValuesFrom \"FreeSpace\"", "ValueFrom \"FreeSpace\""}},
     "option \"ValueFrom\" is unknown here"},
    {"names in another case pass",
     {{"SELECT Name, State FROM Win32_Service",
       "select NAME, state from WIN32_SERVICE"},
      {"ValuesFrom \"FreeSpace\"", "ValuesFrom \"freespace\""}},
     NULL},
    {"SELECT * passes with the Results' names",
     {{"SELECT Name, State FROM", "SELECT * FROM"}},
     NULL},
    {"WHERE: keywords, strings and system properties are not properties",
     {{"WHERE DriveType = 3",
       "WHERE DriveType = 3 AND NOT (VolumeName LIKE 'Data%' OR "
       "FileSystem IS NULL) AND __CLASS <> 'Not A Property'"}},
     NULL},
};

static char *apply_edits(const mutation_t *m, const char *baseline) {
  char *text = strdup(baseline);
  for (size_t i = 0; i < 2 && m->edits[i].from != NULL; i++) {
    char *at = strstr(text, m->edits[i].from);
    CHECK(at != NULL, "the baseline has no \"%s\"", m->edits[i].from);
    if (at == NULL)
      continue;
    size_t head = (size_t)(at - text), from = strlen(m->edits[i].from);
    size_t to = strlen(m->edits[i].to), tail = strlen(at + from);
    char *edited = malloc(head + to + tail + 1);
    memcpy(edited, text, head);
    memcpy(edited + head, m->edits[i].to, to);
    memcpy(edited + head + to, at + from, tail + 1);
    free(text);
    text = edited;
  }
  return text;
}

static void test_mutations(const schema_facts_t *facts) {
  char *baseline = read_source(BASELINE);
  if (baseline == NULL)
    return; /* test_shipped said so */
  for (size_t i = 0; i < sizeof(mutations) / sizeof(*mutations); i++) {
    const mutation_t *m = &mutations[i];
    unit_case = m->name;
    char *text = apply_edits(m, baseline);
    problems_t problems;
    check_text(facts, BASELINE, text, &problems);
    if (m->want == NULL) {
      CHECK(problems.count == 0, "%zu problems:\n%s", problems.count,
            problems.text);
    } else {
      CHECK(problems.count == 1 && strstr(problems.text, m->want) != NULL,
            "want one problem with\n  %s\ngot %zu:\n%s", m->want,
            problems.count, problems.text);
    }
    free(text);
  }
  free(baseline);
}

/* The WQL reader: the names it finds, as "<class>; select <list>; where
 * <list>" (select * for SELECT *), or its error. */
typedef struct {
  const char *statement;
  const char *want;
} wql_case_t;

static const wql_case_t wql_cases[] = {
    {"SELECT Name FROM Win32_Process", "Win32_Process; select Name; where "},
    {"  select  a ,b,c  from  X ", "X; select a,b,c; where "},
    {"SELECT * FROM X WHERE A = 'x' AND B <> \"q\\\"C\" OR NOT (D >= -1.5e3) "
     "AND E IS NOT NULL AND F LIKE '%G%' AND H = TRUE AND __CLASS ISA 'I'",
     "X; select *; where A,B,D,E,F,H,__CLASS"},
    {"SELECT A FROM X WHERE A = 0x1F", "X; select A; where A"},
    {"ASSOCIATORS OF {X}", "expected SELECT, not \"ASSOCIATORS\""},
    {"SELECT FROM X",
     "expected a property or * in the select list, not \"FROM\""},
    {"SELECT A B FROM X", "expected FROM after the select list, not \"B\""},
    {"SELECT A FROM", "expected a class after FROM, not the end"},
    {"SELECT A FROM X GROUP WITHIN 10",
     "expected WHERE or the end after the class, not \"GROUP\""},
    {"SELECT A FROM X WHERE", "expected a condition after WHERE, not the end"},
    {"SELECT A FROM X WHERE B = 'open",
     "expected a name, string, number or operator, not \"'open\""},
    {"SELECT A FROM X WHERE B = 1; C",
     "expected a name, string, number or operator, not \";\""},
};

static void append_names(char *out, size_t size, const wql_name_t *names,
                         size_t num) {
  for (size_t i = 0; i < num; i++) {
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%s%.*s", i ? "," : "", (int)names[i].len,
             names[i].start);
  }
}

static void test_wql_names(void) {
  for (size_t i = 0; i < sizeof(wql_cases) / sizeof(*wql_cases); i++) {
    const wql_case_t *c = &wql_cases[i];
    unit_case = c->statement;
    wql_names_t names;
    char got[512] = "";
    if (wql_names_read(c->statement, &names, got, sizeof(got)) == 0) {
      snprintf(got, sizeof(got), "%.*s; select ", (int)names.class_name.len,
               names.class_name.start);
      if (names.star)
        strcat(got, "*");
      append_names(got, sizeof(got), names.selected, names.selected_num);
      strcat(got, "; where ");
      append_names(got, sizeof(got), names.where, names.where_num);
    }
    CHECK_STR(got, c->want);
  }
}

/* The facts parser: its error, or "" for facts it takes. */
typedef struct {
  const char *name;
  const char *text;
  const char *want;
} facts_case_t;

static const facts_case_t facts_cases[] = {
    {"one class", "# c\n\nclass root\\cimv2 X\nsource s\nproperty A note\n",
     ""},
    {"no class", "# only a comment\n", "t.txt:2: no class"},
    {"a fact before any class", "property A\n",
     "t.txt:1: before the first \"class\" line: property"},
    {"a block without a source", "class r X\nproperty A\nclass r Y\n",
     "t.txt:1: no \"source\" line in the block of class X"},
    {"a block without properties", "class r X\nsource s\n",
     "t.txt:1: no \"property\" line in the block of class X"},
    {"a property twice", "class r X\nsource s\nproperty A\nproperty a\n",
     "t.txt:4: a second line for property a"},
    {"a class twice",
     "class r X\nsource s\nproperty A\nclass R x\nsource s\nproperty A\n",
     "t.txt:4: a second block for class x"},
    {"a class without a namespace", "class X\n",
     "t.txt:1: \"class\" takes a namespace and a class"},
    {"an unknown key", "class r X\ncolour blue\n",
     "t.txt:2: unknown key colour"},
    {"an empty source", "class r X\nsource\n", "t.txt:2: nothing after source"},
};

static void test_facts_parse(void) {
  for (size_t i = 0; i < sizeof(facts_cases) / sizeof(*facts_cases); i++) {
    const facts_case_t *c = &facts_cases[i];
    unit_case = c->name;
    char got[256] = "";
    schema_facts_free(schema_facts_parse(c->text, "t.txt", got, sizeof(got)));
    CHECK_STR(got, c->want);
  }
  unit_case = "lookups ignore case, and '/' is '\\' in a namespace";
  char err[256];
  schema_facts_t *f =
      schema_facts_parse("class root\\CIMV2 Win32_X\nsource s\nproperty Name\n",
                         "t", err, sizeof(err));
  const schema_class_t *c =
      f ? schema_facts_class(f, "ROOT/cimv2", "win32_x", 7) : NULL;
  CHECK(c != NULL, "class found");
  CHECK(c != NULL && schema_class_has(c, "NAME", 4), "property found");
  CHECK(c != NULL && !schema_class_has(c, "Nam", 3), "no prefix match");
  CHECK(f != NULL && schema_facts_class(f, "root\\wmi", "Win32_X", 7) == NULL,
        "not in another namespace");
  schema_facts_free(f);
}

int main(void) {
  test_wql_names();
  test_facts_parse();
  char *text = read_source(FACTS), err[512] = "cannot read it";
  schema_facts_t *facts =
      text ? schema_facts_parse(text, FACTS, err, sizeof(err)) : NULL;
  unit_case = FACTS;
  CHECK(facts != NULL, "%s", err);
  if (facts != NULL) {
    test_shipped(facts);
    test_mutations(facts);
  }
  schema_facts_free(facts);
  free(text);
  return unit_summary("schema_names");
}
