#!/bin/sh
# End to end, in collectd.exe under Wine: 500 Query blocks (all on
# Win32_OperatingSystem, each its own PluginInstance) on one local host at a
# 10 s interval for 60 s. Wine 8's WMI crashes the process when two
# queries on one class run at once at this rate (measured: with
# MaxConcurrentQueries 2 or 4 it died within 30 s, in wbemprox's
# fill_operatingsystem), so the Host block holds the host to one call in
# flight, as collectd-wmi(5) advises for Wine (MaxConcurrentQueries). The
# daemon must still be running at the end, Wine must report no page fault,
# and each of the 500 series must have every slot (stamps exactly 10 s
# apart, 5 or more).
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 75 seconds.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=queries_500

e2e_begin

queries=500 interval=10 seconds=60
stanza=$(
  i=1
  while [ "$i" -le "$queries" ]; do
    fast_query "q$i" "q$i"
    i=$((i + 1))
  done
)
write_conf "$run/many.conf" "$run/many.log" 5 "LoadPlugin wmi
<Plugin wmi>
$stanza
  <Host \"local\">
    Interval $interval
    MaxConcurrentQueries 1
    Query $(seq -f '"q%g"' -s ' ' 1 "$queries")
  </Host>
</Plugin>"

# 60 s from the first point, so each job has had 6 slots (the last may
# still be on its way).
start_daemon "$run/many.conf" "$run/many.out"
while ! metric_lines "$run/many.log" | grep -q '^winbox\.wmi-q' &&
  kill -0 "$daemon" 2>/dev/null &&
  [ $(($(date +%s) - daemon_started)) -lt 30 ]; do
  sleep 0.5
done
end=$(($(date +%s) + seconds))
while kill -0 "$daemon" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
  sleep 1
done
check "collectd.exe is still running after $seconds s" stop_daemon
crash=$(grep -iE 'page fault|unhandled exception' "$run/many.out" | head -n 3)
check "Wine reports no crash${crash:+: $crash}" test -z "$crash"

report=$(series_report "$run/many.log" '^winbox\.wmi-q[0-9]+\.memory-free$' \
  "$interval" | grep -v '^  ')
series=$(echo "$report" | grep -c .)
check "all $queries series were dispatched ($series)" test "$series" -eq "$queries"
short=$(echo "$report" | awk 'NF && $2 < 5' | wc -l)
check "every series has 5 or more points ($short have fewer)" test "$short" -eq 0
broken=$(echo "$report" | awk 'NF && $3 + $4 > 0' | wc -l)
check "every series has every slot, 10 s apart ($broken have a gap or repeat)" \
  test "$broken" -eq 0
if [ "$failed" -gt 0 ]; then
  echo "--- series with too few points, a gap or a repeat (name points gaps repeats):"
  echo "$report" | awk '$2 < 5 || $3 + $4 > 0' | head -n 5
  echo "--- the plugin's log lines (first 10):"
  tr -d '\r' <"$run/many.log" | grep -E 'wmi plugin|rror' | head -n 10
  echo "--- Wine's output (first 10 lines):"
  head -n 10 "$run/many.out"
fi
summary
