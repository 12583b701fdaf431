#!/usr/bin/env bash
# npm run bench: every benchmark side by side in one run, inside a private
# D-Bus session so the keychain backend is measured too.
# Results: bench/results/latest.json and latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
exec bash scripts/with-keyring.sh node --import tsx bench/run.ts "$@"
