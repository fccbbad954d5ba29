#!/bin/sh
# End to end, in collectd.exe under Wine: a 1 s query delivers every slot
# for 60 s (each stamp exactly one second after the previous: no gap, no
# repeat),
#   a. alone;
#   b. beside a second local Host block whose real 3 s query (CIM_DataFile
#      over a directory of files) times out at 1 s every interval.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 2.5 minutes.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=every_slot

e2e_begin

fast=winbox.wmi-fast.memory-free
seconds=60

# check_every_slot CASE LOG: the fast series has a point every second for
# $seconds s, at least $seconds - 2 points (the span may end on a point
# still in flight), and no gap or repeat.
check_every_slot() {
  report=$(series_report "$2" "^$fast\$" 1)
  # shellcheck disable=SC2046 # the fields of the report's line
  set -- "$1" $(echo "$report" | head -n 1)
  points=${3:-0} gaps=${4:-0} repeats=${5:-0}
  check "$1: $points points of $fast in $seconds s" \
    test "$points" -ge $((seconds - 2))
  check "$1: every second has its point ($gaps gaps, $repeats repeats)" \
    test "$gaps" -eq 0 -a "$repeats" -eq 0
  echo "$report" | grep '^  ' | head -n 10
}

# a. The fast query alone.
write_conf "$run/alone.conf" "$run/alone.log" 5 "LoadPlugin wmi
<Plugin wmi>
$(fast_query fast fast)
  <Host \"local\">
    Interval 1
    Query \"fast\"
  </Host>
</Plugin>"
start_daemon "$run/alone.conf" "$run/alone.out"
wait_for_span "$run/alone.log" "$fast" "$seconds" $((seconds + 20))
check "alone: collectd.exe ran to the end" stop_daemon
check_every_slot alone "$run/alone.log"

# b. Beside a host whose 3 s query is cancelled at 1 s, every interval.
write_conf "$run/beside.conf" "$run/beside.log" 5 "LoadPlugin wmi
<Plugin wmi>
$(fast_query fast fast)
$(slow_query slow "$SLOW_FILES_3")
  <Host \"local\">
    Interval 1
    Query \"fast\"
  </Host>
  <Host \"slowhost\">
    Interval 1
    Timeout 1
    Query \"slow\"
  </Host>
</Plugin>"
start_daemon "$run/beside.conf" "$run/beside.out"
wait_for_span "$run/beside.log" "$fast" "$seconds" $((seconds + 20))
check "beside: collectd.exe ran to the end" stop_daemon
check_every_slot "beside a timing-out host" "$run/beside.log"
check "beside: the slow host's timeout is logged" \
  grep -qiE 'wmi plugin: Host "slowhost".*time' "$run/beside.log"

if [ "$failed" -gt 0 ]; then
  for f in alone beside; do
    echo "--- $f: the plugin's log lines (first 15)"
    tr -d '\r' <"$run/$f.log" | grep -E 'wmi plugin|rror' | head -n 15
  done
fi
summary
