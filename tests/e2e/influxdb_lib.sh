# A throwaway InfluxDB 1.x (Debian's influxd) for the end-to-end tests
# (sourced after e2e_lib.sh, not run): its config, meta, data and WAL live
# under "$run"/influxdb, every listener is on 127.0.0.1, and it is stopped
# by its own process id when the test exits (on_exit), however it exits.
# Needs `run` and COLLECTD_SDK (its share/types.db decodes collectd's
# packets). curl talks to the HTTP API.
# shellcheck shell=sh disable=SC2154

influx_db=collectd
influx_pid=

# influx_start: influxd with its HTTP API on $influx_url and its collectd
# input (database "collectd") on UDP 127.0.0.1:$influx_collectd_port;
# returns once /ping answers, or 1 (with influxd's log) if it does not
# within 30 s.
influx_pings() { # influx_pings: /ping answers 204
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
    "$influx_url/ping")" = 204 ]
}

influx_start() {
  influx_dir=$run/influxdb
  mkdir -p "$influx_dir"
  # Another program could take a port before influxd binds it: influxd
  # then fails to start, and influx_start says so with influxd's log.
  influx_ports=$(free_ports 2)
  influx_http_port=${influx_ports% *}
  influx_rpc_port=${influx_ports#* }
  influx_collectd_port=$(free_ports 1 udp)
  influx_url=http://127.0.0.1:$influx_http_port
  # The README's 4 MiB UDP buffer, or the kernel's limit when that is lower
  # (influxd will not start the listener above it).
  influx_read_buffer=4194304
  rmem_max=$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 212992)
  [ "$rmem_max" -ge "$influx_read_buffer" ] || influx_read_buffer=$rmem_max
  # The backup/restore RPC service cannot be switched off in 1.6: it gets
  # a loopback port of its own. No usage reporting, no self-monitoring
  # database, no continuous queries, no input but collectd's. The collectd
  # input writes what it decoded once a second (batch-timeout), so a value
  # is queryable about a second after collectd sent it.
  cat >"$influx_dir/influxd.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$influx_rpc_port"

[meta]
  dir = "$influx_dir/meta"
  logging-enabled = false

[data]
  dir = "$influx_dir/data"
  wal-dir = "$influx_dir/wal"
  query-log-enabled = false
  wal-fsync-delay = "0s"

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:$influx_http_port"
  log-enabled = false
  pprof-enabled = false

[ifql]
  enabled = false

[[graphite]]
  enabled = false

[[opentsdb]]
  enabled = false

[[udp]]
  enabled = false

[[collectd]]
  enabled = true
  bind-address = "127.0.0.1:$influx_collectd_port"
  database = "$influx_db"
  typesdb = "$COLLECTD_SDK/share/types.db"
  security-level = "none"
  batch-size = 5000
  batch-pending = 10
  batch-timeout = "1s"
  parse-multivalue-plugin = "split"
  read-buffer = $influx_read_buffer

[logging]
  format = "logfmt"
  level = "info"
  suppress-logo = true
CONF
  on_exit influx_stop # before it starts: however the test ends, it stops
  # 8>&-: a server that outlived the test must not hold the run lock.
  /usr/bin/influxd run -config "$influx_dir/influxd.conf" \
    >"$influx_dir/influxd.log" 2>&1 8>&- &
  influx_pid=$!
  if ! wait_ready "$influx_pid" 300 influx_pings; then # 30 s
    echo "influxd did not start; its log:"
    cat "$influx_dir/influxd.log"
    influx_stop
    return 1
  fi
  # The collectd input would create it with its first batch; created here,
  # queries and writes find it before collectd sends anything.
  curl -sS --max-time 10 -o /dev/null -X POST "$influx_url/query" \
    --data-urlencode "q=CREATE DATABASE \"$influx_db\""
}

# influx_stop: TERM to influxd's pid, KILL if it still runs 10 s later.
influx_stop() {
  stop_pid "$influx_pid" 100
  influx_pid=
}

# influx_query INFLUXQL [EPOCH]: prints the API's JSON answer, its times
# in EPOCH units (ns, u, ms or s; ns by default).
influx_query() {
  curl -sS -G --max-time 30 "$influx_url/query" </dev/null \
    --data-urlencode "db=$influx_db" --data-urlencode "epoch=${2:-ns}" \
    --data-urlencode "q=$1"
}

# influx_write < LINES: writes line protocol (nanosecond stamps) to the
# database; returns 0 if InfluxDB took it (204).
influx_write() {
  influx_code=$(curl -sS --max-time 30 -o "$influx_dir/write.out" \
    -w '%{http_code}' -X POST "$influx_url/write?db=$influx_db&precision=ns" \
    --data-binary @-)
  [ "$influx_code" = 204 ] || {
    echo "InfluxDB refused the write ($influx_code):"
    cat "$influx_dir/write.out"
    return 1
  }
}
