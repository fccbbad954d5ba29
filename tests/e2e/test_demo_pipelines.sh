#!/bin/sh
# The README's demo of the whole chain (scripts/demo.sh --pipelines, whose
# part after the build is scripts/demo-pipelines.sh): it prints every
# cycle what arrived in Graphite and in InfluxDB, stops by itself after
# SECONDS and on Ctrl-C, and leaves no server or Wine process running.
# Needs COLLECTD_SDK, BUILDDIR (the Windows build) and SRCDIR; make check
# sets them. About 70 s.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/e2e/e2e_lib.sh"
suite=demo_pipelines

e2e_begin

export WMI_DLL="$BUILDDIR/wmi.dll"

# 1. After SECONDS: the table, with the baseline's series in both.
DEMO_RUN="$run/timed" "$SRCDIR/scripts/demo-pipelines.sh" "$COLLECTD_SDK" 25 \
  >"$run/timed.out" 2>&1
status=$?
check "the timed demo exits 0 ($status)" test "$status" -eq 0
last=$(grep -E '^[0-9]+ series: [0-9]+ in Graphite, [0-9]+ in InfluxDB$' "$run/timed.out" | tail -n 1)
set -- $last
check "its last table lists series in both ($last)" \
  test "${1:-0}" -ge 50 -a "${3:-0}" = "$1" -a "${6:-0}" = "$1"
check "a row shows memory-free in both" \
  grep -qE '^winbox\.wmi-memory\.memory-free +[0-9.e+]+ +[0-9.e+]+ +[0-9]+s$' "$run/timed.out"
check "it says it stops after its time" grep -q '^demo: stopping after' "$run/timed.out"
check "no server or Wine process is left" sh -c "! pgrep -f '$run/time[d]' >/dev/null"

# 2. Ctrl-C (SIGINT to its process group, as a terminal sends it, with
#    SIGINT not ignored as it would be for a background job here).
/usr/bin/python3 - "$SRCDIR/scripts/demo-pipelines.sh" "$COLLECTD_SDK" "$run" <<'PY'
import os, signal, subprocess, sys, time
script, sdk, run = sys.argv[1:4]
env = dict(os.environ, DEMO_RUN=run + "/interrupted")
def child():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()
with open(run + "/interrupted.out", "w") as out:
    p = subprocess.Popen([script, sdk, "0"], stdout=out, stderr=subprocess.STDOUT,
                         env=env, preexec_fn=child)
    time.sleep(22)
    os.killpg(p.pid, signal.SIGINT)
    try:
        code = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        code = -1
with open(run + "/interrupted.status", "w") as f:
    f.write("%d\n" % code)
PY
status=$(cat "$run/interrupted.status" 2>/dev/null)
check "Ctrl-C ends it with status 0 ($status)" test "$status" = 0
check "it says it stops on Ctrl-C" grep -q '^demo: stopping after .* (Ctrl-C)$' "$run/interrupted.out"
check "a table was printed before" grep -qE '^[0-9]+ series: ' "$run/interrupted.out"
check "no server or Wine process is left after Ctrl-C" \
  sh -c "! pgrep -f '$run/interrupte[d]' >/dev/null"
if [ "$failed" -gt 0 ]; then
  tail -n 20 "$run/timed.out" "$run/interrupted.out"
fi
summary
