# What every end-to-end script uses (sourced, not run): checks and their
# summary, and collectd.conf writing. Set `suite`, `run` (the scratch
# folder holding collectd.exe and the plugin DLLs) and COLLECTD_SDK first.
# check DESCRIPTION COMMAND... counts COMMAND's outcome and names a
# failure; summary prints the line tests/run-all.sh adds up.
# shellcheck shell=sh disable=SC2154
passed=0 failed=0
check() {
  what=$1
  shift
  if "$@"; then passed=$((passed + 1)); else
    failed=$((failed + 1))
    echo "FAIL $suite: $what"
  fi
}
summary() {
  echo "$suite: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# readme_block SECTION N: the Nth fenced block of the README's section
# "### SECTION..." (the blocks the README documents, as the tests run them).
readme_block() {
  awk -v s="### $1" -v n="$2" '/^### / { in_section = (index($0, s) == 1) }
    in_section && /^```/ { if (fence) { fence = 0; if (count == n) exit }
                           else { fence = 1; count++ }; next }
    in_section && fence && count == n' "$SRCDIR/README.md"
}
# readme_section SECTION: the text of that section, up to the next heading.
readme_section() {
  awk -v s="### $1" '/^##/ { in_section = (index($0, s) == 1); next }
    in_section' "$SRCDIR/README.md"
}

win() { printf 'Z:%s' "$1" | sed 's#/#\\\\#g'; } # a Windows path in collectd.conf

# write_conf FILE LOG READ_THREADS BODY [INTERVAL]: a daemon "winbox" with
# logfile and write_log (Graphite), Interval INTERVAL (default 1), and BODY
# (plugins and their stanzas).
write_conf() {
  cat >"$1" <<CONF
Hostname "winbox"
BaseDir "$(win "$run")"
PluginDir "$(win "$run")"
TypesDB "$(win "$COLLECTD_SDK/share/types.db")"
Interval ${5:-1}
ReadThreads $3
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$(win "$2")"
</Plugin>
LoadPlugin write_log
<Plugin write_log>
  Format Graphite
</Plugin>
$4
CONF
}

# The writer blocks the README documents, to 127.0.0.1: graphite_writer
# PORT (write_graphite, Prefix "collectd.") and network_writer PORT
# (collectd's network plugin, for InfluxDB's collectd input). FlushInterval
# 1 sends each value within a second, not when a packet is full.
graphite_writer() {
  cat <<BLOCK
<LoadPlugin write_graphite>
  FlushInterval 1
</LoadPlugin>
<Plugin write_graphite>
  <Node "carbon">
    Host "127.0.0.1"
    Port "$1"
    Prefix "collectd."
  </Node>
</Plugin>
BLOCK
}
network_writer() {
  cat <<BLOCK
<LoadPlugin network>
  FlushInterval 1
</LoadPlugin>
<Plugin network>
  Server "127.0.0.1" "$1"
</Plugin>
BLOCK
}

wmi_body() { # wmi_body STANZA: loads the plugin with STANZA
  printf 'LoadPlugin wmi\n<Plugin wmi>\n%s\n</Plugin>\n' "$1"
}

# stop_pid PID TENTHS: SIGTERM to PID, SIGKILL if it still runs TENTHS
# tenths of a second later, then reaps it. Servers are stopped by the
# process id they were started with, never by name.
stop_pid() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null
  stop_waited=0
  while kill -0 "$1" 2>/dev/null && [ "$stop_waited" -lt "$2" ]; do
    sleep 0.1
    stop_waited=$((stop_waited + 1))
  done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# loopback_only PID: PID listens (TCP or UDP), and on 127.0.0.1 only.
loopback_only() {
  ss -Hltunp | awk -v p="pid=$1," 'index($0, p) { n++
      if ($5 !~ /^127\.0\.0\.1:/) { bad++; print "  listens on " $5 } }
    END { exit !(n > 0 && !bad) }'
}

# free_ports N [udp]: N distinct ports the kernel just handed out on
# 127.0.0.1 (TCP, or UDP) and took back (all held open together, so never
# the same one twice); free unless another program grabs one meanwhile.
free_ports() {
  /usr/bin/python3 -c 'import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[2:] == ["udp"] else socket.SOCK_STREAM
socks = [socket.socket(socket.AF_INET, kind) for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$@"
}

port_open() { # port_open PORT: something accepts on 127.0.0.1:PORT
  /usr/bin/python3 -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
except OSError:
    sys.exit(1)' "$1"
}

# wait_ready PID TENTHS COMMAND...: runs COMMAND every tenth of a second
# until it succeeds (returns 0), PID has ended (1; reaped) or TENTHS tenths
# have passed (2): how a test waits for a server it started.
wait_ready() {
  ready_pid=$1 ready_tenths=$2 ready_waited=0
  shift 2
  while [ "$ready_waited" -lt "$ready_tenths" ]; do
    if ! kill -0 "$ready_pid" 2>/dev/null; then
      wait "$ready_pid" 2>/dev/null
      return 1
    fi
    "$@" && return 0
    sleep 0.1
    ready_waited=$((ready_waited + 1))
  done
  return 2
}
