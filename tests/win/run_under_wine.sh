#!/usr/bin/env bash
# Cross-compiles the Windows platform layer (core/platform/win) and its tests with mingw-w64
# and runs them under wine. Registered in CTest as `windows_platform` (label: windows).
#
#   run_under_wine.sh <source-root> <build-dir> [test-name...]
#
# Needs the packages in scripts/packages-windows-tests.txt and fails loudly without them:
# a missing toolchain must never pass as "nothing to test". The wine prefix lives in the build
# dir and is reused between runs (initialising one takes ~10-20 s); the executables are rebuilt
# only when a source is newer. Environment overrides: DROVER_MINGW_CXX, DROVER_WINE,
# DROVER_WINESERVER.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 <source-root> <build-dir> [test-name...]" >&2
    exit 2
fi
root=$(cd "$1" && pwd)
out=$2
shift 2
mkdir -p "$out"
out=$(cd "$out" && pwd)

fail() {
    echo "windows_platform: FAIL: $*" >&2
    exit 1
}

# First candidate that is an executable path or a command on PATH.
find_tool() {
    local candidate
    for candidate in "$@"; do
        [ -n "$candidate" ] || continue
        if [ -x "$candidate" ] && [ ! -d "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
        if command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

packages="g++-mingw-w64-x86-64 wine wine64 (scripts/packages-windows-tests.txt; scripts/ensure-packages.sh installs them)"
# The -posix flavour: the default -win32 one lacks std::thread and std::mutex.
cxx=$(find_tool "${DROVER_MINGW_CXX:-}" x86_64-w64-mingw32-g++-posix) \
    || fail "x86_64-w64-mingw32-g++-posix not found; install $packages"
# Debian keeps wine64 and wineserver off PATH, in /usr/lib/wine.
wine=$(find_tool "${DROVER_WINE:-}" /usr/lib/wine/wine64 wine64 wine) \
    || fail "wine64 not found; install $packages"
wineserver=$(find_tool "${DROVER_WINESERVER:-}" /usr/lib/wine/wineserver wineserver) \
    || fail "wineserver not found; install $packages"

# One run per build dir at a time: two runs would share (and kill) one wineserver.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$out/.windows_platform.lock"
    flock 9
fi

src="$root/core/platform/win"
tests="$root/tests/win"
bin="$out/bin"
obj="$out/obj"
mkdir -p "$bin" "$obj"

# ---- build ---------------------------------------------------------------------------------
flags=(-std=c++17 -static -O2 -municode -Wall -Wextra -I"$src")
libs=(-lpsapi -lshell32)
stamp="$bin/.flags"
wanted_flags="$cxx ${flags[*]} ${libs[*]}"
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted_flags" ] || rm -f "$bin"/*.exe

newest_header=""
for header in "$src"/*.h; do
    if [ -z "$newest_header" ] || [ "$header" -nt "$newest_header" ]; then
        newest_header=$header
    fi
done
objects=()
compile() { # source object
    if [ ! -f "$2" ] || [ "$1" -nt "$2" ] || [ "$newest_header" -nt "$2" ] || [ ! -f "$bin/drover_win_tests.exe" ]; then
        echo "windows_platform: compiling $(basename "$1")"
        "$cxx" "${flags[@]}" -c "$1" -o "$2"
    fi
}
for source in "$src"/*.cpp; do
    object="$obj/$(basename "$source" .cpp).o"
    compile "$source" "$object"
    objects+=("$object")
done
compile "$tests/win_platform_tests.cpp" "$obj/win_platform_tests.o"
compile "$tests/child.cpp" "$obj/child.o"
link() { # exe main-object
    local needed=0 object
    [ -f "$1" ] || needed=1
    for object in "$2" "${objects[@]}"; do
        [ "$object" -nt "$1" ] && needed=1
    done
    if [ $needed = 1 ]; then
        "$cxx" "${flags[@]}" "$2" "${objects[@]}" -o "$1" "${libs[@]}"
    fi
}
link "$bin/drover_win_child.exe" "$obj/child.o"
link "$bin/drover_win_tests.exe" "$obj/win_platform_tests.o"
echo "$wanted_flags" >"$stamp"

# ---- wine ----------------------------------------------------------------------------------
export WINEPREFIX="$out/wineprefix"
export WINEARCH=win64
export WINEDEBUG=-all
# No Mono/Gecko install prompts during wineboot; nothing here needs .NET or HTML.
export WINEDLLOVERRIDES="mscoree,mshtml="
# Headless and deterministic whatever the developer's session has.
unset DISPLAY WAYLAND_DISPLAY

cleanup() {
    "$wineserver" -k >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Wine daemons (wineserver, services.exe, winedevice.exe) outlive the command that started
# them. They get a log file, never this script's stdout: a daemon holding CTest's pipe open
# would hang the test until its timeout.
log="$out/wine.log"
: >"$log"
ready="$WINEPREFIX/.drover-ready"
if [ ! -f "$ready" ]; then
    echo "windows_platform: initialising wine prefix $WINEPREFIX"
    rm -rf "$WINEPREFIX"
    mkdir -p "$WINEPREFIX"
fi
# A persistent wineserver, shared by wineboot and the tests: without it every process start
# pays ~2 s of server startup.
"$wineserver" -p </dev/null >>"$log" 2>&1
if [ ! -f "$ready" ]; then
    booted=$(date +%s)
    "$wine" wineboot.exe --init </dev/null >>"$log" 2>&1 || {
        tail -n 20 "$log" >&2
        fail "wineboot --init failed"
    }
    touch "$ready"
    echo "windows_platform: wine prefix ready in $(($(date +%s) - booted)) s"
fi

# Output goes to a file (not a pipe, for the reason above, and not a pty, where wine adds
# escape codes); \r is stripped after.
result="$out/windows_platform.out"
status=0
(cd "$bin" && timeout --kill-after=10 240 "$wine" ./drover_win_tests.exe "$@") \
    </dev/null >"$result" 2>&1 || status=$?
tr -d '\r' <"$result" >"$result.txt"
cat "$result.txt"

if [ $status -eq 124 ] || [ $status -eq 137 ]; then
    fail "drover_win_tests.exe timed out after 240 s"
fi
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$result.txt"; then
    tail -n 20 "$log" >&2
    fail "drover_win_tests.exe did not report a summary (exit $status)"
fi
exit $status
