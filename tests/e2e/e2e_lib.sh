# Shared by the long end-to-end tests and the read benchmark (sourced, not
# run): a prepared Wine prefix, collectd.conf writing, a daemon started and
# killed by its own pid, and checks on write_log's Graphite lines.
# The caller sets COLLECTD_SDK, SRCDIR, and `run` (a scratch directory
# holding collectd.exe and the plugin DLLs).
# shellcheck shell=sh disable=SC2154
. "$SRCDIR/tests/e2e/common.sh"

# A prefix of its own: these runs kill their prefix's server at the end,
# which must not hit another test's Wine programs. flock keeps two of them
# (or a test and the benchmark) from sharing the machine's two cores.
export WINEPREFIX="${E2E_WINEPREFIX:-${TMPDIR:-/tmp}/collectd-wmi-e2e-wineprefix}"
e2e_lock() {
  WMIBENCH_SIZES="$SLOW_FILES_0 $SLOW_FILES_01 $SLOW_FILES_1 $SLOW_FILES_3" \
    "$SRCDIR/tests/wine/prefix-setup.sh" || return 1
  exec 8>"$WINEPREFIX.run-lock"
  flock 8
}

# A real WMI query that reads every file of C:\wmibench\f<N>; the sizes
# give about 0, 0.1, 1 and 3 s on a 2-core machine (bench/README.md).
SLOW_FILES_0=0 SLOW_FILES_01=330 SLOW_FILES_1=1300 SLOW_FILES_3=2500
slow_statement() { # slow_statement FILES
  d="C:\\\\\\\\wmibench\\\\\\\\f$1\\\\\\\\"
  printf "SELECT Name FROM CIM_DataFile WHERE Name='%sx' OR Name='%sy'" "$d" "$d"
}

# A fast query: FreePhysicalMemory as winbox.wmi-<instance>.memory-free.
fast_query() { # fast_query NAME PLUGIN_INSTANCE
  cat <<STANZA
  <Query "$1">
    Statement "SELECT FreePhysicalMemory FROM Win32_OperatingSystem"
    PluginInstance "$2"
    <Result>
      Type "memory"
      InstancePrefix "free"
      ValuesFrom "FreePhysicalMemory"
    </Result>
  </Query>
STANZA
}

# A query whose one Result is a gauge from Name.
name_query() { # name_query NAME STATEMENT
  cat <<STANZA
  <Query "$1">
    Statement "$2"
    <Result>
      Type "gauge"
      ValuesFrom "Name"
    </Result>
  </Query>
STANZA
}

# A query on the slow CIM_DataFile directory; it returns no objects (the
# files it names do not exist), so its Result never converts anything.
slow_query() { name_query "$1" "$(slow_statement "$2")"; } # slow_query NAME FILES

# A query whose statement WMI refuses with WBEM_E_INVALID_QUERY.
broken_query() { name_query "$1" "SELECT FROM WHERE"; } # broken_query NAME

# wmi_query WQL KEY VALUE: "key<TAB>value" lines of a direct WMI query
# (tests/wine/wmi_query.exe), the reference the tests compare values with.
# Run it before the daemon starts: while it runs, wmi_query.exe would show
# up in the processes query as a short-lived series.
wmi_query() {
  "$SRCDIR/tests/wine/wine-run.sh" "$BUILDDIR/tests/wine/wmi_query.exe" \
    "$@" 2>/dev/null | tr -d '\r'
}

# The daemon in the background; its pid in $daemon, killed on exit.
daemon=
start_daemon() { # start_daemon CONF OUT
  "$SRCDIR/tests/wine/wine-run.sh" "$run/collectd.exe" -f -C "$(win "$1")" \
    >"$2" 2>&1 &
  daemon=$!
  daemon_started=$(date +%s)
}
# Kills it (Wine gives collectd no console event to stop on); returns 0 if
# it was still running.
stop_daemon() {
  [ -n "$daemon" ] || return 1
  alive=1
  kill -0 "$daemon" 2>/dev/null && alive=0
  kill -9 "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null
  daemon=
  return $alive
}
# Ends every program of the prefix (a crash may leave winedbg behind).
end_wine() {
  stop_daemon
  /usr/lib/wine/wineserver -k 2>/dev/null
  true
}

# The metric lines of a log, without the CR collectd writes on Windows.
metric_lines() {
  [ -f "$1" ] && tr -d '\r' <"$1" | grep -E '^[^ ]+ [^ ]+ [0-9]+$'
}

# series_span LOG NAME: seconds from the series' first to last stamp.
series_span() {
  metric_lines "$1" | awk -v n="$2" '$1 == n { if (!f) f = $3; l = $3 }
    END { print (f ? l - f : -1) }'
}

# wait_for_span LOG NAME SECONDS LIMIT: polls until the series spans
# SECONDS, or LIMIT seconds after the daemon started.
wait_for_span() {
  while [ "$(series_span "$1" "$2")" -lt "$3" ] &&
    [ $(($(date +%s) - daemon_started)) -lt "$4" ]; do
    sleep 0.5
  done
}

# series_report LOG NAME_REGEX STEP: one line per series matching the
# regular expression: "name points gaps repeats", where a gap is a step
# longer than STEP and a repeat a step shorter than STEP (same stamp or
# earlier). Each gap and repeat is printed as well, prefixed by "  ".
series_report() {
  metric_lines "$1" | awk -v re="$2" -v step="$3" '
    $1 ~ re {
      name = $1; t = $3
      if (!(name in points)) order[++names] = name
      if (name in last) {
        d = t - last[name]
        if (d > step) { gaps[name]++; detail[name] = detail[name] "  gap " last[name] " -> " t "\n" }
        if (d < step) { reps[name]++; detail[name] = detail[name] "  repeat " last[name] " -> " t "\n" }
      }
      last[name] = t; points[name]++
    }
    END {
      for (i = 1; i <= names; i++) {
        n = order[i]
        printf "%s %d %d %d\n%s", n, points[n], gaps[n], reps[n], detail[n]
      }
    }'
}

# e2e_begin: a scratch folder `run` with collectd.exe, its DLLs and
# wmi.dll, removed (and the prefix's Wine stopped) on exit; then the
# prefix set up and the run lock taken, or the suite fails at once.
# on_exit COMMAND: runs COMMAND when the script exits, however it exits,
# after the daemon is stopped; the last added runs first. For servers a
# test starts: each is stopped by the process id it was started with.
cleanups=
on_exit() { cleanups="$1; $cleanups"; }

# e2e_scratch: the scratch folder $run and the cleanups on exit, for a
# test that runs nothing under Wine (no lock on the shared prefix, and its
# exit never ends the prefix's programs).
e2e_scratch() {
  run=$(mktemp -d)
  # A second Ctrl-C must not cut the cleanup short: signals are ignored
  # while it runs.
  trap 'trap "" HUP INT PIPE TERM QUIT; [ -z "${e2e_wine:-}" ] || end_wine
    eval "$cleanups"
    [ -n "${KEEP:-}" ] || rm -rf "$run"' EXIT
  trap 'exit 1' HUP INT PIPE TERM QUIT
}

e2e_begin() {
  e2e_wine=1
  e2e_scratch
  cp "$COLLECTD_SDK"/bin/* "$BUILDDIR/wmi.dll" "$run/"
  e2e_lock || { echo "$suite: 0 passed, 1 failed"; exit 1; }
}

sanitize() { printf '%s' "$1" | tr -c 'A-Za-z0-9_-' '_'; } # as the plugin names
# reference_values: what the pipeline tests compare stored values with,
# read directly from WMI before the daemon starts: total_kib (memory,
# KiB), disks ("DeviceID<TAB>Size" of fixed disks) and services
# ("Name<TAB>State").
# shellcheck disable=SC2034 # set for the sourcing test
reference_values() {
  total_kib=$(wmi_query "SELECT TotalVisibleMemorySize FROM Win32_OperatingSystem" \
    TotalVisibleMemorySize TotalVisibleMemorySize | cut -f2)
  disks=$(wmi_query "SELECT DeviceID, Size FROM Win32_LogicalDisk WHERE DriveType = 3" \
    DeviceID Size)
  services=$(wmi_query "SELECT Name, State FROM Win32_Service" Name State)
}

# disk_sizes: wmi_query's "DeviceID<TAB>Size" lines (stdin) as the
# baseline names them: "size-<DeviceID sanitized> <Size>", sorted.
disk_sizes() {
  while IFS="$(printf '\t')" read -r id size; do
    [ -n "$id" ] && echo "size-$(sanitize "$id") $size"
  done | sort
}

# The series conf/wmi.conf's Win32_PerfRawData_* queries (and the packs'
# queries) give on Windows, which Wine cannot produce (it has none of these
# classes): the tests store a few SYNTHETIC points under exactly these
# names, so that the dashboards' panels on them are checked too. Only the
# object names (the Name Windows gives each processor, disk, interface,
# site, ...) are samples; a class without any here gets
# $PERF_OBJECT_FALLBACK's names when that is set, else none (return 1).
perf_object_names() { # perf_object_names CLASS
  case $1 in
  Win32_PerfRawData_PerfOS_Processor) printf '0\n1\n_Total\n' ;;
  Win32_PerfRawData_PerfDisk_PhysicalDisk) printf '0 C:\n_Total\n' ;;
  Win32_PerfRawData_Tcpip_NetworkInterface)
    echo "Intel[R] 82574L Gigabit Network Connection" ;;
  Win32_PerfRawData_W3SVC_WebService) printf 'Default Web Site\nShop\n' ;;
  Win32_PerfRawData_APPPOOLCountersProvider_APPPOOLWAS)
    printf 'DefaultAppPool\nShop\n' ;;
  Win32_PerfRawData_W3SVCW3WPCounterProvider_W3SVCW3WP)
    printf '1234_DefaultAppPool\n5678_Shop\n' ;;
  Win32_PerfRawData_ASPNET_ASPNETApplications)
    printf '_LM_W3SVC_1_ROOT\n_LM_W3SVC_2_ROOT_shop\n' ;;
  *)
    [ -n "${PERF_OBJECT_FALLBACK:-}" ] || return 1
    printf '%s\n' "$PERF_OBJECT_FALLBACK"
    ;;
  esac
}
# perf_results CONF [CLASSES]: one line per Result of a query on a class
# whose name matches the awk regular expression CLASSES
# (Win32_PerfRawData_[A-Za-z_]+ by default): "plugin_instance type
# instance_prefix(or -) instances_from(0|1) class".
perf_results() {
  awk -v classes="${2:-Win32_PerfRawData_[A-Za-z_]+}" '
    /^[ \t]*#/ { next }
    /<Query "/ { split($0, a, "\""); instance = a[2]; class = "" }
    /^[ \t]*PluginInstance / { split($0, a, "\""); instance = a[2] }
    /^[ \t]*Statement / && match($0, "[Ff][Rr][Oo][Mm] +" classes) {
      class = substr($0, RSTART, RLENGTH)
      sub(/^[Ff][Rr][Oo][Mm] +/, "", class)
    }
    /<Result>/ { type = ""; prefix = "-"; from = 0 }
    /^[ \t]*Type / { split($0, a, "\""); type = a[2] }
    /^[ \t]*InstancePrefix / { split($0, a, "\""); prefix = a[2] }
    /^[ \t]*InstancesFrom / { from = 1 }
    /<\/Result>/ && class != "" { print instance, type, prefix, from, class }
  ' "$1"
}
# perf_series RESULTS TYPESDB: per series of the lines perf_results
# printed, "plugin_instance|type|type_instance|data source|the type's
# number of data sources" (type_instance as the plugin joins it:
# prefix-name, either alone, or empty; "|" as tabs would merge around an
# empty field when read). A class without sample names
# is named on stderr and returns 1.
perf_series() {
  perf_status=0
  while read -r instance type prefix from class; do
    [ "$prefix" = - ] && prefix=
    names=
    if [ "$from" = 1 ]; then
      names=$(perf_object_names "$class") || {
        echo "$class" >&2
        perf_status=1
        continue
      }
    fi
    sources=$(awk -v t="$type" '$1 == t {
      for (i = 2; i <= NF; i++) { split($i, f, ":"); print f[1] } }' "$2")
    count=$(printf '%s\n' "$sources" | wc -l)
    printf '%s\n' "$names" | while IFS= read -r name; do
      ti=$prefix
      [ -n "$name" ] && ti=${ti:+$ti-}$(sanitize "$name")
      for ds in $sources; do
        printf '%s|%s|%s|%s|%s\n' "$instance" "$type" "$ti" "$ds" "$count"
      done
    done
  done <"$1"
  return $perf_status
}
