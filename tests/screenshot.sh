#!/usr/bin/env bash
# Launches the real console under Xvfb, waits until it has drawn a few seconds of live data,
# and saves a screenshot. Usage: tests/screenshot.sh <drover executable> <output.png> [args...]
# Used by CTest (screenshot_console). The README's screenshots come from tests/screenshots.sh.
set -euo pipefail
exe=${1:?usage: screenshot.sh <drover> <out.png> [args...]}
out=${2:?usage: screenshot.sh <drover> <out.png> [args...]}
shift 2
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_CONFIG_HOME="$work/.config" XDG_RUNTIME_DIR="$work/run"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset QT_QPA_PLATFORM
# The window quits by itself after 9 s; the screenshot is taken at 7 s, when the chart has
# several seconds of points.
xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  "$0" --quit-after 9000 "$@" & app=$!
  sleep 7
  import -window root "'"$out"'"
  wait $app' "$exe" "$@"
test -s "$out"
# A blank capture (an all-black root window) has a single colour; a drawn window has many.
colours=$(identify -format '%k' "$out")
echo "screenshot: $out ($colours colours)"
[ "$colours" -gt 50 ]
