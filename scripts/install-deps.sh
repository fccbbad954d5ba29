#!/bin/sh
# Installs the Debian packages the build and the tests need. Idempotent and
# quick when everything is present; needs root (apt-get) otherwise.
set -eu

# clang and libclang-rt-dev (libFuzzer's runtime, only recommended by clang
# and so not installed with --no-install-recommends): the fuzz targets.
PACKAGES="gcc make autoconf automake libtool pkg-config bison flex gnulib
  gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev binutils-mingw-w64-x86-64
  libgcrypt-mingw-w64-dev
  wine64 collectd-dev curl ca-certificates xz-utils clang-format clang
  libclang-rt-dev"

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
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
