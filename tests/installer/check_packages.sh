#!/usr/bin/env bash
# Builds the .deb and .tar.gz with CPack into a scratch folder, checks their contents, and runs
# the packaged binary (offscreen) to prove the package is usable, not just present.
# Usage: check_packages.sh <build dir>
set -euo pipefail
build=${1:?usage: check_packages.sh <build dir>}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cpack --config "$build/CPackConfig.cmake" -B "$out" -G "DEB;TGZ" >"$out/cpack.log" 2>&1 || {
    cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb)
tgz=$(ls "$out"/*.tar.gz)
echo "built: $(basename "$deb") $(basename "$tgz")"

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/drover ./usr/share/applications/drover.desktop \
         ./usr/share/icons/hicolor/scalable/apps/drover.svg ./usr/share/drover/drover.yaml; do
    grep -q " $f\$" <<<"$contents" || { echo "missing from the .deb: $f"; exit 1; }
done
# drover_core as a shared library (DROVER_SHARED_CORE) ships privately, next to nothing else.
if [ -f "$build/core/libdrover_core.so" ]; then
    grep -q " ./usr/lib/drover/libdrover_core.so\$" <<<"$contents" || {
        echo "missing from the .deb: ./usr/lib/drover/libdrover_core.so"; exit 1; }
fi
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for dep in libqt6widgets6 libqt6sql6-sqlite qt6-qpa-plugins libyaml-cpp; do
    grep -q "$dep" <<<"$depends" || { echo "Depends lacks $dep"; exit 1; }
done

mkdir "$out/root"
dpkg-deb -x "$deb" "$out/root"
HOME="$out" XDG_CONFIG_HOME="$out/.config" QT_QPA_PLATFORM=offscreen \
    "$out/root/usr/bin/drover" --version | grep -q "Drover"
HOME="$out" XDG_CONFIG_HOME="$out/.config" QT_QPA_PLATFORM=offscreen \
    "$out/root/usr/bin/drover" --quit-after 500 2>/dev/null
test -f "$out/.config/Drover/drover.yaml"

mkdir "$out/tgz"
tar -xzf "$tgz" -C "$out/tgz"
find "$out/tgz" -path '*/bin/drover' -type f | grep -q . || { echo "drover missing from the .tar.gz"; exit 1; }
echo "packages OK"
