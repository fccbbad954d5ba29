#!/bin/sh
# collectd as a Windows service, installed as an operator would: the MSI
# and the zip that scripts/dist.sh builds, each in a fresh Wine prefix,
# the service driven through Wine's service manager (sc.exe), values into a
# carbon-cache started on 127.0.0.1. Checked:
#   - msiexec /i /qn GRAPHITE_HOST GRAPHITE_PORT PROMETHEUS_PORT
#     INTERVAL=60: the service runs, the values it sends reach carbon and
#     equal direct WMI queries, and write_prometheus serves them on
#     PROMETHEUS_PORT, over IPv4 and IPv6 (the package's own DLLs, under
#     the service);
#   - sc stop with Interval 60 and two scrape connections open, idle:
#     STOPPED within 5 s, not a minute (the time is printed), the wmi
#     plugin's shutdown and collectd's "Exiting normally" are in the log,
#     no collectd.exe is left, exit code 0 in the service manager, and
#     every value write_log printed before the stop request is stored in
#     carbon: nothing is lost at a stop; sc start, the old connections
#     still open: /metrics is served again;
#   - a configuration collectd refuses (a Query without Statement): the
#     service stops by itself, the log names the option, the service
#     manager holds the error exit code (what keeps Windows' failure
#     actions from restarting it), and it is not started again;
#   - the zip: unpacked into another fresh prefix, the commands its
#     README-windows.txt gives write collectd.conf, register, start, stop
#     and remove the service; values reach carbon meanwhile.
# Needs COLLECTD_SDK, BUILDDIR and SRCDIR (make check sets them). About 3
# minutes, most of it waiting for Interval 60's first values.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
. "$SRCDIR/tests/e2e/carbon_lib.sh"
. "$SRCDIR/tests/e2e/service_lib.sh"
suite=test_service
scratch=$(mktemp -d)
began=$(date +%s)
wineserver=/usr/lib/wine/wineserver
prefixes=

# Every Wine program of this test runs in a fresh prefix of its own, with
# the packages' own DLLs only (no SDK on WINEPATH). wmi=n: Wine's builtin
# wmi.dll would otherwise be loaded for the plugin's wmi.dll (Windows loads
# the file PluginDir names).
use_prefix() {
  WINEPREFIX=$scratch/$1
  export WINEPREFIX
  prefixes="$prefixes $WINEPREFIX"
  mkdir -p "$WINEPREFIX"
  # C:\wmibench\f20000: a WMI query on it takes about 25 s (e2e_lib.sh).
  [ "${2:-}" != slow ] ||
    WMIBENCH_SIZES=20000 "$SRCDIR/tests/wine/prefix-setup.sh" >/dev/null 2>&1
  # Wine ends a prefix's services when its last ordinary program exits: a
  # cmd.exe waiting on a pipe keeps them, as a logged-on Windows would.
  # Closing fd 7 (or ending the prefix) ends it.
  # The prefix made first, by one program: two at once can start two
  # service managers.
  [ -f "$WINEPREFIX/system.reg" ] || w wineboot -i >/dev/null
  "$wineserver" -w
  rm -f "$scratch/keep"
  mkfifo "$scratch/keep"
  WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;wmi=n" \
    /usr/lib/wine/wine64 cmd.exe <"$scratch/keep" >/dev/null 2>&1 &
  exec 7>"$scratch/keep"
  w sc query collectd >/dev/null # waits for the prefix and its services
}
w() {
  WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;wmi=n" \
    /usr/lib/wine/wine64 "$@" 2>>"$scratch/wine.err" | tr -d '\r'
}
# wx: as w, for the exit status (the output goes to wine.out).
wx() {
  WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;wmi=n" \
    /usr/lib/wine/wine64 "$@" >>"$scratch/wine.out" 2>>"$scratch/wine.err"
}
end_prefixes() {
  exec 7>&-
  for p in $prefixes; do WINEPREFIX=$p "$wineserver" -k 2>/dev/null; done
  true
}
trap 'trap "" HUP INT PIPE TERM QUIT; end_prefixes; eval "$cleanups"
  [ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT
trap 'exit 1' HUP INT PIPE TERM QUIT

no_collectd_left() { [ -z "$(collectd_pids)" ]; }
exit_codes() { # "WIN32 SERVICE" exit codes of the last stop
  w sc query collectd | awk '$1 == "WIN32_EXIT_CODE" { a = $3 }
    $1 == "SERVICE_EXIT_CODE" { b = $3 } END { print a, b }'
}
# wait_for_metric LOG REGEX SECONDS: write_log printed a matching line.
wait_for_metric() {
  n=0
  while ! metric_lines "$1" | grep -q "$2" && [ "$n" -lt $(($3 * 2)) ]; do
    sleep 0.5
    n=$((n + 1))
  done
  metric_lines "$1" | grep -q "$2"
}
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
contains() { tr -d '\r' <"$1" | grep -q -- "$2"; }
count() { tr -d '\r' <"$1" | grep -c -- "$2"; }
# The metric lines of LOG as 'collectd.NAME TS' for wsp_wait_all.
sent_points() { metric_lines "$1" | awk '{ print "collectd." $1, $3 }'; }

# ---- The packages ------------------------------------------------------------
dist=$scratch/dist
# From the SDK and wmi.dll of this build (make check runs here: no rebuild).
DIST_DIR=$dist DIST_SKIP_BUILD=1 COLLECTD_WMI_SDK=$COLLECTD_SDK \
  WMI_DLL=$BUILDDIR/wmi.dll "$SRCDIR/scripts/dist.sh" >"$scratch/dist.log" 2>&1
msi=$(ls "$dist"/collectd-wmi-*-x64.msi 2>/dev/null)
zip=$(ls "$dist"/collectd-wmi-*-win64.zip 2>/dev/null)
check "scripts/dist.sh writes the MSI and the zip" test -f "$msi" -a -f "$zip"
check "carbon-cache starts on 127.0.0.1" \
  carbon_start "$scratch/carbon" "$SRCDIR/conf/graphite/storage-schemas.conf" \
  "$SRCDIR/conf/graphite/storage-aggregation.conf"
if [ ! -f "$msi" ] || [ -z "$CARBON_PID" ]; then
  tail -n 20 "$scratch/dist.log"
  summary
  exit 1
fi
exec 8>"${TMPDIR:-/tmp}/collectd-wmi-e2e-wineprefix.run-lock"
flock 8

# ---- MSI: install, values, stop --------------------------------------------
use_prefix msi
# The reference, read directly from WMI (wine-run.sh: with the SDK's DLLs).
total_kib=$("$SRCDIR/tests/wine/wine-run.sh" "$BUILDDIR/tests/wine/wmi_query.exe" \
  "SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem" \
  TotalVisibleMemorySize TotalVisibleMemorySize 2>/dev/null | tr -d '\r' | cut -f2)
check "WMI answers the reference query (TotalVisibleMemorySize ${total_kib:-none} KiB)" \
  test -n "$total_kib"
conf=$WINEPREFIX/drive_c/ProgramData/collectd/collectd.conf
log=$WINEPREFIX/drive_c/ProgramData/collectd/collectd.log
program=$WINEPREFIX/drive_c/Program\ Files/collectd
# A property the configuration cannot take fails the install: nothing of
# it stays.
wx msiexec /i "$(winpath "$msi")" /qn GRAPHITE_HOST=127.0.0.1 INTERVAL=ten
bad_status=$?
check "msiexec with INTERVAL=ten fails ($bad_status), installs nothing" \
  test "$bad_status" -ne 0 -a ! -e "$program/collectd.exe" -a ! -e "$conf" \
  -a "$(state)" = NONE
prom_port=$(free_ports 1)
check "msiexec /i /qn GRAPHITE_HOST=127.0.0.1 GRAPHITE_PORT PROMETHEUS_PORT INTERVAL=60 succeeds" \
  wx msiexec /i "$(winpath "$msi")" /qn GRAPHITE_HOST=127.0.0.1 \
  GRAPHITE_PORT="$CARBON_PORT" PROMETHEUS_PORT="$prom_port" INTERVAL=60
check "the service runs after the install" wait_state RUNNING 30
check "collectd.conf has the properties" \
  grep -q "Port \"$CARBON_PORT\"" "$conf"
check "collectd.conf loads write_prometheus on PROMETHEUS_PORT" \
  sh -c 'tr -d "\r" <"$1" | grep -q "^LoadPlugin write_prometheus$" &&
    tr -d "\r" <"$1" | grep -q "^  Port \"$2\"$"' _ "$conf" "$prom_port"

# As an operator would: add write_log (a second view of what is sent) to
# the configuration, and restart the service. write_graphite keeps what it
# has not sent for an hour (FlushInterval 3600, up to its 1428-byte
# buffer): only its shutdown sends the last values.
sed -i 's/FlushInterval 1$/FlushInterval 3600/' "$conf"
cat >>"$conf" <<'EOF'
LoadPlugin write_log
<Plugin write_log>
  Format Graphite
</Plugin>
EOF
w sc stop collectd >/dev/null
check "sc stop: STOPPED" wait_state STOPPED 30
: >"$log"
w sc start collectd >/dev/null
check "sc start: RUNNING again" wait_state RUNNING 30
# The wmi plugin's read callback runs every 60 s from its init, in step
# with collectd's loop: its values appear just after the loop's wake-up.
check "the first values arrive (Interval 60)" \
  wait_for_metric "$log" '\.wmi-memory\.memory-total ' 150
host_name=$(metric_lines "$log" | awk -F. '/wmi-memory/ { print $1; exit }')
# What a Prometheus server scraping the service gets: the memory total
# (bytes), over IPv4 and IPv6, as the README's MSI table says the
# Host-less block listens on every IPv4 and IPv6 address.
# scraped_total HOST: the memory total at http://HOST:PROMETHEUS_PORT.
scraped_total() {
  curl -sSg --max-time 10 "http://$1:$prom_port/metrics" |
    awk '/^collectd_wmi_memory\{/ && /type="total"/ { printf "%.0f", $2; exit }'
}
prom_total=$(scraped_total 127.0.0.1)
check "write_prometheus serves the memory total on 127.0.0.1:PROMETHEUS_PORT (${prom_total:-nothing}; WMI: $((total_kib * 1024)))" \
  test "${prom_total:-0}" = "$((total_kib * 1024))"
prom_total=$(scraped_total '[::1]')
check "... and on [::1]:PROMETHEUS_PORT, over IPv6 (${prom_total:-nothing})" \
  test "${prom_total:-0}" = "$((total_kib * 1024))"

# Scrapers' connections open at the stop: one over IPv4 after a whole
# GET /metrics, kept alive (HTTP/1.1), one over IPv6 that sends nothing.
# Both stay open, idle, until the helper is killed (on exit at the
# latest); it writes the answer's status line once both are set.
held=$scratch/held
/usr/bin/python3 -c 'import re, socket, sys, time
port, ready = int(sys.argv[1]), sys.argv[2]
kept = socket.create_connection(("127.0.0.1", port), 10)
kept.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
answer = b""
while b"\r\n\r\n" not in answer:
    answer += kept.recv(65536) or sys.exit("closed")
head, _, body = answer.partition(b"\r\n\r\n")
length = int(re.search(rb"(?i)\ncontent-length: *([0-9]+)", head).group(1))
while len(body) < length:
    body += kept.recv(65536) or sys.exit("closed")
silent = socket.create_connection(("::1", port), 10)
with open(ready, "w") as f:
    f.write(head.split(b"\r\n")[0].decode() + "\n")
time.sleep(600)' "$prom_port" "$held" 2>"$held.err" 8>&- &
holder=$!
# shellcheck disable=SC2016 # expanded at exit
on_exit 'stop_pid "$holder" 0'
n=0
while [ ! -s "$held" ] && kill -0 "$holder" 2>/dev/null && [ $n -lt 100 ]; do
  sleep 0.1
  n=$((n + 1))
done
# established: the connections to PROMETHEUS_PORT ss shows established.
established() { ss -Htn state established "( dport = :$prom_port )" | wc -l; }
check "two scrape connections are open, idle, one after a whole answer ($(cat "$held" "$held.err" 2>/dev/null | tr -d '\r\n'); $(established) established)" \
  test "$(cat "$held" 2>/dev/null)" = "HTTP/1.1 200 OK" -a "$(established)" = 2

# The stop, right after a read cycle: collectd's loop is then asleep for
# most of the 60 s Interval.
sent_before_stop=$(sent_points "$log")
stop_began=$(date +%s.%N)
w sc stop collectd >/dev/null
wait_state STOPPED 90
stop_took=$(since "$stop_began")
echo "$suite: sc stop to STOPPED took ${stop_took} s (Interval 60, two scrape connections open)"
check "STOPPED within 5 s of sc stop with Interval 60, the scrape connections open (took ${stop_took} s)" \
  awk -v t="$stop_took" 'BEGIN { exit !(t < 5) }'
check "no collectd.exe left after the stop" no_collectd_left
check "the wmi plugin's shutdown ran (\"wmi plugin: stopped\")" \
  contains "$log" "wmi plugin: stopped"
check "collectd exited normally" contains "$log" "Exiting normally"
check "exit code 0 in the service manager ($(exit_codes))" \
  test "$(exit_codes)" = "0 0"
memory_points=$(echo "$sent_before_stop" | grep -c 'memory-total ')
sent=$(sent_points "$log")
all_stored() { echo "$1" | wsp_wait_all 20; }
check "every value write_log printed, the last ones sent by write_graphite's shutdown, is in carbon ($(echo "$sent" | wc -l) points)" \
  all_stored "$sent"
# every_point_is NAME VALUE: carbon holds points of NAME, all equal VALUE.
every_point_is() {
  wsp_dump "$began" | awk -v n="$1" -v want="$2" \
    '$1 == n { seen++; if ($2 != want) bad++ } END { exit !(seen && !bad) }'
}
echo "$suite: memory total in carbon: $(wsp_dump "$began" | awk -v n="collectd.$host_name.wmi-memory.memory-total" '$1 == n { print $2 }' | sort -u | tr '\n' ' ')"
check "memory total in carbon equals WMI's TotalVisibleMemorySize x 1024 ($memory_points points)" \
  every_point_is "collectd.$host_name.wmi-memory.memory-total" \
  "$((total_kib * 1024))"

# A start while the scrapers still hold their ends of the old
# connections: write_prometheus binds PROMETHEUS_PORT again and serves.
# Under Wine the port's rules are Linux's (the old server-side sockets
# wait in FIN_WAIT2 on the port), not Windows'.
echo "$suite: TCP sockets on PROMETHEUS_PORT before the start: $(ss -Htan \
  "( sport = :$prom_port or dport = :$prom_port )" | awk '{ print $1 }' | sort | uniq -c | xargs)"
w sc start collectd >/dev/null
check "sc start with the old scrape connections still open: RUNNING" \
  wait_state RUNNING 30
serves_metrics() {
  n=0
  while [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
    "http://127.0.0.1:$prom_port/metrics")" != 200 ]; do
    [ $n -lt 20 ] || return 1
    sleep 0.5
    n=$((n + 1))
  done
}
check "... and write_prometheus serves /metrics on PROMETHEUS_PORT again" serves_metrics
stop_pid "$holder" 0
holder=
w sc stop collectd >/dev/null
check "sc stop: STOPPED" wait_state STOPPED 30

# ---- A configuration collectd refuses ----------------------------------------
cp "$conf" "$scratch/good.conf"
cat >>"$conf" <<'EOF'
<Plugin wmi>
  <Query "broken">
    <Result>
      Type "gauge"
      ValuesFrom "Name"
    </Result>
  </Query>
</Plugin>
EOF
: >"$log"
w sc start collectd >/dev/null
check "a refused configuration: the service stops by itself" \
  wait_state STOPPED 30
check "the log names the option (Statement)" contains "$log" "Statement"
check "the service manager holds the error exit code ($(exit_codes)): no failure-action restart" \
  test "$(exit_codes)" = "1066 1"
sleep 5
check "not started again: STOPPED 5 s later, one refusal in the log" \
  test "$(state)" = STOPPED -a "$(count "$log" 'option "Statement" is missing')" -eq 1
# A syntax error: collectd says so on stderr, before any log plugin is
# set up; the service sends stderr to collectd.log.
cp "$scratch/good.conf" "$conf"
echo '<Plugin wmi' >>"$conf"
: >"$log"
w sc start collectd >/dev/null
check "a syntax error: the service stops by itself" wait_state STOPPED 30
check "the log names the syntax error and its line" \
  contains "$log" "Parse error in file .*collectd.conf', line [0-9]*.*syntax error"
check "the service manager holds the error exit code ($(exit_codes))" \
  test "$(exit_codes)" = "1066 1"
cp "$scratch/good.conf" "$conf"
end_prefixes

# ---- The zip -------------------------------------------------------------------
use_prefix zip slow
top=$WINEPREFIX/drive_c
(cd "$top" && unzip -q "$zip")
folder=$(cd "$top" && ls -d collectd-wmi-*-win64 2>/dev/null)
mv "$top/$folder" "$top/collectd" 2>/dev/null
readme=$top/collectd/README-windows.txt
check "the zip holds collectd.exe and README-windows.txt" \
  test -f "$top/collectd/collectd.exe" -a -f "$readme"
# The documented commands, as README-windows.txt gives them for
# C:\collectd, with this test's carbon.
zcmd() { # the README's line starting with "collectd.exe ARG"
  tr -d '\r' <"$readme" | grep -m 1 "^ *collectd.exe $1" | sed 's/^ *//'
}
run_documented() { # run_documented 'collectd.exe --write-config ...'
  eval "set -- $1"
  shift
  (cd "$top/collectd" && wx ./collectd.exe "$@")
}
write_line=$(zcmd --write-config | sed "s/GRAPHITE_HOST=[^ ]*/GRAPHITE_HOST=127.0.0.1 GRAPHITE_PORT=$CARBON_PORT INTERVAL=10/")
check "README-windows.txt: $write_line" run_documented "$write_line"
zconf=$top/collectd/collectd.conf
zlog=$top/collectd/collectd.log
check "collectd.conf written beside collectd.exe, sending to carbon" \
  grep -q "Port \"$CARBON_PORT\"" "$zconf"
install_line=$(zcmd --install-service)
check "README-windows.txt: $install_line" run_documented "$install_line"
check "the service is registered, stopped" test "$(state)" = STOPPED
zip_started=$(date +%s)
w sc start collectd >/dev/null
check "sc start collectd: RUNNING" wait_state RUNNING 30
# Points stamped after this service started: the MSI's are older.
n=0
while ! wsp_dump "$zip_started" | grep 'wmi-memory\.memory-total ' >/dev/null &&
  [ $n -lt 60 ]; do
  sleep 1
  n=$((n + 1))
done
points_since() { wsp_dump "$1" | grep 'wmi-memory\.memory-total ' >/dev/null; }
check "values reach carbon from the zip's service" points_since "$zip_started"
stop_began=$(date +%s.%N)
w sc stop collectd >/dev/null
check "sc stop collectd: STOPPED" wait_state STOPPED 30
echo "$suite: zip route: sc stop to STOPPED took $(since "$stop_began") s (Interval 10)"
check "the zip's service shut down cleanly" contains "$zlog" "wmi plugin: stopped"
# A stop while a WMI call hangs (a 25 s query, Timeout 60): the service
# reports STOP_PENDING with a rising checkpoint every second and a wait
# hint above the wmi plugin's 10 s bound, and stops once that bound is
# reached, the call abandoned.
cp "$zconf" "$scratch/zip-good.conf"
{
  echo '<Plugin wmi>'
  slow_query slow 20000
  printf '  <Host "slow">\n    Interval 1\n    Timeout 60\n'
  printf '    MaxConcurrentQueries 1\n    Query "slow"\n  </Host>\n</Plugin>\n'
} >>"$zconf"
: >"$zlog"
w sc start collectd >/dev/null
wait_state RUNNING 30
sleep 5 # its first run is in flight
stop_began=$(date +%s.%N)
w sc stop collectd >/dev/null
pending=$scratch/pending
: >"$pending"
n=0
while [ "$(state)" != STOPPED ] && [ $n -lt 120 ]; do
  w sc query collectd | awk '$1 == "STATE" { s = $4 } $1 == "CHECKPOINT" { c = $3 }
    $1 == "WAIT_HINT" { h = $3 } END { if (s == "STOP_PENDING") print c, h }' >>"$pending"
  sleep 0.2
  n=$((n + 1))
done
stop_took=$(since "$stop_began")
echo "$suite: stop with a hung WMI call took $stop_took s; STOP_PENDING seen $(wc -l <"$pending") times, checkpoints $(cut -d' ' -f1 "$pending" | sort -u | tr '\n' ' ')"
check "a hung WMI call: STOPPED within 20 s ($stop_took s)" \
  awk -v t="$stop_took" 'BEGIN { exit !(t < 20) }'
check "a hung WMI call: no collectd.exe left" no_collectd_left
check "STOP_PENDING meanwhile, its checkpoint rising at least 5 times" \
  test "$(cut -d' ' -f1 "$pending" | sort -u | wc -l)" -ge 5
check "every STOP_PENDING asks for 20 s (wait hint 0x4e20)" \
  sh -c '[ -s "$1" ] && ! grep -v " 0x4e20$" "$1"' _ "$pending"
check "the log says the call was abandoned, and the wmi plugin stopped" \
  sh -c "grep -q 'is abandoned' '$zlog' && grep -q 'wmi plugin: stopped' '$zlog'"
cp "$scratch/zip-good.conf" "$zconf"

# In a console (a terminal tmux provides: Wine turns its Ctrl-C into a
# CTRL_C_EVENT), Ctrl-C shuts collectd down as a service stop does.
: >"$zlog"
tmux -L "$suite$$" new-session -d -s console "cd '$top/collectd' &&
  WINEPREFIX='$WINEPREFIX' WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=;wmi=n' \
  /usr/lib/wine/wine64 ./collectd.exe -f -C 'C:\\collectd\\collectd.conf'"
on_exit "tmux -L '$suite$$' kill-server 2>/dev/null"
n=0
while ! contains "$zlog" "Initialization complete" && [ $n -lt 60 ]; do
  sleep 0.5
  n=$((n + 1))
done
ctrl_c=$(date +%s.%N)
tmux -L "$suite$$" send-keys -t console C-c
n=0
while ! contains "$zlog" "wmi plugin: stopped" && [ $n -lt 60 ]; do
  sleep 0.25
  n=$((n + 1))
done
echo "$suite: console Ctrl-C to the wmi plugin's shutdown took $(since "$ctrl_c") s"
check "console Ctrl-C: the wmi plugin's shutdown ran, collectd exited normally" \
  sh -c "grep -q 'wmi plugin: stopped' '$zlog' && grep -q 'Exiting normally' '$zlog'"
sleep 1
check "console Ctrl-C: no collectd.exe left" no_collectd_left

uninstall_line=$(zcmd --uninstall-service)
check "README-windows.txt: $uninstall_line" run_documented "$uninstall_line"
check "the service is gone" test "$(state)" = NONE
check "no collectd.exe left" no_collectd_left

summary
