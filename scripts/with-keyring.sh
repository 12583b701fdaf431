#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked
# gnome-keyring whose data lives in a throw-away directory, so the user's own
# keyrings are neither read nor touched. Without the tools, runs it bare.
set -uo pipefail
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "(no dbus-run-session or gnome-keyring-daemon: keychain backend unavailable; run scripts/setup.sh)" >&2
  exec "$@"
fi
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/rolehop-keyring-XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
dbus-run-session -- bash -c '
  echo -n rolehop-test | XDG_DATA_HOME="$0" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$@"' "$keyring_home" "$@" 2> >(grep -v "Failed to set fd limit" >&2)
