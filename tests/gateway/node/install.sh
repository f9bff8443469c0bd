#!/bin/sh
# Installs the pinned OpenAI Node client (package-lock.json) and the test client script into
# <dest>, for the tests/gateway node tests (a CTest fixture runs this). Idempotent: when the
# installed lock matches the committed one, only the script is refreshed (no network).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: install.sh <dest dir>}
mkdir -p "$dest"
cp "$src/client.mjs" "$dest/client.mjs"
stamp="$dest/node_modules/.drover-package-lock.json"
if [ -f "$stamp" ] && cmp -s "$src/package-lock.json" "$stamp"; then
    exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dest/"
npm ci --prefix "$dest" --no-audit --no-fund --ignore-scripts --loglevel=error
cp "$src/package-lock.json" "$stamp"
