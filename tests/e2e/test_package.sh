#!/bin/sh
# The release packages of scripts/dist.sh, built from the SDK and wmi.dll
# as they are (the SDK is not rebuilt here), and the MSI installed in a
# fresh Wine prefix of the test's own:
#   - two builds from the same inputs: byte-identical zips, identical EXEs
#     and DLLs inside, byte-identical MSIs (else the tables and streams
#     that differ are printed);
#   - the zip and the MSI hold exactly the expected files, the same in
#     both (file lists and sizes printed), the manual page among them as
#     text (CRLF, pod2text's rendering) and HTML (naming no build folder
#     or host);
#   - msiexec /i /qn GRAPHITE_HOST GRAPHITE_PORT INTERVAL: the files under
#     C:\Program Files\collectd, C:\ProgramData\collectd\collectd.conf
#     with those values, the service's registration read back from the
#     registry (start type, account, command line, names, failure
#     actions as far as Wine stores them) and RUNNING in sc query;
#   - the README's dry run (collectd.exe -T on its dry-run.conf beside the
#     installed collectd.conf) prints its report;
#   - a major upgrade to a higher version (COLLECTD_WMI_VERSION=0.1.1) with
#     other properties keeps the edited collectd.conf byte for byte, the
#     product's version is the new one and the service runs again, a new
#     process on the new files;
#   - an older MSI over the newer one is refused, the newer one keeps running;
#   - msiexec /x: the service is gone, C:\Program Files\collectd is gone,
#     collectd.conf and collectd.log remain.
# Needs COLLECTD_SDK, BUILDDIR and SRCDIR (make check sets them). About a
# minute and a half.
set -u
: "${COLLECTD_SDK:?}" "${BUILDDIR:?}" "${SRCDIR:?}"
suite=test_package
. "$SRCDIR/tests/e2e/common.sh"
. "$SRCDIR/tests/e2e/service_lib.sh"
scratch=$(mktemp -d)
wineserver=/usr/lib/wine/wineserver
WINEPREFIX=$scratch/prefix
export WINEPREFIX
trap 'trap "" HUP INT PIPE TERM QUIT; "$wineserver" -k 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT
trap 'exit 1' HUP INT PIPE TERM QUIT

# dist VERSION DIR: the packages of VERSION into DIR, from this SDK.
dist() {
  COLLECTD_WMI_VERSION=$1 DIST_DIR=$2 DIST_SKIP_BUILD=1 \
    COLLECTD_WMI_SDK=$COLLECTD_SDK WMI_DLL=$BUILDDIR/wmi.dll \
    "$SRCDIR/scripts/dist.sh" >>"$scratch/dist.log" 2>&1
}
version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$SRCDIR/configure.ac")
# The upgrade's version: one build number above.
next=${version%.*}.$((${version##*.} + 1))
started=$(date +%s)
dist "$version" "$scratch/a"
dist "$version" "$scratch/b"
dist "$next" "$scratch/next"
msi=$scratch/a/collectd-wmi-$version-x64.msi
zip=$scratch/a/collectd-wmi-$version-win64.zip
msi_next=$scratch/next/collectd-wmi-$next-x64.msi
check "scripts/dist.sh writes exactly the MSI and the zip" \
  test "$(ls "$scratch/a")" = "$(printf '%s\n' "$(basename "$msi")" "$(basename "$zip")" | sort)"
check "the higher version's MSI ($next) is built" test -f "$msi_next"
if [ ! -f "$msi" ] || [ ! -f "$zip" ] || [ ! -f "$msi_next" ]; then
  tail -n 20 "$scratch/dist.log"
  summary
  exit 1
fi
echo "$suite: three builds in $(($(date +%s) - started)) s"

# ---- Two builds from the same inputs ------------------------------------------
zip_b=$scratch/b/collectd-wmi-$version-win64.zip
msi_b=$scratch/b/collectd-wmi-$version-x64.msi
check "two builds: byte-identical zips" cmp -s "$zip" "$zip_b"
mkdir -p "$scratch/za" "$scratch/zb"
unzip -q "$zip" -d "$scratch/za"
unzip -q "$zip_b" -d "$scratch/zb"
top=collectd-wmi-$version-win64
binaries_same() {
  n=0
  for f in $(cd "$scratch/za/$top" && find . -type f \( -name '*.exe' -o -name '*.dll' \)); do
    cmp -s "$scratch/za/$top/$f" "$scratch/zb/$top/$f" || { echo "  differs: $f"; return 1; }
    n=$((n + 1))
  done
  [ "$n" -gt 0 ]
}
check "two builds: identical EXEs and DLLs inside" binaries_same
# The MSIs: identical, or the tables and streams that differ.
check "two builds: byte-identical MSIs" cmp -s "$msi" "$msi_b"
if cmp -s "$msi" "$msi_b"; then
  echo "$suite: MSI comparison: identical ($(stat -c %s "$msi") bytes)"
else
  mkdir -p "$scratch/ma" "$scratch/mb"
  (cd "$scratch/ma" && msidump -t -s "$msi" >/dev/null 2>&1)
  (cd "$scratch/mb" && msidump -t -s "$msi_b" >/dev/null 2>&1)
  echo "$suite: MSI comparison: the MSIs differ; tables and streams that differ:"
  diff -rq "$scratch/ma" "$scratch/mb" | sed 's/^/  /'
  TZ=UTC msiinfo suminfo "$msi" >"$scratch/ma.suminfo"
  TZ=UTC msiinfo suminfo "$msi_b" >"$scratch/mb.suminfo"
  diff "$scratch/ma.suminfo" "$scratch/mb.suminfo" | sed 's/^/  summary information: /'
fi

# ---- What the packages hold ----------------------------------------------------
# Expected: every file of the SDK's bin/ (plugins, exporting module_register,
# in plugins\), wmi.dll in plugins\, types.db, wmi.conf, the template,
# dashboards, carbon files, README-windows.txt, the manual as text and
# HTML, the project's licence, the notices and every file of the SDK's
# licenses/. (The count in the check's name is this list's length.)
is_plugin() {
  x86_64-w64-mingw32-objdump -p "$1" | grep -Eq '^[[:space:]]*\[ *[0-9]+\] module_register$'
}
{
  for f in "$COLLECTD_SDK"/bin/*; do
    if is_plugin "$f"; then echo "plugins/$(basename "$f")"; else basename "$f"; fi
  done
  echo plugins/wmi.dll
  printf '%s\n' types.db wmi.conf collectd.conf.in README-windows.txt \
    collectd-wmi.txt collectd-wmi.html \
    licenses/collectd-wmi-LICENSE.txt licenses/THIRD-PARTY-NOTICES.txt
  for f in "$SRCDIR"/conf/packs/*.conf; do [ ! -f "$f" ] || echo "packs/$(basename "$f")"; done
  for f in "$SRCDIR"/conf/dashboards/*.json; do echo "dashboards/$(basename "$f")"; done
  for f in "$SRCDIR"/conf/graphite/*.conf; do echo "graphite/$(basename "$f")"; done
  [ -d "$COLLECTD_SDK/licenses" ] &&
    (cd "$COLLECTD_SDK/licenses" && find . -type f | sed 's#^\./#licenses/#')
} | LC_ALL=C sort >"$scratch/expected"
# Non-plugin DLLs may sit beside collectd.exe or, when only plugins load
# them, in plugins\: compared by name wherever they are.
loose() { sed -E 's#^plugins/([^/]*\.dll)$#\1#' "$1" | LC_ALL=C sort; }
(cd "$scratch/za/$top" && find . -type f | sed 's#^\./##' | LC_ALL=C sort) >"$scratch/zip.list"
msiextract -l "$msi" | sed 's#^collectd/##' | LC_ALL=C sort >"$scratch/msi.list"
check "the zip holds one folder, $top" \
  test "$(unzip -Z1 "$zip" | cut -d/ -f1 | sort -u)" = "$top"
check "the zip holds exactly the expected files ($(wc -l <"$scratch/expected"))" \
  test "$(loose "$scratch/zip.list")" = "$(loose "$scratch/expected")"
check "every collectd plugin and wmi.dll is in plugins/" \
  sh -c 'grep "^plugins/" "$1" | while read -r p; do grep -qx "$p" "$2" || exit 1; done' \
  _ "$scratch/expected" "$scratch/zip.list"
collectd_imports_beside() { # the DLLs collectd.exe imports and ships are beside it
  for d in $(x86_64-w64-mingw32-objdump -p "$scratch/za/$top/collectd.exe" |
    sed -n 's/^[[:space:]]*DLL Name: //p'); do
    grep -qix "plugins/$d" "$scratch/zip.list" && return 1
  done
  return 0
}
check "the DLLs collectd.exe imports sit beside it" collectd_imports_beside
check "the MSI holds the same files as the zip" cmp -s "$scratch/msi.list" "$scratch/zip.list"
mkdir -p "$scratch/mx"
msiextract -C "$scratch/mx" "$msi" >/dev/null 2>&1
check "the MSI's files have the zip's contents" diff -r -q "$scratch/mx/collectd" "$scratch/za/$top"
check "README-windows.txt has CRLF line endings" \
  sh -c '! grep -qv "$(printf "\r")\$" "$1"' _ "$scratch/za/$top/README-windows.txt"
# The manual page collectd-wmi(5), as text and as HTML, in both packages.
for f in collectd-wmi.txt collectd-wmi.html; do
  check "the zip holds the manual, $f" grep -qx "$f" "$scratch/zip.list"
  check "the MSI holds the manual, $f" grep -qx "$f" "$scratch/msi.list"
done
check "collectd-wmi.txt has CRLF line endings" \
  sh -c '! grep -qv "$(printf "\r")\$" "$1"' _ "$scratch/za/$top/collectd-wmi.txt"
tr -d '\r' <"$scratch/za/$top/collectd-wmi.txt" >"$scratch/manual.txt"
check "collectd-wmi.txt is pod2text's rendering of doc/collectd-wmi.pod" \
  sh -c 'pod2text --utf8 "$1" | cmp -s - "$2"' _ "$SRCDIR/doc/collectd-wmi.pod" \
  "$scratch/manual.txt"
html=$scratch/za/$top/collectd-wmi.html
check "collectd-wmi.html is the manual in HTML (title, NAME, every option block)" \
  sh -c 'grep -qF "<title>collectd-wmi(5)</title>" "$1" && grep -q "id=\"NAME\"" "$1" &&
    for b in "Plugin options" "&lt;Query &quot;name&quot;&gt;" "&lt;Result&gt;" \
      "&lt;Host &quot;name&quot;&gt;"; do grep -qF "$b</h2>" "$1" || exit 1; done' _ "$html"
# The host's name as a word only where the manual itself has that word
# (a host named "vm" and the Hyper-V pack's "VM").
check "collectd-wmi.html names no build folder, user or host" \
  sh -c '! grep -qF -e "$2" -e "$3" -e "$4" -e "@localhost" -e "@$5" \
      -e "mailto:" "$1" && { grep -qiwF "$5" "$6" || ! grep -qiwF "$5" "$1"; }' \
  _ "$html" "$SRCDIR" "$BUILDDIR" "$scratch" "$(hostname)" \
  "$SRCDIR/doc/collectd-wmi.pod"
check "two builds: identical manuals (text and HTML)" \
  sh -c 'cmp -s "$1/collectd-wmi.txt" "$2/collectd-wmi.txt" &&
    cmp -s "$1/collectd-wmi.html" "$2/collectd-wmi.html"' _ "$scratch/za/$top" "$scratch/zb/$top"
check "THIRD-PARTY-NOTICES.txt names every EXE and DLL" \
  sh -c 'for f in $(grep -E "\.(exe|dll)$" "$1"); do
    grep -qF "$(echo "$f" | tr / "\\\\")" "$2" || { echo "  not named: $f"; exit 1; }; done' \
  _ "$scratch/zip.list" "$scratch/za/$top/licenses/THIRD-PARTY-NOTICES.txt"
echo "$suite: the zip, $(basename "$zip") ($(stat -c %s "$zip") bytes):"
unzip -Z -l "$zip" | awk 'NF >= 10 && $NF ~ /\// { printf "  %10d  %s\n", $4, $NF }'
echo "$suite: the MSI, $(basename "$msi") ($(stat -c %s "$msi") bytes), files:"
(cd "$scratch/mx" && find collectd -type f | LC_ALL=C sort | while read -r f; do
  printf '  %10d  %s\n' "$(stat -c %s "$f")" "$f"
done)

# ---- Install, upgrade, uninstall in a fresh prefix ------------------------------
w() {
  WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;wmi=n" \
    /usr/lib/wine/wine64 "$@" 2>>"$scratch/wine.err"
}
service_key='HKLM\System\CurrentControlSet\Services\collectd'
regval() { # regval KEY NAME: the value's data as reg query prints it
  w reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' |
    awk -v n="$2" '$1 == n { sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+/, ""); print; exit }'
}
uninstall_key() { # the Uninstall key of the product of MSI
  echo "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$(msiinfo export "$1" Property |
    tr -d '\r' | awk -F'\t' '$1 == "ProductCode" { print $2 }')"
}

pf=$WINEPREFIX/drive_c/Program\ Files/collectd
data=$WINEPREFIX/drive_c/ProgramData/collectd
conf=$data/collectd.conf
port=$(free_ports 1)
# The prefix is made, and its server left to end (wineserver -w); then a
# persistent server, so that the prefix's services outlive the commands
# that start them. (A persistent server started on a prefix still being
# made ended up with two services.exe, one holding the services MSI
# created and one answering the next OpenService: 1060.) wmi=n: the
# plugin's wmi.dll, not Wine's builtin one (services.exe passes its
# environment, this one, to the services it starts).
# One Wine-heavy suite at a time (the lock the other end-to-end tests take).
exec 8>"${TMPDIR:-/tmp}/collectd-wmi-e2e-wineprefix.run-lock"
flock 8
step=$(date +%s)
mkdir -p "$WINEPREFIX"
w wineboot -i >/dev/null 2>&1
"$wineserver" -w
"$wineserver" -p
echo "$suite: fresh prefix in $(($(date +%s) - step)) s"
step=$(date +%s)
check "msiexec /i /qn GRAPHITE_HOST=127.0.0.1 GRAPHITE_PORT=$port INTERVAL=7 INFLUXDB_HOST=127.0.0.1 succeeds" \
  w msiexec /i "$(winpath "$msi")" /qn /l*v "$(winpath "$scratch/install.log")" \
  GRAPHITE_HOST=127.0.0.1 GRAPHITE_PORT="$port" INTERVAL=7 INFLUXDB_HOST=127.0.0.1
echo "$suite: install took $(($(date +%s) - step)) s"
check "the files are under C:/Program Files/collectd, as in the zip" \
  diff -r -q "$pf" "$scratch/za/$top"
check "collectd.conf is written in C:/ProgramData/collectd" test -f "$conf"
check "collectd.conf has GRAPHITE_HOST, GRAPHITE_PORT and INTERVAL" \
  sh -c 'tr -d "\r" <"$1" | grep -q "^ *Host \"127.0.0.1\"" &&
    tr -d "\r" <"$1" | grep -q "^ *Port \"$2\"" && tr -d "\r" <"$1" | grep -q "^Interval 7$"' \
  _ "$conf" "$port"
# The query packs are installed, and collectd.conf includes none of them:
# it shows one, commented out, which names an installed pack.
packs_installed() { # every conf/packs/*.conf (at least one), as it is
  n=0
  for f in "$SRCDIR"/conf/packs/*.conf; do
    cmp -s "$f" "$pf/packs/${f##*/}" || return 1
    n=$((n + 1))
  done
  echo "  $n packs installed"
}
no_pack_included() { ! tr -d '\r' <"$conf" | grep -q '^[[:space:]]*Include .*packs'; }
packs_example() {
  line=$(tr -d '\r' <"$conf" | grep '^#Include ".*packs\\\\[^\\]*\.conf"$') &&
    pack=$(printf '%s\n' "$line" | sed 's/.*packs\\\\\([^"]*\)"$/\1/') &&
    test -f "$pf/packs/$pack"
}
check "conf/packs/*.conf are installed in C:/Program Files/collectd/packs" packs_installed
check "collectd.conf includes no pack" no_pack_included
check "collectd.conf shows a pack's Include, commented out, naming an installed pack" \
  packs_example
echo "$suite: the service's registry key after the install:"
w reg query "$service_key" 2>/dev/null | tr -d '\r' | grep -v '^$' | sed 's/^/  /'
check "service: automatic start (Start 0x2)" test "$(regval "$service_key" Start)" = 0x2
check "service: own process (Type 0x10)" test "$(regval "$service_key" Type)" = 0x10
check "service: LocalSystem" test "$(regval "$service_key" ObjectName)" = LocalSystem
image=$(regval "$service_key" ImagePath)
printf "%s: ImagePath: %s\n" "$suite" "$image"
check "service: ImagePath runs the installed collectd.exe, quoted, --service -C ProgramData/collectd/collectd.conf" \
  sh -c 'case $1 in "\"C:\\Program Files\\collectd\\collectd.exe\" --service -C \"C:\\ProgramData\\collectd\\collectd.conf\"") ;; *) exit 1 ;; esac' \
  _ "$image"
check "service: display name" test "$(regval "$service_key" DisplayName)" = "collectd (WMI plugin)"
check "service: description names collectd and WMI" \
  sh -c 'case $1 in *collectd*) ;; *) exit 1 ;; esac; case $1 in *WMI*) ;; *) exit 1 ;; esac' \
  _ "$(regval "$service_key" Description)"
failure_actions=$(regval "$service_key" FailureActions)
if [ -n "$failure_actions" ]; then
  echo "$suite: FailureActions (REG_BINARY SERVICE_FAILURE_ACTIONS): $failure_actions"
else
  echo "$suite: no FailureActions value: Wine's ChangeServiceConfig2W does not store failure actions (a FIXME in Wine 8), so the restart on failure cannot be shown here"
fi
echo "$suite: PreshutdownTimeout: $(regval "$service_key" PreshutdownTimeout)"
check "sc query: RUNNING after the install" wait_state RUNNING 30
# collectd loads its plugins from PluginDir ...\\plugins; their imports
# are found (libgnu beside collectd.exe, libgcrypt for network beside the
# plugins).
log=$data/collectd.log
loaded() { # loaded PLUGIN...: collectd.log says each was loaded
  n=0
  while [ "$n" -lt 20 ]; do
    all=1
    for p in "$@"; do
      tr -d '\r' 2>/dev/null <"$log" | grep -q "plugin \"$p\" successfully loaded" || all=
    done
    [ -n "$all" ] && return 0
    sleep 0.5
    n=$((n + 1))
  done
  tr -d '\r' 2>/dev/null <"$log" | grep -i "fail\|error" | head -n 5 | sed 's/^/  /'
  return 1
}
check "the service loads write_graphite, network and wmi from plugins/ (logfile: its log is written)" \
  loaded write_graphite network wmi
check "no plugin failed to load" sh -c '! tr -d "\r" <"$1" | grep -q "dlopen\|Load plugin .* failed"' _ "$log"
# The README's dry run, its file (C:\ProgramData\collectd\dry-run.conf)
# and its command as written (in a batch file, as typed in a console), on
# the installed layout beside the running service.
readme_block "Dry run" 1 | sed 's/$/\r/' >"$data/dry-run.conf"
readme_block "Dry run" 2 | sed 's/$/\r/' >"$scratch/dry.bat"
w cmd.exe /c "$(winpath "$scratch/dry.bat")" >"$scratch/dry.out" 2>/dev/null
check "the README's dry run on the MSI layout prints its report ($(readme_block "Dry run" 2))" \
  sh -c 'tr -d "\r" <"$1" | grep -q "^wmi dry run: [0-9]* of [0-9]* queries finished" &&
    tr -d "\r" <"$1" | grep -q "^Host \"local\", Query \"memory\": ok, 1 object"' \
  _ "$scratch/dry.out"
first_pids=$(collectd_pids)
key_old=$(uninstall_key "$msi")
check "the product is registered, version $version" \
  test "$(regval "$key_old" DisplayVersion)" = "$version"

# ---- Upgrade -----------------------------------------------------------------
printf '# edited by the operator\r\n' >>"$conf"
cp "$conf" "$scratch/edited.conf"
step=$(date +%s)
check "msiexec /i of $next over $version with other properties succeeds" \
  w msiexec /i "$(winpath "$msi_next")" /qn /l*v "$(winpath "$scratch/upgrade.log")" \
  GRAPHITE_HOST=192.0.2.1 GRAPHITE_PORT=1 INFLUXDB_HOST=192.0.2.2 PROMETHEUS_PORT=9999 \
  INTERVAL=3
echo "$suite: upgrade took $(($(date +%s) - step)) s"
check "upgrade: collectd.conf is byte-identical to the edited one" cmp -s "$conf" "$scratch/edited.conf"
key_new=$(uninstall_key "$msi_next")
check "upgrade: the product's version is $next" test "$(regval "$key_new" DisplayVersion)" = "$next"
check "upgrade: the old product ($version) is gone" test -z "$(regval "$key_old" DisplayVersion)"
check "upgrade: the new files are installed (notices of $next)" \
  grep -q "collectd-wmi $next " "$pf/licenses/THIRD-PARTY-NOTICES.txt"
check "upgrade: sc query RUNNING" wait_state RUNNING 30
new_pids=$(collectd_pids)
check "upgrade: the service runs in a new process (was ${first_pids:-none}, now ${new_pids:-none})" \
  sh -c '[ -n "$2" ] && for p in $1; do case " $2 " in *" $p "*) exit 1 ;; esac; done' \
  _ "$first_pids" "$new_pids"
check "upgrade: the service's command line is unchanged" \
  test "$(regval "$service_key" ImagePath)" = "$image"

# A downgrade is refused, and leaves the newer version running.
w msiexec /i "$(winpath "$msi")" /qn /l*v "$(winpath "$scratch/downgrade.log")"
downgrade=$?
check "downgrade: msiexec /i of $version over $next is refused ($downgrade)" \
  test "$downgrade" -ne 0
check "downgrade: $next stays installed and RUNNING" \
  test "$(regval "$key_new" DisplayVersion)" = "$next" -a "$(state)" = RUNNING
check "downgrade: collectd.conf untouched" cmp -s "$conf" "$scratch/edited.conf"

# ---- Uninstall -----------------------------------------------------------------
step=$(date +%s)
check "msiexec /x /qn succeeds" \
  w msiexec /x "$(winpath "$msi_next")" /qn /l*v "$(winpath "$scratch/uninstall.log")"
echo "$suite: uninstall took $(($(date +%s) - step)) s"
check "uninstall: the service is gone (sc query: $(state))" test "$(state)" = NONE
# Wine's service manager deletes the key once the last handle to the
# deleted service is closed, as Windows does: a moment later.
key_gone() {
  n=0
  while w reg query "$service_key" >/dev/null 2>&1; do
    [ "$n" -lt 20 ] || return 1
    sleep 0.5
    n=$((n + 1))
  done
}
check "uninstall: the service's registry key is gone" key_gone
check "uninstall: no collectd.exe left running" test -z "$(collectd_pids)"
check "uninstall: C:/Program Files/collectd is gone" test ! -e "$pf"
check "uninstall: the product is unregistered" test -z "$(regval "$key_new" DisplayVersion)"
check "uninstall: collectd.conf remains, unchanged" cmp -s "$conf" "$scratch/edited.conf"
check "uninstall: collectd.log remains" test -f "$data/collectd.log"
"$wineserver" -k 2>/dev/null
summary
