#!/bin/sh
# shellcheck shell=sh disable=SC1091,SC2016,SC2034,SC2154
# The README's demo of the whole chain, `scripts/demo.sh --pipelines
# [SECONDS]` (already built: DEMO_SKIP_BUILD): it prints every cycle what
# arrived in Graphite, in InfluxDB and in Prometheus, stops by itself after
# SECONDS and on Ctrl-C, and leaves no server or Wine process running.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 80 s.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=demo_pipelines

e2e_begin

export DEMO_SKIP_BUILD=1 WMI_DLL="$BUILDDIR/wmi.dll"
export COLLECTD_WMI_SDK="$COLLECTD_SDK" DEMO_WINEPREFIX="$WINEPREFIX"
# no_servers DIR: no process names DIR (the demo's carbon-cache, influxd,
# prometheus and collectd.exe all do; the pattern's [] keep pgrep from matching the
# shell that runs it).
no_servers() { ! pgrep -f "$(printf '%s' "$1" | sed 's/.$/[&]/')" >/dev/null; }
# no_wine: the prefix's wineserver, and so every Wine process, has ended.
no_wine() { timeout 10 /usr/lib/wine/wineserver -w; }

# 1. After SECONDS: the table, with the baseline's series in all three.
DEMO_RUN="$run/timed" "$SRCDIR/scripts/demo.sh" --pipelines 25 \
  >"$run/timed.out" 2>&1
status=$?
check "the timed demo exits 0 ($status)" test "$status" -eq 0
last=$(grep -E '^[0-9]+ series: [0-9]+ in Graphite, [0-9]+ in InfluxDB, [0-9]+ in Prometheus$' \
  "$run/timed.out" | tail -n 1)
# shellcheck disable=SC2086 # the line's words
set -- $last
check "its last table lists the same series in all three ($last)" \
  test "${1:-0}" -ge 50 -a "${3:-0}" = "$1" -a "${6:-0}" = "$1" -a "${9:-0}" = "$1"
# The last table: from its header to its count line.
awk '/^series +graphite +influxdb +prometheus +age$/ { t = "" } { t = t $0 "\n" }
  END { printf "%s", t }' "$run/timed.out" >"$run/last-table.txt"
check "its header names the three columns" \
  grep -qE '^series +graphite +influxdb +prometheus +age$' "$run/last-table.txt"
number='[0-9][0-9.e+]*'
check "a row shows memory-free in all three" \
  grep -qE "^winbox\.wmi-memory\.memory-free +$number +$number +$number +[0-9]+s$" "$run/last-table.txt"
# memory-total does not change: the three columns show the same value.
check "memory-total shows the same value in all three ($(grep '^winbox\.wmi-memory\.memory-total ' "$run/last-table.txt"))" \
  awk '$1 == "winbox.wmi-memory.memory-total" { found = 1; ok = $2 ~ /^[0-9]/ && $2 == $3 && $3 == $4 }
    END { exit !(found && ok) }' "$run/last-table.txt"
check "no row lacks a value in the Prometheus column" \
  awk '/^winbox\./ && $4 == "-" { bad++; print "  no value: " $1 } END { exit bad > 0 }' \
    "$run/last-table.txt"
check "it says it stops after its time" grep -q '^demo: stopping after' "$run/timed.out"
check "no server is left" no_servers "$run/timed"
check "no Wine process is left" no_wine

# 2. Ctrl-C: SIGINT to its process group, as a terminal sends it (with
#    SIGINT at its default, not ignored as for a background job here),
#    once the first table is out.
/usr/bin/python3 - "$SRCDIR/scripts/demo.sh" "$run" <<'PY'
import os, signal, subprocess, sys, time
script, run = sys.argv[1:3]
env = dict(os.environ, DEMO_RUN=run + "/interrupted")
def child():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()
code = -1
with open(run + "/interrupted.out", "w") as out:
    p = subprocess.Popen([script, "--pipelines", "0"], stdout=out,
                         stderr=subprocess.STDOUT, env=env, preexec_fn=child)
    try:
        deadline = time.time() + 90
        while time.time() < deadline and p.poll() is None:
            with open(run + "/interrupted.out") as seen:
                if any(" series: " in line for line in seen):
                    break
            time.sleep(0.5)
        os.killpg(p.pid, signal.SIGINT)
        code = p.wait(timeout=40)
    finally:
        if p.poll() is None:  # never left running, whatever happened here
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
with open(run + "/interrupted.status", "w") as f:
    f.write("%d\n" % code)
PY
status=$(cat "$run/interrupted.status" 2>/dev/null)
check "Ctrl-C ends it with status 0 ($status)" test "$status" = 0
check "it says it stops on Ctrl-C" grep -q '^demo: stopping after .* (Ctrl-C)$' "$run/interrupted.out"
check "a table was printed before" grep -qE '^[0-9]+ series: ' "$run/interrupted.out"
check "no server is left after Ctrl-C" no_servers "$run/interrupted"
check "no Wine process is left after Ctrl-C" no_wine
if [ "$failed" -gt 0 ]; then
  tail -n 20 "$run/timed.out" "$run/interrupted.out"
fi
summary
