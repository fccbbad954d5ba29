#!/bin/sh
# Runs a Windows test program under Wine in the project's own prefix.
# Usage: wine-run.sh PROGRAM.exe [ARGS...]
set -eu
: "${WINEPREFIX:=${TMPDIR:-/tmp}/collectd-wmi-wineprefix}"
WINEDEBUG=${WINEDEBUG:--all}
# wmi=n: the plugin's own wmi.dll, not Wine's builtin of the same name.
WINEDLLOVERRIDES="mscoree,mshtml=;wmi=n"
# The runtime DLLs (libgnu, winpthread) come from the collectd SDK.
if [ -n "${COLLECTD_SDK:-}" ]; then
  WINEPATH="Z:$(printf '%s' "$COLLECTD_SDK/bin" | tr / '\\')"
  export WINEPATH
fi
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
exec /usr/lib/wine/wine64 "$@"
