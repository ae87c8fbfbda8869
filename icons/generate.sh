#!/bin/sh
# Regenerates every PNG/ICO/ICNS in icons/ from the SVG sources (needs rsvg-convert and the Tauri CLI in ui/node_modules).
set -eu
cd "$(dirname "$0")/.."

TAURI="${TAURI:-ui/node_modules/.bin/tauri}"

# App icon: SVG -> 1024 PNG -> Tauri desktop set (mobile/Store outputs are not used).
rsvg-convert -w 1024 -h 1024 icons/source.svg -o icons/source.png
"$TAURI" icon icons/source.png -o icons
rm -rf icons/android icons/ios icons/Square*Logo.png icons/StoreLogo.png

# Tray icons: 64x64 (@2x) and 32x32 (@1x) RGBA PNGs per state.
for state in normal warning error; do
  rsvg-convert -w 64 -h 64 "icons/tray/tray-$state.svg" -o "icons/tray/tray-$state.png"
  rsvg-convert -w 32 -h 32 "icons/tray/tray-$state.svg" -o "icons/tray/tray-$state-32.png"
done
