#!/bin/sh
# End to end: the real collectd.exe (built by scripts/build-collectd-sdk.sh)
# loads wmi.dll under Wine; write_log's output is checked against direct
# WMI queries. Also: a clean shutdown (-T), and a bad stanza that stops the
# plugin with its message while the daemon goes on.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
suite=e2e
. "$SRCDIR/tests/e2e/common.sh"

run=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$run"' EXIT
cp "$COLLECTD_SDK"/bin/* "$BUILDDIR/wmi.dll" "$run/"
export WINEPREFIX="${WINEPREFIX:-${TMPDIR:-/tmp}/collectd-wmi-wineprefix}"
wine() { "$SRCDIR/tests/wine/wine-run.sh" "$@"; }
good_stanza='
  <Query "memory">
    Statement "SELECT TotalVisibleMemorySize, FreePhysicalMemory FROM Win32_OperatingSystem"
    <Result>
      Type "memory"
      InstancePrefix "total"
      ValuesFrom "TotalVisibleMemorySize"
    </Result>
    <Result>
      Type "memory"
      InstancePrefix "total_bytes"
      ValuesFrom "TotalVisibleMemorySize"
      Scale 1024
    </Result>
  </Query>
  <Query "services">
    Statement "SELECT Name, State FROM Win32_Service"
    <Result>
      Type "gauge"
      InstancePrefix "state"
      InstancesFrom "Name"
      ValuesFrom "State"
      ValueMap "Running" 1 "Stopped" 0
      ValueMapDefault -1
    </Result>
  </Query>
  <Query "processes">
    Statement "SELECT Name, ThreadCount FROM Win32_Process"
    <Result>
      Type "ps_count"
      InstancesFrom "Name"
      ValuesFrom "Name" "ThreadCount"
      ValueMap "" 1
      ValueMapDefault 1
      Duplicates "sum"
    </Result>
  </Query>
  <Query "disk">
    Statement "SELECT DeviceID, Size, FreeSpace FROM Win32_LogicalDisk"
    <Result>
      Type "df_complex"
      InstancePrefix "size"
      InstancesFrom "DeviceID"
      ValuesFrom "Size"
    </Result>
  </Query>'

# Reference values, read directly (this also warms up a new Wine prefix,
# whose first start takes several seconds).
total=$(wine "$BUILDDIR/tests/wine/wmi_query.exe" \
  "SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem" \
  TotalVisibleMemorySize TotalVisibleMemorySize 2>/dev/null | cut -f2 | tr -d '\r')
disks=$(wine "$BUILDDIR/tests/wine/wmi_query.exe" \
  "SELECT DeviceID, Size FROM Win32_LogicalDisk" DeviceID Size 2>/dev/null | tr -d '\r')
services=$(wine "$BUILDDIR/tests/wine/wmi_query.exe" \
  "SELECT Name, State FROM Win32_Service" Name State 2>/dev/null | tr -d '\r')
processes=$(wine "$BUILDDIR/tests/wine/wmi_query.exe" \
  "SELECT Name, ThreadCount FROM Win32_Process" Name ThreadCount 2>/dev/null | tr -d '\r')

# 1. The daemon runs until it has logged 4 cycles (at most 30 s), then is
#    killed: Wine gives collectd no console event to stop on; the clean
#    stop is checked with -T below.
write_conf "$run/good.conf" "$run/good.log" 5 "$(wmi_body "$good_stanza")"
log=$run/good.log
"$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
  -C "$(win "$run/good.conf")" >"$run/good.out" 2>&1 &
daemon=$!
waited=0
cycles_logged() {
  n=$(grep -c '^winbox\.wmi-memory\.memory-total ' "$log" 2>/dev/null)
  echo "${n:-0}"
}
while [ "$waited" -lt 300 ] && [ "$(cycles_logged)" -lt 4 ]; do
  sleep 0.1
  waited=$((waited + 1))
done
kill -9 "$daemon" 2>/dev/null
wait "$daemon" 2>/dev/null
metrics=$(grep -E '^winbox\.wmi-' "$log" || true)
check "the plugin loaded" grep -q 'plugin "wmi" successfully loaded' "$log"
check "values were dispatched" test -n "$metrics"

got=$(echo "$metrics" | awk '$1 == "winbox.wmi-memory.memory-total" {print $2; exit}')
check "memory-total ($got) equals WMI's TotalVisibleMemorySize ($total)" \
  test -n "$total" -a "$got" = "$total"

# Scale 1024: WMI's KiB as bytes, exactly (a gauge, exact below 2^53).
got=$(echo "$metrics" | awk '$1 == "winbox.wmi-memory.memory-total_bytes" {print $2; exit}')
case "$total" in
'' | *[!0-9]*) bytes="(no number from WMI)" ;;
*) bytes=$((total * 1024)) ;;
esac
check "memory-total_bytes ($got) equals TotalVisibleMemorySize * 1024 ($bytes)" \
  test -n "$total" -a "$got" = "$bytes"

check "WMI lists disks" test -n "$disks"
echo "$disks" | while IFS="$(printf '\t')" read -r id size; do
  name="winbox.wmi-disk.df_complex-size-$(echo "$id" | tr -c 'A-Za-z0-9_\n-' '_')"
  got=$(echo "$metrics" | awk -v n="$name" '$1 == n {print $2; exit}')
  [ "$got" = "$size" ] || { echo "FAIL e2e: $name is '$got', WMI says $size"; exit 1; }
done
check "every disk's size matches WMI exactly" test $? -eq 0

# ValueMap against Wine's real Win32_Service.State: Running 1, Stopped 0,
# any other state the ValueMapDefault -1.
check "WMI lists services" test -n "$services"
echo "$services" | while IFS="$(printf '\t')" read -r svc state; do
  name="winbox.wmi-services.gauge-state-$(echo "$svc" | tr -c 'A-Za-z0-9_\n-' '_')"
  case "$state" in
  Running) want=1 ;;
  Stopped) want=0 ;;
  *) want=-1 ;;
  esac
  got=$(echo "$metrics" | awk -v n="$name" '$1 == n {print $2; exit}')
  [ "$got" = "$want" ] || { echo "FAIL e2e: $name is '$got', WMI says $state (want $want)"; exit 1; }
done
check "every service's state maps as ValueMap says" test $? -eq 0
check "some service is Running" sh -c "echo \"\$1\" | grep -q '	Running\$'" sh "$services"

# Duplicates "sum": one series per process name, whose "processes" is how
# many processes have that name (each maps to 1, then they add up), as
# WMI lists them. Wine runs two winedevice.exe.
want=$(echo "$processes" | awk -F '\t' '$1 == "winedevice.exe"' | wc -l)
got=$(echo "$metrics" | awk '$1 == "winbox.wmi-processes.ps_count-winedevice_exe.processes" {v = $2} END {print v}')
check "winedevice.exe processes summed per name ($got, WMI lists $want)" \
  test "$want" -ge 2 -a "$got" = "$want"
threads=$(echo "$metrics" | awk '$1 == "winbox.wmi-processes.ps_count-winedevice_exe.threads" {v = $2} END {print v}')
check "their threads are summed ($threads)" test "${threads:-0}" -gt 1
echo "$metrics" >"$run/metrics.txt"
check "one series per name, none per process" \
  sh -c "! grep -q 'ps_count-winedevice_exe-' '$run/metrics.txt'"

# Each sample once: per metric, timestamps strictly increase.
dupes=$(echo "$metrics" | awk '{ if (($1) in last && $3 <= last[$1]) bad++; last[$1] = $3 } END { print bad + 0 }')
check "no sample is dispatched twice ($dupes repeats)" test "$dupes" -eq 0
[ "$dupes" -eq 0 ] || echo "$metrics" | awk '{ if (($1) in last && $3 <= last[$1]) print "repeat:", $0, "after", last[$1]; last[$1] = $3 }' 
cycles=$(echo "$metrics" | awk '$1 == "winbox.wmi-memory.memory-total"' | wc -l)
check "several cycles ran ($cycles)" test "$cycles" -ge 3

# 2. init, one read and shutdown (-T): the plugin stops cleanly.
write_conf "$run/once.conf" "$run/once.log" 5 "$(wmi_body "$good_stanza")"
wine "$run/collectd.exe" -T -C "$(win "$run/once.conf")" >"$run/once.out" 2>&1
status=$?
check "collectd -T exits 0, every query ok ($status)" test "$status" -eq 0
check "the plugin's shutdown ran" grep -q 'wmi plugin: stopped' "$run/once.log"

# 3. The shipped baseline, conf/wmi.conf, as it is: every type exists and
#    every Result matches its type's data sources (any configuration error
#    stops the plugin before it starts its queries), and under Wine, which
#    has no performance counter classes, it still shows memory, disks,
#    services and processes, while each performance query says once that
#    its class is not found.
write_conf "$run/baseline.conf" "$run/baseline.log" 5 \
  "Include \"$(win "$SRCDIR/conf/wmi.conf")\""
blog=$run/baseline.log
"$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
  -C "$(win "$run/baseline.conf")" >"$run/baseline.out" 2>&1 &
daemon=$!
waited=0
while [ "$waited" -lt 300 ] &&
  [ "$(tr -d '\r' <"$blog" 2>/dev/null | grep -c '^winbox\.wmi-memory\.memory-free ')" -lt 3 ]; do
  sleep 0.1
  waited=$((waited + 1))
done
kill -9 "$daemon" 2>/dev/null
wait "$daemon" 2>/dev/null
tr -d '\r' <"$blog" >"$run/baseline.txt"
queries=$(grep -c '<Query ' "$SRCDIR/conf/wmi.conf")
# Anchored: a daemon taken for a dry run says "started (dry run: ...)".
check "conf/wmi.conf starts all $queries queries, not as a dry run" \
  grep -q "wmi plugin: $queries queries on 1 hosts started\$" "$run/baseline.txt"
check "a normal daemon prints no dry-run report" \
  sh -c "! grep -q 'wmi dry run:' '$run/baseline.out'"
for series in memory.memory-free memory.memory-total \
  logicaldisk.df_complex-free-C_ services.gauge-running-RpcSs \
  services.gauge-state-RpcSs processes.ps_count-services_exe.processes \
  processes.ps_rss-services_exe; do
  check "the baseline gives winbox.wmi-$series" \
    grep -q "^winbox\.wmi-$series " "$run/baseline.txt"
done
perf=$(grep -c 'FROM Win32_PerfRawData_' "$SRCDIR/conf/wmi.conf")
notfound=$(grep -c 'wmi plugin: Host "local", Query "[^"]*": reading the CounterType qualifiers of class "Win32_PerfRawData_[A-Za-z0-9_]*" failed: WBEM_E_NOT_FOUND' "$run/baseline.txt")
check "each of the $perf performance queries logs its missing class once ($notfound)" \
  test "$notfound" -eq "$perf"
check "RpcSs runs: running 1, state 4 (SERVICE_RUNNING)" sh -c \
  "grep -q '^winbox\.wmi-services\.gauge-running-RpcSs 1 ' '$run/baseline.txt' &&
   grep -q '^winbox\.wmi-services\.gauge-state-RpcSs 4 ' '$run/baseline.txt'"

# 4. A bad stanza: the plugin does not start, says why, collectd goes on.
bad_stanza='
  <Query "bad">
    Statement "SELECT Size FROM Win32_LogicalDisk"
    <Result>
      Type "no_such_type"
      ValuesFrom "Size"
    </Result>
  </Query>'
write_conf "$run/bad.conf" "$run/bad.log" 5 "$(wmi_body "$bad_stanza")"
timeout -s KILL 5 "$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
  -C "$(win "$run/bad.conf")" >"$run/bad.out" 2>&1 || true
check "the bad Type is named" grep -q 'wmi plugin: Query "bad", Result 1: option "Type": "no_such_type" is not a type in types.db' "$run/bad.log"
check "the plugin is not started" sh -c "! grep -q 'queries on' '$run/bad.log'"
check "collectd still runs its other plugins" grep -q 'Initialization complete' "$run/bad.log"

unknown_stanza='
  <Query "q">
    Statment "SELECT Size FROM Win32_LogicalDisk"
  </Query>'
write_conf "$run/unknown.conf" "$run/unknown.log" 5 "$(wmi_body "$unknown_stanza")"
wine "$run/collectd.exe" -T -C "$(win "$run/unknown.conf")" >"$run/unknown.out" 2>&1
check "an unknown option is named" grep -q 'wmi plugin: Query "q": option "Statment" is unknown here' "$run/unknown.log"

if [ "$failed" -gt 0 ]; then
  echo "--- collectd log of the good run:"; head -n 40 "$log"
fi
summary
