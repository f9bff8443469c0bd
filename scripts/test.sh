#!/usr/bin/env bash
# Installs what is missing, builds, and runs Drover's whole test suite:
#  1. core alone (-DDROVER_UI=OFF) with AddressSanitizer + UBSan: proves core never needs
#     Widgets and that its tests are leak- and UB-free;
#  2. everything (UI on), the suite CI reads.
# Tests that need the OS keychain run under a private session bus with an unlocked
# gnome-keyring (tests/run_with_keyring.sh). Extra arguments go to both ctest runs (-L ui).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/ensure-packages.sh"

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
jobs=$(nproc)

echo "== core only, DROVER_UI=OFF, ASan+UBSan =="
"$top/scripts/build.sh" "$top/build-core-asan" -DDROVER_UI=OFF -DDROVER_SANITIZE=address,undefined
"$top/tests/run_with_keyring.sh" ctest --test-dir "$top/build-core-asan" --output-on-failure \
    -j "$jobs" -LE windows "$@"

echo "== full build =="
"$top/scripts/build.sh" "$top/build"
"$top/tests/run_with_keyring.sh" ctest --test-dir "$top/build" --output-on-failure -j "$jobs" "$@"
