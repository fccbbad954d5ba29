#!/bin/sh
# End to end into Graphite: collectd.exe under Wine runs the shipped
# baseline (conf/wmi.conf) at collectd's default Interval 10 and sends it
# with write_graphite (Prefix "collectd.") to a throwaway carbon-cache on
# 127.0.0.1, whose storage schemas and aggregation are the shipped
# conf/graphite/ files as they are. write_log prints the same values: a
# second view of what was sent. Checked:
#   - the whisper files of the baseline's series that Wine produces
#     (memory, logical disks, every service, every process name) exist,
#     with the shipped retentions and the intended aggregation;
#   - carbon stored exactly what collectd sent (same names, values, slots),
#     and the values equal direct WMI queries (tests/wine/wmi_query.exe);
#   - spacing: on disk every series has a point in every 10 s slot from its
#     first to its last, and write_log's stamps of each series step by
#     exactly 10 s (no missing and no repeated point);
#   - conf/dashboards/graphite.json: each target of each panel, rendered by
#     graphite-web over this run's whisper files, returns datapoints; one
#     PNG per panel lands in $BUILDDIR/e2e-render/graphite/.
# Wine has no Win32_PerfRawData_* classes, so the baseline's cpu, diskio,
# network and system queries give nothing here: for the dashboard's panels
# on them, the test feeds carbon a few synthetic points (line protocol)
# under exactly the names those queries give on Windows, derived from
# conf/wmi.conf, and says so in its output.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 65 s.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/carbon_lib.sh"
. "$SRCDIR/tests/e2e/graphite_web_lib.sh"
suite=graphite
began=$(date +%s)
host=winbox
interval=10
schemas=$SRCDIR/conf/graphite/storage-schemas.conf
aggregation=$SRCDIR/conf/graphite/storage-aggregation.conf
dashboard=${GRAPHITE_DASHBOARD:-$SRCDIR/conf/dashboards/graphite.json}
pngdir=$BUILDDIR/e2e-render/graphite
tab=$(printf '\t')

e2e_begin

# ---- Reference values, read directly from WMI before the daemon starts
# (wmi_query.exe would otherwise be a process of the run). -----------------
reference_values
processes=$(wmi_query "SELECT Name, ThreadCount FROM Win32_Process" Name ThreadCount |
  awk -F '\t' '$1 != "wmi_query.exe"')
check "WMI answers the reference queries" \
  test -n "$total_kib" -a -n "$disks" -a -n "$services" -a -n "$processes"

# ---- carbon-cache with the shipped storage conf -----------------------------
check "carbon-cache starts with conf/graphite/ (storage-schemas.conf, storage-aggregation.conf)" \
  carbon_start "$run/carbon" "$schemas" "$aggregation"
if [ -z "$CARBON_PID" ]; then
  summary
  exit 1
fi
check "carbon-cache listens on 127.0.0.1 only (line $CARBON_PORT, cache query $CARBON_QUERY_PORT)" \
  loopback_only "$CARBON_PID"

# ---- collectd.exe: the baseline, write_graphite and write_log ----------------
conf=$run/graphite.conf
log=$run/graphite.log
# write_graphite sends when its 1428-byte buffer is full; FlushInterval 1
# sends each cycle's tail within a second instead of with the next cycle.
write_conf "$conf" "$log" 5 "$(graphite_writer "$CARBON_PORT")
Include \"$(win "$SRCDIR/conf/wmi.conf")\"" "$interval"

start_daemon "$conf" "$run/graphite.out"
# Five points of memory-free (40 s from first to last): at least four of
# every series, whatever the phase of the first cycle.
wait_for_span "$log" "$host.wmi-memory.memory-free" 40 120
# While collectd still runs: the last point of every series it logged must
# reach the whisper files (written about a second after carbon has it).
metric_lines "$log" | awk '{ last[$1] = $3 } END { for (n in last) print "collectd." n, last[n] }' |
  sort >"$run/sent-last.txt"
check "carbon wrote the last point of each of the $(wc -l <"$run/sent-last.txt") series collectd sent within 15 s" \
  wsp_wait_all 15 <"$run/sent-last.txt"
check "collectd.exe ran until stopped" stop_daemon
ran=$(($(date +%s) - daemon_started))
echo "graphite: collectd.exe ran $ran s"
check "the plugin loaded" grep -q 'plugin "wmi" successfully loaded' "$log"
check "write_graphite never failed to send" sh -c "! tr -d '\r' <'$log' | grep -i 'write_graphite.*\(fail\|error\)'"

# ---- What is stored --------------------------------------------------------
# The log's points up to each series' last point waited for above; the
# whisper files' points of the first (10 s) archive; the files' layout.
metric_lines "$log" | awk 'NR == FNR { last[$1] = $2; next }
  { n = "collectd." $1; if ($3 <= last[n]) print n, $2, $3 }' "$run/sent-last.txt" - >"$run/sent.txt"
first=$(awk 'NR == 1 || $3 < f { f = $3 } END { print f }' "$run/sent.txt")
wsp_dump $((first - 60)) >"$run/stored.txt"
"$PY" -c 'import os, sys, whisper
root = sys.argv[1]
for d, _, files in os.walk(root):
    for f in files:
        path = os.path.join(d, f)
        info = whisper.info(path)
        name = os.path.relpath(path, root)[:-4].replace(os.sep, ".")
        archives = ",".join("%d:%d" % (a["secondsPerPoint"], a["points"]) for a in info["archives"])
        print(name, archives, info["aggregationMethod"], info["xFilesFactor"])' \
  "$CARBON_WHISPER" | sort >"$run/layout.txt"

# The whisper files of the series the baseline gives under Wine.
{
  echo "collectd.$host.wmi-memory.memory-free"
  echo "collectd.$host.wmi-memory.memory-total"
} >"$run/want-memory.txt"
echo "$disks" | while IFS=$tab read -r id size; do
  echo "collectd.$host.wmi-logicaldisk.df_complex-free-$(sanitize "$id")"
  echo "collectd.$host.wmi-logicaldisk.df_complex-size-$(sanitize "$id")"
done >"$run/want-disks.txt"
echo "$services" | while IFS=$tab read -r name state; do
  echo "collectd.$host.wmi-services.gauge-running-$(sanitize "$name")"
  echo "collectd.$host.wmi-services.gauge-state-$(sanitize "$name")"
done >"$run/want-services.txt"
{
  echo "$processes" | cut -f1
  echo collectd.exe
} | sort -u | while read -r name; do
  echo "collectd.$host.wmi-processes.ps_count-$(sanitize "$name").processes"
  echo "collectd.$host.wmi-processes.ps_count-$(sanitize "$name").threads"
  echo "collectd.$host.wmi-processes.ps_rss-$(sanitize "$name")"
done >"$run/want-processes.txt"
cat "$run"/want-*.txt >"$run/want.txt"

# files_exist LIST: each series of LIST has a whisper file.
files_exist() {
  bad=0
  while read -r name; do
    [ -f "$(wsp_file "$name")" ] || {
      echo "  no whisper file for $name"
      bad=1
    }
  done <"$1"
  return $bad
}
check "whisper files: memory-free, memory-total" files_exist "$run/want-memory.txt"
check "whisper files: df_complex-free/size of the $(echo "$disks" | wc -l) fixed disk(s) WMI lists" \
  files_exist "$run/want-disks.txt"
check "C: is one of them" grep -q 'df_complex-size-C_$' "$run/want-disks.txt"
check "whisper files: gauge-running and gauge-state of all $(echo "$services" | wc -l) services WMI lists" \
  files_exist "$run/want-services.txt"
check "whisper files: ps_count (processes, threads) and ps_rss of all $(($(wc -l <"$run/want-processes.txt") / 3)) process names (WMI's and collectd.exe)" \
  files_exist "$run/want-processes.txt"

# at_least N LIST: each series of LIST has N points stored.
at_least() {
  awk -v n="$1" 'NR == FNR { want[$1]; next } $1 in want { c[$1]++ }
    END { for (s in want) if (c[s] < n && bad++ < 10) print "  " s ": " c[s] + 0 " points"
          if (bad > 10) print "  ... " bad - 10 " more"; exit bad > 0 }' \
    "$2" "$run/stored.txt"
}
check "each of them has at least 4 points on disk" at_least 4 "$run/want.txt"

# The stored series are exactly the ones collectd sent.
awk '{ print $1 }' "$run/sent.txt" | sort -u >"$run/sent-names.txt"
awk '{ print $1 }' "$run/stored.txt" | sort -u >"$run/stored-names.txt"
check "carbon stored the $(wc -l <"$run/sent-names.txt") series collectd sent, and no other" \
  cmp -s "$run/sent-names.txt" "$run/stored-names.txt"
# stored_as_sent: every point collectd sent (up to the last one waited
# for) is on disk, same value, in the slot of its stamp.
stored_as_sent() {
  awk -v step="$interval" 'NR == FNR { v[$1 " " $3] = $2; next }
    { key = $1 " " ($3 - $3 % step)
      if (!(key in v)) { if (bad++ < 10) print "  not stored: " $0 }
      else if (v[key] != $2) { if (bad++ < 10) print "  stored as " v[key] ": " $0 }
      n++ }
    END { exit !(n > 0 && !bad) }' "$run/stored.txt" "$run/sent.txt"
}
check "each of the $(wc -l <"$run/sent.txt") points sent is stored with its value in its slot" stored_as_sent

# ---- Storage schema and aggregation (the shipped files applied) ---------------
retentions=$(sed -n '/^\[collectd_wmi\]/,/^\[/ s/^retentions *= *//p' "$schemas")
archives=$("$PY" -c 'import sys, whisper
print(",".join("%d:%d" % whisper.parseRetentionDef(r) for r in sys.argv[1].split(",")))' "$retentions")
check "the shipped retentions ($retentions) begin with the Interval ($interval s)" \
  test "${archives%%:*}" = "$interval"
# layout_is REGEX ARCHIVES METHOD XFF: every series matching REGEX (and
# at least one) has these archives and this aggregation.
layout_is() {
  awk -v re="$1" -v a="$2" -v m="$3" -v x="$4" '$1 ~ re { n++
      if (($2 != a || $3 != m || $4 != x) && bad++ < 5) print "  " $0 }
    END { if (bad > 5) print "  ... " bad - 5 " more"; exit !(n > 0 && !bad) }' "$run/layout.txt"
}
check "service states: $archives, aggregation last, xFilesFactor 0" \
  layout_is '\.gauge-state-' "$archives" last 0.0
check "service running flags: $archives, aggregation min, xFilesFactor 0" \
  layout_is '\.gauge-running-' "$archives" min 0.0
check "the other series (memory, disks, processes): $archives, average, xFilesFactor 0.5" \
  layout_is '^collectd\.[^.]+\.wmi-(memory|logicaldisk|processes)\.' "$archives" average 0.5

# ---- Values against WMI --------------------------------------------------
# all_equal NAME VALUE: every stored point of NAME (and at least one)
# equals VALUE.
all_equal() {
  awk -v n="$1" -v want="$2" '$1 == n { c++; if ($2 != want) bad++ }
    $1 == n && $2 != want && bad == 1 { print "  " $0 " (want " want ")" }
    END { if (bad > 1) print "  ... and " bad - 1 " more point(s) of it"; exit !(c > 0 && !bad) }' "$run/stored.txt"
}
case "$total_kib" in
'' | *[!0-9]*) total_bytes="(no number from WMI)" ;;
*) total_bytes=$((total_kib * 1024)) ;;
esac
check "memory-total is TotalVisibleMemorySize * 1024 ($total_bytes) at every point" \
  all_equal "collectd.$host.wmi-memory.memory-total" "$total_bytes"
disk_sizes() {
  bad=0
  while IFS=$tab read -r id size; do
    all_equal "collectd.$host.wmi-logicaldisk.df_complex-size-$(sanitize "$id")" "$size" || bad=1
  done <<EOF
$disks
EOF
  return $bad
}
check "df_complex-size of each disk is Win32_LogicalDisk.Size ($(echo "$disks" | tr '\t\n' '= '))" disk_sizes
# The baseline's ValueMaps: running 1 for "Running", else 0; state
# Stopped 1 .. Paused 7, anything else 0.
service_states() {
  bad=0
  while IFS=$tab read -r name state; do
    case "$state" in
    Running) running=1 ;;
    *) running=0 ;;
    esac
    case "$state" in
    Stopped) code=1 ;; "Start Pending") code=2 ;; "Stop Pending") code=3 ;;
    Running) code=4 ;; "Continue Pending") code=5 ;; "Pause Pending") code=6 ;;
    Paused) code=7 ;; *) code=0 ;;
    esac
    n=$(sanitize "$name")
    all_equal "collectd.$host.wmi-services.gauge-running-$n" $running || bad=1
    all_equal "collectd.$host.wmi-services.gauge-state-$n" $code || bad=1
  done <<EOF
$services
EOF
  return $bad
}
check "running and state of every service as WMI's State maps ($(echo "$services" | cut -f2 | sort | uniq -c | awk '{ $1 = $1; printf "%s%s", sep, $0; sep = ", " }'))" \
  service_states
winedevices=$(echo "$processes" | awk -F '\t' '$1 == "winedevice.exe"' | wc -l)
check "ps_count-winedevice_exe.processes is how many winedevice.exe WMI lists ($winedevices)" \
  all_equal "collectd.$host.wmi-processes.ps_count-winedevice_exe.processes" "$winedevices"

# ---- Spacing --------------------------------------------------------------
# spaced FILE REGEX: series_report's verdict on FILE's 'name value stamp'
# lines: every series matching REGEX steps by exactly the Interval (a
# step longer is a missing point, shorter a repeated one).
spaced() {
  series_report "$1" "$2" "$interval" >"$run/report.txt"
  awk '!/^  / { show = $3 + $4 > 0 } show' "$run/report.txt" | head -n 20
  awk '!/^  / { n++; if ($3 + $4) bad++ } END { exit !(n > 0 && !bad) }' "$run/report.txt"
}
fails() { ! "$@" >/dev/null; }
# The check itself first: it must see a gap and a repeat.
printf 'a 1 100\na 1 110\na 1 130\nb 1 100\nb 1 110\nb 1 110\nc 1 100\nc 1 110\n' >"$run/spacing-probe.txt"
check "the spacing check finds a missing point" fails spaced "$run/spacing-probe.txt" '^a$'
repeat_found() { series_report "$run/spacing-probe.txt" '^b$' "$interval" | grep -q '^b 3 0 1$'; }
check "the spacing check finds a repeated point" repeat_found
check "... and passes an evenly spaced series" spaced "$run/spacing-probe.txt" '^c$'
check "on disk, every series has a point in every 10 s slot from its first to its last" \
  spaced "$run/stored.txt" '^collectd\.'
check "in write_log, every series' stamps step by exactly 10 s (none missing, none repeated)" \
  spaced "$log" "^$host\\."

# ---- The series Wine cannot produce ---------------------------------------
# The cpu, diskio, network and system queries read Win32_PerfRawData_*
# classes, which Wine lacks. Their names on Windows follow from
# conf/wmi.conf: plugin instance, each Result's Type, InstancePrefix and
# the instances of InstancesFrom, here those of a server with two
# processors, one disk and one network interface. A few points under
# each name, at this run's slots, go to carbon by line protocol: SYNTHETIC
# data, so the dashboard's panels on them can be checked and rendered.
perf_results "$SRCDIR/conf/wmi.conf" >"$run/perf_results.txt"
missing_names=$(perf_series "$run/perf_results.txt" \
  "$COLLECTD_SDK/share/types.db" 2>&1 >"$run/perf_series.txt" | tr '\n' ' ')
# Graphite names: .<data source> only for types with several; values
# that look like each kind, at the slots memory-free was stored at.
awk -F '|' -v host="$host" -v stamps="$(awk -v n="collectd.$host.wmi-memory.memory-free" \
  '$1 == n { print $3 }' "$run/stored.txt" | tr '\n' ' ')" '
  BEGIN { slots = split(stamps, t, " ") }
  { k++
    name = "collectd." host ".wmi-" $1 "." $2 ($3 != "" ? "-" $3 : "") ($5 > 1 ? "." $4 : "")
    for (i = 1; i <= slots; i++) {
      if ($2 == "uptime") v = 864000 + t[i] - t[1]
      else if ($2 == "percent") v = (7 * k + 11 * (i - 1)) % 90 + 5
      else if ($2 == "queue_length") v = (k + i - 1) % 4
      else if ($2 == "count") v = 100 * k + i - 1
      else v = 125000 * (1 + (k + i - 1) % 8)
      print name, v, t[i]
    } }' "$run/perf_series.txt" >"$run/synthetic.txt"
check "synthetic series derived from conf/wmi.conf's Win32_PerfRawData_* queries${missing_names:+ (no sample names for: $missing_names)}" \
  test -s "$run/synthetic.txt" -a -z "$missing_names"
awk '{ print $1 }' "$run/synthetic.txt" | sort -u >"$run/synthetic-names.txt"
check "none of them was stored by collectd under Wine" sh -c \
  "! awk '{ print \$1 }' '$run/stored.txt' | grep -qxFf '$run/synthetic-names.txt'"
echo "graphite: SYNTHETIC data: $(wc -l <"$run/synthetic-names.txt") series Wine cannot produce (no Win32_PerfRawData_* classes), fed by line protocol at $(awk '{ print $3 }' "$run/synthetic.txt" | sort -u | wc -l) slots:"
sed 's/^/  synthetic: /' "$run/synthetic-names.txt"
carbon_send <"$run/synthetic.txt"
awk '{ print $1, $3 }' "$run/synthetic.txt" >"$run/synthetic-slots.txt"
check "carbon stored the synthetic points" wsp_wait_all 15 <"$run/synthetic-slots.txt"
"$PY" -c 'import os, sys, whisper
for name in sys.stdin.read().split():
    info = whisper.info(os.path.join(sys.argv[1], *name.split(".")) + ".wsp")
    print(name, ",".join("%d:%d" % (a["secondsPerPoint"], a["points"]) for a in info["archives"]),
          info["aggregationMethod"], info["xFilesFactor"])' "$CARBON_WHISPER" \
  <"$run/synthetic-names.txt" >>"$run/layout.txt"
check "uptime: $archives, aggregation last, xFilesFactor 0" \
  layout_is "^collectd\\.$host\\.wmi-system\\.uptime\$" "$archives" last 0.0
check "the system counts and queues: $archives, average, xFilesFactor 0.5" \
  layout_is '^collectd\.[^.]+\.wmi-system\.(count|queue_length)-' "$archives" average 0.5
check "performance counters (cpu, diskio, network): $archives, average, xFilesFactor 0.5" \
  layout_is '^collectd\.[^.]+\.wmi-(cpu|physicaldisk|network)\.' "$archives" average 0.5

# ---- graphite-web over this run's whisper files -----------------------------
check "graphite-web starts" gweb_start "$run/gweb" "$CARBON_WHISPER" "127.0.0.1:$CARBON_QUERY_PORT"
if [ -z "$GWEB_PID" ]; then
  summary
  exit 1
fi
check "graphite-web listens on 127.0.0.1 only ($GWEB_PORT)" loopback_only "$GWEB_PID"

# The dashboard's targets: panel title, tab, target, with $host this run's.
jq -r '.. | objects | select(has("targets")) | .title as $t | .targets[]
  | select(.hide != true) | "\($t)\t\(.target)"' "$dashboard" >"$run/targets-raw.txt"
check "the dashboard has targets ($(wc -l <"$run/targets-raw.txt") in $(cut -f1 "$run/targets-raw.txt" | sort -u | wc -l) panels)" \
  test -s "$run/targets-raw.txt"
sed "s/\\\$host\\b/$host/g; s/\\\${host}/$host/g; s/\\[\\[host\\]\\]/$host/g" \
  "$run/targets-raw.txt" >"$run/targets.txt"
no_variables() { ! cut -f2 "$run/targets.txt" | grep -E '\$[A-Za-z_{]|\[\['; }
check "no other template variable in the targets" no_variables
host_query=$(jq -r '.templating.list[] | select(.name == "host") | .query | if type == "object" then .query // .target else . end' "$dashboard")
gweb_get "metrics/find?query=$(jq -rn --arg v "$host_query" '$v | @uri')" "$run/hosts.json"
check "\$host's query ($host_query) lists $host" \
  test "$(jq -r --arg h "$host" '[.[] | select(.text == $h)] | length' "$run/hosts.json" 2>/dev/null)" = 1

from=$((first - first % interval - interval))
until=$(($(date +%s) + interval))
uri() { jq -rn --arg v "$1" '$v | @uri'; }
# has_points FILE: a render's JSON holds a datapoint that is not null.
has_points() {
  [ "$(jq '[.[].datapoints[] | select(.[0] != null)] | length' "$1" 2>/dev/null)" -gt 0 ] 2>/dev/null
}
# paths_of TARGET: the series paths in a target, one per {a,b} choice.
paths_of() {
  "$PY" -c '
import itertools, re, sys
for path in re.findall(r"collectd\.(?:\{[^}]*\}|[^,()\x27\" {])+", sys.argv[1]):
    parts = re.split(r"(\{[^}]*\})", path)
    choices = [p[1:-1].split(",") if p.startswith("{") else [p] for p in parts]
    for combo in itertools.product(*choices):
        print("".join(combo))
' "$1"
}
mkdir -p "$run/render"
i=0
while IFS=$tab read -r title target; do
  i=$((i + 1))
  out=$run/render/$i.json
  if gweb_get "render?format=json&from=$from&until=$until&target=$(uri "$target")" "$out" 2>"$out.err"; then
    found=$(jq '[length, ([.[].datapoints[] | select(.[0] != null)] | length)] | "\(.[0]) series, \(.[1]) points"' -r "$out")
  else
    found="error: $(cat "$out.err")"
  fi
  check "[$title] $target: stored data ($found)" has_points "$out"
  # Each series path of the target, braces expanded, must match stored
  # series by itself: a function of several series (diffSeries, a {a,b}
  # list) still draws when one of them is missing.
  paths_of "$target" >"$run/paths.txt"
  while IFS= read -r path; do
    out=$run/render/$i-path.json
    gweb_get "render?format=json&from=$from&until=$until&target=$(uri "$path")" "$out" 2>/dev/null
    check "[$title] $path: stored data" has_points "$out"
  done <"$run/paths.txt"
done <"$run/targets.txt"

# One PNG per panel, of all its targets over the run.
rm -f "$pngdir"/*.png
mkdir -p "$pngdir"
cut -f1 "$run/targets.txt" | awk '!seen[$0]++' >"$run/panels.txt"
check "panel titles are unique (they name the PNGs)" \
  test "$(sort -u "$run/panels.txt" | wc -l)" = "$(wc -l <"$run/panels.txt")"
# is_png FILE: a PNG 1000x400 and more than a few hundred bytes.
is_png() {
  "$PY" -c 'import struct, sys
data = open(sys.argv[1], "rb").read()
ok = (data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
      and struct.unpack(">II", data[16:24]) == (1000, 400) and len(data) > 500)
sys.exit(0 if ok else 1)' "$1"
}
while IFS= read -r title; do
  file=$pngdir/$(printf '%s' "$title" | tr -cs 'A-Za-z0-9' '_' | sed 's/_$//').png
  targets=$(awk -F '\t' -v t="$title" '$1 == t { print $2 }' "$run/targets.txt" |
    while IFS= read -r target; do printf '&target=%s' "$(uri "$target")"; done)
  gweb_get "render?format=png&width=1000&height=400&hideLegend=false&from=$from&until=$until&title=$(uri "$title")$targets" "$file"
  check "PNG of \"$title\": $file ($(wc -c <"$file" 2>/dev/null || echo 0) bytes)" is_png "$file"
done <"$run/panels.txt"

if [ "$failed" -gt 0 ]; then
  echo "--- collectd log (without metrics):"
  tr -d '\r' <"$log" | grep -v -e "^$host\\." -e '^$' -e 'write_log values:$' | head -n 40
fi
echo "graphite: took $(($(date +%s) - began)) s"
summary
