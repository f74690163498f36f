#!/usr/bin/env bash
# Checks the Linux installers as a person meets them. Usage: check-packages.sh PACKAGE.deb PACKAGE.rpm
#
# .deb: metadata (name, the workspace's version, WebKitGTK in Depends), then installed with
# `apt-get install ./….deb` when run as root (CI is root), else unpacked with `dpkg -x` into a
# throwaway root (said below); the installed binary is started on an Xvfb display through WebDriver
# (first_screen.py: the first-run screen's text, the mapped window) with update checks pointed at a
# local server, which must be asked; the menu entry passes desktop-file-validate and names a binary
# and an icon that exist where the menu looks; `apt-get remove` leaves none of the package's files.
# .rpm: metadata, then `rpm -i --root` into a throwaway root with --nodeps (this Debian machine
# has no RPM package database), the .deb's binary (but for its package-type mark) and a valid menu
# entry, `rpm -e` leaves nothing.
set -euo pipefail
deb=$(realpath "$1") rpm=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$here/.." && pwd)
work=$(mktemp -d)
server_pid=
installed_here=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  # A failed run removes what it installed, so that the next run tests a fresh install.
  if [ -n "$installed_here" ] && dpkg-query -W -f='${Status}' bulk-collect 2>/dev/null | grep -q 'ok installed'; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq bulk-collect > /dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check-packages: FAILED: $*" >&2; exit 1; }
ok() { echo "check-packages: ok: $*"; }

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$root_dir/Cargo.toml")
[ -n "$version" ] || fail "no [workspace.package] version in Cargo.toml"

# --- .deb metadata -------------------------------------------------------------------------------
[ "$(dpkg-deb --field "$deb" Package)" = bulk-collect ] || fail ".deb package name"
[ "$(dpkg-deb --field "$deb" Version)" = "$version" ] || fail ".deb version is not the workspace's $version"
dpkg-deb --field "$deb" Depends | grep -q 'libwebkit2gtk-4.1-0' || fail ".deb does not depend on WebKitGTK"
ok ".deb bulk-collect $version, depends on $(dpkg-deb --field "$deb" Depends)"
# The package's regular files, one absolute path a line (names may hold spaces).
dpkg-deb --fsys-tarfile "$deb" | python3 -c '
import sys, tarfile
for member in tarfile.open(fileobj=sys.stdin.buffer, mode="r|"):
    if member.isfile():
        print("/" + member.name.removeprefix("./"))' > "$work/deb-files"
[ -s "$work/deb-files" ] || fail "no files in the .deb"

# --- install -------------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  # As root the package is installed system-wide: never over a copy someone installed themselves
  # (it would be tested instead of this build, then removed).
  if dpkg-query -W -f='${Status}' bulk-collect 2>/dev/null | grep -q 'ok installed' && [ -z "${BUNDLE_TEST_SYSTEM:-}" ]; then
    fail "Bulk Collect is already installed on this computer; remove it first (apt-get remove bulk-collect), or set BUNDLE_TEST_SYSTEM=1 to let this test replace and then remove it"
  fi
  prefix=
  installed_here=1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --reinstall --allow-downgrades "$deb" > "$work/apt.log" \
    || { cat "$work/apt.log"; fail "apt-get install"; }
  dpkg-query -W -f='${Status}' bulk-collect | grep -q 'install ok installed' || fail "dpkg does not list it as installed"
  ok "installed system-wide with apt-get install (running as root)"
else
  prefix=$work/deb-root
  dpkg -x "$deb" "$prefix"
  ok "not root: unpacked with dpkg -x into the throwaway root $prefix (apt-get install and remove are not checked)"
fi
while read -r file; do [ -e "$prefix$file" ] || fail "$file is in the package but not installed"; done < "$work/deb-files"

# --- the menu entry and the icon -----------------------------------------------------------------
check_menu_entry() { # $1: the install root ("" for /), $2: the package's files
  local desktop exec icon
  desktop=$(grep '^/usr/share/applications/.*\.desktop$' "$2" || true)
  [ "$(echo "$desktop" | grep -c .)" = 1 ] || fail "expected one menu entry in the package, found: $desktop"
  desktop=$1$desktop
  desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
  grep -qx 'Name=Bulk Collect' "$desktop" || fail "menu entry name"
  grep -q '^Categories=.*Office' "$desktop" || fail "menu entry category: $(grep Categories "$desktop")"
  exec=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
  [ -x "$1/usr/bin/$exec" ] || fail "the menu entry runs $exec, which is not in /usr/bin"
  icon=$(sed -n 's/^Icon=//p' "$desktop")
  for size in 32x32 128x128 256x256@2; do
    [ -f "$1/usr/share/icons/hicolor/$size/apps/$icon.png" ] || fail "no $size icon $icon.png in hicolor"
  done
  ok "menu entry ${desktop#"$1"} is valid; runs /usr/bin/$exec; icon $icon in hicolor 32, 128, 256@2"
}
check_menu_entry "$prefix" "$work/deb-files"

# The bundler marks each package's copy of the binary with its package type (the updater reads it
# to know what to download): same_binary A TYPE_A B TYPE_B checks the two differ in that mark only.
same_binary() {
  python3 - "$@" <<'PY'
import re, sys
first, first_type, second, second_type = sys.argv[1:]
mark = re.compile(rb"__TAURI_BUNDLE_TYPE_VAR_[A-Z]+")
def unmarked(path, kind):
    data = open(path, "rb").read()
    marks = set(mark.findall(data))
    if marks != {b"__TAURI_BUNDLE_TYPE_VAR_" + kind.encode()}:
        sys.exit(f"{path}: package type marks {marks}, expected {kind}")
    return mark.sub(b"", data)
sys.exit(0 if unmarked(first, first_type) == unmarked(second, second_type) else 1)
PY
}

# --- start the installed app ---------------------------------------------------------------------
# A local update server announcing 99.0.0: the installed build (update checks on by default) must
# ask it and offer the new version in its dialog (not installed: nobody says yes).
mkdir -p "$work/updates"
python3 - "$work/updates/latest.json" <<'PY'
import base64, json, sys
signature = base64.b64encode(b"not checked before the person says yes").decode()
platform = {"url": "http://127.0.0.1:9/bulk-collect.deb", "signature": signature}
json.dump({"version": "99.0.0", "platforms": {"linux-x86_64": platform, "linux-x86_64-deb": platform}}, open(sys.argv[1], "w"))
PY
update_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$update_port" --bind 127.0.0.1 --directory "$work/updates" > "$work/updates.log" 2>&1 &
server_pid=$!
mkdir -p "$work/data" "$work/downloads"
BULK_COLLECT_DATA_DIR=$work/data BULK_COLLECT_DOWNLOAD_DIR=$work/downloads BULK_COLLECT_LOG=info \
  BULK_COLLECT_UPDATE_ENDPOINT=http://127.0.0.1:$update_port/latest.json \
  EXPECT_WINDOW="A new version of Bulk Collect" \
  "$root_dir/tests/support/with-keyring.sh" xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  python3 "$here/first_screen.py" "$prefix/usr/bin/bulk-collect" "$work/first-screen.png" > "$work/app.log" 2>&1 \
  || { tail -40 "$work/app.log"; fail "the installed app did not show its first screen"; }
grep -E '^(first screen|window|screenshot)' "$work/app.log" | sed 's/^/check-packages: ok: /'
grep -q 'GET /latest.json' "$work/updates.log" || { tail -20 "$work/app.log"; fail "the installed app did not ask the update server"; }
ok "the installed app asked the local update server at start and offered 99.0.0 in its dialog"
if [ -n "${BUNDLE_SCREENSHOT:-}" ]; then cp "$work/first-screen.png" "$BUNDLE_SCREENSHOT"; fi
cp "$prefix/usr/bin/bulk-collect" "$work/deb-binary"

# --- remove --------------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq bulk-collect > "$work/apt.log" \
    || { cat "$work/apt.log"; fail "apt-get remove"; }
  if dpkg-query -W -f='${Status}' bulk-collect 2>/dev/null | grep -q 'ok installed'; then fail "still installed"; fi
  while read -r file; do [ ! -e "$file" ] || fail "$file is left after apt-get remove"; done < "$work/deb-files"
  ok "apt-get remove removed all $(wc -l < "$work/deb-files") files"
fi

# --- .rpm ----------------------------------------------------------------------------------------
command -v rpm > /dev/null || fail "rpm is missing (package rpm): run make deps"
[ "$(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm" 2>/dev/null)" = "bulk-collect $version" ] || fail ".rpm name or version"
rpm -qpR "$rpm" 2>/dev/null | grep -q 'libwebkit2gtk-4.1.so.0' || fail ".rpm does not require WebKitGTK (libwebkit2gtk-4.1.so.0)"
rpm_root=$work/rpm-root
rpm --root "$rpm_root" --initdb
rpm --root "$rpm_root" -i --nodeps "$rpm" 2> "$work/rpm.log" || { cat "$work/rpm.log"; fail "rpm -i"; }
same_binary "$work/deb-binary" DEB "$rpm_root/usr/bin/bulk-collect" RPM \
  || fail "the .rpm's binary is not the .deb's with its package type marked RPM"
rpm -qpl "$rpm" 2>/dev/null > "$work/rpm-files"
check_menu_entry "$rpm_root" "$work/rpm-files"
rpm --root "$rpm_root" -e bulk-collect
left=$(find "$rpm_root/usr" -type f 2>/dev/null | head -5)
[ -z "$left" ] || fail "left after rpm -e: $left"
ok ".rpm installed into a throwaway root with --nodeps (the .deb's binary, marked RPM), removed with rpm -e, nothing left"
