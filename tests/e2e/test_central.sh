#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2154
# The central-collector route: Windows agents (collectd.exe under Wine)
# send with collectd's network plugin, SecurityLevel Encrypt, to a central
# Linux collectd (Debian's collectd-core) on 127.0.0.1, which writes with
# write_graphite into a throwaway carbon-cache (carbon_lib.sh) and exposes
# them with write_prometheus to a throwaway Prometheus (prometheus_lib.sh,
# scraping every 5 s). The agent's and the server's blocks and the scrape
# config are the README's ("Central collector"), with only the example
# host, ports and path replaced. Three agents run at once:
#   - winbox: the baseline (conf/wmi.conf), user "agent", the right
#     password: every point its write_log printed reaches the server with
#     the same name, value and stamp (the server's write_log prints it),
#     carbon stores it, Prometheus stores its series under
#     instance="winbox" (honor_labels) with values and stamps the agent
#     sent, and values equal direct WMI queries;
#   - roguebox: the baseline's memory query, user "rogue" (in the AuthFile)
#     with a wrong password: the server logs "Checksum mismatch. Username:
#     rogue" and none of its values arrive, in carbon or Prometheus;
#   - plainbox: the same query, SecurityLevel None, to a second, plain
#     Listen socket: its capture shows the strings and values the check on
#     the encrypted port looks for, so that check can fail.
# tcpdump captures the UDP packets to both server ports on lo; in the
# encrypted ones no host name, plugin or type name and no value of the
# memory total appears. About 65 s. Needs COLLECTD_SDK, BUILDDIR and
# SRCDIR (make check sets them), collectd-core (with libmicrohttpd12 and
# libprotobuf-c1 for write_prometheus), prometheus and tcpdump.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/carbon_lib.sh"
. "$SRCDIR/tests/e2e/prometheus_lib.sh"
suite=central
began=$(date +%s)
interval=10

e2e_begin

# ---- Reference values from WMI, before the agents start ------------------
total_kib=$(wmi_query "SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem" \
  TotalVisibleMemorySize TotalVisibleMemorySize | cut -f2)
disks=$(wmi_query "SELECT DeviceID, Size FROM Win32_LogicalDisk WHERE DriveType = 3" \
  DeviceID Size)
case "$total_kib" in
'' | *[!0-9]*) total_bytes="(no number from WMI: '$total_kib')" ;;
*) total_bytes=$((total_kib * 1024)) ;;
esac
check "WMI answers the reference queries (memory $total_bytes, disks $(echo "$disks" | tr '\t\n' '= '))" \
  test -n "$total_kib" -a -n "$disks"

# ---- The README's blocks -------------------------------------------------
# The README's "Central collector" blocks: 1 the agent's, 2 the server's, 3
# the AuthFile, 4 Prometheus' scrape config.
agent_block=$(readme_block "Central collector" 1)
server_block=$(readme_block "Central collector" 2)
authfile_block=$(readme_block "Central collector" 3)
scrape_block=$(readme_block "Central collector" 4)
check "the README's agent block sends with SecurityLevel Encrypt, Username and Password" \
  sh -c 'printf "%s\n" "$1" | grep -q "^ *SecurityLevel Encrypt$" &&
    printf "%s\n" "$1" | grep -q "^ *Username \"agent\"$" &&
    printf "%s\n" "$1" | grep -q "^ *Password \"change-me\"$"' sh "$agent_block"
check "the README's server block listens with SecurityLevel Encrypt and an AuthFile, and writes with write_graphite and write_prometheus" \
  sh -c 'printf "%s\n" "$1" | grep -q "^ *<Listen " &&
    printf "%s\n" "$1" | grep -q "^ *SecurityLevel Encrypt$" &&
    printf "%s\n" "$1" | grep -q "^ *AuthFile " &&
    printf "%s\n" "$1" | grep -q "^<Plugin write_graphite>$" &&
    printf "%s\n" "$1" | grep -q "^<Plugin write_prometheus>$"' sh "$server_block"
check "the README's AuthFile gives agent its password" \
  test "$authfile_block" = "agent: change-me"
# The scrape config this test's Prometheus runs (prom_write_config) is the
# README's, honor_labels and all, for the README's target.
prom_write_config "$run/readme-scrape.yml" central.example.com:9103 5s
check "the README's scrape config is the one the test runs (with honor_labels: true)" \
  test "$scrape_block" = "$(sed -n '/^scrape_configs:/,$p' "$run/readme-scrape.yml")"

# ---- carbon-cache, the server's writer -------------------------------------
check "carbon-cache starts" carbon_start "$run/carbon" \
  "$SRCDIR/conf/graphite/storage-schemas.conf" \
  "$SRCDIR/conf/graphite/storage-aggregation.conf"
if [ -z "$CARBON_PID" ]; then
  summary
  exit 1
fi

# ---- The Linux collectd --------------------------------------------------
# Port A: the README's Listen (Encrypt); port B: a plain Listen for the
# SecurityLevel None agent, whose capture shows what the check on A looks
# for. The AuthFile: the README's line, and a user "rogue" whose password
# the rogue agent does not know.
ports=$(free_ports 2 udp)
port=${ports% *} plain_port=${ports#* }
prom_target_port=$(free_ports 1)
server_dir=$run/server
mkdir -p "$server_dir"
{
  printf '%s\n' "$authfile_block"
  echo "rogue: the-right-one"
} >"$server_dir/passwd"
server_log=$server_dir/collectd.log
server_readme=$(printf '%s\n' "$server_block" | sed \
  -e "s#<Listen \"0.0.0.0\" \"25826\">#<Listen \"127.0.0.1\" \"$port\">#" \
  -e "s#\"/etc/collectd/passwd\"#\"$server_dir/passwd\"#" \
  -e "s#\"carbon.example.com\"#\"127.0.0.1\"#" \
  -e "s#Port \"2003\"#Port \"$CARBON_PORT\"#" \
  -e "s#Host \"0.0.0.0\"#Host \"127.0.0.1\"#" \
  -e "s#Port \"9103\"#Port \"$prom_target_port\"#")
# write_log: every value the server received, in the Graphite format the
# agents' write_log prints (bare lines: no timestamp in the log).
cat >"$server_dir/collectd.conf" <<CONF
Hostname "central"
FQDNLookup false
BaseDir "$server_dir"
PIDFile "$server_dir/collectd.pid"
TypesDB "/usr/share/collectd/types.db"
Interval $interval
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$server_log"
  Timestamp false
</Plugin>
LoadPlugin write_log
<Plugin write_log>
  Format Graphite
</Plugin>
$server_readme
<Plugin network>
  <Listen "127.0.0.1" "$plain_port">
    SecurityLevel None
  </Listen>
</Plugin>
CONF
check "the server's conf has the README's blocks with this run's ports and path" \
  sh -c 'grep -q "<Listen \"127.0.0.1\" \"$1\">" "$2" &&
    grep -q "AuthFile \"$3\"" "$2" && grep -q "Port \"$4\"" "$2" &&
    grep -q "Port \"$5\"" "$2" && ! grep -q "0\.0\.0\.0" "$2"' \
  sh "$port" "$server_dir/collectd.conf" "$server_dir/passwd" "$CARBON_PORT" \
  "$prom_target_port"
server_pid=
server_stop() { stop_pid "$server_pid" 100; }
on_exit server_stop
/usr/sbin/collectd -f -C "$server_dir/collectd.conf" >"$server_dir/out" 2>&1 8>&- &
server_pid=$!
udp_bound() { # udp_bound PORT...: the server has a socket on each
  for p; do
    ss -Hlunp | grep -F "pid=$server_pid," | grep -q " 127\.0\.0\.1:$p " || return 1
  done
}
check "the central collectd binds 127.0.0.1:$port (Encrypt) and :$plain_port (None)" \
  wait_ready "$server_pid" 100 udp_bound "$port" "$plain_port"
check "... and write_prometheus listens on 127.0.0.1:$prom_target_port" \
  wait_ready "$server_pid" 100 port_open "$prom_target_port"
check "... and nothing else than on 127.0.0.1 (carbon's write_graphite is a client)" \
  loopback_only "$server_pid"
if [ "$failed" -gt 0 ]; then
  echo "--- server's output:"
  tail -n 20 "$server_dir/out"
  summary
  exit 1
fi

# ---- Prometheus, scraping the server every 5 s -----------------------------
check "Prometheus starts, scraping 127.0.0.1:$prom_target_port" \
  prom_start "127.0.0.1:$prom_target_port" 5s
# A second job on the same target, without honor_labels: what the README
# says happens then.
cat >>"$prom_dir/prometheus.yml" <<YML
  - job_name: no-honor-labels
    static_configs:
      - targets: ['127.0.0.1:$prom_target_port']
YML
kill -HUP "$prom_pid"
second_job() { prom_target_health no-honor-labels | grep -qv '^null '; }
check "... and, its config reloaded, a second job without honor_labels" \
  wait_ready "$prom_pid" 100 second_job

# ---- The capture -----------------------------------------------------------
capture=$run/capture.pcap
capture_pid=
capture_stop() { stop_pid "$capture_pid" 50; }
on_exit capture_stop
# -U: each packet written at once; -Z root: no switch to the tcpdump user,
# who could not write into the run's folder.
tcpdump -i lo -n -U -Z root -w "$capture" \
  "udp and (dst port $port or dst port $plain_port)" >"$run/tcpdump.log" 2>&1 8>&- &
capture_pid=$!
capturing() { grep -qs '^tcpdump: listening on lo' "$run/tcpdump.log"; }
check "tcpdump captures the UDP packets to both ports on lo" \
  wait_ready "$capture_pid" 100 capturing

# ---- The agents ------------------------------------------------------------
# agent_network PORT USER PASSWORD LEVEL: the README's agent block to
# 127.0.0.1:PORT with this password; LEVEL None drops the credentials.
agent_network() {
  printf '%s\n' "$agent_block" | sed \
    -e "s#<Server \"central.example.com\" \"25826\">#<Server \"127.0.0.1\" \"$1\">#" \
    -e "s#Username \"agent\"#Username \"$2\"#" \
    -e "s#Password \"change-me\"#Password \"$3\"#" \
    -e "s#SecurityLevel Encrypt#SecurityLevel $4#" |
    if [ "$4" = None ]; then grep -Ev '^ *(Username|Password) '; else cat; fi
}
memory_query=$(awk '/<Query "memory">/ { q = 1 } q { print } q && /<\/Query>/ { exit }' \
  "$SRCDIR/conf/wmi.conf")
# other_agent HOST NETWORK_BLOCK: an agent HOST that sends the baseline's
# memory query every second; its process id is added to $others.
other_agent() {
  write_conf "$run/$1.conf" "$run/$1.log" 1 "$(wmi_body "$memory_query")
$2" 1
  sed -i "s/^Hostname \"winbox\"$/Hostname \"$1\"/" "$run/$1.conf"
  "$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f -C "$(win "$run/$1.conf")" \
    >"$run/$1.out" 2>&1 8>&- &
  others="$others $!"
}
others=
stop_others() { for p in $others; do stop_pid "$p" 0; done; }
on_exit stop_others
other_agent roguebox "$(agent_network "$port" rogue wrong-password Encrypt)"
other_agent plainbox "$(agent_network "$plain_port" agent change-me None)"

log=$run/winbox.log
write_conf "$run/winbox.conf" "$log" 5 "$(agent_network "$port" agent change-me Encrypt)
Include \"$(win "$SRCDIR/conf/wmi.conf")\"" "$interval"
check "the agent's conf has the README's block with the port" \
  grep -q "<Server \"127.0.0.1\" \"$port\">" "$run/winbox.conf"
start_daemon "$run/winbox.conf" "$run/winbox.out"
# Four intervals of memory-free (30 s from first to last).
wait_for_span "$log" winbox.wmi-memory.memory-free 30 120
# While the agent still runs: the last point of each series it printed
# reaches carbon through the server.
metric_lines "$log" | awk '{ last[$1] = $3 } END { for (n in last) print "collectd." n, last[n] }' |
  sort >"$run/sent-last.txt"
check "carbon stored the last point of each of the $(wc -l <"$run/sent-last.txt") series winbox sent, within 15 s" \
  wsp_wait_all 15 <"$run/sent-last.txt"
# prom_dump: every sample Prometheus stored in the last 15 minutes of the
# series write_prometheus exposed, as "name value stamp" lines, named as
# write_graphite names them (the demo's table's prometheus_samples()).
prom_dump() {
  /usr/bin/python3 -c 'import importlib.util, sys
spec = importlib.util.spec_from_file_location("table", sys.argv[1])
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)
samples = table.prometheus_samples(sys.argv[2], table.read_types(sys.argv[3]), "15m",
                                   sys.argv[4])
for name, points in sorted(samples.items()):
    for t, v in points:
        print(name, "%.17g" % v, "%.3f" % t)' \
    "$SRCDIR/scripts/pipeline-table.py" "$prom_url" "$COLLECTD_SDK/share/types.db" \
    ',job="collectd"'
}
# prom_has_last: Prometheus has a sample of each series at the stamp of the
# last point winbox sent (its stamp in ms, the log's rounded to seconds).
prom_has_last() {
  prom_dump >"$run/prom-now.txt"
  awk 'NR == FNR { want[$1, $2] = 1; next }
    { delete want["collectd." $1, int($3 + 0.5)] }
    END { for (k in want) n++; exit n > 0 }' "$run/sent-last.txt" "$run/prom-now.txt"
}
# wait_ready's 150 tenths count its sleeps only, not prom_dump's own time:
# the 15 s are measured on the clock.
waited=$(date +%s.%N)
wait_ready "$prom_pid" 150 prom_has_last
stored=$?
waited=$(awk -v a="$waited" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "$suite: Prometheus had winbox's last points after $waited s"
check "Prometheus stored the last point of each of those series, within 15 s (in $waited s)" \
  awk -v ok="$stored" -v t="$waited" 'BEGIN { exit !(ok == 0 && t <= 15) }'
check "the agent ran until stopped" stop_daemon
stop_others
others=
echo "$suite: winbox ran $(($(date +%s) - daemon_started)) s"
capture_stop
server_stop

# ---- Arrived intact and correctly named ------------------------------------
server_lines() { metric_lines "$server_log"; }
# Every point the agent printed up to the last one waited for.
metric_lines "$log" | awk 'NR == FNR { last[$1] = $2; next }
  ("collectd." $1) in last && $3 <= last["collectd." $1]' "$run/sent-last.txt" - |
  sort >"$run/sent.txt"
server_lines | awk '$1 ~ /^winbox\./' | sort -u >"$run/received.txt"
check "the server received all $(wc -l <"$run/sent.txt") points winbox sent, with the same name, value and stamp ($(wc -l <"$run/received.txt") received)" \
  test -s "$run/sent.txt" -a -z "$(comm -23 "$run/sent.txt" "$run/received.txt")"
comm -23 "$run/sent.txt" "$run/received.txt" | head -n 10 | sed 's/^/  not received: /'
check "... and nothing winbox did not send" \
  test -z "$(metric_lines "$log" | sort -u | comm -13 - "$run/received.txt")"
for name in winbox.wmi-memory.memory-free winbox.wmi-memory.memory-total \
  winbox.wmi-logicaldisk.df_complex-size-C_ winbox.wmi-services.gauge-state-RpcSs \
  winbox.wmi-processes.ps_count-services_exe.processes; do
  check "series $name (host, plugin wmi-<instance>, type-<type instance>) arrived" \
    grep -q "^$name " "$run/received.txt"
done
# all_equal FILE NAME VALUE: every point of NAME in FILE (and at least one)
# has VALUE.
all_equal() {
  awk -v n="$2" -v want="$3" '$1 == n { c++; if ($2 != want) { bad++; print "  " $0 " (want " want ")" } }
    END { exit !(c > 0 && !bad) }' "$1"
}
check "memory-total is TotalVisibleMemorySize * 1024 ($total_bytes) at every point received" \
  all_equal "$run/received.txt" winbox.wmi-memory.memory-total "$total_bytes"
tab=$(printf '\t')
while IFS=$tab read -r id size; do
  check "df_complex-size of $id is WMI's Size ($size) at every point received" \
    all_equal "$run/received.txt" "winbox.wmi-logicaldisk.df_complex-size-$(sanitize "$id")" "$size"
done <<EOF
$disks
EOF
wsp_dump $(($(awk 'NR == 1 || $3 < f { f = $3 } END { print f }' "$run/sent.txt") - 60)) \
  >"$run/stored.txt"
check "carbon stores memory-total as WMI gives it, at every point" \
  all_equal "$run/stored.txt" collectd.winbox.wmi-memory.memory-total "$total_bytes"
cut -d' ' -f1 "$run/sent-last.txt" >"$run/sent-names.txt"
awk '{ print $1 }' "$run/stored.txt" | sort -u >"$run/stored-names.txt"
check "carbon stores the series of all $(wc -l <"$run/sent-names.txt") names winbox sent" \
  test -z "$(comm -13 "$run/stored-names.txt" "$run/sent-names.txt")"
check "the plain agent's values arrived through the plain port (so the server works for it)" \
  grep -q '^plainbox\.wmi-memory\.memory-total ' "$server_log"

# ---- In Prometheus -----------------------------------------------------------
check "Prometheus' target, the central collectd's write_prometheus, is up ($(prom_target_health))" \
  test "$(prom_target_health | cut -d' ' -f1)" = up
prom_dump >"$run/prom.txt"
awk '$1 ~ /^winbox\./' "$run/prom.txt" >"$run/prom-winbox.txt"
awk '{ print "collectd." $1 }' "$run/prom-winbox.txt" | sort -u >"$run/prom-names.txt"
check "Prometheus has the series of all $(wc -l <"$run/sent-names.txt") names winbox sent, and no other ($(wc -l <"$run/prom-names.txt"))" \
  cmp -s "$run/prom-names.txt" "$run/sent-names.txt"
comm -3 "$run/prom-names.txt" "$run/sent-names.txt" | head -n 10 | sed 's/^/  differs: /'
# Every sample stored is a point winbox printed: same name, value, stamp.
metric_lines "$log" | awk 'NR == FNR { sent[$1, $3] = $2; next }
  { stored++; key = $1 SUBSEP int($3 + 0.5) }
  !(key in sent) || sent[key] + 0 != $2 + 0 { bad++; if (bad <= 10) print "  not sent: " $0 }
  END { exit !(stored > 0 && !bad) }' - "$run/prom-winbox.txt" >"$run/prom-bad.txt"
prom_bad=$?
cat "$run/prom-bad.txt"
check "each of the $(wc -l <"$run/prom-winbox.txt") samples Prometheus stored of them is a point winbox sent, with its value and stamp" \
  test "$prom_bad" = 0
check "Prometheus stores memory-total as WMI gives it, at every sample" \
  all_equal "$run/prom-winbox.txt" winbox.wmi-memory.memory-total "$total_bytes"
while IFS=$tab read -r id size; do
  check "... and df_complex-size of $id as WMI's Size ($size)" \
    all_equal "$run/prom-winbox.txt" "winbox.wmi-logicaldisk.df_complex-size-$(sanitize "$id")" "$size"
done <<EOF
$disks
EOF
# honor_labels: the series keep collectd's instance (the host's name);
# Prometheus' own, the target's address, is only on its up series.
# instances JOB: the series' "instance/exported_instance" pairs.
instances() {
  prom_query "count by (instance, exported_instance) ({__name__=~\"collectd_.+\",job=\"$1\"})" |
    prom_jq '[.data.result[].metric | "\(.instance)/\(.exported_instance // "")"] | sort | join(" ")'
}
check "honor_labels: the series' instance labels are the agents' host names, none exported_instance ($(instances collectd))" \
  test "$(instances collectd)" = "plainbox/ winbox/"
check "... without it (the second job): instance is the server's address, the host in exported_instance ($(instances no-honor-labels))" \
  test "$(instances no-honor-labels)" = \
  "127.0.0.1:$prom_target_port/plainbox 127.0.0.1:$prom_target_port/winbox"
memory_types=$(awk -F'[ .]' '$3 == "wmi-memory" { sub(/^memory-/, "", $4); print $4 }' \
  "$run/sent-last.txt" | sort | tr '\n' ' ' | sed 's/ $//')
check "... the memory query by instance=\"winbox\" finds winbox's memory series ($memory_types)" \
  test -n "$memory_types" -a "$(prom_query 'collectd_wmi_memory{instance="winbox",wmi="memory"}' |
    prom_jq '[.data.result[].metric.type] | sort | join(" ")')" = "$memory_types"
check "... while the target's up series has Prometheus' own instance, 127.0.0.1:$prom_target_port" \
  test "$(prom_query 'up{job="collectd"}' | prom_jq '.data.result[0].metric.instance')" = \
  "127.0.0.1:$prom_target_port"

# ---- The wrong password ----------------------------------------------------
check "the rogue agent ran and printed its values ($(metric_lines "$run/roguebox.log" | wc -l) lines)" \
  test "$(metric_lines "$run/roguebox.log" | grep -c '^roguebox\.')" -ge 4
check "the server logs the rogue's packets: Checksum mismatch. Username: rogue ($(grep -c 'Checksum mismatch. Username: rogue' "$server_log") times)" \
  grep -q '^network plugin: Checksum mismatch\. Username: rogue$' "$server_log"
check "none of the rogue's values arrived (server's write_log)" \
  sh -c '! grep -q "^roguebox\." "$1"' sh "$server_log"
check "none in carbon either" test ! -e "$CARBON_WHISPER/collectd/roguebox"
check "none in Prometheus either (where plainbox's are: $(grep -c '^plainbox\.' "$run/prom.txt") samples)" \
  sh -c '! grep -q "^roguebox\." "$1" && grep -q "^plainbox\.wmi-memory\.memory-total " "$1"' \
  sh "$run/prom.txt"
check "no packet of the right user was refused" \
  sh -c '! grep -Eq "Username: agent|Unknown user" "$1"' sh "$server_log"

# ---- On the wire -----------------------------------------------------------
# payloads PORT NEEDLE...: of the captured UDP packets to PORT, prints the
# count, the number of encrypted ones (their first part is 0x0210, AES-256)
# and, per NEEDLE, "found" or "absent". A NEEDLE is a string as the
# protocol carries names (NUL-terminated); "double:X" is X as the
# little-endian double it sends a gauge as; "raw:X" the bytes of X alone
# (the username in an encrypted part's clear header).
payloads() {
  /usr/bin/python3 -c 'import struct, sys
path, port, needles = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
data = open(path, "rb").read()
endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
offset, packets = 24, []
while offset + 16 <= len(data):
    incl = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
    frame = data[offset + 16:offset + 16 + incl]
    offset += 16 + incl
    if frame[12:14] != b"\x08\x00":  # IPv4 on an Ethernet frame (lo)
        continue
    ip = frame[14:]
    udp = ip[(ip[0] & 15) * 4:]
    if ip[9] == 17 and struct.unpack(">H", udp[2:4])[0] == port:
        packets.append(udp[8:])
encrypted = sum(p[:2] == b"\x02\x10" for p in packets)
print("packets", len(packets), "encrypted", encrypted)
for n in needles:
    if n.startswith("double:"):
        raw = struct.pack("<d", float(n[7:]))
    elif n.startswith("raw:"):
        raw = n[4:].encode()
    else:
        raw = n.encode() + b"\0"
    print("found" if any(raw in p for p in packets) else "absent", n)' "$capture" "$@"
}
payloads "$port" "winbox" "roguebox" "wmi" "memory" "total" "RpcSs" \
  "double:$total_bytes" "raw:agent" "raw:rogue" >"$run/wire-encrypted.txt"
payloads "$plain_port" "plainbox" "wmi" "memory" "total" \
  "double:$total_bytes" >"$run/wire-plain.txt"
sed 's/^/  encrypted port: /' "$run/wire-encrypted.txt"
sed 's/^/  plain port: /' "$run/wire-plain.txt"
read -r _ count _ encrypted <"$run/wire-encrypted.txt"
check "packets to the Encrypt port were captured ($count), every one encrypted ($encrypted)" \
  test "$count" -gt 0 -a "$count" = "$encrypted"
check "no host name, plugin, type or memory-total value is readable in them" \
  test "$(grep -c '^absent ' "$run/wire-encrypted.txt")" = 7
check "the usernames are (sent in clear, as the README says)" \
  test "$(grep -c '^found raw:\(agent\|rogue\)$' "$run/wire-encrypted.txt")" = 2
read -r _ count _ encrypted <"$run/wire-plain.txt"
check "the same check fails on the SecurityLevel None capture: all are readable there ($count packets, $encrypted encrypted)" \
  test "$count" -gt 0 -a "$encrypted" = 0 -a "$(grep -c '^found ' "$run/wire-plain.txt")" = 5

if [ "$failed" -gt 0 ]; then
  echo "--- server log:"
  grep -v '^[^ ]* [^ ]* [0-9]*$' "$server_log" | tail -n 30
  echo "--- server out:"
  tail -n 10 "$server_dir/out"
fi
echo "$suite: took $(($(date +%s) - began)) s"
summary
