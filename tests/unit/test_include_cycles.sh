#!/bin/sh
# No include cycle in src/: each file with its header is one module (foo.c
# and foo.h are "foo"); a module depends on every module whose header it
# or its header includes with #include "...". A cycle between modules
# (A's code includes B.h, B's includes A.h) fails, so that calls between
# files, declared in their headers, cannot go round in a circle either.
# Usage: test_include_cycles.sh [SRC_DIR]; prints the cycle when there is one.
src=${1:-$(dirname "$0")/../../src}
find "$src" -name '*.[ch]' | sort | xargs awk '
  FNR == 1 {
    from = FILENAME
    sub(/.*\//, "", from)
    sub(/\.[ch]$/, "", from)
    modules[from] = 1
  }
  /^[ \t]*#[ \t]*include[ \t]*"/ {
    to = $0
    sub(/^[^"]*"/, "", to)
    sub(/".*/, "", to)
    sub(/.*\//, "", to)
    if (to !~ /\.h$/)
      next
    sub(/\.h$/, "", to)
    if (to != from)
      edges[from] = edges[from] " " to
  }
  # Depth-first search; state 1 while on the path, 2 once done.
  function visit(m, path,   n, i, next_m, list) {
    if (state[m] == 1) {
      print "include cycle: " path " -> " m
      found = 1
      return
    }
    if (state[m] == 2 || !(m in modules))
      return
    state[m] = 1
    n = split(edges[m], list, " ")
    for (i = 1; i <= n && !found; i++)
      visit(list[i], path == "" ? m : path " -> " m)
    state[m] = 2
  }
  END {
    for (m in modules)
      if (!found)
        visit(m, "")
    count = 0
    for (m in modules)
      count++
    if (found) {
      print "include_cycles: 0 passed, 1 failed"
      exit 1
    }
    print "include_cycles: " count " modules, no cycle"
    print "include_cycles: 1 passed, 0 failed"
  }' || exit 1
