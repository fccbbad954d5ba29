# A throwaway carbon-cache (Debian's graphite-carbon) on 127.0.0.1 for the
# end-to-end tests (sourced, not run; POSIX sh). Needs e2e_lib.sh's
# on_exit: carbon_start registers carbon_stop with it, so carbon stops
# however the test exits.
#   carbon_start DIR SCHEMAS AGGREGATION
#       config, whisper files and logs under DIR (the test's scratch dir);
#       SCHEMAS and AGGREGATION copied as they are into its conf dir (carbon
#       appends its own default, 60 s for 7 days, for what they do not
#       match); starts carbon-cache in the foreground as a background job
#       of this shell and waits for its line receiver. Sets CARBON_PID,
#       CARBON_PORT (line receiver), CARBON_QUERY_PORT (cache query, for
#       graphite-web) and CARBON_WHISPER (the whisper dir).
#   carbon_stop   SIGTERM to CARBON_PID only (SIGKILL after 15 s), waits.
#       Points still in carbon's cache are lost: wsp_wait_all first.
#   carbon_send < LINES     Graphite plaintext lines ('name value ts').
#   wsp_file NAME           the .wsp path of series NAME.
#   wsp_wait_all [SECONDS] < 'NAME TS' lines: waits until each NAME has a
#       value at TS in its first archive (default 15 s; names what is
#       missing and fails after that).
#   wsp_dump FROM > FILE    every stored point of the first archive from
#       FROM on, as Graphite lines 'name value slot', by name then time.
# Debian's python3 runs carbon and whisper; pyenv's python3, first in PATH,
# has neither: always /usr/bin/python3.
# shellcheck shell=sh
PY=/usr/bin/python3
CARBON_PID=


carbon_write_conf() { # carbon_write_conf DIR LINE_PORT QUERY_PORT SCHEMAS AGGREGATION
  mkdir -p "$1/conf" "$1/storage/whisper" "$1/log" "$1/run"
  # An empty or missing schemas file would not stop carbon: it would
  # silently store everything at its default of 60 s.
  for f in "$4" "$5"; do
    [ -s "$f" ] || {
      echo "carbon: no file $f" >&2
      return 1
    }
  done
  cp "$4" "$1/conf/storage-schemas.conf"
  cp "$5" "$1/conf/storage-aggregation.conf"
  cat >"$1/conf/carbon.conf" <<EOF
[cache]
STORAGE_DIR = $1/storage
LOCAL_DATA_DIR = $1/storage/whisper
WHITELISTS_DIR = $1/storage/lists
CONF_DIR = $1/conf
LOG_DIR = $1/log
PID_DIR = $1/run
ENABLE_LOGROTATION = False
USER =
DATABASE = whisper
MAX_CACHE_SIZE = inf
# The writer thread drains the whole cache, then sleeps 1 s: a point is on
# disk about a second after it arrives.
MAX_UPDATES_PER_SECOND = 100000
MAX_UPDATES_PER_SECOND_ON_SHUTDOWN = 100000
MAX_CREATES_PER_MINUTE = 100000
CACHE_WRITE_STRATEGY = sorted
WHISPER_AUTOFLUSH = False
# Sparse files: a series of two years' retention is 2 MB, mostly empty.
WHISPER_SPARSE_CREATE = True
WHISPER_FALLOCATE_CREATE = False
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $2
ENABLE_UDP_LISTENER = False
# Port 0: no pickle receiver.
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = 0
# graphite-web's CARBONLINK_HOSTS asks it for points not yet written.
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $3
ENABLE_MANHOLE = False
ENABLE_AMQP = False
# No tag database (it would POST to a graphite-web).
ENABLE_TAGS = False
USE_FLOW_CONTROL = True
LOG_LISTENER_CONNECTIONS = True
LOG_UPDATES = False
LOG_CREATES = True
LOG_CACHE_HITS = False
# 0: carbon stores none of its own carbon.* series, so the whisper dir
# holds exactly what the test fed it.
CARBON_METRIC_INTERVAL = 0
EOF
}

# carbon_listens DIR: its own log says it listens (an open port alone
# could be another program's that took the port first), and the port
# accepts.
carbon_listens() {
  grep -q "CarbonReceiverFactory starting on $CARBON_PORT\$" \
    "$1/log/console.log" && port_open "$CARBON_PORT"
}

carbon_start() { # carbon_start DIR SCHEMAS AGGREGATION
  on_exit carbon_stop
  CARBON_WHISPER=$1/storage/whisper
  for carbon_attempt in 1 2 3; do
    carbon_ports=$(free_ports 2)
    CARBON_PORT=${carbon_ports% *}
    CARBON_QUERY_PORT=${carbon_ports#* }
    carbon_write_conf "$1" "$CARBON_PORT" "$CARBON_QUERY_PORT" "$2" "$3" ||
      return 1
    # --nodaemon: no fork, so $! is carbon itself (a simple command: sh
    # execs it in the child it forked); its log goes to stdout.
    "$PY" /usr/bin/carbon-cache --config="$1/conf/carbon.conf" \
      --pidfile="$1/run/carbon-cache.pid" --nodaemon start \
      >"$1/log/console.log" 2>&1 8>&- &
    CARBON_PID=$!
    wait_ready "$CARBON_PID" 200 carbon_listens "$1" && return 0 # 20 s
    carbon_stop
    echo "carbon-cache did not listen on 127.0.0.1:$CARBON_PORT (attempt $carbon_attempt)" >&2
  done
  tail -n 20 "$1/log/console.log" >&2
  return 1
}

carbon_stop() {
  stop_pid "$CARBON_PID" 150
  CARBON_PID=
}

carbon_send() { # carbon_send < 'name value ts' lines
  "$PY" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.sendall(sys.stdin.buffer.read())
s.close()' "$CARBON_PORT"
}

wsp_file() { printf '%s/%s.wsp\n' "$CARBON_WHISPER" "$(printf '%s' "$1" | tr . /)"; }

wsp_wait_all() { # wsp_wait_all [SECONDS] < 'NAME TS' lines
  "$PY" -c 'import os, sys, time, whisper
root, limit = sys.argv[1], float(sys.argv[2])
want = {}
for line in sys.stdin:
    if line.strip():
        name, ts = line.split()[:2]
        want[(name, int(float(ts)))] = os.path.join(root, *name.split(".")) + ".wsp"

def stored(path, ts):
    try:
        step = whisper.info(path)["archives"][0]["secondsPerPoint"]
        slot = ts - ts % step
        # fetch() returns the slots after its from: ask from slot - step.
        (start, _, step), values = whisper.fetch(path, slot - step, slot + step)
        return values[(slot - start) // step] is not None
    except Exception:
        return False  # not created yet, or being created

end = time.time() + limit
while want and time.time() < end:
    want = {k: p for k, p in want.items() if not stored(p, k[1])}
    if want:
        time.sleep(0.1)
for name, ts in sorted(want)[:10]:
    print("not on disk: %s at %d" % (name, ts), file=sys.stderr)
sys.exit(1 if want else 0)' "$CARBON_WHISPER" "${1:-15}"
}

wsp_dump() { # wsp_dump FROM: 'name value slot' for every stored point
  "$PY" -c 'import os, sys, time, whisper
root, since = sys.argv[1], int(sys.argv[2])
for d, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        if not f.endswith(".wsp"):
            continue
        path = os.path.join(d, f)
        name = os.path.relpath(path, root)[:-4].replace(os.sep, ".")
        step = whisper.info(path)["archives"][0]["secondsPerPoint"]
        (start, _, step), values = whisper.fetch(path, since - step, None)
        for i, v in enumerate(values):
            if v is not None:
                # Integers as integers (exact below 2^53), others as
                # Python reads them back.
                text = "%d" % v if v == int(v) and abs(v) < 2**53 else repr(v)
                print(name, text, start + i * step)' "$CARBON_WHISPER" "$1"
}
