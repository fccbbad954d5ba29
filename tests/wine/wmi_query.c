/* Prints two properties of every object a WQL query returns, tab-separated,
 * one object a line: the direct reference the end-to-end test compares the
 * daemon's metrics with. Usage: wmi_query "<WQL>" KeyProperty ValueProperty */
#include "wine_test.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: wmi_query WQL KEY_PROPERTY VALUE_PROPERTY\n");
    return 2;
  }
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
    return 1;
  static row_t rows[MAX_ROWS];
  int n = sync_query(argv[1], argv[2], argv[3], rows, MAX_ROWS);
  for (int i = 0; i < n; i++)
    printf("%s\t%s\n", rows[i].key, rows[i].value);
  CoUninitialize();
  return n < 0 ? 1 : 0;
}
