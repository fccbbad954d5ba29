#!/bin/sh
# The manual page's POD (doc/collectd-wmi.pod) as podchecker sees it, at
# its strictest (-warnings -warnings): no error and no warning. podchecker
# exits 0 on warnings, so its output is read too.
set -u
pod=$(cd "$(dirname "$0")/../.." && pwd)/doc/collectd-wmi.pod
passed=0 failed=0
out=$(podchecker -warnings -warnings "$pod" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && ! printf '%s\n' "$out" | grep -q 'ERROR\|WARNING'; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL podchecker $pod (exit $rc):"
  printf '%s\n' "$out" | sed 's/^/  /'
fi
echo "podchecker: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
