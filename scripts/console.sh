#!/usr/bin/env bash
# Installs what is missing, builds Drover and launches the console on the default
# configuration (extra arguments go to drover, e.g. --config my.yaml or --lang de).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/ensure-packages.sh"
"$top/scripts/build.sh" "$top/build"
exe="$top/build/bin/drover"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "drover: no display here; running the console on a virtual screen (xvfb-run)." >&2
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$exe" "$@"
fi
exec "$exe" "$@"
