#!/bin/sh
# Builds the real collectd 5.12 daemon for Windows (x86_64-w64-mingw32) from
# Debian's collectd source package, and lays out an SDK folder:
#   bin/      collectd.exe, the stock plugins of share/plugins.txt (logfile,
#             write_log, write_graphite, write_prometheus, network, csv,
#             threshold, aggregation, the match_* and target_* filters),
#             libgnu.dll, and every non-system DLL these import
#             (share/runtime-dlls.txt): libwinpthread-1.dll, network's
#             libgcrypt-20.dll, libgpg-error-0.dll, write_prometheus's
#             libmicrohttpd-12.dll and libprotobuf-c-1.dll (built here from
#             Debian's source packages)
#   include/  collectd's headers with the Windows config.h
#   lib/      libcollectd.a (collectd.exe's import library), libgnu.dll.a
#   licenses/ collectd's COPYING, the licence of each shipped binary's
#             sources, libgnu.dll's gnulib modules and the texts they refer to
#   share/    types.db, plugins.txt, runtime-dlls.txt
# bin/ and lib/ are reproducible: the same inputs give the same bytes, in
# whatever folder the SDK is built.
# The result is cached: a second run with the same inputs returns at once.
#
# Usage: scripts/build-collectd-sdk.sh [SDK_DIR]
#   SDK_DIR defaults to $COLLECTD_WMI_SDK or ~/.cache/collectd-wmi/sdk-5.12.0
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
sdk=${1:-${COLLECTD_WMI_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0}}
host=x86_64-w64-mingw32
jobs=$(nproc 2>/dev/null || echo 2)
# Sorting, globs and dates the same for every caller.
LC_ALL=C TZ=UTC
export LC_ALL TZ

# The Windows service code another part of the project links into
# collectd.exe; optional.
svc_src="$top/src/service"

# The cache key: this script and, by name, every file in scripts/sdk/ (the
# dlfcn shim, the patches) and in src/service/.
key=$( {
  sha256sum <"$0"
  for d in "$here/sdk" "$svc_src"; do
    [ -d "$d" ] || continue
    find "$d" -type f | sort | while read -r f; do
      echo "${f#"$top"/} $(sha256sum <"$f")"
    done
  done
} | sha256sum | cut -c1-16)
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
fail() { echo "collectd SDK: failed: $*" >&2; exit 1; }
run() { "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; fail "$*, see $log"; }; }

# The stock plugins in the Windows build, and the ones tried and left out
# ("name|reason").
plugins="logfile write_log write_graphite write_prometheus match_regex
  target_set network csv threshold match_empty_counter match_hashed match_timediff match_value
  target_notification target_replace target_scale target_v5upgrade aggregation"
left_out=""

# Reproducible PEs: no build folder in the objects (__FILE__, debug info),
# no link time in the PE headers; SOURCE_DATE_EPOCH (set below) fixes
# __DATE__ and __TIME__.
repro="-ffile-prefix-map=$top=/collectd-wmi -ffile-prefix-map=$work=/build"
ldrepro="-Wl,--no-insert-timestamp"

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
# fetch PKG PART: downloads the file of Debian source package PKG whose name
# has PART ("orig.tar", "debian.tar") into $work, checked against apt's
# checksum, and prints its name.
fetch() {
  # The fields of a line: 'URL' FILE SIZE SHA256:SUM
  set -- $(apt-get source --print-uris "$1" 2>/dev/null | grep "_.*$2" | tr -d "'") ""
  [ -n "$1" ] || fail "no $2 in apt-get source --print-uris"
  step "fetching $2" >&2
  run curl -sSf -o "$work/$2" "$1"
  echo "${4#SHA256:}  $work/$2" | sha256sum -c - >/dev/null || fail "checksum of $2"
  echo "$2"
}
file=$(fetch collectd orig.tar)
tar -xf "$work/$file" -C "$work"
src=$(find "$work" -maxdepth 1 -type d -name 'collectd-*' | head -n 1)
# The newest file in the tarball dates the build (before any patch touches
# a file).
SOURCE_DATE_EPOCH=$(find "$src" -type f -printf '%T@\n' | sort -n | tail -n 1 | cut -d. -f1)
export SOURCE_DATE_EPOCH

# 2. gnulib, the POSIX pieces collectd needs on Windows, as libgnu.dll.
#    Without tests: test modules would add GPLv3+/LGPLv3+ code to the DLL,
#    which GPL-2.0-only plugins link. The modules are the ones collectd's
#    code calls (socket..close so that sockets are file descriptors
#    everywhere, lstat, setenv, unsetenv, strerror); setlocale is left out
#    (LGPLv3+), msvcrt's does for collectd's one setlocale(LC_NUMERIC, "C").
step "building gnulib"
gnulib-tool --create-testdir --without-tests --lgpl=2 --source-base=lib \
  --dir="$work/gnulib" \
  bind canonicalize-lgpl close connect fcntl-h fnmatch gethostname getsockopt \
  gettimeofday lstat nanosleep netdb net_if poll recv recvfrom regex sendto \
  setenv setsockopt socket strerror strtok_r sys_resource sys_socket sys_stat \
  sys_wait time_r unsetenv >"$work/gnulib-tool.log" 2>&1 ||
  { tail -n 40 "$work/gnulib-tool.log" >&2; fail "gnulib-tool"; }
# --create-testdir does not enforce --lgpl=2 (only --import does): check
# every module that went in, dependencies included.
sed -n '/^Module list with included dependencies/,/^[^ ]/p' "$work/gnulib-tool.log" |
  sed -n 's/^ *\([^ ]*\)$/\1/p' >"$work/gnulib-modules"
[ -s "$work/gnulib-modules" ] || fail "no module list in $work/gnulib-tool.log"
while read -r m; do
  lic=$(gnulib-tool --extract-license "$m")
  case $lic in
    LGPLv2+ | "public domain" | unlimited) ;;
    *) fail "gnulib module $m is licensed '$lic', not LGPLv2+ or more permissive" ;;
  esac
  printf '%-28s %s\n' "$m" "$lic"
done <"$work/gnulib-modules" >"$work/gnulib-modules.txt"
gllib="$work/gnulib/gllib"
(cd "$work/gnulib" && run ./configure --host=$host CFLAGS="-O2 $repro" \
  LIBS="-lws2_32 -lpthread" && run make -j"$jobs" -C gllib)
# Sorted: the link order is the layout of the DLL.
(cd "$gllib" && run $host-gcc -shared $ldrepro -o libgnu.dll \
  -Wl,--out-implib,libgnu.dll.a $(find . -name '*.o' | sort) -lws2_32 -lpthread)

# 3. dlfcn over LoadLibrary, for collectd's plugin loader. (Debian's ar
#    writes zero dates and ids by default: deterministic archives.)
mkdir -p "$work/dl"
cp "$here/sdk/dlfcn.h" "$work/dl/"
run $host-gcc -O2 -Wall $repro -c -o "$work/dl/dlfcn.o" "$here/sdk/dlfcn.c"
run $host-ar rcs "$work/dl/libdl.a" "$work/dl/dlfcn.o"

# 3b. write_prometheus's libraries, which Debian builds for Linux only, as
#     DLLs from Debian's source packages: the upstream tarball plus the
#     patches of debian/patches/series (libmicrohttpd's PostProcessor DoS
#     fix). libmicrohttpd without HTTPS (no GnuTLS for mingw-w64 in Debian;
#     write_prometheus serves plain HTTP), with Windows threads (its
#     configure's --with-threads=w32 never passes its own check in 0.9.75;
#     auto picks them on mingw-w64, checked below). protobuf-c's runtime only:
#     the host's protoc-c (Debian's protobuf-c-compiler, the same 1.4.1)
#     generates collectd's prometheus.pb-c.c.
deps="$work/deps"
deb_build() { # PKG: unpacks, patches and builds it into $deps; sets $dsrc
  orig=$(fetch "$1" orig.tar)
  debian=$(fetch "$1" debian.tar)
  tar -xf "$work/$orig" -C "$work"
  dsrc=$work/$(tar -tf "$work/$orig" | head -n 1 | cut -d/ -f1)
  tar -xf "$work/$debian" -C "$dsrc"
  if [ -f "$dsrc/debian/patches/series" ]; then
    for p in $(grep -v '^#' "$dsrc/debian/patches/series"); do
      run patch -d "$dsrc" -p1 -i "debian/patches/$p"
    done
  fi
  echo "$1  $orig, $debian" >>"$work/sources"
}
: >"$work/sources"
step "building libmicrohttpd"
deb_build libmicrohttpd
mhd_src=$dsrc
(cd "$mhd_src" && run ./configure --host=$host --prefix="$deps" \
  --disable-static --disable-https --with-threads=auto --disable-doc \
  --disable-examples --disable-curl CFLAGS="-O2 $repro" LDFLAGS="$ldrepro" &&
  grep -q '^#define MHD_USE_W32_THREADS 1' MHD_config.h &&
  run make -j"$jobs" -C src/microhttpd &&
  run make -C src/microhttpd install && run make -C src/include install &&
  run make install-pkgconfigDATA) || fail "libmicrohttpd, see $log"
step "building protobuf-c"
deb_build protobuf-c
pbc_src=$dsrc
(cd "$pbc_src" && run ./configure --host=$host --prefix="$deps" \
  --disable-static --disable-protoc CFLAGS="-O2 $repro" LDFLAGS="$ldrepro" &&
  run make -j"$jobs" && run make install) || fail "protobuf-c, see $log"
dep_dlls="libmicrohttpd-12.dll libprotobuf-c-1.dll"
for d in $dep_dlls; do
  [ -e "$deps/bin/$d" ] || fail "no $d in $deps/bin"
done

# 4. collectd itself. Cache variables answer the checks that cannot run
#    while cross compiling, and protobuf-c's, which links with LDFLAGS
#    replaced by -L$deps/lib (no -lgnu then); gnulib's headers are given to
#    make only, since they break configure's own checks.
step "configuring collectd"
cd "$src"
# Every scripts/sdk/*.patch, in name order: network.c and csv.c on Windows
# (gnulib's socket headers, no fcntl() locks), write_prometheus.c's
# listening socket (libmicrohttpd opens it: a Winsock SOCKET, dual stack,
# see the patch), and those of other parts of
# the project (the service host's hooks in the daemon).
for p in "$here"/sdk/*.patch; do
  [ -e "$p" ] || continue
  run patch -p1 -i "$p"
done
run autoreconf -fi
run ./configure --host=$host --prefix=/collectd \
  --disable-all-plugins $(for p in $plugins; do printf ' --enable-%s' "$p"; done) \
  --with-libgcrypt=/usr/$host/bin/libgcrypt-config \
  --with-libmicrohttpd="$deps" --with-libprotobuf-c="$deps" \
  PKG_CONFIG_LIBDIR="$deps/lib/pkgconfig" \
  ac_cv_lib_protobuf_c_protobuf_c_message_pack=yes \
  --disable-werror \
  c_cv_fp_layout_need_nothing=yes c_cv_have_strtok_r_default=yes \
  CPPFLAGS="-I$work/dl" LDFLAGS="-L$gllib -L$work/dl $ldrepro" \
  LIBS="-lgnu -lws2_32 -lpthread -liphlpapi"
cp "$work/gnulib/config.h" src/gnulib_config.h
echo "#include <config.h.in>" >>src/gnulib_config.h
# libtool's cwrapper must not be built with the target's CFLAGS.
sed -i 's%$LTCC $LTCFLAGS\(.*cwrapper.*\)%$LTCC \1%' libtool

# The service code (src/service/*.c), if there is any, goes into
# collectd.exe through WIN32_SERVICE_LIBS (see the service's patch). It
# includes the configured src/daemon/cmd.h, so it is compiled now.
svc_make=""
if [ -d "$svc_src" ]; then
  mkdir -p "$work/svc"
  for c in "$svc_src"/*.c; do
    [ -e "$c" ] || continue
    step "compiling ${c#"$top"/}"
    run $host-gcc -std=c11 -O2 -Wall -Wextra -Werror -DWIN32 $repro \
      -I"$src/src/daemon" -I"$svc_src" -c -o "$work/svc/$(basename "$c" .c).o" "$c"
  done
  if ls "$work/svc"/*.o >/dev/null 2>&1; then
    run $host-ar rcs "$work/svc/libcollectd_service.a" $(ls "$work/svc"/*.o | sort)
    svc_make="WIN32_SERVICE_LIBS=$work/svc/libcollectd_service.a"
  fi
fi

mk() { run make -j"$jobs" CFLAGS="-O2 $repro -I$gllib -I$work/dl" "$@"; }
step "building collectd.exe"
mk collectd.exe $svc_make
step "building plugins"
# write_prometheus's generated protocol code first: make knows only after
# a first build that write_prometheus.c includes it.
mk prometheus.pb-c.c prometheus.pb-c.h
mk $(for p in $plugins; do printf ' %s.la' "$p"; done)

# 5. The SDK layout.
step "laying out $sdk"
mkdir -p "$sdk/bin" "$sdk/include" "$sdk/lib" "$sdk/licenses" "$sdk/share"
origins="$work/origins"
: >"$origins"
: >"$work/packages"
# libtool leaves a wrapper at the top; the daemon itself is in .libs. No
# debug info shipped; the export tables (the plugin API, module_register)
# stay.
cp .libs/collectd.exe "$sdk/bin/"
echo "collectd.exe  built from $file" >>"$origins"
for p in $plugins; do
  cp ".libs/$p.dll" "$sdk/bin/"
  echo "$p.dll  built from $file" >>"$origins"
done
cp "$gllib/libgnu.dll" "$sdk/bin/"
for d in $dep_dlls; do
  cp "$deps/bin/$d" "$sdk/bin/"
  pkg=$(case $d in libmicrohttpd*) echo libmicrohttpd ;; *) echo protobuf-c ;; esac)
  echo "$d  built from Debian source package $(grep "^$pkg " "$work/sources" | cut -d' ' -f3-)" >>"$origins"
done
echo "libgnu.dll  built from gnulib $(dpkg-query -W -f '${Version}' gnulib)" \
  "(Debian package gnulib), modules in licenses/gnulib-modules.txt" >>"$origins"
for f in "$sdk"/bin/*; do
  run $host-strip --strip-debug "$f"
done
# Every DLL the PEs import and Windows does not have (Wine's DLLs stand for
# Windows's own), from the mingw-w64 packages, until nothing is missing.
windows_dlls=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows
[ -d "$windows_dlls" ] || fail "no $windows_dlls (wine64) to tell system DLLs"
missing=1
while [ -n "$missing" ]; do
  missing=""
  for pe in "$sdk"/bin/*; do
    for dll in $($host-objdump -p "$pe" | sed -n 's/^[[:space:]]*DLL Name: //p'); do
      [ -z "$(find "$sdk/bin" -maxdepth 1 -iname "$dll")" ] || continue
      [ ! -e "$windows_dlls/$(echo "$dll" | tr A-Z a-z)" ] || continue
      from=""
      for d in /usr/$host/bin /usr/$host/lib; do
        [ -e "$d/$dll" ] && from="$d/$dll" && break
      done
      [ -n "$from" ] || from=$($host-gcc -print-file-name="$dll")
      [ -e "$from" ] || fail "$(basename "$pe") imports $dll, found neither in mingw-w64 nor in Windows"
      cp "$from" "$sdk/bin/"
      pkg=$(dpkg -S "$(readlink -f "$from")" | cut -d: -f1)
      echo "$dll  $from from Debian package $pkg $(dpkg-query -W -f '${Version}' "$pkg")" >>"$origins"
      echo "$pkg" >>"$work/packages"
      missing=1
    done
  done
done
sort "$origins" >"$sdk/share/runtime-dlls.txt"
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
{
  for p in $plugins; do echo "$p  built"; done
  [ -z "$left_out" ] || echo "$left_out" | sed 's/^ *//; s/|/  left out: /'
} >"$sdk/share/plugins.txt"

# 6. Licences. The licence of each shipped binary of collectd is that of the
#    sources linked into it (Makefile: *_SOURCES, and those of the
#    convenience libraries in *_LIBADD/*_LDADD), read from each file's header.
lic="$sdk/licenses"
cp COPYING "$lic/collectd-COPYING.txt"
mkvar() { printf 'print-var:\n\t@echo $(%s)\n' "$1" | make -s -f Makefile -f - print-var; }
sources_of() {
  for s in $(mkvar "$1_SOURCES"); do echo "$s"; done
  for l in $(mkvar "$1_LIBADD") $(mkvar "$1_LDADD"); do
    case $l in *.la) sources_of "$(echo "${l%.la}" | tr .- __)_la" ;; esac
  done
}
licence_of() {
  h=$(head -n 40 "$1" | tr '\n*' '  ' | tr -s ' ')
  case $h in
    *"Permission is hereby granted, free of charge"*) echo MIT ;;
    *"Lesser General Public License"*"only version 2.1 of the License"*) echo LGPL-2.1-only ;;
    *"Lesser General Public License"*"version 2.1 of the License, or"*) echo LGPL-2.1-or-later ;;
    *"General Public License"*"only version 2 of the License"*) echo GPL-2.0-only ;;
    *"General Public License"*"version 2 of the License, or"*) echo GPL-2.0-or-later ;;
    *) echo unknown ;;
  esac
}
{
  echo "The licence of each shipped binary's collectd sources, as stated in"
  echo "the header of each source file of $file."
  echo "Full texts: GPL-2.0 in collectd-COPYING.txt, LGPL-2.1 in LGPL-2.1.txt;"
  echo "MIT is the text in each file's header. All of the binaries link"
  echo "libgnu.dll (gnulib, LGPLv2+: gnulib-modules.txt, gnulib-LGPL-2.1.txt)."
  for t in collectd $(for p in $plugins; do echo "${p}_la"; done); do
    case $t in collectd) bin=collectd.exe ;; *) bin=${t%_la}.dll ;; esac
    sources_of "$t" | grep -E '\.(c|l|y)$' | sort -u >"$work/srcs"
    while read -r s; do echo "  $s  $(licence_of "$s")"; done <"$work/srcs" >"$work/lics"
    # write_prometheus's nodist source, generated by protoc-c from
    # proto/prometheus.proto (the Prometheus Authors' licence).
    [ "$t" != write_prometheus_la ] || echo "  prometheus.pb-c.c  Apache-2.0" >>"$work/lics"
    echo
    echo "$bin: $(awk '{print $2}' "$work/lics" | sort -u | paste -sd, | sed 's/,/ and /g')"
    cat "$work/lics"
    if [ "$t" = collectd ] && [ -n "$svc_make" ]; then
      echo "  plus libcollectd_service.a: collectd-wmi's src/service (the project's licence)"
    fi
    if [ "$t" = write_prometheus_la ]; then
      echo "  (prometheus.pb-c.c: generated from proto/prometheus.proto; Apache-2.0.txt)"
      echo "  plus libmicrohttpd-12.dll, LGPL-2.1-or-later (libmicrohttpd-copyright.txt),"
      echo "  and libprotobuf-c-1.dll, BSD-2-Clause (protobuf-c-copyright.txt)"
    fi
  done
} >"$lic/collectd-plugins.txt"
! grep -q ' unknown$' "$lic/collectd-plugins.txt" ||
  fail "a source without a known licence header (read it, extend licence_of): $(grep ' unknown$' "$lic/collectd-plugins.txt")"
cp "$work/gnulib-modules.txt" "$lic/gnulib-modules.txt"
cp /usr/share/gnulib/doc/COPYING.LESSERv2 "$lic/gnulib-LGPL-2.1.txt"
cp /usr/share/common-licenses/LGPL-2.1 "$lic/LGPL-2.1.txt"
cp /usr/share/common-licenses/Apache-2.0 "$lic/Apache-2.0.txt"
# write_prometheus's libraries: the upstream licence and Debian's copyright
# file of each source package (the texts it points to come below).
cp "$mhd_src/COPYING" "$lic/libmicrohttpd-COPYING.txt"
cp "$mhd_src/debian/copyright" "$lic/libmicrohttpd-copyright.txt"
cp "$pbc_src/LICENSE" "$lic/protobuf-c-LICENSE.txt"
cp "$pbc_src/debian/copyright" "$lic/protobuf-c-copyright.txt"
# Debian's copyright file of each package a runtime DLL came from, and the
# licence texts it points to.
for pkg in $(sort -u "$work/packages"); do
  cp "/usr/share/doc/$pkg/copyright" "$lic/$pkg-copyright.txt"
done
for c in "$lic"/*-copyright.txt; do
  for l in $(grep -o '/usr/share/common-licenses/[A-Za-z0-9.+-]*[A-Za-z0-9+]' \
    "$c" | sort -u); do
    cp "$l" "$lic/$(basename "$(readlink -f "$l")").txt"
  done
done
cd /
rm -rf "$work"
echo "$key" >"$sdk/.complete"
step "done in $(($(date +%s) - started)) s: $sdk"
