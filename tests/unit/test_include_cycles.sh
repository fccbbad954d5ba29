#!/bin/sh
# No cycle in src/, read from the #include "..." lines:
# - between headers: no header includes itself through others;
# - between modules (foo.c with foo.h): when foo.c includes bar.h, foo's
#   code uses bar's; no module may come back to itself that way, so that
#   calls between files cannot go round in a circle. A header including
#   another only for its types (a stage's header naming the batch type it
#   fills) is a header edge, not a module edge.
# Usage: test_include_cycles.sh [SRC_DIR]; prints a cycle when there is one.
src=${1:-$(dirname "$0")/../../src}
# A wrong folder must fail, not pass having read nothing.
if [ "$(find "$src" -name '*.[ch]' 2>/dev/null | wc -l)" -lt 10 ]; then
  echo "FAIL: no C sources under $src"
  echo "include_cycles: 0 passed, 1 failed"
  exit 1
fi
find "$src" -name '*.[ch]' | sort | xargs awk '
  FNR == 1 {
    file = FILENAME
    sub(/.*\//, "", file)
    from = file
    sub(/\.[ch]$/, "", from)
    header = file ~ /\.h$/
    nodes[header ? "header " file : "module " from] = 1
  }
  /^[ \t]*#[ \t]*include[ \t]*"/ {
    to = $0
    sub(/^[^"]*"/, "", to)
    sub(/".*/, "", to)
    sub(/.*\//, "", to)
    if (to !~ /\.h$/)
      next
    if (header)
      edges["header " file] = edges["header " file] SUBSEP "header " to
    else if (to != from ".h")
      edges["module " from] = edges["module " from] SUBSEP "module " \
                              substr(to, 1, length(to) - 2)
  }
  # Depth-first search; state 1 while on the path, 2 once done.
  function visit(n, path,   count, i, list) {
    if (state[n] == 1) {
      print "include cycle: " path " -> " n
      found = 1
      return
    }
    if (state[n] == 2 || !(n in nodes))
      return
    state[n] = 1
    count = split(edges[n], list, SUBSEP)
    for (i = 2; i <= count && !found; i++)
      visit(list[i], path == "" ? n : path " -> " n)
    state[n] = 2
  }
  END {
    for (n in nodes)
      if (!found)
        visit(n, "")
    if (found) {
      print "include_cycles: 0 passed, 1 failed"
      exit 1
    }
    print "include_cycles: 1 passed, 0 failed"
  }' || exit 1
