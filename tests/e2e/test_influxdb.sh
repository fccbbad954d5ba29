#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2154
# End to end into InfluxDB 1.x: collectd.exe under Wine runs the shipped
# baseline (conf/wmi.conf) at Interval 10 and sends its values with
# collectd's network plugin to InfluxDB's collectd input (influxdb_lib.sh:
# a throwaway influxd on 127.0.0.1). Then, through InfluxDB's HTTP API:
#   - measurements, tag keys and tag values are what InfluxDB makes of the
#     baseline's identifiers (plugin "wmi" and the data source name give the
#     measurement; host, instance, type, type_instance the tags);
#   - values equal direct WMI queries (tests/wine/wmi_query.exe);
#   - each series' stamps are exactly 10 s apart, with no gap, and every
#     value write_log printed (but the last interval, which the kill may
#     keep from being sent) is stored once, with the same value;
#   - every query of conf/dashboards/influxdb.json answers with data.
# About 50 s. Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR;
# make check sets them. jq reads InfluxDB's JSON.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/influxdb_lib.sh"
suite=influxdb
begun=$(date +%s)

e2e_begin
influx_start || { echo "$suite: 0 passed, 1 failed"; exit 1; }
check "influxd listens on 127.0.0.1 only (HTTP, RPC, collectd UDP $influx_collectd_port)" \
  loopback_only "$influx_pid"

# Reference values, read directly before the daemon starts (this also
# warms up the prefix).
reference_values
processes=$(wmi_query "SELECT Name, ThreadCount FROM Win32_Process" Name ThreadCount)
echo "WMI read directly after $(($(date +%s) - begun)) s"

# The collectd.conf the README documents for InfluxDB: the network plugin
# sends to the collectd input; FlushInterval 1 sends each interval's
# values within a second instead of when a 1452-byte packet is full.
log=$run/collectd.log
write_conf "$run/influxdb.conf" "$log" 5 "$(network_writer "$influx_collectd_port")
Include \"$(win "$SRCDIR/conf/wmi.conf")\"" 10

# The queries Wine answers (the others read performance classes it lacks).
real_instances="logicaldisk memory processes services"
# stamps INSTANCE: how many intervals of that query write_log printed.
stamps() {
  metric_lines "$log" | awk -v p="winbox.wmi-$1." \
    'index($1, p) == 1 && !seen[$3]++ { n++ } END { print n + 0 }'
}
five_intervals() {
  for i in $real_instances; do [ "$(stamps "$i")" -ge 5 ] || return 1; done
}
start_daemon "$run/influxdb.conf" "$run/collectd.out"
while ! five_intervals && [ $(($(date +%s) - daemon_started)) -lt 90 ]; do
  sleep 0.5
done
# Killed at once: the last interval, sent within FlushInterval and written
# within the input's batch-timeout, may be partly lost. Only the four
# before it are compared below.
stop_daemon
echo "collectd ran $(($(date +%s) - daemon_started)) s; intervals per query:" \
  "$(for i in $real_instances; do printf '%s %s ' "$i" "$(stamps "$i")"; done)"

q() { influx_query "$@" >"$run/answer.json"; } # then jq on answer.json
answer() { jq -r "$@" "$run/answer.json"; }
lines() { tr '\n' ' ' | sed 's/ $//'; }

# --- Measurements and tags -------------------------------------------------
q 'SHOW MEASUREMENTS'
got=$(answer '.results[0].series[0].values[]?[0]' | sort | lines)
check "measurements are wmi_processes, wmi_threads (ps_count's two sources) and wmi_value ($got)" \
  test "$got" = "wmi_processes wmi_threads wmi_value"
q 'SHOW TAG KEYS'
for m in wmi_processes wmi_threads wmi_value; do
  got=$(answer --arg m "$m" '.results[0].series[]? | select(.name == $m) | .values[][0]' | sort | lines)
  check "$m's tag keys are host, instance, type, type_instance ($got)" \
    test "$got" = "host instance type type_instance"
done
q 'SHOW FIELD KEYS'
got=$(answer '.results[0].series[]? | "\(.name):\(.values[] | join("/"))"' | sort | lines)
check "one float field, value, in each ($got)" test "$got" = \
  "wmi_processes:value/float wmi_threads:value/float wmi_value:value/float"
tag_values() { # tag_values KEY: its values over all measurements
  q "SHOW TAG VALUES WITH KEY = \"$1\""
  answer '.results[0].series[]?.values[][1]' | sort -u | lines
}
got=$(tag_values host)
check "host is winbox ($got)" test "$got" = winbox
got=$(tag_values instance)
check "instance is each query's PluginInstance or name ($got)" \
  test "$got" = "$real_instances"
got=$(tag_values type)
check "type is each Result's Type ($got)" test "$got" = "df_complex gauge memory ps_count ps_rss"
q 'SHOW SERIES'
answer '.results[0].series[]?.values[][0]' >"$run/series.txt"
for key in \
  wmi_value,host=winbox,instance=memory,type=memory,type_instance=free \
  wmi_value,host=winbox,instance=memory,type=memory,type_instance=total \
  wmi_value,host=winbox,instance=logicaldisk,type=df_complex,type_instance=free-C_ \
  wmi_value,host=winbox,instance=logicaldisk,type=df_complex,type_instance=size-C_ \
  wmi_value,host=winbox,instance=services,type=gauge,type_instance=running-RpcSs \
  wmi_value,host=winbox,instance=services,type=gauge,type_instance=state-RpcSs \
  wmi_processes,host=winbox,instance=processes,type=ps_count,type_instance=services_exe \
  wmi_threads,host=winbox,instance=processes,type=ps_count,type_instance=services_exe \
  wmi_value,host=winbox,instance=processes,type=ps_rss,type_instance=services_exe; do
  check "series $key" grep -qxF "$key" "$run/series.txt"
done

# --- Values against WMI ----------------------------------------------------
# stored WHERE: every stored value of the series WHERE selects, sorted,
# one distinct "type_instance value" a line.
stored() {
  q "SELECT \"value\" FROM \"wmi_value\" WHERE $1 GROUP BY \"type_instance\""
  answer '.results[0].series[]? | .tags.type_instance as $t | .values[] | "\($t) \(.[1])"' | sort -u
}
case "$total_kib" in
'' | *[!0-9]*) want="(no number from WMI: '$total_kib')" ;;
*) want="total $((total_kib * 1024))" ;;
esac
got=$(stored "\"instance\" = 'memory' AND \"type_instance\" = 'total'" | lines)
check "memory total is TotalVisibleMemorySize * 1024 at every point ($got; $want)" \
  test "$got" = "$want"

want=$(echo "$disks" | disk_sizes | lines)
got=$(stored "\"instance\" = 'logicaldisk' AND \"type_instance\" =~ /^size-/" | lines)
check "each fixed disk's size is WMI's Size at every point ($got; WMI: $want)" \
  test -n "$want" -a "$got" = "$want"
check "C: is one of them" sh -c 'echo "$1" | grep -q "^size-C_ [1-9]"' sh "$got"

# The baseline's ValueMaps (conf/wmi.conf, Query "services"): running is 1
# for "Running", else 0; state numbers the states as Windows does, 0 for
# anything else.
echo "$services" | while IFS="$(printf '\t')" read -r svc state; do
  [ -n "$svc" ] || continue
  case "$state" in
  Stopped) n=1 ;; "Start Pending") n=2 ;; "Stop Pending") n=3 ;; Running) n=4 ;;
  "Continue Pending") n=5 ;; "Pause Pending") n=6 ;; Paused) n=7 ;; *) n=0 ;;
  esac
  echo "running-$(sanitize "$svc") $([ "$state" = Running ] && echo 1 || echo 0)"
  echo "state-$(sanitize "$svc") $n"
done | sort >"$run/services.want"
stored "\"instance\" = 'services'" >"$run/services.got"
check "WMI lists services ($(wc -l <"$run/services.want") series expected)" \
  test -s "$run/services.want"
check "every service's running and state, at every point, as the ValueMaps map WMI's State" \
  cmp -s "$run/services.want" "$run/services.got"
cmp -s "$run/services.want" "$run/services.got" ||
  diff "$run/services.want" "$run/services.got" | sed 's/^/  /' | head -n 20
check "some service is running" grep -q '^running-RpcSs 1$' "$run/services.got"

want=$(echo "$processes" | awk -F '\t' '$1 == "winedevice.exe"' | wc -l)
q "SELECT \"value\" FROM \"wmi_processes\" WHERE \"type_instance\" = 'winedevice_exe'"
got=$(answer '.results[0].series[]?.values[][1]' | sort -u | lines)
check "wmi_processes counts the winedevice.exe processes WMI lists ($got; WMI: $want)" \
  test "$want" -ge 2 -a "$got" = "$want"

# --- Spacing, and write_log against InfluxDB -------------------------------
# elapsed(): InfluxDB's own difference between consecutive stamps, in ns.
q 'SELECT elapsed("value", 1ns) FROM /^wmi_/ GROUP BY *'
answer '.results[0].series[]? | "\(.name) \(.tags | [.host, .instance, .type, .type_instance] | join("/")) \([.values[][1]] | unique | map(tostring) | join(","))"' \
  >"$run/elapsed.txt"
bad=$(awk '$3 != "10000000000"' "$run/elapsed.txt")
check "every series' stamps are exactly 10 s (10000000000 ns) apart, first to last ($(wc -l <"$run/elapsed.txt") series)" \
  test -s "$run/elapsed.txt" -a -z "$bad"
[ -z "$bad" ] || echo "$bad" | sed 's/^/  /' | head -n 20
q 'SELECT count("value") FROM /^wmi_/ GROUP BY *'
answer '.results[0].series[]? | "\(.name) \(.tags | [.host, .instance, .type, .type_instance] | join("/")) \(.values[0][1])"' \
  >"$run/counts.txt"
few=$(awk '$3 < 4' "$run/counts.txt")
check "every series has 4 points or more ($(awk '{ print $3 }' "$run/counts.txt" | sort -n | uniq -c | awk '{ printf "%s series of %s, ", $1, $2 }'))" \
  test -s "$run/counts.txt" -a -z "$few"
[ -z "$few" ] || echo "$few" | sed 's/^/  /' | head -n 20

# write_log's lines "name value stamp" against InfluxDB's points as the same
# lines (the Graphite name rebuilt from the tags, the stamp rounded to the
# second as write_log rounds it, from microseconds (exact in jq's doubles), values as write_log prints them: %.15g).
# Both up to the second-last interval: the last may not have been sent.
cutoff=$(metric_lines "$log" | awk '$3 > m { m = $3 } END { print m - 10 }')
as_write_log() { awk -v c="$cutoff" '$3 <= c { printf "%s %.15g %s\n", $1, $2, $3 }' | sort; }
metric_lines "$log" | as_write_log >"$run/write_log.txt"
q 'SELECT "value" FROM /^wmi_/ GROUP BY *' u
answer '.results[0].series[]? |
  "\(.tags.host).wmi-\(.tags.instance).\(.tags.type)"
    + (if .tags.type_instance == "" then "" else "-\(.tags.type_instance)" end)
    + (if .name == "wmi_value" then "" else "." + (.name | ltrimstr("wmi_")) end) as $n
  | .values[] | "\($n) \(.[1]) \((.[0] + 500000) / 1000000 | floor)"' | as_write_log >"$run/influx.txt"
bad=$(series_report "$log" '^winbox\.wmi-' 10 | awk '!/^ / && ($3 || $4)')
check "write_log: no series has a gap or a repeat at 10 s" test -z "$bad"
[ -z "$bad" ] || echo "$bad" | sed 's/^/  /' | head -n 20
check "all $(wc -l <"$run/write_log.txt") points write_log printed up to $cutoff are in InfluxDB, once, with the same values ($(wc -l <"$run/influx.txt") there)" \
  test -s "$run/write_log.txt" -a -z "$(comm -3 "$run/write_log.txt" "$run/influx.txt")"
comm -3 "$run/write_log.txt" "$run/influx.txt" | head -n 10 |
  sed 's/^\t/  only in InfluxDB: /; t; s/^/  only in write_log: /'

# --- The dashboard ---------------------------------------------------------
dashboard=$SRCDIR/conf/dashboards/influxdb.json
tab=$(printf '\t')
# Grafana's macros as it would expand them for the last hour at a 10 s
# interval, host winbox.
grafana_macros() {
  sed -e 's/\$__interval_ms/10000/g; s/\${__interval_ms}/10000/g' \
    -e 's/\$__interval/10s/g; s/\${__interval}/10s/g' \
    -e 's/\$interval/10s/g; s/\${interval}/10s/g' \
    -e 's/\$timeFilter/time > now() - 1h/g; s/\${timeFilter}/time > now() - 1h/g' \
    -e 's/\$host/winbox/g; s/\${host}/winbox/g'
}
# values_in_answer: how many non-null values (not stamps) the answer holds.
values_in_answer() {
  answer '[.results[0].series[]?.values[]?[1:][] | select(. != null)] | length'
}
jq -r '.. | objects | select(has("targets")) | .title as $t | .targets[] |
  [$t, .refId, (.query // "" | gsub("[\t\n]"; " "))] | join("\t")' \
  "$dashboard" >"$run/queries.tsv"
check "the dashboard has queries ($(wc -l <"$run/queries.tsv"))" test -s "$run/queries.tsv"
check "every target is an InfluxQL query on the dashboard's InfluxDB input" \
  test "$(jq '[.. | objects | select(has("targets")) | .targets[] |
    select(.rawQuery != true or (.query // "") == "" or .datasource.uid != "${DS_INFLUXDB}")] | length' \
    "$dashboard")" = 0
check "its data source input is an InfluxDB one" \
  test "$(jq -r '.__inputs[] | select(.name == "DS_INFLUXDB") | .pluginId' "$dashboard")" = influxdb
unanswered=0
while IFS="$tab" read -r title ref query; do
  q "$(printf '%s' "$query" | grafana_macros)"
  [ "$(values_in_answer)" -gt 0 ] || unanswered=$((unanswered + 1))
done <"$run/queries.tsv"
echo "$(($(wc -l <"$run/queries.tsv") - unanswered)) of $(wc -l <"$run/queries.tsv") dashboard queries answered by what collectd sent under Wine"

# Wine has no Win32_PerfRawData_* classes: the baseline's performance
# queries (cpu, diskio, network, system) give nothing here. So that the
# panels reading them are checked as well, a few SYNTHETIC points are
# written through InfluxDB's /write with the identifiers those queries
# give on Windows, derived from conf/wmi.conf's own Query and Result blocks
# (and types.db's data source names), never from the dashboard: a panel
# reading anything else still finds nothing. Only the object names (the
# Name property Windows gives each processor, disk and interface) are
# samples.
perf_results "$SRCDIR/conf/wmi.conf" >"$run/perf_results.txt"
missing_names=$(perf_series "$run/perf_results.txt" \
  "$COLLECTD_SDK/share/types.db" 2>&1 >"$run/perf_series.txt" | tr '\n' ' ')
now=$(date +%s)
while IFS='|' read -r instance type ti ds count; do
  # No type_instance tag at all when it is empty (InfluxDB leaves out
  # empty tags).
  tags="host=winbox,instance=$instance,type=$type${ti:+,type_instance=$ti}"
  for k in 0 1 2 3 4 5; do
    case $type in
    percent) v=$((20 + k)) ;; uptime) v=$((86400 + 10 * k)) ;; *) v=$((1000 * (k + 1))) ;;
    esac
    echo "wmi_$ds,$tags value=$v $((now - 50 + 10 * k))000000000"
  done
done <"$run/perf_series.txt" >"$run/synthetic.lp"
check "wmi.conf's performance Results are found ($(wc -l <"$run/perf_results.txt"))" \
  test -s "$run/perf_results.txt"
check "every performance class has sample object names (missing:${missing_names:- none})" \
  test -z "$missing_names"
echo "SYNTHETIC: writing $(wc -l <"$run/synthetic.lp") points to $(cut -d' ' -f1 "$run/synthetic.lp" | sort -u | wc -l) series the baseline's performance queries give on Windows, as Wine has no performance classes:"
cut -d' ' -f1 "$run/synthetic.lp" | sort -u | sed 's/^/  /'
check "InfluxDB takes the synthetic points" influx_write <"$run/synthetic.lp"

# alternatives SQL: the query once per alternative of each (a|b|c) group
# in its regular expressions, the others kept: every series a panel asks
# for must exist, not only one of them. A query without groups: itself.
alternatives() {
  /usr/bin/python3 -c '
import re, sys
sql = sys.argv[1]
group = re.search(r"/[^/]*\(([^()/]*\|[^()/]*)\)[^/]*/", sql)
if not group:
    print(sql)
else:
    inner = group.group(1)
    start, end = group.start(1) - 1, group.end(1) + 1
    for alternative in inner.split("|"):
        print(sql[:start] + alternative + sql[end:])
' "$1"
}
while IFS="$tab" read -r title ref query; do
  sql=$(printf '%s' "$query" | grafana_macros)
  alternatives "$sql" >"$run/alternatives.txt"
  while IFS= read -r one; do
    q "$one"
    n=$(values_in_answer)
    err=$(answer '.results[0].error // empty')
    check "panel \"$title\" ($ref) shows data ($n values${err:+; $err})" \
      test "${n:-0}" -gt 0 -a -z "$(printf '%s' "$one" | grep -o '\$[A-Za-z_{]')"
    [ "${n:-0}" -gt 0 ] || echo "  query: $one"
  done <"$run/alternatives.txt"
done <"$run/queries.tsv"
jq -r '.templating.list[] | select(.type == "query") |
  [.name, (.query | if type == "object" then .query else . end)] | join("\t")' \
  "$dashboard" >"$run/variables.tsv"
while IFS="$tab" read -r name query; do
  q "$query"
  got=$(answer '.results[0].series[]?.values[][1]' | sort -u | lines)
  check "variable \$$name lists values ($got)" test -n "$got"
  [ "$name" = host ] && host_values=$got
done <"$run/variables.tsv"
check "variable \$host offers winbox, only (${host_values:-})" test "${host_values:-}" = winbox

if [ "$failed" -gt 0 ]; then
  echo "--- collectd log:"
  tr -d '\r' <"$log" | grep -vE '^[^ ]+ [^ ]+ [0-9]+$' | head -n 40
  echo "--- influxd log:"
  grep -v 'Loading types' "$influx_dir/influxd.log" | tail -n 20
fi
echo "$suite: took $(($(date +%s) - begun)) s"
summary
