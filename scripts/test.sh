#!/usr/bin/env bash
# Installs what is missing, builds, and runs Drover's whole test suite:
#  1. everything (UI on) under AddressSanitizer + UBSan in build-asan/: every test, leak- and
#     UB-free;
#  2. the libFuzzer targets (clang, ASan+UBSan, tests/fuzz), each replaying its seed corpus
#     and fuzzing for a bounded time. Built with DROVER_UI=OFF, which never looks Qt Widgets
#     up: this step also proves core builds without Widgets;
#  3. ThreadSanitizer for the engine, gateway, supervisor and dispatch tests.
# The sanitizer builds use -O1 -g1 (line tables only): about half the compile time of -O2 -g,
# and reports still name file:line. The console itself (scripts/console.sh) builds in build/.
# Tests that need the OS keychain run under a private session bus with an unlocked
# gnome-keyring (tests/run_with_keyring.sh). Extra arguments go to the ctest run of step 1
# (e.g. -L ui); DROVER_SKIP_FUZZ=1 and DROVER_SKIP_TSAN=1 skip steps 2 and 3 for a quick
# local run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/ensure-packages.sh"

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
jobs=$(nproc)
step() { echo "== $* ($(date -u +%H:%M:%S))"; }

sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")

step "everything, ASan+UBSan"
# No leak suppressions: every test, the UI ones included, exits without a leak report.
"$top/scripts/build.sh" "$top/build-asan" -DDROVER_SANITIZE=address,undefined "${sanitizer_flags[@]}"
"$top/tests/run_with_keyring.sh" ctest --test-dir "$top/build-asan" --output-on-failure \
    -j "$jobs" "$@"

if [ "${DROVER_SKIP_FUZZ:-0}" != 1 ]; then
    # Only the fuzz targets are built here (drover_core with coverage instrumentation and the
    # six fuzzers), not the test suite again.
    step "fuzz targets, clang, ASan+UBSan"
    fuzz="$top/build-fuzz"
    [ -f "$fuzz/build.ninja" ] || CC=clang CXX=clang++ cmake -S "$top" -B "$fuzz" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
        -DDROVER_UI=OFF -DDROVER_FUZZ=ON
    mapfile -t fuzzers < <(ctest --test-dir "$fuzz" -N -L fuzz | sed -n 's/^ *Test *#[0-9]*: //p')
    ninja -C "$fuzz" "${fuzzers[@]}"
    ctest --test-dir "$fuzz" --output-on-failure -j "$jobs" -L fuzz
fi

# ThreadSanitizer for the tests whose code runs in several threads (engine, gateway, supervisor,
# dispatch), plus canaries that prove the step would see a race (tests/sanitizer).
# DROVER_SKIP_TSAN=1 skips it for a quick local run.
if [ "${DROVER_SKIP_TSAN:-0}" != 1 ]; then
    # Qt itself is not instrumented: ignore_noninstrumented_modules keeps TSan from reporting
    # what it cannot see into (notes/toolchain.md); the canaries show a real race is still
    # reported. Drover's own hand-offs between threads go through core/sync/call_queue.h, whose
    # ordering TSan sees. die_after_fork=0: QProcess forks from a threaded process and the child
    # execs at once.
    step "ThreadSanitizer: engine, gateway, supervisor and dispatch tests"
    tsan="$top/build-tsan"
    [ -f "$tsan/build.ninja" ] || cmake -S "$top" -B "$tsan" -G Ninja \
        "${sanitizer_flags[@]}" -DDROVER_UI=OFF -DDROVER_SANITIZE=thread
    tsan_labels='engine|gateway|supervisor|dispatch'
    # Build only what those tests run (a fixture such as gateway_node_install is no target).
    mapfile -t tsan_tests < <(ctest --test-dir "$tsan" -N -L "$tsan_labels" |
        sed -n 's/^ *Test *#[0-9]*: //p')
    mapfile -t tsan_targets < <(ninja -C "$tsan" -t targets all | sed 's/: .*//' |
        grep -Fx -f <(printf '%s\n' "${tsan_tests[@]}"))
    ninja -C "$tsan" tsan_canary "${tsan_targets[@]}"
    export TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=0 second_deadlock_stack=1 die_after_fork=0"
    ctest --test-dir "$tsan" --output-on-failure -R '^tsan_canary_'
    "$top/tests/run_with_keyring.sh" ctest --test-dir "$tsan" --output-on-failure -j "$jobs" \
        -L "$tsan_labels"
    unset TSAN_OPTIONS
fi

step "done"
