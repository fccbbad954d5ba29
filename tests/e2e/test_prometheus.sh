#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2154
# End to end into Prometheus: collectd.exe under Wine runs the shipped
# baseline (conf/wmi.conf, with ReportStats true) at Interval 10 and
# exposes it with write_prometheus, configured with the README's block
# ("Prometheus") on a free port; Debian's prometheus (prometheus_lib.sh: a
# throwaway one on 127.0.0.1, the README's scrape config) scrapes it every
# 10 s. Checks:
#   - the README's blocks: collectd.conf (no Host) and prometheus.yml
#     (honor_labels: true) are what the test runs;
#   - collectd logs that it listens on [::] for IPv4 and IPv6, and
#     http://127.0.0.1:PORT/metrics and http://[::1]:PORT/metrics both
#     answer with the text format 0.0.4; with Prometheus' protobuf Accept
#     header the answer is delimited MetricFamily messages with the same
#     families and as many series; Host "0.0.0.0" answers IPv4 only, Host
#     "::" IPv6 only;
#   - the target is up, and Prometheus listens on 127.0.0.1 only;
#   - promtool check metrics parses the exposition, and its lint problems
#     are the one the README names;
#   - names, labels, HELP and TYPE lines are exactly the README's series
#     block, both ways; every series is {wmi, type, instance="winbox"},
#     with collectd's time stamp; the performance families the README
#     lists are those the naming rule gives conf/wmi.conf's;
#   - in Prometheus: instance="winbox" (collectd's label, honor_labels), no
#     exported_instance;
#   - every sample Prometheus stored of memory total, each disk's size and
#     every service's running flag equals a direct WMI query;
#   - a process started by the test appears; once it ends, its series leave
#     the exposition within the README's 30 s, and Prometheus still
#     answers its last sample but not through the README's filter on age;
#   - the ReportStats errors series are counters, and rate() of them
#     answers.
# Prints the scrape time and size of both formats, series and families.
# About 80 s. Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR;
# make check sets them. curl and jq talk to Prometheus' API.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/prometheus_lib.sh"
suite=prometheus
begun=$(date +%s)

e2e_begin

lines() { tr '\n' ' ' | sed 's/ $//'; }

# Reference values, read directly before the daemon starts (this also
# warms up the prefix).
total_kib=$(wmi_query "SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem" \
  TotalVisibleMemorySize TotalVisibleMemorySize | cut -f2)
disks=$(wmi_query "SELECT DeviceID, Size FROM Win32_LogicalDisk WHERE DriveType = 3" \
  DeviceID Size)
services=$(wmi_query "SELECT Name, State FROM Win32_Service" Name State)
check "WMI answers the reference queries (memory $total_kib KiB, disks $(echo "$disks" | tr '\t\n' '= '))" \
  test -n "$total_kib" -a -n "$disks" -a -n "$services"

# ---- The README's blocks -------------------------------------------------
# 1 collectd.conf, 2 prometheus.yml, 3 the series.
conf_block=$(readme_block Prometheus 1)
scrape_block=$(readme_block Prometheus 2)
readme_block Prometheus 3 >"$run/readme.series"
check "the README's collectd.conf block loads write_prometheus on port 9103, with no Host" \
  test "$conf_block" = 'LoadPlugin write_prometheus
<Plugin write_prometheus>
  Port "9103"
</Plugin>'
check "the README's series block has HELP, TYPE and series lines" \
  test "$(grep -c '^# HELP ' "$run/readme.series")" -gt 0 -a \
  "$(grep -c -v '^#' "$run/readme.series")" -gt 0

# ---- collectd.exe with the README's block ---------------------------------
ports=$(free_ports 3)
port=${ports%% *} v4_port=$(echo "$ports" | cut -d' ' -f2) v6_port=${ports##* }
log=$run/collectd.log
# The baseline with ReportStats true (its first line in <Plugin wmi>).
sed 's/^<Plugin wmi>$/&\n  ReportStats true/' "$SRCDIR/conf/wmi.conf" >"$run/wmi.conf"
write_conf "$run/prometheus.conf" "$log" 5 "$(printf '%s\n' "$conf_block" |
  sed "s/Port \"9103\"/Port \"$port\"/")
Include \"$(win "$run/wmi.conf")\"" 10
check "the daemon's conf has the README's block with this run's port and ReportStats true" \
  sh -c 'grep -q "^  Port \"$1\"$" "$2" && grep -q "^  ReportStats true$" "$3"' \
  sh "$port" "$run/prometheus.conf" "$run/wmi.conf"
start_daemon "$run/prometheus.conf" "$run/collectd.out"

# Two more, with write_prometheus only: Host "0.0.0.0" and Host "::".
host_daemon() { # host_daemon NAME HOST PORT: its pid in $host_pid
  write_conf "$run/$1.conf" "$run/$1.log" 1 "LoadPlugin write_prometheus
<Plugin write_prometheus>
  Host \"$2\"
  Port \"$3\"
</Plugin>" 10
  "$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
    -C "$(win "$run/$1.conf")" >"$run/$1.out" 2>&1 &
  host_pid=$!
}
host_daemon v4only 0.0.0.0 "$v4_port"
v4_pid=$host_pid
host_daemon v6only :: "$v6_port"
v6_pid=$host_pid
stop_hosts() { stop_pid "$v4_pid" 50; stop_pid "$v6_pid" 50; }
on_exit stop_hosts

# scrape NAME URL [ACCEPT]: the answer's body in $run/NAME, and
# "code content-type seconds bytes" in $run/NAME.info.
scrape() {
  curl -sS -g --max-time 10 ${3:+-H "Accept: $3"} -o "$run/$1" \
    -w '%{http_code}\n%{content_type}\n%{time_total}\n%{size_download}\n' \
    "$2" >"$run/$1.info" 2>"$run/$1.err"
}
info() { sed -n "$2p" "$run/$1.info"; } # info NAME LINE
# The families of the queries Wine answers (the others read performance
# classes it lacks), and ReportStats'.
families="collectd_wmi_memory collectd_wmi_df_complex collectd_wmi_gauge
  collectd_wmi_ps_count_processes collectd_wmi_ps_rss collectd_wmi_errors_total
  collectd_wmi_duration_seconds collectd_wmi_objects"
all_families() {
  for f in $families; do grep -q "^# TYPE $f " "$run/$1" || return 1; done
}
while ! { scrape v4 "http://127.0.0.1:$port/metrics" && all_families v4; } &&
  [ $(($(date +%s) - daemon_started)) -lt 60 ]; do
  sleep 1
done
echo "baseline exposed after $(($(date +%s) - daemon_started)) s"

# ---- Listening: IPv4 and IPv6, both formats -------------------------------
check "collectd logs listening on [::]:$port for IPv4 and IPv6" \
  grep -q "write_prometheus plugin: Listening on \[::\]:$port (IPv4 and IPv6)" "$log"
check "IPv4: http://127.0.0.1:$port/metrics answers 200 ($(info v4 1), $(cat "$run/v4.err"))" \
  test "$(info v4 1)" = 200
check "IPv4: text format 0.0.4 ($(info v4 2))" \
  test "$(info v4 2)" = "text/plain; version=0.0.4"
check "IPv4: the baseline's families ($(echo "$families" | lines))" all_families v4
scrape v6 "http://[::1]:$port/metrics"
check "IPv6: http://[::1]:$port/metrics answers 200 ($(info v6 1), $(cat "$run/v6.err"))" \
  test "$(info v6 1)" = 200
check "IPv6: the baseline's families" all_families v6

# Text and protobuf back to back: the same families and series count.
accept='application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited'
scrape text "http://127.0.0.1:$port/metrics"
scrape proto "http://127.0.0.1:$port/metrics" "$accept"
check "protobuf: answers 200 with its content type ($(info proto 1), $(info proto 2))" \
  test "$(info proto 1) $(info proto 2)" = "200 application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
# Families and series of each: "name count" lines, sorted.
grep -v -e '^#' -e '^$' "$run/text" | sed 's/[{ ].*//' | sort | uniq -c |
  awk '{ print $2, $1 }' >"$run/text.families"
# The delimited format: a varint length, then a MetricFamily message
# (field 1 name, 4 metric, both length-delimited); decoded by hand.
/usr/bin/python3 -c 'import sys
data = open(sys.argv[1], "rb").read()
def varint(b, i):
    n = s = 0
    while True:
        c = b[i]; i += 1; n |= (c & 0x7f) << s; s += 7
        if c < 0x80: return n, i
i = 0
out = []
while i < len(data):
    size, i = varint(data, i)
    msg, i = data[i:i + size], i + size
    j, name, metrics = 0, None, 0
    while j < len(msg):
        key, j = varint(msg, j)
        if key & 7 == 2:
            size, j = varint(msg, j)
            if key >> 3 == 1: name = msg[j:j + size].decode()
            if key >> 3 == 4: metrics += 1
            j += size
        elif key & 7 == 0:
            _, j = varint(msg, j)
        else:
            sys.exit("unexpected wire type %d" % (key & 7))
    out.append("%s %d" % (name, metrics))
print("\n".join(sorted(out)))' "$run/proto" >"$run/proto.families" 2>"$run/proto.err"
check "protobuf: decodes as delimited MetricFamily messages ($(cat "$run/proto.err"))" \
  test -s "$run/proto.families" -a ! -s "$run/proto.err"
check "protobuf: the text format's families and series counts" \
  cmp -s "$run/text.families" "$run/proto.families"
cmp -s "$run/text.families" "$run/proto.families" ||
  diff "$run/text.families" "$run/proto.families" | head -n 10

# Host "0.0.0.0": IPv4 only; Host "::": IPv6 only (answered: any HTTP code).
code() { curl -s -g --max-time 5 -o /dev/null -w '%{http_code}' "$1"; }
answers() { [ "$(code "$1")" != 000 ]; }
wait_ready "$v4_pid" 300 answers "http://127.0.0.1:$v4_port/metrics"
wait_ready "$v6_pid" 300 answers "http://[::1]:$v6_port/metrics"
got="$(code "http://127.0.0.1:$v4_port/metrics") $(code "http://[::1]:$v4_port/metrics")"
check "Host \"0.0.0.0\": 127.0.0.1 answers 200, [::1] is refused ($got)" \
  test "$got" = "200 000"
got="$(code "http://127.0.0.1:$v6_port/metrics") $(code "http://[::1]:$v6_port/metrics")"
check "Host \"::\": [::1] answers 200, 127.0.0.1 is refused ($got)" \
  test "$got" = "000 200"
check "Host \"0.0.0.0\": logs listening on [0.0.0.0]:$v4_port" \
  sh -c 'tr -d "\r" <"$1" | grep -q "Listening on \[0.0.0.0\]:$2\.\$"' \
  sh "$run/v4only.log" "$v4_port"
stop_hosts

# ---- The exposition against the README ------------------------------------
# promtool: exit 0 clean; 3 parsed, with lint problems (one a line); 1 not
# parsed. It must parse; a lint problem (a naming convention) must be one
# the README names, in backquotes.
promtool check metrics <"$run/text" >"$run/promtool.out" 2>&1
status=$?
readme_section Prometheus >"$run/readme.section"
undocumented=$(while IFS= read -r problem; do
  grep -qF "\`$problem\`" "$run/readme.section" || echo "$problem"
done <"$run/promtool.out")
check "promtool check metrics parses the exposition (exit $status: $(tr '\n' ' ' <"$run/promtool.out"))" \
  test "$status" = 0 -o "$status" = 3
check "promtool's lint problems are the README's (undocumented: ${undocumented:-none})" \
  test -z "$undocumented" -a \( "$status" = 0 -o -s "$run/promtool.out" \)
# Every HELP and TYPE line of the README's block is in the exposition, and
# every family of the exposition has the README's HELP and TYPE.
grep -E '^# (HELP|TYPE) ' "$run/readme.series" | sort >"$run/readme.meta"
grep -E '^# (HELP|TYPE) ' "$run/text" | sort >"$run/text.meta"
check "HELP and TYPE lines: the README's block and the exposition have the same ($(wc -l <"$run/text.meta") there)" \
  cmp -s "$run/readme.meta" "$run/text.meta"
cmp -s "$run/readme.meta" "$run/text.meta" ||
  diff "$run/readme.meta" "$run/text.meta" | sed 's/^/  /' | head -n 20
# Every series line of the block (name and labels) is in the exposition.
series_key() { grep -v -e '^#' -e '^$' | sed 's/}.*/}/' | sort -u; }
series_key <"$run/readme.series" >"$run/readme.keys"
series_key <"$run/text" >"$run/text.keys"
check "every series the README's block shows is exposed ($(wc -l <"$run/readme.keys"))" \
  test -z "$(comm -23 "$run/readme.keys" "$run/text.keys")"
comm -23 "$run/readme.keys" "$run/text.keys" | sed 's/^/  not exposed: /' | head
bad=$(grep -v -E '^collectd_wmi_[a-z_]+\{wmi="[a-z]+",type="[^"]+",instance="winbox"\}$' \
  "$run/text.keys")
check "every series is collectd_wmi_<type>{wmi=\"<query>\",type=\"<type instance>\",instance=\"winbox\"} ($(wc -l <"$run/text.keys"))" \
  test -z "$bad"
[ -z "$bad" ] || echo "$bad" | sed 's/^/  /' | head
# Time stamps: collectd's, in ms, of the last 30 s (a scrape of now).
bad=$(grep -v -e '^#' -e '^$' "$run/text" | awk -v now="$(date +%s)" '
  NF != 3 || $3 !~ /^[0-9]+$/ || $3 / 1000 < now - 30 || $3 / 1000 > now + 1')
check "every sample carries a time stamp in ms of the last 30 s" test -z "$bad"
[ -z "$bad" ] || echo "$bad" | sed 's/^/  /' | head -n 5
# The performance queries' families (Wine cannot produce them), by the
# naming rule the exposition follows: collectd_wmi_<type>, plus
# _<data source> unless it is "value"; against the README's list of them.
perf_results "$SRCDIR/conf/wmi.conf" >"$run/perf_results.txt"
perf_series "$run/perf_results.txt" "$COLLECTD_SDK/share/types.db" 2>/dev/null |
  awk -F '|' '{ print "collectd_wmi_" $2 ($4 == "value" ? "" : "_" $4) }' |
  sort -u | lines >"$run/perf.families"
got=$(awk '/^On Windows the performance queries/ { p = 1 } p && /^$/ { exit } p' \
  "$run/readme.section" | grep -o '`collectd_wmi_[a-z_]*`' | tr -d '`' | sort -u | lines)
check "the README names the performance queries' families ($got; by the rule: $(cat "$run/perf.families"))" \
  test -n "$got" -a "$got" = "$(cat "$run/perf.families")"

# ---- Prometheus -----------------------------------------------------------
prom_start "127.0.0.1:$port" 10s || {
  summary
  exit 1
}
check "prometheus listens on 127.0.0.1 only" loopback_only "$prom_pid"
# The README's scrape config is the one Prometheus runs with (but for the
# target).
got=$(sed -n '/^scrape_configs:/,$p' "$prom_dir/prometheus.yml" |
  sed "s/127.0.0.1:$port/winbox.example.com:9103/")
check "the README's scrape config (honor_labels: true) is the one Prometheus runs" \
  test "$got" = "$scrape_block"

# The process that goes away: a copy of Wine's cmd.exe under a name of its
# own, reading a FIFO the test holds open; it ends when the test closes it.
cp /usr/lib/x86_64-linux-gnu/wine/x86_64-windows/cmd.exe "$run/wmigone.exe"
mkfifo "$run/gone.in"
"$SRCDIR/tests/wine/wine-run.sh" "$run/wmigone.exe" <"$run/gone.in" \
  >/dev/null 2>&1 &
gone_pid=$!
exec 7>"$run/gone.in"
gone_key='collectd_wmi_ps_count_processes{wmi="processes",type="wmigone_exe",instance="winbox"}'
gone_exposed() {
  scrape gone "http://127.0.0.1:$port/metrics" &&
    grep -qF "$gone_key" "$run/gone"
}
appeared=0
wait_ready "$gone_pid" 300 gone_exposed && appeared=1
check "the test's process appears: $gone_key" test "$appeared" = 1
target_up() { [ "$(prom_target_health | cut -d' ' -f1)" = up ]; }
wait_ready "$prom_pid" 300 target_up
check "the target is up ($(prom_target_health))" target_up

# Samples stored for 3 scrapes or more, then the process ends.
q() { prom_query "$@" >"$run/answer.json"; } # then jq on answer.json
answer() { jq -r "$@" "$run/answer.json"; }
samples() { # samples: how many samples of memory total are stored
  q 'count_over_time(collectd_wmi_memory{type="total"}[10m])'
  answer '.data.result[0].value[1] // 0'
}
three() { [ "$(samples)" -ge 3 ]; }
wait_ready "$prom_pid" 600 three
exec 7>&-
wait "$gone_pid"
gone_at=$(date +%s)
gone_left() { ! gone_exposed; }
wait_ready "$prom_pid" 450 gone_left
left=$(($(date +%s) - gone_at))
check "once the process ends, its series leave the exposition within 30 s (after $left s)" \
  sh -c '[ "$4" = 1 ] && ! grep -qF "$1" "$2" && [ "$3" -le 30 ]' sh \
  "$gone_key" "$run/gone" "$left" "$appeared"
echo "the ended process's series left the exposition $left s after it ended"
# Prometheus writes no staleness marker for time-stamped samples: after a
# scrape without the series, an instant query still gives its last sample,
# which the README's filter on its age drops.
left_at=$(date +%s)
scraped_since() {
  q 'timestamp(up{job="collectd"})'
  [ "$(answer '.data.result[0].value[1] // "0" | tonumber | floor')" -gt "$left_at" ]
}
wait_ready "$prom_pid" 200 scraped_since
q "timestamp($gone_key)"
last=$(answer '.data.result[0].value[1] // "0" | tonumber | floor')
q "$gone_key" $((last + 31))
n=$(answer '.data.result | length')
q "$gone_key and timestamp($gone_key) > time() - 30" $((last + 31))
check "Prometheus, after a scrape without it, still answers its last sample ($n series) but not with the README's filter on its age ($(answer '.data.result | length'))" \
  test "$n" = 1 -a "$(answer '.data.result | length')" = 0

# honor_labels: collectd's instance, not the target's address.
q 'count by (instance) ({__name__=~"collectd_.+"})'
got=$(answer '[.data.result[] | "\(.metric.instance)=\(.value[1])"] | join(" ")')
check "in Prometheus every collectd series has instance=\"winbox\" ($got)" \
  sh -c 'case "$1" in winbox=[0-9]*) ! echo "$1" | grep -q " " ;; *) false ;; esac' sh "$got"
q 'count({exported_instance!=""})'
check "no series has exported_instance ($(answer '.data.result[0].value[1] // 0'))" \
  test "$(answer '.data.result | length')" = 0

# Values against WMI at every sample Prometheus stored. stored SELECTOR:
# "type value" of each distinct stored sample value, sorted.
stored() {
  q "$1[10m]"
  answer '.data.result[] | .metric.type as $t | .values[] | "\($t) \(.[1])"' | sort -u
}
q 'count_over_time(collectd_wmi_memory{type="total"}[10m])'
n=$(answer '.data.result[0].value[1] // 0')
case "$total_kib" in
'' | *[!0-9]*) want="(no number from WMI: '$total_kib')" ;;
*) want="total $((total_kib * 1024))" ;;
esac
got=$(stored 'collectd_wmi_memory{type="total"}' | lines)
check "memory total is TotalVisibleMemorySize * 1024 at every one of $n samples ($got; $want)" \
  test "$n" -ge 3 -a "$got" = "$want"
want=$(echo "$disks" | disk_sizes | lines)
got=$(stored 'collectd_wmi_df_complex{type=~"size-.*"}' | lines)
check "each fixed disk's size is WMI's Size at every sample ($got; WMI: $want)" \
  test -n "$want" -a "$got" = "$want"
echo "$services" | awk -F '\t' '$1 != "" {
  printf "running-%s %d\n", $1, $2 == "Running" }' |
  while read -r name value; do
    echo "$(sanitize "$name") $value"
  done | sort >"$run/services.want"
stored 'collectd_wmi_gauge{wmi="services",type=~"running-.*"}' >"$run/services.got"
check "every service's running flag at every sample is 1 if WMI's State is Running, else 0 ($(wc -l <"$run/services.want") services)" \
  test -s "$run/services.want" -a -z "$(comm -3 "$run/services.want" "$run/services.got")"
comm -3 "$run/services.want" "$run/services.got" | sed 's/^/  /' | head

# ReportStats: the errors series are counters that rate() takes.
check "collectd_wmi_errors_total is a counter" \
  grep -qx '# TYPE collectd_wmi_errors_total counter' "$run/text"
q 'rate(collectd_wmi_errors_total[1m])'
got=$(answer '.data.result | length')
check "rate(collectd_wmi_errors_total[1m]) answers ($got series, e.g. $(answer '.data.result[0] | "\(.metric.wmi)/\(.metric.type)=\(.value[1])"'))" \
  test "${got:-0}" -gt 0
q 'sum(rate(collectd_wmi_errors_total{type="failed_runs"}[1m]))'
echo "failed runs per second (the performance queries under Wine): $(answer '.data.result[0].value[1]')"

echo "scrape of the baseline with ReportStats: text $(info text 4) bytes in $(info text 3) s," \
  "protobuf $(info proto 4) bytes in $(info proto 3) s," \
  "$(awk '{ n += $2 } END { print n }' "$run/text.families") series in" \
  "$(wc -l <"$run/text.families") families;" \
  "without ReportStats: $(grep -c -v -E '^($|#|collectd_wmi_(errors_total|duration_seconds|objects)\{)' "$run/text") series"
if [ "$failed" -gt 0 ]; then
  echo "--- collectd log:"
  tr -d '\r' <"$log" | grep -vE '^[^ ]+ [^ ]+ [0-9]+$' | head -n 40
fi
echo "$suite: took $(($(date +%s) - begun)) s"
summary
