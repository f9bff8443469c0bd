#!/usr/bin/env bash
# Compiles (syntax and types, no link) every Windows-only Qt source of drover_core with the
# mingw-w64 compiler against this machine's Qt headers, so a Windows-only compile error in the
# Qt-facing adapters (process_tree_win.cpp, ...) is caught on Linux on every change. A real
# MSVC build on a Windows runner remains the final word.
# Usage: check_qt_adapters.sh <source root> <Qt include dir>
set -euo pipefail
root=${1:?source root}
qt=${2:?Qt include dir}
cxx=x86_64-w64-mingw32-g++-posix
command -v "$cxx" >/dev/null || { echo "FAIL: $cxx missing (apt-get install g++-mingw-w64-x86-64)"; exit 1; }
status=0
for src in "$root"/core/platform/*_win.cpp; do
    if "$cxx" -std=c++17 -fsyntax-only -Wall -DUNICODE -D_UNICODE -DQT_NO_CAST_FROM_ASCII \
        -DQT_NO_CAST_TO_ASCII -I"$root" -I"$root/core/platform" -I"$qt" -I"$qt/QtCore" "$src"; then
        echo "PASS $(basename "$src")"
    else
        echo "FAIL $(basename "$src")"
        status=1
    fi
done
exit $status
