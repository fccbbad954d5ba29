#!/bin/sh
# Two builds from the same commit give the same bytes. The second build is
# made from scratch in other folders: the collectd SDK again from Debian's
# source package (scripts/build-collectd-sdk.sh into a new folder, no
# cache), wmi.dll again in a new build folder, then scripts/dist.sh from
# each. Compared, and printed: every EXE and DLL, the zips, the MSIs (or
# what differs in them). Needs COLLECTD_SDK, BUILDDIR and SRCDIR (make
# check sets them). About 10 minutes on 2 cores, most of it the SDK.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
suite=test_reproducible
. "$SRCDIR/tests/e2e/common.sh"
scratch=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT
trap 'exit 1' HUP INT PIPE TERM QUIT

began=$(date +%s)
sdk_b=$scratch/sdk
"$SRCDIR/scripts/build-collectd-sdk.sh" "$sdk_b" >"$scratch/sdk.log" 2>&1
check "the SDK builds a second time into $sdk_b" test -f "$sdk_b/.complete"
echo "$suite: second SDK build took $(($(date +%s) - began)) s"

win_b=$scratch/win
mkdir -p "$win_b"
(cd "$win_b" && "$SRCDIR/configure" -q --host=x86_64-w64-mingw32 \
  --with-collectd-sdk="$sdk_b" && make -s wmi.dll) >"$scratch/win.log" 2>&1
check "wmi.dll builds a second time in another folder" test -f "$win_b/wmi.dll"

# same_files DIR_A DIR_B FIND_ARGS...: every file `find FIND_ARGS` lists in
# DIR_A equals DIR_B's; prints each comparison.
same_files() {
  a=$1 b=$2
  shift 2
  bad=0 n=0
  for f in $(cd "$a" && find "$@" -type f | sort); do
    n=$((n + 1))
    if cmp -s "$a/$f" "$b/$f"; then
      echo "  identical  ${f#./}"
    else
      echo "  DIFFERS    ${f#./}"
      bad=1
    fi
  done
  [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}
echo "$suite: SDK bin/ and lib/, first build against second:"
check "collectd.exe, every plugin and runtime DLL, libcollectd.a: byte-identical" \
  same_files "$COLLECTD_SDK" "$sdk_b" bin lib

dist() { # dist SDK WMI_DLL DIR
  DIST_SKIP_BUILD=1 COLLECTD_WMI_SDK=$1 WMI_DLL=$2 DIST_DIR=$3 \
    "$SRCDIR/scripts/dist.sh" >>"$scratch/dist.log" 2>&1
}
dist "$COLLECTD_SDK" "$BUILDDIR/wmi.dll" "$scratch/a"
dist "$sdk_b" "$win_b/wmi.dll" "$scratch/b"
za=$(ls "$scratch"/a/*.zip 2>/dev/null) zb=$(ls "$scratch"/b/*.zip 2>/dev/null)
ma=$(ls "$scratch"/a/*.msi 2>/dev/null) mb=$(ls "$scratch"/b/*.msi 2>/dev/null)
check "scripts/dist.sh packages both builds" test -f "$za" -a -f "$zb" -a -f "$ma" -a -f "$mb"

# Inside the zips: each EXE and DLL (wmi.dll as shipped, stripped).
mkdir -p "$scratch/za" "$scratch/zb"
unzip -q "$za" -d "$scratch/za" 2>/dev/null
unzip -q "$zb" -d "$scratch/zb" 2>/dev/null
echo "$suite: the packages' EXEs and DLLs, first build against second:"
check "every EXE and DLL in the packages (wmi.dll included): byte-identical" \
  same_files "$scratch/za" "$scratch/zb" . \( -name '*.exe' -o -name '*.dll' \)
check "the zips: byte-identical ($(basename "$za"))" cmp -s "$za" "$zb"
if cmp -s "$ma" "$mb"; then
  echo "$suite: the MSIs: byte-identical ($(basename "$ma"))"
else
  echo "$suite: the MSIs differ:"
  cmp -l "$ma" "$mb" | wc -l | sed 's/^/  bytes differing: /'
fi
check "the MSIs: byte-identical" cmp -s "$ma" "$mb"
echo "$suite: took $(($(date +%s) - began)) s"
summary
