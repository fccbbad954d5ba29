#!/bin/sh
# Builds everything from a fresh clone: installs Debian packages, builds (or
# reuses) the collectd SDK for Windows, the native portable core with its
# tests, and wmi.dll with the Windows tests.
#   build/native  the portable core (make check: sanitizer unit tests)
#   build/win     wmi.dll (make check: Wine tests and the end-to-end test)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sdk=${COLLECTD_WMI_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0}
jobs=$(nproc 2>/dev/null || echo 2)

"$top/scripts/install-deps.sh"
"$top/scripts/build-collectd-sdk.sh" "$sdk"

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
  autoreconf -fi >/dev/null
fi
mkdir -p build/native build/win
(cd build/native && { [ -f Makefile ] || ../../configure -q; } && make -s -j"$jobs")
(cd build/win && { [ -f Makefile ] || ../../configure -q --host=x86_64-w64-mingw32 \
  --with-collectd-sdk="$sdk"; } && make -s -j"$jobs")
echo "build: done (SDK: $sdk)"
