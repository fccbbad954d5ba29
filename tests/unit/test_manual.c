/* The manual page (doc/collectd-wmi.pod) against the parser: every option
 * the parser accepts in a block is documented in that block's section, and
 * every option documented there is accepted. A section is a =head2 whose
 * title names the block; its options are the "=item B<Name> ..." lines of
 * its outer list (nested lists, such as ReportStats' series, are text). */
#include "unit.h"
#include "wmi_config_options.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define MANUAL SRCDIR "/doc/collectd-wmi.pod"
#define MAX_OPTIONS 64
#define MAX_NAME 64

typedef struct {
  wmi_block_t block;
  const char *heading; /* the =head2 title, as written in the POD */
  const char *name;    /* for messages */
} block_section_t;

static const block_section_t sections[] = {
    {WMI_BLOCK_PLUGIN, "Plugin options", "<Plugin wmi>"},
    {WMI_BLOCK_QUERY, "E<lt>Query \"name\"E<gt>", "<Query>"},
    {WMI_BLOCK_RESULT, "E<lt>ResultE<gt>", "<Result>"},
    {WMI_BLOCK_HOST, "E<lt>Host \"name\"E<gt>", "<Host>"},
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

typedef struct {
  bool found; /* the section's =head2 is in the manual */
  size_t n;
  char names[MAX_OPTIONS][MAX_NAME];
} documented_t;

static documented_t documented[NSECTIONS];

/* The option an =item names: "B<Type> I<...>", "B<E<lt>Query> ...",
 * "B<< <Result> >>" give Type, Query, Result. Empty when it names none. */
static void item_option(const char *item, char *name, size_t size) {
  const char *p = item;
  if (strncmp(p, "B<", 2) == 0)
    p += 2;
  while (*p == '<' || *p == ' ')
    p++;
  if (strncmp(p, "E<lt>", 5) == 0)
    p += 5;
  else if (*p == '<')
    p++;
  size_t n = 0; /* up to the end of the word or an escape (E<gt>) */
  while ((isalnum((unsigned char)p[n]) || p[n] == '_') &&
         strncmp(p + n, "E<", 2) != 0 && n + 1 < size)
    n++;
  memcpy(name, p, n);
  name[n] = '\0';
}

/* The section a =head2 title opens, or -1 for one that is not a block's. */
static int section_of(const char *title) {
  for (size_t s = 0; s < NSECTIONS; s++)
    if (strcmp(title, sections[s].heading) == 0)
      return (int)s;
  return -1;
}

static void strip_newline(char *line) {
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
}

/* Fills documented[] from the manual; false if it cannot be read. */
static bool read_manual(void) {
  FILE *f = fopen(MANUAL, "r");
  if (f == NULL)
    return false;
  char line[1024];
  int section = -1;
  int depth = 0; /* =over nesting inside the current section */
  while (fgets(line, sizeof(line), f) != NULL) {
    strip_newline(line);
    if (strncmp(line, "=head1 ", 7) == 0) {
      section = -1;
    } else if (strncmp(line, "=head2 ", 7) == 0) {
      section = section_of(line + 7);
      depth = 0;
      if (section >= 0)
        documented[section].found = true;
    } else if (strncmp(line, "=over", 5) == 0) {
      depth++;
    } else if (strncmp(line, "=back", 5) == 0) {
      depth--;
    } else if (strncmp(line, "=item ", 6) == 0 && section >= 0 && depth == 1) {
      documented_t *d = &documented[section];
      unit_case = sections[section].name;
      CHECK(d->n < MAX_OPTIONS, "more than %d options", MAX_OPTIONS);
      if (d->n >= MAX_OPTIONS)
        continue;
      item_option(line + 6, d->names[d->n], MAX_NAME);
      CHECK(d->names[d->n][0] != '\0', "an item that names no option: %s",
            line);
      d->n++;
    }
  }
  fclose(f);
  return true;
}

/* How many times the section documents NAME (compared without case). */
static size_t times_documented(const documented_t *d, const char *name) {
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++)
    if (strcasecmp(d->names[i], name) == 0)
      n++;
  return n;
}

static bool is_accepted(wmi_block_t block, const char *name) {
  const char *o;
  for (size_t i = 0; (o = wmi_config_option_name(block, i)) != NULL; i++)
    if (strcasecmp(o, name) == 0)
      return true;
  return false;
}

/* Each accepted option in its block's section, each its own check. */
static void test_accepted_are_documented(void) {
  for (size_t s = 0; s < NSECTIONS; s++) {
    unit_case = sections[s].name;
    const char *o;
    size_t n = 0;
    for (; (o = wmi_config_option_name(sections[s].block, n)) != NULL; n++)
      CHECK(times_documented(&documented[s], o) > 0,
            "the parser accepts %s in %s, the manual does not document it "
            "under =head2 %s",
            o, sections[s].name, sections[s].heading);
    CHECK(n > 0, "the parser lists no option for %s", sections[s].name);
  }
}

/* Each documented option accepted in that block, each its own check. */
static void test_documented_are_accepted(void) {
  for (size_t s = 0; s < NSECTIONS; s++) {
    unit_case = sections[s].name;
    const documented_t *d = &documented[s];
    for (size_t i = 0; i < d->n; i++) {
      CHECK(is_accepted(sections[s].block, d->names[i]),
            "the manual documents %s in %s, the parser does not accept it",
            d->names[i], sections[s].name);
      CHECK(times_documented(d, d->names[i]) == 1,
            "%s is documented %zu times in %s", d->names[i],
            times_documented(d, d->names[i]), sections[s].name);
    }
  }
}

int main(void) {
  unit_case = MANUAL;
  bool read = read_manual();
  CHECK(read, "cannot read %s", MANUAL);
  for (size_t s = 0; s < NSECTIONS; s++) {
    unit_case = sections[s].name;
    CHECK(documented[s].found, "no \"=head2 %s\" in the manual",
          sections[s].heading);
  }
  test_accepted_are_documented();
  test_documented_are_accepted();
  return unit_summary("manual");
}
