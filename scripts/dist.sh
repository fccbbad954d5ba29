#!/bin/sh
# Builds the Windows release from a fresh clone (scripts/build.sh first:
# Debian packages, the collectd SDK, wmi.dll) and writes exactly
#   $DIST_DIR/collectd-wmi-<version>-x64.msi    (msitools' wixl)
#   $DIST_DIR/collectd-wmi-<version>-win64.zip
# with the same files in both:
#   collectd.exe and the runtime DLLs it loads (SDK bin/)
#   plugins\      collectd's plugins (SDK bin/ DLLs exporting
#                 module_register), wmi.dll, and the DLLs that only plugins
#                 load (network.dll's libgcrypt), see "plugins" below
#   types.db, wmi.conf (conf/wmi.conf), collectd.conf.in
#   (conf/windows/collectd.conf.in), packs\*.conf (conf/packs: query packs
#   for server roles, which collectd.conf does not include: operators
#   include the ones they want), dashboards\*.json, graphite\*.conf,
#   licenses\ (the project's LICENSE, the SDK's licenses/, a generated
#   THIRD-PARTY-NOTICES.txt), README-windows.txt (CRLF), the manual page
#   collectd-wmi(5) as collectd-wmi.txt (pod2text, CRLF) and
#   collectd-wmi.html (pod2html)
# The zip has them under collectd-wmi-<version>-win64\; the MSI installs
# them into [ProgramFiles64Folder]collectd\ and registers the service
# "collectd". collectd.conf and collectd.log live in
# [CommonAppDataFolder]collectd\ and belong to no MSI component: the
# custom action WriteConfig (collectd.exe --write-config) writes
# collectd.conf on the first install only; upgrades and uninstalls keep
# both.
#
# Environment:
#   COLLECTD_WMI_VERSION=x.y.z  the version (default: configure.ac's AC_INIT)
#   DIST_DIR=DIR                output folder (default: dist/)
#   SOURCE_DATE_EPOCH=N         every time stamp inside both packages
#                               (default: the commit time, git log -1 %ct)
#   COLLECTD_WMI_SDK=DIR        the SDK (default: as scripts/build.sh)
#   DIST_SKIP_BUILD=1           do not run scripts/build.sh; take the SDK
#                               and WMI_DLL as they are (the package test)
#   WMI_DLL=FILE                default build/win/wmi.dll
#   DIST_KEEP_WORK=1            keep the work folder (generated .wxs)
#
# Plugins: collectd loads a plugin with LoadLibraryEx(path,
# LOAD_WITH_ALTERED_SEARCH_PATH) (scripts/sdk/dlfcn.c), which looks for the
# plugin's own imports beside the plugin, then in the system folders, the
# current folder (collectd's BaseDir) and PATH, but not in collectd.exe's
# folder. The DLLs collectd.exe itself imports (libgnu, winpthread) are
# loaded by then and are found by name; a DLL only plugins import
# (libgcrypt for network.dll) must sit beside the plugins. So runtime DLLs
# in collectd.exe's import closure go beside it, the others into plugins\.
#
# Reproducible: same inputs, same SOURCE_DATE_EPOCH -> byte-identical zip
# and MSI. wixl 0.101 stamps the build time and a random package code into
# the MSI's summary information; both are replaced afterwards (in place,
# same length, checked with msiinfo) by SOURCE_DATE_EPOCH and a package
# code derived from a hash of everything inside. Custom actions get fixed
# sequence numbers (wixl places After/Before actions differently from run
# to run), and the cabinet's file times come from the staged files,
# stamped with SOURCE_DATE_EPOCH.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sdk=${COLLECTD_WMI_SDK:-${XDG_CACHE_HOME:-$HOME/.cache}/collectd-wmi/sdk-5.12.0}
dist=${DIST_DIR:-$top/dist}
host=x86_64-w64-mingw32
die() { echo "dist: $*" >&2; exit 1; }

[ -n "${DIST_SKIP_BUILD:-}" ] || COLLECTD_WMI_SDK=$sdk "$top/scripts/build.sh"
wmi_dll=${WMI_DLL:-$top/build/win/wmi.dll}
for tool in wixl msiinfo zip python3 $host-objdump pod2text pod2html; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh installs it)"
done

version=${COLLECTD_WMI_VERSION:-$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")}
# An MSI ProductVersion: major.minor.build, at most 255.255.65535.
echo "$version" | grep -Eq '^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,5}$' ||
  die "version '$version' is not x.y.z"
IFS=. read -r v_major v_minor v_build <<EOF
$version
EOF
[ "$v_major" -le 255 ] && [ "$v_minor" -le 255 ] && [ "$v_build" -le 65535 ] ||
  die "version '$version' is past 255.255.65535 (an MSI ProductVersion)"
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null) ||
    SOURCE_DATE_EPOCH=$(stat -c %Y "$top/configure.ac")
fi
export SOURCE_DATE_EPOCH

template=$top/conf/windows/collectd.conf.in
for f in "$sdk/bin/collectd.exe" "$sdk/share/types.db" "$wmi_dll" "$template" \
  "$top/conf/wmi.conf" "$top/LICENSE" "$top/packaging/README-windows.txt" \
  "$top/doc/collectd-wmi.pod"; do
  [ -f "$f" ] || die "$f is missing"
done

name=collectd-wmi-$version-win64
work=$(mktemp -d)
if [ -n "${DIST_KEEP_WORK:-}" ]; then
  echo "dist: work folder kept: $work"
else
  trap 'rm -rf "$work"' EXIT
fi
trap 'exit 1' HUP INT TERM
stage=$work/$name
mkdir -p "$stage/plugins" "$stage/packs" "$stage/dashboards" "$stage/graphite" \
  "$stage/licenses"

imports() { # the DLL names a PE file imports, in lower case
  "$host-objdump" -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z'
}
is_plugin() { # a collectd plugin exports module_register
  "$host-objdump" -p "$1" | grep -Eq '^[[:space:]]*\[ *[0-9]+\] module_register$'
}

# 1. Binaries: collectd.exe, and each SDK DLL by what it is.
cp "$sdk/bin/collectd.exe" "$stage/"
runtime=""
for f in "$sdk"/bin/*; do
  b=$(basename "$f")
  case $b in
  collectd.exe) ;;
  *.exe) cp "$f" "$stage/" ;;
  *.dll | *.DLL)
    if is_plugin "$f"; then cp "$f" "$stage/plugins/"; else runtime="$runtime $b"; fi ;;
  *) die "unexpected file in $sdk/bin: $b" ;;
  esac
done
# Without debug information, which names the build folders.
$host-strip --strip-debug -o "$stage/plugins/wmi.dll" "$wmi_dll"
# collectd.exe's import closure among the runtime DLLs.
closure=" $(imports "$sdk/bin/collectd.exe" | tr '\n' ' ') "
changed=1
while [ $changed = 1 ]; do
  changed=0
  for b in $runtime; do
    lb=$(echo "$b" | tr 'A-Z' 'a-z')
    case $closure in *" $lb "*) ;; *) continue ;; esac
    for d in $(imports "$sdk/bin/$b"); do
      case $closure in *" $d "*) ;; *) closure="$closure$d " changed=1 ;; esac
    done
  done
done
for b in $runtime; do
  lb=$(echo "$b" | tr 'A-Z' 'a-z')
  case $closure in
  *" $lb "*) cp "$sdk/bin/$b" "$stage/" ;;
  *) cp "$sdk/bin/$b" "$stage/plugins/" ;;
  esac
done
# Every DLL a shipped binary imports is shipped or one of Windows' own
# (Wine's implementations of them stand for the list, as in the SDK build).
windows_dlls=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows
[ -d "$windows_dlls" ] || die "no $windows_dlls (wine64) to tell Windows' own DLLs"
shipped=$(cd "$stage" && find . -iname '*.dll' -o -iname '*.exe' | sed 's#.*/##' |
  tr 'A-Z' 'a-z' | sort -u)
for f in $(cd "$stage" && find . -iname '*.dll' -o -iname '*.exe' | sort); do
  for d in $(imports "$stage/$f"); do
    echo "$shipped" | grep -qxF "$d" || [ -e "$windows_dlls/$d" ] ||
      die "$f imports $d, which is neither shipped nor a Windows DLL"
  done
done

# 2. Data, configuration, dashboards.
cp "$sdk/share/types.db" "$stage/types.db"
cp "$top/conf/wmi.conf" "$stage/wmi.conf"
cp "$template" "$stage/collectd.conf.in"
for f in "$top"/conf/packs/*.conf; do
  [ ! -f "$f" ] || cp "$f" "$stage/packs/"
done
cp "$top"/conf/dashboards/*.json "$stage/dashboards/"
cp "$top"/conf/graphite/*.conf "$stage/graphite/"
crlf() { sed 's/\r$//; s/$/\r/' "$1"; }
crlf "$top/packaging/README-windows.txt" >"$stage/README-windows.txt"
# The manual page, for Windows, which has no man: text with CRLF like the
# README, and HTML. pod2html's output names no folder (its cache goes into
# the work folder) except in one line, a "made" link to perl's perladmin
# address (a setting of the build machine), which is dropped.
manual=$top/doc/collectd-wmi.pod
pod2text --utf8 "$manual" >"$work/collectd-wmi.txt" || die "pod2text failed on $manual"
crlf "$work/collectd-wmi.txt" >"$stage/collectd-wmi.txt"
(cd "$work" && pod2html --infile="$manual" --outfile="$work/collectd-wmi.html" \
  --title="collectd-wmi(5)" --cachedir="$work" --quiet) || die "pod2html failed on $manual"
sed '/^<link rev="made" /d' "$work/collectd-wmi.html" >"$stage/collectd-wmi.html"
! grep -qF -e "$top" -e "$work" "$stage/collectd-wmi.html" ||
  die "collectd-wmi.html names a build folder"

# 3. Licences: the project's, the SDK's, and a notice per binary.
cp "$top/LICENSE" "$stage/licenses/collectd-wmi-LICENSE.txt"
if [ -d "$sdk/licenses" ]; then
  (cd "$sdk/licenses" && find . -type f | sort) | while read -r f; do
    mkdir -p "$(dirname "$stage/licenses/$f")"
    cp "$sdk/licenses/$f" "$stage/licenses/$f"
  done
fi
# licence_of FILE: the licence of a shipped binary: its line in the SDK's
# licenses/collectd-plugins.txt ("collectd.exe: MIT and ..."), else what
# was read in the sources (collectd 5.12.0's file headers, Debian's
# copyright files of the mingw-w64 packages). origin_of FILE: its line in
# the SDK's share/runtime-dlls.txt, without the name.
licence_of() {
  list=$sdk/licenses/collectd-plugins.txt
  if [ -f "$list" ]; then
    line=$(tr -d '\r' <"$list" | grep -F -m 1 "$1: " | grep "^$(printf '%s' "$1" | sed 's/[.]/[.]/g'): ") &&
      { printf '%s\n' "${line#*: } (collectd; per source file: licenses\\collectd-plugins.txt)"; return; }
  fi
  case $1 in
  wmi.dll) printf '%s\n' "MIT (collectd-wmi, this project: licenses\\collectd-wmi-LICENSE.txt)" ;;
  collectd.exe) printf '%s\n' "MIT (collectd's daemon and liboconfig; collectd-wmi's service code and dlfcn shim, MIT)" ;;
  logfile.dll | match_*.dll | target_*.dll) printf '%s\n' "MIT (collectd)" ;;
  write_log.dll) printf '%s\n' "GPL-2.0-only (collectd: write_log.c is MIT and links format_graphite.c, GPL-2.0-only)" ;;
  write_graphite.dll | csv.dll | threshold.dll) printf '%s\n' "GPL-2.0-only (collectd)" ;;
  network.dll) printf '%s\n' "LGPL-2.1-only (collectd)" ;;
  libgnu.dll)
    if [ -f "$sdk/licenses/gnulib-modules.txt" ]; then
      printf '%s\n' "$(awk '{ $1 = ""; sub(/^ /, ""); print }' "$sdk/licenses/gnulib-modules.txt" |
        sort -u | paste -sd, | sed 's/,/, /g') (gnulib; each module's licence: licenses\\gnulib-modules.txt)"
    else
      printf '%s\n' "LGPL (gnulib modules)"
    fi ;;
  libwinpthread-1.dll) printf '%s\n' "MIT, with BSD-3-Clause and public-domain parts (mingw-w64 winpthreads)" ;;
  libgcrypt-20.dll | libgpg-error-0.dll) printf '%s\n' "LGPL-2.1-or-later (GnuPG project)" ;;
  libmicrohttpd-12.dll) printf '%s\n' "LGPL-2.1-or-later, its MD5 code public domain (GNU libmicrohttpd: licenses\\libmicrohttpd-copyright.txt)" ;;
  libprotobuf-c-1.dll) printf '%s\n' "BSD-2-Clause (protobuf-c: licenses\\protobuf-c-copyright.txt)" ;;
  esac
}
origin_of() {
  list=$sdk/share/runtime-dlls.txt
  [ -f "$list" ] || return 0
  tr -d '\r' <"$list" | awk -v n="$1" '$1 == n { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}
{
  printf '%s\n' "collectd-wmi $version for Windows: each program file, its licence and"
  printf '%s\n' "where it comes from. The licence texts are in this folder (licenses\\)."
  echo
  (cd "$stage" && find . -type f \( -iname '*.exe' -o -iname '*.dll' \) | sed 's#^\./##' |
    LC_ALL=C sort) | while read -r f; do
    b=$(basename "$f")
    l=$(licence_of "$b")
    [ -n "$l" ] || die "no licence known for $f: list it in the SDK's licenses/collectd-plugins.txt"
    printf '%s\n    licence: %s\n' "$(printf '%s' "$f" | tr / '\\')" "$l"
    o=$(origin_of "$b")
    [ -z "$o" ] || printf '    from: %s\n' "$o"
    pkg=$(printf '%s\n' "$o" | sed -n 's/.*from Debian package \([^ ]*\).*/\1/p')
    [ -z "$pkg" ] || [ ! -f "$stage/licenses/$pkg-copyright.txt" ] ||
      printf '    copyright and licence texts: licenses\\%s\n' "$pkg-copyright.txt"
  done
  echo
  printf '%s\n' "types.db: collectd's data set definitions, from collectd 5.12.0's source"
  printf '%s\n' "    (licenses\\collectd-COPYING.txt when the SDK ships it)."
  printf '%s\n' "wmi.conf, collectd.conf.in, packs\\, dashboards\\, graphite\\, README-windows.txt,"
  printf '%s\n' "collectd-wmi.txt, collectd-wmi.html:"
  printf '%s\n' "    MIT (collectd-wmi: licenses\\collectd-wmi-LICENSE.txt)"
} >"$work/notices.txt"
crlf "$work/notices.txt" >"$stage/licenses/THIRD-PARTY-NOTICES.txt"

# 4. Normalised files: times, permissions, sorted lists.
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
files=$(cd "$stage" && find . -type f | sed 's#^\./##' | LC_ALL=C sort)
# The lists below are split on white space.
! echo "$files" | grep -q '[[:space:]]' || die "a file name with white space: $(echo "$files" | grep '[[:space:]]')"

mkdir -p "$dist"
msi=$dist/collectd-wmi-$version-x64.msi
zipfile=$dist/$name.zip
rm -f "$msi" "$zipfile"

# 5. The zip: sorted names, no extra fields, no directory entries, UTC.
(cd "$work" && echo "$files" | sed "s#^#$name/#" |
  TZ=UTC zip -q -X -D -@ "$zipfile.tmp") && mv "$zipfile.tmp" "$zipfile"

# 6. The MSI. GUIDs: the upgrade code is the product's for ever; the
# product code is one per version; the package code is derived from
# everything inside (a different MSI never shares one).
upgrade_code=D4383333-78E3-4619-A52D-F458F69766D1
uuid5() { python3 -c 'import sys, uuid
print("{%s}" % str(uuid.uuid5(uuid.UUID("6dcd1b32-6fa6-493b-8431-49b0ae4cb72e"), sys.argv[1])).upper())' "$1"; }
product_code=$(uuid5 "collectd-wmi ProductCode $version")
ident() { echo "$1" | sed 's/[^A-Za-z0-9]/_/g'; }
xml() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
wxs=$work/collectd-wmi.wxs
# Components: one per file (Source relative to the work folder: wixl looks
# sources up in its search path), GUID "*" (wixl derives it from the target path,
# the same in every version). Directories in the staged tree's order.
dir_xml() { # dir_xml RELDIR INDENT: the components of RELDIR and its subfolders
  for f in $(echo "$files" | awk -F/ -v d="$1" '{ p = $0; sub("/[^/]*$", "", p); if (p == $0) p = "."; if (p == d) print }'); do
    id=$(ident "$f")
    extra=""
    [ "$f" = collectd.exe ] && extra=1
    printf '%s<Component Id="c_%s" Guid="*" Win64="yes">\n' "$2" "$id"
    printf '%s  <File Id="f_%s" Source="%s" Name="%s" KeyPath="yes"/>\n' "$2" "$id" \
      "$(printf '%s' "$name/$f" | xml)" "$(basename "$f" | xml)"
    if [ -n "$extra" ]; then
      cat <<SVC
$2  <ServiceInstall Id="svc_collectd" Name="collectd" DisplayName="collectd (WMI plugin)"
$2    Description="Collects system and WMI metrics with collectd and sends them to Graphite, InfluxDB and other collectd writers."
$2    Type="ownProcess" Start="auto" ErrorControl="normal" Account="LocalSystem" Vital="yes"
$2    Arguments="--service -C &quot;[CommonAppDataFolder]collectd\\collectd.conf&quot;"/>
$2  <ServiceControl Id="svcctl_collectd" Name="collectd" Start="install" Stop="both" Remove="uninstall" Wait="yes"/>
SVC
    fi
    printf '%s</Component>\n' "$2"
  done
  for d in $(echo "$files" | awk -F/ -v d="$1" '{ p = $0; sub("/[^/]*$", "", p); if (p == $0) next;
      q = p; sub("/[^/]*$", "", q); if (q == p) q = "."; if (q == d) print p }' | LC_ALL=C sort -u); do
    printf '%s<Directory Id="d_%s" Name="%s">\n' "$2" "$(ident "$d")" "$(basename "$d" | xml)"
    dir_xml "$d" "$2  "
    printf '%s</Directory>\n' "$2"
  done
}
# The deferred custom actions run collectd.exe from the program folder
# (type 18 + in-script + no impersonation: as LocalSystem). Their command
# lines are formatted when the script is made, so they carry the
# properties given to msiexec.
write_config='--write-config "[INSTALLDIR]collectd.conf.in" "[CommonAppDataFolder]collectd\collectd.conf" GRAPHITE_HOST="[GRAPHITE_HOST]" GRAPHITE_PORT="[GRAPHITE_PORT]" INFLUXDB_HOST="[INFLUXDB_HOST]" INFLUXDB_PORT="[INFLUXDB_PORT]" PROMETHEUS_PORT="[PROMETHEUS_PORT]" INTERVAL="[INTERVAL]"'
{
  cat <<HEAD
<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by scripts/dist.sh; built with wixl -a x64. -->
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="$product_code" Name="collectd-wmi $version" Language="1033"
    Version="$version" Manufacturer="the collectd-wmi authors" UpgradeCode="{$upgrade_code}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine"
      Description="collectd with the WMI plugin $version"
      Comments="collectd for Windows as the service collectd, with the WMI plugin (collectd-wmi)."/>
    <Media Id="1" Cabinet="collectd.cab" EmbedCab="yes"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of collectd-wmi is already installed."/>
    <Property Id="GRAPHITE_PORT" Value="2003"/>
    <Property Id="INFLUXDB_PORT" Value="25826"/>
    <Property Id="INTERVAL" Value="10"/>
    <Property Id="ARPCOMMENTS" Value="collectd with the WMI plugin; configuration and log in %ProgramData%\\collectd"/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="collectd">
HEAD
  dir_xml . "          "
  cat <<TAIL
        </Directory>
      </Directory>
    </Directory>
    <CustomAction Id="StopService" FileKey="f_collectd_exe" ExeCommand="--stop-service"
      Execute="deferred" Impersonate="no" Return="ignore"/>
    <CustomAction Id="WriteConfig" FileKey="f_collectd_exe"
      ExeCommand="$(printf '%s' "$write_config" | xml)"
      Execute="deferred" Impersonate="no" Return="check"/>
    <CustomAction Id="ConfigureService" FileKey="f_collectd_exe" ExeCommand="--configure-service"
      Execute="deferred" Impersonate="no" Return="check"/>
    <InstallExecuteSequence>
      <!-- Fixed numbers (wixl orders After/Before differently from run
           to run, and put MajorUpgrade's RemoveExistingProducts after
           InstallFinalize at times): InstallValidate 1400,
           InstallInitialize 1500, StopServices 1900, InstallFiles 4000,
           InstallServices 5800, StartServices 5900. The older version is
           removed whole before anything is installed (1401). StopService
           waits until the service has stopped before files are removed
           (on uninstall, and in the old product's removal of an
           upgrade). -->
      <RemoveExistingProducts Sequence="1401"/>
      <Custom Action="StopService" Sequence="1850">REMOVE="ALL"</Custom>
      <Custom Action="WriteConfig" Sequence="5810">NOT REMOVE="ALL"</Custom>
      <Custom Action="ConfigureService" Sequence="5820">NOT REMOVE="ALL"</Custom>
    </InstallExecuteSequence>
    <Feature Id="Complete" Title="collectd" Level="1">
TAIL
  for f in $files; do printf '      <ComponentRef Id="c_%s"/>\n' "$(ident "$f")"; done
  cat <<END
    </Feature>
  </Product>
</Wix>
END
} >"$wxs"
# Identifiers must be unique once sanitised.
dups=$(echo "$files" | sed 's/[^A-Za-z0-9]/_/g' | sort | uniq -d)
[ -z "$dups" ] || die "file names that clash as MSI identifiers: $dups"

started=$(date +%s)
(cd "$work" && TZ=UTC wixl -a x64 -o "$msi.tmp" "$wxs") || die "wixl failed on $wxs"
package_code=$(uuid5 "collectd-wmi PackageCode $(cd "$stage" && { cat "$wxs"; echo "$files" | xargs sha256sum; } | sha256sum | cut -c1-64)")
random_code=$(TZ=UTC msiinfo suminfo "$msi.tmp" | sed -n 's/^Revision number (UUID): //p')
python3 - "$msi.tmp" "$random_code" "$package_code" "$SOURCE_DATE_EPOCH" \
  "$((started - 5))" "$(($(date +%s) + 5))" <<'PY' || die "could not fix the MSI's summary information"
# The summary information stream of an MSI wixl just wrote: its package
# code (a 38-character string) and its two FILETIMEs (created, saved) are
# replaced in place with values of the same length.
import struct, sys
path, old, new, epoch, lo, hi = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
ft = lambda t: (t + 11644473600) * 10000000
data = bytearray(open(path, "rb").read())
assert len(old) == len(new) == 38 and data.count(old.encode()) == 1, "package code"
i = data.find(old.encode())
data[i:i + 38] = new.encode()
hits, i = [], data.find(b"\x40\x00\x00\x00")  # VT_FILETIME
while i >= 0:
    if i + 12 <= len(data) and ft(lo) <= struct.unpack_from("<Q", data, i + 4)[0] <= ft(hi):
        hits.append(i)
    i = data.find(b"\x40\x00\x00\x00", i + 1)
assert len(hits) == 2, "time stamps: %r" % hits
for i in hits:
    data[i:i + 12] = struct.pack("<IQ", 0x40, ft(epoch))
open(path, "wb").write(data)
PY
info=$(TZ=UTC msiinfo suminfo "$msi.tmp")
echo "$info" | grep -qxF "Revision number (UUID): $package_code" &&
  [ "$(echo "$info" | grep -cE "^(Created|Last saved): $(TZ=UTC date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %e %H:%M:%S %Y')$")" = 2 ] ||
  die "the MSI's summary information did not take the fixed values"
mv "$msi.tmp" "$msi"

echo "dist: $msi ($(stat -c %s "$msi") bytes)"
echo "dist: $zipfile ($(stat -c %s "$zipfile") bytes)"
