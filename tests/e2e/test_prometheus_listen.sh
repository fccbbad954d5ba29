#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2034,SC2154
# write_prometheus in the Windows build, under Wine (a draft of what
# test_prometheus.sh will build on): collectd.exe with wmi.dll and the
# baseline (conf/wmi.conf, Interval 10), write_prometheus with no Host on a
# free port. Checks:
#   - collectd logs that it listens on [::] for IPv4 and IPv6;
#   - http://127.0.0.1:PORT/metrics and http://[::1]:PORT/metrics both
#     answer 200 with the text format (version 0.0.4), carrying the
#     baseline's series once every query Wine answers has run;
#   - with Prometheus' protobuf Accept header, the answer is the delimited
#     protobuf format: MetricFamily messages with the text format's families
#     and as many series.
# Prints the scrape time and the size of both expositions. About 40 s.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=prometheus_listen

e2e_begin
port=$(free_ports 1)
log=$run/collectd.log
write_conf "$run/prometheus.conf" "$log" 5 "LoadPlugin write_prometheus
<Plugin write_prometheus>
  Port \"$port\"
</Plugin>
Include \"$(win "$SRCDIR/conf/wmi.conf")\"" 10

# scrape NAME URL [ACCEPT]: the answer's body in $run/NAME, and
# "code content-type seconds bytes" in $run/NAME.info.
scrape() {
  curl -sS -g --max-time 10 ${3:+-H "Accept: $3"} -o "$run/$1" \
    -w '%{http_code}\n%{content_type}\n%{time_total}\n%{size_download}\n' \
    "$2" >"$run/$1.info" 2>"$run/$1.err"
}
info() { sed -n "$2p" "$run/$1.info"; } # info NAME LINE
# The families of the queries Wine answers (the others read performance
# classes it lacks).
families="collectd_wmi_memory collectd_wmi_df_complex collectd_wmi_gauge
  collectd_wmi_ps_count_processes collectd_wmi_ps_rss"
all_families() {
  for f in $families; do grep -q "^# TYPE $f " "$run/$1" || return 1; done
}

start_daemon "$run/prometheus.conf" "$run/collectd.out"
while ! { scrape v4 "http://127.0.0.1:$port/metrics" && all_families v4; } &&
  [ $(($(date +%s) - daemon_started)) -lt 60 ]; do
  sleep 1
done
echo "baseline exposed after $(($(date +%s) - daemon_started)) s"

check "collectd logs listening on [::]:$port for IPv4 and IPv6" \
  grep -q "write_prometheus plugin: Listening on \[::\]:$port (IPv4 and IPv6)" "$log"
check "IPv4: http://127.0.0.1:$port/metrics answers 200 ($(info v4 1), $(cat "$run/v4.err"))" \
  test "$(info v4 1)" = 200
check "IPv4: text format 0.0.4 ($(info v4 2))" \
  test "$(info v4 2)" = "text/plain; version=0.0.4"
check "IPv4: the baseline's families ($families)" all_families v4

scrape v6 "http://[::1]:$port/metrics"
check "IPv6: http://[::1]:$port/metrics answers 200 ($(info v6 1), $(cat "$run/v6.err"))" \
  test "$(info v6 1)" = 200
check "IPv6: the baseline's families" all_families v6

# Text and protobuf back to back: the same families and series count
# (a process starting in between would fail this; none does in the prefix).
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
[ "$failed" = 0 ] || diff "$run/text.families" "$run/proto.families" | head -n 10

echo "scrape of the baseline: text $(info text 4) bytes in $(info text 3) s," \
  "protobuf $(info proto 4) bytes in $(info proto 3) s," \
  "$(awk '{ n += $2 } END { print n }' "$run/text.families") series in" \
  "$(wc -l <"$run/text.families") families"
summary
