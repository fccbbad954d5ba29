#include "config_text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static oconfig_item_t *add_child(oconfig_item_t *parent, const char *key,
                                 size_t key_len) {
  parent->children = realloc(parent->children, (parent->children_num + 1) *
                                                   sizeof(oconfig_item_t));
  oconfig_item_t *item = &parent->children[parent->children_num++];
  memset(item, 0, sizeof(*item));
  item->key = malloc(key_len + 1); /* no strndup on Windows */
  memcpy(item->key, key, key_len);
  item->key[key_len] = '\0';
  item->parent = parent;
  return item;
}

static void add_value(oconfig_item_t *item, oconfig_value_t v) {
  item->values = realloc(item->values, (item->values_num + 1) * sizeof(v));
  item->values[item->values_num++] = v;
}

/* Parses the arguments after a key up to the end of the line or '>'. */
static const char *parse_values(oconfig_item_t *item, const char *p) {
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0' || *p == '\n' || *p == '>' || *p == '#')
      return p;
    oconfig_value_t v = {0};
    if (*p == '"') {
      char *s = malloc(strlen(p) + 1), *o = s;
      for (p++; *p && *p != '"'; p++)
        *o++ = (*p == '\\' && p[1]) ? *++p : *p;
      *o = '\0';
      if (*p != '"') {
        free(s);
        return NULL;
      }
      p++;
      v.type = OCONFIG_TYPE_STRING;
      v.value.string = s;
    } else if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
      v.type = OCONFIG_TYPE_BOOLEAN;
      v.value.boolean = *p == 't';
      p += *p == 't' ? 4 : 5;
    } else if (isalpha((unsigned char)*p) || *p == '_') {
      /* An unquoted string, as in "LoadPlugin wmi" and "<Plugin wmi>". */
      const char *start = p;
      while (isalnum((unsigned char)*p) || *p == '_')
        p++;
      size_t n = (size_t)(p - start);
      char *s = malloc(n + 1);
      memcpy(s, start, n);
      s[n] = '\0';
      v.type = OCONFIG_TYPE_STRING;
      v.value.string = s;
    } else {
      char *end;
      v.type = OCONFIG_TYPE_NUMBER;
      v.value.number = strtod(p, &end);
      if (end == p)
        return NULL;
      p = end;
    }
    add_value(item, v);
  }
}

oconfig_item_t *config_text_parse(const char *text) {
  oconfig_item_t *root = calloc(1, sizeof(*root));
  root->key = strdup("Plugin");
  add_value(root, (oconfig_value_t){.value.string = strdup("wmi"),
                                    .type = OCONFIG_TYPE_STRING});
  oconfig_item_t *current = root;
  const char *p = text;
  while (*p) {
    while (isspace((unsigned char)*p))
      p++;
    if (*p == '\0')
      break;
    if (*p == '#') {
      while (*p && *p != '\n')
        p++;
      continue;
    }
    bool open = *p == '<' && p[1] != '/';
    bool close = *p == '<' && p[1] == '/';
    if (close) {
      if (current == root)
        goto fail;
      current = current->parent;
      while (*p && *p != '\n')
        p++;
      continue;
    }
    if (open)
      p++;
    const char *key = p;
    while (isalnum((unsigned char)*p) || *p == '_')
      p++;
    oconfig_item_t *item = add_child(current, key, (size_t)(p - key));
    p = parse_values(item, p);
    if (p == NULL)
      goto fail;
    if (open) {
      if (*p != '>')
        goto fail;
      p++;
      current = item;
    }
    while (*p && *p != '\n')
      p++;
  }
  if (current != root)
    goto fail;
  return root;
fail:
  config_text_free(root);
  return NULL;
}

static void free_item(oconfig_item_t *item) {
  free(item->key);
  for (int i = 0; i < item->values_num; i++)
    if (item->values[i].type == OCONFIG_TYPE_STRING)
      free(item->values[i].value.string);
  free(item->values);
  for (int i = 0; i < item->children_num; i++)
    free_item(&item->children[i]);
  free(item->children);
}

void config_text_free(oconfig_item_t *root) {
  if (root == NULL)
    return;
  free_item(root);
  free(root);
}
