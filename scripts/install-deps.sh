#!/bin/sh
# Installs the Debian packages the build and the tests need. Idempotent and
# quick when everything is present; needs root (apt-get) otherwise.
set -eu

# protobuf-c-compiler: protoc-c generates write_prometheus's protocol code
# for the Windows build of collectd (scripts/build-collectd-sdk.sh).
# clang and libclang-rt-dev (libFuzzer's runtime, only recommended by clang
# and so not installed with --no-install-recommends): the fuzz targets.
# graphite-carbon, python3-whisper, graphite-web, jq, iproute2 (ss):
# tests/e2e/test_graphite.sh (it starts carbon itself, never Debian's unit).
# influxdb, jq: tests/e2e/test_influxdb.sh (its own influxd on loopback too).
# wixl, msitools, zip, unzip: scripts/dist.sh (the MSI, the zip) and its test.
# tmux, procps: tests/e2e/test_service.sh (a terminal for Ctrl-C, pgrep).
# collectd-core, libgcrypt20, libyajl2, tcpdump: tests/e2e/test_central.sh
# (a Linux collectd as the central network server: its network plugin needs
# libgcrypt20, its write_log libyajl2, both only suggested by collectd-core;
# tcpdump: the loopback capture of the agents' packets).
# libmicrohttpd12, libprotobuf-c1: the same test's write_prometheus on the
# Linux collectd (its HTTP server and its protobuf exposition; both only
# suggested by collectd-core).
# prometheus (its prometheus and promtool): tests/e2e/test_prometheus.sh
# (a Prometheus on loopback scraping collectd.exe's write_prometheus, and the
# SYNTHETIC backfill for the Prometheus dashboard's test).
# perl: pod2man (make builds the manual page collectd-wmi(5)), podchecker
# (its test), pod2text and pod2html (scripts/dist.sh ships it as text, HTML).
PACKAGES="gcc make autoconf automake libtool pkg-config bison flex gnulib
  gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev binutils-mingw-w64-x86-64
  libgcrypt-mingw-w64-dev protobuf-c-compiler
  wine64 collectd-dev curl ca-certificates xz-utils clang-format clang
  libclang-rt-dev
  graphite-carbon python3-whisper graphite-web jq iproute2 influxdb
  wixl msitools zip unzip tmux procps perl collectd-core libgcrypt20
  libyajl2 tcpdump prometheus libmicrohttpd12 libprotobuf-c1"
# nodejs, npm: tests/unit/test_dashboard_schema.sh (npm ci of tests/schema/,
# Grafana's dashboard schema and the TypeScript compiler). A node installed
# otherwise, with its own npm, is used as it is: Debian's npm would conflict.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES="$PACKAGES nodejs npm"
fi

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: need root to apt-get install:$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Debian starts a package's service on install (carbon-cache, influxd on
# every interface, 8086 and 8088; prometheus on 9090). The tests start their
# own, on loopback: while installing, policy-rc.d (Debian's switch for this)
# refuses starts.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  # Removed however this script ends: left behind, it would refuse every
  # later service start on the machine.
  trap 'rm -f "$policy"' EXIT
  trap 'exit 1' HUP INT TERM
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
