#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2154
# End to end into Prometheus: collectd.exe under Wine runs the shipped
# baseline (conf/wmi.conf, with ReportStats true) at Interval 10 and
# exposes it with write_prometheus, configured with the README's block
# ("Prometheus") plus Host "127.0.0.1" on a free port; Debian's prometheus
# (prometheus_lib.sh: a throwaway one on 127.0.0.1, the README's scrape
# config) scrapes it every 10 s. Four short-lived collectd.exe, with the
# README's block as it is (no Host), with Host "0.0.0.0", Host "::" and on
# a port in use, listen on every address (of their family) for the few
# seconds of their checks. Checks:
#   - the README's blocks: collectd.conf (no Host) and prometheus.yml
#     (honor_labels: true) are what the test runs;
#   - no Host: collectd logs that it listens on [::] for IPv4 and IPv6, ss
#     shows one listening socket, dual-stack [::] ("*:PORT"), and
#     http://127.0.0.1:PORT/metrics and http://[::1]:PORT/metrics both
#     answer with the text format 0.0.4; Host "0.0.0.0" answers IPv4 only,
#     Host "::" IPv6 only, Host "127.0.0.1" listens there only; with
#     [::]:PORT held by an IPv6-only socket, collectd logs that opening
#     the socket failed and nothing else listens on PORT (no IPv4-only
#     fallback);
#   - with Prometheus' protobuf Accept header the answer is delimited
#     MetricFamily messages with the text format's families and series;
#   - the target is up, and Prometheus listens on 127.0.0.1 only;
#   - promtool check metrics parses the exposition, and the lint problems
#     it reports are exactly those the README names;
#   - names, labels, HELP and TYPE lines are exactly the README's series
#     block, both ways; every series is {wmi, type, instance="winbox"},
#     with collectd's time stamp; the performance families the README
#     lists are those the naming rule gives conf/wmi.conf's;
#   - cardinality (before the test starts a process of its own): series
#     per family by the README's rule from direct WMI queries (services,
#     process names, fixed disks), the process names themselves, the
#     ReportStats series of each query, and the README's counts;
#   - in Prometheus: instance="winbox" (collectd's label, honor_labels), no
#     exported_instance; every API answer used must have status "success";
#   - every sample Prometheus stored of memory total, each disk's size and
#     every service's running flag equals a direct WMI query;
#   - a process started by the test appears; once it ends, its series leave
#     the exposition within the README's 30 s; after a scrape without it
#     and 30 s after its last sample, Prometheus still answers that sample,
#     and the README's filter on age drops it but keeps live series;
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
# words N: N as the README writes a count, in words up to nine.
words() {
  echo "$1" | awk '{ split("one two three four five six seven eight nine", w)
    print ($1 >= 1 && $1 <= 9) ? w[$1] : $1 }'
}
contains() { case "$1" in *"$2"*) ;; *) return 1 ;; esac; } # contains TEXT PART
sum() { awk '{ n += $2 } END { print n + 0 }'; } # sum: of "name count" lines
# readme_paragraph TEXT: the README section's paragraph holding TEXT, on
# one line (in readme.section, written below).
readme_paragraph() {
  awk -v t="$1" 'BEGIN { RS = "" } index($0, t)' "$run/readme.section" |
    tr '\n' ' '
}

# Reference values, read directly before the daemon starts (this also
# warms up the prefix).
reference_values
processes=$(wmi_query "SELECT Name FROM Win32_Process" Name Name)
check "WMI answers the reference queries (memory $total_kib KiB, disks $(echo "$disks" | tr '\t\n' '= '))" \
  test -n "$total_kib" -a -n "$disks" -a -n "$services" -a -n "$processes"
# The process names the baseline shows (sanitized), once the daemon runs:
# WMI's, without this query's own wmi_query.exe, with collectd.exe.
{
  echo "$processes" | cut -f1 | grep -v -x -F wmi_query.exe
  echo collectd.exe
} | while IFS= read -r name; do
  [ -n "$name" ] && printf '%s\n' "$(sanitize "$name")"
done | sort -u >"$run/names.want"

# ---- The README's blocks -------------------------------------------------
# 1 collectd.conf, 2 prometheus.yml, 3 the series.
conf_block=$(readme_block Prometheus 1)
scrape_block=$(readme_block Prometheus 2)
readme_block Prometheus 3 >"$run/readme.series"
readme_section Prometheus >"$run/readme.section"
check "the README's collectd.conf block loads write_prometheus on port 9103, with no Host" \
  test "$conf_block" = 'LoadPlugin write_prometheus
<Plugin write_prometheus>
  Port "9103"
</Plugin>'
check "the README's series block has HELP, TYPE and series lines" \
  test "$(grep -c '^# HELP ' "$run/readme.series")" -gt 0 -a \
  "$(grep -c -v '^#' "$run/readme.series")" -gt 0

# ---- The daemons -----------------------------------------------------------
# prom_block HOST PORT: the README's block on PORT, with Host HOST (none if
# HOST is empty).
prom_block() {
  printf '%s\n' "$conf_block" | awk -v h="$1" -v p="$2" '
    { sub(/Port "9103"/, "Port \"" p "\"") } 1
    h != "" && /^<Plugin write_prometheus>$/ { print "  Host \"" h "\"" }'
}
read -r port any_port v4_port v6_port taken_port <<EOF
$(free_ports 5)
EOF
log=$run/collectd.log
# The baseline with ReportStats true (its first line in <Plugin wmi>), on
# 127.0.0.1 only.
sed 's/^<Plugin wmi>$/&\n  ReportStats true/' "$SRCDIR/conf/wmi.conf" >"$run/wmi.conf"
write_conf "$run/prometheus.conf" "$log" 5 "$(prom_block 127.0.0.1 "$port")
Include \"$(win "$run/wmi.conf")\"" 10
check "the daemon's conf has the README's block with Host \"127.0.0.1\" and this run's port, and ReportStats true" \
  sh -c 'grep -q "^  Host \"127.0.0.1\"$" "$2" && grep -q "^  Port \"$1\"$" "$2" &&
    grep -q "^  ReportStats true$" "$3"' sh "$port" "$run/prometheus.conf" "$run/wmi.conf"
start_daemon "$run/prometheus.conf" "$run/collectd.out"


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
has_families() { # has_families NAME FAMILY...
  has_name=$1
  shift
  for f in "$@"; do grep -q "^# TYPE $f " "$run/$has_name" || return 1; done
}
# shellcheck disable=SC2086 # the list's words
all_families() { has_families "$1" $families; }
while ! { scrape v4 "http://127.0.0.1:$port/metrics" && all_families v4; } &&
  [ $(($(date +%s) - daemon_started)) -lt 60 ]; do
  sleep 1
done
echo "baseline exposed after $(($(date +%s) - daemon_started)) s"

# Text and protobuf back to back: the same families and series count.
accept='application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited'
scrape text "http://127.0.0.1:$port/metrics"
scrape proto "http://127.0.0.1:$port/metrics" "$accept"

# The short-lived ones below, stopped once their checks are done (or on
# exit).
any_pid='' v4_pid='' v6_pid='' taken_pid='' holder_pid=''
stop_hosts() {
  for pid in "$any_pid" "$v4_pid" "$v6_pid" "$taken_pid"; do
    stop_pid "$pid" 50
  done
  stop_pid "$holder_pid" 10
  any_pid='' v4_pid='' v6_pid='' taken_pid='' holder_pid=''
}
on_exit stop_hosts

# The port in use: [::]:taken_port held by an IPv6-only socket, so that
# the dual-stack bind fails where IPv4 alone (0.0.0.0) would not.
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(("::", int(sys.argv[1])))
s.listen()
print("holding", flush=True)
time.sleep(600)' "$taken_port" >"$run/holder.out" 2>&1 8>&- &
holder_pid=$!
holding() { grep -q holding "$run/holder.out"; }
wait_ready "$holder_pid" 50 holding

# Four more with the README's block and no other plugin, for their
# listening checks only (started once the baseline is scraped, so as not
# to slow its start): no Host, Host "0.0.0.0", Host "::", and no Host on
# the port in use.
host_daemon() { # host_daemon NAME HOST PORT [BODY]: its pid in $host_pid
  write_conf "$run/$1.conf" "$run/$1.log" 1 "$(prom_block "$2" "$3")
${4:-}" 10
  "$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f \
    -C "$(win "$run/$1.conf")" >"$run/$1.out" 2>&1 &
  host_pid=$!
}
host_daemon any "" "$any_port"
any_pid=$host_pid
host_daemon v4only 0.0.0.0 "$v4_port"
v4_pid=$host_pid
host_daemon v6only :: "$v6_port"
v6_pid=$host_pid
host_daemon taken "" "$taken_port"
taken_pid=$host_pid
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

# ---- The exposition against the README ------------------------------------
# promtool: exit 0 clean; 3 parsed, with lint problems (one a line); 1 not
# parsed. It must parse, and its lint problems (naming conventions) must be
# exactly those the README names: in backquotes, a family's name and the
# problem, in the paragraph on `promtool check metrics`, which says how
# many.
promtool check metrics <"$run/text" >"$run/promtool.out" 2>&1
status=$?
sort -u "$run/promtool.out" >"$run/promtool.problems"
lint=$(readme_paragraph '`promtool check metrics`')
echo "$lint" | grep -o '`collectd_wmi_[a-z_]* [^`]*`' | tr -d '`' |
  sort -u >"$run/readme.problems"
check "promtool check metrics parses the exposition (exit $status: $(lines <"$run/promtool.out"))" \
  test "$status" = 0 -o "$status" = 3
check "promtool's lint problems are the README's, both ways (promtool: $(wc -l <"$run/promtool.problems"), README: $(wc -l <"$run/readme.problems"))" \
  cmp -s "$run/promtool.problems" "$run/readme.problems"
comm -3 "$run/promtool.problems" "$run/readme.problems" |
  sed 's/^\t/  only in the README: /; t; s/^/  only from promtool: /'
n=$(wc -l <"$run/promtool.problems")
check "the README says promtool reports $(words "$n") lint problem(s)" \
  contains "$lint" "reports $(words "$n") lint problem"
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
perf_queries=$(cut -d' ' -f1 "$run/perf_results.txt" | sort -u) # instances
perf_series "$run/perf_results.txt" "$COLLECTD_SDK/share/types.db" 2>/dev/null |
  awk -F '|' '{ print "collectd_wmi_" $2 ($4 == "value" ? "" : "_" $4) }' |
  sort -u | lines >"$run/perf.families"
got=$(awk '/^On Windows the performance queries/ { p = 1 } p && /^$/ { exit } p' \
  "$run/readme.section" | grep -o '`collectd_wmi_[a-z_]*`' | tr -d '`' | sort -u | lines)
check "the README names the performance queries' families ($got; by the rule: $(cat "$run/perf.families"))" \
  test -n "$got" -a "$got" = "$(cat "$run/perf.families")"

# ---- Cardinality -----------------------------------------------------------
# Of the exposition before the test starts a process of its own. Series
# per family by the README's rule, from the direct WMI queries: two per
# service (running- and state-), three per process name, two for memory,
# two per fixed disk.
n_services=$(echo "$services" | grep -c .)
n_names=$(wc -l <"$run/names.want")
n_disks=$(echo "$disks" | grep -c .)
printf '%s\n' "collectd_wmi_df_complex $((2 * n_disks))" \
  "collectd_wmi_gauge $((2 * n_services))" "collectd_wmi_memory 2" \
  "collectd_wmi_ps_count_processes $n_names" \
  "collectd_wmi_ps_count_threads $n_names" "collectd_wmi_ps_rss $n_names" \
  >"$run/rule.families"
stats_re='^collectd_wmi_(errors_total|duration_seconds|objects)'
grep -v -E "$stats_re " "$run/text.families" >"$run/values.families"
check "series per family: the README's rule for WMI's $n_services services, $n_names process names and $n_disks fixed disks ($(lines <"$run/values.families"))" \
  cmp -s "$run/rule.families" "$run/values.families"
cmp -s "$run/rule.families" "$run/values.families" ||
  diff "$run/rule.families" "$run/values.families" | sed 's/^/  /'
grep '^collectd_wmi_ps_count_processes{' "$run/text.keys" |
  sed 's/.*type="\([^"]*\)".*/\1/' | sort -u >"$run/names.got"
check "the process names exposed are WMI's (with collectd.exe, without wmi_query.exe)" \
  cmp -s "$run/names.want" "$run/names.got"
comm -3 "$run/names.want" "$run/names.got" |
  sed 's/^\t/  exposed only: /; t; s/^/  WMI only: /'
# ReportStats: each query of conf/wmi.conf (by plugin instance) has the
# series the manual lists; one without a completed run (the performance
# queries under Wine) has neither duration last_run nor objects returned.
queries=$(awk '/^[ \t]*#/ { next }
  /<Query "/ { if (q != "") print q; split($0, a, "\""); q = a[2] }
  /^[ \t]*PluginInstance / { split($0, a, "\""); q = a[2] }
  END { if (q != "") print q }' "$SRCDIR/conf/wmi.conf")
sed -n -E 's/^=item C<(duration|errors|objects)-([a-z_]+)>$/\1 \2/p' \
  "$SRCDIR/doc/collectd-wmi.pod" | sed -e 's/^duration /duration_seconds:/' \
  -e 's/^errors /errors_total:/' -e 's/^objects /objects:/' >"$run/stats.manual"
for q in $queries; do
  if echo "$perf_queries" | grep -q -x -F "$q"; then
    grep -v -x -e duration_seconds:last_run -e objects:returned "$run/stats.manual"
  else
    cat "$run/stats.manual"
  fi | sed "s/^/$q /"
done | sort >"$run/stats.want"
grep -E "$stats_re\\{" "$run/text.keys" |
  sed -E 's/^collectd_wmi_([a-z_]+)\{wmi="([^"]*)",type="([^"]*)".*/\2 \1:\3/' |
  sort >"$run/stats.got"
check "ReportStats: the manual's $(wc -l <"$run/stats.manual") series for each of the baseline's $(echo "$queries" | wc -l) queries, but last_run and returned for the performance queries ($(wc -l <"$run/stats.got") series)" \
  cmp -s "$run/stats.want" "$run/stats.got"
comm -3 "$run/stats.want" "$run/stats.got" |
  sed 's/^\t/  exposed only: /; t; s/^/  not exposed: /'
# The README's counts, as this run measured them.
card=$(readme_paragraph 'Cardinality, per Windows host')
per=$(wc -l <"$run/stats.manual")
n_queries=$(echo "$queries" | wc -l)
fixed="$(words "$n_disks") fixed disk"
[ "$n_disks" = 1 ] || fixed="${fixed}s"
for phrase in \
  "two series per service, three per process name, two for memory and two per fixed disk" \
  "under Wine ($n_services services, $n_names process names, $fixed) that is $(sum <"$run/values.families")" \
  "adds up to $per per query, $((per * n_queries)) for the baseline's $n_queries" \
  "it adds $(wc -l <"$run/stats.got") ($(sum <"$run/text.families") series in $(wc -l <"$run/text.families") families)"; do
  check "the README's cardinality says: $phrase" contains "$card" "$phrase"
done

# ---- Listening --------------------------------------------------------------
# logged NAME TEXT: NAME's log (without CRs) has a line with TEXT.
logged() { tr -d '\r' <"$run/$1.log" 2>/dev/null | grep -q -F "$2"; }
# listeners PORT: the local addresses of the TCP sockets listening on PORT
# (ss; "*:PORT" is [::] dual-stack, "[::]:PORT" IPv6 only).
listeners() { ss -Hltn "sport = :$1" | awk '{ print $4 }' | sort | lines; }
text_format() { # text_format NAME: answered 200 with the text format 0.0.4
  test "$(info "$1" 1) $(info "$1" 2)" = "200 text/plain; version=0.0.4"
}

# No Host: one dual-stack socket on [::], IPv4 and IPv6 clients answered.
any_ready() { scrape any4 "http://127.0.0.1:$any_port/metrics" && text_format any4; }
wait_ready "$any_pid" 300 any_ready
scrape any6 "http://[::1]:$any_port/metrics"
check "no Host: collectd logs listening on [::]:$any_port for IPv4 and IPv6" \
  logged any "write_prometheus plugin: Listening on [::]:$any_port (IPv4 and IPv6)."
check "no Host: http://127.0.0.1:$any_port/metrics answers 200 with the text format 0.0.4 ($(info any4 1), $(info any4 2), $(cat "$run/any4.err"))" \
  text_format any4
check "no Host: http://[::1]:$any_port/metrics answers 200 with the text format 0.0.4 ($(info any6 1), $(info any6 2), $(cat "$run/any6.err"))" \
  text_format any6
got=$(listeners "$any_port")
check "no Host: one socket listens on port $any_port, on [::] dual-stack (ss: $got)" \
  test "$got" = "*:$any_port"
echo "the socket of [::]:$any_port is held by: $(ss -Hltnp "sport = :$any_port" |
  grep -o 'users:.*')"

# Host "127.0.0.1": that address only.
check "Host \"127.0.0.1\": collectd logs listening on [127.0.0.1]:$port" \
  logged collectd "write_prometheus plugin: Listening on [127.0.0.1]:$port."
got=$(listeners "$port")
check "Host \"127.0.0.1\": one socket listens on port $port, on 127.0.0.1 (ss: $got)" \
  test "$got" = "127.0.0.1:$port"
check "http://127.0.0.1:$port/metrics answers 200 with the text format 0.0.4 ($(info v4 1), $(info v4 2), $(cat "$run/v4.err"))" \
  text_format v4
check "the baseline's families ($(echo "$families" | lines))" all_families v4

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
  logged v4only "write_prometheus plugin: Listening on [0.0.0.0]:$v4_port."

# The port in use on IPv6: an error, and no IPv4-only listener instead.
taken_logged() {
  logged taken "write_prometheus plugin: Opening a listening socket" ||
    logged taken "write_prometheus plugin: Listening on"
}
wait_ready "$taken_pid" 300 taken_logged
got=$(listeners "$taken_port")
# The README's error line, on this port.
in_use=$(readme_paragraph 'port already in use' |
  grep -o '`write_prometheus plugin: Opening [^`]*`' | tr -d '`' |
  sed "s/\\]:9103 /]:$taken_port /")
check "port in use: collectd logs the README's error (${in_use:-none in the README})" \
  eval '[ -n "$in_use" ] && logged taken "$in_use"'
check "port in use: nothing but the IPv6-only holder listens on it, not 0.0.0.0 either (ss: $got; 127.0.0.1: $(code "http://127.0.0.1:$taken_port/metrics"))" \
  test "$got $(code "http://127.0.0.1:$taken_port/metrics")" = "[::]:$taken_port 000"
stop_hosts

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
q() { prom_query "$@" >"$run/answer.json"; } # then answer
# answer FILTER: FILTER's output on the last answer if its status is
# "success", else "error: " and Prometheus' error (prom_jq).
answer() { prom_jq "($1)" <"$run/answer.json"; }
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
# scrape without the series, and once its last sample is over 30 s old, an
# instant query (now) still gives that sample, which the README's filter on
# its age drops while it keeps the live series.
left_at=$(date +%s)
scraped_since() {
  q 'timestamp(up{job="collectd"})'
  [ "$(answer '.data.result[0].value[1] // "0" | tonumber | floor')" -gt "$left_at" ] 2>/dev/null
}
wait_ready "$prom_pid" 200 scraped_since
q "timestamp($gone_key)"
last=$(answer '.data.result[0].value[1] // "0" | tonumber | floor')
case "$last" in '' | *[!0-9]*) last=0 ;; esac
while [ "$(date +%s)" -le $((last + 30)) ]; do sleep 1; done
types() { answer '[.data.result[].metric.type] | sort | join(" ")'; }
q collectd_wmi_ps_count_processes
all=$(types)
filter=$(readme_paragraph 'staleness marker' | grep -o '`[^`]*timestamp([^`]*`' |
  tr -d '`')
q "$filter"
live=$(types)
q "$(echo "$filter" | sed 's/collectd_wmi_ps_count_processes/collectd_wmi_memory{type="total"}/g')"
memory=$(types)
check "after a scrape without it, Prometheus still answers the ended process's last sample, $(($(date +%s) - last)) s old (collectd_wmi_ps_count_processes: $all)" \
  contains " $all " " wmigone_exe "
check "the README's filter ($filter) drops it, keeps the live ones ($live) and memory total ($memory)" \
  sh -c 'case " $1 " in *" wmigone_exe "*) false ;; *" collectd_exe "*) [ "$2" = total ] ;; *) false ;; esac' \
  sh "$live" "$memory"

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
