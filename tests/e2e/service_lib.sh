# The collectd service in a Wine prefix, for the tests that install it
# (sourced, not run). The caller defines w (Wine with the prefix's
# environment) and exports WINEPREFIX.
# shellcheck shell=sh
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
state() { # the service's state in sc query (RUNNING, ...), or NONE
  s=$(w sc query collectd | tr -d '\r' | awk '$1 == "STATE" { print $4 }')
  echo "${s:-NONE}"
}
wait_state() { # wait_state STATE SECONDS
  n=0
  while [ "$(state)" != "$1" ] && [ "$n" -lt $(($2 * 4)) ]; do
    sleep 0.25
    n=$((n + 1))
  done
  [ "$(state)" = "$1" ]
}
collectd_pids() { # processes of this prefix running collectd.exe
  for p in $(pgrep -f 'collectd\.exe' 2>/dev/null); do
    { tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null |
      grep -qx "WINEPREFIX=$WINEPREFIX" && echo "$p"
  done
}
