#!/bin/sh
# Builds the real collectd 5.12 daemon for Windows (x86_64-w64-mingw32) from
# Debian's collectd source package, and lays out an SDK folder:
#   bin/      collectd.exe, plugins (logfile, write_log, write_graphite,
#             network), libgnu.dll, libwinpthread-1.dll, and network's
#             libgcrypt-20.dll, libgpg-error-0.dll
#   include/  collectd's headers with the Windows config.h
#   lib/      libcollectd.a (collectd.exe's import library), libgnu.dll.a
#   share/    types.db
# The result is cached: a second run with the same inputs returns at once.
#
# Usage: scripts/build-collectd-sdk.sh [SDK_DIR]
#   SDK_DIR defaults to $COLLECTD_WMI_SDK or ~/.cache/collectd-wmi/sdk-5.12.0
set -eu

here=$(cd "$(dirname "$0")" && pwd)
sdk=${1:-${COLLECTD_WMI_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0}}
host=x86_64-w64-mingw32
jobs=$(nproc 2>/dev/null || echo 2)

# The cache key: this script, the shim it compiles and the patch it applies.
key=$(cat "$0" "$here/sdk/dlfcn.c" "$here/sdk/dlfcn.h" "$here/sdk/network-win32.patch" |
  sha256sum | cut -c1-16)
if [ -f "$sdk/.complete" ] && [ "$(cat "$sdk/.complete")" = "$key" ]; then
  echo "collectd SDK: cached in $sdk"
  exit 0
fi

"$here/install-deps.sh"

started=$(date +%s)
work="$sdk.build"
rm -rf "$work" "$sdk"
mkdir -p "$work"
log="$work/build.log"
step() { echo "collectd SDK: $*"; }
run() { "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "collectd SDK: failed: $*, see $log" >&2; exit 1; }; }

# 1. Debian's source package. Only the upstream tarball is needed; its URL and
#    checksum come from apt's deb-src index.
if ! apt-get source --print-uris collectd 2>/dev/null | grep -q orig.tar; then
  step "adding a deb-src entry for Debian's archive"
  suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
  cat >/etc/apt/sources.list.d/collectd-wmi-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  run apt-get update -q
fi
set -- $(apt-get source --print-uris collectd 2>/dev/null | grep "orig.tar" | tr -d "'")
url=$1 file=$2 sum=${4#SHA256:}
step "fetching $file"
run curl -sSf -o "$work/$file" "$url"
echo "$sum  $work/$file" | sha256sum -c - >/dev/null
tar -xf "$work/$file" -C "$work"
src=$(find "$work" -maxdepth 1 -type d -name 'collectd-*' | head -n 1)

# 2. gnulib, the POSIX pieces collectd needs on Windows, as libgnu.dll.
step "building gnulib"
run gnulib-tool --create-testdir --source-base=lib --dir="$work/gnulib" \
  canonicalize-lgpl fcntl-h fnmatch gethostname getsockopt gettimeofday nanosleep netdb \
  net_if poll recv recvfrom regex sendto setlocale strtok_r sys_resource sys_socket \
  sys_stat sys_wait time_r
gllib="$work/gnulib/gllib"
(cd "$work/gnulib" && run ./configure --host=$host LIBS="-lws2_32 -lpthread" &&
  run make -j"$jobs" -C gllib)
(cd "$gllib" && run $host-gcc -shared -o libgnu.dll -Wl,--out-implib,libgnu.dll.a \
  $(find . -name '*.o') -lws2_32 -lpthread)

# 3. dlfcn over LoadLibrary, for collectd's plugin loader.
mkdir -p "$work/dl"
cp "$here/sdk/dlfcn.h" "$work/dl/"
run $host-gcc -O2 -Wall -c -o "$work/dl/dlfcn.o" "$here/sdk/dlfcn.c"
run $host-ar rcs "$work/dl/libdl.a" "$work/dl/dlfcn.o"

# 4. collectd itself. Cache variables answer the checks that cannot run
#    while cross compiling; gnulib's headers are given to make only, since
#    they break configure's own checks.
step "configuring collectd"
cd "$src"
# network.c on Windows: gnulib's socket headers, no fcntl() locks in the
# AuthFile reader (see the patch).
run patch -p1 -i "$here/sdk/network-win32.patch"
run autoreconf -fi
run ./configure --host=$host --prefix=/collectd \
  --disable-all-plugins --enable-logfile --enable-write_log \
  --enable-write_graphite --enable-match_regex --enable-target_set \
  --enable-network --with-libgcrypt=/usr/$host/bin/libgcrypt-config \
  --disable-werror \
  c_cv_fp_layout_need_nothing=yes c_cv_have_strtok_r_default=yes \
  CPPFLAGS="-I$work/dl" LDFLAGS="-L$gllib -L$work/dl" \
  LIBS="-lgnu -lws2_32 -lpthread -liphlpapi"
cp "$work/gnulib/config.h" src/gnulib_config.h
echo "#include <config.h.in>" >>src/gnulib_config.h
# libtool's cwrapper must not be built with the target's CFLAGS.
sed -i 's%$LTCC $LTCFLAGS\(.*cwrapper.*\)%$LTCC \1%' libtool

mk() { run make -j"$jobs" CFLAGS="-O2 -I$gllib -I$work/dl" "$@"; }
step "building collectd.exe"
mk collectd.exe
step "building plugins"
mk logfile.la write_log.la write_graphite.la match_regex.la target_set.la network.la

# 5. The SDK layout.
step "laying out $sdk"
mkdir -p "$sdk/bin" "$sdk/include" "$sdk/lib" "$sdk/share"
# libtool leaves a wrapper at the top; the daemon itself is in .libs.
cp .libs/collectd.exe "$sdk/bin/"
for p in logfile write_log write_graphite match_regex target_set network; do
  cp ".libs/$p.dll" "$sdk/bin/"
done
cp "$gllib/libgnu.dll" /usr/$host/lib/libwinpthread-1.dll "$sdk/bin/"
cp /usr/$host/bin/libgcrypt-20.dll /usr/$host/bin/libgpg-error-0.dll "$sdk/bin/"
cp libcollectd.a "$gllib/libgnu.dll.a" "$sdk/lib/"
(cd src && find . -name '*.h' | while read -r h; do
  mkdir -p "$sdk/include/$(dirname "$h")" && cp "$h" "$sdk/include/$h"
done)
cp src/config.h src/config.h.in src/gnulib_config.h "$sdk/include/"
mkdir -p "$sdk/include/gnulib"
(cd "$gllib" && find . -name '*.h' | while read -r h; do
  mkdir -p "$sdk/include/gnulib/$(dirname "$h")" && cp "$h" "$sdk/include/gnulib/$h"
done)
cp src/types.db "$sdk/share/"
cd /
rm -rf "$work"
echo "$key" >"$sdk/.complete"
step "done in $(($(date +%s) - started)) s: $sdk"
