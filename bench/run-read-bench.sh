#!/bin/sh
# Benchmark 1 (bench/README.md): how long collectd's read callback takes,
# and how many slots of a 1 s query reach the writers, in collectd.exe under
# Wine, for the wmi plugin and for a synchronous baseline (sync_plugin.c),
# with a real slow query (about 0, 0.1, 1 and 3 s, every 5 s) beside the
# fast one, at ReadThreads 1 and 5.
#
# Usage: bench/run-read-bench.sh [--readme]
#   --readme  also writes the table into bench/README.md
# Environment: BUILDDIR (default build/win), COLLECTD_SDK (default the
# cache scripts/build-collectd-sdk.sh fills), BENCH_SECONDS (slots measured
# per configuration, default 30), BENCH_PLUGINS (default "wmi sync"),
# BENCH_SLOW (default "0 01 1 3"), BENCH_THREADS (default "1 5").
# `make -C build/win bench-read` runs it without --readme.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build/win}
COLLECTD_SDK=${COLLECTD_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0}
export SRCDIR BUILDDIR COLLECTD_SDK
seconds=${BENCH_SECONDS:-30}
. "$SRCDIR/tests/e2e/e2e_lib.sh"

make -s -C "$BUILDDIR" bench/sync_plugin.dll bench/wmi-timing.dll >&2 || exit 1
run=$(mktemp -d)
trap 'end_wine; [ -n "${KEEP:-}" ] || rm -rf "$run"' EXIT
trap 'exit 1' INT TERM
cp "$COLLECTD_SDK"/bin/* "$BUILDDIR/bench/sync_plugin.dll" "$run/"
# LoadPlugin wmi loads wmi.dll: the timed build under the plugin's name.
cp "$BUILDDIR/bench/wmi-timing.dll" "$run/wmi.dll"
e2e_lock || exit 1

# The plugins' stanzas: a fast query every second, a slow one every 5 s
# (its timeout is its interval, so even the 3 s one completes).
wmi_body() { # wmi_body SLOW_FILES
  cat <<BODY
LoadPlugin wmi
<Plugin wmi>
$(fast_query fast fast)
$(slow_query slow "$1")
  <Host "local">
    Interval 1
    Query "fast"
  </Host>
  <Host "slowhost">
    Interval 5
    Query "slow"
  </Host>
</Plugin>
BODY
}
sync_body() { # sync_body SLOW_FILES
  cat <<BODY
LoadPlugin sync_plugin
<Plugin sync_plugin>
  <Query "fast">
    Statement "SELECT FreePhysicalMemory FROM Win32_OperatingSystem"
    ValueFrom "FreePhysicalMemory"
    Interval 1
  </Query>
  <Query "slow">
    Statement "$(slow_statement "$1")"
    Interval 5
  </Query>
</Plugin>
BODY
}

# percentiles: reads numbers, prints "p50 p99 max" (nearest rank).
percentiles() {
  sort -n | awk '{ v[++n] = $1 }
    END {
      if (n == 0) { print "- - -"; exit }
      i50 = int(0.50 * n + 0.999999); i99 = int(0.99 * n + 0.999999)
      print v[i50], v[i99], v[n]
    }'
}
ms() { awk -v us="$1" 'BEGIN { if (us == "-") print "-"; else printf "%.2f", us / 1000 }'; }

# measure PLUGIN THREADS SLOW: one run; prints a table row.
measure() {
  name=$1-t$2-s$3
  files=$(eval echo "\$SLOW_FILES_$3")
  write_conf "$run/$name.conf" "$run/$name.log" "$2" "$("$1"_body "$files")"
  case $1 in
  wmi) fast=winbox.wmi-fast.memory-free ;;
  sync) fast=winbox.sync-fast.gauge-FreePhysicalMemory ;;
  esac
  start_daemon "$run/$name.conf" "$run/$name.out"
  # The window: $seconds slots from the fast series' first point, plus 3 s
  # for the last ones to reach the log.
  first=
  while [ -z "$first" ] && [ $(($(date +%s) - daemon_started)) -lt 30 ]; do
    sleep 0.5
    first=$(metric_lines "$run/$name.log" | awk -v n="$fast" '$1 == n { print $3; exit }')
  done
  first=${first:-$(date +%s)}
  while [ "$(date +%s)" -lt $((first + seconds + 3)) ]; do sleep 0.5; done
  stop_daemon || echo "bench: $name: collectd.exe had died" >&2
  slots=$(metric_lines "$run/$name.log" | awk -v n="$fast" -v f="$first" -v s="$seconds" '
    $1 == n && $3 >= f && $3 < f + s && !seen[$3]++ { k++ } END { print k + 0 }')
  # shellcheck disable=SC2046 # "p50 p99 max"
  set -- "$1" "$2" "$3" $(tr -d '\r' <"$run/$name.log" |
    sed -n 's/.*read callback took \([0-9]*\) us.*/\1/p' | percentiles)
  reads=$(tr -d '\r' <"$run/$name.log" | grep -c 'read callback took')
  # The slow query's real duration, as the baseline's callback measured it.
  slow_ms=$(tr -d '\r' <"$run/$name.log" |
    sed -n 's/.*read callback took \([0-9]*\) us for Query "slow".*/\1/p' |
    percentiles | awk '{ print $1 }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s/%s (%d%%) |\n' \
    "$1" "$2" "$(echo "$3" | sed 's/^0\(.\)/0.\1/') s" "$(ms "$slow_ms")" \
    "$(ms "$4")" "$(ms "$5")" "$(ms "$6")" "$slots" "$seconds" \
    $((100 * slots / seconds))
  [ "$reads" -gt 0 ] || echo "bench: $name: no read callback timing in the log" >&2
}

table=$run/table.md
{
  echo "| plugin | ReadThreads | slow query | slow query p50 (ms) | read p50 (ms) | read p99 (ms) | read max (ms) | fast slots delivered |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$table"
for plugin in ${BENCH_PLUGINS:-wmi sync}; do
  for threads in ${BENCH_THREADS:-1 5}; do
    for slow in ${BENCH_SLOW:-0 01 1 3}; do
      measure "$plugin" "$threads" "$slow" | tee -a "$table"
    done
  done
done

# The target: at the 1 s slow query, the baseline's p99 over the plugin's.
p99() { awk -F' [|] ' -v p="$1" -v t="$2" '$1 == "| " p && $2 == t && $3 == "1 s" { print $6 }' "$table"; }
for threads in ${BENCH_THREADS:-1 5}; do
  awk -v w="$(p99 wmi "$threads")" -v s="$(p99 sync "$threads")" -v t="$threads" 'BEGIN {
    if (w > 0 && s > 0)
      printf "\nWith the 1 s slow query at ReadThreads %s, the baseline'"'"'s p99 is %.0f times the plugin'"'"'s.\n", t, s / w }'
done | tee -a "$table"

if [ "${1:-}" = --readme ]; then
  readme=$SRCDIR/bench/README.md
  {
    sed '/<!-- read-bench:begin -->/q' "$readme"
    echo "Measured $(date -u +%Y-%m-%d) by \`bench/run-read-bench.sh --readme\`" \
      "($seconds slots per row; Wine $(/usr/lib/wine/wine64 --version 2>/dev/null)," \
      "$(nproc) cores):"
    echo
    cat "$table"
    sed -n '/<!-- read-bench:end -->/,$p' "$readme"
  } >"$run/README.md" && cp "$run/README.md" "$readme"
  echo "bench: table written to $readme"
fi
