#!/usr/bin/env bash
# The whole suite, as CI runs it (`npm test`): build once, then run every test
# on Node 20 (the default node) and on Node 24, each inside a private D-Bus
# session with an unlocked gnome-keyring so the keychain backend is tested for
# real. Without dbus-run-session/gnome-keyring the suite still runs; the
# keychain tests skip. Extra arguments select test files or directories.
# Type-checks src/, test/ and bench/ first (tsconfig.test.json): a type error
# fails the run. Fails if either runtime fails. ROLEHOP_SKIP_BUILD=1 reuses the
# current dist/.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

node24=${ROLEHOP_NODE24:-.cache/node24/node_modules/node/bin/node}

header() { if [ -t 1 ]; then printf '\n\033[1m===== %s =====\033[0m\n' "$*"; else printf '\n===== %s =====\n' "$*"; fi; }

if [ "${ROLEHOP_SKIP_BUILD:-}" != 1 ]; then
  header "build"
  npm run build || { echo "build failed" >&2; exit 1; }
fi

# Runs the suite with one node binary; keychain inside a throw-away session bus
# and keyring (scripts/with-keyring.sh), never the user's own.
suite() {
  local node=$1
  shift
  ROLEHOP_TEST_NODE=$node bash scripts/with-keyring.sh node scripts/test.mjs "$@"
}

# Once, before the suites: tsx runs tests without checking their types.
header "typecheck (tsconfig.test.json)"
node_modules/.bin/tsc -p tsconfig.test.json || { echo "type-check failed" >&2; exit 1; }

declare -A result
failed=0
for runtime in node20 node24; do
  if [ $runtime = node20 ]; then bin=$(command -v node); else bin=$node24; fi
  if ! version=$("$bin" --version 2>/dev/null); then
    header "$runtime: missing ($bin); run: bash scripts/setup.sh"
    result[$runtime]="MISSING"
    failed=1
    continue
  fi
  header "$runtime: $version ($bin)"
  if suite "$bin" "$@"; then result[$runtime]=passed; else result[$runtime]=FAILED; failed=1; fi
done

header "summary"
for runtime in node20 node24; do echo "$runtime: ${result[$runtime]}"; done
exit $failed
