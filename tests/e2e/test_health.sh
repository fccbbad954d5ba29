#!/bin/sh
# End to end, in collectd.exe under Wine: notifications and ReportStats.
#   - A real slow query (CIM_DataFile over a directory of 2,500 files, about
#     3 s) with a 0.5 s Timeout starts failing: one FAILURE notification,
#     however many intervals it fails. The files are then removed, the
#     query becomes fast: one OKAY notification.
#   - A malformed statement fails at WMI: one FAILURE naming
#     WBEM_E_INVALID_QUERY.
#   - ReportStats: each job's own figures reach the writer.
# logfile logs notifications; write_log prints the values.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 40 s.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=health

e2e_begin

# A directory of our own: this test empties it.
dir="$WINEPREFIX/drive_c/wmihealth"
rm -rf "$dir"
mkdir -p "$dir"
(cd "$dir" && seq 1 2500 | sed 's/^/f/' | xargs touch)
d='C:\\\\wmihealth\\\\'

write_conf "$run/health.conf" "$run/health.log" 5 "LoadPlugin wmi
<Plugin wmi>
  ReportStats true
$(fast_query memory memory)
  <Query \"slow\">
    Statement \"SELECT Name FROM CIM_DataFile WHERE Name='${d}x' OR Name='${d}y'\"
    <Result>
      Type \"gauge\"
      ValuesFrom \"Name\"
    </Result>
  </Query>
$(broken_query broken)
  <Host \"local\">
    Interval 1
    Query \"memory\" \"broken\"
  </Host>
  <Host \"server01\">
    Address \"server01.invalid\"
    Interval 1
    Query \"memory\"
  </Host>
  <Host \"flaky\">
    Interval 1
    Timeout 0.5
    Query \"slow\"
  </Host>
</Plugin>"
log=$run/health.log

# notifications SEVERITY INSTANCE [HOST]: how many the log holds.
notifications() {
  { tr -d '\r' <"$log"; } 2>/dev/null |
    grep -c "Notification: severity = $1, host = ${3:-winbox}, plugin = wmi, plugin_instance = $2,"
}
# wait_until LIMIT COMMAND...: polls COMMAND for LIMIT seconds.
wait_until() {
  limit=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$limit" ] || return 1
    sleep 0.5
  done
}
has() { [ "$(notifications "$1" "$2")" -ge 1 ]; }

start_daemon "$run/health.conf" "$run/health.out"
wait_until 60 has FAILURE slow
# Let it fail for several more intervals: still one notification.
sleep 6
failures_while_failing=$(notifications FAILURE slow)
rm -f "$dir"/*
wait_until 30 has OKAY slow
sleep 3
stop_daemon

# logged PATTERN: the log (without CRs) has a line matching PATTERN.
logged() { tr -d '\r' <"$log" | grep -q "$1"; }
check "one FAILURE for the timed-out query ($failures_while_failing)" \
  test "$failures_while_failing" -eq 1
check "it names the timeout" logged 'severity = FAILURE, host = winbox, plugin = wmi, plugin_instance = slow,.*message = Host "flaky", Query "slow": no result within the timeout: WBEM_E_TIMED_OUT'
check "one OKAY once it is fast ($(notifications OKAY slow))" \
  test "$(notifications OKAY slow)" -eq 1
check "the OKAY says it succeeds again" logged 'severity = OKAY, host = winbox, plugin = wmi, plugin_instance = slow,.*the query succeeds again'
check "still one FAILURE after the recovery" \
  test "$(notifications FAILURE slow)" -eq 1
check "one FAILURE for the malformed statement ($(notifications FAILURE broken))" \
  test "$(notifications FAILURE broken)" -eq 1
check "it names WBEM_E_INVALID_QUERY" logged 'plugin_instance = broken,.*WBEM_E_INVALID_QUERY (0x80041017)'
check "no notification for the healthy query" \
  test "$(notifications '[A-Z]*' memory)" -eq 0
check "one FAILURE for the dead remote host, under its name ($(notifications FAILURE memory server01))" \
  test "$(notifications FAILURE memory server01)" -eq 1
check "it says connecting failed" logged 'host = server01, plugin = wmi, plugin_instance = memory,.*Query "memory": connecting failed: WBEM_E_'

# ReportStats: the last value of each series.
last() { metric_lines "$log" | awk -v n="$1" '$1 == n { v = $2 } END { print v }'; }
check "memory: one object returned ($(last winbox.wmi-memory.objects-returned))" \
  test "$(last winbox.wmi-memory.objects-returned)" = 1
check "memory: the last run's duration is reported ($(last winbox.wmi-memory.duration-last_run) s)" \
  awk -v v="$(last winbox.wmi-memory.duration-last_run)" 'BEGIN { exit !(v != "" && v >= 0 && v < 1) }'
check "memory: no failed run ($(last winbox.wmi-memory.errors-failed_runs))" \
  test "$(last winbox.wmi-memory.errors-failed_runs)" = 0
check "memory: seconds since the last success stay small ($(last winbox.wmi-memory.duration-since_last_success))" \
  awk -v v="$(last winbox.wmi-memory.duration-since_last_success)" 'BEGIN { exit !(v != "" && v < 3) }'
check "broken: no run completed, so no duration-last_run nor objects-returned" \
  sh -c "! grep -q 'wmi-broken\.\(duration-last_run\|objects-returned\) ' '$log'"
check "server01: its figures under its own name ($(last server01.wmi-memory.errors-failed_runs) failed runs)" \
  test "$(last server01.wmi-memory.errors-failed_runs)" -ge 1
check "broken: failed runs are counted ($(last winbox.wmi-broken.errors-failed_runs))" \
  test "$(last winbox.wmi-broken.errors-failed_runs)" -ge 5
check "slow: timeouts are counted ($(last winbox.wmi-slow.errors-timeouts))" \
  test "$(last winbox.wmi-slow.errors-timeouts)" -ge 1
check "slow: overruns are counted ($(last winbox.wmi-slow.errors-overruns))" \
  test "$(last winbox.wmi-slow.errors-overruns)" -ge 1
most=$(metric_lines "$log" | awk '$1 == "winbox.wmi-slow.duration-since_last_success" && $2 > m { m = $2 } END { print m + 0 }')
check "slow: seconds since the last success grew while it failed ($most)" \
  awk -v v="$most" 'BEGIN { exit !(v >= 5) }'
check "dropped results are reported ($(last winbox.wmi-memory.errors-dropped_results))" \
  test "$(last winbox.wmi-memory.errors-dropped_results)" = 0

if [ "$failed" -gt 0 ]; then
  echo "--- collectd log:"; grep -v '^winbox\.' "$log" | head -n 60
fi
rm -rf "$dir"
summary
