#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages*.txt that are not installed yet.
# A line "package:command" means: only when `command` is not on PATH.
# Idempotent and quick when nothing is missing (one dpkg-query, no apt-get update).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

mapfile -t wanted < <(cat "$here"/packages*.txt | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
missing=()
for entry in "${wanted[@]}"; do
    pkg=${entry%%:*}
    if [ "$pkg" != "$entry" ]; then
        # package:command: needed only when the command is not there in any form.
        command -v "${entry#*:}" >/dev/null 2>&1 && continue
    fi
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "drover: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "drover: run as root or install sudo" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
