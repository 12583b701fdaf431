#!/usr/bin/env bash
# npm run bench: every benchmark in one run, inside a private D-Bus session so
# the keychain backend is measured too. Results: bench/results/latest.{json,md}
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec dbus-run-session -- bash -c 'echo -n bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; node --import tsx bench/run.ts "$@"' bench "$@"
fi
exec node --import tsx bench/run.ts "$@"
