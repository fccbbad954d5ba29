#!/bin/sh
# End to end: the dry run, `collectd.exe -T` on the shipped baseline
# (conf/wmi.conf) and a malformed query, under Wine. collectd's test read
# waits, within its bound, for every query and prints the report on
# stdout: memory, disks, services and processes with the values a direct
# WMI query gives, each performance query failing with WBEM_E_NOT_FOUND by
# name (Wine has none of those classes), the malformed one with
# WBEM_E_INVALID_QUERY; the writer (write_log) gets the values too.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 40 s.
# shellcheck disable=SC2034,SC2154 # suite is read, run and the reference
# values are set, by e2e_lib.sh
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
# shellcheck source=tests/e2e/e2e_lib.sh
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=dryrun

e2e_begin
reference_values
processes=$(wmi_query "SELECT Name, ThreadCount FROM Win32_Process" Name ThreadCount)

# Interval 2 (so Timeout 2): the bound is a cooked query's Timeout twice,
# the second between its runs, and a second of grace.
write_conf "$run/dry.conf" "$run/dry.log" 5 "Include \"$(win "$SRCDIR/conf/wmi.conf")\"
<Plugin wmi>
$(broken_query broken)
</Plugin>" 2
"$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -T -C "$(win "$run/dry.conf")" \
  >"$run/dry.out" 2>&1
status=$?
tr -d '\r' <"$run/dry.out" >"$run/report.txt"
report=$run/report.txt
# Wine has no performance counter classes and the broken query fails:
# the read fails, so collectd -T exits 1 (a pre-deploy check).
check "collectd -T exits 1 when a query failed ($status)" test "$status" -eq 1

queries=$(($(grep -c '<Query ' "$SRCDIR/conf/wmi.conf") + 1))
# shellcheck disable=SC2016 # awk's own $fields
check "the report's header: all $queries queries finished within the bound" \
  awk -v n="$queries" '/^wmi dry run: / { found = 1
      ok = ($4 == n && $6 == n && $10 + 0 <= $15 + 0 && $15 == "6.0") }
    END { exit !(found && ok) }' "$report"

# Memory in bytes: WMI's KiB * 1024, exactly.
case "$total_kib" in
'' | *[!0-9]*) bytes="(no number from WMI)" ;;
*) bytes=$((total_kib * 1024)) ;;
esac
check "memory-total is WMI's TotalVisibleMemorySize * 1024 ($bytes)" \
  grep -qx "  winbox/wmi-memory/memory-total = $bytes" "$report"
check "memory-free is shown" \
  grep -qE '^  winbox/wmi-memory/memory-free = [0-9]+$' "$report"

check "WMI lists fixed disks" test -n "$disks"
bad=$(echo "$disks" | while IFS="$(printf '\t')" read -r id size; do
  grep -qx "  winbox/wmi-logicaldisk/df_complex-size-$(sanitize "$id") = $size" \
    "$report" || echo "$id"
done)
check "every disk's size is WMI's, exactly (wrong: ${bad:-none})" test -z "$bad"

# Services read before and after the run: Wine starts some on demand (on
# a new prefix RpcSs may start with collectd), so a state is checked
# against what WMI said on either side of the run.
services_after=$(wmi_query "SELECT Name, State FROM Win32_Service" Name State)
state_code() {
  case "$1" in
  Stopped) echo 1 ;; "Start Pending") echo 2 ;; "Stop Pending") echo 3 ;;
  Running) echo 4 ;; "Continue Pending") echo 5 ;; "Pause Pending") echo 6 ;;
  Paused) echo 7 ;; *) echo 0 ;;
  esac
}
check "WMI lists services" test -n "$services"
bad=$(echo "$services" | while IFS="$(printf '\t')" read -r svc state; do
  after=$(echo "$services_after" | awk -F '\t' -v n="$svc" '$1 == n { print $2 }')
  got=$(sed -n "s/^  winbox\/wmi-services\/gauge-state-$(sanitize "$svc") = //p" "$report")
  [ "$got" = "$(state_code "$state")" ] || [ "$got" = "$(state_code "$after")" ] ||
    echo "$svc ($got; WMI: $state, then $after)"
done)
check "every service's state is WMI's, mapped (wrong: ${bad:-none})" test -z "$bad"

want=$(echo "$processes" | awk -F '\t' '$1 == "winedevice.exe"' | wc -l)
check "winedevice.exe processes summed per name ($want, WMI's count)" \
  grep -qE "^  winbox/wmi-processes/ps_count-winedevice_exe = $want:[0-9]+\$" \
  "$report"

perf=$(grep -c 'FROM Win32_PerfRawData_' "$SRCDIR/conf/wmi.conf")
notfound=$(grep -c '^Host "local", Query "[a-z]*": failed: WBEM_E_NOT_FOUND (0x80041002): .* (reading the CounterType qualifiers of class "Win32_PerfRawData_[A-Za-z_]*" failed)$' "$report")
check "each of the $perf performance queries fails with WBEM_E_NOT_FOUND ($notfound)" \
  test "$notfound" -eq "$perf"
check "the malformed query fails with WBEM_E_INVALID_QUERY" \
  grep -q '^Host "local", Query "broken": failed: WBEM_E_INVALID_QUERY (0x80041017)' \
  "$report"
check "memory, disk, services and processes are ok" sh -c "
  for q in memory disk services processes; do
    grep -q \"^Host \\\"local\\\", Query \\\"\$q\\\": ok, [1-9]\" '$report' || exit 1
  done"

# As in a normal read, the values reach the writers.
check "write_log got the values" \
  sh -c "tr -d '\r' <'$run/dry.log' | grep -q '^winbox\.wmi-memory\.memory-total $bytes '"
check "the plugin's shutdown ran" grep -q 'wmi plugin: stopped' "$run/dry.log"

if [ "$failed" -gt 0 ]; then
  echo "--- the report:"; cat "$report"
fi
summary
