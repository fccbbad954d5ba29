#!/bin/sh
# Runs every test: builds what is needed (scripts/build.sh), then
#   native:  the portable core's unit tests under ASan+UBSan, the cache's
#            concurrency test under TSan, the value and naming fuzz
#            targets for a bounded run, the WMI names of conf/ against
#            real Windows schemas (make -C build/native check)
#   Windows: the backend against Wine's real WMI, and collectd.exe with
#            wmi.dll end to end (make -C build/win check)
#   format:  clang-format on the project's own C files
# It also prints the hot-path benchmark's figures (make -C build/native bench).
# and ends with one line: "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }
cd "$top"
status=0
make -C build/native -s check || status=1
make -C build/win -s check || status=1

format_failed=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 2>/dev/null || find src tests -name '*.[ch]')
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files >/dev/null 2>build/format.log || {
  format_failed=1
  status=1
  echo "FAIL format: run clang-format -i on:"; grep -o '^[^:]*\.[ch]' build/format.log | sort -u
}

# Sum what every suite reported ("<suite>: N passed, N failed").
totals=$(cat build/native/tests/unit/*.log build/native/tests/fuzz/*.log \
  build/win/tests/wine/*.log \
  build/win/tests/e2e/*.log 2>/dev/null |
  awk '/^[a-z0-9_]+: [0-9]+ passed, [0-9]+ failed/ { print; p += $2; f += $4 }
       END { print "TOTAL", p + 0, f + 0 }')
echo "$totals" | grep -v '^TOTAL'
set -- $(echo "$totals" | grep '^TOTAL')
passed=$(($2 + 1 - format_failed)) failed=$(($3 + format_failed))
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1 # a suite died early
# Figures for the hot paths, for the record (not pass/fail).
make -C build/native -s bench 2>/dev/null | grep '^bench:' || true
echo "format: $((1 - format_failed)) passed, $format_failed failed"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
