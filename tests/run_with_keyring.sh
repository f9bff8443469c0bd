#!/usr/bin/env bash
# Runs a command under a private D-Bus session with an unlocked gnome-keyring, so tests use
# the real Secret Service. Without this, a headless shell has no keychain and writes fail.
# (Never run keychain tests under Xvfb without a session bus: gcr-prompter would open a
# password dialog on the virtual screen and hang.)
set -euo pipefail
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export DROVER_KEYRING_HOME="$keyring_home"
exec dbus-run-session -- sh -c '
  export HOME="$DROVER_KEYRING_HOME" XDG_DATA_HOME="$DROVER_KEYRING_HOME/.local/share"
  echo drover-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
  exec "$@"' sh "$@"
