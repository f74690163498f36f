#!/usr/bin/env bash
# Draws every icon the bundles need from the one source, icons/icon.svg: a 1024 px PNG made by
# rsvg-convert (librsvg2-bin), then `tauri icon` (the CLI pinned in ui/package.json) for the sizes
# Tauri uses: 32x32, 64x64, 128x128, 128x128@2x, icon.png, icon.ico (Windows), icon.icns (macOS)
# and the Square*/StoreLogo tiles (Windows Store). The generated files are committed; run
# `make icons` after changing the SVG. Mobile icons are not made (desktop only).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { echo "rsvg-convert is missing (package librsvg2-bin): run make deps."; exit 1; }
[ -x ui/node_modules/.bin/tauri ] || { echo "The Tauri CLI is missing: run make ui (npm ci in ui/)."; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rsvg-convert --width 1024 --height 1024 icons/icon.svg --output "$work/icon-1024.png"
ui/node_modules/.bin/tauri icon "$work/icon-1024.png" --output "$work/out" > "$work/log" 2>&1 \
  || { cat "$work/log"; exit 1; }
rm -rf "$work/out/android" "$work/out/ios"
cp "$work/out"/* icons/
echo "icons/: $(cd "$work/out" && echo *)"
